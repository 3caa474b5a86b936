// tests/token1964/t1964_util.h - contexts and an independent reference token
// builder for the RFC 1964 engine tests (DES3, RC4-HMAC, RC4-HMAC-EXP).
#ifndef KGSS_T1964_UTIL_H
#define KGSS_T1964_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string>
#include <vector>

#include "kgss.h"
#include "testutil.h"

namespace t1964 {

using kt::bytes;

// One RFC 1964 configuration: the lucid key enctype, the table enctype and
// the token algorithms.
struct cfg {
	const char *name;
	uint32_t keytype; // lucid ctx_key.type (6 = des3-cbc-raw, as MIT exports)
	int etype;        // 16, 23, 24
	size_t key_len;
	uint32_t sign_alg;
	uint32_t seal_alg;
	bool des3() const { return etype == 16; }
	size_t cksum_len() const { return des3() ? 20 : 8; }
};
extern const cfg kCfgs[4];
// The configurations whose family (families.h) this build compiled in.  For
// each compiled-out one it asserts instead that the import answers
// KGSS_S_UNAVAILABLE on both backends and enctype_find() is NULL, and prints
// "compiled out: ..." (inside a CppUTest test).
std::vector<cfg> cfgs();
// True (after the same assertions) when c's family is compiled out.
bool compiled_out(const cfg &c);

struct backend {
	const char *name;
	const kgss_crypto_backend *be;
};
// builtin and openssl
std::vector<backend> backends();

// The fixed test key for a configuration (deterministic pattern, or `salt`ed).
bytes test_key(const cfg &c, uint8_t salt = 0);

// A context in aligned memory owned by this object.
struct ctx {
	ctx() = default;
	ctx(const ctx &) = delete;
	ctx &operator=(const ctx &) = delete;
	~ctx();
	kgss_ctx *c = nullptr;
	void *mem = nullptr;
	kgss_chacha_prng chacha{};
	kgss_prng prng{};
};

struct ctx_opts {
	const kgss_crypto_backend *be = nullptr;
	bool initiator = true;
	uint64_t send_seq = 0;
	uint64_t recv_seq = 0;
	uint32_t flags = 0;
	enum prng_kind { PRNG_RANDOM, PRNG_NONE, PRNG_FIXED };
	prng_kind prng = PRNG_RANDOM;
};
// Imports through kgss_import_lucid_v1_into; returns the status.
kgss_status make_ctx(ctx &out, const cfg &c, const bytes &key, const ctx_opts &o);
// The fixed confounder PRNG_FIXED contexts produce: 8 bytes repeated.
extern const uint8_t kFixedConf[8];

// Plain API shorthands.
kgss_status wrap(kgss_ctx *c, bool conf, const bytes &msg, bytes *tok, int *conf_state = nullptr);
kgss_status unwrap(kgss_ctx *c, const bytes &tok, bytes *msg, int *conf_state = nullptr);
kgss_status get_mic(kgss_ctx *c, const bytes &msg, bytes *tok);
kgss_status verify_mic(kgss_ctx *c, const bytes &msg, const bytes &tok);
uint64_t send_seq_of(const kgss_ctx *c);

// ---- reference tokens -----------------------------------------------------------
// Written straight from RFC 1964 §1.2 / RFC 4757 §7 with OpenSSL (EVP digests,
// HMAC, DES-EDE3-CBC) and a local RC4, independently of the engine; the DES3
// checksum key Kc = DK(key, 23|99) comes from the enctype table's derive_raw
// (itself checked against RFC 3961 vectors in tests/crypto_kat).  Everything
// is explicit so malformed-but-authentic tokens can be built.
struct ref_params {
	bool mic = false;
	bool sealed = true; // wrap: SEAL_ALG != FF FF
	bool sender_initiator = true;
	uint32_t seq = 0;
	bytes conf; // wrap: 8 bytes
	bytes data;
	bytes pad;                 // wrap: exact pad bytes (may be wrong on purpose)
	int64_t dir_override = -1; // >= 0: the 4 direction bytes as this 32-bit BE value
};
// The token body after the OID (TOK_ID ..), and the framed token.
bytes ref_body(const cfg &c, const bytes &key, const ref_params &p);
bytes frame(const bytes &body);
inline bytes ref_token(const cfg &c, const bytes &key, const ref_params &p) { return frame(ref_body(c, key, p)); }
// The pad RFC 1964 / RFC 4757 prescribe for n data bytes.
bytes good_pad(const cfg &c, size_t n);

// Offset of TOK_ID in a framed token (after 60 | len | OID).
size_t body_offset(const bytes &tok);

} // namespace t1964

#endif
