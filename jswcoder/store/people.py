"""Coders and participants (the cases behind the interviews)."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from jswcoder.ids import new_uuid, now
from jswcoder.model import Coder, Participant, respondent_attribution


def coder_by_name(db: Database, name: str) -> Coder | None:
    row = db.execute("SELECT uuid, name FROM coders WHERE name = ?", [name]).fetchone()
    return None if row is None else Coder(uuid=row[0], name=row[1])


def coder_by_uuid(db: Database, uuid: str) -> Coder | None:
    row = db.execute("SELECT uuid, name FROM coders WHERE uuid = ?", [uuid]).fetchone()
    return None if row is None else Coder(uuid=row[0], name=row[1])


def ensure_coder(db: Database, name: str) -> Coder:
    existing = coder_by_name(db, name)
    if existing is not None:
        return existing
    coder = Coder(uuid=new_uuid(), name=name)
    db.execute("INSERT INTO coders (uuid, name, created_at) VALUES (?, ?, ?)", [coder.uuid, name, now()])
    return coder


_PARTICIPANT_COLUMNS = "uuid, participant_group, interview_number, format, mode, council_area, attributes"
# What a participant is read with: its columns, and a survey respondent's template, survey and number.
_READ = (
    "participants.uuid, participant_group, interview_number, format, mode, council_area, attributes, "
    "s.attribution, s.name, r.number FROM participants "
    "LEFT JOIN survey_respondents AS r ON r.participant_uuid = participants.uuid "
    "LEFT JOIN surveys AS s ON s.uuid = r.survey_uuid"
)


def _participant(row: Any) -> Participant:
    return Participant(
        uuid=row[0],
        participant_group=row[1],
        interview_number=row[2],
        format=row[3],
        mode=row[4],
        council_area=row[5],
        attributes=json.loads(row[6]),
        respondent=None if row[9] is None else respondent_attribution(row[7], row[8], row[9]),
    )


def insert_participant(db: Database, participant: Participant) -> None:
    db.execute(
        f"INSERT INTO participants ({_PARTICIPANT_COLUMNS}, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            participant.uuid,
            participant.participant_group,
            participant.interview_number,
            participant.format,
            participant.mode,
            participant.council_area,
            json.dumps(participant.attributes, ensure_ascii=False, sort_keys=True),
            now(),
        ],
    )


def participant_by_interview(db: Database, interview_number: int) -> Participant | None:
    row = db.execute(f"SELECT {_READ} WHERE interview_number = ?", [interview_number]).fetchone()
    return None if row is None else _participant(row)


def participant_by_uuid(db: Database, uuid: str) -> Participant | None:
    row = db.execute(f"SELECT {_READ} WHERE participants.uuid = ?", [uuid]).fetchone()
    return None if row is None else _participant(row)


def participants(db: Database) -> list[Participant]:
    rows = db.execute(
        f"SELECT {_READ} ORDER BY interview_number IS NULL, interview_number, r.survey_uuid, r.number"
    ).fetchall()
    return [_participant(row) for row in rows]


def save_participant(db: Database, participant: Participant) -> None:
    """Store every detail of an existing participant, its own attributes included."""
    db.execute(
        "UPDATE participants SET participant_group = ?, interview_number = ?, format = ?, mode = ?, "
        "council_area = ?, attributes = ? WHERE uuid = ?",
        [
            participant.participant_group,
            participant.interview_number,
            participant.format,
            participant.mode,
            participant.council_area,
            json.dumps(participant.attributes, ensure_ascii=False, sort_keys=True),
            participant.uuid,
        ],
    )


def clear_interview_numbers(db: Database, uuids: list[str]) -> None:
    """Free these participants' interview numbers, so that a set of changes can swap numbers."""
    db.conn.executemany(
        "UPDATE participants SET interview_number = NULL WHERE uuid = ?", [(u,) for u in uuids]
    )


def merged_participants(db: Database) -> dict[str, str]:
    """At a lead: each participant that came in a member's package -> that member's name."""
    rows = db.execute(
        "SELECT c.record_uuid, m.name FROM contributions AS c "
        "JOIN team_members AS m ON m.member_id = c.member_id WHERE c.record_kind = 'participant'"
    ).fetchall()
    return {str(row[0]): str(row[1]) for row in rows}


def merged_from(db: Database, uuid: str) -> str | None:
    """At a lead: the member whose package brought this participant, if one did."""
    row = db.execute(
        "SELECT m.name FROM contributions AS c JOIN team_members AS m ON m.member_id = c.member_id "
        "WHERE c.record_kind = 'participant' AND c.record_uuid = ?",
        [uuid],
    ).fetchone()
    return None if row is None else str(row[0])
