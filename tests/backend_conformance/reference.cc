// tests/backend_conformance/reference.cc - the independent reference of the
// differential checks: OpenSSL EVP called directly on its default library
// context (fresh objects per call), a code path of its own next to every
// backend under test, the OpenSSL backend included (private library context,
// per-thread caches, its own CBC chaining).
#include <CppUTest/TestHarness.h>

#include <openssl/evp.h>
#include <openssl/provider.h>

#include <cstring>

#include "conformance.h"

namespace bc {

namespace {

const char *evp_cipher_name(const char *prim, bool cbc)
{
	struct row {
		const char *prim, *ecb, *cbc;
	} static const rows[] = {
		{"aes128", "AES-128-ECB", "AES-128-CBC"},
		{"aes256", "AES-256-ECB", "AES-256-CBC"},
		{"camellia128", "CAMELLIA-128-ECB", "CAMELLIA-128-CBC"},
		{"camellia256", "CAMELLIA-256-ECB", "CAMELLIA-256-CBC"},
		{"des3", "DES-EDE3-ECB", "DES-EDE3-CBC"},
	};
	for (const row &r : rows)
		if (std::strcmp(r.prim, prim) == 0)
			return cbc ? r.cbc : r.ecb;
	FAIL(prim);
	return nullptr;
}

bytes evp_cipher(const char *name, const bytes &key, const bytes *iv, const bytes &in, bool enc)
{
	EVP_CIPHER *c = EVP_CIPHER_fetch(nullptr, name, nullptr);
	CHECK_TEXT(c != nullptr, name);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	CHECK(ctx != nullptr);
	bytes out(in.size() + 32);
	int l1 = 0, l2 = 0;
	CHECK(EVP_CipherInit_ex2(ctx, c, key.data(), iv ? iv->data() : nullptr, enc ? 1 : 0, nullptr) == 1);
	CHECK(EVP_CIPHER_CTX_set_padding(ctx, 0) == 1);
	CHECK(EVP_CipherUpdate(ctx, out.data(), &l1, in.data(), (int)in.size()) == 1);
	CHECK(EVP_CipherFinal_ex(ctx, out.data() + l1, &l2) == 1);
	out.resize((size_t)(l1 + l2));
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(c);
	CHECK_EQUAL(in.size(), out.size());
	return out;
}

} // namespace

bytes ref_ecb(const char *prim, const bytes &key, const bytes &in, bool enc)
{
	return evp_cipher(evp_cipher_name(prim, false), key, nullptr, in, enc);
}

bytes ref_cbc(const char *prim, const bytes &key, const bytes &iv, const bytes &in, bool enc)
{
	return evp_cipher(evp_cipher_name(prim, true), key, &iv, in, enc);
}

bytes ref_digest(const char *prim, const uint8_t *data, size_t len)
{
	EVP_MD *md = EVP_MD_fetch(nullptr, prim, nullptr); // "md5", "sha1", "sha256", "sha384"
	CHECK_TEXT(md != nullptr, prim);
	bytes out((size_t)EVP_MD_get_size(md));
	unsigned int n = 0;
	CHECK(EVP_Digest(len ? data : (const uint8_t *)"", len, out.data(), &n, md, nullptr) == 1);
	CHECK_EQUAL(out.size(), (size_t)n);
	EVP_MD_free(md);
	return out;
}

bytes ref_rc4(const bytes &key, const bytes &data)
{
	// RC4 lives in the legacy provider; the default one is loaded next to it
	// (loading any provider explicitly stops OpenSSL loading the default).
	static OSSL_PROVIDER *legacy = OSSL_PROVIDER_load(nullptr, "legacy");
	static OSSL_PROVIDER *deflt = OSSL_PROVIDER_load(nullptr, "default");
	CHECK_TEXT(legacy != nullptr && deflt != nullptr, "OpenSSL legacy provider (RC4) not loadable");
	EVP_CIPHER *rc4 = EVP_CIPHER_fetch(nullptr, "RC4", nullptr);
	CHECK(rc4 != nullptr);
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	CHECK(EVP_EncryptInit_ex2(c, rc4, nullptr, nullptr, nullptr) == 1);
	CHECK(EVP_CIPHER_CTX_set_key_length(c, (int)key.size()) == 1);
	CHECK(EVP_EncryptInit_ex2(c, nullptr, key.data(), nullptr, nullptr) == 1);
	bytes out(data.size() + 1);
	int n = 0;
	CHECK(EVP_EncryptUpdate(c, out.data(), &n, data.data(), (int)data.size()) == 1);
	out.resize((size_t)n);
	EVP_CIPHER_CTX_free(c);
	EVP_CIPHER_free(rc4);
	return out;
}

} // namespace bc
