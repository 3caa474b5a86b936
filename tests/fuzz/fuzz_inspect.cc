// tests/fuzz/fuzz_inspect.cc - libFuzzer target: the decoder of `kgss inspect`
// (tools/kgss/inspect_core.cc) and the CLI's text parsers (tools/kgss/util.cc).
// Input: selector byte (fuzz_common.h; the receive window bit is ignored: the
// CLI checks one token without a window) | mode byte | payload.
//   mode & 3 == 0  no key: inspect_structure(payload), the receiver described
//                  by the selector as far as mode bits 2..4 say (role, enctype,
//                  acceptor subkey) - like --role / --enctype / --acceptor-subkey
//   mode & 3 == 1  with a key: payload = m | message | token, m bit 7 = a
//                  message is given (--message), bits 0..6 its length (clamped);
//                  inspect_structure + inspect_verify with the selector's
//                  receiving context (fixed key per enctype, both roles)
//   mode & 3 == 2  text: payload parsed by hex_decode, base64_decode,
//                  decode_contents (a file's contents) or the auto order hex then
//                  base64 (mode bits 5..6), the result decoded as with mode 0
//   mode & 3 == 3  round trip: payload encoded as hex or base64 text in a style
//                  the CLI accepts (mode bits 2..7: separators, 0x, case,
//                  padding, URL alphabet, line breaks), decoded back
// Invariants: no memory error (ASan/UBSan); one "VIOLATION:" line per reported
// violation and a "format:" line saying well-formed exactly when there is none;
// with a key: "result: VERIFIED" exactly when libkgss accepted the token and
// the format has no violation, and the context still works afterwards; a
// successful text parse yields at most n/2 (hex) or 3n/4 (base64) bytes and
// re-encodes to the same bytes; the round trip is exact.
// Replay (fuzz_replay_inspect): ok-* inputs must be accepted - by libkgss with
// a key, else decoded as well-formed - and bad-* rejected.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <string>
#include <vector>

#include "fuzz_common.h"
#include "tools/kgss/inspect_core.h"
#include "tools/kgss/util.h"

namespace {

using kcli::bytes;

// Lines of s that start with prefix.  Token bytes reach the output only
// inside hex dumps and quoted text, never at the start of a line, so a token
// cannot forge these lines.
size_t lines_starting(const std::string &s, const char *prefix)
{
	const size_t n = strlen(prefix);
	size_t count = 0;
	for (size_t p = 0; p < s.size();) {
		if (s.compare(p, n, prefix) == 0)
			count++;
		const size_t nl = s.find('\n', p);
		if (nl == std::string::npos)
			break;
		p = nl + 1;
	}
	return count;
}

// Runs the decoder (and, with ctx, the verifier) with its output in memory and
// checks what it printed against what it returned.  Records COMPLETE when the
// token is well-formed (no key) or verified (key), else DEFECTIVE_TOKEN /
// libkgss's status.
void inspect(const bytes &tok, const kcli::receiver &rx, kgss_ctx *ctx, const bytes *msg)
{
	char *text = nullptr;
	size_t text_len = 0;
	FILE *out = open_memstream(&text, &text_len);
	if (!out)
		kf::fail("open_memstream");
	kcli::report r(out);
	// An exactly sized copy: ASan sees a read past the token.
	bytes copy(tok);
	kcli::inspect_structure(copy.empty() ? nullptr : copy.data(), copy.size(), rx, r);
	int rc = -1;
	const kgss_status unset = 0xffffffffu; // no libkgss status has every bit set
	kgss_status st = unset;
	if (ctx)
		rc = kcli::inspect_verify(out, out, ctx, copy.empty() ? nullptr : copy.data(), copy.size(), r, msg,
					  &st);
	const bool st_set = st != unset;
	if (fclose(out) != 0)
		kf::fail("fclose of the memory stream");
	std::string s(text, text_len);
	free(text);
	if (copy != tok)
		kf::fail("inspect wrote to the token");

	if (lines_starting(s, "  VIOLATION: ") != r.violations.size())
		kf::fail("VIOLATION lines and reported violations differ");
	const bool wf = lines_starting(s, "format: well-formed (no violations)\n") == 1;
	if (wf != r.violations.empty() || lines_starting(s, "format: ") != 1)
		kf::fail("format line disagrees with the violations");
	if (s.compare(0, 6, "token:") != 0)
		kf::fail("output does not start with the token line");
	if (!ctx) {
		kf::record(r.violations.empty() ? KGSS_S_COMPLETE : KGSS_S_DEFECTIVE_TOKEN);
		return;
	}
	if (rc == kcli::EXIT_USAGE) {
		// a MIC token and no message: nothing verified, the user told why
		if (msg || r.kind == kcli::TK_WRAP || st_set ||
		    lines_starting(s, "kgss inspect: a MIC token covers a message") != 1 ||
		    lines_starting(s, "result: ") != 0)
			kf::fail("inspect_verify asked for a message it had or did not need");
		return;
	}
	if (!st_set)
		kf::fail("inspect_verify returned no status");
	kf::record(st);
	const bool verified = lines_starting(s, "result: VERIFIED\n") == 1;
	if (lines_starting(s, "result: ") != 1)
		kf::fail("not exactly one result line", st);
	if ((rc == kcli::EXIT_OK) != (st == KGSS_S_COMPLETE && r.violations.empty()) ||
	    verified != (rc == kcli::EXIT_OK))
		kf::fail("result line disagrees with libkgss and the violations", st);
	if (rc != kcli::EXIT_OK && rc != kcli::EXIT_VERIFY)
		kf::fail("inspect_verify returned an unexpected exit code", st);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	kf::config cfg = kf::config_of(data[0]);
	cfg.window = false;
	const kf::etype_info &ei = kf::kEtypes[cfg.et];
	const unsigned mode = data[1];
	const uint8_t *pl = data + 2;
	const size_t pn = size - 2;

	kcli::receiver hint; // what --role / --enctype / --acceptor-subkey would say
	if (mode & 4)
		hint.role = cfg.initiator ? 1 : 0;
	if (mode & 8)
		hint.et = kcli::enctype_lookup(ei.etype);
	if ((mode & 16) && ei.protocol == 1)
		hint.subkey = cfg.subkey ? 1 : 0;

	switch (mode & 3) {
	case 0:
		inspect(bytes(pl, pl + pn), hint, nullptr, nullptr);
		break;
	case 1: {
		if (pn < 1)
			return 0;
		kf::pair &p = kf::pair_for(cfg);
		const bool have_msg = pl[0] & 0x80;
		const size_t mlen = (size_t)(pl[0] & 0x7f) < pn - 1 ? (size_t)(pl[0] & 0x7f) : pn - 1;
		const bytes msg(pl + 1, pl + 1 + mlen);
		const bytes tok(pl + 1 + mlen, pl + pn);
		// the receiver as the CLI learns it from the context (kgss_ctx_inquire)
		kgss_ctx_info info;
		memset(&info, 0, sizeof info);
		kgss_status st = kgss_ctx_inquire(p.self, &info);
		if (st != KGSS_S_COMPLETE)
			kf::fail("kgss_ctx_inquire", st);
		kcli::receiver rx;
		rx.role = info.initiator ? 1 : 0;
		rx.et = kcli::enctype_lookup(info.enctype);
		rx.subkey = info.protocol == 1 ? (info.acceptor_subkey ? 1 : 0) : -1;
		if (!rx.et)
			kf::fail("the CLI does not know the context's enctype");
		inspect(tok, rx, p.self, have_msg ? &msg : nullptr);
		kf::check_alive(p, "context broken after kgss inspect verified a hostile token");
		break;
	}
	case 2: {
		const std::string s(reinterpret_cast<const char *>(pl), pn);
		bytes b = {0xee}; // a failed parse must leave the output alone
		bool ok = false;
		switch ((mode >> 5) & 3) {
		case 0:
			ok = kcli::hex_decode(s, &b);
			if (!ok && b != bytes{0xee})
				kf::fail("hex_decode failed but changed its output");
			if (ok && b.size() > pn / 2)
				kf::fail("hex_decode produced more bytes than the text holds");
			break;
		case 1:
			ok = kcli::base64_decode(s, &b);
			if (!ok && b != bytes{0xee})
				kf::fail("base64_decode failed but changed its output");
			if (ok) {
				bytes back;
				if (b.size() > pn * 3 / 4 || !kcli::base64_decode(kf::base64_text(b, 2), &back) ||
				    back != b)
					kf::fail("base64_decode result does not re-encode to itself");
			}
			break;
		case 2: {
			b.assign(pl, pl + pn);
			std::string how;
			kcli::decode_contents(b, &how);
			ok = how == ", raw bytes"
				     ? b == bytes(pl, pl + pn)
				     : (how == ", hex text" || how == ", base64 text") && !b.empty() && b.size() < pn;
			if (!ok)
				kf::fail("decode_contents: result and description disagree");
			break;
		}
		default: {
			bytes h;
			ok = kcli::hex_decode(s, &h) && !h.empty();
			if (ok)
				b.swap(h);
			else
				ok = kcli::base64_decode(s, &b) && !b.empty();
			break;
		}
		}
		if (!ok) {
			kf::record(KGSS_S_DEFECTIVE_TOKEN);
			return 0;
		}
		if (((mode >> 5) & 3) == 0) {
			bytes back;
			if (!kcli::hex_decode(kcli::hex_encode(b), &back) || back != b)
				kf::fail("hex_decode result does not re-encode to itself");
		}
		inspect(b, hint, nullptr, nullptr);
		break;
	}
	default: {
		const bytes in(pl, pl + pn);
		const unsigned style = mode >> 3;
		bytes back;
		if (mode & 4) {
			if (!kcli::base64_decode(kf::base64_text(in, style), &back) || back != in)
				kf::fail("base64 round trip");
		} else {
			if (!kcli::hex_decode(kf::hex_text(in, style), &back) || back != in)
				kf::fail("hex round trip");
		}
		kf::record(KGSS_S_COMPLETE);
		break;
	}
	}
	return 0;
}
