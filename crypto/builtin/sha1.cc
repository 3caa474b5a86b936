// crypto/builtin/sha1.cc - SHA-1 (FIPS 180-4 section 6.1): a portable
// implementation and one using the x86 SHA extensions (SHA-NI).
//
// Both classes share one state layout (md_common.h); only the block function
// differs.  The SHA-NI functions carry __attribute__((target(...))) so this
// file builds without a global -msha; callers must check
// kgss::cpu_has_shani() before using kgss_builtin_sha1_ni (backend.cc does).
// On non-x86 targets kgss_builtin_sha1_ni is the portable code.
#include "crypto/builtin/builtin.h"
#include "crypto/builtin/md_common.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define KGSS_SHA1_HAVE_NI 1
#else
#define KGSS_SHA1_HAVE_NI 0
#endif

namespace {

using kgss::md::rotl32;
using sha1_state = kgss::md::state<uint32_t, 5, 64>;
static_assert(kgss::md::fits<sha1_state>(), "SHA-1 state exceeds KGSS_HASH_STATE_MAX");

// FIPS 180-4 section 5.3.1: initial hash value.
const uint32_t sha1_iv[5] = {0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u, 0xc3d2e1f0u};

// FIPS 180-4 section 4.2.1: the four round constants.
constexpr uint32_t K0 = 0x5a827999u, K1 = 0x6ed9eba1u, K2 = 0x8f1bbcdcu, K3 = 0xca62c1d6u;

// FIPS 180-4 section 6.1.2, with the 16-word circular message schedule of
// section 6.1.3 (W[t] lives in w[t mod 16]).
void sha1_blocks_portable(uint32_t *h, const uint8_t *p, size_t nblocks)
{
	uint32_t w[16]; // secret: message schedule (HMAC key material passes through)
	while (nblocks--) {
		for (int t = 0; t < 16; t++)
			w[t] = kgss::load_be32(p + 4 * t);
		uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4]; // secret: working variables
		int t = 0;
		auto next = [&w](int i) -> uint32_t {
			if (i < 16)
				return w[i];
			uint32_t x = w[(i - 3) & 15] ^ w[(i - 8) & 15] ^ w[(i - 14) & 15] ^ w[i & 15];
			x = rotl32(x, 1);
			w[i & 15] = x;
			return x;
		};
		for (; t < 20; t++) { // Ch
			uint32_t x = rotl32(a, 5) + ((b & c) | (~b & d)) + e + K0 + next(t);
			e = d; d = c; c = rotl32(b, 30); b = a; a = x;
		}
		for (; t < 40; t++) { // Parity
			uint32_t x = rotl32(a, 5) + (b ^ c ^ d) + e + K1 + next(t);
			e = d; d = c; c = rotl32(b, 30); b = a; a = x;
		}
		for (; t < 60; t++) { // Maj
			uint32_t x = rotl32(a, 5) + ((b & c) | (b & d) | (c & d)) + e + K2 + next(t);
			e = d; d = c; c = rotl32(b, 30); b = a; a = x;
		}
		for (; t < 80; t++) { // Parity
			uint32_t x = rotl32(a, 5) + (b ^ c ^ d) + e + K3 + next(t);
			e = d; d = c; c = rotl32(b, 30); b = a; a = x;
		}
		h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
		p += 64;
	}
	KGSS_WIPE(w);
}

#if KGSS_SHA1_HAVE_NI
// SHA-1 with the SHA extensions.  Register layout: abcd holds A..D with A in
// the top 32-bit lane; e holds E in the top lane.  Each sha1rnds4 does four
// rounds (its immediate selects f/K for rounds 0-19, 20-39, 40-59, 60-79);
// sha1nexte derives the next E (ROTL30 of the A four rounds back) and adds
// the next four schedule words; sha1msg1/sha1msg2 with an XOR compute
// W[t] = ROTL1(W[t-3] ^ W[t-8] ^ W[t-14] ^ W[t-16]) four words at a time.
__attribute__((target("sha,sse4.1,ssse3"))) void sha1_blocks_ni(uint32_t *h, const uint8_t *p,
								 size_t nblocks)
{
	// Reverses all 16 bytes: big-endian W[0] lands in the top lane.
	const __m128i bswap = _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
	__m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)h), 0x1b); // secret
	__m128i e0 = _mm_set_epi32((int)h[4], 0, 0, 0);                             // secret

	while (nblocks--) {
		const __m128i abcd_in = abcd, e_in = e0;
		__m128i m0, m1, m2, m3, e, prev; // secret: schedule and E values

#define KGSS_SHA1_LOAD(m, i) m = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * (i))), bswap)
// Four rounds with schedule words m (f selects the round function).
#define KGSS_SHA1_R4(m, f)                                  \
	do {                                                \
		e = _mm_sha1nexte_epu32(prev, m);           \
		prev = abcd;                                \
		abcd = _mm_sha1rnds4_epu32(abcd, e, f);     \
	} while (0)
// a = W[t..t+3] from a = W[t-16..], b = W[t-12..], c = W[t-8..], d = W[t-4..].
#define KGSS_SHA1_SCHED(a, b, c, d) a = _mm_sha1msg2_epu32(_mm_xor_si128(_mm_sha1msg1_epu32(a, b), c), d)

		KGSS_SHA1_LOAD(m0, 0);
		KGSS_SHA1_LOAD(m1, 1);
		KGSS_SHA1_LOAD(m2, 2);
		KGSS_SHA1_LOAD(m3, 3);
		// Rounds 0-3: E comes from the chaining value, not from sha1nexte.
		e = _mm_add_epi32(e0, m0);
		prev = abcd;
		abcd = _mm_sha1rnds4_epu32(abcd, e, 0);
		KGSS_SHA1_R4(m1, 0);
		KGSS_SHA1_R4(m2, 0);
		KGSS_SHA1_R4(m3, 0);
		KGSS_SHA1_SCHED(m0, m1, m2, m3); KGSS_SHA1_R4(m0, 0); // rounds 16-19
		KGSS_SHA1_SCHED(m1, m2, m3, m0); KGSS_SHA1_R4(m1, 1); // 20-23
		KGSS_SHA1_SCHED(m2, m3, m0, m1); KGSS_SHA1_R4(m2, 1);
		KGSS_SHA1_SCHED(m3, m0, m1, m2); KGSS_SHA1_R4(m3, 1);
		KGSS_SHA1_SCHED(m0, m1, m2, m3); KGSS_SHA1_R4(m0, 1);
		KGSS_SHA1_SCHED(m1, m2, m3, m0); KGSS_SHA1_R4(m1, 1); // 36-39
		KGSS_SHA1_SCHED(m2, m3, m0, m1); KGSS_SHA1_R4(m2, 2); // 40-43
		KGSS_SHA1_SCHED(m3, m0, m1, m2); KGSS_SHA1_R4(m3, 2);
		KGSS_SHA1_SCHED(m0, m1, m2, m3); KGSS_SHA1_R4(m0, 2);
		KGSS_SHA1_SCHED(m1, m2, m3, m0); KGSS_SHA1_R4(m1, 2);
		KGSS_SHA1_SCHED(m2, m3, m0, m1); KGSS_SHA1_R4(m2, 2); // 56-59
		KGSS_SHA1_SCHED(m3, m0, m1, m2); KGSS_SHA1_R4(m3, 3); // 60-63
		KGSS_SHA1_SCHED(m0, m1, m2, m3); KGSS_SHA1_R4(m0, 3);
		KGSS_SHA1_SCHED(m1, m2, m3, m0); KGSS_SHA1_R4(m1, 3);
		KGSS_SHA1_SCHED(m2, m3, m0, m1); KGSS_SHA1_R4(m2, 3);
		KGSS_SHA1_SCHED(m3, m0, m1, m2); KGSS_SHA1_R4(m3, 3); // 76-79
#undef KGSS_SHA1_LOAD
#undef KGSS_SHA1_R4
#undef KGSS_SHA1_SCHED
		// E after round 79 is ROTL30(A of round 75); add the chaining value.
		e0 = _mm_sha1nexte_epu32(prev, e_in);
		abcd = _mm_add_epi32(abcd, abcd_in);
		p += 64;
	}
	_mm_storeu_si128((__m128i *)h, _mm_shuffle_epi32(abcd, 0x1b));
	h[4] = (uint32_t)_mm_extract_epi32(e0, 3);
}
#else
void sha1_blocks_ni(uint32_t *h, const uint8_t *p, size_t nblocks) { sha1_blocks_portable(h, p, nblocks); }
#endif

// FIPS 180-4 section 5.1.1: messages shorter than 2^64 bits.
constexpr uint64_t SHA1_MAX_BYTES = (UINT64_C(1) << 61) - 1;

int sha1_init(void *st)
{
	kgss::md::start(static_cast<sha1_state *>(st), sha1_iv);
	return 0;
}

} // namespace

extern "C" const kgss_hash_class kgss_builtin_sha1 = {
	sizeof(sha1_state), 20, 64, "sha1",
	sha1_init,
	kgss::md::update<sha1_state, sha1_blocks_portable, SHA1_MAX_BYTES>,
	kgss::md::finish<sha1_state, sha1_blocks_portable, true, 8, 20>,
	kgss::md::copy<sha1_state>,
	kgss::md::clear<sha1_state>,
};

extern "C" const kgss_hash_class kgss_builtin_sha1_ni = {
	sizeof(sha1_state), 20, 64,
#if KGSS_SHA1_HAVE_NI
	"sha1-ni",
#else
	"sha1",
#endif
	sha1_init,
	kgss::md::update<sha1_state, sha1_blocks_ni, SHA1_MAX_BYTES>,
	kgss::md::finish<sha1_state, sha1_blocks_ni, true, 8, 20>,
	kgss::md::copy<sha1_state>,
	kgss::md::clear<sha1_state>,
};
