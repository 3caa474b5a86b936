// tools/bench/bench_alloc.cc - kgss-bench's counting allocator: malloc, calloc,
// realloc, memalign, posix_memalign, aligned_alloc and valloc are interposed
// (the executable's definitions win over glibc's) and counted per thread;
// libkgss's allocator hooks are counted apart.  measure() (bench.h) turns
// both into calls per operation.
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>

#include "tools/bench/bench.h"

// Every allocation entry point of glibc, forwarded to glibc's own implementation
// and counted per thread (initial-exec TLS of the executable: no allocation).
extern "C" {
void *__libc_malloc(size_t);
void *__libc_calloc(size_t, size_t);
void *__libc_realloc(void *, size_t);
void *__libc_memalign(size_t, size_t);
void __libc_free(void *);
}
static thread_local uint64_t t_allocs;

extern "C" void *malloc(size_t n)
{
	t_allocs++;
	return __libc_malloc(n);
}
extern "C" void *calloc(size_t a, size_t b)
{
	t_allocs++;
	return __libc_calloc(a, b);
}
extern "C" void *realloc(void *p, size_t n)
{
	t_allocs++;
	return __libc_realloc(p, n);
}
extern "C" void free(void *p) { __libc_free(p); }
extern "C" void *memalign(size_t a, size_t n)
{
	t_allocs++;
	return __libc_memalign(a, n);
}
extern "C" void *aligned_alloc(size_t a, size_t n)
{
	t_allocs++;
	return __libc_memalign(a, n);
}
extern "C" int posix_memalign(void **out, size_t a, size_t n)
{
	t_allocs++;
	if (a < sizeof(void *) || (a & (a - 1)))
		return EINVAL;
	void *p = __libc_memalign(a, n);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}
extern "C" void *valloc(size_t n)
{
	t_allocs++;
	return __libc_memalign((size_t)sysconf(_SC_PAGESIZE), n);
}

namespace kbench {

namespace {
std::atomic<uint64_t> g_hook_allocs{0};
} // namespace

uint64_t thread_allocs() { return t_allocs; }
uint64_t hook_allocs() { return g_hook_allocs.load(); }

void *hook_alloc(void *, size_t n)
{
	g_hook_allocs.fetch_add(1, std::memory_order_relaxed);
	return malloc(n);
}
void hook_free(void *, void *p, size_t) { free(p); }

} // namespace kbench
