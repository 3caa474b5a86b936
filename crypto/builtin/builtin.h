// crypto/builtin/builtin.h - the builtin backend's primitive classes.
// One implementation per file in this folder; each is an extern const
// instance of a class from kgss_crypto.h.  backend.cc assembles them.
#ifndef KGSS_CRYPTO_BUILTIN_H
#define KGSS_CRYPTO_BUILTIN_H

#include "kgss_crypto.h"

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
}

namespace kgss {
// Run-time CPU feature detection (cpuid; no state is cached).
bool cpu_has_aesni();
bool cpu_has_shani();
bool cpu_has_avx2_bmi2();
} // namespace kgss

#endif
