#!/usr/bin/env python3
"""Check the fictional mentoring-pilot sample study and measure its planted differences.

Usage:  python3 tools/check.py            (from corpora/mentoring-pilot)

1. Verifies every transcript against the transcript format rules (front matter,
   title line, speaker labels, timestamps, continuation lines, the "colon trap",
   transcription marks, allowed characters, turn and word counts).
2. Verifies participants.csv and the two staff questionnaires.
3. Prints the planted-difference numbers, measured with simple case-insensitive
   keyword matching (regular expressions below) restricted to student turns
   (or staff turns / questionnaire cells where stated).

Exit status is 1 if any format error was found.  Standard library only.
"""
import csv
import io
import os
import re
import sys
from collections import Counter, defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# ---------------------------------------------------------------------------
# Keyword rules (also imported by generate.py so that the generator and the
# checker agree on what counts as a mention).  Matching is case-insensitive
# and curly apostrophes are treated as straight ones.
# ---------------------------------------------------------------------------
THEMES = {
    # 1. target setting / grades
    "target": [
        r"\btargets?\b", r"\bgoals?\b", r"\bpredicted\b", r"\bpredictions?\b",
        r"\bgrades?\b", r"\baim(?:ing)? for\b",
    ],
    # 2. mentor-mentee relationship
    "relationship": [
        r"\btrust\w*", r"\bsomeone to talk to\b", r"\blisten\w*",
        r"\bcar(?:e|es|ed|ing)\b", r"\brelationship\b",
        r"\b(?:get|gets|getting|got) on (?:really |quite |so |dead )?well\b",
        r"\b(?:get|gets|getting|got) on with (?:him|her|them)\b",
    ],
    # 3a. emotional support
    "emotional": [
        r"\bconfiden\w*", r"\bstress\w*", r"\bworr(?:y|ied|ies|ying)\b",
        r"\breassur\w*", r"\bnervous\b", r"\banxi\w*", r"\bpanic\w*",
        r"\bupset\b", r"\boverwhelm\w*", r"\bcalm\w*",
        r"\bhow i(?:'m| am)? feel\w*",
        r"\bfeels? (?:better|less|more|okay|ok|alright|calmer)\b", r"\bfeelings\b",
    ],
    # 3b. practical support
    "practical": [
        r"\brevision (?:timetable|plan|schedule)s?\b", r"\bhomework\b",
        r"\bdeadlines?\b", r"\borgani[sz]\w*", r"\bchecking\b",
        r"\bchecks (?:my|over|through)\b", r"\bexam technique\b",
        r"\bpast papers?\b", r"\bplanner\b", r"\bto-?do lists?\b", r"\bcoursework\b",
    ],
    # 4. logistics complaints
    "logistics": [
        r"\bmissed\b", r"\bmissing\b",
        r"\bmiss (?:lessons?|class|the|my|a|half|bits|out|loads|some|stuff|most|it|all)\b",
        r"(?<!revision )\btimetabl\w*", r"\bcancel\w*", r"\brushed\b",
        r"\bclash\w*", r"\brooms?\b", r"\bdouble[- ]booked\b", r"\brunning late\b",
        r"\b(?:not enough|no|never any|never enough|run out of|ran out of|short of) time\b",
        r"\bpulled out\b",
    ],
}
COMPILED = {k: [re.compile(p, re.I) for p in v] for k, v in THEMES.items()}

ONLINE_COURSE = [re.compile(r"\bonline\b", re.I), re.compile(r"\bstat(?:istic)?s\b", re.I)]
ONLINE_ROLES = {
    "technology support": r"\blaptop\b|\blog ?in\b|\bwifi\b|\bheadphones\b|\bplatform\b|\btech\b|\bpassword\b",
    "pacing": r"\bpac(?:e|ing)\b|\bbehind\b|\bon track\b|\bcatch up\b",
    "recording grades": r"\brecord\w* (?:my |the |your )?(?:grades?|marks?|scores?)\b|\bspreadsheet\b|\bmark ?book\b",
    "exam proctoring": r"\bproctor\w*|\binvigilat\w*",
    "check-ins": r"\bcheck-ins?\b",
    "online teacher": r"\bonline teacher\b|\bthe teacher online\b|\bcourse teacher\b",
    "parents": r"\bparents?\b|\bmy mum\b|\bmy dad\b|\bmum and dad\b",
    "orientation to online learning": r"\bhow (?:it|the course|online learning) works\b|\binduction\b|\bshowed me (?:round|around|how)\b|\bnever done (?:anything|a course) online\b",
}
ONLINE_ROLES_C = {k: re.compile(v, re.I) for k, v in ONLINE_ROLES.items()}

PL_CONCRETE = re.compile(r"\bchoice\w*|\bchoos\w*|\bownership\b|\bown (?:it|their|the)\b|\bstrengths?\b|\bmaster\w*|\binterests?\b|\breadiness\b|\bready\b", re.I)
PL_VAGUE = re.compile(r"\btailor\w*|\bindividual needs\b|\bneeds of (?:the|each) (?:individual|student|child)\w*|\bpersonalis\w*|\bone size\b|\bbespoke\b|\bdifferentiat\w*", re.I)


def norm(text):
    return text.replace("\u2019", "'")


def mentions(theme, text):
    t = norm(text)
    return any(rx.search(t) for rx in COMPILED[theme])


def count_hits(theme, text):
    t = norm(text)
    return sum(len(rx.findall(t)) for rx in COMPILED[theme])


def tags_of(text):
    return {k for k in THEMES if mentions(k, text)}


# ---------------------------------------------------------------------------
# Format rules
# ---------------------------------------------------------------------------
INTERVIEWER_LABELS = {"Interviewer", "I", "Int", "Q"}
TURN_RX = re.compile(r"^(?:\[(\d{2}):(\d{2}):(\d{2})\] )?([A-Za-z][A-Za-z0-9]*): (\S.*)$")
TRAP_RX = re.compile(r"^\s*(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?\s+)?([A-Za-z0-9][A-Za-z0-9 .'\u2019_-]{0,31}):(\s|$)")
BRACKET_LABEL_RX = re.compile(r"^\s*\[[A-Za-z]+\d*\]")
FM_LINE_RX = re.compile(r"^([a-z_]+): (.*)$")
MARK_RX = re.compile(r"\[([^\]]*)\]")
ALLOWED_MARKS = re.compile(r"^(?:inaudible(?: \d{2}:\d{2}:\d{2})?|laughs|laughter|crosstalk|pause|long pause|coughs|sighs)$")
DATE_RX = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WORD_RX = re.compile(r"[A-Za-z0-9]+(?:['\u2019-][A-Za-z0-9]+)*")

KIND_RULES = {
    "students": {"fm_keys": {"participant", "wave", "date"}, "turns": (25, 45), "words": (600, 1100)},
    "groups": {"fm_keys": {"participants", "wave", "date"}, "turns": (40, 70), "words": (900, 2600)},
    "staff": {"fm_keys": {"participant", "wave", "date"}, "turns": (20, 35), "words": (900, 2600)},
}


def words(text):
    return WORD_RX.findall(MARK_RX.sub(" ", text))


class Transcript:
    def __init__(self, path, kind):
        self.path = path
        self.kind = kind
        self.name = os.path.splitext(os.path.basename(path))[0]
        self.errors = []
        self.front = None
        self.title = None
        self.turns = []  # (label, text, seconds or None)
        self.bom = False
        self.crlf = False
        self.curly = False
        self.blank_between = False
        self.continuation_lines = 0

    def err(self, msg):
        self.errors.append(f"{os.path.relpath(self.path, ROOT)}: {msg}")


def parse_transcript(path, kind, participants):
    tr = Transcript(path, kind)
    raw = open(path, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        tr.bom = True
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        tr.err(f"not UTF-8 ({e})")
        return tr
    if "\r\n" in text:
        tr.crlf = True
        if re.search(r"(?<!\r)\n", text):
            tr.err("mixed CRLF and LF line endings")
        text = text.replace("\r\n", "\n")
    if "\r" in text:
        tr.err("stray carriage return")
    if not text.endswith("\n"):
        tr.err("file does not end with a newline")
    lines = text.split("\n")[:-1]
    for n, line in enumerate(lines, 1):
        for ch in line:
            if ord(ch) > 127 and ch not in "\u2014\u2019":
                tr.err(f"line {n}: unexpected non-ASCII character {ch!r}")
        if "\u2019" in line:
            tr.curly = True
        if line != line.rstrip():
            tr.err(f"line {n}: trailing whitespace")

    m = re.match(r"^([A-Z]+\d+)_(pre|post)$", tr.name)
    if not m:
        tr.err("file name is not {id}_{wave}.txt")
        return tr
    file_id, file_wave = m.group(1), m.group(2)

    i = 0
    if lines and lines[0] == "---":
        try:
            end = lines.index("---", 1)
        except ValueError:
            tr.err("front matter not closed")
            return tr
        tr.front = {}
        for n in range(1, end):
            fm = FM_LINE_RX.match(lines[n])
            if not fm:
                tr.err(f"line {n+1}: bad front matter line {lines[n]!r}")
                continue
            key, val = fm.groups()
            if ": " in val:
                tr.err(f"line {n+1}: front matter value contains ': '")
            if key in tr.front:
                tr.err(f"line {n+1}: duplicate key {key}")
            tr.front[key] = val
        want = KIND_RULES[kind]["fm_keys"]
        if set(tr.front) != want:
            tr.err(f"front matter keys {sorted(tr.front)} != {sorted(want)}")
        if tr.front.get("wave", file_wave) != file_wave:
            tr.err("front matter wave does not match file name")
        if "participant" in tr.front and tr.front["participant"] != file_id:
            tr.err("front matter participant does not match file name")
        if "date" in tr.front:
            d = tr.front["date"]
            if not DATE_RX.match(d):
                tr.err("bad date")
            elif file_wave == "pre" and not d.startswith("2025-10"):
                tr.err("pre interview not dated October 2025")
            elif file_wave == "post" and not d.startswith("2026-05"):
                tr.err("post interview not dated May 2026")
        i = end + 1
    elif kind == "groups":
        tr.err("group transcript needs front matter listing participants")

    # allowed labels for this file
    if kind == "students":
        resp_allowed = {file_id, "R"}
        int_allowed = INTERVIEWER_LABELS
    elif kind == "groups":
        members = []
        if tr.front and "participants" in tr.front:
            pm = re.match(r"^\[(.*)\]$", tr.front["participants"])
            if pm:
                members = [x.strip() for x in pm.group(1).split(",")]
            else:
                tr.err("participants value is not a [list]")
        expected = sorted(p for p, row in participants.items() if row["group"] == file_id)
        if sorted(members) != expected:
            tr.err(f"group members {members} != participants.csv {expected}")
        resp_allowed = set(members)
        int_allowed = {"Interviewer", "Int"}
    else:
        resp_allowed = {file_id, "R"}
        int_allowed = {"Interviewer", "I"}

    # preamble: blank lines and at most one title line, followed by a blank line
    while i < len(lines) and lines[i] == "":
        i += 1
    if i < len(lines) and not TURN_RX.match(lines[i]):
        tr.title = lines[i]
        if ":" in tr.title:
            tr.err("title line contains a colon")
        if TRAP_RX.match(tr.title):
            tr.err("title line looks like a speaker label")
        if i + 1 >= len(lines) or lines[i + 1] != "":
            tr.err("title line not followed by a blank line")
        i += 1
    elif i < len(lines) and "\u2014" in lines[i]:
        pass
    for n in range(i, len(lines)):
        if "\u2014" in lines[n]:
            tr.err(f"line {n+1}: em dash outside the title")

    prev_blank = False
    saw_blank_between = False
    last_ts = -1
    ts_used = set()
    for n in range(i, len(lines)):
        line = lines[n]
        if line == "":
            prev_blank = True
            continue
        tm = TURN_RX.match(line)
        if tm and (tm.group(4) in int_allowed or tm.group(4) in resp_allowed):
            label, body = tm.group(4), tm.group(5)
            secs = None
            if tm.group(1):
                secs = int(tm.group(1)) * 3600 + int(tm.group(2)) * 60 + int(tm.group(3))
                if secs <= last_ts:
                    tr.err(f"line {n+1}: timestamp not increasing")
                last_ts = secs
            ts_used.add(secs is not None)
            if tr.turns and prev_blank:
                saw_blank_between = True
            tr.turns.append([label, body, secs])
        else:
            trap = TRAP_RX.match(line)
            if trap and len(trap.group(1).split()) <= 3:
                tr.err(f"line {n+1}: non-turn line looks like a speaker label: {line[:50]!r}")
            if BRACKET_LABEL_RX.match(line) or line.lstrip().startswith("["):
                tr.err(f"line {n+1}: continuation line starts with a bracket")
            if not tr.turns:
                tr.err(f"line {n+1}: text before the first turn")
                continue
            if prev_blank:
                tr.err(f"line {n+1}: continuation line after a blank line")
            tr.turns[-1][1] += " " + line.strip()
            tr.continuation_lines += 1
        prev_blank = False
    tr.blank_between = saw_blank_between
    if len(ts_used) > 1:
        tr.err("timestamps on some turns but not others")

    labels = Counter(t[0] for t in tr.turns)
    ints = {l for l in labels if l in int_allowed}
    resps = {l for l in labels if l in resp_allowed and l not in int_allowed}
    if len(ints) != 1:
        tr.err(f"expected exactly one interviewer label, found {sorted(ints)}")
    if kind == "groups":
        missing = resp_allowed - resps
        if missing:
            tr.err(f"group members who never speak: {sorted(missing)}")
    else:
        if len(resps) != 1:
            tr.err(f"expected exactly one respondent label, found {sorted(resps)}")
        if kind == "staff" and ints and resps:
            pair = (next(iter(ints)), next(iter(resps)))
            if pair not in {("Interviewer", file_id), ("I", "R")}:
                tr.err(f"staff label pair {pair} not Interviewer/{file_id} or I/R")
    tr.int_label = next(iter(ints)) if ints else None

    for label, body, _ in tr.turns:
        for mk in MARK_RX.findall(body):
            if not ALLOWED_MARKS.match(mk):
                tr.err(f"unknown transcription mark [{mk}]")
        if "[" in MARK_RX.sub("", body) or "]" in MARK_RX.sub("", body):
            tr.err("unbalanced square bracket")

    lo, hi = KIND_RULES[kind]["turns"]
    if not lo <= len(tr.turns) <= hi:
        tr.err(f"{len(tr.turns)} turns, expected {lo}-{hi}")
    nwords = sum(len(words(t[1])) for t in tr.turns)
    tr.nwords = nwords
    lo, hi = KIND_RULES[kind]["words"]
    if not lo <= nwords <= hi:
        tr.err(f"{nwords} words, expected {lo}-{hi}")
    tr.marks = sum(len(MARK_RX.findall(t[1])) for t in tr.turns)
    if tr.marks < 2:
        tr.err("fewer than two transcription marks")
    return tr


def resp_text(tr):
    return " ".join(t[1] for t in tr.turns if t[0] != tr.int_label)


# ---------------------------------------------------------------------------
# participants and questionnaires
# ---------------------------------------------------------------------------
LIKERT = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]
Q_HEADER = ["respondent_id", "role", "years_teaching", "q1_clear_purpose", "q2_time_available",
            "q3_improves_attainment", "q4_knows_students", "q5_training_adequate",
            "q6_personalised_learning", "purpose_of_mentoring", "personalised_learning", "logistics"]
P_HEADER = ["id", "role", "school", "gender", "ability", "mentor", "group"]


def load_participants(errors):
    path = os.path.join(ROOT, "participants.csv")
    raw = open(path, "rb").read()
    if b"\r" in raw:
        errors.append("participants.csv: CR characters")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    if rows[0] != P_HEADER:
        errors.append(f"participants.csv: header {rows[0]}")
    out = {}
    for r in rows[1:]:
        d = dict(zip(P_HEADER, r))
        if len(r) != len(P_HEADER):
            errors.append(f"participants.csv: row {r} has {len(r)} cells")
        out[d["id"]] = d
    students = [d for d in out.values() if d["role"] == "student"]
    staff = [d for d in out.values() if d["role"] != "student"]
    if [d["id"] for d in students] != [f"S{i:02d}" for i in range(1, 25)]:
        errors.append("participants.csv: students are not S01-S24")
    # staff T01-T10 plus the two remote volunteer mentors V01-V02 (mentors of S18 and S23)
    if [d["id"] for d in staff] != [f"T{i:02d}" for i in range(1, 11)] + ["V01", "V02"]:
        errors.append("participants.csv: staff are not T01-T10 + V01-V02")
    cells = Counter((d["school"], d["gender"], d["ability"]) for d in students)
    for school in ("Northfield", "Riverside"):
        for g in ("female", "male"):
            for a in ("low", "middle", "high"):
                if cells[(school, g, a)] != 2:
                    errors.append(f"participants.csv: cell {school}/{g}/{a} has {cells[(school, g, a)]}")
    for d in students:
        if d["mentor"] not in out or out[d["mentor"]]["role"] == "student":
            errors.append(f"participants.csv: {d['id']} mentor {d['mentor']} is not a staff id")
        want_groups = ("G1", "G2") if d["school"] == "Northfield" else ("G3", "G4")
        if d["group"] not in want_groups:
            errors.append(f"participants.csv: {d['id']} group {d['group']}")
        if out.get(d["mentor"], {}).get("school") != d["school"]:
            errors.append(f"participants.csv: {d['id']} mentor from another school")
    for g in ("G1", "G2", "G3", "G4"):
        mem = [d for d in students if d["group"] == g]
        if len(mem) != 6 or len({d["gender"] for d in mem}) != 2 or len({d["ability"] for d in mem}) != 3:
            errors.append(f"participants.csv: group {g} is not 6 mixed students")
    for d in staff:
        if d["role"] not in ("mentor", "head_of_year", "coordinator", "teacher", "volunteer_mentor"):
            errors.append(f"participants.csv: {d['id']} role {d['role']}")
        if d["ability"] or d["group"] or d["mentor"]:
            errors.append(f"participants.csv: {d['id']} staff row has ability/group/mentor")
    coords = [d for d in staff if d["role"] == "coordinator"]
    if len(coords) != 1 or coords[0]["school"] != "Riverside":
        errors.append("participants.csv: expected one Riverside coordinator")
    else:
        c = coords[0]["id"]
        riv = [d for d in students if d["school"] == "Riverside"]
        if sum(d["mentor"] == c for d in riv) <= len(riv) // 2:
            errors.append("participants.csv: coordinator does not mentor most Riverside students")
    return out


# abbreviations whose full stop does not end a sentence
ABBREV_RX = re.compile(r"\b(?:e\.g|i\.e|etc|Mr|Mrs|Ms|Dr|vs)\.", re.I)


def load_questionnaire(wave, participants, errors):
    path = os.path.join(ROOT, "questionnaires", f"staff_{wave}.csv")
    if not os.path.exists(path):
        errors.append(f"staff_{wave}.csv: missing")
        return [], 0
    raw = open(path, "rb").read()
    if b"\r" in raw:
        errors.append(f"staff_{wave}.csv: CR characters")
    text = raw.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    name = f"staff_{wave}.csv"
    if rows[0] != Q_HEADER:
        errors.append(f"{name}: header {rows[0]}")
    out = []
    multiline = 0
    for r in rows[1:]:
        if len(r) != len(Q_HEADER):
            errors.append(f"{name}: row has {len(r)} cells")
            continue
        d = dict(zip(Q_HEADER, r))
        # volunteer mentors (V01, V02) are not questionnaire respondents
        if d["respondent_id"] not in participants or participants[d["respondent_id"]]["role"] in ("student", "volunteer_mentor"):
            errors.append(f"{name}: unknown respondent {d['respondent_id']}")
        elif participants[d["respondent_id"]]["role"] != d["role"]:
            errors.append(f"{name}: role mismatch for {d['respondent_id']}")
        for q in Q_HEADER[3:9]:
            if d[q] and d[q] not in LIKERT:
                errors.append(f"{name}: {d['respondent_id']} {q} = {d[q]!r}")
        for q in Q_HEADER[9:]:
            if "\n" in d[q]:
                multiline += 1
            if d[q]:
                n_sent = len(re.findall(r"[.!?](?:\s|$)", ABBREV_RX.sub("", d[q])))
                if not 1 <= n_sent <= 4:
                    errors.append(f"{name}: {d['respondent_id']} {q} has {n_sent} sentences")
        out.append(d)
    return out, multiline


def pct(a, b):
    return f"{a}/{b} ({round(100 * a / b) if b else 0}%)"


def main():
    errors = []
    participants = load_participants(errors)
    transcripts = []
    for kind in ("students", "groups", "staff"):
        folder = os.path.join(ROOT, "interviews", kind)
        if not os.path.isdir(folder):
            errors.append(f"interviews/{kind}: folder missing")
            continue
        for fn in sorted(os.listdir(folder)):
            if not fn.endswith(".txt"):
                errors.append(f"interviews/{kind}/{fn}: unexpected file")
                continue
            tr = parse_transcript(os.path.join(folder, fn), kind, participants)
            errors.extend(tr.errors)
            transcripts.append(tr)
    studs = [t for t in transcripts if t.kind == "students"]
    groups = [t for t in transcripts if t.kind == "groups"]
    staff = [t for t in transcripts if t.kind == "staff"]
    want = {f"S{i:02d}_{w}" for i in range(1, 25) for w in ("pre", "post")}
    if {t.name for t in studs} != want:
        errors.append("student interviews are not exactly S01-S24 x pre/post")
    if {t.name for t in groups} != {f"G{i}_{w}" for i in range(1, 5) for w in ("pre", "post")}:
        errors.append("group interviews are not exactly G1-G4 x pre/post")
    if len(staff) < 6:
        errors.append("fewer than six staff interviews")
    qpre, ml_pre = load_questionnaire("pre", participants, errors)
    qpost, ml_post = load_questionnaire("post", participants, errors)
    if [d["respondent_id"] for d in qpre] != [f"T{i:02d}" for i in range(1, 11)]:
        errors.append("staff_pre.csv: respondents are not T01-T10")
    if "T09" in {d["respondent_id"] for d in qpost} or len(qpost) != 9:
        errors.append("staff_post.csv: expected T01-T10 without T09")
    empty_open_pre = sum(1 for d in qpre for q in Q_HEADER[9:] if not d[q])
    if empty_open_pre != 1:
        errors.append(f"staff_pre.csv: {empty_open_pre} empty open answers (expected 1)")
    if ml_pre + ml_post < 1:
        errors.append("questionnaires: no multi-line open answer")

    # ---------------- format summary
    print("FORMAT")
    print(f"  transcripts: {len(studs)} student, {len(groups)} group, {len(staff)} staff; "
          f"{sum(t.nwords for t in transcripts)} words in turns")
    for label, ts in (("student", studs), ("group", groups), ("staff", staff)):
        if not ts:
            continue
        print(f"  {label:7s} turns {min(len(t.turns) for t in ts)}-{max(len(t.turns) for t in ts)}, "
              f"words {min(t.nwords for t in ts)}-{max(t.nwords for t in ts)}")
    print(f"  student files without front matter: {sum(t.front is None for t in studs)}; "
          f"with title line: {sum(t.title is not None for t in transcripts)}/{len(transcripts)}")
    print(f"  timestamped files: {sum(1 for t in transcripts if t.turns and t.turns[0][2] is not None)}; "
          f"blank line between turns: {sum(t.blank_between for t in transcripts)}; "
          f"files with continuation lines: {sum(t.continuation_lines > 0 for t in transcripts)}")
    print(f"  CRLF files: {[t.name for t in transcripts if t.crlf]}; BOM files: {[t.name for t in transcripts if t.bom]}; "
          f"curly apostrophes: {[t.name for t in transcripts if t.curly]}")
    print(f"  interviewer labels: {dict(Counter(t.int_label for t in transcripts))}; "
          f"student files using R: {sum(1 for t in studs if any(x[0] == 'R' for x in t.turns))}")
    print(f"  questionnaires: pre {len(qpre)} rows, post {len(qpost)} rows, "
          f"empty Likert cells {sum(1 for d in qpre + qpost for q in Q_HEADER[3:9] if not d[q])}, "
          f"multi-line open answers {ml_pre + ml_post}")
    if errors:
        print(f"  ERRORS ({len(errors)}):")
        for e in errors:
            print("   ", e)
    else:
        print("  OK - no format errors")

    # ---------------- planted differences
    P = participants
    ind = {t.name: t for t in studs}

    def sid(t):
        return t.name.split("_")[0]

    def wave(t):
        return t.name.split("_")[1]

    print()
    print("PLANTED DIFFERENCES (case-insensitive keyword matching, student turns only unless stated)")
    # 1
    pre = [t for t in studs if wave(t) == "pre"]
    post = [t for t in studs if wave(t) == "post"]
    a = sum(mentions("target", resp_text(t)) for t in pre)
    b = sum(mentions("target", resp_text(t)) for t in post)
    print(f"1. target talk (individual interviews): pre {pct(a, len(pre))} students, post {pct(b, len(post))}")
    gpre = [t for t in groups if wave(t) == "pre"]
    gpost = [t for t in groups if wave(t) == "post"]

    def group_student_turns(ts, theme):
        n = sum(1 for t in ts for x in t.turns if x[0] != t.int_label)
        k = sum(1 for t in ts for x in t.turns if x[0] != t.int_label and mentions(theme, x[1]))
        return k, n
    k1, n1 = group_student_turns(gpre, "target")
    k2, n2 = group_student_turns(gpost, "target")
    print(f"   focus groups: student turns mentioning targets/grades pre {pct(k1, n1)}, post {pct(k2, n2)}")
    # 2
    parts = []
    for ab in ("low", "middle", "high"):
        ts = [t for t in studs if P[sid(t)]["ability"] == ab]
        k = sum(mentions("relationship", resp_text(t)) for t in ts)
        parts.append(f"{ab} {pct(k, len(ts))}")
    print("2. relationship talk by ability (interviews, pre and post pooled): " + ", ".join(parts))
    parts = []
    for ab in ("low", "middle", "high"):
        ss = [s for s in P if P[s]["role"] == "student" and P[s]["ability"] == ab]
        k = sum(any(mentions("relationship", resp_text(ind[f"{s}_{w}"])) for w in ("pre", "post")) for s in ss)
        parts.append(f"{ab} {pct(k, len(ss))}")
    print("   students mentioning it in at least one interview: " + ", ".join(parts))
    # 3
    for theme in ("emotional", "practical"):
        parts = []
        for g in ("female", "male"):
            ts = [t for t in studs if P[sid(t)]["gender"] == g]
            k = sum(mentions(theme, resp_text(t)) for t in ts)
            h = sum(count_hits(theme, resp_text(t)) for t in ts)
            parts.append(f"{g} {pct(k, len(ts))} interviews, {h} keyword hits")
        print(f"3. {theme} support by gender (pooled): " + "; ".join(parts))
    # 4
    parts = []
    for school in ("Northfield", "Riverside"):
        ts = [t for t in studs if P[sid(t)]["school"] == school]
        k = sum(mentions("logistics", resp_text(t)) for t in ts)
        h = sum(count_hits("logistics", resp_text(t)) for t in ts)
        parts.append(f"{school} {pct(k, len(ts))} interviews ({h} hits)")
    print("4. logistics complaints, student interviews: " + ", ".join(parts))
    parts = []
    for school, gs in (("Northfield", ("G1", "G2")), ("Riverside", ("G3", "G4"))):
        ts = [t for t in groups if t.name.split("_")[0] in gs]
        n = sum(1 for t in ts for x in t.turns if x[0] != t.int_label)
        k = sum(1 for t in ts for x in t.turns if x[0] != t.int_label and mentions("logistics", x[1]))
        parts.append(f"{school} {pct(k, n)} student turns")
    print("   focus groups: " + ", ".join(parts))
    parts = []
    for school in ("Northfield", "Riverside"):
        ts = [t for t in staff if P[t.name.split("_")[0]]["school"] == school]
        txt = " ".join(resp_text(t) for t in ts)
        h = count_hits("logistics", txt)
        nw = len(words(txt))
        parts.append(f"{school} {len(ts)} interviews, {h} hits in {nw} words ({1000 * h / nw if nw else 0:.1f} per 1000)")
    print("   staff interviews: " + "; ".join(parts))
    parts = []
    for school in ("Northfield", "Riverside"):
        rows = [d for d in qpre + qpost if P[d["respondent_id"]]["school"] == school]
        k = sum(mentions("logistics", d["logistics"]) for d in rows)
        h = sum(count_hits("logistics", d["logistics"]) for d in rows)
        parts.append(f"{school} {pct(k, len(rows))} answers ({h} hits)")
    print("   staff questionnaire 'logistics' answers naming a complaint: " + ", ".join(parts))
    # 5
    def score(v):
        return LIKERT.index(v) + 1 if v else None
    print("5. staff questionnaire (1 = Strongly disagree ... 5 = Strongly agree)")
    for q in ("q3_improves_attainment", "q2_time_available"):
        parts = []
        for w, rows in (("pre", qpre), ("post", qpost)):
            vals = [score(d[q]) for d in rows if d[q]]
            agree = sum(1 for v in vals if v >= 4)
            parts.append(f"{w} mean {sum(vals) / len(vals) if vals else 0:.2f} (n={len(vals)}), agree/strongly agree {pct(agree, len(vals))}")
        print(f"   {q}: " + "; ".join(parts))
    parts = []
    for w, rows in (("pre", qpre), ("post", qpost)):
        ans = [d["personalised_learning"] for d in rows if d["personalised_learning"]]
        c = sum(1 for a in ans if PL_CONCRETE.search(a))
        v = sum(1 for a in ans if PL_VAGUE.search(a))
        parts.append(f"{w} concrete {pct(c, len(ans))}, vague {pct(v, len(ans))}")
    print("   personalised_learning answers using concrete terms (choice, ownership, strengths, mastery, interests, readiness)"
          " vs vague terms (tailoring, individual needs, personalised, bespoke): " + "; ".join(parts))
    # 6
    online = []
    for s in sorted(p for p in P if P[p]["role"] == "student"):
        txt = " ".join(resp_text(ind[f"{s}_{w}"]) for w in ("pre", "post"))
        if all(rx.search(txt) for rx in ONLINE_COURSE):
            roles = [r for r, rx in ONLINE_ROLES_C.items() if rx.search(txt)]
            online.append((s, roles))
    print(f"6. students describing the online statistics course: {len(online)}")
    for s, roles in online:
        print(f"   {s} ({P[s]['school']}, mentor {P[s]['mentor']}): {', '.join(roles)}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
