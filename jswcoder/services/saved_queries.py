"""Saved coding queries: a name the team chose and the query's text, kept in the project.

A query is checked when it is saved (:func:`jswcoder.services.query_parse.parse`) and kept in the
canonical spelling (:func:`~jswcoder.services.query_parse.unparse`), so what is shown later is exactly
what runs. Its themes are named by path: a theme renamed afterwards is reported by name when the query
next runs, as if typed afresh. Names are unique without regard to case; saving under a name that is
taken replaces that query's text.
"""

from __future__ import annotations

from sqlite_utils import Database

from jswcoder.errors import InvalidInput, NotFound
from jswcoder.ids import new_uuid, now
from jswcoder.model import Coder
from jswcoder.plain_text import without_controls
from jswcoder.services.query_parse import parse, unparse
from jswcoder.store import queries
from jswcoder.store.queries import SavedQuery

MAX_NAME = 100


class SavedQueries:
    def __init__(self, db: Database, coder: Coder) -> None:
        self._db = db
        self._coder = coder

    def all(self) -> list[SavedQuery]:
        """Every saved query, by name."""
        return queries.saved(self._db)

    def get(self, name: str) -> SavedQuery:
        found = queries.saved_by_name(self._db, name.strip())
        if found is None:
            raise NotFound(
                f"no query is saved as {name.strip()!r}; see them with: jswcoder query PROJECT --list"
            )
        return found

    def save(self, name: str, expression: str) -> SavedQuery:
        """Keep a query under a name (checked first; a name in use gets the new text)."""
        cleaned = " ".join(without_controls(name).split())
        if not cleaned:
            raise InvalidInput("a saved query needs a name")
        if len(cleaned) > MAX_NAME:
            raise InvalidInput(f"a saved query's name can be at most {MAX_NAME} characters")
        text = unparse(parse(expression))
        stamp = now()
        with self._db.atomic():
            queries.put_saved(self._db, SavedQuery(new_uuid(), cleaned, text, self._coder.uuid, stamp, stamp))
            saved = queries.saved_by_name(self._db, cleaned)
        assert saved is not None  # just written, in this transaction
        return saved

    def remove(self, name: str) -> SavedQuery:
        """Forget a saved query; returns it, so that it can be saved again (undo)."""
        with self._db.atomic():
            found = self.get(name)
            queries.delete_saved(self._db, found.name)
        return found
