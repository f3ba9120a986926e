"""The theme tree as a Qt item model: a thin adapter over a plain tree of :class:`Code` records.

The model never writes to the project. Edits (renaming in place, dragging a theme) go out through
callbacks that push undo commands; the commands tell the model what changed through the fine-grained
methods (``code_added``, ``code_moved``...), which emit row insert/remove/move signals so that the view
keeps its expansion and selection. Only :meth:`ThemeModel.reload` resets the model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from jswcoder.model import Code

CODE_MIME = "application/x-jswcoder-code"
SELECTION_MIME = "application/x-jswcoder-selection"
UUID_ROLE = Qt.ItemDataRole.UserRole + 1
PIN_ROLE = Qt.ItemDataRole.UserRole + 2  # the digit key pinned to the theme (1-9), or None
FALLBACK_COLOUR = "#888888"
EMERGENT_SUFFIX = "  (emergent)"

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


@dataclass(eq=False)
class _Node:
    code: Code | None  # None for the invisible root
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)

    @property
    def uuid(self) -> str | None:
        return None if self.code is None else self.code.uuid

    def row(self) -> int:
        return 0 if self.parent is None else self.parent.children.index(self)


class ThemeModel(QAbstractItemModel):
    """Two columns: the theme's name (with colour swatch, origin and pinned key) and its number of codings."""

    selectionDropped = Signal(str)  # code uuid: a transcript selection was dropped on this theme

    def __init__(self, codes: Sequence[Code], counts: dict[str, int], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rename_requested: Callable[[str, str], bool] | None = None
        self.move_requested: Callable[[str, str | None, int], bool] | None = None
        self._root = _Node(None)
        self._nodes: dict[str, _Node] = {}
        self._counts: dict[str, int] = {}
        self._pins: dict[str, int] = {}  # code uuid -> digit key
        self._build(codes, counts)

    # -- the plain tree -------------------------------------------------------------------------------

    def _build(self, codes: Sequence[Code], counts: dict[str, int]) -> None:
        self._root = _Node(None)
        self._nodes = {}
        self._counts = dict(counts)
        for code in codes:  # tree order: a parent always comes before its children
            parent = self._nodes[code.parent_uuid] if code.parent_uuid else self._root
            node = _Node(code, parent)
            parent.children.append(node)
            self._nodes[code.uuid] = node

    def reload(self, codes: Sequence[Code], counts: dict[str, int]) -> None:
        self.beginResetModel()
        self._build(codes, counts)
        self.endResetModel()

    def index_of(self, uuid: str, column: int = 0) -> QModelIndex:
        node = self._nodes.get(uuid)
        return QModelIndex() if node is None else self.createIndex(node.row(), column, node)

    def code(self, index: Index) -> Code | None:
        return self._node(index).code if index.isValid() else None

    def uuids(self) -> list[str]:
        return list(self._nodes)

    def _node(self, index: Index) -> _Node:
        node = index.internalPointer() if index.isValid() else self._root
        assert isinstance(node, _Node)
        return node

    def _parent_index(self, node: _Node) -> QModelIndex:
        return self.index_of(node.uuid) if node.uuid else QModelIndex()

    def colour_of(self, node: _Node) -> str:
        current: _Node | None = node
        while current is not None and current.code is not None:
            if current.code.colour:
                return current.code.colour
            current = current.parent
        return FALLBACK_COLOUR

    # -- fine-grained updates (called by the undo commands after the core succeeded) ------------------

    def code_added(self, code: Code) -> None:
        parent = self._nodes[code.parent_uuid] if code.parent_uuid else self._root
        row = min(code.position, len(parent.children))
        self.beginInsertRows(self._parent_index(parent), row, row)
        node = _Node(code, parent)
        parent.children.insert(row, node)
        self._nodes[code.uuid] = node
        self.endInsertRows()

    def code_removed(self, uuid: str) -> None:
        node = self._nodes[uuid]
        assert node.parent is not None
        row = node.row()
        self.beginRemoveRows(self._parent_index(node.parent), row, row)
        node.parent.children.pop(row)
        stack = [node]
        while stack:
            gone = stack.pop()
            self._nodes.pop(gone.uuid or "", None)
            stack.extend(gone.children)
        self.endRemoveRows()

    def code_moved(self, uuid: str, new_parent: str | None, position: int) -> None:
        """*position* is the row among the new siblings once the code has left its old place."""
        node = self._nodes[uuid]
        assert node.parent is not None
        old_parent, row = node.parent, node.row()
        parent = self._nodes[new_parent] if new_parent else self._root
        destination = position + 1 if parent is old_parent and position > row else position
        if parent is old_parent and destination in (row, row + 1):
            return  # already there
        if not self.beginMoveRows(
            self._parent_index(old_parent), row, row, self._parent_index(parent), destination
        ):
            raise ValueError("the theme cannot move there")
        old_parent.children.pop(row)
        parent.children.insert(position, node)
        node.parent = parent
        self.endMoveRows()

    def code_changed(self, code: Code) -> None:
        """Name, colour, description or origin changed: refresh it and (colours inherit) its descendants."""
        node = self._nodes[code.uuid]
        node.code = code
        self._changed_subtree(node)

    def _changed_subtree(self, node: _Node) -> None:
        first = self.createIndex(node.row(), 0, node)
        self.dataChanged.emit(first, first.siblingAtColumn(1))
        if node.children:
            top = self.createIndex(0, 0, node.children[0])
            bottom = self.createIndex(len(node.children) - 1, 0, node.children[-1])
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DecorationRole])
            for child in node.children:
                if child.children:
                    self._changed_subtree(child)

    def counts_changed(self, counts: dict[str, int]) -> None:
        changed = [u for u in self._nodes if counts.get(u, 0) != self._counts.get(u, 0)]
        self._counts = dict(counts)
        for uuid in changed:
            left = self.index_of(uuid)
            self.dataChanged.emit(left, left.siblingAtColumn(1))

    def pins_changed(self, pins: dict[int, str]) -> None:
        """The digit keys now pinned (digit -> code uuid): the themes that gained or lost one repaint."""
        now = {uuid: digit for digit, uuid in pins.items()}
        changed = [u for u in set(now) | set(self._pins) if now.get(u) != self._pins.get(u)]
        self._pins = now
        for uuid in changed:
            if uuid in self._nodes:
                index = self.index_of(uuid)
                self.dataChanged.emit(index, index)

    # -- QAbstractItemModel ------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = _ROOT) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, self._node(parent).children[row])

    def parent(self, index: Index = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        up = self._node(index).parent
        if up is None or up.code is None:
            return QModelIndex()
        return self.createIndex(up.row(), 0, up)

    def rowCount(self, parent: Index = _ROOT) -> int:
        if parent.column() > 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 2

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ("Theme", "Codings")[section] if 0 <= section < 2 else None
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        node = self._node(index)
        code = node.code
        assert code is not None
        count = self._counts.get(code.uuid, 0)
        emergent = code.origin == "emergent"
        pin = self._pins.get(code.uuid)
        if index.column() == 1:
            if role == Qt.ItemDataRole.DisplayRole:
                return str(count) if count else ""  # blanks keep the column calm; the tooltip says 0
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor("#6b6b6b")
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return f"{count} codings"
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return code.name + (EMERGENT_SUFFIX if emergent else "")
        if role == Qt.ItemDataRole.EditRole:
            return code.name
        if role == Qt.ItemDataRole.DecorationRole:
            return QColor(self.colour_of(node))
        if role == Qt.ItemDataRole.FontRole and emergent:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            origin = "Emergent theme (found in the data)" if emergent else "Pre-set theme"
            plural = "" if count == 1 else "s"
            key = f"Press {pin} to code a selection with it" if pin else ""
            lines = [code.description, origin, f"{count} coding{plural}", key]
            return "\n".join(line for line in lines if line)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            pinned = f", key {pin}" if pin else ""
            return f"{code.name}, {'emergent' if emergent else 'pre-set'}, {count} codings{pinned}"
        if role == UUID_ROLE:
            return code.uuid
        if role == PIN_ROLE:
            return pin
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """A name typed in the tree: ask for a rename command (the model changes when it succeeds)."""
        code = self.code(index)
        if code is None or index.column() != 0 or role != Qt.ItemDataRole.EditRole:
            return False
        name = str(value).strip()
        if name == code.name or self.rename_requested is None:
            return False
        return self.rename_requested(code.uuid, name)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        flags = (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemIsDropEnabled
        )
        if index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    # -- drag and drop ---------------------------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [CODE_MIME, SELECTION_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        codes = [code for index in indexes if (code := self.code(index)) is not None]
        if codes:
            data.setData(CODE_MIME, QByteArray(codes[0].uuid.encode()))
        return data

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if data.hasFormat(SELECTION_MIME):
            return parent.isValid() and row == -1  # onto a theme, not between two
        if not data.hasFormat(CODE_MIME) or action != Qt.DropAction.MoveAction:
            return False
        node = self._nodes.get(bytes(data.data(CODE_MIME).data()).decode())
        target: _Node | None = self._node(parent)
        while node is not None and target is not None:  # not onto itself or its own sub-themes
            if target is node:
                return False
            target = target.parent
        return node is not None

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        target = self._node(parent)
        if data.hasFormat(SELECTION_MIME):
            assert target.code is not None
            self.selectionDropped.emit(target.code.uuid)
            return True
        node = self._nodes[bytes(data.data(CODE_MIME).data()).decode()]
        position = len(target.children) if row < 0 else row
        if node.parent is target and node.row() < position:
            position -= 1  # the row counts the theme itself, which leaves its place first
        if self.move_requested is None or node.code is None:
            return False
        self.move_requested(node.code.uuid, target.uuid, position)
        return False  # the move command moved the row; nothing is left for the view to remove
