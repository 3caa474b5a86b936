// The plain kgss_unwrap of RFC 4121 Wrap tokens, where the message is
// copied out of the caller's token as the token is opened (the format's
// unwrap_to), or, for a rotated token whose output overlaps it, unwrapped
// in a copy of the token in place.  Every placement of output against
// input must give the message, and every damaged token the status that
// kgss_unwrap_iov(STREAM | DATA) gives for it, with the output cleared.
#include <CppUTest/TestHarness.h>
#include <string.h>

#include <string>
#include <vector>

#include "families.h"
#include "token_util.h"

using namespace tt;

namespace {

// Where output lies against input in one kgss_unwrap call.
enum placement { SEPARATE, SAME_BUFFER, OUTPUT_BEFORE_INPUT, OUTPUT_AFTER_INPUT };
const placement kPlacements[] = {SEPARATE, SAME_BUFFER, OUTPUT_BEFORE_INPUT, OUTPUT_AFTER_INPUT};
constexpr size_t kShift = 5; // bytes between input and output when they overlap shifted

const char *name_of(placement p)
{
	switch (p) {
	case SEPARATE:
		return "separate";
	case SAME_BUFFER:
		return "same buffer";
	case OUTPUT_BEFORE_INPUT:
		return "output 5 bytes before input";
	default:
		return "output 5 bytes after input";
	}
}

struct unwrap_result {
	kgss_status st;
	int conf_state;
	bytes out;          // the message (output->length bytes)
	bool rest_is_clear; // output bytes past the message, up to the token length, are zero
};

unwrap_result unwrap_placed(kgss_ctx *c, const bytes &token, placement p)
{
	const size_t n = token.size();
	bytes buf(n + kShift + 3, 0xEE);
	size_t in_off = 0, out_off = 0;
	if (p == OUTPUT_BEFORE_INPUT)
		in_off = kShift;
	else if (p == OUTPUT_AFTER_INPUT)
		out_off = kShift;
	bytes separate(n + 3, 0xEE);
	if (n)
		memcpy(buf.data() + in_off, token.data(), n);
	kgss_buffer in = {n, buf.data() + in_off};
	kgss_buffer out = p == SEPARATE ? kgss_buffer{separate.size(), separate.data()}
					: kgss_buffer{n + 3 - (p == SAME_BUFFER ? 3 : 0), buf.data() + out_off};
	unwrap_result r;
	r.conf_state = -1;
	kgss_buffer *outp = p == SAME_BUFFER ? &in : &out;
	r.st = kgss_unwrap(c, &in, outp, &r.conf_state, nullptr);
	const uint8_t *o = (const uint8_t *)outp->value;
	r.out.assign(o, o + outp->length);
	r.rest_is_clear = true;
	for (size_t i = outp->length; i < n; i++)
		r.rest_is_clear = r.rest_is_clear && o[i] == 0;
	return r;
}

// The reference status: kgss_unwrap_iov(STREAM | DATA) over a copy, with the
// one answer where MIT's plain gss_unwrap differs from its gss_unwrap_iov
// (live MIT 1.20, tests/receive): an integrity-only token whose EC is not the
// checksum length but fits in the token is BAD_SIG, not DEFECTIVE_TOKEN.
kgss_status plain_reference(kgss_ctx *c, const bytes &token, size_t cksum_len)
{
	bytes copy = token;
	kgss_iov iov[2] = {{KGSS_IOV_STREAM, {copy.size(), copy.data()}}, {KGSS_IOV_DATA, {0, nullptr}}};
	const kgss_status st = kgss_unwrap_iov(c, nullptr, nullptr, iov, 2);
	if (st == KGSS_S_DEFECTIVE_TOKEN && token.size() >= 16 && (token[2] & 0x02) == 0 &&
	    be16(token, 4) != cksum_len && be16(token, 4) <= token.size() - 16)
		return KGSS_S_BAD_SIG;
	return st;
}

// The token with its body rotated right by rrc % body length and RRC = rrc
// (what a sender without a TRAILER does, RFC 4121 §4.2.5).
bytes with_rrc(const bytes &token, uint16_t rrc)
{
	bytes t = rotate_body_right(token, rrc);
	put_be16(t, 6, rrc);
	return t;
}

} // namespace

TEST_GROUP(rfc4121_plain_unwrap){};

TEST(rfc4121_plain_unwrap, message_lands_in_every_placement)
{
	long cases = 0;
	const std::vector<size_t> compiled_in = cfx_indices(); // compiled-out ones: import UNAVAILABLE asserted
	for (size_t i : compiled_in) {
		const cfx_enctype &e = cfx_enctypes[i];
		pair p(e.etype, false);
		for (bool conf : {true, false}) {
			for (size_t len :
			     {(size_t)0, (size_t)1, (size_t)15, (size_t)16, (size_t)17, (size_t)100, (size_t)4100}) {
				const bytes msg = pattern(len, (uint8_t)len);
				bytes token;
				CHECK_EQUAL(KGSS_S_COMPLETE, wrap(*p.init, conf, msg, &token));
				const size_t body = token.size() - 16;
				const size_t tail = conf ? 16 + e.tag_len : e.tag_len; // EC = 0 sealed
				for (size_t rrc :
				     {(size_t)0, (size_t)12, tail, tail + e.conf_len, body, body + 7, (size_t)65535}) {
					const bytes t = with_rrc(token, (uint16_t)rrc);
					for (placement pl : kPlacements) {
						const std::string what = "etype " + std::to_string(e.etype) +
									 (conf ? " sealed" : " integrity") + " len " +
									 std::to_string(len) + " rrc " +
									 std::to_string(rrc) + ", " + name_of(pl);
						unwrap_result r = unwrap_placed(*p.acc, t, pl);
						CHECK_EQUAL_TEXT(KGSS_S_COMPLETE, r.st, what.c_str());
						CHECK_EQUAL_TEXT(conf ? 1 : 0, r.conf_state, what.c_str());
						CHECK_TEXT(r.out == msg, what.c_str());
						CHECK_TEXT(r.rest_is_clear,
							   ("token left behind the message: " + what).c_str());
						cases++;
					}
				}
			}
		}
	}
	// With every RFC 4121 family compiled out (scripts/test-families.sh b)
	// there is no token to open; otherwise every case must have run.
	CHECK(cases > 0 || compiled_in.empty());
}

// Every byte of a token damaged in turn (and the token cut short): the status
// of the STREAM path (as a plain call), output length 0 and every output byte cleared, in every
// placement; the context keeps unwrapping the intact token.
TEST(rfc4121_plain_unwrap, damaged_tokens_answer_as_the_stream_path)
{
	long cases = 0, rejected = 0;
	const std::vector<size_t> compiled_in = cfx_indices(); // compiled-out ones: import UNAVAILABLE asserted
	for (size_t i : compiled_in) {
		const cfx_enctype &e = cfx_enctypes[i];
		pair p(e.etype, false);
		for (bool conf : {true, false}) {
			const bytes msg = pattern(40, 3);
			bytes token;
			CHECK_EQUAL(KGSS_S_COMPLETE, wrap(*p.init, conf, msg, &token));
			for (uint16_t rrc : {(uint16_t)0, (uint16_t)28}) {
				const bytes good = with_rrc(token, rrc);
				std::vector<bytes> bad;
				for (size_t at = 0; at < good.size(); at++) {
					bytes t = good;
					t[at] ^= 0x21;
					bad.push_back(t);
				}
				for (size_t cut :
				     {(size_t)0, (size_t)1, (size_t)15, (size_t)16, (size_t)17, good.size() - 1})
					bad.push_back(bytes(good.begin(), good.begin() + (long)cut));
				for (const bytes &t : bad) {
					const kgss_status want = plain_reference(*p.acc, t, e.tag_len);
					for (placement pl : kPlacements) {
						const std::string what = "etype " + std::to_string(e.etype) +
									 (conf ? " sealed" : " integrity") + " rrc " +
									 std::to_string(rrc) + " len " +
									 std::to_string(t.size()) + ", " + name_of(pl);
						unwrap_result r = unwrap_placed(*p.acc, t, pl);
						CHECK_EQUAL_TEXT(want, r.st, what.c_str());
						if (KGSS_ERROR(want)) {
							CHECK_EQUAL_TEXT(0u, r.out.size(), what.c_str());
							CHECK_TEXT(r.rest_is_clear,
								   ("output not cleared: " + what).c_str());
							rejected++;
						}
						cases++;
					}
				}
				unwrap_result r = unwrap_placed(*p.acc, good, SEPARATE);
				CHECK_EQUAL(KGSS_S_COMPLETE, r.st);
				CHECK(r.out == msg);
			}
		}
	}
	CHECK(cases > 0 || compiled_in.empty());
	CHECK(rejected > 0 || compiled_in.empty());
}
