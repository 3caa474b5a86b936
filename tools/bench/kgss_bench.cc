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
// aligned_alloc are interposed (bench_alloc.cc) and counted per thread; libkgss's own
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
//
// The sources: bench.h lists the files and what each holds; this one has the
// command line, the KDC and main.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <string>
#include <thread>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/provider.h>
#include <openssl/rand.h>

#include "tools/bench/bench.h"

namespace kbench {
namespace {

// ---- options ------------------------------------------------------------------------
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

} // namespace
} // namespace kbench

using namespace kbench;

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
	       m.date.c_str(), m.cpu.c_str(), m.flags.c_str(), std::thread::hardware_concurrency(), m.compiler.c_str(),
	       m.openssl.c_str(), m.mit.empty() ? "-" : m.mit.c_str(), m.builtin_aes.c_str(), m.builtin_sha1.c_str(),
	       m.builtin_sha256.c_str(), m.builtin_sha384.c_str(), m.builtin_stitch.c_str(), o.reps, o.ms,
	       o.cpu_clock ? "thread CPU-time" : "wall");

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
			peer_tokens pt =
				o.mit ? mit_tokens(pair.peer, ei.cfx, msg) : kgss_tokens(peer_k.ctx, ei.cfx, msg);
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
