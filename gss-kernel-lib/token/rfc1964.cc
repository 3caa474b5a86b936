// gss-kernel-lib/token/rfc1964.cc - RFC 1964 per-message tokens (protocol 0):
// the token format.  What its steps compute - the keys, SGN_CKSUM, the
// SND_SEQ cipher and byte order, sealing, the pad rule - is the enctype's
// rfc1964_alg (crypto/enctype.h; des3-cbc-sha1 and arcfour-hmac[-exp] in
// crypto/enctypes/rfc1964_algs.cc), reached from the enctype row.
//
// Token (RFC 2743 §3.1 framing, RFC 1964 §1.2.1 / §1.2.2 body):
//   60 | DER length | 06 09 2a 86 48 86 f7 12 01 02 02      framing + krb5 OID
//   TOK_ID(2) SGN_ALG(2, LE) SEAL_ALG(2, LE) FF FF         "header": 8 bytes
//   SND_SEQ(8)  SGN_CKSUM(the algorithm's length: DES3 20 / RC4 8)
//   Wrap only: confounder(8) | data | pad
// The DER length covers everything after itself, data and pad included.
//
// IOV shape (what MIT's gss_wrap_iov builds for RFC 1964 contexts): HEADER =
// framing .. confounder, DATA = data, PADDING = pad (1..pad_block bytes,
// each the pad length: DES3 1..8, RC4 one 01 byte).  As a convenience a
// TRAILER buffer stands in for PADDING when the caller gave none.  On unwrap the pad may
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
//   then the sequence number goes to the caller's receive window.
// No pad byte is looked at before the checksum has been computed over all of
// it, and a bad pad is indistinguishable from a bad checksum: no padding
// oracle (Heimdal CVE-2022-3437, MIT CVE-2014-4341/4342).
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crypto/seg_cipher.h"
#include "crypto/enctype.h"
#include "crypto/seglist.h"
#include "crypto/util.h"
#include "gss-kernel-lib/token/constants.h"
#include "gss-kernel-lib/token/format.h"
#include "gss-kernel-lib/token/framing.h"

namespace kgss {

namespace {

// ---- constants ------------------------------------------------------------------

// RFC 2743 §3.1 framing: token/framing.h.
constexpr size_t kOidLen = KRB5_OID_DER_LEN;

// RFC 1964 §1.2.1 / §1.2.2: token layout after the OID (token/constants.h).
constexpr const uint8_t (&kTokMic)[2] = tok1964::TOK_ID_MIC;
constexpr const uint8_t (&kTokWrap)[2] = tok1964::TOK_ID_WRAP;
constexpr size_t kHdr8 = tok1964::FIELDS_LEN; // TOK_ID | SGN_ALG | SEAL_ALG/filler | filler
constexpr size_t kSndSeqOff = tok1964::SND_SEQ_OFF;
constexpr size_t kSndSeqLen = RFC1964_SND_SEQ_LEN;
static_assert(kSndSeqLen == tok1964::SND_SEQ_LEN, "token/constants.h and crypto/enctype.h disagree on SND_SEQ");
constexpr size_t kCksumOff = tok1964::CKSUM_OFF;
constexpr size_t kConfLen = tok1964::CONF_LEN; // whatever the algorithm (RFC 4757 §7.3 too)
constexpr uint16_t kSealNone = tok1964::SEAL_ALG_NONE;
constexpr uint16_t kNotRfc1964 = 0xffff; // sign_alg / seal_alg of an enctype row without RFC 1964

constexpr size_t kMaxCksumLen = RFC1964_CKSUM_MAX;

// The largest DER length we write or accept: four length octets.
constexpr size_t kMaxInner = FRAMING_MAX_INNER;

// The context's algorithm and what it runs on.
struct profile {
	const rfc1964_alg *alg;
	const rfc1964_keys *keys;
	const kgss_crypto_backend *be;
	size_t cksum_len;  // SGN_CKSUM bytes
	uint16_t sign_alg; // RFC 1964 SGN_ALG for this context
	uint16_t seal_alg; // RFC 1964 SEAL_ALG when sealed
};

bool profile_of(const token_state *c, profile *p)
{
	if (c->et == nullptr || c->be == nullptr || c->et->rfc1964 == nullptr)
		return false;
	const rfc1964_alg *alg = c->et->rfc1964;
	*p = profile{alg, &c->k.rfc1964, c->be, alg->cksum_len, c->et->sign_alg, c->et->seal_alg};
	return true;
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

// RFC 1964 §1.2.2.3: the pad fills data | pad up to the algorithm's block,
// 1..pad_block bytes each the pad length (DES3: 8; RFC 4757 §7.3 RC4: 1,
// always one byte of 01).
size_t pad_for(const profile &pf, size_t data_len) { return pf.alg->pad_block - data_len % pf.alg->pad_block; }

// ---- header fields (RFC 1964 §1.2.1, §1.2.2) --------------------------------------

void put_header(const profile &pf, uint8_t *h, bool wrap, bool sealed)
{
	memcpy(h, wrap ? kTokWrap : kTokMic, 2);
	h[2] = (uint8_t)pf.sign_alg;
	h[3] = (uint8_t)(pf.sign_alg >> 8);
	const uint16_t seal = sealed ? pf.seal_alg : kSealNone; // MIC: part of the FF filler
	h[4] = (uint8_t)seal;
	h[5] = (uint8_t)(seal >> 8);
	h[6] = tok1964::FILLER_BYTE;
	h[7] = tok1964::FILLER_BYTE;
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
	if (h[6] != tok1964::FILLER_BYTE || h[7] != tok1964::FILLER_BYTE)
		return KGSS_S_DEFECTIVE_TOKEN;
	return KGSS_S_COMPLETE;
}

// ---- SND_SEQ (RFC 1964 §1.2.1.2, RFC 4757 §7.2) --------------------------------------

// Plaintext: the 32-bit number (in the algorithm's byte order) and four
// direction bytes (00 from the initiator, FF from the acceptor).  Encrypted
// in place by the algorithm, under a key / IV taken from SGN_CKSUM.
void snd_seq_plain(const token_state *c, const profile &pf, uint32_t seq, uint8_t blk[8])
{
	if (pf.alg->snd_seq_be)
		store_be32(blk, seq);
	else
		store_le32(blk, seq);
	memset(blk + 4, c->initiator ? 0x00 : 0xff, 4);
}

uint32_t snd_seq_number(const profile &pf, const uint8_t blk[8])
{
	return pf.alg->snd_seq_be ? load_be32(blk) : load_le32(blk);
}

kgss_status snd_seq_crypt(const profile &pf, uint8_t blk[8], const uint8_t *cksum, bool decrypt)
{
	return pf.alg->snd_seq_crypt(pf.be, pf.keys, blk, cksum, decrypt);
}

// SGN_CKSUM (RFC 1964 §1.2.1.1, §1.2.2.1) into out (kMaxCksumLen bytes of room).
kgss_status make_cksum(const profile &pf, bool wrap, const seglist &segs, uint8_t *out)
{
	return pf.alg->checksum(pf.keys, wrap, segs, out);
}

// Sealing (RFC 1964 §1.2.2.4, RFC 4757 §7.3): confounder | data | pad.
kgss_status seal_crypt(const profile &pf, uint32_t seq, const seglist &segs, bool decrypt)
{
	return pf.alg->seal(pf.be, pf.keys, seq, segs, decrypt);
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
// send 1..pad_block bytes each equal to the length (pad_for).
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

// ================================================================================
// Keys, once per context
// ================================================================================

// Protocol 0 takes the enctypes with RFC 1964 algorithm numbers in the table,
// as the exporter stated them (if it did), and has no acceptor subkey.
kgss_status rfc1964_accepts(const enctype *et, bool acceptor_subkey, uint32_t sign_alg, uint32_t seal_alg)
{
	if (et->rfc1964 == nullptr || et->sign_alg == kNotRfc1964 || et->seal_alg == kNotRfc1964)
		return KGSS_S_DEFECTIVE_TOKEN;
	if (acceptor_subkey)
		return KGSS_S_DEFECTIVE_TOKEN;
	if (sign_alg != ALG_UNSTATED && sign_alg != et->sign_alg)
		return KGSS_S_DEFECTIVE_TOKEN;
	if (seal_alg != ALG_UNSTATED && seal_alg != et->seal_alg)
		return KGSS_S_DEFECTIVE_TOKEN;
	return KGSS_S_COMPLETE;
}

void rfc1964_clear_keys(token_state *c);

kgss_status rfc1964_init_keys(token_state *c, const uint8_t *key, const enctype *, const uint8_t *)
{
	wipe(&c->k, sizeof(c->k));
	profile pf;
	if (key == nullptr || !profile_of(c, &pf))
		return KGSS_S_FAILURE;
	kgss_status st = pf.alg->init_keys(c->et, c->be, key, &c->k.rfc1964);
	if (st != KGSS_S_COMPLETE)
		rfc1964_clear_keys(c);
	return st;
}

void rfc1964_clear_keys(token_state *c)
{
	if (c->et != nullptr && c->et->rfc1964 != nullptr)
		c->et->rfc1964->clear_keys(&c->k.rfc1964);
	wipe(&c->k, sizeof(c->k));
}

// ================================================================================
// RFC 1964 §1.2.1: MIC tokens (GSS_GetMIC, GSS_VerifyMIC)
// ================================================================================

kgss_status rfc1964_get_mic_iov_length(token_state *c, const iov_layout &l)
{
	profile pf;
	geometry g;
	if (!profile_of(c, &pf) || l.mic_token == nullptr || !token_geometry(pf, 0, false, &g))
		return KGSS_S_FAILURE;
	l.mic_token->buffer.length = g.head;
	return KGSS_S_COMPLETE;
}

kgss_status rfc1964_get_mic_iov(token_state *c, const iov_layout &l)
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
	kgss_status st = make_cksum(pf, false, s, ck);
	if (st != KGSS_S_COMPLETE)
		return st;
	memcpy(tok + kCksumOff, ck, pf.cksum_len);

	// §1.2.1.2: SND_SEQ, encrypted under a key/IV taken from SGN_CKSUM.
	uint8_t *sndseq = tok + kSndSeqOff;
	snd_seq_plain(c, pf, seq, sndseq);
	st = snd_seq_crypt(pf, sndseq, ck, false);
	KGSS_WIPE(ck);
	if (st != KGSS_S_COMPLETE) {
		KGSS_WIPE_BUF(out, g.head);
		return st;
	}
	l.mic_token->buffer.length = g.head;
	return KGSS_S_COMPLETE;
}

kgss_status rfc1964_verify_mic_iov(token_state *c, const iov_layout &l, uint64_t *seq)
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
	st = snd_seq_crypt(pf, blk, wire_ck, true);
	if (st != KGSS_S_COMPLETE)
		return st;

	// §1.2.1.1: recompute the checksum, compare in constant time.
	seglist s;
	s.add_head(const_cast<uint8_t *>(tok), kHdr8, false); // only read
	s.set_iov(l.iov, l.count);
	uint8_t ck[kMaxCksumLen];
	st = make_cksum(pf, false, s, ck);
	if (st != KGSS_S_COMPLETE)
		return st;
	uint32_t ok = ct_equal(ck, wire_ck, pf.cksum_len);
	KGSS_WIPE(ck);
	// The peer's direction bytes: a reflected token of our own fails here.
	ok &= ct_all_equal(blk + 4, c->initiator ? 0xff : 0x00, 4);
	if (!ok)
		return KGSS_S_BAD_SIG;
	*seq = snd_seq_number(pf, blk);
	return KGSS_S_COMPLETE;
}

// ================================================================================
// RFC 1964 §1.2.2: Wrap tokens (GSS_Wrap, GSS_Unwrap)
// ================================================================================

// What wrap_iov_length and wrap_iov both work out from the context and the
// caller's buffers.
struct wrap_plan {
	profile pf;
	geometry g;
	size_t pad = 0;             // §1.2.2.3: 1..8 bytes, each the pad length
	kgss_iov *padbuf = nullptr; // the buffer the pad goes to
};

kgss_status plan_wrap(const token_state *c, const iov_layout &l, wrap_plan *w)
{
	if (!profile_of(c, &w->pf))
		return KGSS_S_FAILURE;
	if (l.stream != nullptr || l.header == nullptr)
		return KGSS_S_FAILURE;
	w->padbuf = pad_buffer(l);
	if (w->padbuf == nullptr)
		return KGSS_S_FAILURE; // RFC 1964 always pads: the pad needs a buffer
	w->pad = pad_for(w->pf, l.data_len);
	if (l.data_len > kMaxInner || !token_geometry(w->pf, kConfLen + l.data_len + w->pad, true, &w->g))
		return KGSS_S_FAILURE;
	return KGSS_S_COMPLETE;
}

// What both report: the lengths of the buffers a token takes (the pad's
// buffer, no other trailer) and whether it is sealed.
void report_wrap(const iov_layout &l, const wrap_plan &w, bool sealed, int *conf_state)
{
	l.header->buffer.length = w.g.head;
	w.padbuf->buffer.length = w.pad;
	if (l.trailer != nullptr && l.trailer != w.padbuf)
		l.trailer->buffer.length = 0;
	if (conf_state)
		*conf_state = sealed ? 1 : 0;
}

kgss_status rfc1964_wrap_iov_length(token_state *c, int conf_req, int *conf_state, const iov_layout &l)
{
	wrap_plan w;
	const kgss_status st = plan_wrap(c, l, &w);
	if (st == KGSS_S_COMPLETE)
		report_wrap(l, w, conf_req != 0, conf_state);
	return st;
}

kgss_status rfc1964_wrap_iov(token_state *c, int conf_req, int *conf_state, const iov_layout &l)
{
	wrap_plan w;
	kgss_status st = plan_wrap(c, l, &w);
	if (st != KGSS_S_COMPLETE)
		return st;
	const profile &pf = w.pf;
	const geometry &g = w.g;
	const size_t pad = w.pad;
	if (l.header->buffer.length < g.head || w.padbuf->buffer.length < pad)
		return KGSS_S_FAILURE; // nothing written, no sequence number used
	const bool sealed = conf_req != 0;
	uint8_t *out = (uint8_t *)l.header->buffer.value;
	uint8_t *tok = out + g.prefix + kOidLen;
	uint8_t *conf = tok + kCksumOff + pf.cksum_len;
	uint8_t *padp = (uint8_t *)w.padbuf->buffer.value;

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
	s.add_head(tok, kHdr8, false);    // header8: checksummed, never encrypted
	s.add_head(conf, kConfLen, true); // confounder
	s.set_iov(l.iov, l.count);        // DATA (and SIGN_ONLY: checksum only)
	s.add_tail(padp, pad, true);      // pad

	// §1.2.2.1: SGN_CKSUM over the plaintext.
	uint8_t ck[kMaxCksumLen];
	st = make_cksum(pf, true, s, ck);
	// §1.2.2.4: encryption of confounder | data | pad.
	if (st == KGSS_S_COMPLETE && sealed)
		st = seal_crypt(pf, seq, s, false);
	// §1.2.2.2: SND_SEQ under SGN_CKSUM.
	if (st == KGSS_S_COMPLETE) {
		memcpy(tok + kCksumOff, ck, pf.cksum_len);
		snd_seq_plain(c, pf, seq, tok + kSndSeqOff);
		st = snd_seq_crypt(pf, tok + kSndSeqOff, ck, false);
	}
	KGSS_WIPE(ck);
	if (st != KGSS_S_COMPLETE) {
		// A backend failure: leave no half-encrypted message behind.
		if (sealed)
			zero_enc_segs(s);
		KGSS_WIPE_BUF(out, g.head);
		return st;
	}
	report_wrap(l, w, sealed, conf_state);
	return KGSS_S_COMPLETE;
}

size_t rfc1964_wrap_confounder_len(const token_state *, int) { return kConfLen; } // sealed or not

kgss_status rfc1964_unwrap_iov(token_state *c, int *conf_state, const iov_layout &l, uint64_t *seq_out)
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
		return KGSS_S_DEFECTIVE_TOKEN;       // HEADER holds exactly framing .. confounder
	const size_t body_len = total - off - fixed; // data | pad
	// At least the pad; data | pad is whole pad blocks (DES3: the cipher's,
	// the confounder is one).
	if (body_len == 0 || body_len % pf.alg->pad_block != 0)
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
	st = snd_seq_crypt(pf, blk, wire_ck, true);
	const uint32_t seq = snd_seq_number(pf, blk);

	// ---- §1.2.2.4: decrypt confounder | data | pad in place ------------------
	if (st == KGSS_S_COMPLETE && sealed)
		st = seal_crypt(pf, seq, s, true);

	// ---- §1.2.2.1: checksum over the plaintext, constant-time compare --------
	uint8_t ck[kMaxCksumLen];
	if (st == KGSS_S_COMPLETE)
		st = make_cksum(pf, true, s, ck);
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
	*seq_out = seq;
	return KGSS_S_COMPLETE;
}

} // namespace

constexpr token_format rfc1964_format = {
	.protocol = 0,
	.seq_mask = 0xffffffffu, // §1.2.1.2: a 32-bit SND_SEQ
	.accepts = rfc1964_accepts,
	.init_keys = rfc1964_init_keys,
	.clear_keys = rfc1964_clear_keys,
	.wrap_iov_length = rfc1964_wrap_iov_length,
	.wrap_iov = rfc1964_wrap_iov,
	.wrap_confounder_len = rfc1964_wrap_confounder_len,
	.unwrap_iov = rfc1964_unwrap_iov,
	.unwrap_to = nullptr, // kgss_unwrap: a copy of the token, unwrapped in place
	.get_mic_iov_length = rfc1964_get_mic_iov_length,
	.get_mic_iov = rfc1964_get_mic_iov,
	.verify_mic_iov = rfc1964_verify_mic_iov,
};

} // namespace kgss
