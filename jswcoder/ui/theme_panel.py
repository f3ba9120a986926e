"""The theme tree the coder works with: filter, pick, rename, recolour, move, merge and delete themes,
pin them to the digit keys, and code the selected passage with one.

Clicking a theme browses it; coding is always an explicit act (Enter, the row's Code button, the
menu's Code selection, a drop). Every edit goes through an undo command
(:mod:`jswcoder.ui.codebook_commands`); every dialog goes through a classmethod (``ask``,
``ask_text``, ``choose_colour``...) that tests replace.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QKeyEvent, QKeySequence, QMouseEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
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
from jswcoder.model import Code, CodeOrigin
from jswcoder.project import Project
from jswcoder.services.pins import KEYS
from jswcoder.ui.codebook_commands import (
    AddTheme,
    CodebookCommand,
    DeleteTheme,
    DescribeTheme,
    MergeThemes,
    MoveTheme,
    RecolourTheme,
    RenameTheme,
)
from jswcoder.ui.theme_delegate import ThemeDelegate
from jswcoder.ui.theme_model import ThemeModel


class ThemePanel(QWidget):
    themeActivated = Signal(str)  # code uuid: double-click (opens its coded passages; never codes)
    codeRequested = Signal(str)  # code uuid: code the selected passage (Enter, Code button, menu)
    pinsChanged = Signal(object)  # dict: digit -> code uuid, after a pin changed (or the codebook did)
    currentThemeChanged = Signal(str)  # code uuid, "" for none
    selectionDropped = Signal(str)  # code uuid: a transcript selection was dropped on it
    codebookChanged = Signal()  # names, colours or the tree changed
    status = Signal(str)  # a short message for the status bar ("12 codings moved")

    def __init__(self, project: Project, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.model = ThemeModel(project.codebook.all(), project.codebook.coding_counts(), self)
        self.model.rename_requested = self.rename_theme
        self.model.move_requested = self.move_theme
        self.model.selectionDropped.connect(self.selectionDropped)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)  # a match keeps its ancestors visible
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(0)

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter themes…")
        self.filter_edit.setAccessibleName("Filter themes")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._filter)
        self.filter_edit.installEventFilter(self)

        self.view = QTreeView(self)
        self.view.setModel(self.proxy)
        self.view.setAccessibleName("Themes")
        self.view.setAccessibleDescription("Enter codes the selected passage; F2 renames; Delete deletes")
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(False)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDropIndicatorShown(True)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.doubleClicked.connect(self._activated)
        self.view.installEventFilter(self)
        self.delegate = ThemeDelegate(self.view)
        self.delegate.codeRequested.connect(self.codeRequested)
        self.view.setItemDelegateForColumn(0, self.delegate)
        self.view.setMouseTracking(True)  # the Code button follows the mouse
        self.view.viewport().installEventFilter(self)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.view.expandAll()

        self.actions_by_name: dict[str, QAction] = {}
        self.code_action = QAction("C&ode selection\tEnter", self)  # Enter itself: see eventFilter
        self.code_action.setEnabled(False)
        self.code_action.triggered.connect(self._code_current)
        for key, label, shortcut, slot in (
            ("new", "&New theme…", "Ctrl+Shift+N", self.new_theme),
            ("new_sub", "New &sub-theme…", "Ctrl+Alt+N", self.new_sub_theme),
            ("rename", "&Rename", "F2", self.start_rename),
            ("colour", "&Colour…", "", self.recolour),
            ("describe", "&Description…", "", self.describe),
            ("merge", "&Merge into…", "", self.merge_into),
            ("delete", "&Delete…", "Del", self.delete_current),
        ):
            action = QAction(label, self)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.view.addAction(action)
            self.actions_by_name[key] = action

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.view)
        self.codebookChanged.connect(self.refresh_pins)  # a deleted theme frees its key; undo restores it
        self.refresh_pins()

    # -- dialogs (tests replace these) ---------------------------------------------------------------

    @classmethod
    def ask(cls, parent: QWidget, title: str, text: str) -> bool:
        answer = QMessageBox.question(parent, title, text)
        return answer == QMessageBox.StandardButton.Yes

    @classmethod
    def ask_text(
        cls, parent: QWidget, title: str, label: str, text: str = "", multiline: bool = False
    ) -> str | None:
        if multiline:
            value, ok = QInputDialog.getMultiLineText(parent, title, label, text)
        else:
            value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
        return value if ok else None

    @classmethod
    def choose_colour(cls, parent: QWidget, initial: str) -> str | None:
        colour = QColorDialog.getColor(QColor(initial), parent, "Theme colour")
        return colour.name().upper() if colour.isValid() else None

    @classmethod
    def choose_target(cls, parent: QWidget, title: str, choices: list[str]) -> int | None:
        """The index of the chosen item in *choices*, or None when cancelled."""
        value, ok = QInputDialog.getItem(parent, title, "Merge into:", choices, 0, False)
        return choices.index(value) if ok and value in choices else None

    @classmethod
    def show_error(cls, parent: QWidget, message: str) -> None:
        QMessageBox.warning(parent, "jswcoder", message)

    # -- public API --------------------------------------------------------------------------------

    def current_code_uuid(self) -> str | None:
        code = self.model.code(self.proxy.mapToSource(self.view.currentIndex()))
        return None if code is None else code.uuid

    def select_code(self, uuid: str) -> None:
        index = self.proxy.mapFromSource(self.model.index_of(uuid))
        if not index.isValid():  # hidden by the filter
            self.filter_edit.clear()
            index = self.proxy.mapFromSource(self.model.index_of(uuid))
        if index.isValid():
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)

    def set_can_code(self, can: bool) -> None:
        """Whether the transcript has a selection to code: shows or hides the Code button."""
        if can != self.delegate.can_code:
            self.delegate.can_code = can
            self.code_action.setEnabled(can)
            self.view.viewport().update()

    def code_button_rect(self, index: QModelIndex) -> QRect:
        """Where the Code button is on this row of the view (viewport coordinates); empty if not shown."""
        cell = self.view.visualRect(index.siblingAtColumn(0))
        row = self.delegate.button_row()
        if not cell.isValid() or not row.isValid() or row != index.siblingAtColumn(0):
            return QRect()
        return self.delegate.button_rect(cell, index.siblingAtColumn(0))

    def refresh_pins(self) -> None:
        pins = self.project.pins.all()
        self.model.pins_changed(pins)
        self.pinsChanged.emit(pins)

    def pin(self, digit: int, code_uuid: str | None) -> None:
        """Pin a theme to a digit key (None frees the key); the key's former theme is unpinned."""
        before = self.project.pins.all().get(digit)
        try:
            self.project.pins.pin(digit, code_uuid)
        except JswError as error:
            self.show_error(self, str(error))
            return
        self.refresh_pins()
        if code_uuid is None:
            self.status.emit(f"Key {digit} codes nothing now.")
            return
        message = f"Key {digit} now codes “{self.project.codebook.get(code_uuid).name}”"
        if before is not None and before != code_uuid:
            message += f" (it coded “{self.project.codebook.get(before).name}”)"
        self.status.emit(message + ".")

    def focus_filter(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    def refresh_counts(self) -> None:
        self.model.counts_changed(self.project.codebook.coding_counts())

    def add_theme(self, path: str, origin: CodeOrigin = "preset") -> Code:
        """Add a theme through the undo stack (JswError if refused); used for in-vivo themes too."""
        command = AddTheme(self.project, self.model, self.codebookChanged.emit, path, origin=origin)
        self._push(command)
        assert command.code is not None
        return command.code

    # -- actions -------------------------------------------------------------------------------------

    def rename_theme(self, uuid: str, name: str) -> bool:
        old = self.project.codebook.get(uuid).name
        return self._run(RenameTheme(*self._parts(), uuid, name, f"Rename “{old}” to “{name}”"))

    def move_theme(self, uuid: str, parent_uuid: str | None, position: int) -> bool:
        return self._run(MoveTheme(*self._parts(), uuid, parent_uuid, position))

    def new_theme(self, under: str | None = None) -> None:
        parent = self.project.codebook.get(under).path + "/" if under else ""
        where = f"New sub-theme of “{parent[:-1]}”" if under else "New theme"
        name = self.ask_text(self, where, "Name:")
        if name is None or not name.strip():
            return
        try:
            code = self.add_theme(parent + name.strip().replace("/", "-"))
        except JswError as error:
            self.show_error(self, str(error))
            return
        self.select_code(code.uuid)

    def new_sub_theme(self) -> None:
        current = self.current_code_uuid()
        self.new_theme(current) if current else self.new_theme()

    def start_rename(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.view.edit(index.siblingAtColumn(0))

    def recolour(self) -> None:
        uuid = self.current_code_uuid()
        if uuid is None:
            return
        code = self.project.codebook.get(uuid)
        colour = self.choose_colour(self, self.project.codebook.colour_of(code))
        if colour is not None:
            self._run(RecolourTheme(*self._parts(), uuid, colour, f"Colour of “{code.name}”"))

    def describe(self) -> None:
        uuid = self.current_code_uuid()
        if uuid is None:
            return
        code = self.project.codebook.get(uuid)
        text = self.ask_text(
            self, f"Description of “{code.name}”", "What this theme covers:", code.description, True
        )
        if text is not None and text.strip() != code.description:
            self._run(DescribeTheme(*self._parts(), uuid, text, f"Description of “{code.name}”"))

    def merge_into(self) -> None:
        uuid = self.current_code_uuid()
        if uuid is None:
            return
        source = self.project.codebook.get(uuid)
        targets = [c for c in self.project.codebook.all() if not (c.path + "/").startswith(source.path + "/")]
        if not targets:
            self.status.emit("There is no other theme to merge into.")
            return
        chosen = self.choose_target(self, f"Merge “{source.name}” into…", [c.path for c in targets])
        if chosen is None:
            return
        command = MergeThemes(*self._parts(), uuid, targets[chosen].uuid)
        if self._run(command) and command.record is not None:
            record = command.record
            message = (
                f"Merged “{source.name}” into “{targets[chosen].name}”: {record.codings_moved} codings moved"
            )
            if record.codings_dropped:
                message += f", {record.codings_dropped} duplicates dropped"
            self.status.emit(message + ". Ctrl+Z undoes it.")
            self.select_code(targets[chosen].uuid)

    def delete_current(self) -> None:
        uuid = self.current_code_uuid()
        if uuid is None:
            return
        code = self.project.codebook.get(uuid)
        codes, codings = self.project.codebook.deletion_impact(uuid)
        subs = codes - 1
        what = f"'{code.name}'" + (f" and its {subs} sub-theme{'s' if subs != 1 else ''}" if subs else "")
        gone = (
            f"{codings} coding{'s' if codings != 1 else ''} will be removed."
            if codings
            else "No codings use it."
        )
        question = f"Delete {what}? {gone} You can undo this."
        if self.ask(self, "Delete theme", question) and self._run(DeleteTheme(*self._parts(), uuid)):
            self.status.emit(f"Deleted “{code.name}”. Ctrl+Z brings it back.")

    # -- plumbing ------------------------------------------------------------------------------------

    def _parts(self) -> tuple[Project, ThemeModel, Callable[[], None]]:
        return self.project, self.model, self.codebookChanged.emit

    def _push(self, command: CodebookCommand) -> None:
        command.perform()
        self.undo_stack.push(command)

    def _run(self, command: CodebookCommand) -> bool:
        try:
            self._push(command)
        except JswError as error:
            self.show_error(self, str(error))
            return False
        return True

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        if text.strip():
            self.view.expandAll()

    def _first_match(self, parent: QModelIndex) -> QModelIndex:
        """The first visible theme whose name holds the filter text (its ancestors are shown too)."""
        wanted = self.filter_edit.text().strip().casefold()
        for row in range(self.proxy.rowCount(parent)):
            index = self.proxy.index(row, 0, parent)
            if wanted in str(index.data(Qt.ItemDataRole.DisplayRole)).casefold():
                return index
            found = self._first_match(index)
            if found.isValid():
                return found
        return QModelIndex()

    def _activated(self, index: QModelIndex) -> None:
        code = self.model.code(self.proxy.mapToSource(index))
        if code is not None:
            self.themeActivated.emit(code.uuid)

    def _code_current(self) -> None:
        uuid = self.current_code_uuid()
        if uuid is not None:
            self.codeRequested.emit(uuid)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        code = self.model.code(self.proxy.mapToSource(current))
        self.currentThemeChanged.emit("" if code is None else code.uuid)

    def _context_menu(self, position: QPoint) -> None:
        under = self.view.indexAt(position)
        if under.isValid() and under.siblingAtColumn(0) != self.view.currentIndex().siblingAtColumn(0):
            self.view.setCurrentIndex(under.siblingAtColumn(0))  # the menu is about the theme clicked
        menu = QMenu(self)
        menu.addAction(self.code_action)
        uuid = self.current_code_uuid()
        if uuid is not None:
            menu.addMenu(self._pin_menu(menu, uuid))
        menu.addSeparator()
        for action in self.actions_by_name.values():
            menu.addAction(action)
        menu.exec(self.view.viewport().mapToGlobal(position))

    def _pin_menu(self, parent: QMenu, uuid: str) -> QMenu:
        """Pin to key: each digit with the theme it codes now (the theme's own key names it)."""
        pins = self.project.pins.all()
        names = {code.uuid: code.name for code in self.project.codebook.all()}
        menu = QMenu("&Pin to key", parent)
        for digit in KEYS:
            held = pins.get(digit)
            action = menu.addAction(f"&{digit}    {names[held] if held else '(free)'}")
            action.triggered.connect(lambda _checked=False, d=digit: self.pin(d, uuid))
        own = next((digit for digit, held in pins.items() if held == uuid), None)
        if own is not None:
            menu.addSeparator()
            menu.addAction(f"&Unpin (free key {own})").triggered.connect(lambda: self.pin(own, None))
        return menu

    def _track_mouse(self, event: QEvent) -> None:
        """The row under the mouse carries the Code button (the chosen row, once the mouse leaves)."""
        if isinstance(event, QMouseEvent) and event.type() == QEvent.Type.MouseMove:
            point = event.position().toPoint()
            row = self.view.indexAt(point).siblingAtColumn(0)
        elif event.type() == QEvent.Type.Leave:
            point, row = QPoint(-1, -1), QModelIndex()
        else:
            return
        if QPersistentModelIndex(row) != self.delegate.hover or point != self.delegate.mouse:
            self.delegate.hover = QPersistentModelIndex(row)
            self.delegate.mouse = point
            if self.delegate.can_code:
                self.view.viewport().update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport():
            self._track_mouse(event)
            return super().eventFilter(watched, event)
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            editing = self.view.state() == QAbstractItemView.State.EditingState
            if watched is self.view and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not editing:
                self._code_current()
                return True
            if watched is self.filter_edit and key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.view.setFocus()
                match = self._first_match(QModelIndex())
                if match.isValid():
                    self.view.setCurrentIndex(match)
                return True
            if watched is self.filter_edit and key == Qt.Key.Key_Escape and self.filter_edit.text():
                self.filter_edit.clear()
                return True
        return super().eventFilter(watched, event)
