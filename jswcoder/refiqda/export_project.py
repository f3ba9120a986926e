"""Export a project as a REFI-QDA project (.qdpx): a zip of ``project.qde`` and ``sources/``.

What goes in, in the schema's order: the coders as ``Users``; the codebook; the participant
attributes as ``Variables`` and each participant as a ``Case`` with its values and its transcripts (a
focus group's speaker case with the selections of the codings in its turns; a survey respondent with
its closed answers, which are its own attributes);
each transcript as a ``TextSource`` whose UTF-8 text (no BOM, ``\\n`` line ends) is
``sources/<GUID>.txt``, holding one ``PlainTextSelection`` per coding with its ``Coding``; and the
memos as ``Notes``, each attached where the schema allows (the project, a source, a code, a coding).

GUIDs are the project's UUIDs; elements the project keeps none for (variables, selections) get a
GUID derived from the project's UUID and a fixed name, so every export of a project has the same
GUIDs. Positions are code points from 0, ``endPosition`` exclusive, as the standard (10.2) says.

A fieldworker's export is anonymised (:mod:`jswcoder.refiqda.export_common`): transcripts with
their register entries, codings moved into the anonymised text, cases and sources named by their
attribution ("Client interview 7") or "Transcript N", never by a file name. The council area goes
out only where nothing is anonymised (originals, or a lead's project, which holds it only where a
fieldworker chose to send it); so do a case's own attributes (a survey's closed answers), except those
a fieldworker names for the export, as for a package. The document is validated against the standard's schema before
anything is written.
"""

from __future__ import annotations

import io
import time
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from jswcoder.model import Code, Coding, Memo, Participant, Transcript
from jswcoder.offsets import OffsetMap
from jswcoder.project import Project
from jswcoder.refiqda import code_names, namespaces
from jswcoder.refiqda.export_codebook import add_codes
from jswcoder.refiqda.export_common import ORIGIN, Strings, checked, stable_guid, strings_in
from jswcoder.refiqda.profiles import STANDARD, Profile, Variables
from jswcoder.refiqda.surveys import description
from jswcoder.reports import Written
from jswcoder.reports.base import Exporters, Rendered
from jswcoder.services.speakers import SpeakerCase
from jswcoder.store import meta, people

_OWN = "attribute:"  # a case's own attribute, beside the Participant fields below
# (attribute of Participant, variable name, REFI type)
VARIABLES: tuple[tuple[str, str, str], ...] = (
    ("participant_group", "Participant group", "Text"),
    ("interview_number", "Interview number", "Integer"),
    ("format", "Interview format", "Text"),
    ("mode", "Interview mode", "Text"),
)
COUNCIL_AREA = ("council_area", "Council area", "Text")
NOTE_NAME_LENGTH = 60
NOTE_NAMES = {
    "project": "Project memo",
    "transcript": "Transcript memo",
    "code": "Code memo",
    "coding": "Coding memo",
}


@dataclass
class QdpxContent:
    """The ``project.qde`` tree, the canonical texts of ``sources/`` (member name → text), the profile
    that says how they are written, and what the target will leave out (the export's warnings)."""

    root: ET.Element
    sources: dict[str, str] = field(default_factory=dict)
    profile: Profile = STANDARD
    warnings: list[str] = field(default_factory=list)
    document_variables: dict[str, ET.Element] = field(default_factory=dict)
    """Per transcript, a holder of the ``VariableValue``s its source carries (MAXQDA's profile)."""


@dataclass(frozen=True)
class QdpxWritten(Written):
    """A written .qdpx: as :class:`Written`, with the profile it was written for and its warnings."""

    profile: Profile = STANDARD
    warnings: tuple[str, ...] = ()


QDPX: Exporters[QdpxContent] = Exporters("A REFI-QDA project")


def export_project(
    project: Project,
    out: Path | str,
    *,
    originals: bool = False,
    attributes: Sequence[str] = (),
    profile: Profile = STANDARD,
) -> QdpxWritten:
    """Write ``project`` to ``out`` (.qdpx) for ``profile``'s tool, validated; a fieldworker's is
    anonymised unless ``originals``, and carries the cases' own attributes (a survey's closed answers)
    only as ``attributes`` names them. Noted in the audit trail."""
    written = write_project(project, out, originals=originals, attributes=attributes, profile=profile)
    facts: dict[str, str | bool] = {"what": "REFI-QDA project", "file": written.path.name}
    if profile is not STANDARD:
        facts["for"] = profile.tool
    project.audit.record("export", **facts, anonymised=written.anonymised)
    return written


def write_project(
    project: Project,
    out: Path | str,
    *,
    originals: bool = False,
    attributes: Sequence[str] = (),
    profile: Profile = STANDARD,
) -> QdpxWritten:
    """:func:`export_project` without the note in the audit trail: for the archive deposit, which is
    noted as one event."""
    path = QDPX.check(out)
    strings = Strings(project, originals=originals)
    content = build(project, strings, attributes, profile)
    strings.deliver(path, QDPX.render(path, content))
    return QdpxWritten(path, strings.anonymises, profile=profile, warnings=tuple(content.warnings))


def build(
    project: Project, strings: Strings, attributes: Sequence[str] = (), profile: Profile = STANDARD
) -> QdpxContent:
    """The export's content for ``profile``, every string already through ``strings``; the cases' own
    attributes: all where nothing is anonymised, else those ``attributes`` names."""
    transcripts = project.transcripts.all()
    codes = project.codebook.all()
    known_codes = {code.uuid for code in codes}
    codings = {
        t.uuid: [c for c in project.codings.of_transcript(t.uuid) if c.code_uuid in known_codes]
        for t in transcripts
    }
    memos = project.memos.all()
    coding_transcript = {c.uuid: t for t, cs in codings.items() for c in cs}
    targets = {"transcript": set(codings), "code": known_codes, "coding": set(coding_transcript)}
    notes = _Notes(strings, memos, targets, coding_transcript)

    root = ET.Element(
        "Project",
        xmlns=namespaces.PROJECT_NS,
        name=strings.general(project.name),
        origin=ORIGIN,
        creatingUserGUID=project.coder.uuid,
    )
    created = meta.get(project.db, "created_at")
    if created:
        root.set("creationDateTime", created)
    _users(root, project, strings, [c for cs in codings.values() for c in cs], memos)
    content = QdpxContent(root, profile=profile)
    if codes:
        names = _code_names(codes, strings, profile, content.warnings)
        add_codes(ET.SubElement(root, "CodeBook"), codes, strings, notes.refs_by_kind("code"), names)
    participants = _participants(project, transcripts)
    speakers = project.speakers.cases()
    groups: list[ET.Element] = []
    if participants or speakers:
        groups = _cases(content, project, strings, participants, speakers, codings, attributes)
    if transcripts:
        _sources(content, project, strings, transcripts, codings, notes)
    notes.add_to(root)
    if groups:
        ET.SubElement(root, "Sets").extend(groups)
    held = {"participants": bool(participants), "speakers": bool(speakers), "memos": bool(memos)}
    lost = profile.will_not_keep([what for what, present in held.items() if present])
    content.warnings += [lost] if lost else []
    for note in notes.refs_by_kind("project").get("", []):
        ET.SubElement(root, "NoteRef", targetGUID=note)
    return content


_GUID_ATTRIBUTES = ("guid", "targetGUID", "creatingUser", "creatingUserGUID", "modifyingUser")


def _upper_case_guids(root: ET.Element) -> None:
    """Every GUID attribute in upper case (file names in ``plainTextPath`` are left as they are)."""
    for element in root.iter():
        for name in _GUID_ATTRIBUTES:
            value = element.get(name)
            if value is not None:
                element.set(name, value.upper())


def _render_qdpx(content: QdpxContent) -> Rendered:
    if content.profile.upper_case_guids:
        _upper_case_guids(content.root)
    document = checked("project", content.root)
    buffer = io.BytesIO()
    stamp = time.gmtime()[:6]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [(namespaces.PROJECT_FILE, document)] + [
            (member, content.profile.source_text(text)) for member, text in content.sources.items()
        ]:
            member = zipfile.ZipInfo(name, date_time=stamp)
            member.external_attr = 0o644 << 16  # readable once unpacked (unzip would otherwise give mode 000)
            archive.writestr(member, data, zipfile.ZIP_DEFLATED)
    return Rendered(buffer.getvalue(), (*strings_in(content.root), *content.sources.values()))


QDPX.register(".qdpx", _render_qdpx)


def _note_name(text: str) -> str:
    """A note's name: the start of its first line, so that importers showing names show something
    useful and those that put a name before the text (when the text does not begin with it) do not."""
    first = text.split("\n", 1)[0][:NOTE_NAME_LENGTH]
    return first if first.strip() else ""


class _Notes:
    """The memos as Notes, each with the GUID of what it is about."""

    def __init__(
        self,
        strings: Strings,
        memos: list[Memo],
        targets: dict[str, set[str]],
        coding_transcript: dict[str, str],
    ) -> None:
        self.notes: list[ET.Element] = []
        self._refs: dict[tuple[str, str], list[str]] = {}
        for memo in memos:
            target = memo.target_uuid or ""
            attached = memo.target_kind == "project" or target in targets[memo.target_kind]
            scope = {"transcript": target if attached else None, "coding": coding_transcript.get(target)}
            about = scope.get(memo.target_kind)
            text = strings.about(about, memo.text) if about else strings.general(memo.text)
            note = ET.Element(
                "Note",
                guid=memo.uuid,
                name=_note_name(text) or NOTE_NAMES[memo.target_kind],
                creatingUser=memo.coder_uuid,
                creationDateTime=memo.created_at,
                modifiedDateTime=memo.updated_at,
            )
            ET.SubElement(note, "PlainTextContent").text = text
            self.notes.append(note)
            if attached:  # a memo whose target is gone is kept, unattached
                self._refs.setdefault((memo.target_kind, target), []).append(memo.uuid)

    def refs_by_kind(self, kind: str) -> dict[str, list[str]]:
        return {target: refs for (k, target), refs in self._refs.items() if k == kind}

    def refs(self, kind: str, target: str) -> list[str]:
        return self._refs.get((kind, target), [])

    def add_to(self, root: ET.Element) -> None:
        if self.notes:
            ET.SubElement(root, "Notes").extend(self.notes)


def _users(
    root: ET.Element, project: Project, strings: Strings, codings: list[Coding], memos: list[Memo]
) -> None:
    wanted = dict.fromkeys(
        [project.coder.uuid, *(c.coder_uuid for c in codings), *(m.coder_uuid for m in memos)]
    )
    users = ET.SubElement(root, "Users")
    for coder_uuid in wanted:
        coder = people.coder_by_uuid(project.db, coder_uuid)
        user = ET.SubElement(users, "User", guid=coder_uuid)
        if coder is not None:
            user.set("name", strings.general(coder.name))


def _participants(
    project: Project, transcripts: Sequence[Transcript]
) -> dict[str, tuple[Participant, list[str]]]:
    """Each participant with the UUIDs of their transcripts, in the transcripts' order."""
    found: dict[str, tuple[Participant, list[str]]] = {}
    for transcript in transcripts:
        participant = project.transcripts.participant(transcript)
        if participant is not None:
            found.setdefault(participant.uuid, (participant, []))[1].append(transcript.uuid)
    return found


def _code_names(
    codes: Sequence[Code], strings: Strings, profile: Profile, warnings: list[str]
) -> dict[str, str]:
    """Each code's name as exported: as it is, or (a profile wanting unique names) made unique."""
    names = {code.uuid: strings.general(code.name) for code in codes}
    if not profile.unique_names:
        return names
    unique = code_names.unique([code_names.Named(c.uuid, c.parent_uuid, names[c.uuid]) for c in codes])
    renamed = sorted(unique[key] for key in names if unique[key] != names[key])
    if renamed:
        listed = "; ".join(renamed[:5]) + (f"; and {len(renamed) - 5} more" if len(renamed) > 5 else "")
        themes = "1 theme" if len(renamed) == 1 else f"{len(renamed)} themes"
        warnings.append(f"{themes} renamed for {profile.tool}, which keeps one theme per name: {listed}.")
    return unique


def _unique_labels(labels: list[str]) -> list[str]:
    """``labels`` with every repeat numbered "Label (2)", "Label (3)", ... (case-insensitively)."""
    seen: Counter[str] = Counter()
    taken = {label.casefold() for label in labels}
    out: list[str] = []
    for label in labels:
        seen[label.casefold()] += 1
        candidate, number = label, seen[label.casefold()]
        while number > 1 and (candidate := f"{label} ({number})").casefold() in taken:
            number += 1
        taken.add(candidate.casefold())
        out.append(candidate)
    return out


def _cases(
    content: QdpxContent,
    project: Project,
    strings: Strings,
    participants: dict[str, tuple[Participant, list[str]]],
    speakers: Sequence[SpeakerCase],
    codings: dict[str, list[Coding]],
    named: Sequence[str] = (),
) -> list[ET.Element]:
    """The Variables and Cases as the profile wants them; returns the document groups (Sets) to add."""
    root, profile = content.root, content.profile
    variables = VARIABLES if strings.anonymises else (*VARIABLES, COUNCIL_AREA)
    everyone = [p for p, _ in participants.values()] + [s.participant for s in speakers]
    own = _own_attributes(everyone, strings.anonymises, named)
    strings.releases(
        [attribute for attribute, _, _ in variables] + own
    )  # checked for indirect identification
    guids = {attribute: stable_guid(project, f"variable:{attribute}") for attribute, _, _ in variables}
    guids |= {_OWN + name: stable_guid(project, f"variable:{_OWN}{name}") for name in own}
    listing = ET.SubElement(root, "Variables")
    shown_names = {attribute: name for attribute, name, _ in variables}
    for attribute, name, kind in variables:
        ET.SubElement(listing, "Variable", guid=guids[attribute], name=name, typeOfVariable=kind)
    for name in own:
        shown_names[_OWN + name] = strings.general(name)
        ET.SubElement(
            listing, "Variable", guid=guids[_OWN + name], name=shown_names[_OWN + name], typeOfVariable="Text"
        )

    def values_of(participant: Participant) -> list[tuple[str, str, str]]:
        """(key, kind, value as printed) for each of the participant's variables that has a value."""
        found = []
        for key, _, kind in [*variables, *((_OWN + name, name, "Text") for name in own)]:
            attribute = key.removeprefix(_OWN)
            value = participant.attributes.get(attribute) if key != attribute else getattr(participant, key)
            if value is None or value == "":
                continue
            shown = strings.released(participant.uuid, attribute, str(value))
            found.append((key, kind, shown if kind == "Integer" else strings.general(shown)))
        return found

    def add_values(case: ET.Element, participant: Participant) -> None:
        for key, kind, shown in values_of(participant):
            entry = ET.SubElement(case, "VariableValue")
            ET.SubElement(entry, "VariableRef", targetGUID=guids[key])
            ET.SubElement(entry, "IntegerValue" if kind == "Integer" else "TextValue").text = shown

    if profile.variables is Variables.DOCUMENT_VARIABLES:
        # No cases: each transcript's source carries its participant's values, as MAXQDA writes its
        # document variables (added after the source's selections and notes, the schema's order).
        for participant, transcript_uuids in participants.values():
            for transcript_uuid in transcript_uuids:
                add_values(
                    content.document_variables.setdefault(transcript_uuid, ET.Element("_")), participant
                )
        return []
    cases = ET.SubElement(root, "Cases")
    labels = [p.attribution or f"Participant {n}" for n, (p, _) in enumerate(participants.values(), 1)]
    labels += [s.attribution or f"Participant {s.number}" for s in speakers]
    labels = [strings.general(label) for label in labels]
    if profile.unique_names:
        labels = _unique_labels(labels)
    for label, (participant, transcript_uuids) in zip(labels, participants.values(), strict=False):
        case = ET.SubElement(cases, "Case", guid=participant.uuid, name=label)
        add_values(case, participant)
        for transcript_uuid in transcript_uuids:
            ET.SubElement(case, "SourceRef", targetGUID=transcript_uuid)
    # A focus group's speaker cases (NVivo's speaker cases): the selections of the codings that start in
    # the speaker's turns, never the speaker's label.
    owners = {t: project.speakers.case_at(t) for t in {s.transcript_uuid for s in speakers}}
    for label, speaker in zip(labels[len(participants) :], speakers, strict=True):
        case = ET.SubElement(cases, "Case", guid=speaker.uuid, name=label)
        add_values(case, speaker.participant)
        for coding in codings.get(speaker.transcript_uuid, ()):
            if owners[speaker.transcript_uuid](coding.start) == speaker.uuid:
                ET.SubElement(
                    case, "SelectionRef", targetGUID=stable_guid(project, f"selection:{coding.uuid}")
                )
    if profile.variables is not Variables.CASES_AND_GROUPS:
        return []
    # ATLAS.ti's document groups: one per variable value, holding the transcripts of the participants
    # who have it.
    members: dict[tuple[str, str], list[str]] = {}
    for participant, transcript_uuids in participants.values():
        for key, _, shown in values_of(participant):
            members.setdefault((key, shown), []).extend(transcript_uuids)
    groups = []
    for (key, shown), transcripts in members.items():
        group = ET.Element(
            "Set", guid=stable_guid(project, f"group:{key}={shown}"), name=f"{shown_names[key]}::{shown}"
        )
        for transcript_uuid in transcripts:
            ET.SubElement(group, "MemberSource", targetGUID=transcript_uuid)
        groups.append(group)
    return groups


def _own_attributes(participants: Sequence[Participant], anonymises: bool, named: Sequence[str]) -> list[str]:
    """The cases' own attributes that go out as Variables (a survey's closed answers, a role typed in):
    every one where nothing is anonymised; in a fieldworker's export only those the user names, as a
    package carries them, since an attribute typed freely may identify."""
    present = dict.fromkeys(name for p in participants for name in p.attributes)
    return [name for name in present if not anonymises or name in named]


def _source_names(project: Project, strings: Strings, transcripts: Sequence[Transcript]) -> list[str]:
    """Each source's name: its file name, or (anonymised) its attribution or "Transcript N", made unique."""
    if not strings.anonymises:
        return [strings.general(t.name) for t in transcripts]
    names: list[str] = []
    for number, transcript in enumerate(transcripts, start=1):
        participant = project.transcripts.participant(transcript)
        label = strings.general(
            participant.attribution if participant and participant.attribution else f"Transcript {number}"
        )
        repeat = sum(1 for n in names if n == label or n.startswith(f"{label} ("))
        names.append(f"{label} ({repeat + 1})" if repeat else label)
    return names


def _sources(
    content: QdpxContent,
    project: Project,
    strings: Strings,
    transcripts: Sequence[Transcript],
    codings: dict[str, list[Coding]],
    notes: _Notes,
) -> None:
    sources = ET.SubElement(content.root, "Sources")
    for transcript, name in zip(transcripts, _source_names(project, strings, transcripts), strict=True):
        anonymised = strings.transcript(transcript.uuid)
        file_name = f"{transcript.uuid}.txt"
        content.sources[f"{namespaces.SOURCES_DIR}/{file_name}"] = anonymised.text
        source = ET.SubElement(
            sources,
            "TextSource",
            guid=transcript.uuid,
            name=name,
            plainTextPath=f"{namespaces.INTERNAL}{file_name}",
            creationDateTime=transcript.imported_at,
        )
        positions = OffsetMap(anonymised.text)
        survey = description(
            project, transcript.uuid, partial(strings.about, transcript.uuid), anonymised.map_range
        )
        if survey is not None:  # a survey respondent's document: what it is, for us and for the reader
            ET.SubElement(source, "Description").text = survey
        for coding in codings[transcript.uuid]:
            start, end = anonymised.map_range(coding.start, coding.end)
            selection = ET.SubElement(
                source,
                "PlainTextSelection",
                guid=stable_guid(project, f"selection:{coding.uuid}"),
                startPosition=str(positions.to_units(start, content.profile.convention)),
                endPosition=str(positions.to_units(end, content.profile.convention)),
                creatingUser=coding.coder_uuid,
                creationDateTime=coding.created_at,
            )
            element = ET.SubElement(
                selection,
                "Coding",
                guid=coding.uuid,
                creatingUser=coding.coder_uuid,
                creationDateTime=coding.created_at,
            )
            ET.SubElement(element, "CodeRef", targetGUID=coding.code_uuid)
            for note in notes.refs("coding", coding.uuid):
                ET.SubElement(element, "NoteRef", targetGUID=note)
        for note in notes.refs("transcript", transcript.uuid):
            ET.SubElement(source, "NoteRef", targetGUID=note)
        held = content.document_variables.get(transcript.uuid)
        if held is not None:
            source.extend(held)
