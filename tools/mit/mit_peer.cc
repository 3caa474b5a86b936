// tools/mit/mit_peer.cc - see mit_peer.h.
#include "tools/mit/mit_peer.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utility>

#include <krb5/krb5.h>

namespace kmit {

// ---- libkgss's lucid struct is MIT's, field for field ------------------------
#define KMIT_SAME(f)                                                                                  \
	static_assert(offsetof(kgss_lucid_context_v1, f) == offsetof(gss_krb5_lucid_context_v1_t, f), \
		      "kgss_lucid_context_v1." #f " offset differs from MIT")
static_assert(sizeof(kgss_lucid_context_v1) == sizeof(gss_krb5_lucid_context_v1_t), "lucid size");
static_assert(sizeof(kgss_lucid_key) == sizeof(gss_krb5_lucid_key_t), "lucid key size");
static_assert(sizeof(kgss_lucid_rfc1964) == sizeof(gss_krb5_rfc1964_keydata_t), "rfc1964 size");
static_assert(sizeof(kgss_lucid_cfx) == sizeof(gss_krb5_cfx_keydata_t), "cfx size");
static_assert(alignof(kgss_lucid_context_v1) == alignof(gss_krb5_lucid_context_v1_t), "lucid align");
KMIT_SAME(version);
KMIT_SAME(initiate);
KMIT_SAME(endtime);
KMIT_SAME(send_seq);
KMIT_SAME(recv_seq);
KMIT_SAME(protocol);
KMIT_SAME(rfc1964_kd);
KMIT_SAME(rfc1964_kd.sign_alg);
KMIT_SAME(rfc1964_kd.seal_alg);
KMIT_SAME(rfc1964_kd.ctx_key);
KMIT_SAME(rfc1964_kd.ctx_key.type);
KMIT_SAME(rfc1964_kd.ctx_key.length);
KMIT_SAME(rfc1964_kd.ctx_key.data);
KMIT_SAME(cfx_kd);
KMIT_SAME(cfx_kd.have_acceptor_subkey);
KMIT_SAME(cfx_kd.ctx_key);
KMIT_SAME(cfx_kd.ctx_key.type);
KMIT_SAME(cfx_kd.ctx_key.length);
KMIT_SAME(cfx_kd.ctx_key.data);
KMIT_SAME(cfx_kd.acceptor_subkey);
KMIT_SAME(cfx_kd.acceptor_subkey.type);
KMIT_SAME(cfx_kd.acceptor_subkey.length);
KMIT_SAME(cfx_kd.acceptor_subkey.data);
#undef KMIT_SAME

// ---- environment ---------------------------------------------------------------
bool mit_env_load(const std::string &path, std::string *err) { return kenv::kdc_env_load(path, err); }

const mit_env *mit_env_get() { return kenv::kdc_env_get(); }

// ---- names, status --------------------------------------------------------------
const int mit_all_enctypes[9] = {16, 17, 18, 19, 20, 23, 24, 25, 26};

const char *mit_enctype_name(int e)
{
	switch (e) {
	case 16:
		return "des3-cbc-sha1";
	case 17:
		return "aes128-cts-hmac-sha1-96";
	case 18:
		return "aes256-cts-hmac-sha1-96";
	case 19:
		return "aes128-cts-hmac-sha256-128";
	case 20:
		return "aes256-cts-hmac-sha384-192";
	case 23:
		return "arcfour-hmac";
	case 24:
		return "arcfour-hmac-exp";
	case 25:
		return "camellia128-cts-cmac";
	case 26:
		return "camellia256-cts-cmac";
	default:
		return "unknown-enctype";
	}
}

namespace {
void display_one(OM_uint32 code, int type, gss_OID mech, std::string *s)
{
	OM_uint32 msg_ctx = 0, min = 0;
	for (int i = 0; i < 16; i++) { // bounded: MIT yields one or two messages
		gss_buffer_desc b = GSS_C_EMPTY_BUFFER;
		OM_uint32 maj = gss_display_status(&min, code, type, mech, &msg_ctx, &b);
		if (GSS_ERROR(maj))
			break;
		if (!s->empty() && s->back() != ' ')
			*s += "; ";
		s->append(static_cast<const char *>(b.value), b.length);
		gss_release_buffer(&min, &b);
		if (msg_ctx == 0)
			break;
	}
}
} // namespace

std::string mit_status_string(OM_uint32 major, OM_uint32 minor)
{
	char num[64];
	snprintf(num, sizeof num, "major 0x%08x", (unsigned)major);
	std::string s = num;
	s += " (";
	std::string m;
	display_one(major, GSS_C_GSS_CODE, GSS_C_NO_OID, &m);
	s += m + ")";
	if (minor != 0) {
		snprintf(num, sizeof num, ", minor %u (", (unsigned)minor);
		s += num;
		std::string n;
		display_one(minor, GSS_C_MECH_CODE, gss_mech_krb5, &n);
		s += n + ")";
	}
	return s;
}

// ---- pair ---------------------------------------------------------------------------
mit_pair::mit_pair(mit_pair &&o) noexcept { *this = std::move(o); }

mit_pair &mit_pair::operator=(mit_pair &&o) noexcept
{
	if (this != &o) {
		mit_pair_free(this);
		peer = o.peer;
		lucid = o.lucid;
		lucid_is_initiator = o.lucid_is_initiator;
		enctype = o.enctype;
		mutual = o.mutual;
		init_ret_flags = o.init_ret_flags;
		acc_ret_flags = o.acc_ret_flags;
		rounds = o.rounds;
		o.peer = GSS_C_NO_CONTEXT;
		o.lucid = nullptr;
	}
	return *this;
}

mit_pair::~mit_pair() { mit_pair_free(this); }

void mit_pair_free(mit_pair *p)
{
	if (!p)
		return;
	OM_uint32 min = 0;
	if (p->lucid) {
		gss_krb5_free_lucid_sec_context(&min, p->lucid);
		p->lucid = nullptr;
	}
	if (p->peer != GSS_C_NO_CONTEXT) {
		gss_delete_sec_context(&min, &p->peer, GSS_C_NO_BUFFER);
		p->peer = GSS_C_NO_CONTEXT;
	}
}

const gss_krb5_lucid_context_v1_t *mit_lucid(const mit_pair &p)
{
	return static_cast<const gss_krb5_lucid_context_v1_t *>(p.lucid);
}

const kgss_lucid_context_v1 *mit_lucid_kgss(const mit_pair &p)
{
	// Layout identity is asserted at the top of this file.
	return static_cast<const kgss_lucid_context_v1 *>(p.lucid);
}

const gss_krb5_lucid_key_t *mit_lucid_message_key(const mit_pair &p)
{
	const gss_krb5_lucid_context_v1_t *l = mit_lucid(p);
	if (!l)
		return nullptr;
	if (l->protocol == 0)
		return &l->rfc1964_kd.ctx_key;
	return l->cfx_kd.have_acceptor_subkey ? &l->cfx_kd.acceptor_subkey : &l->cfx_kd.ctx_key;
}

namespace {
// RAII holders for the establishment's temporaries.
struct name_h {
	gss_name_t n = GSS_C_NO_NAME;
	~name_h()
	{
		OM_uint32 m;
		if (n != GSS_C_NO_NAME)
			gss_release_name(&m, &n);
	}
};
struct cred_h {
	gss_cred_id_t c = GSS_C_NO_CREDENTIAL;
	~cred_h()
	{
		OM_uint32 m;
		if (c != GSS_C_NO_CREDENTIAL)
			gss_release_cred(&m, &c);
	}
};
struct ctx_h {
	gss_ctx_id_t c = GSS_C_NO_CONTEXT;
	~ctx_h()
	{
		OM_uint32 m;
		if (c != GSS_C_NO_CONTEXT)
			gss_delete_sec_context(&m, &c, GSS_C_NO_BUFFER);
	}
};
struct buf_h {
	gss_buffer_desc b = GSS_C_EMPTY_BUFFER;
	~buf_h() { release(); }
	void release()
	{
		OM_uint32 m;
		if (b.value)
			gss_release_buffer(&m, &b);
		b.length = 0;
		b.value = nullptr;
	}
};

bool fail(std::string *err, const std::string &step, OM_uint32 maj, OM_uint32 min)
{
	if (err)
		*err = step + ": " + mit_status_string(maj, min);
	return false;
}

bool import_name(const std::string &s, gss_name_t *out, std::string *err)
{
	OM_uint32 min = 0;
	gss_buffer_desc b;
	b.value = const_cast<char *>(s.c_str());
	b.length = s.size();
	OM_uint32 maj = gss_import_name(&min, &b, GSS_KRB5_NT_PRINCIPAL_NAME, out);
	if (GSS_ERROR(maj))
		return fail(err, "gss_import_name(" + s + ")", maj, min);
	return true;
}
} // namespace

mit_live_pair::~mit_live_pair()
{
	OM_uint32 m;
	if (initiator != GSS_C_NO_CONTEXT)
		gss_delete_sec_context(&m, &initiator, GSS_C_NO_BUFFER);
	if (acceptor != GSS_C_NO_CONTEXT)
		gss_delete_sec_context(&m, &acceptor, GSS_C_NO_BUFFER);
}

bool mit_establish_live(const mit_establish_opts &o, mit_live_pair *out, std::string *err)
{
	OM_uint32 m;
	if (out->initiator != GSS_C_NO_CONTEXT)
		gss_delete_sec_context(&m, &out->initiator, GSS_C_NO_BUFFER);
	if (out->acceptor != GSS_C_NO_CONTEXT)
		gss_delete_sec_context(&m, &out->acceptor, GSS_C_NO_BUFFER);
	if (!kenv::kdc_env_get() && !mit_env_load("", err))
		return false;
	const mit_env &env = *kenv::kdc_env_get();
	const std::string tag = std::string("[") + mit_enctype_name(o.enctype) + " (" + std::to_string(o.enctype) +
				"), mutual=" + (o.mutual ? "1" : "0") + "] ";
	auto efail = [&](const std::string &step, OM_uint32 maj, OM_uint32 min) {
		return fail(err, tag + step, maj, min);
	};
	OM_uint32 maj, min = 0;

	// initiator credential: password -> AS exchange with the loopback KDC
	name_h user, target;
	if (!import_name(env.user, &user.n, err))
		return false;
	std::string tgt = o.target.empty() ? (o.enctype == 24 ? env.service_exp : env.service) : o.target;
	if (!import_name(tgt, &target.n, err))
		return false;

	cred_h icred;
	gss_OID_set_desc mechs = {1, const_cast<gss_OID>(gss_mech_krb5)};
	gss_buffer_desc pw;
	pw.value = const_cast<char *>(env.password.c_str());
	pw.length = env.password.size();
	maj = gss_acquire_cred_with_password(&min, user.n, &pw, GSS_C_INDEFINITE, &mechs, GSS_C_INITIATE, &icred.c,
					     nullptr, nullptr);
	if (GSS_ERROR(maj))
		return efail("gss_acquire_cred_with_password(" + env.user + ")", maj, min);

	krb5_enctype et = o.enctype;
	maj = gss_krb5_set_allowable_enctypes(&min, icred.c, 1, &et);
	if (GSS_ERROR(maj))
		return efail("gss_krb5_set_allowable_enctypes", maj, min);

	// bounded init/accept loop, tokens passed in memory
	ctx_h ictx, actx;
	OM_uint32 req = o.req_flags | (o.mutual ? GSS_C_MUTUAL_FLAG : 0);
	OM_uint32 iflags = 0, aflags = 0;
	bool idone = false, adone = false;
	buf_h to_acc, to_init;
	int rounds = 0;
	for (;;) {
		if (++rounds > o.max_rounds)
			return fail(err, tag + "context establishment did not finish", 0, 0);
		// initiator step
		to_acc.release();
		gss_buffer_desc in = to_init.b;
		maj = gss_init_sec_context(&min, icred.c, &ictx.c, target.n, const_cast<gss_OID>(gss_mech_krb5), req,
					   GSS_C_INDEFINITE, GSS_C_NO_CHANNEL_BINDINGS,
					   rounds == 1 ? GSS_C_NO_BUFFER : &in, nullptr, &to_acc.b, &iflags, nullptr);
		to_init.release();
		if (GSS_ERROR(maj))
			return efail("gss_init_sec_context", maj, min);
		idone = (maj == GSS_S_COMPLETE);
		if (to_acc.b.length == 0) {
			if (idone && adone)
				break;
			if (idone && !adone)
				return fail(err, tag + "initiator complete but acceptor never ran", 0, 0);
			return fail(err, tag + "initiator produced no token while CONTINUE_NEEDED", 0, 0);
		}
		// acceptor step (default keytab from KRB5_KTNAME)
		maj = gss_accept_sec_context(&min, &actx.c, GSS_C_NO_CREDENTIAL, &to_acc.b, GSS_C_NO_CHANNEL_BINDINGS,
					     nullptr, nullptr, &to_init.b, &aflags, nullptr, nullptr);
		if (GSS_ERROR(maj))
			return efail("gss_accept_sec_context", maj, min);
		adone = (maj == GSS_S_COMPLETE);
		if (to_init.b.length == 0) {
			if (idone && adone)
				break;
			if (adone && !idone)
				return fail(err, tag + "acceptor complete without a token for the initiator", 0, 0);
			return fail(err, tag + "acceptor produced no token while CONTINUE_NEEDED", 0, 0);
		}
		if (idone && adone)
			return fail(err, tag + "acceptor sent a token after both sides completed", 0, 0);
	}

	out->initiator = ictx.c;
	out->acceptor = actx.c;
	ictx.c = GSS_C_NO_CONTEXT;
	actx.c = GSS_C_NO_CONTEXT;
	out->init_ret_flags = iflags;
	out->acc_ret_flags = aflags;
	out->rounds = rounds;
	return true;
}

bool mit_establish(const mit_establish_opts &o, mit_pair *out, std::string *err)
{
	mit_pair_free(out);
	mit_live_pair live;
	if (!mit_establish_live(o, &live, err))
		return false;
	const std::string tag = std::string("[") + mit_enctype_name(o.enctype) + " (" + std::to_string(o.enctype) +
				"), mutual=" + (o.mutual ? "1" : "0") + "] ";
	OM_uint32 maj, min = 0;

	// export one side; MIT deletes that GSS context
	void *lucid = nullptr;
	gss_ctx_id_t *exp = o.export_initiator ? &live.initiator : &live.acceptor;
	maj = gss_krb5_export_lucid_sec_context(&min, exp, 1, &lucid);
	if (GSS_ERROR(maj))
		return fail(err, tag + "gss_krb5_export_lucid_sec_context", maj, min);
	*exp = GSS_C_NO_CONTEXT; // already deleted by MIT

	out->lucid = lucid;
	out->lucid_is_initiator = o.export_initiator;
	gss_ctx_id_t *keep = o.export_initiator ? &live.acceptor : &live.initiator;
	out->peer = *keep;
	*keep = GSS_C_NO_CONTEXT;
	out->enctype = o.enctype;
	out->mutual = o.mutual;
	out->init_ret_flags = live.init_ret_flags;
	out->acc_ret_flags = live.acc_ret_flags;
	out->rounds = live.rounds;
	return true;
}

bool mit_establish(int enctype, bool mutual, bool export_initiator, mit_pair *out, std::string *err)
{
	mit_establish_opts o;
	o.enctype = enctype;
	o.mutual = mutual;
	o.export_initiator = export_initiator;
	return mit_establish(o, out, err);
}

bool mit_context_twice(gss_ctx_id_t *ctx, gss_ctx_id_t *a, gss_ctx_id_t *b, std::string *err)
{
	OM_uint32 maj, min = 0;
	buf_h blob;
	*a = *b = GSS_C_NO_CONTEXT;
	maj = gss_export_sec_context(&min, ctx, &blob.b);
	if (GSS_ERROR(maj))
		return fail(err, "gss_export_sec_context", maj, min);
	*ctx = GSS_C_NO_CONTEXT; // deleted by the export
	maj = gss_import_sec_context(&min, &blob.b, a);
	if (GSS_ERROR(maj))
		return fail(err, "gss_import_sec_context (first)", maj, min);
	maj = gss_import_sec_context(&min, &blob.b, b);
	if (GSS_ERROR(maj)) {
		OM_uint32 m;
		gss_delete_sec_context(&m, a, GSS_C_NO_BUFFER);
		*a = GSS_C_NO_CONTEXT;
		return fail(err, "gss_import_sec_context (second)", maj, min);
	}
	return true;
}

// ---- per-message wrappers --------------------------------------------------------------
namespace {
gss_buffer_desc view(const bytes &b)
{
	gss_buffer_desc d;
	d.length = b.size();
	d.value = b.empty() ? nullptr : const_cast<uint8_t *>(b.data());
	return d;
}
void take(gss_buffer_desc *b, bytes *out)
{
	OM_uint32 m;
	const uint8_t *p = static_cast<const uint8_t *>(b->value);
	out->assign(p, p + b->length);
	if (b->length == 0 && b->value != nullptr) {
		// MIT quirk: gss_unwrap of an integrity-only CFX token with an empty
		// message returns a malloc(0) pointer with length 0, and MIT's
		// gss_release_buffer frees only when length != 0 (found by LSan).
		// gssalloc_free is free() on every non-Windows build.
		free(b->value);
		b->value = nullptr;
		return;
	}
	gss_release_buffer(&m, b);
}
} // namespace

mit_result mit_wrap(gss_ctx_id_t ctx, bool conf, const bytes &msg)
{
	mit_result r;
	gss_buffer_desc in = view(msg), out = GSS_C_EMPTY_BUFFER;
	r.major = gss_wrap(&r.minor, ctx, conf ? 1 : 0, GSS_C_QOP_DEFAULT, &in, &r.conf_state, &out);
	take(&out, &r.out);
	return r;
}

mit_result mit_unwrap(gss_ctx_id_t ctx, const bytes &token)
{
	mit_result r;
	gss_buffer_desc in = view(token), out = GSS_C_EMPTY_BUFFER;
	r.major = gss_unwrap(&r.minor, ctx, &in, &out, &r.conf_state, &r.qop);
	take(&out, &r.out);
	return r;
}

mit_result mit_get_mic(gss_ctx_id_t ctx, const bytes &msg)
{
	mit_result r;
	gss_buffer_desc in = view(msg), out = GSS_C_EMPTY_BUFFER;
	r.major = gss_get_mic(&r.minor, ctx, GSS_C_QOP_DEFAULT, &in, &out);
	take(&out, &r.out);
	return r;
}

mit_result mit_verify_mic(gss_ctx_id_t ctx, const bytes &msg, const bytes &token)
{
	mit_result r;
	gss_buffer_desc m = view(msg), t = view(token);
	r.major = gss_verify_mic(&r.minor, ctx, &m, &t, &r.qop);
	return r;
}

namespace {
std::vector<gss_iov_buffer_desc> to_gss(std::vector<mit_iov_buf> &iov)
{
	std::vector<gss_iov_buffer_desc> g(iov.size());
	for (size_t i = 0; i < iov.size(); i++) {
		g[i].type = iov[i].type;
		g[i].buffer.length = iov[i].data.size();
		g[i].buffer.value = iov[i].data.empty() ? nullptr : iov[i].data.data();
	}
	return g;
}
// After a *_length call: resize the buffers MIT sized, re-point everything.
void resize_from(std::vector<mit_iov_buf> &iov, std::vector<gss_iov_buffer_desc> &g)
{
	for (size_t i = 0; i < iov.size(); i++) {
		OM_uint32 t = GSS_IOV_BUFFER_TYPE(iov[i].type);
		if (t == GSS_IOV_BUFFER_TYPE_HEADER || t == GSS_IOV_BUFFER_TYPE_PADDING ||
		    t == GSS_IOV_BUFFER_TYPE_TRAILER || t == GSS_IOV_BUFFER_TYPE_MIC_TOKEN)
			iov[i].data.assign(g[i].buffer.length, 0);
	}
	g = to_gss(iov);
}
// After the real call: lengths may shrink (e.g. PADDING).
void shrink_from(std::vector<mit_iov_buf> &iov, const std::vector<gss_iov_buffer_desc> &g)
{
	for (size_t i = 0; i < iov.size(); i++)
		if (g[i].buffer.length < iov[i].data.size() && g[i].buffer.value == iov[i].data.data())
			iov[i].data.resize(g[i].buffer.length);
}
} // namespace

mit_result mit_wrap_iov(gss_ctx_id_t ctx, bool conf, std::vector<mit_iov_buf> &iov)
{
	mit_result r;
	std::vector<gss_iov_buffer_desc> g = to_gss(iov);
	r.major = gss_wrap_iov_length(&r.minor, ctx, conf ? 1 : 0, GSS_C_QOP_DEFAULT, &r.conf_state, g.data(),
				      (int)g.size());
	if (GSS_ERROR(r.major))
		return r;
	resize_from(iov, g);
	r.major = gss_wrap_iov(&r.minor, ctx, conf ? 1 : 0, GSS_C_QOP_DEFAULT, &r.conf_state, g.data(), (int)g.size());
	if (!GSS_ERROR(r.major))
		shrink_from(iov, g);
	return r;
}

mit_result mit_unwrap_iov(gss_ctx_id_t ctx, std::vector<mit_iov_buf> &iov)
{
	mit_result r;
	std::vector<gss_iov_buffer_desc> g = to_gss(iov);
	bool stream = false;
	for (auto &b : iov)
		if (GSS_IOV_BUFFER_TYPE(b.type) == GSS_IOV_BUFFER_TYPE_STREAM)
			stream = true;
	r.major = gss_unwrap_iov(&r.minor, ctx, &r.conf_state, &r.qop, g.data(), (int)g.size());
	if (GSS_ERROR(r.major))
		return r;
	for (size_t i = 0; i < iov.size(); i++) {
		OM_uint32 t = GSS_IOV_BUFFER_TYPE(iov[i].type);
		if (stream && t == GSS_IOV_BUFFER_TYPE_DATA) {
			// DATA points into STREAM: copy it out
			const uint8_t *p = static_cast<const uint8_t *>(g[i].buffer.value);
			iov[i].data.assign(p, p + g[i].buffer.length);
		} else if (g[i].buffer.value == iov[i].data.data() && g[i].buffer.length <= iov[i].data.size()) {
			iov[i].data.resize(g[i].buffer.length);
		}
	}
	return r;
}

mit_result mit_get_mic_iov(gss_ctx_id_t ctx, std::vector<mit_iov_buf> &iov)
{
	mit_result r;
	std::vector<gss_iov_buffer_desc> g = to_gss(iov);
	r.major = gss_get_mic_iov_length(&r.minor, ctx, GSS_C_QOP_DEFAULT, g.data(), (int)g.size());
	if (GSS_ERROR(r.major))
		return r;
	resize_from(iov, g);
	r.major = gss_get_mic_iov(&r.minor, ctx, GSS_C_QOP_DEFAULT, g.data(), (int)g.size());
	if (!GSS_ERROR(r.major))
		shrink_from(iov, g);
	return r;
}

mit_result mit_verify_mic_iov(gss_ctx_id_t ctx, std::vector<mit_iov_buf> &iov)
{
	mit_result r;
	std::vector<gss_iov_buffer_desc> g = to_gss(iov);
	r.major = gss_verify_mic_iov(&r.minor, ctx, &r.qop, g.data(), (int)g.size());
	return r;
}

mit_result mit_wrap_iov_token(gss_ctx_id_t ctx, bool conf, const bytes &msg, bool with_trailer)
{
	std::vector<mit_iov_buf> iov(with_trailer ? 4 : 3);
	iov[0].type = GSS_IOV_BUFFER_TYPE_HEADER;
	iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
	iov[1].data = msg;
	iov[2].type = GSS_IOV_BUFFER_TYPE_PADDING;
	if (with_trailer)
		iov[3].type = GSS_IOV_BUFFER_TYPE_TRAILER;
	mit_result r = mit_wrap_iov(ctx, conf, iov);
	if (GSS_ERROR(r.major))
		return r;
	for (auto &b : iov)
		r.out.insert(r.out.end(), b.data.begin(), b.data.end());
	return r;
}

mit_result mit_unwrap_iov_stream(gss_ctx_id_t ctx, const bytes &token)
{
	std::vector<mit_iov_buf> iov(2);
	iov[0].type = GSS_IOV_BUFFER_TYPE_STREAM;
	iov[0].data = token;
	iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
	mit_result r = mit_unwrap_iov(ctx, iov);
	if (!GSS_ERROR(r.major))
		r.out = iov[1].data;
	return r;
}

} // namespace kmit
