// tests/backend_conformance/engine.cc - the optional stitched CBC + hash
// engines (cbc_sha1, cbc_sha256, cbc_sha384) against the kgss_crypto.h
// contract: the same data, IV out and digest as the two-pass computation with
// the classes the engine pairs, both key sizes, both directions, the hash on
// either side of the cipher, 0..130 units, states with earlier blocks absorbed.
#include <CppUTest/TestHarness.h>

#include <cstring>

#include "conformance.h"

namespace bc {

namespace {

// The hash slot an engine slot pairs with.
const kgss_hash_class *paired_hash(const prim &p)
{
	if (std::strcmp(p.name, "cbc_sha1") == 0)
		return p.b->be->sha1;
	if (std::strcmp(p.name, "cbc_sha256") == 0)
		return p.b->be->sha256;
	return p.b->be->sha384;
}

// The library uses an engine only when its classes are the backend's own
// (crypto/enctypes/profile.cc backend_stitch, crypto/cts.cc stitch_fits).
void shape(const prim &p)
{
	const kgss_cbc_hash_class *e = p.engine();
	CHECK(e->name != nullptr && e->name[0] != 0);
	CHECK(e->encrypt && e->decrypt);
	POINTERS_EQUAL(paired_hash(p), e->hash);
	CHECK(e->cipher_a != nullptr || e->cipher_b != nullptr);
	for (const kgss_block_cipher_class *c : {e->cipher_a, e->cipher_b})
		if (c)
			CHECK(c == p.b->be->aes128 || c == p.b->be->aes256);
	LONGS_EQUAL(e->hash->block_size, e->unit);
	CHECK(e->unit % 16 == 0);
}

struct outcome {
	bytes data, iv, digest;
	int rc;
};

// The engine (stitched) or the two passes over prefix then data.
outcome run(const kgss_cbc_hash_class *e, const kgss_block_cipher_class *bc, const bytes &key, const bytes &iv0,
	    const bytes &prefix, const bytes &data, bool decrypt, bool hash_output, bool stitched)
{
	cipher_state ks;
	hash_state st;
	outcome o{data, iv0, bytes(e->hash->digest_size), 0};
	LONGS_EQUAL(0, bc->init(ks.b, key.data(), key.size()));
	LONGS_EQUAL(0, e->hash->init(st.b));
	e->hash->update(st.b, prefix.data(), prefix.size());
	const size_t n = data.size() / e->unit;
	if (stitched) {
		o.rc = (decrypt ? e->decrypt : e->encrypt)(ks.b, o.iv.data(), st.b, o.data.data(), n, hash_output);
	} else {
		const bool hash_first = !hash_output; // the hash sees the cipher's input
		if (hash_first)
			e->hash->update(st.b, o.data.data(), o.data.size());
		LONGS_EQUAL(0, (decrypt ? bc->cbc_decrypt : bc->cbc_encrypt)(ks.b, o.iv.data(), o.data.data(),
									     n * e->unit / bc->block_size));
		if (!hash_first)
			e->hash->update(st.b, o.data.data(), o.data.size());
	}
	e->hash->update(st.b, "tail", 4); // a partial block after the run finishes normally
	if (o.rc == 0)
		LONGS_EQUAL(0, e->hash->final(st.b, o.digest.data()));
	else
		e->hash->clear(st.b);
	bc->clear(ks.b);
	return o;
}

void equals_two_pass(const prim &p)
{
	const kgss_cbc_hash_class *e = p.engine();
	uint64_t seed = 0x5717c4ed5eedull;
	const size_t counts[] = {0, 1, 2, 3, 4, 5, 7, 17, 63, 64, 65, 130};
	size_t cases = 0;
	for (const kgss_block_cipher_class *bc : {e->cipher_a, e->cipher_b}) {
		if (!bc)
			continue;
		for (size_t n : counts)
			for (int dir = 0; dir < 4; dir++) {
				const bool decrypt = dir & 1, hash_output = dir & 2;
				bytes key(bc->key_size), iv(16), prefix(e->unit * (n % 3)), data(n * e->unit);
				kt::fill_random(seed, key.data(), key.size());
				kt::fill_random(seed, iv.data(), iv.size());
				if (!prefix.empty())
					kt::fill_random(seed, prefix.data(), prefix.size());
				if (!data.empty())
					kt::fill_random(seed, data.data(), data.size());
				const outcome a = run(e, bc, key, iv, prefix, data, decrypt, hash_output, true);
				const outcome b = run(e, bc, key, iv, prefix, data, decrypt, hash_output, false);
				LONGS_EQUAL(0, a.rc);
				CHECK(a.data == b.data);
				CHECK(a.iv == b.iv);
				CHECK(a.digest == b.digest);
				cases++;
			}
	}
	CHECK(cases >= 48);
}

// A hash state that is not at a block boundary, or not live, is refused.
void refuses_unaligned_or_dead_state(const prim &p)
{
	const kgss_cbc_hash_class *e = p.engine();
	const kgss_block_cipher_class *bc = e->cipher_a ? e->cipher_a : e->cipher_b;
	cipher_state ks;
	hash_state st;
	uint8_t iv[16] = {0}, data[256] = {0};
	bytes key(bc->key_size, 1);
	LONGS_EQUAL(0, bc->init(ks.b, key.data(), key.size()));
	LONGS_EQUAL(0, e->hash->init(st.b));
	e->hash->update(st.b, "x", 1);
	CHECK(e->encrypt(ks.b, iv, st.b, data, 1, 0) != 0);
	CHECK(e->decrypt(ks.b, iv, st.b, data, 1, 1) != 0);
	e->hash->clear(st.b);
	CHECK(e->encrypt(ks.b, iv, st.b, data, 1, 0) != 0); // wiped: not live
	bc->clear(ks.b);
}

} // namespace

const std::vector<check> &engine_checks()
{
	static const std::vector<check> v = {
		{"shape", shape},
		{"equals_two_pass", equals_two_pass},
		{"refuses_unaligned_or_dead_state", refuses_unaligned_or_dead_state},
	};
	return v;
}

} // namespace bc
