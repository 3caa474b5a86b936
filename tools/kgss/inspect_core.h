// tools/kgss/inspect_core.h - the decoder behind `kgss inspect`, apart from
// its command line so that it can be fuzzed (tests/fuzz/fuzz_inspect.cc):
// takes the token as (bytes, length), writes its description to a FILE*.
// Everything here reads hostile bytes and must stay in bounds for any input.
#ifndef KGSS_TOOLS_KGSS_INSPECT_CORE_H
#define KGSS_TOOLS_KGSS_INSPECT_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <string>
#include <vector>

#include "kgss.h"
#include "tools/kgss/util.h"

namespace kcli {

// What is known about the receiver (from options or from the context).
struct receiver {
	int role = -1;   // 1 initiator, 0 acceptor, -1 unknown
	int subkey = -1; // RFC 4121 acceptor subkey: 1 / 0 / -1 unknown
	const enctype_facts *et = nullptr;
};

enum token_kind { TK_UNKNOWN, TK_MIC, TK_WRAP };

// The structural findings; every violation is also printed to `out`.
struct report {
	FILE *out;
	std::vector<std::string> violations;
	token_kind kind = TK_UNKNOWN;
	int protocol = -1;
	explicit report(FILE *f) : out(f) {}
	void bad(const std::string &s)
	{
		violations.push_back(s);
		fprintf(out, "  VIOLATION: %s\n", s.c_str());
	}
	// Off the RFC, but what real peers send and MIT and libkgss accept
	// (docs/interop.md): reported, not a violation.
	void note(const std::string &s) { fprintf(out, "  NOTE: %s\n", s.c_str()); }
};

// Decodes tok[0..n) field by field (RFC 4121, RFC 1964 with or without its
// DER framing) and prints it and a "format:" line to r.out.
void inspect_structure(const uint8_t *tok, size_t n, const receiver &rx, report &r);

// Verifies / decrypts the token through libkgss as the receiving context
// `ctx` (kgss_verify_mic for a MIC, or an unknown token when msg is given;
// else kgss_unwrap), prints the outcome and a "result:" line to out, and
// usage notes ("kgss inspect: ...") to err.  EXIT_OK (verified and no violations), EXIT_VERIFY, or EXIT_USAGE (a MIC
// token but no message).  *st receives the status of the libkgss call.
int inspect_verify(FILE *out, FILE *err, kgss_ctx *ctx, const uint8_t *tok, size_t n, const report &r, const bytes *msg,
		   kgss_status *st);

// File or stdin contents: printable text that is hex or base64 is decoded
// in place, else the bytes are taken raw; *how gets ", hex text" etc.
void decode_contents(bytes &raw, std::string *how);

} // namespace kcli

#endif
