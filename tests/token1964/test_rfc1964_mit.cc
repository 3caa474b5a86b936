// tests/token1964/test_rfc1964_mit.cc - the RFC 1964 engine against live MIT
// krb5 (tools/mit/mit_peer.h, loopback KDC fixture "kdc"): DES3 (MIT exports
// the key as enctype 6), RC4-HMAC and RC4-HMAC-EXP, both roles, both
// backends.  Complements tests/interop (plain calls) with the IOV layouts
// MIT's gss_wrap_iov / gss_unwrap_iov use for RFC 1964 tokens, split the
// same way on both sides (HEADER | DATA | PADDING), and the sequence
// numbering MIT checks with REPLAY|SEQUENCE.
#include <string.h>

#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

#include "testutil.h"
#include "tools/mit/mit_peer.h"

using namespace kmit;

namespace {

struct kctx {
	std::vector<uint64_t> mem;
	kgss_ctx *c = nullptr;
	kgss_chacha_prng st{};
	kgss_prng prng{};
	~kctx()
	{
		if (c)
			kgss_ctx_free(c);
	}
};

void import(const mit_pair &p, const kgss_crypto_backend *be, kctx *k)
{
	k->mem.assign(kgss_ctx_size() / 8 + 8, 0);
	uint8_t seed[32];
	for (int i = 0; i < 32; i++)
		seed[i] = (uint8_t)(i * 29 + 5);
	kgss_chacha_prng_init(&k->st, seed, &k->prng);
	kgss_options o;
	kgss_options_init(&o);
	o.crypto = be;
	o.prng = &k->prng;
	o.flags = KGSS_OPT_REPLAY_DETECT | KGSS_OPT_SEQUENCE_DETECT;
	LONGS_EQUAL(KGSS_S_COMPLETE,
		    kgss_import_lucid_v1_into(k->mem.data(), k->mem.size() * 8, mit_lucid_kgss(p), &o, &k->c));
}

bytes msg_of(size_t n, uint64_t seed)
{
	bytes m(n);
	kt::fill_random(seed, m.data(), n);
	return m;
}

void run_case(int enctype, bool kgss_initiator, const kgss_crypto_backend *be)
{
	const std::string tag = std::string(mit_enctype_name(enctype)) +
				(kgss_initiator ? " kgss=initiator " : " kgss=acceptor ") + be->name;
	mit_pair p;
	std::string err;
	if (!mit_establish(enctype, true, kgss_initiator, &p, &err))
		FAIL((tag + ": " + err).c_str());
	const gss_krb5_lucid_context_v1_t *l = mit_lucid(p);
	LONGS_EQUAL_TEXT(0, l->protocol, tag.c_str());
	if (enctype == 16)
		LONGS_EQUAL_TEXT(6, l->rfc1964_kd.ctx_key.type, tag.c_str()); // MIT's des3-cbc-raw label
	kctx k;
	import(p, be, &k);

	for (size_t n : {0, 1, 7, 8, 9, 1000, 65539}) {
		const std::string t = tag + " n=" + std::to_string(n);
		bytes m = msg_of(n, n + enctype);
		for (int conf = 1; conf >= 0; conf--) {
			// MIT gss_wrap_iov HEADER | DATA | PADDING -> kgss_unwrap_iov, same split.
			std::vector<mit_iov_buf> iov(3);
			iov[0].type = GSS_IOV_BUFFER_TYPE_HEADER;
			iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
			iov[1].data = m;
			iov[2].type = GSS_IOV_BUFFER_TYPE_PADDING;
			mit_result w = mit_wrap_iov(p.peer, conf, iov);
			CHECK_TEXT(w.ok(), (t + ": gss_wrap_iov: " + mit_status_string(w.major, w.minor)).c_str());
			LONGS_EQUAL_TEXT(enctype == 16 ? 8 - n % 8 : 1, iov[2].data.size(), t.c_str());
			kgss_iov v[3] = {{KGSS_IOV_HEADER, {iov[0].data.size(), iov[0].data.data()}},
					 {KGSS_IOV_DATA, {iov[1].data.size(), iov[1].data.data()}},
					 {KGSS_IOV_PADDING, {iov[2].data.size(), iov[2].data.data()}}};
			int cs = -1;
			LONGS_EQUAL_TEXT(KGSS_S_COMPLETE, kgss_unwrap_iov(k.c, &cs, nullptr, v, 3),
					 (t + " MIT iov").c_str());
			LONGS_EQUAL_TEXT(conf, cs, t.c_str());
			CHECK_TEXT(v[1].buffer.length == n && (n == 0 || memcmp(v[1].buffer.value, m.data(), n) == 0),
				   t.c_str());

			// kgss_wrap_iov HEADER | DATA | PADDING -> MIT gss_unwrap_iov, same split.
			bytes d = m, h(128), pd(16);
			kgss_iov u[3] = {{KGSS_IOV_HEADER, {h.size(), h.data()}},
					 {KGSS_IOV_DATA, {d.size(), d.data()}},
					 {KGSS_IOV_PADDING, {pd.size(), pd.data()}}};
			LONGS_EQUAL_TEXT(KGSS_S_COMPLETE, kgss_wrap_iov(k.c, conf, 0, &cs, u, 3), t.c_str());
			std::vector<mit_iov_buf> r(3);
			r[0].type = GSS_IOV_BUFFER_TYPE_HEADER;
			r[0].data.assign(h.begin(), h.begin() + u[0].buffer.length);
			r[1].type = GSS_IOV_BUFFER_TYPE_DATA;
			r[1].data = d;
			r[2].type = GSS_IOV_BUFFER_TYPE_PADDING;
			r[2].data.assign(pd.begin(), pd.begin() + u[2].buffer.length);
			mit_result un = mit_unwrap_iov(p.peer, r);
			CHECK_TEXT(un.ok(),
				   (t + ": gss_unwrap_iov of kgss token: " + mit_status_string(un.major, un.minor))
					   .c_str());
			CHECK_TEXT(r[1].data == m, (t + ": MIT plaintext").c_str());
			LONGS_EQUAL_TEXT(conf, un.conf_state, t.c_str());
		}
		// MIC both ways.
		mit_result mic = mit_get_mic(p.peer, m);
		CHECK(mic.ok());
		kgss_buffer mb{m.size(), m.data()}, tb{mic.out.size(), mic.out.data()};
		LONGS_EQUAL_TEXT(KGSS_S_COMPLETE, kgss_verify_mic(k.c, &mb, &tb, nullptr), t.c_str());
		bytes km(128);
		kgss_buffer kb{km.size(), km.data()};
		LONGS_EQUAL(KGSS_S_COMPLETE, kgss_get_mic(k.c, 0, &mb, &kb));
		km.resize(kb.length);
		mit_result vr = mit_verify_mic(p.peer, m, km);
		CHECK_TEXT(vr.ok(),
			   (t + ": gss_verify_mic of kgss MIC: " + mit_status_string(vr.major, vr.minor)).c_str());
	}
}

} // namespace

TEST_GROUP(rfc1964_mit){void setup() override{std::string err;
if (!mit_env_load("", &err))
	FAIL(("KDC fixture not available: " + err).c_str());
}
}
;

TEST(rfc1964_mit, des3)
{
	for (bool ini : {true, false}) {
		run_case(16, ini, kgss_crypto_builtin());
		run_case(16, ini, kgss_crypto_openssl());
	}
}

TEST(rfc1964_mit, rc4_hmac)
{
	for (bool ini : {true, false}) {
		run_case(23, ini, kgss_crypto_builtin());
		run_case(23, ini, kgss_crypto_openssl());
	}
}

TEST(rfc1964_mit, rc4_hmac_exp)
{
	for (bool ini : {true, false}) {
		run_case(24, ini, kgss_crypto_builtin());
		run_case(24, ini, kgss_crypto_openssl());
	}
}
