// crypto/seglist.h - the byte-segment list every token routine and every
// RFC 3961 operation reads and writes in place.
//
// A message is rarely contiguous (NFS: head, pages, tail).  A seglist is the
// ordered concatenation of
//   head[0..nhead)  synthetic segments the token code places first (e.g. the
//                   RFC 3961 confounder inside the caller's HEADER buffer),
//   iov[0..niov)    the caller's kgss_iov array: DATA entries are encrypted
//                   and integrity-protected, SIGN_ONLY entries only
//                   integrity-protected, every other type is skipped,
//   tail[0..ntail)  synthetic segments placed last (e.g. RFC 4121 EC filler
//                   and header copy inside the TRAILER buffer).
// Nothing is copied: segments point at caller memory and are processed where
// they lie.  The plain (non-IOV) API builds a one-entry DATA iov on its stack.
#ifndef KGSS_CRYPTO_SEGLIST_H
#define KGSS_CRYPTO_SEGLIST_H

#include <stddef.h>
#include <stdint.h>

#include "kgss.h"

namespace kgss {

struct seg {
	uint8_t *p;
	size_t len;
	bool enc; // true: encrypted and protected; false: protected only (SIGN_ONLY)
};

struct seglist {
	static constexpr size_t kMaxSynthetic = 3;
	seg head[kMaxSynthetic];
	size_t nhead = 0;
	kgss_iov *iov = nullptr;
	size_t niov = 0;
	seg tail[kMaxSynthetic];
	size_t ntail = 0;

	void add_head(uint8_t *p, size_t len, bool enc = true) { head[nhead++] = seg{p, len, enc}; }
	void add_tail(uint8_t *p, size_t len, bool enc = true) { tail[ntail++] = seg{p, len, enc}; }
	void set_iov(kgss_iov *v, size_t n)
	{
		iov = v;
		niov = n;
	}

	size_t count() const { return nhead + niov + ntail; }
	// Segment i of count(); returns false for iov entries that are neither
	// DATA nor SIGN_ONLY (they are not part of the message).
	bool at(size_t i, seg *out) const
	{
		if (i < nhead) {
			*out = head[i];
			return true;
		}
		i -= nhead;
		if (i < niov) {
			const kgss_iov &v = iov[i];
			if (v.type != KGSS_IOV_DATA && v.type != KGSS_IOV_SIGN_ONLY)
				return false;
			*out = seg{(uint8_t *)v.buffer.value, v.buffer.length, v.type == KGSS_IOV_DATA};
			return true;
		}
		i -= niov;
		*out = tail[i];
		return true;
	}
	// Total bytes of encrypted segments / of all segments.
	size_t enc_len() const
	{
		size_t n = 0;
		seg s;
		for (size_t i = 0; i < count(); i++)
			if (at(i, &s) && s.enc)
				n += s.len;
		return n;
	}
	size_t total_len() const
	{
		size_t n = 0;
		seg s;
		for (size_t i = 0; i < count(); i++)
			if (at(i, &s))
				n += s.len;
		return n;
	}
};

} // namespace kgss

#endif
