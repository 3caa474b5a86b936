// tests/crypto_builtin_hash/prims_util.cc
#include "prims_util.h"

#include <openssl/evp.h>

#include <CppUTest/TestHarness.h>

namespace pt {

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
