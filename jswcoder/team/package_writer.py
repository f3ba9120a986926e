"""Writing a team package: what it holds, built from a fieldworker's project, and the check before it leaves.

The document is plain data (JSON-ready); encrypting and signing it for the team is the envelope's job,
and :mod:`jswcoder.team.package_reader` (beside this module) is the format's other side: it owns the
format's name and version and reads a document strictly at the lead.
Everything textual goes through the register: transcript texts, speaker names, document notes, memos,
and theme names and descriptions (an in-vivo theme is named from a participant's words). Participants
appear only as their attribution ("Justice social workers interview 4") unless the user opts in to
further attributes one by one; a focus group's speaker cases go as participants of their own, linked to
their transcript by the speaker's label (through the register) and number. Codings are remapped into the anonymised texts, so each coded passage
in the package is the anonymised version of what was coded.

Before a package is written, :func:`remaining_identifiers` searches everything it would hold for every
register entry (in any case) and every detector candidate not yet reviewed; :class:`LeaksFound` refuses
the export until each is added to the register or dismissed. Both the replacing and the search are
:mod:`jswcoder.services.egress`'s, the one way out of a project, whose rules they follow: an entry is
excused only inside a descriptor this package's register inserted. The document :func:`build_package`
returns (:class:`Outgoing`) carries the record of those descriptors for the check.

A transcript received from the lead for double coding (:mod:`jswcoder.team.double_coding`) goes back
exactly as it came while its text is still the one that arrived (its hash was recorded on arrival): it is
the lead's anonymised text already, and the lead matches it by its hash. This project's register is not
applied to it and the leak check does not search it. Once its text has changed here, it is anonymised
and searched like any other transcript. The codings and memos on it are this project's own work and are
handled like any other.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Any

from jswcoder import __version__
from jswcoder.anonymise.remap import Anonymised
from jswcoder.errors import InvalidInput
from jswcoder.ids import now, text_sha256
from jswcoder.project import Project
from jswcoder.services.egress import Egress, Inserted, LeaksFound, came_unchanged, untouched
from jswcoder.services.indirect import IndirectCheck
from jswcoder.store import assignments
from jswcoder.team.package_reader import FORMAT, FORMAT_VERSION

__all__ = [
    "OPTIONAL_ATTRIBUTES",
    "Outgoing",
    "build_package",
    "checked_package",
    "remaining_identifiers",
]

OPTIONAL_ATTRIBUTES = ("format", "mode", "council_area")


class Outgoing(dict[str, Any]):
    """A package document (plain JSON-ready data), and where the register put descriptors into it."""

    def __init__(self, document: dict[str, Any], inserted: Inserted) -> None:
        super().__init__(document)
        self.inserted = inserted


def build_package(
    project: Project,
    *,
    transcripts: Sequence[str] | None = None,
    attributes: Sequence[str] = (),
    sequence: int,
) -> Outgoing:
    """The package document for the chosen transcripts (all when None), anonymised with the register."""
    unknown = [a for a in attributes if a not in OPTIONAL_ATTRIBUTES]
    if unknown:
        raise InvalidInput(f"attributes that can be included: {', '.join(OPTIONAL_ATTRIBUTES)}")
    chosen = (
        [project.transcripts.find(ref) for ref in transcripts] if transcripts else project.transcripts.all()
    )
    if not chosen:
        raise InvalidInput("there are no transcripts to export")
    egress = Egress(project.register)
    # Attributes beyond the attribution go out only as the indirect-identification check lets them:
    # generalised where a combination is shared by fewer than k participants (IndirectFound until decided).
    released = IndirectCheck(project.db, project.coder.uuid).released(attributes) if attributes else {}
    arrived = assignments.received_hashes(project.db)
    coded_by_transcript: dict[str, Anonymised] = {}
    sources, participants = [], {}
    for number, transcript in enumerate(chosen, start=1):
        text = project.transcripts.text_of(transcript.uuid)
        clean: Callable[[str], Anonymised] = (
            untouched
            if came_unchanged(arrived, transcript.uuid, text)
            else partial(egress.apply, about=(transcript.uuid,))
        )
        anonymised = clean(text)
        coded_by_transcript[transcript.uuid] = anonymised
        participant = project.transcripts.participant(transcript)
        label = participant.attribution if participant and participant.attribution else f"Transcript {number}"
        # A focus group's speaker cases go as participants of their own, linked by the speaker's label
        # (through the register, as in the turns) and their number within the group.
        speakers = project.speakers.cases(transcript.uuid)
        for person in [
            *([participant] if participant is not None else []),
            *(s.participant for s in speakers),
        ]:
            participants[person.uuid] = {
                "uuid": person.uuid,
                "participant_group": person.participant_group,
                "interview_number": person.interview_number,
                **{
                    a: egress.apply(released.get(person.uuid, {}).get(a) or "").text or None
                    for a in attributes
                },
            }
        turns = []
        for turn in project.transcripts.turns(transcript.uuid):
            start, end = anonymised.map_range(turn.start, turn.end)
            turns.append({"start": start, "end": end, "speaker": clean(turn.speaker).text})
        notes = [
            {"kind": note.kind, "text": clean(note.text).text}
            for note in project.transcripts.notes(transcript.uuid)
        ]
        sources.append(
            {
                "uuid": transcript.uuid,
                "label": label,
                "participant_uuid": participant.uuid if participant else None,
                "text": anonymised.text,
                "sha256": text_sha256(anonymised.text),
                "turns": turns,
                "notes": notes,
                "speaker_cases": [
                    {"speaker": clean(s.speaker).text, "participant_uuid": s.uuid, "number": s.number}
                    for s in speakers
                ],
            }
        )
    codings = []
    for transcript_uuid, anonymised in coded_by_transcript.items():
        for coding in project.codings.of_transcript(transcript_uuid):
            start, end = anonymised.map_range(coding.start, coding.end)
            codings.append(
                {
                    "uuid": coding.uuid,
                    "transcript_uuid": transcript_uuid,
                    "code_uuid": coding.code_uuid,
                    "start": start,
                    "end": end,
                    "coder_uuid": coding.coder_uuid,
                    "created_at": coding.created_at,
                }
            )
    codes = [
        {
            "uuid": code.uuid,
            "parent_uuid": code.parent_uuid,
            "name": egress.apply(code.name).text,
            "description": egress.apply(code.description).text,
            "colour": code.colour,
            "position": code.position,
            "origin": code.origin,
        }
        for code in project.codebook.all()
    ]
    exported = {t.uuid for t in chosen}
    coding_transcript: dict[str, str] = {str(c["uuid"]): str(c["transcript_uuid"]) for c in codings}
    memos = []
    for memo in project.memos.all():
        if memo.target_kind == "transcript" and memo.target_uuid not in exported:
            continue
        if memo.target_kind == "coding" and memo.target_uuid not in coding_transcript:
            continue
        scope = (
            memo.target_uuid
            if memo.target_kind == "transcript"
            else coding_transcript.get(memo.target_uuid or "")
        )
        memos.append(
            {
                "uuid": memo.uuid,
                "target_kind": memo.target_kind,
                "target_uuid": memo.target_uuid,
                "text": egress.apply(memo.text, (scope,) if scope else ()).text,
                "coder_uuid": memo.coder_uuid,
                "updated_at": memo.updated_at,
            }
        )
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "app_version": __version__,
        "created_at": now(),
        "sequence": sequence,
        "project_uuid": project.uuid,
        "coder": {"uuid": project.coder.uuid, "name": project.coder.name},
        "participants": sorted(participants.values(), key=lambda p: p["interview_number"] or 0),
        "transcripts": sources,
        "codes": codes,
        "codings": codings,
        "memos": memos,
        "manifest": {
            "transcripts": {s["uuid"]: s["sha256"] for s in sources},
            "codings_sha256": hashlib.sha256(json.dumps(codings, sort_keys=True).encode("utf-8")).hexdigest(),
        },
    }
    return Outgoing(document, egress.inserted)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def remaining_identifiers(project: Project, document: dict[str, Any]) -> list[str]:
    """Register entries and unreviewed detector candidates still found anywhere in the package.

    Only a document from :func:`build_package` knows where its descriptors were inserted; in any other,
    no hit is excused for lying inside one.
    """
    arrived = assignments.received_hashes(project.db)
    searched = {
        **{k: v for k, v in document.items() if k != "coder"},  # the team knows its coders
        "transcripts": [  # the lead's own text, going back as it came, is not searched
            t
            for t in document.get("transcripts", [])
            if not came_unchanged(arrived, str(t.get("uuid")), str(t.get("text")))
        ],
    }
    inserted = document.inserted if isinstance(document, Outgoing) else None
    return Egress(project.register, inserted).leaks(_strings(searched))


def checked_package(
    project: Project,
    *,
    transcripts: Sequence[str] | None = None,
    attributes: Sequence[str] = (),
    sequence: int,
) -> Outgoing:
    """The package document, or :class:`LeaksFound` when anything identifying would remain."""
    document = build_package(project, transcripts=transcripts, attributes=attributes, sequence=sequence)
    remaining = remaining_identifiers(project, document)
    if remaining:
        raise LeaksFound(remaining)
    return document
