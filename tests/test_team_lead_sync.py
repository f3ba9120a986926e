"""The lead's sync: two fieldworkers through one exchange folder, a tampered package, a deletion."""

from __future__ import annotations

from pathlib import Path

from jswcoder.project import Project
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.team.exchange import PACKAGES, sync_fieldworker
from jswcoder.team.lead_sync import sync_lead
from tests.conftest import join_team, make_project, write_txt


def _fieldworker(tmp_path: Path, name: str, team_file: bytes, interview: int, text: str) -> Project:
    project, _ = make_project(tmp_path / name, coder=name)
    join_team(project, team_file)
    source = write_txt(tmp_path / f"in_{name}", f"int_{interview}.txt", text)
    project.transcripts.import_file(source, ParticipantFields("Justice social workers", interview))
    project.register.dismiss([c.text for c in project.register.suggestions()])
    return project


def test_two_fieldworkers_a_tampered_package_and_a_deletion(tmp_path: Path) -> None:
    lead, _ = make_project(tmp_path / "lead", coder="Lead")
    stick = tmp_path / "stick"
    stick.mkdir()
    with lead:
        lead.team.create("JSW team")
        team_file = lead.team.team_file()
        ailsa = _fieldworker(tmp_path, "Ailsa", team_file, 1, "P1: We share the office now.\n")
        hamish = _fieldworker(tmp_path, "Hamish", team_file, 2, "P1: The waiting list is long.\n")
        with ailsa, hamish:
            theme = ailsa.codebook.add("Partnership working/Co-location")
            coding, _ = ailsa.codings.add("int_1", 4, 27, theme.uuid)
            hamish.codebook.add("Funding and resources/Demand")
            hamish.codings.add("int_2", 4, 29, "Funding and resources/Demand")
            assert sync_fieldworker(ailsa, stick).package is not None
            assert sync_fieldworker(hamish, stick).package is not None
            # Someone alters Hamish's package on the stick: it is refused, Ailsa's still merges.
            (hamish_package,) = (stick / PACKAGES).glob(f"{hamish.team.membership().member_id}/*.jswpkg")
            data = bytearray(hamish_package.read_bytes())
            data[len(data) // 2] ^= 1
            hamish_package.write_bytes(bytes(data))

            report = sync_lead(lead, stick)
            assert sorted(name for name, _ in report.pending) == ["Ailsa", "Hamish"]
            assert report.merged == []  # nothing from anyone before the lead admits them
            lead.team.admit("Ailsa", ailsa.team.fingerprint())
            lead.team.admit("Hamish", hamish.team.fingerprint())
            report = sync_lead(lead, stick)
            assert [m.member_name for m in report.merged] == ["Ailsa"]
            assert len(report.refused) == 1 and "changed since it was signed" in report.refused[0][1]
            assert [t.name for t in lead.transcripts.all()] == ["Justice social workers interview 1"]
            assert [p.text for p in lead.codings.passages()] == ["We share the office now"]

            # Ailsa deletes her coding on the laptop; after the next syncs it is gone at the lead too.
            ailsa.codings.remove(coding.uuid)
            assert sync_fieldworker(ailsa, stick).package is not None
            report = sync_lead(lead, stick)
            assert report.merged[0].removed["codings"] == 1
            assert lead.codings.passages() == []
            assert sync_lead(lead, stick).merged == []  # nothing new: nothing merged again


def test_a_join_request_for_another_team_is_refused(tmp_path: Path) -> None:
    lead, _ = make_project(tmp_path / "lead", coder="Lead")
    other_lead, _ = make_project(tmp_path / "other", coder="Other lead")
    stick = tmp_path / "stick"
    stick.mkdir()
    with lead, other_lead:
        lead.team.create("JSW team")
        other_lead.team.create("Another study")
        stray = _fieldworker(tmp_path, "Stray", other_lead.team.team_file(), 5, "P1: Hello.\n")
        with stray:
            sync_fieldworker(stray, stick)  # the wrong stick: this team's exchange folder
        report = sync_lead(lead, stick)
        assert report.pending == [] and report.merged == []
        assert [reason for _, reason in report.refused] == ["a join request for another team"]
