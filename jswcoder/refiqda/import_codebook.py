"""Import a .qdc codebook into an existing project: codes keep their GUIDs, so importing again changes nothing.

A code whose GUID is already in the project is left exactly as it is (its name, colour and place
there win). A new code whose name is already taken at its level is not added: the report names the
clash, and the new code's children go under the code already there.
"""

from __future__ import annotations

import stat
from collections.abc import Sequence
from pathlib import Path

from jswcoder.errors import ImportRejected
from jswcoder.ids import now
from jswcoder.importing.base import MAX_FILE_BYTES
from jswcoder.project import Project
from jswcoder.refiqda.reading import CodeNode, read_codebook
from jswcoder.refiqda.report import ImportReport
from jswcoder.store import codes
from jswcoder.store.codes import CodeRow


def add_codes(
    project: Project, nodes: Sequence[CodeNode], report: ImportReport, created_by: str
) -> dict[str, str]:
    """Add the tree inside the caller's transaction; returns each node's GUID -> the code that stands for it."""
    mapping: dict[str, str] = {}
    folders = 0

    def add(level: Sequence[CodeNode], parent: str | None, prefix: str, inherited: str | None) -> None:
        nonlocal folders
        for node in level:
            path = f"{prefix}{node.name}"
            existing = codes.row(project.db, node.guid) is not None
            same = None if existing else codes.child_by_name(project.db, parent, node.name)
            if existing or same is not None:
                mapping[node.guid] = same or node.guid
                if same is None:
                    report.count("codes already present")
                else:
                    report.drop(
                        f"the code {path!r}: a different code of that name is already there; it was used"
                    )
                shown: str | None = project.codebook.colour_of(project.codebook.get(mapping[node.guid]))
            else:
                # Other tools write every code's colour; one that only repeats its parent's is stored as
                # inherited, so that recolouring the parent recolours it, as for codes made in this app.
                colour = None if node.colour == inherited else node.colour
                position = len(codes.children(project.db, parent))
                row = CodeRow(
                    node.guid,
                    parent,
                    node.name,
                    node.description,
                    colour,
                    position,
                    "preset",
                    created_by,
                    now(),
                )
                codes.insert_row(project.db, row)
                mapping[node.guid] = node.guid
                report.count("codes")
                folders += not node.codable
                shown = colour or inherited
            add(node.children, mapping[node.guid], f"{path}/", shown)

    add(nodes, None, "", None)
    if folders:
        report.repair(
            f"{folders} code(s) marked not codable (folders) were imported as themes, which can be coded"
        )
    return mapping


def _read(path: Path) -> bytes:
    try:
        info = path.stat()
    except OSError:
        raise ImportRejected(path, "was not found or cannot be opened") from None
    if not stat.S_ISREG(info.st_mode):
        raise ImportRejected(path, "is not a regular file")
    if info.st_size > MAX_FILE_BYTES:
        raise ImportRejected(path, f"is too large to be a codebook (over {MAX_FILE_BYTES // 2**20} MiB)")
    try:
        return path.read_bytes()
    except OSError as error:
        raise ImportRejected(path, f"cannot be read ({error.strerror or 'system error'})") from None


def read_qdc(path: Path) -> tuple[list[CodeNode], ImportReport]:
    """Read and check the .qdc at ``path`` (nothing is written): its code tree and the report so far."""
    path = Path(path)
    report = ImportReport(path.name)
    nodes = read_codebook(path, _read(path), report)
    if not nodes:
        raise ImportRejected(path, "holds no codes")
    return list(nodes), report


def import_qdc(project: Project, path: Path) -> ImportReport:
    """Add the codes of the .qdc at ``path`` that the project lacks, in one transaction."""
    nodes, report = read_qdc(path)
    return add_read_codes(project, nodes, report)


def add_read_codes(project: Project, nodes: Sequence[CodeNode], report: ImportReport) -> ImportReport:
    """Add codes from :func:`read_qdc` that the project lacks, in one transaction."""
    with project.db.atomic():
        add_codes(project, nodes, report, project.coder.uuid)
    report.counts.setdefault("codes", 0)
    return report
