// tests/concurrency: many threads on ONE context.
//
// Send side: 8 threads each make N tokens (MIC tokens, integrity-only and
// sealed Wrap tokens mixed) on one initiator context.  Every token's SND_SEQ
// is then read back (RFC 4121: in the clear; RFC 1964: decrypted here with the
// raw DES3 key, independently of the library): the numbers must be pairwise
// distinct and cover exactly [send_seq0, send_seq0 + 8N) (mod 2^64 / 2^32),
// and the context must report send_seq0 + 8N as its next number.
//
// Receive side: one acceptor context with KGSS_OPT_REPLAY_DETECT; every token
// is submitted twice, by two different threads (token r by threads r % 8 and
// (r + 1) % 8), all 8 threads running at once.  Per kgss.h a replay that
// verifies answers KGSS_S_COMPLETE | KGSS_S_DUPLICATE_TOKEN; so each token
// must get exactly one KGSS_S_COMPLETE and exactly one
// KGSS_S_DUPLICATE_TOKEN, and the plaintext / MIC must check out both times.
// The receive window is 64 numbers wide (MIT g_seqstate), so the threads are
// throttled to stay within 48 tokens of the slowest one: a token further
// behind would legitimately be OLD_TOKEN, which this test would report as a
// failure rather than hide.
//
// N defaults to 100000 per thread (8 x 10^5 tokens, 1.6 x 10^6 receptions);
// KGSS_CONCURRENCY_ITERS overrides it (the tsan build registers a smaller
// count: ThreadSanitizer is ~10x slower).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include <CppUTest/TestHarness.h>

#include "families.h"
#include "kgss.h"

namespace {

constexpr int kThreads = 8;
constexpr uint64_t kLag = 48; // < 64, the receive window
constexpr size_t kMsgLen = 24;

size_t iters_per_thread()
{
	const char *e = getenv("KGSS_CONCURRENCY_ITERS");
	if (e != nullptr && *e != '\0') {
		long v = strtol(e, nullptr, 10);
		if (v > 0)
			return (size_t)v;
	}
	return 100000;
}

// Deterministic key bytes (never zero) per enctype.
std::vector<uint8_t> key_for(int32_t etype, size_t len)
{
	std::vector<uint8_t> k(len);
	for (size_t i = 0; i < len; i++)
		k[i] = (uint8_t)(0x5b + 29 * i + 7 * (uint32_t)etype) | 1u;
	return k;
}

struct lucid {
	kgss_lucid_context_v1 l;
	lucid(int32_t etype, uint32_t protocol, bool initiator, const std::vector<uint8_t> &key, uint64_t send_seq,
	      uint64_t recv_seq)
	{
		memset(&l, 0, sizeof(l));
		l.version = 1;
		l.initiate = initiator ? 1 : 0;
		l.endtime = 0xffffffffu;
		l.send_seq = send_seq;
		l.recv_seq = recv_seq;
		l.protocol = protocol;
		kgss_lucid_key *k = protocol == 0 ? &l.rfc1964_kd.ctx_key : &l.cfx_kd.ctx_key;
		if (protocol == 0) {
			l.rfc1964_kd.sign_alg = etype == 16 ? 4 : 0x11;
			l.rfc1964_kd.seal_alg = etype == 16 ? 2 : 0x10;
		}
		k->type = (uint32_t)etype;
		k->length = (uint32_t)key.size();
		k->data = (void *)key.data();
	}
};

// The message of token `id`: its number and a pattern, so the receiver can
// rebuild it for verify_mic and check unwrap's plaintext.
void message_for(uint64_t id, uint8_t out[kMsgLen])
{
	for (size_t i = 0; i < 8; i++)
		out[i] = (uint8_t)(id >> (8 * i));
	for (size_t i = 8; i < kMsgLen; i++)
		out[i] = (uint8_t)(id * 31 + i * 7);
}

enum kind : uint8_t { K_MIC = 0, K_WRAP_INTEG = 1, K_WRAP_SEALED = 2 };

kind kind_for(size_t k)
{
	if (k % 16 == 15)
		return K_WRAP_SEALED;
	if (k % 4 == 1)
		return K_WRAP_INTEG;
	return K_MIC;
}

// One thread's tokens, packed.
struct produced {
	std::vector<uint8_t> blob;
	std::vector<uint32_t> off; // off[i]..off[i+1]
	std::vector<uint8_t> kinds;
	std::vector<uint64_t> ids;
	int failures = 0;
	kgss_status first_failure = 0;
};

struct scenario {
	int32_t etype;
	uint32_t protocol;
	uint64_t seq0;
};

// SND_SEQ of a token, read independently of the library.
struct seq_reader {
	uint32_t protocol;
	const kgss_block_cipher_class *des3 = nullptr;
	alignas(16) uint8_t ks[KGSS_CIPHER_STATE_MAX];

	seq_reader(uint32_t p, const std::vector<uint8_t> &key) : protocol(p)
	{
		if (p == 0) {
			des3 = kgss_crypto_builtin_portable()->des3;
			CHECK(des3 != nullptr && des3->context_size <= sizeof(ks));
			CHECK_EQUAL(0, des3->init(ks, key.data(), key.size()));
		}
	}
	~seq_reader()
	{
		if (des3)
			des3->clear(ks);
	}
	// false when the token is not shaped as expected.
	bool read(const uint8_t *t, size_t n, uint64_t *seq)
	{
		if (protocol == 1) {
			// RFC 4121 §4.2.6: MIC 04 04, Wrap 05 04; SND_SEQ at 8..15, big-endian.
			if (n < 16 || t[1] != 0x04 || (t[0] != 0x04 && t[0] != 0x05))
				return false;
			uint64_t v = 0;
			for (int i = 0; i < 8; i++)
				v = (v << 8) | t[8 + i];
			*seq = v;
			return true;
		}
		// RFC 2743 §3.1 framing: 60 <DER len> 06 09 <krb5 OID>.
		if (n < 2 || t[0] != 0x60)
			return false;
		size_t off = 2;
		if (t[1] & 0x80)
			off += t[1] & 0x7f;
		off += 11;
		// RFC 1964 §1.2.1.2, DES3: SND_SEQ (8) at tok+8, encrypted with DES3-CBC
		// under the raw context key, IV = SGN_CKSUM[0..8) at tok+16.
		if (n < off + 16 + 20)
			return false;
		const uint8_t *tok = t + off;
		uint8_t iv[8], blk[8];
		memcpy(iv, tok + 16, 8);
		memcpy(blk, tok + 8, 8);
		if (des3->cbc_decrypt(ks, iv, blk, 1) != 0)
			return false;
		// Direction bytes: 00 from the initiator.
		for (int i = 4; i < 8; i++)
			if (blk[i] != 0x00)
				return false;
		*seq = (uint64_t)blk[0] | ((uint64_t)blk[1] << 8) | ((uint64_t)blk[2] << 16) | ((uint64_t)blk[3] << 24);
		return true;
	}
};

void run_scenario(const scenario &sc, size_t iters)
{
	const size_t key_len = sc.etype == 16 ? 24 : sc.etype == 18 || sc.etype == 20 || sc.etype == 26 ? 32 : 16;
	const std::vector<uint8_t> key = key_for(sc.etype, key_len);
	const uint64_t mask = sc.protocol == 0 ? 0xffffffffu : ~(uint64_t)0;
	const size_t total = iters * kThreads;

	uint8_t seed[32];
	for (size_t i = 0; i < sizeof(seed); i++)
		seed[i] = (uint8_t)(i + 1);
	kgss_chacha_prng prng_state;
	kgss_prng prng;
	CHECK_EQUAL(0, kgss_chacha_prng_init(&prng_state, seed, &prng));

	kgss_options os;
	kgss_options_init(&os);
	os.prng = &prng;
	kgss_options orx;
	kgss_options_init(&orx);
	orx.flags = KGSS_OPT_REPLAY_DETECT;

	lucid ls(sc.etype, sc.protocol, true, key, sc.seq0, 0);
	lucid lr(sc.etype, sc.protocol, false, key, 0, sc.seq0);
	std::vector<uint8_t> mem_s(kgss_ctx_size()), mem_r(kgss_ctx_size());
	kgss_ctx *cs = nullptr, *cr = nullptr;
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss_import_lucid_v1_into(mem_s.data(), mem_s.size(), &ls.l, &os, &cs));
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss_import_lucid_v1_into(mem_r.data(), mem_r.size(), &lr.l, &orx, &cr));

	// ---- send: 8 threads on cs ------------------------------------------------
	auto t0 = std::chrono::steady_clock::now();
	std::vector<produced> out(kThreads);
	std::vector<std::thread> th;
	for (int t = 0; t < kThreads; t++) {
		th.emplace_back([&, t] {
			produced &p = out[t];
			p.blob.reserve(iters * 48);
			p.off.reserve(iters + 1);
			p.off.push_back(0);
			uint8_t msg[kMsgLen];
			uint8_t tokbuf[256];
			for (size_t k = 0; k < iters; k++) {
				const uint64_t id = (uint64_t)t * iters + k;
				message_for(id, msg);
				kgss_buffer m = {sizeof(msg), msg};
				kgss_buffer tok = {sizeof(tokbuf), tokbuf};
				const kind kd = kind_for(k);
				kgss_status st = kd == K_MIC ? kgss_get_mic(cs, 0, &m, &tok)
							     : kgss_wrap(cs, kd == K_WRAP_SEALED, 0, &m, nullptr, &tok);
				if (st != KGSS_S_COMPLETE) {
					if (p.failures++ == 0)
						p.first_failure = st;
					continue;
				}
				p.blob.insert(p.blob.end(), tokbuf, tokbuf + tok.length);
				p.off.push_back((uint32_t)p.blob.size());
				p.kinds.push_back(kd);
				p.ids.push_back(id);
			}
		});
	}
	for (auto &x : th)
		x.join();
	th.clear();
	auto t1 = std::chrono::steady_clock::now();

	for (int t = 0; t < kThreads; t++) {
		if (out[t].failures)
			fprintf(stderr, "thread %d: %d failures, first status 0x%x\n", t, out[t].failures,
				out[t].first_failure);
		CHECK_EQUAL(0, out[t].failures);
		CHECK_EQUAL(iters, out[t].ids.size());
	}

	kgss_ctx_info info;
	CHECK_EQUAL(KGSS_S_COMPLETE, kgss_ctx_inquire(cs, &info));
	CHECK_EQUAL((sc.seq0 + total) & mask, info.send_seq);

	// ---- every SND_SEQ distinct, covering [seq0, seq0 + total) -----------------
	struct ref {
		uint32_t thread, index;
	};
	std::vector<ref> by_rel(total, ref{UINT32_MAX, UINT32_MAX});
	size_t bad_shape = 0, out_of_range = 0, dups = 0;
	size_t n_kind[3] = {0, 0, 0};
	{
		seq_reader rd(sc.protocol, key);
		for (int t = 0; t < kThreads; t++) {
			const produced &p = out[t];
			for (size_t i = 0; i < p.ids.size(); i++) {
				uint64_t seq;
				if (!rd.read(p.blob.data() + p.off[i], p.off[i + 1] - p.off[i], &seq)) {
					bad_shape++;
					continue;
				}
				const uint64_t rel = (seq - sc.seq0) & mask;
				if (rel >= total) {
					out_of_range++;
					continue;
				}
				if (by_rel[rel].thread != UINT32_MAX) {
					dups++;
					continue;
				}
				by_rel[rel] = ref{(uint32_t)t, (uint32_t)i};
				n_kind[p.kinds[i]]++;
			}
		}
	}
	size_t holes = 0;
	for (size_t r = 0; r < total; r++)
		holes += by_rel[r].thread == UINT32_MAX;
	CHECK_EQUAL(0, bad_shape);
	CHECK_EQUAL(0, out_of_range);
	CHECK_EQUAL(0, dups);
	CHECK_EQUAL(0, holes);
	CHECK(n_kind[K_MIC] > 0 && n_kind[K_WRAP_INTEG] > 0 && n_kind[K_WRAP_SEALED] > 0);

	// ---- receive: every token twice, by two different threads ------------------
	std::vector<kgss_status> st_first(total, 0xffffffffu), st_second(total, 0xffffffffu);
	std::vector<uint8_t> content_bad(total, 0);
	std::atomic<uint64_t> pos[kThreads];
	for (auto &x : pos)
		x.store(0);
	for (int t = 0; t < kThreads; t++) {
		th.emplace_back([&, t] {
			const int prev = (t + kThreads - 1) % kThreads;
			uint8_t msg[kMsgLen];
			std::vector<uint8_t> outbuf(256);
			for (size_t r = 0; r < total; r++) {
				const int owner = (int)(r % kThreads);
				if (owner != t && owner != prev)
					continue;
				pos[t].store(r, std::memory_order_release);
				// Stay within kLag tokens of the slowest thread.
				for (;;) {
					uint64_t lo = UINT64_MAX;
					for (int u = 0; u < kThreads; u++)
						lo = std::min(lo, pos[u].load(std::memory_order_acquire));
					if (r <= lo + kLag)
						break;
					std::this_thread::yield();
				}
				const ref rf = by_rel[r];
				const produced &p = out[rf.thread];
				const uint8_t *tk = p.blob.data() + p.off[rf.index];
				const size_t tl = p.off[rf.index + 1] - p.off[rf.index];
				message_for(p.ids[rf.index], msg);
				kgss_status st;
				bool ok = true;
				if (p.kinds[rf.index] == K_MIC) {
					kgss_buffer m = {sizeof(msg), msg};
					kgss_buffer tb = {tl, (void *)tk};
					st = kgss_verify_mic(cr, &m, &tb, nullptr);
				} else {
					kgss_buffer in = {tl, (void *)tk};
					kgss_buffer o = {outbuf.size(), outbuf.data()};
					int conf = -1;
					st = kgss_unwrap(cr, &in, &o, &conf, nullptr);
					if (!KGSS_ERROR(st))
						ok = o.length == sizeof(msg) &&
						     memcmp(o.value, msg, sizeof(msg)) == 0 &&
						     conf == (p.kinds[rf.index] == K_WRAP_SEALED ? 1 : 0);
				}
				(owner == t ? st_first : st_second)[r] = st;
				if (!ok)
					content_bad[r] = 1;
			}
			pos[t].store(UINT64_MAX, std::memory_order_release);
		});
	}
	for (auto &x : th)
		x.join();
	auto t2 = std::chrono::steady_clock::now();

	size_t clean = 0, dup = 0, other = 0, wrong_pair = 0, bad_content = 0;
	kgss_status first_other = 0;
	for (size_t r = 0; r < total; r++) {
		const kgss_status a = st_first[r], b = st_second[r];
		for (kgss_status s : {a, b}) {
			if (s == KGSS_S_COMPLETE)
				clean++;
			else if (s == KGSS_S_DUPLICATE_TOKEN)
				dup++;
			else if (other++ == 0)
				first_other = s;
		}
		const bool pair_ok = (a == KGSS_S_COMPLETE && b == KGSS_S_DUPLICATE_TOKEN) ||
				     (a == KGSS_S_DUPLICATE_TOKEN && b == KGSS_S_COMPLETE);
		wrong_pair += !pair_ok;
		bad_content += content_bad[r];
	}
	printf("\n  etype %d protocol %u: %zu tokens (%zu MIC, %zu integrity wrap, %zu sealed wrap) by %d threads "
	       "in %.2fs; seq 0x%llx..0x%llx all distinct and contiguous; %zu receptions in %.2fs: %zu COMPLETE, "
	       "%zu DUPLICATE_TOKEN, %zu other\n",
	       sc.etype, sc.protocol, total, n_kind[0], n_kind[1], n_kind[2], kThreads,
	       std::chrono::duration<double>(t1 - t0).count(), (unsigned long long)sc.seq0,
	       (unsigned long long)((sc.seq0 + total - 1) & mask), 2 * total,
	       std::chrono::duration<double>(t2 - t1).count(), clean, dup, other);
	if (other)
		fprintf(stderr, "first unexpected status 0x%x (%s)\n", first_other, kgss_status_string(first_other));
	CHECK_EQUAL(total, clean);
	CHECK_EQUAL(total, dup);
	CHECK_EQUAL(0, other);
	CHECK_EQUAL(0, wrong_pair);
	CHECK_EQUAL(0, bad_content);

	kgss_ctx_free(cs);
	kgss_ctx_free(cr);
	kgss_chacha_prng_wipe(&prng_state);
}

} // namespace

TEST_GROUP(concurrency){};

// RFC 4121, aes128-cts-hmac-sha1-96; the numbers cross 2^32 (a 64-bit
// counter truncated anywhere to 32 bits would show as duplicates).
TEST(concurrency, rfc4121_one_context_8_threads)
{
	kt::require_enctype(17);
	run_scenario(scenario{17, 1, 0xffffffffull - 1000}, iters_per_thread());
}

// RFC 4121 with the RFC 8009 profile (different MAC and key layout).
TEST(concurrency, rfc4121_aes256_sha384_8_threads)
{
	kt::require_enctype(20);
	run_scenario(scenario{20, 1, 7}, std::max<size_t>(iters_per_thread() / 10, 1000));
}

// RFC 1964, des3-cbc-sha1: a 32-bit sequence number, starting just below
// 2^32 so that the run wraps around to 0.
TEST(concurrency, rfc1964_des3_32bit_wraps_8_threads)
{
	kt::require_enctype(16);
	run_scenario(scenario{16, 0, 0xffffffffull - 5000}, iters_per_thread());
}
