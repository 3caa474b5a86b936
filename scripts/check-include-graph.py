#!/usr/bin/env python3
"""check-include-graph.py [ROOT]: do the core's folders include each other in one direction only?

Reads every `#include "..."` of the core's sources and headers (ROOT, default
the repository this script lives in), resolves it the way the build does
(the including file's folder, then ROOT, then gss-kernel-lib/include) and
folds the file edges into edges between the core's folders:

  gss-kernel-lib  gss-kernel-lib/token  crypto  crypto/enctypes  crypto/builtin  lucid  iov

Each file belongs to its own folder only (crypto/enctypes/x.cc is in
crypto/enctypes, not in crypto); user-space-only subfolders (*/user,
crypto/openssl) and the public headers are not part of the graph.  Fails
(exit 1) on any cycle between those folders - in particular the back-arrow
gss-kernel-lib/token -> gss-kernel-lib beside gss-kernel-lib ->
gss-kernel-lib/token - naming the file edges that make it up.  Also fails on
an include that resolves to nothing, and when it finds no file or no edge at
all (an empty input cannot pass).
"""
import os
import re
import sys

CORE_DIRS = ["gss-kernel-lib", "gss-kernel-lib/token", "crypto", "crypto/enctypes", "crypto/builtin", "lucid", "iov"]
PUBLIC_INCLUDE = "gss-kernel-lib/include"
INCLUDE_RE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def core_files(root):
    """Sources and headers directly inside each core folder, as ROOT-relative paths."""
    files = []
    for d in CORE_DIRS:
        for name in sorted(os.listdir(os.path.join(root, d))):
            if name.endswith((".cc", ".h")) and os.path.isfile(os.path.join(root, d, name)):
                files.append(d + "/" + name)
    return files


def resolve(root, src, inc):
    """ROOT-relative path of what `#include "inc"` in src names, or None."""
    for base in (os.path.dirname(src), "", PUBLIC_INCLUDE):
        cand = os.path.normpath(os.path.join(base, inc))
        if os.path.isfile(os.path.join(root, cand)):
            return cand
    return None


def folder_edges(root, files):
    """{(from_dir, to_dir): [(file, included), ...]} over distinct core folders; and unresolved includes."""
    edges, unresolved = {}, []
    for f in files:
        with open(os.path.join(root, f), encoding="utf-8") as fh:
            text = fh.read()
        for inc in INCLUDE_RE.findall(text):
            target = resolve(root, f, inc)
            if target is None:
                unresolved.append((f, inc))
                continue
            a, b = os.path.dirname(f), os.path.dirname(target)
            if a != b and b in CORE_DIRS:
                edges.setdefault((a, b), []).append((f, target))
    return edges, unresolved


def find_cycle(nodes, edges):
    """One cycle as a list of folders [n0, n1, ..., n0], or None (depth-first search)."""
    succ = {n: sorted(b for (a, b) in edges if a == n) for n in nodes}
    state = {n: 0 for n in nodes}  # 0 unseen, 1 on the current path, 2 done
    path = []

    def visit(n):
        state[n] = 1
        path.append(n)
        for m in succ[n]:
            if state[m] == 1:
                return path[path.index(m):] + [m]
            if state[m] == 0:
                found = visit(m)
                if found:
                    return found
        path.pop()
        state[n] = 2
        return None

    for n in nodes:
        if state[n] == 0:
            found = visit(n)
            if found:
                return found
    return None


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    files = core_files(root)
    edges, unresolved = folder_edges(root, files)
    bad = False
    for f, inc in unresolved:
        print(f'{f}: #include "{inc}" names no file')
        bad = True
    if not files or not edges:
        print(f"no core files ({len(files)}) or no edges between core folders ({len(edges)}): nothing was checked")
        return 1
    cycle = find_cycle(CORE_DIRS, edges)
    if cycle:
        print("cycle between core folders: " + " -> ".join(cycle))
        for a, b in zip(cycle, cycle[1:]):
            for f, t in edges[(a, b)]:
                print(f"  {a} -> {b}: {f} includes {t}")
        bad = True
    for (a, b) in sorted(edges):
        print(f"{a} -> {b} ({len(edges[(a, b)])} includes)")
    if bad:
        return 1
    print(f"OK: {len(files)} files, {len(edges)} folder edges, no cycle between the core folders")
    return 0


if __name__ == "__main__":
    sys.exit(main())
