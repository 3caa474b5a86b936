// tests/crypto_builtin_hash/test_hmac_finish.cc - the fused HMAC finish
// (kgss_hash_class.hmac_finish, kgss_crypto.h) of every builtin hash class:
//   - known answers: RFC 2202 / RFC 4231 (tests/vectors/rfc2202_rfc4231_hmac.txt)
//     and RFC 2202 HMAC-MD5 via MIT t_hmac.c (tests/vectors/mit_hmac.txt);
//   - differential: fused == the library's generic finish (the same class
//     with hmac_finish NULL) == OpenSSL HMAC, for random keys shorter and
//     longer than a block and every message length 0..300, fed in pieces;
//   - the contract: the outer state is only read, the inner state is wiped,
//     bad states are refused with a zeroed MAC, and the library wipes the MAC
//     a failing hmac_finish leaves behind.
// Classes that need a CPU extension this machine lacks are named on stdout
// and left out (the portable classes always run).
#include <stdio.h>
#include <string.h>

#include <string>
#include <vector>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "crypto/mac.h"
#include "prims_util.h"

#include <CppUTest/TestHarness.h>

using kt::bytes;
using kt::to_hex;

namespace {

struct hclass {
	const kgss_hash_class *h;
	const char *hash; // vector-file name: md5, sha1, sha256, sha384
};

// Every builtin class this build and CPU can run.
std::vector<hclass> classes()
{
	std::vector<hclass> v;
	const kgss_crypto_backend *p = kgss_crypto_builtin_portable();
	if (p->md5)
		v.push_back({p->md5, "md5"});
	v.push_back({p->sha1, "sha1"});
	v.push_back({p->sha256, "sha256"});
	v.push_back({p->sha384, "sha384"});
	if (kgss::cpu_has_shani()) {
		v.push_back({&kgss_builtin_sha1_ni, "sha1"});
		v.push_back({&kgss_builtin_sha256_ni, "sha256"});
	} else {
		printf("\nnote: sha1-ni, sha256-ni not tested: the CPU has no SHA extensions\n");
	}
	if (kgss::cpu_has_avx2_bmi2())
		v.push_back({&kgss_builtin_sha384_avx2, "sha384"});
	else
		printf("\nnote: sha384-avx2 not tested: the CPU has no AVX2 + BMI2\n");
	return v;
}

const EVP_MD *openssl_md(const char *hash)
{
	std::string s = hash;
	if (s == "md5")
		return EVP_md5();
	if (s == "sha1")
		return EVP_sha1();
	if (s == "sha256")
		return EVP_sha256();
	return EVP_sha384();
}

// The class with hmac_finish removed: the library then takes its generic path.
kgss_hash_class without_finish(const kgss_hash_class *h)
{
	kgss_hash_class g = *h;
	g.hmac_finish = nullptr;
	return g;
}

// Calls h->hmac_finish directly on states built by hmac_key_init, feeding
// data in two pieces split at `split`; checks that the outer state is
// unchanged and the inner state wiped.
bytes fused_direct(const kgss_hash_class *h, const bytes &key, const bytes &data, size_t split)
{
	kgss::hmac_key k;
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss::hmac_key_init(&k, h, key.data(), key.size()));
	bytes outer_before(k.outer, k.outer + h->context_size);
	pt::state_buf st;
	LONGS_EQUAL(0, h->copy(st.b, k.inner));
	h->update(st.b, data.data(), split);
	h->update(st.b, data.data() + split, data.size() - split);
	bytes mac(h->digest_size);
	LONGS_EQUAL(0, h->hmac_finish(st.b, k.outer, mac.data()));
	CHECK_TRUE(bytes(k.outer, k.outer + h->context_size) == outer_before); // only read
	for (size_t i = 0; i < h->context_size; i++)
		if (st.b[i] != 0)
			FAIL((std::string(h->name) + ": inner state not wiped after hmac_finish").c_str());
	kgss::hmac_key_clear(&k);
	return mac;
}

// The library's one-shot HMAC over class h (fused when h provides it).
bytes library_hmac(const kgss_hash_class *h, const bytes &key, const bytes &data)
{
	kgss::hmac_key k;
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss::hmac_key_init(&k, h, key.data(), key.size()));
	bytes mac(h->digest_size);
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss::hmac(&k, data.data(), data.size(), mac.data()));
	kgss::hmac_key_clear(&k);
	return mac;
}

bytes openssl_hmac(const char *hash, const bytes &key, const bytes &data)
{
	unsigned char out[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	static const unsigned char empty = 0;
	CHECK(HMAC(openssl_md(hash), key.empty() ? &empty : key.data(), (int)key.size(),
		   data.empty() ? &empty : data.data(), data.size(), out, &n) != nullptr);
	return bytes(out, out + n);
}

// Known answers of one vector file: fused direct, library fused, library
// generic, each compared on the output's length (RFC 4231 case 5 is truncated).
size_t check_vectors(const char *file)
{
	size_t checked = 0;
	for (const kt::vector_block &b : kt::load_vectors(file)) {
		STRCMP_EQUAL("hmac", b.kind.c_str());
		const bytes key = b.hexf("key"), data = b.hexf("input"), want = b.hexf("output");
		for (const hclass &c : classes()) {
			if (b.get("hash") != c.hash)
				continue;
			const std::string what = std::string(file) + ":" + std::to_string(b.line) + " " + c.h->name;
			CHECK_TEXT(want.size() <= c.h->digest_size, what.c_str());
			const kgss_hash_class g = without_finish(c.h);
			for (size_t split : {(size_t)0, data.size() / 2, data.size()}) {
				bytes got = fused_direct(c.h, key, data, split);
				got.resize(want.size());
				STRCMP_EQUAL_TEXT(to_hex(want).c_str(), to_hex(got).c_str(), what.c_str());
			}
			bytes lib = library_hmac(c.h, key, data), gen = library_hmac(&g, key, data);
			lib.resize(want.size());
			gen.resize(want.size());
			STRCMP_EQUAL_TEXT(to_hex(want).c_str(), to_hex(lib).c_str(), what.c_str());
			STRCMP_EQUAL_TEXT(to_hex(want).c_str(), to_hex(gen).c_str(), what.c_str());
			checked++;
		}
	}
	return checked;
}

} // namespace

TEST_GROUP(hmac_finish){};

TEST(hmac_finish, every_builtin_hash_class_provides_it)
{
	for (const kgss_crypto_backend *b : {kgss_crypto_builtin(), kgss_crypto_builtin_portable()})
		for (const kgss_hash_class *h : {b->md5, b->sha1, b->sha256, b->sha384})
			if (h)
				CHECK_TEXT(h->hmac_finish != nullptr, h->name);
	CHECK(kgss_builtin_sha1.hmac_finish && kgss_builtin_sha1_ni.hmac_finish);
	CHECK(kgss_builtin_sha256.hmac_finish && kgss_builtin_sha256_ni.hmac_finish);
	CHECK(kgss_builtin_sha384.hmac_finish && kgss_builtin_sha384_avx2.hmac_finish);
}

TEST(hmac_finish, rfc2202_rfc4231_known_answers)
{
	// 7 HMAC-SHA-1, 7 HMAC-SHA-256, 7 HMAC-SHA-384 vectors, each on at least
	// the portable class.
	CHECK(check_vectors("rfc2202_rfc4231_hmac.txt") >= 21);
}

TEST(hmac_finish, rfc2202_md5_known_answers)
{
	const size_t n = check_vectors("mit_hmac.txt");
	if (kgss_crypto_builtin_portable()->md5)
		CHECK(n >= 7);
	else
		LONGS_EQUAL(0, n);
}

// Random keys (empty, short, one below / at / above the block, longer than
// two blocks: hashed first) and every message length 0..300 - the inner
// final block empty, partial, with and without room for the length field.
TEST(hmac_finish, equals_generic_and_openssl_on_random_input)
{
	uint64_t seed = 0x686d6163u;
	size_t runs = 0;
	for (const hclass &c : classes()) {
		const kgss_hash_class *h = c.h;
		const kgss_hash_class g = without_finish(h);
		const size_t bs = h->block_size;
		const size_t klens[] = {0, 1, h->digest_size, bs - 1, bs, bs + 1, 131, 2 * bs + 5};
		for (size_t klen : klens) {
			bytes key(klen);
			kt::fill_random(seed, key.data(), key.size());
			kgss::hmac_key kf, kg;
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss::hmac_key_init(&kf, h, key.data(), key.size()));
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss::hmac_key_init(&kg, &g, key.data(), key.size()));
			for (size_t len = 0; len <= 300; len++) {
				bytes data(len);
				kt::fill_random(seed, data.data(), data.size());
				uint8_t r = 0;
				kt::fill_random(seed, &r, 1);
				const size_t split = len ? r % (len + 1) : 0;
				const std::string what = std::string(h->name) + " key " + std::to_string(klen) +
							 " len " + std::to_string(len);
				// The library, fused and generic, in two pieces.
				bytes mf(h->digest_size), mg(h->digest_size);
				kgss::hmac_run rf, rg;
				CHECK_EQUAL(KGSS_S_COMPLETE, kgss::hmac_begin(&rf, &kf));
				CHECK_EQUAL(KGSS_S_COMPLETE, kgss::hmac_begin(&rg, &kg));
				kgss::hmac_update(&rf, data.data(), split);
				kgss::hmac_update(&rf, data.data() + split, len - split);
				kgss::hmac_update(&rg, data.data(), len);
				CHECK_EQUAL(KGSS_S_COMPLETE, kgss::hmac_end(&rf, mf.data()));
				CHECK_EQUAL(KGSS_S_COMPLETE, kgss::hmac_end(&rg, mg.data()));
				const std::string want = to_hex(openssl_hmac(c.hash, key, data));
				STRCMP_EQUAL_TEXT(want.c_str(), to_hex(mg).c_str(), what.c_str());
				STRCMP_EQUAL_TEXT(want.c_str(), to_hex(mf).c_str(), what.c_str());
				if (len % 7 == 0) { // the class directly (and its state checks), on a sample
					const bytes direct = fused_direct(h, key, data, split);
					STRCMP_EQUAL_TEXT(want.c_str(), to_hex(direct).c_str(), what.c_str());
				}
				runs++;
			}
			kgss::hmac_key_clear(&kf);
			kgss::hmac_key_clear(&kg);
		}
	}
	CHECK(runs >= 4 * 8 * 301); // at least the portable SHA-1, SHA-256, SHA-384 (and MD5 or an _ni class)
}

// Refused states: a dead inner state (after final), a never-initialised one,
// an outer state that has not absorbed exactly one block.  Each gives
// nonzero, a zeroed MAC and a wiped inner state.
TEST(hmac_finish, refuses_bad_states)
{
	for (const hclass &c : classes()) {
		const kgss_hash_class *h = c.h;
		const bytes key(20, 0x0b), block(h->block_size, 0x5c);
		kgss::hmac_key k;
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss::hmac_key_init(&k, h, key.data(), key.size()));
		pt::state_buf inner, outer;
		bytes mac(h->digest_size), scratch(h->digest_size);
		auto refused = [&](const char *what) {
			memset(mac.data(), 0xee, mac.size());
			CHECK_TEXT(h->hmac_finish(inner.b, outer.b, mac.data()) != 0, what);
			CHECK_TEXT(mac == bytes(h->digest_size, 0), what);
			CHECK_TEXT(bytes(inner.b, inner.b + h->context_size) == bytes(h->context_size, 0), what);
		};
		// Dead inner state.
		LONGS_EQUAL(0, h->copy(inner.b, k.inner));
		LONGS_EQUAL(0, h->final(inner.b, scratch.data()));
		LONGS_EQUAL(0, h->copy(outer.b, k.outer));
		refused("dead inner");
		// Never-initialised (zeroed) inner state.
		memset(inner.b, 0, sizeof inner.b);
		refused("zeroed inner");
		// Outer states that absorbed 0, 2 blocks, or one block and a byte.
		for (size_t extra : {(size_t)0, h->block_size, (size_t)1}) {
			LONGS_EQUAL(0, h->copy(inner.b, k.inner));
			LONGS_EQUAL(0, h->init(outer.b));
			if (extra != 0) // one block (K ^ opad stand-in) plus extra bytes
				h->update(outer.b, block.data(), block.size());
			if (extra == 0) {
				refused("outer with nothing absorbed");
			} else {
				bytes more(extra, 1);
				h->update(outer.b, more.data(), more.size());
				refused("outer past one block");
			}
			h->clear(outer.b);
		}
		kgss::hmac_key_clear(&k);
	}
}

// A backend whose hmac_finish fails after writing: the library reports the
// failure and hands out no MAC bytes (kgss_crypto.h: the library wipes mac).
namespace {
int dirty_failing_finish(void *inner, const void *, uint8_t *mac)
{
	memset(mac, 0xa5, 20);
	memset(inner, 0, kgss_builtin_sha1.context_size);
	return -1;
}
} // namespace

TEST(hmac_finish, library_wipes_the_mac_of_a_failing_finish)
{
	kgss_hash_class bad = kgss_builtin_sha1;
	bad.hmac_finish = dirty_failing_finish;
	const bytes key(20, 0x0b), data(128, 7);
	kgss::hmac_key k;
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss::hmac_key_init(&k, &bad, key.data(), key.size()));
	bytes mac(20, 0x33);
	CHECK_EQUAL(KGSS_S_FAILURE, kgss::hmac(&k, data.data(), data.size(), mac.data()));
	CHECK_TRUE(mac == bytes(20, 0));
	kgss::hmac_key_clear(&k);
}
