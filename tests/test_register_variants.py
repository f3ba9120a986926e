"""A register entry's other forms ("Shiv", "Mrs K" for "Siobhan Kerr"): replaced like the entry, counted by
the leak check, out of a report, a team package and a deposit (whose log lists each form), kept through a
CSV, set from the command line, and gone with the only texts that held them when a participant withdraws."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest

from jswcoder.errors import InvalidInput, NotFound
from jswcoder.project import Project
from jswcoder.reports import ReportOptions, write_report
from jswcoder.reports.deposit import LOG_NAME, write_deposit
from jswcoder.reports.deposit.anonymisation_log import read_log
from jswcoder.services.egress import Egress, LeaksFound
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.team.package_writer import checked_package
from tests.conftest import FAST_KDF, write_txt
from tests.test_cli import Cli, cli  # noqa: F401 (the fixture)

TEXT = (
    "Interviewer: Who leads the team?\n"
    "P1: Siobhan Kerr does. Everyone calls her Shiv, and Shiv is great with the clients.\n"
    "P1: SHIV on the rota means she is in; the shiv in that film was a knife.\n"
)
PASSAGE = "Everyone calls her Shiv, and Shiv is great with the clients."


@pytest.fixture
def study(project: Project, tmp_path: Path) -> Project:
    """Three clients (so no detail of theirs is rarer than k = 3), the first talking of Siobhan Kerr."""
    project.transcripts.import_file(
        write_txt(tmp_path / "in", "jsw_3.txt", TEXT), ParticipantFields("Client", 3)
    )
    for number in (5, 6):
        other = f"Interviewer: How was visit {number}?\nP2: Fine, the group helped.\n"
        project.transcripts.import_file(
            write_txt(tmp_path / "in", f"jsw_{number}.txt", other), ParticipantFields("Client", number)
        )
    project.codebook.add("Relationships")
    at = TEXT.index("Siobhan Kerr does.")
    project.codings.add("jsw_3", at, TEXT.index(PASSAGE) + len(PASSAGE), "Relationships")
    return project


def test_each_form_is_replaced_like_the_entry_and_counted_by_the_leak_check(study: Project) -> None:
    entry = study.register.add("Siobhan Kerr", "[TEAM LEADER]", "PERSON")
    study.register.dismiss([c.text for c in study.register.suggestions() if c.text != "Shiv"])
    with pytest.raises(LeaksFound):  # "Shiv" is no register entry yet: a leak
        Egress(study.register).check([Egress(study.register).apply(TEXT).text])

    study.register.set_variants(entry.uuid, ["  Shiv ", "shiv", "Siobhan Kerr", "Mrs  K"])
    assert study.register.entries()[0].variants == ("Shiv", "Mrs K")  # trimmed, once each, not the text
    egress = Egress(study.register)
    out = egress.apply(TEXT).text
    assert out == (
        "Interviewer: Who leads the team?\n"
        "P1: [TEAM LEADER] does. Everyone calls her [TEAM LEADER], and [TEAM LEADER] is great with the clients.\n"
        "P1: [TEAM LEADER] on the rota means she is in; the shiv in that film was a knife.\n"
    )  # the case rule of the entry: all lower case is left alone
    assert "Shiv" not in {c.text for c in study.register.suggestions()}  # reviewed, as a form of the entry
    assert [c.text for c in study.register.suggestions()] == ["shiv"]  # typed in lower case: to review
    study.register.dismiss(["shiv"])
    egress.check([out])  # passes
    with pytest.raises(LeaksFound) as refused:
        egress.check([out + "\nShiv again."])
    assert refused.value.remaining == ["Shiv"]


def test_a_form_another_entry_replaces_is_refused_and_nothing_is_changed(study: Project) -> None:
    kerr = study.register.add("Siobhan Kerr", "[TEAM LEADER]", "PERSON", variants=["Shiv"])
    other = study.register.add("Shona Kerr", "[PERSON]", "PERSON")
    with pytest.raises(InvalidInput, match="another register entry already has one of these forms"):
        study.register.set_variants(other.uuid, ["Shona", "shiv"])
    with pytest.raises(InvalidInput):
        study.register.add("Mrs K", "[PERSON]", "PERSON", variants=["Siobhan Kerr"])
    with pytest.raises(InvalidInput, match="already in the register as another form"):
        study.register.add("SHIV", "[PERSON]", "PERSON")  # already replaced, as Siobhan Kerr's
    assert {e.text: e.variants for e in study.register.entries()} == {
        "Siobhan Kerr": ("Shiv",),
        "Shona Kerr": (),
    }
    with pytest.raises(NotFound):
        study.register.set_variants("no-such-entry", ["X"])
    assert study.register.set_variants(kerr.uuid, []).variants == ()


def test_a_report_and_a_team_package_hold_neither_the_name_nor_its_nickname(
    study: Project, tmp_path: Path
) -> None:
    study.register.add("Siobhan Kerr", "[TEAM LEADER]", "PERSON", variants=["Shiv"])
    study.register.dismiss([c.text for c in study.register.suggestions()])
    out = tmp_path / "report.docx"
    write_report(study, out, options=ReportOptions(title_page=False, trimmed=False))
    words = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "[TEAM LEADER] does. Everyone calls her [TEAM LEADER], and [TEAM LEADER]" in words
    assert "Siobhan" not in words and "Shiv" not in words
    package = json.dumps(checked_package(study, sequence=1), ensure_ascii=False)
    assert "[TEAM LEADER] is great" in package
    assert "Siobhan" not in package and "Kerr" not in package and "Shiv" not in package


def test_the_deposit_log_lists_each_form_replaced(study: Project, tmp_path: Path) -> None:
    study.register.add("Siobhan Kerr", "[TEAM LEADER]", "PERSON", variants=["Shiv", "Mrs K"])
    study.register.dismiss([c.text for c in study.register.suggestions()])
    folder = tmp_path / "deposit"
    write_deposit(study, folder, "violet kettle harbour ninety", kdf=FAST_KDF)
    deposited = [p.read_text("utf-8") for p in (folder / "transcripts").iterdir() if p.suffix == ".txt"]
    assert len(deposited) == 3 and sum(text.count("[TEAM LEADER]") for text in deposited) == 4
    assert not any("Shiv" in text or "Siobhan" in text for text in deposited)
    log = read_log(folder / LOG_NAME, "violet kettle harbour ninety")
    assert sorted((e.original, e.descriptor, e.category, e.count) for e in log.entries) == [
        ("Shiv", "[TEAM LEADER]", "Person", 3),  # "SHIV" too: the entry's case rule
        ("Siobhan Kerr", "[TEAM LEADER]", "Person", 1),
    ]


def test_a_form_only_the_withdrawn_participant_said_goes_with_them(study: Project, tmp_path: Path) -> None:
    other = "Interviewer: Anyone else?\nP4: Siobhan Kerr signed it off.\n"
    study.transcripts.import_file(
        write_txt(tmp_path / "in", "jsw_4.txt", other), ParticipantFields("Client", 4)
    )
    study.register.add("Siobhan Kerr", "[TEAM LEADER]", "PERSON", variants=["Shiv", "Mrs K"])
    withdrawn = study.withdrawals.find("jsw_3").participant_uuid
    study.withdrawals.withdraw(withdrawn, "Asked by phone", "2026-12-01")
    # "Siobhan Kerr" is still said in jsw_4; "Shiv" was said only by the participant who withdrew, and
    # "Mrs K" by nobody (kept: the user gave it, and no withdrawn text holds it).
    assert [(e.text, e.variants) for e in study.register.entries()] == [("Siobhan Kerr", ("Mrs K",))]


def test_the_command_line_adds_lists_and_edits_other_forms(cli: Cli) -> None:  # noqa: F811
    code, out, err = cli("register", cli.project, "add", "Siobhan Kerr", "--as", "[TEAM LEADER]",
                         "--category", "Person", "--variant", "Shiv", "--variant", "Mrs K")  # fmt: skip
    assert code == 0, err
    assert "with 2 other form(s)" in out and "Shiv" not in out  # the forms are not repeated back
    listed = cli.json("register", cli.project, "list")
    assert [(e["text"], e["variants"]) for e in listed] == [("Siobhan Kerr", ["Shiv", "Mrs K"])]  # type: ignore[index]
    code, out, _ = cli("register", cli.project, "list")
    assert "Siobhan Kerr  (also: Shiv, Mrs K)  ->  [TEAM LEADER]" in out

    code, out, err = cli("register", cli.project, "edit", "siobhan kerr", "--variant", "Shiv")
    assert code == 0 and "1 other form(s)" in out, err
    assert cli.json("register", cli.project, "list")[0]["variants"] == ["Shiv"]  # type: ignore[index]
    code, _, err = cli("register", cli.project, "edit", "Siobhan Kerr", "--no-variants")
    assert code == 0, err
    assert cli.json("register", cli.project, "list")[0]["variants"] == []  # type: ignore[index]

    code, _, err = cli("register", cli.project, "edit", "Nobody Here", "--variant", "X")
    assert code != 0 and len(err.strip().splitlines()) == 1 and "Nobody" not in err
    code, _, err = cli("register", cli.project, "edit", "Siobhan Kerr")
    assert code != 0 and "--variant" in err
