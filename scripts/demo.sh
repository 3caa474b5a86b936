#!/usr/bin/env bash
# demo.sh: the main job.  Installs what is missing, builds the default
# preset and runs `kgss demo`: a throwaway MIT KDC on 127.0.0.1, real MIT GSS
# contexts for every enctype, imported into libkgss, messages both ways.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake --preset default >/dev/null
cmake --build --preset default --target kgss-cli
exec build/default/tools/kgss/kgss demo "$@"
