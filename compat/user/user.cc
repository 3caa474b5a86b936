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
// Expiry is checked in whole seconds on every token call: time(2) reads the
// coarse clock's seconds (CLOCK_REALTIME_COARSE; it lags CLOCK_REALTIME by
// under one tick).  Its vDSO entry is one load of the seconds field, about a
// tenth of the instructions of clock_gettime(CLOCK_REALTIME_COARSE) (a
// sequence-counter loop), and that one is already a fraction of the precise
// clock: each would be a visible part of a 128-byte MIC.
int user_clock(void *, uint64_t *now)
{
	const time_t t = time(nullptr);
	if (t < 0)
		return -1;
	*now = (uint64_t)t;
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
