// tests/fuzz/fuzz_import_lucid.cc - libFuzzer target: kgss_import_lucid_v1
// and kgss_import_lucid_v1_into over a fuzzed kgss_lucid_context_v1.
//
// Input (little-endian u32 fields, missing bytes read as zero):
//   0 version  4 initiate  8 endtime  12 send_seq(u64)  20 recv_seq(u64)
//   28 protocol  32 rfc1964 sign_alg  36 seal_alg  40 rfc1964 key type
//   44 its length  48 have_acceptor_subkey  52 cfx ctx_key type  56 length
//   60 acceptor_subkey type  64 length  68 bits: 0..2 key data pointer NULL
//   (rfc1964, cfx ctx, subkey), 3 receive window
//   69.. key bytes: the three keys point at 0, R/3, 2R/3 of these R bytes,
//   each length clamped so the key lies inside the input.
// Invariants: both imports agree; on failure *ctx_out is NULL and nothing
// stays allocated; an accepted context describes itself consistently and
// round-trips tokens with a peer imported from the same struct with the
// roles swapped; a freed *_into context answers NO_CONTEXT.
#include <string.h>

#include <vector>

#include "fuzz_common.h"

namespace {

uint32_t u32(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}
uint64_t u64(const uint8_t *b) { return (uint64_t)u32(b) | (uint64_t)u32(b + 4) << 32; }

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const size_t need = kf::import_need();
	uint8_t h[69] = {0};
	memcpy(h, data, size < sizeof(h) ? size : sizeof(h));
	const size_t R = size > sizeof(h) ? size - sizeof(h) : 0;
	std::vector<uint8_t> keys(data + (size - R), data + size); // exact size: ASan bounds

	kgss_lucid_context_v1 l;
	memset(&l, 0, sizeof(l));
	l.version = u32(h + 0);
	l.initiate = u32(h + 4);
	l.endtime = u32(h + 8);
	l.send_seq = u64(h + 12);
	l.recv_seq = u64(h + 20);
	l.protocol = u32(h + 28);
	l.rfc1964_kd.sign_alg = u32(h + 32);
	l.rfc1964_kd.seal_alg = u32(h + 36);
	kgss_lucid_key *k[3] = {&l.rfc1964_kd.ctx_key, &l.cfx_kd.ctx_key, &l.cfx_kd.acceptor_subkey};
	const size_t type_off[3] = {40, 52, 60};
	l.cfx_kd.have_acceptor_subkey = u32(h + 48);
	for (size_t i = 0; i < 3; i++) {
		size_t off = i * R / 3;
		uint32_t len = u32(h + type_off[i] + 4);
		k[i]->type = u32(h + type_off[i]);
		k[i]->length = len <= R - off ? len : (uint32_t)(R - off);
		k[i]->data = (h[68] >> i) & 1 ? nullptr : (R ? keys.data() + off : nullptr);
	}
	const bool window = (h[68] >> 3) & 1;

	kgss_options o;
	kf::make_options(&o, window, true);
	kgss_ctx *a = (kgss_ctx *)1, *b = (kgss_ctx *)1;
	kgss_status st = kgss_import_lucid_v1_into(kf::import_mem_self(), need, &l, &o, &a);
	kgss_status st2 = kgss_import_lucid_v1(&l, &o, &b);
	if (!kf::import_accepted(st, st2, a, b, "kgss_import_lucid_v1"))
		return 0;

	kgss_ctx_info info;
	st = kgss_ctx_inquire(a, &info);
	if (st != KGSS_S_COMPLETE || info.protocol != l.protocol || info.initiator != l.initiate)
		kf::fail("kgss_ctx_inquire disagrees with the lucid context", st);
	if (l.protocol == 1 && info.acceptor_subkey != l.cfx_kd.have_acceptor_subkey)
		kf::fail("kgss_ctx_inquire: acceptor_subkey", st);

	// The peer: same struct, other role, sequence numbers crossed.
	kgss_lucid_context_v1 pl = l;
	pl.initiate = l.initiate ? 0 : 1;
	pl.send_seq = l.recv_seq;
	pl.recv_seq = l.send_seq;
	kgss_options po;
	kf::make_options(&po, false, false);
	kgss_ctx *peer = nullptr;
	st = kgss_import_lucid_v1_into(kf::import_mem_peer(), need, &pl, &po, &peer);
	kf::finish_accepted_import(a, b, peer, st, "lucid context");
	kgss_ctx_free(a); // second free: a no-op
	return 0;
}
