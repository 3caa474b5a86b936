// crypto/builtin/md5.cc - MD5 (RFC 1321).  Built only with KGSS_WITH_RC4: the
// RFC 4757 arcfour-hmac enctypes are MD5's only user in libkgss.
#include "crypto/builtin/builtin.h"
#include "crypto/builtin/md_common.h"

#if KGSS_WITH_RC4

namespace {

using kgss::md::rotl32;
using md5_state = kgss::md::state<uint32_t, 4, 64>;
static_assert(kgss::md::fits<md5_state>(), "MD5 state exceeds KGSS_HASH_STATE_MAX");

// RFC 1321 section 3.3: initial A, B, C, D.
const uint32_t md5_iv[4] = {0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u};

// RFC 1321 section 3.4: T[i] = floor(2^32 * |sin(i)|), i = 1..64 (generated
// from that definition; checked by the RFC 1321 A.5 test suite).
const uint32_t T[64] = {
	0xd76aa478u, 0xe8c7b756u, 0x242070dbu, 0xc1bdceeeu, 0xf57c0fafu, 0x4787c62au, 0xa8304613u, 0xfd469501u,
	0x698098d8u, 0x8b44f7afu, 0xffff5bb1u, 0x895cd7beu, 0x6b901122u, 0xfd987193u, 0xa679438eu, 0x49b40821u,
	0xf61e2562u, 0xc040b340u, 0x265e5a51u, 0xe9b6c7aau, 0xd62f105du, 0x02441453u, 0xd8a1e681u, 0xe7d3fbc8u,
	0x21e1cde6u, 0xc33707d6u, 0xf4d50d87u, 0x455a14edu, 0xa9e3e905u, 0xfcefa3f8u, 0x676f02d9u, 0x8d2a4c8au,
	0xfffa3942u, 0x8771f681u, 0x6d9d6122u, 0xfde5380cu, 0xa4beea44u, 0x4bdecfa9u, 0xf6bb4b60u, 0xbebfbc70u,
	0x289b7ec6u, 0xeaa127fau, 0xd4ef3085u, 0x04881d05u, 0xd9d4d039u, 0xe6db99e5u, 0x1fa27cf8u, 0xc4ac5665u,
	0xf4292244u, 0x432aff97u, 0xab9423a7u, 0xfc93a039u, 0x655b59c3u, 0x8f0ccc92u, 0xffeff47du, 0x85845dd1u,
	0x6fa87e4fu, 0xfe2ce6e0u, 0xa3014314u, 0x4e0811a1u, 0xf7537e82u, 0xbd3af235u, 0x2ad7d2bbu, 0xeb86d391u,
};

// RFC 1321 section 3.4: per-round shift amounts (s in [abcd k s i]).
const uint8_t S[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};

// One MD5 step a = b + ((a + F(b,c,d) + X[k] + T[i]) <<< s); the caller
// rotates the roles of a..d by rotating the array index.
void md5_blocks(uint32_t *h, const uint8_t *p, size_t nblocks)
{
	uint32_t x[16]; // secret: the block as little-endian words (HMAC key material passes through)
	while (nblocks--) {
		for (int i = 0; i < 16; i++)
			x[i] = kgss::load_le32(p + 4 * i);
		uint32_t a = h[0], b = h[1], c = h[2], d = h[3]; // secret: working variables
		for (int i = 0; i < 64; i++) {
			uint32_t f;
			int k;
			if (i < 16) { // Round 1: F(X,Y,Z) = XY v not(X) Z, X[i]
				f = (b & c) | (~b & d);
				k = i;
			} else if (i < 32) { // Round 2: G(X,Y,Z) = XZ v Y not(Z), X[(5i+1) mod 16]
				f = (b & d) | (c & ~d);
				k = (5 * i + 1) & 15;
			} else if (i < 48) { // Round 3: H(X,Y,Z) = X xor Y xor Z, X[(3i+5) mod 16]
				f = b ^ c ^ d;
				k = (3 * i + 5) & 15;
			} else { // Round 4: I(X,Y,Z) = Y xor (X v not(Z)), X[7i mod 16]
				f = c ^ (b | ~d);
				k = (7 * i) & 15;
			}
			uint32_t tmp = d;
			d = c;
			c = b;
			b = b + rotl32(a + f + x[k] + T[i], S[i >> 4][i & 3]);
			a = tmp;
		}
		h[0] += a; h[1] += b; h[2] += c; h[3] += d;
		p += 64;
	}
	KGSS_WIPE(x);
}

int md5_init(void *st)
{
	kgss::md::start(static_cast<md5_state *>(st), md5_iv);
	return 0;
}

} // namespace

// RFC 1321 section 3.2 appends the low-order 64 bits of the bit length, so any
// length is accepted (the byte counter wraps only after 2^64 bytes).
extern "C" const kgss_hash_class kgss_builtin_md5 = {
	sizeof(md5_state), 16, 64, "md5",
	md5_init,
	kgss::md::update<md5_state, md5_blocks, UINT64_MAX>,
	kgss::md::finish<md5_state, md5_blocks, false, 8, 16>,
	kgss::md::copy<md5_state>,
	kgss::md::clear<md5_state>,
};

#endif // KGSS_WITH_RC4
