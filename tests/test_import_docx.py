"""The .docx reader on real documents built in the test: tracked changes, notes, tables and the
inline features python-docx's own text accessors get wrong."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jswcoder.errors import ImportRejected
from jswcoder.importing import ImportedDocument, read_document
from tests.conftest import CORPUS

NS = " ".join(
    [
        nsdecls("w", "r"),
        'xmlns:v="urn:schemas-microsoft-com:vml"',
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"',
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"',
    ]
)
TRACKED = "tracked changes"


def build(tmp_path: Path, fill: Callable[[Document], object], name: str = "built.docx") -> Path:
    document = docx.Document()
    fill(document)
    path = tmp_path / name
    document.save(str(path))
    return path


def add_xml_paragraph(document: Document, inner: str) -> None:
    """Append a body paragraph whose content is raw WordprocessingML."""
    paragraph = document.add_paragraph()._p
    for child in list(parse_xml(f"<w:p {NS}>{inner}</w:p>")):
        paragraph.append(child)


def run(text: str, bold: bool = False) -> str:
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>'


INS = '<w:ins w:id="1" w:author="A" w:date="2024-01-01T00:00:00Z">' + run("inserted words") + "</w:ins>"
DEL = (
    '<w:del w:id="2" w:author="A" w:date="2024-01-01T00:00:00Z"><w:r>'
    '<w:delText xml:space="preserve">deleted words </w:delText></w:r></w:del>'
)


def test_tracked_changes_in_the_body_are_accepted(tmp_path: Path) -> None:
    path = build(
        tmp_path, lambda d: add_xml_paragraph(d, run("Interviewer: We kept ") + DEL + INS + run("."))
    )
    document = read_document(path)
    assert document.text == "Interviewer: We kept inserted words."
    assert "deleted" not in document.text
    assert len(document.warnings) == 1 and TRACKED in document.warnings[0]
    assert "inserted" in document.warnings[0] and "deleted" in document.warnings[0]


def test_moves_keep_the_destination_only(tmp_path: Path) -> None:
    move_from = '<w:moveFrom w:id="3" w:author="A">' + run("old place ") + "</w:moveFrom>"
    move_to = '<w:moveTo w:id="4" w:author="A">' + run("new place") + "</w:moveTo>"
    path = build(tmp_path, lambda d: add_xml_paragraph(d, move_from + run("Text in ") + move_to))
    document = read_document(path)
    assert document.text == "Text in new place"
    assert TRACKED in document.warnings[0]


def test_tracked_changes_in_a_header_of_a_document_without_footnotes(tmp_path: Path) -> None:
    def fill(d: Document) -> None:
        d.add_paragraph("Interviewer: Hello.")
        header = d.sections[0].header.paragraphs[0]._p
        for child in list(parse_xml(f"<w:p {NS}>{run('Study ')}{DEL}{INS}</w:p>")):
            header.append(child)

    document = read_document(build(tmp_path, fill))
    assert document.text == "Interviewer: Hello."
    assert [(n.kind, n.text) for n in document.notes] == [("header", "Study inserted words")]
    assert TRACKED in document.warnings[0]


def test_no_tracked_changes_no_warning(tmp_path: Path) -> None:
    document = read_document(build(tmp_path, lambda d: d.add_paragraph("Plain.")))
    assert document.warnings == ()


def test_inline_features(tmp_path: Path) -> None:
    field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    inner = (
        run("A\u00a0“quote”\u2014dash")
        + "<w:r><w:tab/><w:t>tabbed</w:t><w:br/><w:t>soft</w:t><w:cr/><w:t>x</w:t></w:r>"
        + '<w:r><w:t>non</w:t><w:noBreakHyphen/><w:t>breaking</w:t><w:softHyphen/><w:t>!</w:t></w:r>'
        + '<w:r><w:sym w:font="Symbol" w:char="03A9"/></w:r>'
        + field
        + '<w:hyperlink r:id="rIdX">' + run(" link") + "</w:hyperlink>"
        + "<w:smartTag>" + run(" smart") + "</w:smartTag>"
        + '<w:sdt><w:sdtPr><w:alias w:val="x"/></w:sdtPr><w:sdtContent>' + run(" control")
        + "</w:sdtContent></w:sdt>"
        + "<w:fldSimple w:instr=\"DATE\">" + run(" simple") + "</w:fldSimple>"
    )  # fmt: skip
    path = build(tmp_path, lambda d: add_xml_paragraph(d, inner))
    text = read_document(path).text
    assert text == (
        "A\u00a0“quote”\u2014dash\ttabbed\nsoft\nxnon\u2011breaking!\u03a97 link smart control simple"
    )


def test_body_content_controls_and_text_boxes(tmp_path: Path) -> None:
    box = "<w:txbxContent><w:p>" + run("Boxed text") + "</w:p></w:txbxContent>"
    drawing = (
        "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wps:txbx>" + box
        + "</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox>" + box
        + "</v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )  # fmt: skip

    def fill(d: Document) -> None:
        add_xml_paragraph(d, run("Before") + drawing)
        body_sdt = parse_xml(
            f"<w:sdt {NS}><w:sdtPr/><w:sdtContent><w:p>{run('In a control')}</w:p></w:sdtContent></w:sdt>"
        )
        d.element.body.insert(len(d.element.body) - 1, body_sdt)

    text = read_document(build(tmp_path, fill)).text
    assert text == "Before\nBoxed text\nIn a control"


def test_bold_labels_are_turns_but_bold_headings_are_not(tmp_path: Path) -> None:
    def fill(d: Document) -> None:
        add_xml_paragraph(d, run("Section 2: Findings", bold=True))
        add_xml_paragraph(d, run("Fiona:", bold=True) + run(" Only once, but bold."))
        add_xml_paragraph(d, run("A continuation paragraph."))
        add_xml_paragraph(d, run("Interviewer:") + run(" Thanks."))

    document = read_document(build(tmp_path, fill))
    turns = [(t.speaker, document.text[t.start : t.end]) for t in document.turns]
    assert turns == [
        ("Fiona", "Fiona: Only once, but bold.\nA continuation paragraph."),
        ("Interviewer", "Interviewer: Thanks."),
    ]


def test_speaker_table(tmp_path: Path) -> None:
    def fill(d: Document) -> None:
        d.add_paragraph("Group discussion")
        rows = [("Speaker", "Utterance"), ("P1:", "Hello."), ("", "[noise]"), ("Fiona", "Hi."), ("P1:", "")]
        table = d.add_table(rows=len(rows), cols=2)
        for row, (who, said) in zip(table.rows, rows, strict=True):
            row.cells[0].text = who
            row.cells[1].text = said
        table.rows[3].cells[1].add_paragraph("Second paragraph.")
        d.add_paragraph("After the table.")

    document = read_document(build(tmp_path, fill))
    assert document.text == (
        "Group discussion\nSpeaker\tUtterance\nP1: Hello.\n[noise]\nFiona: Hi.\nSecond paragraph.\n"
        "P1:\nAfter the table."
    )
    turns = [(t.speaker, document.text[t.start : t.end]) for t in document.turns]
    assert turns == [("P1", "P1: Hello."), ("Fiona", "Fiona: Hi.\nSecond paragraph."), ("P1", "P1:")]


def test_other_tables_and_nested_tables(tmp_path: Path) -> None:
    def fill(d: Document) -> None:
        table = d.add_table(rows=2, cols=3)
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row.cells):
                cell.text = f"r{r}c{c}"
        inner = table.rows[1].cells[2].add_table(rows=1, cols=2)
        inner.rows[0].cells[0].text = "in1"
        inner.rows[0].cells[1].text = "in2"

    text = read_document(build(tmp_path, fill)).text
    assert text.startswith("r0c0\tr0c1\tr0c2\nr1c0\tr1c1\tr1c2\nin1\tin2")


def test_a_list_of_people_is_not_a_speaker_table(tmp_path: Path) -> None:
    def fill(d: Document) -> None:
        table = d.add_table(rows=2, cols=2)
        for row, (who, role) in zip(
            table.rows, [("Fiona", "Social worker"), ("Kenny", "Manager")], strict=True
        ):
            row.cells[0].text = who
            row.cells[1].text = role

    document = read_document(build(tmp_path, fill))
    assert document.text == "Fiona\tSocial worker\nKenny\tManager"
    assert document.turns == ()


def test_comments_are_notes_anchored_in_the_text(tmp_path: Path) -> None:
    def fill(d: Document) -> None:
        paragraph = d.add_paragraph("Interviewer: ")
        commented = paragraph.add_run("this bit")
        d.add_comment(commented, text="Check this", author="Reviewer")

    document = read_document(build(tmp_path, fill))
    assert document.text == "Interviewer: this bit"
    [note] = document.notes
    assert (note.kind, note.text, note.anchor) == ("comment", "Check this", len("Interviewer: "))


# ---------------------------------------------------------------------------------------------
# The corpus file with a header, a footer and footnotes


@pytest.fixture(scope="module")
def a5() -> ImportedDocument:
    path = CORPUS / "A5_paraprofessional_depth.docx"
    if not path.is_file():
        pytest.skip("the shared corpus is not available")
    return read_document(path)


def test_a5_notes_hold_header_footer_and_footnotes(a5: ImportedDocument) -> None:
    kinds = [n.kind for n in a5.notes]
    assert kinds == ["header", "footer", "footnote", "footnote"]
    header, footer, first, second = a5.notes
    assert header.text == (
        "Justice Social Work Services Study – Interview Transcripts\nInterview 21 | Paraprofessional | Highland"
    )
    assert footer.text == "Confidential – for research team use only | Page 1"  # cached page number
    assert "07700 900 663" in first.text
    assert "Catriona" in second.text
    assert header.anchor is None and footer.anchor is None


def test_a5_note_text_does_not_leak_into_the_body(a5: ImportedDocument) -> None:
    for fragment in ("Interview Transcripts", "Confidential", "07700 900 663", "checked carefully"):
        assert fragment not in a5.text


def test_a5_footnote_anchors_point_at_their_reference(a5: ImportedDocument) -> None:
    anchors = [n.anchor for n in a5.notes if n.kind == "footnote" and n.anchor is not None]
    assert len(anchors) == 2
    assert anchors == sorted(anchors)
    for anchor in anchors:
        assert 0 < anchor < len(a5.text)
        # Both references sit at the end of a paragraph spoken by the participant.
        assert a5.text[anchor] == "\n"
        line_start = a5.text.rfind("\n", 0, anchor) + 1
        assert a5.text[line_start:anchor].startswith("Donna: ")
        assert a5.text[anchor - 1] == "."


# ---------------------------------------------------------------------------------------------
# Arbitrary nesting of the elements the walker knows never breaks the document's invariants

TAGS = [
    "w:p", "w:r", "w:tbl", "w:tr", "w:tc", "w:sdt", "w:sdtContent", "w:sdtPr", "w:ins", "w:del",
    "w:moveFrom", "w:moveTo", "mc:AlternateContent", "mc:Choice", "mc:Fallback", "w:txbxContent",
    "w:drawing", "w:hyperlink", "w:smartTag", "w:customXml", "w:fldSimple", "w:instrText",
    "w:delText", "w:rPr", "w:pPr", "w:trPr",
]  # fmt: skip
LEAVES = [
    "", "<w:br/>", "<w:tab/>", '<w:sym w:char="zz"/>', '<w:sym w:char="D800"/>', "<w:b/>",
    '<w:footnoteReference w:id="1"/>', '<w:commentRangeStart w:id="0"/>',
    "<w:r><w:t>Interviewer: hi</w:t></w:r>", "<w:r><w:rPr><w:b/></w:rPr><w:t>Fiona:</w:t></w:r>",
    "<w:p><w:r><w:t>P1: </w:t></w:r><w:r><w:t>text</w:t></w:r></w:p>", "<w:t>loose</w:t>",
]  # fmt: skip


def _element(children: list[str], tag: str) -> str:
    return f"<{tag}>{''.join(children)}</{tag}>"


XML = st.recursive(
    st.sampled_from(LEAVES),
    lambda inner: st.builds(_element, st.lists(inner, max_size=4), st.sampled_from(TAGS)),
    max_leaves=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(XML, min_size=1, max_size=5))
def test_any_nesting_gives_a_valid_document_or_a_clean_rejection(tmp_path: Path, body: list[str]) -> None:
    def fill(d: Document) -> None:
        for child in list(parse_xml(f"<w:body {NS}>{''.join(body)}</w:body>")):
            d.element.body.insert(len(d.element.body) - 1, child)

    path = build(tmp_path, fill)
    try:
        document = read_document(path)
    except ImportRejected as exc:
        assert "has no text" in exc.reason
        return
    assert document.text.strip()
    for turn in document.turns:
        assert document.text[turn.start : turn.end] == document.text[turn.start : turn.end].strip()
