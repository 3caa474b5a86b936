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
#include "gss-kernel-lib/token/constants.h"
#include "gss-kernel-lib/token/format.h"
#include "gss-kernel-lib/token/framing.h"
#include "iov/layout.h"

namespace kgss {

namespace {

// ---- RFC 4121 §4.2.6 token identifiers, §4.2.2 flags: token/constants.h -------
using namespace tok4121;
constexpr size_t ROTATE_STACK_MAX = 64; // RRC values MIT sends fit this

// Flags this side puts in its tokens (Sealed added by the sealed Wrap).
uint8_t own_role_flags(const token_state *c)
{
	uint8_t f = 0;
	if (!c->initiator)
		f |= FLAG_SENT_BY_ACCEPTOR;
	if (c->acceptor_subkey)
		f |= FLAG_ACCEPTOR_SUBKEY;
	return f;
}

// The direction flag a token from the peer must carry (§4.2.2).
uint8_t peer_direction_flag(const token_state *c) { return c->initiator ? FLAG_SENT_BY_ACCEPTOR : 0; }

// ---- the receive key (§2, MIT k5unsealv3.c) -------------------------------------
//
// A token is checked under the key its AcceptorSubkey flag names: the
// subkey when the flag is set and the context has one; otherwise the
// context key (on a context without a subkey whatever the flag says, as
// MIT: a token under another key then fails its checksum).  Its parts:
struct recv_keys {
	const enctype *et;
	const enc_key *seal;       // sealed Wrap: the peer's seal usage
	const mac_key *wrap_cksum; // integrity-only Wrap: Kc of the peer's seal usage
	const mac_key *sign;       // MIC: the peer's sign usage
};

enum key_need : uint8_t { NEED_SEAL, NEED_WRAP_CKSUM, NEED_SIGN };

// The scheduled keys (those we send under, or the only ones).
recv_keys scheduled_recv_keys(const token_state *c)
{
	return recv_keys{c->et, &c->k.cfx.recv_seal, &c->k.cfx.recv_wrap_cksum, &c->k.cfx.recv_sign};
}

// body(keys), kept out of line: the frame of with_alt_keys (the scratch key)
// then never holds a body's own locals as well, whatever the body inlines.
template <typename Body>
__attribute__((noinline)) kgss_status call_body(Body &body, const recv_keys &keys)
{
	return body(keys);
}

// body(keys) under the context key beside the subkey (see with_recv_keys).
// Out of line: the scratch key is the largest object on a receive path.
template <typename Body>
__attribute__((noinline)) kgss_status with_alt_keys(token_state *c, key_need need, Body body)
{
	const cfx_keys &k = c->k.cfx;
	if (k.alt_et == nullptr)
		return KGSS_S_BAD_SIG;
	const uint32_t peer_seal = c->initiator ? KG_USAGE_ACCEPTOR_SEAL : KG_USAGE_INITIATOR_SEAL;
	const uint32_t peer_sign = c->initiator ? KG_USAGE_ACCEPTOR_SIGN : KG_USAGE_INITIATOR_SIGN;
	union {
		enc_key e;
		mac_key m;
	} scratch; // secret; zero-filled is a valid empty key
	wipe(&scratch, sizeof(scratch));
	recv_keys keys{k.alt_et, nullptr, nullptr, nullptr};
	kgss_status st;
	if (need == NEED_SEAL) {
		st = k.alt_et->derive_enc(c->be, k.alt_key, peer_seal, &scratch.e);
		keys.seal = &scratch.e;
	} else {
		st = k.alt_et->derive_cksum(c->be, k.alt_key, need == NEED_SIGN ? peer_sign : peer_seal, &scratch.m);
		keys.wrap_cksum = keys.sign = &scratch.m;
	}
	if (st == KGSS_S_COMPLETE)
		st = call_body(body, keys);
	else if (!KGSS_ERROR(st))
		st = KGSS_S_FAILURE;
	if (need == NEED_SEAL)
		enc_key_clear(&scratch.e);
	else
		mac_key_clear(&scratch.m);
	return st;
}

// Runs body(keys) under the key the token's flags name.  The context key of
// a context that sends under a subkey (cfx_keys.alt_key) has no schedule:
// the one key this token needs is derived here, on this frame, and wiped
// after.  A context without that key (downcall or serialized import: one
// key only) cannot check such a token: BAD_SIG, as a wrong key would give.
template <typename Body>
kgss_status with_recv_keys(token_state *c, uint8_t token_flags, key_need need, Body body)
{
	if (!c->acceptor_subkey || (token_flags & FLAG_ACCEPTOR_SUBKEY))
		return body(scheduled_recv_keys(c));
	return with_alt_keys(c, need, body);
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
wrap_parts wrap_parts_at(uint8_t *header, const kgss_iov *trailer, const wrap_geometry &g)
{
	wrap_parts p;
	p.header = header;
	p.confounder = p.header + g.header_len - g.conf_len;
	p.tail = trailer ? (uint8_t *)trailer->buffer.value : p.header + TOKEN_HEADER_LEN;
	return p;
}

// The fields of a received Wrap token header (§4.2.6.2).
struct wrap_header {
	uint8_t flags;
	uint16_t ec;
	uint16_t rrc;
	uint64_t snd_seq;
};

// §4.2.6.2 checks of the 16 header bytes h: TOK_ID, filler, direction.
kgss_status read_wrap_header(const token_state *c, const uint8_t *h, wrap_header *out)
{
	if (load_be16(h) != TOK_ID_WRAP)
		return KGSS_S_DEFECTIVE_TOKEN;
	if (h[3] != FILLER_BYTE)
		return KGSS_S_DEFECTIVE_TOKEN;
	out->flags = h[2];
	out->ec = load_be16(h + 4);
	out->rrc = load_be16(h + 6);
	out->snd_seq = load_be64(h + 8);
	// §4.2.2: a token in our own direction (a reflection) cannot verify; MIT
	// reports it as a bad signature.  AcceptorSubkey picks the key
	// (with_recv_keys); unknown flag bits are ignored, as the RFC requires.
	if ((out->flags & FLAG_SENT_BY_ACCEPTOR) != peer_direction_flag(c))
		return KGSS_S_BAD_SIG;
	return KGSS_S_COMPLETE;
}

// The key a Wrap token with these flags needs.
key_need wrap_need(uint8_t flags) { return (flags & FLAG_SEALED) ? NEED_SEAL : NEED_WRAP_CKSUM; }

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
// checked: §4.2.4 decryption or checksum, then the header copy check.
kgss_status open_wrap_token(const recv_keys &k, const wrap_geometry &g, const wrap_parts &p, kgss_iov *iov,
			    size_t count, int *conf_state)
{
	const enctype *et = k.et;
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
		kgss_status st = et->decrypt(k.seal, segs, p.tail + filler_and_copy_len);
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
		// caller's length checks (CVE-2024-37371).  A mismatch is
		// DEFECTIVE_TOKEN, as MIT 1.20 answers on every path (plain,
		// STREAM, HEADER | DATA | TRAILER; checked live, tests/receive).
		const uint8_t *copy = filler_and_copy + g.ec;
		bool same = ct_equal(copy, p.header, 6) & ct_equal(copy + 8, p.header + 8, 8);
		KGSS_WIPE_BUF(p.confounder, g.conf_len);
		KGSS_WIPE_BUF(filler_and_copy, filler_and_copy_len);
		if (!same) {
			zero_data_buffers(iov, count);
			return KGSS_S_DEFECTIVE_TOKEN;
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
		kgss_status st = et->verify_checksum(k.wrap_cksum, segs, p.tail);
		if (st != KGSS_S_COMPLETE)
			return KGSS_ERROR(st) ? st : KGSS_S_BAD_SIG;
	}
	if (conf_state)
		*conf_state = g.sealed ? 1 : 0;
	return KGSS_S_COMPLETE;
}

// §4.2.4: EC of an integrity-only token is the checksum length.  Another
// value: MIT's plain gss_unwrap says BAD_SIG (DEFECTIVE_TOKEN when EC does
// not even fit in the token), its gss_unwrap_iov DEFECTIVE_TOKEN.
kgss_status check_integrity_ec(const recv_keys &k, const wrap_header &h, size_t body_len, bool plain_call)
{
	if (h.ec == k.et->cksum_len)
		return KGSS_S_COMPLETE;
	return plain_call && h.ec <= body_len ? KGSS_S_BAD_SIG : KGSS_S_DEFECTIVE_TOKEN;
}

// What a Wrap layout for sending must look like: a HEADER; no STREAM or
// MIC_TOKEN (MIT gss_wrap_iov).
bool wrap_layout_ok(const iov_layout &l)
{
	return l.header != nullptr && l.stream == nullptr && l.mic_token == nullptr;
}

// ---- unwrap of a whole token in a STREAM buffer ---------------------------------
//
// MIT gss_unwrap_iov(STREAM | DATA): the token is un-rotated in place (its
// RRC then reads 0), and DATA is pointed at the message inside STREAM.
// SIGN_ONLY buffers, if any, are separate caller buffers taken in order.
// The plain gss_unwrap (rfc4121_unwrap_to) reads the same tokens, but copies
// the message out of the caller's read-only token as it un-rotates it.

// §4.2.4, §4.2.5: the checks of a whole token (token_len >= 16 bytes after any
// framing) before anything moves; the geometry as if a TRAILER were present:
// header | conf | message | tail.
kgss_status whole_token_geometry(const recv_keys &k, const wrap_header &h, size_t token_len, bool plain_call,
				 wrap_geometry *g)
{
	const bool sealed = (h.flags & FLAG_SEALED) != 0;
	const size_t body_len = token_len - TOKEN_HEADER_LEN;
	if (!sealed) {
		kgss_status st = check_integrity_ec(k, h, body_len, plain_call);
		if (st != KGSS_S_COMPLETE)
			return st;
	}
	*g = wrap_geometry_for(k.et, sealed, h.ec, true);
	// The body must hold the confounder and the whole tail (filler, header
	// copy, tag): CVE-2024-37371, CVE-2009-4212.
	if (body_len < g->conf_len || body_len - g->conf_len < g->tail_len)
		return KGSS_S_DEFECTIVE_TOKEN;
	return KGSS_S_COMPLETE;
}

// token / token_len: the token after any RFC 2743 framing.
__attribute__((noinline)) kgss_status unwrap_stream_with(const recv_keys &k, const wrap_header &h, uint8_t *token,
							 size_t token_len, kgss_iov *data, const iov_layout &l,
							 int *conf_state)
{
	wrap_geometry g;
	kgss_status st = whole_token_geometry(k, h, token_len, l.plain_call, &g);
	if (st != KGSS_S_COMPLETE)
		return st;
	// §4.2.5: undo the sender's right rotation of everything after the header.
	// Any RRC is legal; a rotation by the body length or more wraps around.
	const size_t body_len = token_len - TOKEN_HEADER_LEN;
	rotate_left(token + TOKEN_HEADER_LEN, body_len, h.rrc % body_len);
	store_be16(token + 6, 0);

	wrap_parts p;
	p.header = token;
	p.confounder = token + TOKEN_HEADER_LEN;
	p.tail = token + token_len - g.tail_len;

	kgss_buffer caller_data = data->buffer;
	data->buffer.value = token + TOKEN_HEADER_LEN + g.conf_len;
	data->buffer.length = body_len - g.conf_len - g.tail_len;
	st = open_wrap_token(k, g, p, l.iov, l.count, conf_state);
	if (KGSS_ERROR(st))
		data->buffer = caller_data; // the message (zeroed if decryption began) stays in STREAM
	return st;
}

// The framing, header and length of a whole token in stream[0..stream_len):
// the token after the framing, its length and its header fields.
kgss_status locate_whole_token(const token_state *c, const uint8_t *stream, size_t stream_len, size_t *off,
			       wrap_header *h)
{
	// An RFC 2743 framing in front of the token is skipped, as MIT does.
	kgss_status st = framing_skip(stream, stream_len, stream_len, off);
	if (st != KGSS_S_COMPLETE)
		return st;
	if (stream_len - *off < TOKEN_HEADER_LEN)
		return KGSS_S_DEFECTIVE_TOKEN;
	return read_wrap_header(c, stream + *off, h);
}

kgss_status unwrap_stream(token_state *c, int *conf_state, const iov_layout &l, uint64_t *seq)
{
	if (l.header || l.trailer || l.mic_token || l.data_count != 1)
		return KGSS_S_FAILURE;
	kgss_iov *data = nullptr;
	for (size_t i = 0; i < l.count; i++)
		if (l.iov[i].type == KGSS_IOV_DATA)
			data = &l.iov[i];

	uint8_t *stream = (uint8_t *)l.stream->buffer.value;
	size_t off = 0;
	wrap_header h;
	kgss_status st = locate_whole_token(c, stream, l.stream->buffer.length, &off, &h);
	if (st != KGSS_S_COMPLETE)
		return st;
	uint8_t *token = stream + off;
	const size_t token_len = l.stream->buffer.length - off;
	st = with_recv_keys(c, h.flags, wrap_need(h.flags), [&](const recv_keys &k) {
		return unwrap_stream_with(k, h, token, token_len, data, l, conf_state);
	});
	if (st == KGSS_S_COMPLETE)
		*seq = h.snd_seq;
	return st;
}

// Copies U[from .. from+len) of the un-rotated body U of a token, U[i] =
// body[(i + r) % n] (§4.2.5, r < n, from + len <= n), to dst: at most two
// runs.  memmove: with r == 0, dst may overlap the body.
void copy_unrotated(uint8_t *dst, const uint8_t *body, size_t n, size_t r, size_t from, size_t len)
{
	const size_t s = (from + r) % n;
	const size_t first = len < n - s ? len : n - s;
	memmove(dst, body + s, first);
	memmove(dst + first, body, len - first);
}

// The plain gss_unwrap of a sealed or integrity-only token: the 16-byte
// header and the confounder go to the stack, message | tail to out[0..), and
// the token is opened there: one copy, none after.
__attribute__((noinline)) kgss_status unwrap_to_with(const recv_keys &k, const wrap_header &h, const uint8_t *token,
						     size_t token_len, uint8_t *out, size_t *msg_len, int *conf_state)
{
	wrap_geometry g;
	kgss_status st = whole_token_geometry(k, h, token_len, true, &g);
	if (st != KGSS_S_COMPLETE)
		return st;
	const uint8_t *body = token + TOKEN_HEADER_LEN;
	const size_t body_len = token_len - TOKEN_HEADER_LEN, r = h.rrc % body_len;
	uint8_t header[TOKEN_HEADER_LEN];
	uint8_t conf[ENCTYPE_CONF_MAX]; // secret once decrypted; open_wrap_token wipes it (rows fit: table.cc)
	// Both before out is written: out may be the token's own buffer.
	memcpy(header, token, TOKEN_HEADER_LEN);
	store_be16(header + 6, 0);
	copy_unrotated(conf, body, body_len, r, 0, g.conf_len);
	copy_unrotated(out, body, body_len, r, g.conf_len, body_len - g.conf_len);

	wrap_parts p;
	p.header = header;
	p.confounder = conf;
	*msg_len = body_len - g.conf_len - g.tail_len;
	p.tail = out + *msg_len;
	kgss_iov data;
	data.type = KGSS_IOV_DATA;
	data.buffer.value = out;
	data.buffer.length = *msg_len;
	return open_wrap_token(k, g, p, &data, 1, conf_state);
}

bool ranges_overlap(const uint8_t *a, const uint8_t *b, size_t len)
{
	const uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;
	return x < y ? y - x < len : x - y < len;
}

bool rfc4121_unwrap_to(token_state *c, int *conf_state, const uint8_t *in, size_t in_len, uint8_t *out, size_t *msg_len,
		       uint64_t *seq, kgss_status *st_out)
{
	if (conf_state)
		*conf_state = 0; // set to the token's Sealed flag only once it verified
	*msg_len = 0;
	size_t off = 0;
	wrap_header h;
	kgss_status st = locate_whole_token(c, in, in_len, &off, &h);
	const uint8_t *token = in + off;
	const size_t token_len = in_len - off;
	if (st == KGSS_S_COMPLETE && token_len > TOKEN_HEADER_LEN && h.rrc % (token_len - TOKEN_HEADER_LEN) != 0 &&
	    ranges_overlap(in, out, in_len))
		return false; // a rotated token in the output's own bytes: un-rotated in place by the caller
	if (st == KGSS_S_COMPLETE)
		st = with_recv_keys(c, h.flags, wrap_need(h.flags), [&](const recv_keys &k) {
			return unwrap_to_with(k, h, token, token_len, out, msg_len, conf_state);
		});
	if (st == KGSS_S_COMPLETE)
		*seq = h.snd_seq;
	*st_out = st;
	return true;
}

// §4.2.6.1: SGN_CKSUM over message | header, under the peer's sign usage.
kgss_status verify_mic_with(const recv_keys &k, const uint8_t *token, size_t token_len, const iov_layout &l)
{
	// Exactly header | checksum: a short (or empty) checksum is never accepted.
	if (token_len != TOKEN_HEADER_LEN + k.et->cksum_len)
		return KGSS_S_DEFECTIVE_TOKEN;
	seglist segs;
	segs.set_iov(l.iov, l.count);
	segs.add_tail(const_cast<uint8_t *>(token), TOKEN_HEADER_LEN); // only read
	kgss_status st = k.et->verify_checksum(k.sign, segs, token + TOKEN_HEADER_LEN);
	if (st != KGSS_S_COMPLETE)
		return KGSS_ERROR(st) ? st : KGSS_S_BAD_SIG;
	return KGSS_S_COMPLETE;
}

// The HEADER | DATA.. | [PADDING] | [TRAILER] layout; hdr / hdr_len: the
// HEADER after any RFC 2743 framing.
__attribute__((noinline)) kgss_status unwrap_header_with(const recv_keys &k, const wrap_header &h, uint8_t *hdr,
							 size_t hdr_len, const iov_layout &l, int *conf_state)
{
	const bool sealed = (h.flags & FLAG_SEALED) != 0;
	if (!sealed) {
		kgss_status st = check_integrity_ec(k, h, 0, false);
		if (st != KGSS_S_COMPLETE)
			return st;
	}
	// The buffers must be exactly what MIT gss_wrap_iov produces for this EC:
	// RRC 0 with a TRAILER, RRC = trailer length without one (§4.2.5).
	wrap_geometry g = wrap_geometry_for(k.et, sealed, h.ec, l.trailer != nullptr);
	if (h.rrc != g.rrc || hdr_len != g.header_len)
		return KGSS_S_DEFECTIVE_TOKEN;
	if (l.trailer && l.trailer->buffer.length != g.trailer_len)
		return KGSS_S_DEFECTIVE_TOKEN;
	wrap_parts p = wrap_parts_at(hdr, l.trailer, g);
	return open_wrap_token(k, g, p, l.iov, l.count, conf_state);
}

// ---- keys (RFC 4121 §2) -------------------------------------------------------------

// Protocol 1 takes the enctypes the table marks for RFC 4121, with or without
// an acceptor subkey; RFC 1964 algorithm numbers are meaningless here.
kgss_status rfc4121_accepts(const enctype *et, bool, uint32_t, uint32_t)
{
	return et->rfc4121 ? KGSS_S_COMPLETE : KGSS_S_DEFECTIVE_TOKEN;
}

void rfc4121_clear_keys(token_state *c);

kgss_status rfc4121_init_keys(token_state *c, const uint8_t *key, const enctype *alt_et, const uint8_t *alt_key)
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
	// The context key beside the subkey: kept as is (see cfx_keys).
	if (alt_et != nullptr) {
		k->alt_et = alt_et;
		memcpy(k->alt_key, alt_key, alt_et->key_bytes);
	}
	return KGSS_S_COMPLETE;
}

void rfc4121_clear_keys(token_state *c)
{
	cfx_keys *k = &c->k.cfx;
	enc_key_clear(&k->send_seal);
	enc_key_clear(&k->recv_seal);
	mac_key_clear(&k->send_sign);
	mac_key_clear(&k->recv_sign);
	mac_key_clear(&k->send_wrap_cksum);
	mac_key_clear(&k->recv_wrap_cksum);
	KGSS_WIPE(k->alt_key);
	k->alt_et = nullptr;
}

// ---- §4.2.6.1 MIC tokens --------------------------------------------------------------
//
//   0..1  TOK_ID 04 04    2  Flags    3..7  Filler FF FF FF FF FF
//   8..15 SND_SEQ (big-endian)        16..  SGN_CKSUM over message | header

kgss_status rfc4121_get_mic_iov_length(token_state *c, const iov_layout &l)
{
	if (l.mic_token == nullptr)
		return KGSS_S_FAILURE;
	l.mic_token->buffer.length = TOKEN_HEADER_LEN + c->et->cksum_len;
	return KGSS_S_COMPLETE;
}

kgss_status rfc4121_get_mic_iov(token_state *c, const iov_layout &l)
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

kgss_status rfc4121_verify_mic_iov(token_state *c, const iov_layout &l, uint64_t *seq)
{
	if (l.mic_token == nullptr)
		return KGSS_S_FAILURE;
	// An RFC 2743 framing in front of the token is skipped, as MIT does.
	size_t off = 0;
	const uint8_t *in = (const uint8_t *)l.mic_token->buffer.value;
	kgss_status st = framing_skip(in, l.mic_token->buffer.length, l.mic_token->buffer.length, &off);
	if (st != KGSS_S_COMPLETE)
		return st;
	const uint8_t *token = in + off;
	const size_t token_len = l.mic_token->buffer.length - off;
	if (token_len < TOKEN_HEADER_LEN)
		return KGSS_S_DEFECTIVE_TOKEN;
	if (load_be16(token) != TOK_ID_MIC)
		return KGSS_S_DEFECTIVE_TOKEN;
	// §4.2.2 says Sealed "SHALL NOT be set in MIC tokens"; MIT ignores it
	// (the flags octet is under the checksum either way), and so do we.
	const uint8_t flags = token[2];
	// All five filler octets must be FF (CVE-2025-57736).
	if (!ct_all_equal(token + 3, FILLER_BYTE, MIC_FILLER_LEN))
		return KGSS_S_DEFECTIVE_TOKEN;
	if ((flags & FLAG_SENT_BY_ACCEPTOR) != peer_direction_flag(c))
		return KGSS_S_BAD_SIG;
	st = with_recv_keys(c, flags, NEED_SIGN,
			    [&](const recv_keys &k) { return verify_mic_with(k, token, token_len, l); });
	if (st == KGSS_S_COMPLETE)
		*seq = load_be64(token + 8);
	return st;
}

// ---- §4.2.6.2 Wrap tokens ---------------------------------------------------------------
//
//   0..1  TOK_ID 05 04    2  Flags    3  Filler FF
//   4..5  EC (big-endian) 6..7 RRC (big-endian)    8..15 SND_SEQ (big-endian)

// What wrap_iov_length and wrap_iov report: the lengths of the buffers a
// token takes (no PADDING: EC filler sits inside the encrypted part) and
// whether it is sealed.
void report_wrap(const iov_layout &l, const wrap_geometry &g, int *conf_state)
{
	l.header->buffer.length = g.header_len;
	if (l.trailer)
		l.trailer->buffer.length = g.trailer_len;
	if (l.padding)
		l.padding->buffer.length = 0;
	if (conf_state)
		*conf_state = g.sealed ? 1 : 0;
}

kgss_status rfc4121_wrap_iov_length(token_state *c, int conf_req, int *conf_state, const iov_layout &l)
{
	if (!wrap_layout_ok(l))
		return KGSS_S_FAILURE;
	// We always send EC = 0 when sealing: every RFC 4121 enctype is a
	// CTS or stream profile needing no padding (as MIT does outside DCE).
	wrap_geometry g = wrap_geometry_for(c->et, conf_req != 0, 0, l.trailer != nullptr);
	report_wrap(l, g, conf_state);
	return KGSS_S_COMPLETE;
}

kgss_status rfc4121_wrap_iov(token_state *c, int conf_req, int *conf_state, const iov_layout &l)
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
	wrap_parts p = wrap_parts_at((uint8_t *)l.header->buffer.value, l.trailer, g);

	// RFC 3961: a fresh random confounder, or no token at all.
	if (sealed && l.confounder != nullptr) {
		memcpy(p.confounder, l.confounder, g.conf_len);
	} else if (sealed) {
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

	report_wrap(l, g, conf_state);
	return KGSS_S_COMPLETE;
}

size_t rfc4121_wrap_confounder_len(const token_state *c, int conf_req) { return conf_req ? c->et->conf_len : 0; }

kgss_status rfc4121_unwrap_iov(token_state *c, int *conf_state, const iov_layout &l, uint64_t *seq)
{
	if (conf_state)
		*conf_state = 0; // set to the token's Sealed flag only once it verified
	if (l.mic_token)
		return KGSS_S_FAILURE;
	if (l.stream)
		return unwrap_stream(c, conf_state, l, seq);
	if (l.header == nullptr)
		return KGSS_S_FAILURE;
	// RFC 4121 tokens carry no padding (MIT wrap_iov_length reports 0).
	const size_t padding_len = l.padding ? l.padding->buffer.length : 0;
	if (padding_len != 0)
		return KGSS_S_DEFECTIVE_TOKEN;

	// An RFC 2743 framing at the start of HEADER is skipped, as MIT does; its
	// length covers HEADER, DATA and TRAILER (not SIGN_ONLY).
	uint8_t *hbuf = (uint8_t *)l.header->buffer.value;
	const size_t hbuf_len = l.header->buffer.length;
	const size_t trailer_len = l.trailer ? l.trailer->buffer.length : 0;
	size_t off = 0;
	if (hbuf_len != 0) {
		kgss_status st = framing_skip(hbuf, hbuf_len, hbuf_len + l.data_len + trailer_len, &off);
		if (st != KGSS_S_COMPLETE)
			return st;
	}
	uint8_t *hdr = hbuf + off;
	const size_t hdr_len = hbuf_len - off;
	if (hdr_len < TOKEN_HEADER_LEN)
		return KGSS_S_DEFECTIVE_TOKEN;
	wrap_header h;
	kgss_status st = read_wrap_header(c, hdr, &h);
	if (st != KGSS_S_COMPLETE)
		return st;
	st = with_recv_keys(c, h.flags, wrap_need(h.flags),
			    [&](const recv_keys &k) { return unwrap_header_with(k, h, hdr, hdr_len, l, conf_state); });
	if (st == KGSS_S_COMPLETE)
		*seq = h.snd_seq;
	return st;
}

} // namespace

constexpr token_format rfc4121_format = {
	.protocol = 1,
	.seq_mask = ~(uint64_t)0, // §4.2.6: 64-bit SND_SEQ
	.accepts = rfc4121_accepts,
	.init_keys = rfc4121_init_keys,
	.clear_keys = rfc4121_clear_keys,
	.wrap_iov_length = rfc4121_wrap_iov_length,
	.wrap_iov = rfc4121_wrap_iov,
	.wrap_confounder_len = rfc4121_wrap_confounder_len,
	.unwrap_iov = rfc4121_unwrap_iov,
	.unwrap_to = rfc4121_unwrap_to,
	.get_mic_iov_length = rfc4121_get_mic_iov_length,
	.get_mic_iov = rfc4121_get_mic_iov,
	.verify_mic_iov = rfc4121_verify_mic_iov,
};

} // namespace kgss
