// lucid/downcall.cc - importing the buffer nfs-utils rpc.gssd and gss-proxy
// write to the Linux kernel for krb5 contexts (the "rfc4121 buffer"):
//
//   u32 flags      0x1 INITIATOR, 0x2 CFX (protocol 1), 0x4 ACCEPTOR_SUBKEY
//   u32 endtime
//   u64 send_seq
//   u32 enctype
//   key            length implied by the enctype; no length field
//
// Host byte order, no padding; the buffer must end exactly after the key.
// Without the CFX flag the context is RFC 1964 (DES3, RC4) and the sign/seal
// algorithms follow from the enctype.  The buffer carries no receive
// sequence number: a receive window (if the caller enables one) starts at
// 0 (the Linux kernel keeps no receive window; RPCSEC_GSS has its own).
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crypto/enctype.h"
#include "gss-kernel-lib/context.h"
#include "gss-kernel-lib/import.h"

namespace kgss {

namespace {

template <typename T>
T load_host(const uint8_t *p)
{
	T v;
	memcpy(&v, p, sizeof(v)); // any alignment
	return v;
}

} // namespace

kgss_status downcall_parse(const void *buf, size_t len, ctx_params *p)
{
	memset(p, 0, sizeof(*p));
	if (buf == nullptr || len < DOWNCALL_FIXED)
		return KGSS_S_DEFECTIVE_TOKEN;
	const uint8_t *b = (const uint8_t *)buf;
	const uint32_t flags = load_host<uint32_t>(b);
	const uint32_t endtime = load_host<uint32_t>(b + 4);
	const uint64_t send_seq = load_host<uint64_t>(b + 8);
	const uint32_t etype = load_host<uint32_t>(b + 16);

	if (flags & ~(DOWNCALL_F_INITIATOR | DOWNCALL_F_CFX | DOWNCALL_F_ACCEPTOR_SUBKEY))
		return KGSS_S_DEFECTIVE_TOKEN;
	const bool cfx = (flags & DOWNCALL_F_CFX) != 0;
	if (!cfx && (flags & DOWNCALL_F_ACCEPTOR_SUBKEY))
		return KGSS_S_DEFECTIVE_TOKEN;
	if (etype > (uint32_t)INT32_MAX)
		return KGSS_S_UNAVAILABLE;
	const enctype *et = enctype_find((int32_t)etype);
	if (et == nullptr)
		return KGSS_S_UNAVAILABLE; // unknown or compiled out: the key length is unknowable
	// Exactly the key, nothing after it (len >= DOWNCALL_FIXED here).
	if (len - DOWNCALL_FIXED != et->key_bytes)
		return KGSS_S_DEFECTIVE_TOKEN;

	p->protocol = cfx ? 1 : 0;
	p->initiator = (flags & DOWNCALL_F_INITIATOR) != 0;
	p->acceptor_subkey = (flags & DOWNCALL_F_ACCEPTOR_SUBKEY) != 0;
	p->endtime = endtime;
	p->send_seq = send_seq;
	p->recv_seq = 0; // not carried by the format
	p->enctype = (int32_t)etype;
	p->key = b + DOWNCALL_FIXED; // secret: read by ctx_setup, never kept
	p->key_len = et->key_bytes;
	p->sign_alg = ALG_UNSTATED; // implied by the enctype
	p->seal_alg = ALG_UNSTATED;
	return KGSS_S_COMPLETE;
}

} // namespace kgss

using namespace kgss;

extern "C" kgss_status kgss_import_downcall(const void *buf, size_t len, const kgss_options *opts, kgss_ctx **ctx_out)
{
	return import_parsed<downcall_parse>(false, nullptr, 0, buf, len, opts, ctx_out);
}

extern "C" kgss_status kgss_import_downcall_into(void *mem, size_t mem_len, const void *buf, size_t len,
						 const kgss_options *opts, kgss_ctx **ctx_out)
{
	return import_parsed<downcall_parse>(true, mem, mem_len, buf, len, opts, ctx_out);
}
