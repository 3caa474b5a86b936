#!/usr/bin/env bash
# tests/kernel/dryrun.sh - the in-kernel test's whole pipeline without a kernel:
# ktest_host prepare (live KDC) -> ktest_core.c compiled with the generated
# ktest_cases.h into a user-space program over libkgss (builtin, portable and
# OpenSSL backends) -> its console lines -> ktest_host verify (MIT checks every
# token).  Needs KGSS_KDC_ENV (scripts/kdc.sh start DIR).
#
#   dryrun.sh --host ktest_host --work DIR --cc CC --cxx CXX --include DIR
#             --libs "libkgss_user.a libkgss_openssl.a libkgss.a libcrypto.so"
#             [--san "-fsanitize=..."]   (the build's sanitizer flags, compile and link)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
HOST='' WORK='' CC_='' CXX_='' INC='' LIBS='' SAN=''
while [ $# -gt 0 ]; do
  case $1 in
    --host) HOST=$2 ;; --work) WORK=$2 ;; --cc) CC_=$2 ;; --cxx) CXX_=$2 ;;
    --include) INC=$2 ;; --libs) LIBS=$2 ;; --san) SAN=$2 ;;
    *) echo "dryrun.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift 2
done
if [ -z "$HOST" ] || [ -z "$WORK" ] || [ -z "$CC_" ] || [ -z "$CXX_" ] || [ -z "$INC" ] || [ -z "$LIBS" ]; then
  echo "dryrun.sh: missing arguments" >&2
  exit 2
fi
[ -n "${KGSS_KDC_ENV:-}" ] || { echo "dryrun.sh: KGSS_KDC_ENV is not set" >&2; exit 1; }

rm -rf "$WORK"
mkdir -p "$WORK"
t0=$(date +%s%N)
"$HOST" prepare --out "$WORK" | tail -n 3
t1=$(date +%s%N)
# The same strictness the module build would complain about, C99 and no VLA.
# shellcheck disable=SC2206 # SAN is a list of flags
CFLAGS=($SAN -std=c99 -O2 -g -Wall -Wextra -Werror -pedantic -Wvla -Wdeclaration-after-statement
        -I"$INC" -I"$HERE" -I"$WORK")
# frames as small as a kernel stack wants (sanitizers' redzones would break the figure)
[ -n "$SAN" ] || CFLAGS+=(-Wframe-larger-than=1024)
"$CC_" "${CFLAGS[@]}" -c "$HERE/ktest_core.c" -o "$WORK/ktest_core.o"
"$CC_" "${CFLAGS[@]}" -Wno-overlength-strings -c "$HERE/ktest_user_main.c" -o "$WORK/ktest_user_main.o"
# shellcheck disable=SC2086
"$CXX_" $SAN -o "$WORK/ktest_user" "$WORK/ktest_user_main.o" "$WORK/ktest_core.o" $LIBS
t2=$(date +%s%N)
rc=0
timeout 300 "$WORK/ktest_user" >"$WORK/console.log" 2>&1 || rc=$?
t3=$(date +%s%N)
grep -E '^KGSS-(COUNT|RESULT)' "$WORK/console.log" || true
echo "dryrun: ktest_user exit $rc, $(grep -c '^KGSS-TOKEN' "$WORK/console.log") tokens printed"
vrc=0
"$HOST" verify --in "$WORK" --console "$WORK/console.log" --backends builtin,portable,openssl || vrc=$?
# The checker checks: each of these damaged copies of a passing console must fail verify.
neg=0
if [ "$vrc" = 0 ]; then
  C=$WORK/console.log
  first=$(grep -m1 -n '^KGSS-TOKEN' "$C" | cut -d: -f1)
  # one hex digit of one token changed
  awk -v n="$first" 'NR == n { d = substr($6, 41, 1); $6 = substr($6, 1, 40) (d == "0" ? "1" : "0") substr($6, 42) } { print }' \
    "$C" >"$WORK/neg-hex.log"
  sed "${first}d" "$C" >"$WORK/neg-missing.log"                     # one token line gone
  { cat "$C"; echo "KGSS-FAIL injected"; } >"$WORK/neg-fail.log"      # a failure line
  sed 's/^KGSS-RESULT pass=\([0-9]*\) fail=0/KGSS-RESULT pass=\1 fail=1/' "$C" >"$WORK/neg-result.log"
  for n in hex missing fail result; do
    if "$HOST" verify --in "$WORK" --console "$WORK/neg-$n.log" --backends builtin,portable,openssl >/dev/null 2>&1; then
      echo "dryrun: FAIL: verify accepted the damaged console neg-$n.log"
      neg=1
    fi
  done
  [ "$neg" = 1 ] || echo "dryrun: verify rejects each of 4 damaged consoles (hex, missing, fail, result)"
fi
t4=$(date +%s%N)
ms() { echo $(( ($2 - $1) / 1000000 )); }
echo "dryrun timings: prepare $(ms "$t0" "$t1") ms, compile $(ms "$t1" "$t2") ms, run $(ms "$t2" "$t3") ms, verify $(ms "$t3" "$t4") ms"
[ "$rc" = 0 ] && [ "$vrc" = 0 ] && [ "$neg" = 0 ]
