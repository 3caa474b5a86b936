// crypto/prng/chacha.h - the ChaCha20 block function (RFC 8439 section 2.3)
// behind the builtin PRNG (chacha_prng.cc).  Internal; exposed for tests.
#ifndef KGSS_CRYPTO_PRNG_CHACHA_H
#define KGSS_CRYPTO_PRNG_CHACHA_H

#include <stddef.h>
#include <stdint.h>

namespace kgss {

// RFC 8439 section 2.3: 20 rounds over the 16-word input state 'in'
// (constants, key, counter, nonce), plus the input, serialised little-endian.
void chacha20_core(const uint32_t in[16], uint8_t out[64]);

// The PRNG's layout: key words 4..11, a 64-bit block counter in words 12
// (low) and 13 (high), zero nonce in words 14..15.
void chacha20_block(const uint32_t key[8], uint64_t counter, uint8_t out[64]);

// The RFC 8439 layout: 32-bit block counter in word 12, 96-bit nonce in
// words 13..15 (for the RFC's known-answer tests).
void chacha20_block_ietf(const uint32_t key[8], uint32_t counter, const uint8_t nonce[12], uint8_t out[64]);

} // namespace kgss

#endif
