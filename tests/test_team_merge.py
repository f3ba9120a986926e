"""The lead's merge: a member's package replaces that member's earlier work, and nothing else."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from jswcoder.project import Project
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.store import codes as code_rows
from jswcoder.store import codings as coding_rows
from jswcoder.store import memos as memo_rows
from jswcoder.store import merge as store
from jswcoder.store import team as team_rows
from jswcoder.team import envelope, keys
from jswcoder.team.merge import MergeRefused, merge_code_into, merge_document, merge_package
from jswcoder.team.package_writer import build_package
from tests.conftest import make_project, write_txt


def _member(db: Any, member_id: str) -> tuple[str, int] | None:
    """A member's name and the number of the last package merged from them."""
    row = team_rows.member(db, member_id)
    return None if row is None else (row.name, row.last_sequence)


MEMBERS = ("Fiona", "Gregor", "Hamish")
TEAM_THEMES = ("Partnership working/Key local partners", "Funding and resources/Training")


def _text(member: str, number: int) -> str:
    return (
        f"Interviewer: How is the work going, {number}?\n"
        f"P1: Partnership with the council is strong ({member} {number}).\n"
        f"P1: Training money ran out in spring; we asked again ({number}).\n"
    )


@pytest.fixture
def lead(tmp_path: Path) -> Iterator[Project]:
    project, _ = make_project(tmp_path / "lead", coder="Lead")
    lead_keys = keys.new_encryption_keys()
    project.db.execute(
        "INSERT INTO team (id, team_uuid, name, role, member_id, signing_private, signing_public, "
        "encryption_private, encryption_public, joined_at) VALUES (1, ?, 'Team', 'lead', 'lead', ?, ?, ?, ?, '')",
        [project.uuid, b"s" * 32, b"p" * 32, lead_keys.private, lead_keys.public],
    )
    for path in TEAM_THEMES:
        project.codebook.add(path)
    yield project
    project.close()


@pytest.fixture
def fieldworkers(tmp_path: Path, lead: Project) -> Iterator[dict[str, Project]]:
    """Three fieldworkers holding the team codebook (same UUIDs), each with two coded transcripts."""
    made = {}
    for index, member in enumerate(MEMBERS):
        project, _ = make_project(tmp_path / member, coder=member)
        for code in lead.codebook.all():
            row = code_rows.row(lead.db, code.uuid)
            assert row is not None
            code_rows.insert_row(project.db, replace(row, created_by=None))
        project.register.add(member, "[JSW WORKER]", "PERSON")
        for n in (1, 2):
            number = index * 2 + n
            path = write_txt(tmp_path / f"in-{member}", f"int_{number}.txt", _text(member, number))
            project.transcripts.import_file(path, ParticipantFields("Justice social workers", number))
            text = project.transcripts.text(f"int_{number}")
            at = text.index("Partnership")
            project.codings.add(f"int_{number}", at, at + 30, TEAM_THEMES[0])
            at = text.index("Training")
            project.codings.add(f"int_{number}", at, at + 20, TEAM_THEMES[1])
        project.codebook.add(f"Emergent themes/Spring money worries {index}", origin="emergent")
        project.codings.add(
            "int_" + str(index * 2 + 1), 0, 11, f"Emergent themes/Spring money worries {index}"
        )
        project.memos.add(
            f"Note from {member}", "transcript", project.transcripts.find(f"int_{index * 2 + 1}").uuid
        )
        # The member id is the fieldworker's coder UUID, as when they join; admitted by the lead.
        team_rows.add_member(lead.db, project.coder.uuid, member, b"k" * 32, state="admitted")
        made[member] = project
    yield made
    for project in made.values():
        project.close()


def _merge(lead: Project, member: str, document: dict[str, Any]) -> Any:
    return merge_document(
        lead, document, member_id=_id(lead, member), member_name=member, sequence=document["sequence"]
    )


def _id(lead: Project, member: str) -> str:
    return lead.team.member(member).member_id


def _snapshot(project: Project) -> tuple[object, ...]:
    return (
        project.counts(),
        coding_rows.listing(project.db),
        memo_rows.listing(project.db),
        code_rows.tree(project.db),
        store.reports(project.db),
        [_member(project.db, m.member_id) for m in team_rows.members(project.db)],
    )


def test_three_fieldworkers_two_transcripts_each(lead: Project, fieldworkers: dict[str, Project]) -> None:
    for member, project in fieldworkers.items():
        report = _merge(lead, member, build_package(project, sequence=1))
        assert report.added == {"transcripts": 2, "codings": 5, "codes": 1, "memos": 1, "participants": 2}
        assert report.refused == [] and report.name_collisions == []
    assert lead.counts() == {"transcripts": 6, "participants": 6, "codes": 11, "codings": 15, "memos": 3}
    paths = {code.path for code in lead.codebook.all()}
    for index, member in enumerate(MEMBERS):
        assert f"Emergent themes/{member}/Spring money worries {index}" in paths
    team_theme = lead.codebook.find(TEAM_THEMES[0])
    assert len(lead.codings.of_code(team_theme.uuid)) == 6  # mapped onto the team theme by UUID
    for index, (member, project) in enumerate(fieldworkers.items()):
        emergent = project.codebook.find(f"Emergent themes/Spring money worries {index}")
        assert lead.codebook.get(emergent.uuid).path.startswith(f"Emergent themes/{member}/")
        assert store.contributor(lead.db, "code", emergent.uuid) == _id(lead, member)
        coding = project.codings.of_code(emergent.uuid)[0]
        assert lead.codings.get(coding.uuid).coder_uuid == project.coder.uuid
        assert _member(lead.db, _id(lead, member)) == (member, 1)
        text = lead.transcripts.text_of(project.transcripts.all()[0].uuid)
        assert member not in text and "[JSW WORKER]" in text  # the anonymised text, not the original
    assert {t.name for t in lead.transcripts.all()} >= {"Justice social workers interview 1"}
    saved = store.reports(lead.db)
    assert [r["member_name"] for r in saved] == list(MEMBERS) and saved[0]["added"]["codings"] == 5


def test_a_deletion_on_the_laptop_disappears_at_the_lead(
    lead: Project, fieldworkers: dict[str, Project]
) -> None:
    fiona = fieldworkers["Fiona"]
    _merge(lead, "Fiona", build_package(fiona, sequence=1))
    _merge(lead, "Gregor", build_package(fieldworkers["Gregor"], sequence=1))
    first, second = fiona.codings.of_transcript(fiona.transcripts.find("int_1").uuid)[:2]
    fiona.codings.remove(first.uuid)
    fiona.codings.change(second.uuid, end=second.end - 1)
    memo = fiona.memos.all()[0]
    fiona.memos.remove(memo.uuid)
    report = _merge(lead, "Fiona", build_package(fiona, sequence=2))
    assert report.removed["codings"] == 1 and report.replaced["codings"] == 1 and report.removed["memos"] == 1
    assert coding_rows.by_uuid(lead.db, first.uuid) is None
    changed = coding_rows.by_uuid(lead.db, second.uuid)
    assert changed is not None and changed.end == second.end - 1
    assert memo_rows.by_uuid(lead.db, memo.uuid) is None
    assert lead.counts()["codings"] == 9  # Gregor's five untouched


def test_only_the_transcripts_carried_are_replaced(lead: Project, fieldworkers: dict[str, Project]) -> None:
    fiona = fieldworkers["Fiona"]
    _merge(lead, "Fiona", build_package(fiona, sequence=1))
    for coding in fiona.codings.of_transcript(fiona.transcripts.find("int_2").uuid):
        fiona.codings.remove(coding.uuid)
    only_first = build_package(fiona, sequence=2, transcripts=["int_1"])
    report = _merge(lead, "Fiona", only_first)
    assert report.removed["codings"] == 0  # int_2 was not carried: its codings stay
    assert len(lead.codings.of_transcript(fiona.transcripts.find("int_2").uuid)) == 2


def test_merging_the_same_package_twice_changes_nothing(
    lead: Project, fieldworkers: dict[str, Project]
) -> None:
    document = build_package(fieldworkers["Hamish"], sequence=1)
    _merge(lead, "Hamish", document)
    before = _snapshot(lead)[:4]
    again = _merge(lead, "Hamish", copy.deepcopy(document))
    assert not again.changed and again.refused == []
    assert _snapshot(lead)[:4] == before
    rebuilt = _merge(lead, "Hamish", build_package(fieldworkers["Hamish"], sequence=2))
    assert not rebuilt.changed and _snapshot(lead)[:4] == before
    assert _member(lead.db, _id(lead, "Hamish")) == ("Hamish", 2)


def test_an_older_package_is_refused_and_changes_nothing(
    lead: Project, fieldworkers: dict[str, Project]
) -> None:
    gregor = fieldworkers["Gregor"]
    old = build_package(gregor, sequence=1)
    gregor.codings.remove(gregor.codings.of_transcript(gregor.transcripts.all()[0].uuid)[0].uuid)
    _merge(lead, "Gregor", build_package(gregor, sequence=2))
    before = _snapshot(lead)
    with pytest.raises(MergeRefused, match="an older package"):
        _merge(lead, "Gregor", old)
    gregor.codings.add("int_3", 0, 5, TEAM_THEMES[1])
    with pytest.raises(MergeRefused, match="an older package"):
        _merge(lead, "Gregor", build_package(gregor, sequence=2))  # same number, other contents
    assert _snapshot(lead) == before


def test_a_theme_at_a_team_theme_path_lands_on_it(lead: Project, fieldworkers: dict[str, Project]) -> None:
    """Same place, other UUID (both typed "Trust", or both from one template): the team's theme, no clash."""
    fiona = fieldworkers["Fiona"]
    team_trust = lead.codebook.add("Partnership working/Trust")
    fiona_trust = fiona.codebook.add("partnership working/TRUST")
    fiona.codings.add("int_1", 0, 11, "partnership working/TRUST")
    report = _merge(lead, "Fiona", build_package(fiona, sequence=1))
    assert report.name_collisions == [] and report.added["codes"] == 1  # only her emergent theme
    assert store.alias_target(lead.db, fiona_trust.uuid) == team_trust.uuid
    assert len(lead.codings.of_code(team_trust.uuid)) == 1
    assert not any(c.path.endswith("/TRUST") for c in lead.codebook.all())


def test_an_emergent_theme_folded_in_once_maps_by_itself(
    lead: Project, fieldworkers: dict[str, Project]
) -> None:
    fiona = fieldworkers["Fiona"]
    team_trust = lead.codebook.add("Partnership working/Trust")
    fiona_trust = fiona.codebook.add("Partnership working/Mutual trust")
    fiona.codings.add("int_1", 0, 11, "Partnership working/Mutual trust")
    report = _merge(lead, "Fiona", build_package(fiona, sequence=1))
    assert report.name_collisions == []
    placed = lead.codebook.get(fiona_trust.uuid)
    assert placed.path == "Emergent themes/Fiona/Partnership working/Mutual trust"
    assert len(lead.codings.of_code(fiona_trust.uuid)) == 1
    fiona.codings.add("int_2", 0, 11, "Partnership working/Mutual trust")
    _merge(lead, "Fiona", build_package(fiona, sequence=2))

    merge_code_into(lead, fiona_trust.uuid, team_trust.uuid)
    assert len(lead.codings.of_code(team_trust.uuid)) == 2
    assert store.alias_target(lead.db, fiona_trust.uuid) == team_trust.uuid
    before = _snapshot(lead)[:4]
    later = _merge(lead, "Fiona", build_package(fiona, sequence=3))
    assert later.name_collisions == [] and not later.changed and _snapshot(lead)[:4] == before
    at = fiona.transcripts.text("int_2").index("Training")
    fiona.codings.add("int_2", at, at + 8, "Partnership working/Mutual trust")
    newest = _merge(lead, "Fiona", build_package(fiona, sequence=4))
    assert newest.added["codings"] == 1 and len(lead.codings.of_code(team_trust.uuid)) == 3


def test_the_leads_own_memos_and_codings_survive(lead: Project, fieldworkers: dict[str, Project]) -> None:
    fiona = fieldworkers["Fiona"]
    _merge(lead, "Fiona", build_package(fiona, sequence=1))
    transcript = fiona.transcripts.find("int_1").uuid
    own = lead.memos.add("The lead's reading of this interview", "transcript", transcript)
    lead_coding, _ = lead.codings.add("Justice social workers interview 1", 0, 5, TEAM_THEMES[1])
    member_memo = fiona.memos.all()[0]
    fiona.memos.save("transcript", transcript, "Note, revised")
    document = build_package(fiona, sequence=2)
    document["memos"].append({**document["memos"][0], "uuid": own.uuid, "text": "overwritten?"})
    report = _merge(lead, "Fiona", document)
    assert report.replaced["memos"] == 1 and len(report.refused) == 1
    kept = memo_rows.by_uuid(lead.db, own.uuid)
    assert kept is not None and kept.text == "The lead's reading of this interview"
    revised = memo_rows.by_uuid(lead.db, member_memo.uuid)
    assert revised is not None and revised.text == "Note, revised"
    assert coding_rows.by_uuid(lead.db, lead_coding.uuid) is not None


def _bad_offsets(d: dict[str, Any]) -> None:
    d["codings"][0]["end"] = len(d["transcripts"][0]["text"]) + 5


def _duplicate_uuid(d: dict[str, Any]) -> None:
    d["codings"][1]["uuid"] = d["codings"][0]["uuid"]


def _wrong_hash(d: dict[str, Any]) -> None:
    d["transcripts"][0]["text"] = d["transcripts"][0]["text"].replace("council", "council!")


def _newer_version(d: dict[str, Any]) -> None:
    d["version"] = 99


def _missing_code(d: dict[str, Any]) -> None:
    d["codes"] = [c for c in d["codes"] if c["uuid"] != d["codings"][0]["code_uuid"]]


def _not_a_uuid(d: dict[str, Any]) -> None:
    d["transcripts"][0]["uuid"] = "../../etc"


def _codings_changed(d: dict[str, Any]) -> None:
    d["codings"][0]["start"] += 1


@pytest.mark.parametrize(
    ("corrupt", "message"),
    [
        (_bad_offsets, "offsets outside"),
        (_duplicate_uuid, "share a UUID"),
        (_wrong_hash, "does not match its hash"),
        (_newer_version, "made by a newer version of jswcoder"),
        (_missing_code, "theme the package does not hold"),
        (_not_a_uuid, "is not a UUID"),
        (_codings_changed, "do not match their hash"),
    ],
)
def test_a_corrupted_document_is_refused_and_changes_nothing(
    lead: Project, fieldworkers: dict[str, Project], corrupt: Callable[[dict[str, Any]], None], message: str
) -> None:
    _merge(lead, "Gregor", build_package(fieldworkers["Gregor"], sequence=1))
    document = build_package(fieldworkers["Fiona"], sequence=1)
    corrupt(document)
    before = _snapshot(lead)
    with pytest.raises(MergeRefused, match=message):
        _merge(lead, "Fiona", document)
    assert _snapshot(lead) == before


def test_a_failure_half_way_rolls_the_whole_merge_back(
    lead: Project, fieldworkers: dict[str, Project], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("disk gone")

    monkeypatch.setattr(store, "save_report", broken)
    before = _snapshot(lead)
    with pytest.raises(RuntimeError):
        _merge(lead, "Fiona", build_package(fieldworkers["Fiona"], sequence=1))
    assert _snapshot(lead) == before


def test_a_sealed_package_round_trip_and_a_tampered_one(
    lead: Project, fieldworkers: dict[str, Project]
) -> None:
    recipient = keys.new_encryption_keys()
    signer = keys.new_signing_keys()
    document = build_package(fieldworkers["Hamish"], sequence=1)
    sealed = envelope.seal(
        json.dumps(document).encode("utf-8"),
        header={"sequence": 1},
        recipients={"lead": recipient.public},
        sender_id=_id(lead, "Hamish"),
        signing_key=signer.private,
    )
    senders = {_id(lead, "Hamish"): signer.public}
    tampered = bytearray(sealed)
    tampered[-100] ^= 1
    before = _snapshot(lead)
    with pytest.raises(envelope.TamperedPackage):
        merge_package(
            lead, bytes(tampered), recipient_id="lead", recipient_key=recipient.private, senders=senders
        )
    with pytest.raises(envelope.UnknownSender):
        merge_package(lead, sealed, recipient_id="lead", recipient_key=recipient.private, senders={})
    assert _snapshot(lead) == before
    report = merge_package(
        lead, sealed, recipient_id="lead", recipient_key=recipient.private, senders=senders
    )
    assert report.member_name == "Hamish" and report.added["transcripts"] == 2


def test_a_coding_uuid_already_here_from_other_work_is_refused_and_kept(
    lead: Project, fieldworkers: dict[str, Project]
) -> None:
    fiona, gregor = fieldworkers["Fiona"], fieldworkers["Gregor"]
    _merge(lead, "Fiona", build_package(fiona, sequence=1))
    theirs = fiona.codings.of_transcript(fiona.transcripts.find("int_1").uuid)[0]
    at_lead = coding_rows.by_uuid(lead.db, theirs.uuid)
    document = build_package(gregor, sequence=1)
    document["codings"][0]["uuid"] = theirs.uuid  # a UUID on a transcript Gregor's package does not carry
    codings = json.dumps(document["codings"], sort_keys=True).encode("utf-8")
    document["manifest"]["codings_sha256"] = hashlib.sha256(codings).hexdigest()
    refusal = "a coding in the package is already in the team project from other work; kept as it is"
    for _ in range(2):  # the same package again: refused again, and nothing else changes
        report = _merge(lead, "Gregor", copy.deepcopy(document))
        assert report.refused == [refusal]
        assert coding_rows.by_uuid(lead.db, theirs.uuid) == at_lead
        assert store.contributor(lead.db, "coding", theirs.uuid) == _id(lead, "Fiona")
        assert lead.counts()["codings"] == 5 + 4
    assert report.added["codings"] == 0 and not report.changed


def test_a_coding_moved_to_another_transcript_is_refused_and_kept_where_it_was(
    lead: Project, fieldworkers: dict[str, Project]
) -> None:
    fiona = fieldworkers["Fiona"]
    _merge(lead, "Fiona", build_package(fiona, sequence=1))
    first, second = (fiona.transcripts.find(name).uuid for name in ("int_1", "int_2"))
    moved = fiona.codings.of_transcript(first)[0]
    at_lead = coding_rows.by_uuid(lead.db, moved.uuid)
    document = build_package(fiona, sequence=2)
    (entry,) = [c for c in document["codings"] if c["uuid"] == moved.uuid]
    entry["transcript_uuid"] = second  # both transcripts are carried: only the coding's place changes
    codings = json.dumps(document["codings"], sort_keys=True).encode("utf-8")
    document["manifest"]["codings_sha256"] = hashlib.sha256(codings).hexdigest()
    counted = lead.counts()["codings"]
    report = _merge(lead, "Fiona", document)
    assert report.refused == ["a coding in the package moved to another transcript; kept as it was"]
    assert coding_rows.by_uuid(lead.db, moved.uuid) == at_lead
    assert store.contributor(lead.db, "coding", moved.uuid) == _id(lead, "Fiona")
    assert report.removed["codings"] == 0 and lead.counts()["codings"] == counted
