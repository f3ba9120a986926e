"""Cases: the participants behind the interviews, their details, and the case sheet (a CSV file).

A case is a participant (NVivo's "case"): the person or group behind an interview, or behind several
that share an interview number. Its details are the study's own five (group, interview number,
format, mode, council area) and any attributes the team adds (role, ...), like an NVivo case
classification. Every change is checked whole before anything is stored, and a sheet read back is
all or nothing.

The case sheet is a working file for a spreadsheet: one row per case, the columns ``case_id`` (which
row is which case, whatever else changes), ``transcripts`` (to read; a sheet without ``case_id`` finds
each case by these names), the five details and one column per attribute. It holds no transcript
text and is not anonymised (it is for the team, like the register's CSV): it is written readable by
its owner only. A cell that a spreadsheet program would run as a formula is written with a leading
apostrophe, which reading the sheet back takes off.

At a team's lead, a case that came in a member's package keeps the five details that member gives
it (their next package would overwrite any change here); attributes of the lead's own can be added.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlite_utils import Database

from jswcoder.atomic_file import write_atomically
from jswcoder.errors import InvalidInput, JswError, NotFound
from jswcoder.model import INTERVIEW_FORMATS, INTERVIEW_MODES, MAX_INTERVIEW_NUMBER, Participant
from jswcoder.natural import natural_key
from jswcoder.plain_text import looks_like_formula, without_controls
from jswcoder.services import audit
from jswcoder.services.indirect import ExportCheck, IndirectCheck
from jswcoder.services.speakers import SpeakerCase, Speakers
from jswcoder.services.transcripts import Transcripts
from jswcoder.store import people
from jswcoder.store import transcripts as transcript_rows

DETAILS: dict[str, str] = {
    "participant_group": "Group",
    "interview_number": "Interview",
    "format": "Format",
    "mode": "Mode",
    "council_area": "Area",
}
"""The study's own details of a case, with the labels the app shows."""
ID_COLUMN = "case_id"
TRANSCRIPTS_COLUMN = "transcripts"
MAX_VALUE = 200
MAX_ATTRIBUTE_NAME = 60
MAX_ATTRIBUTES = 50
MAX_CSV_BYTES = 5 * 1024 * 1024
_NOT_RECORDED = "(no transcript)"
# What a column heading may say for each detail: its key, its label, and the usual spellings. Headings
# are compared folded: lower case, with runs of spaces and underscores as one space.
_ALIASES: dict[str, str] = {
    re.sub(r"[\s_]+", " ", spelling): key
    for spelling, key in {
        **{key: key for key in (*DETAILS, ID_COLUMN, TRANSCRIPTS_COLUMN)},
        **{label.lower(): key for key, label in DETAILS.items()},
        "participant group": "participant_group",
        "interview number": "interview_number",
        "council area": "council_area",
        "transcript": TRANSCRIPTS_COLUMN,
    }.items()
}


@dataclass(frozen=True)
class Case:
    participant: Participant
    transcripts: tuple[str, ...]  # the names of its transcripts
    merged_from: str | None = None  # at a lead: the member whose packages bring it
    speaker: SpeakerCase | None = (
        None  # a focus group's speaker made a case (its one transcript is the group's)
    )

    @property
    def uuid(self) -> str:
        return self.participant.uuid

    @property
    def label(self) -> str:
        """How the case is known: its attribution, else its first transcript's name (and a speaker's label)."""
        if self.speaker is not None:
            return self.speaker.attribution or f"{self.transcripts[0]}, {self.speaker.speaker}"
        return self.participant.attribution or (self.transcripts[0] if self.transcripts else _NOT_RECORDED)

    def value(self, key: str) -> str:
        """A detail or attribute as text ("" when not recorded)."""
        if key in DETAILS:
            found = getattr(self.participant, key)
            return "" if found is None else str(found)
        return self.participant.attributes.get(key, "")


@dataclass(frozen=True)
class CasesImport:
    changed: int
    unchanged: int
    before: list[Participant]  # the changed cases as they were, to put back (undo)


def column_key(heading: str) -> str | None:
    """The detail (or ``case_id``, ``transcripts``) a column heading names, or None for an attribute."""
    return _ALIASES.get(re.sub(r"[\s_]+", " ", heading.strip().lower()))


def clean(value: str) -> str:
    """A value as stored: one line, without control characters, spaces trimmed."""
    return " ".join(without_controls(value).split())


def attribute_name(name: str) -> str:
    """An attribute's name, checked: not blank, not too long, not one of the case's own details."""
    cleaned = clean(name)
    if not cleaned:
        raise InvalidInput("an attribute needs a name")
    if len(cleaned) > MAX_ATTRIBUTE_NAME:
        raise InvalidInput(f"an attribute's name can be at most {MAX_ATTRIBUTE_NAME} characters")
    if column_key(cleaned) is not None:
        raise InvalidInput(f"{cleaned!r} is one of the case's own details; give the attribute another name")
    return cleaned


def for_sheet(cell: str) -> str:
    """A cell as written to the sheet: one a spreadsheet would run as a formula gets a leading apostrophe."""
    return f"'{cell}" if looks_like_formula(cell.lstrip("'")) and cell else cell


def from_sheet(cell: str) -> str:
    """A cell as read from the sheet: the apostrophe :func:`for_sheet` added is taken off."""
    return cell[1:] if cell.startswith("'") and looks_like_formula(cell.lstrip("'")) else cell


class Cases:
    def __init__(self, db: Database, transcripts: Transcripts) -> None:
        self._db = db
        self._transcripts = transcripts

    # -- reading -------------------------------------------------------------------------------------

    def all(self) -> list[Case]:
        """Every case, by interview number (cases without one last, by their first transcript's name)."""
        names: dict[str, list[str]] = {}
        transcripts = self._transcripts.all()  # by name
        for transcript in transcripts:
            if transcript.participant_uuid is not None:
                names.setdefault(transcript.participant_uuid, []).append(transcript.name)
        merged = people.merged_participants(self._db)
        participants = people.participants(self._db)
        speakers = {s.uuid: s for s in Speakers(self._db, self._transcripts).cases()}
        named = {t.uuid: t.name for t in transcripts}
        for case in speakers.values():
            names[case.uuid] = [named[case.transcript_uuid]]
        cases = [
            Case(p, tuple(names.get(p.uuid, ())), merged.get(p.uuid), speakers.get(p.uuid))
            for p in participants
        ]
        # A group's speakers come just after the group: they are numbered by the group's interview.
        numbers = {
            name: c.participant.interview_number for c in cases if c.speaker is None for name in c.transcripts
        }

        def order(c: Case) -> tuple[bool, int, tuple[tuple[int, int | str], ...], int]:
            first = c.participant.respondent or (c.transcripts[0] if c.transcripts else "")
            number = numbers.get(first) if c.speaker else c.participant.interview_number
            return (number is None, number or 0, natural_key(first), c.speaker.number if c.speaker else 0)

        return sorted(cases, key=order)

    def attribute_names(self, cases: Iterable[Case] | None = None) -> list[str]:
        """The names of the attributes any case has, alphabetically."""
        found = {name for case in cases or self.all() for name in case.participant.attributes}
        return sorted(found, key=str.casefold)

    def get(self, uuid: str) -> Case:
        participant = people.participant_by_uuid(self._db, uuid)
        if participant is None:
            raise NotFound(f"there is no case {uuid}")
        speaker = Speakers(self._db, self._transcripts).case_of(uuid)
        if speaker is not None:
            names = [self._transcripts.get(speaker.transcript_uuid).name]
        else:
            names = transcript_rows.names_of_participant(self._db, uuid)
        return Case(participant, tuple(names), people.merged_from(self._db, uuid), speaker)

    def find(self, ref: str) -> Case:
        """A case by its interview number, one of its transcripts (name or UUID), or its UUID; a speaker
        case or a survey respondent by its attribution ("Focus group 3, participant 2", "Survey
        respondent 17") or its UUID."""
        ref = ref.strip()
        cases = self.all()
        for case in cases:
            if (ref.isdigit() and case.participant.interview_number == int(ref)) or case.uuid == ref:
                return case
            attributed = case.speaker is not None or case.participant.respondent is not None
            if attributed and case.label.casefold() == ref.casefold():  # "Survey respondent 17"
                return case
        transcript = transcript_rows.by_name(self._db, ref) or transcript_rows.by_uuid(self._db, ref)
        if transcript is not None:
            for case in cases:
                if case.uuid == transcript.participant_uuid:
                    return case
        raise NotFound(
            f"there is no case {ref!r}; name it by interview number or transcript (see: jswcoder cases PROJECT list)"
        )

    # -- changing ------------------------------------------------------------------------------------

    def set(self, uuid: str, changes: Mapping[str, str]) -> Participant:
        """Change some of a case's details and attributes (a blank value clears one); all or nothing.
        Returns the case as it was, for :meth:`put_back`."""
        with self._db.atomic():
            case = self.get(uuid)
            after = _changed(case, changes)
            if after == case.participant:
                return case.participant
            number = after.interview_number
            if number is not None and number != case.participant.interview_number:
                holder = people.participant_by_interview(self._db, number)
                if holder is not None:
                    raise InvalidInput(f"interview {number} is already {_known_as(self.get(holder.uuid))}'s")
            people.save_participant(self._db, after)
        return case.participant

    def put_back(self, participants: Sequence[Participant]) -> None:
        """Store these cases' details exactly as given (the undo of :meth:`set` and :meth:`import_csv`)."""
        with self._db.atomic():
            people.clear_interview_numbers(self._db, [p.uuid for p in participants])
            for participant in participants:
                people.save_participant(self._db, participant)

    # -- the case sheet ------------------------------------------------------------------------------

    def export_csv(self, path: Path) -> int:
        """Write the case sheet (UTF-8 with a byte-order mark, for spreadsheet programs); returns the rows."""
        target = Path(path).expanduser()
        if target.is_dir():
            raise InvalidInput(f"{target} is a folder; give the name of the file to write")
        cases = self.all()
        attributes = self.attribute_names(cases)
        # What the sheet prints passes the indirect-identification check, generalised as decided
        # (IndirectFound, a count, while a finding is undecided; nothing is written).
        indirect = ExportCheck(IndirectCheck(self._db), (), lead=False)
        indirect.releases([*DETAILS, *attributes])
        indirect.check()
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([for_sheet(c) for c in (ID_COLUMN, TRANSCRIPTS_COLUMN, *DETAILS, *attributes)])
        for case in cases:
            cells = [
                case.uuid,
                "; ".join(case.transcripts),
                *(indirect.value(case.uuid, k, case.value(k)) for k in (*DETAILS, *attributes)),
            ]
            writer.writerow([for_sheet(cell) for cell in cells])
        write_atomically(target, buffer.getvalue().encode("utf-8-sig"), mode=0o600)
        audit.record(
            self._db, None, "export", what="case sheet", file=audit.file_name(target), cases=len(cases)
        )
        return len(cases)

    def import_csv(self, path: Path) -> CasesImport:
        """Read a case sheet back: each row's case gets the sheet's values in the columns it has (a blank
        cell clears); columns left out are left alone. All or nothing: one bad row refuses the sheet."""
        source = Path(path)
        try:
            with self._db.atomic():
                return self._import(source, _read(source))
        except SheetError as error:
            raise InvalidInput(f"{source.name}{error}; nothing was imported") from None

    def _import(self, source: Path, sheet: _Sheet) -> CasesImport:
        cases = self.all()
        by_uuid = {c.uuid: c for c in cases}
        by_transcript = {name: c for c in cases if c.speaker is None for name in c.transcripts}
        seen: dict[str, int] = {}
        numbers: dict[int, int] = {}  # interview number -> the line that gives it
        planned: list[tuple[int, Case, Participant]] = []
        for line, cells in sheet.rows:
            case = _case_of(line, cells, sheet, by_uuid, by_transcript)
            if case.uuid in seen:
                raise SheetError(f", line {line}: the same case as line {seen[case.uuid]}")
            seen[case.uuid] = line
            changes = {key: cells.get(key, "") for key in sheet.values}
            try:
                after = _changed(case, changes)
            except JswError as error:
                raise SheetError(f", line {line}: {error}") from None
            number = after.interview_number
            if number is not None:
                if number in numbers:
                    raise SheetError(f", line {line}: interview {number} is also on line {numbers[number]}")
                numbers[number] = line
            planned.append((line, case, after))
        leaving = {case.uuid for _line, case, _after in planned}
        for line, case, after in planned:
            number = after.interview_number
            if number is None or number == case.participant.interview_number:
                continue
            holder = next((c for c in cases if c.participant.interview_number == number), None)
            if holder is not None and holder.uuid not in leaving:
                raise SheetError(f", line {line}: interview {number} is already {_known_as(holder)}'s")
        changed = [(case, after) for _line, case, after in planned if after != case.participant]
        people.clear_interview_numbers(self._db, [case.uuid for case, _after in changed])
        for _case, after in changed:
            people.save_participant(self._db, after)
        return CasesImport(
            len(changed), len(planned) - len(changed), [case.participant for case, _ in changed]
        )


class SheetError(Exception):
    """A case sheet refused: the message goes after the file's name (", line 4: ..." or " is ...")."""


@dataclass(frozen=True)
class _Sheet:
    has_id: bool
    has_transcripts: bool
    values: tuple[str, ...]  # the details and attributes it gives, as keys
    rows: list[tuple[int, dict[str, str]]]  # line number, key -> cell


def _read(path: Path) -> _Sheet:
    """A case sheet's rows; a file that is not one is refused with the reason."""
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            raise SheetError(f" is larger than {MAX_CSV_BYTES // (1024 * 1024)} MiB; is it a case sheet?")
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise SheetError(" was not found") from None
    except UnicodeDecodeError:
        raise SheetError(" is not UTF-8 text; save it as CSV UTF-8 and try again") from None
    except OSError as error:
        raise SheetError(f" cannot be read ({error.strerror})") from None
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, [])
        keys = _columns(header)
        rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                raise SheetError(f", line {reader.line_num} has more cells than the header has columns")
            given = {key: from_sheet(cell) for key, cell in zip(keys, cells, strict=False) if key is not None}
            rows.append((reader.line_num, given))
    except csv.Error as error:
        raise SheetError(f" is not a readable CSV file ({error})") from None
    values = tuple(k for k in keys if k is not None and k not in (ID_COLUMN, TRANSCRIPTS_COLUMN))
    if not rows:
        raise SheetError(" has no cases in it")
    return _Sheet(ID_COLUMN in keys, TRANSCRIPTS_COLUMN in keys, values, rows)


def _columns(header: list[str]) -> list[str | None]:
    """Each column's key: a detail, ``case_id``, ``transcripts``, an attribute's name; None to skip."""
    keys: list[str | None] = []
    seen: dict[str, str] = {}
    for number, heading in enumerate(header, start=1):
        name = clean(from_sheet(heading))
        if not name:
            keys.append(None)  # a nameless column (a trailing comma): its cells are not read
            continue
        key = column_key(name)
        if key is None:
            try:
                key = attribute_name(name)
            except JswError as error:
                raise SheetError(f", column {number}: {error}") from None
        folded = key.casefold()
        if folded in seen:
            raise SheetError(f": the column {seen[folded]} appears twice")
        seen[folded] = key
        keys.append(key)
    if ID_COLUMN not in keys and TRANSCRIPTS_COLUMN not in keys:
        raise SheetError(
            f" needs a {ID_COLUMN} or {TRANSCRIPTS_COLUMN} column to know each row's case; "
            "export the cases to start from a sheet that has them"
        )
    if sum(1 for k in keys if k is not None and k not in _ALIASES.values()) > MAX_ATTRIBUTES:
        raise SheetError(f" has more than {MAX_ATTRIBUTES} attribute columns")
    return keys


def _case_of(
    line: int, cells: dict[str, str], sheet: _Sheet, by_uuid: dict[str, Case], by_transcript: dict[str, Case]
) -> Case:
    """The case a row is about: by its ``case_id``, else by the transcripts it names."""
    ident = cells.get(ID_COLUMN, "").strip()
    if ident:
        if ident not in by_uuid:
            raise SheetError(f", line {line}: there is no case with that {ID_COLUMN}")
        return by_uuid[ident]
    names = [n.strip() for n in cells.get(TRANSCRIPTS_COLUMN, "").split(";") if n.strip()]
    if not names:
        raise SheetError(f", line {line} names no case (fill in its {ID_COLUMN} or {TRANSCRIPTS_COLUMN})")
    found = {by_transcript[n].uuid: by_transcript[n] for n in names if n in by_transcript}
    if len(found) != 1 or any(n not in by_transcript for n in names):
        raise SheetError(f", line {line}: its transcripts are not those of one case in the project")
    return next(iter(found.values()))


def _changed(case: Case, changes: Mapping[str, str]) -> Participant:
    """The case's participant with *changes* made (each checked); raises :class:`InvalidInput`."""
    participant = case.participant
    attributes = dict(participant.attributes)
    details: dict[str, object] = {}
    for key, raw in changes.items():
        value = clean(raw)
        if len(value) > MAX_VALUE:
            raise InvalidInput(f"a value can be at most {MAX_VALUE} characters")
        if key in DETAILS:
            details[key] = _detail(key, value)
        else:
            name = attribute_name(key)
            if value:
                attributes[name] = value
            else:
                attributes.pop(name, None)
    after = replace(participant, attributes=attributes, **details)  # type: ignore[arg-type]
    if case.speaker is not None and after.interview_number is not None:
        raise InvalidInput(
            "a focus group's speaker is numbered by the group's interview; give that one its number"
        )
    if case.merged_from is not None and any(
        getattr(after, key) != getattr(participant, key) for key in DETAILS
    ):
        raise InvalidInput(
            f"this case came in {case.merged_from}'s packages: its {', '.join(DETAILS.values()).lower()} are "
            f"theirs to change, in their project. Attributes of your own can be added here"
        )
    return after


def _detail(key: str, value: str) -> object:
    if not value:
        return None
    if key == "interview_number":
        if not value.isdigit() or not 1 <= int(value) <= MAX_INTERVIEW_NUMBER:
            raise InvalidInput(
                f"the interview number must be a whole number from 1 to {MAX_INTERVIEW_NUMBER}"
            )
        return int(value)
    if key == "format":
        return _one_of(value, INTERVIEW_FORMATS, "format")
    if key == "mode":
        return _one_of(value, INTERVIEW_MODES, "mode")
    return value


def _one_of(value: str, allowed: tuple[str, ...], what: str) -> str:
    for choice in allowed:
        if value.casefold() == choice.casefold():
            return choice
    raise InvalidInput(f"{what} must be one of: {', '.join(allowed)}")


def _known_as(case: Case) -> str:
    return case.transcripts[0] if case.transcripts else case.label
