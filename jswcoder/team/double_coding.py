"""Double coding: the lead assigns a team transcript to a second fieldworker, who codes it blind.

These are the lead's verbs on an open project: :func:`assign` a transcript that came in one member's
package to another member, see what is :func:`assignable`, and :func:`withdraw` an assignment. What
happens to an assignment next, at the level of the database (sealed into the team file for the
assignee, opened and imported at the fieldworker, sent back as it came), is
:mod:`jswcoder.team.sealed_assignments`. At the lead the merge takes the assignee's codings on it, and
only the assignee's (:mod:`jswcoder.team.merge`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from jswcoder.errors import InvalidInput, JswError, NotFound
from jswcoder.project import Project
from jswcoder.store import assignments
from jswcoder.store import merge as merge_rows
from jswcoder.store import team as team_rows
from jswcoder.store.team import MemberRow, TeamRow


@dataclass(frozen=True)
class Assigned:
    transcript: str  # the lead's name for it
    member_name: str
    waiting: bool  # the member's encryption key is not known yet: it goes out once it is


def _lead(project: Project) -> TeamRow:
    row = project.team.membership()
    if row.role != "lead":
        raise JswError("only the team's lead assigns transcripts for double coding")
    return row


def _member(db: Database, ref: str) -> MemberRow:
    """A member by the name the lead knows them by, or by their member id."""
    members = team_rows.members(db)
    found = [m for m in members if m.member_id == ref] or [m for m in members if m.name == ref.strip()]
    if not found:
        names = ", ".join(m.name for m in members) or "none yet"
        raise NotFound(f"there is no team member named {ref!r} (members: {names})")
    if len(found) > 1:
        raise InvalidInput(f"two team members are named {ref!r}; give the member id instead")
    return found[0]


def assign(project: Project, transcript_ref: str, member_ref: str) -> Assigned:
    """Assign a transcript that came in a member's package to another member, to code it blind."""
    _lead(project)
    db = project.db
    transcript = project.transcripts.find(transcript_ref)
    member = _member(db, member_ref)
    contributor = merge_rows.contributor(db, "transcript", transcript.uuid)
    if contributor is None:
        raise InvalidInput(
            f"{transcript.name!r} did not come from a fieldworker's package; only those (already "
            "anonymised) can be assigned for double coding"
        )
    if contributor == member.member_id:
        raise InvalidInput(f"{member.name} contributed {transcript.name!r}; assign it to someone else")
    with db.atomic():
        current = assignments.open_for(db, transcript.uuid)
        if current is not None:
            holder = team_rows.member(db, current.member_id)
            who = holder.name if holder is not None else current.member_id
            raise InvalidInput(f"{transcript.name!r} is already assigned to {who} for double coding")
        assignments.assign(db, transcript.uuid, member.member_id)
    return Assigned(transcript.name, member.name, waiting=member.encryption_public is None)


@dataclass(frozen=True)
class Assignable:
    """A transcript the lead may assign: it came in a member's package and has no open assignment."""

    transcript: str  # its name in the team project
    contributor: str  # the name of the member whose package brought it
    members: list[str]  # the other members, who may double-code it


def assignable(project: Project) -> list[Assignable]:
    """What the lead can assign now, for a picker; empty outside a lead's project."""
    if project.team.role() != "lead":
        return []
    db = project.db
    names = {m.member_id: m.name for m in team_rows.members(db)}
    result = []
    for transcript in project.transcripts.all():
        contributor = merge_rows.contributor(db, "transcript", transcript.uuid)
        if contributor is None or assignments.open_for(db, transcript.uuid) is not None:
            continue
        others = [name for member_id, name in names.items() if member_id != contributor]
        if others:
            result.append(Assignable(transcript.name, names.get(contributor, contributor), others))
    return result


def withdraw(project: Project, transcript_ref: str, member_ref: str) -> Assigned:
    """Withdraw an open assignment: it leaves the team file; codings on it are no longer taken."""
    _lead(project)
    db = project.db
    transcript = project.transcripts.find(transcript_ref)
    member = _member(db, member_ref)
    current = assignments.get(db, transcript.uuid, member.member_id)
    if current is None or current.status != "open":
        raise NotFound(f"{transcript.name!r} is not assigned to {member.name}")
    with db.atomic():
        assignments.withdraw(db, transcript.uuid, member.member_id)
    return Assigned(transcript.name, member.name, waiting=False)
