// tests/c_backend/test_nettle_kat.cc - the example C backend (compat/nettle,
// libkgss_nettle) through everything the other backends go through:
//   - the kgss_crypto.h contract: state sizes within limits, key-length
//     checks, clear() after a failed init, CBC iv chaining across calls,
//     cbc_mac leaves data alone, hash copy() gives independent states, RC4
//     in pieces = RC4 at once;
//   - a differential against the builtin backend on random keys and data;
//   - concurrency: threads sharing one const key schedule and copying one
//     shared hash state;
//   - the known-answer vectors of tests/vectors run through the enctype table
//     (key derivation, encryption with a known confounder, MIT t_decrypt
//     decrypt + re-encrypt, keyed checksums) and the gokrb5 RFC 4121 tokens
//     through the public API;
//   - a round trip of every enctype through the public API with the Yarrow
//     PRNG, and the PRNG's own rules (seed checks, fork).
// Case counts are printed at exit.
#include <CppUTest/TestHarness.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "crypto/enctype.h"
#include "crypto/mac.h"
#include "kgss.h"
#include "kgss_nettle.h"
#include "families.h"
#include "testutil.h"

using kt::bytes;
using kt::hex;
using kt::to_hex;

namespace {

// ---- counters ------------------------------------------------------------------
std::map<std::string, long> &counts()
{
	static std::map<std::string, long> m;
	return m;
}
void count(const std::string &what, long n = 1) { counts()[what] += n; }
struct report {
	report() { counts(); } // the map is built first, so it is destroyed after the report
	~report()
	{
		std::printf("\n==== test_nettle_kat: cases run with the C backend (libkgss_nettle) ====\n");
		for (auto &c : counts())
			std::printf("  %-58s %ld\n", c.first.c_str(), c.second);
	}
} g_report;

const kgss_crypto_backend *nb() { return kgss_crypto_nettle(); }

struct alignas(KGSS_STATE_ALIGN) state_buf {
	uint8_t b[512];
};

std::string et_label(const kgss::enctype *et) { return std::to_string(et->etype) + " " + et->name; }

// A vector of an enctype whose family is compiled out (tests/support/families.h):
// counted not applicable, and the enctype must be absent from the table.
bool compiled_out(long etype)
{
	if (kt::enctype_compiled_in((int)etype)) {
		kt::vector_ran("test_nettle_kat");
		return false;
	}
	kt::vector_not_applicable("test_nettle_kat", (int)etype);
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

std::vector<const kgss_block_cipher_class *> block_classes(const kgss_crypto_backend *b)
{
	return {b->aes128, b->aes256, b->camellia128, b->camellia256, b->des3};
}
std::vector<const kgss_hash_class *> hash_classes(const kgss_crypto_backend *b)
{
	return {b->md5, b->sha1, b->sha256, b->sha384};
}

} // namespace

// ==== the contract of kgss_crypto.h ==============================================
TEST_GROUP(nettle_contract){};

TEST(nettle_contract, every_primitive_present_and_within_limits)
{
	const kgss_crypto_backend *b = nb();
	CHECK_EQUAL(KGSS_CRYPTO_ABI_VERSION, b->abi_version);
	STRCMP_EQUAL("nettle", b->name);
	for (auto *c : block_classes(b)) {
		CHECK(c != nullptr);
		CHECK(c->context_size <= KGSS_CIPHER_STATE_MAX);
		CHECK(c->init && c->clear && c->ecb_encrypt && c->ecb_decrypt && c->cbc_encrypt && c->cbc_decrypt &&
		      c->cbc_mac);
		count("contract: block class present, size within limit");
	}
	CHECK(b->rc4 && b->rc4->context_size <= KGSS_STREAM_STATE_MAX);
	for (auto *h : hash_classes(b)) {
		CHECK(h != nullptr);
		CHECK(h->context_size <= KGSS_HASH_STATE_MAX);
		count("contract: hash class present, size within limit");
	}
	// Every enctype is usable with this backend.
	for (size_t i = 0; kgss::enctype_at(i); i++) {
		CHECK_EQUAL(KGSS_S_COMPLETE, kgss::enctype_check_backend(kgss::enctype_at(i), b));
		count("contract: enctype usable with the backend");
	}
}

TEST(nettle_contract, wrong_key_length_fails_and_clear_is_safe_after_it)
{
	uint8_t key[64] = {1};
	for (auto *c : block_classes(nb())) {
		state_buf s;
		CHECK(c->init(s.b, key, c->key_size + 1) != 0);
		c->clear(s.b);
		CHECK(c->init(s.b, key, c->key_size - 1) != 0);
		c->clear(s.b);
		CHECK_EQUAL(0, c->init(s.b, key, c->key_size));
		c->clear(s.b);
		for (size_t i = 0; i < c->context_size; i++)
			CHECK_EQUAL(0, s.b[i]); // clear() wipes
		count("contract: key length checked, clear after failed init");
	}
	state_buf s;
	CHECK(nb()->rc4->init(s.b, key, 0) != 0);
	nb()->rc4->clear(s.b);
}

TEST(nettle_contract, cbc_chaining_cbc_mac_and_zero_blocks)
{
	uint64_t seed = 7;
	for (auto *c : block_classes(nb())) {
		const size_t bs = c->block_size;
		bytes key(c->key_size), iv0(bs), data(bs * 7);
		kt::fill_random(seed, key.data(), key.size());
		kt::fill_random(seed, iv0.data(), bs);
		kt::fill_random(seed, data.data(), data.size());
		state_buf s;
		CHECK_EQUAL(0, c->init(s.b, key.data(), key.size()));
		// One call over 7 blocks == 3 + 0 + 4 blocks chained through iv.
		bytes one = data, two = data, iv1 = iv0, iv2 = iv0;
		CHECK_EQUAL(0, c->cbc_encrypt(s.b, iv1.data(), one.data(), 7));
		CHECK_EQUAL(0, c->cbc_encrypt(s.b, iv2.data(), two.data(), 3));
		CHECK_EQUAL(0, c->cbc_encrypt(s.b, iv2.data(), two.data() + 3 * bs, 0));
		CHECK_EQUAL(0, c->cbc_encrypt(s.b, iv2.data(), two.data() + 3 * bs, 4));
		CHECK(one == two);
		CHECK(iv1 == iv2);
		CHECK(bytes(one.end() - bs, one.end()) == iv1); // iv out = last ciphertext block
		// cbc_mac: same iv as cbc_encrypt, data untouched.
		bytes mac_iv = iv0, copy = data;
		CHECK_EQUAL(0, c->cbc_mac(s.b, mac_iv.data(), copy.data(), 7));
		CHECK(copy == data);
		CHECK(mac_iv == iv1);
		// Decrypt in two chained calls.
		bytes iv3 = iv0;
		CHECK_EQUAL(0, c->cbc_decrypt(s.b, iv3.data(), one.data(), 5));
		CHECK_EQUAL(0, c->cbc_decrypt(s.b, iv3.data(), one.data() + 5 * bs, 2));
		CHECK(one == data);
		CHECK(iv3 == iv1);
		// ECB round trip, and nblocks == 0 touches nothing.
		bytes e = data;
		CHECK_EQUAL(0, c->ecb_encrypt(s.b, e.data(), 0));
		CHECK(e == data);
		CHECK_EQUAL(0, c->ecb_encrypt(s.b, e.data(), 7));
		CHECK(e != data);
		CHECK_EQUAL(0, c->ecb_decrypt(s.b, e.data(), 7));
		CHECK(e == data);
		c->clear(s.b);
		count("contract: CBC chaining, cbc_mac, ECB");
	}
}

TEST(nettle_contract, hash_copy_gives_independent_states_and_final_wipes)
{
	uint64_t seed = 9;
	for (auto *h : hash_classes(nb())) {
		bytes a(300), b(77);
		kt::fill_random(seed, a.data(), a.size());
		kt::fill_random(seed, b.data(), b.size());
		state_buf s, t, u;
		CHECK_EQUAL(0, h->init(s.b));
		h->update(s.b, a.data(), a.size());
		CHECK_EQUAL(0, h->copy(t.b, s.b));
		CHECK_EQUAL(0, h->copy(u.b, s.b));
		h->update(t.b, b.data(), b.size());
		bytes d1(h->digest_size), d2(h->digest_size), d3(h->digest_size);
		CHECK_EQUAL(0, h->final(t.b, d1.data()));
		CHECK_EQUAL(0, h->final(s.b, d2.data())); // src unaffected by the copy's update
		h->update(u.b, nullptr, 0);
		CHECK_EQUAL(0, h->final(u.b, d3.data()));
		CHECK(d2 == d3);
		CHECK(d1 != d2);
		for (size_t i = 0; i < h->context_size; i++)
			CHECK_EQUAL(0, s.b[i]); // final() leaves a dead, wiped state
		// The same against the builtin backend's class.
		const kgss_hash_class *ref = h == nb()->md5      ? kgss_crypto_builtin()->md5
					     : h == nb()->sha1   ? kgss_crypto_builtin()->sha1
					     : h == nb()->sha256 ? kgss_crypto_builtin()->sha256
								 : kgss_crypto_builtin()->sha384;
		if (ref == nullptr) { // md5 with RC4 compiled out: NULL in builtin (crypto/builtin/backend.cc)
			CHECK_FALSE(kt::with_rc4);
			kt::note_compiled_out(23, "builtin md5 NULL (no differential)");
			continue;
		}
		state_buf r;
		bytes dr(ref->digest_size);
		CHECK_EQUAL(0, ref->init(r.b));
		ref->update(r.b, a.data(), a.size());
		ref->update(r.b, b.data(), b.size());
		CHECK_EQUAL(0, ref->final(r.b, dr.data()));
		CHECK(dr == d1);
		count("contract: hash copy / final");
	}
}

// ==== differential against the builtin backend =====================================
TEST_GROUP(nettle_vs_builtin){};

TEST(nettle_vs_builtin, block_ciphers_random)
{
	const kgss_crypto_backend *ref = kgss_crypto_builtin_portable();
	auto mine = block_classes(nb()), theirs = block_classes(ref);
	uint64_t seed = 11;
	for (size_t k = 0; k < mine.size(); k++) {
		auto *c = mine[k], *r = theirs[k];
		if (r == nullptr) { // a compiled-out family's cipher: NULL in builtin (crypto/builtin/backend.cc)
			CHECK_FALSE(k < 2 ? kt::with_aes_sha1 || kt::with_aes_sha2 : k < 4 ? kt::with_camellia : kt::with_des3);
			continue;
		}
		CHECK_EQUAL(r->block_size, c->block_size);
		CHECK_EQUAL(r->key_size, c->key_size);
		for (int round = 0; round < 50; round++) {
			bytes key(c->key_size), iv(c->block_size);
			size_t nb_ = 1 + round % 9;
			bytes data(nb_ * c->block_size);
			kt::fill_random(seed, key.data(), key.size());
			kt::fill_random(seed, iv.data(), iv.size());
			kt::fill_random(seed, data.data(), data.size());
			state_buf s1, s2;
			CHECK_EQUAL(0, c->init(s1.b, key.data(), key.size()));
			CHECK_EQUAL(0, r->init(s2.b, key.data(), key.size()));
			bytes x = data, y = data, ivx = iv, ivy = iv;
			c->ecb_encrypt(s1.b, x.data(), nb_);
			r->ecb_encrypt(s2.b, y.data(), nb_);
			CHECK(x == y);
			c->cbc_decrypt(s1.b, ivx.data(), x.data(), nb_);
			r->cbc_decrypt(s2.b, ivy.data(), y.data(), nb_);
			CHECK(x == y);
			CHECK(ivx == ivy);
			c->cbc_mac(s1.b, ivx.data(), data.data(), nb_);
			r->cbc_mac(s2.b, ivy.data(), data.data(), nb_);
			CHECK(ivx == ivy);
			c->clear(s1.b);
			r->clear(s2.b);
			count(std::string("differential vs builtin: ") + c->name);
		}
	}
}

TEST(nettle_vs_builtin, rc4_in_pieces)
{
	uint64_t seed = 13;
	if (kgss_crypto_builtin()->rc4 == nullptr) { // RC4 compiled out: NULL in builtin
		CHECK_FALSE(kt::with_rc4);
		kt::note_compiled_out(23, "builtin rc4 NULL (no differential)");
		return;
	}
	for (int round = 0; round < 50; round++) {
		bytes key(16), data(1 + round * 37);
		kt::fill_random(seed, key.data(), key.size());
		kt::fill_random(seed, data.data(), data.size());
		state_buf s1, s2;
		CHECK_EQUAL(0, nb()->rc4->init(s1.b, key.data(), key.size()));
		CHECK_EQUAL(0, kgss_crypto_builtin()->rc4->init(s2.b, key.data(), key.size()));
		bytes x = data, y = data;
		size_t half = data.size() / 3;
		nb()->rc4->apply(s1.b, x.data(), half);
		nb()->rc4->apply(s1.b, x.data() + half, 0);
		nb()->rc4->apply(s1.b, x.data() + half, x.size() - half);
		kgss_crypto_builtin()->rc4->apply(s2.b, y.data(), y.size());
		CHECK(x == y);
		nb()->rc4->clear(s1.b);
		kgss_crypto_builtin()->rc4->clear(s2.b);
		count("differential vs builtin: arcfour-nettle");
	}
}

// ==== concurrency: a const schedule and a shared hash source =============================
TEST_GROUP(nettle_threads){};

TEST(nettle_threads, shared_schedule_and_shared_hash_source)
{
	const kgss_block_cipher_class *c = nb()->aes256;
	const kgss_hash_class *h = nb()->sha256;
	uint64_t seed = 17;
	bytes key(32), iv(16), data(16 * 64), prefix(64);
	kt::fill_random(seed, key.data(), key.size());
	kt::fill_random(seed, iv.data(), iv.size());
	kt::fill_random(seed, data.data(), data.size());
	kt::fill_random(seed, prefix.data(), prefix.size());
	state_buf ks, hs;
	CHECK_EQUAL(0, c->init(ks.b, key.data(), key.size()));
	CHECK_EQUAL(0, h->init(hs.b));
	h->update(hs.b, prefix.data(), prefix.size()); // like a precomputed HMAC inner state

	auto work = [&](bytes *ct, bytes *dg) {
		*ct = data;
		bytes v = iv;
		c->cbc_encrypt(ks.b, v.data(), ct->data(), data.size() / 16);
		state_buf mine;
		h->copy(mine.b, hs.b);
		h->update(mine.b, ct->data(), ct->size());
		dg->resize(h->digest_size);
		h->final(mine.b, dg->data());
	};
	bytes ref_ct, ref_dg;
	work(&ref_ct, &ref_dg);
	const int nthreads = 4, iters = 300;
	std::vector<int> bad(nthreads, 0);
	std::vector<std::thread> ts;
	for (int t = 0; t < nthreads; t++)
		ts.emplace_back([&, t] {
			for (int i = 0; i < iters; i++) {
				bytes ct, dg;
				work(&ct, &dg);
				if (ct != ref_ct || dg != ref_dg)
					bad[t]++;
			}
		});
	for (auto &t : ts)
		t.join();
	for (int t = 0; t < nthreads; t++)
		CHECK_EQUAL(0, bad[t]);
	count("threads: CBC on one const schedule + hash copy of one source", (long)nthreads * iters);
	c->clear(ks.b);
	h->clear(hs.b);
}

// ==== known answers through the enctype table ==============================================
TEST_GROUP(nettle_kat){};

namespace {

kgss::derive_kind kind_of(const std::string &k)
{
	return k == "Kc" ? kgss::DERIVE_KC : k == "Ke" ? kgss::DERIVE_KE : kgss::DERIVE_KI;
}

// Contiguous RFC 3961 encrypt/decrypt over a one-segment list (RC4: tag | enc,
// else enc | tag; DES3: confounder | plain zero-padded to 8 bytes).
bytes encrypt_contig(const kgss::enctype *et, const kgss::enc_key *k, const bytes &conf, const bytes &plain)
{
	bytes buf = conf;
	buf.insert(buf.end(), plain.begin(), plain.end());
	if (et->family() == kgss::FAMILY_DES3)
		while (buf.size() % 8)
			buf.push_back(0);
	kgss_iov iov = {KGSS_IOV_DATA, {buf.size(), buf.data()}};
	kgss::seglist sl;
	sl.set_iov(&iov, 1);
	bytes tag(et->cksum_len);
	CHECK_EQUAL(KGSS_S_COMPLETE, et->encrypt(k, sl, tag.data()));
	if (et->family() == kgss::FAMILY_RC4) {
		tag.insert(tag.end(), buf.begin(), buf.end());
		return tag;
	}
	buf.insert(buf.end(), tag.begin(), tag.end());
	return buf;
}
kgss_status decrypt_contig(const kgss::enctype *et, const kgss::enc_key *k, const bytes &ct, bytes *out)
{
	size_t h = et->cksum_len;
	CHECK(ct.size() >= h);
	bytes tag, enc;
	if (et->family() == kgss::FAMILY_RC4) {
		tag.assign(ct.begin(), ct.begin() + h);
		enc.assign(ct.begin() + h, ct.end());
	} else {
		enc.assign(ct.begin(), ct.end() - h);
		tag.assign(ct.end() - h, ct.end());
	}
	kgss_iov iov = {KGSS_IOV_DATA, {enc.size(), enc.data()}};
	kgss::seglist sl;
	sl.set_iov(&iov, 1);
	kgss_status st = et->decrypt(k, sl, tag.data());
	*out = enc;
	return st;
}

void run_derive(const char *file)
{
	int n = 0;
	for (auto &b : kt::load_vectors(file)) {
		if (b.kind != "derive")
			continue;
		if (compiled_out(b.num("enctype")) && ++n)
			continue;
		const kgss::enctype *et = find_et(b.num("enctype"));
		bytes key = b.hexf("key");
		uint8_t out[64];
		size_t len = 0;
		CHECK_EQUAL(KGSS_S_COMPLETE, et->derive_raw(nb(), key.data(), (uint32_t)b.num("usage"),
							    kind_of(b.get("kind")), out, &len));
		STRCMP_EQUAL(b.get("output").c_str(), to_hex(out, len).c_str());
		count(std::string("derive ") + file + ": " + et_label(et));
		n++;
	}
	CHECK(n > 0);
}

void check_encrypt(const kgss::enctype *et, const bytes &key, uint32_t usage, const bytes &conf, const bytes &plain,
		   const bytes &want)
{
	kgss::enc_key *k = new kgss::enc_key();
	CHECK_EQUAL(KGSS_S_COMPLETE, et->derive_enc(nb(), key.data(), usage, k));
	STRCMP_EQUAL(to_hex(want).c_str(), to_hex(encrypt_contig(et, k, conf, plain)).c_str());
	bytes back;
	CHECK_EQUAL(KGSS_S_COMPLETE, decrypt_contig(et, k, want, &back));
	CHECK(back.size() >= conf.size() + plain.size());
	CHECK(bytes(back.begin(), back.begin() + conf.size()) == conf);
	CHECK(bytes(back.begin() + conf.size(), back.begin() + conf.size() + plain.size()) == plain);
	// One flipped bit anywhere: BAD_SIG, and the output is zeroed.
	bytes bad = want;
	bad[bad.size() / 2] ^= 0x10;
	CHECK_EQUAL(KGSS_S_BAD_SIG, decrypt_contig(et, k, bad, &back));
	for (uint8_t x : back)
		CHECK_EQUAL(0, x);
	kgss::enc_key_clear(k);
	delete k;
}

void run_encrypt(const char *file)
{
	int n = 0;
	for (auto &b : kt::load_vectors(file)) {
		if (b.kind != "encrypt")
			continue;
		if (compiled_out(b.num("enctype")) && ++n)
			continue;
		const kgss::enctype *et = find_et(b.num("enctype"));
		check_encrypt(et, b.hexf("key"), (uint32_t)b.num("usage"), b.hexf("confounder"), b.hexf("plaintext"),
			      b.hexf("ciphertext"));
		count(std::string("encrypt ") + file + ": " + et_label(et));
		n++;
	}
	CHECK(n > 0);
}

void run_checksum(const char *file)
{
	int n = 0;
	for (auto &b : kt::load_vectors(file)) {
		if (b.kind != "checksum")
			continue;
		if (b.num("cksumtype") == -137) {
			// MIT's md5-hmac-rc4 (netlogon) is not an enctype operation.
			count(std::string("checksum ") + file + ": -137 (not a libkgss checksum, skipped)");
			continue;
		}
		if (compiled_out(b.num("enctype")) && ++n)
			continue;
		const kgss::enctype *et = find_et(b.num("enctype"));
		CHECK_EQUAL((long)et->cksumtype, b.num("cksumtype"));
		bytes key = b.hexf("key"), in = b.hexf("input"), want = b.hexf("output");
		kgss::mac_key *k = new kgss::mac_key();
		CHECK_EQUAL(KGSS_S_COMPLETE, et->derive_cksum(nb(), key.data(), (uint32_t)b.num("usage"), k));
		kgss_iov iov = {KGSS_IOV_DATA, {in.size(), in.data()}};
		kgss::seglist sl;
		sl.set_iov(&iov, 1);
		bytes out(et->cksum_len);
		CHECK_EQUAL(KGSS_S_COMPLETE, et->make_checksum(k, sl, out.data()));
		STRCMP_EQUAL(to_hex(want).c_str(), to_hex(out).c_str());
		CHECK_EQUAL(KGSS_S_COMPLETE, et->verify_checksum(k, sl, want.data()));
		want[0] ^= 1;
		CHECK_EQUAL(KGSS_S_BAD_SIG, et->verify_checksum(k, sl, want.data()));
		kgss::mac_key_clear(k);
		delete k;
		count(std::string("checksum ") + file + ": " + et_label(et));
		n++;
	}
	CHECK(n > 0);
}

} // namespace

TEST(nettle_kat, derive_rfc8009) { run_derive("rfc8009.txt"); }
TEST(nettle_kat, derive_rfc6803) { run_derive("rfc6803.txt"); }
TEST(nettle_kat, derive_mit) { run_derive("mit_derive.txt"); }
TEST(nettle_kat, encrypt_rfc8009) { run_encrypt("rfc8009.txt"); }
TEST(nettle_kat, encrypt_rfc6803) { run_encrypt("rfc6803.txt"); }
TEST(nettle_kat, checksum_mit) { run_checksum("mit_cksums.txt"); }
TEST(nettle_kat, checksum_rfc8009) { run_checksum("rfc8009.txt"); }
TEST(nettle_kat, checksum_rfc6803) { run_checksum("rfc6803.txt"); }

// MIT t_decrypt.c: decrypt; re-encrypting with the recovered confounder gives
// the same bytes (covers all nine enctypes, DES3 and RC4 included).
TEST(nettle_kat, mit_decrypt_and_reencrypt)
{
	const std::string tag = "# recovered confounder = ";
	int n = 0;
	for (auto &b : kt::load_vectors("mit_decrypt.txt")) {
		if (compiled_out(b.num("enctype")) && ++n)
			continue;
		const kgss::enctype *et = find_et(b.num("enctype"));
		bytes conf;
		for (auto &c : b.comments)
			if (c.compare(0, tag.size(), tag) == 0)
				conf = hex(c.substr(tag.size()));
		CHECK_EQUAL_TEXT((size_t)et->conf_len, conf.size(), ("line " + std::to_string(b.line)).c_str());
		check_encrypt(et, b.hexf("key"), (uint32_t)b.num("usage"), conf, b.hexf("plaintext"),
			      b.hexf("ciphertext"));
		count("decrypt + re-encrypt mit_decrypt.txt: " + et_label(et));
		n++;
	}
	CHECK_EQUAL(43, n);
}

// ==== the public API with the C backend =====================================================
namespace {

kgss_lucid_context_v1 lucid_for(const kgss::enctype *et, const bytes &key, bool initiator, uint64_t send,
				uint64_t recv)
{
	kgss_lucid_context_v1 l;
	memset(&l, 0, sizeof l);
	l.version = 1;
	l.initiate = initiator;
	l.endtime = 0xffffffffu;
	l.send_seq = send;
	l.recv_seq = recv;
	kgss_lucid_key k = {(uint32_t)et->etype, (uint32_t)key.size(), (void *)key.data()};
	if (et->rfc4121) {
		l.protocol = 1;
		l.cfx_kd.ctx_key = k;
	} else {
		l.protocol = 0;
		l.rfc1964_kd.sign_alg = et->sign_alg;
		l.rfc1964_kd.seal_alg = et->seal_alg;
		l.rfc1964_kd.ctx_key = k;
	}
	return l;
}

struct api_ctx {
	std::vector<uint8_t> mem;
	kgss_ctx *ctx = nullptr;
	kgss_status st;
	api_ctx(const kgss_lucid_context_v1 &l, const kgss_options &o) : mem(kgss_ctx_size())
	{
		st = kgss_import_lucid_v1_into(mem.data(), mem.size(), &l, &o, &ctx);
	}
	~api_ctx() { kgss_ctx_free(ctx); }
};

} // namespace

TEST_GROUP(nettle_api){};

TEST(nettle_api, gokrb5_tokens)
{
	kgss_options o;
	kgss_options_init(&o);
	o.crypto = nb();
	int n = 0;
	for (auto &v : kt::load_vectors("gokrb5_tokens.txt")) {
		if (v.kind != "gss_token" || v.num("protocol") != 1)
			continue;
		if (compiled_out(v.num("enctype")) && ++n)
			continue;
		const kgss::enctype *et = find_et(v.num("enctype"));
		bytes key = v.hexf("key"), msg = v.hexf("message"), tok = v.hexf("token");
		bool sender_init = v.get("role_of_sender") == "initiator";
		uint64_t seq = v.has("seq") ? (uint64_t)v.num("seq") : 0;
		std::string kind = v.get("token_kind"), exp = v.get("expected");
		kgss_status want = exp == "ok" ? KGSS_S_COMPLETE : exp == "bad_sig" ? KGSS_S_BAD_SIG : KGSS_S_DEFECTIVE_TOKEN;
		api_ctx rx(lucid_for(et, key, !sender_init, 0, seq), o);
		CHECK_EQUAL(KGSS_S_COMPLETE, rx.st);
		kgss_buffer m = {msg.size(), msg.data()}, t = {tok.size(), tok.data()};
		kgss_status st;
		if (kind == "mic") {
			st = kgss_verify_mic(rx.ctx, &m, &t, nullptr);
		} else {
			bytes out(tok.size());
			kgss_buffer ob = {out.size(), out.data()};
			st = kgss_unwrap(rx.ctx, &t, &ob, nullptr, nullptr);
			if (st == KGSS_S_COMPLETE)
				CHECK(bytes(out.begin(), out.begin() + ob.length) == msg);
		}
		CHECK_EQUAL_TEXT(want, st, ("line " + std::to_string(v.line)).c_str());
		count("gokrb5 token checked (" + exp + ")");
		// Deterministic tokens: we produce the same bytes as the sender.
		if (want == KGSS_S_COMPLETE && v.has("seq") && kind != "wrap_conf") {
			api_ctx tx(lucid_for(et, key, sender_init, seq, 0), o);
			bytes out(tok.size() + 64);
			kgss_buffer ob = {out.size(), out.data()};
			if (kind == "mic")
				CHECK_EQUAL(KGSS_S_COMPLETE, kgss_get_mic(tx.ctx, 0, &m, &ob));
			else
				CHECK_EQUAL(KGSS_S_COMPLETE, kgss_wrap(tx.ctx, 0, 0, &m, nullptr, &ob));
			STRCMP_EQUAL(to_hex(tok).c_str(), to_hex(out.data(), ob.length).c_str());
			count("gokrb5 token reproduced byte for byte");
		}
		n++;
	}
	CHECK_EQUAL(6, n);
}

// Every enctype, both directions, sealed and integrity-only wrap and MIC,
// with the Yarrow PRNG supplying confounders; nettle vs builtin across the
// wire (one side each).
TEST(nettle_api, roundtrip_every_enctype_against_builtin)
{
	kgss_nettle_prng prng_state;
	kgss_prng prng;
	CHECK_EQUAL(0, kgss_nettle_prng_init_getrandom(&prng_state, &prng));
	kgss_options on, ob;
	kgss_options_init(&on);
	on.crypto = nb();
	on.prng = &prng;
	ob = on;
	ob.crypto = kgss_crypto_builtin();
	uint64_t seed = 23;
	for (size_t i = 0; kgss::enctype_at(i); i++) {
		const kgss::enctype *et = kgss::enctype_at(i);
		bytes key(et->key_bytes);
		kt::fill_random(seed, key.data(), key.size());
		api_ctx a(lucid_for(et, key, true, 100, 200), on), b(lucid_for(et, key, false, 200, 100), ob);
		CHECK_EQUAL(KGSS_S_COMPLETE, a.st);
		CHECK_EQUAL(KGSS_S_COMPLETE, b.st);
		for (int dir = 0; dir < 2; dir++) {
			kgss_ctx *tx = dir ? b.ctx : a.ctx, *rx = dir ? a.ctx : b.ctx;
			for (size_t len : {0, 1, 15, 16, 17, 1000, 4099}) {
				bytes msg(len);
				kt::fill_random(seed, msg.data(), len);
				kgss_buffer m = {len, msg.data()};
				for (int conf = 0; conf < 2; conf++) {
					bytes tok(len + 128), out(len + 128);
					kgss_buffer t = {tok.size(), tok.data()}, o = {out.size(), out.data()};
					int cs = -1;
					CHECK_EQUAL(KGSS_S_COMPLETE, kgss_wrap(tx, conf, 0, &m, &cs, &t));
					CHECK_EQUAL(conf, cs);
					CHECK_EQUAL(KGSS_S_COMPLETE, kgss_unwrap(rx, &t, &o, &cs, nullptr));
					CHECK(bytes(out.begin(), out.begin() + o.length) == msg);
					count(std::string("API wrap/unwrap nettle<->builtin: ") + et_label(et));
				}
				bytes mic(128);
				kgss_buffer mb = {mic.size(), mic.data()};
				CHECK_EQUAL(KGSS_S_COMPLETE, kgss_get_mic(tx, 0, &m, &mb));
				CHECK_EQUAL(KGSS_S_COMPLETE, kgss_verify_mic(rx, &m, &mb, nullptr));
				count(std::string("API get_mic/verify_mic nettle<->builtin: ") + et_label(et));
			}
		}
	}
	kgss_nettle_prng_wipe(&prng_state);
}

// ==== the PRNG ==================================================================================
TEST_GROUP(nettle_prng){};

TEST(nettle_prng, seed_rules_and_distinct_output)
{
	kgss_nettle_prng st;
	kgss_prng p;
	uint8_t zero[32] = {0}, seed[32];
	for (int i = 0; i < 32; i++)
		seed[i] = (uint8_t)(i + 1);
	CHECK(kgss_nettle_prng_init(&st, zero, sizeof zero, &p) != 0);
	CHECK(kgss_nettle_prng_init(&st, seed, 31, &p) != 0);
	CHECK(kgss_nettle_prng_init(nullptr, seed, 32, &p) != 0);
	CHECK_EQUAL(0, kgss_nettle_prng_init(&st, seed, sizeof seed, &p));
	uint8_t a[32], b[32];
	CHECK_EQUAL(0, p.generate(p.ctx, a, sizeof a));
	CHECK_EQUAL(0, p.generate(p.ctx, b, sizeof b));
	CHECK(memcmp(a, b, sizeof a) != 0);
	CHECK_EQUAL(0, p.generate(p.ctx, a, 0));
	kgss_nettle_prng_wipe(&st);
	count("prng: seed rules");
}

// After fork(): a caller-seeded generator refuses in the child (it would
// repeat the parent's bytes); a getrandom-seeded one reseeds and diverges.
TEST(nettle_prng, fork)
{
	for (int from_os = 0; from_os < 2; from_os++) {
		kgss_nettle_prng st;
		kgss_prng p;
		uint8_t seed[32];
		for (int i = 0; i < 32; i++)
			seed[i] = (uint8_t)(0x40 + i);
		CHECK_EQUAL(0, from_os ? kgss_nettle_prng_init_getrandom(&st, &p)
				       : kgss_nettle_prng_init(&st, seed, sizeof seed, &p));
		int fds[2];
		CHECK_EQUAL(0, pipe(fds));
		pid_t pid = fork();
		if (pid == 0) {
			uint8_t out[33] = {0};
			out[32] = (uint8_t)(p.generate(p.ctx, out, 32) == 0 ? 1 : 2);
			ssize_t w = write(fds[1], out, sizeof out);
			_exit(w == (ssize_t)sizeof out ? 0 : 1);
		}
		CHECK(pid > 0);
		uint8_t child[33], mine[32];
		CHECK_EQUAL((ssize_t)sizeof child, read(fds[0], child, sizeof child));
		int status = 0;
		waitpid(pid, &status, 0);
		close(fds[0]);
		close(fds[1]);
		CHECK_EQUAL(0, p.generate(p.ctx, mine, sizeof mine));
		if (from_os) {
			CHECK_EQUAL(1, child[32]);
			CHECK(memcmp(child, mine, 32) != 0);
		} else {
			CHECK_EQUAL(2, child[32]);
		}
		kgss_nettle_prng_wipe(&st);
		count(from_os ? "prng: fork, getrandom-seeded child reseeds"
			      : "prng: fork, caller-seeded child refuses");
	}
}
