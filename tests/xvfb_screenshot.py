"""Open the demo project in the real main window and save a screenshot of the whole X screen.

Run by tests/test_ui_xvfb.py under Xvfb with QT_QPA_PLATFORM=xcb: ``python tests/xvfb_screenshot.py OUT.png DIR``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import keyring
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from jswcoder import demo
from jswcoder.security.keyfile import KdfParams
from jswcoder.security.memory_keychain import MemoryKeychain
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.settings import Settings


def main() -> int:
    out, folder = Path(sys.argv[1]), Path(sys.argv[2])
    keyring.set_keyring(MemoryKeychain())
    app = QApplication(sys.argv[:1])
    project = demo.open_or_create(folder / "Demo study", kdf=KdfParams(1024, 1, 1))
    window = MainWindow(
        project, Settings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    )
    window.show()
    workbench = window.workbench
    assert workbench is not None
    codings = project.codings.of_transcript(workbench.current.uuid) if workbench.current else []
    if codings:
        workbench.view.select_range(codings[0].start, codings[0].end)
        workbench.themes.select_code(codings[0].code_uuid)

    waited = [0]

    def shoot() -> None:
        handle = window.windowHandle()
        if (handle is None or not handle.isExposed()) and waited[0] < 30_000:
            waited[0] += 100
            QTimer.singleShot(100, shoot)  # a loaded machine can take a while to map the window
            return
        window.repaint()
        app.processEvents()
        screen = app.primaryScreen()
        assert screen is not None
        screen.grabWindow(0).save(str(out))
        window.close()
        app.quit()

    QTimer.singleShot(800, shoot)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
