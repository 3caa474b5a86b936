// tests/token/token_util.h - contexts and buffers for the token tests.
#ifndef KGSS_TEST_TOKEN_UTIL_H
#define KGSS_TEST_TOKEN_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <algorithm>
#include <memory>
#include <vector>

#include "kgss.h"
#include "testutil.h"

namespace tt {

using kt::bytes;

// RFC facts, not read from the table under test.
struct cfx_enctype {
	int32_t etype;
	size_t key_len;
	size_t conf_len; // RFC 3961 confounder = cipher block size
	size_t tag_len;  // RFC 3961 integrity tag = checksum length
};
extern const cfx_enctype cfx_enctypes[]; // 17, 18, 19, 20, 25, 26
extern const size_t n_cfx_enctypes;
const cfx_enctype &cfx(int32_t etype);
// Indices into cfx_enctypes[] of the enctypes compiled in (families.h); for a
// compiled-out one it asserts the import is UNAVAILABLE instead.
//   for (size_t i : cfx_indices())
std::vector<size_t> cfx_indices();

// Deterministic PRNG for tests: the same seed gives the same bytes, so two
// contexts built alike produce identical tokens.
struct test_prng {
	uint64_t state;
	int fail; // generate() returns -1 when set
	kgss_prng prng;
	explicit test_prng(uint64_t seed);
};

struct ctx_spec {
	int32_t etype = 17;
	bytes key; // empty: a synthetic key for etype
	bool initiator = true;
	bool acceptor_subkey = false;
	uint64_t send_seq = 1000;
	uint64_t recv_seq = 5000;
	uint32_t flags = 0; // KGSS_OPT_*
	bool with_prng = true;
	uint64_t prng_seed = 42;
	const kgss_crypto_backend *crypto = nullptr; // NULL: OpenSSL backend
};

// An imported context in its own memory (kgss_import_lucid_v1_into).
struct context {
	std::vector<uint8_t> mem;
	std::unique_ptr<test_prng> prng;
	kgss_ctx *ctx = nullptr;
	kgss_status import_status = 0;
	explicit context(const ctx_spec &s);
	~context();
	context(const context &) = delete;
	uint64_t send_seq() const;
	operator kgss_ctx *() const { return ctx; }
};

bytes synthetic_key(int32_t etype, size_t len);

// A sender / receiver pair sharing a key: sender's send_seq = receiver's recv_seq.
struct pair {
	std::unique_ptr<context> init, acc;
	pair(int32_t etype, bool subkey, uint32_t flags = 0, const kgss_crypto_backend *be = nullptr);
};

// Plain-API helpers: token on success, empty + status otherwise.
kgss_status wrap(kgss_ctx *c, bool conf, const bytes &msg, bytes *token);
kgss_status unwrap(kgss_ctx *c, const bytes &token, bytes *msg, int *conf_state = nullptr);
kgss_status get_mic(kgss_ctx *c, const bytes &msg, bytes *token);
kgss_status verify_mic(kgss_ctx *c, const bytes &msg, const bytes &token);

bytes pattern(size_t n, uint8_t salt = 0); // deterministic message bytes

// Token surgery.
uint16_t be16(const bytes &t, size_t off);
void put_be16(bytes &t, size_t off, uint16_t v);
// Rotates t[16..) right by r (the sender's RRC operation).
bytes rotate_body_right(const bytes &t, size_t r);

} // namespace tt

#endif

namespace tt {

// A kgss_iov array with its own storage.
struct iov_set {
	std::vector<uint32_t> types;
	std::vector<bytes> store;
	std::vector<kgss_iov> iov;
	void add(uint32_t type, const bytes &b = bytes())
	{
		types.push_back(type);
		store.push_back(b);
	}
	// Points iov[] at store[] with the stored lengths.
	kgss_iov *bind();
	size_t count() const { return types.size(); }
	// The wire bytes: HEADER | DATA.. | TRAILER (SIGN_ONLY, PADDING, EMPTY are not sent).
	bytes wire() const;
	bytes data() const; // all DATA entries concatenated
	size_t index_of(uint32_t type) const;
};
// Sizes the HEADER / PADDING / TRAILER with kgss_wrap_iov_length, then kgss_wrap_iov.
kgss_status wrap_iov(kgss_ctx *c, bool conf, iov_set &s);
// The receiver's copy of a wrapped iov_set: same split, fresh buffers.
iov_set receiver_copy(const iov_set &s);

} // namespace tt
