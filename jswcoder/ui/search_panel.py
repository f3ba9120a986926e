"""Search across all transcripts: every hit in its context, tick some, code them with one theme.

The panel only finds and chooses: the ticked hits, grown to the unit picked in the preview
(:mod:`jswcoder.ui.code_hits_dialog`), go to the workbench as passages through
:attr:`SearchPanel.codeHitsRequested`, to be coded in one undoable step. Offsets in signals are code
points.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from jswcoder.errors import InvalidInput, NotFound
from jswcoder.project import Project
from jswcoder.services.passage_units import Unit
from jswcoder.services.search import SearchHit
from jswcoder.ui.code_hits_dialog import CodeHitsDialog
from jswcoder.ui.item_rows import draw_row_frame

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
LIMIT = 500
_Index = QModelIndex | QPersistentModelIndex


class HitModel(QAbstractTableModel):
    """Hits as rows (transcript, passage), each with a tick box; a thin adapter over a plain list."""

    HEADERS = ("Transcript", "Passage")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []
        self._checked: list[bool] = []

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self._hits, self._checked = list(hits), [False] * len(hits)
        self.endResetModel()

    def checked_hits(self) -> list[SearchHit]:
        return [hit for hit, checked in zip(self._hits, self._checked, strict=True) if checked]

    def set_all_checked(self, checked: bool) -> None:
        if self._hits:
            self._checked = [checked] * len(self._hits)
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._hits) - 1, 0))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 else flags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        hit, column = self._hits[index.row()], index.column()
        if role == HIT_ROLE:
            return hit
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.transcript_name if column == 0 else f"{hit.before}{hit.match}{hit.after}"
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            return f"…{hit.before}[{hit.match}]{hit.after}…"
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and column == 1:
            return f"Found: {hit.match}"
        if role == Qt.ItemDataRole.CheckStateRole and column == 0:
            return Qt.CheckState.Checked if self._checked[index.row()] else Qt.CheckState.Unchecked
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != 0 or role != Qt.ItemDataRole.CheckStateRole:
            return False
        self._checked[index.row()] = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def toggle(self, row: int) -> None:
        index = self.index(row, 0)
        state = Qt.CheckState.Unchecked if self._checked[row] else Qt.CheckState.Checked
        self.setData(index, state, Qt.ItemDataRole.CheckStateRole)


class PassageDelegate(QStyledItemDelegate):
    """Draws a passage with its match in bold, trimming the context so that the match stays in view."""

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), hint.height() + 6)  # a little air between lines of dense text

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        hit = index.data(HIT_ROLE)
        if not isinstance(hit, SearchHit):
            super().paint(painter, option, index)
            return
        opt, rect = draw_row_frame(self, painter, option, index)
        plain = QFont(opt.font)
        bold = QFont(plain)
        bold.setBold(True)
        plain_metrics, bold_metrics = QFontMetrics(plain), QFontMetrics(bold)
        match = bold_metrics.elidedText(hit.match, Qt.TextElideMode.ElideRight, rect.width())
        room = max(0, rect.width() - bold_metrics.horizontalAdvance(match))
        before_room = min(plain_metrics.horizontalAdvance(hit.before), room * 2 // 5)
        before = plain_metrics.elidedText(hit.before, Qt.TextElideMode.ElideLeft, before_room)
        after = plain_metrics.elidedText(hit.after, Qt.TextElideMode.ElideRight, room - before_room)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setPen(opt.palette.color(role))
        x = rect.left()
        for text, font, metrics in (
            (before, plain, plain_metrics),
            (match, bold, bold_metrics),
            (after, plain, plain_metrics),
        ):
            painter.setFont(font)
            width = metrics.horizontalAdvance(text)
            painter.drawText(QRect(x, rect.top(), width, rect.height()), Qt.AlignmentFlag.AlignVCenter, text)
            x += width
        painter.restore()


class SearchPanel(QWidget):
    hitActivated = Signal(str, int, int)  # transcript uuid, start, end (code points): open and select it
    codeHitsRequested = Signal(list, str)  # list[Passage], code uuid: the workbench codes them

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._project = project
        self.unit = Unit.SENTENCE  # how much around each hit to code: the last choice, this session
        self.preview: CodeHitsDialog | None = None
        self.query_edit = QLineEdit(self)
        self.query_edit.setPlaceholderText('words, "a phrase", or the start of a word and *')
        self.query_edit.setAccessibleName("Search all transcripts")
        self.query_edit.setClearButtonEnabled(True)
        self.query_edit.returnPressed.connect(lambda: self.search(self.query_edit.text()))
        self.query_edit.installEventFilter(self)
        label = QLabel("Fin&d:", self)
        label.setBuddy(self.query_edit)
        self.search_button = QPushButton("Search", self)
        self.search_button.setAccessibleName("Search")
        self.search_button.clicked.connect(lambda: self.search(self.query_edit.text()))
        self.status = QLabel("", self)
        self.status.setAccessibleName("Search results summary")
        self.status.setWordWrap(True)
        self.model = HitModel(self)
        self.results = QTreeView(self)
        self.results.setModel(self.model)
        self.results.setAccessibleName("Search hits")
        self.results.setRootIsDecorated(False)
        self.results.setUniformRowHeights(True)
        self.results.setAlternatingRowColors(True)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setItemDelegateForColumn(1, PassageDelegate(self.results))
        self.results.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # names differ at their ends
        self.results.setColumnWidth(0, 170)
        self.results.activated.connect(self._activated)  # Enter, and double-click
        self.results.installEventFilter(self)
        self.select_all = QCheckBox("Select &all hits", self)
        self.select_all.setAccessibleName("Select all hits")
        self.select_all.clicked.connect(self._select_all_clicked)
        self.code_combo = QComboBox(self)
        self.code_combo.setAccessibleName("Theme to code the selected hits with")
        self.code_combo.setMinimumContentsLength(18)
        self.code_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        theme_label = QLabel("&Theme:", self)
        theme_label.setBuddy(self.code_combo)
        self.code_button = QPushButton("&Code selected hits…", self)
        self.code_button.setAccessibleName("Code selected hits")
        self.code_button.clicked.connect(self._code_selected)
        self.model.modelReset.connect(self._sync)
        self.model.dataChanged.connect(self._sync)
        self.code_combo.currentIndexChanged.connect(self._sync)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(_row(label, (self.query_edit, 1), self.search_button))
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        layout.addLayout(
            _row(self.select_all, (None, 1), theme_label, (self.code_combo, 1), self.code_button)
        )
        self.refresh_codes()

    # -- public ------------------------------------------------------------------------------------

    def search(self, text: str) -> None:
        if self.query_edit.text() != text:
            self.query_edit.setText(text)
        try:
            hits = self._project.search.query(text, limit=LIMIT)
        except InvalidInput as error:
            self.model.set_hits([])
            message = str(error)
            self.status.setText(message[:1].upper() + message[1:] + ".")
            return
        self.model.set_hits(hits)
        self.status.setText(_summary(hits))
        if hits:
            self.results.setCurrentIndex(self.model.index(0, 0))

    def clear(self) -> None:
        """Drop every hit and the query (the idle lock must leave no transcript text on screen)."""
        self._close_preview()
        self.query_edit.setText("")  # unlike clear(), setText also empties the undo history
        self.model.set_hits([])
        self.status.setText("")

    def refresh_codes(self) -> None:
        """Reload the theme chooser from the codebook, keeping the chosen theme if it is still there."""
        chosen = self.code_combo.currentData()
        self.code_combo.blockSignals(True)
        self.code_combo.clear()
        for code in self._project.codebook.all():
            self.code_combo.addItem(code.path, code.uuid)
        found = self.code_combo.findData(chosen) if chosen else -1
        self.code_combo.setCurrentIndex(max(found, 0) if self.code_combo.count() else -1)
        self.code_combo.blockSignals(False)
        self.code_combo.setPlaceholderText("No themes yet")
        self._sync()

    # -- internals ---------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if ticking_keys(watched, event, self.query_edit, self.results, self.model.toggle):
            return True
        return super().eventFilter(watched, event)

    def _activated(self, index: QModelIndex) -> None:
        hit = index.data(HIT_ROLE)
        if isinstance(hit, SearchHit):
            self.hitActivated.emit(hit.transcript_uuid, hit.start, hit.end)

    def _select_all_clicked(self) -> None:
        checked = len(self.model.checked_hits())
        self.model.set_all_checked(checked < self.model.rowCount())
        self._sync()

    def _sync(self) -> None:
        rows, checked = self.model.rowCount(), len(self.model.checked_hits())
        self.select_all.setEnabled(rows > 0)
        state = Qt.CheckState.Unchecked if checked == 0 else Qt.CheckState.PartiallyChecked
        self.select_all.setCheckState(Qt.CheckState.Checked if rows and checked == rows else state)
        self.code_button.setEnabled(checked > 0 and self.code_combo.currentData() is not None)
        label = (
            f"&Code {checked} selected hit{'s' if checked != 1 else ''}…"
            if checked
            else "&Code selected hits…"
        )
        self.code_button.setText(label)

    def _code_selected(self) -> None:
        """Open the preview: the ticked hits grown to the unit chosen last time (the sentence at first)."""
        hits, code_uuid = self.model.checked_hits(), self.code_combo.currentData()
        if not hits or not code_uuid:
            return
        self._close_preview()
        try:
            code = self._project.codebook.find(str(code_uuid))
        except NotFound:  # deleted since the chooser was filled
            self.refresh_codes()
            self.status.setText("That theme is no longer in the codebook; choose another.")
            return
        self.preview = CodeHitsDialog(
            lambda unit: self._project.search.passages(hits, unit),
            len(hits),
            code.path,
            self._project.codebook.colour_of(code),
            self.unit,
            self,
        )
        self.preview.finished.connect(lambda result: self._preview_finished(result, str(code_uuid)))
        self.preview.open()

    def _preview_finished(self, result: int, code_uuid: str) -> None:
        preview = self.preview
        if preview is not None and result == QDialog.DialogCode.Accepted.value:
            self.unit = preview.unit()
            passages = list(preview.passages)
            self._close_preview()
            if passages:
                self.codeHitsRequested.emit(passages, code_uuid)
        self._close_preview()

    def _close_preview(self) -> None:
        if self.preview is not None:
            preview, self.preview = self.preview, None
            preview.clear()
            preview.close()
            preview.deleteLater()


def ticking_keys(
    watched: QObject, event: QEvent, edit: QObject, results: QAbstractItemView, toggle: Callable[[int], None]
) -> bool:
    """The keys of a box and the list of tickable results under it (this panel's and passages like this):
    Down from the box goes to the list, Space in the list ticks or unticks its current row. True when
    the key was taken."""
    if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
        return False
    model = results.model()
    if watched is edit and event.key() == Qt.Key.Key_Down and model is not None and model.rowCount():
        results.setFocus(Qt.FocusReason.OtherFocusReason)
        return True
    if watched is results and event.key() == Qt.Key.Key_Space:
        current = results.currentIndex()
        if current.isValid():
            toggle(current.row())
        return True
    return False


def _row(*items: QWidget | tuple[QWidget | None, int]) -> QHBoxLayout:
    """A row of widgets; ``(widget, stretch)`` to stretch one, ``(None, stretch)`` for a gap."""
    row = QHBoxLayout()
    for item in items:
        widget, stretch = item if isinstance(item, tuple) else (item, 0)
        if widget is None:
            row.addStretch(stretch)
        else:
            row.addWidget(widget, stretch)
    return row


def _summary(hits: list[SearchHit]) -> str:
    if not hits:
        return "No hits"
    transcripts = len({hit.transcript_uuid for hit in hits})
    places = f"{transcripts} transcript{'s' if transcripts != 1 else ''}"
    if len(hits) >= LIMIT:
        return f"The first {len(hits)} hits, in {places}; add words to narrow the search"
    return f"{len(hits)} hit{'s' if len(hits) != 1 else ''} in {places}"
