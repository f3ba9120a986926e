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

A survey's respondents (issue 18) go as their attribution ("Survey respondent 17", the survey's template);
their closed answers are a case's own attributes, which leave, like the details above, only when opted in by
name (``attributes``) and through the indirect-identification check. A survey document carries its survey
(name and questions through the register), its respondent's number, and where each answer lies, remapped
into the anonymised text as codings are, so that each span still covers exactly the answer.

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
from jswcoder.store import assignments, meta
from jswcoder.store import surveys as survey_rows
from jswcoder.team.package_reader import FORMAT, FORMAT_VERSION

__all__ = [
    "OPTIONAL_ATTRIBUTES",
    "Outgoing",
    "build_package",
    "checked_package",
    "choose_package_attributes",
    "package_attributes",
    "releasable",
    "remaining_identifiers",
]

OPTIONAL_ATTRIBUTES = ("format", "mode", "council_area")
_CHOSEN = "team_package_attributes"  # project_meta: what a sync's package carries, chosen in the app


class Outgoing(dict[str, Any]):
    """A package document (plain JSON-ready data), and where the register put descriptors into it."""

    def __init__(self, document: dict[str, Any], inserted: Inserted) -> None:
        super().__init__(document)
        self.inserted = inserted


def releasable(project: Project) -> list[str]:
    """What a package may carry beyond the attribution, when asked for by name: the optional details,
    then the cases' own attributes (a survey's closed answers, "Role"), as stored."""
    own = project.cases.attribute_names()
    return [*OPTIONAL_ATTRIBUTES, *(name for name in own if name not in OPTIONAL_ATTRIBUTES)]


def package_attributes(project: Project) -> list[str]:
    """What this project's syncs carry beyond the attribution unless told otherwise: none until chosen
    (:func:`choose_package_attributes`); a chosen attribute no case has any more is left out."""
    saved = meta.get(project.db, _CHOSEN)
    if not saved:
        return []
    known = set(releasable(project))
    return [str(name) for name in json.loads(saved) if name in known]


def choose_package_attributes(project: Project, attributes: Sequence[str]) -> list[str]:
    """Choose what this project's syncs carry beyond the attribution (each still passes the indirect check
    when a package is built); returns the choice as stored, or :class:`InvalidInput` naming what may be."""
    chosen = _chosen(project, attributes)
    with project.db.atomic():
        meta.put(project.db, _CHOSEN, json.dumps(chosen, ensure_ascii=False))
    return chosen


def _chosen(project: Project, attributes: Sequence[str]) -> list[str]:
    """The attributes asked for, as stored (a case's own matched without regard to case), or refused."""
    if not attributes:
        return []
    known = releasable(project)
    folded = {name.casefold(): name for name in reversed(known)}
    chosen = [a if a in known else folded.get(a.strip().casefold(), "") for a in attributes]
    if not all(chosen):
        raise InvalidInput(f"attributes that can be included: {', '.join(known)}")
    return list(dict.fromkeys(chosen))


def _survey_part(
    project: Project, transcript_uuid: str, participant_uuid: str, anonymised: Anonymised, egress: Egress
) -> dict[str, Any] | None:
    """A survey document's respondent number and its answers' places in the anonymised text."""
    respondent = survey_rows.respondent(project.db, participant_uuid)
    if respondent is None:
        return None
    answers = []
    for answer in project.surveys.answers_in(transcript_uuid):
        start, end = anonymised.map_range(answer.start, answer.end)
        answers.append({"question": egress.apply(answer.question_key).text, "start": start, "end": end})
    return {"uuid": respondent[0], "number": respondent[1], "answers": answers}


def _survey_entries(project: Project, uuids: set[str], egress: Egress) -> list[dict[str, Any]]:
    """The surveys of the documents carried: name, template and questions, through the register."""
    return [
        {
            "uuid": survey.uuid,
            "name": egress.apply(survey.name).text,
            "attribution": survey.attribution,
            "questions": [
                {
                    "key": egress.apply(q.key).text,
                    "question": egress.apply(q.question).text,
                    "kind": q.kind,
                    "position": q.position,
                }
                for q in survey.questions
            ],
        }
        for survey in project.surveys.all()
        if survey.uuid in uuids
    ]


def build_package(
    project: Project,
    *,
    transcripts: Sequence[str] | None = None,
    attributes: Sequence[str] = (),
    sequence: int,
) -> Outgoing:
    """The package document for the chosen transcripts (all when None), anonymised with the register.

    ``attributes`` names what goes beyond the attribution (see :func:`releasable`)."""
    attributes = _chosen(project, attributes)
    details = [a for a in attributes if a in OPTIONAL_ATTRIBUTES]
    own = [a for a in attributes if a not in OPTIONAL_ATTRIBUTES]
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
    sources: list[dict[str, Any]] = []
    participants: dict[str, dict[str, Any]] = {}
    documents = project.surveys.documents([t.uuid for t in chosen])  # which are survey documents
    surveys: set[str] = set()
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
            values = released.get(person.uuid, {})
            participants[person.uuid] = {
                "uuid": person.uuid,
                "participant_group": person.participant_group,
                "interview_number": person.interview_number,
                **{a: egress.apply(values.get(a) or "").text or None for a in details},
            }
            mine = {egress.apply(a).text: egress.apply(values[a]).text for a in own if values.get(a)}
            if mine:  # a case's own attributes opted in (a survey's closed answers): a format 2 field
                participants[person.uuid]["attributes"] = mine
        turns = []
        for turn in project.transcripts.turns(transcript.uuid):
            start, end = anonymised.map_range(turn.start, turn.end)
            turns.append({"start": start, "end": end, "speaker": clean(turn.speaker).text})
        notes = [
            {"kind": note.kind, "text": clean(note.text).text}
            for note in project.transcripts.notes(transcript.uuid)
        ]
        survey = (
            _survey_part(project, transcript.uuid, participant.uuid, anonymised, egress)
            if participant is not None and transcript.uuid in documents
            else None
        )
        if survey is not None:
            surveys.add(survey["uuid"])
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
                **({"survey": survey} if survey is not None else {}),
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
        # The lowest format that holds what it carries: a lead not yet updated still merges interviews.
        "version": FORMAT_VERSION if surveys or any("attributes" in p for p in participants.values()) else 1,
        "app_version": __version__,
        "created_at": now(),
        "sequence": sequence,
        "project_uuid": project.uuid,
        "coder": {"uuid": project.coder.uuid, "name": project.coder.name},
        "participants": sorted(participants.values(), key=lambda p: p["interview_number"] or 0),
        "transcripts": sources,
        "surveys": _survey_entries(project, surveys, egress),
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
