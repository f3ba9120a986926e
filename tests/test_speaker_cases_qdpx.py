"""Speaker cases in a REFI-QDA export (.qdpx, validated against the standard's schema as it is written): a
Case per speaker, named by its attribution, with its details and the selections of the codings that
start in its turns; the speaker's label is nowhere in the cases."""

from __future__ import annotations

from pathlib import Path

from jswcoder.project import Project
from jswcoder.refiqda.export_project import export_project
from tests.indirect_decided import decide_all
from tests.speaker_group import code_group, import_group
from tests.test_refiqda_export import NS, Qdpx


def test_a_case_per_speaker_with_the_selections_of_its_codings(project: Project, tmp_path: Path) -> None:
    group = import_group(project, tmp_path / "in")
    code_group(project, group)
    project.speakers.make_cases(group.uuid)
    project.register.dismiss([c.text for c in project.register.suggestions()])  # reviewed
    decide_all(project)

    export_project(project, tmp_path / "out.qdpx")

    archive = Qdpx(tmp_path / "out.qdpx")
    cases = {c.get("name"): c for c in archive.all("q:Cases/q:Case")}
    assert list(cases) == [
        "Justice social workers interview 3",
        "Focus group 3, participant 1",
        "Focus group 3, participant 2",
        "Focus group 3, participant 3",
    ]
    text_of = {guid: text for guid, _code, text in archive.selections()}
    selection_of = {}
    for source in archive.all(".//q:TextSource"):
        for selection in source.findall("q:PlainTextSelection", NS):
            (coding,) = selection.findall("q:Coding", NS)
            selection_of[selection.get("guid")] = text_of[coding.get("guid", "")]
    quoted = {
        name: sorted(selection_of[r.get("targetGUID")] for r in case.findall("q:SelectionRef", NS))
        for name, case in cases.items()
    }
    assert quoted["Focus group 3, participant 2"] == ["hard to find a quiet room", "nothing for months"]
    assert quoted["Focus group 3, participant 1"] == sorted(
        [
            "We share the building with the police",
            "Training has been cut back",
            "joint visits.\nP2: It is hard",
        ]
    )
    assert quoted["Focus group 3, participant 3"] == ["I had no induction at all"]
    assert [
        r.get("targetGUID") for r in cases["Justice social workers interview 3"].findall("q:SourceRef", NS)
    ] == [group.uuid]
    second = cases["Focus group 3, participant 2"]
    assert second.get("guid") == project.cases.find("Focus group 3, participant 2").uuid
    assert len(second.findall("q:VariableValue", NS)) == 3  # group, format, mode: as the group's
