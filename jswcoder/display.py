"""Whether Qt has a screen to draw on here (Qt-free, so headless commands can ask cheaply)."""

from __future__ import annotations

import os
import sys


def display_available() -> bool:
    """False on a Linux machine with no screen to open a window on (and no Qt platform chosen)."""
    if not sys.platform.startswith("linux"):
        return True
    return any(os.environ.get(name) for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"))
