// The nfs-utils / gss-proxy Linux downcall buffer: writer and strict parser.
#include <stdint.h>
#include <string.h>
#include <vector>

#include <CppUTest/TestHarness.h>

#include "gss-kernel-lib/context.h"
#include "import_util.h"
#include "kgss_user.h"

using it::lucid_holder;

namespace {

kgss_ctx *const SENTINEL = (kgss_ctx *)(uintptr_t)0x1;

// Built by hand from the format description, host byte order.
std::vector<uint8_t> by_hand(uint32_t flags, uint32_t endtime, uint64_t seq, uint32_t etype,
			     const std::vector<uint8_t> &key)
{
	std::vector<uint8_t> b(20 + key.size());
	memcpy(&b[0], &flags, 4);
	memcpy(&b[4], &endtime, 4);
	memcpy(&b[8], &seq, 8);
	memcpy(&b[16], &etype, 4);
	memcpy(&b[20], key.data(), key.size());
	return b;
}

kgss_status import_into(const std::vector<uint8_t> &b, size_t len, kgss_ctx_info *info = nullptr)
{
	kgss_options o = it::plain_opts();
	std::vector<uint8_t> mem(kgss_ctx_size());
	kgss_ctx *c = SENTINEL;
	kgss_status st = kgss_import_downcall_into(mem.data(), mem.size(), b.data(), len, &o, &c);
	if (st == KGSS_S_COMPLETE) {
		if (info)
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss_ctx_inquire(c, info));
		kgss_ctx_free(c);
	} else {
		POINTERS_EQUAL(nullptr, c);
	}
	return st;
}

} // namespace

TEST_GROUP(downcall){};

TEST(downcall, writer_matches_format_and_imports_for_every_enctype)
{
	for (size_t i = 0; i < it::n_enctypes; i++) {
		const it::etinfo &e = it::all_enctypes[i];
		if (it::compiled_out(e.etype))
			continue;
		for (int init = 0; init < 2; init++)
			for (int sub = 0; sub < (e.protocol == 1 ? 2 : 1); sub++) {
				lucid_holder h(e.etype, e.protocol, init, sub);
				size_t len = 0;
				CHECK_EQUAL(KGSS_S_COMPLETE, kgss_lucid_to_downcall(&h.l, nullptr, &len));
				CHECK_EQUAL(20 + e.key_len, len);
				std::vector<uint8_t> b(len);
				CHECK_EQUAL(KGSS_S_COMPLETE, kgss_lucid_to_downcall(&h.l, b.data(), &len));
				CHECK_EQUAL(20 + e.key_len, len);
				uint32_t flags = (init ? 1u : 0u) | (e.protocol == 1 ? 2u : 0u) | (sub ? 4u : 0u);
				std::vector<uint8_t> want = by_hand(flags, h.l.endtime, h.l.send_seq, (uint32_t)e.etype,
								    sub ? h.subkey : h.key);
				CHECK(want == b);

				kgss_ctx_info info;
				CHECK_EQUAL(KGSS_S_COMPLETE, import_into(b, b.size(), &info));
				CHECK_EQUAL(e.etype, info.enctype);
				CHECK_EQUAL(e.protocol, info.protocol);
				CHECK_EQUAL((uint32_t)init, info.initiator);
				CHECK_EQUAL((uint32_t)sub, info.acceptor_subkey);
				CHECK_EQUAL((uint64_t)h.l.endtime, info.endtime);
				CHECK_EQUAL(h.l.send_seq, info.send_seq);

				// With the allocator as well.
				it::counting_alloc ca;
				kgss_options o = it::plain_opts();
				ca.install(&o);
				kgss_ctx *c = nullptr;
				CHECK_EQUAL(KGSS_S_COMPLETE, kgss_import_downcall(b.data(), b.size(), &o, &c));
				kgss_ctx_free(c);
				CHECK_EQUAL(1, ca.allocs);
				CHECK_EQUAL(1, ca.frees);
			}
	}
}

TEST(downcall, des3_as_enctype_6)
{
	if (it::compiled_out(6) && it::compiled_out(16))
		return;
	std::vector<uint8_t> key = it::key_for(16, 24);
	kgss_ctx_info info;
	CHECK_EQUAL(KGSS_S_COMPLETE, import_into(by_hand(1, 10, 0, 6, key), 44, &info));
	CHECK_EQUAL(16, info.enctype);
	CHECK_EQUAL(0u, info.protocol);
}

TEST(downcall, recv_seq_starts_at_zero)
{
	if (it::compiled_out(18))
		return;
	std::vector<uint8_t> b = by_hand(3, 10, 77, 18, it::key_for(18, 32));
	kgss_options o = it::plain_opts();
	o.flags = KGSS_OPT_REPLAY_DETECT;
	std::vector<uint8_t> mem(kgss_ctx_size());
	kgss_ctx *c = nullptr;
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss_import_downcall_into(mem.data(), mem.size(), b.data(), b.size(), &o, &c));
	CHECK_EQUAL(0u, c->recv.base);
	CHECK_EQUAL(77u, c->send_seq);
	kgss_ctx_free(c);
}

TEST(downcall, every_truncation_and_trailing_byte)
{
	for (size_t i = 0; i < it::n_enctypes; i++) {
		const it::etinfo &e = it::all_enctypes[i];
		if (it::compiled_out(e.etype))
			continue;
		uint32_t flags = e.protocol == 1 ? 2u : 0u;
		std::vector<uint8_t> b = by_hand(flags, 10, 5, (uint32_t)e.etype, it::key_for(e.etype, e.key_len));
		CHECK_EQUAL(KGSS_S_COMPLETE, import_into(b, b.size()));
		for (size_t len = 0; len < b.size(); len++)
			CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, import_into(b, len));
		b.push_back(0);
		CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, import_into(b, b.size()));
		b.resize(b.size() + 63);
		CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, import_into(b, b.size()));
	}
	// NULL buffer
	kgss_ctx *c = SENTINEL;
	kgss_options o = it::plain_opts();
	std::vector<uint8_t> mem(kgss_ctx_size());
	CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, kgss_import_downcall_into(mem.data(), mem.size(), nullptr, 44, &o, &c));
	POINTERS_EQUAL(nullptr, c);
}

TEST(downcall, bad_flags_and_mismatches)
{
	std::vector<uint8_t> k32 = it::key_for(18, 32), k24 = it::key_for(16, 24), k16 = it::key_for(23, 16);
	const bool aes1 = !it::compiled_out(18), des3 = !it::compiled_out(16), rc4 = !it::compiled_out(23);
	// unknown flag bits
	for (uint32_t f : {0x8u, 0x10u, 0x100u, 0x80000000u, 0xffffffffu})
		CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, import_into(by_hand(2 | f, 10, 0, 18, k32), 52));
	// acceptor subkey without CFX
	if (des3)
		CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, import_into(by_hand(4, 10, 0, 16, k24), 44));
	// CFX flag vs enctype protocol
	if (aes1)
		CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, import_into(by_hand(0, 10, 0, 18, k32), 52));
	if (des3)
		CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, import_into(by_hand(2, 10, 0, 16, k24), 44));
	if (rc4)
		CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, import_into(by_hand(2, 10, 0, 23, k16), 36));
	// unknown enctypes: the key length cannot even be known
	for (uint32_t et : {0u, 1u, 3u, 99u, 0x80000012u, 0xffffffffu})
		CHECK_EQUAL(KGSS_S_UNAVAILABLE, import_into(by_hand(2, 10, 0, et, k32), 52));
	// key length of another enctype
	if (aes1)
		CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, import_into(by_hand(2, 10, 0, 17, k32), 52));
}

TEST(downcall, writer_contract)
{
	if (it::compiled_out(18))
		return;
	lucid_holder h(18, 1, true);
	size_t len = 10;
	std::vector<uint8_t> b(64, 0xEE);
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_lucid_to_downcall(&h.l, b.data(), &len));
	CHECK_EQUAL(52u, len); // the size needed
	for (size_t i = 0; i < b.size(); i++)
		CHECK_EQUAL(0xEE, b[i]); // nothing written
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_lucid_to_downcall(&h.l, b.data(), nullptr));
	lucid_holder bad(18, 1, true);
	bad.l.version = 2;
	len = b.size();
	CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, kgss_lucid_to_downcall(&bad.l, b.data(), &len));
	lucid_holder unk(18, 1, true);
	unk.l.cfx_kd.ctx_key.type = 99;
	CHECK_EQUAL(KGSS_S_UNAVAILABLE, kgss_lucid_to_downcall(&unk.l, b.data(), &len));
	lucid_holder wrong(18, 1, true);
	wrong.l.cfx_kd.ctx_key.length = 16;
	CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, kgss_lucid_to_downcall(&wrong.l, b.data(), &len));
}
