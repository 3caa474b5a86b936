#!/bin/sh
# docs/doxygen-summary.sh LOG: one line about doxygen's warnings; fails when a
# public function is undocumented.
log=$1
funcs=$(grep -c '(function).*not documented' "$log")
total=$(wc -l < "$log")
echo "doxygen: $funcs undocumented public functions, $total warnings in total ($log)"
[ "$funcs" -eq 0 ]
