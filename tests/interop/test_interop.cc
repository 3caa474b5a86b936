// tests/interop/test_interop.cc - libkgss against live MIT krb5 contexts.
//
// For every enctype the loopback KDC negotiates (16 17 18 19 20 23 24 25 26) x
// mutual on/off x libkgss as initiator / as acceptor x crypto backend (builtin,
// OpenSSL) x import path (lucid v1, Linux downcall buffer, libkgss serialization):
// a real MIT context pair is established (tools/mit), one side is exported and
// imported into libkgss, the other stays a live MIT peer, and then
//   MIT gss_wrap (conf, integ) / gss_get_mic / gss_wrap_iov without TRAILER (RRC != 0)
//       -> kgss_unwrap / kgss_verify_mic
//   kgss_wrap (conf, integ) / kgss_get_mic -> MIT gss_unwrap / gss_verify_mic
// over message sizes 0 1 15 16 17 1000 65539, all in one sequence, with the MIT
// peer's replay and sequence detection on (so any numbering error on the libkgss
// side shows up as a supplementary status, which fails the test).  Then the
// negative cases: replayed token (DUPLICATE_TOKEN), libkgss's own token fed back
// (wrong direction), tampered tokens (BAD_SIG), a token from a context of another
// enctype (rejected), and the context still working afterwards.  The IOV test
// runs the scatter-gather calls both ways.
//
// Needs the "kdc" CTest fixture (KGSS_KDC_ENV).  Nothing is skipped: an enctype
// the KDC cannot negotiate or a backend that lacks a primitive fails.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <algorithm>
#include <string>
#include <vector>

#include "CppUTest/TestHarness.h"
#include "kgss.h"
#include "testutil.h"
#include "tools/mit/mit_peer.h"

#if __has_include("kgss_user.h")
#include "kgss_user.h"
#define KGSS_INTEROP_HAVE_USER 1
#else
#define KGSS_INTEROP_HAVE_USER 0
#endif

using namespace kmit;
using kt::bytes;

namespace {

// ---- counters, printed at exit (CppUTest's test order is not fixed) ----------
int g_cases = 0;      // (enctype, mutual, side, backend, import path) combinations run
long g_exchanges = 0; // tokens that crossed between MIT and libkgss
struct report {
	~report()
	{
		printf("\ntest_interop: %d live cases, %ld tokens exchanged between MIT and libkgss\n", g_cases,
		       g_exchanges);
	}
} g_report;

const size_t k_sizes[] = {0, 1, 15, 16, 17, 1000, 65539};

// ---- options: backends, allocator, randomness ------------------------------------
struct backend_desc {
	const char *name;
	const kgss_crypto_backend *(*get)(void);
	bool openssl;
};
const backend_desc k_backends[] = {
	{"builtin", kgss_crypto_builtin, false},
#ifdef KGSS_INTEROP_OPENSSL
	{"openssl", kgss_crypto_openssl, true},
#endif
};

[[maybe_unused]] void *t_alloc(void *, size_t n) { return malloc(n); }
[[maybe_unused]] void t_free(void *, void *p, size_t n)
{
	if (p)
		memset(p, 0, n);
	free(p);
}

kgss_chacha_prng g_chacha;
kgss_prng g_prng;
bool g_prng_ready = false;

[[maybe_unused]] const kgss_prng *chacha_prng()
{
	if (!g_prng_ready) {
		uint8_t seed[32];
		ssize_t n = getrandom(seed, sizeof seed, 0);
		if (n != (ssize_t)sizeof seed)
			FAIL("getrandom failed");
		if (kgss_chacha_prng_init(&g_chacha, seed, &g_prng) != 0)
			FAIL("kgss_chacha_prng_init failed");
		memset(seed, 0, sizeof seed);
		g_prng_ready = true;
	}
	return &g_prng;
}

kgss_options make_opts(const backend_desc &b, uint32_t flags)
{
	kgss_options o;
#if KGSS_INTEROP_HAVE_USER
	kgss_options_init_user(&o); // malloc/free, getrandom-seeded ChaCha20 PRNG, realtime clock
	if (o.prng == nullptr)
		FAIL("kgss_options_init_user: no PRNG (getrandom failed?)");
	if (o.alloc == nullptr || o.free == nullptr)
		FAIL("kgss_options_init_user: no allocator");
#else
	kgss_options_init(&o);
	o.prng = chacha_prng();
	o.alloc = t_alloc;
	o.free = t_free;
	o.alloc_ctx = nullptr;
#endif
	o.flags = flags;
	o.crypto = b.get();
	if (o.crypto == nullptr)
		FAIL((std::string("backend ") + b.name + " returned NULL").c_str());
#ifdef KGSS_INTEROP_OPENSSL
	if (b.openssl)
		o.prng = kgss_prng_openssl(); // RAND_bytes with the OpenSSL backend
#endif
	return o;
}

// ---- import paths ----------------------------------------------------------------------
enum import_kind { IMPORT_LUCID, IMPORT_DOWNCALL, IMPORT_SERIALIZED };
const char *import_name(import_kind k)
{
	return k == IMPORT_LUCID ? "lucid" : k == IMPORT_DOWNCALL ? "downcall" : "serialized";
}

struct kctx {
	kgss_ctx *c = nullptr;
	kctx() = default;
	kctx(const kctx &) = delete;
	kctx &operator=(const kctx &) = delete;
	~kctx() { kgss_ctx_free(c); }
};

void put32h(bytes &b, uint32_t v) { b.insert(b.end(), (uint8_t *)&v, (uint8_t *)&v + 4); }
void put64h(bytes &b, uint64_t v) { b.insert(b.end(), (uint8_t *)&v, (uint8_t *)&v + 8); }

// The buffer nfs-utils rpc.gssd writes to the Linux kernel for this lucid context
// (crib sheet: flags | endtime | send_seq | enctype | key, host byte order).  The
// enctype is the lucid key's type verbatim (6 for MIT's DES3), as gssd writes it.
bytes make_downcall(const gss_krb5_lucid_context_v1_t *l)
{
	const gss_krb5_lucid_key_t *k;
	uint32_t flags = l->initiate ? 0x1 : 0;
	if (l->protocol == 0) {
		k = &l->rfc1964_kd.ctx_key;
	} else {
		flags |= 0x2;
		if (l->cfx_kd.have_acceptor_subkey) {
			flags |= 0x4;
			k = &l->cfx_kd.acceptor_subkey;
		} else {
			k = &l->cfx_kd.ctx_key;
		}
	}
	bytes b;
	put32h(b, flags);
	put32h(b, l->endtime);
	put64h(b, l->send_seq);
	put32h(b, k->type);
	const uint8_t *kp = static_cast<const uint8_t *>(k->data);
	b.insert(b.end(), kp, kp + k->length);
	return b;
}

#if KGSS_INTEROP_HAVE_USER
bytes make_serialized(const kgss_lucid_context_v1 *l)
{
	size_t need = 0;
	kgss_status st = kgss_lucid_serialize(l, nullptr, &need);
	if (KGSS_ERROR(st) && need == 0)
		FAIL(("kgss_lucid_serialize(size): " + std::string(kgss_status_string(st))).c_str());
	bytes b(need);
	size_t len = b.size();
	st = kgss_lucid_serialize(l, b.data(), &len);
	if (st != KGSS_S_COMPLETE)
		FAIL(("kgss_lucid_serialize: " + std::string(kgss_status_string(st))).c_str());
	b.resize(len);
	return b;
}
#endif

std::string st_str(kgss_status s)
{
	char buf[32];
	snprintf(buf, sizeof buf, "0x%08x ", (unsigned)s);
	return buf + std::string(kgss_status_string(s));
}

void do_import(import_kind kind, const mit_pair &p, const kgss_options &o, kctx *k, const std::string &tag)
{
	kgss_status st = KGSS_S_FAILURE;
	bytes buf;
	switch (kind) {
	case IMPORT_LUCID:
		st = kgss_import_lucid_v1(mit_lucid_kgss(p), &o, &k->c);
		break;
	case IMPORT_DOWNCALL:
		buf = make_downcall(mit_lucid(p));
#if KGSS_INTEROP_HAVE_USER
		{
			// libkgss_user's writer must produce the same buffer (DES3: enctype 6 or 16)
			bytes mine(buf.size() + 64);
			size_t len = mine.size();
			kgss_status ws = kgss_lucid_to_downcall(mit_lucid_kgss(p), mine.data(), &len);
			if (ws != KGSS_S_COMPLETE)
				FAIL((tag + ": kgss_lucid_to_downcall: " + st_str(ws)).c_str());
			mine.resize(len);
			UNSIGNED_LONGS_EQUAL_TEXT(buf.size(), mine.size(),
						  (tag + ": kgss_lucid_to_downcall length").c_str());
			bytes a = buf, b = mine;
			uint32_t ea, eb;
			memcpy(&ea, a.data() + 16, 4);
			memcpy(&eb, b.data() + 16, 4);
			if (ea == 6 && (eb == 6 || eb == 16))
				memcpy(b.data() + 16, &ea, 4);
			CHECK_TEXT(a == b, (tag + ": kgss_lucid_to_downcall differs from the rpc.gssd layout").c_str());
			memset(mine.data(), 0, mine.size());
			memset(a.data(), 0, a.size());
			memset(b.data(), 0, b.size());
		}
#endif
		st = kgss_import_downcall(buf.data(), buf.size(), &o, &k->c);
		break;
	case IMPORT_SERIALIZED:
#if KGSS_INTEROP_HAVE_USER
		buf = make_serialized(mit_lucid_kgss(p));
		st = kgss_import_serialized(buf.data(), buf.size(), &o, &k->c);
#else
		FAIL("kgss_user.h (kgss_lucid_serialize) is not available");
#endif
		break;
	}
	if (!buf.empty())
		memset(buf.data(), 0, buf.size());
	if (st != KGSS_S_COMPLETE)
		FAIL((tag + ": import: " + st_str(st)).c_str());
	CHECK_TEXT(k->c != nullptr, tag.c_str());
}

// ---- one exchange each way -------------------------------------------------------------
bytes random_msg(uint64_t &seed, size_t n)
{
	bytes m(n);
	if (n)
		kt::fill_random(seed, m.data(), n);
	return m;
}

// kgss_unwrap of an MIT token; checks the plaintext.  `exact`: status must be
// COMPLETE with no supplementary bits; else only no routine error.
void kgss_unwrap_ok(kgss_ctx *k, const bytes &token, const bytes &msg, int conf, bool exact, const std::string &tag)
{
	bytes out(token.size() + 1);
	kgss_buffer in = {token.size(), const_cast<uint8_t *>(token.data())};
	kgss_buffer ob = {out.size(), out.data()};
	int cs = -1;
	uint32_t qop = 99;
	kgss_status st = kgss_unwrap(k, &in, &ob, &cs, &qop);
	if (exact ? st != KGSS_S_COMPLETE : KGSS_ERROR(st))
		FAIL((tag + ": kgss_unwrap: " + st_str(st)).c_str());
	UNSIGNED_LONGS_EQUAL_TEXT(msg.size(), ob.length, tag.c_str());
	CHECK_TEXT(msg.empty() || memcmp(msg.data(), ob.value, msg.size()) == 0, (tag + ": plaintext differs").c_str());
	LONGS_EQUAL_TEXT(conf, cs, tag.c_str());
	UNSIGNED_LONGS_EQUAL_TEXT(0, qop, tag.c_str());
	g_exchanges++;
}

kgss_status kgss_unwrap_status(kgss_ctx *k, const bytes &token, size_t *out_len)
{
	bytes out(token.size() + 1, 0xAA);
	kgss_buffer in = {token.size(), const_cast<uint8_t *>(token.data())};
	kgss_buffer ob = {out.size(), out.data()};
	kgss_status st = kgss_unwrap(k, &in, &ob, nullptr, nullptr);
	*out_len = ob.length;
	return st;
}

void kgss_verify_ok(kgss_ctx *k, const bytes &msg, const bytes &tok, bool exact, const std::string &tag)
{
	kgss_buffer m = {msg.size(), const_cast<uint8_t *>(msg.data())};
	kgss_buffer t = {tok.size(), const_cast<uint8_t *>(tok.data())};
	uint32_t qop = 99;
	kgss_status st = kgss_verify_mic(k, &m, &t, &qop);
	if (exact ? st != KGSS_S_COMPLETE : KGSS_ERROR(st))
		FAIL((tag + ": kgss_verify_mic: " + st_str(st)).c_str());
	UNSIGNED_LONGS_EQUAL_TEXT(0, qop, tag.c_str());
	g_exchanges++;
}

kgss_status kgss_verify_status(kgss_ctx *k, const bytes &msg, const bytes &tok)
{
	kgss_buffer m = {msg.size(), const_cast<uint8_t *>(msg.data())};
	kgss_buffer t = {tok.size(), const_cast<uint8_t *>(tok.data())};
	return kgss_verify_mic(k, &m, &t, nullptr);
}

bytes kgss_wrap_tok(kgss_ctx *k, int conf, const bytes &msg, const std::string &tag)
{
	size_t tl = 0;
	kgss_status st = kgss_wrap_size(k, conf, msg.size(), &tl);
	if (st != KGSS_S_COMPLETE)
		FAIL((tag + ": kgss_wrap_size: " + st_str(st)).c_str());
	bytes out(tl);
	kgss_buffer in = {msg.size(), const_cast<uint8_t *>(msg.data())};
	kgss_buffer ob = {out.size(), out.data()};
	int cs = -1;
	st = kgss_wrap(k, conf, 0, &in, &cs, &ob);
	if (st != KGSS_S_COMPLETE)
		FAIL((tag + ": kgss_wrap: " + st_str(st)).c_str());
	UNSIGNED_LONGS_EQUAL_TEXT(tl, ob.length, (tag + ": kgss_wrap_size is not exact").c_str());
	LONGS_EQUAL_TEXT(conf, cs, tag.c_str());
	return out;
}

bytes kgss_mic_tok(kgss_ctx *k, const bytes &msg, const std::string &tag)
{
	size_t tl = 0;
	kgss_status st = kgss_mic_size(k, msg.size(), &tl);
	if (st != KGSS_S_COMPLETE)
		FAIL((tag + ": kgss_mic_size: " + st_str(st)).c_str());
	bytes out(tl);
	kgss_buffer in = {msg.size(), const_cast<uint8_t *>(msg.data())};
	kgss_buffer ob = {out.size(), out.data()};
	st = kgss_get_mic(k, 0, &in, &ob);
	if (st != KGSS_S_COMPLETE)
		FAIL((tag + ": kgss_get_mic: " + st_str(st)).c_str());
	UNSIGNED_LONGS_EQUAL_TEXT(tl, ob.length, (tag + ": kgss_mic_size is not exact").c_str());
	return out;
}

void mit_unwrap_ok(gss_ctx_id_t peer, const bytes &tok, const bytes &msg, int conf, bool exact, const std::string &tag)
{
	mit_result r = mit_unwrap(peer, tok);
	if (exact ? r.major != GSS_S_COMPLETE : GSS_ERROR(r.major))
		FAIL((tag + ": MIT gss_unwrap: " + mit_status_string(r.major, r.minor)).c_str());
	CHECK_TEXT(r.out == msg, (tag + ": MIT plaintext differs").c_str());
	LONGS_EQUAL_TEXT(conf, r.conf_state, tag.c_str());
	g_exchanges++;
}

void mit_verify_ok(gss_ctx_id_t peer, const bytes &msg, const bytes &tok, bool exact, const std::string &tag)
{
	mit_result r = mit_verify_mic(peer, msg, tok);
	if (exact ? r.major != GSS_S_COMPLETE : GSS_ERROR(r.major))
		FAIL((tag + ": MIT gss_verify_mic: " + mit_status_string(r.major, r.minor)).c_str());
	g_exchanges++;
}

mit_result mit_ok(mit_result r, const std::string &tag, const char *what)
{
	if (r.major != GSS_S_COMPLETE)
		FAIL((tag + ": MIT " + what + ": " + mit_status_string(r.major, r.minor)).c_str());
	return r;
}

// Another enctype with the same token format, so the rejection happens on the keys.
int foreign_enctype(int e)
{
	switch (e) {
	case 16:
		return 23;
	case 17:
		return 18;
	case 18:
		return 17;
	case 19:
		return 20;
	case 20:
		return 19;
	case 23:
		return 24;
	case 24:
		return 23;
	case 25:
		return 26;
	case 26:
		return 25;
	default:
		return 18;
	}
}

struct case_desc {
	int enctype;
	bool mutual;
	bool kgss_initiator;
	const backend_desc *be;
	import_kind imp;
	std::string tag;
};

// Establishes the pair, imports the exported side, checks kgss_ctx_inquire.
void setup_case(const case_desc &c, uint32_t flags, mit_pair *p, kctx *k)
{
	std::string err;
	if (!mit_establish(c.enctype, c.mutual, c.kgss_initiator, p, &err))
		FAIL((c.tag + ": " + err).c_str());
	kgss_options o = make_opts(*c.be, flags);
	do_import(c.imp, *p, o, k, c.tag);
	const gss_krb5_lucid_context_v1_t *l = mit_lucid(*p);
	kgss_ctx_info info;
	memset(&info, 0, sizeof info);
	kgss_status st = kgss_ctx_inquire(k->c, &info);
	if (st != KGSS_S_COMPLETE)
		FAIL((c.tag + ": kgss_ctx_inquire: " + st_str(st)).c_str());
	LONGS_EQUAL_TEXT(c.enctype, info.enctype, c.tag.c_str());
	UNSIGNED_LONGS_EQUAL_TEXT(l->protocol, info.protocol, c.tag.c_str());
	UNSIGNED_LONGS_EQUAL_TEXT(c.kgss_initiator ? 1 : 0, info.initiator, c.tag.c_str());
	UNSIGNED_LONGS_EQUAL_TEXT(l->protocol == 1 && c.mutual ? 1 : 0, info.acceptor_subkey, c.tag.c_str());
	UNSIGNED_LONGS_EQUAL_TEXT(l->endtime, info.endtime, c.tag.c_str());
	UNSIGNED_LONGS_EQUAL_TEXT(l->send_seq, info.send_seq, c.tag.c_str());
	CHECK_TEXT(info.backend_name != nullptr, c.tag.c_str());
	STRCMP_EQUAL_TEXT(c.be->get()->name, info.backend_name, c.tag.c_str());
}

// ---- the plain (non-IOV) case ------------------------------------------------------------
void run_plain_case(const case_desc &c)
{
	// The downcall buffer carries no receive sequence number, so a sequence window
	// would start at 0 and report MIT's first token as a GAP: replay detection only.
	const uint32_t flags =
		c.imp == IMPORT_DOWNCALL ? KGSS_OPT_REPLAY_DETECT : KGSS_OPT_REPLAY_DETECT | KGSS_OPT_SEQUENCE_DETECT;
	mit_pair p;
	kctx k;
	setup_case(c, flags, &p, &k);
	const uint64_t send0 = mit_lucid(p)->send_seq;
	uint64_t sent = 0;
	uint64_t seed = 0x6b677373ull * (uint64_t)(c.enctype * 8 + c.mutual * 4 + c.kgss_initiator * 2 + 1);

	for (size_t n : k_sizes) {
		const std::string t = c.tag + " len=" + std::to_string(n);
		bytes msg = random_msg(seed, n);
		// MIT -> libkgss
		for (int conf = 1; conf >= 0; conf--) {
			mit_result w = mit_ok(mit_wrap(p.peer, conf, msg), t, "gss_wrap");
			LONGS_EQUAL_TEXT(conf, w.conf_state, t.c_str());
			kgss_unwrap_ok(k.c, w.out, msg, conf, true, t + (conf ? " MIT wrap conf" : " MIT wrap integ"));
		}
		mit_result m = mit_ok(mit_get_mic(p.peer, msg), t, "gss_get_mic");
		kgss_verify_ok(k.c, msg, m.out, true, t + " MIT get_mic");
		// MIT gss_wrap_iov without a TRAILER buffer: the trailer rides in the header (RRC != 0 for CFX)
		for (int conf = 1; conf >= 0; conf--) {
			mit_result w =
				mit_ok(mit_wrap_iov_token(p.peer, conf, msg, false), t, "gss_wrap_iov (no trailer)");
			if (mit_lucid(p)->protocol == 1) {
				CHECK_TEXT(w.out.size() >= 16, t.c_str());
				unsigned rrc = (unsigned)w.out[6] << 8 | w.out[7];
				CHECK_TEXT(rrc != 0, (t + ": MIT IOV token without trailer has RRC 0").c_str());
			}
			kgss_unwrap_ok(k.c, w.out, msg, conf, true,
				       t + (conf ? " MIT wrap_iov/RRC conf" : " MIT wrap_iov/RRC integ"));
		}
		// libkgss -> MIT
		for (int conf = 1; conf >= 0; conf--) {
			bytes tok = kgss_wrap_tok(k.c, conf, msg, t);
			sent++;
			mit_unwrap_ok(p.peer, tok, msg, conf, true,
				      t + (conf ? " kgss wrap conf" : " kgss wrap integ"));
		}
		bytes mic = kgss_mic_tok(k.c, msg, t);
		sent++;
		mit_verify_ok(p.peer, msg, mic, true, t + " kgss get_mic");
	}
	kgss_ctx_info info;
	CHECK(kgss_ctx_inquire(k.c, &info) == KGSS_S_COMPLETE);
	UNSIGNED_LONGS_EQUAL_TEXT(send0 + sent, info.send_seq, (c.tag + ": send_seq after the sequence").c_str());

	// ---- negative cases ----
	bytes msg = random_msg(seed, 64);
	size_t olen = 99;
	// replay: the second delivery of one MIT token reports DUPLICATE_TOKEN
	{
		mit_result w = mit_ok(mit_wrap(p.peer, 1, msg), c.tag, "gss_wrap");
		kgss_unwrap_ok(k.c, w.out, msg, 1, true, c.tag + " replay (first)");
		// MIT / RFC 2743 semantics (kgss.h): a replay that verifies is COMPLETE | DUPLICATE_TOKEN
		kgss_status st = kgss_unwrap_status(k.c, w.out, &olen);
		if (st != (KGSS_S_COMPLETE | KGSS_S_DUPLICATE_TOKEN))
			FAIL((c.tag + ": replayed wrap token: " + st_str(st)).c_str());
		mit_result m = mit_ok(mit_get_mic(p.peer, msg), c.tag, "gss_get_mic");
		kgss_verify_ok(k.c, msg, m.out, true, c.tag + " replay mic (first)");
		st = kgss_verify_status(k.c, msg, m.out);
		if (st != (KGSS_S_COMPLETE | KGSS_S_DUPLICATE_TOKEN))
			FAIL((c.tag + ": replayed MIC: " + st_str(st)).c_str());
	}
	// wrong direction: libkgss's own token fed back to the same context
	{
		bytes own = kgss_wrap_tok(k.c, 1, msg, c.tag);
		kgss_status st = kgss_unwrap_status(k.c, own, &olen);
		CHECK_TEXT(KGSS_ERROR(st), (c.tag + ": own wrap token accepted: " + st_str(st)).c_str());
		UNSIGNED_LONGS_EQUAL_TEXT(0, olen, (c.tag + ": plaintext released on failure").c_str());
		bytes own_i = kgss_wrap_tok(k.c, 0, msg, c.tag);
		st = kgss_unwrap_status(k.c, own_i, &olen);
		CHECK_TEXT(KGSS_ERROR(st), (c.tag + ": own integ wrap token accepted: " + st_str(st)).c_str());
		bytes own_m = kgss_mic_tok(k.c, msg, c.tag);
		st = kgss_verify_status(k.c, msg, own_m);
		CHECK_TEXT(KGSS_ERROR(st), (c.tag + ": own MIC accepted: " + st_str(st)).c_str());
	}
	// tampered tokens: BAD_SIG, no plaintext
	{
		for (int conf = 1; conf >= 0; conf--) {
			mit_result w = mit_ok(mit_wrap(p.peer, conf, msg), c.tag, "gss_wrap");
			w.out.back() ^= 0x01;
			kgss_status st = kgss_unwrap_status(k.c, w.out, &olen);
			if (st != KGSS_S_BAD_SIG)
				FAIL((c.tag + ": tampered " + (conf ? "conf" : "integ") + " wrap: " + st_str(st))
					     .c_str());
			UNSIGNED_LONGS_EQUAL_TEXT(0, olen, (c.tag + ": plaintext released on failure").c_str());
			// a byte inside the protected payload
			w = mit_ok(mit_wrap(p.peer, conf, msg), c.tag, "gss_wrap");
			w.out[w.out.size() / 2] ^= 0x80;
			st = kgss_unwrap_status(k.c, w.out, &olen);
			if (st != KGSS_S_BAD_SIG)
				FAIL((c.tag + ": tampered (middle) " + (conf ? "conf" : "integ") +
				      " wrap: " + st_str(st))
					     .c_str());
			UNSIGNED_LONGS_EQUAL_TEXT(0, olen, (c.tag + ": plaintext released on failure").c_str());
		}
		mit_result m = mit_ok(mit_get_mic(p.peer, msg), c.tag, "gss_get_mic");
		bytes other = msg;
		other[0] ^= 0x01;
		kgss_status st = kgss_verify_status(k.c, other, m.out);
		if (st != KGSS_S_BAD_SIG)
			FAIL((c.tag + ": MIC over a changed message: " + st_str(st)).c_str());
		m.out.back() ^= 0x01;
		st = kgss_verify_status(k.c, msg, m.out);
		if (st != KGSS_S_BAD_SIG)
			FAIL((c.tag + ": tampered MIC: " + st_str(st)).c_str());
	}
	// a token from a context of another enctype (same direction, same token format)
	{
		mit_pair f;
		std::string err;
		int fe = foreign_enctype(c.enctype);
		if (!mit_establish(fe, c.mutual, c.kgss_initiator, &f, &err))
			FAIL((c.tag + ": foreign pair: " + err).c_str());
		mit_result w = mit_ok(mit_wrap(f.peer, 1, msg), c.tag, "gss_wrap (foreign)");
		kgss_status st = kgss_unwrap_status(k.c, w.out, &olen);
		CHECK_TEXT(KGSS_ERROR(st),
			   (c.tag + ": token of enctype " + std::to_string(fe) + " accepted: " + st_str(st)).c_str());
		UNSIGNED_LONGS_EQUAL_TEXT(0, olen, (c.tag + ": plaintext released on failure").c_str());
		mit_result m = mit_ok(mit_get_mic(f.peer, msg), c.tag, "gss_get_mic (foreign)");
		st = kgss_verify_status(k.c, msg, m.out);
		CHECK_TEXT(KGSS_ERROR(st),
			   (c.tag + ": MIC of enctype " + std::to_string(fe) + " accepted: " + st_str(st)).c_str());
		// and a token of the other protocol family (RFC 1964 <-> RFC 4121)
		int oe = (c.enctype == 16 || c.enctype == 23 || c.enctype == 24) ? 18 : 23;
		mit_pair g;
		if (!mit_establish(oe, c.mutual, c.kgss_initiator, &g, &err))
			FAIL((c.tag + ": foreign pair: " + err).c_str());
		w = mit_ok(mit_wrap(g.peer, 1, msg), c.tag, "gss_wrap (other protocol)");
		st = kgss_unwrap_status(k.c, w.out, &olen);
		CHECK_TEXT(KGSS_ERROR(st),
			   (c.tag + ": token of enctype " + std::to_string(oe) + " accepted: " + st_str(st)).c_str());
		UNSIGNED_LONGS_EQUAL_TEXT(0, olen, (c.tag + ": plaintext released on failure").c_str());
	}
	// the context still works after all that (MIT skipped numbers -> GAP is fine)
	{
		mit_result w = mit_ok(mit_wrap(p.peer, 1, msg), c.tag, "gss_wrap");
		kgss_unwrap_ok(k.c, w.out, msg, 1, false, c.tag + " after negatives");
		bytes tok = kgss_wrap_tok(k.c, 1, msg, c.tag);
		mit_unwrap_ok(p.peer, tok, msg, 1, false, c.tag + " after negatives");
	}
	g_cases++;
}

// ---- IOV ------------------------------------------------------------------------------------
struct kiov_set {
	std::vector<bytes> store;
	std::vector<kgss_iov> iov;
	void add(uint32_t type, const bytes &data)
	{
		store.push_back(data);
		iov.push_back(kgss_iov{type, {0, nullptr}});
	}
	void point()
	{
		for (size_t i = 0; i < iov.size(); i++) {
			iov[i].buffer.value = store[i].empty() ? nullptr : store[i].data();
			iov[i].buffer.length = store[i].size();
		}
	}
	// after a *_length call: allocate what the library asked for
	void alloc_from_lengths()
	{
		for (size_t i = 0; i < iov.size(); i++) {
			uint32_t t = iov[i].type;
			if (t == KGSS_IOV_HEADER || t == KGSS_IOV_PADDING || t == KGSS_IOV_TRAILER ||
			    t == KGSS_IOV_MIC_TOKEN)
				store[i].assign(iov[i].buffer.length, 0);
		}
		point();
	}
	bytes concat(bool skip_sign_only = true) const
	{
		bytes out;
		for (size_t i = 0; i < iov.size(); i++) {
			if (skip_sign_only && iov[i].type == KGSS_IOV_SIGN_ONLY)
				continue;
			const uint8_t *v = static_cast<const uint8_t *>(iov[i].buffer.value);
			if (iov[i].buffer.length)
				out.insert(out.end(), v, v + iov[i].buffer.length);
		}
		return out;
	}
};

void run_iov_case(const case_desc &c)
{
	mit_pair p;
	kctx k;
	setup_case(c, KGSS_OPT_REPLAY_DETECT | KGSS_OPT_SEQUENCE_DETECT, &p, &k);
	uint64_t seed = 0x696f76ull * (uint64_t)(c.enctype * 8 + c.mutual * 4 + c.kgss_initiator * 2 + 1);

	for (size_t n : k_sizes) {
		const std::string t = c.tag + " len=" + std::to_string(n);
		bytes msg = random_msg(seed, n);
		size_t cut = n / 3; // split point for two-segment DATA
		bytes a(msg.begin(), msg.begin() + cut), b(msg.begin() + cut, msg.end());
		bytes assoc = random_msg(seed, 13);

		for (int conf = 1; conf >= 0; conf--) {
			const std::string tc = t + (conf ? " conf" : " integ");
			// MIT gss_wrap -> kgss_unwrap_iov(STREAM | DATA)
			{
				mit_result w = mit_ok(mit_wrap(p.peer, conf, msg), tc, "gss_wrap");
				kiov_set s;
				s.add(KGSS_IOV_STREAM, w.out);
				s.add(KGSS_IOV_DATA, bytes());
				s.point();
				int cs = -1;
				kgss_status st = kgss_unwrap_iov(k.c, &cs, nullptr, s.iov.data(), s.iov.size());
				if (st != KGSS_S_COMPLETE)
					FAIL((tc + ": kgss_unwrap_iov(STREAM|DATA): " + st_str(st)).c_str());
				UNSIGNED_LONGS_EQUAL_TEXT(n, s.iov[1].buffer.length, tc.c_str());
				CHECK_TEXT(n == 0 || memcmp(s.iov[1].buffer.value, msg.data(), n) == 0,
					   (tc + ": STREAM plaintext").c_str());
				LONGS_EQUAL_TEXT(conf, cs, tc.c_str());
				g_exchanges++;
			}
			// MIT gss_wrap_iov HEADER|DATA|PADDING|TRAILER -> kgss_unwrap_iov with the same buffers
			{
				std::vector<mit_iov_buf> mi(4);
				mi[0].type = GSS_IOV_BUFFER_TYPE_HEADER;
				mi[1].type = GSS_IOV_BUFFER_TYPE_DATA;
				mi[1].data = msg;
				mi[2].type = GSS_IOV_BUFFER_TYPE_PADDING;
				mi[3].type = GSS_IOV_BUFFER_TYPE_TRAILER;
				mit_ok(mit_wrap_iov(p.peer, conf, mi), tc, "gss_wrap_iov");
				kiov_set s;
				s.add(KGSS_IOV_HEADER, mi[0].data);
				s.add(KGSS_IOV_DATA, mi[1].data);
				s.add(KGSS_IOV_PADDING, mi[2].data);
				s.add(KGSS_IOV_TRAILER, mi[3].data);
				s.point();
				int cs = -1;
				kgss_status st = kgss_unwrap_iov(k.c, &cs, nullptr, s.iov.data(), s.iov.size());
				if (st != KGSS_S_COMPLETE)
					FAIL((tc + ": kgss_unwrap_iov(HEADER|DATA|PADDING|TRAILER): " + st_str(st))
						     .c_str());
				UNSIGNED_LONGS_EQUAL_TEXT(n, s.iov[1].buffer.length, tc.c_str());
				CHECK_TEXT(s.store[1] == msg, (tc + ": IOV plaintext").c_str());
				LONGS_EQUAL_TEXT(conf, cs, tc.c_str());
				g_exchanges++;
			}
			// MIT AEAD: HEADER|SIGN_ONLY|DATA|PADDING|TRAILER -> kgss_unwrap_iov
			{
				std::vector<mit_iov_buf> mi(5);
				mi[0].type = GSS_IOV_BUFFER_TYPE_HEADER;
				mi[1].type = GSS_IOV_BUFFER_TYPE_SIGN_ONLY;
				mi[1].data = assoc;
				mi[2].type = GSS_IOV_BUFFER_TYPE_DATA;
				mi[2].data = msg;
				mi[3].type = GSS_IOV_BUFFER_TYPE_PADDING;
				mi[4].type = GSS_IOV_BUFFER_TYPE_TRAILER;
				mit_ok(mit_wrap_iov(p.peer, conf, mi), tc, "gss_wrap_iov (SIGN_ONLY)");
				kiov_set s;
				s.add(KGSS_IOV_HEADER, mi[0].data);
				s.add(KGSS_IOV_SIGN_ONLY, mi[1].data);
				s.add(KGSS_IOV_DATA, mi[2].data);
				s.add(KGSS_IOV_PADDING, mi[3].data);
				s.add(KGSS_IOV_TRAILER, mi[4].data);
				s.point();
				int cs = -1;
				kgss_status st = kgss_unwrap_iov(k.c, &cs, nullptr, s.iov.data(), s.iov.size());
				if (st != KGSS_S_COMPLETE)
					FAIL((tc + ": kgss_unwrap_iov(AEAD): " + st_str(st)).c_str());
				CHECK_TEXT(s.store[2] == msg, (tc + ": AEAD plaintext").c_str());
				CHECK_TEXT(s.store[1] == assoc, (tc + ": SIGN_ONLY changed").c_str());
				g_exchanges++;
			}
			// kgss_wrap_iov HEADER|DATA|DATA|PADDING|TRAILER and without TRAILER -> MIT gss_unwrap
			for (int with_trailer = 1; with_trailer >= 0; with_trailer--) {
				kiov_set s;
				s.add(KGSS_IOV_HEADER, bytes());
				s.add(KGSS_IOV_DATA, a);
				s.add(KGSS_IOV_DATA, b);
				s.add(KGSS_IOV_PADDING, bytes());
				if (with_trailer)
					s.add(KGSS_IOV_TRAILER, bytes());
				s.point();
				int cs = -1;
				kgss_status st = kgss_wrap_iov_length(k.c, conf, 0, &cs, s.iov.data(), s.iov.size());
				if (st != KGSS_S_COMPLETE)
					FAIL((tc + ": kgss_wrap_iov_length: " + st_str(st)).c_str());
				s.alloc_from_lengths();
				st = kgss_wrap_iov(k.c, conf, 0, &cs, s.iov.data(), s.iov.size());
				if (st != KGSS_S_COMPLETE)
					FAIL((tc + ": kgss_wrap_iov: " + st_str(st)).c_str());
				LONGS_EQUAL_TEXT(conf, cs, tc.c_str());
				bytes tok = s.concat();
				if (!with_trailer && mit_lucid(p)->protocol == 1) {
					unsigned rrc = (unsigned)tok[6] << 8 | tok[7];
					CHECK_TEXT(rrc != 0,
						   (tc + ": kgss IOV token without trailer has RRC 0").c_str());
				}
				mit_unwrap_ok(p.peer, tok, msg, conf, true,
					      tc + (with_trailer ? " kgss wrap_iov+trailer" : " kgss wrap_iov/RRC"));
			}
			// kgss AEAD -> MIT gss_unwrap_iov with the same layout
			{
				kiov_set s;
				s.add(KGSS_IOV_HEADER, bytes());
				s.add(KGSS_IOV_SIGN_ONLY, assoc);
				s.add(KGSS_IOV_DATA, msg);
				s.add(KGSS_IOV_PADDING, bytes());
				s.add(KGSS_IOV_TRAILER, bytes());
				s.point();
				int cs = -1;
				kgss_status st = kgss_wrap_iov_length(k.c, conf, 0, &cs, s.iov.data(), s.iov.size());
				if (st != KGSS_S_COMPLETE)
					FAIL((tc + ": kgss_wrap_iov_length (AEAD): " + st_str(st)).c_str());
				s.alloc_from_lengths();
				st = kgss_wrap_iov(k.c, conf, 0, &cs, s.iov.data(), s.iov.size());
				if (st != KGSS_S_COMPLETE)
					FAIL((tc + ": kgss_wrap_iov (AEAD): " + st_str(st)).c_str());
				std::vector<mit_iov_buf> mi(5);
				const OM_uint32 types[5] = {GSS_IOV_BUFFER_TYPE_HEADER, GSS_IOV_BUFFER_TYPE_SIGN_ONLY,
							    GSS_IOV_BUFFER_TYPE_DATA, GSS_IOV_BUFFER_TYPE_PADDING,
							    GSS_IOV_BUFFER_TYPE_TRAILER};
				for (int i = 0; i < 5; i++) {
					mi[i].type = types[i];
					const uint8_t *v = static_cast<const uint8_t *>(s.iov[i].buffer.value);
					mi[i].data.assign(v, v + s.iov[i].buffer.length);
				}
				mit_result r = mit_unwrap_iov(p.peer, mi);
				if (r.major != GSS_S_COMPLETE)
					FAIL((tc +
					      ": MIT gss_unwrap_iov (AEAD): " + mit_status_string(r.major, r.minor))
						     .c_str());
				CHECK_TEXT(mi[2].data == msg, (tc + ": MIT AEAD plaintext").c_str());
				g_exchanges++;
			}
		}
		// kgss_get_mic_iov over DATA|DATA -> MIT gss_verify_mic over the concatenation
		{
			kiov_set s;
			s.add(KGSS_IOV_DATA, a);
			s.add(KGSS_IOV_DATA, b);
			s.add(KGSS_IOV_MIC_TOKEN, bytes());
			s.point();
			kgss_status st = kgss_get_mic_iov_length(k.c, 0, s.iov.data(), s.iov.size());
			if (st != KGSS_S_COMPLETE)
				FAIL((t + ": kgss_get_mic_iov_length: " + st_str(st)).c_str());
			s.alloc_from_lengths();
			st = kgss_get_mic_iov(k.c, 0, s.iov.data(), s.iov.size());
			if (st != KGSS_S_COMPLETE)
				FAIL((t + ": kgss_get_mic_iov: " + st_str(st)).c_str());
			bytes mic(static_cast<uint8_t *>(s.iov[2].buffer.value),
				  static_cast<uint8_t *>(s.iov[2].buffer.value) + s.iov[2].buffer.length);
			mit_verify_ok(p.peer, msg, mic, true, t + " kgss get_mic_iov");
		}
		// MIT gss_get_mic -> kgss_verify_mic_iov over DATA|DATA|MIC_TOKEN
		{
			mit_result m = mit_ok(mit_get_mic(p.peer, msg), t, "gss_get_mic");
			kiov_set s;
			s.add(KGSS_IOV_DATA, a);
			s.add(KGSS_IOV_DATA, b);
			s.add(KGSS_IOV_MIC_TOKEN, m.out);
			s.point();
			kgss_status st = kgss_verify_mic_iov(k.c, nullptr, s.iov.data(), s.iov.size());
			if (st != KGSS_S_COMPLETE)
				FAIL((t + ": kgss_verify_mic_iov: " + st_str(st)).c_str());
			g_exchanges++;
		}
	}
	// a tampered IOV token: BAD_SIG and no plaintext in DATA
	{
		bytes msg = random_msg(seed, 100);
		mit_result w = mit_ok(mit_wrap_iov_token(p.peer, 1, msg, false), c.tag, "gss_wrap_iov");
		w.out[w.out.size() - 1] ^= 0x01;
		kiov_set s;
		s.add(KGSS_IOV_STREAM, w.out);
		s.add(KGSS_IOV_DATA, bytes());
		s.point();
		kgss_status st = kgss_unwrap_iov(k.c, nullptr, nullptr, s.iov.data(), s.iov.size());
		if (st != KGSS_S_BAD_SIG)
			FAIL((c.tag + ": tampered IOV token: " + st_str(st)).c_str());
		// nothing of the plaintext may be visible anywhere in the stream buffer
		CHECK_TEXT(std::search(s.store[0].begin(), s.store[0].end(), msg.begin(), msg.begin() + 16) ==
				   s.store[0].end(),
			   (c.tag + ": plaintext released by a failed unwrap_iov").c_str());
	}
	g_cases++;
}

template <typename F>
void for_all_cases(import_kind imp, F run)
{
	for (const backend_desc &be : k_backends)
		for (int e : mit_all_enctypes)
			for (int mutual = 0; mutual < 2; mutual++)
				for (int init = 1; init >= 0; init--) {
					case_desc c{e, mutual != 0, init != 0, &be, imp, ""};
					c.tag = std::string("[") + import_name(imp) + " " + be.name + " " +
						mit_enctype_name(e) + " mutual=" + std::to_string(mutual) +
						" kgss=" + (init ? "initiator" : "acceptor") + "]";
					run(c);
				}
}

void load_env()
{
	std::string err;
	if (!mit_env_load("", &err))
		FAIL(("KDC fixture not available: " + err).c_str());
}

} // namespace

TEST_GROUP(interop){void setup() override{load_env();
}
}
;

TEST(interop, lucid_v1_plain)
{
	int before = g_cases;
	for_all_cases(IMPORT_LUCID, run_plain_case);
	LONGS_EQUAL(9 * 2 * 2 * (int)(sizeof k_backends / sizeof k_backends[0]), g_cases - before);
}

TEST(interop, downcall_plain)
{
	int before = g_cases;
	for_all_cases(IMPORT_DOWNCALL, run_plain_case);
	LONGS_EQUAL(9 * 2 * 2 * (int)(sizeof k_backends / sizeof k_backends[0]), g_cases - before);
}

TEST(interop, serialized_plain)
{
	int before = g_cases;
	for_all_cases(IMPORT_SERIALIZED, run_plain_case);
	LONGS_EQUAL(9 * 2 * 2 * (int)(sizeof k_backends / sizeof k_backends[0]), g_cases - before);
}

TEST(interop, lucid_v1_iov)
{
	int before = g_cases;
	for_all_cases(IMPORT_LUCID, run_iov_case);
	LONGS_EQUAL(9 * 2 * 2 * (int)(sizeof k_backends / sizeof k_backends[0]), g_cases - before);
}

// The *_into imports (caller memory, no allocator) interoperate the same way; the
// downcall also with DES3 labelled 16 instead of MIT's 6.
TEST(interop, into_variants)
{
	int n = 0;
	for (int e : mit_all_enctypes)
		for (int init = 1; init >= 0; init--)
			for (int path = 0; path < 3; path++) {
				std::string tag = std::string("[into ") +
						  (path == 0   ? "lucid"
						   : path == 1 ? "downcall"
							       : "downcall-16") +
						  " " + mit_enctype_name(e) +
						  " kgss=" + (init ? "initiator" : "acceptor") + "]";
				if (path == 2 && e != 16)
					continue;
				mit_pair p;
				std::string err;
				if (!mit_establish(e, true, init != 0, &p, &err))
					FAIL((tag + ": " + err).c_str());
				kgss_options o;
				kgss_options_init(&o); // no allocator: only the *_into imports can work
				o.prng = chacha_prng();
				o.flags = KGSS_OPT_REPLAY_DETECT;
				// kgss_ctx_size() bytes at any alignment: use an odd address on purpose
				std::vector<uint8_t> raw(kgss_ctx_size() + 1);
				uint8_t *mem = raw.data() + 1;
				kgss_ctx *c = nullptr;
				kgss_status st;
				if (path == 0) {
					// without an allocator the allocating import must refuse
					kgss_ctx *none = nullptr;
					st = kgss_import_lucid_v1(mit_lucid_kgss(p), &o, &none);
					if (st != KGSS_S_FAILURE)
						FAIL((tag + ": allocating import without allocator: " + st_str(st))
							     .c_str());
					POINTERS_EQUAL(nullptr, none);
					// clearly too small (kgss_ctx_size() includes alignment slack, so
					// only "well below" is guaranteed to be refused)
					st = kgss_import_lucid_v1_into(mem, kgss_ctx_size() / 2, mit_lucid_kgss(p), &o,
								       &c);
					if (st != KGSS_S_FAILURE)
						FAIL((tag + ": short *_into buffer: " + st_str(st)).c_str());
					POINTERS_EQUAL(nullptr, c);
					st = kgss_import_lucid_v1_into(mem, kgss_ctx_size(), mit_lucid_kgss(p), &o, &c);
				} else {
					bytes d = make_downcall(mit_lucid(p));
					if (path == 2) {
						uint32_t e16 = 16;
						memcpy(d.data() + 16, &e16, 4);
					}
					st = kgss_import_downcall_into(mem, kgss_ctx_size(), d.data(), d.size(), &o,
								       &c);
				}
				if (st != KGSS_S_COMPLETE)
					FAIL((tag + ": import: " + st_str(st)).c_str());
				bytes msg(333, 0x42);
				mit_result w = mit_ok(mit_wrap(p.peer, 1, msg), tag, "gss_wrap");
				kgss_unwrap_ok(c, w.out, msg, 1, true, tag);
				mit_result m = mit_ok(mit_get_mic(p.peer, msg), tag, "gss_get_mic");
				kgss_verify_ok(c, msg, m.out, true, tag);
				bytes tok = kgss_wrap_tok(c, 1, msg, tag);
				mit_unwrap_ok(p.peer, tok, msg, 1, true, tag);
				bytes mic = kgss_mic_tok(c, msg, tag);
				mit_verify_ok(p.peer, msg, mic, true, tag);
				kgss_ctx_free(c); // wipes; the memory stays ours
				n++;
			}
	LONGS_EQUAL(9 * 2 * 2 + 2, n);
	g_cases += n;
}

// The OpenSSL backend must be part of the run when libkgss_openssl is built.
TEST(interop, both_backends_present)
{
#ifdef KGSS_INTEROP_OPENSSL
	LONGS_EQUAL(2, (int)(sizeof k_backends / sizeof k_backends[0]));
#else
	FAIL("libkgss_openssl is not built: the interop run covers the builtin backend only");
#endif
}
