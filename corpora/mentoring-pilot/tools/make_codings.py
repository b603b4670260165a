#!/usr/bin/env python3
"""Turn the two coders' quote files (codings_<coder>.tsv: document, code, quote) into
manual codings in qualkit's codings.csv layout (codings/<coder>.csv).

The quotes were written by reading the transcripts, as a coder highlights text; this script
only finds each quote in its document and writes its char offsets (code points, in the
decoded text, as qualkit reads it: UTF-8, else Windows-1252; line ends kept). A quote that
is missing or occurs twice in its document is an error, so offsets are never guessed.

Run from the study folder: python3 tools/make_codings.py
"""
import csv
import pathlib
import sys

STUDY = pathlib.Path(__file__).resolve().parent.parent


def decoded(path):
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def main():
    failed = False
    for tsv in sorted((STUDY / "tools").glob("codings_*.tsv")):
        coder = tsv.stem.removeprefix("codings_")
        rows = []
        with tsv.open(encoding="utf-8", newline="") as f:
            for n, row in enumerate(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE), 2):
                text = decoded(STUDY / row["document"])
                quote = row["quote"]
                at = text.find(quote)
                if at < 0 or text.find(quote, at + 1) >= 0:
                    why = "not found" if at < 0 else "found more than once"
                    print(f"{tsv.name}:{n}: quote {why} in {row['document']}", file=sys.stderr)
                    failed = True
                    continue
                rows.append((row["document"], at, at + len(quote), row["code"], coder, quote))
        rows.sort(key=lambda r: (r[0], r[1], r[2], r[3]))
        out = STUDY / "codings" / f"{coder}.csv"
        with out.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(["document", "start", "end", "code", "origin", "text"])
            writer.writerows(rows)
        print(f"{out.relative_to(STUDY)}: {len(rows)} codings by {coder}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
