#include "import_util.h"

#include <stdlib.h>
#include <string.h>

#include <CppUTest/TestHarness.h>

#include "families.h"
#include "kgss_user.h"

namespace it {

const etinfo all_enctypes[] = {
	{16, 24, 0, 4, 2},       {17, 16, 1, 0, 0},       {18, 32, 1, 0, 0}, {19, 16, 1, 0, 0}, {20, 32, 1, 0, 0},
	{23, 16, 0, 0x11, 0x10}, {24, 16, 0, 0x11, 0x10}, {25, 16, 1, 0, 0}, {26, 32, 1, 0, 0},
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

const etinfo &rep(int32_t want)
{
	if (kt::enctype_compiled_in(want) && find(want))
		return *find(want);
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n_enctypes; i++)
			if (kt::enctype_compiled_in(all_enctypes[i].etype) &&
			    (pass == 1 || all_enctypes[i].protocol == 1))
				return all_enctypes[i];
	FAIL("no enctype compiled in");
	return all_enctypes[0];
}

bool compiled_out(int32_t etype)
{
	if (!kt::enctype_compiled_out(etype))
		return false;
	kt::check_enctype_absent(etype);
	const etinfo *e = find(etype == 6 ? 16 : etype);
	if (e == nullptr)
		FAIL("compiled_out: not an enctype of import_util's list");
	kgss_ctx *const sentinel = (kgss_ctx *)(uintptr_t)0x1;
	std::vector<uint8_t> mem(kgss_ctx_size());
	for (int sub = 0; sub < (e->protocol == 1 ? 2 : 1); sub++) {
		// lucid v1, allocator and caller memory
		lucid_holder h(etype, e->protocol, true, sub);
		counting_alloc ca;
		kgss_options o = plain_opts();
		ca.install(&o);
		kgss_ctx *c = sentinel;
		CHECK_EQUAL(KGSS_S_UNAVAILABLE, kgss_import_lucid_v1(&h.l, &o, &c));
		POINTERS_EQUAL(nullptr, c);
		CHECK_EQUAL(0, ca.allocs);
		c = sentinel;
		CHECK_EQUAL(KGSS_S_UNAVAILABLE, kgss_import_lucid_v1_into(mem.data(), mem.size(), &h.l, &o, &c));
		POINTERS_EQUAL(nullptr, c);
		// the writers cannot know the key length either
		size_t len = 4096;
		std::vector<uint8_t> out(len);
		CHECK_EQUAL(KGSS_S_UNAVAILABLE, kgss_lucid_to_downcall(&h.l, out.data(), &len));
		len = out.size();
		CHECK_EQUAL(KGSS_S_UNAVAILABLE, kgss_lucid_serialize(&h.l, out.data(), &len));

		// downcall, written by hand (host order): flags, endtime, seq, etype, key
		uint32_t flags = 1u | (e->protocol == 1 ? 2u : 0u) | (sub ? 4u : 0u), endtime = 2000000000u;
		uint64_t seq = 7;
		uint32_t et32 = (uint32_t)etype;
		std::vector<uint8_t> d(20 + e->key_len);
		memcpy(&d[0], &flags, 4);
		memcpy(&d[4], &endtime, 4);
		memcpy(&d[8], &seq, 8);
		memcpy(&d[16], &et32, 4);
		memcpy(&d[20], h.key.data(), e->key_len);
		c = sentinel;
		CHECK_EQUAL(KGSS_S_UNAVAILABLE, kgss_import_downcall(d.data(), d.size(), &o, &c));
		POINTERS_EQUAL(nullptr, c);
		c = sentinel;
		CHECK_EQUAL(KGSS_S_UNAVAILABLE,
			    kgss_import_downcall_into(mem.data(), mem.size(), d.data(), d.size(), &o, &c));
		POINTERS_EQUAL(nullptr, c);

		// serialized, written by hand (gss-kernel-lib/import.h layout, big endian)
		std::vector<uint8_t> s(58 + e->key_len, 0);
		auto be = [&s](size_t off, uint64_t v, int n) {
			for (int i = 0; i < n; i++)
				s[off + i] = (uint8_t)(v >> (8 * (n - 1 - i)));
		};
		memcpy(&s[0], "KGSS", 4);
		be(4, 1, 2);                    // version
		be(6, 1u | (sub ? 2u : 0u), 2); // flags: initiator, acceptor subkey
		be(8, s.size(), 4);             // total length
		be(12, e->protocol, 4);
		be(16, endtime, 8);
		be(24, seq, 8);
		be(32, seq, 8);
		be(40, e->protocol == 1 ? 0xffffffffu : e->sign_alg, 4);
		be(44, e->protocol == 1 ? 0xffffffffu : e->seal_alg, 4);
		be(48, et32, 4);
		be(52, e->key_len, 2);
		memcpy(&s[54], h.key.data(), e->key_len);
		memcpy(&s[54 + e->key_len], "KEND", 4);
		c = sentinel;
		CHECK_EQUAL(KGSS_S_UNAVAILABLE, kgss_import_serialized(s.data(), s.size(), &o, &c));
		POINTERS_EQUAL(nullptr, c);
		c = sentinel;
		CHECK_EQUAL(KGSS_S_UNAVAILABLE,
			    kgss_import_serialized_into(mem.data(), mem.size(), s.data(), s.size(), &o, &c));
		POINTERS_EQUAL(nullptr, c);
		CHECK_EQUAL(0, ca.allocs);
	}
	kt::note_compiled_out(etype, "lucid/downcall/serialized import -> UNAVAILABLE");
	return true;
}

} // namespace it
