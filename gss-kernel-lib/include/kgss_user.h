/*
 * kgss_user.h - libkgss_user: user-space helpers around libkgss (C99).
 *
 * Link libkgss_user (which pulls in libkgss).  Uses libc: malloc/free,
 * getrandom(2), clock_gettime(2), snprintf.  Nothing here is needed by a
 * kernel.
 */
#ifndef KGSS_USER_H
#define KGSS_USER_H

#include <stddef.h>
#include <stdint.h>

#include "kgss.h"

#ifdef __cplusplus
extern "C" {
#endif

/* kgss_options_init() plus what user space normally wants:
 *   alloc/free  malloc / free
 *   prng        kgss_prng_user() (NULL if it could not be seeded: sealed
 *               wraps then fail with KGSS_S_UNAVAILABLE)
 *   clock       CLOCK_REALTIME_COARSE in whole seconds (what time(2) reads) */
void kgss_options_init_user(kgss_options *opts);

/* A process-wide kgss_chacha_prng seeded once from getrandom(2) (thread-safe
 * one-time initialisation; re-seeded in the child after fork() so parent and
 * child never share output).  Requests of up to 64 bytes (confounders) are
 * served from a per-thread cache of keystream blocks reserved from it, each
 * byte handed out once and wiped as it leaves; the forking thread's cache is
 * dropped in the child.  NULL if getrandom failed; a later call tries
 * again.  The returned generator and its state live until the process ends. */
const kgss_prng *kgss_prng_user(void);

/* A generator that calls getrandom(2) for every request (no state, fork-safe,
 * one system call per confounder).  Never NULL; generate() fails if the
 * system call does. */
const kgss_prng *kgss_prng_getrandom(void);

/* Serializes a lucid context (as gss_krb5_export_lucid_sec_context returns
 * it, version 1) into libkgss's portable format, for kgss_import_serialized.
 * *len on entry: capacity of out; on return: bytes written.  out == NULL:
 * only reports the size in *len.  Capacity too small: KGSS_S_FAILURE,
 * nothing written, *len = the size needed.  A malformed lucid context:
 * KGSS_S_DEFECTIVE_TOKEN; an enctype this build does not know:
 * KGSS_S_UNAVAILABLE.  The output holds the key: wipe it after use. */
kgss_status kgss_lucid_serialize(const kgss_lucid_context_v1 *lucid, void *out, size_t *len);

/* Same contract, writing the nfs-utils rpc.gssd / gss-proxy Linux kernel
 * downcall buffer (host byte order; see kgss_import_downcall). */
kgss_status kgss_lucid_to_downcall(const kgss_lucid_context_v1 *lucid, void *out, size_t *len);

/* Checks a serialized context strictly (as kgss_import_serialized does with
 * default options, without deriving keys) and writes a one-line description without key
 * material into text (NUL-terminated).  KGSS_S_DEFECTIVE_TOKEN /
 * KGSS_S_UNAVAILABLE as the import would answer; KGSS_S_FAILURE when text
 * is NULL or too small (text then holds a truncated line if text_len > 0). */
kgss_status kgss_serialized_describe(const void *buf, size_t len, char *text, size_t text_len);

#ifdef __cplusplus
}
#endif
#endif /* KGSS_USER_H */
