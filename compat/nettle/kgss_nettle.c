/*
 * kgss_nettle.c - libkgss crypto backend and PRNG over GNU Nettle, in C99.
 *
 * An example of the backend interface of kgss_crypto.h from the point of view
 * of an integrator who already has a crypto library (a kernel's crypto API,
 * here Nettle) and only needs to adapt it.  Read it top to bottom:
 *   1. state layouts, checked against the KGSS_*_STATE_MAX limits at compile
 *      time;
 *   2. block ciphers: one nettle_cipher_func per direction and cipher, and
 *      generic ECB / CBC / CBC-MAC loops over them;
 *   3. the RC4 stream class;
 *   4. the hash classes;
 *   5. the backend table;
 *   6. the PRNG (Yarrow-256 behind a mutex).
 */
#define _POSIX_C_SOURCE 200809L

#include "kgss_nettle.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <nettle/aes.h>
#include <nettle/arcfour.h>
#include <nettle/camellia.h>
#include <nettle/cbc.h>
#include <nettle/des.h>
#include <nettle/md5.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>

/* C99 has no _Static_assert: a negative array size fails the build. */
#define KN_STATIC_ASSERT(cond, name) typedef char kn_assert_##name[(cond) ? 1 : -1]

/* memset through a volatile pointer, so that wiping a state that is about to
 * go out of use is not optimised away. */
static void *(*const volatile kn_memset)(void *, int, size_t) = memset;
static void kn_wipe(void *p, size_t n) { kn_memset(p, 0, n); }

/* ==== 1. state layouts ========================================================
 * Block ciphers keep their schedules read-only, so that encrypt and decrypt
 * only read the state.  (Nettle's Camellia uses one "crypt" function with an
 * inverted key for decryption; AES has separate functions and separate
 * schedules.)  The 128-bit ciphers keep both schedules; the 256-bit ones
 * would not fit KGSS_CIPHER_STATE_MAX with two (2 x 240 and 2 x 256 bytes),
 * so they keep the encryption schedule only and each decrypt call inverts it
 * into a stack copy (wiped before the call returns). */
struct kn_aes128 {
	struct aes128_ctx enc, dec;
};
struct kn_aes256 {
	struct aes256_ctx enc;
};
struct kn_cam128 {
	struct camellia128_ctx enc, dec;
};
struct kn_cam256 {
	struct camellia256_ctx enc;
};
struct kn_des3 {
	struct des3_ctx k;
};

KN_STATIC_ASSERT(sizeof(struct kn_aes128) <= KGSS_CIPHER_STATE_MAX, aes128_fits);
KN_STATIC_ASSERT(sizeof(struct kn_aes256) <= KGSS_CIPHER_STATE_MAX, aes256_fits);
KN_STATIC_ASSERT(sizeof(struct kn_cam128) <= KGSS_CIPHER_STATE_MAX, cam128_fits);
KN_STATIC_ASSERT(sizeof(struct kn_cam256) <= KGSS_CIPHER_STATE_MAX, cam256_fits);
KN_STATIC_ASSERT(sizeof(struct kn_des3) <= KGSS_CIPHER_STATE_MAX, des3_fits);
KN_STATIC_ASSERT(sizeof(struct arcfour_ctx) <= KGSS_STREAM_STATE_MAX, rc4_fits);
KN_STATIC_ASSERT(sizeof(struct md5_ctx) <= KGSS_HASH_STATE_MAX, md5_fits);
KN_STATIC_ASSERT(sizeof(struct sha1_ctx) <= KGSS_HASH_STATE_MAX, sha1_fits);
KN_STATIC_ASSERT(sizeof(struct sha256_ctx) <= KGSS_HASH_STATE_MAX, sha256_fits);
KN_STATIC_ASSERT(sizeof(struct sha512_ctx) <= KGSS_HASH_STATE_MAX, sha384_fits);
/* libkgss aligns states to KGSS_STATE_ALIGN; Nettle needs at most 8. */
KN_STATIC_ASSERT(KGSS_STATE_ALIGN % sizeof(uint64_t) == 0, align);

/* ==== 2. block ciphers =========================================================
 * One nettle_cipher_func per cipher and direction.  They take the whole
 * kn_* state (const) and pick the schedule. */
static void aes128_e(const void *s, size_t n, uint8_t *d, const uint8_t *x)
{
	aes128_encrypt(&((const struct kn_aes128 *)s)->enc, n, d, x);
}
static void aes128_d(const void *s, size_t n, uint8_t *d, const uint8_t *x)
{
	aes128_decrypt(&((const struct kn_aes128 *)s)->dec, n, d, x);
}
static void aes256_e(const void *s, size_t n, uint8_t *d, const uint8_t *x)
{
	aes256_encrypt(&((const struct kn_aes256 *)s)->enc, n, d, x);
}
/* The 256-bit decrypt functions take the inverted (stack) schedule itself. */
static void aes256_d(const void *s, size_t n, uint8_t *d, const uint8_t *x)
{
	aes256_decrypt((const struct aes256_ctx *)s, n, d, x);
}
static void cam128_e(const void *s, size_t n, uint8_t *d, const uint8_t *x)
{
	camellia128_crypt(&((const struct kn_cam128 *)s)->enc, n, d, x);
}
static void cam128_d(const void *s, size_t n, uint8_t *d, const uint8_t *x)
{
	camellia128_crypt(&((const struct kn_cam128 *)s)->dec, n, d, x);
}
static void cam256_e(const void *s, size_t n, uint8_t *d, const uint8_t *x)
{
	camellia256_crypt(&((const struct kn_cam256 *)s)->enc, n, d, x);
}
static void cam256_d(const void *s, size_t n, uint8_t *d, const uint8_t *x)
{
	camellia256_crypt((const struct camellia256_ctx *)s, n, d, x);
}
static void des3_e(const void *s, size_t n, uint8_t *d, const uint8_t *x)
{
	des3_encrypt(&((const struct kn_des3 *)s)->k, n, d, x);
}
static void des3_d(const void *s, size_t n, uint8_t *d, const uint8_t *x)
{
	des3_decrypt(&((const struct kn_des3 *)s)->k, n, d, x);
}

/* Key expansion: the key length must be the class's key_size. */
static int aes128_init(void *s, const uint8_t *key, size_t len)
{
	struct kn_aes128 *k = s;
	if (len != AES128_KEY_SIZE)
		return -1;
	aes128_set_encrypt_key(&k->enc, key);
	aes128_invert_key(&k->dec, &k->enc);
	return 0;
}
static int aes256_init(void *s, const uint8_t *key, size_t len)
{
	struct kn_aes256 *k = s;
	if (len != AES256_KEY_SIZE)
		return -1;
	aes256_set_encrypt_key(&k->enc, key);
	return 0;
}
static int cam128_init(void *s, const uint8_t *key, size_t len)
{
	struct kn_cam128 *k = s;
	if (len != CAMELLIA128_KEY_SIZE)
		return -1;
	camellia128_set_encrypt_key(&k->enc, key);
	camellia128_invert_key(&k->dec, &k->enc);
	return 0;
}
static int cam256_init(void *s, const uint8_t *key, size_t len)
{
	struct kn_cam256 *k = s;
	if (len != CAMELLIA256_KEY_SIZE)
		return -1;
	camellia256_set_encrypt_key(&k->enc, key);
	return 0;
}
static int des3_init(void *s, const uint8_t *key, size_t len)
{
	struct kn_des3 *k = s;
	if (len != DES3_KEY_SIZE)
		return -1;
	/* Nettle ignores the parity bits, as kgss_crypto.h asks.  Its return
	 * value flags DES weak keys; the schedule is complete either way and
	 * RFC 3961 des3 keys are not rejected for weakness (MIT does not
	 * either), so it is ignored. */
	(void)des3_set_key(&k->k, key);
	return 0;
}

/* Generic modes over a nettle_cipher_func.  Every one works in place. */
static int kn_ecb(const void *ks, nettle_cipher_func *f, size_t bs, uint8_t *data, size_t nblocks)
{
	if (nblocks > SIZE_MAX / bs)
		return -1;
	if (nblocks)
		f(ks, nblocks * bs, data, data);
	return 0;
}
static int kn_cbc_enc(const void *ks, nettle_cipher_func *f, size_t bs, uint8_t *iv, uint8_t *data, size_t nblocks)
{
	if (nblocks > SIZE_MAX / bs)
		return -1;
	/* Nettle's cbc_encrypt leaves the last ciphertext block in iv: exactly
	 * the chaining contract of kgss_crypto.h. */
	if (nblocks)
		cbc_encrypt(ks, f, bs, iv, nblocks * bs, data, data);
	return 0;
}
static int kn_cbc_dec(const void *ks, nettle_cipher_func *f, size_t bs, uint8_t *iv, uint8_t *data, size_t nblocks)
{
	if (nblocks > SIZE_MAX / bs)
		return -1;
	/* In place is allowed; iv becomes the last ciphertext block. */
	if (nblocks)
		cbc_decrypt(ks, f, bs, iv, nblocks * bs, data, data);
	return 0;
}
/* CBC-MAC step (CMAC's inner loop): iv = E(iv ^ block), data untouched. */
static int kn_cbc_mac(const void *ks, nettle_cipher_func *f, size_t bs, uint8_t *iv, const uint8_t *data,
		      size_t nblocks)
{
	size_t i, j;
	for (i = 0; i < nblocks; i++) {
		for (j = 0; j < bs; j++)
			iv[j] ^= data[i * bs + j];
		f(ks, bs, iv, iv);
	}
	return 0;
}

/* The class operations of one cipher, forwarding to the generic modes. */
#define KN_BLOCK_ENC_OPS(c, bs)                                                                              \
	static int c##_ecb_enc(const void *ks, uint8_t *d, size_t n) { return kn_ecb(ks, c##_e, bs, d, n); } \
	static int c##_cbc_enc(const void *ks, uint8_t *iv, uint8_t *d, size_t n)                            \
	{                                                                                                    \
		return kn_cbc_enc(ks, c##_e, bs, iv, d, n);                                                  \
	}                                                                                                    \
	static int c##_cbc_mac(const void *ks, uint8_t *iv, const uint8_t *d, size_t n)                      \
	{                                                                                                    \
		return kn_cbc_mac(ks, c##_e, bs, iv, d, n);                                                  \
	}                                                                                                    \
	static void c##_clear(void *ks) { kn_wipe(ks, sizeof(struct kn_##c)); }
/* Decryption with the stored decryption schedule. */
#define KN_BLOCK_OPS(c, bs)                                                                                  \
	KN_BLOCK_ENC_OPS(c, bs)                                                                              \
	static int c##_ecb_dec(const void *ks, uint8_t *d, size_t n) { return kn_ecb(ks, c##_d, bs, d, n); } \
	static int c##_cbc_dec(const void *ks, uint8_t *iv, uint8_t *d, size_t n)                            \
	{                                                                                                    \
		return kn_cbc_dec(ks, c##_d, bs, iv, d, n);                                                  \
	}
/* Decryption with a schedule inverted per call: dctx is the Nettle context
 * type, inv its invert function (dst, src). */
#define KN_BLOCK_OPS_INV(c, bs, dctx, inv)                                        \
	KN_BLOCK_ENC_OPS(c, bs)                                                   \
	static int c##_ecb_dec(const void *ks, uint8_t *d, size_t n)              \
	{                                                                         \
		struct dctx dk; /* secret: wiped before return */                 \
		int r;                                                            \
		inv(&dk, &((const struct kn_##c *)ks)->enc);                      \
		r = kn_ecb(&dk, c##_d, bs, d, n);                                 \
		kn_wipe(&dk, sizeof dk);                                          \
		return r;                                                         \
	}                                                                         \
	static int c##_cbc_dec(const void *ks, uint8_t *iv, uint8_t *d, size_t n) \
	{                                                                         \
		struct dctx dk; /* secret: wiped before return */                 \
		int r;                                                            \
		inv(&dk, &((const struct kn_##c *)ks)->enc);                      \
		r = kn_cbc_dec(&dk, c##_d, bs, iv, d, n);                         \
		kn_wipe(&dk, sizeof dk);                                          \
		return r;                                                         \
	}

KN_BLOCK_OPS(aes128, AES_BLOCK_SIZE)
KN_BLOCK_OPS_INV(aes256, AES_BLOCK_SIZE, aes256_ctx, aes256_invert_key)
KN_BLOCK_OPS(cam128, CAMELLIA_BLOCK_SIZE)
KN_BLOCK_OPS_INV(cam256, CAMELLIA_BLOCK_SIZE, camellia256_ctx, camellia256_invert_key)
KN_BLOCK_OPS(des3, DES3_BLOCK_SIZE)

#define KN_BLOCK_CLASS(c, bs, keylen, label)                                                          \
	static const kgss_block_cipher_class kn_##c = {                                               \
		sizeof(struct kn_##c), bs,          keylen,      label,       c##_init,    c##_clear, \
		c##_ecb_enc,           c##_ecb_dec, c##_cbc_enc, c##_cbc_dec, c##_cbc_mac,            \
	};

KN_BLOCK_CLASS(aes128, AES_BLOCK_SIZE, AES128_KEY_SIZE, "aes128-nettle")
KN_BLOCK_CLASS(aes256, AES_BLOCK_SIZE, AES256_KEY_SIZE, "aes256-nettle")
KN_BLOCK_CLASS(cam128, CAMELLIA_BLOCK_SIZE, CAMELLIA128_KEY_SIZE, "camellia128-nettle")
KN_BLOCK_CLASS(cam256, CAMELLIA_BLOCK_SIZE, CAMELLIA256_KEY_SIZE, "camellia256-nettle")
KN_BLOCK_CLASS(des3, DES3_BLOCK_SIZE, DES3_KEY_SIZE, "des-ede3-nettle")

/* ==== 3. RC4 ==================================================================== */
static int rc4_init(void *s, const uint8_t *key, size_t len)
{
	if (len < ARCFOUR_MIN_KEY_SIZE || len > ARCFOUR_MAX_KEY_SIZE)
		return -1;
	arcfour_set_key((struct arcfour_ctx *)s, len, key);
	return 0;
}
static int rc4_apply(void *s, uint8_t *data, size_t len)
{
	if (len)
		arcfour_crypt((struct arcfour_ctx *)s, len, data, data);
	return 0;
}
static void rc4_clear(void *s) { kn_wipe(s, sizeof(struct arcfour_ctx)); }

static const kgss_stream_cipher_class kn_rc4 = {
	sizeof(struct arcfour_ctx), "arcfour-nettle", rc4_init, rc4_apply, rc4_clear,
};

/* ==== 4. hashes ===================================================================
 * Nettle's update cannot fail, so there is nothing to latch for final().
 * Nettle's contexts are self-contained, so copy() is a memcpy that only reads
 * src (concurrent copies of one precomputed HMAC state are safe). */
#define KN_HASH_CLASS(h, ctxtype, dlen, blen, label)                            \
	static int h##_init_(void *s)                                           \
	{                                                                       \
		h##_init((struct ctxtype *)s);                                  \
		return 0;                                                       \
	}                                                                       \
	static void h##_update_(void *s, const void *d, size_t n)               \
	{                                                                       \
		if (n)                                                          \
			h##_update((struct ctxtype *)s, n, (const uint8_t *)d); \
	}                                                                       \
	static int h##_final_(void *s, uint8_t *out)                            \
	{                                                                       \
		h##_digest((struct ctxtype *)s, dlen, out);                     \
		kn_wipe(s, sizeof(struct ctxtype));                             \
		return 0;                                                       \
	}                                                                       \
	static int h##_copy_(void *dst, const void *src)                        \
	{                                                                       \
		memcpy(dst, src, sizeof(struct ctxtype));                       \
		return 0;                                                       \
	}                                                                       \
	static void h##_clear_(void *s) { kn_wipe(s, sizeof(struct ctxtype)); } \
	static const kgss_hash_class kn_##h = {                                 \
		sizeof(struct ctxtype),                                         \
		dlen,                                                           \
		blen,                                                           \
		label,                                                          \
		h##_init_,                                                      \
		h##_update_,                                                    \
		h##_final_,                                                     \
		h##_copy_,                                                      \
		h##_clear_,                                                     \
		NULL, /* no fused HMAC finish: the library's generic one */     \
		NULL, /* no one-call HMAC: the library's step-by-step path */   \
	};

KN_HASH_CLASS(md5, md5_ctx, MD5_DIGEST_SIZE, MD5_BLOCK_SIZE, "md5-nettle")
KN_HASH_CLASS(sha1, sha1_ctx, SHA1_DIGEST_SIZE, SHA1_BLOCK_SIZE, "sha1-nettle")
KN_HASH_CLASS(sha256, sha256_ctx, SHA256_DIGEST_SIZE, SHA256_BLOCK_SIZE, "sha256-nettle")
KN_HASH_CLASS(sha384, sha512_ctx, SHA384_DIGEST_SIZE, SHA384_BLOCK_SIZE, "sha384-nettle")

/* ==== 5. the backend ================================================================ */
static const kgss_crypto_backend kn_backend = {
	KGSS_CRYPTO_ABI_VERSION,
	"nettle",
	&kn_aes128,
	&kn_aes256,
	&kn_cam128,
	&kn_cam256,
	&kn_des3,
	&kn_rc4,
	&kn_md5,
	&kn_sha1,
	&kn_sha256,
	&kn_sha384,
	NULL,
	NULL,
	NULL, /* no stitched CBC + hash engines: the library's two-pass path */
};

const kgss_crypto_backend *kgss_crypto_nettle(void) { return &kn_backend; }

/* ==== 6. PRNG =========================================================================
 * Yarrow-256 from Nettle, seeded once by the caller, serialised by a mutex.
 * (A kernel would forward generate() to its own RNG instead and need none of
 * this; the point here is the shape of a kgss_prng with a shared state.) */
static int kn_getrandom(uint8_t *out, size_t len)
{
	while (len) {
		ssize_t n = getrandom(out, len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		out += n;
		len -= (size_t)n;
	}
	return 0;
}

static int kn_prng_generate(void *ctx, uint8_t *out, size_t len)
{
	kgss_nettle_prng *st = ctx;
	int rc = -1;
	if (st == NULL || (out == NULL && len != 0))
		return -1;
	if (pthread_mutex_lock(&st->lock) != 0)
		return -1;
	if (st->live) {
		long pid = (long)getpid();
		if (pid != st->pid && st->from_os) {
			/* A forked child: mix fresh OS entropy into the key
			 * (yarrow256_seed folds in output of the old key too),
			 * so parent and child diverge. */
			uint8_t fresh[32];
			if (kn_getrandom(fresh, sizeof(fresh)) == 0) {
				yarrow256_seed(&st->yarrow, sizeof(fresh), fresh);
				st->pid = pid;
			}
			kn_wipe(fresh, sizeof(fresh));
		}
		if (pid == st->pid) {
			if (len)
				yarrow256_random(&st->yarrow, len, out);
			rc = 0;
		}
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int kgss_nettle_prng_init(kgss_nettle_prng *st, const uint8_t *seed, size_t seed_len, kgss_prng *out)
{
	size_t i;
	uint8_t any = 0;
	if (st == NULL || seed == NULL || out == NULL)
		return -1;
	memset(st, 0, sizeof(*st));
	if (seed_len < 32)
		return -1;
	for (i = 0; i < seed_len; i++)
		any |= seed[i];
	if (any == 0)
		return -1; /* an entropy source that was never read */
	if (pthread_mutex_init(&st->lock, NULL) != 0)
		return -1;
	yarrow256_init(&st->yarrow, 0, NULL);
	yarrow256_seed(&st->yarrow, seed_len, seed);
	st->pid = (long)getpid();
	st->from_os = 0;
	st->live = 1;
	out->generate = kn_prng_generate;
	out->ctx = st;
	return 0;
}

int kgss_nettle_prng_init_getrandom(kgss_nettle_prng *st, kgss_prng *out)
{
	uint8_t seed[32];
	int rc;
	if (st == NULL || out == NULL)
		return -1;
	if (kn_getrandom(seed, sizeof(seed)) != 0) {
		memset(st, 0, sizeof(*st));
		return -1;
	}
	rc = kgss_nettle_prng_init(st, seed, sizeof(seed), out);
	kn_wipe(seed, sizeof(seed));
	if (rc == 0)
		st->from_os = 1;
	return rc;
}

void kgss_nettle_prng_wipe(kgss_nettle_prng *st)
{
	if (st == NULL || !st->live)
		return;
	pthread_mutex_lock(&st->lock);
	st->live = 0;
	kn_wipe(&st->yarrow, sizeof(st->yarrow));
	pthread_mutex_unlock(&st->lock);
	pthread_mutex_destroy(&st->lock);
}
