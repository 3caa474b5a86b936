// gss-kernel-lib/import.h - internal glue shared by the three import paths
// (lucid/lucid_v1.cc, lucid/downcall.cc, lucid/serialized.cc), the context
// code and libkgss_user.  Not part of the public API.
#ifndef KGSS_IMPORT_H
#define KGSS_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "kgss.h"
#include "gss-kernel-lib/context.h"

namespace kgss {

// Largest key any enctype uses (aes256 / camellia256: 32 bytes); parsers
// reject anything longer than this before looking further.
constexpr size_t MAX_KEY_BYTES = 64;

// Resolves the caller's options into *out: NULL -> defaults; otherwise the
// first min(struct_size, sizeof(kgss_options)) bytes are taken from *in and
// the rest keep their defaults (older callers), bytes beyond our
// sizeof(kgss_options) are ignored (newer callers).  A struct_size too small
// to hold even `flags` means the caller never ran kgss_options_init:
// KGSS_S_FAILURE.  crypto NULL -> kgss_crypto_builtin().
kgss_status options_resolve(const kgss_options *in, kgss_options *out);

// Every check an import makes on p and the backend (import.cc), without
// touching memory: COMPLETE, DEFECTIVE_TOKEN (malformed), UNAVAILABLE
// (enctype unknown, compiled out, or missing from the backend), FAILURE (bad
// options).
kgss_status ctx_validate(const ctx_params *p, const kgss_options *opts);

// Common tail of every import (import.cc): checks p, then with mem != NULL
// builds the context in the caller's memory (the *_into variants); with mem
// == NULL allocates sizeof(kgss_ctx) through opts->alloc (NULL alloc ->
// FAILURE) and builds it there, freeing it again (same size) if setup
// fails.  *out is NULL on any failure.
kgss_status import_params(void *mem, size_t mem_len, const ctx_params *p, const kgss_options *opts, kgss_ctx **out);

// The whole body of every kgss_import_<format>[_into] entry point, for the
// format parser `parse` (buf, len bytes, into *p): *out is NULL first (if
// out is not NULL); into (the *_into variants) with mem == NULL, or out ==
// NULL, is KGSS_S_FAILURE; otherwise parse(buf, len) and, when it succeeds,
// import_params(mem, mem_len, ...).  A template so that the parser is called
// directly (no function pointer: no GOT reference in the PIC core).
template <kgss_status (*parse)(const void *buf, size_t len, ctx_params *p)>
kgss_status import_parsed(bool into, void *mem, size_t mem_len, const void *buf, size_t len, const kgss_options *opts,
			  kgss_ctx **out)
{
	if (out != nullptr)
		*out = nullptr;
	if (out == nullptr || (into && mem == nullptr))
		return KGSS_S_FAILURE;
	ctx_params p;
	kgss_status st = parse(buf, len, &p);
	if (st != KGSS_S_COMPLETE)
		return st;
	return import_params(mem, mem_len, &p, opts, out);
}

// The portable serialization (lucid/serialized.cc).  Parses buf strictly
// into *p; p->key then points into buf.  Used by kgss_import_serialized and
// by libkgss_user's kgss_serialized_describe.
//
// Format version 1, all integers big-endian:
//   off  size  field
//     0     4  magic "KGSS"
//     4     2  format version (1)
//     6     2  flags: 0x1 initiator, 0x2 acceptor subkey (protocol 1 only)
//     8     4  total length of the encoding, this field's bytes included
//    12     4  protocol (0 = RFC 1964, 1 = RFC 4121)
//    16     8  endtime (seconds since the epoch)
//    24     8  send_seq
//    32     8  recv_seq
//    40     4  sign_alg (protocol 0; 0xffffffff = not stated, always for protocol 1)
//    44     4  seal_alg (likewise)
//    48     4  enctype (signed)
//    52     2  key length K (1..64)
//    54     K  key
//  54+K     4  end marker "KEND"
// Total: SERIALIZED_FIXED + K bytes.
constexpr size_t SERIALIZED_FIXED = 58;
constexpr uint16_t SERIALIZED_VERSION = 1;
constexpr uint16_t SERIALIZED_F_INITIATOR = 0x1;
constexpr uint16_t SERIALIZED_F_ACCEPTOR_SUBKEY = 0x2;
kgss_status serialized_parse(const void *buf, size_t len, ctx_params *p);

// The Linux downcall buffer (lucid/downcall.cc), host byte order:
//   u32 flags | u32 endtime | u64 send_seq | u32 enctype | key
constexpr size_t DOWNCALL_FIXED = 20;
constexpr uint32_t DOWNCALL_F_INITIATOR = 0x1;
constexpr uint32_t DOWNCALL_F_CFX = 0x2;
constexpr uint32_t DOWNCALL_F_ACCEPTOR_SUBKEY = 0x4;
kgss_status downcall_parse(const void *buf, size_t len, ctx_params *p);

// Reads a kgss_lucid_context_v1 (lucid/lucid_v1.cc) into *p; p->key then
// points at the caller's key bytes.
kgss_status lucid_v1_parse(const kgss_lucid_context_v1 *l, ctx_params *p);

} // namespace kgss

#endif
