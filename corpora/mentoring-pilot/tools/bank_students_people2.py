"""Students S13-S24 (Riverside): personal details reused across pre and post.

Same fields as bank_students_people1. S16 and S21 take the online statistics
course (online_pre / online_post answers); S18 and S23 meet volunteer mentors
V01 and V02 over video calls. Fictional.
"""

PEOPLE2 = {
    "S13": dict(
        v=dict(f=["Like,", "Um,", "I dunno,"], t=[", innit", ", like"], fp=0.3, fs=0.06, tp=0.3, dp=0.15,
               y=["Yeah.", "Yeah, innit.", "Mm."], n=0),
        subj="art", hard="science", act="the boys", sib="little brothers",
        intro_pre="Um, I do child development, art, and English and maths and science. I like art. I've got two little brothers and I do a lot for them, like I take them to school and pick them up 'cause my mum works early. I do nails for my mates sometimes, I'm proper good at it.",
        intro_post="It's alright. The boys are alright, the little one's started reception so I only do one drop off now. Still doing nails, I've got a little Instagram for it now [laughs]. Exams are coming, innit.",
        future="Beauty at college. Or childcare. Probably beauty, 'cause I'm already doing nails.",
    ),
    "S14": dict(
        v=dict(f=["Honestly,", "Like,", "So"], t=[", literally", ", honestly"], fp=0.3, fs=0.1, tp=0.3, dp=0.1,
               y=["Yeah.", "Literally, yeah.", "Yeah, honestly."], n=2),
        subj="textiles", hard="maths", act="the chippy", sib="older sister",
        intro_pre="So I do textiles, maths, English, science, and hair and beauty at the college on Fridays. I work at the chip shop on Thursdays and Saturdays. My sister's twenty, she's got a baby, so I'm an auntie, which is literally the best thing ever.",
        intro_post="Honestly it's been a lot. The baby's one now, she's literally walking, I'm obsessed. Still at the chippy. And the college bit's done, I got a merit.",
        future="Hair at college, Level 2 and then Level 3. I want my own salon eventually. My sister says she'll be my first customer.",
    ),
    "S15": dict(
        v=dict(f=["Um,", "Erm,", "I mean,"], t=[", I guess", ", if that makes sense"], fp=0.2, fs=0.08, tp=0.2, dp=0.1,
               y=["Yes.", "Yeah, I think so.", "Mm-hm."], n=1),
        subj="biology", hard="maths", act="choir", sib="little sister",
        intro_pre="I do biology, music, psychology and the core subjects. I sing, like, in a choir at church, and I do piano. I've got a little sister who's five. I don't have a job yet, my mum wants me to focus on school.",
        intro_post="It's going okay, I guess. We had the choir's spring concert, I did a solo, which was... yeah, it was good. My sister's six now, she's learning to read, so I help her with that most evenings.",
        future="Sixth form, biology, psychology and music. I'd maybe like to be a midwife or something like that, or a music therapist. I read about that, it sounds really interesting.",
    ),
    "S16": dict(
        v=dict(f=["So", "Um,", "Like,"], t=[", kind of", ", really"], fp=0.2, fs=0.06, tp=0.25, dp=0.05,
               y=["Yeah.", "Yeah, kind of.", "Yep."], n=1),
        subj="geography", hard="English", act="hockey", sib="older brother",
        intro_pre="So I do maths, geography, PE, and I'm doing statistics online, 'cause it's not a GCSE the school does, but Mrs. Hallam found this online course. I play hockey for a club in town. My brother's in the army, he's in Germany at the moment, so I don't see him much.",
        intro_post="Pretty good actually. Hockey's finished for the season, we won the league. My brother came back on leave at Easter, which was really nice, we went to the coast. And now it's just revision, kind of all day.",
        future="Sixth form, geography, maths and maybe PE. I kind of want to do something outdoors, like environmental stuff, or the army like my brother, I don't know yet.",
        online_pre=[
            "Yeah, so it's like... you log in on the platform and there's videos and then tests, and a live lesson on Wednesdays after school with Mr. Grant, who's the online teacher. I'd never done anything online like that, school-wise, so it was kind of weird at first.",
            "Mrs. Hallam did this induction thing with me and the other two, she showed us round the platform and what to click on. She got me headphones from the library 'cause mine were broken. She's meant to do a check-in every week, but, um, that doesn't always happen.",
        ],
        online_post=[
            "It's nearly finished, there's just the exam. I got quite behind in January, and Mrs. Hallam sat down with me and we worked out how to catch up, like two videos a night. She records my marks from the tests in this spreadsheet and sends it to my mum, which is a bit much [laughs] but it did help.",
            "She also had to sort out someone to invigilate the exam, 'cause it's on a different day from everyone else's. She was talking to the online teacher about it for ages. So yeah, she's been good for that side of it.",
        ],
    ),
    "S17": dict(
        v=dict(f=["Like,", "Um,", "I mean,"], t=[", like", ", so"], fp=0.2, fs=0.06, tp=0.2, dp=0.1,
               y=["Yeah.", "Yeah, definitely.", "Mm, yeah."], n=1),
        subj="biology", hard="Spanish", act="the rescue", sib="cousin",
        intro_pre="I do triple science, maths, Spanish, and geography. I want to be a vet, so, like, science is the main thing. I volunteer at an animal rescue on Sundays, mainly cleaning out kennels, it's not glamorous [laughs]. I'm an only child, but my cousin basically lives at ours.",
        intro_post="It's okay. I've been doing fewer Sundays at the rescue, just one a month now. We had the Spanish speaking exams last month. That went better than I thought it would.",
        future="A-levels, biology, chemistry, maths. Then vet school, hopefully, which is really competitive, so.",
    ),
    "S18": dict(
        v=dict(f=["Um,", "So", "I think"], t=[", I think", ", if that makes sense"], fp=0.2, fs=0.08, tp=0.25, dp=0.05,
               y=["Yeah.", "Yes, I think so.", "Yeah, definitely."], n=1),
        subj="chemistry", hard="RS", act="tutoring", sib="sister",
        intro_pre="I'm doing chemistry, biology, physics separately, maths, and RS. I want to do pharmacy, I think, or maybe medicine. I tutor a Year 7 girl in maths on Thursdays, she's my mum's friend's daughter. My sister's in Year 13, she's doing chemistry too, so we argue about it [laughs].",
        intro_post="Good, I think. I'm still tutoring, the girl I tutor is doing really well actually. My sister's got her offer for pharmacy at Nottingham, so now I'm definitely not doing pharmacy [laughs]. No, I'm joking. Maybe.",
        future="Sixth form here, chemistry, biology and maths. And then pharmacy or medicine. Dr. Nair told me a lot about what pharmacists actually do, which helped.",
    ),
}

PEOPLE2.update({
    "S19": dict(
        v=dict(f=["Er,", "Like,"], t=[", innit", " and that"], fp=0.2, fs=0.04, tp=0.3, dp=0.05,
               y=["Yeah.", "Safe.", "Yeah, innit."], n=0),
        subj="PE", hard="English", act="boxing", sib="brothers",
        intro_pre="PE, construction, media. And the other ones. I box, at a gym near mine, four nights a week. Got three older brothers. I help my dad on his market stall on Saturdays, fruit and veg.",
        intro_post="Safe. Had my first proper bout in March. Won it [laughs]. Still on the stall with my dad on Saturdays.",
        future="Construction at college. Bricklaying. My brother's a brickie, he says it's good money.",
    ),
    "S20": dict(
        v=dict(f=["To be honest,", "Like,", "Um,"], t=[", to be honest", ", like"], fp=0.25, fs=0.06, tp=0.3, dp=0.1,
               y=["Yeah.", "Yeah, to be honest.", "Yeah, yeah."], n=1),
        subj="catering", hard="science", act="football", sib="twin sister",
        intro_pre="I do catering, PE, English, maths, science. I like catering, I'm proper good at it. I play football for the school team, centre back. I help out in my auntie's takeaway on Fridays. I've got a twin sister but she goes to a different school.",
        intro_post="Alright, to be honest. The catering practical's done, I made a curry and a lemon tart, got told it was the best one in the group. Football's finished. Still at my auntie's on Fridays.",
        future="Chef. I want to do catering at college and then work in a proper restaurant. Maybe in London.",
    ),
    "S21": dict(
        v=dict(f=["Basically,", "I mean,", "Um,"], t=[", basically", ", I mean"], fp=0.25, fs=0.08, tp=0.25, dp=0.05,
               y=["Yeah.", "Basically, yeah.", "Yeah, I mean, yeah."], n=1),
        subj="business", hard="history", act="the band", sib="younger sister",
        intro_pre="So I do maths, business, history, and statistics, which is an online course 'cause the school don't do it. I play drums in a band with my mates, we're called... actually I won't say [laughs]. My sister's in Year 9. I do a paper round, evenings.",
        intro_post="Basically fine. The band did our first gig, at a cafe in town, like twenty people came, mostly parents. Still doing the paper round. My sister's being a pain, as usual.",
        future="College, business and maybe music tech. Or sixth form. I haven't decided, basically, I've applied to both.",
        online_pre=[
            "It's basically videos and worksheets on this website, and you do a quiz at the end of each topic. There's an online teacher, Mr. Grant, you can message him. I mean it's alright, it's just different from normal lessons.",
            "Mrs. Hallam did like an induction, she showed me how it works, how to submit stuff. My laptop at home didn't have the right thing so she let me use one in the library. And she's supposed to have a check-in with me every week but, I mean, she's really busy, so.",
        ],
        online_post=[
            "I was behind for ages, I basically forgot about it over Christmas. So she made me do like a catch up plan and she looks on the platform every Friday to see if I've done the quizzes. She keeps my scores on a spreadsheet, which she showed my dad at parents' evening.",
            "And the exam, she's sorted the invigilation, it's in June, on its own. She talks to the online teacher about all that. To be fair she's been good with that side of it.",
        ],
    ),
    "S22": dict(
        v=dict(f=["Yeah no,", "Um,", "Like,"], t=[", kind of", ", yeah"], fp=0.2, fs=0.05, tp=0.25, dp=0.1,
               y=["Yeah.", "Yeah no, yeah.", "Kind of."], n=1),
        subj="geography", hard="English", act="BMX", sib="step-sister",
        intro_pre="Geography, PE, computer science. Plus maths and that. I ride BMX, at the skate park mostly, pretty much every day. I work with my grandad on a Sunday, he does car boots, selling old tools and stuff. Got a step-sister, she's in Year 10.",
        intro_post="Yeah no, good. Broke my wrist in February at the skate park [laughs], so that was fun, had to write with my left hand for a bit. It's fine now. Still doing the car boots with my grandad.",
        future="College. Maybe IT, or something with bikes. There's a course for bike mechanics, my mate's doing it.",
    ),
    "S23": dict(
        v=dict(f=["Erm,", "Well,", "I mean,"], t=[", I suppose", ", technically"], fp=0.2, fs=0.08, tp=0.25, dp=0.05,
               y=["Yes.", "Yeah.", "I suppose so."], n=1),
        subj="physics", hard="English", act="robotics", sib="sister",
        intro_pre="Physics, maths, further maths, DT and computing. I build robots, sort of, little ones with an Arduino. I'm in the robotics club. My sister's at college doing engineering, so that's partly where it comes from. No job, I help my dad fix stuff sometimes.",
        intro_post="It's fine. The robotics club went to a regional competition in March, we came fourth, which is technically not a medal but okay. My sister's got an apprenticeship at an aerospace company, so she's very smug.",
        future="Sixth form, maths, further maths and physics. Or a degree apprenticeship in engineering, which Mr. Bell told me about. I didn't know they existed before.",
    ),
    "S24": dict(
        v=dict(f=["Frankly,", "Um,", "Well,", "I mean,"], t=[", frankly", ", I'd say"], fp=0.2, fs=0.05, tp=0.3, dp=0.05,
               y=["Yeah.", "Fair enough, yeah.", "Yes."], n=2),
        subj="history", hard="French", act="work", sib="younger brother",
        intro_pre="History, English lit, geography, French. I'm on the school council, which is, um, frankly mostly arguing about the canteen. I work a couple of evenings stacking shelves at the Co-op. I've got a younger brother, he's in Year 6, he's coming here next year.",
        intro_post="Fine. Busy. The Co-op's given me more shifts, which is good for money, not great for revision. School council's done, we got the water fountains fixed, so, legacy [laughs]. My brother's got his place here for September.",
        future="Sixth form. History, English lit, politics. I'd like to do PPE or history at a good university, to be honest. I'll see.",
    ),
})
