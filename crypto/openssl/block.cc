// crypto/openssl/block.cc - AES-128/256, Camellia-128/256 and DES-EDE3 block
// cipher classes (ECB, CBC, CBC-MAC) on OpenSSL 3 EVP ciphers.
//
// Design.  The key schedule the library owns (block_ks, below) holds only the
// raw key and a process-unique 64-bit id; it is never written after init(), so
// many threads may use one schedule at once.  The OpenSSL objects live in a
// per-thread cache: for every (cipher, operation) pair a thread keeps up to
// WAYS EVP_CIPHER_CTX objects, each remembering the id of the schedule it was
// last keyed with.  A call on a schedule the thread has seen recently is one
// EVP_CipherUpdate: no allocation, no key expansion, no IV load (below).
// A miss re-keys the least recently filled context in place (no allocation
// after the first use).  An EVP_CIPHER_CTX is therefore never shared between
// threads.  The cache is freed at thread exit (thread_local destructor; freeing
// an EVP_CIPHER_CTX cleanses its key schedule).
//
// CBC without IV loads.  Loading an IV into an EVP context (EVP_CipherInit_ex2
// with only an iv) costs about 100 ns in OpenSSL 3.0, several times the cost of
// encrypting a short message.  Instead each CBC slot remembers the chaining
// value its context currently holds (slot.chain: the last ciphertext block it
// produced or consumed), and a call with caller IV v runs on the context as it
// stands, with the difference folded into the first block:
//   encrypt: C1 = E(P1 ^ v) = E((P1 ^ v ^ chain) ^ chain): XOR v ^ chain into
//            P1 before the update;
//   decrypt: P1 = D(C1) ^ v = (D(C1) ^ chain) ^ v ^ chain: XOR v ^ chain into
//            the first output block after the update.
// The remaining blocks chain inside the context as usual.
//
// Key hygiene.  clear() wipes the schedule and frees this thread's cached
// contexts keyed with it.  Contexts other threads keyed with the same schedule
// keep its expanded key until they are re-keyed for another schedule (at most
// WAYS per cipher and operation) or their thread exits: a thread cannot safely
// reach into another thread's contexts.  This is the price of lock-free,
// allocation-free concurrent use of one const schedule.
#include "crypto/openssl/ossl.h"
#include "crypto/util.h"

#include <atomic>
#include <limits.h>

namespace kgss {
namespace ossl {

namespace {

constexpr uint32_t KS_MAGIC = 0x6b73736fu; // "osks": schedule is keyed

struct alignas(16) block_ks {
	uint64_t id;     // unique per init(), never 0 while keyed: names the schedule in thread caches
	uint32_t kind;   // block_kind
	uint32_t magic;  // KS_MAGIC while keyed, 0 after clear() or a failed init()
	uint8_t key[32]; // secret: the raw key, used to key the per-thread EVP contexts
};
static_assert(sizeof(block_ks) <= KGSS_CIPHER_STATE_MAX, "block schedule too large");
static_assert(alignof(block_ks) <= KGSS_STATE_ALIGN, "block schedule over-aligned");

std::atomic<uint64_t> next_schedule_id{1};

struct kind_info {
	size_t block_size, key_size;
	const char *name;
};
constexpr kind_info kinds[K_NBLOCK] = {
	{16, 16, "aes128-openssl"},      {16, 32, "aes256-openssl"},  {16, 16, "camellia128-openssl"},
	{16, 32, "camellia256-openssl"}, {8, 24, "des-ede3-openssl"},
};

enum op : unsigned { OP_ECB_ENC, OP_ECB_DEC, OP_CBC_ENC, OP_CBC_DEC, OP_N };
constexpr unsigned WAYS = 4; // schedules remembered per (cipher, operation) per thread

struct slot {
	EVP_CIPHER_CTX *ctx; // holds an expanded key (secret) while id != 0
	uint64_t id;         // schedule the ctx is keyed with; 0 = none
	// CBC slots: the chaining value inside ctx (for cbc_mac a CBC-MAC
	// intermediate: key-derived, overwritten on reuse)
	uint8_t chain[16];
};

struct thread_cache {
	slot s[K_NBLOCK][OP_N][WAYS];
	uint8_t victim[K_NBLOCK][OP_N]; // round-robin replacement cursor
	bool gone;                      // the destructor has run (see below)
	~thread_cache()
	{
		for (auto &k : s)
			for (auto &o : k)
				for (auto &sl : o) {
					EVP_CIPHER_CTX_free(sl.ctx); // cleanses the provider's key schedule
					sl.ctx = nullptr;
					sl.id = 0;
					wipe(sl.chain, sizeof(sl.chain));
				}
		// Volatile: GCC deletes plain stores into an object whose lifetime
		// ends (-flifetime-dse), and this one is read again (below).
		*(volatile bool *)&gone = true;
	}
};
// Constant-initialised (all zero); the destructor runs at thread exit.
//
// A thread's thread_local destructors run before its pthread_key destructors
// (and the main thread's before atexit handlers and static destructors),
// which may still use a context.  After ~thread_cache, acquire() therefore
// hands out one slot set up afresh and release() frees it again after the
// operation: no freed EVP_CIPHER_CTX is reused and none is left behind.
thread_local thread_cache tcache{};

void drop(slot *sl)
{
	EVP_CIPHER_CTX_free(sl->ctx);
	sl->ctx = nullptr;
	sl->id = 0;
	wipe(sl->chain, sizeof(sl->chain));
}

// A context of this thread keyed with ks for operation o, or NULL on failure.
slot *acquire(const block_ks *ks, op o)
{
	const uint32_t k = ks->kind;
	slot *row = tcache.s[k][o];
	slot *sl;
	if (tcache.gone) {
		// Its context was freed by ~thread_cache or by the last release().
		sl = &row[0];
		sl->ctx = nullptr;
		sl->id = 0;
	} else {
		for (unsigned w = 0; w < WAYS; w++)
			if (row[w].id == ks->id)
				return &row[w];
		unsigned w = 0;
		while (w < WAYS && row[w].ctx)
			w++;
		if (w == WAYS)
			w = tcache.victim[k][o]++ % WAYS;
		sl = &row[w];
	}
	sl->id = 0;
	const int enc = (o == OP_ECB_ENC || o == OP_CBC_ENC);
	if (!sl->ctx) {
		const env &e = get_env();
		const EVP_CIPHER *c = (o == OP_ECB_ENC || o == OP_ECB_DEC) ? e.ecb[k] : e.cbc[k];
		if (!c)
			return nullptr;
		sl->ctx = EVP_CIPHER_CTX_new();
		if (!sl->ctx)
			return nullptr;
		if (!EVP_CipherInit_ex2(sl->ctx, c, nullptr, nullptr, enc, nullptr) ||
		    !EVP_CIPHER_CTX_set_padding(sl->ctx, 0)) {
			drop(sl);
			return nullptr;
		}
	}
	// Re-key in place (with a NULL cipher OpenSSL keeps the provider context)
	// and, for CBC, start from a known all-zero chaining value.
	static const uint8_t zero_iv[16] = {0};
	const bool cbc = (o == OP_CBC_ENC || o == OP_CBC_DEC);
	if (!EVP_CipherInit_ex2(sl->ctx, nullptr, ks->key, cbc ? zero_iv : nullptr, enc, nullptr)) {
		drop(sl);
		return nullptr;
	}
	memset(sl->chain, 0, sizeof(sl->chain));
	sl->id = ks->id;
	return sl;
}

// After a successful operation on sl: keep it cached, or, once this thread's
// cache is gone, free it (see tcache).
void release(slot *sl)
{
	if (tcache.gone)
		drop(sl);
}

// EVP_CipherUpdate takes int lengths: feed len bytes in whole-block chunks.
bool update_all(EVP_CIPHER_CTX *ctx, uint8_t *out, const uint8_t *in, size_t len)
{
	constexpr size_t CHUNK = (size_t)1 << 30; // multiple of every block size, < INT_MAX
	while (len) {
		size_t n = len < CHUNK ? len : CHUNK;
		int outl = 0;
		if (EVP_CipherUpdate(ctx, out, &outl, in, (int)n) != 1 || (size_t)outl != n)
			return false;
		out += n;
		in += n;
		len -= n;
	}
	return true;
}

template <block_kind K>
const block_ks *keyed(const void *p)
{
	const block_ks *ks = static_cast<const block_ks *>(p);
	if (!ks || ks->magic != KS_MAGIC || ks->kind != K || ks->id == 0)
		return nullptr;
	return ks;
}

// Byte length of nblocks blocks, or 0 with ok = false on overflow.
template <block_kind K>
size_t span(size_t nblocks, bool &ok)
{
	constexpr size_t bs = kinds[K].block_size;
	ok = nblocks <= SIZE_MAX / bs;
	return ok ? nblocks * bs : 0;
}

// The start of every call over blocks: a keyed schedule of kind K, the
// buffers (an IV where the mode has one), the length in bytes, this thread's
// context for o.  -1: refuse; 0: no blocks, nothing to do; 1: go on with
// r->len bytes and r->sl, which the call must release() or drop().
struct blk_run {
	size_t len = 0;     // bytes to process
	slot *sl = nullptr; // this thread's context
};

template <block_kind K>
int blk_begin(const void *p, bool iv_ok, const void *data, size_t nblocks, op o, blk_run *r)
{
	const block_ks *ks = keyed<K>(p);
	if (!ks || !iv_ok || (!data && nblocks))
		return -1;
	if (nblocks == 0)
		return 0;
	bool ok;
	r->len = span<K>(nblocks, ok);
	if (!ok)
		return -1;
	r->sl = acquire(ks, o);
	return r->sl ? 1 : -1;
}

// update_all over this thread's context; on failure the context is dropped
// (unknown state: start afresh next time).
bool update_or_drop(slot *sl, uint8_t *out, const uint8_t *in, size_t len)
{
	if (update_all(sl->ctx, out, in, len))
		return true;
	drop(sl);
	return false;
}

// The end of the CBC calls: `last`, the last ciphertext block, chains both
// this thread's context and the caller's iv.
template <block_kind K>
int cbc_end(slot *sl, uint8_t *iv, const uint8_t *last)
{
	memcpy(sl->chain, last, kinds[K].block_size);
	memcpy(iv, last, kinds[K].block_size);
	release(sl);
	return 0;
}

template <block_kind K>
int blk_init(void *p, const uint8_t *key, size_t key_len)
{
	block_ks *ks = static_cast<block_ks *>(p);
	if (!ks)
		return -1;
	memset(ks, 0, sizeof(*ks)); // a failed init leaves a state clear() accepts
	if (!key || key_len != kinds[K].key_size || !get_env().ecb[K])
		return -1;
	memcpy(ks->key, key, key_len);
	ks->kind = K;
	ks->id = next_schedule_id.fetch_add(1, std::memory_order_relaxed);
	ks->magic = KS_MAGIC;
	return 0;
}

template <block_kind K>
void blk_clear(void *p)
{
	block_ks *ks = static_cast<block_ks *>(p);
	if (!ks)
		return;
	// Once this thread's cache is gone it holds nothing: its destructor freed
	// every context, release() each one made since (and the destructor's
	// own stores of NULL may have been deleted: -flifetime-dse).
	if (ks->magic == KS_MAGIC && ks->kind == K && ks->id != 0 && !tcache.gone) {
		for (auto &o : tcache.s[K])
			for (auto &sl : o)
				if (sl.ctx && sl.id == ks->id)
					drop(&sl); // frees (and cleanses) this thread's copies of the key
	}
	wipe(ks, sizeof(*ks));
}

template <block_kind K, op O>
int blk_ecb(const void *p, uint8_t *data, size_t nblocks)
{
	blk_run r;
	const int go = blk_begin<K>(p, true, data, nblocks, O, &r);
	if (go <= 0)
		return go;
	if (!update_or_drop(r.sl, data, data, r.len))
		return -1;
	release(r.sl);
	return 0;
}

// x[0..n) ^= a[0..n) ^ b[0..n)
inline void xor2(uint8_t *x, const uint8_t *a, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		x[i] ^= (uint8_t)(a[i] ^ b[i]);
}

template <block_kind K>
int blk_cbc_encrypt(const void *p, uint8_t *iv, uint8_t *data, size_t nblocks)
{
	constexpr size_t bs = kinds[K].block_size;
	blk_run r;
	const int go = blk_begin<K>(p, iv != nullptr, data, nblocks, OP_CBC_ENC, &r);
	if (go <= 0)
		return go;
	xor2(data, iv, r.sl->chain, bs); // fold the caller's IV in (see the top of this file)
	if (!update_or_drop(r.sl, data, data, r.len))
		return -1;
	return cbc_end<K>(r.sl, iv, data + r.len - bs);
}

template <block_kind K>
int blk_cbc_decrypt(const void *p, uint8_t *iv, uint8_t *data, size_t nblocks)
{
	constexpr size_t bs = kinds[K].block_size;
	blk_run r;
	const int go = blk_begin<K>(p, iv != nullptr, data, nblocks, OP_CBC_DEC, &r);
	if (go <= 0)
		return go;
	uint8_t next_iv[bs]; // last ciphertext block (public), saved before in-place decryption
	memcpy(next_iv, data + r.len - bs, bs);
	if (!update_or_drop(r.sl, data, data, r.len))
		return -1;
	xor2(data, iv, r.sl->chain, bs); // the context chained from r.sl->chain; the caller asked for iv
	return cbc_end<K>(r.sl, iv, next_iv);
}

template <block_kind K>
int blk_cbc_mac(const void *p, uint8_t *iv, const uint8_t *data, size_t nblocks)
{
	constexpr size_t bs = kinds[K].block_size;
	blk_run r;
	const int go = blk_begin<K>(p, iv != nullptr, data, nblocks, OP_CBC_ENC, &r);
	if (go <= 0)
		return go;
	// secret-derived: CBC-MAC chaining values under the key (wiped below)
	alignas(16) uint8_t scratch[512];
	static_assert(sizeof(scratch) % 16 == 0 && sizeof(scratch) % 8 == 0, "whole blocks");
	size_t n = r.len < sizeof(scratch) ? r.len : sizeof(scratch);
	const size_t used = n; // bytes of scratch ever written
	// First chunk goes through scratch so the IV difference can be folded into block 1.
	memcpy(scratch, data, n);
	xor2(scratch, iv, r.sl->chain, bs);
	bool good = update_all(r.sl->ctx, scratch, scratch, n);
	data += n;
	r.len -= n;
	while (good && r.len) {
		n = r.len < sizeof(scratch) ? r.len : sizeof(scratch);
		good = update_all(r.sl->ctx, scratch, data, n);
		data += n;
		r.len -= n;
	}
	if (!good) {
		wipe(scratch, used);
		drop(r.sl);
		return -1;
	}
	cbc_end<K>(r.sl, iv, scratch + n - bs);
	wipe(scratch, used);
	return 0;
}

template <block_kind K>
constexpr kgss_block_cipher_class make_class()
{
	return kgss_block_cipher_class{
		sizeof(block_ks),   kinds[K].block_size, kinds[K].key_size,      kinds[K].name,
		blk_init<K>,        blk_clear<K>,        blk_ecb<K, OP_ECB_ENC>, blk_ecb<K, OP_ECB_DEC>,
		blk_cbc_encrypt<K>, blk_cbc_decrypt<K>,  blk_cbc_mac<K>,
	};
}

} // namespace

const kgss_block_cipher_class block_classes[K_NBLOCK] = {
	make_class<K_AES128>(), make_class<K_AES256>(), make_class<K_CAM128>(),
	make_class<K_CAM256>(), make_class<K_DES3>(),
};

} // namespace ossl
} // namespace kgss
