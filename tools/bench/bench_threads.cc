// tools/bench/bench_threads.cc - kgss-bench: wrap on one context from one
// thread and from two threads at once (operations per second, medians).
#include <atomic>
#include <chrono>
#include <thread>

#include "tools/bench/bench.h"

namespace kbench {

std::vector<scaling> g_scaling;

namespace {

double run_threads(kgss_ctx *c, size_t n, int nthreads, double ms)
{
	std::atomic<bool> go{false}, stop{false};
	std::atomic<int> ready{0};
	std::vector<uint64_t> counts(nthreads, 0);
	std::vector<std::thread> th;
	for (int t = 0; t < nthreads; t++)
		th.emplace_back([&, t] {
			bytes msg(n, 0x33), out(n + 256);
			kgss_buffer in{n, msg.data()};
			uint64_t k = 0;
			ready++;
			while (!go.load())
				;
			while (!stop.load(std::memory_order_relaxed)) {
				kgss_buffer ob{out.size(), out.data()};
				int cs;
				if (kgss_wrap(c, 1, 0, &in, &cs, &ob) != KGSS_S_COMPLETE)
					die("kgss_wrap in thread");
				k++;
			}
			counts[t] = k;
		});
	while (ready.load() < nthreads)
		;
	double t0 = now_ns();
	go = true;
	std::this_thread::sleep_for(std::chrono::microseconds((long)(ms * 1000)));
	stop = true;
	for (auto &x : th)
		x.join();
	double el = (now_ns() - t0) / 1e9;
	uint64_t total = 0;
	for (auto k : counts)
		total += k;
	return (double)total / el;
}

} // namespace

void bench_scaling(const options &o, int e, const std::string &be, kgss_ctx *c, size_t n)
{
	std::vector<double> one, two;
	int reps = std::max(3, o.reps);
	double ms = std::max(20.0, o.ms * 5);
	for (int r = 0; r < reps; r++) {
		one.push_back(run_threads(c, n, 1, ms));
		two.push_back(run_threads(c, n, 2, ms));
	}
	g_scaling.push_back(scaling{e, be, n, median(one), median(two)});
}

} // namespace kbench
