"""Focus-group student lines, part C: logistics, what to change, and the
special arrangements (online statistics course, remote volunteers)."""

# Riverside: central caseload, so lots of complaints.
LOG_RIV = [
    "@t06 Mrs. Hallam has got, like, twenty of us, so you get fifteen minutes if you're lucky and it's really rushed.",
    "@nv You get pulled out of lessons for it, which is annoying when it's a lesson you actually need.",
    "@nv Mine's been cancelled three times. Like, you turn up and there's a note on the door.",
    "@t06 It's always in a different room. Last week it was the library, and the week before it was some office I'd never even been in.",
    "@nv I missed half of a science practical for it and then I had to copy it up from someone.",
    "@nv It clashes with PE every single time [laughs]. Which I don't mind, to be fair.",
    "@t06 She's always running late because the person before you overran, so you're sat in the corridor missing your lesson anyway.",
    "@nv There's just not enough time. By the time you've sat down and said hello it's nearly over.",
    "@nv The timetable for it keeps changing. Nobody tells you, you just get a slip in form.",
    "@t06 Honestly I think she's got too many of us. It's not her fault, but it's rushed.",
    "@nv I'd rather it was at lunch than missing lessons, but then you lose your lunch, so...",
    "@t06 Mrs. Hallam is lovely but she's literally run off her feet. You can see it.",
    "@pre @nv We've only had one so far because the other one got cancelled.",
    "@nv It feels rushed. Like {he} has a list and we just go down it.",
    "@post @nv Over the whole year I reckon I had maybe eight proper sessions, because loads got cancelled.",
    "@nv The room thing is a nightmare. Sometimes you go to the wrong one and then you've missed it.",
    "@nv My teachers get annoyed, like, oh, you're going again, and then I've missed the notes.",
    "@post @nv In mocks they just stopped completely for, like, three weeks. No time, apparently.",
    "@nv Double-booked, that happened to me. Me and someone else both turned up at the same time [laughs].",
    "@nv It's, er, it's always in the one subject I actually struggle in. So that's great [laughs]. I've missed loads of it.",
    "@nv They pulled me out of RE for it. I don't mind missing RE [laughs] but my teacher did.",
    "@t06 She said sorry it's so short, but she's got another one straight after. Every time.",
    "@nv You have to chase it up yourself if it gets cancelled, otherwise it just doesn't happen.",
    "@nv There's no time to actually talk properly. It's like speed dating [laughs].",
    "@nv It's the timetable. Like, there's no slot that doesn't clash with something.",
    "@post @nv By the end I stopped going to some because I didn't want to miss more science.",
    "@nv Half the time I forget it's on because it moves about so much. And then I've missed it.",
    "@t06 Fifteen minutes every two weeks isn't really mentoring, is it? It's rushed, it's more like a register.",
    "@lo @nv I got a detention once for being late to science, because the session before ran over and nobody told my teacher I'd been pulled out.",
    "@t06 You can tell she's got no time. She's eating her lunch while she's talking to you sometimes.",
]
# Northfield: built into the timetable, mostly no complaints.
LOG_NF = [
    "It's in tutor time on a Wednesday, so it's just, like, built in. It's easy.",
    "{m} just comes and gets me at the start of registration, it's fine.",
    "We meet in {his} classroom every other week. Same time, same place, so you don't forget.",
    "It's pretty easy. If I need {him} between sessions I just go and find {him}.",
    "It's like once a fortnight, period six. Nobody really notices you're gone.",
    "Honestly it's well organised. {He} sends a reminder on Teams the day before.",
    "It's always the same slot so I just know where I'm going.",
    "{He} teaches me anyway, so sometimes we just have a quick word at the end of the lesson as well.",
    "It's alright. Fifteen, twenty minutes. Enough.",
    "I can catch {him} whenever really. {He}'s always about at lunch.",
    "Easy. It's on a Thursday after lunch, {he} has a free then and so do I, sort of.",
    "It works fine. No complaints, really.",
    "@post It was every two weeks all year, pretty much. It was reliable.",
    "We do it in the little office by the library. It's quiet, which is nice.",
    "It's actually quite convenient, because it's in tutor time I don't lose any lessons.",
    "I'd say it's easier than I expected. You don't have to sort anything out yourself.",
    "@post {He} never really let it slip. Even in mocks we still had a quick one.",
    "Yeah, it's just part of the week now.",
]
NF_MILD = [
    "The only thing is sometimes {he}'s on a cover and then it gets cancelled. But not often.",
    "@post During mocks a couple got missed, but that's understandable.",
    "Sometimes it's a bit rushed if {he}'s got a class straight after.",
    "Once it clashed with a trip, but we just moved it.",
    "Tutor time's only twenty minutes so there's no time for anything big.",
]

CHANGE_NF = [
    "More sessions, honestly. Every two weeks isn't loads.",
    "Maybe let you pick your mentor? Like, I got lucky but some people didn't.",
    "Start it in Year 10. By Year 11 it's a bit late.",
    "I'd get rid of the form you fill in at the start. Nobody reads it [laughs].",
    "Make it a bit more about what we want to talk about, not just what's on the sheet.",
    "@post Keep it the same, to be honest. It worked for me.",
    "Maybe have group ones as well, so you can hear what other people do.",
    "Have more of it before the mocks, like, properly, in January.",
    "Let parents know more about it. My mum didn't even know I had a mentor till February [laughs].",
    "I'd make it optional for people who don't need it. Some people just mess about.",
    "Maybe more help with college applications. That's the stuff nobody really explains.",
    "Honestly nothing massive. Maybe longer sessions.",
]
CHANGE_RIV = [
    "Give Mrs. Hallam some help, honestly. She can't do twenty of us properly, there's no time.",
    "Don't take people out of lessons. Do it in tutor time or something, so you're not missing stuff.",
    "More mentors. Like, every teacher could have two or three of us and it'd be fine.",
    "Stop cancelling them. If it's on, it should be on.",
    "Have a proper room for it that's always the same.",
    "Longer sessions, because fifteen minutes is just rushed.",
    "@post Tell us the timetable at the start of the year and stick to it.",
    "Maybe do more of the video thing, like the volunteers. Then it's not all on one person.",
    "Have it at the same time every week, but rotate it, so you're not missing the same lesson all the time.",
    "I'd want my own mentor, like in a normal school, not a rota where you get whoever's free.",
    "Let us book our own slots, like online. Then it's not clashing with stuff.",
    "Just more time. That's it, really.",
]

# Person-specific lines for the special arrangements, by (student, wave).
SPECIAL = {
    ("S10", "pre"): [
        "Yeah, that's me. I do GCSE statistics online because it's not on at our school. Mr. Whitfield sorted it. He's geography but he's quite into the numbers side, so he kind of gets it.",
        "It's weird doing a course on a laptop, I'd never done a course online before. Mr. Whitfield showed me how the platform works in the first week, like where the videos are.",
        "He does a check-in every week, like, have you done your module, and he records my marks on a spreadsheet so he can see.",
    ],
    ("S10", "post"): [
        "The statistics one, yeah. It's going alright. I fell behind in February and Mr. Whitfield helped me catch up, like he made a plan for which units to do each week.",
        "He sorted the exam as well, the invigilation, because it's not a normal school exam. I'm sitting it in the small hall with someone watching, just me [laughs].",
        "And he emails the online teacher if I'm stuck, Mr. Grant, which is good because he's not always quick replying.",
    ],
    ("S16", "pre"): [
        "I do the statistics GCSE online. Mrs. Hallam checks in with me about it, sort of, when she has time.",
        "My headphones broke in the first week and you can't really do it without them, so Mrs. Hallam got me some from the library. Small thing, but, yeah.",
        "It's fine once you're on it. It's just hard to keep pace on your own, there's no one, like, making you.",
    ],
    ("S16", "post"): [
        "Statistics online, yeah. Mrs. Hallam does a weekly check-in for it, like five minutes, am I on track, have I done the quiz.",
        "She talked to the online teacher when I was behind, and she phoned my mum as well, which I was a bit annoyed about [laughs] but it worked.",
        "The exam's in June and she's sorting out where I sit it and who invigilates, because the school doesn't normally do statistics.",
    ],
    ("S21", "pre"): [
        "I do statistics online. It's alright. I use a laptop in the library for it because ours at home hasn't got the right stuff on it.",
        "Mrs. Hallam showed me how the course works, like where the videos are and how you submit stuff. I'd never done anything online like that.",
        "We're meant to have check-ins but we've only had one because she's busy. I think I'm a bit behind already.",
    ],
    ("S21", "post"): [
        "Online stats is fine. Mrs. Hallam puts my quiz scores in a spreadsheet so she can see if I'm behind.",
        "She's talked to my dad about it a couple of times, and to the course teacher. So it's like she's the link between everyone.",
        "I'm doing the exam in a room on my own with an invigilator. She organised all that.",
    ],
    ("S18", "pre"): [
        "Mine's a volunteer, Dr. Nair. She's a chemist, she works in, like, pharmaceuticals, so they paired me with her because I want to do pharmacy, or maybe medicine.",
        "It's over video, in the library after school. It felt a bit awkward at first, talking to a screen [laughs].",
        "She's nice. I think it'll be good for the science side, I'm not sure about the rest yet.",
    ],
    ("S18", "post"): [
        "Dr. Nair was amazing for chemistry, and she told me loads about what pharmacists actually do. She explained stuff better than- sorry [laughs]- better than some teachers.",
        "A couple of calls got cancelled because the wifi in the library kept dropping, which was annoying.",
        "The only thing is she doesn't really know the school, like she couldn't chase my teachers or anything. So for that I went to Mrs. Hallam.",
    ],
    ("S23", "pre"): [
        "Mine's Mr. Bell. He's an engineer, he works for, like, a rail company. We do it on video every two weeks.",
        "It's good because he actually does the job I want to do. He talks about what maths you really use.",
        "The first call his camera didn't work so it was just his voice [laughs]. It was like a podcast.",
    ],
    ("S23", "post"): [
        "Mr. Bell helped me loads with physics and maths, like past papers and that. And he told me about degree apprenticeships, which I didn't even know existed.",
        "It's on video so it's flexible, we moved it around his work. It never clashed with lessons, which is more than the others can say [laughs].",
        "Sometimes I wished he was actually here though. Like, for the school stuff he can't really do anything.",
    ],
}
# What another student says on hearing about the special arrangement.
SPECIAL_REACT = [
    "Wait, I didn't even know you could do that.",
    "That sounds quite good, actually.",
    "I'd hate doing a whole course on my own [laughs].",
    "Can anyone do that?",
    "That's so much better than ours, honestly.",
    "Oh, is that what you go off to do on Tuesdays?",
    "I thought that was just, like, a club or something.",
    "Lucky. [laughs]",
]
