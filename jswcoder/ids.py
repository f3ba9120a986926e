"""Stable identifiers and timestamps, made the same way everywhere."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime


def new_uuid() -> str:
    return str(uuid.uuid4())


def now() -> str:
    """The current time as ISO 8601 UTC with milliseconds, e.g. ``2026-11-23T19:02:11.532+00:00``."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def text_sha256(text: str) -> str:
    """A text's hash: how a transcript is recognised when it comes back, and its detector findings kept."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
