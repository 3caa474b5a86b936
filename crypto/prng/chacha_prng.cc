// crypto/prng/chacha_prng.cc - the builtin generator of kgss_prng.h:
// ChaCha20 (RFC 8439 section 2.3 block function) keyed by a 32-byte caller
// seed, used as a counter-mode keystream with a zero nonce and a 64-bit block
// counter.  Each generate() call reserves its own fresh range of blocks with
// one atomic operation on st->counter, so concurrent callers on one state
// never share a block and never wait for each other.
//
// Reservation uses a compare-and-swap loop (lock-free; inline 'lock cmpxchg'
// on x86-64) rather than a bare fetch-and-add: the counter is advanced only
// when the whole range fits below st->limit, so a failing call leaves it
// untouched and the counter can never overrun the limit or wrap around to
// blocks already handed out, whatever lengths callers pass.
#include "crypto/prng/chacha.h"
#include "crypto/util.h"
#include "kgss_prng.h"

namespace kgss {

namespace {

// RFC 8439 section 2.3: "expand 32-byte k" as four little-endian words.
const uint32_t SIGMA[4] = {0x61707865u, 0x3320646eu, 0x79622d32u, 0x6b206574u};

// Reseed after 2^60 blocks (2^66 bytes).
constexpr uint64_t PRNG_LIMIT = UINT64_C(1) << 60;

inline uint32_t rotl(uint32_t x, unsigned n) { return (x << n) | (x >> (32 - n)); }

// RFC 8439 section 2.1: the quarter round on four words of the state.
inline void quarter(uint32_t *x, int a, int b, int c, int d)
{
	x[a] += x[b];
	x[d] ^= x[a];
	x[d] = rotl(x[d], 16);
	x[c] += x[d];
	x[b] ^= x[c];
	x[b] = rotl(x[b], 12);
	x[a] += x[b];
	x[d] ^= x[a];
	x[d] = rotl(x[d], 8);
	x[c] += x[d];
	x[b] ^= x[c];
	x[b] = rotl(x[b], 7);
}

} // namespace

void chacha20_core(const uint32_t in[16], uint8_t out[64])
{
	uint32_t x[16]; // secret: working state (key-derived)
	memcpy(x, in, sizeof x);
	for (int i = 0; i < 10; i++) {
		// RFC 8439 section 2.3: a column round, then a diagonal round.
		quarter(x, 0, 4, 8, 12);
		quarter(x, 1, 5, 9, 13);
		quarter(x, 2, 6, 10, 14);
		quarter(x, 3, 7, 11, 15);
		quarter(x, 0, 5, 10, 15);
		quarter(x, 1, 6, 11, 12);
		quarter(x, 2, 7, 8, 13);
		quarter(x, 3, 4, 9, 14);
	}
	for (int i = 0; i < 16; i++)
		store_le32(out + 4 * i, x[i] + in[i]);
	KGSS_WIPE(x);
}

void chacha20_block(const uint32_t key[8], uint64_t counter, uint8_t out[64])
{
	uint32_t in[16]; // secret: holds the key
	memcpy(in, SIGMA, 16);
	memcpy(in + 4, key, 32);
	in[12] = (uint32_t)counter;
	in[13] = (uint32_t)(counter >> 32);
	in[14] = 0;
	in[15] = 0;
	chacha20_core(in, out);
	KGSS_WIPE(in);
}

void chacha20_block_ietf(const uint32_t key[8], uint32_t counter, const uint8_t nonce[12], uint8_t out[64])
{
	uint32_t in[16]; // secret: holds the key
	memcpy(in, SIGMA, 16);
	memcpy(in + 4, key, 32);
	in[12] = counter;
	in[13] = load_le32(nonce);
	in[14] = load_le32(nonce + 4);
	in[15] = load_le32(nonce + 8);
	chacha20_core(in, out);
	KGSS_WIPE(in);
}

} // namespace kgss

extern "C" {

// kgss_prng.generate for kgss_chacha_prng: out[0..len) = keystream blocks
// [c, c + ceil(len/64)) truncated to len, where the range was reserved
// atomically.  Fails (nonzero, out untouched) when the range would pass
// st->limit; the caller must then reseed with kgss_chacha_prng_init.
static int chacha_prng_generate(void *ctx, uint8_t *out, size_t len)
{
	kgss_chacha_prng *st = static_cast<kgss_chacha_prng *>(ctx);
	if (st == nullptr || (out == nullptr && len != 0))
		return -1;
	if (len == 0)
		return 0;
	const uint64_t n = (uint64_t)(len / 64) + ((len % 64) != 0);
	const uint64_t limit = st->limit; // written only by init/wipe
	uint64_t c = __atomic_load_n(&st->counter, __ATOMIC_RELAXED);
	do {
		if (c > limit || n > limit - c)
			return -1;
	} while (!__atomic_compare_exchange_n(&st->counter, &c, c + n, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	// Blocks c .. c+n-1 now belong to this call alone.
	for (; len >= 64; len -= 64, out += 64)
		kgss::chacha20_block(st->key, c++, out);
	if (len != 0) {
		uint8_t tmp[64]; // secret: keystream block, partly returned
		kgss::chacha20_block(st->key, c, tmp);
		memcpy(out, tmp, len);
		KGSS_WIPE(tmp);
	}
	return 0;
}

int kgss_chacha_prng_init(kgss_chacha_prng *st, const uint8_t seed[32], kgss_prng *out)
{
	if (st == nullptr || seed == nullptr || out == nullptr)
		return -1;
	// An all-zero seed almost surely means the entropy source was not read.
	if (kgss::ct_all_equal(seed, 0, 32)) {
		kgss::wipe(st, sizeof *st);
		return -1;
	}
	for (int i = 0; i < 8; i++)
		st->key[i] = kgss::load_le32(seed + 4 * i); // RFC 8439 section 2.3: key as LE words
	__atomic_store_n(&st->counter, 0, __ATOMIC_RELAXED);
	st->limit = kgss::PRNG_LIMIT;
	out->generate = chacha_prng_generate;
	out->ctx = st;
	return 0;
}

void kgss_chacha_prng_wipe(kgss_chacha_prng *st)
{
	if (st == nullptr)
		return;
	// limit = 0 makes any later generate() on this state fail.
	kgss::wipe(st, sizeof *st);
}

} // extern "C"
