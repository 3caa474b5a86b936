// tests/faults/test_defective_backends.cc - backends that break the
// kgss_crypto.h contract before any call is made: a primitive missing, a
// function pointer missing, a state larger than the *_STATE_MAX limit, a
// block or key size that is not the algorithm's, a hash too wide for HMAC,
// the wrong ABI version.  Every enctype that needs the defective primitive
// must import as KGSS_S_UNAVAILABLE (never COMPLETE, never a crash); every
// other enctype must import and work (a sealed wrap / unwrap round trip).
#include <stdio.h>
#include <string.h>

#include <string>
#include <vector>

#include "CppUTest/TestHarness.h"
#include "families.h"
#include "kgss.h"
#include "testutil.h"

namespace {

using kt::bytes;

struct etype_need {
	int32_t etype;
	size_t key_len;
	bool rfc1964;
	const char *cipher; // backend slot of its cipher
	const char *hash;   // backend slot of its hash ("" = none: CMAC profiles)
};
// RFC 3961 / 3962 / 8009 / 6803 / 4757 facts.
const etype_need kNeeds[] = {
	{16, 24, true, "des3", "sha1"},      {17, 16, false, "aes128", "sha1"},   {18, 32, false, "aes256", "sha1"},
	{19, 16, false, "aes128", "sha256"}, {20, 32, false, "aes256", "sha384"}, {23, 16, true, "rc4", "md5"},
	{24, 16, true, "rc4", "md5"},        {25, 16, false, "camellia128", ""},  {26, 32, false, "camellia256", ""},
};

int prng_gen(void *ctx, uint8_t *out, size_t len)
{
	uint64_t *s = static_cast<uint64_t *>(ctx);
	kt::fill_random(*s, out, len);
	return 0;
}

// Imports both ends of etype e on backend b; COMPLETE only if a sealed
// round trip then works.
kgss_status import_and_use(const etype_need &e, const kgss_crypto_backend *b)
{
	bytes key(e.key_len, 0x42);
	uint64_t seed = 9;
	kgss_prng prng = {prng_gen, &seed};
	kgss_ctx *ctx[2] = {nullptr, nullptr};
	std::vector<uint8_t> mem[2];
	kgss_status st = KGSS_S_COMPLETE;
	for (int i = 0; i < 2 && st == KGSS_S_COMPLETE; i++) {
		kgss_lucid_context_v1 l;
		memset(&l, 0, sizeof(l));
		l.version = 1;
		l.initiate = i == 0;
		l.endtime = 0xfffffff0u;
		l.protocol = e.rfc1964 ? 0 : 1;
		kgss_lucid_key k = {(uint32_t)e.etype, (uint32_t)key.size(), key.data()};
		if (e.rfc1964) {
			l.rfc1964_kd.sign_alg = e.etype == 16 ? 4 : 0x11;
			l.rfc1964_kd.seal_alg = e.etype == 16 ? 2 : 0x10;
			l.rfc1964_kd.ctx_key = k;
		} else {
			l.cfx_kd.ctx_key = k;
		}
		kgss_options o;
		kgss_options_init(&o);
		o.crypto = b;
		o.prng = &prng;
		mem[i].assign(kgss_ctx_size(), 0);
		st = kgss_import_lucid_v1_into(mem[i].data(), mem[i].size(), &l, &o, &ctx[i]);
	}
	if (st == KGSS_S_COMPLETE) {
		const char msg[] = "a message for the round trip";
		uint8_t tok[256], out[256];
		kgss_buffer in = {sizeof msg, (void *)msg}, t = {sizeof tok, tok}, p = {sizeof out, out};
		st = kgss_wrap(ctx[0], 1, 0, &in, nullptr, &t);
		if (st == KGSS_S_COMPLETE)
			st = kgss_unwrap(ctx[1], &t, &p, nullptr, nullptr);
		if (st == KGSS_S_COMPLETE && (p.length != sizeof msg || memcmp(out, msg, sizeof msg) != 0))
			st = KGSS_S_FAILURE;
	}
	kgss_ctx_free(ctx[0]);
	kgss_ctx_free(ctx[1]);
	return st;
}

const kgss_block_cipher_class **cipher_slot(kgss_crypto_backend &b, const std::string &s)
{
	if (s == "aes128")
		return &b.aes128;
	if (s == "aes256")
		return &b.aes256;
	if (s == "camellia128")
		return &b.camellia128;
	if (s == "camellia256")
		return &b.camellia256;
	if (s == "des3")
		return &b.des3;
	return nullptr;
}

const kgss_hash_class **hash_slot(kgss_crypto_backend &b, const std::string &s)
{
	if (s == "md5")
		return &b.md5;
	if (s == "sha1")
		return &b.sha1;
	if (s == "sha256")
		return &b.sha256;
	if (s == "sha384")
		return &b.sha384;
	return nullptr;
}

} // namespace

TEST_GROUP(defective_backends){};

TEST(defective_backends, a_broken_primitive_makes_exactly_its_enctypes_unavailable)
{
	const kgss_crypto_backend *base = kgss_crypto_builtin_portable();
	// Every defect, applied to a copy of the builtin portable backend.
	struct cdef {
		const char *what;
		void (*cipher)(kgss_block_cipher_class &);
	};
	const cdef cipher_defects[] = {
		{"init NULL", [](kgss_block_cipher_class &c) { c.init = nullptr; }},
		{"clear NULL", [](kgss_block_cipher_class &c) { c.clear = nullptr; }},
		{"ecb_encrypt NULL", [](kgss_block_cipher_class &c) { c.ecb_encrypt = nullptr; }},
		{"ecb_decrypt NULL", [](kgss_block_cipher_class &c) { c.ecb_decrypt = nullptr; }},
		{"cbc_encrypt NULL", [](kgss_block_cipher_class &c) { c.cbc_encrypt = nullptr; }},
		{"cbc_decrypt NULL", [](kgss_block_cipher_class &c) { c.cbc_decrypt = nullptr; }},
		{"cbc_mac NULL", [](kgss_block_cipher_class &c) { c.cbc_mac = nullptr; }},
		{"state too large", [](kgss_block_cipher_class &c) { c.context_size = KGSS_CIPHER_STATE_MAX + 1; }},
		{"wrong block size", [](kgss_block_cipher_class &c) { c.block_size = c.block_size == 16 ? 8 : 16; }},
		{"wrong key size", [](kgss_block_cipher_class &c) { c.key_size += 8; }},
	};
	struct hdef {
		const char *what;
		void (*hash)(kgss_hash_class &);
	};
	const hdef hash_defects[] = {
		{"init NULL", [](kgss_hash_class &h) { h.init = nullptr; }},
		{"update NULL", [](kgss_hash_class &h) { h.update = nullptr; }},
		{"final NULL", [](kgss_hash_class &h) { h.final = nullptr; }},
		{"copy NULL", [](kgss_hash_class &h) { h.copy = nullptr; }},
		{"clear NULL", [](kgss_hash_class &h) { h.clear = nullptr; }},
		{"state too large", [](kgss_hash_class &h) { h.context_size = KGSS_HASH_STATE_MAX + 1; }},
		{"block wider than 128", [](kgss_hash_class &h) { h.block_size = 256; }},
		{"digest wider than 64", [](kgss_hash_class &h) { h.digest_size = 72; }},
	};
	struct sdef {
		const char *what;
		void (*stream)(kgss_stream_cipher_class &);
	};
	const sdef stream_defects[] = {
		{"init NULL", [](kgss_stream_cipher_class &s) { s.init = nullptr; }},
		{"apply NULL", [](kgss_stream_cipher_class &s) { s.apply = nullptr; }},
		{"clear NULL", [](kgss_stream_cipher_class &s) { s.clear = nullptr; }},
		{"state too large", [](kgss_stream_cipher_class &s) { s.context_size = KGSS_STREAM_STATE_MAX + 1; }},
	};
	const char *cipher_slots[] = {"aes128", "aes256", "camellia128", "camellia256", "des3"};
	const char *hash_slots[] = {"md5", "sha1", "sha256", "sha384"};
	long unavailable = 0, working = 0;

	// Runs every enctype on backend b, where slot `broken` (cipher or hash
	// name, "rc4", or "*" for all) is defective.
	auto sweep = [&](const kgss_crypto_backend *b, const std::string &broken, const std::string &what) {
		for (const etype_need &e : kNeeds) {
			if (!kt::enctype_compiled_in(e.etype))
				continue;
			const bool affected = broken == "*" || broken == e.cipher || broken == e.hash;
			kgss_status st = import_and_use(e, b);
			std::string msg = "etype " + std::to_string(e.etype) + " with " + what;
			if (affected) {
				LONGS_EQUAL_TEXT(KGSS_S_UNAVAILABLE, st, msg.c_str());
				unavailable++;
			} else {
				LONGS_EQUAL_TEXT(KGSS_S_COMPLETE, st, msg.c_str());
				working++;
			}
		}
	};

	for (const char *slot : cipher_slots) {
		kgss_crypto_backend b = *base;
		const kgss_block_cipher_class **p = cipher_slot(b, slot);
		if (*p == nullptr)
			continue; // family compiled out: the builtin table has no class
		*p = nullptr;
		sweep(&b, slot, std::string(slot) + " missing");
		for (const cdef &d : cipher_defects) {
			kgss_crypto_backend b2 = *base;
			const kgss_block_cipher_class **p2 = cipher_slot(b2, slot);
			kgss_block_cipher_class c = **p2;
			d.cipher(c);
			*p2 = &c;
			sweep(&b2, slot, std::string(slot) + " " + d.what);
		}
	}
	for (const char *slot : hash_slots) {
		kgss_crypto_backend b = *base;
		const kgss_hash_class **p = hash_slot(b, slot);
		if (*p == nullptr)
			continue;
		*p = nullptr;
		sweep(&b, slot, std::string(slot) + " missing");
		for (const hdef &d : hash_defects) {
			kgss_crypto_backend b2 = *base;
			const kgss_hash_class **p2 = hash_slot(b2, slot);
			kgss_hash_class h = **p2;
			d.hash(h);
			*p2 = &h;
			sweep(&b2, slot, std::string(slot) + " " + d.what);
		}
	}
	if (base->rc4 != nullptr) {
		kgss_crypto_backend b = *base;
		b.rc4 = nullptr;
		sweep(&b, "rc4", "rc4 missing");
		for (const sdef &d : stream_defects) {
			kgss_crypto_backend b2 = *base;
			kgss_stream_cipher_class s = *b2.rc4;
			d.stream(s);
			b2.rc4 = &s;
			sweep(&b2, "rc4", std::string("rc4 ") + d.what);
		}
	}
	{
		kgss_crypto_backend b = *base;
		b.abi_version = KGSS_CRYPTO_ABI_VERSION + 1;
		sweep(&b, "*", "a backend of another ABI version");
		// Version 1 structs end before hmac_finish / hmac_parts / cbc_sha*.
		b.abi_version = 1;
		sweep(&b, "*", "a backend built for ABI version 1");
	}
	printf("defective backends: %ld imports refused as UNAVAILABLE, %ld unaffected enctypes imported and "
	       "worked\n",
	       unavailable, working);
	CHECK(unavailable > 0);
	CHECK(working > 0);
}
