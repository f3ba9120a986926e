"""Consent withdrawn across a team: the lead's order travels in the signed team file (by UUID only), two
fieldworkers apply it at their next sync and answer with signed receipts, and afterwards nothing of the
participant is left in any of the three projects or the exchange folder: not in any file's bytes, not in
any decrypted page of the databases, not in any table or search index, not in any package the lead
could still open."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import docx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from jswcoder.project import Project, ProjectPaths
from jswcoder.reports.docx_common import texts
from jswcoder.reports.withdrawal_certificate import write_certificate
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.store import team as team_rows
from jswcoder.team import envelope, teamfile
from jswcoder.team.double_coding import assign
from jswcoder.team.exchange import PACKAGE_SUFFIX, TEAM_FILE, sync_fieldworker
from jswcoder.team.lead_sync import sync_lead
from jswcoder.team.withdrawal_orders import RECEIPTS, Applied, encode_receipt
from tests.conftest import PASSPHRASE, admit, join_team, make_project, write_txt
from tests.withdrawal_scan import decrypted_pages, files_holding, values_holding

CANARY = "Quillfeather"
TEXT = f"P1: Morag {CANARY} runs the unpaid work team. {CANARY} has been there for years.\n"
OTHER = "P1: The waiting list is long, and the van broke down.\n"


def _fieldworker(tmp_path: Path, name: str, team_file: bytes) -> Project:
    project, _ = make_project(tmp_path / name, coder=name)
    join_team(project, team_file)
    return project


def _import(project: Project, tmp_path: Path, name: str, text: str, interview: int) -> None:
    source = write_txt(tmp_path / f"in_{project.coder.name}", f"{name}.txt", text)
    project.transcripts.import_file(source, ParticipantFields("Client", interview))
    project.register.dismiss([c.text for c in project.register.suggestions()])  # the canary travels


def _opened_packages(lead: Project, stick: Path) -> list[bytes]:
    row = lead.team.membership()
    assert row.encryption_private is not None
    senders = {m.member_id: m.signing_public for m in team_rows.members(lead.db)}
    return [
        envelope.open_sealed(
            path.read_bytes(),
            recipient_id=row.member_id,
            recipient_key=row.encryption_private,
            senders=senders,
        ).payload
        for path in sorted(stick.rglob(f"*{PACKAGE_SUFFIX}"))
    ]


def test_a_withdrawal_at_the_lead_reaches_two_fieldworkers_and_leaves_nothing(tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    lead, _ = make_project(tmp_path / "lead", coder="Lead")
    lead.team.create("JSW team")
    ailsa = _fieldworker(tmp_path, "Ailsa", lead.team.team_file())
    hamish = _fieldworker(tmp_path, "Hamish", lead.team.team_file())
    _import(ailsa, tmp_path, "int_7", TEXT, 7)
    _import(ailsa, tmp_path, "int_8", OTHER, 8)
    ailsa.codings.add("int_7", 4, 30, ailsa.codebook.add("Partnership working").uuid)
    sync_fieldworker(ailsa, stick)
    sync_fieldworker(hamish, stick)
    admit(lead, stick, ailsa, hamish)
    sync_lead(lead, stick)
    # Hamish double-codes the canary's interview: both fieldworkers hold it now.
    assign(lead, "Client interview 7", "Hamish")
    sync_lead(lead, stick)
    assert sync_fieldworker(hamish, stick).received.added
    hamish_keeps = hamish.transcripts.all()[0]
    hamish.codings.add(hamish_keeps.uuid, 4, 20, hamish.codebook.add("Partnership working").uuid)
    sync_fieldworker(hamish, stick)
    sync_lead(lead, stick)
    participant = lead.withdrawals.find("Client interview 7").participant_uuid
    assert hamish.withdrawals.find(participant).transcript_names  # held by all three
    assert CANARY.lower().encode() in b"".join(_opened_packages(lead, stick)).lower()

    done = lead.withdrawals.withdraw(participant, "Rang the office to withdraw", "2026-12-02")
    assert done.transcripts_purged == 1
    [status] = lead.withdrawals.status()
    assert status.confirmed == () and status.waiting == ("Ailsa", "Hamish")
    sync_lead(lead, stick)
    published = (stick / TEAM_FILE).read_bytes()
    assert teamfile.decode(published).withdrawals == (participant,)
    # The order names the participant by UUID only: no attribution, reason or date on the stick.
    for word in (b"Client interview 7", b"Rang the office", b"2026-12-02", CANARY.encode()):
        assert word not in published

    for member in (ailsa, hamish):
        report = sync_fieldworker(member, stick)
        assert report.withdrawn == 1 and report.receipt is not None
        assert member.withdrawals.all()[0].purged == 1
        assert values_holding(member, CANARY) == []
    assert [t.name for t in ailsa.transcripts.all()] == ["int_8"]
    assert hamish.transcripts.all() == []
    receipt = json.loads((stick / RECEIPTS / f"{ailsa.team.membership().member_id}.json").read_bytes())
    assert receipt["receipt"]["withdrawals"][0]["participant_uuid"] == participant

    report = sync_lead(lead, stick)
    assert sorted(report.confirmed) == ["Ailsa", "Hamish"]
    [status] = lead.withdrawals.status()
    assert status.waiting == ()
    assert sorted((c.member, c.held) for c in status.confirmed) == [("Ailsa", True), ("Hamish", True)]
    assert sync_lead(lead, stick).confirmed == []  # nothing new the second time
    assert [t.name for t in lead.transcripts.all()] == ["Client interview 8"]  # Ailsa's other one stays
    for payload in _opened_packages(lead, stick):
        assert CANARY.lower().encode() not in payload.lower()  # the old packages are gone from the stick

    _check_certificate(lead, tmp_path / "certificate.docx")

    keys = {}
    for project in (lead, ailsa, hamish):
        assert values_holding(project, CANARY) == []
        keys[project.paths.folder] = project._data_key
        project.close()
    for root, key in keys.items():
        assert key is not None
        assert CANARY.lower().encode() not in decrypted_pages(ProjectPaths.of(root).database, key)
        assert [p.name for p in root.iterdir() if p.name.endswith(("-wal", "-shm"))] == []
    for folder in (*keys, stick):
        assert files_holding(folder, CANARY.encode()) == []
    for project_folder in keys:
        again = Project.open(project_folder, passphrase=PASSPHRASE)
        try:
            assert values_holding(again, CANARY) == []
        finally:
            again.close()
    listed = subprocess.run(
        [sys.executable, "-m", "jswcoder", "--no-keychain", "withdrawals", str(tmp_path / "lead"), "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, "JSWCODER_PASSPHRASE": PASSPHRASE},
        stdin=subprocess.DEVNULL,
        check=True,
    )
    [row] = json.loads(listed.stdout)
    assert (row["attribution"], row["waiting"]) == ("Client interview 7", [])
    assert sorted(c["member"] for c in row["confirmed"]) == ["Ailsa", "Hamish"]
    out = tmp_path / "by the command line.docx"
    written = subprocess.run(
        [sys.executable, "-m", "jswcoder", "--no-keychain", "withdrawals", str(tmp_path / "lead"),
         "--certificate", "client interview 7", "--out", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "JSWCODER_PASSPHRASE": PASSPHRASE},
        stdin=subprocess.DEVNULL,
        check=True,
    )  # fmt: skip
    assert written.stdout.startswith("wrote the destruction certificate for Client interview 7")
    assert "Hamish" in "\n".join(texts(docx.Document(str(out))))


def _check_certificate(lead: Project, out: Path) -> None:
    """The certificate names the participant by attribution, the date, who confirmed when; nothing else."""
    status = write_certificate(lead, "Client interview 7", out)
    assert status.waiting == ()
    whole = "\n".join(texts(docx.Document(str(out))))
    for expected in (
        "Certificate of destruction",
        "Participant: Client interview 7",
        "2026-12-02",
        "Ailsa",
        "Hamish",
    ):
        assert expected in whole
    for c in status.confirmed:
        assert c.applied_at[:10] in whole
    for absent in ("Rang the office", CANARY, "JSW team", "Test study", "int_7"):
        assert absent not in whole


def test_a_fieldworkers_own_withdrawal_reaches_the_lead_and_a_forged_receipt_does_not(tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    lead, _ = make_project(tmp_path / "lead", coder="Lead")
    lead.team.create("JSW team")
    ailsa = _fieldworker(tmp_path, "Ailsa", lead.team.team_file())
    hamish = _fieldworker(tmp_path, "Hamish", lead.team.team_file())
    _import(ailsa, tmp_path, "int_7", TEXT, 7)
    _import(hamish, tmp_path, "int_2", OTHER, 2)
    for member in (ailsa, hamish):
        sync_fieldworker(member, stick)
    admit(lead, stick, ailsa, hamish)
    sync_lead(lead, stick)
    theirs = lead.withdrawals.find("Client interview 7").participant_uuid
    hamishs = lead.withdrawals.find("Client interview 2").participant_uuid

    # Hamish's key signs a receipt saying Ailsa's participant withdrew: not his to say. Someone else's key
    # signs one in Ailsa's name: refused as forged.
    row = hamish.team.membership()
    stranger = Ed25519PrivateKey.generate().private_bytes_raw()
    (stick / RECEIPTS).mkdir()
    applied = [Applied(theirs, True, "2026-12-01T10:00:00+00:00")]
    (stick / RECEIPTS / f"{row.member_id}.json").write_bytes(
        encode_receipt(
            team_uuid=row.team_uuid,
            member_id=row.member_id,
            signing_private=row.signing_private,
            applied=applied,
        )
    )
    ailsa_id = ailsa.team.membership().member_id
    (stick / RECEIPTS / f"{ailsa_id}.json").write_bytes(
        encode_receipt(team_uuid=row.team_uuid, member_id=ailsa_id, signing_private=stranger, applied=applied)
    )
    report = sync_lead(lead, stick)
    assert report.confirmed == [] and lead.withdrawals.all() == []
    assert [file for file, _ in report.refused] == [f"{RECEIPTS}/{ailsa_id}.json"]
    assert "Client interview 7" in [t.name for t in lead.transcripts.all()]
    for planted in (stick / RECEIPTS).iterdir():
        planted.unlink()

    # Ailsa withdraws her own participant; her sync's receipt says so, and the lead follows.
    ailsa.withdrawals.withdraw(ailsa.withdrawals.find("int_7").participant_uuid, "Phoned me", "2026-12-03")
    sync_fieldworker(ailsa, stick)
    report = sync_lead(lead, stick)
    assert report.confirmed == ["Ailsa"]
    [status] = lead.withdrawals.status()
    # The receipt carries when she applied it, not her reason or date: the lead's record is dated so.
    applied_on = ailsa.withdrawals.all()[0].recorded_at[:10]
    assert (status.record.participant_uuid, status.record.withdrawn_on) == (theirs, applied_on)
    assert status.record.reason == "withdrawn by Ailsa in their own project"
    assert status.waiting == ("Hamish",)
    assert [t.name for t in lead.transcripts.all()] == ["Client interview 2"]
    # Hamish never held them: he still applies the order and says so.
    assert teamfile.decode((stick / TEAM_FILE).read_bytes()).withdrawals == (theirs,)
    assert sync_fieldworker(hamish, stick).withdrawn == 0
    sync_lead(lead, stick)
    [status] = lead.withdrawals.status()
    assert sorted((c.member, c.held) for c in status.confirmed) == [("Ailsa", True), ("Hamish", False)]
    assert [t.name for t in hamish.transcripts.all()] == ["int_2"] and hamishs
    for project in (lead, ailsa, hamish):
        project.close()
