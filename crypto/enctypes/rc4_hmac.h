// crypto/enctypes/rc4_hmac.h - the RFC 4757 (arcfour-hmac) primitives, one
// implementation each, shared by the two users of RC4-HMAC keys (private to
// crypto/enctypes/):
//   crypto/enctypes/rc4_hmac.cc       the RFC 3961 profile of enctypes 23 / 24
//                                     (encrypt/decrypt, checksum -138);
//   crypto/enctypes/rfc1964_algs.cc   the RFC 4757 §7 half of the GSS tokens
//                                     (SND_SEQ key, sealing key from the
//                                     sequence number, SGN_CKSUM with usages
//                                     13 / 15).
// Built whatever KGSS_WITH_RC4 says; they use only the backend classes
// handed to them.
#ifndef KGSS_CRYPTO_ENCTYPES_RC4_HMAC_H
#define KGSS_CRYPTO_ENCTYPES_RC4_HMAC_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/keys.h"
#include "crypto/seglist.h"

namespace kgss {

// Every RC4-HMAC key (K, K1, Ksign, K3, the RFC 4757 §7 stages) is 16 bytes.
constexpr size_t RC4_KEY_BYTES = 16;

// The backend's MD5 and RC4 when both are usable for RFC 4757 (MD5 with a
// 16-byte digest; an RC4 state that fits KGSS_STREAM_STATE_MAX, with init,
// apply and clear), else KGSS_S_UNAVAILABLE.
kgss_status rc4_backend(const kgss_crypto_backend *be, const kgss_hash_class **md5,
			const kgss_stream_cipher_class **rc4);

// RFC 4757 §4 (and §7.3 with T = 0): the salted first stage
//   K1 = HMAC-MD5(key, T_le32)                    (arcfour-hmac, 23)
//   K1 = HMAC-MD5(key, "fortybits\0" | T_le32)    (arcfour-hmac-exp, 24: exp)
// key is RC4_KEY_BYTES long.  Not masked: see rc4_exp_mask.
kgss_status rc4_salt(const kgss_hash_class *md5, const uint8_t *key, bool exp, uint32_t t, uint8_t out[16]);

// RFC 4757 §4 exportable key: bytes 7..15 set to 0xAB (56 bits remain).
void rc4_exp_mask(uint8_t k[16]);

// RFC 4757 §4 / §7.2: Ksign = HMAC-MD5(key, "signaturekey\0").
kgss_status rc4_ksign(const kgss_hash_class *md5, const uint8_t *key, uint8_t out[16]);

// The checksum core, RFC 4757 §4 (checksum -138) and §7.2 / §7.3 (SGN_CKSUM):
//   HMAC-MD5(Ksign, MD5(T_le32 | every segment of segs, in order))
// ksign is the HMAC-MD5 key keyed by Ksign; 16 bytes to out.
kgss_status rc4_md5_cksum(const hmac_key *ksign, uint32_t t, const seglist &segs, uint8_t out[16]);

// A live RC4 state in st (KGSS_STREAM_STATE_MAX bytes, KGSS_STATE_ALIGN)
// keyed by a 16-byte key; the caller clears it with sc->clear.  On failure
// st holds nothing live.
kgss_status rc4_start(const kgss_stream_cipher_class *sc, const uint8_t *key, void *st);

// RC4 keyed by a 16-byte key over the encrypted segments of segs, in place;
// the state lives on this frame and is cleared and wiped.
kgss_status rc4_crypt_segs(const kgss_stream_cipher_class *sc, const uint8_t *key, const seglist &segs);

} // namespace kgss

#endif
