#!/usr/bin/env python3
"""How much coverage each fuzz target gained late in its last run: a plateau shows as (almost)
nothing gained in the last tenth of the executions.

Usage (in fuzz/): python3 plateau.py TARGET...   reads logs/TARGET.log, as run.sh writes it.
"Start" is the coverage once the existing corpus was loaded (libFuzzer's INITED line).
"""
import re
import sys

for target in sys.argv[1:]:
    points = []  # (executions, coverage)
    start = None
    for line in open(f"logs/{target}.log", errors="replace"):
        m = re.match(r"#(\d+)\s+(\w+)\s.*cov: (\d+)", line)
        if m:
            executions, kind, coverage = int(m.group(1)), m.group(2), int(m.group(3))
            if kind == "INITED":
                start = coverage
            points.append((executions, coverage))
    if not points:
        print(f"{target}: no coverage lines")
        continue
    total, end = points[-1]
    start = start if start is not None else points[0][1]

    def coverage_at(share):
        reached = start
        for executions, coverage in points:
            if executions <= share * total:
                reached = coverage
        return reached

    half, last_tenth = coverage_at(0.5), coverage_at(0.9)
    print(
        f"{target}: {total} executions, coverage {start} → {end}; "
        f"second half +{end - half} ({100 * (end - half) / end:.2f} %), "
        f"last tenth +{end - last_tenth} ({100 * (end - last_tenth) / end:.2f} %)"
    )
