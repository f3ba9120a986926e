"""Pinned themes: the digit keys 1-9 apply a theme to the selection in one keypress.

Pins are kept in the project (they belong to its codebook). A project starts with the first nine
themes that have no children, in tree order, so the shortcuts are useful from the first minute.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from jswcoder.errors import InvalidInput
from jswcoder.services.codebook import Codebook
from jswcoder.store import merge as merge_rows
from jswcoder.store import meta

KEYS = tuple(range(1, 10))
_META_KEY = "pinned_codes"


class Pins:
    def __init__(self, db: Database, codebook: Codebook) -> None:
        self._db = db
        self._codebook = codebook

    def all(self) -> dict[int, str]:
        """Digit -> code UUID, for the pins whose code still exists, or was merged into one that does
        (a theme folded into the team's keeps its key)."""
        existing = {code.uuid for code in self._codebook.all()}
        stored = meta.get(self._db, _META_KEY)
        if stored is None:
            return self._defaults()
        pins: dict[int, str] = {}
        for key, uuid in json.loads(stored).items():
            now_means = uuid if uuid in existing else merge_rows.alias_target(self._db, uuid)
            if now_means in existing and now_means not in pins.values():
                pins[int(key)] = now_means
        return pins

    def pin(self, digit: int, code_uuid: str | None) -> None:
        if digit not in KEYS:
            raise InvalidInput("pins use the keys 1 to 9")
        pins = self.all()
        if code_uuid is None:
            pins.pop(digit, None)
        else:
            self._codebook.find(code_uuid)
            pins = {key: uuid for key, uuid in pins.items() if uuid != code_uuid}
            pins[digit] = code_uuid
        with self._db.atomic():
            meta.put(self._db, _META_KEY, json.dumps({str(k): v for k, v in sorted(pins.items())}))

    def _defaults(self) -> dict[int, str]:
        codes = self._codebook.all()
        parents = {code.parent_uuid for code in codes}
        leaves = [code.uuid for code in codes if code.uuid not in parents]
        return dict(zip(KEYS, leaves, strict=False))
