"""The anonymisation preview: a transcript and its notes beside what the register makes of them.

Nothing here writes anything: it shows what would leave the laptop, always from the register as it is
now. Applying the register is :mod:`jswcoder.services.egress`'s, the one way out of a project, so the
preview is what a package or an export holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from jswcoder.anonymise.matching import Matcher
from jswcoder.anonymise.remap import Anonymised
from jswcoder.model import DocumentNote
from jswcoder.services.egress import apply_register, terms_of
from jswcoder.services.register import Register
from jswcoder.services.transcripts import Transcripts

__all__ = ["Anonymiser", "Preview", "terms_of"]


@dataclass(frozen=True)
class Preview:
    original: str
    anonymised: Anonymised
    notes: tuple[tuple[DocumentNote, Anonymised], ...]


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
            (note, apply_register(matcher, note.text)) for note in self._transcripts.notes(transcript.uuid)
        )
        return Preview(text, apply_register(matcher, text), notes)
