"""The destruction certificate: what a lead shows when a participant has withdrawn consent.

One page in Word: the participant by their attribution only (and the study's reference, their UUID, to
match the record), when consent was withdrawn, when the lead's own project was purged and by whom, and
each team member's confirmation with its time (or that it is still awaited). The reason given stays in
the project: it may say more about the participant than the certificate should. No project or team
name either: a name can tell which local authority the participants are from.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from jswcoder.atomic_file import write_atomically
from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.reports import docx_common
from jswcoder.services.withdrawal import Confirmations

TITLE = "Certificate of destruction"
_PURGED = (
    "Everything of this participant's was purged from each project listed, with secure delete on and "
    "the database file rebuilt: transcripts, codings, memos, matrix summaries, register entries, "
    "search index entries and cached findings. The reason for the withdrawal is kept in the lead's "
    "project only."
)


def _when(stamp: str) -> str:
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M")
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def certificate(status: Confirmations, lead_name: str) -> bytes:
    """The certificate for one withdrawal, as the bytes of a .docx."""
    record = status.record
    document = docx_common.new_document()
    body = docx_common.Body(document)
    body.paragraph(TITLE, docx_common.heading_style(document, 1))
    for label, value in (
        ("Participant", record.attribution or "a participant with no attribution"),
        ("Study reference", record.participant_uuid),
        ("Consent withdrawn on", record.withdrawn_on),
        ("Purged from the lead's project", f"{_when(record.recorded_at)}, by {record.recorded_by}"),
    ):
        body.paragraph(f"{label}: {value}")
    body.paragraph("Confirmed by the team", docx_common.heading_style(document, 2))
    rows = [[c.member, _when(c.applied_at), "yes" if c.held else "nothing held"] for c in status.confirmed]
    if rows:
        width = docx_common.usable_width(document.sections[0])
        docx_common.add_table(
            document, ["Team member", "Purged at", "Held data"], rows, [width // 2, width // 3, width // 6]
        )
    else:
        body.paragraph("No team member has confirmed yet.")
    if status.waiting:
        body.paragraph(f"Not yet confirmed by: {', '.join(status.waiting)}.")
    body.paragraph(_PURGED)
    body.paragraph(f"Issued {_when(datetime.now(UTC).isoformat())} by {lead_name}.")
    docx_common.clean_properties(document, TITLE)
    return docx_common.saved(document)


def write_certificate(project: Project, participant: str, out: Path) -> Confirmations:
    """Write the certificate for a participant withdrawn here (by attribution or UUID) to *out*."""
    target = project.withdrawals.find(participant)
    status = next(
        (s for s in project.withdrawals.status() if s.record.participant_uuid == target.participant_uuid),
        None,
    )
    if status is None:
        raise JswError("that participant has not been withdrawn; withdraw them first with: jswcoder withdraw")
    write_atomically(Path(out).expanduser(), certificate(status, project.coder.name))
    return status
