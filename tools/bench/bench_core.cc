// tools/bench/bench_core.cc - kgss-bench's shared machinery: the loop clock,
// the median, the enctype table of the benchmark, synthetic lucid contexts
// and the result store (passes merged into one median per measurement).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <chrono>

#include "tools/bench/bench.h"

namespace kbench {

[[noreturn]] void die(const std::string &m)
{
	fprintf(stderr, "kgss-bench: %s\n", m.c_str());
	exit(1);
}

clockid_t g_loop_clock = CLOCK_MONOTONIC;

double now_ns()
{
	return (double)std::chrono::duration_cast<std::chrono::nanoseconds>(
		       std::chrono::steady_clock::now().time_since_epoch())
		.count();
}

// ---- measurement --------------------------------------------------------------------
double median(std::vector<double> v)
{
	std::sort(v.begin(), v.end());
	size_t n = v.size();
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// ---- enctypes -----------------------------------------------------------------------
namespace {
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
} // namespace

const enc_info &enc(int e)
{
	for (auto &i : kEnc)
		if (i.e == e)
			return i;
	die("enctype");
}

bool stitched_enctype(int e)
{
	const kgss_crypto_backend *b = kgss_crypto_builtin();
	return ((e == 17 || e == 18) && b->cbc_sha1) || (e == 19 && b->cbc_sha256) || (e == 20 && b->cbc_sha384);
}

// ---- synthetic lucid contexts (--no-mit) ---------------------------------------------
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

} // namespace kbench
