"""The anonymised package contents: nothing identifying leaves, codings stay on the same words."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jswcoder.anonymise.matching import find_matches
from jswcoder.anonymise.remap import anonymise
from jswcoder.project import Project
from jswcoder.services.anonymisation import terms_of
from jswcoder.services.egress import LeaksFound
from jswcoder.services.indirect import IndirectCheck, IndirectFound
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.team import envelope
from jswcoder.team.exchange import export_package
from jswcoder.team.package_writer import build_package, checked_package
from tests.conftest import corpus_files, join_team, make_project, write_txt


def _load_key(source: Path) -> list[dict[str, object]]:
    return json.loads(source.with_name(source.stem + ".identifiers.json").read_text(encoding="utf-8"))


def _whole_word(needle: str, haystack: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(needle)}(?![\w])", haystack) is not None


@pytest.mark.parametrize("index", range(6))
def test_corpus_package_holds_no_identifier(index: int, corpus: Path, tmp_path: Path) -> None:
    source = corpus_files(corpus)[index]
    project, _ = make_project(tmp_path / "p")
    with project:
        project.transcripts.import_file(source)
        key = _load_key(source)
        for item in key:
            project.register.add(str(item["text"]), str(item["replacement"]), str(item["category"]))
        name = source.stem
        text = project.transcripts.text(name)
        first = str(key[1]["text"]).split("\n")[0]
        at = text.index(first)
        project.codebook.add("Partnership working/Key local partners")
        project.codings.add(
            name, max(0, at - 40), min(len(text), at + 60), "Partnership working/Key local partners"
        )
        project.codebook.add(
            f"Emergent themes/{first} said it", origin="emergent"
        )  # in-vivo, named from the words
        project.memos.add(f"Ask {first} about the rota.", "transcript", project.transcripts.find(name).uuid)
        project.register.dismiss([c.text for c in project.register.suggestions()])  # the review, done
        document = checked_package(project, sequence=1)
        serialised = json.dumps(document, ensure_ascii=False)
        leaked = [str(i["text"]) for i in key if _whole_word(str(i["text"]), serialised)]
        assert leaked == []
        meta = json.loads(source.with_name(source.stem + ".meta.json").read_text(encoding="utf-8"))
        assert len(document["codings"]) == 1
        assert document["transcripts"][0]["label"].endswith(f"interview {meta['interview_number']}")


TEXT = (
    "Interviewer: Where do you meet?\n"
    "P1: Siobhan Kerr meets me in Oban, at the Oban Sheriff Court, most weeks.\n"
    "P1: Siobhan’s team covers Mull too; Mull is hard to reach in winter.\n"
)
TERMS = [
    ("Siobhan Kerr", "[TEAM LEADER]"),
    ("Siobhan", "[TEAM LEADER]"),
    ("Oban", "[NAME OF TOWN]"),
    ("Oban Sheriff Court", "[NAME OF COURT]"),
    ("Mull", "[NAME OF ISLAND]"),
]
WORD_EDGES = sorted({0, len(TEXT)} | {m.start() for m in re.finditer(r"\b", TEXT)})


@pytest.fixture(scope="module")
def coded_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    folder = tmp_path_factory.mktemp("pkg")
    project, _ = make_project(folder / "p")
    project.transcripts.import_file(write_txt(folder / "in", "int_4.txt", TEXT))
    for text, replacement in TERMS:
        project.register.add(text, replacement, "PERSON")
    project.codebook.add("Theme")
    return project


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(WORD_EDGES), st.sampled_from(WORD_EDGES)), min_size=1, max_size=6))
def test_each_coded_passage_is_the_anonymised_original(
    coded_project: Project, ranges: list[tuple[int, int]]
) -> None:
    project = coded_project
    for coding in project.codings.of_transcript(project.transcripts.find("int_4").uuid):
        project.codings.remove(coding.uuid)
    wanted = {(min(a, b), max(a, b)) for a, b in ranges if a != b}
    for start, end in wanted:
        project.codings.add("int_4", start, end, "Theme")
    document = build_package(project, sequence=1)
    (source,) = document["transcripts"]
    terms = terms_of(project.register.entries())
    matches = find_matches(TEXT, terms)
    by_uuid = {c.uuid: c for c in project.codings.of_transcript(source["uuid"])}
    for coding in document["codings"]:
        original = by_uuid[coding["uuid"]]
        start, end = original.start, original.end
        for m in matches:  # a coding that cuts through a name takes in the whole name
            if m.start < start < m.end:
                start = m.start
            if m.start < end < m.end:
                end = m.end
        piece = TEXT[start:end]
        expected = anonymise(piece, find_matches(piece, terms)).text
        assert source["text"][coding["start"] : coding["end"]] == expected


def test_an_unreviewed_name_refuses_the_export_without_naming_it(project: Project, tmp_path: Path) -> None:
    project.transcripts.import_file(
        write_txt(tmp_path / "in", "int_5.txt", "P1: Morag phoned from Dunoon again.\n")
    )
    project.register.add("Dunoon", "[NAME OF TOWN]", "PLACE")
    with pytest.raises(LeaksFound) as refused:
        checked_package(project, sequence=1)
    assert "Morag" in refused.value.remaining
    assert "Morag" not in str(refused.value) and "1 identifying detail" in str(refused.value)
    project.register.add("Morag", "[JSW WORKER]", "PERSON")
    document = checked_package(project, sequence=1)
    assert document["transcripts"][0]["text"] == "P1: [JSW WORKER] phoned from [NAME OF TOWN] again.\n"


def test_participants_carry_only_their_attribution_unless_opted_in(project: Project, tmp_path: Path) -> None:
    path = write_txt(tmp_path / "in", "int_6.txt", "P1: Fine, thanks.\n")
    project.transcripts.import_file(
        path, ParticipantFields("Client", 6, format="depth", mode="telephone", council_area="Highland")
    )
    plain = build_package(project, sequence=1)
    assert plain["participants"] == [
        {"uuid": plain["participants"][0]["uuid"], "participant_group": "Client", "interview_number": 6}
    ]
    assert plain["transcripts"][0]["label"] == "Client interview 6"
    # One participant: their mode would single them out, so it waits for a decision (issue 16).
    check = IndirectCheck(project.db, project.coder.uuid)
    with pytest.raises(IndirectFound, match="1 ") as refused:
        build_package(project, sequence=2, attributes=["mode"])
    assert "telephone" not in str(refused.value)
    (finding,) = check.findings(["mode"])
    check.dismiss([finding], finding.id)  # to the team's own lead: the mode may go as it is
    opted = build_package(project, sequence=2, attributes=["mode"])
    assert opted["participants"][0]["mode"] == "telephone" and "council_area" not in opted["participants"][0]
    assert "Highland" not in json.dumps(plain) and "Highland" not in json.dumps(opted)


def test_an_opted_in_area_one_participant_shares_goes_out_generalised(
    project: Project, tmp_path: Path
) -> None:
    """Issue 16: a package with --attribute council_area named the only participant from Oban's area."""
    for number, area in enumerate(["Fife", "Fife", "Fife", "Argyll and Bute"], start=1):
        project.transcripts.import_file(
            write_txt(tmp_path / "in", f"int_{number}.txt", f"P1: Interview {number}, all fine.\n"),
            ParticipantFields("Client", number, council_area=area),
        )
    project.register.dismiss([c.text for c in project.register.suggestions()])
    check = IndirectCheck(project.db, project.coder.uuid)
    with pytest.raises(IndirectFound):
        build_package(project, sequence=1, attributes=["council_area"])
    (finding,) = check.findings(["council_area"])
    check.accept([finding], finding.id)
    areas = [
        p["council_area"]
        for p in build_package(project, sequence=1, attributes=["council_area"])["participants"]
    ]
    assert sorted(areas) == ["Fife", "Fife", "Fife", finding.suggestion]
    assert "Argyll" not in json.dumps(areas)


@pytest.mark.parametrize("index", range(6))
def test_exported_package_decrypted_holds_no_identifier(index: int, corpus: Path, tmp_path: Path) -> None:
    source = corpus_files(corpus)[index]
    key = _load_key(source)
    lead, _ = make_project(tmp_path / "lead", coder="Lead")
    fieldworker, _ = make_project(tmp_path / "laptop", coder="Fieldworker")
    with lead, fieldworker:
        lead.team.create("Corpus team")
        join_team(fieldworker, lead.team.team_file())
        fieldworker.transcripts.import_file(source)
        for item in key:
            fieldworker.register.add(str(item["text"]), str(item["replacement"]), str(item["category"]))
        fieldworker.register.dismiss([c.text for c in fieldworker.register.suggestions()])
        package = export_package(fieldworker, tmp_path / "out.jswpkg")
        me = lead.team.membership()
        assert me.encryption_private is not None
        sender = fieldworker.team.membership()
        opened = envelope.open_sealed(
            package.read_bytes(),
            recipient_id=me.member_id,
            recipient_key=me.encryption_private,
            senders={sender.member_id: sender.signing_public},
        )
    payload = opened.payload.decode("utf-8")
    for item in key:  # JSON escapes line breaks: look for both spellings
        for spelling in {str(item["text"]), json.dumps(str(item["text"]))[1:-1]}:
            assert not _whole_word(spelling, payload), item["text"]
    raw = package.read_bytes()
    header = json.dumps(envelope.peek(raw), ensure_ascii=False)  # the part anyone can read
    assert not any(_whole_word(str(item["text"]), header) for item in key)
    # In the ciphertext a short string ("A9") turns up by chance; a long one must not be there at all.
    assert all(str(i["text"]).encode("utf-8") not in raw for i in key if len(str(i["text"])) >= 8)
