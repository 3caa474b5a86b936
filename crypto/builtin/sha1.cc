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
#include "crypto/builtin/simd.h"

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
// (The registers live in xmm registers / spill slots that are not wiped.)

// Registers of the SHA-NI loop, grouped so one step can be a function.
struct sha1_ni_regs {
	__m128i abcd, prev;   // secret: A..D now and four rounds back
	__m128i m0, m1, m2, m3; // secret: the last 16 schedule words, oldest first
};

// Four rounds 4g..4g+3 (g >= 4) with round function F: schedule
// W[t] = ROTL1(W[t-3] ^ W[t-8] ^ W[t-14] ^ W[t-16]) via sha1msg1/xor/sha1msg2,
// next E via sha1nexte, then sha1rnds4.  A separate function (inlined when
// optimising) so that unoptimised builds keep a small stack frame.
template <int F>
__attribute__((target("sha,sse4.1,ssse3"))) inline void sha1_ni_step(sha1_ni_regs &r)
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

__attribute__((target("sha,sse4.1,ssse3"))) void sha1_blocks_ni(uint32_t *h, const uint8_t *p,
								 size_t nblocks)
{
	// Reverses all 16 bytes: big-endian W[0] lands in the top lane.
	const __m128i bswap = _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
	__m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)h), 0x1b); // secret
	__m128i e0 = _mm_set_epi32((int)h[4], 0, 0, 0);                             // secret

	while (nblocks--) {
		const __m128i abcd_in = abcd, e_in = e0;
		__m128i m0 = _mm_setzero_si128(), m1 = m0, m2 = m0, m3 = m0, m4, e, prev; // secret: schedule, E

#define KGSS_SHA1_LOAD(m, i) m = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * (i))), bswap)
// Four rounds with schedule words m (f selects the round function).
#define KGSS_SHA1_R4(m, f)                                  \
	do {                                                \
		e = _mm_sha1nexte_epu32(prev, m);           \
		prev = abcd;                                \
		abcd = _mm_sha1rnds4_epu32(abcd, e, f);     \
	} while (0)

		// Rolled loops keep the frame small in unoptimised builds, where each
		// unrolled intrinsic temporary gets its own stack slot; optimised
		// builds keep m0..m3 in registers and the rotating moves are free.
		// After each group m0..m3 hold the last 16 schedule words.
		// Rounds 0-3: E comes from the chaining value, not from sha1nexte.
		KGSS_SHA1_LOAD(m4, 0);
		e = _mm_add_epi32(e0, m4);
		prev = abcd;
		abcd = _mm_sha1rnds4_epu32(abcd, e, 0);
		m0 = m1; m1 = m2; m2 = m3; m3 = m4;
		for (int g = 1; g < 4; g++) { // rounds 4-15
			KGSS_SHA1_LOAD(m4, g);
			KGSS_SHA1_R4(m4, 0);
			m0 = m1; m1 = m2; m2 = m3; m3 = m4;
		}
		sha1_ni_regs r = {abcd, prev, m0, m1, m2, m3};
		sha1_ni_step<0>(r); // rounds 16-19
		for (int g = 0; g < 5; g++)
			sha1_ni_step<1>(r); // rounds 20-39
		for (int g = 0; g < 5; g++)
			sha1_ni_step<2>(r); // rounds 40-59
		for (int g = 0; g < 5; g++)
			sha1_ni_step<3>(r); // rounds 60-79
		abcd = r.abcd;
		prev = r.prev;
#undef KGSS_SHA1_LOAD
#undef KGSS_SHA1_R4
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

// The SHA-NI compression behind the SIMD rule (crypto/builtin/simd.h).
constexpr auto sha1_blocks_simd = kgss::simd::blocks<uint32_t, sha1_blocks_ni, sha1_blocks_portable, 64>;

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
	kgss::md::update<sha1_state, sha1_blocks_simd, SHA1_MAX_BYTES>,
	kgss::md::finish<sha1_state, sha1_blocks_simd, true, 8, 20>,
	kgss::md::copy<sha1_state>,
	kgss::md::clear<sha1_state>,
};
