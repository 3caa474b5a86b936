// crypto/builtin/stitch.h - the stitched CBC + hash engines of the builtin
// backend (kgss_cbc_hash_class, kgss_crypto.h): the AES-NI CBC jobs, the
// interleaving and the class operations, shared by stitch.cc (SHA-1 and
// SHA-256 with SHA-NI) and stitch_sha384.cc (SHA-384, scalar with BMI2).
//
// A unit is one hash block: four AES blocks (SHA-1, SHA-256) or eight
// (SHA-384).  CBC encryption is a single dependency chain (each block needs
// the previous ciphertext: (NR + 1) AES operations per block back to back,
// each waiting for the one before); the hash compression is a second chain
// (SHA-NI) or a stream of scalar instructions (SHA-512).  Written one after
// the other, the out-of-order core runs out of scheduler entries long before
// the AES chain ends.  Here the hash block calls job.tick() after each group
// of rounds and the job issues the next AES operations there, so both have
// work in the window all the time: a unit costs about the longer of the two
// instead of their sum.  CBC decryption is parallel: the job deciphers the
// unit's blocks together, one round per tick, under the hash.
//
// The hash and the cipher never work on the same unit at once: when the hash
// reads the cipher's input (plaintext on encryption, RFC 3962; ciphertext on
// decryption, RFC 8009) it runs one unit ahead of the cipher, which
// rewrites the data in place; when it reads the cipher's output (RFC 8009
// encryption, RFC 3962 decryption) it runs one unit behind.  Each call (and
// each simd::section of it) therefore has one unit that is not overlapped.
//
// A hash policy H provides: word (the chaining-value word), unit (bytes per
// block), ticks (job.tick() calls per block), max_bytes (the message limit),
// regs (the chaining value while the engine runs), load / store between the
// state's h[] and regs, and block(regs &, p, job).
//
// SIMD rule (simd.h): every function with a target attribute is called only
// inside a simd::section, kChunkBytes of data at a time; when the vector
// registers are unusable the operation fails (the schedule is AES-NI's own,
// as for the AES-NI classes).
//
// The includer defines KGSS_STITCH_TARGET (its functions' target attribute,
// a superset of "aes,sse4.1") first, and KGSS_STITCH_VAES 1 for the
// decryption job on 512-bit registers (the target then also has "vaes" and
// "avx512f").  x86 only.
#ifndef KGSS_CRYPTO_BUILTIN_STITCH_H
#define KGSS_CRYPTO_BUILTIN_STITCH_H

#include "crypto/builtin/aes_ni.h"
#include "crypto/builtin/builtin.h"
#include "crypto/builtin/md_common.h"
#include "crypto/builtin/simd.h"
#include "crypto/util.h"

#ifndef KGSS_STITCH_TARGET
#error "define KGSS_STITCH_TARGET before including crypto/builtin/stitch.h"
#endif
#ifndef KGSS_STITCH_VAES
#define KGSS_STITCH_VAES 0
#endif
#define KGSS_STITCH_INLINE KGSS_STITCH_TARGET __attribute__((always_inline)) inline

namespace kgss {
namespace {

using aesni::ld;
using aesni::ldu;
using aesni::stu;

constexpr size_t kBlock = 16; // AES block

// ---- the cipher jobs -----------------------------------------------------------
// A job's tick<G>() runs after round group G of a hash block (G is a
// compile-time constant): the job's operations are placed statically, with
// no branch and no counter.  finish() runs what the ticks left over.

// Operations [I, E) of job J, one after the other.
template <unsigned I, unsigned E>
struct ops {
	template <typename J>
	KGSS_STITCH_INLINE static void run(J &j)
	{
		if constexpr (I < E) {
			j.template op<I>();
			ops<I + 1, E>::run(j);
		}
	}
};

// CBC encryption of one unit (UNIT bytes) in place: 16-byte block b is
// operations b (NR + 1) .. b (NR + 1) + NR: the whitening XOR (with the CBC
// XOR of the plaintext), the NR - 1 middle rounds, and the last round with
// the store.  OPS operations per tick.
template <unsigned NR, unsigned OPS, size_t UNIT>
struct cbc_enc_job {
	static constexpr unsigned kOps = UNIT / 16 * (NR + 1);
	const uint8_t (*rk)[16];
	__m128i x;  // chaining value, then the block in flight (secret until its last round)
	uint8_t *p; // the unit

	template <unsigned I>
	KGSS_STITCH_INLINE void op()
	{
		constexpr unsigned b = I / (NR + 1), r = I % (NR + 1);
		if constexpr (r == 0) {
			x = _mm_xor_si128(_mm_xor_si128(x, ldu(p + kBlock * b)), ld(rk[0]));
		} else if constexpr (r < NR) {
			x = _mm_aesenc_si128(x, ld(rk[r]));
		} else {
			x = _mm_aesenclast_si128(x, ld(rk[NR]));
			stu(p + kBlock * b, x);
		}
	}
	template <unsigned G>
	KGSS_STITCH_INLINE void tick()
	{
		constexpr unsigned first = G * OPS < kOps ? G * OPS : kOps;
		constexpr unsigned end = (G + 1) * OPS < kOps ? (G + 1) * OPS : kOps;
		ops<first, end>::run(*this);
	}
	KGSS_STITCH_INLINE void start(uint8_t *unit) { p = unit; }
	// The operations after tick TICKS - 1 (all of them for a unit run alone: TICKS = 0).
	template <unsigned TICKS>
	KGSS_STITCH_INLINE void finish()
	{
		constexpr unsigned first = TICKS * OPS < kOps ? TICKS * OPS : kOps;
		ops<first, kOps>::run(*this);
	}
};

// Decryption round keys of the "equivalent inverse cipher" (FIPS-197
// section 5.3.5) for cbc_dec_job: a stack copy (aesni::make_decrypt_keys) ...
struct stored_dec_keys {
	const uint8_t (*dk)[16];
	template <unsigned NR, unsigned R>
	KGSS_STITCH_INLINE __m128i get() const
	{
#if KGSS_STITCH_VAES
		// Opaque, so the compiler does not hoist the 512-bit broadcasts
		// out of the caller's loop: fifteen of them would spill, 64
		// bytes each, past the kernel's frame limit.
		const uint8_t(*k)[16] = dk;
		__asm__("" : "+r"(k));
		return ld(k[R]);
#else
		return ld(dk[R]);
#endif
	}
};
// ... or made from the encryption keys at each use: one aesimc per round of
// a unit, no copy (where the vector units have room to spare and the stack
// frame has not: stitch_sha384.cc).
struct derived_dec_keys {
	const uint8_t (*ek)[16];
	template <unsigned NR, unsigned R>
	KGSS_STITCH_INLINE __m128i get() const
	{
		// Opaque, so the compiler neither hoists the keys out of the
		// caller's loop nor keeps them: they would spill.
		const uint8_t(*k)[16] = ek;
		__asm__("" : "+r"(k));
		if constexpr (R == 0)
			return ld(k[NR]);
		else if constexpr (R == NR)
			return ld(k[0]);
		else
			return _mm_aesimc_si128(ld(k[NR - R]));
	}
};

// The tick schedule of a decryption job J (NR + 1 operations, R = 0 .. NR,
// each one round of the whole unit): operation G at tick G.
template <typename J, unsigned NR>
struct dec_schedule {
	template <unsigned G>
	KGSS_STITCH_INLINE void tick()
	{
		if constexpr (G <= NR)
			static_cast<J *>(this)->template op<G>();
	}
	template <unsigned TICKS>
	KGSS_STITCH_INLINE void finish()
	{
		ops < TICKS<NR + 1 ? TICKS : NR + 1, NR + 1>::run(*static_cast<J *>(this));
	}
};

// CBC decryption of one unit (NB blocks) in place: the blocks together, one
// round (dk[r] on all of them) per operation, one operation per tick.
template <unsigned NR, unsigned NB, typename Keys = stored_dec_keys>
struct cbc_dec_job : dec_schedule<cbc_dec_job<NR, NB, Keys>, NR> {
	Keys keys;
	__m128i prev;  // the ciphertext block before the unit (public)
	__m128i x[NB]; // the unit's blocks in flight (secret once deciphered)
	__m128i clast; // the unit's last ciphertext block (public)
	uint8_t *p;

	template <unsigned R>
	KGSS_STITCH_INLINE void op()
	{
		const __m128i k = keys.template get<NR, R>();
		if constexpr (R == 0) {
#pragma GCC unroll 8
			for (unsigned i = 0; i < NB; i++)
				x[i] = _mm_xor_si128(ldu(p + 16 * i), k);
			clast = ldu(p + 16 * (NB - 1));
		} else if constexpr (R < NR) {
#pragma GCC unroll 8
			for (unsigned i = 0; i < NB; i++)
				x[i] = _mm_aesdec_si128(x[i], k);
		} else {
			// In place: from the last block down, so each block's
			// predecessor ciphertext is still in memory when it is read.
#pragma GCC unroll 8
			for (unsigned i = NB - 1; i > 0; i--)
				stu(p + 16 * i, _mm_xor_si128(_mm_aesdeclast_si128(x[i], k), ldu(p + 16 * (i - 1))));
			stu(p, _mm_xor_si128(_mm_aesdeclast_si128(x[0], k), prev));
			prev = clast;
		}
	}
	KGSS_STITCH_INLINE void start(uint8_t *unit) { p = unit; }
};

#if KGSS_STITCH_VAES
// The same with VAES on 512-bit registers (stitch_vaes.cc,
// stitch_sha384_vaes.cc): four blocks per instruction, so a unit's
// decryption is a quarter of the instructions that share the core's issue
// slots with the hash (the SHA-NI and BMI2 rounds keep every slot busy; the
// 128-bit job above costs SHA-1 and SHA-384 about 0.05 and 0.2 cycles a
// byte more than the hash alone, this one close to nothing and 0.1).  Block
// j's CBC XOR takes the ciphertext block before it: for the blocks of
// register i > 0 those are the 64 bytes at 64 i - 16, still unchanged when
// read (the stores go from the last register down); for register 0 the
// first comes from prev (valignq), so nothing before the unit is touched.
template <unsigned NR, unsigned NB, typename Keys = stored_dec_keys>
struct cbc_dec_job_zmm : dec_schedule<cbc_dec_job_zmm<NR, NB, Keys>, NR> {
	static constexpr unsigned NV = NB / 4; // 512-bit registers per unit
	static_assert(NB % 4 == 0, "a unit is whole 512-bit registers");
	Keys keys;
	__m128i prev;  // the ciphertext block before the unit (public)
	__m512i x[NV]; // the unit's blocks in flight (secret once deciphered)
	__m128i clast; // the unit's last ciphertext block (public)
	uint8_t *p;

	// The block in all four lanes.  (The unmasked intrinsics of GCC 12 start
	// from an "undefined" register that -Wmaybe-uninitialized reports; an
	// all-ones zeroing mask is the same instruction.)
	KGSS_STITCH_INLINE static __m512i bcast(__m128i b) { return _mm512_maskz_broadcast_i32x4(0xffff, b); }

	template <unsigned R>
	KGSS_STITCH_INLINE void op()
	{
		const __m512i k = bcast(keys.template get<NR, R>());
		if constexpr (R == 0) {
			for (unsigned i = 0; i < NV; i++)
				x[i] = _mm512_xor_si512(_mm512_loadu_si512(p + 64 * i), k);
			clast = ldu(p + 16 * (NB - 1));
		} else if constexpr (R < NR) {
			for (unsigned i = 0; i < NV; i++)
				x[i] = _mm512_aesdec_epi128(x[i], k);
		} else {
			for (unsigned i = NV - 1; i > 0; i--)
				_mm512_storeu_si512(p + 64 * i, _mm512_xor_si512(_mm512_aesdeclast_epi128(x[i], k),
										 _mm512_loadu_si512(p + 64 * i - 16)));
			// Lanes prev, c0, c1, c2: 64-bit words 6, 7 of the
			// broadcast prev, then words 0..5 of the unit's first 64 bytes
			// (all eight kept: the mask is the unmasked form, as bcast's).
			const __m512i before = _mm512_maskz_alignr_epi64(0xff, _mm512_loadu_si512(p), bcast(prev), 6);
			_mm512_storeu_si512(p, _mm512_xor_si512(_mm512_aesdeclast_epi128(x[0], k), before));
			prev = clast;
		}
	}
	KGSS_STITCH_INLINE void start(uint8_t *unit) { p = unit; }
};
// The decryption job of this file's engines.
template <unsigned NR, unsigned NB, typename Keys = stored_dec_keys>
using dec_job = cbc_dec_job_zmm<NR, NB, Keys>;
#else
template <unsigned NR, unsigned NB, typename Keys = stored_dec_keys>
using dec_job = cbc_dec_job<NR, NB, Keys>;
#endif

// Nothing interleaved (the hash alone).
struct no_job {
	template <unsigned G>
	KGSS_STITCH_INLINE void tick()
	{
	}
};

// Hash and cipher job over n >= 1 units at data: the hash one unit ahead
// when it reads the cipher's input (!hash_output), one behind otherwise.
template <typename H, typename Job>
KGSS_STITCH_INLINE void stitch_units(typename H::regs &s, Job &job, uint8_t *data, size_t n, bool hash_output)
{
	constexpr size_t kUnit = H::unit;
	no_job none;
	if (!hash_output) {
		H::block(s, data, none);
		for (size_t i = 0; i + 1 < n; i++) {
			job.start(data + i * kUnit);
			H::block(s, data + (i + 1) * kUnit, job);
			job.template finish<H::ticks>();
		}
		job.start(data + (n - 1) * kUnit);
		job.template finish<0>();
	} else {
		job.start(data);
		job.template finish<0>();
		for (size_t i = 0; i + 1 < n; i++) {
			job.start(data + (i + 1) * kUnit);
			H::block(s, data + i * kUnit, job);
			job.template finish<H::ticks>();
		}
		H::block(s, data + (n - 1) * kUnit, none);
	}
}

// AES operations per tick for encryption: the unit's 4 (NR + 1) spread over
// the hash block's ticks (rounded up: the chain is the longer one).
template <typename H, unsigned NR>
constexpr unsigned enc_ops()
{
	return (H::unit / 16 * (NR + 1) + H::ticks - 1) / H::ticks;
}

template <typename H, unsigned NR>
KGSS_STITCH_TARGET void stitch_encrypt_body(const aes_ni_schedule *ks, uint8_t *iv, typename H::word *h, uint8_t *data,
					    size_t n, bool hash_output)
{
	typename H::regs s = H::load(h); // secret (HMAC state)
	cbc_enc_job<NR, enc_ops<H, NR>(), H::unit> job;
	job.rk = ks->ek;
	job.x = ldu(iv);
	stitch_units<H>(s, job, data, n, hash_output);
	stu(iv, job.x);
	H::store(h, s);
}

template <typename H, unsigned NR>
KGSS_STITCH_TARGET void stitch_decrypt_body(const aes_ni_schedule *ks, uint8_t *iv, typename H::word *h, uint8_t *data,
					    size_t n, bool hash_output)
{
	aesni::dec_keys dk; // wiped by its destructor
	aesni::make_decrypt_keys<NR>(ks, dk.k);
	typename H::regs s = H::load(h); // secret (HMAC state)
	dec_job<NR, H::unit / 16> job;
	job.keys.dk = dk.k;
	job.prev = ldu(iv);
	stitch_units<H>(s, job, data, n, hash_output);
	stu(iv, job.prev);
	H::store(h, s);
}

// The policy's own decryption (H::decrypt<NR>, always inlined, no target
// attribute: it calls a target function of its file) or stitch_decrypt_body.
template <typename H, unsigned NR>
__attribute__((always_inline)) inline void decrypt_body(const aes_ni_schedule *ks, uint8_t *iv, typename H::word *h,
							uint8_t *data, size_t n, bool hash_output)
{
	if constexpr (requires { H::template decrypt<NR>(ks, iv, h, data, n, hash_output); })
		H::template decrypt<NR>(ks, iv, h, data, n, hash_output);
	else
		stitch_decrypt_body<H, NR>(ks, iv, h, data, n, hash_output);
}

// An engine class over the AES-NI classes and the hash class hash (unit: its
// block size), one per stitch*.cc.
constexpr kgss_cbc_hash_class engine_class(const char *name, const kgss_hash_class *hash, size_t unit,
					   decltype(kgss_cbc_hash_class::encrypt) encrypt,
					   decltype(kgss_cbc_hash_class::decrypt) decrypt)
{
	return {name, &kgss_builtin_aes128_ni, &kgss_builtin_aes256_ni, hash, unit, encrypt, decrypt};
}

// ---- class operations: checks, then kChunkBytes per simd::section ----------------

// S: the hash's state type (md_common.h); H::max_bytes its message limit.
template <typename H, typename S, bool Decrypt>
int stitched(const void *ksv, uint8_t *iv, void *stv, uint8_t *data, size_t nunits, int hash_output)
{
	const aes_ni_schedule *ks = static_cast<const aes_ni_schedule *>(ksv);
	S *st = static_cast<S *>(stv);
	constexpr size_t kUnit = H::unit;
	constexpr size_t kUnitsPerSection = simd::kChunkBytes / kUnit;
	if (st->magic != md::LIVE || st->failed || st->count % kUnit != 0 || !aes_ni_keyed(ks))
		return -1;
	if ((uint64_t)nunits > (H::max_bytes - st->count) / kUnit) {
		st->failed = 1;
		return -1;
	}
	for (size_t done = 0; done < nunits;) {
		const size_t n = nunits - done < kUnitsPerSection ? nunits - done : kUnitsPerSection;
		uint8_t *p = data + done * kUnit;
		simd::section sec;
		if (!sec.ok) {
			st->failed = 1;
			return -1;
		}
		if constexpr (Decrypt) {
			if (ks->nrounds == 10)
				decrypt_body<H, 10>(ks, iv, st->h, p, n, hash_output != 0);
			else
				decrypt_body<H, 14>(ks, iv, st->h, p, n, hash_output != 0);
		} else {
			if (ks->nrounds == 10)
				stitch_encrypt_body<H, 10>(ks, iv, st->h, p, n, hash_output != 0);
			else
				stitch_encrypt_body<H, 14>(ks, iv, st->h, p, n, hash_output != 0);
		}
		st->count += n * kUnit;
		done += n;
	}
	return 0;
}

} // namespace
} // namespace kgss

#endif
