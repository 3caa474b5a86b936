#!/bin/sh
# scripts/stack-usage.sh - stack frames of the libkgss core, from the .su files
# GCC writes next to every core object (the kgss target is built with
# -fstack-usage in every preset).
#
#   scripts/stack-usage.sh [BUILD_DIR] [TOP]
#
# BUILD_DIR defaults to build/default; TOP (default 10) is how many of the largest
# frames to list.  Output, one "key: value" per line, then the list:
#
#   objects: N                     .su files read
#   functions: N
#   max_frame: BYTES FUNCTION      largest frame in the whole core (import included)
#   max_per_message: BYTES FUNCTION largest frame outside the import-only files
#                                  (lucid/, gss-kernel-lib/context.cc, import.cc,
#                                  options.cc, crypto/kdf.cc, crypto/nfold.cc)
#   dynamic: N                     frames GCC could not bound (VLA/alloca): must be 0
#   top:
#     BYTES  QUALIFIER  FILE:LINE FUNCTION
#
# A frame is one function's own stack use; GCC does not sum call chains, so this
# bounds each frame, not the deepest path.  Exit status: 0, or 1 when no .su file
# is found (build the kgss target first), 2 on usage errors.
set -eu

BUILD=${1:-build/default}
TOP=${2:-10}
case $TOP in ''|*[!0-9]*) echo "usage: $0 [BUILD_DIR] [TOP]" >&2; exit 2 ;; esac
DIR="$BUILD/CMakeFiles/kgss.dir"
[ -d "$DIR" ] || { echo "stack-usage.sh: $DIR not found (build the kgss target first)" >&2; exit 1; }

LIST=$(mktemp)
trap 'rm -f "$LIST"' EXIT
find "$DIR" -name '*.su' -type f >"$LIST"
N=$(wc -l <"$LIST" | tr -d ' ')
[ "$N" -gt 0 ] || { echo "stack-usage.sh: no .su files under $DIR" >&2; exit 1; }

# .su line: "path/file.cc:LINE:COL:function signature<TAB>BYTES<TAB>static|dynamic|dynamic,bounded"
# (the objects' .su files are named after their sources, so the path in the line
# is the source path).
while IFS= read -r f; do cat "$f"; done <"$LIST" | awk -F'\t' -v top="$TOP" -v nobj="$N" '
function importonly(loc) {
	return loc ~ /\/lucid\// || loc ~ /gss-kernel-lib\/(context|import|options)\.cc:/ ||
	       loc ~ /crypto\/(kdf|nfold)\.cc:/
}
NF >= 3 {
	loc = $1; bytes = $2 + 0; q = $3
	n++
	# "file:line:col:function": keep file:line and the function name
	split(loc, a, ":")
	m = a[1]
	if (match(m, /(gss-kernel-lib|crypto|lucid|iov)\/.*/)) m = substr(m, RSTART)
	sub(/^[^:]*:[^:]*:[^:]*:/, "", loc)
	where = m ":" a[2]
	line[n] = sprintf("%6d  %-16s %s %s", bytes, q, where, loc)
	size[n] = bytes
	if (bytes > max) { max = bytes; maxf = where " " loc }
	if (!importonly(a[1]) && bytes > maxpm) { maxpm = bytes; maxpmf = where " " loc }
	if (q ~ /^dynamic$/) dyn++
}
END {
	printf "objects: %d\nfunctions: %d\n", nobj, n
	printf "max_frame: %d %s\n", max, maxf
	printf "max_per_message: %d %s\n", maxpm, maxpmf
	printf "dynamic: %d\n", dyn + 0
	print "top:"
	# selection of the TOP largest (n is a few hundred)
	for (k = 1; k <= top && k <= n; k++) {
		b = 0
		for (i = 1; i <= n; i++) if (!(i in used) && (b == 0 || size[i] > size[b])) b = i
		used[b] = 1
		print "  " line[b]
	}
}'
