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

The baselines' tokens include the words of transcription marks (`[laughs]` is the token
`laughs`), which qualkit skips by default; the study sets `marks = "words"` to match them too.
Their tokens are runs of letters and digits; the study sets `words = "alphanumeric"` to split
words the same way.
"""
import argparse
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
    codes_rules = [[r for pattern in code["patterns"] for r in rules_of(pattern)] for code in book["codes"]]
    out = ['format = 1', f'name = {toml_string(book["name"])}', 'version = "bench"', 'language = "english"', '']
    for n, code in enumerate(book["codes"]):
        rules = []
        for pattern in code["patterns"]:
            for r in rules_of(pattern):
                if r not in rules:
                    rules.append(r)
        if edit and n == 0:
            rules.append('="stretch goal"')
        if args.edit_matching and n == 0:
            rules.append(matching_edit(codes_rules))
        out += ["[[code]]", f'id = {toml_string(code["id"].lower())}', f'name = {toml_string(code["label"])}',
                f'description = {toml_string(code["label"])}',
                "rules = [" + ", ".join(toml_string(r) for r in rules) + "]", ""]
    (corpus / "codebook.toml").write_text("\n".join(out), encoding="utf-8")
    (corpus / "study.toml").write_text(
        'format = 1\nname = "Benchmark study"\nlanguage = "english"\nwaves = ["pre", "post"]\n\n'
        '[participants]\nfile = "participants.csv"\n\n'
        '[[sources]]\npath = "transcripts"\nkind = "interview"\nname = "{participant}_{wave}"\n\n'
        '[coding]\ncodebook = "codebook.toml"\nunit = "turn"\nspeakers = "respondents"\nmarks = "words"\n'
        'words = "alphanumeric"\n\n'
        '[run]\nthemes_by = ["wave", "gender"]\ncrosstab = ["gender", "ability"]\nquotes = 0\n',
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
