// tests/crypto_openssl/test_openssl_backend.cc - the OpenSSL 3 backend through
// the kgss_crypto.h class interface: published known answers for every
// primitive, CBC chaining, cbc_mac, hash copy() independence, concurrent use
// of one schedule / one HMAC-style precomputed state from 8 threads, schedule
// cache eviction, state sizes, clear() wiping, failure reporting, the prng.
//
// Where a test needs a reference that is not a published vector (threads,
// eviction), it computes it with OpenSSL's EVP API called directly here, on
// OpenSSL's default library context: a code path independent of the backend's
// private context, per-thread caches and chaining logic.
#include "tests/crypto_openssl/common.h"

#include <algorithm>
#include <atomic>
#include <openssl/evp.h>
#include <thread>
#include <vector>

using namespace kto;
using kt::hex;

static const kgss_crypto_backend *B() { return kgss_crypto_openssl(); }

// ---- direct-EVP reference (OpenSSL's default context, fresh ctx per call) ----
static bytes evp_ref(const char *name, bool enc, const bytes &key, const bytes *iv, const bytes &in)
{
	EVP_CIPHER *c = EVP_CIPHER_fetch(nullptr, name, nullptr);
	CHECK(c != nullptr);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	CHECK(ctx != nullptr);
	CHECK(EVP_CipherInit_ex2(ctx, c, key.data(), iv ? iv->data() : nullptr, enc, nullptr) == 1);
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	bytes out(in.size() + 32);
	int l1 = 0, l2 = 0;
	CHECK(EVP_CipherUpdate(ctx, out.data(), &l1, in.data(), (int)in.size()) == 1);
	CHECK(EVP_CipherFinal_ex(ctx, out.data() + l1, &l2) == 1);
	out.resize((size_t)(l1 + l2));
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(c);
	return out;
}

struct blk_desc {
	const kgss_block_cipher_class *kgss_crypto_backend::*member;
	const char *ecb, *cbc;
	size_t bs, ks;
};
static const blk_desc blocks[] = {
	{&kgss_crypto_backend::aes128, "AES-128-ECB", "AES-128-CBC", 16, 16},
	{&kgss_crypto_backend::aes256, "AES-256-ECB", "AES-256-CBC", 16, 32},
	{&kgss_crypto_backend::camellia128, "CAMELLIA-128-ECB", "CAMELLIA-128-CBC", 16, 16},
	{&kgss_crypto_backend::camellia256, "CAMELLIA-256-ECB", "CAMELLIA-256-CBC", 16, 32},
	{&kgss_crypto_backend::des3, "DES-EDE3-ECB", "DES-EDE3-CBC", 8, 24},
};

// ============================================================================
TEST_GROUP(OsslTable){};

TEST(OsslTable, EveryPrimitivePresentAndWithinLimits)
{
	const kgss_crypto_backend *b = B();
	CHECK(b != nullptr);
	CHECK(b == kgss_crypto_openssl()); // one table, built once
	LONGS_EQUAL(KGSS_CRYPTO_ABI_VERSION, b->abi_version);
	STRCMP_EQUAL("openssl", b->name);
	for (const blk_desc &d : blocks) {
		const kgss_block_cipher_class *c = b->*d.member;
		CHECK(c != nullptr);
		LONGS_EQUAL(d.bs, c->block_size);
		LONGS_EQUAL(d.ks, c->key_size);
		CHECK(c->context_size > 0 && c->context_size <= KGSS_CIPHER_STATE_MAX);
		CHECK(c->name && c->init && c->clear && c->ecb_encrypt && c->ecb_decrypt && c->cbc_encrypt &&
		      c->cbc_decrypt && c->cbc_mac);
	}
	// RC4 needs OpenSSL's legacy provider, which the test machine has
	// (libssl3: ossl-modules/legacy.so); without it rc4 must be NULL, not broken.
	CHECK_TEXT(b->rc4 != nullptr, "legacy provider (RC4) not loadable on this machine");
	CHECK(b->rc4->context_size > 0 && b->rc4->context_size <= KGSS_STREAM_STATE_MAX);
	const kgss_hash_class *hs[] = {b->md5, b->sha1, b->sha256, b->sha384};
	const size_t dsz[] = {16, 20, 32, 48}, bsz[] = {64, 64, 64, 128};
	for (int i = 0; i < 4; i++) {
		CHECK(hs[i] != nullptr);
		LONGS_EQUAL(dsz[i], hs[i]->digest_size);
		LONGS_EQUAL(bsz[i], hs[i]->block_size);
		CHECK(hs[i]->context_size > 0 && hs[i]->context_size <= KGSS_HASH_STATE_MAX);
	}
}

// ============================================================================
TEST_GROUP(OsslKat){};

// FIPS-197 Appendix C.1 (AES-128) and C.3 (AES-256).
TEST(OsslKat, Fips197AppendixC)
{
	bytes pt = hex("00112233445566778899aabbccddeeff");
	{
		schedule s(B()->aes128, hex("000102030405060708090a0b0c0d0e0f"));
		bytes ct = s.ecb(pt, true);
		STRCMP_EQUAL("69c4e0d86a7b0430d8cdb78070b4c55a", kt::to_hex(ct).c_str());
		CHECK(s.ecb(ct, false) == pt);
	}
	{
		schedule s(B()->aes256, hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
		bytes ct = s.ecb(pt, true);
		STRCMP_EQUAL("8ea2b7ca516745bfeafc49904b496089", kt::to_hex(ct).c_str());
		CHECK(s.ecb(ct, false) == pt);
	}
}

// NIST SP 800-38A: F.1.1/F.1.5 (ECB) and F.2.1-F.2.6 (CBC), AES-128 and AES-256.
static const char *const sp38a_pt = "6bc1bee22e409f96e93d7e117393172a"
				    "ae2d8a571e03ac9c9eb76fac45af8e51"
				    "30c81c46a35ce411e5fbc1191a0a52ef"
				    "f69f2445df4f9b17ad2b417be66c3710";
TEST(OsslKat, Sp80038aEcbCbc)
{
	struct {
		const kgss_block_cipher_class *kgss_crypto_backend::*m;
		const char *key, *ecb, *cbc;
	} v[] = {
		{&kgss_crypto_backend::aes128, "2b7e151628aed2a6abf7158809cf4f3c",
		 "3ad77bb40d7a3660a89ecaf32466ef97f5d3d58503b9699de785895a96fdbaaf"
		 "43b1cd7f598ece23881b00e3ed0306887b0c785e27e8ad3f8223207104725dd4",
		 "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"
		 "73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7"},
		{&kgss_crypto_backend::aes256, "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
		 "f3eed1bdb5d2a03c064b5a7e3db181f8591ccb10d410ed26dc5ba74a31362870"
		 "b6ed21b99ca6f4f9f153e7b1beafed1d23304b7a39f9f3ff067d8d8f9e24ecc7",
		 "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"
		 "39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b"},
	};
	bytes pt = hex(sp38a_pt), iv = hex("000102030405060708090a0b0c0d0e0f");
	for (auto &t : v) {
		schedule s(B()->*t.m, hex(t.key));
		STRCMP_EQUAL(t.ecb, kt::to_hex(s.ecb(pt, true)).c_str());
		CHECK(s.ecb(hex(t.ecb), false) == pt);
		bytes iv_out;
		bytes ct = s.cbc(pt, iv, true, &iv_out);
		STRCMP_EQUAL(t.cbc, kt::to_hex(ct).c_str());
		CHECK(bytes(ct.end() - 16, ct.end()) == iv_out); // iv <- last ciphertext block
		CHECK(s.cbc(ct, iv, false, &iv_out) == pt);       // F.2.2 / F.2.6
		CHECK(bytes(ct.end() - 16, ct.end()) == iv_out);
	}
}

// RFC 3713 Appendix A (Camellia), 128- and 256-bit keys.
TEST(OsslKat, Rfc3713Camellia)
{
	bytes pt = hex("0123456789abcdeffedcba9876543210");
	{
		schedule s(B()->camellia128, hex("0123456789abcdeffedcba9876543210"));
		bytes ct = s.ecb(pt, true);
		STRCMP_EQUAL("67673138549669730857065648eabe43", kt::to_hex(ct).c_str());
		CHECK(s.ecb(ct, false) == pt);
	}
	{
		schedule s(B()->camellia256,
			   hex("0123456789abcdeffedcba987654321000112233445566778899aabbccddeeff"));
		bytes ct = s.ecb(pt, true);
		STRCMP_EQUAL("9acc237dff16d76c20ef7c919e3a7509", kt::to_hex(ct).c_str());
		CHECK(s.ecb(ct, false) == pt);
	}
}

// DES-EDE3: NIST SP 800-67 Rev. 1, Appendix B (TDEA ECB example; the
// document's plaintext really reads "The qufck brown fox jump", sic); and FIPS 81 Appendix B/C ("Now is the time for all ",
// key 0123456789abcdef) with K1 = K2 = K3, where EDE collapses to single DES.
TEST(OsslKat, DesEde3)
{
	{
		schedule s(B()->des3, hex("0123456789abcdef23456789abcdef01456789abcdef0123"));
		bytes pt = S("The qufck brown fox jump");
		bytes ct = s.ecb(pt, true);
		STRCMP_EQUAL("a826fd8ce53b855fcce21c8112256fe668d5c05dd9b6b900", kt::to_hex(ct).c_str());
		CHECK(s.ecb(ct, false) == pt);
	}
	{
		schedule s(B()->des3, hex("0123456789abcdef0123456789abcdef0123456789abcdef"));
		bytes pt = S("Now is the time for all ");
		STRCMP_EQUAL("3fa40e8a984d48156a271787ab8883f9893d51ec4b563b53", kt::to_hex(s.ecb(pt, true)).c_str());
		bytes ct = s.cbc(pt, hex("1234567890abcdef"), true);
		STRCMP_EQUAL("e5c7cdde872bf27c43e934008c389c0f683788499a7c05f6", kt::to_hex(ct).c_str());
		CHECK(s.cbc(ct, hex("1234567890abcdef"), false) == pt);
	}
	// DES parity bits are ignored: flipping every low bit changes nothing.
	{
		bytes k = hex("0123456789abcdef23456789abcdef01456789abcdef0123");
		for (auto &x : k)
			x ^= 1;
		schedule s(B()->des3, k);
		STRCMP_EQUAL("a826fd8ce53b855fcce21c8112256fe668d5c05dd9b6b900",
			     kt::to_hex(s.ecb(S("The qufck brown fox jump"), true)).c_str());
	}
}

// FIPS 180-2 Appendix A-D examples ("abc", the two-block messages, one
// million 'a'), fed in irregular pieces.
TEST(OsslKat, Fips180Hashes)
{
	const kgss_crypto_backend *b = B();
	const char *m2 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	const char *m3 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
			 "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	struct {
		const kgss_hash_class *h;
		const char *msg, *md;
	} v[] = {
		{b->sha1, "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
		{b->sha1, m2, "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
		{b->sha256, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{b->sha256, m2, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
		{b->sha384, "abc",
		 "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"},
		{b->sha384, m3,
		 "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039"},
	};
	for (auto &t : v) {
		STRCMP_EQUAL(t.md, kt::to_hex(digest(t.h, t.msg, strlen(t.msg))).c_str());
		// byte-by-byte feeding gives the same answer
		hash_state st;
		LONGS_EQUAL(0, t.h->init(st.b));
		for (size_t i = 0; t.msg[i]; i++)
			t.h->update(st.b, t.msg + i, 1);
		bytes out(t.h->digest_size);
		LONGS_EQUAL(0, t.h->final(st.b, out.data()));
		STRCMP_EQUAL(t.md, kt::to_hex(out).c_str());
	}
	struct {
		const kgss_hash_class *h;
		const char *md;
	} million[] = {
		{b->sha1, "34aa973cd4c4daa4f61eeb2bdbad27316534016f"},
		{b->sha256, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
		{b->sha384,
		 "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985"},
	};
	bytes a(1000, 'a');
	for (auto &t : million) {
		hash_state st;
		LONGS_EQUAL(0, t.h->init(st.b));
		size_t done = 0, step = 1;
		while (done < 1000000) { // piece sizes 1, 2, 3, ... 999 (wrapping)
			size_t n = step < 1000000 - done ? step : 1000000 - done;
			t.h->update(st.b, a.data(), n);
			done += n;
			step = step % 999 + 1;
		}
		bytes out(t.h->digest_size);
		LONGS_EQUAL(0, t.h->final(st.b, out.data()));
		STRCMP_EQUAL(t.md, kt::to_hex(out).c_str());
	}
}

// RFC 1321 Appendix A.5 test suite.
TEST(OsslKat, Rfc1321Md5)
{
	struct {
		const char *msg, *md;
	} v[] = {
		{"", "d41d8cd98f00b204e9800998ecf8427e"},
		{"a", "0cc175b9c0f1b6a831c399e269772661"},
		{"abc", "900150983cd24fb0d6963f7d28e17f72"},
		{"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
		{"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
		{"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
		 "d174ab98d277d9f5a5611c2c9f419d9f"},
		{"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
		 "57edf4a22be3c955ac49da2e2107b67a"},
	};
	for (auto &t : v)
		STRCMP_EQUAL(t.md, kt::to_hex(digest(B()->md5, t.msg, strlen(t.msg))).c_str());
}

// RFC 6229 section 2: keystream of the 40-bit key 0102030405 and the 128-bit
// key 0102...10 at the offsets listed there (applied to zeros in odd pieces).
TEST(OsslKat, Rfc6229Rc4)
{
	const kgss_stream_cipher_class *rc4 = B()->rc4;
	CHECK(rc4 != nullptr);
	struct {
		const char *key;
		struct {
			size_t off;
			const char *ks;
		} at[6];
	} v[] = {
		{"0102030405",
		 {{0, "b2396305f03dc027ccc3524a0a1118a8"},
		  {16, "6982944f18fc82d589c403a47a0d0919"},
		  {240, "28cb1132c96ce286421dcaadb8b69eae"},
		  {256, "1cfcf62b03eddb641d77dfcf7f8d8c93"},
		  {496, "42b7d0cdd918a8a33dd51781c81f4041"},
		  {512, "6459844432a7da923cfb3eb4980661f6"}}},
		{"0102030405060708090a0b0c0d0e0f10",
		 {{0, "9ac7cc9a609d1ef7b2932899cde41b97"},
		  {16, "5248c4959014126a6e8a84f11d1a9e1c"},
		  {240, "065902e4b620f6cc36c8589f66432f2b"},
		  {256, "d39d566bc6bce3010768151549f3873f"},
		  {496, "b6d1e6c4a5e4771cad79538df295fb11"},
		  {512, "c68c1d5c559a974123df1dbc52a43b89"}}},
	};
	for (auto &t : v) {
		bytes key = hex(t.key);
		stream_state st;
		LONGS_EQUAL(0, rc4->init(st.b, key.data(), key.size()));
		bytes ks(528, 0);
		size_t done = 0, step = 1;
		while (done < ks.size()) {
			size_t n = step < ks.size() - done ? step : ks.size() - done;
			LONGS_EQUAL(0, rc4->apply(st.b, ks.data() + done, n));
			done += n;
			step = step * 3 % 61 + 1;
		}
		rc4->clear(st.b);
		for (auto &a : t.at)
			STRCMP_EQUAL(a.ks, kt::to_hex(ks.data() + a.off, 16).c_str());
	}
}

// ============================================================================
TEST_GROUP(OsslBlock){};

// Chained CBC calls equal one call, for every cipher and both directions;
// cbc_mac equals the last block of cbc_encrypt and leaves data alone.
TEST(OsslBlock, CbcChainingAndCbcMac)
{
	uint64_t seed = 0x5eed0001;
	for (const blk_desc &d : blocks) {
		const kgss_block_cipher_class *c = B()->*d.member;
		bytes key(d.ks), iv(d.bs), pt(d.bs * 300); // 300 blocks: several cbc_mac scratch chunks
		kt::fill_random(seed, key.data(), key.size());
		kt::fill_random(seed, iv.data(), iv.size());
		kt::fill_random(seed, pt.data(), pt.size());
		schedule s(c, key);
		bytes iv_one;
		bytes whole = s.cbc(pt, iv, true, &iv_one);
		CHECK(whole == evp_ref(d.cbc, true, key, &iv, pt)); // independent reference

		// same data in pieces of 1, 2, 3, ... blocks (and a 0-block call)
		bytes chain = pt, civ = iv;
		size_t at = 0, k = 0;
		LONGS_EQUAL(0, c->cbc_encrypt(s.st.b, civ.data(), chain.data(), 0));
		CHECK(civ == iv);
		while (at < 300) {
			size_t n = ++k < 300 - at ? k : 300 - at;
			LONGS_EQUAL(0, c->cbc_encrypt(s.st.b, civ.data(), chain.data() + at * d.bs, n));
			at += n;
		}
		CHECK(chain == whole);
		CHECK(civ == iv_one);

		bytes dchain = whole, div = iv;
		at = 0, k = 0;
		while (at < 300) {
			size_t n = (k++ % 7) + 1;
			n = n < 300 - at ? n : 300 - at;
			LONGS_EQUAL(0, c->cbc_decrypt(s.st.b, div.data(), dchain.data() + at * d.bs, n));
			at += n;
		}
		CHECK(dchain == pt);
		CHECK(div == iv_one);

		// cbc_mac, whole and chained
		bytes mac = iv, keep = pt;
		LONGS_EQUAL(0, c->cbc_mac(s.st.b, mac.data(), pt.data(), 300));
		CHECK(pt == keep);
		CHECK(mac == bytes(whole.end() - d.bs, whole.end()));
		bytes mac2 = iv;
		LONGS_EQUAL(0, c->cbc_mac(s.st.b, mac2.data(), pt.data(), 1));
		LONGS_EQUAL(0, c->cbc_mac(s.st.b, mac2.data(), pt.data() + d.bs, 299));
		CHECK(mac2 == mac);

		// ECB against the reference too, both directions, 0 blocks is a no-op
		CHECK(s.ecb(pt, true) == evp_ref(d.ecb, true, key, nullptr, pt));
		CHECK(s.ecb(pt, false) == evp_ref(d.ecb, false, key, nullptr, pt));
		bytes none = pt;
		LONGS_EQUAL(0, c->ecb_encrypt(s.st.b, none.data(), 0));
		CHECK(none == pt);
	}
}

// Unrelated CBC calls back to back, each with its own random IV (the backend
// keeps the previous call's chaining value in its context and must not leak
// it into the next message), against the direct-EVP reference.
TEST(OsslBlock, CbcFreshIvEveryCall)
{
	uint64_t seed = 0x5eed0005;
	for (const blk_desc &d : blocks) {
		const kgss_block_cipher_class *c = B()->*d.member;
		bytes key(d.ks);
		kt::fill_random(seed, key.data(), key.size());
		schedule s(c, key);
		for (int i = 0; i < 60; i++) {
			uint8_t r;
			kt::fill_random(seed, &r, 1);
			bytes pt(d.bs * (1 + r % 40)), iv(d.bs);
			kt::fill_random(seed, pt.data(), pt.size());
			if (i % 3) // every third call reuses an all-zero IV, as RFC 3962 CTS does
				kt::fill_random(seed, iv.data(), iv.size());
			bytes vo;
			CHECK(s.cbc(pt, iv, i % 2 == 0, &vo) == evp_ref(d.cbc, i % 2 == 0, key, &iv, pt));
			bytes m = iv;
			LONGS_EQUAL(0, c->cbc_mac(s.st.b, m.data(), pt.data(), pt.size() / d.bs));
			bytes ref = evp_ref(d.cbc, true, key, &iv, pt);
			CHECK(m == bytes(ref.end() - d.bs, ref.end()));
		}
	}
}

// More live schedules than the per-thread cache holds, used in rotation.
TEST(OsslBlock, ManySchedulesInterleaved)
{
	uint64_t seed = 0x5eed0002;
	for (const blk_desc &d : blocks) {
		const kgss_block_cipher_class *c = B()->*d.member;
		const int N = 11;
		std::vector<bytes> keys(N);
		std::vector<cipher_state> st(N);
		for (int i = 0; i < N; i++) {
			keys[i].resize(d.ks);
			kt::fill_random(seed, keys[i].data(), d.ks);
			LONGS_EQUAL(0, c->init(st[i].b, keys[i].data(), d.ks));
		}
		bytes pt(d.bs * 5), iv(d.bs);
		kt::fill_random(seed, pt.data(), pt.size());
		kt::fill_random(seed, iv.data(), iv.size());
		for (int round = 0; round < 3; round++)
			for (int i = 0; i < N; i++) {
				int j = (i * 7 + round) % N;
				bytes x = pt, v = iv;
				LONGS_EQUAL(0, c->ecb_encrypt(st[j].b, x.data(), 5));
				CHECK(x == evp_ref(d.ecb, true, keys[j], nullptr, pt));
				x = pt;
				LONGS_EQUAL(0, c->cbc_decrypt(st[j].b, v.data(), x.data(), 5));
				CHECK(x == evp_ref(d.cbc, false, keys[j], &iv, pt));
			}
		// clearing one schedule does not disturb the others
		c->clear(st[3].b);
		bytes x = pt;
		LONGS_EQUAL(0, c->ecb_encrypt(st[4].b, x.data(), 5));
		CHECK(x == evp_ref(d.ecb, true, keys[4], nullptr, pt));
		for (int i = 0; i < N; i++)
			if (i != 3)
				c->clear(st[i].b);
	}
}

// 8 threads share one schedule per cipher and hammer every operation.
TEST(OsslBlock, EightThreadsOneSchedule)
{
	uint64_t seed = 0x5eed0003;
	struct shared {
		const blk_desc *d;
		bytes key, iv, pt, ecb_ct, cbc_ct;
		cipher_state st;
	};
	std::vector<shared> sh(sizeof(blocks) / sizeof(blocks[0]));
	for (size_t i = 0; i < sh.size(); i++) {
		shared &s = sh[i];
		s.d = &blocks[i];
		s.key.resize(s.d->ks);
		s.iv.resize(s.d->bs);
		s.pt.resize(s.d->bs * 64);
		kt::fill_random(seed, s.key.data(), s.key.size());
		kt::fill_random(seed, s.iv.data(), s.iv.size());
		kt::fill_random(seed, s.pt.data(), s.pt.size());
		s.ecb_ct = evp_ref(s.d->ecb, true, s.key, nullptr, s.pt);
		s.cbc_ct = evp_ref(s.d->cbc, true, s.key, &s.iv, s.pt);
		LONGS_EQUAL(0, (B()->*s.d->member)->init(s.st.b, s.key.data(), s.key.size()));
	}
	std::atomic<long> bad{0}, ok{0};
	auto work = [&](int t) {
		for (int it = 0; it < 300; it++)
			for (size_t i = 0; i < sh.size(); i++) {
				const shared &s = sh[(i + t) % sh.size()];
				const kgss_block_cipher_class *c = B()->*s.d->member;
				size_t nb = 1 + (size_t)((it * 13 + t) % 64), len = nb * s.d->bs;
				bytes x(s.pt.begin(), s.pt.begin() + len), v = s.iv;
				bool good = c->ecb_encrypt(s.st.b, x.data(), nb) == 0 &&
					    std::equal(x.begin(), x.end(), s.ecb_ct.begin()) &&
					    c->ecb_decrypt(s.st.b, x.data(), nb) == 0 &&
					    std::equal(x.begin(), x.end(), s.pt.begin()) &&
					    c->cbc_encrypt(s.st.b, v.data(), x.data(), nb) == 0 &&
					    std::equal(x.begin(), x.end(), s.cbc_ct.begin());
				v = s.iv;
				good = good && c->cbc_decrypt(s.st.b, v.data(), x.data(), nb) == 0 &&
				       std::equal(x.begin(), x.end(), s.pt.begin());
				v = s.iv;
				good = good && c->cbc_mac(s.st.b, v.data(), s.pt.data(), nb) == 0 &&
				       std::equal(v.begin(), v.end(), s.cbc_ct.begin() + (len - s.d->bs));
				(good ? ok : bad)++;
			}
	};
	std::vector<std::thread> th;
	for (int t = 0; t < 8; t++)
		th.emplace_back(work, t);
	for (auto &x : th)
		x.join();
	LONGS_EQUAL(0, bad.load());
	LONGS_EQUAL(8 * 300 * (long)sh.size(), ok.load());
	for (auto &s : sh)
		(B()->*s.d->member)->clear(s.st.b);
}

TEST(OsslBlock, BadKeysAndClearWipes)
{
	for (const blk_desc &d : blocks) {
		const kgss_block_cipher_class *c = B()->*d.member;
		bytes key(d.ks, 0x42), data(d.bs, 0), iv(d.bs, 0);
		cipher_state st;
		CHECK(c->init(st.b, key.data(), d.ks - 1) != 0); // wrong length fails ...
		c->clear(st.b);                                   // ... and clear() is safe afterwards
		CHECK(c->init(st.b, key.data(), d.ks + 1) != 0);
		c->clear(st.b);

		memset(st.b, 0xa5, sizeof(st.b));
		LONGS_EQUAL(0, c->init(st.b, key.data(), d.ks));
		LONGS_EQUAL(0, c->ecb_encrypt(st.b, data.data(), 1));
		// the raw key is in the state while keyed
		CHECK(std::search(st.b, st.b + c->context_size, key.begin(), key.end()) != st.b + c->context_size);
		c->clear(st.b);
		bytes zero(c->context_size, 0);
		MEMCMP_EQUAL(zero.data(), st.b, c->context_size);
		// a cleared schedule refuses to work
		CHECK(c->ecb_encrypt(st.b, data.data(), 1) != 0);
		CHECK(c->cbc_encrypt(st.b, iv.data(), data.data(), 1) != 0);
		CHECK(c->cbc_mac(st.b, iv.data(), data.data(), 1) != 0);
	}
	// another class's schedule is refused, not misused
	cipher_state st;
	bytes k16(16, 1), blk(16, 0);
	LONGS_EQUAL(0, B()->aes128->init(st.b, k16.data(), 16));
	CHECK(B()->camellia128->ecb_encrypt(st.b, blk.data(), 1) != 0);
	B()->aes128->clear(st.b);
}

// ============================================================================
TEST_GROUP(OsslHash){};

TEST(OsslHash, CopyIsIndependentAndLeavesSourceUsable)
{
	const kgss_crypto_backend *b = B();
	for (const kgss_hash_class *h : {b->md5, b->sha1, b->sha256, b->sha384}) {
		hash_state src, dst, dst2;
		LONGS_EQUAL(0, h->init(src.b));
		h->update(src.b, "ab", 2);
		LONGS_EQUAL(0, h->copy(dst.b, src.b));
		LONGS_EQUAL(0, h->copy(dst2.b, src.b));
		h->update(dst.b, "x", 1);
		h->update(src.b, "c", 1);
		bytes a(h->digest_size), x(h->digest_size), y(h->digest_size);
		LONGS_EQUAL(0, h->final(src.b, a.data()));
		LONGS_EQUAL(0, h->final(dst.b, x.data()));
		h->update(dst2.b, "cd", 2);
		LONGS_EQUAL(0, h->final(dst2.b, y.data()));
		CHECK(a == digest(h, "abc", 3));
		CHECK(x == digest(h, "abx", 3));
		CHECK(y == digest(h, "abcd", 4));
		// copy of a copy, with the source finished first
		hash_state s1, s2;
		LONGS_EQUAL(0, h->init(s1.b));
		h->update(s1.b, "a", 1);
		LONGS_EQUAL(0, h->copy(s2.b, s1.b));
		h->clear(s1.b);
		h->update(s2.b, "bc", 2);
		LONGS_EQUAL(0, h->final(s2.b, x.data()));
		CHECK(x == digest(h, "abc", 3));
	}
	// the published answer through a copy: FIPS 180-2 SHA-256("abc")
	hash_state s, d;
	LONGS_EQUAL(0, b->sha256->init(s.b));
	b->sha256->update(s.b, "a", 1);
	LONGS_EQUAL(0, b->sha256->copy(d.b, s.b));
	b->sha256->clear(s.b);
	b->sha256->update(d.b, "bc", 2);
	bytes out(32);
	LONGS_EQUAL(0, b->sha256->final(d.b, out.data()));
	STRCMP_EQUAL("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", kt::to_hex(out).c_str());
}

// HMAC-style use: one precomputed state copied concurrently by 8 threads.
TEST(OsslHash, EightThreadsCopyOneSource)
{
	const kgss_crypto_backend *b = B();
	const kgss_hash_class *hs[] = {b->md5, b->sha1, b->sha256, b->sha384};
	const char *names[] = {"MD5", "SHA1", "SHA256", "SHA384"};
	bytes prefix(200), msg(3000);
	uint64_t seed = 0x5eed0004;
	kt::fill_random(seed, prefix.data(), prefix.size());
	kt::fill_random(seed, msg.data(), msg.size());
	hash_state src[4];
	std::vector<bytes> expect[4];
	for (int i = 0; i < 4; i++) {
		LONGS_EQUAL(0, hs[i]->init(src[i].b));
		hs[i]->update(src[i].b, prefix.data(), prefix.size());
		// reference: OpenSSL one-shot EVP_Digest on the default context
		EVP_MD *md = EVP_MD_fetch(nullptr, names[i], nullptr);
		CHECK(md != nullptr);
		for (size_t n = 0; n < 64; n++) {
			bytes in = prefix;
			in.insert(in.end(), msg.begin(), msg.begin() + n * 40);
			bytes out(EVP_MD_get_size(md));
			unsigned int len = 0;
			CHECK(EVP_Digest(in.data(), in.size(), out.data(), &len, md, nullptr) == 1);
			expect[i].push_back(out);
		}
		EVP_MD_free(md);
	}
	std::atomic<long> bad{0}, ok{0};
	auto work = [&](int t) {
		for (int it = 0; it < 400; it++) {
			int i = (it + t) % 4;
			size_t n = (size_t)(it * 7 + t) % 64;
			hash_state d;
			bytes out(hs[i]->digest_size);
			bool good = hs[i]->copy(d.b, src[i].b) == 0;
			if (good) {
				hs[i]->update(d.b, msg.data(), n * 40);
				good = hs[i]->final(d.b, out.data()) == 0 && out == expect[i][n];
			}
			(good ? ok : bad)++;
		}
	};
	std::vector<std::thread> th;
	for (int t = 0; t < 8; t++)
		th.emplace_back(work, t);
	for (auto &x : th)
		x.join();
	LONGS_EQUAL(0, bad.load());
	LONGS_EQUAL(8 * 400, ok.load());
	for (int i = 0; i < 4; i++) {
		// the source is still live and correct afterwards
		bytes out(hs[i]->digest_size);
		LONGS_EQUAL(0, hs[i]->final(src[i].b, out.data()));
		CHECK(out == expect[i][0]);
	}
}

TEST(OsslHash, ClearFinalAndFailureLatch)
{
	const kgss_hash_class *h = B()->sha1;
	hash_state st;
	bytes out(20);
	// final wipes the state and it is dead afterwards
	LONGS_EQUAL(0, h->init(st.b));
	h->update(st.b, "abc", 3);
	LONGS_EQUAL(0, h->final(st.b, out.data()));
	bytes zero(h->context_size, 0);
	MEMCMP_EQUAL(zero.data(), st.b, h->context_size);
	CHECK(h->final(st.b, out.data()) != 0);
	hash_state d;
	CHECK(h->copy(d.b, st.b) != 0); // copying a dead state fails, dst stays clear()-safe
	h->clear(d.b);
	// clear wipes
	LONGS_EQUAL(0, h->init(st.b));
	h->update(st.b, "abc", 3);
	h->clear(st.b);
	MEMCMP_EQUAL(zero.data(), st.b, h->context_size);
	// a bad update is latched and reported by final
	LONGS_EQUAL(0, h->init(st.b));
	h->update(st.b, nullptr, 5);
	h->update(st.b, "abc", 3);
	CHECK(h->final(st.b, out.data()) != 0);
	// zero-length updates are fine (NULL data allowed with len 0)
	LONGS_EQUAL(0, h->init(st.b));
	h->update(st.b, nullptr, 0);
	h->update(st.b, "abc", 3);
	LONGS_EQUAL(0, h->final(st.b, out.data()));
	STRCMP_EQUAL("a9993e364706816aba3e25717850c26c9cd0d89d", kt::to_hex(out).c_str());
}

// ============================================================================
TEST_GROUP(OsslRc4){};

TEST(OsslRc4, ClearWipesAndBadKeys)
{
	const kgss_stream_cipher_class *rc4 = B()->rc4;
	CHECK(rc4 != nullptr);
	stream_state st;
	bytes key(16, 7), d(10, 0);
	CHECK(rc4->init(st.b, key.data(), 0) != 0);
	rc4->clear(st.b);
	CHECK(rc4->init(st.b, key.data(), 257) != 0);
	rc4->clear(st.b);
	LONGS_EQUAL(0, rc4->init(st.b, key.data(), key.size()));
	LONGS_EQUAL(0, rc4->apply(st.b, d.data(), d.size()));
	LONGS_EQUAL(0, rc4->apply(st.b, d.data(), 0));
	rc4->clear(st.b);
	bytes zero(rc4->context_size, 0);
	MEMCMP_EQUAL(zero.data(), st.b, rc4->context_size);
	CHECK(rc4->apply(st.b, d.data(), d.size()) != 0);
}

// ============================================================================
TEST_GROUP(OsslPrng){};

TEST(OsslPrng, GeneratesFreshBytes)
{
	const kgss_prng *p = kgss_prng_openssl();
	CHECK(p != nullptr && p->generate != nullptr);
	LONGS_EQUAL(0, p->generate(p->ctx, nullptr, 0));
	bytes a(64, 0), b(64, 0), zero(64, 0);
	LONGS_EQUAL(0, p->generate(p->ctx, a.data(), a.size()));
	LONGS_EQUAL(0, p->generate(p->ctx, b.data(), b.size()));
	// 2^-512 chance of a false failure per check
	CHECK(a != zero);
	CHECK(a != b);
	bytes big(100000, 0);
	LONGS_EQUAL(0, p->generate(p->ctx, big.data(), big.size()));
	CHECK(std::count(big.begin(), big.end(), 0) < 1000); // ~390 expected
}
