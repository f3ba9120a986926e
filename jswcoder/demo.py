"""The demo project: synthetic transcripts from the bundled ``demo`` resources, the study's codebook and some codings.

One interview is double coded by a second coder (for the agreement report), two themes have "Key
points" memos, one case has matrix summaries, and the anonymisation register holds the demo's names
and places, so every analysis view and every export has something to show. With four interviews,
each format, mode and area fits fewer than k (3) of them: the indirect-identification check would
hold back every export that shows them (the .qdpx's case variables) until decided, so the demo decides
as a careful user would, accepting each suggested generalisation (Edit › Indirect identification…
lists them, decided).

The demo holds only invented interviews, so its passphrase is public and printed by ``jswcoder demo``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from jswcoder import templates
from jswcoder.analysis.matrix import build_matrix
from jswcoder.errors import JswError
from jswcoder.importing import SUPPORTED_SUFFIXES
from jswcoder.model import OPTIONAL_ATTRIBUTES
from jswcoder.paths import data_dir
from jswcoder.project import Project, ProjectPaths
from jswcoder.resources import DEMO, resource
from jswcoder.security.keyfile import DEFAULT_KDF, KdfParams
from jswcoder.services.codings import Codings
from jswcoder.services.egress import Egress
from jswcoder.services.indirect import ROUNDS, IndirectCheck, coded_quotes
from jswcoder.store import people

PASSPHRASE = "demo passphrase"
CODER = "Demo coder"
TEMPLATE = "jsw-study"


def default_folder() -> Path:
    return data_dir() / "Demo study"


def open_or_create(
    folder: Path | None = None, *, fresh: bool = False, kdf: KdfParams = DEFAULT_KDF
) -> Project:
    folder = folder or default_folder()
    if ProjectPaths.of(folder).database.is_file():
        if not fresh:
            return Project.open(folder, passphrase=PASSPHRASE)
        shutil.rmtree(folder)
    return create(folder, kdf=kdf)


def create(folder: Path, *, kdf: KdfParams = DEFAULT_KDF) -> Project:
    project, _recovery = Project.create(
        folder, name="Demo study", coder=CODER, passphrase=PASSPHRASE, kdf=kdf
    )
    try:
        templates.apply(templates.by_key(TEMPLATE), project.codebook)
        sources = sorted(p for p in resource(DEMO).iterdir() if p.suffix in SUPPORTED_SUFFIXES)
        report = project.transcripts.import_files(sources)
        if report.rejected:
            raise JswError(f"a bundled demo transcript did not import: {report.rejected[0]}")
        _apply_codings(project, resource(DEMO, "codings.json"))
        _apply_second_coder(project, resource(DEMO, "second_coder.json"))
        _apply_analysis(project, resource(DEMO, "analysis.json"))
        project.memos.add(
            "Demo project: every interview here is invented. Try coding a passage, then look at the codings."
        )
        _decide_indirect(project)
    except BaseException:
        project.close()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return project


def _apply_codings(project: Project, path: Path) -> None:
    for entry in json.loads(path.read_text(encoding="utf-8")):
        project.codings.add(
            entry["transcript"], *_quote_range(project, entry["transcript"], entry["quote"]), entry["code"]
        )


def _quote_range(project: Project, transcript: str, quote: str) -> tuple[int, int]:
    start = project.transcripts.text(transcript).find(quote)
    if start < 0:
        raise JswError(f"a demo quote is missing from {transcript}")
    return start, start + len(quote)


def _apply_second_coder(project: Project, path: Path) -> None:
    plan = json.loads(path.read_text(encoding="utf-8"))
    with project.db.atomic():
        coder = people.ensure_coder(project.db, plan["coder"])
    second = Codings(project.db, coder, project.transcripts, project.codebook)
    for entry in plan["codings"]:
        second.add(
            plan["transcript"], *_quote_range(project, plan["transcript"], entry["quote"]), entry["code"]
        )


def _apply_analysis(project: Project, path: Path) -> None:
    plan = json.loads(path.read_text(encoding="utf-8"))
    for text, replacement, category in plan["register"]:
        project.register.add(text, replacement, category)
    project.register.dismiss(plan["reviewed_not_identifying"])
    for theme, text in plan["key_points"].items():
        project.memos.save("code", project.codebook.find(theme).uuid, text)
    matrix = build_matrix(project)
    rows = {case.label: row for row, case in enumerate(matrix.cases)}
    columns = {theme.code.path: column for column, theme in enumerate(matrix.themes)}
    for entry in plan["summaries"]:
        matrix.save_summary(rows[entry["case"]], columns[entry["theme"]], entry["text"])


def _decide_indirect(project: Project) -> None:
    """Each finding of the indirect-identification check accepted, its generalisation suggested; a
    generalisation can leave a new rarity behind, decided the same way."""
    check = IndirectCheck(project.db, project.coder.uuid)
    quotes = coded_quotes(project.transcripts, project.codings, Egress(project.register))
    for _round in range(ROUNDS + 1):
        findings = check.findings(OPTIONAL_ATTRIBUTES, quotes, project.register.entries())
        undecided = check.undecided(findings)
        if not undecided:
            return
        for finding in undecided:
            check.accept(findings, finding.id)
