// crypto/builtin/camellia.cc - Camellia-128/256 (RFC 3713).
//
// Fast path: a block is two 64-bit words kept in registers from load to
// store (no byte loops, no stack copies); the rounds are unrolled with
// constant subkey indices; CBC decryption runs two independent blocks
// interleaved, and CBC encryption / CBC-MAC keep the chaining value in
// registers across the blocks of one call.
//
// table-based: not constant-time on cache-sharing hosts.  The F-function
// (RFC 3713 §2.4.1) is computed with eight 256-entry tables indexed by
// secret-dependent bytes, so an attacker sharing a cache with this code
// can learn about keys and data from its memory access pattern.  Prefer the
// AES enctypes where that matters.
//
// The eight tables combine the S-boxes (§2.4.4) with the P-function
// (§2.4.3): T[j][x] is the 64-bit contribution of input byte j = x to the
// F-function output.  They are computed at compile time (constexpr) from
// SBOX1, so they live in read-only data and there is no static constructor.
#include "crypto/builtin/builtin.h"
#include "crypto/util.h"

#if KGSS_WITH_CAMELLIA

namespace kgss {
namespace {

constexpr size_t kBlock = 16;

// SBOX1, RFC 3713 §2.4.4.
constexpr uint8_t kSbox1[256] = {
	112, 130, 44,  236, 179, 39,  192, 229, 228, 133, 87,  53,  234, 12,  174, 65,  35,  239, 107, 147, 69,  25,
	165, 33,  237, 14,  79,  78,  29,  101, 146, 189, 134, 184, 175, 143, 124, 235, 31,  206, 62,  48,  220, 95,
	94,  197, 11,  26,  166, 225, 57,  202, 213, 71,  93,  61,  217, 1,   90,  214, 81,  86,  108, 77,  139, 13,
	154, 102, 251, 204, 176, 45,  116, 18,  43,  32,  240, 177, 132, 153, 223, 76,  203, 194, 52,  126, 118, 5,
	109, 183, 169, 49,  209, 23,  4,   215, 20,  88,  58,  97,  222, 27,  17,  28,  50,  15,  156, 22,  83,  24,
	242, 34,  254, 68,  207, 178, 195, 181, 122, 145, 36,  8,   232, 168, 96,  252, 105, 80,  170, 208, 160, 125,
	161, 137, 98,  151, 84,  91,  30,  149, 224, 255, 100, 210, 16,  196, 0,   72,  163, 247, 117, 219, 138, 3,
	230, 218, 9,   63,  221, 148, 135, 92,  131, 2,   205, 74,  144, 51,  115, 103, 246, 243, 157, 127, 191, 226,
	82,  155, 216, 38,  200, 55,  198, 59,  129, 150, 111, 75,  19,  190, 99,  46,  233, 121, 167, 140, 159, 110,
	188, 142, 41,  245, 249, 182, 47,  253, 180, 89,  120, 152, 6,   106, 231, 70,  113, 186, 212, 37,  171, 66,
	136, 162, 141, 250, 114, 7,   185, 85,  248, 238, 172, 10,  54,  73,  42,  104, 60,  56,  241, 164, 64,  40,
	211, 123, 187, 201, 67,  193, 21,  227, 173, 244, 119, 199, 128, 158,
};

constexpr uint8_t rotl8(uint8_t x, unsigned n) { return (uint8_t)((x << n) | (x >> (8 - n))); }

// §2.4.4: SBOX2[x] = SBOX1[x] <<< 1, SBOX3[x] = SBOX1[x] <<< 7,
// SBOX4[x] = SBOX1[x <<< 1].
constexpr uint8_t sbox(unsigned which, uint8_t x)
{
	return which == 1   ? kSbox1[x]
	       : which == 2 ? rotl8(kSbox1[x], 1)
	       : which == 3 ? rotl8(kSbox1[x], 7)
			    : kSbox1[rotl8(x, 1)];
}

// §2.4.1: input byte t_j (j = 1..8, t1 the most significant) goes through
// S-box kSboxOf[j-1].
constexpr unsigned kSboxOf[8] = {1, 2, 3, 4, 2, 3, 4, 1};

// §2.4.3, the P-function: kP[i][j] = 1 when y_(i+1) includes t_(j+1).
//   y1 = t1 ^ t3 ^ t4 ^ t6 ^ t7 ^ t8      y5 = t1 ^ t2 ^ t6 ^ t7 ^ t8
//   y2 = t1 ^ t2 ^ t4 ^ t5 ^ t7 ^ t8      y6 = t2 ^ t3 ^ t5 ^ t7 ^ t8
//   y3 = t1 ^ t2 ^ t3 ^ t5 ^ t6 ^ t8      y7 = t3 ^ t4 ^ t5 ^ t6 ^ t8
//   y4 = t2 ^ t3 ^ t4 ^ t5 ^ t6 ^ t7      y8 = t1 ^ t4 ^ t5 ^ t6 ^ t7
constexpr uint8_t kP[8][8] = {
	{1, 0, 1, 1, 0, 1, 1, 1}, {1, 1, 0, 1, 1, 0, 1, 1}, {1, 1, 1, 0, 1, 1, 0, 1}, {0, 1, 1, 1, 1, 1, 1, 0},
	{1, 1, 0, 0, 0, 1, 1, 1}, {0, 1, 1, 0, 1, 0, 1, 1}, {0, 0, 1, 1, 1, 1, 0, 1}, {1, 0, 0, 1, 1, 1, 1, 0},
};

struct sp_tables {
	uint64_t t[8][256];
};

constexpr sp_tables make_sp_tables()
{
	sp_tables r{};
	for (unsigned j = 0; j < 8; j++)
		for (unsigned x = 0; x < 256; x++) {
			uint64_t s = sbox(kSboxOf[j], (uint8_t)x), v = 0;
			for (unsigned i = 0; i < 8; i++)
				if (kP[i][j])
					v |= s << (8 * (7 - i)); // y1 is the most significant byte
			r.t[j][x] = v;
		}
	return r;
}

constexpr sp_tables kSP = make_sp_tables();

// The S- and P-functions of F (§2.4.1) on an input already XORed with its
// subkey.  Bytes are taken from the two 32-bit halves (shorter shifts, and
// the compiler can use byte registers); the eight table words are XORed as
// two independent halves, a shorter dependency chain than one running XOR.
// Eight lookups per call, as always: the (table-based) memory access pattern
// is that of RFC 3713's F, no more and no less.
inline uint64_t SP(uint64_t x)
{
	const uint32_t hi = (uint32_t)(x >> 32), lo = (uint32_t)x; // secret
	const uint64_t a = kSP.t[0][hi >> 24] ^ kSP.t[1][(hi >> 16) & 0xff];
	const uint64_t b = kSP.t[2][(hi >> 8) & 0xff] ^ kSP.t[3][hi & 0xff];
	const uint64_t c = kSP.t[4][lo >> 24] ^ kSP.t[5][(lo >> 16) & 0xff];
	const uint64_t d = kSP.t[6][(lo >> 8) & 0xff] ^ kSP.t[7][lo & 0xff];
	uint64_t ab = a ^ b, cd = c ^ d;
	// An empty asm (no instruction) keeps the two halves apart: without it
	// GCC re-associates them into one serial chain.
	__asm__("" : "+r"(ab), "+r"(cd));
	return ab ^ cd;
}

// F-function, §2.4.1.
inline uint64_t F(uint64_t in, uint64_t ke) { return SP(in ^ ke); }

inline uint32_t rotl32(uint32_t x, unsigned n) { return (x << n) | (x >> (32 - n)); }

// FL and FL^-1, §2.4.2.
inline uint64_t FL(uint64_t in, uint64_t ke)
{
	uint32_t x1 = (uint32_t)(in >> 32), x2 = (uint32_t)in;
	uint32_t k1 = (uint32_t)(ke >> 32), k2 = (uint32_t)ke;
	x2 ^= rotl32(x1 & k1, 1);
	x1 ^= (x2 | k2);
	return ((uint64_t)x1 << 32) | x2;
}
inline uint64_t FLINV(uint64_t in, uint64_t ke)
{
	uint32_t y1 = (uint32_t)(in >> 32), y2 = (uint32_t)in;
	uint32_t k1 = (uint32_t)(ke >> 32), k2 = (uint32_t)ke;
	y1 ^= (y2 | k2);
	y2 ^= rotl32(y1 & k1, 1);
	return ((uint64_t)y1 << 32) | y2;
}

// Subkeys in encryption order: kw1..kw4, k1..k18 (k1..k24), ke1..ke4
// (ke1..ke6), §2.2.
struct camellia_schedule {
	uint64_t kw[4];   // secret: whitening keys, wiped by clear()
	uint64_t k[24];   // secret: round keys, wiped by clear()
	uint64_t ke[6];   // secret: FL/FL^-1 keys, wiped by clear()
	uint32_t nrounds; // 18 (128-bit key) or 24 (256-bit key)
};
static_assert(sizeof(camellia_schedule) <= KGSS_CIPHER_STATE_MAX, "schedule too large");

// A 128-bit value as two 64-bit halves.
struct u128 {
	uint64_t hi, lo;
};

// (v <<< n) for 0 <= n < 128.
inline u128 rotl128(u128 v, unsigned n)
{
	if (n >= 64) {
		uint64_t t = v.hi;
		v.hi = v.lo;
		v.lo = t;
		n -= 64;
	}
	if (n == 0)
		return v;
	return u128{(v.hi << n) | (v.lo >> (64 - n)), (v.lo << n) | (v.hi >> (64 - n))};
}

// The Sigma constants, §2.2.
constexpr uint64_t kSigma[6] = {
	0xA09E667F3BCC908Bu, 0xB67AE8584CAA73B2u, 0xC6EF372FE94F82BEu,
	0x54FF53A5F1D36F1Cu, 0x10E527FADE682D1Du, 0xB05688C2B3E6C1FDu,
};

int init_common(camellia_schedule *ks, const uint8_t *key, size_t key_len, size_t want)
{
	wipe(ks, sizeof(*ks));
	if (key == nullptr || key_len != want)
		return -1;
	// §2.2: KL, KR (zero for a 128-bit key), then KA and KB.
	u128 KL = {load_be64(key), load_be64(key + 8)}; // secret: wiped at end
	u128 KR = {0, 0};                               // secret: wiped at end
	if (key_len == 32)
		KR = u128{load_be64(key + 16), load_be64(key + 24)};
	uint64_t D1 = KL.hi ^ KR.hi, D2 = KL.lo ^ KR.lo; // secret: wiped at end
	D2 ^= F(D1, kSigma[0]);
	D1 ^= F(D2, kSigma[1]);
	D1 ^= KL.hi;
	D2 ^= KL.lo;
	D2 ^= F(D1, kSigma[2]);
	D1 ^= F(D2, kSigma[3]);
	u128 KA = {D1, D2}; // secret: wiped at end
	D1 = KA.hi ^ KR.hi;
	D2 = KA.lo ^ KR.lo;
	D2 ^= F(D1, kSigma[4]);
	D1 ^= F(D2, kSigma[5]);
	u128 KB = {D1, D2}; // secret: wiped at end
	u128 t;             // secret: wiped at end

	// Each entry: (source, rotation) for a pair of 64-bit subkeys.
#define KGSS_SUBKEY_PAIR(dst0, dst1, src, rot) \
	do {                                   \
		t = rotl128((src), (rot));     \
		(dst0) = t.hi;                 \
		(dst1) = t.lo;                 \
	} while (0)

	if (key_len == 16) {
		// §2.2, subkeys for a 128-bit key.
		ks->nrounds = 18;
		KGSS_SUBKEY_PAIR(ks->kw[0], ks->kw[1], KL, 0);
		KGSS_SUBKEY_PAIR(ks->k[0], ks->k[1], KA, 0);
		KGSS_SUBKEY_PAIR(ks->k[2], ks->k[3], KL, 15);
		KGSS_SUBKEY_PAIR(ks->k[4], ks->k[5], KA, 15);
		KGSS_SUBKEY_PAIR(ks->ke[0], ks->ke[1], KA, 30);
		KGSS_SUBKEY_PAIR(ks->k[6], ks->k[7], KL, 45);
		t = rotl128(KA, 45);
		ks->k[8] = t.hi; // k9 = (KA <<< 45) >> 64
		t = rotl128(KL, 60);
		ks->k[9] = t.lo; // k10 = (KL <<< 60) & MASK64
		KGSS_SUBKEY_PAIR(ks->k[10], ks->k[11], KA, 60);
		KGSS_SUBKEY_PAIR(ks->ke[2], ks->ke[3], KL, 77);
		KGSS_SUBKEY_PAIR(ks->k[12], ks->k[13], KL, 94);
		KGSS_SUBKEY_PAIR(ks->k[14], ks->k[15], KA, 94);
		KGSS_SUBKEY_PAIR(ks->k[16], ks->k[17], KL, 111);
		KGSS_SUBKEY_PAIR(ks->kw[2], ks->kw[3], KA, 111);
	} else {
		// §2.2, subkeys for a 256-bit key.
		ks->nrounds = 24;
		KGSS_SUBKEY_PAIR(ks->kw[0], ks->kw[1], KL, 0);
		KGSS_SUBKEY_PAIR(ks->k[0], ks->k[1], KB, 0);
		KGSS_SUBKEY_PAIR(ks->k[2], ks->k[3], KR, 15);
		KGSS_SUBKEY_PAIR(ks->k[4], ks->k[5], KA, 15);
		KGSS_SUBKEY_PAIR(ks->ke[0], ks->ke[1], KR, 30);
		KGSS_SUBKEY_PAIR(ks->k[6], ks->k[7], KB, 30);
		KGSS_SUBKEY_PAIR(ks->k[8], ks->k[9], KL, 45);
		KGSS_SUBKEY_PAIR(ks->k[10], ks->k[11], KA, 45);
		KGSS_SUBKEY_PAIR(ks->ke[2], ks->ke[3], KL, 60);
		KGSS_SUBKEY_PAIR(ks->k[12], ks->k[13], KR, 60);
		KGSS_SUBKEY_PAIR(ks->k[14], ks->k[15], KB, 60);
		KGSS_SUBKEY_PAIR(ks->k[16], ks->k[17], KL, 77);
		KGSS_SUBKEY_PAIR(ks->ke[4], ks->ke[5], KA, 77);
		KGSS_SUBKEY_PAIR(ks->k[18], ks->k[19], KR, 94);
		KGSS_SUBKEY_PAIR(ks->k[20], ks->k[21], KA, 94);
		KGSS_SUBKEY_PAIR(ks->k[22], ks->k[23], KL, 111);
		KGSS_SUBKEY_PAIR(ks->kw[2], ks->kw[3], KB, 111);
	}
#undef KGSS_SUBKEY_PAIR
	KGSS_WIPE(KL);
	KGSS_WIPE(KR);
	KGSS_WIPE(KA);
	KGSS_WIPE(KB);
	KGSS_WIPE(t);
	KGSS_WIPE(D1);
	KGSS_WIPE(D2);
	return 0;
}

// Blocks as big-endian 64-bit words (§2.3: the 128-bit block is M = D1 | D2).
// memcpy and a byte swap compile to one load or store on little-endian hosts.
inline uint64_t camellia_ld(const uint8_t *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t v;
	memcpy(&v, p, 8);
	return __builtin_bswap64(v);
#else
	return load_be64(p);
#endif
}
inline void camellia_st(uint8_t *p, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
	memcpy(p, &v, 8);
#else
	store_be64(p, v);
#endif
}

// Data randomizing part, §2.3.  Decryption (§2.3.3) is the same network
// with the subkeys in reverse order: kw1<->kw3, kw2<->kw4, k_i<->k_(n+1-i),
// ke_i<->ke_(m+1-i).  The reversal is in the (compile-time) subkey indices
// below; nothing is computed per call or per block.
template <unsigned NK, bool DEC>
struct camellia_idx {
	static constexpr unsigned nke = NK / 3 - 2;                      // 18 -> 4, 24 -> 6
	static constexpr unsigned pre = DEC ? 2 : 0, post = DEC ? 0 : 2; // kw
	static constexpr unsigned k(unsigned r) { return DEC ? NK - 1 - r : r; }
	// The FL layer after round r (r = 6, 12, 18): FL key, FL^-1 key.
	static constexpr unsigned fl(unsigned r) { return DEC ? nke - 1 - (r / 3 - 2) : r / 3 - 2; }
	static constexpr unsigned flinv(unsigned r) { return DEC ? nke - 2 - (r / 3 - 2) : r / 3 - 1; }
};

// One block, §2.3.1 (§2.3.3 when DEC): in = D1 | D2 (hi | lo), out likewise.
// The round count is a template parameter, so the loop unrolls with constant
// subkey indices; callers dispatch once per call on the schedule's count.
// Not inlined: one copy per (NK, DEC) is shared by ECB, CBC and CBC-MAC.
template <unsigned NK, bool DEC>
__attribute__((noinline)) u128 camellia_block(const camellia_schedule *ks, u128 in)
{
	using I = camellia_idx<NK, DEC>;
	uint64_t D1 = in.hi ^ ks->kw[I::pre];     // secret: lives in registers
	uint64_t D2 = in.lo ^ ks->kw[I::pre + 1]; // secret: lives in registers
	// x is the next F input (half ^ subkey).  It is formed as
	// SP(...) ^ (half ^ subkey): the XOR with the subkey is done while the
	// table lookups are in flight, one step off each round's critical path.
	uint64_t x = D1 ^ ks->k[I::k(0)]; // secret
#pragma GCC unroll 24
	for (unsigned r = 0; r < NK; r += 2) {
		if (r > 0 && r % 6 == 0) { // §2.3.1: FL / FL^-1 layer every six rounds
			D1 = FL(D1, ks->ke[I::fl(r)]);
			D2 = FLINV(D2, ks->ke[I::flinv(r)]);
			x = D1 ^ ks->k[I::k(r)];
		}
		uint64_t f = SP(x);                                 // secret: F(D1, k_(r+1))
		uint64_t t = D2 ^ ks->k[DEC ? I::k(r) - 1 : r + 1]; // secret
		__asm__("" : "+r"(t));                              // keep (D2 ^ k) as one operand
		x = f ^ t;
		D2 ^= f;
		f = SP(x); // F(D2, k_(r+2))
		if (r + 2 < NK && (r + 2) % 6 != 0) {
			t = D1 ^ ks->k[I::k(r + 2)];
			__asm__("" : "+r"(t));
			x = f ^ t;
		}
		D1 ^= f;
	}
	return u128{D2 ^ ks->kw[I::post], D1 ^ ks->kw[I::post + 1]};
}

// Two independent blocks, round by round interleaved so that the two F
// chains overlap (CBC decryption: every block depends only on ciphertext).
template <unsigned NK, bool DEC>
__attribute__((noinline)) void camellia_block2(const camellia_schedule *ks, u128 *a, u128 *b)
{
	using I = camellia_idx<NK, DEC>;
	uint64_t A1 = a->hi ^ ks->kw[I::pre], A2 = a->lo ^ ks->kw[I::pre + 1]; // secret: registers
	uint64_t B1 = b->hi ^ ks->kw[I::pre], B2 = b->lo ^ ks->kw[I::pre + 1]; // secret: registers
#pragma GCC unroll 24
	for (unsigned r = 0; r < NK; r += 2) {
		if (r > 0 && r % 6 == 0) {
			const uint64_t kl = ks->ke[I::fl(r)], kr = ks->ke[I::flinv(r)]; // secret
			A1 = FL(A1, kl);
			B1 = FL(B1, kl);
			A2 = FLINV(A2, kr);
			B2 = FLINV(B2, kr);
		}
		const uint64_t k0 = ks->k[I::k(r)], k1 = ks->k[DEC ? I::k(r) - 1 : r + 1]; // secret
		A2 ^= F(A1, k0);
		B2 ^= F(B1, k0);
		A1 ^= F(A2, k1);
		B1 ^= F(B2, k1);
	}
	*a = u128{A2 ^ ks->kw[I::post], A1 ^ ks->kw[I::post + 1]};
	*b = u128{B2 ^ ks->kw[I::post], B1 ^ ks->kw[I::post + 1]};
}

// ---- modes, per round count ---------------------------------------------------------

// ECB (!Chain), CBC encryption (Chain) and CBC-MAC (Chain, !Store): one block
// after the other.  The chaining value stays in scalar locals (not a struct
// in memory), so it is kept in registers between calls of the block function;
// P_i ^ C_(i-1) exists only in registers.
template <unsigned NK, bool DEC, bool Chain, bool Store>
void camellia_serial_n(const camellia_schedule *ks, uint8_t *iv, const uint8_t *in, uint8_t *out, size_t nblocks)
{
	uint64_t hi = 0, lo = 0; // secret: ECB plaintext, CBC-MAC state
	if (Chain) {
		hi = camellia_ld(iv);
		lo = camellia_ld(iv + 8);
	}
	for (; nblocks > 0; nblocks--, in += kBlock) {
		const uint64_t ch = Chain ? hi : 0, cl = Chain ? lo : 0;
		const u128 c = camellia_block<NK, DEC>(ks, u128{ch ^ camellia_ld(in), cl ^ camellia_ld(in + 8)});
		hi = c.hi;
		lo = c.lo;
		if (Store) {
			camellia_st(out, hi);
			camellia_st(out + 8, lo);
			out += kBlock;
		}
	}
	if (Chain) {
		camellia_st(iv, hi);
		camellia_st(iv + 8, lo);
	}
	KGSS_WIPE(hi);
	KGSS_WIPE(lo);
}

template <unsigned NK>
void camellia_cbc_dec_n(const camellia_schedule *ks, uint8_t *iv, uint8_t *data, size_t nblocks)
{
	uint64_t ph = camellia_ld(iv), pl = camellia_ld(iv + 8); // C_(i-1) (public)
	u128 a, b;                                               // secret: plaintext (stack, wiped)
	for (; nblocks >= 2; nblocks -= 2, data += 2 * kBlock) {
		const uint64_t c0h = camellia_ld(data), c0l = camellia_ld(data + 8);       // C_i
		const uint64_t c1h = camellia_ld(data + 16), c1l = camellia_ld(data + 24); // C_(i+1)
		a = u128{c0h, c0l};
		b = u128{c1h, c1l};
		camellia_block2<NK, true>(ks, &a, &b);
		camellia_st(data, a.hi ^ ph);
		camellia_st(data + 8, a.lo ^ pl);
		camellia_st(data + 16, b.hi ^ c0h);
		camellia_st(data + 24, b.lo ^ c0l);
		ph = c1h;
		pl = c1l;
	}
	if (nblocks) {
		const uint64_t ch = camellia_ld(data), cl = camellia_ld(data + 8);
		a = camellia_block<NK, true>(ks, u128{ch, cl});
		camellia_st(data, a.hi ^ ph);
		camellia_st(data + 8, a.lo ^ pl);
		ph = ch;
		pl = cl;
	}
	camellia_st(iv, ph);
	camellia_st(iv + 8, pl);
	KGSS_WIPE(a);
	KGSS_WIPE(b);
}

// ---- class operations ---------------------------------------------------------------

int camellia128_init(void *ks, const uint8_t *key, size_t key_len)
{
	return init_common(static_cast<camellia_schedule *>(ks), key, key_len, 16);
}
int camellia256_init(void *ks, const uint8_t *key, size_t key_len)
{
	return init_common(static_cast<camellia_schedule *>(ks), key, key_len, 32);
}
void camellia_clear(void *ks) { wipe(ks, sizeof(camellia_schedule)); }

inline const camellia_schedule *sched(const void *ks) { return static_cast<const camellia_schedule *>(ks); }

// An init() succeeded on the schedule: not cleared, failed or never set
// (nrounds 0).  The operations refuse a schedule that is not.
inline bool keyed(const void *ks) { return sched(ks)->nrounds == 18 || sched(ks)->nrounds == 24; }

// The class functions dispatch once per call on the schedule's round count.
template <bool DEC, bool Chain, bool Store>
int camellia_serial(const void *ks, uint8_t *iv, const uint8_t *in, uint8_t *out, size_t nblocks)
{
	if (!keyed(ks))
		return -1;
	if (sched(ks)->nrounds == 18)
		camellia_serial_n<18, DEC, Chain, Store>(sched(ks), iv, in, out, nblocks);
	else
		camellia_serial_n<24, DEC, Chain, Store>(sched(ks), iv, in, out, nblocks);
	return 0;
}

int camellia_ecb_encrypt(const void *ks, uint8_t *data, size_t nblocks)
{
	return camellia_serial<false, false, true>(ks, nullptr, data, data, nblocks);
}
int camellia_ecb_decrypt(const void *ks, uint8_t *data, size_t nblocks)
{
	return camellia_serial<true, false, true>(ks, nullptr, data, data, nblocks);
}
int camellia_cbc_encrypt(const void *ks, uint8_t *iv, uint8_t *data, size_t nblocks)
{
	return camellia_serial<false, true, true>(ks, iv, data, data, nblocks);
}
int camellia_cbc_decrypt(const void *ks, uint8_t *iv, uint8_t *data, size_t nblocks)
{
	if (!keyed(ks))
		return -1;
	if (sched(ks)->nrounds == 18)
		camellia_cbc_dec_n<18>(sched(ks), iv, data, nblocks);
	else
		camellia_cbc_dec_n<24>(sched(ks), iv, data, nblocks);
	return 0;
}
int camellia_cbc_mac(const void *ks, uint8_t *iv, const uint8_t *data, size_t nblocks)
{
	// iv is the running MAC state; data is not modified.
	return camellia_serial<false, true, false>(ks, iv, data, nullptr, nblocks);
}

} // namespace

// The class of one key size: the family's functions, the key size's init.
constexpr kgss_block_cipher_class camellia_class(size_t key_len, const char *name,
						 int (*init)(void *, const uint8_t *, size_t))
{
	return kgss_block_cipher_class{
		.context_size = sizeof(camellia_schedule),
		.block_size = 16,
		.key_size = key_len,
		.name = name,
		.init = init,
		.clear = camellia_clear,
		.ecb_encrypt = camellia_ecb_encrypt,
		.ecb_decrypt = camellia_ecb_decrypt,
		.cbc_encrypt = camellia_cbc_encrypt,
		.cbc_decrypt = camellia_cbc_decrypt,
		.cbc_mac = camellia_cbc_mac,
	};
}
} // namespace kgss

extern "C" constinit const kgss_block_cipher_class kgss_builtin_camellia128 =
	kgss::camellia_class(16, "camellia128", kgss::camellia128_init);

extern "C" constinit const kgss_block_cipher_class kgss_builtin_camellia256 =
	kgss::camellia_class(32, "camellia256", kgss::camellia256_init);

#endif // KGSS_WITH_CAMELLIA
