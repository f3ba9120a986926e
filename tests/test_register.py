"""The anonymisation register: entries, scope, CSV exchange (hostile input), dismissals, the CLI."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from jswcoder.anonymise.text_findings import TextFindings
from jswcoder.cli import main
from jswcoder.errors import InvalidInput, NotFound
from jswcoder.project import Project
from tests.conftest import PASSPHRASE, make_project, write_txt


@pytest.fixture
def with_transcripts(project: Project, tmp_path: Path) -> Project:
    project.transcripts.import_file(write_txt(tmp_path / "in", "int_4.txt", "P1: Siobhan covers Oban.\n"))
    project.transcripts.import_file(write_txt(tmp_path / "in", "int_9.txt", "P1: Grant runs the team.\n"))
    return project


def test_entries_are_validated_and_scoped(with_transcripts: Project) -> None:
    register = with_transcripts.register
    siobhan = register.add("Siobhan", "TEAM LEADER", "person")
    assert (siobhan.category, siobhan.replacement, siobhan.transcript_uuid) == (
        "PERSON",
        "[TEAM LEADER]",
        None,
    )
    grant = register.add("Grant", "[SENIOR MANAGER]", "PERSON", "int_9")
    assert grant.transcript_uuid == with_transcripts.transcripts.find("int_9").uuid
    with pytest.raises(InvalidInput, match="already in the register, replaced by \\[TEAM LEADER\\]"):
        register.add("Siobhan", "[WORKER]", "PERSON")
    with pytest.raises(InvalidInput, match="category must be one of"):
        register.add("Oban", "[TOWN]", "TOWN")
    with pytest.raises(InvalidInput, match="needs the identifying text"):
        register.add("  ", "[TOWN]", "PLACE")
    with pytest.raises(NotFound):
        register.add("Oban", "[TOWN]", "PLACE", "int_99")
    int_4 = with_transcripts.transcripts.find("int_4").uuid
    assert [e.text for e in register.entries_for(int_4)] == ["Siobhan"]
    assert sorted(e.text for e in register.entries_for(grant.transcript_uuid or "")) == ["Grant", "Siobhan"]
    register.remove(siobhan.uuid)
    assert [e.text for e in register.entries()] == ["Grant"]


def test_csv_round_trip_is_idempotent_and_owner_only(with_transcripts: Project, tmp_path: Path) -> None:
    register = with_transcripts.register
    register.add("Siobhan Kerr", "[TEAM LEADER]", "PERSON", variants=["Shiv", "Mrs K"])
    register.add("Grant", "[SENIOR MANAGER]", "PERSON", "int_9")
    out = tmp_path / "register.csv"
    assert register.export_csv(out) == 2
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "text,replacement,category,transcript,other forms"
    [siobhan] = [line for line in lines if line.startswith("Siobhan Kerr,")]
    assert siobhan.endswith(',"Shiv, Mrs K"')
    result = register.import_csv(out)
    assert (result.added, result.already_present) == (0, 2)
    shared = write_txt(tmp_path, "shared.csv", f"{lines[0]}\n{siobhan}\n")  # the entry for all transcripts
    other, _ = make_project(tmp_path / "other")
    with other:
        assert other.register.import_csv(shared).added == 1
        assert [e.variants for e in other.register.entries()] == [("Shiv", "Mrs K")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "has no entries|needs the columns"),
        (b"name,descriptor\nOban,[TOWN]\n", "missing: text, replacement, category"),
        (
            b"text,replacement,category\nOban,[TOWN],PLACE\nDunoon,[TOWN],VILLAGE\n",
            "line 3: the category must be one of",
        ),
        (
            b"text,replacement,category,transcript\nOban,[TOWN],PLACE,int_77\n",
            "line 2: there is no transcript",
        ),
        (b"text,replacement,category\n\xff\xfeOban,[TOWN],PLACE\n", "is not UTF-8 text"),
        (b"text,replacement,category\nOban,,PLACE\n", "needs a replacement"),
    ],
)
def test_bad_csv_imports_nothing(
    with_transcripts: Project, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "shared.csv"
    path.write_bytes(content)
    with pytest.raises(InvalidInput, match=message):
        with_transcripts.register.import_csv(path)
    assert with_transcripts.register.entries() == []


def test_dismissals_are_remembered(project: Project) -> None:
    assert project.register.dismiss(["Mull", "  ", "Mull", "Tuesday"]) == 3
    assert project.register.dismissed() == ["Mull", "Tuesday"]


def test_register_cli(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JSWCODER_PASSPHRASE", PASSPHRASE)
    folder = str(tmp_path / "p")

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["--no-keychain", *args])
        out, err = capsys.readouterr()
        return code, out, err

    assert run("init", folder, "--name", "N", "--coder", "C")[0] == 0
    assert run("register", folder, "add", "Oban", "--as", "[NAME OF TOWN]", "--category", "PLACE")[0] == 0
    code, out, _ = run("register", folder, "list", "--json")
    assert json.loads(out) == [
        {
            "uuid": json.loads(out)[0]["uuid"],
            "text": "Oban",
            "category": "PLACE",
            "replacement": "[NAME OF TOWN]",
            "transcript": None,
            "variants": [],
        }
    ]
    monkeypatch.setattr("sys.stdin", None)
    code, _, err = run("register", folder, "export", str(tmp_path / "r.csv"))
    assert code == 1 and "identify the people" in err and "confirm with --yes" in err
    assert not (tmp_path / "r.csv").exists()
    code, out, err = run("register", folder, "export", str(tmp_path / "r.csv"), "--yes")
    assert code == 0 and "warning:" in err and (tmp_path / "r.csv").exists()
    assert run("register", folder, "dismiss", "Tuesday")[0] == 0
    code, _, err = run("register", folder, "add", "Oban", "--as", "[X]", "--category", "PLACE")
    assert code == 1 and "already in the register" in err


def test_suggestions_skip_what_is_reviewed(project: Project, tmp_path: Path) -> None:
    text = (
        "Interviewer: Thanks for coming in.\n"
        "P1: I phoned Morag on 07700 900 086 from the office in Dunoon.\n"
        "P1: Morag said the Dunoon team were short again.\n"
    )
    project.transcripts.import_file(write_txt(tmp_path / "in", "int_3.txt", text))
    found = {c.text: c for c in project.register.suggestions()}
    assert {"Morag", "07700 900 086", "Dunoon"} <= set(found)
    assert found["Morag"].occurrences == 2 and found["07700 900 086"].category == "PHONE"
    project.register.add("Morag", "[JSW WORKER]", "PERSON")
    project.register.dismiss(["Dunoon"])
    left = {c.text for c in project.register.suggestions()}
    assert "Morag" not in left and "Dunoon" not in left and "07700 900 086" in left


def test_the_detector_runs_again_only_when_the_texts_change(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jswcoder.anonymise import detect
    from jswcoder.services import register as register_service

    runs: list[tuple[int, int]] = []  # each run of the detector: the texts given, and those read afresh

    def counted(texts: list[str], saved: dict[str, TextFindings]) -> detect.Detection:
        found = detect.detect(texts, saved)
        runs.append((len(texts), len(found.changed)))
        return found

    monkeypatch.setattr(register_service, "detect", counted)
    first = "P1: I phoned Morag from the office in Dunoon.\nP1: Morag said Dunoon was busy.\n"
    project.transcripts.import_file(write_txt(tmp_path / "in", "int_4.txt", first))
    found = project.register.suggestions()
    assert {c.text for c in found} >= {"Morag", "Dunoon"} and runs == [(1, 1)]
    project.register.dismiss(["Dunoon"])
    after_review = project.register.suggestions()
    assert runs == [(1, 1)]  # a review filters the saved findings; the detector does not run again
    texts = [project.transcripts.text_of(t.uuid) for t in project.transcripts.all()]
    assert after_review == detect.suggest(texts, ignore=["Dunoon"])
    second = "P1: Eilidh from Tobermory came too.\n"
    project.transcripts.import_file(write_txt(tmp_path / "in", "int_5.txt", second))
    # The added transcript alone is read: the first one's findings rest on answers that still hold.
    assert "Tobermory" in {c.text for c in project.register.suggestions()} and runs == [(1, 1), (2, 1)]
    project.close()
    reopened = Project.open(project.paths.folder, passphrase=PASSPHRASE)
    with reopened:
        assert reopened.register.suggestions() == _found_afresh(reopened)
        assert runs == [(1, 1), (2, 1)]  # kept in the project, so a new session reuses it


def _found_afresh(project: Project) -> list[object]:
    from jswcoder.anonymise import detect

    texts = [project.transcripts.text_of(t.uuid) for t in project.transcripts.all()]
    return list(detect.suggest(texts, ignore=["Dunoon"]))
