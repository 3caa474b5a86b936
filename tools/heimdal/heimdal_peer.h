// tools/heimdal/heimdal_peer.h - a live Heimdal GSS-API krb5 peer for libkgss tests.
//
// The Heimdal counterpart of tools/mit/mit_peer.h, built against Heimdal 7.8
// (Debian heimdal-multidev: /usr/include/heimdal, `pkg-config heimdal-gssapi
// heimdal-krb5`).  MIT's and Heimdal's gssapi.h declare the same names, so
// this header and everything that includes it must never see an MIT header,
// and a binary linking this harness must not link MIT's libgssapi_krb5.
//
// What it does, against the MIT KDC of scripts/kdc.sh (the env file names
// KRB5_CONFIG, the keytab, the user and the password; Heimdal reads them too):
//   1. The initiator gets a TGT with Heimdal's krb5_get_init_creds_password
//      into a fresh MEMORY ccache for every pair (Heimdal reuses a cached
//      service ticket whatever enctype is asked for, so a ccache shared between
//      enctypes would hand out the first enctype's session key every time),
//      imports it with gss_krb5_import_cred and restricts the credential to ONE
//      enctype with gss_krb5_set_allowable_enctypes.
//   2. gss_init_sec_context / gss_accept_sec_context in a bounded loop; the
//      acceptor uses the default keytab (KRB5_KTNAME).
//   3. One side is exported with gss_krb5_export_lucid_sec_context(..., 1, ...),
//      the other stays the live Heimdal peer.
#ifndef KGSS_TOOLS_HEIMDAL_PEER_H
#define KGSS_TOOLS_HEIMDAL_PEER_H

#include <stdint.h>
#include <string>
#include <vector>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>

#include "kgss.h"

namespace kheim {

using bytes = std::vector<uint8_t>;

// Loads the env file of scripts/kdc.sh (empty path: $KGSS_KDC_ENV) and exports
// the KRB5_* variables from it (tools/kdc_env).  Not thread-safe (setenv).
bool heim_env_load(const std::string &path, std::string *err);

const char *heim_enctype_name(int enctype);

struct heim_establish_opts {
	int enctype = 18;
	bool mutual = true;           // GSS_C_MUTUAL_FLAG
	bool export_initiator = true; // export the initiator (peer = acceptor), else the reverse
	// GSS flags besides MUTUAL.  Default: the live Heimdal peer checks the
	// sequence numbers of what it receives.
	OM_uint32 req_flags = GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG | GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG;
	int max_rounds = 8; // bound on init/accept round trips
};

struct heim_pair {
	gss_ctx_id_t peer = GSS_C_NO_CONTEXT; // the live Heimdal side
	void *lucid = nullptr;                // gss_krb5_lucid_context_v1_t *, the exported side
	bool lucid_is_initiator = false;
	int enctype = 0;
	bool mutual = false;
	OM_uint32 init_ret_flags = 0;
	OM_uint32 acc_ret_flags = 0;
	int rounds = 0;

	heim_pair() = default;
	heim_pair(const heim_pair &) = delete;
	heim_pair &operator=(const heim_pair &) = delete;
	~heim_pair();
};

// Establishes a pair as described above; on failure *err names the step and
// Heimdal's error text.
bool heim_establish(const heim_establish_opts &opts, heim_pair *out, std::string *err);
void heim_pair_free(heim_pair *p);

// The exported lucid context (Heimdal's layout is MIT's and libkgss's; the
// identity is static_assert-ed in heimdal_peer.cc).
const gss_krb5_lucid_context_v1_t *heim_lucid(const heim_pair &p);
const kgss_lucid_context_v1 *heim_lucid_kgss(const heim_pair &p);

struct heim_result {
	OM_uint32 major = 0;
	OM_uint32 minor = 0;
	bytes out; // token (wrap, get_mic) or plaintext (unwrap)
	int conf_state = -1;
	gss_qop_t qop = 0;
	bool ok() const { return major == GSS_S_COMPLETE; }
};

// Each call works on a copy of its inputs (Heimdal may rewrite a token in place).
heim_result heim_wrap(gss_ctx_id_t ctx, bool conf, const bytes &msg);
heim_result heim_unwrap(gss_ctx_id_t ctx, const bytes &token);
heim_result heim_get_mic(gss_ctx_id_t ctx, const bytes &msg);
heim_result heim_verify_mic(gss_ctx_id_t ctx, const bytes &msg, const bytes &token);
// gss_wrap_iov over HEADER | DATA | PADDING [| TRAILER], concatenated into one
// token (without TRAILER a CFX token carries its trailer in the header: RRC != 0).
heim_result heim_wrap_iov_token(gss_ctx_id_t ctx, bool conf, const bytes &msg, bool with_trailer);
// gss_unwrap_iov over HEADER | DATA | PADDING | TRAILER (copies of the four parts of
// a token made with that layout); .out = the plaintext DATA.  (Heimdal 7.8 answers a
// STREAM | DATA layout with GSS_S_FAILURE, minor EINVAL.)
heim_result heim_unwrap_iov_parts(gss_ctx_id_t ctx, const bytes &header, const bytes &data, const bytes &padding,
				  const bytes &trailer);

std::string heim_status_string(OM_uint32 major, OM_uint32 minor);

} // namespace kheim

#endif
