// crypto/builtin/des.cc - DES-EDE3 (Triple DES, three independent keys):
// FIPS 46-3 DES as the component, composed per NIST SP 800-67 Rev. 2
// section 3.1 (encrypt = E_K3(D_K2(E_K1(P))), decrypt the reverse).
//
// Table-based, NOT constant-time: the S-box/permutation lookups below are
// indexed by key- and data-dependent values, so cache timing can leak.  DES3
// exists in libkgss only for des3-cbc-sha1 / RFC 1964 sign_alg 4 interop.
//
// All tables are computed at compile time (constexpr) from the FIPS 46-3
// definitions written out below (IP, E via rotations, S1..S8, P, PC-1, PC-2,
// the left-shift schedule): the combined S-box+P tables ("SP"), and nibble-
// indexed tables for IP and IP^-1.  Nothing is computed at run time and no
// static constructor exists.
//
// Bit numbering follows FIPS 46-3: bit 1 is the most significant bit of the
// first byte.  A 64-bit block is a big-endian uint64_t, so bit k sits at
// position 64-k; a 32-bit half holds bit k at 32-k.
#include "crypto/builtin/builtin.h"
#include "crypto/util.h"

#if KGSS_WITH_DES3

namespace {

// ---- FIPS 46-3 tables --------------------------------------------------------
// Initial permutation IP: output bit j is input bit IP[j-1].
constexpr uint8_t IP[64] = {
	58, 50, 42, 34, 26, 18, 10, 2,  60, 52, 44, 36, 28, 20, 12, 4,  62, 54, 46, 38, 30, 22,
	14, 6,  64, 56, 48, 40, 32, 24, 16, 8,  57, 49, 41, 33, 25, 17, 9,  1,  59, 51, 43, 35,
	27, 19, 11, 3,  61, 53, 45, 37, 29, 21, 13, 5,  63, 55, 47, 39, 31, 23, 15, 7,
};

// Permutation P of the cipher function f.
constexpr uint8_t P[32] = {
	16, 7, 20, 21, 29, 12, 28, 17, 1,  15, 23, 26, 5,  18, 31, 10,
	2,  8, 24, 14, 32, 27, 3,  9,  19, 13, 30, 6,  22, 11, 4,  25,
};

// Selection functions S1..S8: [box][row][column].
constexpr uint8_t SBOX[8][4][16] = {
	{{14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7},
	 {0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8},
	 {4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0},
	 {15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13}},
	{{15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10},
	 {3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5},
	 {0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15},
	 {13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9}},
	{{10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8},
	 {13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1},
	 {13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7},
	 {1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12}},
	{{7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15},
	 {13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9},
	 {10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4},
	 {3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14}},
	{{2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9},
	 {14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6},
	 {4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14},
	 {11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3}},
	{{12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11},
	 {10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8},
	 {9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6},
	 {4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13}},
	{{4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1},
	 {13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6},
	 {1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2},
	 {6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12}},
	{{13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7},
	 {1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2},
	 {7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8},
	 {2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11}},
};

// Permuted choice 1 (key bits 1..64 -> C0 = first 28, D0 = last 28) and
// permuted choice 2 (CD bits 1..56 -> subkey bits 1..48).
const uint8_t PC1[56] = {
	57, 49, 41, 33, 25, 17, 9,  1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
	63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
};
const uint8_t PC2[48] = {
	14, 17, 11, 24, 1,  5,  3,  28, 15, 6,  21, 10, 23, 19, 12, 4,  26, 8,  16, 7,  27, 20, 13, 2,
	41, 52, 31, 37, 47, 55, 30, 40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
};
// Left shifts of C and D before each of the 16 iterations.
const uint8_t SHIFTS[16] = {1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1};

// ---- compile-time derived tables ----------------------------------------------
struct des_tables {
	// sp[i][v]: P applied to S_{i+1}(v) placed at bits 4i+1..4i+4 of the
	// 32-bit S output; v is the 6-bit S-box input (b1 = MSB).
	uint32_t sp[8][64] = {};
	// ip[n][v]: IP applied to a block whose only nonzero nibble is nibble n
	// (bits 4n+1..4n+4) with value v; fp likewise for IP^-1.
	uint64_t ip[16][16] = {};
	uint64_t fp[16][16] = {};
	bool sboxes_ok = true; // every S-box row is a permutation of 0..15
};

constexpr des_tables make_tables()
{
	des_tables t;
	for (int i = 0; i < 8; i++) {
		for (int row = 0; row < 4; row++) {
			unsigned seen = 0;
			for (int col = 0; col < 16; col++)
				seen |= 1u << SBOX[i][row][col];
			if (seen != 0xffffu)
				t.sboxes_ok = false;
		}
		for (int v = 0; v < 64; v++) {
			int row = ((v >> 4) & 2) | (v & 1), col = (v >> 1) & 15;
			unsigned s = SBOX[i][row][col];
			uint32_t out = 0;
			for (int j = 1; j <= 32; j++) {
				int src = P[j - 1]; // pre-P bit feeding output bit j
				if (src > 4 * i && src <= 4 * i + 4 && ((s >> (3 - (src - 4 * i - 1))) & 1))
					out |= UINT32_C(1) << (32 - j);
			}
			t.sp[i][v] = out;
		}
	}
	uint8_t inv[64] = {}; // IP^-1 as a table of the same form as IP
	for (int j = 1; j <= 64; j++)
		inv[IP[j - 1] - 1] = (uint8_t)j;
	for (int n = 0; n < 16; n++) {
		for (int v = 0; v < 16; v++) {
			uint64_t a = 0, b = 0;
			for (int j = 1; j <= 64; j++) {
				int s1 = IP[j - 1], s2 = inv[j - 1];
				if (s1 > 4 * n && s1 <= 4 * n + 4 && ((v >> (3 - (s1 - 4 * n - 1))) & 1))
					a |= UINT64_C(1) << (64 - j);
				if (s2 > 4 * n && s2 <= 4 * n + 4 && ((v >> (3 - (s2 - 4 * n - 1))) & 1))
					b |= UINT64_C(1) << (64 - j);
			}
			t.ip[n][v] = a;
			t.fp[n][v] = b;
		}
	}
	return t;
}

constexpr des_tables TAB = make_tables();
static_assert(TAB.sboxes_ok, "an S-box row is not a permutation: table typo");

// ---- DES core -------------------------------------------------------------------
constexpr uint32_t DES3_LIVE = 0x6b676433u; // "kgd3"

struct des3_ks {
	uint8_t k[3][16][8]; // secret: per key, per round, the eight 6-bit subkey chunks
	uint32_t magic;      // DES3_LIVE after a successful init
};
static_assert(sizeof(des3_ks) <= KGSS_CIPHER_STATE_MAX, "DES3 schedule exceeds KGSS_CIPHER_STATE_MAX");
static_assert(alignof(des3_ks) <= KGSS_STATE_ALIGN, "DES3 schedule over-aligned");

inline uint64_t permute(const uint64_t (*tab)[16], uint64_t x)
{
	uint64_t r = 0;
	for (int n = 0; n < 16; n++)
		r |= tab[n][(x >> (60 - 4 * n)) & 15];
	return r;
}

// FIPS 46-3 "Key Schedule Calculation": 16 subkeys of 48 bits, each stored as
// eight 6-bit chunks (chunk i feeds S-box i+1).
void des_key_schedule(uint8_t ks[16][8], const uint8_t key[8])
{
	const uint64_t k = kgss::load_be64(key); // secret
	uint32_t c = 0, d = 0;                   // secret: the 28-bit halves C and D
	for (int j = 0; j < 28; j++) {
		c = (c << 1) | (uint32_t)((k >> (64 - PC1[j])) & 1);
		d = (d << 1) | (uint32_t)((k >> (64 - PC1[28 + j])) & 1);
	}
	for (int r = 0; r < 16; r++) {
		for (int s = 0; s < SHIFTS[r]; s++) {
			c = ((c << 1) | (c >> 27)) & 0x0fffffffu;
			d = ((d << 1) | (d >> 27)) & 0x0fffffffu;
		}
		const uint64_t cd = ((uint64_t)c << 28) | d; // secret: CD bits 1..56
		for (int i = 0; i < 8; i++) {
			uint8_t chunk = 0;
			for (int b = 0; b < 6; b++)
				chunk = (uint8_t)((chunk << 1) | ((cd >> (56 - PC2[6 * i + b])) & 1));
			ks[r][i] = chunk;
		}
	}
	c = d = 0;
	__asm__ __volatile__("" : : "r"(c), "r"(d) : "memory");
}

// The cipher function f(R, K): E expansion (the 6-bit chunks of R taken with
// one bit of overlap each side, FIPS 46-3 E table), XOR subkey, S-boxes, P.
inline uint32_t des_f(uint32_t r, const uint8_t k[8])
{
	// y has R's bit 32 at position 31, bit 1 at 30, ... so chunk i (E bits
	// 4i..4i+5, 1-based, bit 0 meaning 32) is bits 31-4i..26-4i of y.
	const uint32_t y = (r >> 1) | (r << 31);
	return TAB.sp[0][((y >> 26) & 63) ^ k[0]] | TAB.sp[1][((y >> 22) & 63) ^ k[1]] |
	       TAB.sp[2][((y >> 18) & 63) ^ k[2]] | TAB.sp[3][((y >> 14) & 63) ^ k[3]] |
	       TAB.sp[4][((y >> 10) & 63) ^ k[4]] | TAB.sp[5][((y >> 6) & 63) ^ k[5]] |
	       TAB.sp[6][((y >> 2) & 63) ^ k[6]] | TAB.sp[7][(((y << 2) | (y >> 30)) & 63) ^ k[7]];
}

// 16 rounds on (l, r), subkeys in forward (encrypt) or reverse (decrypt)
// order, then the final swap: on return (l, r) = (R16, L16), the preoutput.
// The next DES of an EDE chain would apply IP(IP^-1(.)), so it continues
// from (l, r) directly.
inline void des_rounds(uint32_t &l, uint32_t &r, const uint8_t ks[16][8], bool decrypt)
{
	for (int i = 0; i < 16; i++) {
		const uint32_t t = l ^ des_f(r, ks[decrypt ? 15 - i : i]);
		l = r;
		r = t;
	}
	const uint32_t t = l;
	l = r;
	r = t;
}

inline uint64_t des3_encrypt_block(const des3_ks *ks, uint64_t x)
{
	x = permute(TAB.ip, x);
	uint32_t l = (uint32_t)(x >> 32), r = (uint32_t)x; // secret (plaintext-derived)
	des_rounds(l, r, ks->k[0], false);
	des_rounds(l, r, ks->k[1], true);
	des_rounds(l, r, ks->k[2], false);
	return permute(TAB.fp, ((uint64_t)l << 32) | r);
}

inline uint64_t des3_decrypt_block(const des3_ks *ks, uint64_t x)
{
	x = permute(TAB.ip, x);
	uint32_t l = (uint32_t)(x >> 32), r = (uint32_t)x; // secret
	des_rounds(l, r, ks->k[2], true);
	des_rounds(l, r, ks->k[1], false);
	des_rounds(l, r, ks->k[0], true);
	return permute(TAB.fp, ((uint64_t)l << 32) | r);
}

// ---- class functions ------------------------------------------------------------
int des3_init(void *vks, const uint8_t *key, size_t key_len)
{
	des3_ks *ks = static_cast<des3_ks *>(vks);
	kgss::wipe(ks, sizeof *ks);
	if (key == nullptr || key_len != 24)
		return -1;
	for (int i = 0; i < 3; i++)
		des_key_schedule(ks->k[i], key + 8 * i); // parity bits are not selected by PC-1
	ks->magic = DES3_LIVE;
	return 0;
}

void des3_clear(void *ks) { kgss::wipe(ks, sizeof(des3_ks)); }

inline const des3_ks *live(const void *vks)
{
	const des3_ks *ks = static_cast<const des3_ks *>(vks);
	return ks->magic == DES3_LIVE ? ks : nullptr;
}

int des3_ecb_encrypt(const void *vks, uint8_t *data, size_t nblocks)
{
	const des3_ks *ks = live(vks);
	if (ks == nullptr)
		return -1;
	for (size_t i = 0; i < nblocks; i++, data += 8)
		kgss::store_be64(data, des3_encrypt_block(ks, kgss::load_be64(data)));
	return 0;
}

int des3_ecb_decrypt(const void *vks, uint8_t *data, size_t nblocks)
{
	const des3_ks *ks = live(vks);
	if (ks == nullptr)
		return -1;
	for (size_t i = 0; i < nblocks; i++, data += 8)
		kgss::store_be64(data, des3_decrypt_block(ks, kgss::load_be64(data)));
	return 0;
}

// CBC (NIST SP 800-38A section 6.2).
int des3_cbc_encrypt(const void *vks, uint8_t *iv, uint8_t *data, size_t nblocks)
{
	const des3_ks *ks = live(vks);
	if (ks == nullptr)
		return -1;
	uint64_t c = kgss::load_be64(iv);
	for (size_t i = 0; i < nblocks; i++, data += 8) {
		c = des3_encrypt_block(ks, c ^ kgss::load_be64(data));
		kgss::store_be64(data, c);
	}
	kgss::store_be64(iv, c);
	return 0;
}

int des3_cbc_decrypt(const void *vks, uint8_t *iv, uint8_t *data, size_t nblocks)
{
	const des3_ks *ks = live(vks);
	if (ks == nullptr)
		return -1;
	uint64_t prev = kgss::load_be64(iv);
	for (size_t i = 0; i < nblocks; i++, data += 8) {
		const uint64_t c = kgss::load_be64(data);
		kgss::store_be64(data, des3_decrypt_block(ks, c) ^ prev);
		prev = c;
	}
	kgss::store_be64(iv, prev);
	return 0;
}

int des3_cbc_mac(const void *vks, uint8_t *iv, const uint8_t *data, size_t nblocks)
{
	const des3_ks *ks = live(vks);
	if (ks == nullptr)
		return -1;
	uint64_t c = kgss::load_be64(iv); // secret when used as a MAC
	for (size_t i = 0; i < nblocks; i++, data += 8)
		c = des3_encrypt_block(ks, c ^ kgss::load_be64(data));
	kgss::store_be64(iv, c);
	return 0;
}

} // namespace

extern "C" const kgss_block_cipher_class kgss_builtin_des3 = {
	sizeof(des3_ks),
	8,
	24,
	"des-ede3",
	des3_init,
	des3_clear,
	des3_ecb_encrypt,
	des3_ecb_decrypt,
	des3_cbc_encrypt,
	des3_cbc_decrypt,
	des3_cbc_mac,
};

#endif // KGSS_WITH_DES3
