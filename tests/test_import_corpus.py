"""The importers against the shared synthetic corpus: no word lost, every identifier where the
answer key says, and plausible speaker turns.

The expected words come from a deliberately different, simpler extraction (python-docx's own
paragraph and cell text; plain decoding for .txt), and identifier counts from the README's rules,
implemented here as the test's own oracle.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

import docx
import pytest
from docx.table import Table
from docx.text.paragraph import Paragraph

from jswcoder.importing import ImportedDocument, read_document
from tests.conftest import CORPUS, corpus_files

# ---------------------------------------------------------------------------------------------
# Oracles


def independent_words(path: Path) -> list[str]:
    """Words of the document body, read without the importer's code."""
    if path.suffix == ".txt":
        raw = path.read_bytes().decode("utf-8-sig")
        return raw.split()
    document = docx.Document(str(path))
    pieces: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            pieces.append(item.text)
        elif isinstance(item, Table):
            for row in item.rows:
                pieces.extend(cell.text for cell in row.cells)
    return " ".join(pieces).split()


def without_label_colons(words: Iterable[str]) -> list[str]:
    """The importer writes speaker-table rows as ``Speaker: utterance``; the colon it adds is the
    only difference allowed, so drop trailing colons on both sides before comparing."""
    return [w.rstrip(":") for w in words if w.rstrip(":")]


def count_identifiers(texts: Iterable[str], keys: Iterable[str]) -> dict[str, int]:
    """Occurrences of each key by the corpus README's rules.

    Exact and case-sensitive; no letter, digit or underscore directly before or after a match;
    longer keys claim their stretch of text first, so a shorter key inside a longer one's match is
    not counted again. Each text (body, each note) is searched on its own.
    """
    ordered = sorted(set(keys), key=len, reverse=True)
    counts = dict.fromkeys(ordered, 0)
    for text in texts:
        claimed: list[tuple[int, int]] = []
        for key in ordered:
            pattern = re.compile(rf"(?<!\w){re.escape(key)}(?!\w)")
            for m in pattern.finditer(text):
                if any(m.start() < end and start < m.end() for start, end in claimed):
                    continue
                claimed.append((m.start(), m.end()))
                counts[key] += 1
    return counts


def test_count_identifiers_oracle_follows_the_readme_rules() -> None:
    text = "Oban Sheriff Court sits in Oban. Lorna is not Lorn; Siobhan's desk. grant Grantown Grant"
    counts = count_identifiers([text], ["Oban", "Oban Sheriff Court", "Lorn", "Siobhan", "Grant"])
    assert counts == {"Oban Sheriff Court": 1, "Oban": 1, "Lorn": 1, "Siobhan": 1, "Grant": 1}


# ---------------------------------------------------------------------------------------------
# Fixtures


def _names() -> list[str]:
    return [p.name for p in corpus_files(CORPUS)] if CORPUS.is_dir() else []


@pytest.fixture(scope="module")
def imported(corpus: Path) -> dict[str, ImportedDocument]:
    return {p.name: read_document(p) for p in corpus_files(corpus)}


def test_corpus_has_six_transcripts(corpus: Path) -> None:
    assert len(corpus_files(corpus)) == 6


# ---------------------------------------------------------------------------------------------
# Fidelity


@pytest.mark.parametrize("name", _names())
def test_every_body_word_is_kept_in_order(
    corpus: Path, imported: dict[str, ImportedDocument], name: str
) -> None:
    document = imported[name]
    assert without_label_colons(document.text.split()) == without_label_colons(
        independent_words(corpus / name)
    )


README_WORDS = {"A1": 2605, "A2": 2551, "A3": 2183, "A4": 1804, "A5": 2335, "A6": 1917}


@pytest.mark.parametrize("name", _names())
def test_word_count_matches_the_readme(imported: dict[str, ImportedDocument], name: str) -> None:
    document = imported[name]
    words = len(document.text.split()) + sum(len(n.text.split()) for n in document.notes)
    assert words == README_WORDS[name[:2]]


@pytest.mark.parametrize("name", _names())
def test_identifiers_occur_as_often_as_the_answer_key_says(
    corpus: Path, imported: dict[str, ImportedDocument], name: str
) -> None:
    document = imported[name]
    key = json.loads((corpus / name).with_suffix(".identifiers.json").read_text(encoding="utf-8"))
    expected = {entry["text"]: entry["occurrences"] for entry in key}
    counts = count_identifiers([document.text, *(n.text for n in document.notes)], expected)
    wrong = {k: (counts[k], v) for k, v in expected.items() if counts[k] != v}
    assert wrong == {}, "identifier: (found, answer key)"


@pytest.mark.parametrize("name", _names())
def test_canonical_text_is_exact(imported: dict[str, ImportedDocument], name: str) -> None:
    text = imported[name].text
    assert "\r" not in text
    assert "\ufeff" not in text
    assert imported[name].warnings == ()
    assert imported[name].source_format == Path(name).suffix[1:]


def test_txt_text_is_the_file_with_only_line_ends_changed(
    corpus: Path, imported: dict[str, ImportedDocument]
) -> None:
    path = next(p for p in corpus_files(corpus) if p.suffix == ".txt")
    raw = path.read_bytes().decode("utf-8")
    assert imported[path.name].text == raw.replace("\r\n", "\n")
