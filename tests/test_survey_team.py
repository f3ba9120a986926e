"""Survey answers through the team (issue 18, item 4), with the real team machinery: two fieldworkers import
the same questionnaire export, code it, and sync real encrypted packages through an exchange folder; the
lead merges both without duplicates. The packages hold no planted identifier, respondents arrive as
"Survey respondent N", and a closed answer arrives only where it was opted in. A hostile member's forged
packages are refused in one plain line each, with nothing half-merged."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jswcoder import __version__
from jswcoder.cli import main
from jswcoder.errors import InvalidInput
from jswcoder.importing.survey_files import read_survey
from jswcoder.project import Project
from jswcoder.services.egress import Egress
from jswcoder.services.indirect import IndirectCheck, IndirectFound
from jswcoder.team import envelope, keys
from jswcoder.team.exchange import PACKAGE_SUFFIX, PACKAGES, sync_fieldworker
from jswcoder.team.lead_sync import LeadSyncReport, sync_lead
from jswcoder.team.package_reader import read_document
from jswcoder.team.package_writer import build_package, choose_package_attributes
from jswcoder.ui.sync_report import lead_view
from tests.conftest import PASSPHRASE, make_project, write_txt
from tests.fuzzing import fuzz_settings
from tests.leakscan import found_in, scan
from tests.survey_fixtures import HELPED, NAMES, qualtrics_csv

ROLE = "What is your role?"  # Q1: opted in
AREA = "Which local authority area do you mainly work in?"  # Q2: not
HELPED_THEME, CHANGE_THEME = "Joint working/What helped", "Joint working/What to change"
REGISTER = (
    ("Morag Smith", "[NAME OF WORKER]", "PERSON"),
    ("Fife", "[NAME OF AREA]", "PLACE"),
    ("Dundee", "[NAME OF AREA]", "PLACE"),
    ("jamie.reid@example.org", "[EMAIL ADDRESS]", "EMAIL"),
)


@dataclass
class Team:
    lead: Project
    stick: Path

    def sync(self) -> LeadSyncReport:
        return sync_lead(self.lead, self.stick)

    def opened(self, package: Path) -> bytes:
        """A package in the exchange folder, decrypted as the lead reads it."""
        row = self.lead.team.membership()
        assert row.encryption_private is not None
        senders = {m.member_id: m.signing_public for m in self.lead.team.members()}
        return envelope.open_sealed(
            package.read_bytes(),
            recipient_id=row.member_id,
            recipient_key=row.encryption_private,
            senders=senders,
        ).payload


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Team]:
    lead, _ = make_project(tmp_path / "Lead", coder="Lead")
    lead.codebook.add(HELPED_THEME)
    lead.codebook.add(CHANGE_THEME)
    lead.team.create("JSW team")
    stick = tmp_path / "stick"
    stick.mkdir()
    try:
        yield Team(lead, stick)
    finally:
        lead.close()


def _fieldworker(tmp_path: Path, team: Team, name: str, export: Path, kinds: dict[str, str]) -> Project:
    """A fieldworker who joined the team, imported the export and anonymised it with the study's register."""
    project, _ = make_project(tmp_path / name, coder=name)
    project.team.join(
        team.lead.team.team_file(), fingerprint=keys.fingerprint(team.lead.team.membership().signing_public)
    )
    project.surveys.import_table(export, read_survey(export, export.read_bytes()), kinds, name="Staff survey")
    for text, replacement, category in REGISTER:
        project.register.add(text, replacement, category)
    project.register.dismiss([c.text for c in project.register.suggestions()])
    return project


def _code(project: Project, numbers: tuple[int, ...], question: str, theme: str) -> int:
    """Code the whole answer of these respondents to one question; returns how many codings."""
    survey = project.surveys.find("Staff survey")
    for answer in project.surveys.answers(survey, question):
        if answer.number in numbers:
            project.codings.add(answer.transcript_uuid, answer.start, answer.end, theme)
    return len(numbers)


def _admit(team: Team, *members: Project) -> LeadSyncReport:
    team.sync()  # their join requests
    for member in members:
        team.lead.team.admit(member.coder.name, member.team.fingerprint())
    return team.sync()


def _snapshot(lead: Project) -> tuple[object, ...]:
    surveys = lead.surveys.all()
    return (
        sorted(t.uuid for t in lead.transcripts.all()),
        sorted((c.participant.uuid, c.participant.attribution) for c in lead.cases.all()),
        sorted(c.uuid for t in lead.transcripts.all() for c in lead.codings.of_transcript(t.uuid)),
        [(s.uuid, s.name, [q.key for q in s.questions], s.respondents) for s in surveys],
    )


def test_two_fieldworkers_one_export_merged_at_the_lead(tmp_path: Path, team: Team) -> None:
    fixture = qualtrics_csv(tmp_path / "joint working.csv")
    # Each left out one closed answer when mapping (the survey is the same: same ID and open questions).
    ailsa = _fieldworker(tmp_path, team, "Ailsa", fixture.path, {**fixture.kinds, "Q3": "ignore"})
    hamish = _fieldworker(tmp_path, team, "Hamish", fixture.path, {**fixture.kinds, "Q2": "ignore"})
    coded = {
        "Ailsa": _code(ailsa, (1, 2, 3), "Q4", HELPED_THEME) + _code(ailsa, (1,), "Q5", CHANGE_THEME),
        "Hamish": _code(hamish, (3, 4, 5), "Q4", HELPED_THEME),  # respondent 3 coded by both
    }

    # Ailsa opts the role in: it passes the indirect check first (two third-sector partners, fewer than 3).
    with pytest.raises(IndirectFound) as refused:
        sync_fieldworker(ailsa, team.stick, [ROLE])
    assert "\n" not in str(refused.value) and f'--attribute "{ROLE}"' in str(refused.value)
    check = IndirectCheck(ailsa.db, ailsa.coder.uuid)
    findings = check.findings([ROLE])
    for finding in check.undecided(findings):
        check.dismiss(findings, finding.id)  # the team's own lead: she decides the role may go
    with pytest.raises(InvalidInput, match="attributes that can be included: format, mode, council_area, "):
        choose_package_attributes(ailsa, ["Favourite colour"])
    assert choose_package_attributes(ailsa, ["what is your role?"]) == [ROLE]  # as the app chooses it
    assert sync_fieldworker(ailsa, team.stick).package is not None
    assert sync_fieldworker(hamish, team.stick).package is not None

    report = _admit(team, ailsa, hamish)

    assert sorted(m.member_name for m in report.merged) == ["Ailsa", "Hamish"]
    assert [m.refused for m in report.merged] == [[], []]
    lead = team.lead
    [survey] = lead.surveys.all()
    assert [q.key for q in survey.questions] == ["Q1", "Q2", "Q3", "Q4", "Q5"]  # unioned, once each
    assert survey.respondents == 8
    assert len(lead.transcripts.all()) == 8
    cases = lead.cases.all()
    assert sorted(c.participant.attribution or "" for c in cases) == [
        f"Survey respondent {n}" for n in range(1, 9)
    ]
    # The role arrives (opted in); the area and satisfaction do not.
    assert {tuple(c.participant.attributes) for c in cases} == {(ROLE,)}
    assert {c.participant.attributes[ROLE] for c in cases} == {
        "Justice social worker",
        "Team leader",
        "Third sector partner",
    }

    # Each member's codings present, as theirs; respondent 3 carries both.
    answers = {a.number: a for a in lead.surveys.answers(survey, "Q4")}
    coders = {p.uuid: p.name for p in (ailsa.coder, hamish.coder)}
    by_coder: dict[str, int] = {}
    for answer in answers.values():
        for coding in lead.codings.of_transcript(answer.transcript_uuid):
            by_coder[coders[coding.coder_uuid]] = by_coder.get(coders[coding.coder_uuid], 0) + 1
    assert by_coder == coded
    on_three = {coders[c.coder_uuid] for c in lead.codings.of_transcript(answers[3].transcript_uuid)}
    assert on_three == {"Ailsa", "Hamish"}
    # An answer's span covers exactly the anonymised answer.
    assert answers[1].text == HELPED[0].replace("Morag Smith", "[NAME OF WORKER]").replace(
        "Fife", "[NAME OF AREA]"
    )
    three = lead.codings.of_transcript(answers[3].transcript_uuid)
    assert {(c.start, c.end) for c in three} == {(answers[3].start, answers[3].end)}

    # Syncing again changes nothing: no duplicate anywhere.
    before = _snapshot(lead)
    team.sync()
    assert _snapshot(lead) == before

    # Hamish's next package replaces his own work on the shared document, and leaves Ailsa's.
    hamish_survey = hamish.surveys.find("Staff survey")
    [his_on_three] = [
        c
        for a in hamish.surveys.answers(hamish_survey, "Q4")
        if a.number == 3
        for c in hamish.codings.of_transcript(a.transcript_uuid)
    ]
    hamish.codings.remove(his_on_three.uuid)
    assert sync_fieldworker(hamish, team.stick).package is not None
    [again] = team.sync().merged
    assert (again.member_name, again.removed["codings"], again.refused) == ("Hamish", 1, [])
    on_three = [coders[c.coder_uuid] for c in lead.codings.of_transcript(answers[3].transcript_uuid)]
    assert on_three == ["Ailsa"]

    # The packages as they lie in the exchange folder, and decrypted, hold none of the planted identifiers.
    canaries = [
        *fixture.planted,
        *(f"{first} {last}" for first, last in NAMES),
        *(f"{first.lower()}.{last.lower()}@example.org" for first, last in NAMES),
        *fixture.ids,
        "Angus",
        "Perth and Kinross",
        "81.101.",
    ]
    assert scan([team.stick], canaries) == []
    packages = sorted((team.stick / PACKAGES).glob(f"*/*{PACKAGE_SUFFIX}"))
    assert len(packages) == 3  # Ailsa's, and Hamish's two
    for package in packages:
        payload = team.opened(package)
        assert found_in(payload, canaries) == []
        assert b"[NAME OF WORKER]" in payload and b"[NAME OF AREA]" in payload
        assert json.loads(payload)["version"] == 2  # a lead that cannot read surveys is told to update
    ailsa.close()
    hamish.close()


HEAD = ["ID", "Email", "Role", "What helps you most?"]


def _export(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([HEAD, *rows])
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return path


KINDS = {"ID": "id", "Email": "ignore", "Role": "attribute", "What helps you most?": "open"}
ROWS = {
    "101": ["101", "a@example.org", "Social worker", "Supervision with my team leader."],
    "102": ["102", "b@example.org", "Team leader", "Shared training with the police."],
    "103": ["103", "c@example.org", "Social worker", "Time to build relationships."],
    "104": ["104", "d@example.org", "Team leader", "A shared office with housing."],
    "105": ["105", "e@example.org", "Social worker", "Fewer handovers between teams."],
}


def test_different_texts_clashing_numbers_and_a_withdrawn_respondent(tmp_path: Path, team: Team) -> None:
    ailsa = _fieldworker(
        tmp_path,
        team,
        "Ailsa",
        _export(tmp_path / "a.csv", [ROWS[k] for k in ("101", "102", "103", "105")]),
        KINDS,
    )
    hamish = _fieldworker(
        tmp_path,
        team,
        "Hamish",
        _export(tmp_path / "h.csv", [ROWS[k] for k in ("101", "102", "104", "105")]),
        KINDS,
    )
    hamish.register.add(
        "Supervision", "[SUPPORT]", "OTHER"
    )  # another register: respondent 1 reads differently
    for project in (ailsa, hamish):
        _code(project, (1, 2, 3, 4), "What helps you most?", HELPED_THEME)
    sync_fieldworker(ailsa, team.stick)
    sync_fieldworker(hamish, team.stick)
    team.sync()
    team.lead.team.admit("Ailsa", ailsa.team.fingerprint())
    team.sync()  # Ailsa's package only
    withdrawn = team.lead.withdrawals.find("Survey respondent 4")  # 105, at Ailsa's
    team.lead.withdrawals.withdraw(withdrawn.participant_uuid, "asked by phone")
    team.lead.team.admit("Hamish", hamish.team.fingerprint())

    synced = team.sync()
    [merged] = synced.merged

    assert merged.member_name == "Hamish"
    assert len(merged.refused) == 2 and all("\n" not in r for r in merged.refused)
    assert "Survey respondent 1" in merged.refused[0] and "differs" in merged.refused[0]
    assert "withdrew consent" in merged.refused[1]
    assert merged.notes == [
        "survey respondent 3: that number is another respondent's here (or was, before they withdrew), so "
        "this one is respondent 5"
    ]
    notices = [r.why for r in lead_view(synced).rows if r.kind == "notice" and r.member == "Hamish"]
    assert notices == [
        "Survey respondent 3: that number is another respondent's here (or was, before they withdrew), so "
        "this one is respondent 5."
    ]
    lead = team.lead
    [survey] = lead.surveys.all()
    numbers = {a.text: a.number for a in lead.surveys.answers(survey, "What helps you most?")}
    assert numbers == {
        "Supervision with my team leader.": 1,
        "Shared training with the police.": 2,
        "Time to build relationships.": 3,
        "A shared office with housing.": 5,  # Hamish's respondent 3 (3 is Ailsa's; 4 withdrew)
    }
    # Respondent 2, the same at both, is shared: both coders' codings on it; respondent 1 only Ailsa's.
    by_number = {a.number: a.transcript_uuid for a in lead.surveys.answers(survey, "What helps you most?")}
    coders = {c.uuid: c.name for c in (ailsa.coder, hamish.coder)}
    assert {coders[c.coder_uuid] for c in lead.codings.of_transcript(by_number[2])} == {"Ailsa", "Hamish"}
    assert {coders[c.coder_uuid] for c in lead.codings.of_transcript(by_number[1])} == {"Ailsa"}
    assert {coders[c.coder_uuid] for c in lead.codings.of_transcript(by_number[5])} == {"Hamish"}
    ailsa.close()
    hamish.close()


# -- Mallory: a member whose packages cannot be trusted ----------------------------------------------------


def _forge(team: Team, mallory: Project, document: dict[str, Any], sequence: int) -> Path:
    """Mallory's forged document, sealed and signed with her own keys, put where her packages go."""
    row = mallory.team.membership()
    document = {**document, "sequence": sequence}
    folder = team.stick / PACKAGES / row.member_id
    for old in folder.glob(f"*{PACKAGE_SUFFIX}"):
        old.unlink()
    path = folder / f"{sequence:06d}{PACKAGE_SUFFIX}"
    path.write_bytes(
        envelope.seal(
            json.dumps(document).encode("utf-8"),
            header={
                "team_uuid": row.team_uuid,
                "sequence": sequence,
                "app_version": __version__,
                "created_at": document["created_at"],
            },
            recipients={lead.member_id: lead.encryption_public for lead in mallory.team.leads()},
            sender_id=row.member_id,
            signing_key=row.signing_private,
        )
    )
    return path


def _outside_text(d: dict[str, Any]) -> None:
    d["transcripts"][0]["survey"]["answers"][0]["end"] = len(d["transcripts"][0]["text"]) + 5


def _same_numbers(d: dict[str, Any]) -> None:
    d["transcripts"][1]["survey"]["number"] = d["transcripts"][0]["survey"]["number"]


def _someone_elses_respondents(d: dict[str, Any]) -> None:
    """Another survey claiming the team survey's respondents as its own."""
    other = str(uuid.uuid4())
    d["surveys"].append({**d["surveys"][0], "uuid": other, "name": "Other survey"})
    for source in d["transcripts"]:
        source["survey"]["uuid"] = other


def _huge_question_list(d: dict[str, Any]) -> None:
    d["surveys"][0]["questions"] += [
        {"key": f"X{n}", "question": "Padding", "kind": "attribute", "position": 1} for n in range(2_001)
    ]


@pytest.mark.parametrize(
    ("forge", "reason"),
    [
        (_outside_text, "a survey answer has offsets outside its text"),
        (_same_numbers, "two respondents of a survey share a number"),
        (_someone_elses_respondents, "names as a survey respondent someone who is another case"),
        (_huge_question_list, "a survey has more than 2000 questions"),
    ],
)
def test_mallorys_forged_survey_packages_are_refused_whole(
    tmp_path: Path, team: Team, forge: Any, reason: str
) -> None:
    ailsa = _fieldworker(tmp_path, team, "Ailsa", _export(tmp_path / "a.csv", list(ROWS.values())), KINDS)
    mallory = _fieldworker(tmp_path, team, "Mallory", _export(tmp_path / "m.csv", list(ROWS.values())), KINDS)
    sync_fieldworker(ailsa, team.stick)
    sync_fieldworker(mallory, team.stick)  # her join request, and a genuine package (to be replaced)
    _admit(team, ailsa)
    team.lead.team.admit("Mallory", mallory.team.fingerprint())
    before = _snapshot(team.lead)
    document = json.loads(json.dumps(build_package(mallory, sequence=1)))
    forge(document)
    forged = _forge(team, mallory, document, 1)

    report = team.sync()

    assert report.merged == []
    [(file, why)] = report.refused
    assert file == f"Mallory/{forged.name}" and reason in why and "\n" not in why
    assert _snapshot(team.lead) == before
    ailsa.close()
    mallory.close()


# -- the answers' places, remapped: a property -------------------------------------------------------------

WORDS = ("Morag", "Fife", "Iona MacLeod", "met", "in", "the", "office", "é", "😀", "Fifeshire")
TERMS = (
    ("Morag", "[NAME OF WORKER]", "PERSON"),
    ("Fife", "[NAME OF AREA]", "PLACE"),
    ("Iona MacLeod", "[NAME]", "PERSON"),
)


@fuzz_settings(25)
@given(
    answers=st.lists(
        st.tuples(*[st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join)] * 2),
        min_size=1,
        max_size=3,
    ),
    terms=st.sets(st.sampled_from(TERMS)),
)
def test_each_answer_span_covers_exactly_the_anonymised_answer(
    tmp_path: Path, answers: list[tuple[str, str]], terms: set[tuple[str, str, str]]
) -> None:
    """Whatever the register replaces (longer or shorter, at an answer's edge, beside emoji), each
    answer's span in the package is the anonymised answer, as the reader at the lead checks it."""
    folder = tmp_path / str(uuid.uuid4())
    project, _ = make_project(folder)
    try:
        rows = [[str(n), "Social worker", first, second] for n, (first, second) in enumerate(answers, 1)]
        export = folder.parent / f"{folder.name}.csv"
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows([["ID", "Role", "Q1", "Q2"], *rows])
        export.write_bytes(buffer.getvalue().encode("utf-8"))
        kinds = {"ID": "id", "Role": "attribute", "Q1": "open", "Q2": "open"}
        project.surveys.import_table(export, read_survey(export, export.read_bytes()), kinds, name="S")
        for text, replacement, category in sorted(terms):
            project.register.add(text, replacement, category)
        egress = Egress(project.register)
        survey = project.surveys.find("S")
        expected = {
            (a.transcript_uuid, key): egress.apply(a.text, (a.transcript_uuid,)).text
            for key in ("Q1", "Q2")
            for a in project.surveys.answers(survey, key)
        }

        package = read_document(json.loads(json.dumps(build_package(project, sequence=1))))

        found = {
            (source.uuid, key): source.text[start:end]
            for source in package.transcripts
            if source.survey is not None
            for key, start, end in source.survey.answers
        }
        assert found == expected
    finally:
        project.close()


def test_the_command_line_opts_a_closed_answer_in(
    tmp_path: Path, team: Team, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JSWCODER_PASSPHRASE", PASSPHRASE)
    ailsa = _fieldworker(tmp_path, team, "Ailsa", _export(tmp_path / "a.csv", list(ROWS.values())), KINDS)
    ailsa.close()
    laptop = str(tmp_path / "Ailsa")

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["--no-keychain", *args])
        out, err = capsys.readouterr()
        return code, out, err

    code, _, err = run("sync", laptop, "--folder", str(team.stick), "--attribute", "Favourite colour")
    assert code == 1 and err.strip().count("\n") == 0
    assert "attributes that can be included: format, mode, council_area, Role" in err
    code, _, err = run("sync", laptop, "--folder", str(team.stick), "--attribute", "role")
    assert (
        code == 1 and "jswcoder indirect" in err and "--attribute Role" in err
    )  # two team leaders: fewer than k (3)
    code, out, err = run("indirect", laptop, "--attribute", "Role", "--json")
    assert code == 0, err
    for finding in json.loads(out)["findings"]:
        assert run("indirect", laptop, "--attribute", "Role", "dismiss", finding["id"])[0] == 0
    code, out, err = run("sync", laptop, "--folder", str(team.stick), "--attribute", "role")
    assert code == 0 and "sent package 1" in out, err

    [package] = (team.stick / PACKAGES).glob(f"*/*{PACKAGE_SUFFIX}")
    _admit(team)  # the lead knows her key: the package opens
    document = json.loads(team.opened(package))
    assert sorted(p["attributes"]["Role"] for p in document["participants"]) == [
        "Social worker",
        "Social worker",
        "Social worker",
        "Team leader",
        "Team leader",
    ]


def test_a_package_without_surveys_keeps_the_first_format(tmp_path: Path) -> None:
    """A lead not yet updated still merges a fieldworker's interviews."""
    project, _ = make_project(tmp_path / "laptop")
    try:
        project.transcripts.import_file(write_txt(tmp_path / "in", "int_1.txt", "P1: We share the office.\n"))
        assert build_package(project, sequence=1)["version"] == 1
    finally:
        project.close()


def test_an_outsiders_survey_package_in_a_members_name_is_refused(tmp_path: Path, team: Team) -> None:
    """Mallory, never admitted, reads the team file on the stick and plants a survey package under
    Ailsa's name claiming her respondents' numbers: it is not signed by Ailsa, so nothing of it is read."""
    ailsa = _fieldworker(tmp_path, team, "Ailsa", _export(tmp_path / "a.csv", list(ROWS.values())), KINDS)
    mallory = _fieldworker(tmp_path, team, "Mallory", _export(tmp_path / "m.csv", list(ROWS.values())), KINDS)
    sync_fieldworker(ailsa, team.stick)
    _admit(team, ailsa)
    before = _snapshot(team.lead)
    document = json.loads(json.dumps(build_package(mallory, sequence=2)))
    _same_numbers(document)
    real = ailsa.team.membership()
    planted = team.stick / PACKAGES / real.member_id / f"000002{PACKAGE_SUFFIX}"
    planted.write_bytes(
        envelope.seal(
            json.dumps(document).encode("utf-8"),
            header={
                "team_uuid": real.team_uuid,
                "sequence": 2,
                "app_version": __version__,
                "created_at": "x",
            },
            recipients={lead.member_id: lead.encryption_public for lead in mallory.team.leads()},
            sender_id=real.member_id,  # in Ailsa's name, with Mallory's own key
            signing_key=mallory.team.membership().signing_private,
        )
    )

    report = team.sync()

    assert report.merged == []
    [(file, why)] = report.refused
    assert file.endswith(planted.name) and "signed" in why and "\n" not in why
    assert _snapshot(team.lead) == before
    ailsa.close()
    mallory.close()


def test_the_command_line_can_send_no_attribute_whatever_the_apps_choice(
    tmp_path: Path, team: Team, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JSWCODER_PASSPHRASE", PASSPHRASE)
    ailsa = _fieldworker(tmp_path, team, "Ailsa", _export(tmp_path / "a.csv", list(ROWS.values())), KINDS)
    assert choose_package_attributes(ailsa, ["role"]) == ["Role"]  # chosen in the app once
    ailsa.close()
    capsys.readouterr()
    code = main(
        ["--no-keychain", "sync", str(tmp_path / "Ailsa"), "--folder", str(team.stick), "--no-attributes"]
    )
    out, err = capsys.readouterr()
    assert code == 0 and "sent package 1" in out, err
    [package] = (team.stick / PACKAGES).glob(f"*/*{PACKAGE_SUFFIX}")
    _admit(team)
    document = json.loads(team.opened(package))
    assert document["participants"] and all(
        "Role" not in p.get("attributes", {}) for p in document["participants"]
    )
