"""Exports (jswcoder.reports): real files written from real encrypted projects, reopened with
python-docx and openpyxl, and compared with what the project holds, worked out here independently."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Pt

from jswcoder.analysis.matrix import build_matrix
from jswcoder.errors import InvalidInput, JswError
from jswcoder.model import PARTICIPANT_GROUPS
from jswcoder.project import Project
from jswcoder.reports import (
    LeaksInFile,
    ReportOptions,
    Written,
    export_matrix,
    write_report,
    write_summary,
)
from jswcoder.services.transcripts import ParticipantFields
from tests.conftest import corpus_files, make_project, write_txt
from tests.indirect_decided import decide_all

TEXTS = {
    "jsw2": "Interviewer: How is the caseload?\nWorker: Heavy, and training is thin on the ground.\n",
    "sm5": "Interviewer: And staffing?\nManager: We cannot recruit; the waiting list grows every month.\n",
    "client7": "Interviewer: What helped?\nClient: My worker listened, and the group work helped me.\n",
    "client7b": "Interviewer: Second visit?\nClient: She still listens to me properly.\n",
    "loose": "Notes from a visit with no participant recorded. Staff spoke of training.\n",
}
FIELDS = {
    "jsw2": ParticipantFields("Justice social workers", 2, format="depth", mode="video"),
    "sm5": ParticipantFields("Senior managers / team leaders", 5, mode="telephone"),
    "client7": ParticipantFields("Client", 7, mode="in person"),
    "client7b": ParticipantFields("Client", 7),  # the same participant: one case, two transcripts
    "loose": None,
}
CODED = [
    ("jsw2", "Heavy", "Workload/Caseload"),
    ("jsw2", "training is thin on the ground", "Workload/Training"),
    ("sm5", "We cannot recruit", "Workload"),
    ("sm5", "the waiting list grows every month", "Waiting"),
    ("client7", "My worker listened", "Relationships/Listening"),
    ("client7", "the group work helped me", "Relationships"),
    ("client7b", "She still listens to me properly", "Relationships/Listening"),
    ("loose", "Staff spoke of training", "Workload/Training"),
]
MEMO = "- Caseloads are heavy\nTraining is patchy"
# The report's body alone, each passage quoted whole: what these tests compare with the codings.
WHOLE = ReportOptions(title_page=False, trimmed=False)


def code(project: Project, transcript: str, phrase: str, path: str) -> None:
    text = project.transcripts.text(transcript)
    start = text.index(phrase)
    project.codings.add(transcript, start, start + len(phrase), path)


@pytest.fixture
def study(project: Project, tmp_path: Path) -> Project:
    for name, text in TEXTS.items():
        project.transcripts.import_file(write_txt(tmp_path / "in", f"{name}.txt", text), FIELDS[name])
    for path in ("Workload/Caseload", "Workload/Training", "Relationships/Listening"):
        project.codebook.add(path)
    project.codebook.add("Waiting", origin="emergent")
    for name, phrase, path in CODED:
        code(project, name, phrase, path)
    project.memos.save("code", project.codebook.find("Workload").uuid, MEMO)
    project.register.dismiss([c.text for c in project.register.suggestions()])  # reviewed
    decide_all(project)  # its few participants' rare details, reviewed (tests/test_indirect_exports.py)
    return project


# -- reading the files back ---------------------------------------------------------------------------


def docx_text(path: Path) -> str:
    """Every paragraph of the body, the tables, headers and footers, and the document properties."""
    document = docx.Document(str(path))
    pieces = [p.text for p in document.paragraphs]
    for table in document.tables:
        pieces += [cell.text for row in table.rows for cell in row.cells]
    for section in document.sections:
        for part in (section.header, section.footer):
            pieces += [p.text for p in part.paragraphs]
    core = document.core_properties
    pieces += [core.author or "", core.title or "", core.comments or "", core.last_modified_by or ""]
    return "\n".join(pieces)


def xlsx_text(path: Path) -> str:
    book = openpyxl.load_workbook(path)
    pieces = list(book.sheetnames)
    for sheet in book:
        pieces += [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    return "\n".join(pieces)


def sheet_rows(path: Path, title: str) -> list[list[object]]:
    sheet = openpyxl.load_workbook(path)[title]
    return [[c.value for c in row] for row in sheet.iter_rows()]


def expected_label(project: Project, case_transcript: str) -> str:
    """A case's label in a fieldworker's export: "<group> interview <n>", or "Transcript N" by name order."""
    transcript = project.transcripts.find(case_transcript)  # a name or a UUID
    participant = project.transcripts.participant(transcript)
    if participant is not None and participant.participant_group and participant.interview_number:
        return f"{participant.participant_group} interview {participant.interview_number}"
    names = sorted((t.name for t in project.transcripts.all()), key=str.casefold)
    return f"Transcript {names.index(transcript.name) + 1}"


def expected_attribution(project: Project, transcript_name: str) -> str:
    participant = project.transcripts.participant(project.transcripts.find(transcript_name))
    if participant is None or not participant.participant_group or participant.interview_number is None:
        return "(Participant)"
    return f"({participant.participant_group} interview {participant.interview_number})"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- the matrix ---------------------------------------------------------------------------------------


def test_matrix_workbook_holds_the_summaries_and_the_passages(study: Project, tmp_path: Path) -> None:
    matrix = build_matrix(study, level=2)
    matrix.save_summary(0, 0, "Caseloads feel heavy.")
    rows = {c.label: r for r, c in enumerate(matrix.cases)}
    matrix.save_summary(rows["Client interview 7"], 2, "Felt listened to,\nboth visits.")
    out = tmp_path / "out" / "matrix.xlsx"
    out.parent.mkdir()
    written = export_matrix(matrix, out)
    assert written.path == out and written.anonymised  # not a team project: the register applies
    assert leftovers(out.parent) == ["matrix.xlsx"]
    book = openpyxl.load_workbook(out)
    # Level 2: Caseload and Training under Workload, Listening under Relationships; Waiting has none.
    assert book.sheetnames == ["Workload", "Relationships", "Passages"]
    labels = [expected_label(study, c.transcript_uuids[0]) for c in matrix.cases]
    groups = [
        (c.participant.participant_group if c.participant else None) or "(not recorded)" for c in matrix.cases
    ]
    for title, columns, headers in (
        ("Workload", [0, 1], ["Caseload", "Training"]),
        ("Relationships", [2], ["Listening"]),
    ):
        sheet = book[title]
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        assert values[0] == ["Case", "Participant group", *headers]
        assert [row[0] for row in values[1:]] == labels
        assert [row[1] for row in values[1:]] == groups
        for r in range(len(matrix.cases)):
            assert [values[r + 1][2 + i] or "" for i in range(len(columns))] == [
                matrix.summary(r, c) for c in columns
            ]
        assert sheet.freeze_panes == "C2"
        assert sheet["C2"].alignment.wrap_text and sheet["A1"].font.bold
        assert sheet.column_dimensions["C"].width >= 30
    assert (
        book["Relationships"].cell(rows["Client interview 7"] + 2, 3).value
        == "Felt listened to,\nboth visits."
    )
    passages = [
        [labels[r], groups[r], p.code_path, p.text]
        for c in range(len(matrix.themes))
        for r in range(len(matrix.cases))
        for p in matrix.passages(r, c)
    ]
    assert sheet_rows(out, "Passages") == [["Case", "Participant group", "Theme", "Passage"], *passages]
    # Every coding below level 1 is there once; "We cannot recruit" (on Workload itself) and
    # "the group work helped me" (on Relationships itself) lie above level 2.
    assert sorted(p[3] for p in passages) == sorted(
        phrase for _, phrase, path in CODED if path.count("/") == 1
    )


def test_matrix_document_has_landscape_tables_with_repeating_headers(study: Project, tmp_path: Path) -> None:
    for path in (f"Many/Aspect {n}" for n in range(1, 8)):
        study.codebook.add(path)
    matrix = build_matrix(
        study, themes=["Workload/Training", *(f"Many/Aspect {n}" for n in range(1, 8))], by="mode"
    )
    matrix.save_summary(0, 0, "Training is thin.")
    out = tmp_path / "matrix.docx"
    export_matrix(matrix, out, by="mode")
    document = docx.Document(str(out))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [("Heading 1", "Workload"), ("Heading 1", "Many"), ("Heading 2", "Many (continued)")]
    tables = document.tables
    assert len(tables) == 3  # Workload; Many's seven columns as five and two
    for table in tables:
        assert table.style.name == "Table Grid"
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None
        assert [cell.text for cell in table.rows[0].cells][:2] == ["Case", "Mode"]
        assert [row.cells[1].text for row in table.rows[1:]] == [c.value("mode") for c in matrix.cases]
    assert [cell.text for cell in tables[1].rows[0].cells][2:] == [f"Aspect {n}" for n in range(1, 6)]
    assert [cell.text for cell in tables[2].rows[0].cells][2:] == ["Aspect 6", "Aspect 7"]
    assert [row.cells[2].text for row in tables[0].rows[1:]] == [
        matrix.summary(r, 0) for r in range(len(matrix.cases))
    ]
    assert tables[0].rows[1].cells[2].text == "Training is thin."


def test_emergent_columns_are_marked_and_an_unknown_grouping_is_refused(
    study: Project, tmp_path: Path
) -> None:
    matrix = build_matrix(study)
    export_matrix(matrix, tmp_path / "m.xlsx")
    assert sheet_rows(tmp_path / "m.xlsx", "Waiting")[0] == [
        "Case",
        "Participant group",
        "Waiting (emergent)",
    ]
    with pytest.raises(InvalidInput, match="no case has the attribute 'colour'"):
        export_matrix(matrix, tmp_path / "n.xlsx", by="colour")
    assert not (tmp_path / "n.xlsx").exists()


def test_text_that_looks_like_a_formula_stays_text(study: Project, tmp_path: Path) -> None:
    matrix = build_matrix(study)
    formula = '=HYPERLINK("http://example.invalid","click")'
    matrix.save_summary(0, 0, formula)
    matrix.save_summary(1, 0, "- seeded point")
    export_matrix(matrix, tmp_path / "m.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "m.xlsx")["Workload"]
    for row, expected in ((2, formula), (3, "- seeded point")):
        cell = sheet.cell(row, 3)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (expected, "s", True)
    assert sheet.cell(1, 1).quotePrefix is False
    study.codebook.add("=1+2")
    study.codebook.add("@SUM(A1)")
    write_summary(study, tmp_path / "s.csv")
    cells = [row[0] for row in csv.reader(io.StringIO((tmp_path / "s.csv").read_text(encoding="utf-8-sig")))]
    assert "'=1+2" in cells and "'@SUM(A1)" in cells and "=1+2" not in cells
    write_summary(study, tmp_path / "s.xlsx")
    summary = openpyxl.load_workbook(tmp_path / "s.xlsx").active
    found = [c for c in summary["A"] if c.value == "=1+2"]
    assert len(found) == 1 and found[0].data_type == "s" and found[0].quotePrefix


# -- the theme report ---------------------------------------------------------------------------------


def _case_rank(project: Project, transcript_name: str) -> tuple[int, int]:
    participant = project.transcripts.participant(project.transcripts.find(transcript_name))
    if participant is None or participant.participant_group is None:
        return (len(PARTICIPANT_GROUPS), 10**9)
    return (PARTICIPANT_GROUPS.index(participant.participant_group or ""), participant.interview_number or 0)


def test_report_quotes_each_passage_under_its_theme_with_its_attribution(
    study: Project, tmp_path: Path
) -> None:
    out = tmp_path / "report.docx"
    written = write_report(study, out, options=WHOLE)
    assert written.path == out
    paragraphs = docx.Document(str(out)).paragraphs
    headings = [(p.style.name, p.text) for p in paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        ("Heading 1", "Workload"),
        ("Heading 2", "Caseload"),
        ("Heading 2", "Training"),
        ("Heading 1", "Relationships"),
        ("Heading 2", "Listening"),
        ("Heading 1", "Waiting"),
    ]
    by_text = {p.text: p for p in study.codings.passages()}  # the coded phrases are all different
    quotes_under: dict[str, list[str]] = {}
    heading = ""
    for index, paragraph in enumerate(paragraphs):
        if paragraph.style.name.startswith("Heading"):
            heading = paragraph.text
        if paragraph.style.name != "Quote":
            continue
        passage = by_text[paragraph.text]
        assert passage.code_path.split("/")[-1] == heading
        following = paragraphs[index + 1]
        assert following.style.name == "Quote attribution"
        assert following.text == expected_attribution(study, passage.transcript)
        quotes_under.setdefault(heading, []).append(passage.transcript)
    assert sum(len(q) for q in quotes_under.values()) == len(CODED)
    # Within a theme, quotes follow the cases: study group order, then interview number, then the rest.
    for transcripts in quotes_under.values():
        assert transcripts == sorted(transcripts, key=lambda name: _case_rank(study, name))
    assert quotes_under["Training"] == ["jsw2", "loose"]
    assert quotes_under["Listening"] == ["client7", "client7b"]
    texts = [p.text for p in paragraphs]
    start = texts.index("Key points")
    assert paragraphs[start].runs[0].bold
    assert [(p.style.name, p.text) for p in paragraphs[start + 1 : start + 3]] == [
        ("List Bullet", "Caseloads are heavy"),
        ("Normal", "Training is patchy"),
    ]
    assert texts.count("Key points") == 1  # only Workload has a memo
    assert "(Participant)" in texts  # the loose transcript has no group or number


def test_report_of_chosen_themes_takes_their_sub_themes(study: Project, tmp_path: Path) -> None:
    write_report(study, tmp_path / "a.docx", themes=["Relationships/Listening", "Waiting"], options=WHOLE)
    paragraphs = docx.Document(str(tmp_path / "a.docx")).paragraphs
    assert [(p.style.name, p.text) for p in paragraphs if p.style.name.startswith("Heading")] == [
        ("Heading 1", "Relationships/Listening"),
        ("Heading 1", "Waiting"),
    ]
    assert [p.text for p in paragraphs if p.style.name == "Quote"] == [
        "My worker listened",
        "She still listens to me properly",
        "the waiting list grows every month",
    ]
    write_report(study, tmp_path / "b.docx", themes=["workload"])
    headings = [
        p.text
        for p in docx.Document(str(tmp_path / "b.docx")).paragraphs
        if p.style.name.startswith("Heading")
    ]
    assert headings == ["Workload", "Caseload", "Training"]
    with pytest.raises(InvalidInput, match="no theme with the path"):
        write_report(study, tmp_path / "c.docx", themes=["Nowhere"])
    assert not (tmp_path / "c.docx").exists()


def _template(path: Path) -> Path:
    document = docx.Document()
    quote = document.styles.add_style("Participant quote", WD_STYLE_TYPE.PARAGRAPH)
    quote.base_style = document.styles["Quote"]
    quote.font.size = Pt(13)
    document.styles["Heading 1"].font.size = Pt(20)
    document.add_paragraph("Template body to be removed")
    document.sections[0].header.paragraphs[0].text = "Team report draft"
    document.core_properties.author = "Template Author"
    document.save(str(path))
    return path


def test_report_takes_its_styles_from_a_template(study: Project, tmp_path: Path) -> None:
    template = _template(tmp_path / "team template.docx")
    write_report(study, tmp_path / "report.docx", template=template)
    document = docx.Document(str(tmp_path / "report.docx"))
    texts = [p.text for p in document.paragraphs]
    assert "Template body to be removed" not in texts
    quotes = [p for p in document.paragraphs if p.text == "My worker listened…"]  # trimmed: mid-sentence
    assert len(quotes) == 1 and quotes[0].style.name == "Participant quote"
    assert quotes[0].style.font.size == Pt(13)
    assert document.styles["Heading 1"].font.size == Pt(20)
    assert document.sections[0].header.paragraphs[0].text == "Team report draft"
    assert document.core_properties.author == ""  # the template's author does not travel on
    assert document.paragraphs[texts.index("My worker listened…") + 1].style.name == "Quote attribution"


def _bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (4 * 1024 * 1024))
    return path


def _spreadsheet(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: write_txt(p.parent, p.name, "not a zip at all"), "is damaged or is not a Word document"),
        (_bomb, "compressed suspiciously well"),
        (lambda p: (p.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600), p)[1], "old Word .doc"),
        (_spreadsheet, "is not a plain Word document"),
        (lambda p: p.with_name("missing.docx"), "was not found"),
        (lambda p: _template(p.with_suffix(".dotx")), "is not a .docx file"),
    ],
)
def test_a_bad_template_is_refused_and_nothing_is_written(
    study: Project, tmp_path: Path, make: object, reason: str
) -> None:
    inputs = tmp_path / "in2"
    inputs.mkdir()
    template = make(inputs / "template.docx")  # type: ignore[operator]
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(InvalidInput, match=re.escape(reason)) as refused:
        write_report(study, out / "report.docx", template=template)
    assert str(refused.value).startswith(f"the template {template.name} cannot be used")
    assert leftovers(out) == []


# -- the coding summary -------------------------------------------------------------------------------


def _expected_summary(project: Project) -> dict[str, dict[str, tuple[int, int]]]:
    """Per theme path and group: (passages, distinct cases), counted from the coded passages."""
    passages: Counter[tuple[str, str]] = Counter()
    cases: dict[tuple[str, str], set[str]] = {}
    for p in project.codings.passages():
        transcript = project.transcripts.find(p.transcript)
        participant = project.transcripts.participant(transcript)
        group = (participant.participant_group if participant else None) or "(not recorded)"
        case = participant.uuid if participant else transcript.uuid
        parts = p.code_path.split("/")
        for depth in range(1, len(parts) + 1):
            for key in (("/".join(parts[:depth]), group), ("/".join(parts[:depth]), "Total")):
                passages[key] += 1
                cases.setdefault(key, set()).add(case)
    table: dict[str, dict[str, tuple[int, int]]] = {}
    for (path, group), count in passages.items():
        table.setdefault(path, {})[group] = (count, len(cases[(path, group)]))
    return table


def _summary_table(rows: list[list[object]]) -> dict[str, dict[str, tuple[int, int]]]:
    header = [str(h) for h in rows[0]]
    table: dict[str, dict[str, tuple[int, int]]] = {}
    for row in rows[1:]:
        for column in range(1, len(header), 2):
            group = header[column].removesuffix(": passages")
            assert header[column + 1] == f"{group}: participants"
            counts = (int(str(row[column])), int(str(row[column + 1])))
            if counts != (0, 0):
                table.setdefault(str(row[0]), {})[group] = counts
    return table


def test_summary_counts_passages_and_participants_per_group(study: Project, tmp_path: Path) -> None:
    write_summary(study, tmp_path / "s.csv")
    raw = (tmp_path / "s.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte order mark, for Excel
    rows: list[list[object]] = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "Theme (counts include sub-themes)"
    assert rows[0][1::2] == [
        "Justice social workers: passages",
        "Senior managers / team leaders: passages",
        "Client: passages",
        "(not recorded): passages",
        "Total: passages",
    ]
    assert [r[0] for r in rows[1:]] == [c.path for c in study.codebook.all()]
    expected = _expected_summary(study)
    assert _summary_table(rows) == expected
    assert expected["Relationships/Listening"]["Client"] == (2, 1)  # two transcripts, one participant
    write_summary(study, tmp_path / "s.xlsx")
    assert _summary_table(sheet_rows(tmp_path / "s.xlsx", "Coding summary")) == expected


# -- anonymisation ------------------------------------------------------------------------------------


def _whole_word(needle: str, haystack: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(needle)}(?![\w])", haystack) is not None


def test_no_register_entry_reaches_any_export_from_a_fieldworker_project(
    corpus: Path, tmp_path: Path
) -> None:
    project, _ = make_project(tmp_path / "fw")
    with project:
        sources = corpus_files(corpus)
        report = project.transcripts.import_files(sources)
        assert not report.rejected
        key: dict[str, dict[str, object]] = {}
        for source in sources:
            for item in json.loads(source.with_name(source.stem + ".identifiers.json").read_text("utf-8")):
                key.setdefault(str(item["text"]), item)
        for text, item in key.items():
            project.register.add(text, str(item["replacement"]), str(item["category"]))
        person = next(t for t, i in key.items() if i["category"] == "PERSON" and " " in t and "\n" not in t)
        loose = project.transcripts.import_file(
            write_txt(tmp_path / "in", f"{person} notes.txt", f"Notes: {person} phoned about the rota.\n")
        )[0]
        project.codebook.add("Partnership working/Key local partners")
        in_vivo = project.codebook.add(f"Emergent themes/{person} said it", origin="emergent")
        for transcript in project.transcripts.all():
            text = project.transcripts.text_of(transcript.uuid)
            own = [t for t in key if t in text][:6]
            for entry in own:  # a passage starting inside a name, and one ending inside it
                at = text.index(entry)
                project.codings.add(
                    transcript.uuid,
                    at + 1,
                    min(len(text), at + len(entry) + 80),
                    "Partnership working/Key local partners",
                )
                project.codings.add(transcript.uuid, max(0, at - 60), at + 2, in_vivo.path)
        project.memos.save("code", in_vivo.uuid, f"- {person} came up twice\nCheck with {person}.")
        matrix = build_matrix(project, level=2)
        for row in range(len(matrix.cases)):
            matrix.save_summary(row, 0, f"Talks about {person} and {next(iter(key))}.")
        project.register.dismiss([c.text for c in project.register.suggestions()])  # the review, done
        decide_all(project)
        out = tmp_path / "exports"
        out.mkdir()
        for name in ("matrix.xlsx", "matrix.docx"):
            assert export_matrix(matrix, out / name).anonymised
        write_report(project, out / "report.docx")  # trimmed quotes, with the title page
        write_report(project, out / "whole.docx", options=WHOLE)
        write_summary(project, out / "summary.csv")
        write_summary(project, out / "summary.xlsx")
        texts = {
            "matrix.xlsx": xlsx_text(out / "matrix.xlsx"),
            "matrix.docx": docx_text(out / "matrix.docx"),
            "report.docx": docx_text(out / "report.docx"),
            "whole.docx": docx_text(out / "whole.docx"),
            "summary.csv": (out / "summary.csv").read_text(encoding="utf-8-sig"),
            "summary.xlsx": xlsx_text(out / "summary.xlsx"),
        }
        for name, text in texts.items():
            assert [entry for entry in key if _whole_word(entry, text)] == [], name
        assert loose.name not in "\n".join(texts.values())
        quotes = [p for p in docx.Document(str(out / "whole.docx")).paragraphs if p.style.name == "Quote"]
        assert len(quotes) == len(project.codings.passages())
        assert all("[" in q.text for q in quotes)  # each passage touched a name: each has a descriptor
        assert "Transcript" in texts["matrix.xlsx"] and "interview 26" in texts["report.docx"]


def test_a_team_project_is_not_anonymised_again(tmp_path: Path) -> None:
    lead, _ = make_project(tmp_path / "lead")
    with lead:
        lead.team.create("Study team")
        transcript = lead.transcripts.import_file(
            write_txt(tmp_path / "in", "client_3.txt", "Client: Morag came every week.\n"),
            ParticipantFields("Client", 3),
        )[0]
        lead.register.add("Morag", "[WORKER]", "PERSON")
        lead.codebook.add("Relationships")
        code(lead, transcript.uuid, "Morag came every week", "Relationships")
        written = write_report(lead, tmp_path / "lead.docx")
        assert not written.anonymised
        texts = [p.text for p in docx.Document(str(tmp_path / "lead.docx")).paragraphs]
        assert "Morag came every week." in texts and "(Client interview 3)" in texts  # with its stop
    fieldworker, _ = make_project(tmp_path / "fw")
    with fieldworker:
        transcript = fieldworker.transcripts.import_file(
            write_txt(tmp_path / "in", "client_3.txt", "Client: Morag came every week.\n"),
            ParticipantFields("Client", 3),
        )[0]
        fieldworker.register.add("Morag", "[WORKER]", "PERSON")
        fieldworker.codebook.add("Relationships")
        code(fieldworker, transcript.uuid, "Morag came every week", "Relationships")
        fieldworker.register.dismiss([c.text for c in fieldworker.register.suggestions()])
        decide_all(fieldworker)  # one participant: its quote with a descriptor narrows to one
        write_report(fieldworker, tmp_path / "fw.docx")
        texts = [p.text for p in docx.Document(str(tmp_path / "fw.docx")).paragraphs]
        assert "[WORKER] came every week." in texts


def rose_in_a_theme_name(project: Project, tmp_path: Path) -> None:
    """A register entry limited to one transcript, and a theme named with it: the theme name leaks."""
    rose = project.transcripts.import_file(write_txt(tmp_path / "in", "a.txt", "P1: Rose was my worker.\n"))[
        0
    ]
    project.transcripts.import_file(write_txt(tmp_path / "in", "b.txt", "P1: The price rose again.\n"))
    project.register.add("Rose", "[WORKER]", "PERSON", rose.name)  # only in a.txt
    project.codebook.add("Rose and the others")  # a theme name is not in any one transcript
    project.register.dismiss([c.text for c in project.register.suggestions()])


def test_an_identifier_left_in_a_theme_name_refuses_the_export(project: Project, tmp_path: Path) -> None:
    rose_in_a_theme_name(project, tmp_path)
    out = tmp_path / "report.docx"
    out.write_bytes(b"an earlier report")
    with pytest.raises(LeaksInFile) as refused:
        write_report(project, out, options=ReportOptions(all_themes=True))  # the theme has no quotes
    assert "Rose" not in str(refused.value) and "1 identifying detail" in str(refused.value)
    assert out.read_bytes() == b"an earlier report"  # untouched
    assert leftovers(tmp_path) == ["in", "report.docx", "study"]


# -- where and what is written ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("write", "good", "suffixes"),
    [
        (lambda p, out: export_matrix(build_matrix(p), out), ".xlsx", ".xlsx or .docx"),
        (write_report, ".docx", ".docx"),
        (write_summary, ".csv", ".csv or .xlsx"),
    ],
)
def test_bad_targets_get_clear_errors_and_leave_no_file(
    study: Project, tmp_path: Path, write: Callable[[Project, Path], Written], good: str, suffixes: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(InvalidInput, match=f"choose a file ending in {re.escape(suffixes)}"):
        write(study, out / "export.pdf")
    with pytest.raises(JswError, match="is not there"):
        write(study, out / "missing" / f"x{good}")
    (out / "a file").write_text("x", encoding="utf-8")
    with pytest.raises(JswError, match="cannot write in"):
        write(study, out / "a file" / f"x{good}")
    (out / f"folder{good}").mkdir()
    with pytest.raises(InvalidInput, match="is a folder"):
        write(study, out / f"folder{good}")
    assert leftovers(out) == ["a file", f"folder{good}"]
    assert write(study, out / f"x{good.upper()}").path.is_file()  # the suffix in any case


def test_an_empty_project_exports_empty_files(project: Project, tmp_path: Path) -> None:
    export_matrix(build_matrix(project), tmp_path / "m.xlsx")
    assert openpyxl.load_workbook(tmp_path / "m.xlsx").sheetnames == ["Passages"]
    export_matrix(build_matrix(project), tmp_path / "m.docx")
    assert docx.Document(str(tmp_path / "m.docx")).tables == []
    write_report(project, tmp_path / "r.docx", options=ReportOptions(title_page=False))
    assert [p.text for p in docx.Document(str(tmp_path / "r.docx")).paragraphs] == [
        "There are no themes to report."
    ]
    write_summary(project, tmp_path / "s.csv")
    assert (tmp_path / "s.csv").read_bytes() == (
        b"\xef\xbb\xbfTheme (counts include sub-themes),Total: passages,Total: participants\r\n"
    )


def test_sheet_titles_and_long_cells_are_made_acceptable_to_excel(tmp_path: Path) -> None:
    from jswcoder.reports.xlsx import MAX_CELL_CHARACTERS, Sheet, sheet_title, workbook

    taken: set[str] = set()
    # Excel: at most 31 characters, none of []:*?/\, unique without regard to case, not "History".
    assert sheet_title("[NAME] said: it*", taken) == "NAME said it"
    assert sheet_title("name SAID it", taken) == "name SAID it (2)"
    assert sheet_title("History", taken) == "History (theme)"
    long_title = sheet_title("A" * 40, taken)
    assert long_title == "A" * 31 and sheet_title("A" * 40, taken) == "A" * 27 + " (2)"
    text = "word " * 10_000  # 50,000 characters
    rendered = workbook([Sheet("Long", ("Passage",), [(text,)], (90,))])
    (tmp_path / "long.xlsx").write_bytes(rendered.data)
    value = str(openpyxl.load_workbook(tmp_path / "long.xlsx")["Long"]["A2"].value)
    assert value.startswith(text[:MAX_CELL_CHARACTERS]) and len(value) < 32_767
    assert value.endswith(f"[{len(text) - MAX_CELL_CHARACTERS:,} more characters not shown]")
