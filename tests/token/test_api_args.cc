// The public per-message calls (gss-kernel-lib/api.cc): argument checks,
// statuses, capacities (nothing written, no sequence number consumed),
// randomness failures, size calls.
#include <CppUTest/TestHarness.h>
#include <string.h>

#include "families.h"
#include "token_util.h"

using namespace tt;

TEST_GROUP(api_args){};

TEST(api_args, null_context_and_bad_arguments)
{
	uint8_t buf[256];
	bytes msg = pattern(10);
	kgss_buffer m = {msg.size(), msg.data()};
	kgss_buffer out = {sizeof(buf), buf};
	size_t len = 0;
	uint32_t qop = 0;
	kgss_iov v[1] = {{KGSS_IOV_MIC_TOKEN, {sizeof(buf), buf}}};
	CHECK_EQUAL(KGSS_S_NO_CONTEXT, kgss_get_mic(nullptr, 0, &m, &out));
	CHECK_EQUAL(KGSS_S_NO_CONTEXT, kgss_verify_mic(nullptr, &m, &out, &qop));
	CHECK_EQUAL(KGSS_S_NO_CONTEXT, kgss_wrap(nullptr, 1, 0, &m, nullptr, &out));
	CHECK_EQUAL(KGSS_S_NO_CONTEXT, kgss_unwrap(nullptr, &m, &out, nullptr, nullptr));
	CHECK_EQUAL(KGSS_S_NO_CONTEXT, kgss_wrap_size(nullptr, 1, 10, &len));
	CHECK_EQUAL(KGSS_S_NO_CONTEXT, kgss_mic_size(nullptr, 10, &len));
	CHECK_EQUAL(KGSS_S_NO_CONTEXT, kgss_wrap_size_limit(nullptr, 1, 100, &len));
	CHECK_EQUAL(KGSS_S_NO_CONTEXT, kgss_wrap_iov(nullptr, 1, 0, nullptr, v, 1));
	CHECK_EQUAL(KGSS_S_NO_CONTEXT, kgss_wrap_iov_length(nullptr, 1, 0, nullptr, v, 1));
	CHECK_EQUAL(KGSS_S_NO_CONTEXT, kgss_unwrap_iov(nullptr, nullptr, nullptr, v, 1));
	CHECK_EQUAL(KGSS_S_NO_CONTEXT, kgss_get_mic_iov(nullptr, 0, v, 1));
	CHECK_EQUAL(KGSS_S_NO_CONTEXT, kgss_get_mic_iov_length(nullptr, 0, v, 1));
	CHECK_EQUAL(KGSS_S_NO_CONTEXT, kgss_verify_mic_iov(nullptr, nullptr, v, 1));

	// Not a context: zero-filled memory.
	std::vector<uint8_t> junk(kgss_ctx_size(), 0);
	kgss_ctx *fake = (kgss_ctx *)junk.data();
	CHECK_EQUAL(KGSS_S_NO_CONTEXT, kgss_wrap(fake, 1, 0, &m, nullptr, &out));

	context c(ctx_spec{});
	CHECK_EQUAL(KGSS_S_COMPLETE, c.import_status);
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_get_mic(c, 0, nullptr, &out));
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_get_mic(c, 0, &m, nullptr));
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_verify_mic(c, nullptr, &out, &qop));
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_wrap(c, 1, 0, nullptr, nullptr, &out));
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_wrap(c, 1, 0, &m, nullptr, nullptr));
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_unwrap(c, nullptr, &out, nullptr, nullptr));
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_unwrap(c, &m, nullptr, nullptr, nullptr));
	kgss_buffer null_value = {5, nullptr};
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_wrap(c, 1, 0, &null_value, nullptr, &out));
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_wrap_size(c, 1, 10, nullptr));
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_mic_size(c, 10, nullptr));
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_wrap_size_limit(c, 1, 100, nullptr));
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_unwrap_iov(c, nullptr, nullptr, nullptr, 1));

	// qop
	CHECK_EQUAL(KGSS_S_BAD_QOP, kgss_get_mic(c, 1, &m, &out));
	CHECK_EQUAL(KGSS_S_BAD_QOP, kgss_wrap(c, 1, 7, &m, nullptr, &out));
	CHECK_EQUAL(KGSS_S_BAD_QOP, kgss_wrap_iov(c, 1, 1, nullptr, v, 1));
	CHECK_EQUAL(KGSS_S_BAD_QOP, kgss_wrap_iov_length(c, 1, 1, nullptr, v, 1));
	CHECK_EQUAL(KGSS_S_BAD_QOP, kgss_get_mic_iov(c, 2, v, 1));
	CHECK_EQUAL(KGSS_S_BAD_QOP, kgss_get_mic_iov_length(c, 2, v, 1));
	CHECK_EQUAL(1000u, c.send_seq()); // none of that consumed a number

	// Layout errors: no HEADER for a wrap, no MIC_TOKEN for a MIC, STREAM on wrap.
	kgss_iov data_only[1] = {{KGSS_IOV_DATA, {msg.size(), msg.data()}}};
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_wrap_iov(c, 1, 0, nullptr, data_only, 1));
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_wrap_iov_length(c, 1, 0, nullptr, data_only, 1));
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_get_mic_iov(c, 0, data_only, 1));
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_verify_mic_iov(c, nullptr, data_only, 1));
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_unwrap_iov(c, nullptr, nullptr, data_only, 1));
	kgss_iov stream_wrap[2] = {{KGSS_IOV_HEADER, {sizeof(buf), buf}}, {KGSS_IOV_STREAM, {sizeof(buf), buf}}};
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_wrap_iov(c, 1, 0, nullptr, stream_wrap, 2));
	CHECK_EQUAL(1000u, c.send_seq());
}

TEST(api_args, too_small_buffers_write_nothing_and_take_no_sequence_number)
{
	for (int conf = 0; conf <= 1; conf++) {
		context c(ctx_spec{});
		bytes msg = pattern(50);
		size_t len = 0;
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss_wrap_size(c, conf, msg.size(), &len));
		bytes out(len - 1, 0x5A);
		kgss_buffer in = {msg.size(), msg.data()};
		kgss_buffer o = {out.size(), out.data()};
		CHECK_EQUAL(KGSS_S_FAILURE, kgss_wrap(c, conf, 0, &in, nullptr, &o));
		CHECK_EQUAL(len - 1, o.length);
		CHECK(out == bytes(len - 1, 0x5A));
		CHECK_EQUAL(1000u, c.send_seq());

		// IOV: a short HEADER, then a short TRAILER.
		for (int which = 0; which < 2; which++) {
			iov_set s;
			s.add(KGSS_IOV_HEADER);
			s.add(KGSS_IOV_DATA, msg);
			s.add(KGSS_IOV_TRAILER);
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss_wrap_iov_length(c, conf, 0, nullptr, s.bind(), s.count()));
			s.store[0].assign(s.iov[0].buffer.length - (which == 0), 0x5A);
			s.store[2].assign(s.iov[2].buffer.length - (which == 1), 0x5A);
			bytes h = s.store[0], t = s.store[2];
			CHECK_EQUAL(KGSS_S_FAILURE, kgss_wrap_iov(c, conf, 0, nullptr, s.bind(), s.count()));
			CHECK(s.store[0] == h);
			CHECK(s.store[2] == t);
			CHECK(s.store[1] == msg);
			CHECK_EQUAL(h.size(), s.iov[0].buffer.length);
			CHECK_EQUAL(1000u, c.send_seq());
		}
	}
	// MIC
	context c(ctx_spec{});
	bytes msg = pattern(5), tok(16 + 12 - 1, 0x5A);
	kgss_buffer m = {msg.size(), msg.data()};
	kgss_buffer t = {tok.size(), tok.data()};
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_get_mic(c, 0, &m, &t));
	CHECK_EQUAL(tok.size(), t.length);
	CHECK(tok == bytes(tok.size(), 0x5A));
	CHECK_EQUAL(1000u, c.send_seq());
	// unwrap needs output capacity >= the token length
	bytes token, small(10);
	CHECK_EQUAL(KGSS_S_COMPLETE, wrap(c, true, msg, &token));
	kgss_buffer in = {token.size(), token.data()};
	kgss_buffer o = {token.size() - 1, small.data()};
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_unwrap(c, &in, &o, nullptr, nullptr));
}

TEST(api_args, confounder_needs_randomness)
{
	// No PRNG: sealing is unavailable, integrity-only still works.
	ctx_spec s;
	s.with_prng = false;
	context c(s);
	CHECK_EQUAL(KGSS_S_COMPLETE, c.import_status);
	bytes msg = pattern(20), token;
	CHECK_EQUAL(KGSS_S_UNAVAILABLE, wrap(c, true, msg, &token));
	CHECK_EQUAL(1000u, c.send_seq());
	CHECK_EQUAL(KGSS_S_COMPLETE, wrap(c, false, msg, &token));
	CHECK_EQUAL(1001u, c.send_seq());

	// A failing PRNG: its failure, never a zero confounder.
	context f(ctx_spec{});
	f.prng->fail = 1;
	CHECK(KGSS_ERROR(wrap(f, true, msg, &token)));
	CHECK_EQUAL(1000u, f.send_seq());
	iov_set v;
	v.add(KGSS_IOV_HEADER);
	v.add(KGSS_IOV_DATA, msg);
	v.add(KGSS_IOV_TRAILER);
	CHECK(KGSS_ERROR(wrap_iov(f, true, v)));
	CHECK(v.store[1] == msg);
	CHECK_EQUAL(1000u, f.send_seq());
	f.prng->fail = 0;
	CHECK_EQUAL(KGSS_S_COMPLETE, wrap(f, true, msg, &token));
}

TEST(api_args, two_sealed_tokens_of_the_same_message_differ)
{
	context c(ctx_spec{});
	bytes msg = pattern(32), a, b;
	CHECK_EQUAL(KGSS_S_COMPLETE, wrap(c, true, msg, &a));
	CHECK_EQUAL(KGSS_S_COMPLETE, wrap(c, true, msg, &b));
	CHECK(bytes(a.begin() + 16, a.end()) != bytes(b.begin() + 16, b.end()));
}

TEST(api_args, sizes)
{
	for (size_t i : cfx_indices()) {
		const cfx_enctype &e = cfx_enctypes[i];
		ctx_spec s;
		s.etype = e.etype;
		context c(s);
		size_t len = 0, lim = 0;
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss_mic_size(c, 12345, &len));
		CHECK_EQUAL(16 + e.tag_len, len);
		for (size_t n : {0, 1, 1000}) {
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss_wrap_size(c, 1, n, &len));
			CHECK_EQUAL(16 + e.conf_len + n + 16 + e.tag_len, len);
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss_wrap_size(c, 0, n, &len));
			CHECK_EQUAL(16 + n + e.tag_len, len);
		}
		for (int conf = 0; conf <= 1; conf++) {
			const size_t overhead = conf ? 16 + e.conf_len + 16 + e.tag_len : 16 + e.tag_len;
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss_wrap_size_limit(c, conf, 1000, &lim));
			CHECK_EQUAL(1000 - overhead, lim);
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss_wrap_size_limit(c, conf, overhead, &lim));
			CHECK_EQUAL(0u, lim);
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss_wrap_size_limit(c, conf, overhead - 1, &lim));
			CHECK_EQUAL(0u, lim);
		}
		CHECK_EQUAL(1000u, c.send_seq());
	}
}

static int clock_late(void *, uint64_t *now)
{
	*now = 0x100000000ull; // after the lucid endtime 0xffffffff
	return 0;
}

TEST(api_args, expired_context)
{
	kt::require_enctype(17);
	// Build an expired context by hand: the helper has no clock option.
	bytes key = synthetic_key(17, 16);
	kgss_lucid_context_v1 l;
	memset(&l, 0, sizeof(l));
	l.version = 1;
	l.initiate = 1;
	l.endtime = 0xffffffffu;
	l.protocol = 1;
	l.cfx_kd.ctx_key.type = 17;
	l.cfx_kd.ctx_key.length = 16;
	l.cfx_kd.ctx_key.data = key.data();
	kgss_options o;
	kgss_options_init(&o);
	o.crypto = kgss_crypto_openssl();
	o.clock = clock_late;
	std::vector<uint8_t> mem(kgss_ctx_size());
	kgss_ctx *c = nullptr;
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss_import_lucid_v1_into(mem.data(), mem.size(), &l, &o, &c));
	bytes msg = pattern(4), tok(100);
	kgss_buffer m = {msg.size(), msg.data()};
	kgss_buffer t = {tok.size(), tok.data()};
	CHECK_EQUAL(KGSS_S_CONTEXT_EXPIRED, kgss_get_mic(c, 0, &m, &t));
	CHECK_EQUAL(KGSS_S_CONTEXT_EXPIRED, kgss_wrap(c, 0, 0, &m, nullptr, &t));
	CHECK_EQUAL(KGSS_S_CONTEXT_EXPIRED, kgss_verify_mic(c, &m, &t, nullptr));
	CHECK_EQUAL(KGSS_S_CONTEXT_EXPIRED, kgss_unwrap(c, &m, &t, nullptr, nullptr));
	kgss_ctx_free(c);
	// A freed context answers NO_CONTEXT.
	CHECK_EQUAL(KGSS_S_NO_CONTEXT, kgss_get_mic(c, 0, &m, &t));
}

// Input and output may be the same buffer for the plain calls.
TEST(api_args, in_place_plain_calls)
{
	pair p(18, true);
	bytes msg = pattern(300);
	size_t len = 0;
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss_wrap_size(*p.init, 1, msg.size(), &len));
	bytes buf(len);
	memcpy(buf.data(), msg.data(), msg.size());
	kgss_buffer in = {msg.size(), buf.data()};
	kgss_buffer out = {buf.size(), buf.data()};
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss_wrap(*p.init, 1, 0, &in, nullptr, &out));
	CHECK_EQUAL(len, out.length);
	kgss_buffer tin = {len, buf.data()};
	kgss_buffer tout = {buf.size(), buf.data()};
	int conf = -1;
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss_unwrap(*p.acc, &tin, &tout, &conf, nullptr));
	CHECK_EQUAL(1, conf);
	CHECK_EQUAL(msg.size(), tout.length);
	CHECK(bytes(buf.begin(), buf.begin() + msg.size()) == msg);
}
