// tests/crypto_kat/kat_util.h - shared helpers: the backends under test,
// per-(check, enctype, backend) run counters printed at exit, and
// contiguous/segmented wrappers around the enctype operations.
#ifndef KGSS_TESTS_KAT_UTIL_H
#define KGSS_TESTS_KAT_UTIL_H

#include <memory>
#include <string>
#include <vector>

#include "backends.h"
#include "crypto/enctype.h"
#include "crypto/mac.h"
#include "kgss_crypto.h"
#include "testutil.h"

namespace katu {

using kt::bytes;

// The backends under test: the one list of tests/backend_conformance/
// backends.cc (builtin, builtin-portable, each builtin SIMD class, openssl,
// nettle when built).  A backend lacking a primitive an enctype needs is
// counted "unavailable" for it, never run.
using backend = kbe::backend;
inline const std::vector<backend> &backends() { return kbe::backends(); }

// Counts one run (or one "unavailable": the backend lacks a primitive) of a
// check; the table is printed when the process exits.
void count(const std::string &check, const std::string &what, const char *backend_label);
void count_unavailable(const std::string &check, const std::string &what, const char *backend_label);
// Total runs recorded for a check (all enctypes and backends).
long total(const std::string &check);

// Heap-allocated, zero-filled key objects (they are ~1 KiB).
std::unique_ptr<kgss::enc_key> new_enc_key();
std::unique_ptr<kgss::mac_key> new_mac_key();

// Recovered confounder from a block's "# recovered confounder = ..." comment.
bool recovered_confounder(const kt::vector_block &b, bytes *out);

// RFC 3961 output layout: enc | tag, except RC4 (RFC 4757): tag | enc.
bytes join_ct(const kgss::enctype *et, const bytes &enc, const bytes &tag);
bool split_ct(const kgss::enctype *et, const bytes &ct, bytes *enc, bytes *tag);

// Contiguous encrypt: conf | plain (DES3: zero-padded to 8) -> full ciphertext.
kgss_status encrypt_contig(const kgss::enctype *et, const kgss::enc_key *k, const bytes &conf, const bytes &plain,
			   bytes *ct);
// Contiguous decrypt of a full ciphertext -> conf | plain (| padding).
kgss_status decrypt_contig(const kgss::enctype *et, const kgss::enc_key *k, const bytes &ct, bytes *out);

std::string et_label(int32_t etype);

} // namespace katu

#endif
