"""The analyst's cell summaries in the Framework matrix (``project.summaries``).

A cell is one case (a participant, or a transcript without one) on one theme. :meth:`Summaries.save`
is the one call the matrix needs: it creates, replaces or (for blank text) removes a summary and
returns what was there before, so an undo can put it back with the same call.
"""

from __future__ import annotations

from sqlite_utils import Database

from jswcoder.ids import now
from jswcoder.model import Coder
from jswcoder.store import matrix


class Summaries:
    def __init__(self, db: Database, coder: Coder) -> None:
        self._db = db
        self._coder = coder

    def all(self) -> dict[tuple[str, str], str]:
        """Every summary, keyed by (case UUID, theme UUID)."""
        return matrix.summaries(self._db)

    def get(self, case_uuid: str, code_uuid: str) -> str:
        return matrix.summary(self._db, case_uuid, code_uuid) or ""

    def save(self, case_uuid: str, code_uuid: str, text: str) -> str:
        """Make ``text`` the cell's summary (blank removes it); returns the previous summary ("" if none)."""
        with self._db.atomic():
            before = matrix.summary(self._db, case_uuid, code_uuid) or ""
            if text == before:
                return before
            if text.strip():
                matrix.put_summary(self._db, case_uuid, code_uuid, text, self._coder.uuid, now())
            else:
                matrix.delete_summary(self._db, case_uuid, code_uuid)
        return before
