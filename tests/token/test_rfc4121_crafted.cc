// Sealed tokens crafted with the enctype layer directly (as a peer holding
// the key could), to reach the checks that come after decryption: EC filler
// from a peer, a header copy that disagrees with the clear header
// (CVE-2024-37370), plaintext too short for EC + 16 (CVE-2024-37371).
#include <CppUTest/TestHarness.h>
#include <memory>
#include <string.h>

#include "crypto/enctype.h"
#include "families.h"
#include "token_util.h"

using namespace tt;

namespace {

constexpr int32_t ETYPE = 18;
constexpr uint64_t SEQ = 4242;

bytes header(uint8_t flags, uint16_t ec, uint16_t rrc, uint64_t seq)
{
	bytes h = {0x05, 0x04, flags, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	put_be16(h, 4, ec);
	put_be16(h, 6, rrc);
	for (int i = 0; i < 8; i++)
		h[8 + i] = (uint8_t)(seq >> (56 - 8 * i));
	return h;
}

// outer header | E(confounder | inner) | tag, sealed with the initiator's seal usage (24).
bytes seal(const bytes &outer, const bytes &inner)
{
	kt::require_enctype(ETYPE);
	const kgss::enctype *et = kgss::enctype_find(ETYPE);
	CHECK(et != nullptr);
	std::unique_ptr<kgss::enc_key> k(new kgss::enc_key);
	memset(k.get(), 0, sizeof(*k));
	bytes key = synthetic_key(ETYPE, 32);
	CHECK_EQUAL(KGSS_S_COMPLETE, et->derive_enc(kgss_crypto_openssl(), key.data(), 24, k.get()));
	bytes body = pattern(et->conf_len, 0x99); // confounder
	body.insert(body.end(), inner.begin(), inner.end());
	kgss::seglist segs;
	segs.add_head(body.data(), body.size());
	bytes tag(et->cksum_len);
	CHECK_EQUAL(KGSS_S_COMPLETE, et->encrypt(k.get(), segs, tag.data()));
	kgss::enc_key_clear(k.get());
	bytes token = outer;
	token.insert(token.end(), body.begin(), body.end());
	token.insert(token.end(), tag.begin(), tag.end());
	return token;
}

bytes cat(std::initializer_list<bytes> parts)
{
	bytes out;
	for (const bytes &p : parts)
		out.insert(out.end(), p.begin(), p.end());
	return out;
}

std::unique_ptr<context> acceptor()
{
	ctx_spec s;
	s.etype = ETYPE;
	s.initiator = false;
	s.recv_seq = SEQ;
	std::unique_ptr<context> c(new context(s));
	CHECK_EQUAL(KGSS_S_COMPLETE, c->import_status);
	return c;
}

} // namespace

TEST_GROUP(rfc4121_crafted){};

TEST(rfc4121_crafted, baseline_matches_our_own_format)
{
	const bytes msg = pattern(40);
	bytes h = header(0x02, 0, 0, SEQ);
	bytes back;
	CHECK_EQUAL(KGSS_S_COMPLETE, unwrap(*acceptor(), seal(h, cat({msg, h})), &back));
	CHECK(back == msg);
}

TEST(rfc4121_crafted, peer_ec_filler_is_accepted_and_removed)
{
	const bytes msg = pattern(40);
	for (uint16_t ec : {1, 5, 16, 300}) {
		bytes h = header(0x02, ec, 0, SEQ);
		bytes token = seal(h, cat({msg, bytes(ec, 0xFF), h}));
		bytes back;
		CHECK_EQUAL(KGSS_S_COMPLETE, unwrap(*acceptor(), token, &back));
		CHECK(back == msg);
		// The same token as HEADER | DATA | TRAILER: the trailer holds
		// E(filler | header copy) | tag, EC + 16 + 12 bytes.
		const size_t conf = 16, tail = ec + 16 + 12;
		iov_set r;
		r.add(KGSS_IOV_HEADER, bytes(token.begin(), token.begin() + 16 + conf));
		r.add(KGSS_IOV_DATA, bytes(token.begin() + 16 + conf, token.end() - tail));
		r.add(KGSS_IOV_TRAILER, bytes(token.end() - tail, token.end()));
		auto rx = acceptor();
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss_unwrap_iov(*rx, nullptr, nullptr, r.bind(), r.count()));
		CHECK(r.data() == msg);
	}
}

// CVE-2024-37370: the clear EC differs from the encrypted copy.
// DEFECTIVE_TOKEN on every path, as MIT 1.20 answers (checked live in
// tests/receive).
TEST(rfc4121_crafted, header_copy_must_match_the_clear_header)
{
	const bytes msg = pattern(40);
	bytes h = header(0x02, 0, 0, SEQ);
	struct {
		bytes copy;
		const char *what;
	} cases[] = {
		{header(0x02, 16, 0, SEQ), "EC"},
		{header(0x02, 0, 0, SEQ + 1), "SND_SEQ"},
		{header(0x03, 0, 0, SEQ), "flags"},
		{header(0x06, 0, 0, SEQ), "subkey flag"},
		{[] {
			 bytes c = header(0x02, 0, 0, SEQ);
			 c[3] = 0x00;
			 return c;
		 }(),
		 "filler"},
		{[] {
			 bytes c = header(0x02, 0, 0, SEQ);
			 c[0] = 0x04;
			 return c;
		 }(),
		 "TOK_ID"},
	};
	for (auto &c : cases) {
		bytes back;
		const bytes tok = seal(h, cat({msg, c.copy}));
		CHECK_EQUAL_TEXT(KGSS_S_DEFECTIVE_TOKEN, unwrap(*acceptor(), tok, &back), c.what);
		CHECK_TEXT(back.empty(), c.what);
		// and through kgss_unwrap_iov (STREAM | DATA, HEADER | DATA | TRAILER);
		// the decrypted message is zeroed.
		bytes s = tok;
		kgss_iov st[2] = {{KGSS_IOV_STREAM, {s.size(), s.data()}}, {KGSS_IOV_DATA, {0, nullptr}}};
		CHECK_EQUAL_TEXT(KGSS_S_DEFECTIVE_TOKEN, kgss_unwrap_iov(*acceptor(), nullptr, nullptr, st, 2), c.what);
		const size_t conf = 16, tail = 16 + 12;
		iov_set r;
		r.add(KGSS_IOV_HEADER, bytes(tok.begin(), tok.begin() + 16 + conf));
		r.add(KGSS_IOV_DATA, bytes(tok.begin() + 16 + conf, tok.end() - tail));
		r.add(KGSS_IOV_TRAILER, bytes(tok.end() - tail, tok.end()));
		CHECK_EQUAL_TEXT(KGSS_S_DEFECTIVE_TOKEN,
				 kgss_unwrap_iov(*acceptor(), nullptr, nullptr, r.bind(), r.count()), c.what);
		CHECK_TEXT(r.data() == bytes(msg.size(), 0), c.what);
	}
	// EC = 16 in the clear, 0 inside: the last 16 message bytes would be
	// taken for filler, i.e. the message truncated.
	bytes back;
	bytes h16 = header(0x02, 16, 0, SEQ);
	CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, unwrap(*acceptor(), seal(h16, cat({msg, h})), &back));
	CHECK(back.empty());
	// RRC is not compared (a rotation may change it; MIT does the same).
	CHECK_EQUAL(KGSS_S_COMPLETE, unwrap(*acceptor(), seal(h, cat({msg, header(0x02, 0, 28, SEQ)})), &back));
	CHECK(back == msg);
}

// CVE-2024-37371: decrypted data shorter than EC + 16.
TEST(rfc4121_crafted, plaintext_shorter_than_ec_plus_header)
{
	bytes back;
	for (size_t inner_len : {0, 1, 10, 15}) {
		bytes h = header(0x02, 0, 0, SEQ);
		CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, unwrap(*acceptor(), seal(h, pattern(inner_len)), &back));
	}
	// 16 bytes but EC = 8 in the header: EC + 16 > 16.
	bytes h8 = header(0x02, 8, 0, SEQ);
	CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, unwrap(*acceptor(), seal(h8, h8), &back));
	// Exactly EC + 16: an empty message with filler is fine.
	bytes h4 = header(0x02, 4, 0, SEQ);
	CHECK_EQUAL(KGSS_S_COMPLETE, unwrap(*acceptor(), seal(h4, cat({bytes(4, 0xFF), h4})), &back));
	CHECK(back.empty());
}
