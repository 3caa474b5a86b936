// crypto/enctypes/camellia.cc - RFC 6803: camellia128-cts-cmac (25) and
// camellia256-cts-cmac (26).
//   Keys (RFC 6803 §3, §4): Kc / Ke / Ki = KDF-FEEDBACK-CMAC(base,
//   usage | 0x99 / 0xAA / 0x55, key length), K(0) = 0^128.
//   encrypt: C = Camellia-CTS(Ke, IV 0, conf(16) | data),
//            H = CMAC-Camellia(Ki, conf | data) (16 bytes, over plaintext).
//   checksum: CMAC-Camellia(Kc, data) (16 bytes).
#include "crypto/enctypes/profile.h"
#include "crypto/kdf.h"
#include "crypto/util.h"

#if KGSS_WITH_CAMELLIA

namespace kgss {

namespace {

struct camellia_params {
	cipher_id cipher;
	size_t key_bytes; // base key and every derived key (16 / 32)
};

constexpr camellia_params k25 = {/* cipher    */ CIPHER_CAMELLIA128,
				 /* key_bytes */ 16};
constexpr camellia_params k26 = {/* cipher    */ CIPHER_CAMELLIA256,
				 /* key_bytes */ 32};

kgss_status kdf(const camellia_params &p, const cmac_key *base, uint32_t usage, derive_kind kind, uint8_t *out)
{
	uint8_t label[5];
	derive_constant(label, usage, kind);
	return kdf_feedback_cmac(base, label, sizeof(label), out, p.key_bytes);
}

kgss_status derive_enc(const camellia_params &p, const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
		       enc_key *out)
{
	wipe(out, sizeof(*out));
	const kgss_block_cipher_class *cls = backend_cipher(be, p.cipher);
	if (!cls)
		return KGSS_S_UNAVAILABLE;
	uint8_t ke[32]; // secret: wiped before return
	uint8_t ki[32]; // secret: wiped before return
	// The base-key CMAC lives in out->ki while Ke and Ki are derived.
	kgss_status st = cmac_key_init(&out->ki.cmac, cls, key, p.key_bytes);
	if (st == KGSS_S_COMPLETE)
		st = kdf(p, &out->ki.cmac, usage, DERIVE_KE, ke);
	if (st == KGSS_S_COMPLETE)
		st = kdf(p, &out->ki.cmac, usage, DERIVE_KI, ki);
	cmac_key_clear(&out->ki.cmac);
	if (st == KGSS_S_COMPLETE)
		st = cipher_key_init(&out->ke, cls, ke, p.key_bytes);
	if (st == KGSS_S_COMPLETE)
		st = mac_key_init_cmac(&out->ki, cls, ki, p.key_bytes, usage);
	if (st != KGSS_S_COMPLETE)
		enc_key_clear(out);
	wipe(ke, sizeof(ke));
	wipe(ki, sizeof(ki));
	return st;
}

kgss_status derive_cksum(const camellia_params &p, const kgss_crypto_backend *be, const uint8_t *key,
			 uint32_t usage, mac_key *out)
{
	wipe(out, sizeof(*out));
	const kgss_block_cipher_class *cls = backend_cipher(be, p.cipher);
	if (!cls)
		return KGSS_S_UNAVAILABLE;
	uint8_t kc[32]; // secret: wiped before return
	kgss_status st = cmac_key_init(&out->cmac, cls, key, p.key_bytes); // base CMAC, temporarily
	if (st == KGSS_S_COMPLETE)
		st = kdf(p, &out->cmac, usage, DERIVE_KC, kc);
	cmac_key_clear(&out->cmac);
	if (st == KGSS_S_COMPLETE)
		st = mac_key_init_cmac(out, cls, kc, p.key_bytes, usage);
	if (st != KGSS_S_COMPLETE)
		mac_key_clear(out);
	wipe(kc, sizeof(kc));
	return st;
}

kgss_status derive_raw(const camellia_params &p, const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
		       derive_kind kind, uint8_t *out, size_t *out_len)
{
	cmac_key base; // secret: cleared before return
	*out_len = 0;
	kgss_status st = cmac_key_init(&base, backend_cipher(be, p.cipher), key, p.key_bytes);
	if (st == KGSS_S_COMPLETE)
		st = kdf(p, &base, usage, kind, out);
	cmac_key_clear(&base);
	if (st == KGSS_S_COMPLETE)
		*out_len = p.key_bytes;
	return st;
}

} // namespace

// ---- camellia128-cts-cmac (25) ---------------------------------------------------
kgss_status camellia128_derive_enc(const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage, enc_key *out)
{
	return derive_enc(k25, be, key, usage, out);
}
kgss_status camellia128_derive_cksum(const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage, mac_key *out)
{
	return derive_cksum(k25, be, key, usage, out);
}
kgss_status camellia128_derive_raw(const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
				   derive_kind kind, uint8_t *out, size_t *out_len)
{
	return derive_raw(k25, be, key, usage, kind, out, out_len);
}
kgss_status camellia128_encrypt(const enc_key *k, const seglist &segs, uint8_t *tag)
{
	return mte_encrypt(k, segs, tag, SEGC_CTS, 16, 16);
}
kgss_status camellia128_decrypt(const enc_key *k, const seglist &segs, const uint8_t *tag)
{
	return mte_decrypt(k, segs, tag, SEGC_CTS, 16, 16);
}
kgss_status camellia128_make_checksum(const mac_key *k, const seglist &segs, uint8_t *out)
{
	return mac_checksum(k, segs, out, 16);
}
kgss_status camellia128_verify_checksum(const mac_key *k, const seglist &segs, const uint8_t *cksum)
{
	return mac_verify(k, segs, cksum, 16);
}

// ---- camellia256-cts-cmac (26) ---------------------------------------------------
kgss_status camellia256_derive_enc(const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage, enc_key *out)
{
	return derive_enc(k26, be, key, usage, out);
}
kgss_status camellia256_derive_cksum(const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage, mac_key *out)
{
	return derive_cksum(k26, be, key, usage, out);
}
kgss_status camellia256_derive_raw(const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
				   derive_kind kind, uint8_t *out, size_t *out_len)
{
	return derive_raw(k26, be, key, usage, kind, out, out_len);
}
kgss_status camellia256_encrypt(const enc_key *k, const seglist &segs, uint8_t *tag)
{
	return mte_encrypt(k, segs, tag, SEGC_CTS, 16, 16);
}
kgss_status camellia256_decrypt(const enc_key *k, const seglist &segs, const uint8_t *tag)
{
	return mte_decrypt(k, segs, tag, SEGC_CTS, 16, 16);
}
kgss_status camellia256_make_checksum(const mac_key *k, const seglist &segs, uint8_t *out)
{
	return mac_checksum(k, segs, out, 16);
}
kgss_status camellia256_verify_checksum(const mac_key *k, const seglist &segs, const uint8_t *cksum)
{
	return mac_verify(k, segs, cksum, 16);
}

} // namespace kgss

#endif
