#!/usr/bin/env bash
# deps.sh [extra packages...]: install what libkgss needs on Debian 12
# (only what is missing; apt-get update first when something is).
set -euo pipefail
pkgs="cmake g++ make pkg-config binutils cpputest libssl-dev
      libkrb5-dev krb5-kdc krb5-admin-server krb5-user heimdal-multidev nettle-dev doxygen python3 $*"
missing=""
for p in $pkgs; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing Debian packages:$missing — run as root or: sudo apt-get install -y$missing" >&2
    exit 1
  fi
  echo "== installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
