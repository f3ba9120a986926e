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
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from jswcoder.model import Coding, Memo, Participant, Transcript
from jswcoder.offsets import Convention, OffsetMap
from jswcoder.project import Project
from jswcoder.refiqda import namespaces
from jswcoder.refiqda.export_codebook import add_codes
from jswcoder.refiqda.export_common import ORIGIN, Strings, checked, stable_guid, strings_in
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
    """The ``project.qde`` tree and the texts of ``sources/`` (member name → text)."""

    root: ET.Element
    sources: dict[str, str] = field(default_factory=dict)


QDPX: Exporters[QdpxContent] = Exporters("A REFI-QDA project")


def export_project(
    project: Project, out: Path | str, *, originals: bool = False, attributes: Sequence[str] = ()
) -> Written:
    """Write ``project`` to ``out`` (.qdpx), validated; a fieldworker's is anonymised unless ``originals``,
    and carries the cases' own attributes (a survey's closed answers) only as ``attributes`` names them.
    Noted in the audit trail."""
    written = write_project(project, out, originals=originals, attributes=attributes)
    project.audit.record(
        "export", what="REFI-QDA project", file=written.path.name, anonymised=written.anonymised
    )
    return written


def write_project(
    project: Project, out: Path | str, *, originals: bool = False, attributes: Sequence[str] = ()
) -> Written:
    """:func:`export_project` without the note in the audit trail: for the archive deposit, which is
    noted as one event."""
    path = QDPX.check(out)
    strings = Strings(project, originals=originals)
    strings.deliver(path, QDPX.render(path, build(project, strings, attributes)))
    return Written(path, strings.anonymises)


def build(project: Project, strings: Strings, attributes: Sequence[str] = ()) -> QdpxContent:
    """The export's content, every string already through ``strings``; the cases' own attributes: all
    where nothing is anonymised, else those ``attributes`` names."""
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
    if codes:
        add_codes(ET.SubElement(root, "CodeBook"), codes, strings, notes.refs_by_kind("code"))
    participants = _participants(project, transcripts)
    speakers = project.speakers.cases()
    if participants or speakers:
        _cases(root, project, strings, participants, speakers, codings, attributes)
    content = QdpxContent(root)
    if transcripts:
        _sources(content, project, strings, transcripts, codings, notes)
    notes.add_to(root)
    for note in notes.refs_by_kind("project").get("", []):
        ET.SubElement(root, "NoteRef", targetGUID=note)
    return content


def _render_qdpx(content: QdpxContent) -> Rendered:
    document = checked("project", content.root)
    buffer = io.BytesIO()
    stamp = time.gmtime()[:6]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [(namespaces.PROJECT_FILE, document)] + [
            (member, text.encode("utf-8")) for member, text in content.sources.items()
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


def _cases(
    root: ET.Element,
    project: Project,
    strings: Strings,
    participants: dict[str, tuple[Participant, list[str]]],
    speakers: Sequence[SpeakerCase],
    codings: dict[str, list[Coding]],
    named: Sequence[str] = (),
) -> None:
    variables = VARIABLES if strings.anonymises else (*VARIABLES, COUNCIL_AREA)
    everyone = [p for p, _ in participants.values()] + [s.participant for s in speakers]
    own = _own_attributes(everyone, strings.anonymises, named)
    strings.releases(
        [attribute for attribute, _, _ in variables] + own
    )  # checked for indirect identification
    guids = {attribute: stable_guid(project, f"variable:{attribute}") for attribute, _, _ in variables}
    guids |= {_OWN + name: stable_guid(project, f"variable:{_OWN}{name}") for name in own}
    listing = ET.SubElement(root, "Variables")
    for attribute, name, kind in variables:
        ET.SubElement(listing, "Variable", guid=guids[attribute], name=name, typeOfVariable=kind)
    for name in own:
        ET.SubElement(
            listing, "Variable", guid=guids[_OWN + name], name=strings.general(name), typeOfVariable="Text"
        )
    cases = ET.SubElement(root, "Cases")

    def values(case: ET.Element, participant: Participant) -> None:
        for key, _, kind in [*variables, *((_OWN + name, name, "Text") for name in own)]:
            attribute = key.removeprefix(_OWN)
            value = participant.attributes.get(attribute) if key != attribute else getattr(participant, key)
            if value is None or value == "":
                continue
            entry = ET.SubElement(case, "VariableValue")
            ET.SubElement(entry, "VariableRef", targetGUID=guids[key])
            tag = "IntegerValue" if kind == "Integer" else "TextValue"
            shown = strings.released(participant.uuid, attribute, str(value))
            ET.SubElement(entry, tag).text = shown if kind == "Integer" else strings.general(shown)

    for number, (participant, transcript_uuids) in enumerate(participants.values(), start=1):
        label = participant.attribution or f"Participant {number}"
        case = ET.SubElement(cases, "Case", guid=participant.uuid, name=strings.general(label))
        values(case, participant)
        for transcript_uuid in transcript_uuids:
            ET.SubElement(case, "SourceRef", targetGUID=transcript_uuid)
    # A focus group's speaker cases (NVivo's speaker cases): the selections of the codings that start in
    # the speaker's turns, never the speaker's label.
    owners = {t: project.speakers.case_at(t) for t in {s.transcript_uuid for s in speakers}}
    for speaker in speakers:
        label = speaker.attribution or f"Participant {speaker.number}"
        case = ET.SubElement(cases, "Case", guid=speaker.uuid, name=strings.general(label))
        values(case, speaker.participant)
        for coding in codings.get(speaker.transcript_uuid, ()):
            if owners[speaker.transcript_uuid](coding.start) == speaker.uuid:
                ET.SubElement(
                    case, "SelectionRef", targetGUID=stable_guid(project, f"selection:{coding.uuid}")
                )


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
                startPosition=str(positions.to_units(start, Convention.CODEPOINTS)),
                endPosition=str(positions.to_units(end, Convention.CODEPOINTS)),
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
