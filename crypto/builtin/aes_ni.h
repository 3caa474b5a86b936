// crypto/builtin/aes_ni.h - the AES-NI key schedule layout and the helpers
// that aes_ni.cc (the block-cipher classes) and stitch.cc (the stitched
// CBC + hash engines) share.  x86 only; every function here carries the
// target("aes,sse4.1") attribute and is always inlined into callers whose
// own target includes it (they run inside a simd::section, simd.h).
#ifndef KGSS_CRYPTO_BUILTIN_AES_NI_H
#define KGSS_CRYPTO_BUILTIN_AES_NI_H

#include <stddef.h>
#include <stdint.h>

#include <immintrin.h>

#include "crypto/util.h"
#include "kgss_crypto.h"

#define KGSS_AESNI_TARGET __attribute__((target("aes,sse4.1")))
#define KGSS_AESNI_INLINE KGSS_AESNI_TARGET __attribute__((always_inline)) inline

namespace kgss {

// The schedule holds only the encryption round keys (FIPS-197 §5.2).
struct aes_ni_schedule {
	alignas(16) uint8_t ek[15][16]; // secret: encryption round keys, wiped by clear()
	uint32_t nrounds;               // 10 or 14
};
static_assert(sizeof(aes_ni_schedule) <= KGSS_CIPHER_STATE_MAX, "schedule too large");

// An init() succeeded on the schedule: not cleared, failed or never set
// (nrounds 0).  Every operation refuses a schedule that is not.
inline bool aes_ni_keyed(const aes_ni_schedule *ks) { return ks->nrounds == 10 || ks->nrounds == 14; }

namespace aesni {

// The key memory is KGSS_STATE_ALIGN (16) aligned, as is every member above.
KGSS_AESNI_INLINE __m128i ld(const uint8_t *p) { return _mm_load_si128((const __m128i *)p); }
KGSS_AESNI_INLINE void st(uint8_t *p, __m128i v) { _mm_store_si128((__m128i *)p, v); }
KGSS_AESNI_INLINE __m128i ldu(const uint8_t *p) { return _mm_loadu_si128((const __m128i *)p); }
KGSS_AESNI_INLINE void stu(uint8_t *p, __m128i v) { _mm_storeu_si128((__m128i *)p, v); }

// Decryption round keys of the "equivalent inverse cipher" (§5.3.5) into
// dk[0..NR]: dk[0] = ek[NR], dk[i] = InvMixColumns(ek[NR-i]), dk[NR] = ek[0].
// The caller wipes dk.
template <unsigned NR>
KGSS_AESNI_INLINE void make_decrypt_keys(const aes_ni_schedule *ks, uint8_t (*dk)[16])
{
	st(dk[0], ld(ks->ek[NR]));
#pragma GCC unroll 14
	for (unsigned i = 1; i < NR; i++)
		st(dk[i], _mm_aesimc_si128(ld(ks->ek[NR - i])));
	st(dk[NR], ld(ks->ek[0]));
}

// A stack copy of the decryption round keys; wiped by its destructor.
struct dec_keys {
	alignas(16) uint8_t k[15][16]; // secret
	~dec_keys() { wipe(k, sizeof(k)); }
};

} // namespace aesni
} // namespace kgss

#endif
