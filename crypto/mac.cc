// crypto/mac.cc - cipher keys, HMAC (RFC 2104), CMAC (RFC 4493) and the
// mac_key dispatch, written once over the backend classes of kgss_crypto.h.
//
// Secrets handled here: key bytes, key pads, precomputed hash states, CMAC
// subkeys, intermediate digests.  Every one of them is wiped before the
// function that owns it returns (or, for key objects, by the *_clear call).
#include "crypto/mac.h"

#include "crypto/util.h"

namespace kgss {

// ---- cipher keys ----------------------------------------------------------

kgss_status cipher_key_init(cipher_key *k, const kgss_block_cipher_class *cls, const uint8_t *key, size_t len)
{
	wipe(k, sizeof(*k));
	if (!cls || !cls->init || !cls->clear || cls->context_size > KGSS_CIPHER_STATE_MAX ||
	    (cls->block_size != 8 && cls->block_size != 16))
		return KGSS_S_UNAVAILABLE;
	if (len != cls->key_size)
		return KGSS_S_FAILURE;
	if (cls->init(k->ks, key, len) != 0) {
		cls->clear(k->ks); // safe on a failed init (kgss_crypto.h contract)
		wipe(k, sizeof(*k));
		return KGSS_S_FAILURE;
	}
	k->cls = cls;
	return KGSS_S_COMPLETE;
}

void cipher_key_clear(cipher_key *k)
{
	if (k->cls)
		k->cls->clear(k->ks);
	// Wipe all of ks even when cls is NULL: the RC4 profile keeps raw key
	// bytes there (crypto/enctypes/rc4_hmac.cc).
	wipe(k, sizeof(*k));
}

// ---- HMAC (RFC 2104) -------------------------------------------------------
// H(K ^ opad | H(K ^ ipad | text)).  The states after absorbing the two pads
// are computed once here; a message then costs two copy() calls, or one with
// the backend's fused hmac_finish.

static constexpr size_t kMaxHashBlock = 128; // SHA-384
static constexpr size_t kMaxDigest = 64;

static bool hash_usable(const kgss_hash_class *h)
{
	return h && h->init && h->update && h->final && h->copy && h->clear && h->context_size <= KGSS_HASH_STATE_MAX &&
	       h->block_size <= kMaxHashBlock && h->digest_size <= kMaxDigest && h->digest_size <= h->block_size &&
	       h->digest_size > 0;
}

// A failed update() is latched in the state (kgss_crypto.h) and would only
// surface at the final() of every later message.  Finishing a copy of a
// precomputed state proves it healthy now, so an import reports the failure
// instead of building a context that cannot work.
static bool state_ok(const kgss_hash_class *h, const void *st)
{
	alignas(KGSS_STATE_ALIGN) uint8_t tmp[KGSS_HASH_STATE_MAX]; // secret: wiped
	uint8_t out[kMaxDigest];                                    // secret: wiped
	bool ok = h->copy(tmp, st) == 0;
	if (ok)
		ok = h->final(tmp, out) == 0;
	else
		h->clear(tmp);
	wipe(tmp, sizeof(tmp));
	wipe(out, sizeof(out));
	return ok;
}

kgss_status hmac_key_init(hmac_key *k, const kgss_hash_class *h, const uint8_t *key, size_t len)
{
	wipe(k, sizeof(*k));
	if (!hash_usable(h))
		return KGSS_S_UNAVAILABLE;
	uint8_t pad[kMaxHashBlock]; // secret: wiped before return
	uint8_t kh[kMaxDigest];     // secret: wiped before return
	const size_t bs = h->block_size;
	kgss_status st = KGSS_S_FAILURE;
	bool inner_live = false;

	if (len > bs) { // RFC 2104 §2: keys longer than B are hashed first
		if (h->init(k->inner) != 0) {
			h->clear(k->inner);
			goto out;
		}
		h->update(k->inner, key, len);
		if (h->final(k->inner, kh) != 0) // final kills the state either way
			goto out;
		key = kh;
		len = h->digest_size;
	}
	memset(pad, 0, bs);
	if (len)
		memcpy(pad, key, len);
	for (size_t i = 0; i < bs; i++)
		pad[i] ^= 0x36;
	if (h->init(k->inner) != 0) {
		h->clear(k->inner);
		goto out;
	}
	inner_live = true;
	h->update(k->inner, pad, bs); // a failure is latched: state_ok below
	for (size_t i = 0; i < bs; i++)
		pad[i] ^= 0x36 ^ 0x5c;
	if (h->init(k->outer) != 0) {
		h->clear(k->outer);
		goto out;
	}
	h->update(k->outer, pad, bs);
	if (!state_ok(h, k->inner) || !state_ok(h, k->outer)) {
		h->clear(k->outer);
		goto out;
	}
	k->h = h;
	st = KGSS_S_COMPLETE;
out:
	if (st != KGSS_S_COMPLETE) {
		if (inner_live)
			h->clear(k->inner);
		wipe(k, sizeof(*k));
	}
	wipe(pad, sizeof(pad));
	wipe(kh, sizeof(kh));
	return st;
}

void hmac_key_clear(hmac_key *k)
{
	if (k->h) {
		k->h->clear(k->inner);
		k->h->clear(k->outer);
	}
	wipe(k, sizeof(*k));
}

kgss_status hmac_begin(hmac_run *r, const hmac_key *k)
{
	r->k = nullptr;
	if (!k || !k->h)
		return KGSS_S_FAILURE;
	if (k->h->copy(r->st, k->inner) != 0) {
		k->h->clear(r->st); // copy() leaves dst clear()-safe
		wipe(r->st, sizeof(r->st));
		return KGSS_S_FAILURE;
	}
	r->k = k;
	r->fed = 0;
	return KGSS_S_COMPLETE;
}

void hmac_update(hmac_run *r, const void *data, size_t len)
{
	if (r->k && len) {
		r->k->h->update(r->st, data, len);
		r->fed += len;
	}
}

// final(inner), copy(outer), update(inner digest), final: the finish for a
// backend without hmac_finish.  st is dead afterwards either way.
static kgss_status hmac_end_generic(const kgss_hash_class *h, void *st, const void *outer, uint8_t *out)
{
	uint8_t ih[kMaxDigest]; // secret: inner digest, wiped before return
	kgss_status ret = KGSS_S_FAILURE;
	if (h->final(st, ih) != 0) // the state is dead after final
		goto out;
	if (h->copy(st, outer) != 0) {
		h->clear(st);
		goto out;
	}
	h->update(st, ih, h->digest_size);
	if (h->final(st, out) != 0)
		goto out;
	ret = KGSS_S_COMPLETE;
out:
	wipe(ih, sizeof(ih));
	return ret;
}

// RFC 2104: H(K ^ opad | H(K ^ ipad | text)), the inner hash live in r->st.
// With the backend's fused finish the outer hash runs from the precomputed
// state without a copy; otherwise final, copy, update, final.
kgss_status hmac_end(hmac_run *r, uint8_t *out)
{
	const hmac_key *k = r->k;
	if (!k)
		return KGSS_S_FAILURE;
	const kgss_hash_class *h = k->h;
	kgss_status st = KGSS_S_FAILURE;
	r->k = nullptr;
	if (h->hmac_finish) {
		if (h->hmac_finish(r->st, k->outer, out) == 0) // the state is dead after it
			st = KGSS_S_COMPLETE;
	} else {
		st = hmac_end_generic(h, r->st, k->outer, out);
	}
	if (st != KGSS_S_COMPLETE)
		wipe(out, h->digest_size); // never hand out a partial MAC
	wipe(r->st, h->context_size);      // a backend state never reaches past context_size
	return st;
}

void hmac_abort(hmac_run *r)
{
	if (r->k) {
		r->k->h->clear(r->st);
		wipe(r->st, r->k->h->context_size);
	} else {
		wipe(r->st, sizeof(r->st));
	}
	r->k = nullptr;
}

kgss_status hmac(const hmac_key *k, const void *data, size_t len, uint8_t *out)
{
	hmac_run r; // secret-dependent: consumed by hmac_end / hmac_abort
	kgss_status st = hmac_begin(&r, k);
	if (st != KGSS_S_COMPLETE)
		return st;
	hmac_update(&r, data, len);
	return hmac_end(&r, out);
}

// ---- CMAC (RFC 4493) --------------------------------------------------------

// RFC 4493 §2.3: dbl(L) = L << 1, xor 0x87 into the last byte if the msb
// was set.  Constant time (the msb only selects a mask).
static void cmac_dbl(uint8_t out[16], const uint8_t in[16])
{
	uint8_t msb_mask = (uint8_t)(0u - (uint32_t)(in[0] >> 7));
	for (size_t i = 0; i < 15; i++)
		out[i] = (uint8_t)((in[i] << 1) | (in[i + 1] >> 7));
	out[15] = (uint8_t)((in[15] << 1) ^ (0x87 & msb_mask));
}

kgss_status cmac_key_init(cmac_key *k, const kgss_block_cipher_class *cls, const uint8_t *key, size_t len)
{
	wipe(k, sizeof(*k));
	if (!cls || cls->block_size != 16 || !cls->ecb_encrypt || !cls->cbc_mac)
		return KGSS_S_UNAVAILABLE;
	kgss_status st = cipher_key_init(&k->c, cls, key, len);
	if (st != KGSS_S_COMPLETE)
		return st;
	uint8_t l[16] = {0}; // secret: L = E(K, 0^128), wiped before return
	if (cls->ecb_encrypt(k->c.ks, l, 1) != 0) {
		wipe(l, sizeof(l));
		cmac_key_clear(k);
		return KGSS_S_FAILURE;
	}
	cmac_dbl(k->k1, l);     // RFC 4493 §2.3 K1
	cmac_dbl(k->k2, k->k1); // K2
	wipe(l, sizeof(l));
	return KGSS_S_COMPLETE;
}

void cmac_key_clear(cmac_key *k)
{
	cipher_key_clear(&k->c);
	wipe(k, sizeof(*k));
}

kgss_status cmac_begin(cmac_run *r, const cmac_key *k)
{
	memset(r, 0, sizeof(*r));
	if (!k || !k->c.cls)
		return KGSS_S_FAILURE;
	r->k = k;
	return KGSS_S_COMPLETE;
}

// The last block (complete or not) is always held back in buf: RFC 4493
// treats it specially at the end.
void cmac_update(cmac_run *r, const void *data, size_t len)
{
	const uint8_t *p = (const uint8_t *)data;
	if (!r->k) {
		r->err = KGSS_S_FAILURE;
		return;
	}
	const kgss_block_cipher_class *c = r->k->c.cls;
	while (len) {
		if (r->nbuf == 16) { // more data follows: buf is not the last block
			if (c->cbc_mac(r->k->c.ks, r->x, r->buf, 1) != 0)
				r->err = KGSS_S_FAILURE;
			r->nbuf = 0;
		}
		if (r->nbuf == 0 && len > 16) {
			// Whole blocks straight from the caller, keeping 1..16 bytes back.
			size_t nb = (len - 1) / 16;
			if (c->cbc_mac(r->k->c.ks, r->x, p, nb) != 0)
				r->err = KGSS_S_FAILURE;
			p += nb * 16;
			len -= nb * 16;
			continue;
		}
		size_t t = min_of(16 - r->nbuf, len);
		memcpy(r->buf + r->nbuf, p, t);
		r->nbuf += t;
		p += t;
		len -= t;
	}
}

kgss_status cmac_end(cmac_run *r, uint8_t out[16])
{
	kgss_status st = r->err;
	if (!r->k)
		st = KGSS_S_FAILURE;
	if (st == KGSS_S_COMPLETE) {
		const cmac_key *k = r->k;
		if (r->nbuf == 16) { // RFC 4493 §2.4 step 4: complete last block ^ K1
			for (size_t i = 0; i < 16; i++)
				r->buf[i] ^= k->k1[i];
		} else { // padded last block (10*) ^ K2
			r->buf[r->nbuf] = 0x80;
			memset(r->buf + r->nbuf + 1, 0, 16 - r->nbuf - 1);
			for (size_t i = 0; i < 16; i++)
				r->buf[i] ^= k->k2[i];
		}
		if (k->c.cls->cbc_mac(k->c.ks, r->x, r->buf, 1) != 0)
			st = KGSS_S_FAILURE;
		else
			memcpy(out, r->x, 16);
	}
	if (st != KGSS_S_COMPLETE)
		wipe(out, 16);
	cmac_abort(r);
	return st;
}

void cmac_abort(cmac_run *r) { wipe(r, sizeof(*r)); }

// ---- mac_key ------------------------------------------------------------------

void mac_key_clear(mac_key *k)
{
	if (k->kind == MAC_HMAC)
		hmac_key_clear(&k->hmac);
	else if (k->kind == MAC_CMAC)
		cmac_key_clear(&k->cmac);
	wipe(k, sizeof(*k));
}

size_t mac_size(const mac_key *k)
{
	if (k->kind == MAC_HMAC)
		return k->hmac.h ? k->hmac.h->digest_size : 0;
	if (k->kind == MAC_CMAC)
		return 16;
	return 0;
}

kgss_status mac_begin(mac_run *r, const mac_key *k)
{
	r->kind = MAC_NONE;
	kgss_status st = KGSS_S_FAILURE;
	if (k->kind == MAC_HMAC)
		st = hmac_begin(&r->h, &k->hmac);
	else if (k->kind == MAC_CMAC)
		st = cmac_begin(&r->c, &k->cmac);
	if (st == KGSS_S_COMPLETE)
		r->kind = k->kind;
	return st;
}

void mac_update(mac_run *r, const void *data, size_t len)
{
	if (r->kind == MAC_HMAC)
		hmac_update(&r->h, data, len);
	else if (r->kind == MAC_CMAC)
		cmac_update(&r->c, data, len);
}

void mac_update_segs(mac_run *r, const seglist &segs)
{
	// The three parts of the list in turn (what at() walks, without its
	// per-segment index arithmetic): head, the message buffers, tail.
	for (size_t i = 0; i < segs.nhead; i++)
		if (segs.head[i].len)
			mac_update(r, segs.head[i].p, segs.head[i].len);
	for (size_t i = 0; i < segs.niov; i++) {
		const kgss_iov &v = segs.iov[i];
		if ((v.type == KGSS_IOV_DATA || v.type == KGSS_IOV_SIGN_ONLY) && v.buffer.length)
			mac_update(r, v.buffer.value, v.buffer.length);
	}
	for (size_t i = 0; i < segs.ntail; i++)
		if (segs.tail[i].len)
			mac_update(r, segs.tail[i].p, segs.tail[i].len);
}

bool mac_oneshot(const mac_key *k, const seglist &segs, uint8_t *out, kgss_status *st)
{
	if (k->kind != MAC_HMAC || k->hmac.h == nullptr || k->hmac.h->hmac_parts == nullptr)
		return false;
	// The segments in mac_update_segs' order: head, the message buffers, tail.
	kgss_hash_part parts[kMacOneshotParts];
	size_t n = 0;
	auto put = [&](const void *p, size_t len) {
		if (len == 0)
			return true;
		if (n == kMacOneshotParts)
			return false;
		parts[n++] = kgss_hash_part{(const uint8_t *)p, len};
		return true;
	};
	for (size_t i = 0; i < segs.nhead; i++)
		if (!put(segs.head[i].p, segs.head[i].len))
			return false;
	for (size_t i = 0; i < segs.niov; i++) {
		const kgss_iov &v = segs.iov[i];
		if ((v.type == KGSS_IOV_DATA || v.type == KGSS_IOV_SIGN_ONLY) && !put(v.buffer.value, v.buffer.length))
			return false;
	}
	for (size_t i = 0; i < segs.ntail; i++)
		if (!put(segs.tail[i].p, segs.tail[i].len))
			return false;
	const kgss_hash_class *h = k->hmac.h;
	const int r = h->hmac_parts(k->hmac.inner, k->hmac.outer, parts, n, out);
	if (r > 0)
		return false; // declined: nothing written
	*st = r == 0 ? KGSS_S_COMPLETE : KGSS_S_FAILURE;
	if (r != 0)
		wipe(out, h->digest_size); // never hand out a partial MAC
	return true;
}

kgss_status mac_end(mac_run *r, uint8_t *out)
{
	mac_kind kind = r->kind;
	r->kind = MAC_NONE;
	if (kind == MAC_HMAC)
		return hmac_end(&r->h, out);
	if (kind == MAC_CMAC)
		return cmac_end(&r->c, out);
	return KGSS_S_FAILURE;
}

void mac_abort(mac_run *r)
{
	if (r->kind == MAC_HMAC)
		hmac_abort(&r->h);
	else if (r->kind == MAC_CMAC)
		cmac_abort(&r->c);
	r->kind = MAC_NONE;
}

} // namespace kgss
