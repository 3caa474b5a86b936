// tests/hardening/hardening_util.cc
#include "hardening_util.h"

#include <string.h>

#include "CppUTest/TestHarness.h"
#include "families.h"

namespace hu {

size_t et_index_of(int32_t etype)
{
	for (size_t i = 0; i < kf::kNumEtypes; i++)
		if (kf::kEtypes[i].etype == etype)
			return i;
	FAIL("unknown enctype");
	return 0;
}

pair::pair(size_t et, bool self_initiator_, bool subkey_, bool window)
    : et_index(et), self_initiator(self_initiator_), subkey(subkey_)
{
	// A case needing an enctype whose family is compiled out (families.h):
	// its import is asserted UNAVAILABLE and the test ends there.
	kt::require_enctype(kf::kEtypes[et].etype);
	mem_self.resize(kgss_ctx_size());
	mem_peer.resize(kgss_ctx_size());
	kgss_lucid_context_v1 l;
	kgss_options o;
	kf::make_lucid(&l, et, self_initiator, subkey, 1000, 5000, keys);
	kf::make_options(&o, window, false);
	LONGS_EQUAL(KGSS_S_COMPLETE, kgss_import_lucid_v1_into(mem_self.data(), mem_self.size(), &l, &o, &self));
	kf::make_lucid(&l, et, !self_initiator, subkey, 5000, 1000, keys);
	kf::make_options(&o, false, false);
	LONGS_EQUAL(KGSS_S_COMPLETE, kgss_import_lucid_v1_into(mem_peer.data(), mem_peer.size(), &l, &o, &peer));
}

const uint8_t *pair::key() const { return (kf::kEtypes[et_index].protocol == 1 && subkey) ? keys + 64 : keys; }

bytes msg(size_t n, uint8_t salt)
{
	bytes m(n);
	for (size_t i = 0; i < n; i++)
		m[i] = (uint8_t)(salt + 0x41 + i * 3);
	return m;
}

bytes wrap(kgss_ctx *c, bool conf, const bytes &m)
{
	bytes t(m.size() + 256);
	kgss_buffer in = {m.size(), (void *)m.data()}, out = {t.size(), t.data()};
	int cs = -1;
	LONGS_EQUAL(KGSS_S_COMPLETE, kgss_wrap(c, conf ? 1 : 0, 0, &in, &cs, &out));
	LONGS_EQUAL(conf ? 1 : 0, cs);
	t.resize(out.length);
	return t;
}

bytes get_mic(kgss_ctx *c, const bytes &m)
{
	bytes t(256);
	kgss_buffer in = {m.size(), (void *)m.data()}, out = {t.size(), t.data()};
	LONGS_EQUAL(KGSS_S_COMPLETE, kgss_get_mic(c, 0, &in, &out));
	t.resize(out.length);
	return t;
}

kgss_status unwrap(kgss_ctx *c, const bytes &tok, bytes *out, size_t *out_len)
{
	out->assign(tok.size() ? tok.size() : 1, 0xEE);
	out->resize(tok.size());
	kgss_buffer in = {tok.size(), tok.empty() ? nullptr : (void *)tok.data()};
	kgss_buffer o = {out->size(), out->empty() ? nullptr : out->data()};
	kgss_status st = kgss_unwrap(c, &in, &o, nullptr, nullptr);
	*out_len = o.length;
	return st;
}

kgss_status verify_mic(kgss_ctx *c, const bytes &m, const bytes &tok)
{
	kgss_buffer mb = {m.size(), m.empty() ? nullptr : (void *)m.data()};
	kgss_buffer tb = {tok.size(), tok.empty() ? nullptr : (void *)tok.data()};
	return kgss_verify_mic(c, &mb, &tb, nullptr);
}

bool all_zero(const bytes &b)
{
	for (uint8_t x : b)
		if (x)
			return false;
	return true;
}

} // namespace hu
