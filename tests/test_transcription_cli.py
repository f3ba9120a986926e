"""The command line for recordings (issue 19 item 8): ``recording import|list|delete|link``,
``transcribe`` and ``audio --export``, with the real draft model, a real encrypted project and espeak
speech. Ctrl+C is a real SIGINT to a real process."""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from jswcoder.project import Project
from jswcoder.speech import models
from tests.conftest import PASSPHRASE
from tests.speech_fixtures import SCRIPT, Turn, have_espeak, interview_wav, word_error_rate
from tests.test_cli import Cli

needs_speech = pytest.mark.skipif(not have_espeak(), reason="espeak-ng makes the test speech; not installed")
needs_model = pytest.mark.skipif(
    bool(models.missing("draft")), reason="the transcription part is not installed (jswcoder[transcribe])"
)
REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Speech:
    mono: Path
    stereo: Path
    turns: list[Turn]


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> Speech:
    if not have_espeak():
        pytest.skip("espeak-ng makes the test speech; not installed")
    folder = tmp_path_factory.mktemp("speech")
    turns = interview_wav(folder / "Interview 3.wav")
    interview_wav(folder / "telephone.wav", stereo=True)
    return Speech(folder / "Interview 3.wav", folder / "telephone.wav", turns)


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: Any
) -> Cli:
    """``qapp``: decoding needs a Qt application; the tests share pytest-qt's rather than make their own."""
    monkeypatch.setenv("JSWCODER_PASSPHRASE", PASSPHRASE)
    runner = Cli(capsys, tmp_path)
    code, _out, err = runner("init", runner.project, "--name", "Recorded study", "--coder", "Ailsa")
    assert code == 0, err
    return runner


REFERENCE = " ".join(text for _, text in SCRIPT)
PROGRESS = re.compile(
    r"^(Interview 3|telephone): \d+:\d\d of 0:40, (less than a minute|about \d+ min) left$", re.M
)


@needs_speech
@needs_model
def test_a_stereo_telephone_file_is_transcribed_with_its_speakers(cli: Cli, speech: Speech) -> None:
    code, out, err = cli("transcribe", cli.project, str(speech.stereo), "--model", "draft", "--json")
    assert code == 0, err
    [result] = json.loads(out)
    assert (result["recording"], result["transcript"], result["state"], result["model"]) == (
        "telephone",
        "telephone",
        "finished",
        "draft",
    )
    assert 40_000 <= result["duration_ms"] <= 40_200 and result["seconds"] > 0
    assert [s["speaker"] for s in result["segments"]] == ["Interviewer", "Participant"] * 4
    assert word_error_rate(REFERENCE, " ".join(s["text"] for s in result["segments"])) <= 0.15
    assert PROGRESS.search(err), err
    assert "telephone: transcribed all 0:40" in err
    # Progress says how far, never what was said.
    assert not any(word in err for word in ("agreeing", "caseload", "housing"))

    code, text, _ = cli("text", cli.project, "telephone")
    assert text.startswith("Interviewer: Thanks for agreeing") and "\n\nParticipant: I have been" in text
    # The same file again: found by its bytes, and its transcript is there already.
    code, out, err = cli("transcribe", cli.project, str(speech.stereo), "--model", "draft")
    assert code == 1 and err.count("\n") == 1
    assert "a transcript named 'telephone' is already in the project" in err


@needs_speech
@needs_model
def test_a_mono_interview_waits_for_its_speakers_unless_finished(cli: Cli, speech: Speech) -> None:
    code, out, err = cli("transcribe", cli.project, str(speech.mono), "--model", "draft")
    assert code == 0, err
    assert out == (
        "Interview 3: transcribed into 8 segments, 8 without a speaker; label the speakers and correct it "
        "in the app (or run again with --finish)\n"
    )
    code, out, _ = cli("recording", "list", cli.project)
    assert (
        out
        == "Interview 3  WAV, 0:40, 1.7 MB  (transcribed, 8 segments waiting for speakers and corrections)\n"
    )
    [listed] = cli.json("recording", "list", cli.project)
    assert listed["transcription"] == {
        "state": "correcting",
        "reached_ms": 40_080,
        "model": "draft",
        "segments": 8,
    }

    # By the recording's name now: no second transcription, the draft is finished as it is.
    code, out, err = cli("transcribe", cli.project, "Interview 3", "--model", "draft", "--finish")
    assert (code, out) == (0, "Interview 3\n"), err
    assert "decoding" not in err and "loading the speech model" not in err
    code, text, _ = cli("text", cli.project, "Interview 3")
    assert text.startswith("Unknown speaker: Thanks for agreeing") and "\n\n" not in text
    [listed] = cli.json("recording", "list", cli.project)
    assert (listed["transcription"], listed["transcripts"]) == (None, ["Interview 3"])
    code, out, _ = cli("recording", "list", cli.project)
    assert out == "Interview 3  WAV, 0:40, 1.7 MB  (transcript 'Interview 3')\n"


@needs_speech
@needs_model
def test_one_speaker_is_all_the_transcript(cli: Cli, speech: Speech, tmp_path: Path) -> None:
    assert cli("recording", "import", cli.project, str(speech.mono), "--name", "Client 3")[0] == 0
    # The file is found in the project by its bytes, under the name it was imported with.
    code, out, err = cli("transcribe", cli.project, str(speech.mono), "--speakers", "1", "--model", "draft")
    assert (code, out) == (0, "Client 3\n"), err
    assert [r["name"] for r in cli.json("recording", "list", cli.project)] == ["Client 3"]
    code, text, _ = cli("text", cli.project, "Client 3")
    assert text.startswith("Interviewer: Thanks") and text.count("Interviewer:") == 1


def test_transcription_missing_says_what_to_install_in_one_line(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(models, "MODULES", (*models.MODULES, "jswcoder_no_such_module"))
    audio = tmp_path / "notes.wav"
    audio.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt ")
    code, out, err = cli("transcribe", cli.project, str(audio))
    assert (code, out) == (1, "")
    assert err == (
        "jswcoder: transcription is not installed here (jswcoder_no_such_module missing); install "
        "jswcoder's transcription part: pip install 'jswcoder[transcribe]'\n"
    )
    assert cli.json("recording", "list", cli.project) == []  # nothing imported before the refusal


@needs_speech
def test_recordings_are_imported_listed_linked_and_deleted(cli: Cli, speech: Speech, tmp_path: Path) -> None:
    code, out, err = cli("recording", "import", cli.project, str(speech.mono), "--name", "Client  7")
    assert (code, out) == (0, "imported 'Client 7' (0:40, 1.7 MB)\n"), err
    [listed] = cli.json("recording", "list", cli.project)
    assert (listed["name"], listed["kind"], listed["duration_ms"], listed["transcription"]) == (
        "Client 7",
        "WAV",
        40_081,
        None,
    )
    assert listed["bytes"] == speech.mono.stat().st_size

    notes = tmp_path / "notes.mp3"
    notes.write_text("not audio at all", encoding="utf-8")
    for args, message in (
        ((str(speech.mono), "--name", "Client 7"), "a recording named 'Client 7' is already in the project"),
        ((str(notes),), "notes.mp3: is not a recording this version takes"),
        ((str(tmp_path / "gone.wav"),), "gone.wav: was not found"),
        ((str(speech.mono), str(speech.stereo), "--name", "x"), "--name is for one file at a time"),
    ):
        code, out, err = cli("recording", "import", cli.project, *args)
        assert code == 1 and message in err and err.count("\n") == 1, err
    assert len(cli.json("recording", "list", cli.project)) == 1

    # A .txt with [00:00:01]-style stamps, tied to the recording.
    typed = tmp_path / "Client 7 typed.txt"
    typed.write_text(
        "\n\n".join(
            f"[00:00:{int(t.start):02d}] {('Interviewer', 'Participant')[t.speaker]}: {t.text}"
            for t in speech.turns
        ),
        encoding="utf-8",
    )
    assert cli("import", cli.project, str(typed))[0] == 0
    code, out, err = cli("recording", "link", cli.project, "Client 7 typed", "Client 7")
    assert (code, out) == (
        0,
        "tied 8 turns of 'Client 7 typed' to the recording 'Client 7' (from 00:00:00 to 00:00:40)\n",
    ), err
    code, _, err = cli("recording", "link", cli.project, "Client 7 typed", "Client 8")
    assert code == 1 and err == "jswcoder: there is no recording 'Client 8'\n"

    code, out, err = cli("recording", "delete", cli.project, "Client 7")
    assert code == 1 and err == "jswcoder: not deleted: confirm with --yes (there is no terminal to ask on)\n"
    code, out, err = cli("recording", "delete", cli.project, "Client 7", "--yes")
    assert (code, out) == (0, "deleted the recording 'Client 7'\n"), err
    assert cli.json("recording", "list", cli.project) == []
    # The transcript stays; it no longer plays.
    code, _, err = cli("audio", cli.project, "Client 7 typed", "--export", str(tmp_path / "x.wav"))
    assert code == 1 and "'Client 7 typed' has no recording" in err
    assert not (tmp_path / "x.wav").exists()


@needs_speech
@needs_model
def test_audio_export_writes_the_voice_warned_and_audited(cli: Cli, speech: Speech, tmp_path: Path) -> None:
    assert cli("transcribe", cli.project, str(speech.stereo), "--model", "draft")[0] == 0
    out_wav = tmp_path / "check" / "telephone check.wav"
    out_wav.parent.mkdir()
    code, out, err = cli("audio", cli.project, "telephone", "--export", str(out_wav))
    assert code == 0, err
    assert out == f"wrote 'telephone' (0:40) to {out_wav}\n"
    assert "holds the participant's voice, in the clear and not anonymised" in err
    assert "delete it once you have checked it" in err
    with wave.open(str(out_wav)) as written, wave.open(str(speech.stereo)) as original:
        assert (written.getnchannels(), written.getframerate(), written.getsampwidth()) == (2, 22_050, 2)
        assert written.readframes(written.getnframes()) == original.readframes(original.getnframes())
    assert [p.name for p in out_wav.parent.iterdir()] == ["telephone check.wav"]  # no .part left
    [event] = cli.json("audit", cli.project, "--action", "export")
    assert event["details"] == {
        "what": "recording (audio)",
        "file": "telephone check.wav",
        "anonymised": False,
    }

    for args, message in (
        (("telephone", "--export", str(tmp_path / "x.mp3")), "give a name ending in .wav"),
        (("nobody", "--export", str(tmp_path / "x.wav")), "nobody"),
    ):
        code, out, err = cli("audio", cli.project, *args)
        assert code == 1 and message in err and err.count("\n") == 1, err


@needs_speech
@needs_model
def test_ctrl_c_stops_after_the_window_and_the_same_command_goes_on(speech: Speech, tmp_path: Path) -> None:
    longer = tmp_path / "Interview 9.wav"
    turns = interview_wav(longer, repeat=3)  # 2 minutes: five windows or so, time to stop in between
    env = {**os.environ, "JSWCODER_PASSPHRASE": PASSPHRASE, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "jswcoder", "--no-keychain"]
    project = str(tmp_path / "study")
    subprocess.run(
        [*command, "init", project, "--name", "N", "--coder", "C"], env=env, check=True, capture_output=True
    )
    transcribe = [*command, "transcribe", project, str(longer), "--model", "draft", "--speakers", "1"]
    process = subprocess.Popen(
        transcribe,
        env=env,
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    lines = []
    for line in process.stderr:
        lines.append(line)
        if re.search(r": 0:\d\d of 1:5\d, ", line):  # the first window done
            process.send_signal(signal.SIGINT)
            break
    out, rest = process.communicate(timeout=120)
    err = "".join(lines) + rest
    assert process.returncode == 130, err
    assert out == ""
    assert "stopping after the current part" in err
    stopped = re.search(r"stopped at (\d+:\d\d); what is done is kept", err)
    assert stopped is not None, err
    listed = subprocess.run(
        [*command, "recording", "list", project], env=env, capture_output=True, text=True, check=True
    )
    assert f"(transcription stopped at {stopped.group(1)})" in listed.stdout

    again = subprocess.run(
        [*transcribe, "--json"], env=env, capture_output=True, text=True, cwd=REPO, timeout=300
    )
    assert again.returncode == 0, again.stderr
    assert f"going on from {stopped.group(1)}" in again.stderr
    [result] = json.loads(again.stdout)
    segments = result["segments"]
    assert result["transcript"] == "Interview 9" and len(turns) == 24
    # Nothing twice, nothing lost: the segments follow one another without overlapping, and each turn is
    # heard in the segments that lie in its time. (Whisper may cut a turn in two after a resumption,
    # where the prompt is the earlier text without its special tokens: so per turn, not per segment.)
    starts = [s["start_ms"] for s in segments]
    assert starts == sorted(starts) and all(
        a["end_ms"] <= b["start_ms"] for a, b in itertools.pairwise(segments)
    )
    assert len(turns) <= len(segments) <= len(turns) + 2
    for turn in turns:
        inside = [s["text"] for s in segments if turn.start - 0.5 <= s["start_ms"] / 1000 < turn.end]
        assert word_error_rate(turn.text, " ".join(inside)) < 0.3, (turn.text, inside)


@needs_speech
@needs_model
def test_a_language_the_model_does_not_know_is_refused_in_one_line(cli: Cli, speech: Speech) -> None:
    for args, message in (
        (("--model", "draft", "--language", "de"), "Whisper tiny.en (draft) knows English only"),
        (("--model", "base", "--language", "xx"), "Whisper knows no language 'xx'"),
    ):
        code, out, err = cli("transcribe", cli.project, str(speech.mono), *args)
        assert (code, out) == (1, ""), err
        assert err.splitlines()[-1] == f"jswcoder: {message}"
        # nothing half-begun is left to resume with the wrong language
        assert [r["transcription"] for r in cli.json("recording", "list", cli.project)] in ([], [None])
    # refused before the file was even imported; the unknown language once the model knew
    assert [r["name"] for r in cli.json("recording", "list", cli.project)] == ["Interview 3"]
    code, out, err = cli("transcribe", cli.project, "Interview 3", "--model", "draft", "--speakers", "1")
    assert (code, out) == (0, "Interview 3\n"), err


@needs_speech
def test_a_compressed_recording_is_decoded_once_on_import(cli: Cli, speech: Speech, tmp_path: Path) -> None:
    if shutil.which("sox") is None:
        pytest.skip("SoX makes the Ogg Vorbis file; not installed")
    ogg = tmp_path / "Interview 3.ogg"
    subprocess.run(["sox", str(speech.mono), str(ogg)], check=True)
    code, out, err = cli("recording", "import", cli.project, str(ogg))
    assert code == 0, err
    assert out.startswith("imported 'Interview 3' (0:40, ")  # its length known once decoded
    [listed] = cli.json("recording", "list", cli.project)
    assert listed["kind"] == "Ogg/Opus" and 39_900 < listed["duration_ms"] < 40_300

    broken = tmp_path / "broken.ogg"
    broken.write_bytes(b"OggS" + bytes(range(256)) * 40)
    code, out, err = cli("recording", "import", cli.project, str(broken))
    assert (code, out) == (1, "") and err.startswith("jswcoder: broken") and err.count("\n") == 1, err
    assert [r["name"] for r in cli.json("recording", "list", cli.project)] == ["Interview 3"]  # not kept


@needs_speech
def test_a_stamped_transcript_is_tied_to_the_recording_imported_beside_it(
    cli: Cli, speech: Speech, tmp_path: Path
) -> None:
    """ "Interview 3.txt" with [00:00:01] stamps and "Interview 3.wav": whichever comes in second ties the
    two, by the name they share; a transcript of another name is left alone."""

    def typed(name: str) -> Path:
        path = tmp_path / "typed" / f"{name}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(
            f"Typed up from the recording of {name}\n\n"
            + "\n\n".join(
                f"[00:00:{int(t.start):02d}] {('Interviewer', 'Participant')[t.speaker]}: {t.text}"
                for t in speech.turns
            ),
            encoding="utf-8",
        )
        return path

    # The recording first, then its transcript.
    assert cli("recording", "import", cli.project, str(speech.mono))[0] == 0  # "Interview 3"
    code, out, err = cli("import", cli.project, str(typed("Interview 3")), str(typed("Interview 4")))
    assert code == 0, err
    assert "tied 'Interview 3' to the recording 'Interview 3' by its time stamps" in out
    assert "'Interview 4' to the recording" not in out
    # The transcript first, then its recording.
    code, out, err = cli("import", cli.project, str(typed("telephone")))
    assert code == 0 and "tied" not in out, err
    code, out, err = cli("recording", "import", cli.project, str(speech.stereo))
    assert code == 0, err
    assert "tied the transcript 'telephone' to the recording 'telephone' by its time stamps" in out
    project = Project.open(Path(cli.project), passphrase=PASSPHRASE, use_keychain=False)
    try:
        for name in ("Interview 3", "telephone"):
            spans = project.transcription.timeline(project.transcripts.find(name).uuid)
            assert [s.start_ms for s in spans] == [int(t.start) * 1000 for t in speech.turns]
        assert project.transcription.timeline(project.transcripts.find("Interview 4").uuid) == []
    finally:
        project.close()
