"""The audit trail: each export, deposit, register change and withdrawal in one project is recorded
once, with its coder and plain facts only; the chain finds an event changed or removed afterwards."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from jswcoder.analysis.matrix import build_matrix
from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.refiqda.export_codebook import export_codebook
from jswcoder.refiqda.export_project import export_project
from jswcoder.reports import export_matrix, write_report, write_summary
from jswcoder.reports.withdrawal_certificate import write_certificate
from jswcoder.services.audit import Event, chained
from jswcoder.services.transcripts import ParticipantFields
from tests.conftest import write_txt
from tests.test_deposit import deposit

CANARY = "Quillfeather"
TEXT = f"Interviewer: Who helped?\nP1: Morag {CANARY} did, every week at Kilbrannan.\n"
OTHER = "Interviewer: And the van?\nP1: The van broke down twice in March.\n"


def events_of(project: Project, action: Callable[[], object]) -> list[Event]:
    """The events that ``action`` added to the trail, oldest first."""
    before = len(project.audit.events())
    action()
    return project.audit.events(newest_first=False)[before:]


def _study(project: Project, tmp_path: Path) -> None:
    for name, text, number in (("int_7", TEXT, 7), ("int_8", OTHER, 8)):
        project.transcripts.import_file(
            write_txt(tmp_path / "in", f"{name}.txt", text), ParticipantFields("Client", number)
        )
    project.codebook.add("Relationships/Listening")
    start = TEXT.index("every week")
    project.codings.add("int_7", start, start + len("every week"), "Relationships/Listening")


def _trail_text(project: Project) -> str:
    return json.dumps([(e.actor, e.action, e.details) for e in project.audit.events()], ensure_ascii=False)


def test_each_register_change_is_one_event_with_counts_and_categories_never_the_text(
    project: Project, tmp_path: Path
) -> None:
    _study(project, tmp_path)
    [added] = events_of(project, lambda: project.register.add(f"Morag {CANARY}", "[WORKER]", "PERSON"))
    assert (added.actor, added.action, added.details) == (
        "Ailsa",
        "register.add",
        {"entries": 1, "categories": "Person"},
    )
    [both] = events_of(
        project,
        lambda: project.register.add_all([("Kilbrannan", "[TOWN]", "PLACE"), (CANARY, "[WORKER]", "PERSON")]),
    )
    assert both.details == {"entries": 2, "categories": "Person, Place"}
    [dismissed] = events_of(project, lambda: project.register.dismiss(["Morag", "  "]))
    assert (dismissed.action, dismissed.details) == ("register.dismiss", {"suggestions": 1})
    assert events_of(project, lambda: project.register.dismiss([])) == []
    worker = next(e for e in project.register.entries() if e.text == f"Morag {CANARY}")
    [edited] = events_of(project, lambda: project.register.set_variants(worker.uuid, ["Mrs Quill"]))
    assert (edited.action, edited.details) == ("register.edit", {"entries": 1, "categories": "Person"})
    entry = next(e for e in project.register.entries() if e.text == "Kilbrannan")
    [removed] = events_of(project, lambda: project.register.remove(entry.uuid))
    assert (removed.action, removed.details) == ("register.remove", {"entries": 1, "categories": "Place"})
    sheet = write_txt(tmp_path, "shared.csv", "text,replacement,category\nKilbrannan,[TOWN],PLACE\n")
    [imported] = events_of(project, lambda: project.register.import_csv(sheet))
    assert imported.details == {"file": "shared.csv", "added": 1, "present": 0}
    out = tmp_path / "private" / "register.csv"
    out.parent.mkdir()
    [exported] = events_of(project, lambda: project.register.export_csv(out))
    assert exported.details == {"what": "anonymisation register", "file": "register.csv", "entries": 3}
    # A refused change leaves no event: the event is stored with the change or not at all.
    with pytest.raises(JswError):
        project.register.add("Kilbrannan", "[TOWN]", "PLACE")
    assert len(project.audit.events()) == 7
    assert CANARY not in _trail_text(project) and "Kilbrannan" not in _trail_text(project)
    assert "[WORKER]" not in _trail_text(project) and "private" not in _trail_text(project)
    assert "Quill" not in _trail_text(project)


def test_every_export_and_the_deposit_are_one_event_each_naming_the_file_without_its_folder(
    project: Project, tmp_path: Path
) -> None:
    _study(project, tmp_path)
    project.register.add(f"Morag {CANARY}", "[WORKER]", "PERSON")
    project.register.add("Kilbrannan", "[NAME OF TOWN]", "PLACE")
    project.register.dismiss([c.text for c in project.register.suggestions()])
    out = tmp_path / "Kilbrannan exports"  # a folder named for the area: it must not reach the trail
    out.mkdir()
    exports: list[tuple[Callable[[], object], str, str]] = [
        (lambda: write_report(project, out / "report.docx"), "theme report", "report.docx"),
        (lambda: write_summary(project, out / "summary.xlsx"), "coding summary", "summary.xlsx"),
        (
            lambda: export_matrix(build_matrix(project), out / "matrix.xlsx"),
            "Framework matrix",
            "matrix.xlsx",
        ),
        (lambda: export_project(project, out / "study.qdpx"), "REFI-QDA project", "study.qdpx"),
        (lambda: export_codebook(project, out / "codes.qdc"), "REFI-QDA codebook", "codes.qdc"),
        (lambda: project.cases.export_csv(out / "cases.csv"), "case sheet", "cases.csv"),
    ]
    for export, what, name in exports:
        [event] = events_of(project, export)
        assert (event.actor, event.action, event.details["what"], event.details["file"]) == (
            "Ailsa",
            "export",
            what,
            name,
        )
    report = project.audit.events(action="export")[-1]
    assert report.details["anonymised"] is True and "quote" in str(report.details["holds"])

    # The deposit writes a .qdpx and a .qdc inside it: one event for the whole deposit.
    [deposited] = events_of(project, lambda: deposit(project, out / "deposit"))
    assert deposited.action == "deposit"
    assert deposited.details["folder"] == "deposit" and deposited.details["transcripts"] == 2
    assert deposited.details["replacements_logged"] == 2 and deposited.details["files"] == 9

    # A refused export (a leak) is not an event: nothing was written.
    project.codebook.add(f"said by morag {CANARY.lower()}")  # spared by replacement, found by the check
    with pytest.raises(JswError):
        export_codebook(project, out / "refused.qdc")
    assert project.audit.events()[0].details.get("folder") == "deposit"
    assert CANARY not in _trail_text(project) and "Kilbrannan" not in _trail_text(project)
    assert project.audit.verify().ok


def test_a_withdrawal_is_recorded_with_the_attribution_never_the_reason_and_survives_the_purge(
    project: Project, tmp_path: Path
) -> None:
    _study(project, tmp_path)
    project.register.add(f"Morag {CANARY}", "[WORKER]", "PERSON")
    participant = project.withdrawals.find("Client interview 7").participant_uuid
    [withdrawn] = events_of(
        project, lambda: project.withdrawals.withdraw(participant, f"{CANARY} phoned to say no", "2026-12-01")
    )
    assert (withdrawn.actor, withdrawn.action) == ("Ailsa", "withdrawal")
    assert withdrawn.details == {"participant": "Client interview 7", "transcripts_purged": 1, "again": False}
    [again] = events_of(project, lambda: project.withdrawals.withdraw(participant, "again"))
    assert again.details["again"] is True and again.details["transcripts_purged"] == 0
    [certificate] = events_of(
        project, lambda: write_certificate(project, "Client interview 7", tmp_path / "certificate.docx")
    )
    assert certificate.details == {
        "what": "destruction certificate",
        "file": "certificate.docx",
        "participant": "Client interview 7",
        "confirmed_by": 0,
    }
    [ended] = events_of(project, project.withdrawals.end_retention)
    assert ended.action == "retention.ended"
    assert events_of(project, project.withdrawals.end_retention) == []  # ended once
    assert CANARY not in _trail_text(project) and "phoned" not in _trail_text(project)
    assert project.audit.verify().ok


def test_the_chain_finds_an_event_changed_or_removed_and_triggers_refuse_changes(project: Project) -> None:
    for number in range(4):
        project.audit.record("export", what="theme report", file=f"report {number}.docx")
    assert project.audit.verify().ok and project.audit.verify().events == 4
    with pytest.raises(Exception, match="cannot be changed"):
        project.db.execute("UPDATE audit_events SET actor = 'Someone' WHERE seq = 2")
    with pytest.raises(Exception, match="cannot be changed"):
        project.db.execute("DELETE FROM audit_events WHERE seq = 4")
    # Behind the program's back: the triggers dropped, one event edited.
    project.db.execute("DROP TRIGGER audit_events_no_update")
    project.db.execute("DROP TRIGGER audit_events_no_delete")
    project.db.execute(
        """UPDATE audit_events SET details = '{"file":"other.docx","what":"theme report"}' WHERE seq = 2"""
    )
    verified = project.audit.verify()
    assert (verified.ok, verified.broken_at, verified.why) == (
        False,
        2,
        "event 2 was changed after it was recorded",
    )


@pytest.mark.parametrize(
    ("removed", "broken_at", "why"),
    [
        (2, 2, "event 2 is missing (the next is 3)"),
        (4, 4, "events after 3 are missing (the last recorded was 4)"),
    ],
)
def test_the_chain_finds_an_event_removed_in_the_middle_or_at_the_end(
    project: Project, removed: int, broken_at: int, why: str
) -> None:
    for number in range(4):
        project.audit.record("member.admit", member=f"Member {number}")
    project.db.execute("DROP TRIGGER audit_events_no_delete")
    project.db.execute("DELETE FROM audit_events WHERE seq = ?", [removed])
    verified = project.audit.verify()
    assert (verified.broken_at, verified.why) == (broken_at, why)


def test_details_are_plain_facts_and_a_file_is_named_without_its_folder(project: Project) -> None:
    with pytest.raises(JswError):
        project.audit.record("export", what="theme report", counts=[1, 2])  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        project.audit.record("export", what="theme report", file="/home/ailsa/Oban/report.docx")
    with pytest.raises(ValueError):
        project.audit.record("made up", what="x")
    assert project.audit.events() == []


@pytest.mark.parametrize(
    ("column", "value"),
    [("at", "2020-01-01T00:00:00.000+00:00"), ("actor", "Someone"), ("action", "export"), ("details", "{}")],
)
def test_any_field_changed_is_found_at_its_event(project: Project, column: str, value: str) -> None:
    for number in range(3):
        project.audit.record("member.refuse", member=f"Member {number}")
    project.db.execute("DROP TRIGGER audit_events_no_update")
    project.db.execute(f"UPDATE audit_events SET {column} = ? WHERE seq = 2", [value])
    assert project.audit.verify().broken_at == 2


def test_an_event_added_behind_the_programs_back_is_found_even_with_its_chain(project: Project) -> None:
    project.audit.record("member.admit", member="Hamish")
    last = project.audit.events()[0]
    chain = chained(last.chain, 2, last.at, "Lead", "export", "{}")
    project.db.execute(
        "INSERT INTO audit_events (seq, at, actor, action, details, chain) VALUES (2, ?, 'Lead', 'export', '{}', ?)",
        [last.at, chain],
    )
    verified = project.audit.verify()
    assert (verified.broken_at, verified.why) == (2, "event 2 was added behind the program's back")
