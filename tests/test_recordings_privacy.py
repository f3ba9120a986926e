"""No byte of a recording, nor a word of its transcript, in the clear on disk (issue 19).

The whole path runs as a user would run it, in a process whose every writable folder (home, the XDG
folders, TMPDIR) is inside the test's folder: ``recording import``, then ``transcribe`` (decoding in
memory, the model, the draft, finishing into a transcript). Then every file of the project folder and of
those folders, and every file written meanwhile in the system's temp folder, is searched for fragments
of the audio (as in the file, and as decoded to 16 kHz) and for phrases of the transcript. What leaves
the project (a team package, a .qdpx export, an archive deposit) carries the text only: no audio, no recordings' details.
The audio is made unique to the run (a little random noise), so no other file can hold it by chance.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
import time
import wave
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from jswcoder.project import Project
from jswcoder.speech import models
from jswcoder.team.package_writer import build_package
from tests.conftest import PASSPHRASE, make_project
from tests.leakscan import files_under, isolated_env, run_jswcoder
from tests.speech_fixtures import have_espeak, interview_wav

pytestmark = [
    pytest.mark.skipif(not have_espeak(), reason="espeak-ng makes the test speech; it is not installed"),
    pytest.mark.skipif(bool(models.missing("draft")), reason="the transcription part is not installed"),
]
REPO = Path(__file__).resolve().parent.parent
# A script of this test's own: no other test's files hold its words.
PRIVATE_SCRIPT = (
    (0, "When did you last see the bail officer in Kirkcudbright?"),
    (1, "On Thursday morning, after the review panel had finished with my report."),
    (0, "Did the panel read the whole report before they decided?"),
    (1, "They read the summary, and then they asked about the night shelter on Harbour Lane."),
)


def _unique_recording(path: Path) -> bytes:
    """The espeak interview with a little noise of this run's own; returns its samples."""
    interview_wav(path, script=PRIVATE_SCRIPT)
    with wave.open(str(path)) as read:
        rate, samples = read.getframerate(), np.frombuffer(read.readframes(read.getnframes()), dtype="<i2")
    noise = np.random.default_rng(int.from_bytes(secrets.token_bytes(8))).integers(-3, 4, len(samples))
    unique = np.clip(samples.astype(np.int32) + noise, -32768, 32767).astype("<i2").tobytes()
    with wave.open(str(path), "wb") as write:
        write.setnchannels(1)
        write.setsampwidth(2)
        write.setframerate(rate)
        write.writeframes(unique)
    return unique


def _fragments(pcm: bytes) -> list[bytes]:
    """64 bytes from the middle of the samples, and from the loudest stretch of talk."""
    samples = np.frombuffer(pcm, dtype="<i2")
    loudest = int(np.argmax(np.abs(samples))) * 2
    middle = len(pcm) // 2 & ~1
    return [pcm[middle : middle + 64], pcm[loudest - 32 : loudest + 32]]


def _holding(paths: list[Path], needles: dict[str, bytes]) -> list[str]:
    hits = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:  # gone meanwhile, or another user's
            continue
        hits += [f"{path}: {what}" for what, needle in needles.items() if needle in data]
    return hits


def _written_since(folder: Path, since: float) -> list[Path]:
    found = []
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(root) / name
            try:
                if path.is_file() and not path.is_symlink() and path.stat().st_mtime >= since:
                    found.append(path)
            except OSError:
                continue
    return found


def _decoded(project: Project, name: str) -> bytes:
    from jswcoder.ui.audio_source import decode_pcm, recording_buffer

    buffer = recording_buffer(project, name)
    try:
        return decode_pcm(buffer)
    finally:
        buffer.close()


def test_no_audio_or_transcript_in_the_clear_anywhere(tmp_path: Path, qapp: Any) -> None:
    began = time.time() - 1
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    source = inbox / "Client 7.wav"
    samples = _unique_recording(source)
    root = tmp_path / "user"
    env, folders = isolated_env(root, JSWCODER_PASSPHRASE=PASSPHRASE, QT_QPA_PLATFORM="offscreen")
    project_folder = root / "study"
    project, _ = make_project(project_folder)
    project.close()

    def run(*args: str) -> str:
        return run_jswcoder(env, *args)

    run("recording", "import", str(project_folder), str(source))
    source.unlink()  # as a careful fieldworker would: from now on the project holds the only copy
    [result] = json.loads(
        run("transcribe", str(project_folder), "Client 7", "--model", "draft", "--finish", "--json")
    )
    assert result["transcript"] == "Client 7"
    said = " ".join(s["text"] for s in result["segments"])
    assert "report" in said.lower()

    with Project.open(project_folder, passphrase=PASSPHRASE, use_keychain=False) as project:
        decoded = _decoded(project, "Client 7")
        text = project.transcripts.text("Client 7")
        recording = project.recordings.find("Client 7")
        package = build_package(project, sequence=1)
        project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    qdpx = tmp_path / "out" / "study.qdpx"
    qdpx.parent.mkdir()
    run("qdpx", "export", str(project_folder), str(qdpx), "--originals")
    env["JSWCODER_LOG_PASSPHRASE"] = "an archive's own long passphrase 19"
    for found in json.loads(run("register", str(project_folder), "suggest", "--json")):  # places, reviewed
        run("register", str(project_folder), "add", found["text"], "--as", found["replacement"])
    run("deposit", str(project_folder), "--out", str(qdpx.parent / "deposit"))

    needles = {
        **{f"file samples {i}": f for i, f in enumerate(_fragments(samples))},
        **{f"decoded samples {i}": f for i, f in enumerate(_fragments(decoded))},
    }
    # The decoded audio as it also exists in memory: on two channels, and as the model's floats.
    for i, fragment in enumerate(_fragments(decoded)):
        values = np.frombuffer(fragment, dtype="<i2")
        needles[f"decoded stereo {i}"] = np.repeat(values, 2).tobytes()
        needles[f"decoded floats {i}"] = (values.astype(np.float32) / 32768.0).tobytes()
    phrases = [said[len(said) // 2 : len(said) // 2 + 40], said[-30:]]
    for i, phrase in enumerate(phrases):
        for encoding in ("utf-8", "utf-16-le"):
            needles[f"transcript phrase {i} ({encoding})"] = phrase.encode(encoding)
    assert all(phrase in text for phrase in phrases)  # the phrases are really the transcript's

    # The scan can see: the decoded audio and the text, were they written in the clear, are found.
    canary = tmp_path / "canary"
    stereo = np.repeat(np.frombuffer(decoded, dtype="<i2"), 2).tobytes()
    floats = (np.frombuffer(decoded, dtype="<i2").astype(np.float32) / 32768.0).tobytes()
    canary.write_bytes(b"..." + decoded + stereo + floats + text.encode("utf-8"))
    assert sorted(hit.split(": ", 1)[1] for hit in _holding([canary], needles)) == [
        "decoded floats 0",
        "decoded floats 1",
        "decoded samples 0",
        "decoded samples 1",
        "decoded stereo 0",
        "decoded stereo 1",
        "transcript phrase 0 (utf-8)",
        "transcript phrase 1 (utf-8)",
    ]
    canary.unlink()

    scanned = [
        *files_under([project_folder, *folders.values()]),
        *_written_since(Path(tempfile.gettempdir()), began),
    ]
    scanned = [p for p in scanned if qdpx.parent not in p.parents]
    assert len(files_under([project_folder])) >= 2 and len(scanned) > len(files_under([project_folder]))
    assert _holding(scanned, needles) == []

    # What leaves the project: the text only, with no audio and no details of the recording.
    dumped = json.dumps(package, ensure_ascii=False).encode("utf-8")
    assert text[:40].encode("utf-8") in dumped  # the transcript goes (this project has no register)
    audio_needles = {k: v for k, v in needles.items() if "samples" in k}
    for forbidden in (b"RIFF", recording.uuid.encode(), recording.sha256.encode(), b"recording_chunks"):
        assert forbidden not in dumped
    assert not any(key.startswith("recording") for key in package)
    assert _holding([qdpx], audio_needles) == []
    with zipfile.ZipFile(qdpx) as archive:
        names = archive.namelist()
        contents = [archive.read(name) for name in names]
    assert not any(name.lower().endswith((".wav", ".mp3", ".m4a", ".ogg", ".opus", ".mp4")) for name in names)
    assert not any(
        b"RIFF" in data[:16] or any(n in data for n in audio_needles.values()) for data in contents
    )
    assert not any(recording.uuid.encode() in data for data in contents)
    deposited = files_under([qdpx.parent / "deposit"])
    assert len(deposited) >= 4
    assert not any(p.suffix.lower() in {".wav", ".mp3", ".m4a", ".ogg", ".opus", ".mp4"} for p in deposited)
    assert _holding(deposited, audio_needles) == []
    assert not any(
        b"RIFF" in p.read_bytes()[:16] or recording.uuid.encode() in p.read_bytes() for p in deposited
    )
