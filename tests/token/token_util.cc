#include "token_util.h"

#include "families.h"

#include <CppUTest/TestHarness.h>
#include <string.h>

namespace tt {

const cfx_enctype cfx_enctypes[] = {
	{17, 16, 16, 12}, // aes128-cts-hmac-sha1-96        RFC 3962
	{18, 32, 16, 12}, // aes256-cts-hmac-sha1-96        RFC 3962
	{19, 16, 16, 16}, // aes128-cts-hmac-sha256-128     RFC 8009
	{20, 32, 16, 24}, // aes256-cts-hmac-sha384-192     RFC 8009
	{25, 16, 16, 16}, // camellia128-cts-cmac           RFC 6803
	{26, 32, 16, 16}, // camellia256-cts-cmac           RFC 6803
};
const size_t n_cfx_enctypes = sizeof(cfx_enctypes) / sizeof(cfx_enctypes[0]);

const cfx_enctype &cfx(int32_t etype)
{
	for (size_t i = 0; i < n_cfx_enctypes; i++)
		if (cfx_enctypes[i].etype == etype)
			return cfx_enctypes[i];
	FAIL("not an RFC 4121 enctype");
	return cfx_enctypes[0];
}

static int prng_generate(void *ctx, uint8_t *out, size_t len)
{
	test_prng *p = (test_prng *)ctx;
	if (p->fail)
		return -1;
	kt::fill_random(p->state, out, len);
	return 0;
}

test_prng::test_prng(uint64_t seed) : state(seed), fail(0)
{
	prng.generate = prng_generate;
	prng.ctx = this;
}

bytes synthetic_key(int32_t etype, size_t len)
{
	bytes k(len);
	for (size_t i = 0; i < len; i++)
		k[i] = (uint8_t)(0x11 * (i % 15 + 1) ^ (uint8_t)etype ^ (uint8_t)(i * 7));
	return k;
}

std::vector<size_t> cfx_indices()
{
	std::vector<size_t> v;
	for (size_t i = 0; i < n_cfx_enctypes; i++)
		if (!kt::skip_enctype(cfx_enctypes[i].etype))
			v.push_back(i);
	return v;
}

context::context(const ctx_spec &s)
{
	// A case needing an enctype whose family is compiled out: assert its
	// import is UNAVAILABLE and end the test (families.h).
	kt::require_enctype(s.etype);
	bytes key = s.key.empty() ? synthetic_key(s.etype, cfx(s.etype).key_len) : s.key;
	bytes other = synthetic_key(s.etype ^ 0x40, key.size()); // the unused ctx_key when a subkey is present
	kgss_lucid_context_v1 l;
	memset(&l, 0, sizeof(l));
	l.version = 1;
	l.initiate = s.initiator ? 1 : 0;
	l.endtime = 0xffffffffu;
	l.send_seq = s.send_seq;
	l.recv_seq = s.recv_seq;
	l.protocol = 1;
	l.cfx_kd.have_acceptor_subkey = s.acceptor_subkey ? 1 : 0;
	kgss_lucid_key *k = s.acceptor_subkey ? &l.cfx_kd.acceptor_subkey : &l.cfx_kd.ctx_key;
	kgss_lucid_key *o = s.acceptor_subkey ? &l.cfx_kd.ctx_key : &l.cfx_kd.acceptor_subkey;
	k->type = (uint32_t)s.etype;
	k->length = (uint32_t)key.size();
	k->data = key.data();
	if (s.acceptor_subkey) {
		o->type = (uint32_t)s.etype;
		o->length = (uint32_t)other.size();
		o->data = other.data();
	}

	kgss_options opts;
	kgss_options_init(&opts);
	opts.flags = s.flags;
	opts.crypto = s.crypto ? s.crypto : kgss_crypto_openssl();
	if (s.with_prng) {
		prng.reset(new test_prng(s.prng_seed));
		opts.prng = &prng->prng;
	}
	mem.assign(kgss_ctx_size(), 0);
	import_status = kgss_import_lucid_v1_into(mem.data(), mem.size(), &l, &opts, &ctx);
}

context::~context()
{
	if (ctx)
		kgss_ctx_free(ctx);
}

uint64_t context::send_seq() const
{
	kgss_ctx_info info;
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss_ctx_inquire(ctx, &info));
	return info.send_seq;
}

pair::pair(int32_t etype, bool subkey, uint32_t flags, const kgss_crypto_backend *be)
{
	ctx_spec si, sa;
	si.etype = sa.etype = etype;
	si.acceptor_subkey = sa.acceptor_subkey = subkey;
	si.flags = sa.flags = flags;
	si.crypto = sa.crypto = be;
	si.initiator = true;
	sa.initiator = false;
	si.send_seq = sa.recv_seq = 1000;
	sa.send_seq = si.recv_seq = 7000;
	si.prng_seed = 1;
	sa.prng_seed = 2;
	init.reset(new context(si));
	acc.reset(new context(sa));
	CHECK_EQUAL(KGSS_S_COMPLETE, init->import_status);
	CHECK_EQUAL(KGSS_S_COMPLETE, acc->import_status);
}

kgss_status wrap(kgss_ctx *c, bool conf, const bytes &msg, bytes *token)
{
	size_t len = 0;
	kgss_status st = kgss_wrap_size(c, conf, msg.size(), &len);
	if (st != KGSS_S_COMPLETE) {
		token->clear();
		return st;
	}
	token->assign(len, 0xAB);
	kgss_buffer in = {msg.size(), (void *)msg.data()};
	kgss_buffer out = {token->size(), token->data()};
	int conf_state = -1;
	st = kgss_wrap(c, conf, 0, &in, &conf_state, &out);
	if (st != KGSS_S_COMPLETE) {
		token->clear();
		return st;
	}
	CHECK_EQUAL(len, out.length);
	CHECK_EQUAL(conf ? 1 : 0, conf_state);
	return st;
}

kgss_status unwrap(kgss_ctx *c, const bytes &token, bytes *msg, int *conf_state)
{
	bytes out(token.size() + 1, 0xCD);
	kgss_buffer in = {token.size(), (void *)token.data()};
	kgss_buffer o = {out.size(), out.data()};
	uint32_t qop = 77;
	int cs = -1;
	kgss_status st = kgss_unwrap(c, &in, &o, &cs, &qop);
	CHECK_EQUAL(0u, qop);
	if (KGSS_ERROR(st)) {
		CHECK_EQUAL(0u, o.length);
		// no plaintext left behind in the working area
		for (size_t i = 0; i < token.size(); i++)
			CHECK_EQUAL(0, out[i]);
		msg->clear();
		return st;
	}
	msg->assign(out.begin(), out.begin() + o.length);
	if (conf_state)
		*conf_state = cs;
	return st;
}

kgss_status get_mic(kgss_ctx *c, const bytes &msg, bytes *token)
{
	size_t len = 0;
	kgss_status st = kgss_mic_size(c, msg.size(), &len);
	if (st != KGSS_S_COMPLETE)
		return st;
	token->assign(len, 0);
	kgss_buffer m = {msg.size(), (void *)msg.data()};
	kgss_buffer t = {token->size(), token->data()};
	st = kgss_get_mic(c, 0, &m, &t);
	if (st == KGSS_S_COMPLETE)
		CHECK_EQUAL(len, t.length);
	else
		token->clear();
	return st;
}

kgss_status verify_mic(kgss_ctx *c, const bytes &msg, const bytes &token)
{
	kgss_buffer m = {msg.size(), (void *)msg.data()};
	kgss_buffer t = {token.size(), (void *)token.data()};
	uint32_t qop = 9;
	kgss_status st = kgss_verify_mic(c, &m, &t, &qop);
	CHECK_EQUAL(0u, qop);
	return st;
}

bytes pattern(size_t n, uint8_t salt)
{
	bytes b(n);
	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)(i * 31 + salt + (i >> 8));
	return b;
}

uint16_t be16(const bytes &t, size_t off) { return (uint16_t)((t[off] << 8) | t[off + 1]); }
void put_be16(bytes &t, size_t off, uint16_t v)
{
	t[off] = (uint8_t)(v >> 8);
	t[off + 1] = (uint8_t)v;
}

bytes rotate_body_right(const bytes &t, size_t r)
{
	bytes out = t;
	size_t n = t.size() - 16;
	if (n == 0)
		return out;
	r %= n;
	for (size_t i = 0; i < n; i++)
		out[16 + (i + r) % n] = t[16 + i];
	return out;
}

} // namespace tt

namespace tt {

kgss_iov *iov_set::bind()
{
	iov.resize(types.size());
	for (size_t i = 0; i < types.size(); i++) {
		iov[i].type = types[i];
		iov[i].buffer.length = store[i].size();
		iov[i].buffer.value = store[i].empty() ? nullptr : store[i].data();
	}
	return iov.data();
}

bytes iov_set::wire() const
{
	bytes out;
	for (size_t i = 0; i < types.size(); i++)
		if (types[i] == KGSS_IOV_HEADER)
			out.insert(out.end(), store[i].begin(), store[i].end());
	for (size_t i = 0; i < types.size(); i++)
		if (types[i] == KGSS_IOV_DATA)
			out.insert(out.end(), store[i].begin(), store[i].end());
	for (size_t i = 0; i < types.size(); i++)
		if (types[i] == KGSS_IOV_TRAILER)
			out.insert(out.end(), store[i].begin(), store[i].end());
	return out;
}

bytes iov_set::data() const
{
	bytes out;
	for (size_t i = 0; i < types.size(); i++)
		if (types[i] == KGSS_IOV_DATA)
			out.insert(out.end(), store[i].begin(), store[i].end());
	return out;
}

size_t iov_set::index_of(uint32_t type) const
{
	for (size_t i = 0; i < types.size(); i++)
		if (types[i] == type)
			return i;
	FAIL("no such buffer");
	return 0;
}

kgss_status wrap_iov(kgss_ctx *c, bool conf, iov_set &s)
{
	int conf_state = -1;
	kgss_status st = kgss_wrap_iov_length(c, conf, 0, &conf_state, s.bind(), s.count());
	if (st != KGSS_S_COMPLETE)
		return st;
	CHECK_EQUAL(conf ? 1 : 0, conf_state);
	for (size_t i = 0; i < s.count(); i++) {
		uint32_t t = s.types[i];
		if (t == KGSS_IOV_HEADER || t == KGSS_IOV_TRAILER || t == KGSS_IOV_PADDING)
			s.store[i].assign(s.iov[i].buffer.length, 0xEE);
	}
	conf_state = -1;
	st = kgss_wrap_iov(c, conf, 0, &conf_state, s.bind(), s.count());
	if (st != KGSS_S_COMPLETE)
		return st;
	CHECK_EQUAL(conf ? 1 : 0, conf_state);
	for (size_t i = 0; i < s.count(); i++) {
		CHECK(s.iov[i].buffer.length <= s.store[i].size());
		s.store[i].resize(s.iov[i].buffer.length);
	}
	return st;
}

iov_set receiver_copy(const iov_set &s)
{
	iov_set r;
	for (size_t i = 0; i < s.count(); i++)
		r.add(s.types[i], s.store[i]);
	r.bind();
	return r;
}

} // namespace tt
