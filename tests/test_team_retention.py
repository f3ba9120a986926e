"""The study's retention period ends: the lead's signed order reaches two fieldworkers, each signs a
receipt and destroys their project, the lead sees both, writes the certificate and destroys its own;
afterwards no project opens, no key is left in the keychain or the folders, and no file holds the
participants' words."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from jswcoder.errors import JswError
from jswcoder.project import Project, ProjectPaths
from jswcoder.reports.docx_common import texts
from jswcoder.reports.withdrawal_certificate import destroy_with_certificate
from jswcoder.security.memory_keychain import MemoryKeychain
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.team import teamfile
from jswcoder.team.exchange import PACKAGE_SUFFIX, TEAM_FILE, sync_fieldworker
from jswcoder.team.lead_sync import sync_lead
from jswcoder.team.withdrawal_orders import RECEIPTS, encode_receipt
from tests.conftest import PASSPHRASE, admit, join_team, make_project, write_txt
from tests.withdrawal_scan import files_holding

CANARY = "Quillfeather"


def _member(tmp_path: Path, name: str, team_file: bytes, interview: int) -> Project:
    project, _ = make_project(tmp_path / name, coder=name)
    join_team(project, team_file)
    source = write_txt(tmp_path / f"in_{name}", f"int_{interview}.txt", f"P1: {CANARY} said {name} came.\n")
    project.transcripts.import_file(source, ParticipantFields("Client", interview))
    project.register.dismiss([c.text for c in project.register.suggestions()])
    return project


def _gone(folder: Path) -> None:
    paths = ProjectPaths.of(folder)
    assert not paths.database.exists() and not paths.keys.exists() and not paths.pending_keys.exists()
    assert [p.name for p in folder.iterdir()] == []
    with pytest.raises(JswError):
        Project.open(folder, passphrase=PASSPHRASE)


def test_a_retention_order_leaves_no_readable_project(tmp_path: Path, memory_keyring: MemoryKeychain) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    lead, _ = make_project(tmp_path / "lead", coder="Lead")
    lead.team.create("JSW team")
    ailsa = _member(tmp_path, "Ailsa", lead.team.team_file(), 1)
    hamish = _member(tmp_path, "Hamish", lead.team.team_file(), 2)
    for member in (ailsa, hamish):
        sync_fieldworker(member, stick)
    admit(lead, stick, ailsa, hamish)
    sync_lead(lead, stick)
    assert len(lead.transcripts.all()) == 2
    assert len(memory_keyring.secrets) == 3  # each project's key, kept in the keychain

    ended = lead.withdrawals.end_retention()
    assert sync_lead(lead, stick).team_file_written
    assert teamfile.decode((stick / TEAM_FILE).read_bytes()).retention_ended
    retention = lead.withdrawals.retention()
    assert retention is not None and retention.waiting == ("Ailsa", "Hamish")

    for member in (ailsa, hamish):
        folder = member.paths.folder
        report = sync_fieldworker(member, stick)
        assert report.destroyed and report.package is None
        _gone(folder)
    assert len(memory_keyring.secrets) == 1  # only the lead's
    assert list(stick.rglob(f"*{PACKAGE_SUFFIX}")) == []  # their packages went with them

    report = sync_lead(lead, stick)
    assert sorted(report.destroyed) == ["Ailsa", "Hamish"]
    retention = lead.withdrawals.retention()
    assert retention is not None and retention.waiting == () and retention.ended_at == ended
    with pytest.raises(JswError, match="outside"):
        destroy_with_certificate(lead, lead.paths.folder / "certificate.docx")
    destroy_with_certificate(lead, tmp_path / "certificate.docx")
    _gone(tmp_path / "lead")
    assert memory_keyring.secrets == {}

    whole = "\n".join(texts(docx.Document(str(tmp_path / "certificate.docx"))))
    for expected in ("end of retention", "Ailsa", "Hamish", "Lead"):
        assert expected in whole
    assert CANARY not in whole and "JSW team" not in whole
    for folder in ("lead", "Ailsa", "Hamish", "stick"):
        assert files_holding(tmp_path / folder, CANARY.encode()) == []


def test_an_outsider_can_neither_order_the_end_nor_confirm_it(tmp_path: Path) -> None:
    """Mallory can write to the exchange folder. Her own team file, signed with her key and saying the
    retention period has ended, destroys nobody's project; a destruction receipt she signs in Hamish's
    name is refused and Hamish stays awaited; the lead's real order then goes through as before."""
    stick = tmp_path / "stick"
    stick.mkdir()
    lead, _ = make_project(tmp_path / "lead", coder="Lead")
    lead.team.create("JSW team")
    ailsa = _member(tmp_path, "Ailsa", lead.team.team_file(), 1)
    hamish = _member(tmp_path, "Hamish", lead.team.team_file(), 2)
    for member in (ailsa, hamish):
        sync_fieldworker(member, stick)
    admit(lead, stick, ailsa, hamish)
    sync_lead(lead, stick)

    mallory, _ = make_project(tmp_path / "mallory", coder="Mallory")
    mallory.team.create("JSW team")
    mallory.withdrawals.end_retention()
    (stick / TEAM_FILE).write_bytes(mallory.team.team_file())
    assert teamfile.decode((stick / TEAM_FILE).read_bytes()).retention_ended
    report = sync_fieldworker(ailsa, stick)
    assert not report.destroyed and not report.to_destroy
    assert any(line.startswith(TEAM_FILE) for line in report.skipped)
    assert ailsa.paths.database.exists() and [t.name for t in ailsa.transcripts.all()] == ["int_1"]

    lead.withdrawals.end_retention()
    sync_lead(lead, stick)  # the lead's signed team file replaces Mallory's
    row = hamish.team.membership()
    (stick / RECEIPTS).mkdir(exist_ok=True)
    (stick / RECEIPTS / f"{row.member_id}.json").write_bytes(
        encode_receipt(
            team_uuid=row.team_uuid,
            member_id=row.member_id,
            signing_private=Ed25519PrivateKey.generate().private_bytes_raw(),
            applied=[],
            destroyed_at="2026-12-07T10:00:00+00:00",
        )
    )
    report = sync_lead(lead, stick)
    assert report.destroyed == [] and [file for file, _ in report.refused] == [
        f"{RECEIPTS}/{row.member_id}.json"
    ]
    retention = lead.withdrawals.retention()
    assert retention is not None and retention.waiting == ("Ailsa", "Hamish")
    assert hamish.paths.database.exists()

    (stick / RECEIPTS / f"{row.member_id}.json").unlink()
    for member in (ailsa, hamish):
        folder = member.paths.folder
        assert sync_fieldworker(member, stick).destroyed
        _gone(folder)
    assert sorted(sync_lead(lead, stick).destroyed) == ["Ailsa", "Hamish"]
    for project in (lead, mallory):
        project.close()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jswcoder", "--no-keychain", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "JSWCODER_PASSPHRASE": PASSPHRASE},
        stdin=subprocess.DEVNULL,
    )


def test_command_line_outside_a_team(tmp_path: Path) -> None:
    project, _ = make_project(tmp_path / "solo")
    project.close()
    refused = _cli("retention-ended", str(tmp_path / "solo"), "--destroy", "--certificate", "c.docx")
    assert refused.returncode == 1 and "--yes" in refused.stderr
    assert ProjectPaths.of(tmp_path / "solo").database.exists()
    out = tmp_path / "certificate.docx"
    done = _cli("retention-ended", str(tmp_path / "solo"), "--destroy", "--certificate", str(out), "--yes")
    assert done.returncode == 0, done.stderr
    assert "destroyed" in done.stdout and out.is_file()
    _gone(tmp_path / "solo")
    assert _cli("retention-ended", "--help").returncode == 0
