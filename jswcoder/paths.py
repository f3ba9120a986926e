"""Where the user's things live: the data folder. Bundled files are in :mod:`jswcoder.resources`."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "jswcoder"


def data_dir() -> Path:
    """The user's data folder for jswcoder (created on demand), e.g. ``~/.local/share/jswcoder``."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, ensure_exists=True))
