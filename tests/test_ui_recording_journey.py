"""Issue 19's whole way, in one window, with real keys: a recording imported into the encrypted project is
transcribed on this computer (the draft model), its speakers proposed from the stereo channels, a
misheard segment corrected, finished into a transcript, a passage of it coded with the quick-code box,
and that coding heard from Coded passages.

The steps each have their own tests (test_ui_recordings, test_ui_playback); this one checks that they
join up: what one step leaves is what the next one takes.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from jswcoder.ui.main_window import MainWindow
from tests import ui_drive as drive
from tests.speech_fixtures import Turn, word_error_rate
from tests.test_ui_recordings import (  # the recording, its project and the driving, shared
    NAME,
    _recording_window,
    _transcribe_with_dialog,
    imported,  # noqa: F401 (a fixture)
    imported_folder,  # noqa: F401 (a fixture)
    on,
    pytestmark,  # noqa: F401 (espeak-ng and the draft model are needed; Qt Multimedia's lines)
    speech,  # noqa: F401 (a fixture)
    window,  # noqa: F401 (a fixture)
)

CORRECTED = "A good week is when I have time to sit with people and listen, rather than filling in forms."


@on("imported")
def test_from_a_recording_to_a_coded_transcript_heard_in_sync(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811 (the fixture imported above)
    speech: tuple[Path, list[Turn]],  # noqa: F811
) -> None:
    assert window.workbench is not None
    project = window.workbench.project
    window.workbench.themes.add_theme("Workload")  # as the theme tree's New theme does

    # Transcribed in the background.
    assert _transcribe_with_dialog(qtbot, window) == ["Interviewer", "Participant"]
    qtbot.waitUntil(lambda: window.jobs.running is None, timeout=90_000)

    # Speakers from the channels, and the fourth segment (the participant's second turn) corrected.
    opened = _recording_window(qtbot, window)
    qtbot.mouseClick(opened.stereo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.jobs.running is None, timeout=30_000)
    draft = project.transcription.draft(NAME)
    assert draft is not None
    assert [s.speaker for s in draft.segments] == [1, 2] * 4
    fourth = draft.segments[3]
    opened.table.setFocus()
    for _ in range(3):
        qtbot.keyClick(opened.table, Qt.Key.Key_Down)
    qtbot.keyClick(opened.table, Qt.Key.Key_Return)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == fourth.text
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, CORRECTED)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(opened.table.hasFocus)

    # Finished: the text is fixed, and the transcript opens with its playback bar.
    def confirm(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        box.activateWindow()
        qtbot.waitUntil(box.isActiveWindow)
        qtbot.keyClick(box, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)

    drive.when_shown(QMessageBox, confirm)
    qtbot.mouseClick(opened.finish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.recordings.windows)
    (made,) = project.transcription.transcripts_of(NAME)
    transcript = project.transcripts.get(made)
    text = project.transcripts.text(made)
    assert window.workbench.current is not None and window.workbench.current.uuid == made
    assert window.workbench.view.text_edit.toPlainText() == text
    assert f"Participant: {CORRECTED}" in text
    heard = " ".join(turn.text for turn in speech[1])
    spoken = " ".join(p.split(": ", 1)[1] for p in text.split("\n\n"))
    assert word_error_rate(heard, spoken) < 0.15
    playback = window.workbench.playback
    assert playback is not None and playback.bar.isVisible()

    # Coded with the quick-code box, as any transcript is (back in the main window, as a window manager
    # makes it when the recording's window closes).
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    drive.select(window, text, "rather than filling in forms")
    drive.quick_code(qtbot, window, "Workload", Qt.KeyboardModifier.ControlModifier)
    (coding,) = project.codings.passages()
    assert coding.text == "rather than filling in forms" and coding.transcript == transcript.name

    # Heard from Coded passages: the segment the coding lies in, from its start to its end.
    segments = window.workbench.segments
    window.workbench.themes.select_code(project.codebook.find("Workload").uuid)
    window.workbench.tabs.setCurrentWidget(segments)
    qtbot.waitUntil(lambda: segments.model.rowCount() == 1)
    view = segments.view
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(segments.model.index(0, 0)).center()
    )
    player = playback.player
    started = time.monotonic()
    with qtbot.waitSignal(player.playing_changed, check_params_cb=lambda on: not on, timeout=15_000):
        qtbot.mouseClick(segments.hear_button, Qt.MouseButton.LeftButton)
    took_ms = (time.monotonic() - started) * 1000
    length = fourth.end_ms - fourth.start_ms
    assert abs(player.position() - fourth.end_ms) <= 100
    assert length - 300 <= took_ms <= length + 1500  # the whole segment was played, at normal speed
