"""The lead analyst's merge: a fieldworker's package replaces that fieldworker's earlier work, and nothing else.

Rules (issue 4, section 5):

* A package replaces its member's earlier contribution *for the transcripts it carries*: that member's
  codings there which the package no longer holds are removed, new ones added, changed ones updated.
  Provenance (``contributions``) says whose each record is; work not contributed by this member (the
  lead's own, or another member's) is never overwritten or removed.
* Merging the same package twice changes nothing. A package older than the member's last is refused;
  the last one again is accepted only if it would change nothing.
* Themes the team already has (by UUID, through an alias, or at the same path as
  :mod:`jswcoder.team.theme_paths` compares them, which then becomes an alias) map onto them. New themes arrive under
  ``Emergent themes/<member>/`` keeping their UUIDs; one whose path is already a team theme with another
  UUID is reported as a name collision until the lead folds it in with :func:`merge_code_into`.
* One transaction per merge: anything wrong and the team project is exactly as it was.
* A package speaks only for its sender: its coder is the member who signed it, and every coding and
  memo in it is that member's, or a coder's first seen from that member (a coder in a project the
  member imported). Work made out in the lead's or another member's name refuses the whole package.
* Only an admitted member's packages are merged (:mod:`jswcoder.team.lead_sync`).
* Double coding: a transcript another member contributed is refused, unless the lead assigned it to
  this member (:mod:`jswcoder.team.double_coding`) and it comes back with the team's text. Then the
  member's own codings (and memos) on it are taken under their coder UUID, by the same provenance
  rule, so the first coder's codings are never touched and the assignee's later packages replace only
  the assignee's; the transcript itself stays the first coder's.
* Surveys (:mod:`jswcoder.team.survey_merge`): a survey document another member (or the lead) brought
  from the same export is shared, each member's codings on it taken as theirs; questions are unioned,
  respondents keep the lead's numbers. A case's own attributes the member opted in are added to what
  the lead has of that case, never taking one away.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, replace

from jswcoder.errors import InvalidInput
from jswcoder.ids import new_uuid, now
from jswcoder.model import (
    Coding,
    Memo,
    Participant,
    Transcript,
)
from jswcoder.project import Project
from jswcoder.store import assignments as assignment_rows
from jswcoder.store import codes as code_rows
from jswcoder.store import codings as coding_rows
from jswcoder.store import memos as memo_rows
from jswcoder.store import merge as store
from jswcoder.store import people
from jswcoder.store import speakers as speaker_rows
from jswcoder.store import team as team_rows
from jswcoder.store import transcripts as transcript_rows
from jswcoder.store import withdrawals as withdrawal_rows
from jswcoder.store.speakers import SpeakerLink
from jswcoder.team.envelope import open_sealed
from jswcoder.team.merge_report import MergeReport
from jswcoder.team.package_reader import (
    CodeRecord,
    MergeRefused,
    Package,
    SourceRecord,
    as_object,
    read_document,
    refused,
)
from jswcoder.team.survey_merge import SurveyMerge
from jswcoder.team.theme_paths import EMERGENT, is_emergent, normalised

_MEMBER_FOLDER = "member's emergent folder"  # stands in self.codes until the folder is needed


# -- merging ------------------------------------------------------------------------------------------------


def merge_document(
    project: Project, document: object, *, member_id: str, member_name: str, sequence: int
) -> MergeReport:
    """Merge one member's package document into the team project, in one transaction."""
    package = read_document(document)
    if package.sequence != sequence:
        raise refused("its sequence number does not match the one it was sent with")
    db = project.db
    with db.atomic():
        team = team_rows.get(db)
        if team is None or team.role != "lead":
            raise MergeRefused("this is not a team lead's project; only the lead merges packages")
        known = team_rows.member(db, member_id)
        if known is None or known.state != "admitted":
            raise MergeRefused(f"{member_name!r} is not an admitted member of this team")
        last = known.last_sequence
        if sequence < last:
            raise MergeRefused(
                f"an older package from {member_name} (number {sequence}); number {last} is already merged"
            )
        if package.coder_uuid != member_id:
            raise MergeRefused(f"this package from {member_name} is made out in another coder's name")
        report = MergeReport(member_id, member_name, sequence)
        _Merge(project, package, report).run()
        if sequence == last and report.changed:
            raise MergeRefused(
                f"an older package from {member_name}: number {sequence} is already merged, with other contents"
            )
        store.save_report(db, new_uuid(), member_id, sequence, asdict(report))
        team_rows.set_last_sequence(db, member_id, sequence)
    return report


def merge_package(
    project: Project, data: bytes, *, recipient_id: str, recipient_key: bytes, senders: Mapping[str, bytes]
) -> MergeReport:
    """Open a sealed package (signature, recipient, decryption) and merge the document it holds."""
    opened = open_sealed(data, recipient_id=recipient_id, recipient_key=recipient_key, senders=senders)
    try:
        document = json.loads(opened.payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise refused("its contents are not a package document") from None
    known = team_rows.member(project.db, opened.sender_id)
    if known is None or known.state != "admitted":
        raise MergeRefused("this package is from someone who is not an admitted member of this team")
    sequence = as_object(document, "the package").get("sequence")
    declared = opened.header.get("sequence", sequence)
    if not isinstance(sequence, int) or declared != sequence:
        raise refused("its sequence number does not match its envelope")
    return merge_document(
        project, document, member_id=opened.sender_id, member_name=known.name, sequence=sequence
    )


def merge_code_into(project: Project, incoming_uuid: str, team_uuid: str) -> None:
    """Fold a member's theme into the team theme of the same name, once: later packages map onto it.

    The same merge as the theme tree's "Merge into…" (:meth:`Codebook.merge`), which keeps the alias.
    """
    with project.db.atomic():
        if incoming_uuid == team_uuid:
            raise InvalidInput("a theme cannot be merged into itself")
        project.codebook.merge(incoming_uuid, team_uuid)
        store.forget_contributions(project.db, "code", [incoming_uuid])


class _Merge:
    """One package into the team project; the caller holds the transaction."""

    def __init__(self, project: Project, package: Package, report: MergeReport) -> None:
        self.db = project.db
        self.lead = project.coder.uuid
        self.package = package
        self.report = report
        self.member = report.member_id
        self.participants: dict[str, str | None] = {}
        self.carried: list[str] = []
        self.assigned: set[str] = set()  # carried to double-code: only the assignee's codings on them
        self.shared: set[str] = set()  # survey documents another brought from the same export
        self.codes: dict[str, str] = {}
        self.coders: set[str] = set()
        self._folder: str | None = None
        self._team_paths: dict[str, str] | None = None
        self.withdrawn = withdrawal_rows.withdrawn_uuids(self.db)  # consent withdrawn: never taken in again
        self.surveys = SurveyMerge(self.db, package, self.member, self._owned, report.notes.append)

    def run(self) -> None:
        self.surveys.check(self.withdrawn)
        self._coder(self.package.coder_uuid)
        self._participants()
        self._transcripts()
        self._codes()
        self._codings()
        self._memos()

    def _refuse(self, reason: str) -> None:
        self.report.refused.append(reason)

    def _owned(self, kind: str, uuid: str) -> bool:
        return store.contributor(self.db, kind, uuid) == self.member

    def _contribute(self, kind: str, uuid: str) -> None:
        store.record_contribution(self.db, kind, uuid, self.member, self.report.sequence)

    def _coder(self, uuid: str) -> str:
        """A coder of the package's records: its sender, or a coder first seen from its sender."""
        if uuid in self.coders:
            return uuid
        someone_else = uuid != self.member and (
            uuid == self.lead or team_rows.member(self.db, uuid) is not None
        )
        if someone_else or people.coder_by_uuid(self.db, uuid) is not None:
            if someone_else or (uuid != self.member and store.coder_source(self.db, uuid) != self.member):
                raise MergeRefused(
                    f"the package from {self.report.member_name} holds work made out in another coder's "
                    "name (the lead's, or another member's); nothing of it was merged"
                )
        else:
            own = uuid == self.package.coder_uuid
            base = self.package.coder_name if own else f"{self.report.member_name} (coder {uuid[:8]})"
            name, n = base, 1
            while store.coder_name_taken(self.db, name):
                n += 1
                name = f"{base} ({self.report.member_name})" if n == 2 else f"{base} ({n})"
            store.insert_coder(self.db, uuid, name)
        store.record_coder_source(self.db, uuid, self.member)
        self.coders.add(uuid)
        return uuid

    # participants and transcripts ------------------------------------------------------------------------

    def _participants(self) -> None:
        for incoming in self.package.participants:
            if incoming.uuid in self.withdrawn:
                continue
            existing = people.participant_by_uuid(self.db, incoming.uuid)
            twin = (
                people.participant_by_interview(self.db, incoming.interview_number)
                if incoming.interview_number is not None
                else None
            )
            label = f"{incoming.participant_group or 'a participant'}, interview {incoming.interview_number}"
            if existing is None and twin is not None:
                if twin.participant_group == incoming.participant_group:
                    self.participants[incoming.uuid] = twin.uuid  # the same interview, known already
                else:
                    self.participants[incoming.uuid] = None
                    self._refuse(
                        f"participant ({label}): that interview number belongs to another group here"
                    )
                continue
            self.participants[incoming.uuid] = incoming.uuid
            if existing is None:
                people.insert_participant(self.db, incoming)
                self.report.added["participants"] += 1
            elif not self._owned("participant", incoming.uuid):
                missing = {k: v for k, v in incoming.attributes.items() if k not in existing.attributes}
                if missing:  # an attribute this member opted in and the one who brought the case did not
                    people.save_participant(
                        self.db, replace(existing, attributes={**existing.attributes, **missing})
                    )
                continue
            elif _fields(existing) != _fields(after := _keeping(existing, incoming)):
                if twin is not None and twin.uuid != incoming.uuid:
                    self._refuse(
                        f"participant ({label}): that interview number belongs to another participant"
                    )
                    continue
                people.save_participant(self.db, after)
                self.report.replaced["participants"] += 1
            self._contribute("participant", incoming.uuid)

    def _transcripts(self) -> None:
        for source in self.package.transcripts:
            if source.participant_uuid in self.withdrawn:
                self._refuse("a transcript of a participant who withdrew consent was not taken")
                continue
            digest = store.transcript_digest(self.db, source.uuid)
            twin = transcript_rows.name_with_content(self.db, source.sha256)
            if digest is not None and not self._owned("transcript", source.uuid):
                self._someone_elses(source, digest)
                continue
            unfit = self.surveys.unfit(source)
            if unfit is not None:
                self._refuse(unfit)
                continue
            if digest is None:
                if twin is not None:
                    self._refuse(f"transcript {source.label!r}: the same text is already here as {twin!r}")
                    continue
                self._insert_transcript(source)
                self.report.added["transcripts"] += 1
            elif digest != source.sha256:
                if store.coders_on(self.db, source.uuid) - {self.member}:
                    self._refuse(
                        f"transcript {source.label!r}: its text changed, and others have coded it here"
                    )
                    continue
                if twin is not None:
                    self._refuse(f"transcript {source.label!r}: the same text is already here as {twin!r}")
                    continue
                store.replace_text(
                    self.db,
                    source.uuid,
                    text=source.text,
                    content_sha256=source.sha256,
                    turns=source.turns,
                    notes=source.notes,
                )
                self.report.replaced["transcripts"] += 1
            people_of = self.participants
            links = [
                SpeakerLink(source.uuid, s, people_of[p] or p, n)
                for s, p, n in source.speaker_cases
                if people_of.get(p)
            ]
            speaker_rows.replace(
                self.db, source.uuid, links
            )  # a focus group's speakers, as the member has them
            self.surveys.take(source, self.participants.get(source.participant_uuid or ""), shared=False)
            self._contribute("transcript", source.uuid)
            self.carried.append(source.uuid)

    def _someone_elses(self, source: SourceRecord, digest: str) -> None:
        """Someone else's transcript: a survey document shared from the same export, or one assigned."""
        if assignment_rows.get(self.db, source.uuid, self.member) is None and self.surveys.is_shared(source):
            if digest != source.sha256:
                self._refuse(
                    f"survey document {source.label!r}: its text here differs (another register, or other "
                    "answers); it and the codings on it were not taken"
                )
                return
            self.surveys.take(source, None, shared=True)
            self.shared.add(source.uuid)
            self.carried.append(source.uuid)
            return
        self._assigned(source, digest)

    def _assigned(self, source: SourceRecord, digest: str) -> None:
        """Someone else's transcript: taken (for the member's codings on it) only if assigned to them."""
        assignment = assignment_rows.get(self.db, source.uuid, self.member)
        label = f"transcript {source.label!r}"
        if assignment is None:
            self._refuse(f"{label}: already in the team project from someone else")
        elif assignment.status != "open":
            self._refuse(f"{label}: its double coding was withdrawn; the codings on it were not taken")
        elif digest != source.sha256:
            self._refuse(
                f"{label}: the text double-coded is not the team's text now; the codings were not taken"
            )
        elif self.package.coder_uuid in assignment_rows.coders_of_others(self.db, source.uuid, self.member):
            self._refuse(
                f"{label}: the package's coder has already coded it here; the codings were not taken"
            )
        else:
            assignment_rows.mark_delivered(self.db, source.uuid, self.member)
            self.assigned.add(source.uuid)
            self.carried.append(source.uuid)

    def _insert_transcript(self, source: SourceRecord) -> None:
        name, n = source.label, 1
        while store.transcript_name_taken(self.db, name):
            n += 1
            name = f"{source.label} ({self.report.member_name})" if n == 2 else f"{source.label} ({n})"
        participant = self.participants.get(source.participant_uuid) if source.participant_uuid else None
        transcript_rows.insert(
            self.db,
            Transcript(
                source.uuid,
                name,
                participant,
                f"package from {self.report.member_name}",
                "team-package",
                len(source.text),
                now(),
            ),
            text=source.text,
            content_sha256=source.sha256,
            imported_by=self.package.coder_uuid,
            turns=source.turns,
            notes=source.notes,
            warnings=(),
        )

    # themes ----------------------------------------------------------------------------------------------------

    def _codes(self) -> None:
        for code in self.package.codes:
            path = self.package.paths[code.uuid]
            existing = code_rows.row(self.db, code.uuid)
            if existing is not None:
                self.codes[code.uuid] = code.uuid
                if not self._owned("code", code.uuid):
                    continue
                self._collision(path, code.uuid)
                changes = {
                    key: value
                    for key, value in (("description", code.description), ("colour", code.colour))
                    if getattr(existing, key) != value
                }
                if changes:
                    code_rows.update(self.db, code.uuid, **changes)
                    self.report.replaced["codes"] += 1
                self._contribute("code", code.uuid)
                continue
            alias = store.alias_target(self.db, code.uuid)
            if alias is not None:
                self.codes[code.uuid] = alias
                continue
            if code.parent_uuid is None and code.name == EMERGENT:
                # The member's own folder of emergent themes, made only when something goes in it.
                self.codes[code.uuid] = _MEMBER_FOLDER
                continue
            team = self._team_theme(path)
            if team is not None:  # the member made it, or had it from the same template: it is the team's
                store.add_alias(self.db, code.uuid, team)
                self.codes[code.uuid] = team
                continue
            self._collision(path, code.uuid)
            parent = self._placement(code)
            name, n = code.name, 1
            while code_rows.child_by_name(self.db, parent, name) is not None:
                n += 1
                name = f"{code.name} ({n})"
            code_rows.insert(
                self.db,
                uuid=code.uuid,
                parent_uuid=parent,
                name=name,
                description=code.description,
                colour=code.colour,
                origin=code.origin,
                created_by=self.package.coder_uuid,
            )
            self.codes[code.uuid] = code.uuid
            self.report.added["codes"] += 1
            self._contribute("code", code.uuid)

    def _team_theme(self, path: str) -> str | None:
        """The team theme at *path* as the team compares paths (the lead's, outside Emergent themes)."""
        if self._team_paths is None:
            self._team_paths = {
                normalised(code.path): code.uuid
                for code in code_rows.tree(self.db)
                if not is_emergent(code.path)
            }
        return None if is_emergent(path) else self._team_paths.get(normalised(path))

    def _collision(self, path: str, incoming: str) -> None:
        team = self._at_path(None, path.split("/"), create=False)
        if team is not None and team != incoming and not self._owned("code", team):
            self.report.name_collisions.append({"path": path, "team_uuid": team, "incoming_uuid": incoming})

    def _at_path(self, parent: str | None, names: list[str], *, create: bool) -> str | None:
        """The code at *names* below *parent*; with *create*, missing levels are made as plain folders."""
        for name in names:
            found = code_rows.child_by_name(self.db, parent, name)
            if found is None:
                if not create:
                    return None
                found = new_uuid()
                code_rows.insert(
                    self.db,
                    uuid=found,
                    parent_uuid=parent,
                    name=name,
                    description="",
                    colour=None,
                    origin="emergent",
                    created_by=self.lead,
                )
            parent = found
        return parent

    def _mapped(self, uuid: str) -> str:
        """The team project's theme for one of the package's."""
        found = self.codes[uuid]
        return self._member_folder() if found == _MEMBER_FOLDER else found

    def _member_folder(self) -> str:
        if self._folder is None:
            name = self.report.member_name.replace("/", "-").strip() or self.member
            self._folder = self._at_path(None, [EMERGENT, name], create=True)
        assert self._folder is not None
        return self._folder

    def _placement(self, code: CodeRecord) -> str:
        """Where a theme new to the team goes: under the member's folder, mirroring its place at the team."""
        if code.parent_uuid is None:
            return self._member_folder()
        parent = self._mapped(code.parent_uuid)
        if parent == self._folder or self._owned("code", parent):
            return parent
        path = store.code_path(self.db, parent) or EMERGENT
        if path == EMERGENT:
            return self._member_folder()
        if path.startswith(f"{EMERGENT}/"):
            return parent
        found = self._at_path(self._member_folder(), path.split("/"), create=True)
        assert found is not None
        return found

    # codings and memos ----------------------------------------------------------------------------------------

    def _codings(self) -> None:
        """The package's codings on the carried transcripts, read and written a package at a time."""
        carried = set(self.carried)
        previous = {c.uuid: c for c in store.member_codings_on(self.db, self.member, self.carried)}
        incoming_codings = [c for c in self.package.codings if c.transcript_uuid in carried]
        # UUIDs already here from other work (not the member's on these transcripts): refused, not taken.
        taken = store.existing_uuids(
            self.db, "codings", [c.uuid for c in incoming_codings if c.uuid not in previous]
        )
        added: list[Coding] = []
        changed: list[Coding] = []
        kept: list[str] = []
        for incoming in incoming_codings:
            if incoming.transcript_uuid in self.assigned and incoming.coder_uuid != self.package.coder_uuid:
                self._refuse("a coding on a transcript assigned for double coding is not the assignee's own")
                continue
            coding = Coding(
                incoming.uuid,
                incoming.transcript_uuid,
                self._mapped(incoming.code_uuid),
                incoming.start,
                incoming.end,
                self._coder(incoming.coder_uuid),
                incoming.created_at,
            )
            before = previous.get(coding.uuid)
            if before is None:
                if coding.uuid in taken:
                    self._refuse(
                        "a coding in the package is already in the team project from other work; kept as it is"
                    )
                    continue
                taken.add(coding.uuid)
                added.append(coding)
            elif before.transcript_uuid != coding.transcript_uuid:
                self._refuse("a coding in the package moved to another transcript; kept as it was")
                kept.append(before.uuid)  # as it was: not removed as "no longer in the package"
                continue
            elif (before.code_uuid, before.start, before.end) != (coding.code_uuid, coding.start, coding.end):
                changed.append(coding)
            kept.append(coding.uuid)
        coding_rows.insert_many(self.db, added)
        coding_rows.update_many(self.db, changed)
        store.record_contributions(self.db, "coding", kept, self.member, self.report.sequence)
        self.report.added["codings"] += len(added)
        self.report.replaced["codings"] += len(changed)
        still = set(kept)
        gone = [uuid for uuid in previous if uuid not in still]
        if gone:
            code_rows.delete_codings(self.db, gone)
            store.forget_contributions(self.db, "coding", gone)
            self.report.removed["codings"] += len(gone)

    def _memos(self) -> None:
        carried = set(self.carried)
        incoming_ids = set()
        for memo in self.package.memos:
            target = memo.target_uuid
            if memo.target_kind == "transcript" and target not in carried:
                continue
            if memo.target_kind == "coding" and (
                target is None or coding_rows.by_uuid(self.db, target) is None
            ):
                continue
            if memo.target_kind == "code" and target is not None:
                target = self._mapped(target)
            incoming_ids.add(memo.uuid)
            existing = memo_rows.by_uuid(self.db, memo.uuid)
            if existing is None:
                memo_rows.insert(
                    self.db,
                    Memo(
                        memo.uuid,
                        memo.target_kind,
                        target,
                        memo.text,
                        self._coder(memo.coder_uuid),
                        memo.created_at,
                        memo.updated_at,
                    ),
                )
                self.report.added["memos"] += 1
            elif not self._owned("memo", memo.uuid):
                self._refuse("a memo in the package is the team's own work here; it was kept as it is")
                continue
            elif existing.text != memo.text:
                memo_rows.update_text(self.db, memo.uuid, memo.text, memo.updated_at)
                self.report.replaced["memos"] += 1
            self._contribute("memo", memo.uuid)
        gone = []
        for uuid in sorted(store.contributed(self.db, self.member, "memo") - incoming_ids):
            stored = memo_rows.by_uuid(self.db, uuid)
            if stored is None:
                gone.append(uuid)
                continue
            coding = (
                coding_rows.by_uuid(self.db, stored.target_uuid)
                if stored.target_kind == "coding" and stored.target_uuid
                else None
            )
            if (
                stored.target_kind in ("project", "code")
                or (stored.target_kind == "transcript" and stored.target_uuid in carried)
                or (stored.target_kind == "coding" and (coding is None or coding.transcript_uuid in carried))
            ):
                memo_rows.delete(self.db, uuid)
                self.report.removed["memos"] += 1
                gone.append(uuid)
        store.forget_contributions(self.db, "memo", gone)


def _fields(participant: Participant) -> tuple[object, ...]:
    p = participant
    return (p.participant_group, p.interview_number, p.format, p.mode, p.council_area, p.attributes)


def _keeping(existing: Participant, incoming: Participant) -> Participant:
    """The member's case as their package has it, keeping the attributes the lead has that it lacks."""
    return replace(incoming, attributes={**existing.attributes, **incoming.attributes})
