// tools/kgss/util.h - small helpers shared by the subcommands of `kgss`:
// exit codes, hex / base64, files, option parsing, libkgss option setup.
#ifndef KGSS_TOOLS_KGSS_UTIL_H
#define KGSS_TOOLS_KGSS_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <vector>

#include "kgss.h"

namespace kcli {

using bytes = std::vector<uint8_t>;

// Exit codes every subcommand uses (documented in `kgss --help`).
enum {
	EXIT_OK = 0,     // success
	EXIT_VERIFY = 1, // verification / decoding failure, a violation, a failed case
	EXIT_USAGE = 2,  // bad command line
	EXIT_ENV = 3,    // environment: missing package, KDC, file, unbuilt program
};

// ---- text encodings ------------------------------------------------------------
// Hex digits with optional whitespace, ':' separators and a leading "0x".
// False on anything else or an odd number of digits.
bool hex_decode(const std::string &s, bytes *out);
// RFC 4648 base64 (also the URL-safe alphabet), whitespace ignored, padding
// optional but checked when present.  False on anything else.
bool base64_decode(const std::string &s, bytes *out);
std::string hex_encode(const uint8_t *p, size_t n);
inline std::string hex_encode(const bytes &b) { return hex_encode(b.data(), b.size()); }
// Bytes as printable ASCII, '.' for the rest.
std::string printable(const uint8_t *p, size_t n);
// Prints a hex dump with an ASCII column, each line prefixed by `indent`.
void hexdump(FILE *f, const uint8_t *p, size_t n, const char *indent);

// ---- files -----------------------------------------------------------------------
// "-" reads stdin.  False with *err set on any error.
bool read_file(const std::string &path, bytes *out, std::string *err, size_t max = 64u << 20);
// Writes with mode 0600 (files may hold keys), replacing an existing file.
bool write_file(const std::string &path, const uint8_t *p, size_t n, std::string *err);
bool file_exists(const std::string &path);
// Directory of the running executable (from /proc/self/exe), "" if unknown.
std::string exe_dir();
// Searches $PATH for an executable named `name`; "" if none.
std::string find_in_path(const std::string &name);

// ---- numbers, status ---------------------------------------------------------------
bool parse_int(const std::string &s, long min, long max, long *out);
// "0x000d0000 FAILURE"
std::string status_str(kgss_status s);

// ---- enctypes as the tool knows them (public facts; the library is not asked) ----
struct enctype_facts {
	int etype;
	const char *name;
	int protocol; // 1 = RFC 4121, 0 = RFC 1964
	size_t key_len;
	size_t conf_len;   // confounder (RFC 4121: cipher block; RFC 1964: 8)
	size_t cksum_len;  // RFC 4121 checksum; RFC 1964 SGN_CKSUM
	uint32_t sign_alg; // RFC 1964 only
	uint32_t seal_alg; // RFC 1964 only
};
const enctype_facts *enctype_lookup(int etype);
extern const int k_all_enctypes[9]; // 16 17 18 19 20 23 24 25 26

// ---- backends ---------------------------------------------------------------------
// "builtin" or "openssl" (when built with libkgss_openssl).  Fills *o with
// kgss_options_init_user() and the backend (and, for OpenSSL, its PRNG).
// False if the name is unknown or the backend is not compiled in.
bool backend_options(const std::string &name, kgss_options *o, std::string *err);
bool have_openssl();

// ---- a libkgss context that frees itself ----------------------------------------
struct ctx_holder {
	kgss_ctx *c = nullptr;
	ctx_holder() = default;
	ctx_holder(const ctx_holder &) = delete;
	ctx_holder &operator=(const ctx_holder &) = delete;
	~ctx_holder() { kgss_ctx_free(c); }
};

// Wipes a buffer in a way the compiler keeps.
void wipe(void *p, size_t n);
inline void wipe(bytes &b)
{
	if (!b.empty())
		wipe(b.data(), b.size());
}

} // namespace kcli

#endif
