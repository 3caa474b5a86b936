// crypto/builtin/builtin.h - the builtin backend's primitive classes.
// One implementation per file in this folder; each is an extern const
// instance of a class from kgss_crypto.h.  backend.cc assembles them.
#ifndef KGSS_CRYPTO_BUILTIN_H
#define KGSS_CRYPTO_BUILTIN_H

#include "kgss_crypto.h"

// The classes are the core's own objects (kgss_crypto_builtin() is the
// public way to them): hidden, so code that names one (stitch_sha384.cc)
// reaches it PC-relative, never through a GOT (scripts/check-core-symbols.sh).
#pragma GCC visibility push(hidden)
extern "C" {
// AES: constant-time portable (bitsliced) and AES-NI (use only when cpu_has_aesni()).
extern const kgss_block_cipher_class kgss_builtin_aes128_ct;
extern const kgss_block_cipher_class kgss_builtin_aes256_ct;
extern const kgss_block_cipher_class kgss_builtin_aes128_ni;
extern const kgss_block_cipher_class kgss_builtin_aes256_ni;
extern const kgss_block_cipher_class kgss_builtin_camellia128;
extern const kgss_block_cipher_class kgss_builtin_camellia256;
extern const kgss_block_cipher_class kgss_builtin_des3;
extern const kgss_stream_cipher_class kgss_builtin_rc4;
extern const kgss_hash_class kgss_builtin_md5;
extern const kgss_hash_class kgss_builtin_sha1;
extern const kgss_hash_class kgss_builtin_sha256;
extern const kgss_hash_class kgss_builtin_sha384;
// SHA extensions (use only when cpu_has_shani()).
extern const kgss_hash_class kgss_builtin_sha1_ni;
extern const kgss_hash_class kgss_builtin_sha256_ni;
// SHA-384 with AVX2 and BMI2 (use only when cpu_has_avx2_bmi2()).
extern const kgss_hash_class kgss_builtin_sha384_avx2;
#if (KGSS_WITH_AES_SHA1 || KGSS_WITH_AES_SHA2) && (defined(__x86_64__) || defined(__i386__))
#define KGSS_BUILTIN_HAVE_STITCH 1
// Stitched AES-NI CBC + SHA-NI engines over the _ni classes above (use only
// when cpu_has_aesni() and cpu_has_shani()); stitch.cc.
extern const kgss_cbc_hash_class kgss_builtin_cbc_sha1_ni;
extern const kgss_cbc_hash_class kgss_builtin_cbc_sha256_ni;
// Stitched AES-NI CBC + SHA-384 (scalar, BMI2) over the AES-NI classes and
// kgss_builtin_sha384_avx2's state (use only when cpu_has_aesni() and
// cpu_has_avx2_bmi2()); stitch_sha384.cc.
extern const kgss_cbc_hash_class kgss_builtin_cbc_sha384_avx2;
// The same three with their decryption on 512-bit VAES registers
// (stitch_vaes.cc, stitch_sha384_vaes.cc; use only when cpu_has_vaes512()
// too).  Their encryption is the classes' above.
extern const kgss_cbc_hash_class kgss_builtin_cbc_sha1_vaes;
extern const kgss_cbc_hash_class kgss_builtin_cbc_sha256_vaes;
extern const kgss_cbc_hash_class kgss_builtin_cbc_sha384_vaes;
#else
#define KGSS_BUILTIN_HAVE_STITCH 0
#endif
}
#pragma GCC visibility pop

namespace kgss {
// Run-time CPU feature detection (cpuid; no state is cached).
bool cpu_has_aesni();
bool cpu_has_shani();
bool cpu_has_avx2_bmi2();
bool cpu_has_vaes512(); // AVX-512F and VAES, with the OS saving the 512-bit registers
#if KGSS_BUILTIN_HAVE_STITCH
// The stitched encryptions (stitch.cc, stitch_sha384.cc: kgss_cbc_hash_class
// encrypt), one per hash, shared by the AES-NI and the VAES classes.
int stitch_sha1_encrypt(const void *ks, uint8_t *iv, void *st, uint8_t *data, size_t nunits, int hash_output)
	__attribute__((visibility("hidden")));
int stitch_sha256_encrypt(const void *ks, uint8_t *iv, void *st, uint8_t *data, size_t nunits, int hash_output)
	__attribute__((visibility("hidden")));
int stitch_sha384_encrypt(const void *ks, uint8_t *iv, void *st, uint8_t *data, size_t nunits, int hash_output)
	__attribute__((visibility("hidden")));
#endif
// The SHA-256 round constants (FIPS 180-4 section 4.2.2; sha2.cc), 16-byte
// aligned.  Hidden: read PC-relative, never through a GOT.
extern const uint32_t sha256_k[64] __attribute__((visibility("hidden")));
} // namespace kgss

#endif
