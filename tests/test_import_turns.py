"""Speaker turns: on the corpus, on small hand-written transcripts, and as properties."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jswcoder.importing import ImportedDocument, read_document
from jswcoder.importing.turns import Region, TurnStart, build_turns, detect_turns
from jswcoder.model import Turn
from tests.conftest import corpus_files

STAMP = r"(?:[\[(]?\d{1,2}:\d{2}(?::\d{2})?[\])]?\s+)?"


def assert_well_formed(text: str, turns: tuple[Turn, ...]) -> None:
    previous_end = 0
    for turn in turns:
        assert previous_end <= turn.start < turn.end <= len(text)
        previous_end = turn.end
        body = text[turn.start : turn.end]
        assert body == body.strip(), "a turn starts or ends with whitespace"
        line_start = text.rfind("\n", 0, turn.start) + 1
        assert text[line_start : turn.start].strip() == "", "a turn starts mid-line"
        assert re.match(STAMP + re.escape(turn.speaker), body), "a turn does not start with its label"


@pytest.fixture(scope="module")
def corpus_docs(corpus: Path) -> dict[str, ImportedDocument]:
    return {p.name[:2]: read_document(p) for p in corpus_files(corpus)}


@pytest.mark.parametrize(
    ("key", "speakers", "low", "high"),
    [
        ("A1", {"Interviewer", "P1", "P2", "P3", "P4"}, 85, 100),
        ("A2", {"Interviewer", "Respondent"}, 50, 65),
        ("A3", {"Euan", "Kevin", "Lorraine"}, 55, 70),
        ("A4", {"Interviewer", "Jamie", "Tracy", "Stevie", "Paul"}, 65, 80),
        ("A5", {"Interviewer", "Donna"}, 50, 65),
        ("A6", {"Q", "A"}, 40, 50),
    ],
)
def test_corpus_turns(
    corpus_docs: dict[str, ImportedDocument], key: str, speakers: set[str], low: int, high: int
) -> None:
    document = corpus_docs[key]
    assert {t.speaker for t in document.turns} == speakers
    assert low <= len(document.turns) <= high
    assert_well_formed(document.text, document.turns)
    # The metadata lines at the top belong to no turn.
    assert document.turns[0].start > 0


def test_a2_timestamps_become_turn_timestamps(corpus_docs: dict[str, ImportedDocument]) -> None:
    turns = corpus_docs["A2"].turns
    assert all(t.timestamp is not None and re.fullmatch(r"\d\d:\d\d:\d\d", t.timestamp) for t in turns)
    assert turns[0].timestamp == "00:00:04"
    assert [t.timestamp for t in turns] == sorted(t.timestamp or "" for t in turns)


def test_a2_preamble_participant_line_is_not_a_turn(corpus_docs: dict[str, ImportedDocument]) -> None:
    document = corpus_docs["A2"]
    assert "Participant" not in {t.speaker for t in document.turns}
    assert document.text[document.turns[0].start :].startswith("[00:00:04] Interviewer:")


def test_a4_table_rows_are_turns_and_notes_rows_are_not(corpus_docs: dict[str, ImportedDocument]) -> None:
    document = corpus_docs["A4"]
    text = document.text
    assert "\nSpeaker\tUtterance\n" in text
    header_at = text.index("Speaker\tUtterance")
    note_at = text.index("[Ashleigh, unpaid work officer")
    for turn in document.turns:
        assert not turn.start <= header_at < turn.end
        assert not turn.start <= note_at < turn.end
    two_paragraphs = [t for t in document.turns if "\n" in text[t.start : t.end]]
    assert len(two_paragraphs) == 1 and two_paragraphs[0].speaker == "Tracy"
    # The paragraph after the table is nobody's turn.
    after = text.index("Transcript prepared for")
    assert all(t.end <= after for t in document.turns)


def test_a6_turns_span_hard_wrapped_lines(corpus_docs: dict[str, ImportedDocument]) -> None:
    document = corpus_docs["A6"]
    long_turns = [t for t in document.turns if document.text.count("\n", t.start, t.end) >= 3]
    assert len(long_turns) >= 10
    assert all("\n\n" not in document.text[t.start : t.end] for t in document.turns[:-1])


# ---------------------------------------------------------------------------------------------
# Small transcripts


def speakers_of(text: str) -> list[str]:
    return [t.speaker for t in detect_turns(text)]


def test_role_and_repeated_name_labels() -> None:
    text = (
        "Date: Tuesday 9 May\nNote: audio poor\n\n"
        "Interviewer: Hello.\nFiona: Hi.\nBig Tam: Aye.\nInterviewer 2: And?\n"
        "Fiona: Well.\nBig Tam: Naw.\nInterviewer: Thanks.\nDS Kevin O'Neill: Once only.\n"
        "P12: Me.\nR1: Yes.\nINT: Ok.\n"
    )
    # Name labels need two lines; role labels count once (after the preamble).
    assert speakers_of(text) == [
        "Interviewer", "Fiona", "Big Tam", "Interviewer 2", "Fiona", "Big Tam", "Interviewer", "P12",
        "R1", "INT",
    ]  # fmt: skip


def test_continuation_lines_belong_to_the_turn_and_trailing_newlines_do_not() -> None:
    text = "Title\n\nQ: First line\nsecond line\n\nA: Answer\n\n\n"
    turns = detect_turns(text)
    assert [text[t.start : t.end] for t in turns] == ["Q: First line\nsecond line", "A: Answer"]


@pytest.mark.parametrize("stamp", ["[00:12:31]", "(00:12:31)", "00:12:31", "[12:31]"])
def test_time_stamps(stamp: str) -> None:
    text = f"{stamp} Interviewer: Hi.\n{stamp} Respondent: Hello."
    turns = detect_turns(text)
    assert [t.speaker for t in turns] == ["Interviewer", "Respondent"]
    assert {t.timestamp for t in turns} == {stamp.strip("[]()")}
    assert turns[0].start == 0


def test_single_role_label_in_the_preamble_is_metadata() -> None:
    text = "Participant: Grant, manager.\nInterviewer: Hi.\nRespondent: Hello.\nInterviewer: Bye."
    assert speakers_of(text) == ["Interviewer", "Respondent", "Interviewer"]


def test_urls_and_clock_times_are_not_labels() -> None:
    assert speakers_of("http://example.org\nhttp://example.org\nMeet 10:30 today\n") == []


# ---------------------------------------------------------------------------------------------
# Properties

ROLE_LABELS = [
    "Interviewer",
    "Interviewer 2",
    "INT",
    "RESP",
    "Respondent",
    "Participant",
    "Q",
    "A",
    "P1",
    "R2",
]
NAME_LABELS = ["Fiona", "Big Tam", "DS Kevin O'Neill", "Lacey-Mae", "Siobhán"]
STAMPS = [None, "[00:12:31]", "(01:02:03)", "00:00:04", "[12:31]"]
SAFE = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc", "Zl", "Zp"], blacklist_characters=":"),
    max_size=40,
).map(str.strip)
ANYTHING = st.text(max_size=60)


@st.composite
def transcripts(
    draw: st.DrawFn, utterance: st.SearchStrategy[str]
) -> tuple[str, list[tuple[str, str | None]]]:
    labels = draw(st.lists(st.sampled_from(ROLE_LABELS + NAME_LABELS), min_size=1, max_size=8))
    order = draw(st.permutations(labels + labels))  # every label at least twice
    lines, expected = [], []
    for label in order:
        stamp = draw(st.sampled_from(STAMPS))
        said = draw(utterance)
        lines.append(f"{stamp + ' ' if stamp else ''}{label}: {said}")
        if draw(st.booleans()):
            lines.append(draw(utterance))  # a continuation line
        lines.append("" if draw(st.booleans()) else draw(st.sampled_from(["", " ", "\t"])))
        expected.append((label, stamp.strip("[]()") if stamp else None))
    return "\n".join(lines), expected


@given(transcripts(ANYTHING))
def test_turns_are_well_formed_whatever_the_utterances(
    case: tuple[str, list[tuple[str, str | None]]],
) -> None:
    text, _ = case
    turns = detect_turns(text)
    previous_end = 0
    for turn in turns:
        assert previous_end <= turn.start < turn.end <= len(text)
        previous_end = turn.end
        assert turn.start == 0 or text[: turn.start].split("\n")[-1].strip() == ""


@given(transcripts(SAFE))
def test_every_labelled_line_is_found(case: tuple[str, list[tuple[str, str | None]]]) -> None:
    text, expected = case
    turns = detect_turns(text)
    assert [(t.speaker, t.timestamp) for t in turns] == expected
    assert_well_formed(text, turns)


@given(st.text(max_size=300))
def test_arbitrary_text_gives_well_formed_turns(text: str) -> None:
    turns = detect_turns(text)
    previous_end = 0
    for turn in turns:
        assert previous_end <= turn.start < turn.end <= len(text)
        previous_end = turn.end
        assert text[turn.start : turn.end] == text[turn.start : turn.end].strip()


@given(st.data())
def test_build_turns_with_regions_never_overlaps(data: st.DataObject) -> None:
    text = data.draw(st.text(alphabet="ab :\n", min_size=1, max_size=80))
    n = len(text)
    cuts = sorted(data.draw(st.lists(st.integers(0, n), max_size=6, unique=True)))
    regions = [
        Region(a, b, data.draw(st.sampled_from([None, "X"])))
        for a, b in zip(cuts[::2], cuts[1::2], strict=False)
    ]
    starts = [TurnStart(o, "S") for o in data.draw(st.lists(st.integers(-2, n + 2), max_size=8))]
    turns = build_turns(text, starts, regions)
    previous_end = 0
    for turn in turns:
        assert previous_end <= turn.start < turn.end <= n
        previous_end = turn.end
        assert not text[turn.end - 1].isspace()
