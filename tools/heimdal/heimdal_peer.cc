// tools/heimdal/heimdal_peer.cc - see heimdal_peer.h.
#include "tools/heimdal/heimdal_peer.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <krb5.h>

#include "tools/kdc_env/kdc_env.h"

namespace kheim {

// ---- Heimdal's lucid struct is libkgss's, field for field ----------------------
#define KHEIM_SAME(f)                                                                                 \
	static_assert(offsetof(kgss_lucid_context_v1, f) == offsetof(gss_krb5_lucid_context_v1_t, f), \
		      "kgss_lucid_context_v1." #f " offset differs from Heimdal")
static_assert(sizeof(kgss_lucid_context_v1) == sizeof(gss_krb5_lucid_context_v1_t), "lucid size");
static_assert(sizeof(kgss_lucid_key) == sizeof(gss_krb5_lucid_key_t), "lucid key size");
KHEIM_SAME(send_seq);
KHEIM_SAME(recv_seq);
KHEIM_SAME(protocol);
KHEIM_SAME(rfc1964_kd.sign_alg);
KHEIM_SAME(rfc1964_kd.ctx_key.data);
KHEIM_SAME(cfx_kd.have_acceptor_subkey);
KHEIM_SAME(cfx_kd.ctx_key.type);
KHEIM_SAME(cfx_kd.acceptor_subkey.length);
KHEIM_SAME(cfx_kd.acceptor_subkey.data);
#undef KHEIM_SAME

bool heim_env_load(const std::string &path, std::string *err) { return kenv::kdc_env_load(path, err); }

const char *heim_enctype_name(int e)
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
	default:
		return "unknown-enctype";
	}
}

namespace {
void display_one(OM_uint32 code, int type, gss_OID mech, std::string *s)
{
	OM_uint32 msg_ctx = 0, min = 0;
	for (int i = 0; i < 16; i++) { // bounded
		gss_buffer_desc b = GSS_C_EMPTY_BUFFER;
		OM_uint32 maj = gss_display_status(&min, code, type, mech, &msg_ctx, &b);
		if (GSS_ERROR(maj))
			break;
		if (!s->empty())
			*s += "; ";
		s->append(static_cast<const char *>(b.value), b.length);
		gss_release_buffer(&min, &b);
		if (msg_ctx == 0)
			break;
	}
}

// One krb5 context for the harness's own AS exchanges (Heimdal's GSS library
// keeps its own per thread).
krb5_context g_kctx = nullptr;

bool fail(std::string *err, const std::string &step, OM_uint32 maj, OM_uint32 min)
{
	if (err)
		*err = step + ": " + heim_status_string(maj, min);
	return false;
}

bool kfail(std::string *err, const std::string &step, krb5_error_code code)
{
	if (err) {
		const char *m = g_kctx ? krb5_get_error_message(g_kctx, code) : nullptr;
		*err = step + ": krb5 error " + std::to_string(code) + " (" + (m ? m : "?") + ")";
		if (m)
			krb5_free_error_message(g_kctx, m);
	}
	return false;
}

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
// A MEMORY ccache holding a fresh TGT; destroyed with the holder.
struct ccache_h {
	krb5_ccache cc = nullptr;
	~ccache_h()
	{
		if (cc)
			krb5_cc_destroy(g_kctx, cc);
	}
};

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

// user's TGT into a new MEMORY ccache (krb5_get_init_creds_password against the KDC)
bool fresh_tgt(const kenv::kdc_env &env, ccache_h *cc, std::string *err)
{
	krb5_error_code k;
	if (!g_kctx && (k = krb5_init_context(&g_kctx)) != 0) {
		g_kctx = nullptr;
		if (err)
			*err = "krb5_init_context: " + std::to_string(k);
		return false;
	}
	krb5_principal client = nullptr;
	if ((k = krb5_parse_name(g_kctx, env.user.c_str(), &client)) != 0)
		return kfail(err, "krb5_parse_name", k);
	krb5_get_init_creds_opt *opt = nullptr;
	if ((k = krb5_get_init_creds_opt_alloc(g_kctx, &opt)) != 0) {
		krb5_free_principal(g_kctx, client);
		return kfail(err, "krb5_get_init_creds_opt_alloc", k);
	}
	krb5_creds creds;
	memset(&creds, 0, sizeof creds);
	k = krb5_get_init_creds_password(g_kctx, &creds, client, env.password.c_str(), nullptr, nullptr, 0, nullptr,
					 opt);
	krb5_get_init_creds_opt_free(g_kctx, opt);
	if (k != 0) {
		krb5_free_principal(g_kctx, client);
		return kfail(err, "krb5_get_init_creds_password(" + env.user + ")", k);
	}
	if ((k = krb5_cc_new_unique(g_kctx, "MEMORY", nullptr, &cc->cc)) != 0 ||
	    (k = krb5_cc_initialize(g_kctx, cc->cc, client)) != 0 ||
	    (k = krb5_cc_store_cred(g_kctx, cc->cc, &creds)) != 0) {
		krb5_free_cred_contents(g_kctx, &creds);
		krb5_free_principal(g_kctx, client);
		return kfail(err, "MEMORY ccache", k);
	}
	krb5_free_cred_contents(g_kctx, &creds);
	krb5_free_principal(g_kctx, client);
	return true;
}
} // namespace

std::string heim_status_string(OM_uint32 major, OM_uint32 minor)
{
	char num[64];
	snprintf(num, sizeof num, "major 0x%08x", (unsigned)major);
	std::string s = num, m;
	display_one(major, GSS_C_GSS_CODE, GSS_C_NO_OID, &m);
	s += " (" + m + ")";
	if (minor != 0) {
		snprintf(num, sizeof num, ", minor %u (", (unsigned)minor);
		std::string n;
		display_one(minor, GSS_C_MECH_CODE, GSS_KRB5_MECHANISM, &n);
		s += num + n + ")";
	}
	return s;
}

heim_pair::~heim_pair() { heim_pair_free(this); }

void heim_pair_free(heim_pair *p)
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

const gss_krb5_lucid_context_v1_t *heim_lucid(const heim_pair &p)
{
	return static_cast<const gss_krb5_lucid_context_v1_t *>(p.lucid);
}
const kgss_lucid_context_v1 *heim_lucid_kgss(const heim_pair &p)
{
	return static_cast<const kgss_lucid_context_v1 *>(p.lucid);
}

bool heim_establish(const heim_establish_opts &o, heim_pair *out, std::string *err)
{
	heim_pair_free(out);
	if (!kenv::kdc_env_get() && !heim_env_load("", err))
		return false;
	const kenv::kdc_env &env = *kenv::kdc_env_get();
	const std::string tag = std::string("[Heimdal ") + heim_enctype_name(o.enctype) + " (" +
				std::to_string(o.enctype) + "), mutual=" + (o.mutual ? "1" : "0") + "] ";
	auto efail = [&](const std::string &step, OM_uint32 maj, OM_uint32 min) {
		return fail(err, tag + step, maj, min);
	};
	OM_uint32 maj, min = 0;

	ccache_h cc;
	if (!fresh_tgt(env, &cc, err)) {
		if (err)
			*err = tag + *err;
		return false;
	}
	cred_h icred;
	maj = gss_krb5_import_cred(&min, cc.cc, nullptr, nullptr, &icred.c);
	if (GSS_ERROR(maj))
		return efail("gss_krb5_import_cred", maj, min);
	int32_t et = o.enctype;
	maj = gss_krb5_set_allowable_enctypes(&min, icred.c, 1, &et);
	if (GSS_ERROR(maj))
		return efail("gss_krb5_set_allowable_enctypes", maj, min);

	name_h target;
	if (!import_name(o.enctype == 24 ? env.service_exp : env.service, &target.n, err))
		return false;

	ctx_h ictx, actx;
	OM_uint32 req = o.req_flags | (o.mutual ? GSS_C_MUTUAL_FLAG : 0);
	OM_uint32 iflags = 0, aflags = 0;
	bool idone = false, adone = false;
	buf_h to_acc, to_init;
	int rounds = 0;
	for (;;) {
		if (++rounds > o.max_rounds)
			return fail(err, tag + "context establishment did not finish", 0, 0);
		to_acc.release();
		gss_buffer_desc in = to_init.b;
		maj = gss_init_sec_context(&min, icred.c, &ictx.c, target.n, GSS_KRB5_MECHANISM, req, GSS_C_INDEFINITE,
					   GSS_C_NO_CHANNEL_BINDINGS, rounds == 1 ? GSS_C_NO_BUFFER : &in, nullptr,
					   &to_acc.b, &iflags, nullptr);
		to_init.release();
		if (GSS_ERROR(maj))
			return efail("gss_init_sec_context", maj, min);
		idone = (maj == GSS_S_COMPLETE);
		if (to_acc.b.length == 0) {
			if (idone && adone)
				break;
			return fail(err, tag + "initiator produced no token before the acceptor completed", 0, 0);
		}
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

	void *lucid = nullptr;
	gss_ctx_id_t *exp = o.export_initiator ? &ictx.c : &actx.c;
	maj = gss_krb5_export_lucid_sec_context(&min, exp, 1, &lucid);
	if (GSS_ERROR(maj))
		return efail("gss_krb5_export_lucid_sec_context", maj, min);
	// Heimdal, like MIT, deletes the exported context (and sets the handle to
	// GSS_C_NO_CONTEXT); ~ctx_h deletes it otherwise.
	out->lucid = lucid;
	out->lucid_is_initiator = o.export_initiator;
	out->peer = o.export_initiator ? actx.c : ictx.c;
	if (o.export_initiator)
		actx.c = GSS_C_NO_CONTEXT;
	else
		ictx.c = GSS_C_NO_CONTEXT;
	out->enctype = o.enctype;
	out->mutual = o.mutual;
	out->init_ret_flags = iflags;
	out->acc_ret_flags = aflags;
	out->rounds = rounds;
	return true;
}

// ---- per-message calls (on copies: the caller's bytes are never rewritten) ----------
namespace {
struct copy_buf {
	bytes b;
	gss_buffer_desc d;
	explicit copy_buf(const bytes &src) : b(src)
	{
		d.length = b.size();
		d.value = b.empty() ? nullptr : b.data();
	}
};
void take(gss_buffer_desc *b, bytes *out)
{
	OM_uint32 m;
	const uint8_t *p = static_cast<const uint8_t *>(b->value);
	if (p)
		out->assign(p, p + b->length);
	gss_release_buffer(&m, b); // Heimdal frees whenever value != NULL
}
} // namespace

heim_result heim_wrap(gss_ctx_id_t ctx, bool conf, const bytes &msg)
{
	heim_result r;
	copy_buf in(msg);
	gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
	r.major = gss_wrap(&r.minor, ctx, conf ? 1 : 0, GSS_C_QOP_DEFAULT, &in.d, &r.conf_state, &out);
	take(&out, &r.out);
	return r;
}

heim_result heim_unwrap(gss_ctx_id_t ctx, const bytes &token)
{
	heim_result r;
	copy_buf in(token);
	gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
	r.major = gss_unwrap(&r.minor, ctx, &in.d, &out, &r.conf_state, &r.qop);
	take(&out, &r.out);
	return r;
}

heim_result heim_get_mic(gss_ctx_id_t ctx, const bytes &msg)
{
	heim_result r;
	copy_buf in(msg);
	gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
	r.major = gss_get_mic(&r.minor, ctx, GSS_C_QOP_DEFAULT, &in.d, &out);
	take(&out, &r.out);
	return r;
}

heim_result heim_verify_mic(gss_ctx_id_t ctx, const bytes &msg, const bytes &token)
{
	heim_result r;
	copy_buf m(msg), t(token);
	r.major = gss_verify_mic(&r.minor, ctx, &m.d, &t.d, &r.qop);
	return r;
}

heim_result heim_wrap_iov_token(gss_ctx_id_t ctx, bool conf, const bytes &msg, bool with_trailer)
{
	heim_result r;
	const int n = with_trailer ? 4 : 3;
	bytes store[4];
	store[1] = msg;
	gss_iov_buffer_desc iov[4];
	memset(iov, 0, sizeof iov);
	iov[0].type = GSS_IOV_BUFFER_TYPE_HEADER;
	iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
	iov[2].type = GSS_IOV_BUFFER_TYPE_PADDING;
	iov[3].type = GSS_IOV_BUFFER_TYPE_TRAILER;
	iov[1].buffer.length = msg.size();
	iov[1].buffer.value = store[1].empty() ? nullptr : store[1].data();
	r.major = gss_wrap_iov_length(&r.minor, ctx, conf ? 1 : 0, GSS_C_QOP_DEFAULT, &r.conf_state, iov, n);
	if (GSS_ERROR(r.major))
		return r;
	for (int i = 0; i < n; i++) {
		if (i == 1)
			continue;
		store[i].assign(iov[i].buffer.length, 0);
		iov[i].buffer.value = store[i].empty() ? nullptr : store[i].data();
	}
	r.major = gss_wrap_iov(&r.minor, ctx, conf ? 1 : 0, GSS_C_QOP_DEFAULT, &r.conf_state, iov, n);
	if (GSS_ERROR(r.major))
		return r;
	for (int i = 0; i < n; i++) {
		const uint8_t *p = static_cast<const uint8_t *>(iov[i].buffer.value);
		if (p)
			r.out.insert(r.out.end(), p, p + iov[i].buffer.length);
	}
	return r;
}

heim_result heim_unwrap_iov_parts(gss_ctx_id_t ctx, const bytes &header, const bytes &data, const bytes &padding,
				  const bytes &trailer)
{
	heim_result r;
	bytes store[4] = {header, data, padding, trailer};
	const OM_uint32 types[4] = {GSS_IOV_BUFFER_TYPE_HEADER, GSS_IOV_BUFFER_TYPE_DATA, GSS_IOV_BUFFER_TYPE_PADDING,
				    GSS_IOV_BUFFER_TYPE_TRAILER};
	gss_iov_buffer_desc iov[4];
	memset(iov, 0, sizeof iov);
	for (int i = 0; i < 4; i++) {
		iov[i].type = types[i];
		iov[i].buffer.length = store[i].size();
		iov[i].buffer.value = store[i].empty() ? nullptr : store[i].data();
	}
	r.major = gss_unwrap_iov(&r.minor, ctx, &r.conf_state, &r.qop, iov, 4);
	if (!GSS_ERROR(r.major)) {
		const uint8_t *p = static_cast<const uint8_t *>(iov[1].buffer.value);
		if (p)
			r.out.assign(p, p + iov[1].buffer.length);
	}
	return r;
}

} // namespace kheim
