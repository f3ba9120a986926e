"""The destruction certificates: what a lead shows when a participant has withdrawn consent, or when
the study's retention period has ended and every project of it was destroyed.

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
from jswcoder.services.withdrawal import Confirmations, Retention

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
    path = Path(out).expanduser()
    write_atomically(path, certificate(status, project.coder.name))
    project.audit.record(
        "export",
        what="destruction certificate",
        file=path.name,
        participant=status.record.attribution or "a participant",
        confirmed_by=len(status.confirmed),
    )
    return status


RETENTION_TITLE = "Certificate of destruction: end of retention"


def retention_certificate(retention: Retention, lead_name: str) -> bytes:
    """The certificate that the study's projects were destroyed, written before the lead's own goes."""
    document = docx_common.new_document()
    body = docx_common.Body(document)
    body.paragraph(RETENTION_TITLE, docx_common.heading_style(document, 1))
    body.paragraph(f"The retention period was ended by {lead_name} on {_when(retention.ended_at)}.")
    body.paragraph(
        "Each project named below deleted its keys (keychain entry and key files, the only places its "
        "data key was kept) and its encrypted database, after signing a receipt."
    )
    body.paragraph("Destroyed in the team", docx_common.heading_style(document, 2))
    if retention.destroyed:
        width = docx_common.usable_width(document.sections[0])
        docx_common.add_table(
            document,
            ["Team member", "Destroyed at"],
            [[c.member, _when(c.applied_at)] for c in retention.destroyed],
            [width // 2, width // 2],
        )
    else:
        body.paragraph("No team member has confirmed yet.")
    if retention.waiting:
        body.paragraph(f"Not yet confirmed by: {', '.join(retention.waiting)}.")
    body.paragraph(
        f"The lead's own project is destroyed as this certificate is issued, "
        f"{_when(datetime.now(UTC).isoformat())}, by {lead_name}."
    )
    docx_common.clean_properties(document, RETENTION_TITLE)
    return docx_common.saved(document)


def destroy_with_certificate(project: Project, out: Path) -> Retention:
    """At the end of retention: write the certificate to *out* (outside the project), then destroy the
    project. Refused before :meth:`Withdrawals.end_retention`."""
    retention = project.withdrawals.retention()
    if retention is None:
        raise JswError("the retention period has not been ended; end it first with: jswcoder retention-ended")
    out = Path(out).expanduser().absolute()
    if out.is_relative_to(project.paths.folder):
        raise JswError("the certificate must be written outside the project's folder, which is destroyed")
    write_atomically(out, retention_certificate(retention, project.coder.name))
    project.destroy()
    return retention
