// crypto/builtin/sha512_block.h - the SHA-512 compression of one block
// (FIPS 180-4 sections 4.1.3, 6.4.2) in portable C++, with a hook for
// interleaved work: sha2.cc compresses with it (job = nothing), stitch.cc
// runs an AES-CBC job inside the same block (the stitched CBC + HMAC-SHA-384
// engine): job.tick<T>() after every four rounds, so the cipher's instructions
// are spread through the rounds (see stitch.cc).
//
// The includer defines KGSS_SHA512_TARGET, the target attribute of its own
// functions (empty for portable code), before including this file: block()
// is always inlined into those callers and the job's tick() into block().
#ifndef KGSS_CRYPTO_BUILTIN_SHA512_BLOCK_H
#define KGSS_CRYPTO_BUILTIN_SHA512_BLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/builtin/md_common.h"
#include "crypto/util.h"

#ifndef KGSS_SHA512_TARGET
#error "define KGSS_SHA512_TARGET before including crypto/builtin/sha512_block.h"
#endif

namespace kgss {
// FIPS 180-4 section 4.2.3 (sha2.cc).  Hidden: read PC-relative, never
// through a GOT.
extern const uint64_t sha512_k[80] __attribute__((visibility("hidden")));

namespace sha512 {

// ---- SHA-512 compression (FIPS 180-4 sections 4.1.3, 6.4.2) --------------------
// One round of section 6.4.2 step 3 with the working variables renamed
// instead of shifted: the caller rotates the argument list, so after eight
// rounds every variable is back in its place.  wk = K[t] + W[t].
//   Sigma1(e) = ROTR^14 ^ ROTR^18 ^ ROTR^41 and Sigma0(a) = ROTR^28 ^ ROTR^34
//   ^ ROTR^39 (section 4.1.3, (4.10) and (4.11)), factored as
//   ROTR^14(ROTR^4(ROTR^23(e) ^ e) ^ e) and ROTR^28(ROTR^6(ROTR^5(a) ^ a) ^ a):
//   rotating distributes over XOR, and x86's two-operand rotate then needs
//   one register copy per Sigma instead of three;
//   Ch(e,f,g) = ((f ^ g) & e) ^ g, the same function as (4.8) in three
//   operations;
//   Maj(a,b,c) = ((a ^ b) & (b ^ c)) ^ b, equal to (4.9): where a == b it
//   gives b, elsewhere c.  The next round's b ^ c is this round's a ^ b
//   (b' = a, c' = b), so bc carries it and Maj costs three operations.
#define KGSS_SHA512_R(a, b, c, d, e, f, g, h, wk, bc)                                                               \
	do {                                                                                                        \
		const uint64_t t1_ = h + rotr64(rotr64(rotr64(e, 23) ^ e, 4) ^ e, 14) + (((f ^ g) & e) ^ g) + (wk); \
		const uint64_t ab_ = a ^ b;                                                                         \
		d += t1_;                                                                                           \
		h = t1_ + rotr64(rotr64(rotr64(a, 5) ^ a, 6) ^ a, 28) + ((ab_ & bc) ^ b);                           \
		bc = ab_;                                                                                           \
	} while (0)
// Eight rounds, t .. t+7, with wk(i) the K + W value of round t+i, and
// job.tick<T>() after the fourth (T = t / 4) and the eighth.
#define KGSS_SHA512_R8(wk, t)                                      \
	do {                                                       \
		KGSS_SHA512_R(a, b, c, d, e, f, g, hh, wk(0), bc); \
		KGSS_SHA512_R(hh, a, b, c, d, e, f, g, wk(1), bc); \
		KGSS_SHA512_R(g, hh, a, b, c, d, e, f, wk(2), bc); \
		KGSS_SHA512_R(f, g, hh, a, b, c, d, e, wk(3), bc); \
		job.template tick<(t) / 4>();                      \
		KGSS_SHA512_R(e, f, g, hh, a, b, c, d, wk(4), bc); \
		KGSS_SHA512_R(d, e, f, g, hh, a, b, c, wk(5), bc); \
		KGSS_SHA512_R(c, d, e, f, g, hh, a, b, wk(6), bc); \
		KGSS_SHA512_R(b, c, d, e, f, g, hh, a, wk(7), bc); \
		job.template tick<(t) / 4 + 1>();                  \
	} while (0)
// Section 6.4.2 step 1 for t >= 16, into the circular schedule w[t mod 16]:
// W[t] = sigma1(W[t-2]) + W[t-7] + sigma0(W[t-15]) + W[t-16], with
// sigma0(x) = ROTR^1 ^ ROTR^8 ^ SHR^7 and sigma1(x) = ROTR^19 ^ ROTR^61 ^ SHR^6
// (section 4.1.3, (4.12) and (4.13)).
#define KGSS_SHA512_W(w, t)                                                                                   \
	(w[(t)&15] += (rotr64(w[((t)-15) & 15], 1) ^ rotr64(w[((t)-15) & 15], 8) ^ (w[((t)-15) & 15] >> 7)) + \
		      w[((t)-7) & 15] +                                                                       \
		      (rotr64(w[((t)-2) & 15], 19) ^ rotr64(w[((t)-2) & 15], 61) ^ (w[((t)-2) & 15] >> 6)))

// Rounds 8G .. 79 on the working variables v[0..7] (a .. h) and bc; w is
// the 16-word schedule, W[t] in w[t mod 16].
template <unsigned G, typename Job>
KGSS_SHA512_TARGET __attribute__((always_inline)) inline void groups(uint64_t *v, uint64_t &bc, uint64_t *w, Job &job)
{
	if constexpr (G < 10) {
		using md::rotr64;
		const uint64_t *const K512 = sha512_k;
		uint64_t a = v[0], b = v[1], c = v[2], d = v[3], e = v[4], f = v[5], g = v[6], hh = v[7];
		if constexpr (G < 2) {
#define KGSS_WK(i) (K512[8 * G + (i)] + w[8 * G + (i)])
			KGSS_SHA512_R8(KGSS_WK, 8 * G);
#undef KGSS_WK
		} else {
#define KGSS_WK(i) (K512[8 * G + (i)] + KGSS_SHA512_W(w, 8 * (G & 1) + (i)))
			KGSS_SHA512_R8(KGSS_WK, 8 * G);
#undef KGSS_WK
		}
		md::put8(v, a, b, c, d, e, f, g, hh);
		groups<G + 1>(v, bc, w, job);
	}
}

// One 128-byte block at p into the chaining value h; w is the caller's
// 16-word schedule buffer (secret: the caller wipes it).  job.tick<T>()
// after every four rounds (T = 0 .. kTicks - 1).
template <typename Job>
KGSS_SHA512_TARGET __attribute__((always_inline)) inline void block(uint64_t *h, const uint8_t *p, uint64_t *w,
								    Job &job)
{
	for (int t = 0; t < 16; t++)
		w[t] = load_be64(p + 8 * t);
	uint64_t v[8]; // secret: working variables a .. h (registers once inlined)
	for (int i = 0; i < 8; i++)
		v[i] = h[i];
	uint64_t bc = v[1] ^ v[2]; // secret
	groups<0>(v, bc, w, job);
	for (int i = 0; i < 8; i++)
		h[i] += v[i];
}
constexpr unsigned kTicks = 20; // job.tick<T>() calls per block

#undef KGSS_SHA512_R
#undef KGSS_SHA512_R8
#undef KGSS_SHA512_W

} // namespace sha512
} // namespace kgss

#endif
