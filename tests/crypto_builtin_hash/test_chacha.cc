// tests/crypto_builtin_hash/test_chacha.cc - the ChaCha20 block function and
// the builtin PRNG (kgss_chacha_prng_*).
#include <string.h>

#include <algorithm>
#include <thread>
#include <vector>

#include <openssl/evp.h>

#include "crypto/prng/chacha.h"
#include "crypto/util.h"
#include "prims_util.h"

#include <CppUTest/TestHarness.h>

using kt::bytes;
using kt::hex;

namespace {

void key_words(const bytes &k, uint32_t w[8])
{
	for (int i = 0; i < 8; i++)
		w[i] = kgss::load_le32(k.data() + 4 * i);
}

// OpenSSL's ChaCha20 keystream: its 16-byte IV is state words 12..15
// little-endian, i.e. our 64-bit block counter followed by the zero nonce.
bytes ossl_keystream(const bytes &key, uint64_t counter, size_t len)
{
	uint8_t iv[16] = {0};
	kgss::store_le64(iv, counter);
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	CHECK(EVP_EncryptInit_ex(c, EVP_chacha20(), nullptr, key.data(), iv) == 1);
	bytes z(len, 0), out(len + 64);
	int n = 0;
	CHECK(EVP_EncryptUpdate(c, out.data(), &n, z.data(), (int)len) == 1);
	EVP_CIPHER_CTX_free(c);
	out.resize((size_t)n);
	return out;
}

} // namespace

TEST_GROUP(chacha20){};

// RFC 8439 section 2.3.2: key 00..1f, nonce 000000090000004a00000000, counter 1.
TEST(chacha20, rfc8439_2_3_2)
{
	bytes key(32);
	for (int i = 0; i < 32; i++)
		key[i] = (uint8_t)i;
	uint32_t kw[8];
	key_words(key, kw);
	const bytes nonce = hex("000000090000004a00000000");
	uint8_t out[64];
	kgss::chacha20_block_ietf(kw, 1, nonce.data(), out);
	CHECK_TRUE(bytes(out, out + 64) == hex("10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
					       "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e"));
}

// RFC 8439 Appendix A.1 test vectors #1 and #2 (zero key, zero nonce, block
// counters 0 and 1): the nonce words are zero, so they hold for the PRNG's
// 64-bit-counter layout too.
TEST(chacha20, rfc8439_a1)
{
	uint32_t kw[8] = {0};
	uint8_t out[64];
	kgss::chacha20_block(kw, 0, out);
	CHECK_TRUE(bytes(out, out + 64) == hex("76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
					       "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586"));
	kgss::chacha20_block(kw, 1, out);
	CHECK_TRUE(bytes(out, out + 64) == hex("9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
					       "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f"));
}

// The 64-bit counter spans words 12 and 13: blocks past 2^32 against OpenSSL.
TEST(chacha20, counter_high_word_vs_openssl)
{
	uint64_t seed = 8439;
	bytes key(32);
	kt::fill_random(seed, key.data(), key.size());
	uint32_t kw[8];
	key_words(key, kw);
	const uint64_t ctrs[] = {0, 7, 0xffffffffull, 0x100000000ull, 0x123456789abcdefull, (1ull << 60) - 1};
	for (uint64_t c : ctrs) {
		uint8_t out[64];
		kgss::chacha20_block(kw, c, out);
		CHECK_TRUE(bytes(out, out + 64) == ossl_keystream(key, c, 64));
	}
}

TEST_GROUP(chacha_prng){};

TEST(chacha_prng, init_rejects_bad_arguments)
{
	kgss_chacha_prng st;
	kgss_prng p;
	uint8_t seed[32] = {0};
	CHECK(kgss_chacha_prng_init(&st, seed, &p) != 0); // all-zero seed: entropy source not read
	seed[31] = 1;
	CHECK(kgss_chacha_prng_init(nullptr, seed, &p) != 0);
	CHECK(kgss_chacha_prng_init(&st, nullptr, &p) != 0);
	CHECK(kgss_chacha_prng_init(&st, seed, nullptr) != 0);
	LONGS_EQUAL(0, kgss_chacha_prng_init(&st, seed, &p));
	POINTERS_EQUAL(&st, p.ctx);
	CHECK(st.limit == (1ull << 60));
	kgss_chacha_prng_wipe(&st);
}

// Each call starts at a fresh block: call k returns keystream blocks
// [c_k, c_k + ceil(len_k / 64)) truncated to len_k, and c_{k+1} is the end of
// that range, so no two calls share a keystream byte.  Checked against
// OpenSSL's ChaCha20 keyed with the seed.
TEST(chacha_prng, consecutive_calls_never_overlap)
{
	uint64_t seed64 = 1;
	bytes seed(32);
	kt::fill_random(seed64, seed.data(), seed.size());
	kgss_chacha_prng st;
	kgss_prng p;
	LONGS_EQUAL(0, kgss_chacha_prng_init(&st, seed.data(), &p));
	const size_t lens[] = {1, 16, 63, 64, 65, 12, 128, 200, 0, 1000, 32};
	uint64_t ctr = 0;
	std::vector<bytes> seen;
	for (size_t len : lens) {
		bytes out(len + 1, 0xa5);
		LONGS_EQUAL(0, p.generate(p.ctx, out.data(), len));
		BYTES_EQUAL(0xa5, out[len]); // nothing written past len
		out.resize(len);
		CHECK_TRUE(out == ossl_keystream(seed, ctr, len));
		ctr += (len + 63) / 64;
		CHECK(st.counter == ctr);
		if (len >= 16) {
			for (const bytes &prev : seen) // no 16-byte prefix repeats
				CHECK(memcmp(prev.data(), out.data(), 16) != 0);
			seen.push_back(out);
		}
	}
	kgss_chacha_prng_wipe(&st);
	CHECK(kgss::ct_all_equal(&st, 0, sizeof st));
	uint8_t b[8];
	CHECK(p.generate(p.ctx, b, sizeof b) != 0); // a wiped state refuses to generate
}

// The reserved range must stay within st->limit; a failing call writes
// nothing and does not consume counter values.
TEST(chacha_prng, fails_at_limit)
{
	uint8_t seed[32];
	for (int i = 0; i < 32; i++)
		seed[i] = (uint8_t)(i * 7 + 1);
	kgss_chacha_prng st;
	kgss_prng p;
	LONGS_EQUAL(0, kgss_chacha_prng_init(&st, seed, &p));
	st.counter = st.limit - 3;
	uint8_t out[256];
	LONGS_EQUAL(0, p.generate(p.ctx, out, 128)); // blocks limit-3, limit-2
	CHECK(st.counter == st.limit - 1);
	memset(out, 0x5a, sizeof out);
	CHECK(p.generate(p.ctx, out, 65) != 0); // would need blocks limit-1, limit
	CHECK(st.counter == st.limit - 1);
	CHECK(kgss::ct_all_equal(out, 0x5a, sizeof out));
	LONGS_EQUAL(0, p.generate(p.ctx, out, 64)); // exactly the last block
	CHECK(st.counter == st.limit);
	CHECK(p.generate(p.ctx, out, 1) != 0);
	CHECK(st.counter == st.limit);
	// A long request that does not fit fails as a whole (nothing is written:
	// out is far shorter than the request, so a partial write would crash).
	st.counter = st.limit - 1000;
	CHECK(p.generate(p.ctx, out, 64 * 1000 + 1) != 0);
	CHECK(st.counter == st.limit - 1000);
	// A counter already past the limit (or near 2^64) never wraps around.
	st.counter = UINT64_MAX - 1;
	CHECK(p.generate(p.ctx, out, 64) != 0);
	CHECK(st.counter == UINT64_MAX - 1);
	st.counter = 0;
	LONGS_EQUAL(0, p.generate(p.ctx, out, 0)); // empty request: nothing reserved
	CHECK(st.counter == 0);
	kgss_chacha_prng_wipe(&st);
}

// Four threads share one state; every block handed out is distinct, and the
// union is exactly blocks 0 .. total-1 of the keystream.
TEST(chacha_prng, concurrent_callers_get_distinct_blocks)
{
	uint64_t seed64 = 4;
	bytes seed(32);
	kt::fill_random(seed64, seed.data(), seed.size());
	kgss_chacha_prng st;
	kgss_prng p;
	LONGS_EQUAL(0, kgss_chacha_prng_init(&st, seed.data(), &p));
	const int THREADS = 4, CALLS = 3000;
	std::vector<std::vector<bytes>> got(THREADS);
	std::vector<int> fails(THREADS, 0);
	std::vector<std::thread> th;
	for (int t = 0; t < THREADS; t++) {
		th.emplace_back([&, t] {
			for (int i = 0; i < CALLS; i++) {
				bytes b(64);
				if (p.generate(p.ctx, b.data(), b.size()) != 0)
					fails[t]++;
				got[t].push_back(b);
			}
		});
	}
	for (auto &x : th)
		x.join();
	for (int f : fails)
		LONGS_EQUAL(0, f);
	CHECK(st.counter == (uint64_t)(THREADS * CALLS));
	std::vector<bytes> all;
	for (auto &g : got)
		all.insert(all.end(), g.begin(), g.end());
	std::vector<bytes> want;
	const bytes ks = ossl_keystream(seed, 0, 64 * (size_t)THREADS * CALLS);
	for (size_t i = 0; i < (size_t)THREADS * CALLS; i++)
		want.emplace_back(ks.begin() + 64 * i, ks.begin() + 64 * (i + 1));
	std::sort(all.begin(), all.end());
	std::sort(want.begin(), want.end());
	CHECK(std::adjacent_find(all.begin(), all.end()) == all.end()); // all distinct
	CHECK_TRUE(all == want);
	kgss_chacha_prng_wipe(&st);
}
