"""Shared names and interviewer/reaction banks for the focus groups (fictional).

Placeholders in student lines: {m} mentor's name, {he}/{him}/{his} (and
capitalised {He}/{His}) the mentor's pronouns.  Leading tags on a bank entry
restrict who may say it: @f @m (gender), @lo @mid @hi (ability), @nv (not the
two students paired with a remote volunteer), @vol (only those two), @t06
(only Mrs. Hallam's caseload), @pre @post (wave).
"""

# How staff and volunteers are referred to in the transcripts.
NAMES = {
    "T01": ("Mrs. Kaur", "f"), "T02": ("Mr. Whitfield", "m"),
    "T03": ("Ms. Adeyemi", "f"), "T04": ("Mr. Doyle", "m"),
    "T05": ("Mrs. Osei", "f"), "T06": ("Mrs. Hallam", "f"),
    "T07": ("Mr. Ferreira", "m"), "T08": ("Mr. Farrell", "m"),
    "T09": ("Ms. Rahman", "f"), "T10": ("Mr. Okafor", "m"),
    "V01": ("Dr. Nair", "f"), "V02": ("Mr. Bell", "m"),
}

GROUP_DATES = {
    ("G1", "pre"): "2025-10-14", ("G2", "pre"): "2025-10-15",
    ("G3", "pre"): "2025-10-21", ("G4", "pre"): "2025-10-22",
    ("G1", "post"): "2026-05-12", ("G2", "post"): "2026-05-13",
    ("G3", "post"): "2026-05-19", ("G4", "post"): "2026-05-20",
}

# Opening turns by the interviewer, one per file (index chosen by generator).
INTRO_PRE = [
    "Okay, so, thanks for coming, everyone. Erm, just to remind you, this is about the mentoring that started this term, there are no right or wrong answers, and nothing you say goes back to your teachers with your name on it. Try not to talk over each other too much because the recorder, er, it doesn't cope very well. Is everyone okay with being recorded?",
    "Right, I think we're recording. So, er, thank you for giving up your lunch. I'm going to ask you a few things about the mentoring programme you've just started. It's completely fine to disagree with each other, in fact that's really useful. And if you don't want to answer something you can just say pass. Everyone happy to carry on?",
    "So, welcome, thanks for coming along. Erm, this is one of a few groups we're doing across the two schools. We're interested in what you think about having a mentor, you know, now, at the start of Year 11. Just speak normally, one at a time if you can. Okay with the recording?",
    "Okay, that's on. Erm, so as I said outside, I'm from the university, I'm not a teacher here, and we just want to hear what you honestly think about the mentoring so far. It's only been a few weeks, I know, so it's fine if you haven't got much to say yet. Everybody alright with the recorder?",
]
INTRO_POST = [
    "Okay, so some of you remember me from October. Thanks for coming back. Erm, this time we want to look back over the whole year of mentoring, now that you're, well, nearly at your exams. Same rules as before, no right or wrong answers, and nothing gets back to your teachers with your name on it. Everyone okay to be recorded again?",
    "Right, we're recording. So, er, thank you, I know it's a busy time with exams round the corner. I'm going to ask similar things to last time but thinking back over the whole year. Feel free to disagree with each other. Happy to start?",
    "So, welcome back, and thanks for squeezing this in. Erm, the mentoring is more or less finishing now, so we're interested in how it went for you, what was useful, what wasn't. Just speak normally, one at a time if you can. Okay with the recording?",
    "Okay, that's on. So, I'm from the university again, not a teacher, and this is the last group we're doing with you. We'd just like to hear honestly how the mentoring has been since October. Is everyone alright with the recorder?",
]
CONSENT_REPLIES = [
    "Yeah.", "Yeah, fine.", "Yep.", "Yeah that's fine.", "Mm-hm.", "Sure.", "Yeah, go on.", "Yeah [laughs]",
]

# Interviewer prompts by segment and wave, four per slot (one per group).
PROMPTS = {
    ("sessions", "pre"): [
        "So to start with, can someone tell me what actually happens when you see your mentor?",
        "Erm, first question. What have the mentoring sessions been like so far? What do you actually do in them?",
        "Let's start easy. How would you describe the mentoring to, say, a Year 10 who's never had it?",
        "So, you've had a few sessions now. What happens in them, what do you talk about?",
    ],
    ("sessions", "post"): [
        "So to start with, looking back, what did a typical mentoring session end up looking like?",
        "Erm, first question. How would you describe the mentoring now, compared to what you thought in October?",
        "Let's start easy. If a Year 10 asked you what mentoring is like, what would you tell them now?",
        "So, thinking about the whole year, what did you actually do in the sessions?",
    ],
    ("helps", "pre"): [
        "And what's been helpful so far, if anything?",
        "Is there anything your mentor does that actually helps? Or that you think will help?",
        "What kind of help are you hoping to get from it this year?",
        "Okay. And what has your mentor helped you with, even if it's small things?",
    ],
    ("helps", "post"): [
        "What was the most helpful thing your mentor did this year?",
        "Is there anything your mentor did that actually made a difference?",
        "What kind of help did you get from it in the end?",
        "Okay. And looking back, what did your mentor help you with most?",
    ],
    ("targets", "pre"): [
        "Has anyone talked to you about your exams yet, you know, what you're working towards?",
        "Do you talk about your results at all in the sessions, or is it more general?",
        "What do you want to get out of Year 11, and does the mentoring come into that?",
        "Erm, do you think the mentoring will make any difference to how you do in the summer?",
    ],
    ("targets", "post"): [
        "Did the mentoring change how you think about your exams?",
        "Do you think it made a difference to your results, or what you're expecting to get?",
        "How much of the mentoring was about your exams and your results, would you say?",
        "Erm, has having a mentor changed anything about how you're approaching the exams?",
    ],
    ("relationship", "pre"): [
        "What's it like talking to your mentor? Is it different from a normal teacher, and would you go to them if something was wrong?",
        "How do you get along with your mentor, as a person I mean? And does that matter?",
        "Does it matter to you who your mentor is? Like, would you talk to them about stuff that isn't schoolwork?",
        "Is your mentor someone you'd go to if something was wrong, or is it more of a school thing?",
    ],
    ("relationship", "post"): [
        "How has it been with your mentor as a person, over the year? Would you go to them if something was wrong?",
        "Is it different talking to your mentor compared with other teachers, now you know them better? Does that matter?",
        "Did it matter who your mentor was, looking back? Would you talk to them about stuff that isn't schoolwork?",
        "Would you go to your mentor if something was wrong, do you think, or was it more of a school thing?",
    ],
    ("logistics", "pre"): [
        "Practically, when and where do you meet? How does that work?",
        "How are the sessions organised, like, when do they happen?",
        "And how easy is it to actually get to see your mentor?",
        "Where do the sessions happen, and how often?",
    ],
    ("logistics", "post"): [
        "Practically, how did the meetings work out over the year, when and where?",
        "How well organised were the sessions, looking back?",
        "Was it easy to actually see your mentor when you needed to?",
        "And where and how often did you end up meeting?",
    ],
    ("change", "pre"): [
        "If you could change one thing about it, what would it be?",
        "Is there anything you'd want done differently?",
        "What would make it better, do you think?",
        "If you were in charge of the mentoring, what would you change?",
    ],
    ("change", "post"): [
        "If the school runs it again next year, what should they change?",
        "Is there anything you'd want done differently for next year's Year 11s?",
        "What would have made it better, do you think?",
        "If you were in charge of the mentoring, what would you keep and what would you change?",
    ],
    ("close", "pre"): [
        "Okay, we're nearly out of time. Anything else anyone wants to add?",
        "Right, last thing. Anything we haven't asked about that you think matters?",
        "Great, thank you. Is there anything else before we finish?",
        "Okay. Last chance, anything anyone wants to say?",
    ],
    ("close", "post"): [
        "Okay, we're nearly out of time. Anything else anyone wants to add, looking back?",
        "Right, last thing. Anything we haven't asked about that you think matters?",
        "Great, thank you. Is there anything else before we finish? Good luck with the exams, by the way.",
        "Okay. Last chance, anything anyone wants to say about the year?",
    ],
}
# Transitions the interviewer puts in front of a new question.
TRANSITIONS = [
    "Okay, thanks. ", "Right, moving on a bit. ", "Lovely. ", "Okay, that's really interesting. ",
    "Thank you. I want to ask about something a bit different now. ", "Mm. Let's move on. ",
    "Great. ", "Okay, brilliant. ", "Thanks, that's helpful. ", "Right. ",
]
THANKS = [
    "Brilliant. Thank you all, that's really helpful. I'll stop the recording there.",
    "Lovely. Thanks so much, everyone. Stopping the recorder now.",
    "Okay, thank you, that was really useful. I'll turn this off.",
    "Great. Thanks, all of you. That's us done.",
]

# Interviewer prompts for the special arrangements (only where a member has one).
PROMPT_ONLINE = [
    "I think one or two of you are doing a course online as well? How does the mentoring work with that?",
    "Somebody mentioned an online course earlier. Can you tell us a bit about that, and whether your mentor's involved?",
    "And the online statistics, how's that going, and does your mentor help with it?",
    "I know some of you are doing statistics online. How has that been, with the mentoring?",
]
PROMPT_REMOTE = [
    "And your mentor isn't at the school, is that right? How does that work?",
    "You've got a mentor who isn't a teacher here, haven't you? What's that like?",
    "Can you say a bit about your mentor being on video calls? How does that work?",
    "And you do yours over video, is that right? How's that been?",
]

# Interviewer probes and back-channels (short turns between students).
PROBES = [
    "Can you say a bit more about that?", "Mm-hm.", "Okay.", "Right.",
    "What do other people think?", "Does anyone feel differently?",
    "Does that happen to everyone, or...?", "Sorry, one at a time. You first.",
    "Yeah? Go on.", "Is that the same for the rest of you?",
    "Why do you think that is?", "Can you give me an example?",
    "Interesting. Anyone else?", "So, just so I've got it, is that a good thing or a bad thing?",
    "Okay, and what about you?", "Mm. Anyone disagree?",
    "Sorry, I didn't catch that, can you say it again?", "Hang on, let's let her finish.",
    "Hang on, let him finish.", "That's really useful, thank you.",
]

# Short student reactions. AGREE follows someone else's point, DISAGREE
# pushes back; both are used as separate, short turns.
AGREE = [
    "Yeah.", "Same.", "Yeah, same with me.", "Mm.", "[laughs] Yeah.",
    "That's true, actually.", "Exactly.", "Yeah, that's what I was going to say.",
    "Yeah, literally.", "Same for me, to be honest.", "Yeah, it is.",
    "Yeah, I- I'd agree with that.", "True.", "Yeah [laughs] that's so true.",
    "That's- yeah, that's right.", "Mm-hm, yeah.", "Yeah, definitely.",
    "Yeah, I get that.", "Agreed.", "Yeah, me too, kind of.",
]
DISAGREE = [
    "No but- I don't think that's fair though.", "Not for me, no.",
    "Really? I don't find that at all.", "Nah, I- I'd say it's the opposite for me.",
    "I sort of disagree, actually.", "Hmm, I don't know about that.",
    "That's not what I've found, but...", "No, mine's not like that.",
    "I mean... kind of? But not really.", "Depends, though, doesn't it?",
    "I don't think it's that bad.", "That's just you, I think [laughs]",
    "Wait, no, that's not- that's not what happens.", "Erm, I'm not sure I agree.",
]
CROSSTALK = [
    "[crosstalk] yeah but that's what I mean-",
    "[crosstalk] no, that was last time-",
    "Yeah but- [crosstalk]",
    "[crosstalk] sorry, go on.",
    "No- [crosstalk] that's different though.",
    "[crosstalk] it's not even-",
    "Wait- [crosstalk]",
    "[crosstalk] that's literally what I said.",
    "[laughs] [crosstalk]",
    "[crosstalk] no, you go.",
]
# Students' brief answers to "anything else?"
CLOSING = [
    "No, I think that's it.", "Not really, no.", "Erm, no. [pause] No.",
    "Just that it's been alright, yeah.", "No, I'm good.", "Can we go to lunch now? [laughs]",
    "Nope.", "I think we covered it.", "Erm... no, that's everything.",
    "Only that I'm glad I did it, I suppose.",
]
