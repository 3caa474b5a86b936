// tests/differential/test_differential.cc - libkgss's receive side against MIT krb5's,
// token by token, on deterministic mutations of real MIT tokens.
//
// For every enctype MIT negotiates with the loopback KDC (16 17 18 19 20 23 24 25 26)
// x mutual on/off x receiving side (initiator, acceptor):
//   1. a live MIT pair is established WITHOUT replay/sequence flags, so that the MIT
//      receiver's answer depends on the token alone;
//   2. the receiving context is exported once (gss_export_sec_context) and imported
//      twice: one copy is exported as a lucid context and imported into libkgss
//      (no receive window), the other stays live as the ORACLE;
//   3. the sending MIT side makes tokens of every kind (gss_wrap conf and integ,
//      gss_get_mic, gss_wrap_iov without TRAILER - RRC != 0 for RFC 4121 -, conf and
//      integ) over a few message sizes;
//   4. every token is mutated deterministically (seeded PRNG, bounded counts): bit
//      flips, truncations, extensions, header-field edits (TOK_ID, flags, filler, EC,
//      RRC, SND_SEQ, SGN_ALG, SEAL_ALG), valid re-rotations, DER re-encodings
//      (non-minimal lengths, wrong lengths, the GSS framing removed or added); MICs
//      are also checked against altered messages; for RFC 4121, tokens with edited
//      headers are also FORGED with valid checksums / encryption from the sender's keys
//      (MIT's krb5_c_make_checksum / krb5_c_encrypt): Sealed / AcceptorSubkey /
//      undefined flags, direction, key usage, filler, token id, EC and filler, RRC,
//      the encrypted header copy; for RFC 1964 (DES3, RC4) likewise with tests/token1964's
//      reference builder: direction octets and the padding rules;
//   5. the original and each mutation go to MIT (plain gss_unwrap / gss_verify_mic:
//      MIT 1.20's gss_verify_mic_iov asserts on a header-only RFC 4121 MIC) and to
//      libkgss (kgss_unwrap / kgss_verify_mic; the builtin and the OpenSSL backend,
//      which must give the same status; and libkgss's IOV path, kgss_unwrap_iov(STREAM)
//      / kgss_verify_mic_iov, which must give the same answer).  Both must accept or both reject,
//      and an accepted token must give the same plaintext and conf_state.
// A disagreement fails the test unless k_allowed lists its class with the reason
// docs/interop.md gives.  The number of agreements and of each allowed divergence
// class is printed at exit, with an example token for every divergence class.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "CppUTest/TestHarness.h"
#include "kgss.h"
#include "kgss_user.h"
#include "t1964_util.h" // the independent RFC 1964 / RFC 4757 reference token builder
#include "testutil.h"
#include "tools/mit/mit_peer.h"

#include <krb5/krb5.h>

using namespace kmit;
using kt::bytes;

namespace {

// ---- allowed divergences -------------------------------------------------------------
// A class is "<family> <token kind> <mutation>: <verdict>", e.g.
// "rfc1964 mic extend-der: MIT accepts, kgss rejects".  Every entry names the
// docs/interop.md section that decides the difference.
struct allowed_divergence {
	const char *cls;    // exact class string
	const char *reason; // docs/interop.md section and the reason
};
const char k_pad_zero_reason[] =
	"docs/interop.md, Remaining divergences from MIT, \"RFC 1964 pad length 0 through plain gss_unwrap\": "
	"MIT's own gss_unwrap_iov refuses it, no sender emits it, one rule for all paths";
const char k_des3_unaligned_reason[] =
	"docs/interop.md, Remaining divergences from MIT, \"DES3 integrity-only wrap not a multiple of 8\": "
	"no DES3 sender emits it (RFC 1964 pads to the block), decided for this release, open for the next";
const allowed_divergence k_allowed[] = {
	{"rfc1964 wrap-integ forge-pad-1: MIT accepts, kgss rejects", k_des3_unaligned_reason},
	{"rfc1964 wrap-integ forge-pad-2: MIT accepts, kgss rejects", k_des3_unaligned_reason},
	{"rfc1964 wrap-integ forge-pad-none: MIT accepts, kgss rejects", k_des3_unaligned_reason},
	{"rfc1964 wrap-conf forge-pad-zero: MIT accepts, kgss rejects", k_pad_zero_reason},
	{"rfc1964 wrap-integ forge-pad-zero: MIT accepts, kgss rejects", k_pad_zero_reason},
};

const char *allowed_reason(const std::string &cls)
{
	for (const auto &a : k_allowed)
		if (cls == a.cls)
			return a.reason;
	return nullptr;
}

// ---- results ---------------------------------------------------------------------------
struct divergence_class {
	long count = 0;
	std::string example; // first one: where, statuses, token
};
long g_agree = 0, g_compared = 0;
std::map<std::string, divergence_class> g_div; // by class
std::map<int, long> g_compared_by_enctype;
struct class_stats {
	long both_accept = 0, both_reject = 0, diverge = 0;
};
std::map<std::string, class_stats> g_by_mutation; // by mutation class, every family and kind
// Both reject, with other major statuses: reported, not failed (the answer is the same).
std::map<std::string, long> g_status_diff;

struct report {
	~report()
	{
		printf("\ntest_differential: %ld tokens compared, %ld agreements between MIT and libkgss\n", g_compared,
		       g_agree);
		for (auto &kv : g_compared_by_enctype)
			printf("  enctype %2d %-28s %6ld tokens\n", kv.first, mit_enctype_name(kv.first), kv.second);
		printf("test_differential: per mutation class (both accept / both reject / diverge):\n");
		for (auto &kv : g_by_mutation)
			printf("  %-20s %6ld %6ld %6ld\n", kv.first.c_str(), kv.second.both_accept,
			       kv.second.both_reject, kv.second.diverge);
		long sd = 0;
		for (auto &kv : g_status_diff)
			sd += kv.second;
		printf("test_differential: %ld rejections with another major status than MIT's (information), by "
		       "class:\n",
		       sd);
		for (auto &kv : g_status_diff)
			printf("  %6ld  %s\n", kv.second, kv.first.c_str());
		long allowed = 0, other = 0;
		for (auto &kv : g_div)
			(allowed_reason(kv.first) ? allowed : other) += kv.second.count;
		printf("test_differential: %zu divergence classes, %ld allowed divergences, %ld not allowed\n",
		       g_div.size(), allowed, other);
		for (auto &kv : g_div) {
			const char *r = allowed_reason(kv.first);
			printf("  %s %-60s %6ld  %s\n      e.g. %s\n", r ? "allowed" : "FAILING", kv.first.c_str(),
			       kv.second.count, r ? r : "", kv.second.example.c_str());
		}
	}
} g_report;

// ---- deterministic randomness ----------------------------------------------------------------
struct prng {
	uint64_t s;
	uint64_t next()
	{ // splitmix64
		uint64_t z = (s += 0x9e3779b97f4a7c15ull);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		return z ^ (z >> 31);
	}
	size_t below(size_t n) { return n ? (size_t)(next() % n) : 0; }
};

// ---- token anatomy -----------------------------------------------------------------------------
const uint8_t k_krb5_oid[11] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02};

// DER length octets for n; `extra` > 0 makes the long form with that many extra
// leading zero octets (non-minimal).
bytes der_len(size_t n, int extra)
{
	bytes v;
	for (size_t x = n; x; x >>= 8)
		v.insert(v.begin(), (uint8_t)(x & 0xff));
	if (extra == 0 && n < 128)
		return bytes{(uint8_t)n};
	for (int i = 0; i < extra; i++)
		v.insert(v.begin(), 0);
	if (v.empty())
		v.push_back(0);
	v.insert(v.begin(), (uint8_t)(0x80 | v.size()));
	return v;
}

// The GSS framing of an MIT token: 0x60 <len> then the OID at `body`.
struct framing {
	bool present = false;
	size_t body = 0; // offset of the OID
	size_t hdr = 0;  // offset of TOK_ID (0 without framing)
};
framing parse_framing(const bytes &t)
{
	framing f;
	if (t.size() < 2 || t[0] != 0x60)
		return f;
	size_t nl = (t[1] & 0x80) ? 1 + (t[1] & 0x7f) : 1;
	if (1 + nl + sizeof k_krb5_oid > t.size())
		return f;
	f.present = true;
	f.body = 1 + nl;
	f.hdr = f.body + sizeof k_krb5_oid;
	return f;
}
bytes frame(const bytes &oid_and_token, int extra, long len_delta = 0)
{
	bytes out{0x60};
	bytes l = der_len((size_t)((long)oid_and_token.size() + len_delta), extra);
	out.insert(out.end(), l.begin(), l.end());
	out.insert(out.end(), oid_and_token.begin(), oid_and_token.end());
	return out;
}

// ---- the samples and their mutations ------------------------------------------------------------
enum tok_kind { WRAP_CONF, WRAP_INTEG, MIC, IOV_CONF, IOV_INTEG };
const char *kind_name(tok_kind k)
{
	switch (k) {
	case WRAP_CONF:
		return "wrap-conf";
	case WRAP_INTEG:
		return "wrap-integ";
	case MIC:
		return "mic";
	case IOV_CONF:
		return "iov-conf";
	case IOV_INTEG:
		return "iov-integ";
	}
	return "?";
}

struct mutation {
	std::string what; // mutation class
	bytes token;
	bytes msg; // the message a MIC is checked against
};

struct mutator {
	prng &r;
	const bytes &tok;
	const bytes &msg;
	bool cfx;
	bool mic;
	std::vector<mutation> out;

	void add(const std::string &what, const bytes &t) { out.push_back({what, t, msg}); }
	void add_msg(const std::string &what, const bytes &m) { out.push_back({what, tok, m}); }
	bytes with(size_t off, std::initializer_list<uint8_t> v) const
	{
		bytes t = tok;
		size_t i = 0;
		for (uint8_t b : v)
			if (off + i < t.size())
				t[off + i++] = b;
		return t;
	}
	void set16(bytes &t, size_t off, unsigned v) const
	{
		if (off + 1 < t.size()) {
			t[off] = (uint8_t)(v >> 8);
			t[off + 1] = (uint8_t)v;
		}
	}

	void generic()
	{
		const size_t n = tok.size();
		// bit flips anywhere
		for (int i = 0; i < 48 && n; i++) {
			bytes t = tok;
			t[r.below(n)] ^= (uint8_t)(1u << r.below(8));
			add("bitflip", t);
		}
		// truncations
		framing f = parse_framing(tok);
		std::set<size_t> cuts = {0,          1,          2,          f.hdr + 1, f.hdr + 8, f.hdr + 15,
					 f.hdr + 16, f.hdr + 17, f.hdr + 24, n - 1,     n - 2,     n / 2};
		for (int i = 0; i < 4; i++)
			cuts.insert(r.below(n));
		for (size_t c : cuts)
			if (c < n)
				add("truncate", bytes(tok.begin(), tok.begin() + c));
		// extensions: zeros and random bytes, the DER length left alone or covering them
		const size_t ext[] = {1, 2, 7, 16, 64};
		for (size_t e : ext) {
			bytes z = tok, x = tok;
			z.insert(z.end(), e, 0);
			for (size_t i = 0; i < e; i++)
				x.push_back((uint8_t)r.next());
			add("extend-zero", z);
			add("extend-random", x);
			if (f.present) {
				bytes body(tok.begin() + f.body, tok.end()), bz = body;
				bz.insert(bz.end(), e, 0);
				add("extend-zero-der", frame(bz, 0));
				for (size_t i = 0; i < e; i++)
					body.push_back((uint8_t)r.next());
				add("extend-random-der", frame(body, 0));
			}
		}
	}

	void header_cfx()
	{
		const size_t n = tok.size();
		if (n < 16)
			return;
		const uint8_t ids[][2] = {{0x04, 0x04}, {0x05, 0x04}, {0x01, 0x01}, {0x02, 0x01},
					  {0x04, 0x05}, {0x00, 0x00}, {0x05, 0x05}};
		for (auto &id : ids)
			if (id[0] != tok[0] || id[1] != tok[1])
				add("tokid", with(0, {id[0], id[1]}));
		for (int b = 0; b < 8; b++)
			add("flags-bit" + std::to_string(b), with(2, {(uint8_t)(tok[2] ^ (1u << b))}));
		if (mic) {
			for (size_t i = 3; i < 8; i++) {
				add("filler", with(i, {0x00}));
				add("filler", with(i, {0xfe}));
			}
		} else {
			add("filler", with(3, {0x00}));
			add("filler", with(3, {0xfe}));
			const unsigned ec = (unsigned)tok[4] << 8 | tok[5], rrc = (unsigned)tok[6] << 8 | tok[7];
			const unsigned ecs[] = {0,       1,      ec - 1, ec + 1,
						ec + 16, 0xffff, 0x8000, (unsigned)r.below(65536)};
			for (unsigned v : ecs) {
				if ((v & 0xffff) == ec)
					continue;
				bytes t = tok;
				set16(t, 4, v & 0xffff);
				add("ec", t);
			}
			// RRC rewritten without moving bytes: only a value congruent modulo the
			// rotated length gives the same token (RFC 4121 leaves RRC unprotected)
			const unsigned body = (unsigned)(n - 16);
			const unsigned rrcs[] = {rrc + 1, rrc ? rrc - 1 : 1, 0xffff, (unsigned)r.below(65536)};
			for (unsigned v : rrcs) {
				if ((v & 0xffff) == rrc)
					continue;
				bytes t = tok;
				set16(t, 6, v & 0xffff);
				add("rrc", t);
			}
			if (body && rrc + body <= 0xffff) {
				bytes t = tok;
				set16(t, 6, rrc + body);
				add("rrc-congruent", t);
			}
			// valid re-rotations: the same token with another RRC and the bytes moved
			if (body) {
				bytes plain(tok.begin() + 16, tok.end()); // rotate left by rrc: RRC 0 form
				std::rotate(plain.begin(), plain.begin() + (rrc % body), plain.end());
				const unsigned news[] = {0, 1, 12, 16, 28, body - 1, body, body + 3};
				for (unsigned k : news) {
					if (k == rrc || k > 0xffff)
						continue;
					bytes t(tok.begin(), tok.begin() + 16), p = plain;
					std::rotate(p.begin(), p.begin() + (body - (k % body)) % body, p.end());
					t.insert(t.end(), p.begin(), p.end());
					set16(t, 6, k);
					add("rerotate", t);
				}
			}
		}
		for (int i = 0; i < 2; i++) {
			bytes t = tok;
			t[8 + r.below(8)] ^= (uint8_t)(1u << r.below(8));
			add("snd-seq", t);
		}
		// the GSS framing added around an RFC 4121 token
		bytes body(k_krb5_oid, k_krb5_oid + sizeof k_krb5_oid);
		body.insert(body.end(), tok.begin(), tok.end());
		add("der-add", frame(body, 0));
		add("der-add-long", frame(body, 1));
		add("der-add-long2", frame(body, 2));
		add("der-add-badlen", frame(body, 0, 1));
		add("der-add-badlen", frame(body, 0, -1));
	}

	void header_1964()
	{
		framing f = parse_framing(tok);
		if (!f.present || f.hdr + 16 > tok.size())
			return;
		const size_t h = f.hdr;
		const uint8_t ids[][2] = {{0x01, 0x01}, {0x02, 0x01}, {0x01, 0x02},
					  {0x04, 0x04}, {0x05, 0x04}, {0x02, 0x02}};
		for (auto &id : ids)
			if (id[0] != tok[h] || id[1] != tok[h + 1])
				add("tokid", with(h, {id[0], id[1]}));
		const uint8_t sgn[][2] = {{0x00, 0x00}, {0x04, 0x00}, {0x11, 0x00}, {0x10, 0x00},
					  {0xff, 0xff}, {0x04, 0x01}, {0x11, 0x01}};
		for (auto &s : sgn)
			if (s[0] != tok[h + 2] || s[1] != tok[h + 3])
				add("sgn-alg", with(h + 2, {s[0], s[1]}));
		const uint8_t seal[][2] = {{0xff, 0xff}, {0x00, 0x00}, {0x02, 0x00},
					   {0x10, 0x00}, {0x02, 0x01}, {0xff, 0xfe}};
		for (auto &s : seal)
			if (s[0] != tok[h + 4] || s[1] != tok[h + 5])
				add("seal-alg", with(h + 4, {s[0], s[1]}));
		for (size_t i = 6; i < 8; i++) {
			add("filler", with(h + i, {0x00}));
			add("filler", with(h + i, {0xfe}));
		}
		for (int i = 0; i < 2; i++) {
			bytes t = tok;
			t[h + 8 + r.below(8)] ^= (uint8_t)(1u << r.below(8));
			add("snd-seq", t);
		}
		// DER re-encodings of the framing
		bytes body(tok.begin() + f.body, tok.end());
		add("der-long1", frame(body, 1));
		add("der-long2", frame(body, 2));
		add("der-long3", frame(body, 3));
		add("der-badlen", frame(body, 0, 1));
		add("der-badlen", frame(body, 0, -1));
		{
			bytes t = frame(body, 0);
			t[1] = 0x80; // indefinite form
			if (body.size() < 128)
				add("der-indefinite", t);
		}
		add("der-strip", bytes(tok.begin() + h, tok.end()));
		{
			bytes t = tok;
			t[f.body + 2 + r.below(9)] ^= 0x01;
			add("der-oid", t);
			t = tok;
			t[0] = 0x61;
			add("der-tag", t);
		}
	}

	void message_edits()
	{
		if (!mic)
			return;
		bytes m = msg;
		m.push_back(0);
		add_msg("msg-extend", m);
		if (!msg.empty()) {
			m = msg;
			m[r.below(m.size())] ^= (uint8_t)(1u << r.below(8));
			add_msg("msg-bitflip", m);
			add_msg("msg-truncate", bytes(msg.begin(), msg.end() - 1));
		}
	}
};

// ---- forged RFC 4121 tokens ------------------------------------------------------------------
// Mutating MIT's tokens cannot reach a header whose checksum is still valid (a changed flag,
// filler or inner header breaks it), so for RFC 4121 the sender's keys (known from the
// receiver's lucid context) are used with MIT's own RFC 3961 crypto (krb5_c_make_checksum,
// krb5_c_encrypt) to build tokens with edited headers that are correctly protected.
struct cfx_keys {
	krb5_context kc = nullptr;
	int enctype = 0;
	bytes ctx_key, sub_key; // sub_key empty: no acceptor subkey
	bool sender_acceptor = false;
	~cfx_keys()
	{
		if (!ctx_key.empty())
			memset(ctx_key.data(), 0, ctx_key.size());
		if (!sub_key.empty())
			memset(sub_key.data(), 0, sub_key.size());
		if (kc)
			krb5_free_context(kc);
	}
};

// What a forged token carries; the defaults give the token MIT itself would send.
struct forge_spec {
	bool use_sub = true;    // key: acceptor subkey (when the context has one), else ctx key
	int usage = 0;          // 0: the sender's (wraps seal 22/24, MICs sign 23/25)
	int flags = -1;         // -1: direction | Sealed (conf wraps) | AcceptorSubkey (subkey)
	uint8_t filler = 0xff;  // every filler octet
	int ec = -1;            // wrap EC field (-1: conf 0 filler octets, integ checksum length)
	int ec_fill = -1;       // conf: filler octets actually encrypted (-1: = ec)
	unsigned rrc = 0;       // outer RRC; the token is rotated by it
	int inner_flags = -1;   // conf: the encrypted header copy's flags (-1: = outer)
	int inner_ec = -1;      // conf: its EC (-1: = outer)
	unsigned inner_rrc = 0; // conf: its RRC
	uint64_t seq = 0x1234;
	uint8_t tok_id0 = 0; // 0: 04 (MIC) / 05 (wrap)
};

// Views for MIT's crypto API (no copies: the bytes must outlive the call).
krb5_keyblock keyblock_of(const cfx_keys &k, const bytes &key)
{
	krb5_keyblock kb;
	memset(&kb, 0, sizeof kb);
	kb.enctype = k.enctype;
	kb.length = key.size();
	kb.contents = const_cast<uint8_t *>(key.data());
	return kb;
}
krb5_data data_of(const bytes &b)
{
	krb5_data d;
	memset(&d, 0, sizeof d);
	d.length = b.size();
	d.data = (char *)(b.empty() ? nullptr : b.data());
	return d;
}

bool cfx_make_checksum(const cfx_keys &k, const bytes &key, int usage, const bytes &in, bytes *out)
{
	krb5_keyblock kb = keyblock_of(k, key);
	krb5_data d = data_of(in);
	krb5_checksum ck;
	memset(&ck, 0, sizeof ck);
	if (krb5_c_make_checksum(k.kc, 0, &kb, usage, &d, &ck) != 0)
		return false;
	out->assign(ck.contents, ck.contents + ck.length);
	krb5_free_checksum_contents(k.kc, &ck);
	return true;
}

bool cfx_encrypt(const cfx_keys &k, const bytes &key, int usage, const bytes &in, bytes *out)
{
	krb5_keyblock kb = keyblock_of(k, key);
	krb5_data d = data_of(in);
	size_t clen = 0;
	if (krb5_c_encrypt_length(k.kc, k.enctype, in.size(), &clen) != 0)
		return false;
	out->assign(clen, 0);
	krb5_enc_data e;
	memset(&e, 0, sizeof e);
	e.ciphertext = data_of(*out);
	if (krb5_c_encrypt(k.kc, &kb, usage, nullptr, &d, &e) != 0)
		return false;
	out->resize(e.ciphertext.length);
	return true;
}

void put_header(bytes &h, uint8_t t0, uint8_t t1, int flags, uint8_t filler, unsigned ec, unsigned rrc, uint64_t seq,
		bool mic)
{
	h = {t0, t1, (uint8_t)flags, filler};
	if (mic) {
		h.insert(h.end(), 4, filler);
	} else {
		h.push_back((uint8_t)(ec >> 8));
		h.push_back((uint8_t)ec);
		h.push_back((uint8_t)(rrc >> 8));
		h.push_back((uint8_t)rrc);
	}
	for (int i = 7; i >= 0; i--)
		h.push_back((uint8_t)(seq >> (8 * i)));
}

// RFC 4121 4.2.4 / 4.2.6: a MIC, an integrity-only or a sealed wrap token as specified.
bool cfx_forge(const cfx_keys &k, tok_kind kind, const bytes &msg, const forge_spec &f, bytes *tok)
{
	const bool mic = kind == MIC, conf = kind == WRAP_CONF || kind == IOV_CONF;
	const bool sub = f.use_sub && !k.sub_key.empty();
	const bytes &key = sub ? k.sub_key : k.ctx_key;
	const int usage = f.usage ? f.usage : mic ? (k.sender_acceptor ? 23 : 25) : (k.sender_acceptor ? 22 : 24);
	const int flags =
		f.flags >= 0 ? f.flags
			     : (k.sender_acceptor ? 0x01 : 0) | (conf ? 0x02 : 0) | (!k.sub_key.empty() ? 0x04 : 0);
	const uint8_t t0 = f.tok_id0 ? f.tok_id0 : mic ? 0x04 : 0x05;
	bytes hdr, body;
	if (mic) {
		put_header(hdr, t0, 0x04, flags, f.filler, 0, 0, f.seq, true);
		bytes in = msg;
		in.insert(in.end(), hdr.begin(), hdr.end());
		if (!cfx_make_checksum(k, key, usage, in, &body))
			return false;
		*tok = hdr;
		tok->insert(tok->end(), body.begin(), body.end());
		return true;
	}
	if (conf) {
		const unsigned ec = f.ec >= 0 ? (unsigned)f.ec : 0;
		const size_t fill = f.ec_fill >= 0 ? (size_t)f.ec_fill : ec;
		put_header(hdr, t0, 0x04, flags, f.filler, ec, f.rrc, f.seq, false);
		bytes inner;
		put_header(inner, t0, 0x04, f.inner_flags >= 0 ? f.inner_flags : flags, f.filler,
			   f.inner_ec >= 0 ? (unsigned)f.inner_ec : ec, f.inner_rrc, f.seq, false);
		bytes in = msg;
		in.insert(in.end(), fill, 0xa5);
		in.insert(in.end(), inner.begin(), inner.end());
		if (!cfx_encrypt(k, key, usage, in, &body))
			return false;
	} else {
		bytes zero;
		put_header(zero, t0, 0x04, flags, f.filler, 0, 0, f.seq, false);
		bytes in = msg, ck;
		in.insert(in.end(), zero.begin(), zero.end());
		if (!cfx_make_checksum(k, key, usage, in, &ck))
			return false;
		const unsigned ec = f.ec >= 0 ? (unsigned)f.ec : (unsigned)ck.size();
		put_header(hdr, t0, 0x04, flags, f.filler, ec, f.rrc, f.seq, false);
		body = msg;
		body.insert(body.end(), ck.begin(), ck.end());
	}
	if (!body.empty() && f.rrc) // rotate right by RRC (RFC 4121 4.2.5)
		std::rotate(body.begin(), body.begin() + (body.size() - f.rrc % body.size()) % body.size(), body.end());
	*tok = hdr;
	tok->insert(tok->end(), body.begin(), body.end());
	return true;
}

// The forged variants of one (kind, message): name and spec.
std::vector<std::pair<std::string, forge_spec>> forge_variants(const cfx_keys &k, tok_kind kind)
{
	std::vector<std::pair<std::string, forge_spec>> v;
	const bool mic = kind == MIC, conf = kind == WRAP_CONF || kind == IOV_CONF;
	const bool have_sub = !k.sub_key.empty();
	const int dir = k.sender_acceptor ? 0x01 : 0;
	const int base = dir | (conf ? 0x02 : 0) | (have_sub ? 0x04 : 0);
	forge_spec f;
	v.push_back({"forge-baseline", f});
	// the Sealed flag where it does not belong, or missing where it does
	f = forge_spec();
	f.flags = base ^ 0x02;
	v.push_back({mic ? "forge-sealed-on-mic" : conf ? "forge-sealed-cleared" : "forge-sealed-on-integ", f});
	// the AcceptorSubkey flag against the key actually used
	if (have_sub) {
		f = forge_spec();
		f.flags = base & ~0x04;
		f.use_sub = false;
		v.push_back({"forge-nosubflag-ctxkey", f}); // MIT k5unsealv3.c: context key for this token
		f.use_sub = true;
		v.push_back({"forge-nosubflag-subkey", f});
		f = forge_spec();
		f.use_sub = false;
		v.push_back({"forge-subflag-ctxkey", f});
	} else {
		f = forge_spec();
		f.flags = base | 0x04;
		v.push_back({"forge-subflag-nosubkey", f});
	}
	// undefined flag bits, the direction flag inverted (with either role's usage)
	for (int b = 3; b < 8; b++) {
		f = forge_spec();
		f.flags = base | (1 << b);
		v.push_back({"forge-flag-bit" + std::to_string(b), f});
	}
	f = forge_spec();
	f.flags = base ^ 0x01;
	v.push_back({"forge-direction", f});
	f.usage = mic ? (k.sender_acceptor ? 25 : 23) : (k.sender_acceptor ? 24 : 22);
	v.push_back({"forge-direction-usage", f});
	f = forge_spec();
	f.usage = mic ? (k.sender_acceptor ? 25 : 23) : (k.sender_acceptor ? 24 : 22);
	v.push_back({"forge-other-usage", f});
	// filler octets other than FF (CVE-2025-57736 class), token ids swapped
	f = forge_spec();
	f.filler = 0x00;
	v.push_back({"forge-filler-00", f});
	f.filler = 0xfe;
	v.push_back({"forge-filler-fe", f});
	f = forge_spec();
	f.tok_id0 = mic ? 0x05 : 0x04;
	v.push_back({"forge-tokid", f});
	f.seq = ~0ull;
	f.tok_id0 = 0;
	v.push_back({"forge-seq-max", f});
	// RRC and EC
	if (!mic) {
		const unsigned rrcs[] = {1, 5, 16, 28, 200, 65535};
		for (unsigned r : rrcs) {
			f = forge_spec();
			f.rrc = r;
			v.push_back({"forge-rrc", f});
		}
		if (conf) {
			const int ecs[] = {1, 5, 16, 100};
			for (int e : ecs) {
				f = forge_spec();
				f.ec = e;
				v.push_back({"forge-ec-filler", f});
				f.ec_fill = 0; // EC claims filler that is not there
				v.push_back({"forge-ec-missing", f});
			}
			f = forge_spec();
			f.ec = 4;
			f.ec_fill = 8;
			v.push_back({"forge-ec-short", f});
			f = forge_spec();
			f.inner_flags = base ^ 0x04;
			v.push_back({"forge-inner-flags", f});
			f = forge_spec();
			f.inner_ec = 3;
			v.push_back({"forge-inner-ec", f});
			f = forge_spec();
			f.inner_rrc = 7;
			v.push_back({"forge-inner-rrc", f});
			f = forge_spec();
			f.rrc = 12;
			f.inner_rrc = 12;
			v.push_back({"forge-inner-rrc-same", f});
			f = forge_spec();
			f.ec = 60000;
			f.ec_fill = 0;
			v.push_back({"forge-ec-huge", f});
		} else {
			const int ecs[] = {0, 1, 11, 13, 64};
			for (int e : ecs) {
				f = forge_spec();
				f.ec = e;
				v.push_back({"forge-integ-ec", f});
			}
		}
	}
	return v;
}

// ---- forged RFC 1964 tokens ----------------------------------------------------------------
// The same for DES3 and RC4 with tests/token1964's reference builder (t1964::ref_body, written
// from RFC 1964 1.2 / RFC 4757 7 independently of the engine): the direction octets and the
// padding rules, which only an authentic token reaches.
const t1964::cfg *cfg_1964(uint32_t lucid_keytype)
{
	for (const t1964::cfg &c : t1964::kCfgs)
		if (c.keytype == lucid_keytype)
			return &c;
	return nullptr;
}

std::vector<std::pair<std::string, t1964::ref_params>> forge1964_variants(const t1964::cfg &c, tok_kind kind,
									  const bytes &msg, bool sender_initiator,
									  prng &r)
{
	std::vector<std::pair<std::string, t1964::ref_params>> v;
	t1964::ref_params base;
	base.mic = kind == MIC;
	base.sealed = kind == WRAP_CONF;
	base.sender_initiator = sender_initiator;
	base.seq = (uint32_t)r.next();
	base.conf.resize(8);
	for (auto &b : base.conf)
		b = (uint8_t)r.next();
	base.data = msg;
	if (!base.mic)
		base.pad = t1964::good_pad(c, msg.size());
	v.push_back({"forge-baseline", base});
	t1964::ref_params p = base;
	p.dir_override = sender_initiator ? 0xffffffff : 0;
	v.push_back({"forge-direction", p});
	p.dir_override = sender_initiator ? 0x000000ff : 0xffffff00;
	v.push_back({"forge-direction-mixed", p});
	p = base;
	p.seq = 0xffffffffu;
	v.push_back({"forge-seq-max", p});
	if (base.mic)
		return v;
	// padding (RFC 1964 1.2.2.3, RFC 4757 7.3): the receiver reads the pad length from the
	// last octet; MIT checks neither the other pad octets nor an upper bound below the data
	const size_t gp = base.pad.size();
	auto with_pad = [&](const char *name, bytes pad) {
		if (c.des3() && base.sealed && (8 + msg.size() + pad.size()) % 8 != 0)
			return; // CBC needs blocks
		t1964::ref_params q = base;
		q.pad = std::move(pad);
		v.push_back({name, q});
	};
	{
		bytes pad(gp + (c.des3() ? 0 : 3), 0);
		pad.back() = (uint8_t)pad.size();
		with_pad("forge-pad-bytes", pad);
	}
	with_pad("forge-pad-long", bytes(gp + 8, (uint8_t)(gp + 8)));
	{
		bytes pad = base.pad;
		pad.back() = 0;
		with_pad("forge-pad-zero", pad);
		pad.back() = 0xff;
		with_pad("forge-pad-max", pad);
		pad.back() = (uint8_t)std::min<size_t>(255, msg.size() + gp + 4);
		with_pad("forge-pad-into-confounder", pad);
		pad.back() = (uint8_t)std::min<size_t>(255, 8 + msg.size() + gp);
		with_pad("forge-pad-everything", pad);
	}
	if (!msg.empty())
		with_pad("forge-pad-none", bytes());
	with_pad("forge-pad-1", bytes{1});
	with_pad("forge-pad-2", bytes{2, 2});
	return v;
}

// ---- the two receivers ----------------------------------------------------------------------
struct verdict {
	bool accept = false;
	uint32_t status = 0; // MIT major or kgss status
	bytes plain;
	int conf = -1;
};

verdict mit_answer(gss_ctx_id_t oracle, bool mic, const mutation &m)
{
	verdict v;
	if (mic) {
		mit_result r = mit_verify_mic(oracle, m.msg, m.token);
		v.status = r.major;
		v.accept = !GSS_ERROR(r.major);
	} else {
		bytes copy = m.token; // MIT's gss_unwrap may rewrite EC/RRC in the caller's buffer
		mit_result r = mit_unwrap(oracle, copy);
		v.status = r.major;
		v.accept = !GSS_ERROR(r.major);
		if (v.accept) {
			v.plain = r.out;
			v.conf = r.conf_state;
		}
	}
	return v;
}

verdict kgss_answer(kgss_ctx *k, bool mic, const mutation &m)
{
	verdict v;
	bytes copy = m.token;
	kgss_buffer tb = {copy.size(), copy.empty() ? nullptr : copy.data()};
	if (mic) {
		kgss_buffer mb = {m.msg.size(), const_cast<uint8_t *>(m.msg.data())};
		v.status = kgss_verify_mic(k, &mb, &tb, nullptr);
	} else {
		bytes out(copy.size() + 1);
		kgss_buffer ob = {out.size(), out.data()};
		int cs = -1;
		v.status = kgss_unwrap(k, &tb, &ob, &cs, nullptr);
		if (!KGSS_ERROR(v.status)) {
			v.plain.assign(out.begin(), out.begin() + ob.length);
			v.conf = cs;
		}
	}
	v.accept = !KGSS_ERROR(v.status);
	return v;
}

// libkgss's IOV receive path on the same token: kgss_unwrap_iov(STREAM | DATA), or
// kgss_verify_mic_iov(DATA | MIC_TOKEN).  The library applies one set of rules on every
// path, so its answer must be the plain path's.
verdict kgss_answer_iov(kgss_ctx *k, bool mic, const mutation &m)
{
	verdict v;
	bytes copy = m.token, msg = m.msg;
	if (mic) {
		kgss_iov iov[2] = {{KGSS_IOV_DATA, {msg.size(), msg.empty() ? nullptr : msg.data()}},
				   {KGSS_IOV_MIC_TOKEN, {copy.size(), copy.empty() ? nullptr : copy.data()}}};
		v.status = kgss_verify_mic_iov(k, nullptr, iov, 2);
	} else {
		kgss_iov iov[2] = {{KGSS_IOV_STREAM, {copy.size(), copy.empty() ? nullptr : copy.data()}},
				   {KGSS_IOV_DATA, {0, nullptr}}};
		int cs = -1;
		v.status = kgss_unwrap_iov(k, &cs, nullptr, iov, 2);
		if (!KGSS_ERROR(v.status)) {
			const uint8_t *p = static_cast<const uint8_t *>(iov[1].buffer.value);
			if (iov[1].buffer.length)
				v.plain.assign(p, p + iov[1].buffer.length);
			v.conf = cs;
		}
	}
	v.accept = !KGSS_ERROR(v.status);
	return v;
}

std::string hexs(const bytes &b, size_t max = 96)
{
	std::string h = kt::to_hex(b.data(), b.size() < max ? b.size() : max);
	return h + (b.size() > max ? "..." : "") + " (" + std::to_string(b.size()) + " bytes)";
}

// ---- one pair ------------------------------------------------------------------------------------
struct pair_desc {
	int enctype;
	bool mutual;
	bool recv_initiator; // the receiving (compared) side is the initiator
};

long run_pair(const pair_desc &d, std::vector<std::string> *failures)
{
	const std::string tag = std::string("[") + mit_enctype_name(d.enctype) + " mutual=" + (d.mutual ? "1" : "0") +
				" receiver=" + (d.recv_initiator ? "initiator" : "acceptor") + "]";
	mit_establish_opts o;
	o.enctype = d.enctype;
	o.mutual = d.mutual;
	o.req_flags = GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG; // no replay / sequence state in the oracle
	mit_live_pair live;
	std::string err;
	if (!mit_establish_live(o, &live, &err))
		FAIL((tag + ": " + err).c_str());
	gss_ctx_id_t sender = d.recv_initiator ? live.acceptor : live.initiator;
	gss_ctx_id_t *receiver = d.recv_initiator ? &live.initiator : &live.acceptor;
	gss_ctx_id_t copy_a = GSS_C_NO_CONTEXT, oracle = GSS_C_NO_CONTEXT;
	if (!mit_context_twice(receiver, &copy_a, &oracle, &err))
		FAIL((tag + ": " + err).c_str());
	struct oracle_h {
		gss_ctx_id_t c;
		~oracle_h()
		{
			OM_uint32 m;
			if (c != GSS_C_NO_CONTEXT)
				gss_delete_sec_context(&m, &c, GSS_C_NO_BUFFER);
		}
	} oracle_hold{oracle};
	OM_uint32 min = 0;
	void *lucid = nullptr;
	OM_uint32 maj = gss_krb5_export_lucid_sec_context(&min, &copy_a, 1, &lucid);
	if (GSS_ERROR(maj))
		FAIL((tag + ": gss_krb5_export_lucid_sec_context: " + mit_status_string(maj, min)).c_str());
	const kgss_lucid_context_v1 *l = static_cast<const kgss_lucid_context_v1 *>(lucid);
	const bool cfx = l->protocol == 1;

	struct {
		uint32_t type = 0;
		bytes key;
	} l1964;
	if (!cfx) {
		const uint8_t *k = static_cast<const uint8_t *>(l->rfc1964_kd.ctx_key.data);
		l1964.type = l->rfc1964_kd.ctx_key.type;
		l1964.key.assign(k, k + l->rfc1964_kd.ctx_key.length);
	}
	cfx_keys keys;
	if (cfx) {
		if (krb5_init_context(&keys.kc) != 0)
			FAIL((tag + ": krb5_init_context").c_str());
		keys.enctype = (int)l->cfx_kd.ctx_key.type;
		const uint8_t *ck = static_cast<const uint8_t *>(l->cfx_kd.ctx_key.data);
		keys.ctx_key.assign(ck, ck + l->cfx_kd.ctx_key.length);
		if (l->cfx_kd.have_acceptor_subkey) {
			const uint8_t *sk = static_cast<const uint8_t *>(l->cfx_kd.acceptor_subkey.data);
			keys.sub_key.assign(sk, sk + l->cfx_kd.acceptor_subkey.length);
		}
		keys.sender_acceptor = d.recv_initiator;
	}
	kgss_options ko;
	kgss_options_init_user(&ko);
	ko.flags = 0; // no receive window: the answer depends on the token alone, as MIT's
	// the same context on both backends: their answers must be the same too
	struct kgss_h {
		kgss_ctx *c = nullptr;
		~kgss_h() { kgss_ctx_free(c); }
	} kb, ko_ssl;
	kgss_status st = kgss_import_lucid_v1(l, &ko, &kb.c);
	kgss_options ko2 = ko;
	ko2.crypto = kgss_crypto_openssl();
	kgss_status st2 = kgss_import_lucid_v1(l, &ko2, &ko_ssl.c);
	gss_krb5_free_lucid_sec_context(&min, lucid);
	if (st != KGSS_S_COMPLETE)
		FAIL((tag + ": kgss_import_lucid_v1 (builtin): " + kgss_status_string(st)).c_str());
	if (st2 != KGSS_S_COMPLETE)
		FAIL((tag + ": kgss_import_lucid_v1 (openssl): " + kgss_status_string(st2)).c_str());
	kgss_ctx *k = kb.c;

	prng r{0x6469666675ull ^ (uint64_t)(d.enctype * 4 + d.mutual * 2 + d.recv_initiator)};
	const size_t sizes[] = {0, 1, 7, 15, 16, 17, 64, 1000};
	const tok_kind kinds[] = {WRAP_CONF, WRAP_INTEG, MIC, IOV_CONF, IOV_INTEG};
	long compared = 0;
	for (size_t n : sizes)
		for (tok_kind kind : kinds) {
			bytes msg(n);
			for (auto &b : msg)
				b = (uint8_t)r.next();
			mit_result made;
			switch (kind) {
			case WRAP_CONF:
				made = mit_wrap(sender, true, msg);
				break;
			case WRAP_INTEG:
				made = mit_wrap(sender, false, msg);
				break;
			case MIC:
				made = mit_get_mic(sender, msg);
				break;
			case IOV_CONF:
				made = mit_wrap_iov_token(sender, true, msg, false);
				break;
			case IOV_INTEG:
				made = mit_wrap_iov_token(sender, false, msg, false);
				break;
			}
			if (made.major != GSS_S_COMPLETE)
				FAIL((tag + " " + kind_name(kind) +
				      ": MIT sender: " + mit_status_string(made.major, made.minor))
					     .c_str());
			const bool mic = kind == MIC;
			mutator mu{r, made.out, msg, cfx, mic, {}};
			mu.out.push_back({"original", made.out, msg});
			mu.generic();
			if (cfx)
				mu.header_cfx();
			else
				mu.header_1964();
			mu.message_edits();
			if (!cfx && (kind == WRAP_CONF || kind == WRAP_INTEG || kind == MIC)) {
				const t1964::cfg *c1964 = cfg_1964(l1964.type);
				if (!c1964)
					FAIL((tag + ": no RFC 1964 reference configuration for key type " +
					      std::to_string(l1964.type))
						     .c_str());
				for (auto &fv : forge1964_variants(*c1964, kind, msg, !d.recv_initiator, r))
					mu.out.push_back(
						{fv.first, t1964::ref_token(*c1964, l1964.key, fv.second), msg});
			}
			if (cfx && (kind == WRAP_CONF || kind == WRAP_INTEG || kind == MIC))
				for (auto &fv : forge_variants(keys, kind)) {
					bytes t;
					if (!cfx_forge(keys, kind, msg, fv.second, &t))
						FAIL((tag + ": forging " + fv.first + " failed").c_str());
					mu.out.push_back({fv.first, t, msg});
				}
			for (const mutation &m : mu.out) {
				verdict a = mit_answer(oracle, mic, m);
				verdict b = kgss_answer(k, mic, m);
				verdict b2 = kgss_answer(ko_ssl.c, mic, m);
				compared++;
				if (b2.status != b.status || b2.plain != b.plain || b2.conf != b.conf)
					failures->push_back(tag + " " + kind_name(kind) + " " + m.what +
							    ": builtin and OpenSSL backends differ");
				verdict bi = kgss_answer_iov(k, mic, m);
				if (bi.accept != b.accept || bi.plain != b.plain || bi.conf != b.conf) {
					char sts[96];
					snprintf(sts, sizeof sts, " (plain 0x%08x, IOV 0x%08x)", (unsigned)b.status,
						 (unsigned)bi.status);
					failures->push_back(tag + " " + kind_name(kind) + " " + m.what +
							    ": libkgss's plain and IOV paths differ" + sts + " " +
							    hexs(m.token));
				}
				std::string verdict_s;
				if (a.accept != b.accept)
					verdict_s =
						a.accept ? "MIT accepts, kgss rejects" : "kgss accepts, MIT rejects";
				else if (a.accept && (a.plain != b.plain || a.conf != b.conf))
					verdict_s = "both accept, results differ";
				if (m.what == "original" && !(a.accept && b.accept))
					failures->push_back(tag + " " + kind_name(kind) + " len=" + std::to_string(n) +
							    ": unmutated token not accepted by both");
				class_stats &cs = g_by_mutation[m.what];
				// (MIT's calling-error bits count: an empty token is GSS_S_CALL_BAD_STRUCTURE there)
				if (verdict_s.empty() && !a.accept &&
				    (a.status & 0xffff0000u) != KGSS_ROUTINE_ERROR(b.status)) {
					char sts[96];
					snprintf(sts, sizeof sts, ": MIT 0x%08x, kgss 0x%08x",
						 (unsigned)(a.status & 0xffff0000u),
						 (unsigned)KGSS_ROUTINE_ERROR(b.status));
					g_status_diff[std::string(cfx ? "rfc4121 " : "rfc1964 ") + kind_name(kind) +
						      " " + m.what + sts]++;
				}
				if (verdict_s.empty()) {
					g_agree++;
					(a.accept ? cs.both_accept : cs.both_reject)++;
					continue;
				}
				cs.diverge++;
				const std::string cls = std::string(cfx ? "rfc4121 " : "rfc1964 ") + kind_name(kind) +
							" " + m.what + ": " + verdict_s;
				divergence_class &dc = g_div[cls];
				if (dc.count++ == 0) {
					char st_s[80];
					snprintf(st_s, sizeof st_s, "MIT 0x%08x, kgss 0x%08x (%s)", (unsigned)a.status,
						 (unsigned)b.status, kgss_status_string(b.status));
					dc.example = tag + " len=" + std::to_string(n) + " " + st_s + " token " +
						     hexs(m.token) +
						     (mic && m.msg != msg ? " over an altered message" : "");
					if (!mic) { // MIT's IOV path on the same token, for the record
						char iov_s[64];
						mit_result si = mit_unwrap_iov_stream(oracle, m.token);
						snprintf(iov_s, sizeof iov_s, "; MIT gss_unwrap_iov(STREAM) 0x%08x",
							 (unsigned)si.major);
						dc.example += iov_s;
					}
				}
				if (!allowed_reason(cls))
					failures->push_back(cls);
			}
		}
	return compared;
}

void run_enctype(int e)
{
	std::vector<std::string> failures;
	for (int mutual = 0; mutual < 2; mutual++)
		for (int ri = 1; ri >= 0; ri--) {
			long n = run_pair(pair_desc{e, mutual != 0, ri != 0}, &failures);
			g_compared += n;
			g_compared_by_enctype[e] += n;
		}
	if (!failures.empty()) {
		std::map<std::string, int> uniq;
		for (auto &f : failures)
			uniq[f]++;
		std::string s = std::to_string(failures.size()) + " disagreements with MIT not in k_allowed:\n";
		for (auto &kv : uniq)
			s += "  " + std::to_string(kv.second) + " x " + kv.first + "\n";
		FAIL(s.c_str());
	}
}

} // namespace

TEST_GROUP(differential){void setup() override{std::string err;
if (!mit_env_load("", &err))
	FAIL(("KDC fixture not available: " + err).c_str());
}
}
;

TEST(differential, des3_cbc_sha1) { run_enctype(16); }
TEST(differential, aes128_cts_hmac_sha1_96) { run_enctype(17); }
TEST(differential, aes256_cts_hmac_sha1_96) { run_enctype(18); }
TEST(differential, aes128_cts_hmac_sha256_128) { run_enctype(19); }
TEST(differential, aes256_cts_hmac_sha384_192) { run_enctype(20); }
TEST(differential, arcfour_hmac) { run_enctype(23); }
TEST(differential, arcfour_hmac_exp) { run_enctype(24); }
TEST(differential, camellia128_cts_cmac) { run_enctype(25); }
TEST(differential, camellia256_cts_cmac) { run_enctype(26); }
