// tests/crypto_builtin_hash/prims_util.h - helpers shared by the builtin
// primitive tests: an aligned buffer big enough for any class state, and the
// OpenSSL digest as a reference.
#ifndef KGSS_TESTS_PRIMS_UTIL_H
#define KGSS_TESTS_PRIMS_UTIL_H

#include "crypto/builtin/builtin.h"
#include "testutil.h"

namespace pt {

// Class state storage with the alignment and size the library guarantees.
struct alignas(KGSS_STATE_ALIGN) state_buf {
	uint8_t b[KGSS_CIPHER_STATE_MAX > KGSS_STREAM_STATE_MAX ? KGSS_CIPHER_STATE_MAX : KGSS_STREAM_STATE_MAX];
};

// The OpenSSL EVP digest of the same name (md5, sha1, sha256, sha384).
kt::bytes openssl_digest(const char *name, const uint8_t *data, size_t len);

} // namespace pt

#endif
