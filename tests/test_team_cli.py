"""The team commands end to end: a lead and two fieldworkers through team create (from a template),
team join both ways (an existing project adopts the team codebook; a new one is made by joining),
export (and its refusal), sync, team members, admit (and a wrong fingerprint refused), and merge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jswcoder.cli import main
from jswcoder.project import Project
from jswcoder.team import envelope
from tests.conftest import PASSPHRASE, write_txt


def test_team_commands_end_to_end(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JSWCODER_PASSPHRASE", PASSPHRASE)
    lead, laptop, team_file = str(tmp_path / "lead"), str(tmp_path / "laptop"), tmp_path / "team.jswteam"

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["--no-keychain", *args])
        out, err = capsys.readouterr()
        return code, out, err

    code, out, _ = run(
        "team",
        "create",
        lead,
        "--name",
        "JSW team",
        "--coder",
        "Lead",
        "--team-file",
        str(team_file),
        "--template",
        "jsw-study",
    )
    assert code == 0 and "Recovery key" in out and team_file.is_file()
    assert "starts from the template 'Justice Social Work study': 55 themes" in out
    fingerprint = out.split("fieldworker as they join): ")[1].split()[0]
    # Ailsa made her project before joining, and coded with a theme she typed herself.
    assert run("init", laptop, "--name", "Fieldwork", "--coder", "Ailsa")[0] == 0
    source = write_txt(tmp_path / "in", "int_1.txt", "P1: Call Morag on 07700 900 086 about the rota.\n")
    assert run("import", laptop, str(source), "--interview", "1", "--group", "Justice social workers")[0] == 0
    assert run("codes", laptop, "add", "ethos and approach/Care  and control")[0] == 0
    code, _, err = run("code", laptop, "int_1", "--start", "4", "--end", "14", "--code", "ethos and approach")
    assert code == 0, err
    code, out, err = run("team", "join", laptop, str(team_file), "--fingerprint", "0000-0000-0000-0000")
    assert code == 1 and "does not match this team file" in err
    code, out, err = run("team", "join", laptop, str(team_file), "--fingerprint", fingerprint)
    assert code == 0 and f"the lead's fingerprint matches: {fingerprint}" in out and "JSW team" in out, err
    assert "your theme 'ethos and approach' is now the team's" in out
    assert "your own theme, kept: Emergent themes" not in out  # she had no folder of her own
    assert run("register", laptop, "add", "Morag", "--as", "[JSW WORKER]", "--category", "PERSON")[0] == 0
    package = tmp_path / "p1.jswpkg"
    code, out, err = run("export", laptop, "--out", str(package))
    assert code == 1 and not package.exists()
    assert out.splitlines()[0].startswith("Identifying details still in the package")
    assert "07700 900 086" in out.splitlines()[1:]
    assert len(err.strip().splitlines()) == 1 and "not exported" in err

    assert run("register", laptop, "dismiss", "07700 900 086")[0] == 0  # reviewed (in a test only!)
    code, out, err = run("export", laptop, "--out", str(package))
    assert code == 0, err
    assert "only Lead can open it" in out

    with Project.open(lead, passphrase=PASSPHRASE, use_keychain=False) as team_project:
        me = team_project.team.membership()
        assert me.encryption_private is not None
        with Project.open(laptop, passphrase=PASSPHRASE, use_keychain=False) as fieldwork:
            sender = fieldwork.team.membership()
        opened = envelope.open_sealed(
            package.read_bytes(),
            recipient_id=me.member_id,
            recipient_key=me.encryption_private,
            senders={sender.member_id: sender.signing_public},
        )
    assert b"[JSW WORKER]" in opened.payload and b"Morag" not in opened.payload

    stick = tmp_path / "stick"
    code, _, err = run("sync", laptop, "--folder", str(stick))
    assert code == 1 and "is not there: is the USB stick plugged in" in err
    stick.mkdir()
    code, out, err = run("sync", laptop, "--folder", str(stick))
    assert code == 0, err
    assert "registered with the team" in out and "sent package 2" in out
    code, out, _ = run("sync", laptop, "--folder", str(stick))
    assert code == 0 and out.strip() == "nothing new to send"
    code, out, err = run("team", "fingerprint", laptop)  # issue 14: a fieldworker can read hers out
    assert code == 0, err
    own = out.split("Your key fingerprint (read it to the lead): ")[1].split()[0]
    code, out, err = run("sync", lead, "--folder", str(stick))
    assert code == 0, err
    assert f"Ailsa asks to join: key fingerprint {own}" in out and "package 2 from Ailsa" not in out
    code, out, _ = run("team", "members", lead, "--json")
    assert [(m["name"], m["state"], m["fingerprint"]) for m in json.loads(out)] == [("Ailsa", "pending", own)]
    code, _, err = run("team", "admit", lead, "Ailsa", "--fingerprint", fingerprint)  # the lead's own: wrong
    assert code == 1 and "do not admit them" in err
    code, out, err = run("team", "admit", lead, "Ailsa", "--fingerprint", own)
    assert code == 0 and "admitted Ailsa" in out, err
    code, out, err = run("sync", lead, "--folder", str(stick))
    assert "package 2 from Ailsa: added" in out, err
    code, out, _ = run("sync", lead, "--folder", str(stick))
    assert code == 0 and out.strip() == "nothing new in the exchange folder"
    with Project.open(lead, passphrase=PASSPHRASE, use_keychain=False) as team_project:
        (transcript,) = team_project.transcripts.all()
        assert transcript.name == "Justice social workers interview 1"
        text = team_project.transcripts.text_of(transcript.uuid)
        assert "[JSW WORKER]" in text and "Morag" not in text
        assert [p.code_path for p in team_project.codings.passages()] == ["Ethos and approach"]
    # Hamish makes his project by joining: the team codebook, nothing of his own; he adds one theme.
    second = str(tmp_path / "laptop2")
    code, _, err = run("team", "join", second, str(team_file), "--fingerprint", fingerprint)
    assert code == 1 and "give --coder NAME" in err and not Path(second).exists()
    code, out, err = run(
        "team", "join", second, str(team_file), "--fingerprint", fingerprint, "--coder", "Hamish"
    )
    assert code == 0 and "Created the encrypted project 'JSW team'" in out and "Recovery key" in out, err
    other = write_txt(tmp_path / "in2", "int_2.txt", "P1: The waiting list for groupwork is long.\n")
    assert run("import", second, str(other), "--interview", "2", "--group", "Justice social workers")[0] == 0
    assert run("codes", second, "add", "Waiting times", "--emergent")[0] == 0
    assert run("code", second, "int_2", "--start", "4", "--end", "44", "--code", "Waiting times")[0] == 0
    code, out, err = run("sync", second, "--folder", str(stick))
    assert code == 0 and "sent package 1" in out, err
    code, out, _ = run("team", "fingerprint", second)
    hamish = out.split("Your key fingerprint (read it to the lead): ")[1].split()[0]
    code, out, _ = run("sync", lead, "--folder", str(stick))
    assert code == 0 and "Hamish asks to join" in out and "package 1 from Hamish" not in out
    assert run("team", "admit", lead, "hamish", "--fingerprint", hamish.lower())[0] == 0
    assert run("codes", lead, "add", "Waiting lists")[0] == 0  # the team's theme for what he calls times
    code, out, _ = run("sync", lead, "--folder", str(stick))
    assert code == 0 and "package 1 from Hamish" in out and "same name, different theme" not in out
    code, out, _ = run("codes", lead, "list", "--json")
    incoming = next(c for c in json.loads(out) if c["path"] == "Emergent themes/Hamish/Waiting times")
    code, out, _ = run("codes", lead, "merge", incoming["uuid"], "Waiting lists")
    assert code == 0 and "1 codings moved" in out
    code, out, _ = run("codings", lead, "--json")
    assert sorted(c["code"] for c in json.loads(out)) == ["Ethos and approach", "Waiting lists"]
    # Folded once at the lead, his own tree follows at his next sync, and nothing new is sent.
    assert "published the team codebook" in run("sync", lead, "--folder", str(stick))[1]
    code, out, err = run("sync", second, "--folder", str(stick))
    assert "your theme 'Waiting times' is now the team's" in out and "sent package 2" in out, err
    assert "package 2 from Hamish" in run("sync", lead, "--folder", str(stick))[1]
    assert run("sync", second, "--folder", str(stick))[1].strip() == "nothing new to send"

    # The package exported by hand (number 1) is older than the one merged: merging it now is refused.
    code, _, err = run("merge", lead, str(package))
    assert code == 1 and "older package" in err


def test_names_from_the_exchange_folder_reach_the_terminal_without_control_characters(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14: an outsider who can write to the exchange folder joins under a name full of terminal
    escapes (clear the screen, retitle the window, hide text, reverse it) beside two real fieldworkers.
    The lead's sync shows the outsider's name with every control character removed, and records the
    clean one; the fieldworkers' names, accents included, are untouched."""
    monkeypatch.setenv("JSWCODER_PASSPHRASE", PASSPHRASE)
    lead, outsider, team_file = str(tmp_path / "lead"), str(tmp_path / "outsider"), tmp_path / "team.jswteam"
    stick = tmp_path / "stick"
    stick.mkdir()

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["--no-keychain", *args])
        out, err = capsys.readouterr()
        return code, out, err

    hostile = "Mal\x1b[2J\x1b]0;owned\x07lory\x9b31m\u202eyrolam\u2066\r"
    code, _, err = run(
        "team",
        "create",
        lead,
        "--name",
        "JSW\x1b[8m team",
        "--coder",
        "Le\x1b[5mad",
        "--team-file",
        str(team_file),
    )
    assert code == 0, err
    assert run("init", outsider, "--name", "Not ours", "--coder", hostile)[0] == 0
    fingerprint = _fingerprint(lead)
    code, out, err = run(
        "team", "join", outsider, str(team_file), "--fingerprint", fingerprint
    )  # shown clean
    assert code == 0 and "\x1b" not in out + err and "JSW[8m team" in out and "Le[5mad" in out
    code, _, err = run("sync", outsider, "--folder", str(stick))
    assert code == 0, err
    # Two real fieldworkers use the same exchange folder; their names, accents included, stay as typed.
    fieldworkers = {"Ailsa": str(tmp_path / "ailsa"), "Ségolène Ó Briain": str(tmp_path / "segolene")}
    for name, laptop in fieldworkers.items():
        assert run("init", laptop, "--name", "Fieldwork", "--coder", name)[0] == 0
        assert run("team", "join", laptop, str(team_file), "--fingerprint", fingerprint)[0] == 0
        code, _, err = run("sync", laptop, "--folder", str(stick))
        assert code == 0, err
    code, out, err = run("sync", lead, "--folder", str(stick))
    assert code == 0, err
    shown = out + err
    assert "Mal[2J]0;ownedlory31myrolam asks to join: key fingerprint" in shown
    assert "Ailsa asks to join: key fingerprint" in shown and "Ségolène Ó Briain asks to join" in shown
    assert not any((ord(c) < 32 and c != "\n") or 0x7F <= ord(c) < 0xA0 or c in "\u202e\u2066" for c in shown)
    with Project.open(lead, passphrase=PASSPHRASE, use_keychain=False) as team_project:
        names = sorted(m.name for m in team_project.team.members() if m.name != "Le[5mad")
        assert names == ["Ailsa", "Mal[2J]0;ownedlory31myrolam", "Ségolène Ó Briain"]


def _fingerprint(project: str) -> str:
    with Project.open(project, passphrase=PASSPHRASE, use_keychain=False) as opened:
        return opened.team.fingerprint()


def test_sync_says_which_file_it_skipped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A damaged team file on the stick is named on the terminal, and the package still goes."""
    monkeypatch.setenv("JSWCODER_PASSPHRASE", PASSPHRASE)
    lead, laptop, team_file = str(tmp_path / "lead"), str(tmp_path / "laptop"), tmp_path / "team.jswteam"
    stick = tmp_path / "stick"
    stick.mkdir()
    assert (
        main(
            [
                "--no-keychain",
                "team",
                "create",
                lead,
                "--name",
                "T",
                "--coder",
                "Lead",
                "--team-file",
                str(team_file),
            ]
        )
        == 0
    )
    fingerprint = _fingerprint(lead)
    args = ["team", "join", laptop, str(team_file), "--fingerprint", fingerprint, "--coder", "Ailsa"]
    assert main(["--no-keychain", *args]) == 0
    source = write_txt(tmp_path / "in", "int_1.txt", "P1: The rota is hard.\n")
    assert main(["--no-keychain", "import", laptop, str(source)]) == 0
    (stick / "team.jswteam").write_bytes(b"not a team file")
    capsys.readouterr()
    assert main(["--no-keychain", "sync", laptop, "--folder", str(stick)]) == 0
    out, err = capsys.readouterr()
    assert "sent package 1" in out
    assert "jswcoder: skipped team.jswteam: not used" in err


def test_team_create_from_a_qdc_codebook_and_a_bad_one_leaves_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JSWCODER_PASSPHRASE", PASSPHRASE)
    source, qdc, team_file = str(tmp_path / "source"), tmp_path / "codebook.qdc", tmp_path / "team.jswteam"
    assert main(["--no-keychain", "init", source, "--name", "Earlier study", "--coder", "Morag"]) == 0
    for path in ("Partnership working/Co-location", "Funding and resources"):
        assert main(["--no-keychain", "codes", source, "add", path]) == 0
    assert main(["--no-keychain", "qdc", "export", source, str(qdc)]) == 0
    with Project.open(source, passphrase=PASSPHRASE, use_keychain=False) as earlier:
        wanted = {c.path: c.uuid for c in earlier.codebook.all()}

    bad = tmp_path / "bad.qdc"
    bad.write_bytes(b"<CodeBook>not a codebook")
    lead = tmp_path / "lead"
    create = ["--no-keychain", "team", "create", str(lead), "--name", "T", "--coder", "Lead"]
    capsys.readouterr()
    assert main([*create, "--team-file", str(team_file), "--codebook", str(bad)]) == 1
    assert not lead.exists() and not team_file.exists()  # refused before anything was made
    assert len(capsys.readouterr().err.strip().splitlines()) == 1

    assert main([*create, "--team-file", str(team_file), "--codebook", str(qdc)]) == 0
    assert "starts from codebook.qdc: 3 themes" in capsys.readouterr().out
    with Project.open(lead, passphrase=PASSPHRASE, use_keychain=False) as project:
        assert {c.path: c.uuid for c in project.codebook.all()} == wanted  # the GUIDs kept
