// tools/bench/bench_report.cc - kgss-bench's output: the text tables, the
// JSON file (tools/bench/check_json.py and to_markdown.py read it), the
// gnuplot plot, and the machine facts they carry.
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

#include "tools/bench/bench.h"

namespace kbench {

namespace {

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

// Cycles per byte from ns per op, at the TSC rate measured at start-up
// (the invariant TSC runs at the nominal clock; 0 where there is none).
double g_tsc_ghz = 0;
double cpb(size_t n, double ns) { return g_tsc_ghz > 0 ? ns * g_tsc_ghz / (double)n : 0; }

} // namespace

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
	const char *ops[] = {"wrap",     "unwrap",     "get_mic",     "verify_mic",
			     "wrap_iov", "unwrap_iov", "get_mic_iov", "verify_mic_iov"};
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

// The stitched engine next to the two-pass paths (AES enctypes with an engine).
void print_stitched(const options &o)
{
	bool any = false;
	for (auto &r : g_results)
		any |= r.impl == "kgss-builtin-2pass" || r.impl == "ossl-stitched";
	if (!any)
		return;
	printf("\nstitched CBC + HMAC (builtin) vs two-pass; c/B = TSC cycles per message byte at %.2f GHz\n",
	       g_tsc_ghz);
	printf("%-6s %-4s %-11s %10s %6s %10s %6s %10s %6s %10s %6s %8s %8s %9s\n", "enc", "size", "op", "stitched",
	       "c/B", "2pass", "c/B", "limit", "c/B", "ossl-st", "c/B", "st/2pass", "x limit", "x ossl-st");
	for (int e : o.enctypes)
		for (size_t n : o.sizes)
			for (const char *op : {"wrap", "unwrap", "wrap_iov", "unwrap_iov"}) {
				std::string base = op;
				if (base.size() > 4 && base.compare(base.size() - 4, 4, "_iov") == 0)
					base.resize(base.size() - 4);
				const result *b = find("kgss-builtin", e, op, n),
					     *t = find("kgss-builtin-2pass", e, op, n), *l = find("limit", e, base, n),
					     *x = find("ossl-stitched", e, base, n);
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
	fprintf(f,
		"{\n \"meta\": {\"date\": %s, \"cpu\": %s, \"cpu_flags\": %s, \"compiler\": %s, "
		"\"openssl\": %s, \"mit\": %s,\n  \"builtin_classes\": {\"aes128\": %s, \"sha1\": %s, \"sha256\": %s, "
		"\"sha384\": %s, \"stitch\": %s},\n  \"tsc_ghz\": %.3f,\n"
		"  \"loop_clock\": %s, \"loadavg_before\": %s, \"loadavg_after\": %s,\n  \"reps\": %d, \"loop_ms\": "
		"%g, \"quick\": %s, \"with_mit\": %s,\n  \"enctypes\": [",
		json_str(m.date).c_str(), json_str(m.cpu).c_str(), json_str(m.flags).c_str(),
		json_str(m.compiler).c_str(), json_str(m.openssl).c_str(), json_str(m.mit).c_str(),
		json_str(m.builtin_aes).c_str(), json_str(m.builtin_sha1).c_str(), json_str(m.builtin_sha256).c_str(),
		json_str(m.builtin_sha384).c_str(), json_str(m.builtin_stitch).c_str(), g_tsc_ghz,
		o.cpu_clock ? "\"thread-cpu\"" : "\"wall\"", json_str(m.load_before).c_str(),
		json_str(m.load_after).c_str(), o.reps, o.ms, o.quick ? "true" : "false", o.mit ? "true" : "false");
	for (size_t i = 0; i < o.enctypes.size(); i++)
		fprintf(f, "%s%d", i ? ", " : "", o.enctypes[i]);
	fprintf(f, "], \"sizes\": [");
	for (size_t i = 0; i < o.sizes.size(); i++)
		fprintf(f, "%s%zu", i ? ", " : "", o.sizes[i]);
	fprintf(f,
		"]},\n \"ctx_size\": %zu,\n \"stack\": {\"max_frame\": %ld, \"max_frame_function\": %s, "
		"\"max_per_message_frame\": %ld, \"max_per_message_function\": %s},\n",
		m.ctx_size, m.max_frame, json_str(m.max_frame_fn).c_str(), m.max_pm, json_str(m.max_pm_fn).c_str());
	fprintf(f, " \"scaling\": [");
	for (size_t i = 0; i < g_scaling.size(); i++) {
		const scaling &s = g_scaling[i];
		fprintf(f,
			"%s\n  {\"enctype\": %d, \"backend\": %s, \"op\": \"wrap\", \"size\": %zu, "
			"\"ops_per_s_1\": %.0f, \"ops_per_s_2\": %.0f, \"ratio\": %.3f}",
			i ? "," : "", s.e, json_str(s.backend).c_str(), s.size, s.one, s.two,
			s.one > 0 ? s.two / s.one : 0);
	}
	fprintf(f, "],\n \"results\": [");
	bool first = true;
	for (auto &r : g_results) {
		if (!r.s.ok)
			continue;
		fprintf(f,
			"%s\n  {\"impl\": %s, \"enctype\": %d, \"op\": %s, \"size\": %zu, \"ns_per_op\": %.1f, "
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
			for (const char *impl :
			     {"kgss-builtin", "kgss-openssl", "mit", "limit", "kgss-builtin-2pass", "ossl-stitched"}) {
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
	fprintf(f,
		"set datafile missing NaN\nset logscale xy\nset grid\nset key top left font ',7'\n"
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

} // namespace kbench
