// tests/edges/test_fault_pairs.cc - backend failures the single-fault sweep
// of tests/faults does not produce:
//   - two failures in one call (every pair of call numbers N < M) during an
//     import and during each per-message operation, including an RFC 4121
//     Wrap layout without a TRAILER;
//   - failures while a context that uses an acceptor subkey checks a token
//     sent under the context key (the keys derived per call, cfx_keys.alt_key);
//   - failures inside a stitched CBC + hash engine (kgss_crypto.h
//     kgss_cbc_hash_class): a reference engine written over the fault
//     backend's classes, used for 1 KiB+ messages of 17, 19 and 20, first
//     checked to give the same tokens as the portable backend.
// Each failure: KGSS_S_FAILURE, no plaintext released, no key byte left in
// caller memory, and the contexts work afterwards.
#include <stdio.h>
#include <string.h>

#include <functional>
#include <string>

#include "CppUTest/TestHarness.h"
#include "edges_util.h"
#include "families.h"
#include "fault_backend.h"

using namespace ke;

namespace {

// ---- a reference stitched engine over the fault backend's classes ---------------
//
// CBC over data[0 .. nunits * unit) with the class's cbc routine, the hash
// absorbing the engine's input (hash_output == 0) or its output, exactly as
// the kgss_crypto.h contract describes; every class call is counted (and
// can fail) like any other.
enum { ENG_SHA1, ENG_SHA256, ENG_SHA384, ENG_N };
kgss_cbc_hash_class g_engines[ENG_N];
long g_engine_calls = 0; // engine runs since engine_backend()

template <int I, bool Decrypt>
int engine_run(const void *ks, uint8_t *iv, void *st, uint8_t *data, size_t nunits, int hash_output)
{
	const kgss_cbc_hash_class &e = g_engines[I];
	const size_t len = nunits * e.unit;
	g_engine_calls++;
	if (!hash_output)
		e.hash->update(st, data, len);
	const int rc = Decrypt ? e.cipher_a->cbc_decrypt(ks, iv, data, len / 16)
			       : e.cipher_a->cbc_encrypt(ks, iv, data, len / 16);
	if (rc != 0)
		return -1;
	if (hash_output)
		e.hash->update(st, data, len);
	return 0;
}

// The fault backend with the three reference engines, each first passed
// through `defect` when given.
using engine_defect = std::function<void(kgss_cbc_hash_class &)>;
const kgss_crypto_backend *engine_backend(const engine_defect &defect = nullptr)
{
	g_engine_calls = 0;
	static kgss_crypto_backend b;
	b = *kf::fault_backend();
	b.name = "faults+engine";
	const kgss_block_cipher_class *ciphers[ENG_N] = {b.aes128, b.aes128, b.aes256};
	const kgss_hash_class *hashes[ENG_N] = {b.sha1, b.sha256, b.sha384};
	for (int i = 0; i < ENG_N; i++) {
		g_engines[i].name = "reference";
		g_engines[i].cipher_a = ciphers[i];
		g_engines[i].cipher_b = nullptr;
		g_engines[i].hash = hashes[i];
		g_engines[i].unit = hashes[i] ? hashes[i]->block_size : 0;
	}
	g_engines[ENG_SHA1].encrypt = engine_run<ENG_SHA1, false>;
	g_engines[ENG_SHA1].decrypt = engine_run<ENG_SHA1, true>;
	g_engines[ENG_SHA256].encrypt = engine_run<ENG_SHA256, false>;
	g_engines[ENG_SHA256].decrypt = engine_run<ENG_SHA256, true>;
	g_engines[ENG_SHA384].encrypt = engine_run<ENG_SHA384, false>;
	g_engines[ENG_SHA384].decrypt = engine_run<ENG_SHA384, true>;
	if (defect)
		for (kgss_cbc_hash_class &e : g_engines)
			defect(e);
	b.cbc_sha1 = &g_engines[ENG_SHA1];
	b.cbc_sha256 = &g_engines[ENG_SHA256];
	b.cbc_sha384 = &g_engines[ENG_SHA384];
	return &b;
}

// ---- operations under a fault plan ----------------------------------------------
//
// An operation runs once on the pair (s sends, r receives) and returns the
// status of the call under test; whatever it needs beforehand (a token to
// receive) is made with the plan suspended.  With `clean` it also checks
// its result; otherwise it checks the failure contract.
struct suspended {
	long at, also, calls;
	suspended() : at(kf::plan().fail_at), also(kf::plan().fail_also), calls(kf::plan().calls)
	{
		kf::plan().fail_at = kf::plan().fail_also = 0;
	}
	~suspended()
	{
		kf::plan().fail_at = at;
		kf::plan().fail_also = also;
		kf::plan().calls = calls;
	}
};

using op_fn = std::function<kgss_status(box &s, box &r, const bytes &msg, bool clean)>;

struct op {
	std::string name;
	op_fn run;
};

// kgss_wrap (conf) by s.
kgss_status op_wrap(box &s, box &, const bytes &msg, bool clean, bool conf)
{
	bytes out(msg.size() + 256, 0);
	kgss_buffer in = {msg.size(), const_cast<uint8_t *>(msg.data())}, ob = {out.size(), out.data()};
	kgss_status st = kgss_wrap(s, conf, 0, &in, nullptr, &ob);
	if (st != KGSS_S_COMPLETE && !clean) {
		LONGS_EQUAL(0, ob.length);
		if (conf)
			CHECK_TEXT(!contains(out, bytes(msg.begin(), msg.begin() + 12)), "failed wrap left plaintext");
	}
	return st;
}

// kgss_unwrap by r of a token s makes without faults.
kgss_status op_unwrap(box &s, box &r, const bytes &msg, bool clean, bool conf)
{
	bytes tok;
	{
		suspended off;
		tok = wrap(s, conf, msg);
	}
	bytes out(tok.size(), 0);
	kgss_buffer in = {tok.size(), tok.data()}, ob = {out.size(), out.data()};
	const kgss_status st = kgss_unwrap(r, &in, &ob, nullptr, nullptr);
	if (st != KGSS_S_COMPLETE) {
		CHECK(clean || (ob.length == 0 && !contains(out, bytes(msg.begin(), msg.begin() + 12))));
		return st;
	}
	out.resize(ob.length);
	CHECK(out == msg);
	return st;
}

// kgss_get_mic by s (verify = false), or kgss_verify_mic by r of a MIC s
// makes without faults.
kgss_status op_mic(box &s, box &r, const bytes &msg, bool, bool verify)
{
	uint8_t tok[128];
	kgss_buffer m = {msg.size(), const_cast<uint8_t *>(msg.data())}, t = {sizeof(tok), tok};
	kgss_status st = KGSS_S_COMPLETE;
	if (verify) {
		suspended off;
		st = kgss_get_mic(s, 0, &m, &t);
	}
	LONGS_EQUAL(KGSS_S_COMPLETE, st);
	return verify ? kgss_verify_mic(r, &m, &t, nullptr) : kgss_get_mic(s, 0, &m, &t);
}

// The Wrap IOV layout without a TRAILER: RFC 4121 HEADER | DATA | DATA (the
// tail rotated into HEADER), RFC 1964 HEADER | DATA | DATA | PADDING.
struct no_trailer {
	bytes hdr = bytes(128), d1, d2, pad = bytes(16);
	kgss_iov v[4];
	size_t n;
	no_trailer(const bytes &msg, bool rfc1964)
	    : d1(msg.begin(), msg.begin() + msg.size() / 3), d2(msg.begin() + msg.size() / 3, msg.end())
	{
		v[0] = {KGSS_IOV_HEADER, {hdr.size(), hdr.data()}};
		v[1] = {KGSS_IOV_DATA, {d1.size(), d1.data()}};
		v[2] = {KGSS_IOV_DATA, {d2.size(), d2.data()}};
		v[3] = {KGSS_IOV_PADDING, {pad.size(), pad.data()}};
		n = rfc1964 ? 4 : 3;
	}
	bool holds(const bytes &msg) const
	{
		bytes d = d1;
		d.insert(d.end(), d2.begin(), d2.end());
		return d == msg;
	}
};

kgss_status wrap_no_trailer(box &s, no_trailer &t, bool conf)
{
	kgss_status st = kgss_wrap_iov_length(s, conf, 0, nullptr, t.v, t.n);
	return st == KGSS_S_COMPLETE ? kgss_wrap_iov(s, conf, 0, nullptr, t.v, t.n) : st;
}

// (A failed IOV wrap makes no promise about DATA: kgss.h.)
kgss_status op_wrap_iov(box &s, box &, const bytes &msg, bool, bool conf, bool rfc1964)
{
	no_trailer t(msg, rfc1964);
	return wrap_no_trailer(s, t, conf);
}

kgss_status op_unwrap_iov(box &s, box &r, const bytes &msg, bool clean, bool conf, bool rfc1964)
{
	no_trailer t(msg, rfc1964);
	{
		suspended off;
		LONGS_EQUAL(KGSS_S_COMPLETE, wrap_no_trailer(s, t, conf));
	}
	kgss_status st = kgss_unwrap_iov(r, nullptr, nullptr, t.v, t.n);
	if (st == KGSS_S_COMPLETE)
		CHECK(t.holds(msg));
	else if (!clean && conf)
		CHECK_TEXT(!contains(t.d1, bytes(msg.begin(), msg.begin() + 12)) &&
				   !contains(t.d2, bytes(msg.begin() + t.d1.size(), msg.begin() + t.d1.size() + 12)),
			   "failed IOV unwrap released plaintext");
	return st;
}

std::vector<op> ops_for(bool rfc1964)
{
	using namespace std::placeholders;
	std::vector<op> v;
	for (bool conf : {true, false}) {
		const std::string k = conf ? " sealed" : " integ";
		v.push_back({"wrap" + k, std::bind(op_wrap, _1, _2, _3, _4, conf)});
		v.push_back({"unwrap" + k, std::bind(op_unwrap, _1, _2, _3, _4, conf)});
		v.push_back({"wrap_iov no trailer" + k, std::bind(op_wrap_iov, _1, _2, _3, _4, conf, rfc1964)});
		v.push_back({"unwrap_iov no trailer" + k, std::bind(op_unwrap_iov, _1, _2, _3, _4, conf, rfc1964)});
	}
	v.push_back({"get_mic", std::bind(op_mic, _1, _2, _3, _4, false)});
	v.push_back({"verify_mic", std::bind(op_mic, _1, _2, _3, _4, true)});
	return v;
}

// Builds the sending and receiving contexts of one run.
using make_fn = std::function<void(box &s, box &r)>;

// Runs o once cleanly to count its calls, then once per injected pair of
// failures (N, M), N < M <= calls (M = 0: N alone), each on fresh contexts;
// every run must fail cleanly and leave both contexts working.  Returns the
// runs made.
long sweep_op(const std::string &label, const make_fn &make, const op &o, const bytes &msg, bool pairs)
{
	long calls = 0;
	{
		box s, r;
		make(s, r);
		kf::plan().reset();
		LONGS_EQUAL_TEXT(KGSS_S_COMPLETE, o.run(s, r, msg, true), (label + " " + o.name).c_str());
		calls = kf::plan().calls;
	}
	CHECK_TEXT(calls > 0, (label + " " + o.name + ": no backend call").c_str());
	long runs = 0;
	for (long n = 1; n <= calls; n++) {
		for (long m = pairs ? n + 1 : 0; m <= (pairs ? calls : 0); m++) {
			box s, r;
			make(s, r);
			kf::plan().reset(n, m);
			const kgss_status st = o.run(s, r, msg, false);
			const std::string what = label + " " + o.name + ", calls " + std::to_string(n) + "+" +
						 std::to_string(m) + " of " + std::to_string(calls);
			CHECK_TEXT(kf::plan().failures >= 1, what.c_str());
			LONGS_EQUAL_TEXT(KGSS_S_FAILURE, st, what.c_str());
			kf::plan().reset();
			LONGS_EQUAL_TEXT(KGSS_S_COMPLETE, o.run(s, r, msg, true), ("unusable after " + what).c_str());
			runs++;
		}
	}
	return runs;
}

} // namespace

TEST_GROUP(fault_pairs){void teardown() override{kf::plan().reset();
}
}
;

// Two failures in one import: FAILURE, no context, caller memory all zero.
TEST(fault_pairs, import_two_failures)
{
	for (int etype : kt::compiled_in({16, 17, 18, 19, 20, 23, 24, 25, 26})) {
		const bytes key = key_for(etype); // outlives l, which points at it
		const kgss_lucid_context_v1 l = lucid(etype, key, true);
		long calls;
		{
			box b;
			kf::plan().reset();
			LONGS_EQUAL(KGSS_S_COMPLETE, b.import(l, kf::fault_backend()));
			calls = kf::plan().calls;
		}
		long runs = 0;
		for (long n = 1; n <= calls; n++) {
			for (long m = n + 1; m <= calls; m++) {
				box b;
				kf::plan().reset(n, m);
				const std::string what = "etype " + std::to_string(etype) + " import, calls " +
							 std::to_string(n) + "+" + std::to_string(m);
				LONGS_EQUAL_TEXT(KGSS_S_FAILURE, b.import(l, kf::fault_backend()), what.c_str());
				POINTERS_EQUAL(nullptr, b.ctx);
				CHECK_TEXT(all_zero(b.mem.data(), b.mem.size()), ("key bytes left: " + what).c_str());
				runs++;
			}
		}
		printf("fault pairs: etype %d import: %ld calls, %ld pairs, all clean\n", etype, calls, runs);
	}
}

// Two failures in one per-message call, every operation (with the RFC 4121
// Wrap layout that has no TRAILER).
TEST(fault_pairs, per_message_two_failures)
{
	const bytes msg = message(77);
	for (int etype : kt::compiled_in({16, 17, 18, 19, 20, 23, 24, 25, 26})) {
		const bool rfc1964 = info_of(etype).rfc1964;
		const bytes key = key_for(etype);
		make_fn make = [&](box &s, box &r) {
			kf::plan().reset();
			LONGS_EQUAL(KGSS_S_COMPLETE, s.import(lucid(etype, key, true), kf::fault_backend()));
			LONGS_EQUAL(KGSS_S_COMPLETE, r.import(lucid(etype, key, false), kf::fault_backend()));
		};
		long runs = 0;
		for (const op &o : ops_for(rfc1964))
			runs += sweep_op("etype " + std::to_string(etype), make, o, msg, true);
		printf("fault pairs: etype %d: %ld double failures over every operation, all clean\n", etype, runs);
	}
}

// A context with an acceptor subkey receiving a token sent under the context
// key (no AcceptorSubkey flag): the key it needs is derived per call, and a
// failure there or after is FAILURE with nothing released.
TEST(fault_pairs, acceptor_subkey_context_checking_a_context_key_token)
{
	const bytes msg = message(64);
	for (int etype : kt::compiled_in({17, 18, 19, 20, 25, 26})) {
		const bytes sub = key_for(etype, 5), ck = key_for(etype, 6);
		kgss_lucid_key ctx_key = {(uint32_t)etype, (uint32_t)ck.size(), const_cast<uint8_t *>(ck.data())};
		make_fn make = [&](box &s, box &r) {
			kf::plan().reset();
			LONGS_EQUAL(KGSS_S_COMPLETE, s.import(lucid(etype, ck, true), kf::fault_backend()));
			LONGS_EQUAL(KGSS_S_COMPLETE,
				    r.import(lucid_subkey(etype, sub, &ctx_key, false), kf::fault_backend()));
		};
		long runs = 0;
		for (const op &o : ops_for(false))
			if (o.name.rfind("unwrap", 0) == 0 || o.name == "verify_mic")
				runs += sweep_op("etype " + std::to_string(etype) + " subkey", make, o, msg, false);
		printf("fault pairs: etype %d, acceptor subkey, context-key tokens: %ld failures, all clean\n", etype,
		       runs);
	}
}

// The reference engine gives the portable backend's tokens (the stitched
// sweep changes speed, never bytes), over the plain call and split IOV
// layouts, then every failure inside it or around it is clean.
TEST(fault_pairs, stitched_engine_same_tokens_and_clean_failures)
{
	const kgss_crypto_backend *eb = engine_backend();
	for (int etype : kt::compiled_in({17, 19, 20})) {
		const bytes key = key_for(etype);
		for (size_t len : {1100, 2600}) {
			const bytes msg = message(len);
			pair ref(etype, kgss_crypto_builtin_portable()), eng(etype, eb);
			CHECK(ref.ok() && eng.ok());
			kf::plan().reset();
			for (int conf = 0; conf < 2; conf++) {
				const bytes t1 = wrap(ref.a, conf, msg), t2 = wrap(eng.a, conf, msg);
				CHECK_TEXT(t1 == t2, ("engine token differs, etype " + std::to_string(etype)).c_str());
				check_unwraps(eng.b, t1, msg);
				check_unwraps(ref.b, t2, msg);
			}
			// Split at odd offsets: the engine runs inside segments only.
			no_trailer a(msg, false), b(msg, false);
			LONGS_EQUAL(KGSS_S_COMPLETE, wrap_no_trailer(ref.a, a, true));
			LONGS_EQUAL(KGSS_S_COMPLETE, wrap_no_trailer(eng.a, b, true));
			CHECK(a.hdr == b.hdr && a.d1 == b.d1 && a.d2 == b.d2);
			LONGS_EQUAL(KGSS_S_COMPLETE, kgss_unwrap_iov(eng.b, nullptr, nullptr, a.v, a.n));
			CHECK(a.holds(msg));
		}
		make_fn make = [&](box &s, box &r) {
			kf::plan().reset();
			LONGS_EQUAL(KGSS_S_COMPLETE, s.import(lucid(etype, key, true), eb));
			LONGS_EQUAL(KGSS_S_COMPLETE, r.import(lucid(etype, key, false), eb));
		};
		long runs = 0;
		const bytes big = message(1500);
		for (const op &o : ops_for(false))
			if (o.name.find("sealed") != std::string::npos)
				runs += sweep_op("etype " + std::to_string(etype) + " engine", make, o, big, false);
		printf("fault pairs: etype %d with a stitched engine: %ld failures, all clean\n", etype, runs);
	}
}

// An engine that does not fit the keys it would serve -- another hash or
// cipher, a missing function, a unit that is not the hash block or not whole
// cipher blocks -- is never called: the tokens are the portable backend's.
TEST(fault_pairs, unfit_stitched_engines_are_never_used)
{
	const kgss_crypto_backend *camellia = kgss_crypto_builtin_portable();
	const struct {
		const char *what;
		engine_defect defect;
	} unfit[] = {
		{"other hash", [](kgss_cbc_hash_class &e) { e.hash = kf::fault_backend()->md5; }},
		{"other cipher", [camellia](kgss_cbc_hash_class &e) { e.cipher_a = camellia->camellia128; }},
		{"no encrypt", [](kgss_cbc_hash_class &e) { e.encrypt = nullptr; }},
		{"no decrypt", [](kgss_cbc_hash_class &e) { e.decrypt = nullptr; }},
		{"unit 0", [](kgss_cbc_hash_class &e) { e.unit = 0; }},
		{"unit not the hash block", [](kgss_cbc_hash_class &e) { e.unit = e.unit == 64 ? 128 : 64; }},
		{"unit not whole blocks", [](kgss_cbc_hash_class &e) { e.unit += 8; }},
	};
	const bytes msg = message(1500);
	for (int etype : kt::compiled_in({17, 19, 20})) {
		for (const auto &u : unfit) {
			pair ref(etype, kgss_crypto_builtin_portable()), eng(etype, engine_backend(u.defect));
			CHECK(ref.ok() && eng.ok());
			kf::plan().reset();
			const bytes tok = wrap(eng.a, true, msg);
			CHECK_TEXT(tok == wrap(ref.a, true, msg), u.what);
			check_unwraps(eng.b, tok, msg);
			LONGS_EQUAL_TEXT(0, g_engine_calls, u.what);
		}
		// The control: the fitting engine is used.
		pair eng(etype, engine_backend());
		check_unwraps(eng.b, wrap(eng.a, true, msg), msg);
		CHECK(g_engine_calls > 0);
	}
}
