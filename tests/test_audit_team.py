"""The audit trail across a team: admission and refusal, team packages and team files, a withdrawal
at the lead, the purge it orders at each fieldworker, their receipts at the lead, and the end of
retention; each one event, in the project where it happened, with that project's coder as its actor,
and none of the participant's words in any trail."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from jswcoder.project import Project
from jswcoder.services.audit import Event
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.team.exchange import export_package, sync_fieldworker
from jswcoder.team.lead_sync import sync_lead
from tests.conftest import join_team, make_project, write_txt

CANARY = "Quillfeather"
TEXT = f"P1: Morag {CANARY} runs the unpaid work team. {CANARY} has been there for years.\n"


def added(project: Project, action: Callable[[], object]) -> list[tuple[str, str]]:
    """(actor, action) of each event ``action`` added to ``project``'s trail, oldest first."""
    return [(e.actor, e.action) for e in _new(project, action)]


def _new(project: Project, action: Callable[[], object]) -> list[Event]:
    before = len(project.audit.events())
    action()
    return project.audit.events(newest_first=False)[before:]


def _member(tmp_path: Path, name: str, team_file: bytes, interview: int) -> Project:
    project, _ = make_project(tmp_path / name, coder=name)
    join_team(project, team_file)
    source = write_txt(tmp_path / f"in_{name}", f"int_{interview}.txt", TEXT)
    project.transcripts.import_file(source, ParticipantFields("Client", interview))
    project.register.dismiss([c.text for c in project.register.suggestions()])  # the canary travels
    return project


def test_each_team_event_is_recorded_once_where_it_happened(tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    lead, _ = make_project(tmp_path / "lead", coder="Lead")
    lead.team.create("JSW team")
    ailsa = _member(tmp_path, "Ailsa", lead.team.team_file(), 7)
    hamish = _member(tmp_path, "Hamish", lead.team.team_file(), 8)
    mallory = _member(tmp_path, "Mallory", lead.team.team_file(), 9)
    for member in (ailsa, hamish, mallory):
        assert added(member, lambda m=member: sync_fieldworker(m, stick)) == [(member.coder.name, "export")]
    (tmp_path / "by hand").mkdir()
    [package] = _new(ailsa, lambda: export_package(ailsa, tmp_path / "by hand" / "ailsa.jswpkg"))
    assert package.details == {
        "what": "team package",
        "file": "ailsa.jswpkg",
        "transcripts": 1,
        "sequence": 2,
    }

    [team_file] = _new(lead, lambda: sync_lead(lead, stick))  # the join requests in; the team file out
    assert (team_file.action, team_file.details) == (
        "export",
        {"what": "team file", "file": "team.jswteam", "withdrawal_orders": 0, "retention_ended": False},
    )
    assert added(lead, lambda: lead.team.admit("Ailsa", ailsa.team.fingerprint())) == [
        ("Lead", "member.admit")
    ]
    assert added(lead, lambda: lead.team.admit("Hamish", hamish.team.fingerprint())) == [
        ("Lead", "member.admit")
    ]
    [refused] = _new(lead, lambda: lead.team.refuse("Mallory"))
    assert (refused.action, refused.details) == ("member.refuse", {"member": "Mallory"})
    assert (
        added(lead, lambda: sync_lead(lead, stick)) == []
    )  # merged, the team file unchanged: nothing to note

    participant = lead.withdrawals.find("Client interview 7").participant_uuid
    [withdrawal] = _new(lead, lambda: lead.withdrawals.withdraw(participant, f"{CANARY} rang", "2026-12-02"))
    assert (withdrawal.action, withdrawal.details["participant"]) == ("withdrawal", "Client interview 7")
    [order] = _new(lead, lambda: sync_lead(lead, stick))
    assert order.details["withdrawal_orders"] == 1

    # Each fieldworker applies the order once: Ailsa held the participant, Hamish did not.
    [purge] = _new(ailsa, lambda: sync_fieldworker(ailsa, stick))  # nothing left to send
    assert (purge.actor, purge.action) == ("Ailsa", "withdrawal.purge")
    assert purge.details == {"participant": "Client interview 7", "transcripts_purged": 1, "again": False}
    [nothing_held] = _new(hamish, lambda: sync_fieldworker(hamish, stick))
    assert nothing_held.details["transcripts_purged"] == 0
    assert nothing_held.details["participant"] == "a participant this project did not hold"
    receipts = _new(lead, lambda: sync_lead(lead, stick))
    assert sorted((e.actor, e.action, e.details["member"], e.details["held"]) for e in receipts) == [
        ("Lead", "withdrawal.receipt", "Ailsa", True),
        ("Lead", "withdrawal.receipt", "Hamish", False),
    ]
    assert added(lead, lambda: sync_lead(lead, stick)) == []  # the same receipts again: nothing new

    assert added(lead, lead.withdrawals.end_retention) == [("Lead", "retention.ended")]
    [retention_order] = _new(lead, lambda: sync_lead(lead, stick))
    assert retention_order.details["retention_ended"] is True
    for member in (ailsa, hamish):
        assert sync_fieldworker(member, stick).destroyed
    destroyed = _new(lead, lambda: sync_lead(lead, stick))
    assert sorted((e.action, e.details["member"]) for e in destroyed) == [
        ("retention.receipt", "Ailsa"),
        ("retention.receipt", "Hamish"),
    ]

    for project in (lead, mallory):
        assert project.audit.verify().ok
        trail = json.dumps([(e.actor, e.details) for e in project.audit.events()], ensure_ascii=False)
        assert CANARY not in trail and "rang" not in trail and "stick" not in trail
    lead.close()
    mallory.close()
