// tests/edges/test_enctype_faults.cc - the RFC 3961 operations of every
// enctype row (crypto/enctype.h: derive_enc, derive_cksum, encrypt,
// decrypt, make_checksum, verify_checksum) on the fault backend, one and
// two failures per call.  The token layer reaches only part of them (RC4's
// encrypt / decrypt, for one, are used by no token: RFC 1964 tokens have
// their own RC4 sealing).  Every failure must be KGSS_S_FAILURE (never
// COMPLETE, never BAD_SIG: a backend failure is not a forgery); a failed
// derivation leaves its key object all zero; a failed decrypt leaves every
// encrypted byte zero; the key objects keep working afterwards (the same
// ciphertext and checksum again).
#include <stdio.h>
#include <string.h>

#include <functional>
#include <memory>
#include <string>

#include "CppUTest/TestHarness.h"
#include "crypto/enctype.h"
#include "crypto/mac.h"
#include "edges_util.h"
#include "families.h"
#include "fault_backend.h"

using namespace ke;
using kgss::enctype;

namespace {

constexpr uint32_t kUsage = 24; // KG_USAGE_ACCEPTOR_SEAL (RFC 4121 §2)

// Heap key objects (about 1 KiB each), zero-filled.
template <typename K>
std::unique_ptr<K> fresh()
{
	return std::unique_ptr<K>(new K());
}

// conf | data: the encrypted segments of one message (DES3: whole blocks).
struct msg_segs {
	bytes conf, data;
	kgss::seglist sl;
	msg_segs(const enctype *et, const bytes &plain) : conf(et->conf_len, 0xc0), data(plain)
	{
		sl.add_head(conf.data(), conf.size(), true);
		sl.add_tail(data.data(), data.size(), true);
	}
	bool zero() const { return all_zero(conf) && all_zero(data); }
};

// Counts the calls f makes cleanly, then runs it with every failure N (and
// with `pairs` every pair N < M); check(status) after each.  Returns runs.
long sweep(const std::string &what, const std::function<kgss_status()> &f,
	   const std::function<void(kgss_status, const std::string &)> &check, bool pairs)
{
	kf::plan().reset();
	LONGS_EQUAL_TEXT(KGSS_S_COMPLETE, f(), what.c_str());
	const long calls = kf::plan().calls;
	CHECK_TEXT(calls > 0, what.c_str());
	long runs = 0;
	for (long n = 1; n <= calls; n++) {
		for (long m = pairs ? n + 1 : 0; m <= (pairs ? calls : 0); m++) {
			kf::plan().reset(n, m);
			const kgss_status st = f();
			const std::string w = what + ", calls " + std::to_string(n) + "+" + std::to_string(m);
			LONGS_EQUAL_TEXT(KGSS_S_FAILURE, st, w.c_str());
			check(st, w);
			runs++;
		}
	}
	kf::plan().reset();
	return runs;
}

} // namespace

TEST_GROUP(enctype_faults){void teardown() override{kf::plan().reset();
}
}
;

TEST(enctype_faults, every_operation_of_every_row)
{
	const kgss_crypto_backend *be = kf::fault_backend();
	for (int etype : kt::compiled_in({16, 17, 18, 19, 20, 23, 24, 25, 26})) {
		const enctype *et = kgss::enctype_find(etype);
		CHECK(et != nullptr);
		const bytes key = key_for(etype);
		const std::string base = std::string(et->name);
		long runs = 0;
		for (bool pairs : {false, true}) {
			// Derivations: a failed one leaves the key object all zero.
			auto ek = fresh<kgss::enc_key>();
			runs += sweep(
				base + " derive_enc", [&] { return et->derive_enc(be, key.data(), kUsage, ek.get()); },
				[&](kgss_status, const std::string &w) {
					CHECK_TEXT(all_zero((const uint8_t *)ek.get(), sizeof(*ek)), w.c_str());
				},
				pairs);
			auto mk = fresh<kgss::mac_key>();
			runs += sweep(
				base + " derive_cksum",
				[&] { return et->derive_cksum(be, key.data(), kUsage, mk.get()); },
				[&](kgss_status, const std::string &w) {
					CHECK_TEXT(all_zero((const uint8_t *)mk.get(), sizeof(*mk)), w.c_str());
				},
				pairs);
			if (et->family() != kgss::FAMILY_RC4) { // RC4 has no raw derivation
				uint8_t raw[64];
				size_t raw_len = 0;
				runs += sweep(
					base + " derive_raw",
					[&] {
						return et->derive_raw(be, key.data(), kUsage, kgss::DERIVE_KI, raw,
								      &raw_len);
					},
					[&](kgss_status, const std::string &w) {
						LONGS_EQUAL_TEXT(0, raw_len, w.c_str());
					},
					pairs);
			}
			LONGS_EQUAL(KGSS_S_COMPLETE, et->derive_enc(be, key.data(), kUsage, ek.get()));
			LONGS_EQUAL(KGSS_S_COMPLETE, et->derive_cksum(be, key.data(), kUsage, mk.get()));

			// Reference ciphertext and checksum.
			const bytes plain = message(etype == 16 ? 64 : 61);
			msg_segs ref(et, plain);
			bytes ref_tag(et->cksum_len), ref_ck(et->cksum_len);
			LONGS_EQUAL(KGSS_S_COMPLETE, et->encrypt(ek.get(), ref.sl, ref_tag.data()));
			LONGS_EQUAL(KGSS_S_COMPLETE, et->make_checksum(mk.get(), ref.sl, ref_ck.data()));

			runs += sweep(
				base + " encrypt",
				[&] {
					msg_segs m(et, plain);
					bytes tag(et->cksum_len);
					kgss_status st = et->encrypt(ek.get(), m.sl, tag.data());
					if (st == KGSS_S_COMPLETE)
						CHECK(m.data == ref.data && tag == ref_tag);
					return st;
				},
				[](kgss_status, const std::string &) {}, pairs);
			bytes dec_conf, dec_data;
			runs += sweep(
				base + " decrypt",
				[&] {
					msg_segs m(et, plain);
					memcpy(m.conf.data(), ref.conf.data(), m.conf.size());
					memcpy(m.data.data(), ref.data.data(), m.data.size());
					kgss_status st = et->decrypt(ek.get(), m.sl, ref_tag.data());
					if (st == KGSS_S_COMPLETE)
						CHECK(m.data == plain);
					dec_conf = m.conf;
					dec_data = m.data;
					return st;
				},
				[&](kgss_status, const std::string &w) {
					CHECK_TEXT(all_zero(dec_conf) && all_zero(dec_data),
						   ("plaintext released: " + w).c_str());
				},
				pairs);
			runs += sweep(
				base + " make_checksum",
				[&] {
					bytes ck(et->cksum_len);
					kgss_status st = et->make_checksum(mk.get(), ref.sl, ck.data());
					if (st == KGSS_S_COMPLETE)
						CHECK(ck == ref_ck);
					return st;
				},
				[](kgss_status, const std::string &) {}, pairs);
			runs += sweep(
				base + " verify_checksum",
				[&] { return et->verify_checksum(mk.get(), ref.sl, ref_ck.data()); },
				[](kgss_status, const std::string &) {}, pairs);
			kgss::enc_key_clear(ek.get());
			kgss::mac_key_clear(mk.get());
		}
		printf("enctype faults: %s: %ld injected runs (single and pairs), all FAILURE and clean\n", et->name,
		       runs);
	}
}
