// crypto/kdf.h - key derivation over backend classes:
//   RFC 3961 §5.1 DR/DK (iterated block cipher over an n-folded constant),
//   RFC 3961 §6.3.1 DES3 random-to-key (parity),
//   RFC 8009 §3 KDF-HMAC-SHA2 (SP 800-108 counter mode, one iteration),
//   RFC 6803 §3 KDF-FEEDBACK-CMAC (SP 800-108 feedback mode, K(0) = 0^128),
// and a stack-light one-shot HMAC over a raw key.
#ifndef KGSS_CRYPTO_KDF_H
#define KGSS_CRYPTO_KDF_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/keys.h"

namespace kgss {

struct span {
	const uint8_t *p;
	size_t n;
};

// HMAC(key, parts[0] | parts[1] | ...) with h, written to out
// (h->digest_size bytes).  One hash state on the stack (no hmac_key).
kgss_status hmac_raw(const kgss_hash_class *h, const uint8_t *key, size_t key_len, const span *parts, size_t nparts,
		     uint8_t *out);

// RFC 3961 §5.1 DR(base, constant): the first out_len bytes of
// E(n-fold(constant)), E(E(...)), ... (ECB = CBC with zero IV, one block).
// out_len <= 32.
kgss_status dr(const cipher_key *base, const uint8_t *constant, size_t clen, uint8_t *out, size_t out_len);

// RFC 3961 §6.3.1 random-to-key for DES3: 21 bytes -> 24 bytes, each 7-byte
// group becomes 8 bytes with odd parity in every low bit.
void des3_random_to_key(const uint8_t in[21], uint8_t out[24]);

// RFC 8009 §3 KDF-HMAC-SHA2(key, label, context = empty, k = out_len * 8):
// HMAC(key, 00000001 | label | 00 | k_be32) truncated to out_len bytes.
kgss_status kdf_hmac_sha2(const kgss_hash_class *h, const uint8_t *key, size_t key_len, const uint8_t *label,
			  size_t label_len, uint8_t *out, size_t out_len);

// RFC 6803 §3 KDF-FEEDBACK-CMAC(base, label, k = out_len * 8), empty
// context: K(i) = CMAC(base, K(i-1) | i_be32 | label | 00 | k_be32), K(0) =
// 0^128; output = K(1) | K(2) ... truncated.  out_len <= 32.
kgss_status kdf_feedback_cmac(const cmac_key *base, const uint8_t *label, size_t label_len, uint8_t *out,
			      size_t out_len);

} // namespace kgss

#endif
