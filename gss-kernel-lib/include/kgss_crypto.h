/*
 * kgss_crypto.h - the crypto backend interface of libkgss (C99); the
 * randomness interface is kgss_prng.h, which this header includes.
 *
 * A backend is a table of primitive *classes*.  Each class is a const struct of
 * function pointers whose first field is the size of the state it works on; the
 * library owns that state (inside its context or on its stack) and hands the
 * class a pointer to it.  Nothing here allocates on behalf of the library.
 *
 * Contract shared by every class:
 *   - State memory given to a class is aligned to KGSS_STATE_ALIGN and is at
 *     least context_size bytes; context_size must not exceed the *_STATE_MAX
 *     limit of its family, or the library treats the primitive as unavailable.
 *   - Functions returning int return 0 on success and nonzero on failure; the
 *     library turns failures into KGSS_S_FAILURE and never aborts.
 *   - A key schedule, once initialised, is only read: the block cipher
 *     operations take it const and may be called concurrently from many
 *     threads on the same schedule.
 *   - clear() wipes the state (and releases anything the backend attached to
 *     it).  It is safe to call clear() on a state whose init() failed.
 *
 * A backend marks a primitive it does not provide by leaving its pointer NULL;
 * the library then answers KGSS_S_UNAVAILABLE for every enctype needing it.
 */
#ifndef KGSS_CRYPTO_H
#define KGSS_CRYPTO_H

/* The randomness interface; it also brings size_t and uint8_t ... uint64_t
 * (<stddef.h>, <stdint.h>; <linux/types.h> in kernel C). */
#include "kgss_prng.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The layout of every struct below.  A backend states the version it was
 * compiled against; the library refuses (KGSS_S_UNAVAILABLE) any other, since
 * it would read members an older backend's structs do not have.
 *   1  the first layout.
 *   2  kgss_hash_class gained hmac_finish and hmac_parts; kgss_crypto_backend
 *      gained the stitched engines cbc_sha1, cbc_sha256, cbc_sha384.
 * Optional members are appended, so a source that initializes a struct
 * positionally up to the members it knows still compiles (the rest are
 * NULL: not provided); it must be recompiled for the new version. */
#define KGSS_CRYPTO_ABI_VERSION 2u

/* Upper bounds on backend state sizes; the library reserves this much (a
 * context holds 4 cipher and 12 hash states, so these bound its size).
 * Largest states today: DES-EDE3 388 (builtin), AES-256 with AES-NI 256
 * (encryption round keys only), Camellia-256 280; SHA-384 208 (builtin),
 * 216 (Nettle). */
#define KGSS_CIPHER_STATE_MAX 400u /* one block-cipher key schedule          */
#define KGSS_HASH_STATE_MAX   224u /* one running hash computation           */
#define KGSS_STREAM_STATE_MAX 320u /* one running stream cipher (RC4)        */
#define KGSS_STATE_ALIGN      16u

/* ---- block ciphers: AES-128/256, Camellia-128/256, DES-EDE3 -------------- */
typedef struct kgss_block_cipher_class kgss_block_cipher_class;
struct kgss_block_cipher_class {
	size_t context_size; /* bytes of key-schedule state                    */
	size_t block_size;   /* 16 (AES, Camellia) or 8 (DES-EDE3)              */
	size_t key_size;     /* 16 or 32 (AES, Camellia), 24 (DES-EDE3)         */
	const char *name;    /* e.g. "aes128-ni", "aes256-ct", "des-ede3"       */

	/* Expand key (key_len == key_size; DES parity bits are ignored). */
	int (*init)(void *ks, const uint8_t *key, size_t key_len);
	/* Wipe the schedule and release backend resources attached to it. */
	void (*clear)(void *ks);

	/* In place, nblocks whole blocks (nblocks may be 0). */
	int (*ecb_encrypt)(const void *ks, uint8_t *data, size_t nblocks);
	int (*ecb_decrypt)(const void *ks, uint8_t *data, size_t nblocks);
	/* In place CBC; iv (block_size bytes) is read as the chaining value and
	 * updated to the last ciphertext block, so calls can be chained. */
	int (*cbc_encrypt)(const void *ks, uint8_t *iv, uint8_t *data, size_t nblocks);
	int (*cbc_decrypt)(const void *ks, uint8_t *iv, uint8_t *data, size_t nblocks);
	/* CBC-MAC step: like cbc_encrypt but data is not modified; only iv is
	 * updated (to the last ciphertext block).  Used by CMAC. */
	int (*cbc_mac)(const void *ks, uint8_t *iv, const uint8_t *data, size_t nblocks);
};

/* ---- stream cipher: RC4 ---------------------------------------------------- */
typedef struct kgss_stream_cipher_class kgss_stream_cipher_class;
struct kgss_stream_cipher_class {
	size_t context_size; /* bytes of running state                           */
	const char *name;
	int (*init)(void *st, const uint8_t *key, size_t key_len);
	/* XOR the next len keystream bytes into data, in place. */
	int (*apply)(void *st, uint8_t *data, size_t len);
	void (*clear)(void *st);
};

/* ---- hashes: MD5, SHA-1, SHA-256, SHA-384 ---------------------------------- */
/* One piece of the message of kgss_hash_class.hmac_parts below (data may be
 * NULL when len is 0). */
typedef struct kgss_hash_part {
	const uint8_t *data;
	size_t len;
} kgss_hash_part;

typedef struct kgss_hash_class kgss_hash_class;
struct kgss_hash_class {
	size_t context_size; /* bytes of one running computation                */
	size_t digest_size;  /* 16, 20, 32, 48                                   */
	size_t block_size;   /* 64 or 128                                        */
	const char *name;
	int (*init)(void *st);
	/* A failure inside update is latched in the state and reported by final. */
	void (*update)(void *st, const void *data, size_t len);
	/* Writes digest_size bytes and clears the state (it is dead afterwards). */
	int (*final)(void *st, uint8_t *digest);
	/* dst is uninitialised memory; on success dst and src are independent
	 * live states.  src is only read (concurrent copies of one src are safe):
	 * this is how precomputed HMAC inner/outer states are reused. */
	int (*copy)(void *dst, const void *src);
	/* Abandon a live state without finishing it. */
	void (*clear)(void *st);

	/* Optional (appended, so initializers that stop at clear leave it NULL;
	 * NULL = not provided: the library finishes an HMAC with final, copy,
	 * update and final).  Fused HMAC finish, RFC 2104 H(K ^ opad | inner):
	 * finishes the live state inner_st (dead afterwards, success or not, as
	 * after final), then hashes its digest_size-byte digest on from outer_st
	 * and writes the digest_size-byte MAC to mac.  outer_st is a live state
	 * that has absorbed exactly one block (K ^ opad); it is only read, so
	 * concurrent calls with one outer_st are safe.  The inner digest and
	 * every other intermediate value are wiped before returning.  On failure
	 * (nonzero) mac holds unspecified bytes: the library wipes it. */
	int (*hmac_finish)(void *inner_st, const void *outer_st, uint8_t *mac);

	/* Optional (appended; NULL = not provided: the library runs copy,
	 * update and the finish above).  A whole HMAC in one call, RFC 2104
	 * H(K ^ opad | H(K ^ ipad | parts[0] | ... | parts[nparts - 1])), from
	 * inner_st and outer_st: live states that have each absorbed exactly one
	 * block (K ^ ipad, K ^ opad).  Both are only read, so concurrent calls
	 * with the same states are safe.  Returns 0 with the digest_size-byte
	 * MAC in mac; a positive value when it declines (nothing written; e.g.
	 * the vector registers are unusable now or the message is too long for
	 * one call): the library then takes the step-by-step path; a negative
	 * value on failure (mac holds unspecified bytes: the library wipes it).
	 * Every intermediate value is wiped before returning. */
	int (*hmac_parts)(const void *inner_st, const void *outer_st, const kgss_hash_part *parts, size_t nparts,
			  uint8_t *mac);
};

/* ---- optional: a stitched CBC + hash engine ----------------------------------
 * One sweep over contiguous data that runs a block cipher in CBC mode and a
 * hash together, so that the CPU overlaps the two (CBC encryption is one
 * serial chain of cipher rounds; the hash compression is another, on other
 * execution units; CBC decryption's independent blocks hide under the hash).
 * The library uses it for runs of whole hash blocks inside one segment of
 * an RFC 3962 / RFC 8009 message and falls back to the two-pass path for
 * everything else, so an engine changes speed, never a token.
 *
 * An engine reads the internal layouts of particular classes of its own
 * backend: it takes key schedules of `cipher_a` / `cipher_b` only and live
 * states of `hash` only, and the state must have absorbed a whole number of
 * hash blocks.  `unit` is hash->block_size (64 or 128), a multiple of the
 * cipher block size. */
typedef struct kgss_cbc_hash_class kgss_cbc_hash_class;
struct kgss_cbc_hash_class {
	const char *name;                        /* e.g. "aes-ni+sha1-ni" */
	const kgss_block_cipher_class *cipher_a; /* cipher classes whose schedules */
	const kgss_block_cipher_class *cipher_b; /* it takes (NULL: none)          */
	const kgss_hash_class *hash;             /* hash class whose states it takes */
	size_t unit;                             /* bytes per unit = hash block size */

	/* CBC-encrypt data[0 .. nunits * unit) in place (iv read and updated as
	 * cbc_encrypt does) and absorb into the live hash state st the
	 * plaintext (hash_output == 0: MAC-then-encrypt, RFC 3962) or the
	 * ciphertext (hash_output != 0: encrypt-then-MAC, RFC 8009).  On
	 * failure (nonzero) data, iv and st hold unspecified values: the
	 * caller abandons the computation. */
	int (*encrypt)(const void *ks, uint8_t *iv, void *st, uint8_t *data, size_t nunits, int hash_output);
	/* CBC-decrypt likewise, absorbing the ciphertext (hash_output == 0:
	 * RFC 8009) or the plaintext (hash_output != 0: RFC 3962). */
	int (*decrypt)(const void *ks, uint8_t *iv, void *st, uint8_t *data, size_t nunits, int hash_output);
};

/* ---- a backend: one pointer per primitive, NULL = unavailable ------------- */
typedef struct kgss_crypto_backend {
	uint32_t abi_version; /* KGSS_CRYPTO_ABI_VERSION */
	const char *name;     /* "builtin", "openssl", ... */
	const kgss_block_cipher_class *aes128;
	const kgss_block_cipher_class *aes256;
	const kgss_block_cipher_class *camellia128;
	const kgss_block_cipher_class *camellia256;
	const kgss_block_cipher_class *des3;
	const kgss_stream_cipher_class *rc4;
	const kgss_hash_class *md5;
	const kgss_hash_class *sha1;
	const kgss_hash_class *sha256;
	const kgss_hash_class *sha384;
	/* Optional engines (appended: initializers that stop before them leave
	 * them NULL, and NULL = absent: the library keeps the two-pass path).
	 * Stitched AES-CBC with SHA-1 (RFC 3962), SHA-256 / SHA-384 (RFC 8009). */
	const kgss_cbc_hash_class *cbc_sha1;
	const kgss_cbc_hash_class *cbc_sha256;
	const kgss_cbc_hash_class *cbc_sha384;
} kgss_crypto_backend;

/* The builtin backend (portable C++, part of libkgss).  Picks AES-NI / SHA-NI
 * code, and AVX2 + BMI2 code for SHA-384, at run time when the CPU has it,
 * and the stitched AES-NI + SHA-NI engines (cbc_sha1, cbc_sha256) when it has
 * both;
 * the result is a pointer to one of the const backends below, so nothing
 * global is written. */
const kgss_crypto_backend *kgss_crypto_builtin(void);
/* The builtin backend restricted to portable constant-time code (no CPU
 * extensions); used by tests and by callers that want reproducible code paths. */
const kgss_crypto_backend *kgss_crypto_builtin_portable(void);
/* The OpenSSL 3 backend: defined in libkgss_openssl only. */
const kgss_crypto_backend *kgss_crypto_openssl(void);

/* ---- randomness: kgss_prng.h (included above) ------------------------------ */

#ifdef __cplusplus
}
#endif
#endif /* KGSS_CRYPTO_H */
