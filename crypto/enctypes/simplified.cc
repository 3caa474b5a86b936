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

// The base key's schedule (RFC 3961 §5.1: DR enciphers with the base key).
kgss_status dk_open(const enctype *et, kdf_base *b)
{
	return cipher_key_init(&b->sched->c, b->cls, b->key, et->key_bytes);
}

// DK(base, constant) -> out[0..len), len = et->key_bytes.  Random-to-key is
// the identity for AES (RFC 3962 §6); for DES3 (RFC 3961 §6.3.1) DR yields a
// 21-byte seed that becomes a 24-byte key with parity.
kgss_status dk(const enctype *et, const kdf_base *b, const uint8_t constant[DERIVE_CONSTANT_LEN], uint8_t *out,
	       size_t len)
{
	if (et->cipher != CIPHER_DES3)
		return dr(&b->sched->c, constant, DERIVE_CONSTANT_LEN, out, len);
	uint8_t seed[21]; // secret: wiped before return
	kgss_status st = dr(&b->sched->c, constant, DERIVE_CONSTANT_LEN, seed, sizeof(seed));
	if (st == KGSS_S_COMPLETE)
		des3_random_to_key(seed, out);
	wipe(seed, sizeof(seed));
	return st;
}

} // namespace

#if KGSS_WITH_DES3
namespace {
const kdf_ops des3_kdf = {.open = dk_open, .derive = dk, .mac = MAC_HMAC, .mac_keys_cksum_len = false, .stitch = false};

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

constinit const enctype_ops des3_ops = kdf_family_ops(FAMILY_DES3, &des3_kdf, des3_encrypt, des3_decrypt);
#endif

#if KGSS_WITH_AES_SHA1
namespace {
const kdf_ops aes_sha1_kdf = {.open = dk_open,
			      .derive = dk,
			      .mac = MAC_HMAC,
			      .mac_keys_cksum_len = false,
			      .stitch = true}; // RFC 3962: CBC-CTS + HMAC-SHA1 in one sweep
} // namespace

constinit const enctype_ops aes_sha1_ops =
	kdf_family_ops(FAMILY_AES_SHA1, &aes_sha1_kdf, mte_cts_encrypt, mte_cts_decrypt);
#endif

} // namespace kgss

#endif
