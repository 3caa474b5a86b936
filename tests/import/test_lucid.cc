// kgss_import_lucid_v1 / _into: every enctype and protocol, every rejection.
#include <stdint.h>
#include <string.h>
#include <vector>

#include <CppUTest/TestHarness.h>

#include "gss-kernel-lib/context.h"
#include "import_util.h"

using it::lucid_holder;

namespace {

kgss_ctx *const SENTINEL = (kgss_ctx *)(uintptr_t)0x1;

// Imports with a counting allocator; checks the info matches the lucid.
void import_ok(lucid_holder &h, int32_t want_etype)
{
	it::counting_alloc ca;
	kgss_options o = it::plain_opts();
	ca.install(&o);
	kgss_ctx *c = SENTINEL;
	kgss_status st = kgss_import_lucid_v1(&h.l, &o, &c);
	CHECK_EQUAL_TEXT(KGSS_S_COMPLETE, st, kgss_status_string(st));
	CHECK(c != nullptr && c != SENTINEL);
	CHECK_EQUAL(1, ca.allocs);
	CHECK_EQUAL(sizeof(kgss_ctx), ca.last_size);
	kgss_ctx_info info;
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss_ctx_inquire(c, &info));
	CHECK_EQUAL(want_etype, info.enctype);
	CHECK_EQUAL(h.l.protocol, info.protocol);
	CHECK_EQUAL(h.l.initiate, info.initiator);
	CHECK_EQUAL(h.l.protocol == 1 ? h.l.cfx_kd.have_acceptor_subkey : 0u, info.acceptor_subkey);
	CHECK_EQUAL((uint64_t)h.l.endtime, info.endtime);
	CHECK_EQUAL(h.l.send_seq, info.send_seq);
	CHECK(info.enctype_name != nullptr);
	STRCMP_EQUAL("builtin", info.backend_name);
	CHECK_EQUAL(h.l.recv_seq, c->recv.base);
	kgss_ctx_free(c);
	CHECK_EQUAL(1, ca.frees);
	CHECK_FALSE(ca.size_mismatch);
}

// Rejected: *ctx_out NULL, nothing allocated.
void import_fails(const void *lucid, kgss_status want)
{
	it::counting_alloc ca;
	kgss_options o = it::plain_opts();
	ca.install(&o);
	kgss_ctx *c = SENTINEL;
	kgss_status st = kgss_import_lucid_v1(lucid, &o, &c);
	CHECK_EQUAL_TEXT(want, st, kgss_status_string(st));
	POINTERS_EQUAL(nullptr, c);
	CHECK_EQUAL(0, ca.allocs);
	CHECK_EQUAL(0, ca.frees);
	// And the same through caller memory.
	std::vector<uint8_t> mem(kgss_ctx_size(), 0xA5);
	c = SENTINEL;
	st = kgss_import_lucid_v1_into(mem.data(), mem.size(), lucid, &o, &c);
	CHECK_EQUAL(want, st);
	POINTERS_EQUAL(nullptr, c);
}

} // namespace

TEST_GROUP(lucid){};

TEST(lucid, every_enctype_its_protocol_both_roles)
{
	for (size_t i = 0; i < it::n_enctypes; i++) {
		const it::etinfo &e = it::all_enctypes[i];
		if (it::compiled_out(e.etype))
			continue;
		for (int init = 0; init < 2; init++) {
			lucid_holder h(e.etype, e.protocol, init);
			import_ok(h, e.etype);
			if (e.protocol == 1) {
				lucid_holder hs(e.etype, 1, init, true);
				import_ok(hs, e.etype);
			}
		}
	}
}

TEST(lucid, des3_key_labelled_6_or_16)
{
	if (it::compiled_out(6) && it::compiled_out(16))
		return;
	lucid_holder a(6, 0, true);
	import_ok(a, 16);
	lucid_holder b(16, 0, false);
	import_ok(b, 16);
}

TEST(lucid, acceptor_subkey_is_the_key_used)
{
	if (it::compiled_out(18) && it::compiled_out(17))
		return;
	// The context key is garbage-length: only the subkey may be looked at.
	lucid_holder h(18, 1, false, true);
	h.l.cfx_kd.ctx_key.length = 5;
	h.l.cfx_kd.ctx_key.data = nullptr;
	import_ok(h, 18);
	// And the other way round: without the flag the subkey is ignored.
	lucid_holder g(18, 1, false, false);
	g.l.cfx_kd.acceptor_subkey.length = 999;
	import_ok(g, 18);
	// A subkey of another enctype than the context key: the subkey's rules.
	lucid_holder m(17, 1, true, true);
	std::vector<uint8_t> k32 = it::key_for(18, 32);
	m.l.cfx_kd.acceptor_subkey.type = 18;
	m.l.cfx_kd.acceptor_subkey.length = 32;
	m.l.cfx_kd.acceptor_subkey.data = k32.data();
	import_ok(m, 18);
}

TEST(lucid, rejects_bad_version_protocol_initiate)
{
	for (uint32_t v : {0u, 2u, 0xffffffffu}) {
		lucid_holder h(18, 1, true);
		h.l.version = v;
		import_fails(&h.l, KGSS_S_DEFECTIVE_TOKEN);
	}
	for (uint32_t p : {2u, 3u, 0x80000000u}) {
		lucid_holder h(18, 1, true);
		h.l.protocol = p;
		import_fails(&h.l, KGSS_S_DEFECTIVE_TOKEN);
	}
	lucid_holder h(18, 1, true);
	h.l.initiate = 2;
	import_fails(&h.l, KGSS_S_DEFECTIVE_TOKEN);
	lucid_holder s(18, 1, true, true);
	s.l.cfx_kd.have_acceptor_subkey = 2;
	import_fails(&s.l, KGSS_S_DEFECTIVE_TOKEN);
	import_fails(nullptr, KGSS_S_DEFECTIVE_TOKEN);
}

TEST(lucid, unknown_enctype_is_unavailable)
{
	// 1 des-cbc-crc, 3 des-cbc-md5 (single DES: out of scope), 99, huge.
	for (uint32_t et : {1u, 3u, 5u, 7u, 99u, 0x7fffffffu, 0x80000000u, 0xffffffffu}) {
		lucid_holder h(18, 1, true);
		h.l.cfx_kd.ctx_key.type = et;
		import_fails(&h.l, KGSS_S_UNAVAILABLE);
		lucid_holder g(16, 0, true);
		g.l.rfc1964_kd.ctx_key.type = et;
		import_fails(&g.l, KGSS_S_UNAVAILABLE);
	}
}

TEST(lucid, key_length_must_match_enctype)
{
	for (size_t i = 0; i < it::n_enctypes; i++) {
		const it::etinfo &e = it::all_enctypes[i];
		if (it::compiled_out(e.etype))
			continue;
		std::vector<uint8_t> big(4096, 0x5a);
		for (uint32_t len : {0u, 1u, (uint32_t)e.key_len - 1, (uint32_t)e.key_len + 1, 64u, 65u, 4096u,
				     0x80000000u, 0xffffffffu}) {
			if (len == e.key_len)
				continue;
			lucid_holder h(e.etype, e.protocol, true);
			kgss_lucid_key &k = e.protocol == 1 ? h.l.cfx_kd.ctx_key : h.l.rfc1964_kd.ctx_key;
			k.length = len;
			k.data = big.data(); // readable for 4096 bytes, never beyond 64 read
			import_fails(&h.l, KGSS_S_DEFECTIVE_TOKEN);
		}
	}
}

TEST(lucid, null_key_data)
{
	lucid_holder h(18, 1, true);
	h.l.cfx_kd.ctx_key.data = nullptr;
	import_fails(&h.l, KGSS_S_DEFECTIVE_TOKEN);
	lucid_holder s(18, 1, true, true);
	s.l.cfx_kd.acceptor_subkey.data = nullptr;
	import_fails(&s.l, KGSS_S_DEFECTIVE_TOKEN);
	lucid_holder d(16, 0, true);
	d.l.rfc1964_kd.ctx_key.data = nullptr;
	import_fails(&d.l, KGSS_S_DEFECTIVE_TOKEN);
}

TEST(lucid, sign_seal_alg_must_match)
{
	struct {
		int32_t et;
		uint32_t sign, seal;
	} bad[] = {
		{16, 0x11, 2}, {16, 4, 0x10}, {16, 0x11, 0x10}, {16, 0, 0},    {16, 4, 0xffff},
		{23, 4, 0x10}, {23, 0x11, 2}, {23, 4, 2},       {24, 0, 0x10}, {24, 0x11, 0},
	};
	for (auto &b : bad) {
		if (it::compiled_out(b.et))
			continue;
		lucid_holder h(b.et, 0, true);
		h.l.rfc1964_kd.sign_alg = b.sign;
		h.l.rfc1964_kd.seal_alg = b.seal;
		import_fails(&h.l, KGSS_S_DEFECTIVE_TOKEN);
	}
}

TEST(lucid, protocol_must_fit_the_enctype)
{
	// CFX enctypes as RFC 1964, and DES3/RC4 as RFC 4121 (MIT never does either).
	for (int32_t et : {17, 18, 19, 20, 25, 26}) {
		if (it::compiled_out(et))
			continue;
		lucid_holder h(et, 0, true);
		import_fails(&h.l, KGSS_S_DEFECTIVE_TOKEN);
	}
	for (int32_t et : {16, 6, 23, 24}) {
		if (it::compiled_out(et))
			continue;
		lucid_holder h(et, 1, true);
		import_fails(&h.l, KGSS_S_DEFECTIVE_TOKEN);
	}
}

TEST(lucid, allocator_required_and_failure_handled)
{
	lucid_holder h(it::rep(18).etype, it::rep(18).protocol, true);
	kgss_options o = it::plain_opts(); // no allocator
	kgss_ctx *c = SENTINEL;
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_import_lucid_v1(&h.l, &o, &c));
	POINTERS_EQUAL(nullptr, c);
	c = SENTINEL;
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_import_lucid_v1(&h.l, nullptr, &c)); // NULL opts: defaults
	POINTERS_EQUAL(nullptr, c);
	// alloc without free: refused before allocating
	it::counting_alloc ca;
	ca.install(&o);
	o.free = nullptr;
	c = SENTINEL;
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_import_lucid_v1(&h.l, &o, &c));
	CHECK_EQUAL(0, ca.allocs);
	POINTERS_EQUAL(nullptr, c);
	// an allocator that fails
	o.alloc = [](void *, size_t) -> void * { return nullptr; };
	o.free = [](void *, void *, size_t) { FAIL("free of nothing"); };
	c = SENTINEL;
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_import_lucid_v1(&h.l, &o, &c));
	POINTERS_EQUAL(nullptr, c);
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_import_lucid_v1(&h.l, &o, nullptr));
}

TEST(lucid, into_caller_memory)
{
	lucid_holder h(it::rep(26).etype, it::rep(26).protocol, false, it::rep(26).protocol == 1);
	kgss_options o = it::plain_opts();
	const size_t need = kgss_ctx_size();
	CHECK(need >= sizeof(kgss_ctx));
	std::vector<uint8_t> buf(need + 64);
	// Any alignment works with kgss_ctx_size() bytes.
	for (size_t off = 0; off < 32; off++) {
		kgss_ctx *c = SENTINEL;
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss_import_lucid_v1_into(buf.data() + off, need, &h.l, &o, &c));
		CHECK((uint8_t *)c >= buf.data() + off);
		CHECK((uint8_t *)c + sizeof(kgss_ctx) <= buf.data() + off + need);
		CHECK_EQUAL(0u, (uintptr_t)c % alignof(kgss_ctx));
		kgss_ctx_free(c);
	}
	// Too small: FAILURE and the buffer untouched.
	uint8_t *aligned =
		buf.data() + (alignof(kgss_ctx) - (uintptr_t)buf.data() % alignof(kgss_ctx)) % alignof(kgss_ctx);
	for (size_t len : {(size_t)0, (size_t)1, sizeof(kgss_ctx) / 2, sizeof(kgss_ctx) - 1}) {
		memset(buf.data(), 0xA5, buf.size());
		kgss_ctx *c = SENTINEL;
		CHECK_EQUAL(KGSS_S_FAILURE, kgss_import_lucid_v1_into(aligned, len, &h.l, &o, &c));
		POINTERS_EQUAL(nullptr, c);
		for (uint8_t b : buf)
			CHECK_EQUAL(0xA5, b);
	}
	kgss_ctx *c = SENTINEL;
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss_import_lucid_v1_into(aligned, sizeof(kgss_ctx), &h.l, &o, &c));
	POINTERS_EQUAL(aligned, c);
	kgss_ctx_free(c);
	c = SENTINEL;
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_import_lucid_v1_into(aligned + 1, sizeof(kgss_ctx), &h.l, &o, &c));
	POINTERS_EQUAL(nullptr, c);
	c = SENTINEL;
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_import_lucid_v1_into(nullptr, need, &h.l, &o, &c));
	POINTERS_EQUAL(nullptr, c);
	// _into never calls the allocator.
	it::counting_alloc ca;
	ca.install(&o);
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss_import_lucid_v1_into(buf.data(), need, &h.l, &o, &c));
	kgss_ctx_free(c);
	CHECK_EQUAL(0, ca.allocs);
	CHECK_EQUAL(0, ca.frees);
}

// The context keeps no pointer into the lucid structure or its key buffers,
// and does not change when they are overwritten after import.
TEST(lucid, keeps_no_pointer_into_input)
{
	for (size_t i = 0; i < it::n_enctypes; i++) {
		const it::etinfo &e = it::all_enctypes[i];
		if (it::compiled_out(e.etype))
			continue;
		lucid_holder h(e.etype, e.protocol, true, e.protocol == 1);
		kgss_options o = it::plain_opts();
		std::vector<uint8_t> mem(kgss_ctx_size());
		kgss_ctx *c = nullptr;
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss_import_lucid_v1_into(mem.data(), mem.size(), &h.l, &o, &c));
		const uint8_t *lo[3] = {(const uint8_t *)&h.l, h.key.data(), h.subkey.data()};
		const size_t n[3] = {sizeof(h.l), h.key.size(), h.subkey.size()};
		const uint8_t *base = (const uint8_t *)c;
		for (size_t off = 0; off + sizeof(uintptr_t) <= sizeof(kgss_ctx); off += sizeof(uintptr_t)) {
			uintptr_t v;
			memcpy(&v, base + off, sizeof v);
			for (int r = 0; r < 3; r++)
				CHECK_FALSE_TEXT(v >= (uintptr_t)lo[r] && v < (uintptr_t)lo[r] + n[r],
						 "context holds a pointer into the input");
		}
		std::vector<uint8_t> before(base, base + sizeof(kgss_ctx));
		memset(h.key.data(), 0, h.key.size());
		memset(h.subkey.data(), 0, h.subkey.size());
		memset(&h.l, 0xff, sizeof(h.l));
		CHECK(memcmp(before.data(), base, sizeof(kgss_ctx)) == 0);
		kgss_ctx_free(c);
	}
}
