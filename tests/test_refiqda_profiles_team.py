"""Export profiles at the lead (issue 21), after a real team round: the lead's .qdpx is what a team hands
to NVivo, ATLAS.ti, MAXQDA or QualCoder. Two fieldworkers code with the team's codebook (which repeats a
theme's name under two parents) and sync real encrypted packages through an exchange folder that an
outsider can write to; the outsider plants a forged package and a forged join request. The lead merges the
members' work only, and each profile's file, read as its tool would, holds every merged coding on its
words and its theme, and no identifier from the fieldworkers' registers nor anything the outsider wrote."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from jswcoder.project import Project
from jswcoder.refiqda.export_project import export_project
from jswcoder.refiqda.profiles import PROFILES
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.team import keys
from jswcoder.team.exchange import MEMBERS, PACKAGE_SUFFIX, PACKAGES, sync_fieldworker
from jswcoder.team.lead_sync import sync_lead
from tests import refiqda_targets as targets
from tests.conftest import make_project, write_txt
from tests.indirect_decided import decide_all
from tests.leakscan import found_in

TOP, NESTED = "Partnership working", "JSW and the National Care Service/Partnership working"
REGISTER = (("Morag Smith", "[NAME OF WORKER]", "PERSON"), ("Kilbrannan", "[NAME OF AREA]", "PLACE"))
PLANTED = "Planted by a stranger in the exchange folder"
TEXTS = {
    "Ailsa": (
        1,
        "P1: Morag Smith and the police share a room in Kilbrannan now.\nP1: We plan it together.\n",
    ),
    "Hamish": (
        2,
        "P1: Since the care service talk \U0001f600 nobody plans with us.\r\nP1: Morag Smith left.\r\n",
    ),
}
CODED = {  # (phrase, theme) per fieldworker: the repeated name under both parents, after an emoji, across lines
    "Ailsa": [("share a room in Kilbrannan now.\nP1: We plan", TOP), ("We plan it together", NESTED)],
    "Hamish": [("nobody plans with us", NESTED), ("Morag Smith left", TOP)],
}


@dataclass
class Team:
    lead: Project
    members: list[Project]
    stick: Path


def _fieldworker(tmp_path: Path, name: str, lead: Project) -> Project:
    project, _ = make_project(tmp_path / name, coder=name)
    project.team.join(
        lead.team.team_file(), fingerprint=keys.fingerprint(lead.team.membership().signing_public)
    )
    number, text = TEXTS[name]
    source = write_txt(tmp_path / f"in_{name}", f"int_{number}.txt", text)
    transcript, _ = project.transcripts.import_file(
        source, ParticipantFields("Justice social workers", number)
    )
    for words, replacement, category in REGISTER:
        project.register.add(words, replacement, category)
    project.register.dismiss([c.text for c in project.register.suggestions()])
    canonical = project.transcripts.text_of(transcript.uuid)
    for phrase, theme in CODED[name]:
        start = canonical.index(phrase)
        project.codings.add(transcript.uuid, start, start + len(phrase), theme)
    return project


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Team]:
    lead, _ = make_project(tmp_path / "Lead", coder="Lead")
    lead.codebook.add(TOP)
    lead.codebook.add(NESTED)
    lead.team.create("JSW team")
    members = [_fieldworker(tmp_path, name, lead) for name in TEXTS]
    stick = tmp_path / "stick"
    stick.mkdir()
    try:
        yield Team(lead, members, stick)
    finally:
        for project in (lead, *members):
            project.close()


def _round(team: Team) -> None:
    """Each member sends a package; the outsider plants a forged package and a join request; the lead
    admits the members and merges."""
    for member in team.members:
        assert sync_fieldworker(member, team.stick).package is not None
    sync_lead(team.lead, team.stick)  # the join requests
    for member in team.members:
        team.lead.team.admit(member.coder.name, member.team.fingerprint())
    ailsa = team.stick / PACKAGES / team.members[0].team.membership().member_id
    (ailsa / f"000009{PACKAGE_SUFFIX}").write_bytes(b"JSWPKG" + PLANTED.encode() * 40)
    (team.stick / MEMBERS / f"{uuid.uuid4()}.json").write_text(f'{{"name": "{PLANTED}"}}', "utf-8")
    report = sync_lead(team.lead, team.stick)
    assert sorted(m.member_name for m in report.merged) == ["Ailsa", "Hamish"]
    assert any(name.endswith(f"000009{PACKAGE_SUFFIX}") for name, _ in report.refused)
    decide_all(team.lead)  # the lead's indirect-identification review, before anything is published


def _merged(lead: Project) -> list[targets.Coded]:
    return sorted(
        targets.Coded(t.uuid, c.code_uuid, lead.transcripts.text_of(t.uuid)[c.start : c.end])
        for t in lead.transcripts.all()
        for c in lead.codings.of_transcript(t.uuid)
    )


@pytest.mark.parametrize("tool", list(PROFILES))
def test_the_leads_export_for_each_tool_after_a_team_round(team: Team, tmp_path: Path, tool: str) -> None:
    _round(team)
    merged = _merged(team.lead)
    assert len(merged) == 4 and {c.theme for c in merged} == {
        team.lead.codebook.find(TOP).uuid,
        team.lead.codebook.find(NESTED).uuid,
    }

    out = tmp_path / f"{tool}.qdpx"
    written = export_project(team.lead, out, profile=PROFILES[tool])

    read = targets.read(out, tool)
    words = sorted(
        targets.Coded(c.source, c.theme, c.text.replace("\r\n", "\n")) for c in read.codings
    )  # NVivo holds CRLF in its text: the same words
    assert words == merged
    assert len({t.guid for t in read.themes}) == len(team.lead.codebook.all())
    if PROFILES[tool].unique_names:
        assert len({t.name.casefold() for t in read.themes}) == len(read.themes)
        assert any("renamed" in warning for warning in written.warnings)
    data = out.read_bytes()
    assert found_in(data, [words for words, _, _ in REGISTER] + [PLANTED]) == []
    assert "[NAME OF WORKER]" in " ".join(read.texts.values())  # the anonymised text is what went out
