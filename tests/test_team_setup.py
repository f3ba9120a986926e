"""Team set-up, export and the fieldworker's sync: real projects, real keys, real sealed packages."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from jswcoder.project import Project
from jswcoder.reports import write_summary
from jswcoder.services.egress import LeaksFound
from jswcoder.team import envelope, keys, teamfile
from jswcoder.team.exchange import (
    ExchangeFolderMissing,
    export_package,
    read_join_request,
    sync_fieldworker,
)
from jswcoder.team.membership import NotInTeam
from tests.conftest import join_team, make_project, write_txt

TEXT = "Interviewer: How is the work going?\nP1: Morag says the rota is hard on everyone.\n"


@pytest.fixture
def lead(tmp_path: Path) -> Iterator[Project]:
    project, _ = make_project(tmp_path / "lead", coder="Lead analyst")
    project.codebook.add("Partnership working/Co-location", colour="#0072B2")
    project.codebook.add("Funding and resources")
    project.team.create("JSW study team")
    yield project
    project.close()


@pytest.fixture
def fieldworker(tmp_path: Path) -> Iterator[Project]:
    project, _ = make_project(tmp_path / "fieldworker", coder="Ailsa")
    project.transcripts.import_file(write_txt(tmp_path / "in", "int_1.txt", TEXT))
    project.register.add("Morag", "[JSW WORKER]", "PERSON")
    project.register.dismiss([c.text for c in project.register.suggestions()])
    yield project
    project.close()


def _open(lead: Project, fieldworker: Project, data: bytes) -> tuple[dict[str, object], dict[str, object]]:
    me, them = lead.team.membership(), fieldworker.team.membership()
    assert me.encryption_private is not None
    opened = envelope.open_sealed(
        data,
        recipient_id=me.member_id,
        recipient_key=me.encryption_private,
        senders={them.member_id: them.signing_public},
    )
    return json.loads(opened.payload.decode("utf-8")), opened.header


def test_join_brings_the_codebook_with_its_uuids(lead: Project, fieldworker: Project) -> None:
    assert (lead.team.role(), fieldworker.team.role()) == ("lead", None)
    joined = join_team(fieldworker, lead.team.team_file())
    assert fieldworker.team.role() == "fieldworker"
    assert joined.fingerprint == keys.fingerprint(lead.team.membership().signing_public)
    assert joined.team_uuid == lead.team.membership().team_uuid
    assert {c.uuid: c.path for c in fieldworker.codebook.all()} == {
        c.uuid: c.path for c in lead.codebook.all()
    }
    assert fieldworker.codebook.find("Partnership working/Co-location").colour == "#0072B2"
    assert [lead_row.name for lead_row in fieldworker.team.leads()] == ["Lead analyst"]
    assert fieldworker.team.membership().member_id == fieldworker.coder.uuid
    with pytest.raises(teamfile.JswError, match="already in a team"):
        join_team(fieldworker, lead.team.team_file())


def test_a_local_theme_of_the_same_name_becomes_the_teams(lead: Project, fieldworker: Project) -> None:
    mine = fieldworker.codebook.add("Partnership working")
    fieldworker.codings.add("int_1", 36, 80, mine.uuid)
    joined = join_team(fieldworker, lead.team.team_file())
    assert joined.codebook.adopted == ["Partnership working"] and joined.codebook.conflicts == []
    team_theme = lead.codebook.find("Partnership working").uuid
    assert fieldworker.codebook.find("Partnership working").uuid == team_theme
    assert [p.code_path for p in fieldworker.codings.passages()] == ["Partnership working"]
    team_child = lead.codebook.find("Partnership working/Co-location").uuid
    assert fieldworker.codebook.find("Partnership working/Co-location").uuid == team_child


def _tampered(data: bytes) -> bytes:
    document = json.loads(data)
    document["team"]["name"] = "Another team"
    return json.dumps(document).encode("utf-8")


def _new_version(data: bytes) -> bytes:
    document = json.loads(data)
    document["version"] = 9
    return json.dumps(document).encode("utf-8")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_tampered, "changed since the lead signed"),
        (lambda data: data[:-40], "not JSON"),
        (lambda data: b"\xff" + data, "not JSON"),
        (lambda data: b" " * (teamfile.MAX_BYTES + 1), "too large"),
        (lambda data: data.replace(b'"jswcoder-team"', b'"something-else"'), "not a jswcoder team file"),
        (_new_version, "newer version of jswcoder"),
        (lambda data: data.replace(b'"codebook_version": 1', b'"codebook_version": -1'), "cannot be read"),
    ],
)
def test_bad_team_files_are_refused(
    lead: Project, fieldworker: Project, change: object, message: str
) -> None:
    assert callable(change)
    with pytest.raises(teamfile.TeamFileError, match=message):
        join_team(fieldworker, change(lead.team.team_file()))
    assert fieldworker.team.role() is None
    assert fieldworker.codebook.all() == []


def test_later_team_files_update_the_codebook_only_from_a_known_lead(
    lead: Project, fieldworker: Project, tmp_path: Path
) -> None:
    join_team(fieldworker, lead.team.team_file())
    assert fieldworker.team.update(lead.team.team_file()) is None  # nothing new: same version
    lead.codebook.add("Waiting lists", origin="emergent")
    lead.codebook.add("Emergent themes/Ailsa/Not yet the team's", origin="emergent")
    update = fieldworker.team.update(lead.team.team_file())
    assert update is not None and update.version == 2 and update.added == ["Waiting lists"]
    assert fieldworker.codebook.find("Waiting lists").uuid == lead.codebook.find("Waiting lists").uuid
    assert not any(c.path.startswith("Emergent themes") for c in fieldworker.codebook.all())
    impostor, _ = make_project(tmp_path / "impostor", coder="Lead analyst")
    with impostor:
        impostor.team.create("JSW study team")
        impostor.codebook.add("Something else")
        with pytest.raises(teamfile.TeamFileError, match="not signed by a lead this project knows"):
            fieldworker.team.update(impostor.team.team_file())


def test_export_is_sealed_for_the_lead_and_anonymised(
    lead: Project, fieldworker: Project, tmp_path: Path
) -> None:
    with pytest.raises(NotInTeam):
        export_package(fieldworker, tmp_path / "p.jswpkg")
    join_team(fieldworker, lead.team.team_file())
    fieldworker.codings.add("int_1", 36, 80, "Partnership working/Co-location")
    out = export_package(fieldworker, tmp_path / "p.jswpkg")
    data = out.read_bytes()
    assert b"Morag" not in data and b"rota" not in data  # ciphertext only
    document, header = _open(lead, fieldworker, data)
    assert header["team_uuid"] == lead.team.membership().team_uuid
    assert header["sequence"] == document["sequence"] == 1
    assert header["sender_id"] == fieldworker.coder.uuid
    text = document["transcripts"][0]["text"]  # type: ignore[index]
    assert "[JSW WORKER] says the rota" in text and "Morag" not in text
    assert [c["code_uuid"] for c in document["codings"]] == [  # type: ignore[attr-defined]
        lead.codebook.find("Partnership working/Co-location").uuid
    ]
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_refused_export_writes_nothing_and_keeps_the_sequence(
    lead: Project, fieldworker: Project, tmp_path: Path
) -> None:
    join_team(fieldworker, lead.team.team_file())
    fieldworker.transcripts.import_file(
        write_txt(tmp_path / "in", "int_2.txt", "P1: Call me on 07700 900 086 any time.\n")
    )
    out = tmp_path / "out" / "p.jswpkg"
    out.parent.mkdir()
    with pytest.raises(LeaksFound) as refused:
        export_package(fieldworker, out)
    assert "07700 900 086" in refused.value.remaining
    assert list(out.parent.iterdir()) == []
    assert fieldworker.team.membership().next_sequence == 1
    fieldworker.register.add("07700 900 086", "[PHONE NUMBER]", "PHONE")
    first, _ = _open(lead, fieldworker, export_package(fieldworker, out).read_bytes())
    second, _ = _open(lead, fieldworker, export_package(fieldworker, out).read_bytes())
    assert (first["sequence"], second["sequence"]) == (1, 2)
    assert fieldworker.team.next_sequence() == 3


def test_sync_writes_the_request_then_only_what_is_new(
    lead: Project, fieldworker: Project, tmp_path: Path
) -> None:
    exchange = tmp_path / "stick"
    join_team(fieldworker, lead.team.team_file())
    with pytest.raises(ExchangeFolderMissing, match="is not there: is the USB stick plugged in"):
        sync_fieldworker(fieldworker, exchange)
    exchange.mkdir()
    (exchange / "team.jswteam").write_bytes(lead.team.team_file())
    first = sync_fieldworker(fieldworker, exchange)
    member = fieldworker.coder.uuid
    assert first.request_written == exchange / "members" / f"{member}.json"
    request = read_join_request(first.request_written.read_bytes())
    forged = first.request_written.read_bytes().replace(b'"Ailsa"', b'"Mallory"')
    with pytest.raises(teamfile.JswError, match="changed since it was signed"):
        read_join_request(forged)
    assert (request.member_id, request.name) == (member, "Ailsa")
    assert request.signing_public == fieldworker.team.membership().signing_public
    assert first.codebook is None and first.sequence == 1
    assert first.package == exchange / "packages" / member / "000001.jswpkg"
    _open(lead, fieldworker, first.package.read_bytes())

    before = sorted(p.relative_to(exchange) for p in exchange.rglob("*"))
    again = sync_fieldworker(fieldworker, exchange)
    assert (again.package, again.request_written, again.codebook) == (None, None, None)
    assert sorted(p.relative_to(exchange) for p in exchange.rglob("*")) == before
    assert fieldworker.team.membership().next_sequence == 2

    lead.codebook.add("Waiting lists", origin="emergent")
    (exchange / "team.jswteam").write_bytes(lead.team.team_file())
    third = sync_fieldworker(fieldworker, exchange)
    assert third.codebook is not None and "Waiting lists" in third.codebook.added
    assert third.package == exchange / "packages" / member / "000002.jswpkg"
    document, _ = _open(lead, fieldworker, third.package.read_bytes())
    assert "Waiting lists" in {c["name"] for c in document["codes"]}  # type: ignore[attr-defined]


def test_sync_refuses_a_lead_and_a_forged_request(lead: Project, tmp_path: Path) -> None:
    with pytest.raises(teamfile.JswError, match="lead's project"):
        sync_fieldworker(lead, tmp_path)
    with pytest.raises(teamfile.JswError, match="not a usable join request"):
        read_join_request(b"{}")


def test_the_team_file_is_the_same_bytes_until_the_codebook_changes(tmp_path: Path) -> None:
    lead, _ = make_project(tmp_path / "lead", coder="Lead")
    with lead:
        lead.team.create("JSW team")
        first = lead.team.team_file()
        assert lead.team.team_file() == first
        lead.codebook.add("Emergent themes/Ailsa/New")  # the lead's own folder: not the team's
        assert lead.team.team_file() == first
        lead.codebook.add("New")
        changed = lead.team.team_file()
        assert changed != first and lead.team.team_file() == changed


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_plaintext_exports_follow_the_umask_and_ciphertext_is_readable_by_the_lead(
    lead: Project, fieldworker: Project, tmp_path: Path
) -> None:
    """Issue 14: reports and other plaintext exports were written 0644 whatever the user's umask, by a
    helper meant for ciphertext. Now a report follows the umask (0600 under 077), while a package,
    ciphertext that a lead on a shared folder must read, stays 0644."""
    join_team(fieldworker, lead.team.team_file())
    fieldworker.codings.add("int_1", 36, 80, "Partnership working/Co-location")
    previous = os.umask(0o077)
    try:
        report = write_summary(fieldworker, tmp_path / "summary.csv").path
        package = export_package(fieldworker, tmp_path / "p.jswpkg")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    assert stat.S_IMODE(package.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary left
