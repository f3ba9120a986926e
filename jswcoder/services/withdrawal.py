"""Consent withdrawn: a participant is marked withdrawn, and everything of theirs is purged for good.

The withdrawal itself is kept (participant UUID, attribution, reason, date, who recorded it): the
attribution is what a destruction certificate names, and the record keeps a later package from
bringing the participant back. The reason stays in this project; it never travels.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlite_utils import Database

from jswcoder.errors import InvalidInput, NotFound
from jswcoder.ids import now
from jswcoder.model import Coder, Participant
from jswcoder.plain_text import without_controls
from jswcoder.services import audit
from jswcoder.store import people, transcripts, withdrawals
from jswcoder.store import team as team_rows
from jswcoder.store.withdrawals import ReceiptRow, WithdrawalRow

MAX_REASON = 500


@dataclass(frozen=True)
class Withdrawn:
    """The outcome of :meth:`Withdrawals.withdraw`: the record, and how many transcripts went now
    (0 when the participant was withdrawn before)."""

    record: WithdrawalRow
    transcripts_purged: int
    already: bool


@dataclass(frozen=True)
class Confirmation:
    member: str  # their name in the team
    applied_at: str
    held: bool  # whether their project held anything of the participant's


@dataclass(frozen=True)
class Confirmations:
    record: WithdrawalRow
    confirmed: tuple[Confirmation, ...]
    waiting: tuple[str, ...]  # admitted members who have not confirmed yet


@dataclass(frozen=True)
class Retention:
    """The study's retention period ended (at the lead): when, whose projects are destroyed, and whose
    not yet."""

    ended_at: str
    destroyed: tuple[Confirmation, ...]  # held is True: each held a project
    waiting: tuple[str, ...]


@dataclass(frozen=True)
class Target:
    """A participant found for a withdrawal, with what would go (for the confirmation)."""

    participant_uuid: str
    attribution: str | None
    transcript_names: tuple[str, ...]
    already: WithdrawalRow | None


def _checked_reason(reason: str) -> str:
    cleaned = " ".join(without_controls(reason).split())
    if not cleaned:
        raise InvalidInput("a withdrawal needs a reason (for your own records; it does not travel)")
    if len(cleaned) > MAX_REASON:
        raise InvalidInput(f"the reason can be at most {MAX_REASON} characters")
    return cleaned


def _checked_date(date: str | None) -> str:
    if date is None:
        return dt.date.today().isoformat()
    try:
        return dt.date.fromisoformat(date.strip()).isoformat()
    except ValueError:
        raise InvalidInput("the date must be written YYYY-MM-DD") from None


class Withdrawals:
    def __init__(self, db: Database, coder: Coder) -> None:
        self._db = db
        self._coder = coder

    def all(self) -> list[WithdrawalRow]:
        return withdrawals.all_withdrawals(self._db)

    def withdrawn(self) -> set[str]:
        """The UUIDs of every participant withdrawn here."""
        return withdrawals.withdrawn_uuids(self._db)

    def find(self, ref: str) -> Target:
        """A participant by their attribution ("Client interview 7", any case), UUID, or the name of
        one of their transcripts; or a participant withdrawn before, by UUID or attribution."""
        wanted = " ".join(ref.split()).casefold()
        participant = self._participant(ref, wanted)
        if participant is not None:
            names = tuple(transcripts.names_of_participant(self._db, participant.uuid))
            return Target(participant.uuid, participant.attribution, names, None)
        for row in withdrawals.all_withdrawals(self._db):
            if ref.strip() == row.participant_uuid or (row.attribution or "").casefold() == wanted:
                return Target(row.participant_uuid, row.attribution, (), row)
        raise NotFound(
            "there is no participant by that attribution, UUID or transcript name; "
            "see them with: jswcoder cases PROJECT list"
        )

    def _participant(self, ref: str, wanted: str) -> Participant | None:
        found = people.participant_by_uuid(self._db, ref.strip())
        if found is not None:
            return found
        matches = [p for p in people.participants(self._db) if (p.attribution or "").casefold() == wanted]
        if len(matches) == 1:
            return matches[0]
        transcript = transcripts.by_name(self._db, ref) or transcripts.by_name(self._db, ref.strip())
        if transcript is None:
            return None
        if transcript.participant_uuid is None:
            raise InvalidInput(
                "that transcript has no participant; delete it with: jswcoder transcripts PROJECT delete"
            )
        return people.participant_by_uuid(self._db, transcript.participant_uuid)

    def withdraw(
        self, participant_uuid: str, reason: str, date: str | None = None, *, ordered: bool = False
    ) -> Withdrawn:
        """Record the withdrawal and purge everything of the participant's, in one transaction with
        secure delete on; then rebuild the file and truncate its log. A participant withdrawn before
        is purged again (a package may have brought something back) and keeps the first record.
        An *ordered* withdrawal (the lead's order, at a fieldworker) is recorded even for a participant
        this project never held, so the receipt can say so."""
        checked = _checked_reason(reason)
        on = _checked_date(date)
        withdrawals.secure_delete_on(self._db)
        with self._db.atomic():
            before = withdrawals.by_participant(self._db, participant_uuid)
            participant = people.participant_by_uuid(self._db, participant_uuid)
            if before is None and participant is None and not ordered:
                raise NotFound("there is no such participant in this project")
            record = before or WithdrawalRow(
                participant_uuid=participant_uuid,
                attribution=participant.attribution if participant is not None else None,
                reason=checked,
                withdrawn_on=on,
                recorded_by=self._coder.name,
                recorded_at=now(),
            )
            withdrawals.record(self._db, record)
            purged = withdrawals.purge(self._db, participant_uuid)
            if before is None:
                withdrawals.set_purged(self._db, participant_uuid, purged)
                record = replace(record, purged=purged)
            # The attribution and counts only: the reason stays out of the trail (it may name someone).
            audit.record(
                self._db,
                self._coder,
                "withdrawal.purge" if ordered else "withdrawal",
                participant=record.attribution or "a participant this project did not hold",
                transcripts_purged=purged,
                again=before is not None,
            )
        withdrawals.compact(self._db)
        return Withdrawn(record, purged, before is not None)

    def status(self) -> list[Confirmations]:
        """Each withdrawal, with who in the team has confirmed it (at the lead) and who not yet."""
        members = {m.member_id: m for m in team_rows.members(self._db) if m.state == "admitted"}
        receipts: dict[str, list[ReceiptRow]] = {}
        for receipt in withdrawals.receipts(self._db):
            receipts.setdefault(receipt.participant_uuid, []).append(receipt)
        result = []
        for record in self.all():
            got = receipts.get(record.participant_uuid, [])
            confirmed = tuple(
                Confirmation(
                    members[r.member_id].name if r.member_id in members else r.member_id, r.applied_at, r.held
                )
                for r in got
            )
            done = {r.member_id for r in got}
            waiting = tuple(sorted(m.name for m_id, m in members.items() if m_id not in done))
            result.append(Confirmations(record, confirmed, waiting))
        return result

    def end_retention(self) -> str:
        """Record that the study's retention period has ended; the lead's next team file orders every
        member's project destroyed. Returns when it was recorded (the first time, if again)."""
        with self._db.atomic():
            first = withdrawals.retention_ended_at(self._db) is None
            withdrawals.end_retention(self._db, now())
            ended = withdrawals.retention_ended_at(self._db)
            if first:
                audit.record(self._db, self._coder, "retention.ended")
        assert ended is not None
        return ended

    def retention(self) -> Retention | None:
        """None until :meth:`end_retention`."""
        ended = withdrawals.retention_ended_at(self._db)
        if ended is None:
            return None
        members = {m.member_id: m.name for m in team_rows.members(self._db) if m.state == "admitted"}
        receipts = withdrawals.retention_receipts(self._db)
        destroyed = tuple(
            Confirmation(members.get(member_id, member_id), at, True)
            for member_id, at in sorted(receipts.items())
        )
        waiting = tuple(sorted(name for member_id, name in members.items() if member_id not in receipts))
        return Retention(ended, destroyed, waiting)
