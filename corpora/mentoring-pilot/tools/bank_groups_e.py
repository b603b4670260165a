"""Focus-group lines, part E: the second exam question of each group
(hopes in October; how targets were set, in May)."""

PROMPT_SECOND = {
    "pre": [
        "And what are you hoping to get out of it by the summer?",
        "If it goes well, what would be different by May, do you think?",
        "What would make the mentoring worth it for you this year?",
        "Okay. So what do you want from it, by the end of the year?",
    ],
    "post": [
        "And did you set targets with your mentor? How did that work?",
        "Some people have mentioned targets. How were they set, and did they help?",
        "Can I ask about targets specifically? Who decided them, and were they useful?",
        "Okay. And did the targets actually help, do you think?",
    ],
}

# October hopes: mostly vague, a few about grades.
HOPES_PRE = [
    "Just to be less behind, I think. I'm behind in, like, everything.",
    "I want to know what I'm doing after school. That's the main thing.",
    "@hi Getting my grades up in the subjects I'm weaker in. Like, the ones I've always found hard.",
    "Erm, to actually revise properly for once [laughs].",
    "I'd like it to, like, keep me going. I always start the year well and then stop.",
    "To not be stressing in May like everyone says you will.",
    "I don't know really. Just to do okay.",
    "That I've actually got a plan, instead of just winging it.",
    "Getting into college. That's it really.",
    "@mid I'd want to get a five in maths, that's my goal. If it helps with that then it's worth it.",
    "Someone to keep me on it, I suppose. I'm quite lazy [laughs].",
    "I want to hit my target grade in English, because I've never hit it. Not once.",
    "Honestly, just to feel like someone's paying attention. Because in a big school you kind of disappear.",
    "For my mum to stop shouting at me [laughs]. No, er, to do better than last year.",
]

# May: how targets were set.
TARGET_SET_POST = [
    "We set them together in, like, November. {He} had my predicted grades and asked which ones I thought I could move.",
    "Mine were from the system at first, then we changed them after the mocks because some were way too low.",
    "It was a mix. The big targets came from school but the weekly ones I picked myself.",
    "{He} made me write my target on the front of my books. It was a bit embarrassing but I looked at it every lesson.",
    "I didn't really like them at first. A target grade just felt like pressure. But by Easter it made sense.",
    "Ours were really small, like, do three past questions this week. Those helped more than the grade ones, honestly.",
    "@hi I set mine higher than the school ones, because the school ones were just what I got last year plus one.",
    "We reviewed them every session. If I hit one we'd set a new one, if I didn't we'd talk about why.",
    "Honestly, I forgot about my targets half the time. But {m} didn't [laughs].",
    "@lo They were helpful because they were, like, realistic. Like, a four, not a seven. I can do a four.",
    "My target for science went up after the mocks, which was nice, it meant I'd done well.",
    "We set a goal for each half-term. The spring one was to get my maths grade up and I did.",
    "I think they helped. It's easier to work when you know what grade you're working towards.",
    "At first I just nodded along with the targets. Then I actually started taking them seriously, I don't know when.",
    "The targets were fine but what helped was breaking them into, like, what do I need to do this week to get that grade.",
    "I'm not sure they helped, to be honest. I know my grades, I didn't need a target written down.",
]

# Short, theme-free follow-ups used when a topic bank has run dry.
GENERIC = [
    "I don't know, it's just... yeah. It's hard to explain.",
    "Like, it's fine. It's not amazing, it's not bad.",
    "Yeah, that's basically it, really.",
    "I think it's different for everyone, to be honest.",
    "I mean, it's better than nothing [laughs].",
    "It just sort of depends on the week.",
    "I'd say it's been okay. Not life-changing, but okay.",
    "Erm... yeah. I think that's all I was going to say.",
    "It's more than I expected, put it that way.",
    "I don't really know how to describe it. It's just a normal thing now.",
    "Sometimes it's useful and sometimes it's a bit, like, pointless. Depends what's going on.",
    "It's alright, to be fair. I can't really complain.",
    "Same as what I said before, really.",
    "It's just, you know, someone asking how it's going.",
    "I haven't thought about it that much, to be honest.",
    "Yeah, it's decent. I'd do it again.",
]
