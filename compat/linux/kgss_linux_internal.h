/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/* compat/linux/kgss_linux_internal.h - between the files of kgss.ko's glue. */
#ifndef KGSS_LINUX_INTERNAL_H
#define KGSS_LINUX_INTERNAL_H

#include "kgss_crypto.h"

/* kgss_linux_crypto.c: allocate / free the shash tfms of kgss_crypto_linux(). */
int kgss_linux_crypto_setup(void);
void kgss_linux_crypto_teardown(void);

/* The builtin RC4 class (crypto/builtin/rc4.cc), reused by the linux backend. */
extern const kgss_stream_cipher_class kgss_builtin_rc4;

#endif
