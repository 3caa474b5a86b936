// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * compat/linux/kgss_main.c - kgss.ko: libkgss as a Linux kernel module.
 *
 * The core (gss-kernel-lib/, crypto/, lucid/, iov/) is C++ compiled by Kbuild
 * with the kernel's own flags (compat/linux/Kbuild); this file is the C side:
 * module load and unload, the kernel's services as kgss options, and the
 * exports.  Other modules include kgss.h (and kgss_linux.h) and call the C
 * ABI; EXPORT_SYMBOL_GPL because the backend uses GPL-only crypto exports.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "kgss.h"
#include "kgss_linux.h"
#include "kgss_linux_internal.h"

static int kgss_kernel_clock(void *clock_ctx, uint64_t *now)
{
	*now = (uint64_t)ktime_get_real_seconds();
	return 0;
}

/* kgss_options.alloc wants 16-byte aligned memory: kmalloc gives that for
 * every size a context has (they are served from power-of-two caches);
 * anything else is refused rather than trusted. */
static void *kgss_kernel_alloc(void *alloc_ctx, size_t size)
{
	void *p = kmalloc(size, GFP_KERNEL);

	if (p && ((uintptr_t)p & (KGSS_STATE_ALIGN - 1)) != 0) {
		kfree(p);
		return NULL;
	}
	return p;
}

static void kgss_kernel_free(void *alloc_ctx, void *ptr, size_t size) { kfree_sensitive(ptr); }

void kgss_options_init_kernel(kgss_options *opts)
{
	if (!opts)
		return;
	kgss_options_init(opts);
	opts->prng = kgss_prng_linux();
	opts->clock = kgss_kernel_clock;
	opts->clock_ctx = NULL;
	opts->alloc = kgss_kernel_alloc;
	opts->free = kgss_kernel_free;
	opts->alloc_ctx = NULL;
}

static int __init kgss_module_init(void)
{
	const kgss_crypto_backend *b = kgss_crypto_builtin();
	int ret = kgss_linux_crypto_setup();

	if (ret)
		return ret;
	pr_info("kgss: loaded; context %zu bytes; builtin classes: %s %s %s\n", kgss_ctx_size(),
		b->aes128 ? b->aes128->name : "-", b->sha1 ? b->sha1->name : "-", b->sha384 ? b->sha384->name : "-");
	return 0;
}

static void __exit kgss_module_exit(void)
{
	kgss_linux_crypto_teardown();
	pr_info("kgss: unloaded\n");
}

module_init(kgss_module_init);
module_exit(kgss_module_exit);

/* The C ABI of kgss.h, kgss_crypto.h and kgss_prng.h. */
EXPORT_SYMBOL_GPL(kgss_status_string);
EXPORT_SYMBOL_GPL(kgss_options_init);
EXPORT_SYMBOL_GPL(kgss_ctx_size);
EXPORT_SYMBOL_GPL(kgss_import_lucid_v1);
EXPORT_SYMBOL_GPL(kgss_import_lucid_v1_into);
EXPORT_SYMBOL_GPL(kgss_import_downcall);
EXPORT_SYMBOL_GPL(kgss_import_downcall_into);
EXPORT_SYMBOL_GPL(kgss_import_serialized);
EXPORT_SYMBOL_GPL(kgss_import_serialized_into);
EXPORT_SYMBOL_GPL(kgss_ctx_free);
EXPORT_SYMBOL_GPL(kgss_ctx_inquire);
EXPORT_SYMBOL_GPL(kgss_get_mic);
EXPORT_SYMBOL_GPL(kgss_verify_mic);
EXPORT_SYMBOL_GPL(kgss_wrap);
EXPORT_SYMBOL_GPL(kgss_unwrap);
EXPORT_SYMBOL_GPL(kgss_wrap_size);
EXPORT_SYMBOL_GPL(kgss_mic_size);
EXPORT_SYMBOL_GPL(kgss_wrap_size_limit);
EXPORT_SYMBOL_GPL(kgss_wrap_iov);
EXPORT_SYMBOL_GPL(kgss_wrap_iov_length);
EXPORT_SYMBOL_GPL(kgss_unwrap_iov);
EXPORT_SYMBOL_GPL(kgss_get_mic_iov);
EXPORT_SYMBOL_GPL(kgss_get_mic_iov_length);
EXPORT_SYMBOL_GPL(kgss_verify_mic_iov);
EXPORT_SYMBOL_GPL(kgss_crypto_builtin);
EXPORT_SYMBOL_GPL(kgss_crypto_builtin_portable);
EXPORT_SYMBOL_GPL(kgss_chacha_prng_init);
EXPORT_SYMBOL_GPL(kgss_chacha_prng_wipe);
/* kgss_linux.h */
EXPORT_SYMBOL_GPL(kgss_crypto_linux);
EXPORT_SYMBOL_GPL(kgss_prng_linux);
EXPORT_SYMBOL_GPL(kgss_options_init_kernel);

MODULE_DESCRIPTION("libkgss: Kerberos GSS-API per-message protection (RFC 4121, RFC 1964)");
MODULE_AUTHOR("The libkgss authors");
MODULE_LICENSE("Dual BSD/GPL");
MODULE_VERSION("0.1.0");
