#!/usr/bin/env bash
# fuzz.sh [seconds-per-target] [target ...]
# fuzz.sh --ctest      build, then only the short CTest runs (label fuzz:
#                      KGSS_FUZZ_RUNS mutations per target, default 3000)
#
# Builds the libFuzzer targets of tests/fuzz with clang (ASan + UBSan, the
# library instrumented for coverage) in build/fuzz and runs each target for
# the given time (default 300 s) on one core, one after the other.  New
# inputs go to build/fuzz/corpus/<target> (the committed seeds in
# tests/fuzz/corpus/<target> are read, never written); crashes to
# build/fuzz/artifacts/.  Prints executions and coverage per target and
# exits non-zero if any target found a crash.
#
# Environment: KGSS_FUZZ_BUILD (build dir, default build/fuzz),
# KGSS_FUZZ_JOBS (build parallelism, default 2), KGSS_FUZZ_ARGS (extra
# libFuzzer flags, e.g. -max_len=2048).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=long
if [ "${1:-}" = "--ctest" ]; then
  mode=ctest
  shift
fi
secs=${1:-300}
shift || true
case "$secs" in
  ''|*[!0-9]*|0) echo "seconds per target must be a positive number (libFuzzer takes 0 as forever)" >&2; exit 2;;
esac
targets=${*:-unwrap verify_mic unwrap_iov import_lucid import_downcall import_serialized inspect}
build=${KGSS_FUZZ_BUILD:-build/fuzz}

# Debian 12: clang 14 and its compiler runtime (libFuzzer, ASan, UBSan).
scripts/deps.sh clang libclang-rt-14-dev

CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKGSS_FUZZ=ON \
  -DKGSS_BUILD_TOOLS=OFF >/dev/null
cmake --build "$build" -j"${KGSS_FUZZ_JOBS:-2}" --target $(printf 'fuzz_%s ' $targets)
if [ "$mode" = ctest ]; then
  exec ctest --test-dir "$build" -L '^fuzz$' --output-on-failure
fi

mkdir -p "$build/artifacts"
status=0
summary=""
for t in $targets; do
  mkdir -p "$build/corpus/$t"
  log="$build/fuzz_$t.log"
  echo "== fuzz_$t for ${secs}s (log: $log)"
  set +e
  "$build/tests/fuzz/fuzz_$t" -max_total_time="$secs" -print_final_stats=1 -timeout=10 \
    -artifact_prefix="$build/artifacts/$t-" ${KGSS_FUZZ_ARGS:-} \
    "$build/corpus/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  units=$(ls "$build/corpus/$t" | wc -l)
  line=$(printf '%-18s rc=%d executions=%s coverage=%s new-corpus=%s' "$t" "$rc" "${execs:-?}" "${cov:-?}" "$units")
  echo "$line"
  summary+="$line"$'\n'
  if [ "$rc" -ne 0 ]; then
    status=1
    grep -m5 -E 'ERROR|runtime error|invariant broken|SUMMARY' "$log" || true
  fi
done
echo "== summary"
printf '%s' "$summary"
exit $status
