"""Settling disagreements, one at a time: what coder A and coder B coded, side by side, and a key to keep
A's version (1), B's (2), both (3) or neither (0) into the agreed coder; arrows move, Ctrl+Z undoes.

Opened from the agreement dialog for one transcript. The work is :mod:`jswcoder.analysis.reconcile`'s;
each decision is one step on this window's own undo stack (as the matrix window's summaries are), and
is stored at once, so closing the window loses nothing. A decision moves on to the next undecided
disagreement, so a lead can settle a transcript with the number keys alone.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from jswcoder.analysis.reconcile import CHOICE_WORDS, Choice, Item, Reconciliation, decide, reconciliation
from jswcoder.project import Project

CODED = "#FBE3C8"  # the characters this coder coded: warm, and bold (never colour alone)
CONTEXT = 160  # characters of the text shown before and after a disagreement, greyed
KEYS: tuple[tuple[str, Choice, str], ...] = (
    ("1", "A", "Keep &A"),
    ("2", "B", "Keep &B"),
    ("3", "both", "Keep b&oth"),
    ("0", "neither", "Keep &neither"),
)


class Decide(QUndoCommand):
    """One decision; undo gives back the decision it replaced (or none)."""

    def __init__(self, window: ReconcileWindow, number: int, choice: Choice) -> None:
        super().__init__(f"{CHOICE_WORDS[choice].capitalize()} ({number})")
        self._window = window
        self._number = number
        self._choice = choice
        self._before: Choice | None = None
        self._performed = False

    def perform(self) -> None:
        self._before = self._window.apply(self._number, self._choice)

    def redo(self) -> None:
        if not self._performed:  # the first redo comes from push(): perform() already did the work
            self._performed = True
            return
        self._window.apply(self._number, self._choice)

    def undo(self) -> None:
        self._window.apply(self._number, self._before)


class ReconcileWindow(QDialog):
    def __init__(self, project: Project, transcript_uuid: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._project = project
        self._transcript = transcript_uuid
        self.state: Reconciliation = reconciliation(project, transcript_uuid)
        self._text = project.transcripts.text_of(transcript_uuid)
        self.current = 0  # index into state.items
        self.undo_stack = QUndoStack(self)
        self.setWindowTitle(f"Reconcile {self.state.transcript.name}")
        self.resize(1000, 620)

        who = QLabel(
            f"<b>{html.escape(self.state.transcript.name)}</b>: coder A is "
            f"<b>{html.escape(self.state.coder_a.name)}</b>, coder B is "
            f"<b>{html.escape(self.state.coder_b.name)}</b>. For each place where they differ, keep one "
            "version, both, or neither: that becomes the agreed coding.",
            self,
        )
        who.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Progress")
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(10)
        self.progress_label = QLabel(self)
        top = QHBoxLayout()
        top.addWidget(self.progress, 1)
        top.addWidget(self.progress_label)

        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.decision = QLabel(self)
        self.sides: list[QTextBrowser] = []
        panes = QGridLayout()
        for column, coder in enumerate((self.state.coder_a, self.state.coder_b)):
            caption = QLabel(f"<b>{'AB'[column]}: {html.escape(coder.name)}</b>", self)
            pane = QTextBrowser(self)
            pane.setAccessibleName(f"What {'AB'[column]} coded")
            pane.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys are the window's
            panes.addWidget(caption, 0, column)
            panes.addWidget(pane, 1, column)
            self.sides.append(pane)

        self.buttons: dict[Choice, QPushButton] = {}
        choose = QHBoxLayout()
        self.previous = QPushButton("← Previous", self)
        self.previous.clicked.connect(lambda: self.go(-1))
        choose.addWidget(self.previous)
        choose.addStretch(1)
        for key, choice, label in KEYS:
            button = QPushButton(f"{label}   [{key}]", self)
            button.setToolTip(f"{CHOICE_WORDS[choice].capitalize()} (key {key})")
            button.setAutoDefault(False)  # Enter decides nothing: only the keys and clicks do
            button.clicked.connect(lambda _checked=False, c=choice: self.choose(c))
            choose.addWidget(button)
            self.buttons[choice] = button
        choose.addStretch(1)
        self.next = QPushButton("Next →", self)
        self.next.clicked.connect(lambda: self.go(1))
        choose.addWidget(self.next)

        self.undo_button = QPushButton("&Undo", self)
        self.undo_button.setToolTip("Undo the last decision (Ctrl+Z)")
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_button.setEnabled(False)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.undo_button)
        bottom.addWidget(self.note, 1)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(who)
        layout.addLayout(top)
        layout.addSpacing(8)
        layout.addWidget(self.heading)
        layout.addWidget(self.decision)
        layout.addLayout(panes, 1)
        layout.addLayout(choose)
        layout.addLayout(bottom)

        for key, choice, _label in KEYS:
            QShortcut(QKeySequence(key), self, lambda c=choice: self.choose(c))
        QShortcut(QKeySequence(Qt.Key.Key_Right), self, lambda: self.go(1))
        QShortcut(QKeySequence(Qt.Key.Key_Left), self, lambda: self.go(-1))
        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo_stack.undo)
        QShortcut(QKeySequence.StandardKey.Redo, self, self.undo_stack.redo)
        undecided = [i for i, item in enumerate(self.state.items) if item.choice is None]
        self.current = undecided[0] if undecided else 0
        self.show_current()

    # -- what the keys do ----------------------------------------------------------------------------

    def choose(self, choice: Choice) -> None:
        """Decide the disagreement shown, as one undo step, and go on to the next undecided one."""
        if not self.state.items:
            return
        command = Decide(self, self.state.items[self.current].number, choice)
        command.perform()
        self.undo_stack.push(command)
        self.current = self._next_undecided()
        self.show_current()

    def go(self, step: int) -> None:
        if self.state.items:
            self.current = max(0, min(len(self.state.items) - 1, self.current + step))
            self.show_current()

    def apply(self, number: int, choice: Choice | None) -> Choice | None:
        """Store a decision (None: undecided), show that disagreement; the decision it replaced."""
        before = decide(self._project, self._transcript, number, choice)
        self.state = reconciliation(self._project, self._transcript)
        self.current = number - 1
        self.show_current()
        return before

    def _next_undecided(self) -> int:
        count = len(self.state.items)
        for step in range(1, count + 1):
            index = (self.current + step) % count
            if self.state.items[index].choice is None:
                return index
        return self.current

    # -- showing -------------------------------------------------------------------------------------

    def show_current(self) -> None:
        state = self.state
        self.progress.setMaximum(max(state.total, 1))
        self.progress.setValue(state.decided)
        self.progress_label.setText(state.progress)
        if state.total and state.decided == state.total:
            self.note.setText(
                f"All {state.total} decided: the matrix and reports now use the agreed coding of "
                f"{state.transcript.name}."
            )
        else:
            self.note.setText("Keys: 1 = A, 2 = B, 3 = both, 0 = neither; ← → to move; Ctrl+Z to undo.")
        if not state.items:
            self.heading.setText("<b>No disagreements</b>: the coders coded every theme the same way.")
            self.decision.clear()
            for pane in self.sides:
                pane.clear()
            for widget in (*self.buttons.values(), self.previous, self.next):
                widget.setEnabled(False)
            return
        item = state.items[self.current]
        d = item.disagreement
        self.heading.setText(
            f"<span style='font-size:large'><b>{html.escape(d.theme)}</b></span> &nbsp; "
            f"disagreement {item.number} of {state.total}"
        )
        self.decision.setText(
            "Not yet decided" if item.choice is None else f"Decided: <b>{CHOICE_WORDS[item.choice]}</b>"
        )
        for pane, side in zip(self.sides, ("A", "B"), strict=True):
            pane.setHtml(self._side_html(item, side))
        self.previous.setEnabled(self.current > 0)
        self.next.setEnabled(self.current < state.total - 1)
        for choice, button in self.buttons.items():
            button.setEnabled(True)
            font = button.font()
            font.setBold(choice == item.choice)
            button.setFont(font)

    def _side_html(self, item: Item, side: str) -> str:
        """The disagreement's stretch with a little text around it; what this coder coded marked."""
        d = item.disagreement
        passages = d.coder_a if side == "A" else d.coder_b
        start, end = max(0, d.start - CONTEXT), min(len(self._text), d.end + CONTEXT)
        parts = [
            f'<span style="color:#777">{"… " if start else ""}{html.escape(self._text[start : d.start])}'
        ]
        at = d.start
        for p in passages:
            parts.append(html.escape(self._text[at : p.start]))
            parts.append(
                f'</span><b style="background-color:{CODED}">{html.escape(self._text[p.start : p.end])}</b>'
                '<span style="color:#777">'
            )
            at = p.end
        parts.append(html.escape(self._text[at:end]) + (" …" if end < len(self._text) else "") + "</span>")
        body = "".join(parts).replace("\n", "<br>")
        if not passages:
            body = "<i>(did not code this theme here)</i><br><br>" + body
        return f'<div style="line-height:140%">{body}</div>'

    @classmethod
    def show_for(cls, project: Project, transcript_uuid: str, parent: QWidget | None = None) -> None:
        """Modal, over the agreement dialog."""
        window = cls(project, transcript_uuid, parent)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.exec()
