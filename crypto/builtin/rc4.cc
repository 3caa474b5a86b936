// crypto/builtin/rc4.cc - the RC4 stream cipher (as used by RFC 4757
// arcfour-hmac; algorithm as described in RFC 6229 section 1 / Schneier).
// RC4 is table-based by nature: its memory access pattern depends on the key
// and on the keystream, so this code is NOT constant-time.  RC4 is built only
// with KGSS_WITH_RC4 for interoperability with legacy peers.
#include "crypto/builtin/builtin.h"
#include "crypto/util.h"

#if KGSS_WITH_RC4

namespace {

constexpr uint32_t RC4_LIVE = 0x6b677263u; // "kgrc": state initialised

struct rc4_state {
	uint8_t s[256]; // secret: the permutation
	uint32_t i, j;  // secret: stream indices
	uint32_t magic; // RC4_LIVE after a successful init
};
static_assert(sizeof(rc4_state) <= KGSS_STREAM_STATE_MAX, "RC4 state exceeds KGSS_STREAM_STATE_MAX");
static_assert(alignof(rc4_state) <= KGSS_STATE_ALIGN, "RC4 state over-aligned");

// Key-scheduling algorithm; keys of 1..256 bytes (RFC 4757 uses 16).
int rc4_init(void *vst, const uint8_t *key, size_t key_len)
{
	rc4_state *st = static_cast<rc4_state *>(vst);
	if (key == nullptr || key_len == 0 || key_len > 256) {
		kgss::wipe(st, sizeof *st);
		return -1;
	}
	for (unsigned n = 0; n < 256; n++)
		st->s[n] = (uint8_t)n;
	uint8_t j = 0; // secret
	size_t k = 0;
	for (unsigned n = 0; n < 256; n++) {
		uint8_t t = st->s[n]; // secret
		j = (uint8_t)(j + t + key[k]);
		st->s[n] = st->s[j];
		st->s[j] = t;
		if (++k == key_len)
			k = 0;
	}
	st->i = 0;
	st->j = 0;
	st->magic = RC4_LIVE;
	return 0;
}

// Pseudo-random generation algorithm, XORed into data in place.
int rc4_apply(void *vst, uint8_t *data, size_t len)
{
	rc4_state *st = static_cast<rc4_state *>(vst);
	if (st->magic != RC4_LIVE)
		return -1;
	uint8_t *s = st->s;
	uint8_t i = (uint8_t)st->i, j = (uint8_t)st->j; // secret: stream indices
	for (size_t n = 0; n < len; n++) {
		i = (uint8_t)(i + 1);
		uint8_t si = s[i]; // secret
		j = (uint8_t)(j + si);
		uint8_t sj = s[j]; // secret
		s[i] = sj;
		s[j] = si;
		data[n] ^= s[(uint8_t)(si + sj)];
	}
	st->i = i;
	st->j = j;
	return 0;
}

void rc4_clear(void *st) { kgss::wipe(st, sizeof(rc4_state)); }

} // namespace

extern "C" const kgss_stream_cipher_class kgss_builtin_rc4 = {
	sizeof(rc4_state), "rc4", rc4_init, rc4_apply, rc4_clear,
};

#endif // KGSS_WITH_RC4
