// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * compat/linux/example/kgss_example.c - a separate module that uses kgss.ko
 * through kgss.h alone, the way an RPCSEC_GSS client would (docs/kernel.md):
 *
 *   1. at context creation (process context): import the downcall buffer
 *      rpc.gssd / gss-proxy wrote, with a kmalloc allocator and a ChaCha20
 *      PRNG seeded from get_random_bytes;
 *   2. per call (krb5p): kgss_wrap_iov in place over the xdr_buf - HEADER |
 *      DATA (head kvec) | DATA (pages) | DATA (tail kvec) | PADDING | TRAILER;
 *      the peer does kgss_unwrap_iov over the same shape;
 *   3. per call (krb5i): kgss_get_mic_iov / kgss_verify_mic_iov;
 *   4. at context destruction: kgss_ctx_free.
 *
 * Both ends are imported here from one demo key (initiator and acceptor), so
 * the module checks itself; it prints "kgss_example: PASS" or "FAIL".
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "kgss.h"

#define NPAGES   3
#define HEAD_LEN 100
#define TAIL_LEN 13

static void *ex_alloc(void *ctx, size_t size) { return kmalloc(size, GFP_KERNEL); }

static void ex_free(void *ctx, void *ptr, size_t size) { kfree_sensitive(ptr); }

/* The downcall of RFC 4121 enctype 18 with a demo key (host byte order). */
static size_t make_downcall(u8 *buf, u32 flags, const u8 key[32])
{
	u32 endtime = 0, enctype = 18;
	u64 seq = 1000;

	memcpy(buf, &flags, 4);
	memcpy(buf + 4, &endtime, 4);
	memcpy(buf + 8, &seq, 8);
	memcpy(buf + 16, &enctype, 4);
	memcpy(buf + 20, key, 32);
	return 52;
}

static int run_example(void)
{
	kgss_chacha_prng prng_state;  /* secret: the PRNG key (wiped below) */
	u8 seed[32], key[32], dc[52]; /* secret: seed and session key */
	struct page *pages[NPAGES] = {NULL};
	u8 head[HEAD_LEN], tail[TAIL_LEN], hdr[64], pad[32], trl[64], mic[64];
	kgss_ctx *init = NULL, *acc = NULL;
	kgss_options opts;
	kgss_prng prng;
	kgss_iov iov[3 + NPAGES + 3];
	int conf = 0, ok = 0, i, n;
	kgss_status st;

	get_random_bytes(seed, sizeof(seed));
	get_random_bytes(key, sizeof(key));
	if (kgss_chacha_prng_init(&prng_state, seed, &prng) != 0)
		goto out;
	kgss_options_init(&opts);
	opts.prng = &prng;
	opts.alloc = ex_alloc;
	opts.free = ex_free;
	/* 1. context creation */
	st = kgss_import_downcall(dc, make_downcall(dc, 0x1 | 0x2, key), &opts, &init);
	if (st == KGSS_S_COMPLETE)
		st = kgss_import_downcall(dc, make_downcall(dc, 0x2, key), &opts, &acc);
	if (st != KGSS_S_COMPLETE) {
		pr_err("kgss_example: import: %s\n", kgss_status_string(st));
		goto out;
	}
	for (i = 0; i < NPAGES; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		if (!pages[i])
			goto out;
		memset(page_address(pages[i]), 'a' + i, PAGE_SIZE);
	}
	memset(head, 'H', sizeof(head));
	memset(tail, 'T', sizeof(tail));
	/* 2. krb5p: the xdr_buf shape, in place */
	n = 0;
	iov[n++] = (kgss_iov){KGSS_IOV_HEADER, {sizeof(hdr), hdr}};
	iov[n++] = (kgss_iov){KGSS_IOV_DATA, {HEAD_LEN, head}};
	for (i = 0; i < NPAGES; i++)
		iov[n++] = (kgss_iov){KGSS_IOV_DATA, {PAGE_SIZE, page_address(pages[i])}};
	iov[n++] = (kgss_iov){KGSS_IOV_DATA, {TAIL_LEN, tail}};
	iov[n++] = (kgss_iov){KGSS_IOV_PADDING, {sizeof(pad), pad}};
	iov[n++] = (kgss_iov){KGSS_IOV_TRAILER, {sizeof(trl), trl}};
	st = kgss_wrap_iov_length(init, 1, 0, &conf, iov, n);
	if (st == KGSS_S_COMPLETE)
		st = kgss_wrap_iov(init, 1, 0, &conf, iov, n);
	if (st != KGSS_S_COMPLETE || !conf || head[0] == 'H') {
		pr_err("kgss_example: wrap_iov: %s\n", kgss_status_string(st));
		goto out;
	}
	st = kgss_unwrap_iov(acc, &conf, NULL, iov, n);
	if (st != KGSS_S_COMPLETE || head[0] != 'H' || tail[TAIL_LEN - 1] != 'T' ||
	    ((u8 *)page_address(pages[NPAGES - 1]))[PAGE_SIZE - 1] != 'a' + NPAGES - 1) {
		pr_err("kgss_example: unwrap_iov: %s\n", kgss_status_string(st));
		goto out;
	}
	/* 3. krb5i: a MIC over the same buffers, then a tampered one */
	n = 0;
	iov[n++] = (kgss_iov){KGSS_IOV_DATA, {HEAD_LEN, head}};
	for (i = 0; i < NPAGES; i++)
		iov[n++] = (kgss_iov){KGSS_IOV_DATA, {PAGE_SIZE, page_address(pages[i])}};
	iov[n++] = (kgss_iov){KGSS_IOV_MIC_TOKEN, {sizeof(mic), mic}};
	st = kgss_get_mic_iov_length(acc, 0, iov, n);
	if (st == KGSS_S_COMPLETE)
		st = kgss_get_mic_iov(acc, 0, iov, n);
	if (st == KGSS_S_COMPLETE)
		st = kgss_verify_mic_iov(init, NULL, iov, n);
	if (st != KGSS_S_COMPLETE) {
		pr_err("kgss_example: mic_iov: %s\n", kgss_status_string(st));
		goto out;
	}
	head[7] ^= 1;
	st = kgss_verify_mic_iov(init, NULL, iov, n);
	if (st != KGSS_S_BAD_SIG) {
		pr_err("kgss_example: tampered MIC gave %s\n", kgss_status_string(st));
		goto out;
	}
	ok = 1;
out:
	/* 4. context destruction */
	kgss_ctx_free(init);
	kgss_ctx_free(acc);
	for (i = 0; i < NPAGES; i++)
		if (pages[i])
			__free_page(pages[i]);
	kgss_chacha_prng_wipe(&prng_state);
	memzero_explicit(seed, sizeof(seed));
	memzero_explicit(key, sizeof(key));
	memzero_explicit(dc, sizeof(dc));
	pr_info("kgss_example: %s\n", ok ? "PASS" : "FAIL");
	return ok ? 0 : -EINVAL;
}

static int __init kgss_example_init(void) { return run_example(); }

static void __exit kgss_example_exit(void) {}

module_init(kgss_example_init);
module_exit(kgss_example_exit);
MODULE_DESCRIPTION("libkgss example: the kgss.h C ABI from a separate module");
MODULE_LICENSE("Dual BSD/GPL");
