// tests/c_backend/test_nettle_api.cc - the example C backend (compat/nettle,
// libkgss_nettle) through what is its own: its glue API and the public API
// running on it.
//   - the gokrb5 RFC 4121 tokens through the public API (verified, and
//     reproduced byte for byte);
//   - a round trip of every enctype through the public API with the Yarrow
//     PRNG, against the builtin backend on the other side;
//   - the PRNG's own rules (seed checks, fork).
// The kgss_crypto.h contract, the primitive known answers and the
// differential runs are in tests/backend_conformance; the RFC 3961 / 8009 /
// 6803 and MIT vectors through the enctype table in tests/crypto_kat (both
// run nettle as an entry of tests/backend_conformance/backends.cc).
// Case counts are printed at exit.
#include <CppUTest/TestHarness.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "crypto/enctype.h"
#include "kgss.h"
#include "kgss_nettle.h"
#include "families.h"
#include "testutil.h"

using kt::bytes;
using kt::hex;
using kt::to_hex;

namespace {

// ---- counters ------------------------------------------------------------------
std::map<std::string, long> &counts()
{
	static std::map<std::string, long> m;
	return m;
}
void count(const std::string &what, long n = 1) { counts()[what] += n; }
struct report {
	report() { counts(); } // the map is built first, so it is destroyed after the report
	~report()
	{
		std::printf("\n==== test_nettle_api: cases run with the C backend (libkgss_nettle) ====\n");
		for (auto &c : counts())
			std::printf("  %-58s %ld\n", c.first.c_str(), c.second);
	}
} g_report;

const kgss_crypto_backend *nb() { return kgss_crypto_nettle(); }

std::string et_label(const kgss::enctype *et) { return std::to_string(et->etype) + " " + et->name; }

} // namespace

// ==== the public API with the C backend =====================================================
namespace {

kgss_lucid_context_v1 lucid_for(const kgss::enctype *et, const bytes &key, bool initiator, uint64_t send, uint64_t recv)
{
	kgss_lucid_context_v1 l;
	memset(&l, 0, sizeof l);
	l.version = 1;
	l.initiate = initiator;
	l.endtime = 0xffffffffu;
	l.send_seq = send;
	l.recv_seq = recv;
	kgss_lucid_key k = {(uint32_t)et->etype, (uint32_t)key.size(), (void *)key.data()};
	if (et->rfc4121) {
		l.protocol = 1;
		l.cfx_kd.ctx_key = k;
	} else {
		l.protocol = 0;
		l.rfc1964_kd.sign_alg = et->sign_alg;
		l.rfc1964_kd.seal_alg = et->seal_alg;
		l.rfc1964_kd.ctx_key = k;
	}
	return l;
}

struct api_ctx {
	std::vector<uint8_t> mem;
	kgss_ctx *ctx = nullptr;
	kgss_status st;
	api_ctx(const kgss_lucid_context_v1 &l, const kgss_options &o) : mem(kgss_ctx_size())
	{
		st = kgss_import_lucid_v1_into(mem.data(), mem.size(), &l, &o, &ctx);
	}
	~api_ctx() { kgss_ctx_free(ctx); }
};

} // namespace

TEST_GROUP(nettle_api){};

TEST(nettle_api, gokrb5_tokens)
{
	// Every gokrb5 token is aes128-cts-hmac-sha1-96: with that family compiled
	// out, the enctype is checked absent and unimportable instead.
	kt::require_enctype(17);
	kgss_options o;
	kgss_options_init(&o);
	o.crypto = nb();
	int n = 0;
	for (auto &v : kt::load_vectors("gokrb5_tokens.txt")) {
		if (v.kind != "gss_token" || v.num("protocol") != 1)
			continue;
		// A compiled-out family (tests/support/families.h): counted not
		// applicable, with the enctype checked absent and unimportable.
		const int etype = (int)v.num("enctype");
		if (kt::skip_enctype(etype)) {
			kt::vector_not_applicable("test_nettle_api", etype);
			n++;
			continue;
		}
		kt::vector_ran("test_nettle_api");
		const kgss::enctype *et = kgss::enctype_find(etype);
		CHECK_TEXT(et != nullptr, ("enctype not in the table: " + std::to_string(etype)).c_str());
		bytes key = v.hexf("key"), msg = v.hexf("message"), tok = v.hexf("token");
		bool sender_init = v.get("role_of_sender") == "initiator";
		uint64_t seq = v.has("seq") ? (uint64_t)v.num("seq") : 0;
		std::string kind = v.get("token_kind"), exp = v.get("expected");
		kgss_status want = exp == "ok"        ? KGSS_S_COMPLETE
				   : exp == "bad_sig" ? KGSS_S_BAD_SIG
						      : KGSS_S_DEFECTIVE_TOKEN;
		api_ctx rx(lucid_for(et, key, !sender_init, 0, seq), o);
		CHECK_EQUAL(KGSS_S_COMPLETE, rx.st);
		kgss_buffer m = {msg.size(), msg.data()}, t = {tok.size(), tok.data()};
		kgss_status st;
		if (kind == "mic") {
			st = kgss_verify_mic(rx.ctx, &m, &t, nullptr);
		} else {
			bytes out(tok.size());
			kgss_buffer ob = {out.size(), out.data()};
			st = kgss_unwrap(rx.ctx, &t, &ob, nullptr, nullptr);
			if (st == KGSS_S_COMPLETE)
				CHECK(bytes(out.begin(), out.begin() + ob.length) == msg);
		}
		CHECK_EQUAL_TEXT(want, st, ("line " + std::to_string(v.line)).c_str());
		count("gokrb5 token checked (" + exp + ")");
		// Deterministic tokens: we produce the same bytes as the sender.
		if (want == KGSS_S_COMPLETE && v.has("seq") && kind != "wrap_conf") {
			api_ctx tx(lucid_for(et, key, sender_init, seq, 0), o);
			bytes out(tok.size() + 64);
			kgss_buffer ob = {out.size(), out.data()};
			if (kind == "mic")
				CHECK_EQUAL(KGSS_S_COMPLETE, kgss_get_mic(tx.ctx, 0, &m, &ob));
			else
				CHECK_EQUAL(KGSS_S_COMPLETE, kgss_wrap(tx.ctx, 0, 0, &m, nullptr, &ob));
			STRCMP_EQUAL(to_hex(tok).c_str(), to_hex(out.data(), ob.length).c_str());
			count("gokrb5 token reproduced byte for byte");
		}
		n++;
	}
	CHECK_EQUAL(6, n);
}

// Every enctype, both directions, sealed and integrity-only wrap and MIC,
// with the Yarrow PRNG supplying confounders; nettle vs builtin across the
// wire (one side each).
TEST(nettle_api, roundtrip_every_enctype_against_builtin)
{
	kgss_nettle_prng prng_state;
	kgss_prng prng;
	CHECK_EQUAL(0, kgss_nettle_prng_init_getrandom(&prng_state, &prng));
	kgss_options on, ob;
	kgss_options_init(&on);
	on.crypto = nb();
	on.prng = &prng;
	ob = on;
	ob.crypto = kgss_crypto_builtin();
	uint64_t seed = 23;
	for (size_t i = 0; kgss::enctype_at(i); i++) {
		const kgss::enctype *et = kgss::enctype_at(i);
		bytes key(et->key_bytes);
		kt::fill_random(seed, key.data(), key.size());
		api_ctx a(lucid_for(et, key, true, 100, 200), on), b(lucid_for(et, key, false, 200, 100), ob);
		CHECK_EQUAL(KGSS_S_COMPLETE, a.st);
		CHECK_EQUAL(KGSS_S_COMPLETE, b.st);
		for (int dir = 0; dir < 2; dir++) {
			kgss_ctx *tx = dir ? b.ctx : a.ctx, *rx = dir ? a.ctx : b.ctx;
			for (size_t len : {0, 1, 15, 16, 17, 1000, 4099}) {
				bytes msg(len);
				kt::fill_random(seed, msg.data(), len);
				kgss_buffer m = {len, msg.data()};
				for (int conf = 0; conf < 2; conf++) {
					bytes tok(len + 128), out(len + 128);
					kgss_buffer t = {tok.size(), tok.data()}, o = {out.size(), out.data()};
					int cs = -1;
					CHECK_EQUAL(KGSS_S_COMPLETE, kgss_wrap(tx, conf, 0, &m, &cs, &t));
					CHECK_EQUAL(conf, cs);
					CHECK_EQUAL(KGSS_S_COMPLETE, kgss_unwrap(rx, &t, &o, &cs, nullptr));
					CHECK(bytes(out.begin(), out.begin() + o.length) == msg);
					count(std::string("API wrap/unwrap nettle<->builtin: ") + et_label(et));
				}
				bytes mic(128);
				kgss_buffer mb = {mic.size(), mic.data()};
				CHECK_EQUAL(KGSS_S_COMPLETE, kgss_get_mic(tx, 0, &m, &mb));
				CHECK_EQUAL(KGSS_S_COMPLETE, kgss_verify_mic(rx, &m, &mb, nullptr));
				count(std::string("API get_mic/verify_mic nettle<->builtin: ") + et_label(et));
			}
		}
	}
	kgss_nettle_prng_wipe(&prng_state);
}

// ==== the PRNG ==================================================================================
TEST_GROUP(nettle_prng){};

TEST(nettle_prng, seed_rules_and_distinct_output)
{
	kgss_nettle_prng st;
	kgss_prng p;
	uint8_t zero[32] = {0}, seed[32];
	for (int i = 0; i < 32; i++)
		seed[i] = (uint8_t)(i + 1);
	CHECK(kgss_nettle_prng_init(&st, zero, sizeof zero, &p) != 0);
	CHECK(kgss_nettle_prng_init(&st, seed, 31, &p) != 0);
	CHECK(kgss_nettle_prng_init(nullptr, seed, 32, &p) != 0);
	CHECK_EQUAL(0, kgss_nettle_prng_init(&st, seed, sizeof seed, &p));
	uint8_t a[32], b[32];
	CHECK_EQUAL(0, p.generate(p.ctx, a, sizeof a));
	CHECK_EQUAL(0, p.generate(p.ctx, b, sizeof b));
	CHECK(memcmp(a, b, sizeof a) != 0);
	CHECK_EQUAL(0, p.generate(p.ctx, a, 0));
	kgss_nettle_prng_wipe(&st);
	count("prng: seed rules");
}

// After fork(): a caller-seeded generator refuses in the child (it would
// repeat the parent's bytes); a getrandom-seeded one reseeds and diverges.
TEST(nettle_prng, fork)
{
	for (int from_os = 0; from_os < 2; from_os++) {
		kgss_nettle_prng st;
		kgss_prng p;
		uint8_t seed[32];
		for (int i = 0; i < 32; i++)
			seed[i] = (uint8_t)(0x40 + i);
		CHECK_EQUAL(0, from_os ? kgss_nettle_prng_init_getrandom(&st, &p)
				       : kgss_nettle_prng_init(&st, seed, sizeof seed, &p));
		int fds[2];
		CHECK_EQUAL(0, pipe(fds));
		pid_t pid = fork();
		if (pid == 0) {
			uint8_t out[33] = {0};
			out[32] = (uint8_t)(p.generate(p.ctx, out, 32) == 0 ? 1 : 2);
			ssize_t w = write(fds[1], out, sizeof out);
			_exit(w == (ssize_t)sizeof out ? 0 : 1);
		}
		CHECK(pid > 0);
		uint8_t child[33], mine[32];
		CHECK_EQUAL((ssize_t)sizeof child, read(fds[0], child, sizeof child));
		int status = 0;
		waitpid(pid, &status, 0);
		close(fds[0]);
		close(fds[1]);
		CHECK_EQUAL(0, p.generate(p.ctx, mine, sizeof mine));
		if (from_os) {
			CHECK_EQUAL(1, child[32]);
			CHECK(memcmp(child, mine, 32) != 0);
		} else {
			CHECK_EQUAL(2, child[32]);
		}
		kgss_nettle_prng_wipe(&st);
		count(from_os ? "prng: fork, getrandom-seeded child reseeds"
			      : "prng: fork, caller-seeded child refuses");
	}
}
