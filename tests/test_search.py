"""Full-text search through the service API, on real encrypted projects."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jswcoder.errors import InvalidInput, JswError
from jswcoder.project import Project
from jswcoder.services.search import SearchHit, fold_bytes, fold_text, occurrences, parse
from jswcoder.store import schema
from tests.conftest import PASSPHRASE, make_project, write_txt

FIRST = (
    "Interviewer: Did Ùna get the court\norder in the end?\n"
    "P1: Aye. The court  order came through. Rosemary said the Rose Street office was shut.\n"
    "P1: It was ring-fenced money, the child’s plan, rose_garden project.\n"
)
_WORD = re.compile(r"[^\W_]+")
SECOND = "😀😀 P2: Una and ÙNA both went. The CARE team cared, and the carers too.\n"


@pytest.fixture
def searched(project: Project, tmp_path: Path) -> Project:
    project.transcripts.import_file(write_txt(tmp_path / "inbox", "b_first.txt", FIRST))
    project.transcripts.import_file(write_txt(tmp_path / "inbox", "a_second.txt", SECOND))
    return project


def spans(hits: list[SearchHit]) -> list[tuple[str, int, int]]:
    return [(h.transcript_name, h.start, h.end) for h in hits]


def text_of(project: Project, hit: SearchHit) -> str:
    return project.transcripts.text_of(hit.transcript_uuid)[hit.start : hit.end]


def test_a_phrase_matches_across_line_breaks_and_runs_of_spaces(searched: Project) -> None:
    hits = searched.search.query('"court order"')
    assert [text_of(searched, h) for h in hits] == ["court\norder", "court  order"]
    assert [h.match for h in hits] == ["court order", "court order"]  # one line, for display
    assert "\n" not in "".join(h.before + h.after for h in hits)


def test_accents_and_case_are_ignored_both_ways(searched: Project) -> None:
    hits = searched.search.query("Una")
    assert [text_of(searched, h) for h in hits] == ["Una", "ÙNA", "Ùna"]
    assert [text_of(searched, h) for h in searched.search.query("ùna")] == ["Una", "ÙNA", "Ùna"]


def test_decomposed_accents_are_found_with_exact_offsets(project: Project, tmp_path: Path) -> None:
    text = "P1: the e\u0301cole and the Ecole, not ecoles.\n"
    project.transcripts.import_file(write_txt(tmp_path, "decomposed.txt", text))
    hits = project.search.query("école")
    assert [text_of(project, h) for h in hits] == ["e\u0301cole", "Ecole"]


def test_whole_words_only(searched: Project) -> None:
    hits = searched.search.query("Rose")
    # "Rosemary" is another word; "rose_garden" is two words to the index, as "_" separates.
    assert [text_of(searched, h) for h in hits] == ["Rose", "rose"]
    assert searched.search.query("ros") == []


def test_a_trailing_star_matches_the_start_of_words(searched: Project) -> None:
    hits = searched.search.query("car*")
    assert [text_of(searched, h) for h in hits] == ["CARE", "cared", "carers"]
    assert [text_of(searched, h) for h in searched.search.query('"the car"*')] == ["The CARE", "the carers"]


def test_several_terms_must_all_occur_and_every_occurrence_is_listed(searched: Project) -> None:
    hits = searched.search.query('una "court order"')
    assert spans(hits) == sorted(spans(hits))
    assert [(h.transcript_name, text_of(searched, h)) for h in hits] == [
        ("b_first", "Ùna"),
        ("b_first", "court\norder"),
        ("b_first", "court  order"),
    ]
    assert {h.transcript_name for h in searched.search.query("una carers")} == {"a_second"}
    assert {h.transcript_name for h in searched.search.query("una rosemary")} == {"b_first"}


def test_punctuated_words_are_searched_as_a_phrase(searched: Project) -> None:
    assert [text_of(searched, h) for h in searched.search.query("ring-fenced")] == ["ring-fenced"]
    # A straight apostrophe finds the typographic one.
    assert [text_of(searched, h) for h in searched.search.query("child's")] == ["child’s"]


def test_hits_are_in_transcript_name_order_then_offset(searched: Project) -> None:
    hits = searched.search.query("the")
    names = [h.transcript_name for h in hits]
    assert names == sorted(names) and names[0] == "a_second" and names[-1] == "b_first"
    for name in ("a_second", "b_first"):
        starts = [h.start for h in hits if h.transcript_name == name]
        assert starts == sorted(starts) and len(starts) == len(set(starts))
    assert len(searched.search.query("the", limit=2)) == 2


def test_offsets_are_code_points_after_emoji(searched: Project) -> None:
    hits = [h for h in searched.search.query("una") if h.transcript_name == "a_second"]
    assert (SECOND.index("Una"), SECOND.index("ÙNA")) == (7, 15)  # two emoji: 4 UTF-16 units
    assert [(h.start, h.end) for h in hits] == [(7, 10), (15, 18)]
    assert hits[0].before == "😀😀 P2: " and hits[0].match == "Una"


def test_context_is_about_sixty_characters_cut_at_spaces(project: Project, tmp_path: Path) -> None:
    words = " ".join(f"word{i}" for i in range(100))
    text = f"{words} needle {words}\n"
    project.transcripts.import_file(write_txt(tmp_path, "long.txt", text))
    [hit] = project.search.query("needle")
    assert 40 <= len(hit.before) <= 61 and 40 <= len(hit.after) <= 61
    assert hit.before.startswith("word") and hit.before.endswith(" ")
    assert hit.after.startswith(" ") and hit.after.rstrip()[-1].isdigit()
    assert text[hit.start - len(hit.before) : hit.end + len(hit.after)] == hit.before + hit.match + hit.after


def test_context_holds_as_many_whole_words_as_fit(project: Project, tmp_path: Path) -> None:
    """Twelve four-letter words and their spaces fill sixty characters exactly: all twelve are shown,
    none of them dropped for lying at the edge, and a run of blanks counts as one space."""
    text = "abcd " * 30 + "needle" + " efgh" * 30 + "\n"
    project.transcripts.import_file(write_txt(tmp_path, "edge.txt", text))
    [hit] = project.search.query("needle")
    assert (hit.before, hit.after) == ("abcd " * 12, " efgh" * 12)
    spaced = "P1:" + "    abcd" * 11 + "    needle\n"
    project.transcripts.import_file(write_txt(tmp_path, "spaced.txt", spaced))
    [hit] = [h for h in project.search.query("needle") if h.transcript_name == "spaced"]
    assert hit.before == "P1:" + " abcd" * 11 + " "


@pytest.mark.parametrize("query", ['"', "*", "", "   ", "()", '""*', "-", "“”"])
def test_queries_without_words_are_refused_plainly(searched: Project, query: str) -> None:
    with pytest.raises(InvalidInput, match="type a word"):
        searched.search.query(query)


@pytest.mark.parametrize(
    "query",
    [
        "AND (",
        "NEAR/2",
        "court NEAR/2 order",
        'court" OR "order',
        "col:court",
        "^court",
        "court)",
        "NOT",
        "'",
    ],
)
def test_fts_syntax_in_the_query_is_only_ever_words(searched: Project, query: str) -> None:
    try:
        hits = searched.search.query(query)
    except InvalidInput:
        return
    asked = set(_WORD.findall(fold_text(query)))
    for hit in hits:  # whatever is found is made of the query's own words, and nothing is an SQL error
        assert set(_WORD.findall(fold_text(text_of(searched, hit)))) <= asked


def test_and_is_a_word_not_an_operator(searched: Project) -> None:
    assert [text_of(searched, h) for h in searched.search.query("AND (")] == ["and", "and"]


def test_overlong_and_overfull_queries_are_refused(searched: Project) -> None:
    with pytest.raises(InvalidInput, match="at most 500 characters"):
        searched.search.query("court " * 2000)
    with pytest.raises(InvalidInput, match="at most 16"):
        searched.search.query(" ".join(f"w{i}" for i in range(17)))
    with pytest.raises(InvalidInput):
        searched.search.query("court", limit=0)


def test_an_empty_project_finds_nothing(project: Project) -> None:
    assert project.search.query("court") == []


def test_letters_outside_ascii_take_the_general_path(project: Project, tmp_path: Path) -> None:
    text = "P1: Søren met Straße people; soren is not søren's cousin. Ελένη said Ελενη.\n"
    project.transcripts.import_file(write_txt(tmp_path, "wide.txt", text))
    assert [text_of(project, h) for h in project.search.query("søren")] == ["Søren", "søren"]
    assert [text_of(project, h) for h in project.search.query("STRASSE")] == []  # the index keeps ß
    assert [text_of(project, h) for h in project.search.query("straße")] == ["Straße"]
    assert [text_of(project, h) for h in project.search.query("ελενη")] == ["Ελένη", "Ελενη"]


def test_deleting_a_transcript_removes_it_from_the_index(searched: Project) -> None:
    assert searched.search.query("carers")
    with searched.db.atomic():
        searched.db.execute("DELETE FROM transcripts WHERE name = 'a_second'")
    assert searched.search.query("carers") == []
    assert searched.integrity_problems() == []


def test_the_migration_indexes_transcripts_of_an_older_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A project made before search existed (schema 1) is indexed when it is next opened."""
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 1)
    old, _ = make_project(tmp_path / "old")
    old.transcripts.import_file(write_txt(tmp_path / "inbox", "b_first.txt", FIRST))
    tables = {row[0] for row in old.db.execute("SELECT name FROM sqlite_master").fetchall()}
    assert "transcript_search" not in tables and schema.version(old.db) == 1
    old.close()
    monkeypatch.undo()

    with Project.open(tmp_path / "old", passphrase=PASSPHRASE) as reopened:
        assert schema.version(reopened.db) == schema.SCHEMA_VERSION >= 2
        assert [text_of(reopened, h) for h in reopened.search.query('"court order"')] == [
            "court\norder",
            "court  order",
        ]
        reopened.transcripts.import_file(write_txt(tmp_path / "inbox", "a_second.txt", SECOND))
        assert {h.transcript_name for h in reopened.search.query("una")} == {"a_second", "b_first"}
        assert reopened.integrity_problems() == []


def test_the_migration_refuses_to_build_the_index_outside_memory(project: Project) -> None:
    """SQLCipher writes temporary data unencrypted unless it stays in memory."""
    project.db.execute("PRAGMA temp_store = FILE")
    with pytest.raises(JswError, match="temporary data in memory"):
        schema.MIGRATIONS[1].apply(project.db)
    project.db.execute("PRAGMA temp_store = MEMORY")


def test_the_index_is_encrypted_with_the_rest(searched: Project) -> None:
    database = searched.paths.database
    searched.close()
    raw = database.read_bytes() + b"".join(p.read_bytes() for p in database.parent.glob("project.jswc-*"))
    for word in (b"Rosemary", b"carers", b"rosemary", b"court"):
        assert word not in raw


_WORDS = st.text(alphabet="abeÉéüÙø", min_size=1, max_size=4)
_SEPARATORS = st.sampled_from([" ", "\n", " 😀 ", ", ", " – ", "\u00a0", "_"])


@settings(max_examples=80)
@given(words=st.lists(_WORDS, min_size=1, max_size=25), separators=st.data(), query=_WORDS)
def test_hits_are_exactly_the_whole_words_that_fold_alike(
    words: list[str], separators: st.DataObject, query: str
) -> None:
    """Both folds (bytes for ASCII-folding queries, text for "ø") keep offsets and find whole words."""
    text, expected = "", []
    for word in words:
        if fold_text(word) == fold_text(query):
            expected.append((len(text), len(text) + len(word)))
        text += word + separators.draw(_SEPARATORS)
    assert len(fold_bytes(text)) == len(text) == len(fold_text(text))
    assert occurrences(text, parse(query)) == expected
