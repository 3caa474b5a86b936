// crypto/builtin/stitch_sha384.cc - the stitched AES-NI CBC + SHA-384 engine
// of the builtin backend: the hash policy for stitch.h over the scalar
// SHA-512 block function of sha512_block.h (compiled with BMI2: rorx keeps
// the rotates' sources), and the class.  SHA-512 costs far more instructions
// per byte than AES CBC encryption, and they run on the integer units while
// the AES rounds run on the vector units: most of the cipher hides under
// the hash (decryption: see sha384_decrypt).  Use
// only when cpu_has_aesni() and cpu_has_avx2_bmi2() (backend.cc checks).
#include "crypto/builtin/builtin.h"

#if KGSS_BUILTIN_HAVE_STITCH

#define KGSS_SHA512_TARGET __attribute__((target("aes,sse4.1,bmi2")))
#define KGSS_STITCH_TARGET KGSS_SHA512_TARGET
#include "crypto/builtin/sha512_block.h"
#include "crypto/builtin/stitch.h"

namespace kgss {
namespace {

struct sha384_hash {
	using word = uint64_t;
	struct regs {
		uint64_t h[8];  // secret: the chaining value (under HMAC)
		uint64_t w[16]; // secret: the message schedule
	};
	static constexpr size_t unit = 128;
	static constexpr unsigned ticks = sha512::kTicks;
	// The state counts bytes in 64 bits (sha2.cc: SHA384_MAX_BYTES).
	static constexpr uint64_t max_bytes = UINT64_MAX;
	KGSS_STITCH_INLINE static regs load(const uint64_t *h)
	{
		regs s;
		memcpy(s.h, h, sizeof(s.h));
		return s;
	}
	KGSS_STITCH_INLINE static void store(uint64_t *h, regs &s)
	{
		memcpy(h, s.h, sizeof(s.h));
		KGSS_WIPE(s.h);
		KGSS_WIPE(s.w);
	}
	template <typename Job>
	KGSS_STITCH_INLINE static void block(regs &s, const uint8_t *p, Job &job)
	{
		sha512::block(s.h, p, s.w, job);
	}
};

using sha512_state = md::state<uint64_t, 8, 128>;

// Decryption: CBC decryption of a unit (eight parallel blocks) costs a
// tenth of the scalar hash, so stitching it saves little, while the AVX2
// compression of kgss_builtin_sha384_avx2 (two blocks at a time, schedule in
// vector registers) is a quarter faster than the scalar one.  So this
// direction runs the two passes, 4 KiB at a time (still in L1 for the second
// pass): the hash class, then the AES-NI class's CBC decryption (which reads
// the round count from the schedule: the AES-128 class serves both sizes);
// the other way round when the hash reads the plaintext.
int sha384_decrypt(const void *ks, uint8_t *iv, void *st, uint8_t *data, size_t nunits, int hash_output)
{
	const sha512_state *s = static_cast<const sha512_state *>(st);
	if (s->magic != md::LIVE || s->failed || s->count % sha384_hash::unit != 0)
		return -1;
	constexpr size_t kChunk = 4096 / sha384_hash::unit;
	const kgss_hash_class *h = &kgss_builtin_sha384_avx2;
	for (size_t done = 0; done < nunits;) {
		const size_t n = nunits - done < kChunk ? nunits - done : kChunk;
		uint8_t *p = data + done * sha384_hash::unit;
		const size_t len = n * sha384_hash::unit;
		if (!hash_output)
			h->update(st, p, len);
		if (kgss_builtin_aes128_ni.cbc_decrypt(ks, iv, p, len / 16) != 0)
			return -1;
		if (hash_output)
			h->update(st, p, len);
		done += n;
	}
	return s->failed ? -1 : 0;
}

} // namespace
} // namespace kgss

extern "C" const kgss_cbc_hash_class kgss_builtin_cbc_sha384_avx2 = {
	"aes-ni+sha384-bmi2",
	&kgss_builtin_aes128_ni,
	&kgss_builtin_aes256_ni,
	&kgss_builtin_sha384_avx2,
	128,
	kgss::stitched<kgss::sha384_hash, kgss::sha512_state, false>,
	kgss::sha384_decrypt,
};

#endif
