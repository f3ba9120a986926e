"""The register review's models announce exactly what changed, so views keep their place.

A shadow list follows nothing but the model's signals; after any refresh it must hold the new rows,
and the model must not have been reset while the order allowed rows to be kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from jswcoder.anonymise.candidate_context import CandidateContext
from jswcoder.anonymise.detect import Candidate
from jswcoder.ui.register_models import CandidatesModel, KeyedRows

if TYPE_CHECKING:
    from pytestqt.modeltest import ModelTester


class _Words(KeyedRows[str]):
    headers = ("Word",)

    def __init__(self) -> None:
        super().__init__(lambda word: word)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        return self.rows[index.row()] if index.isValid() and role == Qt.ItemDataRole.DisplayRole else None


class _Shadow:
    """The rows as a view learns them: from the model's signals alone."""

    def __init__(self, model: KeyedRows[str]) -> None:
        self.keys = list(model.rows)
        self.resets = 0
        model.rowsRemoved.connect(lambda _parent, first, last: self._remove(first, last))
        model.rowsInserted.connect(lambda _parent, first, last: self._insert(model, first, last))
        model.modelReset.connect(lambda: self._reset(model))

    def _remove(self, first: int, last: int) -> None:
        del self.keys[first : last + 1]

    def _insert(self, model: KeyedRows[str], first: int, last: int) -> None:
        self.keys[first:first] = [model.key_of(r) for r in range(first, last + 1)]

    def _reset(self, model: KeyedRows[str]) -> None:
        self.resets += 1
        self.keys = [model.key_of(r) for r in range(model.rowCount())]


_KEYS = st.lists(st.sampled_from([f"w{i:02}" for i in range(30)]), unique=True).map(sorted)


@settings(max_examples=200, deadline=None)
@given(before=_KEYS, after=_KEYS)
def test_a_refresh_removes_and_inserts_only_what_changed(before: list[str], after: list[str]) -> None:
    model = _Words()
    model.replace(before)
    shadow = _Shadow(model)
    model.replace(after)
    assert model.rows == after and shadow.keys == after and shadow.resets == 0


def test_a_new_order_resets_the_list(qtmodeltester: ModelTester) -> None:
    model = _Words()
    model.replace(["a", "b", "c"])
    qtmodeltester.check(model)
    shadow = _Shadow(model)
    model.replace(["c", "a", "b"])
    assert shadow.keys == ["c", "a", "b"] and shadow.resets == 1


def test_a_typed_descriptor_is_kept_by_candidate_until_it_leaves_the_list(
    qtmodeltester: ModelTester,
) -> None:
    model = CandidatesModel()
    morag, oban = Candidate("Morag", "PERSON", "[PERSON]", 2), Candidate("Oban", "PLACE", "[NAME OF TOWN]", 1)
    model.set_review([morag, oban], {"Morag": CandidateContext(3, ("int_1", "int_2"), ())})
    qtmodeltester.check(model)
    cell = model.index(0, model.DESCRIPTOR)
    assert model.flags(cell) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(0, model.TEXT)) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(cell, " [YOUTH WORKER] ")
    model.set_review([Candidate("Grant", "PERSON", "[PERSON]", 1), morag, oban], {})
    row = model.row_of("Morag")
    assert row == 1 and model.index(row, model.DESCRIPTOR).data() == "[YOUTH WORKER]"
    assert (
        model.index(0, model.CATEGORY).data() == "Person" and model.index(2, model.CATEGORY).data() == "Place"
    )
    model.setData(model.index(row, model.DESCRIPTOR), "")  # emptied: the suggestion again
    assert model.descriptor(row) == "[PERSON]" and model.typed == {}
    model.setData(model.index(row, model.DESCRIPTOR), "[WORKER]")
    model.set_review([oban], {})
    model.set_review([morag, oban], {})
    assert model.descriptor(0) == "[PERSON]"  # added or dismissed meanwhile: what was typed went with it
