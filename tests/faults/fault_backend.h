// tests/faults/fault_backend.h - a crypto backend that fails on command.
//
// fault_backend() wraps the builtin portable backend: every call of every
// primitive class function that can fail (block cipher init / ecb / cbc /
// cbc_mac, stream init / apply, hash init / update / final / copy) is
// numbered from 1 in a global plan, and the call whose number is
// plan.fail_at (or plan.fail_also: a second failure in the same run) fails:
// it returns nonzero without doing its work, or, for hash update (which
// returns void), latches a failure that the state's final() and copy() then
// report, as the kgss_crypto.h contract says.  clear() never fails and is
// not counted.  0 never fails.
//
// The wrappers keep the inner classes' state sizes, so contexts built on
// the fault backend have the same layout as on the builtin one.
#ifndef KGSS_TEST_FAULT_BACKEND_H
#define KGSS_TEST_FAULT_BACKEND_H

#include <stddef.h>

#include "kgss_crypto.h"

namespace kf {

struct fault_plan {
	long calls = 0;     // counted calls since the last reset
	long fail_at = 0;   // call number that fails; 0: none
	long fail_also = 0; // a second call number that fails; 0: none
	long failures = 0;  // failures injected since the last reset
	void reset(long fail = 0, long also = 0)
	{
		calls = 0;
		fail_at = fail;
		fail_also = also;
		failures = 0;
	}
};

// The one plan (single-threaded tests only).
fault_plan &plan();

// The builtin portable backend behind the plan; name "faults".
const kgss_crypto_backend *fault_backend();

// The same classes without the optional one-call HMAC hooks (hmac_finish,
// hmac_parts), as a backend that does not provide them (OpenSSL, nettle,
// the kernel crypto API): the library then finishes every HMAC step by step
// (final, copy, update, final), and those steps fail here.  Name
// "faults-stepwise".
const kgss_crypto_backend *fault_backend_stepwise();

} // namespace kf

#endif
