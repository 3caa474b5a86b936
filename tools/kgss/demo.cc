// tools/kgss/demo.cc - `kgss demo`: the end-to-end demonstration.
//
// Starts a throwaway MIT KDC on 127.0.0.1 (scripts/kdc.sh start <tmpdir>),
// and for every enctype x libkgss role x mutual on/off x crypto backend x
// import path (lucid v1 struct, Linux downcall buffer, libkgss serialization)
// establishes a real MIT krb5 context pair, imports the exported side into
// libkgss, keeps the other as a live MIT peer and exchanges tokens both ways:
//   MIT gss_wrap (conf, integ) / gss_get_mic  -> kgss_unwrap / kgss_verify_mic
//   kgss_wrap (conf, integ) / kgss_get_mic    -> MIT gss_unwrap / gss_verify_mic
// over three messages, and finally checks that a tampered MIT token is
// rejected with BAD_SIG.  The KDC is always stopped at exit (also on failure
// and on SIGINT / SIGTERM / SIGHUP) unless --keep-kdc.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "kgss.h"
#include "kgss_user.h"
#include "tools/kgss/commands.h"
#include "tools/kgss/util.h"
#include "tools/mit/mit_peer.h"

#ifndef KGSS_SOURCE_DIR
#define KGSS_SOURCE_DIR ""
#endif

namespace kcli {

namespace {

const char *const k_help =
	"usage: kgss demo [--backend builtin|openssl|all] [--enctype N]... [--keep-kdc] [--quiet]\n"
	"                 [--save-tokens DIR]\n"
	"\n"
	"The end-to-end demonstration of libkgss against real MIT krb5:\n"
	"  1. starts a throwaway MIT KDC on 127.0.0.1 in a temporary directory (scripts/kdc.sh start);\n"
	"  2. for every enctype (16 17 18 19 20 23 24 25 26; 24 only if the KDC can negotiate it) x\n"
	"     libkgss role (initiator / acceptor) x mutual authentication (acceptor subkey) on / off x\n"
	"     crypto backend x import path (lucid v1 struct, Linux downcall buffer via\n"
	"     kgss_lucid_to_downcall, libkgss serialization via kgss_lucid_serialize):\n"
	"     establishes a real MIT context pair, imports one side into libkgss, keeps the other as a\n"
	"     live MIT peer and exchanges messages both ways:\n"
	"       MIT gss_wrap (conf, integ), gss_get_mic  -> kgss_unwrap, kgss_verify_mic\n"
	"       kgss_wrap (conf, integ), kgss_get_mic    -> MIT gss_unwrap, gss_verify_mic\n"
	"     over 3 messages (0, 29 and 1000 bytes) with sequence and replay checking on, then checks that\n"
	"     a tampered MIT token is rejected (BAD_SIG): 19 operations per case;\n"
	"  3. prints one table row per case and a TOTAL line; stops the KDC (also on failure or signal).\n"
	"\n"
	"  --backend B   builtin, openssl or all (default: all that this build has)\n"
	"  --enctype N   run only this enctype (repeatable)\n"
	"  --keep-kdc    leave the KDC running and its directory in place (prints how to stop it)\n"
	"  --quiet       print failed rows and the TOTAL line only\n"
	"  --save-tokens DIR\n"
	"                also keep tokens to decode later with `kgss inspect`: for each enctype, one more\n"
	"                case (libkgss the acceptor, mutual, lucid import, builtin backend) whose MIT\n"
	"                initiator's tokens are written into DIR (created if missing) as hex text:\n"
	"                  <N>-<name>-wrap-conf.hex   gss_wrap, sealed (krb5p)\n"
	"                  <N>-<name>-wrap-integ.hex  gss_wrap, integrity only (krb5i)\n"
	"                  <N>-<name>-mic.hex         gss_get_mic over the message\n"
	"                  <N>-<name>-message.txt     the message of all three (no newline)\n"
	"                  <N>-<name>.ctx             the receiving (acceptor) libkgss context,\n"
	"                                             kgss_lucid_serialize of the exported lucid\n"
	"                libkgss verifies each token before it is written.  The .ctx files (mode 0600)\n"
	"                HOLD THE SESSION KEY: a throwaway key of the demo's own KDC, but a key; delete\n"
	"                DIR when done.  Then, e.g.:\n"
	"                  kgss inspect DIR/18-aes256-cts-hmac-sha1-96-wrap-conf.hex \\\n"
	"                               --lucid-file DIR/18-aes256-cts-hmac-sha1-96.ctx\n"
	"                  kgss inspect DIR/18-aes256-cts-hmac-sha1-96-mic.hex \\\n"
	"                               --lucid-file DIR/18-aes256-cts-hmac-sha1-96.ctx \\\n"
	"                               --message-file DIR/18-aes256-cts-hmac-sha1-96-message.txt\n"
	"\n"
	"Needs the Debian packages krb5-kdc, krb5-admin-server and krb5-user (the KDC) and a free\n"
	"127.0.0.1 port.  Runs as any user; on Debian 12 it takes a few seconds.\n"
	"\n"
	"exit codes: 0 every case passed; 1 a case failed; 2 usage error; 3 environment error (KDC\n"
	"            packages missing, KDC did not start, backend not built)\n";

// ---- the KDC's lifetime ---------------------------------------------------------
// Prepared before the KDC starts so that the signal handler only calls
// async-signal-safe functions (fork, execv, waitpid, _exit).
struct kdc_state {
	std::string script, dir;
	bool started = false, keep = false, stopped = false;
	char *stop_argv[5] = {nullptr, nullptr, nullptr, nullptr, nullptr};
	char *rm_argv[4] = {nullptr, nullptr, nullptr, nullptr};
} g_kdc;

void run_quiet(char *const *argv)
{
	pid_t p = fork();
	if (p == 0) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	if (p > 0) {
		int st;
		while (waitpid(p, &st, 0) < 0 && errno == EINTR) {
		}
	}
}

void kdc_stop_now()
{
	if (!g_kdc.started || g_kdc.stopped || g_kdc.keep)
		return;
	g_kdc.stopped = true;
	run_quiet(g_kdc.stop_argv);
	run_quiet(g_kdc.rm_argv);
}

void on_signal(int sig)
{
	kdc_stop_now();
	signal(sig, SIG_DFL);
	raise(sig);
}

void at_exit() { kdc_stop_now(); }

// Runs argv, capturing stdout+stderr; returns the exit status (or -1).
int run_capture(const std::vector<std::string> &args, std::string *output)
{
	int pfd[2];
	if (pipe(pfd) != 0)
		return -1;
	std::vector<char *> av;
	for (const auto &s : args)
		av.push_back(const_cast<char *>(s.c_str()));
	av.push_back(nullptr);
	pid_t p = fork();
	if (p < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (p == 0) {
		close(pfd[0]);
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		close(pfd[1]);
		execv(av[0], av.data());
		fprintf(stderr, "cannot execute %s: %s\n", av[0], strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	char buf[4096];
	for (;;) {
		ssize_t n = read(pfd[0], buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		output->append(buf, (size_t)n);
	}
	close(pfd[0]);
	int st = 0;
	while (waitpid(p, &st, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

std::string find_kdc_script()
{
	std::vector<std::string> cands;
	std::string d = exe_dir();
	if (!d.empty()) {
		// <src>/build/<preset>/tools/kgss/kgss -> <src>/scripts/kdc.sh
		cands.push_back(d + "/../../../../scripts/kdc.sh");
		cands.push_back(d + "/../../../scripts/kdc.sh");
	}
	if (KGSS_SOURCE_DIR[0])
		cands.push_back(std::string(KGSS_SOURCE_DIR) + "/scripts/kdc.sh");
	for (const auto &c : cands)
		if (access(c.c_str(), R_OK) == 0) {
			char buf[4096];
			if (realpath(c.c_str(), buf))
				return buf;
			return c;
		}
	return "";
}

// The KDC tools kdc.sh needs, with the Debian package that has each.
bool check_kdc_packages(std::string *missing)
{
	struct {
		const char *bin, *pkg;
	} need[] = {{"krb5kdc", "krb5-kdc"},
		    {"kdb5_util", "krb5-kdc"},
		    {"kadmin.local", "krb5-admin-server"},
		    {"kinit", "krb5-user"},
		    {"klist", "krb5-user"}};
	std::string pkgs;
	for (auto &n : need) {
		bool found = !find_in_path(n.bin).empty();
		for (const char *dir : {"/usr/sbin/", "/sbin/", "/usr/bin/", "/bin/"})
			if (!found && access((std::string(dir) + n.bin).c_str(), X_OK) == 0)
				found = true;
		if (!found) {
			*missing += std::string(missing->empty() ? "" : ", ") + n.bin + " (package " + n.pkg + ")";
			if (pkgs.find(n.pkg) == std::string::npos)
				pkgs += std::string(" ") + n.pkg;
		}
	}
	if (!missing->empty())
		*missing += "; install with: apt-get install" + pkgs;
	return missing->empty();
}

double now_s()
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

// ---- one case ------------------------------------------------------------------------
enum import_path { IMP_LUCID, IMP_DOWNCALL, IMP_SERIALIZED };
const char *import_name(import_path p)
{
	return p == IMP_LUCID ? "lucid" : p == IMP_DOWNCALL ? "downcall" : "serialized";
}

struct case_result {
	bool ok = false;
	int ops = 0;
	bool subkey = false;
	int protocol = -1;
	std::string err;
};

constexpr int k_ops_per_case = 19;

bool import_ctx(import_path ip, const kgss_lucid_context_v1 *l, const kgss_options &o, ctx_holder *k, std::string *err)
{
	kgss_status st;
	if (ip == IMP_LUCID) {
		st = kgss_import_lucid_v1(l, &o, &k->c);
		if (st != KGSS_S_COMPLETE)
			*err = "kgss_import_lucid_v1: " + status_str(st);
		return st == KGSS_S_COMPLETE;
	}
	const bool ser = ip == IMP_SERIALIZED;
	const char *wname = ser ? "kgss_lucid_serialize" : "kgss_lucid_to_downcall";
	size_t need = 0;
	st = ser ? kgss_lucid_serialize(l, nullptr, &need) : kgss_lucid_to_downcall(l, nullptr, &need);
	if (st != KGSS_S_COMPLETE || need == 0) {
		*err = std::string(wname) + " (size): " + status_str(st);
		return false;
	}
	bytes buf(need);
	size_t len = need;
	st = ser ? kgss_lucid_serialize(l, buf.data(), &len) : kgss_lucid_to_downcall(l, buf.data(), &len);
	if (st != KGSS_S_COMPLETE) {
		*err = std::string(wname) + ": " + status_str(st);
		wipe(buf);
		return false;
	}
	st = ser ? kgss_import_serialized(buf.data(), len, &o, &k->c)
		 : kgss_import_downcall(buf.data(), len, &o, &k->c);
	wipe(buf);
	if (st != KGSS_S_COMPLETE) {
		*err = std::string(ser ? "kgss_import_serialized: " : "kgss_import_downcall: ") + status_str(st);
		return false;
	}
	return true;
}

bool kgss_wrap_tok(kgss_ctx *c, int conf, const bytes &msg, bytes *tok, std::string *err)
{
	size_t tl = 0;
	kgss_status st = kgss_wrap_size(c, conf, msg.size(), &tl);
	if (st != KGSS_S_COMPLETE) {
		*err = "kgss_wrap_size: " + status_str(st);
		return false;
	}
	tok->assign(tl, 0);
	kgss_buffer in = {msg.size(), const_cast<uint8_t *>(msg.data())};
	kgss_buffer out = {tok->size(), tok->data()};
	int cs = -1;
	st = kgss_wrap(c, conf, 0, &in, &cs, &out);
	if (st != KGSS_S_COMPLETE || cs != conf || out.length != tl) {
		*err = "kgss_wrap(conf=" + std::to_string(conf) + "): " + status_str(st) +
		       (st == KGSS_S_COMPLETE ? " but conf_state / length is wrong" : "");
		return false;
	}
	return true;
}

case_result run_case(int et, bool kgss_init, bool mutual, const std::string &backend, import_path ip, uint64_t *seed)
{
	case_result r;
	kmit::mit_pair p;
	std::string err;
	if (!kmit::mit_establish(et, mutual, kgss_init, &p, &err)) {
		r.err = "MIT: " + err;
		return r;
	}
	const kgss_lucid_context_v1 *l = kmit::mit_lucid_kgss(p);
	r.protocol = (int)l->protocol;
	r.subkey = l->protocol == 1 && l->cfx_kd.have_acceptor_subkey;
	kgss_options o;
	if (!backend_options(backend, &o, &err)) {
		r.err = err;
		return r;
	}
	// The downcall buffer carries no receive sequence number: replay detection only.
	o.flags = ip == IMP_DOWNCALL ? KGSS_OPT_REPLAY_DETECT : KGSS_OPT_REPLAY_DETECT | KGSS_OPT_SEQUENCE_DETECT;
	ctx_holder k;
	if (!import_ctx(ip, l, o, &k, &r.err))
		return r;
	kgss_ctx_info info;
	memset(&info, 0, sizeof info);
	kgss_status st = kgss_ctx_inquire(k.c, &info);
	if (st != KGSS_S_COMPLETE || info.enctype != et || (info.initiator != 0) != kgss_init ||
	    (info.acceptor_subkey != 0) != r.subkey || info.protocol != l->protocol) {
		r.err = "kgss_ctx_inquire disagrees with the lucid context: " + status_str(st);
		return r;
	}

	// three messages: empty, text, 1000 random bytes
	std::vector<bytes> msgs;
	msgs.emplace_back();
	const char *text = "libkgss <-> MIT krb5 interop";
	msgs.emplace_back(text, text + strlen(text));
	bytes big(1000);
	for (auto &b : big) {
		*seed = *seed * 6364136223846793005ull + 1442695040888963407ull;
		b = (uint8_t)(*seed >> 56);
	}
	msgs.push_back(big);

	auto fail = [&](const std::string &what) {
		r.err = what;
		return r;
	};
	for (const bytes &msg : msgs) {
		const std::string sz = " (" + std::to_string(msg.size()) + "-byte message)";
		// MIT -> libkgss
		for (int conf = 1; conf >= 0; conf--) {
			kmit::mit_result w = kmit::mit_wrap(p.peer, conf, msg);
			if (w.major != GSS_S_COMPLETE)
				return fail("MIT gss_wrap: " + kmit::mit_status_string(w.major, w.minor));
			bytes out(w.out.size() + 1);
			kgss_buffer in = {w.out.size(), w.out.data()};
			kgss_buffer ob = {out.size(), out.data()};
			int cs = -1;
			uint32_t qop = 9;
			st = kgss_unwrap(k.c, &in, &ob, &cs, &qop);
			if (st != KGSS_S_COMPLETE)
				return fail("kgss_unwrap of MIT gss_wrap(conf=" + std::to_string(conf) + ")" + sz +
					    ": " + status_str(st));
			if (ob.length != msg.size() ||
			    (msg.size() && memcmp(out.data(), msg.data(), msg.size()) != 0) || cs != conf || qop != 0)
				return fail("kgss_unwrap of MIT gss_wrap(conf=" + std::to_string(conf) + ")" + sz +
					    ": wrong plaintext / conf_state / qop");
			r.ops++;
		}
		{
			kmit::mit_result m = kmit::mit_get_mic(p.peer, msg);
			if (m.major != GSS_S_COMPLETE)
				return fail("MIT gss_get_mic: " + kmit::mit_status_string(m.major, m.minor));
			kgss_buffer mb = {msg.size(), const_cast<uint8_t *>(msg.data())};
			kgss_buffer tb = {m.out.size(), m.out.data()};
			st = kgss_verify_mic(k.c, &mb, &tb, nullptr);
			if (st != KGSS_S_COMPLETE)
				return fail("kgss_verify_mic of MIT gss_get_mic" + sz + ": " + status_str(st));
			r.ops++;
		}
		// libkgss -> MIT
		for (int conf = 1; conf >= 0; conf--) {
			bytes tok;
			if (!kgss_wrap_tok(k.c, conf, msg, &tok, &err))
				return fail(err + sz);
			kmit::mit_result u = kmit::mit_unwrap(p.peer, tok);
			if (u.major != GSS_S_COMPLETE)
				return fail("MIT gss_unwrap of kgss_wrap(conf=" + std::to_string(conf) + ")" + sz +
					    ": " + kmit::mit_status_string(u.major, u.minor));
			if (u.out != msg || u.conf_state != conf)
				return fail("MIT gss_unwrap of kgss_wrap(conf=" + std::to_string(conf) + ")" + sz +
					    ": wrong plaintext / conf_state");
			r.ops++;
		}
		{
			size_t tl = 0;
			st = kgss_mic_size(k.c, msg.size(), &tl);
			if (st != KGSS_S_COMPLETE)
				return fail("kgss_mic_size: " + status_str(st));
			bytes tok(tl);
			kgss_buffer mb = {msg.size(), const_cast<uint8_t *>(msg.data())};
			kgss_buffer tb = {tok.size(), tok.data()};
			st = kgss_get_mic(k.c, 0, &mb, &tb);
			if (st != KGSS_S_COMPLETE)
				return fail("kgss_get_mic" + sz + ": " + status_str(st));
			tok.resize(tb.length);
			kmit::mit_result v = kmit::mit_verify_mic(p.peer, msg, tok);
			if (v.major != GSS_S_COMPLETE)
				return fail("MIT gss_verify_mic of kgss_get_mic" + sz + ": " +
					    kmit::mit_status_string(v.major, v.minor));
			r.ops++;
		}
	}
	// a tampered MIT token must be rejected with BAD_SIG and no plaintext
	{
		kmit::mit_result w = kmit::mit_wrap(p.peer, 1, msgs[1]);
		if (w.major != GSS_S_COMPLETE)
			return fail("MIT gss_wrap: " + kmit::mit_status_string(w.major, w.minor));
		w.out[w.out.size() - 3] ^= 0x20;
		bytes out(w.out.size() + 1, 0xAA);
		kgss_buffer in = {w.out.size(), w.out.data()};
		kgss_buffer ob = {out.size(), out.data()};
		st = kgss_unwrap(k.c, &in, &ob, nullptr, nullptr);
		if (st != KGSS_S_BAD_SIG || ob.length != 0)
			return fail("tampered MIT token: expected BAD_SIG without plaintext, got " + status_str(st));
		r.ops++;
	}
	r.ok = r.ops == k_ops_per_case;
	if (!r.ok)
		r.err = "internal: " + std::to_string(r.ops) + " operations counted";
	return r;
}

// ---- --save-tokens -----------------------------------------------------------------
// One more case per enctype (libkgss the acceptor, mutual, lucid import,
// builtin backend): the MIT initiator's sealed Wrap, integrity-only Wrap and
// MIC over one message, verified by libkgss, written as hex text next to the
// message and the acceptor's serialized context.  `kgss inspect` decodes them.
struct saved_files {
	std::string wrap_conf, wrap_integ, mic, message, ctx;
};

std::string save_base(const std::string &dir, int et)
{
	return dir + "/" + std::to_string(et) + "-" + enctype_lookup(et)->name;
}

bool save_hex(const std::string &path, const bytes &b, std::string *err)
{
	std::string h = hex_encode(b) + "\n";
	return write_file(path, reinterpret_cast<const uint8_t *>(h.data()), h.size(), err);
}

// Returns EXIT_OK, EXIT_VERIFY (libkgss / MIT disagreed) or EXIT_ENV (MIT, files).
int save_tokens(int et, const std::string &dir, saved_files *sf, std::string *err)
{
	kmit::mit_pair p;
	if (!kmit::mit_establish(et, true, false, &p, err)) {
		*err = "MIT: " + *err;
		return EXIT_ENV;
	}
	const kgss_lucid_context_v1 *l = kmit::mit_lucid_kgss(p);
	// the receiving side's serialization, written from the lucid before (and
	// independently of) the import below
	size_t need = 0;
	kgss_status st = kgss_lucid_serialize(l, nullptr, &need);
	if (st != KGSS_S_COMPLETE || need == 0) {
		*err = "kgss_lucid_serialize (size): " + status_str(st);
		return st == KGSS_S_UNAVAILABLE ? EXIT_ENV : EXIT_VERIFY;
	}
	bytes ser(need);
	size_t len = need;
	st = kgss_lucid_serialize(l, ser.data(), &len);
	ser.resize(len);
	if (st != KGSS_S_COMPLETE) {
		wipe(ser);
		*err = "kgss_lucid_serialize: " + status_str(st);
		return EXIT_VERIFY;
	}
	kgss_options o;
	if (!backend_options("builtin", &o, err)) {
		wipe(ser);
		return EXIT_ENV;
	}
	o.flags = KGSS_OPT_REPLAY_DETECT | KGSS_OPT_SEQUENCE_DETECT;
	ctx_holder k;
	std::string ierr;
	if (!import_ctx(IMP_LUCID, l, o, &k, &ierr)) {
		wipe(ser);
		*err = ierr;
		return EXIT_VERIFY;
	}
	const std::string text =
		std::string("libkgss demo: a message from the MIT initiator, ") + enctype_lookup(et)->name;
	const bytes msg(text.begin(), text.end());
	bytes toks[3];
	for (int i = 0; i < 3; i++) {
		kmit::mit_result r = i == 2 ? kmit::mit_get_mic(p.peer, msg) : kmit::mit_wrap(p.peer, i == 0, msg);
		if (r.major != GSS_S_COMPLETE) {
			wipe(ser);
			*err = std::string(i == 2 ? "MIT gss_get_mic: " : "MIT gss_wrap: ") +
			       kmit::mit_status_string(r.major, r.minor);
			return EXIT_ENV;
		}
		toks[i].assign(r.out.begin(), r.out.end());
		kgss_buffer in = {toks[i].size(), toks[i].data()};
		if (i == 2) {
			kgss_buffer mb = {msg.size(), const_cast<uint8_t *>(msg.data())};
			st = kgss_verify_mic(k.c, &mb, &in, nullptr);
		} else {
			bytes out(toks[i].size() + 1);
			kgss_buffer ob = {out.size(), out.data()};
			int cs = -1;
			st = kgss_unwrap(k.c, &in, &ob, &cs, nullptr);
			if (st == KGSS_S_COMPLETE &&
			    (ob.length != msg.size() || memcmp(out.data(), msg.data(), msg.size()) != 0 ||
			     cs != (i == 0)))
				st = KGSS_S_FAILURE;
		}
		if (st != KGSS_S_COMPLETE) {
			wipe(ser);
			*err = std::string(i == 2 ? "kgss_verify_mic" : "kgss_unwrap") +
			       " of the token to save: " + status_str(st);
			return EXIT_VERIFY;
		}
	}
	const std::string base = save_base(dir, et);
	sf->wrap_conf = base + "-wrap-conf.hex";
	sf->wrap_integ = base + "-wrap-integ.hex";
	sf->mic = base + "-mic.hex";
	sf->message = base + "-message.txt";
	sf->ctx = base + ".ctx";
	bool ok = write_file(sf->ctx, ser.data(), ser.size(), err) && save_hex(sf->wrap_conf, toks[0], err) &&
		  save_hex(sf->wrap_integ, toks[1], err) && save_hex(sf->mic, toks[2], err) &&
		  write_file(sf->message, msg.data(), msg.size(), err);
	wipe(ser);
	return ok ? EXIT_OK : EXIT_ENV;
}

} // namespace

int cmd_demo(int argc, char **argv)
{
	opt_reader rd("demo", argc, argv);
	std::string a, v, backend = "all", save_dir;
	std::vector<int> only;
	bool quiet = false;
	while (rd.next(&a)) {
		const std::string &n = rd.name;
		if (n == "--help") {
			fputs(k_help, stdout);
			return EXIT_OK;
		} else if (n == "--backend") {
			if (!rd.value(&backend))
				return EXIT_USAGE;
			if (backend != "builtin" && backend != "openssl" && backend != "all") {
				fprintf(stderr, "kgss demo: --backend must be builtin, openssl or all, not '%s'\n",
					backend.c_str());
				return EXIT_USAGE;
			}
		} else if (n == "--enctype") {
			long e;
			if (!rd.value(&v))
				return EXIT_USAGE;
			if (!parse_int(v, 1, 1000, &e) || e == 6 || !enctype_lookup((int)e)) {
				fprintf(stderr,
					"kgss demo: --enctype: unknown enctype '%s' (16 17 18 19 20 23 24 25 26)\n",
					v.c_str());
				return EXIT_USAGE;
			}
			only.push_back((int)e);
		} else if (n == "--keep-kdc") {
			if (!rd.no_value())
				return EXIT_USAGE;
			g_kdc.keep = true;
		} else if (n == "--quiet") {
			if (!rd.no_value())
				return EXIT_USAGE;
			quiet = true;
		} else if (n == "--save-tokens") {
			if (!rd.value(&save_dir))
				return EXIT_USAGE;
			if (save_dir.empty()) {
				fprintf(stderr, "kgss demo: --save-tokens needs a directory\n");
				return EXIT_USAGE;
			}
		} else if (!n.empty()) {
			return rd.unknown(a);
		} else {
			fprintf(stderr, "kgss demo: unexpected argument '%s' (see kgss demo --help)\n", a.c_str());
			return EXIT_USAGE;
		}
	}
	std::vector<std::string> backends;
	if (backend == "all" || backend == "builtin")
		backends.push_back("builtin");
	if (backend == "all" || backend == "openssl") {
		if (have_openssl()) {
			backends.push_back("openssl");
		} else if (backend == "openssl") {
			fprintf(stderr,
				"kgss demo: this kgss was built without libkgss_openssl (install libssl-dev and "
				"configure with -DKGSS_BUILD_OPENSSL=ON)\n");
			return EXIT_ENV;
		} else {
			printf("note: the OpenSSL backend is not built into this kgss; running the builtin backend "
			       "only\n");
		}
	}
	if (!save_dir.empty()) {
		while (save_dir.size() > 1 && save_dir.back() == '/')
			save_dir.pop_back();
		if (mkdir(save_dir.c_str(), 0700) != 0 && errno != EEXIST) {
			fprintf(stderr, "kgss demo: --save-tokens: cannot create '%s': %s\n", save_dir.c_str(),
				strerror(errno));
			return EXIT_ENV;
		}
		struct stat sb;
		if (stat(save_dir.c_str(), &sb) != 0 || !S_ISDIR(sb.st_mode) || access(save_dir.c_str(), W_OK) != 0) {
			fprintf(stderr, "kgss demo: --save-tokens: '%s' is not a writable directory\n",
				save_dir.c_str());
			return EXIT_ENV;
		}
	}
	const double t0 = now_s();

	// ---- the KDC ----
	std::string missing;
	if (!check_kdc_packages(&missing)) {
		fprintf(stderr, "kgss demo: the loopback KDC needs MIT krb5 server tools; missing: %s\n",
			missing.c_str());
		return EXIT_ENV;
	}
	g_kdc.script = find_kdc_script();
	if (g_kdc.script.empty()) {
		fprintf(stderr,
			"kgss demo: cannot find scripts/kdc.sh (looked next to the executable's build tree and in "
			"%s)\n",
			KGSS_SOURCE_DIR[0] ? KGSS_SOURCE_DIR : "(no source dir compiled in)");
		return EXIT_ENV;
	}
	char tmpl[] = "/tmp/kgss-demo.XXXXXX";
	if (!mkdtemp(tmpl)) {
		fprintf(stderr, "kgss demo: cannot create a temporary directory: %s\n", strerror(errno));
		return EXIT_ENV;
	}
	g_kdc.dir = tmpl;
	static std::string sh = "/bin/sh", stop = "stop", rm = "/bin/rm", rf = "-rf";
	g_kdc.stop_argv[0] = &sh[0];
	g_kdc.stop_argv[1] = &g_kdc.script[0];
	g_kdc.stop_argv[2] = &stop[0];
	g_kdc.stop_argv[3] = &g_kdc.dir[0];
	g_kdc.rm_argv[0] = &rm[0];
	g_kdc.rm_argv[1] = &rf[0];
	g_kdc.rm_argv[2] = &g_kdc.dir[0];
	g_kdc.started = true; // from here on the directory (and maybe a KDC) must be cleaned up
	atexit(at_exit);
	for (int s : {SIGINT, SIGTERM, SIGHUP})
		signal(s, on_signal);

	printf("kgss demo: starting a throwaway MIT KDC on 127.0.0.1 (%s start %s)\n", g_kdc.script.c_str(),
	       g_kdc.dir.c_str());
	fflush(stdout);
	std::string out;
	int rc = run_capture({"/bin/sh", g_kdc.script, "start", g_kdc.dir}, &out);
	if (rc != 0) {
		fprintf(stderr, "kgss demo: the KDC did not start (kdc.sh exit %d):\n%s", rc, out.c_str());
		if (out.find("port") != std::string::npos)
			fprintf(stderr, "kgss demo: no free 127.0.0.1 port could be bound; free one or retry\n");
		kdc_stop_now();
		return EXIT_ENV;
	}
	std::string err;
	const std::string env = g_kdc.dir + "/env";
	if (!kmit::mit_env_load(env, &err)) {
		fprintf(stderr, "kgss demo: %s\n", err.c_str());
		kdc_stop_now();
		return EXIT_ENV;
	}
	printf("kgss demo: KDC for realm %s on 127.0.0.1:%d (pid %d), %.1f s\n", kmit::mit_env_get()->realm.c_str(),
	       kmit::mit_env_get()->kdc_port, kmit::mit_env_get()->kdc_pid, now_s() - t0);

	// ---- enctypes; 24 only if the KDC can do it ----
	std::vector<int> enctypes;
	std::string note24;
	for (int e : k_all_enctypes) {
		if (!only.empty() && std::find(only.begin(), only.end(), e) == only.end())
			continue;
		if (e == 24) {
			kmit::mit_pair probe;
			if (!kmit::mit_establish(24, true, true, &probe, &err)) {
				note24 = "enctype 24 (arcfour-hmac-exp) not run: this KDC cannot negotiate it: " + err;
				printf("note: %s\n", note24.c_str());
				continue;
			}
		}
		enctypes.push_back(e);
	}

	printf("\n%-30s %-8s %-9s %-6s %-6s %-10s %-7s %-5s %s%s\n", "enctype", "protocol", "role", "mutual", "subkey",
	       "import", "backend", "ops", "result", quiet ? "   (--quiet: failed rows only)" : "");
	printf("%s\n", std::string(95, '-').c_str());
	fflush(stdout);
	int cases = 0, passed = 0;
	long ops = 0;
	uint64_t seed = 0;
	if (getrandom(&seed, sizeof seed, 0) != (ssize_t)sizeof seed)
		seed = (uint64_t)time(nullptr);
	std::vector<std::string> failures;
	for (int e : enctypes) {
		const enctype_facts *f = enctype_lookup(e);
		for (int kgss_init = 1; kgss_init >= 0; kgss_init--)
			for (int mutual = 1; mutual >= 0; mutual--)
				for (import_path ip : {IMP_LUCID, IMP_DOWNCALL, IMP_SERIALIZED})
					for (const auto &be : backends) {
						case_result r = run_case(e, kgss_init, mutual, be, ip, &seed);
						cases++;
						ops += r.ops;
						if (r.ok)
							passed++;
						std::string et = std::to_string(e) + " " + f->name;
						const char *subkey = r.protocol == 0  ? "n/a"
								     : r.protocol < 0 ? "?"
								     : r.subkey       ? "yes"
										      : "no";
						if (!quiet || !r.ok) {
							printf("%-30s %-8s %-9s %-6s %-6s %-10s %-7s %2d/%-2d %s\n",
							       et.c_str(), f->protocol ? "RFC4121" : "RFC1964",
							       kgss_init ? "initiator" : "acceptor",
							       mutual ? "on" : "off", subkey, import_name(ip),
							       be.c_str(), r.ops, k_ops_per_case,
							       r.ok ? "PASS" : "FAIL");
							if (!r.ok)
								printf("    ! %s\n", r.err.c_str());
							fflush(stdout);
						}
						if (!r.ok)
							failures.push_back(et + " " +
									   (kgss_init ? "initiator" : "acceptor") +
									   (mutual ? " mutual " : " ") +
									   import_name(ip) + " " + be + ": " + r.err);
					}
	}
	printf("%s\n", std::string(95, '-').c_str());
	// ---- --save-tokens: while the KDC still runs ----
	bool saved_ok = true;
	if (!save_dir.empty()) {
		printf("\nsaving tokens into %s (MIT initiator -> libkgss acceptor, mutual, lucid import, builtin "
		       "backend):\n",
		       save_dir.c_str());
		std::string example;
		for (int e : enctypes) {
			saved_files sf;
			std::string serr;
			int src = save_tokens(e, save_dir, &sf, &serr);
			const std::string et = std::to_string(e) + " " + enctype_lookup(e)->name;
			if (src != EXIT_OK) {
				saved_ok = false;
				printf("  %-30s FAIL: %s\n", et.c_str(), serr.c_str());
				failures.push_back(et + " --save-tokens: " + serr);
				continue;
			}
			printf("  %-30s verified by libkgss; saved %s-*\n", et.c_str(), save_base(save_dir, e).c_str());
			if (example.empty() || e == 18)
				example = save_base(save_dir, e);
		}
		if (!example.empty()) {
			std::string self = exe_dir() + "/kgss";
			if (exe_dir().empty())
				self = "kgss";
			printf("the .ctx files (mode 0600) hold the session key of the demo's throwaway KDC: delete %s "
			       "when done\n",
			       save_dir.c_str());
			printf("decode and decrypt a saved token (the .ctx is the receiving side):\n");
			printf("  %s inspect %s-wrap-conf.hex --lucid-file %s.ctx\n", self.c_str(), example.c_str(),
			       example.c_str());
			printf("  %s inspect %s-mic.hex --lucid-file %s.ctx --message-file %s-message.txt\n",
			       self.c_str(), example.c_str(), example.c_str(), example.c_str());
			printf("  %s inspect %s-wrap-integ.hex          (decode only, no key)\n", self.c_str(),
			       example.c_str());
		}
		printf("\n");
	}
	std::string ets;
	for (int e : enctypes)
		ets += (ets.empty() ? "" : " ") + std::to_string(e);
	if (!note24.empty())
		printf("note: %s\n", note24.c_str());
	if (g_kdc.keep)
		printf("KDC left running (--keep-kdc): . %s; stop with: %s stop %s\n", env.c_str(),
		       g_kdc.script.c_str(), g_kdc.dir.c_str());
	else
		kdc_stop_now();
	const bool all_ok = cases > 0 && passed == cases && saved_ok;
	printf("TOTAL: %d/%d cases passed, %ld operations verified (enctypes %s; backends %zu; import paths 3)%s, %.1f "
	       "s: %s\n",
	       passed, cases, ops, ets.c_str(), backends.size(),
	       save_dir.empty() ? ""
	       : saved_ok       ? "; tokens saved"
				: "; SAVING TOKENS FAILED",
	       now_s() - t0, all_ok ? "ALL PASSED" : "FAILED");
	return all_ok ? EXIT_OK : EXIT_VERIFY;
}

} // namespace kcli
