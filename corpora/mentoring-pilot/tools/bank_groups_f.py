"""Focus-group lines, part F: long opening turns and extra entries for the
banks that ran short (merged into the part A-C banks by the generator)."""

LONG_SESS_PRE = [
    "So mine, erm, the first one was mostly {m} asking about me, like what I do outside school, what subjects I like, what I want to do after. And then {he} got out my reports from Year 10 and we looked at where I'm strong and where I'm not. And we agreed one thing to work on before the next session, which for me was reading more, because my English teacher keeps saying that. It was a bit awkward at first, because you're just sat there with a teacher one-on-one, but it was fine by the end.",
    "I'd say it's like a catch-up. Like, {he} asks how things are, and you say fine, and then {he} asks again [laughs] and you actually say how things are. We've only had two so far. In the second one we talked about my attendance, because I had a lot of days off last year, and about what's been going on. So it's not all about work, it's a bit of everything. I don't know yet if it's going to help, but it's better than I thought it'd be.",
    "Honestly, I didn't know what to expect because nobody really explained it. We just got a letter saying you've been given a mentor. And then the first session was sort of, what do you want out of this? And I didn't know, so {m} gave me some ideas, like, revision, college, confidence, that sort of thing. And we picked two. It's quite, like, you lead it, which I wasn't expecting. I thought I'd just be told what to do.",
    "I'd tell a Year 10 it's like having a teacher who's just yours for twenty minutes. Like, they're not teaching you anything, they're asking you stuff. Which is a bit weird, because usually teachers talk and you just sit there. Here it's the other way round, kind of. I think it'll be more useful once we've got into it. At the moment it's still sort of getting to know each other.",
]
LONG_SESS_POST = [
    "Looking back, it changed a lot over the year. In October it was mostly getting to know each other and, like, what do you enjoy, what do you want to do. Then after the mocks it got much more focused, like, here are your results, where did you lose marks, what are we doing about it. And by Easter it was basically revision planning every time. I think that was the right way round, actually, because if {he}'d started with all the exam stuff in October I'd have switched off.",
    "It's hard to describe a typical one because they were all different. Sometimes I'd come in with something specific, like I don't get this bit of chemistry, and {m} would find someone who could help. Sometimes I'd come in and just moan for ten minutes [laughs]. And sometimes we'd do proper planning. I think the good thing was that {he} let me decide what we talked about, most of the time. Not always. But most of the time.",
    "I'd tell a Year 10 that it's what you make of it. Like, if you go in and say nothing, you'll get nothing. But if you actually tell them what's going on, they can do a lot. {He} got me extra help in maths, {he} talked to my mum when things were bad at home, {he} helped with my college form. None of that would've happened if I'd just sat there. So, yeah, be honest with them, basically.",
    "For me it went from something I had to go to, to something I sort of wanted to go to. I don't know exactly when that changed. Maybe around February. I think it was because I started seeing that stuff we talked about was actually working, like my marks in science went up. And then you want to keep going. So I'd say it was slow at the start but worth it in the end.",
]

SESSIONS_PRE_MORE = [
    "We just talked about my subjects. Which ones I like, which ones I hate [laughs].",
    "It's quite short. Like, ten, fifteen minutes. So you don't really get into anything.",
    "@nv {He} asked me about my attendance, because it was low last year. That was most of it.",
    "Erm, we did a questionnaire thing. About how I learn best, I think.",
    "I think it's meant to be about everything, like school and home and that. But we mostly did school.",
    "It's okay. It's better than I thought it would be, put it that way.",
]
CHANGE_RIV_MORE = [
    "Make sure teachers know when you're going, so you don't get told off for leaving.",
    "Have more than one mentor for the whole year. One person for all of us is too much.",
    "@post Don't stop it for mocks. That's when you actually need it.",
    "Sessions after school maybe, for people who don't mind staying. Then no one's missing lessons.",
    "A text or something the day before, so you actually know it's on.",
    "Fewer people each. That's literally the whole problem.",
    "Let us have it with someone who teaches us. Then it fits round lessons better.",
    "Keep the video ones. They sound like they worked better than ours.",
]
CHANGE_NF_MORE = [
    "Maybe let us see what the mentor writes down. I always wondered what was on that sheet [laughs].",
    "Have a session with your parents there, near the start.",
    "More about careers. Like, actually what jobs are out there.",
    "@post I'd start the revision stuff earlier. Like, January, not Easter.",
    "Mix it up a bit. Sometimes it felt like the same conversation every time.",
    "Honestly, I'd keep it how it is. It's one of the better things they've done.",
]
REL_NO_MORE = [
    "I'm not sure it matters that much. It's twenty minutes every two weeks.",
    "@hi It's fine. It's a bit like a tutor, but better informed.",
    "I wouldn't go to {him} with personal stuff, no. But for school stuff, yeah.",
    "I think I'd be the same with anyone, to be honest. I'm quite quiet.",
    "It's not really a personal thing for me. It's a school thing.",
    "Er, it's fine. I don't think about it like that.",
]
HOPES_PRE_MORE = [
    "@hi To get the grades for the sixth form I want. That's it, really.",
    "Just to not fall behind like I did last year.",
    "I'd like to know how to revise. Nobody's ever actually shown me.",
    "To be honest I'd just like someone to notice when I'm struggling.",
]
TARGET_PRE_YES_MORE = [
    "@mid We looked at my targets, and my maths one's a five, which I think is a bit high, but okay.",
    "I know my target in English is a six because it's on the front of my book. That's about it.",
    "@lo {He} asked what grade I want in maths. I said a four, just a pass. {He} said we'd work on it.",
]
