"""Memos: the analyst's notes on the project, a transcript, a code or a coding.

The workbench shows one memo per target and saves it as the user types, so :meth:`Memos.save` is the
one call it needs: it creates, updates or (for blank text) deletes the target's memo.
"""

from __future__ import annotations

import dataclasses

from sqlite_utils import Database

from jswcoder.errors import InvalidInput, NotFound
from jswcoder.ids import new_uuid, now
from jswcoder.model import Coder, Memo, MemoTarget
from jswcoder.store import memos

TARGET_KINDS: tuple[MemoTarget, ...] = ("project", "transcript", "code", "coding")


def _check_target(target_kind: str, target_uuid: str | None) -> None:
    if target_kind not in TARGET_KINDS:
        raise InvalidInput(f"a memo is about one of {', '.join(TARGET_KINDS)}; not {target_kind!r}")
    if (target_kind == "project") != (target_uuid is None):
        raise InvalidInput("a project memo has no target; any other memo needs one")


class Memos:
    def __init__(self, db: Database, coder: Coder) -> None:
        self._db = db
        self._coder = coder

    def add(self, text: str, target_kind: MemoTarget = "project", target_uuid: str | None = None) -> Memo:
        _check_target(target_kind, target_uuid)
        stamp = now()
        memo = Memo(new_uuid(), target_kind, target_uuid, text, self._coder.uuid, stamp, stamp)
        with self._db.atomic():
            memos.insert(self._db, memo)
        return memo

    def all(self) -> list[Memo]:
        return memos.listing(self._db)

    def for_target(self, target_kind: MemoTarget, target_uuid: str | None) -> Memo | None:
        """The memo about a target, or None; if several exist, the one edited last."""
        _check_target(target_kind, target_uuid)
        return memos.of_target(self._db, target_kind, target_uuid)

    def save(self, target_kind: MemoTarget, target_uuid: str | None, text: str) -> Memo | None:
        """Make ``text`` the target's memo: create it, update it, or delete it when ``text`` is blank.

        Returns the memo as stored, or None when there is none any more. Saving the same text again
        changes nothing, so autosave does not churn ``updated_at``.
        """
        _check_target(target_kind, target_uuid)
        with self._db.atomic():
            existing = memos.of_target(self._db, target_kind, target_uuid)
            if not text.strip():
                if existing is not None:
                    memos.delete(self._db, existing.uuid)
                return None
            if existing is None:
                stamp = now()
                memo = Memo(new_uuid(), target_kind, target_uuid, text, self._coder.uuid, stamp, stamp)
                memos.insert(self._db, memo)
                return memo
            if existing.text == text:
                return existing
            stamp = now()
            memos.update_text(self._db, existing.uuid, text, stamp)
            return dataclasses.replace(existing, text=text, updated_at=stamp)

    def remove(self, uuid: str) -> Memo:
        """Delete a memo by UUID; returns it as it was."""
        with self._db.atomic():
            found = memos.by_uuid(self._db, uuid)
            if found is None:
                raise NotFound(f"there is no memo {uuid}")
            memos.delete(self._db, uuid)
        return found
