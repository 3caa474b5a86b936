// tests/crypto_builtin_hash/test_shani.cc - what only the builtin SHA-NI
// classes kgss_builtin_sha1_ni / kgss_builtin_sha256_ni promise beyond the
// contract (tests/backend_conformance, entry builtin-shani, has their known
// answers and differential runs): they share the portable state layout.
// They may only run on a CPU with the SHA extensions; otherwise the test
// prints "SKIPPED:" and CTest (SKIP_REGULAR_EXPRESSION) reports a skip.
#include <stdio.h>

#include <string>

#include "prims_util.h"

#include <CppUTest/TestHarness.h>

using kt::bytes;

namespace {

bool have_shani(const char *test)
{
	if (kgss::cpu_has_shani())
		return true;
	printf("\nSKIPPED: %s: CPU has no SHA extensions\n", test);
	return false;
}

} // namespace

TEST_GROUP(shani){};

// A state started with one class can be continued by the other (same layout).
TEST(shani, state_layout_shared_with_portable)
{
	if (!have_shani("state_layout_shared_with_portable"))
		return;
	uint64_t seed = 99;
	bytes m(777);
	kt::fill_random(seed, m.data(), m.size());
	pt::state_buf st;
	bytes out(32);
	LONGS_EQUAL(0, kgss_builtin_sha256_ni.init(st.b));
	kgss_builtin_sha256_ni.update(st.b, m.data(), 300);
	kgss_builtin_sha256.update(st.b, m.data() + 300, 300);
	kgss_builtin_sha256_ni.update(st.b, m.data() + 600, 177);
	LONGS_EQUAL(0, kgss_builtin_sha256.final(st.b, out.data()));
	CHECK_TRUE(out == pt::openssl_digest("SHA256", m.data(), m.size()));

	bytes out1(20);
	LONGS_EQUAL(0, kgss_builtin_sha1.init(st.b));
	kgss_builtin_sha1.update(st.b, m.data(), 130);
	kgss_builtin_sha1_ni.update(st.b, m.data() + 130, 647);
	LONGS_EQUAL(0, kgss_builtin_sha1_ni.final(st.b, out1.data()));
	CHECK_TRUE(out1 == pt::openssl_digest("SHA1", m.data(), m.size()));
}
