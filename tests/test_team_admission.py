"""Members the lead admits, and packages that speak only for their sender (issue 14, parts 2 and 3).

A lead, two fieldworkers (Ailsa, Hamish) and an outsider who can write to the exchange folder and has
read the team file there. The outsider's join request and package stay pending and unmerged; a join
request swapped on the stick is caught when the lead admits with the fingerprint the member reads out;
two members cannot share a name; a package whose codings are made out in another coder's name is
refused whole.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from jswcoder.errors import JswError
from jswcoder.model import Coding
from jswcoder.project import Project
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.store import codings as coding_rows
from jswcoder.store import merge as merge_rows
from jswcoder.team import keys
from jswcoder.team.exchange import MEMBERS, REQUEST_FORMAT, REQUEST_VERSION, sync_fieldworker
from jswcoder.team.lead_sync import sync_lead
from jswcoder.team.membership import FingerprintMismatch
from tests.conftest import make_project, write_txt


def _member(tmp_path: Path, name: str, lead: Project, interview: int) -> Project:
    project, _ = make_project(tmp_path / name, coder=name)
    project.team.join(lead.team.team_file(), fingerprint=lead.team.fingerprint())
    text = f"P1: Interview {interview} says the office is shared now.\n"
    source = write_txt(tmp_path / f"in_{name}", f"int_{interview}.txt", text)
    project.transcripts.import_file(source, ParticipantFields("Justice social workers", interview))
    project.register.dismiss([c.text for c in project.register.suggestions()])
    theme = project.codebook.find("Partnership working")  # the team's
    project.codings.add(project.transcripts.all()[0].uuid, 4, 20, theme.uuid)
    return project


@pytest.fixture
def lead(tmp_path: Path) -> Project:
    project, _ = make_project(tmp_path / "lead", coder="Lead")
    project.codebook.add("Partnership working")
    project.team.create("JSW team")
    return project


def _forged_request(team_uuid: str, member_id: str, name: str) -> tuple[bytes, str]:
    """A join request an outsider writes under someone else's member id, signed with the outsider's key."""
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes_raw()
    body = {
        "format": REQUEST_FORMAT,
        "version": REQUEST_VERSION,
        "team_uuid": team_uuid,
        "member_id": member_id,
        "name": name,
        "signing_public": base64.b64encode(public).decode("ascii"),
        "signing_fingerprint": keys.fingerprint(public),
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")
    signature = key.sign(f"{REQUEST_FORMAT}/{REQUEST_VERSION}\x00".encode("ascii") + canonical)
    document = {
        "format": REQUEST_FORMAT,
        "version": REQUEST_VERSION,
        "request": body,
        "signature": base64.b64encode(signature).decode("ascii"),
    }
    return json.dumps(document).encode("utf-8"), keys.fingerprint(public)


def test_an_outsider_stays_pending_and_nothing_of_theirs_is_merged(tmp_path: Path, lead: Project) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    ailsa = _member(tmp_path, "Ailsa", lead, 1)
    outsider = _member(tmp_path, "Mallory", lead, 7)  # read the team file on the stick; joined unasked
    with lead, ailsa, outsider:
        for project in (ailsa, outsider):
            assert sync_fieldworker(project, stick).package is not None
        first = sync_lead(lead, stick)
        assert sorted(name for name, _ in first.pending) == ["Ailsa", "Mallory"]
        assert first.merged == [] and lead.transcripts.all() == []
        assert {m.name: m.state for m in lead.team.members()} == {"Ailsa": "pending", "Mallory": "pending"}

        lead.team.admit("Ailsa", ailsa.team.fingerprint())
        second = sync_lead(lead, stick)
        assert [m.member_name for m in second.merged] == ["Ailsa"]
        assert second.waiting == ["Mallory"] and second.pending == []
        assert [t.name for t in lead.transcripts.all()] == ["Justice social workers interview 1"]

        lead.team.refuse("Mallory")
        outsider.codings.add(outsider.transcripts.all()[0].uuid, 21, 27, "Partnership working")
        assert sync_fieldworker(outsider, stick).package is not None
        third = sync_lead(lead, stick)
        assert (third.merged, third.pending, third.waiting, third.refused) == ([], [], [], [])
        assert [t.name for t in lead.transcripts.all()] == ["Justice social workers interview 1"]
        assert {m.name: m.state for m in lead.team.members()}["Mallory"] == "refused"


def test_a_swapped_join_request_is_caught_at_admission(tmp_path: Path, lead: Project) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    hamish = _member(tmp_path, "Hamish", lead, 2)
    with lead, hamish:
        sync_fieldworker(hamish, stick)
        request = stick / MEMBERS / f"{hamish.team.membership().member_id}.json"
        forged, forged_fingerprint = _forged_request(
            lead.team.membership().team_uuid, hamish.team.membership().member_id, "Hamish"
        )
        request.write_bytes(forged)
        report = sync_lead(lead, stick)
        assert report.pending == [("Hamish", forged_fingerprint)]
        with pytest.raises(FingerprintMismatch, match="do not admit"):
            lead.team.admit("Hamish", hamish.team.fingerprint())
        assert lead.team.member("Hamish").state == "pending" and sync_lead(lead, stick).merged == []

        sync_fieldworker(hamish, stick)  # Hamish's own request is back on the stick
        again = sync_lead(lead, stick)
        assert again.pending == [("Hamish", hamish.team.fingerprint())]
        lead.team.admit("Hamish", hamish.team.fingerprint().replace("-", " "))
        assert [m.member_name for m in sync_lead(lead, stick).merged] == ["Hamish"]

        # Admitted, Hamish's key is fixed: a swapped request now is refused, not taken.
        request.write_bytes(forged)
        assert [r for _, r in sync_lead(lead, stick).refused] == [
            "Hamish asked to join with a different key than the one registered"
        ]


def test_two_members_cannot_share_a_name(tmp_path: Path, lead: Project) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    ailsa = _member(tmp_path, "Ailsa", lead, 1)
    twin = _member(tmp_path, "AILSA ", lead, 3)
    impostor = _member(tmp_path / "x", "Lead", lead, 4)
    with lead, ailsa, twin, impostor:
        sync_fieldworker(ailsa, stick)
        sync_lead(lead, stick)
        sync_fieldworker(twin, stick)
        sync_fieldworker(impostor, stick)
        report = sync_lead(lead, stick)
        assert report.pending == []
        assert sorted(reason for _, reason in report.refused) == [
            "someone in the team is already called 'AILSA'",
            "someone in the team is already called 'Lead'",
        ]
        assert [m.name for m in lead.team.members()] == ["Ailsa"]


def test_admission_needs_the_fingerprint_the_member_reads_out(tmp_path: Path, lead: Project) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    ailsa = _member(tmp_path, "Ailsa", lead, 1)
    with lead, ailsa:
        sync_fieldworker(ailsa, stick)
        sync_lead(lead, stick)
        with pytest.raises(FingerprintMismatch):
            lead.team.admit("Ailsa", "0000-0000-0000-0000")
        with pytest.raises(JswError, match="no one called 'Morag'"):
            lead.team.admit("Morag", ailsa.team.fingerprint())
        with pytest.raises(JswError, match="only the team's lead"):
            ailsa.team.admit("Ailsa", ailsa.team.fingerprint())
        assert lead.team.admit("ailsa", ailsa.team.fingerprint().lower()).state == "admitted"


def test_a_package_in_another_coders_name_is_refused_whole(tmp_path: Path, lead: Project) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    ailsa = _member(tmp_path, "Ailsa", lead, 1)
    hamish = _member(tmp_path, "Hamish", lead, 2)
    with lead, ailsa, hamish:
        for project in (ailsa, hamish):
            sync_fieldworker(project, stick)
        sync_lead(lead, stick)
        lead.team.admit("Ailsa", ailsa.team.fingerprint())
        lead.team.admit("Hamish", hamish.team.fingerprint())
        assert len(sync_lead(lead, stick).merged) == 2
        before = lead.counts()

        # Ailsa's laptop gains a coding made out in the lead's name, and one in Hamish's.
        transcript = ailsa.transcripts.all()[0].uuid
        theme = ailsa.codebook.find("Partnership working").uuid
        stamp = "2026-12-06T22:00:00+00:00"
        for n, (coder, name) in enumerate([(lead.coder.uuid, "Lead"), (hamish.coder.uuid, "Hamish")]):
            with ailsa.db.atomic():
                merge_rows.insert_coder(ailsa.db, coder, name)
                forged = Coding(
                    f"00000000-0000-4000-8000-00000000000{n}", transcript, theme, 21, 27, coder, stamp
                )
                coding_rows.insert_many(ailsa.db, [forged])
        assert sync_fieldworker(ailsa, stick).package is not None
        report = sync_lead(lead, stick)
        assert report.merged == []
        assert len(report.refused) == 1 and "another coder's name" in report.refused[0][1]
        assert lead.counts() == before
        assert {p.coder for p in lead.codings.passages()} == {"Ailsa", "Hamish"}
