// crypto/openssl/hash.cc - MD5, SHA-1, SHA-256 and SHA-384 hash classes on
// OpenSSL 3 EVP digests.
//
// The state the library owns (hash_st) points at an EVP_MD_CTX.  OpenSSL 3.0
// allocates a provider context at every EVP_DigestInit_ex2 and every
// EVP_MD_CTX_copy_ex, which the EVP API gives no way around; what this file
// avoids is the second allocation per message: the EVP_MD_CTX shells come
// from a small per-thread free list.  A shell goes back to the list only after
// EVP_MD_CTX_reset(), which frees the provider context with OPENSSL_clear_free
// (so no hash state, e.g. an HMAC key pad, survives in the list) and zeroes the
// shell.  The list is freed at thread exit.
//
// copy() only reads the source (EVP_MD_CTX_copy_ex duplicates the provider
// context into a fresh shell; the shared EVP_MD's reference count is atomic),
// so many threads may copy one precomputed HMAC state at once.
#include "crypto/openssl/ossl.h"
#include "crypto/util.h"

namespace kgss {
namespace ossl {

namespace {

constexpr uint32_t HS_MAGIC = 0x6f736873u; // "oshs": live hash state

struct alignas(16) hash_st {
	EVP_MD_CTX *ctx; // running computation: its provider state is secret (HMAC pads); NULL when dead
	uint32_t kind;   // hash_kind
	uint32_t magic;  // HS_MAGIC while live
	int failed;      // latched update() failure, reported by final()
};
static_assert(sizeof(hash_st) <= KGSS_HASH_STATE_MAX, "hash state too large");
static_assert(alignof(hash_st) <= KGSS_STATE_ALIGN, "hash state over-aligned");

struct hash_info {
	size_t digest_size, block_size;
	const char *name;
};
constexpr hash_info infos[H_NHASH] = {
	{16, 64, "md5-openssl"},
	{20, 64, "sha1-openssl"},
	{32, 64, "sha256-openssl"},
	{48, 128, "sha384-openssl"},
};

// Per-thread free list of reset (zeroed, secret-free) EVP_MD_CTX shells.
// A thread's thread_local destructors run before its pthread_key destructors
// (and the main thread's before atexit handlers and static destructors),
// which may still use a context: once ~shell_pool has run, shells are
// allocated and freed one by one instead of going through the dead list.
struct shell_pool {
	static constexpr unsigned CAP = 8;
	EVP_MD_CTX *free[CAP];
	unsigned n;
	bool gone;
	~shell_pool()
	{
		while (n)
			EVP_MD_CTX_free(free[--n]);
		// Volatile: GCC deletes plain stores into an object whose lifetime
		// ends (-flifetime-dse), and this one is read again.
		*(volatile bool *)&gone = true;
	}
};
thread_local shell_pool pool{};

EVP_MD_CTX *get_shell()
{
	if (!pool.gone && pool.n)
		return pool.free[--pool.n];
	return EVP_MD_CTX_new();
}

// Wipe and recycle (or free) a context.
void put_shell(EVP_MD_CTX *c)
{
	if (!c)
		return;
	// reset: provider context freed with OPENSSL_clear_free, shell cleansed
	if (EVP_MD_CTX_reset(c) == 1 && !pool.gone && pool.n < shell_pool::CAP)
		pool.free[pool.n++] = c;
	else
		EVP_MD_CTX_free(c);
}

template <hash_kind H>
hash_st *live(void *p)
{
	hash_st *st = static_cast<hash_st *>(p);
	if (!st || st->magic != HS_MAGIC || st->kind != H || !st->ctx)
		return nullptr;
	return st;
}

// The end of init and copy: c, a shell now set up (ok) or not, becomes
// st's context or goes back to the pool.
template <hash_kind H>
int h_adopt(hash_st *st, EVP_MD_CTX *c, bool ok)
{
	if (!ok) {
		put_shell(c);
		return -1;
	}
	st->ctx = c;
	st->kind = H;
	st->magic = HS_MAGIC;
	return 0;
}

template <hash_kind H>
int h_init(void *p)
{
	hash_st *st = static_cast<hash_st *>(p);
	if (!st)
		return -1;
	memset(st, 0, sizeof(*st)); // a failed init leaves a state clear() accepts
	const EVP_MD *md = get_env().md[H];
	if (!md)
		return -1;
	EVP_MD_CTX *c = get_shell();
	if (!c)
		return -1;
	return h_adopt<H>(st, c, EVP_DigestInit_ex2(c, md, nullptr) == 1);
}

template <hash_kind H>
void h_update(void *p, const void *data, size_t len)
{
	hash_st *st = live<H>(p);
	if (!st) {
		hash_st *raw = static_cast<hash_st *>(p);
		if (raw && raw->magic == HS_MAGIC)
			raw->failed = 1;
		return;
	}
	if (st->failed || len == 0)
		return;
	if (!data || EVP_DigestUpdate(st->ctx, data, len) != 1)
		st->failed = 1;
}

template <hash_kind H>
int h_final(void *p, uint8_t *digest)
{
	hash_st *st = static_cast<hash_st *>(p);
	if (!st)
		return -1;
	int rc = -1;
	if (live<H>(p) && !st->failed && digest) {
		unsigned int n = 0;
		if (EVP_DigestFinal_ex(st->ctx, digest, &n) == 1 && n == infos[H].digest_size)
			rc = 0;
		else
			memset(digest, 0, infos[H].digest_size); // never hand out a partial digest
	}
	if (st->magic == HS_MAGIC)
		put_shell(st->ctx);
	wipe(st, sizeof(*st)); // dead afterwards
	return rc;
}

template <hash_kind H>
int h_copy(void *dp, const void *sp)
{
	hash_st *dst = static_cast<hash_st *>(dp);
	const hash_st *src = static_cast<const hash_st *>(sp);
	if (!dst || dst == src)
		return -1;
	memset(dst, 0, sizeof(*dst)); // dst is uninitialised: make it clear()-safe first
	if (!src || src->magic != HS_MAGIC || src->kind != H || !src->ctx || src->failed)
		return -1;
	EVP_MD_CTX *c = get_shell();
	if (!c)
		return -1;
	return h_adopt<H>(dst, c, EVP_MD_CTX_copy_ex(c, src->ctx) == 1);
}

template <hash_kind H>
void h_clear(void *p)
{
	hash_st *st = static_cast<hash_st *>(p);
	if (!st)
		return;
	if (st->magic == HS_MAGIC)
		put_shell(st->ctx);
	wipe(st, sizeof(*st));
}

template <hash_kind H>
constexpr kgss_hash_class make_class()
{
	return kgss_hash_class{
		sizeof(hash_st), infos[H].digest_size, infos[H].block_size, infos[H].name, h_init<H>,
		h_update<H>,     h_final<H>,           h_copy<H>,           h_clear<H>,
		nullptr, // no fused HMAC finish: EVP states are opaque (the library's generic one)
		nullptr, // no one-call HMAC either
	};
}

} // namespace

const kgss_hash_class hash_classes[H_NHASH] = {
	make_class<H_MD5>(),
	make_class<H_SHA1>(),
	make_class<H_SHA256>(),
	make_class<H_SHA384>(),
};

} // namespace ossl
} // namespace kgss
