// tests/crypto_builtin_hash/test_sha384_avx2.cc - what only the builtin AVX2 +
// BMI2 class kgss_builtin_sha384_avx2 promises beyond the contract
// (tests/backend_conformance, entry builtin-avx2, has its known answers and
// differential runs): it shares the portable state layout.  It may only run
// on a CPU with AVX2 and BMI2; otherwise the test prints "SKIPPED:" and CTest
// (SKIP_REGULAR_EXPRESSION) reports a skip.
#include <stdio.h>

#include <string>

#include "prims_util.h"

#include <CppUTest/TestHarness.h>

using kt::bytes;

namespace {

bool have_avx2(const char *test)
{
	if (kgss::cpu_has_avx2_bmi2())
		return true;
	printf("\nSKIPPED: %s: CPU (or OS) has no AVX2 with BMI2\n", test);
	return false;
}

const kgss_hash_class *const H = &kgss_builtin_sha384_avx2;

} // namespace

TEST_GROUP(sha384_avx2){};

// A state started with one class can be continued by the other (same layout).
TEST(sha384_avx2, state_layout_shared_with_portable)
{
	if (!have_avx2("state_layout_shared_with_portable"))
		return;
	uint64_t seed = 384;
	bytes m(1777);
	kt::fill_random(seed, m.data(), m.size());
	pt::state_buf st;
	bytes out(48);
	LONGS_EQUAL(0, H->init(st.b));
	H->update(st.b, m.data(), 300);
	kgss_builtin_sha384.update(st.b, m.data() + 300, 700);
	H->update(st.b, m.data() + 1000, 777);
	LONGS_EQUAL(0, kgss_builtin_sha384.final(st.b, out.data()));
	CHECK_TRUE(out == pt::openssl_digest("SHA384", m.data(), m.size()));

	LONGS_EQUAL(0, kgss_builtin_sha384.init(st.b));
	kgss_builtin_sha384.update(st.b, m.data(), 129);
	H->update(st.b, m.data() + 129, 1648);
	LONGS_EQUAL(0, H->final(st.b, out.data()));
	CHECK_TRUE(out == pt::openssl_digest("SHA384", m.data(), m.size()));
}
