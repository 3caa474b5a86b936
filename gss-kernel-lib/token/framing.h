// gss-kernel-lib/token/framing.h - the RFC 2743 §3.1 token framing
// ("InitialContextToken" header reused by RFC 1964 per-message tokens):
//   60 | DER length | 06 09 2a 86 48 86 f7 12 01 02 02 (krb5 OID, RFC 1964 §1)
//
// Writers (RFC 1964 only; RFC 4121 tokens are sent bare) use the minimal DER
// length.  The reader is as lenient as MIT's g_verify_token_header, which
// every MIT unwrap / verify_mic path runs whatever the token format:
//   - the framing is optional: a token not starting with 60 is taken as
//     bare (its TOK_ID follows at offset 0);
//   - the DER length may be non-minimal (60 81 xx below 128, leading zero
//     octets), with 1..4 length octets; indefinite (80) or 5+ octets are not
//     lengths;
//   - the length must be exactly what follows it (the whole token: with IOV
//     the HEADER, DATA, PADDING and TRAILER together), and the OID must be
//     the krb5 one.
// None of this reaches a checksum input or moves a length check: callers
// apply their CVE length checks to what follows the framing.
#ifndef KGSS_TOKEN_FRAMING_H
#define KGSS_TOKEN_FRAMING_H

#include <stddef.h>
#include <stdint.h>

#include "kgss.h"

namespace kgss {

constexpr uint8_t GSS_FRAMING_TAG = 0x60;
constexpr size_t KRB5_OID_DER_LEN = 11; // 06 09 + nine OID octets
extern const uint8_t KRB5_OID_DER[KRB5_OID_DER_LEN];
// The largest DER length written or accepted (four length octets).
constexpr size_t FRAMING_MAX_INNER = 0xffffffffu;

// Octets the minimal DER encoding of length n takes (0: more than four).
size_t framing_der_len_size(size_t n);
// Writes 60 | minimal DER length of `inner` | OID; returns the bytes written
// (inner <= FRAMING_MAX_INNER).
size_t framing_put(uint8_t *p, size_t inner);

// framing_skip: reads an optional framing at p[0..avail), the whole token being `total`
// bytes (avail <= total: with IOV only the HEADER holds the framing).
// COMPLETE with *off = the first byte after the OID, or 0 when the token is
// bare; DEFECTIVE_TOKEN for a framing that is cut, malformed, of the wrong
// length or for another mechanism.
kgss_status framing_parse(const uint8_t *p, size_t avail, size_t total, size_t *off);
// The same; a bare token (no 0x60 tag: what every peer sends per message) is
// answered inline, anything else goes to framing_parse.
inline kgss_status framing_skip(const uint8_t *p, size_t avail, size_t total, size_t *off)
{
	if (p != nullptr && avail != 0 && avail <= total && p[0] != GSS_FRAMING_TAG) {
		*off = 0;
		return KGSS_S_COMPLETE; // bare token: TOK_ID at offset 0 (MIT)
	}
	return framing_parse(p, avail, total, off);
}

} // namespace kgss

#endif
