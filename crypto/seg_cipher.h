// crypto/seg_cipher.h - ciphers over a seglist, in place (the sweep that runs
// one together with a MAC is crypto/sweep.h).
//
// seg_cipher enciphers or deciphers the *encrypted* segments of a seglist
// (seg.enc; SIGN_ONLY segments are never touched) as one byte stream:
//   SEGC_CTS    CBC with ciphertext stealing, RFC 3962 §5 (the "CS3" variant:
//               the last two blocks swapped, the final one truncated); a
//               message of exactly one block is one block encryption.  Used
//               for AES (RFC 3962, RFC 8009) and Camellia (RFC 6803).
//               Needs >= one block.
//   SEGC_CBC    plain CBC (des3-cbc-sha1, RFC 3961 §6.3); the length must be
//               a multiple of the block size.
//   SEGC_STREAM a stream cipher keystream (RC4, RFC 4757).
// Runs of whole blocks inside one segment go to the backend's CBC routines
// directly; a block straddling segments is gathered into a stack block,
// processed and scattered back.  The IV starts at zero (Kerberos always
// starts from the zero cipher state) unless the caller sets c.iv after init.
#ifndef KGSS_CRYPTO_SEG_CIPHER_H
#define KGSS_CRYPTO_SEG_CIPHER_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/keys.h"
#include "crypto/seglist.h"

namespace kgss {

enum seg_cipher_mode : uint8_t { SEGC_CTS = 1, SEGC_CBC = 2, SEGC_STREAM = 3 };

// A position in a seglist: segment index and offset inside it.
struct seg_cursor {
	size_t idx;
	size_t off;
};

// Moves cu to the next encrypted segment with bytes left at or after it
// (*s: that segment); false at the end of the list.
inline bool seg_cursor_norm(const seglist &sl, seg_cursor *cu, seg *s)
{
	while (cu->idx < sl.count()) {
		if (sl.at(cu->idx, s) && s->enc && cu->off < s->len)
			return true;
		cu->idx++;
		cu->off = 0;
	}
	return false;
}

// Copies n encrypted-stream bytes at *cu into buf (gather, to_segs false)
// or from buf (scatter), advancing *cu; SIGN_ONLY segments are passed over.
// False if the list ends first.
bool seg_copy(const seglist &sl, seg_cursor *cu, uint8_t *buf, size_t n, bool to_segs);

struct seg_cipher {
	const seglist *segs;
	seg_cipher_mode mode;
	bool decrypt;
	const kgss_block_cipher_class *bc; // block modes
	const void *ks;
	const kgss_cbc_hash_class *stitch;  // the key's stitched engine (sweep), or NULL
	const kgss_stream_cipher_class *sc; // SEGC_STREAM
	void *st;
	size_t total;   // encrypted bytes in the message
	size_t body;    // bytes handled as plain CBC blocks (CTS: all but the last two blocks)
	size_t done;    // encrypted bytes processed so far
	seg_cursor cur; // position of byte `done`
	uint8_t iv[16]; // chaining value (ciphertext: not secret); after a CTS
			// run it is the last full CBC block (RFC 3962 next IV)
};

// Block modes.  KGSS_S_DEFECTIVE_TOKEN when the encrypted length does not
// suit the mode (CTS: < block size; CBC: not a multiple of it).
kgss_status seg_cipher_init_block(seg_cipher *c, const seglist &segs, seg_cipher_mode mode, const cipher_key *k,
				  bool decrypt);
// Stream mode: st is a live state of sc (the caller owns and clears it).
kgss_status seg_cipher_init_stream(seg_cipher *c, const seglist &segs, const kgss_stream_cipher_class *sc, void *st);
// Processes encrypted bytes up to stream offset `limit` as far as the mode
// allows (whole blocks; the CTS tail only once limit == total).
kgss_status seg_cipher_run(seg_cipher *c, size_t limit);
// Whole message.
kgss_status seg_cipher_all(seg_cipher *c);

// Zero every encrypted segment (used when a decryption is rejected).
void zero_enc_segs(const seglist &segs);

} // namespace kgss

#endif
