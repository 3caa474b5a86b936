// crypto/builtin/stitch.cc - the stitched AES-NI CBC + SHA-1 / SHA-256 engines
// (SHA-NI) of the builtin backend: the hash policies for stitch.h over the
// block functions of sha_ni.h, and the two classes.  Use only when
// cpu_has_aesni() and cpu_has_shani() (backend.cc checks).
#include "crypto/builtin/builtin.h"

#if KGSS_BUILTIN_HAVE_STITCH

#define KGSS_SHA_NI_TARGET __attribute__((target("aes,sha,sse4.1,ssse3")))
#define KGSS_STITCH_TARGET KGSS_SHA_NI_TARGET
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

extern "C" const kgss_cbc_hash_class kgss_builtin_cbc_sha1_ni = {
	"aes-ni+sha1-ni",
	&kgss_builtin_aes128_ni,
	&kgss_builtin_aes256_ni,
	&kgss_builtin_sha1_ni,
	64,
	kgss::stitched<kgss::sha1_hash, kgss::sha1_state, false>,
	kgss::stitched<kgss::sha1_hash, kgss::sha1_state, true>,
};

extern "C" const kgss_cbc_hash_class kgss_builtin_cbc_sha256_ni = {
	"aes-ni+sha256-ni",
	&kgss_builtin_aes128_ni,
	&kgss_builtin_aes256_ni,
	&kgss_builtin_sha256_ni,
	64,
	kgss::stitched<kgss::sha256_hash, kgss::sha256_state, false>,
	kgss::stitched<kgss::sha256_hash, kgss::sha256_state, true>,
};

#endif
