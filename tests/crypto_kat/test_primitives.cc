// tests/crypto_kat/test_primitives.cc - n-fold (RFC 3961 A.1), CBC-CTS over
// segments (RFC 3962 B), HMAC (RFC 2202, RFC 4231, MIT t_hmac.c), CMAC
// (RFC 4493 with AES-128, MIT t_cmac.c with Camellia-128), on every backend.
#include <CppUTest/TestHarness.h>

#include <cstring>

#include "crypto/kdf.h"
#include "crypto/mac.h"
#include "crypto/nfold.h"
#include "crypto/seg_cipher.h"
#include "kat_util.h"

using kt::bytes;
using kt::hex;
using kt::to_hex;

TEST_GROUP(kat_nfold){};

TEST(kat_nfold, rfc3961_appendix_a1)
{
	auto v = kt::load_vectors("rfc3961_nfold.txt");
	CHECK(!v.empty());
	for (auto &b : v) {
		bytes in = b.hexf("input_hex"), want = b.hexf("output");
		size_t n = (size_t)b.num("bits") / 8;
		CHECK_EQUAL(want.size(), n);
		bytes out(n);
		CHECK(kgss::nfold(in.data(), in.size(), out.data(), n));
		STRCMP_EQUAL(to_hex(want).c_str(), to_hex(out).c_str());
		katu::count("nfold", std::to_string(n * 8) + "-fold", "core");
	}
	CHECK_EQUAL((long)v.size(), katu::total("nfold"));
}

// ---- CBC-CTS ---------------------------------------------------------------------

// Runs CTS over `data` split into pieces of `piece` bytes (0 = one segment).
static kgss_status cts_run(const kgss::cipher_key *k, bytes &data, bool decrypt, size_t piece, uint8_t iv_out[16])
{
	std::vector<kgss_iov> iov;
	if (piece == 0)
		iov.push_back({KGSS_IOV_DATA, {data.size(), data.data()}});
	else
		for (size_t o = 0; o < data.size(); o += piece) {
			size_t n = std::min(piece, data.size() - o);
			iov.push_back({KGSS_IOV_DATA, {n, data.data() + o}});
			iov.push_back({KGSS_IOV_DATA, {0, data.data() + o}}); // empty piece
		}
	kgss::seglist sl;
	sl.set_iov(iov.data(), iov.size());
	kgss::seg_cipher c;
	kgss_status st = kgss::seg_cipher_init_block(&c, sl, kgss::SEGC_CTS, k, decrypt);
	if (st == KGSS_S_COMPLETE)
		st = kgss::seg_cipher_all(&c);
	memcpy(iv_out, c.iv, 16);
	return st;
}

TEST_GROUP(kat_cts){};

TEST(kat_cts, rfc3962_appendix_b)
{
	auto v = kt::load_vectors("rfc3962_cts.txt");
	for (auto &b : v) {
		STRCMP_EQUAL("aes128", b.get("cipher").c_str());
		CHECK(kt::hex(b.get("iv")) == bytes(16, 0)); // Kerberos: IV zero
		bytes key = b.hexf("key"), in = b.hexf("input"), out = b.hexf("output"), niv = b.hexf("next_iv");
		for (auto &be : katu::backends()) {
			if (!be.be->aes128) {
				katu::count_unavailable("cts", "aes128", be.label);
				continue;
			}
			kgss::cipher_key k;
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss::cipher_key_init(&k, be.be->aes128, key.data(), key.size()));
			for (size_t piece : {0, 1, 5, 16, 17}) {
				uint8_t iv[16];
				bytes d = in;
				CHECK_EQUAL(KGSS_S_COMPLETE, cts_run(&k, d, false, piece, iv));
				STRCMP_EQUAL(to_hex(out).c_str(), to_hex(d).c_str());
				STRCMP_EQUAL(to_hex(niv).c_str(), to_hex(iv, 16).c_str());
				CHECK_EQUAL(KGSS_S_COMPLETE, cts_run(&k, d, true, piece, iv));
				STRCMP_EQUAL(to_hex(in).c_str(), to_hex(d).c_str());
				STRCMP_EQUAL(to_hex(niv).c_str(), to_hex(iv, 16).c_str());
			}
			kgss::cipher_key_clear(&k);
			katu::count("cts", "aes128", be.label);
		}
	}
}

TEST(kat_cts, shorter_than_a_block_is_defective)
{
	for (auto &be : katu::backends()) {
		if (!be.be->aes128)
			continue;
		kgss::cipher_key k;
		uint8_t key[16] = {0};
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss::cipher_key_init(&k, be.be->aes128, key, 16));
		for (size_t n = 0; n < 16; n++) {
			bytes d(n, 7);
			uint8_t iv[16];
			CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, cts_run(&k, d, false, 0, iv));
		}
		kgss::cipher_key_clear(&k);
	}
}

// ---- HMAC ---------------------------------------------------------------------------

struct hmac_case {
	const char *src;
	const char *key;                    // hex, or "rep:<byte>:<count>"
	const char *data;                   // hex, or "rep:..." , or "str:<ascii>"
	const char *sha1, *sha256, *sha384; // expected (sha256/384 may be truncated: RFC 4231 case 5)
};

static bytes expand(const std::string &s)
{
	if (s.compare(0, 4, "str:") == 0)
		return bytes(s.begin() + 4, s.end());
	if (s.compare(0, 4, "rep:") == 0) {
		unsigned v = 0, n = 0;
		sscanf(s.c_str() + 4, "%x:%u", &v, &n);
		return bytes(n, (uint8_t)v);
	}
	return hex(s);
}

// RFC 2202 §3 (HMAC-SHA-1 cases 1-7) and RFC 4231 §4.2-4.8 (HMAC-SHA-256/384
// cases 1-7; case 5 is truncated to 128 bits), typed in from the RFCs.
// RFC 2202 cases 6/7 use an 80-byte key, RFC 4231 cases 6/7 a 131-byte key,
// so the SHA-1 and SHA-2 columns of rows 6/7 come from separate rows.
static const hmac_case kHmacCases[] = {
	{"RFC 2202 #1 / RFC 4231 #1", "rep:0b:20", "str:Hi There", "b617318655057264e28bc0b6fb378c8ef146be00",
	 "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
	 "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6"},
	{"RFC 2202 #2 / RFC 4231 #2", "str:Jefe", "str:what do ya want for nothing?",
	 "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	 "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649"},
	{"RFC 2202 #3 / RFC 4231 #3", "rep:aa:20", "rep:dd:50", "125d7342b9ac11cd91a39af48aa17b4f63f175d3",
	 "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
	 "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27"},
	{"RFC 2202 #4 / RFC 4231 #4", "0102030405060708090a0b0c0d0e0f10111213141516171819", "rep:cd:50",
	 "4c9007f4026250c6bc8414f9bf50c86c2d7235da", "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
	 "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb"},
	{"RFC 2202 #5 / RFC 4231 #5 (truncated)", "rep:0c:20", "str:Test With Truncation",
	 "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04", "a3b6167473100ee06e0c796c2955552b",
	 "3abf34c3503b2a23a46efc619baef897"},
	{"RFC 2202 #6", "rep:aa:80", "str:Test Using Larger Than Block-Size Key - Hash Key First",
	 "aa4ae5e15272d00e95705637ce8a3b55ed402112", nullptr, nullptr},
	{"RFC 2202 #7", "rep:aa:80", "str:Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data",
	 "e8e99d0f45237d786d6bbaa7965c7808bbff1a91", nullptr, nullptr},
	{"RFC 4231 #6", "rep:aa:131", "str:Test Using Larger Than Block-Size Key - Hash Key First", nullptr,
	 "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
	 "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952"},
	{"RFC 4231 #7", "rep:aa:131",
	 "str:This is a test using a larger than block-size key and a larger than block-size data. The key needs to "
	 "be hashed before being used by the HMAC algorithm.",
	 nullptr, "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
	 "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c46523e"},
};

// HMAC through hmac_key (precomputed pads, data fed in pieces) and through
// hmac_raw (kdf.h); both must give `want` (compared on want's length).
static void check_hmac(const char *what, const char *label, const kgss_hash_class *h, const bytes &key,
		       const bytes &data, const bytes &want)
{
	kgss::hmac_key k;
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss::hmac_key_init(&k, h, key.data(), key.size()));
	for (size_t piece : {0, 1, 7, 64}) {
		kgss::hmac_run r;
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss::hmac_begin(&r, &k));
		if (piece == 0)
			kgss::hmac_update(&r, data.data(), data.size());
		else
			for (size_t o = 0; o < data.size(); o += piece)
				kgss::hmac_update(&r, data.data() + o, std::min(piece, data.size() - o));
		bytes out(h->digest_size);
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss::hmac_end(&r, out.data()));
		out.resize(want.size());
		STRCMP_EQUAL(to_hex(want).c_str(), to_hex(out).c_str());
	}
	kgss::hmac_key_clear(&k);
	kgss::span part = {data.data(), data.size()};
	bytes out(h->digest_size);
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss::hmac_raw(h, key.data(), key.size(), &part, 1, out.data()));
	out.resize(want.size());
	STRCMP_EQUAL(to_hex(want).c_str(), to_hex(out).c_str());
}

TEST_GROUP(kat_hmac){};

TEST(kat_hmac, rfc2202_rfc4231)
{
	for (auto &c : kHmacCases) {
		bytes key = expand(c.key), data = expand(c.data);
		for (auto &be : katu::backends()) {
			struct {
				const kgss_hash_class *h;
				const char *want, *name;
			} cols[] = {{be.be->sha1, c.sha1, "hmac-sha1"},
				    {be.be->sha256, c.sha256, "hmac-sha256"},
				    {be.be->sha384, c.sha384, "hmac-sha384"}};
			for (auto &col : cols) {
				if (!col.want)
					continue;
				if (!col.h) {
					katu::count_unavailable("hmac rfc2202/4231", col.name, be.label);
					continue;
				}
				check_hmac("hmac rfc2202/4231", col.name, col.h, key, data, hex(col.want));
				katu::count("hmac rfc2202/4231", col.name, be.label);
			}
		}
	}
}

TEST(kat_hmac, mit_t_hmac_md5)
{
	auto v = kt::load_vectors("mit_hmac.txt");
	for (auto &b : v) {
		STRCMP_EQUAL("md5", b.get("hash").c_str());
		for (auto &be : katu::backends()) {
			if (!be.be->md5) {
				katu::count_unavailable("hmac mit_hmac", "hmac-md5", be.label);
				continue;
			}
			check_hmac("hmac mit_hmac", "hmac-md5", be.be->md5, b.hexf("key"), b.hexf("input"),
				   b.hexf("output"));
			katu::count("hmac mit_hmac", "hmac-md5", be.label);
		}
	}
}

// ---- CMAC ---------------------------------------------------------------------------

static void check_cmac(const kgss_block_cipher_class *c, const bytes &key, const bytes &msg, const bytes &want)
{
	kgss::cmac_key k;
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss::cmac_key_init(&k, c, key.data(), key.size()));
	for (size_t piece : {0, 1, 15, 16, 17}) {
		kgss::cmac_run r;
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss::cmac_begin(&r, &k));
		if (piece == 0)
			kgss::cmac_update(&r, msg.data(), msg.size());
		else
			for (size_t o = 0; o < msg.size(); o += piece) {
				kgss::cmac_update(&r, msg.data() + o, std::min(piece, msg.size() - o));
				kgss::cmac_update(&r, msg.data() + o, 0);
			}
		uint8_t out[16];
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss::cmac_end(&r, out));
		STRCMP_EQUAL(to_hex(want).c_str(), to_hex(out, 16).c_str());
	}
	kgss::cmac_key_clear(&k);
}

TEST_GROUP(kat_cmac){};

// RFC 4493 §4 examples 1-4 (AES-128), typed in from the RFC, plus the
// subkeys of §4 ("Subkey Generation").
TEST(kat_cmac, rfc4493_aes128)
{
	const bytes key = hex("2b7e151628aed2a6abf7158809cf4f3c");
	const bytes m64 = hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
			      "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710");
	const struct {
		size_t len;
		const char *tag;
	} ex[] = {{0, "bb1d6929e95937287fa37d129b756746"},
		  {16, "070a16b46b4d4144f79bdd9dd04a287c"},
		  {40, "dfa66747de9ae63030ca32611497c827"},
		  {64, "51f0bebf7e3b9d92fc49741779363cfe"}};
	for (auto &be : katu::backends()) {
		if (!be.be->aes128) {
			katu::count_unavailable("cmac rfc4493", "aes128", be.label);
			continue;
		}
		kgss::cmac_key k;
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss::cmac_key_init(&k, be.be->aes128, key.data(), key.size()));
		STRCMP_EQUAL("fbeed618357133667c85e08f7236a8de", to_hex(k.k1, 16).c_str());
		STRCMP_EQUAL("f7ddac306ae266ccf90bc11ee46d513b", to_hex(k.k2, 16).c_str());
		kgss::cmac_key_clear(&k);
		for (auto &e : ex) {
			check_cmac(be.be->aes128, key, bytes(m64.begin(), m64.begin() + e.len), hex(e.tag));
			katu::count("cmac rfc4493", "aes128", be.label);
		}
	}
}

TEST(kat_cmac, mit_t_cmac_camellia128)
{
	auto v = kt::load_vectors("mit_cmac.txt");
	for (auto &b : v) {
		STRCMP_EQUAL("camellia128", b.get("cipher").c_str());
		for (auto &be : katu::backends()) {
			if (!be.be->camellia128) {
				katu::count_unavailable("cmac mit_cmac", "camellia128", be.label);
				continue;
			}
			check_cmac(be.be->camellia128, b.hexf("key"), b.hexf("input"), b.hexf("output"));
			katu::count("cmac mit_cmac", "camellia128", be.label);
		}
	}
}
