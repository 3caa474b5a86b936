// gss-kernel-lib/context.cc - building, checking and destroying the
// internal security context.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crypto/enctype.h"
#include "crypto/util.h"
#include "gss-kernel-lib/context.h"
#include "gss-kernel-lib/import.h"
#include "gss-kernel-lib/token/engine.h"

namespace kgss {

// kgss_ctx_size() (the struct plus alignment slack) stays within 4 KiB.
static_assert(sizeof(kgss_ctx) + alignof(kgss_ctx) - 1 <= 4096, "kgss_ctx outgrew 4 KiB");
static_assert(alignof(kgss_ctx) == KGSS_STATE_ALIGN, "kgss_ctx alignment is the allocator hook's (16)");
// send_seq and recv each sit alone in whatever 64-byte line holds them (see context.h).
static_assert(offsetof(kgss_ctx, send_seq) % 16 == 0 && offsetof(kgss_ctx, recv) % 16 == 0,
	      "isolated fields must start 16-byte aligned");
static_assert(offsetof(kgss_ctx, send_seq) - offsetof(kgss_ctx, pad_send) >= CTX_PAD_BEFORE &&
		      offsetof(kgss_ctx, recv) - (offsetof(kgss_ctx, send_seq) + 8) >= CTX_PAD_AFTER &&
		      offsetof(kgss_ctx, recv) - (offsetof(kgss_ctx, send_seq) + 8) >= CTX_PAD_BEFORE &&
		      offsetof(kgss_ctx, k) - (offsetof(kgss_ctx, recv) + ((sizeof(seqstate) + 7) & ~(size_t)7)) >=
			      CTX_PAD_AFTER,
	      "send_seq / recv padding");

namespace {

// Protocol-0 enctypes carry RFC 1964 sign/seal algorithm numbers in the table.
constexpr uint16_t NOT_RFC1964 = 0xffff;

// The context key beside an acceptor subkey (ctx_params.ctx_key), when
// present: an RFC 4121 enctype the backend has, of the right length.
kgss_status validate_ctx_key(const ctx_params *p, const kgss_crypto_backend *be, const enctype **et_out)
{
	*et_out = nullptr;
	if (p->ctx_key == nullptr)
		return KGSS_S_COMPLETE;
	if (p->protocol != 1 || !p->acceptor_subkey)
		return KGSS_S_DEFECTIVE_TOKEN;
	const enctype *et = enctype_find(p->ctx_key_enctype);
	if (et == nullptr || enctype_check_backend(et, be) != KGSS_S_COMPLETE)
		return KGSS_S_UNAVAILABLE;
	if (!et->rfc4121 || p->ctx_key_len != et->key_bytes || p->ctx_key_len > CFX_MAX_KEY_BYTES)
		return KGSS_S_DEFECTIVE_TOKEN;
	*et_out = et;
	return KGSS_S_COMPLETE;
}

kgss_status validate_resolved(const ctx_params *p, const kgss_options *o, const enctype **et_out,
			      const enctype **alt_et_out)
{
	*et_out = nullptr;
	*alt_et_out = nullptr;
	if (p == nullptr)
		return KGSS_S_FAILURE;
	if (p->protocol != 0 && p->protocol != 1)
		return KGSS_S_DEFECTIVE_TOKEN;
	// Unknown or compiled out (6, des3-cbc-raw, maps to des3-cbc-sha1).
	const enctype *et = enctype_find(p->enctype);
	if (et == nullptr)
		return KGSS_S_UNAVAILABLE;
	const kgss_crypto_backend *be = o->crypto;
	if (be == nullptr || be->abi_version != KGSS_CRYPTO_ABI_VERSION)
		return KGSS_S_UNAVAILABLE;
	if (enctype_check_backend(et, be) != KGSS_S_COMPLETE)
		return KGSS_S_UNAVAILABLE;
	if (p->protocol == 1) {
		if (!et->rfc4121)
			return KGSS_S_DEFECTIVE_TOKEN;
	} else {
		if (et->sign_alg == NOT_RFC1964 || et->seal_alg == NOT_RFC1964)
			return KGSS_S_DEFECTIVE_TOKEN;
		// RFC 1964 has no acceptor subkey.
		if (p->acceptor_subkey)
			return KGSS_S_DEFECTIVE_TOKEN;
		if (p->sign_alg != ALG_UNSTATED && p->sign_alg != et->sign_alg)
			return KGSS_S_DEFECTIVE_TOKEN;
		if (p->seal_alg != ALG_UNSTATED && p->seal_alg != et->seal_alg)
			return KGSS_S_DEFECTIVE_TOKEN;
	}
	if (p->key == nullptr || p->key_len != et->key_bytes)
		return KGSS_S_DEFECTIVE_TOKEN;
	kgss_status st = validate_ctx_key(p, be, alt_et_out);
	if (st != KGSS_S_COMPLETE)
		return st;
	*et_out = et;
	return KGSS_S_COMPLETE;
}

} // namespace

kgss_status ctx_validate(const ctx_params *p, const kgss_options *opts)
{
	kgss_options o;
	kgss_status st = options_resolve(opts, &o);
	if (st != KGSS_S_COMPLETE)
		return st;
	const enctype *et, *alt_et;
	return validate_resolved(p, &o, &et, &alt_et);
}

// Memory: the caller's (owned = false) may have any alignment; the context is
// placed at the first suitably aligned address inside it.  Allocator memory
// (owned = true) must already be aligned, because kgss_ctx_free hands the
// context pointer itself back to the free hook.
kgss_status ctx_setup(void *mem, size_t mem_len, const ctx_params *p, const kgss_options *opts, bool owned,
		      kgss_ctx **out)
{
	if (out == nullptr)
		return KGSS_S_FAILURE;
	*out = nullptr;

	kgss_options o;
	kgss_status st = options_resolve(opts, &o);
	if (st != KGSS_S_COMPLETE)
		return st;
	const enctype *et, *alt_et;
	st = validate_resolved(p, &o, &et, &alt_et);
	if (st != KGSS_S_COMPLETE)
		return st;

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
		return KGSS_S_DEFECTIVE_TOKEN; // validate_resolved: key_len == et->key_bytes
	uint8_t key[MAX_KEY_BYTES]; // secret
	memcpy(key, p->key, p->key_len);
	uint8_t alt_key[CFX_MAX_KEY_BYTES]; // secret (validate_ctx_key bounded its length)
	if (alt_et != nullptr)
		memcpy(alt_key, p->ctx_key, p->ctx_key_len);

	kgss_ctx *c = (kgss_ctx *)((uint8_t *)mem + pad);
	memset(c, 0, sizeof(*c)); // zero-filled memory is a valid empty context
	c->protocol = p->protocol;
	c->initiator = p->initiator ? 1 : 0;
	c->acceptor_subkey = p->acceptor_subkey ? 1 : 0;
	c->owned = owned ? 1 : 0;
	c->et = et;
	c->be = o.crypto;
	if (o.prng != nullptr && o.prng->generate != nullptr) {
		c->prng = *o.prng; // by value: the caller's struct need not outlive us
		c->have_prng = 1;
	}
	c->clock = o.clock;
	c->clock_ctx = o.clock_ctx;
	if (owned) {
		c->free_fn = o.free;
		c->alloc_ctx = o.alloc_ctx;
	}
	c->endtime = p->endtime;
	c->send_seq = p->protocol == 0 ? (p->send_seq & 0xffffffffu) : p->send_seq;
	seqstate_init(&c->recv, p->recv_seq, o.flags, p->protocol == 1);

	// Derive and schedule every per-message key from the (secret) key; the
	// raw key itself is not kept unless the profile needs it as a schedule.
	st = p->protocol == 1 ? rfc4121_init_keys(c, key) : rfc1964_init_keys(c, key);
	KGSS_WIPE(key);
	if (st == KGSS_S_COMPLETE && alt_et != nullptr) {
		c->k.cfx.alt_et = alt_et;
		memcpy(c->k.cfx.alt_key, alt_key, p->ctx_key_len);
	}
	KGSS_WIPE(alt_key);
	if (st != KGSS_S_COMPLETE) {
		if (p->protocol == 1)
			rfc4121_clear_keys(c);
		else
			rfc1964_clear_keys(c);
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
	if (c->protocol == 1)
		rfc4121_clear_keys(c);
	else
		rfc1964_clear_keys(c);
	KGSS_WIPE_BUF(c, sizeof(*c));
	__atomic_store_n(&c->magic, CTX_DEAD, __ATOMIC_RELEASE);
}

kgss_status ctx_check(const kgss_ctx *c)
{
	if (c == nullptr || __atomic_load_n(&c->magic, __ATOMIC_ACQUIRE) != CTX_MAGIC)
		return KGSS_S_NO_CONTEXT;
	return KGSS_S_COMPLETE;
}

kgss_status ctx_check_expiry(const kgss_ctx *c)
{
	if (c->clock == nullptr)
		return KGSS_S_COMPLETE;
	uint64_t now = 0;
	if (c->clock(c->clock_ctx, &now) != 0)
		return KGSS_S_FAILURE; // cannot tell: refuse rather than assume valid
	return now >= c->endtime ? KGSS_S_CONTEXT_EXPIRED : KGSS_S_COMPLETE;
}

uint64_t ctx_next_send_seq(kgss_ctx *c)
{
	// Only uniqueness matters; the value publishes nothing else.
	return __atomic_fetch_add(&c->send_seq, 1, __ATOMIC_RELAXED);
}

kgss_status ctx_random(kgss_ctx *c, uint8_t *out, size_t len)
{
	if (!c->have_prng || c->prng.generate == nullptr)
		return KGSS_S_UNAVAILABLE;
	if (len == 0)
		return KGSS_S_COMPLETE;
	if (c->prng.generate(c->prng.ctx, out, len) != 0) {
		KGSS_WIPE_BUF(out, len); // never a partial or predictable confounder
		return KGSS_S_FAILURE;
	}
	return KGSS_S_COMPLETE;
}

kgss_status import_params(void *mem, size_t mem_len, const ctx_params *p, const kgss_options *opts,
			  kgss_ctx **out)
{
	if (out == nullptr)
		return KGSS_S_FAILURE;
	*out = nullptr;
	if (mem != nullptr)
		return ctx_setup(mem, mem_len, p, opts, false, out);

	kgss_options o;
	kgss_status st = options_resolve(opts, &o);
	if (st != KGSS_S_COMPLETE)
		return st;
	// Validate before allocating: malformed input costs no allocation.
	st = ctx_validate(p, &o);
	if (st != KGSS_S_COMPLETE)
		return st;
	if (o.alloc == nullptr || o.free == nullptr)
		return KGSS_S_FAILURE;
	void *m = o.alloc(o.alloc_ctx, sizeof(kgss_ctx));
	if (m == nullptr)
		return KGSS_S_FAILURE;
	st = ctx_setup(m, sizeof(kgss_ctx), p, &o, true, out);
	if (st != KGSS_S_COMPLETE) {
		// ctx_setup wiped whatever it wrote; the block goes back unchanged
		// in size.
		o.free(o.alloc_ctx, m, sizeof(kgss_ctx));
		*out = nullptr;
	}
	return st;
}

} // namespace kgss
