"""Recordings imported into the encrypted project (issue 19, first step): streamed in chunks into the
database, read back byte for byte and checked, recognised by their first bytes, never on disk in the
clear; anything that is not a recording refused in one line with nothing stored."""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

import pytest

from jswcoder.errors import ImportRejected
from jswcoder.project import Project
from jswcoder.services.recordings import CHUNK, container_of


def _wav(path: Path, seconds: float, rate: int = 16_000) -> bytes:
    """A mono 16-bit tone whose samples are not zeros: a fragment of it is searchable on disk."""
    frames = b"".join(
        struct.pack("<h", int(12_000 * math.sin(2 * math.pi * 440 * n / rate) + 37 * (n % 7)))
        for n in range(int(seconds * rate))
    )
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames)
    return frames


def test_a_recording_is_stored_in_chunks_and_read_back_whole(project: Project, tmp_path: Path) -> None:
    source = tmp_path / "inbox" / "client_7.wav"
    source.parent.mkdir()
    pcm = _wav(source, 120)  # 3.8 MB: four chunks
    recording = project.recordings.import_file(source)
    assert (recording.name, recording.container, recording.duration_ms) == ("client_7", "wav", 120_000)
    assert recording.size == source.stat().st_size > 3 * CHUNK
    assert project.recordings.data("client_7") == source.read_bytes()
    assert [r.name for r in project.recordings.all()] == ["client_7"]

    # The project's folder holds no readable audio: not a fragment of the samples, anywhere.
    source.unlink()
    project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    fragment = pcm[50_000:50_064]
    for path in Path(project.paths.folder).rglob("*"):
        if path.is_file():
            assert fragment not in path.read_bytes(), path.name


def test_what_is_not_a_recording_is_refused_and_nothing_is_kept(project: Project, tmp_path: Path) -> None:
    notes = tmp_path / "notes.wav"
    notes.write_text("Interview notes, not audio.", encoding="utf-8")
    empty = tmp_path / "empty.mp3"
    empty.write_bytes(b"")
    folder = tmp_path / "folder.wav"
    folder.mkdir()
    for path, reason in (
        (notes, "is not a recording this version takes (WAV, MP3, M4A/MP4 audio or Ogg/Opus)"),
        (empty, "is empty"),
        (folder, "is a folder, not a file; choose the recording inside it"),
        (tmp_path / "gone.wav", "was not found"),
    ):
        with pytest.raises(ImportRejected) as refused:
            project.recordings.import_file(path)
        assert reason in str(refused.value) and "\n" not in str(refused.value)
    assert project.recordings.all() == []
    assert project.db.execute("SELECT count(*) FROM recording_chunks").fetchone()[0] == 0

    good = tmp_path / "jsw2.wav"
    _wav(good, 1)
    project.recordings.import_file(good)
    with pytest.raises(ImportRejected, match="a recording named 'jsw2' is already in the project"):
        project.recordings.import_file(good)


@pytest.mark.parametrize(
    ("head", "container"),
    [
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "wav"),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00", "mp3"),
        (b"\xff\xfb\x90\x64\x00\x00\x00\x00", "mp3"),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00", "mp4"),
        (b"OggS\x00\x02\x00\x00\x00\x00\x00\x00", "ogg"),
        (b"PK\x03\x04\x14\x00\x06\x00", None),
        (b"%PDF-1.7\n", None),
    ],
)
def test_a_recording_is_recognised_by_its_first_bytes(head: bytes, container: str | None) -> None:
    assert container_of(head) == container
