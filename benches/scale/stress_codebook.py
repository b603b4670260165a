#!/usr/bin/env python3
"""Write a codebook, in codebook.json's format, that stresses what the benchmark's own does not.

The bundled codebook (62 codes, 674 patterns) is one researcher's: topical words and short
phrases. A codebook we have not seen may have far more codes, very common words, short
prefixes, long phrases, hyphens, accents and numbers. This one keeps the bundled codes and
adds, deterministically (no randomness):

  STOPWORDS     common words (`the`, `and`, `i`, ...): most turns match, codings.csv grows
                several times
  SHORTPREFIX   one-letter prefixes (`a*`, `s*`, `t*`): a prefix that expands to thousands
                of words
  PHRASEPREFIX  phrases of common words ending in a prefix (`i think*`, `in the s*`)
  HYPHEN        hyphenated forms (`one-to-one`, `self-belief`), which the baselines read as
                two words
  NONASCII      accented names and curly apostrophes as the corpus writes them (`Zoë`,
                `didn’t`)
  NUMBERS       grades and numbers (`grade 9`, `4`, `2024`)
  LONGPHRASE    phrases of five to seven words
  and two renamed copies of every bundled code (`X_COPY1`, `X_COPY2`), for hundreds of codes.

Usage: stress_codebook.py OUT.json [--codebook FILE] (default: ../shared/bench/codebook.json;
a corpus from gen_corpus.py has a copy, CORPUS/codebook.json). Then
`benches/scale.sh --sizes 100 --codebook OUT.json`.

The baselines' tokens split at apostrophes, so their `s*` and `t*` also match the `s` of
`it's` and the `t` of `don't`. The benchmark study splits words the same way
(`words = "alphanumeric"`, set by make_study.py), so the counts agree for SHORTPREFIX too
(they differed in that code alone while qualkit's UAX #29 words kept `it's` whole).
"""
import argparse
import json
import pathlib

EXTRA = [
    ("STOPWORDS", "Very common words", ["the", "and", "i", "to", "it", "was", "that", "of", "a", "you"]),
    ("SHORTPREFIX", "One-letter prefixes", ["a*", "s*", "t*"]),
    ("PHRASEPREFIX", "Common phrases ending in a prefix",
     ["i think*", "in the s*", "it was a*", "to be*", "i don't k*", "a lot of*"]),
    ("HYPHEN", "Hyphenated forms", ["one-to-one", "self-belief", "well-being", "check-in",
                                    "step-dad", "non-judgemental", "self-paced", "to-do list*"]),
    ("NONASCII", "Accented names and curly apostrophes",
     ["Zoë", "Chloé", "José", "Ó Briain", "Renée", "Ciarán", "didn’t give up", "can’t be bothered"]),
    ("NUMBERS", "Grades and numbers", ["grade 9", "grade 4", "4", "9", "2024", "year 11", "100"]),
    ("LONGPHRASE", "Long phrases",
     ["i want to do well in", "my mentor helped me to", "it was really good to have",
      "i didn't really know what to", "we talked about my targets and", "made me feel like i could do"]),
]


def main():
    here = pathlib.Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=pathlib.Path)
    parser.add_argument("--codebook", type=pathlib.Path,
                        default=here / ".." / ".." / ".." / "shared" / "bench" / "codebook.json")
    args = parser.parse_args()
    book = json.loads(args.codebook.read_text(encoding="utf-8"))
    codes = list(book["codes"])
    for cid, label, patterns in EXTRA:
        codes.append({"id": cid, "label": label, "patterns": patterns})
    for copy in (1, 2):
        for code in book["codes"]:
            codes.append({"id": f"{code['id']}_COPY{copy}", "label": f"{code['label']} (copy {copy})",
                          "patterns": list(code["patterns"])})
    out = {"name": f"{book['name']}-stress", "version": 1,
           "pattern_syntax": book.get("pattern_syntax", {}), "codes": codes}
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(codes)} codes, {sum(len(c['patterns']) for c in codes)} patterns, to {args.out}")


if __name__ == "__main__":
    main()
