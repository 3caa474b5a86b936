// tests/fuzz/fuzz_seedgen.cc - writes the seed corpora of the fuzz targets
// (tests/fuzz/corpus/<target>/) from valid tokens and contexts of every kind.
//   fuzz_seedgen <corpus-dir>
// Files named ok-* must be accepted (COMPLETE) by their target, bad-* must be
// rejected; the corpus replay tests (fuzz_replay_*) check exactly that.
// Deterministic: the PRNG and keys are fixed, so a rerun rewrites the same
// bytes.
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "fuzz_common.h"
#include "kgss_user.h"

using bytes = std::vector<uint8_t>;

namespace {

std::string root;
int written = 0;

void put_inspect(const char *target, const std::string &name, const bytes &b);

void put(const char *target, const std::string &name, const bytes &b)
{
	std::string dir = root + "/" + target;
	mkdir(dir.c_str(), 0755);
	std::string path = dir + "/" + name;
	FILE *f = fopen(path.c_str(), "wb");
	if (!f || fwrite(b.data(), 1, b.size(), f) != b.size() || fclose(f) != 0)
		kf::fail(("cannot write " + path).c_str());
	written++;
	put_inspect(target, name, b);
}

// fuzz_inspect (tests/fuzz/fuzz_inspect.cc): every kgss_unwrap and
// kgss_verify_mic seed once more through the decoder of `kgss inspect`, with
// the receiving context's key (ok / bad as for the library) and without a key
// with the receiver described (valid tokens must decode as well-formed); the
// valid sealed tokens of acceptors also as hex and base64 text.
void put_inspect(const char *target, const std::string &name, const bytes &b)
{
	const bool mic = strcmp(target, "verify_mic") == 0;
	if (!mic && strcmp(target, "unwrap") != 0)
		return;
	const bool ok = name.compare(0, 3, "ok-") == 0;
	const size_t skip = mic ? 2 + b[1] : 1; // selector [| len | message]
	const bytes tok(b.begin() + skip, b.end());
	bytes t = {b[0], 1, 0};
	if (mic) {
		t[2] = (uint8_t)(0x80 | b[1]); // a message of b[1] bytes is given
		t.insert(t.end(), b.begin() + 2, b.begin() + skip);
	}
	t.insert(t.end(), tok.begin(), tok.end());
	put("inspect", name + "-key", t);
	const uint8_t described = 4 | 8 | 16; // role, enctype, acceptor subkey known
	t = {b[0], described};
	t.insert(t.end(), tok.begin(), tok.end());
	put("inspect", (ok ? "" : "x-") + name + "-nokey", t);
	if (!ok || name.find("-acc-sealed13") == std::string::npos)
		return;
	// text: mode 2, parser in bits 5..6 (hex, base64, file contents, auto)
	const std::string texts[4] = {kf::hex_text(tok, 1 | 2 | 4 | 8 | 16), kf::base64_text(tok, 2 | 4),
				      kf::base64_text(tok, 1 | 4 | 8), kf::hex_text(tok, 0)};
	static const char *const kinds[4] = {"hex", "base64", "contents", "auto"};
	for (unsigned k = 0; k < 4; k++) {
		t = {b[0], (uint8_t)(2 | described | k << 5)};
		t.insert(t.end(), texts[k].begin(), texts[k].end());
		put("inspect", name + "-" + kinds[k], t);
	}
	// malformed text: odd digit count, an invalid character, data after padding
	std::string h = kf::hex_text(tok, 8);
	t = {b[0], (uint8_t)(2 | described)};
	t.insert(t.end(), h.begin(), h.end() - 1);
	put("inspect", "bad-" + name.substr(3) + "-hex-odd", t);
	t = {b[0], (uint8_t)(2 | described)};
	t.insert(t.end(), h.begin(), h.end());
	t[4] = 'g';
	put("inspect", "bad-" + name.substr(3) + "-hex-invalid", t);
	std::string b64 = kf::base64_text(tok, 2) + "=AA";
	t = {b[0], (uint8_t)(2 | described | 1 << 5)};
	t.insert(t.end(), b64.begin(), b64.end());
	put("inspect", "bad-" + name.substr(3) + "-base64-after-pad", t);
	// round trips (mode 3): hex and base64 styles of the raw token
	t = {b[0], (uint8_t)(3 | (1 | 8) << 3)};
	t.insert(t.end(), tok.begin(), tok.end());
	put("inspect", "ok-" + name.substr(3) + "-roundtrip-hex", t);
	t[1] = (uint8_t)(3 | 4 | (2 | 4) << 3);
	put("inspect", "ok-" + name.substr(3) + "-roundtrip-base64", t);
}

std::string cfg_name(const kf::config &c)
{
	char s[64];
	snprintf(s, sizeof(s), "e%d-%s%s", kf::kEtypes[c.et].etype, c.initiator ? "init" : "acc",
		 c.subkey ? "-sub" : "");
	return s;
}

bytes msg_of(size_t n, uint8_t salt)
{
	bytes m(n);
	for (size_t i = 0; i < n; i++)
		m[i] = (uint8_t)(salt + i * 7);
	return m;
}

bytes wrap(kgss_ctx *c, int conf, const bytes &m)
{
	bytes t(m.size() + 256);
	kgss_buffer in = {m.size(), (void *)m.data()}, out = {t.size(), t.data()};
	kgss_status st = kgss_wrap(c, conf, 0, &in, nullptr, &out);
	if (st != KGSS_S_COMPLETE)
		kf::fail("seed wrap", st);
	t.resize(out.length);
	return t;
}

bytes mic(kgss_ctx *c, const bytes &m)
{
	bytes t(256);
	kgss_buffer in = {m.size(), (void *)m.data()}, out = {t.size(), t.data()};
	kgss_status st = kgss_get_mic(c, 0, &in, &out);
	if (st != KGSS_S_COMPLETE)
		kf::fail("seed mic", st);
	t.resize(out.length);
	return t;
}

// One split IOV wrap: HEADER | [SIGN_ONLY] | DATA | [PADDING] | [TRAILER],
// written in fuzz_unwrap_iov's input format.
bytes iov_seed(kgss_ctx *c, uint8_t sel, int conf, const bytes &m, bool trailer, bool padding, bool sign_only,
	       bool two_data)
{
	std::vector<kgss_iov> iov;
	bytes data = m, hdr(256), pad(64), trl(256);
	static uint8_t so[4] = {'A', 'E', 'A', 'D'};
	auto push = [&](uint32_t t, void *p, size_t n) {
		kgss_iov v;
		v.type = t;
		v.buffer.value = p;
		v.buffer.length = n;
		iov.push_back(v);
	};
	push(KGSS_IOV_HEADER, hdr.data(), hdr.size());
	if (sign_only)
		push(KGSS_IOV_SIGN_ONLY, so, sizeof(so));
	push(KGSS_IOV_DATA, data.data(), data.size());
	if (padding)
		push(KGSS_IOV_PADDING, pad.data(), pad.size());
	if (trailer)
		push(KGSS_IOV_TRAILER, trl.data(), trl.size());
	kgss_status st = kgss_wrap_iov(c, conf, 0, nullptr, iov.data(), iov.size());
	if (st != KGSS_S_COMPLETE)
		kf::fail("seed wrap_iov", st);
	size_t hl = iov[0].buffer.length, pl = 0, tl = 0;
	for (auto &v : iov) {
		if (v.type == KGSS_IOV_PADDING)
			pl = v.buffer.length;
		if (v.type == KGSS_IOV_TRAILER)
			tl = v.buffer.length;
	}
	if (hl > 255 || pl > 255 || tl > 255)
		kf::fail("seed iov part longer than the format's 255");
	uint8_t layout = (uint8_t)((trailer ? 2 : 0) | (padding ? 4 : 0) | (two_data ? 8 : 0) | (sign_only ? 0x20 : 0));
	bytes out = {sel, layout, (uint8_t)hl, (uint8_t)tl, (uint8_t)pl};
	out.insert(out.end(), hdr.begin(), hdr.begin() + hl);
	out.insert(out.end(), data.begin(), data.end());
	out.insert(out.end(), pad.begin(), pad.begin() + pl);
	out.insert(out.end(), trl.begin(), trl.begin() + tl);
	return out;
}

bytes cat(std::initializer_list<bytes> parts)
{
	bytes out;
	for (const bytes &x : parts)
		out.insert(out.end(), x.begin(), x.end());
	return out;
}

// The token after an RFC 1964 framing (60 | DER length | OID).
bytes body_of(const bytes &tok)
{
	const size_t len_octets = (tok[1] & 0x80) ? 1 + (tok[1] & 0x7f) : 1;
	return bytes(tok.begin() + 1 + len_octets + 11, tok.end());
}

// 60 | DER length of OID + body in `octets` length octets (0: short form) |
// krb5 OID | body.
bytes reframe(const bytes &body, size_t octets)
{
	const bytes oid = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02};
	const size_t inner = oid.size() + body.size();
	bytes t = {0x60};
	if (octets == 0) {
		t.push_back((uint8_t)inner); // the seeds stay below 128 bytes
	} else {
		t.push_back((uint8_t)(0x80 | octets));
		for (size_t i = octets; i-- > 0;)
			t.push_back((uint8_t)(i < sizeof(size_t) ? inner >> (8 * i) : 0));
	}
	return cat({t, oid, body});
}

void token_seeds()
{
	for (size_t et = 0; et < kf::kNumEtypes; et++)
		for (int role = 0; role < 2; role++)
			for (int sub = 0; sub < 2; sub++) {
				kf::config c{et, role == 1, sub == 1, false};
				const bool cfx = kf::kEtypes[et].protocol == 1;
				if (!cfx && sub && kf::kEtypes[et].etype != 16)
					continue; // RC4: the subkey bit changes nothing
				kf::pair &p = kf::pair_for(c);
				const uint8_t sel = kf::selector_of(c);
				const std::string n = cfg_name(c);

				// kgss_unwrap: selector | token
				bytes t = {sel};
				bytes w = wrap(p.peer, 1, msg_of(13, 1));
				t.insert(t.end(), w.begin(), w.end());
				put("unwrap", "ok-" + n + "-sealed13", t);
				t = {sel};
				w = wrap(p.peer, 0, bytes());
				t.insert(t.end(), w.begin(), w.end());
				put("unwrap", "ok-" + n + "-integ0", t);
				// our own token reflected back: must be refused
				t = {sel};
				w = wrap(p.self, 1, msg_of(1, 2));
				t.insert(t.end(), w.begin(), w.end());
				put("unwrap", "bad-" + n + "-reflected", t);

				// kgss_verify_mic: selector | len | message | token
				bytes m = msg_of(5, 3);
				t = {sel, (uint8_t)m.size()};
				t.insert(t.end(), m.begin(), m.end());
				w = mic(p.peer, m);
				t.insert(t.end(), w.begin(), w.end());
				put("verify_mic", "ok-" + n + "-mic5", t);
				if (role == 0 && sub == 0) {
					t.back() ^= 1;
					put("verify_mic", "bad-" + n + "-mic5-flip", t);
				}

				// kgss_unwrap_iov
				w = wrap(p.peer, 1, msg_of(21, 4));
				t = {sel, 1, 0, 0, 0};
				t.insert(t.end(), w.begin(), w.end());
				put("unwrap_iov", "ok-" + n + "-stream-sealed21", t);
				if (cfx) {
					put("unwrap_iov", "ok-" + n + "-trailer-sealed",
					    iov_seed(p.peer, sel, 1, msg_of(7, 5), true, false, false, false));
					put("unwrap_iov", "ok-" + n + "-rrc-integ",
					    iov_seed(p.peer, sel, 0, msg_of(3, 6), false, false, false, false));
					put("unwrap_iov", "ok-" + n + "-rrc-sealed-aead-2data",
					    iov_seed(p.peer, sel, 1, msg_of(33, 7), false, false, true, true));
				} else {
					put("unwrap_iov", "ok-" + n + "-padding-sealed",
					    iov_seed(p.peer, sel, 1, msg_of(7, 5), false, true, false, false));
					put("unwrap_iov", "ok-" + n + "-padding-integ-2data",
					    iov_seed(p.peer, sel, 0, msg_of(16, 6), false, true, false, true));
				}
			}
}

// What real peers send (docs/interop.md): RFC 1964 tokens with a
// non-minimal DER length or none at all, a MIC with two octets after
// SGN_CKSUM (Heimdal DES3); RFC 4121 tokens in a framing header.  Made last,
// so that the tokens above keep their bytes (the pairs' PRNGs and sequence
// numbers run on).
void peer_variant_seeds()
{
	for (size_t et = 0; et < kf::kNumEtypes; et++) {
		kf::config c{et, false, false, false};
		const bool cfx = kf::kEtypes[et].protocol == 1;
		kf::pair &p = kf::pair_for(c);
		const uint8_t sel = kf::selector_of(c);
		const std::string n = cfg_name(c);
		const bytes m = msg_of(5, 3), m_len = {(uint8_t)m.size()};
		const bytes w = wrap(p.peer, 1, msg_of(9, 8)), mm = mic(p.peer, m);
		if (cfx) {
			put("unwrap", "ok-" + n + "-framed", cat({{sel}, reframe(w, 0)}));
			put("verify_mic", "ok-" + n + "-framed", cat({{sel}, m_len, m, reframe(mm, 0)}));
		} else {
			put("unwrap", "ok-" + n + "-der-nonminimal", cat({{sel}, reframe(body_of(w), 2)}));
			put("unwrap", "ok-" + n + "-bare", cat({{sel}, body_of(w)}));
			put("verify_mic", "ok-" + n + "-bare", cat({{sel}, m_len, m, body_of(mm)}));
			put("verify_mic", "ok-" + n + "-tail2",
			    cat({{sel}, m_len, m, reframe(cat({body_of(mm), {0, 0}}), 0)}));
		}
	}
}

void import_seeds()
{
	for (size_t et = 0; et < kf::kNumEtypes; et++)
		for (int role = 0; role < 2; role++)
			for (int sub = 0; sub < 2; sub++) {
				const bool cfx = kf::kEtypes[et].protocol == 1;
				if (!cfx && sub && kf::kEtypes[et].etype != 16)
					continue;
				kf::config c{et, role == 1, sub == 1, false};
				const std::string n = cfg_name(c);
				uint8_t keys[128];
				kgss_lucid_context_v1 l;
				kf::make_lucid(&l, et, role == 1, sub == 1, 0x1234 + et, 0x4321 + et, keys);

				// fuzz_import_lucid's format: 69 header bytes, then 3 x 64 key bytes.
				bytes h(69 + 192, 0);
				auto w32 = [&](size_t off, uint32_t v) {
					for (int i = 0; i < 4; i++)
						h[off + i] = (uint8_t)(v >> (8 * i));
				};
				w32(0, l.version);
				w32(4, l.initiate);
				w32(8, l.endtime);
				w32(12, (uint32_t)l.send_seq);
				w32(16, (uint32_t)(l.send_seq >> 32));
				w32(20, (uint32_t)l.recv_seq);
				w32(24, (uint32_t)(l.recv_seq >> 32));
				w32(28, l.protocol);
				w32(32, l.rfc1964_kd.sign_alg);
				w32(36, l.rfc1964_kd.seal_alg);
				w32(40, l.rfc1964_kd.ctx_key.type);
				w32(44, l.rfc1964_kd.ctx_key.length);
				w32(48, l.cfx_kd.have_acceptor_subkey);
				w32(52, l.cfx_kd.ctx_key.type);
				w32(56, l.cfx_kd.ctx_key.length);
				w32(60, l.cfx_kd.acceptor_subkey.type);
				w32(64, l.cfx_kd.acceptor_subkey.length);
				h[68] = role ? 0x08 : 0; // receive window on for acceptors
				memcpy(&h[69], keys, 64);
				memcpy(&h[69 + 64], keys, 64);
				memcpy(&h[69 + 128], keys + 64, 64);
				put("import_lucid", "ok-" + n, h);
				if (role == 0 && sub == 0) {
					const bytes save = h;
					h[0] = 2; // version 2
					put("import_lucid", "bad-" + n + "-version2", h);
					h = save;
					w32(cfx ? 56 : 44, 0); // the used key's length 0
					put("import_lucid", "bad-" + n + "-keylen0", h);
					h = save;
				}

				// downcall and serialized, from libkgss_user's writers
				bytes d(512);
				size_t dl = d.size();
				kgss_status st = kgss_lucid_to_downcall(&l, d.data(), &dl);
				if (st != KGSS_S_COMPLETE)
					kf::fail("seed downcall", st);
				d.resize(dl);
				bytes t = {(uint8_t)role};
				t.insert(t.end(), d.begin(), d.end());
				put("import_downcall", "ok-" + n, t);
				if (role == 0 && sub == 0) {
					t.push_back(0);
					put("import_downcall", "bad-" + n + "-trailing", t);
				}
				bytes s(512);
				size_t sl = s.size();
				st = kgss_lucid_serialize(&l, s.data(), &sl);
				if (st != KGSS_S_COMPLETE)
					kf::fail("seed serialize", st);
				s.resize(sl);
				t = {(uint8_t)role};
				t.insert(t.end(), s.begin(), s.end());
				put("import_serialized", "ok-" + n, t);
				if (role == 0 && sub == 0) {
					t.pop_back();
					put("import_serialized", "bad-" + n + "-cut", t);
				}
			}
}

} // namespace

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s <corpus-dir>\n", argv[0]);
		return 2;
	}
	root = argv[1];
	mkdir(root.c_str(), 0755);
	token_seeds();
	import_seeds();
	peer_variant_seeds();
	printf("fuzz_seedgen: wrote %d files under %s\n", written, root.c_str());
	return 0;
}
