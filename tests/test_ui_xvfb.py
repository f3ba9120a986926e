"""The demo in a real X window (Xvfb, the xcb platform): the screenshot shows a full, non-blank window."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.conftest import REPO

SCREENSHOT_COPY = os.environ.get("JSWCODER_SCREENSHOT")  # set it to keep the PNG for a look


@pytest.mark.skipif(
    shutil.which("Xvfb") is None, reason="Xvfb is not installed (apt-get install xvfb; .ci/run does)"
)
def test_demo_opens_in_a_real_x_window(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1400x900x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as display_number:
            display = f":{display_number.readline().strip()}"
        out = tmp_path / "demo.png"
        env = {
            **os.environ,
            "DISPLAY": display,
            "QT_QPA_PLATFORM": "xcb",
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_DATA_HOME": str(tmp_path / "data"),
            "XDG_RUNTIME_DIR": str(tmp_path / "runtime"),
        }
        (tmp_path / "runtime").mkdir(mode=0o700)
        done = subprocess.run(
            [sys.executable, str(REPO / "tests" / "xvfb_screenshot.py"), str(out), str(tmp_path)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        image = QImage(str(out))
        assert (image.width(), image.height()) == (1400, 900)
        colours = {image.pixel(x, y) for x in range(0, 1400, 7) for y in range(0, 900, 7)}
        assert len(colours) > 50  # text, highlights, panels: far from a blank screen
        if SCREENSHOT_COPY:
            shutil.copy(out, SCREENSHOT_COPY)
    finally:
        xvfb.terminate()
        xvfb.wait()
