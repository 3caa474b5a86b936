// tests/fuzz/fuzz_common.h - shared by every libFuzzer target of libkgss
// (tests/fuzz/fuzz_*.cc), by the corpus replay driver and by the seed
// generator.
//
// Token targets attack a *receiving* context chosen by the first input byte
// (enctype x role x acceptor subkey x receive window).  Every receiving
// context has a peer that sends it valid tokens; both are imported once,
// from fixed keys, into static memory with kgss_import_lucid_v1_into, so no
// input allocates a context.  After every input the target calls
// check_alive(): the receiving context must still unwrap and verify fresh
// tokens from its peer, or the process aborts (libFuzzer reports a crash).
#ifndef KGSS_FUZZ_COMMON_H
#define KGSS_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <vector>

#include "kgss.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace kf {

// The nine enctypes, as a lucid context names them.
struct etype_info {
	int32_t etype;     // 16, 17, 18, 19, 20, 23, 24, 25, 26
	uint32_t protocol; // 0: RFC 1964, 1: RFC 4121
	uint32_t key_len;
	uint32_t sign_alg; // protocol 0 only
	uint32_t seal_alg;
};
constexpr size_t kNumEtypes = 9;
extern const etype_info kEtypes[kNumEtypes];

// What the selector byte (first input byte of the token targets) chooses.
struct config {
	size_t et;      // index into kEtypes
	bool initiator; // role of the receiving (attacked) context
	bool subkey;    // RFC 4121: acceptor subkey; RFC 1964 DES3: key type 16 instead of 6
	bool window;    // KGSS_OPT_REPLAY_DETECT | KGSS_OPT_SEQUENCE_DETECT on the receiver
};
constexpr unsigned kNumConfigs = kNumEtypes * 8;
config config_of(uint8_t selector);
uint8_t selector_of(const config &c);

struct pair {
	kgss_ctx *self; // the context under attack
	kgss_ctx *peer; // sends valid tokens to self
	// Valid tokens from peer, made once: a sealed Wrap of kAliveMsg and a
	// MIC over it (replays are fine: the window only adds supplementary bits).
	uint8_t wrap_tok[160];
	size_t wrap_len;
	uint8_t mic_tok[96];
	size_t mic_len;
	unsigned long checks;
};
// Imported on first use (aborts if the import fails).
pair &pair_for(const config &c);

// A lucid context for enctype kEtypes[et] with this module's fixed keys.
// key_store must hold 2 * 64 bytes and outlive the struct.
void make_lucid(kgss_lucid_context_v1 *l, size_t et, bool initiator, bool subkey, uint64_t send_seq, uint64_t recv_seq,
		uint8_t *key_store);

// Options: builtin crypto, a deterministic never-failing PRNG, optional
// receive window; alloc/free through malloc/free with a live-block count.
void make_options(kgss_options *o, bool window, bool with_alloc);
long live_allocations();

// A valid round trip each way and a MIC each way between a and b (a
// initiator or acceptor, b the other side): aborts with `what` on failure.
// receiver_only: only b -> a is checked (a is the attacked context).
void check_alive(kgss_ctx *a, kgss_ctx *b, const char *what, bool receiver_only = false);
// After a hostile input on p.self: p.self must unwrap and verify p's cached
// valid tokens (every call) and tokens freshly made by p.peer - a sealed and
// an integrity-only Wrap and a MIC (every 16th call per pair, to keep the
// fuzzer fast; see docs/robustness.md).
void check_alive(pair &p, const char *what);

// ---- the import targets (fuzz_import_*.cc) --------------------------------------------
// Each imports its input twice, into static memory (*_into -> a) and
// allocated (-> b), and on success imports a role-swapped twin as the peer.
constexpr size_t kImportMem = 16384;
// Memory for a and for the peer, kImportMem bytes each, 16-byte aligned.
uint8_t *import_mem_self();
uint8_t *import_mem_peer();
// kgss_ctx_size(), aborting when it outgrew kImportMem.
size_t import_need();
// The two imports agree (else abort naming `api`); a failure leaves *ctx_out
// NULL, nothing allocated, and is DEFECTIVE_TOKEN or UNAVAILABLE.  Records
// st_into for the replay driver.  True when the input was accepted.
bool import_accepted(kgss_status st_into, kgss_status st_alloc, const kgss_ctx *a, const kgss_ctx *b, const char *api);
// The end of an accepted import of `what` ("downcall", "lucid context"...):
// the peer import (peer_st) succeeded and round-trips tokens with a and b;
// freeing all three leaves nothing allocated; the freed *_into context a
// then answers NO_CONTEXT.
void finish_accepted_import(kgss_ctx *a, kgss_ctx *b, kgss_ctx *peer, kgss_status peer_st, const char *what);

// Aborts, naming the broken invariant (libFuzzer then saves the input).
[[noreturn]] void fail(const char *what, kgss_status st = 0);

// True when every byte of p[0..n) is zero.
bool all_zero(const uint8_t *p, size_t n);

// The outcome of the last input, for the replay driver's expectations.
extern kgss_status last_status;
extern bool last_status_set;
inline void record(kgss_status st)
{
	last_status = st;
	last_status_set = true;
}

// b as hex or base64 text in a style `kgss inspect` accepts (for its fuzz
// target and seeds).  hex: style bit 0 upper case, 1 "0x", 2 leading
// whitespace, 3 a separator between bytes (bit 4: ':' instead of ' ').
// base64: bit 0 URL-safe alphabet, 1 '=' padding, 2 a line break every 76
// characters (bit 3: CRLF).
std::string hex_text(const std::vector<uint8_t> &b, unsigned style);
std::string base64_text(const std::vector<uint8_t> &b, unsigned style);

} // namespace kf

#endif
