// tests/crypto_builtin_block/test_aesni.cc - the AES-NI classes.  On a CPU
// without AES-NI every test prints "SKIPPED:" and CTest reports the
// executable as skipped (SKIP_REGULAR_EXPRESSION), never as passed.
#include "block_util.h"
#include "crypto/builtin/builtin.h"
#include "families.h"

#include <CppUTest/TestHarness.h>

#if KGSS_WITH_AES_SHA1 || KGSS_WITH_AES_SHA2

static bool have_ni()
{
	if (kgss::cpu_has_aesni())
		return true;
	UT_PRINT("SKIPPED: CPU has no AES-NI; the _ni classes were not exercised");
	return false;
}

TEST_GROUP(aes_ni){};

// source: FIPS-197 (Nov 2001) Appendix C.1 and C.3.
TEST(aes_ni, fips197_appendix_c)
{
	if (!have_ni())
		return;
	kbt::check_kat_ecb(&kgss_builtin_aes128_ni, "000102030405060708090a0b0c0d0e0f",
			   "00112233445566778899aabbccddeeff", "69c4e0d86a7b0430d8cdb78070b4c55a");
	kbt::check_kat_ecb(&kgss_builtin_aes256_ni,
			   "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
			   "00112233445566778899aabbccddeeff", "8ea2b7ca516745bfeafc49904b496089");
}

// source: NIST SP 800-38A (Dec 2001) Appendix F.2.1/F.2.2 and F.2.5/F.2.6.
TEST(aes_ni, sp800_38a_cbc)
{
	if (!have_ni())
		return;
	const char *iv = "000102030405060708090a0b0c0d0e0f";
	const char *pt = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
			 "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
	kbt::check_kat_cbc(&kgss_builtin_aes128_ni, "2b7e151628aed2a6abf7158809cf4f3c", iv, pt,
			   "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"
			   "73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7");
	kbt::check_kat_cbc(&kgss_builtin_aes256_ni,
			   "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4", iv, pt,
			   "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"
			   "39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b");
}

TEST(aes_ni, state_contract)
{
	if (!have_ni())
		return;
	kbt::check_state_contract(&kgss_builtin_aes128_ni, 16);
	kbt::check_state_contract(&kgss_builtin_aes256_ni, 32);
	STRCMP_EQUAL("aes128-ni", kgss_builtin_aes128_ni.name);
	STRCMP_EQUAL("aes256-ni", kgss_builtin_aes256_ni.name);
}

TEST(aes_ni, vs_openssl_aes128)
{
	if (!have_ni())
		return;
	kbt::check_vs_openssl(&kgss_builtin_aes128_ni, "AES-128-ECB", "AES-128-CBC", 0x1111, 3);
}

TEST(aes_ni, vs_openssl_aes256)
{
	if (!have_ni())
		return;
	kbt::check_vs_openssl(&kgss_builtin_aes256_ni, "AES-256-ECB", "AES-256-CBC", 0x2222, 3);
}

// ct and ni are interchangeable: same outputs, each decrypts the other.
TEST(aes_ni, same_as_ct)
{
	if (!have_ni())
		return;
	kbt::check_same_cipher(&kgss_builtin_aes128_ct, &kgss_builtin_aes128_ni, 0x3333, 120);
	kbt::check_same_cipher(&kgss_builtin_aes256_ct, &kgss_builtin_aes256_ni, 0x4444, 120);
}

#else

// Built without the AES enctypes (KGSS_WITH_AES_SHA1/2 = 0): no AES class
// in any builtin backend variant (crypto/builtin/backend.cc), which is
// checked rather than skipped.
TEST_GROUP(aes_ni){};
TEST(aes_ni, compiled_out)
{
	for (const kgss_crypto_backend *be : {kgss_crypto_builtin(), kgss_crypto_builtin_portable()}) {
		POINTERS_EQUAL(nullptr, be->aes128);
		POINTERS_EQUAL(nullptr, be->aes256);
	}
	kt::note_compiled_out(17, "builtin aes128/aes256 classes NULL");
	kt::note_compiled_out(19, "builtin aes128/aes256 classes NULL");
}

#endif
