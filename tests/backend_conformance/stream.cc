// tests/backend_conformance/stream.cc - the stream cipher class (RC4)
// against the kgss_crypto.h contract, RFC 6229 (tests/vectors/
// primitives_stream.txt) and the EVP reference (legacy provider).
#include <CppUTest/TestHarness.h>

#include <cstring>

#include "conformance.h"

namespace bc {

namespace {

void shape(const prim &p)
{
	const kgss_stream_cipher_class *c = p.stream();
	CHECK(c->context_size > 0);
	CHECK(c->context_size <= KGSS_STREAM_STATE_MAX);
	CHECK(c->name != nullptr && c->name[0] != 0);
	CHECK(c->init && c->apply && c->clear);
}

// Keystream (RC4 over zeros) up to each vector's offset, in one call and in
// pieces of 1, 17 and 256 bytes: the same bytes at the offset.
void known_answers(const prim &p)
{
	const kgss_stream_cipher_class *c = p.stream();
	for_each_vector(p, "primitives_stream.txt", "cipher", [&](const kt::vector_block &v) {
		const bytes key = v.hexf("key"), want = v.hexf("output");
		const size_t off = (size_t)v.num("offset"), len = off + want.size();
		for (size_t piece : {len, (size_t)1, (size_t)17, (size_t)256}) {
			stream_state st;
			bytes z(len, 0);
			LONGS_EQUAL(0, c->init(st.b, key.data(), key.size()));
			for (size_t at = 0; at < len; at += piece)
				LONGS_EQUAL(0, c->apply(st.b, z.data() + at, len - at < piece ? len - at : piece));
			c->clear(st.b);
			STRCMP_EQUAL(kt::to_hex(want).c_str(), kt::to_hex(z.data() + off, want.size()).c_str());
		}
	});
}

// Random keys of 1..256 bytes (16: the RFC 4757 size), data applied in
// random pieces (some empty): equal to the reference.
void vs_reference(const prim &p)
{
	const kgss_stream_cipher_class *c = p.stream();
	uint64_t seed = 0xc4;
	for (int it = 0; it < 100; it++) {
		uint8_t r[4];
		kt::fill_random(seed, r, sizeof r);
		const size_t klen = it % 2 ? 16 : it == 0 ? 256 : 1 + r[0] % 64;
		const size_t len = ((size_t)r[1] << 4) | (r[2] & 15);
		bytes key(klen), data(len);
		kt::fill_random(seed, key.data(), klen);
		if (len)
			kt::fill_random(seed, data.data(), len);
		stream_state st;
		LONGS_EQUAL(0, c->init(st.b, key.data(), klen));
		bytes x = data;
		const size_t step = 1 + r[3] % 100;
		for (size_t at = 0; at < len; at += step) {
			LONGS_EQUAL(0, c->apply(st.b, x.data() + at, len - at < step ? len - at : step));
			LONGS_EQUAL(0, c->apply(st.b, x.data() + at, 0)); // an empty call changes nothing
		}
		c->clear(st.b);
		CHECK(x == ref_rc4(key, data));
	}
}

// Key lengths 0 and 257 fail (clear() is safe afterwards), 1 and 256 work;
// clear() zeroes all context_size bytes.
void key_schedule(const prim &p)
{
	const kgss_stream_cipher_class *c = p.stream();
	stream_state st;
	uint8_t key[257], d[8] = {0};
	for (size_t i = 0; i < sizeof key; i++)
		key[i] = (uint8_t)(i * 5 + 1);
	for (size_t len : {(size_t)0, (size_t)257}) {
		std::memset(st.b, 0xa5, sizeof st.b);
		CHECK(c->init(st.b, key, len) != 0);
		c->clear(st.b);
		CHECK(all_zero(st.b, c->context_size));
	}
	for (size_t len : {(size_t)1, (size_t)256}) {
		LONGS_EQUAL(0, c->init(st.b, key, len));
		LONGS_EQUAL(0, c->apply(st.b, d, 0));
		LONGS_EQUAL(0, c->apply(st.b, d, sizeof d));
		CHECK(bytes(d, d + sizeof d) == ref_rc4(bytes(key, key + len), bytes(sizeof d, 0)));
		std::memset(d, 0, sizeof d);
		c->clear(st.b);
		CHECK(all_zero(st.b, c->context_size));
	}
}

} // namespace

const std::vector<check> &stream_checks()
{
	static const std::vector<check> v = {
		{"shape", shape},
		{"known_answers", known_answers},
		{"vs_reference", vs_reference},
		{"key_schedule", key_schedule},
	};
	return v;
}

} // namespace bc
