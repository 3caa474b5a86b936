// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * tests/kernel/module/ktest_main.c - kgss_ktest.ko: runs ktest_core.c inside
 * the kernel at module load with the kernel's services (see ktest_core.h):
 *   backends   default (crypto = NULL: builtin portable in a kernel),
 *              builtin (kgss_crypto_builtin(): SIMD classes when the CPU has
 *              them), linux (kgss_crypto_linux(): the kernel crypto API);
 *   pages      alloc_page + page_address, as an xdr_buf's page array;
 *   imports    kgss_options_init_kernel (kmalloc, get_random_bytes, clock);
 *   stack      the free part of this task's stack is painted before each
 *              libkgss call and scanned after it (interrupt entry frames
 *              that land on the task stack count too: an upper bound);
 *   contexts   softirq = a tasklet, hard IRQ = an irq_work (self-IPI), and
 *              an irq_work that interrupts a kernel_fpu_begin() section;
 *              each waited for; the callback checks where it runs.
 * The result is on the console (KGSS-RESULT ...); init returns 0 either way
 * so that the module can be removed and the boot goes on.
 */
#include <linux/completion.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/irq_work.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/timekeeping.h>
#include <asm/cpufeature.h>
#include <asm/fpu/api.h>

#include "kgss.h"
#include "kgss_linux.h"
#include "ktest_core.h"
#include "ktest_cases.h"

static void k_print(void *ctx, const char *line) { pr_info("%s\n", line); }

static void k_options(void *ctx, kgss_options *o) { kgss_options_init_kernel(o); }

static void *k_alloc(void *ctx, size_t size) { return kvmalloc(size, GFP_KERNEL); }

static void k_free(void *ctx, void *p) { kvfree(p); }

static void *k_page_alloc(void *ctx, void **handle)
{
	struct page *pg = alloc_page(GFP_KERNEL);

	if (!pg)
		return NULL;
	*handle = pg;
	return page_address(pg);
}

static void k_page_free(void *ctx, void *handle) { __free_page((struct page *)handle); }

/* ---- stack probe ------------------------------------------------------------
 * The lowest words of the stack hold STACK_END_MAGIC: left alone.  Painting
 * starts 128 bytes below this function's frame (nothing live is there: the
 * kernel has no red zone, and this function calls nothing while it paints). */
#define K_PAINT       0x6b7374616b707275UL
#define K_GUARD_WORDS 4

static noinline uintptr_t k_stack_begin(void *ctx)
{
	unsigned long *low = (unsigned long *)end_of_stack(current) + K_GUARD_WORDS;
	volatile unsigned long *q = (unsigned long *)__builtin_frame_address(0) - 16;
	uintptr_t base = (uintptr_t)task_stack_page(current);
	uintptr_t here = (uintptr_t)__builtin_frame_address(0);
	unsigned long n;

	/* only on this task's stack (never from an interrupt stack) */
	if (here < base + 256 || here >= base + THREAD_SIZE)
		return 0;
	for (n = 0; q >= low && n < THREAD_SIZE / sizeof(long); n++, q--)
		*q = K_PAINT;
	return (uintptr_t)__builtin_frame_address(0);
}

static noinline size_t k_stack_end(void *ctx, uintptr_t mark)
{
	const unsigned long *q = (const unsigned long *)end_of_stack(current) + K_GUARD_WORDS;
	unsigned long n;

	if (!mark)
		return 0;
	for (n = 0; (uintptr_t)q < mark && *q == K_PAINT && n < THREAD_SIZE / sizeof(long); n++)
		q++;
	return (uintptr_t)q < mark ? mark - (uintptr_t)q : 0;
}

/* ---- softirq and hard-IRQ context ------------------------------------------ */
struct k_job {
	void (*fn)(void *arg);
	void *arg;
	int in_ctx;
	int fpu;
	struct completion done;
	struct tasklet_struct tasklet;
	struct irq_work work;
};

static void k_job_softirq(struct tasklet_struct *tl)
{
	struct k_job *j = from_tasklet(j, tl, tasklet);

	j->in_ctx = in_serving_softirq() && !in_hardirq();
	j->fpu = irq_fpu_usable();
	j->fn(j->arg);
	complete(&j->done);
}

static void k_job_hardirq(struct irq_work *w)
{
	struct k_job *j = container_of(w, struct k_job, work);

	j->in_ctx = in_hardirq() ? 1 : 0;
	j->fpu = irq_fpu_usable();
	j->fn(j->arg);
}

static int k_run_in(void *ctx, enum ktest_where where, void (*fn)(void *arg), void *arg, int *fpu_usable)
{
	struct k_job *j = kzalloc(sizeof(*j), GFP_KERNEL);
	int ret = -1;

	if (!j)
		return -1;
	j->fn = fn;
	j->arg = arg;
	if (where == KTEST_SOFTIRQ) {
		init_completion(&j->done);
		tasklet_setup(&j->tasklet, k_job_softirq);
		tasklet_schedule(&j->tasklet);
		if (wait_for_completion_timeout(&j->done, 60 * HZ))
			ret = 0;
		tasklet_kill(&j->tasklet); /* waits for it if it is still queued */
	} else if (where == KTEST_HARDIRQ || where == KTEST_HARDIRQ_IN_FPU) {
		init_irq_work(&j->work, k_job_hardirq);
		/* in-fpu: the interrupt lands inside this kernel_fpu_begin()
		 * section, where the FPU holds state that is not the
		 * interrupt's to touch (irq_fpu_usable() is false there) */
		if (where == KTEST_HARDIRQ_IN_FPU)
			kernel_fpu_begin();
		if (irq_work_queue(&j->work)) {
			irq_work_sync(&j->work);
			ret = 0;
		}
		if (where == KTEST_HARDIRQ_IN_FPU)
			kernel_fpu_end();
	}
	if (ret == 0 && !j->in_ctx)
		ret = -1;
	*fpu_usable = j->fpu;
	kfree(j);
	return ret;
}

static uint64_t k_now(void *ctx) { return ktime_get_ns(); }

static void k_yield(void *ctx) { cond_resched(); }

static int __init kgss_ktest_init(void)
{
	struct ktest_backend be[3];
	struct ktest_env env;
	uint32_t fail;

	pr_info("KGSS-KTEST start: %u cases, %u known-answer tokens; cpu aes=%d avx2=%d sha_ni=%d; stack %lu bytes\n",
		ktest_data.ncases, ktest_data.nkats, boot_cpu_has(X86_FEATURE_AES) ? 1 : 0,
		boot_cpu_has(X86_FEATURE_AVX2) ? 1 : 0, boot_cpu_has(X86_FEATURE_SHA_NI) ? 1 : 0,
		(unsigned long)THREAD_SIZE);
	memset(be, 0, sizeof(be));
	be[0].label = "default";
	be[0].crypto = NULL;
	be[0].required = 0;
	be[1].label = "builtin";
	be[1].crypto = kgss_crypto_builtin();
	be[1].required = 1;
	be[1].needs_fpu = 1;
	be[2].label = "linux";
	be[2].crypto = kgss_crypto_linux();
	be[2].required = 1;
	memset(&env, 0, sizeof(env));
	env.print = k_print;
	env.options_init = k_options;
	env.alloc = k_alloc;
	env.free = k_free;
	env.page_alloc = k_page_alloc;
	env.page_free = k_page_free;
	env.page_size = PAGE_SIZE;
	env.stack_begin = k_stack_begin;
	env.stack_end = k_stack_end;
	env.now_ns = k_now;
	env.yield = k_yield;
	env.run_in = k_run_in;
	env.backends = be;
	env.nbackends = 3;
	fail = ktest_run(&env, &ktest_data);
	pr_info("KGSS-KTEST done: %s\n", fail ? "FAILED" : "passed");
	return 0;
}

static void __exit kgss_ktest_exit(void) {}

module_init(kgss_ktest_init);
module_exit(kgss_ktest_exit);
MODULE_LICENSE("Dual BSD/GPL");
MODULE_DESCRIPTION("libkgss in-kernel test: MIT krb5 tokens, NFS-shaped IOV, every backend");
