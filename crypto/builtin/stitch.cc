// crypto/builtin/stitch.cc - the stitched AES-NI CBC + SHA-1 / SHA-256 engines
// (SHA-NI) of the builtin backend: the two classes over the policies of
// stitch_sha_ni.h, and their encryption, which the VAES classes
// (stitch_vaes.cc) share.  Use only when cpu_has_aesni() and cpu_has_shani()
// (backend.cc checks).
#include "crypto/builtin/builtin.h"

#if KGSS_BUILTIN_HAVE_STITCH

#define KGSS_SHA_NI_TARGET __attribute__((target("aes,sha,sse4.1,ssse3")))
#define KGSS_STITCH_TARGET KGSS_SHA_NI_TARGET
#define KGSS_STITCH_VAES   0
#include "crypto/builtin/stitch_sha_ni.h"

int kgss::stitch_sha1_encrypt(const void *ks, uint8_t *iv, void *st, uint8_t *data, size_t nunits, int hash_output)
{
	return stitched<sha1_hash, sha1_state, false>(ks, iv, st, data, nunits, hash_output);
}

int kgss::stitch_sha256_encrypt(const void *ks, uint8_t *iv, void *st, uint8_t *data, size_t nunits, int hash_output)
{
	return stitched<sha256_hash, sha256_state, false>(ks, iv, st, data, nunits, hash_output);
}

extern "C" constinit const kgss_cbc_hash_class kgss_builtin_cbc_sha1_ni =
	kgss::engine_class("aes-ni+sha1-ni", &kgss_builtin_sha1_ni, 64, kgss::stitch_sha1_encrypt,
			   kgss::stitched<kgss::sha1_hash, kgss::sha1_state, true>);

extern "C" constinit const kgss_cbc_hash_class kgss_builtin_cbc_sha256_ni =
	kgss::engine_class("aes-ni+sha256-ni", &kgss_builtin_sha256_ni, 64, kgss::stitch_sha256_encrypt,
			   kgss::stitched<kgss::sha256_hash, kgss::sha256_state, true>);

#endif
