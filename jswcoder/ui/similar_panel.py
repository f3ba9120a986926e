"""Passages like this (issue 20): beside full-text search in the Search tab, the passages across the project
closest in meaning to a selection, a coding or typed words.

The Search tab (:class:`SearchTab`) finds either *words* (:mod:`jswcoder.ui.search_panel`) or *passages
like this* (:class:`SimilarPanel`), one switch apart, as NVivo keeps text search and its queries together.
Ctrl+Shift+F (or the text's context menu, or a coded passage's) asks for passages like the selection; the
filters keep to some transcripts, participants with a detail, uncoded or coded passages, or one theme.
Each result shows who said it, how close it is (0 to 1) and its words; Enter or a double-click opens it at
the passage. Space ticks, and a digit, Ctrl+K or the Code button code the ticked passages with a theme in
one undoable step, done by the workbench (:attr:`SimilarPanel.codeRequested`).

The query runs in the worker on its own connection (:func:`jswcoder.ui.workers.on_project`): the first one
loads the model and the index, which at a study's scale takes a second. The index it loaded comes back
with the results and is handed to the next query's worker (``assistance.loaded(reuse=...)``), so it is
read once while it does not change. It holds no text; it goes, with the results, at a lock.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from jswcoder.assist import model
from jswcoder.errors import JswError, NotFound
from jswcoder.project import Project
from jswcoder.services.assistance import Scope, SimilarPassage
from jswcoder.services.loaded_index import LoadedIndex
from jswcoder.ui import workers
from jswcoder.ui.quick_code import QuickCodePalette
from jswcoder.ui.search_panel import SearchPanel, ticking_keys
from jswcoder.ui.similar_model import PASSAGE_ROLE, PassageDelegate, SimilarModel, attribute_choices

TOP = 30
SHOWN_QUERY = 300  # characters of a selection shown in the query line
COMPLETE = "The index is complete now: Find again to search every transcript."
HINT = "Space ticks · 1–9 or Ctrl+K codes the ticked passages · Enter opens one"
Passages = list[tuple[str, int, int]]  # (transcript UUID, start, end)


def not_installed() -> str:
    """What the pane says where the assistance part is not installed: what is missing, what to install."""
    return (
        "Finding passages like this needs the local assistant, which is not installed here "
        f"({', '.join(model.missing())} missing). To add it, {model.INSTALL_HINT}."
    )


class SimilarPanel(QWidget):
    passageActivated = Signal(str, int, int)  # transcript UUID, start, end: open it there
    codeRequested = Signal(list, str)  # Passages, code UUID: the workbench codes them, one step
    indexRequested = Signal()  # "Index now" after indexing was stopped

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._project = project
        self._source: tuple[str, int, int, str] | None = None  # like this stretch (uuid, start, end, name)
        self._index: LoadedIndex | None = None  # the last worker's, for the next one
        self._task: workers.Task | None = None
        self._again = False  # asked again while a query ran: run the newest when it ends
        self._people: dict[str, frozenset[str]] = {}  # a participant filter's label -> its transcripts
        self._partial = False  # the index was incomplete when the results shown were found
        self.query_edit = QLineEdit(self)
        self.query_edit.setPlaceholderText("words, or select a passage and press Ctrl+Shift+F")
        self.query_edit.setAccessibleName("Find passages like these words")
        self.query_edit.setClearButtonEnabled(True)
        self.query_edit.textEdited.connect(self._typed)
        self.query_edit.returnPressed.connect(self.run)
        self.query_edit.installEventFilter(self)
        like_label = QLabel("Li&ke:", self)
        like_label.setBuddy(self.query_edit)
        self.find_button = QPushButton("Find", self)
        self.find_button.setAccessibleName("Find passages like this")
        self.find_button.clicked.connect(self.run)
        self.transcript_combo = self._combo("Only in this transcript")
        self.people_combo = self._combo("Only participants with this detail")
        self.coded_combo = self._combo("Coded or not, or coded with one theme")
        self.note = QLabel("", self)
        self.note.setAccessibleName("About the passage index")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #4a5a6a;")
        self.index_button = QPushButton("Index &now", self)
        self.index_button.setAccessibleName("Index the passages now")
        self.index_button.clicked.connect(self.indexRequested.emit)
        self.index_button.hide()
        self.status = QLabel("", self)
        self.status.setAccessibleName("Passages like this summary")
        self.status.setWordWrap(True)
        self.model = SimilarModel(self)
        self.results = QListView(self)
        self.results.setModel(self.model)
        self.results.setAccessibleName("Passages like this")
        self.results.setItemDelegate(PassageDelegate(self.results))
        self.results.setAlternatingRowColors(True)
        self.results.setUniformItemSizes(True)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setResizeMode(QListView.ResizeMode.Adjust)  # rows laid out again at a new width
        self.results.activated.connect(self._activated)  # Enter, and double-click
        self.results.installEventFilter(self)
        for digit in range(1, 10):
            key = QShortcut(QKeySequence(str(digit)), self.results, context=Qt.ShortcutContext.WidgetShortcut)
            key.activated.connect(lambda d=digit: self.code_with_pin(d))
        self.select_all = QCheckBox("Tick all", self)
        self.select_all.setAccessibleName("Tick all passages")
        self.select_all.clicked.connect(self._select_all_clicked)
        self.code_combo = QComboBox(self)
        self.code_combo.setAccessibleName("Theme to code the ticked passages with")
        self.code_combo.setMinimumContentsLength(14)
        self.code_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.code_button = QPushButton("Code ticked", self)
        self.code_button.setAccessibleName("Code the ticked passages")
        self.code_button.clicked.connect(lambda: self._code_ticked(self.code_combo.currentData()))
        self.hint = QLabel(HINT, self)
        self.hint.setEnabled(False)
        self.hint.setWordWrap(True)
        self.model.modelReset.connect(self._sync)
        self.model.dataChanged.connect(self._sync)
        self.code_combo.currentIndexChanged.connect(self._sync)
        for combo in (self.transcript_combo, self.people_combo, self.coded_combo):
            combo.activated.connect(lambda _row: self._filters_changed())

        top = QHBoxLayout()
        top.addWidget(like_label)
        top.addWidget(self.query_edit, 1)
        top.addWidget(self.find_button)
        filters = QGridLayout()
        filters.addWidget(QLabel("In:", self), 0, 0)
        filters.addWidget(self.transcript_combo, 0, 1)
        filters.addWidget(self.people_combo, 0, 2)
        filters.addWidget(QLabel("Passages:", self), 1, 0)
        filters.addWidget(self.coded_combo, 1, 1, 1, 2)
        filters.setColumnStretch(1, 1)
        filters.setColumnStretch(2, 1)
        noted = QHBoxLayout()
        noted.addWidget(self.note, 1)
        noted.addWidget(self.index_button, 0, Qt.AlignmentFlag.AlignTop)
        bottom = QHBoxLayout()
        bottom.addWidget(self.select_all)
        bottom.addStretch(1)
        bottom.addWidget(self.code_combo, 1)
        bottom.addWidget(self.code_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addLayout(noted)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.hint)
        self.refresh_choices()
        self._show_availability()

    def _combo(self, tip: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(tip)
        combo.setToolTip(tip)
        combo.setMinimumContentsLength(8)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        return combo

    # -- public ------------------------------------------------------------------------------------

    def like_words(self, text: str) -> None:
        self._source = None
        self.query_edit.setText(text)
        self.run()

    def like_passage(self, transcript_uuid: str, start: int, end: int) -> None:
        """Passages like ``text[start:end]`` of a transcript (a selection, a coding); itself left out."""
        try:
            transcript = self._project.transcripts.get(transcript_uuid)
            words = " ".join(self._project.transcripts.text_of(transcript_uuid)[start:end].split())
        except NotFound:
            return
        self._source = (transcript_uuid, start, end, transcript.name)
        shown = words if len(words) <= SHOWN_QUERY else words[: SHOWN_QUERY - 1] + "…"
        self.query_edit.setText(shown)
        self.query_edit.setCursorPosition(0)
        self.run()

    def focus_words(self) -> None:
        self.query_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query_edit.selectAll()

    def run(self) -> None:
        """Find passages like the query, within the filters, in the worker; the newest ask wins."""
        if model.missing():
            self._show_availability()
            return
        text = self.query_edit.text()
        source = self._source
        if source is None and not text.strip():
            self.status.setText("Type some words, or select a passage in the text and press Ctrl+Shift+F.")
            return
        if self._task is not None:
            self._again = True
            return
        scope = self._scope()
        reuse = self._index

        def body(
            own: Project, _progress: workers.Progress, _cancelled: workers.Cancelled
        ) -> tuple[list[SimilarPassage], LoadedIndex]:
            own.assistance.loaded(reuse=reuse)
            if source is not None:
                uuid, start, end, _name = source
                found = own.assistance.similar_to(uuid, start, end, top=TOP, scope=scope)
            else:
                found = own.assistance.similar(text, top=TOP, scope=scope)
            return found, own.assistance.loaded()

        try:
            work = workers.on_project(self._project, body)
        except JswError:  # the project closed meanwhile
            return
        self._again = False
        what = f"the selection in {source[3]}" if source is not None else "these words"
        self.status.setText("Finding passages like this…")
        task: workers.Task | None = None

        def done(result: tuple[list[SimilarPassage], LoadedIndex]) -> None:
            if task is self._task:
                self._task = None
                self._show(result[0], result[1], what)

        def failed(error: BaseException) -> None:
            if task is self._task:
                self._task = None
                self._failed(error)

        task = workers.start(work, on_done=done, on_error=failed)
        self._task = task

    @property
    def busy(self) -> bool:
        return self._task is not None

    def wait(self) -> None:
        """Wait for a query still running (the project is about to close)."""
        task = self._task
        if task is not None:
            task.wait()

    def clear(self) -> None:
        """Drop the results, the query and the index (the idle lock leaves no transcript text on screen)."""
        self._task = None  # a query's outcome, when it comes, is dropped
        self._again = False
        self._source = None
        self._index = None
        self.query_edit.setText("")
        self.model.set_passages([])
        self.status.setText("")

    def refresh_choices(self) -> None:
        """The filters' and the theme chooser's lists read afresh, each keeping its choice if still there."""
        transcripts = [(t.name, t.uuid) for t in self._project.transcripts.all()]
        self._fill(self.transcript_combo, [("All transcripts", None), *transcripts])
        # Chosen by its label ("Group: …"), which stays when transcripts join or leave the group.
        self._people = dict(attribute_choices(self._project))
        self._fill(
            self.people_combo, [("Any participant", None), *((label, label) for label in self._people)]
        )
        codes = self._project.codebook.all()
        coded: list[tuple[str, object]] = [
            ("Coded or not", None),
            ("Not coded yet", "uncoded"),
            ("Coded with any theme", "coded"),
        ]
        coded += [(f"Coded “{c.path}”", c.uuid) for c in codes]
        self._fill(self.coded_combo, coded)
        self._fill(self.code_combo, [(c.path, c.uuid) for c in codes])
        self.code_combo.setPlaceholderText("No themes yet")
        self._sync()

    def set_index_note(self, note: str, stopped: bool) -> None:
        """What the index keeper says (being built, stopped, failed); "Index now" when it was stopped."""
        if model.missing():
            return
        if not note and self._partial and self.model.rowCount():
            note = COMPLETE  # the results shown came from part of it; they stay until asked again
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.index_button.setVisible(stopped)

    def quick_code(self) -> None:
        """Ctrl+K with the results in hand: choose a theme by typing, code the ticked passages."""
        code_uuid = QuickCodePalette.choose(self._project.codebook.all(), self)
        self.window().activateWindow()
        self.results.setFocus()
        if code_uuid is not None:
            self._code_ticked(code_uuid)

    def code_with_pin(self, digit: int) -> None:
        code_uuid = self._project.pins.all().get(digit)
        if code_uuid is None:
            self.status.setText(f"No theme is pinned to {digit}: right-click a theme › Pin to key.")
            return
        self._code_ticked(code_uuid)

    # -- internals ---------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh_choices()  # transcripts, details and themes may have changed while hidden
        super().showEvent(event)

    def _show_availability(self) -> None:
        absent = bool(model.missing())
        if absent:
            self.note.setText(not_installed())
            self.note.show()
            self.index_button.hide()
        inputs: list[QWidget] = [self.query_edit, self.find_button, self.transcript_combo, self.people_combo]
        for widget in [*inputs, self.coded_combo, self.results, self.select_all, self.hint]:
            widget.setEnabled(not absent)
        if not absent and not self.note.text():
            self.note.hide()
        self._sync()

    def _fill(self, combo: QComboBox, items: list[tuple[str, object]]) -> None:
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for label, data in items:
            combo.addItem(label, data)
        found = combo.findData(chosen) if chosen is not None else -1
        combo.setCurrentIndex(max(found, 0) if combo.count() else -1)
        combo.blockSignals(False)

    def _scope(self) -> Scope:
        transcripts: set[str] | None = None
        one = self.transcript_combo.currentData()
        if one is not None:
            transcripts = {str(one)}
        people = self.people_combo.currentData()
        if people is not None:
            theirs = set(self._people.get(str(people), ()))
            transcripts = theirs if transcripts is None else transcripts & theirs
        coded = self.coded_combo.currentData()
        return Scope(
            transcripts=None if transcripts is None else frozenset(transcripts),
            coded={"uncoded": False, "coded": True}.get(str(coded)) if coded is not None else None,
            code_uuid=str(coded) if coded not in (None, "uncoded", "coded") else None,
        )

    def _filters_changed(self) -> None:
        if self._source is not None or self.query_edit.text().strip():
            self.run()

    def _typed(self, _text: str) -> None:
        self._source = None  # what is typed is now words, not the selection it showed

    def _show(self, found: list[SimilarPassage], index: LoadedIndex, what: str) -> None:
        self._index = index
        self._partial = not self.note.isHidden() and self.note.text() != COMPLETE
        if self.note.text() == COMPLETE:
            self.note.setText("")
            self.note.hide()
        self.model.set_passages(found)
        if not len(index):
            self.status.setText("Nothing is indexed yet: the passages will be found once the index is built.")
        elif not found:
            self.status.setText("No passages within these filters.")
        else:
            places = len({p.transcript_uuid for p in found})
            many, s = ("s" if len(found) != 1 else ""), ("s" if places != 1 else "")
            self.status.setText(
                f"{len(found)} passage{many} like {what}, closest first, in {places} transcript{s}"
            )
            self.results.setCurrentIndex(self.model.index(0))
            if self._source is not None and self.isVisible():
                self.results.setFocus()  # asked from the text or a coded passage: the keys go on here
        if self._again:
            self.run()

    def _failed(self, error: BaseException) -> None:
        message = (
            str(error)
            if isinstance(error, JswError)
            else f"the search stopped because of a bug ({type(error).__name__})"
        )
        self.model.set_passages([])
        self.status.setText(message[:1].upper() + message[1:] + ".")
        if self._again:
            self.run()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if ticking_keys(watched, event, self.query_edit, self.results, self.model.toggle):
            return True
        return super().eventFilter(watched, event)

    def _activated(self, index: QModelIndex) -> None:
        passage = index.data(PASSAGE_ROLE)
        if not isinstance(passage, SimilarPassage):
            return
        try:
            self._project.transcripts.get(passage.transcript_uuid)
        except NotFound:  # deleted (or withdrawn, or taken by a sync) since it was found
            self.status.setText("That passage's transcript is no longer in the project: find again.")
            return
        self.passageActivated.emit(passage.transcript_uuid, passage.start, passage.end)

    def _select_all_clicked(self) -> None:
        self.model.set_all_checked(len(self.model.checked()) < self.model.rowCount())
        self._sync()

    def _code_ticked(self, code_uuid: object) -> None:
        """The ticked passages (or, with none ticked, the current one) to the workbench, to be coded."""
        if not code_uuid:
            return
        chosen = self.model.checked()
        if not chosen:
            current = self.results.currentIndex().data(PASSAGE_ROLE)
            chosen = [current] if isinstance(current, SimilarPassage) else []
        if not chosen:
            self.status.setText("Tick the passages to code first (Space).")
            return
        self.codeRequested.emit([(p.transcript_uuid, p.start, p.end) for p in chosen], str(code_uuid))
        self.model.set_all_checked(False)

    def _sync(self) -> None:
        rows, checked = self.model.rowCount(), len(self.model.checked())
        self.select_all.setEnabled(rows > 0)
        state = Qt.CheckState.Unchecked if checked == 0 else Qt.CheckState.PartiallyChecked
        self.select_all.setCheckState(Qt.CheckState.Checked if rows and checked == rows else state)
        self.code_button.setEnabled(checked > 0 and self.code_combo.currentData() is not None)
        self.code_button.setText(f"Code {checked} ticked" if checked else "Code ticked")


class SearchTab(QWidget):
    """The Search tab: find words, or passages like this; a switch at the top says which."""

    def __init__(self, words: SearchPanel, like: SimilarPanel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.words, self.like = words, like
        self.words_button = QRadioButton("&Words", self)
        self.words_button.setToolTip("Every place these words occur (Ctrl+F)")
        self.like_button = QRadioButton("Passages &like this", self)
        self.like_button.setToolTip(
            "Passages close in meaning to a selection or to typed words (Ctrl+Shift+F)"
        )
        group = QButtonGroup(self)
        group.addButton(self.words_button)
        group.addButton(self.like_button)
        self.words_button.setChecked(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(words)
        self.stack.addWidget(like)
        self.words_button.toggled.connect(lambda on: self.stack.setCurrentWidget(words if on else like))
        switch = QHBoxLayout()
        switch.addWidget(QLabel("Look for:", self))
        switch.addWidget(self.words_button)
        switch.addWidget(self.like_button)
        switch.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(switch)
        layout.addWidget(self.stack, 1)

    def show_words(self) -> None:
        self.words_button.setChecked(True)

    def show_like(self) -> None:
        self.like_button.setChecked(True)
