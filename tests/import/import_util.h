// tests/import/import_util.h - shared helpers for the import tests.
#ifndef KGSS_TEST_IMPORT_UTIL_H
#define KGSS_TEST_IMPORT_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <vector>

#include "kgss.h"

namespace it {

struct etinfo {
	int32_t etype;
	size_t key_len;
	uint32_t protocol; // the protocol MIT uses with it
	uint32_t sign_alg; // protocol 0 only
	uint32_t seal_alg;
};
// Every enctype libkgss supports, with RFC facts (not read from the table
// under test): 16 des3, 17/18 aes-sha1, 19/20 aes-sha2, 23/24 rc4, 25/26 camellia.
extern const etinfo all_enctypes[];
extern const size_t n_enctypes;
const etinfo *find(int32_t etype);

// A synthetic key, distinct per (etype, salt) and with no zero bytes.
std::vector<uint8_t> key_for(int32_t etype, size_t len, uint8_t salt = 0);

// Holds a lucid context and the key buffers it points to.
struct lucid_holder {
	kgss_lucid_context_v1 l;
	std::vector<uint8_t> key, subkey;
	lucid_holder(int32_t etype, uint32_t protocol, bool initiator, bool subkey = false);
	lucid_holder(const lucid_holder &) = delete;
};

// Counting allocator; free checks the size and can inspect the block.
struct counting_alloc {
	int allocs = 0, frees = 0;
	size_t last_size = 0;
	bool size_mismatch = false;
	void *last_ptr = nullptr;
	// when set, called on the block before it is released
	void (*inspect)(counting_alloc *self, const void *p, size_t n) = nullptr;
	std::vector<uint8_t> seen; // filled by inspect helpers
	void install(kgss_options *o);
};

// Options with the builtin backend and no allocator.
kgss_options plain_opts();

// True when etype's family is compiled out of this build (families.h).  It
// then asserts the documented behaviour instead of the case: a lucid, a
// downcall and a serialized context of that enctype all import as
// KGSS_S_UNAVAILABLE (nothing allocated, *ctx_out NULL), the writers answer
// UNAVAILABLE, and enctype_find() is NULL; prints "compiled out: ..." lines.
// Callers skip their case when it returns true.
bool compiled_out(int32_t etype);

// A compiled-in enctype for cases about something else than the enctype
// (allocator, caller memory ...): `want` when compiled in, else the first
// compiled-in RFC 4121 enctype, else the first compiled-in one.
const etinfo &rep(int32_t want = 18);

} // namespace it

#endif
