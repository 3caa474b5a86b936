#!/usr/bin/env bash
# check-core-symbols.sh LIBKGSS.a
# Kernel discipline, proven on the built archive:
#  1. every symbol the core needs from outside itself is on the whitelist
#     (memcpy memmove memset memcmp, plus the compiler helpers listed below);
#  2. no object has static constructors (.init_array/.ctors) or thread-locals;
#  3. no object has mutable global state (.data/.bss with nonzero size);
#     const tables live in .rodata / .data.rel.ro.
set -euo pipefail
lib=${1:?usage: check-core-symbols.sh libkgss.a}
[ -f "$lib" ] || { echo "no such archive: $lib" >&2; exit 2; }

# Compiler helpers the core may reference, with the reason:
#   __stack_chk_fail  emitted by -fstack-protector (distribution defaults on some hosts)
whitelist="memcpy memmove memset memcmp __stack_chk_fail"

defined=$(nm --defined-only -g "$lib" 2>/dev/null | awk 'NF==3 {print $3}' | sort -u)
undef=$(nm -u "$lib" 2>/dev/null | awk 'NF>=2 && ($1=="U" || $1=="w") {print $2}' | sort -u)
bad=0
for s in $(comm -23 <(echo "$undef") <(echo "$defined")); do
  ok=0
  for w in $whitelist; do [ "$s" = "$w" ] && ok=1; done
  if [ $ok = 0 ]; then echo "FORBIDDEN external reference: $s"; bad=1; fi
done
echo "external references: $(comm -23 <(echo "$undef") <(echo "$defined") | tr '\n' ' ')"

# Section checks, per archive member.
while read -r member sec size; do
  case "$sec" in
    .init_array*|.ctors*|.fini_array*|.dtors*)
      echo "STATIC CONSTRUCTOR/DESTRUCTOR section $sec in $member"; bad=1 ;;
    .tbss*|.tdata*)
      echo "THREAD-LOCAL state $sec in $member"; bad=1 ;;
    .data|.data.[!r]*|.bss|.bss.*)
      if [ "$((16#$size))" != "0" ]; then echo "MUTABLE GLOBAL STATE: $sec ($size bytes) in $member"; bad=1; fi ;;
  esac
done < <(objdump -h "$lib" | awk '/file format/ {m=$1; sub(":$","",m)} $1 ~ /^[0-9]+$/ {print m, $2, $3}')

members=$(ar t "$lib" | wc -l)
if [ $bad = 0 ]; then echo "OK: $members objects, only whitelisted references, no constructors, no mutable globals"; fi
exit $bad
