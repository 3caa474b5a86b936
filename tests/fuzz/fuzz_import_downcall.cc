// tests/fuzz/fuzz_import_downcall.cc - libFuzzer target: kgss_import_downcall
// and kgss_import_downcall_into (the rpc.gssd / gss-proxy kernel buffer).
// Input: byte 0 bit 0 = receive window; the rest is the downcall buffer.
// Invariants: both imports agree; failure leaves *ctx_out NULL and nothing
// allocated; an accepted buffer round-trips tokens with the twin whose
// INITIATOR flag is flipped; a freed *_into context answers NO_CONTEXT.
#include <string.h>

#include <vector>

#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const size_t need = kf::import_need();
	if (size < 1)
		return 0;
	const bool window = data[0] & 1;
	std::vector<uint8_t> buf(data + 1, data + size); // exact size: ASan bounds
	const uint8_t *bp = buf.empty() ? nullptr : buf.data();

	kgss_options o;
	kf::make_options(&o, window, true);
	kgss_ctx *a = (kgss_ctx *)1, *b = (kgss_ctx *)1;
	kgss_status st = kgss_import_downcall_into(kf::import_mem_self(), need, bp, buf.size(), &o, &a);
	kgss_status st2 = kgss_import_downcall(bp, buf.size(), &o, &b);
	if (buf.size() && memcmp(buf.data(), data + 1, buf.size()) != 0)
		kf::fail("import wrote to its input");
	if (!kf::import_accepted(st, st2, a, b, "kgss_import_downcall"))
		return 0;
	if (buf.size() < 4)
		kf::fail("a downcall shorter than its flags was accepted");

	// The peer: the INITIATOR flag (bit 0 of the host-order u32 at 0) flipped.
	std::vector<uint8_t> twin = buf;
	uint32_t flags;
	memcpy(&flags, twin.data(), 4);
	flags ^= 1u;
	memcpy(twin.data(), &flags, 4);
	kgss_options po;
	kf::make_options(&po, false, false);
	kgss_ctx *peer = nullptr;
	st = kgss_import_downcall_into(kf::import_mem_peer(), need, twin.data(), twin.size(), &po, &peer);
	kf::finish_accepted_import(a, b, peer, st, "downcall context");
	return 0;
}
