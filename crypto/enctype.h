// crypto/enctype.h - the enctype table: one const row per Kerberos
// encryption type (RFC 3961 and its profiles), looked up by number, and the
// family vtables the rows point to.
//
// A row (crypto/enctypes/table.cc) carries the RFC parameters of one
// enctype and a pointer to its family's operations; the family code
// (crypto/enctypes/<family>.cc) reads every length, usage and primitive
// from the row it is handed.  Token code (gss-kernel-lib/token/) only ever
// talks to an enctype through its row.  So a new enctype of an existing
// family is one row in table.cc; a new family is one file under
// crypto/enctypes/ defining its enctype_ops, plus its rows.  The enctypes
// RFC 1964 tokens (protocol 0) run over add the algorithm half of those
// tokens (struct rfc1964_alg, crypto/enctypes/rfc1964_algs.cc).
#ifndef KGSS_CRYPTO_ENCTYPE_H
#define KGSS_CRYPTO_ENCTYPE_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/keys.h"
#include "crypto/seglist.h"

namespace kgss {

enum enctype_family : uint8_t {
	FAMILY_DES3 = 1,     // RFC 3961 §6.3 des3-cbc-sha1-kd
	FAMILY_AES_SHA1 = 2, // RFC 3962
	FAMILY_AES_SHA2 = 3, // RFC 8009
	FAMILY_RC4 = 4,      // RFC 4757
	FAMILY_CAMELLIA = 5, // RFC 6803
};

// Which backend primitive an enctype needs (resolved against a backend).
enum cipher_id : uint8_t {
	CIPHER_NONE,
	CIPHER_AES128,
	CIPHER_AES256,
	CIPHER_CAMELLIA128,
	CIPHER_CAMELLIA256,
	CIPHER_DES3,
	CIPHER_RC4
};
enum hash_id : uint8_t { HASH_NONE, HASH_MD5, HASH_SHA1, HASH_SHA256, HASH_SHA384 };

// Key-derivation constants (RFC 3961 §5.3): usage_be32 | one of these.
enum derive_kind : uint8_t { DERIVE_KC = 0x99, DERIVE_KE = 0xAA, DERIVE_KI = 0x55 };

// Bounds every row keeps (table.cc checks them at compile time); family
// code sizes its secret buffers by them.
constexpr size_t ENCTYPE_KEY_MAX = 32;   // key_bytes
constexpr size_t ENCTYPE_CKSUM_MAX = 24; // cksum_len (HMAC-SHA-384-192)
constexpr size_t ENCTYPE_CONF_MAX = 16;  // conf_len (RFC 3961: one cipher block)

struct enctype;
struct kdf_ops;

// ---- RFC 1964 per-message algorithms (protocol 0) -------------------------------
//
// The token format (gss-kernel-lib/token/rfc1964.cc) owns the framing, the
// header, the lengths and the order of the steps: SGN_CKSUM over header8 |
// [confounder | data | pad] or the message, SND_SEQ = number | direction
// bytes encrypted under SGN_CKSUM, sealing of confounder | data | pad.  What
// each step computes, and the pad rule, belong to the algorithm: one const
// rfc1964_alg per family that has RFC 1964 tokens, reached from its rows.

// RFC 1964 with des3-cbc-sha1 (sign_alg 4, seal_alg 2).  Same keys both ways.
struct des3_keys {
	cipher_key raw; // DES-EDE3 schedule of the context key: sealing and SND_SEQ
	mac_key sign;   // HMAC-SHA1 keyed by Kc = DK(key, 23 | 0x99)
};

// RFC 1964 as profiled by RFC 4757 §7 (arcfour-hmac, -exp).  The per-message
// keys are HMAC-MD5 outputs; these are the fixed HMAC keys they start from.
struct rc4_keys {
	hmac_key ksign;  // keyed by Ksign = HMAC-MD5(K, "signaturekey\0")
	hmac_key kseq;   // keyed by HMAC-MD5(K, 0 as LE32): SND_SEQ key base
	hmac_key kcrypt; // keyed by the sealing key base (K ^ 0xF0.., exp variant per RFC 4757)
	uint8_t exp;     // 1 for arcfour-hmac-exp (24)
};

// A context's RFC 1964 keys: the member of its algorithm's family.
union rfc1964_keys {
	des3_keys des3;
	rc4_keys rc4;
};

constexpr size_t RFC1964_CKSUM_MAX = 20;  // room for any algorithm's checksum (DES3: 20)
constexpr size_t RFC1964_SND_SEQ_LEN = 8; // RFC 1964 §1.2.1.2: the SND_SEQ block

struct rfc1964_alg {
	uint16_t cksum_len; // SGN_CKSUM bytes on the wire (<= RFC1964_CKSUM_MAX)
	uint16_t pad_block; // §1.2.2.3: data | pad is a multiple of this; the pad is 1..pad_block bytes
	bool snd_seq_be;    // the SND_SEQ number big-endian (RFC 4757 §7.2), else little-endian (RFC 1964)

	// Every key the tokens use, from the context key (et->key_bytes, secret,
	// not kept), into *k (zero-filled).  On failure the caller clears *k.
	kgss_status (*init_keys)(const enctype *et, const kgss_crypto_backend *be, const uint8_t *key, rfc1964_keys *k);
	void (*clear_keys)(rfc1964_keys *k); // releases what init_keys built (then the caller wipes *k)
	// SGN_CKSUM of a Wrap (wrap) or MIC token over every segment of segs
	// into out (RFC1964_CKSUM_MAX bytes of room; the first cksum_len go on
	// the wire).
	kgss_status (*checksum)(const rfc1964_keys *k, bool wrap, const seglist &segs, uint8_t *out);
	// The SND_SEQ block, in place, enciphered (decrypt false) or deciphered
	// under a key / IV taken from SGN_CKSUM (cksum: at least 8 bytes).
	kgss_status (*snd_seq_crypt)(const kgss_crypto_backend *be, const rfc1964_keys *k, uint8_t *blk,
				     const uint8_t *cksum, bool decrypt);
	// Sealing: the encrypted segments of segs (confounder | data | pad),
	// in place; seq is the token's SND_SEQ number.
	kgss_status (*seal)(const kgss_crypto_backend *be, const rfc1964_keys *k, uint32_t seq, const seglist &segs,
			    bool decrypt);
};

// One family's operations (a vtable): every function takes the row and
// reads its parameters from it.  One const instance per family, defined in
// the family's file (declared in crypto/enctypes/profile.h).
struct enctype_ops {
	enctype_family family;

	// ---- key schedules, built once per context key -------------------------
	// Ke and Ki for `usage` (RFC 3961 §5.3 / RFC 8009 §5 / RFC 6803 §3 /
	// RFC 4757 §3 K1).  key is et->key_bytes long.
	kgss_status (*derive_enc)(const enctype *et, const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
				  enc_key *out);
	// Kc for `usage` (the checksum key), or the RFC 4757 Ksign.
	kgss_status (*derive_cksum)(const enctype *et, const kgss_crypto_backend *be, const uint8_t *key,
				    uint32_t usage, mac_key *out);
	// Raw derivation for known-answer tests and tools: writes the derived key
	// (Kc/Ke/Ki per kind) and its length.  NULL for RC4.
	kgss_status (*derive_raw)(const enctype *et, const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage,
				  derive_kind kind, uint8_t *out, size_t *out_len);
	// The family's KDF when the three above are the shared kdf_derive_*
	// (crypto/enctypes/profile.h); NULL otherwise (RC4).
	const kdf_ops *kdf = nullptr;

	// ---- RFC 3961 encrypt/decrypt over segments ------------------------------
	// The plaintext is the concatenation of the encrypted segments of segs;
	// its first conf_len bytes are the confounder, already filled by the
	// caller.  Encrypted segments are replaced by ciphertext in place;
	// cksum_len integrity bytes go to `tag`.  For profiles with padding
	// (DES3) the caller makes enc_len a multiple of block_size.
	// RC4 (RFC 4757) computes its tag first; the caller places it.
	kgss_status (*encrypt)(const enctype *et, const enc_key *k, const seglist &segs, uint8_t *tag);
	// Inverse.  Verifies before releasing: on a bad tag returns
	// KGSS_S_BAD_SIG and leaves every encrypted segment zeroed (never
	// partial plaintext).  Too short (< conf_len) -> KGSS_S_DEFECTIVE_TOKEN.
	kgss_status (*decrypt)(const enctype *et, const enc_key *k, const seglist &segs, const uint8_t *tag);

	// ---- checksums (get_mic / integrity-only wrap) ----------------------------
	// Writes cksum_len bytes over all segments of segs (the enc flag is ignored).
	kgss_status (*make_checksum)(const enctype *et, const mac_key *k, const seglist &segs, uint8_t *out);
	// Constant-time compare of cksum_len bytes: COMPLETE or BAD_SIG.
	kgss_status (*verify_checksum)(const enctype *et, const mac_key *k, const seglist &segs, const uint8_t *cksum);
};

// One enctype: RFC numbers and lengths, and its family's operations.  The
// member functions call the family's operations with this row.  A row
// (designated initializers) must name every field without a default.
struct enctype {
	int32_t etype;            // RFC 3961 number: 16, 17, 18, 19, 20, 23, 24, 25, 26
	const char *name;         // "aes256-cts-hmac-sha1-96"
	const enctype_ops *ops;   // the family's operations (and its enctype_family)
	cipher_id cipher;         // Ke cipher (RC4 for 23/24)
	hash_id hash = HASH_NONE; // HMAC hash, also the RFC 8009 KDF hash (NONE for CMAC profiles)
	uint16_t key_bytes;       // protocol key length (lucid key length); RFC 8009 Ke length
	uint16_t block_size;      // cipher block size (1 for RC4): RFC 3961 "message block size"
	uint16_t conf_len;        // confounder length (RFC 3961 c)
	uint16_t cksum_len;       // integrity tag length h of encrypt, = checksum length of make_checksum;
				  // RFC 8009: also the Kc / Ki length (k = 128 / 192)
	int32_t cksumtype;        // RFC 3961 checksum type of the "required checksum mechanism"
	// RFC 1964 token algorithms for protocol 0 (0xffff: not a protocol-0 enctype)
	uint16_t sign_alg = 0xffff;
	uint16_t seal_alg = 0xffff;
	const rfc1964_alg *rfc1964 = nullptr; // what RFC 1964 tokens compute (NULL: not a protocol-0 enctype)
	bool rfc4121 = false;                 // usable with RFC 4121 (protocol 1) tokens
	bool rc4_export = false;              // RFC 4757 §4 exportable: "fortybits" salt, K1 masked (24)

	enctype_family family() const { return ops->family; }

	kgss_status derive_enc(const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage, enc_key *out) const
	{
		return ops->derive_enc(this, be, key, usage, out);
	}
	kgss_status derive_cksum(const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage, mac_key *out) const
	{
		return ops->derive_cksum(this, be, key, usage, out);
	}
	// KGSS_S_UNAVAILABLE (and *out_len 0) for a family without one (RC4).
	kgss_status derive_raw(const kgss_crypto_backend *be, const uint8_t *key, uint32_t usage, derive_kind kind,
			       uint8_t *out, size_t *out_len) const
	{
		if (!ops->derive_raw) {
			*out_len = 0;
			return KGSS_S_UNAVAILABLE;
		}
		return ops->derive_raw(this, be, key, usage, kind, out, out_len);
	}
	kgss_status encrypt(const enc_key *k, const seglist &segs, uint8_t *tag) const
	{
		return ops->encrypt(this, k, segs, tag);
	}
	kgss_status decrypt(const enc_key *k, const seglist &segs, const uint8_t *tag) const
	{
		return ops->decrypt(this, k, segs, tag);
	}
	kgss_status make_checksum(const mac_key *k, const seglist &segs, uint8_t *out) const
	{
		return ops->make_checksum(this, k, segs, out);
	}
	kgss_status verify_checksum(const mac_key *k, const seglist &segs, const uint8_t *cksum) const
	{
		return ops->verify_checksum(this, k, segs, cksum);
	}
};

// Lookup by number; NULL when unknown or compiled out.  Enctype 6
// (des3-cbc-raw, as MIT's lucid export labels the DES3 context key) maps to
// the des3-cbc-sha1 entry.
const enctype *enctype_find(int32_t etype);
// The table, for tests and tools.
const enctype *enctype_at(size_t i); // NULL past the end
size_t enctype_count();

// Backend primitives for an enctype; NULL when the backend lacks them.
const kgss_block_cipher_class *backend_cipher(const kgss_crypto_backend *be, cipher_id id);
const kgss_stream_cipher_class *backend_stream(const kgss_crypto_backend *be, cipher_id id);
const kgss_hash_class *backend_hash(const kgss_crypto_backend *be, hash_id id);
// COMPLETE when be has everything et needs, else KGSS_S_UNAVAILABLE.
kgss_status enctype_check_backend(const enctype *et, const kgss_crypto_backend *be);

// Releasing keys (wipes everything).
void enc_key_clear(enc_key *k);

} // namespace kgss

#endif
