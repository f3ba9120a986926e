"""Where the window was when it locked, kept in the project (encrypted) rather than in memory.

A lock closes the project and must leave nothing identifying in memory: a search typed in the window
may name a participant. So the window writes its place here (an opaque string it made) just before
the project closes, and takes it back, once, when the project is unlocked.
"""

from __future__ import annotations

from sqlite_utils import Database

from jswcoder.store import meta

_META_KEY = "window_place_at_lock"


class LastPlace:
    def __init__(self, db: Database) -> None:
        self._db = db

    def keep(self, place: str) -> None:
        with self._db.atomic():
            meta.put(self._db, _META_KEY, place)

    def take(self) -> str | None:
        """The place kept at the last lock, removed as it is read; None if there is none."""
        with self._db.atomic():
            place = meta.get(self._db, _META_KEY)
            if place is not None:
                meta.delete(self._db, _META_KEY)
        return place
