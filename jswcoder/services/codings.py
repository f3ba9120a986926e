"""Codings: applying a code to a passage, and listing coded passages with their text."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from jswcoder.errors import InvalidInput, NotFound
from jswcoder.ids import new_uuid, now
from jswcoder.model import Coder, Coding
from jswcoder.services.codebook import Codebook
from jswcoder.services.transcripts import Transcripts
from jswcoder.store import codings, people


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
            same = codings.existing(self._db, transcript.uuid, code.uuid, start, end)
            if same is not None:
                return same, False
            coding = Coding(new_uuid(), transcript.uuid, code.uuid, start, end, self._coder.uuid, now())
            codings.insert(self._db, coding)
        return coding, True

    def remove(self, uuid: str) -> None:
        with self._db.atomic():
            if not codings.delete(self._db, uuid):
                raise NotFound(f"there is no coding {uuid}")

    def passages(self, transcript_ref: str | None = None) -> list[CodedPassage]:
        """Coded passages in reading order, optionally of one transcript."""
        only = None if transcript_ref is None else self._transcripts.find(transcript_ref).uuid
        rows = codings.listing(self._db, only)
        names = {t.uuid: t.name for t in self._transcripts.all()}
        paths = {c.uuid: c.path for c in self._codebook.all()}
        texts: dict[str, str] = {}
        coders: dict[str, str] = {}
        passages = []
        for row in rows:
            if row.transcript_uuid not in texts:
                texts[row.transcript_uuid] = self._transcripts.text_of(row.transcript_uuid)
            if row.coder_uuid not in coders:
                found = people.coder_by_uuid(self._db, row.coder_uuid)
                coders[row.coder_uuid] = found.name if found else row.coder_uuid
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
