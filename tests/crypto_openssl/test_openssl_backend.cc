// tests/crypto_openssl/test_openssl_backend.cc - what only the OpenSSL 3
// backend does beyond the kgss_crypto.h contract.  The contract itself, the
// known answers, the differential runs against EVP, threads and schedule
// rotation run in tests/backend_conformance with every other backend.  Here:
// the one table with every primitive (RC4 through the legacy provider), a
// schedule that holds the raw key and is refused once cleared or when handed
// to another class, hash states refused once dead, and a failed update()
// latched until final().
#include "tests/crypto_openssl/common.h"

#include <algorithm>

using namespace kto;

static const kgss_crypto_backend *B() { return kgss_crypto_openssl(); }

TEST_GROUP(openssl_table){};

TEST(openssl_table, one_table_with_every_primitive)
{
	const kgss_crypto_backend *b = B();
	CHECK(b != nullptr);
	CHECK(b == kgss_crypto_openssl()); // one table, built once
	LONGS_EQUAL(KGSS_CRYPTO_ABI_VERSION, b->abi_version);
	STRCMP_EQUAL("openssl", b->name);
	CHECK(b->aes128 && b->aes256 && b->camellia128 && b->camellia256 && b->des3);
	CHECK(b->md5 && b->sha1 && b->sha256 && b->sha384);
	// RC4 needs OpenSSL's legacy provider, which the test machine has
	// (libssl3: ossl-modules/legacy.so); without it rc4 must be NULL, not
	// broken (test_openssl_no_legacy).
	CHECK_TEXT(b->rc4 != nullptr, "legacy provider (RC4) not loadable on this machine");
	// No stitched engines: the library keeps its two-pass path.
	CHECK(b->cbc_sha1 == nullptr && b->cbc_sha256 == nullptr && b->cbc_sha384 == nullptr);
}

TEST_GROUP(openssl_dead_state){};

// The schedule holds the raw key while keyed (the per-thread EVP contexts are
// keyed from it); once cleared, and on another class's schedule, every
// operation is refused instead of running on stale or foreign key material.
TEST(openssl_dead_state, block_schedules)
{
	const kgss_block_cipher_class *cls[] = {B()->aes128, B()->aes256, B()->camellia128, B()->camellia256,
						B()->des3};
	for (const kgss_block_cipher_class *c : cls) {
		bytes key(c->key_size, 0x42), data(c->block_size, 0), iv(c->block_size, 0);
		cipher_state st;
		LONGS_EQUAL(0, c->init(st.b, key.data(), key.size()));
		LONGS_EQUAL(0, c->ecb_encrypt(st.b, data.data(), 1));
		CHECK(std::search(st.b, st.b + c->context_size, key.begin(), key.end()) != st.b + c->context_size);
		c->clear(st.b);
		CHECK(c->ecb_encrypt(st.b, data.data(), 1) != 0);
		CHECK(c->ecb_decrypt(st.b, data.data(), 1) != 0);
		CHECK(c->cbc_encrypt(st.b, iv.data(), data.data(), 1) != 0);
		CHECK(c->cbc_decrypt(st.b, iv.data(), data.data(), 1) != 0);
		CHECK(c->cbc_mac(st.b, iv.data(), data.data(), 1) != 0);
	}
	cipher_state st;
	bytes k16(16, 1), blk(16, 0);
	LONGS_EQUAL(0, B()->aes128->init(st.b, k16.data(), 16));
	CHECK(B()->camellia128->ecb_encrypt(st.b, blk.data(), 1) != 0);
	B()->aes128->clear(st.b);
}

// After final() or clear() a hash state is dead: final() and copy() refuse it
// (the copy's destination stays clear()-safe).  A bad update() (NULL data,
// nonzero length) is latched and reported by final().
TEST(openssl_dead_state, hashes)
{
	for (const kgss_hash_class *h : {B()->md5, B()->sha1, B()->sha256, B()->sha384}) {
		hash_state st, d;
		bytes out(h->digest_size);
		LONGS_EQUAL(0, h->init(st.b));
		h->update(st.b, "abc", 3);
		LONGS_EQUAL(0, h->final(st.b, out.data()));
		CHECK(h->final(st.b, out.data()) != 0);
		CHECK(h->copy(d.b, st.b) != 0);
		h->clear(d.b);
		LONGS_EQUAL(0, h->init(st.b));
		h->clear(st.b);
		CHECK(h->final(st.b, out.data()) != 0);
		LONGS_EQUAL(0, h->init(st.b));
		h->update(st.b, nullptr, 5);
		h->update(st.b, "abc", 3);
		CHECK(h->final(st.b, out.data()) != 0);
	}
}

TEST(openssl_dead_state, rc4)
{
	const kgss_stream_cipher_class *rc4 = B()->rc4;
	CHECK(rc4 != nullptr);
	stream_state st;
	bytes key(16, 7), d(10, 0);
	LONGS_EQUAL(0, rc4->init(st.b, key.data(), key.size()));
	LONGS_EQUAL(0, rc4->apply(st.b, d.data(), d.size()));
	rc4->clear(st.b);
	CHECK(rc4->apply(st.b, d.data(), d.size()) != 0);
}
