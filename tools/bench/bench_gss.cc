// tools/bench/bench_gss.cc - the GSS per-message calls kgss-bench times:
// libkgss (plain and IOV, an NFS-like page list) and MIT krb5 on the live
// peer of the same context pair, and the peer tokens each side checks.
#include <string.h>

#include "tools/bench/bench.h"

namespace kbench {

// ---- libkgss side ---------------------------------------------------------------------
void import(const void *lucid, const kgss_crypto_backend *be, kctx *k)
{
	kgss_options o;
	kgss_options_init_user(&o);
	o.crypto = be;
	o.alloc = hook_alloc;
	o.free = hook_free;
	o.alloc_ctx = nullptr;
	if (!o.prng)
		die("no PRNG (getrandom failed)");
	kgss_status st = kgss_import_lucid_v1(lucid, &o, &k->ctx);
	if (st != KGSS_S_COMPLETE)
		die(std::string("kgss_import_lucid_v1: ") + kgss_status_string(st));
}

namespace {

// An NFS-like iov: HEADER | DATA (4096-byte pages) | PADDING | TRAILER.
struct nfs_iov {
	std::vector<kgss_iov> v;
	bytes header, padding, trailer;
	void build(uint8_t *data, size_t len, size_t hlen, size_t plen, size_t tlen, bool trailer_buf)
	{
		header.assign(std::max<size_t>(hlen, 1), 0);
		padding.assign(std::max<size_t>(plen, 1), 0);
		trailer.assign(std::max<size_t>(tlen, 1), 0);
		v.clear();
		v.push_back(kgss_iov{KGSS_IOV_HEADER, {hlen, header.data()}});
		for (size_t off = 0; off < len; off += 4096)
			v.push_back(kgss_iov{KGSS_IOV_DATA, {std::min<size_t>(4096, len - off), data + off}});
		v.push_back(kgss_iov{KGSS_IOV_PADDING, {plen, padding.data()}});
		if (trailer_buf)
			v.push_back(kgss_iov{KGSS_IOV_TRAILER, {tlen, trailer.data()}});
	}
};

// Lengths libkgss asks for on a wrap_iov of len bytes.
void wrap_iov_lengths(kgss_ctx *c, size_t len, bool trailer_buf, size_t *h, size_t *p, size_t *t)
{
	static uint8_t dummy; // DATA needs a pointer; lengths never read it
	kgss_iov v[4] = {{KGSS_IOV_HEADER, {0, nullptr}},
			 {KGSS_IOV_DATA, {len, &dummy}},
			 {KGSS_IOV_PADDING, {0, nullptr}},
			 {KGSS_IOV_TRAILER, {0, nullptr}}};
	int conf = 0;
	kgss_status st = kgss_wrap_iov_length(c, 1, 0, &conf, v, trailer_buf ? 4 : 3);
	if (st != KGSS_S_COMPLETE)
		die(std::string("kgss_wrap_iov_length: ") + kgss_status_string(st));
	*h = v[0].buffer.length;
	*p = v[2].buffer.length;
	*t = trailer_buf ? v[3].buffer.length : 0;
}

} // namespace

// Measures the eight libkgss calls for one context and one size.
void bench_kgss(const options &o, const std::string &impl, int e, kgss_ctx *c, size_t n, const bytes &msg,
		const peer_tokens &pt)
{
	const bool cfx = enc(e).cfx;
	size_t tlen = 0;
	if (kgss_wrap_size(c, 1, n, &tlen) != KGSS_S_COMPLETE)
		die("kgss_wrap_size");
	bytes out(std::max(tlen, pt.wrap.size()) + 64);
	kgss_buffer in{n, (void *)msg.data()};

	// wrap
	add(impl, e, "wrap", n, measure(o, "wrap", [&] {
		    kgss_buffer ob{out.size(), out.data()};
		    int cs = 0;
		    return kgss_wrap(c, 1, 0, &in, &cs, &ob) == KGSS_S_COMPLETE && cs == 1;
	    }));
	// unwrap (token from the peer)
	kgss_buffer tok{pt.wrap.size(), (void *)pt.wrap.data()};
	add(impl, e, "unwrap", n, measure(o, "unwrap", [&] {
		    kgss_buffer ob{out.size(), out.data()};
		    int cs = 0;
		    return kgss_unwrap(c, &tok, &ob, &cs, nullptr) == KGSS_S_COMPLETE && ob.length == n;
	    }));
	// get_mic
	add(impl, e, "get_mic", n, measure(o, "get_mic", [&] {
		    kgss_buffer ob{out.size(), out.data()};
		    return kgss_get_mic(c, 0, &in, &ob) == KGSS_S_COMPLETE;
	    }));
	kgss_buffer mic{pt.mic.size(), (void *)pt.mic.data()};
	add(impl, e, "verify_mic", n,
	    measure(o, "verify_mic", [&] { return kgss_verify_mic(c, &in, &mic, nullptr) == KGSS_S_COMPLETE; }));
	if (!o.iov)
		return;

	// wrap_iov: DATA encrypted in place (ciphertext is wrapped again next time)
	bytes data(msg);
	size_t hl, pl, tl;
	wrap_iov_lengths(c, n, cfx, &hl, &pl, &tl);
	nfs_iov w;
	w.build(data.data(), n, hl, pl, tl, cfx);
	add(impl, e, "wrap_iov", n, measure(o, "wrap_iov", [&] {
		    int cs = 0;
		    return kgss_wrap_iov(c, 1, 0, &cs, w.v.data(), w.v.size()) == KGSS_S_COMPLETE;
	    }));

	// unwrap_iov of the peer's HEADER | DATA | PADDING [| TRAILER]
	const bytes &ph = pt.iov[0], &pd = pt.iov[1], &pp = pt.iov[2];
	const bytes *ptr = pt.iov.size() > 3 ? &pt.iov[3] : nullptr;
	bytes udata(pd.size());
	nfs_iov u;
	u.build(udata.data(), pd.size(), ph.size(), pp.size(), ptr ? ptr->size() : 0, ptr != nullptr);
	auto restore = [&] {
		memcpy(u.header.data(), ph.data(), ph.size());
		memcpy(udata.data(), pd.data(), pd.size());
		if (!pp.empty())
			memcpy(u.padding.data(), pp.data(), pp.size());
		if (ptr && !ptr->empty())
			memcpy(u.trailer.data(), ptr->data(), ptr->size());
		// the engine may rewrite lengths (a pad found in DATA): reset them
		u.v.front().buffer.length = ph.size();
		size_t off = 0;
		for (auto &x : u.v)
			if (x.type == KGSS_IOV_DATA) {
				x.buffer.value = udata.data() + off;
				x.buffer.length = std::min<size_t>(4096, pd.size() - off);
				off += x.buffer.length;
			} else if (x.type == KGSS_IOV_PADDING) {
				x.buffer.length = pp.size();
			} else if (x.type == KGSS_IOV_TRAILER) {
				x.buffer.length = ptr ? ptr->size() : 0;
			}
		return true;
	};
	sample full = measure(o, "unwrap_iov", [&] {
		restore();
		int cs = 0;
		return kgss_unwrap_iov(c, &cs, nullptr, u.v.data(), u.v.size()) == KGSS_S_COMPLETE && cs == 1;
	});
	sample base = measure(o, "unwrap_iov", [&] {
		restore();
		// keep the compiler from dropping the copies
		__asm__ __volatile__("" : : "r"(udata.data()) : "memory");
		return true;
	});
	if (full.ok && base.ok)
		full.ns = std::max(1.0, full.ns - base.ns);
	add(impl, e, "unwrap_iov", n, full);

	// get_mic_iov / verify_mic_iov over the page list
	bytes mdata(msg);
	std::vector<kgss_iov> mv;
	for (size_t off = 0; off < n; off += 4096)
		mv.push_back(kgss_iov{KGSS_IOV_DATA, {std::min<size_t>(4096, n - off), mdata.data() + off}});
	mv.push_back(kgss_iov{KGSS_IOV_MIC_TOKEN, {0, nullptr}});
	if (kgss_get_mic_iov_length(c, 0, mv.data(), mv.size()) != KGSS_S_COMPLETE)
		die("kgss_get_mic_iov_length");
	bytes mtok(mv.back().buffer.length);
	mv.back().buffer.value = mtok.data();
	add(impl, e, "get_mic_iov", n,
	    measure(o, "get_mic_iov", [&] { return kgss_get_mic_iov(c, 0, mv.data(), mv.size()) == KGSS_S_COMPLETE; }));
	std::vector<kgss_iov> vv(mv);
	vv.back().buffer = kgss_buffer{pt.mic.size(), (void *)pt.mic.data()};
	add(impl, e, "verify_mic_iov", n, measure(o, "verify_mic_iov", [&] {
		    return kgss_verify_mic_iov(c, nullptr, vv.data(), vv.size()) == KGSS_S_COMPLETE;
	    }));
}

// ---- MIT side ---------------------------------------------------------------------------
namespace {
struct gbuf {
	gss_buffer_desc b = GSS_C_EMPTY_BUFFER;
	~gbuf()
	{
		OM_uint32 m;
		gss_release_buffer(&m, &b);
	}
};
} // namespace

// Tokens from the MIT peer, for libkgss to unwrap / verify.
peer_tokens mit_tokens(gss_ctx_id_t peer, bool cfx, const bytes &msg)
{
	peer_tokens t;
	kmit::mit_result r = kmit::mit_wrap(peer, true, msg);
	if (!r.ok())
		die("MIT gss_wrap: " + kmit::mit_status_string(r.major, r.minor));
	t.wrap = r.out;
	r = kmit::mit_get_mic(peer, msg);
	if (!r.ok())
		die("MIT gss_get_mic: " + kmit::mit_status_string(r.major, r.minor));
	t.mic = r.out;
	std::vector<kmit::mit_iov_buf> iov(cfx ? 4 : 3);
	iov[0].type = GSS_IOV_BUFFER_TYPE_HEADER;
	iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
	iov[1].data = msg;
	iov[2].type = GSS_IOV_BUFFER_TYPE_PADDING;
	if (cfx)
		iov[3].type = GSS_IOV_BUFFER_TYPE_TRAILER;
	r = kmit::mit_wrap_iov(peer, true, iov);
	if (!r.ok())
		die("MIT gss_wrap_iov: " + kmit::mit_status_string(r.major, r.minor));
	for (auto &b : iov)
		t.iov.push_back(b.data);
	return t;
}

// Tokens from a libkgss peer context (--no-mit).
peer_tokens kgss_tokens(kgss_ctx *peer, bool cfx, const bytes &msg)
{
	peer_tokens t;
	size_t n = msg.size(), tl = 0;
	kgss_wrap_size(peer, 1, n, &tl);
	t.wrap.resize(tl);
	kgss_buffer in{n, (void *)msg.data()}, ob{tl, t.wrap.data()};
	int cs;
	if (kgss_wrap(peer, 1, 0, &in, &cs, &ob) != KGSS_S_COMPLETE)
		die("peer kgss_wrap");
	t.wrap.resize(ob.length);
	kgss_mic_size(peer, n, &tl);
	t.mic.resize(tl);
	ob = kgss_buffer{tl, t.mic.data()};
	if (kgss_get_mic(peer, 0, &in, &ob) != KGSS_S_COMPLETE)
		die("peer kgss_get_mic");
	t.mic.resize(ob.length);
	size_t hl, pl, tr;
	wrap_iov_lengths(peer, n, cfx, &hl, &pl, &tr);
	bytes h(hl), d(msg), p(pl), tt(tr);
	std::vector<kgss_iov> v = {
		{KGSS_IOV_HEADER, {hl, h.data()}}, {KGSS_IOV_DATA, {n, d.data()}}, {KGSS_IOV_PADDING, {pl, p.data()}}};
	if (cfx)
		v.push_back(kgss_iov{KGSS_IOV_TRAILER, {tr, tt.data()}});
	if (kgss_wrap_iov(peer, 1, 0, &cs, v.data(), v.size()) != KGSS_S_COMPLETE)
		die("peer kgss_wrap_iov");
	h.resize(v[0].buffer.length);
	p.resize(v[2].buffer.length);
	t.iov = {h, d, p};
	if (cfx) {
		tt.resize(v[3].buffer.length);
		t.iov.push_back(tt);
	}
	return t;
}

void bench_mit(const options &o, int e, gss_ctx_id_t peer, kgss_ctx *kside, size_t n, const bytes &msg)
{
	gss_buffer_desc in{n, (void *)msg.data()};
	add("mit", e, "wrap", n, measure(o, "wrap", [&] {
		    OM_uint32 minor;
		    int cs = 0;
		    gbuf out;
		    return gss_wrap(&minor, peer, 1, GSS_C_QOP_DEFAULT, &in, &cs, &out.b) == GSS_S_COMPLETE && cs;
	    }));
	// libkgss tokens for MIT to unwrap / verify
	size_t tl = 0;
	kgss_wrap_size(kside, 1, n, &tl);
	bytes tok(tl);
	kgss_buffer kin{n, (void *)msg.data()}, kob{tl, tok.data()};
	int cs;
	if (kgss_wrap(kside, 1, 0, &kin, &cs, &kob) != KGSS_S_COMPLETE)
		die("kgss_wrap for MIT");
	tok.resize(kob.length);
	gss_buffer_desc tb{tok.size(), tok.data()};
	add("mit", e, "unwrap", n, measure(o, "unwrap", [&] {
		    OM_uint32 minor;
		    int c2 = 0;
		    gss_qop_t q;
		    gbuf out;
		    return gss_unwrap(&minor, peer, &tb, &out.b, &c2, &q) == GSS_S_COMPLETE && out.b.length == n;
	    }));
	add("mit", e, "get_mic", n, measure(o, "get_mic", [&] {
		    OM_uint32 minor;
		    gbuf out;
		    return gss_get_mic(&minor, peer, GSS_C_QOP_DEFAULT, &in, &out.b) == GSS_S_COMPLETE;
	    }));
	kgss_mic_size(kside, n, &tl);
	bytes mic(tl);
	kob = kgss_buffer{tl, mic.data()};
	if (kgss_get_mic(kside, 0, &kin, &kob) != KGSS_S_COMPLETE)
		die("kgss_get_mic for MIT");
	mic.resize(kob.length);
	gss_buffer_desc mb{mic.size(), mic.data()};
	add("mit", e, "verify_mic", n, measure(o, "verify_mic", [&] {
		    OM_uint32 minor;
		    gss_qop_t q;
		    return gss_verify_mic(&minor, peer, &in, &mb, &q) == GSS_S_COMPLETE;
	    }));
}

} // namespace kbench
