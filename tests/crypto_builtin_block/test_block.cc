// tests/crypto_builtin_block/test_block.cc - the portable builtin block
// ciphers: constant-time AES-128/256 and Camellia-128/256, plus the cpuid
// feature probes of crypto/builtin/cpu.cc.
#include "block_util.h"
#include "families.h"
#include "crypto/builtin/builtin.h"

#include <CppUTest/TestHarness.h>
#include <fstream>
#include <sstream>
#include <string>

// ---- known answers ---------------------------------------------------------------

// source: FIPS-197 (Nov 2001) Appendix C.1 (AES-128) and C.3 (AES-256),
// "Example Vectors": plaintext 00112233445566778899aabbccddeeff, key 000102...
static const char *const kFips197Pt = "00112233445566778899aabbccddeeff";
static const char *const kFips197Key128 = "000102030405060708090a0b0c0d0e0f";
static const char *const kFips197Ct128 = "69c4e0d86a7b0430d8cdb78070b4c55a";
static const char *const kFips197Key256 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
static const char *const kFips197Ct256 = "8ea2b7ca516745bfeafc49904b496089";

// source: NIST SP 800-38A (Dec 2001) Appendix F.2.1/F.2.2 (CBC-AES128) and
// F.2.5/F.2.6 (CBC-AES256): the four-block example.
static const char *const kSp38aIv = "000102030405060708090a0b0c0d0e0f";
static const char *const kSp38aPt = "6bc1bee22e409f96e93d7e117393172a"
				    "ae2d8a571e03ac9c9eb76fac45af8e51"
				    "30c81c46a35ce411e5fbc1191a0a52ef"
				    "f69f2445df4f9b17ad2b417be66c3710";
static const char *const kSp38aKey128 = "2b7e151628aed2a6abf7158809cf4f3c";
static const char *const kSp38aCt128 = "7649abac8119b246cee98e9b12e9197d"
				       "5086cb9b507219ee95db113a917678b2"
				       "73bed6b8e3c1743b7116e69e22229516"
				       "3ff1caa1681fac09120eca307586e1a7";
static const char *const kSp38aKey256 = "603deb1015ca71be2b73aef0857d7781"
					"1f352c073b6108d72d9810a30914dff4";
static const char *const kSp38aCt256 = "f58c4c04d6e5f1ba779eabfb5f7bfbd6"
				       "9cfc4e967edb808d679f777bc6702c7d"
				       "39f23369a9d9bacfa530e26304231461"
				       "b2eb05e2c39be9fcda6c19078c6a9d1b";

// source: RFC 3713 Appendix A, "Example Data of Camellia" (128- and 256-bit
// keys; the library has no Camellia-192).
static const char *const kRfc3713Pt = "0123456789abcdeffedcba9876543210";
static const char *const kRfc3713Key128 = "0123456789abcdeffedcba9876543210";
static const char *const kRfc3713Ct128 = "67673138549669730857065648eabe43";
static const char *const kRfc3713Key256 = "0123456789abcdeffedcba987654321000112233445566778899aabbccddeeff";
static const char *const kRfc3713Ct256 = "9acc237dff16d76c20ef7c919e3a7509";

#if KGSS_WITH_AES_SHA1 || KGSS_WITH_AES_SHA2

TEST_GROUP(aes_ct){};

TEST(aes_ct, fips197_appendix_c)
{
	kbt::check_kat_ecb(&kgss_builtin_aes128_ct, kFips197Key128, kFips197Pt, kFips197Ct128);
	kbt::check_kat_ecb(&kgss_builtin_aes256_ct, kFips197Key256, kFips197Pt, kFips197Ct256);
}

TEST(aes_ct, sp800_38a_cbc)
{
	kbt::check_kat_cbc(&kgss_builtin_aes128_ct, kSp38aKey128, kSp38aIv, kSp38aPt, kSp38aCt128);
	kbt::check_kat_cbc(&kgss_builtin_aes256_ct, kSp38aKey256, kSp38aIv, kSp38aPt, kSp38aCt256);
}

TEST(aes_ct, state_contract)
{
	kbt::check_state_contract(&kgss_builtin_aes128_ct, 16);
	kbt::check_state_contract(&kgss_builtin_aes256_ct, 32);
	STRCMP_EQUAL("aes128-ct", kgss_builtin_aes128_ct.name);
	STRCMP_EQUAL("aes256-ct", kgss_builtin_aes256_ct.name);
}

TEST(aes_ct, vs_openssl_aes128)
{
	kbt::check_vs_openssl(&kgss_builtin_aes128_ct, "AES-128-ECB", "AES-128-CBC", 0x1234, 2);
}

TEST(aes_ct, vs_openssl_aes256)
{
	kbt::check_vs_openssl(&kgss_builtin_aes256_ct, "AES-256-ECB", "AES-256-CBC", 0x5678, 2);
}

// Every one of the 256 byte values through the bitsliced S-box and its
// inverse: ECB on keys/plaintexts that sweep all bytes, against OpenSSL.
TEST(aes_ct, all_byte_values_vs_openssl)
{
	kt::bytes key(16), pt(256 * 16);
	for (size_t i = 0; i < pt.size(); i++)
		pt[i] = (uint8_t)(i / 16 + i % 16);
	for (int k = 0; k < 16; k++) {
		for (int i = 0; i < 16; i++)
			key[i] = (uint8_t)(k * 16 + i);
		kbt::schedule s(&kgss_builtin_aes128_ct);
		LONGS_EQUAL(0, kgss_builtin_aes128_ct.init(s.mem, key.data(), 16));
		kt::bytes d = pt;
		LONGS_EQUAL(0, kgss_builtin_aes128_ct.ecb_encrypt(s.mem, d.data(), 256));
		CHECK(d == kbt::ossl("AES-128-ECB", key, {}, pt, true));
		d = pt;
		LONGS_EQUAL(0, kgss_builtin_aes128_ct.ecb_decrypt(s.mem, d.data(), 256));
		CHECK(d == kbt::ossl("AES-128-ECB", key, {}, pt, false));
	}
}

#endif

#if KGSS_WITH_CAMELLIA

TEST_GROUP(camellia){};

TEST(camellia, rfc3713_appendix_a)
{
	kbt::check_kat_ecb(&kgss_builtin_camellia128, kRfc3713Key128, kRfc3713Pt, kRfc3713Ct128);
	kbt::check_kat_ecb(&kgss_builtin_camellia256, kRfc3713Key256, kRfc3713Pt, kRfc3713Ct256);
}

TEST(camellia, state_contract)
{
	kbt::check_state_contract(&kgss_builtin_camellia128, 16);
	kbt::check_state_contract(&kgss_builtin_camellia256, 32);
}

// CBC chaining/cbc_mac checks with an OpenSSL-computed expectation (RFC 3713
// has ECB examples only).
TEST(camellia, cbc_chaining)
{
	kt::bytes key = kt::hex(kRfc3713Key256), iv = kt::hex(kSp38aIv), pt = kt::hex(kSp38aPt);
	kt::bytes ct = kbt::ossl("CAMELLIA-256-CBC", key, iv, pt, true);
	kbt::check_kat_cbc(&kgss_builtin_camellia256, kRfc3713Key256, kSp38aIv, kSp38aPt, kt::to_hex(ct).c_str());
	key = kt::hex(kRfc3713Key128);
	ct = kbt::ossl("CAMELLIA-128-CBC", key, iv, pt, true);
	kbt::check_kat_cbc(&kgss_builtin_camellia128, kRfc3713Key128, kSp38aIv, kSp38aPt, kt::to_hex(ct).c_str());
}

TEST(camellia, vs_openssl_camellia128)
{
	kbt::check_vs_openssl(&kgss_builtin_camellia128, "CAMELLIA-128-ECB", "CAMELLIA-128-CBC", 0x9abc, 2);
}

TEST(camellia, vs_openssl_camellia256)
{
	kbt::check_vs_openssl(&kgss_builtin_camellia256, "CAMELLIA-256-ECB", "CAMELLIA-256-CBC", 0xdef0, 2);
}

#endif

// ---- cpuid probes vs an independent view -------------------------------------------
//
// The oracle is the compiler runtime's own cpuid decoding
// (__builtin_cpu_supports), which sees the same CPU as the process even
// under emulators such as valgrind (whose virtual CPU has no SHA-NI while
// /proc/cpuinfo still describes the host).  Clang 14 has no "sha" feature
// name there, so with clang SHA-NI is checked against /proc/cpuinfo.

TEST_GROUP(cpu){};

TEST(cpu, matches_compiler_runtime)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_cpu_init();
	bool aes = __builtin_cpu_supports("aes") && __builtin_cpu_supports("sse4.1") && __builtin_cpu_supports("sse2");
	CHECK_EQUAL(aes, kgss::cpu_has_aesni());
	// libgcc / compiler-rt also require the OS to save the AVX state (XCR0).
	CHECK_EQUAL(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2"), kgss::cpu_has_avx2_bmi2());
	bool base = __builtin_cpu_supports("ssse3") && __builtin_cpu_supports("sse4.1") && __builtin_cpu_supports("sse2");
#if defined(__clang__)
	std::ifstream in("/proc/cpuinfo");
	std::string line, flags;
	while (std::getline(in, line))
		if (line.rfind("flags", 0) == 0) {
			flags = " " + line.substr(line.find(':') + 1) + " ";
			break;
		}
	if (flags.empty()) {
		UT_PRINT("SKIPPED: no /proc/cpuinfo flags line; cpu_has_shani() not cross-checked");
		return;
	}
	bool sha = flags.find(" sha_ni ") != std::string::npos;
#else
	bool sha = __builtin_cpu_supports("sha");
#endif
	CHECK_EQUAL(base && sha, kgss::cpu_has_shani());
#else
	CHECK_FALSE(kgss::cpu_has_aesni());
	CHECK_FALSE(kgss::cpu_has_shani());
	CHECK_FALSE(kgss::cpu_has_avx2_bmi2());
#endif
}

// The family switches reach the builtin backend exactly as
// crypto/builtin/backend.cc says: a primitive only an off family needs is
// NULL in every variant; the hashes stay (the KDFs and other families use them).
TEST_GROUP(builtin_families){};

TEST(builtin_families, primitives_follow_the_family_switches)
{
	const bool aes = kt::with_aes_sha1 || kt::with_aes_sha2;
	for (const kgss_crypto_backend *be : {kgss_crypto_builtin(), kgss_crypto_builtin_portable()}) {
		CHECK_EQUAL(aes, be->aes128 != nullptr);
		CHECK_EQUAL(aes, be->aes256 != nullptr);
		CHECK_EQUAL(kt::with_camellia, be->camellia128 != nullptr);
		CHECK_EQUAL(kt::with_camellia, be->camellia256 != nullptr);
		CHECK_EQUAL(kt::with_des3, be->des3 != nullptr);
		CHECK_EQUAL(kt::with_rc4, be->rc4 != nullptr);
		CHECK_EQUAL(kt::with_rc4, be->md5 != nullptr);
		CHECK(be->sha1 != nullptr && be->sha256 != nullptr && be->sha384 != nullptr);
	}
	if (!aes) {
		kt::note_compiled_out(17, "builtin aes128/aes256 NULL");
		kt::note_compiled_out(19, "builtin aes128/aes256 NULL");
	}
	if (!kt::with_camellia)
		kt::note_compiled_out(25, "builtin camellia128/camellia256 NULL");
	if (!kt::with_des3)
		kt::note_compiled_out(16, "builtin des3 NULL");
	if (!kt::with_rc4)
		kt::note_compiled_out(23, "builtin rc4/md5 NULL");
}
