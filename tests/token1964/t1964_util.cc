// tests/token1964/t1964_util.cc - see t1964_util.h.
#include "t1964_util.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <CppUTest/TestHarness.h>

#include "crypto/enctype.h"
#include "families.h"

namespace t1964 {

const cfg kCfgs[4] = {
	{"des3(lucid 6)", 6, 16, 24, 4, 2},
	{"des3(lucid 16)", 16, 16, 24, 4, 2},
	{"rc4-hmac", 23, 23, 16, 0x11, 0x10},
	{"rc4-hmac-exp", 24, 24, 16, 0x11, 0x10},
};

const uint8_t kFixedConf[8] = {0xc0, 0x4f, 0x0a, 0xd1, 0x2e, 0x93, 0x5b, 0x77};

std::vector<backend> backends()
{
	std::vector<backend> v;
	v.push_back({"builtin", kgss_crypto_builtin()});
	v.push_back({"openssl", kgss_crypto_openssl()});
	return v;
}

bool compiled_out(const cfg &c)
{
	if (kt::enctype_compiled_in(c.etype))
		return false;
	kt::check_enctype_absent((int)c.keytype);
	for (const backend &b : backends()) {
		ctx x;
		ctx_opts o;
		o.be = b.be;
		LONGS_EQUAL(KGSS_S_UNAVAILABLE, make_ctx(x, c, test_key(c), o));
		POINTERS_EQUAL(nullptr, x.c);
	}
	kt::note_compiled_out((int)c.keytype, "RFC 1964 lucid import (builtin, openssl) -> UNAVAILABLE");
	return true;
}

std::vector<cfg> cfgs()
{
	std::vector<cfg> v;
	for (const cfg &c : kCfgs)
		if (!compiled_out(c))
			v.push_back(c);
	return v;
}

bytes test_key(const cfg &c, uint8_t salt)
{
	bytes k(c.key_len);
	for (size_t i = 0; i < k.size(); i++)
		k[i] = (uint8_t)(0x31 + 7 * i + salt * 13);
	return k;
}

ctx::~ctx()
{
	if (c)
		kgss_ctx_free(c);
	free(mem);
}

static int fixed_generate(void *, uint8_t *out, size_t len)
{
	for (size_t i = 0; i < len; i++)
		out[i] = kFixedConf[i % 8];
	return 0;
}

kgss_status make_ctx(ctx &out, const cfg &c, const bytes &key, const ctx_opts &o)
{
	size_t sz = (kgss_ctx_size() + 63) & ~(size_t)63;
	out.mem = aligned_alloc(64, sz);
	memset(out.mem, 0xa5, sz);
	kgss_lucid_context_v1 l;
	memset(&l, 0, sizeof(l));
	l.version = 1;
	l.initiate = o.initiator ? 1 : 0;
	l.endtime = 0x7fffffff;
	l.send_seq = o.send_seq;
	l.recv_seq = o.recv_seq;
	l.protocol = 0;
	l.rfc1964_kd.sign_alg = c.sign_alg;
	l.rfc1964_kd.seal_alg = c.seal_alg;
	l.rfc1964_kd.ctx_key.type = c.keytype;
	l.rfc1964_kd.ctx_key.length = (uint32_t)key.size();
	l.rfc1964_kd.ctx_key.data = const_cast<uint8_t *>(key.data());

	kgss_options opts;
	kgss_options_init(&opts);
	opts.crypto = o.be;
	opts.flags = o.flags;
	if (o.prng == ctx_opts::PRNG_RANDOM) {
		uint8_t seed[32];
		for (size_t i = 0; i < 32; i++)
			seed[i] = (uint8_t)(i * 11 + (o.initiator ? 1 : 2));
		kgss_chacha_prng_init(&out.chacha, seed, &out.prng);
		opts.prng = &out.prng;
	} else if (o.prng == ctx_opts::PRNG_FIXED) {
		out.prng.generate = fixed_generate;
		out.prng.ctx = nullptr;
		opts.prng = &out.prng;
	}
	return kgss_import_lucid_v1_into(out.mem, sz, &l, &opts, &out.c);
}

kgss_status wrap(kgss_ctx *c, bool conf, const bytes &msg, bytes *tok, int *conf_state)
{
	size_t n = 0;
	kgss_status st = kgss_wrap_size(c, conf, msg.size(), &n);
	if (st != KGSS_S_COMPLETE)
		return st;
	tok->assign(n + 16, 0xee);
	kgss_buffer in{msg.size(), const_cast<uint8_t *>(msg.data())};
	kgss_buffer out{tok->size(), tok->data()};
	st = kgss_wrap(c, conf, 0, &in, conf_state, &out);
	tok->resize(st == KGSS_S_COMPLETE ? out.length : 0);
	if (st == KGSS_S_COMPLETE && out.length != n)
		FAIL("kgss_wrap_size disagrees with kgss_wrap");
	return st;
}

kgss_status unwrap(kgss_ctx *c, const bytes &tok, bytes *msg, int *conf_state)
{
	msg->assign(tok.size() + 1, 0xee);
	kgss_buffer in{tok.size(), const_cast<uint8_t *>(tok.data())};
	kgss_buffer out{msg->size(), msg->data()};
	uint32_t qop = 77;
	kgss_status st = kgss_unwrap(c, &in, &out, conf_state, &qop);
	msg->resize(out.length);
	return st;
}

kgss_status get_mic(kgss_ctx *c, const bytes &msg, bytes *tok)
{
	tok->assign(128, 0xee);
	kgss_buffer in{msg.size(), const_cast<uint8_t *>(msg.data())};
	kgss_buffer out{tok->size(), tok->data()};
	kgss_status st = kgss_get_mic(c, 0, &in, &out);
	tok->resize(st == KGSS_S_COMPLETE ? out.length : 0);
	return st;
}

kgss_status verify_mic(kgss_ctx *c, const bytes &msg, const bytes &tok)
{
	kgss_buffer in{msg.size(), const_cast<uint8_t *>(msg.data())};
	kgss_buffer t{tok.size(), const_cast<uint8_t *>(tok.data())};
	uint32_t qop = 77;
	return kgss_verify_mic(c, &in, &t, &qop);
}

uint64_t send_seq_of(const kgss_ctx *c)
{
	kgss_ctx_info info;
	memset(&info, 0, sizeof(info));
	kgss_ctx_inquire(c, &info);
	return info.send_seq;
}

// ---- reference primitives (OpenSSL + a local RC4) -----------------------------------

static bytes digest(const char *name, const bytes &in)
{
	unsigned char out[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	CHECK(EVP_Digest(in.data(), in.size(), out, &n, EVP_get_digestbyname(name), nullptr) == 1);
	return bytes(out, out + n);
}

static bytes hmac(const EVP_MD *md, const bytes &key, const bytes &in)
{
	unsigned char out[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	CHECK(HMAC(md, key.data(), (int)key.size(), in.data(), in.size(), out, &n) != nullptr);
	return bytes(out, out + n);
}
static bytes hmac_md5(const bytes &key, const bytes &in) { return hmac(EVP_md5(), key, in); }

static void rc4(const bytes &key, uint8_t *p, size_t n)
{
	uint8_t S[256];
	for (int i = 0; i < 256; i++)
		S[i] = (uint8_t)i;
	for (int i = 0, j = 0; i < 256; i++) {
		j = (j + S[i] + key[i % key.size()]) & 0xff;
		uint8_t t = S[i];
		S[i] = S[j];
		S[j] = t;
	}
	for (size_t k = 0, i = 0, j = 0; k < n; k++) {
		i = (i + 1) & 0xff;
		j = (j + S[i]) & 0xff;
		uint8_t t = S[i];
		S[i] = S[j];
		S[j] = t;
		p[k] ^= S[(S[i] + S[j]) & 0xff];
	}
}

static void des3_cbc(const bytes &key, const uint8_t iv[8], uint8_t *p, size_t n)
{
	CHECK(n % 8 == 0);
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
	CHECK(EVP_EncryptInit_ex(x, EVP_des_ede3_cbc(), nullptr, key.data(), iv) == 1);
	EVP_CIPHER_CTX_set_padding(x, 0);
	int outl = 0;
	std::vector<uint8_t> out(n + 8);
	CHECK(EVP_EncryptUpdate(x, out.data(), &outl, p, (int)n) == 1);
	CHECK((size_t)outl == n);
	EVP_CIPHER_CTX_free(x);
	memcpy(p, out.data(), n);
}

static bytes cat(std::initializer_list<bytes> parts)
{
	bytes r;
	for (const bytes &b : parts)
		r.insert(r.end(), b.begin(), b.end());
	return r;
}

// RFC 4757 §7.3 (and MIT/Heimdal for -exp): HMAC-MD5(k, T), T = 0 as LE32,
// -exp: T = "fortybits\0" | 0 as LE32 and bytes 7..15 of the result = AB.
static bytes rc4_stage1(const cfg &c, const bytes &k)
{
	bytes t = c.etype == 24 ? bytes{'f', 'o', 'r', 't', 'y', 'b', 'i', 't', 's', 0, 0, 0, 0, 0} : bytes{0, 0, 0, 0};
	bytes r = hmac_md5(k, t);
	if (c.etype == 24)
		memset(r.data() + 7, 0xab, 9);
	return r;
}

bytes good_pad(const cfg &c, size_t n)
{
	if (!c.des3())
		return bytes{1};
	size_t p = 8 - n % 8;
	return bytes(p, (uint8_t)p);
}

bytes ref_body(const cfg &c, const bytes &key, const ref_params &p)
{
	// RFC 1964 §1.2.1 / §1.2.2: the 8 header bytes.
	bytes hdr8 = p.mic ? bytes{0x01, 0x01} : bytes{0x02, 0x01};
	hdr8.push_back((uint8_t)c.sign_alg);
	hdr8.push_back((uint8_t)(c.sign_alg >> 8));
	if (p.mic || !p.sealed) {
		hdr8.push_back(0xff);
		hdr8.push_back(0xff);
	} else {
		hdr8.push_back((uint8_t)c.seal_alg);
		hdr8.push_back((uint8_t)(c.seal_alg >> 8));
	}
	hdr8.push_back(0xff);
	hdr8.push_back(0xff);
	const bytes plain = p.mic ? p.data : cat({p.conf, p.data, p.pad});

	// SGN_CKSUM over header8 | plaintext.
	bytes cksum;
	if (c.des3()) {
		const kgss::enctype *et = kgss::enctype_find(16);
		uint8_t kc[64];
		size_t kc_len = 0;
		CHECK(et->derive_raw(kgss_crypto_builtin(), key.data(), 23, kgss::DERIVE_KC, kc, &kc_len) ==
		      KGSS_S_COMPLETE);
		cksum = hmac(EVP_sha1(), bytes(kc, kc + kc_len), cat({hdr8, plain}));
	} else {
		bytes ksign = hmac_md5(key, bytes{'s', 'i', 'g', 'n', 'a', 't', 'u', 'r', 'e', 'k', 'e', 'y', 0});
		uint8_t u = p.mic ? 15 : 13;
		bytes md5 = digest("MD5", cat({bytes{u, 0, 0, 0}, hdr8, plain}));
		cksum = hmac_md5(ksign, md5);
		cksum.resize(8);
	}

	// Sealing.
	bytes body = plain;
	if (!p.mic && p.sealed) {
		if (c.des3()) {
			uint8_t iv[8] = {0};
			des3_cbc(key, iv, body.data(), body.size());
		} else {
			bytes klocal = key;
			for (auto &b : klocal)
				b ^= 0xf0;
			bytes kcrypt =
				hmac_md5(rc4_stage1(c, klocal), bytes{(uint8_t)(p.seq >> 24), (uint8_t)(p.seq >> 16),
								      (uint8_t)(p.seq >> 8), (uint8_t)p.seq});
			rc4(kcrypt, body.data(), body.size());
		}
	}

	// SND_SEQ.
	uint8_t seq[8];
	if (c.des3()) {
		seq[0] = (uint8_t)p.seq;
		seq[1] = (uint8_t)(p.seq >> 8);
		seq[2] = (uint8_t)(p.seq >> 16);
		seq[3] = (uint8_t)(p.seq >> 24);
	} else {
		seq[0] = (uint8_t)(p.seq >> 24);
		seq[1] = (uint8_t)(p.seq >> 16);
		seq[2] = (uint8_t)(p.seq >> 8);
		seq[3] = (uint8_t)p.seq;
	}
	if (p.dir_override >= 0) {
		for (int i = 0; i < 4; i++)
			seq[4 + i] = (uint8_t)((uint32_t)p.dir_override >> (24 - 8 * i));
	} else {
		memset(seq + 4, p.sender_initiator ? 0x00 : 0xff, 4);
	}
	if (c.des3()) {
		des3_cbc(key, cksum.data(), seq, 8);
	} else {
		bytes kseq = hmac_md5(rc4_stage1(c, key), bytes(cksum.begin(), cksum.begin() + 8));
		rc4(kseq, seq, 8);
	}
	return cat({hdr8, bytes(seq, seq + 8), cksum, p.mic ? bytes() : body});
}

bytes frame(const bytes &body)
{
	static const bytes oid = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02};
	size_t inner = oid.size() + body.size();
	bytes r{0x60};
	if (inner < 0x80) {
		r.push_back((uint8_t)inner);
	} else {
		bytes l;
		for (size_t v = inner; v; v >>= 8)
			l.insert(l.begin(), (uint8_t)v);
		r.push_back((uint8_t)(0x80 | l.size()));
		r.insert(r.end(), l.begin(), l.end());
	}
	return cat({r, oid, body});
}

size_t body_offset(const bytes &tok)
{
	CHECK(tok.size() > 2);
	size_t n = tok[1] < 0x80 ? 1 : 1 + (tok[1] & 0x7f);
	return 1 + n + 11;
}

} // namespace t1964
