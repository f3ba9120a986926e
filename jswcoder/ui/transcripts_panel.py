"""The list of transcripts, with each participant's attributes and coding progress, filterable.

A transcript is renamed in place (F2, type, Enter) and deleted with Del, after a confirmation that
says how many codings and memos go with it; both are steps on the window's undo stack (see
:mod:`jswcoder.ui.transcript_commands`), so Ctrl+Z brings a deleted transcript back until the project
is locked or closed.

**Surveys** (issue 18) do not drown the interviews: each survey is one entry, "Staff survey — 5,000
respondents", whose respondents' documents are listed under it when it is unfolded (a click, or →;
← folds it again), or when the filter is typed in. Listing them only then keeps a reload quick
however many respondents there are. Enter on the entry opens the survey's grid where the window has
one (``surveyActivated``; otherwise it unfolds); its context menu also opens it, and sets how its
respondents are attributed ("Survey respondent 17").

**Recordings** (issue 19) are listed under one entry at the top, each saying where it stands ("not
transcribed", "transcribing 12:30 of 41:05", "ready to correct", or the transcript it became; see
:mod:`jswcoder.ui.recordings_group`); Enter on one asks for its next step (``recordingActivated``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence, QStandardItem, QStandardItemModel, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from jswcoder.errors import JswError
from jswcoder.model import Participant, Transcript
from jswcoder.project import Project
from jswcoder.services.surveys import Survey
from jswcoder.ui.recordings_group import (
    RECORDING_ROLE,
    RECORDINGS_ROLE,
    group_row,
    recording_entries,
    show_state,
)
from jswcoder.ui.transcript_commands import DeleteTranscript, RenameTranscript

UUID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 3
COUNT_ROLE = Qt.ItemDataRole.UserRole + 4
SURVEY_ROLE = Qt.ItemDataRole.UserRole + 5  # on a survey's entry: the survey's UUID
COLUMNS = ("Transcript", "Participant", "Coded")
PARTICIPANT_WIDTH = 90  # the participant column's share of a narrow panel; its tooltip has it all
_Index = QModelIndex | QPersistentModelIndex


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _number_order(name: str) -> str:
    """A sort text putting "respondent 2" before "respondent 10" (a Qt sort role compares strings)."""
    return re.sub(r"\d+", lambda digits: digits.group().zfill(12), name.casefold())


class _Model(QStandardItemModel):
    """The rows; a name typed in place asks for a rename (the row changes when the rename is done)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self.rename_requested: Callable[[str, str], bool] | None = None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != 0:
            return super().setData(index, value, role)
        uuid = index.data(UUID_ROLE)
        if not uuid or self.rename_requested is None or str(value).strip() == index.data():
            return False
        return self.rename_requested(str(uuid), str(value))


class TranscriptsPanel(QWidget):
    transcriptActivated = Signal(str)  # transcript uuid
    transcriptsChanged = Signal()  # renamed, deleted or brought back: views that show transcripts follow
    surveyActivated = Signal(str)  # a survey's entry chosen with Enter: its grid opens, where there is one
    recordingActivated = Signal(str)  # a recording chosen with Enter: its next step (recording uuid)
    importRecordingRequested = Signal()  # "Import recording…" from the Recordings entry's menu

    def __init__(
        self,
        project: Project,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
        *,
        may_change: Callable[[], bool] = lambda: True,
    ) -> None:
        super().__init__(parent)
        self._project = project
        self._undo_stack = undo_stack
        self._may_change = may_change
        self.model = _Model(self)
        self.model.rename_requested = self.rename
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)  # any column: name, group, area, mode ...
        self.proxy.setSortRole(SORT_ROLE)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter transcripts by name or attribute…")
        self.filter_edit.setAccessibleName("Filter transcripts")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._filter)
        self.proxy.setRecursiveFilteringEnabled(True)  # a respondent found shows its survey's entry
        self.view = QTreeView(self)
        self.view.setModel(self.proxy)
        self.view.setAccessibleName("Transcripts")
        self.view.setAccessibleDescription("F2 renames the transcript; Delete deletes it")
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        # All three columns fit the panel: the name takes what is left, the progress what it needs.
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(1, PARTICIPANT_WIDTH)
        self.view.activated.connect(self._activated)
        self.view.expanded.connect(self._expanded)
        self.proxy.layoutChanged.connect(self._span_surveys)
        self.proxy.modelReset.connect(self._span_surveys)
        self.proxy.rowsInserted.connect(self._rows_listed)
        self.view.clicked.connect(self._clicked)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.actions_by_name: dict[str, QAction] = {}
        for key, label, shortcut, slot in (
            ("rename", "&Rename", QKeySequence("F2"), self.start_rename),
            ("delete", "&Delete…", QKeySequence(QKeySequence.StandardKey.Delete), self.delete_current),
        ):
            action = QAction(label, self)
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.view.addAction(action)
            self.actions_by_name[key] = action
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.view)
        self._items: dict[str, QStandardItem] = {}  # transcript uuid -> its name item, where listed
        self._surveys: dict[str, tuple[Survey, list[Transcript]]] = {}  # survey uuid -> its documents
        self._counts: dict[str, int] = {}
        self._coverage: dict[str, float] = {}
        self._recordings: dict[str, QStandardItem] = {}  # recording uuid -> its row
        self._live: dict[str, str] = {}  # recording uuid -> where its running job has got, kept over reloads
        self.reload()

    # -- dialogs (tests replace these) ---------------------------------------------------------------

    @classmethod
    def confirm(cls, parent: QWidget, title: str, text: str) -> bool:
        no, yes = QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes
        return QMessageBox.question(parent, title, text, yes | no, no) == yes  # Enter keeps it

    @classmethod
    def tell(cls, parent: QWidget, text: str) -> None:
        QMessageBox.warning(parent, "jswcoder", text)

    @classmethod
    def inform(cls, parent: QWidget, text: str) -> None:
        QMessageBox.information(parent, "jswcoder", text)

    @classmethod
    def ask_text(cls, parent: QWidget, title: str, label: str, text: str) -> str | None:
        value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
        return value if ok else None

    # -- the list ------------------------------------------------------------------------------------

    def reload(self) -> None:
        unfolded = {
            str(self.model.item(row, 0).data(SURVEY_ROLE))
            for row in range(self.model.rowCount())
            if self.model.item(row, 0).data(SURVEY_ROLE) and self._listed(self.model.item(row, 0))
        }
        self.model.removeRows(0, self.model.rowCount())
        self._items.clear()
        transcripts = self._project.transcripts.all()
        self._counts = self._project.codings.counts_by_transcript()
        self._coverage = self._project.codings.coverage_by_transcript(transcripts)
        documents = self._project.surveys.documents()
        self._surveys = {s.uuid: (s, []) for s in self._project.surveys.all()} if documents else {}
        for transcript in transcripts:
            survey = documents.get(transcript.uuid)
            if survey is not None and survey in self._surveys:
                self._surveys[survey][1].append(transcript)
            else:
                self.model.appendRow(self._row(transcript))
        self.view.setRootIsDecorated(bool(self._surveys))
        for survey_info, listed in self._surveys.values():
            if listed:
                self.model.appendRow(self._survey_row(survey_info, listed))
        for row in range(self.model.rowCount()):
            if self.model.item(row, 0).data(SURVEY_ROLE) in unfolded:
                self._fill(self.model.item(row, 0))
        self._list_recordings()
        if self.filter_edit.text():
            self._filter(self.filter_edit.text())

    def _row(
        self, transcript: Transcript, *, respondents: Mapping[str, Participant] | None = None
    ) -> list[QStandardItem]:
        """A transcript's row: its name, its participant's details, its coding progress. Under its
        survey (*respondents*: its participants, read at once), a respondent's document shows its
        closed answers (its attribution is in its name)."""
        in_survey = respondents is not None
        if respondents is None:
            participant = self._project.transcripts.participant(transcript)
        else:
            participant = respondents.get(transcript.participant_uuid or "")
        details = []
        if participant is not None:
            details = [
                value
                for value in (
                    participant.attribution,
                    participant.format,
                    participant.mode,
                    participant.council_area,
                    *participant.attributes.values(),
                )
                if value
            ]
        name = QStandardItem(transcript.name)
        name.setData(transcript.uuid, UUID_ROLE)
        name.setToolTip(f"{transcript.source_name}, {transcript.length:,} characters")
        # A lead's merged transcripts are named by their attribution: it is not said twice.
        said = participant.attribution if in_survey and participant is not None else None
        shown = [d for d in details if d.casefold() not in transcript.name.casefold() and d != said]
        who = QStandardItem(shown[0] if shown else "—")
        who.setToolTip("\n".join(details) or "No participant details: set them in View › Cases…")
        who.setEditable(False)
        # Filtering looks at the whole attribute line, not just the visible first part.
        who.setData(" · ".join(details), Qt.ItemDataRole.UserRole + 2)
        name.setData(transcript.name.lower(), SORT_ROLE)
        who.setData(" · ".join(details).lower(), SORT_ROLE)
        count = QStandardItem()
        count.setEditable(False)
        count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._show_progress(
            count, self._counts.get(transcript.uuid, 0), self._coverage.get(transcript.uuid, 0.0)
        )
        self._items[transcript.uuid] = name
        return [name, who, count]

    def _survey_row(self, survey: Survey, documents: list[Transcript]) -> list[QStandardItem]:
        """A survey's one entry: its name, how many respondents, and the coding of all its answers."""
        # One line across the columns (see _span_surveys): the name and its count, never cut short.
        name = QStandardItem(f"{survey.name} — {_plural(survey.respondents, 'respondent')}")
        name.setEditable(False)
        name.setData(survey.uuid, SURVEY_ROLE)
        name.setData(survey.name.lower(), SORT_ROLE)
        font = name.font()
        font.setBold(True)
        name.setFont(font)
        name.setToolTip(
            f"Survey: {_plural(survey.respondents, 'respondent')}, {len(documents):,} with open answers.\n"
            "→ lists them; the context menu sets how they are attributed."
        )
        who = QStandardItem(_plural(survey.respondents, "respondent"))
        who.setEditable(False)
        who.setData(f"{survey.respondents:012d}", SORT_ROLE)
        count = QStandardItem()
        count.setEditable(False)
        count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        length = sum(t.length for t in documents) or 1
        covered = sum(self._coverage.get(t.uuid, 0.0) * t.length for t in documents)
        self._show_progress(count, sum(self._counts.get(t.uuid, 0) for t in documents), covered / length)
        placeholder = [QStandardItem(), QStandardItem(), QStandardItem()]  # the arrow, until listed
        for item in placeholder:
            item.setEditable(False)
            item.setSelectable(False)
        name.appendRow(placeholder)
        return [name, who, count]

    def _list_recordings(self) -> None:
        """The Recordings entry, unfolded, when the project has any."""
        self._recordings.clear()
        entries = recording_entries(self._project)
        if not entries:
            return
        row = group_row(entries)
        self.model.appendRow(row)
        names = {entry.uuid: entry.name for entry in entries}
        for child in range(row[0].rowCount()):
            item = row[0].child(child, 0)
            uuid = str(item.data(RECORDING_ROLE))
            self._recordings[uuid] = item
            if uuid in self._live:
                show_state(item, names[uuid], self._live[uuid])
        self.view.setRootIsDecorated(True)
        self.view.expand(self.proxy.mapFromSource(row[0].index()))
        self._span_surveys()

    def set_recording_state(self, recording_uuid: str, name: str, said: str | None) -> None:
        """Say where a recording's running job has got, over reloads too; None when the job has ended
        (the list then says what the project holds)."""
        if said is None:
            self._live.pop(recording_uuid, None)
            return
        self._live[recording_uuid] = said
        item = self._recordings.get(recording_uuid)
        if item is not None:
            show_state(item, name, said)

    def select_recording(self, recording_uuid: str) -> None:
        item = self._recordings.get(recording_uuid)
        if item is not None:
            self.view.setCurrentIndex(self.proxy.mapFromSource(item.index()))

    def _rows_listed(self, parent: QModelIndex, *_: object) -> None:
        if not parent.isValid():  # a survey's documents listed under it need no spanning
            self._span_surveys()

    def _span_surveys(self) -> None:
        """A survey's entry spans the columns, wherever sorting and filtering put it."""
        for row in range(self.proxy.rowCount()):
            entry = self.proxy.index(row, 0)
            survey = entry.data(SURVEY_ROLE) or entry.data(RECORDINGS_ROLE)
            if bool(survey) != self.view.isFirstColumnSpanned(row, QModelIndex()):
                self.view.setFirstColumnSpanned(row, QModelIndex(), bool(survey))
            if entry.data(RECORDINGS_ROLE):  # "name — where it stands" across the columns
                for child in range(self.proxy.rowCount(entry)):
                    self.view.setFirstColumnSpanned(child, entry, True)

    @staticmethod
    def _listed(entry: QStandardItem) -> bool:
        """Whether a survey's documents are listed under its entry (not just the placeholder)."""
        return entry.rowCount() > 0 and entry.child(0, 0).data(UUID_ROLE) is not None

    def _fill(self, entry: QStandardItem) -> None:
        """List a survey's documents under its entry (once: they stay until the next reload)."""
        survey_uuid = entry.data(SURVEY_ROLE)
        if not survey_uuid or str(survey_uuid) not in self._surveys or self._listed(entry):
            return
        entry.removeRows(0, entry.rowCount())
        survey, documents = self._surveys[str(survey_uuid)]
        respondents = {c.participant.uuid: c.participant for c in self._project.cases.all()}  # one read
        for transcript in documents:
            row = self._row(transcript, respondents=respondents)
            # "Respondent 17" under "Staff survey": the survey's name is not said on every line.
            short = transcript.name.removeprefix(f"{survey.name}, ")
            row[0].setText(short[:1].upper() + short[1:])
            row[0].setToolTip(f"{transcript.name}, {transcript.length:,} characters")
            row[0].setEditable(False)  # named by its survey and number
            row[0].setData(_number_order(short), SORT_ROLE)
            entry.appendRow(row)

    def _expanded(self, index: QModelIndex) -> None:
        item = self.model.itemFromIndex(self.proxy.mapToSource(index.siblingAtColumn(0)))
        if item is not None and item.data(SURVEY_ROLE):
            self._fill(item)

    def _filter(self, text: str) -> None:
        """Filter by name or attribute: a survey's respondents are searched too, so they are listed."""
        if text:
            for row in range(self.model.rowCount()):
                self._fill(self.model.item(row, 0))
        self.proxy.setFilterFixedString(text)
        if text:  # the respondents found are shown, not folded away under their survey
            for row in range(self.proxy.rowCount()):
                index = self.proxy.index(row, 0)
                if index.data(SURVEY_ROLE):
                    self.view.expand(index)

    def first(self) -> str | None:
        """The UUID of the first transcript by name (as listed, whatever the view's sort), if any: the
        first interview, else the first survey's first document."""
        for row in range(self.model.rowCount()):
            uuid = self.model.item(row, 0).data(UUID_ROLE)
            if uuid:
                return str(uuid)
        for _survey, documents in self._surveys.values():
            if documents:
                return documents[0].uuid
        return None

    def set_progress(self, transcript_uuid: str, count: int, coverage: float) -> None:
        self._counts[transcript_uuid] = count
        self._coverage[transcript_uuid] = coverage
        item = self._items.get(transcript_uuid)
        if item is None:
            return
        parent = item.parent() or self.model.invisibleRootItem()
        self._show_progress(parent.child(item.row(), 2), count, coverage)

    @staticmethod
    def _show_progress(item: QStandardItem, count: int, coverage: float) -> None:
        """Coding progress: the share of the text coded, with the number of codings beside it."""
        item.setText(f"{coverage:.0%} · {count}" if count else "—")
        item.setToolTip(f"{count} codings cover {coverage:.0%} of the text")
        item.setData(coverage, SORT_ROLE)
        item.setData(count, COUNT_ROLE)

    def select(self, transcript_uuid: str) -> None:
        """Make *transcript_uuid* the current row: a survey document's entry is unfolded to show it."""
        if transcript_uuid not in self._items:
            for survey_uuid, (_survey, documents) in self._surveys.items():
                if any(t.uuid == transcript_uuid for t in documents):
                    entry = self._survey_entry(survey_uuid)
                    if entry is not None:
                        self._fill(entry)
        item = self._items.get(transcript_uuid)
        if item is None:
            return
        index = self.proxy.mapFromSource(item.index())
        if index.isValid():
            if index.parent().isValid():
                self.view.expand(index.parent())
            self.view.setCurrentIndex(index)

    def _survey_entry(self, survey_uuid: str) -> QStandardItem | None:
        for row in range(self.model.rowCount()):
            if self.model.item(row, 0).data(SURVEY_ROLE) == survey_uuid:
                return self.model.item(row, 0)
        return None

    def current_survey(self) -> str | None:
        """The UUID of the survey whose entry is the current row, if one is."""
        uuid = self.view.currentIndex().siblingAtColumn(0).data(SURVEY_ROLE)
        return str(uuid) if uuid else None

    def current_uuid(self) -> str | None:
        uuid = self.view.currentIndex().siblingAtColumn(0).data(UUID_ROLE)
        return str(uuid) if uuid else None

    # -- rename and delete ---------------------------------------------------------------------------

    def start_rename(self) -> None:
        index = self.view.currentIndex()
        if index.isValid() and self._may_change():
            self.view.edit(index.siblingAtColumn(0))

    def rename(self, uuid: str, name: str) -> bool:
        """Rename a transcript as one undo step; False (and the reason shown) when refused."""
        if not self._may_change():
            return False
        try:
            command = RenameTranscript(self._project, self.transcriptsChanged.emit, self._refused, uuid, name)
            command.perform()
        except JswError as error:
            self.tell(self, str(error))
            return False
        self._undo_stack.push(command)
        return True

    def delete_current(self) -> None:
        """Delete the chosen transcript, once the confirmation (with what goes with it) is accepted."""
        uuid = self.current_uuid()
        if uuid is None or not self._may_change():
            return
        transcript = self._project.transcripts.get(uuid)
        codings, memos = self._project.transcripts.removal_counts(uuid)
        text = (
            f"Delete “{transcript.name}”?\n\n"
            f"Its {_plural(codings, 'coding')} and {_plural(memos, 'memo')} go with it. "
            "Edit › Undo (Ctrl+Z) brings it all back until the project is locked or closed."
        )
        if not self.confirm(self, "Delete transcript", text):
            return
        try:
            command = DeleteTranscript(self._project, self.transcriptsChanged.emit, self._refused, uuid)
            command.perform()
        except JswError as error:
            self.tell(self, str(error))
            return
        self._undo_stack.push(command)

    def _refused(self, reason: str) -> None:
        """An undo or redo the project refuses now: the history before it no longer fits, so it goes."""
        QTimer.singleShot(0, self._undo_stack.clear)
        self.tell(self, f"{reason}. The undo history was cleared.")

    # -- events --------------------------------------------------------------------------------------

    def _context_menu(self, position: QPoint) -> None:
        index = self.view.indexAt(position)
        menu = QMenu(self)
        if not index.isValid():  # the empty part of the list
            menu.addAction("&Import recording…", self.importRecordingRequested.emit)
            menu.exec(self.view.viewport().mapToGlobal(position))
            return
        survey = index.siblingAtColumn(0).data(SURVEY_ROLE)
        recording = index.siblingAtColumn(0).data(RECORDING_ROLE)
        if recording or index.siblingAtColumn(0).data(RECORDINGS_ROLE):
            if recording:
                menu.addAction("&Next step (Enter)", lambda: self.recordingActivated.emit(str(recording)))
            menu.addAction("&Import recording…", self.importRecordingRequested.emit)
        elif survey:
            if self.isSignalConnected(self.metaObject().method(self._survey_signal())):
                menu.addAction("&Open the survey", lambda: self.surveyActivated.emit(str(survey)))
            menu.addAction("Respondent &attribution…", lambda: self.set_attribution(str(survey)))
        else:
            for action in self.actions_by_name.values():
                menu.addAction(action)
        menu.exec(self.view.viewport().mapToGlobal(position))

    def _survey_signal(self) -> int:
        return self.metaObject().indexOfSignal("surveyActivated(QString)")

    def set_attribution(self, survey_uuid: str) -> None:
        """How the survey's respondents are attributed under a quote, typed; a refusal in one line."""
        if not self._may_change():
            return
        survey = self._project.surveys.find(survey_uuid)
        typed = self.ask_text(
            self,
            "Respondent attribution",
            f"How a respondent of “{survey.name}” is attributed under a quote. {{number}} is the\n"
            "respondent's number in the survey, {survey} the survey's name:",
            survey.attribution,
        )
        if typed is None:
            return
        try:
            changed = self._project.surveys.set_attribution(survey_uuid, typed)
        except JswError as error:
            self.tell(self, f"The attribution was not changed: {error}.")
            return
        self.transcriptsChanged.emit()  # the lists, the heading and the passages name respondents anew
        example = changed.attribution.format(number=17, survey=changed.name)
        self.inform(self, f"The respondents of “{changed.name}” are attributed like “{example}”.")

    def _clicked(self, index: QModelIndex) -> None:
        """A click opens a transcript, and unfolds a survey's entry as a folder (Enter opens it)."""
        entry = index.siblingAtColumn(0)
        if entry.data(SURVEY_ROLE) or entry.data(RECORDINGS_ROLE):
            self.view.expand(entry)
        elif not entry.data(RECORDING_ROLE):  # a recording's next step opens a window: Enter, not a click
            self._activated(index)

    def _activated(self, index: QModelIndex) -> None:
        uuid = index.siblingAtColumn(0).data(UUID_ROLE)
        if uuid:
            self.transcriptActivated.emit(uuid)
            return
        entry = index.siblingAtColumn(0)
        if entry.data(RECORDING_ROLE):
            self.recordingActivated.emit(str(entry.data(RECORDING_ROLE)))
            return
        if not entry.data(SURVEY_ROLE):
            return
        if self.isSignalConnected(self.metaObject().method(self._survey_signal())):
            self.surveyActivated.emit(str(entry.data(SURVEY_ROLE)))
        elif not self.view.isExpanded(entry):
            self.view.expand(entry)
