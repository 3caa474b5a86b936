// Round trips between an initiator and an acceptor built from the same
// synthetic lucid key: every RFC 4121 enctype, both directions, with and
// without an acceptor subkey, sealed and integrity-only, many sizes; and the
// token header fields RFC 4121 §4.2.6 prescribes.
#include <CppUTest/TestHarness.h>

#include "families.h"
#include "token_util.h"

using namespace tt;

namespace {

const size_t sizes[] = {0, 1, 15, 16, 17, 1000, 65539};

uint64_t be64(const bytes &t, size_t off)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | t[off + i];
	return v;
}

void one_direction(context &tx, context &rx, bool tx_is_acceptor, bool subkey, const cfx_enctype &e)
{
	for (int conf = 0; conf <= 1; conf++) {
		for (size_t n : sizes) {
			std::string where = "etype " + std::to_string(e.etype) +
					    (tx_is_acceptor ? " acc->init" : " init->acc") + (subkey ? " subkey" : "") +
					    (conf ? " conf" : " integ") + " n=" + std::to_string(n);
			bytes msg = pattern(n, (uint8_t)e.etype), token, back;
			uint64_t seq = tx.send_seq();
			CHECK_EQUAL_TEXT(KGSS_S_COMPLETE, wrap(tx, conf, msg, &token), where.c_str());
			CHECK_EQUAL_TEXT(seq + 1, tx.send_seq(), where.c_str());
			// §4.2.6.2 header
			const size_t want_len = conf ? 16 + e.conf_len + n + 16 + e.tag_len : 16 + n + e.tag_len;
			CHECK_EQUAL_TEXT(want_len, token.size(), where.c_str());
			CHECK_EQUAL_TEXT(0x0504, be16(token, 0), where.c_str());
			uint8_t want_flags = (tx_is_acceptor ? 0x01 : 0) | (conf ? 0x02 : 0) | (subkey ? 0x04 : 0);
			CHECK_EQUAL_TEXT(want_flags, token[2], where.c_str());
			CHECK_EQUAL_TEXT(0xFF, token[3], where.c_str());
			CHECK_EQUAL_TEXT(conf ? 0u : e.tag_len, be16(token, 4), where.c_str()); // EC
			CHECK_EQUAL_TEXT(0u, be16(token, 6), where.c_str()); // RRC: plain wrap has a trailer
			CHECK_EQUAL_TEXT(seq, be64(token, 8), where.c_str());
			if (conf && n >= 16) // the message does not appear in the clear
				CHECK_TEXT(std::search(token.begin(), token.end(), msg.begin(), msg.begin() + 16) ==
						   token.end(),
					   where.c_str());
			if (!conf) // integrity only: header | message | checksum
				CHECK_TEXT(std::equal(msg.begin(), msg.end(), token.begin() + 16), where.c_str());
			int conf_state = -1;
			CHECK_EQUAL_TEXT(KGSS_S_COMPLETE, unwrap(rx, token, &back, &conf_state), where.c_str());
			CHECK_TEXT(back == msg, where.c_str());
			CHECK_EQUAL_TEXT(conf, conf_state, where.c_str());

			// §4.2.6.1 MIC
			seq = tx.send_seq();
			CHECK_EQUAL_TEXT(KGSS_S_COMPLETE, get_mic(tx, msg, &token), where.c_str());
			CHECK_EQUAL_TEXT(16 + e.tag_len, token.size(), where.c_str());
			CHECK_EQUAL_TEXT(0x0404, be16(token, 0), where.c_str());
			CHECK_EQUAL_TEXT((tx_is_acceptor ? 0x01 : 0) | (subkey ? 0x04 : 0), token[2], where.c_str());
			for (int i = 3; i < 8; i++)
				CHECK_EQUAL_TEXT(0xFF, token[i], where.c_str());
			CHECK_EQUAL_TEXT(seq, be64(token, 8), where.c_str());
			CHECK_EQUAL_TEXT(KGSS_S_COMPLETE, verify_mic(rx, msg, token), where.c_str());
			if (n > 0) {
				bytes other = msg;
				other[n / 2] ^= 1;
				CHECK_EQUAL_TEXT(KGSS_S_BAD_SIG, verify_mic(rx, other, token), where.c_str());
			}
		}
	}
}

} // namespace

TEST_GROUP(rfc4121_roundtrip){};

TEST(rfc4121_roundtrip, every_enctype_both_roles_openssl)
{
	for (size_t i : cfx_indices()) {
		for (int subkey = 0; subkey <= 1; subkey++) {
			pair p(cfx_enctypes[i].etype, subkey);
			one_direction(*p.init, *p.acc, false, subkey, cfx_enctypes[i]);
			one_direction(*p.acc, *p.init, true, subkey, cfx_enctypes[i]);
		}
	}
}

// The same engine over the builtin backend, for each enctype it provides;
// tokens interoperate across backends.
TEST(rfc4121_roundtrip, builtin_backend_and_cross_backend)
{
	int ran = 0;
	for (size_t i : cfx_indices()) {
		const cfx_enctype &e = cfx_enctypes[i];
		ctx_spec si, sa;
		si.etype = sa.etype = e.etype;
		si.initiator = true;
		sa.initiator = false;
		si.send_seq = sa.recv_seq = 10;
		sa.send_seq = si.recv_seq = 20;
		si.crypto = kgss_crypto_builtin();
		context builtin_init(si);
		if (builtin_init.import_status == KGSS_S_UNAVAILABLE)
			continue; // enctype not in the builtin backend
		CHECK_EQUAL(KGSS_S_COMPLETE, builtin_init.import_status);
		context openssl_acc(sa); // OpenSSL
		CHECK_EQUAL(KGSS_S_COMPLETE, openssl_acc.import_status);
		one_direction(builtin_init, openssl_acc, false, false, e);
		one_direction(openssl_acc, builtin_init, true, false, e);
		ran++;
	}
	CHECK(ran >= 1 || !(kt::with_aes_sha1 || kt::with_aes_sha2 || kt::with_camellia));
}
