// tools/bench/bench_evp.cc - kgss-bench's OpenSSL references over the same
// bytes as a wrap: the two-pass EVP limit (cipher pass, then MAC pass) and
// OpenSSL's stitched AES-CBC + HMAC EVP ciphers.
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "tools/bench/bench.h"

namespace kbench {

// ---- the two-pass OpenSSL limit ---------------------------------------------------------
namespace {

// Bytes each pass covers for a message of n bytes (what the token formats feed
// the cipher and the MAC, header and confounder included).
struct pass_len {
	size_t cipher; // bytes enciphered (a whole number of blocks for CBC)
	size_t mac;    // bytes MACed
};
pass_len wrap_lens(int e, size_t n)
{
	switch (e) {
	case 16: { // confounder | data | pad (1..8) under DES3-CBC; HMAC over hdr | that
		size_t l = (n + 8 + 8) / 8 * 8;
		return {l, l + 8};
	}
	case 23: // RC4 over confounder | data | pad; HMAC-MD5 (over MD5 of) salt | hdr | same
		return {n + 9, n + 9 + 12};
	case 19:
	case 20: { // confounder | data | header; MAC over IV | ciphertext
		size_t l = n + 32;
		return {(l + 15) / 16 * 16, l + 16};
	}
	default: { // confounder | data | header; MAC over the same plaintext
		size_t l = n + 32;
		return {(l + 15) / 16 * 16, l};
	}
	}
}
size_t mic_len(int e, size_t n) { return (e == 16 || e == 23) ? n + 8 : n + 16; }

struct evp_limit {
	EVP_CIPHER_CTX *enc = nullptr, *dec = nullptr;
	EVP_MAC_CTX *mac = nullptr;
	EVP_MAC *macalg = nullptr;
	EVP_CIPHER *cipher = nullptr;
	bool ok = false;
	evp_limit(const enc_info &ei)
	{
		uint8_t key[32], iv[16] = {0};
		RAND_bytes(key, sizeof(key));
		cipher = EVP_CIPHER_fetch(nullptr, ei.cipher, nullptr);
		macalg = EVP_MAC_fetch(nullptr, ei.mac, nullptr);
		if (!cipher || !macalg)
			return;
		enc = EVP_CIPHER_CTX_new();
		dec = EVP_CIPHER_CTX_new();
		if (!EVP_CipherInit_ex2(enc, cipher, key, iv, 1, nullptr) ||
		    !EVP_CipherInit_ex2(dec, cipher, key, iv, 0, nullptr))
			return;
		EVP_CIPHER_CTX_set_padding(enc, 0);
		EVP_CIPHER_CTX_set_padding(dec, 0);
		mac = EVP_MAC_CTX_new(macalg);
		OSSL_PARAM p[2];
		p[0] = OSSL_PARAM_construct_utf8_string(strcmp(ei.mac, "HMAC") == 0 ? OSSL_MAC_PARAM_DIGEST
										    : OSSL_MAC_PARAM_CIPHER,
							(char *)ei.mac_alg, 0);
		p[1] = OSSL_PARAM_construct_end();
		if (!mac || !EVP_MAC_init(mac, key, ei.mac_key_len, p))
			return;
		ok = true;
	}
	~evp_limit()
	{
		EVP_CIPHER_CTX_free(enc);
		EVP_CIPHER_CTX_free(dec);
		EVP_MAC_CTX_free(mac);
		EVP_MAC_free(macalg);
		EVP_CIPHER_free(cipher);
	}
	bool cipher_pass(bool decrypt, uint8_t *buf, size_t len)
	{
		int outl = 0;
		return EVP_CipherUpdate(decrypt ? dec : enc, buf, &outl, buf, (int)len) == 1;
	}
	bool mac_pass(const uint8_t *buf, size_t len)
	{
		uint8_t out[64];
		size_t ol = 0;
		// NULL key: re-initialise with the key already set (OpenSSL's cheapest reuse)
		return EVP_MAC_init(mac, nullptr, 0, nullptr) == 1 && EVP_MAC_update(mac, buf, len) == 1 &&
		       EVP_MAC_final(mac, out, &ol, sizeof(out)) == 1;
	}
};

} // namespace

void bench_limit(const options &o, int e, size_t n)
{
	const enc_info &ei = enc(e);
	evp_limit L(ei);
	if (!L.ok) {
		sample s;
		s.err = std::string("EVP setup failed for ") + ei.cipher + " / " + ei.mac;
		add("limit", e, "wrap", n, s);
		return;
	}
	pass_len pl = wrap_lens(e, n);
	bytes buf(std::max(pl.cipher, pl.mac) + 64, 0x5a);
	add("limit", e, "wrap", n, measure(o, "wrap", [&] {
		    // MAC-then-encrypt or encrypt-then-MAC: the same two passes
		    return L.cipher_pass(false, buf.data(), pl.cipher) && L.mac_pass(buf.data(), pl.mac);
	    }));
	add("limit", e, "unwrap", n, measure(o, "unwrap", [&] {
		    return L.cipher_pass(true, buf.data(), pl.cipher) && L.mac_pass(buf.data(), pl.mac);
	    }));
	size_t ml = mic_len(e, n);
	sample m = measure(o, (o.want("get_mic") || o.want("verify_mic")) ? nullptr : "get_mic",
			   [&] { return L.mac_pass(buf.data(), ml); });
	add("limit", e, "get_mic", n, m);
	add("limit", e, "verify_mic", n, m);
}

// ---- OpenSSL's stitched EVP ciphers -------------------------------------------------------------
// "AES-128-CBC-HMAC-SHA1" and friends (OpenSSL's AES-NI + SHA code for TLS
// 1.0-1.2 records), keyed with EVP_CTRL_AEAD_SET_MAC_KEY and used without a
// TLS AAD: each EVP_CipherUpdate CBC-encrypts and hashes the plaintext in one
// stitched pass (decryption: CBC-decrypt, then hash the plaintext; OpenSSL
// does not stitch that direction).  Measured over the bytes of the wrap's
// cipher pass; the HMAC is never finished (a fixed cost, small at 64 KiB).
// None for SHA-384 (enctype 20): OpenSSL has no such cipher.
namespace {

const char *ossl_stitched_name(int e)
{
	switch (e) {
	case 17:
		return "AES-128-CBC-HMAC-SHA1";
	case 18:
		return "AES-256-CBC-HMAC-SHA1";
	case 19:
		return "AES-128-CBC-HMAC-SHA256";
	default:
		return nullptr;
	}
}

struct evp_stitched {
	EVP_CIPHER *cipher = nullptr;
	EVP_CIPHER_CTX *enc = nullptr, *dec = nullptr;
	bool ok = false;
	explicit evp_stitched(const char *name)
	{
		uint8_t key[32], mk[32], iv[16] = {0};
		RAND_bytes(key, sizeof(key));
		RAND_bytes(mk, sizeof(mk));
		cipher = EVP_CIPHER_fetch(nullptr, name, nullptr);
		if (!cipher)
			return;
		enc = EVP_CIPHER_CTX_new();
		dec = EVP_CIPHER_CTX_new();
		if (!enc || !dec || !EVP_CipherInit_ex2(enc, cipher, key, iv, 1, nullptr) ||
		    !EVP_CipherInit_ex2(dec, cipher, key, iv, 0, nullptr))
			return;
		const int mkl = strstr(name, "SHA256") ? 32 : 20;
		if (EVP_CIPHER_CTX_ctrl(enc, EVP_CTRL_AEAD_SET_MAC_KEY, mkl, mk) <= 0 ||
		    EVP_CIPHER_CTX_ctrl(dec, EVP_CTRL_AEAD_SET_MAC_KEY, mkl, mk) <= 0)
			return;
		ok = true;
	}
	~evp_stitched()
	{
		EVP_CIPHER_CTX_free(enc);
		EVP_CIPHER_CTX_free(dec);
		EVP_CIPHER_free(cipher);
	}
	bool pass(bool decrypt, uint8_t *buf, size_t len)
	{
		int outl = 0;
		return EVP_CipherUpdate(decrypt ? dec : enc, buf, &outl, buf, (int)len) == 1;
	}
};

} // namespace

void bench_ossl_stitched(const options &o, int e, size_t n)
{
	const char *name = ossl_stitched_name(e);
	if (!name)
		return;
	evp_stitched S(name);
	if (!S.ok) {
		sample s;
		s.err = std::string("EVP setup failed for ") + name;
		add("ossl-stitched", e, "wrap", n, s);
		return;
	}
	pass_len pl = wrap_lens(e, n);
	bytes buf(pl.cipher + 64, 0x5a);
	add("ossl-stitched", e, "wrap", n, measure(o, "wrap", [&] { return S.pass(false, buf.data(), pl.cipher); }));
	add("ossl-stitched", e, "unwrap", n, measure(o, "unwrap", [&] { return S.pass(true, buf.data(), pl.cipher); }));
}

} // namespace kbench
