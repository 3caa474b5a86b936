// Expiry through the public API with an injected clock, for the calls
// tests/import does not already cover (it covers kgss_get_mic and
// kgss_verify_mic): kgss_wrap, kgss_unwrap and the IOV forms, every enctype.
// At now == endtime the context is expired (RFC 2743: lifetime 0); an
// expired call consumes no sequence number and releases no plaintext; a
// clock that fails makes the call fail (KGSS_S_FAILURE), never pass.
#include <stdint.h>
#include <string.h>

#include <vector>

#include <CppUTest/TestHarness.h>

#include "families.h"
#include "kgss.h"

namespace {

struct clock_state {
	uint64_t now = 0;
	bool fail = false;
};
int clock_fn(void *p, uint64_t *now)
{
	clock_state *c = (clock_state *)p;
	if (c->fail)
		return -1;
	*now = c->now;
	return 0;
}

constexpr uint32_t kEnd = 1900000000u;

struct etinfo {
	int32_t etype;
	size_t key_len;
	uint32_t protocol;
};
const etinfo kEnctypes[] = {{16, 24, 0}, {17, 16, 1}, {18, 32, 1}, {19, 16, 1}, {20, 32, 1},
			    {23, 16, 0}, {24, 16, 0}, {25, 16, 1}, {26, 32, 1}};

struct ctxs {
	std::vector<uint8_t> key, mi, ma;
	kgss_ctx *ci = nullptr, *ca = nullptr;
	kgss_chacha_prng ps;
	kgss_prng prng;
	ctxs(const etinfo &e, clock_state *clk)
	{
		key.resize(e.key_len);
		for (size_t i = 0; i < key.size(); i++)
			key[i] = (uint8_t)(i * 13 + 5) | 1u;
		uint8_t seed[32];
		memset(seed, 0x42, sizeof seed);
		CHECK_EQUAL(0, kgss_chacha_prng_init(&ps, seed, &prng));
		kgss_options o;
		kgss_options_init(&o);
		o.prng = &prng;
		o.clock = clock_fn;
		o.clock_ctx = clk;
		for (int side = 0; side < 2; side++) {
			kgss_lucid_context_v1 l;
			memset(&l, 0, sizeof l);
			l.version = 1;
			l.initiate = side == 0;
			l.endtime = kEnd;
			l.protocol = e.protocol;
			kgss_lucid_key *k = e.protocol == 0 ? &l.rfc1964_kd.ctx_key : &l.cfx_kd.ctx_key;
			if (e.protocol == 0) {
				l.rfc1964_kd.sign_alg = e.etype == 16 ? 4 : 0x11;
				l.rfc1964_kd.seal_alg = e.etype == 16 ? 2 : 0x10;
			}
			k->type = (uint32_t)e.etype;
			k->length = (uint32_t)key.size();
			k->data = key.data();
			std::vector<uint8_t> &m = side == 0 ? mi : ma;
			m.resize(kgss_ctx_size());
			CHECK_EQUAL(KGSS_S_COMPLETE,
				    kgss_import_lucid_v1_into(m.data(), m.size(), &l, &o, side == 0 ? &ci : &ca));
		}
	}
	~ctxs()
	{
		kgss_ctx_free(ci);
		kgss_ctx_free(ca);
		kgss_chacha_prng_wipe(&ps);
	}
	uint64_t next_seq() const
	{
		kgss_ctx_info info;
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss_ctx_inquire(ci, &info));
		return info.send_seq;
	}
};

} // namespace

TEST_GROUP(expiry){};

TEST(expiry, wrap_unwrap_and_iov_calls_through_the_api)
{
	size_t checks = 0;
	for (const etinfo &e : kEnctypes) {
		if (kt::skip_enctype(e.etype))
			continue;
		clock_state clk;
		clk.now = kEnd - 1;
		ctxs c(e, &clk);
		uint8_t msg[48];
		memset(msg, 0x61, sizeof msg);
		for (int conf = 0; conf < 2; conf++) {
			// Live: a wrap token and an IOV token to unwrap later.
			uint8_t tok[256], out[256];
			kgss_buffer m = {sizeof msg, msg}, t = {sizeof tok, tok};
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss_wrap(c.ci, conf, 0, &m, nullptr, &t));
			uint8_t hdr[128], pad[64], data[48];
			memcpy(data, msg, sizeof data);
			const uint32_t tail_type = e.protocol == 0 ? KGSS_IOV_PADDING : KGSS_IOV_TRAILER;
			kgss_iov iov[3] = {{KGSS_IOV_HEADER, {sizeof hdr, hdr}},
					   {KGSS_IOV_DATA, {sizeof data, data}},
					   {tail_type, {sizeof pad, pad}}};
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss_wrap_iov_length(c.ci, conf, 0, nullptr, iov, 3));
			// _length replaced the capacities with the sizes needed: they must fit.
			CHECK(iov[0].buffer.length <= sizeof hdr && iov[2].buffer.length <= sizeof pad);
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss_wrap_iov(c.ci, conf, 0, nullptr, iov, 3));
			uint8_t mic[128];
			kgss_iov miov[2] = {{KGSS_IOV_DATA, {sizeof msg, msg}},
					    {KGSS_IOV_MIC_TOKEN, {sizeof mic, mic}}};
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss_get_mic_iov_length(c.ci, 0, miov, 2));
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss_get_mic_iov(c.ci, 0, miov, 2));

			for (uint64_t now : {(uint64_t)kEnd, (uint64_t)kEnd + 1, ~(uint64_t)0}) {
				clk.now = now;
				const uint64_t seq = c.next_seq();
				uint8_t t2[256];
				kgss_buffer o = {sizeof t2, t2};
				CHECK_EQUAL(KGSS_S_CONTEXT_EXPIRED, kgss_wrap(c.ci, conf, 0, &m, nullptr, &o));
				uint8_t h2[128], p2[64], d2[48];
				kgss_iov iov2[3] = {{KGSS_IOV_HEADER, {sizeof h2, h2}},
						    {KGSS_IOV_DATA, {sizeof d2, d2}},
						    {tail_type, {sizeof p2, p2}}};
				CHECK_EQUAL(KGSS_S_CONTEXT_EXPIRED, kgss_wrap_iov(c.ci, conf, 0, nullptr, iov2, 3));
				kgss_iov miov2[2] = {{KGSS_IOV_DATA, {sizeof msg, msg}},
						     {KGSS_IOV_MIC_TOKEN, {sizeof mic, mic}}};
				CHECK_EQUAL(KGSS_S_CONTEXT_EXPIRED, kgss_get_mic_iov(c.ci, 0, miov2, 2));
				CHECK_EQUAL(seq, c.next_seq()); // nothing consumed
				// Receive side: no plaintext released.
				memset(out, 0xee, sizeof out);
				kgss_buffer in = {t.length, tok}, ob = {sizeof out, out};
				CHECK_EQUAL(KGSS_S_CONTEXT_EXPIRED, kgss_unwrap(c.ca, &in, &ob, nullptr, nullptr));
				CHECK_EQUAL(0, ob.length);
				kgss_iov copy[3];
				memcpy(copy, iov, sizeof copy);
				uint8_t dsave[48];
				memcpy(dsave, data, sizeof data);
				CHECK_EQUAL(KGSS_S_CONTEXT_EXPIRED, kgss_unwrap_iov(c.ca, nullptr, nullptr, copy, 3));
				CHECK(memcmp(dsave, data, sizeof data) == 0); // still the token's bytes
				CHECK_EQUAL(KGSS_S_CONTEXT_EXPIRED, kgss_verify_mic_iov(c.ca, nullptr, miov, 2));
				checks += 6;
			}
			// A failing clock fails every call.
			clk.fail = true;
			kgss_buffer in = {t.length, tok}, ob = {sizeof out, out};
			CHECK_EQUAL(KGSS_S_FAILURE, kgss_unwrap(c.ca, &in, &ob, nullptr, nullptr));
			kgss_buffer o = {sizeof out, out};
			CHECK_EQUAL(KGSS_S_FAILURE, kgss_wrap(c.ci, conf, 0, &m, nullptr, &o));
			CHECK_EQUAL(KGSS_S_FAILURE, kgss_verify_mic_iov(c.ca, nullptr, miov, 2));
			clk.fail = false;
			// Back before endtime (a clock stepped back): the same tokens open.
			clk.now = kEnd - 1;
			ob.length = sizeof out;
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss_unwrap(c.ca, &in, &ob, nullptr, nullptr));
			CHECK_EQUAL(sizeof msg, ob.length);
			CHECK_EQUAL(0, memcmp(out, msg, sizeof msg));
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss_unwrap_iov(c.ca, nullptr, nullptr, iov, 3));
			CHECK_EQUAL(0, memcmp(data, msg, sizeof msg));
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss_verify_mic_iov(c.ca, nullptr, miov, 2));
			checks += 9;
		}
	}
	printf("\n  compiled-in enctypes x {integrity, sealed}: %zu expiry assertions\n", checks);
}
