// Context lifecycle: allocator hooks, wiping, double free, expiry, sequence
// numbers, randomness, options, status strings, libkgss_user.
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <CppUTest/TestHarness.h>

#include "gss-kernel-lib/context.h"
#include "gss-kernel-lib/import.h"
#include "import_util.h"
#include "kgss_user.h"

using it::lucid_holder;

namespace {

void keep_copy(it::counting_alloc *a, const void *p, size_t n)
{
	a->seen.assign((const uint8_t *)p, (const uint8_t *)p + n);
}

bool contains(const std::vector<uint8_t> &hay, const uint8_t *needle, size_t n)
{
	if (n == 0 || hay.size() < n)
		return false;
	for (size_t i = 0; i + n <= hay.size(); i++)
		if (memcmp(&hay[i], needle, n) == 0)
			return true;
	return false;
}

bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

kgss_ctx *import_into(std::vector<uint8_t> &mem, int32_t etype, uint32_t protocol, const kgss_options *o)
{
	if (it::compiled_out(etype)) { // the case is not about the enctype: use one compiled in
		protocol = it::rep(etype).protocol;
		etype = it::rep(etype).etype;
	}
	lucid_holder h(etype, protocol, true);
	mem.assign(kgss_ctx_size(), 0);
	kgss_ctx *c = nullptr;
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss_import_lucid_v1_into(mem.data(), mem.size(), &h.l, o, &c));
	return c;
}

} // namespace

TEST_GROUP(lifecycle){};

// The block handed back to the allocator holds nothing but the dead marker.
// The snapshot taken just before kgss_ctx_free shows what was there to wipe:
// the raw key's schedule and the derived keys; none of their 8-byte runs
// survives in the freed block.
TEST(lifecycle, free_wipes_everything_before_releasing)
{
	for (size_t i = 0; i < it::n_enctypes; i++) {
		const it::etinfo &e = it::all_enctypes[i];
		if (it::compiled_out(e.etype))
			continue;
		lucid_holder h(e.etype, e.protocol, true, e.protocol == 1);
		it::counting_alloc ca;
		ca.inspect = keep_copy;
		kgss_options o = it::plain_opts();
		ca.install(&o);
		kgss_ctx *c = nullptr;
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss_import_lucid_v1(&h.l, &o, &c));
		const std::vector<uint8_t> before((uint8_t *)c, (uint8_t *)c + sizeof(kgss_ctx));
		// kgss_ctx has two bases (not standard layout: no offsetof): the
		// keys' offset is measured on the object.
		const size_t koff = (size_t)((const uint8_t *)&c->k - (const uint8_t *)c), klen = sizeof(c->k);
		size_t nonzero = 0;
		for (size_t j = 0; j < klen; j++)
			nonzero += before[koff + j] != 0;
		CHECK(nonzero > 32); // derived keys were there

		kgss_ctx_free(c);
		CHECK_EQUAL(1, ca.allocs);
		CHECK_EQUAL(1, ca.frees);
		CHECK_FALSE(ca.size_mismatch);
		CHECK_EQUAL(sizeof(kgss_ctx), ca.seen.size());
		uint32_t magic;
		memcpy(&magic, ca.seen.data(), 4);
		CHECK_EQUAL(kgss::CTX_DEAD, magic);
		CHECK_TEXT(all_zero(ca.seen.data() + 4, ca.seen.size() - 4), "freed block not wiped");
		const uint8_t *key = e.protocol == 1 ? h.subkey.data() : h.key.data();
		CHECK_FALSE(contains(ca.seen, key, 8));
		for (size_t j = 0; j + 8 <= klen; j += 8) {
			const uint8_t *run = before.data() + koff + j;
			if (!all_zero(run, 8))
				CHECK_FALSE(contains(ca.seen, run, 8));
		}
	}
}

TEST(lifecycle, free_null_garbage_and_twice)
{
	kgss_ctx_free(nullptr);
	// Not a context (magic neither live nor dead): left alone.
	std::vector<uint8_t> junk(kgss_ctx_size(), 0x5a);
	kgss_ctx_free((kgss_ctx *)junk.data());
	for (uint8_t b : junk)
		CHECK_EQUAL(0x5a, b);

	// Caller memory: after free, NO_CONTEXT everywhere, a second free is a no-op.
	kgss_options o = it::plain_opts();
	std::vector<uint8_t> mem;
	kgss_ctx *c = import_into(mem, 18, 1, &o);
	kgss_ctx_info info;
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss_ctx_inquire(c, &info));
	kgss_ctx_free(c);
	CHECK_EQUAL(KGSS_S_NO_CONTEXT, kgss::ctx_check(c));
	CHECK_EQUAL(KGSS_S_NO_CONTEXT, kgss_ctx_inquire(c, &info));
	kgss_ctx_free(c);
	CHECK_EQUAL(kgss::CTX_DEAD, c->magic);
	CHECK_EQUAL(KGSS_S_NO_CONTEXT, kgss_ctx_inquire(nullptr, &info));
}

// A library-allocated context freed twice while its block is still mapped
// (an allocator that defers release): the free hook runs once.
namespace {
struct deferring {
	int frees = 0;
	std::vector<void *> held;
};
void *d_alloc(void *, size_t n) { return aligned_alloc(64, (n + 63) / 64 * 64); }
void d_free(void *a, void *p, size_t) { ((deferring *)a)->frees++, ((deferring *)a)->held.push_back(p); }
} // namespace

TEST(lifecycle, double_free_of_allocated_context_frees_once)
{
	deferring d;
	kgss_options o = it::plain_opts();
	o.alloc = d_alloc;
	o.free = d_free;
	o.alloc_ctx = &d;
	lucid_holder h(it::rep(17).etype, it::rep(17).protocol, false);
	kgss_ctx *c = nullptr;
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss_import_lucid_v1(&h.l, &o, &c));
	kgss_ctx_free(c);
	kgss_ctx_free(c);
	CHECK_EQUAL(1, d.frees);
	for (void *p : d.held)
		free(p);
}

TEST(lifecycle, failed_setup_frees_with_same_size_and_wipes)
{
	// Validation failures allocate nothing (checked in test_lucid); a bad
	// _into buffer is left untouched; here: options with unknown flags.
	it::counting_alloc ca;
	kgss_options o = it::plain_opts();
	ca.install(&o);
	o.flags = 0x80;
	lucid_holder h(18, 1, true);
	kgss_ctx *c = (kgss_ctx *)&o;
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_import_lucid_v1(&h.l, &o, &c));
	POINTERS_EQUAL(nullptr, c);
	CHECK_EQUAL(0, ca.allocs);
}

namespace {
struct fake_clock {
	uint64_t now = 0;
	bool fail = false;
	int calls = 0;
};
int fake_clock_fn(void *p, uint64_t *now)
{
	fake_clock *f = (fake_clock *)p;
	f->calls++;
	if (f->fail)
		return -1;
	*now = f->now;
	return 0;
}
} // namespace

TEST(lifecycle, expiry_with_injected_clock)
{
	fake_clock fc;
	kgss_options o = it::plain_opts();
	o.clock = fake_clock_fn;
	o.clock_ctx = &fc;
	std::vector<uint8_t> mem;
	kgss_ctx *c = import_into(mem, 18, 1, &o); // endtime 2000000000
	fc.now = 1999999999;
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss::ctx_check_expiry(c));
	fc.now = 2000000000;
	CHECK_EQUAL(KGSS_S_CONTEXT_EXPIRED, kgss::ctx_check_expiry(c));
	fc.now = 2000000001;
	CHECK_EQUAL(KGSS_S_CONTEXT_EXPIRED, kgss::ctx_check_expiry(c));
	fc.now = ~(uint64_t)0;
	CHECK_EQUAL(KGSS_S_CONTEXT_EXPIRED, kgss::ctx_check_expiry(c));
	fc.now = 0;
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss::ctx_check_expiry(c));
	fc.fail = true;
	CHECK_EQUAL(KGSS_S_FAILURE, kgss::ctx_check_expiry(c));
	CHECK(fc.calls == 6);
	kgss_ctx_free(c);
	// No clock: never expires.
	kgss_options n = it::plain_opts();
	c = import_into(mem, 18, 1, &n);
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss::ctx_check_expiry(c));
	kgss_ctx_free(c);
}

TEST(lifecycle, send_sequence_numbers)
{
	kgss_options o = it::plain_opts();
	std::vector<uint8_t> mem;
	if (!it::compiled_out(18)) { // RFC 4121: 64-bit sequence numbers
		lucid_holder h(18, 1, true);
		h.l.send_seq = 0xfffffffffffffffeull;
		mem.assign(kgss_ctx_size(), 0);
		kgss_ctx *c = nullptr;
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss_import_lucid_v1_into(mem.data(), mem.size(), &h.l, &o, &c));
		CHECK_EQUAL(0xfffffffffffffffeull, kgss::ctx_next_send_seq(c));
		CHECK_EQUAL(0xffffffffffffffffull, kgss::ctx_next_send_seq(c));
		CHECK_EQUAL(0u, kgss::ctx_next_send_seq(c));
		kgss_ctx_info info;
		kgss_ctx_inquire(c, &info);
		CHECK_EQUAL(1u, info.send_seq);
		kgss_ctx_free(c);
	}
	// Concurrent takers never get the same number.
	kgss_ctx *c = import_into(mem, 18, 1, &o);
	const uint64_t first = c->send_seq;
	const int threads = 4, per = 10000;
	std::vector<std::vector<uint64_t>> got(threads);
	std::vector<std::thread> ts;
	for (int t = 0; t < threads; t++)
		ts.emplace_back([&, t] {
			for (int i = 0; i < per; i++)
				got[t].push_back(kgss::ctx_next_send_seq(c));
		});
	for (auto &t : ts)
		t.join();
	std::set<uint64_t> all;
	for (auto &g : got)
		all.insert(g.begin(), g.end());
	CHECK_EQUAL((size_t)threads * per, all.size());
	CHECK_EQUAL(first, *all.begin());
	CHECK_EQUAL(first + threads * per - 1, *all.rbegin());
	kgss_ctx_free(c);
}

TEST(lifecycle, rfc1964_sequence_numbers_are_32_bits)
{
	if (it::compiled_out(16))
		return;
	kgss_options o = it::plain_opts();
	lucid_holder h(16, 0, true);
	h.l.send_seq = 0x100000005ull;
	std::vector<uint8_t> mem(kgss_ctx_size());
	kgss_ctx *c = nullptr;
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss_import_lucid_v1_into(mem.data(), mem.size(), &h.l, &o, &c));
	CHECK_EQUAL(5u, kgss::ctx_next_send_seq(c));
	kgss_ctx_free(c);
}

namespace {
struct prng_state {
	int calls = 0;
	bool fail = false;
};
int test_gen(void *p, uint8_t *out, size_t len)
{
	prng_state *s = (prng_state *)p;
	s->calls++;
	memset(out, 0x42, len); // writes, then maybe fails: must not leak out
	return s->fail ? -1 : 0;
}
} // namespace

TEST(lifecycle, randomness)
{
	uint8_t buf[24];
	// No PRNG: UNAVAILABLE.
	kgss_options o = it::plain_opts();
	std::vector<uint8_t> mem;
	kgss_ctx *c = import_into(mem, 18, 1, &o);
	CHECK_EQUAL(KGSS_S_UNAVAILABLE, kgss::ctx_random(c, buf, sizeof buf));
	kgss_ctx_free(c);

	// The kgss_prng is copied by value at import.
	prng_state ps;
	kgss_prng p = {test_gen, &ps};
	o.prng = &p;
	c = import_into(mem, 18, 1, &o);
	p.generate = nullptr; // the caller's struct may change or go away
	memset(buf, 0, sizeof buf);
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss::ctx_random(c, buf, sizeof buf));
	CHECK_EQUAL(1, ps.calls);
	CHECK_EQUAL(0x42, buf[23]);
	ps.fail = true;
	CHECK_EQUAL(KGSS_S_FAILURE, kgss::ctx_random(c, buf, sizeof buf));
	CHECK(all_zero(buf, sizeof buf)); // nothing the generator wrote survives
	kgss_ctx_free(c);
}

TEST(lifecycle, options)
{
	kgss_options o;
	memset(&o, 0xff, sizeof o);
	kgss_options_init(&o);
	CHECK_EQUAL(sizeof(kgss_options), o.struct_size);
	CHECK_EQUAL(0u, o.flags);
	POINTERS_EQUAL(kgss_crypto_builtin(), o.crypto);
	POINTERS_EQUAL(nullptr, o.prng);
	CHECK(o.clock == nullptr && o.alloc == nullptr && o.free == nullptr);
	POINTERS_EQUAL(nullptr, o.clock_ctx);
	POINTERS_EQUAL(nullptr, o.alloc_ctx);
	kgss_options_init(nullptr);

	kgss_options r;
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss::options_resolve(nullptr, &r));
	POINTERS_EQUAL(kgss_crypto_builtin(), r.crypto);
	// An older, shorter struct: fields past struct_size are not read.
	kgss_options old;
	memset(&old, 0xff, sizeof old);
	old.struct_size = offsetof(kgss_options, prng);
	old.flags = KGSS_OPT_REPLAY_DETECT;
	old.crypto = nullptr;
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss::options_resolve(&old, &r));
	CHECK_EQUAL(KGSS_OPT_REPLAY_DETECT, r.flags);
	POINTERS_EQUAL(kgss_crypto_builtin(), r.crypto);
	POINTERS_EQUAL(nullptr, r.prng);
	CHECK(r.alloc == nullptr);
	// A struct_size that cuts a pointer in half: that field keeps its default.
	old.struct_size = offsetof(kgss_options, prng) + 3;
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss::options_resolve(&old, &r));
	POINTERS_EQUAL(nullptr, r.prng);
	// Never initialised / unknown flag bits.
	old.struct_size = 0;
	CHECK_EQUAL(KGSS_S_FAILURE, kgss::options_resolve(&old, &r));
	kgss_options_init(&o);
	o.flags = 0x4;
	CHECK_EQUAL(KGSS_S_FAILURE, kgss::options_resolve(&o, &r));
	lucid_holder h(it::rep(18).etype, it::rep(18).protocol, true);
	std::vector<uint8_t> mem(kgss_ctx_size());
	kgss_ctx *c = (kgss_ctx *)mem.data();
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_import_lucid_v1_into(mem.data(), mem.size(), &h.l, &o, &c));
	POINTERS_EQUAL(nullptr, c);
	// NULL options: defaults (builtin backend), fine for _into.
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss_import_lucid_v1_into(mem.data(), mem.size(), &h.l, nullptr, &c));
	kgss_ctx_info info;
	kgss_ctx_inquire(c, &info);
	STRCMP_EQUAL("builtin", info.backend_name);
	kgss_ctx_free(c);
	// A backend lacking a primitive: UNAVAILABLE.
	if (it::compiled_out(18))
		return;
	kgss_crypto_backend partial = *kgss_crypto_builtin();
	partial.aes256 = nullptr;
	kgss_options_init(&o);
	o.crypto = &partial;
	CHECK_EQUAL(KGSS_S_UNAVAILABLE, kgss_import_lucid_v1_into(mem.data(), mem.size(), &h.l, &o, &c));
	lucid_holder h17(17, 1, true);
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss_import_lucid_v1_into(mem.data(), mem.size(), &h17.l, &o, &c));
	kgss_ctx_free(c);
	partial = *kgss_crypto_builtin();
	partial.abi_version = 99;
	CHECK_EQUAL(KGSS_S_UNAVAILABLE, kgss_import_lucid_v1_into(mem.data(), mem.size(), &h17.l, &o, &c));
}

TEST(lifecycle, status_strings)
{
	STRCMP_EQUAL("COMPLETE", kgss_status_string(KGSS_S_COMPLETE));
	STRCMP_EQUAL("BAD_MECH", kgss_status_string(KGSS_S_BAD_MECH));
	STRCMP_EQUAL("BAD_SIG", kgss_status_string(KGSS_S_BAD_MIC));
	STRCMP_EQUAL("NO_CONTEXT", kgss_status_string(KGSS_S_NO_CONTEXT));
	STRCMP_EQUAL("DEFECTIVE_TOKEN", kgss_status_string(KGSS_S_DEFECTIVE_TOKEN));
	STRCMP_EQUAL("CONTEXT_EXPIRED", kgss_status_string(KGSS_S_CONTEXT_EXPIRED));
	STRCMP_EQUAL("FAILURE", kgss_status_string(KGSS_S_FAILURE));
	STRCMP_EQUAL("BAD_QOP", kgss_status_string(KGSS_S_BAD_QOP));
	STRCMP_EQUAL("UNAVAILABLE", kgss_status_string(KGSS_S_UNAVAILABLE));
	STRCMP_EQUAL("COMPLETE+DUPLICATE_TOKEN", kgss_status_string(KGSS_S_DUPLICATE_TOKEN));
	STRCMP_EQUAL("COMPLETE+OLD_TOKEN", kgss_status_string(KGSS_S_OLD_TOKEN));
	STRCMP_EQUAL("COMPLETE+UNSEQ_TOKEN", kgss_status_string(KGSS_S_UNSEQ_TOKEN));
	STRCMP_EQUAL("COMPLETE+GAP_TOKEN", kgss_status_string(KGSS_S_GAP_TOKEN));
	STRCMP_EQUAL("COMPLETE+OLD_TOKEN+UNSEQ_TOKEN", kgss_status_string(KGSS_S_OLD_TOKEN | KGSS_S_UNSEQ_TOKEN));
	STRCMP_EQUAL(
		"COMPLETE+DUPLICATE_TOKEN+OLD_TOKEN+UNSEQ_TOKEN+GAP_TOKEN",
		kgss_status_string(KGSS_S_DUPLICATE_TOKEN | KGSS_S_OLD_TOKEN | KGSS_S_UNSEQ_TOKEN | KGSS_S_GAP_TOKEN));
	// Every combination names exactly its bits.
	const char *names[4] = {"DUPLICATE_TOKEN", "OLD_TOKEN", "UNSEQ_TOKEN", "GAP_TOKEN"};
	for (uint32_t m = 0; m < 16; m++) {
		std::string want = "COMPLETE";
		for (int b = 0; b < 4; b++)
			if (m & (1u << b))
				want += std::string("+") + names[b];
		STRCMP_EQUAL(want.c_str(), kgss_status_string(m << 1));
	}
	STRCMP_EQUAL("UNKNOWN_STATUS", kgss_status_string(1)); // CONTINUE_NEEDED: never ours
	STRCMP_EQUAL("UNKNOWN_STATUS", kgss_status_string(1u << 5));
	STRCMP_EQUAL("UNKNOWN_STATUS", kgss_status_string(19u << 16));
	STRCMP_EQUAL("UNKNOWN_STATUS", kgss_status_string(1u << 24)); // calling error
	STRCMP_EQUAL("FAILURE", kgss_status_string(KGSS_S_FAILURE | KGSS_S_GAP_TOKEN));
}

TEST(lifecycle, user_options)
{
	kgss_options o;
	kgss_options_init_user(&o);
	CHECK(o.alloc != nullptr && o.free != nullptr && o.clock != nullptr);
	CHECK(o.prng != nullptr);
	POINTERS_EQUAL(kgss_prng_user(), o.prng);
	uint64_t now = 0;
	CHECK_EQUAL(0, o.clock(o.clock_ctx, &now));
	const uint64_t t = (uint64_t)time(nullptr);
	CHECK(now + 2 >= t && now <= t + 2);
	uint8_t a[48], b[48];
	CHECK_EQUAL(0, o.prng->generate(o.prng->ctx, a, sizeof a));
	CHECK_EQUAL(0, o.prng->generate(o.prng->ctx, b, sizeof b));
	CHECK(memcmp(a, b, sizeof a) != 0);
	CHECK_FALSE(all_zero(a, sizeof a));
	const kgss_prng *g = kgss_prng_getrandom();
	CHECK(g != nullptr);
	CHECK_EQUAL(0, g->generate(g->ctx, a, sizeof a));
	CHECK_FALSE(all_zero(a, sizeof a));
	kgss_options_init_user(nullptr);

	// A full user-space import/free cycle, with the window on.
	o.flags = KGSS_OPT_REPLAY_DETECT | KGSS_OPT_SEQUENCE_DETECT;
	lucid_holder h(it::rep(20).etype, it::rep(20).protocol, true, it::rep(20).protocol == 1);
	kgss_ctx *c = nullptr;
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss_import_lucid_v1(&h.l, &o, &c));
	uint8_t conf[16];
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss::ctx_random(c, conf, sizeof conf));
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss::ctx_check_expiry(c)); // endtime 2000000000 is in 2033
	kgss_ctx_free(c);
}

// ---- end to end through the public per-message calls (api.cc) ----------------

namespace {

// An initiator/acceptor pair sharing one key, sequence numbers lined up.
struct pair {
	lucid_holder i, a;
	std::vector<uint8_t> mi, ma;
	kgss_ctx *ci = nullptr, *ca = nullptr;
	pair(int32_t etype, uint32_t protocol, const kgss_options *oi, const kgss_options *oa)
	    : i(etype, protocol, true, protocol == 1), a(etype, protocol, false, protocol == 1)
	{
		a.key = i.key; // same keys, same buffers' contents
		a.subkey = i.subkey;
		kgss_lucid_key &ka = protocol == 1 ? a.l.cfx_kd.acceptor_subkey : a.l.rfc1964_kd.ctx_key;
		ka.data = protocol == 1 ? a.subkey.data() : a.key.data();
		if (protocol == 1)
			a.l.cfx_kd.ctx_key.data = a.key.data();
		a.l.send_seq = i.l.recv_seq;
		a.l.recv_seq = i.l.send_seq;
		mi.assign(kgss_ctx_size(), 0);
		ma.assign(kgss_ctx_size(), 0);
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss_import_lucid_v1_into(mi.data(), mi.size(), &i.l, oi, &ci));
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss_import_lucid_v1_into(ma.data(), ma.size(), &a.l, oa, &ca));
	}
	~pair()
	{
		kgss_ctx_free(ci);
		kgss_ctx_free(ca);
	}
};

kgss_status mic(kgss_ctx *c, std::vector<uint8_t> &tok)
{
	static const char msg[] = "rpcsec_gss header";
	kgss_buffer m = {sizeof msg, (void *)msg};
	tok.assign(256, 0);
	kgss_buffer t = {tok.size(), tok.data()};
	kgss_status st = kgss_get_mic(c, 0, &m, &t);
	tok.resize(st == KGSS_S_COMPLETE ? t.length : 0);
	return st;
}

kgss_status verify(kgss_ctx *c, const std::vector<uint8_t> &tok)
{
	static const char msg[] = "rpcsec_gss header";
	kgss_buffer m = {sizeof msg, (void *)msg};
	kgss_buffer t = {tok.size(), (void *)tok.data()};
	return kgss_verify_mic(c, &m, &t, nullptr);
}

} // namespace

TEST(lifecycle, expiry_through_get_mic)
{
	fake_clock fc;
	kgss_options o = it::plain_opts();
	o.clock = fake_clock_fn;
	o.clock_ctx = &fc;
	for (size_t k = 0; k < it::n_enctypes; k++) {
		const it::etinfo &e = it::all_enctypes[k];
		if (it::compiled_out(e.etype))
			continue;
		pair p(e.etype, e.protocol, &o, &o);
		std::vector<uint8_t> tok;
		fc.now = 1999999999;
		CHECK_EQUAL(KGSS_S_COMPLETE, mic(p.ci, tok));
		CHECK_EQUAL(KGSS_S_COMPLETE, verify(p.ca, tok));
		const uint64_t seq = p.ci->send_seq;
		fc.now = 2000000000;
		std::vector<uint8_t> tok2;
		CHECK_EQUAL(KGSS_S_CONTEXT_EXPIRED, mic(p.ci, tok2));
		CHECK_EQUAL(seq, p.ci->send_seq); // no sequence number consumed
		CHECK_EQUAL(KGSS_S_CONTEXT_EXPIRED, verify(p.ca, tok));
		fc.now = 2000000001;
		CHECK_EQUAL(KGSS_S_CONTEXT_EXPIRED, mic(p.ci, tok2));
		fc.fail = true;
		CHECK_EQUAL(KGSS_S_FAILURE, mic(p.ci, tok2));
		fc.fail = false;
	}
}

TEST(lifecycle, receive_window_through_verify_mic)
{
	kgss_options oi = it::plain_opts();
	kgss_options oa = it::plain_opts();
	oa.flags = KGSS_OPT_REPLAY_DETECT | KGSS_OPT_SEQUENCE_DETECT;
	for (size_t k = 0; k < it::n_enctypes; k++) {
		const it::etinfo &e = it::all_enctypes[k];
		if (it::compiled_out(e.etype))
			continue;
		pair p(e.etype, e.protocol, &oi, &oa);
		std::vector<uint8_t> t0, t1, t2;
		CHECK_EQUAL(KGSS_S_COMPLETE, mic(p.ci, t0));
		CHECK_EQUAL(KGSS_S_COMPLETE, mic(p.ci, t1));
		CHECK_EQUAL(KGSS_S_COMPLETE, mic(p.ci, t2));
		CHECK_EQUAL(KGSS_S_COMPLETE, verify(p.ca, t0));
		CHECK_EQUAL(KGSS_S_DUPLICATE_TOKEN, verify(p.ca, t0));
		CHECK_EQUAL(KGSS_S_GAP_TOKEN, verify(p.ca, t2));
		CHECK_EQUAL(KGSS_S_UNSEQ_TOKEN, verify(p.ca, t1));
		CHECK_EQUAL(KGSS_S_DUPLICATE_TOKEN, verify(p.ca, t1));
	}
}

TEST(lifecycle, freed_context_answers_no_context)
{
	kgss_options o = it::plain_opts();
	std::vector<uint8_t> mem;
	kgss_ctx *c = import_into(mem, 18, 1, &o);
	std::vector<uint8_t> tok;
	CHECK_EQUAL(KGSS_S_COMPLETE, mic(c, tok));
	kgss_ctx_free(c);
	CHECK_EQUAL(KGSS_S_NO_CONTEXT, mic(c, tok));
	CHECK_EQUAL(KGSS_S_NO_CONTEXT, verify(c, tok));
}

TEST(lifecycle, sealed_wrap_needs_a_prng)
{
	kgss_options o = it::plain_opts();
	kgss_options u;
	kgss_options_init_user(&u);
	for (size_t k = 0; k < it::n_enctypes; k++) {
		const it::etinfo &e = it::all_enctypes[k];
		if (it::compiled_out(e.etype))
			continue;
		{
			pair p(e.etype, e.protocol, &o, &o);
			uint8_t in[40] = "payload", out[256];
			kgss_buffer bi = {sizeof in, in}, bo = {sizeof out, out};
			int conf = -1;
			CHECK_EQUAL(KGSS_S_UNAVAILABLE, kgss_wrap(p.ci, 1, 0, &bi, &conf, &bo));
		}
		pair p(e.etype, e.protocol, &u, &u);
		uint8_t in[40] = "payload", out[256], back[256];
		kgss_buffer bi = {sizeof in, in}, bo = {sizeof out, out};
		int conf = -1;
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss_wrap(p.ci, 1, 0, &bi, &conf, &bo));
		CHECK_EQUAL(1, conf);
		kgss_buffer bb = {sizeof back, back};
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss_unwrap(p.ca, &bo, &bb, &conf, nullptr));
		CHECK_EQUAL(sizeof in, bb.length);
		CHECK(memcmp(back, in, sizeof in) == 0);
	}
}

namespace {
void *misaligned_alloc(void *, size_t n) { return (uint8_t *)malloc(n + 1) + 1; }
int g_misaligned_frees;
void misaligned_free(void *, void *p, size_t) { g_misaligned_frees++, free((uint8_t *)p - 1); }
} // namespace

// kgss_ctx_free hands the context pointer itself to the free hook, so an
// allocator's block must already be aligned: a misaligned one is returned at
// once and the import fails.
TEST(lifecycle, misaligned_allocator_block_is_refused)
{
	kgss_options o = it::plain_opts();
	o.alloc = misaligned_alloc;
	o.free = misaligned_free;
	g_misaligned_frees = 0;
	lucid_holder h(it::rep(18).etype, it::rep(18).protocol, true);
	kgss_ctx *c = (kgss_ctx *)&o;
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_import_lucid_v1(&h.l, &o, &c));
	POINTERS_EQUAL(nullptr, c);
	CHECK_EQUAL(1, g_misaligned_frees);
}

#include <sys/wait.h>
#include <unistd.h>

namespace {
// Reads len bytes a forked child writes to fd (then closes fd), reaps the
// child and checks that it sent them all and exited with status 0.
void collect_child(int fd, pid_t pid, void *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t r = read(fd, (uint8_t *)buf + got, len - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	int status = 0;
	waitpid(pid, &status, 0);
	CHECK_EQUAL(len, got);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
} // namespace

// After fork() the child's process-wide generator is re-seeded: parent and
// child never produce the same confounders.
TEST(lifecycle, user_prng_differs_after_fork)
{
	const kgss_prng *g = kgss_prng_user();
	CHECK(g != nullptr);
	int fds[2];
	CHECK_EQUAL(0, pipe(fds));
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		uint8_t out[32];
		int ok = g->generate(g->ctx, out, sizeof out) == 0;
		ssize_t w = write(fds[1], out, ok ? sizeof out : 0);
		_exit(w == (ssize_t)sizeof out ? 0 : 1);
	}
	uint8_t mine[32], theirs[32];
	CHECK_EQUAL(0, g->generate(g->ctx, mine, sizeof mine));
	close(fds[1]);
	collect_child(fds[0], pid, theirs, sizeof theirs);
	CHECK(memcmp(mine, theirs, sizeof mine) != 0);
}

// A kernel may receive the downcall (or a serialized context) into a buffer
// and build the context in that same memory with the *_into import.  The
// import used to clear its memory before it read the key, so the context was
// silently keyed with zeros (COMPLETE, and its sealed tokens readable by
// anyone).  The key is read before the memory is touched: the context must
// equal one imported from a separate copy, for every enctype and format.
TEST(lifecycle, import_into_the_memory_it_reads_from)
{
	for (size_t i = 0; i < it::n_enctypes; i++) {
		const it::etinfo &e = it::all_enctypes[i];
		if (it::compiled_out(e.etype))
			continue;
		lucid_holder me(e.etype, e.protocol, true, e.protocol == 1);
		lucid_holder peer(e.etype, e.protocol, false, e.protocol == 1);
		kgss_options o = it::plain_opts();
		kgss_prng prng = *kgss_prng_getrandom();
		o.prng = &prng;
		std::vector<uint8_t> peer_mem(kgss_ctx_size());
		kgss_ctx *p = nullptr;
		CHECK_EQUAL(KGSS_S_COMPLETE,
			    kgss_import_lucid_v1_into(peer_mem.data(), peer_mem.size(), &peer.l, &o, &p));

		for (int format = 0; format < 3; format++) {
			std::vector<uint8_t> mem(kgss_ctx_size() + 256);
			size_t len = mem.size();
			kgss_ctx *c = nullptr;
			kgss_status st;
			if (format == 0) {
				CHECK_EQUAL(KGSS_S_COMPLETE, kgss_lucid_to_downcall(&me.l, mem.data(), &len));
				st = kgss_import_downcall_into(mem.data(), mem.size(), mem.data(), len, &o, &c);
			} else if (format == 1) {
				CHECK_EQUAL(KGSS_S_COMPLETE, kgss_lucid_serialize(&me.l, mem.data(), &len));
				st = kgss_import_serialized_into(mem.data(), mem.size(), mem.data(), len, &o, &c);
			} else {
				// The lucid structure and its key bytes inside the memory.
				kgss_lucid_context_v1 l = me.l;
				kgss_lucid_key *k = e.protocol == 0 ? &l.rfc1964_kd.ctx_key : &l.cfx_kd.acceptor_subkey;
				memcpy(mem.data() + 40, k->data, k->length);
				k->data = mem.data() + 40;
				st = kgss_import_lucid_v1_into(mem.data(), mem.size(), &l, &o, &c);
			}
			const std::string what =
				"etype " + std::to_string(e.etype) + " format " + std::to_string(format);
			CHECK_EQUAL_TEXT(KGSS_S_COMPLETE, st, what.c_str());
			// Tokens both ways with the peer built from a separate copy.
			uint8_t msg[33], tok[256], out[256];
			for (size_t j = 0; j < sizeof msg; j++)
				msg[j] = (uint8_t)(j * 3 + format);
			kgss_buffer m = {sizeof msg, msg}, t = {sizeof tok, tok}, pl = {sizeof out, out};
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss_wrap(c, 1, 0, &m, nullptr, &t));
			st = kgss_unwrap(p, &t, &pl, nullptr, nullptr); // BAD_SIG when keyed with zeros
			CHECK_EQUAL_TEXT(KGSS_S_COMPLETE, st, what.c_str());
			CHECK(pl.length == sizeof msg && memcmp(out, msg, sizeof msg) == 0);
			t.length = sizeof tok;
			pl.length = sizeof out;
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss_get_mic(p, 0, &m, &t));
			st = kgss_verify_mic(c, &m, &t, nullptr);
			CHECK_EQUAL_TEXT(KGSS_S_COMPLETE, st, what.c_str());
			kgss_ctx_free(c);
		}
		kgss_ctx_free(p);
	}
}

// ---- kgss_prng_user after this thread's thread_local destructors ------------------
//
// glibc runs a thread's thread_local destructors first and only then its
// pthread_key destructors (and, for the main thread at exit(), the atexit
// handlers and static destructors).  Code there may still wrap a message (a
// last RPC on shutdown).  The per-thread keystream cache's destructor used to
// wipe its bytes but leave them marked unused, so the next small requests on
// that thread were served the wiped bytes: generate() answered 0 with an
// all-zero confounder.  A request there must give fresh random bytes (or fail).

#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

struct late_draw {
	int rc[4] = {-2, -2, -2, -2};
	uint8_t out[4][16] = {};
};
late_draw g_late;
pthread_key_t g_late_key;

void draw_late(late_draw *d)
{
	const kgss_prng *g = kgss_prng_user();
	for (int i = 0; i < 4; i++)
		d->rc[i] = g ? g->generate(g->ctx, d->out[i], sizeof d->out[i]) : -3;
}

void late_key_destructor(void *) { draw_late(&g_late); }

void *late_thread(void *)
{
	pthread_setspecific(g_late_key, &g_late); // non-NULL: the destructor runs
	const kgss_prng *g = kgss_prng_user();
	uint8_t conf[16];
	// Fills this thread's cache (256 bytes) and takes 16 of them.
	if (g == nullptr || g->generate(g->ctx, conf, sizeof conf) != 0)
		g_late.rc[0] = -4;
	return nullptr;
}

// Checks one set of late draws: each succeeded with bytes that are neither
// zero nor repeated.  Returns a description of the first problem, or "".
std::string late_problem(const late_draw &d)
{
	for (int i = 0; i < 4; i++) {
		if (d.rc[i] != 0)
			return "draw " + std::to_string(i) + " rc " + std::to_string(d.rc[i]);
		if (all_zero(d.out[i], sizeof d.out[i]))
			return "draw " + std::to_string(i) + " all zero";
		for (int j = 0; j < i; j++)
			if (memcmp(d.out[i], d.out[j], sizeof d.out[i]) == 0)
				return "draws repeat";
	}
	return "";
}

int g_exit_fd = -1;
void late_atexit() // main thread, after its thread_local destructors ran
{
	late_draw d;
	draw_late(&d);
	const std::string p = late_problem(d);
	const char r = p.empty() ? 'Y' : 'N';
	if (write(g_exit_fd, &r, 1) != 1)
		_exit(3);
}

} // namespace

TEST(lifecycle, user_prng_in_pthread_key_destructor_after_thread_locals)
{
	CHECK_EQUAL(0, pthread_key_create(&g_late_key, late_key_destructor));
	g_late = late_draw{};
	pthread_t t;
	CHECK_EQUAL(0, pthread_create(&t, nullptr, late_thread, nullptr));
	CHECK_EQUAL(0, pthread_join(t, nullptr));
	pthread_key_delete(g_late_key);
	const std::string p = late_problem(g_late);
	STRCMP_EQUAL("", p.c_str());
}

TEST(lifecycle, user_prng_in_atexit_handler_after_thread_locals)
{
	int fds[2];
	CHECK_EQUAL(0, pipe(fds));
	fflush(nullptr); // the child's exit() flushes its copy of stdio
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		g_exit_fd = fds[1];
		const kgss_prng *g = kgss_prng_user();
		uint8_t conf[16];
		if (g == nullptr || g->generate(g->ctx, conf, sizeof conf) != 0 || atexit(late_atexit) != 0)
			_exit(2);
		exit(0); // thread_local destructors of this thread, then late_atexit
	}
	close(fds[1]);
	char r = 0;
	ssize_t n = read(fds[0], &r, 1);
	close(fds[0]);
	int status = 0;
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status));
	CHECK_EQUAL(0, WEXITSTATUS(status));
	CHECK_EQUAL(1, n);
	CHECK_EQUAL('Y', r);
}

// ---- the backend contract: a primitive left NULL --------------------------------
//
// For each of the ten classes, a copy of the builtin backend without it:
// every enctype that needs that class (by the RFCs, not by libkgss's table)
// imports as UNAVAILABLE with nothing allocated and *ctx_out NULL, through
// the allocator and into caller memory; every other enctype imports and
// works against a full builtin peer.
TEST(lifecycle, backend_missing_each_class)
{
	struct cls {
		const char *name;
		void (*remove)(kgss_crypto_backend *);
		std::set<int32_t> needed_by;
	};
	const cls classes[] = {
		{"aes128", [](kgss_crypto_backend *b) { b->aes128 = nullptr; }, {17, 19}},
		{"aes256", [](kgss_crypto_backend *b) { b->aes256 = nullptr; }, {18, 20}},
		{"camellia128", [](kgss_crypto_backend *b) { b->camellia128 = nullptr; }, {25}},
		{"camellia256", [](kgss_crypto_backend *b) { b->camellia256 = nullptr; }, {26}},
		{"des3", [](kgss_crypto_backend *b) { b->des3 = nullptr; }, {16}},
		{"rc4", [](kgss_crypto_backend *b) { b->rc4 = nullptr; }, {23, 24}},
		{"md5", [](kgss_crypto_backend *b) { b->md5 = nullptr; }, {23, 24}},
		{"sha1", [](kgss_crypto_backend *b) { b->sha1 = nullptr; }, {16, 17, 18}},
		{"sha256", [](kgss_crypto_backend *b) { b->sha256 = nullptr; }, {19}},
		{"sha384", [](kgss_crypto_backend *b) { b->sha384 = nullptr; }, {20}},
	};
	uint8_t seed[32];
	memset(seed, 0x5c, sizeof seed);
	kgss_chacha_prng ps;
	kgss_prng prng;
	CHECK_EQUAL(0, kgss_chacha_prng_init(&ps, seed, &prng));
	for (const cls &k : classes) {
		kgss_crypto_backend partial = *kgss_crypto_builtin();
		k.remove(&partial);
		for (size_t i = 0; i < it::n_enctypes; i++) {
			const it::etinfo &e = it::all_enctypes[i];
			if (it::compiled_out(e.etype))
				continue;
			const std::string what = std::string("no ") + k.name + ", etype " + std::to_string(e.etype);
			kgss_options o = it::plain_opts();
			o.crypto = &partial;
			o.prng = &prng;
			it::counting_alloc ca;
			ca.install(&o);
			lucid_holder h(e.etype, e.protocol, true, e.protocol == 1);
			kgss_ctx *c = (kgss_ctx *)&o;
			std::vector<uint8_t> mem(kgss_ctx_size());
			if (k.needed_by.count(e.etype)) {
				CHECK_EQUAL_TEXT(KGSS_S_UNAVAILABLE, kgss_import_lucid_v1(&h.l, &o, &c), what.c_str());
				POINTERS_EQUAL(nullptr, c);
				CHECK_EQUAL(0, ca.allocs);
				c = (kgss_ctx *)&o;
				CHECK_EQUAL_TEXT(KGSS_S_UNAVAILABLE,
						 kgss_import_lucid_v1_into(mem.data(), mem.size(), &h.l, &o, &c),
						 what.c_str());
				POINTERS_EQUAL(nullptr, c);
				continue;
			}
			CHECK_EQUAL_TEXT(KGSS_S_COMPLETE, kgss_import_lucid_v1(&h.l, &o, &c), what.c_str());
			// The full builtin backend on the other side.
			lucid_holder a(e.etype, e.protocol, false, e.protocol == 1);
			a.key = h.key;
			a.subkey = h.subkey;
			kgss_lucid_key &ka = e.protocol == 1 ? a.l.cfx_kd.acceptor_subkey : a.l.rfc1964_kd.ctx_key;
			ka.data = e.protocol == 1 ? a.subkey.data() : a.key.data();
			if (e.protocol == 1)
				a.l.cfx_kd.ctx_key.data = a.key.data();
			a.l.send_seq = h.l.recv_seq;
			a.l.recv_seq = h.l.send_seq;
			kgss_options po = it::plain_opts();
			po.prng = &prng;
			kgss_ctx *p = nullptr;
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss_import_lucid_v1_into(mem.data(), mem.size(), &a.l, &po, &p));
			uint8_t msg[45], tok[256], out[256];
			for (size_t j = 0; j < sizeof msg; j++)
				msg[j] = (uint8_t)(j + i);
			kgss_buffer m = {sizeof msg, msg}, t = {sizeof tok, tok}, pl = {sizeof out, out};
			CHECK_EQUAL_TEXT(KGSS_S_COMPLETE, kgss_wrap(c, 1, 0, &m, nullptr, &t), what.c_str());
			CHECK_EQUAL_TEXT(KGSS_S_COMPLETE, kgss_unwrap(p, &t, &pl, nullptr, nullptr), what.c_str());
			CHECK(pl.length == sizeof msg && memcmp(out, msg, sizeof msg) == 0);
			t.length = sizeof tok;
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss_get_mic(p, 0, &m, &t));
			CHECK_EQUAL_TEXT(KGSS_S_COMPLETE, kgss_verify_mic(c, &m, &t, nullptr), what.c_str());
			kgss_ctx_free(c);
			kgss_ctx_free(p);
			CHECK_EQUAL(1, ca.allocs);
			CHECK_EQUAL(1, ca.frees);
		}
	}
}

// ---- a generator that fails part-way ------------------------------------------------
//
// The PRNG succeeds for a while, then fails.  Every token that needs a
// confounder then fails with FAILURE: the output length is untouched, the
// token length is 0 and the part of the caller's buffer that was used is
// wiped (no generator bytes, no plaintext), and no sequence number is taken.
namespace {
struct flaky {
	int left; // successful calls before failing
};
int flaky_gen(void *p, uint8_t *out, size_t len)
{
	flaky *f = (flaky *)p;
	memset(out, 0xa5, len); // writes, then fails: none of it may be used
	return f->left-- > 0 ? 0 : -1;
}
} // namespace

TEST(lifecycle, prng_failing_midway_fails_wrap_cleanly)
{
	for (size_t i = 0; i < it::n_enctypes; i++) {
		const it::etinfo &e = it::all_enctypes[i];
		if (it::compiled_out(e.etype))
			continue;
		for (int conf_req = 0; conf_req < 2; conf_req++) {
			const std::string what =
				"etype " + std::to_string(e.etype) + " conf " + std::to_string(conf_req);
			flaky f = {2};
			kgss_prng prng = {flaky_gen, &f};
			kgss_options o = it::plain_opts();
			o.prng = &prng;
			pair pr(e.etype, e.protocol, &o, &o);
			const bool needs = conf_req || e.protocol == 0; // RFC 1964: every wrap
			uint8_t msg[20] = "the message", tok[256], out[256];
			kgss_buffer m = {sizeof msg, msg};
			for (int n = 0; n < 4; n++) {
				memset(tok, 0x3c, sizeof tok);
				kgss_buffer t = {sizeof tok, tok};
				const uint64_t seq = pr.ci->send_seq;
				const bool ok = !needs || n < 2;
				kgss_status st = kgss_wrap(pr.ci, conf_req, 0, &m, nullptr, &t);
				if (!ok) {
					CHECK_EQUAL_TEXT(KGSS_S_FAILURE, st, what.c_str());
					CHECK_EQUAL_TEXT(0, t.length, what.c_str()); // no token released
					CHECK_EQUAL_TEXT(seq, pr.ci->send_seq, what.c_str());
					for (size_t j = 0; j < sizeof tok; j++)
						if (tok[j] != 0x3c && tok[j] != 0) // untouched or wiped
							FAIL((what + ": failed wrap left bytes in the token buffer")
								     .c_str());
					continue;
				}
				CHECK_EQUAL_TEXT(KGSS_S_COMPLETE, st, what.c_str());
				CHECK_EQUAL_TEXT(seq + 1, pr.ci->send_seq, what.c_str());
				kgss_buffer pl = {sizeof out, out};
				CHECK_EQUAL_TEXT(KGSS_S_COMPLETE, kgss_unwrap(pr.ca, &t, &pl, nullptr, nullptr),
						 what.c_str());
				CHECK(pl.length == sizeof msg && memcmp(out, msg, sizeof msg) == 0);
			}
			// MICs never need the generator.
			kgss_buffer t = {sizeof tok, tok};
			CHECK_EQUAL_TEXT(KGSS_S_COMPLETE, kgss_get_mic(pr.ci, 0, &m, &t), what.c_str());
		}
	}
}

// The forking thread's keystream cache is copied into the child: with bytes
// left in it at fork(), the child must not hand out the parent's next
// confounders (the child handler drops the copy and re-seeds).
TEST(lifecycle, user_prng_cache_primed_before_fork_is_not_shared)
{
	const kgss_prng *g = kgss_prng_user();
	CHECK(g != nullptr);
	uint8_t first[16];
	CHECK_EQUAL(0, g->generate(g->ctx, first, sizeof first)); // the cache now holds 240 unused bytes
	int fds[2];
	CHECK_EQUAL(0, pipe(fds));
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		uint8_t out[4][16];
		int ok = 1;
		for (auto &o : out)
			ok &= g->generate(g->ctx, o, sizeof o) == 0;
		ssize_t w = write(fds[1], out, ok ? sizeof out : 0);
		_exit(w == (ssize_t)sizeof out ? 0 : 1);
	}
	close(fds[1]);
	uint8_t mine[4][16], theirs[4][16];
	for (auto &o : mine)
		CHECK_EQUAL(0, g->generate(g->ctx, o, sizeof o));
	collect_child(fds[0], pid, theirs, sizeof theirs);
	for (auto &a : mine)
		for (auto &b : theirs) {
			CHECK(memcmp(a, b, 16) != 0);
			CHECK_FALSE(all_zero(b, 16));
		}
}
