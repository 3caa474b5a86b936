// lucid/user/serialize.cc - writers for libkgss's portable serialization and
// for the Linux downcall buffer, and a key-free description of a
// serialized context.  User space (libkgss_user): may use libc.
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kgss_user.h"
#include "crypto/enctype.h"
#include "crypto/util.h"
#include "gss-kernel-lib/import.h"

using namespace kgss;

namespace {

// The start of both exports: the lucid context parsed into *p and checked
// as an import would (a known enctype, a key of its length), then the size
// negotiation for `fixed` + key bytes: out NULL, report the size in *len;
// out too small, FAILURE and the size.  false: return *st.  p->key points
// into the caller's lucid context.
bool begin_export(const kgss_lucid_context_v1 *lucid, void *out, size_t *len, size_t fixed, ctx_params *p,
		  kgss_status *st)
{
	*st = KGSS_S_FAILURE;
	if (len == nullptr)
		return false;
	*st = lucid_v1_parse(lucid, p);
	if (*st != KGSS_S_COMPLETE)
		return false;
	const enctype *et = enctype_find(p->enctype);
	if (et == nullptr || p->key_len != et->key_bytes) {
		*st = et == nullptr ? KGSS_S_UNAVAILABLE : KGSS_S_DEFECTIVE_TOKEN;
		return false;
	}
	const size_t cap = *len;
	*len = fixed + p->key_len;
	if (out == nullptr)
		return false; // *st: COMPLETE, the size reported
	if (cap < *len) {
		*st = KGSS_S_FAILURE;
		return false;
	}
	return true;
}

} // namespace

extern "C" kgss_status kgss_lucid_serialize(const kgss_lucid_context_v1 *lucid, void *out, size_t *len)
{
	ctx_params p;
	kgss_status st;
	if (!begin_export(lucid, out, len, SERIALIZED_FIXED, &p, &st))
		return st;

	uint8_t *b = (uint8_t *)out;
	memcpy(b, "KGSS", 4);
	store_be16(b + 4, SERIALIZED_VERSION);
	uint16_t flags = 0;
	if (p.initiator)
		flags |= SERIALIZED_F_INITIATOR;
	if (p.acceptor_subkey)
		flags |= SERIALIZED_F_ACCEPTOR_SUBKEY;
	store_be16(b + 6, flags);
	store_be32(b + 8, (uint32_t)*len);
	store_be32(b + 12, p.protocol);
	store_be64(b + 16, p.endtime);
	store_be64(b + 24, p.send_seq);
	store_be64(b + 32, p.recv_seq);
	store_be32(b + 40, p.sign_alg);
	store_be32(b + 44, p.seal_alg);
	store_be32(b + 48, (uint32_t)p.enctype);
	store_be16(b + 52, (uint16_t)p.key_len);
	memcpy(b + 54, p.key, p.key_len); // secret: the caller owns and wipes out
	memcpy(b + 54 + p.key_len, "KEND", 4);
	return KGSS_S_COMPLETE;
}

extern "C" kgss_status kgss_lucid_to_downcall(const kgss_lucid_context_v1 *lucid, void *out, size_t *len)
{
	ctx_params p;
	kgss_status st;
	if (!begin_export(lucid, out, len, DOWNCALL_FIXED, &p, &st))
		return st;

	uint8_t *b = (uint8_t *)out;
	uint32_t flags = 0;
	if (p.initiator)
		flags |= DOWNCALL_F_INITIATOR;
	if (p.protocol == 1)
		flags |= DOWNCALL_F_CFX;
	if (p.acceptor_subkey)
		flags |= DOWNCALL_F_ACCEPTOR_SUBKEY;
	const uint32_t endtime = (uint32_t)p.endtime; // from the lucid's 32-bit field
	const uint32_t etype = (uint32_t)p.enctype;
	memcpy(b, &flags, 4); // host byte order, as rpc.gssd writes it
	memcpy(b + 4, &endtime, 4);
	memcpy(b + 8, &p.send_seq, 8);
	memcpy(b + 16, &etype, 4);
	memcpy(b + 20, p.key, p.key_len); // secret: the caller owns and wipes out
	return KGSS_S_COMPLETE;
}

extern "C" kgss_status kgss_serialized_describe(const void *buf, size_t len, char *text, size_t text_len)
{
	ctx_params p;
	kgss_status st = serialized_parse(buf, len, &p);
	if (st == KGSS_S_COMPLETE)
		st = ctx_validate(&p, nullptr); // the rest of what an import checks
	if (st != KGSS_S_COMPLETE) {
		if (text != nullptr && text_len > 0)
			text[0] = '\0';
		return st;
	}
	if (text == nullptr || text_len == 0)
		return KGSS_S_FAILURE;
	const enctype *et = enctype_find(p.enctype);
	char algs[48] = "";
	if (p.protocol == 0)
		snprintf(algs, sizeof(algs), ", sign_alg %u seal_alg %u", (unsigned)p.sign_alg, (unsigned)p.seal_alg);
	int n = snprintf(text, text_len,
			 "kgss serialized context v%u: protocol %u (%s), %s%s, enctype %d (%s), "
			 "key %zu bytes%s, endtime %llu, send_seq %llu, recv_seq %llu",
			 (unsigned)SERIALIZED_VERSION, (unsigned)p.protocol, p.protocol == 1 ? "RFC 4121" : "RFC 1964",
			 p.initiator ? "initiator" : "acceptor", p.acceptor_subkey ? ", acceptor subkey" : "",
			 (int)p.enctype, et != nullptr ? et->name : "?", p.key_len, algs, (unsigned long long)p.endtime,
			 (unsigned long long)p.send_seq, (unsigned long long)p.recv_seq);
	if (n < 0 || (size_t)n >= text_len)
		return KGSS_S_FAILURE;
	return KGSS_S_COMPLETE;
}
