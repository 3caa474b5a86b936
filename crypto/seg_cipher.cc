// crypto/seg_cipher.cc - CBC-CTS (RFC 3962 §5), CBC and a stream cipher over
// the encrypted segments of a seglist, in place.
#include "crypto/seg_cipher.h"

#include "crypto/util.h"

namespace kgss {

bool seg_copy(const seglist &sl, seg_cursor *cu, uint8_t *buf, size_t n, bool to_segs)
{
	seg s;
	while (n) {
		if (!seg_cursor_norm(sl, cu, &s))
			return false;
		size_t t = min_of(s.len - cu->off, n);
		if (to_segs)
			memcpy(s.p + cu->off, buf, t);
		else
			memcpy(buf, s.p + cu->off, t);
		cu->off += t;
		buf += t;
		n -= t;
	}
	return true;
}

// Every field of a fresh seg_cipher, set one by one: a memset of the whole
// struct (~100 bytes, nothing secret in it yet) is a `rep stosq` under GCC's
// generic x86-64 tuning, a fixed cost on every per-message call.
static void seg_cipher_reset(seg_cipher *c, const seglist &segs, seg_cipher_mode mode)
{
	c->segs = &segs;
	c->mode = mode;
	c->decrypt = false;
	c->bc = nullptr;
	c->ks = nullptr;
	c->stitch = nullptr;
	c->sc = nullptr;
	c->st = nullptr;
	c->total = 0;
	c->body = 0;
	c->done = 0;
	c->cur.idx = 0;
	c->cur.off = 0;
	memset(c->iv, 0, sizeof(c->iv));
}

kgss_status seg_cipher_init_block(seg_cipher *c, const seglist &segs, seg_cipher_mode mode, const cipher_key *k,
				  bool decrypt)
{
	seg_cipher_reset(c, segs, mode);
	if (!k->cls || (mode != SEGC_CTS && mode != SEGC_CBC))
		return KGSS_S_FAILURE;
	const size_t bs = k->cls->block_size;
	c->decrypt = decrypt;
	c->bc = k->cls;
	c->ks = k->ks;
	c->stitch = k->stitch;
	c->total = segs.enc_len();
	if (mode == SEGC_CTS) {
		if (c->total < bs)
			return KGSS_S_DEFECTIVE_TOKEN;
		if (c->total == bs) {
			c->body = 0; // one block: a single block encryption (RFC 3962 §5)
		} else {
			size_t last = c->total % bs ? c->total % bs : bs; // the final, maybe partial, block
			c->body = c->total - bs - last;
		}
	} else {
		if (c->total % bs)
			return KGSS_S_DEFECTIVE_TOKEN;
		c->body = c->total;
	}
	return KGSS_S_COMPLETE;
}

kgss_status seg_cipher_init_stream(seg_cipher *c, const seglist &segs, const kgss_stream_cipher_class *sc, void *st)
{
	seg_cipher_reset(c, segs, SEGC_STREAM);
	if (!sc || !st)
		return KGSS_S_FAILURE;
	c->sc = sc;
	c->st = st;
	c->total = c->body = segs.enc_len();
	return KGSS_S_COMPLETE;
}

static int block_op(const seg_cipher *c, uint8_t *iv, uint8_t *p, size_t nb)
{
	return c->decrypt ? c->bc->cbc_decrypt(c->ks, iv, p, nb) : c->bc->cbc_encrypt(c->ks, iv, p, nb);
}

// RFC 3962 §5: the last two blocks (or the only block) of a CTS message.
// Plaintext passes through the temporaries: all are wiped before return.
static kgss_status cts_tail(seg_cipher *c)
{
	const seglist &sl = *c->segs;
	const size_t bs = c->bc->block_size; // 16 (CTS is only used with 16-byte ciphers)
	const size_t n = c->total - c->done; // bs, or bs + 1 .. 2 * bs
	uint8_t t[32];                       // secret: plaintext, wiped before return
	uint8_t o[32];                       // secret: plaintext, wiped before return
	uint8_t e[16];                       // secret (decrypt): E_{n-1} -> P_{n-1}
	kgss_status st = KGSS_S_FAILURE;
	seg_cursor save = c->cur;
	if (bs != 16 || n > 2 * bs || !seg_copy(sl, &c->cur, t, n, false))
		goto out;
	if (n == bs) {
		if (block_op(c, c->iv, t, 1) != 0)
			goto out;
		memcpy(o, t, bs);
	} else if (!c->decrypt) {
		const size_t m = n - bs;
		// CBC over P_{n-1} | (P_n padded with zeros), then swap the two
		// blocks and truncate: C_n' = E(P_n0 ^ E_{n-1}) | E_{n-1}[0..m).
		memset(t + n, 0, 2 * bs - n);
		if (c->bc->cbc_encrypt(c->ks, c->iv, t, 2) != 0) // iv := C_n' (next IV)
			goto out;
		memcpy(o, t + bs, bs);
		memcpy(o + bs, t, m);
	} else {
		const size_t m = n - bs;
		uint8_t cn[16]; // C_n' (public), the next IV
		memcpy(cn, t, bs);
		// D = D(C_n') = (P_n | 0...) ^ E_{n-1}: its bytes past m are those
		// of E_{n-1}, whose first m bytes were transmitted.
		if (c->bc->ecb_decrypt(c->ks, t, 1) != 0)
			goto out;
		memcpy(e, t + bs, m);
		memcpy(e + m, t + m, bs - m);
		for (size_t i = 0; i < m; i++)
			o[bs + i] = t[i] ^ e[i];                 // P_n
		if (c->bc->cbc_decrypt(c->ks, c->iv, e, 1) != 0) // P_{n-1} = D(E_{n-1}) ^ C_{n-2}
			goto out;
		memcpy(o, e, bs);
		memcpy(c->iv, cn, bs);
	}
	if (!seg_copy(sl, &save, o, n, true))
		goto out;
	c->done = c->total;
	st = KGSS_S_COMPLETE;
out:
	wipe(t, sizeof(t));
	wipe(o, sizeof(o));
	wipe(e, sizeof(e));
	return st;
}

kgss_status seg_cipher_run(seg_cipher *c, size_t limit)
{
	const seglist &sl = *c->segs;
	const size_t lim = min_of(limit, c->total);
	seg s;
	if (c->mode == SEGC_STREAM) {
		while (c->done < lim) {
			if (!seg_cursor_norm(sl, &c->cur, &s))
				return KGSS_S_FAILURE;
			size_t t = min_of(s.len - c->cur.off, lim - c->done);
			if (c->sc->apply(c->st, s.p + c->cur.off, t) != 0)
				return KGSS_S_FAILURE;
			c->cur.off += t;
			c->done += t;
		}
		return KGSS_S_COMPLETE;
	}
	const size_t bs = c->bc->block_size;
	size_t end = min_of(lim, c->body);
	if (end > c->done)
		end = c->done + (end - c->done) / bs * bs;
	while (c->done < end) {
		if (!seg_cursor_norm(sl, &c->cur, &s))
			return KGSS_S_FAILURE;
		size_t avail = s.len - c->cur.off;
		if (avail >= bs) { // whole blocks in place, straight to the backend
			size_t nb = min_of(avail, end - c->done) / bs;
			if (block_op(c, c->iv, s.p + c->cur.off, nb) != 0)
				return KGSS_S_FAILURE;
			c->cur.off += nb * bs;
			c->done += nb * bs;
		} else {                 // a block straddling segments: gather, process, scatter
			uint8_t blk[16]; // secret: plaintext, wiped before return
			seg_cursor save = c->cur;
			bool ok = seg_copy(sl, &c->cur, blk, bs, false) && block_op(c, c->iv, blk, 1) == 0 &&
				  seg_copy(sl, &save, blk, bs, true);
			wipe(blk, sizeof(blk));
			if (!ok)
				return KGSS_S_FAILURE;
			c->done += bs;
		}
	}
	if (c->mode == SEGC_CTS && c->done == c->body && lim == c->total && c->done < c->total)
		return cts_tail(c);
	return KGSS_S_COMPLETE;
}

kgss_status seg_cipher_all(seg_cipher *c) { return seg_cipher_run(c, c->total); }

void zero_enc_segs(const seglist &segs)
{
	seg s;
	for (size_t i = 0; i < segs.count(); i++)
		if (segs.at(i, &s) && s.enc && s.len)
			memset(s.p, 0, s.len);
}

} // namespace kgss
