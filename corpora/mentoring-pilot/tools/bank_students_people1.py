"""Students S01-S12 (Northfield): personal details reused across pre and post.

Fields: v = voice (f fillers, t tics, fp/fs/tp/dp probabilities, y short yeses,
n verbosity 0 terse .. 2 chatty); subj/hard/act/sib fill placeholders in the
shared banks; intro_pre, intro_post, future are this student's own words.
All text plain ASCII, no colons. Fictional.
"""

MENTORS = {
    # id: (name the students use, gender, job for volunteers)
    "T01": ("Mrs. Kaur", "f", ""),
    "T02": ("Mr. Whitfield", "m", ""),
    "T03": ("Ms. Adeyemi", "f", ""),
    "T04": ("Mr. Doyle", "m", ""),
    "T06": ("Mrs. Hallam", "f", ""),
    "T07": ("Mr. Ferreira", "m", ""),
    "V01": ("Dr. Nair", "f", "chemist"),
    "V02": ("Mr. Bell", "m", "engineer"),
}

PEOPLE1 = {
    "S01": dict(
        v=dict(f=["Um,", "I dunno,", "Like,", "Um..."], t=[", I think", ", like"], fp=0.3, fs=0.05, tp=0.25, dp=0.2,
               y=["Yeah.", "Mm.", "Yeah, I think so."], n=0),
        subj="child development", hard="maths", act="the cafe", sib="little sister",
        intro_pre="Um... I'm in Year 11. I do art, English, maths, science, the normal ones, and child development. Child development's my favourite. I've got a little sister, she's in Year 7 here, she's so annoying [laughs]. And on Saturdays I help out at my nan's cafe, like clearing tables and that.",
        intro_post="It's alright. Bit scary 'cause the exams are like next week basically. My sister's been doing my head in, she keeps borrowing my stuff without asking. I'm still at my nan's cafe on Saturdays, she's let me do the till now, so that's good.",
        future="I want to do childcare at college. Level 2, I think, at the one in town. My cousin did it and she works in a nursery now, she loves it.",
    ),
    "S02": dict(
        v=dict(f=["Like,", "Oh my god,", "Honestly,", "So"], t=[", literally", " and stuff"], fp=0.3, fs=0.08, tp=0.35, dp=0.1,
               y=["Yeah, literally.", "Yeah!", "Yeah, a hundred percent."], n=2),
        subj="food tech", hard="maths", act="netball", sib="brother",
        intro_pre="Oh, okay. So I'm doing food tech, PE, geography, and all the core ones. I literally love food tech, Mr. Whitfield doesn't teach me that though, he's geography. I play netball for the school and for a club on Wednesdays. And I babysit my cousins a lot, like they're six and four, so that's chaos [laughs]. My brother's nineteen, he works at the big Tesco.",
        intro_post="Honestly it's been mad. Netball finished, we came second in the league, which was so annoying 'cause we should've won it. And I've been babysitting loads 'cause my auntie's got a new job. And exams are soon, which, yeah. Don't want to think about it.",
        future="I want to go to college and do sport, like sports science or coaching or something. Or be a PE teacher maybe. My brother says I'd be a terrible teacher [laughs] but he's just jealous.",
    ),
    "S03": dict(
        v=dict(f=["Um,", "Erm,", "I mean,"], t=[", I guess", ", sort of"], fp=0.25, fs=0.1, tp=0.25, dp=0.15,
               y=["Yeah, I guess.", "Sort of, yeah.", "Mm, yeah."], n=2),
        subj="drama", hard="science", act="dance", sib="twin brother",
        intro_pre="Um, so I take drama, English lit, history and then the core ones. Drama's my thing, really. I do street dance outside school as well, three nights a week. I've got a twin brother, Callum, he's in the other half of the year so we don't really see each other in lessons, which is probably for the best.",
        intro_post="Busy. Sort of... everything's happening at once? We had our drama practical in March, that went okay I think. Dance has been less 'cause I've cut it down to one night. Callum revises in the kitchen every night with music on, it's a nightmare.",
        future="Sixth form, hopefully. Here, if I get in. English lit, drama and history, or maybe psychology instead of history, I keep changing my mind.",
    ),
    "S04": dict(
        v=dict(f=["Basically,", "Um,", "So"], t=[", basically", " and that"], fp=0.2, fs=0.05, tp=0.2, dp=0.05,
               y=["Yeah.", "Yep.", "Basically, yeah."], n=1),
        subj="business", hard="French", act="the garden centre", sib="step-brother",
        intro_pre="Basically I do business, geography and French, and then maths, English, science. Mr. Doyle is my business teacher actually. I work at the garden centre on Sundays, on the tills mostly, sometimes they put me on the plants. I've got a step-brother, Jay, he's twelve, he lives with us half the week.",
        intro_post="It's fine. Still at the garden centre, it's getting busy now 'cause it's spring, everyone wants bedding plants. Jay's started at this school now so I see him in the corridor and pretend I don't know him [laughs].",
        future="I'm going to do business at college, the Level 3. Or an apprenticeship if I can find one in, like, accounts or admin. My mum does payroll so she reckons that.",
    ),
    "S05": dict(
        v=dict(f=["Erm,", "I mean,", "So"], t=[", obviously", ", if that makes sense"], fp=0.2, fs=0.1, tp=0.3, dp=0.05,
               y=["Yes.", "Yeah, definitely.", "Yeah, exactly."], n=2),
        subj="chemistry", hard="Spanish", act="orchestra", sib="older sister",
        intro_pre="So I'm doing triple science, further maths on top, history and Spanish. I want to do medicine, eventually, obviously that's ages away. I play violin in the county youth orchestra, we rehearse on Saturday mornings. And my sister's at Leeds doing biochemistry, so she's sort of the... the model, in my house.",
        intro_post="Erm, it's fine, it's intense. We had the orchestra concert at Easter, which was amazing, and now I've basically stopped everything else till June. My sister's been sending me her old flashcards, which is helpful, she's very... she's very thorough.",
        future="Sixth form here, biology, chemistry, maths and maybe further maths. And then apply for medicine. I did a bit of work experience at the hospital pharmacy, which wasn't quite medicine but it was something.",
    ),
    "S06": dict(
        v=dict(f=["To be honest,", "Erm,", "Well,"], t=[", to be honest", ", I suppose"], fp=0.2, fs=0.05, tp=0.3, dp=0.1,
               y=["Yeah.", "Pretty much.", "Mm."], n=1),
        subj="art", hard="maths", act="the bakery", sib="little brothers",
        intro_pre="I do art, English, history, and the usual. Art takes up most of my life to be honest, the sketchbook is enormous. I work Saturdays at the bakery on the high street, I start at seven, which is brutal. Two little brothers, eight and ten, so home's quite loud.",
        intro_post="Tired [laughs]. Art's finished, we had the ten-hour exam thing in April, so that's done, which is a massive weight off. Still at the bakery. My brothers have discovered football so the garden is just destroyed.",
        future="A-levels. Art, English lit and history, probably. Then maybe an art foundation year, I don't know. My parents want me to do something sensible but, yeah.",
    ),
}

PEOPLE1.update({
    "S07": dict(
        v=dict(f=["Er,", "Like,", "Dunno,"], t=[", innit", " and that"], fp=0.2, fs=0.05, tp=0.35, dp=0.05,
               y=["Yeah.", "Yeah.", "Yeah, innit."], n=0),
        subj="construction", hard="English", act="football", sib="older brother",
        intro_pre="Construction, PE, engineering. And English and maths and that. I play Sunday league, for the Rovers. My brother's a plumber, he's doing his apprenticeship. That's it really.",
        intro_post="Alright. Season's nearly done. We got to the cup final but lost on penalties. Bare annoying. Been working with my brother a bit on Saturdays, carrying stuff and that.",
        future="Apprenticeship. Plumbing or electrics. My brother's boss said he might take me on if I get my maths.",
    ),
    "S08": dict(
        v=dict(f=["To be fair,", "Like,", "Um,"], t=[", to be fair", ", like"], fp=0.25, fs=0.08, tp=0.3, dp=0.1,
               y=["Yeah.", "Yeah, to be fair.", "Yeah, yeah."], n=1),
        subj="motor vehicle", hard="English", act="the car wash", sib="baby sister",
        intro_pre="So I do the motor vehicle course, that's at the college on Wednesdays, and then here I do PE and geography and the core ones. I help my uncle at his car wash after school sometimes, he gives me a bit of money. I've got a baby sister, she's one, she's just started walking, it's jokes.",
        intro_post="Yeah, good to be fair. Finished the college bit, I passed my practical. My sister's running about everywhere now. Still at the car wash, my uncle's got me doing the valeting inside the cars now, so that's more money.",
        future="Mechanic. I'm going to do Level 2 motor vehicle at college full time. I already know the tutors from Wednesdays so that's good.",
    ),
    "S09": dict(
        v=dict(f=["Um,", "Basically,", "Like,"], t=[", kind of", ", basically"], fp=0.25, fs=0.08, tp=0.25, dp=0.1,
               y=["Yeah.", "Kind of, yeah.", "Yeah, basically."], n=1),
        subj="computer science", hard="geography", act="work", sib="older sister",
        intro_pre="Um, computer science, geography, PE, and then the normal stuff. I'm kind of into gaming, like I build PCs, I built my own one over the summer. I work Friday nights at an Italian place, washing up, kitchen porter they call it. My sister's at college doing beauty.",
        intro_post="Kind of busy. I've done fewer shifts at the restaurant since Easter. Computer science went alright, the programming project's all done. Geography is the one I need to sort out, basically.",
        future="College for IT, or maybe stay here for sixth form and do computer science A-level. I kind of want to do games design but everyone says that, so.",
    ),
    "S10": dict(
        v=dict(f=["I mean,", "Er,", "So"], t=[", really", ", I mean"], fp=0.2, fs=0.1, tp=0.2, dp=0.05,
               y=["Yes.", "Yeah.", "Yeah, that's right."], n=1),
        subj="maths", hard="history", act="cricket", sib="younger brother",
        intro_pre="I do maths, computing, geography, history. And I'm doing statistics as well, but that's an online course, because the school doesn't do it as a GCSE. I play cricket in the summer, for the town juniors. I do a paper round every morning, six till seven. And I've got a younger brother in Year 8.",
        intro_post="It's okay. Cricket's starting again, but I've told them I can't do much till after June. Still doing the paper round, it's actually quite good, it wakes me up. My brother's got into chess and wants to play me every night.",
        future="Sixth form, maths, further maths, computing. Maybe economics. I'd like to do something with data, which is partly why I did the stats.",
        online_pre=[
            "Yeah, it's through an online school thing, there's a teacher who does live lessons on a Tuesday evening and then the rest is videos and quizzes on the platform. I'd never done a course online before, so at the start I was a bit lost, to be honest.",
            "Mr. Whitfield sorted a lot of it. He showed me how the platform works, got me a school laptop 'cause ours at home is ancient, and he reset my password about three times [laughs]. He does a weekly check-in on Fridays, like ten minutes, just to see where I am. And he emailed my mum and dad so they knew what it was.",
        ],
        online_post=[
            "It's nearly done. I fell behind a bit in February when we had mocks, like two units behind, and Mr. Whitfield helped me catch up, we made a little plan week by week. He keeps a spreadsheet of my quiz scores from the platform, so he can see if I'm on track.",
            "And for the actual exam, because it's not a subject the school does, he had to sort out the invigilation with the exams officer, so I'm sitting it here in the small hall. He's been emailing the online teacher as well, Mr. Grant, about the dates. My mum was really pleased he dealt with all that.",
        ],
    ),
    "S11": dict(
        v=dict(f=["Erm,", "Well,", "I mean,"], t=[", I suppose", ", in a way"], fp=0.2, fs=0.08, tp=0.25, dp=0.05,
               y=["Yes.", "Yes, I think so.", "Broadly, yes."], n=2),
        subj="physics", hard="English", act="debating", sib="older brother",
        intro_pre="I take triple science, further maths, Latin, which is after school, and computer science. I'm in chess club and debating. My brother's in Year 13, he's applying for physics at university at the moment, so the house is very... UCAS-focused.",
        intro_post="Fine, I suppose. Debating finished with the regional round, we lost in the semi-final on a motion about social media, which I still think we were right about. My brother got his offers, so he's unbearable now [laughs].",
        future="Sixth form. Maths, further maths, physics, chemistry. Possibly drop chemistry. Then something like physics or engineering at university, but that's a long way off.",
    ),
    "S12": dict(
        v=dict(f=["Yeah no,", "To be fair,", "I mean,"], t=[", to be fair", ", yeah"], fp=0.2, fs=0.05, tp=0.3, dp=0.05,
               y=["Yeah.", "Yeah, definitely.", "Yeah no, for sure."], n=1),
        subj="history", hard="maths", act="rugby", sib="sister",
        intro_pre="History, English, RS and then the core. I play rugby for the school and for the club, fly-half. I referee the under-nines on Saturday mornings as well, you get paid a bit for that. My sister's in Year 9, she's fine, we just ignore each other mostly.",
        intro_post="Yeah, not bad. Rugby season's over, we got to the county semi. I'm still reffing the little ones, it's actually quite funny. Sister's still in Year 9 [laughs]. Yeah. Revising.",
        future="A-levels here, history, English lit, politics. I'd like to do law, maybe, or history at uni. My dad's a solicitor so there's a bit of pressure there, to be fair.",
    ),
})
