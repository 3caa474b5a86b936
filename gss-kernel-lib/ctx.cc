// gss-kernel-lib/ctx.cc - public context calls: size, free, inquire.
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
#include "gss-kernel-lib/context.h"

using namespace kgss;

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
	info->protocol = ctx->protocol;
	info->initiator = ctx->initiator;
	info->acceptor_subkey = ctx->acceptor_subkey;
	info->endtime = ctx->endtime;
	// The counter is 64-bit; RFC 1964 tokens carry its low 32 bits (the
	// sequence number wraps at 2^32), so report what the next token carries.
	const uint64_t next = __atomic_load_n(&ctx->send_seq, __ATOMIC_RELAXED);
	info->send_seq = ctx->protocol == 0 ? (next & 0xffffffffu) : next;
	info->enctype_name = ctx->et->name;
	info->backend_name = ctx->be != nullptr ? ctx->be->name : nullptr;
	return KGSS_S_COMPLETE;
}
