// crypto/openssl/ossl.h - internals shared by the OpenSSL 3 backend's files.
//
// The backend never touches OpenSSL's global (default) library context: it
// creates its own OSSL_LIB_CTX once, lazily and thread-safely (a C++
// function-local static; this library is built with thread-safe statics),
// loads the "default" and "legacy" providers into it and fetches every
// algorithm it uses exactly once.  Everything fetched lives until process
// exit (the context is deliberately never freed: other threads may still be
// using it while static destructors run).
#ifndef KGSS_CRYPTO_OPENSSL_OSSL_H
#define KGSS_CRYPTO_OPENSSL_OSSL_H

#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>

#include "kgss_crypto.h"

namespace kgss {
namespace ossl {

// Block ciphers the backend offers, as indexes into env::ecb / env::cbc.
enum block_kind : uint32_t { K_AES128, K_AES256, K_CAM128, K_CAM256, K_DES3, K_NBLOCK };
// Hashes, as indexes into env::md.
enum hash_kind : uint32_t { H_MD5, H_SHA1, H_SHA256, H_SHA384, H_NHASH };

struct env {
	OSSL_LIB_CTX *lib;         // NULL: OpenSSL could not be set up at all
	EVP_CIPHER *ecb[K_NBLOCK]; // NULL entries are unavailable
	EVP_CIPHER *cbc[K_NBLOCK];
	EVP_CIPHER *rc4; // NULL when the legacy provider is missing
	EVP_MD *md[H_NHASH];
	bool legacy_loaded;
};

// The backend's environment, built at the first call (never NULL).
const env &get_env();

// Class instances (defined in block.cc, hash.cc, rc4.cc).
extern const kgss_block_cipher_class block_classes[K_NBLOCK];
extern const kgss_hash_class hash_classes[H_NHASH];
extern const kgss_stream_cipher_class rc4_class;

} // namespace ossl
} // namespace kgss

#endif
