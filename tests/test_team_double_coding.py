"""Double coding through the team file: real encrypted projects, real keys, real sealed assignments.

Ailsa interviewed client 7 and coded the transcript; the lead assigns it to Hamish, who codes it blind;
Fiona is a third member who must not be able to read Hamish's assignment.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from jswcoder.cli import main
from jswcoder.errors import InvalidInput, JswError, NotFound
from jswcoder.project import Project
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.store import team as team_rows
from jswcoder.team import double_coding, envelope, keys, teamfile
from jswcoder.team.exchange import MEMBERS, TEAM_FILE, JoinRequest, read_join_request, sync_fieldworker
from jswcoder.team.lead_sync import sync_lead
from jswcoder.team.merge import merge_document
from jswcoder.team.package_writer import build_package
from tests.conftest import PASSPHRASE, admit, join_team, make_project, write_txt

# Kilbride stays in Ailsa's text (she reviewed it and dismissed it); Hamish has it in his register.
AILSA_TEXT = (
    "Interviewer: How did you find the groupwork?\n"
    "P1: The groupwork in Kilbride helped me stop drinking.\n"
    "P1: My worker Morag phoned every week.\n"
)
LEAD_TEXT = AILSA_TEXT.replace("Morag", "[JSW WORKER]")  # what the lead holds after Ailsa's package
HAMISH_TEXT = "Interviewer: Tell me about the order.\nP1: Unpaid work was fine for me.\n"
GROUPWORK, CONTACT = "Support/Groupwork", "Support/Contact"


@dataclass
class Team:
    lead: Project
    ailsa: Project
    hamish: Project
    fiona: Project
    stick: Path

    def transcript(self) -> str:
        """The UUID of client 7's transcript at the lead."""
        return self.lead.transcripts.find("Client interview 7").uuid

    def team_file(self) -> bytes:
        return (self.stick / TEAM_FILE).read_bytes()


def _member(tmp_path: Path, name: str, team_file: bytes) -> Project:
    project, _ = make_project(tmp_path / name, coder=name)
    join_team(project, team_file)
    return project


def _span(text: str, passage: str) -> tuple[int, int]:
    start = text.index(passage)
    return start, start + len(passage)


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Team]:
    """Three members who synced once; Ailsa's coded transcript of client 7 is in the team project."""
    lead, _ = make_project(tmp_path / "lead", coder="Lead")
    lead.codebook.add(GROUPWORK)
    lead.codebook.add(CONTACT)
    lead.team.create("JSW team")
    stick = tmp_path / "stick"
    stick.mkdir()
    team_file = lead.team.team_file()
    ailsa, hamish, fiona = (_member(tmp_path, name, team_file) for name in ("Ailsa", "Hamish", "Fiona"))
    ailsa.transcripts.import_file(
        write_txt(tmp_path / "in_a", "int_7.txt", AILSA_TEXT), ParticipantFields("Client", 7, mode="video")
    )
    ailsa.register.add("Morag", "[JSW WORKER]", "PERSON")
    ailsa.register.dismiss([c.text for c in ailsa.register.suggestions()])
    ailsa.codings.add("int_7", *_span(AILSA_TEXT, "helped me stop drinking"), GROUPWORK)
    ailsa.codings.add("int_7", *_span(AILSA_TEXT, "phoned every week"), CONTACT)
    hamish.transcripts.import_file(
        write_txt(tmp_path / "in_h", "int_8.txt", HAMISH_TEXT), ParticipantFields("Client", 8)
    )
    hamish.register.add("Kilbride", "[TOWN]", "PLACE")
    hamish.register.dismiss([c.text for c in hamish.register.suggestions()])
    for member in (ailsa, hamish, fiona):
        sync_fieldworker(member, stick)
    admit(lead, stick, ailsa, hamish, fiona)
    report = sync_lead(lead, stick)
    assert sorted(m.member_name for m in report.merged) == ["Ailsa", "Hamish"]
    yield Team(lead, ailsa, hamish, fiona, stick)
    for project in (lead, ailsa, hamish, fiona):
        project.close()


def _by_coder(project: Project, transcript_uuid: str) -> dict[str, set[tuple[str, str]]]:
    """coder UUID -> (theme path, passage) for each coding on a transcript."""
    text = project.transcripts.text_of(transcript_uuid)
    result: dict[str, set[tuple[str, str]]] = {}
    for coding in project.codings.of_transcript(transcript_uuid):
        result.setdefault(coding.coder_uuid, set()).add(
            (project.codebook.get(coding.code_uuid).path, text[coding.start : coding.end])
        )
    return result


def test_assign_code_blind_and_back(team: Team) -> None:
    lead, hamish, fiona = team.lead, team.hamish, team.fiona
    uuid = team.transcript()
    assert lead.transcripts.text_of(uuid) == LEAD_TEXT
    ailsa_work = {
        (GROUPWORK, "helped me stop drinking"),
        (CONTACT, "phoned every week"),
    }
    assert _by_coder(lead, uuid) == {team.ailsa.coder.uuid: ailsa_work}

    assigned = double_coding.assign(lead, "Client interview 7", "Hamish")
    assert (assigned.transcript, assigned.member_name, assigned.waiting) == (
        "Client interview 7",
        "Hamish",
        False,
    )
    assert sync_lead(lead, team.stick).team_file_written

    # The team file: one assignment, for Hamish, and no transcript text in it, readable or base64.
    data = team.team_file()
    assert lead.team.team_file() == data  # sealed once: the same bytes until something changes
    decoded = teamfile.decode(data)
    assert [a.member_id for a in decoded.assignments] == [hamish.coder.uuid]
    raw = json.loads(data)["team"]["assignments"]
    assert [set(item) for item in raw] == [{"member_id", "sealed"}]
    visible = data + b"".join(base64.b64decode(item["sealed"]) for item in raw)
    for phrase in ("groupwork", "stop drinking", "phoned every week", "Kilbride", "JSW WORKER", "Client"):
        assert phrase.encode() not in visible

    # Fiona cannot open it, and her sync brings her nothing.
    fiona_keys = fiona.team.encryption_keys()
    with pytest.raises(envelope.NotAddressedToYou):
        envelope.open_sealed(
            decoded.assignments[0].sealed,
            recipient_id=fiona.coder.uuid,
            recipient_key=fiona_keys.private,
            senders={lead.coder.uuid: lead.team.membership().signing_public},
        )
    assert sync_fieldworker(fiona, team.stick).received.added == []
    assert fiona.transcripts.all() == []

    # Hamish gets the transcript under the lead's UUID, with its attribution only and none of Ailsa's codings.
    report = sync_fieldworker(hamish, team.stick)
    assert report.received.added == ["Double coding: Client interview 7"] and report.received.notes == []
    received = hamish.transcripts.get(uuid)
    assert received.name == "Double coding: Client interview 7"
    assert hamish.transcripts.text_of(uuid) == LEAD_TEXT
    participant = hamish.transcripts.participant(received)
    assert participant is not None
    assert (participant.participant_group, participant.interview_number) == ("Client", 7)
    assert (participant.format, participant.mode, participant.council_area) == (None, None, None)
    assert hamish.codings.of_transcript(uuid) == []
    assert "Kilbride" not in {c.text for c in hamish.register.suggestions()}
    # Its return (uncoded yet) already tells the lead it arrived: the next team file no longer carries it.
    assert report.package is not None
    assert sync_lead(lead, team.stick).merged[0].refused == []
    assert teamfile.decode(team.team_file()).assignments == ()
    assert sync_fieldworker(hamish, team.stick).received.added == []  # idempotent
    assert [t.uuid for t in hamish.transcripts.all()].count(uuid) == 1

    # Hamish codes it blind; his register (Kilbride) does not touch the lead's text on the way back.
    mine = hamish.codings.add(uuid, *_span(LEAD_TEXT, "The groupwork in Kilbride helped me"), GROUPWORK)[0]
    hamish.codings.add(uuid, *_span(LEAD_TEXT, "[JSW WORKER] phoned every week"), CONTACT)
    hamish.memos.add("Hard to call: support or contact?", "transcript", uuid)
    sent = sync_fieldworker(hamish, team.stick)
    assert sent.package is not None
    merged = sync_lead(lead, team.stick).merged
    assert [(m.member_name, m.added["codings"], m.added["memos"], m.refused) for m in merged] == [
        ("Hamish", 2, 1, [])
    ]
    hamish_work = {
        (GROUPWORK, "The groupwork in Kilbride helped me"),
        (CONTACT, "[JSW WORKER] phoned every week"),
    }
    expected = {team.ailsa.coder.uuid: ailsa_work, hamish.coder.uuid: hamish_work}
    assert _by_coder(lead, uuid) == expected
    assert lead.transcripts.text_of(uuid) == LEAD_TEXT

    # Nothing new: nothing changes.
    assert sync_fieldworker(hamish, team.stick).package is None
    assert sync_lead(lead, team.stick).merged == []
    assert _by_coder(lead, uuid) == expected

    # Hamish drops a coding: only his goes at the lead.
    hamish.codings.remove(mine.uuid)
    assert sync_fieldworker(hamish, team.stick).package is not None
    merged = sync_lead(lead, team.stick).merged
    assert [m.removed["codings"] for m in merged] == [1]
    assert _by_coder(lead, uuid) == {
        team.ailsa.coder.uuid: ailsa_work,
        hamish.coder.uuid: {(CONTACT, "[JSW WORKER] phoned every week")},
    }


def test_a_package_cannot_code_a_transcript_not_assigned_to_its_member(team: Team) -> None:
    lead, hamish = team.lead, team.hamish
    uuid = team.transcript()
    double_coding.assign(lead, "Client interview 7", "Fiona")  # assigned, but to someone else
    document = build_package(hamish, sequence=hamish.team.membership().next_sequence)
    # Hamish's package claims the lead's transcript of client 7 and codes it.
    text = LEAD_TEXT
    document["transcripts"].append(
        {
            "uuid": uuid,
            "label": "Client interview 7",
            "participant_uuid": None,
            "text": text,
            "sha256": hashlib.sha256(text.encode()).hexdigest(),
            "turns": [],
            "notes": [],
        }
    )
    start, end = _span(text, "stop drinking")
    document["codings"].append(
        {
            "uuid": "0b7e0c8e-6a55-4d3c-9a59-2d1b1a7f0c11",
            "transcript_uuid": uuid,
            "code_uuid": lead.codebook.find(GROUPWORK).uuid,
            "start": start,
            "end": end,
            "coder_uuid": hamish.coder.uuid,
            "created_at": "2024-05-01T10:00:00+00:00",
        }
    )
    _refresh_manifest(document)
    report = merge_document(
        lead, document, member_id=hamish.coder.uuid, member_name="Hamish", sequence=document["sequence"]
    )
    assert report.refused == [
        "transcript 'Client interview 7': already in the team project from someone else"
    ]
    assert set(_by_coder(lead, uuid)) == {team.ailsa.coder.uuid}


def test_a_withdrawn_assignment_takes_no_codings(team: Team) -> None:
    lead, hamish = team.lead, team.hamish
    uuid = team.transcript()
    double_coding.assign(lead, uuid, "Hamish")
    sync_lead(lead, team.stick)
    sync_fieldworker(hamish, team.stick)
    sync_lead(lead, team.stick)
    hamish.codings.add(uuid, *_span(LEAD_TEXT, "stop drinking"), GROUPWORK)
    double_coding.withdraw(lead, uuid, "Hamish")
    assert sync_fieldworker(hamish, team.stick).package is not None
    (merged,) = sync_lead(lead, team.stick).merged
    assert merged.added["codings"] == 0
    assert merged.refused == [
        "transcript 'Client interview 7': its double coding was withdrawn; the codings on it were not taken"
    ]
    assert set(_by_coder(lead, uuid)) == {team.ailsa.coder.uuid}
    with pytest.raises(NotFound, match="is not assigned to Hamish"):
        double_coding.withdraw(lead, uuid, "Hamish")


def test_an_assignment_waits_for_a_member_who_joined_before_double_coding(team: Team) -> None:
    lead, hamish = team.lead, team.hamish
    # As if Hamish had joined with an older jswcoder: no key of his own, none known at the lead, and
    # his join request on the stick as that version wrote it (signed, without an encryption key).
    hamish.db.execute("DELETE FROM team_own_keys")
    lead.db.execute("UPDATE team_members SET encryption_public = NULL")
    request = _resign_request(
        team, hamish, lambda body: {k: v for k, v in body.items() if "encryption" not in k}
    )
    assert request.encryption_public is None
    assigned = double_coding.assign(lead, "Client interview 7", "Hamish")
    assert assigned.waiting
    sync_lead(lead, team.stick)
    assert teamfile.decode(team.team_file()).assignments == ()
    assert sync_fieldworker(hamish, team.stick).received.added == []  # makes his key, sends it signed
    report = sync_lead(lead, team.stick)
    assert report.keys_learned == ["Hamish"] and report.team_file_written
    key = team_rows.member(lead.db, hamish.coder.uuid)
    assert key is not None and key.encryption_public == hamish.team.encryption_keys().public
    assert sync_fieldworker(hamish, team.stick).received.added == ["Double coding: Client interview 7"]


def test_a_tampered_or_misaddressed_team_file_is_refused(team: Team) -> None:
    lead, hamish = team.lead, team.hamish
    double_coding.assign(lead, "Client interview 7", "Hamish")
    sync_lead(lead, team.stick)
    data = team.team_file()
    document = json.loads(data)
    sealed = bytearray(base64.b64decode(document["team"]["assignments"][0]["sealed"]))
    sealed[-100] ^= 1  # inside the ciphertext: still a well-formed envelope
    document["team"]["assignments"][0]["sealed"] = base64.b64encode(bytes(sealed)).decode()
    (team.stick / TEAM_FILE).write_text(json.dumps(document))
    skipped = sync_fieldworker(hamish, team.stick).skipped  # reported and passed over, not fatal
    assert len(skipped) == 1 and "changed since the lead signed it" in skipped[0]
    assert [t.name for t in hamish.transcripts.all()] == ["int_8"]

    # Signed by the lead, but Hamish's sealed assignment listed for Fiona: not a usable team file.
    decoded = teamfile.decode(data)
    misaddressed = replace(
        decoded, assignments=(replace(decoded.assignments[0], member_id=team.fiona.coder.uuid),)
    )
    forged = teamfile.encode(misaddressed, lead.team.membership().signing_private)
    with pytest.raises(teamfile.TeamFileError, match="cannot be read"):
        teamfile.decode(forged)
    for bad in ({"member_id": hamish.coder.uuid}, "x", {"member_id": "h", "sealed": "AAAA", "more": 1}):
        document = json.loads(data)
        document["team"]["assignments"] = [bad]
        with pytest.raises(teamfile.TeamFileError, match="cannot be read"):
            teamfile.decode(json.dumps(document).encode())

    # A team file without assignments (as older versions write) still reads, with none.
    plain = teamfile.encode(replace(decoded, assignments=()), lead.team.membership().signing_private)
    assert b"assignments" not in plain and teamfile.decode(plain).assignments == ()


def test_assign_refuses_what_it_cannot_do(team: Team) -> None:
    lead = team.lead
    with pytest.raises(JswError, match="only the team's lead"):
        double_coding.assign(team.hamish, "int_8", "Fiona")
    with pytest.raises(NotFound, match="no team member named 'Morag'"):
        double_coding.assign(lead, "Client interview 7", "Morag")
    with pytest.raises(InvalidInput, match="Ailsa contributed 'Client interview 7'"):
        double_coding.assign(lead, "Client interview 7", "Ailsa")
    double_coding.assign(lead, "Client interview 7", "Hamish")
    with pytest.raises(InvalidInput, match="already assigned to Hamish"):
        double_coding.assign(lead, "Client interview 7", "Fiona")
    lead_own = write_txt(team.stick.parent / "lead_in", "own.txt", "P1: A note the lead typed.\n")
    lead.transcripts.import_file(lead_own)
    with pytest.raises(InvalidInput, match="did not come from a fieldworker's package"):
        double_coding.assign(lead, "own", "Fiona")


def test_the_assign_command(
    team: Team, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folders = {name: str(p.paths.folder) for name, p in (("lead", team.lead), ("hamish", team.hamish))}
    for project in (team.lead, team.ailsa, team.hamish, team.fiona):
        project.close()
    monkeypatch.setenv("JSWCODER_PASSPHRASE", PASSPHRASE)

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["--no-keychain", *args])
        out, err = capsys.readouterr()
        return code, out, err

    lead = folders["lead"]
    code, _, err = run("assign", folders["hamish"], "int_8", "--coder", "Fiona")
    assert code == 1 and "only the team's lead assigns" in err
    code, _, err = run("assign", lead, "Client interview 7", "--coder", "Nobody")
    assert code == 1 and "no team member named 'Nobody'" in err
    code, _, err = run("assign", lead, "Client interview 7", "--coder", "Ailsa")
    assert code == 1 and "Ailsa contributed" in err
    code, out, err = run("assign", lead, "Client interview 7", "--coder", "Hamish")
    assert code == 0, err
    assert "assigned 'Client interview 7' to Hamish" in out and "next time you sync" in out
    code, _, err = run("assign", lead, "Client interview 7", "--coder", "Fiona")
    assert code == 1 and "already assigned to Hamish" in err and len(err.strip().splitlines()) == 1
    code, out, _ = run("assign", lead, "Client interview 7", "--coder", "Hamish", "--withdraw")
    assert code == 0 and "withdrew 'Client interview 7' from Hamish" in out
    code, out, _ = run("assign", lead, "Client interview 7", "--coder", "Fiona")
    assert code == 0 and "to Fiona" in out


def _resign_request(
    team: Team, member: Project, change: Callable[[dict[str, object]], dict[str, object]]
) -> JoinRequest:
    """Rewrite the member's join request on the stick, changed, and sign it again with their key."""
    path = team.stick / MEMBERS / f"{member.coder.uuid}.json"
    request = json.loads(path.read_bytes())
    body = change(request["request"])
    signing = Ed25519PrivateKey.from_private_bytes(member.team.membership().signing_private)
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()
    signature = signing.sign(b"jswcoder-join-request/1\x00" + canonical)
    path.write_text(
        json.dumps({**request, "request": body, "signature": base64.b64encode(signature).decode()})
    )
    return read_join_request(path.read_bytes())


def _refresh_manifest(document: dict[str, object]) -> None:
    transcripts = document["transcripts"]
    assert isinstance(transcripts, list)
    document["manifest"] = {
        "transcripts": {t["uuid"]: t["sha256"] for t in transcripts},
        "codings_sha256": hashlib.sha256(
            json.dumps(document["codings"], sort_keys=True).encode("utf-8")
        ).hexdigest(),
    }


def test_a_key_no_one_can_seal_for_holds_back_only_that_assignment(team: Team) -> None:
    lead, hamish = team.lead, team.hamish
    zero = bytes(32)  # the all-zero X25519 key: no shared secret with it, so nothing can be sealed for it
    _resign_request(
        team,
        hamish,
        lambda body: {
            **body,
            "encryption_public": base64.b64encode(zero).decode(),
            "encryption_fingerprint": keys.fingerprint(zero),
        },
    )
    double_coding.assign(lead, "Client interview 7", "Hamish")
    double_coding.assign(lead, "Client interview 8", "Fiona")
    report = sync_lead(lead, team.stick)  # the team file still goes out, with Fiona's assignment only
    assert report.keys_learned == ["Hamish"] and report.team_file_written
    assert [a.member_id for a in teamfile.decode(team.team_file()).assignments] == [team.fiona.coder.uuid]
