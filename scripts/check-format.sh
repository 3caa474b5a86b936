#!/usr/bin/env bash
# check-format.sh [--fix]: every C and C++ file git tracks is formatted by
# .clang-format (clang-format 14, Debian 12's).  Without --fix it lists the
# files that differ and exits 1; with --fix it rewrites them in place.
# Test vectors and generated files are not code and are left out.
set -euo pipefail
cd "$(dirname "$0")/.."
cf=${CLANG_FORMAT:-clang-format-14}
command -v "$cf" >/dev/null || { echo "check-format.sh: $cf not found (scripts/deps.sh clang-format-14)" >&2; exit 2; }
mapfile -t files < <(git ls-files '*.c' '*.h' '*.cc' | grep -v '^tests/vectors/')
if [ "${1:-}" = --fix ]; then
  "$cf" -i --style=file "${files[@]}"
  exit 0
fi
bad=0
for f in "${files[@]}"; do
  if ! "$cf" --style=file --dry-run -Werror "$f" >/dev/null 2>&1; then
    echo "not formatted: $f"
    bad=$((bad + 1))
  fi
done
if [ "$bad" -gt 0 ]; then
  echo "check-format.sh: $bad of ${#files[@]} files differ from .clang-format; run scripts/check-format.sh --fix" >&2
  exit 1
fi
echo "check-format.sh: ${#files[@]} files formatted"
