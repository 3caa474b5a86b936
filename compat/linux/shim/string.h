/* compat/linux/shim/string.h - the C++ core's <string.h> in a kernel build:
 * the four functions the core may call, all exported by the kernel.  Only
 * the Kbuild C++ rule puts this folder on the include path. */
#ifndef KGSS_SHIM_STRING_H
#define KGSS_SHIM_STRING_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
#ifdef __cplusplus
}
#endif
#endif
