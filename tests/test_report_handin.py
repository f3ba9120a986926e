"""The theme report as one hands it in (issue 15): only themes with something in them, a title page
whose names depend on whose project it is, and every heading level styled as a heading, from a
template or without one. Real encrypted projects, real .docx files read back with python-docx."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from jswcoder.project import Project
from jswcoder.reports import ReportOptions, write_report
from jswcoder.services.codings import Codings
from jswcoder.services.transcripts import ParticipantFields, Transcripts
from jswcoder.store import people
from tests.conftest import make_project, write_txt

ON = date(2025, 3, 14)
TEXT = "Interviewer: How was it?\nClient: The worker listened to me. The group helped. It was hard.\n"
DEEP = "Support/Workers/Listening/Being heard/Properly/At home"  # six levels


def code(project: Project, transcript: str, phrase: str, path: str) -> None:
    text = project.transcripts.text(transcript)
    start = text.index(phrase)
    project.codings.add(transcript, start, start + len(phrase), path)


@pytest.fixture
def study(project: Project, tmp_path: Path) -> Project:
    """Two quotes on two themes, a memo on a third, and three themes with nothing in them."""
    project.transcripts.import_file(
        write_txt(tmp_path / "in", "c4.txt", TEXT), ParticipantFields("Client", 4)
    )
    for path in ("Support/Workers", "Support/Groups", "Waiting/Lists", "Housing", DEEP):
        project.codebook.add(path)
    code(project, "c4", "The worker listened to me.", "Support/Workers")
    code(project, "c4", "It was hard.", DEEP)
    project.memos.save("code", project.codebook.find("Housing").uuid, "Nobody raised housing.")
    project.register.dismiss([c.text for c in project.register.suggestions()])
    return project


def paragraphs(path: Path) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs]


def headings(path: Path) -> list[tuple[str, str]]:
    return [(style, text) for style, text in paragraphs(path) if style.startswith("Heading")]


# -- which themes ---------------------------------------------------------------------------------------


def test_only_themes_with_quotes_or_key_points_are_headings_unless_all_are_asked_for(
    study: Project, tmp_path: Path
) -> None:
    write_report(study, tmp_path / "r.docx")
    # Support itself is empty, as are Listening, Being heard and Properly, but each leads to a quote;
    # Housing has no quotes but has key points. Groups, Waiting and Lists have nothing.
    kept = {"Support", "Support/Workers", "Housing"} | {DEEP.rsplit("/", n)[0] for n in range(4)}
    expected = [c.name for c in study.codebook.all() if c.path in kept]
    assert [text for _, text in headings(tmp_path / "r.docx")] == expected
    assert len(expected) == 7
    assert [style for style, _ in headings(tmp_path / "r.docx")][:6] == [f"Heading {n}" for n in range(1, 7)]
    write_report(study, tmp_path / "all.docx", options=ReportOptions(all_themes=True))
    every = [text for _, text in headings(tmp_path / "all.docx")]
    assert every == [c.name for c in study.codebook.all()] and len(every) == 10


def test_a_project_whose_themes_are_all_empty_says_so(project: Project, tmp_path: Path) -> None:
    project.codebook.add("Support/Workers")
    write_report(project, tmp_path / "r.docx", options=ReportOptions(title_page=False))
    assert paragraphs(tmp_path / "r.docx") == [
        ("Normal", "No theme has quotes or key points yet; 2 themes without any are left out.")
    ]


# -- the title page -------------------------------------------------------------------------------------


def title_page(path: Path) -> list[tuple[str, str]]:
    document = docx.Document(str(path))
    page: list[tuple[str, str]] = []
    for paragraph in document.paragraphs:
        breaks = paragraph._p.findall(".//" + qn("w:br"))
        if any(b.get(qn("w:type")) == "page" for b in breaks):
            return page
        page.append((paragraph.style.name, paragraph.text))
    raise AssertionError("no page break after the title page")


def test_a_fieldworkers_title_page_names_neither_the_project_nor_the_coders(
    study: Project, tmp_path: Path
) -> None:
    write_report(study, tmp_path / "r.docx", options=ReportOptions(on=ON))
    assert title_page(tmp_path / "r.docx") == [
        ("Title", "Theme report"),
        ("Normal", "14 March 2025"),
        ("Normal", "2 quotes from 1 participant, under 2 themes"),
        ("Normal", "3 themes with nothing in them are left out"),
        ("Normal", "Coded by 1 coder (not named in an anonymised report)"),
        ("Normal", "Participants are quoted anonymously, by group and interview number."),
    ]
    everything = "\n".join(text for _, text in paragraphs(tmp_path / "r.docx"))
    assert study.name not in everything and study.coder.name not in everything
    # A title typed for the report goes through the register like every other string.
    study.register.add("Oban", "[TOWN]", "PLACE")
    write_report(study, tmp_path / "t.docx", options=ReportOptions(on=ON, title="Oban interviews"))
    assert title_page(tmp_path / "t.docx")[:2] == [
        ("Title", "[TOWN] interviews"),
        ("Subtitle", "Theme report"),
    ]


def test_a_leads_title_page_names_the_project_and_every_coder_quoted(tmp_path: Path) -> None:
    lead, _ = make_project(tmp_path / "lead", coder="Morven Reid")
    with lead:
        lead.team.create("Oban study team")
        lead.codebook.add("Support/Workers")
        lead.codebook.add("Waiting")
        lead.transcripts.import_file(
            write_txt(tmp_path / "in", "c4.txt", TEXT), ParticipantFields("Client", 4)
        )
        code(lead, "c4", "The worker listened to me.", "Support/Workers")
        # A transcript imported and coded by another coder (at a lead: a fieldworker who sent it).
        hamish = people.ensure_coder(lead.db, "Hamish Grant")
        theirs = Transcripts(lead.db, hamish)
        transcript = theirs.import_file(
            write_txt(tmp_path / "in", "c5.txt", TEXT.replace("How was it", "And then")),
            ParticipantFields("Client", 5),
        )[0]
        at = TEXT.index("The group helped.")
        Codings(lead.db, hamish, theirs, lead.codebook).add(transcript.uuid, at, at + 17, "Support/Workers")
        write_report(lead, tmp_path / "lead.docx", options=ReportOptions(on=ON))
        assert title_page(tmp_path / "lead.docx") == [
            ("Title", lead.name),
            ("Subtitle", "Theme report"),
            ("Normal", "14 March 2025"),
            ("Normal", "2 quotes from 2 participants, under 1 theme"),
            ("Normal", "1 theme with nothing in it is left out"),
            ("Normal", "Coded by Hamish Grant and Morven Reid"),
            ("Normal", "Participants are quoted anonymously, by group and interview number."),
        ]
        write_report(lead, tmp_path / "plain.docx", options=ReportOptions(title_page=False))
        assert paragraphs(tmp_path / "plain.docx")[0] == ("Heading 1", "Support")


# -- heading levels -------------------------------------------------------------------------------------


def outline_level(style: Any) -> int | None:
    """The outline level of a paragraph style, following its base styles (Word counts from 0)."""
    while style is not None:
        ppr = style.element.pPr
        found = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
        if found is not None:
            return int(found.get(qn("w:val")))
        style = style.base_style
    return None


def resolved(style: Any, attribute: str) -> Any:
    """A font attribute as Word resolves it: the style's own, or the nearest base style's."""
    while style is not None:
        value = getattr(style.font, attribute)
        if attribute == "color":
            value = value.rgb  # a ColorFormat, whose rgb is None when the style sets none
        if value is not None:
            return value
        style = style.base_style
    return None


def test_every_heading_level_is_styled_as_a_heading_without_a_template(
    study: Project, tmp_path: Path
) -> None:
    write_report(study, tmp_path / "r.docx", options=ReportOptions(title_page=False))
    document = docx.Document(str(tmp_path / "r.docx"))
    normal = document.styles["Normal"]
    body_size = resolved(normal, "size") or Pt(11)
    sizes = []
    for level in range(1, 10):
        style = document.styles[f"Heading {level}"]
        assert outline_level(style) == level - 1, level
        assert resolved(style, "bold") is True, level  # python-docx's own Heading 5 to 9 are not bold
        size = resolved(style, "size") or body_size
        assert size >= body_size, level
        sizes.append(size)
    assert sizes == sorted(sizes, reverse=True)
    used = {p.style.name for p in document.paragraphs if p.style.name.startswith("Heading")}
    assert used == {f"Heading {n}" for n in range(1, 7)}


def three_heading_template(path: Path) -> Path:
    """A template as Word saves one: Heading 1 to 3 defined (with the team's look), 4 to 9 not."""
    document = docx.Document()
    for level in range(4, 10):
        for name in (f"Heading {level}", f"Heading {level} Char"):
            element = document.styles[name].element
            element.getparent().remove(element)
    for level, size in ((1, 20), (2, 16), (3, 14)):
        style = document.styles[f"Heading {level}"]
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0x80, 0x00, 0x40)
    document.save(str(path))
    return path


def test_a_template_keeps_its_headings_and_deeper_levels_follow_its_deepest(
    study: Project, tmp_path: Path
) -> None:
    template = three_heading_template(tmp_path / "team.docx")
    write_report(study, tmp_path / "r.docx", template=template, options=ReportOptions(title_page=False))
    document = docx.Document(str(tmp_path / "r.docx"))
    styles = {s.name: s for s in document.styles if s.type == WD_STYLE_TYPE.PARAGRAPH}
    for level, size in ((1, 20), (2, 16), (3, 14)):
        assert styles[f"Heading {level}"].font.size == Pt(size)  # the template's, untouched
    for level in (4, 5, 6):
        style = styles[f"Heading {level}"]
        assert style.element.find(qn("w:name")).get(qn("w:val")) == f"heading {level}"  # Word's built-in
        assert outline_level(style) == level - 1
        assert style.base_style.name == f"Heading {level - 1}"
        assert resolved(style, "color") == RGBColor(0x80, 0x00, 0x40)  # the template's colour
        assert resolved(style, "bold") is True
        assert Pt(11) <= resolved(style, "size") <= Pt(14)
    assert [style for style, _ in headings(tmp_path / "r.docx")] == [
        *(f"Heading {n}" for n in range(1, 7)),
        "Heading 1",
    ]


def test_a_template_with_all_nine_levels_is_used_as_it_is(study: Project, tmp_path: Path) -> None:
    template = docx.Document()
    template.styles["Heading 5"].font.size = Pt(9)  # the template's choice, however odd
    template.save(str(tmp_path / "t.docx"))
    write_report(study, tmp_path / "r.docx", template=tmp_path / "t.docx")
    document = docx.Document(str(tmp_path / "r.docx"))
    assert document.styles["Heading 5"].font.size == Pt(9)
    assert document.styles["Heading 5"].font.bold is None  # not restyled: only our own document is


def test_the_title_page_ends_with_a_page_break(study: Project, tmp_path: Path) -> None:
    write_report(study, tmp_path / "r.docx", options=ReportOptions(on=ON))
    document = docx.Document(str(tmp_path / "r.docx"))
    breaks = [
        index
        for index, paragraph in enumerate(document.paragraphs)
        for run in paragraph.runs
        for br in run._r.findall(qn("w:br"))
        if br.get(qn("w:type")) == "page"
    ]
    first_heading = next(i for i, p in enumerate(document.paragraphs) if p.style.name.startswith("Heading"))
    assert breaks == [first_heading - 1]


def test_a_template_without_title_styles_still_gets_a_styled_title_page(
    study: Project, tmp_path: Path
) -> None:
    template = three_heading_template(tmp_path / "team.docx")
    document = docx.Document(str(template))
    for name in ("Title", "Title Char", "Subtitle", "Subtitle Char"):
        element = document.styles[name].element
        element.getparent().remove(element)
    document.save(str(template))
    study.register.add("Oban", "[TOWN]", "PLACE")
    write_report(study, tmp_path / "r.docx", template=template, options=ReportOptions(on=ON, title="Oban"))
    report = docx.Document(str(tmp_path / "r.docx"))
    title, subtitle = report.paragraphs[:2]
    assert (title.style.name, title.text, subtitle.style.name) == ("Title", "[TOWN]", "Subtitle")
    assert title.style.font.size == Pt(26) and subtitle.style.font.italic
    assert report.styles["Heading 1"].font.size == Pt(20)  # the template's, as before
