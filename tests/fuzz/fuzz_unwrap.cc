// tests/fuzz/fuzz_unwrap.cc - libFuzzer target: kgss_unwrap.
// Input: selector byte (fuzz_common.h: enctype, role, subkey, window) | token.
// Invariants: no memory error (ASan/UBSan); on failure output->length is 0
// and every byte of the working area is zero (kgss.h); on success the
// plaintext fits the token; the context still unwraps its peer's tokens.
#include <string.h>

#include <vector>

#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	kf::pair &p = kf::pair_for(kf::config_of(data[0]));
	const size_t tlen = size - 1;
	// Exactly sized copies so ASan sees any access past either buffer.
	std::vector<uint8_t> token(data + 1, data + size);
	std::vector<uint8_t> out(tlen);
	kgss_buffer in = {tlen, tlen ? token.data() : nullptr};
	kgss_buffer o = {tlen, tlen ? out.data() : nullptr};
	int conf_state = -1;
	uint32_t qop = 7;
	kgss_status st = kgss_unwrap(p.self, &in, &o, &conf_state, &qop);
	kf::record(st);
	if (qop != 0)
		kf::fail("qop_state not 0");
	if (KGSS_ERROR(st)) {
		if (o.length != 0)
			kf::fail("failed unwrap released output", st);
		if (!kf::all_zero(out.data(), tlen))
			kf::fail("failed unwrap left bytes in the working area", st);
	} else {
		if (o.length > tlen)
			kf::fail("plaintext longer than the token", st);
		if (conf_state != 0 && conf_state != 1)
			kf::fail("conf_state not 0/1", st);
		if (!kf::all_zero(out.data() + o.length, tlen - o.length))
			kf::fail("token bytes left behind the plaintext", st);
	}
	if (tlen && memcmp(token.data(), data + 1, tlen) != 0)
		kf::fail("kgss_unwrap wrote to its input");
	kf::check_alive(p, "context broken after a hostile kgss_unwrap input");
	return 0;
}
