"""Codebook templates: ready-made code trees offered when a project is created (the ``codebooks`` resources)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jswcoder.errors import InvalidInput
from jswcoder.resources import CODEBOOKS, resource
from jswcoder.services.codebook import Codebook


@dataclass(frozen=True)
class Template:
    key: str  # file stem, e.g. "jsw-study"
    name: str
    description: str
    codes: tuple[dict[str, Any], ...]


def available() -> list[Template]:
    return [load(path) for path in sorted(resource(CODEBOOKS).glob("*.json"))]


def by_key(key: str) -> Template:
    path = resource(CODEBOOKS, f"{key}.json")
    if not path.is_file():
        keys = ", ".join(t.key for t in available())
        raise InvalidInput(f"there is no codebook template {key!r}; choose one of: {keys}")
    return load(path)


def load(path: Path) -> Template:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Template(path.stem, data["name"], data.get("description", ""), tuple(data["codes"]))


def apply(template: Template, codebook: Codebook) -> int:
    """Add the template's codes as pre-set themes; returns how many were added."""
    return codebook.add_tree(template.codes)
