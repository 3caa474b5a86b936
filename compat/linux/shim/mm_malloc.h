/* compat/linux/shim/mm_malloc.h - GCC's <xmmintrin.h> includes <mm_malloc.h>,
 * which includes <stdlib.h> for _mm_malloc; a kernel has no <stdlib.h> and
 * the core never calls _mm_malloc, so in a kernel build it is empty. */
#ifndef _MM_MALLOC_H_INCLUDED
#define _MM_MALLOC_H_INCLUDED
#endif
