"""One way out (issue 14): packages, reports, matrix and summary exports and .qdpx files are checked alike.

Real encrypted projects throughout. A register entry typed in lower case in a transcript is reported for
the user to add or dismiss, never passed silently; a register entry is excused only inside a descriptor
the register actually inserted, not wherever its letters happen to occur in some descriptor.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from jswcoder.analysis.matrix import build_matrix
from jswcoder.anonymise.matching import Matcher, Term
from jswcoder.project import Project
from jswcoder.refiqda.export_project import export_project
from jswcoder.reports import LeaksInFile, Written, export_matrix, write_report, write_summary
from jswcoder.services.egress import LeaksFound
from jswcoder.team.package_writer import checked_package
from tests.conftest import write_txt
from tests.indirect_decided import decide_all

LOWER = "siobhan kerr"
LOWER_TEXT = "Interviewer: Who helps you?\nP1: siobhan kerr phones me, and Siobhan Kerr came out once.\n"


def _review_all_but(project: Project, *kept: str) -> None:
    """The user's review of the detector's suggestions, leaving out the ones named."""
    project.register.dismiss([c.text for c in project.register.suggestions() if c.text not in kept])


@pytest.fixture
def lower_case(project: Project, tmp_path: Path) -> Project:
    """A lower-case register entry in a coded passage."""
    project.transcripts.import_file(write_txt(tmp_path / "in", "int_1.txt", LOWER_TEXT))
    project.register.add("Siobhan Kerr", "[TEAM LEADER]", "PERSON")
    project.codebook.add("Support/Contact")
    at = LOWER_TEXT.index(LOWER)
    project.codings.add("int_1", at, at + len("siobhan kerr phones me"), "Support/Contact")
    _review_all_but(project, LOWER)
    return project


def test_matching_in_any_case_finds_what_replacement_spares() -> None:
    terms = [Term("Siobhan Kerr", "[TEAM LEADER]"), Term("Mark", "[NAME]")]
    text = "siobhan kerr said to mark it; Mark agreed."
    assert [text[m.start : m.end] for m in Matcher(terms).find(text)] == ["Mark"]
    found = [(text[m.start : m.end], m.term.text) for m in Matcher(terms, any_case=True).find(text)]
    assert found == [("siobhan kerr", "Siobhan Kerr"), ("mark", "Mark"), ("Mark", "Mark")]


def test_a_lower_case_entry_refuses_the_package_until_it_is_dismissed(lower_case: Project) -> None:
    project = lower_case
    # The review lists it, with the entry's descriptor to accept...
    suggested = [(c.text, c.replacement) for c in project.register.suggestions()]
    assert suggested == [(LOWER, "[TEAM LEADER]")]
    # ...and until then the package is refused, naming it (the message gives a count only).
    with pytest.raises(LeaksFound) as refused:
        checked_package(project, sequence=1)
    assert refused.value.remaining == [LOWER]
    assert LOWER not in str(refused.value) and "1 identifying detail" in str(refused.value)
    project.register.dismiss([LOWER])  # the user judged it harmless: it passes from now on
    assert project.register.suggestions() == []
    document = checked_package(project, sequence=1)
    assert (
        "P1: siobhan kerr phones me, and [TEAM LEADER] came out once." in document["transcripts"][0]["text"]
    )


def test_adding_the_lower_case_form_replaces_it(lower_case: Project) -> None:
    project = lower_case
    project.register.add(LOWER, "[TEAM LEADER]", "PERSON")
    document = checked_package(project, sequence=1)
    (source,) = document["transcripts"]
    assert "P1: [TEAM LEADER] phones me, and [TEAM LEADER] came out once." in source["text"]
    (coding,) = document["codings"]
    assert source["text"][coding["start"] : coding["end"]] == "[TEAM LEADER] phones me"


@pytest.fixture
def theme_named_mark(project: Project, tmp_path: Path) -> Project:
    """A theme named after Mark, whose register entry holds for one transcript only (so the theme's name
    is not replaced); another descriptor spells "Mark" ("[Market town]"), and one the register inserts
    holds him ("[MARK'S SUPERVISOR]")."""
    a_text = "P1: Mark came to see me in Oban with Siobhan Kerr.\n"
    a = project.transcripts.import_file(write_txt(tmp_path / "in", "int_2.txt", a_text))[0]
    project.transcripts.import_file(
        write_txt(tmp_path / "in", "int_3.txt", "P1: I took the bus into town.\n")
    )
    project.register.add("Mark", "[NAME]", "PERSON", a.name)
    project.register.add("Oban", "[Market town]", "PLACE")
    project.register.add("Siobhan Kerr", "[MARK'S SUPERVISOR]", "PERSON")
    project.codebook.add("Emergent themes/Mark helped me", origin="emergent")  # in vivo
    at = a_text.index("Mark came")
    project.codings.add(a.uuid, at, len(a_text) - 1, "Emergent themes/Mark helped me")
    _review_all_but(project)
    decide_all(project)  # the quote with descriptors narrows to one of two participants: reviewed
    return project


def test_an_entry_inside_some_descriptor_is_not_excused_elsewhere(theme_named_mark: Project) -> None:
    project = theme_named_mark
    with pytest.raises(LeaksFound) as refused:
        checked_package(project, sequence=1)
    assert refused.value.remaining == ["Mark"]  # the theme's name; not the inserted "[MARK'S SUPERVISOR]"
    theme = project.codebook.find("Emergent themes/Mark helped me")
    project.codebook.rename(theme.uuid, "Someone helped me")
    document = checked_package(project, sequence=1)
    texts = {t["text"] for t in document["transcripts"]}
    assert "P1: [NAME] came to see me in [Market town] with [MARK'S SUPERVISOR].\n" in texts


Export = Callable[[Project, Path], Written]
EXPORTS: dict[str, Export] = {
    "report.docx": write_report,
    "matrix.xlsx": lambda p, out: export_matrix(build_matrix(p, level=2), out),
    "matrix.docx": lambda p, out: export_matrix(build_matrix(p, level=2), out),
    "summary.csv": write_summary,
    "project.qdpx": export_project,
}
WITH_PASSAGES = ("report.docx", "matrix.xlsx", "project.qdpx")  # the matrix in Word holds summaries only


@pytest.mark.parametrize("name", WITH_PASSAGES)
def test_a_lower_case_entry_refuses_a_report_or_export(
    lower_case: Project, tmp_path: Path, name: str
) -> None:
    out = tmp_path / name
    with pytest.raises(LeaksInFile) as refused:
        EXPORTS[name](lower_case, out)
    assert refused.value.remaining == [LOWER] and not out.exists()
    lower_case.register.dismiss([LOWER])
    assert EXPORTS[name](lower_case, out).anonymised


@pytest.mark.parametrize("name", list(EXPORTS))
def test_a_theme_named_with_an_entry_refuses_a_report_or_export(
    theme_named_mark: Project, tmp_path: Path, name: str
) -> None:
    out = tmp_path / name
    with pytest.raises(LeaksInFile) as refused:
        EXPORTS[name](theme_named_mark, out)
    assert refused.value.remaining == ["Mark"] and not out.exists()
    theme = theme_named_mark.codebook.find("Emergent themes/Mark helped me")
    theme_named_mark.codebook.rename(theme.uuid, "Someone helped me")
    assert EXPORTS[name](theme_named_mark, out).anonymised


def test_an_inserted_descriptor_holding_an_entry_reaches_the_report(
    theme_named_mark: Project, tmp_path: Path
) -> None:
    theme = theme_named_mark.codebook.find("Emergent themes/Mark helped me")
    theme_named_mark.codebook.rename(theme.uuid, "Someone helped me")
    write_report(theme_named_mark, tmp_path / "report.docx")
    paragraphs = [p.text for p in docx.Document(str(tmp_path / "report.docx")).paragraphs]
    assert "[NAME] came to see me in [Market town] with [MARK'S SUPERVISOR]." in paragraphs
