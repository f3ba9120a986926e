"""App settings, kept by ``QSettings`` in the platform's usual place (registry, plist or INI file).

Only harmless preferences live here: which project folders were opened recently, the idle-lock time,
view choices and the program the last REFI-QDA export was for. Transcript text, passphrases, recovery
keys and data keys are never stored, because this file is not encrypted and survives on the laptop
after every project is closed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSettings

ORGANISATION = "jswcoder"
APPLICATION = "jswcoder"
MAX_RECENT = 10
DEFAULT_IDLE_MINUTES = 10

_RECENT = "recent/projects"
_IDLE = "lock/idle_minutes"
_SNAP = "view/snap_to_words"
_ZOOM = "view/zoom"
_KEEP_SUGGESTING = "assist/keep_suggesting"
_QDPX_PROFILE = "export/qdpx_profile"


class Settings:
    """Typed access to the few values the app remembers between runs.

    Tests pass a ``QSettings`` on an INI file in a temp folder so the user's real settings are never read
    or changed.
    """

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store if store is not None else QSettings(ORGANISATION, APPLICATION)

    # -- recent projects ---------------------------------------------------------------------------

    def recent_projects(self) -> list[Path]:
        """Recently opened project folders, most recent first; folders that no longer exist are left out."""
        return [path for path in self._read_recent() if path.is_dir()]

    def add_recent(self, folder: Path | str) -> None:
        folder = Path(folder).absolute()
        others = [path for path in self._read_recent() if path != folder]
        self._write_recent([folder, *others][:MAX_RECENT])

    def remove_recent(self, folder: Path | str) -> None:
        folder = Path(folder).absolute()
        self._write_recent([path for path in self._read_recent() if path != folder])

    def _read_recent(self) -> list[Path]:
        raw = self._store.value(_RECENT, [])
        # An INI file hands back a single-entry list as a plain string, and an empty one as None.
        items = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list) else []
        return [Path(item) for item in items if isinstance(item, str) and item]

    def _write_recent(self, folders: Sequence[Path]) -> None:
        self._store.setValue(_RECENT, [str(path) for path in folders])
        self._store.sync()

    # -- preferences -------------------------------------------------------------------------------

    def idle_minutes(self) -> int:
        """Minutes without input before the project locks itself; 0 means never."""
        return max(0, self._int(_IDLE, DEFAULT_IDLE_MINUTES))

    def set_idle_minutes(self, minutes: int) -> None:
        self._put(_IDLE, max(0, int(minutes)))

    def snap_to_words(self) -> bool:
        """Whether a mouse drag selects whole words (the default; Alt-drag selects characters anyway)."""
        return self._bool(_SNAP, True)

    def set_snap_to_words(self, snap: bool) -> None:
        self._put(_SNAP, bool(snap))

    def keep_suggesting(self) -> bool:
        """Whether theme suggestions are worked out for each transcript opened (off: only when asked)."""
        return self._bool(_KEEP_SUGGESTING, False)

    def set_keep_suggesting(self, keep: bool) -> None:
        self._put(_KEEP_SUGGESTING, bool(keep))

    def qdpx_profile(self) -> str:
        """The key of the program the last REFI-QDA export was for ("standard" until one is chosen)."""
        return str(self._store.value(_QDPX_PROFILE, "standard"))

    def set_qdpx_profile(self, key: str) -> None:
        self._put(_QDPX_PROFILE, key)

    def zoom(self) -> int:
        """Steps of text zoom away from the normal size (negative is smaller)."""
        return self._int(_ZOOM, 0)

    def set_zoom(self, steps: int) -> None:
        self._put(_ZOOM, int(steps))

    def exchange_folder(self, project_uuid: str) -> Path | None:
        """The team exchange folder last used for this project (a path, never anything it holds)."""
        value = self._store.value(f"exchange/{project_uuid}")
        return Path(str(value)) if value else None

    def set_exchange_folder(self, project_uuid: str, folder: Path | str) -> None:
        self._put(f"exchange/{project_uuid}", str(folder))

    def _bool(self, key: str, default: bool) -> bool:
        value = self._store.value(key, default)
        if isinstance(value, str):  # an INI file gives "true" and "false"
            return value.lower() == "true"
        return bool(value)

    def _int(self, key: str, default: int) -> int:
        value = self._store.value(key, default)
        try:
            return int(str(value))
        except ValueError:
            return default  # a hand-edited or damaged value: fall back rather than fail at start-up

    def _put(self, key: str, value: object) -> None:
        self._store.setValue(key, value)
        self._store.sync()
