"""Files the program reads at run time: codebook templates, the demo's interviews, the place
gazetteer, the app's icons and the REFI-QDA schemas.

They live inside the package, so an installed wheel, an editable install and the PyInstaller bundle
all find them the same way, through :mod:`importlib.resources`, and never through a path relative
to a source checkout. ``tests/test_resources.py`` checks that a built wheel carries every one.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from jswcoder.errors import JswError

CODEBOOKS = "codebooks"  # codebook templates offered for a new project (templates.py)
DEMO = "demo"  # the demo's invented interviews, codings and analysis (demo.py)
GAZETTEER = "gazetteer"  # places and the stop list of the identifier detector (anonymise/gazetteer.py)
ICONS = "icons"  # the app's icon at the sizes desktops ask for (ui/app.py)
REFI_QDA = "refi-qda"  # the REFI-QDA standard's schemas (refiqda/namespaces.py)
FOLDERS = (CODEBOOKS, DEMO, GAZETTEER, ICONS, REFI_QDA)


def resource(folder: str, *names: str) -> Path:
    """A bundled folder (one of :data:`FOLDERS`) or a file inside it, as a path on disk.

    Every way jswcoder is installed unpacks the package onto the disk (pip, the bundle), and the
    demo imports its interviews by path, so a path is what callers get.
    """
    if folder not in FOLDERS:
        raise ValueError(f"unknown resource folder {folder!r}")
    root = files(__name__)
    if not isinstance(root, Path):  # e.g. imported from a zip archive, which no installer makes
        raise JswError("jswcoder's resources are not on disk; reinstall jswcoder from its wheel or installer")
    return root.joinpath(folder, *names)
