"""Codings: applying a code to a passage, and listing coded passages with their text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlite_utils import Database

from jswcoder.errors import InvalidInput, NotFound
from jswcoder.ids import new_uuid, now
from jswcoder.model import Coder, Coding, Transcript
from jswcoder.services.codebook import Codebook
from jswcoder.services.transcripts import Transcripts
from jswcoder.store import codings, people


def covered_length(ranges: Iterable[tuple[int, int]]) -> int:
    """How many characters at least one of the ranges covers (overlaps counted once)."""
    covered, reach = 0, 0
    for start, end in sorted(ranges):
        fresh = max(start, reach)  # the part not already counted
        if end > fresh:
            covered += end - fresh
            reach = end
    return covered


@dataclass(frozen=True)
class CodedPassage:
    """A coding with what a reader needs beside it: where it is, which code, who, and the words."""

    coding: Coding
    transcript: str
    code_path: str
    coder: str
    text: str


class Codings:
    def __init__(self, db: Database, coder: Coder, transcripts: Transcripts, codebook: Codebook) -> None:
        self._db = db
        self._coder = coder
        self._transcripts = transcripts
        self._codebook = codebook

    def add(self, transcript_ref: str, start: int, end: int, code_ref: str) -> tuple[Coding, bool]:
        """Code ``text[start:end]``; returns the coding and whether it is new (the same one is not doubled)."""
        transcript = self._transcripts.find(transcript_ref)
        code = self._codebook.find(code_ref)
        if not 0 <= start < end <= transcript.length:
            raise InvalidInput(
                f"start and end must satisfy 0 <= start < end <= {transcript.length} "
                f"(the length of {transcript.name}); got {start} and {end}"
            )
        with self._db.atomic():
            same = codings.existing(self._db, transcript.uuid, code.uuid, start, end, self._coder.uuid)
            if same is not None:
                return same, False
            coding = Coding(new_uuid(), transcript.uuid, code.uuid, start, end, self._coder.uuid, now())
            codings.insert(self._db, coding)
        return coding, True

    def get(self, uuid: str) -> Coding:
        found = codings.by_uuid(self._db, uuid)
        if found is None:
            raise NotFound(f"there is no coding {uuid}")
        return found

    def remove(self, uuid: str) -> Coding:
        """Delete a coding; returns it, so that :meth:`restore` can put it back (undo)."""
        with self._db.atomic():
            removed = self.get(uuid)
            codings.delete(self._db, uuid)
        return removed

    def restore(self, coding: Coding) -> None:
        """Put back a removed coding exactly as it was (same UUID, coder and time)."""
        with self._db.atomic():
            codings.insert(self._db, coding)

    def change(
        self, uuid: str, *, code_uuid: str | None = None, start: int | None = None, end: int | None = None
    ) -> Coding:
        """Give a coding another code and/or other boundaries; returns the coding as it was before."""
        with self._db.atomic():
            before = self.get(uuid)
            new_start = before.start if start is None else start
            new_end = before.end if end is None else end
            length = self._transcripts.get(before.transcript_uuid).length
            if not 0 <= new_start < new_end <= length:
                raise InvalidInput(
                    f"start and end must satisfy 0 <= start < end <= {length}; got {new_start} and {new_end}"
                )
            code = self._codebook.find(code_uuid) if code_uuid is not None else None
            codings.update(
                self._db,
                uuid,
                code_uuid=before.code_uuid if code is None else code.uuid,
                start=new_start,
                end=new_end,
            )
        return before

    def of_transcript(self, transcript_uuid: str) -> list[Coding]:
        return codings.listing(self._db, transcript_uuid)

    def of_code(self, code_uuid: str) -> list[Coding]:
        return codings.of_code(self._db, code_uuid)

    def counts_by_transcript(self) -> dict[str, int]:
        return codings.counts_by_transcript(self._db)

    def coverage_by_transcript(self, transcripts: Iterable[Transcript] | None = None) -> dict[str, float]:
        """The share of each coded transcript's text (0 to 1) that carries at least one coding, by anyone.

        *transcripts* are the project's transcripts, when the caller has already listed them; codings of a
        transcript not among them are left out.
        """
        listed = self._transcripts.all() if transcripts is None else transcripts
        lengths = {t.uuid: t.length for t in listed}
        ranges: dict[str, list[tuple[int, int]]] = {}
        for uuid, start, end in codings.spans(self._db):
            ranges.setdefault(uuid, []).append((start, end))
        return {
            uuid: covered_length(spans) / max(lengths[uuid], 1)
            for uuid, spans in ranges.items()
            if uuid in lengths
        }

    def coder_names(self, coder_uuids: Iterable[str]) -> dict[str, str]:
        """Who coded: each coder's name (a coder the project does not know keeps the UUID)."""
        names = {}
        for uuid in set(coder_uuids):
            found = people.coder_by_uuid(self._db, uuid)
            names[uuid] = found.name if found else uuid
        return names

    def passages(self, transcript_ref: str | None = None) -> list[CodedPassage]:
        """Coded passages in reading order, optionally of one transcript."""
        only = None if transcript_ref is None else self._transcripts.find(transcript_ref).uuid
        rows = codings.listing(self._db, only)
        names = {t.uuid: t.name for t in self._transcripts.all()}
        paths = {c.uuid: c.path for c in self._codebook.all()}
        texts: dict[str, str] = {}
        coders = self.coder_names(row.coder_uuid for row in rows)
        passages = []
        for row in rows:
            if row.transcript_uuid not in texts:
                texts[row.transcript_uuid] = self._transcripts.text_of(row.transcript_uuid)
            passages.append(
                CodedPassage(
                    coding=row,
                    transcript=names[row.transcript_uuid],
                    code_path=paths[row.code_uuid],
                    coder=coders[row.coder_uuid],
                    text=texts[row.transcript_uuid][row.start : row.end],
                )
            )
        return passages
