"""The "Recordings" entry of the transcripts list: each recording with where it stands.

A recording is "not transcribed", "transcribing 12:30 of 41:05" (while its job runs), "stopped at
12:30 of 41:05" (a transcription cancelled or cut short: choosing it offers Resume or Discard), "ready
to correct", or, once finished, the name of the transcript it became. Enter on it does the next step
(see :class:`jswcoder.ui.recording_actions.RecordingActions`).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem

from jswcoder.clock import clock
from jswcoder.project import Project

RECORDING_ROLE = Qt.ItemDataRole.UserRole + 6  # on a recording's row: its UUID
RECORDINGS_ROLE = Qt.ItemDataRole.UserRole + 7  # on the group's entry: True
SORT_ROLE = Qt.ItemDataRole.UserRole + 3  # the transcripts list's sort role


@dataclass(frozen=True, slots=True)
class RecordingEntry:
    uuid: str
    name: str
    state: str  # "new", "stopped", "correcting" or "finished"
    said: str  # where it stands, for people
    transcript_uuid: str | None = None


def recording_entries(project: Project) -> list[RecordingEntry]:
    """Each recording of the project and where it stands, by name."""
    entries = []
    for recording in project.recordings.all():
        draft = project.transcription.draft(recording.uuid)
        if draft is not None and draft.finished_transcribing:
            entries.append(RecordingEntry(recording.uuid, recording.name, "correcting", "ready to correct"))
        elif draft is not None:
            reached = draft.state.reached_ms
            total = recording.duration_ms
            said = f"stopped at {clock(reached)}" + (f" of {clock(total)}" if total else "")
            entries.append(RecordingEntry(recording.uuid, recording.name, "stopped", said))
        else:
            made = project.transcription.transcripts_of(recording.uuid)
            if made:
                name = project.transcripts.get(made[0]).name
                entries.append(
                    RecordingEntry(
                        recording.uuid, recording.name, "finished", f"transcript “{name}”", made[0]
                    )
                )
            else:
                entries.append(RecordingEntry(recording.uuid, recording.name, "new", "not transcribed"))
    return sorted(entries, key=lambda entry: entry.name.casefold())


def group_row(entries: list[RecordingEntry]) -> list[QStandardItem]:
    """The group's entry (spanning the columns) with a row under it for each recording."""
    title = QStandardItem(f"Recordings — {len(entries)}")
    title.setEditable(False)
    title.setData(True, RECORDINGS_ROLE)
    title.setData("", SORT_ROLE)  # first in the list, above the transcripts
    font = title.font()
    font.setBold(True)
    title.setFont(font)
    title.setToolTip("Interview recordings, kept encrypted in the project. Enter on one: its next step.")
    for entry in entries:
        item = QStandardItem()
        item.setEditable(False)
        item.setData(entry.uuid, RECORDING_ROLE)
        item.setData(entry.name.casefold(), SORT_ROLE)
        show_state(item, entry.name, entry.said)
        title.appendRow([item, _blank(), _blank()])
    return [title, _blank(), _blank()]


def show_state(item: QStandardItem, name: str, said: str) -> None:
    item.setText(f"{name} — {said}")
    item.setToolTip(f"{name}: {said}")


def _blank() -> QStandardItem:
    item = QStandardItem()
    item.setEditable(False)
    return item
