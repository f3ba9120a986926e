"""The indirect-identification check before every export (issue 16, item 2): the theme report, the
matrix, the coding summary, the case sheet and the .qdpx, from a fieldworker's project and a lead's.

A planted unique combination (the only participant in Oban, the only one interviewed by video, the only
team leader) and a quote that narrows to one ("the only team leader in [NAME OF AREA]") refuse the
export with a count and nothing written; once accepted, the real file, opened again, prints the
generalised value.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from jswcoder.analysis.matrix import build_matrix
from jswcoder.project import Project
from jswcoder.refiqda.export_project import export_project
from jswcoder.reports import ReportOptions, export_matrix, write_report, write_summary
from jswcoder.services.egress import Egress
from jswcoder.services.indirect import IndirectCheck, IndirectFound, coded_quotes
from jswcoder.services.transcripts import ParticipantFields
from tests.conftest import PASSPHRASE, make_project, write_txt
from tests.indirect_decided import decide_all
from tests.test_cli import Cli

AREAS = ["Highland", "Highland", "Highland", "Fife", "Fife", "Fife", "Oban"]
NARROWING = "I am the only team leader in Kirkwall."
PLAIN = ReportOptions(title_page=False, trimmed=True)
SECRETS = ("Oban", "video", "Team leader", "Kirkwall")  # never in a refusal's words


def plant(project: Project, tmp_path: Path) -> None:
    """Seven clients: one in Oban, one by video, one team leader, and a quote by the fifth that
    narrows to them ("the only", with a place the register replaces)."""
    project.codebook.add("Workload")
    for number, area in enumerate(AREAS, start=1):
        text = f"P1: I work here, case {number}.\n"
        if number == 5:
            text += f"P1: {NARROWING}\n"
        fields = ParticipantFields(
            "Client",
            number,
            format="depth",
            mode="video" if number == 4 else "telephone",
            council_area=area,
            attributes={"role": "Team leader" if number == 2 else "Worker"},
        )
        transcript = project.transcripts.import_file(
            write_txt(tmp_path / "in", f"c{number}.txt", text), fields
        )
        for phrase in ("I work here", NARROWING) if number == 5 else ("I work here",):
            start = text.index(phrase)
            project.codings.add(transcript[0].uuid, start, start + len(phrase), "Workload")
    project.register.add("Kirkwall", "[NAME OF AREA]", "PLACE")
    project.register.dismiss([c.text for c in project.register.suggestions()])


@pytest.fixture
def study(project: Project, tmp_path: Path) -> Project:
    plant(project, tmp_path)
    return project


def refused(write: object, path: Path) -> IndirectFound:
    with pytest.raises(IndirectFound) as found:
        assert callable(write)
        write()
    assert not path.exists() and not list(path.parent.glob(f".{path.name}*"))  # nothing, not even a part
    message = str(found.value)
    assert message.count("\n") == 0 and not any(secret in message for secret in SECRETS)
    return found.value


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def qde_cases(path: Path) -> dict[str, dict[str, str]]:
    """Each case's name and its variables' values, read from the archive's project.qde."""
    with zipfile.ZipFile(path) as archive:
        root = ET.fromstring(archive.read("project.qde"))
    ns = {"q": root.tag.split("}")[0].strip("{")}
    names = {v.get("guid"): v.get("name") for v in root.iterfind(".//q:Variables/q:Variable", ns)}
    cases = {}
    for case in root.iterfind(".//q:Cases/q:Case", ns):
        values = {}
        for entry in case.iterfind("q:VariableValue", ns):
            ref = entry.find("q:VariableRef", ns)
            value = entry.find("q:TextValue", ns)
            if ref is not None and value is not None:
                values[str(names[ref.get("targetGUID")])] = str(value.text)
        cases[str(case.get("name"))] = values
    return cases


# -- the theme report: a quote that narrows ---------------------------------------------------------------


def test_the_report_is_refused_for_a_narrowing_quote_then_attributes_it_to_a_participant(
    study: Project, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "report.docx"
    out.parent.mkdir()
    found = refused(lambda: write_report(study, out, options=PLAIN), out)
    assert [(f.kind, f.count) for f in found.undecided] == [("quote", 1)]
    assert found.attributes == ()  # the report releases the attribution only
    # The review lists the same finding: deciding it there is what lets the report go.
    check = IndirectCheck(study.db, study.coder.uuid)
    quotes = coded_quotes(study.transcripts, study.codings, Egress(study.register))
    review = check.findings((), quotes, study.register.entries())
    assert [f.id for f in found.undecided] == [f.id for f in review]
    check.accept(review, review[0].id)
    for options in (PLAIN, ReportOptions(title_page=False, trimmed=False)):  # decided once for both
        write_report(study, out, options=options)
        texts = paragraphs(out)
        quoted = texts.index("I am the only team leader in [NAME OF AREA].")
        assert texts[quoted + 1] == "(Participant)"
        assert "(Client interview 5)" in texts  # the same participant's other quote, as before


# -- the matrix: the attribute its rows show, and its passages ------------------------------------------


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_a_matrix_by_role_is_refused_for_the_only_team_leader(
    study: Project, tmp_path: Path, suffix: str
) -> None:
    out = tmp_path / f"matrix{suffix}"
    matrix = build_matrix(study)
    found = refused(lambda: export_matrix(matrix, out, by="role"), out)
    passages = [("quote", (("participant_group", "Client"), ("role", "Worker")))]  # the workbook's sheet
    assert sorted((f.kind, f.combination) for f in found.undecided) == [
        ("combination", (("role", "Team leader"),)),
        *(passages if suffix == ".xlsx" else []),
    ]
    assert found.attributes == ("role",)
    assert "--attribute role" in str(found)


def test_a_matrix_by_role_prints_the_generalised_role_once_accepted(study: Project, tmp_path: Path) -> None:
    out = tmp_path / "matrix.xlsx"
    check = IndirectCheck(study.db, study.coder.uuid)
    quotes = coded_quotes(study.transcripts, study.codings, Egress(study.register))
    while undecided := check.undecided(
        findings := check.findings(["role"], quotes, study.register.entries())
    ):
        for finding in undecided:  # the role merged into its group; the quote's speaker a "Participant"
            check.accept(findings, finding.id)
    export_matrix(build_matrix(study), out, by="role")
    book = openpyxl.load_workbook(out)
    rows = {row[0]: row[1] for row in book["Workload"].iter_rows(min_row=2, values_only=True)}
    assert rows["Client interview 2"] == "Client" and rows["Client interview 3"] == "Worker"
    assert "Team leader" not in {
        str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row
    }
    passages = [(row[3], row[:2]) for row in book["Passages"].iter_rows(min_row=2, values_only=True)]
    assert (NARROWING.replace("Kirkwall", "[NAME OF AREA]"), ("Participant", "Participant")) in passages
    assert ("I work here", ("Client interview 5", "Worker")) in passages  # their other passage, as before
    assert ("I work here", ("Client interview 2", "Client")) in passages


# -- the coding summary ----------------------------------------------------------------------------------


def test_the_summary_prints_counts_by_group_only_so_nothing_in_it_is_refused(
    study: Project, tmp_path: Path
) -> None:
    """It quotes nothing and shows no detail but the group, which alone is never a finding (the
    study's attribution): it goes while the report, from the same project, is refused."""
    refused(lambda: write_report(study, tmp_path / "r.docx"), tmp_path / "r.docx")
    write_summary(study, tmp_path / "summary.csv")
    text = (tmp_path / "summary.csv").read_text(encoding="utf-8-sig")
    assert "Client: participants" in text and not any(secret in text for secret in SECRETS)


# -- the case sheet --------------------------------------------------------------------------------------


def test_the_case_sheet_is_refused_then_prints_the_accepted_generalisations(
    study: Project, tmp_path: Path
) -> None:
    sheet = tmp_path / "cases.csv"
    found = refused(lambda: study.cases.export_csv(sheet), sheet)
    combinations = {f.combination for f in found.undecided}
    assert {(("council_area", "Oban"),), (("mode", "video"),), (("role", "Team leader"),)} <= combinations
    check = IndirectCheck(study.db, study.coder.uuid)
    attributes = ["format", "mode", "council_area", "role"]
    while undecided := check.undecided(findings := check.findings(attributes)):
        for finding in undecided:  # each rare value generalised; a pair of common ones left as it is
            if len(finding.combination) == 1:
                check.accept(findings, finding.id)
            else:
                check.dismiss(findings, finding.id)
    assert study.cases.export_csv(sheet) == 7
    rows = {row["interview_number"]: row for row in csv.DictReader(io.StringIO(sheet.read_text("utf-8-sig")))}
    assert rows["7"]["council_area"] == "[a council area]" and rows["1"]["council_area"] == "Highland"
    assert rows["4"]["mode"] == "[withheld]" and rows["5"]["mode"] == "telephone"
    assert rows["2"]["role"] == "Client" and rows["3"]["role"] == "Worker"


# -- the .qdpx: the cases' variables ---------------------------------------------------------------------


def test_a_fieldworker_qdpx_is_refused_for_the_only_video_interview_then_withholds_it(
    study: Project, tmp_path: Path
) -> None:
    out = tmp_path / "study.qdpx"
    found = refused(lambda: export_project(study, out), out)
    assert [f.combination for f in found.undecided] == [(("mode", "video"),)]  # no area from a fieldworker
    assert set(found.attributes) == {"format", "mode"}
    decide_all(study, accept=True)
    export_project(study, out)
    cases = qde_cases(out)
    assert cases["Client interview 4"]["Interview mode"] == "[withheld]"
    assert cases["Client interview 1"]["Interview mode"] == "telephone"
    assert "Council area" not in cases["Client interview 1"]


def test_a_fieldworkers_originals_are_not_checked(study: Project, tmp_path: Path) -> None:
    """Originals hold every name: they are the fieldworker's own, not for publishing."""
    export_project(study, tmp_path / "originals.qdpx", originals=True)
    assert qde_cases(tmp_path / "originals.qdpx")["Client interview 4"]["Interview mode"] == "video"


# -- at the team's lead: its exports are the ones published ---------------------------------------------


def test_the_lead_checks_its_exports_too(tmp_path: Path) -> None:
    """At the lead the quotes arrived anonymised (no register entry here) but the details did not:
    the only participant in Oban refuses the .qdpx, and a quote's bracketed descriptor narrows."""
    lead, _ = make_project(tmp_path / "lead")
    with lead:
        lead.team.create("Study team")
        lead.codebook.add("Workload")
        for number, area in enumerate(["Fife", "Fife", "Fife", "Oban"], start=1):
            text = f"Client: I came every week, case {number}.\n"
            if number == 1:
                text += "Client: I was the only one from [NAME OF AREA] there.\n"
            transcript = lead.transcripts.import_file(
                write_txt(tmp_path / "in", f"l{number}.txt", text),
                ParticipantFields("Client", number, council_area=area),
            )[0]
            start = text.index("I came")
            lead.codings.add(transcript.uuid, start, len(text) - 1, "Workload")
        out = tmp_path / "lead.qdpx"
        found = refused(lambda: export_project(lead, out), out)
        assert [f.combination for f in found.undecided] == [(("council_area", "Oban"),)]
        report = tmp_path / "lead.docx"
        found = refused(lambda: write_report(lead, report, options=PLAIN), report)
        assert [(f.kind, f.count) for f in found.undecided] == [("quote", 1)]
        decide_all(lead, accept=True)
        export_project(lead, out)
        assert qde_cases(out)["Client interview 4"]["Council area"] == "[a council area]"
        write_report(lead, report, options=PLAIN)
        assert "(Participant)" in paragraphs(report) and "(Client interview 2)" in paragraphs(report)


# -- the command line -----------------------------------------------------------------------------------


def test_the_command_line_refuses_in_one_line_pointing_to_the_review(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, _ = make_project(tmp_path / "study")
    with project:
        plant(project, tmp_path)
    monkeypatch.setenv("JSWCODER_PASSPHRASE", PASSPHRASE)
    cli = Cli(capsys, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    for command, wanted in [
        (("report", cli.project, "--out", str(out / "r.docx")), ""),
        (("matrix", cli.project, "--out", str(out / "m.xlsx"), "--by", "role"), " --attribute role"),
        (("qdpx", "export", cli.project, str(out / "p.qdpx")), " --attribute format --attribute mode"),
        (("cases", cli.project, "export", str(out / "c.csv")), " --attribute format --attribute mode"),
    ]:
        code, stdout, err = cli(*command)
        assert code == 1 and stdout == "" and err.count("\n") == 1, err
        assert err.startswith("jswcoder: not exported: ") and "fewer than 3 participants;" in err
        assert f"review them with: jswcoder indirect {cli.project}{wanted}" in err, err
        assert not any(secret in err for secret in SECRETS)
    assert list(out.iterdir()) == []
    # The command it names lists what the report met; dismissed there, the report is written.
    listed = cli.json("indirect", cli.project)
    assert isinstance(listed, dict) and len(listed["findings"]) == 1
    assert cli("indirect", cli.project, "dismiss", listed["findings"][0]["id"])[0] == 0
    code, _stdout, err = cli("report", cli.project, "--out", str(out / "r.docx"))
    assert code == 0, err
