#!/usr/bin/env python3
"""qualkit's codings.csv (turn unit) → the baselines' counts CSV, and a comparison.

  counts.py CODINGS.csv OUT.csv --ids code-ids.json
                                            participant,wave,code,turns, each code named as
                                            codebook.json names it (make_study.py's
                                            code-ids.json maps qualkit's ids back), sorted
  counts.py --compare OURS.csv REFERENCE.csv  prints IDENTICAL or the differing rows; exit 1
                                            when they differ
"""
import csv
import json
import sys
from collections import Counter


def convert(codings, out, ids):
    with open(ids, encoding="utf-8") as f:
        original = json.load(f)
    counts = Counter()
    with open(codings, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            counts[(row["participant"], row["wave"], original[row["code"]])] += 1
    with open(out, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["participant", "wave", "code", "turns"])
        for key in sorted(counts):
            writer.writerow([*key, counts[key]])


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return {(r["participant"], r["wave"], r["code"]): int(r["turns"]) for r in csv.DictReader(f)}


def compare(ours, reference):
    a, b = read(ours), read(reference)
    differing = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    if not differing:
        print(f"IDENTICAL ({len(b)} rows)")
        return 0
    print(f"DIFFERENT: {len(differing)} of {len(b)} rows differ, e.g.")
    for k in differing[:10]:
        print("  ", k, "qualkit", a.get(k), "reference", b.get(k))
    return 1


if __name__ == "__main__":
    if sys.argv[1] == "--compare":
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    if len(sys.argv) != 5 or sys.argv[3] != "--ids":
        sys.exit(__doc__)
    convert(sys.argv[1], sys.argv[2], sys.argv[4])
