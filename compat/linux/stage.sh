#!/bin/sh
# compat/linux/stage.sh SRC DEST - lay out the kgss.ko source tree in DEST:
#   DEST/Kbuild, DEST/dkms.conf      from compat/linux/
#   DEST/glue/*.c *.h shim/          the C glue of compat/linux/
#   DEST/gss-kernel-lib crypto lucid iov
#                                    the core's sources (no user-space parts:
#                                    crypto/openssl/, */user/, kgss_user.h)
# Kbuild then builds DEST as an external module (make M=DEST); the same tree
# is what dkms builds from.  Files are only rewritten when they changed, so
# Kbuild's incremental build keeps working; core sources no longer in the
# repository are removed from DEST.
set -eu
src=$1 dest=$2
mkdir -p "$dest"
src=$(cd "$src" && pwd) dest=$(cd "$dest" && pwd)
copy() { # copy FILE to DEST-RELATIVE PATH if different
	mkdir -p "$(dirname "$dest/$2")"
	cmp -s "$1" "$dest/$2" 2>/dev/null || cp "$1" "$dest/$2"
}
copy "$src/compat/linux/Kbuild" Kbuild
copy "$src/compat/linux/dkms.conf" dkms.conf
for f in "$src"/compat/linux/*.c "$src"/compat/linux/*.h "$src"/compat/linux/shim/*.h; do
	rel=${f#"$src"/compat/linux/}
	copy "$f" "glue/$rel"
done
cd "$src"
find gss-kernel-lib crypto lucid iov -type f \( -name '*.cc' -o -name '*.h' \) \
	! -path 'crypto/openssl/*' ! -path '*/user/*' ! -name kgss_user.h | sort |
while read -r f; do copy "$src/$f" "$f"; done
# Staged core files whose source is gone (removed or renamed) go too: Kbuild
# takes the core by wildcard and would still build them.
cd "$dest"
find gss-kernel-lib crypto lucid iov -type f \( -name '*.cc' -o -name '*.h' \) | sort |
while read -r f; do [ -f "$src/$f" ] || rm -f "$f"; done
