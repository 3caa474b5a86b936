#!/usr/bin/env bash
# scripts/kernel-tree.sh: the Debian kernel libkgss builds kgss.ko for.
# Installs linux-headers-amd64 if missing, then prints two lines:
#   KVER=<version>   e.g. 6.1.0-57-amd64 (what linux-headers-amd64 points to now)
#   KDIR=<dir>       its Kbuild tree, /usr/src/linux-headers-<version>
# The running kernel does not matter: kgss.ko is built for, and booted in,
# this version (tests/kernel takes the matching vmlinuz from its .deb).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh linux-headers-amd64 >&2
dep=$(dpkg-query -W -f='${Depends}' linux-headers-amd64)
kver=$(echo "$dep" | grep -o 'linux-headers-[^ ,]*-amd64' | head -1 | sed 's/^linux-headers-//')
[ -n "$kver" ] || { echo "kernel-tree.sh: cannot read the version from: $dep" >&2; exit 1; }
kdir=/usr/src/linux-headers-$kver
[ -f "$kdir/Makefile" ] || { echo "kernel-tree.sh: no Kbuild tree at $kdir" >&2; exit 1; }
echo "KVER=$kver"
echo "KDIR=$kdir"
