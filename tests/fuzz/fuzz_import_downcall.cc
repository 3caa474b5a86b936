// tests/fuzz/fuzz_import_downcall.cc - libFuzzer target: kgss_import_downcall
// and kgss_import_downcall_into (the rpc.gssd / gss-proxy kernel buffer).
// Input: byte 0 bit 0 = receive window; the rest is the downcall buffer.
// Invariants: both imports agree; failure leaves *ctx_out NULL and nothing
// allocated; an accepted buffer round-trips tokens with the twin whose
// INITIATOR flag is flipped; a freed *_into context answers NO_CONTEXT.
#include <string.h>

#include <vector>

#include "fuzz_common.h"

namespace {
alignas(16) uint8_t mem_self[16384];
alignas(16) uint8_t mem_peer[16384];
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t need = kgss_ctx_size();
	if (need > sizeof(mem_self))
		kf::fail("kgss_ctx_size grew past the fuzzer's buffers");
	if (size < 1)
		return 0;
	const bool window = data[0] & 1;
	std::vector<uint8_t> buf(data + 1, data + size); // exact size: ASan bounds
	const uint8_t *bp = buf.empty() ? nullptr : buf.data();

	kgss_options o;
	kf::make_options(&o, window, true);
	kgss_ctx *a = (kgss_ctx *)1, *b = (kgss_ctx *)1;
	kgss_status st = kgss_import_downcall_into(mem_self, need, bp, buf.size(), &o, &a);
	kgss_status st2 = kgss_import_downcall(bp, buf.size(), &o, &b);
	kf::record(st);
	if (st != st2)
		kf::fail("kgss_import_downcall and _into disagree", st2);
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
	if (a == nullptr || b == nullptr || buf.size() < 4)
		kf::fail("successful import without a context");

	// The peer: the INITIATOR flag (bit 0 of the host-order u32 at 0) flipped.
	std::vector<uint8_t> twin = buf;
	uint32_t flags;
	memcpy(&flags, twin.data(), 4);
	flags ^= 1u;
	memcpy(twin.data(), &flags, 4);
	kgss_options po;
	kf::make_options(&po, false, false);
	kgss_ctx *peer = nullptr;
	st = kgss_import_downcall_into(mem_peer, need, twin.data(), twin.size(), &po, &peer);
	if (st != KGSS_S_COMPLETE)
		kf::fail("the role-swapped twin of an accepted downcall was refused", st);
	kf::check_alive(a, peer, "accepted downcall context cannot talk to its peer (into)");
	kf::check_alive(b, peer, "accepted downcall context cannot talk to its peer (allocated)");

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
