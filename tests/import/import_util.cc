#include "import_util.h"

#include <stdlib.h>
#include <string.h>

namespace it {

const etinfo all_enctypes[] = {
	{16, 24, 0, 4, 2},       {17, 16, 1, 0, 0},       {18, 32, 1, 0, 0},
	{19, 16, 1, 0, 0},       {20, 32, 1, 0, 0},       {23, 16, 0, 0x11, 0x10},
	{24, 16, 0, 0x11, 0x10}, {25, 16, 1, 0, 0},       {26, 32, 1, 0, 0},
};
const size_t n_enctypes = sizeof(all_enctypes) / sizeof(all_enctypes[0]);

const etinfo *find(int32_t etype)
{
	for (size_t i = 0; i < n_enctypes; i++)
		if (all_enctypes[i].etype == etype)
			return &all_enctypes[i];
	return nullptr;
}

std::vector<uint8_t> key_for(int32_t etype, size_t len, uint8_t salt)
{
	std::vector<uint8_t> k(len);
	for (size_t i = 0; i < len; i++)
		k[i] = (uint8_t)(0x11 + 37 * i + 13 * (uint32_t)etype + 101 * salt) | 0x01; // never 0
	return k;
}

lucid_holder::lucid_holder(int32_t etype, uint32_t protocol, bool initiator, bool with_subkey)
{
	memset(&l, 0, sizeof(l));
	const etinfo *e = find(etype == 6 ? 16 : etype);
	size_t len = e ? e->key_len : 16;
	key = key_for(etype, len, 1);
	subkey = key_for(etype, len, 2);
	l.version = 1;
	l.initiate = initiator ? 1 : 0;
	l.endtime = 2000000000u;
	l.send_seq = 0x1234;
	l.recv_seq = 0x5678;
	l.protocol = protocol;
	if (protocol == 0) {
		l.rfc1964_kd.sign_alg = e ? e->sign_alg : 0;
		l.rfc1964_kd.seal_alg = e ? e->seal_alg : 0;
		l.rfc1964_kd.ctx_key.type = (uint32_t)etype;
		l.rfc1964_kd.ctx_key.length = (uint32_t)key.size();
		l.rfc1964_kd.ctx_key.data = key.data();
	} else {
		l.cfx_kd.ctx_key.type = (uint32_t)etype;
		l.cfx_kd.ctx_key.length = (uint32_t)key.size();
		l.cfx_kd.ctx_key.data = key.data();
		if (with_subkey) {
			l.cfx_kd.have_acceptor_subkey = 1;
			l.cfx_kd.acceptor_subkey.type = (uint32_t)etype;
			l.cfx_kd.acceptor_subkey.length = (uint32_t)subkey.size();
			l.cfx_kd.acceptor_subkey.data = subkey.data();
		}
	}
}

static void *ca_alloc(void *c, size_t n)
{
	counting_alloc *a = (counting_alloc *)c;
	a->allocs++;
	a->last_size = n;
	void *p = aligned_alloc(64, (n + 63) / 64 * 64);
	a->last_ptr = p;
	return p;
}

static void ca_free(void *c, void *p, size_t n)
{
	counting_alloc *a = (counting_alloc *)c;
	a->frees++;
	if (n != a->last_size || p != a->last_ptr)
		a->size_mismatch = true;
	if (a->inspect)
		a->inspect(a, p, n);
	free(p);
}

void counting_alloc::install(kgss_options *o)
{
	o->alloc = ca_alloc;
	o->free = ca_free;
	o->alloc_ctx = this;
}

kgss_options plain_opts()
{
	kgss_options o;
	kgss_options_init(&o);
	return o;
}

} // namespace it
