// crypto/builtin/stitch_sha384.cc - the stitched AES-NI CBC + SHA-384
// engine of the builtin backend (stitch_sha384.h), and its encryption, which
// the VAES class (stitch_sha384_vaes.cc) shares.  Use only when
// cpu_has_aesni() and cpu_has_avx2_bmi2() (backend.cc checks).
#include "crypto/builtin/builtin.h"

#if KGSS_BUILTIN_HAVE_STITCH

#define KGSS_SHA512_TARGET      __attribute__((target("aes,sse4.1,bmi2")))
#define KGSS_SHA512_AVX2_TARGET __attribute__((target("aes,sse4.1,avx2,bmi2")))
#define KGSS_STITCH_VAES        0
#include "crypto/builtin/stitch_sha384.h"

int kgss::stitch_sha384_encrypt(const void *ks, uint8_t *iv, void *st, uint8_t *data, size_t nunits, int hash_output)
{
	return stitched<sha384_hash, sha512_state, false>(ks, iv, st, data, nunits, hash_output);
}

extern "C" constinit const kgss_cbc_hash_class kgss_builtin_cbc_sha384_avx2 =
	kgss::engine_class("aes-ni+sha384-bmi2", &kgss_builtin_sha384_avx2, 128, kgss::stitch_sha384_encrypt,
			   kgss::stitched<kgss::sha384_hash, kgss::sha512_state, true>);

#endif
