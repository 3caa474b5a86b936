// tests/backend_conformance/block.cc - the block cipher classes (AES-128/256,
// Camellia-128/256, DES-EDE3) against the kgss_crypto.h contract, the known
// answers of tests/vectors/primitives_block.txt and the EVP reference.
#include <CppUTest/TestHarness.h>

#include <cstring>

#include "conformance.h"

namespace bc {

namespace {

// Block and key size of each primitive (kgss_crypto.h).
void sizes_of(const char *name, size_t *bs, size_t *ks)
{
	*bs = std::strcmp(name, "des3") == 0 ? 8 : 16;
	*ks = std::strcmp(name, "des3") == 0 ? 24 : std::strstr(name, "256") ? 32 : 16;
}

// A keyed schedule in library-shaped memory, cleared on scope exit.
struct schedule {
	const kgss_block_cipher_class *c;
	cipher_state st;
	schedule(const kgss_block_cipher_class *cls, const bytes &key) : c(cls)
	{
		LONGS_EQUAL(0, c->init(st.b, key.data(), key.size()));
	}
	~schedule() { c->clear(st.b); }
	schedule(const schedule &) = delete;
	schedule &operator=(const schedule &) = delete;
};

bytes rnd(uint64_t &seed, size_t n)
{
	bytes b(n);
	if (n)
		kt::fill_random(seed, b.data(), n);
	return b;
}

// Calls f(first_block, nblocks) over [0, n) in random consecutive pieces
// (some of them empty).
template <typename F>
void in_pieces(uint64_t &seed, size_t n, F f)
{
	size_t done = 0;
	while (done < n) {
		uint8_t r;
		kt::fill_random(seed, &r, 1);
		size_t take = r % 5 == 0 ? 0 : 1 + r % 11;
		take = take < n - done ? take : n - done;
		f(done, take);
		done += take;
	}
}

void shape(const prim &p)
{
	const kgss_block_cipher_class *c = p.block();
	size_t bs, ks;
	sizes_of(p.name, &bs, &ks);
	CHECK(c->context_size > 0);
	CHECK(c->context_size <= KGSS_CIPHER_STATE_MAX);
	LONGS_EQUAL(bs, c->block_size);
	LONGS_EQUAL(ks, c->key_size);
	CHECK(c->name != nullptr && c->name[0] != 0);
	CHECK(c->init && c->clear && c->ecb_encrypt && c->ecb_decrypt && c->cbc_encrypt && c->cbc_decrypt &&
	      c->cbc_mac);
}

// ECB: one shot both ways, and the message 9 times over in one call (the
// multi-block paths: 4-way bitsliced, 8-way pipelined).  CBC: one shot, every
// split into two calls (the iv carries the chain), cbc_mac = last block.
void known_answers(const prim &p)
{
	const kgss_block_cipher_class *c = p.block();
	const size_t bs = c->block_size;
	for_each_vector(p, "primitives_block.txt", "cipher", [&](const kt::vector_block &v) {
		const bytes key = v.hexf("key"), pt = v.hexf("plaintext"), ct = v.hexf("ciphertext");
		const size_t n = pt.size() / bs;
		CHECK(n > 0 && pt.size() == n * bs && ct.size() == pt.size());
		schedule s(c, key);
		if (v.get("mode") == "ecb") {
			bytes d = pt;
			LONGS_EQUAL(0, c->ecb_encrypt(s.st.b, d.data(), n));
			STRCMP_EQUAL(kt::to_hex(ct).c_str(), kt::to_hex(d).c_str());
			LONGS_EQUAL(0, c->ecb_decrypt(s.st.b, d.data(), n));
			STRCMP_EQUAL(kt::to_hex(pt).c_str(), kt::to_hex(d).c_str());
			bytes many, many_ct;
			for (int i = 0; i < 9; i++) {
				many.insert(many.end(), pt.begin(), pt.end());
				many_ct.insert(many_ct.end(), ct.begin(), ct.end());
			}
			d = many;
			LONGS_EQUAL(0, c->ecb_encrypt(s.st.b, d.data(), 9 * n));
			CHECK(d == many_ct);
			LONGS_EQUAL(0, c->ecb_decrypt(s.st.b, d.data(), 9 * n));
			CHECK(d == many);
		} else {
			STRCMP_EQUAL("cbc", v.get("mode").c_str());
			const bytes iv = v.hexf("iv"), last(ct.end() - (long)bs, ct.end());
			for (size_t cut = 0; cut <= n; cut++) {
				bytes d = pt, w = iv;
				LONGS_EQUAL(0, c->cbc_encrypt(s.st.b, w.data(), d.data(), cut));
				LONGS_EQUAL(0, c->cbc_encrypt(s.st.b, w.data(), d.data() + cut * bs, n - cut));
				STRCMP_EQUAL(kt::to_hex(ct).c_str(), kt::to_hex(d).c_str());
				CHECK(w == last);
				w = iv;
				LONGS_EQUAL(0, c->cbc_decrypt(s.st.b, w.data(), d.data(), cut));
				LONGS_EQUAL(0, c->cbc_decrypt(s.st.b, w.data(), d.data() + cut * bs, n - cut));
				STRCMP_EQUAL(kt::to_hex(pt).c_str(), kt::to_hex(d).c_str());
				CHECK(w == last);
				w = iv;
				LONGS_EQUAL(0, c->cbc_mac(s.st.b, w.data(), d.data(), cut));
				LONGS_EQUAL(0, c->cbc_mac(s.st.b, w.data(), d.data() + cut * bs, n - cut));
				CHECK(d == pt); // cbc_mac leaves data alone
				CHECK(w == last);
			}
		}
	});
}

// Wrong key lengths fail and clear() is safe after a failed init; a good
// init writes the schedule; clear() zeroes all context_size bytes; the
// memory can be keyed again afterwards.
void key_schedule(const prim &p)
{
	const kgss_block_cipher_class *c = p.block();
	uint8_t key[64];
	for (size_t i = 0; i < sizeof key; i++)
		key[i] = (uint8_t)(0x11 * i + 3);
	cipher_state st;
	const size_t bad[] = {0, 1, 8, 15, 16, 17, 23, 24, 25, 31, 32, 33, 40, 64};
	for (size_t len : bad) {
		if (len == c->key_size)
			continue;
		std::memset(st.b, 0xa5, sizeof st.b);
		CHECK_TEXT(c->init(st.b, key, len) != 0, c->name);
		c->clear(st.b);
		CHECK_TEXT(all_zero(st.b, c->context_size), c->name);
	}
	std::memset(st.b, 0xa5, sizeof st.b);
	LONGS_EQUAL(0, c->init(st.b, key, c->key_size));
	size_t changed = 0;
	for (size_t i = 0; i < c->context_size; i++)
		changed += st.b[i] != 0xa5;
	CHECK(changed > 0);
	c->clear(st.b);
	CHECK_TEXT(all_zero(st.b, c->context_size), c->name);
	// Keyed again in the same memory: the answer is the reference's.
	LONGS_EQUAL(0, c->init(st.b, key, c->key_size));
	bytes blk(c->block_size, 0x3c);
	LONGS_EQUAL(0, c->ecb_encrypt(st.b, blk.data(), 1));
	CHECK(blk == ref_ecb(p.name, bytes(key, key + c->key_size), bytes(c->block_size, 0x3c), true));
	c->clear(st.b);
}

// nblocks == 0 changes neither data nor iv.
void zero_blocks(const prim &p)
{
	const kgss_block_cipher_class *c = p.block();
	uint64_t seed = 0x2e60;
	schedule s(c, rnd(seed, c->key_size));
	const bytes iv0 = rnd(seed, c->block_size), d0 = rnd(seed, c->block_size);
	bytes iv = iv0, d = d0;
	LONGS_EQUAL(0, c->ecb_encrypt(s.st.b, d.data(), 0));
	LONGS_EQUAL(0, c->ecb_decrypt(s.st.b, d.data(), 0));
	LONGS_EQUAL(0, c->cbc_encrypt(s.st.b, iv.data(), d.data(), 0));
	LONGS_EQUAL(0, c->cbc_decrypt(s.st.b, iv.data(), d.data(), 0));
	LONGS_EQUAL(0, c->cbc_mac(s.st.b, iv.data(), d.data(), 0));
	CHECK(iv == iv0);
	CHECK(d == d0);
}

// Random keys, 0..64, 255 and 300 blocks in place at an odd address, ECB both ways, CBC
// both ways one shot and in random pieces, cbc_mac one shot and in pieces,
// the iv out of every call: equal to the reference.
void vs_reference(const prim &p)
{
	const kgss_block_cipher_class *c = p.block();
	const size_t bs = c->block_size;
	uint64_t seed = 0x7e5f0000u ^ (uint64_t)bs ^ c->key_size;
	std::vector<size_t> counts; // 0..64 blocks, and long runs (a backend's internal chunking)
	for (size_t n = 0; n <= 64; n++)
		counts.push_back(n);
	counts.push_back(255);
	counts.push_back(300);
	for (int round = 0; round < 2; round++) {
		for (size_t n : counts) {
			const bytes key = rnd(seed, c->key_size), iv = rnd(seed, bs), pt = rnd(seed, n * bs);
			schedule s(c, key);
			const bytes ct = ref_cbc(p.name, key, iv, pt, true),
				    cbc_pt = ref_cbc(p.name, key, iv, pt, false);
			const bytes ct_last = n ? bytes(ct.end() - (long)bs, ct.end()) : iv;
			const bytes pt_last = n ? bytes(pt.end() - (long)bs, pt.end()) : iv;
			uint8_t buf[300 * 16 + 1], w[16];
			uint8_t *d = buf + 1; // the classes take unaligned data
			auto cur = [&] { return bytes(d, d + n * bs); };
			auto load = [&](const bytes &x) {
				if (n)
					std::memcpy(d, x.data(), n * bs);
			};
			auto wiv = [&] { return bytes(w, w + bs); };

			load(pt);
			LONGS_EQUAL(0, c->ecb_encrypt(s.st.b, d, n));
			CHECK(cur() == ref_ecb(p.name, key, pt, true));
			LONGS_EQUAL(0, c->ecb_decrypt(s.st.b, d, n));
			CHECK(cur() == pt);
			LONGS_EQUAL(0, c->ecb_decrypt(s.st.b, d, n)); // pt read as ciphertext
			CHECK(cur() == ref_ecb(p.name, key, pt, false));

			// CBC encrypt (pt -> ct), decrypt (ct -> pt), MAC (pt stays), each
			// one shot and in random pieces: the iv out is ct's last block.
			auto cbc_op = [&](int op, uint8_t *at, size_t k) {
				return op == 0   ? c->cbc_encrypt(s.st.b, w, at, k)
				       : op == 1 ? c->cbc_decrypt(s.st.b, w, at, k)
						 : c->cbc_mac(s.st.b, w, at, k);
			};
			for (int chained = 0; chained < 2; chained++)
				for (int op = 0; op < 3; op++) {
					load(op == 1 ? ct : pt);
					std::memcpy(w, iv.data(), bs);
					if (chained)
						in_pieces(seed, n, [&](size_t at, size_t k) {
							LONGS_EQUAL(0, cbc_op(op, d + at * bs, k));
						});
					else
						LONGS_EQUAL(0, cbc_op(op, d, n));
					CHECK(cur() == (op == 0 ? ct : pt));
					CHECK(wiv() == ct_last);
				}
			// decrypting random data (pt as ciphertext): iv out is its last block
			std::memcpy(w, iv.data(), bs);
			LONGS_EQUAL(0, c->cbc_decrypt(s.st.b, w, d, n));
			CHECK(cur() == cbc_pt);
			CHECK(wiv() == pt_last);
		}
	}
	// Unrelated CBC calls back to back on one schedule, each with a fresh iv
	// (every third an all-zero iv, as RFC 3962 CTS uses): no chaining value
	// leaks from one call into the next.
	const bytes key = rnd(seed, c->key_size);
	schedule s(c, key);
	for (int i = 0; i < 40; i++) {
		uint8_t r;
		kt::fill_random(seed, &r, 1);
		const bytes pt = rnd(seed, bs * (1 + r % 40));
		const bytes iv = i % 3 ? rnd(seed, bs) : bytes(bs, 0);
		bytes x = pt, w = iv;
		const bool enc = i % 2 == 0;
		LONGS_EQUAL(0, (enc ? c->cbc_encrypt : c->cbc_decrypt)(s.st.b, w.data(), x.data(), pt.size() / bs));
		CHECK(x == ref_cbc(p.name, key, iv, pt, enc));
	}
	// Every byte value through the S-boxes and their inverses: 256 blocks
	// sweeping all bytes, under 16 keys that sweep all bytes too.
	bytes sweep(256 * bs);
	for (size_t i = 0; i < sweep.size(); i++)
		sweep[i] = (uint8_t)(i / bs + i % bs);
	for (int k = 0; k < 16; k++) {
		bytes kk(c->key_size);
		for (size_t i = 0; i < kk.size(); i++)
			kk[i] = (uint8_t)(k * 16 + i);
		schedule t(c, kk);
		bytes x = sweep;
		LONGS_EQUAL(0, c->ecb_encrypt(t.st.b, x.data(), 256));
		CHECK(x == ref_ecb(p.name, kk, sweep, true));
		x = sweep;
		LONGS_EQUAL(0, c->ecb_decrypt(t.st.b, x.data(), 256));
		CHECK(x == ref_ecb(p.name, kk, sweep, false));
	}
}

// More live schedules than a backend's per-thread cache may hold, used in
// rotation; clearing one leaves the others intact.
void many_schedules(const prim &p)
{
	const kgss_block_cipher_class *c = p.block();
	const size_t bs = c->block_size;
	uint64_t seed = 0x3a11;
	const int N = 11;
	std::vector<bytes> keys(N);
	std::vector<cipher_state> st(N);
	for (int i = 0; i < N; i++) {
		keys[i] = rnd(seed, c->key_size);
		LONGS_EQUAL(0, c->init(st[i].b, keys[i].data(), keys[i].size()));
	}
	const bytes pt = rnd(seed, bs * 5), iv = rnd(seed, bs);
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < N; i++) {
			const int j = (i * 7 + round) % N;
			bytes x = pt, v = iv;
			LONGS_EQUAL(0, c->ecb_encrypt(st[j].b, x.data(), 5));
			CHECK(x == ref_ecb(p.name, keys[j], pt, true));
			x = pt;
			LONGS_EQUAL(0, c->cbc_decrypt(st[j].b, v.data(), x.data(), 5));
			CHECK(x == ref_cbc(p.name, keys[j], iv, pt, false));
		}
	c->clear(st[3].b);
	bytes x = pt;
	LONGS_EQUAL(0, c->ecb_encrypt(st[4].b, x.data(), 5));
	CHECK(x == ref_ecb(p.name, keys[4], pt, true));
	for (int i = 0; i < N; i++)
		if (i != 3)
			c->clear(st[i].b);
}

// The schedule is only read: 4 threads run every operation on one schedule.
void threads(const prim &p)
{
	const kgss_block_cipher_class *c = p.block();
	const size_t bs = c->block_size;
	uint64_t seed = 0x7777;
	const bytes key = rnd(seed, c->key_size), iv = rnd(seed, bs), pt = rnd(seed, bs * 64);
	const bytes ecb_ct = ref_ecb(p.name, key, pt, true), cbc_ct = ref_cbc(p.name, key, iv, pt, true);
	schedule s(c, key);
	run_threads(4, 100, [&](int t, int it) {
		const size_t nb = 1 + (size_t)((it * 13 + t) % 64), len = nb * bs;
		bytes x(pt.begin(), pt.begin() + (long)len), v = iv;
		bool good = c->ecb_encrypt(s.st.b, x.data(), nb) == 0 &&
			    std::equal(x.begin(), x.end(), ecb_ct.begin()) &&
			    c->ecb_decrypt(s.st.b, x.data(), nb) == 0 && std::equal(x.begin(), x.end(), pt.begin()) &&
			    c->cbc_encrypt(s.st.b, v.data(), x.data(), nb) == 0 &&
			    std::equal(x.begin(), x.end(), cbc_ct.begin());
		v = iv;
		good = good && c->cbc_decrypt(s.st.b, v.data(), x.data(), nb) == 0 &&
		       std::equal(x.begin(), x.end(), pt.begin());
		v = iv;
		return good && c->cbc_mac(s.st.b, v.data(), pt.data(), nb) == 0 &&
		       std::equal(v.begin(), v.end(), cbc_ct.begin() + (long)(len - bs));
	});
}

} // namespace

const std::vector<check> &block_checks()
{
	static const std::vector<check> v = {
		{"shape", shape},
		{"known_answers", known_answers},
		{"key_schedule", key_schedule},
		{"zero_blocks", zero_blocks},
		{"vs_reference", vs_reference},
		{"many_schedules", many_schedules},
		{"threads", threads},
	};
	return v;
}

} // namespace bc
