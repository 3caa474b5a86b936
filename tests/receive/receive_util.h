// tests/receive/receive_util.h - shared helpers of the "receive what real
// peers send" tests (issue 12): contexts from lucid structures, plain-call
// shorthands, and the framing rewrites applied to tokens.
#ifndef KGSS_RECEIVE_UTIL_H
#define KGSS_RECEIVE_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "kgss.h"
#include "testutil.h"

namespace rx {

using kt::bytes;

// A context owned by this object (kgss_ctx_free at destruction).
struct owned_ctx {
	kgss_ctx *c = nullptr;
	owned_ctx() = default;
	owned_ctx(const owned_ctx &) = delete;
	owned_ctx &operator=(const owned_ctx &) = delete;
	~owned_ctx() { kgss_ctx_free(c); }
};

// Options with the user-space allocator and PRNG, the given backend and flags.
kgss_options user_opts(const kgss_crypto_backend *be, uint32_t flags = 0);
// kgss_import_lucid_v1 into *out; the status.
kgss_status import(const kgss_lucid_context_v1 &l, const kgss_options &o, owned_ctx *out);

kgss_status wrap(kgss_ctx *c, bool conf, const bytes &msg, bytes *tok);
kgss_status unwrap(kgss_ctx *c, const bytes &tok, bytes *msg);
kgss_status get_mic(kgss_ctx *c, const bytes &msg, bytes *tok);
kgss_status verify_mic(kgss_ctx *c, const bytes &msg, const bytes &tok);
// STREAM | DATA unwrap of a copy of tok; *msg the plaintext on success.
kgss_status unwrap_stream(kgss_ctx *c, const bytes &tok, bytes *msg);

// The three token kinds the tests loop over.
enum kind { SEALED = 0, INTEGRITY = 1, MIC = 2 };
inline bool is_wrap(int k) { return k != MIC; }
// kgss_wrap (sealed or not) or kgss_get_mic of msg by c; the token, or
// empty after a failure (a CppUTest failure is recorded).
bytes send(kgss_ctx *c, int k, const bytes &msg);
// kgss_unwrap or kgss_verify_mic of tok by c; *out the plaintext (Wrap).
kgss_status receive(kgss_ctx *c, int k, const bytes &msg, const bytes &tok, bytes *out);

// 60 | DER length (minimal, or in `octets` length octets when > 0, i.e. the
// long form with leading zeros) | krb5 OID | body.
bytes frame(const bytes &body, size_t octets = 0);
// The body of an RFC 1964 token (after 60 | length | OID).
bytes unframe(const bytes &tok);

} // namespace rx

#endif
