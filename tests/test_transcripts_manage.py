"""Renaming and deleting transcripts in the core: a delete takes everything that belongs to the transcript,
puts it back exactly on restore, and leaves nothing of it in the database once it is final."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from jswcoder.errors import InvalidInput, JswError, NotFound
from jswcoder.project import Project
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.store import codes as code_rows
from jswcoder.store import team as team_rows
from jswcoder.team import keys
from jswcoder.team.merge import merge_document
from jswcoder.team.package_writer import build_package
from tests.conftest import PASSPHRASE, make_project, write_txt

TEXT = (
    "Interviewer: How is the office?\n"
    "P1: We share it with the police now, since March, in Strathcarron. Siobhan Kerr runs it.\n"
    "Interviewer: And training?\n"
    "P1: Training money ran out in spring.\n"
)
OTHER = "Interviewer: Anything else?\nP2: The van for unpaid work broke down again.\n"
# Tables whose rows are not a transcript's own data: the search index's bookkeeping (renumbered when
# a transcript is put back) and the schema's history.
_NOT_COMPARED = ("transcript_search", "schema_migrations", "detector_cache", "sqlite_")


def _dump(project: Project) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (but the search index's own), sorted: the project's whole state."""
    tables = [
        row[0]
        for row in project.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        if not str(row[0]).startswith(_NOT_COMPARED)
    ]
    return {
        table: sorted((tuple(r) for r in project.db.execute(f"SELECT * FROM {table}").fetchall()), key=repr)
        for table in tables
    }


@pytest.fixture
def coded(project: Project, tmp_path: Path) -> Project:
    """Two transcripts; the first coded, with memos on it and on a coding, a register entry scoped to it,
    and a matrix summary for its participant."""
    project.codebook.add("Partnership working/Co-location")
    project.codebook.add("Funding and resources/Training")
    inbox = tmp_path / "inbox"
    project.transcripts.import_file(
        write_txt(inbox, "A1_jsw_group_discussion.txt", TEXT),
        ParticipantFields("Justice social workers", 1, format="group", mode="video", council_area="Highland"),
    )
    project.transcripts.import_file(write_txt(inbox, "A2.txt", OTHER), ParticipantFields("Client", 2))
    at = TEXT.index("We share")
    first, _ = project.codings.add("A1_jsw_group_discussion", at, at + 20, "Partnership working/Co-location")
    at = TEXT.index("Training money")
    project.codings.add("A1_jsw_group_discussion", at, at + 14, "Funding and resources/Training")
    at = OTHER.index("The van")
    project.codings.add("A2", at, at + 7, "Partnership working/Co-location")
    transcript = project.transcripts.find("A1_jsw_group_discussion")
    project.memos.save("transcript", transcript.uuid, "A lively group; see the office bit.")
    project.memos.save("coding", first.uuid, "Co-location came up first.")
    project.memos.save("code", project.codebook.find("Funding and resources").uuid, "A theme memo stays.")
    project.register.add("Strathcarron", "[PLACE]", "PLACE", "A1_jsw_group_discussion")
    assert transcript.participant_uuid is not None
    project.summaries.save(
        transcript.participant_uuid, project.codebook.find("Partnership working").uuid, "Shares an office."
    )
    return project


def test_rename_keeps_everything_and_refuses_a_clash_or_a_blank(coded: Project) -> None:
    before = coded.transcripts.find("A1_jsw_group_discussion")
    renamed = coded.transcripts.rename("A1_jsw_group_discussion", "  JSW group, Oban  ")
    assert renamed == replace(before, name="JSW group, Oban")
    assert coded.transcripts.find("JSW group, Oban").uuid == before.uuid
    assert len(coded.codings.of_transcript(before.uuid)) == 2
    with pytest.raises(InvalidInput, match="already"):
        coded.transcripts.rename("JSW group, Oban", "A2")
    with pytest.raises(InvalidInput, match="name"):
        coded.transcripts.rename("JSW group, Oban", "  \t ")
    with pytest.raises(NotFound):
        coded.transcripts.rename("no such transcript", "x")
    assert coded.transcripts.find("JSW group, Oban").name == "JSW group, Oban"


def test_delete_counts_what_goes_and_restore_puts_back_exactly(coded: Project) -> None:
    whole = _dump(coded)
    assert coded.search.query("Strathcarron")
    uuid = coded.transcripts.find("A1_jsw_group_discussion").uuid
    assert coded.transcripts.removal_counts(uuid) == (2, 2)
    removed = coded.transcripts.delete("A1_jsw_group_discussion")
    assert (removed.transcript.uuid, removed.codings, removed.memos) == (uuid, 2, 2)
    after = _dump(coded)
    assert [t.name for t in coded.transcripts.all()] == ["A2"]
    assert len(after["codings"]) == 1 and len(after["memos"]) == 1  # A2's coding, the theme's memo
    assert after["register_entries"] == [] and after["matrix_summaries"] == []
    assert len(after["participants"]) == 1  # the case went with its only interview
    assert coded.search.query("Strathcarron") == []
    assert coded.counts() == {"transcripts": 1, "participants": 1, "codes": 4, "codings": 1, "memos": 1}

    coded.transcripts.restore(removed)
    assert _dump(coded) == whole
    assert [hit.transcript_uuid for hit in coded.search.query("Strathcarron")] == [uuid]


def test_a_shared_participant_stays_while_another_interview_is_theirs(
    project: Project, tmp_path: Path
) -> None:
    fields = ParticipantFields("Client", 5)
    project.transcripts.import_file(write_txt(tmp_path, "part1.txt", TEXT), fields)
    project.transcripts.import_file(write_txt(tmp_path, "part2.txt", OTHER), fields)
    project.transcripts.delete("part1")
    assert [c.participant.interview_number for c in project.cases.all()] == [5]
    project.transcripts.delete("part2")
    assert project.cases.all() == []


def test_a_delete_is_final_once_the_project_is_closed(coded: Project, tmp_path: Path) -> None:
    uuid = coded.transcripts.find("A1_jsw_group_discussion").uuid
    participant = coded.transcripts.find("A1_jsw_group_discussion").participant_uuid
    assert [c.text for c in coded.register.suggestions()] == ["Siobhan Kerr"]
    cached = coded.db.execute("SELECT candidates FROM detector_cache").fetchall()
    assert "Siobhan Kerr" in repr(cached)  # the detector's findings are kept, and quote the text
    per_text = coded.db.execute("SELECT candidates FROM detector_findings").fetchall()
    assert len(per_text) == 2 and "Siobhan" in repr(per_text)  # and each text's, which quote its words
    coded.transcripts.delete("A1_jsw_group_discussion")
    per_text = coded.db.execute("SELECT candidates FROM detector_findings").fetchall()
    assert len(per_text) == 1 and "Siobhan" not in repr(per_text)  # at once, not at the next review
    folder = coded.paths.folder
    coded.close()
    with Project.open(folder, passphrase=PASSPHRASE) as reopened:
        assert [t.name for t in reopened.transcripts.all()] == ["A2"]
        for table, rows in _dump(reopened).items():
            flat = repr(rows)
            assert uuid not in flat and str(participant) not in flat, table
            assert "Strathcarron" not in flat and "Siobhan" not in flat and "lively group" not in flat, table
        cached = reopened.db.execute("SELECT candidates FROM detector_cache").fetchall()
        assert "Siobhan" not in repr(cached)


def test_delete_of_an_unknown_transcript_changes_nothing(coded: Project) -> None:
    whole = _dump(coded)
    with pytest.raises(NotFound):
        coded.transcripts.delete("A9")
    assert _dump(coded) == whole


@pytest.fixture
def lead_with_merged(tmp_path: Path) -> Iterator[tuple[Project, Project]]:
    """A lead holding a fieldworker's merged package (one coded transcript), and the fieldworker."""
    lead, _ = make_project(tmp_path / "lead", coder="Lead")
    lead_keys = keys.new_encryption_keys()
    lead.db.execute(
        "INSERT INTO team (id, team_uuid, name, role, member_id, signing_private, signing_public, "
        "encryption_private, encryption_public, joined_at) VALUES (1, ?, 'Team', 'lead', 'lead', ?, ?, ?, ?, '')",
        [lead.uuid, b"s" * 32, b"p" * 32, lead_keys.private, lead_keys.public],
    )
    lead.codebook.add("Partnership working")
    member, _ = make_project(tmp_path / "fiona", coder="Fiona")
    for code in lead.codebook.all():
        row = code_rows.row(lead.db, code.uuid)
        assert row is not None
        code_rows.insert_row(member.db, replace(row, created_by=None))
    member.transcripts.import_file(
        write_txt(tmp_path / "in", "int_3.txt", OTHER), ParticipantFields("Client", 3, format="depth")
    )
    member.codings.add("int_3", 0, 11, "Partnership working")
    team_rows.add_member(lead.db, member.coder.uuid, "Fiona", b"k" * 32, state="admitted")
    merge_document(
        lead, build_package(member, sequence=1), member_id=member.coder.uuid, member_name="Fiona", sequence=1
    )
    lead.transcripts.import_file(write_txt(tmp_path / "in", "lead_own.txt", TEXT))
    yield lead, member
    member.close()
    lead.close()


def test_a_lead_cannot_delete_merged_work_but_can_rename_it(
    lead_with_merged: tuple[Project, Project],
) -> None:
    lead, _member = lead_with_merged
    merged = next(t for t in lead.transcripts.all() if t.name != "lead_own")
    whole = _dump(lead)
    with pytest.raises(JswError, match="Fiona") as refused:
        lead.transcripts.delete(merged.uuid)
    assert "next package" in str(refused.value)
    assert _dump(lead) == whole
    lead.transcripts.rename(merged.uuid, "Client interview 3 (Fiona)")
    assert lead.transcripts.get(merged.uuid).name == "Client interview 3 (Fiona)"
    lead.transcripts.delete("lead_own")  # the lead's own import is the lead's to delete
    assert [t.uuid for t in lead.transcripts.all()] == [merged.uuid]


def test_a_lost_disk_while_deleting_leaves_the_transcript(
    coded: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A failure half-way through the delete rolls all of it back."""
    from jswcoder.store import transcripts as transcript_rows

    whole = _dump(coded)
    real = transcript_rows.RemovedRows

    def failing(*args: Any, **kwargs: Any) -> Any:
        raise OSError("the disk went away")

    monkeypatch.setattr(transcript_rows, "RemovedRows", failing)
    with pytest.raises(OSError):
        coded.transcripts.delete("A1_jsw_group_discussion")
    monkeypatch.setattr(transcript_rows, "RemovedRows", real)
    assert _dump(coded) == whole


def test_a_new_name_is_kept_short_and_free_of_controls(project: Project, tmp_path: Path) -> None:
    project.transcripts.import_file(write_txt(tmp_path, "one.txt", TEXT))
    with pytest.raises(InvalidInput, match="characters"):
        project.transcripts.rename("one", "x" * 201)
    renamed = project.transcripts.rename("one", "Line\u202eone\x07")
    assert renamed.name == "Lineone"  # controls that would reorder or ring are dropped


def test_restore_is_refused_when_the_name_or_text_came_back_meanwhile(coded: Project, tmp_path: Path) -> None:
    removed = coded.transcripts.delete("A1_jsw_group_discussion")
    again = write_txt(tmp_path / "again", "A1_jsw_group_discussion.txt", TEXT)
    coded.transcripts.import_file(again)
    whole = _dump(coded)
    with pytest.raises(InvalidInput, match="another transcript has that name now"):
        coded.transcripts.restore(removed)
    coded.transcripts.rename("A1_jsw_group_discussion", "A1 again")
    with pytest.raises(InvalidInput, match="its text is in the project again, as 'A1 again'"):
        coded.transcripts.restore(removed)
    coded.transcripts.delete("A1 again")
    coded.cases.set(coded.cases.find("A2").uuid, {"interview_number": "1"})
    with pytest.raises(InvalidInput, match=r"another case has its interview number \(1\)"):
        coded.transcripts.restore(removed)
    assert len(_dump(coded)["transcripts"]) == len(whole["transcripts"]) - 1


def test_a_lead_keeps_a_members_case_details_and_adds_attributes_of_its_own(
    lead_with_merged: tuple[Project, Project],
) -> None:
    lead, member = lead_with_merged
    case = lead.cases.find("3")
    assert case.merged_from == "Fiona" and case.participant.participant_group == "Client"
    for change in ({"participant_group": "CJP"}, {"format": "paired"}):  # her next package would undo it
        with pytest.raises(InvalidInput, match="came in Fiona's packages"):
            lead.cases.set(case.uuid, change)
    lead.cases.set(case.uuid, {"participant_group": "Client", "analysis wave": "2"})  # an attribute added
    after = lead.cases.find("3").participant
    assert after.participant_group == "Client" and after.attributes == {"analysis wave": "2"}
    member.cases.set(member.cases.find("3").uuid, {"participant_group": "Paraprofessionals"})
    merge_document(
        lead, build_package(member, sequence=2), member_id=member.coder.uuid, member_name="Fiona", sequence=2
    )
    merged = lead.cases.find("3").participant  # her change arrives; the lead's own attribute stays
    assert merged.participant_group == "Paraprofessionals" and merged.attributes == {"analysis wave": "2"}
