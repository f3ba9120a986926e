"""Quotes of a focus group in the theme report (a real .docx) attributed to the speaker who said them, in the
project's format; without speaker cases, the group's attribution as before."""

from __future__ import annotations

from pathlib import Path

import docx

from jswcoder.project import Project
from jswcoder.reports import ReportOptions, write_report
from tests.indirect_decided import decide_all
from tests.speaker_group import code_group, import_group

WHOLE = ReportOptions(title_page=False, trimmed=False)


def _quotes(path: Path) -> list[tuple[str, str]]:
    """(quote, the attribution line under it), in the report's order."""
    paragraphs = docx.Document(str(path)).paragraphs
    return [
        (p.text, paragraphs[i + 1].text)
        for i, p in enumerate(paragraphs)
        if p.style is not None and p.style.name == "Quote"
    ]


def test_report_quotes_attributed_to_their_speakers(project: Project, tmp_path: Path) -> None:
    group = import_group(project, tmp_path / "in")
    code_group(project, group)
    decide_all(project)
    write_report(project, tmp_path / "before.docx", options=WHOLE)
    assert {a for _q, a in _quotes(tmp_path / "before.docx")} == {"(Justice social workers interview 3)"}

    project.speakers.make_cases(group.uuid)
    decide_all(project)
    write_report(project, tmp_path / "report.docx", options=WHOLE)

    quotes = dict(_quotes(tmp_path / "report.docx"))
    assert quotes["hard to find a quiet room"] == "(Focus group 3, participant 2)"
    assert quotes["nothing for months"] == "(Focus group 3, participant 2)"
    assert quotes["We share the building with the police"] == "(Focus group 3, participant 1)"
    assert quotes["joint visits.\nP2: It is hard"] == "(Focus group 3, participant 1)"  # starts in P1's turn
    assert quotes["I had no induction at all"] == "(Focus group 3, participant 3)"
    assert quotes["And what about training?"] == "(Justice social workers interview 3)"  # the facilitator's

    project.speakers.set_template("FG{number} P{speaker}")
    write_report(project, tmp_path / "short.docx", options=WHOLE)
    assert dict(_quotes(tmp_path / "short.docx"))["nothing for months"] == "(FG3 P2)"
