"""``jswcoder index``, ``similar``, ``suggest`` and ``agreement --coders NAME assistant``: the real command
line on the demo project, with the real model; Ctrl+C as a real SIGINT to a child process."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jswcoder import demo
from jswcoder.assist import model
from jswcoder.project import Project
from tests.conftest import FAST_KDF, PASSPHRASE, REPO, make_project, write_txt
from tests.test_cli import Cli

TRANSCRIPT = "demo_02_team_leader_depth"


@pytest.fixture(scope="module")
def demo_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """The demo project twice, made once: as made (no index), and indexed."""
    base = tmp_path_factory.mktemp("demo")
    project = demo.create(base / "plain", kdf=FAST_KDF)
    project.close()
    shutil.copytree(base / "plain", base / "indexed")
    with Project.open(base / "indexed", passphrase=demo.PASSPHRASE, use_keychain=False) as indexed:
        indexed.assistance.update()
    yield base / "plain", base / "indexed"


def _cli(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: Path
) -> Cli:
    monkeypatch.setenv("JSWCODER_PASSPHRASE", demo.PASSPHRASE)
    runner = Cli(capsys, tmp_path)
    shutil.copytree(source, runner.project)
    return runner


@pytest.fixture
def fresh(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    demo_folders: tuple[Path, Path],
) -> Cli:
    """The demo with no index yet."""
    return _cli(capsys, tmp_path, monkeypatch, demo_folders[0])


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    demo_folders: tuple[Path, Path],
) -> Cli:
    """The demo, indexed."""
    return _cli(capsys, tmp_path, monkeypatch, demo_folders[1])


def _open(cli: Cli) -> Project:
    return Project.open(cli.project, passphrase=demo.PASSPHRASE, use_keychain=False)


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_index_embeds_what_is_new_once(fresh: Cli) -> None:
    first = fresh.json("index", fresh.project)
    assert first == {
        "transcripts": 4,
        "passages": first["passages"],  # type: ignore[index]
        "removed": 0,
        "seconds": first["seconds"],  # type: ignore[index]
        "stopped": False,
        "indexed": 4,
        "of": 4,
        "passages_in_index": first["passages"],  # type: ignore[index]
    }
    assert first["passages"] > 100  # type: ignore[index,operator]
    again = fresh.json("index", fresh.project)
    assert again["transcripts"] == 0 and again["passages"] == 0  # type: ignore[index]
    assert again["passages_in_index"] == first["passages"]  # type: ignore[index]
    code, out, err = fresh("index", fresh.project)
    assert code == 0 and err == ""
    assert out.splitlines() == [
        "Nothing new to index.",
        f"The index holds 4 of 4 transcripts ({first['passages']:,} passages).",  # type: ignore[index]
    ]


def test_similar_indexes_first_and_says_so(fresh: Cli) -> None:
    code, out, err = fresh("similar", fresh.project, "--text", "money for training staff", "--json")
    assert code == 0, err
    assert "indexing 4 new or changed transcripts first" in err
    assert "passages" in err  # the progress
    assert len(json.loads(out)) == 10
    code, out, err = fresh("similar", fresh.project, "--text", "money for training staff")
    assert code == 0 and err == ""  # nothing left to index
    assert len(out.splitlines()) == 10


def test_similar_json_and_text(cli: Cli) -> None:
    found: Any = cli.json("similar", cli.project, "--text", "money for training staff", "--top", "5")
    assert len(found) == 5
    assert set(found[0]) == {"transcript", "transcript_uuid", "attribution", "start", "end", "text", "score"}
    scores = [p["score"] for p in found]
    assert scores == sorted(scores, reverse=True)
    with _open(cli) as project:
        for p in found:
            text = project.transcripts.text_of(p["transcript_uuid"])
            assert text[p["start"] : p["end"]] == p["text"]
    code, out, _ = cli("similar", cli.project, "--text", "money for training staff", "--top", "5")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 5
    best = found[0]
    assert lines[0].startswith(f"{best['score']:.2f}  {best['attribution']} ({best['transcript']} ")
    assert all(len(line) < 250 for line in lines)  # one line each, the passage shortened


def test_similar_to_a_coding_leaves_the_coding_out(cli: Cli) -> None:
    with _open(cli) as project:
        coding = project.codings.of_transcript(project.transcripts.find(TRANSCRIPT).uuid)[0]
    found: Any = cli.json("similar", cli.project, "--coding", coding.uuid, "--top", "50")
    assert len(found) == 50
    for p in found:
        inside = p["transcript_uuid"] == coding.transcript_uuid and (
            p["start"] < coding.end and p["end"] > coding.start
        )
        assert not inside


def test_similar_within_filters(cli: Cli) -> None:
    text = "the clients and their families"
    only: Any = cli.json("similar", cli.project, "--text", text, "--transcript", TRANSCRIPT, "--top", "30")
    assert only and {p["transcript"] for p in only} == {TRANSCRIPT}
    two: Any = cli.json(
        "similar", cli.project, "--text", text, "--transcript", TRANSCRIPT, "--transcript",
        "demo_03_partner_paired", "--top", "200",
    )  # fmt: skip
    assert {p["transcript"] for p in two} == {TRANSCRIPT, "demo_03_partner_paired"}
    with _open(cli) as project:
        codings = [c for t in project.transcripts.all() for c in project.codings.of_transcript(t.uuid)]
        theme = project.codebook.find("Funding and resources/Training")

    def touched(p: dict[str, Any], code_uuid: str | None = None) -> bool:
        return any(
            c.transcript_uuid == p["transcript_uuid"]
            and c.start < p["end"]
            and c.end > p["start"]
            and code_uuid in (None, c.code_uuid)
            for c in codings
        )

    uncoded: Any = cli.json("similar", cli.project, "--text", text, "--uncoded", "--top", "40")
    coded: Any = cli.json("similar", cli.project, "--text", text, "--coded", "--top", "40")
    assert uncoded and coded
    assert all(touched(p) for p in coded)
    # An uncoded passage may share a few words with a coding that mostly covers another passage.
    assert sum(touched(p) for p in uncoded) < len(uncoded) / 2
    themed: Any = cli.json("similar", cli.project, "--text", text, "--theme", theme.path, "--top", "40")
    assert themed and all(touched(p, theme.uuid) for p in themed)
    with pytest.raises(SystemExit):  # argparse: not allowed together
        cli("similar", cli.project, "--text", text, "--coded", "--uncoded")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--text", "  "], "give some words with --text"),
        (["--text", "money", "--top", "0"], "--top takes a number from 1 to 1000"),
        (["--coding", "no-such-coding"], "no-such-coding"),
        (["--text", "money", "--transcript", "Interview 99"], "Interview 99"),
        (["--text", "money", "--theme", "No such theme"], "there is no code 'No such theme'"),
    ],
)
def test_similar_refuses_in_one_line(cli: Cli, arguments: list[str], message: str) -> None:
    code, out, err = cli("similar", cli.project, *arguments)
    assert code == 1 and out == ""
    assert message in _one_line(err)


def test_similar_refuses_before_indexing(fresh: Cli) -> None:
    code, _, err = fresh("similar", fresh.project, "--text", "money", "--transcript", "Interview 99")
    assert code == 1 and "indexing" not in err
    assert fresh.json("index", fresh.project)["transcripts"] == 4  # type: ignore[index]


def test_suggest_lists_and_codes_nothing(cli: Cli) -> None:
    with _open(cli) as project:
        before = sorted(
            c.uuid for c in project.codings.of_transcript(project.transcripts.find(TRANSCRIPT).uuid)
        )
    found: Any = cli.json("suggest", cli.project, TRANSCRIPT)
    assert found, "the demo has suggestions for this transcript"
    assert set(found[0]) == {"start", "end", "theme", "code_uuid", "score", "text", "examples"}
    assert [s["start"] for s in found] == sorted(s["start"] for s in found)
    with_examples = [s for s in found if s["examples"]]
    assert with_examples and all(e["transcript"] != TRANSCRIPT for s in found for e in s["examples"])
    code, out, _ = cli("suggest", cli.project, TRANSCRIPT)
    assert code == 0
    assert f"{found[0]['start']}-{found[0]['end']}  {found[0]['theme']}  " in out
    assert "    like:" in out
    with _open(cli) as project:
        after = sorted(
            c.uuid for c in project.codings.of_transcript(project.transcripts.find(TRANSCRIPT).uuid)
        )
        assert project.assistance.decisions() == []
    assert after == before
    code, _, err = cli("suggest", cli.project, "Interview 99")
    assert code == 1 and "Interview 99" in _one_line(err)


def test_agreement_with_the_assistant(cli: Cli) -> None:
    report: Any = cli.json("agreement", cli.project, TRANSCRIPT, "--coders", demo.CODER, "assistant")
    assert (report["coder_a"]["name"], report["coder_b"]) == (
        demo.CODER,
        {"uuid": "assistant", "name": "assistant"},
    )
    with _open(cli) as project:
        from jswcoder.analysis.assistant import assistant_agreement

        expected = assistant_agreement(project, TRANSCRIPT, demo.CODER).as_dict()
    assert report == json.loads(json.dumps(expected))
    code, out, _ = cli("agreement", cli.project, TRANSCRIPT, "--coders", "assistant", demo.CODER)
    assert code == 0 and f"Coder A: assistant    Coder B: {demo.CODER}" in out
    code, _, err = cli("agreement", cli.project, TRANSCRIPT, "--coders", "Nobody", "assistant")
    assert code == 1 and _one_line(err) == "jswcoder: there is no coder 'Nobody' in this project"


def test_agreement_with_the_assistant_indexes_first(fresh: Cli) -> None:
    code, _, err = fresh("agreement", fresh.project, TRANSCRIPT, "--coders", demo.CODER, "assistant")
    assert code == 0 and "indexing 4 new or changed transcripts first" in err


@pytest.mark.parametrize(
    "arguments",
    [
        ["index", "{project}"],
        ["similar", "{project}", "--text", "money"],
        ["suggest", "{project}", TRANSCRIPT],
    ],
)
def test_without_the_optional_part_one_line_and_no_passphrase_asked(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, arguments: list[str]
) -> None:
    monkeypatch.setattr(model, "missing", lambda: ["onnxruntime"])
    monkeypatch.delenv("JSWCODER_PASSPHRASE")  # asked for, it would fail in another way
    code, out, err = cli(*[a.format(project=cli.project) for a in arguments])
    assert code == 1 and out == ""
    line = _one_line(err)
    assert "the local assistant is not installed here (onnxruntime missing)" in line
    assert "pip install 'jswcoder[assist]'" in line


def test_agreement_with_the_assistant_needs_the_optional_part_two_people_do_not(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(model, "missing", lambda: ["onnxruntime"])
    code, out, err = cli("agreement", cli.project, TRANSCRIPT, "--coders", demo.CODER, "assistant")
    assert code == 1 and out == ""
    assert "the local assistant is not installed here (onnxruntime missing)" in _one_line(err)
    code, out, err = cli("agreement", cli.project, "demo_04_client_depth")  # the two people of the demo
    assert code == 0 and "Coder B: Demo second coder" in out, err


@pytest.mark.parametrize("name", ["index", "similar", "suggest"])
def test_help(capsys: pytest.CaptureFixture[str], name: str) -> None:
    from jswcoder.cli import main

    with pytest.raises(SystemExit) as exit_:
        main([name, "--help"])
    assert exit_.value.code == 0
    assert f"usage: jswcoder {name}" in capsys.readouterr().out


# -- Ctrl+C ----------------------------------------------------------------------------------------

WORDS = (
    "support council worker client funding staff court order housing police health partner team "
    "training office budget family review risk plan contact visit report manager change service"
).split()


def _long_transcript(seed: int, sentences: int) -> str:
    rng = random.Random(seed)
    turns = []
    for i in range(sentences):
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 20)))
        turns.append(f"P{seed}: The {words} number {i}.")
    return "\n".join(turns) + "\n"


@pytest.mark.slow
def test_ctrl_c_keeps_the_finished_transcripts_and_the_next_run_completes(tmp_path: Path) -> None:
    project, _key = make_project(tmp_path / "study")
    files = [write_txt(tmp_path / "in", f"Long {n}.txt", _long_transcript(n, 300)) for n in (1, 2, 3)]
    assert not project.transcripts.import_files(files).rejected
    project.close()
    env = dict(os.environ, JSWCODER_PASSPHRASE=PASSPHRASE)
    command = [sys.executable, "-m", "jswcoder", "--no-keychain", "index", str(tmp_path / "study")]
    child = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert child.stderr is not None
    seen = []
    for line in child.stderr:  # off a terminal, a line as each transcript begins
        seen.append(line)
        if line.startswith("Long 2: "):
            child.send_signal(signal.SIGINT)
            break
    out, err = child.communicate(timeout=120)
    assert child.returncode == 130, "".join(seen) + err
    assert "stopping after this batch" in err
    assert "stopped: " in err and "indexed and kept; run the command again to go on" in err
    assert "Traceback" not in err
    with Project.open(tmp_path / "study", passphrase=PASSPHRASE, use_keychain=False) as reopened:
        kept = reopened.assistance.status().indexed
    assert 1 <= kept < 3
    assert f"The index holds {kept} of 3 transcripts" in out
    again = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"Indexed {3 - kept} transcript")
    assert "The index holds 3 of 3 transcripts" in again.stdout
