"""A coding query's results as a file: .docx (the passages as quotes) or .xlsx (a row per passage).

It leaves the project as every report does: each string through :class:`ExportText` (the register
applied in a fieldworker's project; the query itself too, as it names themes), the passages quoted
through :meth:`ExportText.quote` (widened to whole words, the indirect-identification check told of
each: a passage is checked as a quote of the coding it lies in), the file's text checked before it is written and written atomically by :func:`deliver`. A case
is labelled by its attribution, or "Transcript N" in a fieldworker's export; the coders are named only
in a lead's export, as on a report's title page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jswcoder.analysis.matrix import Case
from jswcoder.analysis.query import Located
from jswcoder.model import Coding, Participant
from jswcoder.project import Project
from jswcoder.reports import Written
from jswcoder.reports import docx_common as word
from jswcoder.reports.base import Exporters, Rendered, deliver
from jswcoder.reports.privacy import ExportText
from jswcoder.reports.theme_report import _quote_styles
from jswcoder.reports.xlsx import Sheet, workbook

TITLE = "Coding query"


@dataclass(frozen=True)
class Quoted:
    case: str  # "Client interview 7", "Transcript 3"
    coder: str  # "" in a fieldworker's export
    text: str
    attribution: str  # "(Client interview 7)", or its accepted generalisation


@dataclass(frozen=True)
class QueryResults:
    query: str
    passages: tuple[Quoted, ...]
    coders_named: bool


QUERY: Exporters[QueryResults] = Exporters("a query's results")


def query_results(project: Project, text: ExportText, query: str, found: Sequence[Located]) -> QueryResults:
    """The passages as they may leave the project."""
    participants: dict[str, Participant | None] = {}
    codings: dict[str, list[Coding]] = {}
    quoted = []
    named = not text.anonymises
    speakers = project.speakers.owners()
    for passage in found:
        if passage.transcript_uuid not in participants:
            transcript = project.transcripts.get(passage.transcript_uuid)
            participants[passage.transcript_uuid] = project.transcripts.participant(transcript)
        participant = participants[passage.transcript_uuid]
        speaker = speakers.at(passage.transcript_uuid, passage.start)  # a focus group's speaker case
        case = Case(
            speaker.uuid if speaker else participant.uuid if participant else passage.transcript_uuid,
            passage.transcript,
            speaker.participant if speaker else participant,
            (passage.transcript_uuid,),
            speaker=speaker,
        )
        coding = Coding(
            _quote_id(project, codings, passage),
            passage.transcript_uuid,
            "",
            passage.start,
            passage.end,
            passage.coder_uuid,
            "",
        )
        words = text.quote(coding)
        quoted.append(
            Quoted(
                text.case_label(case), passage.coder if named else "", words, text.attribution(case, coding)
            )
        )
    return QueryResults(text.general(query), tuple(quoted), named)


def _quote_id(project: Project, codings: dict[str, list[Coding]], passage: Located) -> str:
    """Which quote the indirect-identification check reads a passage as: the coding it lies in (by the
    same coder), so that the review's decision on that coding's quote holds when the passage is the whole
    of it. A part of a coding, or a stretch across several, is a quote of its own: if it narrows down
    who speaks, the export is refused, as the review (which lists coded passages) cannot decide it."""
    if passage.transcript_uuid not in codings:
        codings[passage.transcript_uuid] = project.codings.of_transcript(passage.transcript_uuid)
    for coding in codings[passage.transcript_uuid]:
        inside = coding.start <= passage.start and passage.end <= coding.end
        if inside and coding.coder_uuid == passage.coder_uuid:
            return coding.uuid
    return f"query:{passage.transcript_uuid}:{passage.start}:{passage.end}:{passage.coder_uuid}"


def render_docx(results: QueryResults) -> Rendered:
    document = word.new_document()
    word.clean_properties(document, TITLE)
    quote_style, attribution_style = _quote_styles(document)
    normal = word.paragraph_style_named(document, "Normal")
    body = word.Body(document)
    body.paragraph(TITLE, word.heading_style(document, 1))
    body.paragraph(results.query, normal)
    count = len(results.passages)
    body.paragraph(f"{count} passage{'' if count == 1 else 's'}.", normal)
    for passage in results.passages:
        body.paragraph(passage.text.strip(), quote_style, keep_with_next=True)
        coder = f" coded by {passage.coder}" if passage.coder else ""
        body.paragraph(passage.attribution + coder, attribution_style)
    return Rendered(word.saved(document), word.texts(document))


def render_xlsx(results: QueryResults) -> Rendered:
    header = ["Case", *(["Coder"] if results.coders_named else []), "Passage", "Attribution"]
    rows = [
        [p.case, *([p.coder] if results.coders_named else []), p.text, p.attribution]
        for p in results.passages
    ]
    widths = (28, *((16,) if results.coders_named else ()), 80, 28)
    return workbook(
        [Sheet("Query", ["Query"], [[results.query]], (100,)), Sheet("Passages", header, rows, widths)]
    )


QUERY.register(".docx", render_docx)
QUERY.register(".xlsx", render_xlsx)


def write_query_results(project: Project, path: Path | str, query: str, found: Sequence[Located]) -> Written:
    """Write what a query found (.docx or .xlsx), anonymised as any report from this project is."""
    target = QUERY.check(path)
    text = ExportText(project)
    results = query_results(project, text, query, found)
    written = Written(
        deliver(target, QUERY.render(target, results), text), text.anonymises, f"{len(found)} passages"
    )
    # In the audit trail as every export: its kind, the file's name, what it holds; not the query's
    # text, which may name a detail of a case.
    project.audit.record(
        "export",
        what="coding query results",
        file=target.name,
        anonymised=written.anonymised,
        holds=written.holds,
    )
    return written
