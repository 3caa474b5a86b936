// crypto/openssl/prng.cc - kgss_prng_openssl() (kgss_prng.h): RAND_bytes_ex
// on the OpenSSL backend's private library context (backend.cc), whose
// DRBG OpenSSL seeds and reseeds itself.
#include "crypto/openssl/ossl.h"

#include <openssl/rand.h>

namespace kgss {
namespace ossl {

namespace {

int prng_generate(void *ctx, uint8_t *out, size_t len)
{
	(void)ctx;
	if (len == 0)
		return 0;
	const env &e = get_env();
	if (!e.lib || !out)
		return -1;
	// strength 0: the DRBG's default (256 bits for the default provider)
	return RAND_bytes_ex(e.lib, out, len, 0) == 1 ? 0 : -1;
}

} // namespace

} // namespace ossl
} // namespace kgss

extern "C" const kgss_prng *kgss_prng_openssl(void)
{
	static const kgss_prng prng = {kgss::ossl::prng_generate, nullptr};
	return &prng;
}
