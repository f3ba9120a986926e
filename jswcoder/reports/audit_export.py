"""The audit trail as a file for an ethics committee: .xlsx or .csv, one row per event.

It goes out as the other exports do, through the registry of file types and the one atomic writer,
but not through the register: the trail holds no transcript text and no register entry (only the
facts the program wrote: coders' and members' names, attributions, file names, counts), and a trail
with its words replaced would no longer be the record it claims to be. The names of the coders are
in it on purpose: who did what is the point. Writing it is itself an event in the trail.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from jswcoder.atomic_file import write_atomically
from jswcoder.plain_text import looks_like_formula
from jswcoder.project import Project
from jswcoder.reports.base import Exporters, Rendered
from jswcoder.reports.xlsx import Sheet, workbook
from jswcoder.services.audit import Event

HEADER = ("Event", "When (UTC)", "Who", "What", "Details", "Chain (SHA-256)")
AUDIT: Exporters[Sequence[Event]] = Exporters("the audit trail")


def rows(events: Sequence[Event]) -> list[list[str | int]]:
    return [[e.seq, e.at, e.actor, e.what, e.in_words, e.chain] for e in events]


def render_csv(events: Sequence[Event]) -> Rendered:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    table: list[list[str | int]] = [list(HEADER), *rows(events)]
    for row in table:
        writer.writerow([f"'{c}" if isinstance(c, str) and looks_like_formula(c) else c for c in row])
    text = buffer.getvalue()
    return Rendered(text.encode("utf-8-sig"), (text,))


def render_xlsx(events: Sequence[Event]) -> Rendered:
    widths = (8, 26, 18, 30, 60, 66)
    return workbook([Sheet("Audit trail", HEADER, rows(events), widths, frozen_columns=1)])


AUDIT.register(".xlsx", render_xlsx)
AUDIT.register(".csv", render_csv)


def write_audit_trail(project: Project, path: Path | str, *, action: str | None = None) -> int:
    """Write the trail (every event, or one action's), oldest first; returns how many events."""
    target = AUDIT.check(path)
    events = project.audit.events(action=action, newest_first=False)
    write_atomically(target, AUDIT.render(target, events).data)
    project.audit.record("export", what="audit trail", file=target.name, events=len(events))
    return len(events)
