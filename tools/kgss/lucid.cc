// tools/kgss/lucid.cc - `kgss lucid`: establishes a real MIT krb5 context
// pair in this process, exports one side as a lucid context and writes it as
// libkgss's portable serialization (kgss_lucid_serialize) or as the Linux
// downcall buffer (kgss_lucid_to_downcall); optionally writes a token made
// by the live peer for that side.  `kgss describe`: a serialized context
// (or downcall buffer) without its key.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <string>

#include "kgss.h"
#include "kgss_user.h"
#include "tools/kgss/commands.h"
#include "tools/kgss/util.h"
#include "tools/mit/mit_peer.h"

namespace kcli {

namespace {

const char *const k_lucid_help =
	"usage: kgss lucid --role initiator|acceptor --enctype N [--mutual] --out FILE\n"
	"                  [--format serialized|downcall] [--kdc-env FILE | --target NAME]\n"
	"                  [--peer-token-out FILE [--peer-token conf|integ|mic] [--peer-message TEXT]]\n"
	"\n"
	"Establishes a real MIT krb5 GSS-API context pair in this process (initiator and acceptor), exports\n"
	"the side named by --role with gss_krb5_export_lucid_sec_context and writes it to FILE (mode 0600:\n"
	"it holds the session key) in one of two formats:\n"
	"  serialized  libkgss's portable serialization (kgss_lucid_serialize; kgss_import_serialized,\n"
	"              kgss describe, kgss inspect --lucid-file)  [default]\n"
	"  downcall    the buffer rpc.gssd / gss-proxy write to the Linux kernel (kgss_lucid_to_downcall;\n"
	"              kgss_import_downcall)\n"
	"\n"
	"  --role R          the side to export (the other side stays a live MIT peer)\n"
	"  --enctype N       16 17 18 19 20 23 24 25 26 (the only enctype the initiator allows)\n"
	"  --mutual          request mutual authentication (RFC 4121 acceptors then assert an acceptor subkey)\n"
	"  --kdc-env FILE    the env file written by scripts/kdc.sh start DIR (DIR/env): realm, password,\n"
	"                    keytab.  Default: $KGSS_KDC_ENV.  Without either, the ambient environment is\n"
	"                    used: credentials from KRB5CCNAME (kinit first), the acceptor's key from\n"
	"                    KRB5_KTNAME, configuration from KRB5_CONFIG, and --target names the service\n"
	"  --target NAME     ambient mode: the service, as service@host (e.g. nfs@server.example) or a\n"
	"                    principal containing '/' (nfs/server.example@REALM)\n"
	"  --peer-token-out FILE   also write a token the live peer made for the exported side (raw bytes)\n"
	"  --peer-token T          conf (gss_wrap, sealed) [default], integ (gss_wrap without confidentiality)\n"
	"                          or mic (gss_get_mic)\n"
	"  --peer-message TEXT     the message of that token (default: \"hello from the MIT peer\")\n"
	"\n"
	"Example:\n"
	"  kgss lucid --role initiator --enctype 18 --mutual --kdc-env /tmp/kdc/env --out ctx.bin \\\n"
	"             --peer-token-out tok.bin\n"
	"  kgss inspect --file tok.bin --lucid-file ctx.bin\n"
	"\n"
	"exit codes: 0 written; 1 a libkgss writer rejected the context; 2 usage error; 3 environment\n"
	"            error (no KDC / credentials, establishment failed, file not writable)\n";

const char *const k_describe_help =
	"usage: kgss describe FILE\n"
	"\n"
	"Prints a context written by `kgss lucid` without its key material: a libkgss serialization\n"
	"(checked strictly, as kgss_import_serialized would; kgss_serialized_describe) or a Linux downcall\n"
	"buffer (flags, endtime, send_seq, enctype, key length).  FILE '-' reads standard input.\n"
	"\n"
	"exit codes: 0 described; 1 malformed; 2 usage error; 3 unreadable file or unknown enctype\n";

// ---- ambient-mode establishment (no kdc.sh env file) ------------------------------
struct gss_pair {
	gss_ctx_id_t init = GSS_C_NO_CONTEXT, acc = GSS_C_NO_CONTEXT;
	~gss_pair()
	{
		OM_uint32 m;
		if (init != GSS_C_NO_CONTEXT)
			gss_delete_sec_context(&m, &init, GSS_C_NO_BUFFER);
		if (acc != GSS_C_NO_CONTEXT)
			gss_delete_sec_context(&m, &acc, GSS_C_NO_BUFFER);
	}
};

bool gfail(std::string *err, const std::string &what, OM_uint32 maj, OM_uint32 min)
{
	*err = what + ": " + kmit::mit_status_string(maj, min);
	return false;
}

// Initiator credentials from the default ccache, acceptor from the default
// keytab; both in this process.
bool establish_ambient(const std::string &target, int enctype, bool mutual, gss_pair *p, std::string *err)
{
	OM_uint32 maj, min = 0;
	gss_name_t name = GSS_C_NO_NAME;
	gss_buffer_desc nb;
	nb.value = const_cast<char *>(target.c_str());
	nb.length = target.size();
	gss_OID nt = target.find('/') != std::string::npos ? (gss_OID)GSS_KRB5_NT_PRINCIPAL_NAME
							   : (gss_OID)GSS_C_NT_HOSTBASED_SERVICE;
	maj = gss_import_name(&min, &nb, nt, &name);
	if (GSS_ERROR(maj))
		return gfail(err, "gss_import_name(" + target + ")", maj, min);
	gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
	gss_OID_set_desc mechs = {1, const_cast<gss_OID>(gss_mech_krb5)};
	maj = gss_acquire_cred(&min, GSS_C_NO_NAME, GSS_C_INDEFINITE, &mechs, GSS_C_INITIATE, &cred, nullptr, nullptr);
	if (GSS_ERROR(maj)) {
		gss_release_name(&min, &name);
		return gfail(err, "gss_acquire_cred (initiator credentials from KRB5CCNAME; run kinit first)", maj,
			     min);
	}
	krb5_enctype et = enctype;
	maj = gss_krb5_set_allowable_enctypes(&min, cred, 1, &et);
	bool ok = !GSS_ERROR(maj);
	if (!ok)
		gfail(err, "gss_krb5_set_allowable_enctypes", maj, min);
	gss_buffer_desc to_acc = GSS_C_EMPTY_BUFFER, to_init = GSS_C_EMPTY_BUFFER;
	OM_uint32 req = GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG | GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG |
			(mutual ? GSS_C_MUTUAL_FLAG : 0);
	bool idone = false, adone = false;
	for (int round = 1; ok; round++) {
		if (round > 8) {
			*err = "context establishment did not finish in 8 rounds";
			ok = false;
			break;
		}
		maj = gss_init_sec_context(&min, cred, &p->init, name, const_cast<gss_OID>(gss_mech_krb5), req,
					   GSS_C_INDEFINITE, GSS_C_NO_CHANNEL_BINDINGS,
					   round == 1 ? GSS_C_NO_BUFFER : &to_init, nullptr, &to_acc, nullptr, nullptr);
		if (to_init.value)
			gss_release_buffer(&min, &to_init);
		if (GSS_ERROR(maj)) {
			ok = gfail(err, "gss_init_sec_context (target " + target + ")", maj, min);
			break;
		}
		idone = maj == GSS_S_COMPLETE;
		if (to_acc.length == 0) {
			if (!(idone && adone)) {
				*err = "the initiator sent no token while the context was incomplete";
				ok = false;
			}
			break;
		}
		maj = gss_accept_sec_context(&min, &p->acc, GSS_C_NO_CREDENTIAL, &to_acc, GSS_C_NO_CHANNEL_BINDINGS,
					     nullptr, nullptr, &to_init, nullptr, nullptr, nullptr);
		gss_release_buffer(&min, &to_acc);
		if (GSS_ERROR(maj)) {
			ok = gfail(err, "gss_accept_sec_context (acceptor key from KRB5_KTNAME)", maj, min);
			break;
		}
		adone = maj == GSS_S_COMPLETE;
		if (to_init.length == 0) {
			if (!(idone && adone)) {
				*err = "the acceptor sent no token while the context was incomplete";
				ok = false;
			}
			break;
		}
	}
	if (to_acc.value)
		gss_release_buffer(&min, &to_acc);
	if (to_init.value)
		gss_release_buffer(&min, &to_init);
	gss_release_cred(&min, &cred);
	gss_release_name(&min, &name);
	return ok;
}

// What `kgss lucid` works with: the exported lucid and the live peer.
struct established {
	kmit::mit_pair pair;       // env-file mode
	gss_pair amb;              // ambient mode
	void *amb_lucid = nullptr; // ambient mode: exported lucid
	gss_ctx_id_t peer = GSS_C_NO_CONTEXT;
	const kgss_lucid_context_v1 *lucid = nullptr;
	~established()
	{
		OM_uint32 m;
		if (amb_lucid)
			gss_krb5_free_lucid_sec_context(&m, amb_lucid);
	}
};

int write_or_fail(const std::string &path, const bytes &b)
{
	std::string err;
	if (!write_file(path, b.data(), b.size(), &err)) {
		fprintf(stderr, "kgss lucid: %s\n", err.c_str());
		return EXIT_ENV;
	}
	return EXIT_OK;
}

} // namespace

int cmd_lucid(int argc, char **argv)
{
	opt_reader rd("lucid", argc, argv);
	std::string a, v, out, format = "serialized", kdc_env, target, peer_out, peer_kind = "conf",
			       peer_msg = "hello from the MIT peer";
	int role = -1;
	long etype = 0;
	bool mutual = false;
	while (rd.next(&a)) {
		const std::string &n = rd.name;
		if (n == "--help") {
			fputs(k_lucid_help, stdout);
			return EXIT_OK;
		} else if (n == "--role") {
			if (!rd.value(&v))
				return EXIT_USAGE;
			role = v == "initiator" ? 1 : v == "acceptor" ? 0 : -1;
			if (role < 0) {
				fprintf(stderr, "kgss lucid: --role must be initiator or acceptor, not '%s'\n",
					v.c_str());
				return EXIT_USAGE;
			}
		} else if (n == "--enctype") {
			if (!rd.value(&v))
				return EXIT_USAGE;
			if (!parse_int(v, 1, 1000, &etype) || !enctype_lookup((int)etype) || etype == 6) {
				fprintf(stderr,
					"kgss lucid: --enctype: unknown enctype '%s' (16 17 18 19 20 23 24 25 26)\n",
					v.c_str());
				return EXIT_USAGE;
			}
		} else if (n == "--mutual") {
			if (!rd.no_value())
				return EXIT_USAGE;
			mutual = true;
		} else if (n == "--out") {
			if (!rd.value(&out))
				return EXIT_USAGE;
		} else if (n == "--format") {
			if (!rd.value(&format))
				return EXIT_USAGE;
			if (format != "serialized" && format != "downcall") {
				fprintf(stderr, "kgss lucid: --format must be serialized or downcall, not '%s'\n",
					format.c_str());
				return EXIT_USAGE;
			}
		} else if (n == "--kdc-env") {
			if (!rd.value(&kdc_env))
				return EXIT_USAGE;
		} else if (n == "--target") {
			if (!rd.value(&target))
				return EXIT_USAGE;
		} else if (n == "--peer-token-out") {
			if (!rd.value(&peer_out))
				return EXIT_USAGE;
		} else if (n == "--peer-token") {
			if (!rd.value(&peer_kind))
				return EXIT_USAGE;
			if (peer_kind != "conf" && peer_kind != "integ" && peer_kind != "mic") {
				fprintf(stderr, "kgss lucid: --peer-token must be conf, integ or mic, not '%s'\n",
					peer_kind.c_str());
				return EXIT_USAGE;
			}
		} else if (n == "--peer-message") {
			if (!rd.value(&peer_msg))
				return EXIT_USAGE;
		} else if (!n.empty()) {
			return rd.unknown(a);
		} else {
			fprintf(stderr, "kgss lucid: unexpected argument '%s' (see kgss lucid --help)\n", a.c_str());
			return EXIT_USAGE;
		}
	}
	if (role < 0 || etype == 0 || out.empty()) {
		fprintf(stderr, "kgss lucid: --role, --enctype and --out are required (see kgss lucid --help)\n");
		return EXIT_USAGE;
	}
	if (kdc_env.empty()) {
		const char *e = getenv("KGSS_KDC_ENV");
		if (e && *e)
			kdc_env = e;
	}
	if (kdc_env.empty() && target.empty()) {
		fprintf(stderr,
			"kgss lucid: no KDC env file (--kdc-env or $KGSS_KDC_ENV) and no --target for the ambient "
			"Kerberos environment\n");
		return EXIT_USAGE;
	}
	if (!kdc_env.empty() && !target.empty()) {
		fprintf(stderr, "kgss lucid: note: --target %s is used with the env file's user credentials\n",
			target.c_str());
	}

	established est;
	std::string err, source;
	if (!kdc_env.empty()) {
		if (!kmit::mit_env_load(kdc_env, &err)) {
			fprintf(stderr, "kgss lucid: %s\n", err.c_str());
			return EXIT_ENV;
		}
		kmit::mit_establish_opts o;
		o.enctype = (int)etype;
		o.mutual = mutual;
		o.export_initiator = role == 1;
		o.target = target;
		if (!kmit::mit_establish(o, &est.pair, &err)) {
			fprintf(stderr, "kgss lucid: establishing the MIT context pair failed: %s\n", err.c_str());
			return EXIT_ENV;
		}
		est.peer = est.pair.peer;
		est.lucid = kmit::mit_lucid_kgss(est.pair);
		source = "the KDC of " + kdc_env;
	} else {
		if (!establish_ambient(target, (int)etype, mutual, &est.amb, &err)) {
			fprintf(stderr, "kgss lucid: establishing the MIT context pair failed: %s\n", err.c_str());
			return EXIT_ENV;
		}
		OM_uint32 min = 0;
		gss_ctx_id_t *exp = role == 1 ? &est.amb.init : &est.amb.acc;
		OM_uint32 maj = gss_krb5_export_lucid_sec_context(&min, exp, 1, &est.amb_lucid);
		if (GSS_ERROR(maj)) {
			fprintf(stderr, "kgss lucid: gss_krb5_export_lucid_sec_context: %s\n",
				kmit::mit_status_string(maj, min).c_str());
			return EXIT_ENV;
		}
		*exp = GSS_C_NO_CONTEXT;
		est.peer = role == 1 ? est.amb.acc : est.amb.init;
		est.lucid = static_cast<const kgss_lucid_context_v1 *>(est.amb_lucid);
		source = "the ambient Kerberos environment (target " + target + ")";
	}

	// the libkgss writers
	bytes buf;
	size_t need = 0;
	const bool ser = format == "serialized";
	kgss_status st = ser ? kgss_lucid_serialize(est.lucid, nullptr, &need)
			     : kgss_lucid_to_downcall(est.lucid, nullptr, &need);
	if (st == KGSS_S_COMPLETE && need > 0) {
		buf.resize(need);
		size_t len = need;
		st = ser ? kgss_lucid_serialize(est.lucid, buf.data(), &len)
			 : kgss_lucid_to_downcall(est.lucid, buf.data(), &len);
		buf.resize(len);
	} else if (st == KGSS_S_COMPLETE) {
		st = KGSS_S_FAILURE;
	}
	if (st != KGSS_S_COMPLETE) {
		fprintf(stderr, "kgss lucid: %s rejected the exported context: %s\n",
			ser ? "kgss_lucid_serialize" : "kgss_lucid_to_downcall", status_str(st).c_str());
		return st == KGSS_S_UNAVAILABLE ? EXIT_ENV : EXIT_VERIFY;
	}
	int rc = write_or_fail(out, buf);
	std::string desc;
	if (rc == EXIT_OK && ser) {
		char text[512];
		if (kgss_serialized_describe(buf.data(), buf.size(), text, sizeof text) == KGSS_S_COMPLETE)
			desc = text;
	}
	wipe(buf);
	if (rc != EXIT_OK)
		return rc;

	const kgss_lucid_context_v1 *l = est.lucid;
	const enctype_facts *f = enctype_lookup((int)etype);
	const bool has_subkey = l->protocol == 1 && l->cfx_kd.have_acceptor_subkey;
	printf("kgss lucid: established a context pair, enctype %ld %s, with %s%s; exported the %s (%s, %s)\n", etype,
	       f->name, source.c_str(), mutual ? ", mutual" : "", role == 1 ? "initiator" : "acceptor",
	       l->protocol ? "RFC 4121" : "RFC 1964",
	       l->protocol ? (has_subkey ? "acceptor subkey" : "no acceptor subkey") : "no subkeys");
	printf("wrote %s: %s, %zu bytes, mode 0600 (holds the session key)\n", out.c_str(),
	       ser ? "libkgss serialization" : "Linux downcall buffer", need);
	if (!desc.empty())
		printf("  %s\n", desc.c_str());

	if (!peer_out.empty()) {
		kmit::bytes msg(peer_msg.begin(), peer_msg.end());
		kmit::mit_result res = peer_kind == "mic" ? kmit::mit_get_mic(est.peer, msg)
							  : kmit::mit_wrap(est.peer, peer_kind == "conf", msg);
		if (res.major != GSS_S_COMPLETE) {
			fprintf(stderr, "kgss lucid: the MIT peer's %s failed: %s\n",
				peer_kind == "mic" ? "gss_get_mic" : "gss_wrap",
				kmit::mit_status_string(res.major, res.minor).c_str());
			return EXIT_ENV;
		}
		bytes t(res.out.begin(), res.out.end());
		rc = write_or_fail(peer_out, t);
		if (rc != EXIT_OK)
			return rc;
		printf("wrote %s: %zu-byte token from the live MIT %s: %s over \"%s\"\n", peer_out.c_str(), t.size(),
		       role == 1 ? "acceptor" : "initiator",
		       peer_kind == "mic"    ? "gss_get_mic"
		       : peer_kind == "conf" ? "gss_wrap (conf)"
					     : "gss_wrap (integrity only)",
		       peer_msg.c_str());
	}
	return EXIT_OK;
}

int cmd_describe(int argc, char **argv)
{
	opt_reader rd("describe", argc, argv);
	std::string a, file;
	bool have = false;
	while (rd.next(&a)) {
		if (rd.name == "--help") {
			fputs(k_describe_help, stdout);
			return EXIT_OK;
		} else if (!rd.name.empty()) {
			return rd.unknown(a);
		} else if (have) {
			fprintf(stderr, "kgss describe: more than one FILE given\n");
			return EXIT_USAGE;
		} else {
			file = a;
			have = true;
		}
	}
	if (!have) {
		fprintf(stderr, "kgss describe: FILE missing (see kgss describe --help)\n");
		return EXIT_USAGE;
	}
	bytes b;
	std::string err;
	if (!read_file(file, &b, &err, 1 << 20)) {
		fprintf(stderr, "kgss describe: %s\n", err.c_str());
		return EXIT_ENV;
	}
	int rc;
	if (b.size() >= 4 && memcmp(b.data(), "KGSS", 4) == 0) {
		char text[512];
		kgss_status st = kgss_serialized_describe(b.data(), b.size(), text, sizeof text);
		if (st == KGSS_S_COMPLETE) {
			printf("%s\n", text);
			rc = EXIT_OK;
		} else {
			fprintf(stderr, "kgss describe: not a valid libkgss serialization (%zu bytes): %s\n", b.size(),
				status_str(st).c_str());
			rc = st == KGSS_S_UNAVAILABLE ? EXIT_ENV : EXIT_VERIFY;
		}
	} else if (b.size() >= 20) {
		// Linux downcall buffer, host byte order: flags | endtime | send_seq | enctype | key
		uint32_t flags, endtime, et;
		uint64_t seq;
		memcpy(&flags, b.data(), 4);
		memcpy(&endtime, b.data() + 4, 4);
		memcpy(&seq, b.data() + 8, 8);
		memcpy(&et, b.data() + 16, 4);
		const enctype_facts *f = enctype_lookup((int)et);
		const size_t key_len = b.size() - 20;
		std::string problems;
		if (flags & ~7u)
			problems += "; unknown flag bits";
		if (!f)
			problems += "; unknown enctype";
		else if (key_len != f->key_len)
			problems += "; key is " + std::to_string(key_len) + " bytes, the enctype needs " +
				    std::to_string(f->key_len);
		else if ((f->protocol == 1) != ((flags & 2) != 0))
			problems += "; the CFX flag does not match the enctype";
		printf("Linux downcall buffer: %s, %s%s, enctype %u (%s), key %zu bytes, endtime %u, send_seq %llu\n",
		       flags & 1 ? "initiator" : "acceptor", flags & 2 ? "RFC 4121" : "RFC 1964",
		       flags & 4 ? ", acceptor subkey" : "", (unsigned)et, f ? f->name : "?", key_len,
		       (unsigned)endtime, (unsigned long long)seq);
		if (!problems.empty()) {
			printf("malformed: %s\n", problems.c_str() + 2);
			rc = EXIT_VERIFY;
		} else {
			rc = EXIT_OK;
		}
	} else {
		fprintf(stderr,
			"kgss describe: '%s' is neither a libkgss serialization (magic KGSS) nor a downcall buffer "
			"(%zu bytes)\n",
			file.c_str(), b.size());
		rc = EXIT_VERIFY;
	}
	wipe(b);
	return rc;
}

} // namespace kcli
