// tools/bench/kgss_bench.cc - kgss-bench: libkgss per-message throughput against
// MIT krb5 on live contexts and against a two-pass OpenSSL EVP lower bound.
//
// One process, one run:
//   libkgss    wrap (conf), unwrap, get_mic, verify_mic, plain and IOV (HEADER |
//              DATA x 4096-byte pages | PADDING | TRAILER, as NFS lays out a page
//              list), builtin and OpenSSL backends;
//   MIT        gss_wrap / gss_unwrap / gss_get_mic / gss_verify_mic on the live
//              peer of the same context pair (loopback KDC of scripts/kdc.sh);
//   limit      OpenSSL EVP over the same bytes: the cipher pass (CBC / RC4) plus
//              the MAC pass (EVP_MAC HMAC / CMAC), one after the other.
// Timing: a loop sized to --ms milliseconds; every (enctype, size) block runs
// --reps passes over all implementations (one loop per measurement per pass, so
// a burst of load on a shared machine hits every column alike); the median of
// the passes is reported (JSON also has the minimum).
// Heap allocations: malloc, calloc, realloc, memalign, posix_memalign and
// aligned_alloc are interposed below and counted per thread; libkgss's own
// allocator hooks are counted too.  Both are reported per operation.
//
// Token directions.  With MIT, each enctype gets one context pair: libkgss
// imports the exported initiator (its lucid), MIT keeps the acceptor.  libkgss
// wraps / gets MICs with the initiator; MIT unwraps / verifies those tokens.
// MIT wraps / gets MICs as the acceptor; libkgss unwraps / verifies those.
// Without MIT (--no-mit) a synthetic lucid pair with random keys stands in
// (an initiator and an acceptor context of libkgss).
//
// Unwrap IOV decrypts in place, so every iteration first restores the token
// bytes; the restore alone is timed the same way and subtracted.
#include <errno.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/provider.h>
#include <openssl/rand.h>

#include "kgss.h"
#include "kgss_user.h"
#include "tools/mit/mit_peer.h"

// ---- counting allocator ---------------------------------------------------------
// Every allocation entry point of glibc, forwarded to glibc's own implementation
// and counted per thread (initial-exec TLS of the executable: no allocation).
extern "C" {
void *__libc_malloc(size_t);
void *__libc_calloc(size_t, size_t);
void *__libc_realloc(void *, size_t);
void *__libc_memalign(size_t, size_t);
void __libc_free(void *);
}
static thread_local uint64_t t_allocs;

extern "C" void *malloc(size_t n)
{
	t_allocs++;
	return __libc_malloc(n);
}
extern "C" void *calloc(size_t a, size_t b)
{
	t_allocs++;
	return __libc_calloc(a, b);
}
extern "C" void *realloc(void *p, size_t n)
{
	t_allocs++;
	return __libc_realloc(p, n);
}
extern "C" void free(void *p) { __libc_free(p); }
extern "C" void *memalign(size_t a, size_t n)
{
	t_allocs++;
	return __libc_memalign(a, n);
}
extern "C" void *aligned_alloc(size_t a, size_t n)
{
	t_allocs++;
	return __libc_memalign(a, n);
}
extern "C" int posix_memalign(void **out, size_t a, size_t n)
{
	t_allocs++;
	if (a < sizeof(void *) || (a & (a - 1)))
		return EINVAL;
	void *p = __libc_memalign(a, n);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}
extern "C" void *valloc(size_t n)
{
	t_allocs++;
	return __libc_memalign((size_t)sysconf(_SC_PAGESIZE), n);
}

namespace {

// libkgss allocator hooks: malloc, counted separately.
std::atomic<uint64_t> g_hook_allocs{0};
void *hook_alloc(void *, size_t n)
{
	g_hook_allocs.fetch_add(1, std::memory_order_relaxed);
	return malloc(n);
}
void hook_free(void *, void *p, size_t) { free(p); }

using bytes = std::vector<uint8_t>;

[[noreturn]] void die(const std::string &m)
{
	fprintf(stderr, "kgss-bench: %s\n", m.c_str());
	exit(1);
}

// The clock of the timed loops: wall time (CLOCK_MONOTONIC), or with
// --cpu-clock this thread's CPU time (CLOCK_THREAD_CPUTIME_ID), which leaves
// out the time the thread waits while other processes run - on a shared,
// overloaded machine the difference between a number and noise.  (Caches
// and the SMT sibling are still shared.)
clockid_t g_loop_clock = CLOCK_MONOTONIC;
double loop_ns()
{
	struct timespec ts;
	clock_gettime(g_loop_clock, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

double now_ns()
{
	return (double)std::chrono::duration_cast<std::chrono::nanoseconds>(
		       std::chrono::steady_clock::now().time_since_epoch())
		.count();
}

// ---- options ------------------------------------------------------------------------
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
	std::string kdc_dir; // empty: a fresh temporary directory
	std::vector<std::string> ops; // empty: all
	bool want(const char *op) const
	{
		return ops.empty() || std::find(ops.begin(), ops.end(), std::string(op)) != ops.end();
	}
};

void usage()
{
	puts("usage: kgss-bench [--quick] [--no-mit] [--no-iov] [--no-openssl] [--no-threads] [--cpu-clock]\n"
	     "                  [--enctypes 16,17,...] [--sizes 64,1K,64K,1M] [--reps N] [--ms MS]\n"
	     "                  [--ops wrap,unwrap,get_mic,verify_mic,wrap_iov,...]\n"
	     "                  [--json FILE] [--plot FILE.png] [--kdc-dir DIR]\n"
	     "  --quick      enctypes as given, sizes 128 and 64K, 3 reps of 3 ms loops\n"
	     "  --no-mit     no KDC, no MIT columns (libkgss on synthetic lucid contexts)\n"
	     "  --cpu-clock  time loops by this thread's CPU time, not wall time (a loaded machine)\n"
	     "  --plot       MB/s vs size (wrap) as a PNG through gnuplot, if installed");
}

size_t parse_size(const std::string &s)
{
	char *end = nullptr;
	unsigned long long v = strtoull(s.c_str(), &end, 10);
	if (end == s.c_str())
		die("bad size '" + s + "'");
	std::string suf = end;
	if (suf == "K" || suf == "k" || suf == "KiB")
		v <<= 10;
	else if (suf == "M" || suf == "m" || suf == "MiB")
		v <<= 20;
	else if (!suf.empty())
		die("bad size '" + s + "'");
	if (v == 0 || v > (64u << 20))
		die("size out of range: " + s);
	return (size_t)v;
}

std::vector<std::string> split(const std::string &s, char c)
{
	std::vector<std::string> out;
	size_t i = 0;
	while (i <= s.size()) {
		size_t j = s.find(c, i);
		if (j == std::string::npos)
			j = s.size();
		if (j > i)
			out.push_back(s.substr(i, j - i));
		i = j + 1;
	}
	return out;
}

options parse_args(int argc, char **argv)
{
	options o;
	bool sizes_given = false, reps_given = false, ms_given = false;
	for (int i = 1; i < argc; i++) {
		std::string a = argv[i];
		auto val = [&](void) -> std::string {
			size_t eq = a.find('=');
			if (eq != std::string::npos)
				return a.substr(eq + 1);
			if (i + 1 >= argc)
				die("missing value for " + a);
			return argv[++i];
		};
		std::string name = a.substr(0, a.find('='));
		if (name == "--quick")
			o.quick = true;
		else if (name == "--no-mit")
			o.mit = false;
		else if (name == "--no-iov")
			o.iov = false;
		else if (name == "--no-openssl")
			o.openssl = false;
		else if (name == "--no-threads")
			o.threads = false;
		else if (name == "--cpu-clock")
			o.cpu_clock = true;
		else if (name == "--json")
			o.json = val();
		else if (name == "--plot")
			o.plot = val();
		else if (name == "--kdc-dir")
			o.kdc_dir = val();
		else if (name == "--reps") {
			o.reps = atoi(val().c_str());
			reps_given = true;
			if (o.reps < 1 || o.reps > 101)
				die("--reps must be 1..101");
		} else if (name == "--ms") {
			o.ms = atof(val().c_str());
			ms_given = true;
			if (!(o.ms > 0.05 && o.ms < 10000))
				die("--ms out of range");
		} else if (name == "--enctypes") {
			o.enctypes.clear();
			for (auto &t : split(val(), ','))
				o.enctypes.push_back(atoi(t.c_str()));
		} else if (name == "--ops") {
			o.ops = split(val(), ',');
		} else if (name == "--sizes") {
			o.sizes.clear();
			for (auto &t : split(val(), ','))
				o.sizes.push_back(parse_size(t));
			sizes_given = true;
		} else if (name == "--help" || name == "-h") {
			usage();
			exit(0);
		} else {
			usage();
			die("unknown option " + a);
		}
	}
	for (int e : o.enctypes)
		if (e != 16 && e != 17 && e != 18 && e != 19 && e != 20 && e != 23 && e != 25 && e != 26)
			die("unsupported enctype " + std::to_string(e) + " (16 17 18 19 20 23 25 26)");
	if (o.enctypes.empty() || o.sizes.empty())
		die("nothing to measure");
	if (o.quick) {
		if (!sizes_given)
			o.sizes = {128, 65536};
		if (!reps_given)
			o.reps = 3;
		if (!ms_given)
			o.ms = 3;
	}
	std::sort(o.sizes.begin(), o.sizes.end());
	return o;
}

// ---- measurement --------------------------------------------------------------------
struct sample {
	double ns = 0;          // median ns per op
	double allocs = 0;      // malloc-family calls per op
	double hook_allocs = 0; // libkgss allocator hook calls per op
	uint64_t iters = 0;     // per timed loop
	bool ok = false;
	std::string err;
};

// op() performs one operation and returns false on failure.  prep (optional)
// runs before each op; its cost is measured alone the same way and subtracted.
template <class F> double time_loop(F &op, uint64_t iters, bool *ok)
{
	double t0 = loop_ns();
	for (uint64_t i = 0; i < iters; i++)
		if (!op()) {
			*ok = false;
			return 0;
		}
	return (loop_ns() - t0) / (double)iters;
}

double median(std::vector<double> v)
{
	std::sort(v.begin(), v.end());
	size_t n = v.size();
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

template <class F> sample measure(const options &o, const char *name, F op)
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
	uint64_t a0 = t_allocs, h0 = g_hook_allocs.load();
	for (int i = 0; i < kCount; i++)
		if (!op())
			return s.err = "operation failed", s;
	s.allocs = (double)(t_allocs - a0) / kCount;
	s.hook_allocs = (double)(g_hook_allocs.load() - h0) / kCount;
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

// ---- enctypes -----------------------------------------------------------------------
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
const enc_info kEnc[] = {
	{16, "des3-cbc-sha1", false, 24, "DES-EDE3-CBC", "HMAC", "SHA1", 24},
	{17, "aes128-cts-hmac-sha1-96", true, 16, "AES-128-CBC", "HMAC", "SHA1", 16},
	{18, "aes256-cts-hmac-sha1-96", true, 32, "AES-256-CBC", "HMAC", "SHA1", 32},
	{19, "aes128-cts-hmac-sha256-128", true, 16, "AES-128-CBC", "HMAC", "SHA256", 16},
	{20, "aes256-cts-hmac-sha384-192", true, 32, "AES-256-CBC", "HMAC", "SHA384", 24},
	{23, "arcfour-hmac", false, 16, "RC4", "HMAC", "MD5", 16},
	{25, "camellia128-cts-cmac", true, 16, "CAMELLIA-128-CBC", "CMAC", "CAMELLIA-128-CBC", 16},
	{26, "camellia256-cts-cmac", true, 32, "CAMELLIA-256-CBC", "CMAC", "CAMELLIA-256-CBC", 32},
};
const enc_info &enc(int e)
{
	for (auto &i : kEnc)
		if (i.e == e)
			return i;
	die("enctype");
}

// Enctypes whose builtin backend has a stitched CBC + HMAC engine on this CPU.
bool stitched_enctype(int e)
{
	const kgss_crypto_backend *b = kgss_crypto_builtin();
	return ((e == 17 || e == 18) && b->cbc_sha1) || (e == 19 && b->cbc_sha256) || (e == 20 && b->cbc_sha384);
}

// ---- synthetic lucid contexts (--no-mit) ---------------------------------------------
struct synth_lucid {
	kgss_lucid_context_v1 l;
	uint8_t key[32];
};
void make_synth(int e, bool initiator, const uint8_t *key, synth_lucid *s)
{
	const enc_info &ei = enc(e);
	memset(s, 0, sizeof(*s));
	memcpy(s->key, key, ei.key_len);
	s->l.version = 1;
	s->l.initiate = initiator ? 1 : 0;
	s->l.endtime = (uint32_t)time(nullptr) + 36000;
	s->l.send_seq = initiator ? 1000 : 5000;
	s->l.recv_seq = initiator ? 5000 : 1000;
	if (ei.cfx) {
		s->l.protocol = 1;
		s->l.cfx_kd.ctx_key.type = (uint32_t)e;
		s->l.cfx_kd.ctx_key.length = ei.key_len;
		s->l.cfx_kd.ctx_key.data = s->key;
	} else {
		s->l.protocol = 0;
		s->l.rfc1964_kd.sign_alg = e == 16 ? 4 : 0x11;
		s->l.rfc1964_kd.seal_alg = e == 16 ? 2 : 0x10;
		s->l.rfc1964_kd.ctx_key.type = (uint32_t)e;
		s->l.rfc1964_kd.ctx_key.length = ei.key_len;
		s->l.rfc1964_kd.ctx_key.data = s->key;
	}
}

// ---- results --------------------------------------------------------------------------
struct result {
	std::string impl; // kgss-builtin, kgss-openssl, mit, limit
	int enctype;
	std::string op; // wrap unwrap get_mic verify_mic wrap_iov ...
	size_t size;
	sample s;            // s.ns: median over all passes
	std::vector<double> v; // ns per op of every pass
};
std::vector<result> g_results;

const result *find(const std::string &impl, int e, const std::string &op, size_t size)
{
	for (auto &r : g_results)
		if (r.impl == impl && r.enctype == e && r.op == op && r.size == size && r.s.ok)
			return &r;
	return nullptr;
}

void add(const std::string &impl, int e, const std::string &op, size_t size, const sample &s)
{
	if (!s.ok && s.err == "skipped")
		return;
	// Passes: the same measurement again (see main: every (enctype, size) block is
	// run --reps times, one timed loop per pass, so that all implementations see
	// the same machine load): merge into the existing entry.
	for (auto &r : g_results)
		if (r.impl == impl && r.enctype == e && r.op == op && r.size == size) {
			if (!s.ok) {
				r.s.ok = false;
				r.s.err = s.err;
			} else if (r.s.ok) {
				r.v.push_back(s.ns);
				r.s.ns = median(r.v);
			}
			return;
		}
	g_results.push_back(result{impl, e, op, size, s, {s.ns}});
	if (!s.ok)
		fprintf(stderr, "kgss-bench: %s %d %s %zu: %s\n", impl.c_str(), e, op.c_str(), size, s.err.c_str());
}

// ---- libkgss side ---------------------------------------------------------------------
struct kctx {
	std::unique_ptr<uint8_t[]> mem;
	kgss_ctx *ctx = nullptr;
	~kctx()
	{
		if (ctx)
			kgss_ctx_free(ctx);
	}
};

void import(const void *lucid, const kgss_crypto_backend *be, kctx *k)
{
	kgss_options o;
	kgss_options_init_user(&o);
	o.crypto = be;
	o.alloc = hook_alloc;
	o.free = hook_free;
	o.alloc_ctx = nullptr;
	if (!o.prng)
		die("no PRNG (getrandom failed)");
	kgss_status st = kgss_import_lucid_v1(lucid, &o, &k->ctx);
	if (st != KGSS_S_COMPLETE)
		die(std::string("kgss_import_lucid_v1: ") + kgss_status_string(st));
}

// The tokens a peer sends to the libkgss side, and the libkgss side's own tokens
// for the peer to check.
struct peer_tokens {
	bytes wrap;            // plain wrap token of the message
	bytes mic;             // MIC token of the message
	std::vector<bytes> iov; // HEADER, DATA, PADDING[, TRAILER] of a wrap_iov
	std::vector<uint32_t> iov_types;
};

// An NFS-like iov: HEADER | DATA (4096-byte pages) | PADDING | TRAILER.
struct nfs_iov {
	std::vector<kgss_iov> v;
	bytes header, padding, trailer;
	void build(uint8_t *data, size_t len, size_t hlen, size_t plen, size_t tlen, bool trailer_buf)
	{
		header.assign(std::max<size_t>(hlen, 1), 0);
		padding.assign(std::max<size_t>(plen, 1), 0);
		trailer.assign(std::max<size_t>(tlen, 1), 0);
		v.clear();
		v.push_back(kgss_iov{KGSS_IOV_HEADER, {hlen, header.data()}});
		for (size_t off = 0; off < len; off += 4096)
			v.push_back(kgss_iov{KGSS_IOV_DATA, {std::min<size_t>(4096, len - off), data + off}});
		v.push_back(kgss_iov{KGSS_IOV_PADDING, {plen, padding.data()}});
		if (trailer_buf)
			v.push_back(kgss_iov{KGSS_IOV_TRAILER, {tlen, trailer.data()}});
	}
};

// Lengths libkgss asks for on a wrap_iov of len bytes.
void wrap_iov_lengths(kgss_ctx *c, size_t len, bool trailer_buf, size_t *h, size_t *p, size_t *t)
{
	static uint8_t dummy; // DATA needs a pointer; lengths never read it
	kgss_iov v[4] = {{KGSS_IOV_HEADER, {0, nullptr}},
			 {KGSS_IOV_DATA, {len, &dummy}},
			 {KGSS_IOV_PADDING, {0, nullptr}},
			 {KGSS_IOV_TRAILER, {0, nullptr}}};
	int conf = 0;
	kgss_status st = kgss_wrap_iov_length(c, 1, 0, &conf, v, trailer_buf ? 4 : 3);
	if (st != KGSS_S_COMPLETE)
		die(std::string("kgss_wrap_iov_length: ") + kgss_status_string(st));
	*h = v[0].buffer.length;
	*p = v[2].buffer.length;
	*t = trailer_buf ? v[3].buffer.length : 0;
}

// Measures the eight libkgss calls for one context and one size.
void bench_kgss(const options &o, const std::string &impl, int e, kgss_ctx *c, size_t n, const bytes &msg,
		const peer_tokens &pt)
{
	const bool cfx = enc(e).cfx;
	size_t tlen = 0;
	if (kgss_wrap_size(c, 1, n, &tlen) != KGSS_S_COMPLETE)
		die("kgss_wrap_size");
	bytes out(std::max(tlen, pt.wrap.size()) + 64);
	kgss_buffer in{n, (void *)msg.data()};

	// wrap
	add(impl, e, "wrap", n, measure(o, "wrap", [&] {
		    kgss_buffer ob{out.size(), out.data()};
		    int cs = 0;
		    return kgss_wrap(c, 1, 0, &in, &cs, &ob) == KGSS_S_COMPLETE && cs == 1;
	    }));
	// unwrap (token from the peer)
	kgss_buffer tok{pt.wrap.size(), (void *)pt.wrap.data()};
	add(impl, e, "unwrap", n, measure(o, "unwrap", [&] {
		    kgss_buffer ob{out.size(), out.data()};
		    int cs = 0;
		    return kgss_unwrap(c, &tok, &ob, &cs, nullptr) == KGSS_S_COMPLETE && ob.length == n;
	    }));
	// get_mic
	add(impl, e, "get_mic", n, measure(o, "get_mic", [&] {
		    kgss_buffer ob{out.size(), out.data()};
		    return kgss_get_mic(c, 0, &in, &ob) == KGSS_S_COMPLETE;
	    }));
	kgss_buffer mic{pt.mic.size(), (void *)pt.mic.data()};
	add(impl, e, "verify_mic", n,
	    measure(o, "verify_mic", [&] { return kgss_verify_mic(c, &in, &mic, nullptr) == KGSS_S_COMPLETE; }));
	if (!o.iov)
		return;

	// wrap_iov: DATA encrypted in place (ciphertext is wrapped again next time)
	bytes data(msg);
	size_t hl, pl, tl;
	wrap_iov_lengths(c, n, cfx, &hl, &pl, &tl);
	nfs_iov w;
	w.build(data.data(), n, hl, pl, tl, cfx);
	add(impl, e, "wrap_iov", n, measure(o, "wrap_iov", [&] {
		    int cs = 0;
		    return kgss_wrap_iov(c, 1, 0, &cs, w.v.data(), w.v.size()) == KGSS_S_COMPLETE;
	    }));

	// unwrap_iov of the peer's HEADER | DATA | PADDING [| TRAILER]
	const bytes &ph = pt.iov[0], &pd = pt.iov[1], &pp = pt.iov[2];
	const bytes *ptr = pt.iov.size() > 3 ? &pt.iov[3] : nullptr;
	bytes udata(pd.size());
	nfs_iov u;
	u.build(udata.data(), pd.size(), ph.size(), pp.size(), ptr ? ptr->size() : 0, ptr != nullptr);
	auto restore = [&] {
		memcpy(u.header.data(), ph.data(), ph.size());
		memcpy(udata.data(), pd.data(), pd.size());
		if (!pp.empty())
			memcpy(u.padding.data(), pp.data(), pp.size());
		if (ptr && !ptr->empty())
			memcpy(u.trailer.data(), ptr->data(), ptr->size());
		// the engine may rewrite lengths (a pad found in DATA): reset them
		u.v.front().buffer.length = ph.size();
		size_t off = 0;
		for (auto &x : u.v)
			if (x.type == KGSS_IOV_DATA) {
				x.buffer.value = udata.data() + off;
				x.buffer.length = std::min<size_t>(4096, pd.size() - off);
				off += x.buffer.length;
			} else if (x.type == KGSS_IOV_PADDING) {
				x.buffer.length = pp.size();
			} else if (x.type == KGSS_IOV_TRAILER) {
				x.buffer.length = ptr ? ptr->size() : 0;
			}
		return true;
	};
	sample full = measure(o, "unwrap_iov", [&] {
		restore();
		int cs = 0;
		return kgss_unwrap_iov(c, &cs, nullptr, u.v.data(), u.v.size()) == KGSS_S_COMPLETE && cs == 1;
	});
	sample base = measure(o, "unwrap_iov", [&] {
		restore();
		// keep the compiler from dropping the copies
		__asm__ __volatile__("" : : "r"(udata.data()) : "memory");
		return true;
	});
	if (full.ok && base.ok)
		full.ns = std::max(1.0, full.ns - base.ns);
	add(impl, e, "unwrap_iov", n, full);

	// get_mic_iov / verify_mic_iov over the page list
	bytes mdata(msg);
	std::vector<kgss_iov> mv;
	for (size_t off = 0; off < n; off += 4096)
		mv.push_back(kgss_iov{KGSS_IOV_DATA, {std::min<size_t>(4096, n - off), mdata.data() + off}});
	mv.push_back(kgss_iov{KGSS_IOV_MIC_TOKEN, {0, nullptr}});
	if (kgss_get_mic_iov_length(c, 0, mv.data(), mv.size()) != KGSS_S_COMPLETE)
		die("kgss_get_mic_iov_length");
	bytes mtok(mv.back().buffer.length);
	mv.back().buffer.value = mtok.data();
	add(impl, e, "get_mic_iov", n,
	    measure(o, "get_mic_iov", [&] { return kgss_get_mic_iov(c, 0, mv.data(), mv.size()) == KGSS_S_COMPLETE; }));
	std::vector<kgss_iov> vv(mv);
	vv.back().buffer = kgss_buffer{pt.mic.size(), (void *)pt.mic.data()};
	add(impl, e, "verify_mic_iov", n,
	    measure(o, "verify_mic_iov", [&] { return kgss_verify_mic_iov(c, nullptr, vv.data(), vv.size()) == KGSS_S_COMPLETE; }));
}

// ---- MIT side ---------------------------------------------------------------------------
struct gbuf {
	gss_buffer_desc b = GSS_C_EMPTY_BUFFER;
	~gbuf()
	{
		OM_uint32 m;
		gss_release_buffer(&m, &b);
	}
};

// Tokens from the MIT peer, for libkgss to unwrap / verify.
peer_tokens mit_tokens(gss_ctx_id_t peer, bool cfx, const bytes &msg)
{
	peer_tokens t;
	kmit::mit_result r = kmit::mit_wrap(peer, true, msg);
	if (!r.ok())
		die("MIT gss_wrap: " + kmit::mit_status_string(r.major, r.minor));
	t.wrap = r.out;
	r = kmit::mit_get_mic(peer, msg);
	if (!r.ok())
		die("MIT gss_get_mic: " + kmit::mit_status_string(r.major, r.minor));
	t.mic = r.out;
	std::vector<kmit::mit_iov_buf> iov(cfx ? 4 : 3);
	iov[0].type = GSS_IOV_BUFFER_TYPE_HEADER;
	iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
	iov[1].data = msg;
	iov[2].type = GSS_IOV_BUFFER_TYPE_PADDING;
	if (cfx)
		iov[3].type = GSS_IOV_BUFFER_TYPE_TRAILER;
	r = kmit::mit_wrap_iov(peer, true, iov);
	if (!r.ok())
		die("MIT gss_wrap_iov: " + kmit::mit_status_string(r.major, r.minor));
	for (auto &b : iov)
		t.iov.push_back(b.data);
	return t;
}

// Tokens from a libkgss peer context (--no-mit).
peer_tokens kgss_tokens(kgss_ctx *peer, bool cfx, const bytes &msg)
{
	peer_tokens t;
	size_t n = msg.size(), tl = 0;
	kgss_wrap_size(peer, 1, n, &tl);
	t.wrap.resize(tl);
	kgss_buffer in{n, (void *)msg.data()}, ob{tl, t.wrap.data()};
	int cs;
	if (kgss_wrap(peer, 1, 0, &in, &cs, &ob) != KGSS_S_COMPLETE)
		die("peer kgss_wrap");
	t.wrap.resize(ob.length);
	kgss_mic_size(peer, n, &tl);
	t.mic.resize(tl);
	ob = kgss_buffer{tl, t.mic.data()};
	if (kgss_get_mic(peer, 0, &in, &ob) != KGSS_S_COMPLETE)
		die("peer kgss_get_mic");
	t.mic.resize(ob.length);
	size_t hl, pl, tr;
	wrap_iov_lengths(peer, n, cfx, &hl, &pl, &tr);
	bytes h(hl), d(msg), p(pl), tt(tr);
	std::vector<kgss_iov> v = {{KGSS_IOV_HEADER, {hl, h.data()}},
				   {KGSS_IOV_DATA, {n, d.data()}},
				   {KGSS_IOV_PADDING, {pl, p.data()}}};
	if (cfx)
		v.push_back(kgss_iov{KGSS_IOV_TRAILER, {tr, tt.data()}});
	if (kgss_wrap_iov(peer, 1, 0, &cs, v.data(), v.size()) != KGSS_S_COMPLETE)
		die("peer kgss_wrap_iov");
	h.resize(v[0].buffer.length);
	p.resize(v[2].buffer.length);
	t.iov = {h, d, p};
	if (cfx) {
		tt.resize(v[3].buffer.length);
		t.iov.push_back(tt);
	}
	return t;
}

void bench_mit(const options &o, int e, gss_ctx_id_t peer, kgss_ctx *kside, size_t n, const bytes &msg)
{
	gss_buffer_desc in{n, (void *)msg.data()};
	add("mit", e, "wrap", n, measure(o, "wrap", [&] {
		    OM_uint32 minor;
		    int cs = 0;
		    gbuf out;
		    return gss_wrap(&minor, peer, 1, GSS_C_QOP_DEFAULT, &in, &cs, &out.b) == GSS_S_COMPLETE && cs;
	    }));
	// libkgss tokens for MIT to unwrap / verify
	size_t tl = 0;
	kgss_wrap_size(kside, 1, n, &tl);
	bytes tok(tl);
	kgss_buffer kin{n, (void *)msg.data()}, kob{tl, tok.data()};
	int cs;
	if (kgss_wrap(kside, 1, 0, &kin, &cs, &kob) != KGSS_S_COMPLETE)
		die("kgss_wrap for MIT");
	tok.resize(kob.length);
	gss_buffer_desc tb{tok.size(), tok.data()};
	add("mit", e, "unwrap", n, measure(o, "unwrap", [&] {
		    OM_uint32 minor;
		    int c2 = 0;
		    gss_qop_t q;
		    gbuf out;
		    return gss_unwrap(&minor, peer, &tb, &out.b, &c2, &q) == GSS_S_COMPLETE && out.b.length == n;
	    }));
	add("mit", e, "get_mic", n, measure(o, "get_mic", [&] {
		    OM_uint32 minor;
		    gbuf out;
		    return gss_get_mic(&minor, peer, GSS_C_QOP_DEFAULT, &in, &out.b) == GSS_S_COMPLETE;
	    }));
	kgss_mic_size(kside, n, &tl);
	bytes mic(tl);
	kob = kgss_buffer{tl, mic.data()};
	if (kgss_get_mic(kside, 0, &kin, &kob) != KGSS_S_COMPLETE)
		die("kgss_get_mic for MIT");
	mic.resize(kob.length);
	gss_buffer_desc mb{mic.size(), mic.data()};
	add("mit", e, "verify_mic", n, measure(o, "verify_mic", [&] {
		    OM_uint32 minor;
		    gss_qop_t q;
		    return gss_verify_mic(&minor, peer, &in, &mb, &q) == GSS_S_COMPLETE;
	    }));
}

// ---- the two-pass OpenSSL limit ---------------------------------------------------------
// Bytes each pass covers for a message of n bytes (what the token formats feed
// the cipher and the MAC, header and confounder included).
struct pass_len {
	size_t cipher; // bytes enciphered (a whole number of blocks for CBC)
	size_t mac;    // bytes MACed
};
pass_len wrap_lens(int e, size_t n)
{
	switch (e) {
	case 16: { // confounder | data | pad (1..8) under DES3-CBC; HMAC over hdr | that
		size_t l = (n + 8 + 8) / 8 * 8;
		return {l, l + 8};
	}
	case 23: // RC4 over confounder | data | pad; HMAC-MD5 (over MD5 of) salt | hdr | same
		return {n + 9, n + 9 + 12};
	case 19:
	case 20: { // confounder | data | header; MAC over IV | ciphertext
		size_t l = n + 32;
		return {(l + 15) / 16 * 16, l + 16};
	}
	default: { // confounder | data | header; MAC over the same plaintext
		size_t l = n + 32;
		return {(l + 15) / 16 * 16, l};
	}
	}
}
size_t mic_len(int e, size_t n) { return (e == 16 || e == 23) ? n + 8 : n + 16; }

struct evp_limit {
	EVP_CIPHER_CTX *enc = nullptr, *dec = nullptr;
	EVP_MAC_CTX *mac = nullptr;
	EVP_MAC *macalg = nullptr;
	EVP_CIPHER *cipher = nullptr;
	bool ok = false;
	evp_limit(const enc_info &ei)
	{
		uint8_t key[32], iv[16] = {0};
		RAND_bytes(key, sizeof(key));
		cipher = EVP_CIPHER_fetch(nullptr, ei.cipher, nullptr);
		macalg = EVP_MAC_fetch(nullptr, ei.mac, nullptr);
		if (!cipher || !macalg)
			return;
		enc = EVP_CIPHER_CTX_new();
		dec = EVP_CIPHER_CTX_new();
		if (!EVP_CipherInit_ex2(enc, cipher, key, iv, 1, nullptr) ||
		    !EVP_CipherInit_ex2(dec, cipher, key, iv, 0, nullptr))
			return;
		EVP_CIPHER_CTX_set_padding(enc, 0);
		EVP_CIPHER_CTX_set_padding(dec, 0);
		mac = EVP_MAC_CTX_new(macalg);
		OSSL_PARAM p[2];
		p[0] = OSSL_PARAM_construct_utf8_string(strcmp(ei.mac, "HMAC") == 0 ? OSSL_MAC_PARAM_DIGEST
										: OSSL_MAC_PARAM_CIPHER,
							(char *)ei.mac_alg, 0);
		p[1] = OSSL_PARAM_construct_end();
		if (!mac || !EVP_MAC_init(mac, key, ei.mac_key_len, p))
			return;
		ok = true;
	}
	~evp_limit()
	{
		EVP_CIPHER_CTX_free(enc);
		EVP_CIPHER_CTX_free(dec);
		EVP_MAC_CTX_free(mac);
		EVP_MAC_free(macalg);
		EVP_CIPHER_free(cipher);
	}
	bool cipher_pass(bool decrypt, uint8_t *buf, size_t len)
	{
		int outl = 0;
		return EVP_CipherUpdate(decrypt ? dec : enc, buf, &outl, buf, (int)len) == 1;
	}
	bool mac_pass(const uint8_t *buf, size_t len)
	{
		uint8_t out[64];
		size_t ol = 0;
		// NULL key: re-initialise with the key already set (OpenSSL's cheapest reuse)
		return EVP_MAC_init(mac, nullptr, 0, nullptr) == 1 && EVP_MAC_update(mac, buf, len) == 1 &&
		       EVP_MAC_final(mac, out, &ol, sizeof(out)) == 1;
	}
};

void bench_limit(const options &o, int e, size_t n)
{
	const enc_info &ei = enc(e);
	evp_limit L(ei);
	if (!L.ok) {
		sample s;
		s.err = std::string("EVP setup failed for ") + ei.cipher + " / " + ei.mac;
		add("limit", e, "wrap", n, s);
		return;
	}
	pass_len pl = wrap_lens(e, n);
	bytes buf(std::max(pl.cipher, pl.mac) + 64, 0x5a);
	add("limit", e, "wrap", n, measure(o, "wrap", [&] {
		    // MAC-then-encrypt or encrypt-then-MAC: the same two passes
		    return L.cipher_pass(false, buf.data(), pl.cipher) && L.mac_pass(buf.data(), pl.mac);
	    }));
	add("limit", e, "unwrap", n, measure(o, "unwrap", [&] {
		    return L.cipher_pass(true, buf.data(), pl.cipher) && L.mac_pass(buf.data(), pl.mac);
	    }));
	size_t ml = mic_len(e, n);
	sample m = measure(o, (o.want("get_mic") || o.want("verify_mic")) ? nullptr : "get_mic", [&] { return L.mac_pass(buf.data(), ml); });
	add("limit", e, "get_mic", n, m);
	add("limit", e, "verify_mic", n, m);
}

// ---- OpenSSL's stitched EVP ciphers -------------------------------------------------------------
// "AES-128-CBC-HMAC-SHA1" and friends (OpenSSL's AES-NI + SHA code for TLS
// 1.0-1.2 records), keyed with EVP_CTRL_AEAD_SET_MAC_KEY and used without a
// TLS AAD: each EVP_CipherUpdate CBC-encrypts and hashes the plaintext in one
// stitched pass (decryption: CBC-decrypt, then hash the plaintext; OpenSSL
// does not stitch that direction).  Measured over the bytes of the wrap's
// cipher pass; the HMAC is never finished (a fixed cost, small at 64 KiB).
// None for SHA-384 (enctype 20): OpenSSL has no such cipher.
const char *ossl_stitched_name(int e)
{
	switch (e) {
	case 17: return "AES-128-CBC-HMAC-SHA1";
	case 18: return "AES-256-CBC-HMAC-SHA1";
	case 19: return "AES-128-CBC-HMAC-SHA256";
	default: return nullptr;
	}
}

struct evp_stitched {
	EVP_CIPHER *cipher = nullptr;
	EVP_CIPHER_CTX *enc = nullptr, *dec = nullptr;
	bool ok = false;
	explicit evp_stitched(const char *name)
	{
		uint8_t key[32], mk[32], iv[16] = {0};
		RAND_bytes(key, sizeof(key));
		RAND_bytes(mk, sizeof(mk));
		cipher = EVP_CIPHER_fetch(nullptr, name, nullptr);
		if (!cipher)
			return;
		enc = EVP_CIPHER_CTX_new();
		dec = EVP_CIPHER_CTX_new();
		if (!enc || !dec || !EVP_CipherInit_ex2(enc, cipher, key, iv, 1, nullptr) ||
		    !EVP_CipherInit_ex2(dec, cipher, key, iv, 0, nullptr))
			return;
		const int mkl = strstr(name, "SHA256") ? 32 : 20;
		if (EVP_CIPHER_CTX_ctrl(enc, EVP_CTRL_AEAD_SET_MAC_KEY, mkl, mk) <= 0 ||
		    EVP_CIPHER_CTX_ctrl(dec, EVP_CTRL_AEAD_SET_MAC_KEY, mkl, mk) <= 0)
			return;
		ok = true;
	}
	~evp_stitched()
	{
		EVP_CIPHER_CTX_free(enc);
		EVP_CIPHER_CTX_free(dec);
		EVP_CIPHER_free(cipher);
	}
	bool pass(bool decrypt, uint8_t *buf, size_t len)
	{
		int outl = 0;
		return EVP_CipherUpdate(decrypt ? dec : enc, buf, &outl, buf, (int)len) == 1;
	}
};

void bench_ossl_stitched(const options &o, int e, size_t n)
{
	const char *name = ossl_stitched_name(e);
	if (!name)
		return;
	evp_stitched S(name);
	if (!S.ok) {
		sample s;
		s.err = std::string("EVP setup failed for ") + name;
		add("ossl-stitched", e, "wrap", n, s);
		return;
	}
	pass_len pl = wrap_lens(e, n);
	bytes buf(pl.cipher + 64, 0x5a);
	add("ossl-stitched", e, "wrap", n,
	    measure(o, "wrap", [&] { return S.pass(false, buf.data(), pl.cipher); }));
	add("ossl-stitched", e, "unwrap", n,
	    measure(o, "unwrap", [&] { return S.pass(true, buf.data(), pl.cipher); }));
}

// ---- two threads on one context ------------------------------------------------------------
struct scaling {
	int e;
	std::string backend;
	size_t size;
	double one = 0, two = 0; // ops per second (medians)
};
std::vector<scaling> g_scaling;

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

// ---- KDC --------------------------------------------------------------------------------------
struct kdc_guard {
	std::string dir;
	bool started = false, temp = false;
	~kdc_guard() { stop(); }
	void stop()
	{
		if (!started)
			return;
		std::string cmd = "'" KGSS_SOURCE_DIR "/scripts/kdc.sh' stop '" + dir + "' >/dev/null";
		if (system(cmd.c_str()) != 0)
			fprintf(stderr, "kgss-bench: kdc.sh stop %s failed\n", dir.c_str());
		started = false;
		if (temp) {
			std::string rm = "rm -rf '" + dir + "'";
			if (system(rm.c_str()) != 0)
				fprintf(stderr, "kgss-bench: could not remove %s\n", dir.c_str());
		}
	}
};
kdc_guard *g_kdc = nullptr;
void on_exit_stop_kdc()
{
	if (g_kdc)
		g_kdc->stop();
}

// ---- reporting ---------------------------------------------------------------------------------
std::string trim(std::string s)
{
	while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r'))
		s.pop_back();
	return s;
}
std::string capture(const std::string &cmd)
{
	std::string out;
	FILE *p = popen(cmd.c_str(), "r");
	if (!p)
		return out;
	char buf[512];
	size_t k;
	while ((k = fread(buf, 1, sizeof(buf), p)) > 0)
		out.append(buf, k);
	pclose(p);
	return out;
}
std::string cpu_model()
{
	std::string s = capture("grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'");
	return trim(s);
}
std::string cpu_flags()
{
	std::string f = capture("grep -m1 '^flags' /proc/cpuinfo");
	std::string out;
	for (const char *x : {" aes", " sha_ni", " avx2", " vaes", " avx512f"})
		if (f.find(std::string(x) + " ") != std::string::npos)
			out += out.empty() ? x + 1 : std::string(" ") + (x + 1);
	return out;
}

std::string json_str(const std::string &s)
{
	std::string o = "\"";
	for (char c : s) {
		if (c == '"' || c == '\\')
			o += '\\', o += c;
		else if ((unsigned char)c < 0x20) {
			char b[8];
			snprintf(b, sizeof(b), "\\u%04x", c);
			o += b;
		} else
			o += c;
	}
	return o + "\"";
}

struct meta {
	std::string load_before, load_after;
	std::string date, cpu, flags, compiler, openssl, mit, builtin_aes, builtin_sha1, builtin_sha256, builtin_sha384;
	std::string builtin_stitch; // engines: cbc_sha1 cbc_sha256 cbc_sha384 ("-": none)
	size_t ctx_size = 0;
	std::string stack; // scripts/stack-usage.sh output
	long max_frame = -1, max_pm = -1;
	std::string max_frame_fn, max_pm_fn;
};

double mbps(size_t n, double ns) { return ns > 0 ? (double)n / ns * 1e3 : 0; } // MB/s (10^6)

std::string fmt_ns(double ns)
{
	char b[32];
	if (ns >= 1e6)
		snprintf(b, sizeof(b), "%.2fms", ns / 1e6);
	else if (ns >= 1e4)
		snprintf(b, sizeof(b), "%.1fus", ns / 1e3);
	else
		snprintf(b, sizeof(b), "%.0fns", ns);
	return b;
}
std::string fmt_size(size_t n)
{
	if (n >= (1u << 20) && n % (1u << 20) == 0)
		return std::to_string(n >> 20) + "M";
	if (n >= 1024 && n % 1024 == 0)
		return std::to_string(n >> 10) + "K";
	return std::to_string(n);
}

void print_table(const options &o)
{
	const char *ops[] = {"wrap", "unwrap", "get_mic", "verify_mic", "wrap_iov", "unwrap_iov", "get_mic_iov",
			     "verify_mic_iov"};
	printf("\n%-6s %-4s %-14s %10s %9s %10s %9s %10s %9s %10s %9s %7s %7s %7s %7s %s\n", "enc", "size", "op",
	       "builtin", "MB/s", "openssl", "MB/s", "mit", "MB/s", "limit", "MB/s", "bi/mit", "os/mit", "bi/lim",
	       "os/lim", "allocs bi/os/mit");
	for (int e : o.enctypes)
		for (size_t n : o.sizes)
			for (const char *op : ops) {
				const result *b = find("kgss-builtin", e, op, n), *s = find("kgss-openssl", e, op, n);
				std::string base = op;
				if (base.size() > 4 && base.compare(base.size() - 4, 4, "_iov") == 0)
					base.resize(base.size() - 4);
				const result *m = find("mit", e, op, n), *l = find("limit", e, base, n);
				if (!b && !s && !m)
					continue;
				auto col = [&](const result *r) {
					char buf[64];
					if (!r)
						snprintf(buf, sizeof(buf), " %10s %9s", "-", "-");
					else
						snprintf(buf, sizeof(buf), " %10s %9.1f", fmt_ns(r->s.ns).c_str(),
							 mbps(n, r->s.ns));
					return std::string(buf);
				};
				auto ratio = [&](const result *num, const result *den) {
					char buf[16];
					if (!num || !den)
						snprintf(buf, sizeof(buf), " %7s", "-");
					else
						snprintf(buf, sizeof(buf), " %7.2f", den->s.ns / num->s.ns);
					return std::string(buf);
				};
				auto al = [&](const result *r) {
					if (!r)
						return std::string("-");
					char buf[24];
					snprintf(buf, sizeof(buf), "%g", r->s.allocs + r->s.hook_allocs);
					return std::string(buf);
				};
				printf("%-6d %-4s %-14s%s%s%s%s%s%s%s%s %s/%s/%s\n", e, fmt_size(n).c_str(), op,
				       col(b).c_str(), col(s).c_str(), col(m).c_str(), col(l).c_str(),
				       ratio(b, m).c_str(), ratio(s, m).c_str(), ratio(b, l).c_str(),
				       ratio(s, l).c_str(), al(b).c_str(), al(s).c_str(), al(m).c_str());
			}
	printf("(ratios are speed ratios: bi/mit = MIT time / libkgss-builtin time; bi/lim = limit time / "
	       "libkgss time; IOV rows compare with the plain limit)\n");
}

// Cycles per byte from ns per op, at the TSC rate measured at start-up
// (the invariant TSC runs at the nominal clock; 0 where there is none).
double g_tsc_ghz = 0;
void measure_tsc()
{
#if defined(__x86_64__) || defined(__i386__)
	const double t0 = now_ns();
	const uint64_t c0 = __rdtsc();
	while (now_ns() - t0 < 20e6)
		;
	g_tsc_ghz = (double)(__rdtsc() - c0) / (now_ns() - t0);
#endif
}
double cpb(size_t n, double ns) { return g_tsc_ghz > 0 ? ns * g_tsc_ghz / (double)n : 0; }

// The stitched engine next to the two-pass paths (AES enctypes with an engine).
void print_stitched(const options &o)
{
	bool any = false;
	for (auto &r : g_results)
		any |= r.impl == "kgss-builtin-2pass" || r.impl == "ossl-stitched";
	if (!any)
		return;
	printf("\nstitched CBC + HMAC (builtin) vs two-pass; c/B = TSC cycles per message byte at %.2f GHz\n", g_tsc_ghz);
	printf("%-6s %-4s %-11s %10s %6s %10s %6s %10s %6s %10s %6s %8s %8s %9s\n", "enc", "size", "op", "stitched",
	       "c/B", "2pass", "c/B", "limit", "c/B", "ossl-st", "c/B", "st/2pass", "x limit", "x ossl-st");
	for (int e : o.enctypes)
		for (size_t n : o.sizes)
			for (const char *op : {"wrap", "unwrap", "wrap_iov", "unwrap_iov"}) {
				std::string base = op;
				if (base.size() > 4 && base.compare(base.size() - 4, 4, "_iov") == 0)
					base.resize(base.size() - 4);
				const result *b = find("kgss-builtin", e, op, n), *t = find("kgss-builtin-2pass", e, op, n),
					     *l = find("limit", e, base, n), *x = find("ossl-stitched", e, base, n);
				if (!b || (!t && !x))
					continue;
				auto col = [&](const result *r) {
					char buf[40];
					if (!r)
						snprintf(buf, sizeof(buf), " %10s %6s", "-", "-");
					else
						snprintf(buf, sizeof(buf), " %10s %6.2f", fmt_ns(r->s.ns).c_str(),
							 cpb(n, r->s.ns));
					return std::string(buf);
				};
				auto ratio = [&](const result *den, int w) {
					char buf[16];
					if (!den)
						snprintf(buf, sizeof(buf), " %*s", w, "-");
					else
						snprintf(buf, sizeof(buf), " %*.2f", w, den->s.ns / b->s.ns);
					return std::string(buf);
				};
				printf("%-6d %-4s %-11s%s%s%s%s%s%s%s\n", e, fmt_size(n).c_str(), op, col(b).c_str(),
				       col(t).c_str(), col(l).c_str(), col(x).c_str(), ratio(t, 8).c_str(),
				       ratio(l, 8).c_str(), ratio(x, 9).c_str());
			}
	printf("(speed ratios of the stitched builtin path: st/2pass = builtin two-pass time / stitched time; "
	       "x limit = EVP two-pass time / stitched time; x ossl-st = OpenSSL stitched EVP time / stitched "
	       "time; IOV rows compare with the plain limit and plain OpenSSL stitched)\n");
}

void write_json(const options &o, const meta &m)
{
	FILE *f = fopen(o.json.c_str(), "w");
	if (!f)
		die("cannot write " + o.json + ": " + strerror(errno));
	fprintf(f, "{\n \"meta\": {\"date\": %s, \"cpu\": %s, \"cpu_flags\": %s, \"compiler\": %s, "
		   "\"openssl\": %s, \"mit\": %s,\n  \"builtin_classes\": {\"aes128\": %s, \"sha1\": %s, \"sha256\": %s, \"sha384\": %s, \"stitch\": %s},\n  \"tsc_ghz\": %.3f,\n"
		   "  \"loop_clock\": %s, \"loadavg_before\": %s, \"loadavg_after\": %s,\n  \"reps\": %d, \"loop_ms\": %g, \"quick\": %s, \"with_mit\": %s,\n  \"enctypes\": [",
		json_str(m.date).c_str(), json_str(m.cpu).c_str(), json_str(m.flags).c_str(),
		json_str(m.compiler).c_str(), json_str(m.openssl).c_str(), json_str(m.mit).c_str(),
		json_str(m.builtin_aes).c_str(), json_str(m.builtin_sha1).c_str(), json_str(m.builtin_sha256).c_str(),
		json_str(m.builtin_sha384).c_str(), json_str(m.builtin_stitch).c_str(), g_tsc_ghz, o.cpu_clock ? "\"thread-cpu\"" : "\"wall\"", json_str(m.load_before).c_str(), json_str(m.load_after).c_str(), o.reps, o.ms, o.quick ? "true" : "false", o.mit ? "true" : "false");
	for (size_t i = 0; i < o.enctypes.size(); i++)
		fprintf(f, "%s%d", i ? ", " : "", o.enctypes[i]);
	fprintf(f, "], \"sizes\": [");
	for (size_t i = 0; i < o.sizes.size(); i++)
		fprintf(f, "%s%zu", i ? ", " : "", o.sizes[i]);
	fprintf(f, "]},\n \"ctx_size\": %zu,\n \"stack\": {\"max_frame\": %ld, \"max_frame_function\": %s, "
		   "\"max_per_message_frame\": %ld, \"max_per_message_function\": %s},\n",
		m.ctx_size, m.max_frame, json_str(m.max_frame_fn).c_str(), m.max_pm, json_str(m.max_pm_fn).c_str());
	fprintf(f, " \"scaling\": [");
	for (size_t i = 0; i < g_scaling.size(); i++) {
		const scaling &s = g_scaling[i];
		fprintf(f, "%s\n  {\"enctype\": %d, \"backend\": %s, \"op\": \"wrap\", \"size\": %zu, "
			   "\"ops_per_s_1\": %.0f, \"ops_per_s_2\": %.0f, \"ratio\": %.3f}",
			i ? "," : "", s.e, json_str(s.backend).c_str(), s.size, s.one, s.two, s.one > 0 ? s.two / s.one : 0);
	}
	fprintf(f, "],\n \"results\": [");
	bool first = true;
	for (auto &r : g_results) {
		if (!r.s.ok)
			continue;
		fprintf(f, "%s\n  {\"impl\": %s, \"enctype\": %d, \"op\": %s, \"size\": %zu, \"ns_per_op\": %.1f, "
			   "\"mb_per_s\": %.2f, \"allocs_per_op\": %g, \"kgss_hook_allocs_per_op\": %g, "
			   "\"iters\": %llu, \"min_ns\": %.1f, \"passes\": %zu}",
			first ? "" : ",", json_str(r.impl).c_str(), r.enctype, json_str(r.op).c_str(), r.size, r.s.ns,
			mbps(r.size, r.s.ns), r.s.allocs, r.s.hook_allocs, (unsigned long long)r.s.iters,
			*std::min_element(r.v.begin(), r.v.end()), r.v.size());
		first = false;
	}
	fprintf(f, "\n ]\n}\n");
	if (fclose(f) != 0)
		die("write error on " + o.json);
	printf("json: %s\n", o.json.c_str());
}

void write_plot(const options &o)
{
	std::string gp = trim(capture("command -v gnuplot 2>/dev/null"));
	std::string dat = o.plot + ".dat";
	FILE *f = fopen(dat.c_str(), "w");
	if (!f)
		die("cannot write " + dat);
	// one block per enctype: size, builtin, openssl, mit, limit, builtin two-pass, OpenSSL stitched
	// (MB/s of wrap; NaN = missing)
	for (int e : o.enctypes) {
		fprintf(f, "# %d %s\n", e, enc(e).name);
		for (size_t n : o.sizes) {
			fprintf(f, "%zu", n);
			for (const char *impl : {"kgss-builtin", "kgss-openssl", "mit", "limit", "kgss-builtin-2pass",
						 "ossl-stitched"}) {
				const result *r = find(impl, e, "wrap", n);
				fprintf(f, " %.2f", r ? mbps(n, r->s.ns) : NAN);
			}
			fprintf(f, "\n");
		}
		fprintf(f, "\n\n");
	}
	fclose(f);
	if (gp.empty()) {
		printf("plot: gnuplot not found (Debian: apt-get install gnuplot-nox); data left in %s\n", dat.c_str());
		return;
	}
	std::string script = o.plot + ".gp";
	f = fopen(script.c_str(), "w");
	if (!f)
		die("cannot write " + script);
	int cols = 4, rows = ((int)o.enctypes.size() + cols - 1) / cols;
	fprintf(f, "set terminal pngcairo size %d,%d font ',9'\nset output '%s'\n", 300 * cols, 260 * rows + 30,
		o.plot.c_str());
	fprintf(f, "set datafile missing NaN\nset logscale xy\nset grid\nset key top left font ',7'\n"
		   "set format x '10^{%%L}'\nset xrange [32:2e6]\n"
		   "set xlabel 'message bytes'\nset ylabel 'wrap MB/s'\n"
		   "set multiplot layout %d,%d title 'kgss-bench: wrap (conf) throughput'\n",
		rows, cols);
	for (size_t i = 0; i < o.enctypes.size(); i++)
		fprintf(f,
			"set title '%d %s'\nplot '%s' index %zu using 1:2 w lp t 'libkgss builtin', "
			"'' index %zu using 1:3 w lp t 'libkgss openssl', '' index %zu using 1:4 w lp t 'MIT', "
			"'' index %zu using 1:5 w l dt 2 t 'EVP 2-pass limit', "
			"'' index %zu using 1:6 w lp t 'libkgss builtin two-pass', "
			"'' index %zu using 1:7 w l dt 3 t 'OpenSSL stitched EVP'\n",
			o.enctypes[i], enc(o.enctypes[i]).name, dat.c_str(), i, i, i, i, i, i);
	fprintf(f, "unset multiplot\n");
	fclose(f);
	std::string cmd = "'" + gp + "' '" + script + "'";
	if (system(cmd.c_str()) != 0)
		printf("plot: gnuplot failed (script %s)\n", script.c_str());
	else
		printf("plot: %s\n", o.plot.c_str());
}

long parse_su_field(const std::string &txt, const std::string &key, std::string *fn)
{
	size_t p = txt.find(key + ": ");
	if (p == std::string::npos)
		return -1;
	p += key.size() + 2;
	size_t e = txt.find('\n', p);
	std::string line = txt.substr(p, e == std::string::npos ? std::string::npos : e - p);
	size_t sp = line.find(' ');
	if (fn)
		*fn = sp == std::string::npos ? "" : line.substr(sp + 1);
	return atol(line.c_str());
}

} // namespace

int main(int argc, char **argv)
{
	options o = parse_args(argc, argv);
	if (o.cpu_clock)
		g_loop_clock = CLOCK_THREAD_CPUTIME_ID;
	setvbuf(stdout, nullptr, _IOLBF, 0);
	OSSL_PROVIDER_load(nullptr, "default");
	OSSL_PROVIDER_load(nullptr, "legacy"); // RC4 and MD5-based limits

	meta m;
	{
		char b[64];
		time_t t = time(nullptr);
		strftime(b, sizeof(b), "%Y-%m-%d %H:%M:%S %Z", localtime(&t));
		m.date = b;
	}
	m.cpu = cpu_model();
	m.flags = cpu_flags();
#if defined(__clang__)
	m.compiler = std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
	m.compiler = std::string("g++ ") + __VERSION__;
#endif
	m.openssl = OpenSSL_version(OPENSSL_VERSION);
	m.mit = trim(capture("krb5-config --version 2>/dev/null"));
	const kgss_crypto_backend *bi = kgss_crypto_builtin();
	m.builtin_aes = bi->aes128 ? bi->aes128->name : "-";
	m.builtin_sha1 = bi->sha1 ? bi->sha1->name : "-";
	m.builtin_sha256 = bi->sha256 ? bi->sha256->name : "-";
	m.builtin_sha384 = bi->sha384 ? bi->sha384->name : "-";
	m.ctx_size = kgss_ctx_size();
	m.builtin_stitch = std::string(bi->cbc_sha1 ? bi->cbc_sha1->name : "-") + " " +
			   (bi->cbc_sha256 ? bi->cbc_sha256->name : "-") + " " +
			   (bi->cbc_sha384 ? bi->cbc_sha384->name : "-");
	measure_tsc();
	m.load_before = trim(capture("cut -d' ' -f1-3 /proc/loadavg"));
	m.stack = capture("'" KGSS_SOURCE_DIR "/scripts/stack-usage.sh' '" KGSS_BINARY_DIR "' 5 2>&1");
	m.max_frame = parse_su_field(m.stack, "max_frame", &m.max_frame_fn);
	m.max_pm = parse_su_field(m.stack, "max_per_message", &m.max_pm_fn);

	printf("kgss-bench  %s\n  cpu: %s [%s], %u online\n  compiler: %s\n  openssl: %s\n  mit: %s\n"
	       "  builtin classes: %s %s %s %s; stitched: %s\n  reps %d x %g ms loops (median), %s clock\n",
	       m.date.c_str(), m.cpu.c_str(), m.flags.c_str(), std::thread::hardware_concurrency(),
	       m.compiler.c_str(), m.openssl.c_str(), m.mit.empty() ? "-" : m.mit.c_str(), m.builtin_aes.c_str(),
	       m.builtin_sha1.c_str(), m.builtin_sha256.c_str(), m.builtin_sha384.c_str(), m.builtin_stitch.c_str(),
	       o.reps, o.ms, o.cpu_clock ? "thread CPU-time" : "wall");

	kdc_guard kdc;
	if (o.mit) {
		if (o.kdc_dir.empty()) {
			char tmpl[] = "/tmp/kgss-bench-kdc.XXXXXX";
			if (!mkdtemp(tmpl))
				die("mkdtemp failed");
			kdc.dir = tmpl;
			kdc.temp = true;
		} else {
			kdc.dir = o.kdc_dir;
		}
		g_kdc = &kdc;
		atexit(on_exit_stop_kdc);
		std::string cmd = "'" KGSS_SOURCE_DIR "/scripts/kdc.sh' start '" + kdc.dir + "' >/dev/null";
		if (system(cmd.c_str()) != 0)
			die("scripts/kdc.sh start " + kdc.dir + " failed (use --no-mit to run without MIT)");
		kdc.started = true;
		std::string err;
		if (!kmit::mit_env_load(kdc.dir + "/env", &err))
			die("mit_env_load: " + err);
	}

	uint8_t key[32];
	for (int e : o.enctypes) {
		const enc_info &ei = enc(e);
		printf("enctype %d %s ...\n", e, ei.name);
		kmit::mit_pair pair;
		synth_lucid si, sa;
		const void *lucid;
		kctx peer_k; // --no-mit: the libkgss peer (acceptor)
		if (o.mit) {
			kmit::mit_establish_opts eo;
			eo.enctype = e;
			eo.mutual = true;
			eo.export_initiator = true;
			eo.req_flags = GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG; // RPCSEC_GSS: no replay / sequence window
			std::string err;
			if (!kmit::mit_establish(eo, &pair, &err))
				die("mit_establish " + std::to_string(e) + ": " + err);
			lucid = kmit::mit_lucid_kgss(pair);
		} else {
			RAND_bytes(key, sizeof(key));
			make_synth(e, true, key, &si);
			make_synth(e, false, key, &sa);
			lucid = &si.l;
			import(&sa.l, kgss_crypto_builtin(), &peer_k);
		}
		kctx kb, ko, k2;
		import(lucid, kgss_crypto_builtin(), &kb);
		if (o.openssl)
			import(lucid, kgss_crypto_openssl(), &ko);
		// The builtin backend without its stitched engines (two-pass), where
		// it has one for this enctype: same code otherwise.
		kgss_crypto_backend two_pass = *kgss_crypto_builtin();
		two_pass.cbc_sha1 = two_pass.cbc_sha256 = two_pass.cbc_sha384 = nullptr;
		const bool stitched = stitched_enctype(e);
		if (stitched)
			import(lucid, &two_pass, &k2);
		options o2 = o; // two-pass and OpenSSL stitched: the cipher calls only
		o2.reps = 1;
		o2.ops.clear();
		for (const char *op : {"wrap", "unwrap", "wrap_iov", "unwrap_iov"})
			if (o.want(op))
				o2.ops.push_back(op);
		for (size_t n : o.sizes) {
			bytes msg(n);
			for (size_t i = 0; i < n; i++)
				msg[i] = (uint8_t)(i * 131 + 7);
			peer_tokens pt = o.mit ? mit_tokens(pair.peer, ei.cfx, msg) : kgss_tokens(peer_k.ctx, ei.cfx, msg);
			// --reps passes over every implementation, one timed loop each per
			// pass: load changes on a shared machine hit all columns alike.
			options o1 = o;
			o1.reps = 1;
			for (int pass = 0; pass < o.reps; pass++) {
				bench_kgss(o1, "kgss-builtin", e, kb.ctx, n, msg, pt);
				if (stitched && !o2.ops.empty())
					bench_kgss(o2, "kgss-builtin-2pass", e, k2.ctx, n, msg, pt);
				if (o.openssl)
					bench_kgss(o1, "kgss-openssl", e, ko.ctx, n, msg, pt);
				if (!o2.ops.empty())
					bench_ossl_stitched(o2, e, n);
				if (o.mit)
					bench_mit(o1, e, pair.peer, kb.ctx, n, msg);
				bench_limit(o1, e, n);
			}
		}
		if (o.threads && e == 18) {
			bench_scaling(o, e, "builtin", kb.ctx, 1024);
			bench_scaling(o, e, "builtin", kb.ctx, 65536);
			if (o.openssl)
				bench_scaling(o, e, "openssl", ko.ctx, 65536);
		}
	}
	kdc.stop();
	m.load_after = trim(capture("cut -d' ' -f1-3 /proc/loadavg"));

	print_table(o);
	print_stitched(o);
	printf("load average before / after: %s / %s (%u CPUs)\n", m.load_before.c_str(), m.load_after.c_str(),
	       std::thread::hardware_concurrency());
	printf("\ncontext size: kgss_ctx_size() = %zu bytes\n", m.ctx_size);
	if (m.max_frame >= 0)
		printf("stack: largest frame %ld bytes (%s); largest per-message frame %ld bytes (%s)\n", m.max_frame,
		       m.max_frame_fn.c_str(), m.max_pm, m.max_pm_fn.c_str());
	else
		printf("stack: scripts/stack-usage.sh gave no answer:\n%s\n", m.stack.c_str());
	for (auto &s : g_scaling)
		printf("threads: %d %s wrap %s on one context: 1 thread %.0f op/s, 2 threads %.0f op/s, x%.2f\n", s.e,
		       s.backend.c_str(), fmt_size(s.size).c_str(), s.one, s.two, s.one > 0 ? s.two / s.one : 0);
	int failed = 0;
	for (auto &r : g_results)
		failed += !r.s.ok;
	if (!o.json.empty())
		write_json(o, m);
	if (!o.plot.empty())
		write_plot(o);
	if (failed)
		fprintf(stderr, "kgss-bench: %d measurements failed\n", failed);
	return failed ? 1 : 0;
}
