"""SPSS .sav exports (issue 18): files written with pyreadstat (ReadStat), as the platforms' SPSS exports
are, read by our own reader from memory with their value labels ("Satisfied", not 4), variable labels
as the questions and dates as ISO text, checked against what ReadStat itself reads back: uncompressed,
bytecode-compressed and .zsav files, strings short, long and very long (segmented); nothing written
to disk while reading, and no compiled reader loaded."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

from jswcoder.importing.survey_files import read_survey, read_survey_file
from tests.survey_fixtures import SATISFACTION, SATISFIED, build

REPO = Path(__file__).resolve().parent.parent


def test_an_spss_export_reads_with_its_labels(tmp_path: Path) -> None:
    fixture = build("spss", tmp_path)
    table = read_survey_file(fixture.path)
    assert table.layout == "spss" and table.warnings == ()
    keys = [c.key for c in table.columns]
    assert keys == list(pyreadstat.read_sav(str(fixture.path), metadataonly=True)[1].column_names)
    questions = {c.key: c.question for c in table.columns}
    assert questions["satisfied"] == "How satisfied are you with joint working in your area?"
    assert questions["ResponseId"] == "Response ID"
    column = {key: [row[i] for row in table.rows] for i, key in enumerate(keys)}
    assert column["satisfied"] == ["" if v is None else SATISFACTION[v - 1] for v in SATISFIED]
    assert column["role"][:3] == ["Justice social worker", "Team leader", "Third sector partner"]
    assert column["area"][:2] == ["Fife", "Dundee"]
    assert column["StartDate"][0] == "2026-11-03 09:14:00"
    assert tuple(column["ResponseId"]) == fixture.ids
    for key, answers in fixture.answers.items():
        assert tuple(column[key]) == answers


def test_codes_without_a_label_keep_their_number_and_unlabelled_variables_their_name(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "id": ["a1", "a2", "a3"],
            "agree": [1.0, 9.0, 2.5],
            "visit": [date(2026, 3, 1), date(2026, 3, 2), None],
            "note": ["", "   ", "Went to the group in Leith."],
        }
    )
    path = tmp_path / "coded.sav"
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels={"agree": "Do you agree?"},
        variable_value_labels={"agree": {1.0: "Strongly agree", 2.0: "Agree"}},
    )
    table = read_survey(Path("renamed elsewhere.sav"), path.read_bytes())
    assert [(c.key, c.question) for c in table.columns] == [
        ("id", "id"),
        ("agree", "Do you agree?"),
        ("visit", "visit"),
        ("note", "note"),
    ]
    assert table.rows == (
        ("a1", "Strongly agree", "2026-03-01", ""),
        ("a2", "9", "2026-03-02", ""),
        ("a3", "2.5", "", "Went to the group in Leith."),
    )


def test_a_sav_is_read_from_memory_and_nothing_is_written(tmp_path: Path) -> None:
    """The bytes already read are parsed in memory: no file is opened for writing, and the name the
    bytes came under need not exist at all."""
    fixture = build("spss", tmp_path)
    data = fixture.path.read_bytes()
    opened: list[tuple[object, object]] = []
    watching = [True]

    def hook(event: str, args: tuple[object, ...]) -> None:
        if watching[0] and event == "open":
            opened.append((args[0], args[1] if len(args) > 1 else None))

    sys.addaudithook(hook)
    try:
        table = read_survey(tmp_path / "gone" / "export.sav", data)
    finally:
        watching[0] = False
    assert len(table.rows) == fixture.respondents
    written = [(p, m) for p, m in opened if isinstance(m, str) and any(c in m for c in "wax+")]
    assert written == []
    assert not any(str(tmp_path) in str(p) for p, _ in opened)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spss.sav"]


def test_reading_a_sav_loads_no_compiled_reader(tmp_path: Path) -> None:
    """The app's own reader: pyreadstat (ReadStat, with numpy) is a test tool here, never loaded by the
    app, whose Windows package cannot carry numpy."""
    fixture = build("spss", tmp_path)
    script = (
        "import os, sys\nos.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "import jswcoder.ui.main_window, jswcoder.cli\n"
        "from pathlib import Path\n"
        "from jswcoder.importing.survey_files import read_survey_file\n"
        f"assert len(read_survey_file(Path({str(fixture.path)!r})).rows) == 8\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pyreadstat'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert done.stdout.strip() == "[]"


def _text(value: object) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).rstrip(" ")


@pytest.mark.parametrize("compress", [False, True])
@pytest.mark.parametrize("width", [7, 8, 9, 200, 255, 256, 504, 505, 650, 3000, 40_000])
def test_every_cell_is_what_readstat_reads(tmp_path: Path, compress: bool, width: int) -> None:
    """Our reader against ReadStat on the same file: strings of every width class (a very long answer is
    stored in 255-byte segments), numbers with and without labels, missing values and dates."""
    long = "".join("Morag phoned; café. "[i % 20] for i in range(width))
    frame = pd.DataFrame(
        {
            "id": ["r1", "r2", "r3", "r4"],
            "answer": [long, "", "Short answer.", long[: width // 2]],
            "score": [1.0, 2.0, None, 7.25],
            "seen": [date(2026, 3, 1), None, date(1999, 12, 31), date(2026, 11, 30)],
        }
    )
    path = tmp_path / ("data.zsav" if compress else "data.sav")
    pyreadstat.write_sav(
        frame,
        str(path),
        compress=compress,
        column_labels={"answer": "What helped?", "score": "Score"},
        variable_value_labels={"score": {1.0: "Low", 2.0: "High"}},
    )
    table = read_survey(Path("export.sav"), path.read_bytes())
    read, _meta = pyreadstat.read_sav(str(path), apply_value_formats=True)
    expected = [tuple(_text(value) for value in row) for row in read.itertuples(index=False)]
    assert [tuple(r) for r in table.rows] == expected
    assert [c.question for c in table.columns] == ["id", "What helped?", "Score", "seen"]


@pytest.mark.parametrize("suffix", [".SAV", ".sav"])
def test_the_suffix_is_matched_whatever_its_case(suffix: str, tmp_path: Path) -> None:
    fixture = build("spss", tmp_path)
    renamed = fixture.path.rename(tmp_path / f"export{suffix}")
    assert len(read_survey_file(renamed).rows) == fixture.respondents
