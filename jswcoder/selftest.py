"""``jswcoder --self-test``: prove an installation works, end to end, on this machine.

For IT teams after a deployment (and for CI on the packaged bundle). In a temporary folder it creates
an encrypted project from the bundled demo interviews (a ``.txt`` and ``.docx`` import, codings and
an anonymisation register), imports a small SPSS survey export into it, codes one more passage, sends an
anonymised package to a second, lead, project and merges it there, closes both and reopens them (one
with its passphrase, one with its recovery key), scans every file written for text from the interviews,
and finally, with the desktop libraries, imports a short recording and decodes it in memory with Qt
Multimedia (the FFmpeg that playback and transcription use), then opens and closes the desktop window
(offscreen where there is no display). The verdict is one line; the exit status is
0 only if every check passed. The user's keychain and settings are never touched: keys are held in
memory and the folder is removed afterwards.
"""

from __future__ import annotations

import array
import itertools
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import keyring

from jswcoder import __version__, crash, demo
from jswcoder.errors import JswError
from jswcoder.importing.survey_files import read_survey_file
from jswcoder.importing.survey_mapping import guess_mapping
from jswcoder.logs import log_dir
from jswcoder.project import Project
from jswcoder.resources import DEMO, resource
from jswcoder.security.memory_keychain import MemoryKeychain
from jswcoder.team.exchange import sync_fieldworker
from jswcoder.team.lead_sync import sync_lead

SCAN_ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")
_PASSAGES_PER_TRANSCRIPT = 3
_PASSAGE_LENGTH = 40

ShowWindow = Callable[[Project, Path], None]
# A recording of the project as 16 kHz mono signed 16-bit PCM, decoded in memory (jswcoder.ui.audio_source).
DecodeAudio = Callable[[Project, str], bytes]


class CheckFailed(JswError):
    """A self-test check found the installation wrong; the message says what, never what text."""


class CheckSkipped(JswError):
    """A check that cannot be run honestly here (the message says why); the verdict names it."""


@dataclass
class Outcome:
    passed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: tuple[str, str] | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.failed is None

    def verdict(self) -> str:
        head = f"jswcoder {__version__} self-test"
        skipped = "".join(f"; skipped {name!r}: {reason}" for name, reason in self.skipped)
        if self.failed is None:
            return f"{head}: passed ({len(self.passed)} checks in {self.seconds:.1f} s{skipped})"
        check, reason = self.failed
        return f"{head}: FAILED at {check!r}: {reason} ({len(self.passed)} checks passed before it)"


def _require(condition: bool, reason: str) -> None:
    if not condition:
        raise CheckFailed(reason)


def canaries(project: Project) -> list[str]:
    """Strings that must never be readable on disk: register entries and passages of every interview."""
    found = {entry.text for entry in project.register.entries()}
    for transcript in project.transcripts.all():
        lines = sorted(project.transcripts.text(transcript.uuid).splitlines(), key=len, reverse=True)
        found.update(line[:_PASSAGE_LENGTH] for line in lines[:_PASSAGES_PER_TRANSCRIPT])
    return sorted(found)


def files_under(*folders: Path) -> Iterator[Path]:
    for folder in folders:
        if folder.is_dir():
            yield from (path for path in sorted(folder.rglob("*")) if path.is_file())


def plaintext_hits(strings: list[str], *folders: Path) -> list[Path]:
    """Files under ``folders`` holding any of ``strings`` in UTF-8 or UTF-16 (either byte order)."""
    needles = [text.encode(encoding) for text in strings for encoding in SCAN_ENCODINGS]
    return [path for path in files_under(*folders) if any(n in path.read_bytes() for n in needles)]


SURVEY = "self_test_survey.sav"  # five invented responses, a labelled closed answer and an open one
# One second of Ogg Vorbis (made with SoX): 440 Hz for half a second, then 660 Hz.
TONES = "self_test_tones.ogg"
TONES_HZ = (440, 660)
SAMPLE_RATE = 16_000


def pitch(samples: array.array[int]) -> float:
    """The frequency of a pure tone, from its zero crossings (enough to tell a decoded tone from noise)."""
    crossings = sum(1 for a, b in itertools.pairwise(samples) if (a < 0) != (b < 0))
    return crossings * SAMPLE_RATE / (2 * len(samples))


def check_tones(pcm: bytes) -> None:
    """The decoded clip is one second long and holds its two tones, each within 3 %."""
    samples = array.array("h", pcm)
    if sys.byteorder == "big":
        samples.byteswap()
    _require(
        abs(len(samples) - SAMPLE_RATE) <= SAMPLE_RATE // 20, "the recording decoded to the wrong length"
    )
    tenth = SAMPLE_RATE // 10
    for hz, start in zip(TONES_HZ, (tenth, 6 * tenth), strict=True):  # away from the join and the ends
        heard = pitch(samples[start : start + 3 * tenth])
        _require(abs(heard - hz) <= 0.03 * hz, "the recording decoded to the wrong sound")


class SelfTest:
    def __init__(
        self, folder: Path, show_window: ShowWindow | None, decode_audio: DecodeAudio | None = None
    ) -> None:
        self.folder = folder
        self.show_window = show_window
        self.decode_audio = decode_audio
        self.passphrase = secrets.token_urlsafe(18)
        self.recovery_key = ""
        self.expected: dict[str, dict[str, int]] = {}
        self.secrets: list[str] = []

    def checks(self) -> list[tuple[str, Callable[[], None]]]:
        steps = [
            ("create an encrypted project and import", self.create),
            ("import a survey export (SPSS)", self.survey),
            ("code a passage", self.code),
            ("export and merge an anonymised package", self.exchange),
            ("reopen both projects", self.reopen),
            ("no readable text on disk", self.scan),
        ]
        if self.decode_audio is not None:
            steps.append(("decode a recording in memory (Qt Multimedia)", self.audio))
        if self.show_window is not None:
            steps.append(("open and close the main window", self.window))
        return steps

    # -- the checks ---------------------------------------------------------------------------------

    def create(self) -> None:
        # The demo builder is the one way to make a project from the bundled interviews.
        self.worker = demo.create(self.folder / "fieldworker")
        counts = self.worker.counts()
        _require(counts["transcripts"] >= 2, "the bundled interviews did not import")
        self.lead, self.recovery_key = Project.create(
            self.folder / "lead", name="Self-test lead", coder="Lead", passphrase=self.passphrase
        )

    def survey(self) -> None:
        # A bundled .sav, read by our own SPSS reader, imported and then synced with the rest.
        path = resource(DEMO, SURVEY)
        table = read_survey_file(path)
        kinds = {guess.key: guess.kind for guess in guess_mapping(table)}
        _require(
            kinds == {"id": "id", "role": "attribute", "helped": "open"}, "the survey's columns were misread"
        )
        report = self.worker.surveys.import_table(path, table, kinds, name="Self-test survey")
        _require(report.added == 5 and report.without_answers == 1, "the survey's responses did not import")
        roles = {c.participant.attributes.get("What is your role?") for c in self.worker.cases.all()}
        _require("Team leader" in roles, "the survey's value labels were lost")

    def code(self) -> None:
        transcript = self.worker.transcripts.all()[0]
        theme = self.worker.codebook.add("Self-test theme")
        before = self.worker.counts()["codings"]
        self.worker.codings.add(transcript.uuid, 0, min(transcript.length, 60), theme.uuid)
        _require(self.worker.counts()["codings"] == before + 1, "a coding was not stored")
        self.secrets = canaries(self.worker)

    def exchange(self) -> None:
        stick = self.folder / "exchange"
        stick.mkdir()
        self.lead.team.create("Self-test team")
        self.worker.team.join(self.lead.team.team_file(), fingerprint=self.lead.team.fingerprint())
        _require(sync_fieldworker(self.worker, stick).package is not None, "no package was written")
        _require(not sync_lead(self.lead, stick).merged, "a member's package was merged before admission")
        self.lead.team.admit(self.worker.coder.name, self.worker.team.fingerprint())
        report = sync_lead(self.lead, stick)
        _require(not report.refused, "the lead refused the package")
        _require(len(report.merged) == 1, "the lead merged no package")
        sent = self.worker.counts()["transcripts"]
        _require(self.lead.counts()["transcripts"] == sent, "transcripts were lost in the merge")
        originals = [entry.text for entry in self.worker.register.entries()]
        _require(bool(originals), "the demo register is empty")
        for transcript in self.lead.transcripts.all():
            text = self.lead.transcripts.text(transcript.uuid)
            _require(not any(o in text for o in originals), "an identifying detail reached the lead")

    def reopen(self) -> None:
        self.expected = {"fieldworker": self.worker.counts(), "lead": self.lead.counts()}
        self.worker.close()
        self.lead.close()
        self.worker = Project.open(
            self.folder / "fieldworker", passphrase=demo.PASSPHRASE, use_keychain=False
        )
        self.lead = Project.open(self.folder / "lead", recovery_key=self.recovery_key, use_keychain=False)
        _require(self.worker.counts() == self.expected["fieldworker"], "the fieldworker project changed")
        _require(self.lead.counts() == self.expected["lead"], "the lead project changed")
        self.lead.close()

    def scan(self) -> None:
        _require(len(self.secrets) >= 6, "too little text to scan for")
        hits = plaintext_hits(self.secrets, self.folder, log_dir())
        _require(not hits, f"readable text was found in {len(hits)} file(s)")

    def audio(self) -> None:
        assert self.decode_audio is not None
        recording = self.worker.recordings.import_file(resource(DEMO, TONES), name="Self-test tones")
        check_tones(self.decode_audio(self.worker, recording.uuid))

    def window(self) -> None:
        assert self.show_window is not None
        self.show_window(self.worker, self.folder)  # closes the project with the window

    def close(self) -> None:
        for project in (getattr(self, "worker", None), getattr(self, "lead", None)):
            if project is not None:
                project.close()


def run(show_window: ShowWindow | None, decode_audio: DecodeAudio | None = None) -> Outcome:
    """Every check in order, stopping at the first failure; the temporary folder is always removed."""
    started = time.perf_counter()
    outcome = Outcome()
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeychain())
    folder = Path(tempfile.mkdtemp(prefix="jswcoder-self-test-"))
    test = SelfTest(folder, show_window, decode_audio)
    try:
        for name, check in test.checks():
            try:
                check()
            except CheckSkipped as reason:
                outcome.skipped.append((name, str(reason)))
                continue
            except JswError as error:
                outcome.failed = (name, str(error))
                break
            except Exception as error:  # noqa: BLE001 - a bug: reported by type, a message could hold text
                report = crash.write_report(error)
                outcome.failed = (name, f"unexpected {type(error).__name__}; crash report: {report}")
                break
            outcome.passed.append(name)
    finally:
        test.close()
        shutil.rmtree(folder, ignore_errors=True)
        keyring.set_keyring(previous)
    outcome.seconds = time.perf_counter() - started
    return outcome
