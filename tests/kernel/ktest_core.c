/*
 * tests/kernel/ktest_core.c - see ktest_core.h.
 *
 * For every backend the environment offers and every case:
 *   1. import the exported side twice (lucid v1 rebuilt from the data, and
 *      the nfs-utils downcall buffer) and the MIT peer's lucid (the opposite
 *      role, so tokens can also be checked here);
 *   2. unwrap / verify the tokens MIT made, plain and IOV STREAM;
 *   3. the damaged MIT tokens give exactly the status user-space libkgss
 *      gave, and no plaintext leaves;
 *   4. produce wrap, MIC and NFS-shaped IOV tokens (HEADER in the head,
 *      DATA over head | pages | tail, PADDING and TRAILER in the tail, or
 *      the trailer in the header), print each for MIT to check on the host,
 *      and check each here with the peer's context, in place;
 *   5. for cases marked big (one per enctype): 64 KiB across 16 pages both
 *      ways, a damaged sealed token that must leave only zeros in the pages,
 *      and wrap / MIC / IOV from a softirq, a hard interrupt and a hard
 *      interrupt inside a kernel_fpu_begin() section (when the environment
 *      can: env->run_in);
 *   6. the known-answer tokens of gokrb5.
 * No libc: the only outside functions are kgss_* and memcpy/memset/memcmp.
 * Every loop is bounded by a count in the data or a constant.
 */
#include "ktest_core.h"
#include "ktest_env.h"

#define KT_BUF     4096u /* token / plaintext scratch buffers            */
#define KT_HEAD    2048u /* the "RPC head": HEADER and the first DATA    */
#define KT_TAIL    2048u /* the tail: last DATA, PADDING, TRAILER or MIC */
#define KT_PAGES   17u   /* 16 for the big round trip, +1 for a crossing */
#define KT_IOV_MAX (KT_PAGES + 6u)
#define KT_PAINT   0xA5u /* unwrap output prefill: no message holds it  */

static const char *const kt_call_names[KTEST_CALLS] = {
	"kgss_import_lucid_v1", "kgss_import_downcall", "kgss_wrap",     "kgss_unwrap",     "kgss_get_mic",
	"kgss_verify_mic",      "kgss_wrap_iov_length", "kgss_wrap_iov", "kgss_unwrap_iov", "kgss_get_mic_iov",
	"kgss_verify_mic_iov",  "kgss_ctx_free",
};

/* What an NFS-shaped layout is for. */
enum kt_shape { KT_WRAP_TRAILER, KT_WRAP_RRC, KT_MIC };

struct kt {
	const struct ktest_env *env;
	const struct ktest_backend *be;
	const struct ktest_case *c; /* NULL outside a case */
	const char *imp;            /* "lucid", "downcall", "peer", "kat" */
	uint32_t pass, fail, tokens;
	uint32_t be_pass, be_fail, be_tokens;
	size_t stack_max[KTEST_CALLS];
	size_t be_stack_max[KTEST_CALLS];
	uint32_t stack_seen[KTEST_CALLS];
	uint32_t where_runs[KTEST_WHERES];
	uint32_t where_fpu[KTEST_WHERES];
	uint32_t where_refused[KTEST_WHERES];
	char line[KTEST_LINE_MAX + 100];
	uint32_t pos;
	int overflow;
	uint8_t *tok; /* token copies / wrap output            */
	uint8_t *out; /* unwrap output                         */
	uint8_t *cat; /* an IOV token laid out flat, to print  */
	uint8_t *msg; /* a writable copy of the message        */
	uint8_t *head;
	uint8_t *tail;
	uint8_t *page[KT_PAGES];
	void *page_h[KT_PAGES];
	/* the current NFS-shaped layout */
	kgss_iov iov[KT_IOV_MAX];
	uint32_t niov;
	uint32_t ndata_first, ndata_end; /* DATA entries are iov[first..end) */
	const uint8_t *src;              /* DATA source: a message, or NULL = pattern */
	size_t src_len;
};

/* ---- console lines ---------------------------------------------------------- */
static void kt_begin(struct kt *t)
{
	t->pos = 0;
	t->overflow = 0;
	t->line[0] = 0;
}

static void kt_ch(struct kt *t, char ch)
{
	if (t->pos + 1 >= KTEST_LINE_MAX) {
		t->overflow = 1;
		return;
	}
	t->line[t->pos++] = ch;
	t->line[t->pos] = 0;
}

static void kt_str(struct kt *t, const char *s)
{
	uint32_t i;

	if (!s)
		s = "(null)";
	for (i = 0; s[i] && i < KTEST_LINE_MAX; i++)
		kt_ch(t, s[i]);
}

static void kt_u64(struct kt *t, uint64_t v)
{
	char d[24];
	int n = 0;

	do {
		d[n++] = (char)('0' + (int)(v % 10u));
		v /= 10u;
	} while (v && n < 24);
	while (n > 0)
		kt_ch(t, d[--n]);
}

static void kt_hex(struct kt *t, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		kt_ch(t, digits[p[i] >> 4]);
		kt_ch(t, digits[p[i] & 15]);
	}
}

static void kt_x32(struct kt *t, uint32_t v)
{
	uint8_t b[4];

	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
	kt_str(t, "0x");
	kt_hex(t, b, 4);
}

static void kt_end(struct kt *t) { t->env->print(t->env->ctx, t->line); }

/* Where we are: "<case> <import> <backend>". */
static void kt_where(struct kt *t)
{
	kt_str(t, t->c ? t->c->id : "-");
	kt_ch(t, ' ');
	kt_str(t, t->imp ? t->imp : "-");
	kt_ch(t, ' ');
	kt_str(t, t->be ? t->be->label : "-");
}

/* One KGSS-FAIL line: where, what, the status and (want_too) the expected one. */
static void kt_fail_line(struct kt *t, const char *what, const char *detail, kgss_status st, int want_too,
			 kgss_status want)
{
	kt_begin(t);
	kt_str(t, "KGSS-FAIL ");
	kt_where(t);
	kt_ch(t, ' ');
	kt_str(t, what);
	if (detail) {
		kt_ch(t, ' ');
		kt_str(t, detail);
	}
	kt_str(t, " status=");
	kt_x32(t, st);
	kt_str(t, " (");
	kt_str(t, kgss_status_string(st));
	kt_ch(t, ')');
	if (want_too) {
		kt_str(t, " expected=");
		kt_x32(t, want);
		kt_str(t, " (");
		kt_str(t, kgss_status_string(want));
		kt_ch(t, ')');
	}
	kt_end(t);
}

/* Counts one check; prints KGSS-FAIL with the status when it failed. */
static int kt_check(struct kt *t, int ok, const char *what, const char *detail, kgss_status st)
{
	if (ok) {
		t->pass++;
		t->be_pass++;
		return 1;
	}
	t->fail++;
	t->be_fail++;
	kt_fail_line(t, what, detail, st, 0, 0);
	return 0;
}

/* Counts one check: the exact status. */
static int kt_status(struct kt *t, kgss_status st, kgss_status want, const char *what, const char *detail)
{
	if (st == want) {
		t->pass++;
		t->be_pass++;
		return 1;
	}
	t->fail++;
	t->be_fail++;
	kt_fail_line(t, what, detail, st, 1, want);
	return 0;
}

static void kt_print_token(struct kt *t, const char *kind, const uint8_t *p, size_t n)
{
	kt_begin(t);
	kt_str(t, "KGSS-TOKEN ");
	kt_where(t);
	kt_ch(t, ' ');
	kt_str(t, kind);
	kt_ch(t, ' ');
	kt_hex(t, p, n);
	if (!kt_check(t, !t->overflow, "token line too long", kind, 0))
		return;
	kt_end(t);
	t->tokens++;
	t->be_tokens++;
}

/* ---- stack probe -------------------------------------------------------------- */
static uintptr_t kt_probe_begin(struct kt *t) { return t->env->stack_begin ? t->env->stack_begin(t->env->ctx) : 0; }

static void kt_probe_end(struct kt *t, enum ktest_call call, uintptr_t mark)
{
	size_t used;

	if (!t->env->stack_end)
		return;
	used = t->env->stack_end(t->env->ctx, mark);
	if (used > t->stack_max[call])
		t->stack_max[call] = used;
	if (used > t->be_stack_max[call])
		t->be_stack_max[call] = used;
	t->stack_seen[call]++;
}

#define KT_PROBED(t, call, st, expr)                    \
	do {                                            \
		uintptr_t kt_mark_ = kt_probe_begin(t); \
		(st) = (expr);                          \
		kt_probe_end((t), (call), kt_mark_);    \
	} while (0)

static void kt_free_ctx(struct kt *t, kgss_ctx **ctx)
{
	uintptr_t mark;

	if (!*ctx)
		return;
	mark = kt_probe_begin(t);
	kgss_ctx_free(*ctx);
	kt_probe_end(t, KTEST_CALL_CTX_FREE, mark);
	*ctx = NULL;
}

static void kt_yield(struct kt *t)
{
	if (t->env->yield)
		t->env->yield(t->env->ctx);
}

/* ---- helpers ------------------------------------------------------------------ */
/* The big round trip's data: not a message, a function of the offset. */
static uint8_t kt_pattern(size_t i) { return (uint8_t)((i * 131u) ^ (i >> 7) ^ 0x3cu); }

static uint8_t kt_src_byte(const struct kt *t, size_t i) { return t->src ? t->src[i] : kt_pattern(i); }

/* 1 if needle[0..n) occurs in hay[0..len). */
static int kt_contains(const uint8_t *hay, size_t len, const uint8_t *needle, size_t n)
{
	size_t i;

	if (n == 0 || n > len)
		return 0;
	for (i = 0; i + n <= len; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, n) == 0)
			return 1;
	return 0;
}

/* Rebuilds a kgss_lucid_context_v1; its key pointers point into keys[]. */
static void kt_lucid(const struct ktest_lucid *d, kgss_lucid_context_v1 *l, uint8_t keys[2][KTEST_KEY_MAX])
{
	kgss_lucid_key *k0, *k1;

	memset(l, 0, sizeof(*l));
	memcpy(keys[0], d->ctx_key.data, KTEST_KEY_MAX);
	memcpy(keys[1], d->acceptor_subkey.data, KTEST_KEY_MAX);
	l->version = 1;
	l->initiate = d->initiate;
	l->endtime = d->endtime;
	l->send_seq = d->send_seq;
	l->recv_seq = d->recv_seq;
	l->protocol = d->protocol;
	if (d->protocol == 0) {
		l->rfc1964_kd.sign_alg = d->sign_alg;
		l->rfc1964_kd.seal_alg = d->seal_alg;
		k0 = &l->rfc1964_kd.ctx_key;
		k1 = NULL;
	} else {
		l->cfx_kd.have_acceptor_subkey = d->have_acceptor_subkey;
		k0 = &l->cfx_kd.ctx_key;
		k1 = d->have_acceptor_subkey ? &l->cfx_kd.acceptor_subkey : NULL;
	}
	k0->type = d->ctx_key.type;
	k0->length = d->ctx_key.length;
	k0->data = keys[0];
	if (k1) {
		k1->type = d->acceptor_subkey.type;
		k1->length = d->acceptor_subkey.length;
		k1->data = keys[1];
	}
}

static void kt_options(struct kt *t, kgss_options *o)
{
	t->env->options_init(t->env->ctx, o);
	o->crypto = t->be->crypto;
}

static kgss_status kt_import_lucid(struct kt *t, const struct ktest_lucid *d, kgss_ctx **ctx)
{
	kgss_lucid_context_v1 l;
	uint8_t keys[2][KTEST_KEY_MAX]; /* secret (test keys): wiped below */
	kgss_options o;
	kgss_status st;

	kt_lucid(d, &l, keys);
	kt_options(t, &o);
	*ctx = NULL;
	KT_PROBED(t, KTEST_CALL_IMPORT_LUCID, st, kgss_import_lucid_v1(&l, &o, ctx));
	memset(keys, 0, sizeof(keys));
	return st;
}

/* The context says what the data says. */
static void kt_check_info(struct kt *t, kgss_ctx *ctx, const struct ktest_lucid *d)
{
	kgss_ctx_info info;
	kgss_status st;

	memset(&info, 0, sizeof(info));
	st = kgss_ctx_inquire(ctx, &info);
	if (!kt_status(t, st, KGSS_S_COMPLETE, "kgss_ctx_inquire", NULL))
		return;
	kt_check(t, info.enctype == t->c->enctype, "inquire enctype", NULL, st);
	kt_check(t, info.protocol == d->protocol, "inquire protocol", NULL, st);
	kt_check(t, info.initiator == d->initiate, "inquire initiator", NULL, st);
	kt_check(t, info.acceptor_subkey == (d->protocol ? d->have_acceptor_subkey : 0u), "inquire acceptor_subkey",
		 NULL, st);
}

/* ---- the tokens MIT made ------------------------------------------------------------ */
static const char *const kt_mit_names[KTEST_MIT_KINDS] = {
	"mit-wrap-conf", "mit-wrap-integ", "mit-mic", "mit-iov-rrc-conf", "mit-iov-rrc-integ",
};

static int kt_mit_conf(uint32_t kind) { return kind == KTEST_MIT_WRAP_CONF || kind == KTEST_MIT_IOV_RRC_CONF; }

static void kt_copy_msg(struct kt *t) { memcpy(t->msg, t->c->message.data, t->c->message.len); }

static void kt_mit_unwrap(struct kt *t, kgss_ctx *ctx, uint32_t kind)
{
	const struct ktest_bytes *tk = &t->c->mit[kind];
	const struct ktest_bytes *m = &t->c->message;
	const char *name = kt_mit_names[kind];
	kgss_buffer in, out;
	kgss_iov iov[2];
	int conf = -1;
	uint32_t qop = 99;
	kgss_status st;

	/* plain kgss_unwrap */
	memcpy(t->tok, tk->data, tk->len);
	in.length = tk->len;
	in.value = t->tok;
	out.length = KT_BUF;
	out.value = t->out;
	KT_PROBED(t, KTEST_CALL_UNWRAP, st, kgss_unwrap(ctx, &in, &out, &conf, &qop));
	if (kt_status(t, st, KGSS_S_COMPLETE, "kgss_unwrap", name)) {
		kt_check(t, out.length == m->len && memcmp(out.value, m->data, m->len) == 0,
			 "kgss_unwrap plaintext differs from the message", name, st);
		kt_check(t, conf == kt_mit_conf(kind), "kgss_unwrap conf_state", name, st);
		kt_check(t, qop == 0, "kgss_unwrap qop_state", name, st);
	}

	/* kgss_unwrap_iov STREAM | DATA, in place over a copy */
	memcpy(t->tok, tk->data, tk->len);
	iov[0].type = KGSS_IOV_STREAM;
	iov[0].buffer.length = tk->len;
	iov[0].buffer.value = t->tok;
	iov[1].type = KGSS_IOV_DATA;
	iov[1].buffer.length = 0;
	iov[1].buffer.value = NULL;
	conf = -1;
	KT_PROBED(t, KTEST_CALL_UNWRAP_IOV, st, kgss_unwrap_iov(ctx, &conf, &qop, iov, 2));
	if (kt_status(t, st, KGSS_S_COMPLETE, "kgss_unwrap_iov STREAM", name)) {
		const uint8_t *p = (const uint8_t *)iov[1].buffer.value;

		kt_check(t, p >= t->tok && p + iov[1].buffer.length <= t->tok + tk->len,
			 "kgss_unwrap_iov STREAM: DATA outside the stream", name, st);
		kt_check(t, iov[1].buffer.length == m->len && memcmp(p, m->data, m->len) == 0,
			 "kgss_unwrap_iov STREAM plaintext differs from the message", name, st);
		kt_check(t, conf == kt_mit_conf(kind), "kgss_unwrap_iov conf_state", name, st);
	}
}

static void kt_mit_mic(struct kt *t, kgss_ctx *ctx)
{
	const struct ktest_bytes *tk = &t->c->mit[KTEST_MIT_MIC];
	const struct ktest_bytes *m = &t->c->message;
	kgss_buffer msg, tok;
	kgss_iov iov[3];
	uint32_t qop = 99;
	size_t half = m->len / 2;
	kgss_status st;

	kt_copy_msg(t);
	memcpy(t->tok, tk->data, tk->len);
	msg.length = m->len;
	msg.value = t->msg;
	tok.length = tk->len;
	tok.value = t->tok;
	KT_PROBED(t, KTEST_CALL_VERIFY_MIC, st, kgss_verify_mic(ctx, &msg, &tok, &qop));
	if (kt_status(t, st, KGSS_S_COMPLETE, "kgss_verify_mic", "mit-mic"))
		kt_check(t, qop == 0, "kgss_verify_mic qop_state", "mit-mic", st);

	/* the same token over the message in two DATA pieces */
	iov[0].type = KGSS_IOV_DATA;
	iov[0].buffer.length = half;
	iov[0].buffer.value = t->msg;
	iov[1].type = KGSS_IOV_DATA;
	iov[1].buffer.length = m->len - half;
	iov[1].buffer.value = t->msg + half;
	iov[2].type = KGSS_IOV_MIC_TOKEN;
	iov[2].buffer.length = tk->len;
	iov[2].buffer.value = t->tok;
	KT_PROBED(t, KTEST_CALL_VERIFY_MIC_IOV, st, kgss_verify_mic_iov(ctx, &qop, iov, 3));
	kt_status(t, st, KGSS_S_COMPLETE, "kgss_verify_mic_iov", "mit-mic");
}

static void kt_mit_tokens(struct kt *t, kgss_ctx *ctx)
{
	uint32_t k;

	for (k = 0; k < KTEST_MIT_KINDS; k++) {
		if (t->c->mit[k].len == 0)
			continue;
		if (k == KTEST_MIT_MIC)
			kt_mit_mic(t, ctx);
		else
			kt_mit_unwrap(t, ctx, k);
	}
}

/* ---- damaged MIT tokens --------------------------------------------------------------- */
static void kt_tamper_one(struct kt *t, kgss_ctx *ctx, const struct ktest_tamper *tp)
{
	const struct ktest_bytes *m = &t->c->message;
	kgss_buffer in, out, msg;
	kgss_iov iov[2];
	int conf = -1;
	uint32_t qop = 0;
	size_t i, bad;
	kgss_status st;
	size_t need = m->len < 16u ? m->len : 16u; /* the first bytes of the plaintext */

	kt_check(t, KGSS_ERROR(tp->expect), "tamper expectation is not an error", tp->what, tp->expect);
	if (tp->mit_kind == KTEST_MIT_MIC) {
		kt_copy_msg(t);
		memcpy(t->tok, tp->token.data, tp->token.len);
		msg.length = m->len;
		msg.value = t->msg;
		in.length = tp->token.len;
		in.value = t->tok;
		KT_PROBED(t, KTEST_CALL_VERIFY_MIC, st, kgss_verify_mic(ctx, &msg, &in, &qop));
		kt_status(t, st, tp->expect, "tampered kgss_verify_mic", tp->what);
		return;
	}

	/* kgss_unwrap: exact status, length 0, only zeros or the paint left */
	memcpy(t->tok, tp->token.data, tp->token.len);
	memset(t->out, KT_PAINT, KT_BUF);
	in.length = tp->token.len;
	in.value = t->tok;
	out.length = KT_BUF;
	out.value = t->out;
	KT_PROBED(t, KTEST_CALL_UNWRAP, st, kgss_unwrap(ctx, &in, &out, &conf, &qop));
	kt_status(t, st, tp->expect, "tampered kgss_unwrap", tp->what);
	kt_check(t, out.length == 0, "tampered kgss_unwrap released a length", tp->what, st);
	bad = 0;
	for (i = 0; i < KT_BUF; i++)
		if (t->out[i] != 0 && t->out[i] != KT_PAINT)
			bad++;
	kt_check(t, bad == 0, "tampered kgss_unwrap left bytes in the output", tp->what, st);

	/* kgss_unwrap_iov STREAM | DATA */
	memcpy(t->tok, tp->token.data, tp->token.len);
	iov[0].type = KGSS_IOV_STREAM;
	iov[0].buffer.length = tp->token.len;
	iov[0].buffer.value = t->tok;
	iov[1].type = KGSS_IOV_DATA;
	iov[1].buffer.length = 0;
	iov[1].buffer.value = NULL;
	KT_PROBED(t, KTEST_CALL_UNWRAP_IOV, st, kgss_unwrap_iov(ctx, &conf, &qop, iov, 2));
	kt_status(t, st, tp->expect_stream, "tampered kgss_unwrap_iov STREAM", tp->what);
	kt_check(t, iov[1].buffer.length == 0 && iov[1].buffer.value == NULL,
		 "tampered kgss_unwrap_iov STREAM moved DATA", tp->what, st);
	if (kt_mit_conf(tp->mit_kind))
		kt_check(t, !kt_contains(t->tok, tp->token.len, m->data, need),
			 "tampered sealed kgss_unwrap_iov STREAM left plaintext", tp->what, st);
}

static void kt_tampers(struct kt *t, kgss_ctx *ctx)
{
	uint32_t i;

	for (i = 0; i < t->c->ntampers; i++)
		kt_tamper_one(t, ctx, &t->c->tampers[i]);
}

/* ---- NFS-shaped layouts ---------------------------------------------------------------- */
/* DATA of len bytes: head_len in the head after the header, then pages from
 * page_base on (crossing page boundaries), then tail_len in the tail.  The
 * iov gets HEADER | DATA... | PADDING [| TRAILER], or DATA... | MIC_TOKEN.
 * Lengths of HEADER / PADDING / TRAILER / MIC_TOKEN are 0 until *_length. */
static int kt_layout(struct kt *t, enum kt_shape shape, size_t len, size_t head_len, size_t page_base, size_t tail_len)
{
	size_t page_len, ps = t->env->page_size, off;
	uint32_t n = 0, p;

	if (head_len + tail_len > len || page_base >= ps)
		return 0;
	page_len = len - head_len - tail_len;
	if (page_base + page_len > (size_t)KT_PAGES * ps)
		return 0;
	if (shape != KT_MIC) {
		t->iov[n].type = KGSS_IOV_HEADER;
		t->iov[n].buffer.length = 0;
		t->iov[n].buffer.value = t->head;
		n++;
	}
	t->ndata_first = n;
	if (head_len) {
		t->iov[n].type = KGSS_IOV_DATA;
		t->iov[n].buffer.length = head_len;
		t->iov[n].buffer.value = t->head; /* moved after the header later */
		n++;
	}
	off = page_base;
	for (p = 0; p < KT_PAGES && page_len > 0; p++) {
		size_t in_page = ps - off;

		if (in_page > page_len)
			in_page = page_len;
		t->iov[n].type = KGSS_IOV_DATA;
		t->iov[n].buffer.length = in_page;
		t->iov[n].buffer.value = t->page[p] + off;
		n++;
		page_len -= in_page;
		off = 0;
	}
	if (tail_len) {
		t->iov[n].type = KGSS_IOV_DATA;
		t->iov[n].buffer.length = tail_len;
		t->iov[n].buffer.value = t->tail;
		n++;
	}
	t->ndata_end = n;
	if (shape == KT_MIC) {
		t->iov[n].type = KGSS_IOV_MIC_TOKEN;
		t->iov[n].buffer.length = 0;
		t->iov[n].buffer.value = t->tail;
		n++;
	} else {
		t->iov[n].type = KGSS_IOV_PADDING;
		t->iov[n].buffer.length = 0;
		t->iov[n].buffer.value = t->tail;
		n++;
		if (shape == KT_WRAP_TRAILER) {
			t->iov[n].type = KGSS_IOV_TRAILER;
			t->iov[n].buffer.length = 0;
			t->iov[n].buffer.value = t->tail;
			n++;
		}
	}
	t->niov = n;
	return 1;
}

/* After the *_length call: the header goes at the start of the head and the
 * head DATA right after it; PADDING / TRAILER / MIC_TOKEN follow the tail
 * DATA.  Then the DATA is filled from the source. */
static int kt_place(struct kt *t)
{
	uint8_t *hp = t->head, *tp = t->tail;
	size_t pos = 0, i, j;
	uint32_t k;

	for (k = 0; k < t->niov; k++) {
		kgss_iov *v = &t->iov[k];

		if (v->type == KGSS_IOV_HEADER) {
			v->buffer.value = hp;
			hp += v->buffer.length;
		} else if (v->type == KGSS_IOV_DATA && v->buffer.value == (void *)t->head) {
			v->buffer.value = hp;
			hp += v->buffer.length;
		} else if (v->type == KGSS_IOV_DATA && v->buffer.value == (void *)t->tail) {
			tp += v->buffer.length;
		} else if (v->type != KGSS_IOV_DATA) {
			v->buffer.value = tp;
			tp += v->buffer.length;
		}
	}
	if (hp > t->head + KT_HEAD || tp > t->tail + KT_TAIL)
		return 0;
	for (k = t->ndata_first; k < t->ndata_end; k++) {
		uint8_t *d = (uint8_t *)t->iov[k].buffer.value;

		for (j = 0, i = pos; j < t->iov[k].buffer.length; j++, i++)
			d[j] = kt_src_byte(t, i);
		pos += t->iov[k].buffer.length;
	}
	return 1;
}

/* 1 if the DATA entries hold the source again. */
static int kt_data_is_source(const struct kt *t)
{
	size_t pos = 0, j;
	uint32_t k;

	for (k = t->ndata_first; k < t->ndata_end; k++) {
		const uint8_t *d = (const uint8_t *)t->iov[k].buffer.value;

		for (j = 0; j < t->iov[k].buffer.length; j++)
			if (d[j] != kt_src_byte(t, pos + j))
				return 0;
		pos += t->iov[k].buffer.length;
	}
	return pos == t->src_len;
}

static int kt_data_is_zero(const struct kt *t)
{
	size_t j;
	uint32_t k;

	for (k = t->ndata_first; k < t->ndata_end; k++) {
		const uint8_t *d = (const uint8_t *)t->iov[k].buffer.value;

		for (j = 0; j < t->iov[k].buffer.length; j++)
			if (d[j] != 0)
				return 0;
	}
	return 1;
}

/* The whole token (every buffer but EMPTY, in order) into t->cat. */
static size_t kt_flatten(struct kt *t)
{
	size_t n = 0;
	uint32_t k;

	for (k = 0; k < t->niov; k++) {
		size_t l = t->iov[k].buffer.length;

		if (n + l > KT_BUF)
			return 0;
		memcpy(t->cat + n, t->iov[k].buffer.value, l);
		n += l;
	}
	return n;
}

/* The DATA-less MIC token. */
static const kgss_iov *kt_find(const struct kt *t, uint32_t type)
{
	uint32_t k;

	for (k = 0; k < t->niov; k++)
		if (t->iov[k].type == type)
			return &t->iov[k];
	return NULL;
}

/* wrap_iov by `from` over the current source laid out in shape, then
 * unwrap_iov by `to` in place; prints the token as `kind` if kind != NULL. */
static void kt_iov_round_trip(struct kt *t, kgss_ctx *from, kgss_ctx *to, int conf_req, enum kt_shape shape,
			      size_t head_len, size_t page_base, size_t tail_len, const char *kind)
{
	const char *what = kind ? kind : (conf_req ? "big-iov-conf" : "big-iov-integ");
	int conf = -1;
	uint32_t qop = 99;
	kgss_status st;
	size_t n;

	if (!kt_check(t, kt_layout(t, shape, t->src_len, head_len, page_base, tail_len), "layout", what, 0))
		return;
	KT_PROBED(t, KTEST_CALL_WRAP_IOV_LENGTH, st, kgss_wrap_iov_length(from, conf_req, 0, &conf, t->iov, t->niov));
	if (!kt_status(t, st, KGSS_S_COMPLETE, "kgss_wrap_iov_length", what))
		return;
	if (!kt_check(t, kt_place(t), "layout does not fit", what, 0))
		return;
	conf = -1;
	KT_PROBED(t, KTEST_CALL_WRAP_IOV, st, kgss_wrap_iov(from, conf_req, 0, &conf, t->iov, t->niov));
	if (!kt_status(t, st, KGSS_S_COMPLETE, "kgss_wrap_iov", what))
		return;
	kt_check(t, conf == conf_req, "kgss_wrap_iov conf_state", what, st);
	if (conf_req)
		kt_check(t, !kt_data_is_source(t), "kgss_wrap_iov conf left the data in the clear", what, st);
	if (kind) {
		n = kt_flatten(t);
		if (kt_check(t, n > 0, "token too large to print", what, 0))
			kt_print_token(t, kind, t->cat, n);
	}
	conf = -1;
	KT_PROBED(t, KTEST_CALL_UNWRAP_IOV, st, kgss_unwrap_iov(to, &conf, &qop, t->iov, t->niov));
	if (!kt_status(t, st, KGSS_S_COMPLETE, "peer kgss_unwrap_iov in place", what))
		return;
	kt_check(t, conf == conf_req, "peer kgss_unwrap_iov conf_state", what, st);
	kt_check(t, kt_data_is_source(t), "peer kgss_unwrap_iov: data differs", what, st);
}

static void kt_iov_mic(struct kt *t, kgss_ctx *from, kgss_ctx *to, size_t head_len, size_t page_base, size_t tail_len,
		       const char *kind)
{
	const char *what = kind ? kind : "big-mic-iov";
	const kgss_iov *mic;
	uint32_t qop = 99;
	kgss_status st;

	if (!kt_check(t, kt_layout(t, KT_MIC, t->src_len, head_len, page_base, tail_len), "layout", what, 0))
		return;
	st = kgss_get_mic_iov_length(from, 0, t->iov, t->niov);
	if (!kt_status(t, st, KGSS_S_COMPLETE, "kgss_get_mic_iov_length", what))
		return;
	if (!kt_check(t, kt_place(t), "layout does not fit", what, 0))
		return;
	KT_PROBED(t, KTEST_CALL_GET_MIC_IOV, st, kgss_get_mic_iov(from, 0, t->iov, t->niov));
	if (!kt_status(t, st, KGSS_S_COMPLETE, "kgss_get_mic_iov", what))
		return;
	kt_check(t, kt_data_is_source(t), "kgss_get_mic_iov changed the data", what, st);
	mic = kt_find(t, KGSS_IOV_MIC_TOKEN);
	if (kind && mic)
		kt_print_token(t, kind, (const uint8_t *)mic->buffer.value, mic->buffer.length);
	KT_PROBED(t, KTEST_CALL_VERIFY_MIC_IOV, st, kgss_verify_mic_iov(to, &qop, t->iov, t->niov));
	kt_status(t, st, KGSS_S_COMPLETE, "peer kgss_verify_mic_iov", what);
}

/* ---- tokens made here, for MIT on the host and the peer here ---------------------- */
static void kt_wrap(struct kt *t, kgss_ctx *ctx, kgss_ctx *peer, int conf_req, const char *kind)
{
	const struct ktest_bytes *m = &t->c->message;
	kgss_buffer in, out, back;
	size_t want = 0;
	int conf = -1;
	uint32_t qop = 99;
	kgss_status st;

	st = kgss_wrap_size(ctx, conf_req, m->len, &want);
	if (!kt_status(t, st, KGSS_S_COMPLETE, "kgss_wrap_size", kind))
		return;
	kt_copy_msg(t);
	in.length = m->len;
	in.value = t->msg;
	out.length = KT_BUF;
	out.value = t->tok;
	KT_PROBED(t, KTEST_CALL_WRAP, st, kgss_wrap(ctx, conf_req, 0, &in, &conf, &out));
	if (!kt_status(t, st, KGSS_S_COMPLETE, "kgss_wrap", kind))
		return;
	kt_check(t, out.length == want, "kgss_wrap length differs from kgss_wrap_size", kind, st);
	kt_check(t, conf == conf_req, "kgss_wrap conf_state", kind, st);
	kt_check(t, memcmp(t->msg, m->data, m->len) == 0, "kgss_wrap changed its input", kind, st);
	if (conf_req)
		kt_check(t, !kt_contains(t->tok, out.length, m->data, 16), "sealed token holds the plaintext", kind,
			 st);
	kt_print_token(t, kind, t->tok, out.length);

	back.length = KT_BUF;
	back.value = t->out;
	conf = -1;
	KT_PROBED(t, KTEST_CALL_UNWRAP, st, kgss_unwrap(peer, &out, &back, &conf, &qop));
	if (kt_status(t, st, KGSS_S_COMPLETE, "peer kgss_unwrap", kind)) {
		kt_check(t, back.length == m->len && memcmp(back.value, m->data, m->len) == 0,
			 "peer kgss_unwrap plaintext differs", kind, st);
		kt_check(t, conf == conf_req, "peer kgss_unwrap conf_state", kind, st);
	}
}

static void kt_mic(struct kt *t, kgss_ctx *ctx, kgss_ctx *peer)
{
	const struct ktest_bytes *m = &t->c->message;
	kgss_buffer in, tok;
	size_t want = 0;
	uint32_t qop = 99;
	kgss_status st;

	st = kgss_mic_size(ctx, m->len, &want);
	if (!kt_status(t, st, KGSS_S_COMPLETE, "kgss_mic_size", "mic"))
		return;
	kt_copy_msg(t);
	in.length = m->len;
	in.value = t->msg;
	tok.length = KT_BUF;
	tok.value = t->tok;
	KT_PROBED(t, KTEST_CALL_GET_MIC, st, kgss_get_mic(ctx, 0, &in, &tok));
	if (!kt_status(t, st, KGSS_S_COMPLETE, "kgss_get_mic", "mic"))
		return;
	kt_check(t, tok.length == want, "kgss_get_mic length differs from kgss_mic_size", "mic", st);
	kt_print_token(t, "mic", t->tok, tok.length);
	KT_PROBED(t, KTEST_CALL_VERIFY_MIC, st, kgss_verify_mic(peer, &in, &tok, &qop));
	kt_status(t, st, KGSS_S_COMPLETE, "peer kgss_verify_mic", "mic");
}

static void kt_produce(struct kt *t, kgss_ctx *ctx, kgss_ctx *peer)
{
	const struct ktest_bytes *m = &t->c->message;
	size_t ps = t->env->page_size;
	size_t head_len = m->len / 3, tail_len = m->len / 4;
	size_t page_len = m->len - head_len - tail_len;
	/* the page part starts in page 0 and ends in page 1, like an xdr_buf
	 * whose page_base leaves a few bytes in the first page */
	size_t page_base = ps - page_len / 2;
	int cfx = t->c->lucid.protocol == 1;

	kt_wrap(t, ctx, peer, 1, "wrap-conf");
	kt_wrap(t, ctx, peer, 0, "wrap-integ");
	kt_mic(t, ctx, peer);
	t->src = m->data;
	t->src_len = m->len;
	if (cfx) {
		kt_iov_round_trip(t, ctx, peer, 1, KT_WRAP_TRAILER, head_len, page_base, tail_len, "iov-conf");
		kt_iov_round_trip(t, ctx, peer, 0, KT_WRAP_TRAILER, head_len, page_base, tail_len, "iov-integ");
		kt_iov_round_trip(t, ctx, peer, 1, KT_WRAP_RRC, head_len, page_base, tail_len, "iov-conf-rrc");
		kt_iov_round_trip(t, ctx, peer, 0, KT_WRAP_RRC, head_len, page_base, tail_len, "iov-integ-rrc");
	} else {
		/* RFC 1964 has no trailer: HEADER | DATA | PADDING */
		kt_iov_round_trip(t, ctx, peer, 1, KT_WRAP_RRC, head_len, page_base, tail_len, "iov-conf");
		kt_iov_round_trip(t, ctx, peer, 0, KT_WRAP_RRC, head_len, page_base, tail_len, "iov-integ");
	}
	kt_iov_mic(t, ctx, peer, head_len, page_base, tail_len, "mic-iov");
	t->src = NULL;
	t->src_len = 0;
}

/* 64 KiB over 16 pages (and the head and tail), from -> to, in place. */
#define KT_BIG_HEAD 1000u
#define KT_BIG_TAIL 700u
#define KT_BIG_BASE 512u
static void kt_big(struct kt *t, kgss_ctx *from, kgss_ctx *to)
{
	size_t ps = t->env->page_size;
	size_t page_len = 16u * ps - KT_BIG_BASE;
	int cfx = t->c->lucid.protocol == 1;
	kgss_iov *data_page;
	int conf = -1;
	uint32_t qop = 0, k;
	kgss_status st;

	t->src = NULL;
	t->src_len = KT_BIG_HEAD + page_len + KT_BIG_TAIL;
	kt_iov_round_trip(t, from, to, 1, cfx ? KT_WRAP_TRAILER : KT_WRAP_RRC, KT_BIG_HEAD, KT_BIG_BASE, KT_BIG_TAIL,
			  NULL);
	kt_yield(t);
	kt_iov_round_trip(t, from, to, 0, KT_WRAP_RRC, KT_BIG_HEAD, KT_BIG_BASE, KT_BIG_TAIL, NULL);
	kt_yield(t);
	kt_iov_mic(t, from, to, KT_BIG_HEAD, KT_BIG_BASE, KT_BIG_TAIL, NULL);
	kt_yield(t);

	/* a sealed token with one byte changed in the 8th page: BAD_SIG and
	 * nothing but zeros in every DATA buffer */
	if (!kt_check(t, kt_layout(t, KT_WRAP_RRC, t->src_len, KT_BIG_HEAD, KT_BIG_BASE, KT_BIG_TAIL), "layout",
		      "big-tamper", 0))
		return;
	st = kgss_wrap_iov_length(from, 1, 0, &conf, t->iov, t->niov);
	if (!kt_status(t, st, KGSS_S_COMPLETE, "kgss_wrap_iov_length", "big-tamper") ||
	    !kt_check(t, kt_place(t), "layout does not fit", "big-tamper", 0))
		return;
	st = kgss_wrap_iov(from, 1, 0, &conf, t->iov, t->niov);
	if (!kt_status(t, st, KGSS_S_COMPLETE, "kgss_wrap_iov", "big-tamper"))
		return;
	data_page = NULL;
	for (k = t->ndata_first; k < t->ndata_end; k++)
		if ((uint8_t *)t->iov[k].buffer.value == t->page[7])
			data_page = &t->iov[k];
	if (!kt_check(t, data_page != NULL, "no DATA in page 7", "big-tamper", 0))
		return;
	((uint8_t *)data_page->buffer.value)[100] ^= 0x01u;
	KT_PROBED(t, KTEST_CALL_UNWRAP_IOV, st, kgss_unwrap_iov(to, &conf, &qop, t->iov, t->niov));
	kt_status(t, st, KGSS_S_BAD_SIG, "tampered big sealed kgss_unwrap_iov", "big-tamper");
	kt_check(t, kt_data_is_zero(t), "tampered big sealed kgss_unwrap_iov left data", "big-tamper", st);
	kt_yield(t);
}

/* ---- softirq and hard-IRQ context ----------------------------------------------------
 * The per-message calls once more, from a softirq and from a hard interrupt
 * (kgss_linux.h allows both): wrap + the peer's unwrap, MIC + verify, an
 * NFS-shaped IOV wrap + unwrap in place.  Nothing is printed or probed in
 * there (another stack); the results are checked back in process context. */
struct kt_job {
	struct kt *t;
	kgss_ctx *a, *b;
	kgss_status st[6];
	int plain_ok, iov_ok;
};

static const char *const kt_job_steps[6] = {
	"kgss_wrap",     "peer kgss_unwrap",     "kgss_get_mic", "peer kgss_verify_mic",
	"kgss_wrap_iov", "peer kgss_unwrap_iov",
};

static void kt_job_fn(void *arg)
{
	struct kt_job *j = (struct kt_job *)arg;
	struct kt *t = j->t;
	const struct ktest_bytes *m = &t->c->message;
	kgss_buffer in, out, back, mic;
	int conf = -1;
	uint32_t qop = 0;

	in.length = m->len;
	in.value = t->msg;
	out.length = KT_BUF;
	out.value = t->tok;
	back.length = KT_BUF;
	back.value = t->out;
	j->st[0] = kgss_wrap(j->a, 1, 0, &in, &conf, &out);
	j->st[1] = j->st[0] ? KGSS_S_FAILURE : kgss_unwrap(j->b, &out, &back, &conf, &qop);
	j->plain_ok = j->st[1] == KGSS_S_COMPLETE && back.length == m->len && memcmp(back.value, m->data, m->len) == 0;
	mic.length = KT_BUF;
	mic.value = t->cat;
	j->st[2] = kgss_get_mic(j->a, 0, &in, &mic);
	j->st[3] = j->st[2] ? KGSS_S_FAILURE : kgss_verify_mic(j->b, &in, &mic, &qop);
	j->st[4] = kgss_wrap_iov(j->a, 1, 0, &conf, t->iov, t->niov);
	j->st[5] = j->st[4] ? KGSS_S_FAILURE : kgss_unwrap_iov(j->b, &conf, &qop, t->iov, t->niov);
	j->iov_ok = j->st[5] == KGSS_S_COMPLETE && kt_data_is_source(t);
}

static const char *const kt_where_names[KTEST_WHERES] = {"softirq", "hardirq", "hardirq-in-fpu"};

static void kt_where_run(struct kt *t, enum ktest_where where, kgss_ctx *a, kgss_ctx *b)
{
	const char *const *names = kt_where_names;
	const struct ktest_bytes *m = &t->c->message;
	const char *wn = names[where];
	struct kt_job j;
	int conf = -1, fpu = 0, k;
	kgss_status st;

	kt_copy_msg(t);
	t->src = m->data;
	t->src_len = m->len;
	if (!kt_check(t,
		      kt_layout(t, t->c->lucid.protocol == 1 ? KT_WRAP_TRAILER : KT_WRAP_RRC, m->len, m->len / 3,
				t->env->page_size - 8, m->len / 4),
		      "layout", wn, 0))
		return;
	st = kgss_wrap_iov_length(a, 1, 0, &conf, t->iov, t->niov);
	if (!kt_status(t, st, KGSS_S_COMPLETE, "kgss_wrap_iov_length", wn) ||
	    !kt_check(t, kt_place(t), "layout does not fit", wn, 0))
		return;
	memset(&j, 0, sizeof(j));
	j.t = t;
	j.a = a;
	j.b = b;
	for (k = 0; k < 6; k++)
		j.st[k] = KGSS_S_FAILURE;
	if (!kt_check(t, t->env->run_in(t->env->ctx, where, kt_job_fn, &j, &fpu) == 0, "did not run in", wn, 0))
		return;
	t->where_runs[where]++;
	if (fpu)
		t->where_fpu[where]++;
	for (k = 0; k < 6; k++) {
		/* without the FPU a SIMD backend may refuse, as documented */
		if (!fpu && t->be->needs_fpu && j.st[k] == KGSS_S_FAILURE) {
			kt_check(t, 1, kt_job_steps[k], wn, j.st[k]);
			t->where_refused[where]++;
		} else
			kt_status(t, j.st[k], KGSS_S_COMPLETE, kt_job_steps[k], wn);
	}
	if (j.st[1] == KGSS_S_COMPLETE)
		kt_check(t, j.plain_ok, "peer kgss_unwrap plaintext differs", wn, 0);
	if (j.st[5] == KGSS_S_COMPLETE)
		kt_check(t, j.iov_ok, "peer kgss_unwrap_iov data differs", wn, 0);
	t->src = NULL;
	t->src_len = 0;
}

/* The *_into import: the caller's memory, a working context, and after
 * kgss_ctx_free a context that answers NO_CONTEXT and no raw key byte string
 * left in the memory. */
static void kt_into(struct kt *t, kgss_ctx *peer)
{
	const struct ktest_case *c = t->c;
	size_t size = kgss_ctx_size(), i;
	uint8_t *mem = (uint8_t *)t->env->alloc(t->env->ctx, size);
	kgss_ctx *ctx = NULL;
	kgss_options o;
	kgss_buffer in, out;
	int conf = -1;
	uint32_t qop = 0;
	kgss_status st;
	int found;

	if (!kt_check(t, mem != NULL, "cannot allocate kgss_ctx_size() bytes", "into", 0))
		return;
	kt_options(t, &o);
	memcpy(t->tok, c->downcall.data, c->downcall.len);
	st = kgss_import_downcall_into(mem, size, t->tok, c->downcall.len, &o, &ctx);
	memset(t->tok, 0, c->downcall.len);
	if (kt_status(t, st, KGSS_S_COMPLETE, "kgss_import_downcall_into", NULL)) {
		kt_copy_msg(t);
		in.length = c->message.len;
		in.value = t->msg;
		out.length = KT_BUF;
		out.value = t->tok;
		st = kgss_wrap(ctx, 1, 0, &in, &conf, &out);
		if (kt_status(t, st, KGSS_S_COMPLETE, "kgss_wrap", "into")) {
			in.length = KT_BUF;
			in.value = t->out;
			st = kgss_unwrap(peer, &out, &in, &conf, &qop);
			kt_status(t, st, KGSS_S_COMPLETE, "peer kgss_unwrap", "into");
		}
		kgss_ctx_free(ctx);
		out.length = KT_BUF;
		out.value = t->tok;
		in.length = c->message.len;
		in.value = t->msg;
		st = kgss_wrap(ctx, 1, 0, &in, &conf, &out);
		kt_status(t, st, KGSS_S_NO_CONTEXT, "kgss_wrap after kgss_ctx_free", "into");
		found = kt_contains(mem, size, c->lucid.ctx_key.data, c->lucid.ctx_key.length);
		if (c->lucid.protocol == 1 && c->lucid.have_acceptor_subkey)
			found |= kt_contains(mem, size, c->lucid.acceptor_subkey.data, c->lucid.acceptor_subkey.length);
		kt_check(t, !found, "a key is left in the memory after kgss_ctx_free", "into", 0);
	}
	for (i = 0; i < size; i++)
		mem[i] = 0;
	t->env->free(t->env->ctx, mem);
}

/* ---- one case on one backend ------------------------------------------------------------ */
static void kt_case(struct kt *t, const struct ktest_case *c)
{
	static const char *const imp_names[2] = {"lucid", "downcall"};
	kgss_ctx *side[2] = {NULL, NULL}, *peer = NULL;
	kgss_options o;
	kgss_status st;
	uint32_t i;

	t->c = c;
	t->imp = "lucid";
	st = kt_import_lucid(t, &c->lucid, &side[0]);
	if (kt_status(t, st, KGSS_S_COMPLETE, "kgss_import_lucid_v1", NULL))
		kt_check_info(t, side[0], &c->lucid);
	t->imp = "downcall";
	kt_options(t, &o);
	memcpy(t->tok, c->downcall.data, c->downcall.len);
	KT_PROBED(t, KTEST_CALL_IMPORT_DOWNCALL, st, kgss_import_downcall(t->tok, c->downcall.len, &o, &side[1]));
	memset(t->tok, 0, c->downcall.len);
	if (kt_status(t, st, KGSS_S_COMPLETE, "kgss_import_downcall", NULL))
		kt_check_info(t, side[1], &c->lucid);
	t->imp = "peer";
	st = kt_import_lucid(t, &c->peer, &peer);
	if (kt_status(t, st, KGSS_S_COMPLETE, "kgss_import_lucid_v1 (peer)", NULL))
		kt_check_info(t, peer, &c->peer);

	for (i = 0; i < 2; i++) {
		t->imp = imp_names[i];
		if (!side[i])
			continue;
		kt_mit_tokens(t, side[i]);
		kt_tampers(t, side[i]);
		if (peer)
			kt_produce(t, side[i], peer);
		kt_yield(t);
	}
	if (peer) {
		t->imp = "downcall";
		kt_into(t, peer);
	}
	if (c->big && side[0] && peer) {
		t->imp = "lucid";
		kt_big(t, side[0], peer);
		if (t->env->run_in) {
			kt_where_run(t, KTEST_SOFTIRQ, side[0], peer);
			kt_where_run(t, KTEST_HARDIRQ, side[0], peer);
			kt_where_run(t, KTEST_HARDIRQ_IN_FPU, side[0], peer);
		}
		t->imp = "peer";
		kt_big(t, peer, side[0]);
	}
	t->imp = NULL;
	kt_free_ctx(t, &side[0]);
	kt_free_ctx(t, &side[1]);
	kt_free_ctx(t, &peer);
	t->c = NULL;
}

/* ---- known-answer tokens ------------------------------------------------------------------ */
static void kt_kat(struct kt *t, const struct ktest_kat *k)
{
	struct ktest_lucid d;
	kgss_ctx *ctx = NULL;
	kgss_buffer in, out, msg;
	int conf = -1;
	uint32_t qop = 0;
	kgss_status st;

	memset(&d, 0, sizeof(d));
	d.initiate = k->receiver_initiate;
	d.endtime = 0xffffffffu;
	d.protocol = 1;
	d.ctx_key = k->key;
	st = kt_import_lucid(t, &d, &ctx);
	if (!kt_status(t, st, KGSS_S_COMPLETE, "kgss_import_lucid_v1", k->id))
		return;
	memcpy(t->tok, k->token.data, k->token.len);
	memcpy(t->msg, k->message.data, k->message.len);
	in.length = k->token.len;
	in.value = t->tok;
	if (k->mic) {
		msg.length = k->message.len;
		msg.value = t->msg;
		KT_PROBED(t, KTEST_CALL_VERIFY_MIC, st, kgss_verify_mic(ctx, &msg, &in, &qop));
		kt_status(t, st, k->expect, "known-answer kgss_verify_mic", k->id);
	} else {
		out.length = KT_BUF;
		out.value = t->out;
		KT_PROBED(t, KTEST_CALL_UNWRAP, st, kgss_unwrap(ctx, &in, &out, &conf, &qop));
		if (kt_status(t, st, k->expect, "known-answer kgss_unwrap", k->id) && st == KGSS_S_COMPLETE) {
			kt_check(t,
				 out.length == k->message.len &&
					 memcmp(out.value, k->message.data, k->message.len) == 0,
				 "known-answer plaintext", k->id, st);
			kt_check(t, conf == 0, "known-answer conf_state", k->id, st);
		}
	}
	kt_free_ctx(t, &ctx);
}

/* ---- the run ---------------------------------------------------------------------------------- */
static void kt_backend_line(struct kt *t)
{
	const kgss_crypto_backend *b = t->be->crypto;

	kt_begin(t);
	kt_str(t, "KGSS-BACKEND ");
	kt_str(t, t->be->label);
	kt_ch(t, ' ');
	if (!b) {
		kt_str(t, "library-default");
	} else {
		kt_str(t, b->name);
		kt_str(t, " aes128=");
		kt_str(t, b->aes128 ? b->aes128->name : "none");
		kt_str(t, " aes256=");
		kt_str(t, b->aes256 ? b->aes256->name : "none");
		kt_str(t, " camellia128=");
		kt_str(t, b->camellia128 ? b->camellia128->name : "none");
		kt_str(t, " des3=");
		kt_str(t, b->des3 ? b->des3->name : "none");
		kt_str(t, " rc4=");
		kt_str(t, b->rc4 ? b->rc4->name : "none");
		kt_str(t, " md5=");
		kt_str(t, b->md5 ? b->md5->name : "none");
		kt_str(t, " sha1=");
		kt_str(t, b->sha1 ? b->sha1->name : "none");
		kt_str(t, " sha256=");
		kt_str(t, b->sha256 ? b->sha256->name : "none");
		kt_str(t, " sha384=");
		kt_str(t, b->sha384 ? b->sha384->name : "none");
	}
	kt_end(t);
}

static int kt_buffers(struct kt *t)
{
	const struct ktest_env *e = t->env;
	uint32_t p;

	t->tok = (uint8_t *)e->alloc(e->ctx, KT_BUF);
	t->out = (uint8_t *)e->alloc(e->ctx, KT_BUF);
	t->cat = (uint8_t *)e->alloc(e->ctx, KT_BUF);
	t->msg = (uint8_t *)e->alloc(e->ctx, KT_BUF);
	t->head = (uint8_t *)e->alloc(e->ctx, KT_HEAD);
	t->tail = (uint8_t *)e->alloc(e->ctx, KT_TAIL);
	if (!t->tok || !t->out || !t->cat || !t->msg || !t->head || !t->tail)
		return 0;
	for (p = 0; p < KT_PAGES; p++) {
		t->page[p] = (uint8_t *)e->page_alloc(e->ctx, &t->page_h[p]);
		if (!t->page[p])
			return 0;
	}
	return 1;
}

static void kt_release(struct kt *t)
{
	const struct ktest_env *e = t->env;
	uint32_t p;

	for (p = 0; p < KT_PAGES; p++)
		if (t->page[p])
			e->page_free(e->ctx, t->page_h[p]);
	if (t->tok)
		e->free(e->ctx, t->tok);
	if (t->out)
		e->free(e->ctx, t->out);
	if (t->cat)
		e->free(e->ctx, t->cat);
	if (t->msg)
		e->free(e->ctx, t->msg);
	if (t->head)
		e->free(e->ctx, t->head);
	if (t->tail)
		e->free(e->ctx, t->tail);
}

static int kt_data_ok(const struct ktest_data *d)
{
	uint32_t i, k;

	for (i = 0; i < d->ncases; i++) {
		const struct ktest_case *c = &d->cases[i];

		if (c->message.len == 0 || c->message.len > 1024 || c->downcall.len > KT_BUF)
			return 0;
		for (k = 0; k < c->message.len; k++)
			if (c->message.data[k] == 0 || c->message.data[k] == KT_PAINT)
				return 0;
		for (k = 0; k < KTEST_MIT_KINDS; k++)
			if (c->mit[k].len > KT_BUF)
				return 0;
		for (k = 0; k < c->ntampers; k++)
			if (c->tampers[k].token.len > KT_BUF)
				return 0;
	}
	for (i = 0; i < d->nkats; i++)
		if (d->kats[i].token.len > KT_BUF || d->kats[i].message.len > KT_BUF)
			return 0;
	return 1;
}

/* KGSS-STACK-BY and KGSS-CONTEXT lines of the backend just run. */
static void kt_backend_tail(struct kt *t)
{
	const char *const *names = kt_where_names;
	uint32_t k;

	if (t->env->stack_end) {
		kt_begin(t);
		kt_str(t, "KGSS-STACK-BY ");
		kt_str(t, t->be->label);
		for (k = 0; k < KTEST_CALLS; k++) {
			kt_ch(t, ' ');
			kt_str(t, kt_call_names[k]);
			kt_ch(t, '=');
			kt_u64(t, t->be_stack_max[k]);
		}
		kt_end(t);
	}
	for (k = 0; k < KTEST_WHERES; k++) {
		kt_begin(t);
		kt_str(t, "KGSS-CONTEXT ");
		kt_str(t, t->be->label);
		kt_ch(t, ' ');
		kt_str(t, names[k]);
		if (t->env->run_in) {
			kt_str(t, " runs=");
			kt_u64(t, t->where_runs[k]);
			kt_str(t, " fpu_usable=");
			kt_u64(t, t->where_fpu[k]);
			kt_str(t, " refused=");
			kt_u64(t, t->where_refused[k]);
		} else {
			kt_str(t, " n/a");
		}
		kt_end(t);
	}
}

uint32_t ktest_run(const struct ktest_env *env, const struct ktest_data *data)
{
	struct kt *t;
	uint32_t b, i, k, fail;
	uint64_t t0 = 0;

	t = (struct kt *)env->alloc(env->ctx, sizeof(*t));
	if (!t) {
		env->print(env->ctx, "KGSS-FAIL cannot allocate the test state");
		env->print(env->ctx, "KGSS-RESULT pass=0 fail=1 backends=");
		return 1;
	}
	memset(t, 0, sizeof(*t));
	t->env = env;
	if (!kt_check(t, env->page_size >= 4096u, "page size below 4096", NULL, 0) ||
	    !kt_check(t, kt_buffers(t), "cannot allocate buffers and pages", NULL, 0) ||
	    !kt_check(t, kt_data_ok(data), "the generated data break the core's limits", NULL, 0) ||
	    !kt_check(t, data->ncases > 0, "no cases", NULL, 0))
		goto out;

	for (b = 0; b < env->nbackends; b++) {
		t->be = &env->backends[b];
		t->be_pass = t->be_fail = t->be_tokens = 0;
		memset(t->be_stack_max, 0, sizeof(t->be_stack_max));
		memset(t->where_runs, 0, sizeof(t->where_runs));
		memset(t->where_fpu, 0, sizeof(t->where_fpu));
		memset(t->where_refused, 0, sizeof(t->where_refused));
		kt_backend_line(t);
		if (!kt_check(t, !(t->be->required && !t->be->crypto), "backend unavailable", NULL, 0))
			continue;
		if (env->now_ns)
			t0 = env->now_ns(env->ctx);
		for (i = 0; i < data->ncases; i++) {
			kt_case(t, &data->cases[i]);
			kt_yield(t);
		}
		t->imp = "kat";
		for (i = 0; i < data->nkats; i++)
			kt_kat(t, &data->kats[i]);
		t->imp = NULL;
		kt_begin(t);
		kt_str(t, "KGSS-COUNT ");
		kt_str(t, t->be->label);
		kt_str(t, " pass=");
		kt_u64(t, t->be_pass);
		kt_str(t, " fail=");
		kt_u64(t, t->be_fail);
		kt_str(t, " tokens=");
		kt_u64(t, t->be_tokens);
		if (env->now_ns) {
			kt_str(t, " ms=");
			kt_u64(t, (env->now_ns(env->ctx) - t0) / 1000000u);
		}
		kt_end(t);
		kt_backend_tail(t);
	}
	t->be = NULL;
	for (k = 0; k < KTEST_CALLS; k++) {
		kt_begin(t);
		kt_str(t, "KGSS-STACK ");
		kt_str(t, kt_call_names[k]);
		kt_ch(t, ' ');
		if (env->stack_end && t->stack_seen[k])
			kt_u64(t, t->stack_max[k]);
		else
			kt_str(t, "n/a");
		kt_end(t);
	}
out:
	kt_begin(t);
	kt_str(t, "KGSS-RESULT pass=");
	kt_u64(t, t->pass);
	kt_str(t, " fail=");
	kt_u64(t, t->fail);
	kt_str(t, " backends=");
	for (b = 0; b < env->nbackends; b++) {
		if (b)
			kt_ch(t, ',');
		kt_str(t, env->backends[b].label);
	}
	kt_end(t);
	fail = t->fail;
	kt_release(t);
	memset(t, 0, sizeof(*t));
	env->free(env->ctx, t);
	return fail;
}
