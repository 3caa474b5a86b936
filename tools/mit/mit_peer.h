// tools/mit/mit_peer.h - a live MIT krb5 GSS-API peer for libkgss tests, the
// `kgss demo` tool and the benchmark.
//
// What it does:
//   1. Loads the env file written by `scripts/kdc.sh start DIR` (DIR/env) and
//      exports the KRB5_* variables from it, so that MIT krb5 in this process
//      talks only to the throwaway loopback KDC (never /etc/krb5.conf).
//   2. Establishes a real krb5 GSS-API context pair in-process: the initiator
//      gets credentials with the user's password (an AS exchange against the
//      KDC), is restricted to exactly ONE enctype with
//      gss_krb5_set_allowable_enctypes (so the ticket session key, the
//      initiator subkey and any acceptor subkey all have that enctype), and
//      runs gss_init_sec_context / gss_accept_sec_context in a bounded loop;
//      the acceptor uses the keytab named by the env file.
//   3. Exports one side with gss_krb5_export_lucid_sec_context(..., 1, ...)
//      (MIT deletes that GSS context on export) and keeps the OTHER side as
//      the live MIT peer, with thin wrappers for its per-message calls.
//
// Not thread-safe during mit_env_load (it calls setenv); everything else is
// as thread-safe as MIT's GSS library.  No exceptions are thrown by this code
// (std::bad_alloc aside).
#ifndef KGSS_TOOLS_MIT_PEER_H
#define KGSS_TOOLS_MIT_PEER_H

#include <stdint.h>
#include <string>
#include <vector>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>

#include "kgss.h"
#include "tools/kdc_env/kdc_env.h"

namespace kmit {

using bytes = std::vector<uint8_t>;

// ---- environment ------------------------------------------------------------
// The KEY=VALUE file written by scripts/kdc.sh (parsed by tools/kdc_env, shared
// with the Heimdal harness).
using mit_env = kenv::kdc_env;

// Reads the env file at `path` (empty: $KGSS_KDC_ENV), setenv()s KRB5_CONFIG,
// KRB5_KDC_PROFILE, KRB5_KTNAME, KRB5CCNAME and KRB5RCACHEDIR (= the KDC dir, so
// the acceptor's replay cache stays out of /var/tmp), and remembers the result
// for mit_establish.  Loading the same file again is a no-op.  Returns false
// with *err set if the file is missing or lacks a field.
bool mit_env_load(const std::string &path, std::string *err);
// The loaded environment, or nullptr if mit_env_load has not succeeded.
const mit_env *mit_env_get();

// ---- establishing a context pair --------------------------------------------
// Enctypes this harness can negotiate with the KDC from scripts/kdc.sh.
// 24 (arcfour-hmac-exp) goes to a service principal of its own (see kdc.sh).
extern const int mit_all_enctypes[9]; // 16 17 18 19 20 23 24 25 26
const char *mit_enctype_name(int enctype);

struct mit_establish_opts {
	int enctype = 18;
	bool mutual = true;           // GSS_C_MUTUAL_FLAG: CFX acceptors then send an acceptor subkey
	bool export_initiator = true; // export the initiator side (peer = acceptor), else the reverse
	// GSS flags requested besides MUTUAL.  The default asks MIT to check the
	// sequence numbers of everything it receives, so an importer that numbers
	// its tokens wrongly shows up as a GAP / UNSEQ / DUPLICATE supplementary
	// status on the MIT side.
	OM_uint32 req_flags = GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG | GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG;
	std::string target; // empty: the env's service principal for the enctype
	int max_rounds = 8; // bound on init/accept round trips
};

struct mit_pair {
	gss_ctx_id_t peer = GSS_C_NO_CONTEXT; // the live MIT side (the one not exported)
	void *lucid = nullptr;                // gss_krb5_lucid_context_v1_t *, the exported side
	bool lucid_is_initiator = false;
	int enctype = 0; // requested enctype
	bool mutual = false;
	OM_uint32 init_ret_flags = 0; // ret_flags of gss_init_sec_context
	OM_uint32 acc_ret_flags = 0;  // ret_flags of gss_accept_sec_context
	int rounds = 0;               // init/accept round trips used

	mit_pair() = default;
	mit_pair(const mit_pair &) = delete;
	mit_pair &operator=(const mit_pair &) = delete;
	mit_pair(mit_pair &&o) noexcept;
	mit_pair &operator=(mit_pair &&o) noexcept;
	~mit_pair();
};

// Establishes a pair as described above.  Loads the env from $KGSS_KDC_ENV if
// mit_env_load has not been called.  On failure returns false, *err names the
// failing step and the MIT/KDC error text, and *out is left empty.
bool mit_establish(const mit_establish_opts &opts, mit_pair *out, std::string *err);
bool mit_establish(int enctype, bool mutual, bool export_initiator, mit_pair *out, std::string *err);
// Frees the lucid (gss_krb5_free_lucid_sec_context) and deletes the peer
// context.  Idempotent; also done by ~mit_pair.
void mit_pair_free(mit_pair *p);

// Both sides live, nothing exported (export_initiator is ignored): for tests
// that need to copy a context before exporting it.
struct mit_live_pair {
	gss_ctx_id_t initiator = GSS_C_NO_CONTEXT;
	gss_ctx_id_t acceptor = GSS_C_NO_CONTEXT;
	OM_uint32 init_ret_flags = 0;
	OM_uint32 acc_ret_flags = 0;
	int rounds = 0;

	mit_live_pair() = default;
	mit_live_pair(const mit_live_pair &) = delete;
	mit_live_pair &operator=(const mit_live_pair &) = delete;
	~mit_live_pair(); // deletes what is still there
};
bool mit_establish_live(const mit_establish_opts &opts, mit_live_pair *out, std::string *err);

// Two identical copies of one context: gss_export_sec_context(*ctx) once (MIT
// deletes *ctx, which becomes GSS_C_NO_CONTEXT), gss_import_sec_context twice
// from the blob.  On failure nothing is left in *a, *b.
bool mit_context_twice(gss_ctx_id_t *ctx, gss_ctx_id_t *a, gss_ctx_id_t *b, std::string *err);

// The lucid context as MIT's type and as libkgss's layout-identical type
// (the identity of the two layouts is static_assert-ed in mit_peer.cc).
const gss_krb5_lucid_context_v1_t *mit_lucid(const mit_pair &p);
const kgss_lucid_context_v1 *mit_lucid_kgss(const mit_pair &p);
// The key the exported side protects messages with (acceptor subkey if
// present, else the context key; rfc1964 key for protocol 0).
const gss_krb5_lucid_key_t *mit_lucid_message_key(const mit_pair &p);

// ---- the peer's per-message calls ----------------------------------------------
struct mit_result {
	OM_uint32 major = 0;
	OM_uint32 minor = 0;
	bytes out;                                          // token (wrap, get_mic) or plaintext (unwrap)
	int conf_state = -1;                                // wrap / unwrap
	gss_qop_t qop = 0;                                  // unwrap / verify_mic
	bool ok() const { return major == GSS_S_COMPLETE; } // no supplementary bits either
};

mit_result mit_wrap(gss_ctx_id_t ctx, bool conf, const bytes &msg);
mit_result mit_unwrap(gss_ctx_id_t ctx, const bytes &token);
mit_result mit_get_mic(gss_ctx_id_t ctx, const bytes &msg);
mit_result mit_verify_mic(gss_ctx_id_t ctx, const bytes &msg, const bytes &token);

// IOV: one buffer per element; the helper owns the storage.
struct mit_iov_buf {
	OM_uint32 type = GSS_IOV_BUFFER_TYPE_EMPTY; // GSS_IOV_BUFFER_TYPE_* (no flags)
	bytes data;
};
// HEADER, PADDING, TRAILER buffers are sized with gss_wrap_iov_length first
// (their contents on entry are ignored); DATA is encrypted in place.
mit_result mit_wrap_iov(gss_ctx_id_t ctx, bool conf, std::vector<mit_iov_buf> &iov);
// Decrypts DATA in place.  With STREAM | DATA (DATA empty on entry) DATA
// receives a copy of the plaintext.
mit_result mit_unwrap_iov(gss_ctx_id_t ctx, std::vector<mit_iov_buf> &iov);
// MIC_TOKEN is sized with gss_get_mic_iov_length and filled.
mit_result mit_get_mic_iov(gss_ctx_id_t ctx, std::vector<mit_iov_buf> &iov);
mit_result mit_verify_mic_iov(gss_ctx_id_t ctx, std::vector<mit_iov_buf> &iov);

// Convenience: gss_wrap_iov over HEADER | DATA | PADDING [| TRAILER] and the
// single token those buffers form when concatenated in that order (which is
// what gss_unwrap accepts).  Without a TRAILER buffer a CFX token carries its
// trailer in the header, i.e. RRC = trailer length (RFC 4121 4.2.5).
mit_result mit_wrap_iov_token(gss_ctx_id_t ctx, bool conf, const bytes &msg, bool with_trailer);
// gss_unwrap_iov over STREAM | DATA; .out = plaintext.
mit_result mit_unwrap_iov_stream(gss_ctx_id_t ctx, const bytes &token);

// "major: text; minor: text" via gss_display_status (bounded loops).
std::string mit_status_string(OM_uint32 major, OM_uint32 minor);

} // namespace kmit

#endif
