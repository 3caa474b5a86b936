// tests/ctgrind: constant-time check of the verify paths under valgrind
// memcheck ("ctgrind", after Adam Langley's technique).
//
// memcheck reports a conditional jump or a memory address that depends on
// "undefined" bytes.  This program marks as undefined
//   - the key bytes of the lucid context before import, so every derived key,
//     key schedule and precomputed HMAC state of the receiving context is
//     tainted, and
//   - the checksum / tag bytes of each received token,
// then runs kgss_verify_mic and kgss_unwrap (integrity-only and sealed) on a
// valid token and on one with a wrong checksum, and kgss_get_mic / kgss_wrap
// on the tainted context, for every enctype and each builtin backend class
// (portable; accelerated when the virtual CPU offers AES-NI or AVX2+BMI2).
// The library is a copy of the core built with -DKGSS_CTGRIND=1: the verdicts of
// ct_equal / ct_all_equal are declassified (crypto/util.h), nothing else.
// Run by CTest as `valgrind --error-exitcode=1 --suppressions=ctgrind.supp`:
// any secret-dependent branch or index outside the table-based primitives
// named in ctgrind.supp (builtin DES, Camellia, RC4; see
// docs/constant-time.md) fails the test.
//
// Statuses are marked defined before the test branches on them (they are
// public by contract); plaintext is marked defined before it is compared.
//
// `ctgrind --control-leak` runs a deliberately leaky comparison on tainted
// bytes: CTest expects valgrind to fail it (the test `ctgrind_control`, WILL_FAIL),
// which shows that the taint and the error exit really work.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <string>
#include <vector>

#include <CppUTest/CommandLineTestRunner.h>
#include <CppUTest/MemoryLeakWarningPlugin.h>
#include <CppUTest/TestHarness.h>
#include <valgrind/memcheck.h>

#include "families.h" // header-only parts: enctype_compiled_in
#include "kgss.h"

namespace {

using bytes = std::vector<uint8_t>;

struct etinfo {
	int32_t etype;
	size_t key_len;
	uint32_t protocol;
	size_t cksum_len; // RFC 4121: checksum / tag bytes; RFC 1964: SGN_CKSUM bytes
};
const etinfo kEnctypes[] = {{16, 24, 0, 20}, {17, 16, 1, 12}, {18, 32, 1, 12}, {19, 16, 1, 16}, {20, 32, 1, 24},
			    {23, 16, 0, 8},  {24, 16, 0, 8},  {25, 16, 1, 16}, {26, 32, 1, 16}};

bytes key_for(int32_t etype, size_t len)
{
	bytes k(len);
	for (size_t i = 0; i < len; i++)
		k[i] = (uint8_t)(0x71 + 19 * i + 3 * (uint32_t)etype) | 1u;
	return k;
}

void taint(void *p, size_t n) { (void)VALGRIND_MAKE_MEM_UNDEFINED(p, n); }
template <typename T>
T pub(T v)
{
	(void)VALGRIND_MAKE_MEM_DEFINED(&v, sizeof v);
	return v;
}

// Bytes of [p, p+n) memcheck considers undefined (0 outside valgrind).
size_t undefined_bytes(const void *p, size_t n)
{
	if (!RUNNING_ON_VALGRIND)
		return 0;
	std::vector<uint8_t> vb(n);
	if (VALGRIND_GET_VBITS(p, vb.data(), n) != 1)
		return 0;
	size_t u = 0;
	for (uint8_t b : vb)
		u += b != 0;
	return u;
}

struct context {
	bytes key;
	bytes mem;
	kgss_ctx *ctx = nullptr;
	kgss_chacha_prng ps;
	kgss_prng prng;
	context(const etinfo &e, const kgss_crypto_backend *be, bool initiator, bool tainted)
	{
		key = key_for(e.etype, e.key_len);
		if (tainted)
			taint(key.data(), key.size());
		uint8_t seed[32];
		memset(seed, 0x33, sizeof seed);
		CHECK_EQUAL(0, kgss_chacha_prng_init(&ps, seed, &prng));
		kgss_options o;
		kgss_options_init(&o);
		o.crypto = be;
		o.prng = &prng;
		kgss_lucid_context_v1 l;
		memset(&l, 0, sizeof l);
		l.version = 1;
		l.initiate = initiator;
		l.endtime = 0xffffffffu;
		l.protocol = e.protocol;
		kgss_lucid_key *k = e.protocol == 0 ? &l.rfc1964_kd.ctx_key : &l.cfx_kd.ctx_key;
		if (e.protocol == 0) {
			l.rfc1964_kd.sign_alg = e.etype == 16 ? 4 : 0x11;
			l.rfc1964_kd.seal_alg = e.etype == 16 ? 2 : 0x10;
		}
		k->type = (uint32_t)e.etype;
		k->length = (uint32_t)key.size();
		k->data = key.data();
		mem.resize(kgss_ctx_size());
		CHECK_EQUAL(KGSS_S_COMPLETE, pub(kgss_import_lucid_v1_into(mem.data(), mem.size(), &l, &o, &ctx)));
	}
	~context()
	{
		kgss_ctx_free(ctx);
		kgss_chacha_prng_wipe(&ps);
	}
};

// Where the checksum bytes of a token are.  RFC 4121 (§4.2.6): MIC token
// header 16, then the checksum; Wrap with RRC 0: the checksum / tag is the
// last cksum_len bytes.  RFC 1964 (§1.2.1): SGN_CKSUM at 16 after the framing.
size_t cksum_offset(const etinfo &e, const bytes &t, bool mic)
{
	if (e.protocol == 1) {
		if (!mic)
			CHECK_EQUAL(0, (t[6] << 8) | t[7]); // RRC 0: the tag is at the end
		return mic ? 16 : t.size() - e.cksum_len;
	}
	return 2 + ((t[1] & 0x80) ? (t[1] & 0x7f) : 0) + 11 + 16;
}

struct totals {
	size_t cases = 0, calls = 0, tainted_outputs = 0, clean_outputs = 0;
	std::string lines;
} g_totals;

// Public bytes, long enough (> 8 x 128) for the stitched sweep to hand runs
// to the engines; filled by the test.
uint8_t kMsg[1100];

// kind 0 = MIC, 1 = integrity-only Wrap, 2 = sealed Wrap.
void run_kind(const etinfo &e, context &snd, context &rcv, int kind)
{
	bytes tok(2048);
	kgss_buffer m = {sizeof kMsg, (void *)kMsg}, t = {tok.size(), tok.data()};
	kgss_status st =
		kind == 0 ? kgss_get_mic(snd.ctx, 0, &m, &t) : kgss_wrap(snd.ctx, kind == 2, 0, &m, nullptr, &t);
	CHECK_EQUAL(KGSS_S_COMPLETE, pub(st));
	tok.resize(t.length);
	const size_t off = cksum_offset(e, tok, kind == 0);
	const size_t clen = e.cksum_len;

	for (int bad = 0; bad < 2; bad++) {
		bytes in = tok;
		if (bad)
			in[off + clen - 1] ^= 0x01;
		taint(in.data() + off, clen);
		bytes out(in.size() + 16);
		kgss_buffer ib = {in.size(), in.data()}, ob = {out.size(), out.data()};
		kgss_status r = kind == 0 ? kgss_verify_mic(rcv.ctx, &m, &ib, nullptr)
					  : kgss_unwrap(rcv.ctx, &ib, &ob, nullptr, nullptr);
		r = pub(r);
		g_totals.calls++;
		if (bad) {
			CHECK_EQUAL(KGSS_S_BAD_SIG, r);
		} else {
			CHECK_EQUAL(KGSS_S_COMPLETE, r);
			if (kind != 0) {
				(void)VALGRIND_MAKE_MEM_DEFINED(out.data(), ob.length); // verified: public now
				CHECK_EQUAL(sizeof kMsg, pub(ob.length));
				CHECK_EQUAL(0, memcmp(out.data(), kMsg, sizeof kMsg));
			}
		}
	}

	// The sending side with tainted keys: no branch or index on them either;
	// its checksum comes out tainted when no table lookup laundered the taint.
	bytes tok2(2048);
	kgss_buffer t2 = {tok2.size(), tok2.data()};
	st = kind == 0 ? kgss_get_mic(rcv.ctx, 0, &m, &t2) : kgss_wrap(rcv.ctx, kind == 2, 0, &m, nullptr, &t2);
	CHECK_EQUAL(KGSS_S_COMPLETE, pub(st));
	g_totals.calls++;
	tok2.resize(pub(t2.length));
	const size_t off2 = e.protocol == 1 ? (kind == 0 ? 16 : tok2.size() - clen)
					    : 2 + ((tok2[1] & 0x80) ? (tok2[1] & 0x7f) : 0) + 11 + 16;
	const size_t u = undefined_bytes(tok2.data() + off2, clen);
	(u ? g_totals.tainted_outputs : g_totals.clean_outputs)++;
	if (kind == 0) {
		char line[160];
		snprintf(line, sizeof line,
			 "    etype %2d: MIC checksum from the tainted context: %zu/%zu bytes undefined%s\n", e.etype,
			 u, clen, u ? "" : " (taint laundered by a table lookup: DES / Camellia)");
		g_totals.lines += line;
	}
}

void run_backend(const char *label, const kgss_crypto_backend *be)
{
	auto nm = [](const auto *c) { return c != nullptr ? c->name : "(compiled out)"; };
	printf("\n  %s: aes128=%s sha1=%s sha256=%s sha384=%s camellia128=%s des3=%s rc4=%s md5=%s", label,
	       nm(be->aes128), nm(be->sha1), nm(be->sha256), nm(be->sha384), nm(be->camellia128), nm(be->des3),
	       nm(be->rc4), nm(be->md5));
	for (const etinfo &e : kEnctypes) {
		if (!kt::enctype_compiled_in(e.etype)) {
			printf("\n    etype %d: compiled out, not checked", e.etype);
			continue;
		}
		context snd(e, be, true, false); // the peer: public key bytes, not under test
		context rcv(e, be, false, true); // under test: key bytes undefined before import
		CHECK(undefined_bytes(rcv.key.data(), rcv.key.size()) == (RUNNING_ON_VALGRIND ? rcv.key.size() : 0));
		for (int kind = 0; kind < 3; kind++)
			run_kind(e, snd, rcv, kind);
		g_totals.cases++;
	}
}

// ---- the stitched sweep (kgss_cbc_hash_class) under memcheck -------------------
// Valgrind does not run SHA-NI code (it hides the extension from cpuid), so
// the builtin engines never run here; their AES-NI / SHA-NI instructions are
// constant time and they branch only on lengths and round counters.  What is
// checked here is the library's side: the sweep that cuts a message into
// engine runs and two-pass steps, and the RFC 8009 decrypt-while-MAC path,
// with tainted keys.  The engines below do the engine's job with the
// backend's own classes (two passes inside one call), for the AES-128 or the
// AES-256 class (an engine names its cipher classes; the class operations
// get only the schedule).
struct ref_engines {
	const kgss_block_cipher_class *cipher;
	const kgss_hash_class *hash[3]; // sha1, sha256, sha384
	kgss_cbc_hash_class cls[3];
} g_ref;

template <int I, bool Decrypt>
int ref_run(const void *ks, uint8_t *iv, void *st, uint8_t *data, size_t nunits, int hash_output)
{
	const kgss_hash_class *h = g_ref.hash[I];
	const kgss_block_cipher_class *c = g_ref.cipher;
	const size_t len = nunits * h->block_size;
	if (!hash_output)
		h->update(st, data, len);
	int rc = Decrypt ? c->cbc_decrypt(ks, iv, data, len / 16) : c->cbc_encrypt(ks, iv, data, len / 16);
	if (hash_output)
		h->update(st, data, len);
	return rc;
}

kgss_crypto_backend with_ref_engines(const kgss_crypto_backend *be, const kgss_block_cipher_class *cipher)
{
	kgss_crypto_backend b = *be;
	g_ref.cipher = cipher;
	g_ref.hash[0] = be->sha1;
	g_ref.hash[1] = be->sha256;
	g_ref.hash[2] = be->sha384;
	const kgss_cbc_hash_class proto[3] = {
		{"ref+sha1", cipher, nullptr, be->sha1, be->sha1 ? be->sha1->block_size : 0, ref_run<0, false>,
		 ref_run<0, true>},
		{"ref+sha256", cipher, nullptr, be->sha256, be->sha256 ? be->sha256->block_size : 0, ref_run<1, false>,
		 ref_run<1, true>},
		{"ref+sha384", cipher, nullptr, be->sha384, be->sha384 ? be->sha384->block_size : 0, ref_run<2, false>,
		 ref_run<2, true>},
	};
	for (int i = 0; i < 3; i++)
		g_ref.cls[i] = proto[i];
	b.cbc_sha1 = be->sha1 ? &g_ref.cls[0] : nullptr;
	b.cbc_sha256 = be->sha256 ? &g_ref.cls[1] : nullptr;
	b.cbc_sha384 = be->sha384 ? &g_ref.cls[2] : nullptr;
	return b;
}

} // namespace

TEST_GROUP(ctgrind){};

TEST(ctgrind, verify_and_unwrap_do_not_branch_on_secrets)
{
	for (size_t i = 0; i < sizeof kMsg; i++)
		kMsg[i] = (uint8_t)('a' + i % 26);
	if (!RUNNING_ON_VALGRIND)
		printf("\n  NOT under valgrind: functional checks only (the CTest test runs it under memcheck)");
	run_backend("builtin portable", kgss_crypto_builtin_portable());
	if (kgss_crypto_builtin() != kgss_crypto_builtin_portable())
		run_backend("builtin accelerated", kgss_crypto_builtin());
	else
		printf("\n  builtin accelerated: same as portable on this (virtual) CPU: "
		       "no AES-NI, SHA-NI or AVX2+BMI2 reported");
	// The stitched sweep, with reference engines over the accelerated classes
	// (AES-128 enctypes, then AES-256 ones: an engine takes one cipher class).
	const kgss_crypto_backend *acc = kgss_crypto_builtin();
	if (acc->aes128 && acc->aes256) {
		kgss_crypto_backend b128 = with_ref_engines(acc, acc->aes128);
		run_backend("stitched sweep, reference engines over aes128", &b128);
		kgss_crypto_backend b256 = with_ref_engines(acc, acc->aes256);
		run_backend("stitched sweep, reference engines over aes256", &b256);
	}
	printf("\n%s  %zu (class, enctype) cases, %zu verify/unwrap/get_mic/wrap calls on tainted contexts; "
	       "tokens from tainted contexts: %zu with undefined checksum bytes, %zu laundered\n",
	       g_totals.lines.c_str(), g_totals.cases, g_totals.calls, g_totals.tainted_outputs,
	       g_totals.clean_outputs);
	if (RUNNING_ON_VALGRIND && g_totals.cases > 0)
		CHECK(g_totals.tainted_outputs > 0); // the taint really reaches the MAC computations
	if (kt::with_all_families)
		CHECK(g_totals.cases >= 27);
}

namespace {
// A non-constant-time comparison, for the negative control.
__attribute__((noinline)) int leaky_compare(const uint8_t *a, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return 1;
	return 0;
}
} // namespace

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--control-leak") == 0) {
		uint8_t a[16], b[16];
		memset(a, 1, sizeof a);
		memset(b, 1, sizeof b);
		taint(a, sizeof a);
		int r = pub(leaky_compare(a, b, sizeof a));
		printf("control: leaky compare ran (%d); memcheck must have reported it\n", r);
		return 0;
	}
	MemoryLeakWarningPlugin::turnOffNewDeleteOverloads();
	MemoryLeakWarningPlugin::destroyGlobalDetector();
	return CommandLineTestRunner::RunAllTests(argc, argv);
}
