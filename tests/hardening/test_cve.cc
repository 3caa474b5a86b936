// tests/hardening/test_cve.cc - one named regression per historical bug
// class in Kerberos GSS per-message code (MIT and Heimdal CVEs, and the
// generic parser mistakes around them), each asserting the exact status.
//
// Where the attack only matters once the integrity check passes (EC/RRC
// inside a correctly protected token, a bad pad under a good checksum, a
// forged MIC header), the hostile token is built here with the crypto layer
// (crypto/enctype.h derive/encrypt/checksum, crypto/mac.h) under the
// pair's real key, and a positive control built the same way must be
// accepted - so the attack provably reaches the deep check.
#include <string.h>

#include "CppUTest/TestHarness.h"
#include "crypto/enctype.h"
#include "crypto/mac.h"
#include "families.h"
#include "hardening_util.h"

using hu::bytes;

namespace {

constexpr uint32_t kUsageAcceptorSeal = 22, kUsageAcceptorSign = 23, kUsageInitiatorSeal = 24,
		   kUsageInitiatorSign = 25; // RFC 4121 §2

size_t idx(int32_t et) { return hu::et_index_of(et); }

bytes cat(std::initializer_list<bytes> parts)
{
	bytes o;
	for (const bytes &p : parts)
		o.insert(o.end(), p.begin(), p.end());
	return o;
}

kgss_status unwrap_st(kgss_ctx *c, const bytes &tok)
{
	bytes o;
	size_t l = 0;
	kgss_status st = hu::unwrap(c, tok, &o, &l);
	if (KGSS_ERROR(st)) {
		LONGS_EQUAL(0, l);
		// the working area is wiped, or (call refused before any work) untouched
		bool untouched = true;
		for (uint8_t x : o)
			untouched &= x == 0xEE;
		CHECK(hu::all_zero(o) || untouched);
		if (st == KGSS_S_BAD_SIG || st == KGSS_S_DEFECTIVE_TOKEN)
			CHECK(hu::all_zero(o));
	}
	return st;
}

// ---- RFC 4121 tokens built with the crypto layer, sent by p.peer ------------------------
const kgss::enctype *et_of(const hu::pair &p) { return kgss::enctype_find(kf::kEtypes[p.et_index].etype); }
bool peer_is_initiator(const hu::pair &p) { return !p.self_initiator; }

bytes cfx_header(const hu::pair &p, uint16_t tok_id, bool sealed, uint16_t ec, uint16_t rrc, uint64_t seq)
{
	uint8_t f = (peer_is_initiator(p) ? 0 : 0x01) | (sealed ? 0x02 : 0) | (p.subkey ? 0x04 : 0);
	bytes h = {(uint8_t)(tok_id >> 8), (uint8_t)tok_id, f, 0xff, (uint8_t)(ec >> 8), (uint8_t)ec,
		   (uint8_t)(rrc >> 8),    (uint8_t)rrc};
	for (int i = 7; i >= 0; i--)
		h.push_back((uint8_t)(seq >> (8 * i)));
	if (tok_id == 0x0404)
		memset(&h[3], 0xff, 5);
	return h;
}

// header | E(confounder | plain) | tag, RRC as in `header` (0: nothing rotated).
bytes cfx_seal(const hu::pair &p, const bytes &header, const bytes &plain)
{
	const kgss::enctype *et = et_of(p);
	kgss::enc_key *k = new kgss::enc_key();
	uint32_t usage = peer_is_initiator(p) ? kUsageInitiatorSeal : kUsageAcceptorSeal;
	LONGS_EQUAL(KGSS_S_COMPLETE, et->derive_enc(kgss_crypto_builtin(), p.key(), usage, k));
	bytes buf(et->conf_len, 0x5c);
	buf.insert(buf.end(), plain.begin(), plain.end());
	bytes tag(et->cksum_len);
	kgss::seglist s;
	s.add_head(buf.data(), buf.size());
	LONGS_EQUAL(KGSS_S_COMPLETE, et->encrypt(k, s, tag.data()));
	kgss::enc_key_clear(k);
	delete k;
	return cat({header, buf, tag});
}

// Checksum with the Kc of `usage` over the segments given.
bytes cfx_cksum(const hu::pair &p, uint32_t usage, const bytes &a, const bytes &b)
{
	const kgss::enctype *et = et_of(p);
	kgss::mac_key *k = new kgss::mac_key();
	LONGS_EQUAL(KGSS_S_COMPLETE, et->derive_cksum(kgss_crypto_builtin(), p.key(), usage, k));
	bytes aa = a, bb = b, out(et->cksum_len);
	kgss::seglist s;
	s.add_head(aa.empty() ? nullptr : aa.data(), aa.size(), false);
	s.add_head(bb.data(), bb.size(), false);
	LONGS_EQUAL(KGSS_S_COMPLETE, et->make_checksum(k, s, out.data()));
	kgss::mac_key_clear(k);
	delete k;
	return out;
}

// ---- RFC 1964 DES3 tokens built with the crypto layer, sent by p.peer -------------------
const bytes kOid = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02};

bytes framed(const bytes &inner_after_oid)
{
	size_t inner = kOid.size() + inner_after_oid.size();
	bytes t = {0x60};
	if (inner < 0x80)
		t.push_back((uint8_t)inner);
	else if (inner < 0x100)
		t.insert(t.end(), {0x81, (uint8_t)inner});
	else
		t.insert(t.end(), {0x82, (uint8_t)(inner >> 8), (uint8_t)inner});
	return cat({t, kOid, inner_after_oid});
}

// A DES3 Wrap token over conf8 | data_and_pad (any bytes, multiple of 8),
// with a valid SGN_CKSUM and SND_SEQ.
bytes des3_wrap(const hu::pair &p, bool sealed, const bytes &data_and_pad, uint32_t seq)
{
	const kgss_crypto_backend *be = kgss_crypto_builtin();
	const kgss::enctype *et = kgss::enctype_find(16);
	const bytes hdr8 = {0x02, 0x01, 0x04, 0x00, (uint8_t)(sealed ? 0x02 : 0xff), (uint8_t)(sealed ? 0x00 : 0xff),
			    0xff, 0xff};
	bytes body(8, 0x33); // confounder
	body.insert(body.end(), data_and_pad.begin(), data_and_pad.end());
	kgss::mac_key *mk = new kgss::mac_key();
	LONGS_EQUAL(KGSS_S_COMPLETE, et->derive_cksum(be, p.keys, 23, mk));
	kgss::mac_run r;
	LONGS_EQUAL(KGSS_S_COMPLETE, kgss::mac_begin(&r, mk));
	kgss::mac_update(&r, hdr8.data(), hdr8.size());
	kgss::mac_update(&r, body.data(), body.size());
	bytes ck(20);
	LONGS_EQUAL(KGSS_S_COMPLETE, kgss::mac_end(&r, ck.data()));
	kgss::mac_key_clear(mk);
	delete mk;
	kgss::cipher_key *ck3 = new kgss::cipher_key();
	LONGS_EQUAL(KGSS_S_COMPLETE,
		    kgss::cipher_key_init(ck3, kgss::backend_cipher(be, kgss::CIPHER_DES3), p.keys, 24));
	uint8_t dir = peer_is_initiator(p) ? 0x00 : 0xff;
	bytes blk = {(uint8_t)seq, (uint8_t)(seq >> 8), (uint8_t)(seq >> 16), (uint8_t)(seq >> 24), dir, dir, dir, dir};
	uint8_t iv[8];
	memcpy(iv, ck.data(), 8);
	LONGS_EQUAL(0, ck3->cls->cbc_encrypt(ck3->ks, iv, blk.data(), 1));
	if (sealed) {
		uint8_t iv0[8] = {0};
		LONGS_EQUAL(0, ck3->cls->cbc_encrypt(ck3->ks, iv0, body.data(), body.size() / 8));
	}
	kgss::cipher_key_clear(ck3);
	delete ck3;
	return framed(cat({hdr8, blk, ck, body}));
}

// The DER length of a framed token patched to `len` bytes of inner content
// (short form only, for small tokens).
bytes reframe(bytes t)
{
	CHECK(t.size() - 2 < 0x80);
	t[1] = (uint8_t)(t.size() - 2);
	return t;
}

} // namespace

TEST_GROUP(cve){};

// ---- MIT CVE-2014-4341 / CVE-2014-4342 -------------------------------------------------------

TEST(cve, mit_2014_4341_rfc1964_token_on_cfx_context)
{
	hu::pair d(idx(16), false, false), c(idx(18), false, false);
	const bytes m = hu::msg(9);
	LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, unwrap_st(c.self, hu::wrap(d.peer, true, m)));
	LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, hu::verify_mic(c.self, m, hu::get_mic(d.peer, m)));
	// and the other way round: a CFX token on an RFC 1964 context
	LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, unwrap_st(d.self, hu::wrap(c.peer, true, m)));
	LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, hu::verify_mic(d.self, m, hu::get_mic(c.peer, m)));
}

TEST(cve, mit_2014_4341_rfc1964_header_shorter_than_22_after_tok_id)
{
	for (int32_t e : kt::compiled_in({16, 23})) {
		hu::pair p(idx(e), true, false);
		const bytes m = hu::msg(4);
		const bytes mic = hu::get_mic(p.peer, m), wr = hu::wrap(p.peer, true, m);
		const size_t off = 2 + kOid.size(); // TOK_ID
		for (size_t keep = 0; keep < 22; keep++) {
			// DER length made consistent, so only the short header is wrong.
			LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN,
				    hu::verify_mic(p.self, m, reframe(bytes(mic.begin(), mic.begin() + off + keep))));
			LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN,
				    unwrap_st(p.self, reframe(bytes(wr.begin(), wr.begin() + off + keep))));
		}
	}
}

TEST(cve, mit_2014_4341_short_checksum)
{
	for (int32_t e : kt::compiled_in({16, 23, 24})) {
		hu::pair p(idx(e), false, false);
		const bytes m = hu::msg(4);
		bytes mic = hu::get_mic(p.peer, m);
		mic.pop_back();
		LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, hu::verify_mic(p.self, m, reframe(mic)));
	}
	for (int32_t e : kt::compiled_in({17, 20, 26})) {
		hu::pair p(idx(e), true, true);
		const bytes m = hu::msg(4);
		bytes mic = hu::get_mic(p.peer, m);
		mic.pop_back();
		LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, hu::verify_mic(p.self, m, mic));
	}
}

TEST(cve, mit_2014_4342_ciphertext_shorter_than_confounder)
{
	for (int32_t e : kt::compiled_in({16, 23, 24})) {
		hu::pair p(idx(e), true, false);
		const bytes w = hu::wrap(p.peer, true, hu::msg(0));
		const size_t conf_start = 2 + kOid.size() + 16 + (e == 16 ? 20 : 8);
		for (size_t k = 0; k < 8; k++)
			LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN,
				    unwrap_st(p.self, reframe(bytes(w.begin(), w.begin() + conf_start + k))));
		// confounder complete, but no room for the pad
		LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN,
			    unwrap_st(p.self, reframe(bytes(w.begin(), w.begin() + conf_start + 8))));
	}
}

TEST(cve, mit_2014_4342_pad_larger_than_plaintext_under_good_checksum)
{
	for (bool sealed : {false, true}) {
		hu::pair p(idx(16), false, false);
		// positive control: the builder's tokens are accepted
		bytes good = {0x41, 7, 7, 7, 7, 7, 7, 7};
		bytes o;
		size_t l = 0;
		LONGS_EQUAL(KGSS_S_COMPLETE, hu::unwrap(p.self, des3_wrap(p, sealed, good, 5000), &o, &l));
		LONGS_EQUAL(1, l);
		LONGS_EQUAL(0x41, o[0]);
		// pad length (the last byte) beyond the data | pad, beyond the
		// plaintext, or zero: BAD_SIG, like a bad checksum (no oracle)
		const bytes bad[] = {
			bytes(8, 0x09),
			bytes(8, 0x20),
			bytes(16, 0xff),
			bytes(8, 0x00),
		};
		for (const bytes &dp : bad)
			LONGS_EQUAL(KGSS_S_BAD_SIG, unwrap_st(p.self, des3_wrap(p, sealed, dp, 5001)));
		// Only the last byte counts, as MIT (k5unseal.c): pad bytes that
		// differ from it are not looked at; the length is still bounded.
		LONGS_EQUAL(KGSS_S_COMPLETE,
			    hu::unwrap(p.self, des3_wrap(p, sealed, {0x41, 7, 7, 7, 7, 7, 6, 7}, 5002), &o, &l));
		LONGS_EQUAL(1, l);
		LONGS_EQUAL(0x41, o[0]);
	}
}

// ---- MIT CVE-2009-4212 ----------------------------------------------------------------------

TEST(cve, mit_2009_4212_ciphertext_shorter_than_confounder_plus_checksum)
{
	for (int32_t e : kt::compiled_in({17, 18, 19, 20, 25, 26})) {
		hu::pair p(idx(e), true, false);
		const kgss::enctype *et = et_of(p);
		const bytes h = cfx_header(p, 0x0504, true, 0, 0, 5000);
		// every body shorter than confounder + header copy + tag
		for (size_t n = 0; n < et->conf_len + 16 + et->cksum_len; n++)
			LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, unwrap_st(p.self, cat({h, bytes(n, 0xa5)})));
		// integrity-only: body shorter than the checksum
		const bytes hi = cfx_header(p, 0x0504, false, et->cksum_len, 0, 5000);
		for (size_t n = 0; n < et->cksum_len; n++)
			LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, unwrap_st(p.self, cat({hi, bytes(n, 0xa5)})));
	}
}

// ---- MIT CVE-2024-37370 / CVE-2024-37371 ------------------------------------------------------

TEST(cve, mit_2024_37370_ec_changed_in_the_clear)
{
	for (int32_t e : kt::compiled_in({17, 20, 25})) {
		hu::pair p(idx(e), false, true);
		const bytes m = hu::msg(12);
		// positive control: EC = 4 in header and encrypted copy, 4 filler bytes
		bytes o;
		size_t l = 0;
		LONGS_EQUAL(KGSS_S_COMPLETE,
			    hu::unwrap(p.self,
				       cfx_seal(p, cfx_header(p, 0x0504, true, 4, 0, 5000),
						cat({m, bytes(4, 0xff), cfx_header(p, 0x0504, true, 4, 0, 5000)})),
				       &o, &l));
		LONGS_EQUAL(m.size(), l); // the filler is not released as message
		// EC raised in the clear only: would truncate the message by 8 bytes.
		// The header copy differs: DEFECTIVE_TOKEN, as MIT 1.20 (every path).
		for (uint16_t ec : {1, 8, 12})
			LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN,
				    unwrap_st(p.self, cfx_seal(p, cfx_header(p, 0x0504, true, ec, 0, 5001),
							       cat({m, bytes(4, 0xff),
								    cfx_header(p, 0x0504, true, 4, 0, 5001)}))));
		// and on a token the library made
		bytes w = hu::wrap(p.peer, true, m);
		w[5] ^= 0x04;
		LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, unwrap_st(p.self, w));
	}
}

TEST(cve, mit_2024_37371_plaintext_shorter_than_16_plus_ec)
{
	for (int32_t e : kt::compiled_in({18, 19, 26})) {
		hu::pair p(idx(e), true, false);
		// EC consistent in header and copy and under a good tag, but the
		// decrypted data has no room for EC filler bytes + the header copy
		for (uint16_t ec : {1, 16, 40, 0xffff}) {
			const bytes h = cfx_header(p, 0x0504, true, ec, 0, 5000);
			LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, unwrap_st(p.self, cfx_seal(p, h, h)));
		}
		// integrity-only: EC must be the checksum length (plain unwrap, as
		// MIT's plain gss_unwrap: BAD_SIG, DEFECTIVE_TOKEN when EC does not
		// fit in the token)
		const kgss::enctype *et = et_of(p);
		const bytes m = hu::msg(3);
		for (uint16_t ec :
		     {(uint16_t)0, (uint16_t)(et->cksum_len - 1), (uint16_t)(et->cksum_len + 1), (uint16_t)0xffff}) {
			bytes h = cfx_header(p, 0x0504, false, ec, 0, 5000);
			const bytes ck = cfx_cksum(p, kUsageAcceptorSeal, m, cfx_header(p, 0x0504, false, 0, 0, 5000));
			const bool fits = ec <= m.size() + ck.size();
			LONGS_EQUAL(fits ? KGSS_S_BAD_SIG : KGSS_S_DEFECTIVE_TOKEN, unwrap_st(p.self, cat({h, m, ck})));
		}
		// positive control for the integrity builder
		bytes o;
		size_t l = 0;
		const bytes ck = cfx_cksum(p, kUsageAcceptorSeal, m, cfx_header(p, 0x0504, false, 0, 0, 5000));
		LONGS_EQUAL(KGSS_S_COMPLETE,
			    hu::unwrap(p.self,
				       cat({cfx_header(p, 0x0504, false, (uint16_t)et->cksum_len, 0, 5000), m, ck}), &o,
				       &l));
		LONGS_EQUAL(m.size(), l);
	}
}

TEST(cve, mit_2024_37371_iov_der_length_longer_than_header)
{
	for (int32_t e : kt::compiled_in({16, 23})) {
		hu::pair p(idx(e), false, false);
		bytes hdr(128), data = hu::msg(5), pad(16);
		kgss_iov v[3] = {{KGSS_IOV_HEADER, {hdr.size(), hdr.data()}},
				 {KGSS_IOV_DATA, {data.size(), data.data()}},
				 {KGSS_IOV_PADDING, {pad.size(), pad.data()}}};
		LONGS_EQUAL(KGSS_S_COMPLETE, kgss_wrap_iov(p.peer, 1, 0, nullptr, v, 3));
		hdr.resize(v[0].buffer.length);
		pad.resize(v[2].buffer.length);
		for (int delta : {1, 8, 100}) {
			bytes h = hdr, d = data, pd = pad;
			h[1] = (uint8_t)(h[1] + delta); // claims more than HEADER + DATA + PADDING
			kgss_iov r[3] = {{KGSS_IOV_HEADER, {h.size(), h.data()}},
					 {KGSS_IOV_DATA, {d.size(), d.data()}},
					 {KGSS_IOV_PADDING, {pd.size(), pd.data()}}};
			LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, kgss_unwrap_iov(p.self, nullptr, nullptr, r, 3));
			CHECK(d == data); // nothing decrypted
		}
	}
}

// ---- MIT CVE-2025-57736 ---------------------------------------------------------------------

TEST(cve, mit_2025_57736_mic_filler_not_ff_under_good_checksum)
{
	for (int32_t e : kt::compiled_in({17, 18, 19, 20, 25, 26})) {
		hu::pair p(idx(e), true, false);
		const bytes m = hu::msg(10);
		const uint32_t usage = peer_is_initiator(p) ? kUsageInitiatorSign : kUsageAcceptorSign;
		bytes h = cfx_header(p, 0x0404, false, 0, 0, 5000);
		LONGS_EQUAL(KGSS_S_COMPLETE, hu::verify_mic(p.self, m, cat({h, cfx_cksum(p, usage, m, h)}))); // control
		for (size_t i = 3; i < 8; i++) {
			bytes hb = h;
			hb[i] = 0x00; // forged filler, checksum computed over it
			LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN,
				    hu::verify_mic(p.self, m, cat({hb, cfx_cksum(p, usage, m, hb)})));
		}
		bytes t = cat({h, cfx_cksum(p, usage, m, h)});
		t.back() ^= 0x80; // wrong checksum
		LONGS_EQUAL(KGSS_S_BAD_SIG, hu::verify_mic(p.self, m, t));
	}
}

// ---- MIT CVE-2014-5352 ----------------------------------------------------------------------

TEST(cve, mit_2014_5352_failed_import_leaves_ctx_out_null)
{
	kt::require_enctype(18);
	kgss_lucid_context_v1 l;
	uint8_t keys[128];
	kf::make_lucid(&l, idx(18), true, false, 1, 1, keys);
	l.cfx_kd.ctx_key.length = 31; // wrong for aes256
	kgss_options o;
	kf::make_options(&o, false, true);
	bytes mem(kgss_ctx_size());
	kgss_ctx *c = (kgss_ctx *)&mem; // garbage the import must overwrite
	LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, kgss_import_lucid_v1_into(mem.data(), mem.size(), &l, &o, &c));
	POINTERS_EQUAL(nullptr, c);
	c = (kgss_ctx *)&mem;
	LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, kgss_import_lucid_v1(&l, &o, &c));
	POINTERS_EQUAL(nullptr, c);
	LONGS_EQUAL(0, kf::live_allocations()); // nothing half-allocated stays behind
}

TEST(cve, mit_2014_5352_freed_into_context_answers_no_context)
{
	for (int32_t e : kt::compiled_in({16, 18, 23})) {
		hu::pair p(idx(e), true, false);
		const bytes m = hu::msg(8);
		const bytes w = hu::wrap(p.peer, true, m), mic = hu::get_mic(p.peer, m);
		kgss_ctx_free(p.self);
		LONGS_EQUAL(KGSS_S_NO_CONTEXT, unwrap_st(p.self, w));
		LONGS_EQUAL(KGSS_S_NO_CONTEXT, hu::verify_mic(p.self, m, mic));
		bytes out(256);
		kgss_buffer in = {m.size(), (void *)m.data()}, ob = {out.size(), out.data()};
		LONGS_EQUAL(KGSS_S_NO_CONTEXT, kgss_wrap(p.self, 1, 0, &in, nullptr, &ob));
		LONGS_EQUAL(KGSS_S_NO_CONTEXT, kgss_get_mic(p.self, 0, &in, &ob));
		size_t n = 0;
		LONGS_EQUAL(KGSS_S_NO_CONTEXT, kgss_wrap_size(p.self, 1, 8, &n));
		kgss_ctx_info info;
		LONGS_EQUAL(KGSS_S_NO_CONTEXT, kgss_ctx_inquire(p.self, &info));
		kgss_ctx_free(p.self); // a second free does nothing
		LONGS_EQUAL(KGSS_S_NO_CONTEXT, unwrap_st(p.self, w));
		// the peer, never freed, is unaffected
		CHECK(!hu::wrap(p.peer, true, m).empty());
	}
}

// ---- Heimdal CVE-2022-3437 / CVE-2022-45142 ---------------------------------------------------

TEST(cve, heimdal_2022_3437_des3_rc4_unwrap_length_checks)
{
	for (int32_t e : kt::compiled_in({16, 23, 24})) {
		hu::pair p(idx(e), false, false);
		const bytes w = hu::wrap(p.peer, true, hu::msg(16));
		const size_t fixed = 2 + kOid.size() + 16 + (e == 16 ? 20 : 8) + 8;
		// every cut inside data | pad, DER length kept consistent
		for (size_t n = fixed; n < w.size(); n++) {
			kgss_status st = unwrap_st(p.self, reframe(bytes(w.begin(), w.begin() + n)));
			if (e == 16 && (n - fixed) % 8 != 0)
				LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, st); // not whole DES blocks
			else if (n == fixed)
				LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, st); // no pad at all
			else
				LONGS_EQUAL(KGSS_S_BAD_SIG, st);
		}
	}
	// DES3 pad underflow (pad 0, or pad bytes past the data) under a good checksum
	hu::pair p(idx(16), true, false);
	LONGS_EQUAL(KGSS_S_BAD_SIG, unwrap_st(p.self, des3_wrap(p, true, bytes(8, 0), 5000)));
	LONGS_EQUAL(KGSS_S_BAD_SIG, unwrap_st(p.self, des3_wrap(p, false, bytes(8, 0), 5000)));
}

TEST(cve, heimdal_2022_45142_rc4_bad_signature_rejected)
{
	for (int32_t e : kt::compiled_in({23, 24}))
		for (bool init : {false, true}) {
			hu::pair p(idx(e), init, false);
			const bytes m = hu::msg(20);
			const size_t ck = 2 + kOid.size() + 16; // SGN_CKSUM
			for (bool conf : {false, true}) {
				const bytes w = hu::wrap(p.peer, conf, m);
				for (size_t i = 0; i < 8; i++) {
					bytes t = w;
					t[ck + i] ^= 0x01;
					LONGS_EQUAL(KGSS_S_BAD_SIG, unwrap_st(p.self, t));
				}
			}
			const bytes mic = hu::get_mic(p.peer, m);
			for (size_t i = 0; i < 8; i++) {
				bytes t = mic;
				t[ck + i] ^= 0x80;
				LONGS_EQUAL(KGSS_S_BAD_SIG, hu::verify_mic(p.self, m, t));
			}
			bytes m2 = m;
			m2[0] ^= 1;
			LONGS_EQUAL(KGSS_S_BAD_SIG, hu::verify_mic(p.self, m2, mic));
		}
}

// ---- generic parser mistakes ---------------------------------------------------------------

TEST(cve, empty_checksum_never_accepted)
{
	for (int32_t e : kt::compiled_in({17, 19, 20, 25})) {
		hu::pair p(idx(e), true, true);
		const bytes m = hu::msg(3);
		const bytes mic = hu::get_mic(p.peer, m);
		LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, hu::verify_mic(p.self, m, bytes(mic.begin(), mic.begin() + 16)));
		// integrity Wrap claiming a zero-length checksum (plain unwrap: BAD_SIG
		// as MIT's plain gss_unwrap, EC != checksum length)
		LONGS_EQUAL(KGSS_S_BAD_SIG, unwrap_st(p.self, cat({cfx_header(p, 0x0504, false, 0, 0, 5000), m})));
	}
	for (int32_t e : kt::compiled_in({16, 23})) {
		hu::pair p(idx(e), true, false);
		const bytes m = hu::msg(3);
		const bytes mic = hu::get_mic(p.peer, m);
		LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN,
			    hu::verify_mic(p.self, m, reframe(bytes(mic.begin(), mic.begin() + 2 + 11 + 16))));
	}
}

TEST(cve, rrc_larger_than_token_and_equal_to_token_length)
{
	for (int32_t e : kt::compiled_in({17, 20, 26})) {
		hu::pair p(idx(e), false, false);
		const bytes m = hu::msg(9);
		const bytes w = hu::wrap(p.peer, true, m); // kgss_wrap: RRC 0 (trailer at the end)
		const size_t body = w.size() - 16, rrc = (size_t)(w[6] << 8 | w[7]);
		LONGS_EQUAL(0, rrc);
		auto with_rrc = [&](size_t r) {
			bytes t = w;
			t[6] = (uint8_t)(r >> 8);
			t[7] = (uint8_t)r;
			return t;
		};
		// RFC 4121 §4.2.5: any RRC is legal; one equal modulo the body is the same rotation
		bytes o;
		size_t l = 0;
		LONGS_EQUAL(KGSS_S_COMPLETE, hu::unwrap(p.self, with_rrc(rrc + body), &o, &l));
		LONGS_EQUAL(m.size(), l);
		LONGS_EQUAL(KGSS_S_COMPLETE, hu::unwrap(p.self, with_rrc(rrc + 7 * body), &o, &l));
		LONGS_EQUAL(m.size(), l);
		// RRC = the token length (> body): a different rotation scrambles
		// the ciphertext and the tag check fails; likewise the largest RRC
		LONGS_EQUAL(KGSS_S_BAD_SIG, unwrap_st(p.self, with_rrc(w.size())));
		CHECK(0xffff % body != 0);
		LONGS_EQUAL(KGSS_S_BAD_SIG, unwrap_st(p.self, with_rrc(0xffff)));
		// IOV with buffers: RRC must be what the layout implies
		bytes h(w.begin(), w.begin() + 16 + rrc + et_of(p)->conf_len), d(w.begin() + h.size(), w.end());
		bytes hh = h;
		hh[6] = 0xff;
		kgss_iov v[2] = {{KGSS_IOV_HEADER, {hh.size(), hh.data()}}, {KGSS_IOV_DATA, {d.size(), d.data()}}};
		LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, kgss_unwrap_iov(p.self, nullptr, nullptr, v, 2));
	}
}

TEST(cve, ec_larger_than_token)
{
	for (int32_t e : kt::compiled_in({18, 19})) {
		hu::pair p(idx(e), true, false);
		for (uint16_t ec : {200, 0x7fff, 0xffff}) {
			bytes w = hu::wrap(p.peer, true, hu::msg(5));
			w[4] = (uint8_t)(ec >> 8);
			w[5] = (uint8_t)ec;
			LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, unwrap_st(p.self, w));
		}
	}
}

TEST(cve, acceptor_subkey_flag_mismatch)
{
	for (bool sub : {false, true}) {
		hu::pair p(idx(18), true, sub);
		const bytes m = hu::msg(6);
		bytes mic = hu::get_mic(p.peer, m), w = hu::wrap(p.peer, true, m), wi = hu::wrap(p.peer, false, m);
		mic[2] ^= 0x04;
		w[2] ^= 0x04;
		wi[2] ^= 0x04;
		LONGS_EQUAL(KGSS_S_BAD_SIG, hu::verify_mic(p.self, m, mic));
		// Sealed: with a subkey the cleared flag names the context key, and
		// decryption fails (BAD_SIG); without one the flag names the same
		// (only) key, MIT's choice, and the encrypted header copy then
		// differs: DEFECTIVE_TOKEN, as MIT.
		LONGS_EQUAL(sub ? KGSS_S_BAD_SIG : KGSS_S_DEFECTIVE_TOKEN, unwrap_st(p.self, w));
		LONGS_EQUAL(KGSS_S_BAD_SIG, unwrap_st(p.self, wi));
	}
}

TEST(cve, direction_flag_mismatch_and_reflection)
{
	for (int32_t e : kt::compiled_in({16, 17, 23, 26}))
		for (bool init : {false, true}) {
			hu::pair p(idx(e), init, false);
			const bytes m = hu::msg(6);
			// our own tokens reflected back
			LONGS_EQUAL(KGSS_S_BAD_SIG, hu::verify_mic(p.self, m, hu::get_mic(p.self, m)));
			LONGS_EQUAL(KGSS_S_BAD_SIG, unwrap_st(p.self, hu::wrap(p.self, true, m)));
			LONGS_EQUAL(KGSS_S_BAD_SIG, unwrap_st(p.self, hu::wrap(p.self, false, m)));
			if (kf::kEtypes[idx(e)].protocol == 1) {
				bytes mic = hu::get_mic(p.peer, m);
				mic[2] ^= 0x01; // SentByAcceptor flipped
				LONGS_EQUAL(KGSS_S_BAD_SIG, hu::verify_mic(p.self, m, mic));
			}
		}
}

TEST(cve, sealed_flag_on_a_mic)
{
	for (int32_t e : kt::compiled_in({17, 20})) {
		hu::pair p(idx(e), false, true);
		const bytes m = hu::msg(6);
		const uint32_t usage = peer_is_initiator(p) ? kUsageInitiatorSign : kUsageAcceptorSign;
		bytes h = cfx_header(p, 0x0404, false, 0, 0, 5000);
		h[2] |= 0x02; // Sealed, with a checksum computed over it: MIT ignores the flag
		LONGS_EQUAL(KGSS_S_COMPLETE, hu::verify_mic(p.self, m, cat({h, cfx_cksum(p, usage, m, h)})));
		// set in transit (outside a new checksum): BAD_SIG
		bytes t = cat({cfx_header(p, 0x0404, false, 0, 0, 5001),
			       cfx_cksum(p, usage, m, cfx_header(p, 0x0404, false, 0, 0, 5001))});
		t[2] |= 0x02;
		LONGS_EQUAL(KGSS_S_BAD_SIG, hu::verify_mic(p.self, m, t));
	}
	// RFC 1964: a MIC whose SEAL_ALG is not FF FF
	hu::pair d(idx(16), true, false);
	const bytes m = hu::msg(6);
	bytes mic = hu::get_mic(d.peer, m);
	mic[2 + 11 + 4] = 0x02;
	mic[2 + 11 + 5] = 0x00;
	LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, hu::verify_mic(d.self, m, mic));
}

TEST(cve, unknown_tok_id)
{
	hu::pair c(idx(17), true, false);
	const bytes m = hu::msg(6);
	for (uint16_t id : {0x0405, 0x0604, 0x0000, 0x0101, 0x0201, 0x0504}) {
		bytes mic = hu::get_mic(c.peer, m);
		mic[0] = (uint8_t)(id >> 8);
		mic[1] = (uint8_t)id;
		LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, hu::verify_mic(c.self, m, mic));
	}
	for (uint16_t id : {0x0405, 0x0404, 0x0000, 0x0201}) {
		bytes w = hu::wrap(c.peer, true, m);
		w[0] = (uint8_t)(id >> 8);
		w[1] = (uint8_t)id;
		LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, unwrap_st(c.self, w));
	}
	for (int32_t e : kt::compiled_in({16, 24})) {
		hu::pair d(idx(e), false, false);
		for (uint16_t id : {0x0301, 0x0102, 0x0201, 0x0404}) {
			bytes mic = hu::get_mic(d.peer, m);
			mic[13] = (uint8_t)(id >> 8);
			mic[14] = (uint8_t)id;
			LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, hu::verify_mic(d.self, m, mic));
		}
		bytes w = hu::wrap(d.peer, true, m);
		w[13] = 0x01; // a MIC TOK_ID on a Wrap token
		LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, unwrap_st(d.self, w));
	}
}

TEST(cve, der_wrapper_variants)
{
	for (int32_t e : kt::compiled_in({16, 23})) {
		hu::pair p(idx(e), true, false);
		const bytes m = hu::msg(6);
		const bytes mic = hu::get_mic(p.peer, m), w = hu::wrap(p.peer, true, m);
		std::vector<bytes> bad = {
			{0x60},
			{0x60, 0x84},
			{0x60, 0x40, 0x06},
			{0x60, 0x40, 0x06, 0x09},
			{0x60, 0x80},                // indefinite length
			{0x60, 0x85, 1, 0, 0, 0, 0}, // five length octets
		};
		for (const bytes &t : bad) {
			LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, hu::verify_mic(p.self, m, t));
			LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, unwrap_st(p.self, t));
		}
		for (const bytes *tok : {&mic, &w}) {
			bytes t = *tok;
			t[1] = (uint8_t)(t[1] + 1); // length past the end
			LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN,
				    tok == &mic ? hu::verify_mic(p.self, m, t) : unwrap_st(p.self, t));
			t[1] = (uint8_t)(t[1] - 2); // shorter than what follows
			LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN,
				    tok == &mic ? hu::verify_mic(p.self, m, t) : unwrap_st(p.self, t));
			// long form for a short length (not minimal DER): MIT accepts it,
			// so do we (the framing is outside every checksum and length check)
			bytes lf = {0x60, 0x81, (*tok)[1]};
			lf.insert(lf.end(), tok->begin() + 2, tok->end());
			LONGS_EQUAL(KGSS_S_COMPLETE,
				    tok == &mic ? hu::verify_mic(p.self, m, lf) : unwrap_st(p.self, lf));
			bytes oid = *tok;
			oid[2 + 10] ^= 1; // another mechanism's OID
			LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN,
				    tok == &mic ? hu::verify_mic(p.self, m, oid) : unwrap_st(p.self, oid));
		}
	}
}

TEST(cve, refused_token_never_moves_the_receive_window)
{
	for (int32_t e : kt::compiled_in({16, 17, 20, 23, 26})) {
		hu::pair p(idx(e), true, false, true); // replay + sequence detection
		const bytes m = hu::msg(5);
		const bytes t1 = hu::wrap(p.peer, true, m), t2 = hu::get_mic(p.peer, m),
			    t3 = hu::wrap(p.peer, false, m);
		// the later tokens, tampered (their checksums fail), first
		bytes b3 = t3, b2 = t2;
		b3.back() ^= 1;
		b2.back() ^= 1;
		LONGS_EQUAL(KGSS_S_BAD_SIG, unwrap_st(p.self, b3));
		LONGS_EQUAL(KGSS_S_BAD_SIG, hu::verify_mic(p.self, m, b2));
		// the window has not moved: the first token is exactly in order
		bytes o;
		size_t l = 0;
		LONGS_EQUAL(KGSS_S_COMPLETE, hu::unwrap(p.self, t1, &o, &l));
		LONGS_EQUAL(KGSS_S_COMPLETE, hu::verify_mic(p.self, m, t2));
		LONGS_EQUAL(KGSS_S_COMPLETE, hu::unwrap(p.self, t3, &o, &l));
		LONGS_EQUAL(KGSS_S_DUPLICATE_TOKEN, hu::unwrap(p.self, t1, &o, &l));
	}
}
