// crypto/builtin/sha512_avx2.h - the SHA-512 compression (FIPS 180-4
// sections 4.1.3, 6.4.2) of two blocks at a time with AVX2 and BMI2, with a
// hook for interleaved work: sha2.cc compresses with it (kgss_builtin_sha384_avx2,
// job = nothing), stitch_sha384.cc runs the CBC decryption of the previous
// two blocks inside the second block's rounds (the stitched CBC +
// HMAC-SHA-384 engine's decryption).
//
// Two blocks at a time.  The message schedule (section 6.4.2 step 1) of both
// runs in 256-bit registers: register x[i] holds W[2i], W[2i+1] of the first
// block in its low 128-bit lane and of the second block in its high lane, so
// every step - two schedule words of each block - stays inside a lane
// (W[t+1] needs W[t-1], never W[t]) and AVX2's per-lane byte alignment
// gives the W[t-15] and W[t-7] pairs.  AVX2 has no 64-bit rotate: ROTR^n is
// two shifts and an OR, ROTR^8 a byte shuffle.  K[t] + W[t] of the first
// block goes to a 16-entry ring that its rounds, interleaved with the
// schedule, read back; that of the second block (rounds 16..79, 512 bytes)
// is kept for its rounds after the first block's, which read the first 16
// words from the message again.  After those sixteen rounds the message
// is read for good: a job may rewrite both blocks in place from then on
// (the stitched decryption does).  An odd last block is loaded into both
// lanes and only its first copy's rounds run.  The stack frame (wk1, wk2,
// spills) stays under the kernel preset's 1 KiB limit only with the two
// compiler barriers below (KGSS_SHA512_SPILL, KGSS_SHA512_FENCE).
// Use only when kgss::cpu_has_avx2_bmi2() (backend.cc checks).
//
// The rounds are section 6.4.2 step 3 again, arranged for latency rather
// than for the fewest instructions: BMI2's rorx (a rotate that keeps its
// source) makes the three-rotate Sigma forms cheap, and what is left is the
// dependency chain through e and a.  With T1 = h + Sigma1(e) + Ch(e,f,g) + wk
// and, since (a & (b ^ c)) and (b & c) never share a set bit,
// Maj(a,b,c) = (a & (b ^ c)) + (b & c):
//   new e = ((d + h + wk) + Ch) + Sigma1(e)
//   new a = T1 + Sigma0(a) + Maj = (new e + ((a & (b ^ c)) + ((b & c) - d))) + Sigma0(a)
// Everything in the inner brackets except Ch and a & (b ^ c) comes from older
// rounds, so each chain has one add after its Sigma instead of two or three.
// bx / bn carry b ^ c / b & c (the next round's are this round's a ^ b /
// a & b).  KGSS_SHA512_PIN keeps the compiler from regrouping the sums.
//
// The includer defines KGSS_SHA512_AVX2_TARGET (a superset of "avx2,bmi2")
// before including this file: pair() is always inlined into its callers,
// which run inside a simd::section (simd.h).  x86 only.
#ifndef KGSS_CRYPTO_BUILTIN_SHA512_AVX2_H
#define KGSS_CRYPTO_BUILTIN_SHA512_AVX2_H

#include <stddef.h>
#include <stdint.h>

#include <immintrin.h>

#include "crypto/builtin/md_common.h"
#include "crypto/util.h"

#ifndef KGSS_SHA512_AVX2_TARGET
#error "define KGSS_SHA512_AVX2_TARGET before including crypto/builtin/sha512_avx2.h"
#endif
#define KGSS_SHA512_AVX2_INLINE KGSS_SHA512_AVX2_TARGET __attribute__((always_inline)) inline

namespace kgss {
// FIPS 180-4 section 4.2.3 (sha2.cc).  Hidden: read PC-relative, never
// through a GOT.
extern const uint64_t sha512_k[80] __attribute__((visibility("hidden")));

namespace sha512_avx2 {

using md::rotr64;

#define KGSS_SHA512_PIN(x) __asm__("" : "+r"(x))
#define KGSS_SHA512_RL(a, b, c, d, e, f, g, h, wk, bx, bn)                \
	do {                                                              \
		uint64_t u_ = d + (h + (wk));                             \
		uint64_t v_ = bn - d;                                     \
		KGSS_SHA512_PIN(u_);                                      \
		u_ += ((f ^ g) & e) ^ g;                                  \
		KGSS_SHA512_PIN(u_);                                      \
		d = u_ + (rotr64(e, 14) ^ rotr64(e, 18) ^ rotr64(e, 41)); \
		v_ += a & bx;                                             \
		KGSS_SHA512_PIN(v_);                                      \
		v_ += d;                                                  \
		KGSS_SHA512_PIN(v_);                                      \
		h = v_ + (rotr64(a, 28) ^ rotr64(a, 34) ^ rotr64(a, 39)); \
		bx = a ^ b;                                               \
		bn = a & b;                                               \
	} while (0)
#define KGSS_SHA512_RL8(wk)                                             \
	do {                                                            \
		KGSS_SHA512_RL(a, b, c, d, e, f, g, hh, wk(0), bx, bn); \
		KGSS_SHA512_RL(hh, a, b, c, d, e, f, g, wk(1), bx, bn); \
		KGSS_SHA512_RL(g, hh, a, b, c, d, e, f, wk(2), bx, bn); \
		KGSS_SHA512_RL(f, g, hh, a, b, c, d, e, wk(3), bx, bn); \
		KGSS_SHA512_RL(e, f, g, hh, a, b, c, d, wk(4), bx, bn); \
		KGSS_SHA512_RL(d, e, f, g, hh, a, b, c, wk(5), bx, bn); \
		KGSS_SHA512_RL(c, d, e, f, g, hh, a, b, wk(6), bx, bn); \
		KGSS_SHA512_RL(b, c, d, e, f, g, hh, a, wk(7), bx, bn); \
	} while (0)
// The same eight rounds with job.tick<T>() .. tick<T + 7>() after each.
#define KGSS_SHA512_RL8T(wk, T)                                         \
	do {                                                            \
		KGSS_SHA512_RL(a, b, c, d, e, f, g, hh, wk(0), bx, bn); \
		job.template tick<(T)>();                               \
		KGSS_SHA512_RL(hh, a, b, c, d, e, f, g, wk(1), bx, bn); \
		job.template tick<(T) + 1>();                           \
		KGSS_SHA512_RL(g, hh, a, b, c, d, e, f, wk(2), bx, bn); \
		job.template tick<(T) + 2>();                           \
		KGSS_SHA512_RL(f, g, hh, a, b, c, d, e, wk(3), bx, bn); \
		job.template tick<(T) + 3>();                           \
		KGSS_SHA512_RL(e, f, g, hh, a, b, c, d, wk(4), bx, bn); \
		job.template tick<(T) + 4>();                           \
		KGSS_SHA512_RL(d, e, f, g, hh, a, b, c, wk(5), bx, bn); \
		job.template tick<(T) + 5>();                           \
		KGSS_SHA512_RL(c, d, e, f, g, hh, a, b, wk(6), bx, bn); \
		job.template tick<(T) + 6>();                           \
		KGSS_SHA512_RL(b, c, d, e, f, g, hh, a, wk(7), bx, bn); \
		job.template tick<(T) + 7>();                           \
	} while (0)
KGSS_SHA512_AVX2_INLINE __m256i rotr(__m256i x, int n)
{
	return _mm256_or_si256(_mm256_srli_epi64(x, n), _mm256_slli_epi64(x, 64 - n));
}

// The second block's rounds, eight (group G) at a time: rounds 0..15 from
// the message at p2, the rest from wk2; from group 2 on, job.tick<8G - 16>()
// .. tick<8G - 9>()
// after every two rounds.
template <unsigned G, typename Job>
KGSS_SHA512_AVX2_INLINE void second(uint64_t *v, uint64_t &bx, uint64_t &bn, const uint64_t *kt, const uint8_t *p2,
				    const uint64_t *wk2, Job &job)
{
	if constexpr (G < 10) {
		uint64_t a = v[0], b = v[1], c = v[2], d = v[3], e = v[4], f = v[5], g = v[6], hh = v[7];
		if constexpr (G < 2) {
#define KGSS_WK(i) (kt[8 * G + (i)] + load_be64(p2 + 8 * (8 * G + (i))))
			KGSS_SHA512_RL8(KGSS_WK);
#undef KGSS_WK
		} else {
#define KGSS_WK(i) wk2[8 * (G - 2) + (i)]
			KGSS_SHA512_RL8T(KGSS_WK, 8 * (G - 2));
#undef KGSS_WK
		}
		md::put8(v, a, b, c, d, e, f, g, hh);
		second<G + 1>(v, bx, bn, kt, p2, wk2, job);
	}
}
constexpr unsigned kTicks = 64; // job.tick<T>() calls in a two-block call of pair()

// K + W buffers of pair() (secret: the caller wipes them).
struct scratch {
	alignas(32) uint64_t wk1[16]; // K + W of the first block, round t in wk1[t mod 16]
	alignas(32) uint64_t wk2[64]; // K + W of the second block, rounds 16..79 in wk2[t - 16]
};

// The blocks at p (and p + 128 when two) into the chaining value h; the
// job ticks only in the second block's rounds 16..79 (a lone block: none),
// when the message at p has been read for good.
template <typename Job>
KGSS_SHA512_AVX2_INLINE void pair(uint64_t *h, const uint8_t *p, bool two, scratch &sc, Job &job)
{
	// Rotates each 64-bit lane right by 8 bits (ROTR^8 of sigma0).
	const __m256i rot8 = _mm256_set_epi64x(0x080f0e0d0c0b0a09LL, 0x0007060504030201LL, 0x080f0e0d0c0b0a09LL,
					       0x0007060504030201LL);
	uint64_t(&wk1)[16] = sc.wk1;
	uint64_t(&wk2)[64] = sc.wk2;
	const uint8_t *p2 = two ? p + 128 : p;
	// Byte-swaps each 64-bit lane (big-endian message words).  Made
	// here, opaque to the compiler, so it is not kept in a register
	// through the rounds (the schedule needs all sixteen).
	__m256i bswap = _mm256_set_epi64x(0x08090a0b0c0d0e0fLL, 0x0001020304050607LL, 0x08090a0b0c0d0e0fLL,
					  0x0001020304050607LL);
	__asm__("" : "+x"(bswap));
	__m256i x0, x1, x2, x3, x4, x5, x6, x7; // secret: W[t-16 .. t-1], two blocks
#define KGSS_SHA512_LOAD(x, i)                                                                                    \
	x = _mm256_shuffle_epi8(                                                                                  \
		_mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)(p + 16 * (i)))), \
					_mm_loadu_si128((const __m128i *)(p2 + 16 * (i))), 1),                    \
		bswap)
	KGSS_SHA512_LOAD(x0, 0);
	KGSS_SHA512_LOAD(x1, 1);
	KGSS_SHA512_LOAD(x2, 2);
	KGSS_SHA512_LOAD(x3, 3);
	KGSS_SHA512_LOAD(x4, 4);
	KGSS_SHA512_LOAD(x5, 5);
	KGSS_SHA512_LOAD(x6, 6);
	KGSS_SHA512_LOAD(x7, 7);
#undef KGSS_SHA512_LOAD

	uint64_t a = h[0], b = h[1], c = h[2], d = h[3]; // secret: working variables
	uint64_t e = h[4], f = h[5], g = h[6], hh = h[7];
	uint64_t bx = b ^ c, bn = b & c; // secret
	// The constants are read through a pointer the compiler cannot
	// see through, so it does not hoist all 40 K pairs out of the
	// block loop into registers (and spill them past the frame limit).
	const uint64_t *kt = sha512_k;
	__asm__("" : "+r"(kt));

// K[t], K[t+1] added to the words x = W[t], W[t+1] of both blocks; the
// first block's go to wk1[t mod 16], the second's (t >= 16) to
// wk2[t - 16].
#define KGSS_SHA512_K(x, t)      _mm256_add_epi64(x, _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)&kt[t])))
#define KGSS_SHA512_STORE0(x, t) _mm_store_si128((__m128i *)&wk1[t], _mm256_castsi256_si128(KGSS_SHA512_K(x, t)))
#define KGSS_SHA512_STORE(x, t, r)                                                         \
	do {                                                                               \
		const __m256i k_ = KGSS_SHA512_K(x, t);                                    \
		_mm_store_si128((__m128i *)&wk1[r], _mm256_castsi256_si128(k_));           \
		_mm_store_si128((__m128i *)&wk2[(t)-16], _mm256_extracti128_si256(k_, 1)); \
	} while (0)
// x0 = W[t], W[t+1] from x0 = W[t-16..t-15], x1 = W[t-14..], x4 = W[t-8..],
// x5 = W[t-6..], x7 = W[t-2..t-1] (section 6.4.2 step 1; sigma0 and sigma1
// of section 4.1.3 as in the portable code).
#define KGSS_SHA512_SCHED(x0, x1, x4, x5, x7)                                                                          \
	do {                                                                                                           \
		const __m256i w15_ = _mm256_alignr_epi8(x1, x0, 8);       /* W[t-15], W[t-14] */                       \
		x0 = _mm256_add_epi64(x0, _mm256_alignr_epi8(x5, x4, 8)); /* + W[t-7], W[t-6] */                       \
		x0 = _mm256_add_epi64(                                                                                 \
			x0, _mm256_xor_si256(_mm256_xor_si256(rotr(w15_, 1), _mm256_shuffle_epi8(w15_, rot8)),         \
					     _mm256_srli_epi64(w15_, 7)));                                             \
		x0 = _mm256_add_epi64(                                                                                 \
			x0, _mm256_xor_si256(_mm256_xor_si256(rotr(x7, 19), rotr(x7, 61)), _mm256_srli_epi64(x7, 6))); \
	} while (0)
// Eight rounds of the first block read the ring: KGSS_WK_LO / KGSS_WK_HI.
// KGSS_SHA512_SPILL makes the rounds read K + W back from the ring: left to
// itself the compiler keeps those values in vector registers instead
// (extracting each word), which crowds the schedule words out of the
// registers and onto the stack, past the kernel's frame limit.
#define KGSS_WK_LO(i)       wk1[(i)]
#define KGSS_WK_HI(i)       wk1[8 + (i)]
#define KGSS_SHA512_SPILL() __asm__("" : "+m"(wk1))
// KGSS_SHA512_FENCE keeps each group's schedule computation after the rounds
// before it: the compiler otherwise starts the next group's alignments
// early, and the extra live vectors spill.
#define KGSS_SHA512_FENCE() \
	__asm__ volatile("" : "+x"(x0), "+x"(x1), "+x"(x2), "+x"(x3), "+x"(x4), "+x"(x5), "+x"(x6), "+x"(x7))
	// Rounds 0..15 use the message words.  After that the schedule runs
	// one group of eight words ahead of the rounds: the words of rounds
	// t+8..t+15 are computed and stored before rounds t..t+7 run, so
	// the out-of-order core has them ready long before they are read.
	KGSS_SHA512_STORE0(x0, 0);
	KGSS_SHA512_STORE0(x1, 2);
	KGSS_SHA512_STORE0(x2, 4);
	KGSS_SHA512_STORE0(x3, 6);
	KGSS_SHA512_STORE0(x4, 8);
	KGSS_SHA512_STORE0(x5, 10);
	KGSS_SHA512_STORE0(x6, 12);
	KGSS_SHA512_STORE0(x7, 14);
	KGSS_SHA512_SPILL();
	KGSS_SHA512_RL8(KGSS_WK_LO); // rounds 0..7
	for (int t = 16; t < 80; t += 16) {
		KGSS_SHA512_FENCE();
		KGSS_SHA512_SCHED(x0, x1, x4, x5, x7);
		KGSS_SHA512_STORE(x0, t + 0, 0);
		KGSS_SHA512_SCHED(x1, x2, x5, x6, x0);
		KGSS_SHA512_STORE(x1, t + 2, 2);
		KGSS_SHA512_SCHED(x2, x3, x6, x7, x1);
		KGSS_SHA512_STORE(x2, t + 4, 4);
		KGSS_SHA512_SCHED(x3, x4, x7, x0, x2);
		KGSS_SHA512_STORE(x3, t + 6, 6);
		KGSS_SHA512_SPILL();
		KGSS_SHA512_RL8(KGSS_WK_HI); // rounds t-8 .. t-1
		KGSS_SHA512_FENCE();
		KGSS_SHA512_SCHED(x4, x5, x0, x1, x3);
		KGSS_SHA512_STORE(x4, t + 8, 8);
		KGSS_SHA512_SCHED(x5, x6, x1, x2, x4);
		KGSS_SHA512_STORE(x5, t + 10, 10);
		KGSS_SHA512_SCHED(x6, x7, x2, x3, x5);
		KGSS_SHA512_STORE(x6, t + 12, 12);
		KGSS_SHA512_SCHED(x7, x0, x3, x4, x6);
		KGSS_SHA512_STORE(x7, t + 14, 14);
		KGSS_SHA512_SPILL();
		KGSS_SHA512_RL8(KGSS_WK_LO); // rounds t .. t+7
	}
	KGSS_SHA512_RL8(KGSS_WK_HI); // rounds 72..79
#undef KGSS_WK_LO
#undef KGSS_WK_HI
#undef KGSS_SHA512_SPILL
#undef KGSS_SHA512_FENCE
#undef KGSS_SHA512_K
#undef KGSS_SHA512_STORE0
#undef KGSS_SHA512_STORE
#undef KGSS_SHA512_SCHED
	md::add8(h, a, b, c, d, e, f, g, hh);
	if (!two)
		return;

	// The second block (at p + 128): W[0..15] from the message, the
	// rest from wk2.
	uint64_t v[8] = {h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]}; // secret
	bx = v[1] ^ v[2];
	bn = v[1] & v[2];
	second<0>(v, bx, bn, kt, p + 128, wk2, job);
	for (int i = 0; i < 8; i++)
		h[i] += v[i];
}

#undef KGSS_SHA512_PIN
#undef KGSS_SHA512_RL
#undef KGSS_SHA512_RL8
#undef KGSS_SHA512_RL8T

} // namespace sha512_avx2
} // namespace kgss

#endif
