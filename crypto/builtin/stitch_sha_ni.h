// crypto/builtin/stitch_sha_ni.h - the SHA-1 and SHA-256 hash policies of the
// stitched engines (stitch.h over the SHA-NI block functions of sha_ni.h) and
// the decryption operations built on them.  Included by stitch.cc (the AES-NI
// classes, which also hold the encryption of both) and stitch_vaes.cc (their
// decryption on 512-bit VAES registers); each defines KGSS_SHA_NI_TARGET,
// KGSS_STITCH_TARGET and KGSS_STITCH_VAES first.  x86 only.
#ifndef KGSS_CRYPTO_BUILTIN_STITCH_SHA_NI_H
#define KGSS_CRYPTO_BUILTIN_STITCH_SHA_NI_H

#include "crypto/builtin/builtin.h"
#include "crypto/builtin/sha_ni.h"
#include "crypto/builtin/stitch.h"

namespace kgss {
namespace {

// FIPS 180-4 section 5.1.1: SHA-1 and SHA-256 take messages shorter than 2^64 bits.
constexpr uint64_t kMaxBytes64 = (UINT64_C(1) << 61) - 1;

struct sha1_hash {
	using word = uint32_t;
	using regs = sha_ni::sha1_regs;
	static constexpr size_t unit = 64;
	static constexpr unsigned ticks = sha_ni::kSha1Ticks;
	static constexpr uint64_t max_bytes = kMaxBytes64;
	KGSS_SHA_NI_INLINE static regs load(const uint32_t *h) { return sha_ni::sha1_load(h); }
	KGSS_SHA_NI_INLINE static void store(uint32_t *h, const regs &s) { sha_ni::sha1_store(h, s); }
	template <typename Job>
	KGSS_SHA_NI_INLINE static void block(regs &s, const uint8_t *p, Job &job)
	{
		sha_ni::sha1_block(s, p, job);
	}
};

struct sha256_hash {
	using word = uint32_t;
	using regs = sha_ni::sha256_regs;
	static constexpr size_t unit = 64;
	static constexpr unsigned ticks = sha_ni::kSha256Ticks;
	static constexpr uint64_t max_bytes = kMaxBytes64;
	KGSS_SHA_NI_INLINE static regs load(const uint32_t *h) { return sha_ni::sha256_load(h); }
	KGSS_SHA_NI_INLINE static void store(uint32_t *h, const regs &s) { sha_ni::sha256_store(h, s); }
	template <typename Job>
	KGSS_SHA_NI_INLINE static void block(regs &s, const uint8_t *p, Job &job)
	{
		sha_ni::sha256_block(s, p, sha256_k, job);
	}
};

using sha1_state = md::state<uint32_t, 5, 64>;
using sha256_state = md::state<uint32_t, 8, 64>;

} // namespace
} // namespace kgss

#endif
