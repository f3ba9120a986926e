"""Render resources/icons/jswcoder.svg to the PNG sizes desktops ask for, into jswcoder/resources/icons
(run after changing the SVG).

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icons.py``. The PNGs are committed, so
building a package needs no renderer; the Windows .ico and macOS .icns are made from the 256 px PNG
by PyInstaller (with Pillow) on those machines.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "jswcoder.svg"  # the source, not read at run time
ICONS = ROOT / "jswcoder" / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def main() -> None:
    app = QGuiApplication([])
    renderer = QSvgRenderer(str(SVG))
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        image.save(str(ICONS / f"jswcoder-{size}.png"))
    del app


if __name__ == "__main__":
    main()
