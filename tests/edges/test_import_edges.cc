// tests/edges/test_import_edges.cc - import corners: the context key a lucid
// context carries beside an acceptor subkey (too long, an enctype number
// past INT32_MAX, unknown, not an RFC 4121 enctype, the wrong length,
// missing from the backend), a NULL serialized buffer, options too short to
// hold `crypto`, a kgss_prng without a generate function, caller memory too
// small to align the context in.  A refused import builds nothing: *ctx_out
// NULL and the caller's memory all zero (or untouched when not even the
// alignment fits).
#include <stddef.h>
#include <string.h>

#include "CppUTest/TestHarness.h"
#include "edges_util.h"
#include "families.h"

using namespace ke;

namespace {

// Imports l into fresh zeroed memory on backend be: the status, with the
// failure contract checked when it is not COMPLETE.
kgss_status import_checked(const kgss_lucid_context_v1 &l, const kgss_crypto_backend *be = nullptr)
{
	box b;
	kgss_status st = b.import(l, be);
	if (st != KGSS_S_COMPLETE) {
		POINTERS_EQUAL(nullptr, b.ctx);
		CHECK_TEXT(all_zero(b.mem.data(), b.mem.size()), "a refused import left bytes behind");
	}
	return st;
}

} // namespace

TEST_GROUP(import_edges){};

TEST(import_edges, context_key_beside_an_acceptor_subkey)
{
	kt::require_enctype(18);
	kt::require_enctype(17);
	const bytes sub = key_for(18, 1), ck32 = key_for(18, 2), ck16 = key_for(17, 3);
	bytes ck65(65, 0x5a);
	auto with = [&](uint32_t type, const bytes &k) {
		kgss_lucid_key key = {type, (uint32_t)k.size(), const_cast<uint8_t *>(k.data())};
		return lucid_subkey(18, sub, &key, false);
	};
	LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, import_checked(with(18, ck65)));      // longer than any key
	LONGS_EQUAL(KGSS_S_UNAVAILABLE, import_checked(with(0x80000001u, ck32))); // no such enctype number
	LONGS_EQUAL(KGSS_S_UNAVAILABLE, import_checked(with(99, ck32)));          // unknown enctype
	LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, import_checked(with(18, ck16)));      // wrong length for 18
	const bytes ck24(24, 0x31);
	// DES3 has no RFC 4121 use; compiled out, it is not known at all.
	LONGS_EQUAL(kt::enctype_compiled_in(16) ? KGSS_S_DEFECTIVE_TOKEN : KGSS_S_UNAVAILABLE,
		    import_checked(with(16, ck24)));
	// The context key's cipher missing from the backend, the subkey's present.
	kgss_crypto_backend no_aes128 = *kgss_crypto_builtin();
	no_aes128.aes128 = nullptr;
	LONGS_EQUAL(KGSS_S_UNAVAILABLE, import_checked(with(17, ck16), &no_aes128));
	// Controls: a valid context key of another enctype, and none at all
	// (length 0 or no bytes: the subkey alone).
	LONGS_EQUAL(KGSS_S_COMPLETE, import_checked(with(17, ck16)));
	LONGS_EQUAL(KGSS_S_COMPLETE, import_checked(with(18, bytes())));
	kgss_lucid_key no_data = {18, 32, nullptr};
	LONGS_EQUAL(KGSS_S_COMPLETE, import_checked(lucid_subkey(18, sub, &no_data, false)));
}

TEST(import_edges, serialized_null_buffer_is_defective)
{
	kgss_ctx *c = reinterpret_cast<kgss_ctx *>(&c);
	LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, kgss_import_serialized(nullptr, 100, nullptr, &c));
	POINTERS_EQUAL(nullptr, c);
	std::vector<uint8_t> mem(kgss_ctx_size(), 0);
	c = reinterpret_cast<kgss_ctx *>(&c);
	LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN,
		    kgss_import_serialized_into(mem.data(), mem.size(), nullptr, 100, nullptr, &c));
	POINTERS_EQUAL(nullptr, c);
	CHECK(all_zero(mem.data(), mem.size()));
}

// A struct_size that ends before `crypto` (an older caller that knew only
// struct_size and flags): the crypto field is not read, the builtin backend
// is used.
TEST(import_edges, options_ending_before_crypto_keep_the_builtin_backend)
{
	for (int etype : kt::compiled_in({18, 16})) {
		kgss_options o;
		kgss_options_init(&o);
		o.struct_size = offsetof(kgss_options, crypto);
		kgss_crypto_backend other = *kgss_crypto_builtin_portable();
		other.name = "not-to-be-read";
		o.crypto = &other;
		const bytes key = key_for(etype); // outlives l, which points at it
		const kgss_lucid_context_v1 l = lucid(etype, key, true);
		std::vector<uint8_t> mem(kgss_ctx_size());
		kgss_ctx *c = nullptr;
		LONGS_EQUAL(KGSS_S_COMPLETE, kgss_import_lucid_v1_into(mem.data(), mem.size(), &l, &o, &c));
		kgss_ctx_info i;
		LONGS_EQUAL(KGSS_S_COMPLETE, kgss_ctx_inquire(c, &i));
		STRCMP_EQUAL(kgss_crypto_builtin()->name, i.backend_name);
		kgss_ctx_free(c);
	}
}

// A kgss_prng whose generate is NULL is no PRNG: every token that needs a
// confounder is UNAVAILABLE (nothing written, no sequence number); the
// others work.
TEST(import_edges, prng_without_generate_is_no_prng)
{
	for (int etype : kt::compiled_in({16, 17, 18, 19, 20, 23, 24, 25, 26})) {
		const bool rfc1964 = info_of(etype).rfc1964;
		int dummy = 0;
		kgss_prng half = {nullptr, &dummy};
		kgss_options o;
		kgss_options_init(&o);
		o.prng = &half;
		const bytes key = key_for(etype);
		const kgss_lucid_context_v1 l = lucid(etype, key, true);
		std::vector<uint8_t> mem(kgss_ctx_size());
		kgss_ctx *c = nullptr;
		LONGS_EQUAL(KGSS_S_COMPLETE, kgss_import_lucid_v1_into(mem.data(), mem.size(), &l, &o, &c));
		const bytes msg = message(20);
		bytes out(256, 0xee);
		kgss_buffer in = {msg.size(), const_cast<uint8_t *>(msg.data())};
		kgss_buffer ob = {out.size(), out.data()};
		LONGS_EQUAL(KGSS_S_UNAVAILABLE, kgss_wrap(c, 1, 0, &in, nullptr, &ob));
		LONGS_EQUAL(0, ob.length);
		CHECK(out == bytes(256, 0xee));
		LONGS_EQUAL(1000, send_seq(c));
		// Integrity only: RFC 1964 still needs a confounder, RFC 4121 not.
		ob = {out.size(), out.data()};
		LONGS_EQUAL(rfc1964 ? KGSS_S_UNAVAILABLE : KGSS_S_COMPLETE, kgss_wrap(c, 0, 0, &in, nullptr, &ob));
		box peer;
		LONGS_EQUAL(KGSS_S_COMPLETE, peer.import(lucid(etype, key, false)));
		uint8_t tok[128];
		kgss_buffer m = {msg.size(), const_cast<uint8_t *>(msg.data())}, t = {sizeof(tok), tok};
		LONGS_EQUAL(KGSS_S_COMPLETE, kgss_get_mic(c, 0, &m, &t));
		LONGS_EQUAL(KGSS_S_COMPLETE, kgss_verify_mic(peer, &m, &t, nullptr));
		kgss_ctx_free(c);
	}
}

// Caller memory that cannot even hold the alignment slack: FAILURE, and not
// one byte of it written.
TEST(import_edges, into_memory_smaller_than_its_alignment_slack)
{
	for (int etype : kt::compiled_in({18, 23})) {
		const bytes key = key_for(etype); // outlives l, which points at it
		const kgss_lucid_context_v1 l = lucid(etype, key, true);
		alignas(16) uint8_t buf[64];
		memset(buf, 0xee, sizeof(buf));
		kgss_ctx *c = reinterpret_cast<kgss_ctx *>(buf);
		LONGS_EQUAL(KGSS_S_FAILURE, kgss_import_lucid_v1_into(buf + 1, 3, &l, nullptr, &c));
		POINTERS_EQUAL(nullptr, c);
		for (uint8_t b : buf)
			LONGS_EQUAL(0xee, b);
	}
}

// A backend whose SHA-1 slot holds a hash of 16-byte digests cannot give
// DES3 its 20-byte SGN_CKSUM (RFC 1964 §1.2.1.1 with SGN_ALG 04 00): a class
// of the wrong width is as good as none, so the import answers UNAVAILABLE
// (kgss.h: "lacking a backend primitive") and builds nothing.  The same
// holds for every enctype: an AES-SHA1 one is refused too.
TEST(import_edges, des3_on_a_sha1_slot_of_the_wrong_width)
{
	kt::require_enctype(16);
	kgss_crypto_backend b = *kgss_crypto_builtin_portable();
	// MD5 (built with RC4), else SHA-1 declaring 16-byte digests (the
	// import fails before anything sized by that width is written).
	kgss_hash_class narrow = *b.sha1;
	narrow.digest_size = 16;
	b.sha1 = b.md5 != nullptr ? b.md5 : &narrow;
	LONGS_EQUAL(KGSS_S_UNAVAILABLE, import_checked(lucid(16, key_for(16), true), &b));
	if (kt::enctype_compiled_in(17))
		LONGS_EQUAL(KGSS_S_UNAVAILABLE, import_checked(lucid(17, key_for(17), true), &b));
}
