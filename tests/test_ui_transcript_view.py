"""The transcript view: code point selections over emoji, highlights, margin lanes, drag data, clearing."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QToolTip

from jswcoder.model import Turn
from jswcoder.offsets import Convention, OffsetMap
from jswcoder.ui.transcript_view import SELECTION_MIME, Highlight, TranscriptView
from tests import ui_drive as drive

TEXT = "Interviewer: Was it 😀 hard?\nP1: Aye 👍🏽 it was hard-going, truly.\nInterviewer: Thanks 🎉 both."
U16 = Convention.UTF16


def _turns(text: str) -> list[Turn]:
    turns, position = [], 0
    for line in text.split("\n"):
        turns.append(Turn(position, position + len(line), line.split(":")[0]))
        position += len(line) + 1
    return turns


def _highlight(uuid: str, text: str, phrase: str, name: str, colour: str = "#e8a33d") -> Highlight:
    start = text.index(phrase)
    return Highlight(uuid, start, start + len(phrase), f"code-{name}", name, colour)


@pytest.fixture
def view(qtbot) -> TranscriptView:  # type: ignore[no-untyped-def]
    widget = TranscriptView()
    qtbot.addWidget(widget)
    widget.resize(800, 400)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_document(TEXT, _turns(TEXT), [])
    return widget


def _qt_selected(view: TranscriptView, start_units: int, end_units: int) -> None:
    cursor = QTextCursor(view.text_edit.document())
    cursor.setPosition(start_units)
    cursor.setPosition(end_units, QTextCursor.MoveMode.KeepAnchor)
    view.text_edit.setTextCursor(cursor)


def test_selection_in_code_points_across_emoji(view: TranscriptView) -> None:
    start, end = TEXT.index("Aye"), TEXT.index(" it was")
    view.select_range(start, end)
    assert view.selected_range() == (start, end)
    assert view.text_edit.textCursor().selectedText() == "Aye 👍🏽"
    # The same words selected with a Qt cursor: UTF-16 positions sit 2 (😀) further on.
    _qt_selected(view, start + 1, end + 1 + 2)
    assert view.selected_range() == (start, end)
    view.select_range(3, 3)
    assert view.selected_range() is None


def test_a_drag_ends_on_whole_words_unless_alt_is_held_or_it_is_turned_off(
    qtbot, view: TranscriptView
) -> None:  # type: ignore[no-untyped-def]
    start = TEXT.index("hard-going")
    whole = (start - len("was "), start + len("hard-going"))
    assert view.snap_to_words  # on from the start
    drive.drag_over(qtbot, view.text_edit, TEXT, start - 3, start + 6)  # "as hard-g"
    assert view.selected_range() == whole
    assert view.text_edit.textCursor().selectedText() == "was hard-going"  # what is shown is what codes
    view.text_edit.moveCursor(QTextCursor.MoveOperation.Start)  # a press on a selection would drag it
    drive.drag_over(qtbot, view.text_edit, TEXT, start - 3, start + 6, Qt.KeyboardModifier.AltModifier)
    assert view.selected_range() == (start - 3, start + 6)
    view.snap_to_words = False
    view.text_edit.moveCursor(QTextCursor.MoveOperation.Start)
    drive.drag_over(qtbot, view.text_edit, TEXT, start + 2, start + 6)
    assert view.selected_range() == (start + 2, start + 6)
    view.snap_to_words = True
    view.select_range(start + 2, start + 6)  # a selection made for the coder (search, a passage) stays
    assert view.selected_range() == (start + 2, start + 6)
    view.select_range(start - 1, start)  # only the space before: nothing to code
    assert view.selected_range() is None


def test_highlights_after_set_add_remove(view: TranscriptView) -> None:
    first = _highlight("h1", TEXT, "Aye 👍🏽 it", "Agreement")
    view.set_document(TEXT, _turns(TEXT), [first])
    mapping = OffsetMap(TEXT)
    selections = view.text_edit.extraSelections()
    assert [(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in selections] == [
        (mapping.to_units(first.start, U16), mapping.to_units(first.end, U16))
    ]
    assert selections[0].format.background().color().alpha() < 128  # light: text stays readable
    assert view.highlights_at(first.start) == [first]
    assert view.highlights_at(first.end) == []
    second = _highlight("h2", TEXT, "Thanks", "Gratitude", "#3d7be8")
    view.add_highlight(second)
    assert len(view.text_edit.extraSelections()) == 2
    assert view.highlights_at(second.start + 1) == [second]
    view.remove_highlight("h1")
    assert [s.cursor.selectedText() for s in view.text_edit.extraSelections()] == ["Thanks"]
    assert view.highlights_at(first.start) == []


def test_overlapping_codings_get_distinct_lanes_and_a_tooltip_naming_both(
    qtbot, view: TranscriptView
) -> None:  # type: ignore[no-untyped-def]
    outer = _highlight("o", TEXT, "Aye 👍🏽 it was hard", "Agreement")
    inner = _highlight("i", TEXT, "was hard-going", "Difficulty", "#3d7be8")
    apart = _highlight("x", TEXT, "Thanks", "Gratitude")
    view.set_highlights([outer, inner, apart])
    lanes = view.margin_lanes()
    assert lanes["o"] != lanes["i"]
    assert lanes["x"] == 0  # a later, separate line reuses the first lane
    overlap = TEXT.index("was hard")
    tooltip = view.tooltip_at(overlap)
    assert "Agreement" in tooltip and "Difficulty" in tooltip
    assert view.highlights_at(overlap)[0] == inner  # innermost first
    # Hovering the bars in the margin names the codes too.
    placed = {bar.coding_uuid: rect for bar, rect, _ in view.margin.placed()}
    point = placed["i"].center().toPoint()
    assert [b.code_name for b in view.margin.bars_at(point)] == ["Difficulty"]
    with qtbot.waitSignal(view.highlightActivated) as activated:
        qtbot.mouseDClick(view.margin, Qt.MouseButton.LeftButton, pos=point)
    assert activated.args == ["i"]


def test_double_click_on_a_highlight_activates_it(qtbot, view: TranscriptView) -> None:  # type: ignore[no-untyped-def]
    coding = _highlight("t", TEXT, "Thanks", "Gratitude")
    view.set_highlights([coding])
    mapping = OffsetMap(TEXT)
    cursor = QTextCursor(view.text_edit.document())
    cursor.setPosition(mapping.to_units(coding.start + 2, U16))
    point = view.text_edit.cursorRect(cursor).center() + QPoint(2, 0)
    assert view.offset_at(point) == coding.start + 2
    with qtbot.waitSignal(view.highlightActivated) as activated:
        qtbot.mouseDClick(view.text_edit.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert activated.args == ["t"]


def test_drag_mime_data_carries_code_point_offsets(view: TranscriptView) -> None:
    start, end = TEXT.index("👍🏽"), TEXT.index(" it was")
    view.select_range(start, end)
    mime = view.text_edit.createMimeDataFromSelection()
    assert mime.hasFormat(SELECTION_MIME)
    assert bytes(mime.data(SELECTION_MIME).data()) == f"{start},{end}".encode()
    assert mime.text() == "👍🏽"


def test_clear_leaves_no_text(view: TranscriptView) -> None:
    view.set_highlights([_highlight("h", TEXT, "Thanks", "Gratitude")])
    view.select_range(0, 5)
    view.clear()
    assert view.text_edit.toPlainText() == ""
    assert view.text_edit.extraSelections() == []
    assert view.highlights_at(0) == [] and view.margin_lanes() == {}
    assert view.selected_range() is None
    assert QToolTip.text() == "" or not QToolTip.isVisible()


def test_zoom_changes_the_font_size(qtbot, view: TranscriptView) -> None:  # type: ignore[no-untyped-def]
    base = view.text_edit.font().pointSizeF()
    view.zoom_in()
    assert view.text_edit.font().pointSizeF() > base
    view.reset_zoom()
    assert view.text_edit.font().pointSizeF() == base
    view.text_edit.setFocus()
    qtbot.waitUntil(view.text_edit.hasFocus)
    qtbot.keyClick(view.text_edit, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.text_edit.font().pointSizeF() < base
    qtbot.keyClick(view.text_edit, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.text_edit.font().pointSizeF() == base


def test_speaker_labels_are_bold(view: TranscriptView) -> None:
    block = view.text_edit.document().findBlockByNumber(1)  # "P1: Aye ..."
    formats = block.layout().formats()
    bold = [f for f in formats if f.format.fontWeight() > 500]
    assert [(f.start, f.length) for f in bold] == [(0, len("P1:"))]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(alphabet=st.sampled_from("ab \nx😀🎉é👍🏽:"), min_size=1, max_size=40),
    data=st.data(),
)
def test_random_selections_round_trip(view: TranscriptView, text: str, data: st.DataObject) -> None:
    view.set_document(text, [], [])
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    view.select_range(start, end)
    assert view.selected_range() == ((start, end) if text[start:end].strip() else None)
    if end > start:
        assert view.text_edit.textCursor().selectedText().replace("\u2029", "\n") == text[start:end]
