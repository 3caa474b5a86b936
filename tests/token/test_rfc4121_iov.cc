// IOV layouts (MIT gss_wrap_iov semantics).  Two sender contexts imported
// alike (same key, sequence number and PRNG seed) produce identical tokens,
// so every IOV layout is checked byte for byte against the plain kgss_wrap
// token: there is one token format whatever the buffers look like.
#include <CppUTest/TestHarness.h>

#include "families.h"
#include "token_util.h"

using namespace tt;

namespace {

ctx_spec sender(int32_t etype, bool initiator = true)
{
	ctx_spec s;
	s.etype = etype;
	s.initiator = initiator;
	s.send_seq = 300;
	s.prng_seed = 99;
	return s;
}

ctx_spec receiver(int32_t etype, bool initiator = false)
{
	ctx_spec s;
	s.etype = etype;
	s.initiator = initiator;
	s.recv_seq = 300;
	return s;
}

// The plain token of a twin sender.
bytes plain_token(int32_t etype, bool conf, const bytes &msg)
{
	context twin(sender(etype));
	bytes t;
	CHECK_EQUAL(KGSS_S_COMPLETE, wrap(twin, conf, msg, &t));
	return t;
}

// Wraps s with a fresh sender; checks the wire bytes equal the plain token
// (after undoing the RRC rotation when there is no TRAILER); unwraps a copy
// with the same split and checks the message comes back.
void check_layout(int32_t etype, bool conf, iov_set &s, const std::string &where)
{
	const bytes msg = s.data();
	context tx(sender(etype));
	CHECK_EQUAL_TEXT(KGSS_S_COMPLETE, wrap_iov(tx, conf, s), where.c_str());
	bytes wire = s.wire();
	bytes plain = plain_token(etype, conf, msg);
	CHECK_EQUAL_TEXT(plain.size(), wire.size(), where.c_str());
	bool has_trailer = false;
	for (uint32_t t : s.types)
		has_trailer |= t == KGSS_IOV_TRAILER;
	const cfx_enctype &e = cfx(etype);
	const size_t tail = conf ? 16 + e.tag_len : e.tag_len;
	uint16_t rrc = be16(wire, 6);
	if (has_trailer) {
		CHECK_EQUAL_TEXT(0, rrc, where.c_str());
		STRCMP_EQUAL_TEXT(kt::to_hex(plain).c_str(), kt::to_hex(wire).c_str(), where.c_str());
	} else {
		// §4.2.5: the trailer travels after the header: RRC = its length and
		// the wire is the plain token rotated right by RRC.
		CHECK_EQUAL_TEXT(tail, rrc, where.c_str());
		bytes expect = rotate_body_right(plain, rrc);
		put_be16(expect, 6, rrc);
		STRCMP_EQUAL_TEXT(kt::to_hex(expect).c_str(), kt::to_hex(wire).c_str(), where.c_str());
		CHECK_EQUAL_TEXT(16 + tail + (conf ? e.conf_len : 0), s.store[s.index_of(KGSS_IOV_HEADER)].size(),
				 where.c_str());
	}

	// IOV unwrap, same split.
	{
		context rx(receiver(etype));
		iov_set r = receiver_copy(s);
		int cs = -1;
		CHECK_EQUAL_TEXT(KGSS_S_COMPLETE, kgss_unwrap_iov(rx, &cs, nullptr, r.bind(), r.count()),
				 where.c_str());
		CHECK_EQUAL_TEXT(conf ? 1 : 0, cs, where.c_str());
		CHECK_TEXT(r.data() == msg, where.c_str());
	}
	// The wire bytes as one token (STREAM, with whatever RRC).
	{
		context rx(receiver(etype));
		bytes back;
		CHECK_EQUAL_TEXT(KGSS_S_COMPLETE, unwrap(rx, wire, &back), where.c_str());
		CHECK_TEXT(back == msg, where.c_str());
	}
}

} // namespace

TEST_GROUP(rfc4121_iov){};

TEST(rfc4121_iov, header_data_padding_trailer)
{
	for (size_t i : cfx_indices())
		for (int conf = 0; conf <= 1; conf++) {
			iov_set s;
			s.add(KGSS_IOV_HEADER);
			s.add(KGSS_IOV_DATA, pattern(77));
			s.add(KGSS_IOV_PADDING);
			s.add(KGSS_IOV_TRAILER);
			check_layout(cfx_enctypes[i].etype, conf, s,
				     "standard " + std::to_string(cfx_enctypes[i].etype));
			CHECK_EQUAL(0u, s.store[2].size()); // RFC 4121 needs no padding
		}
}

TEST(rfc4121_iov, no_trailer_means_rrc)
{
	for (size_t i : cfx_indices())
		for (int conf = 0; conf <= 1; conf++)
			for (size_t n : {0, 1, 33, 4096}) {
				iov_set s;
				s.add(KGSS_IOV_HEADER);
				s.add(KGSS_IOV_DATA, pattern(n, 3));
				check_layout(cfx_enctypes[i].etype, conf, s, "no trailer n=" + std::to_string(n));
			}
}

TEST(rfc4121_iov, nfs_like_split)
{
	for (int32_t etype : kt::compiled_in({17, 18, 20, 26}))
		for (int conf = 0; conf <= 1; conf++)
			for (int k : {0, 1, 16})
				for (int trailer = 0; trailer <= 1; trailer++) {
					iov_set s;
					s.add(KGSS_IOV_HEADER);
					s.add(KGSS_IOV_DATA, pattern(100, 1));
					for (int j = 0; j < k; j++)
						s.add(KGSS_IOV_DATA, pattern(4096, (uint8_t)(j + 2)));
					s.add(KGSS_IOV_DATA, pattern(3, 9));
					if (trailer)
						s.add(KGSS_IOV_TRAILER);
					check_layout(etype, conf, s, "nfs k=" + std::to_string(k));
				}
}

TEST(rfc4121_iov, one_byte_and_empty_pieces)
{
	for (int32_t etype : kt::compiled_in({17, 19, 25}))
		for (int conf = 0; conf <= 1; conf++) {
			iov_set ones;
			ones.add(KGSS_IOV_HEADER);
			bytes msg = pattern(53, 7);
			for (uint8_t b : msg)
				ones.add(KGSS_IOV_DATA, bytes(1, b));
			ones.add(KGSS_IOV_TRAILER);
			check_layout(etype, conf, ones, "one-byte pieces");

			iov_set empties;
			empties.add(KGSS_IOV_EMPTY);
			empties.add(KGSS_IOV_HEADER);
			empties.add(KGSS_IOV_DATA);
			empties.add(KGSS_IOV_DATA, pattern(20));
			empties.add(KGSS_IOV_EMPTY);
			empties.add(KGSS_IOV_DATA);
			empties.add(KGSS_IOV_DATA, pattern(5));
			empties.add(KGSS_IOV_SIGN_ONLY);
			empties.add(KGSS_IOV_DATA);
			empties.add(KGSS_IOV_TRAILER);
			check_layout(etype, conf, empties, "empty pieces");

			iov_set nothing; // no message at all
			nothing.add(KGSS_IOV_HEADER);
			nothing.add(KGSS_IOV_TRAILER);
			check_layout(etype, conf, nothing, "no DATA");
		}
}

// SIGN_ONLY buffers are protected but neither encrypted nor sent; their
// position among the DATA buffers matters.
TEST(rfc4121_iov, sign_only_before_and_after_data)
{
	for (size_t i : cfx_indices())
		for (int conf = 0; conf <= 1; conf++)
			for (int trailer = 0; trailer <= 1; trailer++) {
				const int32_t etype = cfx_enctypes[i].etype;
				const bytes before = pattern(13, 0x51), after = pattern(40, 0x52),
					    msg = pattern(100, 0x53);
				iov_set s;
				s.add(KGSS_IOV_SIGN_ONLY, before);
				s.add(KGSS_IOV_HEADER);
				s.add(KGSS_IOV_DATA, msg);
				s.add(KGSS_IOV_SIGN_ONLY, after);
				if (trailer)
					s.add(KGSS_IOV_TRAILER);
				context tx(sender(etype));
				CHECK_EQUAL(KGSS_S_COMPLETE, wrap_iov(tx, conf, s));
				CHECK(s.store[0] == before);
				CHECK(s.store[3] == after);
				CHECK((s.store[2] == msg) == !conf);

				context rx(receiver(etype));
				iov_set r = receiver_copy(s);
				int cs = -1;
				CHECK_EQUAL(KGSS_S_COMPLETE, kgss_unwrap_iov(rx, &cs, nullptr, r.bind(), r.count()));
				CHECK(r.store[2] == msg);

				// A changed associated-data byte fails, and leaves no plaintext.
				for (size_t which : {0u, 3u}) {
					context rx2(receiver(etype));
					iov_set bad = receiver_copy(s);
					bad.store[which][1] ^= 0x80;
					CHECK_EQUAL(KGSS_S_BAD_SIG,
						    kgss_unwrap_iov(rx2, &cs, nullptr, bad.bind(), bad.count()));
					if (conf)
						CHECK(bad.store[2] == bytes(msg.size(), 0));
				}
				// Swapping the two SIGN_ONLY buffers changes the signed message.
				{
					context rx3(receiver(etype));
					iov_set swapped;
					swapped.add(KGSS_IOV_SIGN_ONLY, after);
					swapped.add(KGSS_IOV_HEADER, s.store[1]);
					swapped.add(KGSS_IOV_DATA, s.store[2]);
					swapped.add(KGSS_IOV_SIGN_ONLY, before);
					if (trailer)
						swapped.add(KGSS_IOV_TRAILER, s.store[4]);
					CHECK_EQUAL(KGSS_S_BAD_SIG, kgss_unwrap_iov(rx3, &cs, nullptr, swapped.bind(),
										    swapped.count()));
				}
				// The token (without the SIGN_ONLY bytes) also opens as a STREAM,
				// with the SIGN_ONLY buffers passed alongside.
				{
					context rx4(receiver(etype));
					bytes wire = s.wire();
					bytes b0 = before, b1 = after;
					kgss_iov v[4] = {{KGSS_IOV_SIGN_ONLY, {b0.size(), b0.data()}},
							 {KGSS_IOV_STREAM, {wire.size(), wire.data()}},
							 {KGSS_IOV_DATA, {0, nullptr}},
							 {KGSS_IOV_SIGN_ONLY, {b1.size(), b1.data()}}};
					CHECK_EQUAL(KGSS_S_COMPLETE, kgss_unwrap_iov(rx4, &cs, nullptr, v, 4));
					CHECK_EQUAL(msg.size(), v[2].buffer.length);
					CHECK(bytes((uint8_t *)v[2].buffer.value,
						    (uint8_t *)v[2].buffer.value + msg.size()) == msg);
				}
			}
}

TEST(rfc4121_iov, stream_points_data_inside_the_token)
{
	for (int conf = 0; conf <= 1; conf++)
		for (size_t rrc : {0, 28, 5}) {
			bytes msg = pattern(64, 4);
			bytes token = plain_token(17, conf, msg);
			token = rotate_body_right(token, rrc);
			put_be16(token, 6, (uint16_t)rrc);
			context rx(receiver(17));
			kgss_iov v[2] = {{KGSS_IOV_STREAM, {token.size(), token.data()}},
					 {KGSS_IOV_DATA, {0, nullptr}}};
			int cs = -1;
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss_unwrap_iov(rx, &cs, nullptr, v, 2));
			uint8_t *p = (uint8_t *)v[1].buffer.value;
			CHECK(p >= token.data() + 16 && p + v[1].buffer.length <= token.data() + token.size());
			CHECK(bytes(p, p + v[1].buffer.length) == msg);
		}
}

TEST(rfc4121_iov, stream_needs_exactly_one_data_buffer)
{
	bytes token = plain_token(17, true, pattern(10));
	context rx(receiver(17));
	uint8_t x[4];
	kgss_iov none[1] = {{KGSS_IOV_STREAM, {token.size(), token.data()}}};
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_unwrap_iov(rx, nullptr, nullptr, none, 1));
	kgss_iov two[3] = {{KGSS_IOV_STREAM, {token.size(), token.data()}},
			   {KGSS_IOV_DATA, {0, nullptr}},
			   {KGSS_IOV_DATA, {4, x}}};
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_unwrap_iov(rx, nullptr, nullptr, two, 3));
	kgss_iov with_header[3] = {{KGSS_IOV_HEADER, {4, x}},
				   {KGSS_IOV_STREAM, {token.size(), token.data()}},
				   {KGSS_IOV_DATA, {0, nullptr}}};
	CHECK_EQUAL(KGSS_S_FAILURE, kgss_unwrap_iov(rx, nullptr, nullptr, with_header, 3));
}

// get_mic_iov over split buffers and SIGN_ONLY equals the plain MIC of the
// concatenation (DATA and SIGN_ONLY are both just "the message" for a MIC).
TEST(rfc4121_iov, mic_over_pieces_equals_plain_mic)
{
	for (size_t i : cfx_indices()) {
		const int32_t etype = cfx_enctypes[i].etype;
		bytes a = pattern(100, 1), b = pattern(4096, 2), c3 = pattern(3, 3);
		bytes all = a;
		all.insert(all.end(), b.begin(), b.end());
		all.insert(all.end(), c3.begin(), c3.end());
		bytes plain;
		{
			context twin(sender(etype));
			CHECK_EQUAL(KGSS_S_COMPLETE, get_mic(twin, all, &plain));
		}
		context tx(sender(etype));
		bytes mic(64, 0xEE);
		kgss_iov v[5] = {{KGSS_IOV_DATA, {a.size(), a.data()}},
				 {KGSS_IOV_MIC_TOKEN, {mic.size(), mic.data()}},
				 {KGSS_IOV_SIGN_ONLY, {b.size(), b.data()}},
				 {KGSS_IOV_EMPTY, {0, nullptr}},
				 {KGSS_IOV_DATA, {c3.size(), c3.data()}}};
		kgss_iov lenq[1] = {{KGSS_IOV_MIC_TOKEN, {0, nullptr}}};
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss_get_mic_iov_length(tx, 0, lenq, 1));
		CHECK_EQUAL(plain.size(), lenq[0].buffer.length);
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss_get_mic_iov(tx, 0, v, 5));
		CHECK_EQUAL(plain.size(), v[1].buffer.length);
		mic.resize(v[1].buffer.length);
		CHECK(mic == plain);
		CHECK(bytes(b) == pattern(4096, 2)); // MIC never changes the message

		context rx(receiver(etype));
		uint32_t qop = 5;
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss_verify_mic_iov(rx, &qop, v, 5));
		CHECK_EQUAL(0u, qop);
		b[4095] ^= 1;
		context rx2(receiver(etype));
		CHECK_EQUAL(KGSS_S_BAD_SIG, kgss_verify_mic_iov(rx2, &qop, v, 5));
	}
}

// kgss.h: on unwrap failure no plaintext is released.  A sealed Wrap whose
// check fails leaves zeros in DATA; an integrity-only Wrap (RFC 4121 §4.2.4,
// Sealed clear) leaves DATA exactly as received (those bytes crossed the wire
// in the clear; MIT does the same and tests/interop asserts it against MIT
// tokens).  kgss.h used to promise zeros for both.
TEST(rfc4121_iov, failed_check_zeroes_sealed_data_and_keeps_integrity_data)
{
	for (size_t i : cfx_indices())
		for (int conf = 0; conf <= 1; conf++)
			for (int with_trailer = 0; with_trailer <= 1; with_trailer++)
				for (int forge = 0; forge < 2;
				     forge++) { // 0: last checksum byte, 1: first message byte
					const int32_t et = cfx_enctypes[i].etype;
					iov_set s;
					s.add(KGSS_IOV_HEADER);
					s.add(KGSS_IOV_DATA, pattern(20, 1));
					s.add(KGSS_IOV_DATA, pattern(13, 2));
					if (with_trailer)
						s.add(KGSS_IOV_TRAILER);
					const bytes msg = s.data();
					context tx(sender(et));
					CHECK_EQUAL(KGSS_S_COMPLETE, wrap_iov(tx, conf, s));
					iov_set r = receiver_copy(s);
					if (forge == 0) {
						bytes &b = with_trailer ? r.store[3] : r.store[0];
						size_t at = with_trailer
								    ? b.size() - 1
								    : 16; // no TRAILER: the tail follows the header
						b[at] ^= 0x01;
					} else {
						r.store[1][0] ^= 0x80;
					}
					const bytes as_received = r.data();
					context rx(receiver(et));
					int cs = -1;
					const std::string where = "etype " + std::to_string(et) + " conf " +
								  std::to_string(conf) + " trailer " +
								  std::to_string(with_trailer) + " forge " +
								  std::to_string(forge);
					kgss_status st = kgss_unwrap_iov(rx, &cs, nullptr, r.iov.data(), r.count());
					CHECK_EQUAL_TEXT(KGSS_S_BAD_SIG, st, where.c_str());
					CHECK_EQUAL_TEXT(0, cs, where.c_str());
					CHECK_TEXT(r.data() == (conf ? bytes(33, 0) : as_received), where.c_str());
					// The untouched token still unwraps afterwards.
					iov_set good = receiver_copy(s);
					CHECK_EQUAL_TEXT(
						KGSS_S_COMPLETE,
						kgss_unwrap_iov(rx, &cs, nullptr, good.iov.data(), good.count()),
						where.c_str());
					CHECK_TEXT(good.data() == msg, where.c_str());
				}
}
