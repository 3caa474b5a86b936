// crypto/builtin/stitch_sha384_vaes.cc - the stitched CBC + SHA-384 engine
// whose decryption runs on 512-bit VAES registers (stitch.h:
// cbc_dec_job_zmm) under the BMI2 rounds; the encryption is
// stitch_sha384.cc's.  Use only when cpu_has_aesni(), cpu_has_avx2_bmi2() and
// cpu_has_vaes512() (backend.cc checks).
#include "crypto/builtin/builtin.h"

#if KGSS_BUILTIN_HAVE_STITCH

#define KGSS_SHA512_TARGET      __attribute__((target("aes,sse4.1,bmi2,avx2,vaes,avx512f")))
#define KGSS_SHA512_AVX2_TARGET KGSS_SHA512_TARGET
#define KGSS_STITCH_VAES        1
#include "crypto/builtin/stitch_sha384.h"

extern "C" constinit const kgss_cbc_hash_class kgss_builtin_cbc_sha384_vaes =
	kgss::engine_class("vaes512+sha384-bmi2", &kgss_builtin_sha384_avx2, 128, kgss::stitch_sha384_encrypt,
			   kgss::stitched<kgss::sha384_hash, kgss::sha512_state, true>);

#endif
