// crypto/nfold.h - the n-fold operation of RFC 3961 §5.1.
#ifndef KGSS_CRYPTO_NFOLD_H
#define KGSS_CRYPTO_NFOLD_H

#include <stddef.h>
#include <stdint.h>

namespace kgss {

// Largest output / input the core folds (DK constants fold to a cipher block;
// the tests also fold to 256 bits).
constexpr size_t kNfoldMaxOut = 64;
constexpr size_t kNfoldMaxIn = 1024;

// n-fold in[0..in_len) to out[0..out_len) bytes (RFC 3961 §5.1).  Returns
// false (out untouched) when in_len is 0 or larger than kNfoldMaxIn, or
// out_len is 0 or larger than kNfoldMaxOut.
bool nfold(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len);

} // namespace kgss

#endif
