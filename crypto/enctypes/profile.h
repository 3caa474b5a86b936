// crypto/enctypes/profile.h - what the family files share, and the family
// vtables they define for the enctype table (table.cc).
#ifndef KGSS_CRYPTO_ENCTYPES_PROFILE_H
#define KGSS_CRYPTO_ENCTYPES_PROFILE_H

#include "crypto/enctype.h"
#include "crypto/mac.h"
#include "crypto/sweep.h"

namespace kgss {

// ---- the families (one file each; defined only when compiled in) ------------
extern const enctype_ops des3_ops;     // simplified.cc: RFC 3961 §6.3 (16)
extern const enctype_ops aes_sha1_ops; // simplified.cc: RFC 3962 (17, 18)
extern const enctype_ops aes_sha2_ops; // aes_sha2.cc: RFC 8009 (19, 20)
extern const enctype_ops rc4_hmac_ops; // rc4_hmac.cc: RFC 4757 (23, 24)
extern const enctype_ops camellia_ops; // camellia.cc: RFC 6803 (25, 26)

// ---- the RFC 1964 token algorithms (rfc1964_algs.cc; defined only when compiled in)
extern const rfc1964_alg des3_rfc1964; // SGN_ALG 04 00, SEAL_ALG 02 00 (16)
extern const rfc1964_alg rc4_rfc1964;  // SGN_ALG 11 00, SEAL_ALG 10 00: RFC 4757 §7 (23, 24)

// ---- shared building blocks (profile.cc) -------------------------------------

// mac_key of kind HMAC / CMAC (k is wiped first; cleared again on failure).
kgss_status mac_key_init_hmac(mac_key *k, const kgss_hash_class *h, const uint8_t *key, size_t len, uint32_t usage);
kgss_status mac_key_init_cmac(mac_key *k, const kgss_block_cipher_class *c, const uint8_t *key, size_t len,
			      uint32_t usage);

// The backend's stitched CBC + hash engine for cipher class c with an HMAC
// over hash class h (kgss_crypto.h), or NULL: profiles store it in
// enc_key::ke.stitch so that the sweep (crypto/sweep.h) can use it.
const kgss_cbc_hash_class *backend_stitch(const kgss_crypto_backend *be, const kgss_block_cipher_class *c,
					  const kgss_hash_class *h);

// The 5-byte derivation constant usage_be32 | kind (RFC 3961 §5.3).
constexpr size_t DERIVE_CONSTANT_LEN = 5;
void derive_constant(uint8_t out[DERIVE_CONSTANT_LEN], uint32_t usage, derive_kind kind);

// ---- key derivation shared by the families with a KDF (profile.cc) -----------
// RFC 3961 §5.3 DK (simplified.cc), RFC 8009 §5 KDF-HMAC-SHA2 (aes_sha2.cc)
// and RFC 6803 §3 KDF-FEEDBACK-CMAC (camellia.cc) differ only in the KDF and
// in a few choices, which a family states in its kdf_ops (enctype_ops::kdf).
// kdf_derive_enc / kdf_derive_cksum / kdf_derive_raw, the family's
// derive_enc / derive_cksum / derive_raw, run the KDF once per key (Ke, Ki /
// Kc, with the constant usage | kind) and key Ke, Ki and Kc from its output.

// The protocol key a KDF derives from.
struct kdf_base {
	const uint8_t *key;                 // et->key_bytes
	const kgss_block_cipher_class *cls; // et->cipher's class (derive_raw: may be NULL)
	const kgss_hash_class *h;           // et->hash's class (NULL for a CMAC profile)
	cmac_key *sched; // zeroed storage the caller lends for the key's schedule, if the KDF keys a cipher with it;
			 // cleared by the caller after the last derivation
};

struct kdf_ops {
	// Readies b for derivations (schedules b->key into b->sched where the
	// KDF needs it); KGSS_S_UNAVAILABLE when a class it needs is missing.
	kgss_status (*open)(const enctype *et, kdf_base *b);
	// One derived key: the first len bytes of KDF(base, constant) (with
	// random-to-key where the profile has one).
	kgss_status (*derive)(const enctype *et, const kdf_base *b, const uint8_t constant[DERIVE_CONSTANT_LEN],
			      uint8_t *out, size_t len);
	mac_kind mac;            // Ki and Kc: MAC_HMAC over et->hash or MAC_CMAC over et->cipher
	bool mac_keys_cksum_len; // Ki and Kc are et->cksum_len long (RFC 8009), else et->key_bytes
	bool stitch;             // Ke gets the backend's stitched CBC + HMAC engine when it has one
};

// Length of the key of `kind` under et's KDF.
size_t derived_key_len(const enctype *et, derive_kind kind);
kgss_status kdf_derive_enc(const enctype *et, const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
			   enc_key *out);
kgss_status kdf_derive_cksum(const enctype *et, const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
			     mac_key *out);
kgss_status kdf_derive_raw(const enctype *et, const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
			   derive_kind kind, uint8_t *out, size_t *out_len);

// Ends m and writes the first len bytes of the MAC to out (len <= the
// full MAC size; the full MAC is wiped).
kgss_status mac_end_truncated(mac_run *m, uint8_t *out, size_t len);
// Ends m and compares the first len bytes of the MAC with tag in constant
// time: COMPLETE or KGSS_S_BAD_SIG (or the MAC's own failure).
kgss_status mac_end_verify(mac_run *m, const uint8_t *tag, size_t len);

// MAC-then-encrypt (RFC 3961 §5.3 simplified profile, RFC 6803 §4):
// H = MAC(Ki, conf | data) over every segment (plaintext), truncated to
// et->cksum_len; the encrypted segments (at least et->conf_len bytes)
// enciphered with Ke in `mode`.  One sweep.
kgss_status mte_encrypt(const enctype *et, const enc_key *k, const seglist &segs, uint8_t *tag, seg_cipher_mode mode);
// Decrypt and MAC in one sweep; a wrong tag zeroes every encrypted segment.
kgss_status mte_decrypt(const enctype *et, const enc_key *k, const seglist &segs, const uint8_t *tag,
			seg_cipher_mode mode);
// The same with CBC-CTS (RFC 3962 §5, RFC 6803 §4): the encrypt / decrypt
// operations of the AES-SHA1 and Camellia families.
kgss_status mte_cts_encrypt(const enctype *et, const enc_key *k, const seglist &segs, uint8_t *tag);
kgss_status mte_cts_decrypt(const enctype *et, const enc_key *k, const seglist &segs, const uint8_t *tag);

// Encrypt-then-MAC (RFC 8009 §5): C = CTS(Ke, conf | data), H = MAC(Ki,
// 0^16 | C) truncated to et->cksum_len.  Decryption verifies first and
// deciphers only then; with a stitched engine (ke.stitch) it deciphers while
// it MACs the ciphertext, in one sweep, and zeroes the encrypted segments
// when H does not match (no plaintext is released before the compare either
// way).  The AES-SHA2 family's encrypt / decrypt.
kgss_status etm_encrypt(const enctype *et, const enc_key *k, const seglist &segs, uint8_t *tag);
kgss_status etm_decrypt(const enctype *et, const enc_key *k, const seglist &segs, const uint8_t *tag);

// Keyed checksum = MAC(Kc, all segments) truncated to et->cksum_len; verify
// compares in constant time.  The make_checksum / verify_checksum of every
// family but RC4.
kgss_status mac_checksum(const enctype *et, const mac_key *k, const seglist &segs, uint8_t *out);
kgss_status mac_verify(const enctype *et, const mac_key *k, const seglist &segs, const uint8_t *cksum);

// The enctype_ops of a family with a KDF: keys from the shared kdf_derive_*
// running k, checksums mac_checksum / mac_verify, its own encrypt / decrypt.
// A constant expression: define the vtable `constinit` with it.
constexpr enctype_ops kdf_family_ops(enctype_family family, const kdf_ops *k, decltype(enctype_ops::encrypt) encrypt,
				     decltype(enctype_ops::decrypt) decrypt)
{
	return enctype_ops{
		.family = family,
		.derive_enc = kdf_derive_enc,
		.derive_cksum = kdf_derive_cksum,
		.derive_raw = kdf_derive_raw,
		.kdf = k,
		.encrypt = encrypt,
		.decrypt = decrypt,
		.make_checksum = mac_checksum,
		.verify_checksum = mac_verify,
	};
}

} // namespace kgss

#endif
