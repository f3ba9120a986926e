"""The archive deposit (jswcoder.reports.deposit): a real encrypted project with the corpus and its register,
deposited into a real folder whose every file (zips opened, their XML read) is searched for the register's
originals; the .qdpx and .qdc checked against the standard's schemas; the encrypted log read back."""

from __future__ import annotations

import datetime
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from jswcoder import __version__
from jswcoder.errors import InvalidInput, WrongSecret
from jswcoder.model import OPTIONAL_ATTRIBUTES
from jswcoder.project import Project
from jswcoder.refiqda import namespaces
from jswcoder.reports import LeaksInFile
from jswcoder.reports import deposit as deposit_module
from jswcoder.reports.deposit import LOG_NAME, write_deposit
from jswcoder.reports.deposit.anonymisation_log import open_log, read_log
from jswcoder.services.indirect import IndirectCheck, IndirectFound
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.team import package_writer
from tests.conftest import FAST_KDF, PASSPHRASE, corpus_files, make_project, write_txt
from tests.indirect_decided import decide_all
from tests.test_cli import Cli
from tests.test_reports import rose_in_a_theme_name

LOG_PASSPHRASE = "violet kettle harbour ninety"
CANARY = "Morag Quillfeather"
CANARY_TEXT = (
    f"Interviewer: Who helped?\nP1: {CANARY} did. {CANARY} came to Kilbrannan every week.\n"
    "P1: Morag listened, honestly.\n"
)


def deposit(project: Project, out: Path, **kwargs: object) -> deposit_module.Deposited:
    return write_deposit(project, out, LOG_PASSPHRASE, kdf=FAST_KDF, **kwargs)  # type: ignore[arg-type]


def deposit_texts(folder: Path) -> dict[str, str]:
    """Every file of the deposit but the log, as text: zip members (each XML part, each source) opened."""
    found: dict[str, str] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = str(path.relative_to(folder))
        found[f"name:{name}"] = name
        if path.name == LOG_NAME:
            continue
        data = path.read_bytes()
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    found[f"{name}!{member}"] = archive.read(member).decode("utf-8", errors="replace")
        else:
            found[name] = data.decode("utf-8")
    return found


def _tiny_study(project: Project, tmp_path: Path, *, reviewed: bool = True) -> None:
    project.transcripts.import_file(
        write_txt(tmp_path / "in", "quillfeather_interview.txt", CANARY_TEXT),
        ParticipantFields("Client", 7, format="depth", mode="video", council_area="Kilbrannan"),
    )
    project.register.add(CANARY, "[WORKER]", "PERSON")
    project.register.add("Morag", "[WORKER]", "PERSON")
    project.register.add("Kilbrannan", "[NAME OF TOWN]", "PLACE")
    project.codebook.add("Relationships/Listening")
    text = project.transcripts.text("quillfeather_interview")
    start = text.index("Morag listened")
    project.codings.add(
        "quillfeather_interview", start, start + len("Morag listened"), "Relationships/Listening"
    )
    project.register.dismiss([c.text for c in project.register.suggestions()])
    if reviewed:  # one participant: the .qdpx's format and mode fit fewer than k (the indirect check)
        decide_all(project)


def test_a_fieldworker_deposit_holds_no_register_entry_validates_and_logs_every_replacement(
    corpus: Path, tmp_path: Path
) -> None:
    project, _ = make_project(tmp_path / "fw")
    with project:
        sources = corpus_files(corpus)
        assert not project.transcripts.import_files(sources).rejected
        key: dict[str, dict[str, object]] = {}
        for source in sources:
            for item in json.loads(source.with_name(source.stem + ".identifiers.json").read_text("utf-8")):
                key.setdefault(str(item["text"]), item)
        for text, item in key.items():
            project.register.add(text, str(item["replacement"]), str(item["category"]))
        canary = project.transcripts.import_file(
            write_txt(tmp_path / "in", f"{CANARY} notes.txt", f"Notes: {CANARY} phoned.\n"),
            ParticipantFields("Client", 41),
        )[0]
        project.register.add(CANARY, "[CANARY WORKER]", "PERSON")
        project.codebook.add("Partnership working/Key local partners", description=f"As {CANARY} put it")
        text = project.transcripts.text_of(canary.uuid)
        project.codings.add(canary.uuid, text.index(CANARY), len(text) - 1, "Partnership working")
        project.memos.save("transcript", canary.uuid, f"Call {CANARY} back")
        project.register.dismiss([c.text for c in project.register.suggestions()])  # the review, done
        decide_all(project)
        entries = project.register.entries()
        originals = {t.uuid: project.transcripts.text_of(t.uuid) for t in project.transcripts.all()}
        by_source = {t.source_name: t.uuid for t in project.transcripts.all()}

        done = deposit(project, tmp_path / "deposit", today=datetime.date(2026, 12, 7))

    folder = tmp_path / "deposit"
    assert done.anonymised and done.path == folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deposit", "fw", "in"]  # no temporary folder left
    assert {"README.txt", "data_list.xlsx", "project.qdpx", "codebook.qdc", LOG_NAME} <= set(done.files)
    txts = sorted(f for f in done.files if f.startswith("transcripts/") and f.endswith(".txt"))
    docxs = sorted(f for f in done.files if f.startswith("transcripts/") and f.endswith(".docx"))
    assert len(txts) == len(docxs) == len(originals) == done.transcripts
    assert "transcripts/Client interview 41.txt" in txts  # named by attribution, never the file name

    # No register original anywhere but the log: names, zip members, XML parts, text.
    texts = deposit_texts(folder)
    any_entry = re.compile(
        r"(?<!\w)(?:"
        + "|".join(re.escape(e.text) for e in sorted(entries, key=lambda e: -len(e.text)))
        + r")(?!\w)"
    )
    leaked = sorted({hit for t in texts.values() for hit in any_entry.findall(t)})
    assert all(any_entry.search(o) for o in originals.values())  # the search finds them where they are
    assert leaked == []
    assert not any(CANARY.casefold() in t.casefold() for t in texts.values())
    assert "Quillfeather" not in (folder / LOG_NAME).read_text("utf-8")  # the log is encrypted

    # The exchange files follow the standard.
    with zipfile.ZipFile(folder / "project.qdpx") as archive:
        namespaces.validate("project", archive.read("project.qde"))
    namespaces.validate("codebook", (folder / "codebook.qdc").read_bytes())

    # The data list: a row per transcript, attribution only (no council area unless asked for).
    sheet = openpyxl.load_workbook(folder / "data_list.xlsx").active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == (
        "Transcript (.docx and .txt)",
        "Participant",
        "Participant group",
        "Interview number",
    )
    assert "Council area" not in rows[0] and len(rows) == 1 + len(originals)
    assert ("Client interview 41", "Client interview 41", "Client", 41) in [r[:4] for r in rows]

    # The log opens with its passphrase and counts what the deposited transcripts show.
    log = read_log(folder / LOG_NAME, LOG_PASSPHRASE)
    assert log.software == f"jswcoder {__version__}" and log.created == "2026-12-07"
    assert log.total() == done.replacements > 0
    source_of = {e.transcript: e.source_file for e in log.entries}
    assert sorted(source_of) == sorted(Path(t).stem for t in txts)  # every transcript had replacements
    for stem, source_file in source_of.items():
        deposited = (folder / "transcripts" / f"{stem}.txt").read_text("utf-8")
        original = originals[by_source[source_file]]
        for descriptor in {e.replacement for e in entries}:
            logged = sum(e.count for e in log.entries if e.transcript == stem and e.descriptor == descriptor)
            assert deposited.count(descriptor) - original.count(descriptor) == logged, (stem, descriptor)
    canary_lines = [e for e in log.entries if e.original == CANARY]
    assert [(e.transcript, e.count, e.category, e.descriptor) for e in canary_lines] == [
        ("Client interview 41", 1, "Person", "[CANARY WORKER]")
    ]
    assert {e.original for e in log.entries} <= {e.text for e in entries}

    readme = (folder / "README.txt").read_text("utf-8")
    assert "2026-12-07" in readme and f"jswcoder {__version__}" in readme
    assert "square brackets" in readme and "ENCRYPTED" in readme and LOG_NAME in readme


def test_the_log_refuses_a_wrong_passphrase_and_a_damaged_file(project: Project, tmp_path: Path) -> None:
    _tiny_study(project, tmp_path)
    done = deposit(project, tmp_path / "deposit")
    data = (done.path / LOG_NAME).read_bytes()
    with pytest.raises(WrongSecret) as refused:
        open_log(data, "violet kettle harbour ninety-one")
    assert str(refused.value) == "wrong passphrase: the anonymisation log was not opened"
    log = open_log(data, LOG_PASSPHRASE)
    assert [
        (e.original, e.descriptor, e.category, e.transcript, e.source_file, e.count) for e in log.entries
    ] == [
        ("Kilbrannan", "[NAME OF TOWN]", "Place", "Client interview 7", "quillfeather_interview.txt", 1),
        ("Morag", "[WORKER]", "Person", "Client interview 7", "quillfeather_interview.txt", 1),
        (CANARY, "[WORKER]", "Person", "Client interview 7", "quillfeather_interview.txt", 2),
    ]
    document = json.loads(data)
    document["ciphertext"] = document["ciphertext"][:-8] + "AAAAAAA="
    with pytest.raises(InvalidInput, match="damaged"):
        open_log(json.dumps(document).encode(), LOG_PASSPHRASE)
    with pytest.raises(InvalidInput, match="damaged"):
        open_log(b"not a log", LOG_PASSPHRASE)


def test_the_log_passphrase_must_be_strong_and_not_the_projects(project: Project, tmp_path: Path) -> None:
    _tiny_study(project, tmp_path)
    with pytest.raises(InvalidInput, match="must differ from the project's"):
        write_deposit(project, tmp_path / "deposit", PASSPHRASE, kdf=FAST_KDF)
    with pytest.raises(InvalidInput, match=r"too easy to guess|at least 8"):
        write_deposit(project, tmp_path / "deposit", "password1", kdf=FAST_KDF)
    assert not (tmp_path / "deposit").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "study"]


def test_a_non_empty_folder_is_refused_and_an_empty_one_is_used(project: Project, tmp_path: Path) -> None:
    _tiny_study(project, tmp_path)
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "earlier.txt").write_text("someone's work")
    with pytest.raises(InvalidInput, match="not empty"):
        deposit(project, taken)
    assert [p.name for p in taken.iterdir()] == ["earlier.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "README.txt" in deposit(project, empty).files


def test_a_failure_half_way_leaves_no_deposit(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tiny_study(project, tmp_path)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(deposit_module, "write_codebook", broken)  # after the transcripts and the .qdpx
    with pytest.raises(Exception, match="could not be written"):
        deposit(project, tmp_path / "deposit")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "study"]  # no deposit, no temporary folder


def test_an_identifier_left_in_a_theme_name_refuses_the_deposit(project: Project, tmp_path: Path) -> None:
    rose_in_a_theme_name(project, tmp_path)
    with pytest.raises(LeaksInFile) as refused:
        deposit(project, tmp_path / "deposit")
    assert "Rose" not in str(refused.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "study"]


def test_the_data_list_takes_an_attribute_when_asked_and_anonymises_it(
    project: Project, tmp_path: Path
) -> None:
    _tiny_study(project, tmp_path, reviewed=False)
    # Too few participants for these details to go as they are: the indirect check asks first (issue 16).
    check = IndirectCheck(project.db, project.coder.uuid)
    with pytest.raises(IndirectFound):
        deposit(project, tmp_path / "deposit", attributes=["council_area", "mode"])
    assert not (tmp_path / "deposit").exists()
    for finding in check.findings(["council_area", "mode", "format"]):  # format: the .qdpx's variable
        check.dismiss([finding], finding.id)  # reviewed: this small study's depositor keeps them
    done = deposit(project, tmp_path / "deposit", attributes=["council_area", "mode"])
    sheet = openpyxl.load_workbook(done.path / "data_list.xlsx").active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Transcript (.docx and .txt)",
        "Participant",
        "Participant group",
        "Interview number",
        "Interview mode",
        "Council area",
        "Words",
    )
    assert rows[1][:6] == ("Client interview 7", "Client interview 7", "Client", 7, "video", "[NAME OF TOWN]")
    assert "interview mode, council area" in (done.path / "README.txt").read_text("utf-8")
    with pytest.raises(InvalidInput, match="attributes that can be included"):
        deposit(project, tmp_path / "other", attributes=["name"])


def test_a_lead_deposit_goes_as_merged_with_an_empty_log(tmp_path: Path) -> None:
    lead, _ = make_project(tmp_path / "lead")
    with lead:
        lead.team.create("Study team")
        lead.transcripts.import_file(
            write_txt(tmp_path / "in", "client_3.txt", "Client: [WORKER] came every week.\n"),
            ParticipantFields("Client", 3),
        )
        lead.codebook.add("Relationships")
        done = deposit(lead, tmp_path / "deposit")
    assert not done.anonymised and done.replacements == 0
    assert (done.path / "transcripts" / "Client interview 3.txt").read_text("utf-8") == (
        "Client: [WORKER] came every week.\n"
    )
    log = read_log(done.path / LOG_NAME, LOG_PASSPHRASE)
    assert log.entries == () and "nothing was replaced here" in log.note
    assert "log is EMPTY" in (done.path / "README.txt").read_text("utf-8")
    with zipfile.ZipFile(done.path / "project.qdpx") as archive:
        namespaces.validate("project", archive.read("project.qde"))


def test_the_optional_attributes_are_the_team_packages(tmp_path: Path) -> None:
    assert OPTIONAL_ATTRIBUTES == package_writer.OPTIONAL_ATTRIBUTES


# -- command line ----------------------------------------------------------------------------------------


def test_the_command_line_deposits_and_prints_the_log(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JSWCODER_PASSPHRASE", PASSPHRASE)
    cli = Cli(capsys, tmp_path)
    source = write_txt(tmp_path / "in", "quill.txt", CANARY_TEXT)
    for step in (
        ("init", cli.project, "--name", "Kilbrannan study", "--coder", "Ailsa"),
        ("import", cli.project, str(source), "--group", "Client", "--interview", "7"),
        ("codes", cli.project, "add", "Relationships"),
        ("register", cli.project, "add", CANARY, "--as", "[WORKER]", "--category", "Person"),
        ("register", cli.project, "add", "Morag", "--as", "[WORKER]", "--category", "Person"),
        ("register", cli.project, "add", "Kilbrannan", "--as", "[NAME OF TOWN]", "--category", "Place"),
    ):
        code_, _, err = cli(*step)
        assert code_ == 0, err
    candidates = [c["text"] for c in cli.json("register", cli.project, "suggest")]  # type: ignore[union-attr]
    if candidates:
        assert cli("register", cli.project, "dismiss", *candidates)[0] == 0
    out = str(tmp_path / "deposit")

    monkeypatch.setenv("JSWCODER_LOG_PASSPHRASE", PASSPHRASE)
    code_, _, err = cli("deposit", cli.project, "--out", out)
    assert code_ == 1 and err.count("\n") == 1 and "must differ from the project's" in err
    assert not Path(out).exists()

    monkeypatch.setenv("JSWCODER_LOG_PASSPHRASE", LOG_PASSPHRASE)
    code_, printed, err = cli("deposit", cli.project, "--out", out)
    assert code_ == 0, err
    assert "1 transcript(s)" in printed and "4 replacement(s)" in printed
    code_, _, err = cli("deposit", cli.project, "--out", out)
    assert code_ == 1 and "not empty" in err

    log_file = str(Path(out) / LOG_NAME)
    code_, printed, err = cli("deposit-log", log_file)
    assert code_ == 0, err
    assert f"{CANARY}\t[WORKER]\tPerson\tClient interview 7\tquill.txt\t2" in printed
    listed = cli.json("deposit-log", log_file)
    assert isinstance(listed, dict) and sum(e["count"] for e in listed["entries"]) == 4
    monkeypatch.setenv("JSWCODER_LOG_PASSPHRASE", "not the right passphrase at all")
    code_, printed, err = cli("deposit-log", log_file)
    assert code_ == 1 and printed == ""
    assert err == "jswcoder: wrong passphrase: the anonymisation log was not opened\n"
    for command in ("deposit", "deposit-log"):
        with pytest.raises(SystemExit) as shown:
            cli(command, "--help")
        assert shown.value.code == 0
