#!/usr/bin/env bash
# test-families.sh: "each enctype family can be compiled out by a CMake option
# and everything still builds and passes".  Three Release builds (tools off,
# tests on) that together switch every family off at least once:
#   a  KGSS_WITH_DES3=OFF KGSS_WITH_RC4=OFF                        build all, ctest
#   b  KGSS_WITH_AES_SHA1=OFF KGSS_WITH_AES_SHA2=OFF KGSS_WITH_CAMELLIA=OFF   build all, ctest
#   c  all five OFF: the libraries build, the static tests pass (core_symbols, public_headers)
# ctest skips the memcheck, interop, fuzz (libFuzzer) and bench labels; the
# fuzz corpus replays (label fuzz-corpus) do run.  Suites print
# "compiled out: <family> (<etype>): ... checked" for what they assert instead.
#
# Usage: scripts/test-families.sh [a] [b] [c]      (default: all three)
# Env:   KGSS_FAMILIES_BUILD_DIR (default build/families), KGSS_JOBS (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."

root=${KGSS_FAMILIES_BUILD_DIR:-build/families}
jobs=${KGSS_JOBS:-2}
configs=("$@")
[ ${#configs[@]} -gt 0 ] || configs=(a b c)

common=(-DCMAKE_BUILD_TYPE=Release -DKGSS_BUILD_TOOLS=OFF -DKGSS_BUILD_TESTS=ON
        -DKGSS_SANITIZE=OFF -DKGSS_TSAN=OFF -DKGSS_FREESTANDING=OFF)
exclude='memcheck|interop|^fuzz$|bench'

families() { # des3 aes_sha1 aes_sha2 rc4 camellia, each ON/OFF
	echo -DKGSS_WITH_DES3=$1 -DKGSS_WITH_AES_SHA1=$2 -DKGSS_WITH_AES_SHA2=$3 \
	     -DKGSS_WITH_RC4=$4 -DKGSS_WITH_CAMELLIA=$5
}

declare -A summary
status=0

# run <name> <description> <build targets|all> <ctest args...> -- <cmake family flags...>
run() {
	local name=$1 what=$2 targets=$3
	shift 3
	local ctest_args=()
	while [ "$1" != "--" ]; do ctest_args+=("$1"); shift; done
	shift
	local dir=$root/$name log=$root/$name.log t0=$SECONDS
	mkdir -p "$root"
	echo "== families $name ($what): configure + build"
	if ! cmake -S . -B "$dir" "${common[@]}" "$@" >"$log" 2>&1; then
		tail -40 "$log"; summary[$name]="FAILED (configure; $log)"; status=1; return
	fi
	local tflags=()
	[ "$targets" = all ] || for t in $targets; do tflags+=(--target "$t"); done
	if ! cmake --build "$dir" -j"$jobs" "${tflags[@]}" >>"$log" 2>&1; then
		grep -E "error|Error" "$log" | head -40; summary[$name]="FAILED (build; $log)"; status=1; return
	fi
	local tb=$((SECONDS - t0))
	echo "== families $name: ctest ${ctest_args[*]}"
	if ctest --test-dir "$dir" -j"$jobs" --output-on-failure "${ctest_args[@]}" >"$dir/ctest.log" 2>&1; then
		grep -E "tests passed|Skipped|Not Run" "$dir/ctest.log" | sed 's/^/   /'
		# What the suites asserted instead of the compiled-out cases (from all
		# test output): every distinct line in compiled-out.txt, a count here.
		local out=$dir/compiled-out.txt
		grep -ohE "compiled out: [a-z0-9-]+ \([0-9]+\): .* checked" "$dir/Testing/Temporary/LastTest.log" \
			2>/dev/null | sort -u >"$out" || true
		[ ! -s "$out" ] || echo "   compiled out, checks instead: $(awk -F': ' '{n[$2]++} END {for (k in n) print k " x" n[k]}' \
			"$out" | sort -t'(' -k2n | paste -sd, - | sed 's/,/, /g') ($out)"
		grep -ohE "^[a-z_0-9]+: [0-9]+ vectors ran.*" "$dir/Testing/Temporary/LastTest.log" 2>/dev/null |
			sort -u | sed 's/^/   /' || true
		summary[$name]="passed (build ${tb}s, total $((SECONDS - t0))s)"
	else
		cat "$dir/ctest.log" | tail -80
		summary[$name]="FAILED (ctest; $dir/ctest.log)"
		status=1
	fi
}

t_all=$SECONDS
for c in "${configs[@]}"; do
	case $c in
	a) run a "DES3, RC4 off" all -LE "$exclude" -- $(families OFF ON ON OFF ON) ;;
	b) run b "AES_SHA1, AES_SHA2, CAMELLIA off" all -LE "$exclude" -- $(families ON OFF OFF ON OFF) ;;
	c) run c "all five off: libraries + static tests" "kgss kgss_user kgss_openssl" -L static -- \
		$(families OFF OFF OFF OFF OFF) ;;
	*) echo "unknown configuration: $c (a, b or c)" >&2; exit 2 ;;
	esac
done

echo "== families summary (${root}, -j${jobs}, $((SECONDS - t_all))s)"
for c in "${configs[@]}"; do echo "   $c: ${summary[$c]}"; done
exit $status
