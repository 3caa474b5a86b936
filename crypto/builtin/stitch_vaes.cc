// crypto/builtin/stitch_vaes.cc - the stitched CBC + SHA-1 / SHA-256 engines
// whose decryption runs on 512-bit VAES registers (stitch.h:
// cbc_dec_job_zmm) under the SHA-NI rounds; the encryption, one CBC chain
// that wider registers do not shorten, is stitch.cc's.  Use only when
// cpu_has_aesni(), cpu_has_shani() and cpu_has_vaes512() (backend.cc checks).
#include "crypto/builtin/builtin.h"

#if KGSS_BUILTIN_HAVE_STITCH

#define KGSS_SHA_NI_TARGET __attribute__((target("aes,sha,sse4.1,ssse3,avx2,vaes,avx512f")))
#define KGSS_STITCH_TARGET KGSS_SHA_NI_TARGET
#define KGSS_STITCH_VAES   1
#include "crypto/builtin/stitch_sha_ni.h"

extern "C" constinit const kgss_cbc_hash_class kgss_builtin_cbc_sha1_vaes =
	kgss::engine_class("vaes512+sha1-ni", &kgss_builtin_sha1_ni, 64, kgss::stitch_sha1_encrypt,
			   kgss::stitched<kgss::sha1_hash, kgss::sha1_state, true>);

extern "C" constinit const kgss_cbc_hash_class kgss_builtin_cbc_sha256_vaes =
	kgss::engine_class("vaes512+sha256-ni", &kgss_builtin_sha256_ni, 64, kgss::stitch_sha256_encrypt,
			   kgss::stitched<kgss::sha256_hash, kgss::sha256_state, true>);

#endif
