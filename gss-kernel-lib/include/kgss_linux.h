/*
 * kgss_linux.h - what the kgss.ko kernel module adds to kgss.h (C99).
 *
 * kgss.ko exports the whole C ABI of kgss.h, kgss_crypto.h and kgss_prng.h
 * to other modules (EXPORT_SYMBOL_GPL) plus the three calls below.  Build and
 * contexts: docs/kernel.md.  In short:
 *   - imports and kgss_ctx_free: process context (they may sleep: the
 *     allocator below and the kernel crypto API allocate with GFP_KERNEL);
 *   - per-message calls: process, softirq and hard-IRQ context, with any
 *     backend; the builtin SIMD classes (kgss_crypto_builtin()) answer
 *     KGSS_S_FAILURE where the FPU is unusable (may_use_simd() false, e.g.
 *     an interrupt inside another kernel FPU section), so the default
 *     (crypto = NULL) is kgss_crypto_builtin_portable() in a kernel.
 */
#ifndef KGSS_LINUX_H
#define KGSS_LINUX_H

#include "kgss.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The Linux kernel crypto API backend: AES, Camellia and DES-EDE3 through
 * crypto_cipher (the kernel picks its fastest driver, e.g. aes-aesni, and
 * that driver handles the FPU), MD5/SHA-1/SHA-256/SHA-384 through
 * crypto_shash, RC4 from the builtin backend.  NULL if kgss.ko could not set
 * it up at load; a primitive the running kernel lacks (e.g. camellia not
 * loaded) is NULL in the table, so its enctypes import as
 * KGSS_S_UNAVAILABLE. */
const kgss_crypto_backend *kgss_crypto_linux(void);

/* get_random_bytes() as a kgss_prng (no state; any context). */
const kgss_prng *kgss_prng_linux(void);

/* kgss_options_init() plus the kernel's services: kgss_prng_linux(), the
 * clock ktime_get_real_seconds(), and kmalloc/kfree (GFP_KERNEL) for the
 * allocating imports.  crypto stays NULL (builtin portable). */
void kgss_options_init_kernel(kgss_options *opts);

#ifdef __cplusplus
}
#endif
#endif /* KGSS_LINUX_H */
