// Hostile and malformed RFC 4121 tokens: every one gets a GSS status, no
// plaintext is released, and the context keeps working.  Each test names the
// CVE or rule it covers.
#include <CppUTest/TestHarness.h>

#include "token_util.h"

using namespace tt;

namespace {

constexpr uint32_t WINDOW = KGSS_OPT_REPLAY_DETECT | KGSS_OPT_SEQUENCE_DETECT;

// A fresh pair and a token from the initiator to the acceptor.
struct exchange {
	pair p;
	bytes msg, token;
	exchange(int32_t etype, bool conf, size_t n = 40, bool subkey = false, uint32_t flags = 0)
	    : p(etype, subkey, flags), msg(pattern(n, 0x77))
	{
		CHECK_EQUAL(KGSS_S_COMPLETE, wrap(*p.init, conf, msg, &token));
	}
	// The acceptor still accepts a fresh good token, with no window surprises.
	void still_works(bool conf)
	{
		bytes t, back;
		CHECK_EQUAL(KGSS_S_COMPLETE, wrap(*p.init, conf, msg, &t));
		CHECK_EQUAL(KGSS_S_COMPLETE, unwrap(*p.acc, t, &back));
		CHECK(back == msg);
	}
};

} // namespace

TEST_GROUP(rfc4121_attacks){};

TEST(rfc4121_attacks, reflected_token_wrong_direction)
{
	for (int conf = 0; conf <= 1; conf++) {
		exchange s(18, conf);
		bytes back, mic;
		// The initiator's own token sent back to it (SentByAcceptor clear).
		CHECK_EQUAL(KGSS_S_BAD_SIG, unwrap(*s.p.init, s.token, &back));
		// Flipping the flag in the clear does not help: it is covered.
		bytes flipped = s.token;
		flipped[2] ^= 0x01;
		CHECK_EQUAL(KGSS_S_BAD_SIG, unwrap(*s.p.acc, flipped, &back));
		CHECK(KGSS_ERROR(unwrap(*s.p.init, flipped, &back)));
		CHECK_EQUAL(KGSS_S_COMPLETE, get_mic(*s.p.acc, s.msg, &mic));
		CHECK_EQUAL(KGSS_S_BAD_SIG, verify_mic(*s.p.acc, s.msg, mic));
		CHECK_EQUAL(KGSS_S_COMPLETE, verify_mic(*s.p.init, s.msg, mic));
		s.still_works(conf);
	}
}

TEST(rfc4121_attacks, acceptor_subkey_flag_mismatch)
{
	// Same key bytes on both sides; only the AcceptorSubkey flag differs.
	// A token with the flag on a context without a subkey is checked under
	// the context key, as MIT does (k5unsealv3.c): here the same bytes, so it
	// verifies.  Without the flag on a context with a subkey, the context
	// key (another key here) is used: BAD_SIG.
	for (int conf = 0; conf <= 1; conf++) {
		bytes key = synthetic_key(17, 16);
		ctx_spec tx_s, rx_s;
		tx_s.key = rx_s.key = key;
		tx_s.initiator = false;
		rx_s.initiator = true;
		tx_s.acceptor_subkey = true;
		rx_s.acceptor_subkey = false;
		tx_s.send_seq = rx_s.recv_seq = 1;
		context tx(tx_s), rx(rx_s);
		bytes msg = pattern(30), token, back, mic;
		CHECK_EQUAL(KGSS_S_COMPLETE, wrap(tx, conf, msg, &token));
		CHECK_EQUAL(0x04, token[2] & 0x04);
		CHECK_EQUAL(KGSS_S_COMPLETE, unwrap(rx, token, &back));
		CHECK(back == msg);
		CHECK_EQUAL(KGSS_S_COMPLETE, get_mic(tx, msg, &mic));
		CHECK_EQUAL(KGSS_S_COMPLETE, verify_mic(rx, msg, mic));
		// and the other way round
		CHECK_EQUAL(KGSS_S_COMPLETE, wrap(rx, conf, msg, &token));
		CHECK_EQUAL(KGSS_S_BAD_SIG, unwrap(tx, token, &back));
	}
}

TEST(rfc4121_attacks, filler_bytes_must_be_ff)
{
	// Wrap: octet 3.
	for (int conf = 0; conf <= 1; conf++) {
		exchange s(17, conf);
		bytes t = s.token, back;
		t[3] = 0xFE;
		CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, unwrap(*s.p.acc, t, &back));
		s.still_works(conf);
	}
	// MIC: octets 3..7 (CVE-2025-57736).
	pair p(17, false);
	bytes msg = pattern(9), mic;
	CHECK_EQUAL(KGSS_S_COMPLETE, get_mic(*p.init, msg, &mic));
	for (int i = 3; i < 8; i++)
		for (uint8_t v : {0x00, 0xFE, 0x7F}) {
			bytes t = mic;
			t[i] = v;
			CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, verify_mic(*p.acc, msg, t));
		}
	CHECK_EQUAL(KGSS_S_COMPLETE, verify_mic(*p.acc, msg, mic));
}

TEST(rfc4121_attacks, sealed_flag_on_a_mic)
{
	pair p(19, false);
	bytes msg = pattern(9), mic;
	CHECK_EQUAL(KGSS_S_COMPLETE, get_mic(*p.init, msg, &mic));
	// MIT ignores Sealed on a MIC token, and so do we; the flags octet is
	// under the checksum, so setting it on a token in transit is BAD_SIG
	// (tests/receive: a MIC made with the flag verifies).
	mic[2] |= 0x02;
	CHECK_EQUAL(KGSS_S_BAD_SIG, verify_mic(*p.acc, msg, mic));
}

TEST(rfc4121_attacks, wrong_token_ids)
{
	exchange s(17, true);
	bytes back, mic;
	CHECK_EQUAL(KGSS_S_COMPLETE, get_mic(*s.p.init, s.msg, &mic));
	// RFC 1964 token IDs and swapped ones (CVE-2014-4341-style confusion).
	for (uint16_t id : {0x0201, 0x0101, 0x0405, 0x0404, 0x0000, 0x6082}) {
		bytes t = s.token;
		put_be16(t, 0, id);
		CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, unwrap(*s.p.acc, t, &back));
	}
	for (uint16_t id : {0x0101, 0x0504, 0x0204}) {
		bytes t = mic;
		put_be16(t, 0, id);
		CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, verify_mic(*s.p.acc, s.msg, t));
	}
	// A MIC where a Wrap is expected and vice versa.
	CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, unwrap(*s.p.acc, mic, &back));
	CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, verify_mic(*s.p.acc, s.msg, s.token));
	s.still_works(true);
}

// CVE-2024-37370: EC altered in the clear must not truncate or shift the
// message: the encrypted header copy pins it.
TEST(rfc4121_attacks, ec_changed_in_the_clear_sealed)
{
	for (size_t i : cfx_indices()) {
		exchange s(cfx_enctypes[i].etype, true, 64, false, WINDOW);
		for (uint16_t ec : {1, 2, 12, 16, 28, 63, 64, 1000, 0xFFFF}) {
			bytes t = s.token, back;
			put_be16(t, 4, ec);
			kgss_status st = unwrap(*s.p.acc, t, &back);
			CHECK(st == KGSS_S_BAD_SIG || st == KGSS_S_DEFECTIVE_TOKEN);
			CHECK(back.empty());
		}
		// The forged tokens moved no window: the real one is in order.
		bytes back;
		CHECK_EQUAL(KGSS_S_COMPLETE, unwrap(*s.p.acc, s.token, &back));
		CHECK(back == s.msg);
	}
}

// Integrity-only: EC is the checksum length and nothing else (it is zeroed
// in the checksummed header, so it must be checked on its own).  Plain
// kgss_unwrap answers as MIT's plain gss_unwrap: BAD_SIG, or DEFECTIVE_TOKEN
// when EC does not fit in the token; the IOV calls DEFECTIVE_TOKEN.
TEST(rfc4121_attacks, ec_of_integrity_token_must_be_checksum_length)
{
	exchange s(17, false);
	for (uint16_t ec : {0, 11, 13, 16, 0xFFFF}) {
		bytes t = s.token, back;
		put_be16(t, 4, ec);
		const size_t body = t.size() - 16;
		CHECK_EQUAL(ec <= body ? KGSS_S_BAD_SIG : KGSS_S_DEFECTIVE_TOKEN, unwrap(*s.p.acc, t, &back));
		CHECK(back.empty());
		kgss_iov st[2] = {{KGSS_IOV_STREAM, {t.size(), t.data()}}, {KGSS_IOV_DATA, {0, nullptr}}};
		CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, kgss_unwrap_iov(*s.p.acc, nullptr, nullptr, st, 2));
	}
	s.still_works(false);
}

// Sealed <-> integrity-only confusion by flipping the Sealed flag.
TEST(rfc4121_attacks, sealed_flag_flipped)
{
	for (int conf = 0; conf <= 1; conf++) {
		exchange s(18, conf);
		bytes t = s.token, back;
		t[2] ^= 0x02;
		CHECK(KGSS_ERROR(unwrap(*s.p.acc, t, &back)));
		s.still_works(conf);
	}
}

// §4.2.5: a receiver must handle any RRC, including rotations by the body
// length or more (taken modulo the body length).
TEST(rfc4121_attacks, rrc_variants)
{
	for (int conf = 0; conf <= 1; conf++) {
		exchange s(20, conf, 50, false, WINDOW);
		const size_t body = s.token.size() - 16;
		for (size_t rrc : {(size_t)1, (size_t)15, (size_t)16, (size_t)28, (size_t)40, (size_t)64, (size_t)65,
				   body - 1, body, body + 1, body + 70, 3 * body + 7, (size_t)0xFFFF}) {
			if (rrc > 0xFFFF)
				continue;
			bytes t = rotate_body_right(s.token, rrc);
			put_be16(t, 6, (uint16_t)rrc);
			bytes back;
			std::string where = "rrc=" + std::to_string(rrc);
			CHECK_EQUAL_TEXT(KGSS_S_COMPLETE,
					 unwrap(*s.p.acc, t, &back) & ~(uint32_t)KGSS_S_DUPLICATE_TOKEN, where.c_str());
			CHECK_TEXT(back == s.msg, where.c_str());
			// A wrong RRC (off by one) is not silently accepted.
			bytes wrong = t;
			put_be16(wrong, 6, (uint16_t)(rrc + 1));
			if ((rrc + 1) % body != rrc % body)
				CHECK_TEXT(KGSS_ERROR(unwrap(*s.p.acc, wrong, &back)), where.c_str());
		}
	}
}

// IOV layouts take exactly what MIT produces: RRC 0 with a TRAILER, RRC =
// trailer length without one; any other RRC or buffer length is defective.
TEST(rfc4121_attacks, iov_rrc_and_lengths_are_exact)
{
	for (int conf = 0; conf <= 1; conf++) {
		context tx([] {
			ctx_spec s;
			s.send_seq = 1;
			return s;
		}());
		iov_set w;
		w.add(KGSS_IOV_HEADER);
		w.add(KGSS_IOV_DATA, pattern(32));
		w.add(KGSS_IOV_TRAILER);
		CHECK_EQUAL(KGSS_S_COMPLETE, wrap_iov(tx, conf, w));
		ctx_spec rs;
		rs.initiator = false;
		rs.recv_seq = 1;
		{
			context rx(rs);
			iov_set r = receiver_copy(w);
			put_be16(r.store[0], 6, 28);
			CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, kgss_unwrap_iov(rx, nullptr, nullptr, r.bind(), r.count()));
		}
		{
			context rx(rs);
			iov_set r = receiver_copy(w);
			r.store[2].pop_back(); // short trailer
			CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, kgss_unwrap_iov(rx, nullptr, nullptr, r.bind(), r.count()));
		}
		{
			context rx(rs);
			iov_set r = receiver_copy(w);
			r.store[0].push_back(0); // long header
			CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, kgss_unwrap_iov(rx, nullptr, nullptr, r.bind(), r.count()));
		}
		{
			context rx(rs);
			iov_set r = receiver_copy(w);
			r.store[0].resize(15); // not even a header
			CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, kgss_unwrap_iov(rx, nullptr, nullptr, r.bind(), r.count()));
		}
		{
			// HEADER | DATA without a trailer but with RRC 0
			context rx(rs);
			iov_set r;
			r.add(KGSS_IOV_HEADER, w.store[0]);
			r.add(KGSS_IOV_DATA, w.store[1]);
			CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, kgss_unwrap_iov(rx, nullptr, nullptr, r.bind(), r.count()));
		}
		{
			// non-empty PADDING is not part of an RFC 4121 token
			context rx(rs);
			iov_set r = receiver_copy(w);
			r.types.push_back(KGSS_IOV_PADDING);
			r.store.push_back(bytes(4, 4));
			CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, kgss_unwrap_iov(rx, nullptr, nullptr, r.bind(), r.count()));
		}
		{
			context rx(rs);
			iov_set r = receiver_copy(w);
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss_unwrap_iov(rx, nullptr, nullptr, r.bind(), r.count()));
		}
	}
}

// CVE-2014-4341/4342, CVE-2009-4212, CVE-2024-37371: short tokens of every
// length fail cleanly; so does a token with bytes appended.
TEST(rfc4121_attacks, truncated_and_extended_tokens)
{
	for (size_t i : cfx_indices())
		for (int conf = 0; conf <= 1; conf++) {
			exchange s(cfx_enctypes[i].etype, conf, 20);
			bytes back;
			for (size_t n = 0; n < s.token.size(); n++) {
				bytes t(s.token.begin(), s.token.begin() + n);
				CHECK(KGSS_ERROR(unwrap(*s.p.acc, t, &back)));
			}
			bytes longer = s.token;
			longer.push_back(0);
			CHECK_EQUAL(KGSS_S_BAD_SIG, unwrap(*s.p.acc, longer, &back));
			// Short MIC tokens, including an empty checksum.
			bytes mic;
			CHECK_EQUAL(KGSS_S_COMPLETE, get_mic(*s.p.init, s.msg, &mic));
			for (size_t n = 0; n < mic.size(); n++)
				CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN,
					    verify_mic(*s.p.acc, s.msg, bytes(mic.begin(), mic.begin() + n)));
			bytes longmic = mic;
			longmic.push_back(0);
			CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, verify_mic(*s.p.acc, s.msg, longmic));
			s.still_works(conf);
		}
}

// Every single-bit change anywhere in a sealed token is rejected, with the
// working buffer left zeroed (checked by tt::unwrap).
TEST(rfc4121_attacks, tampered_bytes_release_nothing)
{
	for (int conf = 0; conf <= 1; conf++) {
		exchange s(25, conf, 33);
		for (size_t pos = 0; pos < s.token.size(); pos++) {
			if (pos == 6 || pos == 7)
				continue; // RRC: a valid change of rotation (see rrc_variants)
			bytes t = s.token, back;
			t[pos] ^= 0x10;
			std::string where = "pos " + std::to_string(pos);
			CHECK_TEXT(KGSS_ERROR(unwrap(*s.p.acc, t, &back)), where.c_str());
		}
		s.still_works(conf);
	}
}

// On a failed IOV unwrap the DATA buffers hold zeros once decryption began.
TEST(rfc4121_attacks, failed_iov_unwrap_zeroes_data)
{
	for (int trailer = 0; trailer <= 1; trailer++) {
		ctx_spec ts;
		ts.send_seq = 3;
		context tx(ts);
		iov_set w;
		w.add(KGSS_IOV_HEADER);
		w.add(KGSS_IOV_DATA, pattern(100));
		w.add(KGSS_IOV_DATA, pattern(4096, 1));
		if (trailer)
			w.add(KGSS_IOV_TRAILER);
		CHECK_EQUAL(KGSS_S_COMPLETE, wrap_iov(tx, true, w));
		ctx_spec rs;
		rs.initiator = false;
		rs.recv_seq = 3;
		context rx(rs);
		iov_set r = receiver_copy(w);
		r.store[2][4000] ^= 1;
		CHECK_EQUAL(KGSS_S_BAD_SIG, kgss_unwrap_iov(rx, nullptr, nullptr, r.bind(), r.count()));
		CHECK(r.store[1] == bytes(100, 0));
		CHECK(r.store[2] == bytes(4096, 0));
		iov_set good = receiver_copy(w);
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss_unwrap_iov(rx, nullptr, nullptr, good.bind(), good.count()));
		CHECK(good.store[2] == pattern(4096, 1));
	}
}

TEST(rfc4121_attacks, receive_window)
{
	exchange s(17, true, 10, false, WINDOW);
	bytes back, t2, t3;
	CHECK_EQUAL(KGSS_S_COMPLETE, unwrap(*s.p.acc, s.token, &back));
	CHECK_EQUAL(KGSS_S_COMPLETE | KGSS_S_DUPLICATE_TOKEN, unwrap(*s.p.acc, s.token, &back));
	CHECK_EQUAL(KGSS_S_COMPLETE, wrap(*s.p.init, true, s.msg, &t2));
	CHECK_EQUAL(KGSS_S_COMPLETE, wrap(*s.p.init, true, s.msg, &t3));
	CHECK_EQUAL(KGSS_S_COMPLETE | KGSS_S_GAP_TOKEN, unwrap(*s.p.acc, t3, &back));
	CHECK_EQUAL(KGSS_S_COMPLETE | KGSS_S_UNSEQ_TOKEN, unwrap(*s.p.acc, t2, &back));
	// Without the options (RPCSEC_GSS) the window reports nothing.
	exchange q(17, true, 10, false, 0);
	CHECK_EQUAL(KGSS_S_COMPLETE, unwrap(*q.p.acc, q.token, &back));
	CHECK_EQUAL(KGSS_S_COMPLETE, unwrap(*q.p.acc, q.token, &back));
}
