// gss-kernel-lib/seqstate.h - the receive window: replay and sequence
// detection with MIT g_seqstate semantics (64-entry bitmap relative to the
// next expected number; 32-bit wrap-around for RFC 1964, 64-bit for RFC 4121).
// Opt-in (kgss_options.flags); off, every check answers 0.
#ifndef KGSS_SEQSTATE_H
#define KGSS_SEQSTATE_H

#include <stdint.h>

#include "kgss.h"

namespace kgss {

struct seqstate {
	uint32_t lock;    // spinlock word (__atomic), held for a few instructions
	uint32_t flags;   // KGSS_OPT_REPLAY_DETECT | KGSS_OPT_SEQUENCE_DETECT
	uint64_t mask;    // 0xffffffff (RFC 1964) or all ones (RFC 4121)
	uint64_t base;    // initial sequence number; window works relative to it
	uint64_t next;    // next expected number, relative to base
	uint64_t recvmap; // bit i set: number (next - 1 - i) was received
};

void seqstate_init(seqstate *s, uint64_t seq0, uint32_t flags, bool wide);
// The window update of seqstate_check, out of line (under the lock).
kgss_status seqstate_record(seqstate *s, uint64_t seq);
// Records seq (call only after the token verified) and returns the
// supplementary status bits: 0, DUPLICATE, OLD, UNSEQ, GAP (may combine).
// Without replay or sequence detection (flags never change after import)
// it is 0 with no call: every verify and unwrap passes here.
inline kgss_status seqstate_check(seqstate *s, uint64_t seq)
{
	if ((s->flags & (KGSS_OPT_REPLAY_DETECT | KGSS_OPT_SEQUENCE_DETECT)) == 0)
		return KGSS_S_COMPLETE;
	return seqstate_record(s, seq);
}

} // namespace kgss

#endif
