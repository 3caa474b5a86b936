#!/usr/bin/env bash
# check-headers.sh CC CXX INCLUDE_DIR: every public header compiles on its own
# as strict C99 and as C++17, and includes nothing but <stddef.h>/<stdint.h>
# (<linux/types.h> instead under __KERNEL__ in kernel C; compat/linux builds
# that case) and other public kgss headers.
set -euo pipefail
cc=${1:?cc}; cxx=${2:?cxx}; inc=${3:?include dir}
bad=0; n=0
for h in "$inc"/*.h; do
  n=$((n+1))
  name=$(basename "$h")
  others=$(grep -E '^[[:space:]]*#[[:space:]]*include' "$h" | grep -vE '<stddef\.h>|<stdint\.h>|<linux/types\.h>|"kgss[a-z_]*\.h"' || true)
  if [ -n "$others" ]; then echo "$name includes more than stddef/stdint: $others"; bad=1; fi
  printf '#include "%s"\nint kgss_header_check_%s;\n' "$name" "$n" > /tmp/kgss_hdr_$$.c
  if ! "$cc" -std=c99 -pedantic -Wall -Wextra -Werror -fsyntax-only -I"$inc" /tmp/kgss_hdr_$$.c; then
    echo "$name: not clean C99"; bad=1; fi
  if ! "$cxx" -std=c++17 -pedantic -Wall -Wextra -Werror -fsyntax-only -I"$inc" -x c++ /tmp/kgss_hdr_$$.c; then
    echo "$name: not clean C++17"; bad=1; fi
done
rm -f /tmp/kgss_hdr_$$.c
[ $bad = 0 ] && echo "OK: $n public headers compile as C99 -pedantic and C++17"
exit $bad
