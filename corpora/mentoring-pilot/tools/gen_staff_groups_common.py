"""Shared helpers for gen_staff_groups.py (fictional mentoring-pilot study):
participants, bank-entry tags, the no-reuse picker, and the transcript renderer."""
import csv
import os
import random
import re
import sys
import textwrap

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import bank_groups_common as BC  # noqa: E402
import bank_groups_a as BA  # noqa: E402
import bank_groups_b as BB  # noqa: E402
import bank_groups_c as BCC  # noqa: E402
import bank_groups_d as BD  # noqa: E402
import bank_groups_e as BE  # noqa: E402
import bank_groups_f as BF  # noqa: E402

WAVES = ("pre", "post")


def load_participants():
    with open(os.path.join(ROOT, "participants.csv"), newline="", encoding="utf-8") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


P = load_participants()


# ---------------------------------------------------------------------------
# text helpers
# ---------------------------------------------------------------------------
def pronouns(person_id):
    name, g = BC.NAMES[person_id]
    he, him, his = ("she", "her", "her") if g == "f" else ("he", "him", "his")
    return {"m": name, "he": he, "him": him, "his": his,
            "He": he.capitalize(), "Him": him.capitalize(), "His": his.capitalize()}


def fill(text, sid):
    return text.format(**pronouns(P[sid]["mentor"]))


def parse_entry(entry):
    tags = set()
    while entry.startswith("@"):
        tag, entry = entry.split(" ", 1)
        tags.add(tag[1:])
    return tags, entry


def eligible(tags, sid, wave):
    p = P[sid]
    vol = p["mentor"].startswith("V")
    checks = {
        "f": p["gender"] == "female", "m": p["gender"] == "male",
        "lo": p["ability"] == "low", "mid": p["ability"] == "middle", "hi": p["ability"] == "high",
        "nv": not vol, "vol": vol, "t06": p["mentor"] == "T06",
        "pre": wave == "pre", "post": wave == "post",
    }
    return all(checks[t] for t in tags)


class Picker:
    """Draws bank entries without ever reusing one anywhere in the corpus."""

    def __init__(self):
        self.used = set()
        self.dry = {}

    def pick(self, pool, sid, wave, rng, fallback=None, strict=False):
        """An unused entry of pool that sid may say; if none is left, one from
        fallback, then from the theme-free GENERIC bank (None if strict)."""
        for p in [pool] + ([] if strict else [x for x in (fallback, BE.GENERIC) if x is not None]):
            order = list(range(len(p)))
            rng.shuffle(order)
            for i in order:
                key = (id(p), i)
                if key in self.used:
                    continue
                tags, text = parse_entry(p[i])
                if eligible(tags, sid, wave):
                    self.used.add(key)
                    return fill(text, sid)
            if not strict:
                self.dry[p[0][:30]] = self.dry.get(p[0][:30], 0) + 1
        if strict:
            return None
        raise RuntimeError(f"bank exhausted for {sid} {wave}: {pool[0][:40]!r}")


PICK = Picker()


def hms(secs):
    return f"{secs // 3600:02d}:{secs % 3600 // 60:02d}:{secs % 60:02d}"


def add_marks(text, rng, n, clock=None):
    """Insert n transcription marks between words of a long turn."""
    for _ in range(n):
        ws = text.split(" ")
        if len(ws) < 8:
            return text
        k = rng.randrange(3, len(ws) - 2)
        mark = rng.choice(["[inaudible]", "[pause]", "[coughs]", "[inaudible]", "[sighs]"])
        if mark == "[inaudible]" and clock is not None and rng.random() < 0.5:
            mark = f"[inaudible {hms(clock)}]"
        ws.insert(k, mark)
        text = " ".join(ws)
    return text


def render(turns, *, front, title, stamps, blank, wrap, curly, seed, marks=0, skip=()):
    """turns: list of (label, text).  Returns file text (LF, trailing newline).
    marks: how many extra transcription marks to scatter over long turns whose
    label is not in skip (an [inaudible hh:mm:ss] mark carries the clock time)."""
    rng = random.Random(seed)
    long_turns = [n for n, (lab, t) in enumerate(turns) if lab not in skip and len(t.split()) >= 14]
    marked = set(rng.sample(long_turns, min(marks, len(long_turns))))
    out = []
    if front:
        out.append("---")
        out.extend(f"{k}: {v}" for k, v in front)
        out.append("---")
    if title:
        out.append(title)
        out.append("")
    clock = rng.randint(3, 9)
    for n, (label, text) in enumerate(turns):
        if curly:
            text = text.replace("'", "\u2019")
        dur = 2 + len(text.split()) * 2 // 5 + rng.randint(0, 4)
        if n in marked:
            text = add_marks(text, rng, 1, clock + rng.randint(1, max(1, dur - 2)))
        head = f"[{hms(clock)}] {label}: " if stamps else f"{label}: "
        clock += dur
        full = head + text
        if wrap and len(full) > wrap:
            lines = textwrap.wrap(full, width=wrap, break_long_words=False, break_on_hyphens=False)
            for i in range(len(lines) - 1):  # keep "Mr." etc. with the name
                head_, _, last = lines[i].rpartition(" ")
                if last in ("Mr.", "Mrs.", "Ms.", "Dr.") and head_:
                    lines[i], lines[i + 1] = head_, last + " " + lines[i + 1]
            i = 1
            while i < len(lines):  # a continuation line must not start with a mark
                if lines[i].startswith("["):
                    lines[i - 1] += " " + lines.pop(i)
                else:
                    i += 1
        else:
            lines = [full]
        if blank and n:
            out.append("")
        out.extend(lines)
    for line in out:
        assert line == line.rstrip(), line
    return "\n".join(out) + "\n"


def write(relpath, text):
    path = os.path.join(ROOT, relpath)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
