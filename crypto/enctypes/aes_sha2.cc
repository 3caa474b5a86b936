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
#include "crypto/util.h"

#if KGSS_WITH_AES_SHA2

namespace kgss {

namespace {

size_t derived_len(const enctype *et, derive_kind kind) { return kind == DERIVE_KE ? et->key_bytes : et->cksum_len; }

kgss_status kdf(const enctype *et, const kgss_hash_class *h, const uint8_t *key, uint32_t usage, derive_kind kind,
		uint8_t *out)
{
	uint8_t label[5];
	derive_constant(label, usage, kind);
	return kdf_hmac_sha2(h, key, et->key_bytes, label, sizeof(label), out, derived_len(et, kind));
}

kgss_status derive_enc(const enctype *et, const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
		       enc_key *out)
{
	wipe(out, sizeof(*out));
	const kgss_block_cipher_class *cls = backend_cipher(be, et->cipher);
	const kgss_hash_class *h = backend_hash(be, et->hash);
	if (!cls || !h)
		return KGSS_S_UNAVAILABLE;
	uint8_t ke[ENCTYPE_KEY_MAX];   // secret: wiped before return
	uint8_t ki[ENCTYPE_CKSUM_MAX]; // secret: wiped before return
	kgss_status st = kdf(et, h, key, usage, DERIVE_KE, ke);
	if (st == KGSS_S_COMPLETE)
		st = kdf(et, h, key, usage, DERIVE_KI, ki);
	if (st == KGSS_S_COMPLETE)
		st = cipher_key_init(&out->ke, cls, ke, et->key_bytes);
	if (st == KGSS_S_COMPLETE)
		st = mac_key_init_hmac(&out->ki, h, ki, et->cksum_len, usage);
	if (st == KGSS_S_COMPLETE)
		out->ke.stitch = backend_stitch(be, cls, h); // RFC 8009: CBC-CTS + HMAC-SHA2 in one sweep
	if (st != KGSS_S_COMPLETE)
		enc_key_clear(out);
	wipe(ke, sizeof(ke));
	wipe(ki, sizeof(ki));
	return st;
}

kgss_status derive_cksum(const enctype *et, const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
			 mac_key *out)
{
	wipe(out, sizeof(*out));
	const kgss_hash_class *h = backend_hash(be, et->hash);
	if (!h || !backend_cipher(be, et->cipher))
		return KGSS_S_UNAVAILABLE;
	uint8_t kc[ENCTYPE_CKSUM_MAX]; // secret: wiped before return
	kgss_status st = kdf(et, h, key, usage, DERIVE_KC, kc);
	if (st == KGSS_S_COMPLETE)
		st = mac_key_init_hmac(out, h, kc, et->cksum_len, usage);
	wipe(kc, sizeof(kc));
	return st;
}

kgss_status derive_raw(const enctype *et, const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
		       derive_kind kind, uint8_t *out, size_t *out_len)
{
	const kgss_hash_class *h = backend_hash(be, et->hash);
	*out_len = 0;
	if (!h)
		return KGSS_S_UNAVAILABLE;
	kgss_status st = kdf(et, h, key, usage, kind, out);
	if (st == KGSS_S_COMPLETE)
		*out_len = derived_len(et, kind);
	return st;
}

} // namespace

const enctype_ops aes_sha2_ops = {
	.family = FAMILY_AES_SHA2,
	.derive_enc = derive_enc,
	.derive_cksum = derive_cksum,
	.derive_raw = derive_raw,
	.encrypt = etm_encrypt,
	.decrypt = etm_decrypt,
	.make_checksum = mac_checksum,
	.verify_checksum = mac_verify,
};

} // namespace kgss

#endif
