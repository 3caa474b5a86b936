// tests/crypto_kat/test_segments.cc - properties of the enctype operations
// over segment lists, on every backend:
//   - encryption is independent of how the message is cut into segments
//     (1-byte pieces, empty pieces, ignored iov types, SIGN_ONLY runs
//     interleaved), byte for byte, and decrypts back from another cut;
//   - truncation, any one-bit flip, a wrong usage, a modified SIGN_ONLY
//     byte are rejected with every encrypted segment zeroed;
//   - every backend agrees with OpenSSL byte for byte on random keys, usages and
//     lengths 0..4096 (fixed confounder), and decrypt each other's output.
#include <CppUTest/TestHarness.h>

#include <cstring>

#include "kat_util.h"

using kt::bytes;
using kt::to_hex;

namespace {

// A message as runs of DATA (enc) and SIGN_ONLY bytes, after the confounder.
struct msg_run {
	bool enc;
	bytes b;
};

// A seglist over separately allocated pieces (so an overread of a piece is
// an out-of-bounds access that ASan/valgrind see).
struct layout {
	std::vector<bytes> store;
	std::vector<kgss_iov> iov;
	bytes conf;
	kgss::seglist sl;
	// cut: 0 = one iov per run; 1 = 1-byte pieces; 2 = random pieces with
	// empty pieces and ignored (EMPTY / HEADER) iov entries in between.
	// conf_in_head: the confounder as a synthetic head segment (as token
	// code places it) or as the first DATA iov.
	layout(const bytes &c, const std::vector<msg_run> &runs, int cut, bool conf_in_head, uint64_t &seed) : conf(c)
	{
		struct piece {
			uint32_t type;
			size_t idx;
		};
		std::vector<piece> ps;
		auto add = [&](uint32_t type, const uint8_t *p, size_t n) {
			store.emplace_back(p, p + n);
			ps.push_back({type, store.size() - 1});
		};
		std::vector<msg_run> all;
		if (!conf_in_head)
			all.push_back({true, c});
		all.insert(all.end(), runs.begin(), runs.end());
		for (auto &r : all) {
			uint32_t type = r.enc ? KGSS_IOV_DATA : KGSS_IOV_SIGN_ONLY;
			size_t o = 0;
			if (cut == 0) {
				add(type, r.b.data(), r.b.size());
				continue;
			}
			while (o < r.b.size()) {
				size_t n = 1;
				if (cut == 2) {
					uint8_t rnd[2];
					kt::fill_random(seed, rnd, 2);
					n = rnd[0] % 4 == 0 ? 0 : (rnd[1] % 3 == 0 ? 1 + rnd[0] % 40 : 1 + rnd[0] * 7);
					if (rnd[1] % 5 == 0)
						add(rnd[1] & 1 ? KGSS_IOV_EMPTY : KGSS_IOV_HEADER, r.b.data(), 0);
				}
				n = std::min(n, r.b.size() - o);
				add(type, r.b.data() + o, n);
				o += n;
			}
		}
		for (auto &p : ps)
			iov.push_back({p.type, {store[p.idx].size(), store[p.idx].data()}});
		if (conf_in_head)
			sl.add_head(conf.data(), conf.size(), true);
		sl.set_iov(iov.data(), iov.size());
	}
	bytes enc_bytes() const
	{
		bytes r;
		kgss::seg s;
		for (size_t i = 0; i < sl.count(); i++)
			if (sl.at(i, &s) && s.enc)
				r.insert(r.end(), s.p, s.p + s.len);
		return r;
	}
	bool enc_all_zero() const
	{
		for (uint8_t x : enc_bytes())
			if (x)
				return false;
		return true;
	}
};

bytes rnd(uint64_t &seed, size_t n)
{
	bytes b(n);
	if (n)
		kt::fill_random(seed, b.data(), n);
	return b;
}

// Runs for a message of n data bytes: DATA only, or DATA with SIGN_ONLY runs
// around and between.  DES3 needs conf + data to be a multiple of 8.
std::vector<msg_run> make_runs(const kgss::enctype *et, size_t n, bool sign_only, uint64_t &seed)
{
	if (et->family() == kgss::FAMILY_DES3)
		n += (8 - (et->conf_len + n) % 8) % 8;
	bytes d = rnd(seed, n);
	std::vector<msg_run> r;
	if (!sign_only) {
		r.push_back({true, d});
		return r;
	}
	size_t a = n / 3, b = n / 2;
	r.push_back({false, rnd(seed, 5)});
	r.push_back({true, bytes(d.begin(), d.begin() + a)});
	r.push_back({false, rnd(seed, 17)});
	r.push_back({true, bytes(d.begin() + a, d.begin() + b)});
	r.push_back({false, bytes()});
	r.push_back({true, bytes(d.begin() + b, d.end())});
	r.push_back({false, rnd(seed, 3)});
	return r;
}

// The ciphertext runs of a layout, in the shape of `runs`, so another cut
// of the same ciphertext can be built for decryption.
std::vector<msg_run> cipher_runs(const layout &l, const std::vector<msg_run> &runs, bytes *conf_ct)
{
	bytes e = l.enc_bytes();
	*conf_ct = bytes(e.begin(), e.begin() + l.conf.size());
	size_t o = l.conf.size();
	std::vector<msg_run> r = runs;
	for (auto &x : r)
		if (x.enc) {
			x.b.assign(e.begin() + o, e.begin() + o + x.b.size());
			o += x.b.size();
		}
	return r;
}

const size_t kLens[] = {0,  1,  2,  7,   8,   15,   16,   17,   31,   32,   33,   47,   48,
			63, 64, 65, 100, 255, 1000, 4080, 4095, 4096, 4097, 8200, 10000};

} // namespace

TEST_GROUP(seg_roundtrip){};

TEST(seg_roundtrip, cut_invariance_and_decrypt_from_another_cut)
{
	uint64_t seed = 0x5e6a11;
	for (size_t i = 0; i < kgss::enctype_count(); i++) {
		const kgss::enctype *et = kgss::enctype_at(i);
		for (auto &be : katu::backends()) {
			if (kgss::enctype_check_backend(et, be.be) != KGSS_S_COMPLETE) {
				katu::count_unavailable("segments roundtrip", katu::et_label(et->etype), be.label);
				continue;
			}
			bytes key = rnd(seed, et->key_bytes);
			auto k = katu::new_enc_key();
			CHECK_EQUAL(KGSS_S_COMPLETE, et->derive_enc(be.be, key.data(), 24, k.get()));
			for (size_t n : kLens) {
				for (bool so : {false, true}) {
					bytes conf = rnd(seed, et->conf_len);
					std::vector<msg_run> runs = make_runs(et, n, so, seed);
					// reference: one iov per run, confounder first in the iov list
					layout ref(conf, runs, 0, false, seed);
					bytes tag_ref(et->cksum_len);
					CHECK_EQUAL(KGSS_S_COMPLETE, et->encrypt(k.get(), ref.sl, tag_ref.data()));
					if (!so) { // one run: also equal to the contiguous helper
						bytes ct;
						CHECK_EQUAL(KGSS_S_COMPLETE,
							    katu::encrypt_contig(et, k.get(), conf, runs[0].b, &ct));
						STRCMP_EQUAL(
							to_hex(ct).c_str(),
							to_hex(katu::join_ct(et, ref.enc_bytes(), tag_ref)).c_str());
					}
					for (int cut : {1, 2}) {
						if (cut == 1 && n > 300)
							continue; // 1-byte pieces: small messages only (time)
						for (bool head : {false, true}) {
							layout l(conf, runs, cut, head, seed);
							bytes tag(et->cksum_len);
							CHECK_EQUAL(KGSS_S_COMPLETE,
								    et->encrypt(k.get(), l.sl, tag.data()));
							STRCMP_EQUAL(to_hex(ref.enc_bytes()).c_str(),
								     to_hex(l.enc_bytes()).c_str());
							STRCMP_EQUAL(to_hex(tag_ref).c_str(), to_hex(tag).c_str());
							// decrypt from a different random cut
							bytes conf_ct;
							std::vector<msg_run> cr = cipher_runs(l, runs, &conf_ct);
							layout d(conf_ct, cr, 2, !head, seed);
							CHECK_EQUAL(KGSS_S_COMPLETE,
								    et->decrypt(k.get(), d.sl, tag.data()));
							layout plain(conf, runs, 0, true, seed);
							STRCMP_EQUAL(to_hex(plain.enc_bytes()).c_str(),
								     to_hex(d.enc_bytes()).c_str());
							katu::count("segments roundtrip", katu::et_label(et->etype),
								    be.label);
						}
					}
					if (so) { // a modified SIGN_ONLY byte fails verification
						bytes conf_ct;
						std::vector<msg_run> cr = cipher_runs(ref, runs, &conf_ct);
						cr[0].b[0] ^= 0x40;
						layout d(conf_ct, cr, 2, true, seed);
						CHECK_EQUAL(KGSS_S_BAD_SIG, et->decrypt(k.get(), d.sl, tag_ref.data()));
						CHECK(d.enc_all_zero());
					}
				}
			}
			kgss::enc_key_clear(k.get());
		}
	}
	CHECK(katu::total("segments roundtrip") > 0);
}

TEST(seg_roundtrip, checksum_cut_invariance)
{
	uint64_t seed = 0xc4ec;
	for (size_t i = 0; i < kgss::enctype_count(); i++) {
		const kgss::enctype *et = kgss::enctype_at(i);
		for (auto &be : katu::backends()) {
			if (kgss::enctype_check_backend(et, be.be) != KGSS_S_COMPLETE) {
				katu::count_unavailable("checksum segments", katu::et_label(et->etype), be.label);
				continue;
			}
			bytes key = rnd(seed, et->key_bytes);
			auto k = katu::new_mac_key();
			CHECK_EQUAL(KGSS_S_COMPLETE, et->derive_cksum(be.be, key.data(), 25, k.get()));
			for (size_t n : kLens) {
				std::vector<msg_run> runs = make_runs(et, n, true, seed);
				bytes none;
				layout ref(none, runs, 0, true, seed);
				layout l(none, runs, 2, true, seed);
				bytes a(et->cksum_len), b(et->cksum_len);
				CHECK_EQUAL(KGSS_S_COMPLETE, et->make_checksum(k.get(), ref.sl, a.data()));
				CHECK_EQUAL(KGSS_S_COMPLETE, et->make_checksum(k.get(), l.sl, b.data()));
				STRCMP_EQUAL(to_hex(a).c_str(), to_hex(b).c_str());
				CHECK_EQUAL(KGSS_S_COMPLETE, et->verify_checksum(k.get(), l.sl, a.data()));
				katu::count("checksum segments", katu::et_label(et->etype), be.label);
			}
			kgss::mac_key_clear(k.get());
		}
	}
}

TEST_GROUP(seg_reject){};

TEST(seg_reject, truncation_bitflip_wrong_usage)
{
	uint64_t seed = 0xbadc0de;
	for (size_t i = 0; i < kgss::enctype_count(); i++) {
		const kgss::enctype *et = kgss::enctype_at(i);
		for (auto &be : katu::backends()) {
			if (kgss::enctype_check_backend(et, be.be) != KGSS_S_COMPLETE) {
				katu::count_unavailable("reject", katu::et_label(et->etype), be.label);
				continue;
			}
			bytes key = rnd(seed, et->key_bytes);
			auto k = katu::new_enc_key();
			auto k2 = katu::new_enc_key();
			CHECK_EQUAL(KGSS_S_COMPLETE, et->derive_enc(be.be, key.data(), 22, k.get()));
			CHECK_EQUAL(KGSS_S_COMPLETE, et->derive_enc(be.be, key.data(), 24, k2.get()));
			bytes conf = rnd(seed, et->conf_len);
			bytes plain = rnd(seed, et->family() == kgss::FAMILY_DES3 ? 40 : 41);
			bytes ct, enc, tag;
			CHECK_EQUAL(KGSS_S_COMPLETE, katu::encrypt_contig(et, k.get(), conf, plain, &ct));
			CHECK(katu::split_ct(et, ct, &enc, &tag));
			auto try_dec = [&](const kgss::enc_key *key_, bytes e, const bytes &t) {
				kgss_iov iov[2] = {{KGSS_IOV_DATA, {e.size() / 2, e.data()}},
						   {KGSS_IOV_DATA, {e.size() - e.size() / 2, e.data() + e.size() / 2}}};
				kgss::seglist sl;
				sl.set_iov(iov, 2);
				kgss_status st = et->decrypt(key_, sl, t.data());
				for (uint8_t x : e)
					CHECK_EQUAL(0, x); // all encrypted segments zeroed
				return st;
			};
			// truncated: encrypted part of 0 .. conf + cksum bytes
			for (size_t e = 0; e <= (size_t)et->conf_len + et->cksum_len; e++) {
				kgss_status st = try_dec(k.get(), bytes(enc.begin(), enc.begin() + e), tag);
				if (e < et->conf_len || (et->block_size > 1 && e < et->block_size))
					CHECK_EQUAL(KGSS_S_DEFECTIVE_TOKEN, st);
				else
					CHECK(st == KGSS_S_BAD_SIG || st == KGSS_S_DEFECTIVE_TOKEN);
			}
			// one-bit flips in the ciphertext and in the tag
			for (size_t bit = 0; bit < enc.size() * 8; bit++) {
				bytes e = enc;
				e[bit / 8] ^= (uint8_t)(1u << (bit % 8));
				CHECK_EQUAL(KGSS_S_BAD_SIG, try_dec(k.get(), e, tag));
			}
			for (size_t bit = 0; bit < tag.size() * 8; bit++) {
				bytes t = tag;
				t[bit / 8] ^= (uint8_t)(1u << (bit % 8));
				CHECK_EQUAL(KGSS_S_BAD_SIG, try_dec(k.get(), enc, t));
			}
			// wrong usage
			CHECK_EQUAL(KGSS_S_BAD_SIG, try_dec(k2.get(), enc, tag));
			// and the untouched ciphertext still decrypts
			bytes out;
			CHECK_EQUAL(KGSS_S_COMPLETE, katu::decrypt_contig(et, k.get(), ct, &out));
			kgss::enc_key_clear(k.get());
			kgss::enc_key_clear(k2.get());
			katu::count("reject", katu::et_label(et->etype), be.label);
		}
	}
}

TEST_GROUP(seg_differential){};

// every other backend vs OpenSSL: same key, usage, confounder, data ->
// same ciphertext, tag and checksum; each decrypts the other's output.
TEST(seg_differential, every_backend_vs_openssl)
{
	const kgss_crypto_backend *ossl = kgss_crypto_openssl();
	uint64_t seed = 0xd1ff;
	for (size_t i = 0; i < kgss::enctype_count(); i++) {
		const kgss::enctype *et = kgss::enctype_at(i);
		bool ossl_ok = kgss::enctype_check_backend(et, ossl) == KGSS_S_COMPLETE;
		for (auto &be : katu::backends()) {
			if (be.be == ossl)
				continue;
			if (!ossl_ok || kgss::enctype_check_backend(et, be.be) != KGSS_S_COMPLETE) {
				katu::count_unavailable("differential vs openssl", katu::et_label(et->etype), be.label);
				continue;
			}
			for (int iter = 0; iter < 60; iter++) {
				bytes key = rnd(seed, et->key_bytes);
				uint8_t r[4];
				kt::fill_random(seed, r, 4);
				uint32_t usage = (uint32_t)(r[0] | r[1] << 8) % 1024;
				size_t n = iter < 20 ? (size_t)iter : (size_t)(r[2] | r[3] << 8) % 4097;
				if (et->family() == kgss::FAMILY_DES3)
					n += (8 - (et->conf_len + n) % 8) % 8;
				bytes conf = rnd(seed, et->conf_len), data = rnd(seed, n);
				auto ka = katu::new_enc_key(), kb = katu::new_enc_key();
				CHECK_EQUAL(KGSS_S_COMPLETE, et->derive_enc(be.be, key.data(), usage, ka.get()));
				CHECK_EQUAL(KGSS_S_COMPLETE, et->derive_enc(ossl, key.data(), usage, kb.get()));
				bytes cta, ctb, pa, pb;
				CHECK_EQUAL(KGSS_S_COMPLETE, katu::encrypt_contig(et, ka.get(), conf, data, &cta));
				CHECK_EQUAL(KGSS_S_COMPLETE, katu::encrypt_contig(et, kb.get(), conf, data, &ctb));
				STRCMP_EQUAL(to_hex(ctb).c_str(), to_hex(cta).c_str());
				CHECK_EQUAL(KGSS_S_COMPLETE, katu::decrypt_contig(et, ka.get(), ctb, &pa));
				CHECK_EQUAL(KGSS_S_COMPLETE, katu::decrypt_contig(et, kb.get(), cta, &pb));
				CHECK(pa == pb);
				kgss::enc_key_clear(ka.get());
				kgss::enc_key_clear(kb.get());
				auto ma = katu::new_mac_key(), mb = katu::new_mac_key();
				CHECK_EQUAL(KGSS_S_COMPLETE, et->derive_cksum(be.be, key.data(), usage, ma.get()));
				CHECK_EQUAL(KGSS_S_COMPLETE, et->derive_cksum(ossl, key.data(), usage, mb.get()));
				kgss_iov iov = {KGSS_IOV_DATA, {data.size(), data.data()}};
				kgss::seglist sl;
				sl.set_iov(&iov, 1);
				bytes ca(et->cksum_len), cb(et->cksum_len);
				CHECK_EQUAL(KGSS_S_COMPLETE, et->make_checksum(ma.get(), sl, ca.data()));
				CHECK_EQUAL(KGSS_S_COMPLETE, et->make_checksum(mb.get(), sl, cb.data()));
				STRCMP_EQUAL(to_hex(cb).c_str(), to_hex(ca).c_str());
				kgss::mac_key_clear(ma.get());
				kgss::mac_key_clear(mb.get());
				if (et->ops->derive_raw) {
					uint8_t ra[64], rb[64];
					size_t la = 0, lb = 0;
					for (kgss::derive_kind kd :
					     {kgss::DERIVE_KC, kgss::DERIVE_KE, kgss::DERIVE_KI}) {
						CHECK_EQUAL(KGSS_S_COMPLETE,
							    et->derive_raw(be.be, key.data(), usage, kd, ra, &la));
						CHECK_EQUAL(KGSS_S_COMPLETE,
							    et->derive_raw(ossl, key.data(), usage, kd, rb, &lb));
						STRCMP_EQUAL(to_hex(rb, lb).c_str(), to_hex(ra, la).c_str());
					}
				}
				katu::count("differential vs openssl", katu::et_label(et->etype), be.label);
			}
		}
	}
}
