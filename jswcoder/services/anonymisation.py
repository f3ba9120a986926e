"""Applying the register: the anonymised version of a transcript, its notes, and its codings' ranges.

Nothing here writes anything: it computes what would leave the laptop, for the preview and (later)
for the team package, always from the register as it is now.
"""

from __future__ import annotations

from dataclasses import dataclass

from jswcoder.anonymise.matching import Matcher, Term
from jswcoder.anonymise.remap import Anonymised, anonymise
from jswcoder.model import DocumentNote, RegisterEntry
from jswcoder.services.register import Register
from jswcoder.services.transcripts import Transcripts


@dataclass(frozen=True)
class Preview:
    original: str
    anonymised: Anonymised
    notes: tuple[tuple[DocumentNote, Anonymised], ...]


def terms_of(entries: list[RegisterEntry]) -> list[Term]:
    return [Term(e.text, e.replacement, e.uuid) for e in entries]


class Anonymiser:
    def __init__(self, transcripts: Transcripts, register: Register) -> None:
        self._transcripts = transcripts
        self._register = register

    def matcher_for(self, transcript_uuid: str) -> Matcher:
        return Matcher(terms_of(self._register.entries_for(transcript_uuid)))

    def preview(self, transcript_ref: str) -> Preview:
        transcript = self._transcripts.find(transcript_ref)
        matcher = self.matcher_for(transcript.uuid)
        text = self._transcripts.text_of(transcript.uuid)
        notes = tuple(
            (note, anonymise(note.text, matcher.find(note.text)))
            for note in self._transcripts.notes(transcript.uuid)
        )
        return Preview(text, anonymise(text, matcher.find(text)), notes)
