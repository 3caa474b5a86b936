// tests/c_backend/test_nettle_interop.cc - the example C backend
// (libkgss_nettle) against live MIT krb5 contexts from the loopback KDC.
//
// For every enctype (16 17 18 19 20 23 24 25 26) x mutual on/off (acceptor
// subkey or not) x libkgss as initiator / as acceptor: a real MIT context
// pair is established (tools/mit), one side is exported as a lucid context
// and imported into libkgss with crypto = kgss_crypto_nettle() and the
// Yarrow PRNG of kgss_nettle.h; the other side stays a live MIT peer.  Then,
// over message sizes 0 1 16 17 1000 65539, in one sequence with replay and
// sequence detection on both sides (so a numbering error shows up as a
// supplementary status, which fails):
//   MIT gss_wrap (conf, integ), gss_get_mic, gss_wrap_iov without TRAILER
//     (RRC != 0 for CFX)                        -> kgss_unwrap / kgss_verify_mic
//   kgss_wrap (conf, integ), kgss_get_mic,
//   kgss_wrap_iov HEADER|DATA|PADDING|TRAILER   -> MIT gss_unwrap / gss_verify_mic
// and a tampered MIT token must be rejected.  Case and token counts are printed.
// Needs the "kdc" CTest fixture (KGSS_KDC_ENV); nothing is skipped.
#include <CppUTest/TestHarness.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "kgss.h"
#include "kgss_nettle.h"
#include "families.h"
#include "testutil.h"
#include "tools/mit/mit_peer.h"

using kmit::bytes;

namespace {

int g_cases = 0;
long g_tokens = 0;
struct report {
	~report()
	{
		std::printf("\ntest_nettle_interop: %d live MIT cases with the C backend, %ld tokens exchanged\n",
			    g_cases, g_tokens);
	}
} g_report;

kgss_nettle_prng g_prng_state;
kgss_prng g_prng;
bool g_prng_ready = false;

const kgss_prng *prng()
{
	if (!g_prng_ready) {
		if (kgss_nettle_prng_init_getrandom(&g_prng_state, &g_prng) != 0)
			FAIL("kgss_nettle_prng_init_getrandom failed");
		g_prng_ready = true;
	}
	return &g_prng;
}

std::string st_str(kgss_status s)
{
	char b[16];
	std::snprintf(b, sizeof b, "0x%08x ", (unsigned)s);
	return b + std::string(kgss_status_string(s));
}

bytes pattern(size_t n, unsigned salt)
{
	bytes b(n);
	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)(i * 131 + salt);
	return b;
}

// MIT -> libkgss
void mit_to_kgss(const kmit::mit_pair &p, kgss_ctx *k, const std::string &tag)
{
	static const size_t sizes[] = {0, 1, 16, 17, 1000, 65539};
	for (size_t n : sizes) {
		bytes msg = pattern(n, 7);
		std::string t = tag + " len " + std::to_string(n);
		for (int conf = 0; conf < 2; conf++) {
			kmit::mit_result w = kmit::mit_wrap(p.peer, conf != 0, msg);
			CHECK_TEXT(w.ok(), (t + ": MIT wrap: " + kmit::mit_status_string(w.major, w.minor)).c_str());
			bytes out(w.out.size());
			kgss_buffer in = {w.out.size(), w.out.data()}, ob = {out.size(), out.data()};
			int cs = -1;
			kgss_status st = kgss_unwrap(k, &in, &ob, &cs, nullptr);
			CHECK_EQUAL_TEXT(KGSS_S_COMPLETE, st, (t + ": kgss_unwrap " + st_str(st)).c_str());
			CHECK_EQUAL_TEXT(conf, cs, t.c_str());
			CHECK_TEXT(bytes(out.begin(), out.begin() + ob.length) == msg, (t + ": plaintext").c_str());
			g_tokens++;
		}
		kmit::mit_result m = kmit::mit_get_mic(p.peer, msg);
		CHECK_TEXT(m.ok(), (t + ": MIT get_mic").c_str());
		kgss_buffer mb = {msg.size(), msg.data()}, tb = {m.out.size(), m.out.data()};
		kgss_status st = kgss_verify_mic(k, &mb, &tb, nullptr);
		CHECK_EQUAL_TEXT(KGSS_S_COMPLETE, st, (t + ": kgss_verify_mic " + st_str(st)).c_str());
		g_tokens++;
		// IOV token without TRAILER: RFC 4121 puts the trailer in the header (RRC).
		kmit::mit_result v = kmit::mit_wrap_iov_token(p.peer, true, msg, false);
		CHECK_TEXT(v.ok(), (t + ": MIT wrap_iov").c_str());
		bytes out(v.out.size());
		kgss_buffer vin = {v.out.size(), v.out.data()}, vob = {out.size(), out.data()};
		st = kgss_unwrap(k, &vin, &vob, nullptr, nullptr);
		CHECK_EQUAL_TEXT(KGSS_S_COMPLETE, st, (t + ": kgss_unwrap of MIT IOV token " + st_str(st)).c_str());
		CHECK_TEXT(bytes(out.begin(), out.begin() + vob.length) == msg, (t + ": IOV plaintext").c_str());
		g_tokens++;
	}
	// A tampered MIT token is rejected (and consumes nothing on either side:
	// the next good token still verifies in sequence).
	bytes msg = pattern(100, 3);
	kmit::mit_result w = kmit::mit_wrap(p.peer, true, msg);
	CHECK(w.ok());
	w.out[w.out.size() - 3] ^= 0x40;
	bytes out(w.out.size());
	kgss_buffer in = {w.out.size(), w.out.data()}, ob = {out.size(), out.data()};
	CHECK_EQUAL_TEXT(KGSS_S_BAD_SIG, kgss_unwrap(k, &in, &ob, nullptr, nullptr), (tag + ": tampered").c_str());
	g_tokens++;
}

// libkgss -> MIT
void kgss_to_mit(const kmit::mit_pair &p, kgss_ctx *k, const std::string &tag)
{
	static const size_t sizes[] = {0, 1, 16, 17, 1000, 65539};
	for (size_t n : sizes) {
		bytes msg = pattern(n, 11);
		std::string t = tag + " len " + std::to_string(n);
		kgss_buffer in = {msg.size(), msg.data()};
		for (int conf = 0; conf < 2; conf++) {
			size_t need = 0;
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss_wrap_size(k, conf, n, &need));
			bytes tok(need);
			kgss_buffer tb = {tok.size(), tok.data()};
			kgss_status st = kgss_wrap(k, conf, 0, &in, nullptr, &tb);
			CHECK_EQUAL_TEXT(KGSS_S_COMPLETE, st, (t + ": kgss_wrap " + st_str(st)).c_str());
			tok.resize(tb.length);
			kmit::mit_result u = kmit::mit_unwrap(p.peer, tok);
			CHECK_TEXT(u.ok(), (t + ": MIT unwrap: " + kmit::mit_status_string(u.major, u.minor)).c_str());
			CHECK_EQUAL_TEXT(conf, u.conf_state, t.c_str());
			CHECK_TEXT(u.out == msg, (t + ": MIT plaintext").c_str());
			g_tokens++;
		}
		bytes mic(256);
		kgss_buffer mb = {mic.size(), mic.data()};
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss_get_mic(k, 0, &in, &mb));
		mic.resize(mb.length);
		kmit::mit_result v = kmit::mit_verify_mic(p.peer, msg, mic);
		CHECK_TEXT(v.ok(), (t + ": MIT verify_mic: " + kmit::mit_status_string(v.major, v.minor)).c_str());
		g_tokens++;
		// IOV: HEADER | DATA | PADDING | TRAILER, concatenated = one token.
		bytes data = msg;
		kgss_iov iov[4] = {{KGSS_IOV_HEADER, {0, nullptr}},
				   {KGSS_IOV_DATA, {data.size(), data.data()}},
				   {KGSS_IOV_PADDING, {0, nullptr}},
				   {KGSS_IOV_TRAILER, {0, nullptr}}};
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss_wrap_iov_length(k, 1, 0, nullptr, iov, 4));
		bytes hdr(iov[0].buffer.length), pad(iov[2].buffer.length), trl(iov[3].buffer.length);
		iov[0].buffer.value = hdr.data();
		iov[2].buffer.value = pad.data();
		iov[3].buffer.value = trl.data();
		kgss_status st = kgss_wrap_iov(k, 1, 0, nullptr, iov, 4);
		CHECK_EQUAL_TEXT(KGSS_S_COMPLETE, st, (t + ": kgss_wrap_iov " + st_str(st)).c_str());
		bytes tok = hdr;
		tok.insert(tok.end(), data.begin(), data.end());
		tok.insert(tok.end(), pad.begin(), pad.begin() + iov[2].buffer.length);
		tok.insert(tok.end(), trl.begin(), trl.end());
		kmit::mit_result u = kmit::mit_unwrap(p.peer, tok);
		CHECK_TEXT(
			u.ok(),
			(t + ": MIT unwrap of kgss IOV token: " + kmit::mit_status_string(u.major, u.minor)).c_str());
		CHECK_TEXT(u.out == msg, (t + ": IOV plaintext at MIT").c_str());
		g_tokens++;
	}
}

void run_enctype(int enctype)
{
	kt::require_enctype(enctype); // family compiled out: import UNAVAILABLE checked instead
	for (int mutual = 0; mutual < 2; mutual++) {
		for (int exp_init = 0; exp_init < 2; exp_init++) {
			std::string tag = std::string(kmit::mit_enctype_name(enctype)) +
					  (mutual ? " mutual" : " no-mutual") +
					  (exp_init ? " kgss=initiator" : " kgss=acceptor");
			kmit::mit_pair p;
			std::string err;
			if (!kmit::mit_establish(enctype, mutual != 0, exp_init != 0, &p, &err))
				FAIL((tag + ": mit_establish: " + err).c_str());
			kgss_options o;
			kgss_options_init(&o);
			o.crypto = kgss_crypto_nettle();
			o.prng = prng();
			o.flags = KGSS_OPT_REPLAY_DETECT | KGSS_OPT_SEQUENCE_DETECT;
			std::vector<uint8_t> mem(kgss_ctx_size());
			kgss_ctx *k = nullptr;
			kgss_status st =
				kgss_import_lucid_v1_into(mem.data(), mem.size(), kmit::mit_lucid_kgss(p), &o, &k);
			CHECK_EQUAL_TEXT(KGSS_S_COMPLETE, st, (tag + ": import " + st_str(st)).c_str());
			kgss_ctx_info info;
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss_ctx_inquire(k, &info));
			STRCMP_EQUAL("nettle", info.backend_name);
			mit_to_kgss(p, k, tag);
			kgss_to_mit(p, k, tag);
			kgss_ctx_free(k);
			g_cases++;
		}
	}
}

} // namespace

TEST_GROUP(nettle_interop){};

TEST(nettle_interop, des3_cbc_sha1) { run_enctype(16); }
TEST(nettle_interop, aes128_cts_hmac_sha1_96) { run_enctype(17); }
TEST(nettle_interop, aes256_cts_hmac_sha1_96) { run_enctype(18); }
TEST(nettle_interop, aes128_cts_hmac_sha256_128) { run_enctype(19); }
TEST(nettle_interop, aes256_cts_hmac_sha384_192) { run_enctype(20); }
TEST(nettle_interop, arcfour_hmac) { run_enctype(23); }
TEST(nettle_interop, arcfour_hmac_exp) { run_enctype(24); }
TEST(nettle_interop, camellia128_cts_cmac) { run_enctype(25); }
TEST(nettle_interop, camellia256_cts_cmac) { run_enctype(26); }
