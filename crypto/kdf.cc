// crypto/kdf.cc - key derivation functions (see kdf.h for the RFC sections).
#include "crypto/kdf.h"

#include "crypto/mac.h"
#include "crypto/nfold.h"
#include "crypto/util.h"

namespace kgss {

kgss_status hmac_raw(const kgss_hash_class *h, const uint8_t *key, size_t key_len, const span *parts, size_t nparts,
		     uint8_t *out)
{
	if (!h || !h->init || h->context_size > KGSS_HASH_STATE_MAX || h->block_size > 128 || h->digest_size > 64 ||
	    h->digest_size > h->block_size)
		return KGSS_S_UNAVAILABLE;
	alignas(KGSS_STATE_ALIGN) uint8_t st[KGSS_HASH_STATE_MAX]; // secret: wiped before return
	uint8_t pad[128];                                          // secret: wiped before return
	uint8_t d[64];                                             // secret: wiped before return
	const size_t bs = h->block_size, ds = h->digest_size;
	kgss_status r = KGSS_S_FAILURE;

	memset(pad, 0, bs);
	if (key_len > bs) { // RFC 2104 §2
		if (h->init(st) != 0) {
			h->clear(st);
			goto out;
		}
		h->update(st, key, key_len);
		if (h->final(st, pad) != 0)
			goto out;
	} else if (key_len) {
		memcpy(pad, key, key_len);
	}
	for (size_t i = 0; i < bs; i++)
		pad[i] ^= 0x36;
	if (h->init(st) != 0) {
		h->clear(st);
		goto out;
	}
	h->update(st, pad, bs);
	for (size_t i = 0; i < nparts; i++)
		if (parts[i].n)
			h->update(st, parts[i].p, parts[i].n);
	if (h->final(st, d) != 0)
		goto out;
	for (size_t i = 0; i < bs; i++)
		pad[i] ^= 0x36 ^ 0x5c;
	if (h->init(st) != 0) {
		h->clear(st);
		goto out;
	}
	h->update(st, pad, bs);
	h->update(st, d, ds);
	if (h->final(st, out) != 0)
		goto out;
	r = KGSS_S_COMPLETE;
out:
	if (r != KGSS_S_COMPLETE)
		wipe(out, ds);
	wipe(st, sizeof(st));
	wipe(pad, sizeof(pad));
	wipe(d, sizeof(d));
	return r;
}

kgss_status dr(const cipher_key *base, const uint8_t *constant, size_t clen, uint8_t *out, size_t out_len)
{
	const kgss_block_cipher_class *c = base->cls;
	if (!c || out_len > 32)
		return KGSS_S_FAILURE;
	const size_t bs = c->block_size;
	uint8_t blk[16]; // secret: each block is key material; wiped before return
	// RFC 3961 §5.1: a constant that is not one block long is n-folded.
	if (clen == bs)
		memcpy(blk, constant, bs);
	else if (!nfold(constant, clen, blk, bs))
		return KGSS_S_FAILURE;
	kgss_status st = KGSS_S_COMPLETE;
	for (size_t done = 0; done < out_len;) {
		if (c->ecb_encrypt(base->ks, blk, 1) != 0) {
			st = KGSS_S_FAILURE;
			wipe(out, out_len);
			break;
		}
		size_t t = min_of(bs, out_len - done);
		memcpy(out + done, blk, t);
		done += t;
	}
	wipe(blk, sizeof(blk));
	return st;
}

void des3_random_to_key(const uint8_t in[21], uint8_t out[24])
{
	for (size_t g = 0; g < 3; g++) {
		const uint8_t *i7 = in + 7 * g;
		uint8_t *o8 = out + 8 * g;
		uint8_t last = 0;
		// Bytes 0..6 keep their top 7 bits; their low bits move into byte 7
		// (byte b's low bit becomes bit b+1 of byte 7).
		for (size_t b = 0; b < 7; b++) {
			o8[b] = i7[b];
			last = (uint8_t)(last | ((i7[b] & 1u) << (b + 1)));
		}
		o8[7] = last;
		for (size_t b = 0; b < 8; b++) { // odd parity in bit 0
			uint8_t v = (uint8_t)(o8[b] & 0xfe);
			uint8_t p = v ^ (uint8_t)(v >> 4);
			p ^= (uint8_t)(p >> 2);
			p ^= (uint8_t)(p >> 1);
			o8[b] = (uint8_t)(v | ((~p) & 1u));
		}
	}
}

kgss_status kdf_hmac_sha2(const kgss_hash_class *h, const uint8_t *key, size_t key_len, const uint8_t *label,
			  size_t label_len, uint8_t *out, size_t out_len)
{
	if (!h || out_len > h->digest_size)
		return KGSS_S_FAILURE;
	static const uint8_t one_be32[4] = {0, 0, 0, 1};
	static const uint8_t zero[1] = {0};
	uint8_t kbits[4];
	store_be32(kbits, (uint32_t)(out_len * 8));
	const span parts[4] = {{one_be32, 4}, {label, label_len}, {zero, 1}, {kbits, 4}};
	uint8_t full[64]; // secret: wiped before return
	kgss_status st = hmac_raw(h, key, key_len, parts, 4, full);
	if (st == KGSS_S_COMPLETE)
		memcpy(out, full, out_len);
	wipe(full, sizeof(full));
	return st;
}

kgss_status kdf_feedback_cmac(const cmac_key *base, const uint8_t *label, size_t label_len, uint8_t *out,
			      size_t out_len)
{
	if (out_len > 32)
		return KGSS_S_FAILURE;
	static const uint8_t zero[1] = {0};
	uint8_t kprev[16] = {0}; // secret: K(i-1), wiped before return
	uint8_t ibuf[4], kbits[4];
	store_be32(kbits, (uint32_t)(out_len * 8));
	kgss_status st = KGSS_S_COMPLETE;
	for (uint32_t i = 1, done = 0; done < out_len; i++) {
		cmac_run r; // secret-dependent: consumed by cmac_end
		store_be32(ibuf, i);
		st = cmac_begin(&r, base);
		if (st != KGSS_S_COMPLETE)
			break;
		cmac_update(&r, kprev, 16);
		cmac_update(&r, ibuf, 4);
		cmac_update(&r, label, label_len);
		cmac_update(&r, zero, 1);
		cmac_update(&r, kbits, 4);
		st = cmac_end(&r, kprev);
		if (st != KGSS_S_COMPLETE)
			break;
		size_t t = min_of((size_t)16, out_len - done);
		memcpy(out + done, kprev, t);
		done += (uint32_t)t;
	}
	if (st != KGSS_S_COMPLETE)
		wipe(out, out_len);
	wipe(kprev, sizeof(kprev));
	return st;
}

} // namespace kgss
