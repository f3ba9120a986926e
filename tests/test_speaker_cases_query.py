"""A coding query's passages from a focus group are attributed to the speaker whose turn they start in,
as the theme report's quotes are: in ``query --json`` and in the .docx export."""

from __future__ import annotations

from pathlib import Path

import docx

from jswcoder.analysis.query import find_passages, run_query
from jswcoder.project import Project
from jswcoder.reports.query_export import write_query_results
from tests.indirect_decided import decide_all
from tests.speaker_group import code_group, import_group


def test_query_passages_attributed_to_their_speakers(project: Project, tmp_path: Path) -> None:
    group = import_group(project, tmp_path / "in")
    code_group(project, group)
    before = {p.text: p.attribution for p in run_query(project, '"Office"')}
    assert set(before.values()) == {"Justice social workers interview 3"}

    project.speakers.make_cases(group.uuid)

    found = {p.text: p.attribution for p in run_query(project, '"Training"')}
    assert found == {
        "And what about training?": "Justice social workers interview 3",  # the facilitator's
        "Training has been cut back": "Focus group 3, participant 1",
        "I had no induction at all": "Focus group 3, participant 3",
        "nothing for months": "Focus group 3, participant 2",
    }
    decide_all(project)
    write_query_results(
        project, tmp_path / "training.docx", '"Training"', find_passages(project, '"Training"')
    )
    lines = [p.text for p in docx.Document(str(tmp_path / "training.docx")).paragraphs]
    assert "(Focus group 3, participant 2)" in lines and "(Focus group 3, participant 3)" in lines
