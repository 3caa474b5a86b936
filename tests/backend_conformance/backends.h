// tests/backend_conformance/backends.h - THE list of crypto backends the tests
// run over (tests/backend_conformance and tests/crypto_kat): every backend the
// build has, and each run-time SIMD class of the builtin backend as a backend
// of its own.  Adding a backend is one line in backends.cc.
#ifndef KGSS_TEST_BACKENDS_H
#define KGSS_TEST_BACKENDS_H

#include <vector>

#include "kgss_crypto.h"

namespace kbe {

struct backend {
	const char *label;             // "builtin", "builtin-portable", "builtin-aesni", "openssl", "nettle" ...
	const kgss_crypto_backend *be; // its table (never NULL; a NULL primitive = unavailable)
	const kgss_prng *prng;         // its generator, or NULL when it brings none
	const char *cpu_needs;         // the CPU feature the entry exists for ("AES-NI"), or NULL
	bool cpu_ok;                   // false: the CPU lacks cpu_needs, its SIMD classes are NULL
};

// Every entry, in list order (tables resolved on the first call).
const std::vector<backend> &backends();

} // namespace kbe

#endif
