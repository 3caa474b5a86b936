// tests/backend_conformance/hash.cc - the hash classes (MD5, SHA-1, SHA-256,
// SHA-384) against the kgss_crypto.h contract, the known answers of
// tests/vectors/primitives_hash.txt and the EVP reference.
#include <CppUTest/TestHarness.h>

#include <cstring>

#include "conformance.h"

namespace bc {

namespace {

bytes rnd(uint64_t &seed, size_t n)
{
	bytes b(n);
	if (n)
		kt::fill_random(seed, b.data(), n);
	return b;
}

// Digest of data fed as update(data[0..a)), update(data[a..b)), update(data[b..len)).
bytes digest3(const kgss_hash_class *h, const uint8_t *data, size_t len, size_t a, size_t b)
{
	hash_state st;
	bytes out(h->digest_size);
	LONGS_EQUAL(0, h->init(st.b));
	h->update(st.b, data, a);
	h->update(st.b, data + a, b - a);
	h->update(st.b, data + b, len - b);
	LONGS_EQUAL(0, h->final(st.b, out.data()));
	return out;
}
bytes digest(const kgss_hash_class *h, const bytes &m) { return digest3(h, m.data(), m.size(), 0, 0); }

void shape(const prim &p)
{
	const kgss_hash_class *h = p.hash();
	struct row {
		const char *name;
		size_t digest, block;
	} static const rows[] = {{"md5", 16, 64}, {"sha1", 20, 64}, {"sha256", 32, 64}, {"sha384", 48, 128}};
	const row *r = nullptr;
	for (const row &x : rows)
		if (std::strcmp(x.name, p.name) == 0)
			r = &x;
	CHECK(r != nullptr);
	LONGS_EQUAL(r->digest, h->digest_size);
	LONGS_EQUAL(r->block, h->block_size);
	CHECK(h->context_size > 0);
	CHECK(h->context_size <= KGSS_HASH_STATE_MAX);
	CHECK(h->name != nullptr && h->name[0] != 0);
	CHECK(h->init && h->update && h->final && h->copy && h->clear);
}

// Each vector one shot, byte by byte (short ones), and a repeated input fed
// as one update per repetition and as pieces of 1, 2, ... 999 bytes.
void known_answers(const prim &p)
{
	const kgss_hash_class *h = p.hash();
	for_each_vector(p, "primitives_hash.txt", "hash", [&](const kt::vector_block &v) {
		const bytes unit = v.hexf("input"), want = v.hexf("output");
		const size_t repeat = v.has("repeat") ? (size_t)v.num("repeat") : 1;
		bytes m;
		for (size_t i = 0; i < repeat; i++)
			m.insert(m.end(), unit.begin(), unit.end());
		STRCMP_EQUAL(kt::to_hex(want).c_str(), kt::to_hex(digest(h, m)).c_str());
		hash_state st;
		bytes out(h->digest_size);
		LONGS_EQUAL(0, h->init(st.b));
		if (repeat == 1) {
			for (uint8_t b : m)
				h->update(st.b, &b, 1);
		} else {
			for (size_t i = 0; i < repeat; i++)
				h->update(st.b, unit.data(), unit.size());
		}
		LONGS_EQUAL(0, h->final(st.b, out.data()));
		STRCMP_EQUAL(kt::to_hex(want).c_str(), kt::to_hex(out).c_str());
		if (repeat > 1) {
			LONGS_EQUAL(0, h->init(st.b));
			size_t done = 0, step = 1;
			while (done < m.size()) {
				const size_t n = step < m.size() - done ? step : m.size() - done;
				h->update(st.b, m.data() + done, n);
				done += n;
				step = step % 999 + 1;
			}
			LONGS_EQUAL(0, h->final(st.b, out.data()));
			STRCMP_EQUAL(kt::to_hex(want).c_str(), kt::to_hex(out).c_str());
		}
	});
}

// Incremental == one shot == reference: every split of messages around the
// block and padding boundaries, byte at a time, every length 0..1100 in one
// update (odd and even block counts for 2-block SIMD code), and random
// messages up to 9000 bytes in random pieces.
void incremental(const prim &p)
{
	const kgss_hash_class *h = p.hash();
	uint64_t seed = 0x1234;
	const size_t lens[] = {0,   1,   55,  56,  57,  63,  64,  65,  111, 112, 113,
			       119, 120, 127, 128, 129, 191, 192, 255, 257, 300};
	for (size_t len : lens) {
		const bytes m = rnd(seed, len + 1);
		const bytes ref = ref_digest(p.name, m.data(), len);
		CHECK(digest3(h, m.data(), len, 0, 0) == ref);
		for (size_t a = 0; a <= len; a++) {
			const size_t b = a + (len - a) / 2;
			if (digest3(h, m.data(), len, a, b) != ref)
				FAIL(("split mismatch len " + std::to_string(len) + " at " + std::to_string(a))
					     .c_str());
		}
		hash_state st;
		bytes out(h->digest_size);
		LONGS_EQUAL(0, h->init(st.b));
		for (size_t i = 0; i < len; i++)
			h->update(st.b, m.data() + i, 1);
		LONGS_EQUAL(0, h->final(st.b, out.data()));
		CHECK(out == ref);
	}
	const bytes big = rnd(seed, 9000);
	for (size_t len = 0; len <= 1100; len++)
		if (digest3(h, big.data(), len, 0, 0) != ref_digest(p.name, big.data(), len))
			FAIL(("one-update mismatch at len " + std::to_string(len)).c_str());
	for (int it = 0; it < 60; it++) {
		uint8_t r[4];
		kt::fill_random(seed, r, sizeof r);
		const size_t len = (((size_t)r[0] << 8) | r[1]) % 9000;
		const size_t a = len ? r[2] % (len + 1) : 0, b = a + (len - a) * r[3] / 255;
		CHECK(digest3(h, big.data(), len, a, b) == ref_digest(p.name, big.data(), len));
	}
}

// copy(): copies continue independently of the source and of each other;
// one source copied many times; a copy of a copy outlives its cleared source.
void copy(const prim &p)
{
	const kgss_hash_class *h = p.hash();
	uint64_t seed = 77;
	const bytes prefix = rnd(seed, 150), x = rnd(seed, 70), y = rnd(seed, 201);
	bytes px = prefix, py = prefix;
	px.insert(px.end(), x.begin(), x.end());
	py.insert(py.end(), y.begin(), y.end());
	hash_state src, d1, d2, d3;
	LONGS_EQUAL(0, h->init(src.b));
	h->update(src.b, prefix.data(), prefix.size());
	LONGS_EQUAL(0, h->copy(d1.b, src.b));
	LONGS_EQUAL(0, h->copy(d2.b, src.b));
	h->update(d1.b, x.data(), x.size());
	h->update(src.b, y.data(), y.size());
	LONGS_EQUAL(0, h->copy(d3.b, d2.b));
	h->clear(d2.b);
	bytes o1(h->digest_size), o2(h->digest_size), o3(h->digest_size);
	LONGS_EQUAL(0, h->final(d1.b, o1.data()));
	LONGS_EQUAL(0, h->final(src.b, o2.data()));
	h->update(d3.b, x.data(), x.size());
	LONGS_EQUAL(0, h->final(d3.b, o3.data()));
	CHECK(o1 == ref_digest(p.name, px.data(), px.size()));
	CHECK(o2 == ref_digest(p.name, py.data(), py.size()));
	CHECK(o3 == o1);
}

// final() writes the digest and wipes the state; clear() wipes a live state;
// a zero-length update (NULL data) changes nothing.
void final_and_clear(const prim &p)
{
	const kgss_hash_class *h = p.hash();
	hash_state st;
	bytes out(h->digest_size);
	std::memset(st.b, 0xa5, sizeof st.b);
	LONGS_EQUAL(0, h->init(st.b));
	h->update(st.b, "secret key material", 19);
	LONGS_EQUAL(0, h->final(st.b, out.data()));
	CHECK_TEXT(all_zero(st.b, h->context_size), h->name);
	CHECK(out == ref_digest(p.name, (const uint8_t *)"secret key material", 19));

	LONGS_EQUAL(0, h->init(st.b));
	h->update(st.b, "secret key material", 19);
	h->clear(st.b);
	CHECK_TEXT(all_zero(st.b, h->context_size), h->name);

	LONGS_EQUAL(0, h->init(st.b));
	h->update(st.b, nullptr, 0);
	h->update(st.b, "abc", 3);
	h->update(st.b, nullptr, 0);
	LONGS_EQUAL(0, h->final(st.b, out.data()));
	CHECK(out == ref_digest(p.name, (const uint8_t *)"abc", 3));
}

// HMAC-style use: one precomputed state copied concurrently by 4 threads
// (copy() only reads its source), each finishing its own message.
void threads(const prim &p)
{
	const kgss_hash_class *h = p.hash();
	uint64_t seed = 0x5eed0004;
	const bytes prefix = rnd(seed, 200), msg = rnd(seed, 3000);
	hash_state src;
	LONGS_EQUAL(0, h->init(src.b));
	h->update(src.b, prefix.data(), prefix.size());
	std::vector<bytes> expect;
	for (size_t n = 0; n < 16; n++) {
		bytes in = prefix;
		in.insert(in.end(), msg.begin(), msg.begin() + (long)(n * 150));
		expect.push_back(ref_digest(p.name, in.data(), in.size()));
	}
	run_threads(4, 100, [&](int t, int it) {
		const size_t n = (size_t)(it * 7 + t) % 16;
		hash_state d;
		bytes out(h->digest_size);
		if (h->copy(d.b, src.b) != 0)
			return false;
		h->update(d.b, msg.data(), n * 150);
		return h->final(d.b, out.data()) == 0 && out == expect[n];
	});
	bytes out(h->digest_size);
	LONGS_EQUAL(0, h->final(src.b, out.data())); // the source is still live and intact
	CHECK(out == expect[0]);
}

} // namespace

const std::vector<check> &hash_checks()
{
	static const std::vector<check> v = {
		{"shape", shape}, {"known_answers", known_answers},     {"incremental", incremental},
		{"copy", copy},   {"final_and_clear", final_and_clear}, {"threads", threads},
	};
	return v;
}

} // namespace bc
