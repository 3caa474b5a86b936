// tools/kdc_env/kdc_env.h - the KEY=VALUE env file written by `scripts/kdc.sh start DIR`
// (DIR/env), read by the live-peer harnesses (tools/mit for MIT krb5, tools/heimdal for
// Heimdal).  No Kerberos header here: each harness is built against one implementation
// only, and both use this parser.
//
// Not thread-safe: kdc_env_load calls setenv.
#ifndef KGSS_TOOLS_KDC_ENV_H
#define KGSS_TOOLS_KDC_ENV_H

#include <string>

namespace kenv {

struct kdc_env {
	std::string path;        // the env file
	std::string dir;         // its directory (the KDC's DIR)
	std::string krb5_config; // KRB5_CONFIG
	std::string kdc_profile; // KRB5_KDC_PROFILE
	std::string ktname;      // KRB5_KTNAME
	std::string ccname;      // KRB5CCNAME
	std::string realm;       // KGSS_REALM
	std::string user;        // KGSS_USER (user@REALM)
	std::string password;    // KGSS_PASSWORD
	std::string service;     // KGSS_SERVICE (nfs/localhost@REALM): every enctype but 24
	std::string service_exp; // KGSS_SERVICE_EXP: the arcfour-hmac-exp (24) only principal
	int kdc_port = 0;
	int kdc_pid = 0;
};

// Reads the env file at `path` (empty: $KGSS_KDC_ENV), setenv()s KRB5_CONFIG,
// KRB5_KDC_PROFILE, KRB5_KTNAME, KRB5CCNAME and KRB5RCACHEDIR (= the KDC dir, so
// an acceptor's replay cache stays out of /var/tmp), and remembers the result.
// Loading the same file again is a no-op.  Returns false with *err set if the
// file is missing or lacks a field.
bool kdc_env_load(const std::string &path, std::string *err);
// The loaded environment, or nullptr if kdc_env_load has not succeeded.
const kdc_env *kdc_env_get();

} // namespace kenv

#endif
