"""A study-sized project for the analysis benchmarks: 150 participants × 60 themes, 30,000 codings.

:func:`build_study` makes (or reuses) a real encrypted project under a folder: synthetic interviews
of about ``words`` words in speaker turns, each with a participant group, an interview number and a
mode; ``themes`` top-level themes (the last ten emergent), each with two sub-themes; codings spread
over every theme. With ``analysis=True`` it adds what the reports read: a summary in every cell of
the top-level matrix, a "Key points" memo on each top-level theme, and names in the text, summaries
and memos with a register that replaces them (its detector suggestions reviewed), so a fieldworker's
export has real anonymising to do. The key derivation is cheap: building is not what is measured.
No Qt is imported here.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import keyring

from benchmarks.search import FAST_KDF
from benchmarks.ui_start import PASSPHRASE, WORDS
from jswcoder.model import INTERVIEW_MODES, PARTICIPANT_GROUPS
from jswcoder.project import Project
from jswcoder.security.memory_keychain import MemoryKeychain
from jswcoder.services.transcripts import ParticipantFields

EMERGENT = 10  # the last themes are emergent
NAMES = ("Morag Fraser", "Aileen", "Dunmore", "Glenarn", "Kilbrannan", "Eck Mair")
VERSION = 1


def interview(rng: random.Random, words: int, names: bool) -> str:
    """Speaker turns of common words; about one word in 150 a name when ``names``."""
    lines: list[str] = []
    count = 0
    while count < words:
        speaker = "Interviewer" if len(lines) % 2 == 0 else "P1"
        size = rng.randint(8, 70)
        body = [
            rng.choice(NAMES) if names and rng.random() < 1 / 150 else rng.choice(WORDS) for _ in range(size)
        ]
        lines.append(f"{speaker}: " + " ".join(body) + ".")
        count += size
    return "\n".join(lines) + "\n"


def _analysis(project: Project, rng: random.Random) -> None:
    """Summaries in every top-level cell, a memo per top-level theme, and the register."""
    tops = [c for c in project.codebook.all() if c.parent_uuid is None]
    cases = {t.participant_uuid or t.uuid for t in project.transcripts.all()}
    with project.db.atomic():
        for case in sorted(cases):
            for top in tops:
                words = " ".join(rng.choices(WORDS, k=40))
                project.summaries.save(case, top.uuid, f"{rng.choice(NAMES)} said {words}.")
        for top in tops:
            project.memos.save(
                "code", top.uuid, f"- Raised often\n- {rng.choice(NAMES)} disagreed\nSee also the notes."
            )
    for name in NAMES:
        project.register.add(name, "[NAME]", "PERSON")
    project.register.dismiss([c.text for c in project.register.suggestions()])


def build_study(
    folder: Path,
    *,
    participants: int = 150,
    themes: int = 60,
    codings: int = 30_000,
    words: int = 2_000,
    analysis: bool = False,
) -> Path:
    """The project folder under *folder*, built unless an identical one is already there."""
    wanted = {
        "participants": participants,
        "themes": themes,
        "codings": codings,
        "words": words,
        "analysis": analysis,
        "version": VERSION,
    }
    marker, target = folder / "built.json", folder / "project"
    if marker.is_file() and json.loads(marker.read_text(encoding="utf-8")) == wanted:
        return target
    shutil.rmtree(target, ignore_errors=True)
    marker.unlink(missing_ok=True)
    keyring.set_keyring(MemoryKeychain())
    rng = random.Random(23)
    inbox = folder / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    project, _ = Project.create(
        target, name="Study benchmark", coder="C", passphrase=PASSPHRASE, kdf=FAST_KDF, use_keychain=False
    )
    try:
        codes = []
        for number in range(themes):
            origin = "emergent" if number >= themes - EMERGENT else "preset"
            top = project.codebook.add(f"Theme {number + 1}", origin=origin)
            codes += [top.uuid] + [
                project.codebook.add(f"Theme {number + 1}/Aspect {a}", origin=origin).uuid for a in (1, 2)
            ]
        for index in range(participants):
            path = inbox / f"interview_{index + 1:03d}.txt"
            path.write_text(interview(rng, words, analysis), encoding="utf-8")
            fields = ParticipantFields(
                PARTICIPANT_GROUPS[index % len(PARTICIPANT_GROUPS)],
                index + 1,
                mode=INTERVIEW_MODES[index % len(INTERVIEW_MODES)],
            )
            project.transcripts.import_file(path, fields)
        stored = project.transcripts.all()
        with project.db.atomic():  # one commit: building is not what is measured
            for index in range(codings):
                transcript = stored[index % len(stored)]
                start = rng.randrange(0, max(1, transcript.length - 600))
                end = min(transcript.length, start + rng.randint(20, 500))
                project.codings.add(transcript.uuid, start, end, codes[rng.randrange(len(codes))])
        if analysis:
            _analysis(project, rng)
    finally:
        project.close()
    shutil.rmtree(inbox)
    marker.write_text(json.dumps(wanted), encoding="utf-8")
    return target
