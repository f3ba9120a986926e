"""``jswcoder audit`` on the command line: the trail newest first or as JSON, one action, written to a
file, and --verify naming the event that was changed."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from jswcoder.project import Project
from tests.conftest import PASSPHRASE
from tests.test_cli import Cli, cli  # noqa: F401 (the fixture)

TEXT = "Interviewer: Who helped?\nP1: Morag Quillfeather did, every week.\n"


def test_audit_lists_filters_writes_and_verifies(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    source = tmp_path / "int_7.txt"
    source.write_text(TEXT, encoding="utf-8")
    assert cli("import", cli.project, str(source), "--group", "Client", "--interview", "7")[0] == 0
    added = cli(
        "register", cli.project, "add", "Morag Quillfeather", "--as", "[WORKER]", "--category", "Person"
    )
    assert added[0] == 0
    assert cli("cases", cli.project, "export", str(tmp_path / "cases.csv"))[0] == 0

    code, out, _ = cli("audit", cli.project)
    assert code == 0
    lines = out.splitlines()
    assert "Ailsa  Export: case sheet; file: cases.csv; cases: 1" in lines[0]
    assert "Ailsa  Register entry added: entries: 1; categories: Person" in lines[1]
    events = cli.json("audit", cli.project, "--action", "register.add")
    assert isinstance(events, list) and [e["action"] for e in events] == ["register.add"]
    assert events[0]["actor"] == "Ailsa" and events[0]["details"] == {"entries": 1, "categories": "Person"}

    code, out, _ = cli("audit", cli.project, "--out", str(tmp_path / "trail.csv"))
    assert (code, out) == (0, "wrote 2 event(s) of the audit trail to trail.csv\n")
    with (tmp_path / "trail.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [row[3] for row in rows] == ["What", "Register entry added", "Export"]
    assert "Quillfeather" not in (tmp_path / "trail.csv").read_text(encoding="utf-8-sig")
    code, out, _ = cli("audit", cli.project, "--verify")
    assert (code, out) == (0, "the audit trail checks out: 3 event(s), none changed or removed\n")
    code, _out, err = cli("audit", cli.project, "--out", str(tmp_path / "trail.pdf"))
    assert code != 0 and err.count("\n") == 1 and ".xlsx or .csv" in err

    with Project.open(cli.project, passphrase=PASSPHRASE, use_keychain=False) as project:
        project.db.execute("DROP TRIGGER audit_events_no_update")
        project.db.execute("""UPDATE audit_events SET details = '{"entries":0}' WHERE seq = 1""")
    code, out, err = cli("audit", cli.project, "--verify")
    assert (code, out) == (1, "")
    assert err == "jswcoder: the audit trail does not check out: event 1 was changed after it was recorded\n"


def test_audit_help_says_what_it_holds(capsys: pytest.CaptureFixture[str]) -> None:
    from jswcoder.cli import main

    with pytest.raises(SystemExit):
        main(["audit", "--help"])
    out = capsys.readouterr().out
    assert "--verify" in out and "no transcript text" in " ".join(out.split())
