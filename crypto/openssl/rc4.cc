// crypto/openssl/rc4.cc - the RC4 stream class on OpenSSL 3's legacy provider
// (the backend leaves rc4 NULL when "legacy" cannot be loaded).
//
// A stream state belongs to one message and one thread at a time, so it simply
// owns an EVP_CIPHER_CTX (allocated by init, cleansed and freed by clear).
// RC4 is keyed once per message by RFC 4757 anyway, and its key setup costs
// far more than the allocation.
#include "crypto/openssl/ossl.h"
#include "crypto/util.h"

#include <limits.h>

namespace kgss {
namespace ossl {

namespace {

constexpr uint32_t RC4_MAGIC = 0x6f737263u; // "osrc": keyed stream

struct alignas(16) rc4_st {
	EVP_CIPHER_CTX *ctx; // holds the RC4 permutation (secret); freed with cleansing
	uint32_t magic;      // RC4_MAGIC while keyed
};
static_assert(sizeof(rc4_st) <= KGSS_STREAM_STATE_MAX, "rc4 state too large");
static_assert(alignof(rc4_st) <= KGSS_STATE_ALIGN, "rc4 state over-aligned");

void rc4_clear(void *p)
{
	rc4_st *st = static_cast<rc4_st *>(p);
	if (!st)
		return;
	if (st->magic == RC4_MAGIC)
		EVP_CIPHER_CTX_free(st->ctx); // reset cleanses the provider context
	wipe(st, sizeof(*st));
}

int rc4_init(void *p, const uint8_t *key, size_t key_len)
{
	rc4_st *st = static_cast<rc4_st *>(p);
	if (!st)
		return -1;
	memset(st, 0, sizeof(*st));
	const EVP_CIPHER *c = get_env().rc4;
	if (!c || !key || key_len == 0 || key_len > 256)
		return -1;
	st->ctx = EVP_CIPHER_CTX_new();
	if (!st->ctx)
		return -1;
	st->magic = RC4_MAGIC; // from here on clear() frees ctx
	// RC4 has a variable key length: set it before the key is loaded.
	if (EVP_CipherInit_ex2(st->ctx, c, nullptr, nullptr, 1, nullptr) != 1 ||
	    EVP_CIPHER_CTX_set_key_length(st->ctx, (int)key_len) != 1 ||
	    EVP_CipherInit_ex2(st->ctx, nullptr, key, nullptr, 1, nullptr) != 1) {
		rc4_clear(st);
		return -1;
	}
	return 0;
}

int rc4_apply(void *p, uint8_t *data, size_t len)
{
	rc4_st *st = static_cast<rc4_st *>(p);
	if (!st || st->magic != RC4_MAGIC || !st->ctx || (!data && len))
		return -1;
	constexpr size_t CHUNK = (size_t)1 << 30;
	while (len) {
		size_t n = len < CHUNK ? len : CHUNK;
		int outl = 0;
		if (EVP_CipherUpdate(st->ctx, data, &outl, data, (int)n) != 1 || (size_t)outl != n)
			return -1;
		data += n;
		len -= n;
	}
	return 0;
}

} // namespace

const kgss_stream_cipher_class rc4_class = {
	sizeof(rc4_st), "rc4-openssl", rc4_init, rc4_apply, rc4_clear,
};

} // namespace ossl
} // namespace kgss
