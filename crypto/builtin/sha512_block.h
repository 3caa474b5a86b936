// crypto/builtin/sha512_block.h - the SHA-512 compression of one block
// (FIPS 180-4 sections 4.1.3, 6.4.2) in portable C++, with a hook for
// interleaved work: sha2.cc compresses with it (job = nothing), stitch.cc
// runs an AES-CBC job inside the same block (the stitched CBC + HMAC-SHA-384
// engine): job.tick() after every four rounds, so the cipher's instructions
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
#define KGSS_SHA512_R(a, b, c, d, e, f, g, h, wk, bc)                                          \
	do {                                                                                   \
		const uint64_t t1_ = h + rotr64(rotr64(rotr64(e, 23) ^ e, 4) ^ e, 14) +         \
				     (((f ^ g) & e) ^ g) + (wk);                                  \
		const uint64_t ab_ = a ^ b;                                                    \
		d += t1_;                                                                      \
		h = t1_ + rotr64(rotr64(rotr64(a, 5) ^ a, 6) ^ a, 28) + ((ab_ & bc) ^ b);       \
		bc = ab_;                                                                      \
	} while (0)
// Eight rounds, t .. t+7, with wk(i) the K + W value of round t+i, and
// job.tick() after the fourth and the eighth.
#define KGSS_SHA512_R8(wk)                                                 \
	do {                                                               \
		KGSS_SHA512_R(a, b, c, d, e, f, g, hh, wk(0), bc);         \
		KGSS_SHA512_R(hh, a, b, c, d, e, f, g, wk(1), bc);         \
		KGSS_SHA512_R(g, hh, a, b, c, d, e, f, wk(2), bc);         \
		KGSS_SHA512_R(f, g, hh, a, b, c, d, e, wk(3), bc);         \
		job.tick();                                                \
		KGSS_SHA512_R(e, f, g, hh, a, b, c, d, wk(4), bc);         \
		KGSS_SHA512_R(d, e, f, g, hh, a, b, c, wk(5), bc);         \
		KGSS_SHA512_R(c, d, e, f, g, hh, a, b, wk(6), bc);         \
		KGSS_SHA512_R(b, c, d, e, f, g, hh, a, wk(7), bc);         \
	} while (0)
// Section 6.4.2 step 1 for t >= 16, into the circular schedule w[t mod 16]:
// W[t] = sigma1(W[t-2]) + W[t-7] + sigma0(W[t-15]) + W[t-16], with
// sigma0(x) = ROTR^1 ^ ROTR^8 ^ SHR^7 and sigma1(x) = ROTR^19 ^ ROTR^61 ^ SHR^6
// (section 4.1.3, (4.12) and (4.13)).
#define KGSS_SHA512_W(w, t)                                                                     \
	(w[(t) & 15] += (rotr64(w[((t) - 15) & 15], 1) ^ rotr64(w[((t) - 15) & 15], 8) ^ (w[((t) - 15) & 15] >> 7)) + \
			w[((t) - 7) & 15] +                                                    \
			(rotr64(w[((t) - 2) & 15], 19) ^ rotr64(w[((t) - 2) & 15], 61) ^ (w[((t) - 2) & 15] >> 6)))


// One 128-byte block at p into the chaining value h; w is the caller's
// 16-word schedule buffer (secret: the caller wipes it).  job.tick() after
// every four rounds (kTicks per block).
template <typename Job>
KGSS_SHA512_TARGET __attribute__((always_inline)) inline void block(uint64_t *h, const uint8_t *p, uint64_t *w, Job &job)
{
	using md::rotr64;
	const uint64_t *const K512 = sha512_k;
	for (int t = 0; t < 16; t++)
		w[t] = load_be64(p + 8 * t);
	uint64_t a = h[0], b = h[1], c = h[2], d = h[3]; // secret: working variables
	uint64_t e = h[4], f = h[5], g = h[6], hh = h[7];
	uint64_t bc = b ^ c; // secret
	for (int t = 0; t < 16; t += 8) {
#define KGSS_WK(i) (K512[t + (i)] + w[t + (i)])
		KGSS_SHA512_R8(KGSS_WK);
#undef KGSS_WK
		job.tick();
	}
	// Sixteen rounds per step, so that every w[] index is a constant.
	for (int t = 16; t < 80; t += 16) {
#define KGSS_WK(i) (K512[t + (i)] + KGSS_SHA512_W(w, (i)))
		KGSS_SHA512_R8(KGSS_WK);
#undef KGSS_WK
		job.tick();
#define KGSS_WK(i) (K512[t + 8 + (i)] + KGSS_SHA512_W(w, 8 + (i)))
		KGSS_SHA512_R8(KGSS_WK);
#undef KGSS_WK
		job.tick();
	}
	h[0] += a; h[1] += b; h[2] += c; h[3] += d;
	h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}
constexpr unsigned kTicks = 20; // job.tick() calls per block

#undef KGSS_SHA512_R
#undef KGSS_SHA512_R8
#undef KGSS_SHA512_W

} // namespace sha512
} // namespace kgss

#endif
