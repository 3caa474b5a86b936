// gss-kernel-lib/api.cc - the public per-message calls of kgss.h.
//
// Every call checks its arguments, classifies the iov array and hands it to
// the context's token format (token/format.h); the sequence number of a
// verified token then goes through the context's receive window.  The plain
// (non-IOV) calls are thin wrappers that lay their buffers out as an iov
// array (and fill its iov_layout themselves: the types are fixed and the
// buffers already checked, so there is nothing to classify), so each token
// format has exactly one implementation:
//   kgss_wrap       HEADER | DATA | PADDING | TRAILER, contiguous in output
//   kgss_unwrap     the format's unwrap_to (message copied out of the token),
//                   or STREAM | DATA over a copy of the token in output
//   kgss_get_mic    DATA | MIC_TOKEN      (and kgss_verify_mic)
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crypto/util.h"
#include "gss-kernel-lib/context.h"
#include "gss-kernel-lib/seqstate.h"
#include "gss-kernel-lib/token/format.h"
#include "iov/layout.h"

using namespace kgss;

namespace {

// The checks every call starts with, in RFC 2744 order of precedence.
kgss_status check_context(const kgss_ctx *c)
{
	if (c == nullptr)
		return KGSS_S_NO_CONTEXT;
	return ctx_check(c);
}

// For calls that produce or consume a token: a live, unexpired context.
kgss_status check_live_context(const kgss_ctx *c)
{
	kgss_status st = check_context(c);
	if (st != KGSS_S_COMPLETE)
		return st;
	return ctx_check_expiry(c);
}

bool buffer_ok(const kgss_buffer *b) { return b != nullptr && (b->value != nullptr || b->length == 0); }

// ---- receiving ------------------------------------------------------------------

// A received token through the format, then (verified tokens only) its
// sequence number through the receive window: COMPLETE plus the window's
// supplementary bits, or the format's error.
kgss_status verify_mic_checked(kgss_ctx *c, const iov_layout &l)
{
	uint64_t seq = 0;
	kgss_status st = c->fmt->verify_mic_iov(c, l, &seq);
	return st == KGSS_S_COMPLETE ? st | seqstate_check(&c->recv, seq) : st;
}

kgss_status unwrap_checked(kgss_ctx *c, int *conf_state, const iov_layout &l)
{
	uint64_t seq = 0;
	kgss_status st = c->fmt->unwrap_iov(c, conf_state, l, &seq);
	return st == KGSS_S_COMPLETE ? st | seqstate_check(&c->recv, seq) : st;
}

// ---- plain-call layouts ------------------------------------------------------------

enum wrap_slot { WRAP_HEADER, WRAP_DATA, WRAP_PADDING, WRAP_TRAILER, WRAP_SLOTS };

// The iov_layout iov_classify gives for a plain call's own array: `count`
// entries of which exactly one is DATA (data_len bytes) and the others the
// single-instance buffers the caller passes.  Buffers were checked with
// buffer_ok; the lengths of two buffers of a plain call must still add up
// without overflow (iov_classify's "addressable" rule).
inline bool plain_len_ok(size_t a, size_t b) { return a + b >= a; }

inline void plain_layout(iov_layout *l, kgss_iov *iov, size_t count, size_t data_len)
{
	l->iov = iov;
	l->count = count;
	l->header = nullptr;
	l->trailer = nullptr;
	l->padding = nullptr;
	l->stream = nullptr;
	l->mic_token = nullptr;
	l->data_len = data_len;
	l->sign_len = 0;
	l->data_count = 1;
	l->plain_call = true;
	l->confounder = nullptr;
}

// DATA | MIC_TOKEN of kgss_get_mic / kgss_verify_mic.  The message is only
// read (a MIC never changes it); get_mic writes the token, verify_mic reads it.
void plain_mic_layout(kgss_iov iov[2], iov_layout *l, const kgss_buffer *message, const kgss_buffer *token)
{
	iov[0].type = KGSS_IOV_DATA;
	iov[0].buffer.value = message->value;
	iov[0].buffer.length = message->length;
	iov[1].type = KGSS_IOV_MIC_TOKEN;
	iov[1].buffer.value = token->value;
	iov[1].buffer.length = token->length;
	plain_layout(l, iov, 2, message->length);
	l->mic_token = &iov[1];
}

// HEADER | DATA | PADDING | TRAILER for a message of data_len bytes at data,
// with the format's lengths for the other three (buffers not yet placed).
kgss_status plain_wrap_lengths(kgss_ctx *c, int conf_req, uint8_t *data, size_t data_len, kgss_iov iov[WRAP_SLOTS],
			       iov_layout *l, size_t *token_len)
{
	if (data == nullptr && data_len != 0)
		return KGSS_S_FAILURE;
	memset(iov, 0, sizeof(kgss_iov) * WRAP_SLOTS);
	iov[WRAP_HEADER].type = KGSS_IOV_HEADER;
	iov[WRAP_DATA].type = KGSS_IOV_DATA;
	iov[WRAP_DATA].buffer.value = data;
	iov[WRAP_DATA].buffer.length = data_len;
	iov[WRAP_PADDING].type = KGSS_IOV_PADDING;
	iov[WRAP_TRAILER].type = KGSS_IOV_TRAILER;
	plain_layout(l, iov, WRAP_SLOTS, data_len);
	l->header = &iov[WRAP_HEADER];
	l->padding = &iov[WRAP_PADDING];
	l->trailer = &iov[WRAP_TRAILER];
	kgss_status st = c->fmt->wrap_iov_length(c, conf_req, nullptr, *l);
	if (st != KGSS_S_COMPLETE)
		return st;
	size_t total = 0;
	for (size_t i = 0; i < WRAP_SLOTS; i++) {
		if (total + iov[i].buffer.length < total)
			return KGSS_S_FAILURE;
		total += iov[i].buffer.length;
	}
	*token_len = total;
	return KGSS_S_COMPLETE;
}

// The arguments of every call that sends a token or sizes one, in RFC 2744
// order: the context, the caller's buffers (FAILURE), the QOP.
kgss_status check_send_args(const kgss_ctx *ctx, uint32_t qop_req, bool buffers_ok)
{
	kgss_status st = check_context(ctx);
	if (st != KGSS_S_COMPLETE)
		return st;
	if (!buffers_ok)
		return KGSS_S_FAILURE;
	if (qop_req != 0)
		return KGSS_S_BAD_QOP;
	return KGSS_S_COMPLETE;
}

// The start of every call that sends a token: its arguments, then expiry.
kgss_status start_sending(const kgss_ctx *ctx, uint32_t qop_req, bool buffers_ok)
{
	const kgss_status st = check_send_args(ctx, qop_req, buffers_ok);
	if (st != KGSS_S_COMPLETE)
		return st;
	return ctx_check_expiry(ctx);
}

// The IOV calls that send (or, lengths_only, size) a token: the same, then
// the buffers' classification into *l.  Sizing a token does not need an
// unexpired context.
kgss_status start_sending_iov(const kgss_ctx *ctx, uint32_t qop_req, kgss_iov *iov, size_t iov_count, iov_layout *l,
			      bool lengths_only = false)
{
	const kgss_status st = lengths_only ? check_send_args(ctx, qop_req, true) : start_sending(ctx, qop_req, true);
	if (st != KGSS_S_COMPLETE)
		return st;
	return iov_classify(iov, iov_count, l);
}

// The IOV calls that receive a token: no QOP yet, a live context, the
// buffers' classification into *l.
kgss_status start_receiving_iov(const kgss_ctx *ctx, uint32_t *qop_state, kgss_iov *iov, size_t iov_count,
				iov_layout *l)
{
	if (qop_state)
		*qop_state = 0;
	const kgss_status st = check_live_context(ctx);
	if (st != KGSS_S_COMPLETE)
		return st;
	return iov_classify(iov, iov_count, l);
}

// The start of kgss_get_mic and kgss_verify_mic: the checks of a call that
// sends (the same order for verify_mic, whose QOP is 0), then DATA |
// MIC_TOKEN laid out in iov and *l.
kgss_status start_plain_mic(const kgss_ctx *ctx, uint32_t qop_req, const kgss_buffer *message, const kgss_buffer *token,
			    kgss_iov iov[2], iov_layout *l)
{
	const kgss_status st = start_sending(ctx, qop_req, buffer_ok(message) && buffer_ok(token));
	if (st != KGSS_S_COMPLETE)
		return st;
	if (!plain_len_ok(message->length, token->length))
		return KGSS_S_FAILURE;
	plain_mic_layout(iov, l, message, token);
	return KGSS_S_COMPLETE;
}

} // namespace

// ---- MIC ---------------------------------------------------------------------------------

extern "C" kgss_status kgss_get_mic_iov_length(kgss_ctx *ctx, uint32_t qop_req, kgss_iov *iov, size_t iov_count)
{
	iov_layout l;
	const kgss_status st = start_sending_iov(ctx, qop_req, iov, iov_count, &l, true);
	if (st != KGSS_S_COMPLETE)
		return st;
	return ctx->fmt->get_mic_iov_length(ctx, l);
}

extern "C" kgss_status kgss_get_mic_iov(kgss_ctx *ctx, uint32_t qop_req, kgss_iov *iov, size_t iov_count)
{
	iov_layout l;
	const kgss_status st = start_sending_iov(ctx, qop_req, iov, iov_count, &l);
	if (st != KGSS_S_COMPLETE)
		return st;
	return ctx->fmt->get_mic_iov(ctx, l);
}

extern "C" kgss_status kgss_verify_mic_iov(kgss_ctx *ctx, uint32_t *qop_state, kgss_iov *iov, size_t iov_count)
{
	iov_layout l;
	const kgss_status st = start_receiving_iov(ctx, qop_state, iov, iov_count, &l);
	if (st != KGSS_S_COMPLETE)
		return st;
	return verify_mic_checked(ctx, l);
}

extern "C" kgss_status kgss_get_mic(kgss_ctx *ctx, uint32_t qop_req, const kgss_buffer *message, kgss_buffer *token)
{
	kgss_iov iov[2];
	iov_layout l;
	kgss_status st = start_plain_mic(ctx, qop_req, message, token, iov, &l);
	if (st != KGSS_S_COMPLETE)
		return st;
	st = ctx->fmt->get_mic_iov(ctx, l);
	if (st == KGSS_S_COMPLETE)
		token->length = iov[1].buffer.length;
	return st;
}

extern "C" kgss_status kgss_verify_mic(kgss_ctx *ctx, const kgss_buffer *message, const kgss_buffer *token,
				       uint32_t *qop_state)
{
	if (qop_state)
		*qop_state = 0;
	kgss_iov iov[2];
	iov_layout l;
	const kgss_status st = start_plain_mic(ctx, 0, message, token, iov, &l); // no QOP to check
	if (st != KGSS_S_COMPLETE)
		return st;
	return verify_mic_checked(ctx, l);
}

extern "C" kgss_status kgss_mic_size(const kgss_ctx *ctx, size_t message_len, size_t *token_len)
{
	kgss_status st = check_context(ctx);
	if (st != KGSS_S_COMPLETE)
		return st;
	if (token_len == nullptr)
		return KGSS_S_FAILURE;
	// The message length does not change a MIC token's length in either format.
	(void)message_len;
	kgss_iov mic;
	memset(&mic, 0, sizeof(mic));
	mic.type = KGSS_IOV_MIC_TOKEN;
	iov_layout l;
	st = iov_classify(&mic, 1, &l);
	if (st == KGSS_S_COMPLETE)
		st = ctx->fmt->get_mic_iov_length(const_cast<kgss_ctx *>(ctx), l); // computes lengths only
	if (st == KGSS_S_COMPLETE)
		*token_len = mic.buffer.length;
	return st;
}

// ---- Wrap ----------------------------------------------------------------------------------

extern "C" kgss_status kgss_wrap_iov_length(kgss_ctx *ctx, int conf_req, uint32_t qop_req, int *conf_state,
					    kgss_iov *iov, size_t iov_count)
{
	iov_layout l;
	const kgss_status st = start_sending_iov(ctx, qop_req, iov, iov_count, &l, true);
	if (st != KGSS_S_COMPLETE)
		return st;
	return ctx->fmt->wrap_iov_length(ctx, conf_req, conf_state, l);
}

extern "C" kgss_status kgss_wrap_iov(kgss_ctx *ctx, int conf_req, uint32_t qop_req, int *conf_state, kgss_iov *iov,
				     size_t iov_count)
{
	iov_layout l;
	const kgss_status st = start_sending_iov(ctx, qop_req, iov, iov_count, &l);
	if (st != KGSS_S_COMPLETE)
		return st;
	return ctx->fmt->wrap_iov(ctx, conf_req, conf_state, l);
}

extern "C" kgss_status kgss_unwrap_iov(kgss_ctx *ctx, int *conf_state, uint32_t *qop_state, kgss_iov *iov,
				       size_t iov_count)
{
	iov_layout l;
	const kgss_status st = start_receiving_iov(ctx, qop_state, iov, iov_count, &l);
	if (st != KGSS_S_COMPLETE)
		return st;
	return unwrap_checked(ctx, conf_state, l);
}

extern "C" kgss_status kgss_wrap(kgss_ctx *ctx, int conf_req, uint32_t qop_req, const kgss_buffer *input,
				 int *conf_state, kgss_buffer *output)
{
	kgss_status st = start_sending(ctx, qop_req, buffer_ok(input) && buffer_ok(output));
	if (st != KGSS_S_COMPLETE)
		return st;

	// Lengths first: a too-small output is left untouched.
	kgss_iov iov[WRAP_SLOTS];
	iov_layout l;
	size_t token_len = 0;
	uint8_t *out = (uint8_t *)output->value;
	st = plain_wrap_lengths(ctx, conf_req, out, input->length, iov, &l, &token_len);
	if (st != KGSS_S_COMPLETE)
		return st;
	if (output->length < token_len)
		return KGSS_S_FAILURE;

	// Everything that can fail short of the cipher itself is done before the
	// message moves: output may be the input (in place), and a failure must
	// then leave the caller's message as it was.  The confounder is the one
	// such step left (no PRNG, or the PRNG failed).
	uint8_t conf[ENCTYPE_CONF_MAX]; // secret until encrypted (RFC 1964: 8 bytes)
	const size_t conf_len = ctx->fmt->wrap_confounder_len(ctx, conf_req);
	if (conf_len > sizeof(conf))
		return KGSS_S_FAILURE;
	if (conf_len != 0) {
		st = ctx_random(ctx, conf, conf_len);
		if (st != KGSS_S_COMPLETE) {
			output->length = 0; // no token; output's bytes (an in-place message) untouched
			return st;
		}
		l.confounder = conf;
	}

	// Place HEADER | DATA | PADDING | TRAILER back to back in output, put the
	// message in the DATA slot and wrap it in place.
	size_t offset = 0;
	for (size_t i = 0; i < WRAP_SLOTS; i++) {
		iov[i].buffer.value = out + offset;
		offset += iov[i].buffer.length;
	}
	if (input->length)
		memmove(iov[WRAP_DATA].buffer.value, input->value, input->length);
	st = ctx->fmt->wrap_iov(ctx, conf_req, conf_state, l);
	KGSS_WIPE_BUF(conf, conf_len);
	if (st != KGSS_S_COMPLETE) {
		// Only a backend (cipher / hash) failure gets here.
		KGSS_WIPE_BUF(out, token_len);
		output->length = 0;
		return st;
	}
	size_t written = 0;
	for (size_t i = 0; i < WRAP_SLOTS; i++)
		written += iov[i].buffer.length;
	output->length = written;
	return KGSS_S_COMPLETE;
}

namespace {

// kgss_unwrap's general way: the token copied to out (at least its length,
// maybe input itself), unwrapped there as STREAM | DATA, and the message
// moved to the front.  On error out may hold copies of token bytes.
kgss_status unwrap_in_output(kgss_ctx *ctx, int *conf_state, const kgss_buffer *input, uint8_t *out, size_t *plain_len)
{
	const size_t token_len = input->length;
	if (token_len)
		memmove(out, input->value, token_len);
	kgss_iov iov[2];
	iov[0].type = KGSS_IOV_STREAM;
	iov[0].buffer.value = out;
	iov[0].buffer.length = token_len;
	iov[1].type = KGSS_IOV_DATA;
	iov[1].buffer.value = nullptr;
	iov[1].buffer.length = 0;
	iov_layout l;
	plain_layout(&l, iov, 2, 0);
	l.stream = &iov[0];
	kgss_status st = unwrap_checked(ctx, conf_state, l);
	if (KGSS_ERROR(st))
		return st;
	// The message lies inside the token: move it to the front.
	*plain_len = iov[1].buffer.length;
	if (*plain_len)
		memmove(out, iov[1].buffer.value, *plain_len);
	return st;
}

} // namespace

extern "C" kgss_status kgss_unwrap(kgss_ctx *ctx, const kgss_buffer *input, kgss_buffer *output, int *conf_state,
				   uint32_t *qop_state)
{
	if (qop_state)
		*qop_state = 0;
	// kgss.h: a failed unwrap releases nothing and output->length is 0,
	// whatever the failure (dead or expired context, bad arguments too).
	// input is read first: a caller may pass one kgss_buffer as both.
	kgss_status st = check_live_context(ctx);
	if (st == KGSS_S_COMPLETE && (!buffer_ok(input) || !buffer_ok(output)))
		st = KGSS_S_FAILURE;
	// output is the working area: the token is unwrapped in a copy there.
	if (st == KGSS_S_COMPLETE && output->length < input->length)
		st = KGSS_S_FAILURE;
	if (st != KGSS_S_COMPLETE) {
		if (output != nullptr)
			output->length = 0;
		return st;
	}
	uint8_t *out = (uint8_t *)output->value;
	const size_t token_len = input->length;
	size_t plain_len = 0;
	uint64_t seq = 0;
	// The format copies the message out of the token as it opens it, or
	// (the format's unwrap_to declining) the token is copied to output and
	// unwrapped in place there as STREAM | DATA.
	if (ctx->fmt->unwrap_to != nullptr && ctx->fmt->unwrap_to(ctx, conf_state, (const uint8_t *)input->value,
								  token_len, out, &plain_len, &seq, &st)) {
		if (st == KGSS_S_COMPLETE)
			st |= seqstate_check(&ctx->recv, seq);
	} else {
		st = unwrap_in_output(ctx, conf_state, input, out, &plain_len);
	}
	if (KGSS_ERROR(st)) {
		// No plaintext leaves a failed unwrap.
		KGSS_WIPE_BUF(out, token_len);
		output->length = 0;
		return st;
	}
	// Clear what is left of the token behind the message.
	KGSS_WIPE_BUF(out + plain_len, token_len - plain_len);
	output->length = plain_len;
	return st;
}

extern "C" kgss_status kgss_wrap_size(const kgss_ctx *ctx, int conf_req, size_t input_len, size_t *token_len)
{
	kgss_status st = check_context(ctx);
	if (st != KGSS_S_COMPLETE)
		return st;
	if (token_len == nullptr)
		return KGSS_S_FAILURE;
	// The length calls never touch the message: any non-NULL address will do.
	uint8_t placeholder = 0;
	kgss_iov iov[WRAP_SLOTS];
	iov_layout l;
	st = plain_wrap_lengths(const_cast<kgss_ctx *>(ctx), conf_req, &placeholder, input_len, iov, &l, token_len);
	return st;
}

extern "C" kgss_status kgss_wrap_size_limit(const kgss_ctx *ctx, int conf_req, size_t max_token_len,
					    size_t *max_input_len)
{
	kgss_status st = check_context(ctx);
	if (st != KGSS_S_COMPLETE)
		return st;
	if (max_input_len == nullptr)
		return KGSS_S_FAILURE;
	*max_input_len = 0;
	size_t overhead = 0;
	st = kgss_wrap_size(ctx, conf_req, 0, &overhead);
	if (st != KGSS_S_COMPLETE)
		return st;
	if (max_token_len < overhead)
		return KGSS_S_COMPLETE;
	// The token length never decreases as the input grows, and an input
	// too long for the format (RFC 1964: the 4-octet DER length) fails
	// kgss_wrap_size, so "fits" is true up to the answer and false after.
	// The answer is not simply max_token_len - overhead: the overhead of an
	// empty RFC 1964 message includes a whole pad block, which a longer
	// message may not need.  Guess that, confirm (RFC 4121: exact), else
	// bisect; a token always holds its message, so max_token_len bounds it.
	auto fits = [&](size_t n) {
		size_t len = 0;
		return kgss_wrap_size(ctx, conf_req, n, &len) == KGSS_S_COMPLETE && len <= max_token_len;
	};
	const size_t guess = max_token_len - overhead;
	size_t lo = 0, hi = max_token_len; // fits(lo); the answer is in [lo, hi]
	if (fits(guess)) {
		lo = guess;
		if (guess == max_token_len || !fits(guess + 1))
			hi = guess;
	} else {
		hi = guess - 1; // guess > 0: fits(0)
	}
	while (lo < hi) {
		const size_t mid = hi - (hi - lo) / 2; // lo < mid <= hi
		if (fits(mid))
			lo = mid;
		else
			hi = mid - 1;
	}
	*max_input_len = lo;
	return KGSS_S_COMPLETE;
}
