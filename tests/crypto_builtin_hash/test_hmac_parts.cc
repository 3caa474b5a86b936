// tests/crypto_builtin_hash/test_hmac_parts.cc - the one-call HMAC
// (kgss_hash_class.hmac_parts, kgss_crypto.h) of the SHA-NI classes and the
// library's use of it (kgss::mac_oneshot, crypto/mac.h):
//   - differential: hmac_parts == OpenSSL HMAC for random keys, every total
//     length 0..300 and random splits into 1..8 parts (empty parts, parts
//     straddling blocks, a last block with and without room for the length);
//   - the contract: both states only read, bad states refused with a zeroed
//     MAC, a failing class's MAC wiped by the library, a declining class
//     leaving the library's step-by-step path to run;
//   - mac_oneshot over a seglist (head, DATA / SIGN_ONLY / skipped iov
//     entries, tail) == mac_begin / mac_update_segs / mac_end, and its
//     refusals (too many segments, CMAC keys, classes without hmac_parts).
// On a CPU without SHA extensions the class tests print "SKIPPED:".
#include <stdio.h>
#include <string.h>

#include <algorithm>
#include <string>
#include <vector>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "crypto/enctypes/profile.h"
#include "crypto/mac.h"
#include "prims_util.h"

#include <CppUTest/TestHarness.h>

using kt::bytes;
using kt::to_hex;

namespace {

struct hclass {
	const kgss_hash_class *h;
	const EVP_MD *md;
};

// The classes with hmac_parts this build and CPU can run.
std::vector<hclass> classes()
{
	std::vector<hclass> v;
	if (kgss::cpu_has_shani() && kgss_builtin_sha1_ni.hmac_parts != nullptr) {
		v.push_back({&kgss_builtin_sha1_ni, EVP_sha1()});
		v.push_back({&kgss_builtin_sha256_ni, EVP_sha256()});
	}
	return v;
}

bool skipped()
{
	if (!classes().empty())
		return false;
	printf("\nSKIPPED: no SHA extensions (or no SHA-NI build): hmac_parts not tested\n");
	return true;
}

bytes openssl_hmac(const EVP_MD *md, const bytes &key, const bytes &data)
{
	unsigned char out[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	static const unsigned char empty = 0;
	CHECK(HMAC(md, key.empty() ? &empty : key.data(), (int)key.size(), data.empty() ? &empty : data.data(),
		   data.size(), out, &n) != nullptr);
	return bytes(out, out + n);
}

// data cut into nparts pieces at random points (pieces may be empty; an
// empty piece gets a NULL pointer now and then).
std::vector<kgss_hash_part> cut(uint64_t &seed, const bytes &data, size_t nparts)
{
	std::vector<size_t> at = {0, data.size()};
	for (size_t i = 1; i < nparts; i++) {
		uint8_t r[2];
		kt::fill_random(seed, r, sizeof r);
		at.push_back(data.empty() ? 0 : ((size_t)r[0] << 8 | r[1]) % (data.size() + 1));
	}
	std::sort(at.begin(), at.end());
	std::vector<kgss_hash_part> parts;
	for (size_t i = 0; i + 1 < at.size(); i++) {
		const size_t len = at[i + 1] - at[i];
		parts.push_back({len == 0 && i % 2 ? nullptr : data.data() + at[i], len});
	}
	return parts;
}

} // namespace

TEST_GROUP(hmac_parts){};

TEST(hmac_parts, only_the_sha_ni_classes_provide_it)
{
	const kgss_crypto_backend *p = kgss_crypto_builtin_portable();
	for (const kgss_hash_class *h : {p->md5, p->sha1, p->sha256, p->sha384})
		if (h)
			CHECK_TEXT(h->hmac_parts == nullptr, h->name);
	CHECK(kgss_builtin_sha384_avx2.hmac_parts == nullptr);
	for (const hclass &c : classes())
		CHECK_TEXT(c.h->hmac_parts != nullptr, c.h->name);
}

TEST(hmac_parts, equals_openssl_on_random_parts)
{
	if (skipped())
		return;
	uint64_t seed = 0x70617274u;
	size_t runs = 0;
	for (const hclass &c : classes()) {
		const kgss_hash_class *h = c.h;
		const size_t bs = h->block_size;
		for (size_t klen : {(size_t)0, (size_t)16, (size_t)32, bs + 1}) {
			bytes key(klen);
			kt::fill_random(seed, key.data(), key.size());
			kgss::hmac_key k;
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss::hmac_key_init(&k, h, key.data(), key.size()));
			const bytes inner_before(k.inner, k.inner + h->context_size);
			const bytes outer_before(k.outer, k.outer + h->context_size);
			for (size_t len = 0; len <= 300; len++) {
				bytes data(len);
				kt::fill_random(seed, data.data(), data.size());
				const std::string want = to_hex(openssl_hmac(c.md, key, data));
				for (size_t nparts : {(size_t)1, (size_t)2, (size_t)3, (size_t)8}) {
					const std::vector<kgss_hash_part> parts = cut(seed, data, nparts);
					bytes mac(h->digest_size, 0xee);
					const std::string what = std::string(h->name) + " key " + std::to_string(klen) +
								 " len " + std::to_string(len) + " parts " +
								 std::to_string(nparts);
					LONGS_EQUAL_TEXT(
						0,
						h->hmac_parts(k.inner, k.outer, parts.data(), parts.size(), mac.data()),
						what.c_str());
					STRCMP_EQUAL_TEXT(want.c_str(), to_hex(mac).c_str(), what.c_str());
					runs++;
				}
			}
			CHECK_TRUE(bytes(k.inner, k.inner + h->context_size) == inner_before); // only read
			CHECK_TRUE(bytes(k.outer, k.outer + h->context_size) == outer_before);
			kgss::hmac_key_clear(&k);
		}
	}
	CHECK(runs >= 2 * 4 * 301 * 4);
}

// States that are not "one block absorbed" (a fresh init, two blocks, a dead
// state) are refused with nonzero and a zeroed MAC.
TEST(hmac_parts, refuses_bad_states)
{
	if (skipped())
		return;
	for (const hclass &c : classes()) {
		const kgss_hash_class *h = c.h;
		const bytes key(20, 0x0b), block(h->block_size, 0x36), msg(100, 1);
		const kgss_hash_part part = {msg.data(), msg.size()};
		kgss::hmac_key k;
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss::hmac_key_init(&k, h, key.data(), key.size()));
		pt::state_buf bad;
		bytes mac(h->digest_size), scratch(h->digest_size);
		auto refused = [&](const void *inner, const void *outer, const char *what) {
			memset(mac.data(), 0xee, mac.size());
			CHECK_TEXT(h->hmac_parts(inner, outer, &part, 1, mac.data()) < 0, what);
			CHECK_TEXT(mac == bytes(h->digest_size, 0), what);
		};
		LONGS_EQUAL(0, h->init(bad.b));
		refused(bad.b, k.outer, "inner with nothing absorbed");
		refused(k.inner, bad.b, "outer with nothing absorbed");
		h->update(bad.b, block.data(), block.size());
		h->update(bad.b, block.data(), block.size());
		refused(bad.b, k.outer, "inner past one block");
		LONGS_EQUAL(0, h->final(bad.b, scratch.data()));
		refused(k.inner, bad.b, "dead outer");
		memset(bad.b, 0, sizeof bad.b);
		refused(bad.b, k.outer, "zeroed inner");
		kgss::hmac_key_clear(&k);
	}
}

// mac_oneshot over seglists of every shape the token code builds, against
// the step-by-step MAC; and its refusals.
TEST(hmac_parts, mac_oneshot_equals_the_step_by_step_mac)
{
	if (skipped())
		return;
	uint64_t seed = 0x6f6e6573u;
	for (const hclass &c : classes()) {
		kgss::mac_key k;
		const bytes key(16, 0x42);
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss::mac_key_init_hmac(&k, c.h, key.data(), key.size(), 25));
		for (size_t len :
		     {(size_t)0, (size_t)1, (size_t)47, (size_t)48, (size_t)128, (size_t)200, (size_t)4096}) {
			bytes conf(16), data(len), sign(len / 3 + 1), other(9, 0xcc), hdr(16), tail(5);
			for (bytes *b : {&conf, &data, &sign, &hdr, &tail})
				kt::fill_random(seed, b->data(), b->size());
			kgss_iov iov[4] = {{KGSS_IOV_HEADER, {other.size(), other.data()}},
					   {KGSS_IOV_DATA, {data.size(), data.data()}},
					   {KGSS_IOV_SIGN_ONLY, {sign.size(), sign.data()}},
					   {KGSS_IOV_PADDING, {other.size(), other.data()}}};
			kgss::seglist segs;
			segs.add_head(conf.data(), conf.size());
			segs.set_iov(iov, 4);
			segs.add_tail(hdr.data(), hdr.size());
			segs.add_tail(tail.data(), 0);
			segs.add_tail(tail.data(), tail.size());
			const std::string what = std::string(c.h->name) + " len " + std::to_string(len);
			bytes one(c.h->digest_size), step(c.h->digest_size);
			kgss_status st = KGSS_S_FAILURE;
			CHECK_TEXT(kgss::mac_oneshot(&k, segs, one.data(), &st), what.c_str());
			CHECK_EQUAL_TEXT(KGSS_S_COMPLETE, st, what.c_str());
			kgss::mac_run m;
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss::mac_begin(&m, &k));
			kgss::mac_update_segs(&m, segs);
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss::mac_end(&m, step.data()));
			STRCMP_EQUAL_TEXT(to_hex(step).c_str(), to_hex(one).c_str(), what.c_str());
		}
		// More non-empty segments than kMacOneshotParts: not taken, nothing written.
		std::vector<bytes> pieces(kgss::kMacOneshotParts + 1, bytes(3, 7));
		std::vector<kgss_iov> many;
		for (bytes &p : pieces)
			many.push_back({KGSS_IOV_DATA, {p.size(), p.data()}});
		kgss::seglist segs;
		segs.set_iov(many.data(), many.size());
		bytes out(c.h->digest_size, 0x5a);
		kgss_status st = KGSS_S_COMPLETE;
		CHECK_FALSE(kgss::mac_oneshot(&k, segs, out.data(), &st));
		CHECK_TRUE(out == bytes(c.h->digest_size, 0x5a));
		segs.set_iov(many.data(), kgss::kMacOneshotParts); // exactly the limit: taken
		CHECK_TRUE(kgss::mac_oneshot(&k, segs, out.data(), &st));
		CHECK_EQUAL(KGSS_S_COMPLETE, st);
		// The limit reached by the message, one more in the tail (a token
		// header): not taken either, nothing written.
		bytes hdr(16, 9);
		segs.add_tail(hdr.data(), hdr.size());
		out.assign(c.h->digest_size, 0x5a);
		CHECK_FALSE(kgss::mac_oneshot(&k, segs, out.data(), &st));
		CHECK_TRUE(out == bytes(c.h->digest_size, 0x5a));
		kgss::mac_key_clear(&k);
	}
	// A class without hmac_parts, and a CMAC key: not taken.
	kgss::mac_key k;
	const bytes key(16, 0x42), data(10, 1);
	kgss::seglist segs;
	segs.add_tail(const_cast<uint8_t *>(data.data()), data.size());
	bytes out(32);
	kgss_status st;
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss::mac_key_init_hmac(&k, &kgss_builtin_sha1, key.data(), key.size(), 25));
	CHECK_FALSE(kgss::mac_oneshot(&k, segs, out.data(), &st));
	kgss::mac_key_clear(&k);
	const kgss_crypto_backend *p = kgss_crypto_builtin_portable();
	if (p->camellia128) {
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss::mac_key_init_cmac(&k, p->camellia128, key.data(), key.size(), 25));
		CHECK_FALSE(kgss::mac_oneshot(&k, segs, out.data(), &st));
		kgss::mac_key_clear(&k);
	}
}

// A class whose hmac_parts declines: mac_oneshot is not taken and writes
// nothing; one that fails after writing: the library wipes the MAC.
namespace {
int declining_parts(const void *, const void *, const kgss_hash_part *, size_t, uint8_t *) { return 1; }
int dirty_failing_parts(const void *, const void *, const kgss_hash_part *, size_t, uint8_t *mac)
{
	memset(mac, 0xa5, 20);
	return -1;
}
} // namespace

TEST(hmac_parts, declined_and_failing_classes)
{
	const bytes key(20, 0x0b), data(128, 7);
	kgss::seglist segs;
	segs.add_tail(const_cast<uint8_t *>(data.data()), data.size());
	for (int fail = 0; fail < 2; fail++) {
		kgss_hash_class cls = kgss_builtin_sha1;
		cls.hmac_parts = fail ? dirty_failing_parts : declining_parts;
		kgss::mac_key k;
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss::mac_key_init_hmac(&k, &cls, key.data(), key.size(), 25));
		bytes mac(20, 0x33);
		kgss_status st = KGSS_S_COMPLETE;
		CHECK_EQUAL(fail != 0, kgss::mac_oneshot(&k, segs, mac.data(), &st));
		if (fail) {
			CHECK_EQUAL(KGSS_S_FAILURE, st);
			CHECK_TRUE(mac == bytes(20, 0));
		} else {
			CHECK_TRUE(mac == bytes(20, 0x33));
		}
		kgss::mac_key_clear(&k);
	}
}
