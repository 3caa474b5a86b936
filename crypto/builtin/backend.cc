// crypto/builtin/backend.cc - the builtin backend: const tables of the
// portable primitives, and a variant using AES-NI / SHA-NI.  kgss_crypto_builtin()
// chooses between them with cpuid on every call (nothing is cached), so the
// core keeps no mutable global state.
#include "crypto/builtin/builtin.h"

#if KGSS_WITH_AES_SHA1 || KGSS_WITH_AES_SHA2
#define KGSS_BUILTIN_AES 1
#else
#define KGSS_BUILTIN_AES 0
#endif

static const kgss_crypto_backend builtin_portable = {
	/* abi_version */ KGSS_CRYPTO_ABI_VERSION,
	/* name        */ "builtin",
#if KGSS_BUILTIN_AES
	&kgss_builtin_aes128_ct, &kgss_builtin_aes256_ct,
#else
	nullptr, nullptr,
#endif
#if KGSS_WITH_CAMELLIA
	&kgss_builtin_camellia128, &kgss_builtin_camellia256,
#else
	nullptr, nullptr,
#endif
#if KGSS_WITH_DES3
	&kgss_builtin_des3,
#else
	nullptr,
#endif
#if KGSS_WITH_RC4
	&kgss_builtin_rc4, &kgss_builtin_md5,
#else
	nullptr, nullptr,
#endif
	&kgss_builtin_sha1, &kgss_builtin_sha256, &kgss_builtin_sha384,
};

static const kgss_crypto_backend builtin_accel = {
	KGSS_CRYPTO_ABI_VERSION,
	"builtin",
#if KGSS_BUILTIN_AES
	&kgss_builtin_aes128_ni, &kgss_builtin_aes256_ni,
#else
	nullptr, nullptr,
#endif
#if KGSS_WITH_CAMELLIA
	&kgss_builtin_camellia128, &kgss_builtin_camellia256,
#else
	nullptr, nullptr,
#endif
#if KGSS_WITH_DES3
	&kgss_builtin_des3,
#else
	nullptr,
#endif
#if KGSS_WITH_RC4
	&kgss_builtin_rc4, &kgss_builtin_md5,
#else
	nullptr, nullptr,
#endif
	&kgss_builtin_sha1_ni, &kgss_builtin_sha256_ni, &kgss_builtin_sha384,
};

// AES-NI without SHA-NI, and SHA-NI without AES-NI, are rare but real.
static const kgss_crypto_backend builtin_aesni_only = {
	KGSS_CRYPTO_ABI_VERSION,
	"builtin",
#if KGSS_BUILTIN_AES
	&kgss_builtin_aes128_ni, &kgss_builtin_aes256_ni,
#else
	nullptr, nullptr,
#endif
#if KGSS_WITH_CAMELLIA
	&kgss_builtin_camellia128, &kgss_builtin_camellia256,
#else
	nullptr, nullptr,
#endif
#if KGSS_WITH_DES3
	&kgss_builtin_des3,
#else
	nullptr,
#endif
#if KGSS_WITH_RC4
	&kgss_builtin_rc4, &kgss_builtin_md5,
#else
	nullptr, nullptr,
#endif
	&kgss_builtin_sha1, &kgss_builtin_sha256, &kgss_builtin_sha384,
};

extern "C" const kgss_crypto_backend *kgss_crypto_builtin_portable(void) { return &builtin_portable; }

extern "C" const kgss_crypto_backend *kgss_crypto_builtin(void)
{
	bool aes = kgss::cpu_has_aesni(), sha = kgss::cpu_has_shani();
	if (aes && sha)
		return &builtin_accel;
	if (aes)
		return &builtin_aesni_only;
	return &builtin_portable; // SHA-NI alone: keep the portable set (simple, constant-time AES)
}
