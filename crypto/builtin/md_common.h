// crypto/builtin/md_common.h - shared Merkle-Damgard plumbing for the builtin
// hashes (MD5, SHA-1, SHA-256, SHA-384): the running-state layout, update()
// with whole blocks compressed straight from the caller's buffer, the final
// padding (RFC 1321 section 3.1-3.2, FIPS 180-4 section 5.1), copy and clear.
//
// Each hash file supplies a block function
//     void blocks(Word *h, const uint8_t *p, size_t nblocks)
// that compresses nblocks whole blocks into the chaining value h, and
// instantiates the templates below.  Portable and SHA-NI classes of one hash
// share one state type, so they differ only in that block function.
#ifndef KGSS_CRYPTO_BUILTIN_MD_COMMON_H
#define KGSS_CRYPTO_BUILTIN_MD_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crypto/builtin/simd.h"
#include "crypto/util.h"
#include "kgss_crypto.h"

namespace kgss {
namespace md {

// Marks a live state: init/copy set it, final/clear wipe it, so a dead or
// never-initialised (zeroed) state is reported by finish() and copy().
constexpr uint32_t LIVE = 0x6b67686du; // "kghm"

template <typename W, unsigned NH, unsigned BLK>
struct state {
	using word = W;
	static constexpr unsigned block = BLK;
	static constexpr unsigned nwords = NH;
	W h[NH];          // secret (under HMAC): chaining value
	uint64_t count;   // bytes absorbed so far
	uint32_t magic;   // LIVE while the state may be used
	uint32_t failed;  // latched update() failure (length limit, dead state)
	uint8_t buf[BLK]; // secret: partial block not yet compressed (count % BLK bytes)
};

// update(): absorb len bytes.  Whole blocks go to Blocks directly from data;
// only a leading and a trailing partial block are copied into buf.
// MaxBytes is the largest total message length (in bytes) the hash accepts;
// a longer message latches 'failed' (reported by finish).
template <typename S, void (*Blocks)(typename S::word *, const uint8_t *, size_t), uint64_t MaxBytes>
void update(void *vst, const void *data, size_t len)
{
	S *s = static_cast<S *>(vst);
	if (len == 0)
		return;
	if (s->magic != LIVE || (uint64_t)len > MaxBytes - s->count) {
		s->failed = 1;
		return;
	}
	const uint8_t *p = static_cast<const uint8_t *>(data);
	size_t used = (size_t)(s->count % S::block);
	s->count += len;
	if (used != 0) {
		size_t take = S::block - used;
		if (take > len)
			take = len;
		memcpy(s->buf + used, p, take);
		p += take;
		len -= take;
		if (used + take < S::block)
			return;
		Blocks(s->h, s->buf, 1);
	}
	size_t n = len / S::block;
	if (n != 0) {
		Blocks(s->h, p, n);
		p += n * S::block;
		len -= n * S::block;
	}
	if (len != 0)
		memcpy(s->buf, p, len);
}

// pad(): the final padding of a live, healthy state - 0x80, zeros and the bit
// length (LenBytes = 8 or 16 bytes, big-endian when BigEndian, else
// little-endian) - compressed into the chaining value, which then holds the
// digest words.  buf is left holding the last padded block.
template <typename S, void (*Blocks)(typename S::word *, const uint8_t *, size_t), bool BigEndian, unsigned LenBytes>
void pad(S *s)
{
	size_t used = (size_t)(s->count % S::block);
	s->buf[used++] = 0x80;
	if (used > S::block - LenBytes) {
		memset(s->buf + used, 0, S::block - used);
		Blocks(s->h, s->buf, 1);
		used = 0;
	}
	memset(s->buf + used, 0, S::block - 8 - used);
	const uint64_t bits_lo = s->count << 3;
	uint8_t *lenp = s->buf + S::block - 8;
	if (BigEndian) {
		// FIPS 180-4 section 5.1: the length is a big-endian 64- or 128-bit
		// integer; bytes above the low 64 bits hold count >> 61.
		if (LenBytes == 16)
			store_be64(lenp - 8, s->count >> 61);
		store_be64(lenp, bits_lo);
	} else {
		store_le64(lenp, bits_lo); // RFC 1321 section 3.2: low-order word first
	}
	Blocks(s->h, s->buf, 1);
}

// serialize(): the first Bytes bytes of the chaining value h, its words in
// the hash's byte order (SHA-384's 64-bit words are always big-endian).
template <typename S, bool BigEndian>
void serialize(uint8_t *out, const typename S::word *h, unsigned bytes)
{
	constexpr unsigned WB = sizeof(typename S::word);
	for (unsigned i = 0; i < bytes / WB; i++) {
		if (WB == 8)
			store_be64(out + 8 * i, (uint64_t)h[i]);
		else if (BigEndian)
			store_be32(out + 4 * i, (uint32_t)h[i]);
		else
			store_le32(out + 4 * i, (uint32_t)h[i]);
	}
}

// finish(): pad and compress (pad above), write the first Digest bytes of the
// chaining value and wipe the state.  On failure the digest is zeroed.
template <typename S, void (*Blocks)(typename S::word *, const uint8_t *, size_t), bool BigEndian, unsigned LenBytes,
	  unsigned Digest>
int finish(void *vst, uint8_t *digest)
{
	static_assert(Digest <= sizeof(((S *)nullptr)->h), "digest longer than the state");
	static_assert(Digest % sizeof(typename S::word) == 0, "digest must be whole words");
	S *s = static_cast<S *>(vst);
	if (s->magic != LIVE || s->failed) {
		memset(digest, 0, Digest);
		wipe(s, sizeof *s);
		return -1;
	}
	pad<S, Blocks, BigEndian, LenBytes>(s);
	serialize<S, BigEndian>(digest, s->h, Digest);
	wipe(s, sizeof *s);
	return 0;
}

// The preconditions of hmac_finish: a live, healthy inner state and an outer
// state that has absorbed exactly one block (K ^ opad).  hmac_reject is the
// failure: mac zeroed, the inner state wiped.
template <typename S>
bool hmac_states_ok(const S *s, const S *o)
{
	return s->magic == LIVE && !s->failed && o->magic == LIVE && !o->failed && o->count == S::block;
}

template <typename S>
int hmac_reject(S *s, uint8_t *mac, size_t digest)
{
	memset(mac, 0, digest);
	wipe(s, sizeof *s);
	return -1;
}

// hmac_finish(): the fused HMAC finish of kgss_crypto.h (RFC 2104).  The
// inner state is padded and compressed in place; its buf then becomes the
// one outer block - the inner digest, 0x80, zeros, and the bit length of
// the (K ^ opad) block plus the digest - and its chaining value is replaced
// by the outer state's, so the outer hash is one compression with nothing
// copied but the chaining value.  The outer state is only read.  The inner
// state (the only memory written besides mac) is wiped either way.
template <typename S, void (*Blocks)(typename S::word *, const uint8_t *, size_t), bool BigEndian, unsigned LenBytes,
	  unsigned Digest>
int hmac_finish(void *vinner, const void *vouter, uint8_t *mac)
{
	static_assert(Digest + 1 + LenBytes <= S::block, "the outer message must fit one block");
	static_assert(Digest <= sizeof(((S *)nullptr)->h), "digest longer than the state");
	static_assert(Digest % sizeof(typename S::word) == 0, "digest must be whole words");
	S *s = static_cast<S *>(vinner);
	const S *o = static_cast<const S *>(vouter);
	if (!hmac_states_ok(s, o))
		return hmac_reject(s, mac, Digest);
	pad<S, Blocks, BigEndian, LenBytes>(s);
	serialize<S, BigEndian>(s->buf, s->h, Digest); // the inner digest opens the outer block
	s->buf[Digest] = 0x80;
	memset(s->buf + Digest + 1, 0, S::block - 8 - Digest - 1); // (a 128-bit length's high half too)
	const uint64_t bits = (uint64_t)(S::block + Digest) * 8;
	if (BigEndian)
		store_be64(s->buf + S::block - 8, bits);
	else
		store_le64(s->buf + S::block - 8, bits);
	memcpy(s->h, o->h, sizeof s->h);
	Blocks(s->h, s->buf, 1);
	serialize<S, BigEndian>(mac, s->h, Digest);
	wipe(s, sizeof *s);
	return 0;
}

// hmac_finish_simd(): hmac_finish for a class whose fused finish is SIMD
// code (Fast: the inner chaining value, the pending bytes, their count, the
// message bit length, the outer chaining value, the MAC): Fast inside a
// simd::section, Portable (an hmac_finish above) when SIMD is unusable now
// (crypto/builtin/simd.h).  The inner state is wiped either way.
template <typename S,
	  void (*Fast)(const typename S::word *, const uint8_t *, unsigned, uint64_t, const typename S::word *,
		       uint8_t *),
	  int (*Portable)(void *, const void *, uint8_t *), unsigned Digest>
int hmac_finish_simd(void *vinner, const void *vouter, uint8_t *mac)
{
	S *s = static_cast<S *>(vinner);
	const S *o = static_cast<const S *>(vouter);
	if (!hmac_states_ok(s, o))
		return hmac_reject(s, mac, Digest);
	{
		simd::section sec;
		if (!sec.ok)
			return Portable(vinner, vouter, mac);
		Fast(s->h, s->buf, (unsigned)(s->count % S::block), s->count << 3, o->h, mac);
	}
	wipe(s, sizeof *s);
	return 0;
}

// hmac_parts_simd(): kgss_hash_class.hmac_parts for a class whose one-call
// HMAC is SIMD code (Fast: the inner chaining value, the parts, the inner
// message's bit length - the K ^ ipad block included -, the outer chaining
// value, the MAC), run inside one simd::section.  It declines (1) when SIMD
// is unusable now or the message is longer than one section may take
// (simd::kChunkBytes): the library's step-by-step path covers both.  The
// states are only read; both must have absorbed exactly one block.
template <typename S,
	  void (*Fast)(const typename S::word *, const kgss_hash_part *, size_t, uint64_t, const typename S::word *,
		       uint8_t *),
	  unsigned Digest>
int hmac_parts_simd(const void *vinner, const void *vouter, const kgss_hash_part *parts, size_t nparts, uint8_t *mac)
{
	const S *s = static_cast<const S *>(vinner);
	const S *o = static_cast<const S *>(vouter);
	if (!hmac_states_ok(s, o) || s->count != S::block) {
		memset(mac, 0, Digest);
		return -1;
	}
	size_t total = 0;
	for (size_t i = 0; i < nparts; i++) {
		if (parts[i].len > simd::kChunkBytes - total)
			return 1;
		total += parts[i].len;
	}
	simd::section sec;
	if (!sec.ok)
		return 1;
	Fast(s->h, parts, nparts, ((uint64_t)S::block + total) << 3, o->h, mac);
	return 0;
}

// init(): the initial chaining value from a const table.
template <typename S>
void start(S *s, const typename S::word *iv)
{
	memset(s, 0, sizeof *s);
	memcpy(s->h, iv, sizeof s->h);
	s->magic = LIVE;
}

template <typename S>
int copy(void *dst, const void *src)
{
	const S *a = static_cast<const S *>(src);
	if (a->magic != LIVE) {
		memset(dst, 0, sizeof(S));
		return -1;
	}
	memcpy(dst, a, sizeof(S));
	return 0;
}

template <typename S>
void clear(void *st)
{
	wipe(st, sizeof(S));
}

// The kgss_hash_class of state S over block function Blocks, with MaxBytes,
// BigEndian, LenBytes and Digest as for update and finish.  hmac: a fused
// HMAC finish of the class's own (default: hmac_finish over Blocks); parts:
// its one-call HMAC, if it has one.  A
// constant expression: define the class `constinit` with it.
template <typename S, void (*Blocks)(typename S::word *, const uint8_t *, size_t), uint64_t MaxBytes, bool BigEndian,
	  unsigned LenBytes, unsigned Digest>
constexpr kgss_hash_class hash_class(const char *name, int (*init)(void *),
				     int (*hmac)(void *, const void *,
						 uint8_t *) = hmac_finish<S, Blocks, BigEndian, LenBytes, Digest>,
				     decltype(kgss_hash_class::hmac_parts) parts = nullptr)
{
	return kgss_hash_class{
		.context_size = sizeof(S),
		.digest_size = Digest,
		.block_size = S::block,
		.name = name,
		.init = init,
		.update = update<S, Blocks, MaxBytes>,
		.final = finish<S, Blocks, BigEndian, LenBytes, Digest>,
		.copy = copy<S>,
		.clear = clear<S>,
		.hmac_finish = hmac,
		.hmac_parts = parts, // NULL: the library's step-by-step path
	};
}

template <typename S>
constexpr bool fits()
{
	return sizeof(S) <= KGSS_HASH_STATE_MAX && alignof(S) <= KGSS_STATE_ALIGN;
}

// FIPS 180-4 §6.2.2 / §6.4.2: the eight working variables a..h of a SHA-2
// compression, stored back into a round group's state (put8) or added into
// the chaining value at the end of a block (step 4, add8).
template <typename W>
__attribute__((always_inline)) inline void put8(W *v, W a, W b, W c, W d, W e, W f, W g, W h)
{
	v[0] = a;
	v[1] = b;
	v[2] = c;
	v[3] = d;
	v[4] = e;
	v[5] = f;
	v[6] = g;
	v[7] = h;
}
template <typename W>
__attribute__((always_inline)) inline void add8(W *v, W a, W b, W c, W d, W e, W f, W g, W h)
{
	put8(v, v[0] + a, v[1] + b, v[2] + c, v[3] + d, v[4] + e, v[5] + f, v[6] + g, v[7] + h);
}

inline uint32_t rotl32(uint32_t x, unsigned n) { return (x << n) | (x >> (32 - n)); }
inline uint32_t rotr32(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }
inline uint64_t rotr64(uint64_t x, unsigned n) { return (x >> n) | (x << (64 - n)); }

} // namespace md
} // namespace kgss

#endif
