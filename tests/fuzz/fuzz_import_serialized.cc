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
constexpr size_t kFlagsLowByte = 7; // flags: big-endian u16 at offset 6; bit 0 = initiator
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const size_t need = kf::import_need();
	if (size < 1)
		return 0;
	const bool window = data[0] & 1;
	std::vector<uint8_t> buf(data + 1, data + size);
	const uint8_t *bp = buf.empty() ? nullptr : buf.data();

	kgss_options o;
	kf::make_options(&o, window, true);
	kgss_ctx *a = (kgss_ctx *)1, *b = (kgss_ctx *)1;
	kgss_status st = kgss_import_serialized_into(kf::import_mem_self(), need, bp, buf.size(), &o, &a);
	kgss_status st2 = kgss_import_serialized(bp, buf.size(), &o, &b);
	char text[512];
	memset(text, 'x', sizeof(text));
	kgss_status sd = kgss_serialized_describe(bp, buf.size(), text, sizeof(text));
	if (sd != st)
		kf::fail("kgss_serialized_describe disagrees with the import", sd);
	if (memchr(text, 0, sizeof(text)) == nullptr)
		kf::fail("describe text not NUL-terminated", sd);
	if (buf.size() && memcmp(buf.data(), data + 1, buf.size()) != 0)
		kf::fail("import wrote to its input");
	if (!kf::import_accepted(st, st2, a, b, "kgss_import_serialized"))
		return 0;
	if (buf.size() <= kFlagsLowByte)
		kf::fail("a serialized context shorter than its flags was accepted");

	std::vector<uint8_t> twin = buf;
	twin[kFlagsLowByte] ^= 1;
	kgss_options po;
	kf::make_options(&po, false, false);
	kgss_ctx *peer = nullptr;
	st = kgss_import_serialized_into(kf::import_mem_peer(), need, twin.data(), twin.size(), &po, &peer);
	kf::finish_accepted_import(a, b, peer, st, "serialized context");
	return 0;
}
