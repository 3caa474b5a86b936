// compat/user/prng.cc - the user-space generators of kgss_user.h (see the
// table in kgss_prng.h): kgss_prng_getrandom(), getrandom(2) per request, and
// kgss_prng_user(), the builtin ChaCha generator seeded once from getrandom,
// served through a per-thread keystream cache and re-seeded after fork().
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>

#include "kgss_user.h"

namespace {

// ---- getrandom ---------------------------------------------------------------------
// Fills out[0..len) from the kernel, retrying on EINTR and short reads.
int fill_getrandom(uint8_t *out, size_t len)
{
	size_t done = 0;
	while (done < len) {
		ssize_t r = getrandom(out + done, len - done, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			memset(out, 0, len);
			return -1;
		}
		done += (size_t)r;
	}
	return 0;
}

int getrandom_generate(void *, uint8_t *out, size_t len) { return fill_getrandom(out, len); }

const kgss_prng getrandom_prng = {getrandom_generate, nullptr};

// ---- the process-wide ChaCha generator -------------------------------------------
pthread_mutex_t chacha_lock = PTHREAD_MUTEX_INITIALIZER;
kgss_chacha_prng chacha_state; // secret key inside; lives for the process
kgss_prng chacha_raw;          // kgss_chacha_prng's own generate() on chacha_state
kgss_prng chacha_prng;         // what contexts hold: {buffered_generate, &chacha_state}
int chacha_ready;              // read with __atomic; written under chacha_lock
int atfork_registered;

// Per-thread keystream cache.  The ChaCha generator hands each call whole
// 64-byte blocks reserved with one atomic operation on the shared counter; a
// confounder needs 8 or 16 bytes.  So each thread reserves KS_BYTES at a time
// and serves small requests from them: every byte still comes from a block
// reserved by this thread alone, is handed out once, and is wiped as it
// leaves.  Per request that saves most of a ChaCha20 block and, for threads
// sharing the generator, the shared cache line of its counter.
constexpr size_t KS_BYTES = 256; // 4 blocks
constexpr size_t KS_DIRECT = 64; // larger requests go straight to the generator
struct ks_cache {
	uint8_t buf[KS_BYTES]; // secret: keystream not yet handed out (buf[pos..])
	size_t pos;            // KS_BYTES: empty
	const void *src;       // the generator state buf came from
	bool gone;             // destructor has run: serve straight from the generator
	~ks_cache();
};
thread_local ks_cache t_ks = {{0}, KS_BYTES, nullptr, false};

void ks_drop(ks_cache *c)
{
	explicit_bzero(c->buf, sizeof(c->buf));
	c->pos = KS_BYTES;
	c->src = nullptr;
}

// Thread exit runs thread_local destructors before pthread_key destructors
// (and, for the main thread at exit(), before atexit handlers and static
// destructors), which may still wrap.  So the cache is not just wiped but
// marked empty and gone: later requests on this thread bypass it instead of
// being served the wiped (all-zero) bytes.  The flag is stored through a
// volatile lvalue: GCC deletes plain stores into an object whose lifetime
// ends (-flifetime-dse), and the object is read again after that here.
ks_cache::~ks_cache()
{
	ks_drop(this);
	*(volatile bool *)&gone = true;
}

int buffered_generate(void *ctx, uint8_t *out, size_t len)
{
	if (ctx == nullptr || (out == nullptr && len != 0))
		return -1;
	ks_cache *c = &t_ks;
	if (len > KS_DIRECT || c->gone)
		return chacha_raw.generate(ctx, out, len);
	if (len == 0)
		return 0;
	if (c->src != ctx || KS_BYTES - c->pos < len) {
		ks_drop(c); // leftover bytes are never used
		if (chacha_raw.generate(ctx, c->buf, KS_BYTES) != 0)
			return -1;
		c->pos = 0;
		c->src = ctx;
	}
	memcpy(out, c->buf + c->pos, len);
	explicit_bzero(c->buf + c->pos, len);
	c->pos += len;
	return 0;
}

// Seeds chacha_state from getrandom; 0 on success.
int chacha_seed()
{
	uint8_t seed[32]; // secret
	if (fill_getrandom(seed, sizeof(seed)) != 0)
		return -1;
	int r = kgss_chacha_prng_init(&chacha_state, seed, &chacha_raw);
	explicit_bzero(seed, sizeof(seed));
	if (r == 0) {
		chacha_prng.generate = buffered_generate;
		chacha_prng.ctx = &chacha_state;
	}
	return r;
}

// After fork() the child must not replay the parent's keystream.  Contexts
// hold {buffered_generate, &chacha_state}, so re-seeding in place covers
// them; if the re-seed fails the state is wiped and generate() then fails
// (its limit is 0) rather than repeating output.  The child's only thread is
// the one that forked: its keystream cache is a copy of the parent's and is
// dropped here (other threads' caches do not exist in the child).
void chacha_atfork_child()
{
	ks_drop(&t_ks);
	if (__atomic_load_n(&chacha_ready, __ATOMIC_ACQUIRE) && chacha_seed() != 0)
		kgss_chacha_prng_wipe(&chacha_state);
}

} // namespace

extern "C" const kgss_prng *kgss_prng_getrandom(void) { return &getrandom_prng; }

extern "C" const kgss_prng *kgss_prng_user(void)
{
	if (__atomic_load_n(&chacha_ready, __ATOMIC_ACQUIRE))
		return &chacha_prng;
	pthread_mutex_lock(&chacha_lock);
	if (!chacha_ready) {
		if (!atfork_registered && pthread_atfork(nullptr, nullptr, chacha_atfork_child) == 0)
			atfork_registered = 1;
		if (atfork_registered && chacha_seed() == 0)
			__atomic_store_n(&chacha_ready, 1, __ATOMIC_RELEASE);
	}
	const kgss_prng *r = chacha_ready ? &chacha_prng : nullptr;
	pthread_mutex_unlock(&chacha_lock);
	return r;
}
