"""A focus group's speakers as cases of their own (NVivo's "speaker" cases).

A group transcript is one case (its participant: the group). Its turns carry speaker labels ("P1:",
"Morag:", "Facilitator:"); making cases gives each speaker who is not the one asking (interviewer,
facilitator, moderator) a participant of its own, numbered within the group, starting with the group's
details (participant group, format, mode, council area) and then edited like any case
(:class:`jswcoder.services.cases.Cases`). A coding belongs to the speaker of the turn it starts in.

A speaker case is attributed by the project's template ("Focus group {number}, participant {speaker}" by
default, :data:`jswcoder.model.DEFAULT_SPEAKER_ATTRIBUTION`): the group's interview number and the
speaker's number, never the label, which may be a name.
"""

from __future__ import annotations

import re
import string
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from jswcoder.errors import InvalidInput
from jswcoder.ids import new_uuid
from jswcoder.model import (
    DEFAULT_SPEAKER_ATTRIBUTION,
    SPEAKER_ATTRIBUTION_FIELDS,
    Participant,
    speaker_attribution,
)
from jswcoder.services.transcripts import Transcripts
from jswcoder.store import meta, people
from jswcoder.store import speakers as speaker_rows
from jswcoder.store.speakers import SpeakerLink

TEMPLATE_KEY = "speaker_attribution"
MAX_TEMPLATE = 120
# The one asking: never made a case. ("R" and "P2" are respondents and participants: they are.)
_ASKING = re.compile(
    r"(?i:interviewer|facilitator|moderator|researcher|chair|int|iv|i|q)(?:[ \u00a0]?\d{1,2})?"
)
# A label that carries the speaker's number ("P2", "Participant 2", "Speaker 3", "R4").
_NUMBERED = re.compile(r"(?i:p|participant|speaker|respondent|r)[ \u00a0]?(\d{1,2})")


def asks(label: str) -> bool:
    """Whether a speaker label is the interviewer's, facilitator's or moderator's."""
    return _ASKING.fullmatch(label.strip()) is not None


@dataclass(frozen=True)
class SpeakerCase:
    """One speaker of a group transcript made a case."""

    transcript_uuid: str
    speaker: str  # the label in the transcript: shown in the project, never exported
    number: int  # within the group: "participant 2"
    participant: Participant
    attribution: str | None  # "Focus group 3, participant 2"; None while the group has no number

    @property
    def uuid(self) -> str:
        return self.participant.uuid


@dataclass(frozen=True)
class Speaker:
    """A speaker label of a transcript, how often it speaks, and its case if it has one."""

    label: str
    turns: int
    asks: bool
    case: SpeakerCase | None


class Speakers:
    def __init__(self, db: Database, transcripts: Transcripts) -> None:
        self._db = db
        self._transcripts = transcripts

    # -- the attribution ---------------------------------------------------------------------------

    def template(self) -> str:
        """The project's attribution for speaker cases."""
        return meta.get(self._db, TEMPLATE_KEY) or DEFAULT_SPEAKER_ATTRIBUTION

    def set_template(self, template: str) -> str:
        """Set the attribution template (blank: back to the default); returns the one before."""
        before = self.template()
        cleaned = " ".join(template.split())
        if not cleaned:
            meta.delete(self._db, TEMPLATE_KEY)
            return before
        _check_template(cleaned)
        meta.put(self._db, TEMPLATE_KEY, cleaned)
        return before

    # -- reading -----------------------------------------------------------------------------------

    def cases(self, transcript_uuid: str | None = None) -> list[SpeakerCase]:
        """The speaker cases of one transcript, or of every transcript, by transcript and number."""
        links = speaker_rows.links(self._db, transcript_uuid)
        if not links:
            return []
        template = self.template()
        known = {p.uuid: p for p in people.participants(self._db)}  # one read, not one per case
        groups: dict[str, Participant | None] = {}
        found = []
        for link in links:
            participant = known.get(link.participant_uuid)
            if participant is None:
                continue
            if link.transcript_uuid not in groups:
                owner = speaker_rows.group_of(self._db, link.transcript_uuid)
                groups[link.transcript_uuid] = known.get(owner) if owner else None
            found.append(
                SpeakerCase(
                    link.transcript_uuid,
                    link.speaker,
                    link.number,
                    participant,
                    speaker_attribution(template, groups[link.transcript_uuid], link.number),
                )
            )
        return found

    def case_of(self, participant_uuid: str) -> SpeakerCase | None:
        """The speaker case a participant is, if it is one."""
        link = speaker_rows.link_of(self._db, participant_uuid)
        if link is None:
            return None
        return next((c for c in self.cases(link.transcript_uuid) if c.uuid == participant_uuid), None)

    def speakers(self, transcript_uuid: str) -> list[Speaker]:
        """Each speaker label of a transcript, in the order they first speak, with its turns and case."""
        self._transcripts.get(transcript_uuid)  # NotFound for a transcript the project does not hold
        cases = {c.speaker: c for c in self.cases(transcript_uuid)}
        return [
            Speaker(label, turns, asks(label), cases.get(label))
            for label, turns in speaker_rows.turn_counts(self._db, transcript_uuid)
        ]

    def case_at(self, transcript_uuid: str) -> Callable[[int], str | None]:
        """Whose a coding of a transcript is, by where it starts: the speaker case (its UUID) of the turn
        there (:func:`speaker_index`); None for a speaker without a case and outside every turn (the
        group's)."""
        cases = {
            link.speaker: link.participant_uuid for link in speaker_rows.links(self._db, transcript_uuid)
        }
        speaker_at = speaker_index(speaker_rows.turn_bounds(self._db, transcript_uuid))

        def at(offset: int) -> str | None:
            speaker = speaker_at(offset)
            return None if speaker is None else cases.get(speaker)

        return at

    def owners(self) -> SpeakerOwners:
        """Whose each of many passages is (a query's, an export's): each focus group's turns read once."""
        return SpeakerOwners(self)

    # -- changing ----------------------------------------------------------------------------------

    def make_cases(self, transcript_uuid: str) -> list[SpeakerCase]:
        """Make a case of each speaker of a transcript who has none yet and does not ask the questions;
        returns the cases made. Each starts with the group's details; its own number is the one in its
        label ("P2" is participant 2) when that is free, else the next free number."""
        transcript = self._transcripts.get(transcript_uuid)
        with self._db.atomic():
            existing = speaker_rows.links(self._db, transcript_uuid)
            taken = {link.number for link in existing}
            have = {link.speaker for link in existing}
            wanted = [s.label for s in self.speakers(transcript_uuid) if not s.asks and s.label not in have]
            if not wanted and not existing:
                raise InvalidInput(
                    f"{transcript.name} has no speakers to make cases of: no turns were found in it "
                    "other than the interviewer's"
                )
            numbers: dict[str, int] = {}
            for label in wanted:
                match = _NUMBERED.fullmatch(label.strip())
                number = int(match.group(1)) if match else 0
                if number > 0 and number not in taken:
                    numbers[label] = number
                    taken.add(number)
            for label in wanted:
                if label not in numbers:
                    numbers[label] = next(n for n in range(1, len(taken) + 2) if n not in taken)
                    taken.add(numbers[label])
            group = (
                people.participant_by_uuid(self._db, transcript.participant_uuid)
                if transcript.participant_uuid
                else None
            )
            made = set()
            for label in wanted:
                participant = Participant(
                    uuid=new_uuid(),
                    participant_group=group.participant_group if group else None,
                    format=group.format if group else None,
                    mode=group.mode if group else None,
                    council_area=group.council_area if group else None,
                )
                people.insert_participant(self._db, participant)
                speaker_rows.add(
                    self._db, SpeakerLink(transcript_uuid, label, participant.uuid, numbers[label])
                )
                made.add(participant.uuid)
        return [c for c in self.cases(transcript_uuid) if c.uuid in made]

    def remove_cases(self, transcript_uuid: str) -> int:
        """Undo :meth:`make_cases`: the transcript is one case again. Returns how many were removed."""
        self._transcripts.get(transcript_uuid)
        with self._db.atomic():
            return len(speaker_rows.remove(self._db, transcript_uuid))


class SpeakerOwners:
    """The speaker case a passage is attributed to, by where it starts; None outside a focus group with
    speaker cases, or in the turns of a speaker without one (the passage is the group's)."""

    def __init__(self, speakers: Speakers) -> None:
        self._speakers = speakers
        self._cases = {case.uuid: case for case in speakers.cases()}
        self._grouped = {case.transcript_uuid for case in self._cases.values()}
        self._at: dict[str, Callable[[int], str | None]] = {}

    def at(self, transcript_uuid: str, offset: int) -> SpeakerCase | None:
        if transcript_uuid not in self._grouped:
            return None
        if transcript_uuid not in self._at:
            self._at[transcript_uuid] = self._speakers.case_at(transcript_uuid)
        owner = self._at[transcript_uuid](offset)
        return None if owner is None else self._cases.get(owner)


def speaker_index(
    turns: Sequence[tuple[int, int, str]], length: int | None = None
) -> Callable[[int], str | None]:
    """Who speaks at an offset of a text of ``length``: the stored turns ``(start, end, speaker)`` read
    as :meth:`TextUnits.speaker_at` reads them (sorted, clipped to the text and to follow each other),
    without the text: a matrix by speaker asks this of every focus group, and TextUnits would read each
    text and part it into regions (at 334 focus groups of 245 turns, 0.9 s of a 1.5 s matrix). Without
    the length, the answers inside the text are the same (a turn past its end changes nothing before
    it), and a coding always starts inside it."""
    starts: list[int] = []
    ends: list[int] = []
    speakers: list[str] = []
    reach = 0
    for turn_start, turn_end, speaker in sorted(turns, key=lambda t: (t[0], t[1])):
        start, end = max(turn_start, reach, 0), turn_end if length is None else min(turn_end, length)
        if start >= end:
            continue  # overlapping or outside the text: stored turns are not trusted blindly
        starts.append(start)
        ends.append(end)
        speakers.append(speaker)
        reach = end

    def at(offset: int) -> str | None:
        i = bisect_right(starts, offset) - 1
        return speakers[i] if i >= 0 and offset < ends[i] else None

    return at


def _check_template(template: str) -> None:
    """Refuse a template that would not format: a field other than {group}, {number}, {speaker}, or
    none naming the speaker (every speaker of a group would read the same)."""
    if len(template) > MAX_TEMPLATE:
        raise InvalidInput(f"the speaker attribution can be at most {MAX_TEMPLATE} characters")
    allowed = ", ".join("{" + f + "}" for f in SPEAKER_ATTRIBUTION_FIELDS)
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError:
        raise InvalidInput("the speaker attribution has a { or } without its pair") from None
    fields = []
    for _text, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in SPEAKER_ATTRIBUTION_FIELDS or spec or conversion:
            raise InvalidInput(f"the speaker attribution may use {allowed} in braces; not {{{name}}}")
        fields.append(name)
    if "speaker" not in fields:
        raise InvalidInput(
            "the speaker attribution needs {speaker}, or every speaker of a group reads the same"
        )
