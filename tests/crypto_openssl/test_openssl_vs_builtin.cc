// tests/crypto_openssl/test_openssl_vs_builtin.cc - differential test: the
// OpenSSL backend against libkgss's builtin backends (kgss_crypto_builtin(),
// which may pick AES-NI / SHA-NI, and kgss_crypto_builtin_portable()) over
// every primitive both provide.  Random keys, lengths 0..4096 bytes, random
// chaining splits, hash copy() in the middle of a stream.  Neither side's
// output is hard-coded: each backend is the other's reference (their known
// answers are tested separately).
#include "tests/crypto_openssl/common.h"

#include <algorithm>

using namespace kto;

namespace {

const size_t LENS[] = {0, 1, 2, 3, 15, 16, 17, 31, 32, 33, 55, 56, 63, 64, 65, 111, 112, 127, 128, 129,
		       255, 256, 257, 511, 512, 513, 1000, 1024, 1500, 2048, 4095, 4096};

// A random split of n units into consecutive pieces (some empty).
std::vector<size_t> split(uint64_t &seed, size_t n)
{
	std::vector<size_t> parts;
	while (n) {
		uint8_t r[2];
		kt::fill_random(seed, r, 2);
		size_t p = (r[0] & 3) == 0 ? 0 : 1 + (((size_t)r[1] << 4) | (r[0] >> 4)) % (n < 300 ? n : 300);
		p = p < n ? p : n;
		parts.push_back(p);
		n -= p;
	}
	return parts;
}

void diff_block(const kgss_block_cipher_class *a, const kgss_block_cipher_class *b, uint64_t &seed)
{
	CHECK(a->block_size == b->block_size && a->key_size == b->key_size);
	const size_t bs = a->block_size;
	for (int keyround = 0; keyround < 4; keyround++) {
		bytes key(a->key_size);
		kt::fill_random(seed, key.data(), key.size());
		schedule sa(a, key), sb(b, key);
		for (size_t len : LENS) {
			size_t nb = len / bs;
			bytes pt(nb * bs), iv(bs);
			kt::fill_random(seed, pt.data(), pt.size());
			kt::fill_random(seed, iv.data(), iv.size());
			for (int enc = 0; enc < 2; enc++) {
				CHECK(sa.ecb(pt, enc) == sb.ecb(pt, enc));
				bytes ia, ib;
				CHECK(sa.cbc(pt, iv, enc, &ia) == sb.cbc(pt, iv, enc, &ib));
				CHECK(ia == ib);
			}
			// chained calls on one side against whole calls on the other
			for (int enc = 0; enc < 2; enc++) {
				bytes x = pt, v = iv, vw;
				size_t at = 0;
				for (size_t p : split(seed, nb)) {
					int rc = enc ? a->cbc_encrypt(sa.st.b, v.data(), x.data() + at * bs, p)
						     : a->cbc_decrypt(sa.st.b, v.data(), x.data() + at * bs, p);
					LONGS_EQUAL(0, rc);
					at += p;
				}
				CHECK(x == sb.cbc(pt, iv, enc, &vw));
				CHECK(v == vw);
			}
			bytes ma = iv, mb = iv;
			size_t at = 0;
			for (size_t p : split(seed, nb)) {
				LONGS_EQUAL(0, a->cbc_mac(sa.st.b, ma.data(), pt.data() + at * bs, p));
				at += p;
			}
			LONGS_EQUAL(0, b->cbc_mac(sb.st.b, mb.data(), pt.data(), nb));
			CHECK(ma == mb);
		}
	}
}

void diff_hash(const kgss_hash_class *a, const kgss_hash_class *b, uint64_t &seed)
{
	CHECK(a->digest_size == b->digest_size && a->block_size == b->block_size);
	for (size_t len : LENS) {
		bytes m(len);
		kt::fill_random(seed, m.data(), m.size());
		bytes da = digest(a, m.data(), m.size()), db = digest(b, m.data(), m.size());
		CHECK(da == db);
		// pieces on side a, with a copy() taken at a random point and finished too
		hash_state st, cp;
		LONGS_EQUAL(0, a->init(st.b));
		std::vector<size_t> parts = split(seed, len);
		size_t copy_at = parts.empty() ? 0 : (size_t)(seed % parts.size()), at = 0;
		bool copied = false;
		for (size_t i = 0; i < parts.size(); i++) {
			if (i == copy_at) {
				LONGS_EQUAL(0, a->copy(cp.b, st.b));
				copied = true;
			}
			a->update(st.b, m.data() + at, parts[i]);
			at += parts[i];
		}
		bytes out(a->digest_size);
		LONGS_EQUAL(0, a->final(st.b, out.data()));
		CHECK(out == db);
		if (copied) {
			size_t pre = 0;
			for (size_t i = 0; i < copy_at; i++)
				pre += parts[i];
			a->update(cp.b, m.data() + pre, len - pre);
			LONGS_EQUAL(0, a->final(cp.b, out.data()));
			CHECK(out == db);
		}
	}
}

void diff_rc4(const kgss_stream_cipher_class *a, const kgss_stream_cipher_class *b, uint64_t &seed)
{
	for (size_t klen : {5, 7, 16, 32}) {
		for (size_t len : LENS) {
			bytes key(klen), m(len);
			kt::fill_random(seed, key.data(), key.size());
			kt::fill_random(seed, m.data(), m.size());
			stream_state sa, sb;
			LONGS_EQUAL(0, a->init(sa.b, key.data(), key.size()));
			LONGS_EQUAL(0, b->init(sb.b, key.data(), key.size()));
			bytes xa = m, xb = m;
			size_t at = 0;
			for (size_t p : split(seed, len)) {
				LONGS_EQUAL(0, a->apply(sa.b, xa.data() + at, p));
				at += p;
			}
			LONGS_EQUAL(0, b->apply(sb.b, xb.data(), len));
			a->clear(sa.b);
			b->clear(sb.b);
			CHECK(xa == xb);
		}
	}
}

// Compares every primitive present in both; returns how many were compared.
int diff_backends(const kgss_crypto_backend *o, const kgss_crypto_backend *bi, uint64_t seed)
{
	int n = 0;
	const kgss_block_cipher_class *kgss_crypto_backend::*blk[] = {
		&kgss_crypto_backend::aes128, &kgss_crypto_backend::aes256, &kgss_crypto_backend::camellia128,
		&kgss_crypto_backend::camellia256, &kgss_crypto_backend::des3};
	for (auto m : blk)
		if (o->*m && bi->*m) {
			// both directions: each side takes a turn at the chained calls
			diff_block(o->*m, bi->*m, seed);
			diff_block(bi->*m, o->*m, seed);
			n++;
		}
	const kgss_hash_class *kgss_crypto_backend::*hs[] = {&kgss_crypto_backend::md5, &kgss_crypto_backend::sha1,
							   &kgss_crypto_backend::sha256, &kgss_crypto_backend::sha384};
	for (auto m : hs)
		if (o->*m && bi->*m) {
			diff_hash(o->*m, bi->*m, seed);
			diff_hash(bi->*m, o->*m, seed);
			n++;
		}
	if (o->rc4 && bi->rc4) {
		diff_rc4(o->rc4, bi->rc4, seed);
		diff_rc4(bi->rc4, o->rc4, seed);
		n++;
	}
	return n;
}

// How many primitives the builtin backend offers in this configuration (the
// family switches are compile definitions of libkgss).
int expected_shared()
{
	int n = 3;                                             // sha1, sha256, sha384
	n += (KGSS_WITH_AES_SHA1 || KGSS_WITH_AES_SHA2) ? 2 : 0; // aes128, aes256
	n += KGSS_WITH_CAMELLIA ? 2 : 0;
	n += KGSS_WITH_DES3 ? 1 : 0;
	n += KGSS_WITH_RC4 ? 2 : 0; // rc4, md5
	return n;
}

} // namespace

TEST_GROUP(OpensslVsBuiltin){};

TEST(OpensslVsBuiltin, Portable)
{
	const kgss_crypto_backend *o = kgss_crypto_openssl(), *bi = kgss_crypto_builtin_portable();
	CHECK(o && bi);
	LONGS_EQUAL(expected_shared(), diff_backends(o, bi, 0xd1ff0001));
}

TEST(OpensslVsBuiltin, RuntimeSelected)
{
	const kgss_crypto_backend *o = kgss_crypto_openssl(), *bi = kgss_crypto_builtin();
	CHECK(o && bi);
	LONGS_EQUAL(expected_shared(), diff_backends(o, bi, 0xd1ff0002));
}
