"""Speaker cases through the team: a fieldworker's focus group with its speakers made cases goes in a real
package (encrypted, through the exchange folder) and is merged at the lead, where the speakers are cases
with the same numbers, details and attribution, and the lead's matrix has their rows."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from jswcoder.analysis.matrix import FrameworkMatrix, build_matrix
from jswcoder.project import Project
from jswcoder.team.exchange import sync_fieldworker
from jswcoder.team.lead_sync import sync_lead
from jswcoder.team.package_reader import MergeRefused, read_document
from jswcoder.team.package_writer import build_package
from tests.conftest import join_team, make_project
from tests.speaker_group import code_group, import_group


def _fieldworker(tmp_path: Path, team_file: bytes) -> Project:
    member, _ = make_project(tmp_path / "ailsa", coder="Ailsa")
    join_team(member, team_file)
    group = import_group(member, tmp_path / "in")
    code_group(member, group)
    member.speakers.make_cases(group.uuid)
    second = member.cases.find("Focus group 3, participant 2")
    member.cases.set(second.uuid, {"participant_group": "Paraprofessionals"})
    member.register.dismiss([c.text for c in member.register.suggestions()])
    return member


def test_speaker_cases_merged_at_the_lead(tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    lead, _ = make_project(tmp_path / "lead", coder="Lead")
    lead.team.create("JSW team")
    member = _fieldworker(tmp_path, lead.team.team_file())
    sync_fieldworker(member, stick)
    sync_lead(lead, stick)
    lead.team.admit("Ailsa", member.team.fingerprint())
    sync_lead(lead, stick)

    merged = [
        (c.speaker, c.number, c.attribution, c.participant.participant_group) for c in lead.speakers.cases()
    ]
    assert merged == [
        ("P1", 1, "Focus group 3, participant 1", "Justice social workers"),
        ("P2", 2, "Focus group 3, participant 2", "Paraprofessionals"),
        ("P3", 3, "Focus group 3, participant 3", "Justice social workers"),
    ]
    assert [c.uuid for c in lead.speakers.cases()] == [c.uuid for c in member.speakers.cases()]
    at_lead = build_matrix(lead, speakers=True)
    at_member = build_matrix(member, speakers=True)
    assert [c.label for c in at_lead.cases] == [c.label for c in at_member.cases]

    def cells(matrix: FrameworkMatrix) -> Counter[tuple[str, str]]:
        """(row, theme) -> passages, by the theme's own name (at the lead it sits under another)."""
        return Counter(
            (case.label, passage.code_path.split("/")[-1])
            for row, case in enumerate(matrix.cases)
            for column in range(len(matrix.themes))
            for passage in matrix.passages(row, column)
        )

    assert cells(at_lead) == cells(at_member)
    assert cells(at_lead)[("Focus group 3, participant 2", "Office")] == 1  # the quiet room


def test_a_speaker_case_naming_a_stranger_refused(tmp_path: Path) -> None:
    member, _ = make_project(tmp_path / "ailsa", coder="Ailsa")
    group = import_group(member, tmp_path / "in")
    member.speakers.make_cases(group.uuid)
    member.register.dismiss([c.text for c in member.register.suggestions()])
    document = dict(build_package(member, sequence=1))
    assert read_document(document).transcripts[0].speaker_cases[1][0] == "P2"
    document["transcripts"][0]["speaker_cases"][1]["speaker"] = "Nobody"
    with pytest.raises(MergeRefused, match="speaker case names a speaker"):
        read_document(document)
