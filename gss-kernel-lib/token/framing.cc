// gss-kernel-lib/token/framing.cc - RFC 2743 §3.1 framing (see framing.h).
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "gss-kernel-lib/token/framing.h"

namespace kgss {

// The krb5 mechanism OID 1.2.840.113554.1.2.2, DER with its tag and length.
const uint8_t KRB5_OID_DER[KRB5_OID_DER_LEN] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02};

namespace {
constexpr uint8_t DER_LONG_FORM = 0x80;
constexpr size_t DER_MAX_LEN_OCTETS = 4;
} // namespace

size_t framing_der_len_size(size_t n)
{
	if (n < DER_LONG_FORM)
		return 1;
	size_t octets = 0;
	for (size_t v = n; v != 0; v >>= 8)
		octets++;
	return octets <= DER_MAX_LEN_OCTETS ? 1 + octets : 0;
}

size_t framing_put(uint8_t *p, size_t inner)
{
	const size_t n = framing_der_len_size(inner);
	p[0] = GSS_FRAMING_TAG;
	if (n == 1) {
		p[1] = (uint8_t)inner;
	} else {
		p[1] = (uint8_t)(DER_LONG_FORM | (n - 1));
		for (size_t i = 0; i < n - 1; i++)
			p[2 + i] = (uint8_t)(inner >> (8 * (n - 2 - i)));
	}
	memcpy(p + 1 + n, KRB5_OID_DER, KRB5_OID_DER_LEN);
	return 1 + n + KRB5_OID_DER_LEN;
}

kgss_status framing_parse(const uint8_t *p, size_t avail, size_t total, size_t *off)
{
	*off = 0;
	if (p == nullptr || avail == 0 || avail > total)
		return KGSS_S_DEFECTIVE_TOKEN;
	if (p[0] != GSS_FRAMING_TAG)
		return KGSS_S_COMPLETE; // bare token: TOK_ID at offset 0 (MIT)
	if (avail < 2)
		return KGSS_S_DEFECTIVE_TOKEN;
	size_t pos = 2;
	size_t len = p[1];
	if (len & DER_LONG_FORM) {
		const size_t n = len & ~(size_t)DER_LONG_FORM;
		if (n == 0 || n > DER_MAX_LEN_OCTETS || avail - pos < n)
			return KGSS_S_DEFECTIVE_TOKEN; // indefinite, too long, or cut
		len = 0;
		for (size_t i = 0; i < n; i++)
			len = (len << 8) | p[pos + i]; // leading zero octets allowed (MIT)
		pos += n;
	}
	// Exactly the rest of the token, not more, not less.
	if (len != total - pos)
		return KGSS_S_DEFECTIVE_TOKEN;
	if (avail - pos < KRB5_OID_DER_LEN || memcmp(p + pos, KRB5_OID_DER, KRB5_OID_DER_LEN) != 0)
		return KGSS_S_DEFECTIVE_TOKEN;
	*off = pos + KRB5_OID_DER_LEN;
	return KGSS_S_COMPLETE;
}

} // namespace kgss
