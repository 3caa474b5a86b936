// tests/crypto_builtin_hash/test_rc4.cc - builtin RC4 (kgss_builtin_rc4).
#include <string.h>

#include <openssl/evp.h>
#include <openssl/provider.h>

#include "crypto/util.h"
#include "prims_util.h"

#include <CppUTest/TestHarness.h>

#if KGSS_WITH_RC4

using kt::bytes;
using kt::hex;

namespace {

const kgss_stream_cipher_class *const R = &kgss_builtin_rc4;

// RFC 6229 section 2 (keys 0x0102...): keystream at selected offsets.
struct rc4_kat {
	const char *key;
	struct {
		size_t off;
		const char *ks;
	} at[6];
};

const rc4_kat KATS[] = {
	{"0102030405",
	 {{0x0000, "b2396305f03dc027ccc3524a0a1118a8"},
	  {0x0010, "6982944f18fc82d589c403a47a0d0919"},
	  {0x00f0, "28cb1132c96ce286421dcaadb8b69eae"},
	  {0x0100, "1cfcf62b03eddb641d77dfcf7f8d8c93"},
	  {0x0ff0, "068326a2118416d21f9d04b2cd1ca050"},
	  {0x1000, "ff25b58995996707e51fbdf08b34d875"}}},
	{"0102030405060708090a0b0c0d0e0f10",
	 {{0x0000, "9ac7cc9a609d1ef7b2932899cde41b97"},
	  {0x0010, "5248c4959014126a6e8a84f11d1a9e1c"},
	  {0x00f0, "065902e4b620f6cc36c8589f66432f2b"},
	  {0x0100, "d39d566bc6bce3010768151549f3873f"},
	  {0x0ff0, "ff38265c1642c1abe8d3c2fe5e572bf8"},
	  {0x1000, "a36a4c301ae8ac13610ccbc12256cacc"}}},
	{"0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20",
	 {{0x0000, "eaa6bd25880bf93d3f5d1e4ca2611d91"},
	  {0x0010, "cfa45c9f7e714b54bdfa80027cb14380"},
	  {0x00f0, "114ae344ded71b35f2e60febad727fd8"},
	  {0x0100, "02e1e7056b0f623900496422943e97b6"},
	  {0x0ff0, "a13a7c79c7e119b5ab0296ab28c300b9"},
	  {0x1000, "f3e4c0a2e02d1d01f7f0a74618af2b48"}}},
};

// RFC 6229 gives keystream bytes, i.e. RC4 applied to zeros.
bytes keystream(const bytes &key, size_t len, size_t piece)
{
	pt::state_buf st;
	bytes z(len, 0);
	LONGS_EQUAL(0, R->init(st.b, key.data(), key.size()));
	for (size_t off = 0; off < len; off += piece)
		LONGS_EQUAL(0, R->apply(st.b, z.data() + off, len - off < piece ? len - off : piece));
	R->clear(st.b);
	return z;
}

} // namespace

TEST_GROUP(rc4){};

TEST(rc4, class_shape) { CHECK(R->context_size <= KGSS_STREAM_STATE_MAX); }

TEST(rc4, rfc6229)
{
	for (const auto &k : KATS) {
		const bytes key = hex(k.key);
		// Whole stream in one call and in odd-sized pieces: same keystream.
		for (size_t piece : {(size_t)0x1010, (size_t)1, (size_t)17, (size_t)256}) {
			const bytes z = keystream(key, 0x1010, piece);
			for (const auto &a : k.at) {
				const bytes want = hex(a.ks);
				CHECK_TRUE(bytes(z.begin() + a.off, z.begin() + a.off + 16) == want);
			}
		}
	}
}

// Differential against OpenSSL (legacy provider): random 16-byte keys (the
// RFC 4757 size) and other lengths, data applied in random pieces.
TEST(rc4, vs_openssl)
{
	OSSL_PROVIDER *legacy = OSSL_PROVIDER_load(nullptr, "legacy");
	OSSL_PROVIDER *deflt = OSSL_PROVIDER_load(nullptr, "default");
	CHECK_TEXT(legacy != nullptr, "OpenSSL legacy provider (RC4) not available");
	EVP_CIPHER *rc4 = EVP_CIPHER_fetch(nullptr, "RC4", nullptr);
	CHECK(rc4 != nullptr);
	uint64_t seed = 0xc4;
	for (int it = 0; it < 200; it++) {
		uint8_t r[4];
		kt::fill_random(seed, r, sizeof r);
		size_t klen = it % 2 ? 16 : 1 + r[0] % 64;
		size_t len = ((size_t)r[1] << 4) | (r[2] & 15);
		bytes key(klen), data(len);
		kt::fill_random(seed, key.data(), klen);
		kt::fill_random(seed, data.data(), len);

		EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
		CHECK(EVP_EncryptInit_ex2(c, rc4, nullptr, nullptr, nullptr) == 1);
		CHECK(EVP_CIPHER_CTX_set_key_length(c, (int)klen) == 1);
		CHECK(EVP_EncryptInit_ex2(c, nullptr, key.data(), nullptr, nullptr) == 1);
		bytes ref(len + 1);
		int n = 0;
		CHECK(EVP_EncryptUpdate(c, ref.data(), &n, data.data(), (int)len) == 1);
		ref.resize((size_t)n);
		EVP_CIPHER_CTX_free(c);

		pt::state_buf st;
		LONGS_EQUAL(0, R->init(st.b, key.data(), klen));
		bytes x = data;
		size_t off = 0, step = 1 + r[3] % 100;
		while (off < len) {
			size_t m = len - off < step ? len - off : step;
			LONGS_EQUAL(0, R->apply(st.b, x.data() + off, m));
			off += m;
		}
		R->clear(st.b);
		CHECK_TRUE(x == ref);
	}
	EVP_CIPHER_free(rc4);
	OSSL_PROVIDER_unload(legacy);
	OSSL_PROVIDER_unload(deflt);
}

TEST(rc4, bad_key_and_cleared_state)
{
	pt::state_buf st;
	uint8_t key[257] = {1}, d[4] = {0};
	CHECK(R->init(st.b, key, 0) != 0);
	CHECK(R->apply(st.b, d, sizeof d) != 0);
	CHECK(R->init(st.b, key, 257) != 0);
	LONGS_EQUAL(0, R->init(st.b, key, 256));
	LONGS_EQUAL(0, R->apply(st.b, d, sizeof d));
	R->clear(st.b);
	CHECK(kgss::ct_all_equal(st.b, 0, R->context_size));
	CHECK(R->apply(st.b, d, sizeof d) != 0);
}

#endif // KGSS_WITH_RC4
