"""A recording's audio for Qt Multimedia, from memory: played by :class:`QMediaPlayer`, decoded to PCM by
:class:`QAudioDecoder` (Qt's own FFmpeg, LGPL: WAV, MP3, M4A/AAC, Ogg Vorbis and Opus).

The recording comes out of the encrypted database, its SHA-256 checked, into one :class:`QByteArray`
(no temporary file, no second copy in Python), and both the player and the decoder read it through a
:class:`QBuffer`. Qt Multimedia's notices, which can quote a file's tags (a title naming the
participant), are kept out of the output; FFmpeg's own warnings about a damaged file ("CRC mismatch")
still reach stderr, and name no content.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QEventLoop, QIODevice, QLoggingCategory

from jswcoder.errors import ImportRejected, JswError
from jswcoder.project import Project

# Before Qt Multimedia loads: its notices (and FFmpeg's, which can quote a file's tags, such as a title
# naming the participant) stay out of the output for the rest of the run.
QLoggingCategory.setFilterRules("qt.multimedia*=false")

from PySide6.QtMultimedia import QAudioDecoder, QAudioFormat  # noqa: E402

SAMPLE_RATE = 16_000  # what Whisper hears


def recording_buffer(project: Project, ref: str) -> QBuffer:
    """The recording's bytes in memory, open for reading (its SHA-256 checked as they are read)."""
    recording = project.recordings.find(ref)
    data = QByteArray()
    data.reserve(recording.size)
    for chunk in project.recordings.chunks(recording.uuid):
        data.append(chunk)
    buffer = QBuffer()
    buffer.setData(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    return buffer


class DecodeFailed(JswError):
    """The recording could not be decoded (damaged, or a codec Qt's FFmpeg lacks)."""


def core_application() -> None:
    """Make the :class:`QCoreApplication` decoding needs, if there is none (the command line's case)."""
    if QCoreApplication.instance() is None:
        _made.append(QCoreApplication(["jswcoder"]))


_made: list[QCoreApplication] = []


def decode_pcm(
    source: QBuffer,
    *,
    channels: int = 1,
    sample_rate: int = SAMPLE_RATE,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> bytearray:
    """The audio as signed 16-bit little-endian PCM at ``sample_rate`` (16 kHz, what Whisper hears, unless
    asked otherwise) with ``channels`` interleaved, decoded in memory.

    Runs a local event loop, so it works on any thread with a Qt application present (the command line
    makes a :class:`QCoreApplication`). ``progress(decoded ms, total ms)``; ``cancelled()`` stops it
    (:class:`DecodeFailed`)."""
    if QCoreApplication.instance() is None:
        raise RuntimeError("decoding needs a QCoreApplication")
    wanted = QAudioFormat()
    wanted.setSampleRate(sample_rate)
    wanted.setChannelCount(channels)
    wanted.setSampleFormat(QAudioFormat.SampleFormat.Int16)
    decoder = QAudioDecoder()
    decoder.setAudioFormat(wanted)
    decoder.setSourceDevice(source)
    out = bytearray()
    failure: list[str] = []
    loop = QEventLoop()

    def ready() -> None:
        buffer = decoder.read()
        if buffer.format().sampleRate() != sample_rate or buffer.format().channelCount() != channels:
            failure.append("the decoder did not give the format asked for")
            decoder.stop()
            loop.quit()
            return
        out.extend(buffer.data())
        if progress is not None:
            progress(decoder.position(), max(decoder.duration(), decoder.position()))
        if cancelled is not None and cancelled():
            failure.append("cancelled")
            decoder.stop()
            loop.quit()

    def error(_code: QAudioDecoder.Error) -> None:
        failure.append("not audio this version can decode")  # never Qt's words: they can quote tags
        loop.quit()

    decoder.bufferReady.connect(ready)
    decoder.finished.connect(loop.quit)
    decoder.error.connect(error)
    decoder.start()
    if not failure:
        loop.exec()
    decoder.bufferReady.disconnect(ready)
    decoder.stop()
    if failure:
        raise DecodeFailed(f"the recording could not be decoded ({failure[0]})")
    if not out:
        raise DecodeFailed("the recording holds no audio")
    return out  # not bytes(out): an hour's samples would be copied once more


def check_decodable(project: Project, ref: str) -> int:
    """Decode a recording once, to be sure it plays, and note its length; returns the length in ms."""
    buffer = recording_buffer(project, ref)
    try:
        pcm = decode_pcm(buffer)
    except DecodeFailed as failed:
        raise ImportRejected(ref, str(failed).removeprefix("the recording ")) from None
    finally:
        buffer.close()
    duration = len(pcm) * 1000 // (2 * SAMPLE_RATE)
    project.recordings.set_duration(project.recordings.find(ref).uuid, duration)
    return duration
