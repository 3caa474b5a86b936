// crypto/enctypes/profile.cc - the RFC 3961 key derivation and
// encrypt/decrypt/checksum skeletons the families share: Ke / Ki / Kc from a
// family's KDF (RFC 3961 §5.3, RFC 8009 §5, RFC 6803 §3), MAC-then-encrypt
// (RFC 3961 simplified profile, RFC 6803), encrypt-then-MAC (RFC 8009),
// keyed checksums.  Each reads its lengths from the enctype row: conf_len,
// and cksum_len as the truncated tag length.
#include "crypto/enctypes/profile.h"

#include "crypto/util.h"

namespace kgss {

static constexpr size_t kMaxMac = 64; // largest full MAC output (SHA-384: 48)

kgss_status mac_end_truncated(mac_run *m, uint8_t *out, size_t len)
{
	uint8_t full[kMaxMac]; // secret until truncated: wiped before return
	kgss_status st = mac_end(m, full);
	if (st == KGSS_S_COMPLETE)
		memcpy(out, full, len);
	wipe(full, sizeof(full));
	return st;
}

kgss_status mac_end_verify(mac_run *m, const uint8_t *tag, size_t len)
{
	uint8_t full[kMaxMac]; // secret: expected tag, wiped before return
	kgss_status st = mac_end(m, full);
	if (st == KGSS_S_COMPLETE && !ct_equal(full, tag, len))
		st = KGSS_S_BAD_SIG;
	wipe(full, sizeof(full));
	return st;
}

// The end of both mac_key inits: k, wiped and keyed by `st`'s init, gets
// its kind and key usage.
static kgss_status mac_key_keyed(mac_key *k, kgss_status st, mac_kind kind, uint32_t usage)
{
	if (st != KGSS_S_COMPLETE)
		return st;
	k->kind = kind;
	k->usage = usage;
	return KGSS_S_COMPLETE;
}

kgss_status mac_key_init_hmac(mac_key *k, const kgss_hash_class *h, const uint8_t *key, size_t len, uint32_t usage)
{
	wipe(k, sizeof(*k));
	return mac_key_keyed(k, hmac_key_init(&k->hmac, h, key, len), MAC_HMAC, usage);
}

kgss_status mac_key_init_cmac(mac_key *k, const kgss_block_cipher_class *c, const uint8_t *key, size_t len,
			      uint32_t usage)
{
	wipe(k, sizeof(*k));
	return mac_key_keyed(k, cmac_key_init(&k->cmac, c, key, len), MAC_CMAC, usage);
}

const kgss_cbc_hash_class *backend_stitch(const kgss_crypto_backend *be, const kgss_block_cipher_class *c,
					  const kgss_hash_class *h)
{
	if (!be || !c || !h)
		return nullptr;
	const kgss_cbc_hash_class *const engines[] = {be->cbc_sha1, be->cbc_sha256, be->cbc_sha384};
	for (const kgss_cbc_hash_class *e : engines)
		if (e && e->hash == h && (e->cipher_a == c || e->cipher_b == c) && e->encrypt && e->decrypt)
			return e;
	return nullptr;
}

void derive_constant(uint8_t out[DERIVE_CONSTANT_LEN], uint32_t usage, derive_kind kind)
{
	store_be32(out, usage);
	out[4] = (uint8_t)kind;
}

// ---- key derivation ---------------------------------------------------------------

static_assert(ENCTYPE_CKSUM_MAX <= ENCTYPE_KEY_MAX, "derived keys are sized by ENCTYPE_KEY_MAX");

size_t derived_key_len(const enctype *et, derive_kind kind)
{
	return kind != DERIVE_KE && et->ops->kdf->mac_keys_cksum_len ? et->cksum_len : et->key_bytes;
}

// The backend classes of et into b: KGSS_S_UNAVAILABLE when one that the
// keys need is missing.
static kgss_status kdf_classes(const enctype *et, const kgss_crypto_backend *be, kdf_base *b)
{
	b->cls = backend_cipher(be, et->cipher);
	b->h = backend_hash(be, et->hash);
	if (!b->cls || (et->ops->kdf->mac == MAC_HMAC && !b->h))
		return KGSS_S_UNAVAILABLE;
	return KGSS_S_COMPLETE;
}

// The keys of kinds[0..n) for usage into out[i] (derived_key_len bytes
// each).  b->sched is cleared before return.
static kgss_status kdf_run(const enctype *et, kdf_base *b, uint32_t usage, const derive_kind *kinds,
			   uint8_t *const *out, size_t n)
{
	const kdf_ops *kd = et->ops->kdf;
	kgss_status st = kd->open(et, b);
	for (size_t i = 0; i < n && st == KGSS_S_COMPLETE; i++) {
		uint8_t constant[DERIVE_CONSTANT_LEN];
		derive_constant(constant, usage, kinds[i]);
		st = kd->derive(et, b, constant, out[i], derived_key_len(et, kinds[i]));
	}
	cmac_key_clear(b->sched);
	return st;
}

// Ki or Kc: the family's MAC keyed with the derived key.
static kgss_status kdf_mac_key(const enctype *et, const kdf_base *b, derive_kind kind, const uint8_t *key,
			       uint32_t usage, mac_key *out)
{
	const size_t len = derived_key_len(et, kind);
	if (et->ops->kdf->mac == MAC_CMAC)
		return mac_key_init_cmac(out, b->cls, key, len, usage);
	return mac_key_init_hmac(out, b->h, key, len, usage);
}

kgss_status kdf_derive_enc(const enctype *et, const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
			   enc_key *out)
{
	wipe(out, sizeof(*out));
	kdf_base b = {key, nullptr, nullptr, &out->ki.cmac}; // the base schedule lives in out->ki meanwhile
	if (kdf_classes(et, be, &b) != KGSS_S_COMPLETE)
		return KGSS_S_UNAVAILABLE;
	uint8_t ke[ENCTYPE_KEY_MAX]; // secret: wiped before return
	uint8_t ki[ENCTYPE_KEY_MAX]; // secret: wiped before return
	const derive_kind kinds[2] = {DERIVE_KE, DERIVE_KI};
	uint8_t *const keys[2] = {ke, ki};
	kgss_status st = kdf_run(et, &b, usage, kinds, keys, 2);
	if (st == KGSS_S_COMPLETE)
		st = cipher_key_init(&out->ke, b.cls, ke, et->key_bytes);
	if (st == KGSS_S_COMPLETE)
		st = kdf_mac_key(et, &b, DERIVE_KI, ki, usage, &out->ki);
	if (st == KGSS_S_COMPLETE && et->ops->kdf->stitch)
		out->ke.stitch = backend_stitch(be, b.cls, b.h); // CBC-CTS + HMAC in one sweep
	if (st != KGSS_S_COMPLETE)
		enc_key_clear(out);
	wipe(ke, sizeof(ke));
	wipe(ki, sizeof(ki));
	return st;
}

kgss_status kdf_derive_cksum(const enctype *et, const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
			     mac_key *out)
{
	wipe(out, sizeof(*out));
	kdf_base b = {key, nullptr, nullptr, &out->cmac}; // the base schedule lives in out meanwhile
	if (kdf_classes(et, be, &b) != KGSS_S_COMPLETE)
		return KGSS_S_UNAVAILABLE;
	uint8_t kc[ENCTYPE_KEY_MAX]; // secret: wiped before return
	const derive_kind kind = DERIVE_KC;
	uint8_t *const keys[1] = {kc};
	kgss_status st = kdf_run(et, &b, usage, &kind, keys, 1);
	if (st == KGSS_S_COMPLETE)
		st = kdf_mac_key(et, &b, DERIVE_KC, kc, usage, out);
	if (st != KGSS_S_COMPLETE)
		mac_key_clear(out);
	wipe(kc, sizeof(kc));
	return st;
}

kgss_status kdf_derive_raw(const enctype *et, const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
			   derive_kind kind, uint8_t *out, size_t *out_len)
{
	cmac_key sched; // secret: cleared by kdf_run
	wipe(&sched, sizeof(sched));
	kdf_base b = {key, backend_cipher(be, et->cipher), backend_hash(be, et->hash), &sched};
	uint8_t *const keys[1] = {out};
	kgss_status st = kdf_run(et, &b, usage, &kind, keys, 1);
	*out_len = st == KGSS_S_COMPLETE ? derived_key_len(et, kind) : 0;
	return st;
}

// One sweep of c under a MAC begun with ki, after `prefix` (RFC 8009's
// IV, or nothing): on success *m holds the MAC of all it saw, for mac_end;
// on failure it is released.
static kgss_status mac_sweep(mac_run *m, const mac_key *ki, seg_cipher *c, sweep_order order,
			     const uint8_t *prefix = nullptr, size_t prefix_len = 0)
{
	kgss_status st = mac_begin(m, ki);
	if (st != KGSS_S_COMPLETE)
		return st;
	if (prefix_len)
		mac_update(m, prefix, prefix_len);
	st = sweep(c, m, order);
	if (st != KGSS_S_COMPLETE)
		mac_abort(m);
	return st;
}

kgss_status mte_encrypt(const enctype *et, const enc_key *k, const seglist &segs, uint8_t *tag, seg_cipher_mode mode)
{
	const size_t conf_len = et->conf_len, tag_len = et->cksum_len;
	if (segs.enc_len() < conf_len || tag_len > mac_size(&k->ki))
		return KGSS_S_FAILURE;
	seg_cipher c;
	kgss_status st = seg_cipher_init_block(&c, segs, mode, &k->ke, false);
	if (st != KGSS_S_COMPLETE) // a length the mode cannot take is the caller's error here
		return KGSS_S_FAILURE;
	mac_run m;                                       // secret-dependent: consumed by mac_end
	st = mac_sweep(&m, &k->ki, &c, SWEEP_MAC_FIRST); // MAC a chunk of plaintext, then encipher it
	return st == KGSS_S_COMPLETE ? mac_end_truncated(&m, tag, tag_len) : st;
}

// A decrypt that fails in any way, the tag's compare or the backend, leaves
// nothing it deciphered behind: never release unverified plaintext.
static kgss_status zero_on_failure(kgss_status st, const seglist &segs)
{
	if (st != KGSS_S_COMPLETE)
		zero_enc_segs(segs);
	return st;
}

static kgss_status mte_decrypt_segs(const enctype *et, const enc_key *k, const seglist &segs, const uint8_t *tag,
				    seg_cipher_mode mode)
{
	const size_t conf_len = et->conf_len, tag_len = et->cksum_len;
	if (tag_len > mac_size(&k->ki))
		return KGSS_S_FAILURE;
	if (segs.enc_len() < conf_len)
		return KGSS_S_DEFECTIVE_TOKEN;
	seg_cipher c;
	kgss_status st = seg_cipher_init_block(&c, segs, mode, &k->ke, true);
	if (st != KGSS_S_COMPLETE)
		return st;
	mac_run m;                                          // secret-dependent: consumed by mac_end
	st = mac_sweep(&m, &k->ki, &c, SWEEP_CIPHER_FIRST); // decipher a chunk, then MAC its plaintext
	return st == KGSS_S_COMPLETE ? mac_end_verify(&m, tag, tag_len) : st;
}

kgss_status mte_decrypt(const enctype *et, const enc_key *k, const seglist &segs, const uint8_t *tag,
			seg_cipher_mode mode)
{
	return zero_on_failure(mte_decrypt_segs(et, k, segs, tag, mode), segs);
}

kgss_status mte_cts_encrypt(const enctype *et, const enc_key *k, const seglist &segs, uint8_t *tag)
{
	return mte_encrypt(et, k, segs, tag, SEGC_CTS);
}

kgss_status mte_cts_decrypt(const enctype *et, const enc_key *k, const seglist &segs, const uint8_t *tag)
{
	return mte_decrypt(et, k, segs, tag, SEGC_CTS);
}

static const uint8_t kZeroIv[16] = {0};

kgss_status etm_encrypt(const enctype *et, const enc_key *k, const seglist &segs, uint8_t *tag)
{
	const size_t conf_len = et->conf_len, tag_len = et->cksum_len;
	if (segs.enc_len() < conf_len || tag_len > mac_size(&k->ki))
		return KGSS_S_FAILURE;
	seg_cipher c;
	kgss_status st = seg_cipher_init_block(&c, segs, SEGC_CTS, &k->ke, false);
	if (st != KGSS_S_COMPLETE)
		return KGSS_S_FAILURE;
	// Encipher a chunk, then MAC its ciphertext; RFC 8009 §5: H covers IV | C.
	mac_run m; // secret-dependent: consumed by mac_end
	st = mac_sweep(&m, &k->ki, &c, SWEEP_CIPHER_FIRST, kZeroIv, sizeof(kZeroIv));
	return st == KGSS_S_COMPLETE ? mac_end_truncated(&m, tag, tag_len) : st;
}

static kgss_status etm_decrypt_segs(const enctype *et, const enc_key *k, const seglist &segs, const uint8_t *tag)
{
	const size_t conf_len = et->conf_len, tag_len = et->cksum_len;
	if (tag_len > mac_size(&k->ki))
		return KGSS_S_FAILURE;
	if (segs.enc_len() < conf_len || segs.enc_len() < 16)
		return KGSS_S_DEFECTIVE_TOKEN;
	seg_cipher c;
	mac_run m; // secret-dependent: consumed by mac_end / mac_abort
	kgss_status st;
	if (k->ke.stitch) {
		// One sweep: MAC a stretch of ciphertext, then decipher it (the
		// stitched engine does both at once).  The plaintext is released
		// only after the compare; a mismatch zeroes it (etm_decrypt).
		st = seg_cipher_init_block(&c, segs, SEGC_CTS, &k->ke, true);
		if (st == KGSS_S_COMPLETE)
			st = mac_sweep(&m, &k->ki, &c, SWEEP_MAC_FIRST, kZeroIv, sizeof(kZeroIv));
		return st == KGSS_S_COMPLETE ? mac_end_verify(&m, tag, tag_len) : st;
	}
	// Verify first (RFC 8009 §5): nothing is deciphered unless H matches.
	st = mac_begin(&m, &k->ki);
	if (st != KGSS_S_COMPLETE)
		return st;
	mac_update(&m, kZeroIv, sizeof(kZeroIv)); // RFC 8009 §5: H covers IV | C
	mac_update_segs(&m, segs);
	st = mac_end_verify(&m, tag, tag_len);
	if (st == KGSS_S_COMPLETE)
		st = seg_cipher_init_block(&c, segs, SEGC_CTS, &k->ke, true);
	if (st == KGSS_S_COMPLETE)
		st = seg_cipher_all(&c);
	return st;
}

kgss_status etm_decrypt(const enctype *et, const enc_key *k, const seglist &segs, const uint8_t *tag)
{
	return zero_on_failure(etm_decrypt_segs(et, k, segs, tag), segs);
}

// The whole (untruncated) MAC over every segment into full (kMaxMac bytes):
// in one backend call when the class can (mac_oneshot), else begin, update,
// end.  len, the truncated length wanted, must not exceed the full MAC.
static kgss_status mac_full(const mac_key *k, const seglist &segs, size_t len, uint8_t *full)
{
	if (len > mac_size(k))
		return KGSS_S_FAILURE;
	kgss_status st;
	if (mac_oneshot(k, segs, full, &st))
		return st;
	mac_run m; // secret-dependent: consumed by mac_end
	st = mac_begin(&m, k);
	if (st != KGSS_S_COMPLETE)
		return st;
	mac_update_segs(&m, segs);
	return mac_end(&m, full);
}

kgss_status mac_checksum(const enctype *et, const mac_key *k, const seglist &segs, uint8_t *out)
{
	const size_t len = et->cksum_len;
	uint8_t full[kMaxMac]; // secret until truncated: wiped before return
	kgss_status st = mac_full(k, segs, len, full);
	if (st == KGSS_S_COMPLETE)
		memcpy(out, full, len);
	wipe(full, sizeof(full));
	return st;
}

kgss_status mac_verify(const enctype *et, const mac_key *k, const seglist &segs, const uint8_t *cksum)
{
	const size_t len = et->cksum_len;
	uint8_t full[kMaxMac]; // secret: the expected checksum, wiped before return
	kgss_status st = mac_full(k, segs, len, full);
	// Compared in constant time straight from the full MAC: no truncated
	// copy to write and wipe.
	if (st == KGSS_S_COMPLETE && !ct_equal(full, cksum, len))
		st = KGSS_S_BAD_SIG;
	wipe(full, sizeof(full));
	return st;
}

} // namespace kgss
