// crypto/enctypes/simplified.cc - the RFC 3961 §5.3 "simplified profile"
// over a block cipher with HMAC-SHA1:
//   des3-cbc-sha1-kd (16):          RFC 3961 §6.3, CBC, HMAC-SHA1 (20 bytes)
//   aes128-cts-hmac-sha1-96 (17),
//   aes256-cts-hmac-sha1-96 (18):   RFC 3962, CBC-CTS, HMAC-SHA1-96 (12 bytes)
// Keys (RFC 3961 §5.3): Kc = DK(base, usage | 0x99), Ke = DK(base, usage |
// 0xAA), Ki = DK(base, usage | 0x55), DK = random-to-key(DR(base, constant)).
// encrypt: C = E(Ke, conf | data) (CBC / CBC-CTS, IV 0),
//          H = HMAC-SHA1(Ki, conf | data) truncated (computed over plaintext).
// checksum: HMAC-SHA1(Kc, data) truncated.
#include "crypto/enctypes/profile.h"
#include "crypto/kdf.h"
#include "crypto/util.h"

#if KGSS_WITH_DES3 || KGSS_WITH_AES_SHA1

namespace kgss {

namespace {

struct simplified_params {
	cipher_id cipher;
	size_t key_bytes; // protocol key = derived key length (24 des3, 16/32 aes)
	bool des3;        // DR yields 21 bytes, then DES3 random-to-key (RFC 3961 §6.3.1)
};

constexpr simplified_params kDes3 = {/* cipher    */ CIPHER_DES3,
				     /* key_bytes */ 24,
				     /* des3      */ true};
constexpr simplified_params kAes128 = {/* cipher    */ CIPHER_AES128,
				       /* key_bytes */ 16,
				       /* des3      */ false};
constexpr simplified_params kAes256 = {/* cipher    */ CIPHER_AES256,
				       /* key_bytes */ 32,
				       /* des3      */ false};

// DK(base, usage | kind) -> out[0..key_bytes).
kgss_status dk(const simplified_params &p, const cipher_key *base, uint32_t usage, derive_kind kind, uint8_t *out)
{
	uint8_t constant[5];
	derive_constant(constant, usage, kind);
	if (!p.des3)
		return dr(base, constant, sizeof(constant), out, p.key_bytes); // AES random-to-key: identity
	uint8_t seed[21]; // secret: wiped before return
	kgss_status st = dr(base, constant, sizeof(constant), seed, sizeof(seed));
	if (st == KGSS_S_COMPLETE)
		des3_random_to_key(seed, out);
	wipe(seed, sizeof(seed));
	return st;
}

kgss_status derive_enc(const simplified_params &p, const kgss_crypto_backend *be, const uint8_t *key,
		       uint32_t usage, enc_key *out)
{
	wipe(out, sizeof(*out));
	const kgss_block_cipher_class *cls = backend_cipher(be, p.cipher);
	const kgss_hash_class *sha1 = backend_hash(be, HASH_SHA1);
	if (!cls || !sha1)
		return KGSS_S_UNAVAILABLE;
	uint8_t ke[32]; // secret: wiped before return
	uint8_t ki[32]; // secret: wiped before return
	// The base-key schedule lives in out->ke while Ke and Ki are derived.
	kgss_status st = cipher_key_init(&out->ke, cls, key, p.key_bytes);
	if (st == KGSS_S_COMPLETE)
		st = dk(p, &out->ke, usage, DERIVE_KE, ke);
	if (st == KGSS_S_COMPLETE)
		st = dk(p, &out->ke, usage, DERIVE_KI, ki);
	cipher_key_clear(&out->ke);
	if (st == KGSS_S_COMPLETE)
		st = cipher_key_init(&out->ke, cls, ke, p.key_bytes);
	if (st == KGSS_S_COMPLETE)
		st = mac_key_init_hmac(&out->ki, sha1, ki, p.key_bytes, usage);
	if (st == KGSS_S_COMPLETE && !p.des3)
		out->ke.stitch = backend_stitch(be, cls, sha1); // RFC 3962: CBC-CTS + HMAC-SHA1 in one sweep
	if (st != KGSS_S_COMPLETE)
		enc_key_clear(out);
	wipe(ke, sizeof(ke));
	wipe(ki, sizeof(ki));
	return st;
}

kgss_status derive_cksum(const simplified_params &p, const kgss_crypto_backend *be, const uint8_t *key,
			 uint32_t usage, mac_key *out)
{
	wipe(out, sizeof(*out));
	const kgss_block_cipher_class *cls = backend_cipher(be, p.cipher);
	const kgss_hash_class *sha1 = backend_hash(be, HASH_SHA1);
	if (!cls || !sha1)
		return KGSS_S_UNAVAILABLE;
	uint8_t kc[32]; // secret: wiped before return
	// out->cmac.c (unused by an HMAC key) holds the base schedule meanwhile.
	kgss_status st = cipher_key_init(&out->cmac.c, cls, key, p.key_bytes);
	if (st == KGSS_S_COMPLETE)
		st = dk(p, &out->cmac.c, usage, DERIVE_KC, kc);
	cipher_key_clear(&out->cmac.c);
	if (st == KGSS_S_COMPLETE)
		st = mac_key_init_hmac(out, sha1, kc, p.key_bytes, usage);
	if (st != KGSS_S_COMPLETE)
		mac_key_clear(out);
	wipe(kc, sizeof(kc));
	return st;
}

kgss_status derive_raw(const simplified_params &p, const kgss_crypto_backend *be, const uint8_t *key,
		       uint32_t usage, derive_kind kind, uint8_t *out, size_t *out_len)
{
	cipher_key base; // secret: cleared before return
	kgss_status st = cipher_key_init(&base, backend_cipher(be, p.cipher), key, p.key_bytes);
	if (st == KGSS_S_COMPLETE)
		st = dk(p, &base, usage, kind, out);
	cipher_key_clear(&base);
	*out_len = st == KGSS_S_COMPLETE ? p.key_bytes : 0;
	return st;
}

} // namespace

#if KGSS_WITH_DES3
// ---- des3-cbc-sha1-kd (16): RFC 3961 §6.3 -------------------------------------
kgss_status des3_derive_enc(const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage, enc_key *out)
{
	return derive_enc(kDes3, be, key, usage, out);
}
kgss_status des3_derive_cksum(const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage, mac_key *out)
{
	return derive_cksum(kDes3, be, key, usage, out);
}
kgss_status des3_derive_raw(const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage, derive_kind kind,
			    uint8_t *out, size_t *out_len)
{
	return derive_raw(kDes3, be, key, usage, kind, out, out_len);
}
kgss_status des3_encrypt(const enc_key *k, const seglist &segs, uint8_t *tag)
{
	return mte_encrypt(k, segs, tag, SEGC_CBC, 8, 20);
}
kgss_status des3_decrypt(const enc_key *k, const seglist &segs, const uint8_t *tag)
{
	return mte_decrypt(k, segs, tag, SEGC_CBC, 8, 20);
}
kgss_status des3_make_checksum(const mac_key *k, const seglist &segs, uint8_t *out)
{
	return mac_checksum(k, segs, out, 20);
}
kgss_status des3_verify_checksum(const mac_key *k, const seglist &segs, const uint8_t *cksum)
{
	return mac_verify(k, segs, cksum, 20);
}
#endif

#if KGSS_WITH_AES_SHA1
// ---- aes128/256-cts-hmac-sha1-96 (17, 18): RFC 3962 -----------------------------------
kgss_status aes128_sha1_derive_enc(const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage, enc_key *out)
{
	return derive_enc(kAes128, be, key, usage, out);
}
kgss_status aes128_sha1_derive_cksum(const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage, mac_key *out)
{
	return derive_cksum(kAes128, be, key, usage, out);
}
kgss_status aes128_sha1_derive_raw(const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
				   derive_kind kind, uint8_t *out, size_t *out_len)
{
	return derive_raw(kAes128, be, key, usage, kind, out, out_len);
}
kgss_status aes256_sha1_derive_enc(const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage, enc_key *out)
{
	return derive_enc(kAes256, be, key, usage, out);
}
kgss_status aes256_sha1_derive_cksum(const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage, mac_key *out)
{
	return derive_cksum(kAes256, be, key, usage, out);
}
kgss_status aes256_sha1_derive_raw(const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
				   derive_kind kind, uint8_t *out, size_t *out_len)
{
	return derive_raw(kAes256, be, key, usage, kind, out, out_len);
}
// RFC 3962 §6: conf 16 bytes, H = HMAC-SHA1-96 (12 bytes).
kgss_status aes128_sha1_encrypt(const enc_key *k, const seglist &segs, uint8_t *tag)
{
	return mte_encrypt(k, segs, tag, SEGC_CTS, 16, 12);
}
kgss_status aes128_sha1_decrypt(const enc_key *k, const seglist &segs, const uint8_t *tag)
{
	return mte_decrypt(k, segs, tag, SEGC_CTS, 16, 12);
}
kgss_status aes128_sha1_make_checksum(const mac_key *k, const seglist &segs, uint8_t *out)
{
	return mac_checksum(k, segs, out, 12);
}
kgss_status aes128_sha1_verify_checksum(const mac_key *k, const seglist &segs, const uint8_t *cksum)
{
	return mac_verify(k, segs, cksum, 12);
}
kgss_status aes256_sha1_encrypt(const enc_key *k, const seglist &segs, uint8_t *tag)
{
	return mte_encrypt(k, segs, tag, SEGC_CTS, 16, 12);
}
kgss_status aes256_sha1_decrypt(const enc_key *k, const seglist &segs, const uint8_t *tag)
{
	return mte_decrypt(k, segs, tag, SEGC_CTS, 16, 12);
}
kgss_status aes256_sha1_make_checksum(const mac_key *k, const seglist &segs, uint8_t *out)
{
	return mac_checksum(k, segs, out, 12);
}
kgss_status aes256_sha1_verify_checksum(const mac_key *k, const seglist &segs, const uint8_t *cksum)
{
	return mac_verify(k, segs, cksum, 12);
}
#endif

} // namespace kgss

#endif
