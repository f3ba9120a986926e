"""The register review's plain logic: where each candidate occurs, with the words around it, and the
review read from a real encrypted project (lower-case hits of register entries included)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jswcoder.anonymise.candidate_context import (
    CHARS,
    EMPTY,
    SHOWN,
    WORDS,
    Source,
    contexts,
    keyword_in_context,
)
from jswcoder.anonymise.detect import count_occurrences
from jswcoder.cli import main
from jswcoder.model import CATEGORY_NAMES, IDENTIFIER_CATEGORIES, category_name
from jswcoder.project import Project
from jswcoder.services import register as register_service
from tests.conftest import PASSPHRASE, write_txt

# -- keyword in context --------------------------------------------------------------------------------


def test_the_words_either_side_stay_within_the_line_and_are_bounded() -> None:
    long_line = " ".join(f"w{i}" for i in range(40))
    text = f"Interviewer: Who?\nP1: I phoned Morag about it.\n{long_line} Morag {long_line}\n"
    found = contexts(["Morag"], [Source("int_1", text, "u1", "int_1", openable=True)])["Morag"]
    first, second = found.shown
    assert (first.before, first.match, first.after) == ("P1: I phoned", "Morag", "about it.")
    assert second.before.split() == [f"w{i}" for i in range(40 - WORDS, 40)]
    assert second.after.split() == [f"w{i}" for i in range(WORDS)]
    assert (first.start, first.end) == (text.index("Morag"), text.index("Morag") + 5)
    assert first.transcript_uuid == "u1" and found.count == 2 and found.transcripts == ("int_1",)


def test_a_long_word_beside_a_candidate_is_cut_at_a_space_not_shown_whole() -> None:
    text = f"{'x' * 500} {'y' * 30} Morag {'z' * 30} {'q' * 500}"
    (shown,) = contexts(["Morag"], [Source("t", text)])["Morag"].shown
    assert len(shown.before) <= CHARS and len(shown.after) <= CHARS
    assert "x" not in shown.before and "q" not in shown.after  # no half word from the far side


def test_one_keyword_in_context_for_the_review_and_the_search() -> None:
    """The review's context (six words a side, within the line) and the search's (sixty characters a
    side, across line ends) are one helper's; joined, the three parts read as the text does."""
    text = "Interviewer: Who did you phone?\nP1: I phoned Morag about it, and she came round on the Monday with the forms.\n"
    start = text.index("Morag")
    assert keyword_in_context(text, start, start + 5, words=WORDS, within_line=True) == (
        "P1: I phoned ",
        "Morag",
        " about it, and she came round",
    )
    assert keyword_in_context(text, start, start + 5) == (
        "Interviewer: Who did you phone? P1: I phoned ",
        "Morag",
        " about it, and she came round on the Monday with the forms.",
    )
    broken = "We met Grant\n  Maxwell there."
    assert keyword_in_context(broken, 7, 22) == ("We met ", "Grant Maxwell", " there.")


PIECES = st.lists(st.sampled_from(["ab", "cdefgh", "ijklmnopqrstu", " ", "  ", "\n", "\t"]), max_size=60)


@settings(max_examples=300, deadline=None)
@given(PIECES, PIECES, st.integers(1, 70), st.integers(0, 8), st.booleans())
def test_keyword_in_context_shows_the_nearest_whole_words_within_its_bounds(
    left_pieces: list[str], right_pieces: list[str], chars: int, words: int, within_line: bool
) -> None:
    left, right = "".join(left_pieces), "".join(right_pieces)
    text = f"{left}Morag{right}"
    before, match, after = keyword_in_context(
        text, len(left), len(left) + 5, chars=chars, words=words, within_line=within_line
    )
    assert match == "Morag"
    for side in (before, after):
        assert "\n" not in side and "  " not in side and "\t" not in side
        assert len(side.strip()) <= chars and len(side.split()) <= words
    # The nearest words of the text, whole, in order; and within the line when asked.
    near_left = (left.rpartition("\n")[2] if within_line else left).split()
    near_right = (right.partition("\n")[0] if within_line else right).split()
    shown_left, shown_right = before.split(), after.split()
    assert shown_left == near_left[len(near_left) - len(shown_left) :]
    assert shown_right == near_right[: len(shown_right)]
    # Joined, the three read as the text does, runs of whitespace as one space.
    assert f"{before}{match}{after}" in " ".join(text.split())


def test_whole_words_only_and_the_longest_candidate_claims_its_stretch() -> None:
    text = "Grant met Grant Maxwell.\nGrantown is far; a grant came.\nGrant\nMaxwell too."
    found = contexts(["Grant", "Grant Maxwell", "Nobody"], [Source("int_2", text)])
    assert found["Grant"].count == 1 and found["Grant Maxwell"].count == 2  # the second across a line
    assert [o.match for o in found["Grant Maxwell"].shown] == ["Grant Maxwell", "Grant Maxwell"]
    assert found["Nobody"] == EMPTY


def test_notes_and_the_projects_own_texts_are_named_but_only_a_transcript_opens() -> None:
    sources = [
        Source("int_1", "P1: Morag said so.", "u1", "int_1", openable=True),
        Source("int_1 (footnote)", "Morag again.", "u1", "int_1"),
        Source("int_2", "P1: nobody here.", "u2", "int_2", openable=True),
        Source("a memo", "Ask Morag."),
    ]
    found = contexts(["Morag"], sources)["Morag"]
    assert [(o.source, o.transcript_uuid) for o in found.shown] == [
        ("int_1", "u1"),
        ("int_1 (footnote)", None),
        ("a memo", None),
    ]
    assert found.count == 3 and found.transcripts == ("int_1",)


def test_only_the_first_occurrences_are_kept_but_all_are_counted() -> None:
    sources = [Source(f"int_{i}", "P1: Morag, Morag and Morag.", f"u{i}", f"int_{i}") for i in range(30)]
    found = contexts(["Morag"], sources)["Morag"]
    assert len(found.shown) == SHOWN and found.count == 90 and len(found.transcripts) == 30


_WORD = st.sampled_from(["Ailsa", "Mòrag", "Kerr", "grant", "Grant", "team", "O'Neill", "07700", "the"])
_GAP = st.sampled_from([" ", "  ", "\n", ", ", ". ", "-", "_", "'s "])


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(st.tuples(_WORD, _GAP), max_size=60),
    candidates=st.lists(_WORD, min_size=1, max_size=4, unique=True),
)
def test_each_occurrence_is_its_candidate_as_a_whole_word_counted_as_the_detector_counts(
    words: list[tuple[str, str]], candidates: list[str]
) -> None:
    text = "".join(word + gap for word, gap in words)
    found = contexts(candidates, [Source("t", text)])
    expected = count_occurrences(candidates, [text])
    for candidate in candidates:
        assert found[candidate].count == expected.get(candidate, 0)
        for occurrence in found[candidate].shown:
            assert text[occurrence.start : occurrence.end] == candidate
            assert not re.match(r"\w", text[occurrence.end : occurrence.end + 1])
            assert not re.match(r"\w", text[max(0, occurrence.start - 1) : occurrence.start])


# -- the review of a project ------------------------------------------------------------------------------

TEXT = (
    "Interviewer: Who helped?\n"
    "P1: I phoned Morag about the rota, and the case CR-2023-0412-B went to panel.\n"
    "P1: Morag said the team were short again.\n"
)


@pytest.fixture
def with_transcript(project: Project, tmp_path: Path) -> Project:
    project.transcripts.import_file(write_txt(tmp_path / "in", "int_3.txt", TEXT))
    return project


def test_the_review_is_the_suggestions_with_where_each_occurs(with_transcript: Project) -> None:
    review = with_transcript.register.review()
    assert review.candidates == with_transcript.register.suggestions()
    morag = review.contexts["Morag"]
    assert morag.count == 2 and morag.transcripts == ("int_3",)
    assert [(o.before, o.after) for o in morag.shown] == [
        ("P1: I phoned", "about the rota, and the case"),
        ("P1:", "said the team were short again."),
    ]
    transcript = with_transcript.transcripts.find("int_3")
    assert morag.shown[0].transcript_uuid == transcript.uuid


def test_a_lower_case_hit_is_reviewed_with_its_entrys_category_and_where_it_is(
    with_transcript: Project,
) -> None:
    project = with_transcript
    project.register.add("Morag", "[JSW WORKER]", "PERSON")
    project.memos.save("project", None, "Follow up with morag about the rota.")
    review = project.register.review()
    (hit,) = [c for c in review.candidates if c.text == "morag"]
    assert (hit.category, hit.replacement) == ("PERSON", "[JSW WORKER]")
    assert [(o.source, o.before, o.after) for o in review.contexts["morag"].shown] == [
        ("a memo", "Follow up with", "about the rota.")
    ]
    project.register.dismiss(["morag"])
    assert "morag" not in {c.text for c in project.register.review().candidates}


def test_lower_case_hits_are_looked_for_again_only_when_the_texts_or_the_register_change(
    with_transcript: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = with_transcript
    runs: list[int] = []
    real = register_service.spared_in

    def counted(*args: object) -> object:
        runs.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(register_service, "spared_in", counted)
    project.register.add("Morag", "[JSW WORKER]", "PERSON")
    project.memos.save("project", None, "Ask morag.")
    first = project.register.suggestions()
    assert runs == [1] and "morag" in {c.text for c in first}
    assert project.register.suggestions() == first and runs == [1]  # saved
    project.register.dismiss(["CR-2023-0412-B"])
    assert project.register.suggestions() == [c for c in first if c.text != "CR-2023-0412-B"]
    assert runs == [1]  # a dismissal only filters what was saved
    project.register.add("Panel", "[PANEL]", "ORG")
    project.register.suggestions()
    assert runs == [1, 1]  # the register changed
    project.memos.save("project", None, "Ask morag and the panel.")
    assert "panel" in {c.text for c in project.register.suggestions()} and runs == [1, 1, 1]


def test_adding_a_category_at_once_is_all_or_nothing(with_transcript: Project) -> None:
    register = with_transcript.register
    register.add("Morag", "[WORKER]", "PERSON")
    with pytest.raises(Exception, match="already in the register"):
        register.add_all([("CR-2023-0412-B", "[CASE REFERENCE]", "CASE_REF"), ("Morag", "[X]", "PERSON")])
    assert [e.text for e in register.entries()] == ["Morag"]
    added = register.add_all([("CR-2023-0412-B", "[CASE REFERENCE]", "Case reference")])
    assert [(e.text, e.category) for e in added] == [("CR-2023-0412-B", "CASE_REF")]


# -- categories in words -------------------------------------------------------------------------------


def test_every_category_has_a_name_and_a_name_is_accepted_for_its_code(with_transcript: Project) -> None:
    assert tuple(CATEGORY_NAMES) == IDENTIFIER_CATEGORIES
    assert len(set(CATEGORY_NAMES.values())) == len(CATEGORY_NAMES)
    assert category_name("CASE_REF") == "Case reference" and category_name("ORG") == "Organisation"
    entry = with_transcript.register.add("Morag", "[WORKER]", "  case   REFERENCE ")
    assert entry.category == "CASE_REF"
    with pytest.raises(Exception, match="category must be one of"):
        with_transcript.register.add("Tuesday", "[DAY]", "Weekday")


def test_the_command_line_lists_categories_in_words(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JSWCODER_PASSPHRASE", PASSPHRASE)
    folder = str(tmp_path / "p")
    assert main(["--no-keychain", "init", folder, "--name", "Study", "--coder", "Ailsa"]) == 0
    assert main(["--no-keychain", "import", folder, str(write_txt(tmp_path / "in", "int_3.txt", TEXT))]) == 0
    capsys.readouterr()
    assert main(["--no-keychain", "register", folder, "suggest"]) == 0
    suggested = capsys.readouterr().out
    assert re.search(r"^Case reference +CR-2023-0412-B", suggested, re.MULTILINE)
    assert "CASE_REF" not in suggested
    assert (
        main(
            [
                "--no-keychain",
                "register",
                folder,
                "add",
                "CR-2023-0412-B",
                "--as",
                "[REF]",
                "--category",
                "Case reference",
            ]
        )
        == 0
    )
    assert main(["--no-keychain", "register", folder, "list"]) == 0
    assert re.search(r"^Case reference +CR-2023-0412-B +-> +\[REF\]", capsys.readouterr().out, re.MULTILINE)
