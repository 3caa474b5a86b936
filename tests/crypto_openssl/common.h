// tests/crypto_openssl/common.h - small helpers shared by the OpenSSL backend
// tests: aligned state buffers and thin wrappers over the class interface
// that fail the current test when a primitive reports an error.
#ifndef KGSS_TEST_OPENSSL_COMMON_H
#define KGSS_TEST_OPENSSL_COMMON_H

#include "kgss_crypto.h"
#include "testutil.h"

#include <CppUTest/TestHarness.h>
#include <string.h>

namespace kto {

using kt::bytes;

// State memory as the library provides it: aligned, at least *_STATE_MAX bytes.
struct alignas(KGSS_STATE_ALIGN) cipher_state {
	uint8_t b[KGSS_CIPHER_STATE_MAX];
};
struct alignas(KGSS_STATE_ALIGN) hash_state {
	uint8_t b[KGSS_HASH_STATE_MAX];
};
struct alignas(KGSS_STATE_ALIGN) stream_state {
	uint8_t b[KGSS_STREAM_STATE_MAX];
};

// One keyed block cipher schedule, cleared on scope exit.
struct schedule {
	const kgss_block_cipher_class *c;
	cipher_state st;
	schedule(const kgss_block_cipher_class *cls, const bytes &key) : c(cls)
	{
		CHECK(c != nullptr);
		LONGS_EQUAL(0, c->init(st.b, key.data(), key.size()));
	}
	~schedule() { c->clear(st.b); }
	bytes ecb(bytes d, bool enc) const
	{
		size_t n = d.size() / c->block_size;
		LONGS_EQUAL(0, enc ? c->ecb_encrypt(st.b, d.data(), n) : c->ecb_decrypt(st.b, d.data(), n));
		return d;
	}
};

inline bytes digest(const kgss_hash_class *h, const void *data, size_t len)
{
	hash_state st;
	LONGS_EQUAL(0, h->init(st.b));
	h->update(st.b, data, len);
	bytes out(h->digest_size);
	LONGS_EQUAL(0, h->final(st.b, out.data()));
	return out;
}

} // namespace kto

#endif
