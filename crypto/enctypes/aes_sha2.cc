// crypto/enctypes/aes_sha2.cc - RFC 8009: aes128-cts-hmac-sha256-128 (19)
// and aes256-cts-hmac-sha384-192 (20).
//   Keys (RFC 8009 §5): Kc = KDF-HMAC-SHA2(base, usage | 0x99, 128 / 192),
//   Ke = KDF-HMAC-SHA2(base, usage | 0xAA, 128 / 256),
//   Ki = KDF-HMAC-SHA2(base, usage | 0x55, 128 / 192).
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

struct sha2_params {
	cipher_id cipher;
	hash_id hash;
	size_t key_bytes; // base key and Ke length (16 / 32)
	size_t mac_bytes; // Ki, Kc length and the truncated MAC length (16 / 24)
};

constexpr sha2_params k19 = {/* cipher    */ CIPHER_AES128,
			     /* hash      */ HASH_SHA256,
			     /* key_bytes */ 16,
			     /* mac_bytes */ 16};
constexpr sha2_params k20 = {/* cipher    */ CIPHER_AES256,
			     /* hash      */ HASH_SHA384,
			     /* key_bytes */ 32,
			     /* mac_bytes */ 24};

size_t derived_len(const sha2_params &p, derive_kind kind) { return kind == DERIVE_KE ? p.key_bytes : p.mac_bytes; }

kgss_status kdf(const sha2_params &p, const kgss_hash_class *h, const uint8_t *key, uint32_t usage, derive_kind kind,
		uint8_t *out)
{
	uint8_t label[5];
	derive_constant(label, usage, kind);
	return kdf_hmac_sha2(h, key, p.key_bytes, label, sizeof(label), out, derived_len(p, kind));
}

kgss_status derive_enc(const sha2_params &p, const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
		       enc_key *out)
{
	wipe(out, sizeof(*out));
	const kgss_block_cipher_class *cls = backend_cipher(be, p.cipher);
	const kgss_hash_class *h = backend_hash(be, p.hash);
	if (!cls || !h)
		return KGSS_S_UNAVAILABLE;
	uint8_t ke[32]; // secret: wiped before return
	uint8_t ki[24]; // secret: wiped before return
	kgss_status st = kdf(p, h, key, usage, DERIVE_KE, ke);
	if (st == KGSS_S_COMPLETE)
		st = kdf(p, h, key, usage, DERIVE_KI, ki);
	if (st == KGSS_S_COMPLETE)
		st = cipher_key_init(&out->ke, cls, ke, p.key_bytes);
	if (st == KGSS_S_COMPLETE)
		st = mac_key_init_hmac(&out->ki, h, ki, p.mac_bytes, usage);
	if (st == KGSS_S_COMPLETE)
		out->ke.stitch = backend_stitch(be, cls, h); // RFC 8009: CBC-CTS + HMAC-SHA2 in one sweep
	if (st != KGSS_S_COMPLETE)
		enc_key_clear(out);
	wipe(ke, sizeof(ke));
	wipe(ki, sizeof(ki));
	return st;
}

kgss_status derive_cksum(const sha2_params &p, const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
			 mac_key *out)
{
	wipe(out, sizeof(*out));
	const kgss_hash_class *h = backend_hash(be, p.hash);
	if (!h || !backend_cipher(be, p.cipher))
		return KGSS_S_UNAVAILABLE;
	uint8_t kc[24]; // secret: wiped before return
	kgss_status st = kdf(p, h, key, usage, DERIVE_KC, kc);
	if (st == KGSS_S_COMPLETE)
		st = mac_key_init_hmac(out, h, kc, p.mac_bytes, usage);
	wipe(kc, sizeof(kc));
	return st;
}

kgss_status derive_raw(const sha2_params &p, const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
		       derive_kind kind, uint8_t *out, size_t *out_len)
{
	const kgss_hash_class *h = backend_hash(be, p.hash);
	*out_len = 0;
	if (!h)
		return KGSS_S_UNAVAILABLE;
	kgss_status st = kdf(p, h, key, usage, kind, out);
	if (st == KGSS_S_COMPLETE)
		*out_len = derived_len(p, kind);
	return st;
}

} // namespace

// ---- aes128-cts-hmac-sha256-128 (19) ----------------------------------------------
kgss_status aes128_sha256_derive_enc(const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
				     enc_key *out)
{
	return derive_enc(k19, be, key, usage, out);
}
kgss_status aes128_sha256_derive_cksum(const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
				       mac_key *out)
{
	return derive_cksum(k19, be, key, usage, out);
}
kgss_status aes128_sha256_derive_raw(const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
				     derive_kind kind, uint8_t *out, size_t *out_len)
{
	return derive_raw(k19, be, key, usage, kind, out, out_len);
}
kgss_status aes128_sha256_encrypt(const enc_key *k, const seglist &segs, uint8_t *tag)
{
	return etm_encrypt(k, segs, tag, 16, 16);
}
kgss_status aes128_sha256_decrypt(const enc_key *k, const seglist &segs, const uint8_t *tag)
{
	return etm_decrypt(k, segs, tag, 16, 16);
}
kgss_status aes128_sha256_make_checksum(const mac_key *k, const seglist &segs, uint8_t *out)
{
	return mac_checksum(k, segs, out, 16);
}
kgss_status aes128_sha256_verify_checksum(const mac_key *k, const seglist &segs, const uint8_t *cksum)
{
	return mac_verify(k, segs, cksum, 16);
}

// ---- aes256-cts-hmac-sha384-192 (20) ----------------------------------------------
kgss_status aes256_sha384_derive_enc(const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
				     enc_key *out)
{
	return derive_enc(k20, be, key, usage, out);
}
kgss_status aes256_sha384_derive_cksum(const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
				       mac_key *out)
{
	return derive_cksum(k20, be, key, usage, out);
}
kgss_status aes256_sha384_derive_raw(const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
				     derive_kind kind, uint8_t *out, size_t *out_len)
{
	return derive_raw(k20, be, key, usage, kind, out, out_len);
}
kgss_status aes256_sha384_encrypt(const enc_key *k, const seglist &segs, uint8_t *tag)
{
	return etm_encrypt(k, segs, tag, 16, 24);
}
kgss_status aes256_sha384_decrypt(const enc_key *k, const seglist &segs, const uint8_t *tag)
{
	return etm_decrypt(k, segs, tag, 16, 24);
}
kgss_status aes256_sha384_make_checksum(const mac_key *k, const seglist &segs, uint8_t *out)
{
	return mac_checksum(k, segs, out, 24);
}
kgss_status aes256_sha384_verify_checksum(const mac_key *k, const seglist &segs, const uint8_t *cksum)
{
	return mac_verify(k, segs, cksum, 24);
}

} // namespace kgss

#endif
