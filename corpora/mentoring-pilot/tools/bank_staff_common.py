"""Interviewer side of the staff interviews (fictional): prompts by slot, eight
or more variants each, and back-channels.  Each staff member gets a different
variant (the generator picks by a fixed seed without repeats)."""

STAFF_DATES = {
    "T01": "2026-05-06", "T02": "2026-05-07", "T05": "2026-05-11",
    "T06": "2026-05-14", "T07": "2026-05-14", "T08": "2026-05-18",
}

OPEN = [
    "Okay, we're recording. Thanks for making time for this, I know May is a nightmare. Just a reminder that if you mention students, could you use the codes on the sheet, so S01 and so on, rather than names? So, could you start by telling me about your role and how you've been involved in the mentoring this year?",
    "Right, that's recording. Thank you for doing this. As before, if you refer to any students, the codes on the sheet are best, S-numbers, not names. To start with, could you just describe your role this year and how the mentoring fits into it?",
    "So, thanks again for agreeing to this. It should take about forty minutes. Erm, if students come up, please use the codes on the list rather than names. Could you begin by telling me what your involvement with the mentoring has been?",
    "Okay, I think we're good. Thank you. Just before we start, if you talk about particular students, the study codes are on that sheet, S01 to S24, so we can keep it anonymous. Can you tell me a bit about your role and your part in the programme?",
    "Lovely, that's on. Thanks for fitting this in. One thing, if you mention students, could you use the codes rather than names, they're on the sheet there. So, first, what's your role, and how have you been involved with the mentoring?",
    "Right, recording. Thanks for your time. If you name any students, please use their study codes, it just saves us editing later. So, to start, can you describe your role in the mentoring this year?",
    "Okay. Thanks for seeing me. Same as the questionnaire, everything's anonymised, so if students come up, use the codes on the sheet please. Could you start by telling me about your role?",
    "So we're recording now. Thank you. If you mention students, the S-codes on the list are best. Can you just start by describing how you've been involved in the mentoring?",
]
PURPOSE = [
    "What do you see as the purpose of the mentoring? What is it for?",
    "If you had to sum it up, what is the mentoring actually for, in your view?",
    "How would you describe the purpose of the programme, in your own words?",
    "What do you think the mentoring is trying to achieve?",
    "Has your sense of what the mentoring is for changed over the year?",
    "What's the point of it, would you say? What should it do for students?",
    "In your view, what is academic mentoring for?",
    "How would you explain the purpose of the mentoring to a new colleague?",
]
PRACTICE = [
    "What does a typical session look like?",
    "Can you talk me through what actually happens in a session?",
    "So, practically, what do you do when you meet a student?",
    "What's the shape of a session, usually?",
    "If I sat in on one of your sessions, what would I see?",
    "How do you structure the sessions?",
    "Walk me through a normal session, if there is such a thing.",
    "What happens in the sessions, in practice?",
]
PERSONALISED = [
    "The programme talks a lot about personalised learning. What does that mean to you, in practice?",
    "How do you understand personalised learning, in the context of the mentoring?",
    "What does personalised learning actually look like in your sessions?",
    "One of the aims is personalised learning. What does that mean for you now?",
    "How, if at all, have you personalised the mentoring for different students?",
    "When people say personalised learning, what do you think they mean, and what do you do?",
    "Can I ask about personalised learning? What does it look like, day to day?",
    "How would you describe personalised learning in your mentoring?",
]
EXAMPLE = [
    "Can you give me an example of a student where that worked?",
    "Is there a particular student who comes to mind?",
    "Could you give me a concrete example?",
    "What did that look like with one of your students?",
    "Have you got an example of that from this year?",
    "Can you think of a case where that made a difference, or didn't?",
    "Is there a student you could use to illustrate that?",
    "What would be a good example of that?",
]
KINDS = [
    "Have you noticed differences between different kinds of students, in what they need from it?",
    "Do different students use the mentoring differently, would you say?",
    "Are there groups of students it works better or worse for?",
    "Have you seen differences, e.g. by prior attainment or between boys and girls?",
    "What do different students want from their mentor, in your experience?",
    "Does it look different for, say, lower and higher attainers?",
    "Have some students needed something quite different from others?",
    "Who has it worked best for, do you think, and who least?",
]
LOGISTICS = [
    "How have the practicalities worked, time, caseload, when and where you meet?",
    "Can I ask about the logistics? How has it fitted in with everything else?",
    "Practically, how has it been to run, in terms of time and organisation?",
    "How manageable has it been, on a practical level?",
    "What about the practical side, when you meet, how often, how much time it takes?",
    "How has the time side of it been?",
    "Has the organisation of it worked, do you think?",
    "Tell me about the nuts and bolts, how the sessions actually get scheduled.",
]
TARGETS = [
    "How have you used targets and grades in the sessions?",
    "Where do targets and predicted grades come into it?",
    "How much of the mentoring has been about grades and targets?",
    "Have targets been useful, in your experience?",
    "How do you set targets with students, if you do?",
    "What role have grades played in the conversations?",
    "Can I ask about target setting? How has that gone?",
    "How have you approached the exam side, targets, grades and so on?",
]
ONLINE = [
    "Some students are doing the online statistics course. How has the mentoring supported that?",
    "Can I ask about the online statistics GCSE? What has your part in that been?",
    "I understand one or two students are taking statistics online. How has that worked with the mentoring?",
    "Tell me about the online statistics course, and where the mentor comes in.",
    "How has the online course been managed, from your side?",
    "What does supporting a student on the online course actually involve?",
    "The statistics course is online. What has that meant for the mentor?",
    "How have you found the online statistics arrangement?",
]
REMOTE = [
    "Riverside has paired two students with volunteer mentors over video. What's your view of that?",
    "Can I ask about the remote pairing with the volunteers? How has that worked?",
    "What do you make of the volunteer mentors, the video-call pairing?",
    "How did the remote pairing come about, and how has it gone?",
    "Have you had any involvement in the volunteer pairings?",
    "What's your sense of the remote mentoring, with the external volunteers?",
    "The two students paired with volunteers, how has that worked from your side?",
    "Would the video-call model work more widely, do you think?",
]
TRAINING = [
    "Did you feel prepared for the role? What training did you have?",
    "What training or support have you had for the mentoring?",
    "Was the training adequate, in your view?",
    "How well prepared did you feel in September?",
    "What support would have helped you as a mentor?",
    "Has there been enough training, do you think?",
    "What did the training cover, and was it what you needed?",
    "How were you prepared for the mentoring?",
]
IMPACT = [
    "Do you think the mentoring improves attainment?",
    "Has it made a difference to results, in your view?",
    "What difference, if any, has it made to attainment?",
    "Would you say it has improved outcomes for your students?",
    "What's your honest view on the impact on grades?",
    "Has your view of its impact changed since October?",
    "Is there evidence, in your view, that it raises attainment?",
    "How confident are you that it improves attainment?",
]
CHANGE = [
    "If you were running it next year, what would you change?",
    "What would you do differently next year?",
    "What would make it work better?",
    "If you could change one thing, what would it be?",
    "What would you keep, and what would you change?",
    "What advice would you give a school starting this?",
    "What needs to change for next year?",
    "Looking ahead, what should happen with the programme?",
]
CLOSE = [
    "Is there anything else you'd like to add that we haven't covered?",
    "Anything we haven't talked about that you think is important?",
    "Is there anything I should have asked and didn't?",
    "Anything else before we stop?",
    "Is there anything you'd like to say that we haven't touched on?",
    "Last question, anything else you want on the record?",
    "Anything else at all?",
    "Before I switch off, is there anything you'd like to add?",
]
THANKS = [
    "That's really helpful. Thank you very much, I'll stop the recording there.",
    "Brilliant, thank you. I'll switch off now.",
    "Thank you, that's been really useful.",
    "Great. Thanks so much for your time.",
    "Lovely, thank you. That's everything.",
    "Thanks, that's a really good place to finish.",
    "Okay, thank you, I'll stop there.",
    "Wonderful. Thank you for being so candid.",
]
# short interviewer turns used where an answer is split into two turns
BACKCHANNEL = [
    "Mm-hm.", "Right.", "Yeah.", "Okay.", "Mm.", "Sure.", "I see.", "Go on.",
    "Right, yes.", "That's interesting.",
]
# short interviewer follow-ups that invite the second half of a split answer
NUDGE = [
    "Can you say a bit more about that?", "In what way?", "And how did that play out?",
    "What did that look like in practice?", "Why do you think that is?", "And was that typical?",
    "How did you handle that?", "And then?",
]
