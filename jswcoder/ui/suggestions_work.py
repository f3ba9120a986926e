"""What the suggestions panel runs off the UI thread (:mod:`jswcoder.ui.workers`), on the worker's own
connection: the open transcript's suggestions, and the assistant's agreement with this coder.

They return plain data; the panel (:mod:`jswcoder.ui.suggestions_panel`) shows it on the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jswcoder.analysis.assistant import indexed, theme_agreement
from jswcoder.assist import model as assist_model
from jswcoder.project import Project
from jswcoder.services.assistance import Suggestion
from jswcoder.ui import workers


@dataclass(frozen=True, slots=True)
class Found:
    transcript_uuid: str
    suggestions: list[Suggestion]


@dataclass(frozen=True, slots=True)
class NotIndexed:
    transcript_uuid: str
    indexed: int
    transcripts: int


def measure_body(own: Project, _progress: workers.Progress, _cancelled: workers.Cancelled) -> object:
    """Worker body: the assistant's agreement with this coder, per theme."""
    return theme_agreement(own, own.coder.uuid)


def suggest_body(transcript_uuid: str) -> Callable[[Project, workers.Progress, workers.Cancelled], object]:
    """Worker body: the transcript's suggestions, or why there are none yet (it is not in the index)."""

    def body(own: Project, _progress: workers.Progress, _cancelled: workers.Cancelled) -> object:
        assist_model.check_available()  # AssistUnavailable: what to install, in one line
        current = indexed(own)
        if transcript_uuid not in current:
            return NotIndexed(transcript_uuid, len(current), len(own.transcripts.all()))
        return Found(transcript_uuid, own.assistance.suggest(transcript_uuid))

    return body
