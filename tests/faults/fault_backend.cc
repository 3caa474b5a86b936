// tests/faults/fault_backend.cc - the failing backend of fault_backend.h.
#include "fault_backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <algorithm>
#include <vector>

namespace kf {

fault_plan &plan()
{
	static fault_plan p;
	return p;
}

namespace {

// True when this counted call is the one to fail.  KGSS_FAULT_TRACE=1 in
// the environment prints every counted call (to find what call N is).
bool tick(const char *fn)
{
	static const bool trace = getenv("KGSS_FAULT_TRACE") != nullptr;
	fault_plan &p = plan();
	p.calls++;
	const bool fail = (p.fail_at != 0 && p.calls == p.fail_at) || (p.fail_also != 0 && p.calls == p.fail_also);
	if (trace)
		fprintf(stderr, "fault-trace: call %ld %s%s\n", p.calls, fn, fail ? " FAILS" : "");
	if (fail) {
		p.failures++;
		return true;
	}
	return false;
}

const kgss_crypto_backend *inner() { return kgss_crypto_builtin_portable(); }

// ---- block ciphers, by position in the backend ------------------------------
enum { C_AES128, C_AES256, C_CAM128, C_CAM256, C_DES3, C_N };

const kgss_block_cipher_class *inner_cipher(int i)
{
	const kgss_crypto_backend *b = inner();
	switch (i) {
	case C_AES128:
		return b->aes128;
	case C_AES256:
		return b->aes256;
	case C_CAM128:
		return b->camellia128;
	case C_CAM256:
		return b->camellia256;
	default:
		return b->des3;
	}
}

template <int I>
int c_init(void *ks, const uint8_t *k, size_t n)
{
	if (tick("cipher init")) {
		memset(ks, 0, inner_cipher(I)->context_size);
		return -1;
	}
	return inner_cipher(I)->init(ks, k, n);
}
template <int I>
void c_clear(void *ks)
{
	inner_cipher(I)->clear(ks);
}
template <int I>
int c_ecb_enc(const void *ks, uint8_t *d, size_t n)
{
	return tick("ecb_encrypt") ? -1 : inner_cipher(I)->ecb_encrypt(ks, d, n);
}
template <int I>
int c_ecb_dec(const void *ks, uint8_t *d, size_t n)
{
	return tick("ecb_decrypt") ? -1 : inner_cipher(I)->ecb_decrypt(ks, d, n);
}
template <int I>
int c_cbc_enc(const void *ks, uint8_t *iv, uint8_t *d, size_t n)
{
	return tick("cbc_encrypt") ? -1 : inner_cipher(I)->cbc_encrypt(ks, iv, d, n);
}
template <int I>
int c_cbc_dec(const void *ks, uint8_t *iv, uint8_t *d, size_t n)
{
	return tick("cbc_decrypt") ? -1 : inner_cipher(I)->cbc_decrypt(ks, iv, d, n);
}
template <int I>
int c_cbc_mac(const void *ks, uint8_t *iv, const uint8_t *d, size_t n)
{
	return tick("cbc_mac") ? -1 : inner_cipher(I)->cbc_mac(ks, iv, d, n);
}

template <int I>
const kgss_block_cipher_class *wrap_cipher()
{
	static kgss_block_cipher_class c;
	const kgss_block_cipher_class *in = inner_cipher(I);
	if (in == nullptr)
		return nullptr;
	c = *in;
	c.init = c_init<I>;
	c.clear = c_clear<I>;
	c.ecb_encrypt = c_ecb_enc<I>;
	c.ecb_decrypt = c_ecb_dec<I>;
	c.cbc_encrypt = c_cbc_enc<I>;
	c.cbc_decrypt = c_cbc_dec<I>;
	c.cbc_mac = c_cbc_mac<I>;
	return &c;
}

// ---- the stream cipher --------------------------------------------------------
int s_init(void *st, const uint8_t *k, size_t n)
{
	if (tick("stream init")) {
		memset(st, 0, inner()->rc4->context_size);
		return -1;
	}
	return inner()->rc4->init(st, k, n);
}
int s_apply(void *st, uint8_t *d, size_t n) { return tick("stream apply") ? -1 : inner()->rc4->apply(st, d, n); }
void s_clear(void *st) { inner()->rc4->clear(st); }

const kgss_stream_cipher_class *wrap_stream()
{
	static kgss_stream_cipher_class s;
	if (inner()->rc4 == nullptr)
		return nullptr;
	s = *inner()->rc4;
	s.init = s_init;
	s.apply = s_apply;
	s.clear = s_clear;
	return &s;
}

// ---- hashes ---------------------------------------------------------------------
enum { H_MD5, H_SHA1, H_SHA256, H_SHA384, H_N };

const kgss_hash_class *inner_hash(int i)
{
	const kgss_crypto_backend *b = inner();
	switch (i) {
	case H_MD5:
		return b->md5;
	case H_SHA1:
		return b->sha1;
	case H_SHA256:
		return b->sha256;
	default:
		return b->sha384;
	}
}

// States whose update() failed: final() and copy() report it.
std::vector<const void *> &latched()
{
	static std::vector<const void *> v;
	return v;
}
bool is_latched(const void *st) { return std::find(latched().begin(), latched().end(), st) != latched().end(); }
void unlatch(const void *st) { latched().erase(std::remove(latched().begin(), latched().end(), st), latched().end()); }

template <int I>
int h_init(void *st)
{
	unlatch(st);
	if (tick("hash init")) {
		memset(st, 0, inner_hash(I)->context_size);
		return -1;
	}
	return inner_hash(I)->init(st);
}
template <int I>
void h_update(void *st, const void *d, size_t n)
{
	if (tick("hash update")) {
		latched().push_back(st);
		return;
	}
	inner_hash(I)->update(st, d, n);
}
template <int I>
int h_final(void *st, uint8_t *out)
{
	const bool failed = tick("hash final") || is_latched(st);
	unlatch(st);
	if (failed) {
		inner_hash(I)->clear(st);
		memset(out, 0, inner_hash(I)->digest_size);
		return -1;
	}
	return inner_hash(I)->final(st, out);
}
template <int I>
int h_copy(void *dst, const void *src)
{
	unlatch(dst);
	if (tick("hash copy") || is_latched(src)) {
		memset(dst, 0, inner_hash(I)->context_size);
		return -1;
	}
	return inner_hash(I)->copy(dst, src);
}
template <int I>
void h_clear(void *st)
{
	unlatch(st);
	inner_hash(I)->clear(st);
}

// The fused HMAC finish counts as one call; a latched inner or outer state
// fails it as final() would.  On failure mac is left dirty (the library must
// wipe it: kgss_crypto.h) and the inner state dead.
template <int I>
int h_hmac_finish(void *inner, const void *outer, uint8_t *mac)
{
	const bool failed = tick("hash hmac_finish") || is_latched(inner) || is_latched(outer);
	unlatch(inner);
	if (failed) {
		inner_hash(I)->clear(inner);
		memset(mac, 0xa5, inner_hash(I)->digest_size);
		return -1;
	}
	return inner_hash(I)->hmac_finish(inner, outer, mac);
}

// The one-call HMAC counts as one call; a latched inner or outer state fails
// it.  On failure mac is left dirty (the library must wipe it: kgss_crypto.h).
template <int I>
int h_hmac_parts(const void *inner, const void *outer, const kgss_hash_part *parts, size_t n, uint8_t *mac)
{
	if (tick("hash hmac_parts") || is_latched(inner) || is_latched(outer)) {
		memset(mac, 0xa5, inner_hash(I)->digest_size);
		return -1;
	}
	return inner_hash(I)->hmac_parts(inner, outer, parts, n, mac);
}

template <int I>
const kgss_hash_class *wrap_hash()
{
	static kgss_hash_class h;
	const kgss_hash_class *in = inner_hash(I);
	if (in == nullptr)
		return nullptr;
	h = *in;
	h.init = h_init<I>;
	h.update = h_update<I>;
	h.final = h_final<I>;
	h.copy = h_copy<I>;
	h.clear = h_clear<I>;
	if (in->hmac_finish != nullptr)
		h.hmac_finish = h_hmac_finish<I>;
	if (in->hmac_parts != nullptr)
		h.hmac_parts = h_hmac_parts<I>;
	return &h;
}

} // namespace

const kgss_crypto_backend *fault_backend()
{
	static kgss_crypto_backend b;
	b = *inner();
	b.name = "faults";
	b.aes128 = wrap_cipher<C_AES128>();
	b.aes256 = wrap_cipher<C_AES256>();
	b.camellia128 = wrap_cipher<C_CAM128>();
	b.camellia256 = wrap_cipher<C_CAM256>();
	b.des3 = wrap_cipher<C_DES3>();
	b.rc4 = wrap_stream();
	b.md5 = wrap_hash<H_MD5>();
	b.sha1 = wrap_hash<H_SHA1>();
	b.sha256 = wrap_hash<H_SHA256>();
	b.sha384 = wrap_hash<H_SHA384>();
	return &b;
}

const kgss_crypto_backend *fault_backend_stepwise()
{
	static kgss_crypto_backend b;
	static kgss_hash_class md5, sha1, sha256, sha384;
	b = *fault_backend();
	b.name = "faults-stepwise";
	kgss_hash_class *copies[] = {&md5, &sha1, &sha256, &sha384};
	const kgss_hash_class **slots[] = {&b.md5, &b.sha1, &b.sha256, &b.sha384};
	for (size_t i = 0; i < 4; i++) {
		if (*slots[i] == nullptr)
			continue;
		*copies[i] = **slots[i];
		copies[i]->hmac_finish = nullptr;
		copies[i]->hmac_parts = nullptr;
		*slots[i] = copies[i];
	}
	return &b;
}

} // namespace kf
