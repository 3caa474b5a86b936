// gss-kernel-lib/context.cc - building, checking and destroying the
// internal security context, and the public context calls: size, free,
// inquire.  (The import checks that come before building: import.cc.)
//
// Lifetime contract (the CVE-2014-5352 lesson: MIT's
// gss_process_context_token deleted a context behind its caller's back):
//  - Only kgss_ctx_free ends a context.  No other call ever frees, wipes or
//    invalidates one, whatever error it returns.
//  - kgss_ctx_free wipes every key and derived key, then writes CTX_DEAD
//    into the magic word, then (library-allocated contexts only) hands the
//    block to the free hook with the size it was allocated with.
//  - *_into contexts stay in the caller's memory: after kgss_ctx_free every
//    call on them answers KGSS_S_NO_CONTEXT and a second kgss_ctx_free is a
//    no-op - reliably, until the caller reuses the memory.
//  - Library-allocated contexts: the pointer dangles after kgss_ctx_free, as
//    after free().  As long as the allocator has not reused the block, the
//    dead marker makes calls answer NO_CONTEXT and a second kgss_ctx_free a
//    no-op, so the block is not handed to the free hook twice; once the
//    allocator reuses it nothing can be promised (callers must drop the
//    pointer, as with free()).
//  - kgss_ctx_free ignores a pointer whose magic word is neither live nor
//    dead: it is not a context, and freeing it could only do harm.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crypto/enctype.h"
#include "crypto/util.h"
#include "gss-kernel-lib/context.h"
#include "gss-kernel-lib/import.h"
#include "gss-kernel-lib/token/format.h"

using namespace kgss;

namespace kgss {

// kgss_ctx_size() (the struct plus alignment slack) stays within 4 KiB.
static_assert(sizeof(kgss_ctx) + alignof(kgss_ctx) - 1 <= 4096, "kgss_ctx outgrew 4 KiB");
static_assert(alignof(kgss_ctx) == KGSS_STATE_ALIGN, "kgss_ctx alignment is the allocator hook's (16)");
// send_seq and recv each sit alone in whatever 64-byte line holds them
// (token/format.h).  Each part is measured on its own (both are standard
// layout); kgss_ctx is ctx_head then token_state, back to back, so the
// padding after recv is ctx_head's tail plus the token state's pad_send.
static_assert(sizeof(kgss_ctx) == sizeof(ctx_head) + sizeof(token_state), "kgss_ctx: ctx_head, token_state, no gap");
static_assert(alignof(ctx_head) == 16 && alignof(token_state) == 16, "parts start 16-byte aligned");
static_assert(offsetof(ctx_head, recv) % 16 == 0 && offsetof(token_state, send_seq) % 16 == 0,
	      "isolated fields must start 16-byte aligned");
static_assert(offsetof(ctx_head, recv) - offsetof(ctx_head, pad_recv) >= CTX_PAD_BEFORE, "padding before recv");
static_assert(sizeof(ctx_head) - (offsetof(ctx_head, recv) + ((sizeof(seqstate) + 7) & ~(size_t)7)) +
			      offsetof(token_state, send_seq) >=
		      CTX_PAD_AFTER,
	      "padding between recv and send_seq");
static_assert(offsetof(token_state, pad_send) == 0 && offsetof(token_state, send_seq) >= CTX_PAD_BEFORE,
	      "padding before send_seq");
static_assert(offsetof(token_state, fmt) - (offsetof(token_state, send_seq) + 8) >= CTX_PAD_AFTER,
	      "padding after send_seq");

// Memory: the caller's (owned = false) may have any alignment; the context is
// placed at the first suitably aligned address inside it.  Allocator memory
// (owned = true) must already be aligned, because kgss_ctx_free hands the
// context pointer itself back to the free hook.
kgss_status ctx_setup(void *mem, size_t mem_len, const ctx_params *p, const ctx_plan *plan, const kgss_options *o,
		      bool owned, kgss_ctx **out)
{
	*out = nullptr;
	if (mem == nullptr)
		return KGSS_S_FAILURE;
	const uintptr_t a = (uintptr_t)mem;
	const size_t pad = (size_t)((alignof(kgss_ctx) - (a % alignof(kgss_ctx))) % alignof(kgss_ctx));
	if (owned && pad != 0)
		return KGSS_S_FAILURE;
	if (mem_len < pad || mem_len - pad < sizeof(kgss_ctx))
		return KGSS_S_FAILURE;

	// The key may lie inside mem: a downcall or serialized buffer received
	// into the very memory the context is then built in (the *_into
	// imports).  Take it out before that memory is cleared, or the context
	// would be keyed with zeros.
	static_assert(MAX_KEY_BYTES >= 32, "every enctype's key fits");
	if (p->key_len > MAX_KEY_BYTES)
		return KGSS_S_DEFECTIVE_TOKEN; // import checks: key_len == et->key_bytes
	uint8_t key[MAX_KEY_BYTES];            // secret
	memcpy(key, p->key, p->key_len);
	uint8_t alt_key[CFX_MAX_KEY_BYTES]; // secret (the import checks bounded its length)
	if (plan->alt_et != nullptr)
		memcpy(alt_key, p->ctx_key, p->ctx_key_len);

	kgss_ctx *c = (kgss_ctx *)((uint8_t *)mem + pad);
	memset(c, 0, sizeof(*c)); // zero-filled memory is a valid empty context
	c->fmt = plan->fmt;
	c->initiator = p->initiator ? 1 : 0;
	c->acceptor_subkey = p->acceptor_subkey ? 1 : 0;
	c->owned = owned ? 1 : 0;
	c->et = plan->et;
	c->be = o->crypto;
	if (o->prng != nullptr && o->prng->generate != nullptr) {
		c->prng = *o->prng; // by value: the caller's struct need not outlive us
		c->have_prng = 1;
	}
	c->clock = o->clock;
	c->clock_ctx = o->clock_ctx;
	if (owned) {
		c->free_fn = o->free;
		c->alloc_ctx = o->alloc_ctx;
	}
	c->endtime = p->endtime;
	const uint64_t all = ~(uint64_t)0;
	c->send_seq = p->send_seq & plan->fmt->seq_mask;
	seqstate_init(&c->recv, p->recv_seq, o->flags, plan->fmt->seq_mask == all);

	// Derive and schedule every per-message key from the (secret) key; the
	// raw key itself is not kept unless the profile needs it as a schedule.
	kgss_status st = plan->fmt->init_keys(c, key, plan->alt_et, plan->alt_et != nullptr ? alt_key : nullptr);
	KGSS_WIPE(key);
	KGSS_WIPE(alt_key);
	if (st != KGSS_S_COMPLETE) {
		plan->fmt->clear_keys(c);
		KGSS_WIPE_BUF(c, sizeof(*c));
		return st;
	}
	__atomic_store_n(&c->magic, CTX_MAGIC, __ATOMIC_RELEASE); // live only once complete
	*out = c;
	return KGSS_S_COMPLETE;
}

void ctx_teardown(kgss_ctx *c)
{
	if (c == nullptr)
		return;
	if (c->fmt != nullptr)
		c->fmt->clear_keys(c);
	KGSS_WIPE_BUF(c, sizeof(*c));
	__atomic_store_n(&c->magic, CTX_DEAD, __ATOMIC_RELEASE);
}

} // namespace kgss

// ---- public calls ---------------------------------------------------------------

extern "C" size_t kgss_ctx_size(void)
{
	// Caller memory may have any alignment: leave room to align inside it.
	return sizeof(kgss_ctx) + alignof(kgss_ctx) - 1;
}

extern "C" void kgss_ctx_free(kgss_ctx *ctx)
{
	if (ctx == nullptr)
		return;
	// Dead (already freed) or not a context at all: leave it alone.
	if (ctx_check(ctx) != KGSS_S_COMPLETE)
		return;
	const bool owned = ctx->owned != 0;
	void (*free_fn)(void *, void *, size_t) = ctx->free_fn;
	void *alloc_ctx = ctx->alloc_ctx;
	ctx_teardown(ctx); // wipes keys and the whole struct, writes CTX_DEAD
	if (owned && free_fn != nullptr)
		free_fn(alloc_ctx, ctx, sizeof(kgss_ctx));
}

extern "C" kgss_status kgss_ctx_inquire(const kgss_ctx *ctx, kgss_ctx_info *info)
{
	kgss_status st = ctx_check(ctx);
	if (st != KGSS_S_COMPLETE)
		return st;
	if (info == nullptr)
		return KGSS_S_FAILURE;
	memset(info, 0, sizeof(*info));
	info->enctype = ctx->et->etype;
	info->protocol = ctx->fmt->protocol;
	info->initiator = ctx->initiator;
	info->acceptor_subkey = ctx->acceptor_subkey;
	info->endtime = ctx->endtime;
	// The counter is 64-bit; RFC 1964 tokens carry its low 32 bits (the
	// sequence number wraps at 2^32), so report what the next token carries.
	const uint64_t next = __atomic_load_n(&ctx->send_seq, __ATOMIC_RELAXED);
	info->send_seq = next & ctx->fmt->seq_mask;
	info->enctype_name = ctx->et->name;
	info->backend_name = ctx->be != nullptr ? ctx->be->name : nullptr;
	return KGSS_S_COMPLETE;
}
