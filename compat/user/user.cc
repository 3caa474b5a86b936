// compat/user/user.cc - user-space capabilities for libkgss: malloc/free
// allocator, getrandom(2)-seeded randomness, CLOCK_REALTIME clock.
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "kgss_user.h"

namespace {

// ---- allocator ----------------------------------------------------------------
void *user_alloc(void *, size_t size)
{
	// malloc's alignment (16 on LP64) covers kgss_ctx's.
	return malloc(size);
}

void user_free(void *, void *ptr, size_t) { free(ptr); }

// ---- clock -----------------------------------------------------------------------
int user_clock(void *, uint64_t *now)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0 || ts.tv_sec < 0)
		return -1;
	*now = (uint64_t)ts.tv_sec;
	return 0;
}

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
kgss_prng chacha_prng;
int chacha_ready; // read with __atomic; written under chacha_lock
int atfork_registered;

// Seeds chacha_state from getrandom; 0 on success.
int chacha_seed()
{
	uint8_t seed[32]; // secret
	if (fill_getrandom(seed, sizeof(seed)) != 0)
		return -1;
	int r = kgss_chacha_prng_init(&chacha_state, seed, &chacha_prng);
	explicit_bzero(seed, sizeof(seed));
	return r;
}

// After fork() the child must not replay the parent's keystream.  Contexts
// hold {generate, &chacha_state}, so re-seeding in place covers them; if the
// re-seed fails the state is wiped and generate() then fails (its limit is 0)
// rather than repeating output.
void chacha_atfork_child()
{
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

extern "C" void kgss_options_init_user(kgss_options *opts)
{
	if (opts == nullptr)
		return;
	kgss_options_init(opts);
	opts->alloc = user_alloc;
	opts->free = user_free;
	opts->alloc_ctx = nullptr;
	opts->prng = kgss_prng_user();
	opts->clock = user_clock;
	opts->clock_ctx = nullptr;
}
