// tests/crypto_openssl/test_openssl_no_legacy.cc - the OpenSSL backend when the
// "legacy" provider cannot be loaded.  Before the backend's first use (it
// builds its library context lazily, at the first call) the test points
// OPENSSL_MODULES at an empty directory made by CMake, so the legacy module is
// not found: rc4 must then be NULL (unavailable) while every default-provider
// primitive keeps working.  The backend is used nowhere else in this process.
#include "tests/crypto_openssl/common.h"

#include <stdlib.h>

using namespace kto;

TEST_GROUP(openssl_no_legacy){};

TEST(openssl_no_legacy, rc4_unavailable_others_work)
{
	LONGS_EQUAL(0, setenv("OPENSSL_MODULES", KGSS_NO_MODULES_DIR, 1));
	const kgss_crypto_backend *b = kgss_crypto_openssl();
	CHECK(b != nullptr);
	CHECK(b->rc4 == nullptr);
	CHECK(b->aes128 && b->aes256 && b->camellia128 && b->camellia256 && b->des3);
	CHECK(b->md5 && b->sha1 && b->sha256 && b->sha384);
	// FIPS-197 C.1 and RFC 1321 A.5 still answer correctly
	schedule s(b->aes128, kt::hex("000102030405060708090a0b0c0d0e0f"));
	STRCMP_EQUAL("69c4e0d86a7b0430d8cdb78070b4c55a",
		     kt::to_hex(s.ecb(kt::hex("00112233445566778899aabbccddeeff"), true)).c_str());
	STRCMP_EQUAL("900150983cd24fb0d6963f7d28e17f72", kt::to_hex(digest(b->md5, "abc", 3)).c_str());
}
