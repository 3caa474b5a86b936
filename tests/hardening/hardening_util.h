// tests/hardening/hardening_util.h - context pairs and token helpers for the
// CVE-class and tampering suites.
#ifndef KGSS_TEST_HARDENING_UTIL_H
#define KGSS_TEST_HARDENING_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <vector>

#include "fuzz_common.h" // kf::kEtypes, kf::make_lucid, kf::make_options (tests/fuzz)
#include "kgss.h"

namespace hu {

using bytes = std::vector<uint8_t>;

// A receiving context (self) and the peer that sends to it, in their own
// memory (kgss_import_lucid_v1_into), no receive window unless asked.
struct pair {
	bytes mem_self, mem_peer;
	kgss_ctx *self = nullptr, *peer = nullptr;
	uint8_t keys[128]; // peer and self share them: keys[0..64) ctx key, [64..128) subkey
	pair(size_t et_index, bool self_initiator, bool subkey, bool window = false);
	pair(const pair &) = delete;
	// The key the tokens are protected with.
	const uint8_t *key() const;
	size_t et_index;
	bool self_initiator, subkey;
};
size_t et_index_of(int32_t etype);

bytes msg(size_t n, uint8_t salt = 0);
// Plain API helpers; they fail the test on an unexpected status.
bytes wrap(kgss_ctx *c, bool conf, const bytes &m);
bytes get_mic(kgss_ctx *c, const bytes &m);
// Unwrap; *out gets the output buffer as the call left it (its capacity
// is the token length) and out_len the reported length.
kgss_status unwrap(kgss_ctx *c, const bytes &tok, bytes *out, size_t *out_len);
kgss_status verify_mic(kgss_ctx *c, const bytes &m, const bytes &tok);

bool all_zero(const bytes &b);

} // namespace hu

#endif
