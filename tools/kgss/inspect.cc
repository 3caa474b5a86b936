// tools/kgss/inspect.cc - `kgss inspect`: decodes an RFC 4121 or RFC 1964
// per-message token field by field, names every violation of the token
// format it can see without a key, and - given a key (or a serialized
// context / downcall buffer) - verifies / decrypts the token through
// libkgss's public API as the RECEIVING side would.
#include <stdio.h>
#include <string.h>

#include <algorithm>
#include <string>
#include <vector>

#include "kgss.h"
#include "kgss_user.h"
#include "tools/kgss/commands.h"
#include "tools/kgss/inspect_core.h"
#include "tools/kgss/util.h"

namespace kcli {

namespace {

const char *const k_help =
	"usage: kgss inspect TOKEN [--hex|--base64|--file]\n"
	"                    [--role initiator|acceptor] [--enctype N] [--acceptor-subkey]\n"
	"                    [--key-hex HEX | --lucid-file FILE] [--backend builtin|openssl]\n"
	"                    [--message TEXT | --message-hex HEX | --message-file FILE]\n"
	"\n"
	"Decodes a GSS-API krb5 per-message token and names every violation of its format:\n"
	"  RFC 4121 (CFX) MIC 04 04 / Wrap 05 04: flags by name, filler, EC, RRC, SND_SEQ, checksum and\n"
	"    ciphertext lengths; unknown flags, filler not FF, EC / RRC inconsistent with the length,\n"
	"    wrong direction or AcceptorSubkey flag (when the receiver is known), truncation ...\n"
	"  RFC 1964 MIC 01 01 / Wrap 02 01 (DES3, RC4-HMAC): DER framing 0x60 + length + OID, TOK_ID,\n"
	"    SGN_ALG / SEAL_ALG by name, filler, encrypted SND_SEQ, SGN_CKSUM, confounder / data sizes;\n"
	"    DER length mismatch, wrong OID, unknown or mismatched algorithms, short tokens ...\n"
	"\n"
	"TOKEN   hex, base64, a file (raw bytes, or hex / base64 text), or '-' for standard input.\n"
	"        Detected automatically: a string of hex digits is hex (also when it would be valid base64),\n"
	"        else base64, else a file name; a string that is both valid text and an existing file is\n"
	"        refused as ambiguous.  A file's contents are decoded as hex or base64 text when they are\n"
	"        printable text, else taken as raw bytes.  Force with --hex, --base64 or --file.\n"
	"\n"
	"Without a key the token is only decoded.  --role and --enctype (and --acceptor-subkey) then\n"
	"describe the receiver and sharpen the checks (direction flag, checksum length, EC).\n"
	"\n"
	"With a key the token is verified through libkgss (kgss_unwrap / kgss_verify_mic) by a context\n"
	"for the RECEIVING side, and the plaintext (hex and printable) or the exact reason for the\n"
	"rejection (kgss_status_string, e.g. BAD_SIG) is printed:\n"
	"  --key-hex HEX        the context key (for RFC 4121 with an acceptor subkey: the subkey);\n"
	"                       needs --enctype N and --role R, where R is the role of the RECEIVER\n"
	"                       of the token (a token sent by the acceptor is received by the initiator)\n"
	"  --acceptor-subkey    RFC 4121: the key is an acceptor subkey (the sender set AcceptorSubkey)\n"
	"  --lucid-file FILE    a serialized context written by `kgss lucid` (or a downcall buffer,\n"
	"                       --format downcall); its role is the receiver's\n"
	"  --backend NAME       crypto backend: builtin (default) or openssl\n"
	"  --message TEXT / --message-hex HEX / --message-file FILE\n"
	"                       the message a MIC token covers (required to verify a MIC)\n"
	"\n"
	"Enctypes: 16 des3-cbc-sha1, 17/18 aes128/256-cts-hmac-sha1-96, 19 aes128-cts-hmac-sha256-128,\n"
	"          20 aes256-cts-hmac-sha384-192, 23 arcfour-hmac, 24 arcfour-hmac-exp,\n"
	"          25/26 camellia128/256-cts-cmac\n"
	"\n"
	"exit codes: 0 well-formed (and verified, when a key is given); 1 a violation was found or the\n"
	"            token was rejected; 2 usage error (options, TOKEN not decodable); 3 environment\n"
	"            error (unreadable file, context the build cannot import)\n";

enum in_mode { IN_AUTO, IN_HEX, IN_B64, IN_FILE };

int read_token(const std::string &arg, in_mode mode, bytes *tok, std::string *how)
{
	std::string err;
	if (arg == "-" && (mode == IN_AUTO || mode == IN_FILE)) {
		if (!read_file("-", tok, &err)) {
			fprintf(stderr, "kgss inspect: %s\n", err.c_str());
			return EXIT_ENV;
		}
		*how = "standard input";
		decode_contents(*tok, how);
		return EXIT_OK;
	}
	if (mode == IN_FILE) {
		if (!read_file(arg, tok, &err)) {
			fprintf(stderr, "kgss inspect: %s\n", err.c_str());
			return EXIT_ENV;
		}
		*how = "file '" + arg + "'";
		decode_contents(*tok, how);
		return EXIT_OK;
	}
	if (mode == IN_HEX) {
		if (!hex_decode(arg, tok)) {
			fprintf(stderr, "kgss inspect: TOKEN is not valid hex (--hex)\n");
			return EXIT_USAGE;
		}
		*how = "hex";
		return EXIT_OK;
	}
	if (mode == IN_B64) {
		if (!base64_decode(arg, tok)) {
			fprintf(stderr, "kgss inspect: TOKEN is not valid base64 (--base64)\n");
			return EXIT_USAGE;
		}
		*how = "base64";
		return EXIT_OK;
	}
	// auto: hex, then base64, then a file; ambiguity with an existing file is an error
	bytes h, b;
	const bool is_hex = hex_decode(arg, &h) && !h.empty();
	const bool is_b64 = !is_hex && base64_decode(arg, &b) && !b.empty();
	const bool is_file = file_exists(arg);
	if ((is_hex || is_b64) && is_file) {
		fprintf(stderr,
			"kgss inspect: TOKEN '%s' is both valid %s and an existing file; say which with --%s or "
			"--file\n",
			arg.c_str(), is_hex ? "hex" : "base64", is_hex ? "hex" : "base64");
		return EXIT_USAGE;
	}
	if (is_hex) {
		tok->swap(h);
		*how = "hex (auto-detected)";
		return EXIT_OK;
	}
	if (is_b64) {
		tok->swap(b);
		*how = "base64 (auto-detected)";
		return EXIT_OK;
	}
	if (is_file)
		return read_token(arg, IN_FILE, tok, how);
	fprintf(stderr, "kgss inspect: TOKEN is neither hex, nor base64, nor an existing file: '%s'\n", arg.c_str());
	return EXIT_USAGE;
}

int role_of(const std::string &s)
{
	if (s == "initiator")
		return 1;
	if (s == "acceptor")
		return 0;
	return -1;
}

} // namespace

int cmd_inspect(int argc, char **argv)
{
	opt_reader rd("inspect", argc, argv);
	std::string a, token_arg, key_hex, lucid_file, backend = "builtin", msg_text, msg_hex, msg_file, v;
	bool have_token = false, have_msg_text = false, subkey = false;
	in_mode mode = IN_AUTO;
	int role = -1;
	long etype = 0;
	int nmodes = 0;
	while (rd.next(&a)) {
		const std::string &n = rd.name;
		if (n == "--help") {
			fputs(k_help, stdout);
			return EXIT_OK;
		} else if (n == "--hex" || n == "--base64" || n == "--file") {
			if (!rd.no_value())
				return EXIT_USAGE;
			mode = n == "--hex" ? IN_HEX : n == "--base64" ? IN_B64 : IN_FILE;
			nmodes++;
		} else if (n == "--acceptor-subkey") {
			if (!rd.no_value())
				return EXIT_USAGE;
			subkey = true;
		} else if (n == "--role") {
			if (!rd.value(&v))
				return EXIT_USAGE;
			role = role_of(v);
			if (role < 0) {
				fprintf(stderr, "kgss inspect: --role must be initiator or acceptor, not '%s'\n",
					v.c_str());
				return EXIT_USAGE;
			}
		} else if (n == "--enctype") {
			if (!rd.value(&v))
				return EXIT_USAGE;
			if (!parse_int(v, 1, 1000, &etype) || !enctype_lookup((int)etype)) {
				fprintf(stderr,
					"kgss inspect: --enctype: unknown enctype '%s' (16 17 18 19 20 23 24 25 26)\n",
					v.c_str());
				return EXIT_USAGE;
			}
		} else if (n == "--key-hex") {
			if (!rd.value(&key_hex))
				return EXIT_USAGE;
		} else if (n == "--lucid-file") {
			if (!rd.value(&lucid_file))
				return EXIT_USAGE;
		} else if (n == "--backend") {
			if (!rd.value(&backend))
				return EXIT_USAGE;
		} else if (n == "--message") {
			if (!rd.value(&msg_text))
				return EXIT_USAGE;
			have_msg_text = true;
		} else if (n == "--message-hex") {
			if (!rd.value(&msg_hex))
				return EXIT_USAGE;
		} else if (n == "--message-file") {
			if (!rd.value(&msg_file))
				return EXIT_USAGE;
		} else if (!n.empty()) {
			return rd.unknown(a);
		} else if (!have_token) {
			token_arg = a;
			have_token = true;
		} else {
			fprintf(stderr, "kgss inspect: more than one TOKEN given ('%s')\n", a.c_str());
			return EXIT_USAGE;
		}
	}
	if (!have_token) {
		fprintf(stderr, "kgss inspect: TOKEN missing (see kgss inspect --help)\n");
		return EXIT_USAGE;
	}
	if (nmodes > 1) {
		fprintf(stderr, "kgss inspect: --hex, --base64 and --file exclude each other\n");
		return EXIT_USAGE;
	}
	if (!key_hex.empty() && !lucid_file.empty()) {
		fprintf(stderr, "kgss inspect: --key-hex and --lucid-file exclude each other\n");
		return EXIT_USAGE;
	}
	if (!key_hex.empty() && (etype == 0 || role < 0)) {
		fprintf(stderr,
			"kgss inspect: --key-hex needs --enctype N and --role initiator|acceptor (the receiver)\n");
		return EXIT_USAGE;
	}
	if ((int)have_msg_text + !msg_hex.empty() + !msg_file.empty() > 1) {
		fprintf(stderr,
			"kgss inspect: give the MIC message once (--message, --message-hex or --message-file)\n");
		return EXIT_USAGE;
	}
	if (subkey && etype && enctype_lookup((int)etype)->protocol == 0) {
		fprintf(stderr, "kgss inspect: --acceptor-subkey applies to RFC 4121 enctypes only, not %ld\n", etype);
		return EXIT_USAGE;
	}

	// the message a MIC covers
	bytes msg;
	bool have_msg = false;
	if (have_msg_text) {
		msg.assign(msg_text.begin(), msg_text.end());
		have_msg = true;
	} else if (!msg_hex.empty()) {
		if (!hex_decode(msg_hex, &msg)) {
			fprintf(stderr, "kgss inspect: --message-hex is not valid hex\n");
			return EXIT_USAGE;
		}
		have_msg = true;
	} else if (!msg_file.empty()) {
		std::string err;
		if (!read_file(msg_file, &msg, &err)) {
			fprintf(stderr, "kgss inspect: --message-file: %s\n", err.c_str());
			return EXIT_ENV;
		}
		have_msg = true;
	}

	bytes tok;
	std::string how;
	int rc = read_token(token_arg, mode, &tok, &how);
	if (rc != EXIT_OK)
		return rc;

	// ---- the receiving context, when a key is given ----
	ctx_holder ctx;
	receiver rx;
	rx.role = role;
	rx.subkey = subkey ? 1 : -1; // without a key: known only when --acceptor-subkey is given
	rx.et = etype ? enctype_lookup((int)etype) : nullptr;
	const bool keyed = !key_hex.empty() || !lucid_file.empty();
	if (keyed) {
		kgss_options o;
		std::string err;
		if (!backend_options(backend, &o, &err)) {
			fprintf(stderr, "kgss inspect: %s\n", err.c_str());
			return backend == "builtin" || backend == "openssl" ? EXIT_ENV : EXIT_USAGE;
		}
		o.flags = 0;       // no receive window: one token is checked on its own
		o.clock = nullptr; // no expiry check: the token is inspected, not a session
		kgss_status st;
		std::string origin;
		if (!key_hex.empty()) {
			bytes key;
			if (!hex_decode(key_hex, &key)) {
				fprintf(stderr, "kgss inspect: --key-hex is not valid hex\n");
				return EXIT_USAGE;
			}
			const enctype_facts *f = enctype_lookup((int)etype);
			if (key.size() != f->key_len) {
				fprintf(stderr, "kgss inspect: --key-hex has %zu bytes, %s (%ld) keys have %zu\n",
					key.size(), f->name, etype, f->key_len);
				wipe(key);
				return EXIT_USAGE;
			}
			kgss_lucid_context_v1 l;
			memset(&l, 0, sizeof l);
			l.version = 1;
			l.initiate = role == 1;
			l.endtime = 0xffffffffu;
			l.protocol = (uint32_t)f->protocol;
			kgss_lucid_key k = {(uint32_t)etype, (uint32_t)key.size(), key.data()};
			if (f->protocol == 0) {
				l.rfc1964_kd.sign_alg = f->sign_alg;
				l.rfc1964_kd.seal_alg = f->seal_alg;
				l.rfc1964_kd.ctx_key = k;
			} else {
				l.cfx_kd.ctx_key = k;
				if (subkey) {
					l.cfx_kd.have_acceptor_subkey = 1;
					l.cfx_kd.acceptor_subkey = k;
				}
			}
			st = kgss_import_lucid_v1(&l, &o, &ctx.c);
			wipe(key);
			origin = "--key-hex (synthetic lucid context)";
		} else {
			bytes buf;
			if (!read_file(lucid_file, &buf, &err, 1 << 20)) {
				fprintf(stderr, "kgss inspect: --lucid-file: %s\n", err.c_str());
				return EXIT_ENV;
			}
			if (buf.size() >= 4 && memcmp(buf.data(), "KGSS", 4) == 0) {
				st = kgss_import_serialized(buf.data(), buf.size(), &o, &ctx.c);
				origin = "serialized context '" + lucid_file + "'";
			} else {
				st = kgss_import_downcall(buf.data(), buf.size(), &o, &ctx.c);
				origin = "downcall buffer '" + lucid_file + "'";
			}
			wipe(buf);
		}
		if (st != KGSS_S_COMPLETE) {
			fprintf(stderr, "kgss inspect: cannot build the receiving context from %s: %s\n",
				origin.c_str(), status_str(st).c_str());
			return st == KGSS_S_UNAVAILABLE ? EXIT_ENV : EXIT_VERIFY;
		}
		kgss_ctx_info info;
		memset(&info, 0, sizeof info);
		st = kgss_ctx_inquire(ctx.c, &info);
		if (st != KGSS_S_COMPLETE) {
			fprintf(stderr, "kgss inspect: kgss_ctx_inquire: %s\n", status_str(st).c_str());
			return EXIT_VERIFY;
		}
		if (!lucid_file.empty()) {
			if (role >= 0 && role != (int)info.initiator)
				fprintf(stderr, "kgss inspect: note: --role %s ignored, the context in %s is the %s\n",
					role ? "initiator" : "acceptor", lucid_file.c_str(),
					info.initiator ? "initiator" : "acceptor");
			if (etype && etype != info.enctype)
				fprintf(stderr,
					"kgss inspect: note: --enctype %ld ignored, the context is enctype %d\n", etype,
					(int)info.enctype);
		}
		rx.role = info.initiator ? 1 : 0;
		rx.et = enctype_lookup(info.enctype);
		rx.subkey = info.protocol == 1 ? (info.acceptor_subkey ? 1 : 0) : -1;
		printf("context: receiver = %s, %s (%d), %s%s, backend %s; from %s\n",
		       info.initiator ? "initiator" : "acceptor", info.enctype_name ? info.enctype_name : "?",
		       (int)info.enctype, info.protocol ? "RFC 4121" : "RFC 1964",
		       info.protocol == 1 ? (info.acceptor_subkey ? ", acceptor subkey" : ", no acceptor subkey") : "",
		       info.backend_name ? info.backend_name : "?", origin.c_str());
	}

	// ---- structure ----
	printf("input: %zu bytes from %s\n", tok.size(), how.c_str());
	report r(stdout);
	inspect_structure(tok.data(), tok.size(), rx, r);
	if (!keyed)
		return r.violations.empty() ? EXIT_OK : EXIT_VERIFY;

	// ---- verification through the public API ----
	fflush(stdout); // the notes inspect_verify writes to stderr come after the decoding
	return inspect_verify(stdout, stderr, ctx.c, tok.data(), tok.size(), r, have_msg ? &msg : nullptr, nullptr);
}

} // namespace kcli
