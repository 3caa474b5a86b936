// crypto/builtin/aes_ct.cc - constant-time portable AES-128/256 (FIPS-197),
// bitsliced over 64-bit words, up to four blocks per pass.
//
// Constant time: no table lookup and no branch depends on key or data; the
// only branches are on the (public) block count and round number.  The
// S-box is computed by a Boolean circuit, so there is no cache-timing leak.
//
// Bitsliced layout.  Four 16-byte blocks b = 0..3 are held in eight 64-bit
// words q[0..7]; q[i] holds bit i of every state byte.  FIPS-197 §3.4
// numbers the state bytes s[r][c] = in[r + 4c] (row r, column c); bit i of
// s[r][c] of block b sits at bit position
//     16*r + 4*c + b
// of q[i].  Each row is a 16-bit lane, so ShiftRows (§5.1.2) rotates 4-bit
// groups inside a lane and MixColumns (§5.1.3), which mixes rows of the
// same column, is a 64-bit rotation by whole lanes.
//
// Round keys are the same for every block, so bit b of each 4-bit group is
// redundant: the schedule keeps only b = 0 ("compressed", 16 bytes a round,
// 240 bytes for AES-256) and expands a round key with a mask and a
// multiply when it is used.
#include "crypto/builtin/builtin.h"
#include "crypto/util.h"

#if KGSS_WITH_AES_SHA1 || KGSS_WITH_AES_SHA2

namespace kgss {
namespace {

constexpr size_t kBlock = 16;
constexpr unsigned kLanes = 4; // blocks per bitsliced pass

struct aes_ct_schedule {
	uint64_t rk[15][2]; // secret: compressed bitsliced round keys, wiped by clear()
	uint32_t nrounds;   // 10 (AES-128) or 14 (AES-256)
};
static_assert(sizeof(aes_ct_schedule) <= KGSS_CIPHER_STATE_MAX, "schedule too large");

// ---- bit-matrix transposition ------------------------------------------------

// Swap the bits of a selected by (m << s) with the bits of b selected by m.
inline void swapmove(uint64_t &a, uint64_t &b, unsigned s, uint64_t m)
{
	uint64_t t = ((a >> s) ^ b) & m;
	b ^= t;
	a ^= t << s;
}

// Transpose, inside every byte position m, the 8x8 bit matrix whose row j is
// byte m of x[j]: afterwards bit j of byte m of x[i] is the old bit i of
// byte m of x[j].  The transform is its own inverse.
inline void transpose8(uint64_t x[8])
{
	const uint64_t m1 = 0x5555555555555555u, m2 = 0x3333333333333333u, m4 = 0x0F0F0F0F0F0F0F0Fu;
	swapmove(x[0], x[1], 1, m1);
	swapmove(x[2], x[3], 1, m1);
	swapmove(x[4], x[5], 1, m1);
	swapmove(x[6], x[7], 1, m1);
	swapmove(x[0], x[2], 2, m2);
	swapmove(x[1], x[3], 2, m2);
	swapmove(x[4], x[6], 2, m2);
	swapmove(x[5], x[7], 2, m2);
	swapmove(x[0], x[4], 4, m4);
	swapmove(x[1], x[5], 4, m4);
	swapmove(x[2], x[6], 4, m4);
	swapmove(x[3], x[7], 4, m4);
}

// Byte j of v goes to byte 2j of the result (and back).
inline uint64_t spread_bytes(uint32_t v)
{
	uint64_t x = v;
	x = (x | (x << 16)) & 0x0000FFFF0000FFFFu;
	x = (x | (x << 8)) & 0x00FF00FF00FF00FFu;
	return x;
}
inline uint32_t gather_bytes(uint64_t x)
{
	x &= 0x00FF00FF00FF00FFu;
	x = (x | (x >> 8)) & 0x0000FFFF0000FFFFu;
	x = (x | (x >> 16)) & 0x00000000FFFFFFFFu;
	return (uint32_t)x;
}

// Word x[b] gets bytes 0,8,1,9,2,10,3,11 of block b (columns 0 and 2) and
// x[4+b] bytes 4,12,5,13,...,15 (columns 1 and 3); transposing then puts
// bit i of byte (r, c) of block b at position 8*(2r + c/2) + 4*(c&1) + b
// = 16r + 4c + b of q[i] (for c = 0..3 the two forms agree).
inline void load_block(uint64_t x[8], unsigned b, const uint8_t *in)
{
	x[b] = spread_bytes(load_le32(in)) | (spread_bytes(load_le32(in + 8)) << 8);
	x[4 + b] = spread_bytes(load_le32(in + 4)) | (spread_bytes(load_le32(in + 12)) << 8);
}
inline void store_block(const uint64_t x[8], unsigned b, uint8_t *out)
{
	store_le32(out, gather_bytes(x[b]));
	store_le32(out + 8, gather_bytes(x[b] >> 8));
	store_le32(out + 4, gather_bytes(x[4 + b]));
	store_le32(out + 12, gather_bytes(x[4 + b] >> 8));
}

// ---- SubBytes (FIPS-197 §5.1.1) ----------------------------------------------

// The S-box as a Boolean circuit: J. Boyar and R. Peralta, "A new combinational
// logic minimization technique with applications to cryptology" (SEA 2010),
// 32 AND + 83 XOR/XNOR gates.  Inputs U0..U7 are bits 7..0 of the byte.
inline void sub_bytes(uint64_t q[8])
{
	uint64_t x0 = q[7], x1 = q[6], x2 = q[5], x3 = q[4];
	uint64_t x4 = q[3], x5 = q[2], x6 = q[1], x7 = q[0];

	// top linear layer
	uint64_t y14 = x3 ^ x5, y13 = x0 ^ x6, y9 = x0 ^ x3, y8 = x0 ^ x5;
	uint64_t t0 = x1 ^ x2;
	uint64_t y1 = t0 ^ x7, y4 = y1 ^ x3, y12 = y13 ^ y14, y2 = y1 ^ x0;
	uint64_t y5 = y1 ^ x6, y3 = y5 ^ y8;
	uint64_t t1 = x4 ^ y12;
	uint64_t y15 = t1 ^ x5, y20 = t1 ^ x1, y6 = y15 ^ x7, y10 = y15 ^ t0;
	uint64_t y11 = y20 ^ y9, y7 = x7 ^ y11, y17 = y10 ^ y11, y19 = y10 ^ y8;
	uint64_t y16 = t0 ^ y11, y21 = y13 ^ y16, y18 = x0 ^ y16;

	// shared non-linear middle: inversion in GF(2^8) via GF((2^4)^2)
	uint64_t t2 = y12 & y15, t3 = y3 & y6, t4 = t3 ^ t2, t5 = y4 & x7;
	uint64_t t6 = t5 ^ t2, t7 = y13 & y16, t8 = y5 & y1, t9 = t8 ^ t7;
	uint64_t t10 = y2 & y7, t11 = t10 ^ t7, t12 = y9 & y11, t13 = y14 & y17;
	uint64_t t14 = t13 ^ t12, t15 = y8 & y10, t16 = t15 ^ t12;
	uint64_t t17 = t4 ^ t14, t18 = t6 ^ t16, t19 = t9 ^ t14, t20 = t11 ^ t16;
	uint64_t t21 = t17 ^ y20, t22 = t18 ^ y19, t23 = t19 ^ y21, t24 = t20 ^ y18;
	uint64_t t25 = t21 ^ t22, t26 = t21 & t23, t27 = t24 ^ t26, t28 = t25 & t27;
	uint64_t t29 = t28 ^ t22, t30 = t23 ^ t24, t31 = t22 ^ t26, t32 = t31 & t30;
	uint64_t t33 = t32 ^ t24, t34 = t23 ^ t33, t35 = t27 ^ t33, t36 = t24 & t35;
	uint64_t t37 = t36 ^ t34, t38 = t27 ^ t36, t39 = t29 & t38, t40 = t25 ^ t39;
	uint64_t t41 = t40 ^ t37, t42 = t29 ^ t33, t43 = t29 ^ t40, t44 = t33 ^ t37;
	uint64_t t45 = t42 ^ t41;
	uint64_t z0 = t44 & y15, z1 = t37 & y6, z2 = t33 & x7, z3 = t43 & y16;
	uint64_t z4 = t40 & y1, z5 = t29 & y7, z6 = t42 & y11, z7 = t45 & y17;
	uint64_t z8 = t41 & y10, z9 = t44 & y12, z10 = t37 & y3, z11 = t33 & y4;
	uint64_t z12 = t43 & y13, z13 = t40 & y5, z14 = t29 & y2, z15 = t42 & y9;
	uint64_t z16 = t45 & y14, z17 = t41 & y8;

	// bottom linear layer (includes the affine constant 0x63)
	uint64_t t46 = z15 ^ z16, t47 = z10 ^ z11, t48 = z5 ^ z13, t49 = z9 ^ z10;
	uint64_t t50 = z2 ^ z12, t51 = z2 ^ z5, t52 = z7 ^ z8, t53 = z0 ^ z3;
	uint64_t t54 = z6 ^ z7, t55 = z16 ^ z17, t56 = z12 ^ t48, t57 = t50 ^ t53;
	uint64_t t58 = z4 ^ t46, t59 = z3 ^ t54, t60 = t46 ^ t57, t61 = z14 ^ t57;
	uint64_t t62 = t52 ^ t58, t63 = t49 ^ t58, t64 = z4 ^ t59, t65 = t61 ^ t62;
	uint64_t t66 = z1 ^ t63, t67 = t64 ^ t65;
	uint64_t s0 = t59 ^ t63, s6 = t56 ^ ~t62, s7 = t48 ^ ~t60;
	uint64_t s3 = t53 ^ t66, s4 = t51 ^ t66, s5 = t47 ^ t65;
	uint64_t s1 = t64 ^ ~s3, s2 = t55 ^ ~t67;

	q[7] = s0;
	q[6] = s1;
	q[5] = s2;
	q[4] = s3;
	q[3] = s4;
	q[2] = s5;
	q[1] = s6;
	q[0] = s7;
}

// The inverse of the S-box affine map (FIPS-197 §5.3.2): bit i of the
// result is b[i+2] ^ b[i+5] ^ b[i+7] ^ c[i] with c = 0x05 (indices mod 8).
inline void inv_affine(uint64_t q[8])
{
	uint64_t q0 = q[0], q1 = q[1], q2 = q[2], q3 = q[3];
	uint64_t q4 = q[4], q5 = q[5], q6 = q[6], q7 = q[7];
	q[0] = ~(q2 ^ q5 ^ q7);
	q[1] = q3 ^ q6 ^ q0;
	q[2] = ~(q4 ^ q7 ^ q1);
	q[3] = q5 ^ q0 ^ q2;
	q[4] = q6 ^ q1 ^ q3;
	q[5] = q7 ^ q2 ^ q4;
	q[6] = q0 ^ q3 ^ q5;
	q[7] = q1 ^ q4 ^ q6;
}

// InvSubBytes (§5.3.2).  With S(x) = A(x^-1) and A^-1 the inverse affine
// map, S^-1(y) = (A^-1(y))^-1 = A^-1(S(A^-1(y))), so the same circuit serves.
inline void inv_sub_bytes(uint64_t q[8])
{
	inv_affine(q);
	sub_bytes(q);
	inv_affine(q);
}

// ---- ShiftRows (§5.1.2), InvShiftRows (§5.3.1) ----------------------------------

// Row r (bits 16r..16r+15) becomes s'[r][c] = s[r][c + r mod 4]: rotate the
// lane right by 4r bits.
inline uint64_t shift_rows1(uint64_t x)
{
	return (x & 0x000000000000FFFFu) | ((x & 0x00000000FFF00000u) >> 4) | ((x & 0x00000000000F0000u) << 12) |
	       ((x & 0x0000FF0000000000u) >> 8) | ((x & 0x000000FF00000000u) << 8) | ((x & 0xF000000000000000u) >> 12) |
	       ((x & 0x0FFF000000000000u) << 4);
}
inline uint64_t inv_shift_rows1(uint64_t x)
{
	return (x & 0x000000000000FFFFu) | ((x & 0x000000000FFF0000u) << 4) | ((x & 0x00000000F0000000u) >> 12) |
	       ((x & 0x0000FF0000000000u) >> 8) | ((x & 0x000000FF00000000u) << 8) | ((x & 0xFFF0000000000000u) >> 4) |
	       ((x & 0x000F000000000000u) << 12);
}
inline void shift_rows(uint64_t q[8])
{
	for (unsigned i = 0; i < 8; i++)
		q[i] = shift_rows1(q[i]);
}
inline void inv_shift_rows(uint64_t q[8])
{
	for (unsigned i = 0; i < 8; i++)
		q[i] = inv_shift_rows1(q[i]);
}

// ---- MixColumns (§5.1.3), InvMixColumns (§5.3.3) ----------------------------------

inline uint64_t rotr64(uint64_t x, unsigned n) { return (x >> n) | (x << (64 - n)); }

// s'[r] = 2 s[r] ^ 3 s[r+1] ^ s[r+2] ^ s[r+3]
//       = 2 t[r] ^ s[r+1] ^ t[r+2]      with t[r] = s[r] ^ s[r+1].
// Rotating a word right by 16 brings row r+1 to row r.  Multiplication by 2
// (xtime, §4.2.1) on bit planes: out[i] = in[i-1], plus in[7] for i = 0, 1,
// 3, 4 (the reduction polynomial x^8 + x^4 + x^3 + x + 1).
inline void mix_columns(uint64_t q[8])
{
	uint64_t r1[8], t[8];
	for (unsigned i = 0; i < 8; i++) {
		r1[i] = rotr64(q[i], 16);
		t[i] = q[i] ^ r1[i];
	}
	q[0] = t[7] ^ r1[0] ^ rotr64(t[0], 32);
	q[1] = t[0] ^ t[7] ^ r1[1] ^ rotr64(t[1], 32);
	q[2] = t[1] ^ r1[2] ^ rotr64(t[2], 32);
	q[3] = t[2] ^ t[7] ^ r1[3] ^ rotr64(t[3], 32);
	q[4] = t[3] ^ t[7] ^ r1[4] ^ rotr64(t[4], 32);
	q[5] = t[4] ^ r1[5] ^ rotr64(t[5], 32);
	q[6] = t[5] ^ r1[6] ^ rotr64(t[6], 32);
	q[7] = t[6] ^ r1[7] ^ rotr64(t[7], 32);
}

// The InvMixColumns polynomial {0b}x^3+{0d}x^2+{09}x+{0e} equals the
// MixColumns polynomial times {04}x^2 + {05} (Daemen & Rijmen, "The Design
// of Rijndael", §4.1.3), so first s[r] ^= 4 (s[r] ^ s[r+2]), then MixColumns.
inline void inv_mix_columns(uint64_t q[8])
{
	uint64_t u[8];
	for (unsigned i = 0; i < 8; i++)
		u[i] = q[i] ^ rotr64(q[i], 32);
	// u * {04} on bit planes (xtime applied twice)
	q[0] ^= u[6];
	q[1] ^= u[7] ^ u[6];
	q[2] ^= u[0] ^ u[7];
	q[3] ^= u[1] ^ u[6];
	q[4] ^= u[2] ^ u[7] ^ u[6];
	q[5] ^= u[3] ^ u[7];
	q[6] ^= u[4];
	q[7] ^= u[5];
	mix_columns(q);
}

// ---- AddRoundKey (§5.1.4) ----------------------------------------------------------

constexpr uint64_t kLane0 = 0x1111111111111111u; // bit b = 0 of every 4-bit group

inline void add_round_key(uint64_t q[8], const uint64_t rk[2])
{
	for (unsigned i = 0; i < 8; i++) {
		// Replicate bit 0 of each 4-bit group into the group: 0 or 1 times 15,
		// no carries between groups.
		uint64_t v = ((rk[i >> 2] >> (i & 3)) & kLane0) * 15u;
		q[i] ^= v;
	}
}

// ---- cipher ---------------------------------------------------------------------------

void encrypt_sliced(const aes_ct_schedule *ks, uint64_t q[8])
{
	unsigned nr = ks->nrounds;
	add_round_key(q, ks->rk[0]);
	for (unsigned r = 1; r < nr; r++) {
		sub_bytes(q);
		shift_rows(q);
		mix_columns(q);
		add_round_key(q, ks->rk[r]);
	}
	sub_bytes(q);
	shift_rows(q);
	add_round_key(q, ks->rk[nr]);
}

// The straightforward inverse cipher of FIPS-197 §5.3 (same round keys).
void decrypt_sliced(const aes_ct_schedule *ks, uint64_t q[8])
{
	unsigned nr = ks->nrounds;
	add_round_key(q, ks->rk[nr]);
	for (unsigned r = nr - 1; r > 0; r--) {
		inv_shift_rows(q);
		inv_sub_bytes(q);
		add_round_key(q, ks->rk[r]);
		inv_mix_columns(q);
	}
	inv_shift_rows(q);
	inv_sub_bytes(q);
	add_round_key(q, ks->rk[0]);
}

// Load n (1..4) blocks from in into bitsliced form; absent lanes are zero.
inline void slice_in(uint64_t q[8], const uint8_t *in, unsigned n)
{
	for (unsigned i = 0; i < 8; i++)
		q[i] = 0;
	for (unsigned b = 0; b < n; b++)
		load_block(q, b, in + kBlock * b);
	transpose8(q);
}
inline void slice_out(uint64_t q[8], uint8_t *out, unsigned n)
{
	transpose8(q);
	for (unsigned b = 0; b < n; b++)
		store_block(q, b, out + kBlock * b);
}

// ---- key expansion (§5.2) ------------------------------------------------------------

// SubWord through the same circuit: the word's four bytes are bytes 0..3 of
// x[0] (the other lanes are zero and ignored).
uint32_t sub_word(uint32_t w)
{
	uint64_t x[8] = {w, 0, 0, 0, 0, 0, 0, 0}; // secret: wiped below
	transpose8(x);
	sub_bytes(x);
	transpose8(x);
	uint32_t r = (uint32_t)x[0];
	KGSS_WIPE(x);
	return r;
}

int init_common(aes_ct_schedule *ks, const uint8_t *key, size_t key_len, size_t want)
{
	if (key == nullptr || key_len != want) {
		wipe(ks, sizeof(*ks));
		return -1;
	}
	// Rcon[i] = x^(i-1) in GF(2^8), §5.2.
	static const uint8_t rcon[10] = {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1b, 0x36};
	const unsigned nk = (unsigned)(key_len / 4), nr = nk + 6;
	const unsigned nwords = 4 * (nr + 1);
	uint32_t w[60]; // secret: expanded key words (little-endian bytes), wiped at end
	for (unsigned i = 0; i < nk; i++)
		w[i] = load_le32(key + 4 * i);
	for (unsigned i = nk; i < nwords; i++) {
		uint32_t t = w[i - 1]; // secret
		if (i % nk == 0) {
			// RotWord moves byte 0 to the end: a right rotation of the
			// little-endian word.  Rcon goes into byte 0.
			t = sub_word((t >> 8) | (t << 24)) ^ rcon[i / nk - 1];
		} else if (nk > 6 && i % nk == 4) {
			t = sub_word(t);
		}
		w[i] = w[i - nk] ^ t;
	}
	ks->nrounds = nr;
	for (unsigned r = 0; r <= nr; r++) {
		uint64_t x[8] = {0, 0, 0, 0, 0, 0, 0, 0}; // secret: wiped at end
		x[0] = spread_bytes(w[4 * r]) | (spread_bytes(w[4 * r + 2]) << 8);
		x[4] = spread_bytes(w[4 * r + 1]) | (spread_bytes(w[4 * r + 3]) << 8);
		transpose8(x);
		uint64_t c0 = 0, c1 = 0;
		for (unsigned i = 0; i < 4; i++) {
			c0 |= (x[i] & kLane0) << i;
			c1 |= (x[4 + i] & kLane0) << i;
		}
		ks->rk[r][0] = c0;
		ks->rk[r][1] = c1;
		KGSS_WIPE(x);
	}
	for (unsigned r = nr + 1; r < 15; r++)
		ks->rk[r][0] = ks->rk[r][1] = 0;
	KGSS_WIPE(w);
	return 0;
}

// ---- class operations ---------------------------------------------------------------

int aes128_ct_init(void *ks, const uint8_t *key, size_t key_len)
{
	return init_common(static_cast<aes_ct_schedule *>(ks), key, key_len, 16);
}
int aes256_ct_init(void *ks, const uint8_t *key, size_t key_len)
{
	return init_common(static_cast<aes_ct_schedule *>(ks), key, key_len, 32);
}
void aes_ct_clear(void *ks) { wipe(ks, sizeof(aes_ct_schedule)); }

// The schedule, or NULL when no init() succeeded on it (cleared, failed or
// never set: nrounds 0).  Every operation refuses such a schedule instead
// of running rounds over keys that are not there.
inline const aes_ct_schedule *live(const void *ksv)
{
	const aes_ct_schedule *ks = static_cast<const aes_ct_schedule *>(ksv);
	return ks->nrounds == 10 || ks->nrounds == 14 ? ks : nullptr;
}

// ECB over kLanes blocks at a time through the bitsliced Sliced
// (encrypt_sliced or decrypt_sliced).
template <void (*Sliced)(const aes_ct_schedule *, uint64_t *)>
int ecb_sliced(const void *ksv, uint8_t *data, size_t nblocks)
{
	const aes_ct_schedule *ks = live(ksv);
	if (ks == nullptr)
		return -1;
	uint64_t q[8]; // secret: cipher state, wiped at end
	while (nblocks > 0) {
		unsigned n = nblocks < kLanes ? (unsigned)nblocks : kLanes;
		slice_in(q, data, n);
		Sliced(ks, q);
		slice_out(q, data, n);
		data += kBlock * n;
		nblocks -= n;
	}
	KGSS_WIPE(q);
	return 0;
}

int aes_ct_ecb_encrypt(const void *ksv, uint8_t *data, size_t nblocks)
{
	return ecb_sliced<encrypt_sliced>(ksv, data, nblocks);
}

int aes_ct_ecb_decrypt(const void *ksv, uint8_t *data, size_t nblocks)
{
	return ecb_sliced<decrypt_sliced>(ksv, data, nblocks);
}

// CBC encryption is serial (§6.2 of NIST SP 800-38A): one block per pass.
int aes_ct_cbc_encrypt(const void *ksv, uint8_t *iv, uint8_t *data, size_t nblocks)
{
	const aes_ct_schedule *ks = live(ksv);
	if (ks == nullptr)
		return -1;
	uint64_t q[8];       // secret: cipher state, wiped at end
	uint8_t blk[kBlock]; // secret: plaintext ^ chaining value, wiped at end
	for (size_t j = 0; j < nblocks; j++, data += kBlock) {
		for (unsigned k = 0; k < kBlock; k++)
			blk[k] = (uint8_t)(data[k] ^ iv[k]);
		slice_in(q, blk, 1);
		encrypt_sliced(ks, q);
		slice_out(q, data, 1);
		memcpy(iv, data, kBlock);
	}
	KGSS_WIPE(q);
	KGSS_WIPE(blk);
	return 0;
}

int aes_ct_cbc_mac(const void *ksv, uint8_t *iv, const uint8_t *data, size_t nblocks)
{
	const aes_ct_schedule *ks = live(ksv);
	if (ks == nullptr)
		return -1;
	uint64_t q[8];       // secret: cipher state, wiped at end
	uint8_t blk[kBlock]; // secret: data ^ chaining value, wiped at end
	for (size_t j = 0; j < nblocks; j++, data += kBlock) {
		for (unsigned k = 0; k < kBlock; k++)
			blk[k] = (uint8_t)(data[k] ^ iv[k]);
		slice_in(q, blk, 1);
		encrypt_sliced(ks, q);
		slice_out(q, iv, 1);
	}
	KGSS_WIPE(q);
	KGSS_WIPE(blk);
	return 0;
}

// CBC decryption is parallel: four blocks per pass.
int aes_ct_cbc_decrypt(const void *ksv, uint8_t *iv, uint8_t *data, size_t nblocks)
{
	const aes_ct_schedule *ks = live(ksv);
	if (ks == nullptr)
		return -1;
	uint64_t q[8];                       // secret: cipher state, wiped at end
	uint8_t prev[kBlock * (kLanes + 1)]; // chaining value + this pass's ciphertext (public)
	memcpy(prev, iv, kBlock);
	while (nblocks > 0) {
		unsigned n = nblocks < kLanes ? (unsigned)nblocks : kLanes;
		memcpy(prev + kBlock, data, kBlock * n);
		slice_in(q, data, n);
		decrypt_sliced(ks, q);
		slice_out(q, data, n);
		for (unsigned k = 0; k < kBlock * n; k++)
			data[k] ^= prev[k];
		memcpy(prev, prev + kBlock * n, kBlock);
		data += kBlock * n;
		nblocks -= n;
	}
	memcpy(iv, prev, kBlock);
	KGSS_WIPE(q);
	return 0;
}

} // namespace

// The class of one key size: the family's functions, the key size's init.
constexpr kgss_block_cipher_class aes_ct_class(size_t key_len, const char *name,
					       int (*init)(void *, const uint8_t *, size_t))
{
	return kgss_block_cipher_class{
		.context_size = sizeof(aes_ct_schedule),
		.block_size = 16,
		.key_size = key_len,
		.name = name,
		.init = init,
		.clear = aes_ct_clear,
		.ecb_encrypt = aes_ct_ecb_encrypt,
		.ecb_decrypt = aes_ct_ecb_decrypt,
		.cbc_encrypt = aes_ct_cbc_encrypt,
		.cbc_decrypt = aes_ct_cbc_decrypt,
		.cbc_mac = aes_ct_cbc_mac,
	};
}
} // namespace kgss

extern "C" constinit const kgss_block_cipher_class kgss_builtin_aes128_ct =
	kgss::aes_ct_class(16, "aes128-ct", kgss::aes128_ct_init);

extern "C" constinit const kgss_block_cipher_class kgss_builtin_aes256_ct =
	kgss::aes_ct_class(32, "aes256-ct", kgss::aes256_ct_init);

#endif // KGSS_WITH_AES_SHA1 || KGSS_WITH_AES_SHA2
