// gss-kernel-lib/token/format.cc - the token formats by protocol number, and
// what both take from the token state: send sequence numbers and confounders.
#include <stddef.h>
#include <stdint.h>

#include "crypto/util.h"
#include "gss-kernel-lib/token/format.h"

namespace kgss {

const token_format *token_format_for(uint32_t protocol)
{
	if (protocol == rfc1964_format.protocol)
		return &rfc1964_format;
	if (protocol == rfc4121_format.protocol)
		return &rfc4121_format;
	return nullptr;
}

uint64_t ctx_next_send_seq(token_state *ts)
{
	// Only uniqueness matters; the value publishes nothing else.
	return __atomic_fetch_add(&ts->send_seq, 1, __ATOMIC_RELAXED);
}

kgss_status ctx_random(token_state *ts, uint8_t *out, size_t len)
{
	if (!ts->have_prng || ts->prng.generate == nullptr)
		return KGSS_S_UNAVAILABLE;
	if (len == 0)
		return KGSS_S_COMPLETE;
	if (ts->prng.generate(ts->prng.ctx, out, len) != 0) {
		KGSS_WIPE_BUF(out, len); // never a partial or predictable confounder
		return KGSS_S_FAILURE;
	}
	return KGSS_S_COMPLETE;
}

} // namespace kgss
