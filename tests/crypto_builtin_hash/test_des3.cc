// tests/crypto_builtin_hash/test_des3.cc - builtin DES-EDE3 (kgss_builtin_des3).
#include <string.h>

#include <openssl/evp.h>

#include "crypto/util.h"
#include "prims_util.h"

#include <CppUTest/TestHarness.h>

#if KGSS_WITH_DES3

using kt::bytes;
using kt::hex;

namespace {

const kgss_block_cipher_class *const D = &kgss_builtin_des3;

struct des3 {
	pt::state_buf ks;
	explicit des3(const bytes &key) { LONGS_EQUAL(0, D->init(ks.b, key.data(), key.size())); }
	~des3() { D->clear(ks.b); }
};

// OpenSSL EVP des-ede3-cbc (3-key), no padding, one shot.
bytes ossl_cbc(bool enc, const bytes &key, const bytes &iv, const bytes &in)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	CHECK(c != nullptr);
	CHECK(EVP_CipherInit_ex(c, EVP_des_ede3_cbc(), nullptr, key.data(), iv.data(), enc ? 1 : 0) == 1);
	EVP_CIPHER_CTX_set_padding(c, 0);
	bytes out(in.size() + 8);
	int n = 0, m = 0;
	CHECK(EVP_CipherUpdate(c, out.data(), &n, in.data(), (int)in.size()) == 1);
	CHECK(EVP_CipherFinal_ex(c, out.data() + n, &m) == 1);
	EVP_CIPHER_CTX_free(c);
	out.resize((size_t)(n + m));
	return out;
}

} // namespace

TEST_GROUP(des3){};

TEST(des3, class_shape)
{
	CHECK(D->context_size <= KGSS_CIPHER_STATE_MAX);
	LONGS_EQUAL(8, D->block_size);
	LONGS_EQUAL(24, D->key_size);
}

// NIST SP 800-67 Rev. 1, Appendix B "Example of TDEA" (three distinct keys,
// ECB on the 24-byte plaintext "The qufck brown fox jump").
TEST(des3, sp800_67_example)
{
	const bytes key = hex("0123456789abcdef23456789abcdef01456789abcdef0123");
	const bytes p = hex("5468652071756663" "6b2062726f776e20" "666f78206a756d70");
	const bytes c = hex("a826fd8ce53b855f" "cce21c8112256fe6" "68d5c05dd9b6b900");
	des3 k(key);
	bytes x = p;
	LONGS_EQUAL(0, D->ecb_encrypt(k.ks.b, x.data(), 3));
	CHECK_TRUE(x == c);
	LONGS_EQUAL(0, D->ecb_decrypt(k.ks.b, x.data(), 3));
	CHECK_TRUE(x == p);
}

// With K1 = K2 = K3 TDEA is single DES.  FIPS 81 Appendix B Table B1 (ECB)
// and Appendix C Table C1 (CBC, IV 1234567890abcdef), key 0123456789abcdef,
// plaintext "Now is the time for all ".
TEST(des3, fips81_single_des)
{
	const bytes key = hex("0123456789abcdef0123456789abcdef0123456789abcdef");
	const bytes p = hex("4e6f772069732074" "68652074696d6520" "666f7220616c6c20");
	des3 k(key);
	bytes x = p;
	LONGS_EQUAL(0, D->ecb_encrypt(k.ks.b, x.data(), 3));
	CHECK_TRUE(x == hex("3fa40e8a984d4815" "6a271787ab8883f9" "893d51ec4b563b53"));

	const bytes cbc = hex("e5c7cdde872bf27c" "43e934008c389c0f" "683788499a7c05f6");
	bytes iv = hex("1234567890abcdef");
	x = p;
	LONGS_EQUAL(0, D->cbc_encrypt(k.ks.b, iv.data(), x.data(), 3));
	CHECK_TRUE(x == cbc);
	CHECK_TRUE(iv == hex("683788499a7c05f6")); // iv carries the last ciphertext block
	iv = hex("1234567890abcdef");
	LONGS_EQUAL(0, D->cbc_decrypt(k.ks.b, iv.data(), x.data(), 3));
	CHECK_TRUE(x == p);
	CHECK_TRUE(iv == hex("683788499a7c05f6"));
}

// NIST SP 800-20 Table A.1 (TMOVS variable plaintext known answer test),
// keys 0101...01: first entries.  Parity bits are ignored, so the key with
// every parity bit cleared gives the same answers.
TEST(des3, sp800_20_variable_plaintext)
{
	const bytes k1 = hex("010101010101010101010101010101010101010101010101");
	const bytes k0(24, 0);
	const char *const vec[][2] = {
		{"8000000000000000", "95f8a5e5dd31d900"},
		{"4000000000000000", "dd7f121ca5015619"},
	};
	for (const bytes *key : {&k1, &k0}) {
		des3 k(*key);
		for (const auto &v : vec) {
			bytes x = hex(v[0]);
			LONGS_EQUAL(0, D->ecb_encrypt(k.ks.b, x.data(), 1));
			CHECK_TRUE(x == hex(v[1]));
			LONGS_EQUAL(0, D->ecb_decrypt(k.ks.b, x.data(), 1));
			CHECK_TRUE(x == hex(v[0]));
		}
	}
}

// Differential against OpenSSL: random keys, IVs, lengths; CBC encrypt and
// decrypt done in two chained calls (iv carries over); cbc_mac equals the
// last CBC block and leaves data untouched.
TEST(des3, cbc_vs_openssl)
{
	uint64_t seed = 0xde53;
	for (int it = 0; it < 300; it++) {
		bytes key(24), iv(8);
		kt::fill_random(seed, key.data(), key.size());
		kt::fill_random(seed, iv.data(), iv.size());
		uint8_t r[2];
		kt::fill_random(seed, r, 2);
		size_t nb = r[0] % 40, cut = nb ? r[1] % (nb + 1) : 0;
		bytes p(8 * nb);
		kt::fill_random(seed, p.data(), p.size());
		const bytes ref = ossl_cbc(true, key, iv, p);

		des3 k(key);
		bytes x = p, v = iv;
		LONGS_EQUAL(0, D->cbc_encrypt(k.ks.b, v.data(), x.data(), cut));
		LONGS_EQUAL(0, D->cbc_encrypt(k.ks.b, v.data(), x.data() + 8 * cut, nb - cut));
		CHECK_TRUE(x == ref);
		CHECK_TRUE(v == (nb ? bytes(ref.end() - 8, ref.end()) : iv));

		bytes m = iv;
		const bytes before = p;
		LONGS_EQUAL(0, D->cbc_mac(k.ks.b, m.data(), p.data(), nb));
		CHECK_TRUE(p == before);
		CHECK_TRUE(m == v);

		CHECK_TRUE(ossl_cbc(false, key, iv, ref) == p);
		v = iv;
		LONGS_EQUAL(0, D->cbc_decrypt(k.ks.b, v.data(), x.data(), cut));
		LONGS_EQUAL(0, D->cbc_decrypt(k.ks.b, v.data(), x.data() + 8 * cut, nb - cut));
		CHECK_TRUE(x == p);
	}
}

TEST(des3, bad_key_and_dead_schedule)
{
	pt::state_buf ks;
	uint8_t key[24] = {1}, blk[8] = {0}, iv[8] = {0};
	CHECK(D->init(ks.b, key, 16) != 0);
	CHECK(D->ecb_encrypt(ks.b, blk, 1) != 0); // failed init leaves no usable schedule
	LONGS_EQUAL(0, D->init(ks.b, key, 24));
	D->clear(ks.b);
	CHECK(kgss::ct_all_equal(ks.b, 0, D->context_size));
	CHECK(D->ecb_decrypt(ks.b, blk, 1) != 0);
	CHECK(D->cbc_encrypt(ks.b, iv, blk, 1) != 0);
	CHECK(D->cbc_decrypt(ks.b, iv, blk, 1) != 0);
	CHECK(D->cbc_mac(ks.b, iv, blk, 1) != 0);
}

#endif // KGSS_WITH_DES3
