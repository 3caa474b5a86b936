// crypto/builtin/aes_ni.cc - AES-128/256 with the x86 AES-NI instructions.
//
// Use only when kgss::cpu_has_aesni() is true.  Every function that touches
// an intrinsic is compiled with __attribute__((target("aes,sse4.1"))), so
// the file builds without global -maes and the rest of the library stays
// baseline x86-64.  The instructions are constant time (no table lookups).
//
// The schedule holds only the encryption round keys (FIPS-197 §5.2), so that
// it fits KGSS_CIPHER_STATE_MAX with room to spare.  Decryption uses the
// "equivalent inverse cipher" (§5.3.5), whose round keys
// dk[0] = ek[Nr], dk[i] = InvMixColumns(ek[Nr-i]), dk[Nr] = ek[0]
// are made per call with aesimc: for one to seven blocks inside the round
// loop (off the aesdec dependency chain), for eight or more into a stack
// array that is wiped before the call returns.
//
// ECB (both ways) and CBC decryption pipeline eight independent blocks
// (aesenc/aesdec have a latency of several cycles and a throughput of one or
// two per cycle); CBC encryption and CBC-MAC are inherently serial.
//
// On non-x86 targets the _ni classes forward to the constant-time portable
// code, so the symbols always exist.
#include "crypto/builtin/builtin.h"
#include "crypto/builtin/simd.h"
#include "crypto/util.h"

#if KGSS_WITH_AES_SHA1 || KGSS_WITH_AES_SHA2

#if defined(__x86_64__) || defined(__i386__)

#include "crypto/builtin/aes_ni.h"

namespace kgss {
namespace {

constexpr size_t kBlock = 16;

using aesni::dec_keys;
using aesni::ld;
using aesni::ldu;
using aesni::make_decrypt_keys;
using aesni::st;
using aesni::stu;

// One step of the key expansion (§5.2): w[i] = w[i-Nk] ^ t for the four words
// of a round key at once; 'assist' already holds t (SubWord/RotWord/Rcon
// from aeskeygenassist) broadcast into every 32-bit lane.
KGSS_AESNI_TARGET inline __m128i expand_step(__m128i prev, __m128i assist)
{
	prev = _mm_xor_si128(prev, _mm_slli_si128(prev, 4));
	prev = _mm_xor_si128(prev, _mm_slli_si128(prev, 4));
	prev = _mm_xor_si128(prev, _mm_slli_si128(prev, 4));
	return _mm_xor_si128(prev, assist);
}

// aeskeygenassist takes its Rcon as an immediate: a template parameter.
// Round key I of AES-128 (Nk = 4) from round key I-1 in k:
// t = SubWord(RotWord(w[i-1])) ^ Rcon (dword 3 of the assist result).
template <int I, int Rcon>
KGSS_AESNI_INLINE void exp128(aes_ni_schedule *ks, __m128i &k)
{
	k = expand_step(k, _mm_shuffle_epi32(_mm_aeskeygenassist_si128(k, Rcon), 0xff));
	st(ks->ek[I], k);
}

// Round keys I and I+1 of AES-256 (Nk = 8) from the two before, a and b:
// the even one as above (from b), the odd one with t = SubWord(w[i-1])
// without rotation (dword 2).  Round key 14 comes alone.
template <int I, int Rcon>
KGSS_AESNI_INLINE void exp256(aes_ni_schedule *ks, __m128i &a, __m128i &b)
{
	a = expand_step(a, _mm_shuffle_epi32(_mm_aeskeygenassist_si128(b, Rcon), 0xff));
	st(ks->ek[I], a);
	if constexpr (I < 14) {
		b = expand_step(b, _mm_shuffle_epi32(_mm_aeskeygenassist_si128(a, 0), 0xaa));
		st(ks->ek[I + 1], b);
	}
}

KGSS_AESNI_TARGET int aes128_ni_init(void *ksv, const uint8_t *key, size_t key_len)
{
	aes_ni_schedule *ks = static_cast<aes_ni_schedule *>(ksv);
	wipe(ks, sizeof(*ks));
	if (key == nullptr || key_len != 16)
		return -1;
	ks->nrounds = 10;
	__m128i k = ldu(key); // secret: the current round key lives in a register
	st(ks->ek[0], k);
	exp128<1, 0x01>(ks, k);
	exp128<2, 0x02>(ks, k);
	exp128<3, 0x04>(ks, k);
	exp128<4, 0x08>(ks, k);
	exp128<5, 0x10>(ks, k);
	exp128<6, 0x20>(ks, k);
	exp128<7, 0x40>(ks, k);
	exp128<8, 0x80>(ks, k);
	exp128<9, 0x1b>(ks, k);
	exp128<10, 0x36>(ks, k);
	// Registers are not wiped: the values are all in the schedule anyway.
	return 0;
}

KGSS_AESNI_TARGET int aes256_ni_init(void *ksv, const uint8_t *key, size_t key_len)
{
	aes_ni_schedule *ks = static_cast<aes_ni_schedule *>(ksv);
	wipe(ks, sizeof(*ks));
	if (key == nullptr || key_len != 32)
		return -1;
	ks->nrounds = 14;
	__m128i a = ldu(key), b = ldu(key + 16); // secret: round keys in registers
	st(ks->ek[0], a);
	st(ks->ek[1], b);
	exp256<2, 0x01>(ks, a, b);
	exp256<4, 0x02>(ks, a, b);
	exp256<6, 0x04>(ks, a, b);
	exp256<8, 0x08>(ks, a, b);
	exp256<10, 0x10>(ks, a, b);
	exp256<12, 0x20>(ks, a, b);
	exp256<14, 0x40>(ks, a, b);
	return 0;
}

void aes_ni_clear(void *ks) { wipe(ks, sizeof(aes_ni_schedule)); }

// ---- one block, and eight blocks in parallel -----------------------------------------

template <unsigned NR>
KGSS_AESNI_TARGET inline __m128i enc1(const aes_ni_schedule *ks, __m128i x)
{
	x = _mm_xor_si128(x, ld(ks->ek[0]));
#pragma GCC unroll 14
	for (unsigned r = 1; r < NR; r++)
		x = _mm_aesenc_si128(x, ld(ks->ek[r]));
	return _mm_aesenclast_si128(x, ld(ks->ek[NR]));
}
// One block with precomputed decryption round keys dk[0..NR].
template <unsigned NR>
KGSS_AESNI_TARGET inline __m128i dec1(const uint8_t (*dk)[16], __m128i x)
{
	x = _mm_xor_si128(x, ld(dk[0]));
#pragma GCC unroll 14
	for (unsigned r = 1; r < NR; r++)
		x = _mm_aesdec_si128(x, ld(dk[r]));
	return _mm_aesdeclast_si128(x, ld(dk[NR]));
}
// One block straight from the encryption schedule: each InvMixColumns'd
// round key is made in a register next to the aesdec that uses it (the
// aesimc do not depend on x, so they overlap the aesdec chain).
template <unsigned NR>
KGSS_AESNI_TARGET inline __m128i dec1_imc(const aes_ni_schedule *ks, __m128i x)
{
	x = _mm_xor_si128(x, ld(ks->ek[NR]));
#pragma GCC unroll 14
	for (unsigned r = 1; r < NR; r++)
		x = _mm_aesdec_si128(x, _mm_aesimc_si128(ld(ks->ek[NR - r])));
	return _mm_aesdeclast_si128(x, ld(ks->ek[0]));
}

// Each round key is loaded once and applied to all eight blocks, so the
// eight independent aesenc/aesdec chains overlap in the pipeline.
#define KGSS_ROUND8(op, k)      \
	do {                    \
		x0 = op(x0, k); \
		x1 = op(x1, k); \
		x2 = op(x2, k); \
		x3 = op(x3, k); \
		x4 = op(x4, k); \
		x5 = op(x5, k); \
		x6 = op(x6, k); \
		x7 = op(x7, k); \
	} while (0)

template <unsigned NR, bool DEC>
KGSS_AESNI_TARGET inline void crypt8(const uint8_t (*rk)[16], __m128i &x0, __m128i &x1, __m128i &x2, __m128i &x3,
				     __m128i &x4, __m128i &x5, __m128i &x6, __m128i &x7)
{
	__m128i k = ld(rk[0]);
	KGSS_ROUND8(_mm_xor_si128, k);
#pragma GCC unroll 14
	for (unsigned r = 1; r < NR; r++) {
		k = ld(rk[r]);
		if (DEC)
			KGSS_ROUND8(_mm_aesdec_si128, k);
		else
			KGSS_ROUND8(_mm_aesenc_si128, k);
	}
	k = ld(rk[NR]);
	if (DEC)
		KGSS_ROUND8(_mm_aesdeclast_si128, k);
	else
		KGSS_ROUND8(_mm_aesenclast_si128, k);
}

template <unsigned NR, bool DEC>
KGSS_AESNI_TARGET void ecb_with(const aes_ni_schedule *ks, const uint8_t (*rk)[16], uint8_t *data, size_t nblocks)
{
	while (nblocks >= 8) {
		__m128i x0 = ldu(data), x1 = ldu(data + 16), x2 = ldu(data + 32), x3 = ldu(data + 48);
		__m128i x4 = ldu(data + 64), x5 = ldu(data + 80), x6 = ldu(data + 96), x7 = ldu(data + 112);
		crypt8<NR, DEC>(rk, x0, x1, x2, x3, x4, x5, x6, x7);
		stu(data, x0);
		stu(data + 16, x1);
		stu(data + 32, x2);
		stu(data + 48, x3);
		stu(data + 64, x4);
		stu(data + 80, x5);
		stu(data + 96, x6);
		stu(data + 112, x7);
		data += 8 * kBlock;
		nblocks -= 8;
	}
	for (; nblocks > 0; nblocks--, data += kBlock)
		stu(data, DEC ? dec1<NR>(rk, ldu(data)) : enc1<NR>(ks, ldu(data)));
}

template <unsigned NR, bool DEC>
KGSS_AESNI_TARGET void ecb(const aes_ni_schedule *ks, uint8_t *data, size_t nblocks)
{
	if (!DEC) {
		ecb_with<NR, false>(ks, ks->ek, data, nblocks);
	} else if (nblocks < 8) {
		for (; nblocks > 0; nblocks--, data += kBlock)
			stu(data, dec1_imc<NR>(ks, ldu(data)));
	} else {
		dec_keys dk;
		make_decrypt_keys<NR>(ks, dk.k);
		ecb_with<NR, true>(ks, dk.k, data, nblocks);
	}
}

template <unsigned NR>
KGSS_AESNI_TARGET void cbc_dec_with(const uint8_t (*dk)[16], uint8_t *iv, uint8_t *data, size_t nblocks)
{
	__m128i prev = ldu(iv); // the previous ciphertext block (public)
	while (nblocks >= 8) {
		__m128i x0 = ldu(data), x1 = ldu(data + 16), x2 = ldu(data + 32), x3 = ldu(data + 48);
		__m128i x4 = ldu(data + 64), x5 = ldu(data + 80), x6 = ldu(data + 96), x7 = ldu(data + 112);
		__m128i last = x7;
		crypt8<NR, true>(dk, x0, x1, x2, x3, x4, x5, x6, x7);
		// In place: XOR from the last block down, so each block's
		// predecessor ciphertext is still in memory when it is read.
		stu(data + 112, _mm_xor_si128(x7, ldu(data + 96)));
		stu(data + 96, _mm_xor_si128(x6, ldu(data + 80)));
		stu(data + 80, _mm_xor_si128(x5, ldu(data + 64)));
		stu(data + 64, _mm_xor_si128(x4, ldu(data + 48)));
		stu(data + 48, _mm_xor_si128(x3, ldu(data + 32)));
		stu(data + 32, _mm_xor_si128(x2, ldu(data + 16)));
		stu(data + 16, _mm_xor_si128(x1, ldu(data)));
		stu(data, _mm_xor_si128(x0, prev));
		prev = last;
		data += 8 * kBlock;
		nblocks -= 8;
	}
	for (; nblocks > 0; nblocks--, data += kBlock) {
		__m128i c = ldu(data);
		stu(data, _mm_xor_si128(dec1<NR>(dk, c), prev));
		prev = c;
	}
	stu(iv, prev);
}

template <unsigned NR>
KGSS_AESNI_TARGET void cbc_dec(const aes_ni_schedule *ks, uint8_t *iv, uint8_t *data, size_t nblocks)
{
	if (nblocks >= 8) {
		dec_keys dk;
		make_decrypt_keys<NR>(ks, dk.k);
		cbc_dec_with<NR>(dk.k, iv, data, nblocks);
		return;
	}
	__m128i prev = ldu(iv);
	for (; nblocks > 0; nblocks--, data += kBlock) {
		__m128i c = ldu(data);
		stu(data, _mm_xor_si128(dec1_imc<NR>(ks, c), prev));
		prev = c;
	}
	stu(iv, prev);
}

template <unsigned NR>
KGSS_AESNI_TARGET void cbc_enc(const aes_ni_schedule *ks, uint8_t *iv, uint8_t *data, size_t nblocks)
{
	__m128i x = ldu(iv);
	for (; nblocks > 0; nblocks--, data += kBlock) {
		x = enc1<NR>(ks, _mm_xor_si128(x, ldu(data)));
		stu(data, x);
	}
	stu(iv, x);
}

template <unsigned NR>
KGSS_AESNI_TARGET void cbc_mac(const aes_ni_schedule *ks, uint8_t *iv, const uint8_t *data, size_t nblocks)
{
	__m128i x = ldu(iv); // secret (a MAC state): lives only in registers
	for (; nblocks > 0; nblocks--, data += kBlock)
		x = enc1<NR>(ks, _mm_xor_si128(x, ldu(data)));
	stu(iv, x);
}

// ---- class operations: dispatch on the round count -------------------------------------
//
// The SIMD rule (crypto/builtin/simd.h): every call into the target("aes")
// code above runs inside a simd::section, kChunkBytes at a time.  The schedule
// is AES-NI's own, so when the vector registers are unusable the operation
// fails (-1) rather than fall back.

inline const aes_ni_schedule *sched(const void *ks) { return static_cast<const aes_ni_schedule *>(ks); }

constexpr size_t kChunkBlocks = simd::kChunkBytes / kBlock;

// Runs op(first_block, n) over nblocks blocks, kChunkBlocks per section.
template <typename Op>
int in_sections(size_t nblocks, Op op)
{
	for (size_t done = 0; done < nblocks;) {
		const size_t n = nblocks - done < kChunkBlocks ? nblocks - done : kChunkBlocks;
		simd::section s;
		if (!s.ok)
			return -1;
		op(done, n);
		done += n;
	}
	return 0;
}

template <bool Decrypt>
int ecb_op(const void *ksv, uint8_t *data, size_t nblocks)
{
	const aes_ni_schedule *ks = sched(ksv);
	if (!aes_ni_keyed(ks))
		return -1;
	return in_sections(nblocks, [&](size_t first, size_t n) {
		if (ks->nrounds == 10)
			ecb<10, Decrypt>(ks, data + first * kBlock, n);
		else
			ecb<14, Decrypt>(ks, data + first * kBlock, n);
	});
}
int aes_ni_ecb_encrypt(const void *ksv, uint8_t *data, size_t nblocks) { return ecb_op<false>(ksv, data, nblocks); }
int aes_ni_ecb_decrypt(const void *ksv, uint8_t *data, size_t nblocks) { return ecb_op<true>(ksv, data, nblocks); }
int aes_ni_cbc_encrypt(const void *ksv, uint8_t *iv, uint8_t *data, size_t nblocks)
{
	const aes_ni_schedule *ks = sched(ksv);
	if (!aes_ni_keyed(ks))
		return -1;
	return in_sections(nblocks, [&](size_t first, size_t n) {
		if (ks->nrounds == 10)
			cbc_enc<10>(ks, iv, data + first * kBlock, n);
		else
			cbc_enc<14>(ks, iv, data + first * kBlock, n);
	});
}
int aes_ni_cbc_decrypt(const void *ksv, uint8_t *iv, uint8_t *data, size_t nblocks)
{
	const aes_ni_schedule *ks = sched(ksv);
	if (!aes_ni_keyed(ks))
		return -1;
	return in_sections(nblocks, [&](size_t first, size_t n) {
		if (ks->nrounds == 10)
			cbc_dec<10>(ks, iv, data + first * kBlock, n);
		else
			cbc_dec<14>(ks, iv, data + first * kBlock, n);
	});
}
int aes_ni_cbc_mac(const void *ksv, uint8_t *iv, const uint8_t *data, size_t nblocks)
{
	const aes_ni_schedule *ks = sched(ksv);
	if (!aes_ni_keyed(ks))
		return -1;
	return in_sections(nblocks, [&](size_t first, size_t n) {
		if (ks->nrounds == 10)
			cbc_mac<10>(ks, iv, data + first * kBlock, n);
		else
			cbc_mac<14>(ks, iv, data + first * kBlock, n);
	});
}

// Key expansion: the schedule is wiped first, so a failure leaves no key.
template <int (*Expand)(void *, const uint8_t *, size_t)>
int init_op(void *ksv, const uint8_t *key, size_t key_len)
{
	simd::section s;
	if (!s.ok) {
		wipe(ksv, sizeof(aes_ni_schedule));
		return -1;
	}
	return Expand(ksv, key, key_len);
}

} // namespace

// The class of one key size: the family's functions, the key size's init.
constexpr kgss_block_cipher_class aes_ni_class(size_t key_len, const char *name,
					       int (*init)(void *, const uint8_t *, size_t))
{
	return kgss_block_cipher_class{
		.context_size = sizeof(aes_ni_schedule),
		.block_size = 16,
		.key_size = key_len,
		.name = name,
		.init = init,
		.clear = aes_ni_clear,
		.ecb_encrypt = aes_ni_ecb_encrypt,
		.ecb_decrypt = aes_ni_ecb_decrypt,
		.cbc_encrypt = aes_ni_cbc_encrypt,
		.cbc_decrypt = aes_ni_cbc_decrypt,
		.cbc_mac = aes_ni_cbc_mac,
	};
}
} // namespace kgss

extern "C" constinit const kgss_block_cipher_class kgss_builtin_aes128_ni =
	kgss::aes_ni_class(16, "aes128-ni", kgss::init_op<kgss::aes128_ni_init>);

extern "C" constinit const kgss_block_cipher_class kgss_builtin_aes256_ni =
	kgss::aes_ni_class(32, "aes256-ni", kgss::init_op<kgss::aes256_ni_init>);

#else // not x86: the _ni names forward to the constant-time code

namespace {
int fwd128_init(void *ks, const uint8_t *k, size_t n) { return kgss_builtin_aes128_ct.init(ks, k, n); }
int fwd256_init(void *ks, const uint8_t *k, size_t n) { return kgss_builtin_aes256_ct.init(ks, k, n); }
void fwd_clear(void *ks) { kgss::wipe(ks, KGSS_CIPHER_STATE_MAX); }
int fwd_ecb_enc(const void *ks, uint8_t *d, size_t n) { return kgss_builtin_aes128_ct.ecb_encrypt(ks, d, n); }
int fwd_ecb_dec(const void *ks, uint8_t *d, size_t n) { return kgss_builtin_aes128_ct.ecb_decrypt(ks, d, n); }
int fwd_cbc_enc(const void *ks, uint8_t *iv, uint8_t *d, size_t n)
{
	return kgss_builtin_aes128_ct.cbc_encrypt(ks, iv, d, n);
}
int fwd_cbc_dec(const void *ks, uint8_t *iv, uint8_t *d, size_t n)
{
	return kgss_builtin_aes128_ct.cbc_decrypt(ks, iv, d, n);
}
int fwd_cbc_mac(const void *ks, uint8_t *iv, const uint8_t *d, size_t n)
{
	return kgss_builtin_aes128_ct.cbc_mac(ks, iv, d, n);
}
} // namespace

// The ct schedule size is a compile-time constant of aes_ct.cc; 512 covers it
// (aes_ct.cc static_asserts its size against KGSS_CIPHER_STATE_MAX).
extern "C" const kgss_block_cipher_class kgss_builtin_aes128_ni = {
	KGSS_CIPHER_STATE_MAX, 16,          16,          "aes128-ct", fwd128_init, fwd_clear,
	fwd_ecb_enc,           fwd_ecb_dec, fwd_cbc_enc, fwd_cbc_dec, fwd_cbc_mac,
};
extern "C" const kgss_block_cipher_class kgss_builtin_aes256_ni = {
	KGSS_CIPHER_STATE_MAX, 16,          32,          "aes256-ct", fwd256_init, fwd_clear,
	fwd_ecb_enc,           fwd_ecb_dec, fwd_cbc_enc, fwd_cbc_dec, fwd_cbc_mac,
};

#endif // x86

#endif // KGSS_WITH_AES_SHA1 || KGSS_WITH_AES_SHA2
