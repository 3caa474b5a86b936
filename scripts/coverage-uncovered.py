#!/usr/bin/env python3
"""scripts/coverage-uncovered.py DETAIL_JSON [OUT_TXT]: what the core's tests miss.

Reads the gcovr --json detail report that scripts/coverage.sh writes
(BUILD_DIR/coverage-detail.json) and writes, grouped by file, every line
never executed and every line with a branch never taken, each with its
source text:

    == crypto/cts.cc: 8 lines, 15 branch lines uncovered
    B   28   1/2 |		if (!cur_norm(sl, cu, &s))
    L   29       |			return false;

"L" = line never executed (with its branches, if any, none taken), "B" =
line executed but some branch outcome never taken ("taken/total").  Then
one line per top-level folder (gss-kernel-lib/, crypto/, lucid/, iov/)
and the totals, which must agree with coverage-summary.json (same gcovr
run, same filters).  Output goes to OUT_TXT (default: stdout).  The file
is meant for diffs between runs and for docs/coverage.md's table of what
stays uncovered.
"""
import json
import os
import sys


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write(__doc__)
        return 2
    detail = json.load(open(argv[1]))
    out = open(argv[2], "w") if len(argv) == 3 else sys.stdout
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    tot_lines = tot_lines_cov = tot_br = tot_br_cov = 0
    folders = {}  # top-level folder -> [lines, covered, branches, taken]
    report = []
    for f in sorted(detail["files"], key=lambda f: f["file"]):
        try:
            src = open(os.path.join(root, f["file"]), encoding="utf-8", errors="replace").read().splitlines()
        except OSError:
            src = []
        missing = []
        n_lines = n_branch_lines = 0
        fold = folders.setdefault(f["file"].split("/")[0], [0, 0, 0, 0])
        for ln in sorted(f["lines"], key=lambda ln: ln["line_number"]):
            if ln.get("gcovr/noncode") or ln.get("gcovr/excluded"):
                continue
            no = ln["line_number"]
            text = src[no - 1].rstrip() if 0 < no <= len(src) else ""
            tot_lines += 1
            if ln["count"] > 0:
                tot_lines_cov += 1
            brs = ln.get("branches", [])
            taken = sum(1 for b in brs if b["count"] > 0)
            tot_br += len(brs)
            tot_br_cov += taken
            fold[0] += 1
            fold[1] += ln["count"] > 0
            fold[2] += len(brs)
            fold[3] += taken
            if ln["count"] == 0:
                n_lines += 1
                missing.append("L %4d %5s |%s" % (no, "0/%d" % len(brs) if brs else "", text))
            elif taken < len(brs):
                n_branch_lines += 1
                missing.append("B %4d %5s |%s" % (no, "%d/%d" % (taken, len(brs)), text))
        if missing:
            report.append("== %s: %d lines, %d branch lines uncovered" % (f["file"], n_lines, n_branch_lines))
            report.extend(missing)
            report.append("")
    for r in report:
        out.write(r + "\n")
    for name in sorted(folders):
        n, c, b, t = folders[name]
        out.write("folder %s: lines %d/%d (%.1f %%), branches %d/%d (%.1f %%)\n" % (
            name + "/", c, n, 100.0 * c / max(n, 1), t, b, 100.0 * t / max(b, 1)))
    out.write("totals: lines %d/%d (%.1f %%), branches %d/%d (%.1f %%)\n" % (
        tot_lines_cov, tot_lines, 100.0 * tot_lines_cov / max(tot_lines, 1),
        tot_br_cov, tot_br, 100.0 * tot_br_cov / max(tot_br, 1)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
