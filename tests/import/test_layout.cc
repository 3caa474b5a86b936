// kgss_lucid_context_v1 must be layout-identical to MIT's
// gss_krb5_lucid_context_v1_t: a caller passes MIT's pointer straight in.
// Only MIT's header is used; nothing of MIT is linked.
#include <stddef.h>
#include <string.h>
#include <gssapi/gssapi_krb5.h>

#include <CppUTest/TestHarness.h>

#include "kgss.h"

#define SAME_FIELD(ours, theirs, f)                                                    \
	static_assert(offsetof(ours, f) == offsetof(theirs, f), #f " offset differs"); \
	static_assert(sizeof(((ours *)0)->f) == sizeof(((theirs *)0)->f), #f " size differs")

static_assert(sizeof(kgss_lucid_key) == sizeof(gss_krb5_lucid_key_t), "lucid key size");
static_assert(alignof(kgss_lucid_key) == alignof(gss_krb5_lucid_key_t), "lucid key align");
SAME_FIELD(kgss_lucid_key, gss_krb5_lucid_key_t, type);
SAME_FIELD(kgss_lucid_key, gss_krb5_lucid_key_t, length);
SAME_FIELD(kgss_lucid_key, gss_krb5_lucid_key_t, data);

static_assert(sizeof(kgss_lucid_rfc1964) == sizeof(gss_krb5_rfc1964_keydata_t), "rfc1964 size");
SAME_FIELD(kgss_lucid_rfc1964, gss_krb5_rfc1964_keydata_t, sign_alg);
SAME_FIELD(kgss_lucid_rfc1964, gss_krb5_rfc1964_keydata_t, seal_alg);
SAME_FIELD(kgss_lucid_rfc1964, gss_krb5_rfc1964_keydata_t, ctx_key);

static_assert(sizeof(kgss_lucid_cfx) == sizeof(gss_krb5_cfx_keydata_t), "cfx size");
SAME_FIELD(kgss_lucid_cfx, gss_krb5_cfx_keydata_t, have_acceptor_subkey);
SAME_FIELD(kgss_lucid_cfx, gss_krb5_cfx_keydata_t, ctx_key);
SAME_FIELD(kgss_lucid_cfx, gss_krb5_cfx_keydata_t, acceptor_subkey);

static_assert(sizeof(kgss_lucid_context_v1) == sizeof(gss_krb5_lucid_context_v1_t), "lucid v1 size");
static_assert(alignof(kgss_lucid_context_v1) == alignof(gss_krb5_lucid_context_v1_t), "lucid v1 align");
SAME_FIELD(kgss_lucid_context_v1, gss_krb5_lucid_context_v1_t, version);
SAME_FIELD(kgss_lucid_context_v1, gss_krb5_lucid_context_v1_t, initiate);
SAME_FIELD(kgss_lucid_context_v1, gss_krb5_lucid_context_v1_t, endtime);
SAME_FIELD(kgss_lucid_context_v1, gss_krb5_lucid_context_v1_t, send_seq);
SAME_FIELD(kgss_lucid_context_v1, gss_krb5_lucid_context_v1_t, recv_seq);
SAME_FIELD(kgss_lucid_context_v1, gss_krb5_lucid_context_v1_t, protocol);
SAME_FIELD(kgss_lucid_context_v1, gss_krb5_lucid_context_v1_t, rfc1964_kd);
SAME_FIELD(kgss_lucid_context_v1, gss_krb5_lucid_context_v1_t, cfx_kd);
// Nested fields, as absolute offsets.
static_assert(offsetof(kgss_lucid_context_v1, cfx_kd.acceptor_subkey.data) ==
		      offsetof(gss_krb5_lucid_context_v1_t, cfx_kd.acceptor_subkey.data),
	      "acceptor subkey data");
static_assert(offsetof(kgss_lucid_context_v1, rfc1964_kd.ctx_key.data) ==
		      offsetof(gss_krb5_lucid_context_v1_t, rfc1964_kd.ctx_key.data),
	      "rfc1964 key data");

TEST_GROUP(layout){};

// The real check is at compile time; this records it in the test report and
// also checks a value written through MIT's type reads back through ours.
TEST(layout, mit_lucid_v1_is_kgss_lucid_v1)
{
	gss_krb5_lucid_context_v1_t m;
	memset(&m, 0, sizeof(m));
	static uint8_t key[32] = {1, 2, 3};
	m.version = 1;
	m.initiate = 1;
	m.endtime = 77;
	m.send_seq = 0x1122334455667788ull;
	m.recv_seq = 0x99;
	m.protocol = 1;
	m.cfx_kd.have_acceptor_subkey = 1;
	m.cfx_kd.acceptor_subkey.type = 18;
	m.cfx_kd.acceptor_subkey.length = 32;
	m.cfx_kd.acceptor_subkey.data = key;
	const kgss_lucid_context_v1 *k = (const kgss_lucid_context_v1 *)&m;
	UNSIGNED_LONGS_EQUAL(1, k->version);
	UNSIGNED_LONGS_EQUAL(77, k->endtime);
	CHECK(k->send_seq == 0x1122334455667788ull);
	UNSIGNED_LONGS_EQUAL(18, k->cfx_kd.acceptor_subkey.type);
	POINTERS_EQUAL(key, k->cfx_kd.acceptor_subkey.data);
}
