"""Starting the app with the study unlocked, and its peak memory with the study open.

Run: ``.venv/bin/python -m benchmarks.ui_start --scale {tiny,study,stress} [--json OUT]``. Each start
is a fresh Python (``--child``), so interpreter start and imports count: it unlocks the scale's study
project (:mod:`benchmarks.scale`) with the passphrase from ``JSWCODER_PASSPHRASE``, shows the real main
window and stops once the first transcript has painted. The time is taken by this process from just
before the child starts until the child says it has painted. The cached project uses a cheap key
derivation, so the real one (Argon2id with the default settings) is timed on its own and added.

One more child goes on, as a user would, to open the long group interview and the Framework matrix
window; its peak resident memory (``ru_maxrss``, in MB of 10⁶ bytes) is the memory figure.
"""

# The app's modules are imported inside functions so that the --child process imports them after its
# clock starts (and the parent stays light).
# ruff: noqa: PLC0415
from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import Figure, arguments, emit, median
from benchmarks.scale import PASSPHRASE, Corpus, Scale


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6  # KiB on Linux


def child(project_folder: Path, long_name: str | None) -> None:
    """The app's own start-up path: unlock, build the window, show it, wait for the text to paint."""
    began = time.perf_counter()
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings
    from PySide6.QtWidgets import QWidget

    from jswcoder.project import Project
    from jswcoder.ui.app import Controller, application
    from jswcoder.ui.settings import Settings

    imported = time.perf_counter()
    app = application()
    project = Project.open(project_folder, passphrase=os.environ["JSWCODER_PASSPHRASE"], use_keychain=False)
    unlocked = time.perf_counter()
    settings = Settings(QSettings(os.environ["JSWCODER_SETTINGS"], QSettings.Format.IniFormat))
    controller = Controller(settings)
    window = controller.show_project(project)
    built = time.perf_counter()

    class PaintWatch(QObject):
        painted = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            self.painted = self.painted or event.type() == QEvent.Type.Paint
            return False

    def paint(widget: QWidget) -> bool:
        watch = PaintWatch()
        widget.installEventFilter(watch)
        deadline = time.perf_counter() + 120
        while not watch.painted and time.perf_counter() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        widget.removeEventFilter(watch)
        return watch.painted

    workbench = window.workbench
    if workbench is None or workbench.current is None:
        raise SystemExit("the window opened without a transcript")
    ok = paint(workbench.view.text_edit.viewport())
    painted = time.perf_counter()
    phases = {
        "imports": imported - began,
        "unlock": unlocked - imported,
        "window": built - unlocked,
        "painted": painted - built,
        "ok": ok,
    }
    print(json.dumps(phases), flush=True)
    if long_name is not None:
        started_mb = _peak_mb()
        workbench.open_transcript(project.transcripts.find(long_name).uuid)
        paint(workbench.view.text_edit.viewport())
        window.show_matrix()
        if window.matrix_window is None or not paint(window.matrix_window):
            raise SystemExit("the matrix window did not paint")
        print(json.dumps({"started_mb": started_mb, "peak_mb": _peak_mb()}), flush=True)
    window.close()  # closes the project and releases its lock


def _child(project_folder: Path, long_name: str | None = None) -> tuple[float, list[dict[str, float]]]:
    """Milliseconds from starting the child to its first painted transcript, and what the child said."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["JSWCODER_PASSPHRASE"] = PASSPHRASE
    env["JSWCODER_SETTINGS"] = str(project_folder.parent / "settings.ini")
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    command = [sys.executable, "-m", "benchmarks.ui_start", "--child", str(project_folder)]
    if long_name is not None:
        command += ["--long", long_name]
    began = time.perf_counter()
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=Path(__file__).parent.parent,
    ) as process:
        assert process.stdout is not None
        line = process.stdout.readline()
        elapsed = time.perf_counter() - began
        rest, errors = process.communicate()
    if process.returncode != 0 or not line:
        raise SystemExit(f"the app process failed ({process.returncode}):\n{errors}")
    said = [json.loads(text) for text in [line, *rest.splitlines()] if text.strip()]
    if not said[0].pop("ok"):
        raise SystemExit("the app process never painted its transcript")
    return elapsed * 1000, said


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
    return median(timings)


def run(scale: Scale) -> list[Figure]:
    source = Corpus(scale)
    project_folder = source.study()
    starts, phases = [], []
    for _ in range(scale.runs):
        total, said = _child(project_folder)
        starts.append(total)
        phases.append(said[0])
    _, said = _child(project_folder, source.interview(source.long_index).name)
    memory = said[1]
    start, argon = median(starts), _argon2id_ms()
    size, runs = f"{scale.transcripts} transcripts", f"median of {scale.runs}"

    def phase(name: str) -> float:
        return median([p[name] * 1000 for p in phases])

    return [
        Figure(
            "start",
            f"start to a usable window, project unlocked ({size}), {runs}",
            start + argon,
            "ms",
            "start",
        ),
        Figure(
            "start.cheap", "  of it: start to first transcript painted, cheap key derivation", start, "ms"
        ),
        Figure("start.argon2id", "  of it: Argon2id with the default settings, median of 3", argon, "ms"),
        Figure("start.imports", "  of the start: imports in the app process", phase("imports"), "ms"),
        Figure("start.unlock", "  of the start: unlock (cheap key derivation)", phase("unlock"), "ms"),
        Figure("start.window", "  of the start: main window built", phase("window"), "ms"),
        Figure("start.painted", "  of the start: shown until the text painted", phase("painted"), "ms"),
        Figure(
            "memory",
            f"peak memory: the app with the study open ({size}), the long interview and the matrix shown",
            memory["peak_mb"],
            "MB",
            "memory",
        ),
        Figure(
            "memory.start",
            "  of it: peak memory once the first transcript painted",
            memory["started_mb"],
            "MB",
        ),
    ]


def main() -> None:
    if "--child" in sys.argv:
        parser = argparse.ArgumentParser()
        parser.add_argument("--child", type=Path, required=True)
        parser.add_argument("--long")
        args = parser.parse_args()
        child(args.child, args.long)
        return
    scale, out = arguments(__doc__.splitlines()[0])
    emit(run(scale), out)


if __name__ == "__main__":
    main()
