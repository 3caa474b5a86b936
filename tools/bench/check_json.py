#!/usr/bin/env python3
"""tools/bench/check_json.py FILE - structural check of kgss-bench --json output.

Checks that FILE parses, that it has results for every enctype in meta.enctypes,
each with a positive ns_per_op, and that libkgss's builtin backend (stitched and two-pass) made zero heap
allocations (malloc or allocator hooks) per per-message call.  No timing is judged.
"""
import json
import sys


def main():
    if len(sys.argv) != 2:
        print("usage: check_json.py FILE", file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        doc = json.load(f)
    res = doc["results"]
    if not res:
        print("no results", file=sys.stderr)
        return 1
    seen = set()
    bad = []
    for r in res:
        for k in ("impl", "enctype", "op", "size", "ns_per_op", "mb_per_s", "allocs_per_op"):
            if k not in r:
                bad.append("missing %s in %r" % (k, r))
        if not r.get("ns_per_op", 0) > 0:
            bad.append("ns_per_op <= 0: %r" % r)
        if r.get("impl") == "kgss-builtin":
            seen.add(r["enctype"])
        if r.get("impl") in ("kgss-builtin", "kgss-builtin-2pass"):
            if r["allocs_per_op"] != 0 or r.get("kgss_hook_allocs_per_op", 0) != 0:
                bad.append("builtin allocates: %r" % r)
    want = set(doc["meta"]["enctypes"])
    if want - seen:
        bad.append("no kgss-builtin results for enctypes %s" % sorted(want - seen))
    if doc.get("ctx_size", 0) <= 0:
        bad.append("ctx_size missing")
    for b in bad:
        print(b, file=sys.stderr)
    if bad:
        return 1
    print("check_json: %d results, enctypes %s: ok" % (len(res), sorted(seen)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
