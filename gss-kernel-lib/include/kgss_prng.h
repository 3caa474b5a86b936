/*
 * kgss_prng.h - the randomness interface of libkgss (C99): the generator a
 * caller hands in (kgss_options.prng) and the builtin ChaCha20 generator.
 * kgss_crypto.h (and so kgss.h) includes it.
 *
 * libkgss draws random bytes for one thing only: the confounders of sealed
 * Wrap tokens (RFC 4121 / RFC 3961, RFC 1964), each from the context's copy
 * of opts->prng (ctx_random, gss-kernel-lib/token/format.cc).  Without a generator
 * those calls fail with KGSS_S_UNAVAILABLE; a failing one fails the call.
 *
 * Every generator and where it lives:
 *   kgss_chacha_prng_init()    libkgss (core)   crypto/prng/chacha_prng.cc, ChaCha20 block
 *                                               function crypto/prng/chacha.h; declared here
 *   kgss_prng_openssl()        libkgss_openssl  crypto/openssl/prng.cc (RAND_bytes_ex); here
 *   kgss_prng_user()           libkgss_user     compat/user/prng.cc: the ChaCha generator seeded
 *                                               from getrandom(2), per-thread cache; kgss_user.h
 *   kgss_prng_getrandom()      libkgss_user     compat/user/prng.cc, getrandom(2) per request;
 *                                               kgss_user.h
 *   kgss_prng_linux()          kgss.ko          compat/linux/kgss_linux_prng.c
 *                                               (get_random_bytes); kgss_linux.h
 *   kgss_nettle_prng_init(),   libkgss_nettle   compat/nettle/kgss_nettle.c (Yarrow-256);
 *   kgss_nettle_prng_init_getrandom()           compat/nettle/kgss_nettle.h
 */
#ifndef KGSS_PRNG_H
#define KGSS_PRNG_H

#if defined(__KERNEL__) && !defined(__cplusplus)
#include <linux/types.h> /* size_t, uint8_t ... uint64_t (kernel C) */
#else
#include <stddef.h>
#include <stdint.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The caller hands in a generator.  generate() fills out[0..len) and returns 0,
 * or returns nonzero on failure (the library then fails the operation: it never
 * uses a zero or partial confounder).  generate() may be called concurrently
 * from several threads on the same ctx. */
typedef struct kgss_prng {
	int (*generate)(void *ctx, uint8_t *out, size_t len);
	void *ctx;
} kgss_prng;

/* Builtin generator: ChaCha20 keyed by a 32-byte caller seed, a 64-bit block
 * counter advanced atomically (lock-free, safe to share between threads), and
 * a per-call fresh block range, so no two calls ever return the same bytes.
 * The caller owns the state (no allocation) and seeds it from its own entropy
 * source (a kernel: its RNG; user space: getrandom via libkgss_user). */
typedef struct kgss_chacha_prng {
	uint32_t key[8];  /* secret: wiped by kgss_chacha_prng_wipe */
	uint64_t counter; /* next unused block (updated atomically)  */
	uint64_t limit;   /* reseed required after this many blocks */
} kgss_chacha_prng;

/* Seeds st from seed[0..32) and fills *out with a kgss_prng that uses it.
 * Returns nonzero (and leaves st unusable) for NULL arguments or an all-zero
 * seed, the sign of an entropy source that was never read.  generate() fails
 * without writing or consuming anything once a request would pass st->limit;
 * the owner then re-initialises with a fresh seed. */
int kgss_chacha_prng_init(kgss_chacha_prng *st, const uint8_t seed[32], kgss_prng *out);
void kgss_chacha_prng_wipe(kgss_chacha_prng *st);

/* OpenSSL RAND_bytes as a kgss_prng (libkgss_openssl only). */
const kgss_prng *kgss_prng_openssl(void);

#ifdef __cplusplus
}
#endif
#endif /* KGSS_PRNG_H */
