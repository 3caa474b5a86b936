// crypto/enctypes/rfc1964_algs.cc - the algorithm half of the RFC 1964
// per-message tokens (protocol 0), one rfc1964_alg per family (enctype.h):
//   des3-cbc-sha1  SGN_ALG 04 00 (HMAC SHA1 DES3-KD), SEAL_ALG 02 00 (DES3-KD),
//                  RFC 1964 §1.2 with the RFC 3961 §6.3 derived checksum key;
//   arcfour-hmac   SGN_ALG 11 00 (HMAC MD5 ARCFOUR), SEAL_ALG 10 00 (RC4),
//                  RFC 4757 §7.2 (MIC) and §7.3 (Wrap); -exp is etype 24.
// The token itself (framing, header, the order of checksum, SND_SEQ, sealing
// and pad, the checks on receipt) is gss-kernel-lib/token/rfc1964.cc's.
#include "crypto/seg_cipher.h"
#include "crypto/enctypes/profile.h"
#include "crypto/enctypes/rc4_hmac.h"
#include "crypto/mac.h"
#include "crypto/util.h"

namespace kgss {

// Each of these holds a cipher, hash or HMAC state on its frame; kept out of
// line so that no caller's frame ever holds two of them (kernel flavour:
// -Wframe-larger-than=1024).
#define KGSS_NOINLINE __attribute__((noinline))

#if KGSS_WITH_DES3
namespace {

// RFC 3961 key usage of the DES3 checksum key (MIT KG_USAGE_SIGN).
constexpr uint32_t kDes3SignUsage = 23;
constexpr size_t kDes3CksumLen = 20; // HMAC-SHA1, untruncated
constexpr size_t kDes3Block = 8;

kgss_status des3_init_keys(const enctype *et, const kgss_crypto_backend *be, const uint8_t *key, rfc1964_keys *keys)
{
	des3_keys &k = keys->des3;
	const kgss_block_cipher_class *cls = backend_cipher(be, CIPHER_DES3);
	if (cls == nullptr)
		return KGSS_S_UNAVAILABLE;
	if (cls->block_size != kDes3Block)
		return KGSS_S_FAILURE;
	// Sealing and SND_SEQ: the raw context key, no derivation.
	kgss_status st = cipher_key_init(&k.raw, cls, key, et->key_bytes);
	// SGN_CKSUM: Kc = DK(key, 23 | 0x99) (RFC 3961 §5.3, §6.3).
	if (st == KGSS_S_COMPLETE)
		st = et->derive_cksum(be, key, kDes3SignUsage, &k.sign);
	if (st == KGSS_S_COMPLETE && mac_size(&k.sign) != kDes3CksumLen)
		st = KGSS_S_FAILURE;
	return st;
}

void des3_clear_keys(rfc1964_keys *keys)
{
	cipher_key_clear(&keys->des3.raw);
	mac_key_clear(&keys->des3.sign);
}

// SGN_ALG 04 00: HMAC-SHA1 under Kc = DK(key, 23 | 0x99) over header8 |
// [confounder | data | pad] (or the message for a MIC): 20 bytes.
KGSS_NOINLINE kgss_status des3_checksum(const rfc1964_keys *keys, bool, const seglist &segs, uint8_t *out)
{
	mac_run r;
	kgss_status st = mac_begin(&r, &keys->des3.sign);
	if (st != KGSS_S_COMPLETE)
		return st;
	mac_update_segs(&r, segs);
	return mac_end(&r, out); // mac_size() == 20, checked at import
}

// RFC 1964 §1.2.1.2: DES3-CBC with the raw key and IV = SGN_CKSUM[0..8).
// CBC of one block is its own inverse only with the right direction, hence
// `decrypt`.
kgss_status des3_snd_seq_crypt(const kgss_crypto_backend *, const rfc1964_keys *keys, uint8_t *blk,
			       const uint8_t *cksum, bool decrypt)
{
	const cipher_key &k = keys->des3.raw;
	uint8_t iv[kDes3Block];
	memcpy(iv, cksum, sizeof(iv));
	int rc = decrypt ? k.cls->cbc_decrypt(k.ks, iv, blk, 1) : k.cls->cbc_encrypt(k.ks, iv, blk, 1);
	return rc == 0 ? KGSS_S_COMPLETE : KGSS_S_FAILURE;
}

// RFC 1964 §1.2.2.4 with SEAL_ALG 02 00: DES3-CBC, zero IV, raw context key
// (no derivation, no confounder or checksum of its own).
KGSS_NOINLINE kgss_status des3_seal(const kgss_crypto_backend *, const rfc1964_keys *keys, uint32_t,
				    const seglist &segs, bool decrypt)
{
	seg_cipher run;
	kgss_status st = seg_cipher_init_block(&run, segs, SEGC_CBC, &keys->des3.raw, decrypt);
	if (st == KGSS_S_COMPLETE)
		st = seg_cipher_all(&run);
	return st;
}

} // namespace

// §1.2.2.3: the pad fills the last 8-byte block (1..8 bytes); SND_SEQ
// little-endian (MIT, Heimdal).
const rfc1964_alg des3_rfc1964 = {.cksum_len = kDes3CksumLen,
				  .pad_block = kDes3Block,
				  .snd_seq_be = false,
				  .init_keys = des3_init_keys,
				  .clear_keys = des3_clear_keys,
				  .checksum = des3_checksum,
				  .snd_seq_crypt = des3_snd_seq_crypt,
				  .seal = des3_seal};
#endif

#if KGSS_WITH_RC4
namespace {

// RFC 4757 §7.2, §7.3: the usage numbers hashed in front of the message.
constexpr uint32_t kRc4UsageMic = 15;
constexpr uint32_t kRc4UsageWrap = 13;
constexpr size_t kRc4CksumLen = 8; // first 8 bytes of HMAC-MD5

// RFC 4757 §7.3 (and MIT / Heimdal for arcfour-hmac-exp): the first HMAC
// stage of the sequence and sealing keys, HMAC-MD5(k, T) with T = 0 as LE32,
// or for -exp T = "fortybits\0" | 0 as LE32 and the result cut to 56 bits by
// overwriting bytes 7..15 with AB.
kgss_status rc4_stage1(const kgss_hash_class *md5, const uint8_t *k, bool exp, uint8_t out[16])
{
	kgss_status st = rc4_salt(md5, k, exp, 0, out);
	if (st == KGSS_S_COMPLETE && exp)
		rc4_exp_mask(out);
	return st;
}

kgss_status rc4_init_keys(const enctype *et, const kgss_crypto_backend *be, const uint8_t *key, rfc1964_keys *keys)
{
	rc4_keys &k = keys->rc4;
	const kgss_hash_class *md5 = nullptr;
	const kgss_stream_cipher_class *rc4 = nullptr;
	kgss_status st = rc4_backend(be, &md5, &rc4);
	if (st != KGSS_S_COMPLETE)
		return st;
	if (et->key_bytes != RC4_KEY_BYTES)
		return KGSS_S_FAILURE;
	k.exp = et->rc4_export;

	uint8_t t[16];      // secret
	uint8_t klocal[16]; // secret

	// RFC 4757 §7.2: Ksign = HMAC-MD5(K, "signaturekey\0") (no -exp change).
	st = rc4_ksign(md5, key, t);
	if (st == KGSS_S_COMPLETE)
		st = hmac_key_init(&k.ksign, md5, t, sizeof(t));
	// Kseq = HMAC-MD5(K, T); per message HMAC-MD5(Kseq, SGN_CKSUM).
	if (st == KGSS_S_COMPLETE)
		st = rc4_stage1(md5, key, k.exp, t);
	if (st == KGSS_S_COMPLETE)
		st = hmac_key_init(&k.kseq, md5, t, sizeof(t));
	// Klocal = K ^ F0..F0; Kcrypt = HMAC-MD5(Klocal, T); per message
	// HMAC-MD5(Kcrypt, seq as BE32).
	for (size_t i = 0; i < sizeof(klocal); i++)
		klocal[i] = (uint8_t)(key[i] ^ 0xf0);
	if (st == KGSS_S_COMPLETE)
		st = rc4_stage1(md5, klocal, k.exp, t);
	if (st == KGSS_S_COMPLETE)
		st = hmac_key_init(&k.kcrypt, md5, t, sizeof(t));
	KGSS_WIPE(t);
	KGSS_WIPE(klocal);
	return st;
}

void rc4_clear_keys(rfc1964_keys *keys)
{
	hmac_key_clear(&keys->rc4.ksign);
	hmac_key_clear(&keys->rc4.kseq);
	hmac_key_clear(&keys->rc4.kcrypt);
}

// SGN_ALG 11 00, RFC 4757 §7.2 / §7.3, usage 13 (Wrap) or 15 (MIC):
//   Sgn_Cksum = MD5(usage as LE32 | header8 | [confounder | data | pad])
//   Sgn_Cksum = HMAC-MD5(Ksign, Sgn_Cksum), first 8 bytes on the wire
// (rc4_md5_cksum, the core it shares with checksum -138).
kgss_status rc4_checksum(const rfc1964_keys *keys, bool wrap, const seglist &segs, uint8_t *out)
{
	return rc4_md5_cksum(&keys->rc4.ksign, wrap ? kRc4UsageWrap : kRc4UsageMic, segs, out); // 16 bytes; 8 are used
}

// RC4 keyed by HMAC-MD5(base, kd) over the encrypted segments of segs.  base
// is one of the fixed keys made at import (Kseq or Kcrypt's first stage); the
// per-message key lives on this frame and is wiped (the RC4 state on
// rc4_crypt_segs's).
KGSS_NOINLINE kgss_status rc4_apply(const kgss_crypto_backend *be, const hmac_key *base, const uint8_t *kd,
				    size_t kd_len, const seglist &segs)
{
	uint8_t key[RC4_KEY_BYTES]; // secret
	kgss_status st = hmac(base, kd, kd_len, key);
	if (st == KGSS_S_COMPLETE)
		st = rc4_crypt_segs(backend_stream(be, CIPHER_RC4), key, segs);
	KGSS_WIPE(key);
	return st;
}

// RFC 4757 §7.2: RC4 keyed by HMAC-MD5(Kseq, SGN_CKSUM[0..8)), a stream:
// the same either way.
kgss_status rc4_snd_seq_crypt(const kgss_crypto_backend *be, const rfc1964_keys *keys, uint8_t *blk,
			      const uint8_t *cksum, bool)
{
	seglist one;
	one.add_head(blk, RFC1964_SND_SEQ_LEN, true);
	return rc4_apply(be, &keys->rc4.kseq, cksum, 8, one);
}

// RFC 4757 §7.3: Kcrypt = HMAC-MD5(HMAC-MD5(Klocal, 0 as LE32), seq as
// BE32), one keystream over confounder then data | pad.  The first stage is
// the fixed key made at import; seq is the plaintext SND_SEQ number.
kgss_status rc4_seal(const kgss_crypto_backend *be, const rfc1964_keys *keys, uint32_t seq, const seglist &segs, bool)
{
	uint8_t s[4];
	store_be32(s, seq);
	return rc4_apply(be, &keys->rc4.kcrypt, s, sizeof(s), segs);
}

} // namespace

// RFC 4757 §7.3: always one pad byte (01); SND_SEQ big-endian (§7.2).
const rfc1964_alg rc4_rfc1964 = {.cksum_len = kRc4CksumLen,
				 .pad_block = 1,
				 .snd_seq_be = true,
				 .init_keys = rc4_init_keys,
				 .clear_keys = rc4_clear_keys,
				 .checksum = rc4_checksum,
				 .snd_seq_crypt = rc4_snd_seq_crypt,
				 .seal = rc4_seal};
#endif

} // namespace kgss
