#include "block_util.h"

#include <CppUTest/TestHarness.h>
#include <openssl/evp.h>
#include <string.h>

namespace kbt {

using kt::bytes;

bytes ossl(const char *evp_name, const bytes &key, const bytes &iv, const bytes &in, bool enc)
{
	EVP_CIPHER *cipher = EVP_CIPHER_fetch(nullptr, evp_name, nullptr);
	CHECK_TEXT(cipher != nullptr, evp_name);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	CHECK(ctx != nullptr);
	bytes out(in.size() + 32);
	int l1 = 0, l2 = 0;
	CHECK(EVP_CipherInit_ex2(ctx, cipher, key.data(), iv.empty() ? nullptr : iv.data(), enc ? 1 : 0, nullptr) == 1);
	CHECK(EVP_CIPHER_CTX_set_padding(ctx, 0) == 1);
	CHECK(EVP_CipherUpdate(ctx, out.data(), &l1, in.data(), (int)in.size()) == 1);
	CHECK(EVP_CipherFinal_ex(ctx, out.data() + l1, &l2) == 1);
	out.resize((size_t)(l1 + l2));
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(cipher);
	CHECK_EQUAL(in.size(), out.size());
	return out;
}

static void init_ok(schedule &s, const bytes &key)
{
	LONGS_EQUAL(0, s.cls->init(s.mem, key.data(), key.size()));
}

void check_kat_ecb(const kgss_block_cipher_class *c, const char *key, const char *pt, const char *ct)
{
	bytes k = kt::hex(key), p = kt::hex(pt), x = kt::hex(ct);
	schedule s(c);
	init_ok(s, k);
	bytes d = p;
	LONGS_EQUAL(0, c->ecb_encrypt(s.mem, d.data(), 1));
	STRCMP_EQUAL(ct, kt::to_hex(d).c_str());
	LONGS_EQUAL(0, c->ecb_decrypt(s.mem, d.data(), 1));
	STRCMP_EQUAL(pt, kt::to_hex(d).c_str());
	// The same block repeated 9 times exercises the multi-block paths
	// (4-way bitsliced, 8-way pipelined).
	bytes many, many_ct;
	for (int i = 0; i < 9; i++) {
		many.insert(many.end(), p.begin(), p.end());
		many_ct.insert(many_ct.end(), x.begin(), x.end());
	}
	d = many;
	LONGS_EQUAL(0, c->ecb_encrypt(s.mem, d.data(), 9));
	CHECK(d == many_ct);
	LONGS_EQUAL(0, c->ecb_decrypt(s.mem, d.data(), 9));
	CHECK(d == many);
}

void check_kat_cbc(const kgss_block_cipher_class *c, const char *key, const char *iv, const char *pt,
		   const char *ct)
{
	bytes k = kt::hex(key), v = kt::hex(iv), p = kt::hex(pt), x = kt::hex(ct);
	const size_t bs = c->block_size, n = p.size() / bs;
	CHECK(n >= 2 && p.size() == n * bs && x.size() == p.size());
	bytes last_ct(x.end() - (long)bs, x.end());
	schedule s(c);
	init_ok(s, k);

	// one shot
	bytes d = p, w = v;
	LONGS_EQUAL(0, c->cbc_encrypt(s.mem, w.data(), d.data(), n));
	STRCMP_EQUAL(ct, kt::to_hex(d).c_str());
	CHECK(w == last_ct);
	w = v;
	LONGS_EQUAL(0, c->cbc_decrypt(s.mem, w.data(), d.data(), n));
	STRCMP_EQUAL(pt, kt::to_hex(d).c_str());
	CHECK(w == last_ct);

	// every split into two calls: the iv carries the chain
	for (size_t cut = 0; cut <= n; cut++) {
		d = p;
		w = v;
		LONGS_EQUAL(0, c->cbc_encrypt(s.mem, w.data(), d.data(), cut));
		LONGS_EQUAL(0, c->cbc_encrypt(s.mem, w.data(), d.data() + cut * bs, n - cut));
		CHECK(d == x);
		CHECK(w == last_ct);
		w = v;
		LONGS_EQUAL(0, c->cbc_decrypt(s.mem, w.data(), d.data(), cut));
		LONGS_EQUAL(0, c->cbc_decrypt(s.mem, w.data(), d.data() + cut * bs, n - cut));
		CHECK(d == p);
		CHECK(w == last_ct);
		// CBC-MAC: the last CBC ciphertext block; data untouched
		w = v;
		LONGS_EQUAL(0, c->cbc_mac(s.mem, w.data(), d.data(), cut));
		LONGS_EQUAL(0, c->cbc_mac(s.mem, w.data(), d.data() + cut * bs, n - cut));
		CHECK(d == p);
		CHECK(w == last_ct);
	}
}

void check_state_contract(const kgss_block_cipher_class *c, size_t key_size)
{
	CHECK(c->context_size > 0);
	CHECK(c->context_size <= KGSS_CIPHER_STATE_MAX);
	LONGS_EQUAL(16, c->block_size);
	LONGS_EQUAL(key_size, c->key_size);
	CHECK(c->name != nullptr);
	CHECK(c->init && c->clear && c->ecb_encrypt && c->ecb_decrypt && c->cbc_encrypt && c->cbc_decrypt &&
	      c->cbc_mac);

	uint8_t key[40];
	for (size_t i = 0; i < sizeof key; i++)
		key[i] = (uint8_t)(0x11 * i + 3);
	schedule s(c);

	// wrong key lengths fail; clear() after a failed init is safe and zeroes
	const size_t bad[] = {0, 1, 15, 17, 24, 31, 33, 40};
	for (size_t len : bad) {
		if (len == key_size)
			continue;
		memset(s.mem, 0xA5, sizeof s.mem);
		CHECK_TEXT(c->init(s.mem, key, len) != 0, c->name);
		c->clear(s.mem);
		for (size_t i = 0; i < c->context_size; i++)
			LONGS_EQUAL(0, s.mem[i]);
	}

	// a good init writes the schedule; clear() zeroes all context_size bytes
	memset(s.mem, 0xA5, sizeof s.mem);
	LONGS_EQUAL(0, c->init(s.mem, key, key_size));
	size_t changed = 0;
	for (size_t i = 0; i < c->context_size; i++)
		changed += s.mem[i] != 0xA5;
	CHECK(changed > c->context_size / 2);
	c->clear(s.mem);
	for (size_t i = 0; i < c->context_size; i++)
		LONGS_EQUAL(0, s.mem[i]);

	// nblocks == 0: nothing changes
	LONGS_EQUAL(0, c->init(s.mem, key, key_size));
	uint8_t iv[16], iv0[16], data[16], data0[16];
	for (int i = 0; i < 16; i++)
		iv[i] = iv0[i] = (uint8_t)i, data[i] = data0[i] = (uint8_t)(0xf0 ^ i);
	LONGS_EQUAL(0, c->ecb_encrypt(s.mem, data, 0));
	LONGS_EQUAL(0, c->ecb_decrypt(s.mem, data, 0));
	LONGS_EQUAL(0, c->cbc_encrypt(s.mem, iv, data, 0));
	LONGS_EQUAL(0, c->cbc_decrypt(s.mem, iv, data, 0));
	LONGS_EQUAL(0, c->cbc_mac(s.mem, iv, data, 0));
	MEMCMP_EQUAL(iv0, iv, 16);
	MEMCMP_EQUAL(data0, data, 16);
}

// Random split of n blocks into consecutive calls.
template <typename F> static void chained(uint64_t &seed, size_t n, F f)
{
	size_t done = 0;
	while (done < n) {
		uint8_t r;
		kt::fill_random(seed, &r, 1);
		size_t take = 1 + r % 11;
		if (take > n - done)
			take = n - done;
		f(done, take);
		done += take;
	}
}

void check_vs_openssl(const kgss_block_cipher_class *c, const char *evp_ecb, const char *evp_cbc, uint64_t seed,
		      int rounds)
{
	const size_t bs = 16;
	schedule s(c);
	for (int round = 0; round < rounds; round++) {
		for (size_t n = 0; n <= 64; n++) {
			bytes key(c->key_size), iv(bs), pt(n * bs);
			kt::fill_random(seed, key.data(), key.size());
			kt::fill_random(seed, iv.data(), iv.size());
			if (!pt.empty())
				kt::fill_random(seed, pt.data(), pt.size());
			init_ok(s, key);
			bytes ct = ossl(evp_cbc, key, iv, pt, true);
			bytes ct_last = n ? bytes(ct.end() - (long)bs, ct.end()) : iv;
			bytes ecb_ct = ossl(evp_ecb, key, {}, pt, true);
			bytes ecb_pt = ossl(evp_ecb, key, {}, pt, false); // pt read as ciphertext
			bytes cbc_pt = ossl(evp_cbc, key, iv, pt, false);
			bytes pt_last = n ? bytes(pt.end() - (long)bs, pt.end()) : iv;

			// data at an odd address: the classes take unaligned data
			uint8_t buf[64 * 16 + 1];
			uint8_t *d = buf + 1;
			auto cur = [&] { return bytes(d, d + n * bs); };
			uint8_t w[16];

			if (n)
				memcpy(d, pt.data(), n * bs);
			LONGS_EQUAL(0, c->ecb_encrypt(s.mem, d, n));
			CHECK_TEXT(cur() == ecb_ct, c->name);
			LONGS_EQUAL(0, c->ecb_decrypt(s.mem, d, n));
			CHECK_TEXT(cur() == pt, c->name);
			LONGS_EQUAL(0, c->ecb_decrypt(s.mem, d, n));
			CHECK_TEXT(cur() == ecb_pt, c->name);

			// CBC encrypt, one shot and chained
			if (n)
				memcpy(d, pt.data(), n * bs);
			memcpy(w, iv.data(), bs);
			LONGS_EQUAL(0, c->cbc_encrypt(s.mem, w, d, n));
			CHECK_TEXT(cur() == ct, c->name);
			CHECK(bytes(w, w + bs) == ct_last);
			if (n)
				memcpy(d, pt.data(), n * bs);
			memcpy(w, iv.data(), bs);
			chained(seed, n, [&](size_t at, size_t k) {
				LONGS_EQUAL(0, c->cbc_encrypt(s.mem, w, d + at * bs, k));
			});
			CHECK_TEXT(cur() == ct, c->name);
			CHECK(bytes(w, w + bs) == ct_last);

			// CBC decrypt of ct (one shot, chained) and of random pt
			memcpy(w, iv.data(), bs);
			LONGS_EQUAL(0, c->cbc_decrypt(s.mem, w, d, n));
			CHECK_TEXT(cur() == pt, c->name);
			CHECK(bytes(w, w + bs) == ct_last);
			if (n)
				memcpy(d, ct.data(), n * bs);
			memcpy(w, iv.data(), bs);
			chained(seed, n, [&](size_t at, size_t k) {
				LONGS_EQUAL(0, c->cbc_decrypt(s.mem, w, d + at * bs, k));
			});
			CHECK_TEXT(cur() == pt, c->name);
			CHECK(bytes(w, w + bs) == ct_last);
			memcpy(w, iv.data(), bs);
			LONGS_EQUAL(0, c->cbc_decrypt(s.mem, w, d, n));
			CHECK_TEXT(cur() == cbc_pt, c->name);
			CHECK(bytes(w, w + bs) == pt_last);

			// CBC-MAC: iv becomes the last CBC ciphertext block, data untouched
			if (n)
				memcpy(d, pt.data(), n * bs);
			memcpy(w, iv.data(), bs);
			LONGS_EQUAL(0, c->cbc_mac(s.mem, w, d, n));
			CHECK(bytes(w, w + bs) == ct_last);
			CHECK(cur() == pt);
			memcpy(w, iv.data(), bs);
			chained(seed, n, [&](size_t at, size_t k) {
				LONGS_EQUAL(0, c->cbc_mac(s.mem, w, d + at * bs, k));
			});
			CHECK(bytes(w, w + bs) == ct_last);
			CHECK(cur() == pt);
		}
	}
}

void check_same_cipher(const kgss_block_cipher_class *a, const kgss_block_cipher_class *b, uint64_t seed, int rounds)
{
	LONGS_EQUAL(a->key_size, b->key_size);
	schedule sa(a), sb(b);
	for (int round = 0; round < rounds; round++) {
		size_t n = 1 + (size_t)round % 40;
		bytes key(a->key_size), iv(16), pt(n * 16);
		kt::fill_random(seed, key.data(), key.size());
		kt::fill_random(seed, iv.data(), iv.size());
		kt::fill_random(seed, pt.data(), pt.size());
		init_ok(sa, key);
		init_ok(sb, key);
		bytes x = pt, y = pt, wa = iv, wb = iv;
		LONGS_EQUAL(0, a->ecb_encrypt(sa.mem, x.data(), n));
		LONGS_EQUAL(0, b->ecb_encrypt(sb.mem, y.data(), n));
		CHECK(x == y);
		LONGS_EQUAL(0, b->ecb_decrypt(sb.mem, x.data(), n));
		CHECK(x == pt);
		x = pt;
		y = pt;
		LONGS_EQUAL(0, a->cbc_encrypt(sa.mem, wa.data(), x.data(), n));
		LONGS_EQUAL(0, b->cbc_encrypt(sb.mem, wb.data(), y.data(), n));
		CHECK(x == y && wa == wb);
		wa = iv;
		LONGS_EQUAL(0, b->cbc_decrypt(sb.mem, wa.data(), x.data(), n));
		CHECK(x == pt);
		wb = iv;
		LONGS_EQUAL(0, a->cbc_decrypt(sa.mem, wb.data(), y.data(), n));
		CHECK(y == pt);
	}
}

} // namespace kbt
