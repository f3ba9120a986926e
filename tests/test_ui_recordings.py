"""Recordings in the app (issue 19): import one from the File menu, transcribe it in the background with
the real draft model, Cancel and Resume, label speakers by key (1-9, 0, U) and from the stereo channels,
correct a segment's text in place, and finish into a transcript with speaker turns.

Real parts throughout: an encrypted project, the espeak-ng interview (two voices, a channel each), the
real Whisper tiny.en model, Qt's decoder, real widgets driven by real key events and clicks. The file
dialog is replaced (its ``ask_files``); every other dialog is the real one, driven by keys. The one
stand-in: the test for an absent optional part replaces ``jswcoder.speech.models.missing`` (the part is
installed here, and uninstalling it for one test is not possible)."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from jswcoder.clock import clock
from jswcoder.project import Project
from jswcoder.speech import models
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.recording_actions import RecordingActions
from jswcoder.ui.recordings_group import RECORDING_ROLE
from jswcoder.ui.settings import Settings
from jswcoder.ui.transcribe_dialog import TranscribeDialog
from tests import ui_drive as drive
from tests.conftest import PASSPHRASE, make_project, write_txt
from tests.speech_fixtures import SCRIPT, Turn, have_espeak, interview_wav, word_error_rate

pytestmark = [
    pytest.mark.skipif(not have_espeak(), reason="espeak-ng makes the test speech"),
    pytest.mark.skipif(bool(models.missing("draft")), reason="the transcription part is not installed"),
    # Offscreen: menus cannot grab the keyboard, and the player finds no sound device (it then plays
    # against the system clock, see jswcoder.ui.audio_player).
    pytest.mark.qt_log_ignore(
        "This plugin does not support grabbing the keyboard", "PulseAudio", "pulseaudio", "No audio device"
    ),
]
SHOTS = os.environ.get("JSWCODER_SCREENSHOTS")  # a folder to save each state in, to look at
NAME = "interview"


def _shot(widget: QWidget, name: str) -> None:
    if SHOTS:
        widget.grab().save(str(Path(SHOTS) / name))


# -- the recording and the projects ------------------------------------------------------------------


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Turn]]:
    path = tmp_path_factory.mktemp("speech") / f"{NAME}.wav"
    return path, interview_wav(path, stereo=True)


def _imported(folder: Path, wav: Path) -> Project:
    from jswcoder.ui.audio_source import check_decodable

    project, _recovery = make_project(folder)
    project.recordings.import_file(wav)
    check_decodable(project, NAME)
    return project


@pytest.fixture(scope="module")
def imported_folder(
    tmp_path_factory: pytest.TempPathFactory, speech: tuple[Path, list[Turn]], qapp: QApplication
) -> Path:
    """A project holding the recording, not yet transcribed (copied for each test)."""
    folder = tmp_path_factory.mktemp("imported") / "study"
    _imported(folder, speech[0]).close()
    return folder


@pytest.fixture(scope="module")
def transcribed_folder(
    tmp_path_factory: pytest.TempPathFactory, speech: tuple[Path, list[Turn]], qapp: QApplication
) -> Path:
    """A project whose recording the draft model has transcribed, ready to correct (copied per test)."""
    from jswcoder.ui.audio_source import decode_pcm, recording_buffer

    folder = tmp_path_factory.mktemp("transcribed") / "study"
    project = _imported(folder, speech[0])
    project.transcription.start(NAME, model="draft", speakers=2)
    pcm = decode_pcm(recording_buffer(project, NAME))
    assert project.transcription.run(NAME, pcm).finished_transcribing
    project.close()
    return folder


def _copy(folder: Path, tmp_path: Path) -> Iterator[Project]:
    target = tmp_path / "study"
    shutil.copytree(folder, target)
    project = Project.open(target, passphrase=PASSPHRASE, use_keychain=False)
    yield project
    project.close()


@pytest.fixture
def imported(imported_folder: Path, tmp_path: Path) -> Iterator[Project]:
    yield from _copy(imported_folder, tmp_path)


@pytest.fixture
def transcribed(transcribed_folder: Path, tmp_path: Path) -> Iterator[Project]:
    yield from _copy(transcribed_folder, tmp_path)


def _window(project: Project, tmp_path: Path, qtbot: QtBot) -> MainWindow:
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = drive.shown(qtbot, MainWindow(project, settings))
    return window


@pytest.fixture
def window(request: pytest.FixtureRequest, tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    """The main window on the project the test asks for by name (``project``, ``imported``, ...)."""
    project = request.getfixturevalue(request.param)
    shown = _window(project, tmp_path, qtbot)
    yield shown
    shown.jobs.wait()
    shown.close_project()


def on(project: str) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("window", [project], indirect=True)


# -- driving -----------------------------------------------------------------------------------------


def _row_text(window: MainWindow) -> str:
    assert window.workbench is not None
    panel = window.workbench.transcripts
    item = panel._recordings.get(window.workbench.project.recordings.find(NAME).uuid)
    return item.text() if item is not None else ""


def _enter_on_recording(qtbot: QtBot, window: MainWindow) -> None:
    """Go to the recording in the transcripts list (Ctrl+1, then its row) and press Enter."""
    assert window.workbench is not None
    panel = window.workbench.transcripts
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert panel.view.hasFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_Home)  # the Recordings entry, first in the list
    qtbot.keyClick(panel.view, Qt.Key.Key_Down)  # the recording under it
    assert panel.view.currentIndex().data(RECORDING_ROLE)
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)


def _messages(qtbot: QtBot, seen: list[str], button: str | None = None) -> None:
    """The next message box's text (and informative text) into *seen*; then it is answered by *button*'s
    mnemonic (Alt+letter), or Enter."""

    def read(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen.append(f"{box.text()} {box.informativeText()}".strip())
        box.activateWindow()  # as a window manager does for a new dialog (offscreen does not)
        qtbot.waitUntil(box.isActiveWindow)
        if button is None:
            qtbot.keyClick(box, Qt.Key.Key_Return)
        else:
            qtbot.keyClick(box, getattr(Qt.Key, f"Key_{button}"), Qt.KeyboardModifier.AltModifier)

    drive.when_shown(QMessageBox, read)


def _transcribe_with_dialog(qtbot: QtBot, window: MainWindow) -> list[str]:
    """Enter on the recording; in the dialog choose the draft model (Down in the model box) and press
    Enter. The dialog's speaker names, as shown, are returned."""
    names: list[str] = []

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, TranscribeDialog)
        _shot(dialog, "1-transcribe-dialog.png")
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        combo = dialog.findChild(QComboBox)
        assert combo is dialog.model_combo
        combo.setFocus()
        qtbot.keyClick(combo, Qt.Key.Key_Down)
        assert combo.currentData() == "draft"
        names.extend(edit.text() for edit in dialog.name_edits if edit.isVisibleTo(dialog))
        qtbot.keyClick(combo, Qt.Key.Key_Return)

    drive.when_shown(TranscribeDialog, answer)
    _enter_on_recording(qtbot, window)
    qtbot.waitUntil(lambda: bool(names), timeout=5000)
    return names


def _recording_window(qtbot: QtBot, window: MainWindow):  # type: ignore[no-untyped-def]
    from jswcoder.ui.recording_window import RecordingWindow

    _enter_on_recording(qtbot, window)
    opened = next(iter(window.recordings.windows.values()))
    assert isinstance(opened, RecordingWindow)
    qtbot.waitExposed(opened)
    opened.activateWindow()
    qtbot.waitUntil(opened.isActiveWindow)
    assert opened.table.hasFocus()
    return opened


def _speakers(project: Project) -> list[int | None]:
    draft = project.transcription.draft(NAME)
    assert draft is not None
    return [segment.speaker for segment in draft.segments]


# -- import ------------------------------------------------------------------------------------------


@on("project")
def test_import_from_the_file_menu_and_refusals_keep_nothing(
    qtbot: QtBot,
    window: MainWindow,
    speech: tuple[Path, list[Turn]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    not_audio = tmp_path / "notes.wav"
    not_audio.write_text("these are notes, not a recording", encoding="utf-8")
    damaged = tmp_path / "damaged.wav"  # a WAV's first bytes, then nothing a decoder can read
    damaged.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 400)
    monkeypatch.setattr(
        RecordingActions, "ask_files", classmethod(lambda cls, parent: [speech[0], not_audio, damaged])
    )
    refused: list[str] = []
    _messages(qtbot, refused)
    drive.when_popup(lambda file_menu: qtbot.keyClick(file_menu, Qt.Key.Key_R))  # Import &recording…
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: bool(refused), timeout=20_000)
    project = window.workbench.project if window.workbench else None
    assert project is not None
    assert [r.name for r in project.recordings.all()] == [NAME]
    assert 39_000 < (project.recordings.find(NAME).duration_ms or 0) < 42_000
    assert _row_text(window) == f"{NAME} — not transcribed"
    assert refused[0].startswith("Not imported:")
    lines = refused[0].splitlines()[1:]
    assert len(lines) == 2
    assert (
        lines[0] == "notes.wav: is not a recording this version takes (WAV, MP3, M4A/MP4 audio or Ogg/Opus)"
    )
    assert lines[1].startswith("damaged.wav: could not be decoded")
    assert "0:40" in window.statusBar().currentMessage()
    _shot(window, "0-imported.png")


# -- transcribing ------------------------------------------------------------------------------------


@on("imported")
def test_transcribing_runs_in_the_background_and_the_window_stays_responsive(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    ticks: list[float] = []
    timer = QTimer(window)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    said: list[str] = []
    rows: list[str] = []

    def watch() -> None:
        said.append(window.statusBar().currentMessage())
        rows.append(_row_text(window))
        if "of 0:40" in said[-1] and not (SHOTS and Path(SHOTS, "2-transcribing.png").exists()):
            _shot(window, "2-transcribing.png")

    timer.timeout.connect(watch)
    assert window.workbench is not None
    panel = window.workbench.transcripts
    window.workbench.project.transcripts.import_file(
        write_txt(tmp_path / "in", "notes.txt", "Interviewer: a typed interview.\n")
    )
    panel.reload()
    names = _transcribe_with_dialog(qtbot, window)
    assert names == ["Interviewer", "Participant"]
    timer.start(20)
    assert window.jobs.running is not None and window.busy_bar.isVisible()
    # Meanwhile a transcript is renamed (F2): the list is read again, and still says how far it has got.
    qtbot.waitUntil(lambda: _row_text(window).startswith(f"{NAME} — transcribing"))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    panel.view.setFocus()
    panel.select(window.workbench.project.transcripts.find("notes").uuid)
    qtbot.keyClick(panel.view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Typed notes")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: [t.name for t in window.workbench.project.transcripts.all()] == ["Typed notes"])  # type: ignore[union-attr]
    assert window.jobs.running is not None
    assert _row_text(window).startswith(f"{NAME} — transcribing")
    qtbot.waitUntil(lambda: window.jobs.running is None, timeout=90_000)
    timer.stop()
    assert window.workbench is not None
    draft = window.workbench.project.transcription.draft(NAME)
    assert draft is not None and draft.finished_transcribing
    assert draft.state.model == "draft" and draft.state.speakers == ("Interviewer", "Participant")
    assert len(draft.segments) >= len(SCRIPT)
    progress = re.compile(
        r"Transcribing “interview”: 0:[0-3]\d of 0:40, (about \d+ min|less than a minute) left…"
    )
    assert any(progress.fullmatch(line) for line in said), set(said)
    assert any(re.fullmatch(rf"{NAME} — transcribing 0:[0-3]\d of 0:40", row) for row in rows), set(rows)
    assert _row_text(window) == f"{NAME} — ready to correct"
    # The window kept answering: its timer ran all along, never held up for long.
    gaps = [later - earlier for earlier, later in itertools.pairwise(ticks)]
    assert len(ticks) > 50 and max(gaps) < 0.5, max(gaps)


@pytest.fixture(scope="module")
def long_folder(tmp_path_factory: pytest.TempPathFactory, qapp: QApplication) -> Path:
    """A project holding the interview twice over (80 s, three windows), not yet transcribed."""
    wav = tmp_path_factory.mktemp("long") / f"{NAME}.wav"
    interview_wav(wav, repeat=2)
    folder = tmp_path_factory.mktemp("long-imported") / "study"
    _imported(folder, wav).close()
    return folder


@pytest.fixture
def long(long_folder: Path, tmp_path: Path) -> Iterator[Project]:
    yield from _copy(long_folder, tmp_path)


@on("long")
def test_cancel_stops_after_a_window_and_resume_completes_without_duplicates(
    qtbot: QtBot, window: MainWindow, long_folder: Path, tmp_path: Path
) -> None:
    from jswcoder.ui.audio_source import decode_pcm, recording_buffer

    def cancel_after_first_window(_done: int, _total: int, label: str) -> None:
        if label.startswith("Transcribed") and window.busy_bar.cancel_button.isEnabled():
            qtbot.mouseClick(window.busy_bar.cancel_button, Qt.MouseButton.LeftButton)

    window.jobs.progressed.connect(cancel_after_first_window)
    _transcribe_with_dialog(qtbot, window)
    qtbot.waitUntil(lambda: window.jobs.running is None, timeout=90_000)
    window.jobs.progressed.disconnect(cancel_after_first_window)
    assert window.workbench is not None
    project = window.workbench.project
    stopped = project.transcription.draft(NAME)
    assert stopped is not None and not stopped.finished_transcribing
    total = project.recordings.find(NAME).duration_ms or 0
    assert 0 < stopped.state.reached_ms < total - 10_000
    assert _row_text(window) == f"{NAME} — stopped at {clock(stopped.state.reached_ms)} of {clock(total)}"
    assert "stopped" in window.statusBar().currentMessage()
    asked: list[str] = []
    _messages(qtbot, asked, "R")  # &Resume
    _enter_on_recording(qtbot, window)
    qtbot.waitUntil(lambda: bool(asked))
    assert "stopped at" in asked[0] and "Resume" in asked[0] and "Discard" in asked[0]
    qtbot.waitUntil(lambda: window.jobs.running is None, timeout=90_000)
    resumed = project.transcription.draft(NAME)
    assert resumed is not None and resumed.finished_transcribing
    assert _row_text(window) == f"{NAME} — ready to correct"
    # None twice, none lost: the segments follow one another, as many as a run never stopped gives,
    # with its words. (Not always its every comma: when the stop comes after the second window, the
    # resumed prompt is the stored text, tokenised afresh, and the model may punctuate differently.)
    segments = resumed.segments
    assert all(b.start_ms >= a.end_ms for a, b in itertools.pairwise(segments))
    whole = next(_copy(long_folder, tmp_path / "whole"))
    whole.transcription.start(NAME, model="draft")
    uninterrupted = whole.transcription.run(NAME, decode_pcm(recording_buffer(whole, NAME)))
    whole.close()
    assert len(segments) == len(uninterrupted.segments) == 2 * len(SCRIPT)
    assert abs(segments[-1].end_ms - uninterrupted.segments[-1].end_ms) < 500
    together = " ".join(s.text for s in segments)
    assert word_error_rate(" ".join(s.text for s in uninterrupted.segments), together) < 0.03


@on("imported")
def test_a_stopped_transcription_can_be_discarded(qtbot: QtBot, window: MainWindow) -> None:
    assert window.workbench is not None
    project = window.workbench.project
    project.transcription.start(NAME, model="draft")
    window.workbench.transcripts.reload()
    assert _row_text(window) == f"{NAME} — stopped at 0:00 of 0:40"
    asked: list[str] = []
    _messages(qtbot, asked, "D")  # &Discard
    _enter_on_recording(qtbot, window)
    qtbot.waitUntil(lambda: bool(asked))
    qtbot.waitUntil(lambda: project.transcription.draft(NAME) is None)
    assert _row_text(window) == f"{NAME} — not transcribed"


@on("imported")
def test_an_absent_transcription_part_is_said_plainly(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The one stand-in: the optional part is installed here, so its absence is simulated where the app
    # asks for it (what is missing), as it would be reported on a machine without it.
    monkeypatch.setattr(models, "missing", lambda model="base": ["ctranslate2"])
    said: list[str] = []
    _messages(qtbot, said)
    _enter_on_recording(qtbot, window)
    qtbot.waitUntil(lambda: bool(said))
    assert said[0] == (
        "Transcription is not available: transcription is not installed here (ctranslate2 missing); "
        "install jswcoder's transcription part: pip install 'jswcoder[transcribe]'."
    )
    assert window.jobs.running is None
    assert window.workbench is not None and window.workbench.project.transcription.draft(NAME) is None


# -- speakers ----------------------------------------------------------------------------------------


@on("transcribed")
def test_digit_keys_give_the_selected_segments_a_speaker(qtbot: QtBot, window: MainWindow) -> None:
    assert window.workbench is not None
    project = window.workbench.project
    opened = _recording_window(qtbot, window)
    table = opened.table
    qtbot.keyClick(table, Qt.Key.Key_1)  # segment 1, then on to the next
    qtbot.keyClick(table, Qt.Key.Key_2)
    assert _speakers(project)[:3] == [1, 2, None]
    assert table.currentIndex().row() == 2
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)  # rows 2 and 3 selected
    qtbot.keyClick(table, Qt.Key.Key_1)
    assert _speakers(project)[:5] == [1, 2, 1, 1, None]
    qtbot.keyClick(table, Qt.Key.Key_Up)
    qtbot.keyClick(table, Qt.Key.Key_0)  # no speaker again
    assert _speakers(project)[:5] == [1, 2, 1, None, None]
    qtbot.keyClick(table, Qt.Key.Key_3)  # this interview has two
    assert opened.message.text() == "There is no speaker 3; this interview has 2."
    assert _speakers(project)[:5] == [1, 2, 1, None, None]
    assert opened.model.data(opened.model.index(1, 2)) == "Participant"


@on("transcribed")
def test_u_gives_the_speaker_on_until_a_pause_longer_than_set(qtbot: QtBot, window: MainWindow) -> None:
    assert window.workbench is not None
    project = window.workbench.project
    draft = project.transcription.draft(NAME)
    assert draft is not None
    gaps = [b.start_ms - a.end_ms for a, b in zip(draft.segments, draft.segments[1:], strict=False)]
    opened = _recording_window(qtbot, window)
    table = opened.table
    qtbot.keyClick(table, Qt.Key.Key_2)  # segment 1: Participant; on to segment 2
    qtbot.keyClick(table, Qt.Key.Key_Up)
    # A pause shorter than every gap: U carries the speaker nowhere.
    shortest = min(gaps) / 1000
    opened.pause_spin.setFocus()
    opened.pause_spin.selectAll()
    qtbot.keyClicks(opened.pause_spin, f"{max(0.1, shortest - 0.1):.1f}")
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_U)
    assert _speakers(project).count(2) == 1
    # Longer than every gap: U runs to the end.
    opened.pause_spin.setFocus()
    opened.pause_spin.selectAll()
    qtbot.keyClicks(opened.pause_spin, f"{max(gaps) / 1000 + 0.2:.1f}")
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Up)
    qtbot.keyClick(table, Qt.Key.Key_U)
    assert _speakers(project) == [2] * len(draft.segments)
    assert opened.message.text() == f"{len(draft.segments)} segment(s) given to Participant."


@on("transcribed")
def test_speakers_proposed_from_the_stereo_channels(
    qtbot: QtBot, window: MainWindow, speech: tuple[Path, list[Turn]]
) -> None:
    assert window.workbench is not None
    project = window.workbench.project
    opened = _recording_window(qtbot, window)
    assert opened.stereo_button.isVisible()
    qtbot.mouseClick(opened.stereo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.jobs.running is None, timeout=30_000)
    draft = project.transcription.draft(NAME)
    assert draft is not None
    turns = speech[1]
    expected = []
    for segment in draft.segments:
        middle = (segment.start_ms + segment.end_ms) / 2000
        turn = min(
            turns,
            key=lambda t: (
                0 if t.start <= middle <= t.end else min(abs(t.start - middle), abs(t.end - middle))
            ),
        )
        expected.append(turn.speaker + 1)
    assert len(draft.segments) == len(turns) == 8
    assert [s.speaker for s in draft.segments] == expected == [1, 2] * 4
    assert opened.message.text().startswith(
        "Proposed: the left channel is Interviewer, the right Participant."
    )
    _shot(opened, "3-correcting.png")


# -- corrections -------------------------------------------------------------------------------------


@on("transcribed")
def test_enter_edits_a_segment_enter_keeps_it_escape_drops_it_and_times_stay(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.workbench is not None
    project = window.workbench.project
    before = project.transcription.draft(NAME)
    assert before is not None
    opened = _recording_window(qtbot, window)
    table = opened.table
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Return)  # edit segment 2's text; it plays meanwhile
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == before.segments[1].text
    qtbot.waitUntil(lambda: opened.player.is_playing() and opened.model.playing == 1, timeout=5000)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "I have been a justice social worker for six years.")
    qtbot.keyClick(editor, Qt.Key.Key_F8)  # slower, while typing
    assert opened.player.rate() == 0.75
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(table.hasFocus)  # the delegate commits on the next turn of the event loop
    after = project.transcription.draft(NAME)
    assert after is not None
    corrected = after.segments[1]
    assert corrected.text == "I have been a justice social worker for six years."
    assert corrected.edited
    assert (corrected.start_ms, corrected.end_ms) == (before.segments[1].start_ms, before.segments[1].end_ms)
    assert after.segments[2] == before.segments[2]
    # Escape drops what was typed.
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, " not kept")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(table.hasFocus)
    again = project.transcription.draft(NAME)
    assert again is not None and again.segments[2] == before.segments[2]
    # An empty correction is refused in a line, and the text stays.
    qtbot.keyClick(table, Qt.Key.Key_Return)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(table.hasFocus)
    assert opened.message.text().startswith("A segment needs some text")
    kept = project.transcription.draft(NAME)
    assert kept is not None and kept.segments[2] == before.segments[2]


@on("transcribed")
def test_playing_keys(qtbot: QtBot, window: MainWindow) -> None:
    opened = _recording_window(qtbot, window)
    table = opened.table
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Space)  # the current segment plays
    segment = opened.model.segments[1]
    qtbot.waitUntil(opened.player.is_playing, timeout=5000)
    qtbot.waitUntil(lambda: opened.player.position() > segment.start_ms + 300, timeout=5000)
    assert opened.model.playing == 1
    qtbot.keyClick(table, Qt.Key.Key_F9)  # pause
    qtbot.waitUntil(lambda: not opened.player.is_playing(), timeout=5000)
    qtbot.keyClick(table, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)  # as in the main window
    qtbot.waitUntil(opened.player.is_playing, timeout=5000)
    qtbot.keyClick(table, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: not opened.player.is_playing(), timeout=5000)
    at = opened.player.position()
    qtbot.keyClick(table, Qt.Key.Key_F7)  # back 3 s
    qtbot.waitUntil(lambda: abs(opened.player.position() - max(0, at - 3000)) < 150, timeout=5000)
    # A row's ▶ (the shortest segment's) plays it, and it stops at its end by itself.
    row = min(
        range(len(opened.model.segments)),
        key=lambda r: opened.model.segments[r].end_ms - opened.model.segments[r].start_ms,
    )
    last = opened.model.segments[row]
    point = table.visualRect(opened.model.index(row, 0)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: opened.player.is_playing() and opened.model.playing == row, timeout=5000)
    assert opened.model.data(opened.model.index(row, 0)) == "■"
    qtbot.waitUntil(lambda: not opened.player.is_playing(), timeout=(last.end_ms - last.start_ms) + 3000)
    assert abs(opened.player.position() - last.end_ms) < 150
    assert opened.model.data(opened.model.index(row, 0)) == "▶"


# -- finishing ---------------------------------------------------------------------------------------


@on("transcribed")
def test_finish_makes_a_transcript_with_speaker_turns_and_opens_it(qtbot: QtBot, window: MainWindow) -> None:
    assert window.workbench is not None
    project = window.workbench.project
    opened = _recording_window(qtbot, window)
    table = opened.table
    # Unlabelled segments hold it back, said in a line.
    qtbot.mouseClick(opened.finish_button, Qt.MouseButton.LeftButton)
    assert opened.message.text() == "8 segment(s) have no speaker yet: give each one (1–9) before finishing."
    for _ in range(4):
        qtbot.keyClick(table, Qt.Key.Key_1)
        qtbot.keyClick(table, Qt.Key.Key_2)
    asked: list[str] = []

    def confirm(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        _shot(box, "4-finish.png")
        asked.append(box.text())
        box.activateWindow()
        qtbot.waitUntil(box.isActiveWindow)
        qtbot.keyClick(box, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)  # &Finish

    drive.when_shown(QMessageBox, confirm)
    qtbot.mouseClick(opened.finish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(asked))
    assert (
        "The text will then be fixed: codings point into it. You can still listen to it, but not correct it here."
        in asked[0]
    )
    qtbot.waitUntil(lambda: not window.recordings.windows)
    assert project.transcription.draft(NAME) is None
    made = project.transcription.transcripts_of(NAME)
    assert len(made) == 1
    current = window.workbench.current
    assert current is not None and current.uuid == made[0]
    shown = window.workbench.view.text_edit.toPlainText()
    paragraphs = shown.split("\n\n")
    assert len(paragraphs) == 8
    assert [p.split(": ", 1)[0] for p in paragraphs] == ["Interviewer", "Participant"] * 4
    assert _row_text(window) == f"{NAME} — transcript “{NAME}”"
    assert len(project.transcription.timeline(made[0])) == 8
    _shot(window, "5-finished.png")


def test_cancel_during_the_last_window_leaves_it_ready_to_correct(
    imported: Project, qapp: QApplication
) -> None:
    """Cancel pressed while the last window is being transcribed: the whole recording was transcribed
    all the same, so the draft is ready to correct (the list said "stopped at 0:40 of 0:40", and Resume
    had nothing left to do)."""
    from jswcoder.ui.audio_source import decode_pcm, recording_buffer

    imported.transcription.start(NAME, model="draft")
    pressed: list[int] = []

    def progress(done: int, total: int, label: str) -> None:
        if label.startswith("Transcribed") and total - done <= 10:
            pressed.append(done)  # Cancel was pressed while the last window was being transcribed

    draft = imported.transcription.run(
        NAME, decode_pcm(recording_buffer(imported, NAME)), progress=progress, cancelled=lambda: bool(pressed)
    )
    assert len(pressed) == 1
    assert draft.state.reached_ms >= 40_000
    assert draft.finished_transcribing


@on("transcribed")
def test_locking_closes_the_window_with_its_text_and_audio(qtbot: QtBot, window: MainWindow) -> None:
    opened = _recording_window(qtbot, window)
    assert opened.player.loaded_uuid is not None and opened.model.rowCount() == 8
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.workbench is None  # locked
    assert not window.recordings.windows and not opened.isVisible()
    assert opened.player.loaded_uuid is None
    assert opened.model.rowCount() == 0


@on("transcribed")
def test_the_segments_model_passes_qt_s_model_checks(qtbot: QtBot, window: MainWindow, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    opened = _recording_window(qtbot, window)
    qtmodeltester.check(opened.model)
    qtbot.keyClick(opened.table, Qt.Key.Key_1)  # rows repaint in place as speakers change
    qtmodeltester.check(opened.model)


@on("transcribed")
def test_ctrl_z_takes_back_speakers_and_corrections(qtbot: QtBot, window: MainWindow) -> None:
    assert window.workbench is not None
    project = window.workbench.project
    before = project.transcription.draft(NAME)
    assert before is not None
    opened = _recording_window(qtbot, window)
    table = opened.table
    qtbot.keyClick(table, Qt.Key.Key_1)
    qtbot.keyClick(table, Qt.Key.Key_2)
    qtbot.keyClick(table, Qt.Key.Key_Up)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClick(editor, Qt.Key.Key_End)
    qtbot.keyClicks(editor, " Right.")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(table.hasFocus)
    corrected = project.transcription.draft(NAME)
    assert corrected is not None and corrected.segments[1].text.endswith("court reports. Right.")
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the correction
    undone = project.transcription.draft(NAME)
    assert undone is not None and undone.segments[1].text == before.segments[1].text
    assert opened.message.text() == "Undone: correction."
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # speaker 2
    assert _speakers(project)[:2] == [1, None]
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # speaker 1
    assert _speakers(project)[:2] == [None, None]
    assert table.currentIndex().row() == 0
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert opened.message.text() == "Nothing to undo in this window."


@on("transcribed")
def test_speaker_names_are_edited_in_place(qtbot: QtBot, window: MainWindow) -> None:
    assert window.workbench is not None
    project = window.workbench.project
    opened = _recording_window(qtbot, window)
    qtbot.keyClick(opened.table, Qt.Key.Key_2)  # segment 1 is the participant's
    second = opened.name_edits[1]
    second.setFocus()
    second.selectAll()
    qtbot.keyClicks(second, "Client 7")
    qtbot.keyClick(second, Qt.Key.Key_Return)
    draft = project.transcription.draft(NAME)
    assert draft is not None and draft.state.speakers == ("Interviewer", "Client 7")
    assert opened.model.data(opened.model.index(0, 2)) == "Client 7"
    # The same name twice is refused in a line, and the name shown goes back.
    second.selectAll()
    qtbot.keyClicks(second, "interviewer")
    qtbot.keyClick(second, Qt.Key.Key_Return)
    assert opened.message.text() == "Two speakers have the same name."
    assert second.text() == "Client 7"
    draft = project.transcription.draft(NAME)
    assert draft is not None and draft.state.speakers == ("Interviewer", "Client 7")


@on("imported")
def test_import_from_the_transcripts_list_s_menu(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A right click on the empty part of the list (or on Recordings) offers Import recording…"""
    assert window.workbench is not None
    second = tmp_path / "second.wav"
    interview_wav(second, script=SCRIPT[:2])
    monkeypatch.setattr(RecordingActions, "ask_files", classmethod(lambda cls, parent: [second]))
    panel = window.workbench.transcripts
    viewport = panel.view.viewport()
    point = viewport.rect().center()
    assert not panel.view.indexAt(point).isValid()
    drive.when_popup(lambda menu: qtbot.keyClick(menu, Qt.Key.Key_I))  # &Import recording…
    QApplication.sendEvent(  # what a right click sends
        viewport, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, viewport.mapToGlobal(point))
    )
    qtbot.waitUntil(lambda: len(window.workbench.project.recordings.all()) == 2, timeout=20_000)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: window.jobs.running is None)
    assert panel.model.item(0, 0).text() == "Recordings — 2"
    assert panel.view.currentIndex().data() == "second — not transcribed"


@on("long")
def test_a_transcription_the_lock_stopped_goes_on_after_the_unlock(qtbot: QtBot, window: MainWindow) -> None:
    stopped_at: list[int] = []

    def lock_after_first_window(done: int, _total: int, label: str) -> None:
        if label.startswith("Transcribed") and window.workbench is not None:
            window.activateWindow()
            qtbot.waitUntil(window.isActiveWindow)  # the dialog has just gone
            qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
            stopped_at.append(done)

    window.jobs.progressed.connect(lock_after_first_window)
    _transcribe_with_dialog(qtbot, window)
    qtbot.waitUntil(lambda: window.workbench is None)
    window.jobs.progressed.disconnect(lock_after_first_window)
    qtbot.waitUntil(lambda: window.jobs.running is None, timeout=90_000)  # stopped after its window
    assert len(stopped_at) == 1 and stopped_at[0] < 40_000  # locked after the first of three windows
    assert window.lock_screen is not None
    qtbot.waitUntil(window.lock_screen.unlock_button.isVisible)
    if window.lock_screen.passphrase.isVisible():  # the keychain may hold the key (this test's own)
        qtbot.keyClicks(window.lock_screen.passphrase, PASSPHRASE)
    qtbot.mouseClick(window.lock_screen.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.workbench is not None)
    assert window.jobs.running is not None and window.jobs.running.title == "Transcribing"
    qtbot.waitUntil(lambda: window.jobs.running is None, timeout=90_000)
    assert window.workbench is not None
    draft = window.workbench.project.transcription.draft(NAME)
    assert draft is not None and draft.finished_transcribing
    starts = [segment.start_ms for segment in draft.segments]
    assert starts == sorted(set(starts))
    assert _row_text(window) == f"{NAME} — ready to correct"


@on("transcribed")
def test_a_row_grows_with_its_corrected_text(qtbot: QtBot, window: MainWindow) -> None:
    opened = _recording_window(qtbot, window)
    table = opened.table
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Down)  # "What does a good week look like for you?": one line
    qtbot.waitUntil(lambda: not opened._fit_timer.isActive())  # the rows measured at the window's width
    height = table.rowHeight(2)
    assert height == table.rowHeight(4)  # one line, as "And what gets in the way of that?"
    qtbot.keyClick(table, Qt.Key.Key_Return)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClick(editor, Qt.Key.Key_End)
    qtbot.keyClicks(editor, " And a bad one, when the caseload is high and the reports are due." * 3)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(table.hasFocus)
    qtbot.waitUntil(lambda: table.rowHeight(2) > height)  # the whole correction shows, wrapped
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: table.rowHeight(2) == height)


@on("imported")
def test_the_dialog_says_why_it_did_not_start_and_keeps_what_was_typed(
    qtbot: QtBot, window: MainWindow
) -> None:
    seen: list[tuple[str, bool]] = []

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, TranscribeDialog)
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        dialog.model_combo.setFocus()
        qtbot.keyClick(dialog.model_combo, Qt.Key.Key_Down)  # the draft model
        second = dialog.name_edits[1]
        second.setFocus()
        second.selectAll()
        qtbot.keyClicks(second, "interviewer")
        qtbot.keyClick(second, Qt.Key.Key_Return)
        seen.append((dialog.problem.text(), dialog.isVisible()))
        if dialog.problem.isHidden():
            dialog.reject()  # it started after all: stop here so that the test fails, not hangs
            return
        _shot(dialog, "1b-dialog-refused.png")
        assert second.text() == "interviewer" and dialog.model_combo.currentData() == "draft"
        second.selectAll()
        qtbot.keyClicks(second, "Client 7")
        qtbot.keyClick(second, Qt.Key.Key_Return)
        seen.append((dialog.problem.text(), dialog.isVisible()))

    drive.when_shown(TranscribeDialog, answer)
    _enter_on_recording(qtbot, window)
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=10_000)
    assert seen[0] == ("Two speakers have the same name.", True)
    assert seen[1][1] is False
    assert window.jobs.running is not None
    qtbot.mouseClick(window.busy_bar.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.jobs.running is None, timeout=90_000)
    assert window.workbench is not None
    draft = window.workbench.project.transcription.draft(NAME)
    assert draft is not None and draft.state.speakers == ("Interviewer", "Client 7")
