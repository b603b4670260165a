"""Focus-group assembly for gen_staff_groups.py (fictional mentoring-pilot study)."""
import random
import re

from gen_staff_groups_common import (P, PICK, WAVES, BA, BB, BC, BCC, BD, BE, BF,  # noqa: F401
                                     fill, render, write)


# ---------------------------------------------------------------------------
# focus groups
# ---------------------------------------------------------------------------

# (interviewer label, timestamps, blank line between turns, wrap width, title, curly apostrophes)
GROUP_STYLE = {
    ("G1", "pre"): ("Interviewer", False, True, 0, True, False),
    ("G1", "post"): ("Interviewer", True, False, 0, True, False),
    ("G2", "pre"): ("Int", False, False, 88, True, False),
    ("G2", "post"): ("Int", False, True, 0, False, False),
    ("G3", "pre"): ("Interviewer", True, False, 0, True, False),
    ("G3", "post"): ("Interviewer", False, True, 92, True, False),
    ("G4", "pre"): ("Int", False, True, 0, False, False),
    ("G4", "post"): ("Int", True, False, 96, True, True),
}
# invitations to the same student to add another point
FOLLOW = ["Mm-hm.", "Yeah? Go on.", "Okay. And anything else?", "Right. What else?", "Mm. Keep going.",
          "Okay. Is there more to it than that?", "Anything else about that?", "Mm-hm. And?"]
# invitations to the rest of the group
OPEN = ["What do other people think?", "Does anyone feel differently?", "Is that the same for the rest of you?",
        "Interesting. Anyone else?", "Mm. Anyone disagree?", "Okay, and what about you?",
        "Does that happen to everyone, or...?", "Okay.", "Right.", "That's really useful, thank you."]
LEAD_INS = ["Erm, ", "Like, ", "Well, ", "I mean, ", "Yeah, so, ", "Er, ", "So, ", "And, er, "]
INTERRUPT = [x for x in BC.CROSSTALK if not x.endswith(("go on.", "you go.", "[crosstalk]")) or x.startswith(("Yeah but", "Wait"))]
OVERLAP = ["[crosstalk] sorry, go on.", "[crosstalk] no, you go.", "[laughs] [crosstalk]"]
SPECIAL_IDS = ("S10", "S16", "S21", "S18", "S23")
DISAGREE_OK = ("sessions", "targets", "second", "logistics", "change")
# topic banks with their top-ups from part F (built once: the picker keys on identity)
SESSIONS = {"pre": BA.SESSIONS_PRE + BF.SESSIONS_PRE_MORE, "post": BA.SESSIONS_POST}
LONG_SESS = {"pre": BF.LONG_SESS_PRE, "post": BF.LONG_SESS_POST}
CHANGE_RIV = BCC.CHANGE_RIV + BF.CHANGE_RIV_MORE
CHANGE_NF = BCC.CHANGE_NF + BF.CHANGE_NF_MORE
REL_NO = BB.REL_NO + BF.REL_NO_MORE
HOPES_PRE = BE.HOPES_PRE + BF.HOPES_PRE_MORE
TARGET_PRE_YES = BB.TARGET_PRE_YES + BF.TARGET_PRE_YES_MORE


KEEP_CAPS = {"I", "Mr.", "Mrs.", "Ms.", "Dr.", "English", "French", "Year", "Christmas", "Easter", "PE", "DT"}


def lower_first(text):
    first = re.split(r"[ ,']", text, 1)[0]
    return text if first in KEEP_CAPS else text[:1].lower() + text[1:]


class Deck:
    """Short reactions: drawn without repetition inside one file."""

    def __init__(self, items, rng):
        self.items, self.rng, self.left = list(items), rng, []

    def draw(self):
        if not self.left:
            self.left = self.items[:]
            self.rng.shuffle(self.left)
        return self.left.pop()


def build_group(g, wave):
    rng = random.Random(f"mentoring-pilot/group/{g}/{wave}")
    members = sorted(s for s in P if P[s]["group"] == g)
    riv = P[members[0]]["school"] == "Riverside"
    gi = int(g[1]) - 1
    lab = GROUP_STYLE[(g, wave)][0]
    specials = [s for s in members if s in SPECIAL_IDS]
    ns = len(specials)
    turns, count = [], {s: 0 for s in members}
    state = {"last": None, "crosstalk": 0}
    decks = {k: Deck(v, rng) for k, v in (("agree", BC.AGREE), ("disagree", BC.DISAGREE), ("follow", FOLLOW),
                                          ("open", OPEN), ("interrupt", INTERRUPT), ("overlap", OVERLAP),
                                          ("closing", BC.CLOSING), ("consent", BC.CONSENT_REPLIES),
                                          ("lead", LEAD_INS), ("react", BCC.SPECIAL_REACT),
                                          ("trans", BC.TRANSITIONS))}

    def say(sid, text):
        turns.append((sid, text))
        count[sid] += 1
        state["last"] = sid

    def ask(text):
        turns.append((lab, text))

    def speaker(cands=None):
        pool = list(cands or members)
        cands = [s for s in pool if s != state["last"]] or pool
        low = min(count[s] for s in cands)
        return rng.choices(cands, [4 if count[s] == low else 1 for s in cands])[0]

    def content(seg, sid, flip=False):
        p = P[sid]
        fem, ab = p["gender"] == "female", p["ability"]
        if seg == "sessions":
            return PICK.pick(SESSIONS[wave], sid, wave, rng)
        if seg == "helps":
            pair = (BA.EMO, BA.PRAC) if (rng.random() < (0.85 if fem else 0.15)) != flip else (BA.PRAC, BA.EMO)
        elif seg == "targets" and wave == "pre":
            yes = rng.random() < (0.6 if ab == "high" else 0.4)
            pair = (TARGET_PRE_YES, BB.TARGET_PRE_NO) if yes else (BB.TARGET_PRE_NO, TARGET_PRE_YES)
        elif seg == "targets":
            pair = (BB.TARGET_POST, BB.TARGET_POST_NO) if rng.random() < 0.85 else (BB.TARGET_POST_NO, BB.TARGET_POST)
        elif seg == "second":
            return PICK.pick(HOPES_PRE if wave == "pre" else BE.TARGET_SET_POST, sid, wave, rng)
        elif seg == "relationship":
            yes = rng.random() < {"low": 0.9, "middle": 0.45, "high": 0.15}[ab]
            pair = (BB.REL_YES, REL_NO) if yes else (REL_NO, BB.REL_YES)
        elif seg == "logistics" and riv:
            return PICK.pick(BCC.LOG_RIV, sid, wave, rng)
        elif seg == "logistics":
            pair = (BCC.NF_MILD, BCC.LOG_NF) if rng.random() < 0.15 else (BCC.LOG_NF, BCC.NF_MILD)
        elif seg == "change":
            return PICK.pick(CHANGE_RIV if riv else CHANGE_NF, sid, wave, rng)
        return PICK.pick(pair[0], sid, wave, rng, fallback=pair[1])

    def react(seg, p_react=0.28):
        r = rng.random()
        if r < p_react * 0.7 or (r < p_react and seg not in DISAGREE_OK):
            say(speaker(), decks["agree"].draw())
        elif r < p_react:
            say(speaker(), decks["disagree"].draw())

    def segment(seg, n, cands=None, long_pool=None, long_cands=None):
        prompt = BC.PROMPTS[(seg, wave)][gi] if seg != "second" else BE.PROMPT_SECOND[wave][gi]
        if seg != "sessions":
            trans = decks["trans"].draw()
            prompt = trans + prompt
        ask(prompt)
        long_at = rng.randrange(n) if long_pool else -1
        flip_at = rng.choice([k for k in range(n) if k != long_at]) if seg == "helps" else -1
        for k in range(n):
            text = None
            if k == long_at:
                sid = speaker(long_cands or cands)
                text = PICK.pick(long_pool, sid, wave, rng, strict=True)
            else:
                sid = speaker(cands)
            say(sid, text or content(seg, sid, flip=k == flip_at))
            if k == n - 1:
                break
            r = rng.random()
            if r < 0.18 and k != long_at:  # interviewer follow-up to the same student
                ask(decks["follow"].draw())
                say(sid, decks["lead"].draw() + lower_first(content(seg, sid)))
            elif r < 0.28:
                ask(decks["open"].draw())
            elif r < 0.33 and state["crosstalk"] < 2 and k != long_at:  # someone cuts in
                state["crosstalk"] += 1
                say(speaker([m for m in members if m != sid]), decks["interrupt"].draw())
                ask("Hang on, let her finish." if P[sid]["gender"] == "female" else "Hang on, let him finish.")
                say(sid, rng.choice(["Yeah, so- ", "Thanks. So, ", "As I was saying, ", "[laughs] So, "])
                    + lower_first(content(seg, sid)))
            elif r < 0.37 and state["crosstalk"] < 2:  # two start at once
                state["crosstalk"] += 1
                say(speaker(), decks["overlap"].draw())
            else:
                react(seg)

    ask((BC.INTRO_PRE if wave == "pre" else BC.INTRO_POST)[gi])
    for s in rng.sample(members, 2):
        say(s, decks["consent"].draw())
    girls = [s for s in members if P[s]["gender"] == "female"]
    boys = [s for s in members if P[s]["gender"] == "male"]
    lows = [s for s in members if P[s]["ability"] == "low"]
    nonvol = [s for s in members if not P[s]["mentor"].startswith("V")]
    segment("sessions", 3, long_pool=LONG_SESS[wave], long_cands=nonvol)
    if riv:  # a spontaneous complaint before the logistics question
        sid = speaker(nonvol)
        say(sid, rng.choice(["Can I just say, ", "The thing is, ", "Honestly, "]) + lower_first(content("logistics", sid)))
        react("logistics", 0.9)
    long_helps = BD.LONG_EMO if gi % 2 == 0 else BD.LONG_PRAC
    segment("helps", 6 - ns, long_pool=long_helps, long_cands=girls if gi % 2 == 0 else boys)
    segment("targets", 4 if wave == "pre" else 5 - ns // 2,
            long_pool=BD.LONG_TARGET if wave == "post" and gi != 3 else None)
    segment("second", 3 - ns // 2)
    segment("relationship", 4 - ns // 2, cands=members + lows, long_pool=BD.LONG_REL if (gi + (wave == "post")) % 2 == 0 else None,
            long_cands=lows)
    for s in specials:
        ask(BC.PROMPT_ONLINE[gi] if s in ("S10", "S16", "S21") else BC.PROMPT_REMOTE[gi])
        lines = [fill(x, s) for x in BCC.SPECIAL[(s, wave)]]
        say(s, lines[0])
        ask(rng.choice(["Mm-hm.", "And does your mentor help with that?", "Okay. How does that work in practice?"]
                       if s in ("S10", "S16", "S21") else ["Mm-hm.", "And how has it worked, practically?"]))
        if ns > 1:
            say(s, lines[1] + " " + lines[2])
        else:
            say(s, lines[1])
            say(speaker([m for m in members if m != s]), decks["react"].draw())
            say(s, rng.choice(["[laughs] Yeah. ", "Yeah, and ", "Mm. And "]) + lower_first(lines[2]))
    if riv:
        segment("logistics", 5, cands=nonvol, long_pool=BD.LONG_LOG_RIV, long_cands=nonvol)
    else:
        segment("logistics", 4, long_pool=BD.LONG_NF if gi + (wave == "post") != 1 else None)
    segment("change", 3 - ns // 2)
    ask(BC.PROMPTS[("close", wave)][gi])
    for s in rng.sample(members, 2):
        say(s, decks["closing"].draw())
    ask(BC.THANKS[gi])
    silent = [s for s in members if count[s] == 0]
    assert not silent, (g, wave, silent)
    return turns


def write_groups():
    for wave in WAVES:
        for gi in range(1, 5):
            g = f"G{gi}"
            lab, stamps, blank, wrap, title, curly = GROUP_STYLE[(g, wave)]
            members = sorted(s for s in P if P[s]["group"] == g)
            school = P[members[0]]["school"]
            when = "start of programme (October)" if wave == "pre" else "end of programme (May)"
            front = [("participants", "[" + ", ".join(members) + "]"), ("wave", wave),
                     ("date", BC.GROUP_DATES[(g, wave)])]
            text = render(build_group(g, wave), front=front,
                          title=f"Focus group {g} \u2014 {school} students, {when}" if title else None,
                          stamps=stamps, blank=blank, wrap=wrap, curly=curly,
                          seed=f"mentoring-pilot/render/{g}/{wave}", marks=3, skip=(lab,))
            write(f"interviews/groups/{g}_{wave}.txt", text)
