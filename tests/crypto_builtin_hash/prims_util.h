// tests/crypto_builtin_hash/prims_util.h - helpers shared by the builtin
// primitive tests: running a hash class over a message, and an aligned buffer
// big enough for any class state.
#ifndef KGSS_TESTS_PRIMS_UTIL_H
#define KGSS_TESTS_PRIMS_UTIL_H

#include <string>

#include "crypto/builtin/builtin.h"
#include "testutil.h"

namespace pt {

// Class state storage with the alignment and size the library guarantees.
struct alignas(KGSS_STATE_ALIGN) state_buf {
	uint8_t b[KGSS_CIPHER_STATE_MAX > KGSS_STREAM_STATE_MAX ? KGSS_CIPHER_STATE_MAX : KGSS_STREAM_STATE_MAX];
};

// One-shot digest of data[0..len).
kt::bytes digest(const kgss_hash_class *h, const void *data, size_t len);
inline kt::bytes digest(const kgss_hash_class *h, const std::string &s) { return digest(h, s.data(), s.size()); }
// Digest of 'count' repetitions of 'chunk', fed as one update per chunk.
kt::bytes digest_repeat(const kgss_hash_class *h, const std::string &chunk, size_t count);
// Digest fed in pieces: update(data[0..a)), update(data[a..b)), update(data[b..len)).
kt::bytes digest_split(const kgss_hash_class *h, const uint8_t *data, size_t len, size_t a, size_t b);
// The OpenSSL EVP digest of the same name (md5, sha1, sha256, sha384).
kt::bytes openssl_digest(const char *name, const uint8_t *data, size_t len);

} // namespace pt

#endif
