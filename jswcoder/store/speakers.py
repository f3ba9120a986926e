"""A focus group's speakers made cases: which participant stands for which speaker label of a transcript."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from jswcoder.store.params import marks


@dataclass(frozen=True, slots=True)
class SpeakerLink:
    """One speaker of one transcript made a case: ``number`` is the speaker's number within the group."""

    transcript_uuid: str
    speaker: str
    participant_uuid: str
    number: int


_COLUMNS = "transcript_uuid, speaker, participant_uuid, number"


def links(db: Database, transcript_uuid: str | None = None) -> list[SpeakerLink]:
    """The speaker cases of one transcript (or of all), by transcript and number."""
    where, params = ("WHERE transcript_uuid = ?", [transcript_uuid]) if transcript_uuid else ("", [])
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM speaker_cases {where} ORDER BY transcript_uuid, number", params
    ).fetchall()
    return [SpeakerLink(*row) for row in rows]


def link_of(db: Database, participant_uuid: str) -> SpeakerLink | None:
    row = db.execute(
        f"SELECT {_COLUMNS} FROM speaker_cases WHERE participant_uuid = ?", [participant_uuid]
    ).fetchone()
    return None if row is None else SpeakerLink(*row)


def add(db: Database, link: SpeakerLink) -> None:
    """Store a link; its participant must already be stored. Call inside ``db.atomic()``."""
    db.execute(
        f"INSERT INTO speaker_cases ({_COLUMNS}) VALUES (?, ?, ?, ?)",
        [link.transcript_uuid, link.speaker, link.participant_uuid, link.number],
    )


def replace(db: Database, transcript_uuid: str, new: list[SpeakerLink]) -> None:
    """A transcript's links as given (a merged package's); participants no longer linked stay (they came
    in packages, and a case is not removed by a merge). Call inside ``db.atomic()``."""
    db.execute("DELETE FROM speaker_cases WHERE transcript_uuid = ?", [transcript_uuid])
    for link in new:
        add(db, link)


def remove(db: Database, transcript_uuid: str) -> list[str]:
    """Drop a transcript's speaker cases, their participants too; returns those participants' UUIDs."""
    uuids = [link.participant_uuid for link in links(db, transcript_uuid)]
    db.execute("DELETE FROM speaker_cases WHERE transcript_uuid = ?", [transcript_uuid])
    db.conn.executemany("DELETE FROM participants WHERE uuid = ?", [(u,) for u in uuids])
    return uuids


def turn_counts(db: Database, transcript_uuid: str) -> list[tuple[str, int]]:
    """Each speaker label of a transcript with its number of turns, in the order they first speak."""
    rows = db.execute(
        "SELECT speaker, count(*) FROM turns WHERE transcript_uuid = ? GROUP BY speaker ORDER BY min(ordinal)",
        [transcript_uuid],
    ).fetchall()
    return [(str(speaker), int(n)) for speaker, n in rows]


def turn_bounds(db: Database, transcript_uuid: str) -> list[tuple[int, int, str]]:
    """A transcript's turns' ``(start, end, speaker)``, by start then end (as
    :class:`jswcoder.services.passage_units.TextUnits` reads them): whose each passage is, without the text."""
    rows = db.execute(
        'SELECT start, "end", speaker FROM turns WHERE transcript_uuid = ? ORDER BY start, "end"',
        [transcript_uuid],
    ).fetchall()
    return [(int(a), int(b), str(c)) for a, b, c in rows]


def group_of(db: Database, transcript_uuid: str) -> str | None:
    """The participant of a transcript (a focus group's: the group), read without its text."""
    row = db.execute("SELECT participant_uuid FROM transcripts WHERE uuid = ?", [transcript_uuid]).fetchone()
    return None if row is None or row[0] is None else str(row[0])


def coding_starts(db: Database, transcript_uuids: Sequence[str]) -> list[tuple[str, str, str, int]]:
    """``(transcript, theme, coder, start)`` of every coding of these transcripts: what a matrix with a
    row per speaker places by the turn each starts in (the others it counts grouped)."""
    if not transcript_uuids:
        return []
    found: list[tuple[str, str, str, int]] = db.execute(
        f"SELECT transcript_uuid, code_uuid, coder_uuid, start FROM codings "
        f"WHERE transcript_uuid IN ({marks(transcript_uuids)})",
        list(transcript_uuids),
    ).fetchall()
    return found
