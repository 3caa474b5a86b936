// tests/crypto_kat/test_enctypes.cc - enctype-level known answers on every
// backend: key derivation (RFC 8009 A, RFC 6803 §10, MIT t_derive.c),
// encryption with a known confounder (RFC 8009 A, RFC 6803 §10), MIT
// t_decrypt.c (decrypt, then re-encrypt with the recovered confounder),
// keyed checksums (MIT t_cksums.c, RFC 8009 A, RFC 6803 §10), RFC 8009 PRF.
#include <CppUTest/TestHarness.h>

#include <cstring>

#include "crypto/kdf.h"
#include "crypto/util.h"
#include "families.h"
#include "kat_util.h"

using kt::bytes;
using kt::hex;
using kt::to_hex;

namespace {

// A vector for an enctype whose family is compiled out: counted as not
// applicable, and the enctype must then be absent from the table.
bool compiled_out(long etype)
{
	if (kt::enctype_compiled_in((int)etype)) {
		kt::vector_ran("test_crypto_kat");
		return false;
	}
	kt::vector_not_applicable("test_crypto_kat", (int)etype);
	kt::check_enctype_absent((int)etype);
	return true;
}

const kgss::enctype *find_et(long etype)
{
	const kgss::enctype *et = kgss::enctype_find((int32_t)etype);
	if (!et)
		FAIL(("enctype not in the table: " + std::to_string(etype)).c_str());
	return et;
}

bool usable(const kgss::enctype *et, const katu::backend &be, const std::string &check)
{
	if (kgss::enctype_check_backend(et, be.be) == KGSS_S_COMPLETE)
		return true;
	katu::count_unavailable(check, katu::et_label(et->etype), be.label);
	return false;
}

kgss::derive_kind kind_of(const std::string &k)
{
	if (k == "Kc")
		return kgss::DERIVE_KC;
	if (k == "Ke")
		return kgss::DERIVE_KE;
	if (k == "Ki")
		return kgss::DERIVE_KI;
	FAIL(("bad kind " + k).c_str());
	return kgss::DERIVE_KC;
}

void run_derive_file(const char *file)
{
	auto v = kt::load_vectors(file);
	size_t n = 0;
	for (auto &b : v) {
		if (b.kind != "derive")
			continue;
		n++;
		if (compiled_out(b.num("enctype")))
			continue;
		const kgss::enctype *et = find_et(b.num("enctype"));
		CHECK(et->ops->derive_raw != nullptr);
		bytes key = b.hexf("key"), want = b.hexf("output");
		CHECK_EQUAL((size_t)et->key_bytes, key.size());
		for (auto &be : katu::backends()) {
			if (!usable(et, be, std::string("derive ") + file))
				continue;
			uint8_t out[64];
			size_t out_len = 0;
			CHECK_EQUAL(KGSS_S_COMPLETE, et->derive_raw(be.be, key.data(), (uint32_t)b.num("usage"),
								    kind_of(b.get("kind")), out, &out_len));
			STRCMP_EQUAL(to_hex(want).c_str(), to_hex(out, out_len).c_str());
			katu::count(std::string("derive ") + file, katu::et_label(et->etype), be.label);
		}
	}
	CHECK(n > 0);
}

// Encrypt with the given confounder and compare with the full ciphertext;
// decrypt it back.
void check_encrypt(const kgss::enctype *et, const katu::backend &be, const bytes &key, uint32_t usage,
		   const bytes &conf, const bytes &plain, const bytes &want_ct)
{
	auto k = katu::new_enc_key();
	CHECK_EQUAL(KGSS_S_COMPLETE, et->derive_enc(be.be, key.data(), usage, k.get()));
	bytes ct;
	CHECK_EQUAL(KGSS_S_COMPLETE, katu::encrypt_contig(et, k.get(), conf, plain, &ct));
	STRCMP_EQUAL(to_hex(want_ct).c_str(), to_hex(ct).c_str());
	bytes back;
	CHECK_EQUAL(KGSS_S_COMPLETE, katu::decrypt_contig(et, k.get(), want_ct, &back));
	bytes expect = conf;
	expect.insert(expect.end(), plain.begin(), plain.end());
	while (back.size() > expect.size() && et->family() == kgss::FAMILY_DES3)
		expect.push_back(0); // DES3: zero padding to a multiple of 8 (vector README caveat 2)
	STRCMP_EQUAL(to_hex(expect).c_str(), to_hex(back).c_str());
	kgss::enc_key_clear(k.get());
}

void run_encrypt_with_confounder(const char *file)
{
	auto v = kt::load_vectors(file);
	size_t n = 0;
	for (auto &b : v) {
		if (b.kind != "encrypt")
			continue;
		n++;
		if (compiled_out(b.num("enctype")))
			continue;
		const kgss::enctype *et = find_et(b.num("enctype"));
		for (auto &be : katu::backends()) {
			if (!usable(et, be, std::string("encrypt ") + file))
				continue;
			check_encrypt(et, be, b.hexf("key"), (uint32_t)b.num("usage"), b.hexf("confounder"),
				      b.hexf("plaintext"), b.hexf("ciphertext"));
			katu::count(std::string("encrypt ") + file, katu::et_label(et->etype), be.label);
		}
	}
	CHECK(n > 0);
}

// -137 md5-hmac-rc4 (MIT/Microsoft netlogon): HMAC-MD5(K, MD5(T_le32 | data))
// with the key itself; not an enctype operation of ours, computed here with
// the mac.h building blocks so the vector still runs.
bytes md5_hmac_rc4(const kgss_crypto_backend *be, const bytes &key, uint32_t usage, const bytes &data)
{
	uint32_t t = usage == 3 ? 8 : usage == 23 ? 13 : usage; // RFC 4757 §3 translation
	alignas(16) uint8_t st[KGSS_HASH_STATE_MAX];
	uint8_t le[4];
	kgss::store_le32(le, t);
	CHECK_EQUAL(0, be->md5->init(st));
	be->md5->update(st, le, 4);
	be->md5->update(st, data.data(), data.size());
	uint8_t d[16];
	CHECK_EQUAL(0, be->md5->final(st, d));
	kgss::hmac_key k;
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss::hmac_key_init(&k, be->md5, key.data(), key.size()));
	bytes out(16);
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss::hmac(&k, d, 16, out.data()));
	kgss::hmac_key_clear(&k);
	return out;
}

void run_checksum_file(const char *file)
{
	auto v = kt::load_vectors(file);
	size_t n = 0;
	for (auto &b : v) {
		if (b.kind != "checksum")
			continue;
		n++;
		if (compiled_out(b.num("enctype")))
			continue;
		const kgss::enctype *et = find_et(b.num("enctype"));
		long ct = b.num("cksumtype");
		bytes key = b.hexf("key"), in = b.hexf("input"), want = b.hexf("output");
		uint32_t usage = (uint32_t)b.num("usage");
		std::string what = std::to_string(ct) + " (" + et->name + " key)";
		for (auto &be : katu::backends()) {
			if (!usable(et, be, std::string("checksum ") + file))
				continue;
			if (ct == -137) {
				STRCMP_EQUAL(to_hex(want).c_str(), to_hex(md5_hmac_rc4(be.be, key, usage, in)).c_str());
				katu::count(std::string("checksum ") + file, what, be.label);
				continue;
			}
			CHECK_EQUAL((long)et->cksumtype, ct);
			CHECK_EQUAL((size_t)et->cksum_len, want.size());
			auto k = katu::new_mac_key();
			CHECK_EQUAL(KGSS_S_COMPLETE, et->derive_cksum(be.be, key.data(), usage, k.get()));
			bytes data = in;
			kgss_iov iov[3] = {{KGSS_IOV_DATA, {data.size(), data.data()}},
					   {KGSS_IOV_HEADER, {0, nullptr}},
					   {KGSS_IOV_SIGN_ONLY, {0, nullptr}}};
			kgss::seglist sl;
			sl.set_iov(iov, 3);
			bytes out(et->cksum_len);
			CHECK_EQUAL(KGSS_S_COMPLETE, et->make_checksum(k.get(), sl, out.data()));
			STRCMP_EQUAL(to_hex(want).c_str(), to_hex(out).c_str());
			CHECK_EQUAL(KGSS_S_COMPLETE, et->verify_checksum(k.get(), sl, want.data()));
			for (size_t bit = 0; bit < want.size() * 8; bit++) {
				bytes bad = want;
				bad[bit / 8] ^= (uint8_t)(1u << (bit % 8));
				CHECK_EQUAL(KGSS_S_BAD_SIG, et->verify_checksum(k.get(), sl, bad.data()));
			}
			if (!data.empty()) {
				data[0] ^= 1;
				CHECK_EQUAL(KGSS_S_BAD_SIG, et->verify_checksum(k.get(), sl, want.data()));
			}
			kgss::mac_key_clear(k.get());
			katu::count(std::string("checksum ") + file, what, be.label);
		}
	}
	CHECK(n > 0);
}

} // namespace

TEST_GROUP(kat_derive){};
TEST(kat_derive, rfc8009_appendix_a) { run_derive_file("rfc8009.txt"); }
TEST(kat_derive, rfc6803_section10) { run_derive_file("rfc6803.txt"); }
TEST(kat_derive, mit_t_derive) { run_derive_file("mit_derive.txt"); }

TEST(kat_derive, des3_random_to_key_sets_odd_parity)
{
	uint8_t in[21], out[24];
	uint64_t seed = 42;
	for (int i = 0; i < 200; i++) {
		kt::fill_random(seed, in, sizeof(in));
		kgss::des3_random_to_key(in, out);
		for (int g = 0; g < 3; g++)
			for (int b = 0; b < 8; b++) {
				CHECK_EQUAL(1, __builtin_popcount(out[8 * g + b]) & 1);
				if (b < 7)
					CHECK_EQUAL(in[7 * g + b] & 0xfe, out[8 * g + b] & 0xfe);
			}
	}
}

TEST_GROUP(kat_encrypt){};
TEST(kat_encrypt, rfc8009_appendix_a) { run_encrypt_with_confounder("rfc8009.txt"); }
TEST(kat_encrypt, rfc6803_section10) { run_encrypt_with_confounder("rfc6803.txt"); }

// MIT t_decrypt.c: decrypt must succeed and start with the plaintext (DES3:
// followed by zero padding); re-encrypting with the recovered confounder
// (vector README caveat 2) must reproduce the ciphertext exactly.
TEST(kat_encrypt, mit_t_decrypt_and_reencrypt)
{
	auto v = kt::load_vectors("mit_decrypt.txt");
	for (auto &b : v) {
		if (compiled_out(b.num("enctype")))
			continue;
		const kgss::enctype *et = find_et(b.num("enctype"));
		bytes key = b.hexf("key"), plain = b.hexf("plaintext"), ct = b.hexf("ciphertext"), conf;
		uint32_t usage = (uint32_t)b.num("usage");
		CHECK_TEXT(katu::recovered_confounder(b, &conf),
			   ("no recovered confounder at line " + std::to_string(b.line)).c_str());
		CHECK_EQUAL((size_t)et->conf_len, conf.size());
		for (auto &be : katu::backends()) {
			if (!usable(et, be, "decrypt mit_decrypt"))
				continue;
			auto k = katu::new_enc_key();
			CHECK_EQUAL(KGSS_S_COMPLETE, et->derive_enc(be.be, key.data(), usage, k.get()));
			bytes out;
			CHECK_EQUAL(KGSS_S_COMPLETE, katu::decrypt_contig(et, k.get(), ct, &out));
			CHECK(out.size() >= et->conf_len + plain.size());
			STRCMP_EQUAL(to_hex(conf).c_str(), to_hex(out.data(), et->conf_len).c_str());
			STRCMP_EQUAL(to_hex(plain).c_str(), to_hex(out.data() + et->conf_len, plain.size()).c_str());
			for (size_t i = et->conf_len + plain.size(); i < out.size(); i++)
				CHECK_EQUAL(0, out[i]); // DES3 padding only
			kgss::enc_key_clear(k.get());
			katu::count("decrypt mit_decrypt", katu::et_label(et->etype), be.label);
			check_encrypt(et, be, key, usage, conf, plain, ct);
			katu::count("re-encrypt mit_decrypt", katu::et_label(et->etype), be.label);
		}
	}
}

TEST_GROUP(kat_checksum){};
TEST(kat_checksum, mit_t_cksums) { run_checksum_file("mit_cksums.txt"); }
TEST(kat_checksum, rfc8009_appendix_a) { run_checksum_file("rfc8009.txt"); }
TEST(kat_checksum, rfc6803_section10) { run_checksum_file("rfc6803.txt"); }

// RFC 8009 §5 PRF = KDF-HMAC-SHA2(key, "prf", input, 256 / 384): exercises
// hmac_raw (the KDF's HMAC) with a non-empty context.
TEST_GROUP(kat_prf){};
TEST(kat_prf, rfc8009_appendix_a)
{
	auto v = kt::load_vectors("rfc8009.txt");
	size_t n = 0;
	for (auto &b : v) {
		if (b.kind != "prf")
			continue;
		n++;
		if (compiled_out(b.num("enctype")))
			continue;
		const kgss::enctype *et = find_et(b.num("enctype"));
		bytes key = b.hexf("key"), in = b.hexf("input"), want = b.hexf("output");
		for (auto &be : katu::backends()) {
			if (!usable(et, be, "prf rfc8009"))
				continue;
			const kgss_hash_class *h = kgss::backend_hash(be.be, et->hash);
			static const uint8_t one[4] = {0, 0, 0, 1}, zero[1] = {0};
			static const uint8_t prf[3] = {'p', 'r', 'f'};
			uint8_t bits[4];
			kgss::store_be32(bits, (uint32_t)(h->digest_size * 8));
			kgss::span parts[5] = {{one, 4}, {prf, 3}, {zero, 1}, {in.data(), in.size()}, {bits, 4}};
			bytes out(h->digest_size);
			CHECK_EQUAL(KGSS_S_COMPLETE, kgss::hmac_raw(h, key.data(), key.size(), parts, 5, out.data()));
			STRCMP_EQUAL(to_hex(want).c_str(), to_hex(out).c_str());
			katu::count("prf rfc8009", katu::et_label(et->etype), be.label);
		}
	}
	CHECK(n > 0);
}

TEST_GROUP(kat_table){};

TEST(kat_table, parameters)
{
	struct row {
		int32_t et;
		unsigned key, conf, cksum;
		int32_t cksumtype;
		unsigned sign, seal;
		bool cfx;
	} rows[] = {
		{16, 24, 8, 20, 12, 4, 2, false},           {17, 16, 16, 12, 15, 0xffff, 0xffff, true},
		{18, 32, 16, 12, 16, 0xffff, 0xffff, true}, {19, 16, 16, 16, 19, 0xffff, 0xffff, true},
		{20, 32, 16, 24, 20, 0xffff, 0xffff, true}, {23, 16, 8, 16, -138, 0x11, 0x10, false},
		{24, 16, 8, 16, -138, 0x11, 0x10, false},   {25, 16, 16, 16, 17, 0xffff, 0xffff, true},
		{26, 32, 16, 16, 18, 0xffff, 0xffff, true},
	};
	size_t in = 0;
	for (auto &r : rows)
		in += kt::enctype_compiled_in(r.et);
	CHECK_EQUAL(in, kgss::enctype_count());
	for (auto &r : rows) {
		if (!kt::enctype_compiled_in(r.et)) {
			kt::check_enctype_absent(r.et);
			continue;
		}
		const kgss::enctype *et = find_et(r.et);
		CHECK_EQUAL(r.key, et->key_bytes);
		CHECK_EQUAL(r.conf, et->conf_len);
		CHECK_EQUAL(r.cksum, et->cksum_len);
		CHECK_EQUAL(r.cksumtype, et->cksumtype);
		CHECK_EQUAL(r.sign, et->sign_alg);
		CHECK_EQUAL(r.seal, et->seal_alg);
		CHECK_EQUAL(r.cfx, et->rfc4121);
	}
	POINTERS_EQUAL(kgss::enctype_find(16), kgss::enctype_find(6)); // both NULL when DES3 is compiled out
	POINTERS_EQUAL(nullptr, kgss::enctype_find(1));
	POINTERS_EQUAL(nullptr, kgss::enctype_find(0));
	POINTERS_EQUAL(nullptr, kgss::enctype_at(kgss::enctype_count()));
}
