/*
 * kgss_nettle.h - an example libkgss crypto backend and PRNG written in plain
 * C99 over GNU Nettle (libkgss_nettle; not part of libkgss).
 *
 * It is written the way a kernel integrator writes a backend over the kernel's
 * own crypto API: every primitive class of kgss_crypto.h is a const struct of
 * function pointers whose functions forward to Nettle, with the key schedule
 * or running hash stored in the state memory libkgss hands in.  Nothing here
 * allocates.  docs/integrating.md walks through the code.
 *
 * Nettle's contexts are plain data (no pointers to outside resources), which
 * makes the contract of kgss_crypto.h easy to meet:
 *   - block ciphers keep the encryption and the decryption schedule side by
 *     side in the state; every operation only reads it (concurrent use of one
 *     schedule is safe);
 *   - hash copy() is a memcpy of the source state (read-only);
 *   - clear() is a wipe; final() wipes after writing the digest.
 */
#ifndef KGSS_NETTLE_H
#define KGSS_NETTLE_H

#include <stddef.h>
#include <stdint.h>

#include <pthread.h>
#include <nettle/yarrow.h>

#include "kgss_crypto.h"

#ifdef __cplusplus
extern "C" {
#endif

/* AES-128/256, Camellia-128/256, DES-EDE3, ARCFOUR, MD5, SHA-1, SHA-256 and
 * SHA-384 from Nettle; name "nettle".  Never NULL. */
const kgss_crypto_backend *kgss_crypto_nettle(void);

/* ---- randomness: Nettle's Yarrow-256 behind a mutex --------------------------
 * Yarrow-256 is not reentrant, so generate() takes st->lock; that satisfies
 * the kgss_prng rule that generate() may run concurrently on one ctx.  The
 * caller owns the state (no allocation) and must keep it alive, unmoved, for
 * as long as any context uses the kgss_prng it produced. */
typedef struct kgss_nettle_prng {
	struct yarrow256_ctx yarrow; /* secret: wiped by kgss_nettle_prng_wipe */
	pthread_mutex_t lock;
	long pid;    /* process that seeded it (fork detection)           */
	int from_os; /* 1: seeded from getrandom(2), reseeded after fork  */
	int live;    /* 1 between a successful init and the wipe          */
} kgss_nettle_prng;

/* Seeds st from seed[0..seed_len) (at least 32 bytes of entropy the caller
 * collected: a kernel's RNG, a hardware source...) and fills *out.  Returns
 * nonzero and leaves st unusable for NULL arguments, seed_len < 32 or an
 * all-zero seed.  After fork() the child's generate() fails (the parent's
 * state must not produce the same bytes twice); re-initialise in the child. */
int kgss_nettle_prng_init(kgss_nettle_prng *st, const uint8_t *seed, size_t seed_len, kgss_prng *out);

/* Same, seeded with 32 bytes of getrandom(2).  A child process after fork()
 * reseeds itself from getrandom on its first generate().  Returns nonzero if
 * getrandom fails. */
int kgss_nettle_prng_init_getrandom(kgss_nettle_prng *st, kgss_prng *out);

/* Wipes the generator state.  No context may use the kgss_prng afterwards. */
void kgss_nettle_prng_wipe(kgss_nettle_prng *st);

#ifdef __cplusplus
}
#endif
#endif /* KGSS_NETTLE_H */
