// crypto/builtin/sha_ni.h - the SHA-1 and SHA-256 compression of one block
// with the x86 SHA extensions, with a hook for interleaved work.
//
// sha1.cc and sha2.cc compress with these (job = no_job); stitch.cc runs an
// AES-CBC job inside the same block (the stitched CBC + HMAC engine): after
// every four-round group G the block calls job.tick<G>(), so the instructions of
// the two computations alternate in program order and the out-of-order core
// overlaps the hash's dependency chain with the cipher's.
//
// The includer defines KGSS_SHA_NI_TARGET, the target attribute of its own
// functions (a superset of "sha,sse4.1,ssse3"), before including this file:
// the functions here are always inlined into those callers, so they must
// carry a subset of the callers' target and the job's tick() must be inlinable
// into them.  x86 only.
#ifndef KGSS_CRYPTO_BUILTIN_SHA_NI_H
#define KGSS_CRYPTO_BUILTIN_SHA_NI_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <immintrin.h>

#include "kgss_crypto.h"

#ifndef KGSS_SHA_NI_TARGET
#error "define KGSS_SHA_NI_TARGET before including crypto/builtin/sha_ni.h"
#endif

#define KGSS_SHA_NI_INLINE KGSS_SHA_NI_TARGET __attribute__((always_inline)) inline

namespace kgss {
namespace sha_ni {

// No interleaved work: the plain compression.  A job's tick<G>() runs after
// four-round group G of a block (G is a compile-time constant, so the job can
// place its work statically).
struct no_job {
	template <unsigned G>
	KGSS_SHA_NI_INLINE void tick()
	{
	}
};

// Where a block's sixteen message words come from: get(g) is words
// 4g..4g+3 in the lane order of the hash's rounds (SHA-1: W[4g] in the top
// lane, SHA-256: in the bottom lane).  Memory sources load and byte-swap
// 64 bytes at p; words_msg holds words already in registers (the fused HMAC
// finish builds its padded blocks there: no store-to-load round trip).
struct sha1_mem {
	const uint8_t *p;
	KGSS_SHA_NI_INLINE __m128i get(int g) const
	{
		// Reverses all 16 bytes: big-endian W[4g] lands in the top lane.
		const __m128i bswap = _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
		return _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * g)), bswap);
	}
};
struct sha256_mem {
	const uint8_t *p;
	KGSS_SHA_NI_INLINE __m128i get(int g) const
	{
		// Byte-swaps each 32-bit lane (big-endian message words).
		const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
		return _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * g)), bswap);
	}
};
struct words_msg {
	__m128i w[4]; // secret (under HMAC)
	KGSS_SHA_NI_INLINE __m128i get(int g) const { return w[g]; }
};

// ---- final padding in registers (FIPS 180-4 section 5.1.1) -------------------
// For the fused HMAC finish: the last block of a message built from the
// used (< 64) bytes pending at buf without storing it first (a 16-byte load
// of freshly stored narrower pieces stalls store-to-load forwarding).
// pad_bytes is bytes 16g..16g+15 of that block as in memory: buf's bytes
// below used, 0x80 at used, zeros after.  Bytes of buf from used on are
// read (they are initialised state bytes) and masked off.
KGSS_SHA_NI_INLINE __m128i pad_bytes(const uint8_t *buf, unsigned used, int g)
{
	const __m128i idx = _mm_add_epi8(_mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
					 _mm_set1_epi8((char)(16 * g)));
	const __m128i u = _mm_set1_epi8((char)used); // used < 64: signed compares are exact
	const __m128i keep = _mm_cmpgt_epi8(u, idx);
	const __m128i mark = _mm_and_si128(_mm_cmpeq_epi8(u, idx), _mm_set1_epi8((char)0x80));
	return _mm_or_si128(_mm_and_si128(_mm_loadu_si128((const __m128i *)(buf + 16 * g)), keep), mark);
}

// The 64-bit big-endian message length in bits, as the last 8 bytes of a
// block's last 16 (FIPS 180-4 section 5.1.1).
KGSS_SHA_NI_INLINE __m128i len_bytes(uint64_t bits) { return _mm_set_epi64x((long long)__builtin_bswap64(bits), 0); }

// ---- SHA-1 (FIPS 180-4 section 6.1.2) ---------------------------------------
// Register layout: abcd holds A..D with A in the top 32-bit lane; e holds E in
// the top lane.  Each sha1rnds4 does four rounds (its immediate selects f/K
// for rounds 0-19, 20-39, 40-59, 60-79); sha1nexte derives the next E (ROTL30
// of the A four rounds back) and adds the next four schedule words;
// sha1msg1/sha1msg2 with an XOR compute W[t] = ROTL1(W[t-3] ^ W[t-8] ^
// W[t-14] ^ W[t-16]) four words at a time.  (The registers live in xmm
// registers / spill slots that are not wiped.)
struct sha1_regs {
	__m128i abcd, e0; // secret: the chaining value (under HMAC)
};

KGSS_SHA_NI_INLINE sha1_regs sha1_load(const uint32_t *h)
{
	return sha1_regs{_mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)h), 0x1b),
			 _mm_set_epi32((int)h[4], 0, 0, 0)};
}

KGSS_SHA_NI_INLINE void sha1_store(uint32_t *h, const sha1_regs &s)
{
	_mm_storeu_si128((__m128i *)h, _mm_shuffle_epi32(s.abcd, 0x1b));
	h[4] = (uint32_t)_mm_extract_epi32(s.e0, 3);
}

// Registers of the rounds, grouped so one step can be a function.
struct sha1_rounds {
	__m128i abcd, prev;     // secret: A..D now and four rounds back
	__m128i m0, m1, m2, m3; // secret: the last 16 schedule words, oldest first
};

// Four rounds 4g..4g+3 (g >= 4) with round function F: schedule via
// sha1msg1/xor/sha1msg2, next E via sha1nexte, then sha1rnds4.
template <int F>
KGSS_SHA_NI_INLINE void sha1_step(sha1_rounds &r)
{
	const __m128i w = _mm_sha1msg2_epu32(_mm_xor_si128(_mm_sha1msg1_epu32(r.m0, r.m1), r.m2), r.m3);
	const __m128i e = _mm_sha1nexte_epu32(r.prev, w);
	r.prev = r.abcd;
	r.abcd = _mm_sha1rnds4_epu32(r.abcd, e, F);
	r.m0 = r.m1;
	r.m1 = r.m2;
	r.m2 = r.m3;
	r.m3 = w;
}

// Rounds 4g..4g+3 (1 <= g <= 3) on message words 4g..4g+3.
template <typename Msg>
KGSS_SHA_NI_INLINE void sha1_first(sha1_rounds &r, const Msg &msg, int g)
{
	const __m128i m4 = msg.get(g);
	const __m128i e = _mm_sha1nexte_epu32(r.prev, m4);
	r.prev = r.abcd;
	r.abcd = _mm_sha1rnds4_epu32(r.abcd, e, 0);
	r.m0 = r.m1;
	r.m1 = r.m2;
	r.m2 = r.m3;
	r.m3 = m4;
}

// Four-round groups G .. 19 of a block, each followed by job.tick<G>().
template <unsigned G, typename Msg, typename Job>
KGSS_SHA_NI_INLINE void sha1_groups(sha1_rounds &r, const Msg &msg, Job &job)
{
	if constexpr (G < 20) {
		if constexpr (G < 4)
			sha1_first(r, msg, (int)G); // rounds 4-15 (G = 0 is done by sha1_block_words)
		else
			sha1_step<G / 5>(r); // rounds 16-79: f/K 0 up to round 19, then 1, 2, 3
		job.template tick<G>();
		sha1_groups<G + 1>(r, msg, job);
	}
}

// One block of message words msg into s; job.tick<G>() after four-round group G.
template <typename Msg, typename Job>
KGSS_SHA_NI_INLINE void sha1_block_words(sha1_regs &s, const Msg &msg, Job &job)
{
	sha1_rounds r;
	r.m0 = r.m1 = r.m2 = _mm_setzero_si128();
	// Rounds 0-3: E comes from the chaining value, not from sha1nexte.
	r.m3 = msg.get(0);
	r.prev = s.abcd;
	r.abcd = _mm_sha1rnds4_epu32(s.abcd, _mm_add_epi32(s.e0, r.m3), 0);
	job.template tick<0>();
	sha1_groups<1>(r, msg, job);
	// E after round 79 is ROTL30(A of round 75); add the chaining value.
	s.e0 = _mm_sha1nexte_epu32(r.prev, s.e0);
	s.abcd = _mm_add_epi32(r.abcd, s.abcd);
}

// One 64-byte block at p into s.
template <typename Job>
KGSS_SHA_NI_INLINE void sha1_block(sha1_regs &s, const uint8_t *p, Job &job)
{
	sha1_block_words(s, sha1_mem{p}, job);
}
constexpr unsigned kSha1Ticks = 20; // job.tick<G>() calls per block

// ---- SHA-256 (FIPS 180-4 section 6.2.2) -------------------------------------
// sha256rnds2 keeps the state as two registers, ABEF and CDGH (A in the top
// lane), and does two rounds with the low two lanes of its message+constant
// operand; sha256msg1/sha256msg2 plus an alignr (for W[t-7]) compute four
// schedule words W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16].
struct sha256_regs {
	__m128i abef, cdgh; // secret: the chaining value (under HMAC)
};

KGSS_SHA_NI_INLINE sha256_regs sha256_load(const uint32_t *h)
{
	__m128i t = _mm_loadu_si128((const __m128i *)&h[0]);   // lanes A B C D (low..high)
	__m128i st1 = _mm_loadu_si128((const __m128i *)&h[4]); // lanes E F G H
	t = _mm_shuffle_epi32(t, 0xb1);                        // B A D C
	st1 = _mm_shuffle_epi32(st1, 0x1b);                    // H G F E
	return sha256_regs{_mm_alignr_epi8(t, st1, 8),         // F E B A  = "ABEF"
			   _mm_blend_epi16(st1, t, 0xf0)};     // H G D C  = "CDGH"
}

KGSS_SHA_NI_INLINE void sha256_store(uint32_t *h, const sha256_regs &s)
{
	const __m128i t = _mm_shuffle_epi32(s.abef, 0x1b);               // A B E F (low..high)
	const __m128i u = _mm_shuffle_epi32(s.cdgh, 0xb1);               // C D G H
	_mm_storeu_si128((__m128i *)&h[0], _mm_blend_epi16(t, u, 0xf0)); // A B C D
	_mm_storeu_si128((__m128i *)&h[4], _mm_alignr_epi8(u, t, 8));    // E F G H
}

// Rounds 4i..4i+3 with schedule words m; k256 = the FIPS 180-4 section 4.2.2
// constants (16-byte aligned).
KGSS_SHA_NI_INLINE void sha256_r4(__m128i &st0, __m128i &st1, __m128i m, const uint32_t *k256, int i)
{
	__m128i k = _mm_add_epi32(m, _mm_load_si128((const __m128i *)&k256[4 * i]));
	st1 = _mm_sha256rnds2_epu32(st1, st0, k);
	k = _mm_shuffle_epi32(k, 0x0e);
	st0 = _mm_sha256rnds2_epu32(st0, st1, k);
}

// Registers of the SHA-256 rounds.
struct sha256_rounds {
	__m128i st0, st1;       // secret: ABEF, CDGH
	__m128i m0, m1, m2, m3; // secret: the last 16 schedule words, oldest first
};

// Four-round groups G .. 15 of a block, each followed by job.tick<G>().
template <unsigned G, typename Msg, typename Job>
KGSS_SHA_NI_INLINE void sha256_groups(sha256_rounds &r, const Msg &msg, const uint32_t *k256, Job &job)
{
	if constexpr (G < 16) {
		if constexpr (G < 4) { // rounds 0..15: the message words
			r.m0 = msg.get((int)G);
		} else { // W[t..t+3] from W[t-16..], W[t-12..], W[t-8..], W[t-4..]
			r.m0 = _mm_sha256msg2_epu32(
				_mm_add_epi32(_mm_sha256msg1_epu32(r.m0, r.m1), _mm_alignr_epi8(r.m3, r.m2, 4)), r.m3);
		}
		sha256_r4(r.st0, r.st1, r.m0, k256, (int)G);
		const __m128i m4 = r.m0;
		r.m0 = r.m1;
		r.m1 = r.m2;
		r.m2 = r.m3;
		r.m3 = m4;
		job.template tick<G>();
		sha256_groups<G + 1>(r, msg, k256, job);
	}
}

// One block of message words msg into s; job.tick<G>() after four-round group G.
template <typename Msg, typename Job>
KGSS_SHA_NI_INLINE void sha256_block_words(sha256_regs &s, const Msg &msg, const uint32_t *k256, Job &job)
{
	sha256_rounds r;
	r.st0 = s.abef;
	r.st1 = s.cdgh;
	r.m0 = r.m1 = r.m2 = r.m3 = _mm_setzero_si128();
	sha256_groups<0>(r, msg, k256, job);
	s.abef = _mm_add_epi32(r.st0, s.abef);
	s.cdgh = _mm_add_epi32(r.st1, s.cdgh);
}

// One 64-byte block at p into s.
template <typename Job>
KGSS_SHA_NI_INLINE void sha256_block(sha256_regs &s, const uint8_t *p, const uint32_t *k256, Job &job)
{
	sha256_block_words(s, sha256_mem{p}, k256, job);
}
constexpr unsigned kSha256Ticks = 16; // job.tick<G>() calls per block

// ---- the fused HMAC finish (RFC 2104), all in registers ----------------------
// The inner hash (chaining value s) finished: its last block(s) padded
// (FIPS 180-4 section 5.1.1) from the used bytes pending at buf and compressed; then the one outer block - the
// inner digest, 0x80, zeros, the bit length of K ^ opad plus the digest -
// compressed from the outer chaining value outer_h; the digest-size MAC
// written to mac.  Hash is sha1_hmac or sha256_hmac below: its swap() mask
// turns 16 message bytes into four words in its lane order, outer() makes
// the outer block's words from a chaining value, put() writes the MAC.
// (Registers and spill slots are not wiped.)
template <typename Hash>
KGSS_SHA_NI_INLINE void hmac_finish_regs(const Hash &hash, typename Hash::regs s, const uint8_t *buf, unsigned used,
					 uint64_t bits, const uint32_t *outer_h, uint8_t *mac)
{
	const __m128i sw = Hash::swap();
	__m128i last = pad_bytes(buf, used, 3);
	if (used < 64 - 8)
		last = _mm_or_si128(last, len_bytes(bits));
	const words_msg m = {{_mm_shuffle_epi8(pad_bytes(buf, used, 0), sw),
			      _mm_shuffle_epi8(pad_bytes(buf, used, 1), sw),
			      _mm_shuffle_epi8(pad_bytes(buf, used, 2), sw), _mm_shuffle_epi8(last, sw)}};
	hash.block(s, m);
	if (used >= 64 - 8) { // no room for the length: one more block of zeros and the length
		const __m128i z = _mm_setzero_si128();
		const words_msg m2 = {{z, z, z, _mm_shuffle_epi8(len_bytes(bits), sw)}};
		hash.block(s, m2);
	}
	typename Hash::regs o = Hash::load(outer_h);
	hash.block(o, Hash::outer(s));
	Hash::put(mac, o);
}

// The fused finish of kgss_hash_class.hmac_finish: the inner chaining value
// inner_h, its used pending bytes at buf.
template <typename Hash>
KGSS_SHA_NI_INLINE void hmac_finish(const Hash &hash, const uint32_t *inner_h, const uint8_t *buf, unsigned used,
				    uint64_t bits, const uint32_t *outer_h, uint8_t *mac)
{
	hmac_finish_regs(hash, Hash::load(inner_h), buf, used, bits, outer_h, mac);
}

// ---- a whole HMAC in one call (kgss_hash_class.hmac_parts, RFC 2104) ---------
// The inner hash runs from inner_h over the parts in order with its chaining
// value in registers: whole blocks straight from the caller's memory, the
// bytes of a block that straddles parts (and the last partial block)
// gathered in blk, then hmac_finish_regs.  bits: the inner message's length
// in bits, the K ^ ipad block included.  blk is zeroed first, so
// hmac_finish_regs reads initialised bytes past the pending ones, and wiped
// after (it held message bytes).
template <typename Hash>
KGSS_SHA_NI_INLINE void hmac_parts(const Hash &hash, const uint32_t *inner_h, const kgss_hash_part *parts, size_t n,
				   uint64_t bits, const uint32_t *outer_h, uint8_t *mac)
{
	alignas(16) uint8_t blk[64]; // secret: message bytes (wrap plaintext under integrity)
	const __m128i z = _mm_setzero_si128();
	for (int g = 0; g < 4; g++)
		_mm_store_si128((__m128i *)(blk + 16 * g), z);
	typename Hash::regs s = Hash::load(inner_h); // secret
	unsigned used = 0;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *p = parts[i].data;
		size_t len = parts[i].len;
		if (len == 0)
			continue;
		if (used != 0) { // fill the block begun by an earlier part
			const size_t take = 64 - used < len ? 64 - used : len;
			memcpy(blk + used, p, take);
			used += (unsigned)take;
			p += take;
			len -= take;
			if (used < 64)
				continue;
			hash.block_at(s, blk);
			used = 0;
		}
		for (; len >= 64; len -= 64, p += 64)
			hash.block_at(s, p);
		if (len != 0) {
			memcpy(blk, p, len);
			used = (unsigned)len;
		}
	}
	hmac_finish_regs(hash, s, blk, used, bits, outer_h, mac);
	for (int g = 0; g < 4; g++)
		_mm_store_si128((__m128i *)(blk + 16 * g), z);
	__asm__ __volatile__("" : : "r"(blk) : "memory"); // the wipe is not a dead store
}

struct sha1_hmac {
	using regs = sha1_regs;
	// Reverses all 16 bytes: big-endian W[4g] lands in the top lane.
	KGSS_SHA_NI_INLINE static __m128i swap() { return _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL); }
	KGSS_SHA_NI_INLINE static regs load(const uint32_t *h) { return sha1_load(h); }
	KGSS_SHA_NI_INLINE void block(regs &s, const words_msg &m) const
	{
		no_job none;
		sha1_block_words(s, m, none);
	}
	KGSS_SHA_NI_INLINE void block_at(regs &s, const uint8_t *p) const
	{
		no_job none;
		sha1_block(s, p, none);
	}
	// W[0..3] = A..D is the abcd register itself (A in the top lane), W[4] = E,
	// W[5] = 0x80000000, W[15] = (64 + 20) * 8.
	KGSS_SHA_NI_INLINE static words_msg outer(const regs &s)
	{
		return words_msg{{s.abcd, _mm_or_si128(s.e0, _mm_set_epi32(0, (int)0x80000000u, 0, 0)),
				  _mm_setzero_si128(), _mm_set_epi32(0, 0, 0, (64 + 20) * 8)}};
	}
	KGSS_SHA_NI_INLINE static void put(uint8_t *mac, const regs &s)
	{
		_mm_storeu_si128((__m128i *)mac, _mm_shuffle_epi8(s.abcd, swap()));
		const uint32_t e = (uint32_t)_mm_extract_epi32(s.e0, 3);
		mac[16] = (uint8_t)(e >> 24);
		mac[17] = (uint8_t)(e >> 16);
		mac[18] = (uint8_t)(e >> 8);
		mac[19] = (uint8_t)e;
	}
};

struct sha256_hmac {
	using regs = sha256_regs;
	const uint32_t *k256; // the FIPS 180-4 section 4.2.2 constants, 16-byte aligned
	// Byte-swaps each 32-bit lane (big-endian message words, W[4g] in the bottom lane).
	KGSS_SHA_NI_INLINE static __m128i swap() { return _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL); }
	KGSS_SHA_NI_INLINE static regs load(const uint32_t *h) { return sha256_load(h); }
	KGSS_SHA_NI_INLINE void block(regs &s, const words_msg &m) const
	{
		no_job none;
		sha256_block_words(s, m, k256, none);
	}
	KGSS_SHA_NI_INLINE void block_at(regs &s, const uint8_t *p) const
	{
		no_job none;
		sha256_block(s, p, k256, none);
	}
	// A B C D and E F G H (low..high), as sha256_store lays them out.
	KGSS_SHA_NI_INLINE static void words(const regs &s, __m128i &abcd, __m128i &efgh)
	{
		const __m128i t = _mm_shuffle_epi32(s.abef, 0x1b); // A B E F
		const __m128i u = _mm_shuffle_epi32(s.cdgh, 0xb1); // C D G H
		abcd = _mm_blend_epi16(t, u, 0xf0);
		efgh = _mm_alignr_epi8(u, t, 8);
	}
	// W[0..7] = A..H, W[8] = 0x80000000, W[15] = (64 + 32) * 8.
	KGSS_SHA_NI_INLINE static words_msg outer(const regs &s)
	{
		words_msg m;
		words(s, m.w[0], m.w[1]);
		m.w[2] = _mm_set_epi32(0, 0, 0, (int)0x80000000u);
		m.w[3] = _mm_set_epi32((64 + 32) * 8, 0, 0, 0);
		return m;
	}
	KGSS_SHA_NI_INLINE static void put(uint8_t *mac, const regs &s)
	{
		__m128i abcd, efgh;
		words(s, abcd, efgh);
		_mm_storeu_si128((__m128i *)mac, _mm_shuffle_epi8(abcd, swap()));
		_mm_storeu_si128((__m128i *)(mac + 16), _mm_shuffle_epi8(efgh, swap()));
	}
};

} // namespace sha_ni
} // namespace kgss

#endif
