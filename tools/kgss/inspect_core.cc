// tools/kgss/inspect_core.cc - see inspect_core.h.
#include "tools/kgss/inspect_core.h"

#include <stdio.h>
#include <string.h>

#include <algorithm>
#include <string>
#include <vector>

#include "gss-kernel-lib/token/constants.h"
#include "gss-kernel-lib/token/framing.h"

namespace kcli {

namespace {

// The token constants are libkgss's (token/constants.h, token/framing.h).
namespace t4 = kgss::tok4121;
namespace t1 = kgss::tok1964;

// RFC 4121: TOK_ID octets 0 and 1 (octet 1 is 04 for both tokens).
constexpr uint8_t CFX_MIC_ID0 = t4::TOK_ID_MIC >> 8;
constexpr uint8_t CFX_WRAP_ID0 = t4::TOK_ID_WRAP >> 8;
constexpr uint8_t CFX_ID1 = t4::TOK_ID_MIC & 0xff;
static_assert((t4::TOK_ID_WRAP & 0xff) == CFX_ID1, "RFC 4121 TOK_IDs share octet 1");
constexpr unsigned CFX_KNOWN_FLAGS = t4::FLAG_SENT_BY_ACCEPTOR | t4::FLAG_SEALED | t4::FLAG_ACCEPTOR_SUBKEY;
// RFC 4121 §4.2.6.2: the sender's header copy inside the encrypted payload.
constexpr size_t CFX_HEADER_COPY_LEN = t4::TOKEN_HEADER_LEN;

// RFC 1964 values libkgss does not implement, named here for the report:
// the delete-context token (§1.2.2) and the single-DES algorithms (RFC 6649).
constexpr uint8_t TOK_ID_DELETE_1964[2] = {0x01, 0x02};
constexpr unsigned SGN_ALG_DES_MAC_MD5 = 0x0000;
constexpr unsigned SGN_ALG_MD2_5 = 0x0001;
constexpr unsigned SGN_ALG_DES_MAC = 0x0002;
constexpr unsigned SGN_ALG_NONE = 0xffff; // not an RFC 1964 value; named "none" for the report
constexpr unsigned SEAL_ALG_DES = 0x0000;
constexpr size_t DES_BLOCK = 8; // DES3 pads to the 8-byte block (RFC 1964 §1.2.2.3)

std::string hx(unsigned v, int digits)
{
	char b[16];
	snprintf(b, sizeof b, "%0*x", digits, v);
	return b;
}

// "04 04": a TOK_ID as the messages print it.
std::string id_str(unsigned hi, unsigned lo) { return hx(hi, 2) + " " + hx(lo, 2); }
std::string id_str(uint16_t id) { return id_str(id >> 8, id & 0xff); }
std::string id_str(const uint8_t (&id)[2]) { return id_str(id[0], id[1]); }

uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

// ---- RFC 4121 ---------------------------------------------------------------------
void decode_cfx(const bytes &t, const receiver &rx, report &r)
{
	r.protocol = 1;
	const bool mic = t[0] == CFX_MIC_ID0;
	r.kind = mic ? TK_MIC : TK_WRAP;
	fprintf(r.out, "token: RFC 4121 %s (TOK_ID %02x %02x), %zu bytes\n", mic ? "MIC" : "Wrap", t[0],
		t.size() > 1 ? t[1] : 0, t.size());
	if (t.size() < 2 || t[1] != CFX_ID1) {
		r.bad("bad TOK_ID " + hx(t[0], 2) + " " + (t.size() > 1 ? hx(t[1], 2) : std::string("--")) +
		      ": RFC 4121 uses " + id_str(t4::TOK_ID_MIC) + " (MIC) and " + id_str(t4::TOK_ID_WRAP) +
		      " (Wrap)");
	}
	if (t.size() < t4::TOKEN_HEADER_LEN) {
		r.bad("truncated header: " + std::to_string(t.size()) + " bytes, an RFC 4121 header is " +
		      std::to_string(t4::TOKEN_HEADER_LEN));
		return;
	}
	const uint8_t flags = t[2];
	std::string names;
	if (flags & t4::FLAG_SENT_BY_ACCEPTOR)
		names += ", SentByAcceptor";
	if (flags & t4::FLAG_SEALED)
		names += ", Sealed";
	if (flags & t4::FLAG_ACCEPTOR_SUBKEY)
		names += ", AcceptorSubkey";
	if (flags & ~CFX_KNOWN_FLAGS)
		names += ", unknown 0x" + hx(flags & ~CFX_KNOWN_FLAGS, 2);
	fprintf(r.out, "  flags      0x%02x%s%s  (sent by the %s)\n", flags, names.empty() ? "" : ": ",
		names.empty() ? "" : names.c_str() + 2, flags & t4::FLAG_SENT_BY_ACCEPTOR ? "acceptor" : "initiator");
	if (flags & ~CFX_KNOWN_FLAGS)
		r.bad("unknown flag bits 0x" + hx(flags & ~CFX_KNOWN_FLAGS, 2) + " (only 0x" +
		      hx(t4::FLAG_SENT_BY_ACCEPTOR, 2) + ", 0x" + hx(t4::FLAG_SEALED, 2) + ", 0x" +
		      hx(t4::FLAG_ACCEPTOR_SUBKEY, 2) + " are defined)");
	if (mic && (flags & t4::FLAG_SEALED))
		r.note("Sealed flag (0x" + hx(t4::FLAG_SEALED, 2) +
		       ") set on a MIC token (RFC 4121 2.2 says not to; MIT and libkgss ignore it)");
	if (rx.role >= 0) {
		const bool from_acceptor = flags & t4::FLAG_SENT_BY_ACCEPTOR;
		const bool expect_from_acceptor = rx.role == 1; // the initiator receives what the acceptor sends
		if (from_acceptor != expect_from_acceptor)
			r.bad(std::string("direction: token sent by the ") +
			      (from_acceptor ? "acceptor" : "initiator") + " but the receiver is the " +
			      (rx.role == 1 ? "initiator" : "acceptor") +
			      " (a reflected token, or --role names the sender instead of the receiver)");
	}
	if (rx.subkey >= 0) {
		const bool f = flags & t4::FLAG_ACCEPTOR_SUBKEY;
		if (f && rx.subkey == 0)
			r.note("AcceptorSubkey flag set but the receiver's context has no acceptor subkey: checked "
			       "under the "
			       "context key (as MIT)");
		if (!f && rx.subkey == 1)
			r.note("AcceptorSubkey flag clear but the context has an acceptor subkey: checked under the "
			       "context "
			       "key (as MIT; needs the lucid's context key, a downcall or serialized context has only "
			       "the subkey)");
	}
	const uint64_t seq = be64(t.data() + 8);
	if (mic) {
		std::string fill = hex_encode(t.data() + 3, t4::MIC_FILLER_LEN);
		std::string want;
		bool ok = true;
		for (size_t i = 3; i < 3 + t4::MIC_FILLER_LEN; i++) {
			ok &= t[i] == t4::FILLER_BYTE;
			if (!want.empty())
				want += ' ';
			want += hx(t4::FILLER_BYTE, 2);
		}
		fprintf(r.out, "  filler     %s%s\n", fill.c_str(), ok ? " (ok)" : "");
		if (!ok)
			r.bad("filler bytes 3.." + std::to_string(2 + t4::MIC_FILLER_LEN) + " are " + fill +
			      ", must be " + want);
		fprintf(r.out, "  SND_SEQ    %llu (0x%016llx)\n", (unsigned long long)seq, (unsigned long long)seq);
		const size_t ck = t.size() - t4::TOKEN_HEADER_LEN;
		fprintf(r.out, "  checksum   %zu bytes: %s\n", ck,
			hex_encode(t.data() + t4::TOKEN_HEADER_LEN, ck).c_str());
		if (ck == 0)
			r.bad("empty checksum");
		else if (rx.et && ck != rx.et->cksum_len)
			r.bad("checksum is " + std::to_string(ck) + " bytes, " + rx.et->name + " uses " +
			      std::to_string(rx.et->cksum_len));
		else if (!rx.et && ck != 12 && ck != 16 && ck != 24)
			r.bad("checksum length " + std::to_string(ck) +
			      " matches no RFC 4121 enctype (12 aes-sha1, 16 aes128-sha256 / camellia, 24 "
			      "aes256-sha384)");
		return;
	}
	// Wrap
	fprintf(r.out, "  filler     %02x%s\n", t[3], t[3] == t4::FILLER_BYTE ? " (ok)" : "");
	if (t[3] != t4::FILLER_BYTE)
		r.bad("filler byte 3 is " + hx(t[3], 2) + ", must be " + hx(t4::FILLER_BYTE, 2));
	const unsigned ec = (unsigned)t[4] << 8 | t[5];
	const unsigned rrc = (unsigned)t[6] << 8 | t[7];
	const size_t payload = t.size() - t4::TOKEN_HEADER_LEN;
	const bool sealed = flags & t4::FLAG_SEALED;
	fprintf(r.out, "  EC         %u\n", ec);
	fprintf(r.out, "  RRC        %u%s\n", rrc, rrc ? " (payload rotated right; un-rotated below)" : "");
	fprintf(r.out, "  SND_SEQ    %llu (0x%016llx)\n", (unsigned long long)seq, (unsigned long long)seq);
	if (payload == 0) {
		r.bad("no payload after the " + std::to_string(t4::TOKEN_HEADER_LEN) + "-byte header");
		return;
	}
	if (rrc > payload)
		r.bad("RRC " + std::to_string(rrc) + " exceeds the " + std::to_string(payload) +
		      "-byte payload (rotation would wrap; no conforming sender does this)");
	// un-rotate: rotate left by rrc mod payload
	bytes p(t.begin() + t4::TOKEN_HEADER_LEN, t.end());
	size_t rot = rrc % payload;
	if (rot) {
		bytes q(p.size());
		for (size_t i = 0; i < p.size(); i++)
			q[i] = p[(i + rot) % p.size()];
		p.swap(q);
	}
	if (sealed) {
		fprintf(r.out,
			"  payload    %zu bytes, encrypted: E(confounder | plaintext | %u filler bytes | header copy) "
			"| checksum\n",
			payload, ec);
		if (rx.et) {
			const size_t fixed = rx.et->conf_len + CFX_HEADER_COPY_LEN + rx.et->cksum_len;
			fprintf(r.out, "             %s: confounder %zu, header copy %zu, checksum %zu\n", rx.et->name,
				rx.et->conf_len, CFX_HEADER_COPY_LEN, rx.et->cksum_len);
			if (payload < fixed + ec)
				r.bad("EC inconsistent: payload " + std::to_string(payload) + " < confounder " +
				      std::to_string(rx.et->conf_len) + " + EC " + std::to_string(ec) +
				      " + header copy " + std::to_string(CFX_HEADER_COPY_LEN) + " + checksum " +
				      std::to_string(rx.et->cksum_len));
			else
				fprintf(r.out, "  plaintext  %zu bytes (encrypted)\n", payload - fixed - ec);
			fprintf(r.out, "  checksum   %s\n",
				hex_encode(p.data() + p.size() - std::min(p.size(), rx.et->cksum_len),
					   std::min(p.size(), rx.et->cksum_len))
					.c_str());
		} else {
			fprintf(r.out,
				"             plaintext = payload - 16 (confounder) - EC - %zu (header copy) - h, h = "
				"12 / 16 / 24 by enctype\n",
				CFX_HEADER_COPY_LEN);
			if (payload < 16 + CFX_HEADER_COPY_LEN + 12 + (size_t)ec)
				r.bad("EC inconsistent: payload " + std::to_string(payload) + " < confounder 16 + EC " +
				      std::to_string(ec) + " + header copy " + std::to_string(CFX_HEADER_COPY_LEN) +
				      " + the shortest checksum 12");
		}
	} else {
		fprintf(r.out, "  payload    %zu bytes, integrity only: plaintext | checksum (EC = checksum length)\n",
			payload);
		if (ec > payload) {
			r.bad("EC " + std::to_string(ec) + " larger than the " + std::to_string(payload) +
			      "-byte payload");
			return;
		}
		if (rx.et && ec != rx.et->cksum_len)
			r.bad("EC " + std::to_string(ec) + " must equal the checksum length " +
			      std::to_string(rx.et->cksum_len) + " of " + rx.et->name + " in an integrity-only Wrap");
		else if (!rx.et && ec != 12 && ec != 16 && ec != 24)
			r.bad("EC " + std::to_string(ec) +
			      " is no RFC 4121 checksum length (12, 16, 24) as an integrity-only Wrap requires");
		if (ec == 0)
			r.bad("empty checksum (EC 0) in an integrity-only Wrap");
		const size_t dl = payload - ec;
		fprintf(r.out, "  checksum   %u bytes: %s\n", ec, hex_encode(p.data() + dl, ec).c_str());
		fprintf(r.out, "  plaintext  %zu bytes, in the clear (NOT verified without the key):\n", dl);
		hexdump(r.out, p.data(), dl, "             ");
	}
}

// ---- RFC 1964 ---------------------------------------------------------------------
const char *sign_alg_name(unsigned a)
{
	switch (a) {
	case SGN_ALG_DES_MAC_MD5:
		return "DES MAC MD5 (single DES)";
	case SGN_ALG_MD2_5:
		return "MD2.5 (single DES)";
	case SGN_ALG_DES_MAC:
		return "DES MAC (single DES)";
	case t1::SGN_ALG_HMAC_SHA1_DES3_KD:
		return "HMAC SHA1 DES3-KD";
	case t1::SGN_ALG_HMAC_MD5:
		return "HMAC MD5 (RC4-HMAC, RFC 4757)";
	case SGN_ALG_NONE:
		return "none";
	default:
		return nullptr;
	}
}
const char *seal_alg_name(unsigned a)
{
	switch (a) {
	case t1::SEAL_ALG_NONE:
		return "none (integrity only)";
	case SEAL_ALG_DES:
		return "DES (single DES)";
	case t1::SEAL_ALG_DES3_KD:
		return "DES3-KD";
	case t1::SEAL_ALG_RC4:
		return "RC4";
	default:
		return nullptr;
	}
}

std::string oid_dotted(const uint8_t *p, size_t n)
{
	if (n == 0)
		return "(empty)";
	std::string s = std::to_string(p[0] / 40) + "." + std::to_string(p[0] % 40);
	uint64_t v = 0;
	for (size_t i = 1; i < n; i++) {
		v = v << 7 | (p[i] & 0x7f);
		if (!(p[i] & 0x80)) {
			s += "." + std::to_string(v);
			v = 0;
		}
	}
	if (n > 1 && (p[n - 1] & 0x80))
		s += ".(truncated)";
	return s;
}

void decode_1964_inner(const uint8_t *in, size_t n, const receiver &rx, report &r);

void decode_1964(const bytes &t, const receiver &rx, report &r)
{
	r.protocol = 0;
	fprintf(r.out, "token: RFC 1964 (DER framing 0x%02x), %zu bytes\n", kgss::GSS_FRAMING_TAG, t.size());
	if (t.size() < 2) {
		r.bad("truncated DER framing: no length byte after 0x" + hx(kgss::GSS_FRAMING_TAG, 2));
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
		for (size_t i = 0; i < nb; i++)
			dlen = dlen << 8 | t[2 + i];
		pos = 2 + nb;
		if (t[2] == 0 || (nb == 1 && dlen < 0x80))
			r.note("non-minimal DER length encoding (accepted by MIT and libkgss)");
	}
	fprintf(r.out, "  DER length %zu (%zu bytes follow)\n", dlen, t.size() - pos);
	if (dlen != t.size() - pos)
		r.bad("DER length mismatch: the header says " + std::to_string(dlen) + " bytes, " +
		      std::to_string(t.size() - pos) + " follow");
	if (t.size() < pos + 2) {
		r.bad("truncated: no OID after the DER length");
		return;
	}
	if (t[pos] != kgss::KRB5_OID_DER[0]) {
		r.bad("expected the OID tag " + hx(kgss::KRB5_OID_DER[0], 2) + " after the DER length, found " +
		      hx(t[pos], 2));
		return;
	}
	size_t olen = t[pos + 1];
	if (olen >= 0x80 || t.size() < pos + 2 + olen) {
		r.bad("truncated or malformed OID (length byte " + hx(t[pos + 1], 2) + ")");
		return;
	}
	// libkgss's krb5 OID (token/framing.h) is DER: 06 09 and the nine octets.
	const uint8_t *krb5_oid = kgss::KRB5_OID_DER + 2;
	const size_t krb5_oid_len = kgss::KRB5_OID_DER_LEN - 2;
	static const uint8_t ms_oid[9] = {0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12, 0x01, 0x02, 0x02};
	const uint8_t *oid = t.data() + pos + 2;
	std::string dotted = oid_dotted(oid, olen);
	bool krb5 = olen == krb5_oid_len && memcmp(oid, krb5_oid, krb5_oid_len) == 0;
	fprintf(r.out, "  mech OID   %s%s\n", dotted.c_str(), krb5 ? " (Kerberos V5, RFC 1964)" : "");
	if (!krb5) {
		if (olen == sizeof(ms_oid) && memcmp(oid, ms_oid, sizeof(ms_oid)) == 0)
			r.bad("wrong OID " + dotted +
			      " (Microsoft's legacy krb5 OID; per-message tokens use 1.2.840.113554.1.2.2)");
		else
			r.bad("wrong OID " + dotted + " (expected the krb5 mechanism 1.2.840.113554.1.2.2)");
	}
	pos += 2 + olen;
	if (t.size() > pos && (t[pos] == CFX_MIC_ID0 || t[pos] == CFX_WRAP_ID0)) {
		r.note("an RFC 4121 token inside a GSS framing header (accepted by MIT's plain calls and by libkgss)");
		decode_cfx(bytes(t.begin() + pos, t.end()), rx, r);
		return;
	}
	decode_1964_inner(t.data() + pos, t.size() - pos, rx, r);
}

void decode_1964_inner(const uint8_t *in, size_t n, const receiver &rx, report &r)
{
	if (n < 2) {
		r.bad("truncated: no TOK_ID after the OID");
		return;
	}
	if (memcmp(in, t1::TOK_ID_MIC, 2) == 0) {
		r.kind = TK_MIC;
		fprintf(r.out, "  TOK_ID     %s (MIC)\n", id_str(t1::TOK_ID_MIC).c_str());
	} else if (memcmp(in, t1::TOK_ID_WRAP, 2) == 0) {
		r.kind = TK_WRAP;
		fprintf(r.out, "  TOK_ID     %s (Wrap)\n", id_str(t1::TOK_ID_WRAP).c_str());
	} else if (memcmp(in, TOK_ID_DELETE_1964, 2) == 0) {
		fprintf(r.out, "  TOK_ID     %s (delete context)\n", id_str(TOK_ID_DELETE_1964).c_str());
		r.bad("TOK_ID " + id_str(TOK_ID_DELETE_1964) +
		      " is a delete-context token (RFC 1964 1.2.2), not a MIC or Wrap token");
		return;
	} else {
		fprintf(r.out, "  TOK_ID     %02x %02x\n", in[0], in[1]);
		r.bad("bad TOK_ID " + id_str(in[0], in[1]) + ": RFC 1964 uses " + id_str(t1::TOK_ID_MIC) +
		      " (MIC) and " + id_str(t1::TOK_ID_WRAP) + " (Wrap)");
		return;
	}
	if (n < t1::CKSUM_OFF) {
		r.bad("truncated header: the token body is " + std::to_string(n) +
		      " bytes, an RFC 1964 header (TOK_ID, SGN_ALG, SEAL_ALG, filler, SND_SEQ) is " +
		      std::to_string(t1::CKSUM_OFF));
		return;
	}
	const unsigned sgn = in[2] | (unsigned)in[3] << 8;
	const unsigned seal = in[4] | (unsigned)in[5] << 8;
	const char *sn = sign_alg_name(sgn);
	const char *en = seal_alg_name(seal);
	fprintf(r.out, "  SGN_ALG    %02x %02x = 0x%04x %s\n", in[2], in[3], sgn, sn ? sn : "(unknown)");
	fprintf(r.out, "  SEAL_ALG   %02x %02x = 0x%04x %s\n", in[4], in[5], seal, en ? en : "(unknown)");
	if (!sn || sgn == SGN_ALG_NONE)
		r.bad("unknown SGN_ALG 0x" + hx(sgn, 4));
	else if (sgn <= SGN_ALG_DES_MAC)
		r.bad(std::string("SGN_ALG ") + sn + " is single DES (not supported; RFC 6649)");
	if (!en)
		r.bad("unknown SEAL_ALG 0x" + hx(seal, 4));
	else if (seal == SEAL_ALG_DES)
		r.bad("SEAL_ALG DES is single DES (not supported; RFC 6649)");
	if (r.kind == TK_MIC && seal != t1::SEAL_ALG_NONE)
		r.bad("a MIC token must have SEAL_ALG " + id_str(t1::SEAL_ALG_NONE & 0xff, t1::SEAL_ALG_NONE >> 8) +
		      ", not " + hx(seal, 4));
	if (r.kind == TK_WRAP && ((sgn == t1::SGN_ALG_HMAC_SHA1_DES3_KD && seal == t1::SEAL_ALG_RC4) ||
				  (sgn == t1::SGN_ALG_HMAC_MD5 && seal == t1::SEAL_ALG_DES3_KD)))
		r.bad("SGN_ALG " + std::string(sn) + " with SEAL_ALG " + en + " (mixed algorithm families)");
	if (rx.et && rx.et->protocol == 0 && sgn != rx.et->sign_alg)
		r.bad("SGN_ALG 0x" + hx(sgn, 4) + " does not belong to " + rx.et->name + " (0x" +
		      hx(rx.et->sign_alg, 4) + ")");
	if (rx.et && rx.et->protocol == 1)
		r.bad(std::string("an RFC 1964 token, but ") + rx.et->name + " contexts use RFC 4121 tokens");
	const bool fill_ok = in[6] == t1::FILLER_BYTE && in[7] == t1::FILLER_BYTE;
	fprintf(r.out, "  filler     %02x %02x%s\n", in[6], in[7], fill_ok ? " (ok)" : "");
	if (!fill_ok)
		r.bad("filler bytes are " + id_str(in[6], in[7]) + ", must be " +
		      id_str(t1::FILLER_BYTE, t1::FILLER_BYTE));
	fprintf(r.out, "  SND_SEQ    %s (encrypted: sequence number + direction bytes)\n",
		hex_encode(in + t1::SND_SEQ_OFF, t1::SND_SEQ_LEN).c_str());
	size_t ck;
	if (rx.et && rx.et->protocol == 0)
		ck = rx.et->cksum_len;
	else
		ck = sgn == t1::SGN_ALG_HMAC_SHA1_DES3_KD ? t1::CKSUM_LEN_DES3 : t1::CKSUM_LEN_RC4;
	if (n < t1::CKSUM_OFF + ck) {
		r.bad("truncated: SGN_CKSUM needs " + std::to_string(ck) + " bytes, " +
		      std::to_string(n - t1::CKSUM_OFF) + " present");
		return;
	}
	fprintf(r.out, "  SGN_CKSUM  %zu bytes: %s\n", ck, hex_encode(in + t1::CKSUM_OFF, ck).c_str());
	const size_t rest = n - t1::CKSUM_OFF - ck;
	if (r.kind == TK_MIC) {
		if (rest)
			r.note(std::to_string(rest) +
			       " trailing bytes after SGN_CKSUM in a MIC token: outside the checksum, "
			       "ignored by MIT and libkgss (Heimdal's DES3 MICs end in 2 zero bytes)");
		return;
	}
	const bool rc4 = sgn == t1::SGN_ALG_HMAC_MD5 || seal == t1::SEAL_ALG_RC4;
	fprintf(r.out, "  body       %zu bytes: confounder %zu | data | padding (%s)%s\n", rest, t1::CONF_LEN,
		rc4 ? "RC4: 1 pad byte 01" : "DES3: 1..8 bytes, each = the pad length",
		seal == t1::SEAL_ALG_NONE ? ", in the clear" : ", encrypted");
	if (rest < t1::CONF_LEN + 1) {
		r.bad("body of " + std::to_string(rest) + " bytes is shorter than the confounder (" +
		      std::to_string(t1::CONF_LEN) + ") plus padding (at least 1)");
		return;
	}
	if (!rc4 && rest % DES_BLOCK != 0)
		r.bad("DES3 body of " + std::to_string(rest) + " bytes is not a multiple of the " +
		      std::to_string(DES_BLOCK) + "-byte block");
	if (seal == t1::SEAL_ALG_NONE) {
		const uint8_t *body = in + t1::CKSUM_OFF + ck;
		// The receivers' rule (MIT, libkgss): the pad length is the last byte,
		// 1 .. data | pad; the other pad bytes are not looked at.
		unsigned pad = body[rest - 1];
		fprintf(r.out, "  confounder %s\n", hex_encode(body, t1::CONF_LEN).c_str());
		if (pad < 1 || pad > rest - t1::CONF_LEN) {
			r.bad("padding is not valid (last byte " + hx(pad, 2) + ")");
			return;
		}
		bool pad_rfc = rc4 ? pad == 1 : pad <= DES_BLOCK;
		for (unsigned i = 0; pad_rfc && i < pad; i++)
			pad_rfc = body[rest - 1 - i] == pad;
		if (!pad_rfc)
			r.note("padding is not what " +
			       std::string(rc4 ? "RFC 4757 (one byte 01)" : "RFC 1964 (1..8 bytes each = the length)") +
			       " prescribes; receivers take the last byte (" + hx(pad, 2) + ") as its length");
		fprintf(r.out, "  padding    %u bytes\n", pad);
		fprintf(r.out, "  data       %zu bytes, in the clear (NOT verified without the key):\n",
			rest - t1::CONF_LEN - pad);
		hexdump(r.out, body + t1::CONF_LEN, rest - t1::CONF_LEN - pad, "             ");
	} else {
		fprintf(r.out, "  data       about %zu bytes (%s)\n", rest - t1::CONF_LEN - 1,
			rc4 ? "exact: body - 9" : "body - 8 - padding (1..8), known after decryption");
	}
}

} // namespace

void inspect_structure(const uint8_t *tok, size_t n, const receiver &rx, report &r)
{
	const bytes t(tok, tok + n); // the decoders index a vector of exactly n bytes
	if (t.empty()) {
		fprintf(r.out, "token: empty\n");
		r.bad("empty token");
	} else if (t[0] == CFX_MIC_ID0 || t[0] == CFX_WRAP_ID0) {
		decode_cfx(t, rx, r);
	} else if (t[0] == kgss::GSS_FRAMING_TAG) {
		decode_1964(t, rx, r);
	} else if (t.size() >= 2 && (t[0] == t1::TOK_ID_MIC[0] || t[0] == t1::TOK_ID_WRAP[0]) &&
		   (t[1] == t1::TOK_ID_MIC[1] || t[1] == TOK_ID_DELETE_1964[1])) {
		fprintf(r.out, "token: RFC 1964 inner token WITHOUT the DER framing, %zu bytes\n", t.size());
		r.note("RFC 1964 token without its DER framing (0x" + hx(kgss::GSS_FRAMING_TAG, 2) +
		       " length OID): MIT and libkgss accept it");
		r.protocol = 0;
		decode_1964_inner(t.data(), t.size(), rx, r);
	} else {
		fprintf(r.out, "token: unknown, %zu bytes, starts %s\n", t.size(),
			hex_encode(t.data(), std::min<size_t>(t.size(), 8)).c_str());
		r.bad("unknown TOK_ID " + hex_encode(t.data(), std::min<size_t>(t.size(), 2)) + ": neither RFC 4121 (" +
		      id_str(t4::TOK_ID_MIC) + " MIC, " + id_str(t4::TOK_ID_WRAP) + " Wrap) nor RFC 1964 (0x" +
		      hx(kgss::GSS_FRAMING_TAG, 2) + " DER framing)");
	}
	if (rx.et && r.protocol >= 0 && r.protocol != rx.et->protocol && r.protocol == 1)
		r.bad(std::string("an RFC 4121 token, but ") + rx.et->name + " contexts use RFC 1964 tokens");
	if (r.violations.empty())
		fprintf(r.out, "format: well-formed (no violations)\n");
	else
		fprintf(r.out, "format: %zu violation%s\n", r.violations.size(), r.violations.size() == 1 ? "" : "s");
}

int inspect_verify(FILE *out, FILE *err, kgss_ctx *ctx, const uint8_t *tok, size_t n, const report &r, const bytes *msg,
		   kgss_status *st_out)
{
	bool verified = false;
	bytes copy(tok, tok + n); // kgss_buffer is not const
	kgss_buffer in = {copy.size(), copy.empty() ? nullptr : copy.data()};
	kgss_status st;
	if (r.kind == TK_MIC || (r.kind == TK_UNKNOWN && msg)) {
		if (!msg) {
			fprintf(err,
				"kgss inspect: a MIC token covers a message: give it with --message, --message-hex or "
				"--message-file\n");
			return EXIT_USAGE;
		}
		bytes mcopy(*msg);
		kgss_buffer m = {mcopy.size(), mcopy.empty() ? nullptr : mcopy.data()};
		uint32_t qop = 0;
		st = kgss_verify_mic(ctx, &m, &in, &qop);
		if (st == KGSS_S_COMPLETE) {
			fprintf(out, "kgss_verify_mic: %s, qop %u: the MIC is valid for the %zu-byte message\n",
				status_str(st).c_str(), (unsigned)qop, msg->size());
			verified = true;
		} else {
			fprintf(out, "kgss_verify_mic: REJECTED: %s\n", status_str(st).c_str());
		}
	} else {
		if (msg)
			fprintf(err, "kgss inspect: note: the message is ignored, a Wrap token carries its own data\n");
		bytes plain(n + 1);
		kgss_buffer ob = {plain.size(), plain.data()};
		int conf = -1;
		uint32_t qop = 0;
		st = kgss_unwrap(ctx, &in, &ob, &conf, &qop);
		if (st == KGSS_S_COMPLETE) {
			fprintf(out, "kgss_unwrap: %s, conf_state %d (%s), qop %u\n", status_str(st).c_str(), conf,
				conf ? "was encrypted" : "integrity only", (unsigned)qop);
			fprintf(out, "plaintext: %zu bytes\n", ob.length);
			hexdump(out, plain.data(), ob.length, "  ");
			fprintf(out, "plaintext (text): \"%s\"\n", printable(plain.data(), ob.length).c_str());
			verified = true;
		} else {
			fprintf(out, "kgss_unwrap: REJECTED: %s\n", status_str(st).c_str());
		}
		wipe(plain);
	}
	if (st_out)
		*st_out = st;
	if (verified && r.violations.empty()) {
		fprintf(out, "result: VERIFIED\n");
		return EXIT_OK;
	}
	if (verified)
		fprintf(out, "result: verified by libkgss, but the format has %zu violation(s)\n", r.violations.size());
	else
		fprintf(out, "result: REJECTED\n");
	return EXIT_VERIFY;
}

// ---- input ------------------------------------------------------------------------
static bool all_text(const bytes &b)
{
	for (uint8_t c : b)
		if (!(c == '\n' || c == '\r' || c == '\t' || (c >= 0x20 && c < 0x7f)))
			return false;
	return true;
}

// File or stdin contents: text that is hex or base64 is decoded, else raw.
void decode_contents(bytes &raw, std::string *how)
{
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

} // namespace kcli
