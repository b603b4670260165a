"""One remembered moment per student and wave, in the student's own words
(asked as "Is there a session that sticks in your mind?").  Neutral: no theme
keywords, so the planted rates are carried by the shared banks.  Fictional."""

STORIES = {
    ("S01", "pre"): "Um... the first one, I didn't want to go, I nearly didn't. But she had biscuits out and she asked about my nan's cafe, and she said she used to work in a cafe when she was my age, in Leicester. So we talked about that for ages. And then at the end she said, see you in two weeks, and I was like, okay. It was alright.",
    ("S01", "post"): "There was one in February, I'd had a really bad week, I'd fallen out with my best friend and I didn't want to talk. And she didn't make me. She just said we could sit there and do nothing if I wanted. And then after about ten minutes I just told her everything [laughs]. I don't know why. She's got a way of doing that.",
    ("S02", "pre"): "Oh my god, okay, so the first session, I went to the wrong place, I went to the sports hall 'cause I thought that's where he said, and he was waiting in geography. So I turned up like ten minutes late and he just laughed. He said at least I was keen. And then we talked about netball 'cause he used to coach girls' netball at his old school, which I didn't know. That was literally the whole session.",
    ("S02", "post"): "Honestly the best one was after the mocks. I'd done so badly in maths, like properly badly, and I was ready to just give up on it. And he got the paper out and showed me that most of what I'd lost was silly stuff, like not showing working. He was like, this isn't you not knowing it, this is you going too fast. And I was like, oh. Okay then.",
    ("S03", "pre"): "The first one, she asked me to describe myself in three words, which was so awkward. I said, um, loud, tired and dramatic [laughs]. And she said she'd have said the same about herself at my age. She did drama at uni, apparently, so we talked about the school play for a bit. I think she's going to come and see it.",
    ("S03", "post"): "There's one that sticks out. In March, just before the drama practical, I came in and I just started crying, like out of nowhere. And she just passed me the tissues and waited. Then she got me to do my monologue for her, just for her, right there. And it went fine. And then the real one went fine too.",
    ("S04", "pre"): "He asked me what I'd do if I ran a business, like for real. And I said a garden centre, obviously [laughs], and he actually got into it, like how much stock you'd need, what you'd charge for stuff. It was more like a business lesson than mentoring, but I didn't mind. It was quite fun actually.",
    ("S04", "post"): "When Jay started here, my step-brother, he had a bit of a hard first week, some kids were being idiots to him. And I was dealing with that as well as everything else. Mr. Doyle sorted it with Jay's head of year really quickly. He didn't have to, it's not even his job. I appreciated that.",
    ("S05", "pre"): "Erm, there was a moment in the second session where she asked me what I do for fun, and I genuinely couldn't answer, apart from violin, which is sort of work too. And she just wrote it down and said, we'll come back to that. Which was slightly alarming [laughs].",
    ("S05", "post"): "She came to the orchestra concert at Easter. I didn't even know she was coming, I just saw her in the audience. I think that was the moment it stopped being just a school thing, if that makes sense. Like, she'd actually given up her Saturday for it.",
    ("S06", "pre"): "He asked to see my sketchbook. Which nobody apart from my art teacher ever asks. And he actually went through it properly, asked about the pieces. He's a geography teacher so he knows nothing about art [laughs] but he asked good questions. So that's the one I remember.",
    ("S06", "post"): "The week before the art exam. I was doing, um, three things at once basically, the bakery, looking after my brothers, finishing my prep. And he sat me down and we worked out what I could drop for two weeks. I dropped the bakery, they were fine about it. It's obvious in hindsight, but I needed someone to say it.",
    ("S07", "pre"): "Dunno. She asked about football. I told her about the Rovers. She's a Villa fan, so [laughs]. We talked about construction as well. Her dad was a builder, so she knows a bit. That's about it.",
    ("S07", "post"): "When I got sent out of English in January. Like, properly kicked out. She came and found me. She didn't shout or nothing, she just asked what happened. Then she went and talked to my English teacher and it got sorted. I said sorry and that. Would've been a detention otherwise.",
    ("S08", "pre"): "He asked what I do at college on Wednesdays and I told him about the engines and that. He didn't really know anything about cars, to be fair, so I was sort of teaching him [laughs]. That was a bit funny. He wrote some of it down like he was going to remember it.",
    ("S08", "post"): "When my sister was in hospital, in November, she had like a chest infection, it was quite bad. I wasn't in school for a few days. And when I came back Mr. Doyle had already sorted stuff with my teachers, so I didn't get in trouble for anything. He just asked how she was. She's fine now.",
    ("S09", "pre"): "Um, she asked me to show her a game I like, on my phone. And she was so bad at it [laughs]. But it was kind of a good way to start, 'cause after that it wasn't awkward. Then we talked about computer science and what jobs there are with it.",
    ("S09", "post"): "There was one where we just looked at college websites together, for like the whole session. I'd been putting it off for ages. By the end I'd found the IT course at the college in town and booked an open evening. Kind of a big deal for me, 'cause I'm bad at doing stuff like that.",
    ("S10", "pre"): "The first proper session was mostly about the stats course, to be honest, sorting out the technical side of it. Then at the end he asked about cricket and it turned out he plays for a village side. So now we talk about cricket every session, for the first five minutes at least.",
    ("S10", "post"): "I think when he came in at seven in the morning so I could do a practice stats paper in the library, before school, because there was nowhere quiet to do it otherwise. He didn't have to do that. I bought him a coffee after [laughs].",
    ("S11", "pre"): "She asked me what I'd change about the school if I could, which I suppose was a test of some kind. I gave quite a long answer about the library. She said I should take it to the school council. I haven't, yet.",
    ("S11", "post"): "In the spring I was doing debating, Latin, chess and revision, and I think she could see I was spreading myself too thin. She asked me to write down everything I did in a week, hour by hour. It was quite an eye-opener. I dropped chess, which I was surprised to find I didn't mind.",
}

STORIES.update({
    ("S12", "pre"): "He asked me what I want to be, and I said a lawyer, and he asked why, and I actually didn't have an answer apart from my dad. That was a bit of a moment, to be fair. He didn't push it, he just said think about it. So I am.",
    ("S12", "post"): "When I got concussed playing rugby in February I was off for a week and then I couldn't look at screens for a bit. He sorted out paper copies of everything from my teachers. Small thing, but it meant I didn't fall miles behind.",
    ("S13", "pre"): "Um, the first time, she asked about my brothers, 'cause she knew I pick them up. And she said if I'm ever late because of them, to just tell her and she'll sort it with my head of year. No one's ever said that before. Usually I just get a late mark.",
    ("S13", "post"): "When my mum was working nights in January I was basically doing everything at home. And she noticed I was falling asleep in lessons. She got me on the breakfast club thing in the mornings, and she talked to my mum. Things are better now. My mum's on days again.",
    ("S14", "pre"): "He asked about the baby, 'cause I had a picture of her as my lock screen. And we talked about her for literally ten minutes. He's got a little girl as well. So that was nice, honestly. Not what I expected from a mentoring thing.",
    ("S14", "post"): "Honestly when I got my merit from college, he was the first person I told at school. And he went and told the head, and I got a certificate in assembly. Literally never had one of those before. My sister put it on the fridge.",
    ("S15", "pre"): "Um, she asked me what I do to relax, and I said music, and she asked me to bring something I'd sung. So I played her a recording from church on my phone. She went quiet and then she said that was beautiful. I guess I didn't expect that.",
    ("S15", "post"): "In April, after the spring concert, she sent me an email on the Monday saying someone from the choir had told her how it went. I don't even know how she found out. It sounds small, but I kept that email.",
    ("S16", "pre"): "The first time I met her was actually about the stats course, in the library, with the other two who are doing it. She was sorting out all our details. So I didn't really think of it as mentoring at first, it was more admin. The proper one was after that.",
    ("S16", "post"): "When my brother was away and my mum was having a hard time with it, I talked to Mrs. Hallam about it. She told me her dad was in the navy when she was little, so she kind of got it. I don't talk about that stuff much, but she was good about it.",
    ("S17", "pre"): "She found me a contact at a vet's practice for work experience, which I'd been trying to sort for ages. She just rang them. That was in the first couple of weeks, so I was quite impressed, like, okay, this is useful.",
    ("S17", "post"): "Probably when she helped with my sixth form application. The personal statement bit, she read it and said it sounded like everyone else's. Which was harsh [laughs], but true. I rewrote it about the rescue, and it was way better.",
    ("S18", "pre"): "In the first call she showed me round her lab, on the camera, like walking round with the laptop. She showed me the machines and what they do. It was actually really cool. It made chemistry seem real, like a real job, not just a subject at school.",
    ("S18", "post"): "There was a call in March where she told me about failing an exam at university, and retaking it, and how it turned out fine. I didn't expect that from someone like her, with a doctorate and everything. I think about that quite a lot.",
    ("S19", "pre"): "He asked about boxing. He used to box. Not proper, just at uni. He showed me a video of him fighting. He was rubbish [laughs]. We talked about that for a bit. It was alright.",
    ("S19", "post"): "When I nearly got excluded, in November. Fight outside school. He came to the meeting with my dad. Spoke up for me. I got a warning instead. Dunno what would've happened without him, to be honest.",
    ("S20", "pre"): "She asked what I'd cook her if she came to my auntie's. I said chicken curry, obviously. She said she'd come. She hasn't yet [laughs]. But it was good 'cause I could talk about food, which I like.",
    ("S20", "post"): "After the catering practical she asked for a picture of the tart. Then she put it up on the board in the hub with my name on. That was a bit embarrassing but also, yeah, I liked that, to be honest.",
    ("S21", "pre"): "To be fair the first one was mostly just sorting out the stats stuff with her and the other two. Like passwords and that. The one after, she asked me about the band and I showed her a video. She said we were good, but I think she was being nice [laughs].",
    ("S21", "post"): "In March I was basically thinking about dropping the stats course. I was so far behind. And she didn't tell me what to do, she just made me write down the pros and cons. I stayed on it in the end. I'm glad, I mean, I think.",
    ("S22", "pre"): "She asked what I'd be doing if I wasn't in school. I said BMX, obviously. And she actually knew the skate park, her son goes there. So that was a bit weird [laughs]. But it was alright, yeah.",
    ("S22", "post"): "After I broke my wrist she sorted out a scribe for my mocks, like someone to write for me. I didn't even ask, she just did it. Otherwise I'd have had to do them left-handed, which would've been a disaster.",
    ("S23", "pre"): "In the second call he showed me a drawing of a part he was designing for a train, like the actual engineering drawing. And I asked about something on it that I didn't understand, and he said that was a good question. I don't know if he was just being nice. It was interesting though.",
    ("S23", "post"): "He arranged for me to have a call with one of his apprentices, who's only nineteen. That was probably the most useful thing all year, I suppose. Hearing what an apprenticeship is actually like from someone who's doing it.",
    ("S24", "pre"): "Frankly, the first session was mostly her reading things off a form. Attendance, behaviour points, that sort of thing. I understand why, but it wasn't exactly inspiring. The second one was better, we talked about politics for a bit.",
    ("S24", "post"): "She got me a place on a university taster day in March, for history. I wouldn't have known it existed. That was probably the high point. It made the whole thing seem a bit more real.",
})

EXTRA_BANKS = {
    "x_fav": ((), [
        "{subj}, easily. It's the only one where I actually want to be there.",
        "Probably {subj}. The teacher's good and it's, like, practical, you actually do stuff.",
        "Um, {subj}, I think. I've always liked it, since primary.",
        "{subj}. I'm not saying I'm amazing at it but I like it.",
        "{subj}, 'cause it's the one I'd actually do after school.",
        "I'd say {subj}. It just makes sense to me, more than other stuff.",
        "Honestly? {subj}. And lunch [laughs].",
        "{subj}. We've got a really good group in that class, everyone's quite chill.",
    ]),
    "x_before_pre": ((), [
        "No. In primary there was a lady who took some of us out for reading, but that's not really the same.",
        "Not really. My mate's brother had one, he said it was alright.",
        "No, this is the first. I didn't really know what it was till September.",
        "Sort of. In Year 8 I had a buddy, like a sixth former, but we only met twice.",
        "No. I thought it was something you only got if you were in trouble [laughs].",
        "Never. It's new to me. I'm still working out what it is, to be honest.",
        "My cousin had one at her school, so I knew a bit about it. But not me, no.",
        "No. Well, there was a careers person in Year 10, but that was one meeting.",
    ]),
    "x_compare_post": ((), [
        "Way harder. Like, everything counts now. But I've actually done more work, so.",
        "Busier. I think I've grown up a bit, sort of.",
        "In Year 10 I didn't really try. This year I had to. It's been a shock [laughs].",
        "Pretty similar, honestly, just more exams.",
        "Better, weirdly. I know what I'm doing after, so it's easier to just get on and do it.",
        "More intense. Every lesson is about the exam. You can't really mess about any more.",
        "It's gone so fast. It was October like five minutes ago.",
        "Harder, but I've done better. I didn't think I would.",
    ]),
    "x_mocks_post": ((), [
        "Some good, some not. {subj} was fine. {hard} was a disaster [laughs].",
        "Better than I thought. Not amazing. But better.",
        "Honestly, not great. But it was a wake-up call, so that's something.",
        "Mixed. I did well in the ones I revised for, which, yeah, shows something.",
        "Okay. I was ill for one of them, so that didn't help.",
        "Actually really well in {subj}. I was proper shocked.",
        "Um, they were alright. {hard} I need to sort out, everyone knows that.",
        "They went fine, I think. I don't remember half of it now [laughs].",
    ]),
}

EXTRA_INT = {
    "story_pre": ["Is there a session so far that sticks in your mind?", "Can you tell me about one meeting that stands out?",
                  "Has anything happened in the mentoring that you remember particularly?", "Tell me about a moment from the sessions so far."],
    "story_post": ["Is there a moment from this year that really sticks out?", "If you had to pick one session from the year, which would it be?",
                   "Can you tell me about a time the mentoring made a difference?", "What's the thing you'll remember most from the mentoring?"],
    "fav": ["What's your favourite subject?", "Which subject do you enjoy most?", "What's the best bit of school for you?",
            "And which one do you like most?"],
    "before_pre": ["Have you had anything like mentoring before?", "Had you heard of mentoring before this year?",
                   "Is this the first time you've had a mentor?", "Have you done anything like this before, e.g. in Year 9 or 10?"],
    "compare_post": ["How has Year 11 compared to Year 10 for you?", "How's this year been compared with last year?",
                     "What's been different about Year 11?", "Has this year felt different from Year 10?"],
    "mocks_post": ["How did the mocks go?", "What happened with your mocks?", "Did the mocks go the way you expected?",
                   "And the mocks, how were they?"],
}
TAILS = ["So, yeah.", "If that makes sense.", "That's about it.", "I don't know.", "Yeah.", "So.", "Yeah, so.", "Anyway."]

# Interviewer framing: short bridges before a new question, and a sentence of
# context before some topics (interviewer turns are not counted for themes).
INT_BRIDGE = [
    "Okay, thanks.", "Right, that's really helpful.", "Great. So, moving on a bit.", "Okay. Thank you.",
    "Thanks, that's interesting.", "Mm-hm. Right, so, next thing.", "Okay, lovely.", "That makes sense.",
    "Brilliant. Okay, so.", "Right. Okay.", "Mm. Thanks for that.", "Okay, good.", "Sure, okay.",
]
INT_CONTEXT = {
    "target": ["Some schools in the project use targets quite a lot and some hardly at all, so there's no right answer here.",
               "I'm asking everyone this one.", "This is something the schools were interested in."],
    "logi": ["We're trying to find out how the practical side works, because it's quite different in different schools.",
             "This is a bit of a boring one, sorry [laughs].", "I want to ask about the nuts and bolts for a minute."],
    "rel": ["This one's a bit more personal, so you don't have to answer if you don't want to.",
            "And remember, none of this goes back to {name}.", "I'm interested in the people side of it now."],
    "better": ["This is your chance to be critical, nobody will know it was you.",
               "Don't worry about being polite here.", "Honestly, anything, big or small."],
    "help": ["Thinking about everything you've done with {name} so far.", "I'm trying to get at what difference it makes."],
    "story": ["I always ask this one, it's often the most interesting bit.", "It can be anything, big or small."],
}

EXTRA_BANKS.update({
    "x_evening": ((), [
        "Get home, eat, bit of {act}, bit of my phone. Revision if I'm being good [laughs].",
        "Honestly, it depends on the day. Some days it's {act}, some days it's family stuff. It's pretty full on.",
        "I get in about four, then I'm on my phone for way too long, then tea, then I try to do a bit of {hard}. Try.",
        "Mostly {act}. That's most nights. Then I'm knackered, so I just go to bed.",
        "Quite boring. Tea, telly, bed. Sometimes I go round my mate's.",
        "Um, there's always something. {act}, family stuff. I don't really get evenings off.",
        "I do a bit of work, then I'm on the Xbox with my mates, then bed. It's not very exciting [laughs].",
        "Depends. Some nights it's {act} and that's the evening gone. Other nights I actually get stuff done.",
    ]),
    "x_school": ((), [
        "It's alright. Some lessons are good, some are long. Same as anyone, I guess.",
        "Better than last year. I've got better sets, and my friends are in most of my lessons.",
        "Honestly, tiring. There's just loads of it. But it's alright.",
        "I quite like school, to be honest. Don't tell anyone [laughs].",
        "It's fine. I'm just ready to leave now. Like, I'm done with it.",
        "Up and down. Some weeks are good, some weeks I just want to stay in bed.",
        "It's okay. The people are the best bit. The lessons, not so much.",
        "I don't mind it. It's better since Year 9, Year 9 was awful.",
    ]),
    "x_say_post": ((), [
        "Thanks, I suppose. And sorry for always turning up late [laughs].",
        "Just thank you. {He} didn't have to do all that.",
        "Um... I'd say {he} was right about most stuff. Don't tell {him} I said that.",
        "Probably, you were better than I thought you'd be. Which sounds rude, but it's not meant to be.",
        "I'd tell {him} how the exams went. Well, when I find out.",
        "Cheers, basically. And good luck with next year's lot.",
        "That it helped. Even when it didn't look like it was helping.",
        "I don't know. Thanks? I'm not good at that stuff [laughs].",
    ]),
})
EXTRA_INT.update({
    "evening": ["What does a normal evening look like for you at the moment?", "What do you do after school, usually?",
                "Talk me through a typical evening.", "What's the rest of your week like, outside school?"],
    "school": ["How do you find school in general at the moment?", "How's school going generally?",
               "And school overall, how are you finding it?", "How would you say school's going, generally?"],
    "say_post": ["If you could say one thing to {name} now, what would it be?", "What would you want to say to {name}, looking back?",
                 "Is there anything you'd want {name} to know?", "If {name} was listening to this, what would you tell {him}?"],
})

EXTRA_BANKS["x_story_after"] = ((), [
    "I think it showed me {he} was actually bothered. Like, it wasn't just a job for {him}.",
    "Honestly, it changed how I saw the whole thing. After that I didn't mind going.",
    "It made it easier to say stuff, after that. Like the ice was broken.",
    "Not loads, maybe. But I remember it, so it must have mattered a bit.",
    "I started actually looking forward to the sessions. Which I never thought I'd say [laughs].",
    "It was a bit less like school after that, if that makes sense.",
    "I suppose it made me realise {he}'d actually thought about me. Not just read my file.",
    "It made me want to make more effort, in the sessions and in lessons, sort of.",
])
EXTRA_INT["story_after"] = ["And what difference did that make?", "Why do you think that one stuck with you?",
                            "How did that change things, if it did?", "What did that mean to you?"]
