"""Transcribe a recording: which model, which language, how many speakers and their names.

A small dialog, all keyboard: the model, the language (English unless changed), the number of
speakers (1 to 9) and their names (Interviewer, Participant, ...), which become the turns' names when
the transcript is finished. A model that is not installed here is shown, greyed, with what to install.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Collection
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from jswcoder.clock import clock
from jswcoder.services.transcription import DEFAULT_SPEAKERS, MAX_SPEAKERS

MODELS = (("base", "Accurate (Whisper base)"), ("draft", "Draft, faster (English only)"))
# Seconds of work a second of audio, measured on a 2-core laptop (issue 19): for the time it will take.
REAL_TIME_FACTOR = {"base": 0.10, "draft": 0.065}
LANGUAGES = (
    ("en", "English"),
    ("pl", "Polish"),
    ("ur", "Urdu"),
    ("pa", "Punjabi"),
    ("ar", "Arabic"),
    ("ro", "Romanian"),
    ("zh", "Chinese"),
    ("fr", "French"),
    ("es", "Spanish"),
    ("de", "German"),
    ("it", "Italian"),
    ("pt", "Portuguese"),
    ("cy", "Welsh"),
)


def default_names() -> list[str]:
    return [*DEFAULT_SPEAKERS, *(f"Speaker {n}" for n in range(len(DEFAULT_SPEAKERS) + 1, MAX_SPEAKERS + 1))]


@dataclass(frozen=True, slots=True)
class TranscribeChoice:
    model: str
    language: str
    speakers: tuple[str, ...]


class TranscribeDialog(QDialog):
    def __init__(
        self,
        name: str,
        duration_ms: int | None,
        available: Collection[str],
        start: Callable[[TranscribeChoice], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._start = start  # starts the draft; a refusal's line, or None
        self.setWindowTitle("Transcribe a recording")
        self._duration_ms = duration_ms
        heading = QLabel(
            f"<b>{html.escape(name)}</b>" + (f", {clock(duration_ms)}" if duration_ms else "") + "<br>"
            "Transcribed on this computer: nothing is sent anywhere. It runs in the background, so you can "
            "go on working; Cancel in the bar at the top right stops it, and it can resume later.",
            self,
        )
        heading.setWordWrap(True)
        self.model_combo = QComboBox(self)
        self.model_combo.setAccessibleName("Speech model")
        for key, label in MODELS:
            self.model_combo.addItem(label if key in available else f"{label} — not installed", key)
            if key not in available:
                item = self.model_combo.model().item(self.model_combo.count() - 1)  # type: ignore[attr-defined]
                item.setEnabled(False)
        first = next((i for i, (key, _) in enumerate(MODELS) if key in available), 0)
        self.model_combo.setCurrentIndex(first)
        self.language_combo = QComboBox(self)
        self.language_combo.setAccessibleName("Language spoken")
        for code, label in LANGUAGES:
            self.language_combo.addItem(label, code)
        self.speakers_spin = QSpinBox(self)
        self.speakers_spin.setAccessibleName("Number of speakers")
        self.speakers_spin.setRange(1, MAX_SPEAKERS)
        self.speakers_spin.setValue(len(DEFAULT_SPEAKERS))
        self.name_edits: list[QLineEdit] = []
        self.estimate = QLabel(self)
        self.estimate.setStyleSheet("color: #4a5a6a;")
        self.problem = QLabel(self)
        self.problem.setAccessibleName("Why it did not start")
        self.problem.setStyleSheet("color: #7a3b00;")
        self.problem.setWordWrap(True)
        self.problem.hide()
        form = QFormLayout()
        form.addRow("&Model:", self.model_combo)
        form.addRow("&Language:", self.language_combo)
        form.addRow("&Speakers:", self.speakers_spin)
        self._form = form
        for number, default in enumerate(default_names(), start=1):
            edit = QLineEdit(default, self)
            edit.setAccessibleName(f"Name of speaker {number}")
            edit.setMaxLength(40)
            self.name_edits.append(edit)
            form.addRow(f"Speaker &{number}:", edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.start_button = buttons.addButton("&Transcribe", QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.estimate)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.model_combo.currentIndexChanged.connect(self._model_changed)
        self.speakers_spin.valueChanged.connect(self._show_names)
        self._model_changed()
        self._show_names()
        self.start_button.setEnabled(bool(available))
        self.setMinimumWidth(460)

    def _model_changed(self) -> None:
        model = str(self.model_combo.currentData())
        english_only = model == "draft"
        if english_only:
            self.language_combo.setCurrentIndex(0)
        self.language_combo.setEnabled(not english_only)
        if self._duration_ms:
            minutes = round(self._duration_ms * REAL_TIME_FACTOR[model] / 60_000)
            self.estimate.setText(
                f"About {minutes} min on a laptop like this one." if minutes else "Less than a minute."
            )

    def _show_names(self) -> None:
        count = self.speakers_spin.value()
        for number, edit in enumerate(self.name_edits, start=1):
            self._form.setRowVisible(edit, number <= count)

    def choice(self) -> TranscribeChoice:
        count = self.speakers_spin.value()
        return TranscribeChoice(
            str(self.model_combo.currentData()),
            str(self.language_combo.currentData()),
            tuple(edit.text() for edit in self.name_edits[:count]),
        )

    def accept(self) -> None:
        """Start, or say in the dialog why not (the choices stay as typed)."""
        refused = self._start(self.choice())
        if refused is not None:
            self.problem.setText(refused)
            self.problem.show()
            return
        super().accept()

    @classmethod
    def ask(
        cls,
        parent: QWidget,
        name: str,
        duration_ms: int | None,
        available: Collection[str],
        start: Callable[[TranscribeChoice], str | None],
    ) -> bool:
        """Whether a transcription was started (by *start*, with the choices made). Tests drive it."""
        return cls(name, duration_ms, available, start, parent).exec() == QDialog.DialogCode.Accepted
