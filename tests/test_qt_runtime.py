"""The Qt binding the app installs is sound on this Python.

PySide6 6.12 on Python 3.11 drops a reference to None on every Qt call that returns nothing, and a
session ends in "Fatal Python error: none_dealloc" after a few thousand calls. The probe runs in a
subprocess, because on a bad build it crashes the process it runs in.
"""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
before = sys.getrefcount(None)
for _ in range(2000):
    label.setText("x")
print(sys.getrefcount(None) - before)
"""


def test_void_qt_calls_keep_none_alive() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert abs(int(done.stdout.strip())) < 100  # a leaking build loses 2,000
