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

// What is known about the receiver (from options or from the context).
struct receiver {
	int role = -1;       // 1 initiator, 0 acceptor, -1 unknown
	int subkey = -1;     // RFC 4121 acceptor subkey: 1 / 0 / -1 unknown
	const enctype_facts *et = nullptr;
};

enum token_kind { TK_UNKNOWN, TK_MIC, TK_WRAP };

struct report {
	std::vector<std::string> violations;
	token_kind kind = TK_UNKNOWN;
	int protocol = -1;
	void bad(const std::string &s) {
		violations.push_back(s);
		printf("  VIOLATION: %s\n", s.c_str());
	}
};

std::string hx(unsigned v, int digits) {
	char b[16];
	snprintf(b, sizeof b, "%0*x", digits, v);
	return b;
}

uint64_t be64(const uint8_t *p) {
	uint64_t v = 0;
	for (int i = 0; i < 8; i++) v = v << 8 | p[i];
	return v;
}

// ---- RFC 4121 ---------------------------------------------------------------------
void decode_cfx(const bytes &t, const receiver &rx, report &r) {
	r.protocol = 1;
	const bool mic = t[0] == 0x04;
	r.kind = mic ? TK_MIC : TK_WRAP;
	printf("token: RFC 4121 %s (TOK_ID %02x %02x), %zu bytes\n", mic ? "MIC" : "Wrap", t[0], t.size() > 1 ? t[1] : 0,
	       t.size());
	if (t.size() < 2 || t[1] != 0x04) {
		r.bad("bad TOK_ID " + hx(t[0], 2) + " " + (t.size() > 1 ? hx(t[1], 2) : std::string("--")) +
		      ": RFC 4121 uses 04 04 (MIC) and 05 04 (Wrap)");
	}
	if (t.size() < 16) {
		r.bad("truncated header: " + std::to_string(t.size()) + " bytes, an RFC 4121 header is 16");
		return;
	}
	const uint8_t flags = t[2];
	std::string names;
	if (flags & 0x01) names += ", SentByAcceptor";
	if (flags & 0x02) names += ", Sealed";
	if (flags & 0x04) names += ", AcceptorSubkey";
	if (flags & ~0x07) names += ", unknown 0x" + hx(flags & ~0x07u, 2);
	printf("  flags      0x%02x%s%s  (sent by the %s)\n", flags, names.empty() ? "" : ": ",
	       names.empty() ? "" : names.c_str() + 2, flags & 0x01 ? "acceptor" : "initiator");
	if (flags & ~0x07) r.bad("unknown flag bits 0x" + hx(flags & ~0x07u, 2) + " (only 0x01, 0x02, 0x04 are defined)");
	if (mic && (flags & 0x02)) r.bad("Sealed flag (0x02) set on a MIC token");
	if (rx.role >= 0) {
		const bool from_acceptor = flags & 0x01;
		const bool expect_from_acceptor = rx.role == 1; // the initiator receives what the acceptor sends
		if (from_acceptor != expect_from_acceptor)
			r.bad(std::string("direction: token sent by the ") + (from_acceptor ? "acceptor" : "initiator") +
			      " but the receiver is the " + (rx.role == 1 ? "initiator" : "acceptor") +
			      " (a reflected token, or --role names the sender instead of the receiver)");
	}
	if (rx.subkey >= 0) {
		const bool f = flags & 0x04;
		if (f && rx.subkey == 0) r.bad("AcceptorSubkey flag set but the receiver's context has no acceptor subkey");
		if (!f && rx.subkey == 1)
			r.bad("AcceptorSubkey flag clear but the context has an acceptor subkey (every token must use it)");
	}
	const uint64_t seq = be64(t.data() + 8);
	if (mic) {
		std::string fill = hex_encode(t.data() + 3, 5);
		bool ok = true;
		for (int i = 3; i < 8; i++) ok &= t[i] == 0xff;
		printf("  filler     %s%s\n", fill.c_str(), ok ? " (ok)" : "");
		if (!ok) r.bad("filler bytes 3..7 are " + fill + ", must be ff ff ff ff ff");
		printf("  SND_SEQ    %llu (0x%016llx)\n", (unsigned long long)seq, (unsigned long long)seq);
		const size_t ck = t.size() - 16;
		printf("  checksum   %zu bytes: %s\n", ck, hex_encode(t.data() + 16, ck).c_str());
		if (ck == 0) r.bad("empty checksum");
		else if (rx.et && ck != rx.et->cksum_len)
			r.bad("checksum is " + std::to_string(ck) + " bytes, " + rx.et->name + " uses " +
			      std::to_string(rx.et->cksum_len));
		else if (!rx.et && ck != 12 && ck != 16 && ck != 24)
			r.bad("checksum length " + std::to_string(ck) +
			      " matches no RFC 4121 enctype (12 aes-sha1, 16 aes128-sha256 / camellia, 24 aes256-sha384)");
		return;
	}
	// Wrap
	printf("  filler     %02x%s\n", t[3], t[3] == 0xff ? " (ok)" : "");
	if (t[3] != 0xff) r.bad("filler byte 3 is " + hx(t[3], 2) + ", must be ff");
	const unsigned ec = (unsigned)t[4] << 8 | t[5];
	const unsigned rrc = (unsigned)t[6] << 8 | t[7];
	const size_t payload = t.size() - 16;
	const bool sealed = flags & 0x02;
	printf("  EC         %u\n", ec);
	printf("  RRC        %u%s\n", rrc, rrc ? " (payload rotated right; un-rotated below)" : "");
	printf("  SND_SEQ    %llu (0x%016llx)\n", (unsigned long long)seq, (unsigned long long)seq);
	if (payload == 0) {
		r.bad("no payload after the 16-byte header");
		return;
	}
	if (rrc > payload)
		r.bad("RRC " + std::to_string(rrc) + " exceeds the " + std::to_string(payload) +
		      "-byte payload (rotation would wrap; no conforming sender does this)");
	// un-rotate: rotate left by rrc mod payload
	bytes p(t.begin() + 16, t.end());
	size_t rot = rrc % payload;
	if (rot) {
		bytes q(p.size());
		for (size_t i = 0; i < p.size(); i++) q[i] = p[(i + rot) % p.size()];
		p.swap(q);
	}
	if (sealed) {
		printf("  payload    %zu bytes, encrypted: E(confounder | plaintext | %u filler bytes | header copy) | checksum\n",
		       payload, ec);
		if (rx.et) {
			const size_t fixed = rx.et->conf_len + 16 + rx.et->cksum_len;
			printf("             %s: confounder %zu, header copy 16, checksum %zu\n", rx.et->name, rx.et->conf_len,
			       rx.et->cksum_len);
			if (payload < fixed + ec)
				r.bad("EC inconsistent: payload " + std::to_string(payload) + " < confounder " +
				      std::to_string(rx.et->conf_len) + " + EC " + std::to_string(ec) + " + header copy 16 + checksum " +
				      std::to_string(rx.et->cksum_len));
			else
				printf("  plaintext  %zu bytes (encrypted)\n", payload - fixed - ec);
			printf("  checksum   %s\n", hex_encode(p.data() + p.size() - std::min(p.size(), rx.et->cksum_len),
								std::min(p.size(), rx.et->cksum_len)).c_str());
		} else {
			printf("             plaintext = payload - 16 (confounder) - EC - 16 (header copy) - h, h = 12 / 16 / 24 by enctype\n");
			if (payload < 16 + 16 + 12 + (size_t)ec)
				r.bad("EC inconsistent: payload " + std::to_string(payload) + " < confounder 16 + EC " +
				      std::to_string(ec) + " + header copy 16 + the shortest checksum 12");
		}
	} else {
		printf("  payload    %zu bytes, integrity only: plaintext | checksum (EC = checksum length)\n", payload);
		if (ec > payload) {
			r.bad("EC " + std::to_string(ec) + " larger than the " + std::to_string(payload) + "-byte payload");
			return;
		}
		if (rx.et && ec != rx.et->cksum_len)
			r.bad("EC " + std::to_string(ec) + " must equal the checksum length " + std::to_string(rx.et->cksum_len) +
			      " of " + rx.et->name + " in an integrity-only Wrap");
		else if (!rx.et && ec != 12 && ec != 16 && ec != 24)
			r.bad("EC " + std::to_string(ec) +
			      " is no RFC 4121 checksum length (12, 16, 24) as an integrity-only Wrap requires");
		if (ec == 0) r.bad("empty checksum (EC 0) in an integrity-only Wrap");
		const size_t dl = payload - ec;
		printf("  checksum   %u bytes: %s\n", ec, hex_encode(p.data() + dl, ec).c_str());
		printf("  plaintext  %zu bytes, in the clear (NOT verified without the key):\n", dl);
		hexdump(stdout, p.data(), dl, "             ");
	}
}

// ---- RFC 1964 ---------------------------------------------------------------------
const char *sign_alg_name(unsigned a) {
	switch (a) {
	case 0x0000: return "DES MAC MD5 (single DES)";
	case 0x0001: return "MD2.5 (single DES)";
	case 0x0002: return "DES MAC (single DES)";
	case 0x0004: return "HMAC SHA1 DES3-KD";
	case 0x0011: return "HMAC MD5 (RC4-HMAC, RFC 4757)";
	case 0xffff: return "none";
	default: return nullptr;
	}
}
const char *seal_alg_name(unsigned a) {
	switch (a) {
	case 0xffff: return "none (integrity only)";
	case 0x0000: return "DES (single DES)";
	case 0x0002: return "DES3-KD";
	case 0x0010: return "RC4";
	default: return nullptr;
	}
}

std::string oid_dotted(const uint8_t *p, size_t n) {
	if (n == 0) return "(empty)";
	std::string s = std::to_string(p[0] / 40) + "." + std::to_string(p[0] % 40);
	uint64_t v = 0;
	for (size_t i = 1; i < n; i++) {
		v = v << 7 | (p[i] & 0x7f);
		if (!(p[i] & 0x80)) {
			s += "." + std::to_string(v);
			v = 0;
		}
	}
	if (n > 1 && (p[n - 1] & 0x80)) s += ".(truncated)";
	return s;
}

void decode_1964_inner(const uint8_t *in, size_t n, const receiver &rx, report &r);

void decode_1964(const bytes &t, const receiver &rx, report &r) {
	r.protocol = 0;
	printf("token: RFC 1964 (DER framing 0x60), %zu bytes\n", t.size());
	if (t.size() < 2) {
		r.bad("truncated DER framing: no length byte after 0x60");
		return;
	}
	size_t pos = 2, dlen = 0;
	if (t[1] < 0x80) {
		dlen = t[1];
	} else if (t[1] == 0x80) {
		r.bad("indefinite DER length (0x80) is not allowed");
		return;
	} else {
		size_t nb = t[1] & 0x7f;
		if (nb > 4) {
			r.bad("DER length uses " + std::to_string(nb) + " length bytes (more than 4)");
			return;
		}
		if (t.size() < 2 + nb) {
			r.bad("truncated DER length: " + std::to_string(nb) + " length bytes announced");
			return;
		}
		for (size_t i = 0; i < nb; i++) dlen = dlen << 8 | t[2 + i];
		pos = 2 + nb;
		if (t[2] == 0 || (nb == 1 && dlen < 0x80)) r.bad("non-minimal DER length encoding");
	}
	printf("  DER length %zu (%zu bytes follow)\n", dlen, t.size() - pos);
	if (dlen != t.size() - pos)
		r.bad("DER length mismatch: the header says " + std::to_string(dlen) + " bytes, " +
		      std::to_string(t.size() - pos) + " follow");
	if (t.size() < pos + 2) {
		r.bad("truncated: no OID after the DER length");
		return;
	}
	if (t[pos] != 0x06) {
		r.bad("expected the OID tag 06 after the DER length, found " + hx(t[pos], 2));
		return;
	}
	size_t olen = t[pos + 1];
	if (olen >= 0x80 || t.size() < pos + 2 + olen) {
		r.bad("truncated or malformed OID (length byte " + hx(t[pos + 1], 2) + ")");
		return;
	}
	static const uint8_t krb5_oid[9] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02};
	static const uint8_t ms_oid[9] = {0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12, 0x01, 0x02, 0x02};
	const uint8_t *oid = t.data() + pos + 2;
	std::string dotted = oid_dotted(oid, olen);
	bool krb5 = olen == 9 && memcmp(oid, krb5_oid, 9) == 0;
	printf("  mech OID   %s%s\n", dotted.c_str(), krb5 ? " (Kerberos V5, RFC 1964)" : "");
	if (!krb5) {
		if (olen == 9 && memcmp(oid, ms_oid, 9) == 0)
			r.bad("wrong OID " + dotted + " (Microsoft's legacy krb5 OID; per-message tokens use 1.2.840.113554.1.2.2)");
		else
			r.bad("wrong OID " + dotted + " (expected the krb5 mechanism 1.2.840.113554.1.2.2)");
	}
	pos += 2 + olen;
	decode_1964_inner(t.data() + pos, t.size() - pos, rx, r);
}

void decode_1964_inner(const uint8_t *in, size_t n, const receiver &rx, report &r) {
	if (n < 2) {
		r.bad("truncated: no TOK_ID after the OID");
		return;
	}
	const unsigned tok = (unsigned)in[0] << 8 | in[1];
	if (tok == 0x0101) {
		r.kind = TK_MIC;
		printf("  TOK_ID     01 01 (MIC)\n");
	} else if (tok == 0x0201) {
		r.kind = TK_WRAP;
		printf("  TOK_ID     02 01 (Wrap)\n");
	} else if (tok == 0x0102) {
		printf("  TOK_ID     01 02 (delete context)\n");
		r.bad("TOK_ID 01 02 is a delete-context token (RFC 1964 1.2.2), not a MIC or Wrap token");
		return;
	} else {
		printf("  TOK_ID     %02x %02x\n", in[0], in[1]);
		r.bad("bad TOK_ID " + hx(in[0], 2) + " " + hx(in[1], 2) + ": RFC 1964 uses 01 01 (MIC) and 02 01 (Wrap)");
		return;
	}
	if (n < 16) {
		r.bad("truncated header: the token body is " + std::to_string(n) +
		      " bytes, an RFC 1964 header (TOK_ID, SGN_ALG, SEAL_ALG, filler, SND_SEQ) is 16");
		return;
	}
	const unsigned sgn = in[2] | (unsigned)in[3] << 8;
	const unsigned seal = in[4] | (unsigned)in[5] << 8;
	const char *sn = sign_alg_name(sgn);
	const char *en = seal_alg_name(seal);
	printf("  SGN_ALG    %02x %02x = 0x%04x %s\n", in[2], in[3], sgn, sn ? sn : "(unknown)");
	printf("  SEAL_ALG   %02x %02x = 0x%04x %s\n", in[4], in[5], seal, en ? en : "(unknown)");
	if (!sn || sgn == 0xffff) r.bad("unknown SGN_ALG 0x" + hx(sgn, 4));
	else if (sgn <= 2) r.bad(std::string("SGN_ALG ") + sn + " is single DES (not supported; RFC 6649)");
	if (!en) r.bad("unknown SEAL_ALG 0x" + hx(seal, 4));
	else if (seal == 0) r.bad("SEAL_ALG DES is single DES (not supported; RFC 6649)");
	if (r.kind == TK_MIC && seal != 0xffff) r.bad("a MIC token must have SEAL_ALG ff ff, not " + hx(seal, 4));
	if (r.kind == TK_WRAP && ((sgn == 0x4 && seal == 0x10) || (sgn == 0x11 && seal == 0x2)))
		r.bad("SGN_ALG " + std::string(sn) + " with SEAL_ALG " + en + " (mixed algorithm families)");
	if (rx.et && rx.et->protocol == 0 && sgn != rx.et->sign_alg)
		r.bad("SGN_ALG 0x" + hx(sgn, 4) + " does not belong to " + rx.et->name + " (0x" + hx(rx.et->sign_alg, 4) + ")");
	if (rx.et && rx.et->protocol == 1)
		r.bad(std::string("an RFC 1964 token, but ") + rx.et->name + " contexts use RFC 4121 tokens");
	const bool fill_ok = in[6] == 0xff && in[7] == 0xff;
	printf("  filler     %02x %02x%s\n", in[6], in[7], fill_ok ? " (ok)" : "");
	if (!fill_ok) r.bad("filler bytes are " + hx(in[6], 2) + " " + hx(in[7], 2) + ", must be ff ff");
	printf("  SND_SEQ    %s (encrypted: sequence number + direction bytes)\n", hex_encode(in + 8, 8).c_str());
	size_t ck;
	if (rx.et && rx.et->protocol == 0) ck = rx.et->cksum_len;
	else ck = sgn == 0x4 ? 20 : 8;
	if (n < 16 + ck) {
		r.bad("truncated: SGN_CKSUM needs " + std::to_string(ck) + " bytes, " + std::to_string(n - 16) + " present");
		return;
	}
	printf("  SGN_CKSUM  %zu bytes: %s\n", ck, hex_encode(in + 16, ck).c_str());
	const size_t rest = n - 16 - ck;
	if (r.kind == TK_MIC) {
		if (rest) r.bad(std::to_string(rest) + " trailing bytes after SGN_CKSUM in a MIC token");
		return;
	}
	const bool rc4 = sgn == 0x11 || seal == 0x10;
	printf("  body       %zu bytes: confounder 8 | data | padding (%s)%s\n", rest,
	       rc4 ? "RC4: 1 pad byte 01" : "DES3: 1..8 bytes, each = the pad length",
	       seal == 0xffff ? ", in the clear" : ", encrypted");
	if (rest < 8 + 1) {
		r.bad("body of " + std::to_string(rest) + " bytes is shorter than the confounder (8) plus padding (at least 1)");
		return;
	}
	if (!rc4 && rest % 8 != 0)
		r.bad("DES3 body of " + std::to_string(rest) + " bytes is not a multiple of the 8-byte block");
	if (seal == 0xffff) {
		const uint8_t *body = in + 16 + ck;
		unsigned pad = body[rest - 1];
		bool pad_ok = rc4 ? pad == 1 : (pad >= 1 && pad <= 8 && pad <= rest - 8);
		for (unsigned i = 0; pad_ok && i < pad; i++) pad_ok = body[rest - 1 - i] == pad;
		printf("  confounder %s\n", hex_encode(body, 8).c_str());
		if (!pad_ok) {
			r.bad("padding is not valid (last byte " + hx(pad, 2) + ")");
			return;
		}
		printf("  padding    %u bytes\n", pad);
		printf("  data       %zu bytes, in the clear (NOT verified without the key):\n", rest - 8 - pad);
		hexdump(stdout, body + 8, rest - 8 - pad, "             ");
	} else {
		printf("  data       about %zu bytes (%s)\n", rest - 8 - 1,
		       rc4 ? "exact: body - 9" : "body - 8 - padding (1..8), known after decryption");
	}
}

// ---- input ------------------------------------------------------------------------
bool all_text(const bytes &b) {
	for (uint8_t c : b)
		if (!(c == '\n' || c == '\r' || c == '\t' || (c >= 0x20 && c < 0x7f))) return false;
	return true;
}

// File or stdin contents: text that is hex or base64 is decoded, else raw.
void decode_contents(bytes &raw, std::string *how) {
	if (!raw.empty() && all_text(raw)) {
		std::string s(raw.begin(), raw.end());
		bytes b;
		if (hex_decode(s, &b) && !b.empty()) {
			raw.swap(b);
			*how += ", hex text";
			return;
		}
		if (base64_decode(s, &b) && !b.empty()) {
			raw.swap(b);
			*how += ", base64 text";
			return;
		}
	}
	*how += ", raw bytes";
}

enum in_mode { IN_AUTO, IN_HEX, IN_B64, IN_FILE };

int read_token(const std::string &arg, in_mode mode, bytes *tok, std::string *how) {
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
			"kgss inspect: TOKEN '%s' is both valid %s and an existing file; say which with --%s or --file\n",
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
	if (is_file) return read_token(arg, IN_FILE, tok, how);
	fprintf(stderr, "kgss inspect: TOKEN is neither hex, nor base64, nor an existing file: '%s'\n", arg.c_str());
	return EXIT_USAGE;
}

int role_of(const std::string &s) {
	if (s == "initiator") return 1;
	if (s == "acceptor") return 0;
	return -1;
}

} // namespace

int cmd_inspect(int argc, char **argv) {
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
			if (!rd.no_value()) return EXIT_USAGE;
			mode = n == "--hex" ? IN_HEX : n == "--base64" ? IN_B64 : IN_FILE;
			nmodes++;
		} else if (n == "--acceptor-subkey") {
			if (!rd.no_value()) return EXIT_USAGE;
			subkey = true;
		} else if (n == "--role") {
			if (!rd.value(&v)) return EXIT_USAGE;
			role = role_of(v);
			if (role < 0) {
				fprintf(stderr, "kgss inspect: --role must be initiator or acceptor, not '%s'\n", v.c_str());
				return EXIT_USAGE;
			}
		} else if (n == "--enctype") {
			if (!rd.value(&v)) return EXIT_USAGE;
			if (!parse_int(v, 1, 1000, &etype) || !enctype_lookup((int)etype)) {
				fprintf(stderr, "kgss inspect: --enctype: unknown enctype '%s' (16 17 18 19 20 23 24 25 26)\n",
					v.c_str());
				return EXIT_USAGE;
			}
		} else if (n == "--key-hex") {
			if (!rd.value(&key_hex)) return EXIT_USAGE;
		} else if (n == "--lucid-file") {
			if (!rd.value(&lucid_file)) return EXIT_USAGE;
		} else if (n == "--backend") {
			if (!rd.value(&backend)) return EXIT_USAGE;
		} else if (n == "--message") {
			if (!rd.value(&msg_text)) return EXIT_USAGE;
			have_msg_text = true;
		} else if (n == "--message-hex") {
			if (!rd.value(&msg_hex)) return EXIT_USAGE;
		} else if (n == "--message-file") {
			if (!rd.value(&msg_file)) return EXIT_USAGE;
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
		fprintf(stderr, "kgss inspect: --key-hex needs --enctype N and --role initiator|acceptor (the receiver)\n");
		return EXIT_USAGE;
	}
	if ((int)have_msg_text + !msg_hex.empty() + !msg_file.empty() > 1) {
		fprintf(stderr, "kgss inspect: give the MIC message once (--message, --message-hex or --message-file)\n");
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
	if (rc != EXIT_OK) return rc;

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
		o.flags = 0;        // no receive window: one token is checked on its own
		o.clock = nullptr;  // no expiry check: the token is inspected, not a session
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
				fprintf(stderr, "kgss inspect: --key-hex has %zu bytes, %s (%ld) keys have %zu\n", key.size(), f->name,
					etype, f->key_len);
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
			fprintf(stderr, "kgss inspect: cannot build the receiving context from %s: %s\n", origin.c_str(),
				status_str(st).c_str());
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
					role ? "initiator" : "acceptor", lucid_file.c_str(), info.initiator ? "initiator" : "acceptor");
			if (etype && etype != info.enctype)
				fprintf(stderr, "kgss inspect: note: --enctype %ld ignored, the context is enctype %d\n", etype,
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
	report r;
	if (tok.empty()) {
		printf("token: empty\n");
		r.bad("empty token");
	} else if (tok[0] == 0x04 || tok[0] == 0x05) {
		decode_cfx(tok, rx, r);
	} else if (tok[0] == 0x60) {
		decode_1964(tok, rx, r);
	} else if (tok.size() >= 2 && (tok[0] == 0x01 || tok[0] == 0x02) && (tok[1] == 0x01 || tok[1] == 0x02)) {
		printf("token: RFC 1964 inner token WITHOUT the DER framing, %zu bytes\n", tok.size());
		r.bad("RFC 1964 token without its DER framing (0x60 length OID); receivers require it");
		r.protocol = 0;
		decode_1964_inner(tok.data(), tok.size(), rx, r);
	} else {
		printf("token: unknown, %zu bytes, starts %s\n", tok.size(), hex_encode(tok.data(), std::min<size_t>(tok.size(), 8)).c_str());
		r.bad("unknown TOK_ID " + hex_encode(tok.data(), std::min<size_t>(tok.size(), 2)) +
		      ": neither RFC 4121 (04 04 MIC, 05 04 Wrap) nor RFC 1964 (0x60 DER framing)");
	}
	if (rx.et && r.protocol >= 0 && r.protocol != rx.et->protocol && r.protocol == 1)
		r.bad(std::string("an RFC 4121 token, but ") + rx.et->name + " contexts use RFC 1964 tokens");
	if (r.violations.empty()) printf("format: well-formed (no violations)\n");
	else printf("format: %zu violation%s\n", r.violations.size(), r.violations.size() == 1 ? "" : "s");

	if (!keyed) return r.violations.empty() ? EXIT_OK : EXIT_VERIFY;

	// ---- verification through the public API ----
	bool verified = false;
	kgss_buffer in = {tok.size(), tok.data()};
	if (r.kind == TK_MIC || (r.kind == TK_UNKNOWN && have_msg)) {
		if (!have_msg) {
			fprintf(stderr, "kgss inspect: a MIC token covers a message: give it with --message, --message-hex or "
					"--message-file\n");
			return EXIT_USAGE;
		}
		kgss_buffer m = {msg.size(), msg.data()};
		uint32_t qop = 0;
		kgss_status st = kgss_verify_mic(ctx.c, &m, &in, &qop);
		if (st == KGSS_S_COMPLETE) {
			printf("kgss_verify_mic: %s, qop %u: the MIC is valid for the %zu-byte message\n", status_str(st).c_str(),
			       (unsigned)qop, msg.size());
			verified = true;
		} else {
			printf("kgss_verify_mic: REJECTED: %s\n", status_str(st).c_str());
		}
	} else {
		if (have_msg)
			fprintf(stderr, "kgss inspect: note: the message is ignored, a Wrap token carries its own data\n");
		bytes out(tok.size() + 1);
		kgss_buffer ob = {out.size(), out.data()};
		int conf = -1;
		uint32_t qop = 0;
		kgss_status st = kgss_unwrap(ctx.c, &in, &ob, &conf, &qop);
		if (st == KGSS_S_COMPLETE) {
			printf("kgss_unwrap: %s, conf_state %d (%s), qop %u\n", status_str(st).c_str(), conf,
			       conf ? "was encrypted" : "integrity only", (unsigned)qop);
			printf("plaintext: %zu bytes\n", ob.length);
			hexdump(stdout, out.data(), ob.length, "  ");
			printf("plaintext (text): \"%s\"\n", printable(out.data(), ob.length).c_str());
			verified = true;
		} else {
			printf("kgss_unwrap: REJECTED: %s\n", status_str(st).c_str());
		}
		wipe(out);
	}
	if (verified && r.violations.empty()) {
		printf("result: VERIFIED\n");
		return EXIT_OK;
	}
	if (verified)
		printf("result: verified by libkgss, but the format has %zu violation(s)\n", r.violations.size());
	else
		printf("result: REJECTED\n");
	return EXIT_VERIFY;
}

} // namespace kcli
