// tests/crypto_builtin_block/test_block.cc - what only the builtin backend
// has: the cpuid feature probes of crypto/builtin/cpu.cc, its class names and
// run-time class selection (crypto/builtin/backend.cc), the family switches.
#include "crypto/builtin/builtin.h"
#include "families.h"

#include <CppUTest/TestHarness.h>
#include <fstream>
#include <sstream>
#include <string>

// ---- class names and run-time selection -----------------------------------------------
//
// The known answers, the state contract and the differential runs of these
// classes are in tests/backend_conformance (entries builtin-portable,
// builtin-aesni, builtin-shani, builtin-avx2, builtin).

TEST_GROUP(builtin_classes){};

TEST(builtin_classes, names)
{
#if KGSS_WITH_AES_SHA1 || KGSS_WITH_AES_SHA2
	STRCMP_EQUAL("aes128-ct", kgss_builtin_aes128_ct.name);
	STRCMP_EQUAL("aes256-ct", kgss_builtin_aes256_ct.name);
	STRCMP_EQUAL("aes128-ni", kgss_builtin_aes128_ni.name);
	STRCMP_EQUAL("aes256-ni", kgss_builtin_aes256_ni.name);
#endif
	STRCMP_EQUAL("sha1-ni", kgss_builtin_sha1_ni.name);
	STRCMP_EQUAL("sha256-ni", kgss_builtin_sha256_ni.name);
	STRCMP_EQUAL("sha384-avx2", kgss_builtin_sha384_avx2.name);
	// The SIMD hash classes share the portable state layout (one state may
	// be continued by either; crypto/builtin/simd.h relies on it).
	LONGS_EQUAL(kgss_builtin_sha1.context_size, kgss_builtin_sha1_ni.context_size);
	LONGS_EQUAL(kgss_builtin_sha256.context_size, kgss_builtin_sha256_ni.context_size);
	LONGS_EQUAL(kgss_builtin_sha384.context_size, kgss_builtin_sha384_avx2.context_size);
}

// kgss_crypto_builtin() picks each SIMD class exactly when cpuid says the
// CPU runs it, and kgss_crypto_builtin_portable() never does.
TEST(builtin_classes, runtime_selection_follows_cpuid)
{
	const kgss_crypto_backend *b = kgss_crypto_builtin(), *p = kgss_crypto_builtin_portable();
#if KGSS_WITH_AES_SHA1 || KGSS_WITH_AES_SHA2
	POINTERS_EQUAL(kgss::cpu_has_aesni() ? &kgss_builtin_aes128_ni : &kgss_builtin_aes128_ct, b->aes128);
	POINTERS_EQUAL(kgss::cpu_has_aesni() ? &kgss_builtin_aes256_ni : &kgss_builtin_aes256_ct, b->aes256);
	POINTERS_EQUAL(&kgss_builtin_aes128_ct, p->aes128);
	POINTERS_EQUAL(&kgss_builtin_aes256_ct, p->aes256);
#endif
	POINTERS_EQUAL(kgss::cpu_has_shani() ? &kgss_builtin_sha1_ni : &kgss_builtin_sha1, b->sha1);
	POINTERS_EQUAL(kgss::cpu_has_shani() ? &kgss_builtin_sha256_ni : &kgss_builtin_sha256, b->sha256);
	POINTERS_EQUAL(kgss::cpu_has_avx2_bmi2() ? &kgss_builtin_sha384_avx2 : &kgss_builtin_sha384, b->sha384);
	POINTERS_EQUAL(&kgss_builtin_sha1, p->sha1);
	POINTERS_EQUAL(&kgss_builtin_sha256, p->sha256);
	POINTERS_EQUAL(&kgss_builtin_sha384, p->sha384);
}

#if KGSS_BUILTIN_HAVE_STITCH
// The stitched engines pair the AES-NI classes with the SIMD hash classes, and
// kgss_crypto_builtin() offers each exactly when the CPU runs both halves:
// the VAES generation (decryption on 512-bit registers) where the CPU has
// AVX-512F and VAES too.  Both generations encrypt alike (one function).
TEST(builtin_classes, stitched_engines)
{
	const kgss_cbc_hash_class *const ni[] = {&kgss_builtin_cbc_sha1_ni, &kgss_builtin_cbc_sha256_ni,
						 &kgss_builtin_cbc_sha384_avx2};
	const kgss_cbc_hash_class *const vaes[] = {&kgss_builtin_cbc_sha1_vaes, &kgss_builtin_cbc_sha256_vaes,
						   &kgss_builtin_cbc_sha384_vaes};
	const char *const ni_names[] = {"aes-ni+sha1-ni", "aes-ni+sha256-ni", "aes-ni+sha384-bmi2"};
	const char *const vaes_names[] = {"vaes512+sha1-ni", "vaes512+sha256-ni", "vaes512+sha384-bmi2"};
	const kgss_hash_class *const hashes[] = {&kgss_builtin_sha1_ni, &kgss_builtin_sha256_ni,
						 &kgss_builtin_sha384_avx2};
	for (int i = 0; i < 3; i++) {
		STRCMP_EQUAL(ni_names[i], ni[i]->name);
		STRCMP_EQUAL(vaes_names[i], vaes[i]->name);
		for (const kgss_cbc_hash_class *e : {ni[i], vaes[i]}) {
			POINTERS_EQUAL(&kgss_builtin_aes128_ni, e->cipher_a);
			POINTERS_EQUAL(&kgss_builtin_aes256_ni, e->cipher_b);
			POINTERS_EQUAL(hashes[i], e->hash);
			LONGS_EQUAL(e->hash->block_size, e->unit);
		}
		FUNCTIONPOINTERS_EQUAL(ni[i]->encrypt, vaes[i]->encrypt);
		CHECK(ni[i]->decrypt != vaes[i]->decrypt);
	}
	const bool aesni = kgss::cpu_has_aesni(), shani = aesni && kgss::cpu_has_shani(),
		   avx2 = aesni && kgss::cpu_has_avx2_bmi2(), wide = kgss::cpu_has_vaes512();
	const kgss_crypto_backend *b = kgss_crypto_builtin(), *p = kgss_crypto_builtin_portable();
	POINTERS_EQUAL(!shani ? nullptr : wide ? vaes[0] : ni[0], b->cbc_sha1);
	POINTERS_EQUAL(!shani ? nullptr : wide ? vaes[1] : ni[1], b->cbc_sha256);
	POINTERS_EQUAL(!avx2 ? nullptr : wide ? vaes[2] : ni[2], b->cbc_sha384);
	POINTERS_EQUAL(nullptr, p->cbc_sha1);
	POINTERS_EQUAL(nullptr, p->cbc_sha256);
	POINTERS_EQUAL(nullptr, p->cbc_sha384);
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
	// ... and the 512-bit state (XCR0 bits 5 to 7) for AVX-512F.
	CHECK_EQUAL(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("avx512f") &&
			    __builtin_cpu_supports("vaes"),
		    kgss::cpu_has_vaes512());
	bool base =
		__builtin_cpu_supports("ssse3") && __builtin_cpu_supports("sse4.1") && __builtin_cpu_supports("sse2");
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
	CHECK_FALSE(kgss::cpu_has_vaes512());
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
