"""The state of every theme, coding and transcript, compactly: what an undo step may name, and what the
open transcript shows (see :mod:`jswcoder.services.record_states`)."""

from __future__ import annotations

from sqlite_utils import Database


def states(db: Database) -> dict[str, tuple[object, ...]]:
    """UUID -> what matters about the record: a theme's existence; a coding's theme, transcript and place;
    a transcript's name, case and text (by its digest)."""
    found: dict[str, tuple[object, ...]] = {
        str(row[0]): ("code",) for row in db.execute("SELECT uuid FROM codes")
    }
    for uuid, code_uuid, transcript_uuid, start, end in db.execute(
        'SELECT uuid, code_uuid, transcript_uuid, start, "end" FROM codings'
    ):
        found[str(uuid)] = ("coding", code_uuid, transcript_uuid, start, end)
    for uuid, name, participant_uuid, digest in db.execute(
        "SELECT uuid, name, participant_uuid, content_sha256 FROM transcripts"
    ):
        found[str(uuid)] = ("transcript", name, participant_uuid, digest)
    return found
