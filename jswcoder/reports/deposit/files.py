"""The deposit's own files, built in memory: each transcript as .txt and .docx, and the data list.

Every string comes through :class:`jswcoder.reports.privacy.ExportText`, the one way out for exports
(:mod:`jswcoder.services.egress`): a fieldworker's transcripts with their own register entries as well as
the project-wide ones, everything else with the project-wide ones; a lead's text (already anonymised,
merged from packages) as it is. Transcripts are named as the exports name cases: by their participant's
attribution ("Client interview 7") or "Transcript N", never by the file they were imported from.

The data list holds, per transcript file, what may be said of its participant: the attribution (group
and interview number) and only the details asked for among :data:`jswcoder.model.OPTIONAL_ATTRIBUTES`,
as a team package does. A participant's free-form attributes never go.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from jswcoder.model import OPTIONAL_ATTRIBUTES, Participant, category_name
from jswcoder.reports import docx_common
from jswcoder.reports.base import Rendered, printable
from jswcoder.reports.deposit.anonymisation_log import LogEntry
from jswcoder.reports.privacy import ExportText
from jswcoder.reports.xlsx import Sheet, workbook

ATTRIBUTE_HEADINGS = {"format": "Interview format", "mode": "Interview mode", "council_area": "Council area"}
_NOT_IN_FILE_NAMES = re.compile(r"[^\w ().,'&+-]")
MAX_STEM = 80


@dataclass(frozen=True)
class DepositTranscript:
    """One transcript as deposited: its file stem, its text as it leaves, and who it is of."""

    uuid: str
    stem: str
    text: str
    source_file: str
    participant: Participant | None
    # (register entry UUID, the form replaced: its text or one of its other forms) -> times replaced here
    replacements: Counter[tuple[str, str]]


def file_stem(label: str, taken: set[str]) -> str:
    """``label`` as a file name any system accepts, unique among ``taken`` (case aside)."""
    stem = _NOT_IN_FILE_NAMES.sub("_", printable(label)).strip(" .")[:MAX_STEM] or "Transcript"
    candidate, number = stem, 2
    while candidate.casefold() in taken:
        candidate, number = f"{stem} ({number})", number + 1
    taken.add(candidate.casefold())
    return candidate


def transcripts(text: ExportText) -> list[DepositTranscript]:
    """Every transcript of the project as it leaves, in the project's order."""
    found, taken = [], set[str]()
    for number, transcript in enumerate(text.project.transcripts.all(), start=1):
        participant = text.project.transcripts.participant(transcript)
        attribution = participant.attribution if participant else None
        label = text.general(attribution) if attribution else f"Transcript {number}"
        _original, anonymised = text.transcript(transcript.uuid)
        counts = Counter((r.term.key, r.term.text) for r in anonymised.replacements)
        found.append(
            DepositTranscript(
                transcript.uuid,
                file_stem(label, taken),
                anonymised.text,
                transcript.source_name or transcript.name,
                participant,
                counts,
            )
        )
    return found


def as_txt(transcript: DepositTranscript) -> Rendered:
    """UTF-8 text (no BOM), as the transcript leaves."""
    return Rendered(transcript.text.encode("utf-8"), (transcript.text,))


def as_docx(transcript: DepositTranscript) -> Rendered:
    """A Word document: the transcript's name as its heading, then a paragraph per line."""
    document = docx_common.new_document()
    docx_common.clean_properties(document, transcript.stem)
    body = docx_common.Body(document)
    body.paragraph(transcript.stem, docx_common.heading_style(document, 1))
    for line in transcript.text.split("\n"):
        body.paragraph(line)
    return Rendered(docx_common.saved(document), docx_common.texts(document))


def data_list(
    text: ExportText,
    deposited: Sequence[DepositTranscript],
    attributes: Sequence[str],
    released: Mapping[str, Mapping[str, str]],
) -> Rendered:
    """The data list (.xlsx): one row per transcript with its participant's permitted details, as the
    indirect-identification check *released* them (participant UUID -> attribute -> value)."""
    chosen = [a for a in OPTIONAL_ATTRIBUTES if a in attributes]
    header = [
        "Transcript (.docx and .txt)",
        "Participant",
        "Participant group",
        "Interview number",
        *(ATTRIBUTE_HEADINGS[a] for a in chosen),
        "Words",
    ]
    rows: list[list[str | int]] = []
    for transcript in deposited:
        person = transcript.participant
        attribution = person.attribution if person else None
        row: list[str | int] = [
            transcript.stem,
            text.general(attribution) if attribution else "",
            text.general(person.participant_group or "") if person else "",
            person.interview_number if person and person.interview_number is not None else "",
        ]
        row += [text.general(released.get(person.uuid, {}).get(a, "")) if person else "" for a in chosen]
        rows.append([*row, len(transcript.text.split())])
    widths = [30.0, 34.0, 30.0, 12.0, *(18.0 for _ in chosen), 10.0]
    return workbook([Sheet("Data list", header, rows, widths)])


def log_entries(text: ExportText, deposited: Sequence[DepositTranscript]) -> list[LogEntry]:
    """Every replacement made in the deposited transcripts: form by form (an entry's text and each of its
    other forms on a line of its own), transcript by transcript."""
    register = {entry.uuid: entry for entry in text.project.register.entries()}
    found = []
    for transcript in deposited:
        for (key, form), count in sorted(transcript.replacements.items(), key=lambda kv: kv[0][1]):
            entry = register[key]
            found.append(
                LogEntry(
                    form,
                    entry.replacement,
                    category_name(entry.category),
                    transcript.stem,
                    transcript.source_file,
                    count,
                )
            )
    return found
