// tests/crypto_builtin_hash/prims_util.cc
#include "prims_util.h"

#include <openssl/evp.h>

#include <CppUTest/TestHarness.h>

namespace pt {

kt::bytes digest(const kgss_hash_class *h, const void *data, size_t len)
{
	return digest_split(h, static_cast<const uint8_t *>(data), len, len, len);
}

kt::bytes digest_repeat(const kgss_hash_class *h, const std::string &chunk, size_t count)
{
	state_buf st;
	kt::bytes out(h->digest_size);
	CHECK(h->context_size <= KGSS_HASH_STATE_MAX);
	LONGS_EQUAL(0, h->init(st.b));
	for (size_t i = 0; i < count; i++)
		h->update(st.b, chunk.data(), chunk.size());
	LONGS_EQUAL(0, h->final(st.b, out.data()));
	return out;
}

kt::bytes digest_split(const kgss_hash_class *h, const uint8_t *data, size_t len, size_t a, size_t b)
{
	state_buf st;
	kt::bytes out(h->digest_size);
	CHECK(h->context_size <= KGSS_HASH_STATE_MAX);
	CHECK(a <= b && b <= len);
	LONGS_EQUAL(0, h->init(st.b));
	h->update(st.b, data, a);
	h->update(st.b, data + a, b - a);
	h->update(st.b, data + b, len - b);
	LONGS_EQUAL(0, h->final(st.b, out.data()));
	return out;
}

kt::bytes openssl_digest(const char *name, const uint8_t *data, size_t len)
{
	const EVP_MD *md = EVP_get_digestbyname(name);
	CHECK(md != nullptr);
	kt::bytes out((size_t)EVP_MD_get_size(md));
	unsigned int n = 0;
	CHECK(EVP_Digest(data, len, out.data(), &n, md, nullptr) == 1);
	CHECK(n == out.size());
	return out;
}

} // namespace pt
