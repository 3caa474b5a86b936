// tests/edges/test_context_edges.cc - the context-building interface of
// gss-kernel-lib/context.h and import.h on parameters no parser produces:
// the parsers (lucid/, tested in tests/import) never hand over a protocol
// other than 0 or 1, an RFC 1964 context with an acceptor subkey, or a
// context key without a subkey, and import_parsed checks *ctx_out itself;
// ctx_validate (libkgss_user's kgss_serialized_describe calls it)
// and import_params must still refuse them on their own, and the small
// helpers (ctx_teardown, ctx_random) must take their edge arguments.
#include <string.h>

#include <vector>

#include "CppUTest/TestHarness.h"
#include "edges_util.h"
#include "families.h"
#include "gss-kernel-lib/import.h"

using namespace ke;
using kgss::ctx_params;

namespace {

// A valid ctx_params of etype (its own protocol) over key.
ctx_params params(int32_t etype, const bytes &key)
{
	ctx_params p;
	memset(&p, 0, sizeof(p));
	p.protocol = info_of(etype).rfc1964 ? 0 : 1;
	p.initiator = true;
	p.endtime = 0xfffffff0u;
	p.enctype = etype;
	p.key = key.data();
	p.key_len = key.size();
	p.sign_alg = kgss::ALG_UNSTATED;
	p.seal_alg = kgss::ALG_UNSTATED;
	return p;
}

} // namespace

TEST_GROUP(context_edges){};

TEST(context_edges, validate_refuses_what_no_parser_produces)
{
	for (int etype : kt::compiled_in({16, 18, 23})) {
		const bytes key = key_for(etype), other = key_for(etype, 9);
		const ctx_params good = params(etype, key);
		LONGS_EQUAL(KGSS_S_COMPLETE, kgss::ctx_validate(&good, nullptr));
		LONGS_EQUAL(KGSS_S_FAILURE, kgss::ctx_validate(nullptr, nullptr));
		kgss_options never_initialised;
		memset(&never_initialised, 0, sizeof(never_initialised));
		LONGS_EQUAL(KGSS_S_FAILURE, kgss::ctx_validate(&good, &never_initialised));
		ctx_params p = good;
		p.key = nullptr;
		LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, kgss::ctx_validate(&p, nullptr));
		p = good;
		p.protocol = 2;
		LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, kgss::ctx_validate(&p, nullptr));
		// A context key beside no acceptor subkey (either protocol).
		p = good;
		p.ctx_key = other.data();
		p.ctx_key_len = other.size();
		p.ctx_key_enctype = etype;
		LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, kgss::ctx_validate(&p, nullptr));
		if (good.protocol == 0) {
			// RFC 1964 has no acceptor subkey.
			p = good;
			p.acceptor_subkey = true;
			LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, kgss::ctx_validate(&p, nullptr));
		} else {
			p.acceptor_subkey = true;
			LONGS_EQUAL(KGSS_S_COMPLETE, kgss::ctx_validate(&p, nullptr));
		}
	}
}

// import_params with caller memory builds the context there (the *_into
// path); the NULL out-pointer and NULL memory cases are refused one level up,
// by import_entry (import.h) before import_params is reached: api_edges.
TEST(context_edges, import_params_builds_in_caller_memory)
{
	for (int etype : kt::compiled_in({18, 16})) {
		const bytes key = key_for(etype);
		const ctx_params p = params(etype, key);
		std::vector<uint8_t> mem(kgss_ctx_size(), 0);
		kgss_ctx *c = nullptr;
		LONGS_EQUAL(KGSS_S_COMPLETE, kgss::import_params(mem.data(), mem.size(), &p, nullptr, &c));
		CHECK(c != nullptr);
		CHECK((uint8_t *)c >= mem.data() && (uint8_t *)c < mem.data() + mem.size());
		kgss_ctx_free(c);
	}
}

// ctx_teardown(NULL) does nothing; ctx_random of zero bytes succeeds
// without calling the generator.
TEST(context_edges, teardown_null_and_zero_random_bytes)
{
	kgss::ctx_teardown(nullptr);
	for (int etype : kt::compiled_in({18})) {
		pair p(etype);
		CHECK(p.ok());
		const long calls = p.a.prng.calls;
		uint8_t b[4] = {1, 2, 3, 4};
		LONGS_EQUAL(KGSS_S_COMPLETE, kgss::ctx_random(p.a, b, 0));
		LONGS_EQUAL(calls, p.a.prng.calls);
		LONGS_EQUAL(1, b[0]);
		check_usable(p.a, p.b);
	}
}
