"""Stable identifiers and timestamps, made the same way everywhere."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime


def new_uuid() -> str:
    return str(uuid.uuid4())


def now() -> str:
    """The current time as ISO 8601 UTC with milliseconds, e.g. ``2026-11-23T19:02:11.532+00:00``."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")
