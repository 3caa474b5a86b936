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
#define KGSS_SHA_NI_TARGET __attribute__((target("sha,sse4.1,ssse3")))
#include "crypto/builtin/sha_ni.h"
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
			e = d;
			d = c;
			c = rotl32(b, 30);
			b = a;
			a = x;
		}
		for (; t < 40; t++) { // Parity
			uint32_t x = rotl32(a, 5) + (b ^ c ^ d) + e + K1 + next(t);
			e = d;
			d = c;
			c = rotl32(b, 30);
			b = a;
			a = x;
		}
		for (; t < 60; t++) { // Maj
			uint32_t x = rotl32(a, 5) + ((b & c) | (b & d) | (c & d)) + e + K2 + next(t);
			e = d;
			d = c;
			c = rotl32(b, 30);
			b = a;
			a = x;
		}
		for (; t < 80; t++) { // Parity
			uint32_t x = rotl32(a, 5) + (b ^ c ^ d) + e + K3 + next(t);
			e = d;
			d = c;
			c = rotl32(b, 30);
			b = a;
			a = x;
		}
		h[0] += a;
		h[1] += b;
		h[2] += c;
		h[3] += d;
		h[4] += e;
		p += 64;
	}
	KGSS_WIPE(w);
}

constexpr auto sha1_hmac_finish_portable = kgss::md::hmac_finish<sha1_state, sha1_blocks_portable, true, 8, 20>;

#if KGSS_SHA1_HAVE_NI
// SHA-1 with the SHA extensions: the block function of sha_ni.h (shared with
// the stitched CBC + HMAC engine, stitch.cc) with nothing interleaved.
__attribute__((target("sha,sse4.1,ssse3"))) void sha1_blocks_ni(uint32_t *h, const uint8_t *p, size_t nblocks)
{
	kgss::sha_ni::sha1_regs s = kgss::sha_ni::sha1_load(h); // secret
	kgss::sha_ni::no_job none;
	for (; nblocks > 0; nblocks--, p += 64)
		kgss::sha_ni::sha1_block(s, p, none);
	kgss::sha_ni::sha1_store(h, s);
}

// The fused HMAC finish of sha_ni.h for SHA-1 (20-byte MAC).
__attribute__((target("sha,sse4.1,ssse3"))) void sha1_hmac_finish_ni(const uint32_t *inner_h, const uint8_t *buf,
								     unsigned used, uint64_t bits,
								     const uint32_t *outer_h, uint8_t *mac)
{
	kgss::sha_ni::hmac_finish(kgss::sha_ni::sha1_hmac{}, inner_h, buf, used, bits, outer_h, mac);
}

// A whole HMAC-SHA1 over parts in one call (sha_ni.h, kgss_hash_class.hmac_parts).
__attribute__((target("sha,sse4.1,ssse3"))) void sha1_hmac_parts_ni(const uint32_t *inner_h,
								    const kgss_hash_part *parts, size_t n,
								    uint64_t bits, const uint32_t *outer_h,
								    uint8_t *mac)
{
	kgss::sha_ni::hmac_parts(kgss::sha_ni::sha1_hmac{}, inner_h, parts, n, bits, outer_h, mac);
}

// The SHA-NI class's hmac_finish: the SIMD rule, and the portable one when
// SIMD is unusable (md_common.h); its hmac_parts declines then.
constexpr auto sha1_hmac_finish_simd =
	kgss::md::hmac_finish_simd<sha1_state, sha1_hmac_finish_ni, sha1_hmac_finish_portable, 20>;
constexpr auto sha1_hmac_parts_simd = kgss::md::hmac_parts_simd<sha1_state, sha1_hmac_parts_ni, 20>;
#else
void sha1_blocks_ni(uint32_t *h, const uint8_t *p, size_t nblocks) { sha1_blocks_portable(h, p, nblocks); }
constexpr auto sha1_hmac_finish_simd = sha1_hmac_finish_portable;
constexpr int (*sha1_hmac_parts_simd)(const void *, const void *, const kgss_hash_part *, size_t, uint8_t *) = nullptr;
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

extern "C" constinit const kgss_hash_class kgss_builtin_sha1 =
	kgss::md::hash_class<sha1_state, sha1_blocks_portable, SHA1_MAX_BYTES, true, 8, 20>("sha1", sha1_init,
											    sha1_hmac_finish_portable);

extern "C" constinit const kgss_hash_class kgss_builtin_sha1_ni =
	kgss::md::hash_class<sha1_state, sha1_blocks_simd, SHA1_MAX_BYTES, true, 8, 20>(
		KGSS_SHA1_HAVE_NI ? "sha1-ni" : "sha1", sha1_init, sha1_hmac_finish_simd, sha1_hmac_parts_simd);
