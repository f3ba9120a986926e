"""Storing what a project.qde holds besides codes and texts: users, cases, codings and notes.

Each function runs inside the importer's one transaction and keeps the other tool's GUIDs as UUIDs,
so that a later export of the project carries the same identities.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from jswcoder.ids import new_uuid, now
from jswcoder.model import (
    INTERVIEW_FORMATS,
    INTERVIEW_MODES,
    MAX_INTERVIEW_NUMBER,
    Coding,
    Memo,
    MemoTarget,
    Participant,
)
from jswcoder.offsets import Convention, OffsetMap
from jswcoder.project import Project
from jswcoder.refiqda.export_project import COUNCIL_AREA, NOTE_NAMES, VARIABLES
from jswcoder.refiqda.positions import convert
from jswcoder.refiqda.reading import CaseEntry, ProjectEntry
from jswcoder.refiqda.report import ImportReport
from jswcoder.refiqda.surveys import CASE_NAME
from jswcoder.store import codings, memos, people
from jswcoder.store.merge import coder_name_taken, insert_coder

# A case's variables that are this app's own participant fields, by the names its export gives them.
_FIELDS = {name.casefold(): attribute for attribute, name, _kind in (*VARIABLES, COUNCIL_AREA)}
_ALLOWED: dict[str, tuple[str, ...]] = {"format": INTERVIEW_FORMATS, "mode": INTERVIEW_MODES}
_PLAIN_NOTE_NAMES = {"", *NOTE_NAMES.values()}  # names that say nothing the memo's place does not
_NUMBERED = re.compile(r"(Participant|Case) \d+")


def add_coders(project: Project, users: Mapping[str, str], report: ImportReport) -> dict[str, str]:
    """User GUID -> coder UUID. A user with the importing coder's name is that coder."""
    mapping: dict[str, str] = {}
    for user_guid, name in users.items():
        if name.casefold() == project.coder.name.casefold() or user_guid == project.coder.uuid:
            mapping[user_guid] = project.coder.uuid
            continue
        if people.coder_by_uuid(project.db, user_guid) is not None:
            mapping[user_guid] = user_guid
            continue
        unique, number = name, 2
        while coder_name_taken(project.db, unique):
            unique, number = f"{name} ({number})", number + 1
        insert_coder(project.db, user_guid, unique)
        mapping[user_guid] = user_guid
        report.count("coders")
    return mapping


def _participant(case: CaseEntry) -> Participant:
    """The case as a participant: this app's own variables (named as its export names them) become
    the participant's fields where their values are valid here; any other variable is an attribute."""
    number: int | None = None
    text: dict[str, str] = {}
    attributes: dict[str, str] = {}
    for name, value in case.variables.items():
        attribute = _FIELDS.get(name.casefold())
        # isdigit() alone would pass "²" or "١٢", which int() refuses; the bound keeps it storable, and
        # the length check comes first because int() refuses over 4,300 digits with a ValueError.
        if (
            attribute == "interview_number"
            and value.isascii()
            and value.isdigit()
            and len(value) <= len(str(MAX_INTERVIEW_NUMBER))
            and (0 < int(value) <= MAX_INTERVIEW_NUMBER)
        ):
            number = int(value)
        elif attribute not in {None, "interview_number"} and value in _ALLOWED.get(str(attribute), (value,)):
            text[str(attribute)] = value
        else:
            attributes[name] = value
    participant = Participant(
        uuid=case.guid,
        participant_group=text.get("participant_group"),
        interview_number=number,
        format=text.get("format"),
        mode=text.get("mode"),
        council_area=text.get("council_area"),
    )
    if case.name != participant.attribution and not _NUMBERED.fullmatch(case.name):
        attributes.setdefault(CASE_NAME, case.name)
    return replace(participant, attributes=attributes)


def add_participants(project: Project, cases: list[CaseEntry], report: ImportReport) -> dict[str, str]:
    """Cases become participants; returns source GUID -> participant UUID."""
    case_of: dict[str, str] = {}
    numbers: set[int] = set()
    for case in cases:
        participant = _participant(case)
        number = participant.interview_number
        if number is not None and number in numbers:
            report.repair(
                f"the case {case.name!r} repeats interview number {number}; it was kept as an attribute"
            )
            attributes = {**participant.attributes, "interview number": str(number)}
            participant = replace(participant, interview_number=None, attributes=attributes)
        elif number is not None:
            numbers.add(number)
        people.insert_participant(project.db, participant)
        report.count("participants")
        for source in case.sources:
            if source in case_of:
                report.drop(
                    f"the case {case.name!r} for a source already given a case (one case per transcript)"
                )
                continue
            case_of[source] = case.guid
    return case_of


def add_selections(
    project: Project,
    entry: ProjectEntry,
    texts: Mapping[str, str],
    stored: Mapping[str, str],
    codes: Mapping[str, str],
    users: Mapping[str, str],
    convention: Convention,
    report: ImportReport,
) -> dict[str, list[str]]:
    """Store every coding whose text, code and range survive; returns selection GUID -> coding UUIDs."""
    coding_notes: dict[str, list[str]] = {}
    used: set[str] = set()
    stamp = now()
    for source in entry.sources:
        transcript = stored.get(source.guid)
        if transcript is None:
            continue
        offsets = OffsetMap(texts[source.guid])
        for selection in source.selections:
            found = convert(offsets, selection.start, selection.end, convention)
            if found is None:
                report.drop(f"a selection in {source.name!r} that lies outside its text")
                continue
            start, end = found
            for coding in selection.codings:
                code = codes.get(coding.code_guid)
                if code is None:
                    report.drop(f"a coding in {source.name!r} with a code that is not in the codebook")
                    continue
                coder = users.get(coding.user or "", project.coder.uuid)
                if codings.existing(project.db, transcript, code, start, end, coder) is not None:
                    report.repair(
                        f"repeated codings of one passage with one code in {source.name!r} were kept once"
                    )
                    continue
                uuid = coding.guid if coding.guid not in used else new_uuid()
                used.add(uuid)
                created = coding.created or stamp
                codings.insert(project.db, Coding(uuid, transcript, code, start, end, coder, created))
                coding_notes.setdefault(selection.guid, []).append(uuid)
                coding_notes[coding.guid] = [uuid]  # a note on the Coding element itself
                report.count("codings")
    return coding_notes


def add_memos(
    project: Project,
    entry: ProjectEntry,
    stored: Mapping[str, str],
    codes: Mapping[str, str],
    coding_notes: Mapping[str, list[str]],
    users: Mapping[str, str],
    report: ImportReport,
) -> None:
    """Notes become memos on what refers to them; notes nothing refers to become project memos."""
    targets: list[tuple[str, MemoTarget, str | None]] = [(g, "project", None) for g in entry.project_notes]
    for source in entry.sources:
        if source.guid in stored:
            targets += [(g, "transcript", stored[source.guid]) for g in source.notes]
        for selection in source.selections:
            for coding in selection.codings:
                targets += [
                    (g, "coding", on) for g in coding.notes for on in coding_notes.get(coding.guid, [])
                ]
            for note in selection.notes:
                targets += [(note, "coding", coding) for coding in coding_notes.get(selection.guid, [])]
    stack = list(entry.codes)
    while stack:
        node = stack.pop()
        stack += node.children
        if node.guid in codes:
            targets += [(g, "code", codes[node.guid]) for g in node.notes]
    referred = {target[0] for target in targets}
    loose = [g for g in entry.notes if g not in referred]
    if loose:
        report.repair(f"{len(loose)} note(s) attached to nothing imported here were kept as project memos")
    targets += [(g, "project", None) for g in loose]
    used: set[str] = set()
    for note_guid, kind, target in targets:
        found = entry.notes.get(note_guid)
        if found is None:
            report.drop("a reference to a note that is not in the project")
            continue
        text = (
            found.text
            if found.name in _PLAIN_NOTE_NAMES or found.text.startswith(found.name)
            else f"{found.name}\n\n{found.text}"
        )
        if not text.strip():
            continue
        uuid = note_guid if note_guid not in used else new_uuid()
        used.add(uuid)
        coder = users.get(found.user or "", project.coder.uuid)
        stamp = now()
        memos.insert(project.db, Memo(uuid, kind, target, text, coder, stamp, stamp))
        report.count("memos")
