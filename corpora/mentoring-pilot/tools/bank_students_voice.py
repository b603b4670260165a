"""Speech texture for the student interviews: fillers, false starts, tics,
trailing off, transcription marks and line wrapping.  All deterministic given
the random.Random passed in.  Nothing here adds a theme keyword; fillers go
only at sentence starts and tics only at sentence ends, so keyword phrases
inside a sentence are never split."""
import re

ABBREV = ("Mr.", "Mrs.", "Ms.", "Dr.", "e.g.", "i.e.")
KEEP_CAPS = {
    "I", "Mr.", "Mrs.", "Ms.", "Dr.", "English", "French", "Spanish", "Latin", "Year", "Christmas", "Easter",
    "January", "February", "March", "April", "May", "June", "September", "October", "Monday", "Tuesday",
    "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Tuesdays", "Thursdays", "Fridays", "Saturdays",
    "Sundays", "Wednesdays", "Teams", "Instagram", "Callum", "Jay", "Germany", "London", "Leeds", "Nottingham",
    "Tesco", "Co-op", "Level", "Arduino", "Italian", "Rovers", "Honestly?",
}
FALSE_START = {"I", "I'm", "It's", "We", "She", "He", "It", "They", "So", "And", "But", "That's", "There's", "My", "Like,"}


def split_sentences(text):
    parts = re.split(r"(?<=[.!?])\s+", text.strip())
    out = []
    for p in parts:
        if out and (out[-1].endswith(ABBREV) or p.startswith("[")):
            out[-1] += " " + p
        else:
            out.append(p)
    return out


def first_word(s):
    return s.split(" ", 1)[0]


def lower_first(s):
    raw = first_word(s)
    w = raw.rstrip(",.?!;")
    if (w in KEEP_CAPS or raw in KEEP_CAPS or raw.startswith(("I'", "Mr.", "Ms.", "Dr.", "Mrs."))
            or (len(w) > 1 and w[:2].isupper())):
        return s
    if s and s[0].isupper():
        return s[0].lower() + s[1:]
    return s


def with_filler(s, filler):
    if s.startswith("[") or not s:
        return s
    body = lower_first(s)
    if filler.endswith("..."):
        return filler + " " + body
    if filler.endswith(","):
        return filler + " " + body
    return filler + " " + body


def false_start(s):
    w = first_word(s)
    if w not in FALSE_START or " " not in s:
        return s
    rest = s[len(w):]
    again = w if w.startswith("I") and (len(w) == 1 or w[1] == "'") else w[0].lower() + w[1:]
    return w.rstrip(",") + "- " + again + rest


def add_tic(s, tic):
    m = re.match(r"^(.*?)([.!?]+)$", s)
    if not m or s.endswith(("]", "].")) or m.group(1).endswith((",", "-")):
        return s
    if m.group(2) != ".":
        return s
    return m.group(1) + tic + "."


def voice(text, v, rng, first_ok=True, state=None):
    """Apply one student's speech habits to an answer.  `state` counts habits
    already used in this file so that no filler or tic gets overdone."""
    if state is None:
        state = {}
    sents = split_sentences(text)
    out = []
    for i, s in enumerate(sents):
        r = rng.random()
        starts_filler = re.match(r"^(Um|Erm|Er|Like|So|Honestly|Basically|I mean|To be|Oh|And|But|Or|Because|'Cause|"
                                 r"Which|Yeah|Yep|No|Nope|Not|Okay|Well|Definitely|Dunno|Frankly|Sort|Kind)\b", s)
        if starts_filler or len(s.split()) < 3 or (i == 0 and not first_ok):
            out.append(s)
            continue
        fillers = [x for x in v["f"] if state.get(x, 0) < 2]
        so_far = (" ".join(out) + " " + text).lower()
        fillers = [x for x in fillers if x.lower().rstrip(",.") not in so_far]
        if r < v["fp"] and fillers:
            fl = rng.choice(fillers)
            state[fl] = state.get(fl, 0) + 1
            s = with_filler(s, fl)
        elif r < v["fp"] + v["fs"] and state.get("fs", 0) < 3:
            new = false_start(s)
            if new != s:
                state["fs"] = state.get("fs", 0) + 1
            s = new
        out.append(s)
    tics = [x for x in v["t"] if state.get(x, 0) < 2 and x.strip(", ").lower() not in text.lower()]
    if len(out) > 1 and tics and rng.random() < v["tp"] * 0.7:
        long_ones = [k for k, x in enumerate(out) if len(x.split()) >= 6]
        if long_ones:
            k = rng.choice(long_ones)
            tic = rng.choice(tics)
            state[tic] = state.get(tic, 0) + 1
            out[k] = add_tic(out[k], tic)
    if len(out) > 1 and rng.random() < v["dp"] and state.get("dp", 0) < 3:
        state["dp"] = state.get("dp", 0) + 1
        k = rng.randrange(len(out) - 1)
        if out[k].endswith(".") and not out[k].endswith(("..", "]", "].", "innit.")) and not out[k].endswith(ABBREV):
            out[k] = out[k][:-1] + "..."
    return " ".join(out)


def insert_mark(text, mark, rng):
    """Put a transcription mark between two sentences (never first)."""
    sents = split_sentences(text)
    if len(sents) < 2:
        return text.rstrip() + " " + mark
    k = rng.randrange(1, len(sents))
    sents.insert(k, mark)
    return " ".join(sents)


def wrap(text, max_words=55):
    """Split a long turn into lines at sentence boundaries; no line may start with '['."""
    if len(text.split()) <= max_words:
        return [text]
    sents = split_sentences(text)
    lines, cur = [], []
    for s in sents:
        cur.append(s)
        if len(" ".join(cur).split()) >= max_words * 0.6:
            lines.append(" ".join(cur))
            cur = []
    if cur:
        if lines and len(" ".join(cur).split()) < 8:
            lines[-1] += " " + " ".join(cur)
        else:
            lines.append(" ".join(cur))
    for ln in lines[1:]:
        assert not ln.startswith("["), ln
    return lines


def hms(seconds):
    seconds = int(seconds)
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
