// crypto/enctypes/camellia.cc - RFC 6803: camellia128-cts-cmac (25) and
// camellia256-cts-cmac (26).
//   Keys (RFC 6803 §3, §4): Kc / Ke / Ki = KDF-FEEDBACK-CMAC(base,
//   usage | 0x99 / 0xAA / 0x55, key length), K(0) = 0^128; every key
//   et->key_bytes long.
//   encrypt: C = Camellia-CTS(Ke, IV 0, conf(16) | data),
//            H = CMAC-Camellia(Ki, conf | data) (16 bytes, over plaintext).
//   checksum: CMAC-Camellia(Kc, data) (16 bytes).
#include "crypto/enctypes/profile.h"
#include "crypto/kdf.h"
#include "crypto/util.h"

#if KGSS_WITH_CAMELLIA

namespace kgss {

namespace {

kgss_status kdf(const enctype *et, const cmac_key *base, uint32_t usage, derive_kind kind, uint8_t *out)
{
	uint8_t label[5];
	derive_constant(label, usage, kind);
	return kdf_feedback_cmac(base, label, sizeof(label), out, et->key_bytes);
}

kgss_status derive_enc(const enctype *et, const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
		       enc_key *out)
{
	wipe(out, sizeof(*out));
	const kgss_block_cipher_class *cls = backend_cipher(be, et->cipher);
	if (!cls)
		return KGSS_S_UNAVAILABLE;
	uint8_t ke[ENCTYPE_KEY_MAX]; // secret: wiped before return
	uint8_t ki[ENCTYPE_KEY_MAX]; // secret: wiped before return
	// The base-key CMAC lives in out->ki while Ke and Ki are derived.
	kgss_status st = cmac_key_init(&out->ki.cmac, cls, key, et->key_bytes);
	if (st == KGSS_S_COMPLETE)
		st = kdf(et, &out->ki.cmac, usage, DERIVE_KE, ke);
	if (st == KGSS_S_COMPLETE)
		st = kdf(et, &out->ki.cmac, usage, DERIVE_KI, ki);
	cmac_key_clear(&out->ki.cmac);
	if (st == KGSS_S_COMPLETE)
		st = cipher_key_init(&out->ke, cls, ke, et->key_bytes);
	if (st == KGSS_S_COMPLETE)
		st = mac_key_init_cmac(&out->ki, cls, ki, et->key_bytes, usage);
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
	if (!cls)
		return KGSS_S_UNAVAILABLE;
	uint8_t kc[ENCTYPE_KEY_MAX]; // secret: wiped before return
	kgss_status st = cmac_key_init(&out->cmac, cls, key, et->key_bytes); // base CMAC, temporarily
	if (st == KGSS_S_COMPLETE)
		st = kdf(et, &out->cmac, usage, DERIVE_KC, kc);
	cmac_key_clear(&out->cmac);
	if (st == KGSS_S_COMPLETE)
		st = mac_key_init_cmac(out, cls, kc, et->key_bytes, usage);
	if (st != KGSS_S_COMPLETE)
		mac_key_clear(out);
	wipe(kc, sizeof(kc));
	return st;
}

kgss_status derive_raw(const enctype *et, const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
		       derive_kind kind, uint8_t *out, size_t *out_len)
{
	cmac_key base; // secret: cleared before return
	*out_len = 0;
	kgss_status st = cmac_key_init(&base, backend_cipher(be, et->cipher), key, et->key_bytes);
	if (st == KGSS_S_COMPLETE)
		st = kdf(et, &base, usage, kind, out);
	cmac_key_clear(&base);
	if (st == KGSS_S_COMPLETE)
		*out_len = et->key_bytes;
	return st;
}

} // namespace

const enctype_ops camellia_ops = {
	.family = FAMILY_CAMELLIA,
	.derive_enc = derive_enc,
	.derive_cksum = derive_cksum,
	.derive_raw = derive_raw,
	.encrypt = mte_cts_encrypt,
	.decrypt = mte_cts_decrypt,
	.make_checksum = mac_checksum,
	.verify_checksum = mac_verify,
};

} // namespace kgss

#endif
