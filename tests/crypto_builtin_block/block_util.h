// tests/crypto_builtin_block/block_util.h - shared checks for the builtin
// block-cipher classes (AES ct / AES-NI / Camellia): known answers, the
// state contract, and differential runs against OpenSSL EVP (the test's
// independent reference; libkgss itself never links OpenSSL).
#ifndef KGSS_TEST_BLOCK_UTIL_H
#define KGSS_TEST_BLOCK_UTIL_H

#include "kgss_crypto.h"
#include "testutil.h"

namespace kbt {

// Key-schedule storage as the library provides it: KGSS_CIPHER_STATE_MAX
// bytes aligned to KGSS_STATE_ALIGN; clear() is called on destruction.
struct schedule {
	explicit schedule(const kgss_block_cipher_class *c) : cls(c) {}
	~schedule() { cls->clear(mem); }
	schedule(const schedule &) = delete;
	schedule &operator=(const schedule &) = delete;
	const kgss_block_cipher_class *cls;
	alignas(KGSS_STATE_ALIGN) uint8_t mem[KGSS_CIPHER_STATE_MAX];
};

// OpenSSL EVP reference, no padding: evp_name like "AES-128-CBC".
kt::bytes ossl(const char *evp_name, const kt::bytes &key, const kt::bytes &iv, const kt::bytes &in, bool enc);

// ECB known answer, one block (hex strings), both directions.
void check_kat_ecb(const kgss_block_cipher_class *c, const char *key, const char *pt, const char *ct);
// CBC known answer over several blocks: one-shot and chained calls in both
// directions, iv updates, and cbc_mac (= last CBC ciphertext block).
void check_kat_cbc(const kgss_block_cipher_class *c, const char *key, const char *iv, const char *pt,
		   const char *ct);
// Sizes, wrong key lengths, clear() zeroing, nblocks == 0.
void check_state_contract(const kgss_block_cipher_class *c, size_t key_size);
// Random keys, 0..64 blocks at an unaligned address, ECB/CBC both ways,
// cbc_mac, chained calls with random splits: c must equal OpenSSL.
void check_vs_openssl(const kgss_block_cipher_class *c, const char *evp_ecb, const char *evp_cbc, uint64_t seed,
		      int rounds);
// a and b implement the same cipher (e.g. aes128-ct and aes128-ni): their
// outputs agree and each decrypts the other's ciphertext.
void check_same_cipher(const kgss_block_cipher_class *a, const kgss_block_cipher_class *b, uint64_t seed,
		       int rounds);

} // namespace kbt

#endif
