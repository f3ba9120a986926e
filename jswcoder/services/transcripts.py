"""Transcripts: importing files (each one atomically) and reading them back."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from jswcoder.errors import ImportRejected, InvalidInput, JswError, NotFound
from jswcoder.ids import new_uuid, now
from jswcoder.importing import ImportedDocument, read_document
from jswcoder.model import (
    INTERVIEW_FORMATS,
    INTERVIEW_MODES,
    MAX_INTERVIEW_NUMBER,
    Coder,
    DocumentNote,
    Participant,
    Transcript,
    Turn,
)
from jswcoder.plain_text import without_controls
from jswcoder.store import people, transcripts, withdrawals

SIDECAR_SUFFIX = ".meta.json"
_SIDECAR_MAX_BYTES = 64 * 1024
MAX_NAME = 200


@dataclass(frozen=True)
class Removed:
    """A deleted transcript: what went with it (for the confirmation's counts and the status line), and
    every row taken, to restore. Kept in memory only (on the app's undo stack), so it is gone, and the
    delete final, once the project is closed."""

    transcript: Transcript
    codings: int
    memos: int
    rows: transcripts.RemovedRows


@dataclass(frozen=True)
class ParticipantFields:
    """What the user says about the participant behind a transcript (all optional)."""

    participant_group: str | None = None
    interview_number: int | None = None
    format: str | None = None
    mode: str | None = None
    council_area: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)

    def over(self, base: ParticipantFields) -> ParticipantFields:
        """These fields, with the gaps filled from *base*."""
        return ParticipantFields(
            participant_group=self.participant_group or base.participant_group,
            interview_number=self.interview_number or base.interview_number,
            format=self.format or base.format,
            mode=self.mode or base.mode,
            council_area=self.council_area or base.council_area,
            attributes={**base.attributes, **self.attributes},
        )

    def check(self) -> None:
        if self.format is not None and self.format not in INTERVIEW_FORMATS:
            raise InvalidInput(f"format must be one of: {', '.join(INTERVIEW_FORMATS)}")
        if self.mode is not None and self.mode not in INTERVIEW_MODES:
            raise InvalidInput(f"mode must be one of: {', '.join(INTERVIEW_MODES)}")
        if self.interview_number is not None and not 1 <= self.interview_number <= MAX_INTERVIEW_NUMBER:
            raise InvalidInput(f"the interview number must be from 1 to {MAX_INTERVIEW_NUMBER}")


@dataclass
class ImportReport:
    imported: list[Transcript] = field(default_factory=list)
    rejected: list[ImportRejected] = field(default_factory=list)
    warnings: dict[str, list[str]] = field(default_factory=dict)  # transcript name -> warnings


def read_sidecar(path: Path) -> ParticipantFields:
    """Participant details from ``NAME.meta.json`` beside ``NAME.docx``, if there is one."""
    sidecar = path.with_name(path.stem + SIDECAR_SUFFIX)
    if not sidecar.is_file():
        return ParticipantFields()
    try:
        if sidecar.stat().st_size > _SIDECAR_MAX_BYTES:
            raise ImportRejected(path, f"its details file {sidecar.name} is too large")
        data: Any = json.loads(sidecar.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not an object")
        number = data.get("interview_number")
        fields = ParticipantFields(
            participant_group=_optional_str(data.get("participant_group")),
            interview_number=None if number is None else int(number),
            format=_optional_str(data.get("format")),
            mode=_optional_str(data.get("mode")),
            council_area=_optional_str(data.get("council_area")),
            attributes={"role": _text(str(data["role"]))} if data.get("role") else {},
        )
        fields.check()
    # The reason never quotes the file: int("a name") would echo the name.
    except InvalidInput as error:
        reason = str(error)
    except json.JSONDecodeError as error:
        reason = f"it is not valid JSON (line {error.lineno})"
    except UnicodeDecodeError:
        reason = "it is not UTF-8 text"
    except OSError:
        reason = "it could not be read"
    # OverflowError: a number too large for an int (1e400); RecursionError: arrays nested too deep.
    except (ValueError, TypeError, OverflowError, RecursionError):
        reason = "a value in it is not of the kind expected"
    else:
        return fields
    raise ImportRejected(path, f"its details file {sidecar.name} cannot be used ({reason})")


def _checked_name(name: str) -> str:
    """A transcript's new name: one line, without control characters, not blank, not overlong."""
    cleaned = " ".join(without_controls(name).split())
    if not cleaned:
        raise InvalidInput("a transcript needs a name")
    if len(cleaned) > MAX_NAME:
        raise InvalidInput(f"a transcript's name can be at most {MAX_NAME} characters")
    return cleaned


def _optional_str(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("expected text")
    return _text(value).strip() or None


def _text(value: str) -> str:
    value.encode("utf-8")  # a lone surrogate, spelled as a JSON escape, is no text: UnicodeEncodeError
    return value


@dataclass(frozen=True)
class ReadFile:
    """A transcript file read and parsed but not stored. Reading needs no database, so a worker can."""

    path: Path
    document: ImportedDocument | None = None
    details: ParticipantFields | None = None
    rejected: ImportRejected | None = None


def read_file(path: Path, fields: ParticipantFields | None = None) -> ReadFile:
    try:
        details = (fields or ParticipantFields()).over(read_sidecar(path))
        return ReadFile(path, read_document(path), details)
    except ImportRejected as rejected:
        return ReadFile(path, rejected=rejected)


class Transcripts:
    def __init__(self, db: Database, coder: Coder) -> None:
        self._db = db
        self._coder = coder

    def all(self) -> list[Transcript]:
        return transcripts.all_transcripts(self._db)

    def find(self, ref: str) -> Transcript:
        """A transcript by its name or UUID."""
        found = transcripts.by_name(self._db, ref) or transcripts.by_uuid(self._db, ref)
        if found is None:
            raise NotFound(f"there is no transcript {ref!r}; see the names with: jswcoder info PROJECT")
        return found

    def get(self, uuid: str) -> Transcript:
        found = transcripts.by_uuid(self._db, uuid)
        if found is None:
            raise NotFound(f"there is no transcript {uuid}")
        return found

    def text(self, ref: str) -> str:
        return self.text_of(self.find(ref).uuid)

    def text_of(self, uuid: str) -> str:
        return transcripts.text(self._db, uuid)

    def turns(self, ref: str) -> list[Turn]:
        return transcripts.turns(self._db, self.find(ref).uuid)

    def notes(self, ref: str) -> list[DocumentNote]:
        return transcripts.notes(self._db, self.find(ref).uuid)

    def participant(self, transcript: Transcript) -> Participant | None:
        if transcript.participant_uuid is None:
            return None
        return people.participant_by_uuid(self._db, transcript.participant_uuid)

    def rename(self, ref: str, new_name: str) -> Transcript:
        """Give a transcript another name (its UUID, text and codings stay); returns it renamed."""
        name = _checked_name(new_name)
        with self._db.atomic():
            transcript = self.find(ref)
            if name == transcript.name:
                return transcript
            holder = transcripts.by_name(self._db, name)
            if holder is not None:
                raise InvalidInput(f"there is already a transcript named {name!r}; choose another name")
            transcripts.rename(self._db, transcript.uuid, name)
        return self.get(transcript.uuid)

    def removal_counts(self, uuid: str) -> tuple[int, int]:
        """How many codings and memos would go with a transcript (for the confirmation)."""
        return transcripts.belongings_count(self._db, uuid)

    def delete(self, ref: str) -> Removed:
        """Delete a transcript with its codings, memos on it and its codings, the register entries that
        are its alone, and its participant if it was their only interview; all in one transaction.

        At a team's lead, a transcript that holds a member's merged work is refused: their next package
        would bring it back, and its provenance would be left pointing at nothing.
        """
        with self._db.atomic():
            transcript = self.find(ref)
            members = transcripts.contributors(self._db, transcript.uuid)
            if members:
                raise JswError(
                    f"{transcript.name!r} holds work merged from {', '.join(members)}; it cannot be deleted "
                    "here, since their next package would bring it back. Ask them to delete it in their own "
                    "project; it stays here"
                )
            codings, memos = transcripts.belongings_count(self._db, transcript.uuid)
            rows = transcripts.remove(self._db, transcript.uuid)
        return Removed(transcript, codings, memos, rows)

    def restore(self, removed: Removed) -> Transcript:
        """Put back a deleted transcript and everything that went with it, exactly (the undo of delete)."""
        name = removed.transcript.name
        with self._db.atomic():
            if transcripts.by_uuid(self._db, removed.transcript.uuid) is not None:
                raise InvalidInput(f"{name!r} is in the project already")
            participant = removed.transcript.participant_uuid
            if participant is not None and withdrawals.by_participant(self._db, participant) is not None:
                raise InvalidInput(f"{name!r} was not brought back: its participant withdrew consent")
            if transcripts.by_name(self._db, name) is not None:
                raise InvalidInput(f"{name!r} was not brought back: another transcript has that name now")
            twin = transcripts.name_with_content(
                self._db, removed.rows.value("transcripts", "content_sha256")
            )
            if twin is not None:
                raise InvalidInput(
                    f"{name!r} was not brought back: its text is in the project again, as {twin!r}"
                )
            number = removed.rows.value("participants", "interview_number")
            if number is not None and people.participant_by_interview(self._db, number) is not None:
                raise InvalidInput(
                    f"{name!r} was not brought back: another case has its interview number ({number}) now"
                )
            transcripts.put_back(self._db, removed.rows)
        return self.get(removed.transcript.uuid)

    def import_files(
        self,
        paths: Iterable[Path],
        fields: ParticipantFields | None = None,
        *,
        progress: Callable[[int, int, Path], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportReport:
        """Import each file in its own transaction: a bad file is reported and leaves nothing behind."""
        paths = list(paths)
        given = fields or ParticipantFields()
        given.check()
        if given.interview_number is not None and len(paths) > 1:
            raise InvalidInput(
                "an interview number belongs to one transcript; import the files one at a time"
            )

        def read_each() -> Iterator[ReadFile]:  # one parsed file in memory at a time
            for done, path in enumerate(paths):
                if cancelled is not None and cancelled():
                    return
                if progress is not None:
                    progress(done, len(paths), path)
                yield read_file(path, given)

        return self.store_read(read_each())

    def store_read(self, items: Iterable[ReadFile]) -> ImportReport:
        """Store files already read (perhaps by a worker thread), each in its own transaction."""
        report = ImportReport()
        for item in items:
            try:
                if item.rejected is not None:
                    raise item.rejected
                assert item.document is not None and item.details is not None
                transcript, warnings = self.store_document(item.path, item.document, item.details)
            except ImportRejected as rejected:
                report.rejected.append(rejected)
                continue
            report.imported.append(transcript)
            if warnings:
                report.warnings[transcript.name] = warnings
        return report

    def import_file(
        self, path: Path, fields: ParticipantFields | None = None, *, name: str | None = None
    ) -> tuple[Transcript, list[str]]:
        """Import one file; raises :class:`ImportRejected` and stores nothing if anything is wrong."""
        path = Path(path)
        details = (fields or ParticipantFields()).over(read_sidecar(path))
        return self.store_document(path, read_document(path), details, name=name)

    def store_document(
        self,
        path: Path,
        document: ImportedDocument,
        details: ParticipantFields,
        *,
        name: str | None = None,
        uuid: str | None = None,
        participant_uuid: str | None = None,
    ) -> tuple[Transcript, list[str]]:
        """Store a document already read (a worker thread may read; only the database's thread stores).

        An exchange import passes the transcript's ``uuid`` and an existing ``participant_uuid`` to
        keep the other tool's identities; otherwise both are new.
        """
        name = (name or path.stem).strip()
        digest = hashlib.sha256(document.text.encode("utf-8")).hexdigest()
        with self._db.atomic():
            if transcripts.by_name(self._db, name) is not None:
                raise ImportRejected(path, f"a transcript named {name!r} is already in the project")
            twin = transcripts.name_with_content(self._db, digest)
            if twin is not None:
                raise ImportRejected(path, f"the same text is already in the project as {twin!r}")
            participant = (
                self._participant_for(path, details)
                if participant_uuid is None
                else people.participant_by_uuid(self._db, participant_uuid)
            )
            if participant is None:
                raise NotFound(f"there is no participant {participant_uuid}")
            transcript = Transcript(
                uuid=uuid or new_uuid(),
                name=name,
                participant_uuid=participant.uuid,
                source_name=path.name,
                source_format=document.source_format,
                length=len(document.text),
                imported_at=now(),
            )
            transcripts.insert(
                self._db,
                transcript,
                text=document.text,
                content_sha256=digest,
                imported_by=self._coder.uuid,
                turns=document.turns,
                notes=document.notes,
                warnings=document.warnings,
            )
        return transcript, list(document.warnings)

    def _participant_for(self, path: Path, details: ParticipantFields) -> Participant:
        """The participant of this interview: an existing one with the same interview number, or a new one."""
        if details.interview_number is not None:
            existing = people.participant_by_interview(self._db, details.interview_number)
            if existing is not None:
                if details.participant_group and existing.participant_group != details.participant_group:
                    raise ImportRejected(
                        path,
                        f"interview {details.interview_number} already belongs to the group "
                        f"{existing.participant_group!r}, not {details.participant_group!r}",
                    )
                return existing
        participant = Participant(
            uuid=new_uuid(),
            participant_group=details.participant_group,
            interview_number=details.interview_number,
            format=details.format,
            mode=details.mode,
            council_area=details.council_area,
            attributes=dict(details.attributes),
        )
        people.insert_participant(self._db, participant)
        return participant
