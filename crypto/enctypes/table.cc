// crypto/enctypes/table.cc - the one const enctype table, its lookups, and
// the mapping from an enctype's needs to a backend's primitives.
//
// Fields are positional (C++17 has no designated initializers); every field
// is named in a comment, in the order of struct enctype (crypto/enctype.h).
#include "crypto/enctypes/profile.h"
#include "crypto/mac.h"
#include "crypto/util.h"

namespace kgss {

static const enctype kTable[] = {
#if KGSS_WITH_DES3
	{
		/* etype           */ 16,
		/* name            */ "des3-cbc-sha1",
		/* family          */ FAMILY_DES3,
		/* cipher          */ CIPHER_DES3,
		/* hash            */ HASH_SHA1,
		/* key_bytes       */ 24,
		/* block_size      */ 8,
		/* conf_len        */ 8,
		/* cksum_len       */ 20, // HMAC-SHA1, untruncated (RFC 3961 §6.3)
		/* cksumtype       */ 12, // hmac-sha1-des3-kd
		/* sign_alg        */ 4,  // RFC 1964 (MIT): HMAC SHA1 DES3-KD
		/* seal_alg        */ 2,  // DES3-KD
		/* rfc4121         */ false,
		/* derive_enc      */ des3_derive_enc,
		/* derive_cksum    */ des3_derive_cksum,
		/* derive_raw      */ des3_derive_raw,
		/* encrypt         */ des3_encrypt,
		/* decrypt         */ des3_decrypt,
		/* make_checksum   */ des3_make_checksum,
		/* verify_checksum */ des3_verify_checksum,
	},
#endif
#if KGSS_WITH_AES_SHA1
	{
		/* etype           */ 17,
		/* name            */ "aes128-cts-hmac-sha1-96",
		/* family          */ FAMILY_AES_SHA1,
		/* cipher          */ CIPHER_AES128,
		/* hash            */ HASH_SHA1,
		/* key_bytes       */ 16,
		/* block_size      */ 16,
		/* conf_len        */ 16,
		/* cksum_len       */ 12, // HMAC-SHA1-96 (RFC 3962 §6)
		/* cksumtype       */ 15, // hmac-sha1-96-aes128
		/* sign_alg        */ 0xffff,
		/* seal_alg        */ 0xffff,
		/* rfc4121         */ true,
		/* derive_enc      */ aes128_sha1_derive_enc,
		/* derive_cksum    */ aes128_sha1_derive_cksum,
		/* derive_raw      */ aes128_sha1_derive_raw,
		/* encrypt         */ aes128_sha1_encrypt,
		/* decrypt         */ aes128_sha1_decrypt,
		/* make_checksum   */ aes128_sha1_make_checksum,
		/* verify_checksum */ aes128_sha1_verify_checksum,
	},
	{
		/* etype           */ 18,
		/* name            */ "aes256-cts-hmac-sha1-96",
		/* family          */ FAMILY_AES_SHA1,
		/* cipher          */ CIPHER_AES256,
		/* hash            */ HASH_SHA1,
		/* key_bytes       */ 32,
		/* block_size      */ 16,
		/* conf_len        */ 16,
		/* cksum_len       */ 12,
		/* cksumtype       */ 16, // hmac-sha1-96-aes256
		/* sign_alg        */ 0xffff,
		/* seal_alg        */ 0xffff,
		/* rfc4121         */ true,
		/* derive_enc      */ aes256_sha1_derive_enc,
		/* derive_cksum    */ aes256_sha1_derive_cksum,
		/* derive_raw      */ aes256_sha1_derive_raw,
		/* encrypt         */ aes256_sha1_encrypt,
		/* decrypt         */ aes256_sha1_decrypt,
		/* make_checksum   */ aes256_sha1_make_checksum,
		/* verify_checksum */ aes256_sha1_verify_checksum,
	},
#endif
#if KGSS_WITH_AES_SHA2
	{
		/* etype           */ 19,
		/* name            */ "aes128-cts-hmac-sha256-128",
		/* family          */ FAMILY_AES_SHA2,
		/* cipher          */ CIPHER_AES128,
		/* hash            */ HASH_SHA256,
		/* key_bytes       */ 16,
		/* block_size      */ 16,
		/* conf_len        */ 16,
		/* cksum_len       */ 16, // HMAC-SHA-256-128 (RFC 8009 §5)
		/* cksumtype       */ 19, // hmac-sha256-128-aes128
		/* sign_alg        */ 0xffff,
		/* seal_alg        */ 0xffff,
		/* rfc4121         */ true,
		/* derive_enc      */ aes128_sha256_derive_enc,
		/* derive_cksum    */ aes128_sha256_derive_cksum,
		/* derive_raw      */ aes128_sha256_derive_raw,
		/* encrypt         */ aes128_sha256_encrypt,
		/* decrypt         */ aes128_sha256_decrypt,
		/* make_checksum   */ aes128_sha256_make_checksum,
		/* verify_checksum */ aes128_sha256_verify_checksum,
	},
	{
		/* etype           */ 20,
		/* name            */ "aes256-cts-hmac-sha384-192",
		/* family          */ FAMILY_AES_SHA2,
		/* cipher          */ CIPHER_AES256,
		/* hash            */ HASH_SHA384,
		/* key_bytes       */ 32,
		/* block_size      */ 16,
		/* conf_len        */ 16,
		/* cksum_len       */ 24, // HMAC-SHA-384-192
		/* cksumtype       */ 20, // hmac-sha384-192-aes256
		/* sign_alg        */ 0xffff,
		/* seal_alg        */ 0xffff,
		/* rfc4121         */ true,
		/* derive_enc      */ aes256_sha384_derive_enc,
		/* derive_cksum    */ aes256_sha384_derive_cksum,
		/* derive_raw      */ aes256_sha384_derive_raw,
		/* encrypt         */ aes256_sha384_encrypt,
		/* decrypt         */ aes256_sha384_decrypt,
		/* make_checksum   */ aes256_sha384_make_checksum,
		/* verify_checksum */ aes256_sha384_verify_checksum,
	},
#endif
#if KGSS_WITH_RC4
	{
		/* etype           */ 23,
		/* name            */ "arcfour-hmac",
		/* family          */ FAMILY_RC4,
		/* cipher          */ CIPHER_RC4,
		/* hash            */ HASH_MD5,
		/* key_bytes       */ 16,
		/* block_size      */ 1,
		/* conf_len        */ 8,
		/* cksum_len       */ 16, // HMAC-MD5 (RFC 4757 §4)
		/* cksumtype       */ -138, // hmac-md5-rc4
		/* sign_alg        */ 0x11, // RFC 4757 §7.1 HMAC-MD5
		/* seal_alg        */ 0x10, // RC4
		/* rfc4121         */ false,
		/* derive_enc      */ rc4_derive_enc,
		/* derive_cksum    */ rc4_derive_cksum,
		/* derive_raw      */ nullptr,
		/* encrypt         */ rc4_encrypt,
		/* decrypt         */ rc4_decrypt,
		/* make_checksum   */ rc4_make_checksum,
		/* verify_checksum */ rc4_verify_checksum,
	},
	{
		/* etype           */ 24,
		/* name            */ "arcfour-hmac-exp",
		/* family          */ FAMILY_RC4,
		/* cipher          */ CIPHER_RC4,
		/* hash            */ HASH_MD5,
		/* key_bytes       */ 16,
		/* block_size      */ 1,
		/* conf_len        */ 8,
		/* cksum_len       */ 16,
		/* cksumtype       */ -138,
		/* sign_alg        */ 0x11,
		/* seal_alg        */ 0x10,
		/* rfc4121         */ false,
		/* derive_enc      */ rc4exp_derive_enc,
		/* derive_cksum    */ rc4exp_derive_cksum,
		/* derive_raw      */ nullptr,
		/* encrypt         */ rc4exp_encrypt,
		/* decrypt         */ rc4exp_decrypt,
		/* make_checksum   */ rc4exp_make_checksum,
		/* verify_checksum */ rc4exp_verify_checksum,
	},
#endif
#if KGSS_WITH_CAMELLIA
	{
		/* etype           */ 25,
		/* name            */ "camellia128-cts-cmac",
		/* family          */ FAMILY_CAMELLIA,
		/* cipher          */ CIPHER_CAMELLIA128,
		/* hash            */ HASH_NONE,
		/* key_bytes       */ 16,
		/* block_size      */ 16,
		/* conf_len        */ 16,
		/* cksum_len       */ 16, // CMAC (RFC 6803 §4)
		/* cksumtype       */ 17, // cmac-camellia128
		/* sign_alg        */ 0xffff,
		/* seal_alg        */ 0xffff,
		/* rfc4121         */ true,
		/* derive_enc      */ camellia128_derive_enc,
		/* derive_cksum    */ camellia128_derive_cksum,
		/* derive_raw      */ camellia128_derive_raw,
		/* encrypt         */ camellia128_encrypt,
		/* decrypt         */ camellia128_decrypt,
		/* make_checksum   */ camellia128_make_checksum,
		/* verify_checksum */ camellia128_verify_checksum,
	},
	{
		/* etype           */ 26,
		/* name            */ "camellia256-cts-cmac",
		/* family          */ FAMILY_CAMELLIA,
		/* cipher          */ CIPHER_CAMELLIA256,
		/* hash            */ HASH_NONE,
		/* key_bytes       */ 32,
		/* block_size      */ 16,
		/* conf_len        */ 16,
		/* cksum_len       */ 16,
		/* cksumtype       */ 18, // cmac-camellia256
		/* sign_alg        */ 0xffff,
		/* seal_alg        */ 0xffff,
		/* rfc4121         */ true,
		/* derive_enc      */ camellia256_derive_enc,
		/* derive_cksum    */ camellia256_derive_cksum,
		/* derive_raw      */ camellia256_derive_raw,
		/* encrypt         */ camellia256_encrypt,
		/* decrypt         */ camellia256_decrypt,
		/* make_checksum   */ camellia256_make_checksum,
		/* verify_checksum */ camellia256_verify_checksum,
	},
#endif
};

static constexpr size_t kCount = sizeof(kTable) / sizeof(kTable[0]);

const enctype *enctype_find(int32_t etype)
{
	if (etype == 6) // des3-cbc-raw: how MIT's lucid export labels a DES3 context key
		etype = 16;
	for (size_t i = 0; i < kCount; i++)
		if (kTable[i].etype == etype)
			return &kTable[i];
	return nullptr;
}

const enctype *enctype_at(size_t i) { return i < kCount ? &kTable[i] : nullptr; }

size_t enctype_count() { return kCount; }

const kgss_block_cipher_class *backend_cipher(const kgss_crypto_backend *be, cipher_id id)
{
	if (!be || be->abi_version != KGSS_CRYPTO_ABI_VERSION)
		return nullptr;
	switch (id) {
	case CIPHER_AES128:
		return be->aes128;
	case CIPHER_AES256:
		return be->aes256;
	case CIPHER_CAMELLIA128:
		return be->camellia128;
	case CIPHER_CAMELLIA256:
		return be->camellia256;
	case CIPHER_DES3:
		return be->des3;
	default:
		return nullptr;
	}
}

const kgss_stream_cipher_class *backend_stream(const kgss_crypto_backend *be, cipher_id id)
{
	if (!be || be->abi_version != KGSS_CRYPTO_ABI_VERSION || id != CIPHER_RC4)
		return nullptr;
	return be->rc4;
}

const kgss_hash_class *backend_hash(const kgss_crypto_backend *be, hash_id id)
{
	if (!be || be->abi_version != KGSS_CRYPTO_ABI_VERSION)
		return nullptr;
	switch (id) {
	case HASH_MD5:
		return be->md5;
	case HASH_SHA1:
		return be->sha1;
	case HASH_SHA256:
		return be->sha256;
	case HASH_SHA384:
		return be->sha384;
	default:
		return nullptr;
	}
}

kgss_status enctype_check_backend(const enctype *et, const kgss_crypto_backend *be)
{
	if (!et || !be || be->abi_version != KGSS_CRYPTO_ABI_VERSION)
		return KGSS_S_UNAVAILABLE;
	if (et->cipher == CIPHER_RC4) {
		const kgss_stream_cipher_class *s = backend_stream(be, et->cipher);
		if (!s || s->context_size > KGSS_STREAM_STATE_MAX || !s->init || !s->apply || !s->clear)
			return KGSS_S_UNAVAILABLE;
	} else {
		const kgss_block_cipher_class *c = backend_cipher(be, et->cipher);
		if (!c || c->context_size > KGSS_CIPHER_STATE_MAX || c->block_size != et->block_size ||
		    c->key_size != et->key_bytes || !c->init || !c->clear || !c->ecb_encrypt || !c->ecb_decrypt ||
		    !c->cbc_encrypt || !c->cbc_decrypt || !c->cbc_mac)
			return KGSS_S_UNAVAILABLE;
	}
	if (et->hash != HASH_NONE) {
		const kgss_hash_class *h = backend_hash(be, et->hash);
		if (!h || h->context_size > KGSS_HASH_STATE_MAX || h->block_size > 128 || h->digest_size > 64 ||
		    !h->init || !h->update || !h->final || !h->copy || !h->clear)
			return KGSS_S_UNAVAILABLE;
	}
	return KGSS_S_COMPLETE;
}

void enc_key_clear(enc_key *k)
{
	cipher_key_clear(&k->ke);
	mac_key_clear(&k->ki);
}

} // namespace kgss
