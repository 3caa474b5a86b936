// tests/fuzz/fuzz_unwrap_iov.cc - libFuzzer target: kgss_unwrap_iov.
//
// Input: selector | layout | l1 | l2 | l3 | wire bytes.
//   layout bit 0  STREAM | DATA (the wire bytes are the whole token), else
//                 split:   HEADER = first l1 bytes,
//                          TRAILER (bit 1) = last l2 bytes,
//                          PADDING (bit 2) = the l3 bytes before the trailer,
//                          DATA = what is between (bit 3: two DATA buffers)
//   bit 4         an EMPTY buffer first
//   bit 5         a SIGN_ONLY buffer "AEAD" (not on the wire) after the first
//   Lengths are clamped to what is there.
// Invariants: no memory error; on failure every split DATA buffer is either
// all zeros or byte-identical to what it held (never partial plaintext) and
// a failed STREAM unwrap leaves the DATA descriptor as passed; on success DATA lies inside what it
// described; the context still unwraps its peer's tokens.
#include <string.h>

#include <vector>

#include "fuzz_common.h"

namespace {

const uint8_t kSignOnly[4] = {'A', 'E', 'A', 'D'};

size_t take(size_t *rem, size_t want)
{
	size_t n = want < *rem ? want : *rem;
	*rem -= n;
	return n;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 5)
		return 0;
	kf::pair &p = kf::pair_for(kf::config_of(data[0]));
	const uint8_t layout = data[1];
	const uint8_t *wire = data + 5;
	size_t rem = size - 5;

	// Each buffer in its own exactly sized allocation (ASan bounds).
	std::vector<std::vector<uint8_t>> store;
	std::vector<uint32_t> types;
	store.reserve(8);
	auto add = [&](uint32_t type, const uint8_t *b, size_t n) {
		types.push_back(type);
		store.emplace_back(b, b + n);
	};
	if (layout & 0x10)
		add(KGSS_IOV_EMPTY, wire, 0);
	const bool stream = layout & 1;
	if (stream) {
		add(KGSS_IOV_STREAM, wire, rem);
		if (layout & 0x20)
			add(KGSS_IOV_SIGN_ONLY, kSignOnly, sizeof(kSignOnly));
		add(KGSS_IOV_DATA, wire, 0);
	} else {
		size_t hlen = take(&rem, data[2]);
		size_t tlen = (layout & 2) ? take(&rem, data[3]) : 0;
		size_t plen = (layout & 4) ? take(&rem, data[4]) : 0;
		const uint8_t *h = wire, *d = wire + hlen, *pd = d + rem, *t = pd + plen;
		add(KGSS_IOV_HEADER, h, hlen);
		if (layout & 0x20)
			add(KGSS_IOV_SIGN_ONLY, kSignOnly, sizeof(kSignOnly));
		if (layout & 8) {
			add(KGSS_IOV_DATA, d, rem / 2);
			add(KGSS_IOV_DATA, d + rem / 2, rem - rem / 2);
		} else {
			add(KGSS_IOV_DATA, d, rem);
		}
		if (layout & 4)
			add(KGSS_IOV_PADDING, pd, plen);
		if (layout & 2)
			add(KGSS_IOV_TRAILER, t, tlen);
	}
	const std::vector<std::vector<uint8_t>> before = store;
	std::vector<kgss_iov> iov(types.size());
	for (size_t i = 0; i < iov.size(); i++) {
		iov[i].type = types[i];
		iov[i].buffer.length = store[i].size();
		iov[i].buffer.value = store[i].empty() ? nullptr : store[i].data();
	}
	const std::vector<kgss_iov> iov_before = iov;

	int conf_state = -1;
	uint32_t qop = 7;
	kgss_status st = kgss_unwrap_iov(p.self, &conf_state, &qop, iov.data(), iov.size());
	kf::record(st);
	if (qop != 0)
		kf::fail("qop_state not 0");

	for (size_t i = 0; i < iov.size(); i++) {
		if (types[i] != KGSS_IOV_DATA)
			continue;
		const kgss_iov &v = iov[i];
		const kgss_iov &v0 = iov_before[i];
		if (stream) {
			const uint8_t *s = store[stream && (layout & 0x10) ? 1 : 0].data();
			size_t slen = store[stream && (layout & 0x10) ? 1 : 0].size();
			if (KGSS_ERROR(st)) {
				// kgss.h: a failed STREAM unwrap leaves the DATA
				// descriptor exactly as the caller passed it.
				if (v.buffer.value != v0.buffer.value || v.buffer.length != v0.buffer.length)
					kf::fail("failed STREAM unwrap moved or released DATA", st);
			} else if (v.buffer.length != 0 &&
				   ((const uint8_t *)v.buffer.value < s ||
				    (const uint8_t *)v.buffer.value + v.buffer.length > s + slen)) {
				kf::fail("STREAM DATA points outside the STREAM buffer", st);
			}
			continue;
		}
		if (v.buffer.value != v0.buffer.value)
			kf::fail("split DATA buffer moved", st);
		if (KGSS_ERROR(st)) {
			if (v.buffer.length != v0.buffer.length)
				kf::fail("failed unwrap changed a DATA length", st);
			const uint8_t *b = store[i].data();
			size_t n = store[i].size();
			if (n && !kf::all_zero(b, n) && memcmp(b, before[i].data(), n) != 0)
				kf::fail("failed unwrap left partial plaintext in DATA", st);
		} else if (v.buffer.length > v0.buffer.length) {
			kf::fail("unwrap grew a DATA buffer", st);
		}
	}
	if (!KGSS_ERROR(st) && conf_state != 0 && conf_state != 1)
		kf::fail("conf_state not 0/1", st);
	kf::check_alive(p, "context broken after a hostile kgss_unwrap_iov input");
	return 0;
}
