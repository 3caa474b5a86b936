// gss-kernel-lib/status.cc - names for kgss_status values (RFC 2744 numbering).
//
// A routine error is named alone, without any supplementary bits OR-ed into
// it (this library never returns such a combination).  COMPLETE with supplementary bits is named
// with every bit, e.g. "COMPLETE+DUPLICATE_TOKEN", from a table of
// precomposed strings (no formatting code in the core).  Anything else
// (calling errors, CONTINUE_NEEDED, unknown bits) is "UNKNOWN_STATUS".
#include <stddef.h>
#include <stdint.h>

#include "kgss.h"

namespace {

// RFC 2744 §3.9.1 routine errors, indexed by (status >> 16).
const char *const routine_names[] = {
	"COMPLETE",             // 0
	"BAD_MECH",             // 1
	"BAD_NAME",             // 2
	"BAD_NAMETYPE",         // 3
	"BAD_BINDINGS",         // 4
	"BAD_STATUS",           // 5
	"BAD_SIG",              // 6 (= BAD_MIC)
	"NO_CRED",              // 7
	"NO_CONTEXT",           // 8
	"DEFECTIVE_TOKEN",      // 9
	"DEFECTIVE_CREDENTIAL", // 10
	"CREDENTIALS_EXPIRED",  // 11
	"CONTEXT_EXPIRED",      // 12
	"FAILURE",              // 13
	"BAD_QOP",              // 14
	"UNAUTHORIZED",         // 15
	"UNAVAILABLE",          // 16
	"DUPLICATE_ELEMENT",    // 17
	"NAME_NOT_MN",          // 18
};

// COMPLETE plus supplementary bits, indexed by bits 1..4 of the status:
// 1 DUPLICATE_TOKEN, 2 OLD_TOKEN, 4 UNSEQ_TOKEN, 8 GAP_TOKEN.
const char *const supp_names[16] = {
	"COMPLETE",
	"COMPLETE+DUPLICATE_TOKEN",
	"COMPLETE+OLD_TOKEN",
	"COMPLETE+DUPLICATE_TOKEN+OLD_TOKEN",
	"COMPLETE+UNSEQ_TOKEN",
	"COMPLETE+DUPLICATE_TOKEN+UNSEQ_TOKEN",
	"COMPLETE+OLD_TOKEN+UNSEQ_TOKEN",
	"COMPLETE+DUPLICATE_TOKEN+OLD_TOKEN+UNSEQ_TOKEN",
	"COMPLETE+GAP_TOKEN",
	"COMPLETE+DUPLICATE_TOKEN+GAP_TOKEN",
	"COMPLETE+OLD_TOKEN+GAP_TOKEN",
	"COMPLETE+DUPLICATE_TOKEN+OLD_TOKEN+GAP_TOKEN",
	"COMPLETE+UNSEQ_TOKEN+GAP_TOKEN",
	"COMPLETE+DUPLICATE_TOKEN+UNSEQ_TOKEN+GAP_TOKEN",
	"COMPLETE+OLD_TOKEN+UNSEQ_TOKEN+GAP_TOKEN",
	"COMPLETE+DUPLICATE_TOKEN+OLD_TOKEN+UNSEQ_TOKEN+GAP_TOKEN",
};

constexpr uint32_t SUPP_MASK = KGSS_S_DUPLICATE_TOKEN | KGSS_S_OLD_TOKEN | KGSS_S_UNSEQ_TOKEN | KGSS_S_GAP_TOKEN;

} // namespace

extern "C" const char *kgss_status_string(kgss_status status)
{
	const uint32_t routine = status >> 16;
	const uint32_t low = status & 0xffffu;
	if (routine != 0) {
		if (routine < sizeof(routine_names) / sizeof(routine_names[0]))
			return routine_names[routine]; // any supplementary bits are not named
		(void)low;
		return "UNKNOWN_STATUS";
	}
	if (low & ~SUPP_MASK)
		return "UNKNOWN_STATUS";
	return supp_names[(low >> 1) & 0xfu];
}
