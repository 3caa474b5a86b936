// tools/bench/bench.h - declarations shared by the files of kgss-bench (see
// kgss_bench.cc for what is measured and how):
//   bench_alloc.cc    the counting allocator (malloc family, libkgss hooks)
//   bench_core.cc     loop clock, median, enctypes, synthetic lucid contexts, result store
//   bench_gss.cc      the libkgss and MIT GSS calls, peer tokens
//   bench_evp.cc      the two-pass OpenSSL EVP limit and OpenSSL's stitched EVP ciphers
//   bench_threads.cc  two threads on one context
//   bench_report.cc   table, JSON and plot output, machine facts
//   kgss_bench.cc     options, KDC, main
// The timing template measure() lives here: it is instantiated with each
// caller's lambda.
#ifndef KGSS_TOOLS_BENCH_BENCH_H
#define KGSS_TOOLS_BENCH_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "kgss.h"
#include "kgss_user.h"
#include "tools/mit/mit_peer.h"

namespace kbench {

using bytes = std::vector<uint8_t>;

[[noreturn]] void die(const std::string &m);

// ---- counting allocator (bench_alloc.cc) -----------------------------------------
// malloc-family calls of this thread so far, and libkgss allocator hook calls
// of all threads so far.
uint64_t thread_allocs();
uint64_t hook_allocs();
// libkgss allocator hooks: malloc, counted separately.
void *hook_alloc(void *, size_t n);
void hook_free(void *, void *p, size_t);

// ---- clocks (bench_core.cc) -------------------------------------------------------
// The clock of the timed loops: wall time (CLOCK_MONOTONIC), or with
// --cpu-clock this thread's CPU time (CLOCK_THREAD_CPUTIME_ID), which leaves
// out the time the thread waits while other processes run - on a shared,
// overloaded machine the difference between a number and noise.  (Caches
// and the SMT sibling are still shared.)
extern clockid_t g_loop_clock;
inline double loop_ns()
{
	struct timespec ts;
	clock_gettime(g_loop_clock, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}
double now_ns();

// ---- options (kgss_bench.cc) ---------------------------------------------------------
struct options {
	std::vector<int> enctypes = {16, 17, 18, 19, 20, 23, 25, 26};
	std::vector<size_t> sizes = {64, 128, 1024, 65536, 1048576};
	int reps = 7;
	double ms = 20; // per timed loop
	bool mit = true;
	bool iov = true;
	bool openssl = true;
	bool threads = true;
	bool quick = false;
	bool cpu_clock = false; // --cpu-clock: time loops by this thread's CPU time
	std::string json, plot;
	std::string kdc_dir;          // empty: a fresh temporary directory
	std::vector<std::string> ops; // empty: all
	bool want(const char *op) const
	{
		return ops.empty() || std::find(ops.begin(), ops.end(), std::string(op)) != ops.end();
	}
};

// ---- measurement ---------------------------------------------------------------------
struct sample {
	double ns = 0;          // median ns per op
	double allocs = 0;      // malloc-family calls per op
	double hook_allocs = 0; // libkgss allocator hook calls per op
	uint64_t iters = 0;     // per timed loop
	bool ok = false;
	std::string err;
};

double median(std::vector<double> v);

// op() performs one operation and returns false on failure.  prep (optional)
// runs before each op; its cost is measured alone the same way and subtracted.
template <class F>
double time_loop(F &op, uint64_t iters, bool *ok)
{
	double t0 = loop_ns();
	for (uint64_t i = 0; i < iters; i++)
		if (!op()) {
			*ok = false;
			return 0;
		}
	return (loop_ns() - t0) / (double)iters;
}

template <class F>
sample measure(const options &o, const char *name, F op)
{
	sample s;
	bool ok = true;
	if (name && !o.want(name))
		return s.err = "skipped", s;
	// warm up + allocation count (after the first call: lazy one-time setup in
	// OpenSSL / MIT is not a per-message cost)
	if (!op())
		return s.err = "operation failed", s;
	const int kCount = 16;
	uint64_t a0 = thread_allocs(), h0 = hook_allocs();
	for (int i = 0; i < kCount; i++)
		if (!op())
			return s.err = "operation failed", s;
	s.allocs = (double)(thread_allocs() - a0) / kCount;
	s.hook_allocs = (double)(hook_allocs() - h0) / kCount;
	// calibrate: grow until a loop takes >= 1/8 of the target
	uint64_t iters = 1;
	const double target = o.ms * 1e6;
	for (;;) {
		double t0 = loop_ns();
		time_loop(op, iters, &ok);
		if (!ok)
			return s.err = "operation failed", s;
		double el = loop_ns() - t0;
		if (el >= target / 8 || iters >= (1ull << 30)) {
			double per = el / (double)iters;
			iters = (uint64_t)std::max(1.0, target / std::max(per, 1.0));
			break;
		}
		iters *= 2;
	}
	std::vector<double> v;
	for (int r = 0; r < o.reps; r++) {
		double ns = time_loop(op, iters, &ok);
		if (!ok)
			return s.err = "operation failed", s;
		v.push_back(ns);
	}
	s.ns = median(v);
	s.iters = iters;
	s.ok = true;
	return s;
}

// ---- enctypes (bench_core.cc) --------------------------------------------------------
struct enc_info {
	int e;
	const char *name;
	bool cfx;
	uint32_t key_len;
	// limit
	const char *cipher;  // EVP cipher name (CBC, or RC4)
	const char *mac;     // "HMAC" or "CMAC"
	const char *mac_alg; // digest or cipher name for the MAC
	uint32_t mac_key_len;
};
const enc_info &enc(int e);
// Enctypes whose builtin backend has a stitched CBC + HMAC engine on this CPU.
bool stitched_enctype(int e);

// Synthetic lucid contexts (--no-mit).
struct synth_lucid {
	kgss_lucid_context_v1 l;
	uint8_t key[32];
};
void make_synth(int e, bool initiator, const uint8_t *key, synth_lucid *s);

// ---- results (bench_core.cc) ---------------------------------------------------------
struct result {
	std::string impl; // kgss-builtin, kgss-openssl, mit, limit
	int enctype;
	std::string op; // wrap unwrap get_mic verify_mic wrap_iov ...
	size_t size;
	sample s;              // s.ns: median over all passes
	std::vector<double> v; // ns per op of every pass
};
extern std::vector<result> g_results;

const result *find(const std::string &impl, int e, const std::string &op, size_t size);
void add(const std::string &impl, int e, const std::string &op, size_t size, const sample &s);

// ---- the GSS calls: libkgss and MIT (bench_gss.cc) ----------------------------------------
struct kctx {
	std::unique_ptr<uint8_t[]> mem;
	kgss_ctx *ctx = nullptr;
	~kctx()
	{
		if (ctx)
			kgss_ctx_free(ctx);
	}
};
void import(const void *lucid, const kgss_crypto_backend *be, kctx *k);

// The tokens a peer sends to the libkgss side, and the libkgss side's own tokens
// for the peer to check.
struct peer_tokens {
	bytes wrap;             // plain wrap token of the message
	bytes mic;              // MIC token of the message
	std::vector<bytes> iov; // HEADER, DATA, PADDING[, TRAILER] of a wrap_iov
	std::vector<uint32_t> iov_types;
};

// Measures the eight libkgss calls for one context and one size.
void bench_kgss(const options &o, const std::string &impl, int e, kgss_ctx *c, size_t n, const bytes &msg,
		const peer_tokens &pt);
// Tokens from the MIT peer, for libkgss to unwrap / verify.
peer_tokens mit_tokens(gss_ctx_id_t peer, bool cfx, const bytes &msg);
// Tokens from a libkgss peer context (--no-mit).
peer_tokens kgss_tokens(kgss_ctx *peer, bool cfx, const bytes &msg);
void bench_mit(const options &o, int e, gss_ctx_id_t peer, kgss_ctx *kside, size_t n, const bytes &msg);

// ---- OpenSSL EVP references (bench_evp.cc) -------------------------------------------
void bench_limit(const options &o, int e, size_t n);
void bench_ossl_stitched(const options &o, int e, size_t n);

// ---- two threads on one context (bench_threads.cc) -------------------------------------
struct scaling {
	int e;
	std::string backend;
	size_t size;
	double one = 0, two = 0; // ops per second (medians)
};
extern std::vector<scaling> g_scaling;
void bench_scaling(const options &o, int e, const std::string &be, kgss_ctx *c, size_t n);

// ---- reporting (bench_report.cc) ---------------------------------------------------------
struct meta {
	std::string load_before, load_after;
	std::string date, cpu, flags, compiler, openssl, mit, builtin_aes, builtin_sha1, builtin_sha256, builtin_sha384;
	std::string builtin_stitch; // engines: cbc_sha1 cbc_sha256 cbc_sha384 ("-": none)
	size_t ctx_size = 0;
	std::string stack; // scripts/stack-usage.sh output
	long max_frame = -1, max_pm = -1;
	std::string max_frame_fn, max_pm_fn;
};

std::string trim(std::string s);
std::string capture(const std::string &cmd);
std::string cpu_model();
std::string cpu_flags();
std::string fmt_size(size_t n);
// The TSC rate, measured once at start-up (cycles per byte in the stitched table and JSON).
void measure_tsc();
void print_table(const options &o);
// The stitched engine next to the two-pass paths (AES enctypes with an engine).
void print_stitched(const options &o);
void write_json(const options &o, const meta &m);
void write_plot(const options &o);
long parse_su_field(const std::string &txt, const std::string &key, std::string *fn);

} // namespace kbench

#endif
