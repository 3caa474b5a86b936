/*
 * kgss.h - libkgss public API (C99).  The one header a kernel or an NFS
 * server/client needs: import a GSS-API krb5 security context that user space
 * established, then protect and check RPC messages with it.
 *
 * Memory: the library never allocates on a per-message call.  Output buffers
 * belong to the caller: on entry `length` is the capacity of `value`, on
 * return the number of bytes written.  A capacity that is too small gives
 * KGSS_S_FAILURE with nothing written and no sequence number consumed.
 * Contexts come from an import; either the library allocates them through the
 * allocator hooks in kgss_options, or the caller provides kgss_ctx_size()
 * bytes (the *_into variants).
 *
 * Threads: every per-message call may run concurrently on one context (the
 * send sequence number is atomic; the receive window, when enabled, has its
 * own short critical section).  Import and kgss_ctx_free must not race with
 * other calls on the same context.
 *
 * Kernel contexts (kgss.ko, docs/kernel.md section 5): per-message calls
 * (wrap, unwrap, get_mic, verify_mic, the _iov forms, the size calls) never
 * sleep or allocate and may run in process, softirq and hard-IRQ context;
 * the receive window's critical section runs with local interrupts masked.
 * With kgss_crypto_builtin() they need the FPU (kernel_fpu_begin): where
 * the FPU is unusable (may_use_simd() false: an interrupt that landed inside
 * another kernel FPU section) its AES-NI operations answer KGSS_S_FAILURE.  Allocating imports, and
 * imports / kgss_ctx_free with the kernel crypto API backend, are process
 * context only (GFP_KERNEL, crypto_alloc_*).
 */
#ifndef KGSS_H
#define KGSS_H

/* The backend interface; through kgss_prng.h it also brings size_t and
 * uint8_t ... uint64_t (<stddef.h>, <stdint.h>; <linux/types.h> in kernel C). */
#include "kgss_crypto.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- status: GSS-API major status, RFC 2744 numeric values ---------------- */
typedef uint32_t kgss_status;
#define KGSS_S_COMPLETE        0u
#define KGSS_S_BAD_MECH        (1u << 16)
#define KGSS_S_BAD_SIG         (6u << 16)
#define KGSS_S_BAD_MIC         KGSS_S_BAD_SIG
#define KGSS_S_NO_CONTEXT      (8u << 16)
#define KGSS_S_DEFECTIVE_TOKEN (9u << 16)
#define KGSS_S_CONTEXT_EXPIRED (12u << 16)
#define KGSS_S_FAILURE         (13u << 16)
#define KGSS_S_BAD_QOP         (14u << 16)
#define KGSS_S_UNAVAILABLE     (16u << 16)
/* supplementary bits, OR-ed into COMPLETE by the receive window */
#define KGSS_S_DUPLICATE_TOKEN (1u << 1)
#define KGSS_S_OLD_TOKEN       (1u << 2)
#define KGSS_S_UNSEQ_TOKEN     (1u << 3)
#define KGSS_S_GAP_TOKEN       (1u << 4)
#define KGSS_ROUTINE_ERROR(s)  ((s)&0xffff0000u)
#define KGSS_ERROR(s)          (KGSS_ROUTINE_ERROR(s) != 0)

/* A static string naming the status (routine error and supplementary bits). */
const char *kgss_status_string(kgss_status status);

typedef struct kgss_buffer {
	size_t length;
	void *value;
} kgss_buffer;

typedef struct kgss_ctx kgss_ctx; /* opaque */

/* ---- options ------------------------------------------------------------- */
/* Receive window (MIT g_seqstate semantics).  As in MIT and RFC 2743, a
 * replayed or out-of-window token that verifies still returns
 * KGSS_S_COMPLETE with the supplementary bit set (and its plaintext): the
 * caller decides, e.g. `if (st != KGSS_S_COMPLETE) drop`.  Routine errors
 * (BAD_SIG, ...) never touch the window. */
#define KGSS_OPT_REPLAY_DETECT   0x1u /* flag replays: DUPLICATE_TOKEN, OLD_TOKEN */
#define KGSS_OPT_SEQUENCE_DETECT 0x2u /* also flag GAP / UNSEQ tokens          */

typedef struct kgss_options {
	uint32_t struct_size; /* sizeof(kgss_options); set by kgss_options_init */
	uint32_t flags;       /* KGSS_OPT_*; 0 = no receive window (RPCSEC_GSS) */
	/* Crypto backend; NULL = kgss_crypto_builtin() in user space,
	 * kgss_crypto_builtin_portable() in a kernel build (no FPU use). */
	const kgss_crypto_backend *crypto;
	/* Randomness for confounders; NULL = none: tokens that need a
	 * confounder (sealed wraps) then fail with KGSS_S_UNAVAILABLE.
	 * libkgss_user's kgss_options_init_user() supplies a getrandom-seeded
	 * generator.  The struct is copied at import; its ctx must outlive the
	 * context. */
	const kgss_prng *prng;
	/* Clock for expiry: writes seconds since the Unix epoch, returns 0.
	 * NULL = contexts never expire (the caller enforces endtime). */
	int (*clock)(void *clock_ctx, uint64_t *now);
	void *clock_ctx;
	/* Allocator for kgss_import_* (not the *_into variants).  NULL = none:
	 * those imports fail with KGSS_S_FAILURE; the context is never freed
	 * by the library then.  Called only at import and kgss_ctx_free.
	 * Memory must be 16-byte aligned (as malloc returns); alloc without
	 * free is rejected (KGSS_S_FAILURE). */
	void *(*alloc)(void *alloc_ctx, size_t size);
	void (*free)(void *alloc_ctx, void *ptr, size_t size);
	void *alloc_ctx;
} kgss_options;

/* Fills defaults: builtin crypto, no PRNG, no clock, no allocator, flags 0.
 * Imports reject (KGSS_S_FAILURE) options whose struct_size is too small,
 * or that carry unknown flag bits.  Fields beyond struct_size are taken as
 * defaults, so callers built against an older, shorter struct keep working. */
void kgss_options_init(kgss_options *opts);

/* ---- the MIT lucid context, version 1 ----------------------------------------
 * Layout-identical to MIT's gss_krb5_lucid_context_v1_t (gssapi_krb5.h), as
 * returned by gss_krb5_export_lucid_sec_context(..., 1, ...). */
typedef struct kgss_lucid_key {
	uint32_t type;   /* key enctype */
	uint32_t length; /* key length in bytes */
	void *data;      /* key bytes */
} kgss_lucid_key;

typedef struct kgss_lucid_rfc1964 {
	uint32_t sign_alg; /* 4 = HMAC-SHA1-DES3-KD, 0x11 = HMAC-MD5 (RC4) */
	uint32_t seal_alg; /* 2 = DES3-KD, 0x10 = RC4 */
	kgss_lucid_key ctx_key;
} kgss_lucid_rfc1964;

typedef struct kgss_lucid_cfx {
	uint32_t have_acceptor_subkey;
	kgss_lucid_key ctx_key;
	kgss_lucid_key acceptor_subkey;
} kgss_lucid_cfx;

typedef struct kgss_lucid_context_v1 {
	uint32_t version;  /* 1 */
	uint32_t initiate; /* 1 if this side is the initiator */
	uint32_t endtime;  /* expiration, seconds since the epoch */
	uint64_t send_seq;
	uint64_t recv_seq;
	uint32_t protocol; /* 0 = RFC 1964, 1 = RFC 4121 (CFX) */
	kgss_lucid_rfc1964 rfc1964_kd;
	kgss_lucid_cfx cfx_kd;
} kgss_lucid_context_v1;

/* ---- importing a context -----------------------------------------------------
 * Every import copies the key bytes, keeps no pointer into its input, derives
 * and schedules every per-message key once, and validates everything:
 * malformed input -> KGSS_S_DEFECTIVE_TOKEN; an enctype that is unknown,
 * compiled out or lacking a backend primitive -> KGSS_S_UNAVAILABLE;
 * no allocator or a too-small *_into buffer -> KGSS_S_FAILURE.  On failure
 * nothing is allocated and *ctx_out is NULL.  The input (a downcall or
 * serialized buffer, or the lucid key bytes) may lie inside the memory a
 * *_into import builds the context in: it is read before that is written. */
/* Bytes a caller must provide to the *_into imports; any alignment works
 * (the context is aligned inside the buffer). */
size_t kgss_ctx_size(void);
kgss_status kgss_import_lucid_v1(const void *lucid, const kgss_options *opts, kgss_ctx **ctx_out);
kgss_status kgss_import_lucid_v1_into(void *mem, size_t mem_len, const void *lucid, const kgss_options *opts,
				      kgss_ctx **ctx_out);
/* The buffer nfs-utils rpc.gssd / gss-proxy write to the Linux kernel
 * ("krb5 rfc4121 buffer", host byte order); strictly length-checked. */
kgss_status kgss_import_downcall(const void *buf, size_t len, const kgss_options *opts, kgss_ctx **ctx_out);
kgss_status kgss_import_downcall_into(void *mem, size_t mem_len, const void *buf, size_t len, const kgss_options *opts,
				      kgss_ctx **ctx_out);
/* libkgss's portable serialization (see kgss_lucid_serialize in kgss_user.h):
 * versioned, big-endian, length-checked. */
kgss_status kgss_import_serialized(const void *buf, size_t len, const kgss_options *opts, kgss_ctx **ctx_out);
kgss_status kgss_import_serialized_into(void *mem, size_t mem_len, const void *buf, size_t len,
					const kgss_options *opts, kgss_ctx **ctx_out);

/* Wipes every key and derived key; frees the memory if the library allocated
 * it.  After this, calls on the pointer are undefined (as with free());
 * as a best effort a freed context that is still mapped (always the case
 * for *_into memory) answers KGSS_S_NO_CONTEXT, and a second
 * kgss_ctx_free of it does nothing.  NULL is a no-op.  The full lifetime
 * contract (CVE-2014-5352 class misuse) is at the top of
 * gss-kernel-lib/context.cc and in docs/integrating.md. */
void kgss_ctx_free(kgss_ctx *ctx);

/* Facts about a context, for logs and tools (no key material). */
typedef struct kgss_ctx_info {
	int32_t enctype;    /* 16, 17, 18, 19, 20, 23, 24, 25, 26 */
	uint32_t protocol;  /* 0 or 1 */
	uint32_t initiator; /* 1 if this side initiated */
	uint32_t acceptor_subkey;
	uint64_t endtime;
	uint64_t send_seq; /* next sequence number to send */
	const char *enctype_name;
	const char *backend_name;
} kgss_ctx_info;
kgss_status kgss_ctx_inquire(const kgss_ctx *ctx, kgss_ctx_info *info);

/* ---- per-message calls (RFC 2743 semantics) -----------------------------------
 * qop_req other than 0 -> KGSS_S_BAD_QOP.  Optional out-pointers may be NULL. */
kgss_status kgss_get_mic(kgss_ctx *ctx, uint32_t qop_req, const kgss_buffer *message, kgss_buffer *token);
kgss_status kgss_verify_mic(kgss_ctx *ctx, const kgss_buffer *message, const kgss_buffer *token, uint32_t *qop_state);
kgss_status kgss_wrap(kgss_ctx *ctx, int conf_req, uint32_t qop_req, const kgss_buffer *input, int *conf_state,
		      kgss_buffer *output);
/* output may be input itself (input->value == output->value, capacity
 * output->length >= the token length): the message is then wrapped in place.
 * Every check that can fail (arguments, capacity, expiry, the PRNG and its
 * confounder) is made before the message is moved, so such a failure leaves
 * the bytes of output -- and with it an in-place input -- untouched (a PRNG
 * failure sets output->length to 0: no token).  Only a crypto backend
 * failure after that point wipes the bytes of output used and sets
 * output->length to 0 (an in-place message is then lost). */
/* output capacity must be at least input->length (it is the working area);
 * on return output holds the plaintext.  On failure no plaintext is released:
 * output->length is 0 and the bytes of output that were used are zeroed. */
kgss_status kgss_unwrap(kgss_ctx *ctx, const kgss_buffer *input, kgss_buffer *output, int *conf_state,
			uint32_t *qop_state);
/* Exact token lengths. */
kgss_status kgss_wrap_size(const kgss_ctx *ctx, int conf_req, size_t input_len, size_t *token_len);
kgss_status kgss_mic_size(const kgss_ctx *ctx, size_t message_len, size_t *token_len);
/* Largest input whose wrap token fits in max_token_len (RFC 2743 wrap_size_limit). */
kgss_status kgss_wrap_size_limit(const kgss_ctx *ctx, int conf_req, size_t max_token_len, size_t *max_input_len);

/* ---- IOV: in place over scatter-gather buffers (MIT gss_wrap_iov shape) --------
 * The library never allocates: HEADER, PADDING, TRAILER and MIC_TOKEN buffers
 * are supplied by the caller with the lengths the *_length calls report.
 * DATA buffers are encrypted/decrypted in place; SIGN_ONLY buffers are
 * integrity-protected only; EMPTY buffers are ignored.  Without a TRAILER
 * buffer the trailer travels in the header (RFC 4121 RRC).  On unwrap,
 * STREAM | DATA takes a whole token in STREAM and points DATA at the
 * plaintext inside it.  On unwrap failure no plaintext is released: for a
 * sealed token DATA buffers hold zeros once the cryptographic check has run
 * (whether or not deciphering had begun); an integrity-only token's DATA
 * (sent in the clear) is left as received, unverified; DATA is untouched
 * when the token was rejected before the check (framing, lengths, flags);
 * never partial plaintext.  A STREAM unwrap that fails leaves the DATA
 * descriptor as the caller passed it. */
typedef struct kgss_iov {
	uint32_t type;
	kgss_buffer buffer;
} kgss_iov;
#define KGSS_IOV_EMPTY     0u
#define KGSS_IOV_DATA      1u
#define KGSS_IOV_HEADER    2u
#define KGSS_IOV_TRAILER   7u
#define KGSS_IOV_PADDING   9u
#define KGSS_IOV_STREAM    10u
#define KGSS_IOV_SIGN_ONLY 11u
#define KGSS_IOV_MIC_TOKEN 12u

kgss_status kgss_wrap_iov(kgss_ctx *ctx, int conf_req, uint32_t qop_req, int *conf_state, kgss_iov *iov,
			  size_t iov_count);
kgss_status kgss_wrap_iov_length(kgss_ctx *ctx, int conf_req, uint32_t qop_req, int *conf_state, kgss_iov *iov,
				 size_t iov_count);
kgss_status kgss_unwrap_iov(kgss_ctx *ctx, int *conf_state, uint32_t *qop_state, kgss_iov *iov, size_t iov_count);
kgss_status kgss_get_mic_iov(kgss_ctx *ctx, uint32_t qop_req, kgss_iov *iov, size_t iov_count);
kgss_status kgss_get_mic_iov_length(kgss_ctx *ctx, uint32_t qop_req, kgss_iov *iov, size_t iov_count);
kgss_status kgss_verify_mic_iov(kgss_ctx *ctx, uint32_t *qop_state, kgss_iov *iov, size_t iov_count);

#ifdef __cplusplus
}
#endif
#endif /* KGSS_H */
