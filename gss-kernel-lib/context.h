// gss-kernel-lib/context.h - the internal security context: role, keys per
// direction (derived and scheduled at import), sequence numbers, receive
// window, expiry, and the capabilities the caller handed in.
#ifndef KGSS_CONTEXT_H
#define KGSS_CONTEXT_H

#include <stddef.h>
#include <stdint.h>

#include "kgss.h"
#include "crypto/enctype.h"
#include "crypto/keys.h"
#include "gss-kernel-lib/seqstate.h"

namespace kgss {

constexpr uint32_t CTX_MAGIC = 0x4b475353u; // "KGSS": a live context
constexpr uint32_t CTX_DEAD = 0x6b677373u;  // written by kgss_ctx_free

// RFC 4121 §2: key usages by the sender's role.
constexpr uint32_t KG_USAGE_ACCEPTOR_SEAL = 22;
constexpr uint32_t KG_USAGE_ACCEPTOR_SIGN = 23;
constexpr uint32_t KG_USAGE_INITIATOR_SEAL = 24;
constexpr uint32_t KG_USAGE_INITIATOR_SIGN = 25;

// Largest RFC 4121 enctype key (aes256, camellia256).
constexpr size_t CFX_MAX_KEY_BYTES = 32;

// RFC 4121 (protocol 1).  We send under one base key (the acceptor subkey if
// present, else the context key: MIT k5sealv3.c) with per-usage keys
// scheduled at import.  A received token is checked under the key its
// AcceptorSubkey flag names (MIT k5unsealv3.c): with the flag, or on a
// context without a subkey, the keys below; without the flag on a context
// with a subkey, the context key `alt_key` (lucid imports only), whose
// per-message keys are derived for that token on the stack: a second
// scheduled set would take the context past 4 KiB, and such tokens are rare
// (an initiator sending before it has seen the subkey).
struct cfx_keys {
	enc_key send_seal; // our seal usage (initiator 24, acceptor 22): Ke, Ki
	mac_key send_sign; // our sign usage (initiator 25, acceptor 23): Kc
	enc_key recv_seal; // the peer's seal usage
	mac_key recv_sign; // the peer's sign usage
	// Integrity-only Wrap tokens are checksummed with Kc of the *seal* usage
	// (RFC 4121 §2, §4.2.4; MIT: the Wrap key usage whatever conf_req).
	mac_key send_wrap_cksum; // Kc for our seal usage (initiator 24, acceptor 22)
	mac_key recv_wrap_cksum; // Kc for the peer's seal usage
	const enctype *alt_et;   // enctype of alt_key; NULL when there is none
	uint8_t alt_key[CFX_MAX_KEY_BYTES]; // secret: the context key beside a subkey
};

// RFC 1964 with des3-cbc-sha1 (sign_alg 4, seal_alg 2).  Same keys both ways.
struct des3_keys {
	cipher_key raw; // DES-EDE3 schedule of the context key: sealing and SND_SEQ
	mac_key sign;   // HMAC-SHA1 keyed by Kc = DK(key, 23 | 0x99)
};

// RFC 1964 as profiled by RFC 4757 §7 (arcfour-hmac, -exp).  The per-message
// keys are HMAC-MD5 outputs; these are the fixed HMAC keys they start from.
struct rc4_keys {
	hmac_key ksign;  // keyed by Ksign = HMAC-MD5(K, "signaturekey\0")
	hmac_key kseq;   // keyed by HMAC-MD5(K, 0 as LE32): SND_SEQ key base
	hmac_key kcrypt; // keyed by the sealing key base (K ^ 0xF0.., exp variant per RFC 4757)
	uint8_t exp;     // 1 for arcfour-hmac-exp (24)
};

} // namespace kgss

namespace kgss {
// Cache-line isolation of the two fields concurrent callers write: send_seq
// (every sender) and the receive window (every receiver with a window).
// The context is only 16-byte aligned (malloc's and kmalloc's alignment, the
// allocator hook's contract), so the fields are isolated by padding, not by
// alignas(64): a field starting 16-byte aligned with 48 free bytes before it
// and 56 after its last 8-byte word shares no 64-byte line with anything.
constexpr size_t CTX_LINE = 64;
constexpr size_t CTX_PAD_BEFORE = CTX_LINE - 16; // the line may start 48 bytes before the field
constexpr size_t CTX_PAD_AFTER = CTX_LINE - 8;   // ... and end 56 bytes after its last word
} // namespace kgss

// The opaque public type.  Plain data: zero-filled memory is a valid empty
// context, so imports build it in caller or allocator memory with no
// constructor.
struct kgss_ctx {
	uint32_t magic;            // CTX_MAGIC while live
	uint32_t protocol;         // 0 = RFC 1964, 1 = RFC 4121
	uint8_t initiator;         // 1 if this side initiated
	uint8_t acceptor_subkey;   // RFC 4121: keys are the acceptor subkey
	uint8_t owned;             // memory came from alloc (free it in kgss_ctx_free)
	uint8_t have_prng;
	const kgss::enctype *et;
	const kgss_crypto_backend *be;
	kgss_prng prng;
	int (*clock)(void *clock_ctx, uint64_t *now);
	void *clock_ctx;
	void (*free_fn)(void *alloc_ctx, void *ptr, size_t size);
	void *alloc_ctx;
	uint64_t endtime;
	// Everything above and the keys below are read-only once imported.
	uint8_t pad_send[kgss::CTX_PAD_BEFORE];
	alignas(16) uint64_t send_seq; // next number to send; advanced with __atomic_fetch_add
	uint8_t pad_recv[kgss::CTX_PAD_AFTER];
	alignas(16) kgss::seqstate recv; // receive window (its own lock word)
	uint8_t pad_keys[kgss::CTX_PAD_AFTER];
	union {
		kgss::cfx_keys cfx;
		kgss::des3_keys des3;
		kgss::rc4_keys rc4;
	} k;
};

namespace kgss {

// What every import path (lucid, downcall, serialized) boils down to.
struct ctx_params {
	uint32_t protocol;      // 0 or 1
	bool initiator;
	uint64_t endtime;
	uint64_t send_seq;
	uint64_t recv_seq;
	int32_t enctype;        // enctype of `key` (6 is accepted for DES3)
	const uint8_t *key;     // secret: copied, never kept
	size_t key_len;
	bool acceptor_subkey;   // protocol 1: key is the acceptor subkey
	// protocol 1 with acceptor_subkey: the context key as well (lucid), or
	// NULL.  Secret: copied, never kept.
	const uint8_t *ctx_key;
	size_t ctx_key_len;
	int32_t ctx_key_enctype;
	uint32_t sign_alg;      // protocol 0: as the exporter stated, or 0xffffffff if not stated
	uint32_t seal_alg;
};

// Validates p against the enctype table and the backend, fills the context
// in mem (mem_len >= sizeof(kgss_ctx)), derives all keys.  On failure mem is
// wiped and *out is NULL.
kgss_status ctx_setup(void *mem, size_t mem_len, const ctx_params *p, const kgss_options *opts, bool owned,
		      kgss_ctx **out);
// Wipes keys (releasing backend resources) and marks the context dead.
void ctx_teardown(kgss_ctx *c);

// COMPLETE if c is a live context, else NO_CONTEXT.
kgss_status ctx_check(const kgss_ctx *c);
// CONTEXT_EXPIRED when a clock is set and now >= endtime.
kgss_status ctx_check_expiry(const kgss_ctx *c);
// Takes the next send sequence number (atomically).
uint64_t ctx_next_send_seq(kgss_ctx *c);
// Fills out[0..len) from the context's PRNG: COMPLETE, UNAVAILABLE (no
// PRNG) or FAILURE (the PRNG failed); never leaves zeros as if successful.
kgss_status ctx_random(kgss_ctx *c, uint8_t *out, size_t len);

} // namespace kgss

#endif
