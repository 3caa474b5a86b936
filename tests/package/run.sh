#!/usr/bin/env bash
# tests/package/run.sh BUILD_DIR [WORK_DIR|- [C_COMPILER CXX_COMPILER]]
# Installs BUILD_DIR into WORK_DIR/prefix (cmake --install), then configures,
# builds and runs tests/package/consumer against that prefix twice: with
# find_package(kgss CONFIG) and with pkg-config.  Nothing outside WORK_DIR is
# written; the system's pkg-config path and CMake package registry are not
# consulted for kgss.  WORK_DIR "-" (the CTest default): a fresh directory
# under ${TMPDIR:-/tmp}, outside the source and build trees (so the check that
# installed files do not point back into those trees means something), removed
# when the test passes.
set -euo pipefail
build=$1 work=${2:--}
cc=${3:-cc} cxx=${4:-c++}
src=$(cd "$(dirname "$0")" && pwd)/consumer
if [ "$work" = - ]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/kgss-package.XXXXXX")
  trap 'if [ $? -eq 0 ]; then rm -rf "$work"; else echo "left for inspection: $work"; fi' EXIT
else
  rm -rf "$work"
  mkdir -p "$work"
fi
prefix=$work/prefix

echo "== cmake --install $build --prefix $prefix"
cmake --install "$build" --prefix "$prefix" >"$work/install.log"
for f in include/kgss/kgss.h include/kgss/kgss_crypto.h include/kgss/kgss_prng.h include/kgss/kgss_user.h \
         lib/libkgss.a lib/libkgss_user.a lib/libkgss_openssl.a \
         lib/cmake/kgss/kgssConfig.cmake lib/cmake/kgss/kgssConfigVersion.cmake \
         lib/pkgconfig/kgss.pc lib/pkgconfig/kgss-user.pc lib/pkgconfig/kgss-openssl.pc; do
  [ -f "$prefix/$f" ] || { echo "FAIL: $f not installed"; exit 1; }
done
echo "   installed: $(cd "$prefix" && find . -type f | sort | tr '\n' ' ')"

# The installed files must not point back into the source or build tree.
if grep -rIl -e "$(cd "$build" && pwd)" -e "$(cd "$src/../../.." && pwd)" "$prefix" ; then
  echo "FAIL: the files above refer to the build or source tree"; exit 1
fi

# The README's usage example is the code this test compiles.
readme=$(cd "$src/../../.." && pwd)/README.md
awk '/README-EXAMPLE-BEGIN/{f=1;next} /README-EXAMPLE-END/{f=0} f' "$src/example.c" >"$work/example.from-c"
awk '/^## Usage/{u=1} u&&/^```c$/{f=1;next} f&&/^```$/{exit} f' "$readme" >"$work/example.from-readme"
if ! diff -u "$work/example.from-c" "$work/example.from-readme"; then
  echo "FAIL: README.md usage example differs from tests/package/consumer/example.c"; exit 1
fi
echo "== README usage example = consumer/example.c ($(wc -l <"$work/example.from-c") lines)"

run_consumer() { # mode
  local mode=$1 b=$work/consumer-$1
  echo "== consumer, $mode"
  env -u PKG_CONFIG_PATH PKG_CONFIG_PATH="$prefix/lib/pkgconfig" \
    cmake -S "$src" -B "$b" -DKGSS_FIND="$mode" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
      -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" >"$b.configure.log" 2>&1 \
    || { cat "$b.configure.log"; echo "FAIL: configure ($mode)"; exit 1; }
  cmake --build "$b" -j2 >"$b.build.log" 2>&1 || { cat "$b.build.log"; echo "FAIL: build ($mode)"; exit 1; }
  "$b/example"
  "$b/roundtrip"
}
run_consumer cmake
run_consumer pkgconfig

# pkg-config answers as documented.
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
echo "== pkg-config --cflags --libs kgss-openssl: $(pkg-config --cflags --libs kgss-openssl)"
pkg-config --exists --print-errors "kgss = $(pkg-config --modversion kgss)"
# ... and are enough on their own: the C example, one compiler command, no CMake.
# shellcheck disable=SC2046
"$cc" -std=c99 -Wall -Wextra -Werror -o "$work/example-cc" "$src/example.c" \
  $(pkg-config --cflags --libs kgss-user kgss-openssl)
"$work/example-cc"
echo "PASS: package installs and both consumers (find_package, pkg-config) build and run"
