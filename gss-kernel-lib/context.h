// gss-kernel-lib/context.h - the internal security context: the token state
// (token/format.h: keys per direction, derived and scheduled at import, the
// send counter, role and backend), the token format that works on it, and
// what the context keeps for itself: liveness, the receive window, expiry,
// and the allocator that owns its memory.
#ifndef KGSS_CONTEXT_H
#define KGSS_CONTEXT_H

#include <stddef.h>
#include <stdint.h>

#include "kgss.h"
#include "crypto/enctype.h"
#include "gss-kernel-lib/seqstate.h"
#include "gss-kernel-lib/token/format.h"

namespace kgss {

constexpr uint32_t CTX_MAGIC = 0x4b475353u; // "KGSS": a live context
constexpr uint32_t CTX_DEAD = 0x6b677373u;  // written by kgss_ctx_free

// The context's own part, first in kgss_ctx (the magic word at offset 0).
// The token state follows it directly (kgss_ctx adds nothing): its leading
// padding is also the padding after recv.
struct ctx_head {
	uint32_t magic; // CTX_MAGIC while live
	uint8_t owned;  // memory came from alloc (free it in kgss_ctx_free)
	int (*clock)(void *clock_ctx, uint64_t *now);
	void *clock_ctx;
	void (*free_fn)(void *alloc_ctx, void *ptr, size_t size);
	void *alloc_ctx;
	uint64_t endtime;
	// Everything above is read-only once imported.
	uint8_t pad_recv[CTX_PAD_BEFORE];
	alignas(16) seqstate recv; // receive window (its own lock word)
};

} // namespace kgss

// The opaque public type: the context's part, then the token state (which
// holds the token format too: token_state.fmt).  Plain data: zero-filled
// memory is a valid empty context, so imports build it in caller or
// allocator memory with no constructor.
struct kgss_ctx : kgss::ctx_head, kgss::token_state {};

namespace kgss {

// What every import path (lucid, downcall, serialized) boils down to.
struct ctx_params {
	uint32_t protocol; // 0 or 1
	bool initiator;
	uint64_t endtime;
	uint64_t send_seq;
	uint64_t recv_seq;
	int32_t enctype;    // enctype of `key` (6 is accepted for DES3)
	const uint8_t *key; // secret: copied, never kept
	size_t key_len;
	bool acceptor_subkey; // protocol 1: key is the acceptor subkey
	// protocol 1 with acceptor_subkey: the context key as well (lucid), or
	// NULL.  Secret: copied, never kept.
	const uint8_t *ctx_key;
	size_t ctx_key_len;
	int32_t ctx_key_enctype;
	uint32_t sign_alg; // protocol 0: as the exporter stated, or ALG_UNSTATED if not stated
	uint32_t seal_alg;
};

// What the import checks (import.cc) resolved p to.
struct ctx_plan {
	const token_format *fmt;
	const enctype *et;
	const enctype *alt_et; // of p->ctx_key; NULL when there is none
};

// Fills the context in mem (mem_len >= sizeof(kgss_ctx) after aligning) from
// p as checked into *plan, with the resolved options o, and derives all
// keys.  On failure mem is wiped and *out is NULL.
kgss_status ctx_setup(void *mem, size_t mem_len, const ctx_params *p, const ctx_plan *plan, const kgss_options *o,
		      bool owned, kgss_ctx **out);
// Wipes keys (releasing backend resources) and marks the context dead.
void ctx_teardown(kgss_ctx *c);

// COMPLETE if c is a live context, else NO_CONTEXT.
// (Inline, with ctx_check_expiry: every per-message call starts with them.)
inline kgss_status ctx_check(const kgss_ctx *c)
{
	if (c == nullptr || __atomic_load_n(&c->magic, __ATOMIC_ACQUIRE) != CTX_MAGIC)
		return KGSS_S_NO_CONTEXT;
	return KGSS_S_COMPLETE;
}
// CONTEXT_EXPIRED when a clock is set and now >= endtime.
inline kgss_status ctx_check_expiry(const kgss_ctx *c)
{
	if (c->clock == nullptr)
		return KGSS_S_COMPLETE;
	uint64_t now = 0;
	if (c->clock(c->clock_ctx, &now) != 0)
		return KGSS_S_FAILURE; // cannot tell: refuse rather than assume valid
	return now >= c->endtime ? KGSS_S_CONTEXT_EXPIRED : KGSS_S_COMPLETE;
}

} // namespace kgss

#endif
