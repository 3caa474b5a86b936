// crypto/keys.h - key objects.  Every per-message key is derived and
// scheduled once, at import, into memory the caller provides (sizes are
// compile-time constants); per-message code only reads them.  All key
// objects are plain data: zero-filled memory is a valid empty key.  Releasing a key
// object (key_clear functions) wipes all of it.
#ifndef KGSS_CRYPTO_KEYS_H
#define KGSS_CRYPTO_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "kgss.h"

namespace kgss {

// A scheduled block-cipher key: the backend class and its key schedule.
// `stitch` (optional) is the backend's stitched CBC + hash engine for this
// schedule and the Ki hash of the enc_key it belongs to: the profile sets it
// at derivation when the backend has one (NULL: the two-pass path).  It sits
// in what would be padding before the aligned schedule.
struct cipher_key {
	const kgss_block_cipher_class *cls;                          // NULL when unset
	const kgss_cbc_hash_class *stitch;                           // NULL: none
	alignas(KGSS_STATE_ALIGN) uint8_t ks[KGSS_CIPHER_STATE_MAX]; // secret
};
static_assert(sizeof(cipher_key) == KGSS_STATE_ALIGN + KGSS_CIPHER_STATE_MAX, "cipher_key grew");

// HMAC key: the hash states after absorbing (K ^ ipad) and (K ^ opad),
// so each message costs two copy() calls instead of two extra blocks (one copy()
// with the backend's fused hmac_finish, which reads the outer state in place).
struct hmac_key {
	const kgss_hash_class *h;                                     // NULL when unset
	alignas(KGSS_STATE_ALIGN) uint8_t inner[KGSS_HASH_STATE_MAX]; // secret
	alignas(KGSS_STATE_ALIGN) uint8_t outer[KGSS_HASH_STATE_MAX]; // secret
};

// CMAC key (RFC 4493): the cipher schedule and subkeys K1, K2.
struct cmac_key {
	cipher_key c;
	uint8_t k1[16]; // secret
	uint8_t k2[16]; // secret
};

enum mac_kind : uint8_t { MAC_NONE = 0, MAC_HMAC = 1, MAC_CMAC = 2 };

// A keyed MAC as an enctype uses it for Ki or Kc.  `usage` is kept for the
// profiles whose checksum input includes it (RFC 4757).
struct mac_key {
	mac_kind kind;
	uint32_t usage;
	union {
		hmac_key hmac;
		cmac_key cmac;
	};
};

// Keys for RFC 3961 encryption under one usage: Ke (cipher) and Ki (MAC).
// For RC4-HMAC (RFC 4757) there is no block cipher: ke.cls is NULL and
// ke.ks holds the stream class pointer and K1 (masked with 0xAB for the
// -exp type 24), from which each message's K3 is derived; ki holds HMAC-MD5
// keyed by the unmasked K1 (see crypto/enctypes/rc4_hmac.cc).
struct enc_key {
	cipher_key ke;
	mac_key ki;
};

} // namespace kgss

#endif
