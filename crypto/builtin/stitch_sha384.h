// crypto/builtin/stitch_sha384.h - the stitched AES CBC + SHA-384 engine of
// the builtin backend: the hash policy for stitch.h over the scalar SHA-512
// block function of sha512_block.h (compiled with BMI2: rorx keeps the
// rotates' sources), and the decryption over the AVX2 block function of
// sha512_avx2.h.  SHA-512 costs far more instructions per byte than AES CBC
// encryption, and they run on the integer units while the AES rounds run on
// the vector units: most of the cipher hides under the hash.  Included by
// stitch_sha384.cc (the AES-NI class, which also holds the encryption) and
// stitch_sha384_vaes.cc (the decryption on 512-bit VAES registers); each
// defines KGSS_SHA512_TARGET, KGSS_SHA512_AVX2_TARGET and KGSS_STITCH_VAES
// first.  x86 only.
#ifndef KGSS_CRYPTO_BUILTIN_STITCH_SHA384_H
#define KGSS_CRYPTO_BUILTIN_STITCH_SHA384_H

#include "crypto/builtin/builtin.h"

#define KGSS_STITCH_TARGET KGSS_SHA512_TARGET
#include "crypto/builtin/sha512_block.h"
#include "crypto/builtin/stitch.h"
#include "crypto/builtin/sha512_avx2.h"

namespace kgss {
namespace {

// ---- decryption -------------------------------------------------------------------
// CBC decryption of a unit (eight independent blocks) costs a tenth of the
// hash on its own and runs on the vector units, so it goes under the
// two-block AVX2 compression of sha512_avx2.h (a quarter faster than the
// BMI2 block function above).  It does not vanish there: the scalar rounds
// use nearly every issue slot, and each vector instruction takes one (the
// 128-bit job adds about 0.2 cycles a byte to the hash alone on an AMD Zen 5,
// the 512-bit VAES job, a quarter of the instructions, about 0.1).  RFC 8009 hashes
// the ciphertext, and once the second block's first sixteen rounds have
// run a pair() has read its two units for good, so they are deciphered in
// place in its remaining rounds, one AES round of a unit's eight blocks per
// tick.  The round keys are made from the encryption schedule as they are
// used (derived_dec_keys): no stack copy next to the 640-byte K + W buffers.

// The CBC decryption of the two units at p in a pair()'s ticks, one unit
// (eight blocks) after the other: operation r of unit u at every other
// tick, 2 (u (NR + 1) + r).
template <unsigned NR>
struct pair_dec_job {
	static constexpr unsigned kOps = NR + 1; // operations per unit
	static_assert(2 * 2 * kOps <= sha512_avx2::kTicks, "the decryption of a pair fits its ticks");
	dec_job<NR, 8, derived_dec_keys> unit;
	uint8_t *p;

	template <unsigned T>
	KGSS_STITCH_INLINE void tick()
	{
		constexpr unsigned g = T / 2;
		if constexpr (T % 2 == 0 && g < 2 * kOps) {
			if constexpr (g % kOps == 0)
				unit.start(p + g / kOps * 128);
			unit.template op<g % kOps>();
		}
	}
	// The n units at q, nothing interleaved.
	KGSS_STITCH_INLINE void alone(uint8_t *q, size_t n)
	{
		for (size_t i = 0; i < n; i++) {
			unit.start(q + 128 * i);
			unit.template finish<0>();
		}
	}
};

// The hash of n units at p, nothing interleaved (the decryption's other
// order).
KGSS_SHA512_AVX2_TARGET __attribute__((noinline)) void sha384_hash_units(uint64_t *h, const uint8_t *p, size_t n,
									 sha512_avx2::scratch &sc)
{
	no_job none;
	for (; n > 1; n -= 2, p += 256)
		sha512_avx2::pair(h, p, true, sc, none);
	if (n)
		sha512_avx2::pair(h, p, false, sc, none);
}

// Decryption of n units; sc is the caller's (a frame of its own would pass the kernel's 1 KiB
// limit with this function's spills); it is left for the caller to wipe.
template <unsigned NR>
KGSS_SHA512_AVX2_TARGET void sha384_decrypt_body(const aes_ni_schedule *ks, uint8_t *iv, uint64_t *h, uint8_t *data,
						 size_t n, bool hash_output, sha512_avx2::scratch &sc)
{
	pair_dec_job<NR> job;
	job.unit.keys.ek = ks->ek;
	job.unit.prev = ldu(iv);
	if (hash_output) {
		// The hash reads the plaintext: no SHA-384 enctype does (RFC 3962
		// has none), so two passes.
		job.alone(data, n);
		sha384_hash_units(h, data, n, sc);
	} else {
		// Each pair is deciphered in place in its own second block's
		// rounds 16..79 (sha512_avx2.h: the message is read by then); an
		// odd last unit after it is hashed.
		for (; n > 1; n -= 2, data += 256) {
			job.p = data;
			sha512_avx2::pair(h, data, true, sc, job);
		}
		if (n) {
			job.p = data;
			sha512_avx2::pair(h, data, false, sc, job);
			job.alone(data, 1);
		}
	}
	stu(iv, job.unit.prev);
}

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
	// Decryption (stitch.h: decrypt_body).
	template <unsigned NR>
	__attribute__((always_inline)) static void decrypt(const aes_ni_schedule *ks, uint8_t *iv, uint64_t *h,
							   uint8_t *data, size_t n, bool hash_output)
	{
		sha512_avx2::scratch sc; // secret
		sha384_decrypt_body<NR>(ks, iv, h, data, n, hash_output, sc);
		KGSS_WIPE(sc.wk1); // (apart: KGSS_WIPE inlines at most 512 bytes)
		KGSS_WIPE(sc.wk2);
	}
};

using sha512_state = md::state<uint64_t, 8, 128>;

} // namespace
} // namespace kgss

#endif
