"""Assignments for double coding as they travel: sealed into the team file, opened at the fieldworker.

The lead assigns a team transcript to a second fieldworker, who codes it blind (the lead's verbs are
:mod:`jswcoder.team.double_coding`); this module works on the database alone, so the project's team
facet (:mod:`jswcoder.team.membership`) can seal assignments into the team file it writes.

The assignment travels in the team file. For each open assignment the lead seals the transcript (its
anonymised text, speaker turns and notes, and the participant's attribution fields: group and interview
number) with :func:`jswcoder.team.envelope.seal`, for the assignee's X25519 key and signed by the lead;
the team file carries only the assignee's id and that ciphertext. The first coder's codings are never
sealed: the second coder works blind.

The payload is a team package document (:mod:`jswcoder.team.package_writer`) holding the one
transcript and nothing else, plus an ``assignment`` object (team, member, when), so the fieldworker
checks it with the same strict reader the lead uses for packages.

Keys: a fieldworker makes its X25519 pair on joining, or on its first sync after this feature arrived;
the public half goes in its join request, signed with the Ed25519 key the lead already knows, so the
lead learns it authentically. Until then an assignment waits.

The fieldworker imports the transcript under the same UUID (so its codings map back at the lead), named
"Double coding: <attribution>", records it as received with the hash of its text (a repeated sync adds
nothing), and sends it back in its packages as it came, unanonymised by its own register and unsearched
by the leak check (it is the lead's text already), but only while its text still has that hash; changed
here, it is anonymised and checked like any other (:mod:`jswcoder.services.egress`). An assignment whose
UUID this project already holds as a transcript of its own (one handed over in a .qdpx, whose plain text
has the UUID the lead knows it by) is refused with a note: it never becomes "the lead's text". At the
lead the merge takes the assignee's codings on it, and only the assignee's (:mod:`jswcoder.team.merge`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from jswcoder import __version__
from jswcoder.errors import InvalidInput
from jswcoder.ids import now
from jswcoder.model import Coder, Participant, Transcript
from jswcoder.store import assignments, people
from jswcoder.store import merge as merge_rows
from jswcoder.store import team as team_rows
from jswcoder.store import transcripts as transcript_rows
from jswcoder.store.team import MemberRow, TeamRow
from jswcoder.team import envelope
from jswcoder.team.package_reader import FORMAT, FORMAT_VERSION, MergeRefused, as_object, read_document
from jswcoder.team.teamfile import ASSIGNMENT_PURPOSE, TeamAssignment, TeamFile

PREFIX = "Double coding: "
SOURCE_FORMAT = "double-coding"
# An assignment holds one transcript: far less than a package may.
MAX_PAYLOAD = 64 * 1024 * 1024


@dataclass(frozen=True)
class Received:
    """What a team file's assignments added to a fieldworker's project."""

    added: list[str] = field(default_factory=list)  # names of the transcripts added
    notes: list[str] = field(default_factory=list)  # assignments not taken, and why


# -- the lead ---------------------------------------------------------------------------------------


def learn_key(db: Database, member: MemberRow, encryption_public: bytes) -> bool:
    """Record a member's encryption key from their signed join request; True if it is new or changed."""
    if member.encryption_public == encryption_public:
        return False
    with db.atomic():
        team_rows.set_member_encryption_key(db, member.member_id, encryption_public)
        assignments.forget_sealed(db, member.member_id)  # sealed for the old key: seal again
    return True


def _document(db: Database, team: TeamRow, lead: Coder, row: assignments.AssignmentRow) -> dict[str, Any]:
    """The package document that carries one assigned transcript: text, turns, notes, attribution."""
    transcript = transcript_rows.by_uuid(db, row.transcript_uuid)
    assert transcript is not None  # the assignment's foreign key cascades on delete
    text = transcript_rows.text(db, transcript.uuid)
    participant = (
        people.participant_by_uuid(db, transcript.participant_uuid) if transcript.participant_uuid else None
    )
    label = participant.attribution if participant and participant.attribution else transcript.name
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    source = {
        "uuid": transcript.uuid,
        "label": label,
        "participant_uuid": participant.uuid if participant else None,
        "text": text,
        "sha256": sha,
        "turns": [
            {"start": t.start, "end": t.end, "speaker": t.speaker}
            for t in transcript_rows.turns(db, transcript.uuid)
        ],
        "notes": [{"kind": n.kind, "text": n.text} for n in transcript_rows.notes(db, transcript.uuid)],
    }
    attribution = (
        [
            {
                "uuid": participant.uuid,
                "participant_group": participant.participant_group,
                "interview_number": participant.interview_number,
            }
        ]
        if participant
        else []
    )
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "app_version": __version__,
        "created_at": now(),
        "sequence": 1,
        "coder": {"uuid": lead.uuid, "name": lead.name},
        "assignment": {
            "team_uuid": team.team_uuid,
            "member_id": row.member_id,
            "assigned_at": row.assigned_at,
        },
        "participants": attribution,
        "transcripts": [source],
        "codes": [],
        "codings": [],  # blind: the first coder's codings never travel
        "memos": [],
        "manifest": {
            "transcripts": {transcript.uuid: sha},
            "codings_sha256": hashlib.sha256(json.dumps([], sort_keys=True).encode("utf-8")).hexdigest(),
        },
    }


def outgoing(db: Database, lead: Coder, budget: int) -> tuple[tuple[TeamAssignment, ...], int]:
    """The sealed assignments for the next team file, and how many wait (no key yet, or no room).

    A payload is sealed once and kept, so the team file stays the same bytes; it is sealed again when
    the transcript's text or the member's key has changed. At most *budget* bytes of them go in one
    file; the rest wait for a later one (an assignment leaves the file once its member has it).
    """
    team = team_rows.get(db)
    assert team is not None and team.role == "lead"
    chosen: list[TeamAssignment] = []
    waiting, used = 0, 0
    with db.atomic():
        for row in assignments.undelivered(db):
            member = team_rows.member(db, row.member_id)
            if member is None or member.encryption_public is None:
                waiting += 1
                continue
            sealed = row.sealed
            if sealed is None or row.content_sha256 != merge_rows.transcript_digest(db, row.transcript_uuid):
                document = _document(db, team, lead, row)
                try:
                    sealed = envelope.seal(
                        json.dumps(document, ensure_ascii=False, allow_nan=False).encode("utf-8"),
                        header={
                            "team_uuid": team.team_uuid,
                            "purpose": ASSIGNMENT_PURPOSE,
                            "app_version": __version__,
                        },
                        recipients={member.member_id: member.encryption_public},
                        sender_id=team.member_id,
                        signing_key=team.signing_private,
                    )
                except InvalidInput:  # a key no one can seal for: one member's problem, not the team file's
                    waiting += 1
                    continue
                assignments.set_sealed(
                    db,
                    row.transcript_uuid,
                    row.member_id,
                    document["manifest"]["transcripts"][row.transcript_uuid],
                    sealed,
                )
            size = len(sealed) * 4 // 3 + 200  # base64 and the JSON around it
            if used + size > budget:
                waiting += 1
                continue
            used += size
            chosen.append(TeamAssignment(row.member_id, sealed))
    return tuple(chosen), waiting


# -- a fieldworker ----------------------------------------------------------------------------------


def _open(
    db: Database, team: TeamRow, private: bytes, incoming: TeamFile, assignment: TeamAssignment
) -> tuple[str, dict[str, Any]]:
    """The lead's id and the checked payload of one assignment addressed to this member."""
    senders = {lead.member_id: lead.signing_public for lead in team_rows.leads(db)}
    opened = envelope.open_sealed(
        assignment.sealed,
        recipient_id=team.member_id,
        recipient_key=private,
        senders=senders,
        max_payload=MAX_PAYLOAD,
    )
    if opened.header.get("purpose") != ASSIGNMENT_PURPOSE or opened.header.get("team_uuid") != team.team_uuid:
        raise MergeRefused("it is not an assignment for this team")
    try:
        document = as_object(json.loads(opened.payload.decode("utf-8")), "the assignment")
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise MergeRefused("its contents cannot be read") from None
    about = as_object(document.get("assignment"), "'assignment'")
    if about.get("team_uuid") != incoming.team_uuid or about.get("member_id") != team.member_id:
        raise MergeRefused("it is addressed to someone else")
    return opened.sender_id, document


def receive(db: Database, coder: Coder, incoming: TeamFile) -> Received:
    """Import the transcripts the team file assigns to this member that it does not have yet."""
    team = team_rows.get(db)
    assert team is not None and team.role == "fieldworker"
    report = Received()
    mine = [a for a in incoming.assignments if a.member_id == team.member_id]
    if not mine or incoming.codebook_version < team.codebook_version:
        return report  # nothing for this member, or an older team file than the one applied
    own = team_rows.own_keys(db)
    if own is None:
        report.notes.append("an assignment arrived, but this project has no key to open it; sync again")
        return report
    received = assignments.received_uuids(db)
    for assignment in mine:
        try:
            lead_id, document = _open(db, team, own[0], incoming, assignment)
            package = read_document(document)
        except (envelope.EnvelopeError, MergeRefused) as error:
            report.notes.append(f"an assignment could not be used: {error}")
            continue
        if len(package.transcripts) != 1 or package.codings or package.codes or package.memos:
            report.notes.append("an assignment could not be used: it does not hold exactly one transcript")
            continue
        source = package.transcripts[0]
        if source.uuid in received:
            continue
        if transcript_rows.by_uuid(db, source.uuid) is not None:
            # This project's own transcript under the lead's UUID (a .qdpx hand-over): it is not the
            # lead's text, so it must never go back "as it came". Nothing is recorded; it stays ours.
            report.notes.append(
                f"{source.label!r} was not added for double coding: this project already holds a "
                "transcript of its own under the same identity (handed over in a .qdpx?). It is sent "
                "anonymised with your register, as before; ask the lead to withdraw the assignment"
            )
            continue
        with db.atomic():
            twin = transcript_rows.name_with_content(db, source.sha256)
            if twin is not None:
                assignments.record_received(db, source.uuid, lead_id, source.sha256)
                report.notes.append(
                    f"{source.label!r} was not added for double coding: the same text is already here as {twin!r}"
                )
                continue
            participant = _participant(
                db, package.participants, source.participant_uuid, report, source.label
            )
            name, n = PREFIX + source.label, 1
            while transcript_rows.by_name(db, name) is not None:
                n += 1
                name = f"{PREFIX}{source.label} ({n})"
            lead = next((lead.name for lead in team_rows.leads(db) if lead.member_id == lead_id), "the lead")
            transcript_rows.insert(
                db,
                Transcript(
                    source.uuid,
                    name,
                    participant,
                    f"assigned by {lead}",
                    SOURCE_FORMAT,
                    len(source.text),
                    now(),
                ),
                text=source.text,
                content_sha256=source.sha256,
                imported_by=coder.uuid,
                turns=source.turns,
                notes=source.notes,
                warnings=(),
            )
            assignments.record_received(db, source.uuid, lead_id, source.sha256)
        received.add(source.uuid)
        report.added.append(name)
    return report


def _participant(
    db: Database, incoming: tuple[Participant, ...], uuid: str | None, report: Received, label: str
) -> str | None:
    """The participant for a received transcript: the lead's, with its attribution fields only."""
    found = next((p for p in incoming if p.uuid == uuid), None)
    if found is None:
        return None
    if people.participant_by_uuid(db, found.uuid) is not None:
        return found.uuid  # another transcript of the same participant came before
    if found.interview_number is not None and people.participant_by_interview(db, found.interview_number):
        report.notes.append(
            f"{label!r}: this project has its own interview {found.interview_number}; "
            "the transcript was added without participant details"
        )
        return None
    people.insert_participant(db, Participant(found.uuid, found.participant_group, found.interview_number))
    return found.uuid


def received_transcripts(db: Database) -> set[str]:
    """Transcripts this project received to double-code. Each goes back to the lead exactly as it came
    while its text is the one that arrived (:func:`jswcoder.services.egress.came_unchanged`)."""
    return assignments.received_uuids(db)
