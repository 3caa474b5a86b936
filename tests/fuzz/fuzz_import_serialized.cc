// tests/fuzz/fuzz_import_serialized.cc - libFuzzer target:
// kgss_import_serialized(_into) and kgss_serialized_describe (libkgss_user).
// Input: byte 0 bit 0 = receive window; the rest is the serialized context.
// Invariants: both imports agree, and describe answers what the import
// answers (it "checks strictly, as the import does"); failure leaves
// *ctx_out NULL and nothing allocated; describe's text is NUL-terminated; an
// accepted buffer round-trips tokens with the twin
// whose initiator flag is flipped.
#include <string.h>

#include <vector>

#include "fuzz_common.h"
#include "kgss_user.h"

namespace {
alignas(16) uint8_t mem_self[16384];
alignas(16) uint8_t mem_peer[16384];
constexpr size_t kFlagsLowByte = 7; // flags: big-endian u16 at offset 6; bit 0 = initiator
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t need = kgss_ctx_size();
	if (need > sizeof(mem_self))
		kf::fail("kgss_ctx_size grew past the fuzzer's buffers");
	if (size < 1)
		return 0;
	const bool window = data[0] & 1;
	std::vector<uint8_t> buf(data + 1, data + size);
	const uint8_t *bp = buf.empty() ? nullptr : buf.data();

	kgss_options o;
	kf::make_options(&o, window, true);
	kgss_ctx *a = (kgss_ctx *)1, *b = (kgss_ctx *)1;
	kgss_status st = kgss_import_serialized_into(mem_self, need, bp, buf.size(), &o, &a);
	kgss_status st2 = kgss_import_serialized(bp, buf.size(), &o, &b);
	kf::record(st);
	if (st != st2)
		kf::fail("kgss_import_serialized and _into disagree", st2);
	char text[512];
	memset(text, 'x', sizeof(text));
	kgss_status sd = kgss_serialized_describe(bp, buf.size(), text, sizeof(text));
	if (sd != st)
		kf::fail("kgss_serialized_describe disagrees with the import", sd);
	if (memchr(text, 0, sizeof(text)) == nullptr)
		kf::fail("describe text not NUL-terminated", sd);
	if (buf.size() && memcmp(buf.data(), data + 1, buf.size()) != 0)
		kf::fail("import wrote to its input");
	if (st != KGSS_S_COMPLETE) {
		if (a != nullptr || b != nullptr)
			kf::fail("failed import left *ctx_out set", st);
		if (kf::live_allocations() != 0)
			kf::fail("failed import leaked its allocation", st);
		if (st != KGSS_S_DEFECTIVE_TOKEN && st != KGSS_S_UNAVAILABLE)
			kf::fail("import failed with an undocumented status", st);
		return 0;
	}
	if (a == nullptr || b == nullptr || buf.size() <= kFlagsLowByte)
		kf::fail("successful import without a context");

	std::vector<uint8_t> twin = buf;
	twin[kFlagsLowByte] ^= 1;
	kgss_options po;
	kf::make_options(&po, false, false);
	kgss_ctx *peer = nullptr;
	st = kgss_import_serialized_into(mem_peer, need, twin.data(), twin.size(), &po, &peer);
	if (st != KGSS_S_COMPLETE)
		kf::fail("the role-swapped twin of an accepted serialized context was refused", st);
	kf::check_alive(a, peer, "accepted serialized context cannot talk to its peer (into)");
	kf::check_alive(b, peer, "accepted serialized context cannot talk to its peer (allocated)");

	kgss_ctx_free(a);
	kgss_ctx_free(b);
	kgss_ctx_free(peer);
	if (kf::live_allocations() != 0)
		kf::fail("kgss_ctx_free did not free the allocated context");
	size_t tl = 0;
	st = kgss_wrap_size(a, 1, 10, &tl);
	if (st != KGSS_S_NO_CONTEXT)
		kf::fail("freed _into context did not answer NO_CONTEXT", st);
	return 0;
}
