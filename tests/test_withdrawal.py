"""Consent withdrawn, in one project: everything of the participant's goes, in every table, the search
index, the caches, the free pages and the log; the withdrawal itself is kept; the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jswcoder.errors import InvalidInput, JswError, NotFound
from jswcoder.project import Project
from jswcoder.services.transcripts import ParticipantFields
from tests.conftest import PASSPHRASE, make_project, write_txt
from tests.withdrawal_scan import decrypted_pages, files_holding, values_holding

CANARY = "Quillfeather"
TEXT = (
    "Interviewer: Who runs the unpaid work team?\n"
    f"P7: Morag {CANARY} runs it. {CANARY} has been there since the office moved.\n"
    "Interviewer: And training?\n"
    "P7: Training money ran out in spring.\n"
)
OTHER = "Interviewer: Anything else?\nP2: The van for unpaid work broke down again.\n"


def _study(project: Project, tmp_path: Path) -> str:
    """The canary's participant (two transcripts) and another; the canary in their text, a memo on a
    coding, a summary, a register entry and the detector's cache. Returns the participant's UUID."""
    project.codebook.add("Partnership working/Co-location")
    inbox = tmp_path / "inbox"
    fields = ParticipantFields("Client", 7, format="individual", mode="phone")
    first, _ = project.transcripts.import_file(write_txt(inbox, "C7a.txt", TEXT), fields)
    project.transcripts.import_file(write_txt(inbox, "C7b.txt", f"P7: {CANARY} again, later.\n"), fields)
    project.transcripts.import_file(write_txt(inbox, "C2.txt", OTHER), ParticipantFields("Client", 2))
    at = TEXT.index("Morag")
    coding, _ = project.codings.add("C7a", at, at + 20, "Partnership working/Co-location")
    project.memos.save("coding", coding.uuid, f"{CANARY} again: check the consent form.")
    project.memos.save("transcript", first.uuid, f"Talked about {CANARY} at length.")
    at = OTHER.index("The van")
    project.codings.add("C2", at, at + 7, "Partnership working/Co-location")
    assert first.participant_uuid is not None
    project.summaries.save(
        first.participant_uuid, project.codebook.find("Partnership working").uuid, f"{CANARY} leads the team."
    )
    project.register.add(f"Morag {CANARY}", "[PERSON]", "PERSON", "C7a")
    project.register.suggestions()  # fills the detector's cache, which quotes the texts
    project.register.review()  # and the register's lower-case hits
    project.last_place.keep(json.dumps({"search": CANARY}))  # a window locked while searching for them
    return first.participant_uuid


def test_a_withdrawal_purges_every_trace_and_keeps_the_record(tmp_path: Path) -> None:
    folder = tmp_path / "study"
    project, _ = make_project(folder)
    participant = _study(project, tmp_path)
    key = project._data_key
    assert key is not None
    holding = set(values_holding(project, CANARY))
    assert {"detector_cache.candidates", "detector_findings.candidates", "project_meta.value"} <= holding
    assert "search" in values_holding(project, CANARY)

    target = project.withdrawals.find("client INTERVIEW 7")
    assert (target.participant_uuid, target.attribution) == (participant, "Client interview 7")
    assert set(target.transcript_names) == {"C7a", "C7b"}
    assert project.withdrawals.find("C7b").participant_uuid == participant
    assert project.withdrawals.find(participant).participant_uuid == participant

    done = project.withdrawals.withdraw(participant, "Withdrew by phone", "2026-12-01")
    assert done.transcripts_purged == 2 and not done.already
    assert values_holding(project, CANARY) == []
    assert [t.name for t in project.transcripts.all()] == ["C2"]
    assert len(project.codings.of_transcript(project.transcripts.find("C2").uuid)) == 1
    [row] = project.withdrawals.all()
    assert (row.participant_uuid, row.attribution, row.reason, row.withdrawn_on, row.recorded_by) == (
        participant,
        "Client interview 7",
        "Withdrew by phone",
        "2026-12-01",
        "Ailsa",
    )
    # Nothing in the file's pages either (free pages and slack included), while it is open.
    assert CANARY.lower().encode() not in decrypted_pages(project.paths.database, key)
    project.close()

    assert files_holding(folder, CANARY.encode()) == []
    assert CANARY.lower().encode() not in decrypted_pages(project.paths.database, key)
    assert [p.name for p in folder.iterdir() if p.name.endswith(("-wal", "-shm"))] == []
    again = Project.open(folder, passphrase=PASSPHRASE)
    try:
        assert values_holding(again, CANARY) == []
        assert again.withdrawals.find("Client interview 7").already is not None
        assert again.withdrawals.withdraw(participant, "again").already
        assert again.withdrawals.all()[0].reason == "Withdrew by phone"
    finally:
        again.close()


def test_the_canary_is_in_the_pages_before_a_withdrawal(tmp_path: Path) -> None:
    """The page scan can see the words: without the withdrawal they are there (decrypted)."""
    project, _ = make_project(tmp_path / "study")
    _study(project, tmp_path)
    key = project._data_key
    assert key is not None
    project.close()
    assert CANARY.lower().encode() in decrypted_pages(project.paths.database, key)
    assert files_holding(tmp_path / "study", CANARY.encode()) == []  # encrypted on disk


def test_refusals(project: Project, tmp_path: Path) -> None:
    participant = _study(project, tmp_path)
    with pytest.raises(NotFound):
        project.withdrawals.find("Client interview 9")
    with pytest.raises(InvalidInput, match="reason"):
        project.withdrawals.withdraw(participant, "  ")
    with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
        project.withdrawals.withdraw(participant, "asked", "1 Dec")
    assert len(project.transcripts.all()) == 3  # nothing went
    project.transcripts.import_file(write_txt(tmp_path / "x", "Loose.txt", "Just a note.\n"))
    loose = project.withdrawals.find("Loose")  # a participant without group and number
    assert loose.attribution is None and loose.transcript_names == ("Loose",)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JSWCODER_PASSPHRASE": PASSPHRASE}
    return subprocess.run(
        [sys.executable, "-m", "jswcoder", "--no-keychain", *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def test_command_line(tmp_path: Path) -> None:
    folder = tmp_path / "study"
    project, _ = make_project(folder)
    _study(project, tmp_path)
    project.close()
    refused = _cli("withdraw", str(folder), "C7a", "--reason", "asked")
    assert refused.returncode == 1 and "--yes" in refused.stderr
    done = _cli("withdraw", str(folder), "C7a", "--reason", "asked by email", "--date", "2026-11-30", "--yes")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "withdrew Client interview 7: 2 transcript(s) purged"
    assert CANARY not in done.stdout + done.stderr
    listed = _cli("withdrawals", str(folder), "--json")
    assert listed.returncode == 0, listed.stderr
    [row] = json.loads(listed.stdout)
    assert (row["attribution"], row["reason"], row["withdrawn_on"]) == (
        "Client interview 7",
        "asked by email",
        "2026-11-30",
    )
    text = _cli("withdrawals", str(folder))
    assert text.stdout.startswith("Client interview 7  withdrawn 2026-11-30")
    assert files_holding(folder, CANARY.encode()) == []
    refused = _cli(
        "withdrawals", str(folder), "--certificate", "Client interview 2", "--out", str(tmp_path / "c.docx")
    )
    assert refused.returncode == 1 and "has not been withdrawn" in refused.stderr
    assert not (tmp_path / "c.docx").exists()
    for command in ("withdraw", "withdrawals"):
        assert _cli(command, "--help").returncode == 0


def test_a_transcript_without_consent_record_is_not_touched_by_an_unknown_ref(project: Project) -> None:
    with pytest.raises(JswError):
        project.withdrawals.withdraw("no-such-uuid", "asked")


def test_a_transcript_deleted_before_the_withdrawal_is_not_brought_back_by_undo(
    project: Project, tmp_path: Path
) -> None:
    participant = _study(project, tmp_path)
    removed = project.transcripts.delete("C7b")  # the app keeps this on its undo stack
    project.withdrawals.withdraw(participant, "asked")
    with pytest.raises(InvalidInput, match="withdrew consent"):
        project.transcripts.restore(removed)
    assert values_holding(project, CANARY) == []
