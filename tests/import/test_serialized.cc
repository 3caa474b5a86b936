// libkgss's portable serialization: round trip and strict parsing.
#include <stdint.h>
#include <string.h>
#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

#include "gss-kernel-lib/context.h"
#include "import_util.h"
#include "kgss_user.h"

using it::lucid_holder;

namespace {

kgss_ctx *const SENTINEL = (kgss_ctx *)(uintptr_t)0x1;

std::vector<uint8_t> serialize(const kgss_lucid_context_v1 *l)
{
	size_t len = 0;
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss_lucid_serialize(l, nullptr, &len));
	std::vector<uint8_t> b(len);
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss_lucid_serialize(l, b.data(), &len));
	CHECK_EQUAL(b.size(), len);
	return b;
}

kgss_status import_buf(const std::vector<uint8_t> &b, size_t len)
{
	kgss_options o = it::plain_opts();
	std::vector<uint8_t> mem(kgss_ctx_size());
	kgss_ctx *c = SENTINEL;
	kgss_status st = kgss_import_serialized_into(mem.data(), mem.size(), b.data(), len, &o, &c);
	if (st == KGSS_S_COMPLETE)
		kgss_ctx_free(c);
	else
		POINTERS_EQUAL(nullptr, c);
	return st;
}

void put_be16(std::vector<uint8_t> &b, size_t off, uint16_t v)
{
	b[off] = (uint8_t)(v >> 8);
	b[off + 1] = (uint8_t)v;
}
void put_be32(std::vector<uint8_t> &b, size_t off, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		b[off + i] = (uint8_t)(v >> (24 - 8 * i));
}

} // namespace

TEST_GROUP(serialized){};

TEST(serialized, round_trip_every_enctype)
{
	for (size_t i = 0; i < it::n_enctypes; i++) {
		const it::etinfo &e = it::all_enctypes[i];
		if (it::compiled_out(e.etype))
			continue;
		for (int init = 0; init < 2; init++)
			for (int sub = 0; sub < (e.protocol == 1 ? 2 : 1); sub++) {
				lucid_holder h(e.etype, e.protocol, init, sub);
				h.l.send_seq = 0x0102030405060708ull >> (e.protocol == 0 ? 32 : 0);
				h.l.recv_seq = 0x1112131415161718ull >> (e.protocol == 0 ? 32 : 0);
				h.l.endtime = 0xfedcba98u;
				std::vector<uint8_t> b = serialize(&h.l);
				CHECK_EQUAL(58 + e.key_len, b.size());
				CHECK(memcmp(b.data(), "KGSS\0\1", 6) == 0);

				it::counting_alloc ca;
				kgss_options o = it::plain_opts();
				ca.install(&o);
				kgss_ctx *c = nullptr;
				CHECK_EQUAL(KGSS_S_COMPLETE, kgss_import_serialized(b.data(), b.size(), &o, &c));
				kgss_ctx_info info;
				CHECK_EQUAL(KGSS_S_COMPLETE, kgss_ctx_inquire(c, &info));
				CHECK_EQUAL(e.etype, info.enctype);
				CHECK_EQUAL(e.protocol, info.protocol);
				CHECK_EQUAL((uint32_t)init, info.initiator);
				CHECK_EQUAL((uint32_t)sub, info.acceptor_subkey);
				CHECK_EQUAL(0xfedcba98u, info.endtime);
				CHECK_EQUAL(h.l.send_seq, info.send_seq);
				CHECK_EQUAL(h.l.recv_seq, c->recv.base);
				kgss_ctx_free(c);
				CHECK_EQUAL(1, ca.allocs);
				CHECK_EQUAL(1, ca.frees);

				// Same derived keys as the direct lucid import.
				std::vector<uint8_t> m1(kgss_ctx_size()), m2(kgss_ctx_size());
				kgss_ctx *c1 = nullptr, *c2 = nullptr;
				CHECK_EQUAL(KGSS_S_COMPLETE, kgss_import_serialized_into(m1.data(), m1.size(), b.data(),
											 b.size(), &o, &c1));
				CHECK_EQUAL(KGSS_S_COMPLETE,
					    kgss_import_lucid_v1_into(m2.data(), m2.size(), &h.l, &o, &c2));
				// (The serialized format carries one key: the context key a
				// lucid import keeps beside an acceptor subkey is not in it.)
				const size_t same =
					h.l.protocol == 1 ? offsetof(kgss::cfx_keys, alt_et) : sizeof(c1->k);
				CHECK(memcmp(&c1->k, &c2->k, same) == 0);
				if (h.l.protocol == 1)
					CHECK(c1->k.cfx.alt_et == nullptr);
				kgss_ctx_free(c1);
				kgss_ctx_free(c2);
			}
	}
}

TEST(serialized, every_truncation_and_trailing_bytes)
{
	lucid_holder h(it::rep(18).etype, it::rep(18).protocol, true, it::rep(18).protocol == 1);
	std::vector<uint8_t> b = serialize(&h.l);
	CHECK_EQUAL(KGSS_S_COMPLETE, import_buf(b, b.size()));
	for (size_t len = 0; len < b.size(); len++)
		CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, import_buf(b, len));
	std::vector<uint8_t> t = b;
	t.push_back(0);
	CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, import_buf(t, t.size()));
	// ... even when the length field is patched to cover the extra byte
	put_be32(t, 8, (uint32_t)t.size());
	CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, import_buf(t, t.size()));
	// a truncated buffer whose length field claims the truncated size
	std::vector<uint8_t> s(b.begin(), b.end() - 1);
	put_be32(s, 8, (uint32_t)s.size());
	CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, import_buf(s, s.size()));
	CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, import_buf(b, 0));
}

TEST(serialized, corrupted_fields)
{
	if (!it::compiled_out(18)) { // the AES field layout below: key 32 bytes
		lucid_holder h(18, 1, true);
		const std::vector<uint8_t> good = serialize(&h.l);
		struct {
			const char *what;
			size_t off;
			uint32_t value;
			int width;
			kgss_status want;
		} cases[] = {
			{"magic", 0, 0x4b475354, 4, KGSS_S_DEFECTIVE_TOKEN},
			{"version 0", 4, 0, 2, KGSS_S_DEFECTIVE_TOKEN},
			{"version 2", 4, 2, 2, KGSS_S_DEFECTIVE_TOKEN},
			{"version ffff", 4, 0xffff, 2, KGSS_S_DEFECTIVE_TOKEN},
			{"flags 4", 6, 0x4, 2, KGSS_S_DEFECTIVE_TOKEN},
			{"flags 8000", 6, 0x8001, 2, KGSS_S_DEFECTIVE_TOKEN},
			{"total -1", 8, 58 + 32 - 1, 4, KGSS_S_DEFECTIVE_TOKEN},
			{"total +1", 8, 58 + 32 + 1, 4, KGSS_S_DEFECTIVE_TOKEN},
			{"total huge", 8, 0xffffffff, 4, KGSS_S_DEFECTIVE_TOKEN},
			{"protocol 2", 12, 2, 4, KGSS_S_DEFECTIVE_TOKEN},
			{"protocol 0 with aes", 12, 0, 4, KGSS_S_DEFECTIVE_TOKEN},
			{"sign_alg on cfx", 40, 0, 4, KGSS_S_DEFECTIVE_TOKEN},
			{"seal_alg on cfx", 44, 0, 4, KGSS_S_DEFECTIVE_TOKEN},
			{"enctype unknown", 48, 99, 4, KGSS_S_UNAVAILABLE},
			{"enctype negative", 48, 0xffffffff, 4, KGSS_S_UNAVAILABLE},
			{"enctype with other key length", 48, 17, 4, KGSS_S_DEFECTIVE_TOKEN},
			{"key length 0", 52, 0, 2, KGSS_S_DEFECTIVE_TOKEN},
			{"key length 31", 52, 31, 2, KGSS_S_DEFECTIVE_TOKEN},
			{"key length 33", 52, 33, 2, KGSS_S_DEFECTIVE_TOKEN},
			{"key length 65535", 52, 0xffff, 2, KGSS_S_DEFECTIVE_TOKEN},
			{"end marker", 58 + 32 - 4, 0x4b454e45, 4, KGSS_S_DEFECTIVE_TOKEN},
		};
		for (auto &x : cases) {
			std::vector<uint8_t> b = good;
			if (x.width == 2)
				put_be16(b, x.off, (uint16_t)x.value);
			else
				put_be32(b, x.off, x.value);
			kgss_status st = import_buf(b, b.size());
			CHECK_EQUAL_TEXT(x.want, st, x.what);
			char text[256];
			CHECK_EQUAL_TEXT(x.want, kgss_serialized_describe(b.data(), b.size(), text, sizeof text),
					 x.what);
		}
		// Every single-bit flip in the structural fields is caught.
		const size_t structural[] = {0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, 14, 15, 52, 53, 86, 87, 88, 89};
		for (size_t off : structural)
			for (int bit = 0; bit < 8; bit++) {
				std::vector<uint8_t> b = good;
				b[off] ^= (uint8_t)(1u << bit);
				CHECK(import_buf(b, b.size()) != KGSS_S_COMPLETE);
			}
	}
	// Protocol 0: acceptor subkey flag, and a sign_alg that does not fit.
	if (it::compiled_out(16))
		return;
	lucid_holder d(16, 0, true);
	std::vector<uint8_t> b = serialize(&d.l);
	CHECK_EQUAL(KGSS_S_COMPLETE, import_buf(b, b.size()));
	b[7] |= 2;
	CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, import_buf(b, b.size()));
	b = serialize(&d.l);
	put_be32(b, 40, 0x11);
	CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, import_buf(b, b.size()));
}

TEST(serialized, writer_contract)
{
	const it::etinfo &r = it::rep(17);
	lucid_holder h(r.etype, r.protocol, false);
	size_t len = 58 + r.key_len - 1; // one short (aes128: 58 + 16)
	std::vector<uint8_t> b(100, 0xEE);
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_lucid_serialize(&h.l, b.data(), &len));
	CHECK_EQUAL(58 + r.key_len, len);
	for (uint8_t x : b)
		CHECK_EQUAL(0xEE, x);
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_lucid_serialize(&h.l, b.data(), nullptr));
	h.l.version = 0;
	len = b.size();
	CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, kgss_lucid_serialize(&h.l, b.data(), &len));
	CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, kgss_lucid_serialize(nullptr, b.data(), &len));
}

TEST(serialized, describe_has_facts_and_no_key)
{
	if (it::compiled_out(18))
		return;
	lucid_holder h(18, 1, true, true);
	h.l.endtime = 1234567;
	std::vector<uint8_t> b = serialize(&h.l);
	char text[512];
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss_serialized_describe(b.data(), b.size(), text, sizeof text));
	std::string s(text);
	CHECK(s.find("protocol 1") != std::string::npos);
	CHECK(s.find("initiator") != std::string::npos);
	CHECK(s.find("acceptor subkey") != std::string::npos);
	CHECK(s.find("enctype 18") != std::string::npos);
	CHECK(s.find("endtime 1234567") != std::string::npos);
	CHECK(s.find("key 32 bytes") != std::string::npos);
	// No key bytes, in raw or hex form.
	std::string hexkey;
	for (uint8_t x : h.subkey) {
		char two[3];
		snprintf(two, sizeof two, "%02x", x);
		hexkey += two;
	}
	CHECK(s.find(hexkey.substr(0, 8)) == std::string::npos);
	CHECK(memmem(text, strlen(text), h.subkey.data(), 4) == nullptr);
	// Too small for the line.
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_serialized_describe(b.data(), b.size(), text, 10));
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_serialized_describe(b.data(), b.size(), nullptr, 0));
	CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, kgss_serialized_describe(b.data(), b.size() - 1, text, sizeof text));
	STRCMP_EQUAL("", text);
}
