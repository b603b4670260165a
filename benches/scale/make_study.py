#!/usr/bin/env python3
"""Make a qualkit study of a benchmark corpus (`gen_corpus.py` output) in place.

Writes `study.toml` and `codebook.toml` into the corpus folder: the transcripts are read
where they are. The codebook is `codebook.json` translated rule by rule with the baselines'
semantics (see translate()): a word matches that exact word form, `x*` any word starting
with x, a phrase the exact words in order, and a phrase ending in `*` a prefix on its last
word. Usage: make_study.py CORPUS_DIR [--edit | --edit-matching] [--codebook FILE]
(--edit: the "codebook edit" variant, one pattern added to the first code, for timing a
re-code; it is a phrase the generated corpora never hold, so the re-code searches for it and
codes no turn again. --edit-matching: the first code gets a new rule that does match turns,
the OR of the second and third codes' first rules, so the re-code also codes those turns
again. --codebook: a codebook in codebook.json's format other than the corpus's own)

A qualkit code id is lower-case letters, digits, `_`, `.` and `-`; the baselines' ids are any
strings. Each code gets the id of its own made valid (`qualkit_ids`), and `code-ids.json`
beside the study maps it back, so `counts.py --ids` names codes as the baselines do. A code
without patterns codes nothing in python_ahocorasick; qualkit refuses a code without rules,
so it is left out, and out of `codebook.baselines.json`, what the baselines are given
(python_re would count every turn for it).

The baselines' tokens include the words of transcription marks (`[laughs]` is the token
`laughs`), which qualkit skips by default; the study sets `marks = "words"` to match them too.
Their tokens are runs of letters and digits; the study sets `words = "alphanumeric"` to split
words the same way.
"""
import argparse
import csv
import json
import pathlib
import re

TOKEN = re.compile(r"[^\W_]+")


def rules_of(pattern):
    """One baseline pattern as qualkit rules with the same meaning.

    The baselines' tokens are runs of letters and digits (`[^\\W_]+`), so `mum's` is the two
    tokens `mum` and `s`, and `self-belief` is `self` and `belief`. The study splits words the
    same way (`[coding] words = "alphanumeric"`; qualkit's default, UAX #29, keeps `mum's`
    whole), so a pattern is its tokens: a word is `=word` (the exact form, not the stem), a
    prefix `word*`, several words the exact phrase `="a b"`, with `*` on its last word when
    the pattern ends in one. The baselines' `s*`, `t` or `"re sit*"` then match the `s` of
    `it's`, the `t` of `don't` and the `re` of `we're`, as theirs do.
    """
    text = pattern.strip().lower()
    prefix = text.endswith("*")
    words = TOKEN.findall(text.rstrip("*"))
    if not words:
        raise SystemExit(f"pattern {pattern!r} holds no letter or digit")
    if len(words) == 1:
        return [f"{words[0]}*" if prefix else f"={words[0]}"]
    phrase = " ".join(words)
    return [f'="{phrase}*"' if prefix else f'="{phrase}"']


def qualkit_ids(ids):
    """Each baseline code id as a valid qualkit id, in order, distinct: lower-cased, every
    char that an id cannot hold as `-`, and `-2`, `-3`, ... after an id already taken
    (`Targets` and `TARGETS` are two codes to the baselines)."""
    taken, out = set(), []
    for original in ids:
        base = re.sub(r"[^a-z0-9_.-]", "-", str(original).lower()) or "code"
        qid, n = base, 1
        while qid in taken:
            n += 1
            qid = f"{base}-{n}"
        taken.add(qid)
        out.append(qid)
    return out


def matching_edit(codes_rules):
    """A new rule for the first code that matches turns: the OR of the first rules of the
    next two codes that have rules (a codebook of one code: its own first rule, in brackets,
    which is a new rule text with the same matches)."""
    firsts = [rules[0] for rules in codes_rules[1:] if rules][:2]
    if not firsts:
        firsts = [rules[0] for rules in codes_rules if rules][:1]
    if not firsts:
        raise SystemExit("--edit-matching needs a code with a pattern")
    return f"({firsts[0]})" if len(firsts) == 1 else " OR ".join(firsts)


def toml_string(s):
    return json.dumps(s, ensure_ascii=False)


def main():
    parser = argparse.ArgumentParser(description="Make a qualkit study of a benchmark corpus.")
    parser.add_argument("corpus", type=pathlib.Path)
    edits = parser.add_mutually_exclusive_group()
    edits.add_argument("--edit", action="store_true", help="add one pattern to the first code")
    edits.add_argument("--edit-matching", action="store_true",
                       help="add to the first code a rule that matches the turns the second and third codes' first rules match")
    parser.add_argument("--codebook", type=pathlib.Path, help="default: CORPUS/codebook.json")
    args = parser.parse_args()
    corpus, edit = args.corpus, args.edit
    book = json.loads((args.codebook or corpus / "codebook.json").read_text(encoding="utf-8"))
    codes_rules = [rules for code in book["codes"]
                   if (rules := [r for pattern in code["patterns"] for r in rules_of(pattern)])]
    ids = qualkit_ids(code["id"] for code in book["codes"])
    out = ['format = 1', f'name = {toml_string(book.get("name", "benchmark"))}', 'version = "bench"',
           'language = "english"', '']
    first = True
    for code, qid in zip(book["codes"], ids):
        rules = []
        for pattern in code["patterns"]:
            for r in rules_of(pattern):
                if r not in rules:
                    rules.append(r)
        if not rules:
            continue
        if edit and first:
            rules.append('="stretch goal"')
        if args.edit_matching and first:
            rules.append(matching_edit(codes_rules))
        first = False
        label = str(code.get("label", code["id"]))
        out += ["[[code]]", f'id = {toml_string(qid)}', f'name = {toml_string(label)}',
                f'description = {toml_string(label)}',
                "rules = [" + ", ".join(toml_string(r) for r in rules) + "]", ""]
    (corpus / "codebook.toml").write_text("\n".join(out), encoding="utf-8")
    (corpus / "code-ids.json").write_text(
        json.dumps({qid: str(code["id"]) for code, qid in zip(book["codes"], ids)}, indent=1,
                   ensure_ascii=False) + "\n", encoding="utf-8")
    (corpus / "study.toml").write_text(study_toml(corpus), encoding="utf-8")
    # what the baselines are given: the codebook without its codes of no pattern, which
    # python_ahocorasick never counts and python_re counts in every turn (an alternation of
    # nothing matches anywhere)
    book["codes"] = [code for code in book["codes"] if code["patterns"]]
    (corpus / "codebook.baselines.json").write_text(
        json.dumps(book, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def study_toml(corpus):
    """The study of a corpus in `gen_corpus.py`'s layout: `transcripts/<ID>_<wave>.txt` (only
    those, as the baselines read) and, if there is one, `participants.csv` (one is written
    with the transcripts' ids if not; ids it lacks are added).
    Its waves are the file names' (pre before post, else in sorted order); the run's tables
    group by gender and ability where participants.csv has them."""
    names = sorted(p.stem for p in (corpus / "transcripts").glob("*.txt"))
    if not names or any("_" not in name for name in names):
        raise SystemExit(f"{corpus}/transcripts: expected files named <ID>_<wave>.txt")
    # the baselines split a name at its last `_`; qualkit's `{participant}_{wave}` at its first
    if any(name.count("_") > 1 for name in names):
        odd = next(name for name in names if name.count("_") > 1)
        raise SystemExit(f"{corpus}/transcripts/{odd}.txt: a participant id holding `_` "
                         "cannot be told from the wave by qualkit's file-name pattern")
    ids = sorted({name.rsplit("_", 1)[0] for name in names})
    waves = sorted({name.rsplit("_", 1)[1] for name in names},
                   key=lambda w: ({"pre": 0, "post": 1}.get(w, 2), w))
    participants = corpus / "participants.csv"
    if not participants.exists():
        participants.write_text("id\n" + "".join(f"{i}\n" for i in ids), encoding="utf-8")
    with participants.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    columns = rows[0] if rows else []
    if "id" not in columns:
        raise SystemExit(f"{participants}: expected an `id` column")
    # every transcript's participant, as the baselines count them all: ids the file lacks are
    # added without attributes
    listed = {row[columns.index("id")] for row in rows[1:] if len(row) > columns.index("id")}
    missing = [i for i in ids if i not in listed]
    if missing:
        with participants.open("a", encoding="utf-8", newline="") as f:
            if participants.read_bytes()[-1:] not in (b"\n", b""):
                f.write("\n")
            writer = csv.writer(f, lineterminator="\n")
            for i in missing:
                writer.writerow(["" if c != "id" else i for c in columns])
    themes_by = ["wave"] + [c for c in ["gender"] if c in columns]
    crosstab = [c for c in ["gender", "ability"] if c in columns]
    run = f'[run]\nthemes_by = {json.dumps(themes_by)}\n'
    if len(crosstab) == 2:
        run += f'crosstab = {json.dumps(crosstab)}\n'
    return (
        f'format = 1\nname = "Benchmark study"\nlanguage = "english"\nwaves = {json.dumps(waves)}\n\n'
        '[participants]\nfile = "participants.csv"\n\n'
        '[[sources]]\npath = "transcripts/*.txt"\nkind = "interview"\nname = "{participant}_{wave}"\n\n'
        '[coding]\ncodebook = "codebook.toml"\nunit = "turn"\nspeakers = "respondents"\nmarks = "words"\n'
        'words = "alphanumeric"\n\n'
        + run + 'quotes = 0\n'
    )


if __name__ == "__main__":
    main()
