"""Your place in the workbench: the open transcript, where it is scrolled to, the selection, the panel
tab, the chosen theme, the memo and the search.

A sync refreshes the workbench in place (:meth:`Workbench.refresh` keeps the place across it). A lock
destroys the workbench, since it must drop every piece of text from memory, so the place goes into the
project itself (encrypted, like everything there) before the project closes, and comes back out when
it is unlocked: the search typed may name a participant, and nothing identifying stays in memory
while the window is locked.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Protocol

from PySide6.QtCore import QPoint
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTabWidget

from jswcoder.errors import NotFound
from jswcoder.model import Transcript
from jswcoder.project import Project
from jswcoder.ui.memos_panel import MemosPanel
from jswcoder.ui.search_panel import SearchPanel
from jswcoder.ui.theme_panel import ThemePanel
from jswcoder.ui.transcript_view import TranscriptView


class Workbench(Protocol):
    """What a place is taken from and put back into (the workbench, which uses this module)."""

    project: Project
    current: Transcript | None
    view: TranscriptView
    themes: ThemePanel
    search: SearchPanel
    memos: MemosPanel

    @property
    def tabs(self) -> QTabWidget: ...

    def open_transcript(self, transcript_uuid: str, start: int = -1, end: int = -1) -> None: ...


@dataclass(frozen=True)
class Place:
    transcript: str | None = None  # UUID of the open transcript
    anchor: int = 0  # the text cursor, in the view's own (UTF-16) positions
    position: int = 0
    top: int = 0  # the first character in view (its position, as the cursor's): the scroll position
    tab: int = 0  # coded passages, search, memos
    theme: str | None = None  # UUID of the theme chosen in the tree
    memo: int = 0  # which memo the memo tab shows (the project's, the transcript's, ...)
    query: str = ""  # the search that was run

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Place | None:
        """The place written by :meth:`to_json`; None for anything else (an older or damaged value)."""
        try:
            return cls(**json.loads(text))
        except (ValueError, TypeError):
            return None


def place_of(bench: Workbench) -> Place:
    edit = bench.view.text_edit
    cursor = edit.textCursor()
    return Place(
        transcript=bench.current.uuid if bench.current is not None else None,
        anchor=cursor.anchor(),
        position=cursor.position(),
        top=first_in_view(edit),
        tab=bench.tabs.currentIndex(),
        theme=bench.themes.current_code_uuid(),
        memo=bench.memos.target_combo.currentIndex(),
        query=bench.search.query_edit.text() if bench.search.model.rowCount() else "",
    )


def go_to(bench: Workbench, place: Place) -> None:
    """Put *bench* back at *place*, as far as what it names is still there."""
    if place.theme:
        bench.themes.select_code(place.theme)
    open_text(bench, place)
    if place.query:
        bench.search.search(place.query)
    bench.tabs.setCurrentIndex(place.tab)
    if 0 <= place.memo < bench.memos.target_combo.count():
        bench.memos.target_combo.setCurrentIndex(place.memo)
    put_cursor(bench, place)


def open_text(bench: Workbench, place: Place) -> None:
    """Open the transcript of *place* if it is still there, with its cursor and scroll position."""
    if place.transcript is None:
        return
    try:
        bench.project.transcripts.get(place.transcript)
    except NotFound:  # deleted meanwhile (a sync, an undo)
        return
    bench.open_transcript(place.transcript)
    put_cursor(bench, place)


def put_cursor(bench: Workbench, place: Place) -> None:
    """The selection (or caret) and the scroll position of *place*, in its transcript if that is open."""
    if bench.current is None or bench.current.uuid != place.transcript:
        return
    edit = bench.view.text_edit
    last = max(edit.document().characterCount() - 1, 0)
    cursor = QTextCursor(edit.document())
    cursor.setPosition(min(place.anchor, last))
    cursor.setPosition(min(place.position, last), QTextCursor.MoveMode.KeepAnchor)
    edit.setTextCursor(cursor)
    scroll_to(edit, min(place.top, last))


def first_in_view(edit: QPlainTextEdit) -> int:
    """The position of the first character in view, whatever the width: what scrolling shows."""
    return edit.cursorForPosition(QPoint(0, 0)).position()


def scroll_to(edit: QPlainTextEdit, position: int) -> None:
    """Scroll so that the line holding *position* is the first in view (as far as the text goes)."""
    block = edit.document().findBlock(position)
    layout = block.layout()
    line = layout.lineForTextPosition(position - block.position()) if layout is not None else None
    within = line.lineNumber() if line is not None and line.isValid() else 0
    edit.verticalScrollBar().setValue(block.firstLineNumber() + within)
