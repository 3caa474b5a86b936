// gss-kernel-lib/token/engine.h - the token engine, one implementation per
// token format, all over kgss_iov arrays (plain calls are thin wrappers in
// api.cc).  Callers (api.cc) have already checked: live context, qop == 0,
// expiry, and classified the iov array.
//
//   rfc4121.cc  RFC 4121 §4.2: MIC and Wrap tokens v2 (protocol 1)
//   rfc1964.cc  RFC 1964 §1.2 with DES3 (RFC 3961 KD) and RC4 (RFC 4757 §7)
//
// Semantics (both formats):
//  - wrap_iov_length fills the lengths of HEADER / PADDING / TRAILER (and
//    sets conf_state) for the DATA/SIGN_ONLY buffers given; wrap_iov checks
//    the caller's buffers are at least that long (else FAILURE, nothing
//    written, no sequence number consumed), then writes the token in place
//    and sets those lengths to what was written (the confounder is
//    iov_layout.confounder when set, else drawn from the context's PRNG).
//    Without a TRAILER buffer
//    the trailer goes in the HEADER (RFC 4121: RRC = trailer length).
//  - unwrap_iov accepts HEADER|DATA..|[PADDING]|[TRAILER] or STREAM|DATA
//    (DATA is then pointed at the plaintext inside STREAM).  Returns COMPLETE
//    plus supplementary bits from the receive window, or an error; on error
//    no plaintext is released (DATA zeroed if decryption started).
//  - get_mic_iov writes the MIC_TOKEN buffer (length in, bytes written out);
//    verify_mic_iov reads it.
#ifndef KGSS_TOKEN_ENGINE_H
#define KGSS_TOKEN_ENGINE_H

#include "gss-kernel-lib/context.h"
#include "iov/layout.h"

namespace kgss {

// ---- RFC 4121 ------------------------------------------------------------------
kgss_status rfc4121_init_keys(kgss_ctx *c, const uint8_t *key); // at import
void rfc4121_clear_keys(kgss_ctx *c);
kgss_status rfc4121_wrap_iov_length(kgss_ctx *c, int conf_req, int *conf_state, const iov_layout &l);
kgss_status rfc4121_wrap_iov(kgss_ctx *c, int conf_req, int *conf_state, const iov_layout &l);
size_t rfc4121_wrap_confounder_len(const kgss_ctx *c, int conf_req); // bytes of PRNG output a Wrap takes
kgss_status rfc4121_unwrap_iov(kgss_ctx *c, int *conf_state, const iov_layout &l);
kgss_status rfc4121_get_mic_iov_length(kgss_ctx *c, const iov_layout &l);
kgss_status rfc4121_get_mic_iov(kgss_ctx *c, const iov_layout &l);
kgss_status rfc4121_verify_mic_iov(kgss_ctx *c, const iov_layout &l);

// ---- RFC 1964 (DES3, RC4) -------------------------------------------------------
kgss_status rfc1964_init_keys(kgss_ctx *c, const uint8_t *key);
void rfc1964_clear_keys(kgss_ctx *c);
kgss_status rfc1964_wrap_iov_length(kgss_ctx *c, int conf_req, int *conf_state, const iov_layout &l);
kgss_status rfc1964_wrap_iov(kgss_ctx *c, int conf_req, int *conf_state, const iov_layout &l);
size_t rfc1964_wrap_confounder_len(const kgss_ctx *c, int conf_req);
kgss_status rfc1964_unwrap_iov(kgss_ctx *c, int *conf_state, const iov_layout &l);
kgss_status rfc1964_get_mic_iov_length(kgss_ctx *c, const iov_layout &l);
kgss_status rfc1964_get_mic_iov(kgss_ctx *c, const iov_layout &l);
kgss_status rfc1964_verify_mic_iov(kgss_ctx *c, const iov_layout &l);

} // namespace kgss

#endif
