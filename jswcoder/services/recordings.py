"""Recordings in a project (issue 19, its first step): an interview's audio imported into the encrypted
database, so that it is never on disk in the clear beside the project.

The file is kept as it came (WAV, MP3, M4A/MP4 audio or Ogg/Opus), recognised by its first bytes rather
than its name, and streamed into the database a MiB at a time: an hour of audio never sits whole in
memory, and no temporary copy is written. Its SHA-256 is checked whenever it is read back. Decoding for
playback and transcription happens later, from memory.
"""

from __future__ import annotations

import hashlib
import io
import stat
import wave
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from jswcoder.errors import ImportRejected, NotFound, ProjectDamaged
from jswcoder.ids import new_uuid, now
from jswcoder.model import Coder
from jswcoder.store import recordings as rows
from jswcoder.store.recordings import RecordingRow
from jswcoder.store.withdrawals import secure_delete_on

CHUNK = 1024 * 1024
MAX_BYTES = 2 * 1024**3  # three hours of CD-quality stereo WAV; any interview's recording is smaller
CONTAINERS = {"wav": "WAV", "mp3": "MP3", "mp4": "M4A/MP4 audio", "ogg": "Ogg/Opus"}


def container_of(head: bytes) -> str | None:
    """What kind of audio file begins with ``head`` (its first bytes), or None if none we take."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head[:4] == b"OggS":
        return "ogg"
    return None


def _wav_header(head: bytes) -> tuple[int, int, int] | None:
    """A WAV's rate, channels and frames from its first bytes; None if they do not say."""
    try:
        with wave.open(io.BytesIO(head)) as read:
            return read.getframerate(), read.getnchannels(), read.getnframes()
    except (wave.Error, EOFError, ValueError):
        return None


def _duration_ms(container: str, head: bytes) -> int | None:
    """A WAV's length from its header (the others' once decoded)."""
    header = _wav_header(head) if container == "wav" else None
    if header is None or not header[0]:
        return None
    return round(1000 * header[2] / header[0])


def _checked(path: Path) -> int:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ImportRejected(path, "was not found; it may have been moved, renamed or deleted") from None
    except OSError as error:
        raise ImportRejected(path, f"cannot be opened ({error.strerror or 'system error'})") from None
    if stat.S_ISDIR(info.st_mode):
        raise ImportRejected(path, "is a folder, not a file; choose the recording inside it")
    if not stat.S_ISREG(info.st_mode):
        raise ImportRejected(path, "is not a regular file")
    if info.st_size == 0:
        raise ImportRejected(path, "is empty")
    if info.st_size > MAX_BYTES:
        raise ImportRejected(path, f"is larger than {MAX_BYTES // 1024**3} GiB: split the recording")
    return info.st_size


class Recordings:
    def __init__(self, db: Database, coder: Coder) -> None:
        self._db = db
        self._coder = coder

    def all(self) -> list[RecordingRow]:
        return rows.all_recordings(self._db)

    def find(self, ref: str) -> RecordingRow:
        """A recording by its name or UUID."""
        found = rows.by_name(self._db, ref.strip()) or rows.by_uuid(self._db, ref.strip())
        if found is None:
            raise NotFound(f"there is no recording {ref!r}")
        return found

    def wav_format(self, ref: str) -> tuple[int, int] | None:
        """A WAV recording's sample rate and number of channels, from its header; None for the other
        kinds (theirs are known only once decoded)."""
        recording = self.find(ref)
        if recording.container != "wav":
            return None
        header = _wav_header(next(rows.chunks(self._db, recording.uuid), b""))
        return None if header is None else header[:2]

    def set_duration(self, uuid: str, duration_ms: int) -> None:
        """The length once decoded (an MP3's, M4A's or Ogg's is known only then)."""
        with self._db.atomic():
            rows.set_duration(self._db, uuid, duration_ms)

    def delete(self, ref: str) -> None:
        """Remove a recording with its chunks, its transcription in progress and its transcripts' times;
        freed pages are overwritten (the audio is the most identifying thing a project holds)."""
        recording = self.find(ref)
        secure_delete_on(self._db)
        with self._db.atomic():
            rows.remove(self._db, recording.uuid)

    def import_file(self, path: Path, *, name: str | None = None) -> RecordingRow:
        """Store a recording, streamed in chunks inside one transaction: all of it, or nothing."""
        path = Path(path)
        _checked(path)
        title = " ".join((name or path.stem).split())
        if not title:
            raise ImportRejected(path, "needs a name")
        if rows.by_name(self._db, title) is not None:
            raise ImportRejected(path, f"a recording named {title!r} is already in the project")
        uuid = new_uuid()
        digest, size = hashlib.sha256(), 0
        try:
            with path.open("rb") as source, self._db.atomic():
                head = source.read(CHUNK)
                container = container_of(head)
                if container is None:
                    raise ImportRejected(
                        path, "is not a recording this version takes (WAV, MP3, M4A/MP4 audio or Ogg/Opus)"
                    )
                rows.insert(
                    self._db,
                    RecordingRow(
                        uuid,
                        title,
                        container,
                        len(head),
                        "",
                        _duration_ms(container, head),
                        None,
                        self._coder.uuid,
                        now(),
                    ),
                )
                ordinal, chunk = 0, head
                while chunk:
                    size += len(chunk)
                    if size > MAX_BYTES:
                        raise ImportRejected(path, "grew past the largest recording taken while it was read")
                    digest.update(chunk)
                    rows.add_chunk(self._db, uuid, ordinal, chunk)
                    ordinal += 1
                    chunk = source.read(CHUNK)
                rows.finish(self._db, uuid, size, digest.hexdigest())
        except OSError as error:
            raise ImportRejected(path, f"could not be read ({error.strerror or 'system error'})") from None
        return self.find(title)

    def chunks(self, name: str) -> Iterator[bytes]:
        """A recording's bytes in order; :class:`ProjectDamaged` if they are not what was stored."""
        recording = self.find(name)
        digest, size = hashlib.sha256(), 0
        for chunk in rows.chunks(self._db, recording.uuid):
            digest.update(chunk)
            size += len(chunk)
            yield chunk
        if size != recording.size or digest.hexdigest() != recording.sha256:
            raise ProjectDamaged(f"the recording {recording.name!r} is damaged in the project")

    def data(self, name: str) -> bytes:
        """A whole recording in memory (decoding reads from here; nothing is written to disk)."""
        return b"".join(self.chunks(name))
