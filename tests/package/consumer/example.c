/* tests/package/consumer/example.c - the README usage example, compiled and
 * run against an installed libkgss (find_package and pkg-config builds).
 * The function between the README markers is copied into README.md verbatim. */
#include <stdio.h>
#include <time.h>

/* README-EXAMPLE-BEGIN */
#include <string.h>
#include <kgss.h>
#include <kgss_user.h> /* kgss_options_init_user: malloc, getrandom PRNG, clock */

/* mine/peer: two lucid contexts, e.g. from gss_krb5_export_lucid_sec_context() */
int roundtrip(const kgss_lucid_context_v1 *mine, const kgss_lucid_context_v1 *peer, const kgss_crypto_backend *backend)
{
	kgss_options opts;
	kgss_ctx *a = NULL, *b = NULL;
	char msg[] = "NFS RPC body", tok[256], out[256];
	kgss_buffer in = {sizeof msg, msg}, wrapped = {sizeof tok, tok}, plain = {sizeof out, out};
	int conf = 0, ok = 0;

	kgss_options_init_user(&opts);
	opts.crypto = backend; /* NULL: the builtin backend */
	if (kgss_import_lucid_v1(mine, &opts, &a) == KGSS_S_COMPLETE &&
	    kgss_import_lucid_v1(peer, &opts, &b) == KGSS_S_COMPLETE &&
	    kgss_wrap(a, 1, 0, &in, &conf, &wrapped) == KGSS_S_COMPLETE && /* sealed (krb5p) */
	    kgss_unwrap(b, &wrapped, &plain, &conf, NULL) == KGSS_S_COMPLETE)
		ok = conf && plain.length == sizeof msg && memcmp(out, msg, sizeof msg) == 0;
	kgss_ctx_free(a); /* wipes every key; NULL is a no-op */
	kgss_ctx_free(b);
	return ok;
}
/* README-EXAMPLE-END */

int main(void)
{
	static unsigned char key[32] = {0x5a, 0x17, 0x9e, 0x02, 0x44, 0xc8, 0x31, 0x7b, 0x90, 0x0d, 0xe6,
					0x28, 0xb3, 0x51, 0x6f, 0xaa, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc,
					0xde, 0xf0, 0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78};
	kgss_lucid_context_v1 init, acc;
	const kgss_crypto_backend *backends[2];
	const char *names[2] = {"builtin", "openssl"};
	int i, failed = 0;
	/* An enctype of a family this build compiled in (KGSS_WITH_*, from the
	 * package's compile definitions / pkg-config Cflags): aes256-cts-hmac-sha1-96
	 * unless its family was compiled out. */
#if !defined(KGSS_WITH_AES_SHA1) || KGSS_WITH_AES_SHA1
	const char *etname = "aes256-cts-hmac-sha1-96";
	uint32_t etype = 18, protocol = 1, key_len = 32;
#elif KGSS_WITH_CAMELLIA
	const char *etname = "camellia256-cts-cmac";
	uint32_t etype = 26, protocol = 1, key_len = 32;
#elif KGSS_WITH_AES_SHA2
	const char *etname = "aes256-cts-hmac-sha384-192";
	uint32_t etype = 20, protocol = 1, key_len = 32;
#elif KGSS_WITH_DES3
	const char *etname = "des3-cbc-sha1";
	uint32_t etype = 16, protocol = 0, key_len = 24;
#else /* RC4 only (or nothing: the imports then fail) */
	const char *etname = "arcfour-hmac";
	uint32_t etype = 23, protocol = 0, key_len = 16;
#endif

	/* A synthetic context pair (RFC 4121, or RFC 1964 for DES3), one key. */
	memset(&init, 0, sizeof init);
	init.version = 1;
	init.initiate = 1;
	init.endtime = (uint32_t)time(NULL) + 3600;
	init.send_seq = 1000;
	init.recv_seq = 2000;
	init.protocol = protocol;
	if (protocol == 1) {
		init.cfx_kd.ctx_key.type = etype;
		init.cfx_kd.ctx_key.length = key_len;
		init.cfx_kd.ctx_key.data = key;
	} else {
		init.rfc1964_kd.sign_alg = etype == 16 ? 4 : 0x11; /* HMAC SHA1 DES3-KD, HMAC-MD5 */
		init.rfc1964_kd.seal_alg = etype == 16 ? 2 : 0x10; /* DES3-KD, RC4 */
		init.rfc1964_kd.ctx_key.type = etype;
		init.rfc1964_kd.ctx_key.length = key_len;
		init.rfc1964_kd.ctx_key.data = key;
	}
	acc = init;
	acc.initiate = 0;
	acc.send_seq = 2000;
	acc.recv_seq = 1000;

	backends[0] = kgss_crypto_builtin();
	backends[1] = kgss_crypto_openssl();
	for (i = 0; i < (etype == 23 ? 1 : 2); i++) { /* OpenSSL 3 has no RC4 by default */
		int ok = roundtrip(&init, &acc, backends[i]) && roundtrip(&acc, &init, backends[i]);
		printf("example.c: %s wrap/unwrap, both directions, %s backend: %s\n", etname, names[i],
		       ok ? "ok" : "FAILED");
		failed |= !ok;
	}
	return failed;
}
