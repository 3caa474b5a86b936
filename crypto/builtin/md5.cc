// crypto/builtin/md5.cc - MD5 (RFC 1321).  Built only with KGSS_WITH_RC4: the
// RFC 4757 arcfour-hmac enctypes are MD5's only user in libkgss.
//
// Fast path: the 64 steps of RFC 1321 section 3.4 are written out with their
// constants, message words are read little-endian straight from the input
// (no copy of the block), the chaining value stays in locals across all the
// blocks of one call, and F/G use forms with one operation on the chain.
#include "crypto/builtin/builtin.h"
#include "crypto/builtin/md_common.h"

#if KGSS_WITH_RC4

namespace {

using kgss::md::rotl32;
using md5_state = kgss::md::state<uint32_t, 4, 64>;
static_assert(kgss::md::fits<md5_state>(), "MD5 state exceeds KGSS_HASH_STATE_MAX");

// RFC 1321 section 3.3: initial A, B, C, D.
const uint32_t md5_iv[4] = {0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u};

// X[k] of RFC 1321 section 3.4: word k of the block, little-endian.  memcpy
// lets the compiler use a plain (unaligned) load on little-endian hosts.
inline uint32_t word_le(const uint8_t *p, unsigned k)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint32_t v;
	memcpy(&v, p + 4 * k, 4);
	return v;
#else
	return kgss::load_le32(p + 4 * k);
#endif
}

// The auxiliary functions of RFC 1321 section 3.4, in equivalent forms:
//   F(X,Y,Z) = XY v not(X) Z    = Z xor (X and (Y xor Z))
//   G(X,Y,Z) = XZ v Y not(Z)    = (X and Z) + (Y and not(Z))   (disjoint bits)
//   H(X,Y,Z) = X xor Y xor Z
//   I(X,Y,Z) = Y xor (X v not(Z))
// One step is a = b + ((a + f(b,c,d) + X[k] + T[i]) <<< s).  X[k] + T[i] and
// the parts of f not involving b are added first, off b's dependency chain.
#define KGSS_MD5_F(a, b, c, d, k, t, s)         \
	do {                                    \
		a += word_le(p, k) + (t);       \
		a += (d) ^ ((b) & ((c) ^ (d))); \
		a = rotl32(a, s) + (b);         \
	} while (0)
#define KGSS_MD5_G(a, b, c, d, k, t, s)   \
	do {                              \
		a += word_le(p, k) + (t); \
		a += (c) & ~(d);          \
		a += (b) & (d);           \
		a = rotl32(a, s) + (b);   \
	} while (0)
#define KGSS_MD5_H(a, b, c, d, k, t, s)   \
	do {                              \
		a += word_le(p, k) + (t); \
		a += (b) ^ (c) ^ (d);     \
		a = rotl32(a, s) + (b);   \
	} while (0)
#define KGSS_MD5_I(a, b, c, d, k, t, s)   \
	do {                              \
		a += word_le(p, k) + (t); \
		a += (c) ^ ((b) | ~(d));  \
		a = rotl32(a, s) + (b);   \
	} while (0)

// RFC 1321 section 3.4: the four rounds of sixteen steps, [abcd k s i] as in
// the RFC, with T[i] = floor(2^32 * |sin(i)|) written in (checked by the
// RFC 1321 A.5 test suite).
void md5_blocks(uint32_t *h, const uint8_t *p, size_t nblocks)
{
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3]; // secret: chaining value / working variables
	for (; nblocks > 0; nblocks--, p += 64) {
		const uint32_t aa = a, bb = b, cc = c, dd = d;

		// Round 1.
		KGSS_MD5_F(a, b, c, d, 0, 0xd76aa478u, 7);
		KGSS_MD5_F(d, a, b, c, 1, 0xe8c7b756u, 12);
		KGSS_MD5_F(c, d, a, b, 2, 0x242070dbu, 17);
		KGSS_MD5_F(b, c, d, a, 3, 0xc1bdceeeu, 22);
		KGSS_MD5_F(a, b, c, d, 4, 0xf57c0fafu, 7);
		KGSS_MD5_F(d, a, b, c, 5, 0x4787c62au, 12);
		KGSS_MD5_F(c, d, a, b, 6, 0xa8304613u, 17);
		KGSS_MD5_F(b, c, d, a, 7, 0xfd469501u, 22);
		KGSS_MD5_F(a, b, c, d, 8, 0x698098d8u, 7);
		KGSS_MD5_F(d, a, b, c, 9, 0x8b44f7afu, 12);
		KGSS_MD5_F(c, d, a, b, 10, 0xffff5bb1u, 17);
		KGSS_MD5_F(b, c, d, a, 11, 0x895cd7beu, 22);
		KGSS_MD5_F(a, b, c, d, 12, 0x6b901122u, 7);
		KGSS_MD5_F(d, a, b, c, 13, 0xfd987193u, 12);
		KGSS_MD5_F(c, d, a, b, 14, 0xa679438eu, 17);
		KGSS_MD5_F(b, c, d, a, 15, 0x49b40821u, 22);

		// Round 2.
		KGSS_MD5_G(a, b, c, d, 1, 0xf61e2562u, 5);
		KGSS_MD5_G(d, a, b, c, 6, 0xc040b340u, 9);
		KGSS_MD5_G(c, d, a, b, 11, 0x265e5a51u, 14);
		KGSS_MD5_G(b, c, d, a, 0, 0xe9b6c7aau, 20);
		KGSS_MD5_G(a, b, c, d, 5, 0xd62f105du, 5);
		KGSS_MD5_G(d, a, b, c, 10, 0x02441453u, 9);
		KGSS_MD5_G(c, d, a, b, 15, 0xd8a1e681u, 14);
		KGSS_MD5_G(b, c, d, a, 4, 0xe7d3fbc8u, 20);
		KGSS_MD5_G(a, b, c, d, 9, 0x21e1cde6u, 5);
		KGSS_MD5_G(d, a, b, c, 14, 0xc33707d6u, 9);
		KGSS_MD5_G(c, d, a, b, 3, 0xf4d50d87u, 14);
		KGSS_MD5_G(b, c, d, a, 8, 0x455a14edu, 20);
		KGSS_MD5_G(a, b, c, d, 13, 0xa9e3e905u, 5);
		KGSS_MD5_G(d, a, b, c, 2, 0xfcefa3f8u, 9);
		KGSS_MD5_G(c, d, a, b, 7, 0x676f02d9u, 14);
		KGSS_MD5_G(b, c, d, a, 12, 0x8d2a4c8au, 20);

		// Round 3.
		KGSS_MD5_H(a, b, c, d, 5, 0xfffa3942u, 4);
		KGSS_MD5_H(d, a, b, c, 8, 0x8771f681u, 11);
		KGSS_MD5_H(c, d, a, b, 11, 0x6d9d6122u, 16);
		KGSS_MD5_H(b, c, d, a, 14, 0xfde5380cu, 23);
		KGSS_MD5_H(a, b, c, d, 1, 0xa4beea44u, 4);
		KGSS_MD5_H(d, a, b, c, 4, 0x4bdecfa9u, 11);
		KGSS_MD5_H(c, d, a, b, 7, 0xf6bb4b60u, 16);
		KGSS_MD5_H(b, c, d, a, 10, 0xbebfbc70u, 23);
		KGSS_MD5_H(a, b, c, d, 13, 0x289b7ec6u, 4);
		KGSS_MD5_H(d, a, b, c, 0, 0xeaa127fau, 11);
		KGSS_MD5_H(c, d, a, b, 3, 0xd4ef3085u, 16);
		KGSS_MD5_H(b, c, d, a, 6, 0x04881d05u, 23);
		KGSS_MD5_H(a, b, c, d, 9, 0xd9d4d039u, 4);
		KGSS_MD5_H(d, a, b, c, 12, 0xe6db99e5u, 11);
		KGSS_MD5_H(c, d, a, b, 15, 0x1fa27cf8u, 16);
		KGSS_MD5_H(b, c, d, a, 2, 0xc4ac5665u, 23);

		// Round 4.
		KGSS_MD5_I(a, b, c, d, 0, 0xf4292244u, 6);
		KGSS_MD5_I(d, a, b, c, 7, 0x432aff97u, 10);
		KGSS_MD5_I(c, d, a, b, 14, 0xab9423a7u, 15);
		KGSS_MD5_I(b, c, d, a, 5, 0xfc93a039u, 21);
		KGSS_MD5_I(a, b, c, d, 12, 0x655b59c3u, 6);
		KGSS_MD5_I(d, a, b, c, 3, 0x8f0ccc92u, 10);
		KGSS_MD5_I(c, d, a, b, 10, 0xffeff47du, 15);
		KGSS_MD5_I(b, c, d, a, 1, 0x85845dd1u, 21);
		KGSS_MD5_I(a, b, c, d, 8, 0x6fa87e4fu, 6);
		KGSS_MD5_I(d, a, b, c, 15, 0xfe2ce6e0u, 10);
		KGSS_MD5_I(c, d, a, b, 6, 0xa3014314u, 15);
		KGSS_MD5_I(b, c, d, a, 13, 0x4e0811a1u, 21);
		KGSS_MD5_I(a, b, c, d, 4, 0xf7537e82u, 6);
		KGSS_MD5_I(d, a, b, c, 11, 0xbd3af235u, 10);
		KGSS_MD5_I(c, d, a, b, 2, 0x2ad7d2bbu, 15);
		KGSS_MD5_I(b, c, d, a, 9, 0xeb86d391u, 21);

		a += aa;
		b += bb;
		c += cc;
		d += dd;
	}
	h[0] = a;
	h[1] = b;
	h[2] = c;
	h[3] = d;
	KGSS_WIPE(a);
	KGSS_WIPE(b);
	KGSS_WIPE(c);
	KGSS_WIPE(d);
}

#undef KGSS_MD5_F
#undef KGSS_MD5_G
#undef KGSS_MD5_H
#undef KGSS_MD5_I

int md5_init(void *st)
{
	kgss::md::start(static_cast<md5_state *>(st), md5_iv);
	return 0;
}

} // namespace

// RFC 1321 section 3.2 appends the low-order 64 bits of the bit length, so any
// length is accepted (the byte counter wraps only after 2^64 bytes).
extern "C" const kgss_hash_class kgss_builtin_md5 = {
	sizeof(md5_state),
	16,
	64,
	"md5",
	md5_init,
	kgss::md::update<md5_state, md5_blocks, UINT64_MAX>,
	kgss::md::finish<md5_state, md5_blocks, false, 8, 16>,
	kgss::md::copy<md5_state>,
	kgss::md::clear<md5_state>,
	kgss::md::hmac_finish<md5_state, md5_blocks, false, 8, 16>,
	nullptr, // hmac_parts: the library's step-by-step path
};

#endif // KGSS_WITH_RC4
