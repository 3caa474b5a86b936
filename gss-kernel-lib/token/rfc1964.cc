// gss-kernel-lib/token/rfc1964.cc - RFC 1964 per-message tokens (protocol 0)
// with the two enctypes still met in the field:
//   des3-cbc-sha1  SGN_ALG 04 00 (HMAC SHA1 DES3-KD), SEAL_ALG 02 00 (DES3-KD),
//                  RFC 1964 §1.2 with the RFC 3961 §6.3 derived checksum key;
//   arcfour-hmac   SGN_ALG 11 00 (HMAC MD5 ARCFOUR), SEAL_ALG 10 00 (RC4),
//                  RFC 4757 §7.2 (MIC) and §7.3 (Wrap); -exp is etype 24.
//
// Token (RFC 2743 §3.1 framing, RFC 1964 §1.2.1 / §1.2.2 body):
//   60 | DER length | 06 09 2a 86 48 86 f7 12 01 02 02      framing + krb5 OID
//   TOK_ID(2) SGN_ALG(2, LE) SEAL_ALG(2, LE) FF FF         "header": 8 bytes
//   SND_SEQ(8)  SGN_CKSUM(DES3 20 / RC4 8)
//   Wrap only: confounder(8) | data | pad
// The DER length covers everything after itself, data and pad included.
//
// IOV shape (what MIT's gss_wrap_iov builds for RFC 1964 contexts): HEADER =
// framing .. confounder, DATA = data, PADDING = pad (1..8 bytes of the pad
// length for DES3, one 01 byte for RC4).  As a convenience a TRAILER buffer
// stands in for PADDING when the caller gave none.  On unwrap the pad may
// also sit at the end of the DATA buffers (PADDING absent or empty: MIT's
// layout for callers that do not split the pad off), and STREAM | DATA takes
// the whole token.
//
// Receive order (every step before the next, one failure path):
//   framing and lengths, header fields           -> DEFECTIVE_TOKEN
//   SND_SEQ decrypted (not yet trusted), data decrypted in place
//   checksum over the plaintext, constant-time compare,
//   pad length (the last byte, as MIT) and the direction bytes, folded
//   into the same verdict                          -> BAD_SIG (data zeroed)
//   then the receive window.
// No pad byte is looked at before the checksum has been computed over all of
// it, and a bad pad is indistinguishable from a bad checksum: no padding
// oracle (Heimdal CVE-2022-3437, MIT CVE-2014-4341/4342).
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crypto/seg_cipher.h"
#include "crypto/enctype.h"
#include "crypto/enctypes/rc4_hmac.h"
#include "crypto/mac.h"
#include "crypto/seglist.h"
#include "crypto/util.h"
#include "gss-kernel-lib/context.h"
#include "gss-kernel-lib/token/engine.h"
#include "gss-kernel-lib/token/framing.h"

namespace kgss {

namespace {

// Each of these holds a cipher, hash or HMAC state on its frame; kept out of
// line so that no caller's frame ever holds two of them (kernel flavour:
// -Wframe-larger-than=1024).
#define KGSS_NOINLINE __attribute__((noinline))

// ---- constants ------------------------------------------------------------------

// RFC 2743 §3.1 framing: token/framing.h.
constexpr size_t kOidLen = KRB5_OID_DER_LEN;

// RFC 1964 §1.2.1 / §1.2.2: token layout after the OID.
constexpr uint8_t kTokMic[2] = {0x01, 0x01};
constexpr uint8_t kTokWrap[2] = {0x02, 0x01};
constexpr size_t kHdr8 = 8;        // TOK_ID | SGN_ALG | SEAL_ALG/filler | filler
constexpr size_t kSndSeqOff = 8;   // SND_SEQ
constexpr size_t kSndSeqLen = 8;
constexpr size_t kCksumOff = 16;   // SGN_CKSUM
constexpr size_t kConfLen = 8;     // confounder (DES3: one block; RC4: RFC 4757 §7.3)
constexpr uint16_t kSealNone = 0xffff;

// RFC 3961 key usage of the DES3 checksum key (MIT KG_USAGE_SIGN).
constexpr uint32_t kDes3SignUsage = 23;
// RFC 4757 §7.2, §7.3: the usage numbers hashed in front of the message.
constexpr uint32_t kRc4UsageMic = 15;
constexpr uint32_t kRc4UsageWrap = 13;

constexpr size_t kDes3CksumLen = 20; // HMAC-SHA1, untruncated
constexpr size_t kRc4CksumLen = 8;   // first 8 bytes of HMAC-MD5
constexpr size_t kMaxCksumLen = 20;

// The largest DER length we write or accept: four length octets.
constexpr size_t kMaxInner = FRAMING_MAX_INNER;

// What differs between the two enctypes.
struct profile {
	bool des3;         // else RC4
	size_t cksum_len;  // SGN_CKSUM bytes
	uint16_t sign_alg; // RFC 1964 SGN_ALG for this context
	uint16_t seal_alg; // RFC 1964 SEAL_ALG when sealed
};

bool profile_of(const kgss_ctx *c, profile *p)
{
	if (c->et == nullptr || c->be == nullptr)
		return false;
	if (c->et->family() == FAMILY_DES3) {
		*p = profile{true, kDes3CksumLen, c->et->sign_alg, c->et->seal_alg};
		return true;
	}
	if (c->et->family() == FAMILY_RC4) {
		*p = profile{false, kRc4CksumLen, c->et->sign_alg, c->et->seal_alg};
		return true;
	}
	return false;
}

// ---- token geometry ---------------------------------------------------------------

// Sizes of a token carrying `body` bytes after SGN_CKSUM (wrap: confounder,
// data, pad; MIC: 0).  False when it would not fit the DER length.
struct geometry {
	size_t inner;  // the DER length: OID .. end of token
	size_t prefix; // 60 | length octets
	size_t head;   // prefix + OID + 16 + cksum (+ confounder for wrap)
};

bool token_geometry(const profile &pf, size_t body, bool wrap, geometry *g)
{
	const size_t fixed = kOidLen + kCksumOff + pf.cksum_len; // OID .. SGN_CKSUM
	if (body > kMaxInner - fixed)
		return false;
	g->inner = fixed + body;
	const size_t n = framing_der_len_size(g->inner);
	if (n == 0)
		return false;
	g->prefix = 1 + n;
	g->head = g->prefix + fixed + (wrap ? kConfLen : 0);
	return true;
}

// RFC 1964 §1.2.2.3: DES3 pads to the 8-byte block (1..8 bytes, each the pad
// length); RFC 4757 §7.3: RC4 always adds one byte of 01.
size_t pad_for(const profile &pf, size_t data_len) { return pf.des3 ? 8 - (data_len & 7) : 1; }

// ---- header fields (RFC 1964 §1.2.1, §1.2.2) --------------------------------------

void put_header(const profile &pf, uint8_t *h, bool wrap, bool sealed)
{
	memcpy(h, wrap ? kTokWrap : kTokMic, 2);
	h[2] = (uint8_t)pf.sign_alg;
	h[3] = (uint8_t)(pf.sign_alg >> 8);
	const uint16_t seal = sealed ? pf.seal_alg : kSealNone; // MIC: part of the FF filler
	h[4] = (uint8_t)seal;
	h[5] = (uint8_t)(seal >> 8);
	h[6] = 0xff;
	h[7] = 0xff;
}

// TOK_ID, SGN_ALG (the context's only algorithm), SEAL_ALG (wrap: none or
// the context's; MIC: FF FF) and the filler.  All public: DEFECTIVE_TOKEN
// as MIT does for a mismatch.
kgss_status check_header(const profile &pf, const uint8_t *h, bool wrap, bool *sealed)
{
	if (memcmp(h, wrap ? kTokWrap : kTokMic, 2) != 0)
		return KGSS_S_DEFECTIVE_TOKEN;
	const uint16_t sign = (uint16_t)(h[2] | (h[3] << 8));
	const uint16_t seal = (uint16_t)(h[4] | (h[5] << 8));
	if (sign != pf.sign_alg)
		return KGSS_S_DEFECTIVE_TOKEN;
	if (seal == kSealNone)
		*sealed = false;
	else if (wrap && seal == pf.seal_alg)
		*sealed = true;
	else
		return KGSS_S_DEFECTIVE_TOKEN;
	if (h[6] != 0xff || h[7] != 0xff)
		return KGSS_S_DEFECTIVE_TOKEN;
	return KGSS_S_COMPLETE;
}

// ---- RC4 keystreams (RFC 4757 §7.2, §7.3) ------------------------------------------

// RC4 keyed by HMAC-MD5(base, kd) over the encrypted segments of segs.  base
// is one of the fixed keys made at import (Kseq or Kcrypt's first stage); the
// per-message key lives on this frame and is wiped (the RC4 state on
// rc4_crypt_segs's).
KGSS_NOINLINE kgss_status rc4_apply(const kgss_ctx *c, const hmac_key *base, const uint8_t *kd, size_t kd_len, const seglist &segs)
{
	uint8_t key[RC4_KEY_BYTES]; // secret
	kgss_status st = hmac(base, kd, kd_len, key);
	if (st == KGSS_S_COMPLETE)
		st = rc4_crypt_segs(backend_stream(c->be, CIPHER_RC4), key, segs);
	KGSS_WIPE(key);
	return st;
}

// DES3-CBC, zero IV, raw context key, over the encrypted segments of segs
// (RFC 1964 §1.2.2.4 with SEAL_ALG 02 00: no derivation, no confounder or
// checksum of its own).
KGSS_NOINLINE kgss_status des3_cbc(const kgss_ctx *c, const seglist &segs, bool decrypt)
{
	seg_cipher run;
	kgss_status st = seg_cipher_init_block(&run, segs, SEGC_CBC, &c->k.des3.raw, decrypt);
	if (st == KGSS_S_COMPLETE)
		st = seg_cipher_all(&run);
	return st;
}

// ---- SGN_CKSUM ----------------------------------------------------------------------

// DES3 (SGN_ALG 04 00): HMAC-SHA1 under Kc = DK(key, 23 | 0x99) over
// header8 | [confounder | data | pad] (or the message for a MIC): 20 bytes.
KGSS_NOINLINE kgss_status des3_cksum(const kgss_ctx *c, const seglist &segs, uint8_t *out)
{
	mac_run r;
	kgss_status st = mac_begin(&r, &c->k.des3.sign);
	if (st != KGSS_S_COMPLETE)
		return st;
	mac_update_segs(&r, segs);
	return mac_end(&r, out); // mac_size() == 20, checked at import
}

// Computes the token checksum into out (kMaxCksumLen bytes of room).  RC4
// (SGN_ALG 11 00), RFC 4757 §7.2 / §7.3, usage 13 (Wrap) or 15 (MIC):
//   Sgn_Cksum = MD5(usage as LE32 | header8 | [confounder | data | pad])
//   Sgn_Cksum = HMAC-MD5(Ksign, Sgn_Cksum), first 8 bytes on the wire
// (rc4_md5_cksum, the core it shares with checksum -138).
kgss_status make_cksum(const kgss_ctx *c, const profile &pf, bool wrap, const seglist &segs, uint8_t *out)
{
	if (pf.des3)
		return des3_cksum(c, segs, out);
	return rc4_md5_cksum(&c->k.rc4.ksign, wrap ? kRc4UsageWrap : kRc4UsageMic, segs, out); // 16 bytes; 8 are used
}

// ---- SND_SEQ (RFC 1964 §1.2.1.2, RFC 4757 §7.2) --------------------------------------

// Plaintext: the 32-bit number (DES3 little-endian, RC4 big-endian) and four
// direction bytes (00 from the initiator, FF from the acceptor).  Encrypted
// in place: DES3-CBC with the raw key and IV = SGN_CKSUM[0..8); RC4 keyed by
// HMAC-MD5(Kseq, SGN_CKSUM[0..8)).  CBC of one block is its own inverse
// only with the right direction, hence `decrypt`.
kgss_status snd_seq_crypt(const kgss_ctx *c, const profile &pf, uint8_t blk[8], const uint8_t *cksum, bool decrypt)
{
	if (pf.des3) {
		const cipher_key &k = c->k.des3.raw;
		uint8_t iv[8];
		memcpy(iv, cksum, sizeof(iv));
		int rc = decrypt ? k.cls->cbc_decrypt(k.ks, iv, blk, 1) : k.cls->cbc_encrypt(k.ks, iv, blk, 1);
		return rc == 0 ? KGSS_S_COMPLETE : KGSS_S_FAILURE;
	}
	seglist one;
	one.add_head(blk, kSndSeqLen, true);
	return rc4_apply(c, &c->k.rc4.kseq, cksum, 8, one);
}

void snd_seq_plain(const kgss_ctx *c, const profile &pf, uint32_t seq, uint8_t blk[8])
{
	if (pf.des3)
		store_le32(blk, seq);
	else
		store_be32(blk, seq);
	memset(blk + 4, c->initiator ? 0x00 : 0xff, 4);
}

// ---- sealing (RFC 1964 §1.2.2.4, RFC 4757 §7.3) ---------------------------------------

// RC4: Kcrypt = HMAC-MD5(HMAC-MD5(Klocal, 0 as LE32), seq as BE32), one
// keystream over confounder then data | pad.  The first stage is the fixed
// key made at import; the sequence number is the plaintext SND_SEQ number.
kgss_status seal_crypt(const kgss_ctx *c, const profile &pf, uint32_t seq, const seglist &segs, bool decrypt)
{
	if (pf.des3)
		return des3_cbc(c, segs, decrypt);
	uint8_t s[4];
	store_be32(s, seq);
	return rc4_apply(c, &c->k.rc4.kcrypt, s, sizeof(s), segs);
}

// ---- unwrap helpers -------------------------------------------------------------

// The last n (<= 8) bytes of the wrap body (the encrypted segments after the
// confounder, i.e. data | pad) into out[0..n), in order.  Walks from the end;
// which bytes are read depends only on public lengths.
void body_tail(const seglist &segs, uint8_t *out, size_t n)
{
	size_t need = n;
	seg sg;
	for (size_t i = segs.count(); i-- > segs.nhead && need > 0;) {
		if (!segs.at(i, &sg) || !sg.enc)
			continue;
		size_t take = min_of(sg.len, need);
		if (take == 0)
			continue; // an empty DATA buffer may have a NULL value
		memcpy(out + need - take, sg.p + sg.len - take, take);
		need -= take;
	}
}

// 1 when `last`, the final plaintext byte, is an acceptable pad length, with
// no branch on it (secret until verified).  The rule is MIT's (k5unseal.c,
// kg_fixup_padding_iov), for DES3 and RC4 alike: the pad length is the last
// byte, the other pad bytes are not looked at.  It must be at least 1 and
// cover the caller's whole pad buffer (lo), and fit in data | pad (hi).  We
// send 1..8 bytes each equal to the length (DES3) or one 01 (RC4).
uint32_t pad_valid(uint8_t last, size_t lo, size_t hi)
{
	const uint32_t p = last;
	uint32_t bad = (uint32_t)(p == 0);
	bad |= (uint32_t)(p < lo);
	bad |= (uint32_t)(p > hi);
	return (uint32_t)(bad == 0);
}

// Drops the last `n` bytes from the DATA entries, last entry first.
void trim_data(const iov_layout &l, size_t n)
{
	for (size_t i = l.count; i-- > 0 && n > 0;) {
		kgss_iov &v = l.iov[i];
		if (v.type != KGSS_IOV_DATA)
			continue;
		size_t take = min_of(v.buffer.length, n);
		v.buffer.length -= take;
		n -= take;
	}
}

kgss_iov *only_data(const iov_layout &l)
{
	for (size_t i = 0; i < l.count; i++)
		if (l.iov[i].type == KGSS_IOV_DATA)
			return &l.iov[i];
	return nullptr;
}

// Where the pad goes: PADDING, else TRAILER (see the file comment).
kgss_iov *pad_buffer(const iov_layout &l) { return l.padding ? l.padding : l.trailer; }

} // namespace

// ================================================================================
// Keys, once per context
// ================================================================================

namespace {

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

kgss_status rc4_init_keys(kgss_ctx *c, const uint8_t *key)
{
	rc4_keys &k = c->k.rc4;
	const kgss_hash_class *md5 = nullptr;
	const kgss_stream_cipher_class *rc4 = nullptr;
	kgss_status st = rc4_backend(c->be, &md5, &rc4);
	if (st != KGSS_S_COMPLETE)
		return st;
	if (c->et->key_bytes != RC4_KEY_BYTES)
		return KGSS_S_FAILURE;
	k.exp = c->et->rc4_export;

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

kgss_status des3_init_keys(kgss_ctx *c, const uint8_t *key)
{
	des3_keys &k = c->k.des3;
	const kgss_block_cipher_class *cls = backend_cipher(c->be, CIPHER_DES3);
	if (cls == nullptr)
		return KGSS_S_UNAVAILABLE;
	if (cls->block_size != 8)
		return KGSS_S_FAILURE;
	// Sealing and SND_SEQ: the raw context key, no derivation.
	kgss_status st = cipher_key_init(&k.raw, cls, key, c->et->key_bytes);
	// SGN_CKSUM: Kc = DK(key, 23 | 0x99) (RFC 3961 §5.3, §6.3).
	if (st == KGSS_S_COMPLETE)
		st = c->et->derive_cksum(c->be, key, kDes3SignUsage, &k.sign);
	if (st == KGSS_S_COMPLETE && mac_size(&k.sign) != kDes3CksumLen)
		st = KGSS_S_FAILURE;
	return st;
}

} // namespace

kgss_status rfc1964_init_keys(kgss_ctx *c, const uint8_t *key)
{
	wipe(&c->k, sizeof(c->k));
	profile pf;
	if (key == nullptr || !profile_of(c, &pf))
		return KGSS_S_FAILURE;
	kgss_status st = pf.des3 ? des3_init_keys(c, key) : rc4_init_keys(c, key);
	if (st != KGSS_S_COMPLETE)
		rfc1964_clear_keys(c);
	return st;
}

void rfc1964_clear_keys(kgss_ctx *c)
{
	if (c->et != nullptr && c->et->family() == FAMILY_DES3) {
		cipher_key_clear(&c->k.des3.raw);
		mac_key_clear(&c->k.des3.sign);
	} else if (c->et != nullptr && c->et->family() == FAMILY_RC4) {
		hmac_key_clear(&c->k.rc4.ksign);
		hmac_key_clear(&c->k.rc4.kseq);
		hmac_key_clear(&c->k.rc4.kcrypt);
	}
	wipe(&c->k, sizeof(c->k));
}

// ================================================================================
// RFC 1964 §1.2.1: MIC tokens (GSS_GetMIC, GSS_VerifyMIC)
// ================================================================================

kgss_status rfc1964_get_mic_iov_length(kgss_ctx *c, const iov_layout &l)
{
	profile pf;
	geometry g;
	if (!profile_of(c, &pf) || l.mic_token == nullptr || !token_geometry(pf, 0, false, &g))
		return KGSS_S_FAILURE;
	l.mic_token->buffer.length = g.head;
	return KGSS_S_COMPLETE;
}

kgss_status rfc1964_get_mic_iov(kgss_ctx *c, const iov_layout &l)
{
	profile pf;
	geometry g;
	if (!profile_of(c, &pf) || l.mic_token == nullptr || !token_geometry(pf, 0, false, &g))
		return KGSS_S_FAILURE;
	if (l.mic_token->buffer.length < g.head)
		return KGSS_S_FAILURE;
	uint8_t *out = (uint8_t *)l.mic_token->buffer.value;
	const uint32_t seq = (uint32_t)ctx_next_send_seq(c);

	// Framing and the 8 header bytes: 01 01 | SGN_ALG | FF FF FF FF.
	uint8_t *tok = out + framing_put(out, g.inner);
	put_header(pf, tok, false, false);

	// §1.2.1.1: SGN_CKSUM over header8 | message (DATA and SIGN_ONLY, in order).
	seglist s;
	s.add_head(tok, kHdr8, false);
	s.set_iov(l.iov, l.count);
	uint8_t ck[kMaxCksumLen];
	kgss_status st = make_cksum(c, pf, false, s, ck);
	if (st != KGSS_S_COMPLETE)
		return st;
	memcpy(tok + kCksumOff, ck, pf.cksum_len);

	// §1.2.1.2: SND_SEQ, encrypted under a key/IV taken from SGN_CKSUM.
	uint8_t *sndseq = tok + kSndSeqOff;
	snd_seq_plain(c, pf, seq, sndseq);
	st = snd_seq_crypt(c, pf, sndseq, ck, false);
	KGSS_WIPE(ck);
	if (st != KGSS_S_COMPLETE) {
		KGSS_WIPE_BUF(out, g.head);
		return st;
	}
	l.mic_token->buffer.length = g.head;
	return KGSS_S_COMPLETE;
}

kgss_status rfc1964_verify_mic_iov(kgss_ctx *c, const iov_layout &l)
{
	profile pf;
	if (!profile_of(c, &pf) || l.mic_token == nullptr)
		return KGSS_S_FAILURE;
	const uint8_t *in = (const uint8_t *)l.mic_token->buffer.value;
	const size_t len = l.mic_token->buffer.length;

	// RFC 2743 §3.1 framing (optional, framing.h), then at least 8 + 8 +
	// SGN_CKSUM bytes (CVE-2014-4341: a short header or checksum is never
	// read past).  Octets after SGN_CKSUM are outside the checksum and
	// ignored, as MIT does (it checks only a minimum length): Heimdal's DES3
	// MIC tokens end in two zero octets.
	size_t off = 0;
	kgss_status st = framing_skip(in, len, len, &off);
	if (st != KGSS_S_COMPLETE)
		return st;
	if (len - off < kCksumOff + pf.cksum_len)
		return KGSS_S_DEFECTIVE_TOKEN;
	const uint8_t *tok = in + off;
	bool sealed = false;
	st = check_header(pf, tok, false, &sealed);
	if (st != KGSS_S_COMPLETE)
		return st;
	const uint8_t *wire_ck = tok + kCksumOff;

	// §1.2.1.2: SND_SEQ (not covered by the checksum; trusted only after it).
	uint8_t blk[kSndSeqLen];
	memcpy(blk, tok + kSndSeqOff, sizeof(blk));
	st = snd_seq_crypt(c, pf, blk, wire_ck, true);
	if (st != KGSS_S_COMPLETE)
		return st;

	// §1.2.1.1: recompute the checksum, compare in constant time.
	seglist s;
	s.add_head(const_cast<uint8_t *>(tok), kHdr8, false); // only read
	s.set_iov(l.iov, l.count);
	uint8_t ck[kMaxCksumLen];
	st = make_cksum(c, pf, false, s, ck);
	if (st != KGSS_S_COMPLETE)
		return st;
	uint32_t ok = ct_equal(ck, wire_ck, pf.cksum_len);
	KGSS_WIPE(ck);
	// The peer's direction bytes: a reflected token of our own fails here.
	ok &= ct_all_equal(blk + 4, c->initiator ? 0xff : 0x00, 4);
	if (!ok)
		return KGSS_S_BAD_SIG;
	const uint32_t seq = pf.des3 ? load_le32(blk) : load_be32(blk);
	return KGSS_S_COMPLETE | seqstate_check(&c->recv, seq);
}

// ================================================================================
// RFC 1964 §1.2.2: Wrap tokens (GSS_Wrap, GSS_Unwrap)
// ================================================================================

namespace {

// The checks wrap_iov_length and wrap_iov share.
kgss_status wrap_plan(const kgss_ctx *c, const iov_layout &l, profile *pf, geometry *g, size_t *pad,
		      kgss_iov **padbuf)
{
	if (!profile_of(c, pf))
		return KGSS_S_FAILURE;
	if (l.stream != nullptr || l.header == nullptr)
		return KGSS_S_FAILURE;
	*padbuf = pad_buffer(l);
	if (*padbuf == nullptr)
		return KGSS_S_FAILURE; // RFC 1964 always pads: the pad needs a buffer
	*pad = pad_for(*pf, l.data_len);
	if (l.data_len > kMaxInner || !token_geometry(*pf, kConfLen + l.data_len + *pad, true, g))
		return KGSS_S_FAILURE;
	return KGSS_S_COMPLETE;
}

} // namespace

kgss_status rfc1964_wrap_iov_length(kgss_ctx *c, int conf_req, int *conf_state, const iov_layout &l)
{
	profile pf;
	geometry g;
	size_t pad = 0;
	kgss_iov *padbuf = nullptr;
	kgss_status st = wrap_plan(c, l, &pf, &g, &pad, &padbuf);
	if (st != KGSS_S_COMPLETE)
		return st;
	l.header->buffer.length = g.head;
	padbuf->buffer.length = pad;
	if (l.trailer != nullptr && l.trailer != padbuf)
		l.trailer->buffer.length = 0;
	if (conf_state)
		*conf_state = conf_req ? 1 : 0;
	return KGSS_S_COMPLETE;
}

kgss_status rfc1964_wrap_iov(kgss_ctx *c, int conf_req, int *conf_state, const iov_layout &l)
{
	profile pf;
	geometry g;
	size_t pad = 0;
	kgss_iov *padbuf = nullptr;
	kgss_status st = wrap_plan(c, l, &pf, &g, &pad, &padbuf);
	if (st != KGSS_S_COMPLETE)
		return st;
	if (l.header->buffer.length < g.head || padbuf->buffer.length < pad)
		return KGSS_S_FAILURE; // nothing written, no sequence number used
	const bool sealed = conf_req != 0;
	uint8_t *out = (uint8_t *)l.header->buffer.value;
	uint8_t *tok = out + g.prefix + kOidLen;
	uint8_t *conf = tok + kCksumOff + pf.cksum_len;
	uint8_t *padp = (uint8_t *)padbuf->buffer.value;

	// The confounder first, so that a PRNG failure costs no sequence
	// number.  Every RFC 1964 wrap token carries one, sealed or not, and the
	// house rule is never a made-up confounder: without a PRNG the call
	// fails with UNAVAILABLE (a generator failure: FAILURE).
	if (l.confounder != nullptr)
		memcpy(conf, l.confounder, kConfLen);
	else
		st = ctx_random(c, conf, kConfLen);
	if (st != KGSS_S_COMPLETE)
		return st;
	const uint32_t seq = (uint32_t)ctx_next_send_seq(c);

	// Framing, header: 02 01 | SGN_ALG | SEAL_ALG (or FF FF) | FF FF.
	framing_put(out, g.inner);
	put_header(pf, tok, true, sealed);

	// §1.2.2.3: the pad, each byte the pad length.
	memset(padp, (int)pad, pad);

	// The message as the checksum and the cipher see it.
	seglist s;
	s.add_head(tok, kHdr8, false);       // header8: checksummed, never encrypted
	s.add_head(conf, kConfLen, true);    // confounder
	s.set_iov(l.iov, l.count);           // DATA (and SIGN_ONLY: checksum only)
	s.add_tail(padp, pad, true);         // pad

	// §1.2.2.1: SGN_CKSUM over the plaintext.
	uint8_t ck[kMaxCksumLen];
	st = make_cksum(c, pf, true, s, ck);
	// §1.2.2.4: encryption of confounder | data | pad.
	if (st == KGSS_S_COMPLETE && sealed)
		st = seal_crypt(c, pf, seq, s, false);
	// §1.2.2.2: SND_SEQ under SGN_CKSUM.
	if (st == KGSS_S_COMPLETE) {
		memcpy(tok + kCksumOff, ck, pf.cksum_len);
		snd_seq_plain(c, pf, seq, tok + kSndSeqOff);
		st = snd_seq_crypt(c, pf, tok + kSndSeqOff, ck, false);
	}
	KGSS_WIPE(ck);
	if (st != KGSS_S_COMPLETE) {
		// A backend failure: leave no half-encrypted message behind.
		if (sealed)
			zero_enc_segs(s);
		KGSS_WIPE_BUF(out, g.head);
		return st;
	}
	l.header->buffer.length = g.head;
	padbuf->buffer.length = pad;
	if (l.trailer != nullptr && l.trailer != padbuf)
		l.trailer->buffer.length = 0;
	if (conf_state)
		*conf_state = sealed ? 1 : 0;
	return KGSS_S_COMPLETE;
}

size_t rfc1964_wrap_confounder_len(const kgss_ctx *, int) { return kConfLen; } // sealed or not

kgss_status rfc1964_unwrap_iov(kgss_ctx *c, int *conf_state, const iov_layout &l)
{
	if (conf_state)
		*conf_state = 0;
	profile pf;
	if (!profile_of(c, &pf))
		return KGSS_S_FAILURE;

	// ---- where the token is -----------------------------------------------------
	//   STREAM | DATA: the whole token in STREAM; DATA will point into it.
	//   HEADER | DATA.. | [PADDING or TRAILER]: framing .. confounder in
	//   HEADER, data | pad in DATA.. and the pad buffer.
	uint8_t *hdr = nullptr;
	size_t avail = 0, total = 0;
	kgss_iov *sdata = nullptr; // STREAM mode: the DATA entry we point
	kgss_iov *padbuf = nullptr;
	if (l.stream != nullptr) {
		if (l.header || l.padding || l.trailer || l.data_count != 1)
			return KGSS_S_FAILURE;
		sdata = only_data(l);
		hdr = (uint8_t *)l.stream->buffer.value;
		avail = total = l.stream->buffer.length;
	} else {
		if (l.header == nullptr)
			return KGSS_S_FAILURE;
		// MIT: a TRAILER beside PADDING must be empty for RFC 1964.
		if (l.padding && l.trailer && l.trailer->buffer.length != 0)
			return KGSS_S_DEFECTIVE_TOKEN;
		padbuf = pad_buffer(l);
		hdr = (uint8_t *)l.header->buffer.value;
		avail = l.header->buffer.length;
		total = avail + l.data_len + (padbuf ? padbuf->buffer.length : 0); // fits: iov_classify
	}

	// ---- RFC 2743 §3.1 framing (optional); its length covers the whole token -
	size_t off = 0;
	kgss_status st = framing_skip(hdr, avail, total, &off);
	if (st != KGSS_S_COMPLETE)
		return st;

	// ---- §1.2.2 fixed part: header8, SND_SEQ, SGN_CKSUM, confounder -----------
	// CVE-2014-4341/4342, CVE-2009-4212: nothing is read unless present.
	const size_t fixed = kCksumOff + pf.cksum_len + kConfLen;
	if (avail - off < fixed)
		return KGSS_S_DEFECTIVE_TOKEN;
	if (sdata == nullptr && avail - off != fixed)
		return KGSS_S_DEFECTIVE_TOKEN; // HEADER holds exactly framing .. confounder
	const size_t body_len = total - off - fixed; // data | pad
	// At least the pad; DES3 ciphertext is whole blocks (confounder is one).
	if (body_len == 0 || (pf.des3 && (body_len & 7) != 0))
		return KGSS_S_DEFECTIVE_TOKEN;

	uint8_t *tok = hdr + off;
	bool sealed = false;
	st = check_header(pf, tok, true, &sealed);
	if (st != KGSS_S_COMPLETE)
		return st;
	const uint8_t *wire_ck = tok + kCksumOff;
	uint8_t *conf = tok + kCksumOff + pf.cksum_len;

	size_t padbuf_len = 0;
	seglist s;
	s.add_head(tok, kHdr8, false);
	s.add_head(conf, kConfLen, true);
	kgss_buffer caller_data = {0, nullptr};
	if (sdata != nullptr) {
		caller_data = sdata->buffer;
		sdata->buffer.value = conf + kConfLen;
		sdata->buffer.length = body_len;
	} else if (padbuf != nullptr && padbuf->buffer.length != 0) {
		padbuf_len = padbuf->buffer.length;
		s.add_tail((uint8_t *)padbuf->buffer.value, padbuf_len, true);
	}
	s.set_iov(l.iov, l.count);

	// ---- §1.2.2.2: SND_SEQ (RC4 needs the number to derive Kcrypt) -----------
	uint8_t blk[kSndSeqLen];
	memcpy(blk, tok + kSndSeqOff, sizeof(blk));
	st = snd_seq_crypt(c, pf, blk, wire_ck, true);
	const uint32_t seq = pf.des3 ? load_le32(blk) : load_be32(blk);

	// ---- §1.2.2.4: decrypt confounder | data | pad in place ------------------
	if (st == KGSS_S_COMPLETE && sealed)
		st = seal_crypt(c, pf, seq, s, true);

	// ---- §1.2.2.1: checksum over the plaintext, constant-time compare --------
	uint8_t ck[kMaxCksumLen];
	if (st == KGSS_S_COMPLETE)
		st = make_cksum(c, pf, true, s, ck);
	uint32_t ok = 0;
	uint8_t pad = 0;
	if (st == KGSS_S_COMPLETE) {
		ok = ct_equal(ck, wire_ck, pf.cksum_len);
		// ---- §1.2.2.3: the pad length, judged only with the checksum -----
		body_tail(s, &pad, 1);
		ok &= pad_valid(pad, padbuf_len, body_len);
		// The peer's direction bytes (MIT: G_BAD_DIRECTION, BAD_SIG): our
		// own token reflected back, or a garbled SND_SEQ.
		ok &= ct_all_equal(blk + 4, c->initiator ? 0xff : 0x00, 4);
		if (!ok)
			st = KGSS_S_BAD_SIG;
	}
	KGSS_WIPE(ck);
	if (st != KGSS_S_COMPLETE) {
		// No plaintext leaves: decrypted bytes are zeroed (in STREAM when
		// STREAM | DATA), and DATA is the caller's buffer again, untouched.
		if (sealed)
			zero_enc_segs(s);
		if (sdata != nullptr)
			sdata->buffer = caller_data;
		return st == KGSS_S_BAD_SIG || st == KGSS_S_DEFECTIVE_TOKEN ? st : KGSS_S_FAILURE;
	}

	// ---- release: DATA is the message without the pad -------------------------
	if (sdata != nullptr)
		sdata->buffer.length = body_len - pad;
	else
		trim_data(l, pad - padbuf_len);
	if (conf_state)
		*conf_state = sealed ? 1 : 0;
	return KGSS_S_COMPLETE | seqstate_check(&c->recv, seq);
}

} // namespace kgss
