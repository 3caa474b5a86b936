// crypto/enctypes/table.cc - the one const enctype table, its lookups, and
// the mapping from an enctype's needs to a backend's primitives.
//
// One row per enctype, fields named as in struct enctype (crypto/enctype.h)
// and in its order; sign_alg / seal_alg (0xffff: not RFC 1964), rfc1964
// (NULL), rfc4121 and rc4_export (false) default.  Lengths are RFC 3961 octets.
#include "crypto/enctypes/profile.h"
#include "crypto/mac.h"
#include "crypto/util.h"

namespace kgss {

// One row per enctype, fields in struct order (kept by hand: clang-format off).
// clang-format off
static constexpr enctype kTable[] = {
#if KGSS_WITH_DES3
	// RFC 3961 §6.3: HMAC-SHA1 untruncated, cksumtype hmac-sha1-des3-kd;
	// RFC 1964 (MIT) sign_alg HMAC SHA1 DES3-KD, seal_alg DES3-KD.
	{.etype = 16, .name = "des3-cbc-sha1", .ops = &des3_ops, .cipher = CIPHER_DES3, .hash = HASH_SHA1,
	 .key_bytes = 24, .block_size = 8, .conf_len = 8, .cksum_len = 20, .cksumtype = 12, .sign_alg = 4, .seal_alg = 2,
	 .rfc1964 = &des3_rfc1964},
#endif
#if KGSS_WITH_AES_SHA1
	// RFC 3962 §6: HMAC-SHA1-96, cksumtypes hmac-sha1-96-aes128 / -aes256.
	{.etype = 17, .name = "aes128-cts-hmac-sha1-96", .ops = &aes_sha1_ops, .cipher = CIPHER_AES128, .hash = HASH_SHA1,
	 .key_bytes = 16, .block_size = 16, .conf_len = 16, .cksum_len = 12, .cksumtype = 15, .rfc4121 = true},
	{.etype = 18, .name = "aes256-cts-hmac-sha1-96", .ops = &aes_sha1_ops, .cipher = CIPHER_AES256, .hash = HASH_SHA1,
	 .key_bytes = 32, .block_size = 16, .conf_len = 16, .cksum_len = 12, .cksumtype = 16, .rfc4121 = true},
#endif
#if KGSS_WITH_AES_SHA2
	// RFC 8009 §5: HMAC-SHA-256-128 / HMAC-SHA-384-192 (also the Kc, Ki
	// lengths), cksumtypes hmac-sha256-128-aes128 / hmac-sha384-192-aes256.
	{.etype = 19, .name = "aes128-cts-hmac-sha256-128", .ops = &aes_sha2_ops, .cipher = CIPHER_AES128,
	 .hash = HASH_SHA256, .key_bytes = 16, .block_size = 16, .conf_len = 16, .cksum_len = 16, .cksumtype = 19,
	 .rfc4121 = true},
	{.etype = 20, .name = "aes256-cts-hmac-sha384-192", .ops = &aes_sha2_ops, .cipher = CIPHER_AES256,
	 .hash = HASH_SHA384, .key_bytes = 32, .block_size = 16, .conf_len = 16, .cksum_len = 24, .cksumtype = 20,
	 .rfc4121 = true},
#endif
#if KGSS_WITH_RC4
	// RFC 4757 §4: HMAC-MD5, cksumtype hmac-md5-rc4; §7.1 sign_alg HMAC-MD5,
	// seal_alg RC4.
	{.etype = 23, .name = "arcfour-hmac", .ops = &rc4_hmac_ops, .cipher = CIPHER_RC4, .hash = HASH_MD5,
	 .key_bytes = 16, .block_size = 1, .conf_len = 8, .cksum_len = 16, .cksumtype = -138, .sign_alg = 0x11,
	 .seal_alg = 0x10, .rfc1964 = &rc4_rfc1964},
	{.etype = 24, .name = "arcfour-hmac-exp", .ops = &rc4_hmac_ops, .cipher = CIPHER_RC4, .hash = HASH_MD5,
	 .key_bytes = 16, .block_size = 1, .conf_len = 8, .cksum_len = 16, .cksumtype = -138, .sign_alg = 0x11,
	 .seal_alg = 0x10, .rfc1964 = &rc4_rfc1964, .rc4_export = true},
#endif
#if KGSS_WITH_CAMELLIA
	// RFC 6803 §4: CMAC, cksumtypes cmac-camellia128 / cmac-camellia256.
	{.etype = 25, .name = "camellia128-cts-cmac", .ops = &camellia_ops, .cipher = CIPHER_CAMELLIA128,
	 .key_bytes = 16, .block_size = 16, .conf_len = 16, .cksum_len = 16, .cksumtype = 17, .rfc4121 = true},
	{.etype = 26, .name = "camellia256-cts-cmac", .ops = &camellia_ops, .cipher = CIPHER_CAMELLIA256,
	 .key_bytes = 32, .block_size = 16, .conf_len = 16, .cksum_len = 16, .cksumtype = 18, .rfc4121 = true},
#endif
};
// clang-format on

// What the family code relies on, for every row: lengths within the bounds
// its secret buffers are sized by.  (A row that leaves out .ops, or any
// field without a default, draws -Wmissing-field-initializers; pointers
// cannot be tested here: the kernel's -fno-delete-null-pointer-checks makes
// &object != nullptr no constant expression.)
static constexpr bool row_ok(const enctype &e)
{
	return e.key_bytes > 0 && e.key_bytes <= ENCTYPE_KEY_MAX && e.block_size > 0 && e.conf_len > 0 &&
	       e.conf_len <= ENCTYPE_CONF_MAX && e.cksum_len > 0 && e.cksum_len <= ENCTYPE_CKSUM_MAX;
}
static constexpr bool rows_ok()
{
	for (const enctype &e : kTable)
		if (!row_ok(e))
			return false;
	return true;
}
static_assert(rows_ok(), "an enctype row with a length out of bounds (crypto/enctype.h)");

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
		// A class of another width is not the hash the enctype names
		// (RFC 1321, FIPS 180-4): as good as missing.
		const bool sha384 = et->hash == HASH_SHA384;
		const size_t digest = et->hash == HASH_MD5 ? 16 : et->hash == HASH_SHA1 ? 20 : sha384 ? 48 : 32;
		const kgss_hash_class *h = backend_hash(be, et->hash);
		if (!h || h->context_size > KGSS_HASH_STATE_MAX || h->block_size != (sha384 ? 128u : 64u) ||
		    h->digest_size != digest || !h->init || !h->update || !h->final || !h->copy || !h->clear)
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
