// iov/layout.cc - classification of a caller's kgss_iov array (MIT
// gss_wrap_iov buffer semantics, see iov/layout.h).  Pure bookkeeping: no
// buffer contents are read.
#include "iov/layout.h"

#include <string.h>

namespace kgss {

namespace {

// Records a single-instance buffer; false when the type was already seen.
bool take_single(kgss_iov **slot, kgss_iov *v)
{
	if (*slot != nullptr)
		return false;
	*slot = v;
	return true;
}

// a += b unless that would overflow size_t.
bool add_len(size_t *a, size_t b)
{
	if (*a + b < *a)
		return false;
	*a += b;
	return true;
}

} // namespace

kgss_status iov_classify(kgss_iov *iov, size_t count, iov_layout *out)
{
	if (out == nullptr)
		return KGSS_S_FAILURE;
	// Filled in place, field by field: building a local copy and assigning
	// it whole read back 16-byte chunks just written as 8-byte fields (a
	// store-forwarding stall on every call).
	memset(out, 0, sizeof(*out));
	if (iov == nullptr && count > 0)
		return KGSS_S_FAILURE;

	size_t all_len = 0; // every buffer together must be addressable
	size_t data_len = 0, sign_len = 0, data_count = 0;
	for (size_t i = 0; i < count; i++) {
		kgss_iov *v = &iov[i];
		if (v->buffer.value == nullptr && v->buffer.length != 0)
			goto fail;
		if (!add_len(&all_len, v->buffer.length))
			goto fail;
		bool ok;
		switch (v->type) {
		case KGSS_IOV_EMPTY:
			ok = true;
			break;
		case KGSS_IOV_DATA:
			ok = add_len(&data_len, v->buffer.length);
			data_count++;
			break;
		case KGSS_IOV_SIGN_ONLY:
			ok = add_len(&sign_len, v->buffer.length);
			break;
		case KGSS_IOV_HEADER:
			ok = take_single(&out->header, v);
			break;
		case KGSS_IOV_TRAILER:
			ok = take_single(&out->trailer, v);
			break;
		case KGSS_IOV_PADDING:
			ok = take_single(&out->padding, v);
			break;
		case KGSS_IOV_STREAM:
			ok = take_single(&out->stream, v);
			break;
		case KGSS_IOV_MIC_TOKEN:
			ok = take_single(&out->mic_token, v);
			break;
		default:
			ok = false; // unknown type (MIT's flag bits are not part of this API)
			break;
		}
		if (!ok)
			goto fail;
	}
	out->iov = iov;
	out->count = count;
	out->data_len = data_len;
	out->sign_len = sign_len;
	out->data_count = data_count;
	return KGSS_S_COMPLETE;
fail:
	memset(out, 0, sizeof(*out));
	return KGSS_S_FAILURE;
}

} // namespace kgss
