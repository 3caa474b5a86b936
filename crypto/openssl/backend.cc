// crypto/openssl/backend.cc - the OpenSSL 3 backend's private library context
// and its public entry point kgss_crypto_openssl() (the primitive table); the
// generator on the same context, kgss_prng_openssl(), is prng.cc.
//
// The library context is created at the first call, once, by a thread-safe
// function-local static.  "default" provides AES, Camellia, DES-EDE3 and the
// hashes; "legacy" provides RC4 only.  A primitive whose algorithm cannot be
// fetched (legacy provider missing, algorithm disabled in this OpenSSL build)
// is left NULL in the table, so the library reports KGSS_S_UNAVAILABLE for the
// enctypes needing it instead of failing later.
#include "crypto/openssl/ossl.h"

#include <openssl/err.h>
#include <openssl/provider.h>

// The lazily built context and backend table rely on C++11 thread-safe
// initialisation of function-local statics; refuse to build without it.
#if !defined(__cpp_threadsafe_static_init)
#error "crypto/openssl needs thread-safe statics (do not build it with -fno-threadsafe-statics)"
#endif

namespace kgss {
namespace ossl {

namespace {

struct env_holder {
	env e;
	env_holder()
	{
		e = env{};
		// Errors raised while probing algorithms are not the caller's: drop
		// them again (pop_to_mark) without touching errors queued before us.
		ERR_set_mark();
		build();
		ERR_pop_to_mark();
	}
	void build()
	{
		e.lib = OSSL_LIB_CTX_new();
		if (!e.lib)
			return;
		// The provider handles are kept loaded for the process lifetime.
		if (!OSSL_PROVIDER_load(e.lib, "default")) {
			OSSL_LIB_CTX_free(e.lib);
			e.lib = nullptr;
			return;
		}
		e.legacy_loaded = OSSL_PROVIDER_load(e.lib, "legacy") != nullptr;

		static const char *const ecb_names[K_NBLOCK] = {"AES-128-ECB", "AES-256-ECB", "CAMELLIA-128-ECB",
								"CAMELLIA-256-ECB", "DES-EDE3-ECB"};
		static const char *const cbc_names[K_NBLOCK] = {"AES-128-CBC", "AES-256-CBC", "CAMELLIA-128-CBC",
								"CAMELLIA-256-CBC", "DES-EDE3-CBC"};
		for (unsigned k = 0; k < K_NBLOCK; k++) {
			e.ecb[k] = EVP_CIPHER_fetch(e.lib, ecb_names[k], nullptr);
			e.cbc[k] = EVP_CIPHER_fetch(e.lib, cbc_names[k], nullptr);
			if (!e.ecb[k] || !e.cbc[k]) { // need both modes or neither
				EVP_CIPHER_free(e.ecb[k]);
				EVP_CIPHER_free(e.cbc[k]);
				e.ecb[k] = e.cbc[k] = nullptr;
			}
		}
		if (e.legacy_loaded)
			e.rc4 = EVP_CIPHER_fetch(e.lib, "RC4", nullptr);

		static const char *const md_names[H_NHASH] = {"MD5", "SHA1", "SHA2-256", "SHA2-384"};
		for (unsigned h = 0; h < H_NHASH; h++)
			e.md[h] = EVP_MD_fetch(e.lib, md_names[h], nullptr);
	}
	// No destructor: see ossl.h (the context outlives every user).
};

kgss_crypto_backend make_backend()
{
	const env &e = get_env();
	kgss_crypto_backend b{};
	b.abi_version = KGSS_CRYPTO_ABI_VERSION;
	b.name = "openssl";
	const kgss_block_cipher_class **blk[K_NBLOCK] = {&b.aes128, &b.aes256, &b.camellia128, &b.camellia256, &b.des3};
	for (unsigned k = 0; k < K_NBLOCK; k++)
		*blk[k] = e.ecb[k] ? &block_classes[k] : nullptr;
	b.rc4 = e.rc4 ? &rc4_class : nullptr;
	const kgss_hash_class **hs[H_NHASH] = {&b.md5, &b.sha1, &b.sha256, &b.sha384};
	for (unsigned h = 0; h < H_NHASH; h++)
		*hs[h] = e.md[h] ? &hash_classes[h] : nullptr;
	return b;
}

} // namespace

const env &get_env()
{
	static const env_holder holder; // thread-safe, built once
	return holder.e;
}

} // namespace ossl
} // namespace kgss

extern "C" const kgss_crypto_backend *kgss_crypto_openssl(void)
{
	static const kgss_crypto_backend backend = kgss::ossl::make_backend();
	return &backend;
}
