/*
 * tests/kernel/ktest_user_main.c - the dry run: ktest_core.c in a user-space
 * program over user-space libkgss, with the data ktest_host prepare wrote
 * (compiled in, as in the kernel module: -I<prepare dir> for ktest_cases.h).
 * Prints the same console lines as kgss_ktest.ko; exit status 0 only when
 * every check passed.  No stack probe here (KGSS-STACK ... n/a).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kgss.h"
#include "kgss_user.h"
#include "ktest_core.h"
#include "ktest_cases.h"

static void u_print(void *ctx, const char *line)
{
	(void)ctx;
	printf("%s\n", line);
	fflush(stdout);
}

static void u_options(void *ctx, kgss_options *o)
{
	(void)ctx;
	kgss_options_init_user(o);
}

static void *u_alloc(void *ctx, size_t n)
{
	(void)ctx;
	return malloc(n);
}

static void u_free(void *ctx, void *p)
{
	(void)ctx;
	free(p);
}

static void *u_page_alloc(void *ctx, void **handle)
{
	void *p = NULL;

	(void)ctx;
	if (posix_memalign(&p, 4096, 4096) != 0)
		return NULL;
	*handle = p;
	return p;
}

static void u_page_free(void *ctx, void *handle)
{
	(void)ctx;
	free(handle);
}

static uint64_t u_now(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(void)
{
	struct ktest_backend be[3];
	struct ktest_env env;

	memset(be, 0, sizeof(be));
	be[0].label = "builtin";
	be[0].crypto = kgss_crypto_builtin();
	be[0].required = 1;
	be[1].label = "portable";
	be[1].crypto = kgss_crypto_builtin_portable();
	be[1].required = 1;
	be[2].label = "openssl";
	be[2].crypto = kgss_crypto_openssl();
	be[2].required = 1;
	memset(&env, 0, sizeof(env));
	env.print = u_print;
	env.options_init = u_options;
	env.alloc = u_alloc;
	env.free = u_free;
	env.page_alloc = u_page_alloc;
	env.page_free = u_page_free;
	env.page_size = 4096;
	env.now_ns = u_now;
	env.backends = be;
	env.nbackends = 3;
	return ktest_run(&env, &ktest_data) == 0 ? 0 : 1;
}
