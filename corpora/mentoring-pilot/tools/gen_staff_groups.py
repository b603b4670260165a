#!/usr/bin/env python3
"""Generate the fictional focus groups, staff interviews and staff questionnaires
of the mentoring-pilot sample study.

Usage:  python3 tools/gen_staff_groups.py      (from corpora/mentoring-pilot)

Deterministic: every random choice comes from random.Random(<fixed string>), so
a rerun writes byte-identical files.  Text comes from the hand-written banks in
tools/bank_groups*.py and tools/bank_staff*.py; this file only assembles it.
Writes interviews/groups/G{1-4}_{pre,post}.txt, interviews/staff/T??_post.txt,
questionnaires/staff_{pre,post}.csv.  Never touches the student interviews.
"""
import csv
import io
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gen_staff_groups_common import P, PICK, render, write  # noqa: E402
from gen_staff_groups_focus import Deck, write_groups  # noqa: E402


# ---------------------------------------------------------------------------
# staff interviews
# ---------------------------------------------------------------------------
import bank_staff_common as SC  # noqa: E402
import bank_staff_north as SN  # noqa: E402
import bank_staff_north2 as SN2  # noqa: E402
import bank_staff_river as SR  # noqa: E402
import bank_staff_river2 as SR2  # noqa: E402
import bank_staff_extra_north as SXN  # noqa: E402
import bank_staff_extra_river as SXR  # noqa: E402

STAFF_EXTRA = {**SXN.EXTRA, **SXR.EXTRA}

STAFF_SCRIPTS = {"T01": SN.T01, "T02": SN.T02, "T05": SN2.T05, "T06": SR.T06, "T07": SR2.T07, "T08": SR2.T08}
# (interviewer label, respondent label, timestamps, blank lines, wrap width, front matter, curly apostrophes)
STAFF_STYLE = {
    "T01": ("Interviewer", "T01", False, True, 0, True, False),
    "T02": ("I", "R", True, False, 0, True, False),
    "T05": ("I", "R", False, True, 0, True, True),
    "T06": ("Interviewer", "T06", False, False, 90, True, False),
    "T07": ("I", "R", True, True, 0, False, False),
    "T08": ("Interviewer", "T08", False, False, 84, True, False),
}
ROLE_WORDS = {"mentor": "mentor", "head_of_year": "head of Year 11", "coordinator": "mentoring coordinator",
              "teacher": "teacher"}


def build_staff(tid):
    rng = random.Random(f"mentoring-pilot/staff/{tid}")
    ilab, rlab = STAFF_STYLE[tid][:2]
    order = list(STAFF_SCRIPTS)
    k = order.index(tid)  # each interview uses a different variant of every prompt
    script = [(slot, answer + (" | " + STAFF_EXTRA[(tid, slot)] if (tid, slot) in STAFF_EXTRA else ""))
              for slot, answer in STAFF_SCRIPTS[tid]]
    base = 2 * len(script) + 1
    points = sum(a.count(" | ") + a.count(" || ") for _, a in script)
    n_split = max(0, min(points, rng.randint(2, 5), (33 - base) // 2))
    chosen = set(rng.sample(range(points), n_split))
    back = Deck(SC.BACKCHANNEL, rng)
    nudge = Deck(SC.NUDGE, rng)
    turns, pt = [], 0
    for slot, answer in script:
        q = slot[1:] if slot.startswith("?") else getattr(SC, slot)[k]
        turns.append((ilab, q))
        parts = re.split(r" (\|\|?) ", answer)
        cur = parts[0]
        for sep, nxt in zip(parts[1::2], parts[2::2]):
            if pt in chosen:
                turns.append((rlab, cur))
                turns.append((ilab, back.draw() if sep == "|" else nudge.draw()))
                cur = nxt
            else:
                cur += " " + nxt
            pt += 1
        turns.append((rlab, cur))
    turns.append((ilab, SC.THANKS[k]))
    return turns


def write_staff():
    for tid in STAFF_SCRIPTS:
        ilab, rlab, stamps, blank, wrap, front, curly = STAFF_STYLE[tid]
        p = P[tid]
        fm = [("participant", tid), ("wave", "post"), ("date", SC.STAFF_DATES[tid])] if front else None
        title = (f"Staff interview with {tid}, {ROLE_WORDS[p['role']]} at {p['school']} \u2014 "
                 f"end of programme (May 2026)")
        text = render(build_staff(tid), front=fm, title=title, stamps=stamps, blank=blank, wrap=wrap,
                      curly=curly, seed=f"mentoring-pilot/render/{tid}", marks=3, skip=(ilab,))
        write(f"interviews/staff/{tid}_post.txt", text)


# ---------------------------------------------------------------------------
# staff questionnaires
# ---------------------------------------------------------------------------
import bank_staff_quest as SQ  # noqa: E402

Q_HEADER = ["respondent_id", "role", "years_teaching", "q1_clear_purpose", "q2_time_available",
            "q3_improves_attainment", "q4_knows_students", "q5_training_adequate",
            "q6_personalised_learning", "purpose_of_mentoring", "personalised_learning", "logistics"]
LIKERT_CODES = {"SD": "Strongly disagree", "D": "Disagree", "N": "Neutral", "A": "Agree",
                "SA": "Strongly agree", "-": ""}


def write_questionnaires():
    for wave, data in (("pre", SQ.PRE), ("post", SQ.POST)):
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(Q_HEADER)
        for tid in sorted(data):
            codes, purpose, pl, logistics = data[tid]
            likert = [LIKERT_CODES[c] for c in codes.split()]
            assert len(likert) == 6, tid
            w.writerow([tid, P[tid]["role"], SQ.YEARS[tid] + (SQ.POST_YEARS_BUMP if wave == "post" else 0)]
                       + likert + [purpose, pl, logistics])
        write(f"questionnaires/staff_{wave}.csv", buf.getvalue())

if __name__ == "__main__":
    write_groups()
    write_staff()
    write_questionnaires()
    for k, v in sorted(PICK.dry.items()):
        print(f"bank ran dry {v}x: {k!r}", file=sys.stderr)
