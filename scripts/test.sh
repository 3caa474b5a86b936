#!/usr/bin/env bash
# test.sh: the full test suite, as CI runs it.  Installs what is missing,
# then configures, builds and runs ctest in the `default` and `debug-asan`
# presets (unit, known-answer, static, live-KDC interop tests), and the
# memcheck label under valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh valgrind clang
presets=${KGSS_TEST_PRESETS:-default debug-asan}
for p in $presets; do
  echo "== preset $p: configure + build"
  cmake --preset "$p" >/dev/null
  cmake --build --preset "$p"
  echo "== preset $p: ctest"
  ctest --preset "$p" --label-exclude memcheck
done
if [ -z "${KGSS_TEST_PRESETS:-}" ]; then
  echo "== kernel preset: freestanding core, symbol whitelist"
  cmake --preset kernel >/dev/null
  cmake --build --preset kernel --target kgss
  ctest --preset kernel -L static
  echo "== memcheck (valgrind) on the default build"
  ctest --preset default -L memcheck
fi
echo "== all tests passed"
