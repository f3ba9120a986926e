"""Team › What packages include…: the details a fieldworker's packages carry beyond the attribution.

By default a package says only whose a passage is ("Client interview 7", "Survey respondent 17"). Each
detail ticked here (an interview's format, mode or council area; a case's own attribute, such as a
survey's closed answer "What is your role?") goes in every package from then on, and only through the
indirect-identification check: a combination that fits fewer than k participants stops the sync until it
is reviewed. Nothing is ticked unless the user ticks it. The choice itself is the core's
(:func:`jswcoder.team.package_writer.choose_package_attributes`); this is its thin window.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from jswcoder.team.package_writer import OPTIONAL_ATTRIBUTES

TITLE = "What packages include"
_DETAIL_NAMES = {"format": "Interview format", "mode": "Interview mode", "council_area": "Council area"}


class PackageAttributesDialog(QDialog):
    """One box per detail a package may carry; the ticked ones are :meth:`chosen`."""

    def __init__(self, names: Sequence[str], ticked: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        intro = QLabel(
            "Packages say only whose each passage is, such as “Survey respondent 17”. "
            "Tick a detail to send it too, in every package from now on. Each is checked first: "
            "a combination of details shared by too few participants stops the sync until you review it.",
            self,
        )
        intro.setWordWrap(True)
        boxes = QWidget(self)
        column = QVBoxLayout(boxes)
        self.boxes: dict[str, QCheckBox] = {}
        own = [name for name in names if name not in OPTIONAL_ATTRIBUTES]
        for heading, group in (
            ("Interviews", [name for name in names if name in OPTIONAL_ATTRIBUTES]),
            ("Cases’ own attributes (a survey’s closed answers)", own),
        ):
            if not group:
                continue
            title = QLabel(f"<b>{heading}</b>", boxes)
            column.addWidget(title)
            for name in group:
                box = QCheckBox(_DETAIL_NAMES.get(name, name), boxes)
                box.setChecked(name in ticked)
                column.addWidget(box)
                self.boxes[name] = box
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidget(boxes)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(460, 360)

    def chosen(self) -> list[str]:
        return [name for name, box in self.boxes.items() if box.isChecked()]

    @classmethod
    def ask(cls, parent: QWidget | None, names: Sequence[str], ticked: Sequence[str]) -> list[str] | None:
        """The details ticked, or None when cancelled (modal). Tests replace this."""
        dialog = cls(names, ticked, parent)
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
