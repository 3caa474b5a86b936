// gss-kernel-lib/token/format.h - a token format as a const table of
// operations, and the token-side state the operations work on.
//
//   rfc4121.cc  rfc4121_format: RFC 4121 §4.2 MIC and Wrap tokens v2 (protocol 1)
//   rfc1964.cc  rfc1964_format: RFC 1964 §1.2 (DES3, RC4: the enctype's rfc1964_alg)
//   format.cc   the choice of format by protocol number at import; the send
//               sequence counter and the confounder source shared by both
//
// Token code sees only a token_state: never the context that embeds it
// (gss-kernel-lib/context.h derives kgss_ctx from it), nor anything else of
// gss-kernel-lib/.  Callers (api.cc) have already checked: live context,
// qop == 0, expiry, and classified the iov array.
//
// Semantics of the operations (both formats):
//  - wrap_iov_length fills the lengths of HEADER / PADDING / TRAILER (and
//    sets conf_state) for the DATA/SIGN_ONLY buffers given; wrap_iov checks
//    the caller's buffers are at least that long (else FAILURE, nothing
//    written, no sequence number consumed), then writes the token in place
//    and sets those lengths to what was written (the confounder is
//    iov_layout.confounder when set, else drawn from the state's PRNG).
//    Without a TRAILER buffer the trailer goes in the HEADER (RFC 4121: RRC
//    = trailer length).
//  - unwrap_iov accepts HEADER|DATA..|[PADDING]|[TRAILER] or STREAM|DATA
//    (DATA is then pointed at the plaintext inside STREAM).  Returns COMPLETE
//    with the token's sequence number in *seq once the token verified, or
//    an error; on error no plaintext is released (DATA zeroed if decryption
//    started).  The receive window is the caller's (the context's).
//  - get_mic_iov writes the MIC_TOKEN buffer (length in, bytes written out);
//    verify_mic_iov reads it and, like unwrap_iov, reports *seq.
#ifndef KGSS_TOKEN_FORMAT_H
#define KGSS_TOKEN_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "kgss.h"
#include "crypto/enctype.h"
#include "crypto/keys.h"
#include "iov/layout.h"

namespace kgss {

// RFC 4121 §2: key usages by the sender's role.
constexpr uint32_t KG_USAGE_ACCEPTOR_SEAL = 22;
constexpr uint32_t KG_USAGE_ACCEPTOR_SIGN = 23;
constexpr uint32_t KG_USAGE_INITIATOR_SEAL = 24;
constexpr uint32_t KG_USAGE_INITIATOR_SIGN = 25;

// Largest RFC 4121 enctype key (aes256, camellia256).
constexpr size_t CFX_MAX_KEY_BYTES = 32;

// "Not stated" value of an exporter's RFC 1964 sign_alg / seal_alg.
constexpr uint32_t ALG_UNSTATED = 0xffffffffu;

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
	mac_key send_wrap_cksum;            // Kc for our seal usage (initiator 24, acceptor 22)
	mac_key recv_wrap_cksum;            // Kc for the peer's seal usage
	const enctype *alt_et;              // enctype of alt_key; NULL when there is none
	uint8_t alt_key[CFX_MAX_KEY_BYTES]; // secret: the context key beside a subkey
};

// Cache-line isolation of the fields concurrent callers write: the send
// counter here and the context's receive window.  The context is only
// 16-byte aligned (malloc's and kmalloc's alignment, the allocator hook's
// contract), so the fields are isolated by padding, not by alignas(64): a
// field starting 16-byte aligned with 48 free bytes before it and 56 after
// its last 8-byte word shares no 64-byte line with anything.
constexpr size_t CTX_LINE = 64;
constexpr size_t CTX_PAD_BEFORE = CTX_LINE - 16; // the line may start 48 bytes before the field
constexpr size_t CTX_PAD_AFTER = CTX_LINE - 8;   // ... and end 56 bytes after its last word

struct token_format;

// What the token code works on: the per-message part of a context.  Plain
// data, zero-filled when empty; everything but send_seq is read-only once
// imported.  It starts with padding: in a context it follows the receive
// window, and this padding is also the window's (gss-kernel-lib/context.h).
struct token_state {
	uint8_t pad_send[CTX_PAD_BEFORE];
	alignas(16) uint64_t send_seq; // next number to send; advanced with __atomic_fetch_add
	uint8_t pad_after_send[CTX_PAD_AFTER];
	const token_format *fmt; // the format whose init_keys built this state
	const enctype *et;
	const kgss_crypto_backend *be;
	kgss_prng prng;
	uint8_t have_prng;
	uint8_t initiator;       // 1 if this side initiated
	uint8_t acceptor_subkey; // RFC 4121: keys are the acceptor subkey
	union {
		cfx_keys cfx;
		rfc1964_keys rfc1964; // crypto/enctype.h
	} k;
};

// Takes the next send sequence number (atomically).
uint64_t ctx_next_send_seq(token_state *ts);
// Fills out[0..len) from the state's PRNG: COMPLETE, UNAVAILABLE (no PRNG)
// or FAILURE (the PRNG failed); never leaves zeros as if successful.
kgss_status ctx_random(token_state *ts, uint8_t *out, size_t len);

// One token format.  One const instance per format; the import picks one
// (token_format_for) and the token state points at it.
struct token_format {
	uint32_t protocol; // as kgss_ctx_info reports it: 0 = RFC 1964, 1 = RFC 4121
	uint64_t seq_mask; // the sequence numbers tokens carry: 32 bits (RFC 1964) or 64

	// ---- import -------------------------------------------------------------------
	// COMPLETE when et (already known to the backend) can carry this format
	// with the algorithms the exporter stated (ALG_UNSTATED: not stated) and
	// the key kind named, else DEFECTIVE_TOKEN.
	kgss_status (*accepts)(const enctype *et, bool acceptor_subkey, uint32_t sign_alg, uint32_t seal_alg);
	// Derives and schedules every per-message key from key (et->key_bytes,
	// secret, not kept) into ts->k; ts->et, be and initiator are set.  alt_et /
	// alt_key: the context key beside an acceptor subkey (RFC 4121 only), or
	// NULL.  On failure ts->k holds nothing live.
	kgss_status (*init_keys)(token_state *ts, const uint8_t *key, const enctype *alt_et, const uint8_t *alt_key);
	void (*clear_keys)(token_state *ts); // wipes ts->k, releasing backend resources

	// ---- per message ------------------------------------------------------------
	kgss_status (*wrap_iov_length)(token_state *ts, int conf_req, int *conf_state, const iov_layout &l);
	kgss_status (*wrap_iov)(token_state *ts, int conf_req, int *conf_state, const iov_layout &l);
	size_t (*wrap_confounder_len)(const token_state *ts, int conf_req); // PRNG bytes a Wrap takes
	kgss_status (*unwrap_iov)(token_state *ts, int *conf_state, const iov_layout &l, uint64_t *seq);
	// Optional (NULL: not provided): the plain gss_unwrap of the whole token
	// in[0..in_len) into out (at least in_len bytes; may overlap in, or be
	// it): the message lands at out[0..*msg_len), and nothing else the call
	// wrote to out is meaningful.  Returns false, having written nothing
	// anywhere, when it leaves this token to the caller's way (a copy of the
	// token in out, unwrap_iov over it as STREAM | DATA); else true with
	// *st as unwrap_iov would answer for that token, and *seq as unwrap_iov
	// sets it.  On error no plaintext is in out's first *msg_len bytes, but
	// out holds copies of token bytes: the caller wipes it.
	bool (*unwrap_to)(token_state *ts, int *conf_state, const uint8_t *in, size_t in_len, uint8_t *out,
			  size_t *msg_len, uint64_t *seq, kgss_status *st);
	kgss_status (*get_mic_iov_length)(token_state *ts, const iov_layout &l);
	kgss_status (*get_mic_iov)(token_state *ts, const iov_layout &l);
	kgss_status (*verify_mic_iov)(token_state *ts, const iov_layout &l, uint64_t *seq);
};

// Hidden: reached PC-relative, never through a GOT (scripts/check-core-symbols.sh).
extern const token_format rfc4121_format __attribute__((visibility("hidden")));
extern const token_format rfc1964_format __attribute__((visibility("hidden")));

// The format of protocol number `protocol` (0, 1), or NULL.
const token_format *token_format_for(uint32_t protocol);

} // namespace kgss

#endif
