// tests/edges/test_class_edges.cc - primitive classes (kgss_crypto.h) at
// their edges:
//   - the builtin classes themselves (kgss_crypto_builtin() and the portable
//     backend): a key schedule refuses a NULL key, and the operations a
//     schedule no init() succeeded on; a hash whose message would
//     pass its length limit latches the failure (final reports it); a
//     stitched engine refuses a latched state and a unit count past the
//     hash's limit, before touching the data;
//   - defective classes at every internal entry point that re-checks them
//     (crypto/mac.h, kdf.h, rc4_hmac.h, profile.h backend_stitch): the import
//     refuses such a backend first (tests/faults/test_defective_backends.cc),
//     these say UNAVAILABLE on their own and leave their key objects zero;
//   - HMAC's empty key (RFC 2104 pads it with zeros: the same as one zero
//     byte), empty updates and empty segments.
#include <stdio.h>
#include <string.h>

#include <functional>
#include <string>
#include <memory>
#include <vector>

#include "CppUTest/TestHarness.h"
#include "crypto/enctypes/profile.h"
#include "crypto/enctypes/rc4_hmac.h"
#include "crypto/kdf.h"
#include "crypto/mac.h"
#include "edges_util.h"
#include "families.h"

using namespace ke;
using namespace kgss;

namespace {

struct alignas(KGSS_STATE_ALIGN) state_buf {
	uint8_t b[KGSS_CIPHER_STATE_MAX];
};

template <typename K>
std::unique_ptr<K> fresh()
{
	return std::unique_ptr<K>(new K());
}

// One way to break a class C, and whether the second entry point a test
// names checks it too.
template <typename C>
struct defect {
	const char *what;
	std::function<void(C &)> m;
	bool also;
};

const kgss_crypto_backend *const kBackends[] = {kgss_crypto_builtin(), kgss_crypto_builtin_portable()};

std::vector<const kgss_block_cipher_class *> block_classes(const kgss_crypto_backend *b)
{
	std::vector<const kgss_block_cipher_class *> v;
	for (const kgss_block_cipher_class *c : {b->aes128, b->aes256, b->camellia128, b->camellia256, b->des3})
		if (c != nullptr)
			v.push_back(c);
	return v;
}

std::vector<const kgss_hash_class *> hash_classes(const kgss_crypto_backend *b)
{
	std::vector<const kgss_hash_class *> v;
	for (const kgss_hash_class *h : {b->md5, b->sha1, b->sha256, b->sha384})
		if (h != nullptr)
			v.push_back(h);
	return v;
}

} // namespace

TEST_GROUP(class_edges){};

// A NULL key is refused; zero blocks (kgss_crypto.h: nblocks may be 0)
// change nothing.
TEST(class_edges, builtin_key_schedules_refuse_a_null_key_and_take_zero_blocks)
{
	for (const kgss_crypto_backend *b : kBackends) {
		for (const kgss_block_cipher_class *c : block_classes(b)) {
			state_buf ks;
			CHECK_TEXT(c->init(ks.b, nullptr, c->key_size) != 0, c->name);
			c->clear(ks.b);
			std::vector<uint8_t> key(c->key_size, 0x6b);
			LONGS_EQUAL(0, c->init(ks.b, key.data(), key.size()));
			uint8_t iv[16], data[16];
			memset(iv, 0x17, sizeof(iv));
			memset(data, 0x29, sizeof(data));
			LONGS_EQUAL(0, c->ecb_encrypt(ks.b, data, 0));
			LONGS_EQUAL(0, c->ecb_decrypt(ks.b, data, 0));
			LONGS_EQUAL(0, c->cbc_encrypt(ks.b, iv, data, 0));
			LONGS_EQUAL(0, c->cbc_decrypt(ks.b, iv, data, 0));
			LONGS_EQUAL(0, c->cbc_mac(ks.b, iv, data, 0));
			CHECK_TEXT(iv[0] == 0x17 && iv[15] == 0x17 && data[0] == 0x29 && data[15] == 0x29, c->name);
			c->clear(ks.b);
		}
		if (b->rc4 != nullptr) {
			state_buf st;
			CHECK(b->rc4->init(st.b, nullptr, 16) != 0);
			b->rc4->clear(st.b);
		}
	}
}

// An operation on a schedule no init() succeeded on - cleared, whose init
// failed, or never set (zeros) - fails before touching data or iv.  (The
// portable AES decryption used to count its rounds down from nrounds - 1 =
// UINT_MAX there, reading round keys far past the schedule.)
TEST(class_edges, builtin_ciphers_refuse_a_schedule_without_a_key)
{
	long refused = 0;
	for (const kgss_crypto_backend *b : kBackends) {
		for (const kgss_block_cipher_class *c : block_classes(b)) {
			for (int how = 0; how < 3; how++) {
				state_buf ks;
				memset(ks.b, 0, sizeof(ks.b));
				std::vector<uint8_t> key(c->key_size, 0x5c);
				if (how == 0) { // cleared after a good init
					LONGS_EQUAL(0, c->init(ks.b, key.data(), key.size()));
					c->clear(ks.b);
				} else if (how == 1) { // init refused (NULL key)
					CHECK(c->init(ks.b, nullptr, key.size()) != 0);
				} // how == 2: never set
				const size_t bs = c->block_size;
				uint8_t iv[16], data[32];
				memset(iv, 0x17, sizeof(iv));
				memset(data, 0x29, sizeof(data));
				const std::string what = std::string(c->name) + (how == 0   ? " cleared"
										 : how == 1 ? " failed init"
											    : " never set");
				CHECK_TEXT(c->ecb_encrypt(ks.b, data, 2) != 0, what.c_str());
				CHECK_TEXT(c->ecb_decrypt(ks.b, data, 2) != 0, what.c_str());
				CHECK_TEXT(c->cbc_encrypt(ks.b, iv, data, 2) != 0, what.c_str());
				CHECK_TEXT(c->cbc_decrypt(ks.b, iv, data, 2) != 0, what.c_str());
				CHECK_TEXT(c->cbc_mac(ks.b, iv, data, 2) != 0, what.c_str());
				bool untouched = true;
				for (size_t i = 0; i < bs; i++)
					untouched = untouched && iv[i] == 0x17;
				for (size_t i = 0; i < 2 * bs; i++)
					untouched = untouched && data[i] == 0x29;
				CHECK_TEXT(untouched, what.c_str());
				c->clear(ks.b);
				refused += 5;
			}
		}
	}
	CHECK(refused > 0);
}

// A message longer than the hash can count (MD5: 2^64 - 1 bytes, SHA-1 and
// SHA-256: 2^61 - 1, SHA-384: 2^125 - 1 as the state counts it) cannot be
// fed; an update that would pass the limit reads nothing and latches the
// failure, which final reports (no digest).
TEST(class_edges, builtin_hashes_latch_an_update_past_their_limit)
{
	static const uint8_t some[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	for (const kgss_crypto_backend *b : kBackends) {
		for (const kgss_hash_class *h : hash_classes(b)) {
			state_buf st;
			uint8_t d[64];
			LONGS_EQUAL(0, h->init(st.b));
			h->update(st.b, some, 1);
			h->update(st.b, some, SIZE_MAX); // never read: refused on its length
			memset(d, 0xee, sizeof(d));
			CHECK_TEXT(h->final(st.b, d) != 0, h->name);
			// The same state without the oversized update finishes; after
			// final the state is dead: a further update is refused too.
			LONGS_EQUAL(0, h->init(st.b));
			h->update(st.b, some, 1);
			LONGS_EQUAL(0, h->final(st.b, d));
			h->update(st.b, some, 1);
			CHECK_TEXT(h->final(st.b, d) != 0, h->name);
		}
	}
}

// The builtin stitched engines this CPU runs refuse, without touching the
// data, a hash state whose failure is latched and a unit count past the
// hash's limit.
TEST(class_edges, builtin_engines_refuse_latched_states_and_oversized_runs)
{
	const kgss_crypto_backend *b = kgss_crypto_builtin();
	int engines = 0;
	for (const kgss_cbc_hash_class *e : {b->cbc_sha1, b->cbc_sha256, b->cbc_sha384}) {
		if (e == nullptr)
			continue;
		engines++;
		state_buf ks, st;
		uint8_t key[16] = {1}, iv[16] = {0};
		std::vector<uint8_t> data(e->unit, 0x5a);
		LONGS_EQUAL(0, e->cipher_a->init(ks.b, key, sizeof(key)));
		// Oversized: nunits * unit past the hash's limit (the data is one unit).
		LONGS_EQUAL(0, e->hash->init(st.b));
		CHECK_TEXT(e->encrypt(ks.b, iv, st.b, data.data(), (size_t)1 << 58, 0) != 0, e->name);
		CHECK(data == std::vector<uint8_t>(e->unit, 0x5a));
		e->hash->clear(st.b);
		// Latched: a whole number of units absorbed, then an update refused.
		LONGS_EQUAL(0, e->hash->init(st.b));
		e->hash->update(st.b, data.data(), data.size());
		e->hash->update(st.b, data.data(), SIZE_MAX);
		CHECK_TEXT(e->encrypt(ks.b, iv, st.b, data.data(), 1, 0) != 0, e->name);
		CHECK_TEXT(e->decrypt(ks.b, iv, st.b, data.data(), 1, 1) != 0, e->name);
		CHECK(data == std::vector<uint8_t>(e->unit, 0x5a));
		e->hash->clear(st.b);
		// Not at a unit boundary, in either direction.
		LONGS_EQUAL(0, e->hash->init(st.b));
		e->hash->update(st.b, data.data(), 1);
		CHECK_TEXT(e->encrypt(ks.b, iv, st.b, data.data(), 1, 1) != 0, e->name);
		CHECK_TEXT(e->decrypt(ks.b, iv, st.b, data.data(), 1, 0) != 0, e->name);
		e->hash->clear(st.b);
		// A key schedule that was never set (no round count).
		e->cipher_a->clear(ks.b);
		memset(ks.b, 0, sizeof(ks.b));
		LONGS_EQUAL(0, e->hash->init(st.b));
		CHECK_TEXT(e->encrypt(ks.b, iv, st.b, data.data(), 1, 0) != 0, e->name);
		CHECK(data == std::vector<uint8_t>(e->unit, 0x5a));
		e->hash->clear(st.b);
	}
	if (engines == 0)
		printf("\n  class_edges: this CPU runs no stitched engine; the class checks above ran\n");
}

// Hash classes that break the kgss_crypto.h limits or lack a function:
// every HMAC entry point refuses them (UNAVAILABLE, key object zero).
TEST(class_edges, defective_hash_classes_at_the_hmac_entry_points)
{
	const kgss_hash_class &good = *kgss_crypto_builtin_portable()->sha256;
	// also: hmac_raw checks it too (it uses init / update / final only).
	const defect<kgss_hash_class> defects[] = {
		{"no init", [](kgss_hash_class &h) { h.init = nullptr; }, true},
		{"no update", [](kgss_hash_class &h) { h.update = nullptr; }, false},
		{"no final", [](kgss_hash_class &h) { h.final = nullptr; }, false},
		{"no copy", [](kgss_hash_class &h) { h.copy = nullptr; }, false},
		{"no clear", [](kgss_hash_class &h) { h.clear = nullptr; }, false},
		{"state too large", [](kgss_hash_class &h) { h.context_size = KGSS_HASH_STATE_MAX + 16; }, true},
		{"block too large", [](kgss_hash_class &h) { h.block_size = 256; }, true},
		{"digest too large",
		 [](kgss_hash_class &h) {
			 h.block_size = 128;
			 h.digest_size = 72;
		 },
		 true},
		{"digest wider than block",
		 [](kgss_hash_class &h) {
			 h.block_size = 32;
			 h.digest_size = 48;
		 },
		 true},
		{"no digest", [](kgss_hash_class &h) { h.digest_size = 0; }, false},
	};
	const uint8_t key[20] = {0x0b};
	uint8_t out[128];
	for (const defect<kgss_hash_class> &d : defects) {
		kgss_hash_class h = good;
		d.m(h);
		auto hk = fresh<hmac_key>();
		LONGS_EQUAL_TEXT(KGSS_S_UNAVAILABLE, hmac_key_init(hk.get(), &h, key, sizeof(key)), d.what);
		CHECK_TEXT(all_zero((const uint8_t *)hk.get(), sizeof(*hk)), d.what);
		if (d.also)
			LONGS_EQUAL_TEXT(KGSS_S_UNAVAILABLE, hmac_raw(&h, key, sizeof(key), nullptr, 0, out), d.what);
	}
	LONGS_EQUAL(KGSS_S_UNAVAILABLE, hmac_raw(nullptr, key, sizeof(key), nullptr, 0, out));
	auto hk = fresh<hmac_key>();
	LONGS_EQUAL(KGSS_S_UNAVAILABLE, hmac_key_init(hk.get(), nullptr, key, sizeof(key)));
}

// Block-cipher classes that break the limits or lack a function: the key
// schedule and CMAC refuse them.
TEST(class_edges, defective_block_classes_at_the_key_entry_points)
{
	// AES-128 where it is compiled in, else DES3 (tests/support/families.h).
	const kgss_crypto_backend *pb = kgss_crypto_builtin_portable();
	if (pb->aes128 == nullptr && pb->des3 == nullptr) {
		CHECK(!kt::enctype_compiled_in(16) && !kt::enctype_compiled_in(17) && !kt::enctype_compiled_in(19));
		return; // no block cipher compiled in at all: nothing to break
	}
	const kgss_block_cipher_class &good = pb->aes128 ? *pb->aes128 : *pb->des3;
	// also: cipher_key_init refuses it too (CMAC refuses all).
	const defect<kgss_block_cipher_class> defects[] = {
		{"no init", [](kgss_block_cipher_class &c) { c.init = nullptr; }, true},
		{"no clear", [](kgss_block_cipher_class &c) { c.clear = nullptr; }, true},
		{"state too large", [](kgss_block_cipher_class &c) { c.context_size = KGSS_CIPHER_STATE_MAX + 16; },
		 true},
		{"block of 12", [](kgss_block_cipher_class &c) { c.block_size = 12; }, true},
		{"no ecb_encrypt", [](kgss_block_cipher_class &c) { c.ecb_encrypt = nullptr; }, false},
		{"no cbc_mac", [](kgss_block_cipher_class &c) { c.cbc_mac = nullptr; }, false},
	};
	const uint8_t key[16] = {0x2b};
	for (const defect<kgss_block_cipher_class> &d : defects) {
		kgss_block_cipher_class c = good;
		d.m(c);
		auto ck = fresh<cipher_key>();
		if (d.also) {
			LONGS_EQUAL_TEXT(KGSS_S_UNAVAILABLE, cipher_key_init(ck.get(), &c, key, sizeof(key)), d.what);
			CHECK_TEXT(all_zero((const uint8_t *)ck.get(), sizeof(*ck)), d.what);
		}
		auto cm = fresh<cmac_key>();
		LONGS_EQUAL_TEXT(KGSS_S_UNAVAILABLE, cmac_key_init(cm.get(), &c, key, sizeof(key)), d.what);
		CHECK_TEXT(all_zero((const uint8_t *)cm.get(), sizeof(*cm)), d.what);
	}
}

// RC4 (RFC 4757) needs an MD5 of 16-byte digests and a complete stream class
// that fits KGSS_STREAM_STATE_MAX.
TEST(class_edges, defective_rc4_backends)
{
	const kgss_crypto_backend &good = *kgss_crypto_builtin_portable();
	if (good.rc4 == nullptr || good.md5 == nullptr) {
		printf("\n  class_edges: no RC4 or MD5 in the portable backend; nothing to break\n");
		return;
	}
	// also: rc4_start refuses it too (it does not use apply).
	const defect<kgss_stream_cipher_class> defects[] = {
		{"no init", [](kgss_stream_cipher_class &s) { s.init = nullptr; }, true},
		{"no apply", [](kgss_stream_cipher_class &s) { s.apply = nullptr; }, false},
		{"no clear", [](kgss_stream_cipher_class &s) { s.clear = nullptr; }, true},
		{"state too large", [](kgss_stream_cipher_class &s) { s.context_size = KGSS_STREAM_STATE_MAX + 16; },
		 true},
	};
	const uint8_t key[16] = {0x11};
	alignas(KGSS_STATE_ALIGN) uint8_t st[KGSS_STREAM_STATE_MAX];
	for (const defect<kgss_stream_cipher_class> &d : defects) {
		kgss_stream_cipher_class s = *good.rc4;
		d.m(s);
		kgss_crypto_backend b = good;
		b.rc4 = &s;
		const kgss_hash_class *md5 = nullptr;
		const kgss_stream_cipher_class *rc4 = nullptr;
		LONGS_EQUAL_TEXT(KGSS_S_UNAVAILABLE, rc4_backend(&b, &md5, &rc4), d.what);
		if (d.also)
			LONGS_EQUAL_TEXT(KGSS_S_UNAVAILABLE, rc4_start(&s, key, st), d.what);
	}
	// An "MD5" of 20-byte digests (SHA-1 in the MD5 slot).
	kgss_crypto_backend b = good;
	b.md5 = good.sha1;
	const kgss_hash_class *md5 = nullptr;
	const kgss_stream_cipher_class *rc4 = nullptr;
	LONGS_EQUAL(KGSS_S_UNAVAILABLE, rc4_backend(&b, &md5, &rc4));
	// The checksum core on a key that was never set.
	auto unset = fresh<hmac_key>();
	bytes m = message(10);
	kgss::seglist sl;
	sl.add_head(m.data(), m.size(), true);
	uint8_t out[16];
	LONGS_EQUAL(KGSS_S_FAILURE, rc4_md5_cksum(unset.get(), 13, sl, out));
	// No engine is looked up without a backend, a cipher or a hash.
	POINTERS_EQUAL(nullptr, backend_stitch(nullptr, good.aes128, good.sha1));
	POINTERS_EQUAL(nullptr, backend_stitch(&good, nullptr, good.sha1));
	POINTERS_EQUAL(nullptr, backend_stitch(&good, good.aes128, nullptr));
}

// RFC 2104 §2: the key is padded with zeros to the block, so an empty key is
// the key of one zero byte; empty updates and empty segments add nothing.
TEST(class_edges, hmac_empty_key_empty_update_empty_segment)
{
	const kgss_hash_class *h = kgss_crypto_builtin_portable()->sha1;
	const uint8_t zero[1] = {0};
	const bytes msg = message(37);
	const span part = {msg.data(), msg.size()};
	uint8_t a[20], b[20], c[20], d[20];
	auto k0 = fresh<hmac_key>(), k1 = fresh<hmac_key>();
	LONGS_EQUAL(KGSS_S_COMPLETE, hmac_key_init(k0.get(), h, nullptr, 0));
	LONGS_EQUAL(KGSS_S_COMPLETE, hmac_key_init(k1.get(), h, zero, 1));
	LONGS_EQUAL(KGSS_S_COMPLETE, hmac(k0.get(), msg.data(), msg.size(), a));
	LONGS_EQUAL(KGSS_S_COMPLETE, hmac(k1.get(), msg.data(), msg.size(), b));
	LONGS_EQUAL(KGSS_S_COMPLETE, hmac_raw(h, nullptr, 0, &part, 1, c));
	MEMCMP_EQUAL(a, b, 20);
	MEMCMP_EQUAL(a, c, 20);
	// Empty updates between the real ones.
	hmac_run r;
	LONGS_EQUAL(KGSS_S_COMPLETE, hmac_begin(&r, k0.get()));
	hmac_update(&r, msg.data(), 0);
	hmac_update(&r, msg.data(), 20);
	hmac_update(&r, nullptr, 0);
	hmac_update(&r, msg.data() + 20, msg.size() - 20);
	LONGS_EQUAL(KGSS_S_COMPLETE, hmac_end(&r, d));
	MEMCMP_EQUAL(a, d, 20);
	// Empty segments in every part of a seglist.
	auto mk = fresh<mac_key>();
	LONGS_EQUAL(KGSS_S_COMPLETE, mac_key_init_hmac(mk.get(), h, nullptr, 0, 0));
	bytes head(msg.begin(), msg.begin() + 10), mid(msg.begin() + 10, msg.begin() + 30),
		tail(msg.begin() + 30, msg.end());
	kgss_iov v[2] = {{KGSS_IOV_DATA, {0, nullptr}}, {KGSS_IOV_DATA, {mid.size(), mid.data()}}};
	kgss::seglist sl;
	sl.add_head(head.data(), head.size(), true);
	sl.add_head(nullptr, 0, true);
	sl.set_iov(v, 2);
	sl.add_tail(nullptr, 0, true);
	sl.add_tail(tail.data(), tail.size(), true);
	mac_run m;
	LONGS_EQUAL(KGSS_S_COMPLETE, mac_begin(&m, mk.get()));
	mac_update_segs(&m, sl);
	memset(d, 0, sizeof(d));
	LONGS_EQUAL(KGSS_S_COMPLETE, mac_end(&m, d));
	MEMCMP_EQUAL(a, d, 20);
	hmac_key_clear(k0.get());
	hmac_key_clear(k1.get());
	mac_key_clear(mk.get());
}
