#!/usr/bin/env bash
# test.sh: the full test suite, as CI runs it.  Installs what is missing, then:
#   0. format: scripts/check-format.sh (.clang-format, clang-format 14);
#   1. default preset (Release): unit, known-answer, static, ctgrind, concurrency,
#      live-KDC interop, CLI, package, bench smoke;
#   2. debug-asan preset: the same under ASan + UBSan;
#   3. the kernel: kgss.ko built by Kbuild with the kernel's own flags, the
#      kernel-ABI check on its objects, the example module; then the QEMU
#      test (tests/kernel): a real Debian kernel booted twice (-cpu max and
#      -cpu qemu64) running the in-kernel MIT round trips; and the
#      freestanding preset (hosted ABI, -Werror, 1 KiB frames, symbol
#      whitelist);
#   4. memcheck: every unit suite under valgrind (default build);
#   5. tsan preset: the concurrency test under ThreadSanitizer;
#   6. fuzz: a short bounded libFuzzer run of every target (clang, ASan+UBSan);
#   7. families: every enctype family compiled out once, build + tests.
# KGSS_TEST_PRESETS="default" runs step 1 only (quick local loop).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh valgrind clang libclang-rt-14-dev clang-format-14
start=$(date +%s)
step() { echo; echo "== [$(( $(date +%s) - start ))s] $*"; }

step "format: every C/C++ file matches .clang-format"
scripts/check-format.sh

presets=${KGSS_TEST_PRESETS:-default debug-asan}
for p in $presets; do
  step "preset $p: configure + build"
  cmake --preset "$p" >/dev/null
  cmake --build --preset "$p"
  step "preset $p: ctest"
  ctest --preset "$p" --label-exclude memcheck
done
if [ -z "${KGSS_TEST_PRESETS:-}" ]; then
  step "kernel: kgss.ko by Kbuild, kernel-ABI check, example module"
  eval "$(scripts/kernel-tree.sh)"
  make -C compat/linux KDIR="$KDIR"
  make -C compat/linux KDIR="$KDIR" check
  make -C compat/linux KDIR="$KDIR" example
  scripts/dkms-check.sh

  step "freestanding preset: -Werror, 1 KiB frames, symbol whitelist"
  cmake --preset freestanding >/dev/null
  cmake --build --preset freestanding --target kgss
  ctest --preset freestanding -L static
  scripts/stack-usage.sh build/freestanding | tail -5 || true

  step "memcheck (valgrind) on the default build"
  ctest --preset default -L memcheck

  step "tsan preset: concurrency under ThreadSanitizer"
  cmake --preset tsan >/dev/null
  cmake --build --preset tsan --target test_concurrency
  ctest --preset tsan -L concurrency

  step "fuzz: bounded libFuzzer runs of every target"
  scripts/fuzz.sh --ctest

  step "families: each enctype family compiled out"
  scripts/test-families.sh
fi
step "all tests passed"
