"""The demo project: synthetic transcripts from ``resources/demo``, the study's codebook and some codings.

The demo holds only invented interviews, so its passphrase is public and printed by ``jswcoder demo``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from jswcoder import templates
from jswcoder.errors import JswError
from jswcoder.importing import SUPPORTED_SUFFIXES
from jswcoder.paths import data_dir, resources_dir
from jswcoder.project import Project, ProjectPaths
from jswcoder.security.keyfile import DEFAULT_KDF, KdfParams

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
        sources = sorted(p for p in (resources_dir() / "demo").iterdir() if p.suffix in SUPPORTED_SUFFIXES)
        report = project.transcripts.import_files(sources)
        if report.rejected:
            raise JswError(f"a bundled demo transcript did not import: {report.rejected[0]}")
        _apply_codings(project, resources_dir() / "demo" / "codings.json")
        project.memos.add(
            "Demo project: every interview here is invented. Try coding a passage, then look at the codings."
        )
    except BaseException:
        project.close()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return project


def _apply_codings(project: Project, path: Path) -> None:
    for entry in json.loads(path.read_text(encoding="utf-8")):
        text = project.transcripts.text(entry["transcript"])
        start = text.find(entry["quote"])
        if start < 0:
            raise JswError(f"a demo quote is missing from {entry['transcript']}")
        project.codings.add(entry["transcript"], start, start + len(entry["quote"]), entry["code"])
