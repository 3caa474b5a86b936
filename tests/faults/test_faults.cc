// tests/faults/test_faults.cc - every backend failure, everywhere.
//
// For each enctype, each import path and each per-message operation (plain
// and IOV, sealed and integrity-only, both directions), a clean run counts
// the primitive calls the operation makes (fault_backend.h); then the
// operation is repeated once per call number N with the N-th call failing.
// Each failure must:
//   - give KGSS_S_FAILURE (a backend failure is never reported as a bad
//     token, nor as success);
//   - release no plaintext: a failed unwrap leaves output length 0 and the
//     bytes it used zero; a failed sealed wrap leaves no plaintext in its
//     output; a failed IOV unwrap leaves DATA without the plaintext;
//   - for an import into caller memory: leave that memory free of every
//     byte of the key (all zero), and *ctx_out NULL;
//   - keep the context usable: the same operation, run again without the
//     fault on the same context, succeeds and gives the right result.
// The test prints, per enctype, how many faults were injected and checked.
#include <stdio.h>
#include <string.h>

#include <string>
#include <vector>

#include "CppUTest/TestHarness.h"
#include "fault_backend.h"
#include "families.h"
#include "kgss.h"
#include "testutil.h"

namespace {

using kt::bytes;

struct etype_info {
	int32_t etype;
	size_t key_len;
	bool rfc1964;
};
// RFC 3961 key lengths (facts, not read from the library).
const etype_info kEnctypes[] = {
	{16, 24, true}, {17, 16, false}, {18, 32, false}, {19, 16, false}, {20, 32, false},
	{23, 16, true}, {24, 16, true},  {25, 16, false}, {26, 32, false},
};

bytes key_for(int32_t etype, size_t len)
{
	bytes k(len);
	for (size_t i = 0; i < len; i++)
		k[i] = (uint8_t)(0x5a ^ (i * 29) ^ etype);
	return k;
}

// Deterministic confounders.
int prng_gen(void *ctx, uint8_t *out, size_t len)
{
	uint64_t *s = static_cast<uint64_t *>(ctx);
	kt::fill_random(*s, out, len);
	return 0;
}

struct side {
	const kgss_crypto_backend *backend = kf::fault_backend();
	std::vector<uint8_t> mem;
	uint64_t prng_state = 7;
	kgss_prng prng{prng_gen, &prng_state};
	kgss_ctx *ctx = nullptr;
	~side() { kgss_ctx_free(ctx); }
};

kgss_lucid_context_v1 make_lucid(const etype_info &e, const bytes &key, bool initiator)
{
	kgss_lucid_context_v1 l;
	memset(&l, 0, sizeof(l));
	l.version = 1;
	l.initiate = initiator ? 1 : 0;
	l.endtime = 0xfffffff0u;
	l.send_seq = initiator ? 100 : 200;
	l.recv_seq = initiator ? 200 : 100;
	l.protocol = e.rfc1964 ? 0 : 1;
	kgss_lucid_key k = {(uint32_t)e.etype, (uint32_t)key.size(), const_cast<uint8_t *>(key.data())};
	if (e.rfc1964) {
		l.rfc1964_kd.sign_alg = e.etype == 16 ? 4 : 0x11;
		l.rfc1964_kd.seal_alg = e.etype == 16 ? 2 : 0x10;
		l.rfc1964_kd.ctx_key = k;
	} else {
		l.cfx_kd.ctx_key = k;
	}
	return l;
}

kgss_status import_into(side &s, const kgss_lucid_context_v1 &l)
{
	kgss_options o;
	kgss_options_init(&o);
	o.crypto = s.backend;
	o.prng = &s.prng;
	s.mem.assign(kgss_ctx_size(), 0);
	return kgss_import_lucid_v1_into(s.mem.data(), s.mem.size(), &l, &o, &s.ctx);
}

bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return false;
	return true;
}

bool contains(const bytes &hay, const bytes &needle)
{
	if (needle.empty() || hay.size() < needle.size())
		return false;
	for (size_t i = 0; i + needle.size() <= hay.size(); i++)
		if (memcmp(hay.data() + i, needle.data(), needle.size()) == 0)
			return true;
	return false;
}

const bytes kMsg = [] {
	bytes m(100);
	for (size_t i = 0; i < m.size(); i++)
		m[i] = (uint8_t)('A' + i % 26);
	return m;
}();

// ---- the operations -------------------------------------------------------------
// Each runs once on (sender, receiver) and checks its own result when
// `expect_ok`; with a fault it checks the failure contract.  Returns the status.

kgss_status do_wrap(side &snd, side &, bool conf, bool expect_ok)
{
	bytes out(kMsg.size() + 256);
	kgss_buffer in = {kMsg.size(), const_cast<uint8_t *>(kMsg.data())};
	kgss_buffer ob = {out.size(), out.data()};
	int cs = -1;
	kgss_status st = kgss_wrap(snd.ctx, conf, 0, &in, &cs, &ob);
	if (!expect_ok && st != KGSS_S_COMPLETE && conf)
		CHECK_TEXT(!contains(out, bytes(kMsg.begin(), kMsg.begin() + 16)), "failed sealed wrap left plaintext");
	return st;
}

bytes make_token(side &snd, bool conf)
{
	bytes out(kMsg.size() + 256);
	kgss_buffer in = {kMsg.size(), const_cast<uint8_t *>(kMsg.data())};
	kgss_buffer ob = {out.size(), out.data()};
	LONGS_EQUAL(KGSS_S_COMPLETE, kgss_wrap(snd.ctx, conf, 0, &in, nullptr, &ob));
	out.resize(ob.length);
	return out;
}

kgss_status do_unwrap(side &snd, side &rcv, bool conf, bool expect_ok)
{
	const long saved = kf::plan().fail_at;
	kf::plan().fail_at = 0; // the token is made cleanly
	const long calls = kf::plan().calls;
	bytes tok = make_token(snd, conf);
	kf::plan().calls = calls;
	kf::plan().fail_at = saved;
	bytes out(tok.size(), 0xcc);
	kgss_buffer in = {tok.size(), tok.data()};
	kgss_buffer ob = {out.size(), out.data()};
	kgss_status st = kgss_unwrap(rcv.ctx, &in, &ob, nullptr, nullptr);
	if (st == KGSS_S_COMPLETE) {
		CHECK(ob.length == kMsg.size() && memcmp(out.data(), kMsg.data(), kMsg.size()) == 0);
	} else if (!expect_ok) {
		LONGS_EQUAL(0, ob.length);
		CHECK_TEXT(!contains(out, bytes(kMsg.begin(), kMsg.begin() + 8)), "failed unwrap released plaintext");
	}
	return st;
}

kgss_status do_mic(side &snd, side &rcv, bool verify, bool expect_ok)
{
	bytes tok(256);
	kgss_buffer m = {kMsg.size(), const_cast<uint8_t *>(kMsg.data())};
	kgss_buffer t = {tok.size(), tok.data()};
	if (!verify)
		return kgss_get_mic(snd.ctx, 0, &m, &t);
	const long saved = kf::plan().fail_at, calls = kf::plan().calls;
	kf::plan().fail_at = 0;
	LONGS_EQUAL(KGSS_S_COMPLETE, kgss_get_mic(snd.ctx, 0, &m, &t));
	kf::plan().calls = calls;
	kf::plan().fail_at = saved;
	return kgss_verify_mic(rcv.ctx, &m, &t, nullptr);
}

// HEADER | DATA | SIGN_ONLY | DATA | PADDING | TRAILER, sealed or not.
struct iov_msg {
	bytes hdr = bytes(128), d1, so, d2, pad = bytes(32), trl = bytes(128);
	kgss_iov v[6];
	iov_msg()
	{
		d1.assign(kMsg.begin(), kMsg.begin() + 37);
		d2.assign(kMsg.begin() + 37, kMsg.end());
		so.assign(11, 's');
		bind();
	}
	void bind()
	{
		v[0] = {KGSS_IOV_HEADER, {hdr.size(), hdr.data()}};
		v[1] = {KGSS_IOV_DATA, {d1.size(), d1.data()}};
		v[2] = {KGSS_IOV_SIGN_ONLY, {so.size(), so.data()}};
		v[3] = {KGSS_IOV_DATA, {d2.size(), d2.data()}};
		v[4] = {KGSS_IOV_PADDING, {pad.size(), pad.data()}};
		v[5] = {KGSS_IOV_TRAILER, {trl.size(), trl.data()}};
	}
	bool data_is_msg() const
	{
		bytes d = d1;
		d.insert(d.end(), d2.begin(), d2.end());
		return d == kMsg;
	}
};

kgss_status wrap_iov(side &snd, bool conf, iov_msg &m)
{
	kgss_status st = kgss_wrap_iov_length(snd.ctx, conf, 0, nullptr, m.v, 6);
	if (st == KGSS_S_COMPLETE)
		st = kgss_wrap_iov(snd.ctx, conf, 0, nullptr, m.v, 6);
	return st;
}

kgss_status do_wrap_iov(side &snd, side &, bool conf, bool)
{
	iov_msg m;
	return wrap_iov(snd, conf, m);
}

kgss_status do_unwrap_iov(side &snd, side &rcv, bool conf, bool expect_ok)
{
	iov_msg m;
	const long saved = kf::plan().fail_at, calls = kf::plan().calls;
	kf::plan().fail_at = 0;
	LONGS_EQUAL(KGSS_S_COMPLETE, wrap_iov(snd, conf, m));
	kf::plan().calls = calls;
	kf::plan().fail_at = saved;
	kgss_status st = kgss_unwrap_iov(rcv.ctx, nullptr, nullptr, m.v, 6);
	if (st == KGSS_S_COMPLETE)
		CHECK(m.data_is_msg());
	else if (!expect_ok && conf)
		CHECK_TEXT(!contains(m.d2, bytes(kMsg.begin() + 37, kMsg.begin() + 45)),
			   "failed IOV unwrap released plaintext");
	return st;
}

kgss_status do_mic_iov(side &snd, side &rcv, bool verify, bool)
{
	bytes d(kMsg), tok(256);
	kgss_iov v[2] = {{KGSS_IOV_DATA, {d.size(), d.data()}}, {KGSS_IOV_MIC_TOKEN, {tok.size(), tok.data()}}};
	const long saved = kf::plan().fail_at, calls = kf::plan().calls;
	if (verify)
		kf::plan().fail_at = 0;
	kgss_status st = kgss_get_mic_iov_length(snd.ctx, 0, v, 2);
	if (st == KGSS_S_COMPLETE)
		st = kgss_get_mic_iov(snd.ctx, 0, v, 2);
	if (!verify)
		return st;
	LONGS_EQUAL(KGSS_S_COMPLETE, st);
	kf::plan().calls = calls;
	kf::plan().fail_at = saved;
	return kgss_verify_mic_iov(rcv.ctx, nullptr, v, 2);
}

struct op {
	const char *name;
	kgss_status (*run)(side &, side &, bool, bool);
	bool flag; // conf, or verify
};
const op kOps[] = {
	{"wrap sealed", do_wrap, true},
	{"wrap integ", do_wrap, false},
	{"unwrap sealed", do_unwrap, true},
	{"unwrap integ", do_unwrap, false},
	{"get_mic", do_mic, false},
	{"verify_mic", do_mic, true},
	{"wrap_iov sealed", do_wrap_iov, true},
	{"wrap_iov integ", do_wrap_iov, false},
	{"unwrap_iov sealed", do_unwrap_iov, true},
	{"unwrap_iov integ", do_unwrap_iov, false},
	{"get_mic_iov", do_mic_iov, false},
	{"verify_mic_iov", do_mic_iov, true},
};

struct pair_ctx {
	side snd, rcv;
	bool ok = false;
	pair_ctx(const etype_info &e, const bytes &key, const kgss_crypto_backend *be)
	{
		snd.backend = rcv.backend = be;
		kf::plan().reset();
		kgss_lucid_context_v1 li = make_lucid(e, key, true), la = make_lucid(e, key, false);
		ok = import_into(snd, li) == KGSS_S_COMPLETE && import_into(rcv, la) == KGSS_S_COMPLETE;
	}
};

} // namespace

TEST_GROUP(backend_faults){void teardown() override{kf::plan().reset();
}
}
;

// A failing primitive during an import: FAILURE, no context, no key byte left.
TEST(backend_faults, import_every_call_fails_cleanly)
{
	long total = 0;
	for (const etype_info &e : kEnctypes) {
		const bytes key = key_for(e.etype, e.key_len);
		kgss_lucid_context_v1 l = make_lucid(e, key, true);
		side clean;
		kf::plan().reset();
		kgss_status st = import_into(clean, l);
		if (!kt::enctype_compiled_in(e.etype)) {
			LONGS_EQUAL(KGSS_S_UNAVAILABLE, st);
			kt::note_compiled_out(e.etype, "fault sweep: import -> UNAVAILABLE");
			continue;
		}
		LONGS_EQUAL(KGSS_S_COMPLETE, st);
		const long calls = kf::plan().calls;
		CHECK(calls > 0);
		for (long n = 1; n <= calls; n++) {
			side s;
			kf::plan().reset(n);
			st = import_into(s, l);
			LONGS_EQUAL(1, kf::plan().failures);
			std::string what = "etype " + std::to_string(e.etype) + " import, call " + std::to_string(n);
			LONGS_EQUAL_TEXT(KGSS_S_FAILURE, st, what.c_str());
			POINTERS_EQUAL(nullptr, s.ctx);
			CHECK_TEXT(all_zero(s.mem.data(), s.mem.size()), ("key bytes left after " + what).c_str());
			total++;
		}
		printf("faults: etype %d import: %ld primitive calls, each failed once, all clean\n", (int)e.etype,
		       calls);
	}
	CHECK(total > 0);
}

// A failing primitive during a per-message call: FAILURE, nothing released,
// and the context keeps working.  Returns the number of failures injected.
static long sweep_operations(const kgss_crypto_backend *be)
{
	long total = 0;
	for (const etype_info &e : kEnctypes) {
		if (!kt::enctype_compiled_in(e.etype)) {
			kt::note_compiled_out(e.etype, "fault sweep: per-message calls not applicable");
			continue;
		}
		const bytes key = key_for(e.etype, e.key_len);
		long per_etype = 0;
		for (const op &o : kOps) {
			pair_ctx clean(e, key, be);
			CHECK(clean.ok);
			kf::plan().reset();
			kgss_status st = o.run(clean.snd, clean.rcv, o.flag, true);
			std::string base = std::string(be->name) + " etype " + std::to_string(e.etype) + " " + o.name;
			LONGS_EQUAL_TEXT(KGSS_S_COMPLETE, st, base.c_str());
			const long calls = kf::plan().calls;
			CHECK_TEXT(calls > 0, base.c_str());
			for (long n = 1; n <= calls; n++) {
				pair_ctx p(e, key, be);
				CHECK(p.ok);
				kf::plan().reset(n);
				st = o.run(p.snd, p.rcv, o.flag, false);
				std::string what =
					base + ", call " + std::to_string(n) + " of " + std::to_string(calls);
				LONGS_EQUAL_TEXT(1, kf::plan().failures, what.c_str());
				LONGS_EQUAL_TEXT(KGSS_S_FAILURE, st, what.c_str());
				// The same contexts, no fault: the operation works.
				kf::plan().reset();
				LONGS_EQUAL_TEXT(KGSS_S_COMPLETE, o.run(p.snd, p.rcv, o.flag, true),
						 ("context unusable after " + what).c_str());
				per_etype++;
			}
		}
		printf("faults (%s): etype %d: %ld injected failures over %zu operations, all clean, contexts "
		       "usable\n",
		       be->name, (int)e.etype, per_etype, sizeof(kOps) / sizeof(kOps[0]));
		total += per_etype;
	}
	return total;
}

TEST(backend_faults, every_operation_every_call_fails_cleanly) { CHECK(sweep_operations(kf::fault_backend()) > 0); }

// The same over hash classes without hmac_finish / hmac_parts: the
// step-by-step HMAC finish of a backend that lacks them (final, copy,
// update, final) fails at each of its steps.  The stepwise run makes more
// primitive calls than the fused one for every HMAC enctype.
TEST(backend_faults, every_operation_every_call_fails_cleanly_stepwise_hmac)
{
	const long fused = sweep_operations(kf::fault_backend());
	const long stepwise = sweep_operations(kf::fault_backend_stepwise());
	CHECK(stepwise > 0);
	if (kt::enctype_compiled_in(17))
		CHECK(stepwise > fused);
}
