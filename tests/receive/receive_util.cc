// tests/receive/receive_util.cc - see receive_util.h.
#include "receive_util.h"

#include <string.h>

#include "CppUTest/TestHarness.h"
#include "kgss_user.h"

namespace rx {

kgss_options user_opts(const kgss_crypto_backend *be, uint32_t flags)
{
	kgss_options o;
	kgss_options_init_user(&o);
	if (o.prng == nullptr)
		FAIL("kgss_options_init_user: no PRNG");
	o.crypto = be;
	o.flags = flags;
	return o;
}

kgss_status import(const kgss_lucid_context_v1 &l, const kgss_options &o, owned_ctx *out)
{
	kgss_ctx_free(out->c);
	out->c = nullptr;
	return kgss_import_lucid_v1(&l, &o, &out->c);
}

kgss_status wrap(kgss_ctx *c, bool conf, const bytes &msg, bytes *tok)
{
	size_t n = 0;
	kgss_status st = kgss_wrap_size(c, conf ? 1 : 0, msg.size(), &n);
	if (st != KGSS_S_COMPLETE)
		return st;
	tok->assign(n, 0);
	kgss_buffer in = {msg.size(), (void *)msg.data()}, out = {tok->size(), tok->data()};
	st = kgss_wrap(c, conf ? 1 : 0, 0, &in, nullptr, &out);
	tok->resize(st == KGSS_S_COMPLETE ? out.length : 0);
	return st;
}

kgss_status unwrap(kgss_ctx *c, const bytes &tok, bytes *msg)
{
	msg->assign(tok.size(), 0);
	kgss_buffer in = {tok.size(), (void *)tok.data()}, out = {msg->size(), msg->data()};
	kgss_status st = kgss_unwrap(c, &in, &out, nullptr, nullptr);
	msg->resize(out.length);
	return st;
}

kgss_status get_mic(kgss_ctx *c, const bytes &msg, bytes *tok)
{
	size_t n = 0;
	kgss_status st = kgss_mic_size(c, msg.size(), &n);
	if (st != KGSS_S_COMPLETE)
		return st;
	tok->assign(n, 0);
	kgss_buffer m = {msg.size(), (void *)msg.data()}, t = {tok->size(), tok->data()};
	st = kgss_get_mic(c, 0, &m, &t);
	tok->resize(st == KGSS_S_COMPLETE ? t.length : 0);
	return st;
}

kgss_status verify_mic(kgss_ctx *c, const bytes &msg, const bytes &tok)
{
	kgss_buffer m = {msg.size(), (void *)msg.data()}, t = {tok.size(), (void *)tok.data()};
	return kgss_verify_mic(c, &m, &t, nullptr);
}

kgss_status unwrap_stream(kgss_ctx *c, const bytes &tok, bytes *msg)
{
	bytes s = tok;
	kgss_iov iov[2] = {{KGSS_IOV_STREAM, {s.size(), s.data()}}, {KGSS_IOV_DATA, {0, nullptr}}};
	kgss_status st = kgss_unwrap_iov(c, nullptr, nullptr, iov, 2);
	msg->clear();
	if (!KGSS_ERROR(st))
		msg->assign((uint8_t *)iov[1].buffer.value, (uint8_t *)iov[1].buffer.value + iov[1].buffer.length);
	return st;
}

bytes send(kgss_ctx *c, int k, const bytes &msg)
{
	bytes tok;
	LONGS_EQUAL(KGSS_S_COMPLETE, is_wrap(k) ? wrap(c, k == SEALED, msg, &tok) : get_mic(c, msg, &tok));
	return tok;
}

kgss_status receive(kgss_ctx *c, int k, const bytes &msg, const bytes &tok, bytes *out)
{
	out->clear();
	return is_wrap(k) ? unwrap(c, tok, out) : verify_mic(c, msg, tok);
}

bytes frame(const bytes &body, size_t octets)
{
	static const uint8_t oid[11] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02};
	const size_t inner = sizeof(oid) + body.size();
	bytes t = {0x60};
	if (octets == 0 && inner < 0x80) {
		t.push_back((uint8_t)inner);
	} else {
		size_t n = octets;
		if (n == 0)
			for (size_t v = inner; v; v >>= 8)
				n++;
		t.push_back((uint8_t)(0x80 | n));
		for (size_t i = n; i-- > 0;)
			t.push_back(i >= sizeof(size_t) ? 0 : (uint8_t)(inner >> (8 * i)));
	}
	t.insert(t.end(), oid, oid + sizeof(oid));
	t.insert(t.end(), body.begin(), body.end());
	return t;
}

bytes unframe(const bytes &tok)
{
	size_t pos = 2;
	if (tok[1] & 0x80)
		pos += tok[1] & 0x7f;
	return bytes(tok.begin() + pos + 11, tok.end());
}

} // namespace rx
