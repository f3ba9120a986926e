"""Memos: the analyst's notes on the project, a transcript, a code or a coding."""

from __future__ import annotations

from sqlite_utils import Database

from jswcoder.errors import InvalidInput
from jswcoder.ids import new_uuid, now
from jswcoder.model import Coder, Memo, MemoTarget
from jswcoder.store import memos


class Memos:
    def __init__(self, db: Database, coder: Coder) -> None:
        self._db = db
        self._coder = coder

    def add(self, text: str, target_kind: MemoTarget = "project", target_uuid: str | None = None) -> Memo:
        if (target_kind == "project") != (target_uuid is None):
            raise InvalidInput("a project memo has no target; any other memo needs one")
        stamp = now()
        memo = Memo(new_uuid(), target_kind, target_uuid, text, self._coder.uuid, stamp, stamp)
        with self._db.atomic():
            memos.insert(self._db, memo)
        return memo

    def all(self) -> list[Memo]:
        return memos.listing(self._db)
