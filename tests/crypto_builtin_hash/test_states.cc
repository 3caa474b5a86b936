// tests/crypto_builtin_hash/test_states.cc - what only the builtin classes do
// beyond the kgss_crypto.h contract (tests/backend_conformance checks the
// contract, known answers included, for every backend): they refuse a dead
// state instead of computing with it, and SHA-1 / SHA-256 enforce the FIPS
// 180-4 message length limit.
#include <string.h>

#include <vector>

#include "crypto/builtin/md_common.h"
#include "crypto/util.h"
#include "prims_util.h"

#include <CppUTest/TestHarness.h>

using kt::bytes;

namespace {

std::vector<const kgss_hash_class *> all_hashes()
{
	std::vector<const kgss_hash_class *> v = {&kgss_builtin_sha1, &kgss_builtin_sha256, &kgss_builtin_sha384};
#if KGSS_WITH_RC4
	v.push_back(&kgss_builtin_md5);
#endif
	return v;
}

} // namespace

TEST_GROUP(dead_state){};

// A dead hash state, after final() or clear(), is refused by final() and copy() instead
// of producing a digest of garbage, and a refused final() zeroes the digest.
TEST(dead_state, hashes)
{
	for (const kgss_hash_class *h : all_hashes()) {
		pt::state_buf st, cp;
		bytes out(h->digest_size);
		LONGS_EQUAL(0, h->init(st.b));
		h->update(st.b, "secret key material", 19);
		LONGS_EQUAL(0, h->final(st.b, out.data()));
		CHECK(h->final(st.b, out.data()) != 0);
		CHECK(kgss::ct_all_equal(out.data(), 0, out.size()));
		CHECK(h->copy(cp.b, st.b) != 0);

		LONGS_EQUAL(0, h->init(st.b));
		h->update(st.b, "secret key material", 19);
		h->clear(st.b);
		CHECK(h->final(st.b, out.data()) != 0);
	}
}

#if KGSS_WITH_DES3
// A DES-EDE3 schedule whose init failed, or that was cleared, is refused by
// every operation.
TEST(dead_state, des3)
{
	pt::state_buf ks;
	uint8_t key[24] = {1}, blk[8] = {0}, iv[8] = {0};
	CHECK(kgss_builtin_des3.init(ks.b, key, 16) != 0);
	CHECK(kgss_builtin_des3.ecb_encrypt(ks.b, blk, 1) != 0); // failed init leaves no usable schedule
	LONGS_EQUAL(0, kgss_builtin_des3.init(ks.b, key, 24));
	kgss_builtin_des3.clear(ks.b);
	CHECK(kgss::ct_all_equal(ks.b, 0, kgss_builtin_des3.context_size));
	CHECK(kgss_builtin_des3.ecb_decrypt(ks.b, blk, 1) != 0);
	CHECK(kgss_builtin_des3.cbc_encrypt(ks.b, iv, blk, 1) != 0);
	CHECK(kgss_builtin_des3.cbc_decrypt(ks.b, iv, blk, 1) != 0);
	CHECK(kgss_builtin_des3.cbc_mac(ks.b, iv, blk, 1) != 0);
}

#endif

#if KGSS_WITH_RC4
// An RC4 state whose init failed, or that was cleared, is refused.
TEST(dead_state, rc4)
{
	pt::state_buf st;
	uint8_t key[257] = {1}, d[4] = {0};
	CHECK(kgss_builtin_rc4.init(st.b, key, 0) != 0);
	CHECK(kgss_builtin_rc4.apply(st.b, d, sizeof d) != 0);
	CHECK(kgss_builtin_rc4.init(st.b, key, 257) != 0);
	LONGS_EQUAL(0, kgss_builtin_rc4.init(st.b, key, 256));
	LONGS_EQUAL(0, kgss_builtin_rc4.apply(st.b, d, sizeof d));
	kgss_builtin_rc4.clear(st.b);
	CHECK(kgss::ct_all_equal(st.b, 0, kgss_builtin_rc4.context_size));
	CHECK(kgss_builtin_rc4.apply(st.b, d, sizeof d) != 0);
}

#endif

TEST_GROUP(hash_length_limit){};

// White-box: a message longer than the 2^64-bit limit of SHA-1 / SHA-256
// (FIPS 180-4 section 5.1.1) latches a failure that final() reports.
TEST(hash_length_limit, sha1_sha256)
{
	const kgss_hash_class *cls[] = {&kgss_builtin_sha1, &kgss_builtin_sha256};
	for (const kgss_hash_class *h : cls) {
		pt::state_buf st, st2;
		uint8_t out[32], data[16] = {0};
		LONGS_EQUAL(0, h->init(st.b));
		// Both states are md::state<uint32_t, N, 64>; count sits after h[N].
		auto *s5 = reinterpret_cast<kgss::md::state<uint32_t, 5, 64> *>(st.b);
		auto *s8 = reinterpret_cast<kgss::md::state<uint32_t, 8, 64> *>(st.b);
		uint64_t &count = h == &kgss_builtin_sha1 ? s5->count : s8->count;
		count = (UINT64_C(1) << 61) - 16; // 2^64 bits minus 128 bits: block-aligned
		h->update(st.b, data, 15);        // total 2^61 - 1 bytes: still legal
		LONGS_EQUAL(0, h->copy(st2.b, st.b));
		LONGS_EQUAL(0, h->final(st.b, out));
		h->update(st2.b, data, 1); // 2^61 bytes = 2^64 bits: too long
		CHECK(h->final(st2.b, out) != 0);
	}
}
