// tests/edges/test_api_edges.cc - corners of the public per-message calls
// (gss-kernel-lib/api.cc and both token engines) that the format suites do
// not build: a NULL output with a message, lengths that overflow, inquire
// without an out-pointer, bad iov arrays on the MIC calls, a MIC_TOKEN
// missing or too short, expiry on the sending calls, an RFC 1964 IOV wrap
// whose confounder cannot be drawn, STREAM unwraps with extra buffers, the
// RFC 1964 pad inside DATA, a broken framing in an RFC 4121 HEADER.  Every
// refusal must leave the caller's buffers as they were and take no
// sequence number, and the context must keep working.
#include <stdint.h>
#include <string.h>

#include "CppUTest/TestHarness.h"
#include "edges_util.h"
#include "families.h"

using namespace ke;

namespace {

const std::initializer_list<int> kAll = {16, 17, 18, 19, 20, 23, 24, 25, 26};
const std::initializer_list<int> kRfc1964 = {16, 23, 24};
const std::initializer_list<int> kCfx = {17, 18, 19, 20, 25, 26};

struct fixed_clock {
	uint64_t now;
	bool fail;
};
int clock_fn(void *ctx, uint64_t *now)
{
	const fixed_clock *c = static_cast<const fixed_clock *>(ctx);
	if (c->fail)
		return -1;
	*now = c->now;
	return 0;
}

kgss_iov iov(uint32_t type, bytes &b) { return kgss_iov{type, {b.size(), b.data()}}; }
kgss_iov iov_empty(uint32_t type) { return kgss_iov{type, {0, nullptr}}; }

// HEADER | DATA | PADDING | TRAILER wrap of msg by s (IOV), each buffer its
// own vector; the token is their concatenation.
struct iov_token {
	bytes hdr, data, pad, trl;
	bytes joined() const
	{
		bytes t = hdr;
		t.insert(t.end(), data.begin(), data.end());
		t.insert(t.end(), pad.begin(), pad.end());
		t.insert(t.end(), trl.begin(), trl.end());
		return t;
	}
};
iov_token wrap_iov4(kgss_ctx *s, bool conf, const bytes &msg)
{
	iov_token t;
	t.data = msg;
	kgss_iov v[4] = {iov_empty(KGSS_IOV_HEADER), iov(KGSS_IOV_DATA, t.data), iov_empty(KGSS_IOV_PADDING),
			 iov_empty(KGSS_IOV_TRAILER)};
	LONGS_EQUAL(KGSS_S_COMPLETE, kgss_wrap_iov_length(s, conf, 0, nullptr, v, 4));
	t.hdr.resize(v[0].buffer.length);
	t.pad.resize(v[2].buffer.length);
	t.trl.resize(v[3].buffer.length);
	v[0] = iov(KGSS_IOV_HEADER, t.hdr);
	v[2] = iov(KGSS_IOV_PADDING, t.pad);
	v[3] = iov(KGSS_IOV_TRAILER, t.trl);
	LONGS_EQUAL(KGSS_S_COMPLETE, kgss_wrap_iov(s, conf, 0, nullptr, v, 4));
	t.hdr.resize(v[0].buffer.length);
	t.pad.resize(v[2].buffer.length);
	t.trl.resize(v[3].buffer.length);
	return t;
}

} // namespace

TEST_GROUP(api_edges){};

// kgss_wrap into {0, NULL} with a non-empty message: refused before the
// confounder is drawn or a sequence number taken.
TEST(api_edges, wrap_into_null_output_with_a_message_is_refused)
{
	for (int etype : kt::compiled_in(kAll)) {
		pair p(etype);
		CHECK(p.ok());
		const bytes msg = message(5);
		kgss_buffer in = {msg.size(), const_cast<uint8_t *>(msg.data())};
		kgss_buffer out = {0, nullptr};
		const uint64_t seq = send_seq(p.a);
		const long draws = p.a.prng.calls;
		int cs = 7;
		LONGS_EQUAL(KGSS_S_FAILURE, kgss_wrap(p.a, 1, 0, &in, &cs, &out));
		LONGS_EQUAL(0, out.length);
		POINTERS_EQUAL(nullptr, out.value);
		LONGS_EQUAL(seq, send_seq(p.a));
		LONGS_EQUAL(draws, p.a.prng.calls);
		// An empty message into {0, NULL}: still no room for the token.
		in.length = 0;
		LONGS_EQUAL(KGSS_S_FAILURE, kgss_wrap(p.a, 1, 0, &in, &cs, &out));
		LONGS_EQUAL(0, out.length);
		LONGS_EQUAL(seq, send_seq(p.a));
		check_usable(p.a, p.b);
	}
}

// A message length plus a token length past SIZE_MAX is refused without
// reading either buffer (the message buffer here is 16 bytes long).
TEST(api_edges, mic_lengths_that_overflow_are_refused_unread)
{
	for (int etype : kt::compiled_in(kAll)) {
		pair p(etype);
		CHECK(p.ok());
		bytes msg = message(16);
		bytes tok(64, 0xee);
		kgss_buffer m = {SIZE_MAX - 8, msg.data()};
		kgss_buffer t = {tok.size(), tok.data()};
		const uint64_t seq = send_seq(p.a);
		LONGS_EQUAL(KGSS_S_FAILURE, kgss_get_mic(p.a, 0, &m, &t));
		LONGS_EQUAL(tok.size(), t.length);
		CHECK(tok == bytes(64, 0xee));
		LONGS_EQUAL(seq, send_seq(p.a));
		uint32_t qop = 5;
		LONGS_EQUAL(KGSS_S_FAILURE, kgss_verify_mic(p.b, &m, &t, &qop));
		LONGS_EQUAL(0, qop);
		// A NULL token, or a token with a length and no bytes.
		kgss_buffer m16 = {msg.size(), msg.data()};
		kgss_buffer no_bytes = {3, nullptr};
		LONGS_EQUAL(KGSS_S_FAILURE, kgss_verify_mic(p.b, &m16, nullptr, &qop));
		LONGS_EQUAL(KGSS_S_FAILURE, kgss_verify_mic(p.b, &m16, &no_bytes, &qop));
		check_usable(p.a, p.b);
	}
}

TEST(api_edges, inquire_needs_an_info_to_fill)
{
	for (int etype : kt::compiled_in({18, 16})) {
		pair p(etype);
		CHECK(p.ok());
		kgss_ctx_info i;
		LONGS_EQUAL(KGSS_S_FAILURE, kgss_ctx_inquire(p.a, nullptr));
		LONGS_EQUAL(KGSS_S_NO_CONTEXT, kgss_ctx_inquire(nullptr, &i));
		LONGS_EQUAL(KGSS_S_COMPLETE, kgss_ctx_inquire(p.a, &i));
		LONGS_EQUAL(etype, i.enctype);
		check_usable(p.a, p.b);
	}
}

// The IOV MIC calls classify the array first: an unknown type or a second
// MIC_TOKEN is FAILURE; no MIC_TOKEN at all, or one shorter than the token,
// is FAILURE from either format.  Nothing written, no sequence number used.
TEST(api_edges, mic_iov_calls_refuse_bad_or_missing_mic_token)
{
	for (int etype : kt::compiled_in(kAll)) {
		pair p(etype);
		CHECK(p.ok());
		bytes d = message(30), t1(128, 0xee), t2(128, 0xee);
		const uint64_t seq = send_seq(p.a);
		kgss_iov unknown[2] = {iov(KGSS_IOV_DATA, d), kgss_iov{99, {t1.size(), t1.data()}}};
		LONGS_EQUAL(KGSS_S_FAILURE, kgss_get_mic_iov_length(p.a, 0, unknown, 2));
		LONGS_EQUAL(KGSS_S_FAILURE, kgss_get_mic_iov(p.a, 0, unknown, 2));
		LONGS_EQUAL(KGSS_S_FAILURE, kgss_verify_mic_iov(p.b, nullptr, unknown, 2));
		kgss_iov twice[3] = {iov(KGSS_IOV_DATA, d), iov(KGSS_IOV_MIC_TOKEN, t1), iov(KGSS_IOV_MIC_TOKEN, t2)};
		LONGS_EQUAL(KGSS_S_FAILURE, kgss_get_mic_iov_length(p.a, 0, twice, 3));
		LONGS_EQUAL(KGSS_S_FAILURE, kgss_get_mic_iov(p.a, 0, twice, 3));
		kgss_iov none[1] = {iov(KGSS_IOV_DATA, d)};
		LONGS_EQUAL(KGSS_S_FAILURE, kgss_get_mic_iov_length(p.a, 0, none, 1));
		LONGS_EQUAL(KGSS_S_FAILURE, kgss_get_mic_iov(p.a, 0, none, 1));
		LONGS_EQUAL(KGSS_S_FAILURE, kgss_verify_mic_iov(p.b, nullptr, none, 1));
		// One byte short of the token.
		kgss_iov v[2] = {iov(KGSS_IOV_DATA, d), iov_empty(KGSS_IOV_MIC_TOKEN)};
		LONGS_EQUAL(KGSS_S_COMPLETE, kgss_get_mic_iov_length(p.a, 0, v, 2));
		const size_t need = v[1].buffer.length;
		CHECK(need > 0 && need <= t1.size());
		v[1] = kgss_iov{KGSS_IOV_MIC_TOKEN, {need - 1, t1.data()}};
		LONGS_EQUAL(KGSS_S_FAILURE, kgss_get_mic_iov(p.a, 0, v, 2));
		LONGS_EQUAL(need - 1, v[1].buffer.length);
		CHECK(t1 == bytes(128, 0xee) && t2 == bytes(128, 0xee));
		CHECK(d == message(30));
		LONGS_EQUAL(seq, send_seq(p.a));
		// The exact length works and verifies.
		v[1] = kgss_iov{KGSS_IOV_MIC_TOKEN, {need, t1.data()}};
		LONGS_EQUAL(KGSS_S_COMPLETE, kgss_get_mic_iov(p.a, 0, v, 2));
		LONGS_EQUAL(KGSS_S_COMPLETE, kgss_verify_mic_iov(p.b, nullptr, v, 2));
		check_usable(p.a, p.b);
	}
}

// An expired context (or one whose clock fails) makes no wrap token and no
// IOV MIC: the output is untouched and no sequence number is taken.
TEST(api_edges, sending_calls_check_expiry_before_writing)
{
	for (int etype : kt::compiled_in(kAll)) {
		const bytes key = key_for(etype);
		fixed_clock clk = {0xfffffff0u, false}; // == endtime: expired
		box s, r;
		s.clock = clock_fn;
		s.clock_ctx = &clk;
		LONGS_EQUAL(KGSS_S_COMPLETE, s.import(lucid(etype, key, true)));
		LONGS_EQUAL(KGSS_S_COMPLETE, r.import(lucid(etype, key, false)));
		const uint64_t seq = send_seq(s);
		const bytes msg = message(40);
		bytes out(512, 0xee), tok(128, 0xee), d = msg;
		kgss_buffer in = {msg.size(), const_cast<uint8_t *>(msg.data())};
		kgss_iov v[2] = {iov(KGSS_IOV_DATA, d), iov(KGSS_IOV_MIC_TOKEN, tok)};
		for (int pass = 0; pass < 2; pass++) {
			const kgss_status want = pass == 0 ? KGSS_S_CONTEXT_EXPIRED : KGSS_S_FAILURE;
			clk.fail = pass == 1;
			for (int conf = 0; conf < 2; conf++) {
				kgss_buffer ob = {out.size(), out.data()};
				LONGS_EQUAL(want, kgss_wrap(s, conf, 0, &in, nullptr, &ob));
				LONGS_EQUAL(out.size(), ob.length);
			}
			LONGS_EQUAL(want, kgss_get_mic_iov(s, 0, v, 2));
			LONGS_EQUAL(tok.size(), v[1].buffer.length);
		}
		CHECK(out == bytes(512, 0xee) && tok == bytes(128, 0xee) && d == msg);
		LONGS_EQUAL(seq, send_seq(s));
		clk.fail = false;
		clk.now = 1000; // long before endtime
		check_usable(s, r);
	}
}

// RFC 1964 wrap tokens always carry a confounder.  Through the IOV call (the
// plain call draws it before moving the message) a PRNG failure must fail
// the wrap with the message untouched and no sequence number used; without
// a PRNG it is UNAVAILABLE.  RFC 4121 sealed IOV wraps likewise.
TEST(api_edges, iov_wrap_whose_confounder_cannot_be_drawn)
{
	for (int etype : kt::compiled_in(kAll)) {
		const bool rfc1964 = info_of(etype).rfc1964;
		pair p(etype);
		CHECK(p.ok());
		const bytes msg = message(33);
		for (int conf = rfc1964 ? 0 : 1; conf < 2; conf++) {
			iov_token t;
			t.data = msg;
			kgss_iov v[4] = {iov_empty(KGSS_IOV_HEADER), iov(KGSS_IOV_DATA, t.data),
					 iov_empty(KGSS_IOV_PADDING), iov_empty(KGSS_IOV_TRAILER)};
			LONGS_EQUAL(KGSS_S_COMPLETE, kgss_wrap_iov_length(p.a, conf, 0, nullptr, v, 4));
			t.hdr.assign(v[0].buffer.length, 0xee);
			t.pad.assign(v[2].buffer.length, 0xee);
			t.trl.assign(v[3].buffer.length, 0xee);
			v[0] = iov(KGSS_IOV_HEADER, t.hdr);
			v[2] = iov(KGSS_IOV_PADDING, t.pad);
			v[3] = iov(KGSS_IOV_TRAILER, t.trl);
			const uint64_t seq = send_seq(p.a);
			p.a.prng.fail = true;
			LONGS_EQUAL(KGSS_S_FAILURE, kgss_wrap_iov(p.a, conf, 0, nullptr, v, 4));
			p.a.prng.fail = false;
			CHECK(t.data == msg);
			CHECK(t.pad == bytes(t.pad.size(), 0xee) && t.trl == bytes(t.trl.size(), 0xee));
			CHECK(!contains(t.hdr, bytes(msg.begin(), msg.begin() + 8)));
			LONGS_EQUAL(seq, send_seq(p.a));
			// Same buffers, the PRNG working again: a token the peer opens.
			LONGS_EQUAL(KGSS_S_COMPLETE, kgss_wrap_iov(p.a, conf, 0, nullptr, v, 4));
			LONGS_EQUAL(seq + 1, send_seq(p.a));
			t.hdr.resize(v[0].buffer.length);
			t.pad.resize(v[2].buffer.length);
			t.trl.resize(v[3].buffer.length);
			check_unwraps(p.b, t.joined(), msg);
		}
		// No PRNG at all.
		box nop;
		LONGS_EQUAL(KGSS_S_COMPLETE, nop.import(lucid(etype, key_for(etype), true), nullptr, false));
		bytes d = msg, hdr(128, 0xee), pad(32, 0xee), trl(128, 0xee);
		kgss_iov v[4] = {iov(KGSS_IOV_HEADER, hdr), iov(KGSS_IOV_DATA, d), iov(KGSS_IOV_PADDING, pad),
				 iov(KGSS_IOV_TRAILER, trl)};
		LONGS_EQUAL(KGSS_S_UNAVAILABLE, kgss_wrap_iov(nop, 1, 0, nullptr, v, 4));
		CHECK(d == msg);
		LONGS_EQUAL(1000, send_seq(nop));
	}
}

// STREAM | DATA takes exactly those two (and SIGN_ONLY): a HEADER, PADDING,
// TRAILER or second DATA beside STREAM is FAILURE with the token and the
// DATA descriptor untouched.
TEST(api_edges, stream_unwrap_refuses_extra_buffers)
{
	const bytes msg = message(50);
	for (int etype : kt::compiled_in(kAll)) {
		pair p(etype);
		CHECK(p.ok());
		const bool rfc1964 = info_of(etype).rfc1964;
		const bytes tok = wrap(p.a, true, msg);
		bytes s = tok, extra(16, 0x11), d2(4, 0x22);
		const uint32_t extras[] = {KGSS_IOV_HEADER, KGSS_IOV_PADDING, KGSS_IOV_TRAILER, KGSS_IOV_DATA};
		for (uint32_t type : extras) {
			if (!rfc1964 && type == KGSS_IOV_PADDING)
				continue; // RFC 4121 does not check PADDING beside STREAM
			kgss_iov v[3] = {iov(KGSS_IOV_STREAM, s), iov_empty(KGSS_IOV_DATA),
					 type == KGSS_IOV_DATA ? iov(KGSS_IOV_DATA, d2) : iov(type, extra)};
			int cs = 5;
			LONGS_EQUAL(KGSS_S_FAILURE, kgss_unwrap_iov(p.b, &cs, nullptr, v, 3));
			LONGS_EQUAL(0, cs);
			CHECK(s == tok);
			CHECK(v[1].buffer.value == nullptr && v[1].buffer.length == 0);
			CHECK(extra == bytes(16, 0x11) && d2 == bytes(4, 0x22));
		}
		kgss_iov v[2] = {iov(KGSS_IOV_STREAM, s), iov_empty(KGSS_IOV_DATA)};
		LONGS_EQUAL(KGSS_S_COMPLETE, kgss_unwrap_iov(p.b, nullptr, nullptr, v, 2));
		CHECK(v[1].buffer.length == msg.size() && memcmp(v[1].buffer.value, msg.data(), msg.size()) == 0);
	}
}

// RFC 4121 Wrap layouts: a MIC_TOKEN beside them is FAILURE on both sides;
// a HEADER that starts with the RFC 2743 tag 0x60 but a length that does
// not cover the token is DEFECTIVE_TOKEN.  DATA stays as it was (plaintext
// on the sending side, ciphertext on the receiving side), and the same
// buffers without the fault work.
TEST(api_edges, cfx_iov_layout_refusals)
{
	for (int etype : kt::compiled_in(kCfx)) {
		pair p(etype);
		CHECK(p.ok());
		const bytes msg = message(24);
		bytes mic(64, 0xee), d = msg, hdr(64, 0xee), trl(64, 0xee);
		const uint64_t seq = send_seq(p.a);
		kgss_iov w[4] = {iov(KGSS_IOV_HEADER, hdr), iov(KGSS_IOV_DATA, d), iov(KGSS_IOV_TRAILER, trl),
				 iov(KGSS_IOV_MIC_TOKEN, mic)};
		LONGS_EQUAL(KGSS_S_FAILURE, kgss_wrap_iov(p.a, 1, 0, nullptr, w, 4));
		CHECK(d == msg && hdr == bytes(64, 0xee) && trl == bytes(64, 0xee));
		LONGS_EQUAL(seq, send_seq(p.a));

		iov_token t = wrap_iov4(p.a, true, msg);
		const bytes sealed = t.data;
		bytes framed = {0x60, 0x05};
		framed.insert(framed.end(), t.hdr.begin(), t.hdr.end());
		kgss_iov u[4] = {iov(KGSS_IOV_HEADER, t.hdr), iov(KGSS_IOV_DATA, t.data), iov(KGSS_IOV_TRAILER, t.trl),
				 iov(KGSS_IOV_MIC_TOKEN, mic)};
		LONGS_EQUAL(KGSS_S_FAILURE, kgss_unwrap_iov(p.b, nullptr, nullptr, u, 4));
		CHECK(t.data == sealed);
		u[0] = iov(KGSS_IOV_HEADER, framed);
		LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, kgss_unwrap_iov(p.b, nullptr, nullptr, u, 3));
		CHECK(t.data == sealed);
		u[0] = iov(KGSS_IOV_HEADER, t.hdr);
		LONGS_EQUAL(KGSS_S_COMPLETE, kgss_unwrap_iov(p.b, nullptr, nullptr, u, 3));
		CHECK(t.data == msg);
	}
}

// RFC 1964 HEADER | DATA | DATA(empty, NULL) without a pad buffer: the pad
// travels at the end of the first DATA and the empty DATA after it is
// skipped when the pad is read and trimmed.
TEST(api_edges, rfc1964_pad_inside_data_with_an_empty_last_data)
{
	for (int etype : kt::compiled_in(kRfc1964)) {
		pair p(etype);
		CHECK(p.ok());
		for (size_t n : {0, 1, 7, 8, 30}) {
			for (int conf = 0; conf < 2; conf++) {
				const bytes msg = message(n);
				iov_token t = wrap_iov4(p.a, conf, msg);
				CHECK(t.trl.empty());
				bytes body = t.data;
				body.insert(body.end(), t.pad.begin(), t.pad.end());
				kgss_iov u[3] = {iov(KGSS_IOV_HEADER, t.hdr), iov(KGSS_IOV_DATA, body),
						 iov_empty(KGSS_IOV_DATA)};
				int cs = -1;
				LONGS_EQUAL(KGSS_S_COMPLETE, kgss_unwrap_iov(p.b, &cs, nullptr, u, 3));
				LONGS_EQUAL(conf, cs);
				LONGS_EQUAL(n, u[1].buffer.length);
				LONGS_EQUAL(0, u[2].buffer.length);
				CHECK(n == 0 || memcmp(body.data(), msg.data(), n) ==
							0); // memcmp takes no NULL, even for 0 bytes
			}
		}
	}
}

// RFC 1964 without a PADDING buffer: the pad goes to the TRAILER (its length
// reported by the length call), and HEADER | DATA | TRAILER opens again.
TEST(api_edges, rfc1964_pad_in_the_trailer)
{
	for (int etype : kt::compiled_in(kRfc1964)) {
		pair p(etype);
		CHECK(p.ok());
		for (size_t n : {0, 5, 8, 21}) {
			const bytes msg = message(n);
			bytes d = msg;
			kgss_iov v[3] = {iov_empty(KGSS_IOV_HEADER), iov(KGSS_IOV_DATA, d),
					 iov_empty(KGSS_IOV_TRAILER)};
			LONGS_EQUAL(KGSS_S_COMPLETE, kgss_wrap_iov_length(p.a, 1, 0, nullptr, v, 3));
			const size_t pad = etype == 16 ? 8 - n % 8 : 1; // RFC 1964 §1.2.2.3, RFC 4757 §7.3
			LONGS_EQUAL(pad, v[2].buffer.length);
			bytes hdr(v[0].buffer.length), trl(pad);
			v[0] = iov(KGSS_IOV_HEADER, hdr);
			v[2] = iov(KGSS_IOV_TRAILER, trl);
			LONGS_EQUAL(KGSS_S_COMPLETE, kgss_wrap_iov(p.a, 1, 0, nullptr, v, 3));
			LONGS_EQUAL(pad, v[2].buffer.length);
			LONGS_EQUAL(KGSS_S_COMPLETE, kgss_unwrap_iov(p.b, nullptr, nullptr, v, 3));
			CHECK(d == msg);
		}
	}
}
