"""Build the two Word demo transcripts in ``jswcoder/resources/demo``.

Run with the project's interpreter from anywhere:

    .venv/bin/python resources/demo/make_docx.py

It writes ``demo_02_team_leader_depth.docx`` (time-stamped turns, study name in
the page header) and ``demo_03_partner_paired.docx`` (bold first-name labels).
All people and places in the transcripts are fictional.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.shared import Pt

OUT = Path(__file__).resolve().parents[2] / "jswcoder" / "resources" / "demo"
STUDY = "Justice Social Work study"

# (time stamp, speaker, utterance)
TEAM_LEADER = [
    ("00:00:04", "Interviewer", "Thanks for speaking to me today. To begin, what's your job and what does it involve day to day?"),
    ("00:00:11", "Respondent", "Sure. I'm a team leader in the justice service, so I manage eight social workers and three social work assistants, and I cover the unpaid work team when their manager is off, which is, um, more often than you'd think. Four years in the post now, and a long spell as a practitioner in the same team before that."),
    ("00:00:42", "Interviewer", "How do you spend your week, roughly?"),
    ("00:00:46", "Respondent", "[laughs] There isn't one. Supervision takes up a fair bit, and I try to protect that because it's the thing that keeps people well. Then there's allocations, countersigning reports, MAPPA meetings, and whatever crisis comes in the door on a Wednesday afternoon. I still carry a small caseload myself because we're short."),
    ("00:01:20", "Interviewer", "How would you describe leadership within the service locally?"),
    ("00:01:25", "Respondent", "Our service manager is very good. She came up through justice, so she gets it. When I go to her and say the team's at breaking point, she doesn't need it explained. Above that, it gets harder. We sit within the health and social care partnership, and the chief officer's background is nursing. Justice is a tiny part of a very big budget, and I think sometimes we just don't register."),
    ("00:02:10", "Interviewer", "What's it like sitting inside the partnership?"),
    ("00:02:15", "Respondent", "There are upsides. We've got much better links with mental health than we used to. I can pick up the phone to the community psychiatric nurse and she knows who I am. But the governance papers are all about delayed discharge and care home beds. I sat through a two-hour meeting last month and justice came up once, under any other business."),
    ("00:02:58", "Interviewer", "And the community justice partnership? What role does it play?"),
    ("00:03:03", "Respondent", "It's improved. The coordinator we've got now is really energetic. She's brought the third sector in properly, and they did a mapping exercise of what's out there for people leaving custody, which was genuinely useful. But I think a lot of the partners still don't quite know what the partnership is for. Is it a talking shop, is it a commissioning body? It depends who you ask."),
    ("00:03:45", "Interviewer", "Turning to funding, how would you describe the current position?"),
    ("00:03:50", "Respondent", "Flat, and in real terms going backwards. The grant's been pretty much the same figure for years, and everything else has gone up. Salaries, mileage, the cost of the groupwork materials. So every year we're looking at where we can trim, and the trouble is there's nothing left to trim that doesn't hit clients."),
    ("00:04:30", "Interviewer", "Where do you see that hitting clients?"),
    ("00:04:34", "Respondent", "The women's service is a good example. We set it up three years ago with a bit of fixed-term money: a drop-in on a Thursday with a worker from the women's aid project, a crèche, soup. Attendance was brilliant. The money ended in March and we've been propping it up out of underspend since, but I can't promise it'll be there next year. Honestly, that keeps me up at night."),
    ("00:05:20", "Interviewer", "And the impact on staff?"),
    ("00:05:23", "Respondent", "They're tired. They're good, really good, but tired. I've had two people in the last year tell me they're thinking about leaving social work altogether, not just the team. That's new. When I started you'd move teams, you wouldn't leave the profession."),
    ("00:06:01", "Interviewer", "Do you think services are consistent between different areas?"),
    ("00:06:06", "Respondent", "No, and I'm not sure they should be completely. Some things, yes. Somebody on a supervision order should get the same basic standard wherever they live. But the way we deliver it has to fit the place. What works in a town with a train station doesn't work when your nearest office is forty miles away."),
    ("00:06:50", "Interviewer", "Is there anything you've done locally that you're particularly proud of?"),
    ("00:06:55", "Respondent", "We started doing unpaid work placements with the community garden out at Dunmore, which was the team's idea, not mine. The folk on orders grow veg and it goes to the food larder. A few of them have kept volunteering after their hours were done. That's the kind of thing that happens when staff have room to try things."),
    ("00:07:38", "Interviewer", "What about national leadership? Does JSW have a voice at that level?"),
    ("00:07:43", "Respondent", "Not a loud enough one. The national bodies do what they can, but when you look at the papers and the telly, the only time justice is mentioned is when something's gone badly wrong. Nobody's out there explaining all the orders that are completed and the people who turn things round."),
    ("00:08:20", "Interviewer", "Thinking about the National Care Service proposals, what's your view?"),
    ("00:08:26", "Respondent", "Mixed. I can see the argument for a national framework, better data, fairer funding between areas. But I'm wary of another restructure when the staff are already stretched. And I want to know who I'd actually report to. If there's a local board and a national board and the council still employs me, where does a decision get made? Nobody's been able to draw me that diagram."),
    ("00:09:15", "Interviewer", "If you had one thing to ask of decision makers, what would it be?"),
    ("00:09:20", "Respondent", "Protect the justice money and ask the teams before you change things. We know what works here. Just ask us, [laughs] we're not hard to find."),
    ("00:09:38", "Interviewer", "Thank you, that's a great place to end."),
]

# (speaker label, utterance)
PARTNERS = [
    ("Interviewer", "Thanks both for coming in. Could you introduce yourselves and say how your work links in with justice social work?"),
    ("Fraser", "Aye. I'm a detective sergeant, I manage the offender management unit for the division, so that's mainly the registered sex offenders, plus some of the violent offender work. I'd say I speak to someone in the justice team most days."),
    ("Morag", "And I'm a housing options officer with the council. I do homelessness assessments for people coming out of custody, and I sit on the MAPPA meetings when there's an accommodation issue, which is, well, most of them. [laughs]"),
    ("Interviewer", "How would you describe the justice social work team from where you sit?"),
    ("Fraser", "Professional. Really professional. I'll be honest, when I came into this job I had the old view that social workers were a bit soft, always taking the offender's side. That changed pretty quickly. They're as focused on risk as we are, they just come at it from a different angle."),
    ("Morag", "I'd agree. And they know their clients properly. If I need to know whether someone's going to cope in a shared tenancy, the social worker will give me a straight answer, not just what's in the file."),
    ("Interviewer", "What helps the partnership work well?"),
    ("Fraser", "MAPPA's the backbone of it. Everybody knows what's expected, who chairs, who takes the actions. If an action isn't done, it comes back next time and you have to explain yourself. That accountability keeps everybody honest."),
    ("Morag", "The personal relationships matter just as much, though. I've known some of the social workers for ten years. I can phone on a Friday at half four and say, look, I've got nothing for this man tonight, what are we doing? And we'll sort something out between us."),
    ("Interviewer", "Are there things that get in the way?"),
    ("Morag", "Housing stock, mainly. I'll not pretend otherwise. We've got a waiting list of nearly two thousand and very few one-bedroom flats. Then when it's someone with a sexual offence, the options shrink again, because of where the schools are, the play parks, the neighbours. Some weeks I've got nowhere to put people, and that's not the social worker's fault."),
    ("Fraser", "And our side's stretched as well. We've lost two officers from the unit in the last year and not been backfilled. So the home visits we'd do jointly with social work, we're doing fewer of them. That's a worry."),
    ("Interviewer", "How about sharing information between your services?"),
    ("Fraser", "It's better than it was, but it's still clunky. We can't see their system, they can't see ours. A lot of it's done by email with a password on the attachment. It works, but it's slow, and things get missed if somebody's on leave."),
    ("Morag", "There was talk of putting housing into the social work office a couple of days a week. I'd love that. Even just being in the same building, you pick up so much more. At the moment I'm in the civic centre and they're across the town."),
    ("Interviewer", "Do you work with teams in other council areas?"),
    ("Fraser", "All the time. Our division covers three councils, so I deal with three different justice teams, and they all do things slightly differently. Different forms, different thresholds for when they'll call us. It's not a criticism, but you have to remember which rules apply where."),
    ("Morag", "The hard bit for me is when someone's liberated to our area but their social worker's based down the road in another council. Who's paying for the accommodation? Who's doing the visits? You can lose a week just working that out, and that week's when things go wrong."),
    ("Interviewer", "Does it work differently for people living out in the rural parts?"),
    ("Fraser", "Very much so. Out past Glenarn there's one bus a day. If somebody's got a condition to report to the office every week, that's practically a full day's travel. The team are good at going out to them, but it's a lot of miles."),
    ("Morag", "And the housing out there is mostly private lets, so there's even less I can offer. [pause] Folk end up being moved into the town, away from their family, which doesn't help anybody settle."),
    ("Interviewer", "Last question. Justice social work may become part of a National Care Service. What would that mean for you as partners?"),
    ("Morag", "My honest worry is that the people I phone now will be replaced by a form or a central number. The partnership works because it's local. If that goes, I don't know what replaces it."),
    ("Fraser", "I'd want to see the detail before I said either way. If it means the same standards across all three of my councils, that might help me. But if it pulls justice away from the council, then housing and social work end up in different organisations, and that's a conversation that's already hard enough."),
    ("Interviewer", "Thank you both, that's been really useful."),
]


def _new_document() -> Document:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    header = doc.sections[0].header
    header.paragraphs[0].text = STUDY
    return doc


def team_leader(path: Path) -> None:
    doc = _new_document()
    for stamp, speaker, text in TEAM_LEADER:
        doc.add_paragraph(f"[{stamp}] {speaker}: {text}")
    doc.save(path)


def partners(path: Path) -> None:
    doc = _new_document()
    for speaker, text in PARTNERS:
        para = doc.add_paragraph()
        para.add_run(f"{speaker}:").bold = True
        para.add_run(f" {text}")
    doc.save(path)


def main() -> None:
    team_leader(OUT / "demo_02_team_leader_depth.docx")
    partners(OUT / "demo_03_partner_paired.docx")


if __name__ == "__main__":
    main()
