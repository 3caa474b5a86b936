#!/usr/bin/env bash
# scripts/coverage.sh [BUILD_DIR]: line and branch coverage of the core.
#
# Builds the default configuration with gcov instrumentation (Debug, -O0,
# --coverage -fprofile-update=atomic: the concurrency tests would otherwise
# corrupt the counters), runs the default CTest suite (every label but the
# QEMU kernel test and valgrind), and reports with gcovr over what goes into
# libkgss: gss-kernel-lib/, crypto/ (minus the OpenSSL backend), lucid/,
# iov/ (minus the user-space */user/ parts).  Prints the per-file table and
# the totals; writes BUILD_DIR/coverage.txt, coverage-branches.txt,
# coverage-summary.json, coverage-detail.json (gcovr's per-line JSON) and
# coverage-uncovered.txt (scripts/coverage-uncovered.py: every line never run
# and every line with a branch never taken, grouped by file, with its text).
# docs/coverage.md records the figures and names what stays uncovered.
#
# scripts/coverage.sh --report [BUILD_DIR]: only the report, from the
# counters an earlier run (or ctest runs of single suites in BUILD_DIR) left.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh gcovr >/dev/null
report_only=0
if [[ ${1:-} == --report ]]; then
  report_only=1
  shift
fi
build=${1:-build/coverage}
flags="--coverage -fprofile-update=atomic -O0"
if ((!report_only)); then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
        -DCMAKE_EXE_LINKER_FLAGS=--coverage >/dev/null
  cmake --build "$build" -j2
  find "$build" -name '*.gcda' -delete
  # core_symbols and package_consumer check the shipped artifacts (no foreign
  # symbols, no static constructors; an installed package a consumer links):
  # instrumentation adds __gcov_* references and counters, so they are the
  # default build's job, not this one's.
  (cd "$build" && ctest --label-exclude 'memcheck|kernel' -E '^(core_symbols|package_consumer)$' \
     --output-on-failure -j1) || {
    echo "coverage.sh: the suite failed; figures would be meaningless" >&2; exit 1; }
fi
filters=(--filter 'gss-kernel-lib/' --filter 'crypto/' --filter 'lucid/' --filter 'iov/'
         --exclude 'crypto/openssl/' --exclude '.*/user/' --exclude 'tests/' --exclude 'tools/')
gcovr -r . --object-directory "$build" "${filters[@]}" --exclude-unreachable-branches \
      --exclude-throw-branches --txt "$build/coverage.txt" \
      --json-summary "$build/coverage-summary.json" --json-summary-pretty \
      --json "$build/coverage-detail.json"
scripts/coverage-uncovered.py "$build/coverage-detail.json" "$build/coverage-uncovered.txt"
gcovr -r . --object-directory "$build" "${filters[@]}" --exclude-unreachable-branches \
      --exclude-throw-branches --branches --txt "$build/coverage-branches.txt"
cat "$build/coverage.txt"
python3 - "$build/coverage-summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print("core totals: lines %.1f %% (%d/%d), branches %.1f %% (%d/%d)" % (
    s["line_percent"], s["line_covered"], s["line_total"],
    s["branch_percent"], s["branch_covered"], s["branch_total"]))
PY
echo "uncovered lines and branches, by file: $build/coverage-uncovered.txt"
