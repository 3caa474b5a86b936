// crypto/sweep.cc - the one-sweep driver: a seg_cipher and a MAC run together
// over a message, chunk by chunk, or through the key's stitched engine.
#include "crypto/sweep.h"

#include "crypto/util.h"

namespace kgss {

namespace {
struct mac_cursor {
	size_t idx, off;
	size_t encpos; // encrypted bytes passed
};
} // namespace

// MACs segments from *mc on: encrypted bytes only below enc_limit, at most
// budget bytes in all.  Returns true when the end of the list is reached.
static bool mac_advance(mac_run *m, const seglist &sl, mac_cursor *mc, size_t enc_limit, size_t budget)
{
	seg s;
	while (mc->idx < sl.count()) {
		if (!sl.at(mc->idx, &s) || mc->off >= s.len) {
			mc->idx++;
			mc->off = 0;
			continue;
		}
		if (budget == 0)
			return false;
		size_t t = min_of(s.len - mc->off, budget);
		if (s.enc) {
			if (mc->encpos >= enc_limit)
				return false;
			t = min_of(t, enc_limit - mc->encpos);
			mc->encpos += t;
		}
		if (m)
			mac_update(m, s.p + mc->off, t);
		mc->off += t;
		budget -= t;
	}
	return true;
}

// The two-pass sweep from wherever c and mc stand to the end of the list.
static kgss_status sweep_rest(seg_cipher *c, mac_run *m, sweep_order order, mac_cursor *mc)
{
	const seglist &sl = *c->segs;
	kgss_status st;
	if (order == SWEEP_MAC_FIRST) {
		bool end;
		do {
			end = mac_advance(m, sl, mc, c->total, kSweepChunk);
			st = seg_cipher_run(c, mc->encpos);
			if (st != KGSS_S_COMPLETE)
				return st;
		} while (!end);
	} else {
		while (c->done < c->total) {
			size_t before = c->done;
			st = seg_cipher_run(c, min_of(c->done + kSweepChunk, c->total));
			if (st != KGSS_S_COMPLETE)
				return st;
			if (c->done == before) // cannot happen (chunk >= two blocks); never spin
				return KGSS_S_FAILURE;
			mac_advance(m, sl, mc, c->done, (size_t)-1);
		}
		mac_advance(m, sl, mc, c->total, (size_t)-1);
	}
	return c->done == c->total ? KGSS_S_COMPLETE : KGSS_S_FAILURE;
}

// Two-pass from the common position c->done == mc->encpos up to the
// block-aligned encrypted offset t <= c->body; both stand at t afterwards.
static kgss_status sweep_to(seg_cipher *c, mac_run *m, sweep_order order, mac_cursor *mc, size_t t)
{
	const seglist &sl = *c->segs;
	kgss_status st;
	if (order == SWEEP_MAC_FIRST) {
		mac_advance(m, sl, mc, t, (size_t)-1);
		st = seg_cipher_run(c, t);
	} else {
		st = seg_cipher_run(c, t);
		mac_advance(m, sl, mc, c->done, (size_t)-1);
	}
	if (st == KGSS_S_COMPLETE && (c->done != t || mc->encpos != t))
		st = KGSS_S_FAILURE;
	return st;
}

// The engine is usable for this cipher and MAC: an HMAC over its hash, a
// CBC schedule of one of its cipher classes.
static bool stitch_fits(const seg_cipher *c, const mac_run *m)
{
	const kgss_cbc_hash_class *e = c->stitch;
	return e && m && c->mode != SEGC_STREAM && m->kind == MAC_HMAC && m->h.k && m->h.k->h == e->hash &&
	       (c->bc == e->cipher_a || c->bc == e->cipher_b) && e->encrypt && e->decrypt && e->unit != 0 &&
	       e->unit % 16 == 0 && e->unit == e->hash->block_size && c->bc->block_size == 16;
}

// The next n encrypted bytes from cu are also the MAC's next n bytes: no
// SIGN_ONLY bytes lie among them.
static bool mac_sees_cipher(const seglist &sl, seg_cursor cu, size_t n)
{
	seg s;
	for (size_t i = cu.idx; n != 0 && i < sl.count(); i++) {
		const size_t off = i == cu.idx ? cu.off : 0;
		if (!sl.at(i, &s) || s.len <= off)
			continue; // not part of the message, or empty
		if (!s.enc)
			return false;
		n -= min_of(s.len - off, n);
	}
	return n == 0;
}

// Largest run of units gathered across segments (two SHA-384 units).
constexpr size_t kGatherBytes = 256;

// The engine over n whole units at p, in place; on success the MAC and the
// cipher count them.
static int engine_run(seg_cipher *c, mac_run *m, uint8_t *p, size_t n, int hash_output)
{
	const kgss_cbc_hash_class *e = c->stitch;
	const int rc = c->decrypt ? e->decrypt(c->ks, c->iv, m->h.st, p, n, hash_output)
				  : e->encrypt(c->ks, c->iv, m->h.st, p, n, hash_output);
	if (rc == 0) {
		m->h.fed += n * e->unit;
		c->done += n * e->unit;
	}
	return rc;
}

// units whole units from the common position (the MAC at a block boundary,
// no SIGN_ONLY bytes among them, mac_sees_cipher) gathered from their
// segments into a stack buffer, run through the engine there and scattered
// back; both cursors then stand after them.  Out of line: the buffer is in
// this frame only.
__attribute__((noinline)) static kgss_status run_gathered(seg_cipher *c, mac_run *m, mac_cursor *mc, size_t units,
							  int hash_output)
{
	const size_t len = units * c->stitch->unit;
	if (len > kGatherBytes)
		return KGSS_S_FAILURE;
	uint8_t buf[kGatherBytes]; // secret: plaintext on one side of the engine or the other
	seg_cursor from = c->cur;
	kgss_status st = KGSS_S_FAILURE;
	if (seg_copy(*c->segs, &c->cur, buf, len, false) && engine_run(c, m, buf, units, hash_output) == 0 &&
	    seg_copy(*c->segs, &from, buf, len, true)) {
		mc->encpos += len;
		mc->idx = c->cur.idx;
		mc->off = c->cur.off;
		st = KGSS_S_COMPLETE;
	}
	wipe(buf, len);
	return st;
}

// Stitched runs where the positions allow (see sweep.h), two-pass steps in
// between to reach them; the rest two-pass once no further run is possible.
static kgss_status sweep_stitched(seg_cipher *c, mac_run *m, sweep_order order, mac_cursor *mc)
{
	const seglist &sl = *c->segs;
	const kgss_cbc_hash_class *e = c->stitch;
	const size_t unit = e->unit;
	const int hash_output = order == SWEEP_CIPHER_FIRST;
	seg s;
	for (;;) {
		const size_t pos = c->done; // == mc->encpos
		if (pos + unit > c->body)
			break;
		// SIGN_ONLY segments at this point go to the MAC; then both cursors
		// must stand on the same byte of the same encrypted segment.
		mac_advance(m, sl, mc, pos, (size_t)-1);
		if (!seg_cursor_norm(sl, &c->cur, &s) || mc->idx != c->cur.idx || mc->off != c->cur.off ||
		    mc->encpos != pos)
			break;
		const size_t lead = (size_t)((unit - m->h.fed % unit) % unit); // bytes to the MAC's next block
		if (lead % 16 != 0)
			break; // SIGN_ONLY bytes put the MAC off the cipher's blocks for good
		kgss_status st;
		if (lead != 0) {
			if (pos + lead + unit > c->body)
				break;
			st = sweep_to(c, m, order, mc, pos + lead);
		} else {
			const size_t avail = min_of(s.len - c->cur.off, c->body - pos);
			size_t n = avail / unit;
			// A unit running past this segment into the next ones (NFS
			// pages: the confounder in HEADER puts every unit boundary
			// off the page boundaries) goes to the engine gathered on
			// the stack, with the whole unit before it when that makes
			// the count even (engines may compute units in pairs).
			// Decryption only: there the gathered units cost the engine
			// one parallel decryption it cannot overlap, less than the
			// two-pass path.  Encryption's CBC chain is serial, so a
			// separate engine call leaves a whole unit's chain
			// unhidden, the same cost as two-pass plus the copies.
			const bool straddle = c->decrypt && avail % unit != 0 && 2 * unit <= kGatherBytes &&
					      pos + (n + 1) * unit <= c->body &&
					      mac_sees_cipher(sl, c->cur, (n + 1) * unit);
			if (straddle && n % 2 == 1)
				n--;
			if (n == 0 && straddle) {
				st = run_gathered(c, m, mc, avail / unit + 1, hash_output);
			} else if (n == 0) { // a partial unit left in this segment: to its end, two-pass
				st = sweep_to(c, m, order, mc, pos + (avail + 15) / 16 * 16);
			} else {
				const size_t len = n * unit;
				if (engine_run(c, m, s.p + c->cur.off, n, hash_output) != 0)
					return KGSS_S_FAILURE;
				c->cur.off += len;
				mc->encpos += len;
				mc->off += len;
				st = KGSS_S_COMPLETE;
			}
		}
		if (st != KGSS_S_COMPLETE)
			return st;
	}
	return sweep_rest(c, m, order, mc);
}

// Below this many whole units in the message the engine does not pay for
// its set-up (decryption round keys, the unit it cannot overlap, the
// lead-in): 128-byte messages measured ~10 % slower with it.
constexpr size_t kStitchMinUnits = 8;

kgss_status sweep(seg_cipher *c, mac_run *m, sweep_order order)
{
	mac_cursor mc = {0, 0, 0};
	if (stitch_fits(c, m) && c->body >= kStitchMinUnits * c->stitch->unit)
		return sweep_stitched(c, m, order, &mc);
	return sweep_rest(c, m, order, &mc);
}

} // namespace kgss
