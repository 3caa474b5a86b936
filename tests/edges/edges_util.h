// tests/edges/edges_util.h - contexts on a chosen backend with a controllable
// PRNG, lucid builders (with and without an acceptor subkey), and the checks
// every edge test makes (no plaintext, no key bytes, context still usable).
#ifndef KGSS_TESTS_EDGES_UTIL_H
#define KGSS_TESTS_EDGES_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <vector>

#include "kgss.h"
#include "testutil.h"

namespace ke {

using kt::bytes;

// RFC 3961 / 3962 / 8009 / 6803 / 4757 facts: the enctype and its key length.
struct etype_info {
	int32_t etype;
	size_t key_len;
	bool rfc1964; // protocol 0 (RFC 1964 / RFC 4757 tokens)
};
extern const etype_info kEnctypes[9];
const etype_info &info_of(int32_t etype);

// A key of etype's length, different per etype and per `salt`.
bytes key_for(int32_t etype, int salt = 0);

// A lucid v1 context of etype's own protocol (RFC 1964 algorithms stated).
// It points at key: key must outlive it.
kgss_lucid_context_v1 lucid(int32_t etype, const bytes &key, bool initiator);
// Protocol 1 with an acceptor subkey (have_acceptor_subkey = 1) and, when
// ctx_key is not NULL, the context key beside it.
kgss_lucid_context_v1 lucid_subkey(int32_t etype, const bytes &subkey, const kgss_lucid_key *ctx_key, bool initiator);

// A deterministic confounder source that fails while `fail` is set.
struct prng_ctl {
	uint64_t seed = 11;
	bool fail = false;
	long calls = 0;
};
int prng_generate(void *ctx, uint8_t *out, size_t len);

// A context imported into caller memory (import_lucid_v1_into), with its own
// prng_ctl; freed on destruction.  Not copyable: the PRNG points into it.
struct box {
	std::vector<uint8_t> mem;
	prng_ctl prng;
	kgss_prng p{prng_generate, &prng};
	kgss_ctx *ctx = nullptr;
	kgss_status st = KGSS_S_FAILURE;
	// Set before import for a context that checks expiry.
	int (*clock)(void *, uint64_t *) = nullptr;
	void *clock_ctx = nullptr;
	box() = default;
	box(const box &) = delete;
	box &operator=(const box &) = delete;
	~box() { kgss_ctx_free(ctx); }
	// Imports l on backend be (NULL: builtin) with this box's PRNG (or none).
	kgss_status import(const kgss_lucid_context_v1 &l, const kgss_crypto_backend *be = nullptr,
			   bool with_prng = true);
	operator kgss_ctx *() const { return ctx; }
};

// Both ends of an etype (initiator a, acceptor b) on backend be.
struct pair {
	box a, b;
	explicit pair(int32_t etype, const kgss_crypto_backend *be = nullptr);
	bool ok() const { return a.st == KGSS_S_COMPLETE && b.st == KGSS_S_COMPLETE; }
};

// The next sequence number ctx sends (kgss_ctx_inquire).
uint64_t send_seq(const kgss_ctx *ctx);
bool all_zero(const uint8_t *p, size_t n);
inline bool all_zero(const bytes &b) { return all_zero(b.data(), b.size()); }
// True when hay holds needle (needle not empty).
bool contains(const bytes &hay, const bytes &needle);
// n bytes of a readable message pattern.
bytes message(size_t n, uint8_t first = 'A');

// A sealed (conf) wrap of msg by s through kgss_wrap.
bytes wrap(kgss_ctx *s, bool conf, const bytes &msg);
// kgss_unwrap of tok by r must give msg (COMPLETE); checks it.
void check_unwraps(kgss_ctx *r, const bytes &tok, const bytes &msg);
// A MIC by s over msg verifies at r, and a sealed wrap round trip works:
// the pair is usable.
void check_usable(kgss_ctx *s, kgss_ctx *r);

} // namespace ke

#endif
