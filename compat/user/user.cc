// compat/user/user.cc - user-space capabilities for libkgss: malloc/free
// allocator, CLOCK_REALTIME clock, and kgss_options_init_user() with them and
// the generator of prng.cc.
#include <stdint.h>
#include <stdlib.h>
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
// Expiry is checked in whole seconds on every token call: the coarse clock
// (the one time(2) reads; it lags CLOCK_REALTIME by under one tick) costs a
// fraction of the precise one, which would be a visible part of a small call.
int user_clock(void *, uint64_t *now)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME_COARSE, &ts) != 0 || ts.tv_sec < 0)
		return -1;
	*now = (uint64_t)ts.tv_sec;
	return 0;
}

} // namespace

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
