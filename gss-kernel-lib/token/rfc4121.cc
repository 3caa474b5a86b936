// gss-kernel-lib/token/rfc4121.cc - RFC 4121 §4.2 per-message tokens (the
// "CFX" MIC and Wrap tokens of protocol 1) over kgss_iov arrays.
//
// The byte layout of every token follows MIT krb5's gss_wrap_iov /
// gss_get_mic_iov, because MIT peers unwrap what we send and the same bytes
// go on the wire whichever API produced them.  With the RFC 3961 confounder
// written "conf", the tag (RFC 3961 integrity bytes) "tag" and EC filler
// "filler":
//
//   sealed, HEADER | DATA.. | TRAILER (RRC = 0):
//     HEADER  = hdr16 | E(conf)
//     TRAILER = E(filler | hdrcopy16) | tag
//   sealed, HEADER | DATA.. (trailer rotated into the header, RRC = EC+16+tag):
//     HEADER  = hdr16 | E(filler | hdrcopy16) | tag | E(conf)
//   integrity only (EC = checksum length):
//     HEADER  = hdr16 [| cksum when there is no TRAILER: RRC = cksum length]
//     TRAILER = cksum
//   STREAM (whole token, unwrap only): hdr16 | body rotated right by RRC.
//
// Message data is never copied: the RFC 3961 operation runs over a seglist
// whose head is the confounder, whose middle is the caller's DATA and
// SIGN_ONLY buffers in order, and whose tail is the filler and header copy.
#include "crypto/enctype.h"
#include "crypto/mac.h"
#include "crypto/seglist.h"
#include "crypto/util.h"
#include "gss-kernel-lib/context.h"
#include "gss-kernel-lib/seqstate.h"
#include "gss-kernel-lib/token/engine.h"
#include "iov/layout.h"

namespace kgss {

namespace {

// ---- RFC 4121 §4.2.6: token identifiers -------------------------------------
constexpr uint16_t TOK_ID_MIC = 0x0404;
constexpr uint16_t TOK_ID_WRAP = 0x0504;

// ---- RFC 4121 §4.2.2: flags ---------------------------------------------------
constexpr uint8_t FLAG_SENT_BY_ACCEPTOR = 0x01;
constexpr uint8_t FLAG_SEALED = 0x02;
constexpr uint8_t FLAG_ACCEPTOR_SUBKEY = 0x04;
// The flags that say who sent the token and with which key; they must match
// what this context expects of its peer.
constexpr uint8_t FLAGS_OF_ROLE = FLAG_SENT_BY_ACCEPTOR | FLAG_ACCEPTOR_SUBKEY;

constexpr size_t TOKEN_HEADER_LEN = 16; // §4.2.6.1 / §4.2.6.2
constexpr uint8_t FILLER_BYTE = 0xFF;   // §4.2.6: filler octets
constexpr size_t MIC_FILLER_LEN = 5;    // §4.2.6.1: octets 3..7
constexpr size_t ROTATE_STACK_MAX = 64; // RRC values MIT sends fit this

// Flags this side puts in its tokens (Sealed added by the sealed Wrap).
uint8_t own_role_flags(const kgss_ctx *c)
{
	uint8_t f = 0;
	if (!c->initiator)
		f |= FLAG_SENT_BY_ACCEPTOR;
	if (c->acceptor_subkey)
		f |= FLAG_ACCEPTOR_SUBKEY;
	return f;
}

// Flags a token from the peer must carry: the opposite direction, the same key.
uint8_t peer_role_flags(const kgss_ctx *c)
{
	uint8_t f = 0;
	if (c->initiator)
		f |= FLAG_SENT_BY_ACCEPTOR;
	if (c->acceptor_subkey)
		f |= FLAG_ACCEPTOR_SUBKEY;
	return f;
}

void zero_data_buffers(kgss_iov *iov, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (iov[i].type == KGSS_IOV_DATA)
			KGSS_WIPE_BUF(iov[i].buffer.value, iov[i].buffer.length);
}

// ---- Wrap token geometry (§4.2.4, §4.2.5) -------------------------------------
//
// Where the parts of a Wrap token go for a given EC and buffer layout.
struct wrap_geometry {
	bool sealed;
	size_t ec;          // §4.2.4 "extra count": filler (sealed) or checksum length
	size_t conf_len;    // sealed: RFC 3961 confounder length, else 0
	size_t tag_len;     // sealed: RFC 3961 integrity tag; integrity: checksum
	size_t tail_len;    // what follows the message: filler|hdrcopy|tag, or the checksum
	size_t rrc;         // §4.2.5: 0 with a TRAILER buffer, else tail_len
	size_t header_len;  // HEADER buffer length
	size_t trailer_len; // TRAILER buffer length (0 when there is none)
};

wrap_geometry wrap_geometry_for(const enctype *et, bool sealed, size_t ec, bool have_trailer)
{
	wrap_geometry g;
	g.sealed = sealed;
	g.ec = ec;
	g.tag_len = et->cksum_len;
	if (sealed) {
		g.conf_len = et->conf_len;
		g.tail_len = ec + TOKEN_HEADER_LEN + g.tag_len; // ec <= 0xffff: no overflow
	} else {
		g.conf_len = 0;
		g.tail_len = g.tag_len;
	}
	if (have_trailer) {
		g.rrc = 0;
		g.trailer_len = g.tail_len;
		g.header_len = TOKEN_HEADER_LEN + g.conf_len;
	} else {
		g.rrc = g.tail_len;
		g.trailer_len = 0;
		g.header_len = TOKEN_HEADER_LEN + g.tail_len + g.conf_len;
	}
	return g;
}

// Pointers to the parts of one Wrap token in caller memory.
struct wrap_parts {
	uint8_t *header;     // the 16-byte token header
	uint8_t *confounder; // sealed: conf_len bytes, encrypted on the wire
	uint8_t *tail;       // sealed: filler | header copy, then the tag; integrity: the checksum
};

// HEADER/TRAILER layouts (MIT gss_wrap_iov): the confounder is the last
// conf_len bytes of HEADER; the tail is the TRAILER, or follows the 16-byte
// header when the trailer was rotated into the HEADER.
wrap_parts wrap_parts_in(const iov_layout &l, const wrap_geometry &g)
{
	wrap_parts p;
	p.header = (uint8_t *)l.header->buffer.value;
	p.confounder = p.header + g.header_len - g.conf_len;
	p.tail = l.trailer ? (uint8_t *)l.trailer->buffer.value : p.header + TOKEN_HEADER_LEN;
	return p;
}

// The fields of a received Wrap token header (§4.2.6.2).
struct wrap_header {
	uint8_t flags;
	uint16_t ec;
	uint16_t rrc;
	uint64_t snd_seq;
};

// §4.2.6.2 checks of the 16 header bytes h: TOK_ID, filler, the role flags.
kgss_status read_wrap_header(const kgss_ctx *c, const uint8_t *h, wrap_header *out)
{
	if (load_be16(h) != TOK_ID_WRAP)
		return KGSS_S_DEFECTIVE_TOKEN;
	if (h[3] != FILLER_BYTE)
		return KGSS_S_DEFECTIVE_TOKEN;
	out->flags = h[2];
	out->ec = load_be16(h + 4);
	out->rrc = load_be16(h + 6);
	out->snd_seq = load_be64(h + 8);
	// §4.2.2: a token in our own direction (a reflection) or under the other
	// key cannot verify; MIT reports both as a bad signature.  Unknown flag
	// bits are ignored, as the RFC requires.
	if ((out->flags & FLAGS_OF_ROLE) != peer_role_flags(c))
		return KGSS_S_BAD_SIG;
	return KGSS_S_COMPLETE;
}

// Rotates buf[0..len) left by r bytes (r < len), in place, with no heap: the
// inverse of the sender's right rotation by RRC (§4.2.5).
void rotate_left(uint8_t *buf, size_t len, size_t r)
{
	if (r == 0)
		return;
	if (r <= ROTATE_STACK_MAX) {
		uint8_t front[ROTATE_STACK_MAX];
		memcpy(front, buf, r);
		memmove(buf, buf + r, len - r);
		memcpy(buf + len - r, front, r);
		KGSS_WIPE_BUF(front, r);
		return;
	}
	// Three reversals: (A B) -> (A' B')' = (B A).
	auto reverse = [](uint8_t *p, size_t n) {
		for (size_t i = 0, j = n; i + 1 < j; i++, j--) {
			uint8_t t = p[i];
			p[i] = p[j - 1];
			p[j - 1] = t;
		}
	};
	reverse(buf, r);
	reverse(buf + r, len - r);
	reverse(buf, len);
}

// The common receive path once the token parts are located and their lengths
// checked: §4.2.4 decryption or checksum, the header copy check, then the
// receive window.
kgss_status open_wrap_token(kgss_ctx *c, const wrap_header &h, const wrap_geometry &g, const wrap_parts &p,
			    kgss_iov *iov, size_t count, int *conf_state)
{
	const enctype *et = c->et;
	if (g.sealed) {
		// §4.2.4: plaintext = confounder | message | filler(EC) | header copy,
		// encrypted with the peer's seal usage; decrypt verifies the tag
		// before releasing anything and zeroes every segment on failure.
		uint8_t *filler_and_copy = p.tail;
		size_t filler_and_copy_len = g.ec + TOKEN_HEADER_LEN;
		seglist segs;
		segs.add_head(p.confounder, g.conf_len);
		segs.set_iov(iov, count);
		segs.add_tail(filler_and_copy, filler_and_copy_len);
		kgss_status st = et->decrypt(&c->k.cfx.recv_seal, segs, p.tail + filler_and_copy_len);
		if (st != KGSS_S_COMPLETE) {
			zero_data_buffers(iov, count);
			KGSS_WIPE_BUF(p.confounder, g.conf_len);
			KGSS_WIPE_BUF(filler_and_copy, filler_and_copy_len);
			return KGSS_ERROR(st) ? st : KGSS_S_FAILURE;
		}
		// §4.2.4: the encrypted header copy must equal the header sent in the
		// clear in every field but RRC, which the rotation may have changed.
		// This pins EC (CVE-2024-37370: EC altered in the clear); the EC+16
		// bytes it names were checked to lie inside the decrypted data by the
		// caller's length checks (CVE-2024-37371).
		const uint8_t *copy = filler_and_copy + g.ec;
		bool same = ct_equal(copy, p.header, 6) & ct_equal(copy + 8, p.header + 8, 8);
		KGSS_WIPE_BUF(p.confounder, g.conf_len);
		KGSS_WIPE_BUF(filler_and_copy, filler_and_copy_len);
		if (!same) {
			zero_data_buffers(iov, count);
			return KGSS_S_BAD_SIG;
		}
	} else {
		// §4.2.4: integrity only.  The checksum covers the message and the
		// header with EC and RRC set to zero; it is keyed with Kc of the
		// peer's seal usage.
		uint8_t header_as_signed[TOKEN_HEADER_LEN];
		memcpy(header_as_signed, p.header, TOKEN_HEADER_LEN);
		store_be16(header_as_signed + 4, 0);
		store_be16(header_as_signed + 6, 0);
		seglist segs;
		segs.set_iov(iov, count);
		segs.add_tail(header_as_signed, TOKEN_HEADER_LEN);
		kgss_status st = et->verify_checksum(&c->k.cfx.recv_wrap_cksum, segs, p.tail);
		if (st != KGSS_S_COMPLETE)
			return KGSS_ERROR(st) ? st : KGSS_S_BAD_SIG;
	}
	if (conf_state)
		*conf_state = g.sealed ? 1 : 0;
	// Only a verified token moves the receive window.
	return KGSS_S_COMPLETE | seqstate_check(&c->recv, h.snd_seq);
}

// What a Wrap layout for sending must look like: a HEADER; no STREAM or
// MIC_TOKEN (MIT gss_wrap_iov).
bool wrap_layout_ok(const iov_layout &l) { return l.header != nullptr && l.stream == nullptr && l.mic_token == nullptr; }

// ---- unwrap of a whole token in a STREAM buffer ---------------------------------
//
// MIT gss_unwrap_iov(STREAM | DATA): the token is un-rotated in place (its
// RRC then reads 0), and DATA is pointed at the message inside STREAM.
// SIGN_ONLY buffers, if any, are separate caller buffers taken in order.
kgss_status unwrap_stream(kgss_ctx *c, int *conf_state, const iov_layout &l)
{
	if (l.header || l.trailer || l.mic_token || l.data_count != 1)
		return KGSS_S_FAILURE;
	kgss_iov *data = nullptr;
	for (size_t i = 0; i < l.count; i++)
		if (l.iov[i].type == KGSS_IOV_DATA)
			data = &l.iov[i];

	uint8_t *token = (uint8_t *)l.stream->buffer.value;
	size_t token_len = l.stream->buffer.length;
	if (token_len < TOKEN_HEADER_LEN)
		return KGSS_S_DEFECTIVE_TOKEN;
	wrap_header h;
	kgss_status st = read_wrap_header(c, token, &h);
	if (st != KGSS_S_COMPLETE)
		return st;
	bool sealed = (h.flags & FLAG_SEALED) != 0;
	// §4.2.4: in an integrity-only token EC is the checksum length.
	if (!sealed && h.ec != c->et->cksum_len)
		return KGSS_S_DEFECTIVE_TOKEN;
	// Located as if a TRAILER were present: header | conf | message | tail.
	wrap_geometry g = wrap_geometry_for(c->et, sealed, h.ec, true);
	// The body must hold the confounder and the whole tail (filler, header
	// copy, tag): CVE-2024-37371, CVE-2009-4212.
	size_t body_len = token_len - TOKEN_HEADER_LEN;
	if (body_len < g.conf_len || body_len - g.conf_len < g.tail_len)
		return KGSS_S_DEFECTIVE_TOKEN;

	// §4.2.5: undo the sender's right rotation of everything after the header.
	// Any RRC is legal; a rotation by the body length or more wraps around.
	rotate_left(token + TOKEN_HEADER_LEN, body_len, h.rrc % body_len);
	store_be16(token + 6, 0);

	wrap_parts p;
	p.header = token;
	p.confounder = token + TOKEN_HEADER_LEN;
	p.tail = token + token_len - g.tail_len;

	kgss_buffer caller_data = data->buffer;
	data->buffer.value = token + TOKEN_HEADER_LEN + g.conf_len;
	data->buffer.length = body_len - g.conf_len - g.tail_len;
	st = open_wrap_token(c, h, g, p, l.iov, l.count, conf_state);
	if (KGSS_ERROR(st))
		data->buffer = caller_data; // the message (zeroed if decryption began) stays in STREAM
	return st;
}

} // namespace

// ---- keys (RFC 4121 §2) -------------------------------------------------------------

kgss_status rfc4121_init_keys(kgss_ctx *c, const uint8_t *key)
{
	const enctype *et = c->et;
	if (et == nullptr || !et->rfc4121)
		return KGSS_S_UNAVAILABLE;
	// An enctype without a checksum would make every token "verify".
	if (et->cksum_len == 0 || et->conf_len == 0)
		return KGSS_S_UNAVAILABLE;

	// Usages are named by the sender's role.
	uint32_t send_seal = c->initiator ? KG_USAGE_INITIATOR_SEAL : KG_USAGE_ACCEPTOR_SEAL;
	uint32_t send_sign = c->initiator ? KG_USAGE_INITIATOR_SIGN : KG_USAGE_ACCEPTOR_SIGN;
	uint32_t recv_seal = c->initiator ? KG_USAGE_ACCEPTOR_SEAL : KG_USAGE_INITIATOR_SEAL;
	uint32_t recv_sign = c->initiator ? KG_USAGE_ACCEPTOR_SIGN : KG_USAGE_INITIATOR_SIGN;

	cfx_keys *k = &c->k.cfx;
	kgss_status st = et->derive_enc(c->be, key, send_seal, &k->send_seal);
	if (st == KGSS_S_COMPLETE)
		st = et->derive_enc(c->be, key, recv_seal, &k->recv_seal);
	if (st == KGSS_S_COMPLETE)
		st = et->derive_cksum(c->be, key, send_sign, &k->send_sign);
	if (st == KGSS_S_COMPLETE)
		st = et->derive_cksum(c->be, key, recv_sign, &k->recv_sign);
	if (st == KGSS_S_COMPLETE)
		st = et->derive_cksum(c->be, key, send_seal, &k->send_wrap_cksum);
	if (st == KGSS_S_COMPLETE)
		st = et->derive_cksum(c->be, key, recv_seal, &k->recv_wrap_cksum);
	if (st != KGSS_S_COMPLETE) {
		rfc4121_clear_keys(c);
		return KGSS_ERROR(st) ? st : KGSS_S_FAILURE;
	}
	return KGSS_S_COMPLETE;
}

void rfc4121_clear_keys(kgss_ctx *c)
{
	cfx_keys *k = &c->k.cfx;
	enc_key_clear(&k->send_seal);
	enc_key_clear(&k->recv_seal);
	mac_key_clear(&k->send_sign);
	mac_key_clear(&k->recv_sign);
	mac_key_clear(&k->send_wrap_cksum);
	mac_key_clear(&k->recv_wrap_cksum);
}

// ---- §4.2.6.1 MIC tokens --------------------------------------------------------------
//
//   0..1  TOK_ID 04 04    2  Flags    3..7  Filler FF FF FF FF FF
//   8..15 SND_SEQ (big-endian)        16..  SGN_CKSUM over message | header

kgss_status rfc4121_get_mic_iov_length(kgss_ctx *c, const iov_layout &l)
{
	if (l.mic_token == nullptr)
		return KGSS_S_FAILURE;
	l.mic_token->buffer.length = TOKEN_HEADER_LEN + c->et->cksum_len;
	return KGSS_S_COMPLETE;
}

kgss_status rfc4121_get_mic_iov(kgss_ctx *c, const iov_layout &l)
{
	if (l.mic_token == nullptr)
		return KGSS_S_FAILURE;
	const size_t token_len = TOKEN_HEADER_LEN + c->et->cksum_len;
	if (l.mic_token->buffer.length < token_len)
		return KGSS_S_FAILURE; // nothing written, no sequence number used
	uint8_t *token = (uint8_t *)l.mic_token->buffer.value;

	store_be16(token, TOK_ID_MIC);
	token[2] = own_role_flags(c);
	memset(token + 3, FILLER_BYTE, MIC_FILLER_LEN);
	store_be64(token + 8, ctx_next_send_seq(c));

	// SGN_CKSUM = checksum(Kc of our sign usage, message | header).
	seglist segs;
	segs.set_iov(l.iov, l.count);
	segs.add_tail(token, TOKEN_HEADER_LEN);
	kgss_status st = c->et->make_checksum(&c->k.cfx.send_sign, segs, token + TOKEN_HEADER_LEN);
	if (st != KGSS_S_COMPLETE) {
		KGSS_WIPE_BUF(token, token_len);
		return KGSS_ERROR(st) ? st : KGSS_S_FAILURE;
	}
	l.mic_token->buffer.length = token_len;
	return KGSS_S_COMPLETE;
}

kgss_status rfc4121_verify_mic_iov(kgss_ctx *c, const iov_layout &l)
{
	if (l.mic_token == nullptr)
		return KGSS_S_FAILURE;
	const uint8_t *token = (const uint8_t *)l.mic_token->buffer.value;
	// Exactly header | checksum: a short (or empty) checksum is never accepted.
	if (l.mic_token->buffer.length != TOKEN_HEADER_LEN + c->et->cksum_len)
		return KGSS_S_DEFECTIVE_TOKEN;
	if (load_be16(token) != TOK_ID_MIC)
		return KGSS_S_DEFECTIVE_TOKEN;
	// §4.2.2: Sealed "SHALL NOT be set in MIC tokens".
	const uint8_t flags = token[2];
	if (flags & FLAG_SEALED)
		return KGSS_S_DEFECTIVE_TOKEN;
	// All five filler octets must be FF (CVE-2025-57736).
	if (!ct_all_equal(token + 3, FILLER_BYTE, MIC_FILLER_LEN))
		return KGSS_S_DEFECTIVE_TOKEN;
	if ((flags & FLAGS_OF_ROLE) != peer_role_flags(c))
		return KGSS_S_BAD_SIG;
	const uint64_t snd_seq = load_be64(token + 8);

	seglist segs;
	segs.set_iov(l.iov, l.count);
	segs.add_tail((uint8_t *)token, TOKEN_HEADER_LEN);
	kgss_status st = c->et->verify_checksum(&c->k.cfx.recv_sign, segs, token + TOKEN_HEADER_LEN);
	if (st != KGSS_S_COMPLETE)
		return KGSS_ERROR(st) ? st : KGSS_S_BAD_SIG;
	return KGSS_S_COMPLETE | seqstate_check(&c->recv, snd_seq);
}

// ---- §4.2.6.2 Wrap tokens ---------------------------------------------------------------
//
//   0..1  TOK_ID 05 04    2  Flags    3  Filler FF
//   4..5  EC (big-endian) 6..7 RRC (big-endian)    8..15 SND_SEQ (big-endian)

kgss_status rfc4121_wrap_iov_length(kgss_ctx *c, int conf_req, int *conf_state, const iov_layout &l)
{
	if (!wrap_layout_ok(l))
		return KGSS_S_FAILURE;
	// We always send EC = 0 when sealing: every RFC 4121 enctype is a
	// CTS or stream profile needing no padding (as MIT does outside DCE).
	wrap_geometry g = wrap_geometry_for(c->et, conf_req != 0, 0, l.trailer != nullptr);
	l.header->buffer.length = g.header_len;
	if (l.trailer)
		l.trailer->buffer.length = g.trailer_len;
	if (l.padding)
		l.padding->buffer.length = 0;
	if (conf_state)
		*conf_state = g.sealed ? 1 : 0;
	return KGSS_S_COMPLETE;
}

kgss_status rfc4121_wrap_iov(kgss_ctx *c, int conf_req, int *conf_state, const iov_layout &l)
{
	if (!wrap_layout_ok(l))
		return KGSS_S_FAILURE;
	const enctype *et = c->et;
	const bool sealed = conf_req != 0;
	const size_t ec_sent = 0; // see rfc4121_wrap_iov_length
	wrap_geometry g = wrap_geometry_for(et, sealed, ec_sent, l.trailer != nullptr);

	// The caller's buffers must hold the token before anything is written
	// or a sequence number is taken.
	if (l.header->buffer.length < g.header_len)
		return KGSS_S_FAILURE;
	if (l.trailer && l.trailer->buffer.length < g.trailer_len)
		return KGSS_S_FAILURE;
	wrap_parts p = wrap_parts_in(l, g);

	// RFC 3961: a fresh random confounder, or no token at all.
	if (sealed) {
		kgss_status st = ctx_random(c, p.confounder, g.conf_len);
		if (st != KGSS_S_COMPLETE) {
			KGSS_WIPE_BUF(p.confounder, g.conf_len);
			return KGSS_ERROR(st) ? st : KGSS_S_FAILURE;
		}
	}

	// §4.2.6.2 header, with RRC = 0 as it is encrypted or checksummed (§4.2.5).
	store_be16(p.header, TOK_ID_WRAP);
	p.header[2] = (uint8_t)(own_role_flags(c) | (sealed ? FLAG_SEALED : 0));
	p.header[3] = FILLER_BYTE;
	store_be16(p.header + 4, (uint16_t)(sealed ? g.ec : 0));
	store_be16(p.header + 6, 0);
	store_be64(p.header + 8, ctx_next_send_seq(c));

	kgss_status st;
	if (sealed) {
		// §4.2.4: E(confounder | message | filler | header copy) | tag.
		uint8_t *filler_and_copy = p.tail;
		size_t filler_and_copy_len = g.ec + TOKEN_HEADER_LEN;
		memset(filler_and_copy, FILLER_BYTE, g.ec);
		memcpy(filler_and_copy + g.ec, p.header, TOKEN_HEADER_LEN);
		seglist segs;
		segs.add_head(p.confounder, g.conf_len);
		segs.set_iov(l.iov, l.count);
		segs.add_tail(filler_and_copy, filler_and_copy_len);
		st = et->encrypt(&c->k.cfx.send_seal, segs, p.tail + filler_and_copy_len);
	} else {
		// §4.2.4: checksum over message | header (EC = RRC = 0 as signed),
		// then EC says how long the checksum is.
		seglist segs;
		segs.set_iov(l.iov, l.count);
		segs.add_tail(p.header, TOKEN_HEADER_LEN);
		st = et->make_checksum(&c->k.cfx.send_wrap_cksum, segs, p.tail);
		store_be16(p.header + 4, (uint16_t)g.tag_len);
	}
	if (st != KGSS_S_COMPLETE) {
		KGSS_WIPE_BUF(p.header, g.header_len);
		if (l.trailer)
			KGSS_WIPE_BUF(p.tail, g.trailer_len);
		return KGSS_ERROR(st) ? st : KGSS_S_FAILURE;
	}
	// §4.2.5: without a TRAILER the tail sits right after the header, i.e.
	// the token is rotated right by the tail length.
	store_be16(p.header + 6, (uint16_t)g.rrc);

	l.header->buffer.length = g.header_len;
	if (l.trailer)
		l.trailer->buffer.length = g.trailer_len;
	if (l.padding)
		l.padding->buffer.length = 0;
	if (conf_state)
		*conf_state = sealed ? 1 : 0;
	return KGSS_S_COMPLETE;
}

kgss_status rfc4121_unwrap_iov(kgss_ctx *c, int *conf_state, const iov_layout &l)
{
	if (conf_state)
		*conf_state = 0; // set to the token's Sealed flag only once it verified
	if (l.mic_token)
		return KGSS_S_FAILURE;
	if (l.stream)
		return unwrap_stream(c, conf_state, l);
	if (l.header == nullptr)
		return KGSS_S_FAILURE;
	// RFC 4121 tokens carry no padding (MIT wrap_iov_length reports 0).
	if (l.padding && l.padding->buffer.length != 0)
		return KGSS_S_DEFECTIVE_TOKEN;

	const uint8_t *header = (const uint8_t *)l.header->buffer.value;
	if (l.header->buffer.length < TOKEN_HEADER_LEN)
		return KGSS_S_DEFECTIVE_TOKEN;
	wrap_header h;
	kgss_status st = read_wrap_header(c, header, &h);
	if (st != KGSS_S_COMPLETE)
		return st;
	const bool sealed = (h.flags & FLAG_SEALED) != 0;
	// §4.2.4: in an integrity-only token EC is the checksum length.
	if (!sealed && h.ec != c->et->cksum_len)
		return KGSS_S_DEFECTIVE_TOKEN;

	// The buffers must be exactly what MIT gss_wrap_iov produces for this EC:
	// RRC 0 with a TRAILER, RRC = trailer length without one (§4.2.5).
	wrap_geometry g = wrap_geometry_for(c->et, sealed, h.ec, l.trailer != nullptr);
	if (h.rrc != g.rrc || l.header->buffer.length != g.header_len)
		return KGSS_S_DEFECTIVE_TOKEN;
	if (l.trailer && l.trailer->buffer.length != g.trailer_len)
		return KGSS_S_DEFECTIVE_TOKEN;

	wrap_parts p = wrap_parts_in(l, g);
	return open_wrap_token(c, h, g, p, l.iov, l.count, conf_state);
}

} // namespace kgss
