// Known-answer tokens from gokrb5 (tests/vectors/gokrb5_tokens.txt): verified
// and unwrapped by a context built from the vector's key in the receiver's role.
#include <CppUTest/TestHarness.h>

#include "families.h"
#include "token_util.h"

using namespace tt;

TEST_GROUP(rfc4121_kat){};

TEST(rfc4121_kat, gokrb5_tokens)
{
	auto vs = kt::load_vectors("gokrb5_tokens.txt");
	int checked = 0, expected_ok = 0, expected_bad = 0, compiled_out = 0;
	for (const auto &v : vs) {
		if (v.kind != "gss_token" || v.num("protocol") != 1)
			continue;
		if (kt::skip_enctype((int)v.num("enctype"))) {
			compiled_out++; // not applicable (compiled out)
			continue;
		}
		std::string where = "vector at line " + std::to_string(v.line);
		ctx_spec s;
		s.etype = (int32_t)v.num("enctype");
		s.key = v.hexf("key");
		s.initiator = v.get("role_of_sender") == "acceptor"; // we receive
		s.recv_seq = v.has("seq") ? (uint64_t)v.num("seq") : 0;
		context c(s);
		CHECK_EQUAL_TEXT(KGSS_S_COMPLETE, c.import_status, where.c_str());
		bytes msg = v.hexf("message"), token = v.hexf("token");
		const std::string kind = v.get("token_kind"), expect = v.get("expected");
		kgss_status want = expect == "ok"        ? KGSS_S_COMPLETE
				   : expect == "bad_sig" ? KGSS_S_BAD_SIG
							 : KGSS_S_DEFECTIVE_TOKEN;
		kgss_status st;
		if (kind == "mic") {
			st = verify_mic(c, msg, token);
		} else if (kind == "wrap_integ" || kind == "wrap_conf") {
			bytes plain;
			int conf_state = -1;
			st = unwrap(c, token, &plain, &conf_state);
			if (st == KGSS_S_COMPLETE) {
				CHECK_TEXT(plain == msg, where.c_str());
				CHECK_EQUAL_TEXT(kind == "wrap_conf" ? 1 : 0, conf_state, where.c_str());
			}
			// The same token through the IOV API, HEADER | DATA | TRAILER.
			const size_t tag = cfx(s.etype).tag_len;
			if (kind == "wrap_integ" && token.size() >= 16 + tag) {
				ctx_spec s2 = s;
				context c2(s2);
				bytes t = token;
				kgss_iov iov[3] = {{KGSS_IOV_HEADER, {16, t.data()}},
						   {KGSS_IOV_DATA, {t.size() - 16 - tag, t.data() + 16}},
						   {KGSS_IOV_TRAILER, {tag, t.data() + t.size() - tag}}};
				int cs = -1;
				CHECK_EQUAL_TEXT(want, kgss_unwrap_iov(c2, &cs, nullptr, iov, 3), where.c_str());
			}
		} else {
			continue;
		}
		CHECK_EQUAL_TEXT(want, st, where.c_str());
		checked++;
		(want == KGSS_S_COMPLETE ? expected_ok : expected_bad)++;
	}
	CHECK_EQUAL(6, checked + compiled_out);
	if (compiled_out == 0) {
		CHECK(expected_ok >= 4);
		CHECK(expected_bad >= 2);
	}
}

// Our own tokens for the same key and sequence numbers are byte-identical to
// gokrb5's (integrity-only Wrap and MIC are deterministic).
TEST(rfc4121_kat, we_produce_the_same_bytes)
{
	auto vs = kt::load_vectors("gokrb5_tokens.txt");
	int produced = 0, compiled_out = 0;
	for (const auto &v : vs) {
		if (v.kind != "gss_token" || v.num("protocol") != 1 || v.get("expected") != "ok" || !v.has("seq"))
			continue;
		if (kt::skip_enctype((int)v.num("enctype"))) {
			compiled_out++; // not applicable (compiled out)
			continue;
		}
		std::string where = "vector at line " + std::to_string(v.line);
		ctx_spec s;
		s.etype = (int32_t)v.num("enctype");
		s.key = v.hexf("key");
		s.initiator = v.get("role_of_sender") == "initiator"; // we send
		s.send_seq = (uint64_t)v.num("seq");
		context c(s);
		CHECK_EQUAL(KGSS_S_COMPLETE, c.import_status);
		bytes msg = v.hexf("message"), token;
		const std::string kind = v.get("token_kind");
		if (kind == "mic")
			CHECK_EQUAL(KGSS_S_COMPLETE, get_mic(c, msg, &token));
		else if (kind == "wrap_integ")
			CHECK_EQUAL(KGSS_S_COMPLETE, wrap(c, false, msg, &token));
		else
			continue;
		STRCMP_EQUAL_TEXT(v.get("token").c_str(), kt::to_hex(token).c_str(), where.c_str());
		produced++;
	}
	CHECK_EQUAL(4, produced + compiled_out);
}
