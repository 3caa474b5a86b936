// gss-kernel-lib/token/constants.h - the fixed octets and lengths of the
// per-message token formats, shared by the token engines (rfc4121.cc,
// rfc1964.cc) and the token decoder of `kgss inspect`
// (tools/kgss/inspect_core.cc).  Plain constants, no code.  The RFC 2743
// §3.1 framing (60 | DER length | krb5 OID) is in token/framing.h.
#ifndef KGSS_TOKEN_CONSTANTS_H
#define KGSS_TOKEN_CONSTANTS_H

#include <stddef.h>
#include <stdint.h>

namespace kgss {

// ---- RFC 4121 §4.2: MIC and Wrap tokens v2 (protocol 1) -------------------------
namespace tok4121 {

// §4.2.6: token identifiers, octets 0..1 (big-endian).
constexpr uint16_t TOK_ID_MIC = 0x0404;
constexpr uint16_t TOK_ID_WRAP = 0x0504;

// §4.2.2: flags, octet 2.
constexpr uint8_t FLAG_SENT_BY_ACCEPTOR = 0x01;
constexpr uint8_t FLAG_SEALED = 0x02;
constexpr uint8_t FLAG_ACCEPTOR_SUBKEY = 0x04;

constexpr size_t TOKEN_HEADER_LEN = 16; // §4.2.6.1 / §4.2.6.2
constexpr uint8_t FILLER_BYTE = 0xFF;   // §4.2.6: filler octets
constexpr size_t MIC_FILLER_LEN = 5;    // §4.2.6.1: octets 3..7

} // namespace tok4121

// ---- RFC 1964 §1.2 (protocol 0), with RFC 4757 §7 for RC4 ------------------------
// After the framing: TOK_ID(2) SGN_ALG(2, LE) SEAL_ALG(2, LE) FF FF,
// SND_SEQ(8), SGN_CKSUM; Wrap: confounder(8) | data | pad.
namespace tok1964 {

// §1.2.1 / §1.2.2: TOK_ID.
constexpr uint8_t TOK_ID_MIC[2] = {0x01, 0x01};
constexpr uint8_t TOK_ID_WRAP[2] = {0x02, 0x01};

constexpr size_t FIELDS_LEN = 8;  // TOK_ID | SGN_ALG | SEAL_ALG/filler | filler
constexpr size_t SND_SEQ_OFF = 8; // SND_SEQ
constexpr size_t SND_SEQ_LEN = 8;
constexpr size_t CKSUM_OFF = 16;      // SGN_CKSUM
constexpr size_t CONF_LEN = 8;        // confounder (DES3: one block; RC4: RFC 4757 §7.3)
constexpr uint8_t FILLER_BYTE = 0xff; // octets 6..7

// SGN_ALG and SEAL_ALG (little-endian on the wire) of the two enctypes
// supported: des3-cbc-sha1 (RFC 1964 as MIT extends it), arcfour-hmac
// (RFC 4757 §7.1); crypto/enctypes/table.cc carries the same numbers in
// its rows.  SEAL_ALG_NONE: integrity only, and the MIC's filler.
constexpr uint16_t SGN_ALG_HMAC_SHA1_DES3_KD = 0x0004;
constexpr uint16_t SGN_ALG_HMAC_MD5 = 0x0011;
constexpr uint16_t SEAL_ALG_DES3_KD = 0x0002;
constexpr uint16_t SEAL_ALG_RC4 = 0x0010;
constexpr uint16_t SEAL_ALG_NONE = 0xffff;

// SGN_CKSUM lengths.
constexpr size_t CKSUM_LEN_DES3 = 20; // HMAC-SHA1, untruncated
constexpr size_t CKSUM_LEN_RC4 = 8;   // first 8 bytes of HMAC-MD5

} // namespace tok1964

} // namespace kgss

#endif
