// The receive window: MIT g_seqstate semantics, table-driven.
#include <stdint.h>
#include <stdio.h>
#include <thread>
#include <vector>

#include <CppUTest/TestHarness.h>

#include "gss-kernel-lib/seqstate.h"

using kgss::seqstate;

namespace {

constexpr uint32_t R = KGSS_OPT_REPLAY_DETECT;
constexpr uint32_t S = KGSS_OPT_SEQUENCE_DETECT;
constexpr kgss_status OK = KGSS_S_COMPLETE;
constexpr kgss_status DUP = KGSS_S_DUPLICATE_TOKEN;
constexpr kgss_status OLD = KGSS_S_OLD_TOKEN;
constexpr kgss_status UNSEQ = KGSS_S_UNSEQ_TOKEN;
constexpr kgss_status GAP = KGSS_S_GAP_TOKEN;

struct step {
	uint64_t seq;
	kgss_status rs; // replay + sequence
	kgss_status r;  // replay only
	kgss_status s;  // sequence only
};

void run_table(const char *name, uint64_t base, bool wide, const std::vector<step> &steps)
{
	const uint32_t modes[4] = {R | S, R, S, 0};
	for (uint32_t m : modes) {
		seqstate st;
		kgss::seqstate_init(&st, base, m, wide);
		for (size_t i = 0; i < steps.size(); i++) {
			const step &x = steps[i];
			kgss_status want = m == (R | S) ? x.rs : m == R ? x.r : m == S ? x.s : OK;
			kgss_status got = kgss::seqstate_check(&st, x.seq);
			if (got != want) {
				char msg[200];
				snprintf(msg, sizeof msg, "%s mode %u step %zu seq %llu: got %s want %s", name, m, i,
					 (unsigned long long)x.seq, kgss_status_string(got), kgss_status_string(want));
				FAIL(msg);
			}
		}
	}
}

} // namespace

TEST_GROUP(seqstate){};

TEST(seqstate, in_order_duplicate_gap_unseq_old)
{
	run_table("basic", 0, true,
		  {
			  {0, OK, OK, OK},
			  {1, OK, OK, OK},
			  {1, DUP, DUP, UNSEQ},   // replay of the newest
			  {3, GAP, OK, GAP},      // 2 skipped
			  {2, UNSEQ, OK, UNSEQ},  // late but in the window, first time
			  {2, DUP, DUP, UNSEQ},   // and again
			  {0, DUP, DUP, UNSEQ},   // oldest seen so far
			  {4, OK, OK, OK},        // back in order
			  {100, GAP, OK, GAP},    // next = 101
			  {37, UNSEQ, OK, UNSEQ}, // 101 - 37 = 64: last slot of the window
			  {37, DUP, DUP, UNSEQ},
			  {36, UNSEQ, OLD, UNSEQ}, // 65 behind: too old to tell
			  {4, UNSEQ, OLD, UNSEQ},
			  {101, OK, OK, OK},
		  });
}

TEST(seqstate, nonzero_base)
{
	run_table("base", 1000, false,
		  {
			  {1000, OK, OK, OK},
			  {1002, GAP, OK, GAP},
			  {1001, UNSEQ, OK, UNSEQ},
			  {1001, DUP, DUP, UNSEQ},
			  // Before base: 2^32 - 1 relative, i.e. 4 behind next (1003) on the
			  // 32-bit circle: in the window, never seen.  (MIT compares plain
			  // integers and calls it far ahead: GAP, then every later token old.)
			  {999, UNSEQ, OK, UNSEQ},
			  {999, DUP, DUP, UNSEQ},
			  {1003, OK, OK, OK},
		  });
}

// The window's `next` comes round the circle after 2^32 RFC 1964 numbers (a
// downcall context's window starts at 0 whatever the peer starts with): the
// numbers just before the wrap are behind, not "far ahead".  A replay of one
// of them must be a duplicate, and must not slide the window so that fresh
// tokens look old or gapped and old ones fresh.
TEST(seqstate, numbers_behind_a_wrapped_next_are_behind)
{
	run_table("wrapnext32", 0, false,
		  {
			  {0xfffffffeu, GAP, OK, GAP}, // first token: taken as the start
			  {0xffffffffu, OK, OK, OK},   // next wraps to 0
			  {0, OK, OK, OK},
			  {1, OK, OK, OK},
			  {0xffffffffu, DUP, DUP, UNSEQ}, // replay from before the wrap
			  {0xfffffffeu, DUP, DUP, UNSEQ},
			  {2, OK, OK, OK}, // the window did not move
			  {0, DUP, DUP, UNSEQ},
			  {0xfffffff0u, UNSEQ, OK, UNSEQ},  // never seen, 18 behind: in the window
			  {0xffffff00u, UNSEQ, OLD, UNSEQ}, // 259 behind
			  {0x80000003u, UNSEQ, OLD, UNSEQ}, // 2^31 behind
			  {0x80000002u, GAP, OK, GAP},      // 2^31 - 1 ahead of next (3): ahead
		  });
	const uint64_t top = ~(uint64_t)0;
	run_table("wrapnext64", 0, true,
		  {
			  {top, GAP, OK, GAP},
			  {0, OK, OK, OK},
			  {top, DUP, DUP, UNSEQ},
			  {1, OK, OK, OK},
			  {top - 100, UNSEQ, OLD, UNSEQ},
			  {((uint64_t)1 << 63) + 2, UNSEQ, OLD, UNSEQ}, // 2^63 behind next (2)
			  {((uint64_t)1 << 63) + 1, GAP, OK, GAP},      // 2^63 - 1 ahead: ahead
		  });
}

TEST(seqstate, wraps_at_2_32_for_rfc1964)
{
	run_table("wrap32", 0xfffffffeu, false,
		  {
			  {0xfffffffeu, OK, OK, OK},
			  {0xffffffffu, OK, OK, OK},
			  {0, OK, OK, OK},
			  {2, GAP, OK, GAP},
			  {1, UNSEQ, OK, UNSEQ},
			  {0xffffffffu, DUP, DUP, UNSEQ},
			  {0, DUP, DUP, UNSEQ},
			  {3, OK, OK, OK},
		  });
}

TEST(seqstate, wraps_at_2_64_for_rfc4121)
{
	const uint64_t top = ~(uint64_t)0;
	run_table("wrap64", top - 1, true,
		  {
			  {top - 1, OK, OK, OK},
			  {top, OK, OK, OK},
			  {0, OK, OK, OK},
			  {2, GAP, OK, GAP},
			  {1, UNSEQ, OK, UNSEQ},
			  {top, DUP, DUP, UNSEQ},
			  {3, OK, OK, OK},
		  });
	// RFC 1964 numbers are 32 bits: 2^32 is the same as 0 there, not in RFC 4121.
	seqstate a, b;
	kgss::seqstate_init(&a, 0, R, false);
	kgss::seqstate_init(&b, 0, R, true);
	CHECK_EQUAL(OK, kgss::seqstate_check(&a, 0));
	CHECK_EQUAL(DUP, kgss::seqstate_check(&a, (uint64_t)1 << 32));
	CHECK_EQUAL(OK, kgss::seqstate_check(&b, 0));
	CHECK_EQUAL(OK, kgss::seqstate_check(&b, (uint64_t)1 << 32));
}

// A jump of 63 would need a shift by 64 (undefined; on x86 it shifts by 0 and
// keeps stale bits, which then reject fresh numbers as duplicates).
TEST(seqstate, jumps_of_63_and_more_clear_the_window)
{
	run_table("jump63", 0, true,
		  {
			  {0, OK, OK, OK},
			  {1, OK, OK, OK},
			  {2, OK, OK, OK},
			  {3, OK, OK, OK},
			  {4, OK, OK, OK},
			  {5, OK, OK, OK},
			  {69, GAP, OK, GAP},     // offset 63 from next (6)
			  {68, UNSEQ, OK, UNSEQ}, // never seen: must not be a duplicate
			  {67, UNSEQ, OK, UNSEQ},
			  {64, UNSEQ, OK, UNSEQ},
			  {6, UNSEQ, OK, UNSEQ}, // 64 behind next (70): in the window
			  {5, UNSEQ, OLD, UNSEQ},
		  });
	run_table("jump62", 0, true,
		  {
			  {0, OK, OK, OK},
			  {63, GAP, OK, GAP}, // offset 62: shift by 63, 0 lands on the last bit
			  {0, DUP, DUP, UNSEQ},
			  {1, UNSEQ, OK, UNSEQ},
		  });
	run_table("jump64+", 0, true,
		  {
			  {0, OK, OK, OK},
			  {1000, GAP, OK, GAP},
			  {999, UNSEQ, OK, UNSEQ},
			  {937, UNSEQ, OK, UNSEQ},  // 1001 - 937 = 64: last slot
			  {936, UNSEQ, OLD, UNSEQ}, // 65 behind
		  });
}

TEST(seqstate, window_edge_exact)
{
	// next = 1001 after 1000: in window are 937..1000.
	seqstate st;
	kgss::seqstate_init(&st, 0, R | S, true);
	CHECK_EQUAL(GAP, kgss::seqstate_check(&st, 1000));
	CHECK_EQUAL(UNSEQ, kgss::seqstate_check(&st, 937));
	CHECK_EQUAL(UNSEQ, kgss::seqstate_check(&st, 936)); // MIT: UNSEQ only, no OLD bit
}

TEST(seqstate, largest_jump_does_not_break)
{
	// Relative offset 2^64 - 1 (offset + 1 overflows to 0 in MIT's shift).
	seqstate st;
	kgss::seqstate_init(&st, 0, R | S, true);
	CHECK_EQUAL(GAP, kgss::seqstate_check(&st, ~(uint64_t)0));
	// next wrapped around to 0: 0 is the expected number again.
	CHECK_EQUAL(OK, kgss::seqstate_check(&st, 0));
	CHECK_EQUAL(DUP, kgss::seqstate_check(&st, 0));
	CHECK_EQUAL(GAP, kgss::seqstate_check(&st, 5));
	CHECK_EQUAL(UNSEQ, kgss::seqstate_check(&st, 3));
}

TEST(seqstate, off_means_no_checks)
{
	seqstate st;
	kgss::seqstate_init(&st, 5, 0, true);
	for (int i = 0; i < 3; i++)
		CHECK_EQUAL(OK, kgss::seqstate_check(&st, 5));
	CHECK_EQUAL(OK, kgss::seqstate_check(&st, 1));
}

// Many threads feeding distinct numbers: each is accepted exactly once.
TEST(seqstate, concurrent_checks_lose_nothing)
{
	seqstate st;
	kgss::seqstate_init(&st, 0, R, true);
	const int threads = 4, per = 20000;
	std::vector<int> dups(threads, 0);
	std::vector<std::thread> ts;
	for (int t = 0; t < threads; t++)
		ts.emplace_back([&, t] {
			// interleaved numbers, all within a few of each other
			for (int i = 0; i < per; i++)
				if (kgss::seqstate_check(&st, (uint64_t)i * threads + t) == DUP)
					dups[t]++;
		});
	for (auto &t : ts)
		t.join();
	for (int t = 0; t < threads; t++)
		CHECK_EQUAL(0, dups[t]);
	// The newest ones are in the window now: replays are caught.
	const uint64_t last = (uint64_t)per * threads - 1;
	CHECK_EQUAL(DUP, kgss::seqstate_check(&st, last));
}
