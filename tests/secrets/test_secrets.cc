// tests/secrets: what is left of the key material once libkgss is done
// with it.
//
//  1. The context block (library-allocated; a custom allocator copies it just
//     before releasing it) holds none of: the raw key, any derived key
//     (computed here independently: RFC 3961/8009/6803 keys with the crypto
//     layer's derive_raw on the portable builtin backend, RC4 keys with
//     OpenSSL's HMAC), nor the HMAC pad blocks K^0x36 / K^0x5c of any HMAC
//     key.  Every enctype, builtin (portable and accelerated) and OpenSSL
//     backends.  Positive control: the same search run on a snapshot of the
//     live context must find key material where the backend keeps it raw
//     (OpenSSL keeps derived Ke / Kc raw, AES-NI keeps Ke as round key 0,
//     RC4 keeps K1), so the search is not vacuous.
//  2. Stack temporaries: import and every per-message call run on a thread
//     whose stack is a buffer of ours, painted with a pattern; afterwards the
//     whole buffer is scanned for the same secrets plus the RC4 per-message
//     keys (the SND_SEQ key HMAC-MD5(Kseq, SGN_CKSUM[0..8)) and the sealing
//     key HMAC-MD5(Kcrypt, seq)).  Positive control: a marker left in a dead
//     frame of the same thread must be found.
// What this cannot prove: copies in registers, in memory of other threads,
// in OpenSSL's own heap objects (OpenSSL cleanses those on free), or secrets
// in forms other than their byte strings (e.g. a bitsliced AES schedule).
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <CppUTest/TestHarness.h>
#include <openssl/hmac.h>
#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#endif
#endif
#ifndef VALGRIND_MAKE_MEM_DEFINED
#define VALGRIND_MAKE_MEM_DEFINED(p, n) 0
#endif

#include "crypto/enctype.h"
#include "families.h"
#include "kgss.h"

namespace {

using bytes = std::vector<uint8_t>;

struct etinfo {
	int32_t etype;
	size_t key_len;
	uint32_t protocol;
};
const etinfo kEnctypes[] = {{16, 24, 0}, {17, 16, 1}, {18, 32, 1}, {19, 16, 1}, {20, 32, 1},
			    {23, 16, 0}, {24, 16, 0}, {25, 16, 1}, {26, 32, 1}};

bytes key_for(int32_t etype, size_t len)
{
	bytes k(len);
	for (size_t i = 0; i < len; i++)
		k[i] = (uint8_t)(0x3c + 53 * i + 11 * (uint32_t)etype) | 1u;
	return k;
}

struct lucid {
	kgss_lucid_context_v1 l;
	lucid(int32_t etype, uint32_t protocol, bool initiator, const bytes &key)
	{
		memset(&l, 0, sizeof(l));
		l.version = 1;
		l.initiate = initiator ? 1 : 0;
		l.endtime = 0xffffffffu;
		l.send_seq = 100;
		l.recv_seq = 100;
		l.protocol = protocol;
		kgss_lucid_key *k = protocol == 0 ? &l.rfc1964_kd.ctx_key : &l.cfx_kd.ctx_key;
		if (protocol == 0) {
			l.rfc1964_kd.sign_alg = etype == 16 ? 4 : 0x11;
			l.rfc1964_kd.seal_alg = etype == 16 ? 2 : 0x10;
		}
		k->type = (uint32_t)etype;
		k->length = (uint32_t)key.size();
		k->data = (void *)key.data();
	}
};

bytes hmac_md5(const bytes &k, const bytes &d)
{
	unsigned char out[16];
	unsigned int n = 0;
	CHECK(HMAC(EVP_md5(), k.data(), (int)k.size(), d.data(), d.size(), out, &n) != nullptr);
	return bytes(out, out + 16);
}

struct secret {
	std::string name;
	bytes v;
};

void add_with_pads(std::vector<secret> &s, const std::string &name, const bytes &k, bool hmac_key)
{
	s.push_back({name, k});
	if (!hmac_key)
		return;
	bytes i = k, o = k;
	for (auto &b : i)
		b ^= 0x36;
	for (auto &b : o)
		b ^= 0x5c;
	s.push_back({name + "^ipad", i});
	s.push_back({name + "^opad", o});
}

// Every long-term secret of a context with this key, computed independently.
std::vector<secret> secrets_of(const etinfo &e, const bytes &key)
{
	std::vector<secret> s;
	s.push_back({"raw key", key});
	if (e.etype == 23 || e.etype == 24) {
		const bool exp = e.etype == 24;
		static const char sig[] = "signaturekey"; // with its NUL
		add_with_pads(s, "raw key", key, true);
		add_with_pads(s, "Ksign", hmac_md5(key, bytes(sig, sig + sizeof(sig))), true);
		bytes t = exp ? bytes{'f', 'o', 'r', 't', 'y', 'b', 'i', 't', 's', 0, 0, 0, 0, 0} : bytes{0, 0, 0, 0};
		bytes kseq = hmac_md5(key, t);
		bytes klocal = key;
		for (auto &b : klocal)
			b ^= 0xf0;
		bytes kcrypt = hmac_md5(klocal, t);
		if (exp) {
			memset(kseq.data() + 7, 0xab, 9);
			memset(kcrypt.data() + 7, 0xab, 9);
		}
		add_with_pads(s, "Kseq", kseq, true);
		add_with_pads(s, "Klocal", klocal, true);
		add_with_pads(s, "Kcrypt", kcrypt, true);
		return s;
	}
	const kgss::enctype *et = kgss::enctype_find(e.etype);
	CHECK(et != nullptr && et->ops->derive_raw != nullptr);
	const kgss_crypto_backend *be = kgss_crypto_builtin_portable();
	const bool hmac = e.etype != 25 && e.etype != 26; // Camellia: CMAC keys
	std::vector<uint32_t> usages =
		e.protocol == 1 ? std::vector<uint32_t>{22, 23, 24, 25} : std::vector<uint32_t>{23};
	for (uint32_t u : usages) {
		for (kgss::derive_kind kind : {kgss::DERIVE_KC, kgss::DERIVE_KE, kgss::DERIVE_KI}) {
			if (e.protocol == 0 && kind != kgss::DERIVE_KC)
				continue;
			uint8_t out[64];
			size_t n = 0;
			CHECK_EQUAL(KGSS_S_COMPLETE, et->derive_raw(be, key.data(), u, kind, out, &n));
			CHECK(n == 16 || n == 24 || n == 32);
			char nm[32];
			snprintf(nm, sizeof nm, "%s(%u)",
				 kind == kgss::DERIVE_KC   ? "Kc"
				 : kind == kgss::DERIVE_KE ? "Ke"
							   : "Ki",
				 u);
			add_with_pads(s, nm, bytes(out, out + n), hmac && kind != kgss::DERIVE_KE);
		}
	}
	return s;
}

// Every 8-byte substring of every secret, then one pass over the haystack:
// any 8 consecutive bytes of a secret found anywhere count as a hit.
uint64_t load8(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

long find_run(const uint8_t *hay, size_t n, const bytes &needle)
{
	for (size_t o = 0; o + 8 <= needle.size(); o++)
		for (size_t i = 0; i + 8 <= n; i++)
			if (hay[i] == needle[o] && memcmp(hay + i, needle.data() + o, 8) == 0)
				return (long)i;
	return -1;
}

size_t report_hits(const char *where, const uint8_t *hay, size_t n, const std::vector<secret> &s, bool print)
{
	std::unordered_map<uint64_t, size_t> runs; // 8-byte run -> index of its secret
	for (size_t k = 0; k < s.size(); k++)
		for (size_t o = 0; o + 8 <= s[k].v.size(); o++)
			runs.emplace(load8(s[k].v.data() + o), k);
	std::vector<long> first(s.size(), -1);
	for (size_t i = 0; i + 8 <= n; i++) {
		auto it = runs.find(load8(hay + i));
		if (it != runs.end() && first[it->second] < 0)
			first[it->second] = (long)i;
	}
	size_t hits = 0;
	for (size_t k = 0; k < s.size(); k++) {
		if (first[k] < 0)
			continue;
		hits++;
		if (print)
			printf("    %s: %s found at offset %ld\n", where, s[k].name.c_str(), first[k]);
	}
	return hits;
}

// ---- the allocator that looks before it releases ------------------------------
struct peek_alloc {
	bytes at_free;
	int frees = 0;
};
void *pa_alloc(void *, size_t n) { return aligned_alloc(64, (n + 63) / 64 * 64); }
void pa_free(void *c, void *p, size_t n)
{
	peek_alloc *a = (peek_alloc *)c;
	a->at_free.assign((uint8_t *)p, (uint8_t *)p + n);
	a->frees++;
	free(p);
}

struct backend_case {
	const char *name;
	const kgss_crypto_backend *be;
};
std::vector<backend_case> backends()
{
	std::vector<backend_case> v = {{"builtin-portable", kgss_crypto_builtin_portable()}};
	if (kgss_crypto_builtin() != kgss_crypto_builtin_portable())
		v.push_back({"builtin-accelerated", kgss_crypto_builtin()});
	v.push_back({"openssl", kgss_crypto_openssl()});
	return v;
}

// A few messages through the context so that lazily built backend state
// (OpenSSL's per-thread caches) exists before the free.
void exercise(kgss_ctx *c)
{
	uint8_t msg[40] = {1, 2, 3};
	uint8_t tok[256];
	kgss_buffer m = {sizeof msg, msg}, t = {sizeof tok, tok};
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss_get_mic(c, 0, &m, &t));
	for (int conf = 0; conf < 2; conf++) {
		t.length = sizeof tok;
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss_wrap(c, conf, 0, &m, nullptr, &t));
	}
}

} // namespace

TEST_GROUP(secrets){};

TEST(secrets, freed_context_holds_no_key_material)
{
	size_t cases = 0, live_hits_total = 0, searched = 0;
	for (const backend_case &b : backends()) {
		if (b.be == nullptr)
			continue;
		for (const etinfo &e : kEnctypes) {
			if (kt::skip_enctype(e.etype)) // compiled out: import -> UNAVAILABLE asserted instead
				continue;
			const bytes key = key_for(e.etype, e.key_len);
			const std::vector<secret> sec = secrets_of(e, key);
			lucid lu(e.etype, e.protocol, true, key);
			peek_alloc pa;
			kgss_options o;
			kgss_options_init(&o);
			o.crypto = b.be;
			o.alloc = pa_alloc;
			o.free = pa_free;
			o.alloc_ctx = &pa;
			uint8_t seed[32];
			memset(seed, 0x17, sizeof seed);
			kgss_chacha_prng ps;
			kgss_prng prng;
			CHECK_EQUAL(0, kgss_chacha_prng_init(&ps, seed, &prng));
			o.prng = &prng;
			kgss_ctx *c = nullptr;
			kgss_status st = kgss_import_lucid_v1(&lu.l, &o, &c);
			if (b.be->rc4 == nullptr && (e.etype == 23 || e.etype == 24)) {
				// OpenSSL without the legacy provider: no RC4 (reported, not hidden).
				printf("\n    %s etype %d: UNAVAILABLE (no RC4 in this backend)", b.name, e.etype);
				CHECK_EQUAL(KGSS_S_UNAVAILABLE, st);
				continue;
			}
			CHECK_EQUAL(KGSS_S_COMPLETE, st);
			exercise(c);
			// A snapshot of the live block (padding bytes may never have been
			// written: valgrind is told they are defined, we only search them).
			bytes snap((const uint8_t *)c, (const uint8_t *)c + kgss_ctx_size());
			(void)VALGRIND_MAKE_MEM_DEFINED(snap.data(), snap.size());
			const size_t live = report_hits("live", snap.data(), snap.size(), sec, false);
			live_hits_total += live;
			kgss_ctx_free(c);
			CHECK_EQUAL(1, pa.frees);
			(void)VALGRIND_MAKE_MEM_DEFINED(pa.at_free.data(), pa.at_free.size());
			const size_t dead = report_hits("freed block", pa.at_free.data(), pa.at_free.size(), sec, true);
			CHECK_EQUAL_TEXT(0, dead, (std::string(b.name) + " etype " + std::to_string(e.etype)).c_str());
			// Beyond the dead marker, nothing at all.
			size_t nonzero = 0;
			for (size_t i = 4; i < pa.at_free.size(); i++)
				nonzero += pa.at_free[i] != 0;
			CHECK_EQUAL(0, nonzero);
			printf("\n    %s etype %d: %zu of %zu secrets visible in the live context, 0 after free",
			       b.name, e.etype, live, sec.size());
			// Positive control: OpenSSL block schedules hold their key raw
			// (crypto/openssl/block.cc), so the live context must show it.
			if (strcmp(b.name, "openssl") == 0 && e.etype != 23 && e.etype != 24)
				CHECK_TEXT(live > 0, "positive control: OpenSSL schedules hold derived keys raw");
			kgss_chacha_prng_wipe(&ps);
			cases++;
			searched += sec.size();
		}
	}
	printf("\n  %zu (backend, enctype) cases, %zu secrets searched in freed blocks: 0 found; "
	       "positive control: %zu found in live contexts\n",
	       cases, searched, live_hits_total);
	if (kt::with_all_families)
		CHECK(cases >= 16);
}

// ---- stack temporaries -------------------------------------------------------------
namespace {

// The guarantee is about the code as shipped: optimised, not instrumented.
// Sanitizer instrumentation and -O0 make the compiler spill temporaries that
// no source-level wipe can reach (seen: the TSan build spills 8 bytes of a
// derived Camellia key loaded in the key schedule); there the hits are
// listed and counted but do not fail the test.
#if defined(__OPTIMIZE__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
constexpr bool kEnforceStack = true;
#else
constexpr bool kEnforceStack = false;
#endif
constexpr size_t kStack = 4 * 1024 * 1024; // sanitizer runtimes keep their TLS on it too
constexpr uint8_t kPaint = 0xa5;
const uint8_t kMarker[8] = {'d', 'e', 'a', 'd', 'f', 'r', 'a', 'm'};

struct stack_job {
	etinfo e;
	const kgss_crypto_backend *be;
	bytes key;
	std::vector<bytes> tokens; // for computing the RC4 per-message keys afterwards
	int failures = 0;
	bool plant = false; // control run: leave a copy of the key in a dead frame
};

// What an unwiped temporary looks like (control run only).
__attribute__((noinline)) void plant_key(const bytes &k)
{
	// Copies across 1 KiB, so that thread exit cannot overwrite them all.
	volatile uint8_t tmp[1024];
	for (size_t i = 0; i < sizeof(tmp); i++)
		tmp[i] = k[i % k.size()];
	__asm__ __volatile__("" : : "r"(tmp) : "memory");
}

__attribute__((noinline)) void leave_marker()
{
	volatile uint8_t buf[2048];
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = kMarker[i % 8];
	__asm__ __volatile__("" : : "r"(buf) : "memory");
}

#define JOB_CHECK(x)                   \
	do {                           \
		if (!(x))              \
			j->failures++; \
	} while (0)

void *stack_job_main(void *arg)
{
	stack_job *j = (stack_job *)arg;
	lucid li(j->e.etype, j->e.protocol, true, j->key), la(j->e.etype, j->e.protocol, false, j->key);
	uint8_t seed[32];
	for (size_t i = 0; i < 32; i++)
		seed[i] = (uint8_t)(i * 7 + 1);
	kgss_chacha_prng ps;
	kgss_prng prng;
	JOB_CHECK(kgss_chacha_prng_init(&ps, seed, &prng) == 0);
	kgss_options o;
	kgss_options_init(&o);
	o.crypto = j->be;
	o.prng = &prng;
	std::vector<uint8_t> mi(kgss_ctx_size()), ma(kgss_ctx_size());
	kgss_ctx *ci = nullptr, *ca = nullptr;
	JOB_CHECK(kgss_import_lucid_v1_into(mi.data(), mi.size(), &li.l, &o, &ci) == KGSS_S_COMPLETE);
	JOB_CHECK(kgss_import_lucid_v1_into(ma.data(), ma.size(), &la.l, &o, &ca) == KGSS_S_COMPLETE);
	if (ci && ca) {
		uint8_t msg[100];
		for (size_t i = 0; i < sizeof msg; i++)
			msg[i] = (uint8_t)i;
		uint8_t tok[512], out[512];
		kgss_buffer m = {sizeof msg, msg};
		for (int kind = 0; kind < 3; kind++) { // MIC, integrity wrap, sealed wrap
			kgss_buffer t = {sizeof tok, tok};
			kgss_status st =
				kind == 0 ? kgss_get_mic(ci, 0, &m, &t) : kgss_wrap(ci, kind == 2, 0, &m, nullptr, &t);
			JOB_CHECK(st == KGSS_S_COMPLETE);
			if (st != KGSS_S_COMPLETE)
				continue;
			j->tokens.push_back(bytes(tok, tok + t.length));
			kgss_buffer o2 = {sizeof out, out};
			st = kind == 0 ? kgss_verify_mic(ca, &m, &t, nullptr)
				       : kgss_unwrap(ca, &t, &o2, nullptr, nullptr);
			JOB_CHECK(st == KGSS_S_COMPLETE);
			// A bad token too: the failure paths must wipe as well.
			tok[t.length - 1] ^= 1;
			o2.length = sizeof out;
			st = kind == 0 ? kgss_verify_mic(ca, &m, &t, nullptr)
				       : kgss_unwrap(ca, &t, &o2, nullptr, nullptr);
			JOB_CHECK(st == KGSS_S_BAD_SIG || st == KGSS_S_DEFECTIVE_TOKEN);
		}
		// The IOV forms as well (sealed, header + data + trailer/padding).
		uint8_t hdr[128], pad[64], data[64];
		memcpy(data, msg, sizeof data);
		kgss_iov iov[3] = {{KGSS_IOV_HEADER, {sizeof hdr, hdr}},
				   {KGSS_IOV_DATA, {sizeof data, data}},
				   {j->e.protocol == 0 ? KGSS_IOV_PADDING : KGSS_IOV_TRAILER, {sizeof pad, pad}}};
		JOB_CHECK(kgss_wrap_iov_length(ci, 1, 0, nullptr, iov, 3) == KGSS_S_COMPLETE);
		JOB_CHECK(iov[0].buffer.length <= sizeof hdr && iov[2].buffer.length <= sizeof pad);
		JOB_CHECK(kgss_wrap_iov(ci, 1, 0, nullptr, iov, 3) == KGSS_S_COMPLETE);
		JOB_CHECK(kgss_unwrap_iov(ca, nullptr, nullptr, iov, 3) == KGSS_S_COMPLETE);
	}
	kgss_ctx_free(ci);
	kgss_ctx_free(ca);
	kgss_chacha_prng_wipe(&ps);
	leave_marker();
	if (j->plant)
		plant_key(j->key);
	return nullptr;
}

// RFC 1964 / RFC 4757 per-message RC4 keys of the tokens a job made.
void rc4_message_keys(const stack_job &j, std::vector<secret> &s)
{
	const bool exp = j.e.etype == 24;
	bytes t = exp ? bytes{'f', 'o', 'r', 't', 'y', 'b', 'i', 't', 's', 0, 0, 0, 0, 0} : bytes{0, 0, 0, 0};
	bytes kseq = hmac_md5(j.key, t);
	bytes klocal = j.key;
	for (auto &b : klocal)
		b ^= 0xf0;
	bytes kcrypt = hmac_md5(klocal, t);
	if (exp) {
		memset(kseq.data() + 7, 0xab, 9);
		memset(kcrypt.data() + 7, 0xab, 9);
	}
	for (size_t n = 0; n < j.tokens.size(); n++) {
		const bytes &tk = j.tokens[n];
		size_t off = 2 + ((tk[1] & 0x80) ? (tk[1] & 0x7f) : 0) + 11;
		bytes ck(tk.begin() + off + 16, tk.begin() + off + 24);
		s.push_back({"RC4 SND_SEQ key of token " + std::to_string(n), hmac_md5(kseq, ck)});
	}
	for (uint32_t seq = 100; seq < 100 + 8; seq++) {
		bytes be = {(uint8_t)(seq >> 24), (uint8_t)(seq >> 16), (uint8_t)(seq >> 8), (uint8_t)seq};
		s.push_back({"RC4 sealing key of seq " + std::to_string(seq), hmac_md5(kcrypt, be)});
	}
}

} // namespace

TEST(secrets, stack_temporaries_are_wiped)
{
	std::vector<backend_case> bes = {{"builtin-portable", kgss_crypto_builtin_portable()}};
	if (kgss_crypto_builtin() != kgss_crypto_builtin_portable())
		bes.push_back({"builtin-accelerated", kgss_crypto_builtin()});
	size_t cases = 0, searched = 0, total_hits = 0;
	int32_t control_etype = 0;
	for (const etinfo &e : kEnctypes)
		if (control_etype == 0 && kt::enctype_compiled_in(e.etype))
			control_etype = e.etype;
	for (int control = 1; control >= 0; control--)
		for (const backend_case &b : bes) {
			for (const etinfo &e : kEnctypes) {
				if (kt::skip_enctype(e.etype))
					continue;
				// The control runs once, with the first compiled-in enctype.
				if (control && (e.etype != control_etype || b.be != kgss_crypto_builtin_portable()))
					continue;
				std::unique_ptr<uint8_t, void (*)(void *)> owner((uint8_t *)aligned_alloc(4096, kStack),
										 free);
				uint8_t *stack = owner.get();
				CHECK(stack != nullptr);
				memset(stack, kPaint, kStack);
				stack_job j{e, b.be, key_for(e.etype, e.key_len), {}, 0, control != 0};
				pthread_attr_t at;
				pthread_attr_init(&at);
				CHECK_EQUAL(0, pthread_attr_setstack(&at, stack, kStack));
				pthread_t th;
				CHECK_EQUAL(0, pthread_create(&th, &at, stack_job_main, &j));
				CHECK_EQUAL(0, pthread_join(th, nullptr));
				pthread_attr_destroy(&at);
				CHECK_EQUAL(0, j.failures);
				// Under valgrind the dead thread's stack is no-access / undefined;
				// its bytes are still there, and reading them is the point.
				(void)VALGRIND_MAKE_MEM_DEFINED(stack, kStack);

				std::vector<secret> sec = secrets_of(e, j.key);
				if (e.etype == 23 || e.etype == 24)
					rc4_message_keys(j, sec);
				// How much of the stack the job used, and the positive control.
				size_t used = 0;
				while (used < kStack && stack[used] == kPaint)
					used++;
				const long marker = find_run(stack, kStack, bytes(kMarker, kMarker + 8));
				if (kEnforceStack)
					CHECK_TEXT(marker >= 0,
						   "positive control: a dead frame's bytes must be visible");
				// Below the first byte the job touched the paint is intact: scan
				// from there (the stack grows down from stack + kStack).
				const size_t from = used >= 8 ? used - 8 : 0;
				const size_t hits = report_hits((std::string(control ? "CONTROL " : "") + b.name +
								 " etype " + std::to_string(e.etype) + " stack")
									.c_str(),
								stack + from, kStack - from, sec, true);
				if (control) {
					// The planted copy of the key must be found: the scan works
					// (on the builds where the check is enforced; instrumented
					// builds may keep frames elsewhere, e.g. ASan's fake stacks).
					if (kEnforceStack)
						CHECK_TEXT(hits >= 1,
							   "positive control: a key left in a dead frame is found");
					else
						printf("\n  control (not enforced in this build): planted key %s",
						       hits ? "found" : "NOT found");
					continue;
				}
				if (kEnforceStack)
					CHECK_EQUAL_TEXT(
						0, hits,
						(std::string(b.name) + " etype " + std::to_string(e.etype)).c_str());
				total_hits += hits;
				if (cases == 0)
					printf("\n  stack painted %zu KiB, job used the top %zu bytes", kStack / 1024,
					       kStack - used);
				cases++;
				searched += sec.size();
			}
		}
	printf("\n  %zu (backend, enctype) cases, %zu secrets searched on the stack: %zu found%s\n", cases, searched,
	       total_hits, kEnforceStack ? "" : " (NOT ENFORCED: sanitizer-instrumented or unoptimised build)");
}
