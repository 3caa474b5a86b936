// tests/support/families.h - which enctype families this build compiled in
// (the PUBLIC KGSS_WITH_* definitions of target kgss), and the bookkeeping
// every suite uses so that a case for a compiled-out enctype never silently
// vanishes: it asserts the documented behaviour instead (import ->
// KGSS_S_UNAVAILABLE, enctype_find() == NULL, builtin primitive NULL) and
// says so on stdout:
//
//   compiled out: des3 (16): import -> UNAVAILABLE checked
//
// Vector-driven suites count vectors they skip as "not applicable (compiled
// out)" and the ones they run; the shared main() prints the tally and fails
// the executable when a suite that registered vectors ran none at all.
#ifndef KGSS_TEST_FAMILIES_H
#define KGSS_TEST_FAMILIES_H

#include <initializer_list>
#include <string>
#include <vector>

#ifndef KGSS_WITH_DES3
#error "KGSS_WITH_DES3 undefined: link the test against target kgss"
#endif

namespace kt {

// Families as CMake names them (KGSS_WITH_<X>).
constexpr bool with_des3 = KGSS_WITH_DES3;
constexpr bool with_aes_sha1 = KGSS_WITH_AES_SHA1;
constexpr bool with_aes_sha2 = KGSS_WITH_AES_SHA2;
constexpr bool with_rc4 = KGSS_WITH_RC4;
constexpr bool with_camellia = KGSS_WITH_CAMELLIA;
constexpr bool with_all_families = with_des3 && with_aes_sha1 && with_aes_sha2 && with_rc4 && with_camellia;

// "des3", "aes-sha1", "aes-sha2", "rc4", "camellia"; nullptr for an etype of
// no family (unknown to libkgss).  Etype 6 (MIT's lucid label for DES3) is des3.
// (Header-only, like enctype_compiled_in: usable without CppUTest.)
inline const char *family_of(int etype)
{
	switch (etype) {
	case 6:
	case 16:
		return "des3";
	case 17:
	case 18:
		return "aes-sha1";
	case 19:
	case 20:
		return "aes-sha2";
	case 23:
	case 24:
		return "rc4";
	case 25:
	case 26:
		return "camellia";
	default:
		return nullptr;
	}
}

// True when etype belongs to a family this build compiled in.  False for
// etypes of no family as well.
inline bool enctype_compiled_in(int etype)
{
	switch (etype) {
	case 6:
	case 16:
		return with_des3;
	case 17:
	case 18:
		return with_aes_sha1;
	case 19:
	case 20:
		return with_aes_sha2;
	case 23:
	case 24:
		return with_rc4;
	case 25:
	case 26:
		return with_camellia;
	default:
		return false;
	}
}

// A known etype (one of 6, 16..20, 23..26) whose family is compiled out.
inline bool enctype_compiled_out(int etype) { return family_of(etype) && !enctype_compiled_in(etype); }

// Prints "compiled out: <family> (<etype>): <what> checked" (each distinct
// line once per process).  Call it after asserting the behaviour.
void note_compiled_out(int etype, const std::string &what);

// Asserts kgss::enctype_find(etype) == NULL (inside a CppUTest test) and notes it.
void check_enctype_absent(int etype);

// Asserts that a lucid v1 context of etype (its family's protocol, a key of
// its length, both roles) imports as KGSS_S_UNAVAILABLE with *ctx_out NULL,
// through kgss_import_lucid_v1 and _into, on the builtin backend, and that
// enctype_find(etype) is NULL; notes both.
void check_import_unavailable(int etype);

// For cases that need etype: when its family is compiled out, asserts
// check_import_unavailable(etype) and ends the current test as passed
// (CppUTest TEST_EXIT); otherwise returns.  One line at the top of a test.
void require_enctype(int etype);

// For loops over enctypes: true (after check_import_unavailable) when
// etype's family is compiled out, so the caller `continue`s; else false.
bool skip_enctype(int etype);

// The etypes of `list` whose family is compiled in, in order; each
// compiled-out one gets check_import_unavailable().  For range-for loops:
//   for (int32_t etype : kt::compiled_in({17, 18, 20, 26}))
std::vector<int> compiled_in(std::initializer_list<int> list);

// Vector bookkeeping, keyed by a suite label (e.g. "test_crypto_kat").
// vector_ran / vector_not_applicable count; the shared main() prints
//   <suite>: N vectors ran, M not applicable (compiled out: des3 x3, rc4 x2)
// and fails when a suite has counted vectors but ran none.
void vector_ran(const char *suite, long n = 1);
void vector_not_applicable(const char *suite, int etype);

// Called by tests/support/main.cc after the tests: prints the tallies;
// returns rc, or 1 when a suite counted vectors and ran none.
int families_finish(int rc);

} // namespace kt

#endif
