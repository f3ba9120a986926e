"""Recordings in the app (issue 19): import one, transcribe it in the background, then label and correct it.

The steps, each where it belongs (see :mod:`jswcoder.ui.workers`):

1. **Import** (File › Import recording…): on the worker's own connection the file goes into the
   encrypted project (:meth:`~jswcoder.services.recordings.Recordings.import_file`) and is decoded once
   from memory (:func:`~jswcoder.ui.audio_source.check_decodable`), which notes its length. A file that
   is not audio, or cannot be decoded, is refused in one line and nothing of it is kept.
2. **Transcribe**: the dialog (:class:`~jswcoder.ui.transcribe_dialog.TranscribeDialog`) starts a draft,
   then a job decodes the recording in the worker (Qt's decoder runs its own event loop there) and
   transcribes it window by window (:meth:`~jswcoder.services.transcription.Transcription.run`) on the
   worker's connection. The status bar says how far it has got and about how long is left; Cancel (in
   the bar at the top right) stops after the current 30-second window. The window stays usable and
   coding goes on meanwhile: each window is stored in a transaction of a few milliseconds, so the job
   does not make the window read-only as a sync does. A draft that was stopped offers Resume or Discard;
   one that the idle lock stopped (the key goes, so the job must) goes on by itself after the unlock.
3. **Label and correct** in :class:`~jswcoder.ui.recording_window.RecordingWindow`, then finish: the
   transcript opens in the workbench.

Enter on a recording in the transcripts list does its next step. Text and audio never pass through a
message or a log: the progress says times, and a refusal names the file.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from jswcoder.clock import clock
from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.speech import models
from jswcoder.ui import workers

if TYPE_CHECKING:
    from jswcoder.ui.recording_window import RecordingWindow
    from jswcoder.ui.transcripts_panel import TranscriptsPanel

TITLE = "Recordings"
FILTER = "Recordings (*.wav *.mp3 *.m4a *.mp4 *.ogg *.opus);;All files (*)"


@dataclass(frozen=True, slots=True)
class Imported:
    """What the import job hands back: the recordings kept (name, uuid, length) and the refusals."""

    kept: tuple[tuple[str, str, int], ...]
    refused: tuple[str, ...]


def import_body(paths: list[Path]) -> Callable[[Project, workers.Progress, workers.Cancelled], Imported]:
    """Worker body: each file into the project, then decoded once; a refusal keeps nothing of it."""
    from jswcoder.ui.audio_source import check_decodable  # noqa: PLC0415 (Qt Multimedia, when used)

    def body(own: Project, progress: workers.Progress, cancelled: workers.Cancelled) -> Imported:
        kept: list[tuple[str, str, int]] = []
        refused: list[str] = []
        for done, path in enumerate(paths):
            if cancelled():
                break
            progress(done, len(paths), path.name)
            try:
                recording = own.recordings.import_file(path)
            except JswError as error:
                refused.append(str(error))
                continue
            try:
                duration = check_decodable(own, recording.uuid)
            except JswError as error:
                own.recordings.delete(recording.uuid)
                refused.append(f"{path.name}: {str(error).split(': ', 1)[-1]}")
                continue
            kept.append((recording.name, recording.uuid, duration))
        own.transcription.link_namesakes()  # a transcript with time stamps imported beside it
        return Imported(tuple(kept), tuple(refused))

    return body


def transcribe_body(recording_uuid: str) -> Callable[[Project, workers.Progress, workers.Cancelled], str]:
    """Worker body: decode the recording in memory, then transcribe (or go on transcribing) it.

    Returns the draft's state: "correcting" when done, "transcribing" when stopped by Cancel."""
    from jswcoder.ui.audio_source import decode_pcm, recording_buffer  # noqa: PLC0415

    def body(own: Project, progress: workers.Progress, cancelled: workers.Cancelled) -> str:
        buffer = recording_buffer(own, recording_uuid)
        try:
            pcm = decode_pcm(
                buffer, progress=lambda done, total: progress(done, total, "decoding"), cancelled=cancelled
            )
        except JswError:
            if cancelled():
                return "transcribing"
            raise
        finally:
            buffer.close()
        if cancelled():
            return "transcribing"
        return own.transcription.run(recording_uuid, pcm, progress=progress, cancelled=cancelled).state.state

    return body


class _Pace:
    """Time left, from the rate so far: counted from when the model starts loading, so the first
    estimate comes with the first window."""

    def __init__(self) -> None:
        self._from: tuple[float, int] | None = None

    def start(self, done_ms: int) -> None:
        self._from = (time.monotonic(), done_ms)

    def left(self, done_ms: int, total_ms: int) -> str:
        if total_ms - done_ms < 1000:
            return "nearly done"
        if self._from is None:
            self.start(done_ms)
        since, from_ms = self._from or (0.0, 0)
        elapsed = time.monotonic() - since
        if done_ms <= from_ms or elapsed <= 0:
            return "working out the time left"
        seconds = (total_ms - done_ms) / ((done_ms - from_ms) / elapsed) / 1000
        if seconds < 60:
            return "less than a minute left"
        return f"about {round(seconds / 60)} min left"


class RecordingActions:
    """The recording steps for the window. *panel* gives the transcripts list (None while locked)."""

    def __init__(
        self,
        parent: QWidget,
        project: Callable[[], Project | None],
        jobs: workers.Jobs,
        panel: Callable[[], TranscriptsPanel | None],
        say: Callable[[str], None],
        job_label: Callable[[str], None],
        open_transcript: Callable[[str], None],
        when_open: Callable[[Callable[[], None]], None] = lambda show: show(),
    ) -> None:
        self._parent = parent
        self._project = project
        self._jobs = jobs
        self._panel = panel
        self._say = say
        self._job_label = job_label  # what the bar at the top right says of the running job
        self._open_transcript = open_transcript
        self._when_open = when_open
        self.windows: dict[str, RecordingWindow] = {}  # recording uuid -> its open window
        self.transcribing: str | None = None  # the recording whose job runs

    # -- dialogs (tests replace these) ---------------------------------------------------------------

    @classmethod
    def ask_files(cls, parent: QWidget) -> list[Path]:
        names, _ = QFileDialog.getOpenFileNames(parent, "Import recording", "", FILTER)
        return [Path(name) for name in names]

    @classmethod
    def tell(cls, parent: QWidget, text: str) -> None:
        QMessageBox.information(parent, TITLE, text)

    @classmethod
    def ask_resume(cls, parent: QWidget, name: str, said: str) -> str | None:
        """ "resume", "discard", or None to leave it as it is."""
        box = QMessageBox(parent)
        box.setWindowTitle("Transcribe a recording")
        box.setIcon(QMessageBox.Icon.Question)
        box.setText(f"The transcription of “{name}” {said}.")
        box.setInformativeText("Resume goes on from there. Discard throws away what was transcribed.")
        resume = box.addButton("&Resume", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("&Discard", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(resume)
        box.exec()
        clicked = box.clickedButton()
        return "resume" if clicked is resume else "discard" if clicked is discard else None

    # -- import --------------------------------------------------------------------------------------

    def import_recording(self, paths: list[Path] | None = None) -> None:
        project = self._project()
        if project is None or self._busy():
            return
        paths = paths if paths else self.ask_files(self._parent)
        if not paths:
            return

        def done(imported: Imported) -> None:
            self._when_open(lambda: self._imported(imported))

        self._jobs.start(
            "Importing a recording",
            workers.on_project(project, import_body(paths)),
            writes=True,
            cancellable=len(paths) > 1,
            on_done=done,
            on_error=self._bug,
        )

    def _imported(self, imported: Imported) -> None:
        self._reload()
        if imported.kept:
            name, uuid, duration = imported.kept[-1]
            panel = self._panel()
            if panel is not None:
                panel.select_recording(uuid)
                panel.view.setFocus()
            self._say(f"Imported “{name}” ({clock(duration)}). Press Enter on it to transcribe it.")
        if imported.refused:
            self.tell(self._parent, "Not imported:\n" + "\n".join(imported.refused))

    # -- the next step -------------------------------------------------------------------------------

    def next_step(self, recording_uuid: str) -> None:
        """What Enter on a recording does: transcribe, resume, correct, or open its transcript."""
        project = self._project()
        if project is None:
            return
        if recording_uuid in self.windows:
            window = self.windows[recording_uuid]
            window.showNormal()
            window.raise_()
            window.activateWindow()
            return
        if self.transcribing == recording_uuid:
            self._say("This recording is being transcribed: Cancel is at the top right.")
            return
        draft = project.transcription.draft(recording_uuid)
        if draft is not None and draft.finished_transcribing:
            self.open_window(recording_uuid)
        elif draft is not None:
            total = draft.recording.duration_ms
            said = f"stopped at {clock(draft.state.reached_ms)}" + (f" of {clock(total)}" if total else "")
            answer = self.ask_resume(self._parent, draft.recording.name, said)
            if answer == "resume":
                self._transcribe(recording_uuid)
            elif answer == "discard":
                project.transcription.discard(recording_uuid)
                self._reload()
                self._say(f"The transcription of “{draft.recording.name}” was discarded.")
        else:
            made = project.transcription.transcripts_of(recording_uuid)
            if made:
                self._open_transcript(made[0])
            else:
                self.transcribe(recording_uuid)

    def transcribe(self, recording_uuid: str) -> None:
        """Ask how (the dialog), start the draft, and transcribe it in the background."""
        from jswcoder.ui.transcribe_dialog import TranscribeChoice, TranscribeDialog  # noqa: PLC0415

        project = self._project()
        if project is None or self._busy():
            return
        available = [name for name in models.MODELS if not models.missing(name)]
        if not available:
            try:
                models.check_available("base")
            except models.TranscriptionUnavailable as absent:
                self.tell(self._parent, f"Transcription is not available: {absent}.")
            return
        recording = project.recordings.find(recording_uuid)

        def start(choice: TranscribeChoice) -> str | None:
            """Start the draft; a refusal (two speakers of the same name) is said in the dialog."""
            try:
                project.transcription.start(
                    recording_uuid, model=choice.model, language=choice.language, speakers=choice.speakers
                )
            except JswError as error:
                return f"{str(error)[:1].upper()}{str(error)[1:]}."
            return None

        if not TranscribeDialog.ask(self._parent, recording.name, recording.duration_ms, available, start):
            return
        self._transcribe(recording_uuid)

    def _transcribe(self, recording_uuid: str) -> None:
        project = self._project()
        if project is None or self._busy():
            return
        recording = project.recordings.find(recording_uuid)
        name, pace = recording.name, _Pace()

        def progressed(done: int, total: int, label: str) -> None:
            reached = f"{clock(done)} of {clock(total)}"
            if label == "decoding":
                said, row = "reading the recording", "transcribing"
            elif label.startswith("Loading"):
                pace.start(done)
                said, row = "loading the speech model", f"transcribing from {clock(done)}"
            else:
                said, row = f"{reached}, {pace.left(done, total)}", f"transcribing {reached}"
            self._say(f"Transcribing “{name}”: {said}…")
            self._job_label(f"Transcribing: {reached}…" if label.startswith("Transcribed") else f"{said}…")
            panel = self._panel()
            if panel is not None:
                panel.set_recording_state(recording_uuid, name, row)

        def ended() -> None:
            self.transcribing = None
            panel = self._panel()
            if panel is not None:
                panel.set_recording_state(recording_uuid, name, None)

        def done(state: str) -> None:
            ended()
            # Locked meanwhile (the project is closed, or opened afresh since): the lock stopped it, not
            # Cancel, so it goes on after the unlock.
            locked = self._project() is not project
            self._when_open(lambda: self._transcribed(recording_uuid, name, state, go_on=locked))

        def failed(error: BaseException) -> None:
            ended()

            def say() -> None:
                self._reload()
                self._bug(error)

            self._when_open(say)

        job = self._jobs.start(
            "Transcribing",
            workers.on_project(project, transcribe_body(recording_uuid)),
            writes=False,
            cancellable=True,
            on_done=done,
            on_error=failed,
        )
        if job is not None:
            self.transcribing = recording_uuid
            job.task.signals.progress.connect(progressed)
            progressed(0, recording.duration_ms or 0, "decoding")

    def _transcribed(self, recording_uuid: str, name: str, state: str, *, go_on: bool = False) -> None:
        self._reload()
        if state != "correcting" and go_on and self._jobs.running is None:
            self._transcribe(recording_uuid)
            return
        if state == "correcting":
            self._say(f"“{name}” is transcribed. Press Enter on it under Recordings to label the speakers.")
            panel = self._panel()
            if panel is not None:
                panel.select_recording(recording_uuid)
        else:
            self._say(f"The transcription of “{name}” stopped. Enter on it resumes or discards it.")

    # -- the window ----------------------------------------------------------------------------------

    def open_window(self, recording_uuid: str) -> RecordingWindow | None:
        from jswcoder.ui.recording_window import RecordingWindow  # noqa: PLC0415 (Qt Multimedia)

        project = self._project()
        if project is None:
            return None
        window = RecordingWindow(project, recording_uuid, self._jobs, self._finished, self._parent)
        window.closed.connect(lambda: self.windows.pop(recording_uuid, None))
        self.windows[recording_uuid] = window
        window.show()
        window.activateWindow()
        return window

    def _finished(self, transcript_uuid: str) -> None:
        self._reload()
        self._open_transcript(transcript_uuid)
        self._say("The transcript is ready to code. Its participant's details go in View › Cases…")

    def close_windows(self) -> None:
        """Before a lock or closing the project: the windows go, with their text and audio."""
        for window in list(self.windows.values()):
            window.close()
        self.windows.clear()

    # -- helpers -------------------------------------------------------------------------------------

    def _reload(self) -> None:
        panel = self._panel()
        if panel is not None:
            panel.reload()

    def _busy(self) -> bool:
        running = self._jobs.running
        if running is not None:
            self._say(f"{running.title} is still running: try again when it has finished.")
            return True
        return False

    def _bug(self, error: BaseException) -> None:
        if isinstance(error, JswError):
            self.tell(self._parent, f"{str(error)[:1].upper()}{str(error)[1:]}.")
        else:
            self.tell(self._parent, f"That stopped because of a bug ({type(error).__name__}).")
