// tests/crypto_builtin_hash/test_sha384_avx2.cc - the AVX2 + BMI2 class
// kgss_builtin_sha384_avx2: FIPS 180-4 known answers, and equality with the
// portable class (and OpenSSL) on random input, in pieces that give the
// compression function odd and even block counts (it works two blocks at a
// time).  It may only run on a CPU with AVX2 and BMI2; otherwise each test
// prints "SKIPPED:" and CTest (SKIP_REGULAR_EXPRESSION) reports a skip.
#include <stdio.h>

#include <string>

#include "prims_util.h"

#include <CppUTest/TestHarness.h>

using kt::bytes;
using kt::hex;

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

TEST(sha384_avx2, names_and_backend)
{
	if (!have_avx2("names_and_backend"))
		return;
	STRCMP_EQUAL("sha384-avx2", H->name);
	LONGS_EQUAL(kgss_builtin_sha384.context_size, H->context_size);
	LONGS_EQUAL(48, H->digest_size);
	LONGS_EQUAL(128, H->block_size);
	POINTERS_EQUAL(H, kgss_crypto_builtin()->sha384);
	POINTERS_EQUAL(&kgss_builtin_sha384, kgss_crypto_builtin_portable()->sha384);
}

// FIPS 180-4 examples (NIST SHA384.pdf: "abc", the 896-bit two-block
// message), the 448-bit one-block message (DI Management's test vectors, as
// in test_hash.cc) and FIPS 180-2 Appendix D.3, 10^6 x 'a'.
TEST(sha384_avx2, fips180_kats)
{
	if (!have_avx2("fips180_kats"))
		return;
	CHECK_TRUE(hex("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded163"
		       "1a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7") == pt::digest(H, std::string("abc")));
	CHECK_TRUE(hex("09330c33f71147e83d192fc782cd1b4753111b173b3b05d2"
		       "2fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039") ==
		   pt::digest(H, std::string("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
					     "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")));
	CHECK_TRUE(hex("3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05ab"
		       "fe8f450de5f36bc6b0455a8520bc4e6f5fe95b1fe3c8452b") ==
		   pt::digest(H, std::string("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")));
	// 1000 pieces of 1000 bytes: updates that compress 7 or 8 whole blocks.
	CHECK_TRUE(hex("9d0e1809716474cb086e834e310a4a1ced149e9c00f24852"
		       "7972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985") ==
		   pt::digest_repeat(H, std::string(1000, 'a'), 1000));
	// The same message in one update (7812 blocks at once, then the tail).
	const std::string m(1000000, 'a');
	CHECK_TRUE(hex("9d0e1809716474cb086e834e310a4a1ced149e9c00f24852"
		       "7972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985") == pt::digest(H, m));
}

// Every length 0..1100 in one update, then random messages up to 9000 bytes
// in random pieces: AVX2 == portable == OpenSSL.
TEST(sha384_avx2, equals_portable_on_random_input)
{
	if (!have_avx2("equals_portable_on_random_input"))
		return;
	uint64_t seed = 0x384a;
	bytes m(9000);
	kt::fill_random(seed, m.data(), m.size());
	for (size_t len = 0; len <= 1100; len++) {
		const bytes v = pt::digest(H, m.data(), len);
		CHECK_TRUE(v == pt::digest(&kgss_builtin_sha384, m.data(), len));
		CHECK_TRUE(v == pt::openssl_digest("SHA384", m.data(), len));
	}
	for (int it = 0; it < 300; it++) {
		uint8_t r[4];
		kt::fill_random(seed, r, sizeof r);
		size_t len = (((size_t)r[0] << 8) | r[1]) % 9000;
		kt::fill_random(seed, m.data(), len);
		size_t a = len ? r[2] % (len + 1) : 0;
		size_t b = a + (len - a) * r[3] / 255;
		const bytes v = pt::digest_split(H, m.data(), len, a, b);
		CHECK_TRUE(v == pt::digest(&kgss_builtin_sha384, m.data(), len));
		CHECK_TRUE(v == pt::openssl_digest("SHA384", m.data(), len));
	}
}

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
