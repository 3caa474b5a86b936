// tests/fuzz/fuzz_common.cc - contexts, options and the liveness check shared
// by the fuzz targets (see fuzz_common.h).
#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

namespace kf {

kgss_status last_status = 0;
bool last_status_set = false;

// RFC 3961 / RFC 4757 numbers (RFC facts, not read from the library's table).
const etype_info kEtypes[kNumEtypes] = {
	{16, 0, 24, 4, 2},       // des3-cbc-sha1: SGN_ALG HMAC-SHA1-DES3-KD, SEAL_ALG DES3-KD
	{17, 1, 16, 0, 0},       // aes128-cts-hmac-sha1-96
	{18, 1, 32, 0, 0},       // aes256-cts-hmac-sha1-96
	{19, 1, 16, 0, 0},       // aes128-cts-hmac-sha256-128
	{20, 1, 32, 0, 0},       // aes256-cts-hmac-sha384-192
	{23, 0, 16, 0x11, 0x10}, // arcfour-hmac
	{24, 0, 16, 0x11, 0x10}, // arcfour-hmac-exp
	{25, 1, 16, 0, 0},       // camellia128-cts-cmac
	{26, 1, 32, 0, 0},       // camellia256-cts-cmac
};

config config_of(uint8_t s)
{
	config c;
	c.et = s % kNumEtypes;
	c.initiator = ((s / kNumEtypes) & 1) != 0;
	c.subkey = ((s / kNumEtypes) & 2) != 0;
	c.window = ((s / kNumEtypes) & 4) != 0;
	return c;
}

uint8_t selector_of(const config &c)
{
	return (uint8_t)(c.et + kNumEtypes * ((c.initiator ? 1 : 0) | (c.subkey ? 2 : 0) | (c.window ? 4 : 0)));
}

void fail(const char *what, kgss_status st)
{
	fprintf(stderr, "kgss fuzz invariant broken: %s (status 0x%08x %s)\n", what, (unsigned)st,
		kgss_status_string(st));
	abort();
}

bool all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;
	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

// ---- options -----------------------------------------------------------------------

namespace {

// xorshift64*: deterministic confounders, never fails (fuzzing wants
// reproducible runs, not secrecy).
uint64_t prng_state = 0x9e3779b97f4a7c15ull;
int prng_generate(void *, uint8_t *out, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		prng_state ^= prng_state >> 12;
		prng_state ^= prng_state << 25;
		prng_state ^= prng_state >> 27;
		out[i] = (uint8_t)((prng_state * 0x2545f4914f6cdd1dull) >> 56);
	}
	return 0;
}
const kgss_prng fuzz_prng = {prng_generate, nullptr};

long live_blocks = 0;
void *fuzz_alloc(void *, size_t n)
{
	void *p = aligned_alloc(16, (n + 15) & ~(size_t)15);
	if (p)
		live_blocks++;
	return p;
}
void fuzz_free(void *, void *p, size_t)
{
	if (p)
		live_blocks--;
	free(p);
}

} // namespace

long live_allocations() { return live_blocks; }

void make_options(kgss_options *o, bool window, bool with_alloc)
{
	kgss_options_init(o);
	o->crypto = kgss_crypto_builtin();
	o->prng = &fuzz_prng;
	o->flags = window ? (KGSS_OPT_REPLAY_DETECT | KGSS_OPT_SEQUENCE_DETECT) : 0;
	if (with_alloc) {
		o->alloc = fuzz_alloc;
		o->free = fuzz_free;
	}
}

// ---- contexts ----------------------------------------------------------------------

void make_lucid(kgss_lucid_context_v1 *l, size_t et, bool initiator, bool subkey, uint64_t send_seq, uint64_t recv_seq,
		uint8_t *key_store)
{
	const etype_info &e = kEtypes[et];
	uint8_t *k0 = key_store, *k1 = key_store + 64;
	for (size_t i = 0; i < 64; i++) {
		k0[i] = (uint8_t)(0x5a ^ (e.etype * 13) ^ (i * 29));
		k1[i] = (uint8_t)(0xc3 ^ (e.etype * 7) ^ (i * 53));
	}
	memset(l, 0, sizeof(*l));
	l->version = 1;
	l->initiate = initiator ? 1 : 0;
	l->endtime = 0x7fffffff;
	l->send_seq = send_seq;
	l->recv_seq = recv_seq;
	l->protocol = e.protocol;
	if (e.protocol == 0) {
		l->rfc1964_kd.sign_alg = e.sign_alg;
		l->rfc1964_kd.seal_alg = e.seal_alg;
		// MIT exports the DES3 key as enctype 6 (des3-cbc-raw); others say 16.
		l->rfc1964_kd.ctx_key.type = (e.etype == 16 && !subkey) ? 6 : (uint32_t)e.etype;
		l->rfc1964_kd.ctx_key.length = e.key_len;
		l->rfc1964_kd.ctx_key.data = k0;
	} else {
		l->cfx_kd.have_acceptor_subkey = subkey ? 1 : 0;
		l->cfx_kd.ctx_key.type = (uint32_t)e.etype;
		l->cfx_kd.ctx_key.length = e.key_len;
		l->cfx_kd.ctx_key.data = k0;
		if (subkey) {
			l->cfx_kd.acceptor_subkey.type = (uint32_t)e.etype;
			l->cfx_kd.acceptor_subkey.length = e.key_len;
			l->cfx_kd.acceptor_subkey.data = k1;
		}
	}
}

namespace {

struct slot {
	bool ready;
	uint8_t *mem_self;
	uint8_t *mem_peer;
	pair p;
};
slot slots[kNumConfigs];

kgss_ctx *import_into(uint8_t *mem, const kgss_lucid_context_v1 *l, bool window)
{
	kgss_options o;
	make_options(&o, window, false);
	kgss_ctx *c = nullptr;
	kgss_status st = kgss_import_lucid_v1_into(mem, kgss_ctx_size(), l, &o, &c);
	if (st != KGSS_S_COMPLETE || c == nullptr)
		fail("import of a fixed-key context", st);
	return c;
}

} // namespace

pair &pair_for(const config &c)
{
	slot &s = slots[selector_of(c) % kNumConfigs];
	if (!s.ready) {
		// Allocated once per configuration for the life of the process.
		s.mem_self = (uint8_t *)malloc(kgss_ctx_size());
		s.mem_peer = (uint8_t *)malloc(kgss_ctx_size());
		if (!s.mem_self || !s.mem_peer)
			fail("out of memory");
		uint8_t keys[128];
		kgss_lucid_context_v1 l;
		make_lucid(&l, c.et, c.initiator, c.subkey, 1000, 5000, keys);
		s.p.self = import_into(s.mem_self, &l, c.window);
		make_lucid(&l, c.et, !c.initiator, c.subkey, 5000, 1000, keys);
		s.p.peer = import_into(s.mem_peer, &l, false);
		static const uint8_t alive_msg[] = "kgss alive";
		kgss_buffer in = {sizeof(alive_msg), (void *)alive_msg};
		kgss_buffer t = {sizeof(s.p.wrap_tok), s.p.wrap_tok};
		kgss_status st = kgss_wrap(s.p.peer, 1, 0, &in, nullptr, &t);
		if (st != KGSS_S_COMPLETE)
			fail("cached wrap token", st);
		s.p.wrap_len = t.length;
		t = {sizeof(s.p.mic_tok), s.p.mic_tok};
		st = kgss_get_mic(s.p.peer, 0, &in, &t);
		if (st != KGSS_S_COMPLETE)
			fail("cached MIC token", st);
		s.p.mic_len = t.length;
		s.p.checks = 0;
		s.ready = true;
	}
	return s.p;
}

// ---- liveness ----------------------------------------------------------------------

namespace {

void one_way(kgss_ctx *from, kgss_ctx *to, const char *what)
{
	static uint32_t counter;
	uint8_t msg[19];
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(counter * 31 + i);
	counter++;
	uint8_t tok[256], out[256];
	for (int conf = 0; conf <= 1; conf++) {
		kgss_buffer in = {sizeof(msg), msg}, t = {sizeof(tok), tok};
		int conf_state = -1;
		kgss_status st = kgss_wrap(from, conf, 0, &in, &conf_state, &t);
		if (st != KGSS_S_COMPLETE || conf_state != conf)
			fail(what, st);
		kgss_buffer o = {sizeof(out), out};
		st = kgss_unwrap(to, &t, &o, &conf_state, nullptr);
		if (KGSS_ERROR(st) || o.length != sizeof(msg) || memcmp(out, msg, sizeof(msg)) != 0 ||
		    conf_state != conf)
			fail(what, st);
	}
	kgss_buffer in = {sizeof(msg), msg}, t = {sizeof(tok), tok};
	kgss_status st = kgss_get_mic(from, 0, &in, &t);
	if (st != KGSS_S_COMPLETE)
		fail(what, st);
	st = kgss_verify_mic(to, &in, &t, nullptr);
	if (KGSS_ERROR(st))
		fail(what, st);
}

} // namespace

void check_alive(kgss_ctx *a, kgss_ctx *b, const char *what, bool receiver_only)
{
	one_way(b, a, what);
	if (!receiver_only)
		one_way(a, b, what);
}

void check_alive(pair &p, const char *what)
{
	static const uint8_t alive_msg[] = "kgss alive";
	uint8_t out[160];
	kgss_buffer t = {p.wrap_len, p.wrap_tok}, o = {sizeof(out), out};
	kgss_status st = kgss_unwrap(p.self, &t, &o, nullptr, nullptr);
	if (KGSS_ERROR(st) || o.length != sizeof(alive_msg) || memcmp(out, alive_msg, sizeof(alive_msg)) != 0)
		fail(what, st);
	kgss_buffer in = {sizeof(alive_msg), (void *)alive_msg};
	t = {p.mic_len, p.mic_tok};
	st = kgss_verify_mic(p.self, &in, &t, nullptr);
	if (KGSS_ERROR(st))
		fail(what, st);
	if (p.checks++ % 16 == 0)
		one_way(p.peer, p.self, what);
}

namespace {
alignas(16) uint8_t mem_self[kImportMem];
alignas(16) uint8_t mem_peer[kImportMem];
} // namespace

uint8_t *import_mem_self() { return mem_self; }
uint8_t *import_mem_peer() { return mem_peer; }

size_t import_need()
{
	static const size_t need = kgss_ctx_size();
	if (need > kImportMem)
		fail("kgss_ctx_size grew past the fuzzer's buffers");
	return need;
}

bool import_accepted(kgss_status st_into, kgss_status st_alloc, const kgss_ctx *a, const kgss_ctx *b, const char *api)
{
	record(st_into);
	if (st_into != st_alloc)
		fail((std::string(api) + " and _into disagree").c_str(), st_alloc);
	if (st_into != KGSS_S_COMPLETE) {
		if (a != nullptr || b != nullptr)
			fail("failed import left *ctx_out set", st_into);
		if (live_allocations() != 0)
			fail("failed import leaked its allocation", st_into);
		if (st_into != KGSS_S_DEFECTIVE_TOKEN && st_into != KGSS_S_UNAVAILABLE)
			fail("import failed with an undocumented status", st_into);
		return false;
	}
	if (a == nullptr || b == nullptr)
		fail("successful import without a context");
	return true;
}

void finish_accepted_import(kgss_ctx *a, kgss_ctx *b, kgss_ctx *peer, kgss_status peer_st, const char *what)
{
	const std::string w(what);
	if (peer_st != KGSS_S_COMPLETE)
		fail(("the role-swapped twin of an accepted " + w + " was refused").c_str(), peer_st);
	check_alive(a, peer, ("accepted " + w + " cannot talk to its peer (into)").c_str());
	check_alive(b, peer, ("accepted " + w + " cannot talk to its peer (allocated)").c_str());
	kgss_ctx_free(a);
	kgss_ctx_free(b);
	kgss_ctx_free(peer);
	if (live_allocations() != 0)
		fail("kgss_ctx_free did not free the allocated context");
	// *_into memory stays mapped: the freed context must say so.
	size_t tl = 0;
	const kgss_status st = kgss_wrap_size(a, 1, 10, &tl);
	if (st != KGSS_S_NO_CONTEXT)
		fail("freed _into context did not answer NO_CONTEXT", st);
}

std::string hex_text(const std::vector<uint8_t> &b, unsigned style)
{
	static const char lo[] = "0123456789abcdef", up[] = "0123456789ABCDEF";
	const char *d = style & 1 ? up : lo;
	std::string s = style & 2 ? "0x" : "";
	if (style & 4)
		s = " \n" + s;
	for (size_t i = 0; i < b.size(); i++) {
		if (i && (style & 8))
			s += style & 16 ? ':' : ' ';
		s += d[b[i] >> 4];
		s += d[b[i] & 15];
	}
	return s;
}

std::string base64_text(const std::vector<uint8_t> &b, unsigned style)
{
	const char *a = style & 1 ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
				  : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	std::string s;
	size_t i = 0;
	for (; i + 3 <= b.size(); i += 3) {
		uint32_t v = (uint32_t)b[i] << 16 | (uint32_t)b[i + 1] << 8 | b[i + 2];
		s += a[v >> 18];
		s += a[(v >> 12) & 63];
		s += a[(v >> 6) & 63];
		s += a[v & 63];
		if ((style & 4) && (i / 3) % 19 == 18)
			s += style & 8 ? "\r\n" : "\n";
	}
	const size_t left = b.size() - i;
	if (left) {
		uint32_t v = (uint32_t)b[i] << 16 | (left == 2 ? (uint32_t)b[i + 1] << 8 : 0);
		s += a[v >> 18];
		s += a[(v >> 12) & 63];
		if (left == 2)
			s += a[(v >> 6) & 63];
		if (style & 2)
			s += left == 2 ? "=" : "==";
	}
	return s;
}

} // namespace kf
