// tests/crypto_builtin_hash/test_hash.cc - builtin MD5, SHA-1, SHA-256,
// SHA-384 (portable classes; the SHA-NI classes are in test_shani.cc).
#include <string.h>

#include <string>
#include <vector>

#include "crypto/builtin/md_common.h"
#include "prims_util.h"

#include <CppUTest/TestHarness.h>

using kt::bytes;
using kt::hex;

namespace {

// FIPS 180-4 example messages (NIST CSRC "Examples with Intermediate Values":
// SHA1.pdf, SHA256.pdf, SHA384.pdf; the one-million-'a' message is the third
// FIPS 180-2 Appendix example).
const char *const ABC = "abc";
const char *const MSG448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
const char *const MSG896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
			   "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

// A million 'a' fed through update() in 997-byte pieces (not a multiple of
// either block size) plus the 1000000 mod 997 tail.
bytes million_a(const kgss_hash_class *h)
{
	std::string piece(997, 'a');
	pt::state_buf st;
	bytes out(h->digest_size);
	LONGS_EQUAL(0, h->init(st.b));
	size_t left = 1000000;
	while (left >= piece.size()) {
		h->update(st.b, piece.data(), piece.size());
		left -= piece.size();
	}
	h->update(st.b, piece.data(), left);
	LONGS_EQUAL(0, h->final(st.b, out.data()));
	return out;
}

struct hash_case {
	const kgss_hash_class *h;
	const char *ossl; // OpenSSL's name for the same hash
};

std::vector<hash_case> all_hashes()
{
	std::vector<hash_case> v = {
		{&kgss_builtin_sha1, "SHA1"}, {&kgss_builtin_sha256, "SHA256"}, {&kgss_builtin_sha384, "SHA384"}};
#if KGSS_WITH_RC4
	v.push_back({&kgss_builtin_md5, "MD5"});
#endif
	return v;
}

} // namespace

TEST_GROUP(hash_kat){};

TEST(hash_kat, class_shapes)
{
	for (const auto &c : all_hashes()) {
		CHECK(c.h->context_size <= KGSS_HASH_STATE_MAX);
		CHECK(c.h->init && c.h->update && c.h->final && c.h->copy && c.h->clear);
	}
	LONGS_EQUAL(20, kgss_builtin_sha1.digest_size);
	LONGS_EQUAL(64, kgss_builtin_sha1.block_size);
	LONGS_EQUAL(32, kgss_builtin_sha256.digest_size);
	LONGS_EQUAL(64, kgss_builtin_sha256.block_size);
	LONGS_EQUAL(48, kgss_builtin_sha384.digest_size);
	LONGS_EQUAL(128, kgss_builtin_sha384.block_size);
#if KGSS_WITH_RC4
	LONGS_EQUAL(16, kgss_builtin_md5.digest_size);
	LONGS_EQUAL(64, kgss_builtin_md5.block_size);
#endif
}

// FIPS 180-4 examples (SHA1.pdf): "abc", the 448-bit message, 10^6 x 'a'.
TEST(hash_kat, sha1_fips180)
{
	const kgss_hash_class *h = &kgss_builtin_sha1;
	CHECK(hex("a9993e364706816aba3e25717850c26c9cd0d89d") == pt::digest(h, ABC));
	CHECK(hex("84983e441c3bd26ebaae4aa1f95129e5e54670f1") == pt::digest(h, MSG448));
	CHECK(hex("34aa973cd4c4daa4f61eeb2bdbad27316534016f") == million_a(h));
}

// FIPS 180-4 examples (SHA256.pdf).
TEST(hash_kat, sha256_fips180)
{
	const kgss_hash_class *h = &kgss_builtin_sha256;
	CHECK(hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == pt::digest(h, ABC));
	CHECK(hex("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1") == pt::digest(h, MSG448));
	CHECK(hex("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") == million_a(h));
}

// FIPS 180-4 examples (SHA384.pdf): "abc" and the 896-bit two-block message;
// 10^6 x 'a' is FIPS 180-2 Appendix D.3.  The 448-bit message (one SHA-384
// block) is from DI Management's "Test vectors for SHA-1, SHA-2 and SHA-3"
// (di-mgt.com.au/sha_testvectors.html); OpenSSL 3.0 `openssl dgst -sha384`
// gives the same value.
TEST(hash_kat, sha384_fips180)
{
	const kgss_hash_class *h = &kgss_builtin_sha384;
	CHECK(hex("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded163"
		  "1a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7") == pt::digest(h, ABC));
	CHECK(hex("09330c33f71147e83d192fc782cd1b4753111b173b3b05d2"
		  "2fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039") == pt::digest(h, MSG896));
	CHECK(hex("3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05ab"
		  "fe8f450de5f36bc6b0455a8520bc4e6f5fe95b1fe3c8452b") == pt::digest(h, MSG448));
	CHECK(hex("9d0e1809716474cb086e834e310a4a1ced149e9c00f24852"
		  "7972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985") == million_a(h));
}

#if KGSS_WITH_RC4
// RFC 1321 Appendix A.5, the whole test suite.
TEST(hash_kat, md5_rfc1321)
{
	const kgss_hash_class *h = &kgss_builtin_md5;
	CHECK(hex("d41d8cd98f00b204e9800998ecf8427e") == pt::digest(h, std::string("")));
	CHECK(hex("0cc175b9c0f1b6a831c399e269772661") == pt::digest(h, std::string("a")));
	CHECK(hex("900150983cd24fb0d6963f7d28e17f72") == pt::digest(h, std::string("abc")));
	CHECK(hex("f96b697d7cb7938d525a2f31aaf161d0") == pt::digest(h, std::string("message digest")));
	CHECK(hex("c3fcd3d76192e4007dfb496cca67e13b") == pt::digest(h, std::string("abcdefghijklmnopqrstuvwxyz")));
	CHECK(hex("d174ab98d277d9f5a5611c2c9f419d9f") ==
	      pt::digest(h, std::string("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")));
	CHECK(hex("57edf4a22be3c955ac49da2e2107b67a") == pt::digest_repeat(h, "1234567890", 8));
}
#endif

TEST_GROUP(hash_props){};

// Every split of messages around the block and padding boundaries gives the
// one-shot digest, and that digest is OpenSSL's.
TEST(hash_props, incremental_equals_oneshot)
{
	uint64_t seed = 0x1234;
	const size_t lens[] = {0, 1, 55, 56, 57, 63, 64, 65, 111, 112, 113, 119, 120, 127, 128, 129, 191, 192, 255, 257, 300};
	for (const auto &c : all_hashes()) {
		for (size_t len : lens) {
			bytes m(len + 1);
			kt::fill_random(seed, m.data(), m.size());
			const bytes ref = pt::digest(c.h, m.data(), len);
			CHECK_TRUE(ref == pt::openssl_digest(c.ossl, m.data(), len));
			for (size_t a = 0; a <= len; a++) {
				size_t b = a + (len - a) / 2;
				if (pt::digest_split(c.h, m.data(), len, a, b) != ref) {
					FAIL(("split mismatch " + std::string(c.h->name) + " len " + std::to_string(len) +
					      " at " + std::to_string(a) + "," + std::to_string(b))
						     .c_str());
				}
			}
			// Byte at a time.
			pt::state_buf st;
			bytes out(c.h->digest_size);
			LONGS_EQUAL(0, c.h->init(st.b));
			for (size_t i = 0; i < len; i++)
				c.h->update(st.b, m.data() + i, 1);
			LONGS_EQUAL(0, c.h->final(st.b, out.data()));
			CHECK_TRUE(out == ref);
		}
	}
}

// Long random messages in random pieces, against OpenSSL.
TEST(hash_props, random_vs_openssl)
{
	uint64_t seed = 0xfeed;
	for (const auto &c : all_hashes()) {
		for (int it = 0; it < 40; it++) {
			uint8_t r[4];
			kt::fill_random(seed, r, sizeof r);
			size_t len = ((size_t)r[0] << 8 | r[1]) % 5000;
			bytes m(len);
			kt::fill_random(seed, m.data(), len);
			size_t a = len ? r[2] % (len + 1) : 0;
			size_t b = a + (len - a) * r[3] / 255;
			CHECK_TRUE(pt::digest_split(c.h, m.data(), len, a, b) == pt::openssl_digest(c.ossl, m.data(), len));
		}
	}
}

// copy(): the copy and the original continue independently; copying from
// one source many times works (HMAC precomputed pads).
TEST(hash_props, copy_independence)
{
	uint64_t seed = 77;
	for (const auto &c : all_hashes()) {
		bytes prefix(150), x(70), y(201);
		kt::fill_random(seed, prefix.data(), prefix.size());
		kt::fill_random(seed, x.data(), x.size());
		kt::fill_random(seed, y.data(), y.size());
		bytes px = prefix, py = prefix;
		px.insert(px.end(), x.begin(), x.end());
		py.insert(py.end(), y.begin(), y.end());

		pt::state_buf src, d1, d2;
		LONGS_EQUAL(0, c.h->init(src.b));
		c.h->update(src.b, prefix.data(), prefix.size());
		LONGS_EQUAL(0, c.h->copy(d1.b, src.b));
		LONGS_EQUAL(0, c.h->copy(d2.b, src.b));
		c.h->update(d1.b, x.data(), x.size());
		c.h->update(src.b, y.data(), y.size());
		bytes o1(c.h->digest_size), o2(c.h->digest_size), o3(c.h->digest_size);
		LONGS_EQUAL(0, c.h->final(d1.b, o1.data()));
		LONGS_EQUAL(0, c.h->final(src.b, o2.data()));
		c.h->update(d2.b, x.data(), x.size());
		LONGS_EQUAL(0, c.h->final(d2.b, o3.data()));
		CHECK_TRUE(o1 == pt::openssl_digest(c.ossl, px.data(), px.size()));
		CHECK_TRUE(o2 == pt::openssl_digest(c.ossl, py.data(), py.size()));
		CHECK_TRUE(o3 == o1);
	}
}

// final() and clear() wipe the whole state; a dead state is refused by
// final() and copy() instead of producing a digest of garbage.
TEST(hash_props, final_and_clear_wipe_and_kill)
{
	for (const auto &c : all_hashes()) {
		pt::state_buf st, cp;
		bytes out(c.h->digest_size);
		LONGS_EQUAL(0, c.h->init(st.b));
		c.h->update(st.b, "secret key material", 19);
		LONGS_EQUAL(0, c.h->final(st.b, out.data()));
		CHECK(kgss::ct_all_equal(st.b, 0, c.h->context_size));
		CHECK(c.h->final(st.b, out.data()) != 0);
		CHECK(kgss::ct_all_equal(out.data(), 0, out.size())); // failed final zeroes the digest
		CHECK(c.h->copy(cp.b, st.b) != 0);

		LONGS_EQUAL(0, c.h->init(st.b));
		c.h->update(st.b, "secret key material", 19);
		c.h->clear(st.b);
		CHECK(kgss::ct_all_equal(st.b, 0, c.h->context_size));
		CHECK(c.h->final(st.b, out.data()) != 0);
	}
}

// White-box: a message longer than the 2^64-bit limit of SHA-1 / SHA-256
// (FIPS 180-4 section 5.1.1) latches a failure that final() reports.
TEST(hash_props, sha1_sha256_length_limit)
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
		h->update(st.b, data, 15);         // total 2^61 - 1 bytes: still legal
		LONGS_EQUAL(0, h->copy(st2.b, st.b));
		LONGS_EQUAL(0, h->final(st.b, out));
		h->update(st2.b, data, 1); // 2^61 bytes = 2^64 bits: too long
		CHECK(h->final(st2.b, out) != 0);
	}
}
