"""Theme suggestions in the app (issue 20 items 3 and 4): the demo project, the real model, real keys.

Ctrl+Shift+T asks for the open transcript's suggestions (worked out in the background); they appear
as hollow bars in the margin and in the Suggestions list, nothing coded. In the list, Down selects the
next passage in the text, Enter accepts (a coding by the project's coder, the decision recorded), R
rejects (never offered again), Ctrl+Z takes either back, and each theme's row shows the assistant's
agreement with this coder as theme_agreement measures it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QThreadPool
from PySide6.QtGui import QTextDocument
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from jswcoder import demo
from jswcoder.analysis.assistant import theme_agreement
from jswcoder.assist import model as assist_model
from jswcoder.offsets import Convention, OffsetMap
from jswcoder.project import Project
from jswcoder.ui.highlight_margin import WEAK_ALPHA
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.settings import Settings
from jswcoder.ui.suggestions_model import WEAK_FOREGROUND, agreement_line, suggestion_key
from jswcoder.ui.suggestions_panel import SuggestionsPanel
from jswcoder.ui.theme_panel import ThemePanel
from jswcoder.ui.workbench import Workbench
from tests import ui_drive as drive
from tests.conftest import FAST_KDF

pytest.importorskip("onnxruntime")

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
# Its passages resemble passages coded in the other interviews: several suggestions, some of them on
# themes where the assistant agrees with the demo coder and some where it does not.
TRANSCRIPT = "demo_02_team_leader_depth"


def open_demo(folder: Path, *, index: bool = True) -> Project:
    project = demo.create(folder / "demo", kdf=FAST_KDF)
    if index:
        project.assistance.update()
    return project


def window_on(project: Project, folder: Path, qtbot: QtBot) -> MainWindow:
    settings = Settings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    window = drive.shown(qtbot, MainWindow(project, settings))
    bench = bench_of(window)
    bench.open_transcript(project.transcripts.find(TRANSCRIPT).uuid)
    return window


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    opened = open_demo(tmp_path)
    yield opened
    opened.close()


@pytest.fixture
def window(project: Project, tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    shown = window_on(project, tmp_path, qtbot)
    yield shown
    if shown.workbench is not None:  # (qtbot may have closed the window already)
        panel = shown.workbench.suggestions
        qtbot.waitUntil(lambda: not panel.computing, timeout=30_000)  # no worker left running
    shown.close_project()


def bench_of(window: MainWindow) -> Workbench:
    assert window.workbench is not None
    return window.workbench


def ask(window: MainWindow, qtbot: QtBot) -> SuggestionsPanel:
    """Press Ctrl+Shift+T in the text and wait for the suggestions and the agreement figures."""
    bench = bench_of(window)
    panel = bench.suggestions
    qtbot.keyClick(bench.view.text_edit, Qt.Key.Key_T, CTRL | SHIFT)
    qtbot.waitUntil(lambda: panel.computing, timeout=5_000)
    qtbot.waitUntil(lambda: not panel.computing, timeout=30_000)
    return panel


def displayed(panel: SuggestionsPanel, row: int, role: Qt.ItemDataRole) -> object:
    return panel.model.data(panel.model.index(row, 0), role)


def shown_text(panel: SuggestionsPanel) -> str:
    """The heading as the person reads it (it is rich text)."""
    document = QTextDocument()
    document.setHtml(panel.heading.text())
    return document.toPlainText()


def all_codings(project: Project) -> list[str]:
    return sorted(c.uuid for t in project.transcripts.all() for c in project.codings.of_transcript(t.uuid))


def qt_span(project: Project, transcript_uuid: str, start: int, end: int) -> tuple[int, int]:
    offsets = OffsetMap(project.transcripts.text_of(transcript_uuid))
    return offsets.to_units(start, Convention.UTF16), offsets.to_units(end, Convention.UTF16)


def test_suggestions_appear_down_selects_enter_accepts_ctrl_z_takes_back(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    bench = bench_of(window)
    codings_before = all_codings(project)
    panel = ask(window, qtbot)
    expected = project.assistance.suggest(TRANSCRIPT)
    assert len(expected) >= 2
    # Shown in the list and as hollow bars in the margin; nothing is coded by being suggested.
    assert panel.model.rowCount() == len(expected)
    assert {r.key for r in panel.model.rows} == {suggestion_key(s) for s in expected}
    uuid = project.transcripts.find(TRANSCRIPT).uuid
    assert bench.view.margin.suggested() == {
        suggestion_key(s): qt_span(project, uuid, s.start, s.end) for s in expected
    }
    assert all_codings(project) == codings_before
    assert project.assistance.decisions() == []
    assert bench.tabs.currentWidget() is panel
    assert panel.list.hasFocus()

    # Down: the next suggestion, its passage selected (and so scrolled into view) in the text.
    qtbot.keyClick(panel.list, Qt.Key.Key_Down)
    second = panel.model.rows[1].suggestion
    assert panel.list.currentIndex().row() == 1
    assert bench.view.selected_range() == (second.start, second.end)
    caret = bench.view.text_edit.cursorRect()
    assert 0 <= caret.top() < bench.view.text_edit.viewport().height()
    assert second.path.split("/")[-1] in panel.why.toPlainText()
    for example in second.examples:  # why: the coded passages it resembles, with who said them
        assert example.attribution in panel.why.toPlainText()

    # Enter accepts: coded as the project's coder, with that theme and span; the decision is recorded.
    qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    mine = [
        c
        for c in project.codings.of_transcript(uuid)
        if (c.start, c.end, c.code_uuid) == (second.start, second.end, second.code_uuid)
    ]
    assert len(mine) == 1 and mine[0].coder_uuid == project.coder.uuid
    (decision,) = project.assistance.decisions()
    assert (decision.decision, decision.coding_uuid, decision.code_uuid) == (
        "accepted",
        mine[0].uuid,
        second.code_uuid,
    )
    assert suggestion_key(second) not in {r.key for r in panel.model.rows}
    assert suggestion_key(second) not in bench.view.margin.suggested()
    assert mine[0].uuid in {h.coding_uuid for h in bench.view.highlights_at(second.start)}
    assert panel.list.currentIndex().row() == 1 or panel.model.rowCount() == 1  # on to the next one

    # Ctrl+Z takes back both the coding and the decision; the suggestion is offered again.
    qtbot.keyClick(panel.list, Qt.Key.Key_Z, CTRL)
    assert all_codings(project) == codings_before
    assert project.assistance.decisions() == []
    assert mine[0].uuid not in {h.coding_uuid for h in bench.view.highlights_at(second.start)}
    assert panel.model.rows[panel.list.currentIndex().row()].key == suggestion_key(second)
    assert suggestion_key(second) in bench.view.margin.suggested()

    # Redo brings back the same coding (so later steps naming it still apply) and the decision.
    qtbot.keyClick(panel.list, Qt.Key.Key_Z, CTRL | SHIFT)
    assert project.codings.get(mine[0].uuid) == mine[0]
    assert [d.coding_uuid for d in project.assistance.decisions()] == [mine[0].uuid]


def test_r_rejects_and_it_is_not_offered_again(window: MainWindow, qtbot: QtBot, project: Project) -> None:
    panel = ask(window, qtbot)
    first = panel.model.rows[0].suggestion
    codings = all_codings(project)
    qtbot.keyClick(panel.list, Qt.Key.Key_R)
    (decision,) = project.assistance.decisions()
    assert (decision.decision, decision.coding_uuid, decision.start, decision.end) == (
        "rejected",
        None,
        first.start,
        first.end,
    )
    assert all_codings(project) == codings
    # Asked again, from the text: the rejected one stays away, the others come back.
    qtbot.keyClick(panel.list, Qt.Key.Key_Escape)
    assert bench_of(window).view.text_edit.hasFocus()
    loaded = panel._index  # the index the first jobs loaded: the next job takes it, not reading it again
    panel = ask(window, qtbot)
    assert loaded is not None and panel._index is loaded
    keys = [r.key for r in panel.model.rows]
    assert suggestion_key(first) not in keys
    assert len(keys) == len(project.assistance.suggest(TRANSCRIPT))
    # Ctrl+Z on the rejection: offered again at once.
    qtbot.keyClick(panel.list, Qt.Key.Key_Z, CTRL)
    assert project.assistance.decisions() == []
    assert suggestion_key(first) in [r.key for r in panel.model.rows]


def test_each_row_shows_the_assistants_agreement_on_its_theme(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    panel = ask(window, qtbot)
    measured = theme_agreement(project, project.coder.uuid)
    assert panel.model.rowCount() > 0
    for row, shown in enumerate(panel.model.rows):
        figure = agreement_line(measured.get(shown.suggestion.code_uuid))
        assert figure.startswith(("κ ", "agrees on", "not measured yet"))
        assert figure in str(displayed(panel, row, Qt.ItemDataRole.DisplayRole))
        weak = shown.weak
        assert (displayed(panel, row, Qt.ItemDataRole.ForegroundRole) == WEAK_FOREGROUND) is weak
    # A weak theme's suggestions come after the others, greyed.
    flags = [r.weak for r in panel.model.rows]
    assert flags == sorted(flags)
    # And paler in the margin: the bars on screen say the same as the list.
    weak = {r.key: r.weak for r in panel.model.rows}
    bars = [bar for bar, _rect, _label in bench_of(window).view.margin.placed() if bar.suggested]
    assert bars and all(bar.weak == weak[bar.coding_uuid] for bar in bars)
    assert all(bar.colour.alpha() == (WEAK_ALPHA if bar.weak else 255) for bar in bars)
    # The figure is measured on transcripts this coder coded, and said so.
    some = next(a for a in measured.values() if a.kappa is not None)
    assert f"on {some.transcripts} transcripts" in agreement_line(some)


def test_keep_suggesting_follows_the_transcript_opened(
    window: MainWindow, qtbot: QtBot, project: Project, tmp_path: Path
) -> None:
    bench = bench_of(window)
    window._keep_action.trigger()  # Analysis › Keep suggesting themes as transcripts open
    panel = bench.suggestions
    qtbot.waitUntil(lambda: panel.shown_for is not None and not panel.computing, timeout=30_000)
    other = project.transcripts.find("demo_03_partner_paired")
    bench.transcripts.select(other.uuid)
    qtbot.keyClick(bench.transcripts.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.shown_for == other.uuid and not panel.computing, timeout=30_000)
    assert {r.key for r in panel.model.rows} == {
        suggestion_key(s) for s in project.assistance.suggest(other.uuid)
    }
    assert not panel.list.hasFocus()  # suggestions that came by themselves do not take the keys
    # Remembered for the next time the app opens (a harmless view preference).
    assert Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)).keep_suggesting()


def test_asked_before_the_index_is_built_it_says_so_then_suggests(tmp_path: Path, qtbot: QtBot) -> None:
    project = open_demo(tmp_path, index=False)  # the window's index keeper builds it in the background
    try:
        window = window_on(project, tmp_path, qtbot)
        panel = bench_of(window).suggestions
        said: list[str] = []
        panel.status.connect(said.append)
        qtbot.keyClick(bench_of(window).view.text_edit, Qt.Key.Key_T, CTRL | SHIFT)
        qtbot.waitUntil(lambda: bool(said), timeout=10_000)
        assert re.fullmatch(
            rf"The passage index is being built: [0-3] of 4 transcripts\. The suggestions come once {TRANSCRIPT} is in it\.",
            said[0],
        )
        assert bench_of(window).view.margin.suggested() == {}
        # Once the keeper has indexed it, the suggestions come without asking again.
        qtbot.waitUntil(lambda: panel.model.rowCount() > 0 and not panel.computing, timeout=60_000)
        assert {r.key for r in panel.model.rows} == {
            suggestion_key(s) for s in project.assistance.suggest(TRANSCRIPT)
        }
        window.close_project()
    finally:
        project.close()


def test_without_the_assistance_part_it_says_what_to_install(
    tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(assist_model, "MODULES", (*assist_model.MODULES, "no_such_module_here"))
    project = open_demo(tmp_path, index=False)
    try:
        window = window_on(project, tmp_path, qtbot)
        panel = ask(window, qtbot)
        line = shown_text(panel)
        assert "not installed here (no_such_module_here missing)" in line
        assert assist_model.INSTALL_HINT in line
        assert "\n" not in line
        assert panel.model.rowCount() == 0
        window.close_project()
    finally:
        project.close()


def test_each_job_on_its_own_connection_does_not_embed_the_codebook_again(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every suggestion job opens its own connection (a fresh Project): the themes' definitions are
    embedded once a process, not once a job (2.3 s of a 2.7 s job on the demo's 49 themes)."""
    embedder = assist_model.shared()
    real = embedder.embed
    embedded: list[str] = []

    def counting(texts: list[str], **options: object) -> object:
        embedded.extend(texts)
        return real(texts, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(embedder, "embed", counting)
    first = project.assistance.suggest(TRANSCRIPT)  # the definitions embedded, unless already so
    embedded.clear()
    with project.second_connection().open() as own:
        assert own.assistance.suggest(TRANSCRIPT) == first
    assert embedded == []


def test_the_list_model_passes_qts_model_tester_through_decisions(
    window: MainWindow, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    panel = ask(window, qtbot)
    qtmodeltester.check(panel.model)  # stays attached: every later change is checked as it happens
    keys = [r.key for r in panel.model.rows]
    qtbot.keyClick(panel.list, Qt.Key.Key_R)
    qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    assert [r.key for r in panel.model.rows] == keys[2:]
    qtbot.keyClick(panel.list, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(panel.list, Qt.Key.Key_Z, CTRL)
    assert [r.key for r in panel.model.rows] == keys  # back in their places


def test_a_double_click_on_a_hollow_bar_goes_to_its_suggestion(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    bench = bench_of(window)
    panel = ask(window, qtbot)
    qtbot.keyClick(panel.list, Qt.Key.Key_Escape)
    last = panel.model.rows[-1]
    bench.view.select_range(last.suggestion.start, last.suggestion.end)  # scrolled to it, as by reading
    (rect,) = [r for bar, r, _label in bench.view.margin.placed() if bar.coding_uuid == last.key]
    before = all_codings(project)
    qtbot.mouseDClick(bench.view.margin, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert panel.list.hasFocus()
    assert panel.list.currentIndex().row() == panel.model.rowCount() - 1
    assert all_codings(project) == before  # nothing coded by looking
    assert project.assistance.decisions() == []


def test_a_lock_while_suggesting_drops_the_answer_and_asking_after_unlock_works(
    window: MainWindow, qtbot: QtBot
) -> None:
    bench = bench_of(window)
    qtbot.keyClick(bench.view.text_edit, Qt.Key.Key_T, CTRL | SHIFT)
    assert bench.suggestions.computing
    qtbot.keyClick(window, Qt.Key.Key_L, CTRL)
    assert window.workbench is None and window.lock_screen is not None
    assert QThreadPool.globalInstance().waitForDone(30_000)  # its answer comes to nobody
    qtbot.wait(50)
    qtbot.mouseClick(window.lock_screen.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.workbench is not None, timeout=10_000)
    bench = bench_of(window)
    assert bench.suggestions.model.rowCount() == 0 and bench.view.margin.suggested() == {}
    bench.open_transcript(bench.project.transcripts.find(TRANSCRIPT).uuid)  # (the unlock reopened it)
    panel = ask(window, qtbot)
    assert panel.model.rowCount() == len(bench.project.assistance.suggest(TRANSCRIPT))


def test_after_an_accept_the_figures_are_measured_again_in_place(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    panel = ask(window, qtbot)
    accepted = panel.model.rows[0].suggestion
    before = agreement_line(theme_agreement(project, project.coder.uuid).get(accepted.code_uuid))
    qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    after = theme_agreement(project, project.coder.uuid)
    assert agreement_line(after.get(accepted.code_uuid)) != before  # the accept moved this theme's figure
    # Asked again: shown at once with the figures kept, then measured again and updated in place.
    panel = ask(window, qtbot)
    assert panel.model.rowCount() > 0
    for row, shown in enumerate(panel.model.rows):
        figure = agreement_line(after.get(shown.suggestion.code_uuid))
        assert figure in str(displayed(panel, row, Qt.ItemDataRole.DisplayRole))
    assert panel.agreement is not None  # what any suggestion of the accepted theme now shows
    assert agreement_line(panel.agreement.get(accepted.code_uuid)) == agreement_line(
        after.get(accepted.code_uuid)
    )


def test_coding_a_suggested_passage_by_hand_takes_its_suggestion_away(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    bench = bench_of(window)
    panel = ask(window, qtbot)
    qtbot.keyClick(panel.list, Qt.Key.Key_Escape)  # back to the text: the person codes as usual
    row = panel.model.rows[-1]
    others = [r.key for r in panel.model.rows[:-1]]
    text = project.transcripts.text_of(row.suggestion.transcript_uuid)
    start, end = drive.select(window, text, row.suggestion.text)
    drive.quick_code(qtbot, window, row.name, CTRL)
    (coded,) = [
        c
        for c in project.codings.of_transcript(row.suggestion.transcript_uuid)
        if (c.start, c.end, c.code_uuid) == (start, end, row.suggestion.code_uuid)
    ]
    assert coded.coder_uuid == project.coder.uuid
    assert [r.key for r in panel.model.rows] == others  # gone from the list and the margin
    assert row.key not in bench.view.margin.suggested()
    assert bench.view.selected_range() == (start, end)  # the person's selection left where it was
    assert project.assistance.decisions() == []  # coded by hand: no suggestion was decided


def test_the_buttons_do_what_the_keys_do(window: MainWindow, qtbot: QtBot, project: Project) -> None:
    panel = ask(window, qtbot)
    first, second = panel.model.rows[0].suggestion, panel.model.rows[1].suggestion
    qtbot.mouseClick(panel.reject_button, Qt.MouseButton.LeftButton)
    assert [(d.decision, d.start) for d in project.assistance.decisions()] == [("rejected", first.start)]
    assert panel.current_row() is not None and panel.current_row().suggestion == second  # type: ignore[union-attr]
    qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    decided = {d.decision: d for d in project.assistance.decisions()}
    assert (decided["rejected"].start, decided["accepted"].start) == (first.start, second.start)
    assert project.codings.get(str(decided["accepted"].coding_uuid)).code_uuid == second.code_uuid
    qtbot.mouseClick(panel.hide_button, Qt.MouseButton.LeftButton)
    assert panel.model.rowCount() == 0 and bench_of(window).view.margin.suggested() == {}
    assert bench_of(window).view.text_edit.hasFocus()


def test_a_theme_deleted_in_the_tree_takes_its_suggestions_and_a_rename_shows(
    window: MainWindow, qtbot: QtBot, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench = bench_of(window)
    panel = ask(window, qtbot)
    gone, kept = panel.model.rows[0], panel.model.rows[1]
    monkeypatch.setattr(ThemePanel, "ask", classmethod(lambda cls, parent, title, text: True))
    bench.themes.select_code(gone.suggestion.code_uuid)
    bench.themes.view.setFocus()
    qtbot.keyClick(bench.themes.view, Qt.Key.Key_Delete)
    assert gone.suggestion.code_uuid not in {c.uuid for c in project.codebook.all()}
    assert gone.key not in {r.key for r in panel.model.rows}
    assert gone.key not in bench.view.margin.suggested()
    assert kept.key in {r.key for r in panel.model.rows}
    bench.themes.rename_theme(kept.suggestion.code_uuid, "Renamed for the test")
    assert "Renamed for the test" in str(displayed(panel, 0, Qt.ItemDataRole.DisplayRole))


def test_a_accepts_and_delete_rejects_as_enter_and_r_do(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    panel = ask(window, qtbot)
    first, second = panel.model.rows[0].suggestion, panel.model.rows[1].suggestion
    qtbot.keyClick(panel.list, Qt.Key.Key_A)
    qtbot.keyClick(panel.list, Qt.Key.Key_Delete)
    decided = {d.decision: (d.start, d.end, d.code_uuid) for d in project.assistance.decisions()}
    assert decided == {
        "accepted": (first.start, first.end, first.code_uuid),
        "rejected": (second.start, second.end, second.code_uuid),
    }
    # Other letters do nothing to the project (the list's own type-to-find, at most).
    codings = all_codings(project)
    qtbot.keyClick(panel.list, Qt.Key.Key_X)
    qtbot.keyClick(panel.list, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # (select all)
    assert all_codings(project) == codings and len(project.assistance.decisions()) == 2
