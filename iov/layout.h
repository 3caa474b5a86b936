// iov/layout.h - classifies a caller's kgss_iov array (MIT gss_wrap_iov
// semantics): at most one HEADER, TRAILER, PADDING, STREAM, MIC_TOKEN;
// any number of DATA / SIGN_ONLY / EMPTY entries.
#ifndef KGSS_IOV_LAYOUT_H
#define KGSS_IOV_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "kgss.h"

namespace kgss {

struct iov_layout {
	kgss_iov *iov; // the whole array
	size_t count;
	kgss_iov *header; // NULL when absent
	kgss_iov *trailer;
	kgss_iov *padding;
	kgss_iov *stream;
	kgss_iov *mic_token;
	size_t data_len;   // total bytes of DATA entries
	size_t sign_len;   // total bytes of SIGN_ONLY entries
	size_t data_count; // number of DATA entries
	// Set by the plain calls (api.cc): the engine then answers with the
	// status codes MIT's plain gss_unwrap gives where they differ from its
	// gss_unwrap_iov (docs/interop.md).  iov_classify leaves it false.
	bool plain_call;
	// kgss_wrap: the confounder, drawn before the message was moved into
	// place (so a PRNG failure leaves an in-place input intact); NULL: the
	// engine draws it.  iov_classify leaves it NULL.
	const uint8_t *confounder;
};

// KGSS_S_FAILURE for: NULL iov with count > 0, a repeated single-instance
// type, an unknown type, a NULL value with nonzero length, or length sums
// that overflow.  Otherwise COMPLETE and *out filled.
kgss_status iov_classify(kgss_iov *iov, size_t count, iov_layout *out);

} // namespace kgss

#endif
