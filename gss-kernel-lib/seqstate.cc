// gss-kernel-lib/seqstate.cc - the receive window (MIT g_seqstate semantics).
//
// Numbers are taken relative to the first expected number (base), masked to
// 32 bits (RFC 1964) or 64 bits (RFC 4121).  `next` is one past the highest
// relative number seen, also kept modulo 2^32 / 2^64; bit i of recvmap says
// (next - 1 - i) was received.  The number space is a circle: after 2^32
// RFC 1964 tokens (fewer with a downcall context, whose window starts at 0
// whatever the peer's first number) the numbers come round again, so
// "ahead" and "behind" are decided modulo the space, not by comparing
// integers:
//
//   first token ever       taken as the start, whatever its number (MIT)
//   0 <= rel - next < half  in order (offset 0) or ahead: slide the window;
//                          GAP_TOKEN when numbers were skipped (sequence mode)
//   1 <= next - rel <= 64  behind but inside the window: DUPLICATE_TOKEN if
//                          seen (replay mode), else recorded; UNSEQ_TOKEN in
//                          sequence mode
//   next - rel > 64        too old to tell: UNSEQ_TOKEN in sequence mode,
//                          else OLD_TOKEN (MIT g_order_check: one bit, never
//                          both; a caller asking for sequence checks sees the
//                          token as out of order, as from an MIT peer)
// (differences mod 2^32 / 2^64; half = 2^31 / 2^63).  MIT compares plain
// integers instead: once its `next` passes the top of a 32-bit space every
// later token is "old", and a window whose `next` wrapped would take a replay
// of any number above it for a fresh token ahead (no DUPLICATE_TOKEN).
//
// Unlike MIT, a jump of 63 or more clears the bitmap instead of shifting by
// >= 64 bits (undefined behaviour in C; MIT's code has that shift unguarded).
//
// Concurrency: per-message calls may run in parallel on one context, so the
// update is done under a spinlock word.  The critical section is a handful of
// instructions with no calls; __atomic on a 32-bit word is lock-free on every
// target we build for (no libatomic reference; the core_symbols test checks).
// Local interrupts are masked around it (kgss_os_irq_save, gss-kernel-lib/
// os.h): in a kernel a verify may run in process, softirq or hard-IRQ
// context, and one that interrupted the lock holder on the same CPU would
// otherwise spin forever.  In user space the mask is a no-op (libkgss is not
// async-signal-safe).
#include <stdint.h>

#include "gss-kernel-lib/os.h"
#include "gss-kernel-lib/seqstate.h"

namespace kgss {

namespace {

inline void cpu_relax()
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
	__asm__ __volatile__("yield" ::: "memory");
#else
	__asm__ __volatile__("" ::: "memory");
#endif
}

inline void lock(seqstate *s)
{
	for (;;) {
		if (__atomic_exchange_n(&s->lock, 1u, __ATOMIC_ACQUIRE) == 0)
			return;
		while (__atomic_load_n(&s->lock, __ATOMIC_RELAXED) != 0)
			cpu_relax();
	}
}

inline void unlock(seqstate *s) { __atomic_store_n(&s->lock, 0u, __ATOMIC_RELEASE); }

constexpr uint32_t WINDOW = 64;

// The window update itself; caller holds the lock.
kgss_status check_locked(seqstate *s, uint64_t seq)
{
	const bool replay = (s->flags & KGSS_OPT_REPLAY_DETECT) != 0;
	const bool sequence = (s->flags & KGSS_OPT_SEQUENCE_DETECT) != 0;
	const uint64_t rel = (seq - s->base) & s->mask;
	// recvmap has bit 0 set from the first accepted token on.
	const bool first = s->recvmap == 0;
	const uint64_t ahead = (rel - s->next) & s->mask;

	if (first || ahead <= (s->mask >> 1)) {
		// Expected (offset 0) or ahead of it, within half the number space.
		const uint64_t offset = ahead;
		if (offset >= WINDOW - 1)
			s->recvmap = 1; // everything older slides out of the window
		else
			s->recvmap = (s->recvmap << (offset + 1)) | 1u;
		s->next = (rel + 1) & s->mask;
		return (offset > 0 && sequence) ? KGSS_S_GAP_TOKEN : KGSS_S_COMPLETE;
	}

	// Behind: offset = next - rel (mod the space), 1 <= offset <= half + 1.
	const uint64_t offset = (s->next - rel) & s->mask;
	if (offset > WINDOW)
		return sequence ? KGSS_S_UNSEQ_TOKEN : KGSS_S_OLD_TOKEN;
	const uint64_t bit = (uint64_t)1 << (offset - 1);
	if (replay && (s->recvmap & bit))
		return KGSS_S_DUPLICATE_TOKEN;
	s->recvmap |= bit;
	return sequence ? KGSS_S_UNSEQ_TOKEN : KGSS_S_COMPLETE;
}

} // namespace

void seqstate_init(seqstate *s, uint64_t seq0, uint32_t flags, bool wide)
{
	s->lock = 0;
	s->flags = flags & (KGSS_OPT_REPLAY_DETECT | KGSS_OPT_SEQUENCE_DETECT);
	s->mask = wide ? ~(uint64_t)0 : (uint64_t)0xffffffffu;
	s->base = seq0 & s->mask;
	s->next = 0;
	s->recvmap = 0;
}

kgss_status seqstate_record(seqstate *s, uint64_t seq)
{
	// flags never change after import: reading them needs no lock.
	if ((s->flags & (KGSS_OPT_REPLAY_DETECT | KGSS_OPT_SEQUENCE_DETECT)) == 0)
		return KGSS_S_COMPLETE;
	const unsigned long irq = kgss_os_irq_save();
	lock(s);
	const kgss_status st = check_locked(s, seq);
	unlock(s);
	kgss_os_irq_restore(irq);
	return st;
}

} // namespace kgss
