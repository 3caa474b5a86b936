// tests/edges/test_crypto_edges.cc - the contracts of the internal crypto
// interfaces on input the token layer never hands them (it checks first):
// backend lookups (crypto/enctype.h), derivations on a backend without the
// primitive, the RFC 4757 usage translation, the profiles' refusals of keys
// and lengths they cannot take (crypto/enctypes/profile.h, rc4_hmac.h), MAC
// runs without a key (crypto/mac.h), HMAC keys longer than a block, the KDF
// bounds (crypto/kdf.h, nfold.h), the segment ciphers' refusals (crypto/seg_cipher.h)
// and the ChaCha PRNG's NULL arguments (kgss_crypto.h).  Each refusal is a
// status, never a crash, and writes no partial result.
#include <string.h>

#include <memory>
#include <string>

#include "CppUTest/TestHarness.h"
#include "crypto/seg_cipher.h"
#include "crypto/sweep.h"
#include "crypto/enctype.h"
#include "crypto/enctypes/profile.h"
#include "crypto/enctypes/rc4_hmac.h"
#include "crypto/kdf.h"
#include "crypto/mac.h"
#include "crypto/nfold.h"
#include "edges_util.h"
#include "families.h"
#include "fault_backend.h"

using namespace ke;
using namespace kgss;

namespace {

template <typename K>
std::unique_ptr<K> fresh()
{
	return std::unique_ptr<K>(new K());
}

template <typename K>
bool zeroed(const K &k)
{
	return all_zero((const uint8_t *)&k, sizeof(k));
}

const kgss_crypto_backend *portable() { return kgss_crypto_builtin_portable(); }

// A copy of the portable backend with the slot of `cipher` (or `hash`) empty.
kgss_crypto_backend without(cipher_id cipher, hash_id hash)
{
	kgss_crypto_backend b = *portable();
	switch (cipher) {
	case CIPHER_AES128:
		b.aes128 = nullptr;
		break;
	case CIPHER_AES256:
		b.aes256 = nullptr;
		break;
	case CIPHER_CAMELLIA128:
		b.camellia128 = nullptr;
		break;
	case CIPHER_CAMELLIA256:
		b.camellia256 = nullptr;
		break;
	case CIPHER_DES3:
		b.des3 = nullptr;
		break;
	case CIPHER_RC4:
		b.rc4 = nullptr;
		break;
	default:
		break;
	}
	switch (hash) {
	case HASH_MD5:
		b.md5 = nullptr;
		break;
	case HASH_SHA1:
		b.sha1 = nullptr;
		break;
	case HASH_SHA256:
		b.sha256 = nullptr;
		break;
	case HASH_SHA384:
		b.sha384 = nullptr;
		break;
	default:
		break;
	}
	return b;
}

// Overwrites b's bytes in place (a seglist points at them: no reallocation).
void refill(bytes &b, const bytes &src)
{
	CHECK(b.size() == src.size());
	memcpy(b.data(), src.data(), b.size());
}

// One contiguous encrypted segment over b.
struct one_seg {
	kgss::seglist sl;
	explicit one_seg(bytes &b) { sl.add_head(b.data(), b.size(), true); }
};

} // namespace

TEST_GROUP(crypto_edges){};

TEST(crypto_edges, backend_lookups_serve_only_their_own_slots)
{
	const kgss_crypto_backend *be = portable();
	kgss_crypto_backend newer = *be;
	newer.abi_version = KGSS_CRYPTO_ABI_VERSION + 1;
	POINTERS_EQUAL(be->aes128, backend_cipher(be, CIPHER_AES128));
	POINTERS_EQUAL(be->des3, backend_cipher(be, CIPHER_DES3));
	POINTERS_EQUAL(nullptr, backend_cipher(nullptr, CIPHER_AES128));
	POINTERS_EQUAL(nullptr, backend_cipher(&newer, CIPHER_AES128));
	POINTERS_EQUAL(nullptr, backend_cipher(be, CIPHER_RC4)); // a stream cipher
	POINTERS_EQUAL(nullptr, backend_cipher(be, CIPHER_NONE));
	POINTERS_EQUAL(be->rc4, backend_stream(be, CIPHER_RC4));
	POINTERS_EQUAL(nullptr, backend_stream(be, CIPHER_AES128));
	POINTERS_EQUAL(nullptr, backend_stream(nullptr, CIPHER_RC4));
	POINTERS_EQUAL(nullptr, backend_stream(&newer, CIPHER_RC4));
	POINTERS_EQUAL(be->sha384, backend_hash(be, HASH_SHA384));
	POINTERS_EQUAL(nullptr, backend_hash(be, HASH_NONE));
	POINTERS_EQUAL(nullptr, backend_hash(nullptr, HASH_SHA1));
	POINTERS_EQUAL(nullptr, backend_hash(&newer, HASH_SHA1));
	for (size_t i = 0; i < enctype_count(); i++) {
		const enctype *et = enctype_at(i);
		LONGS_EQUAL(KGSS_S_COMPLETE, enctype_check_backend(et, be));
		LONGS_EQUAL(KGSS_S_UNAVAILABLE, enctype_check_backend(et, nullptr));
		LONGS_EQUAL(KGSS_S_UNAVAILABLE, enctype_check_backend(et, &newer));
	}
	LONGS_EQUAL(KGSS_S_UNAVAILABLE, enctype_check_backend(nullptr, be));
	POINTERS_EQUAL(nullptr, enctype_at(enctype_count()));
}

// Every derivation needs its family's primitives from the backend it is
// given: UNAVAILABLE and an all-zero key object without them.  RC4 has no
// raw derivation at all.
TEST(crypto_edges, derivations_without_the_primitive_are_unavailable)
{
	for (size_t i = 0; i < enctype_count(); i++) {
		const enctype *et = enctype_at(i);
		const bytes key = key_for(et->etype);
		const kgss_crypto_backend no_cipher = without(et->cipher, HASH_NONE);
		const kgss_crypto_backend no_hash = without(CIPHER_NONE, et->hash);
		const bool has_hash = et->hash != HASH_NONE;
		for (const kgss_crypto_backend *b : {&no_cipher, has_hash ? &no_hash : nullptr}) {
			if (b == nullptr)
				continue;
			auto ek = fresh<enc_key>();
			auto mk = fresh<mac_key>();
			memset(ek.get(), 0xee, sizeof(*ek));
			memset(mk.get(), 0xee, sizeof(*mk));
			LONGS_EQUAL_TEXT(KGSS_S_UNAVAILABLE, et->derive_enc(b, key.data(), 24, ek.get()), et->name);
			LONGS_EQUAL_TEXT(KGSS_S_UNAVAILABLE, et->derive_cksum(b, key.data(), 24, mk.get()), et->name);
			CHECK_TEXT(zeroed(*ek) && zeroed(*mk), et->name);
		}
		// Raw derivation: the cipher (DES3, AES-SHA1, Camellia) or the hash
		// (AES-SHA2, whose KDF is HMAC) it runs on; none for RC4.
		uint8_t out[64];
		size_t out_len = 99;
		const kgss_crypto_backend *raw_less = et->family() == FAMILY_AES_SHA2 ? &no_hash : &no_cipher;
		LONGS_EQUAL_TEXT(KGSS_S_UNAVAILABLE, et->derive_raw(raw_less, key.data(), 24, DERIVE_KE, out, &out_len),
				 et->name);
		LONGS_EQUAL(0, out_len);
		if (et->family() == FAMILY_RC4) {
			out_len = 99;
			LONGS_EQUAL(KGSS_S_UNAVAILABLE,
				    et->derive_raw(portable(), key.data(), 24, DERIVE_KE, out, &out_len));
			LONGS_EQUAL(0, out_len);
		}
	}
}

// RFC 4757 §3 (MIT ms_usage): usage 23 is used as 13 and 3 as 8; other
// usages unchanged.  Same key, same plaintext: same ciphertext and checksum.
TEST(crypto_edges, rc4_key_usage_translation)
{
	for (int etype : kt::compiled_in({23, 24})) {
		const enctype *et = enctype_find(etype);
		const bytes key = key_for(etype);
		auto enc_under = [&](uint32_t usage) {
			auto ek = fresh<enc_key>();
			LONGS_EQUAL(KGSS_S_COMPLETE, et->derive_enc(portable(), key.data(), usage, ek.get()));
			bytes m = message(40);
			one_seg s(m);
			bytes tag(et->cksum_len);
			LONGS_EQUAL(KGSS_S_COMPLETE, et->encrypt(ek.get(), s.sl, tag.data()));
			enc_key_clear(ek.get());
			m.insert(m.end(), tag.begin(), tag.end());
			return m;
		};
		auto cksum_under = [&](uint32_t usage) {
			auto mk = fresh<mac_key>();
			LONGS_EQUAL(KGSS_S_COMPLETE, et->derive_cksum(portable(), key.data(), usage, mk.get()));
			bytes m = message(40), ck(et->cksum_len);
			one_seg s(m);
			LONGS_EQUAL(KGSS_S_COMPLETE, et->make_checksum(mk.get(), s.sl, ck.data()));
			mac_key_clear(mk.get());
			return ck;
		};
		CHECK(enc_under(23) == enc_under(13));
		CHECK(enc_under(3) == enc_under(8));
		CHECK(enc_under(13) != enc_under(14));
		CHECK(cksum_under(23) == cksum_under(13));
		CHECK(cksum_under(13) != cksum_under(15));
	}
}

// The RC4 profile checks its key objects and lengths itself.
TEST(crypto_edges, rc4_profile_refuses_keys_and_lengths_it_cannot_take)
{
	for (int etype : kt::compiled_in({23, 24})) {
		const enctype *et = enctype_find(etype);
		const bytes key = key_for(etype);
		auto ek = fresh<enc_key>();
		LONGS_EQUAL(KGSS_S_COMPLETE, et->derive_enc(portable(), key.data(), 13, ek.get()));
		bytes tag(et->cksum_len, 0xee);
		// Shorter than the confounder.
		bytes shortm(et->conf_len - 1, 0x41);
		one_seg s1(shortm);
		LONGS_EQUAL(KGSS_S_FAILURE, et->encrypt(ek.get(), s1.sl, tag.data()));
		LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, et->decrypt(ek.get(), s1.sl, tag.data()));
		CHECK(all_zero(shortm));
		// The RC4 half of the key missing: no ciphertext, the tag wiped.
		auto no_ke = fresh<enc_key>();
		LONGS_EQUAL(KGSS_S_COMPLETE, et->derive_enc(portable(), key.data(), 13, no_ke.get()));
		cipher_key_clear(&no_ke->ke);
		bytes m = message(30);
		one_seg s2(m);
		LONGS_EQUAL(KGSS_S_FAILURE, et->encrypt(no_ke.get(), s2.sl, tag.data()));
		CHECK(all_zero(tag));
		CHECK(m == message(30));
		LONGS_EQUAL(KGSS_S_FAILURE, et->decrypt(no_ke.get(), s2.sl, tag.data()));
		CHECK(all_zero(m));
		// The MAC half missing.
		mac_key_clear(&ek->ki);
		refill(m, message(30));
		LONGS_EQUAL(KGSS_S_FAILURE, et->encrypt(ek.get(), s2.sl, tag.data()));
		LONGS_EQUAL(KGSS_S_FAILURE, et->decrypt(ek.get(), s2.sl, tag.data()));
		CHECK(all_zero(m));
		enc_key_clear(ek.get());
		enc_key_clear(no_ke.get());
		// Checksum -138 needs an HMAC-MD5 key: a CMAC or HMAC-SHA1 key is refused.
		bytes ck(16, 0xee);
		refill(m, message(30));
		for (int other : kt::compiled_in({25, 17})) {
			const enctype *ot = enctype_find(other);
			auto mk = fresh<mac_key>();
			LONGS_EQUAL(KGSS_S_COMPLETE, ot->derive_cksum(portable(), key_for(other).data(), 15, mk.get()));
			LONGS_EQUAL(KGSS_S_FAILURE, et->make_checksum(mk.get(), s2.sl, ck.data()));
			LONGS_EQUAL(KGSS_S_FAILURE, et->verify_checksum(mk.get(), s2.sl, ck.data()));
			mac_key_clear(mk.get());
		}
		// The RFC 4757 primitives: no RC4 class, no MD5 in the backend.
		uint8_t k16[16] = {1};
		LONGS_EQUAL(KGSS_S_UNAVAILABLE, rc4_crypt_segs(nullptr, k16, s2.sl));
		CHECK(m == message(30));
		const kgss_crypto_backend no_md5 = without(CIPHER_NONE, HASH_MD5);
		const kgss_hash_class *md5 = nullptr;
		const kgss_stream_cipher_class *rc4 = nullptr;
		LONGS_EQUAL(KGSS_S_UNAVAILABLE, rc4_backend(&no_md5, &md5, &rc4));
		POINTERS_EQUAL(nullptr, md5);
	}
}

// The shared profiles (MAC-then-encrypt, encrypt-then-MAC, keyed checksums)
// refuse a message shorter than the confounder, a DES3 message that is not
// whole blocks, and a key whose MAC is shorter than the tag.
TEST(crypto_edges, profiles_refuse_keys_and_lengths_they_cannot_take)
{
	for (int etype : kt::compiled_in({16, 17, 18, 19, 20, 25, 26})) {
		const enctype *et = enctype_find(etype);
		const bytes key = key_for(etype);
		auto ek = fresh<enc_key>();
		auto mk = fresh<mac_key>();
		LONGS_EQUAL(KGSS_S_COMPLETE, et->derive_enc(portable(), key.data(), 24, ek.get()));
		bytes tag(et->cksum_len, 0xee);
		bytes shortm(et->conf_len - 1, 0x41);
		one_seg s1(shortm);
		LONGS_EQUAL_TEXT(KGSS_S_FAILURE, et->encrypt(ek.get(), s1.sl, tag.data()), et->name);
		LONGS_EQUAL_TEXT(KGSS_S_DEFECTIVE_TOKEN, et->decrypt(ek.get(), s1.sl, tag.data()), et->name);
		CHECK(all_zero(shortm));
		if (et->family() == FAMILY_DES3) {
			bytes ragged = message(et->conf_len + 13);
			one_seg s(ragged);
			LONGS_EQUAL(KGSS_S_FAILURE, et->encrypt(ek.get(), s.sl, tag.data()));
			CHECK(ragged == message(et->conf_len + 13));
			LONGS_EQUAL(KGSS_S_DEFECTIVE_TOKEN, et->decrypt(ek.get(), s.sl, tag.data()));
			CHECK(all_zero(ragged));
		}
		// No MAC key (mac_size 0 < the tag).
		mac_key_clear(&ek->ki);
		bytes m = message(48);
		one_seg s2(m);
		LONGS_EQUAL_TEXT(KGSS_S_FAILURE, et->encrypt(ek.get(), s2.sl, tag.data()), et->name);
		CHECK(m == message(48));
		LONGS_EQUAL_TEXT(KGSS_S_FAILURE, et->decrypt(ek.get(), s2.sl, tag.data()), et->name);
		CHECK(all_zero(m));
		bytes ck(et->cksum_len, 0xee);
		LONGS_EQUAL(KGSS_S_FAILURE, et->make_checksum(mk.get(), s2.sl, ck.data()));
		LONGS_EQUAL(KGSS_S_FAILURE, et->verify_checksum(mk.get(), s2.sl, ck.data()));
		CHECK(ck == bytes(et->cksum_len, 0xee));
		enc_key_clear(ek.get());
	}
}

// The tests below key AES-128 (and the KDF one HMAC-SHA-256): in a build
// with those families compiled out the classes must be absent, which is
// checked instead (tests/support/families.h).
static bool have_aes(const kgss_crypto_backend *be)
{
	if (be->aes128 != nullptr && be->sha256 != nullptr)
		return true;
	CHECK(!kt::enctype_compiled_in(17) || !kt::enctype_compiled_in(19));
	CHECK(be->aes128 == nullptr || !kt::enctype_compiled_in(19));
	printf("\n  crypto_edges: AES-128 / SHA-256 compiled out: their classes checked absent\n");
	return false;
}

TEST(crypto_edges, mac_runs_without_a_key_produce_nothing)
{
	const kgss_crypto_backend *be = portable();
	uint8_t k32[32] = {7}, out[64];
	// Cipher keys: no class, a wrong key length.
	auto ck = fresh<cipher_key>();
	LONGS_EQUAL(KGSS_S_UNAVAILABLE, cipher_key_init(ck.get(), nullptr, k32, 16));
	if (be->aes128 != nullptr)
		LONGS_EQUAL(KGSS_S_FAILURE, cipher_key_init(ck.get(), be->aes128, k32, 15));
	CHECK(zeroed(*ck));
	// HMAC over a hash whose digest is wider than its block: unusable.
	kgss_hash_class wide = *be->sha1;
	wide.digest_size = wide.block_size + 1;
	auto hk = fresh<hmac_key>();
	LONGS_EQUAL(KGSS_S_UNAVAILABLE, hmac_key_init(hk.get(), &wide, k32, 16));
	CHECK(zeroed(*hk));
	// A run begun on no key, or an unset key, fails and writes nothing.
	hmac_run hr;
	LONGS_EQUAL(KGSS_S_FAILURE, hmac_begin(&hr, nullptr));
	LONGS_EQUAL(KGSS_S_FAILURE, hmac_begin(&hr, hk.get()));
	hmac_update(&hr, "x", 1);
	memset(out, 0xee, sizeof(out));
	LONGS_EQUAL(KGSS_S_FAILURE, hmac_end(&hr, out));
	CHECK(out[0] == 0xee && out[63] == 0xee);
	hmac_abort(&hr);
	// CMAC needs a 16-byte block; a run on an unset key latches the error.
	auto cm = fresh<cmac_key>();
	LONGS_EQUAL(KGSS_S_UNAVAILABLE, cmac_key_init(cm.get(), be->des3, k32, 24));
	CHECK(zeroed(*cm));
	cmac_run cr;
	LONGS_EQUAL(KGSS_S_FAILURE, cmac_begin(&cr, cm.get()));
	LONGS_EQUAL(KGSS_S_FAILURE, cmac_begin(&cr, nullptr));
	cmac_update(&cr, "data", 4);
	LONGS_EQUAL(KGSS_S_FAILURE, cr.err);
	memset(out, 0xee, sizeof(out));
	LONGS_EQUAL(KGSS_S_FAILURE, cmac_end(&cr, out));
	CHECK(all_zero(out, 16));
	// mac_key of no kind, and an HMAC kind without a hash.
	auto mk = fresh<mac_key>();
	LONGS_EQUAL(0, mac_size(mk.get()));
	mac_run mr;
	LONGS_EQUAL(KGSS_S_FAILURE, mac_begin(&mr, mk.get()));
	mac_update(&mr, "x", 1);
	LONGS_EQUAL(KGSS_S_FAILURE, mac_end(&mr, out));
	mac_abort(&mr);
	mk->kind = MAC_HMAC;
	LONGS_EQUAL(0, mac_size(mk.get()));
	LONGS_EQUAL(KGSS_S_FAILURE, mac_begin(&mr, mk.get()));
	mk->kind = MAC_CMAC;
	LONGS_EQUAL(16, mac_size(mk.get()));
	LONGS_EQUAL(KGSS_S_FAILURE, mac_begin(&mr, mk.get()));
	mac_key_clear(mk.get());
	CHECK(zeroed(*mk));
}

// RFC 2104 §2: a key longer than the block is hashed first.  The precomputed
// key (hmac_key_init) and the one-shot (hmac_raw) agree; every backend
// failure while hashing it fails the key cleanly.
TEST(crypto_edges, hmac_keys_longer_than_a_block)
{
	const kgss_crypto_backend *fb = kf::fault_backend();
	for (const kgss_hash_class *h : {fb->sha1, fb->sha384}) {
		bytes key(h->block_size + 37);
		for (size_t i = 0; i < key.size(); i++)
			key[i] = (uint8_t)(i * 7);
		const bytes msg = message(90);
		const span part = {msg.data(), msg.size()};
		bytes a(h->digest_size), b(h->digest_size), d(h->digest_size);
		auto hk = fresh<hmac_key>();
		kf::plan().reset();
		LONGS_EQUAL(KGSS_S_COMPLETE, hmac_key_init(hk.get(), h, key.data(), key.size()));
		LONGS_EQUAL(KGSS_S_COMPLETE, hmac(hk.get(), msg.data(), msg.size(), a.data()));
		LONGS_EQUAL(KGSS_S_COMPLETE, hmac_raw(h, key.data(), key.size(), &part, 1, b.data()));
		CHECK(a == b);
		// The same key given as its digest (RFC 2104 §2 says they are the same key).
		alignas(KGSS_STATE_ALIGN) uint8_t hs[KGSS_HASH_STATE_MAX];
		LONGS_EQUAL(0, h->init(hs));
		h->update(hs, key.data(), key.size());
		LONGS_EQUAL(0, h->final(hs, d.data()));
		LONGS_EQUAL(KGSS_S_COMPLETE, hmac_raw(h, d.data(), d.size(), &part, 1, b.data()));
		CHECK(a == b);
		hmac_key_clear(hk.get());
		// Every failure, in both.
		for (int which = 0; which < 2; which++) {
			kf::plan().reset();
			kgss_status st = which == 0 ? hmac_key_init(hk.get(), h, key.data(), key.size())
						    : hmac_raw(h, key.data(), key.size(), &part, 1, b.data());
			LONGS_EQUAL(KGSS_S_COMPLETE, st);
			const long calls = kf::plan().calls;
			hmac_key_clear(hk.get());
			for (long n = 1; n <= calls; n++) {
				kf::plan().reset(n);
				memset(b.data(), 0xee, b.size());
				st = which == 0 ? hmac_key_init(hk.get(), h, key.data(), key.size())
						: hmac_raw(h, key.data(), key.size(), &part, 1, b.data());
				LONGS_EQUAL(KGSS_S_FAILURE, st);
				if (which == 0)
					CHECK(zeroed(*hk));
				else
					CHECK(all_zero(b));
			}
			kf::plan().reset();
		}
	}
}

TEST(crypto_edges, kdf_bounds_and_edges)
{
	const kgss_crypto_backend *be = portable();
	if (!have_aes(be))
		return;
	uint8_t out[64], k32[32];
	for (size_t i = 0; i < sizeof(k32); i++)
		k32[i] = (uint8_t)(0x90 + i);
	// hmac_raw: an unusable hash; an empty part changes nothing.
	kgss_hash_class wide = *be->sha256;
	wide.digest_size = wide.block_size + 1;
	LONGS_EQUAL(KGSS_S_UNAVAILABLE, hmac_raw(&wide, k32, 32, nullptr, 0, out));
	const span three[3] = {{k32, 5}, {k32, 0}, {k32 + 5, 9}};
	const span one[1] = {{k32, 14}};
	uint8_t a[32], b[32];
	LONGS_EQUAL(KGSS_S_COMPLETE, hmac_raw(be->sha256, k32, 16, three, 3, a));
	LONGS_EQUAL(KGSS_S_COMPLETE, hmac_raw(be->sha256, k32, 16, one, 1, b));
	MEMCMP_EQUAL(a, b, 32);
	// DR: no cipher; more than 32 bytes; a constant of exactly one block
	// is used as it is (RFC 3961 §5.1: n-fold only when not a block),
	// i.e. DR = E(c) | E(E(c)); an empty constant cannot be folded.
	auto base = fresh<cipher_key>();
	uint8_t c16[16];
	memcpy(c16, "sixteen-byte-cst", 16);
	LONGS_EQUAL(KGSS_S_FAILURE, dr(base.get(), c16, 16, out, 16));
	LONGS_EQUAL(KGSS_S_COMPLETE, cipher_key_init(base.get(), be->aes128, k32, 16));
	LONGS_EQUAL(KGSS_S_FAILURE, dr(base.get(), c16, 16, out, 33));
	LONGS_EQUAL(KGSS_S_COMPLETE, dr(base.get(), c16, 16, out, 32));
	uint8_t e[32];
	memcpy(e, c16, 16);
	LONGS_EQUAL(0, be->aes128->ecb_encrypt(base->ks, e, 1));
	memcpy(e + 16, e, 16);
	LONGS_EQUAL(0, be->aes128->ecb_encrypt(base->ks, e + 16, 1));
	MEMCMP_EQUAL(e, out, 32);
	LONGS_EQUAL(KGSS_S_FAILURE, dr(base.get(), c16, 0, out, 16));
	cipher_key_clear(base.get());
	// nfold's bounds.
	CHECK(!nfold(c16, 0, out, 8));
	CHECK(!nfold(c16, 16, out, 0));
	CHECK(!nfold(c16, 16, out, kNfoldMaxOut + 1));
	CHECK(!nfold(c16, kNfoldMaxIn + 1, out, 8));
	// RFC 8009 KDF: no hash; more than one digest.
	LONGS_EQUAL(KGSS_S_FAILURE, kdf_hmac_sha2(nullptr, k32, 16, c16, 5, out, 16));
	LONGS_EQUAL(KGSS_S_FAILURE, kdf_hmac_sha2(be->sha256, k32, 16, c16, 5, out, 33));
	// RFC 6803 KDF: more than 32 bytes; an unset CMAC key (output wiped).
	auto cm = fresh<cmac_key>();
	LONGS_EQUAL(KGSS_S_FAILURE, kdf_feedback_cmac(cm.get(), c16, 5, out, 33));
	memset(out, 0xee, sizeof(out));
	LONGS_EQUAL(KGSS_S_FAILURE, kdf_feedback_cmac(cm.get(), c16, 5, out, 32));
	CHECK(all_zero(out, 32));
}

TEST(crypto_edges, segment_ciphers_refuse_what_their_mode_cannot_do)
{
	const kgss_crypto_backend *be = portable();
	if (!have_aes(be))
		return;
	uint8_t k32[32] = {3, 1, 4, 1, 5, 9, 2, 6};
	bytes m = message(40);
	one_seg s(m);
	seg_cipher c;
	auto unset = fresh<cipher_key>();
	LONGS_EQUAL(KGSS_S_FAILURE, seg_cipher_init_block(&c, s.sl, SEGC_CTS, unset.get(), false));
	auto aes = fresh<cipher_key>();
	LONGS_EQUAL(KGSS_S_COMPLETE, cipher_key_init(aes.get(), be->aes128, k32, 16));
	LONGS_EQUAL(KGSS_S_FAILURE, seg_cipher_init_block(&c, s.sl, SEGC_STREAM, aes.get(), false));
	alignas(KGSS_STATE_ALIGN) uint8_t rs[KGSS_STREAM_STATE_MAX];
	LONGS_EQUAL(KGSS_S_FAILURE, seg_cipher_init_stream(&c, s.sl, nullptr, rs));
	LONGS_EQUAL(KGSS_S_FAILURE, seg_cipher_init_stream(&c, s.sl, be->rc4, nullptr));
	if (be->des3 != nullptr) {
		// CTS is defined for 16-byte blocks only: a DES3 schedule is refused at
		// the stolen tail, the message untouched.
		auto des = fresh<cipher_key>();
		LONGS_EQUAL(KGSS_S_COMPLETE, cipher_key_init(des.get(), be->des3, k32, 24));
		bytes m12 = message(12);
		one_seg s12(m12);
		LONGS_EQUAL(KGSS_S_COMPLETE, seg_cipher_init_block(&c, s12.sl, SEGC_CTS, des.get(), false));
		LONGS_EQUAL(KGSS_S_FAILURE, seg_cipher_all(&c));
		CHECK(m12 == message(12));
		cipher_key_clear(des.get());
	} else {
		CHECK(!kt::enctype_compiled_in(16));
	}
	// The sweep with no MAC is the cipher alone.
	bytes x = message(100), y = message(100);
	one_seg sx(x), sy(y);
	LONGS_EQUAL(KGSS_S_COMPLETE, seg_cipher_init_block(&c, sx.sl, SEGC_CTS, aes.get(), false));
	LONGS_EQUAL(KGSS_S_COMPLETE, seg_cipher_all(&c));
	LONGS_EQUAL(KGSS_S_COMPLETE, seg_cipher_init_block(&c, sy.sl, SEGC_CTS, aes.get(), false));
	LONGS_EQUAL(KGSS_S_COMPLETE, sweep(&c, nullptr, SWEEP_CIPHER_FIRST));
	CHECK(x == y && x != message(100));
	cipher_key_clear(aes.get());
}

// CTS over one block is one block encryption (RFC 3962 §5); over blocks
// that straddle segments each is gathered and scattered.  A backend failure
// anywhere is FAILURE.
TEST(crypto_edges, segment_cipher_failures)
{
	const kgss_crypto_backend *fb = kf::fault_backend();
	if (!have_aes(fb))
		return;
	uint8_t k16[16] = {9, 8, 7};
	auto aes = fresh<cipher_key>();
	kf::plan().reset();
	LONGS_EQUAL(KGSS_S_COMPLETE, cipher_key_init(aes.get(), fb->aes128, k16, 16));
	bytes one = message(16), ecb = message(16);
	one_seg s1(one);
	LONGS_EQUAL(0, fb->aes128->ecb_encrypt(aes->ks, ecb.data(), 1));
	seg_cipher c;
	for (bool decrypt : {false, true}) {
		// Three segments: 7 | 20 | 21 bytes (blocks straddle every boundary).
		bytes a = message(7), b = message(20, 'a'), d = message(21, '0');
		kgss::seglist sl;
		sl.add_head(a.data(), a.size(), true);
		sl.add_head(b.data(), b.size(), true);
		sl.add_tail(d.data(), d.size(), true);
		kf::plan().reset();
		LONGS_EQUAL(KGSS_S_COMPLETE, seg_cipher_init_block(&c, sl, SEGC_CTS, aes.get(), decrypt));
		LONGS_EQUAL(KGSS_S_COMPLETE, seg_cipher_all(&c));
		const long calls = kf::plan().calls;
		CHECK(calls > 1);
		for (long n = 1; n <= calls; n++) {
			kf::plan().reset(n);
			LONGS_EQUAL(KGSS_S_COMPLETE, seg_cipher_init_block(&c, sl, SEGC_CTS, aes.get(), decrypt));
			LONGS_EQUAL(KGSS_S_FAILURE, seg_cipher_all(&c));
		}
		kf::plan().reset();
		refill(one, message(16));
		LONGS_EQUAL(KGSS_S_COMPLETE, seg_cipher_init_block(&c, s1.sl, SEGC_CTS, aes.get(), false));
		if (!decrypt) {
			LONGS_EQUAL(KGSS_S_COMPLETE, seg_cipher_all(&c));
			CHECK(one == ecb);
		} else {
			kf::plan().reset(1);
			LONGS_EQUAL(KGSS_S_FAILURE, seg_cipher_all(&c));
		}
	}
	kf::plan().reset();
	cipher_key_clear(aes.get());
}

// kgss_chacha_prng: NULL state or output (with a length) fails without
// consuming anything; a zero-length request succeeds; wiping NULL is a
// no-op and a wiped state generates nothing.
TEST(crypto_edges, chacha_prng_null_arguments)
{
	kgss_chacha_prng st;
	kgss_prng p;
	uint8_t seed[32];
	for (int i = 0; i < 32; i++)
		seed[i] = (uint8_t)(i + 1);
	LONGS_EQUAL(0, kgss_chacha_prng_init(&st, seed, &p));
	uint8_t out[80];
	CHECK(p.generate(nullptr, out, 10) != 0);
	CHECK(p.generate(&st, nullptr, 10) != 0);
	LONGS_EQUAL(0, st.counter);
	LONGS_EQUAL(0, p.generate(&st, nullptr, 0));
	LONGS_EQUAL(0, st.counter);
	LONGS_EQUAL(0, p.generate(&st, out, 80));
	LONGS_EQUAL(2, st.counter);
	kgss_chacha_prng_wipe(nullptr);
	kgss_chacha_prng_wipe(&st);
	CHECK(p.generate(&st, out, 1) != 0);
}
