"""The survey grid (issue 18): every answer to one question one under another, coded as turns are.

Choose a survey and one of its open questions; the answers show in one read-only text view (the
transcript view itself, so selection, whole-word drags, highlights, margin bars, tooltips and zoom are
the ones the interviews have), and the column on the left names each respondent with the attributes
chosen to show ("Respondent 17 · Team leader · Fife"). A coding is made in the respondent's own
document, through the same undo commands as in the main window and onto its undo stack: Ctrl+Z here
takes it back, and the main window's counts, Coded passages, the matrix and the queries see it at once.
A selection never codes two answers: it is cut at the end of the answer it starts in, and the status
line says so. The main window's shortcuts do not reach a separate window, so this one has its own
Edit menu with the same keys (1–9, Ctrl+K, Ctrl+Enter, Del, Ctrl+Shift+K, Ctrl+R, Ctrl+Z, Ctrl+Shift+Z).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from jswcoder.errors import JswError
from jswcoder.model import Coding
from jswcoder.services.surveys import Survey
from jswcoder.store.surveys import GridAnswer
from jswcoder.ui.coding_commands import AddCodings, ChangeCoding, RemoveCoding, _Command
from jswcoder.ui.pin_keys import PinStrip
from jswcoder.ui.quick_code import QuickCodePalette
from jswcoder.ui.register_dialog import add_to_register
from jswcoder.ui.survey_grid_gutter import AnswerGutter
from jswcoder.ui.survey_grid_layout import GridLayout, Picked
from jswcoder.ui.transcript_view import Highlight, TranscriptView
from jswcoder.ui.workbench import Workbench

OpenPassage = Callable[[str, int, int], None]
SHOWN_ATTRIBUTES = 2  # attributes beside each answer until the user chooses others
FIRST_PAGE = 150  # answers shown at once, more than a screen holds; the rest follow in the next turn
AHEAD = 60  # respondents' attributes are read for the rows this far either side of one on screen
NO_SURVEY = "No survey yet: import a questionnaire export first (File › Import survey…)."
HOW = (
    "Select words in an answer, then press a digit key, Ctrl+K or Ctrl+Enter. Ctrl+↓ goes to the next answer."
)


class _Notify:
    """What the coding commands report (:class:`jswcoder.ui.coding_commands.Workbench`), passed on to
    the main window's workbench (its counts, passages and open transcript) and to the grid while open."""

    def __init__(self, bench: Workbench, grid: SurveyGrid) -> None:
        self.bench = bench
        self.grid: SurveyGrid | None = grid

    def coding_added(self, coding: Coding) -> None:
        self.bench.coding_added(coding)
        if self.grid is not None:
            self.grid.coding_added(coding)

    def coding_removed(self, coding: Coding) -> None:
        self.bench.coding_removed(coding)
        if self.grid is not None:
            self.grid.coding_removed(coding)

    def coding_changed(self, before: Coding, after: Coding) -> None:
        self.coding_removed(before)
        self.coding_added(after)


class SurveyGrid(QMainWindow):
    def __init__(self, bench: Workbench, open_passage: OpenPassage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = bench.project
        self.undo_stack = bench.undo_stack
        self._bench = bench
        self._open_passage = open_passage
        self._notify = _Notify(bench, self)
        self._surveys: list[Survey] = []
        self._attributes: dict[str, dict[str, str]] = {}  # participant -> values, read as rows show
        self._shown: dict[str, list[str]] = {}  # survey uuid -> the attribute names ticked to show
        self.layout_ = GridLayout.of([])
        self._heard = False  # a coding change reached the grid itself: the next undo-stack step is known
        self._stale = False  # something changed elsewhere: read afresh when next active
        self._reading = 0  # which load is the latest: a later page of an earlier one is dropped
        self.complete = True  # every answer to the question is shown (not only the first page)
        self.setWindowTitle(f"Survey answers — {self.project.name}")

        self.view = TranscriptView(self, speaker_labels=False)
        self.view.setAccessibleName("Answers")
        self.view.text_edit.setAccessibleName("Answers to the question")
        self.view.snap_to_words = bench.view.snap_to_words
        # Its places are the grid's: a drag of them must not reach the main window's tree as codable.
        self.view.offers_selection = False
        self.gutter = AnswerGutter(self.view.text_edit, self)
        self.heading = QLabel(self)
        self.heading.setAccessibleName("Question")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setContentsMargins(8, 6, 8, 6)
        self.pin_strip = PinStrip(self)
        self._build_toolbar()
        self._build_menus()
        self._build_centre()
        self.statusBar().addPermanentWidget(self.pin_strip)
        self.view.highlightActivated.connect(self._highlight_activated)
        self.gutter.rowClicked.connect(self.go_to_row)
        self.gutter.rowDoubleClicked.connect(self.select_row)
        self.undo_stack.indexChanged.connect(self._undo_step)
        bench.themes.pinsChanged.connect(self._pins_changed)  # pinned in the main window's tree
        self.resize(1200, 820)
        self.refresh()

    # -- building ----------------------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        bar = self.addToolBar("Survey")
        bar.setMovable(False)
        bar.setObjectName("survey toolbar")
        self.survey_combo = QComboBox(self)
        self.survey_combo.setAccessibleName("Survey")
        self.survey_combo.setMinimumContentsLength(16)
        self.survey_combo.activated.connect(lambda _index: self._survey_chosen())
        self.question_combo = QComboBox(self)
        self.question_combo.setAccessibleName("Question")
        self.question_combo.setMinimumContentsLength(40)
        self.question_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.question_combo.activated.connect(lambda _index: self.load())
        self.attributes_button = QToolButton(self)
        self.attributes_button.setText("Attributes shown")
        self.attributes_button.setAccessibleName("Attributes shown beside each answer")
        self.attributes_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.attributes_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.attributes_menu = QMenu(self)
        self.attributes_button.setMenu(self.attributes_menu)
        for text, widget in (("&Survey: ", self.survey_combo), ("   &Question: ", self.question_combo)):
            label = QLabel(text, self)
            label.setBuddy(widget)  # Alt+S, Alt+Q
            bar.addWidget(label)
            bar.addWidget(widget)
        bar.addWidget(QLabel("   ", self))
        bar.addWidget(self.attributes_button)

    def _build_centre(self) -> None:
        centre = QWidget(self)
        rows = QHBoxLayout()
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(0)
        rows.addWidget(self.gutter)
        rows.addWidget(self.view, 1)
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.heading)
        layout.addLayout(rows, 1)
        self.setCentralWidget(centre)
        self.setTabOrder(self.question_combo, self.view.text_edit)

    def _build_menus(self) -> None:
        edit = self.menuBar().addMenu("&Edit")
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcuts(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts(QKeySequence.StandardKey.Redo)
        edit.addActions([undo, redo])
        edit.addSeparator()
        self._add(edit, "&Quick code…", self.quick_code, "Ctrl+K")
        self._add(edit, "Code with &chosen theme", self.code_with_current_theme, "Ctrl+Return")
        self._add(edit, "&Remove coding under cursor", self.remove_coding_at_cursor)
        self._add(edit, "Change &theme of coding…", self.change_theme_at_cursor, "Ctrl+Shift+K")
        edit.addSeparator()
        self._add(edit, "Add selection to the &register…", self.add_selection_to_register, "Ctrl+R")
        answers = self.menuBar().addMenu("&Answers")
        self._add(answers, "&Next answer", lambda: self.go_to_row(self.gutter.current_row() + 1), "Ctrl+Down")
        self._add(
            answers, "&Previous answer", lambda: self.go_to_row(self.gutter.current_row() - 1), "Ctrl+Up"
        )
        self._add(
            answers,
            "&Select the whole answer",
            lambda: self.select_row(self.gutter.current_row()),
            "Ctrl+Shift+A",
        )
        answers.addSeparator()
        self._add(answers, "&Open the whole response in the main window", self.open_response, "Ctrl+Shift+O")
        self._add(answers, "Read the answers &again", self.refresh, "F5")
        text = self.view.text_edit
        for digit in range(1, 10):  # as the workbench: the digits code only while the answers have the keys
            shortcut = QShortcut(QKeySequence(str(digit)), text, context=Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda d=digit: self.code_with_pin(d))
        remove = QShortcut(QKeySequence.StandardKey.Delete, text, context=Qt.ShortcutContext.WidgetShortcut)
        remove.activated.connect(self.remove_coding_at_cursor)

    def _add(self, menu: QMenu, text: str, slot: Callable[[], object], keys: str | None = None) -> QAction:
        action = QAction(text, self)
        if keys is not None:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # -- reading -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the surveys, their questions and the chosen question's answers afresh, keeping the
        survey, question and place shown where they are still there."""
        self._stale = False
        survey_uuid = self.survey_combo.currentData()
        question = self.question_combo.currentData()
        self._surveys = self.project.surveys.all()
        self.survey_combo.clear()
        for survey in self._surveys:
            self.survey_combo.addItem(survey.name, survey.uuid)
        index = self.survey_combo.findData(survey_uuid)
        self.survey_combo.setCurrentIndex(max(index, 0))
        self.pin_strip.set_pins(self._bench.pinned_names())
        self._fill_questions(question)
        same = (survey_uuid, question) == (self.survey_combo.currentData(), self.question_combo.currentData())
        self.load(self._place() if same else None)

    def _place(self) -> tuple[int, int, int]:
        """The selection (anchor, caret) and the scroll position."""
        cursor = self.view.text_edit.textCursor()
        return cursor.anchor(), cursor.position(), self.view.text_edit.verticalScrollBar().value()

    def _go_back(self, place: tuple[int, int, int]) -> None:
        """Back to a place, as far as the answers shown still reach."""
        edit = self.view.text_edit
        anchor, position, scrolled = place
        cursor = QTextCursor(edit.document())
        last = edit.document().characterCount() - 1
        cursor.setPosition(min(anchor, last))
        cursor.setPosition(min(position, last), QTextCursor.MoveMode.KeepAnchor)
        edit.setTextCursor(cursor)
        edit.verticalScrollBar().setValue(scrolled)

    def survey(self) -> Survey | None:
        uuid = self.survey_combo.currentData()
        return next((s for s in self._surveys if s.uuid == uuid), None)

    def _survey_chosen(self) -> None:
        self._fill_questions(None)
        self.load()

    def _fill_questions(self, keep: str | None) -> None:
        survey = self.survey()
        self.question_combo.clear()
        self.attributes_menu.clear()
        self._attributes = {}
        self.attributes_button.setEnabled(survey is not None and bool(survey.attribute_names))
        if survey is None:
            return
        for question in survey.open_questions:
            label = (
                question.key if question.question == question.key else f"{question.key}. {question.question}"
            )
            self.question_combo.addItem(" ".join(label.split()), question.key)
            self.question_combo.setItemData(
                self.question_combo.count() - 1, question.question, Qt.ItemDataRole.ToolTipRole
            )
        self.question_combo.setCurrentIndex(max(self.question_combo.findData(keep), 0))
        shown = self._shown.setdefault(survey.uuid, list(survey.attribute_names[:SHOWN_ATTRIBUTES]))
        for name in survey.attribute_names:
            action = self.attributes_menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(name in shown)
            action.toggled.connect(lambda on, n=name: self._show_attribute(n, on))

    def _show_attribute(self, name: str, on: bool) -> None:
        survey = self.survey()
        if survey is None:
            return
        shown = (
            set(self._shown.get(survey.uuid, [])) | {name}
            if on
            else set(self._shown.get(survey.uuid, [])) - {name}
        )
        self._shown[survey.uuid] = [n for n in survey.attribute_names if n in shown]  # the export's order
        self.gutter.update()

    def load(self, place: tuple[int, int, int] | None = None) -> None:
        """Show every answer to the chosen question with its codings, the caret in the first answer (or
        back at *place*). The first page shows at once; the rest is read in the event loop's next turn,
        so a large survey's grid is there to read (and code) before its last answers are."""
        survey, key = self.survey(), self.question_combo.currentData()
        self._reading += 1  # a page still to come for an earlier choice is not wanted any more
        self.complete = True
        if survey is None or key is None:
            self.layout_ = GridLayout.of([])
            self.view.clear()
            self.view.text_edit.setPlaceholderText(NO_SURVEY)
            self.heading.setText("")
            self.gutter.set_rows(self.layout_, self._describe)
            return
        first = self.project.surveys.answers_from(survey, key, limit=FIRST_PAGE)
        self.view.set_label_names(code.name for code in self.project.codebook.all())
        self._show(survey, key, first, done=len(first) < FIRST_PAGE)
        self.view.text_edit.moveCursor(QTextCursor.MoveOperation.Start)
        if len(first) < FIRST_PAGE:
            if place is not None:
                self._go_back(place)
            return
        self.complete = False
        reading = self._reading

        def rest() -> None:
            if reading != self._reading:
                return  # another question (or none, after a lock) was chosen meanwhile
            after = self.project.surveys.answers_from(survey, key, after=first[-1].number)
            kept = self._place()
            self._show(survey, key, first + after, done=True)
            self._go_back(place if place is not None else kept)
            self.complete = True

        QTimer.singleShot(1, rest)  # a real timer: the first page is painted before it fires

    def _show(self, survey: Survey, key: str, answers: list[GridAnswer], *, done: bool) -> None:
        self.layout_ = GridLayout.of(answers)
        highlights = [h for c in self.project.surveys.codings_on(survey, key) if (h := self._highlight(c))]
        self.view.set_document(self.layout_.text, [], highlights)
        self.view.text_edit.setPlaceholderText("" if answers else "No respondent answered this question.")
        self.gutter.set_rows(self.layout_, self._describe)
        question = survey.question(key)
        count = (
            f"{len(answers):,} answer{'s' if len(answers) != 1 else ''}" if done else "Reading the answers…"
        )
        self.heading.setText(
            f"<b>{html.escape(question.key)}</b>"
            + ("" if question.question == question.key else f"&nbsp; {html.escape(question.question)}")
            + f"<br><span style='color:#5b5f66'>{count} · {HOW}</span>"
        )

    def _describe(self, row: int) -> tuple[str, str, str]:
        answer = self.layout_.answers[row]
        if answer.participant_uuid not in self._attributes:  # read for the rows around it, at once
            around = self.layout_.answers[max(row - AHEAD, 0) : row + AHEAD]
            wanted = [a.participant_uuid for a in around if a.participant_uuid not in self._attributes]
            self._attributes.update({uuid: {} for uuid in wanted})  # none stored: read once
            self._attributes.update(self.project.surveys.respondent_attributes(wanted))
        values = self._attributes[answer.participant_uuid]
        survey = self.survey()
        shown = self._shown.get(survey.uuid, []) if survey is not None else []
        name = f"Respondent {answer.number}"
        details = " · ".join(values[n] for n in shown if values.get(n))
        tip = "\n".join([name, *(f"{n}: {v}" for n, v in values.items())])
        return name, details, tip

    def _highlight(self, coding: Coding) -> Highlight | None:
        place = self.layout_.to_grid(coding.transcript_uuid, coding.start, coding.end)
        if place is None:
            return None
        return replace(self._bench.highlight(coding), start=place[0], end=place[1])

    # -- moving ------------------------------------------------------------------------------------

    def go_to_row(self, row: int) -> None:
        """The caret at the start of an answer (the first or last for a row past either end)."""
        if not self.layout_.answers:
            return
        row = min(max(row, 0), len(self.layout_) - 1)
        edit = self.view.text_edit
        cursor = QTextCursor(edit.document())
        cursor.setPosition(self.layout_.starts_u16[row])
        edit.setTextCursor(cursor)
        edit.ensureCursorVisible()
        edit.setFocus()

    def select_row(self, row: int) -> None:
        if 0 <= row < len(self.layout_):
            self.view.select_range(*self.layout_.span(row))
            self.view.text_edit.setFocus()

    def open_response(self) -> None:
        """The respondent's whole document in the main window, at the answer (or the selection)."""
        picked = self.picked()
        row = self.gutter.current_row()
        if picked is not None:
            self._open_passage(picked.answer.transcript_uuid, picked.start, picked.end)
        elif row >= 0:
            answer = self.layout_.answers[row]
            self._open_passage(answer.transcript_uuid, answer.start, answer.end)

    # -- coding ------------------------------------------------------------------------------------

    def picked(self) -> Picked | None:
        """What the selection codes: the part of it in the answer it starts in."""
        selected = self.view.selected_range()
        return None if selected is None else self.layout_.pick(*selected)

    def code_selection(self, code_uuid: str, key: int | None = None) -> bool:
        picked = self.picked()
        if picked is None:
            self.say("Select words in an answer first.")
            return False
        name = self.project.codebook.get(code_uuid).name
        passage = (picked.answer.transcript_uuid, picked.start, picked.end)
        command = AddCodings(self.project, self._notify, [passage], code_uuid, f"Code as “{name}”")
        if not self._run(command):
            return False
        how = f" (key {key})" if key is not None else ""
        said = f"Coded respondent {picked.answer.number}'s words as “{name}”{how}."
        if not command.created:
            said = "Already coded so."
        if picked.clipped:
            said = (
                f"The selection ran on into the next answer: only respondent {picked.answer.number}'s "
                f"answer was coded. {said}"
            )
            first = self.layout_.starts[picked.index] + picked.start - picked.answer.start
            self.view.select_range(first, first + picked.end - picked.start)  # what was coded, shown
        self.say(said + " Ctrl+Z undoes it.")
        return True

    def code_with_pin(self, digit: int) -> None:
        code_uuid = self.project.pins.all().get(digit)
        if code_uuid is None:
            self.say(f"No theme is pinned to {digit}: right-click a theme in the main window › Pin to key.")
            return
        self.code_selection(code_uuid, key=digit)

    def quick_code(self) -> None:
        if self.picked() is None:
            self.say("Select words in an answer first.")
            return
        code_uuid = QuickCodePalette.choose(self.project.codebook.all(), self)
        self.activateWindow()
        self.view.text_edit.setFocus()
        if code_uuid is not None:
            self.code_selection(code_uuid)

    def code_with_current_theme(self) -> None:
        code_uuid = self._bench.themes.current_code_uuid()
        if code_uuid is None:
            self.say("Choose a theme in the main window's tree first.")
            return
        self.code_selection(code_uuid)

    def remove_coding_at_cursor(self) -> None:
        target = self.view.coding_at_cursor()
        if target is None:
            self.say("There is no coding here to remove.")
            return
        if self._run(RemoveCoding(self.project, self._notify, target.coding_uuid)):
            self.say(f"Removed the coding “{target.code_name}”. Ctrl+Z brings it back.")

    def change_theme_at_cursor(self) -> None:
        """Give the coding under the caret another theme, chosen in the quick-code box."""
        target = self.view.coding_at_cursor()
        if target is None:
            self.say("Put the cursor in a coded passage first.")
            return
        codes = self.project.codebook.all()
        code_uuid = QuickCodePalette.choose(codes, self, recoding=target.code_name)
        self.activateWindow()
        self.view.text_edit.setFocus()
        if code_uuid is None or code_uuid == target.code_uuid:
            return
        name = self.project.codebook.get(code_uuid).name
        command = ChangeCoding(
            self.project, self._notify, target.coding_uuid, code_uuid=code_uuid, text=f"Recode as “{name}”"
        )
        if self._run(command):
            self.say(f"The passage is now coded “{name}”. Ctrl+Z undoes it.")

    def add_selection_to_register(self) -> None:
        """Register the selected words of an answer as identifying, for anonymised exports (as in the
        main window: the same dialog and the same register)."""
        if self._bench.read_only is not None:
            self.say(self._bench.read_only)
            return
        picked = self.picked()
        if picked is None:
            self.say("Select the identifying words first.")
            return
        first = self.layout_.starts[picked.index] + picked.start - picked.answer.start
        words = self.layout_.text[first : first + picked.end - picked.start]
        said = add_to_register(self.project.register, words, self)
        if said is not None:
            self.say(said)

    def _run(self, command: _Command) -> bool:
        """As the workbench runs its steps: not while a job writes; a refusal in one line; then onto
        the window's undo stack."""
        if self._bench.read_only is not None:
            self.say(self._bench.read_only)
            return False
        try:
            command.perform()
        except JswError as error:
            QMessageBox.warning(self, "jswcoder", str(error))
            return False
        self._heard = True
        self.undo_stack.push(command)
        return True

    def say(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    def _highlight_activated(self, coding_uuid: str) -> None:
        coding = self.project.codings.get(coding_uuid)
        place = self.layout_.to_grid(coding.transcript_uuid, coding.start, coding.end)
        if place is not None:
            self.view.select_range(*place)
            self.say(f"Coded “{self.project.codebook.get(coding.code_uuid).path.replace('/', ' › ')}”.")

    # -- what the commands report, and changes made elsewhere --------------------------------------

    def coding_added(self, coding: Coding) -> None:
        self._heard = True
        highlight = self._highlight(coding)
        if highlight is not None:
            self.view.add_highlight(highlight)

    def coding_removed(self, coding: Coding) -> None:
        self._heard = True
        self.view.remove_highlight(coding.uuid)

    def _undo_step(self) -> None:
        if self._heard:
            self._heard = False
        else:  # a step taken in the main window (or undone here): its changes are read afresh
            self.mark_stale()

    def _pins_changed(self, _pins: object) -> None:
        self.pin_strip.set_pins(self._bench.pinned_names())

    def mark_stale(self) -> None:
        """Something changed behind the grid (a step in the main window, a sync): read it afresh now
        if the grid is in front, or else when it next is."""
        self._stale = True
        if self.isActiveWindow():
            self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() and self._stale:
            self.refresh()

    def clear(self) -> None:
        """Drop every answer from the widgets and stop hearing of codings (before a lock or close)."""
        self._notify.grid = None
        self._reading += 1
        self.undo_stack.indexChanged.disconnect(self._undo_step)
        self.layout_ = GridLayout.of([])
        self._attributes = {}
        self.gutter.set_rows(self.layout_, self._describe)
        self.view.clear()
        self.heading.clear()
        self.survey_combo.clear()
        self.question_combo.clear()
