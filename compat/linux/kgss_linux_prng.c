// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * compat/linux/kgss_linux_prng.c - the kernel's randomness as a kgss_prng
 * (kgss_prng.h lists every generator): get_random_bytes, which never fails
 * and may be called in any context.  Before the kernel's CRNG is seeded it
 * would hand out unseeded output (the kernel warns); a context only reaches
 * kgss.ko from gssd in user space, long after boot seeding.
 */
#include <linux/random.h>

#include "kgss.h"
#include "kgss_linux.h"

static int lx_prng_generate(void *ctx, u8 *out, size_t len)
{
	get_random_bytes(out, len);
	return 0;
}

static const kgss_prng lx_prng = {.generate = lx_prng_generate, .ctx = NULL};

const kgss_prng *kgss_prng_linux(void) { return &lx_prng; }
