// tests/backend_conformance/backends.cc - the one list of backends under test.
//
// A run-time SIMD class of the builtin backend (crypto/builtin/backend.cc picks
// it with cpuid) gets an entry of its own: the portable table with that
// class swapped in, so the suites exercise it even where kgss_crypto_builtin()
// would pick another combination.  When the CPU lacks the instruction the
// class's primitives are NULL in that entry (never the portable class under
// the SIMD label), and the suites report them unavailable.
#include "backends.h"

#include "crypto/builtin/builtin.h"

#if KGSS_TEST_HAVE_NETTLE
#include "kgss_nettle.h"
#endif

namespace kbe {

namespace {

// The builtin ChaCha20 generator, seeded once with a fixed test seed.
const kgss_prng *builtin_prng()
{
	static kgss_chacha_prng st;
	static kgss_prng p;
	static const bool ok = [] {
		uint8_t seed[32];
		for (int i = 0; i < 32; i++)
			seed[i] = (uint8_t)(0xc4 + 7 * i);
		return kgss_chacha_prng_init(&st, seed, &p) == 0;
	}();
	return ok ? &p : nullptr;
}

// The portable table with one SIMD class set swapped in; name is the label.
template <void (*Swap)(kgss_crypto_backend &, bool)>
const kgss_crypto_backend *simd_table(bool cpu_ok, const char *name)
{
	static kgss_crypto_backend b;
	b = *kgss_crypto_builtin_portable();
	b.name = name;
	Swap(b, cpu_ok);
	return &b;
}

void swap_aesni(kgss_crypto_backend &b, bool ok)
{
#if KGSS_WITH_AES_SHA1 || KGSS_WITH_AES_SHA2
	b.aes128 = ok ? &kgss_builtin_aes128_ni : nullptr;
	b.aes256 = ok ? &kgss_builtin_aes256_ni : nullptr;
#endif
}
void swap_shani(kgss_crypto_backend &b, bool ok)
{
	b.sha1 = ok ? &kgss_builtin_sha1_ni : nullptr;
	b.sha256 = ok ? &kgss_builtin_sha256_ni : nullptr;
}
void swap_avx2(kgss_crypto_backend &b, bool ok) { b.sha384 = ok ? &kgss_builtin_sha384_avx2 : nullptr; }

// The run-time choice with the AES-NI generation of the stitched engines
// where it has the VAES one (crypto/builtin/backend.cc), so both are tested
// on a CPU with AVX-512F and VAES.
const kgss_crypto_backend *stitch_aesni_table()
{
	static kgss_crypto_backend b;
	b = *kgss_crypto_builtin();
	b.name = "builtin-stitch-aesni";
#if KGSS_BUILTIN_HAVE_STITCH
	b.cbc_sha1 = b.cbc_sha1 ? &kgss_builtin_cbc_sha1_ni : nullptr;
	b.cbc_sha256 = b.cbc_sha256 ? &kgss_builtin_cbc_sha256_ni : nullptr;
	b.cbc_sha384 = b.cbc_sha384 ? &kgss_builtin_cbc_sha384_avx2 : nullptr;
#endif
	return &b;
}

#if KGSS_TEST_HAVE_NETTLE
const kgss_prng *nettle_prng()
{
	static kgss_nettle_prng st;
	static kgss_prng p;
	static const bool ok = kgss_nettle_prng_init_getrandom(&st, &p) == 0;
	return ok ? &p : nullptr;
}
#endif

std::vector<backend> make_list()
{
	const bool aesni = kgss::cpu_has_aesni(), shani = kgss::cpu_has_shani(), avx2 = kgss::cpu_has_avx2_bmi2();
	// Order matters to the conformance suite, which tests a class once, under
	// the first entry that has it: the portable and SIMD entries come before
	// "builtin" (the run-time choice), which then owns only what no earlier
	// entry has (the stitched engines of the VAES generation, where the CPU
	// has them; builtin-stitch-aesni owns the AES-NI generation).
	// clang-format off
	return {
		{"builtin-portable", kgss_crypto_builtin_portable(), builtin_prng(), nullptr, true},
		{"builtin-aesni",    simd_table<swap_aesni>(aesni, "builtin-aesni"), builtin_prng(), "AES-NI", aesni},
		{"builtin-shani",    simd_table<swap_shani>(shani, "builtin-shani"), builtin_prng(), "SHA-NI", shani},
		{"builtin-avx2",     simd_table<swap_avx2>(avx2, "builtin-avx2"),    builtin_prng(), "AVX2+BMI2", avx2},
		{"builtin-stitch-aesni", stitch_aesni_table(),       builtin_prng(), nullptr, true},
		{"builtin",          kgss_crypto_builtin(),          builtin_prng(), nullptr, true},
#if KGSS_TEST_HAVE_OPENSSL
		{"openssl",          kgss_crypto_openssl(),          kgss_prng_openssl(), nullptr, true},
#endif
#if KGSS_TEST_HAVE_NETTLE
		{"nettle",           kgss_crypto_nettle(),           nettle_prng(), nullptr, true},
#endif
	};
	// clang-format on
}

} // namespace

const std::vector<backend> &backends()
{
	static const std::vector<backend> v = make_list();
	return v;
}

} // namespace kbe
