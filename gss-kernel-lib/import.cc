// gss-kernel-lib/import.cc - the common tail of every import: the checks of
// the parameters a format parser produced (against the enctype table, the
// token format and the backend), then memory for the context, then
// ctx_setup (context.cc) to build it.
#include <stddef.h>
#include <stdint.h>

#include "crypto/enctype.h"
#include "gss-kernel-lib/context.h"
#include "gss-kernel-lib/import.h"
#include "gss-kernel-lib/token/format.h"

namespace kgss {

namespace {

// The context key beside an acceptor subkey (ctx_params.ctx_key), when
// present: an RFC 4121 enctype the backend has, of the right length.
kgss_status check_ctx_key(const ctx_params *p, const kgss_crypto_backend *be, const enctype **et_out)
{
	*et_out = nullptr;
	if (p->ctx_key == nullptr)
		return KGSS_S_COMPLETE;
	// Only beside an acceptor subkey (which the format has accepted).
	if (!p->acceptor_subkey)
		return KGSS_S_DEFECTIVE_TOKEN;
	const enctype *et = enctype_find(p->ctx_key_enctype);
	if (et == nullptr || enctype_check_backend(et, be) != KGSS_S_COMPLETE)
		return KGSS_S_UNAVAILABLE;
	if (!et->rfc4121 || p->ctx_key_len != et->key_bytes || p->ctx_key_len > CFX_MAX_KEY_BYTES)
		return KGSS_S_DEFECTIVE_TOKEN;
	*et_out = et;
	return KGSS_S_COMPLETE;
}

// Every check on p with the resolved options o, filling *plan.
kgss_status check_params(const ctx_params *p, const kgss_options *o, ctx_plan *plan)
{
	plan->fmt = nullptr;
	plan->et = nullptr;
	plan->alt_et = nullptr;
	if (p == nullptr)
		return KGSS_S_FAILURE;
	const token_format *fmt = token_format_for(p->protocol);
	if (fmt == nullptr)
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
	kgss_status st = fmt->accepts(et, p->acceptor_subkey, p->sign_alg, p->seal_alg);
	if (st != KGSS_S_COMPLETE)
		return st;
	if (p->key == nullptr || p->key_len != et->key_bytes)
		return KGSS_S_DEFECTIVE_TOKEN;
	const enctype *alt_et = nullptr;
	st = check_ctx_key(p, be, &alt_et);
	if (st != KGSS_S_COMPLETE)
		return st;
	plan->fmt = fmt;
	plan->et = et;
	plan->alt_et = alt_et;
	return KGSS_S_COMPLETE;
}

} // namespace

kgss_status ctx_validate(const ctx_params *p, const kgss_options *opts)
{
	kgss_options o;
	kgss_status st = options_resolve(opts, &o);
	if (st != KGSS_S_COMPLETE)
		return st;
	ctx_plan plan;
	return check_params(p, &o, &plan);
}

kgss_status import_params(void *mem, size_t mem_len, const ctx_params *p, const kgss_options *opts, kgss_ctx **out)
{
	if (out == nullptr)
		return KGSS_S_FAILURE;
	*out = nullptr;
	kgss_options o;
	kgss_status st = options_resolve(opts, &o);
	if (st != KGSS_S_COMPLETE)
		return st;
	// Checked before allocating: malformed input costs no allocation.
	ctx_plan plan;
	st = check_params(p, &o, &plan);
	if (st != KGSS_S_COMPLETE)
		return st;
	if (mem != nullptr)
		return ctx_setup(mem, mem_len, p, &plan, &o, false, out);

	if (o.alloc == nullptr || o.free == nullptr)
		return KGSS_S_FAILURE;
	void *m = o.alloc(o.alloc_ctx, sizeof(kgss_ctx));
	if (m == nullptr)
		return KGSS_S_FAILURE;
	st = ctx_setup(m, sizeof(kgss_ctx), p, &plan, &o, true, out);
	if (st != KGSS_S_COMPLETE) {
		// ctx_setup wiped whatever it wrote; the block goes back unchanged
		// in size.
		o.free(o.alloc_ctx, m, sizeof(kgss_ctx));
		*out = nullptr;
	}
	return st;
}

} // namespace kgss
