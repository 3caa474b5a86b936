// crypto/builtin/sha2.cc - SHA-256 (FIPS 180-4 section 6.2), portable and with
// the x86 SHA extensions (SHA-NI), and SHA-384 (section 6.5: the SHA-512
// compression function of section 6.4 with its own initial value, truncated).
//
// The constant tables were generated from their definitions (FIPS 180-4
// sections 4.2.2, 4.2.3, 5.3.3, 5.3.4: the first 32/64 bits of the fractional
// parts of the square and cube roots of the first primes, computed in exact
// integer arithmetic) and are checked by the FIPS 180-4 example vectors in
// tests/crypto_builtin_hash/.
//
// SHA-NI functions carry __attribute__((target(...))) so no global -msha is
// needed; kgss_builtin_sha256_ni must only be used when kgss::cpu_has_shani()
// (backend.cc checks).  On non-x86 targets it is the portable code.
#include "crypto/builtin/builtin.h"
#include "crypto/builtin/md_common.h"
#include "crypto/builtin/simd.h"

#define KGSS_SHA512_TARGET
#include "crypto/builtin/sha512_block.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define KGSS_SHA_NI_TARGET __attribute__((target("sha,sse4.1,ssse3")))
#include "crypto/builtin/sha_ni.h"
#define KGSS_SHA512_AVX2_TARGET __attribute__((target("avx2,bmi2")))
#include "crypto/builtin/sha512_avx2.h"
#define KGSS_SHA2_HAVE_NI 1
#else
#define KGSS_SHA2_HAVE_NI 0
#endif

// FIPS 180-4 section 4.2.2.
alignas(16) const uint32_t kgss::sha256_k[64] = {
	0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
	0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
	0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
	0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
	0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
	0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
	0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
	0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};

// FIPS 180-4 section 4.2.3.
const uint64_t kgss::sha512_k[80] = {
	0x428a2f98d728ae22ull, 0x7137449123ef65cdull, 0xb5c0fbcfec4d3b2full, 0xe9b5dba58189dbbcull,
	0x3956c25bf348b538ull, 0x59f111f1b605d019ull, 0x923f82a4af194f9bull, 0xab1c5ed5da6d8118ull,
	0xd807aa98a3030242ull, 0x12835b0145706fbeull, 0x243185be4ee4b28cull, 0x550c7dc3d5ffb4e2ull,
	0x72be5d74f27b896full, 0x80deb1fe3b1696b1ull, 0x9bdc06a725c71235ull, 0xc19bf174cf692694ull,
	0xe49b69c19ef14ad2ull, 0xefbe4786384f25e3ull, 0x0fc19dc68b8cd5b5ull, 0x240ca1cc77ac9c65ull,
	0x2de92c6f592b0275ull, 0x4a7484aa6ea6e483ull, 0x5cb0a9dcbd41fbd4ull, 0x76f988da831153b5ull,
	0x983e5152ee66dfabull, 0xa831c66d2db43210ull, 0xb00327c898fb213full, 0xbf597fc7beef0ee4ull,
	0xc6e00bf33da88fc2ull, 0xd5a79147930aa725ull, 0x06ca6351e003826full, 0x142929670a0e6e70ull,
	0x27b70a8546d22ffcull, 0x2e1b21385c26c926ull, 0x4d2c6dfc5ac42aedull, 0x53380d139d95b3dfull,
	0x650a73548baf63deull, 0x766a0abb3c77b2a8ull, 0x81c2c92e47edaee6ull, 0x92722c851482353bull,
	0xa2bfe8a14cf10364ull, 0xa81a664bbc423001ull, 0xc24b8b70d0f89791ull, 0xc76c51a30654be30ull,
	0xd192e819d6ef5218ull, 0xd69906245565a910ull, 0xf40e35855771202aull, 0x106aa07032bbd1b8ull,
	0x19a4c116b8d2d0c8ull, 0x1e376c085141ab53ull, 0x2748774cdf8eeb99ull, 0x34b0bcb5e19b48a8ull,
	0x391c0cb3c5c95a63ull, 0x4ed8aa4ae3418acbull, 0x5b9cca4f7763e373ull, 0x682e6ff3d6b2b8a3ull,
	0x748f82ee5defb2fcull, 0x78a5636f43172f60ull, 0x84c87814a1f0ab72ull, 0x8cc702081a6439ecull,
	0x90befffa23631e28ull, 0xa4506cebde82bde9ull, 0xbef9a3f7b2c67915ull, 0xc67178f2e372532bull,
	0xca273eceea26619cull, 0xd186b8c721c0c207ull, 0xeada7dd6cde0eb1eull, 0xf57d4f7fee6ed178ull,
	0x06f067aa72176fbaull, 0x0a637dc5a2c898a6ull, 0x113f9804bef90daeull, 0x1b710b35131c471bull,
	0x28db77f523047d84ull, 0x32caab7b40c72493ull, 0x3c9ebe0a15c9bebcull, 0x431d67c49c100d4cull,
	0x4cc5d4becb3e42b6ull, 0x597f299cfc657e2aull, 0x5fcb6fab3ad6faecull, 0x6c44198c4a475817ull,
};

namespace {

using kgss::md::rotr32;
using kgss::md::rotr64;
using sha256_state = kgss::md::state<uint32_t, 8, 64>;
using sha512_state = kgss::md::state<uint64_t, 8, 128>;
static_assert(kgss::md::fits<sha256_state>(), "SHA-256 state exceeds KGSS_HASH_STATE_MAX");
static_assert(kgss::md::fits<sha512_state>(), "SHA-384 state exceeds KGSS_HASH_STATE_MAX");

// FIPS 180-4 section 4.2.2 (kgss::sha256_k above: stitch.cc reads it too).
const uint32_t (&K256)[64] = kgss::sha256_k;

// FIPS 180-4 section 5.3.3.
const uint32_t IV256[8] = {
	0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au, 0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u,
};

// FIPS 180-4 section 4.2.3 (kgss::sha512_k above: stitch.cc reads it too).
const uint64_t (&K512)[80] = kgss::sha512_k;

// FIPS 180-4 section 5.3.4: SHA-384 initial hash value.
const uint64_t IV384[8] = {
	0xcbbb9d5dc1059ed8ull, 0x629a292a367cd507ull, 0x9159015a3070dd17ull, 0x152fecd8f70e5939ull,
	0x67332667ffc00b31ull, 0x8eb44a8768581511ull, 0xdb0c2e0d64f98fa7ull, 0x47b5481dbefa4fa4ull,
};

// ---- SHA-256, portable (FIPS 180-4 sections 4.1.2, 6.2.2) --------------------
void sha256_blocks_portable(uint32_t *h, const uint8_t *p, size_t nblocks)
{
	uint32_t w[16]; // secret: circular message schedule, W[t] in w[t mod 16]
	while (nblocks--) {
		for (int t = 0; t < 16; t++)
			w[t] = kgss::load_be32(p + 4 * t);
		uint32_t a = h[0], b = h[1], c = h[2], d = h[3]; // secret: working variables
		uint32_t e = h[4], f = h[5], g = h[6], hh = h[7];
		for (int t = 0; t < 64; t++) {
			uint32_t wt;
			if (t < 16) {
				wt = w[t];
			} else {
				uint32_t x15 = w[(t - 15) & 15], x2 = w[(t - 2) & 15];
				uint32_t s0 = rotr32(x15, 7) ^ rotr32(x15, 18) ^ (x15 >> 3);
				uint32_t s1 = rotr32(x2, 17) ^ rotr32(x2, 19) ^ (x2 >> 10);
				wt = w[t & 15] + s0 + w[(t - 7) & 15] + s1;
				w[t & 15] = wt;
			}
			uint32_t t1 = hh + (rotr32(e, 6) ^ rotr32(e, 11) ^ rotr32(e, 25)) + ((e & f) ^ (~e & g)) +
				      K256[t] + wt;
			uint32_t t2 = (rotr32(a, 2) ^ rotr32(a, 13) ^ rotr32(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
			hh = g;
			g = f;
			f = e;
			e = d + t1;
			d = c;
			c = b;
			b = a;
			a = t1 + t2;
		}
		kgss::md::add8(h, a, b, c, d, e, f, g, hh);
		p += 64;
	}
	KGSS_WIPE(w);
}

constexpr auto sha256_hmac_finish_portable = kgss::md::hmac_finish<sha256_state, sha256_blocks_portable, true, 8, 32>;

#if KGSS_SHA2_HAVE_NI
// ---- SHA-256 with the SHA extensions ------------------------------------------
// The block function of sha_ni.h (shared with the stitched CBC + HMAC engine,
// stitch.cc) with nothing interleaved.
__attribute__((target("sha,sse4.1,ssse3"))) void sha256_blocks_ni(uint32_t *h, const uint8_t *p, size_t nblocks)
{
	kgss::sha_ni::sha256_regs s = kgss::sha_ni::sha256_load(h); // secret
	kgss::sha_ni::no_job none;
	for (; nblocks > 0; nblocks--, p += 64)
		kgss::sha_ni::sha256_block(s, p, K256, none);
	kgss::sha_ni::sha256_store(h, s);
}

// The fused HMAC finish of sha_ni.h for SHA-256 (32-byte MAC).
__attribute__((target("sha,sse4.1,ssse3"))) void sha256_hmac_finish_ni(const uint32_t *inner_h, const uint8_t *buf,
								       unsigned used, uint64_t bits,
								       const uint32_t *outer_h, uint8_t *mac)
{
	kgss::sha_ni::hmac_finish(kgss::sha_ni::sha256_hmac{K256}, inner_h, buf, used, bits, outer_h, mac);
}

// A whole HMAC-SHA256 over parts in one call (sha_ni.h, kgss_hash_class.hmac_parts).
__attribute__((target("sha,sse4.1,ssse3"))) void sha256_hmac_parts_ni(const uint32_t *inner_h,
								      const kgss_hash_part *parts, size_t n,
								      uint64_t bits, const uint32_t *outer_h,
								      uint8_t *mac)
{
	kgss::sha_ni::hmac_parts(kgss::sha_ni::sha256_hmac{K256}, inner_h, parts, n, bits, outer_h, mac);
}

// The SHA-NI class's hmac_finish: the SIMD rule, and the portable one when
// SIMD is unusable (md_common.h); its hmac_parts declines then.
constexpr auto sha256_hmac_finish_simd =
	kgss::md::hmac_finish_simd<sha256_state, sha256_hmac_finish_ni, sha256_hmac_finish_portable, 32>;
constexpr auto sha256_hmac_parts_simd = kgss::md::hmac_parts_simd<sha256_state, sha256_hmac_parts_ni, 32>;
#else
void sha256_blocks_ni(uint32_t *h, const uint8_t *p, size_t nblocks) { sha256_blocks_portable(h, p, nblocks); }
constexpr auto sha256_hmac_finish_simd = sha256_hmac_finish_portable;
constexpr int (*sha256_hmac_parts_simd)(const void *, const void *, const kgss_hash_part *, size_t,
					uint8_t *) = nullptr;
#endif

// ---- SHA-512 compression (FIPS 180-4 sections 4.1.3, 6.4.2) --------------------
// The portable block function of sha512_block.h (shared with the stitched
// CBC + HMAC-SHA-384 engine, stitch.cc) with nothing interleaved.
struct sha512_no_job {
	template <unsigned T>
	void tick()
	{
	}
};

void sha512_blocks(uint64_t *h, const uint8_t *p, size_t nblocks)
{
	uint64_t w[16]; // secret: circular message schedule
	sha512_no_job none;
	for (; nblocks > 0; nblocks--, p += 128)
		kgss::sha512::block(h, p, w, none);
	KGSS_WIPE(w);
}

#if KGSS_SHA2_HAVE_NI
// ---- SHA-512 compression with AVX2 and BMI2 -----------------------------------
// Two blocks at a time (sha512_avx2.h), nothing interleaved.
// Use only when kgss::cpu_has_avx2_bmi2() (backend.cc checks).
__attribute__((target("avx2,bmi2"))) void sha512_blocks_avx2(uint64_t *h, const uint8_t *p, size_t nblocks)
{
	kgss::sha512_avx2::scratch sc; // secret
	sha512_no_job none;
	while (nblocks) {
		const bool two = nblocks > 1;
		kgss::sha512_avx2::pair(h, p, two, sc, none);
		if (!two)
			break;
		p += 256;
		nblocks -= 2;
	}
	KGSS_WIPE(sc.wk1); // (apart: KGSS_WIPE inlines at most 512 bytes)
	KGSS_WIPE(sc.wk2);
}
#else
void sha512_blocks_avx2(uint64_t *h, const uint8_t *p, size_t nblocks) { sha512_blocks(h, p, nblocks); }
#endif

// FIPS 180-4 section 5.1.1: SHA-256 takes messages shorter than 2^64 bits.
constexpr uint64_t SHA256_MAX_BYTES = (UINT64_C(1) << 61) - 1;
// SHA-384 allows 2^128 bits; the state counts bytes in 64 bits, so the
// practical limit is 2^64 - 1 bytes (still far beyond any real input).
constexpr uint64_t SHA384_MAX_BYTES = UINT64_MAX;

// The SHA-NI and AVX2 compressions behind the SIMD rule (crypto/builtin/simd.h).
constexpr auto sha256_blocks_simd = kgss::simd::blocks<uint32_t, sha256_blocks_ni, sha256_blocks_portable, 64>;
constexpr auto sha512_blocks_simd = kgss::simd::blocks<uint64_t, sha512_blocks_avx2, sha512_blocks, 128>;

int sha256_init(void *st)
{
	kgss::md::start(static_cast<sha256_state *>(st), IV256);
	return 0;
}

int sha384_init(void *st)
{
	kgss::md::start(static_cast<sha512_state *>(st), IV384);
	return 0;
}

} // namespace

extern "C" constinit const kgss_hash_class kgss_builtin_sha256 =
	kgss::md::hash_class<sha256_state, sha256_blocks_portable, SHA256_MAX_BYTES, true, 8, 32>(
		"sha256", sha256_init, sha256_hmac_finish_portable);

extern "C" constinit const kgss_hash_class kgss_builtin_sha256_ni =
	kgss::md::hash_class<sha256_state, sha256_blocks_simd, SHA256_MAX_BYTES, true, 8, 32>(
		KGSS_SHA2_HAVE_NI ? "sha256-ni" : "sha256", sha256_init, sha256_hmac_finish_simd,
		sha256_hmac_parts_simd);

// SHA-384: SHA-512 with the section 5.3.4 IV, 128-bit length field, and the
// leftmost 384 bits of the final hash value (section 6.5).
extern "C" constinit const kgss_hash_class kgss_builtin_sha384 =
	kgss::md::hash_class<sha512_state, sha512_blocks, SHA384_MAX_BYTES, true, 16, 48>("sha384", sha384_init);

extern "C" constinit const kgss_hash_class kgss_builtin_sha384_avx2 =
	kgss::md::hash_class<sha512_state, sha512_blocks_simd, SHA384_MAX_BYTES, true, 16, 48>(
		KGSS_SHA2_HAVE_NI ? "sha384-avx2" : "sha384", sha384_init);
