// crypto/enctypes/aes_sha2.cc - RFC 8009: aes128-cts-hmac-sha256-128 (19)
// and aes256-cts-hmac-sha384-192 (20).
//   Keys (RFC 8009 §5), HMAC and KDF over et->hash (SHA-256 / SHA-384):
//   Kc = KDF-HMAC-SHA2(base, usage | 0x99, 128 / 192),
//   Ke = KDF-HMAC-SHA2(base, usage | 0xAA, 128 / 256),
//   Ki = KDF-HMAC-SHA2(base, usage | 0x55, 128 / 192):
//   Ke is et->key_bytes long, Kc and Ki et->cksum_len (RFC 8009 uses one k
//   for the Kc / Ki length and the truncation).
//   encrypt: C = AES-CTS(Ke, IV 0, conf(16) | data),
//            H = HMAC-SHA-256/384(Ki, IV | C) truncated to 16 / 24 bytes
//            (encrypt-then-MAC: decryption verifies H before deciphering).
//   checksum: HMAC-SHA-256/384(Kc, data) truncated to 16 / 24 bytes.
#include "crypto/enctypes/profile.h"
#include "crypto/kdf.h"

#if KGSS_WITH_AES_SHA2

namespace kgss {

namespace {

// RFC 8009 §3: the KDF's PRF is HMAC under the raw base key.
kgss_status hmac_open(const enctype *et, kdf_base *b) { return b->h ? KGSS_S_COMPLETE : KGSS_S_UNAVAILABLE; }

kgss_status kdf_hmac(const enctype *et, const kdf_base *b, const uint8_t constant[DERIVE_CONSTANT_LEN], uint8_t *out,
		     size_t len)
{
	return kdf_hmac_sha2(b->h, b->key, et->key_bytes, constant, DERIVE_CONSTANT_LEN, out, len);
}

const kdf_ops aes_sha2_kdf = {.open = hmac_open,
			      .derive = kdf_hmac,
			      .mac = MAC_HMAC,
			      .mac_keys_cksum_len = true,
			      .stitch = true}; // RFC 8009: CBC-CTS + HMAC-SHA2 in one sweep

} // namespace

constinit const enctype_ops aes_sha2_ops = kdf_family_ops(FAMILY_AES_SHA2, &aes_sha2_kdf, etm_encrypt, etm_decrypt);

} // namespace kgss

#endif
