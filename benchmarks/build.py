"""Building a scale's projects and files through the app's own API (see :mod:`benchmarks.scale`).

Transcripts go in through the real importer, one file at a time as a user's would; each project's
codings go in through ``Project.codings.add`` inside one transaction (one commit instead of one per
coding: building is not what is measured). Nothing reaches the user's keychain.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import docx
import keyring

from benchmarks import corpus
from benchmarks.common import median, ms_of
from benchmarks.scale import EMERGENT, PASSPHRASE, Corpus, code_paths
from jswcoder.model import INTERVIEW_MODES, PARTICIPANT_GROUPS
from jswcoder.project import Project
from jswcoder.security.keyfile import KdfParams
from jswcoder.security.memory_keychain import MemoryKeychain
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.team import teamfile
from jswcoder.team.exchange import sync_fieldworker
from jswcoder.team.lead_sync import sync_lead

FAST_KDF = KdfParams(memory_kib=1024, iterations=1, lanes=1)


def new_project(folder: Path, name: str, coder: str) -> Project:
    """A new project with the benchmark passphrase and a cheap key derivation, outside any keychain."""
    keyring.set_keyring(MemoryKeychain())
    project, _ = Project.create(
        folder, name=name, coder=coder, passphrase=PASSPHRASE, kdf=FAST_KDF, use_keychain=False
    )
    return project


def open_project(folder: Path) -> Project:
    keyring.set_keyring(MemoryKeychain())
    return Project.open(folder, passphrase=PASSPHRASE, use_keychain=False)


def median_fresh_ms(folder: Path, runs: int, action: Callable[[Project], object]) -> float:
    """The median time of ``action`` on the project, each run on a connection opened afresh (nothing of
    the last run cached), in milliseconds."""
    timings = []
    for _ in range(runs):
        project = open_project(folder)
        try:
            timings.append(ms_of(partial(action, project)))
        finally:
            project.close()
    return median(timings)


def add_codebook(project: Project, themes: int) -> None:
    for path in code_paths(themes):
        number = int(path.split("/")[0].removeprefix("Theme "))
        project.codebook.add(path, origin="emergent" if number > themes - EMERGENT else "preset")


def _fields(index: int, interview: corpus.Interview) -> ParticipantFields:
    return ParticipantFields(
        PARTICIPANT_GROUPS[index % len(PARTICIPANT_GROUPS)],
        index + 1,
        format=interview.format,
        mode=INTERVIEW_MODES[index % len(INTERVIEW_MODES)],
    )


def fill(project: Project, source: Corpus, indices: Sequence[int], inbox: Path) -> None:
    """Import these transcripts, code them, and set up the register (names in, the rest reviewed)."""
    inbox.mkdir(parents=True, exist_ok=True)
    imported = []
    for interview in source.interviews(indices):
        path = inbox / f"{interview.name}.txt"
        path.write_text(interview.text, encoding="utf-8")
        transcript, _ = project.transcripts.import_file(path, _fields(interview.index, interview))
        path.unlink()
        imported.append((interview.index, transcript))
    shutil.rmtree(inbox)
    by_path = {code.path: code.uuid for code in project.codebook.all()}
    codes = [by_path[path] for path in code_paths(source.scale.themes)]
    with project.db.atomic():
        for index, transcript in imported:
            for start, end, code in source.codings(index, transcript.length):
                project.codings.add(transcript.uuid, start, end, codes[code])
    for text in corpus.PEOPLE + corpus.ACCENTED:
        project.register.add(text, "[NAME]", "PERSON")
    for text in corpus.PLACES:
        project.register.add(text, "[PLACE]", "PLACE")
    project.register.dismiss([c.text for c in project.register.suggestions()])


def _analysis(project: Project) -> None:
    """A summary in every top-level cell and a memo on each theme, names among their words."""
    rng = random.Random(f"{corpus.SEED}/analysis")
    tops = [c for c in project.codebook.all() if c.parent_uuid is None]
    cases = sorted({t.participant_uuid or t.uuid for t in project.transcripts.all()})
    with project.db.atomic():
        for case in cases:
            for top in tops:
                words = " ".join(rng.choices(corpus.COMMON, k=40))
                project.summaries.save(case, top.uuid, f"{rng.choice(corpus.PEOPLE)} said {words}.")
        for top in tops:
            project.memos.save(
                "code",
                top.uuid,
                f"- Raised often\n- {rng.choice(corpus.PEOPLE)} disagreed\nSee also the notes.",
            )


def study(source: Corpus, target: Path) -> None:
    target.mkdir(parents=True)
    project = new_project(target / "project", f"{source.scale.name} study", "Researcher")
    try:
        add_codebook(project, source.scale.themes)
        fill(project, source, range(source.scale.transcripts), target / "inbox")
        _analysis(project)
    finally:
        project.close()


def team(source: Corpus, target: Path) -> None:
    """The lead's project and every fieldworker's, each fieldworker's first package in the exchange folder."""
    scale = source.scale
    exchange = target / "exchange"
    exchange.mkdir(parents=True)
    lead = new_project(target / "lead", f"{scale.name} team", "Lead")
    try:
        add_codebook(lead, scale.themes)
        lead.team.create(f"{scale.name} team")
        team_file = lead.team.team_file()
    finally:
        lead.close()
    fingerprint = teamfile.decode(team_file).fingerprint
    members: dict[str, str] = {}  # name -> fingerprint, as each would read it to the lead
    for number in range(scale.fieldworkers):
        worker = new_project(target / f"fieldworker_{number + 1}", "Fieldwork", f"Fieldworker {number + 1}")
        try:
            worker.team.join(team_file, fingerprint=fingerprint)
            fill(worker, source, range(number, scale.transcripts, scale.fieldworkers), target / "inbox")
            sync_fieldworker(worker, exchange)
            members[worker.coder.name] = worker.team.fingerprint()
        finally:
            worker.close()
    lead = open_project(target / "lead")
    try:  # the join requests arrive, and the lead admits each member; their packages wait to be merged
        sync_lead(lead, exchange)
        for name, member_fingerprint in members.items():
            lead.team.admit(name, member_fingerprint)
    finally:
        lead.close()


def docx_file(interview: corpus.Interview, path: Path) -> None:
    """A Word transcript as transcribers make them: a paragraph a turn, the speaker's label in bold."""
    document = docx.Document()
    for line in interview.text.split("\n"):
        label, colon, rest = line.partition(": ")
        paragraph = document.add_paragraph()
        if colon:
            paragraph.add_run(label + ":").bold = True
            paragraph.add_run(" " + rest)
        else:
            paragraph.add_run(line)
    document.save(str(path))


def docx_files(source: Corpus, target: Path) -> None:
    target.mkdir(parents=True)
    for interview in source.interviews(range(source.scale.docx)):
        docx_file(interview, target / f"{interview.name}.docx")
