"""An archive deposit (UK Data Service, a university repository): one folder, written whole or not at all.

The folder holds the anonymised transcripts (.docx and .txt), the project as .qdpx and its codebook as
.qdc, a data list of the participants' permitted details (.xlsx), a README, and the anonymisation log,
encrypted under a passphrase of its own (:mod:`jswcoder.reports.deposit.anonymisation_log`).

Everything but the log leaves through the one way out, :mod:`jswcoder.services.egress`: the deposit's own
files (transcripts, data list, README) share one :class:`~jswcoder.reports.privacy.ExportText`, whose
``check`` (``Egress.check``) searches all their strings at once before any file is written; the .qdpx
and .qdc are made by their own exports (:mod:`jswcoder.refiqda`), which apply and check the register
the same way and validate against the standard's schemas. A check added to the way out applies to all.

The folder is built beside the target under a hidden temporary name and renamed into place at the end;
any failure on the way removes it, so there is never half a deposit. An existing folder that is not
empty is refused before anything is done.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import secrets
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jswcoder import __version__
from jswcoder.atomic_file import write_atomically
from jswcoder.errors import InvalidInput, JswError
from jswcoder.model import OPTIONAL_ATTRIBUTES
from jswcoder.project import Project
from jswcoder.refiqda.export_codebook import write_codebook
from jswcoder.refiqda.export_project import write_project
from jswcoder.reports.base import Rendered
from jswcoder.reports.deposit import anonymisation_log, files
from jswcoder.reports.deposit.anonymisation_log import AnonymisationLog
from jswcoder.reports.deposit.readme import ReadmeFacts, readme
from jswcoder.reports.privacy import ExportText
from jswcoder.security.keyfile import DEFAULT_KDF, KdfParams
from jswcoder.services.indirect import IndirectCheck

__all__ = ["LOG_NAME", "Deposited", "check_log_passphrase", "check_target", "write_deposit"]

LOG_NAME = f"anonymisation_log{anonymisation_log.SUFFIX}"
TRANSCRIPTS = "transcripts"


@dataclass(frozen=True)
class Deposited:
    """Where the deposit went, whether it was anonymised here, and what it holds."""

    path: Path
    anonymised: bool
    files: tuple[str, ...]  # relative to ``path``, sorted
    transcripts: int
    replacements: int


def check_log_passphrase(project: Project, passphrase: str) -> None:
    """Refuse a log passphrase that is weak or that opens ``project`` (:class:`InvalidInput`)."""
    anonymisation_log.check_passphrase(passphrase, project.paths.keys, (project.name, project.coder.name))


def check_target(out: Path | str) -> Path:
    """The folder to make: absent, or an empty folder; never one that holds anything."""
    target = Path(out).expanduser().absolute()
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise InvalidInput(f"{target} is not a folder; give a new folder for the deposit")
    if target.is_dir() and any(target.iterdir()):
        raise InvalidInput(f"{target} is not empty; give a new or empty folder for the deposit")
    if not target.parent.is_dir():
        raise InvalidInput(f"the folder {target.parent} is not there")
    return target


def write_deposit(
    project: Project,
    out: Path | str,
    log_passphrase: str,
    *,
    attributes: Sequence[str] = (),
    kdf: KdfParams = DEFAULT_KDF,
    today: datetime.date | None = None,
) -> Deposited:
    """Write the deposit of ``project`` into the new folder ``out``; the log sealed with ``log_passphrase``.

    ``attributes`` (of :data:`~jswcoder.model.OPTIONAL_ATTRIBUTES`) add those details to the data list.
    Refused (:class:`InvalidInput`, :class:`~jswcoder.services.egress.LeaksInFile`) before anything is
    written; a failure later leaves nothing behind.
    """
    unknown = [a for a in attributes if a not in OPTIONAL_ATTRIBUTES]
    if unknown:
        raise InvalidInput(f"attributes that can be included: {', '.join(OPTIONAL_ATTRIBUTES)}")
    target = check_target(out)
    check_log_passphrase(project, log_passphrase)
    date = (today or datetime.date.today()).isoformat()
    text = ExportText(project)
    deposited = files.transcripts(text)
    own: dict[str, Rendered] = {}
    for transcript in deposited:
        own[f"{TRANSCRIPTS}/{transcript.stem}.txt"] = files.as_txt(transcript)
        own[f"{TRANSCRIPTS}/{transcript.stem}.docx"] = files.as_docx(transcript)
    # The data list's optional details go out as the indirect-identification check lets them
    # (generalised as decided; IndirectFound while a finding is undecided), as in a team package.
    released = IndirectCheck(project.db, project.coder.uuid).released(attributes) if attributes else {}
    own["data_list.xlsx"] = files.data_list(text, deposited, attributes, released)
    entries = files.log_entries(text, deposited) if text.anonymises else []
    has_codebook = bool(project.codebook.all())
    facts = ReadmeFacts(
        date,
        text.anonymises,
        [t.stem for t in deposited],
        has_codebook,
        [files.ATTRIBUTE_HEADINGS[a].lower() for a in OPTIONAL_ATTRIBUTES if a in attributes],
        LOG_NAME,
        sum(e.count for e in entries),
    )
    notes = readme(facts)
    own["README.txt"] = Rendered(notes.encode("utf-8"), (notes,))
    text.check([*own, *(s for rendered in own.values() for s in rendered.texts)])
    note = (
        "Replacements made in the transcripts of a fieldworker's project."
        if text.anonymises
        else "A team (lead) project: its transcripts arrived anonymised, so nothing was replaced here."
    )
    log = AnonymisationLog(date, f"jswcoder {__version__}", note, tuple(entries))
    sealed = anonymisation_log.seal(log, log_passphrase, kdf)
    _build(target, project, own, sealed, has_codebook)
    written = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
    project.audit.record(
        "deposit",
        folder=target.name,
        files=len(written),
        transcripts=len(deposited),
        replacements_logged=log.total(),
        anonymised=text.anonymises,
    )
    return Deposited(target, text.anonymises, tuple(written), len(deposited), log.total())


def _build(target: Path, project: Project, own: dict[str, Rendered], sealed: bytes, codebook: bool) -> None:
    """Write everything into a temporary folder beside ``target``, then rename it into place."""
    building = target.parent / f".{target.name}.{secrets.token_hex(6)}.part"
    try:
        building.mkdir()
        (building / TRANSCRIPTS).mkdir()
        for name, rendered in own.items():
            write_atomically(building / name, rendered.data)
        write_project(project, building / "project.qdpx")
        if codebook:
            write_codebook(project, building / "codebook.qdc")
        write_atomically(building / LOG_NAME, sealed)
        if target.is_dir():  # empty, as checked; a folder made meanwhile is not replaced
            target.rmdir()
        os.replace(building, target)
    except BaseException as error:
        shutil.rmtree(building, ignore_errors=True)
        if isinstance(error, OSError) and not isinstance(error, JswError):
            raise JswError(
                f"the deposit could not be written ({error.strerror or 'the disk refused'})"
            ) from None
        raise
    with contextlib.suppress(OSError):
        _fsync_folder(target.parent)


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
