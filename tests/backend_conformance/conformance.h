// tests/backend_conformance/conformance.h - the backend conformance suite:
// every check of the kgss_crypto.h contract and every primitive known answer
// (tests/vectors/primitives_*.txt) over every entry of backends.cc.
//
// Tests are registered at start-up, one CppUTest test per (backend,
// primitive, check): group "<backend>_<primitive>" (snake_case, e.g.
// "builtin_portable_aes128"), test "<check>" (e.g. "known_answers").  A
// primitive an entry lacks (NULL class, or a CPU without the instruction)
// prints "unavailable: <backend> <primitive>" and gets no test at all, so it
// can never count as a pass.  A class already registered under an earlier
// entry (builtin's run-time table reuses the SIMD entries' classes) prints
// "same class: ..." and is not registered twice.
#ifndef KGSS_TEST_CONFORMANCE_H
#define KGSS_TEST_CONFORMANCE_H

#include <functional>
#include <string>
#include <vector>

#include "backends.h"
#include "kgss_crypto.h"
#include "testutil.h"

namespace bc {

using kt::bytes;

// What a slot of kgss_crypto_backend (or the backend's kgss_prng) holds.
enum class kind { block, stream, hash, engine, prng };

// One primitive of a backend under test.
struct prim {
	const kbe::backend *b;
	const char *name; // "aes128", "sha384", "cbc_sha1", "prng" ...
	kind k;
	const void *cls; // the class (prng: the kgss_prng)
	const kgss_block_cipher_class *block() const { return static_cast<const kgss_block_cipher_class *>(cls); }
	const kgss_stream_cipher_class *stream() const { return static_cast<const kgss_stream_cipher_class *>(cls); }
	const kgss_hash_class *hash() const { return static_cast<const kgss_hash_class *>(cls); }
	const kgss_cbc_hash_class *engine() const { return static_cast<const kgss_cbc_hash_class *>(cls); }
	const kgss_prng *prng() const { return static_cast<const kgss_prng *>(cls); }
};

// A check: its test name and body.
struct check {
	const char *name;
	void (*run)(const prim &p);
};

// Checks per kind (block.cc, hash.cc, stream.cc, engine.cc, prng.cc).
const std::vector<check> &block_checks();
const std::vector<check> &stream_checks();
const std::vector<check> &hash_checks();
const std::vector<check> &engine_checks();
const std::vector<check> &prng_checks();

// State memory as the library provides it: aligned, the family's maximum.
struct alignas(KGSS_STATE_ALIGN) cipher_state {
	uint8_t b[KGSS_CIPHER_STATE_MAX];
};
struct alignas(KGSS_STATE_ALIGN) hash_state {
	uint8_t b[KGSS_HASH_STATE_MAX];
};
struct alignas(KGSS_STATE_ALIGN) stream_state {
	uint8_t b[KGSS_STREAM_STATE_MAX];
};

// ---- independent reference: OpenSSL EVP on its default library context, a
// code path separate from every backend's tables (reference.cc) ----
// Cipher by primitive name ("aes128", "camellia256", "des3"), no padding.
bytes ref_ecb(const char *prim, const bytes &key, const bytes &in, bool enc);
bytes ref_cbc(const char *prim, const bytes &key, const bytes &iv, const bytes &in, bool enc);
// Digest by primitive name ("md5", "sha1", "sha256", "sha384").
bytes ref_digest(const char *prim, const uint8_t *data, size_t len);
// RC4 (OpenSSL legacy provider) applied to data.
bytes ref_rc4(const bytes &key, const bytes &data);

// Runs f on each vector of tests/vectors/<file> whose `field` is p.name,
// counts it for the exit report, and fails when there was none.
void for_each_vector(const prim &p, const char *file, const char *field,
		     const std::function<void(const kt::vector_block &)> &f);

// Runs one(t, i) for i in [0, iterations) on `threads` threads at once;
// checks that every call returned true.
void run_threads(int threads, int iterations, const std::function<bool(int t, int i)> &one);

// True when every byte of p[0..n) is zero.
bool all_zero(const void *p, size_t n);

} // namespace bc

#endif
