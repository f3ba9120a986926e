"""Double coding without a back door (issue 14, part 4): real encrypted projects, a real team and stick.

Ailsa interviewed client 7; her anonymised transcript is in the team project under her transcript's
UUID. A transcript goes back from a fieldworker "as it came", unanonymised by her register and unsearched
by the leak check, only when it did come through an assignment and its text is still the one that
arrived. Hamish, who was handed Ailsa's project as a .qdpx before he joined, holds client 7 under that
same UUID in plain text: an assignment of it is refused with a note, and his copy is anonymised and
checked like any other. A received transcript whose text changed here is anonymised and checked too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from jswcoder.project import Project
from jswcoder.refiqda.export_project import export_project
from jswcoder.refiqda.import_project import import_qdpx
from jswcoder.services.egress import LeaksFound
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.store import assignments
from jswcoder.store import merge as merge_rows
from jswcoder.team import double_coding, envelope, teamfile
from jswcoder.team.exchange import sync_fieldworker
from jswcoder.team.lead_sync import sync_lead
from jswcoder.team.package_writer import checked_package
from tests.conftest import FAST_KDF, PASSPHRASE, make_project, write_txt

AILSA_TEXT = (
    "Interviewer: How did you find the groupwork?\n"
    "P1: The groupwork in Kilbride helped me stop drinking.\n"
    "P1: My worker Morag phoned every week.\n"
)
LEAD_TEXT = AILSA_TEXT.replace("Morag", "[JSW WORKER]")  # what the lead holds after Ailsa's package
HAMISH_TEXT = "Interviewer: Tell me about the order.\nP1: Unpaid work was fine for me.\n"
GROUPWORK = "Support/Groupwork"


@dataclass
class Team:
    lead: Project
    stick: Path


def _join(project: Project, team: Team) -> None:
    data = team.lead.team.team_file()
    project.team.join(data, fingerprint=teamfile.decode(data).fingerprint)


def _admit(team: Team, *members: Project) -> None:
    """The lead's sync that brings the members' join requests, each admitted, and a sync that merges."""
    sync_lead(team.lead, team.stick)
    for member in members:
        team.lead.team.admit(member.team.membership().member_id, member.team.fingerprint())
    sync_lead(team.lead, team.stick)


def _opened(team: Team, member: Project, package: Path) -> dict[str, object]:
    """A package as the lead reads it."""
    me = team.lead.team.membership()
    assert me.encryption_private is not None
    sender = member.team.membership()
    opened = envelope.open_sealed(
        package.read_bytes(),
        recipient_id=me.member_id,
        recipient_key=me.encryption_private,
        senders={sender.member_id: sender.signing_public},
    )
    document: dict[str, object] = json.loads(opened.payload)
    return document


def _texts(document: dict[str, object]) -> dict[str, str]:
    transcripts = document["transcripts"]
    assert isinstance(transcripts, list)
    return {t["uuid"]: t["text"] for t in transcripts}


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Team]:
    """The lead holds Ailsa's client 7, anonymised ("Morag" is "[JSW WORKER]"; Kilbride she dismissed)."""
    lead, _ = make_project(tmp_path / "lead", coder="Lead")
    lead.codebook.add(GROUPWORK)
    lead.team.create("JSW team")
    stick = tmp_path / "stick"
    stick.mkdir()
    found = Team(lead, stick)
    ailsa, _ = make_project(tmp_path / "ailsa", coder="Ailsa")
    _join(ailsa, found)
    ailsa.transcripts.import_file(
        write_txt(tmp_path / "in_a", "int_7.txt", AILSA_TEXT), ParticipantFields("Client", 7)
    )
    ailsa.register.add("Morag", "[JSW WORKER]", "PERSON")
    ailsa.register.dismiss([c.text for c in ailsa.register.suggestions()])
    sync_fieldworker(ailsa, stick)
    _admit(found, ailsa)
    assert lead.transcripts.text_of(lead.transcripts.find("Client interview 7").uuid) == LEAD_TEXT
    export_project(ailsa, tmp_path / "handover.qdpx", originals=True)  # for a colleague taking over
    ailsa.close()
    yield found
    lead.close()


def _client_7(team: Team) -> str:
    return team.lead.transcripts.find("Client interview 7").uuid


def test_an_assignment_of_a_transcript_already_here_is_refused_and_it_stays_anonymised(
    team: Team, tmp_path: Path
) -> None:
    # Hamish took over Ailsa's interviews as a .qdpx: client 7, in plain text, under the team's UUID.
    hamish, _, _ = import_qdpx(
        tmp_path / "handover.qdpx", tmp_path / "hamish", coder="Hamish", passphrase=PASSPHRASE, kdf=FAST_KDF
    )
    with hamish:
        uuid = _client_7(team)
        assert AILSA_TEXT in hamish.transcripts.text_of(uuid)
        hamish.register.add("Kilbride", "[TOWN]", "PLACE")
        hamish.register.dismiss([c.text for c in hamish.register.suggestions() if c.text != "Morag"])
        _join(hamish, team)
        with pytest.raises(LeaksFound):  # his join request goes; a package with Morag in it does not
            sync_fieldworker(hamish, team.stick)
        _admit(team, hamish)
        double_coding.assign(team.lead, "Client interview 7", "Hamish")
        sync_lead(team.lead, team.stick)

        # The assignment does not turn his own copy into "the lead's text, going back as it came".
        with pytest.raises(LeaksFound) as refused:
            sync_fieldworker(hamish, team.stick)
        assert refused.value.remaining == ["Morag"]
        hamish.register.add("Morag", "[WORKER]", "PERSON")
        report = sync_fieldworker(hamish, team.stick)
        assert report.received.added == []
        assert report.received.notes == [
            "'Client interview 7' was not added for double coding: this project already holds a "
            "transcript of its own under the same identity (handed over in a .qdpx?). It is sent "
            "anonymised with your register, as before; ask the lead to withdraw the assignment"
        ]
        assert uuid not in assignments.received_uuids(hamish.db)
        assert report.package is not None
        sent = _texts(_opened(team, hamish, report.package))[uuid]
        assert "P1: The groupwork in [TOWN] helped me stop drinking.\nP1: My worker [WORKER] phoned" in sent
        # Each sync says so again while the assignment stays open; nothing is recorded as received.
        again = sync_fieldworker(hamish, team.stick)
        assert again.received.notes == report.received.notes and again.package is None


def test_a_received_transcript_changed_here_is_anonymised_and_checked(team: Team, tmp_path: Path) -> None:
    hamish, _ = make_project(tmp_path / "hamish", coder="Hamish")
    with hamish:
        hamish.transcripts.import_file(
            write_txt(tmp_path / "in_h", "int_8.txt", HAMISH_TEXT), ParticipantFields("Client", 8)
        )
        hamish.register.add("Kilbride", "[TOWN]", "PLACE")
        hamish.register.dismiss([c.text for c in hamish.register.suggestions()])
        _join(hamish, team)
        sync_fieldworker(hamish, team.stick)
        _admit(team, hamish)
        uuid = _client_7(team)
        double_coding.assign(team.lead, uuid, "Hamish")
        sync_lead(team.lead, team.stick)
        report = sync_fieldworker(hamish, team.stick)
        assert report.received.added == ["Double coding: Client interview 7"]
        # As it came: the lead's text, Kilbride and all (his register is not applied to it).
        assert report.package is not None
        assert _texts(_opened(team, hamish, report.package))[uuid] == LEAD_TEXT

        # The text changes here afterwards: it is no longer the lead's text, so it is anonymised and checked.
        changed = LEAD_TEXT + "P1: My uncle Fergus drove me there.\n"
        with hamish.db.atomic():
            merge_rows.replace_text(
                hamish.db,
                uuid,
                text=changed,
                content_sha256=hashlib.sha256(changed.encode("utf-8")).hexdigest(),
                turns=(),
                notes=(),
            )
        assert "Fergus" in {c.text for c in hamish.register.suggestions()}
        with pytest.raises(LeaksFound) as refused:
            sync_fieldworker(hamish, team.stick)
        assert refused.value.remaining == ["Fergus"]
        hamish.register.add("Fergus", "[RELATIVE]", "PERSON")
        document = checked_package(hamish, sequence=hamish.team.next_sequence())
        assert _texts(document)[uuid] == (
            LEAD_TEXT.replace("Kilbride", "[TOWN]") + "P1: My uncle [RELATIVE] drove me there.\n"
        )
