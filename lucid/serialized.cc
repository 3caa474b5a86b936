// lucid/serialized.cc - importing libkgss's portable serialization of a
// lucid context (written by kgss_lucid_serialize in libkgss_user).  The
// layout is documented in gss-kernel-lib/import.h.  Strict: a wrong magic,
// unknown version or flag bits, a length field that disagrees with the
// buffer, truncation, trailing bytes, a bad end marker or a key length that
// does not match the enctype are all KGSS_S_DEFECTIVE_TOKEN.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crypto/enctype.h"
#include "crypto/util.h"
#include "gss-kernel-lib/context.h"
#include "gss-kernel-lib/import.h"

namespace kgss {

namespace {
const uint8_t magic[4] = {'K', 'G', 'S', 'S'};
const uint8_t end_marker[4] = {'K', 'E', 'N', 'D'};
} // namespace

kgss_status serialized_parse(const void *buf, size_t len, ctx_params *p)
{
	memset(p, 0, sizeof(*p));
	if (buf == nullptr || len < SERIALIZED_FIXED)
		return KGSS_S_DEFECTIVE_TOKEN;
	const uint8_t *b = (const uint8_t *)buf;
	if (memcmp(b, magic, 4) != 0)
		return KGSS_S_DEFECTIVE_TOKEN;
	if (load_be16(b + 4) != SERIALIZED_VERSION)
		return KGSS_S_DEFECTIVE_TOKEN;
	const uint16_t flags = load_be16(b + 6);
	if (flags & ~(SERIALIZED_F_INITIATOR | SERIALIZED_F_ACCEPTOR_SUBKEY))
		return KGSS_S_DEFECTIVE_TOKEN;
	const uint32_t total = load_be32(b + 8);
	if ((size_t)total != len)
		return KGSS_S_DEFECTIVE_TOKEN; // truncated or trailing bytes
	const uint32_t protocol = load_be32(b + 12);
	if (protocol > 1)
		return KGSS_S_DEFECTIVE_TOKEN;
	const uint32_t sign_alg = load_be32(b + 40);
	const uint32_t seal_alg = load_be32(b + 44);
	const int32_t etype = (int32_t)load_be32(b + 48);
	const size_t key_len = load_be16(b + 52);
	if (key_len == 0 || key_len > MAX_KEY_BYTES)
		return KGSS_S_DEFECTIVE_TOKEN;
	// len >= SERIALIZED_FIXED, so this cannot underflow or overflow.
	if (len - SERIALIZED_FIXED != key_len)
		return KGSS_S_DEFECTIVE_TOKEN;
	if (memcmp(b + 54 + key_len, end_marker, 4) != 0)
		return KGSS_S_DEFECTIVE_TOKEN;
	if (protocol == 1 && (sign_alg != ALG_UNSTATED || seal_alg != ALG_UNSTATED))
		return KGSS_S_DEFECTIVE_TOKEN;
	if (protocol == 0 && (flags & SERIALIZED_F_ACCEPTOR_SUBKEY))
		return KGSS_S_DEFECTIVE_TOKEN;
	const enctype *et = enctype_find(etype);
	if (et == nullptr)
		return KGSS_S_UNAVAILABLE;
	if (key_len != et->key_bytes)
		return KGSS_S_DEFECTIVE_TOKEN;

	p->protocol = protocol;
	p->initiator = (flags & SERIALIZED_F_INITIATOR) != 0;
	p->acceptor_subkey = (flags & SERIALIZED_F_ACCEPTOR_SUBKEY) != 0;
	p->endtime = load_be64(b + 16);
	p->send_seq = load_be64(b + 24);
	p->recv_seq = load_be64(b + 32);
	p->sign_alg = sign_alg;
	p->seal_alg = seal_alg;
	p->enctype = etype;
	p->key = b + 54; // secret: read by ctx_setup, never kept
	p->key_len = key_len;
	return KGSS_S_COMPLETE;
}

} // namespace kgss

using namespace kgss;

extern "C" kgss_status kgss_import_serialized(const void *buf, size_t len, const kgss_options *opts, kgss_ctx **ctx_out)
{
	return import_parsed<serialized_parse>(false, nullptr, 0, buf, len, opts, ctx_out);
}

extern "C" kgss_status kgss_import_serialized_into(void *mem, size_t mem_len, const void *buf, size_t len,
						   const kgss_options *opts, kgss_ctx **ctx_out)
{
	return import_parsed<serialized_parse>(true, mem, mem_len, buf, len, opts, ctx_out);
}
