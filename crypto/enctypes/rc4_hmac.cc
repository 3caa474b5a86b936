// crypto/enctypes/rc4_hmac.cc - RFC 4757: arcfour-hmac (23) and
// arcfour-hmac-exp (24), the RFC 3961 encryption and checksum (-138).
//
// RFC 4757 §4 / §5, for key K and usage T (translated per RFC 4757 §3 /
// MIT's ms_usage: 3 -> 8, 23 -> 13, others unchanged):
//   K1 = HMAC-MD5(K, T_le32)                       (23)
//   K1 = HMAC-MD5(K, "fortybits\0" | T_le32)       (24: et->rc4_export)
//   K2 = K1; for 24, bytes 7..15 of K1 are then set to 0xAB
//   tag = HMAC-MD5(K2, conf(8) | data)             (16 bytes, over plaintext)
//   K3 = HMAC-MD5(K1, tag)
//   ciphertext = RC4(K3, conf | data); the caller places tag first.
// The tag keys (K2) lives in enc_key.ki as a precomputed HMAC-MD5 key; K1
// (masked for 24) and the backend's RC4 class live in enc_key.ke.ks with
// ke.cls == NULL (cipher_key_clear wipes ks whatever cls is).
// Checksum -138 (RFC 4757 §4): Ksign = HMAC-MD5(K, "signaturekey\0"),
//   cksum = HMAC-MD5(Ksign, MD5(T_le32 | data)); mac_key.usage holds T.
// The RFC 4757 primitives themselves (salt, exportable mask, Ksign, the MD5
// checksum core, RC4 from a 16-byte key) are defined first, outside the
// KGSS_WITH_RC4 guard: the RFC 1964 token algorithm (rfc1964_algs.cc) uses
// them too.
#include "crypto/enctypes/rc4_hmac.h"

#include "crypto/enctypes/profile.h"
#include "crypto/kdf.h"
#include "crypto/util.h"

namespace kgss {

// ---- the RFC 4757 primitives (rc4_hmac.h), built with or without RC4 ----------

kgss_status rc4_backend(const kgss_crypto_backend *be, const kgss_hash_class **md5,
			const kgss_stream_cipher_class **rc4)
{
	const kgss_hash_class *h = backend_hash(be, HASH_MD5);
	const kgss_stream_cipher_class *sc = backend_stream(be, CIPHER_RC4);
	if (!h || !sc || h->digest_size != 16 || sc->context_size > KGSS_STREAM_STATE_MAX || !sc->init || !sc->apply ||
	    !sc->clear)
		return KGSS_S_UNAVAILABLE;
	*md5 = h;
	*rc4 = sc;
	return KGSS_S_COMPLETE;
}

kgss_status rc4_salt(const kgss_hash_class *md5, const uint8_t *key, bool exp, uint32_t t, uint8_t out[16])
{
	static const uint8_t l40[10] = {'f', 'o', 'r', 't', 'y', 'b', 'i', 't', 's', 0};
	uint8_t tb[4];
	store_le32(tb, t);
	const span parts[2] = {{l40, sizeof(l40)}, {tb, sizeof(tb)}};
	return hmac_raw(md5, key, RC4_KEY_BYTES, exp ? parts : parts + 1, exp ? 2 : 1, out);
}

void rc4_exp_mask(uint8_t k[16]) { memset(k + 7, 0xab, 9); }

kgss_status rc4_ksign(const kgss_hash_class *md5, const uint8_t *key, uint8_t out[16])
{
	static const uint8_t sigkey[13] = {'s', 'i', 'g', 'n', 'a', 't', 'u', 'r', 'e', 'k', 'e', 'y', 0};
	const span part = {sigkey, sizeof(sigkey)};
	return hmac_raw(md5, key, RC4_KEY_BYTES, &part, 1, out);
}

kgss_status rc4_md5_cksum(const hmac_key *ksign, uint32_t t, const seglist &segs, uint8_t out[16])
{
	const kgss_hash_class *md5 = ksign->h;
	if (!md5 || md5->digest_size != 16)
		return KGSS_S_FAILURE;
	alignas(KGSS_STATE_ALIGN) uint8_t hs[KGSS_HASH_STATE_MAX]; // running MD5 of the message: wiped before return
	uint8_t d[16];                                             // MD5(T | message): wiped before return
	uint8_t tb[4];
	store_le32(tb, t);
	if (md5->init(hs) != 0) {
		md5->clear(hs);
		wipe(hs, sizeof(hs));
		return KGSS_S_FAILURE;
	}
	md5->update(hs, tb, sizeof(tb));
	seg s;
	for (size_t i = 0; i < segs.count(); i++)
		if (segs.at(i, &s) && s.len)
			md5->update(hs, s.p, s.len);
	kgss_status st = md5->final(hs, d) == 0 ? hmac(ksign, d, sizeof(d), out) : KGSS_S_FAILURE;
	wipe(hs, sizeof(hs));
	wipe(d, sizeof(d));
	return st;
}

kgss_status rc4_start(const kgss_stream_cipher_class *sc, const uint8_t *key, void *st)
{
	if (!sc || sc->context_size > KGSS_STREAM_STATE_MAX || !sc->init || !sc->clear)
		return KGSS_S_UNAVAILABLE;
	if (sc->init(st, key, RC4_KEY_BYTES) != 0) {
		sc->clear(st);
		return KGSS_S_FAILURE;
	}
	return KGSS_S_COMPLETE;
}

kgss_status rc4_crypt_segs(const kgss_stream_cipher_class *sc, const uint8_t *key, const seglist &segs)
{
	alignas(KGSS_STATE_ALIGN) uint8_t rs[KGSS_STREAM_STATE_MAX]; // secret: RC4 state, cleared and wiped
	kgss_status st = rc4_start(sc, key, rs);
	if (st == KGSS_S_COMPLETE) {
		seg_cipher c;
		st = seg_cipher_init_stream(&c, segs, sc, rs);
		if (st == KGSS_S_COMPLETE)
			st = seg_cipher_all(&c);
		sc->clear(rs);
	}
	wipe(rs, sizeof(rs));
	return st;
}

} // namespace kgss

#if KGSS_WITH_RC4

namespace kgss {

namespace {

// What RC4 keeps in enc_key.ke.ks (copied in and out with memcpy).
struct rc4_ke {
	const kgss_stream_cipher_class *sc; // the backend's RC4
	uint8_t k1[16];                     // secret: K1 (masked for 24), keys K3
};
static_assert(sizeof(rc4_ke) <= KGSS_CIPHER_STATE_MAX, "rc4_ke fits in a cipher_key");

// RFC 4757 §3 key usage translation (as MIT krb5 arcfour ms_usage).
uint32_t ms_usage(uint32_t usage)
{
	switch (usage) {
	case 3:
		return 8; // AS-REP encrypted part
	case 23:
		return 13; // GSS sign/wrap
	default:
		return usage;
	}
}

kgss_status derive_enc(const enctype *et, const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
		       enc_key *out)
{
	wipe(out, sizeof(*out));
	const kgss_hash_class *md5 = nullptr;
	rc4_ke x; // secret: K1, wiped before return
	kgss_status st = rc4_backend(be, &md5, &x.sc);
	if (st != KGSS_S_COMPLETE)
		return st;
	st = rc4_salt(md5, key, et->rc4_export, ms_usage(usage), x.k1);
	if (st == KGSS_S_COMPLETE)
		st = mac_key_init_hmac(&out->ki, md5, x.k1, 16, usage); // K2 = K1 before masking
	if (st == KGSS_S_COMPLETE) {
		if (et->rc4_export)
			rc4_exp_mask(x.k1);
		memcpy(out->ke.ks, &x, sizeof(x));
	} else {
		enc_key_clear(out);
	}
	wipe(&x, sizeof(x));
	return st;
}

// K3 = HMAC-MD5(K1, tag) (RFC 4757 §4) and the RC4 class, from k.
kgss_status k3_of(const enc_key *k, const uint8_t *tag, uint8_t k3[16], const kgss_stream_cipher_class **sc_out)
{
	rc4_ke x; // secret: K1, wiped before return
	memcpy(&x, k->ke.ks, sizeof(x));
	kgss_status r = KGSS_S_FAILURE;
	const span part = {tag, 16};
	const kgss_hash_class *md5 = k->ki.kind == MAC_HMAC ? k->ki.hmac.h : nullptr;
	if (x.sc && md5)
		r = hmac_raw(md5, x.k1, 16, &part, 1, k3);
	*sc_out = x.sc;
	wipe(&x, sizeof(x));
	return r;
}

// A live RC4 state in st keyed by K3 (decryption: the cipher runs in one
// sweep with the MAC).  Out of line so that K3 is never on decrypt's frame.
__attribute__((noinline)) kgss_status start_rc4(const enc_key *k, const uint8_t *tag, void *st,
						const kgss_stream_cipher_class **sc_out)
{
	uint8_t k3[16]; // secret: K3, wiped before return
	kgss_status r = k3_of(k, tag, k3, sc_out);
	if (r == KGSS_S_COMPLETE)
		r = rc4_start(*sc_out, k3, st);
	wipe(k3, sizeof(k3));
	return r;
}

kgss_status encrypt(const enctype *et, const enc_key *k, const seglist &segs, uint8_t *tag)
{
	if (segs.enc_len() < et->conf_len || mac_size(&k->ki) != et->cksum_len)
		return KGSS_S_FAILURE;
	// The tag keys the cipher, so this profile needs two passes on encrypt.
	kgss_status st = mac_checksum(et, &k->ki, segs, tag);
	if (st != KGSS_S_COMPLETE)
		return st;
	uint8_t k3[16]; // secret: K3, wiped before return
	const kgss_stream_cipher_class *sc = nullptr;
	st = k3_of(k, tag, k3, &sc);
	if (st == KGSS_S_COMPLETE)
		st = rc4_crypt_segs(sc, k3, segs);
	wipe(k3, sizeof(k3));
	if (st != KGSS_S_COMPLETE)
		wipe(tag, et->cksum_len);
	return st;
}

kgss_status decrypt(const enctype *et, const enc_key *k, const seglist &segs, const uint8_t *tag)
{
	if (segs.enc_len() < et->conf_len) {
		zero_enc_segs(segs);
		return KGSS_S_DEFECTIVE_TOKEN;
	}
	if (mac_size(&k->ki) != et->cksum_len) {
		zero_enc_segs(segs);
		return KGSS_S_FAILURE;
	}
	alignas(KGSS_STATE_ALIGN) uint8_t rs[KGSS_STREAM_STATE_MAX]; // secret: RC4 state, cleared before return
	const kgss_stream_cipher_class *sc = nullptr;
	kgss_status st = start_rc4(k, tag, rs, &sc);
	if (st == KGSS_S_COMPLETE) {
		mac_run m; // secret-dependent: consumed by mac_end / mac_abort
		st = mac_begin(&m, &k->ki);
		if (st == KGSS_S_COMPLETE) {
			seg_cipher c;
			st = seg_cipher_init_stream(&c, segs, sc, rs);
			if (st == KGSS_S_COMPLETE)
				st = sweep(&c, &m, SWEEP_CIPHER_FIRST); // decipher a chunk, MAC its plaintext
			if (st != KGSS_S_COMPLETE) {
				mac_abort(&m);
			} else {
				st = mac_end_verify(&m, tag, et->cksum_len);
			}
		}
		sc->clear(rs);
	}
	wipe(rs, sizeof(rs));
	if (st != KGSS_S_COMPLETE)
		zero_enc_segs(segs); // never release unverified plaintext
	return st;
}

kgss_status derive_cksum(const enctype *et, const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
			 mac_key *out)
{
	wipe(out, sizeof(*out));
	const kgss_hash_class *md5 = nullptr;
	const kgss_stream_cipher_class *rc4 = nullptr;
	kgss_status st = rc4_backend(be, &md5, &rc4);
	if (st != KGSS_S_COMPLETE)
		return st;
	uint8_t ksign[16]; // secret: wiped before return
	st = rc4_ksign(md5, key, ksign);
	if (st == KGSS_S_COMPLETE)
		st = mac_key_init_hmac(out, md5, ksign, 16, ms_usage(usage));
	wipe(ksign, sizeof(ksign));
	return st;
}

kgss_status make_checksum(const enctype *et, const mac_key *k, const seglist &segs, uint8_t *out)
{
	if (k->kind != MAC_HMAC)
		return KGSS_S_FAILURE;
	return rc4_md5_cksum(&k->hmac, k->usage, segs, out); // usage translated at derive_cksum
}

kgss_status verify_checksum(const enctype *et, const mac_key *k, const seglist &segs, const uint8_t *cksum)
{
	uint8_t want[16]; // secret: expected checksum, wiped before return
	kgss_status st = make_checksum(et, k, segs, want);
	if (st == KGSS_S_COMPLETE && !ct_equal(want, cksum, 16))
		st = KGSS_S_BAD_SIG;
	wipe(want, sizeof(want));
	return st;
}

} // namespace

const enctype_ops rc4_hmac_ops = {
	.family = FAMILY_RC4,
	.derive_enc = derive_enc, // 23, or 24 (et->rc4_export): RFC 4757 §4 "export"
	.derive_cksum = derive_cksum,
	.derive_raw = nullptr,
	.encrypt = encrypt,
	.decrypt = decrypt,
	.make_checksum = make_checksum,
	.verify_checksum = verify_checksum,
};

} // namespace kgss

#endif
