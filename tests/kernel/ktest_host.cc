// tests/kernel/ktest_host.cc - the host side of the in-kernel libkgss test.
//
//   ktest_host prepare --out DIR [--vectors FILE]
//       Against the live loopback KDC ($KGSS_KDC_ENV, scripts/kdc.sh): for
//       every case establishes an MIT context pair (CONF|INTEG only: no
//       replay or sequence checking, so MIT later accepts the kernel's tokens
//       in any order and twice), exports one side as a lucid context, has the
//       live MIT peer make tokens, damages them and records the exact status
//       user-space libkgss gives (every user-space backend must agree),
//       computes the downcall buffer, saves the peer (gss_export_sec_context)
//       as DIR/peer-<case>.ctx and exports a re-imported copy of it as lucid
//       (the kernel then holds both ends).  Writes DIR/ktest_cases.h (the
//       data, for ktest_core.c) and DIR/cases.txt (what `verify` needs).
//
//   ktest_host verify --in DIR --console LOG [--backends a,b,c] [--stack-limit BYTES]
//                     [--contexts softirq,hardirq,hardirq-in-fpu]
//       Reads every KGSS-TOKEN line of a console log, has the saved MIT peer
//       unwrap / verify each (plaintext compared with the case's message),
//       requires every expected token of every case, import and backend,
//       no KGSS-FAIL, KGSS-RESULT with fail=0 and exactly the expected
//       backends, a KGSS-STACK line per call (numbers below the limit), with
//       --contexts a KGSS-CONTEXT line per backend and context that ran once
//       per enctype, and
//       prints how many tokens MIT verified per enctype and backend.
//
// Exit status: 0 success, 1 a check failed, 2 usage.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "kgss.h"
#include "kgss_user.h"
#include "tools/mit/mit_peer.h"

namespace {

using kmit::bytes;

// ---- small helpers ---------------------------------------------------------------
bool g_failed = false;

void fail(const std::string &s)
{
	fprintf(stderr, "ktest_host: FAIL: %s\n", s.c_str());
	g_failed = true;
}

std::string hex(const uint8_t *p, size_t n)
{
	static const char d[] = "0123456789abcdef";
	std::string s;
	s.reserve(2 * n);
	for (size_t i = 0; i < n; i++) {
		s += d[p[i] >> 4];
		s += d[p[i] & 15];
	}
	return s;
}
std::string hex(const bytes &b) { return hex(b.data(), b.size()); }

bool unhex(const std::string &s, bytes *out)
{
	out->clear();
	if (s.size() % 2)
		return false;
	for (size_t i = 0; i < s.size(); i += 2) {
		int v = 0;
		for (int k = 0; k < 2; k++) {
			char c = s[i + k];
			int d = (c >= '0' && c <= '9')   ? c - '0'
				: (c >= 'a' && c <= 'f') ? c - 'a' + 10
				: (c >= 'A' && c <= 'F') ? c - 'A' + 10
							 : -1;
			if (d < 0)
				return false;
			v = v * 16 + d;
		}
		out->push_back((uint8_t)v);
	}
	return true;
}

std::vector<std::string> split(const std::string &s, char sep)
{
	std::vector<std::string> v;
	std::string cur;
	for (char c : s) {
		if (c == sep) {
			if (!cur.empty())
				v.push_back(cur);
			cur.clear();
		} else {
			cur += c;
		}
	}
	if (!cur.empty())
		v.push_back(cur);
	return v;
}

bool write_file(const std::string &path, const void *p, size_t n)
{
	FILE *f = fopen(path.c_str(), "wb");
	if (!f)
		return false;
	bool ok = fwrite(p, 1, n, f) == n;
	ok = (fclose(f) == 0) && ok;
	return ok;
}

bool read_file(const std::string &path, bytes *out)
{
	std::ifstream in(path, std::ios::binary);
	if (!in)
		return false;
	out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
	return true;
}

// ---- the cases ----------------------------------------------------------------------
// Kinds of token the kernel prints per case, import and backend.
std::vector<std::string> kernel_kinds(int protocol)
{
	if (protocol == 1)
		return {"wrap-conf", "wrap-integ",   "mic",           "iov-conf",
			"iov-integ", "iov-conf-rrc", "iov-integ-rrc", "mic-iov"};
	return {"wrap-conf", "wrap-integ", "mic", "iov-conf", "iov-integ", "mic-iov"};
}

int protocol_of(int enctype) { return (enctype == 16 || enctype == 23 || enctype == 24) ? 0 : 1; }

struct case_spec {
	std::string id;
	int enctype;
	bool lucid_initiator;
	bool mutual;
	bool big;
	bytes message;
};

std::vector<case_spec> case_list()
{
	std::vector<case_spec> v;
	auto add = [&](int e, bool init, bool mutual) {
		case_spec c;
		char id[32];
		snprintf(id, sizeof id, "e%d-%c-m%d", e, init ? 'i' : 'a', mutual ? 1 : 0);
		c.id = id;
		c.enctype = e;
		c.lucid_initiator = init;
		c.mutual = mutual;
		c.big = mutual && init; // one 64 KiB round trip per enctype
		// printable ASCII (no 0x00, no 0xA5), 97..157 bytes: every padding residue
		size_t len = 97 + (v.size() * 7) % 61;
		std::string s = "kgss in-kernel test, case " + c.id + ": ";
		static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,;:-+=";
		for (size_t i = 0; s.size() < len && i < 1000; i++)
			s += alpha[(i * 7 + v.size()) % (sizeof alpha - 1)];
		s.resize(len);
		c.message.assign(s.begin(), s.end());
		v.push_back(c);
	};
	for (int e : kmit::mit_all_enctypes) {
		add(e, true, true);
		add(e, false, true);
	}
	for (int e : kmit::mit_all_enctypes) // RFC 4121: also without an acceptor subkey
		if (protocol_of(e) == 1) {
			add(e, true, false);
			add(e, false, false);
		}
	return v;
}

// ---- user-space libkgss: what the kernel must answer ----------------------------------
struct ukgss {
	kgss_ctx *ctx = nullptr;
	~ukgss() { kgss_ctx_free(ctx); }
};

kgss_status user_import(const kgss_lucid_context_v1 *l, const kgss_crypto_backend *be, ukgss *u)
{
	kgss_options o;
	kgss_options_init_user(&o);
	o.crypto = be;
	return kgss_import_lucid_v1(l, &o, &u->ctx);
}

const kgss_crypto_backend *user_backends[3];
const char *user_backend_names[3] = {"builtin", "portable", "openssl"};

// Status of kgss_unwrap (stream=false) or kgss_unwrap_iov STREAM|DATA, or
// kgss_verify_mic (mic=true) for token; out gets the plaintext on success.
kgss_status user_check(kgss_ctx *ctx, bool mic, bool stream, const bytes &msg, const bytes &token, bytes *out)
{
	bytes t = token, m = msg;
	kgss_status st;
	if (mic) {
		kgss_buffer mb = {m.size(), m.data()}, tb = {t.size(), t.data()};
		uint32_t qop = 0;
		return kgss_verify_mic(ctx, &mb, &tb, &qop);
	}
	int conf = 0;
	uint32_t qop = 0;
	if (stream) {
		kgss_iov iov[2];
		iov[0].type = KGSS_IOV_STREAM;
		iov[0].buffer.length = t.size();
		iov[0].buffer.value = t.data();
		iov[1].type = KGSS_IOV_DATA;
		iov[1].buffer.length = 0;
		iov[1].buffer.value = nullptr;
		st = kgss_unwrap_iov(ctx, &conf, &qop, iov, 2);
		if (st == KGSS_S_COMPLETE && out) {
			const uint8_t *p = (const uint8_t *)iov[1].buffer.value;
			out->assign(p, p + iov[1].buffer.length);
		}
		return st;
	}
	bytes o(t.size() + 64);
	kgss_buffer in = {t.size(), t.data()}, ob = {o.size(), o.data()};
	st = kgss_unwrap(ctx, &in, &ob, &conf, &qop);
	if (st == KGSS_S_COMPLETE && out)
		out->assign(o.begin(), o.begin() + ob.length);
	return st;
}

// ---- generated C ---------------------------------------------------------------------
struct cwriter {
	std::string s;
	void array(const std::string &name, const bytes &b)
	{
		s += "static const uint8_t " + name + "[" + std::to_string(b.empty() ? 1 : b.size()) + "] = {";
		for (size_t i = 0; i < b.size(); i++) {
			if (i % 16 == 0)
				s += "\n\t";
			char x[8];
			snprintf(x, sizeof x, "0x%02x,", b[i]);
			s += x;
		}
		if (b.empty())
			s += "0";
		s += "\n};\n";
	}
	static std::string ref(const std::string &name, size_t len)
	{
		if (len == 0)
			return "{ NULL, 0 }";
		return "{ " + name + ", " + std::to_string(len) + "u }";
	}
	static std::string key(const kgss_lucid_key &k)
	{
		std::string r = "{ " + std::to_string(k.type) + "u, " + std::to_string(k.length) + "u, {";
		const uint8_t *p = (const uint8_t *)k.data;
		for (uint32_t i = 0; i < k.length && i < KTEST_KEY_MAX_HOST; i++) {
			char x[8];
			snprintf(x, sizeof x, "0x%02x,", p[i]);
			r += x;
		}
		if (k.length == 0)
			r += "0";
		return r + " } }";
	}
	static constexpr uint32_t KTEST_KEY_MAX_HOST = 32;
	static std::string lucid(const kgss_lucid_context_v1 &l)
	{
		kgss_lucid_key none = {0, 0, nullptr};
		const bool cfx = l.protocol == 1;
		std::string r = "{ ";
		r += ".initiate = " + std::to_string(l.initiate) + "u, ";
		r += ".endtime = " + std::to_string(l.endtime) + "u, ";
		r += ".send_seq = " + std::to_string(l.send_seq) + "ull, ";
		r += ".recv_seq = " + std::to_string(l.recv_seq) + "ull, ";
		r += ".protocol = " + std::to_string(l.protocol) + "u,\n\t  ";
		r += ".sign_alg = " + std::to_string(cfx ? 0 : l.rfc1964_kd.sign_alg) + "u, ";
		r += ".seal_alg = " + std::to_string(cfx ? 0 : l.rfc1964_kd.seal_alg) + "u, ";
		r += ".have_acceptor_subkey = " + std::to_string(cfx ? l.cfx_kd.have_acceptor_subkey : 0) + "u,\n\t  ";
		r += ".ctx_key = " + key(cfx ? l.cfx_kd.ctx_key : l.rfc1964_kd.ctx_key) + ",\n\t  ";
		r += ".acceptor_subkey = " +
		     key(cfx && l.cfx_kd.have_acceptor_subkey ? l.cfx_kd.acceptor_subkey : none);
		return r + " }";
	}
};

const char *mit_kind_names[5] = {"wrap_conf", "wrap_integ", "mic", "iov_rrc_conf", "iov_rrc_integ"};

// Offset of TOK_ID: 0 for RFC 4121, after the DER framing and OID for RFC 1964.
size_t tokid_offset(const bytes &t, int protocol)
{
	if (protocol == 1)
		return 0;
	if (t.size() < 4 || t[0] != 0x60)
		return 0;
	size_t off = 2;
	if (t[1] & 0x80)
		off += t[1] & 0x7f;
	if (off + 2 > t.size() || t[off] != 0x06)
		return 0;
	return off + 2 + t[off + 1];
}

struct tamper {
	int kind;
	std::string what;
	bytes token;
	kgss_status expect = 0, expect_stream = 0;
};

std::vector<tamper> make_tampers(int kind, const bytes &tok, int protocol)
{
	std::vector<tamper> v;
	auto add = [&](const std::string &what, bytes t) {
		tamper x;
		x.kind = kind;
		x.what = std::string(mit_kind_names[kind]) + ":" + what;
		x.token = std::move(t);
		v.push_back(std::move(x));
	};
	bytes t = tok;
	t.back() ^= 0x01;
	add("flip-last", t);
	t = tok;
	t[t.size() * 3 / 4] ^= 0x80;
	add("flip-3/4", t);
	// RFC 1964: the first checksum byte (TOK_ID..FILLER 8, SND_SEQ 8); RFC 4121: after the header
	size_t hdr = protocol == 1 ? 16 : tokid_offset(tok, 0) + 16;
	if (hdr < tok.size()) {
		t = tok;
		t[hdr] ^= 0x10;
		add("flip-after-header", t);
	}
	size_t off = tokid_offset(tok, protocol);
	t = tok;
	t[off] ^= 0x01; // 05 04 <-> 04 04 (RFC 4121), 02 01 <-> 03 01 (RFC 1964)
	add("tokid", t);
	t = tok;
	t[off + 1] ^= 0xff;
	add("tokid-2nd", t);
	if (protocol == 0) {
		t = tok;
		t[6] ^= 0x01; // inside the mech OID
		add("mech-oid", t);
	}
	t.assign(tok.begin(), tok.end() - 1);
	add("trunc-1", t);
	t.assign(tok.begin(), tok.begin() + tok.size() / 2);
	add("trunc-half", t);
	t.assign(tok.begin(), tok.begin() + 8);
	add("trunc-8", t);
	return v;
}

// ---- gokrb5 known-answer tokens -----------------------------------------------------------
struct kat {
	std::string id;
	int enctype = 0;
	bool receiver_initiate = false;
	bool mic = false;
	bytes key, message, token;
	kgss_status expect = 0;
};

bool load_kats(const std::string &path, std::vector<kat> *out)
{
	std::ifstream in(path);
	if (!in) {
		fail("cannot open " + path);
		return false;
	}
	std::vector<std::map<std::string, std::string>> blocks;
	std::string line;
	for (int n = 0; std::getline(in, line) && n < 100000; n++) {
		if (!line.empty() && line.back() == '\r')
			line.pop_back();
		if (line.empty() || line[0] == '#')
			continue;
		if (line == "[gss_token]") {
			blocks.emplace_back();
			continue;
		}
		size_t eq = line.find(" = ");
		if (eq == std::string::npos || blocks.empty()) {
			fail(path + ": cannot parse: " + line);
			return false;
		}
		blocks.back()[line.substr(0, eq)] = line.substr(eq + 3);
	}
	for (size_t i = 0; i < blocks.size(); i++) {
		auto &b = blocks[i];
		kat k;
		k.id = "gokrb5-" + std::to_string(i + 1);
		for (const char *f :
		     {"enctype", "key", "protocol", "role_of_sender", "token_kind", "message", "token", "expected"})
			if (!b.count(f)) {
				fail(path + ": block " + std::to_string(i + 1) + " lacks " + f);
				return false;
			}
		k.enctype = atoi(b["enctype"].c_str());
		if (b["protocol"] != "1" || !unhex(b["key"], &k.key) || !unhex(b["message"], &k.message) ||
		    !unhex(b["token"], &k.token)) {
			fail(path + ": block " + std::to_string(i + 1) + " malformed");
			return false;
		}
		k.receiver_initiate = b["role_of_sender"] == "acceptor";
		k.mic = b["token_kind"] == "mic";
		if (!k.mic && b["token_kind"] != "wrap_integ") {
			fail(path + ": unknown token_kind " + b["token_kind"]);
			return false;
		}
		const std::string &e = b["expected"];
		k.expect = e == "ok"                ? KGSS_S_COMPLETE
			   : e == "bad_sig"         ? KGSS_S_BAD_SIG
			   : e == "defective_token" ? KGSS_S_DEFECTIVE_TOKEN
						    : 0xffffffffu;
		if (k.expect == 0xffffffffu) {
			fail(path + ": unknown expected " + e);
			return false;
		}
		out->push_back(k);
	}
	return !out->empty();
}

// ---- prepare ----------------------------------------------------------------------------------
struct lucid_holder {
	void *p = nullptr;
	~lucid_holder()
	{
		OM_uint32 m;
		if (p)
			gss_krb5_free_lucid_sec_context(&m, p);
	}
	const kgss_lucid_context_v1 *l() const { return (const kgss_lucid_context_v1 *)p; }
};

int prepare(const std::string &dir, const std::string &vectors)
{
	std::string err;
	if (!kmit::mit_env_load("", &err)) {
		fail(err);
		return 1;
	}
	user_backends[0] = kgss_crypto_builtin();
	user_backends[1] = kgss_crypto_builtin_portable();
	user_backends[2] = kgss_crypto_openssl();

	std::vector<kat> kats;
	if (!load_kats(vectors, &kats))
		return 1;

	cwriter w;
	w.s = "/* Generated by tests/kernel/ktest_host prepare: do not edit.\n"
	      " * Live MIT krb5 contexts from a throwaway loopback KDC; the keys are test keys. */\n"
	      "#ifndef KGSS_KTEST_CASES_H\n#define KGSS_KTEST_CASES_H\n\n";
	std::string cases_c = "static const struct ktest_case ktest_cases[] = {\n";
	std::string manifest;
	std::vector<case_spec> cases = case_list();
	size_t ntamper_total = 0;

	for (size_t ci = 0; ci < cases.size(); ci++) {
		const case_spec &cs = cases[ci];
		const int protocol = protocol_of(cs.enctype);
		const std::string pre = "c" + std::to_string(ci) + "_";
		kmit::mit_establish_opts o;
		o.enctype = cs.enctype;
		o.mutual = cs.mutual;
		o.export_initiator = cs.lucid_initiator;
		o.req_flags = GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG;
		kmit::mit_pair p;
		if (!kmit::mit_establish(o, &p, &err)) {
			fail(cs.id + ": " + err);
			return 1;
		}
		const kgss_lucid_context_v1 *l = kmit::mit_lucid_kgss(p);
		if (l->protocol != (uint32_t)protocol) {
			fail(cs.id + ": lucid protocol " + std::to_string(l->protocol));
			return 1;
		}
		if (protocol == 1 && l->cfx_kd.have_acceptor_subkey != (cs.mutual ? 1u : 0u)) {
			fail(cs.id + ": have_acceptor_subkey " + std::to_string(l->cfx_kd.have_acceptor_subkey) +
			     " with mutual=" + std::to_string(cs.mutual));
			return 1;
		}

		// the live peer's tokens
		bytes mit[5];
		kmit::mit_result r[5];
		r[0] = kmit::mit_wrap(p.peer, true, cs.message);
		r[1] = kmit::mit_wrap(p.peer, false, cs.message);
		r[2] = kmit::mit_get_mic(p.peer, cs.message);
		if (protocol == 1) {
			r[3] = kmit::mit_wrap_iov_token(p.peer, true, cs.message, false);
			r[4] = kmit::mit_wrap_iov_token(p.peer, false, cs.message, false);
		}
		for (int k = 0; k < (protocol == 1 ? 5 : 3); k++) {
			if (!r[k].ok()) {
				fail(cs.id + ": MIT " + mit_kind_names[k] + ": " +
				     kmit::mit_status_string(r[k].major, r[k].minor));
				return 1;
			}
			mit[k] = r[k].out;
		}
		if (protocol == 1)
			for (int k = 3; k < 5; k++) {
				unsigned rrc = (unsigned)mit[k][6] << 8 | mit[k][7];
				if (rrc == 0) {
					fail(cs.id + ": MIT " + mit_kind_names[k] + " has RRC 0");
					return 1;
				}
			}

		// user-space libkgss, every backend: the MIT tokens open, the damaged ones
		// give one status that the kernel must reproduce
		std::vector<tamper> tampers;
		for (int k = 0; k < (protocol == 1 ? 5 : 3); k++) {
			std::vector<tamper> v = make_tampers(k, mit[k], protocol);
			tampers.insert(tampers.end(), v.begin(), v.end());
		}
		for (int b = 0; b < 3; b++) {
			ukgss u;
			kgss_status st = user_import(l, user_backends[b], &u);
			if (st != KGSS_S_COMPLETE) {
				fail(cs.id + ": user-space import with " + user_backend_names[b] + ": " +
				     kgss_status_string(st));
				return 1;
			}
			for (int k = 0; k < (protocol == 1 ? 5 : 3); k++) {
				bytes pt;
				st = user_check(u.ctx, k == 2, false, cs.message, mit[k], &pt);
				if (st != KGSS_S_COMPLETE || (k != 2 && pt != cs.message)) {
					fail(cs.id + ": user-space " + user_backend_names[b] + " rejects MIT " +
					     mit_kind_names[k] + ": " + kgss_status_string(st));
					return 1;
				}
			}
			for (tamper &t : tampers) {
				kgss_status s1 = user_check(u.ctx, t.kind == 2, false, cs.message, t.token, nullptr);
				kgss_status s2 =
					t.kind == 2 ? s1 : user_check(u.ctx, false, true, cs.message, t.token, nullptr);
				if (!KGSS_ERROR(s1) || !KGSS_ERROR(s2)) {
					fail(cs.id + ": " + t.what + " accepted by user-space " +
					     user_backend_names[b]);
					return 1;
				}
				if (b == 0) {
					t.expect = s1;
					t.expect_stream = s2;
				} else if (t.expect != s1 || t.expect_stream != s2) {
					fail(cs.id + ": " + t.what + ": user-space backends disagree (" +
					     user_backend_names[b] + ")");
					return 1;
				}
			}
		}
		ntamper_total += tampers.size();

		// the downcall of the same side
		size_t dlen = 0;
		kgss_status st = kgss_lucid_to_downcall(l, nullptr, &dlen);
		bytes downcall(dlen);
		if (dlen == 0 || (st = kgss_lucid_to_downcall(l, downcall.data(), &dlen)) != KGSS_S_COMPLETE) {
			fail(cs.id + ": kgss_lucid_to_downcall: " + kgss_status_string(st));
			return 1;
		}
		downcall.resize(dlen);

		// save the peer for verify; export a re-imported copy as lucid for the kernel
		OM_uint32 maj, min = 0;
		gss_buffer_desc blob = GSS_C_EMPTY_BUFFER;
		maj = gss_export_sec_context(&min, &p.peer, &blob);
		if (GSS_ERROR(maj)) {
			fail(cs.id + ": gss_export_sec_context: " + kmit::mit_status_string(maj, min));
			return 1;
		}
		p.peer = GSS_C_NO_CONTEXT;
		bool saved = write_file(dir + "/peer-" + cs.id + ".ctx", blob.value, blob.length);
		gss_ctx_id_t copy = GSS_C_NO_CONTEXT;
		maj = gss_import_sec_context(&min, &blob, &copy);
		gss_release_buffer(&min, &blob);
		if (!saved) {
			fail(cs.id + ": cannot write the peer context");
			return 1;
		}
		if (GSS_ERROR(maj)) {
			fail(cs.id + ": gss_import_sec_context: " + kmit::mit_status_string(maj, min));
			return 1;
		}
		lucid_holder peer;
		maj = gss_krb5_export_lucid_sec_context(&min, &copy, 1, &peer.p);
		if (GSS_ERROR(maj)) {
			OM_uint32 m2;
			gss_delete_sec_context(&m2, &copy, GSS_C_NO_BUFFER);
			fail(cs.id + ": peer gss_krb5_export_lucid_sec_context: " + kmit::mit_status_string(maj, min));
			return 1;
		}
		if (peer.l()->initiate == l->initiate) {
			fail(cs.id + ": the peer has the same role");
			return 1;
		}

		// the C data
		w.s += "/* " + cs.id + ": " + kmit::mit_enctype_name(cs.enctype) + ", lucid side " +
		       (cs.lucid_initiator ? "initiator" : "acceptor") + ", mutual " + (cs.mutual ? "on" : "off") +
		       " */\n";
		w.array(pre + "msg", cs.message);
		w.array(pre + "downcall", downcall);
		for (int k = 0; k < (protocol == 1 ? 5 : 3); k++)
			w.array(pre + mit_kind_names[k], mit[k]);
		for (size_t i = 0; i < tampers.size(); i++)
			w.array(pre + "t" + std::to_string(i), tampers[i].token);
		w.s += "static const struct ktest_tamper " + pre + "tampers[] = {\n";
		static const char *kind_enum[5] = {"KTEST_MIT_WRAP_CONF", "KTEST_MIT_WRAP_INTEG", "KTEST_MIT_MIC",
						   "KTEST_MIT_IOV_RRC_CONF", "KTEST_MIT_IOV_RRC_INTEG"};
		for (size_t i = 0; i < tampers.size(); i++) {
			char x[64];
			snprintf(x, sizeof x, ", 0x%08xu, 0x%08xu },\n", tampers[i].expect, tampers[i].expect_stream);
			w.s += std::string("\t{ ") + kind_enum[tampers[i].kind] + ", \"" + tampers[i].what + "\", " +
			       cwriter::ref(pre + "t" + std::to_string(i), tampers[i].token.size()) + x;
		}
		w.s += "};\n\n";

		cases_c += "\t{ .id = \"" + cs.id + "\", .enctype = " + std::to_string(cs.enctype) +
			   ", .mutual = " + std::to_string(cs.mutual) + "u, .big = " + std::to_string(cs.big) + "u,\n";
		cases_c += "\t  .lucid = " + cwriter::lucid(*l) + ",\n";
		cases_c += "\t  .peer = " + cwriter::lucid(*peer.l()) + ",\n";
		cases_c += "\t  .downcall = " + cwriter::ref(pre + "downcall", downcall.size()) + ",\n";
		cases_c += "\t  .message = " + cwriter::ref(pre + "msg", cs.message.size()) + ",\n";
		cases_c += "\t  .mit = { ";
		for (int k = 0; k < 5; k++)
			cases_c += cwriter::ref(pre + mit_kind_names[k], mit[k].size()) + ", ";
		cases_c += "},\n\t  .tampers = " + pre + "tampers, .ntampers = " + std::to_string(tampers.size()) +
			   "u },\n";

		manifest += cs.id + " " + std::to_string(cs.enctype) + " " + std::to_string(protocol) + " " +
			    (cs.lucid_initiator ? "1" : "0") + " " + (cs.mutual ? "1" : "0") + " " + hex(cs.message) +
			    "\n";
		printf("prepared %-10s %-28s lucid=%s subkey=%u message=%zu tampers=%zu downcall=%zu\n", cs.id.c_str(),
		       kmit::mit_enctype_name(cs.enctype), cs.lucid_initiator ? "initiator" : "acceptor",
		       protocol == 1 ? l->cfx_kd.have_acceptor_subkey : 0u, cs.message.size(), tampers.size(),
		       downcall.size());
	}
	cases_c += "};\n\n";

	// known-answer tokens: user-space libkgss must agree with the file first
	std::string kats_c = "static const struct ktest_kat ktest_kats[] = {\n";
	for (size_t i = 0; i < kats.size(); i++) {
		const kat &k = kats[i];
		kgss_lucid_context_v1 l;
		memset(&l, 0, sizeof l);
		bytes key = k.key;
		l.version = 1;
		l.initiate = k.receiver_initiate;
		l.endtime = 0xffffffffu;
		l.protocol = 1;
		l.cfx_kd.ctx_key.type = k.enctype;
		l.cfx_kd.ctx_key.length = (uint32_t)key.size();
		l.cfx_kd.ctx_key.data = key.data();
		ukgss u;
		kgss_status st = user_import(&l, kgss_crypto_builtin(), &u);
		if (st == KGSS_S_COMPLETE)
			st = user_check(u.ctx, k.mic, false, k.message, k.token, nullptr);
		if (st != k.expect) {
			fail(k.id + ": user-space libkgss answers " + kgss_status_string(st));
			return 1;
		}
		const std::string pre = "kat" + std::to_string(i) + "_";
		w.array(pre + "msg", k.message);
		w.array(pre + "tok", k.token);
		char x[32];
		snprintf(x, sizeof x, "0x%08xu", k.expect);
		kgss_lucid_key lk = {(uint32_t)k.enctype, (uint32_t)key.size(), key.data()};
		kats_c += "\t{ .id = \"" + k.id + "\", .enctype = " + std::to_string(k.enctype) +
			  ", .receiver_initiate = " + std::to_string(k.receiver_initiate) +
			  "u, .mic = " + std::to_string(k.mic) + "u,\n\t  .key = " + cwriter::key(lk) +
			  ",\n\t  .message = " + cwriter::ref(pre + "msg", k.message.size()) +
			  ", .token = " + cwriter::ref(pre + "tok", k.token.size()) + ", .expect = " + x + " },\n";
	}
	kats_c += "};\n\n";

	w.s += cases_c + kats_c;
	w.s += "static const struct ktest_data ktest_data = {\n"
	       "\tktest_cases, sizeof(ktest_cases) / sizeof(ktest_cases[0]),\n"
	       "\tktest_kats, sizeof(ktest_kats) / sizeof(ktest_kats[0]),\n};\n\n#endif\n";
	if (!write_file(dir + "/ktest_cases.h", w.s.data(), w.s.size()) ||
	    !write_file(dir + "/cases.txt", manifest.data(), manifest.size())) {
		fail("cannot write into " + dir);
		return 1;
	}
	printf("prepare: %zu cases, %zu damaged tokens, %zu known-answer tokens -> %s/ktest_cases.h (%zu bytes)\n",
	       cases.size(), ntamper_total, kats.size(), dir.c_str(), w.s.size());
	return g_failed ? 1 : 0;
}

// ---- verify -------------------------------------------------------------------------------------
struct vcase {
	std::string id;
	int enctype = 0, protocol = 0;
	bytes message;
	gss_ctx_id_t peer = GSS_C_NO_CONTEXT;
	bool peer_tried = false;
};

const char *stack_calls[] = {
	"kgss_import_lucid_v1", "kgss_import_downcall", "kgss_wrap",     "kgss_unwrap",     "kgss_get_mic",
	"kgss_verify_mic",      "kgss_wrap_iov_length", "kgss_wrap_iov", "kgss_unwrap_iov", "kgss_get_mic_iov",
	"kgss_verify_mic_iov",  "kgss_ctx_free",
};

int verify(const std::string &dir, const std::string &console, const std::vector<std::string> &backends,
	   long stack_limit, const std::vector<std::string> &contexts)
{
	std::string err;
	if (!kmit::mit_env_load("", &err)) {
		// The KRB5 environment is only needed for the config; importing a
		// context needs no KDC.  Go on without it.
		fprintf(stderr, "ktest_host: note: %s\n", err.c_str());
	}
	std::map<std::string, vcase> cases;
	std::vector<std::string> order;
	{
		std::ifstream in(dir + "/cases.txt");
		std::string line;
		for (int n = 0; in && std::getline(in, line) && n < 10000; n++) {
			std::istringstream ls(line);
			vcase c;
			int init = 0, mutual = 0;
			std::string mh;
			if (!(ls >> c.id >> c.enctype >> c.protocol >> init >> mutual >> mh) ||
			    !unhex(mh, &c.message)) {
				fail(dir + "/cases.txt: bad line: " + line);
				return 1;
			}
			order.push_back(c.id);
			cases[c.id] = c;
		}
		if (cases.empty()) {
			fail("no cases in " + dir + "/cases.txt");
			return 1;
		}
	}
	std::ifstream in(console);
	if (!in) {
		fail("cannot open console log " + console);
		return 1;
	}
	std::set<std::string> bset(backends.begin(), backends.end());
	std::set<std::string> seen;
	std::map<int, std::map<std::string, int>> verified; // enctype -> backend -> tokens
	std::map<std::string, std::string> stack;
	std::map<std::string, int> context_runs; // "backend where" -> runs
	std::vector<std::string> counts;
	int nfail_lines = 0, nresult = 0, ntokens = 0;
	std::string line;
	for (long n = 0; std::getline(in, line) && n < 10000000; n++) {
		while (!line.empty() && (line.back() == '\r' || line.back() == '\n'))
			line.pop_back();
		size_t at = line.find("KGSS-");
		if (at == std::string::npos)
			continue;
		line = line.substr(at);
		std::vector<std::string> f = split(line, ' ');
		if (f.empty())
			continue;
		if (f[0] == "KGSS-FAIL") {
			nfail_lines++;
			fail("console: " + line);
		} else if (f[0] == "KGSS-STACK" && f.size() == 3) {
			stack[f[1]] = f[2];
		} else if (f[0] == "KGSS-COUNT" || f[0] == "KGSS-BACKEND" || f[0] == "KGSS-STACK-BY") {
			counts.push_back(line);
		} else if (f[0] == "KGSS-CONTEXT") {
			counts.push_back(line);
			if (f.size() >= 5 && f[3].rfind("runs=", 0) == 0)
				context_runs[f[1] + " " + f[2]] = atoi(f[3].c_str() + 5);
		} else if (f[0] == "KGSS-RESULT") {
			nresult++;
			printf("%s\n", line.c_str());
			std::string want = "backends=";
			for (size_t i = 0; i < backends.size(); i++)
				want += (i ? "," : "") + backends[i];
			if (f.size() != 4 || f[2] != "fail=0" || f[3] != want || f[1] == "pass=0")
				fail("result line: " + line + " (want fail=0, pass>0, " + want + ")");
		} else if (f[0] == "KGSS-TOKEN") {
			if (f.size() != 6) {
				fail("malformed token line (cut by the console?): " + line.substr(0, 120));
				continue;
			}
			ntokens++;
			const std::string &cid = f[1], &imp = f[2], &be = f[3], &kind = f[4];
			auto it = cases.find(cid);
			if (it == cases.end()) {
				fail("token for an unknown case: " + cid);
				continue;
			}
			vcase &c = it->second;
			std::vector<std::string> kinds = kernel_kinds(c.protocol);
			bool kind_ok = false;
			for (auto &k : kinds)
				kind_ok = kind_ok || k == kind;
			if ((imp != "lucid" && imp != "downcall") || !bset.count(be) || !kind_ok) {
				fail("unexpected token line: " + line.substr(0, 120));
				continue;
			}
			std::string key = cid + " " + imp + " " + be + " " + kind;
			if (!seen.insert(key).second) {
				fail("token printed twice: " + key);
				continue;
			}
			bytes tok;
			if (!unhex(f[5], &tok)) {
				fail("bad hex: " + key);
				continue;
			}
			if (!c.peer_tried) {
				c.peer_tried = true;
				bytes blob;
				if (!read_file(dir + "/peer-" + c.id + ".ctx", &blob)) {
					fail(c.id + ": cannot read the saved peer");
				} else {
					OM_uint32 min = 0;
					gss_buffer_desc b = {blob.size(), blob.data()};
					OM_uint32 maj = gss_import_sec_context(&min, &b, &c.peer);
					if (GSS_ERROR(maj))
						fail(c.id +
						     ": gss_import_sec_context: " + kmit::mit_status_string(maj, min));
				}
			}
			if (c.peer == GSS_C_NO_CONTEXT) {
				fail(key + ": no peer");
				continue;
			}
			kmit::mit_result r;
			bool ok;
			if (kind == "mic" || kind == "mic-iov") {
				r = kmit::mit_verify_mic(c.peer, c.message, tok);
				ok = r.ok();
			} else {
				r = kmit::mit_unwrap(c.peer, tok);
				bool conf = kind.find("conf") != std::string::npos;
				ok = r.ok() && r.out == c.message && r.conf_state == (conf ? 1 : 0);
			}
			if (!ok) {
				fail("MIT rejects " + key + ": " + kmit::mit_status_string(r.major, r.minor));
				continue;
			}
			verified[c.enctype][be]++;
		}
	}
	if (nresult != 1)
		fail("expected exactly one KGSS-RESULT line, found " + std::to_string(nresult));

	// every token that must be there
	int missing = 0;
	for (const std::string &id : order) {
		const vcase &c = cases[id];
		for (const char *imp : {"lucid", "downcall"})
			for (const std::string &be : backends)
				for (const std::string &k : kernel_kinds(c.protocol)) {
					std::string key = id + " " + imp + " " + be + " " + k;
					if (!seen.count(key)) {
						if (missing++ < 20)
							fail("missing token: " + key);
					}
				}
	}
	if (missing)
		fail(std::to_string(missing) + " expected tokens missing");

	// stack
	for (const char *call : stack_calls) {
		auto it = stack.find(call);
		if (it == stack.end()) {
			fail(std::string("no KGSS-STACK line for ") + call);
			continue;
		}
		if (it->second == "n/a") {
			if (stack_limit > 0)
				fail(std::string("stack of ") + call + " not measured");
			continue;
		}
		char *end = nullptr;
		long v = strtol(it->second.c_str(), &end, 10);
		if (!end || *end || v <= 0)
			fail(std::string("bad stack figure for ") + call + ": " + it->second);
		else if (stack_limit > 0 && v > stack_limit)
			fail(std::string("stack of ") + call + " " + it->second + " > limit " +
			     std::to_string(stack_limit));
	}

	// softirq / hard-IRQ runs, when asked for
	for (const std::string &where : contexts)
		for (const std::string &be : backends) {
			auto it = context_runs.find(be + " " + where);
			if (it == context_runs.end() || it->second <= 0)
				fail("no " + where + " runs for backend " + be);
			else if (it->second != (int)(sizeof kmit::mit_all_enctypes / sizeof kmit::mit_all_enctypes[0]))
				fail(where + " runs for backend " + be + ": " + std::to_string(it->second) +
				     ", want one per enctype");
		}

	for (auto &s : counts)
		printf("%s\n", s.c_str());
	printf("stack (bytes below the caller, deepest call of each kind):\n");
	for (const char *call : stack_calls)
		printf("  %-22s %s\n", call, stack.count(call) ? stack[call].c_str() : "missing");
	printf("tokens MIT verified (enctype x backend), of %d printed:\n  %-28s", ntokens, "enctype");
	for (auto &b : backends)
		printf(" %10s", b.c_str());
	printf("\n");
	int total = 0;
	for (int e : kmit::mit_all_enctypes) {
		printf("  %-28s", (std::to_string(e) + " " + kmit::mit_enctype_name(e)).c_str());
		for (auto &b : backends) {
			int n = verified[e][b];
			total += n;
			printf(" %10d", n);
		}
		printf("\n");
	}
	printf("verify: %d tokens verified by MIT, %d missing, %d KGSS-FAIL lines: %s\n", total, missing, nfail_lines,
	       g_failed ? "FAIL" : "PASS");
	for (auto &kv : cases) {
		OM_uint32 m;
		if (kv.second.peer != GSS_C_NO_CONTEXT)
			gss_delete_sec_context(&m, &kv.second.peer, GSS_C_NO_BUFFER);
	}
	return g_failed ? 1 : 0;
}

int usage()
{
	fprintf(stderr, "usage: ktest_host prepare --out DIR [--vectors FILE]\n"
			"       ktest_host verify --in DIR --console LOG [--backends a,b,c] [--stack-limit BYTES]\n"
			"                         [--contexts softirq,hardirq,hardirq-in-fpu]\n");
	return 2;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	std::string cmd = argv[1], dir, console, vectors = KTEST_VECTOR_FILE, backends = "default,builtin,linux";
	std::string contexts;
	long stack_limit = 0;
	for (int i = 2; i < argc; i++) {
		std::string a = argv[i];
		if (i + 1 >= argc)
			return usage();
		std::string v = argv[++i];
		if (a == "--out" || a == "--in")
			dir = v;
		else if (a == "--console")
			console = v;
		else if (a == "--vectors")
			vectors = v;
		else if (a == "--backends")
			backends = v;
		else if (a == "--stack-limit")
			stack_limit = atol(v.c_str());
		else if (a == "--contexts")
			contexts = v;
		else
			return usage();
	}
	if (dir.empty())
		return usage();
	if (cmd == "prepare")
		return prepare(dir, vectors);
	if (cmd == "verify") {
		if (console.empty())
			return usage();
		return verify(dir, console, split(backends, ','), stack_limit, split(contexts, ','));
	}
	return usage();
}
