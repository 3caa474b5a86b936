// crypto/mac.h - MACs built once over any backend: HMAC (RFC 2104) over a
// hash class, CMAC (RFC 4493) over a block-cipher class, and mac_key, the
// "Ki/Kc" an enctype uses, dispatching to one of them.
#ifndef KGSS_CRYPTO_MAC_H
#define KGSS_CRYPTO_MAC_H

#include "crypto/keys.h"
#include "crypto/seglist.h"

namespace kgss {

// ---- cipher keys ----------------------------------------------------------
kgss_status cipher_key_init(cipher_key *k, const kgss_block_cipher_class *cls, const uint8_t *key, size_t len);
void cipher_key_clear(cipher_key *k);

// ---- HMAC -----------------------------------------------------------------
kgss_status hmac_key_init(hmac_key *k, const kgss_hash_class *h, const uint8_t *key, size_t len);
void hmac_key_clear(hmac_key *k);

// One running HMAC computation (on the caller's stack).
struct hmac_run {
	const hmac_key *k;
	uint64_t fed; // bytes absorbed since hmac_begin (the pads are whole blocks before them)
	alignas(KGSS_STATE_ALIGN) uint8_t st[KGSS_HASH_STATE_MAX]; // secret-dependent: cleared by end/abort
};
kgss_status hmac_begin(hmac_run *r, const hmac_key *k);
void hmac_update(hmac_run *r, const void *data, size_t len);
// Writes the full digest (k->h->digest_size bytes).
kgss_status hmac_end(hmac_run *r, uint8_t *out);
void hmac_abort(hmac_run *r);
// One-shot.
kgss_status hmac(const hmac_key *k, const void *data, size_t len, uint8_t *out);

// ---- CMAC -----------------------------------------------------------------
kgss_status cmac_key_init(cmac_key *k, const kgss_block_cipher_class *cls, const uint8_t *key, size_t len);
void cmac_key_clear(cmac_key *k);
struct cmac_run {
	const cmac_key *k;
	uint8_t x[16];   // chaining value
	uint8_t buf[16]; // pending bytes (the last block is held back)
	size_t nbuf;
	kgss_status err;
};
kgss_status cmac_begin(cmac_run *r, const cmac_key *k);
void cmac_update(cmac_run *r, const void *data, size_t len);
kgss_status cmac_end(cmac_run *r, uint8_t out[16]);
void cmac_abort(cmac_run *r);

// ---- mac_key: HMAC or CMAC behind one interface -----------------------------
struct mac_run {
	mac_kind kind;
	union {
		hmac_run h;
		cmac_run c;
	};
};
void mac_key_clear(mac_key *k);
size_t mac_size(const mac_key *k); // full (untruncated) output length
kgss_status mac_begin(mac_run *r, const mac_key *k);
void mac_update(mac_run *r, const void *data, size_t len);
// Feeds every segment of the list (encrypted and sign-only alike), in order.
void mac_update_segs(mac_run *r, const seglist &segs);
kgss_status mac_end(mac_run *r, uint8_t *out); // writes mac_size() bytes
void mac_abort(mac_run *r);

// The whole MAC over every segment of the list in one backend call
// (kgss_hash_class.hmac_parts), when k is an HMAC key whose class has one and
// the list has at most kMacOneshotParts non-empty segments.  Returns false
// when that does not apply or the class declined (nothing written): the
// caller then runs mac_begin / mac_update_segs / mac_end.  Otherwise *st is
// the result and out holds the mac_size(k)-byte MAC (wiped on failure).
constexpr size_t kMacOneshotParts = 8;
bool mac_oneshot(const mac_key *k, const seglist &segs, uint8_t *out, kgss_status *st);

} // namespace kgss

#endif
