// tests/fuzz/fuzz_verify_mic.cc - libFuzzer target: kgss_verify_mic.
// Input: selector byte | n (message length, clamped) | message[n] | token.
// Invariants: no memory error; message and token are only read; the
// context still verifies its peer's tokens.
#include <string.h>

#include <vector>

#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	kf::pair &p = kf::pair_for(kf::config_of(data[0]));
	size_t rest = size - 2;
	size_t mlen = data[1] < rest ? data[1] : rest;
	std::vector<uint8_t> msg(data + 2, data + 2 + mlen);
	std::vector<uint8_t> tok(data + 2 + mlen, data + size);
	kgss_buffer m = {mlen, mlen ? msg.data() : nullptr};
	kgss_buffer t = {tok.size(), tok.empty() ? nullptr : tok.data()};
	uint32_t qop = 7;
	kgss_status st = kgss_verify_mic(p.self, &m, &t, &qop);
	kf::record(st);
	if (qop != 0)
		kf::fail("qop_state not 0");
	if ((mlen && memcmp(msg.data(), data + 2, mlen) != 0) ||
	    (!tok.empty() && memcmp(tok.data(), data + 2 + mlen, tok.size()) != 0))
		kf::fail("kgss_verify_mic wrote to its input");
	// The IOV form must agree (same engine, other entry point).
	kgss_iov iov[2];
	iov[0].type = KGSS_IOV_DATA;
	iov[0].buffer = m;
	iov[1].type = KGSS_IOV_MIC_TOKEN;
	iov[1].buffer = t;
	kgss_status st2 = kgss_verify_mic_iov(p.self, &qop, iov, 2);
	if (KGSS_ROUTINE_ERROR(st) != KGSS_ROUTINE_ERROR(st2))
		kf::fail("kgss_verify_mic and kgss_verify_mic_iov disagree", st2);
	kf::check_alive(p, "context broken after a hostile kgss_verify_mic input");
	return 0;
}
