// tests/backend_conformance/prng.cc - each backend's generator against the
// kgss_prng contract of kgss_crypto.h: generate() fills exactly out[0..len)
// with fresh bytes, and may run concurrently on one ctx.
#include <CppUTest/TestHarness.h>

#include <algorithm>
#include <set>
#include <string>

#include "conformance.h"

namespace bc {

namespace {

// Exactly len bytes written (a canary after them survives), an empty request
// works, consecutive outputs differ, and a long output looks uniform.
void generate(const prim &p)
{
	const kgss_prng *g = p.prng();
	CHECK(g->generate != nullptr);
	bytes z(1, 0x5a);
	LONGS_EQUAL(0, g->generate(g->ctx, z.data(), 0));
	BYTES_EQUAL(0x5a, z[0]);
	for (size_t len : {(size_t)1, (size_t)16, (size_t)63, (size_t)64, (size_t)65, (size_t)1000}) {
		bytes a(len + 1, 0xa5), b(len + 1, 0xa5);
		LONGS_EQUAL(0, g->generate(g->ctx, a.data(), len));
		LONGS_EQUAL(0, g->generate(g->ctx, b.data(), len));
		BYTES_EQUAL(0xa5, a[len]);
		BYTES_EQUAL(0xa5, b[len]);
		if (len >= 16) // 2^-128 chance of a false failure
			CHECK(!std::equal(a.begin(), a.begin() + (long)len, b.begin()));
	}
	bytes big(100000, 0);
	LONGS_EQUAL(0, g->generate(g->ctx, big.data(), big.size()));
	const long zeros = std::count(big.begin(), big.end(), 0); // ~390 expected
	CHECK(zeros > 200 && zeros < 600);
}

// 4 threads share the generator; no 32-byte output repeats.
void threads(const prim &p)
{
	const kgss_prng *g = p.prng();
	const int T = 4, N = 250;
	std::vector<std::vector<bytes>> got(T, std::vector<bytes>(N, bytes(32)));
	run_threads(T, N, [&](int t, int i) { return g->generate(g->ctx, got[t][i].data(), 32) == 0; });
	std::set<std::string> distinct; // (as hex: GCC 12 warns on set<vector<uint8_t>>)
	for (const std::vector<bytes> &per_thread : got)
		for (const bytes &b : per_thread)
			distinct.insert(kt::to_hex(b));
	LONGS_EQUAL(T * N, (long)distinct.size());
}

} // namespace

const std::vector<check> &prng_checks()
{
	static const std::vector<check> v = {
		{"generate", generate},
		{"threads", threads},
	};
	return v;
}

} // namespace bc
