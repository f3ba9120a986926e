"""Quotes trimmed to sentence boundaries (jswcoder.reports.quotes), alone and through a real project.

A coder's selection often catches the last words of the sentence before it, or the first of the one
after. The report drops such a stray fragment (a few words) when a sentence remains, and keeps any
longer start or end the coder chose, marking where the quote begins or ends inside a sentence with
"…" as the seed reports do ("…there are issues if we share with Children and Families").
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
from hypothesis import given
from hypothesis import strategies as st

from jswcoder.project import Project
from jswcoder.reports import ReportOptions, write_report
from jswcoder.reports.privacy import ExportText
from jswcoder.reports.quotes import ELLIPSIS, STRAY_WORDS, to_sentences
from tests.conftest import write_txt

TURN = (
    "Interviewer: And the office?\n"
    "P1: It was fine for the rota. We share it with the police now, since March, and Mr. Reid runs it. "
    "Honestly it works. I don't know, maybe it's the people.\n"
)


def shown(text: str, phrase: str) -> str:
    start = text.index(phrase)
    return to_sentences(text, start, start + len(phrase)).shown(text)


def test_a_whole_sentence_is_shown_as_it_is() -> None:
    assert shown(TURN, "Honestly it works.") == "Honestly it works."
    # Coded without its full stop: the stop is taken in, no words are.
    assert shown(TURN, "Honestly it works") == "Honestly it works."
    # A turn's first words, after the speaker's label, start a sentence.
    assert shown(TURN, "It was fine for the rota.") == "It was fine for the rota."


def test_a_stray_fragment_at_either_end_is_dropped() -> None:
    assert shown(TURN, "the rota. We share it with the police now, since March, and Mr. Reid runs it.") == (
        "We share it with the police now, since March, and Mr. Reid runs it."
    )  # "Mr." does not end a sentence
    assert shown(TURN, "Honestly it works. I don't know") == "Honestly it works."
    assert shown(
        TURN, "rota. We share it with the police now, since March, and Mr. Reid runs it. Honestly"
    ) == ("We share it with the police now, since March, and Mr. Reid runs it.")


def test_a_passage_inside_one_sentence_is_marked_where_it_is_cut() -> None:
    assert shown(TURN, "we share it with the police now".capitalize()) == "We share it with the police now…"
    assert shown(TURN, "with the police now, since March,") == "…with the police now, since March…"
    assert shown(TURN, "maybe it's the people.") == "…maybe it's the people."


def test_a_longer_start_the_coder_chose_is_kept_and_marked() -> None:
    # Nine words before the sentence boundary: more than a stray fragment, so they stay.
    phrase = "police now, since March, and Mr. Reid runs it. Honestly it works."
    assert shown(TURN, phrase) == f"{ELLIPSIS}{phrase}"
    # Two words before a one-word sentence: the fragment is not shorter than what would remain.
    text = "She said the rota was fine. Yes. Then we left.\n"
    assert shown(text, "was fine. Yes.") == "…was fine. Yes."


def test_lower_case_after_a_full_stop_and_a_trailing_off_do_not_end_a_sentence() -> None:
    text = "P1: We had training, e.g. the risk course. It was long... and then nothing.\n"
    # Were "e.g." a sentence's end, "training, e.g." would be a stray fragment and dropped.
    assert shown(text, "training, e.g. the risk course. It was long") == "…training, e.g. the risk course."
    assert shown(text, "the risk course. It was long") == "It was long…"  # not longer than the rest
    assert shown(text, "It was long... and then nothing.") == "It was long... and then nothing."


def words(text: str) -> int:
    return sum(1 for token in text.split() if re.search(r"\w", token))


letters = st.text(alphabet="abcdefgh", min_size=1, max_size=6)
pieces = st.lists(
    st.one_of(letters, st.sampled_from([". ", "? ", "! ", ", ", " ", "\n", "P1: ", "... ", "Mr. ", "A"])),
    min_size=1,
    max_size=40,
)


@given(pieces, st.data())
def test_a_trimmed_quote_lies_inside_the_passage_and_loses_at_most_stray_words(
    parts: list[str], data: st.DataObject
) -> None:
    text = " ".join(parts)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    trimmed = to_sentences(text, start, end)
    passage = text[start:end]
    # Only punctuation is ever taken in beyond the passage (its full stop); never a word.
    assert start <= trimmed.start <= trimmed.end
    assert re.search(r"\w", text[end : max(end, trimmed.end)]) is None
    kept = text[trimmed.start : trimmed.end]
    dropped = words(passage) - words(text[trimmed.start : min(end, trimmed.end)])
    assert 0 <= dropped <= 2 * STRAY_WORDS
    if re.search(r"\w", passage):
        assert re.search(r"\w", kept)  # never trimmed to nothing
    result = trimmed.shown(text)
    assert result.removeprefix(ELLIPSIS).removesuffix(ELLIPSIS) == kept
    assert (
        result.startswith(ELLIPSIS) == trimmed.cut_before and result.endswith(ELLIPSIS) == trimmed.cut_after
    )


# -- through a real project -----------------------------------------------------------------------------


def test_report_quotes_are_trimmed_in_the_anonymised_text(project: Project, tmp_path: Path) -> None:
    text = "P1: I called the office. Then we drove out with Morag and it took all day.\n"
    transcript = project.transcripts.import_file(write_txt(tmp_path / "in", "c.txt", text))[0]
    project.register.add("Morag", "[WORKER. NHS]", "PERSON")  # a descriptor with ". " inside
    project.codebook.add("Support")
    for phrase in ("office. Then we drove out", "with Morag and it took all day"):
        start = text.index(phrase)
        project.codings.add(transcript.uuid, start, start + len(phrase), "Support")
    project.register.dismiss([c.text for c in project.register.suggestions()])
    write_report(project, tmp_path / "r.docx")
    quotes = [p.text for p in docx.Document(str(tmp_path / "r.docx")).paragraphs if p.style.name == "Quote"]
    # "office." is a stray fragment; "[WORKER. NHS]" is one descriptor, not two sentences, so "with
    # [WORKER." is not a fragment to drop.
    assert quotes == ["Then we drove out…", "…with [WORKER. NHS] and it took all day."]
    write_report(project, tmp_path / "whole.docx", options=ReportOptions(trimmed=False))
    quotes = [
        p.text for p in docx.Document(str(tmp_path / "whole.docx")).paragraphs if p.style.name == "Quote"
    ]
    assert quotes == ["office. Then we drove out", "with [WORKER. NHS] and it took all day"]


def test_a_marked_quote_is_recorded_with_its_descriptors_where_they_stand(
    project: Project, tmp_path: Path
) -> None:
    """The leak check excuses a hit only inside a descriptor inserted into that string: the quote with
    its "…" is the string the egress made, so only the descriptor it put in is excused, not a
    "[NAME]" the participant's own words happen to hold."""
    text = "P1: Then Morag said [NAME] was on the form, twice.\n"
    transcript = project.transcripts.import_file(write_txt(tmp_path / "in", "c.txt", text))[0]
    project.register.add("Morag", "[NAME]", "PERSON")
    project.codebook.add("Forms")
    start = text.index("Morag")
    coding, _ = project.codings.add(transcript.uuid, start, text.index(", twice"), "Forms")
    exported = ExportText(project)
    quote = exported.quote(coding, to_sentence_boundaries=True)
    assert quote == "…[NAME] said [NAME] was on the form…"
    assert exported.egress.inserted.spans_in(quote) == [(1, 7)]  # the first only: the second was typed
