// tests/crypto_builtin_hash/test_shani.cc - the SHA-NI classes
// kgss_builtin_sha1_ni and kgss_builtin_sha256_ni: FIPS 180-4 known answers,
// and equality with the portable classes (and OpenSSL) on random input.
// They may only run on a CPU with the SHA extensions; otherwise each test
// prints "SKIPPED:" and CTest (SKIP_REGULAR_EXPRESSION) reports a skip.
#include <stdio.h>

#include <string>

#include "prims_util.h"

#include <CppUTest/TestHarness.h>

using kt::bytes;
using kt::hex;

namespace {

bool have_shani(const char *test)
{
	if (kgss::cpu_has_shani())
		return true;
	printf("\nSKIPPED: %s: CPU has no SHA extensions\n", test);
	return false;
}

bytes million_a(const kgss_hash_class *h) { return pt::digest_repeat(h, std::string(1000, 'a'), 1000); }

} // namespace

TEST_GROUP(shani){};

TEST(shani, names)
{
	if (!have_shani("names"))
		return;
	STRCMP_EQUAL("sha1-ni", kgss_builtin_sha1_ni.name);
	STRCMP_EQUAL("sha256-ni", kgss_builtin_sha256_ni.name);
	LONGS_EQUAL(kgss_builtin_sha1.context_size, kgss_builtin_sha1_ni.context_size);
	LONGS_EQUAL(kgss_builtin_sha256.context_size, kgss_builtin_sha256_ni.context_size);
}

// FIPS 180-4 examples (NIST SHA1.pdf, SHA256.pdf) and FIPS 180-2 10^6 x 'a'.
TEST(shani, fips180_kats)
{
	if (!have_shani("fips180_kats"))
		return;
	const kgss_hash_class *h1 = &kgss_builtin_sha1_ni, *h2 = &kgss_builtin_sha256_ni;
	const std::string m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	CHECK_TRUE(hex("a9993e364706816aba3e25717850c26c9cd0d89d") == pt::digest(h1, std::string("abc")));
	CHECK_TRUE(hex("84983e441c3bd26ebaae4aa1f95129e5e54670f1") == pt::digest(h1, m448));
	CHECK_TRUE(hex("34aa973cd4c4daa4f61eeb2bdbad27316534016f") == million_a(h1));
	CHECK_TRUE(hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") ==
		   pt::digest(h2, std::string("abc")));
	CHECK_TRUE(hex("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1") == pt::digest(h2, m448));
	CHECK_TRUE(hex("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") == million_a(h2));
}

// Random messages up to 9000 bytes in random pieces: NI == portable == OpenSSL.
TEST(shani, equals_portable_on_random_input)
{
	if (!have_shani("equals_portable_on_random_input"))
		return;
	struct {
		const kgss_hash_class *ni, *port;
		const char *ossl;
	} pairs[] = {{&kgss_builtin_sha1_ni, &kgss_builtin_sha1, "SHA1"},
		     {&kgss_builtin_sha256_ni, &kgss_builtin_sha256, "SHA256"}};
	uint64_t seed = 0x5a5a;
	for (const auto &pr : pairs) {
		for (int it = 0; it < 300; it++) {
			uint8_t r[4];
			kt::fill_random(seed, r, sizeof r);
			size_t len = (((size_t)r[0] << 8) | r[1]) % 9000;
			bytes m(len);
			kt::fill_random(seed, m.data(), len);
			size_t a = len ? r[2] % (len + 1) : 0;
			size_t b = a + (len - a) * r[3] / 255;
			const bytes ni = pt::digest_split(pr.ni, m.data(), len, a, b);
			CHECK_TRUE(ni == pt::digest(pr.port, m.data(), len));
			CHECK_TRUE(ni == pt::openssl_digest(pr.ossl, m.data(), len));
		}
	}
}

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
