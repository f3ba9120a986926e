"""What the suggestions panel runs off the UI thread (:mod:`jswcoder.ui.workers`), on the worker's own
connection: the open transcript's suggestions, and the assistant's agreement with this coder.

They return plain data; the panel (:mod:`jswcoder.ui.suggestions_panel`) shows it on the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jswcoder.analysis.assistant import ThemeAgreements, theme_agreement
from jswcoder.assist import model as assist_model
from jswcoder.project import Project
from jswcoder.services.assistance import Suggestion
from jswcoder.services.loaded_index import LoadedIndex
from jswcoder.ui import workers


@dataclass(frozen=True, slots=True)
class Found:
    transcript_uuid: str
    suggestions: list[Suggestion]
    index: LoadedIndex  # the index the worker loaded, handed to the next one (``loaded(reuse=)``)


@dataclass(frozen=True, slots=True)
class NotIndexed:
    transcript_uuid: str
    indexed: int
    transcripts: int


@dataclass(frozen=True, slots=True)
class Measured:
    agreement: ThemeAgreements
    index: LoadedIndex


Body = Callable[[Project, workers.Progress, workers.Cancelled], object]


def measure_body(reuse: LoadedIndex | None) -> Body:
    """Worker body: the assistant's agreement with this coder, per theme."""

    def body(own: Project, _progress: workers.Progress, _cancelled: workers.Cancelled) -> object:
        own.assistance.loaded(reuse=reuse)
        return Measured(theme_agreement(own, own.coder.uuid), own.assistance.loaded())

    return body


def suggest_body(transcript_uuid: str, reuse: LoadedIndex | None) -> Body:
    """Worker body: the transcript's suggestions, or why there are none yet (it is not in the index).
    *reuse*: the index the last job loaded, taken while its rows are still the stored ones (at study
    scale, reading it is most of a second)."""

    def body(own: Project, _progress: workers.Progress, _cancelled: workers.Cancelled) -> object:
        assist_model.check_available()  # AssistUnavailable: what to install, in one line
        current = own.assistance.current()
        if transcript_uuid not in current:
            return NotIndexed(transcript_uuid, len(current), len(own.transcripts.all()))
        own.assistance.loaded(reuse=reuse)
        return Found(transcript_uuid, own.assistance.suggest(transcript_uuid), own.assistance.loaded())

    return body
