// crypto/enctypes/simplified.cc - the RFC 3961 §5.3 "simplified profile"
// over a block cipher with HMAC: two families, one code.
//   des3-cbc-sha1-kd (16):          RFC 3961 §6.3, CBC, HMAC-SHA1 (20 bytes)
//   aes128-cts-hmac-sha1-96 (17),
//   aes256-cts-hmac-sha1-96 (18):   RFC 3962, CBC-CTS, HMAC-SHA1-96 (12 bytes)
// Keys (RFC 3961 §5.3): Kc = DK(base, usage | 0x99), Ke = DK(base, usage |
// 0xAA), Ki = DK(base, usage | 0x55), DK = random-to-key(DR(base, constant)),
// every key et->key_bytes long, the HMAC over et->hash.
// encrypt: C = E(Ke, conf | data) (CBC / CBC-CTS, IV 0),
//          H = HMAC(Ki, conf | data) truncated (computed over plaintext).
// checksum: HMAC(Kc, data) truncated to et->cksum_len.
#include "crypto/enctypes/profile.h"
#include "crypto/kdf.h"
#include "crypto/util.h"

#if KGSS_WITH_DES3 || KGSS_WITH_AES_SHA1

namespace kgss {

namespace {

// DK(base, usage | kind) -> out[0..key_bytes).  Random-to-key is the
// identity for AES (RFC 3962 §6); for DES3 (RFC 3961 §6.3.1) DR yields a
// 21-byte seed that becomes a 24-byte key with parity.
kgss_status dk(const enctype *et, const cipher_key *base, uint32_t usage, derive_kind kind, uint8_t *out)
{
	uint8_t constant[5];
	derive_constant(constant, usage, kind);
	if (et->cipher != CIPHER_DES3)
		return dr(base, constant, sizeof(constant), out, et->key_bytes);
	uint8_t seed[21]; // secret: wiped before return
	kgss_status st = dr(base, constant, sizeof(constant), seed, sizeof(seed));
	if (st == KGSS_S_COMPLETE)
		des3_random_to_key(seed, out);
	wipe(seed, sizeof(seed));
	return st;
}

kgss_status derive_enc(const enctype *et, const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
		       enc_key *out)
{
	wipe(out, sizeof(*out));
	const kgss_block_cipher_class *cls = backend_cipher(be, et->cipher);
	const kgss_hash_class *h = backend_hash(be, et->hash);
	if (!cls || !h)
		return KGSS_S_UNAVAILABLE;
	uint8_t ke[ENCTYPE_KEY_MAX]; // secret: wiped before return
	uint8_t ki[ENCTYPE_KEY_MAX]; // secret: wiped before return
	// The base-key schedule lives in out->ke while Ke and Ki are derived.
	kgss_status st = cipher_key_init(&out->ke, cls, key, et->key_bytes);
	if (st == KGSS_S_COMPLETE)
		st = dk(et, &out->ke, usage, DERIVE_KE, ke);
	if (st == KGSS_S_COMPLETE)
		st = dk(et, &out->ke, usage, DERIVE_KI, ki);
	cipher_key_clear(&out->ke);
	if (st == KGSS_S_COMPLETE)
		st = cipher_key_init(&out->ke, cls, ke, et->key_bytes);
	if (st == KGSS_S_COMPLETE)
		st = mac_key_init_hmac(&out->ki, h, ki, et->key_bytes, usage);
	if (st == KGSS_S_COMPLETE && et->family() == FAMILY_AES_SHA1)
		out->ke.stitch = backend_stitch(be, cls, h); // RFC 3962: CBC-CTS + HMAC-SHA1 in one sweep
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
	const kgss_block_cipher_class *cls = backend_cipher(be, et->cipher);
	const kgss_hash_class *h = backend_hash(be, et->hash);
	if (!cls || !h)
		return KGSS_S_UNAVAILABLE;
	uint8_t kc[ENCTYPE_KEY_MAX]; // secret: wiped before return
	// out->cmac.c (unused by an HMAC key) holds the base schedule meanwhile.
	kgss_status st = cipher_key_init(&out->cmac.c, cls, key, et->key_bytes);
	if (st == KGSS_S_COMPLETE)
		st = dk(et, &out->cmac.c, usage, DERIVE_KC, kc);
	cipher_key_clear(&out->cmac.c);
	if (st == KGSS_S_COMPLETE)
		st = mac_key_init_hmac(out, h, kc, et->key_bytes, usage);
	if (st != KGSS_S_COMPLETE)
		mac_key_clear(out);
	wipe(kc, sizeof(kc));
	return st;
}

kgss_status derive_raw(const enctype *et, const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
		       derive_kind kind, uint8_t *out, size_t *out_len)
{
	cipher_key base; // secret: cleared before return
	kgss_status st = cipher_key_init(&base, backend_cipher(be, et->cipher), key, et->key_bytes);
	if (st == KGSS_S_COMPLETE)
		st = dk(et, &base, usage, kind, out);
	cipher_key_clear(&base);
	*out_len = st == KGSS_S_COMPLETE ? et->key_bytes : 0;
	return st;
}

} // namespace

#if KGSS_WITH_DES3
namespace {
// RFC 3961 §6.3: plain CBC (IV 0); the caller pads to the block size.
kgss_status des3_encrypt(const enctype *et, const enc_key *k, const seglist &segs, uint8_t *tag)
{
	return mte_encrypt(et, k, segs, tag, SEGC_CBC);
}
kgss_status des3_decrypt(const enctype *et, const enc_key *k, const seglist &segs, const uint8_t *tag)
{
	return mte_decrypt(et, k, segs, tag, SEGC_CBC);
}
} // namespace

const enctype_ops des3_ops = {
	.family = FAMILY_DES3,
	.derive_enc = derive_enc,
	.derive_cksum = derive_cksum,
	.derive_raw = derive_raw,
	.encrypt = des3_encrypt,
	.decrypt = des3_decrypt,
	.make_checksum = mac_checksum,
	.verify_checksum = mac_verify,
};
#endif

#if KGSS_WITH_AES_SHA1
const enctype_ops aes_sha1_ops = {
	.family = FAMILY_AES_SHA1,
	.derive_enc = derive_enc,
	.derive_cksum = derive_cksum,
	.derive_raw = derive_raw,
	.encrypt = mte_cts_encrypt,
	.decrypt = mte_cts_decrypt,
	.make_checksum = mac_checksum,
	.verify_checksum = mac_verify,
};
#endif

} // namespace kgss

#endif
