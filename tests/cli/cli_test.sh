#!/usr/bin/env bash
# tests/cli/cli_test.sh KGSS GROUP - checks of the `kgss` command, one CTest test per GROUP:
#   help       every subcommand's --help exits 0; usage errors exit 2
#   malformed  `kgss inspect` names each violation of hand-made malformed tokens (exit 1),
#              accepts well-formed ones (exit 0), input auto-detection, keyed rejection
#   live       tokens from live MIT contexts (needs the kdc fixture, KGSS_KDC_ENV): `kgss lucid`
#              writes the context + a peer token, `kgss inspect` decodes it, prints the right
#              plaintext with the serialized context and with --key-hex, rejects a tampered
#              token with BAD_SIG; downcall format; `kgss describe` never prints the key
#   demo       `kgss demo` exits 0, lists every enctype, stops its KDC
#   demo-save  `kgss demo --save-tokens DIR` writes MIT tokens + the receiver's serialized context;
#              `kgss inspect` decodes each (no violations), verifies / decrypts it with --lucid-file
#              (plaintext = the saved message), rejects a tampered copy (BAD_SIG); the hint it prints runs
#   demo-signal  SIGTERM during `kgss demo` still stops the KDC and removes its directory
#   bench      `kgss bench` without kgss-bench: exit 3 naming it; with it: --help passes through
# Every check prints what it ran; any failure makes the script exit 1 at the end.
set -u
KGSS=$1
GROUP=$2
FAILS=0
CHECKS=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kgss-cli-test.XXXXXX") || exit 3
trap 'rm -rf "$TMP"' EXIT

fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
ok() { CHECKS=$((CHECKS + 1)); }

# run EXPECTED_RC ARGS... : runs kgss, output in $OUT, checks the exit code
run() {
	local want=$1
	shift
	OUT=$("$KGSS" "$@" 2>&1)
	RC=$?
	if [ "$RC" -ne "$want" ]; then
		fail "kgss $* -> exit $RC, expected $want; output:"
		printf '%s\n' "$OUT" | sed 's/^/    | /' | head -60
		return 1
	fi
	ok
	return 0
}
# has STRING : the last output contains STRING (fixed string)
has() {
	if ! printf '%s\n' "$OUT" | grep -qF -- "$1"; then
		fail "output lacks '$1'; output was:"
		printf '%s\n' "$OUT" | sed 's/^/    | /' | head -60
		return 1
	fi
	ok
}
hasnt() {
	if printf '%s\n' "$OUT" | grep -qF -- "$1"; then
		fail "output contains '$1' but must not"
		return 1
	fi
	ok
}
hexof() { od -An -tx1 -v "$1" | tr -d ' \n'; }
# serialized context: key length at offset 52 (big-endian u16), key at 54
keyof() {
	local kl
	kl=$(od -An -tu1 -j52 -N2 "$1" | awk '{print $1 * 256 + $2}')
	od -An -tx1 -v -j54 -N"$kl" "$1" | tr -d ' \n'
}
flip_last() { # FILE OUT: copy with the last byte's low bit flipped
	local n
	n=$(stat -c %s "$1")
	head -c $((n - 1)) "$1" >"$2"
	local last
	last=$(tail -c 1 "$1" | od -An -tu1 | tr -d ' ')
	printf "\\$(printf '%03o' $((last ^ 1)))" >>"$2"
}

group_help() {
	run 0 --help && has "usage: kgss <command>"
	for c in demo inspect lucid describe; do
		run 0 "$c" --help && has "usage: kgss $c"
		run 0 "$c" -h && has "usage: kgss $c"
	done
	run 2
	run 2 frobnicate && has "unknown command 'frobnicate'"
	run 2 inspect && has "TOKEN missing"
	run 2 inspect 0404 --bogus && has "unknown option '--bogus'"
	run 2 inspect 0404 --role && has "needs a value"
	run 2 inspect 0404 --role sender && has "--role must be initiator or acceptor"
	run 2 inspect 0404 --enctype 99 && has "unknown enctype"
	run 2 inspect zz --hex && has "not valid hex"
	run 2 inspect '!!not-a-token!!' && has "neither hex, nor base64, nor an existing file"
	run 2 inspect 0404 --key-hex 00 && has "needs --enctype N and --role"
	run 2 inspect 0404 --key-hex 0011 --enctype 18 --role initiator && has "has 2 bytes"
	run 2 inspect 0404 --key-hex 00 --lucid-file x && has "exclude each other"
	run 2 inspect 0404 --enctype 23 --acceptor-subkey && has "RFC 4121 enctypes only"
	run 2 inspect 0404 0505 && has "more than one TOKEN"
	run 2 lucid --role initiator && has "required"
	run 2 lucid --role initiator --enctype 18 --out x --format pem && has "--format must be"
	run 2 demo --backend gpu && has "--backend must be"
	run 2 demo --mutual && has "unknown option"
	run 2 demo --save-tokens && has "needs a value"
	run 2 demo --save-tokens= && has "--save-tokens needs a directory"
	run 3 demo --save-tokens "$TMP/does-not-exist/sub" && has "cannot create"
	run 2 describe && has "FILE missing"
	run 3 describe "$TMP/does-not-exist" && has "cannot open"
	run 3 inspect --file "$TMP/does-not-exist" && has "cannot open"
}

# A well-formed-looking token of each kind, and the violations of broken ones.
group_malformed() {
	local mic12=040400ffffffffff0000000000000001a1a2a3a4a5a6a7a8a9aaabac
	run 0 inspect "$mic12" && has "RFC 4121 MIC (TOK_ID 04 04)" && has "SND_SEQ    1 " &&
		has "checksum   12 bytes: a1a2a3a4a5a6a7a8a9aaabac" && has "well-formed" && has "hex (auto-detected)"
	# flags by name, direction with --role
	run 0 inspect "0404 05ffffffffff 00000000000000ff a1a2a3a4a5a6a7a8a9aaabac" --hex --role initiator
	has "flags      0x05: SentByAcceptor, AcceptorSubkey" && has "SND_SEQ    255 "
	run 1 inspect 040405ffffffffff00000000000000ffa1a2a3a4a5a6a7a8a9aaabac --role acceptor
	has "VIOLATION: direction: token sent by the acceptor but the receiver is the acceptor"
	# base64, stdin, file with hex text, file with raw bytes
	local b64
	b64=$(printf '%s' "$mic12" | xxd -r -p | base64 -w0)
	run 0 inspect "$b64" && has "base64 (auto-detected)" && has "RFC 4121 MIC"
	OUT=$(printf '%s\n' "$mic12" | "$KGSS" inspect - 2>&1); RC=$?
	[ $RC -eq 0 ] && ok || fail "inspect - (hex on stdin) -> $RC"
	has "standard input, hex text"
	printf '%s' "$mic12" | xxd -r -p >"$TMP/raw.tok"
	run 0 inspect "$TMP/raw.tok" && has "raw bytes" && has "RFC 4121 MIC"
	run 0 inspect --file "$TMP/raw.tok" && has "raw bytes"
	# a file whose name is valid hex as well: ambiguous
	(cd "$TMP" && printf x >abcd && OUT=$("$KGSS" inspect abcd 2>&1); echo "$?:$OUT") >"$TMP/amb.out"
	grep -q '^2:.*both valid hex and an existing file' "$TMP/amb.out" && ok || fail "ambiguous TOKEN: $(cat "$TMP/amb.out")"

	# RFC 4121 violations
	run 1 inspect 0404 && has "VIOLATION: truncated header: 2 bytes"
	run 1 inspect 0404ffffffffff && has "VIOLATION: truncated header: 7 bytes"
	run 1 inspect 0405ffffffffffff0000000000000001a1a2a3a4a5a6a7a8a9aaabac && has "VIOLATION: bad TOK_ID 04 05"
	run 1 inspect 040408ffffffffff0000000000000001a1a2a3a4a5a6a7a8a9aaabac && has "VIOLATION: unknown flag bits 0x08"
	# what real peers send and MIT accepts: a NOTE, not a violation (docs/interop.md)
	run 0 inspect 040402ffffffffff0000000000000001a1a2a3a4a5a6a7a8a9aaabac && has "NOTE: Sealed flag (0x02) set on a MIC token"
	run 1 inspect 040400ff00ffffff0000000000000001a1a2a3a4a5a6a7a8a9aaabac && has "VIOLATION: filler bytes 3..7 are ff00ffffff"
	run 1 inspect 040400ffffffffff0000000000000001 && has "VIOLATION: empty checksum"
	run 1 inspect 040400ffffffffff0000000000000001a1a2a3 && has "checksum length 3 matches no RFC 4121 enctype"
	run 1 inspect "$mic12" --enctype 20 && has "VIOLATION: checksum is 12 bytes, aes256-cts-hmac-sha384-192 uses 24"
	run 0 inspect "$mic12" --acceptor-subkey && has "NOTE: AcceptorSubkey flag clear but the context has an acceptor subkey"
	# Wrap: filler, EC, RRC
	local pay44=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b
	run 0 inspect "050402ff00000000000000000000000a$pay44" && has "Wrap (TOK_ID 05 04)" && has "EC         0" && has "well-formed"
	run 0 inspect "050402ff00000000000000000000000a${pay44}0c" --enctype 17 && has "plaintext  1 bytes (encrypted)"
	run 1 inspect "050402fe00000000000000000000000a$pay44" && has "VIOLATION: filler byte 3 is fe, must be ff"
	run 1 inspect "050402ff0000002d000000000000000a$pay44" && has "VIOLATION: RRC 45 exceeds the 44-byte payload"
	run 1 inspect "050402ff00010000000000000000000a$pay44" --enctype 18 && has "VIOLATION: EC inconsistent"
	run 1 inspect "050402ff00000000000000000000000a0001" && has "VIOLATION: EC inconsistent"
	run 1 inspect 050400ff00000000000000000000000a && has "VIOLATION: no payload"
	# integrity-only: EC must be the checksum length; plaintext shown (unverified); RRC un-rotated
	run 0 inspect 050400ff000c0000000000000000000268690102030405060708090a0b0c && has "plaintext  2 bytes, in the clear" && has "|hi|"
	run 0 inspect 050400ff000c000c00000000000000020102030405060708090a0b0c6869 && has "|hi|" && has "RRC        12"
	run 1 inspect 050400ff000c0000000000000000000268690102030405060708090a0b0c --enctype 20 && has "VIOLATION: EC 12 must equal the checksum length 24"
	run 1 inspect 050400ff00ff000000000000000000026869 && has "VIOLATION: EC 255 larger than the 2-byte payload"
	run 1 inspect 050400ff000000000000000000000002686901 && has "VIOLATION: EC 0 is no RFC 4121 checksum length" && has "VIOLATION: empty checksum (EC 0)"

	# RFC 1964: a structurally valid DES3 MIC: 60 len 06 09 OID 0101 0400 ffff ffff seq8 cksum20
	local oid=06092a864886f712010202
	local des3mic=01010400ffffffff1122334455667788$(printf 'c%.0s' $(seq 40))
	local l=$(( (${#oid} + ${#des3mic}) / 2 ))
	run 0 inspect "60$(printf %02x $l)$oid$des3mic" && has "TOK_ID     01 01 (MIC)" && has "SGN_ALG    04 00 = 0x0004 HMAC SHA1 DES3-KD" &&
		has "SEAL_ALG   ff ff = 0xffff none" && has "SGN_CKSUM  20 bytes" && has "mech OID   1.2.840.113554.1.2.2 (Kerberos V5"
	run 1 inspect "60$(printf %02x $((l + 1)))$oid$des3mic" && has "VIOLATION: DER length mismatch: the header says $((l + 1)) bytes, $l follow"
	run 0 inspect "6081$(printf %02x $l)$oid$des3mic" && has "NOTE: non-minimal DER length encoding"
	run 1 inspect "6080$oid$des3mic" && has "VIOLATION: indefinite DER length"
	run 1 inspect 6084ffff && has "VIOLATION: truncated DER length"
	run 1 inspect 60 && has "VIOLATION: truncated DER framing"
	run 1 inspect "60$(printf %02x $l)06092a864882f712010202$des3mic" && has "VIOLATION: wrong OID 1.2.840.48018.1.2.2 (Microsoft's legacy krb5 OID"
	run 1 inspect "60$(printf %02x $l)06092a864886f712010203$des3mic" && has "VIOLATION: wrong OID 1.2.840.113554.1.2.3"
	run 1 inspect "60$(printf %02x $l)05092a864886f712010202$des3mic" && has "VIOLATION: expected the OID tag 06"
	run 0 inspect "$des3mic" && has "NOTE: RFC 1964 token without its DER framing"
	run 1 inspect "600d${oid}0101" && has "VIOLATION: truncated header: the token body is 2 bytes"
	local bad
	bad=$(printf '%s' "$des3mic" | sed 's/^01010400ffffffff/01010400ff00ffff/')
	run 1 inspect "60$(printf %02x $l)$oid$bad" && has "VIOLATION: a MIC token must have SEAL_ALG ff ff"
	bad=$(printf '%s' "$des3mic" | sed 's/^01010400ffffffff/01010900ffffffff/')
	run 1 inspect "60$(printf %02x $l)$oid$bad" && has "VIOLATION: unknown SGN_ALG 0x0009"
	bad=$(printf '%s' "$des3mic" | sed 's/^01010400ffffffff/01010000ffffffff/')
	run 1 inspect "60$(printf %02x $l)$oid$bad" && has "VIOLATION: SGN_ALG DES MAC MD5 (single DES) is single DES"
	bad=$(printf '%s' "$des3mic" | sed 's/^01010400ffffffff/01010400ffff00ff/')
	run 1 inspect "60$(printf %02x $l)$oid$bad" && has "VIOLATION: filler bytes are 00 ff, must be ff ff"
	run 0 inspect "60$(printf %02x $((l + 1)))$oid${des3mic}00" && has "NOTE: 1 trailing bytes after SGN_CKSUM"
	# Heimdal 7.8's DES3 MIC (51 bytes, 2 zero bytes after SGN_CKSUM)
	run 0 inspect 603106092a864886f71201020201010400ffffffff8d2ad4252be1621b2a37572ccd60d4711c5055c15b8294089afef0c90000 &&
		has "NOTE: 2 trailing bytes after SGN_CKSUM" && has "well-formed"
	# an RFC 4121 MIC inside a GSS framing header
	run 0 inspect "6027${oid}040400ffffffffff0000000000000001a1a2a3a4a5a6a7a8a9aaabac" &&
		has "NOTE: an RFC 4121 token inside a GSS framing header" && has "RFC 4121 MIC"
	run 1 inspect "60$(printf %02x $((l - 1)))$oid${des3mic:0:-2}" && has "VIOLATION: truncated: SGN_CKSUM needs 20 bytes, 19 present"
	run 1 inspect "60$(printf %02x $l)${oid}0102${des3mic:4}" && has "VIOLATION: TOK_ID 01 02 is a delete-context token"
	# RC4 wrap: SGN_ALG 11 00, SEAL_ALG 10 00, cksum 8, body = confounder 8 + data + 1 pad
	local rc4w=02011100 rc4body
	rc4body="${rc4w}1000ffff1122334455667788a1a2a3a4a5a6a7a8c1c2c3c4c5c6c7c8d1d2d3d401"
	local l2=$(( (${#oid} + ${#rc4body}) / 2 ))
	run 0 inspect "60$(printf %02x $l2)$oid$rc4body" && has "SGN_ALG    11 00 = 0x0011 HMAC MD5 (RC4-HMAC" && has "SEAL_ALG   10 00 = 0x0010 RC4" && has "TOK_ID     02 01 (Wrap)"
	run 1 inspect "60$(printf %02x $l2)$oid$rc4body" --enctype 16 && has "VIOLATION: SGN_ALG 0x0011 does not belong to des3-cbc-sha1"
	run 1 inspect "60$(printf %02x $l2)$oid$rc4body" --enctype 18 && has "VIOLATION: an RFC 1964 token, but aes256-cts-hmac-sha1-96 contexts use RFC 4121 tokens"
	run 1 inspect "60$(printf %02x $l2)${oid}02011100020fffff1122334455667788a1a2a3a4a5a6a7a8c1c2c3c4c5c6c7c8d1d2d3d401" && has "VIOLATION: unknown SEAL_ALG 0x0f02"
	run 1 inspect "60$(printf %02x $l2)${oid}02011100$(printf '%s' "${rc4body:8:8}" | sed 's/^1000/0200/')${rc4body:16}" && has "mixed algorithm families"
	run 1 inspect "600f${oid}02011100ffffffff11223344" && has "VIOLATION: truncated header"
	run 1 inspect "6025${oid}02011100ffffffff1122334455667788a1a2a3a4a5a6a7a8c1c2c3c4c5c6c7" && has "shorter than the confounder (8) plus padding"
	# unknown token
	run 1 inspect deadbeef && has "VIOLATION: unknown TOK_ID dead"

	# keyed, without a KDC: a forged MIC is rejected by libkgss with BAD_SIG (exit 1)
	local key
	key=$(printf '42%.0s' $(seq 32))
	run 1 inspect 040405ffffffffff0000000000000001a1a2a3a4a5a6a7a8a9aaabac --key-hex "$key" --enctype 18 --role initiator --acceptor-subkey --message hi
	has "from --key-hex (synthetic lucid context)" && has "receiver = initiator" && has "kgss_verify_mic: REJECTED: 0x00060000 BAD_SIG" && has "result: REJECTED"
	run 2 inspect 040405ffffffffff0000000000000001a1a2a3a4a5a6a7a8a9aaabac --key-hex "$key" --enctype 18 --role initiator && has "a MIC token covers a message"
	run 1 inspect "050402ff00000000000000000000000a$pay44" --key-hex "$key" --enctype 18 --role acceptor
	has "kgss_unwrap: REJECTED: 0x00060000 BAD_SIG" && hasnt "plaintext:"
}

group_live() {
	: "${KGSS_KDC_ENV:?KGSS_KDC_ENV must name the env file of the kdc fixture}"
	local e role kind
	for e in 16 17 18 19 20 23 24 25 26; do
		for role in initiator acceptor; do
			local sender=acceptor mutual=--mutual
			[ "$role" = acceptor ] && sender=initiator && mutual=
			for kind in conf integ mic; do
				local tag="e$e-$role-$kind" msg="kgss cli test $e $role $kind"
				local ctx="$TMP/$tag.ctx" tok="$TMP/$tag.tok"
				run 0 lucid --role "$role" --enctype "$e" $mutual --kdc-env "$KGSS_KDC_ENV" --out "$ctx" \
					--peer-token-out "$tok" --peer-token "$kind" --peer-message "$msg" || continue
				has "exported the $role" && has "wrote $tok"
				[ "$(stat -c %a "$ctx")" = 600 ] && ok || fail "$ctx is not mode 0600"
				# decode without a key
				run 0 inspect --file "$tok" --role "$role" --enctype "$e" || continue
				case $e in
				16 | 23 | 24)
					has "token: RFC 1964 (DER framing 0x60)"
					if [ "$kind" = mic ]; then has "TOK_ID     01 01 (MIC)"; else has "TOK_ID     02 01 (Wrap)"; fi
					if [ "$e" = 16 ]; then has "SGN_ALG    04 00 = 0x0004 HMAC SHA1 DES3-KD"; else has "SGN_ALG    11 00 = 0x0011 HMAC MD5"; fi
					if [ "$kind" = conf ] && [ "$e" = 16 ]; then has "SEAL_ALG   02 00 = 0x0002 DES3-KD"; fi
					if [ "$kind" = conf ] && [ "$e" != 16 ]; then has "SEAL_ALG   10 00 = 0x0010 RC4"; fi
					[ "$kind" = integ ] && has "0xffff none (integrity only)" && has "|kgss cli test"
					;;
				*)
					if [ "$kind" = mic ]; then has "RFC 4121 MIC (TOK_ID 04 04)"; else has "RFC 4121 Wrap (TOK_ID 05 04)"; fi
					has "(sent by the $sender)"
					[ "$kind" = conf ] && has "Sealed"
					if [ "$role" = initiator ]; then has "AcceptorSubkey"; else hasnt "AcceptorSubkey"; fi # mutual only for the initiator export
					[ "$kind" = integ ] && has "in the clear (NOT verified"
					;;
				esac
				has "format: well-formed"
				# with the serialized context: plaintext / valid MIC
				local margs=()
				[ "$kind" = mic ] && margs=(--message "$msg")
				for be in builtin openssl; do
					run 0 inspect --file "$tok" --lucid-file "$ctx" --backend "$be" "${margs[@]}" || continue
					has "receiver = $role" && has "backend $be" && has "result: VERIFIED"
					if [ "$kind" = mic ]; then has "the MIC is valid for the ${#msg}-byte message"; else has "plaintext (text): \"$msg\""; fi
				done
				# with the raw key (--key-hex), as hex on the command line
				local key subk=()
				key=$(keyof "$ctx")
				case $e in 16 | 23 | 24) ;; *) [ "$role" = initiator ] && subk=(--acceptor-subkey) ;; esac
				run 0 inspect "$(hexof "$tok")" --key-hex "$key" --enctype "$e" --role "$role" "${subk[@]}" "${margs[@]}" &&
					has "from --key-hex" && has "result: VERIFIED"
				[ "$kind" != mic ] && has "plaintext (text): \"$msg\""
				# describe never prints the key
				# (MIT exports the DES3 key as enctype 6, des3-cbc-raw, and the serialization keeps it)
				run 0 describe "$ctx" && has "kgss serialized context v1" && has "protocol $([ $e = 16 ] || [ $e = 23 ] || [ $e = 24 ] && echo 0 || echo 1)" &&
					has "$role" && hasnt "$key"
				if [ "$e" = 16 ]; then has "(des3-cbc-sha1)"; else has "enctype $e "; fi
				# tampered: rejected with BAD_SIG, exit 1, no plaintext
				flip_last "$tok" "$TMP/$tag.bad"
				run 1 inspect --file "$TMP/$tag.bad" --lucid-file "$ctx" "${margs[@]}" && has "REJECTED: 0x00060000 BAD_SIG" && hasnt "plaintext (text)"
				# a changed message does not verify the MIC
				if [ "$kind" = mic ]; then
					run 1 inspect --file "$tok" --lucid-file "$ctx" --message "$msg!" && has "kgss_verify_mic: REJECTED: 0x00060000 BAD_SIG"
				fi
				# the wrong receiver: the context of the sending side's role
				run 1 inspect --file "$tok" --key-hex "$key" --enctype "$e" --role "$sender" "${subk[@]}" "${margs[@]}" && has "REJECTED"
			done
		done
		# downcall format: inspect and describe
		local dc="$TMP/e$e.dc" dtok="$TMP/e$e.dtok"
		run 0 lucid --role acceptor --enctype "$e" --kdc-env "$KGSS_KDC_ENV" --out "$dc" --format downcall --peer-token-out "$dtok" --peer-message "downcall $e" &&
			has "Linux downcall buffer"
		run 0 inspect --file "$dtok" --lucid-file "$dc" && has "from downcall buffer" && has "plaintext (text): \"downcall $e\""
		run 0 describe "$dc" && has "Linux downcall buffer: acceptor" && has "enctype "
	done
	# the ambient environment path: kinit into the fixture's ccache, no env file
	(
		set -a
		. "$KGSS_KDC_ENV"
		set +a
		unset KGSS_KDC_ENV
		export KRB5CCNAME="FILE:$TMP/ambient.ccache"
		echo "$KGSS_PASSWORD" | kinit "$KGSS_USER" >/dev/null 2>&1 || { echo "kinit failed"; exit 1; }
		OUT=$("$KGSS" lucid --role initiator --enctype 18 --mutual --target "$KGSS_SERVICE" --out "$TMP/amb.ctx" \
			--peer-token-out "$TMP/amb.tok" 2>&1) || { echo "lucid (ambient) failed: $OUT"; exit 1; }
		printf '%s\n' "$OUT" | grep -qF "the ambient Kerberos environment" || { echo "no ambient note: $OUT"; exit 1; }
		OUT=$("$KGSS" inspect --file "$TMP/amb.tok" --lucid-file "$TMP/amb.ctx" 2>&1) || { echo "inspect failed: $OUT"; exit 1; }
		printf '%s\n' "$OUT" | grep -qF 'plaintext (text): "hello from the MIT peer"' || { echo "wrong plaintext: $OUT"; exit 1; }
	) && ok || fail "ambient-environment kgss lucid"
	# a corrupted serialization
	head -c 40 "$TMP/e18-initiator-conf.ctx" >"$TMP/short.ctx"
	run 1 describe "$TMP/short.ctx" && has "DEFECTIVE_TOKEN"
	run 1 inspect --file "$TMP/e18-initiator-conf.tok" --lucid-file "$TMP/short.ctx" && has "cannot build the receiving context" && has "DEFECTIVE_TOKEN"
}

group_demo() {
	run 0 demo || return
	for e in "16 des3-cbc-sha1" "17 aes128-cts-hmac-sha1-96" "18 aes256-cts-hmac-sha1-96" "19 aes128-cts-hmac-sha256-128" \
		"20 aes256-cts-hmac-sha384-192" "23 arcfour-hmac" "25 camellia128-cts-cmac" "26 camellia256-cts-cmac"; do
		has "$e "
	done
	# 24: a row, or the reason it was not run
	if ! printf '%s\n' "$OUT" | grep -qF "24 arcfour-hmac-exp "; then has "enctype 24 (arcfour-hmac-exp) not run:"; else ok; fi
	has "lucid" && has "downcall" && has "serialized" && has "initiator" && has "acceptor" && has "builtin"
	hasnt "FAIL"
	printf '%s\n' "$OUT" | grep -Eq '^TOTAL: ([0-9]+)/\1 cases passed.*ALL PASSED$' && ok || fail "no all-passed TOTAL line"
	local rows
	rows=$(printf '%s\n' "$OUT" | grep -c ' PASS$')
	[ "$rows" -ge 192 ] && ok || fail "only $rows PASS rows (8 enctypes x 2 roles x 2 mutual x 3 import paths x backends >= 96 each)"
	# the KDC it started is gone, and so is its directory
	local pid dir
	pid=$(printf '%s\n' "$OUT" | sed -n 's/.*(pid \([0-9]*\)).*/\1/p' | head -1)
	dir=$(printf '%s\n' "$OUT" | sed -n 's/.*kdc.sh start \(\/[^)]*\)).*/\1/p' | head -1)
	[ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null && ok || fail "KDC pid '$pid' still running after kgss demo"
	[ -n "$dir" ] && [ ! -e "$dir" ] && ok || fail "KDC directory '$dir' left behind"
}

# flip_hex FILE OUT: copy of a hex text file with the low bit of the last hex digit flipped
flip_hex() {
	local h last
	h=$(tr -d ' \n' <"$1")
	last=${h: -1}
	printf '%s%x\n' "${h:0:-1}" $((0x$last ^ 1)) >"$2"
}

group_demo_save() {
	local dir="$TMP/tokens"
	run 0 demo --enctype 18 --enctype 23 --quiet --save-tokens "$dir" || return
	has "tokens saved" && has "ALL PASSED" && has "hold the session key"
	has "inspect $dir/18-aes256-cts-hmac-sha1-96-wrap-conf.hex --lucid-file $dir/18-aes256-cts-hmac-sha1-96.ctx"
	# the hints the demo printed run as printed
	local hint n=0
	while IFS= read -r hint; do
		n=$((n + 1))
		OUT=$(eval "$hint" 2>&1) && ok || fail "printed hint failed: $hint"
		has "result: VERIFIED"
	done < <(printf '%s\n' "$OUT" | sed -n 's/^  \(\/.* inspect .*--lucid-file .*\)$/\1/p')
	[ "$n" -eq 2 ] && ok || fail "expected 2 keyed inspect hints, found $n"
	local e base msg kind
	for e in 18-aes256-cts-hmac-sha1-96 23-arcfour-hmac; do
		base="$dir/$e"
		for f in "$base-wrap-conf.hex" "$base-wrap-integ.hex" "$base-mic.hex" "$base-message.txt" "$base.ctx"; do
			[ -s "$f" ] && ok || fail "--save-tokens did not write $f"
		done
		[ "$(stat -c %a "$base.ctx")" = 600 ] && ok || fail "$base.ctx has mode $(stat -c %a "$base.ctx"), not 0600"
		run 0 describe "$base.ctx" && has "acceptor"
		msg=$(cat "$base-message.txt")
		for kind in wrap-conf wrap-integ mic; do
			local tok="$base-$kind.hex" margs=()
			[ "$kind" = mic ] && margs=(--message-file "$base-message.txt")
			# decode only: every field named, no violations (also with the receiver described)
			run 0 inspect "$tok" || continue
			has "hex text" && has "format: well-formed (no violations)" && hasnt "VIOLATION"
			case $e-$kind in
			18*-wrap-conf) has "token: RFC 4121 Wrap (TOK_ID 05 04)" && has "flags      0x06: Sealed, AcceptorSubkey  (sent by the initiator)" &&
				has "EC         0" && has "RRC        " && has "SND_SEQ    " && has "encrypted: E(confounder" ;;
			18*-wrap-integ) has "token: RFC 4121 Wrap (TOK_ID 05 04)" && has "flags      0x04: AcceptorSubkey  (sent by the initiator)" &&
				has "EC         12" && has "in the clear (NOT verified without the key)" ;;
			18*-mic) has "token: RFC 4121 MIC (TOK_ID 04 04)" && has "flags      0x04: AcceptorSubkey" && has "filler     ffffffffff (ok)" &&
				has "checksum   12 bytes" ;;
			23*-wrap-conf) has "mech OID   1.2.840.113554.1.2.2 (Kerberos V5" && has "TOK_ID     02 01 (Wrap)" &&
				has "SGN_ALG    11 00 = 0x0011 HMAC MD5" && has "SEAL_ALG   10 00 = 0x0010 RC4" && has "SGN_CKSUM  8 bytes" ;;
			23*-wrap-integ) has "TOK_ID     02 01 (Wrap)" && has "SEAL_ALG   ff ff" && has "in the clear (NOT verified without the key)" ;;
			23*-mic) has "TOK_ID     01 01 (MIC)" && has "SGN_ALG    11 00 = 0x0011 HMAC MD5" && has "SGN_CKSUM  8 bytes" ;;
			esac
			run 0 inspect "$tok" --role acceptor --enctype "${e%%-*}" && has "well-formed (no violations)"
			# with the saved context: the receiver verifies / decrypts it
			run 0 inspect "$tok" --lucid-file "$base.ctx" "${margs[@]}" || continue
			has "receiver = acceptor" && has "from serialized context '$base.ctx'" && has "result: VERIFIED"
			case $kind in
			wrap-conf) has "conf_state 1 (was encrypted)" && has "plaintext (text): \"$msg\"" ;;
			wrap-integ) has "conf_state 0 (integrity only)" && has "plaintext (text): \"$msg\"" ;;
			mic) has "the MIC is valid for the ${#msg}-byte message" ;;
			esac
			# a tampered copy: BAD_SIG, exit 1, no plaintext
			flip_hex "$tok" "$TMP/bad.hex"
			run 1 inspect "$TMP/bad.hex" --lucid-file "$base.ctx" "${margs[@]}" && has "REJECTED: 0x00060000 BAD_SIG" &&
				has "result: REJECTED" && hasnt "plaintext (text)"
		done
		# the MIC over another message
		run 1 inspect "$base-mic.hex" --lucid-file "$base.ctx" --message "$msg!" && has "kgss_verify_mic: REJECTED: 0x00060000 BAD_SIG"
	done
}

group_demo_signal() {
	"$KGSS" demo >"$TMP/demo.out" 2>&1 &
	local dpid=$! i=0 pid dir
	while [ $i -lt 300 ] && ! grep -q '^18 aes256' "$TMP/demo.out"; do sleep 0.1; i=$((i + 1)); done
	pid=$(sed -n 's/.*(pid \([0-9]*\)).*/\1/p' "$TMP/demo.out" | head -1)
	dir=$(sed -n 's/.*kdc.sh start \(\/[^)]*\)).*/\1/p' "$TMP/demo.out" | head -1)
	kill -TERM "$dpid"
	wait "$dpid"
	local rc=$?
	[ -n "$pid" ] && ok || fail "demo did not report its KDC pid: $(cat "$TMP/demo.out")"
	[ "$rc" -eq 143 ] && ok || fail "kgss demo after SIGTERM exited $rc, expected 143 (killed by the signal)"
	[ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null && ok || fail "KDC $pid still running after SIGTERM to kgss demo"
	[ -n "$dir" ] && [ ! -e "$dir" ] && ok || fail "KDC directory '$dir' left behind after SIGTERM"
}

group_bench() {
	# a copy of kgss with no kgss-bench anywhere near it and an empty PATH
	mkdir -p "$TMP/a/b"
	cp "$KGSS" "$TMP/a/b/kgss"
	OUT=$(PATH=/nonexistent "$TMP/a/b/kgss" bench --iterations 1 2>&1)
	RC=$?
	[ $RC -eq 3 ] && ok || fail "kgss bench without kgss-bench exited $RC, expected 3"
	has "kgss-bench is not built or not found" && has "--target kgss-bench"
	if [ -n "${KGSS_BENCH_BUILT:-}" ]; then
		run 0 bench --help
	fi
}

case $GROUP in
help) group_help ;;
malformed) group_malformed ;;
live) group_live ;;
demo) group_demo ;;
demo-save) group_demo_save ;;
demo-signal) group_demo_signal ;;
bench) group_bench ;;
*) echo "usage: $0 KGSS help|malformed|live|demo|demo-save|demo-signal|bench" >&2; exit 2 ;;
esac
echo "cli_test $GROUP: $CHECKS checks passed, $FAILS failed"
[ "$FAILS" -eq 0 ] && [ "$CHECKS" -gt 0 ]
