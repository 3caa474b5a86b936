// crypto/cts.h - ciphers over a seglist, in place, and the one-sweep driver
// that runs a cipher and a MAC together over a message.
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
#ifndef KGSS_CRYPTO_CTS_H
#define KGSS_CRYPTO_CTS_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/keys.h"
#include "crypto/mac.h"
#include "crypto/seglist.h"

namespace kgss {

enum seg_cipher_mode : uint8_t { SEGC_CTS = 1, SEGC_CBC = 2, SEGC_STREAM = 3 };

// A position in a seglist: segment index and offset inside it.
struct seg_cursor {
	size_t idx;
	size_t off;
};

struct seg_cipher {
	const seglist *segs;
	seg_cipher_mode mode;
	bool decrypt;
	const kgss_block_cipher_class *bc; // block modes
	const void *ks;
	const kgss_cbc_hash_class *stitch; // the key's stitched engine (sweep), or NULL
	const kgss_stream_cipher_class *sc; // SEGC_STREAM
	void *st;
	size_t total; // encrypted bytes in the message
	size_t body;  // bytes handled as plain CBC blocks (CTS: all but the last two blocks)
	size_t done;  // encrypted bytes processed so far
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

// The one-sweep driver.  The message is processed in chunks of kSweepChunk
// bytes so that each chunk is still in cache for the second operation:
//   SWEEP_MAC_FIRST     MAC a chunk, then encipher it (MAC-then-encrypt
//                       profiles, encryption side: the MAC sees plaintext);
//   SWEEP_CIPHER_FIRST  encipher/decipher a chunk, then MAC it (decryption
//                       side of MAC-then-encrypt: the MAC sees plaintext;
//                       encryption side of encrypt-then-MAC: ciphertext).
// The MAC covers every segment of the list in order (encrypted and
// SIGN_ONLY); m may be NULL (cipher only).  The MAC is neither begun nor
// ended here.
// When the cipher key has a stitched engine (cipher_key::stitch), m is an
// HMAC over that engine's hash and the message has at least eight hash
// blocks to encipher, runs of whole hash blocks inside one
// encrypted segment, where the MAC and the cipher stand at the same byte and
// the MAC at a block boundary, go to the engine in one pass (the MAC sees the
// cipher's input for SWEEP_MAC_FIRST, its output for SWEEP_CIPHER_FIRST);
// the bytes before such a run, blocks straddling segments, SIGN_ONLY
// segments and the CTS tail take the two-pass path.  Same bytes either way.
constexpr size_t kSweepChunk = 4096;
enum sweep_order : uint8_t { SWEEP_MAC_FIRST = 1, SWEEP_CIPHER_FIRST = 2 };
kgss_status sweep(seg_cipher *c, mac_run *m, sweep_order order);

// Zero every encrypted segment (used when a decryption is rejected).
void zero_enc_segs(const seglist &segs);

} // namespace kgss

#endif
