/*
 * tests/kernel/ktest_env.h - the little of a C library ktest_core.c uses
 * (memcpy, memset, memcmp), from the kernel or from libc.  Nothing else of
 * either is included by the test core: everything it needs beyond these
 * comes from kgss.h or from the environment struct in ktest_core.h.
 */
#ifndef KGSS_KTEST_ENV_H
#define KGSS_KTEST_ENV_H

#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <string.h>
#endif

#endif
