// crypto/util.h - small internal helpers shared by the whole core:
// byte order, constant-time comparison, wiping, the min/max the core may use.
// No libc beyond memcpy/memmove/memset/memcmp (declared by <string.h>).
#ifndef KGSS_CRYPTO_UTIL_H
#define KGSS_CRYPTO_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

namespace kgss {

inline uint16_t load_be16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }
inline uint32_t load_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
inline uint64_t load_be64(const uint8_t *p) { return ((uint64_t)load_be32(p) << 32) | load_be32(p + 4); }
inline uint32_t load_le32(const uint8_t *p)
{
	return ((uint32_t)p[3] << 24) | ((uint32_t)p[2] << 16) | ((uint32_t)p[1] << 8) | p[0];
}
inline uint64_t load_le64(const uint8_t *p) { return ((uint64_t)load_le32(p + 4) << 32) | load_le32(p); }
inline void store_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}
inline void store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}
inline void store_be64(uint8_t *p, uint64_t v)
{
	store_be32(p, (uint32_t)(v >> 32));
	store_be32(p + 4, (uint32_t)v);
}
inline void store_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}
inline void store_le64(uint8_t *p, uint64_t v)
{
	store_le32(p, (uint32_t)v);
	store_le32(p + 4, (uint32_t)(v >> 32));
}

// Wipe memory that held secrets; the asm barrier keeps the compiler from
// eliding the memset of a buffer that is dead afterwards.
//
// Sizes known at compile time up to 512 bytes (hash states, stack copies of
// round keys, digests: the per-message wipes) are cleared in 32-byte pieces.
// A single memset of 65..~1K bytes is what GCC's generic x86-64 tuning
// expands to `rep stosq`, whose start-up (tens of cycles on AMD Zen) cost
// more than the stores themselves, three or four times per 128-byte MIC.
// The barrier in the loop keeps the pieces from being merged back into one
// memset; the loop itself is plain vector stores.
inline void wipe(void *p, size_t n)
{
	if (n == 0)
		return;
#if defined(__GNUC__)
	if (__builtin_constant_p(n) && n <= 512) {
		uint8_t *b = (uint8_t *)p;
		size_t i = 0;
		for (; i + 32 <= n; i += 32) {
			memset(b + i, 0, 32);
			__asm__ __volatile__("" : : "r"(b) : "memory");
		}
		if (n - i >= 16) {
			memset(b + i, 0, 16);
			i += 16;
		}
		if (n - i)
			memset(b + i, 0, n - i);
		__asm__ __volatile__("" : : "r"(p) : "memory");
		return;
	}
#endif
	memset(p, 0, n);
	__asm__ __volatile__("" : : "r"(p) : "memory");
}
#define KGSS_WIPE(x)        ::kgss::wipe(&(x), sizeof(x))
#define KGSS_WIPE_BUF(p, n) ::kgss::wipe((p), (n))

// Constant-time validation (tests/ctgrind, docs/constant-time.md).  A copy of
// the core built with -DKGSS_CTGRIND=1 tells valgrind's memcheck which
// secret-dependent values are public by design, so that memcheck - told by
// the test that the key and the received checksum are "undefined" - reports
// every other branch or memory index that depends on them.  The only values
// declassified are the verdicts of ct_equal / ct_all_equal below (whether a
// token verifies is what the caller learns anyway).  In every real build
// this is nothing at all.
#if defined(KGSS_CTGRIND) && KGSS_CTGRIND
#include <valgrind/memcheck.h>
#define KGSS_CT_PUBLIC(p, n) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (n)))
#else
#define KGSS_CT_PUBLIC(p, n) ((void)0)
#endif

// Constant-time equality of two n-byte strings: the time depends on n only.
// Returns true when equal.  The answer itself is public (KGSS_CT_PUBLIC).
//
// Eight bytes at a time, then byte by byte.  The empty asm makes the running
// difference d opaque to the compiler after every step, so it can neither
// stop early once d is nonzero nor turn the loop into memcmp (what the
// volatile byte loads did before, at three times the instructions for a
// 12-byte tag).
inline bool ct_equal(const void *a, const void *b, size_t n)
{
	const uint8_t *x = (const uint8_t *)a;
	const uint8_t *y = (const uint8_t *)b;
	uint64_t d = 0;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t u, v;
		memcpy(&u, x + i, 8);
		memcpy(&v, y + i, 8);
		d |= u ^ v;
		__asm__("" : "+r"(d));
	}
	for (; i < n; i++) {
		d |= (uint64_t)(x[i] ^ y[i]);
		__asm__("" : "+r"(d));
	}
	// d32 < 2^32: (d32 - 1) >> 63 (in 64 bits) is 1 only when d32 == 0, with no branch.
	const uint64_t d32 = (uint32_t)d | (uint32_t)(d >> 32);
	bool r = ((d32 - 1u) >> 63) & 1u;
	KGSS_CT_PUBLIC(&r, sizeof(r));
	return r;
}

// Constant-time: all n bytes equal to v?  The answer is public.
inline bool ct_all_equal(const void *a, uint8_t v, size_t n)
{
	const volatile uint8_t *x = (const volatile uint8_t *)a;
	uint32_t d = 0;
	for (size_t i = 0; i < n; i++)
		d |= (uint32_t)(x[i] ^ v);
	bool r = ((d - 1u) >> 31) & 1u;
	KGSS_CT_PUBLIC(&r, sizeof(r));
	return r;
}

template <typename T>
constexpr T min_of(T a, T b)
{
	return a < b ? a : b;
}
template <typename T>
constexpr T max_of(T a, T b)
{
	return a > b ? a : b;
}

} // namespace kgss

#endif
