"""Where things live: bundled resources and the user's data folder."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

APP_NAME = "jswcoder"


def resources_dir() -> Path:
    """``resources/`` from a source checkout, or from inside a PyInstaller bundle."""
    bundled = getattr(sys, "_MEIPASS", None)
    if bundled is not None:
        return Path(bundled) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def data_dir() -> Path:
    """The user's data folder for jswcoder (created on demand), e.g. ``~/.local/share/jswcoder``."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, ensure_exists=True))
