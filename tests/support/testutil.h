// tests/support/testutil.h - helpers shared by every test executable.
#ifndef KGSS_TESTUTIL_H
#define KGSS_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string>
#include <vector>
#include <map>

namespace kt {

using bytes = std::vector<uint8_t>;

// Lower/upper-case hex, no spaces; "-" is the empty string. Aborts the test on bad hex.
bytes hex(const std::string &s);
std::string to_hex(const uint8_t *p, size_t n);
inline std::string to_hex(const bytes &b) { return to_hex(b.data(), b.size()); }

// One block of a vector file (see tests/vectors/README.md): its kind,
// its fields in order, and the comment lines above it (provenance).
struct vector_block {
	std::string kind;                                   // e.g. "encrypt"
	std::map<std::string, std::string> f;               // field -> raw value
	std::vector<std::string> comments;                  // '#' lines before the block
	int line = 0;                                       // line of the [kind] header
	const std::string &get(const std::string &k) const; // fails the test when absent
	bool has(const std::string &k) const { return f.count(k) != 0; }
	bytes hexf(const std::string &k) const { return hex(get(k)); }
	long num(const std::string &k) const;
};

// Parses tests/vectors/<file>; fails the test if the file is missing or empty.
std::vector<vector_block> load_vectors(const std::string &file);

// Deterministic pseudo-random bytes for tests (xorshift, seeded).
void fill_random(uint64_t &seed, uint8_t *p, size_t n);

} // namespace kt

#endif
