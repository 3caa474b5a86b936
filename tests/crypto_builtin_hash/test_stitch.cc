// tests/crypto_builtin_hash/test_stitch.cc - the stitched AES-NI CBC engines
// kgss_builtin_cbc_sha1_ni / kgss_builtin_cbc_sha256_ni (SHA-NI) and
// kgss_builtin_cbc_sha384_avx2 (SHA-384 with BMI2) against the
// two-pass computation with the classes they pair (cbc_encrypt / cbc_decrypt
// of the AES-NI class, update of the SHA-NI class): same data, same IV out,
// same digest, for both key sizes, both directions, the hash on either side
// of the cipher, 0..130 units and hash states with earlier blocks absorbed.
// An engine runs only on a CPU with AES-NI and the SHA extensions (SHA-1,
// SHA-256) or AVX2 + BMI2 (SHA-384); when none can run each test prints
// "SKIPPED:" and CTest reports a skip.
#include <stdio.h>
#include <string.h>

#include <vector>

#include "prims_util.h"

#include <CppUTest/TestHarness.h>

using kt::bytes;

#if KGSS_BUILTIN_HAVE_STITCH

namespace {

bool runnable(const kgss_cbc_hash_class *e)
{
	if (!kgss::cpu_has_aesni())
		return false;
	return e == &kgss_builtin_cbc_sha384_avx2 ? kgss::cpu_has_avx2_bmi2() : kgss::cpu_has_shani();
}

const kgss_cbc_hash_class *const kAll[] = {&kgss_builtin_cbc_sha1_ni, &kgss_builtin_cbc_sha256_ni,
					   &kgss_builtin_cbc_sha384_avx2};

// The engines this CPU can run; "SKIPPED:" when none.
std::vector<const kgss_cbc_hash_class *> engines(const char *test)
{
	std::vector<const kgss_cbc_hash_class *> v;
	for (const kgss_cbc_hash_class *e : kAll)
		if (runnable(e))
			v.push_back(e);
		else
			printf("\n  %s: %s not runnable on this CPU", test, e->name);
	if (v.empty())
		printf("\nSKIPPED: %s: CPU lacks AES-NI, or both SHA-NI and AVX2 + BMI2\n", test);
	return v;
}

struct outcome {
	bytes data, iv, digest;
	int rc;
};

// Runs the engine (stitched) or the two passes over prefix_blocks of hash
// input then n units of data.
outcome run_engine(const kgss_cbc_hash_class *e, const kgss_block_cipher_class *bc, const bytes &key, const bytes &iv0,
	    const bytes &prefix, const bytes &data, bool decrypt, bool hash_output, bool stitched)
{
	pt::state_buf ks, st;
	outcome o{data, iv0, bytes(e->hash->digest_size), 0};
	CHECK_EQUAL(0, bc->init(ks.b, key.data(), key.size()));
	CHECK_EQUAL(0, e->hash->init(st.b));
	e->hash->update(st.b, prefix.data(), prefix.size());
	const size_t n = data.size() / e->unit;
	if (stitched) {
		o.rc = (decrypt ? e->decrypt : e->encrypt)(ks.b, o.iv.data(), st.b, o.data.data(), n, hash_output);
	} else {
		const bool hash_first = !hash_output; // the hash sees the cipher's input
		if (hash_first)
			e->hash->update(st.b, o.data.data(), o.data.size());
		CHECK_EQUAL(0, (decrypt ? bc->cbc_decrypt : bc->cbc_encrypt)(ks.b, o.iv.data(), o.data.data(),
									    n * e->unit / 16));
		if (!hash_first)
			e->hash->update(st.b, o.data.data(), o.data.size());
	}
	// A trailing partial block after the stitched run finishes normally.
	e->hash->update(st.b, "tail", 4);
	if (o.rc == 0)
		CHECK_EQUAL(0, e->hash->final(st.b, o.digest.data()));
	else
		e->hash->clear(st.b);
	bc->clear(ks.b);
	return o;
}

} // namespace

TEST_GROUP(stitch){};

TEST(stitch, classes)
{
	STRCMP_EQUAL("aes-ni+sha1-ni", kgss_builtin_cbc_sha1_ni.name);
	STRCMP_EQUAL("aes-ni+sha256-ni", kgss_builtin_cbc_sha256_ni.name);
	STRCMP_EQUAL("aes-ni+sha384-bmi2", kgss_builtin_cbc_sha384_avx2.name);
	for (const kgss_cbc_hash_class *e : kAll) {
		POINTERS_EQUAL(&kgss_builtin_aes128_ni, e->cipher_a);
		POINTERS_EQUAL(&kgss_builtin_aes256_ni, e->cipher_b);
		LONGS_EQUAL(e->hash->block_size, e->unit);
	}
	POINTERS_EQUAL(&kgss_builtin_sha1_ni, kgss_builtin_cbc_sha1_ni.hash);
	POINTERS_EQUAL(&kgss_builtin_sha256_ni, kgss_builtin_cbc_sha256_ni.hash);
	POINTERS_EQUAL(&kgss_builtin_sha384_avx2, kgss_builtin_cbc_sha384_avx2.hash);
	// The builtin backend offers each exactly when the CPU can run it.
	const kgss_crypto_backend *b = kgss_crypto_builtin();
	POINTERS_EQUAL(runnable(&kgss_builtin_cbc_sha1_ni) ? &kgss_builtin_cbc_sha1_ni : nullptr, b->cbc_sha1);
	POINTERS_EQUAL(runnable(&kgss_builtin_cbc_sha256_ni) ? &kgss_builtin_cbc_sha256_ni : nullptr, b->cbc_sha256);
	POINTERS_EQUAL(runnable(&kgss_builtin_cbc_sha384_avx2) ? &kgss_builtin_cbc_sha384_avx2 : nullptr,
		       b->cbc_sha384);
	const kgss_crypto_backend *p = kgss_crypto_builtin_portable();
	POINTERS_EQUAL(nullptr, p->cbc_sha1);
	POINTERS_EQUAL(nullptr, p->cbc_sha256);
	POINTERS_EQUAL(nullptr, p->cbc_sha384);
}

TEST(stitch, equals_two_pass)
{
	const std::vector<const kgss_cbc_hash_class *> kEngines = engines("equals_two_pass");
	uint64_t seed = 0x5717c4ed5eedull;
	const size_t counts[] = {0, 1, 2, 3, 4, 5, 7, 17, 63, 64, 65, 130};
	size_t cases = 0;
	for (const kgss_cbc_hash_class *e : kEngines)
		for (const kgss_block_cipher_class *bc : {e->cipher_a, e->cipher_b})
			for (size_t n : counts)
				for (int dir = 0; dir < 4; dir++) {
					const bool decrypt = dir & 1, hash_output = dir & 2;
					bytes key(bc->key_size), iv(16), prefix(e->unit * (n % 3)), data(n * e->unit);
					kt::fill_random(seed, key.data(), key.size());
					kt::fill_random(seed, iv.data(), iv.size());
					kt::fill_random(seed, prefix.data(), prefix.size());
					kt::fill_random(seed, data.data(), data.size());
					outcome a = run_engine(e, bc, key, iv, prefix, data, decrypt, hash_output, true);
					outcome b = run_engine(e, bc, key, iv, prefix, data, decrypt, hash_output, false);
					LONGS_EQUAL(0, a.rc);
					CHECK_TRUE(a.data == b.data);
					CHECK_TRUE(a.iv == b.iv);
					CHECK_TRUE(a.digest == b.digest);
					cases++;
				}
	LONGS_EQUAL(kEngines.size() * 2 * 12 * 4, cases);
}

// A state that is not at a block boundary, or not live, is refused.
TEST(stitch, refuses_unaligned_or_dead_state)
{
	for (const kgss_cbc_hash_class *e : engines("refuses_unaligned_or_dead_state")) {
		pt::state_buf ks, st;
		uint8_t key[16] = {1}, iv[16] = {0}, data[256] = {0};
		CHECK_EQUAL(0, e->cipher_a->init(ks.b, key, sizeof key));
		CHECK_EQUAL(0, e->hash->init(st.b));
		e->hash->update(st.b, "x", 1);
		CHECK(e->encrypt(ks.b, iv, st.b, data, 1, 0) != 0);
		CHECK(e->decrypt(ks.b, iv, st.b, data, 1, 1) != 0);
		e->hash->clear(st.b);
		CHECK(e->encrypt(ks.b, iv, st.b, data, 1, 0) != 0); // wiped: not live
		e->cipher_a->clear(ks.b);
	}
}

#else

TEST_GROUP(stitch){};
TEST(stitch, not_built)
{
	printf("\nSKIPPED: stitched engines are x86 only\n");
}

#endif
