// tests/edges/edges_util.cc - see edges_util.h.
#include "edges_util.h"

#include <string.h>

#include <algorithm>

#include "CppUTest/TestHarness.h"

namespace ke {

const etype_info kEnctypes[9] = {
	{16, 24, true}, {17, 16, false}, {18, 32, false}, {19, 16, false}, {20, 32, false},
	{23, 16, true}, {24, 16, true},  {25, 16, false}, {26, 32, false},
};

const etype_info &info_of(int32_t etype)
{
	for (const etype_info &e : kEnctypes)
		if (e.etype == etype)
			return e;
	FAIL("no such enctype in kEnctypes");
	return kEnctypes[0];
}

bytes key_for(int32_t etype, int salt)
{
	bytes k(info_of(etype).key_len);
	for (size_t i = 0; i < k.size(); i++)
		k[i] = (uint8_t)(0x3c ^ (i * 41) ^ etype ^ (salt * 97));
	return k;
}

kgss_lucid_context_v1 lucid(int32_t etype, const bytes &key, bool initiator)
{
	const bool v1964 = info_of(etype).rfc1964;
	const kgss_lucid_key k = {(uint32_t)etype, (uint32_t)key.size(), const_cast<uint8_t *>(key.data())};
	// RFC 1964 SGN_ALG / SEAL_ALG: 4 / 2 for DES3, 0x11 / 0x10 for RC4.
	const kgss_lucid_rfc1964 old_kd =
		v1964 ? kgss_lucid_rfc1964{etype == 16 ? 4u : 0x11u, etype == 16 ? 2u : 0x10u, k}
		      : kgss_lucid_rfc1964{};
	const kgss_lucid_cfx cfx_kd = v1964 ? kgss_lucid_cfx{} : kgss_lucid_cfx{0, k, {}};
	const uint64_t mine = initiator ? 1000 : 2000, theirs = initiator ? 2000 : 1000;
	return kgss_lucid_context_v1{1,      initiator ? 1u : 0u, 0xfffffff0u, mine,
				     theirs, v1964 ? 0u : 1u,     old_kd,      cfx_kd};
}

kgss_lucid_context_v1 lucid_subkey(int32_t etype, const bytes &subkey, const kgss_lucid_key *ctx_key, bool initiator)
{
	kgss_lucid_context_v1 l = lucid(etype, subkey, initiator);
	l.protocol = 1;
	l.cfx_kd.have_acceptor_subkey = 1;
	l.cfx_kd.acceptor_subkey = l.cfx_kd.ctx_key;
	if (ctx_key != nullptr)
		l.cfx_kd.ctx_key = *ctx_key;
	else
		memset(&l.cfx_kd.ctx_key, 0, sizeof(l.cfx_kd.ctx_key));
	return l;
}

int prng_generate(void *ctx, uint8_t *out, size_t len)
{
	prng_ctl *p = static_cast<prng_ctl *>(ctx);
	p->calls++;
	if (p->fail)
		return -1;
	kt::fill_random(p->seed, out, len);
	return 0;
}

kgss_status box::import(const kgss_lucid_context_v1 &l, const kgss_crypto_backend *be, bool with_prng)
{
	kgss_ctx_free(ctx);
	ctx = nullptr;
	kgss_options o;
	kgss_options_init(&o);
	if (be != nullptr)
		o.crypto = be;
	o.prng = with_prng ? &p : nullptr;
	o.clock = clock;
	o.clock_ctx = clock_ctx;
	mem.assign(kgss_ctx_size(), 0);
	st = kgss_import_lucid_v1_into(mem.data(), mem.size(), &l, &o, &ctx);
	return st;
}

pair::pair(int32_t etype, const kgss_crypto_backend *be)
{
	const bytes key = key_for(etype);
	a.import(lucid(etype, key, true), be);
	b.import(lucid(etype, key, false), be);
}

uint64_t send_seq(const kgss_ctx *ctx)
{
	kgss_ctx_info i;
	LONGS_EQUAL(KGSS_S_COMPLETE, kgss_ctx_inquire(ctx, &i));
	return i.send_seq;
}

bool all_zero(const uint8_t *p, size_t n)
{
	return std::all_of(p, p + n, [](uint8_t b) { return b == 0; });
}

bool contains(const bytes &hay, const bytes &needle)
{
	return !needle.empty() && std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}

bytes message(size_t n, uint8_t first)
{
	bytes m(n);
	for (size_t i = 0; i < n; i++)
		m[i] = (uint8_t)(first + i % 26);
	return m;
}

bytes wrap(kgss_ctx *s, bool conf, const bytes &msg)
{
	bytes out(msg.size() + 256);
	kgss_buffer in = {msg.size(), const_cast<uint8_t *>(msg.data())};
	kgss_buffer ob = {out.size(), out.data()};
	int cs = -1;
	LONGS_EQUAL(KGSS_S_COMPLETE, kgss_wrap(s, conf, 0, &in, &cs, &ob));
	LONGS_EQUAL(conf ? 1 : 0, cs);
	out.resize(ob.length);
	return out;
}

void check_unwraps(kgss_ctx *r, const bytes &tok, const bytes &msg)
{
	bytes out(tok.size());
	kgss_buffer in = {tok.size(), const_cast<uint8_t *>(tok.data())};
	kgss_buffer ob = {out.size(), out.data()};
	LONGS_EQUAL(KGSS_S_COMPLETE, kgss_unwrap(r, &in, &ob, nullptr, nullptr));
	CHECK(ob.length == msg.size() && memcmp(out.data(), msg.data(), msg.size()) == 0);
}

void check_usable(kgss_ctx *s, kgss_ctx *r)
{
	const bytes msg = message(45, 'a');
	uint8_t tok[128];
	kgss_buffer m = {msg.size(), const_cast<uint8_t *>(msg.data())};
	kgss_buffer t = {sizeof(tok), tok};
	LONGS_EQUAL(KGSS_S_COMPLETE, kgss_get_mic(s, 0, &m, &t));
	LONGS_EQUAL(KGSS_S_COMPLETE, kgss_verify_mic(r, &m, &t, nullptr));
	check_unwraps(r, wrap(s, true, msg), msg);
}

} // namespace ke
