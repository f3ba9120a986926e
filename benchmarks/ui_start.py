"""Speed of starting the app: process start to a usable window with a 150-transcript project unlocked.

Run: ``.venv/bin/python -m benchmarks.ui_start [--folder DIR] [--runs N] [--json OUT]``. The project
(150 synthetic transcripts of about 12,000 words in speaker turns, the study codebook, 3,000 codings)
is built once, with a cheap key derivation, and kept in ``--folder`` for later runs. Each run starts a
fresh Python (``--child``), so interpreter start and imports count: it unlocks with the passphrase from
``JSWCODER_PASSPHRASE``, shows the main window and stops once the first transcript has painted. The
time is taken by this process from just before the child starts until it says it has painted. The
real key derivation (Argon2id with the default settings) is timed separately and added as its own row.
Target: 2 s.
"""

# The app's modules are imported inside functions so that the --child process imports them after its
# clock starts (and the parent stays light).
# ruff: noqa: PLC0415
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PASSPHRASE = "benchmark passphrase"
TARGET_MS = 2000.0
WORDS = (
    "we the client worker court order support team office rural funding partner police health and to "
    "of a in that it was they she he for on with is not but don’t it’s sheriff caseworker meeting"
).split()


def disk_folder(prefix: str) -> Path:
    """A fresh folder on the home disk, so commits really reach a disk (``/tmp`` may be tmpfs)."""
    parent = Path.home() / ".cache" / "jswcoder-benchmarks"
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=parent))


def _transcript(rng: random.Random, words: int) -> str:
    lines: list[str] = []
    count = 0
    while count < words:
        speaker = "Interviewer" if len(lines) % 2 == 0 else "P1"
        size = rng.randint(8, 70)
        lines.append(f"{speaker}: " + " ".join(rng.choices(WORDS, k=size)) + ".")
        count += size
    return "\n".join(lines) + "\n"


def build(folder: Path, transcripts: int, words: int, codings: int) -> Path:
    """The project under *folder*, built unless an identical one is already there."""
    import keyring

    from benchmarks.search import FAST_KDF
    from jswcoder import templates
    from jswcoder.project import Project
    from jswcoder.security.memory_keychain import MemoryKeychain

    wanted = {"transcripts": transcripts, "words": words, "codings": codings, "version": 1}
    marker, target = folder / "built.json", folder / "project"
    if marker.is_file() and json.loads(marker.read_text(encoding="utf-8")) == wanted:
        return target
    shutil.rmtree(target, ignore_errors=True)
    marker.unlink(missing_ok=True)
    keyring.set_keyring(MemoryKeychain())
    rng = random.Random(17)
    inbox = folder / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(transcripts):
        path = inbox / f"interview_{index:03d}.txt"
        path.write_text(_transcript(rng, words), encoding="utf-8")
        paths.append(path)
    project, _ = Project.create(
        target, name="Start benchmark", coder="C", passphrase=PASSPHRASE, kdf=FAST_KDF, use_keychain=False
    )
    try:
        templates.apply(templates.by_key("jsw-study"), project.codebook)
        report = project.transcripts.import_files(paths)
        if report.rejected:
            raise SystemExit(f"{len(report.rejected)} synthetic transcripts were refused")
        codes = [code.uuid for code in project.codebook.all()]
        stored = project.transcripts.all()
        with project.db.atomic():  # one commit: building is not what is measured
            for index in range(codings):
                transcript = stored[index % len(stored)]
                start = rng.randrange(0, max(1, transcript.length - 600))
                end = min(transcript.length, start + rng.randint(20, 500))
                project.codings.add(transcript.uuid, start, end, codes[index % len(codes)])
    finally:
        project.close()
    shutil.rmtree(inbox)
    marker.write_text(json.dumps(wanted), encoding="utf-8")
    return target


def child(project_folder: Path) -> None:
    """The app's own start-up path: unlock, build the window, show it, wait for the text to paint."""
    began = time.perf_counter()
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings

    from jswcoder.project import Project
    from jswcoder.ui.app import Controller, application
    from jswcoder.ui.settings import Settings

    imported = time.perf_counter()
    app = application()
    project = Project.open(project_folder, passphrase=os.environ["JSWCODER_PASSPHRASE"], use_keychain=False)
    unlocked = time.perf_counter()
    settings = Settings(QSettings(str(project_folder.parent / "settings.ini"), QSettings.Format.IniFormat))
    controller = Controller(settings)
    window = controller.show_project(project)
    built = time.perf_counter()

    class PaintWatch(QObject):
        painted = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            self.painted = self.painted or event.type() == QEvent.Type.Paint
            return False

    watch = PaintWatch()
    if window.workbench is None or window.workbench.current is None:
        raise SystemExit("the window opened without a transcript")
    window.workbench.view.text_edit.viewport().installEventFilter(watch)
    deadline = time.perf_counter() + 60
    while not watch.painted and time.perf_counter() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    painted = time.perf_counter()
    phases = {
        "imports": imported - began,
        "unlock": unlocked - imported,
        "window": built - unlocked,
        "painted": painted - built,
        "ok": watch.painted,
    }
    print(json.dumps(phases), flush=True)
    window.close()  # closes the project and releases its lock


def _start_once(project_folder: Path) -> tuple[float, dict[str, float]]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["JSWCODER_PASSPHRASE"] = PASSPHRASE
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    command = [sys.executable, "-m", "benchmarks.ui_start", "--child", str(project_folder)]
    began = time.perf_counter()
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=Path(__file__).parent.parent,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        line = process.stdout.readline()
        elapsed = time.perf_counter() - began
        _rest, errors = process.communicate()
    if process.returncode != 0 or not line:
        raise SystemExit(f"the app process failed ({process.returncode}):\n{errors}")
    phases = json.loads(line)
    if not phases.pop("ok"):
        raise SystemExit("the app process never painted its transcript")
    return elapsed * 1000, {name: seconds * 1000 for name, seconds in phases.items()}


def _argon2id_ms() -> float:
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    from jswcoder.security.keyfile import DEFAULT_KDF

    timings = []
    for _ in range(3):
        kdf = Argon2id(
            salt=secrets.token_bytes(16),
            length=32,
            iterations=DEFAULT_KDF.iterations,
            lanes=DEFAULT_KDF.lanes,
            memory_cost=DEFAULT_KDF.memory_kib,
        )
        began = time.perf_counter()
        kdf.derive(PASSPHRASE.encode())
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


def run(
    folder: Path | None, transcripts: int, words: int, codings: int, runs: int
) -> list[tuple[str, float, str, float | None]]:
    """Rows of (operation, value, unit, target)."""
    owned = folder is None
    base = disk_folder("ui-start-") if folder is None else folder
    try:
        base.mkdir(parents=True, exist_ok=True)
        began = time.perf_counter()
        project_folder = build(base, transcripts, words, codings)
        built_s = time.perf_counter() - began
        starts, phases = [], []
        for _ in range(runs):
            total, parts = _start_once(project_folder)
            starts.append(total)
            phases.append(parts)
    finally:
        if owned:
            shutil.rmtree(base, ignore_errors=True)
    start = statistics.median(starts)
    argon = _argon2id_ms()
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    size = f"{transcripts} transcripts"

    def phase(name: str) -> float:
        return statistics.median(p[name] for p in phases)

    return [
        (f"start to first transcript painted ({size}), median of {runs}", start, "ms", TARGET_MS),
        ("  of it: imports in the app process", phase("imports"), "ms", None),
        ("  of it: unlock (cheap key derivation)", phase("unlock"), "ms", None),
        ("  of it: main window built", phase("window"), "ms", None),
        ("  of it: shown until the text painted", phase("painted"), "ms", None),
        ("Argon2id with the default settings, median of 3", argon, "ms", None),
        ("start with the default key derivation (the two above)", start + argon, "ms", TARGET_MS),
        ("peak memory (RSS) of the app process", peak_mib, "MiB", None),
        ("building the project (once; cached with --folder)", built_s, "s", None),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, help="keep the built project here and reuse it")
    parser.add_argument("--transcripts", type=int, default=150)
    parser.add_argument("--words", type=int, default=12_000)
    parser.add_argument("--codings", type=int, default=3_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the figures as JSON")
    parser.add_argument("--child", type=Path, metavar="PROJECT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    rows = run(args.folder, args.transcripts, args.words, args.codings, args.runs)
    width = max(len(name) for name, _, _, _ in rows)
    for name, value, unit, target in rows:
        goal = f"  (target {target:.0f} {unit})" if target is not None else ""
        print(f"{name:<{width}}  {value:9.1f} {unit}{goal}")
    if args.json:
        args.json.write_text(
            json.dumps(
                [{"operation": n, "value": v, "unit": u, "target": t} for n, v, u, t in rows], indent=2
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
