// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * compat/linux/kgss_linux_crypto.c - a kgss_crypto_backend over the Linux
 * kernel crypto API (the kernel's randomness: kgss_linux_prng.c).
 *
 * Block ciphers (AES-128/256, Camellia-128/256, DES-EDE3) go through
 * crypto_cipher, one block at a time; ECB, CBC and CBC-MAC are written here.
 * The kernel picks the highest-priority driver (aes-aesni when aesni_intel
 * is loaded), and that driver owns the FPU rule: it falls back to its
 * generic code where SIMD is unusable, so these classes work in any context.
 * The class state is a single tfm pointer: the key schedule lives in the
 * tfm, allocated at init (an import, process context) and freed with
 * kfree_sensitive by crypto_free_cipher at clear (kgss_ctx_free).
 *
 * Hashes (MD5, SHA-1, SHA-256, SHA-384) go through crypto_shash.  The hash
 * class API has no set-up call, so kgss.ko allocates one unkeyed tfm per
 * algorithm at module load (kgss_linux_crypto_setup) and frees them at
 * unload; an unkeyed shash tfm is only read after that, by any number of
 * descriptors at once.  The class state is [u32 failed | u32 live | struct
 * shash_desc + its context]; sizes are taken from the tfm at load and must
 * fit KGSS_HASH_STATE_MAX, or the primitive is left out (NULL).
 *
 * RC4 stays builtin (the kernel's arc4 is a library, not a cipher here).
 */
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>
#include <crypto/hash.h>
#include <crypto/internal/cipher.h>

#include "kgss.h"
#include "kgss_linux.h"
#include "kgss_linux_internal.h"

MODULE_IMPORT_NS(CRYPTO_INTERNAL);

/* ---- block ciphers ------------------------------------------------------- */

struct lx_cipher {
	struct crypto_cipher *tfm; /* owns the key schedule (secret) */
};

static int lx_cipher_init(void *ks, const char *alg, const u8 *key, size_t key_len)
{
	struct lx_cipher *c = ks;
	struct crypto_cipher *tfm;

	c->tfm = NULL;
	tfm = crypto_alloc_cipher(alg, 0, 0);
	if (IS_ERR(tfm))
		return -1;
	if (crypto_cipher_setkey(tfm, key, key_len) != 0) {
		crypto_free_cipher(tfm);
		return -1;
	}
	c->tfm = tfm;
	return 0;
}

static int lx_aes_init(void *ks, const u8 *key, size_t key_len) { return lx_cipher_init(ks, "aes", key, key_len); }

static int lx_camellia_init(void *ks, const u8 *key, size_t key_len)
{
	return lx_cipher_init(ks, "camellia", key, key_len);
}

static int lx_des3_init(void *ks, const u8 *key, size_t key_len)
{
	return lx_cipher_init(ks, "des3_ede", key, key_len);
}

static void lx_cipher_clear(void *ks)
{
	struct lx_cipher *c = ks;

	if (c->tfm)
		crypto_free_cipher(c->tfm);
	c->tfm = NULL;
}

/* The tfm of a schedule and its block size; NULL if init failed. */
static struct crypto_cipher *lx_tfm(const void *ks, unsigned int *bs)
{
	struct crypto_cipher *tfm = ((const struct lx_cipher *)ks)->tfm;

	*bs = tfm ? crypto_cipher_blocksize(tfm) : 0;
	return tfm;
}

static int lx_ecb(const void *ks, u8 *data, size_t nblocks, bool decrypt)
{
	unsigned int bs;
	struct crypto_cipher *tfm = lx_tfm(ks, &bs);
	size_t i;

	if (!tfm)
		return -1;
	for (i = 0; i < nblocks; i++, data += bs) {
		if (decrypt)
			crypto_cipher_decrypt_one(tfm, data, data);
		else
			crypto_cipher_encrypt_one(tfm, data, data);
	}
	return 0;
}

static int lx_ecb_encrypt(const void *ks, u8 *data, size_t nblocks) { return lx_ecb(ks, data, nblocks, false); }

static int lx_ecb_decrypt(const void *ks, u8 *data, size_t nblocks) { return lx_ecb(ks, data, nblocks, true); }

/* CBC encryption (and CBC-MAC when out is NULL): C_i = E(P_i ^ C_{i-1}). */
static int lx_cbc_enc(const void *ks, u8 *iv, const u8 *in, u8 *out, size_t nblocks)
{
	unsigned int bs;
	struct crypto_cipher *tfm = lx_tfm(ks, &bs);
	size_t i;

	if (!tfm)
		return -1;
	for (i = 0; i < nblocks; i++, in += bs) {
		crypto_xor(iv, in, bs);
		crypto_cipher_encrypt_one(tfm, iv, iv);
		if (out) {
			memcpy(out, iv, bs);
			out += bs;
		}
	}
	return 0;
}

static int lx_cbc_encrypt(const void *ks, u8 *iv, u8 *data, size_t nblocks)
{
	return lx_cbc_enc(ks, iv, data, data, nblocks);
}

static int lx_cbc_mac(const void *ks, u8 *iv, const u8 *data, size_t nblocks)
{
	return lx_cbc_enc(ks, iv, data, NULL, nblocks);
}

/* CBC decryption in place: P_i = D(C_i) ^ C_{i-1}. */
static int lx_cbc_decrypt(const void *ks, u8 *iv, u8 *data, size_t nblocks)
{
	u8 c[16]; /* the ciphertext block being replaced (public) */
	unsigned int bs;
	struct crypto_cipher *tfm = lx_tfm(ks, &bs);
	size_t i;

	if (!tfm || bs > sizeof(c))
		return -1;
	for (i = 0; i < nblocks; i++, data += bs) {
		memcpy(c, data, bs);
		crypto_cipher_decrypt_one(tfm, data, data);
		crypto_xor(data, iv, bs);
		memcpy(iv, c, bs);
	}
	return 0;
}

#define LX_CIPHER(ident, nm, bsize, ksize, initf)         \
	static const kgss_block_cipher_class ident = {    \
		.context_size = sizeof(struct lx_cipher), \
		.block_size = (bsize),                    \
		.key_size = (ksize),                      \
		.name = (nm),                             \
		.init = (initf),                          \
		.clear = lx_cipher_clear,                 \
		.ecb_encrypt = lx_ecb_encrypt,            \
		.ecb_decrypt = lx_ecb_decrypt,            \
		.cbc_encrypt = lx_cbc_encrypt,            \
		.cbc_decrypt = lx_cbc_decrypt,            \
		.cbc_mac = lx_cbc_mac,                    \
	}

LX_CIPHER(lx_aes128, "aes128-linux", 16, 16, lx_aes_init);
LX_CIPHER(lx_aes256, "aes256-linux", 16, 32, lx_aes_init);
LX_CIPHER(lx_camellia128, "camellia128-linux", 16, 16, lx_camellia_init);
LX_CIPHER(lx_camellia256, "camellia256-linux", 16, 32, lx_camellia_init);
LX_CIPHER(lx_des3, "des3-linux", 8, 24, lx_des3_init);

/* ---- hashes ---------------------------------------------------------------- */

#define LX_HASH_LIVE  0x6b676c78u /* "kglx" */
#define LX_HASH_HDR   8u          /* failed, live; then the shash_desc */
#define LX_EXPORT_MAX 256u        /* largest exported state copied on the stack */

enum { LX_MD5, LX_SHA1, LX_SHA256, LX_SHA384, LX_NHASH };

static const char *const lx_hash_alg[LX_NHASH] = {"md5", "sha1", "sha256", "sha384"};

/* Written by kgss_linux_crypto_setup at module load, read-only afterwards. */
static struct {
	struct crypto_shash *tfm[LX_NHASH];
	kgss_hash_class hash[LX_NHASH];
	kgss_crypto_backend backend;
	bool ready;
} lx;

static u32 *lx_failed(void *st) { return (u32 *)st; }

static u32 *lx_live(void *st) { return (u32 *)st + 1; }

static struct shash_desc *lx_desc(void *st) { return (struct shash_desc *)((u8 *)st + LX_HASH_HDR); }

static size_t lx_hash_state_size(struct crypto_shash *tfm)
{
	return LX_HASH_HDR + sizeof(struct shash_desc) + crypto_shash_descsize(tfm);
}

static void lx_hash_wipe(void *st)
{
	struct shash_desc *d = lx_desc(st);

	memzero_explicit(st, d->tfm ? lx_hash_state_size(d->tfm) : LX_HASH_HDR + sizeof(*d));
}

static int lx_hash_init(void *st, unsigned int which)
{
	struct shash_desc *d = lx_desc(st);

	*lx_failed(st) = 0;
	*lx_live(st) = 0;
	d->tfm = lx.tfm[which];
	if (crypto_shash_init(d) != 0) {
		lx_hash_wipe(st);
		return -1;
	}
	*lx_live(st) = LX_HASH_LIVE;
	return 0;
}

static int lx_md5_init(void *st) { return lx_hash_init(st, LX_MD5); }

static int lx_sha1_init(void *st) { return lx_hash_init(st, LX_SHA1); }

static int lx_sha256_init(void *st) { return lx_hash_init(st, LX_SHA256); }

static int lx_sha384_init(void *st) { return lx_hash_init(st, LX_SHA384); }

static void lx_hash_update(void *st, const void *data, size_t len)
{
	/* crypto_shash_update takes an unsigned int length: feed in pieces. */
	const u8 *p = data;

	if (*lx_live(st) != LX_HASH_LIVE) {
		*lx_failed(st) = 1;
		return;
	}
	while (len != 0 && !*lx_failed(st)) {
		unsigned int n = len > 0x40000000u ? 0x40000000u : (unsigned int)len;

		if (crypto_shash_update(lx_desc(st), p, n) != 0)
			*lx_failed(st) = 1;
		p += n;
		len -= n;
	}
}

static int lx_hash_final(void *st, u8 *digest)
{
	struct shash_desc *d = lx_desc(st);
	int ret = -1;

	if (*lx_live(st) == LX_HASH_LIVE && !*lx_failed(st))
		ret = crypto_shash_final(d, digest) == 0 ? 0 : -1;
	if (ret != 0 && *lx_live(st) == LX_HASH_LIVE)
		memset(digest, 0, crypto_shash_digestsize(d->tfm));
	lx_hash_wipe(st);
	return ret;
}

/* dst = an independent copy of the running state src (export / import). */
static int lx_hash_copy(void *dst, const void *src)
{
	void *s = (void *)src; /* read only: the accessors are not const */
	struct shash_desc *sd = lx_desc(s), *dd = lx_desc(dst);
	u8 buf[LX_EXPORT_MAX] __aligned(8); /* secret: an HMAC key state */
	int ret = -1;

	*lx_live(dst) = 0;
	*lx_failed(dst) = 0;
	dd->tfm = sd->tfm;
	if (*lx_live(s) == LX_HASH_LIVE && !*lx_failed(s) && crypto_shash_export(sd, buf) == 0 &&
	    crypto_shash_import(dd, buf) == 0) {
		*lx_live(dst) = LX_HASH_LIVE;
		ret = 0;
	}
	memzero_explicit(buf, crypto_shash_statesize(sd->tfm));
	if (ret != 0)
		lx_hash_wipe(dst);
	return ret;
}

static void lx_hash_clear(void *st) { lx_hash_wipe(st); }

static int (*const lx_hash_initf[LX_NHASH])(void *) = {
	lx_md5_init,
	lx_sha1_init,
	lx_sha256_init,
	lx_sha384_init,
};

static const char *const lx_hash_name[LX_NHASH] = {
	"md5-linux",
	"sha1-linux",
	"sha256-linux",
	"sha384-linux",
};

/* ---- set-up at module load --------------------------------------------------- */

/* A primitive is offered only if the running kernel has it now; the driver
 * the kernel picks (e.g. aes-aesni) is logged. */
static bool lx_cipher_available(const char *alg)
{
	struct crypto_cipher *tfm = crypto_alloc_cipher(alg, 0, 0);

	if (IS_ERR(tfm)) {
		pr_info("kgss: linux backend %s: unavailable\n", alg);
		return false;
	}
	pr_info("kgss: linux backend %s: %s\n", alg, crypto_tfm_alg_driver_name(crypto_cipher_tfm(tfm)));
	crypto_free_cipher(tfm);
	return true;
}

static const kgss_hash_class *lx_hash_setup(unsigned int i)
{
	struct crypto_shash *tfm = crypto_alloc_shash(lx_hash_alg[i], 0, 0);
	kgss_hash_class *h = &lx.hash[i];

	if (IS_ERR(tfm))
		return NULL;
	if (lx_hash_state_size(tfm) > KGSS_HASH_STATE_MAX || crypto_shash_statesize(tfm) > LX_EXPORT_MAX) {
		pr_warn("kgss: %s state (%zu bytes) exceeds KGSS_HASH_STATE_MAX; left out\n",
			crypto_shash_driver_name(tfm), lx_hash_state_size(tfm));
		crypto_free_shash(tfm);
		return NULL;
	}
	lx.tfm[i] = tfm;
	h->context_size = lx_hash_state_size(tfm);
	h->digest_size = crypto_shash_digestsize(tfm);
	h->block_size = crypto_shash_blocksize(tfm);
	h->name = lx_hash_name[i];
	h->init = lx_hash_initf[i];
	h->update = lx_hash_update;
	h->final = lx_hash_final;
	h->copy = lx_hash_copy;
	h->clear = lx_hash_clear;
	return h;
}

int kgss_linux_crypto_setup(void)
{
	kgss_crypto_backend *b = &lx.backend;
	unsigned int i;

	memset(&lx, 0, sizeof(lx));
	b->abi_version = KGSS_CRYPTO_ABI_VERSION;
	b->name = "linux";
	if (lx_cipher_available("aes")) {
		b->aes128 = &lx_aes128;
		b->aes256 = &lx_aes256;
	}
	if (lx_cipher_available("camellia")) {
		b->camellia128 = &lx_camellia128;
		b->camellia256 = &lx_camellia256;
	}
	if (lx_cipher_available("des3_ede"))
		b->des3 = &lx_des3;
	b->rc4 = &kgss_builtin_rc4;
	b->md5 = lx_hash_setup(LX_MD5);
	b->sha1 = lx_hash_setup(LX_SHA1);
	b->sha256 = lx_hash_setup(LX_SHA256);
	b->sha384 = lx_hash_setup(LX_SHA384);
	for (i = 0; i < LX_NHASH; i++)
		pr_info("kgss: linux backend %s: %s\n", lx_hash_alg[i],
			lx.tfm[i] ? crypto_shash_driver_name(lx.tfm[i]) : "unavailable");
	lx.ready = true;
	return 0;
}

void kgss_linux_crypto_teardown(void)
{
	unsigned int i;

	lx.ready = false;
	for (i = 0; i < LX_NHASH; i++) {
		if (lx.tfm[i])
			crypto_free_shash(lx.tfm[i]);
		lx.tfm[i] = NULL;
	}
}

const kgss_crypto_backend *kgss_crypto_linux(void) { return lx.ready ? &lx.backend : NULL; }
