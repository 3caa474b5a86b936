// crypto/sweep.h - the one-sweep driver that runs a cipher (crypto/seg_cipher.h)
// and a MAC (crypto/mac.h) together over a message.
#ifndef KGSS_CRYPTO_SWEEP_H
#define KGSS_CRYPTO_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/mac.h"
#include "crypto/seg_cipher.h"

namespace kgss {

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
// when decrypting, a unit straddling segments (no SIGN_ONLY bytes inside it)
// goes to the engine gathered into a stack buffer and scattered back.  The
// other straddling units, the bytes before the first run, blocks around
// SIGN_ONLY segments and the CTS tail take the two-pass path.  Same bytes
// either way.
constexpr size_t kSweepChunk = 4096;
enum sweep_order : uint8_t { SWEEP_MAC_FIRST = 1, SWEEP_CIPHER_FIRST = 2 };
kgss_status sweep(seg_cipher *c, mac_run *m, sweep_order order);

} // namespace kgss

#endif
