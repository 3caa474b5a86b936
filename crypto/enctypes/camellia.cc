// crypto/enctypes/camellia.cc - RFC 6803: camellia128-cts-cmac (25) and
// camellia256-cts-cmac (26).
//   Keys (RFC 6803 §3, §4): Kc / Ke / Ki = KDF-FEEDBACK-CMAC(base,
//   usage | 0x99 / 0xAA / 0x55, key length), K(0) = 0^128; every key
//   et->key_bytes long.
//   encrypt: C = Camellia-CTS(Ke, IV 0, conf(16) | data),
//            H = CMAC-Camellia(Ki, conf | data) (16 bytes, over plaintext).
//   checksum: CMAC-Camellia(Kc, data) (16 bytes).
#include "crypto/enctypes/profile.h"
#include "crypto/kdf.h"

#if KGSS_WITH_CAMELLIA

namespace kgss {

namespace {

// The base key's CMAC schedule (RFC 6803 §3: the KDF's PRF is CMAC under
// the base key).
kgss_status cmac_open(const enctype *et, kdf_base *b) { return cmac_key_init(b->sched, b->cls, b->key, et->key_bytes); }

kgss_status kdf_cmac(const enctype *et, const kdf_base *b, const uint8_t constant[DERIVE_CONSTANT_LEN], uint8_t *out,
		     size_t len)
{
	return kdf_feedback_cmac(b->sched, constant, DERIVE_CONSTANT_LEN, out, len);
}

const kdf_ops camellia_kdf = {
	.open = cmac_open, .derive = kdf_cmac, .mac = MAC_CMAC, .mac_keys_cksum_len = false, .stitch = false};

} // namespace

constinit const enctype_ops camellia_ops =
	kdf_family_ops(FAMILY_CAMELLIA, &camellia_kdf, mte_cts_encrypt, mte_cts_decrypt);

} // namespace kgss

#endif
