// crypto/enctypes/profile.h - what the profile files share, and the
// operations each profile file exports to the enctype table (table.cc).
#ifndef KGSS_CRYPTO_ENCTYPES_PROFILE_H
#define KGSS_CRYPTO_ENCTYPES_PROFILE_H

#include "crypto/cts.h"
#include "crypto/enctype.h"
#include "crypto/mac.h"

namespace kgss {

// ---- shared building blocks (profile.cc) -------------------------------------

// mac_key of kind HMAC / CMAC (k is wiped first; cleared again on failure).
kgss_status mac_key_init_hmac(mac_key *k, const kgss_hash_class *h, const uint8_t *key, size_t len, uint32_t usage);
kgss_status mac_key_init_cmac(mac_key *k, const kgss_block_cipher_class *c, const uint8_t *key, size_t len,
			      uint32_t usage);

// The backend's stitched CBC + hash engine for cipher class c with an HMAC
// over hash class h (kgss_crypto.h), or NULL: profiles store it in
// enc_key::ke.stitch so that the sweep (crypto/cts.h) can use it.
const kgss_cbc_hash_class *backend_stitch(const kgss_crypto_backend *be, const kgss_block_cipher_class *c,
					  const kgss_hash_class *h);

// The 5-byte derivation constant usage_be32 | kind (RFC 3961 §5.3).
void derive_constant(uint8_t out[5], uint32_t usage, derive_kind kind);

// Ends m and writes the first len bytes of the MAC to out (len <= the
// full MAC size; the full MAC is wiped).
kgss_status mac_end_truncated(mac_run *m, uint8_t *out, size_t len);
// Ends m and compares the first len bytes of the MAC with tag in constant
// time: COMPLETE or KGSS_S_BAD_SIG (or the MAC's own failure).
kgss_status mac_end_verify(mac_run *m, const uint8_t *tag, size_t len);

// MAC-then-encrypt (RFC 3961 §5.3 simplified profile, RFC 6803 §4):
// H = MAC(Ki, conf | data) over every segment (plaintext), truncated to
// tag_len; the encrypted segments enciphered with Ke in `mode`.  One sweep.
kgss_status mte_encrypt(const enc_key *k, const seglist &segs, uint8_t *tag, seg_cipher_mode mode, size_t conf_len,
			size_t tag_len);
// Decrypt and MAC in one sweep; a wrong tag zeroes every encrypted segment.
kgss_status mte_decrypt(const enc_key *k, const seglist &segs, const uint8_t *tag, seg_cipher_mode mode,
			size_t conf_len, size_t tag_len);

// Encrypt-then-MAC (RFC 8009 §5): C = CTS(Ke, conf | data), H = MAC(Ki,
// 0^16 | C) truncated.  Decryption verifies first and deciphers only then;
// with a stitched engine (ke.stitch) it deciphers while it MACs the
// ciphertext, in one sweep, and zeroes the encrypted segments when H does not
// match (no plaintext is released before the compare either way).
kgss_status etm_encrypt(const enc_key *k, const seglist &segs, uint8_t *tag, size_t conf_len, size_t tag_len);
kgss_status etm_decrypt(const enc_key *k, const seglist &segs, const uint8_t *tag, size_t conf_len, size_t tag_len);

// Keyed checksum = MAC(Kc, all segments) truncated to len; verify compares
// in constant time.
kgss_status mac_checksum(const mac_key *k, const seglist &segs, uint8_t *out, size_t len);
kgss_status mac_verify(const mac_key *k, const seglist &segs, const uint8_t *cksum, size_t len);

// ---- per-profile operations for the table -------------------------------------------
#define KGSS_PROFILE_OPS(p)                                                                                        \
	kgss_status p##_derive_enc(const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage, enc_key *out);  \
	kgss_status p##_derive_cksum(const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage, mac_key *out); \
	kgss_status p##_derive_raw(const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage, derive_kind kind, \
				   uint8_t *out, size_t *out_len);                                                  \
	kgss_status p##_encrypt(const enc_key *k, const seglist &segs, uint8_t *tag);                               \
	kgss_status p##_decrypt(const enc_key *k, const seglist &segs, const uint8_t *tag);                         \
	kgss_status p##_make_checksum(const mac_key *k, const seglist &segs, uint8_t *out);                         \
	kgss_status p##_verify_checksum(const mac_key *k, const seglist &segs, const uint8_t *cksum);

KGSS_PROFILE_OPS(des3)            // simplified.cc: 16
KGSS_PROFILE_OPS(aes128_sha1)     // simplified.cc: 17
KGSS_PROFILE_OPS(aes256_sha1)     // simplified.cc: 18
KGSS_PROFILE_OPS(aes128_sha256)   // aes_sha2.cc: 19
KGSS_PROFILE_OPS(aes256_sha384)   // aes_sha2.cc: 20
KGSS_PROFILE_OPS(rc4)             // rc4_hmac.cc: 23 (derive_raw unused: NULL in the table)
KGSS_PROFILE_OPS(rc4exp)          // rc4_hmac.cc: 24
KGSS_PROFILE_OPS(camellia128)     // camellia.cc: 25
KGSS_PROFILE_OPS(camellia256)     // camellia.cc: 26

#undef KGSS_PROFILE_OPS

} // namespace kgss

#endif
