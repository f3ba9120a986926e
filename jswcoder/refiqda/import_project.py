"""Import a .qdpx into a new project, all or nothing.

Everything is read, decoded and checked in memory first; only then is a project created, in a hidden
folder beside the destination, filled in one transaction and moved into place. Any failure removes
that folder, so the destination is either a complete project or absent.

Texts are stored canonically (``\\n`` line ends, no byte order mark) and every selection is converted
from the producer's convention, detected by :mod:`jswcoder.refiqda.positions`, to code point offsets
into that canonical text. The UTF-16-with-CRLF reading is defined over the canonical text, so it is
exact for files whose line ends are all CRLF (NVivo's) or all LF.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from jswcoder.errors import ImportRejected, InvalidInput
from jswcoder.ids import new_uuid
from jswcoder.importing import ImportedDocument
from jswcoder.importing.turns import detect_turns
from jswcoder.importing.txt_reader import decode_text, normalise_line_ends
from jswcoder.offsets import Convention, OffsetMap
from jswcoder.project import Project, ProjectPaths
from jswcoder.refiqda import positions
from jswcoder.refiqda.archive import open_qdpx
from jswcoder.refiqda.import_codebook import add_codes
from jswcoder.refiqda.reading import ProjectEntry, SourceEntry, read_project
from jswcoder.refiqda.records import add_coders, add_memos, add_participants, add_selections
from jswcoder.refiqda.report import ImportReport
from jswcoder.refiqda.surveys import read_description, restore
from jswcoder.security import keyfile
from jswcoder.services.transcripts import ParticipantFields

_SOURCE_SUFFIXES = (".txt", ".docx", ".rtf", ".pdf", ".odt", ".doc")


@dataclass
class ReadQdpx:
    """A .qdpx read and checked in memory: nothing of it is stored yet."""

    entry: ProjectEntry
    texts: dict[str, str] = field(default_factory=dict)  # source GUID -> canonical text
    convention: Convention = Convention.CODEPOINTS
    report: ImportReport = field(default_factory=lambda: ImportReport(""))


def _text(path: Path, source: SourceEntry, raw: bytes | None, report: ImportReport) -> str | None:
    if raw is None:
        if source.inline_text is None:
            report.drop(f"the source {source.name!r}: its text is not in the archive")
            return None
        text = source.inline_text
    else:
        try:
            text = decode_text(Path(source.name), raw)
        except ImportRejected as rejected:
            report.drop(f"the source {source.name!r}: {rejected.reason}")
            return None
    if "\r" in text and "\n" in text.replace("\r\n", ""):
        report.repair(f"the source {source.name!r} mixes line end styles; each was counted as one line end")
    text = normalise_line_ends(text)
    if not text.strip():
        report.drop(f"the source {source.name!r}: it holds no text")
        return None
    return text


def read_qdpx(path: Path) -> ReadQdpx:
    """Read ``path`` completely (archive, XML, texts, positions); raises ImportRejected, writes nothing."""
    path = Path(path)
    report = ImportReport(path.name)
    with open_qdpx(path) as archive:
        entry = read_project(path, archive.project_xml(report), report)
        read = ReadQdpx(entry, report=report)
        for source in entry.sources:
            raw = None
            if source.plain_text_path:
                raw = archive.source(source.plain_text_path, report)
                if source.inline_text is not None:
                    report.repair(
                        f"the source {source.name!r} has both a text file and inline text; the file was used"
                    )
            text = _text(path, source, raw, report)
            if text is not None:
                read.texts[source.guid] = text
    measured = [
        positions.SourcePositions(text, OffsetMap(text), [(s.start, s.end) for s in source.selections])
        for source in entry.sources
        if (text := read.texts.get(source.guid)) is not None and source.selections
    ]
    read.convention, choice = positions.detect(measured)
    if choice.selections:
        report.positions = choice
    return read


def _transcript_name(name: str, taken: set[str]) -> str:
    stem, suffix = os.path.splitext(name)
    base = stem.strip() if suffix.lower() in _SOURCE_SUFFIXES and stem.strip() else name
    candidate, number = base, 2
    while candidate.casefold() in taken:
        candidate, number = f"{base} ({number})", number + 1
    taken.add(candidate.casefold())
    return candidate


def store(project: Project, read: ReadQdpx) -> None:
    """Put everything read into ``project`` (new and empty) in one transaction."""
    entry, report = read.entry, read.report
    with project.db.atomic():
        users = add_coders(project, entry.users, report)
        codes = add_codes(project, entry.codes, report, users.get(entry.user or "", project.coder.uuid))
        case_of = add_participants(project, entry.cases, report)
        taken: set[str] = set()
        stored: dict[str, str] = {}  # source GUID -> transcript UUID
        for source in entry.sources:
            text = read.texts.get(source.guid)
            if text is None:
                continue
            try:
                survey = read_description(source.description, len(text))
            except InvalidInput as wrong:
                report.repair(f"the source {source.name!r}: {wrong}; it was imported as a plain transcript")
                survey = None
            turns = survey.turns() if survey is not None else detect_turns(text)
            document = ImportedDocument(text, turns, (), (), "refi-qda")
            name = _transcript_name(source.name, taken)
            try:
                transcript, _warnings = project.transcripts.store_document(
                    Path(source.name),
                    document,
                    ParticipantFields(),
                    name=name,
                    uuid=source.guid,
                    participant_uuid=case_of.get(source.guid),
                )
            except ImportRejected as rejected:
                report.drop(f"the source {source.name!r} and its codings: {rejected.reason}")
                continue
            stored[source.guid] = transcript.uuid
            report.count("transcripts")
            if survey is not None:
                unlinked = restore(project, survey, transcript.uuid, case_of.get(source.guid))
                if unlinked is not None:
                    report.repair(f"the survey document {source.name!r} {unlinked}")
        coding_notes = add_selections(
            project, entry, read.texts, stored, codes, users, read.convention, report
        )
        add_memos(project, entry, stored, codes, coding_notes, users, report)


def _move_into_place(built: Path, folder: Path) -> None:
    if folder.exists():
        folder.rmdir()  # checked empty before anything was built
    built.rename(folder)


def import_qdpx(
    path: Path,
    folder: Path,
    *,
    coder: str,
    passphrase: str,
    name: str | None = None,
    kdf: keyfile.KdfParams = keyfile.DEFAULT_KDF,
    use_keychain: bool = True,
) -> tuple[Project, str, ImportReport]:
    """Create the project ``folder`` from the .qdpx at ``path``; returns it open, its recovery key, the report.

    Raises :class:`ImportRejected` (or another JswError) and leaves no folder behind on any failure.
    """
    _check_destination(folder)
    read = read_qdpx(Path(path))
    return create_from(
        read, folder, coder=coder, passphrase=passphrase, name=name, kdf=kdf, use_keychain=use_keychain
    )


def _check_destination(folder: Path) -> Path:
    paths = ProjectPaths.of(folder)
    paths.check_new()
    return paths.folder


def create_from(
    read: ReadQdpx,
    folder: Path,
    *,
    coder: str,
    passphrase: str,
    name: str | None = None,
    kdf: keyfile.KdfParams = keyfile.DEFAULT_KDF,
    use_keychain: bool = True,
) -> tuple[Project, str, ImportReport]:
    """Create the project ``folder`` from a .qdpx already read (the app reads it before asking for details)."""
    folder = _check_destination(folder)
    stem = Path(read.report.source).stem
    title = (name or read.entry.name or stem).strip() or stem
    building = folder.parent / f".{folder.name}.importing-{new_uuid()[:8]}"
    folder.parent.mkdir(parents=True, exist_ok=True)
    project, recovery_key = Project.create(
        building, name=title, coder=coder, passphrase=passphrase, kdf=kdf, use_keychain=use_keychain
    )
    try:
        store(project, read)
        project.close()
        _move_into_place(building, folder)
    except BaseException:
        with contextlib.suppress(Exception):
            project.close()
        with contextlib.suppress(Exception):
            project.forget_key()
        shutil.rmtree(building, ignore_errors=True)
        raise
    return Project.open(folder, passphrase=passphrase, use_keychain=use_keychain), recovery_key, read.report
