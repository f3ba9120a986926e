"""Export profiles (issue 21): each export read back as its target tool would read it, by the independent
readers of tests/refiqda_targets.py, and through our own import.

The study is the demo (whose codebook repeats "Partnership working" and "Leadership and governance"
under "JSW and the National Care Service") plus what breaks naive readers: a follow-up interview of the
demo's client (one participant, two transcripts) written with CRLF and holding astral emoji and
multi-line passages before and inside coded ones; "Trust" three times, twice under parents both named
"Partnership working" (so "Name (Parent)" is not enough); the focus group's speakers made cases.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from jswcoder import demo
from jswcoder.model import Participant
from jswcoder.project import Project
from jswcoder.refiqda import namespaces
from jswcoder.refiqda.export_project import export_project
from jswcoder.refiqda.import_project import import_qdpx
from jswcoder.refiqda.profiles import PROFILES
from jswcoder.services.transcripts import ParticipantFields
from tests import refiqda_targets as targets
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.indirect_decided import decide_all

FOLLOW_UP = (
    "Interviewer: Thanks for meeting again \U0001f600. How have things been?\r\n"
    "\r\n"
    "P1: Better. My worker, Aileen, still phones on a Friday.\r\n"
    'She said: "We\'ll get there" \U0001f44d\U0001f3fd and I believed her.\r\n'
    "\r\n"
    "P1: Trust took a while \U0001f389 but it's there now.\r\n"
    "P1: The police and my worker share a room in Kilbrannan now;\r\n"
    "I trust them both, and they talk to each other.\r\n"
    "P1: Whatever the National Care Service brings \U0001d518,\r\n"
    "keep the same people. That's trust.\r\n"
    "P1: The council and the health board plan it together now.\r\n"
)
# (phrase in the follow-up, theme path): before and across line ends, around and after the emoji
FOLLOW_UP_CODED = [
    (
        'My worker, Aileen, still phones on a Friday.\nShe said: "We\'ll get there" \U0001f44d\U0001f3fd',
        "Delivering for clients/What works for clients/Keeping the same worker",
    ),
    ("Trust took a while \U0001f389 but it's there now.", "Ethos and approach/Trust"),
    ("share a room in Kilbrannan now;\nI trust them both", "Partnership working/Trust"),
    ("keep the same people. That's trust.", "JSW and the National Care Service/Partnership working/Trust"),
    ("brings \U0001d518,\nkeep the same people", "JSW and the National Care Service/Partnership working"),
    ("The council and the health board plan it together", "Leadership and governance"),
    ("The council and the health board", "JSW and the National Care Service/Leadership and governance"),
]
# What "Name (Parent)" gives the repeats, by hand from the rule (first by depth, then tree order).
RENAMED = {
    "JSW and the National Care Service/Partnership working": "Partnership working (JSW and the National Care Service)",
    "JSW and the National Care Service/Leadership and governance": "Leadership and governance (JSW and the National Care Service)",
    "Partnership working/Trust": "Trust (Partnership working)",
    "JSW and the National Care Service/Partnership working/Trust": "Trust (JSW and the National Care Service › Partnership working)",
}
VARIABLE_NAMES = {
    "participant_group": "Participant group",
    "interview_number": "Interview number",
    "format": "Interview format",
    "mode": "Interview mode",
    "council_area": "Council area",
}
UNIQUE_NAMES = {"atlasti", "qualcoder"}
EVERY = pytest.mark.parametrize("tool", list(PROFILES))


@pytest.fixture
def study(tmp_path: Path) -> Iterator[Project]:
    project = demo.open_or_create(tmp_path / "demo", fresh=True, kdf=FAST_KDF)
    for path in (
        "Ethos and approach/Trust",
        "Partnership working/Trust",
        "JSW and the National Care Service/Partnership working/Trust",
    ):
        project.codebook.add(path)
    source = tmp_path / "in" / "client_follow_up.txt"
    source.parent.mkdir()
    source.write_bytes(FOLLOW_UP.encode("utf-8"))  # CRLF on disk; the project keeps "\n"
    client = next(t for t in project.transcripts.all() if t.name == "demo_04_client_depth")
    follow_up, _ = project.transcripts.import_file(source, ParticipantFields("Client", 4))
    assert follow_up.participant_uuid == client.participant_uuid  # one participant, two transcripts
    text = project.transcripts.text_of(follow_up.uuid)
    for phrase, theme in FOLLOW_UP_CODED:
        start = text.index(phrase)
        project.codings.add(follow_up.uuid, start, start + len(phrase), theme)
    group = next(t for t in project.transcripts.all() if t.name == "demo_01_jsw_workers_group")
    assert len(project.speakers.make_cases(group.uuid)) == 3
    project.register.dismiss([c.text for c in project.register.suggestions()])  # reviewed
    decide_all(project)
    yield project
    project.close()


# -- what the project holds, by hand from its own tables ---------------------------------------------------------


def coded(project: Project) -> list[targets.Coded]:
    return sorted(
        targets.Coded(t.uuid, c.code_uuid, project.transcripts.text_of(t.uuid)[c.start : c.end])
        for t in project.transcripts.all()
        for c in project.codings.of_transcript(t.uuid)
    )


def details(participant: Participant) -> dict[str, str]:
    return {
        VARIABLE_NAMES[attribute]: str(value)
        for attribute in VARIABLE_NAMES
        if (value := getattr(participant, attribute)) not in (None, "")
    }


def participants(project: Project) -> dict[str, tuple[Participant, list[str]]]:
    found: dict[str, tuple[Participant, list[str]]] = {}
    for transcript in project.transcripts.all():
        participant = project.transcripts.participant(transcript)
        assert participant is not None
        found.setdefault(participant.uuid, (participant, []))[1].append(transcript.uuid)
    return found


def repeated_names(project: Project) -> set[str]:
    """The themes whose name an earlier theme (tree order, parents first) already has, exactly."""
    seen: set[str] = set()
    repeats = set()
    for code in project.codebook.all():
        if code.name in seen:
            repeats.add(code.uuid)
        seen.add(code.name)
    return repeats


def words(read: targets.Read) -> list[targets.Coded]:
    """The codings read, their line ends as the project writes them: NVivo keeps CRLF in its text (the same
    words); every other target holds "\\n"."""
    if read.tool != "nvivo":
        return sorted(read.codings)
    return sorted(targets.Coded(c.source, c.theme, c.text.replace("\r\n", "\n")) for c in read.codings)


def export(project: Project, out: Path, tool: str, *, originals: bool = True) -> tuple[str, ...]:
    return export_project(project, out, originals=originals, profile=PROFILES[tool]).warnings


# -- read back as the tool would ------------------------------------------------------------------------------


@EVERY
def test_each_coding_lands_on_its_words_and_its_theme(study: Project, tmp_path: Path, tool: str) -> None:
    export(study, tmp_path / "out.qdpx", tool)
    read = targets.read(tmp_path / "out.qdpx", tool)
    expected = coded(study)
    assert len(expected) >= 40 and len({c.source for c in expected}) == 5
    assert words(read) == expected
    # the awkward ones, spelt out: astral characters and line ends inside and before the passage
    texts = {c.text for c in words(read)}
    assert all(phrase in texts for phrase, _ in FOLLOW_UP_CODED)


@EVERY
def test_each_theme_is_there_once_under_its_parent(study: Project, tmp_path: Path, tool: str) -> None:
    export(study, tmp_path / "out.qdpx", tool)
    read = targets.read(tmp_path / "out.qdpx", tool)
    codes = study.codebook.all()
    assert [(t.guid, t.parent) for t in read.themes] == [(c.uuid, c.parent_uuid) for c in codes]
    by_path = {c.path: c.uuid for c in codes}
    names = {t.guid: t.name for t in read.themes}
    if tool in UNIQUE_NAMES:
        assert len({n.casefold() for n in names.values()}) == len(codes)
        assert {names[by_path[path]] for path in RENAMED} == set(RENAMED.values())
        assert all(names[c.uuid] == c.name for c in codes if c.path not in RENAMED)
    else:
        assert names == {c.uuid: c.name for c in codes}


@EVERY
def test_each_participant_has_its_details_the_tools_way(study: Project, tmp_path: Path, tool: str) -> None:
    export(study, tmp_path / "out.qdpx", tool)
    read = targets.read(tmp_path / "out.qdpx", tool)
    people = participants(study)
    speakers = study.speakers.cases()
    if tool in {"atlasti", "maxqda"}:  # per document: the details of the transcript's participant
        expected = {t: details(p) for p, ts in people.values() for t in ts}
        assert {c.sources[0]: c.details for c in read.cases} == expected
        assert len(read.cases) == len(expected) == 5
        return
    attributed = {str(p.attribution): (details(p), tuple(ts)) for p, ts in people.values()}
    assert len(attributed) == 4 and len(attributed["Client interview 4"][1]) == 2
    read_cases = {c.name: c for c in read.cases}
    for name, (wanted, sources) in attributed.items():
        assert read_cases[name].details == wanted
        assert read_cases[name].sources == (sources if tool != "qualcoder" else ())
    group = study.speakers.case_at(speakers[0].transcript_uuid)
    for speaker in speakers:
        assert speaker.attribution is not None
        case = read_cases[speaker.attribution]
        assert case.details == details(speaker.participant)
        if tool == "qualcoder":  # QualCoder reads no SelectionRef: the passages stay behind (warned)
            assert case.passages == ()
            continue
        text = study.transcripts.text_of(speaker.transcript_uuid)
        theirs = sorted(
            text[c.start : c.end]
            for c in study.codings.of_transcript(speaker.transcript_uuid)
            if group(c.start) == speaker.uuid
        )
        assert theirs and sorted(case.passages) == theirs
    assert len(read.cases) == len(attributed) + len(speakers)


@EVERY
def test_the_file_conforms_and_warns_of_what_the_tool_drops(
    study: Project, tmp_path: Path, tool: str
) -> None:
    warnings = export(study, tmp_path / "out.qdpx", tool)
    with zipfile.ZipFile(tmp_path / "out.qdpx") as archive:
        assert namespaces.problems("project", archive.read("project.qde")) == []
    said = " ".join(warnings)
    assert ("4 themes renamed" in said) == (tool in UNIQUE_NAMES)
    if tool in UNIQUE_NAMES:
        assert all(name in said for name in RENAMED.values())
    assert ("participants as cases" in said) == (tool in {"atlasti", "maxqda"})
    assert ("speakers' cases" in said) == (tool in {"atlasti", "maxqda", "qualcoder"})
    if tool in {"standard", "nvivo"}:
        assert warnings == ()


@EVERY
def test_no_warning_when_the_project_holds_nothing_the_tool_drops(
    project: Project, tmp_path: Path, tool: str
) -> None:
    project.codebook.add("Partnership working/Trust")
    project.codebook.add("Leadership and governance/Trust (Partnership working)")  # distinct names
    assert export(project, tmp_path / "codebook.qdpx", tool) == ()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Interviewer: Hello.\nP1: Morning.\n", "utf-8")
    project.transcripts.import_file(tmp_path / "in" / "a.txt", ParticipantFields("Client", 1))
    decide_all(project)
    warnings = export(project, tmp_path / "one.qdpx", tool)
    assert not any("speakers" in w or "renamed" in w for w in warnings)
    assert bool(warnings) == (
        tool in {"atlasti", "maxqda", "qualcoder"}
    )  # a participant: its case (or its link) is not kept


# -- the problem the profiles solve --------------------------------------------------------------------------------


def test_a_standard_export_loses_the_repeated_themes_codings_in_qualcoder(
    study: Project, tmp_path: Path
) -> None:
    export(study, tmp_path / "standard.qdpx", "standard")
    read = targets.read(tmp_path / "standard.qdpx", "qualcoder")
    repeats = repeated_names(study)
    assert len(repeats) == 4  # Partnership working, Leadership and governance, Trust twice
    lost = sorted((c.source, c.text) for c in read.codings if c.theme is None)
    assert lost and lost == sorted((c.source, c.text) for c in coded(study) if c.theme in repeats)
    assert len(read.codings) == len(coded(study))  # the rest arrive: the loss is the repeated names' alone
    assert {t.guid for t in read.themes} == {c.uuid for c in study.codebook.all()} - repeats
    export(study, tmp_path / "qualcoder.qdpx", "qualcoder")
    assert not [c for c in targets.read(tmp_path / "qualcoder.qdpx", "qualcoder").codings if c.theme is None]


def test_a_standard_export_puts_codings_off_their_words_in_nvivo(study: Project, tmp_path: Path) -> None:
    export(study, tmp_path / "standard.qdpx", "standard")
    read = targets.read(tmp_path / "standard.qdpx", "nvivo")
    right = Counter(coded(study))
    off = [c for c in read.codings if c not in right]
    after_emoji = [p for p, _ in FOLLOW_UP_CODED]
    assert off and all(p not in {c.text for c in read.codings} for p in after_emoji[1:4])


@pytest.mark.parametrize("tool", ["nvivo", "atlasti", "maxqda"])
def test_a_crlf_source_read_as_the_standard_reads_it_is_off(
    study: Project, tmp_path: Path, tool: str
) -> None:
    """The control for the CRLF profiles: their files really hold CRLF, which a reader counting code points of
    the raw text (the standard's) would miscount after the first line end."""
    export(study, tmp_path / "out.qdpx", tool)
    with zipfile.ZipFile(tmp_path / "out.qdpx") as archive:
        data = [archive.read(n) for n in archive.namelist() if n.startswith("sources/")]
    assert all(b"\r\n" in d and not re.search(rb"[^\r]\n", d) for d in data)
    assert all(d.startswith(b"\xef\xbb\xbf") == (tool == "nvivo") for d in data)
    assert sorted(targets.read(tmp_path / "out.qdpx", "standard").codings) != coded(study)


@EVERY
def test_guids_are_upper_case_where_the_tool_wants_them(study: Project, tmp_path: Path, tool: str) -> None:
    """ATLAS.ti and MAXQDA are reported to check GUIDs against an upper-case pattern (Magnolia's writer); the
    others get the project's own (lower-case) UUIDs. Every GUID attribute, the same case throughout."""
    export(study, tmp_path / "out.qdpx", tool)
    with zipfile.ZipFile(tmp_path / "out.qdpx") as archive:
        document = archive.read("project.qde").decode()
    found = re.findall(r'(?:guid|targetGUID|creatingUser|creatingUserGUID)="([^"]+)"', document)
    assert len(found) > 100
    upper = tool in {"atlasti", "maxqda"}
    assert all((g == g.upper()) if upper else (g == g.lower()) for g in found)
    assert {g.lower() for g in found} >= {c.uuid for c in study.codebook.all()}


# -- round trip through our own import -------------------------------------------------------------------------------


@EVERY
def test_our_import_gives_the_project_back(study: Project, tmp_path: Path, tool: str) -> None:
    export(study, tmp_path / "out.qdpx", tool)
    copy, _, report = import_qdpx(
        tmp_path / "out.qdpx", tmp_path / "copy", coder="Bea", passphrase=PASSPHRASE, kdf=FAST_KDF
    )
    with copy:
        assert [(c.uuid, c.parent_uuid, c.name) for c in copy.codebook.all()] == [
            (c.uuid, c.parent_uuid, c.name) for c in study.codebook.all()
        ]  # the GUIDs, and the original names (a unique profile's renames taken back)
        assert coded(copy) == coded(study)
        before, after = participants(study), participants(copy)
        by_transcript = {t: details(p) for p, ts in before.values() for t in ts}
        back = {t: p for p, ts in after.values() for t in ts}
        if tool == "maxqda":
            # MAXQDA keeps variables per document (no cases), so the client's two transcripts
            # come back as two participants, each with the client's details; the interview number, repeated,
            # is kept as an attribute on the second (one participant per interview number here).
            assert len(after) == len(before) + 1
            (second,) = [p for p in back.values() if p.interview_number is None]
            assert second.attributes.get("interview number") == "4"
            back[next(t for t, p in back.items() if p is second)] = replace(
                second, interview_number=4, attributes={}
            )
            assert {t: details(p) for t, p in back.items()} == by_transcript
        else:
            assert {t: details(p) for t, p in back.items()} == by_transcript
            assert {u: sorted(ts) for u, (_, ts) in after.items()} == {
                u: sorted(ts) for u, (_, ts) in before.items()
            }
        # The speakers' cases: back by GUID with their details and their names, except for MAXQDA, which keeps
        # none (warned). Our import makes them cases without a transcript: the speaker's turns are not linked
        # again (it reads no SelectionRef), whatever the profile.
        cases = {c.uuid: c for c in copy.cases.all()}
        for speaker in study.speakers.cases():
            if tool == "maxqda":
                assert speaker.uuid not in cases
                continue
            case = cases[speaker.uuid]
            assert details(case.participant) == details(speaker.participant)
            assert case.participant.attributes.get("case") == speaker.attribution
        assert copy.speakers.cases() == []
    assert report.positions is not None


# -- a fieldworker's export: anonymised, per profile -----------------------------------------------------------------


def _whole_word(needle: str, haystack: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(needle)}(?![\w])", haystack) is not None


@EVERY
def test_a_fieldworkers_export_names_no_one_and_reads_as_the_standard(
    study: Project, tmp_path: Path, tool: str
) -> None:
    entries = [e.text for e in study.register.entries()]
    assert "Aileen" in entries and "Kilbrannan" in entries
    assert export_project(study, tmp_path / "standard.qdpx").anonymised
    export(study, tmp_path / "out.qdpx", tool, originals=False)
    with zipfile.ZipFile(tmp_path / "out.qdpx") as archive:
        members = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    assert [(e, n) for e in entries for n, text in members.items() if _whole_word(e, text)] == []
    standard = targets.read(tmp_path / "standard.qdpx", "standard")
    read = targets.read(tmp_path / "out.qdpx", tool)
    assert words(read) == sorted(standard.codings)
    assert any("[JSW WORKER]" in c.text for c in read.codings)  # the words anonymised, the same way
