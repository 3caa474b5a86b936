// tests/token/test_rfc4121_stitch.cc - the stitched CBC + HMAC engines of the
// builtin backend (kgss_crypto_backend::cbc_sha1 / cbc_sha256) change speed,
// never a token: RFC 4121 Wrap tokens of a context whose backend has them are
// byte-identical to those of the same backend without them (two-pass), for
// random keys and confounders (fixed PRNG seeds), message sizes 0 .. 1 MiB,
// plain and IOV calls with random splits into DATA and SIGN_ONLY buffers;
// each side unwraps the other's tokens, tampered tokens fail alike and leave
// no plaintext.  The stitched side runs through counting wrappers of the
// engines, so every test also shows the engines were really used.  Each
// test runs once per generation of engines the CPU has: the AES-NI
// decryption (the _ni classes) and the one on 512-bit VAES registers (the
// _vaes classes, with AVX-512F and VAES), whatever kgss_crypto_builtin()
// would pick.
// Needs AES-NI with SHA-NI (17, 18, 19) or with AVX2 + BMI2 (20); an enctype
// whose engine the CPU cannot run is compared all the same (both sides then
// take the two-pass path) and said so.  (No "SKIPPED:" here: it would make
// CTest report the whole token suite as skipped under valgrind, which hides
// SHA-NI.)
#include <stdio.h>
#include <string.h>

#include "crypto/builtin/builtin.h"
#include "families.h"
#include "token_util.h"

#include <CppUTest/TestHarness.h>

using namespace tt;

namespace {

// ---- counting wrappers of the builtin engines ----------------------------------
struct engine_count {
	const kgss_cbc_hash_class *real;
	kgss_cbc_hash_class wrapped;
	size_t encrypts, decrypts, units;
};
engine_count g_sha1, g_sha256, g_sha384;

template <engine_count *E>
int count_encrypt(const void *ks, uint8_t *iv, void *st, uint8_t *data, size_t nunits, int hash_output)
{
	E->encrypts++;
	E->units += nunits;
	return E->real->encrypt(ks, iv, st, data, nunits, hash_output);
}
template <engine_count *E>
int count_decrypt(const void *ks, uint8_t *iv, void *st, uint8_t *data, size_t nunits, int hash_output)
{
	E->decrypts++;
	E->units += nunits;
	return E->real->decrypt(ks, iv, st, data, nunits, hash_output);
}
template <engine_count *E>
const kgss_cbc_hash_class *wrap_engine(const kgss_cbc_hash_class *real)
{
	E->real = real;
	E->encrypts = E->decrypts = E->units = 0;
	if (!real)
		return nullptr;
	E->wrapped = *real;
	E->wrapped.encrypt = count_encrypt<E>;
	E->wrapped.decrypt = count_decrypt<E>;
	return &E->wrapped;
}

kgss_crypto_backend g_stitched, g_two_pass;

// The builtin backend with generation gen of its engines (0: AES-NI, 1:
// VAES), where the CPU runs kgss_crypto_builtin()'s; false when it has no
// such generation (1 without AVX-512F and VAES).
constexpr int kGenerations = 2;
bool set_up_backends(const char *test, int gen)
{
	const kgss_crypto_backend *b = kgss_crypto_builtin();
	const kgss_cbc_hash_class *e1 = b->cbc_sha1, *e256 = b->cbc_sha256, *e384 = b->cbc_sha384;
#if KGSS_BUILTIN_HAVE_STITCH
	if (gen == 1 && !kgss::cpu_has_vaes512())
		return false;
	e1 = !e1 ? nullptr : gen ? &kgss_builtin_cbc_sha1_vaes : &kgss_builtin_cbc_sha1_ni;
	e256 = !e256 ? nullptr : gen ? &kgss_builtin_cbc_sha256_vaes : &kgss_builtin_cbc_sha256_ni;
	e384 = !e384 ? nullptr : gen ? &kgss_builtin_cbc_sha384_vaes : &kgss_builtin_cbc_sha384_avx2;
#else
	if (gen == 1)
		return false;
#endif
	g_stitched = *b;
	g_stitched.cbc_sha1 = wrap_engine<&g_sha1>(e1);
	g_stitched.cbc_sha256 = wrap_engine<&g_sha256>(e256);
	g_stitched.cbc_sha384 = wrap_engine<&g_sha384>(e384);
	g_two_pass = *b;
	g_two_pass.cbc_sha1 = g_two_pass.cbc_sha256 = g_two_pass.cbc_sha384 = nullptr;
	if (!e1 || !e256 || !e384)
		printf("\n  %s: engines on this CPU: sha1 %s, sha256 %s, sha384 %s (the others compare two-pass with "
		       "two-pass)\n",
		       test, e1 ? e1->name : "no", e256 ? e256->name : "no", e384 ? e384->name : "no");
	return true;
}

// body() once per generation of engines the CPU has; the number of runs.
template <typename F>
int per_generation(const char *test, F body)
{
	int runs = 0;
	for (int gen = 0; gen < kGenerations; gen++) {
		if (!set_up_backends(test, gen))
			continue;
		body();
		runs++;
	}
	return runs;
}

// The counting wrapper of the engine an enctype uses, or NULL when the CPU
// has none for it.
engine_count *engine_for(int32_t etype)
{
	engine_count *e = etype == 17 || etype == 18 ? &g_sha1 : etype == 19 ? &g_sha256 : &g_sha384;
	return e->real ? e : nullptr;
}

const int32_t kEtypes[] = {17, 18, 19, 20};

// One sender and one receiver per backend, all four on the same random key
// and the same PRNG seed (so the confounders match).
struct quad {
	std::unique_ptr<context> s_snd, s_rcv, t_snd, t_rcv; // stitched / two-pass
	quad(int32_t etype, uint64_t &seed)
	{
		ctx_spec sp;
		sp.etype = etype;
		sp.key.resize(cfx(etype).key_len);
		kt::fill_random(seed, sp.key.data(), sp.key.size());
		sp.prng_seed = seed;
		ctx_spec rp = sp;
		rp.initiator = false;
		rp.send_seq = sp.recv_seq;
		rp.recv_seq = sp.send_seq;
		sp.crypto = rp.crypto = &g_stitched;
		s_snd.reset(new context(sp));
		s_rcv.reset(new context(rp));
		sp.crypto = rp.crypto = &g_two_pass;
		t_snd.reset(new context(sp));
		t_rcv.reset(new context(rp));
		LONGS_EQUAL(KGSS_S_COMPLETE, s_snd->import_status);
		LONGS_EQUAL(KGSS_S_COMPLETE, s_rcv->import_status);
		LONGS_EQUAL(KGSS_S_COMPLETE, t_snd->import_status);
		LONGS_EQUAL(KGSS_S_COMPLETE, t_rcv->import_status);
	}
};

bool compiled_in(int32_t etype) { return kt::enctype_compiled_in(etype); }

// A random split of msg into DATA and SIGN_ONLY buffers between HEADER and
// PADDING | TRAILER (trailer: else the trailer travels in the header).
iov_set random_split(const bytes &msg, uint64_t &seed, bool trailer, bool sign_only)
{
	iov_set s;
	s.add(KGSS_IOV_HEADER);
	size_t off = 0;
	while (off < msg.size()) {
		uint8_t r[3];
		kt::fill_random(seed, r, sizeof r);
		size_t len = r[0] % 4 == 0 ? 4096 : r[0] % 4 == 1 ? 1 + r[1] : 1 + (size_t)r[1] * 37 + r[2];
		len = std::min(len, msg.size() - off);
		const uint32_t type = sign_only && r[2] % 5 == 0 ? KGSS_IOV_SIGN_ONLY : KGSS_IOV_DATA;
		s.add(type, bytes(msg.begin() + (long)off, msg.begin() + (long)(off + len)));
		off += len;
	}
	if (s.count() == 1)
		s.add(KGSS_IOV_DATA);
	s.add(KGSS_IOV_PADDING);
	if (trailer)
		s.add(KGSS_IOV_TRAILER);
	return s;
}

kgss_status unwrap_iov(kgss_ctx *c, iov_set &r)
{
	int conf = -1;
	uint32_t qop = 0;
	return kgss_unwrap_iov(c, &conf, &qop, r.bind(), r.count());
}

const size_t kSizes[] = {0,    1,    15,   16,   17,   31,    32,    47,     48,     63,   64,
			 65,   79,   80,   127,  128,  129,   200,   1000,   4032,   4063, 4064,
			 4065, 4095, 4096, 4097, 8191, 65536, 65537, 100000, 1048576};

} // namespace

TEST_GROUP(stitch){};

// Plain kgss_wrap / kgss_unwrap: the same token both ways, cross-unwrapped.
static void plain_tokens_identical_once()
{
	uint64_t seed = 0x5717c4001ull;
	size_t checked = 0;
	for (int32_t et : kEtypes) {
		if (!compiled_in(et))
			continue;
		quad q(et, seed);
		for (size_t n : kSizes) {
			bytes msg(n);
			kt::fill_random(seed, msg.data(), n);
			bytes ts, tt2, out;
			LONGS_EQUAL(KGSS_S_COMPLETE, wrap(*q.s_snd, true, msg, &ts));
			LONGS_EQUAL(KGSS_S_COMPLETE, wrap(*q.t_snd, true, msg, &tt2));
			CHECK_TRUE(ts == tt2);
			LONGS_EQUAL(KGSS_S_COMPLETE, unwrap(*q.s_rcv, tt2, &out));
			CHECK_TRUE(out == msg);
			LONGS_EQUAL(KGSS_S_COMPLETE, unwrap(*q.t_rcv, ts, &out));
			CHECK_TRUE(out == msg);
			checked++;
		}
		engine_count *e = engine_for(et);
		if (e) {
			CHECK(e->encrypts > 0);
			CHECK(e->decrypts > 0);
		}
	}
	// With both AES families compiled out there is nothing to stitch (the
	// loops above skip every enctype); otherwise something must have run.
	CHECK(checked > 0 || !(kt::with_aes_sha1 || kt::with_aes_sha2));
}
TEST(stitch, plain_tokens_identical)
{
	CHECK(per_generation("plain_tokens_identical", plain_tokens_identical_once) > 0);
}

// A token with one bit flipped (in the ciphertext or the tag) fails on both
// paths, and the stitched receiver releases nothing.
static void tampered_tokens_fail_alike_once()
{
	uint64_t seed = 0x5717c4002ull;
	for (int32_t et : kEtypes) {
		if (!compiled_in(et))
			continue;
		quad q(et, seed);
		for (size_t n : {64u, 1000u, 65536u}) {
			bytes msg(n), tok;
			kt::fill_random(seed, msg.data(), n);
			LONGS_EQUAL(KGSS_S_COMPLETE, wrap(*q.s_snd, true, msg, &tok));
			for (size_t where : {(size_t)16 + 5, (size_t)16 + n / 2, tok.size() - 1}) {
				bytes bad = tok, out;
				bad[where] ^= 0x20;
				LONGS_EQUAL(KGSS_S_BAD_SIG, unwrap(*q.s_rcv, bad, &out));
				CHECK(out.empty());
				LONGS_EQUAL(KGSS_S_BAD_SIG, unwrap(*q.t_rcv, bad, &out));
				// The working area of a failed plain unwrap holds no plaintext.
				bytes area(bad.size() + 64, 0x77);
				kgss_buffer in = {bad.size(), bad.data()}, ob = {area.size(), area.data()};
				LONGS_EQUAL(KGSS_S_BAD_SIG, kgss_unwrap(*q.s_rcv, &in, &ob, nullptr, nullptr));
				LONGS_EQUAL(0, ob.length);
				CHECK(std::search(area.begin(), area.end(), msg.begin(), msg.begin() + 16) ==
				      area.end());
			}
		}
	}
}
TEST(stitch, tampered_tokens_fail_alike)
{
	CHECK(per_generation("tampered_tokens_fail_alike", tampered_tokens_fail_alike_once) > 0);
}

// kgss_wrap_iov over random DATA / SIGN_ONLY splits, with and without a
// TRAILER buffer: identical buffers both ways; each side unwraps the other's.
static void iov_random_splits_identical_once()
{
	uint64_t seed = 0x5717c4003ull;
	size_t checked = 0;
	for (int32_t et : kEtypes) {
		if (!compiled_in(et))
			continue;
		quad q(et, seed);
		for (size_t n : kSizes) {
			if (n > 100000)
				continue; // 1 MiB is covered by the plain test; keep the run short
			for (int variant = 0; variant < 4; variant++) {
				const bool trailer = variant & 1, sign_only = variant & 2;
				bytes msg(n);
				kt::fill_random(seed, msg.data(), n);
				uint64_t split_seed = seed;
				iov_set a = random_split(msg, split_seed, trailer, sign_only);
				split_seed = seed;
				iov_set b = random_split(msg, split_seed, trailer, sign_only);
				seed = split_seed;
				LONGS_EQUAL(KGSS_S_COMPLETE, wrap_iov(*q.s_snd, true, a));
				LONGS_EQUAL(KGSS_S_COMPLETE, wrap_iov(*q.t_snd, true, b));
				CHECK_EQUAL(a.count(), b.count());
				for (size_t i = 0; i < a.count(); i++)
					CHECK_TRUE(a.store[i] == b.store[i]);
				iov_set ra = receiver_copy(a), rb = receiver_copy(b);
				LONGS_EQUAL(KGSS_S_COMPLETE, unwrap_iov(*q.t_rcv, ra));
				LONGS_EQUAL(KGSS_S_COMPLETE, unwrap_iov(*q.s_rcv, rb));
				CHECK_TRUE(ra.data() == rb.data());
				bytes plain;
				for (size_t i = 0; i < rb.count(); i++)
					if (rb.types[i] == KGSS_IOV_DATA || rb.types[i] == KGSS_IOV_SIGN_ONLY)
						plain.insert(plain.end(), (uint8_t *)rb.iov[i].buffer.value,
							     (uint8_t *)rb.iov[i].buffer.value +
								     rb.iov[i].buffer.length);
				CHECK_TRUE(plain == msg);
				checked++;
			}
		}
	}
	// With both AES families compiled out there is nothing to stitch (the
	// loops above skip every enctype); otherwise something must have run.
	CHECK(checked > 0 || !(kt::with_aes_sha1 || kt::with_aes_sha2));
}
TEST(stitch, iov_random_splits_identical)
{
	CHECK(per_generation("iov_random_splits_identical", iov_random_splits_identical_once) > 0);
}

// The engines really carry the bulk: on a 64 KiB unwrap every unit of the
// message the MAC's block boundaries allow goes through them, also over an
// NFS-like page list where each unit into the next page is gathered; a wrap
// leaves at most one unit per segment to the two-pass path.
static void engines_carry_the_bulk_once()
{
	uint64_t seed = 0x5717c4004ull;
	for (int32_t et : kEtypes) {
		engine_count *e = engine_for(et);
		if (!compiled_in(et) || !e)
			continue;
		const size_t unit = e->real->unit;
		// Every unit the MAC's blocks allow: the message is 16 + 65536 + 16
		// bytes (confounder, data, header copy), of which CTS leaves the
		// last two blocks out; RFC 8009's MAC starts with a 16-byte IV, so
		// its first block boundary in the message lies unit - 16 bytes in.
		const size_t lead = et >= 19 ? unit - 16 : 0;
		const size_t every = (65536 - lead) / unit;
		quad q(et, seed);
		bytes msg(65536), tok, out;
		kt::fill_random(seed, msg.data(), msg.size());
		e->encrypts = e->decrypts = e->units = 0;
		LONGS_EQUAL(KGSS_S_COMPLETE, wrap(*q.s_snd, true, msg, &tok));
		LONGS_EQUAL(1, e->encrypts); // wrap gathers nothing: at most the unit with the confounder is two-pass
		CHECK(e->units + 1 >= every);
		e->units = 0;
		LONGS_EQUAL(KGSS_S_COMPLETE, unwrap(*q.s_rcv, tok, &out));
		CHECK(e->decrypts <= 2); // the unit with the confounder gathered, the rest in place
		LONGS_EQUAL(every, e->units);
		CHECK_TRUE(out == msg);
		// NFS-like page list: the confounder in HEADER puts every unit
		// across a page boundary.
		iov_set s;
		s.add(KGSS_IOV_HEADER);
		for (size_t off = 0; off < msg.size(); off += 4096)
			s.add(KGSS_IOV_DATA, bytes(msg.begin() + (long)off, msg.begin() + (long)off + 4096));
		s.add(KGSS_IOV_PADDING);
		s.add(KGSS_IOV_TRAILER);
		e->encrypts = e->units = 0;
		LONGS_EQUAL(KGSS_S_COMPLETE, wrap_iov(*q.s_snd, true, s));
		LONGS_EQUAL(16, e->encrypts); // per page its own units; the unit into the next page two-pass
		CHECK(e->units + 16 >= every);
		iov_set r = receiver_copy(s);
		e->decrypts = e->units = 0;
		LONGS_EQUAL(KGSS_S_COMPLETE, unwrap_iov(*q.s_rcv, r));
		CHECK(e->decrypts <= 32); // per page its own units in place, the one into the next page gathered
		LONGS_EQUAL(every, e->units);
		CHECK_TRUE(r.data() == msg);
	}
}
TEST(stitch, engines_carry_the_bulk)
{
	CHECK(per_generation("engines_carry_the_bulk", engines_carry_the_bulk_once) > 0);
}
