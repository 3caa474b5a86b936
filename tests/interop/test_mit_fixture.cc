// tests/interop/test_mit_fixture.cc - the live MIT harness itself: every enctype
// negotiates against the loopback KDC of scripts/kdc.sh, and the lucid contexts MIT
// exports look the way libkgss expects (field values and struct layout).
//
// Needs the "kdc" CTest fixture (KGSS_KDC_ENV).  A missing KDC or an enctype the KDC
// cannot negotiate FAILS the test with MIT's/the KDC's error; nothing is skipped.
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <string>

#include "CppUTest/TestHarness.h"
#include "testutil.h"
#include "tools/mit/mit_peer.h"

using namespace kmit;

// The same layout facts mit_peer.cc static_asserts, checked here once more at compile
// time and at run time (so a report shows them).
static_assert(sizeof(kgss_lucid_context_v1) == sizeof(gss_krb5_lucid_context_v1_t), "lucid size");
static_assert(offsetof(kgss_lucid_context_v1, cfx_kd.acceptor_subkey.data) ==
		      offsetof(gss_krb5_lucid_context_v1_t, cfx_kd.acceptor_subkey.data),
	      "lucid layout");

namespace {

int g_cases = 0;
// CppUTest's order is not fixed (-r shuffles), so the total is printed at exit.
struct case_report {
	~case_report() { printf("\ntest_mit_fixture: %d live cases checked\n", g_cases); }
} g_report;

bool is_rfc1964(int e) { return e == 16 || e == 23 || e == 24; }

uint32_t key_len(int e)
{
	switch (e) {
	case 16:
		return 24;
	case 17:
	case 19:
	case 23:
	case 24:
	case 25:
		return 16;
	case 18:
	case 20:
	case 26:
		return 32;
	default:
		return 0;
	}
}

bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = static_cast<const uint8_t *>(p);
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

void load_env()
{
	std::string err;
	if (!mit_env_load("", &err))
		FAIL(("KDC fixture not available: " + err).c_str());
}

// Checks one exported lucid context against what the establishment asked for.
void check_lucid(const gss_krb5_lucid_context_v1_t *l, int e, bool mutual, bool initiator, const std::string &tag)
{
	CHECK_TEXT(l != nullptr, tag.c_str());
	UNSIGNED_LONGS_EQUAL_TEXT(1, l->version, tag.c_str());
	UNSIGNED_LONGS_EQUAL_TEXT(initiator ? 1 : 0, l->initiate, tag.c_str());
	time_t now = time(nullptr);
	CHECK_TEXT((time_t)l->endtime > now, (tag + " endtime in the past").c_str());
	CHECK_TEXT((time_t)l->endtime <= now + 11 * 3600, (tag + " endtime beyond max_life").c_str());
	// MIT picks random initial sequence numbers below 2^30 (facts sheet); 32 bits at most
	CHECK_TEXT(l->send_seq < (1ull << 32), tag.c_str());
	CHECK_TEXT(l->recv_seq < (1ull << 32), tag.c_str());

	if (is_rfc1964(e)) {
		UNSIGNED_LONGS_EQUAL_TEXT(0, l->protocol, tag.c_str());
		const gss_krb5_rfc1964_keydata_t &k = l->rfc1964_kd;
		if (e == 16) {
			UNSIGNED_LONGS_EQUAL_TEXT(4, k.sign_alg, tag.c_str());
			UNSIGNED_LONGS_EQUAL_TEXT(2, k.seal_alg, tag.c_str());
			// MIT exports des3 as des3-cbc-raw (6); other exporters say 16
			CHECK_TEXT(k.ctx_key.type == 6 || k.ctx_key.type == 16, (tag + " des3 key type").c_str());
		} else {
			UNSIGNED_LONGS_EQUAL_TEXT(0x11, k.sign_alg, tag.c_str());
			UNSIGNED_LONGS_EQUAL_TEXT(0x10, k.seal_alg, tag.c_str());
			UNSIGNED_LONGS_EQUAL_TEXT(e, k.ctx_key.type, tag.c_str());
		}
		UNSIGNED_LONGS_EQUAL_TEXT(key_len(e), k.ctx_key.length, tag.c_str());
		CHECK_TEXT(k.ctx_key.data != nullptr, tag.c_str());
		CHECK_TEXT(!all_zero(k.ctx_key.data, k.ctx_key.length), (tag + " zero key").c_str());
		// cfx_kd must be unused
		CHECK_TEXT(all_zero(&l->cfx_kd, sizeof l->cfx_kd), (tag + " cfx_kd not zero on protocol 0").c_str());
	} else {
		UNSIGNED_LONGS_EQUAL_TEXT(1, l->protocol, tag.c_str());
		const gss_krb5_cfx_keydata_t &c = l->cfx_kd;
		UNSIGNED_LONGS_EQUAL_TEXT(e, c.ctx_key.type, tag.c_str());
		UNSIGNED_LONGS_EQUAL_TEXT(key_len(e), c.ctx_key.length, tag.c_str());
		CHECK_TEXT(c.ctx_key.data != nullptr, tag.c_str());
		CHECK_TEXT(!all_zero(c.ctx_key.data, c.ctx_key.length), (tag + " zero ctx key").c_str());
		UNSIGNED_LONGS_EQUAL_TEXT(mutual ? 1 : 0, c.have_acceptor_subkey,
					  (tag + " have_acceptor_subkey").c_str());
		if (mutual) {
			UNSIGNED_LONGS_EQUAL_TEXT(e, c.acceptor_subkey.type, tag.c_str());
			UNSIGNED_LONGS_EQUAL_TEXT(key_len(e), c.acceptor_subkey.length, tag.c_str());
			CHECK_TEXT(c.acceptor_subkey.data != nullptr, tag.c_str());
			CHECK_TEXT(!all_zero(c.acceptor_subkey.data, c.acceptor_subkey.length), tag.c_str());
			// a fresh subkey, not the initiator's
			CHECK_TEXT(memcmp(c.acceptor_subkey.data, c.ctx_key.data, c.ctx_key.length) != 0, tag.c_str());
		}
		CHECK_TEXT(all_zero(&l->rfc1964_kd, sizeof l->rfc1964_kd),
			   (tag + " rfc1964_kd not zero on protocol 1").c_str());
	}
}

bool same_key(const gss_krb5_lucid_key_t &a, const gss_krb5_lucid_key_t &b)
{
	return a.type == b.type && a.length == b.length && (a.length == 0 || memcmp(a.data, b.data, a.length) == 0);
}

} // namespace

TEST_GROUP(mit_fixture){void setup() override{load_env();
}
}
;

TEST(mit_fixture, env_points_at_the_loopback_realm)
{
	const mit_env *e = mit_env_get();
	CHECK(e != nullptr);
	const char *cfg = getenv("KRB5_CONFIG");
	CHECK(cfg != nullptr);
	STRCMP_EQUAL(e->krb5_config.c_str(), cfg);
	CHECK(e->krb5_config != "/etc/krb5.conf");
	CHECK(e->kdc_port > 0 && e->kdc_port < 65536);
	STRCMP_EQUAL("KGSS.TEST", e->realm.c_str());
	g_cases++;
}

TEST(mit_fixture, missing_env_file_is_an_error)
{
	std::string err;
	CHECK_FALSE(mit_env_load("/nonexistent/kgss/env", &err));
	CHECK(err.find("/nonexistent/kgss/env") != std::string::npos);
	// the good environment is still in force
	CHECK(mit_env_get() != nullptr);
	g_cases++;
}

TEST(mit_fixture, lucid_layout_matches_mit_at_run_time)
{
#define SAME(f) \
	UNSIGNED_LONGS_EQUAL_TEXT(offsetof(gss_krb5_lucid_context_v1_t, f), offsetof(kgss_lucid_context_v1, f), #f)
	UNSIGNED_LONGS_EQUAL(sizeof(gss_krb5_lucid_context_v1_t), sizeof(kgss_lucid_context_v1));
	UNSIGNED_LONGS_EQUAL(sizeof(gss_krb5_lucid_key_t), sizeof(kgss_lucid_key));
	SAME(version);
	SAME(initiate);
	SAME(endtime);
	SAME(send_seq);
	SAME(recv_seq);
	SAME(protocol);
	SAME(rfc1964_kd.sign_alg);
	SAME(rfc1964_kd.seal_alg);
	SAME(rfc1964_kd.ctx_key.type);
	SAME(rfc1964_kd.ctx_key.length);
	SAME(rfc1964_kd.ctx_key.data);
	SAME(cfx_kd.have_acceptor_subkey);
	SAME(cfx_kd.ctx_key.type);
	SAME(cfx_kd.ctx_key.length);
	SAME(cfx_kd.ctx_key.data);
	SAME(cfx_kd.acceptor_subkey.type);
	SAME(cfx_kd.acceptor_subkey.length);
	SAME(cfx_kd.acceptor_subkey.data);
#undef SAME
	g_cases++;
}

// Every enctype x mutual on/off x exported side: negotiate with the KDC, check the
// lucid, then export the peer as well and check that the two sides agree (same keys,
// crossed sequence numbers, opposite roles).
TEST(mit_fixture, every_enctype_negotiates_and_exports)
{
	int n = 0;
	for (int e : mit_all_enctypes) {
		for (int mutual = 0; mutual < 2; mutual++) {
			for (int exp_init = 0; exp_init < 2; exp_init++) {
				std::string tag = std::string(mit_enctype_name(e)) +
						  " mutual=" + std::to_string(mutual) +
						  " export=" + (exp_init ? "initiator" : "acceptor");
				mit_pair p;
				std::string err;
				if (!mit_establish(e, mutual != 0, exp_init != 0, &p, &err))
					FAIL((tag + ": " + err).c_str());
				CHECK_TEXT(p.peer != GSS_C_NO_CONTEXT, tag.c_str());
				CHECK_EQUAL_TEXT(exp_init != 0, p.lucid_is_initiator, tag.c_str());
				CHECK_TEXT(p.rounds >= 1 && p.rounds <= 2, tag.c_str());
				// MIT granted what was asked
				OM_uint32 want =
					GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG | GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG;
				CHECK_TEXT((p.init_ret_flags & want) == want, tag.c_str());
				CHECK_TEXT((p.acc_ret_flags & want) == want, tag.c_str());
				CHECK_EQUAL_TEXT(mutual != 0, (p.init_ret_flags & GSS_C_MUTUAL_FLAG) != 0, tag.c_str());

				const gss_krb5_lucid_context_v1_t *l = mit_lucid(p);
				check_lucid(l, e, mutual != 0, exp_init != 0, tag);
				POINTERS_EQUAL(p.lucid, mit_lucid_kgss(p));
				const gss_krb5_lucid_key_t *mk = mit_lucid_message_key(p);
				CHECK(mk != nullptr);
				if (!is_rfc1964(e) && mutual)
					POINTERS_EQUAL(&l->cfx_kd.acceptor_subkey, mk);

				// export the peer too (consumes it) and compare the two halves
				void *other = nullptr;
				OM_uint32 min = 0;
				OM_uint32 maj = gss_krb5_export_lucid_sec_context(&min, &p.peer, 1, &other);
				if (GSS_ERROR(maj))
					FAIL((tag + ": exporting the peer: " + mit_status_string(maj, min)).c_str());
				p.peer = GSS_C_NO_CONTEXT;
				const gss_krb5_lucid_context_v1_t *o =
					static_cast<const gss_krb5_lucid_context_v1_t *>(other);
				check_lucid(o, e, mutual != 0, exp_init == 0, tag + " (peer)");
				UNSIGNED_LONGS_EQUAL_TEXT(l->send_seq, o->recv_seq, tag.c_str());
				UNSIGNED_LONGS_EQUAL_TEXT(l->recv_seq, o->send_seq, tag.c_str());
				UNSIGNED_LONGS_EQUAL_TEXT(l->endtime, o->endtime, tag.c_str());
				if (l->protocol == 0) {
					CHECK_TEXT(same_key(l->rfc1964_kd.ctx_key, o->rfc1964_kd.ctx_key), tag.c_str());
				} else {
					CHECK_TEXT(same_key(l->cfx_kd.ctx_key, o->cfx_kd.ctx_key), tag.c_str());
					CHECK_TEXT(same_key(l->cfx_kd.acceptor_subkey, o->cfx_kd.acceptor_subkey),
						   tag.c_str());
				}
				gss_krb5_free_lucid_sec_context(&min, other);
				n++;
			}
		}
	}
	LONGS_EQUAL(9 * 2 * 2, n);
	g_cases += n;
}

// A pair survives as a live peer: MIT on the peer side produces tokens for it.
TEST(mit_fixture, peer_is_live)
{
	for (int e : mit_all_enctypes) {
		mit_pair p;
		std::string err;
		if (!mit_establish(e, true, true, &p, &err))
			FAIL(err.c_str());
		kmit::bytes msg(100, 0x5a);
		mit_result w = mit_wrap(p.peer, true, msg);
		CHECK_TEXT(w.ok(), mit_status_string(w.major, w.minor).c_str());
		LONGS_EQUAL(1, w.conf_state);
		CHECK(w.out.size() > msg.size());
		mit_result m = mit_get_mic(p.peer, msg);
		CHECK_TEXT(m.ok(), mit_status_string(m.major, m.minor).c_str());
		CHECK(!m.out.empty());
		mit_result i = mit_wrap_iov_token(p.peer, true, msg, false);
		CHECK_TEXT(i.ok(), mit_status_string(i.major, i.minor).c_str());
		CHECK(i.out.size() > msg.size());
		g_cases++;
	}
}
