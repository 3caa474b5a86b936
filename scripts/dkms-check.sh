#!/usr/bin/env bash
# scripts/dkms-check.sh: kgss.ko the way integrators ship out-of-tree modules.
# Stages the dkms source tree (make -C compat/linux dkms-source), then
# `dkms add / build / install` for the Debian kernel of scripts/kernel-tree.sh,
# checks the installed module's license and vermagic, and removes everything
# again (dkms remove, /usr/src/kgss-<version>).  Needs root; installs dkms.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/kernel-tree.sh)"
scripts/deps.sh dkms >/dev/null
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' compat/linux/dkms.conf)
src=/usr/src/kgss-$ver
cleanup() { dkms remove "kgss/$ver" --all >/dev/null 2>&1 || true; rm -rf "$src"; }
cleanup
trap cleanup EXIT
make -s -C compat/linux dkms-source DEST="$src"
dkms add "kgss/$ver"
dkms build "kgss/$ver" -k "$KVER"
dkms install "kgss/$ver" -k "$KVER"
ko=$(find "/lib/modules/$KVER/updates" -name 'kgss.ko*' | head -1)
[ -n "$ko" ] || { echo "dkms-check: no kgss.ko installed under /lib/modules/$KVER/updates" >&2; exit 1; }
modinfo "$ko" | grep -q '^license: *Dual BSD/GPL$' || { echo "dkms-check: wrong license" >&2; exit 1; }
modinfo "$ko" | grep -q "^vermagic: *$KVER " || { echo "dkms-check: vermagic is not $KVER" >&2; exit 1; }
echo "dkms-check: kgss/$ver built and installed for $KVER: $ko"
