// crypto/builtin/backend.cc - the builtin backend: const tables of the
// portable primitives, and variants using AES-NI / SHA-NI / AVX2 with BMI2
// (SHA-384).  kgss_crypto_builtin() chooses between them with cpuid on every
// call (nothing is cached), so the core keeps no mutable global state.
#include "crypto/builtin/builtin.h"

namespace {

// One table per combination of CPU extensions; the families compiled out
// leave their pointers NULL (the library then answers UNAVAILABLE).
constexpr kgss_crypto_backend make_builtin(bool aesni, bool shani, bool avx2, bool vaes)
{
	kgss_crypto_backend b = {};
	b.abi_version = KGSS_CRYPTO_ABI_VERSION;
	b.name = "builtin";
#if KGSS_WITH_AES_SHA1 || KGSS_WITH_AES_SHA2
	b.aes128 = aesni ? &kgss_builtin_aes128_ni : &kgss_builtin_aes128_ct;
	b.aes256 = aesni ? &kgss_builtin_aes256_ni : &kgss_builtin_aes256_ct;
#endif
#if KGSS_WITH_CAMELLIA
	b.camellia128 = &kgss_builtin_camellia128;
	b.camellia256 = &kgss_builtin_camellia256;
#endif
#if KGSS_WITH_DES3
	b.des3 = &kgss_builtin_des3;
#endif
#if KGSS_WITH_RC4
	b.rc4 = &kgss_builtin_rc4;
	b.md5 = &kgss_builtin_md5;
#endif
	b.sha1 = shani ? &kgss_builtin_sha1_ni : &kgss_builtin_sha1;
	b.sha256 = shani ? &kgss_builtin_sha256_ni : &kgss_builtin_sha256;
	b.sha384 = avx2 ? &kgss_builtin_sha384_avx2 : &kgss_builtin_sha384;
#if KGSS_BUILTIN_HAVE_STITCH
	// The stitched engines work on the AES-NI schedules and SHA-NI states;
	// with VAES on 512-bit registers, the decryption runs four blocks per
	// instruction.
#if KGSS_WITH_AES_SHA1
	b.cbc_sha1 = !(aesni && shani) ? nullptr : vaes ? &kgss_builtin_cbc_sha1_vaes : &kgss_builtin_cbc_sha1_ni;
#endif
#if KGSS_WITH_AES_SHA2
	b.cbc_sha256 = !(aesni && shani) ? nullptr : vaes ? &kgss_builtin_cbc_sha256_vaes : &kgss_builtin_cbc_sha256_ni;
	b.cbc_sha384 = !(aesni && avx2) ? nullptr
		       : vaes           ? &kgss_builtin_cbc_sha384_vaes
					: &kgss_builtin_cbc_sha384_avx2;
#endif
#else
	(void)vaes;
#endif
	return b;
}

// Constant-initialised (constexpr): no static constructor runs.  Index:
// bit 0 AES-NI, bit 1 SHA-NI, bit 2 AVX2 and BMI2, bit 3 VAES on 512-bit
// registers.
constexpr kgss_crypto_backend variant(unsigned i) { return make_builtin(i & 1, i & 2, i & 4, i & 8); }
constexpr kgss_crypto_backend builtin_variants[16] = {
	variant(0), variant(1), variant(2),  variant(3),  variant(4),  variant(5),  variant(6),  variant(7),
	variant(8), variant(9), variant(10), variant(11), variant(12), variant(13), variant(14), variant(15),
};

} // namespace

extern "C" const kgss_crypto_backend *kgss_crypto_builtin_portable(void) { return &builtin_variants[0]; }

extern "C" const kgss_crypto_backend *kgss_crypto_builtin(void)
{
	const unsigned i = (kgss::cpu_has_aesni() ? 1u : 0u) | (kgss::cpu_has_shani() ? 2u : 0u) |
			   (kgss::cpu_has_avx2_bmi2() ? 4u : 0u) | (kgss::cpu_has_vaes512() ? 8u : 0u);
	return &builtin_variants[i];
}
