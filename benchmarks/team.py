"""Speed of the team workflow: export, merge, and a repeated sync with nothing new.

Run: ``.venv/bin/python -m benchmarks.team [--transcripts 25] [--fieldworkers 6] [--json OUT]``.
Targets (issue 4): export 25 transcripts ≤ 2 s; merge 6 packages holding 150 transcripts and 30,000
codings ≤ 5 s; a repeated sync with nothing new < 1 s. Real encrypted projects on disk, real crypto;
projects are built with a cheap key derivation so that building them does not dominate.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
import time
from pathlib import Path

import keyring

from jswcoder.project import Project
from jswcoder.security.keyfile import KdfParams
from jswcoder.security.memory_keychain import MemoryKeychain
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.team.exchange import export_package, sync_fieldworker
from jswcoder.team.lead_sync import sync_lead

FAST = KdfParams(1024, 1, 1)
WORDS = "we the client worker court order support team office rural funding partner police health".split()
NAMES = ["Morag", "Fraser", "Aileen", "Dunmore", "Glenarn", "Kilbrannan"]


def _transcript(rng: random.Random, words: int) -> str:
    lines, count = [], 0
    while count < words:
        speaker = "Interviewer" if len(lines) % 2 == 0 else "P1"
        n = rng.randint(8, 60)
        body = " ".join(rng.choice(WORDS) if rng.random() > 0.01 else rng.choice(NAMES) for _ in range(n))
        lines.append(f"{speaker}: {body}.")
        count += n + 1
    return "\n".join(lines) + "\n"


def _fieldworker(
    folder: Path, name: str, team_file: bytes, first: int, transcripts: int, codings: int, words: int
) -> Project:
    rng = random.Random(first)
    project, _ = Project.create(
        folder / name, name=name, coder=name, passphrase="benchmark passphrase", kdf=FAST
    )
    project.team.join(team_file)
    inbox = folder / f"in_{name}"
    inbox.mkdir()
    for i in range(transcripts):
        path = inbox / f"int_{first + i}.txt"
        path.write_text(_transcript(rng, words), encoding="utf-8")
        project.transcripts.import_file(path, ParticipantFields("Justice social workers", first + i))
    for entry in NAMES:
        project.register.add(entry, "[NAME]", "PERSON")
    project.register.dismiss([c.text for c in project.register.suggestions()])
    codes = [project.codebook.add(f"Theme {t // 10}/Sub-theme {t}").uuid for t in range(60)]
    uuids = [t.uuid for t in project.transcripts.all()]
    lengths = {t.uuid: t.length for t in project.transcripts.all()}
    with project.db.atomic():
        for _ in range(codings):
            uuid = rng.choice(uuids)
            start = rng.randrange(0, lengths[uuid] - 1000)
            project.codings.add(uuid, start, start + rng.randint(20, 900), rng.choice(codes))
    return project


def _seconds(action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - start


def run(transcripts: int, fieldworkers: int, codings: int, words: int) -> list[dict[str, object]]:
    keyring.set_keyring(MemoryKeychain())
    home = Path(tempfile.mkdtemp(prefix="jswcoder-team-bench-", dir=Path.home()))
    rows: list[dict[str, object]] = []
    try:
        lead, _ = Project.create(
            home / "lead", name="Lead", coder="Lead", passphrase="benchmark passphrase", kdf=FAST
        )
        lead.team.create("Benchmark team")
        team_file = lead.team.team_file()
        stick = home / "stick"
        stick.mkdir()
        built = time.perf_counter()
        workers = [
            _fieldworker(home, f"FW{i}", team_file, 1 + i * transcripts, transcripts, codings, words)
            for i in range(fieldworkers)
        ]
        rows.append(
            {"operation": "building the projects (once)", "value": time.perf_counter() - built, "unit": "s"}
        )
        seconds = _seconds(lambda: export_package(workers[0], home / "one.jswpkg"))
        rows.append(
            {
                "operation": f"export {transcripts} transcripts as a package",
                "value": seconds,
                "unit": "s",
                "target": 2.0,
            }
        )
        for worker in workers:
            sync_fieldworker(worker, stick)
        seconds = _seconds(lambda: sync_fieldworker(workers[0], stick))
        rows.append(
            {
                "operation": "fieldworker: repeated sync, nothing new",
                "value": seconds,
                "unit": "s",
                "target": 1.0,
            }
        )
        total_t, total_c = transcripts * fieldworkers, codings * fieldworkers
        seconds = _seconds(lambda: sync_lead(lead, stick))
        rows.append(
            {
                "operation": f"lead: merge {fieldworkers} packages ({total_t} transcripts, {total_c:,} codings)",
                "value": seconds,
                "unit": "s",
                "target": 5.0,
            }
        )
        seconds = _seconds(lambda: sync_lead(lead, stick))
        rows.append(
            {"operation": "lead: repeated sync, nothing new", "value": seconds, "unit": "s", "target": 1.0}
        )
        counts = lead.counts()
        rows.append(
            {
                "operation": "lead project after merging: transcripts",
                "value": counts["transcripts"],
                "unit": "",
            }
        )
        rows.append(
            {"operation": "lead project after merging: codings", "value": counts["codings"], "unit": ""}
        )
        for project in [*workers, lead]:
            project.close()
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcripts", type=int, default=25, help="per fieldworker")
    parser.add_argument("--fieldworkers", type=int, default=6)
    parser.add_argument("--codings", type=int, default=5000, help="per fieldworker")
    parser.add_argument("--words", type=int, default=12000, help="per transcript")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    rows = run(args.transcripts, args.fieldworkers, args.codings, args.words)
    for row in rows:
        target = f"  (target {row['target']} s)" if "target" in row else ""
        value = row["value"]
        shown = f"{value:8.2f}" if isinstance(value, float) else f"{value:8}"
        print(f"{row['operation']:<62} {shown} {row['unit']}{target}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
