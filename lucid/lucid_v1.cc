// lucid/lucid_v1.cc - importing MIT's lucid context, version 1
// (gss_krb5_export_lucid_sec_context(..., 1, ...)).
//
// Which key: protocol 0 (RFC 1964) -> rfc1964_kd.ctx_key, with the stated
// sign/seal algorithms checked against the enctype; protocol 1 (RFC 4121)
// -> cfx_kd.acceptor_subkey when have_acceptor_subkey, else cfx_kd.ctx_key.
// With an acceptor subkey the context key is kept too (when the lucid
// carries one): MIT checks a token without the AcceptorSubkey flag under it.
// The key bytes are only read (derived into the context); no pointer into
// the lucid structure survives the call.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "gss-kernel-lib/context.h"
#include "gss-kernel-lib/import.h"

namespace kgss {

kgss_status lucid_v1_parse(const kgss_lucid_context_v1 *l, ctx_params *p)
{
	memset(p, 0, sizeof(*p));
	if (l == nullptr)
		return KGSS_S_DEFECTIVE_TOKEN;
	if (l->version != 1)
		return KGSS_S_DEFECTIVE_TOKEN;
	if (l->initiate > 1)
		return KGSS_S_DEFECTIVE_TOKEN;

	const kgss_lucid_key *k;
	if (l->protocol == 0) {
		k = &l->rfc1964_kd.ctx_key;
		p->sign_alg = l->rfc1964_kd.sign_alg;
		p->seal_alg = l->rfc1964_kd.seal_alg;
	} else if (l->protocol == 1) {
		if (l->cfx_kd.have_acceptor_subkey > 1)
			return KGSS_S_DEFECTIVE_TOKEN;
		p->acceptor_subkey = l->cfx_kd.have_acceptor_subkey == 1;
		k = p->acceptor_subkey ? &l->cfx_kd.acceptor_subkey : &l->cfx_kd.ctx_key;
		const kgss_lucid_key *ck = &l->cfx_kd.ctx_key;
		if (p->acceptor_subkey && ck->length != 0 && ck->data != nullptr) {
			if (ck->length > MAX_KEY_BYTES)
				return KGSS_S_DEFECTIVE_TOKEN;
			if (ck->type > (uint32_t)INT32_MAX)
				return KGSS_S_UNAVAILABLE;
			p->ctx_key = (const uint8_t *)ck->data; // secret: read by ctx_setup
			p->ctx_key_len = ck->length;
			p->ctx_key_enctype = (int32_t)ck->type;
		}
		p->sign_alg = ALG_UNSTATED;
		p->seal_alg = ALG_UNSTATED;
	} else {
		return KGSS_S_DEFECTIVE_TOKEN;
	}
	// Bound the length before anything looks at the bytes.
	if (k->length == 0 || k->length > MAX_KEY_BYTES || k->data == nullptr)
		return KGSS_S_DEFECTIVE_TOKEN;
	if (k->type > (uint32_t)INT32_MAX)
		return KGSS_S_UNAVAILABLE; // no such enctype
	p->protocol = l->protocol;
	p->initiator = l->initiate == 1;
	p->endtime = l->endtime;
	p->send_seq = l->send_seq;
	p->recv_seq = l->recv_seq;
	p->enctype = (int32_t)k->type;
	p->key = (const uint8_t *)k->data; // secret: read by ctx_setup, never kept
	p->key_len = k->length;
	return KGSS_S_COMPLETE;
}

} // namespace kgss

using namespace kgss;

// lucid_v1_parse in the parser shape import_parsed takes (the structure carries no length).
static kgss_status parse_lucid(const void *lucid, size_t, ctx_params *p)
{
	return lucid_v1_parse((const kgss_lucid_context_v1 *)lucid, p);
}

extern "C" kgss_status kgss_import_lucid_v1(const void *lucid, const kgss_options *opts, kgss_ctx **ctx_out)
{
	return import_parsed<parse_lucid>(false, nullptr, 0, lucid, 0, opts, ctx_out);
}

extern "C" kgss_status kgss_import_lucid_v1_into(void *mem, size_t mem_len, const void *lucid, const kgss_options *opts,
						 kgss_ctx **ctx_out)
{
	return import_parsed<parse_lucid>(true, mem, mem_len, lucid, 0, opts, ctx_out);
}
