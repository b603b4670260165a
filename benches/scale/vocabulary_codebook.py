#!/usr/bin/env python3
"""Write a codebook, in codebook.json's format, drawn from a corpus's own vocabulary.

The bundled codebook is one researcher's topical words, most of which few turns hold; a
codebook we have not seen is likely to hold everyday words too. This one is made like the
bundled one (60 codes of 5-30 patterns each) from the words and phrases of the corpus itself,
so that its patterns match as often as the corpus's words occur:

  30 %  words of rank 40-800 by frequency (of three letters or more)
  20 %  words of rank 800-4000
  20 %  two-word phrases (ranks 500-6000 among phrases)
  10 %  three-word phrases (ranks 300-6000)
  20 %  prefixes of three letters or more of the words above (`mea*`, `simpl*`)

Deterministic: the words are counted in the first 200 transcripts in name order, and the
choices follow `random.Random(--seed)`. Usage:

  vocabulary_codebook.py CORPUS_DIR OUT.json [--seed 11] [--codes 60]
  benches/scale.sh --sizes 100 --seed 7 --codebook OUT.json --work target/scale-vocabulary

(CORPUS_DIR is a corpus from gen_corpus.py; a corpus of another seed than the one timed is
fine, as the vocabulary is the generator's.)
"""
import argparse
import collections
import json
import pathlib
import random
import re

TOKEN = re.compile(r"[^\W_]+")


def counted(corpus):
    """Word, two-word and three-word frequencies of the first 200 transcripts."""
    words, pairs, triples = collections.Counter(), collections.Counter(), collections.Counter()
    for path in sorted((corpus / "transcripts").glob("*.txt"))[:200]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                continue
            tokens = [t.lower() for t in TOKEN.findall(line)]
            words.update(tokens)
            pairs.update(zip(tokens, tokens[1:]))
            triples.update(zip(tokens, tokens[1:], tokens[2:]))
    return words, pairs, triples


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=pathlib.Path)
    parser.add_argument("out", type=pathlib.Path)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--codes", type=int, default=60)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    words, pairs, triples = counted(args.corpus)
    ranked = [w for w, _ in words.most_common() if len(w) > 2]
    common, rare = ranked[40:800], ranked[800:4000]
    two = [" ".join(p) for p, _ in pairs.most_common(6000)[500:]]
    three = [" ".join(t) for t, _ in triples.most_common(6000)[300:]]
    if not (common and rare and two and three):
        raise SystemExit(f"{args.corpus}: too few words to draw a codebook from")
    codes = []
    for i in range(args.codes):
        patterns = set()
        wanted = rng.randint(5, 30)
        while len(patterns) < wanted:
            r = rng.random()
            if r < 0.30:
                patterns.add(rng.choice(common))
            elif r < 0.50:
                patterns.add(rng.choice(rare))
            elif r < 0.70:
                patterns.add(rng.choice(two))
            elif r < 0.80:
                patterns.add(rng.choice(three))
            else:
                word = rng.choice(common + rare)
                patterns.add(word[: rng.randint(3, max(3, len(word) - 1))] + "*")
        codes.append({"id": f"V{i:02d}", "label": f"vocabulary code {i}",
                      "patterns": sorted(patterns)})
    book = {"name": "vocabulary", "version": 1,
            "pattern_syntax": "as ../shared/bench/codebook.json", "codes": codes}
    args.out.write_text(json.dumps(book, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(codes)} codes, {sum(len(c['patterns']) for c in codes)} patterns")


if __name__ == "__main__":
    main()
