#!/usr/bin/env python3
"""Write a deterministic two-wave questionnaire study: open-ended answers of many respondents.

The scale script's corpora are interviews, a few thousand documents; a survey's open-ended
items make a document of every answer, hundreds of thousands of them, each a sentence or
four. This makes such a study:

  OUT/participants.csv           id, role, school, gender, ability (N respondents)
  OUT/q/survey_{pre,post}.csv    a row per respondent: six Likert items, three open answers
                                 of 1-4 sentences drawn from the sample study's interviews
  OUT/study.toml                 both questionnaires, coded in sentences with the bundled
                                 codebook (OUT/codebooks/mentoring-core.toml, a copy)

Usage: gen_survey.py OUT [--respondents 50000] [--seed 5]
(50,000 respondents make 300,000 answers, 46 MB.) Then, for instance:

  /usr/bin/time -v target/release/qualkit -q run OUT
"""
import argparse
import csv
import json
import pathlib
import random
import re
import shutil

REPO = pathlib.Path(__file__).resolve().parents[2]
SCALE = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]
STUDY = """format = 1
name = "Generated survey"
language = "english"
waves = ["pre", "post"]

[participants]
file = "participants.csv"
id = "id"
ordinal = { ability = ["low", "middle", "high"] }
""" + "".join(
    f"""
[[sources]]
path = "q/survey_{wave}.csv"
kind = "questionnaire"
respondent = "respondent_id"
wave = "{wave}"
open = ["purpose", "learning", "logistics"]
likert = {{ columns = ["q1", "q2", "q3", "q4", "q5", "q6"], scale = {json.dumps(SCALE)} }}
"""
    for wave in ("pre", "post")
) + """
[coding]
codebook = "codebooks/mentoring-core.toml"
unit = "sentence"
speakers = "respondents"

[compare]
by = "wave"
from = "pre"
to = "post"

[run]
themes_by = ["wave", "gender", "ability", "school"]
crosstab = ["gender", "ability", "school"]
"""


def sentences():
    """The sample study's interview sentences of more than 20 characters, in file order."""
    found = []
    for path in sorted((REPO / "corpora/mentoring-pilot/interviews").glob("*/*.txt")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            spoken = re.match(r"^(?:\[[^\]]*\]\s*)?[A-Za-z]+\d*:\s*(.*)", line)
            if spoken:
                found += [s for s in re.split(r"(?<=[.!?])\s+", spoken.group(1)) if len(s) > 20]
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--respondents", type=int, default=50000)
    ap.add_argument("--seed", type=int, default=5)
    a = ap.parse_args()
    out = pathlib.Path(a.out)
    (out / "q").mkdir(parents=True, exist_ok=True)
    (out / "codebooks").mkdir(exist_ok=True)
    shutil.copy(REPO / "codebooks/mentoring-core.toml", out / "codebooks/mentoring-core.toml")
    (out / "study.toml").write_text(STUDY, encoding="utf-8")
    bank = sentences()
    rng = random.Random(a.seed)
    ids = [f"P{i:06d}" for i in range(a.respondents)]
    with open(out / "participants.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "role", "school", "gender", "ability"])
        for i in ids:
            w.writerow([i, "student", rng.choice(["North", "River"]), rng.choice(["female", "male"]),
                        rng.choice(["low", "middle", "high"])])
    for wave in ("pre", "post"):
        with open(out / f"q/survey_{wave}.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["respondent_id"] + [f"q{n}" for n in range(1, 7)]
                       + ["purpose", "learning", "logistics"])
            for i in ids:
                likert = [rng.choice(SCALE) for _ in range(6)]
                answers = [" ".join(rng.sample(bank, rng.randint(1, 4))) for _ in range(3)]
                w.writerow([i] + likert + answers)
    size = sum(p.stat().st_size for p in (out / "q").glob("*.csv"))
    print(f"{out}: {a.respondents} respondents, {6 * a.respondents} answers, {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
