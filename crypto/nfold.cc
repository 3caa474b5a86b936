// crypto/nfold.cc - RFC 3961 §5.1 n-fold.
//
// The input is replicated lcm(in, out) / in times, copy k rotated right by
// 13*k bits; the result is cut into out-byte chunks which are added with
// one's-complement (end-around carry) addition.  Bytes of the replicated
// string are computed on the fly, so no buffer beyond the output is needed.
// n-fold runs on public constants (usage | 0x99/0xAA/0x55, "kerberos",
// "prf"), so it need not be constant time.
#include "crypto/nfold.h"

#include <string.h>

namespace kgss {

static size_t gcd(size_t a, size_t b)
{
	while (b) {
		size_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

// Byte j (0 <= j < lcm) of the concatenation of rotated copies.
static uint8_t rep_byte(const uint8_t *in, size_t in_len, size_t j)
{
	const size_t nbits = in_len * 8;
	const size_t k = j / in_len; // which copy
	const size_t b = j % in_len; // byte within the copy
	const size_t rot = (13 * k) % nbits;
	// Copy k is the input rotated right by rot bits: its bit t (msb-first)
	// is input bit (t - rot) mod nbits.
	const size_t start = (b * 8 + nbits - rot) % nbits;
	const size_t s = start / 8, sh = start % 8;
	unsigned v = (unsigned)in[s] << 8 | in[(s + 1) % in_len];
	return (uint8_t)(v >> (8 - sh));
}

bool nfold(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len)
{
	if (in_len == 0 || in_len > kNfoldMaxIn || out_len == 0 || out_len > kNfoldMaxOut)
		return false;
	const size_t lcm = in_len / gcd(in_len, out_len) * out_len;
	uint8_t acc[kNfoldMaxOut];
	memset(acc, 0, out_len);
	for (size_t chunk = 0; chunk < lcm; chunk += out_len) {
		unsigned carry = 0;
		for (size_t i = out_len; i-- > 0;) {
			unsigned s = (unsigned)acc[i] + rep_byte(in, in_len, chunk + i) + carry;
			acc[i] = (uint8_t)s;
			carry = s >> 8;
		}
		// End-around carry: add it back at the least significant end.  One
		// more pass suffices (a second carry out is impossible after adding 1
		// to a value that just overflowed).
		for (size_t i = out_len; carry && i-- > 0;) {
			unsigned s = (unsigned)acc[i] + carry;
			acc[i] = (uint8_t)s;
			carry = s >> 8;
		}
	}
	memcpy(out, acc, out_len);
	return true;
}

} // namespace kgss
