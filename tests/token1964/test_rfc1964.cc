// tests/token1964/test_rfc1964.cc - the RFC 1964 token engine
// (gss-kernel-lib/token/rfc1964.cc): DES3 and RC4-HMAC(-EXP) MIC and Wrap,
// plain and IOV, on both backends; known answers against an independent
// reference builder; every known CVE class in this code as a named test.
#include <string.h>

#include <algorithm>
#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

#include "families.h"
#include "t1964_util.h"

using namespace t1964;
using kt::bytes;

namespace {

const size_t kSizes[] = {0, 1, 7, 8, 9, 1000, 65539};

bytes message(size_t n, uint64_t seed = 42)
{
	bytes m(n);
	kt::fill_random(seed, m.data(), n);
	return m;
}

std::string what(const cfg &c, const backend &b, const char *extra = "", size_t n = 0)
{
	return std::string(c.name) + "/" + b.name + " " + extra + " n=" + std::to_string(n);
}

// An initiator/acceptor pair from one key.
struct pair {
	ctx ini, acc;
	void make(const cfg &c, const kgss_crypto_backend *be, uint32_t flags = 0,
		  ctx_opts::prng_kind prng = ctx_opts::PRNG_RANDOM, uint64_t iseq = 0, uint64_t aseq = 0)
	{
		bytes key = test_key(c);
		ctx_opts o;
		o.be = be;
		o.flags = flags;
		o.prng = prng;
		o.initiator = true;
		o.send_seq = iseq;
		o.recv_seq = aseq;
		LONGS_EQUAL(KGSS_S_COMPLETE, make_ctx(ini, c, key, o));
		o.initiator = false;
		o.send_seq = aseq;
		o.recv_seq = iseq;
		LONGS_EQUAL(KGSS_S_COMPLETE, make_ctx(acc, c, key, o));
	}
};

bool is_reject(kgss_status st) { return st == KGSS_S_DEFECTIVE_TOKEN || st == KGSS_S_BAD_SIG; }

// A token framed around `body` with a consistent DER length.
bytes reframe(const bytes &tok, size_t body_len)
{
	size_t off = body_offset(tok);
	return frame(bytes(tok.begin() + off, tok.begin() + off + body_len));
}

} // namespace

// ==================================================================================
// Known answers: the engine's tokens equal the reference builder's, byte for byte
// ==================================================================================

TEST_GROUP(rfc1964_kat){};

TEST(rfc1964_kat, wrap_and_mic_match_reference_both_roles_both_backends)
{
	for (const cfg &c : cfgs())
		for (const backend &b : backends()) {
			pair p;
			p.make(c, b.be, 0, ctx_opts::PRNG_FIXED, 0x12345678, 0x9abcdef0);
			const bytes key = test_key(c);
			uint32_t iseq = 0x12345678, aseq = 0x9abcdef0;
			for (size_t n : kSizes)
				for (int conf = 0; conf <= 1; conf++)
					for (int side = 0; side < 2; side++) {
						kgss_ctx *x = side == 0 ? p.ini.c : p.acc.c;
						uint32_t &seq = side == 0 ? iseq : aseq;
						bytes m = message(n, n + 7);
						bytes tok;
						int cs = -1;
						LONGS_EQUAL(KGSS_S_COMPLETE, wrap(x, conf, m, &tok, &cs));
						LONGS_EQUAL(conf, cs);
						ref_params rp;
						rp.sealed = conf;
						rp.sender_initiator = side == 0;
						rp.seq = seq++;
						rp.conf.assign(kFixedConf, kFixedConf + 8);
						rp.data = m;
						rp.pad = good_pad(c, n);
						bytes ref = ref_token(c, key, rp);
						CHECK_TEXT(ref == tok,
							   what(c, b, conf ? "wrap conf" : "wrap integ", n).c_str());

						bytes mic;
						LONGS_EQUAL(KGSS_S_COMPLETE, get_mic(x, m, &mic));
						ref_params mp;
						mp.mic = true;
						mp.sender_initiator = side == 0;
						mp.seq = seq++;
						mp.data = m;
						CHECK_TEXT(ref_token(c, key, mp) == mic, what(c, b, "mic", n).c_str());
					}
		}
}

// Token shape as RFC 1964 §1.2 and RFC 2743 §3.1 lay it out.
TEST(rfc1964_kat, token_layout)
{
	for (const cfg &c : cfgs()) {
		pair p;
		p.make(c, kgss_crypto_builtin());
		bytes tok, mic;
		LONGS_EQUAL(KGSS_S_COMPLETE, wrap(p.ini.c, true, message(5), &tok));
		size_t pad = c.des3() ? 3 : 1;
		LONGS_EQUAL(2 + 11 + 8 + 8 + c.cksum_len() + 8 + 5 + pad, tok.size());
		MEMCMP_EQUAL(kt::hex("06092a864886f712010202").data(), tok.data() + 2, 11);
		LONGS_EQUAL(0x60, tok[0]);
		LONGS_EQUAL(tok.size() - 2, tok[1]);
		LONGS_EQUAL(0x02, tok[13]);
		LONGS_EQUAL(0x01, tok[14]);
		LONGS_EQUAL(c.sign_alg, tok[15] | tok[16] << 8);
		LONGS_EQUAL(c.seal_alg, tok[17] | tok[18] << 8);
		LONGS_EQUAL(0xff, tok[19]);
		LONGS_EQUAL(0xff, tok[20]);
		LONGS_EQUAL(KGSS_S_COMPLETE, wrap(p.ini.c, false, message(5), &tok));
		LONGS_EQUAL(0xff, tok[17]);
		LONGS_EQUAL(0xff, tok[18]);
		LONGS_EQUAL(KGSS_S_COMPLETE, get_mic(p.ini.c, message(5), &mic));
		LONGS_EQUAL(2 + 11 + 16 + c.cksum_len(), mic.size());
		MEMCMP_EQUAL(kt::hex("0101").data(), mic.data() + 13, 2);
		MEMCMP_EQUAL(kt::hex("ffffffff").data(), mic.data() + 17, 4);
		size_t len = 0;
		LONGS_EQUAL(KGSS_S_COMPLETE, kgss_mic_size(p.ini.c, 0, &len));
		LONGS_EQUAL(mic.size(), len);
		// Long form DER lengths (1000 and 65539 bytes of data).
		LONGS_EQUAL(KGSS_S_COMPLETE, wrap(p.ini.c, true, message(1000), &tok));
		LONGS_EQUAL(0x82, tok[1]);
		LONGS_EQUAL(tok.size() - 4, (size_t)(tok[2] << 8 | tok[3]));
		LONGS_EQUAL(KGSS_S_COMPLETE, wrap(p.ini.c, true, message(65539), &tok));
		LONGS_EQUAL(0x83, tok[1]);
		LONGS_EQUAL(tok.size() - 5, (size_t)(tok[2] << 16 | tok[3] << 8 | tok[4]));
	}
}

// ==================================================================================
// Round trips
// ==================================================================================

TEST_GROUP(rfc1964_round_trip){};

TEST(rfc1964_round_trip, plain_both_directions_all_sizes)
{
	for (const cfg &c : cfgs())
		for (const backend &b : backends()) {
			pair p;
			p.make(c, b.be, KGSS_OPT_REPLAY_DETECT | KGSS_OPT_SEQUENCE_DETECT);
			for (size_t n : kSizes)
				for (int conf = 0; conf <= 1; conf++)
					for (int dir = 0; dir < 2; dir++) {
						kgss_ctx *tx = dir ? p.acc.c : p.ini.c, *rx = dir ? p.ini.c : p.acc.c;
						bytes m = message(n, n * 3 + dir), tok, out, mic;
						LONGS_EQUAL(KGSS_S_COMPLETE, wrap(tx, conf, m, &tok));
						if (conf && n >= 16)
							CHECK(std::search(tok.begin(), tok.end(), m.begin(),
									  m.begin() + 16) == tok.end());
						int cs = -1;
						LONGS_EQUAL_TEXT(KGSS_S_COMPLETE, unwrap(rx, tok, &out, &cs),
								 what(c, b, "unwrap", n).c_str());
						LONGS_EQUAL(conf, cs);
						CHECK(out == m);
						LONGS_EQUAL(KGSS_S_COMPLETE, get_mic(tx, m, &mic));
						LONGS_EQUAL_TEXT(KGSS_S_COMPLETE, verify_mic(rx, m, mic),
								 what(c, b, "verify", n).c_str());
					}
		}
}

TEST(rfc1964_round_trip, cross_backend)
{
	for (const cfg &c : cfgs()) {
		bytes key = test_key(c);
		ctx a, z;
		ctx_opts o;
		o.be = kgss_crypto_builtin();
		LONGS_EQUAL(KGSS_S_COMPLETE, make_ctx(a, c, key, o));
		o.be = kgss_crypto_openssl();
		o.initiator = false;
		LONGS_EQUAL(KGSS_S_COMPLETE, make_ctx(z, c, key, o));
		for (size_t n : kSizes) {
			bytes m = message(n), tok, out, mic;
			LONGS_EQUAL(KGSS_S_COMPLETE, wrap(a.c, true, m, &tok));
			LONGS_EQUAL(KGSS_S_COMPLETE, unwrap(z.c, tok, &out));
			CHECK(out == m);
			LONGS_EQUAL(KGSS_S_COMPLETE, wrap(z.c, true, m, &tok));
			LONGS_EQUAL(KGSS_S_COMPLETE, unwrap(a.c, tok, &out));
			CHECK(out == m);
			LONGS_EQUAL(KGSS_S_COMPLETE, get_mic(z.c, m, &mic));
			LONGS_EQUAL(KGSS_S_COMPLETE, verify_mic(a.c, m, mic));
		}
	}
}

// 32-bit sequence numbers: a lucid send_seq above 2^32 is taken modulo 2^32
// and wraps from ffffffff to 0.
TEST(rfc1964_round_trip, sequence_numbers_are_32_bit)
{
	for (const cfg &c : cfgs()) {
		pair p;
		p.make(c, kgss_crypto_builtin(), KGSS_OPT_REPLAY_DETECT | KGSS_OPT_SEQUENCE_DETECT,
		       ctx_opts::PRNG_FIXED, 0xffffffffull, 0);
		bytes key = test_key(c);
		bytes m = message(3), tok, out;
		for (uint32_t want : {0xffffffffu, 0u}) {
			LONGS_EQUAL(KGSS_S_COMPLETE, wrap(p.ini.c, true, m, &tok));
			ref_params rp;
			rp.seq = want;
			rp.conf.assign(kFixedConf, kFixedConf + 8);
			rp.data = m;
			rp.pad = good_pad(c, 3);
			CHECK(ref_token(c, key, rp) == tok);
		}
	}
}

// ==================================================================================
// IOV layouts
// ==================================================================================

TEST_GROUP(rfc1964_iov){};

namespace {

// Wraps m with HEADER | DATA pieces | PADDING, pieces of `piece` bytes
// (0: one DATA).  Returns the token as one byte string.
bytes iov_wrap(kgss_ctx *x, bool conf, const bytes &m, size_t piece, bytes *hdr, bytes *data, bytes *pad)
{
	std::vector<kgss_iov> v;
	v.push_back({KGSS_IOV_HEADER, {0, nullptr}});
	*data = m;
	size_t step = piece ? piece : (m.empty() ? 1 : m.size());
	for (size_t o = 0; o < m.size(); o += step)
		v.push_back({KGSS_IOV_DATA, {std::min(step, m.size() - o), data->data() + o}});
	if (m.empty())
		v.push_back({KGSS_IOV_DATA, {0, nullptr}});
	v.push_back({KGSS_IOV_PADDING, {0, nullptr}});
	int cs = -1;
	LONGS_EQUAL(KGSS_S_COMPLETE, kgss_wrap_iov_length(x, conf, 0, &cs, v.data(), v.size()));
	hdr->assign(v.front().buffer.length, 0);
	pad->assign(v.back().buffer.length, 0);
	v.front().buffer.value = hdr->data();
	v.back().buffer.value = pad->data();
	LONGS_EQUAL(KGSS_S_COMPLETE, kgss_wrap_iov(x, conf, 0, &cs, v.data(), v.size()));
	LONGS_EQUAL(conf, cs);
	bytes tok = *hdr;
	tok.insert(tok.end(), data->begin(), data->end());
	tok.insert(tok.end(), pad->begin(), pad->end());
	return tok;
}

// Unwraps tok split as HEADER | DATA pieces (data+pad split at `piece`) |
// [PADDING of padlen], returns the concatenated DATA after unwrap.
kgss_status iov_unwrap(kgss_ctx *x, const bytes &tok, size_t hdr_len, size_t piece, size_t padlen, bool with_padding,
		       bytes *plain)
{
	bytes buf = tok;
	std::vector<kgss_iov> v;
	v.push_back({KGSS_IOV_HEADER, {hdr_len, buf.data()}});
	size_t body = buf.size() - hdr_len - padlen;
	size_t step = piece ? piece : std::max<size_t>(body, 1);
	for (size_t o = 0; o < body; o += step)
		v.push_back({KGSS_IOV_DATA, {std::min(step, body - o), buf.data() + hdr_len + o}});
	if (with_padding)
		v.push_back({KGSS_IOV_PADDING, {padlen, buf.data() + hdr_len + body}});
	int cs = -1;
	uint32_t qop = 5;
	kgss_status st = kgss_unwrap_iov(x, &cs, &qop, v.data(), v.size());
	plain->clear();
	for (auto &e : v)
		if (e.type == KGSS_IOV_DATA)
			plain->insert(plain->end(), (uint8_t *)e.buffer.value,
				      (uint8_t *)e.buffer.value + e.buffer.length);
	return st;
}

} // namespace

TEST(rfc1964_iov, split_layouts_all_agree)
{
	for (const cfg &c : cfgs())
		for (const backend &b : backends()) {
			pair p;
			p.make(c, b.be);
			for (size_t n : {0, 1, 7, 8, 9, 100, 1000})
				for (size_t piece : {0, 1, 3, 8, 13})
					for (int conf = 0; conf <= 1; conf++) {
						bytes m = message(n, n + piece), hdr, data, pad, out;
						bytes tok = iov_wrap(p.ini.c, conf, m, piece, &hdr, &data, &pad);
						LONGS_EQUAL(c.des3() ? 8 - n % 8 : 1, pad.size());
						// 1. the same layout
						LONGS_EQUAL_TEXT(KGSS_S_COMPLETE,
								 iov_unwrap(p.acc.c, tok, hdr.size(), piece, pad.size(),
									    true, &out),
								 what(c, b, "iov same", n).c_str());
						CHECK(out == m);
						// 2. the pad at the end of DATA, no PADDING buffer
						LONGS_EQUAL(KGSS_S_COMPLETE, iov_unwrap(p.acc.c, tok, hdr.size(), piece,
											0, false, &out));
						CHECK(out == m);
						// 3. the pad at the end of DATA, an empty PADDING (MIT style)
						LONGS_EQUAL(KGSS_S_COMPLETE,
							    iov_unwrap(p.acc.c, tok, hdr.size(), 1, 0, true, &out));
						CHECK(out == m);
						// 4. the plain API (STREAM | DATA)
						LONGS_EQUAL(KGSS_S_COMPLETE, unwrap(p.acc.c, tok, &out));
						CHECK(out == m);
						// 5. STREAM | DATA through the IOV API
						bytes s = tok;
						kgss_iov v[2] = {{KGSS_IOV_STREAM, {s.size(), s.data()}},
								 {KGSS_IOV_DATA, {0, nullptr}}};
						int cs = -1;
						LONGS_EQUAL(KGSS_S_COMPLETE,
							    kgss_unwrap_iov(p.acc.c, &cs, nullptr, v, 2));
						LONGS_EQUAL(conf, cs);
						LONGS_EQUAL(n, v[1].buffer.length);
						CHECK(n == 0 || memcmp(v[1].buffer.value, m.data(), n) == 0);
						CHECK((uint8_t *)v[1].buffer.value == s.data() + hdr.size());
					}
		}
}

// SIGN_ONLY buffers are covered by the checksum, never encrypted.
TEST(rfc1964_iov, sign_only_is_protected_not_encrypted)
{
	for (const cfg &c : cfgs()) {
		pair p;
		p.make(c, kgss_crypto_builtin());
		bytes assoc = kt::hex("0102030405060708090a"), data = message(33), hdr, pad;
		bytes a = assoc, d = data;
		kgss_iov v[4] = {{KGSS_IOV_HEADER, {0, nullptr}},
				 {KGSS_IOV_SIGN_ONLY, {a.size(), a.data()}},
				 {KGSS_IOV_DATA, {d.size(), d.data()}},
				 {KGSS_IOV_PADDING, {0, nullptr}}};
		LONGS_EQUAL(KGSS_S_COMPLETE, kgss_wrap_iov_length(p.ini.c, 1, 0, nullptr, v, 4));
		hdr.resize(v[0].buffer.length);
		pad.resize(v[3].buffer.length);
		v[0].buffer.value = hdr.data();
		v[3].buffer.value = pad.data();
		LONGS_EQUAL(KGSS_S_COMPLETE, kgss_wrap_iov(p.ini.c, 1, 0, nullptr, v, 4));
		CHECK(a == assoc);
		CHECK(d != data);
		for (int tamper = 0; tamper < 2; tamper++) {
			bytes h2 = hdr, a2 = a, d2 = d, p2 = pad;
			if (tamper)
				a2[0] ^= 1;
			kgss_iov u[4] = {{KGSS_IOV_HEADER, {h2.size(), h2.data()}},
					 {KGSS_IOV_SIGN_ONLY, {a2.size(), a2.data()}},
					 {KGSS_IOV_DATA, {d2.size(), d2.data()}},
					 {KGSS_IOV_PADDING, {p2.size(), p2.data()}}};
			kgss_status st = kgss_unwrap_iov(p.acc.c, nullptr, nullptr, u, 4);
			if (!tamper) {
				LONGS_EQUAL(KGSS_S_COMPLETE, st);
				CHECK(d2 == data);
			} else {
				LONGS_EQUAL(KGSS_S_BAD_SIG, st);
				CHECK(d2 == bytes(d2.size(), 0)); // decrypted data zeroed
			}
		}
	}
}

TEST(rfc1964_iov, mic_over_several_buffers)
{
	for (const cfg &c : cfgs()) {
		pair p;
		p.make(c, kgss_crypto_openssl());
		bytes m = message(77), mic(128);
		kgss_iov v[4] = {{KGSS_IOV_DATA, {10, m.data()}},
				 {KGSS_IOV_SIGN_ONLY, {1, m.data() + 10}},
				 {KGSS_IOV_DATA, {66, m.data() + 11}},
				 {KGSS_IOV_MIC_TOKEN, {mic.size(), mic.data()}}};
		LONGS_EQUAL(KGSS_S_COMPLETE, kgss_get_mic_iov(p.ini.c, 0, v, 4));
		mic.resize(v[3].buffer.length);
		// The same bytes as one DATA buffer verify too (MIC input is the concatenation).
		LONGS_EQUAL(KGSS_S_COMPLETE, verify_mic(p.acc.c, m, mic));
		m[50] ^= 0x80;
		LONGS_EQUAL(KGSS_S_BAD_SIG, verify_mic(p.acc.c, m, mic));
	}
}

TEST(rfc1964_iov, wrap_length_and_short_buffers)
{
	for (const cfg &c : cfgs()) {
		pair p;
		p.make(c, kgss_crypto_builtin());
		bytes d = message(20), hdr(200), pad(16);
		uint64_t seq0 = send_seq_of(p.ini.c);
		// No PADDING nor TRAILER: RFC 1964 always pads -> FAILURE.
		kgss_iov v2[2] = {{KGSS_IOV_HEADER, {hdr.size(), hdr.data()}}, {KGSS_IOV_DATA, {d.size(), d.data()}}};
		LONGS_EQUAL(KGSS_S_FAILURE, kgss_wrap_iov(p.ini.c, 1, 0, nullptr, v2, 2));
		// HEADER one byte short -> FAILURE, nothing consumed.
		kgss_iov v[3] = {{KGSS_IOV_HEADER, {0, hdr.data()}},
				 {KGSS_IOV_DATA, {d.size(), d.data()}},
				 {KGSS_IOV_PADDING, {0, pad.data()}}};
		LONGS_EQUAL(KGSS_S_COMPLETE, kgss_wrap_iov_length(p.ini.c, 1, 0, nullptr, v, 3));
		size_t h = v[0].buffer.length, pl = v[2].buffer.length;
		v[0].buffer.length = h - 1;
		LONGS_EQUAL(KGSS_S_FAILURE, kgss_wrap_iov(p.ini.c, 1, 0, nullptr, v, 3));
		v[0].buffer.length = h;
		v[2].buffer.length = pl - 1;
		LONGS_EQUAL(KGSS_S_FAILURE, kgss_wrap_iov(p.ini.c, 1, 0, nullptr, v, 3));
		CHECK(d == message(20));
		LONGS_EQUAL(seq0, send_seq_of(p.ini.c));
		// Plain wrap into a too small output.
		bytes tok(10);
		kgss_buffer in{d.size(), d.data()}, out{tok.size(), tok.data()};
		LONGS_EQUAL(KGSS_S_FAILURE, kgss_wrap(p.ini.c, 1, 0, &in, nullptr, &out));
		LONGS_EQUAL(seq0, send_seq_of(p.ini.c));
		// wrap_size_limit is consistent with wrap_size.
		size_t lim = 0, sz = 0;
		LONGS_EQUAL(KGSS_S_COMPLETE, kgss_wrap_size_limit(p.ini.c, 1, 1000, &lim));
		LONGS_EQUAL(KGSS_S_COMPLETE, kgss_wrap_size(p.ini.c, 1, lim, &sz));
		CHECK(sz <= 1000);
		LONGS_EQUAL(KGSS_S_COMPLETE, kgss_wrap_size(p.ini.c, 1, lim + 1, &sz));
		CHECK(sz > 1000);
	}
}

// ==================================================================================
// Without a PRNG: every wrap (each carries a confounder) is UNAVAILABLE and
// costs no sequence number; MICs need no randomness and still work
// ==================================================================================

TEST_GROUP(rfc1964_prng){};

TEST(rfc1964_prng, no_prng)
{
	for (const cfg &c : cfgs()) {
		pair p;
		p.make(c, kgss_crypto_builtin(), 0, ctx_opts::PRNG_NONE);
		bytes m = message(9), tok;
		uint64_t s0 = send_seq_of(p.ini.c);
		LONGS_EQUAL(KGSS_S_UNAVAILABLE, wrap(p.ini.c, true, m, &tok));
		LONGS_EQUAL(s0, send_seq_of(p.ini.c));
		LONGS_EQUAL(KGSS_S_UNAVAILABLE, wrap(p.ini.c, false, m, &tok));
		LONGS_EQUAL(s0, send_seq_of(p.ini.c));
		uint8_t mic[64];
		kgss_buffer mb = {m.size(), m.data()}, tb = {sizeof(mic), mic};
		LONGS_EQUAL(KGSS_S_COMPLETE, kgss_get_mic(p.ini.c, 0, &mb, &tb));
		LONGS_EQUAL(KGSS_S_COMPLETE, kgss_verify_mic(p.acc.c, &mb, &tb, nullptr));
	}
}

// ==================================================================================
// Attacks: every CVE class in RFC 1964 unwrap code, by name
// ==================================================================================

TEST_GROUP(rfc1964_cve){};

namespace {

struct victim {
	pair p;
	bytes key;
	const cfg *c;
	victim(const cfg &cc, const kgss_crypto_backend *be = kgss_crypto_builtin()) : key(test_key(cc)), c(&cc)
	{
		p.make(cc, be);
	}
	// Reference token from the initiator to the acceptor.
	bytes ref(const bytes &data, const bytes &pad, bool sealed = true, uint32_t seq = 0)
	{
		ref_params rp;
		rp.sealed = sealed;
		rp.seq = seq;
		rp.conf = kt::hex("0011223344556677");
		rp.data = data;
		rp.pad = pad;
		return ref_token(*c, key, rp);
	}
	kgss_status rx(const bytes &tok)
	{
		bytes out;
		kgss_status st = unwrap(p.acc.c, tok, &out);
		if (st != KGSS_S_COMPLETE && !out.empty())
			FAIL("plaintext released on failure");
		return st;
	}
	// The context still works after the attack.
	void still_usable()
	{
		bytes m = message(11), tok, out;
		LONGS_EQUAL(KGSS_S_COMPLETE, wrap(p.ini.c, true, m, &tok));
		LONGS_EQUAL(KGSS_S_COMPLETE, unwrap(p.acc.c, tok, &out));
		CHECK(out == m);
	}
};

} // namespace

// MIT CVE-2014-4341/4342 (1): an RFC 1964 token on an RFC 4121 context.
TEST(rfc1964_cve, cve_2014_4341_rfc1964_token_on_cfx_context)
{
	const cfg &c = kCfgs[1];
	if (compiled_out(c) || kt::skip_enctype(17))
		return; // needs des3 and an aes128-sha1 (17) context
	bytes tok = victim(c).ref(message(5), good_pad(c, 5));
	bytes key(16, 0x42);
	kgss_lucid_context_v1 l;
	memset(&l, 0, sizeof(l));
	l.version = 1;
	l.initiate = 0;
	l.endtime = 0x7fffffff;
	l.protocol = 1;
	l.cfx_kd.ctx_key.type = 17;
	l.cfx_kd.ctx_key.length = 16;
	l.cfx_kd.ctx_key.data = key.data();
	kgss_ctx *x = nullptr;
	std::vector<uint64_t> mem(kgss_ctx_size() / 8 + 8);
	LONGS_EQUAL(KGSS_S_COMPLETE, kgss_import_lucid_v1_into(mem.data(), mem.size() * 8, &l, nullptr, &x));
	bytes out;
	LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, unwrap(x, tok, &out));
	LONGS_EQUAL(0, out.size());
	bytes mic;
	victim v(c);
	LONGS_EQUAL(KGSS_S_COMPLETE, get_mic(v.p.ini.c, message(5), &mic));
	LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, verify_mic(x, message(5), mic));
	kgss_ctx_free(x);
}

// MIT CVE-2014-4341 (2): fewer than 22 bytes after TOK_ID (a body cut inside
// the header, SND_SEQ or SGN_CKSUM) with a consistent DER length.
TEST(rfc1964_cve, cve_2014_4341_header_shorter_than_22_bytes)
{
	for (const cfg &c : cfgs()) {
		victim v(c);
		bytes tok = v.ref(message(5), good_pad(c, 5));
		for (size_t body = 0; body < 24; body++)
			LONGS_EQUAL_TEXT(KGSS_S_DEFECTIVE_TOKEN, v.rx(reframe(tok, body)), c.name);
		bytes mic;
		LONGS_EQUAL(KGSS_S_COMPLETE, get_mic(v.p.ini.c, message(5), &mic));
		for (size_t body = 0; body < 24; body++)
			LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, verify_mic(v.p.acc.c, message(5), reframe(mic, body)));
		v.still_usable();
	}
}

// MIT CVE-2014-4341 (3): the checksum cut short.
TEST(rfc1964_cve, cve_2014_4341_short_checksum)
{
	for (const cfg &c : cfgs()) {
		victim v(c);
		bytes tok = v.ref(message(5), good_pad(c, 5));
		for (size_t body = 16; body < 16 + c.cksum_len(); body++)
			LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, v.rx(reframe(tok, body)));
		bytes mic;
		LONGS_EQUAL(KGSS_S_COMPLETE, get_mic(v.p.ini.c, message(5), &mic));
		for (size_t body = 16; body < 16 + c.cksum_len(); body++)
			LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, verify_mic(v.p.acc.c, message(5), reframe(mic, body)));
		v.still_usable();
	}
}

// MIT CVE-2014-4342 / CVE-2009-4212: ciphertext shorter than the confounder,
// or than confounder + pad (and, for DES3, not whole blocks).
TEST(rfc1964_cve, cve_2014_4342_cve_2009_4212_ciphertext_shorter_than_confounder)
{
	for (const cfg &c : cfgs())
		for (int sealed = 0; sealed <= 1; sealed++) {
			victim v(c);
			bytes tok = v.ref(message(8), good_pad(c, 8), sealed);
			const size_t h = 16 + c.cksum_len();
			for (size_t extra = 0; extra <= 8; extra++) // confounder only, or less
				LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, v.rx(reframe(tok, h + extra)));
			if (c.des3())
				for (size_t extra = 9; extra < 16; extra++) // not whole DES blocks
					LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, v.rx(reframe(tok, h + extra)));
			v.still_usable();
		}
}

// MIT CVE-2014-4342 (4) / Heimdal CVE-2022-3437: a pad length larger than the
// plaintext, zero, or out of range -- with a CORRECT checksum over it, so the
// pad check itself is what must say no.  BAD_SIG, the same as a bad checksum.
TEST(rfc1964_cve, cve_2014_4342_cve_2022_3437_pad_length_larger_than_plaintext)
{
	for (const cfg &c : cfgs())
		for (int sealed = 0; sealed <= 1; sealed++) {
			victim v(c);
			if (c.des3()) {
				// 8 bytes of body, all pad, pad value 9, 16, 0xff, 0
				for (uint8_t pv : {9, 16, 0xff, 0})
					LONGS_EQUAL(KGSS_S_BAD_SIG, v.rx(v.ref({}, bytes(8, pv), sealed)));
				// data 2 bytes, pad claims 8: only the last byte counts (MIT), and 8
				// fits in data | pad: the (authenticated) message is empty
				bytes out;
				LONGS_EQUAL(KGSS_S_COMPLETE,
					    unwrap(v.p.acc.c, v.ref(bytes(2, 0x41), bytes(6, 8), sealed, 2), &out));
				CHECK(out.empty());
				// a pad value that would underflow a 1-block body in a naive size_t
				LONGS_EQUAL(KGSS_S_BAD_SIG, v.rx(v.ref(bytes(7, 1), bytes(1, 0xf0), sealed)));
			} else {
				for (uint8_t pv : {2, 9, 0xff, 0})
					LONGS_EQUAL(KGSS_S_BAD_SIG, v.rx(v.ref({}, bytes(1, pv), sealed)));
			}
			// control: the right pad is accepted
			LONGS_EQUAL(KGSS_S_COMPLETE, v.rx(v.ref(bytes(3, 7), good_pad(c, 3), sealed, 1)));
			v.still_usable();
		}
}

// The pad under a correct checksum, MIT's rule (k5unseal.c,
// kg_fixup_padding_iov): the pad length is the last byte, the other pad bytes
// are not looked at; a length of 0 or past data | pad is BAD_SIG, judged only
// with the checksum (no oracle).
TEST(rfc1964_cve, pad_length_is_the_last_byte)
{
	for (const cfg &c : cfgs())
		for (const backend &b : backends())
			for (int sealed = 0; sealed <= 1; sealed++) {
				victim v(c, b.be);
				bytes out;
				uint32_t seq = 1;
				auto accepts = [&](const bytes &data, const bytes &pad, size_t want_len) {
					out.clear();
					LONGS_EQUAL(KGSS_S_COMPLETE,
						    unwrap(v.p.acc.c, v.ref(data, pad, sealed, seq++), &out));
					LONGS_EQUAL(want_len, out.size());
				};
				if (c.des3()) {
					accepts(bytes(5, 1), kt::hex("030304"), 4);
					accepts(bytes(5, 1), kt::hex("040303"), 5);
					accepts(bytes(0), kt::hex("0808080808080807"), 1);
					LONGS_EQUAL(KGSS_S_BAD_SIG,
						    v.rx(v.ref(bytes(5, 1), kt::hex("030300"), sealed, seq++)));
				} else {
					accepts(bytes(5, 1), kt::hex("02"), 4);
					LONGS_EQUAL(KGSS_S_BAD_SIG,
						    v.rx(v.ref(bytes(4, 1), kt::hex("00"), sealed, seq++)));
					LONGS_EQUAL(KGSS_S_BAD_SIG,
						    v.rx(v.ref(bytes(4, 1), kt::hex("06"), sealed, seq++)));
				}
				// The IOV path zeroes decrypted data on a bad pad length.
				bytes tok = v.ref(bytes(13, 0x5a), c.des3() ? kt::hex("0303ff") : kt::hex("ff"), sealed,
						  seq++);
				size_t hdr = body_offset(tok) + 16 + c.cksum_len() + 8;
				LONGS_EQUAL(KGSS_S_BAD_SIG, iov_unwrap(v.p.acc.c, tok, hdr, 0, 0, false, &out));
				if (sealed)
					CHECK(out == bytes(out.size(), 0));
				v.still_usable();
			}
}

// Heimdal CVE-2022-3437: DES3/RC4 unwrap of short tokens (every length, with
// and without a consistent DER length) never succeeds and never reads past
// the buffer (ASan/valgrind runs of this suite check the latter).
TEST(rfc1964_cve, cve_2022_3437_truncation_at_every_length)
{
	for (const cfg &c : cfgs())
		for (int kind = 0; kind < 3; kind++) {
			victim v(c);
			bytes m = message(21), tok;
			if (kind == 2)
				LONGS_EQUAL(KGSS_S_COMPLETE, get_mic(v.p.ini.c, m, &tok));
			else
				LONGS_EQUAL(KGSS_S_COMPLETE, wrap(v.p.ini.c, kind, m, &tok));
			const size_t off = body_offset(tok);
			for (size_t len = 0; len < tok.size(); len++) {
				bytes cut(tok.begin(), tok.begin() + len);
				kgss_status st = kind == 2 ? verify_mic(v.p.acc.c, m, cut) : v.rx(cut);
				CHECK_TEXT(is_reject(st), what(c, backends()[0], "cut", len).c_str());
				if (len >= off) {
					bytes rf = reframe(tok, len - off);
					st = kind == 2 ? verify_mic(v.p.acc.c, m, rf) : v.rx(rf);
					CHECK_TEXT(is_reject(st), what(c, backends()[0], "reframed", len).c_str());
				}
			}
			// Extended by a byte (DER fixed up): a Wrap is rejected; a MIC
			// verifies, as with MIT (octets after SGN_CKSUM are outside the
			// checksum and ignored: Heimdal's DES3 MICs carry two).
			bytes longer(tok.begin() + off, tok.end());
			longer.push_back(0);
			kgss_status st = kind == 2 ? verify_mic(v.p.acc.c, m, frame(longer)) : v.rx(frame(longer));
			if (kind == 2)
				LONGS_EQUAL(KGSS_S_COMPLETE, st);
			else
				CHECK(is_reject(st));
			v.still_usable();
		}
}

// Heimdal CVE-2022-45142 (inverted memcmp accepted bad RC4 signatures) and
// constant-time compare: a checksum differing in any one byte is BAD_SIG, on
// Wrap (sealed, integrity) and MIC; the genuine one passes.
TEST(rfc1964_cve, cve_2022_45142_any_checksum_byte_wrong_is_bad_sig)
{
	for (const cfg &c : cfgs())
		for (const backend &b : backends()) {
			victim v(c, b.be);
			for (int kind = 0; kind < 3; kind++) {
				bytes m = message(30), tok;
				if (kind == 2)
					LONGS_EQUAL(KGSS_S_COMPLETE, get_mic(v.p.ini.c, m, &tok));
				else
					LONGS_EQUAL(KGSS_S_COMPLETE, wrap(v.p.ini.c, kind, m, &tok));
				const size_t ck = body_offset(tok) + 16;
				for (size_t i = 0; i < c.cksum_len(); i++) {
					bytes t = tok;
					t[ck + i] ^= 0x01;
					kgss_status st = kind == 2 ? verify_mic(v.p.acc.c, m, t) : v.rx(t);
					LONGS_EQUAL(KGSS_S_BAD_SIG, st);
				}
				bytes z = tok;
				memset(z.data() + ck, 0, c.cksum_len());
				LONGS_EQUAL(KGSS_S_BAD_SIG, kind == 2 ? verify_mic(v.p.acc.c, m, z) : v.rx(z));
				LONGS_EQUAL(KGSS_S_COMPLETE, kind == 2 ? verify_mic(v.p.acc.c, m, tok) : v.rx(tok));
			}
		}
}

// DER wrapper variants: cut inside the framing, a length past the end, non-DER
// lengths, a wrong OID; through the plain API and the IOV HEADER layout.
TEST(rfc1964_cve, der_wrapper_variants)
{
	for (const cfg &c : cfgs()) {
		victim v(c);
		const char *cuts[] = {"60",   "6084",           "604006", "60400609", "6000",
				      "6080", "608500000000ff", "6081",   "60820000", "60840000"};
		for (const char *h : cuts) {
			LONGS_EQUAL_TEXT(KGSS_S_DEFECTIVE_TOKEN, v.rx(kt::hex(h)), h);
			LONGS_EQUAL_TEXT(KGSS_S_DEFECTIVE_TOKEN, verify_mic(v.p.acc.c, {}, kt::hex(h)), h);
		}
		bytes tok = v.ref(message(150), good_pad(c, 150)); // long form: 60 81 xx
		LONGS_EQUAL(KGSS_S_COMPLETE, v.rx(tok));
		LONGS_EQUAL(0x81, tok[1]);
		// length past the end / short of the end
		bytes t = tok;
		t[2]++;
		LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, v.rx(t));
		t[2] -= 2;
		LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, v.rx(t));
		// non-minimal long form: 60 82 00 xx -- MIT accepts it, so do we
		bytes nm = {0x60, 0x82, 0x00, tok[2]};
		nm.insert(nm.end(), tok.begin() + 3, tok.end());
		LONGS_EQUAL(KGSS_S_COMPLETE, v.rx(nm));
		// wrong tag, wrong OID
		t = tok;
		t[0] = 0x61;
		LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, v.rx(t));
		t = tok;
		t[13] ^= 1; // last OID byte
		LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, v.rx(t));
		// A short token in the long form (0x81 with a value < 0x80) is not
		// minimal DER; MIT accepts it, so do we.
		bytes small = v.ref(bytes(), good_pad(c, 0), true, 1);
		CHECK(small[1] < 0x80);
		bytes lf = {0x60, 0x81, small[1]};
		lf.insert(lf.end(), small.begin() + 2, small.end());
		LONGS_EQUAL(KGSS_S_COMPLETE, v.rx(lf));
		LONGS_EQUAL(KGSS_S_COMPLETE, v.rx(small));
		v.still_usable();
	}
}

// IOV: the DER length in HEADER must equal HEADER + DATA + PADDING, and HEADER
// must be exactly framing .. confounder (MIT CVE-2024-37371's IOV variant).
TEST(rfc1964_cve, iov_der_length_longer_than_the_header)
{
	for (const cfg &c : cfgs()) {
		victim v(c);
		bytes m = message(16), hdr, data, pad, out;
		bytes tok = iov_wrap(v.p.ini.c, true, m, 0, &hdr, &data, &pad);
		// HEADER alone, claiming the whole token
		bytes h = hdr;
		kgss_iov one[1] = {{KGSS_IOV_HEADER, {h.size(), h.data()}}};
		LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, kgss_unwrap_iov(v.p.acc.c, nullptr, nullptr, one, 1));
		// DATA one byte short of what the DER length says
		LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, iov_unwrap(v.p.acc.c, bytes(tok.begin(), tok.end() - 1), hdr.size(),
							       0, pad.size() - 1, true, &out));
		// HEADER shorter / longer than framing .. confounder (same total)
		LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN,
			    iov_unwrap(v.p.acc.c, tok, hdr.size() - 1, 0, pad.size(), true, &out));
		LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN,
			    iov_unwrap(v.p.acc.c, tok, hdr.size() + 1, 0, pad.size(), true, &out));
		// A HEADER cut inside the DER length octets
		bytes big = iov_wrap(v.p.ini.c, true, message(300), 0, &hdr, &data, &pad);
		for (size_t hl = 0; hl < 4; hl++) {
			kgss_iov u[1] = {{KGSS_IOV_HEADER, {hl, big.data()}}};
			LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, kgss_unwrap_iov(v.p.acc.c, nullptr, nullptr, u, 1));
		}
		// A non-empty TRAILER beside PADDING (MIT rejects it too)
		tok = iov_wrap(v.p.ini.c, true, m, 0, &hdr, &data, &pad);
		bytes tr(4, 0);
		kgss_iov u[4] = {{KGSS_IOV_HEADER, {hdr.size(), hdr.data()}},
				 {KGSS_IOV_DATA, {data.size(), data.data()}},
				 {KGSS_IOV_PADDING, {pad.size(), pad.data()}},
				 {KGSS_IOV_TRAILER, {tr.size(), tr.data()}}};
		LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, kgss_unwrap_iov(v.p.acc.c, nullptr, nullptr, u, 4));
		u[3].buffer.length = 0;
		LONGS_EQUAL(KGSS_S_COMPLETE, kgss_unwrap_iov(v.p.acc.c, nullptr, nullptr, u, 4));
		CHECK(bytes((uint8_t *)u[1].buffer.value, (uint8_t *)u[1].buffer.value + u[1].buffer.length) == m);
		v.still_usable();
	}
}

// Header fields: TOK_ID, SGN_ALG, SEAL_ALG, filler -> DEFECTIVE_TOKEN (MIT).
TEST(rfc1964_cve, header_fields_checked)
{
	for (const cfg &c : cfgs()) {
		victim v(c);
		bytes tok = v.ref(message(4), good_pad(c, 4));
		const size_t o = body_offset(tok);
		for (size_t i : {0, 1, 2, 3, 4, 5, 6, 7}) {
			bytes t = tok;
			t[o + i] ^= 0x10;
			LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, v.rx(t));
		}
		// A MIC token given to unwrap, a wrap token given to verify_mic.
		bytes mic;
		LONGS_EQUAL(KGSS_S_COMPLETE, get_mic(v.p.ini.c, message(4), &mic));
		LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, v.rx(mic));
		LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, verify_mic(v.p.acc.c, message(4), tok));
		// The other enctype's algorithms.
		const cfg &other = c.des3() ? kCfgs[2] : kCfgs[0];
		if (!compiled_out(other)) { // the reference builder needs the other enctype
			bytes foreign = ref_token(
				other, test_key(other),
				ref_params{false, true, true, 0, bytes(8, 1), message(4), good_pad(other, 4), -1});
			LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, v.rx(foreign));
		}
		v.still_usable();
	}
}

// Direction: our own token reflected back, and mixed direction bytes.
TEST(rfc1964_cve, wrong_direction_is_bad_sig)
{
	for (const cfg &c : cfgs())
		for (const backend &b : backends()) {
			victim v(c, b.be);
			bytes m = message(12), tok, out, mic;
			for (int conf = 0; conf <= 1; conf++) {
				LONGS_EQUAL(KGSS_S_COMPLETE, wrap(v.p.ini.c, conf, m, &tok));
				LONGS_EQUAL(KGSS_S_BAD_SIG, unwrap(v.p.ini.c, tok, &out)); // reflected
				LONGS_EQUAL(0, out.size());
			}
			LONGS_EQUAL(KGSS_S_COMPLETE, get_mic(v.p.acc.c, m, &mic));
			LONGS_EQUAL(KGSS_S_BAD_SIG, verify_mic(v.p.acc.c, m, mic)); // reflected
			for (uint32_t dir : {0x0000ffffu, 0xff000000u, 0x000000ffu, 0x00ff0000u}) {
				ref_params rp;
				rp.seq = 3;
				rp.conf = bytes(8, 9);
				rp.data = m;
				rp.pad = good_pad(c, m.size());
				rp.dir_override = dir;
				LONGS_EQUAL(KGSS_S_BAD_SIG, v.rx(ref_token(c, v.key, rp)));
				rp.mic = true;
				LONGS_EQUAL(KGSS_S_BAD_SIG, verify_mic(v.p.acc.c, m, ref_token(c, v.key, rp)));
			}
			v.still_usable();
		}
}

// Every single-bit flip anywhere in a token is rejected, except -- a known
// property of RFC 4757, shared by MIT, Heimdal and Windows -- the four
// sequence-number bytes of an RC4 token that is not sealed: SND_SEQ is
// outside the checksum and RC4 is malleable, so such a flip yields a valid
// token with another sequence number (sealed RC4 tokens derive Kcrypt from
// it, so there it is caught).  DES3's SND_SEQ is one CBC block: any flip
// scrambles the direction bytes.
TEST(rfc1964_cve, bit_flips_rejected)
{
	for (const cfg &c : cfgs())
		for (int kind = 0; kind < 3; kind++) {
			victim v(c);
			bytes m = message(17), tok;
			if (kind == 2)
				LONGS_EQUAL(KGSS_S_COMPLETE, get_mic(v.p.ini.c, m, &tok));
			else
				LONGS_EQUAL(KGSS_S_COMPLETE, wrap(v.p.ini.c, kind, m, &tok));
			const size_t o = body_offset(tok);
			for (size_t i = 0; i < tok.size(); i++)
				for (int bit : {0, 7}) {
					bool rc4_seq = !c.des3() && kind != 1 && i >= o + 8 && i < o + 12;
					if (rc4_seq)
						continue;
					bytes t = tok;
					t[i] ^= (uint8_t)(1u << bit);
					kgss_status st = kind == 2 ? verify_mic(v.p.acc.c, m, t) : v.rx(t);
					CHECK_TEXT(is_reject(st), what(c, backends()[0], "flip", i).c_str());
				}
			v.still_usable();
		}
}

// ==================================================================================
// Receive window (opt-in): replays and ordering
// ==================================================================================

TEST_GROUP(rfc1964_window){};

TEST(rfc1964_window, replay_and_order)
{
	for (const cfg &c : cfgs()) {
		pair p;
		p.make(c, kgss_crypto_builtin(), KGSS_OPT_REPLAY_DETECT | KGSS_OPT_SEQUENCE_DETECT);
		bytes t0, t1, t2, out;
		bytes m = message(3);
		LONGS_EQUAL(KGSS_S_COMPLETE, wrap(p.ini.c, true, m, &t0));
		LONGS_EQUAL(KGSS_S_COMPLETE, wrap(p.ini.c, true, m, &t1));
		LONGS_EQUAL(KGSS_S_COMPLETE, wrap(p.ini.c, true, m, &t2));
		LONGS_EQUAL(KGSS_S_COMPLETE, unwrap(p.acc.c, t0, &out));
		LONGS_EQUAL(KGSS_S_COMPLETE | KGSS_S_GAP_TOKEN, unwrap(p.acc.c, t2, &out));
		LONGS_EQUAL(KGSS_S_COMPLETE | KGSS_S_UNSEQ_TOKEN, unwrap(p.acc.c, t1, &out));
		LONGS_EQUAL(KGSS_S_COMPLETE | KGSS_S_DUPLICATE_TOKEN, unwrap(p.acc.c, t1, &out));
	}
}

// 32-bit SND_SEQ (RFC 1964 §1.2.1.2) comes round after 2^32 tokens; a window
// that starts at 0 (a downcall context carries no receive number) meets it
// as soon as the peer's numbers pass 0xffffffff.  Tokens from just before the
// wrap are behind the window, not far ahead of it: their replay is a
// DUPLICATE_TOKEN and leaves the window where it was.
TEST(rfc1964_window, replay_across_the_32_bit_wrap_is_duplicate)
{
	for (const cfg &c : cfgs()) {
		const bytes key = test_key(c);
		ctx ini, acc;
		ctx_opts o;
		o.be = kgss_crypto_builtin();
		o.flags = KGSS_OPT_REPLAY_DETECT | KGSS_OPT_SEQUENCE_DETECT;
		o.initiator = true;
		o.send_seq = 0xfffffffeu;
		LONGS_EQUAL(KGSS_S_COMPLETE, make_ctx(ini, c, key, o));
		o.initiator = false;
		o.send_seq = 0;
		o.recv_seq = 0; // as kgss_import_downcall sets it
		LONGS_EQUAL(KGSS_S_COMPLETE, make_ctx(acc, c, key, o));

		const bytes m = message(5);
		bytes t[5], mic[5], out;
		for (int i = 0; i < 5; i++) { // numbers fffffffe ffffffff 0 1 2
			LONGS_EQUAL(KGSS_S_COMPLETE, wrap(ini.c, i % 2 == 0, m, &t[i]));
		}
		LONGS_EQUAL(KGSS_S_COMPLETE | KGSS_S_GAP_TOKEN, unwrap(acc.c, t[0], &out)); // the start
		for (int i = 1; i < 4; i++)
			LONGS_EQUAL(KGSS_S_COMPLETE, unwrap(acc.c, t[i], &out));
		// Replays of ffffffff and fffffffe after 0 and 1.
		LONGS_EQUAL(KGSS_S_COMPLETE | KGSS_S_DUPLICATE_TOKEN, unwrap(acc.c, t[1], &out));
		LONGS_EQUAL(KGSS_S_COMPLETE | KGSS_S_DUPLICATE_TOKEN, unwrap(acc.c, t[0], &out));
		// The window did not move: 2 is the next in order, 0 a duplicate.
		LONGS_EQUAL(KGSS_S_COMPLETE, unwrap(acc.c, t[4], &out));
		CHECK(out == m);
		LONGS_EQUAL(KGSS_S_COMPLETE | KGSS_S_DUPLICATE_TOKEN, unwrap(acc.c, t[2], &out));

		// The same through MIC tokens in the other direction (the initiator's
		// window starts at 0 too, the acceptor sends from 0xfffffffe).
		ctx ini2, acc2;
		o.initiator = false;
		o.send_seq = 0xfffffffeu;
		LONGS_EQUAL(KGSS_S_COMPLETE, make_ctx(acc2, c, key, o));
		o.initiator = true;
		o.send_seq = 0;
		LONGS_EQUAL(KGSS_S_COMPLETE, make_ctx(ini2, c, key, o));
		for (int i = 0; i < 4; i++)
			LONGS_EQUAL(KGSS_S_COMPLETE, get_mic(acc2.c, m, &mic[i]));
		LONGS_EQUAL(KGSS_S_COMPLETE | KGSS_S_GAP_TOKEN, verify_mic(ini2.c, m, mic[0]));
		for (int i = 1; i < 4; i++)
			LONGS_EQUAL(KGSS_S_COMPLETE, verify_mic(ini2.c, m, mic[i]));
		LONGS_EQUAL(KGSS_S_COMPLETE | KGSS_S_DUPLICATE_TOKEN, verify_mic(ini2.c, m, mic[1]));
		LONGS_EQUAL(KGSS_S_COMPLETE | KGSS_S_DUPLICATE_TOKEN, verify_mic(ini2.c, m, mic[2]));
	}
}

// kgss.h: on unwrap failure no plaintext is released.  A sealed Wrap whose
// checksum, pad or direction fails leaves zeros in DATA; an integrity-only
// one (SEAL_ALG FF FF) leaves DATA exactly as received (sent in the clear;
// as MIT, asserted against MIT tokens in tests/interop).  kgss.h used to
// promise zeros for both.
TEST(rfc1964_iov, failed_check_zeroes_sealed_data_and_keeps_integrity_data)
{
	for (const cfg &c : cfgs()) {
		for (int conf = 0; conf <= 1; conf++)
			for (int forge = 0; forge < 2; forge++) { // 0: a SGN_CKSUM byte, 1: a message byte
				pair p;
				p.make(c, kgss_crypto_builtin());
				const bytes m = message(21);
				bytes hdr, data, pad;
				bytes tok = iov_wrap(p.ini.c, conf, m, 0, &hdr, &data, &pad);
				const size_t at = forge == 0 ? body_offset(tok) + 16 : hdr.size() + 3;
				bytes bad = tok;
				bad[at] ^= 0x04;
				const bytes as_received(bad.begin() + hdr.size(), bad.begin() + hdr.size() + m.size());
				bytes plain;
				const std::string where =
					what(c, backends()[0], conf ? "sealed" : "integrity", (size_t)forge);
				LONGS_EQUAL_TEXT(KGSS_S_BAD_SIG,
						 iov_unwrap(p.acc.c, bad, hdr.size(), 0, pad.size(), true, &plain),
						 where.c_str());
				CHECK_TEXT(plain == (conf ? bytes(m.size(), 0) : as_received), where.c_str());
				LONGS_EQUAL_TEXT(KGSS_S_COMPLETE,
						 iov_unwrap(p.acc.c, tok, hdr.size(), 0, pad.size(), true, &plain),
						 where.c_str());
				CHECK_TEXT(plain == m, where.c_str());
			}
	}
}
