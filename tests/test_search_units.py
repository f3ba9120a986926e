"""Search hits grown to their sentence, paragraph or speaker turn: the plain logic, then a real project."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jswcoder.importing.turns import build_turns, detect_turns, find_turn_starts, match_label
from jswcoder.model import Turn
from jswcoder.project import Project
from jswcoder.services.passage_units import TextUnits, Unit, hard_wrapped, sentences_in, sentences_near
from tests.conftest import corpus_files, write_txt

LEVELS = (Unit.SENTENCE, Unit.PARAGRAPH, Unit.TURN)


def sentences(paragraph: str) -> list[str]:
    return [paragraph[start:end] for start, end in sentences_in(paragraph)]


def grown(text: str, word: str, unit: Unit, nth: int = 0) -> str:
    """The text a hit on the *nth* occurrence of *word* grows to, with the text's own turns."""
    start = [m.start() for m in re.finditer(re.escape(word), text)][nth]
    units = TextUnits(text, detect_turns(text))
    a, b = units.expand(start, start + len(word), unit)
    return text[a:b]


# -- sentences -------------------------------------------------------------------------------------


def test_abbreviations_initials_and_inner_stops_do_not_end_a_sentence() -> None:
    assert sentences("Mr. Brown and Dr. Okafor came. J. Smith did not. We use e.g. Teams. Right.") == [
        "Mr. Brown and Dr. Okafor came.",
        "J. Smith did not.",
        "We use e.g. Teams.",
        "Right.",
    ]


def test_questions_exclamations_and_closing_quotes_end_a_sentence() -> None:
    assert sentences('Was it fair? No! She said "stop." Then he went.') == [
        "Was it fair?",
        "No!",
        'She said "stop."',
        "Then he went.",
    ]


def test_a_lower_case_word_after_the_stop_continues_the_sentence() -> None:
    assert sentences("You know? and then it just stopped. OK.") == [
        "You know? and then it just stopped.",
        "OK.",
    ]


def test_an_ellipsis_is_a_pause_not_an_end() -> None:
    assert sentences("I just… I don't know. It was... It was hard. Really...?  Aye.") == [
        "I just… I don't know.",
        "It was... It was hard.",
        "Really...?",
        "Aye.",
    ]


def test_numbers_and_transcriber_notes_stay_with_their_sentence() -> None:
    assert sentences(
        "1. First the order. [Jo leaves. Recording stops.] Then we start. It was 2.5 hours."
    ) == [
        "1. First the order.",
        "[Jo leaves. Recording stops.]",
        "Then we start.",
        "It was 2.5 hours.",
    ]


# -- turns, labels, paragraphs -----------------------------------------------------------------------

TRANSCRIPT = (
    "Interview 4 | Video call\n"
    "[00:00:04] Interviewer: Right. Can you hear me? Mr. Brown said so.\n"
    "[00:00:09] Respondent: Yes. The risk is real.\n"
    "And the risk is growing. It worries me.\n"
    "[00:00:17] Interviewer: Why?\n"
)


def test_a_sentence_leaves_out_the_speaker_label_and_time_stamp() -> None:
    assert grown(TRANSCRIPT, "Right", Unit.SENTENCE) == "Right."
    assert grown(TRANSCRIPT, "Yes", Unit.SENTENCE) == "Yes."
    assert grown(TRANSCRIPT, "Mr", Unit.SENTENCE) == "Mr. Brown said so."


def test_a_paragraph_is_a_line_and_a_turn_is_all_the_speaker_said() -> None:
    assert grown(TRANSCRIPT, "risk", Unit.SENTENCE, 1) == "And the risk is growing."
    assert grown(TRANSCRIPT, "risk", Unit.PARAGRAPH, 1) == "And the risk is growing. It worries me."
    assert grown(TRANSCRIPT, "risk", Unit.TURN, 1) == (
        "Yes. The risk is real.\nAnd the risk is growing. It worries me."
    )
    assert grown(TRANSCRIPT, "Why", Unit.TURN) == "Why?"


def test_a_hit_in_a_label_takes_the_label_and_what_follows() -> None:
    assert grown(TRANSCRIPT, "Respondent", Unit.SENTENCE) == "Respondent: Yes."
    assert grown(TRANSCRIPT, "Respondent", Unit.TURN).startswith("Respondent: Yes. The risk is real.\n")


def test_text_outside_every_turn_has_its_paragraph_for_a_turn() -> None:
    assert grown(TRANSCRIPT, "Video", Unit.TURN) == "Interview 4 | Video call"
    plain = "No labels here. Just talk.\nAnother line of it.\n"
    assert grown(plain, "Just", Unit.TURN) == "No labels here. Just talk."


def test_a_hard_wrapped_text_has_sentences_across_its_line_breaks() -> None:
    wrapped = (
        "Q: Okay, we're recording. Thanks for making time for this, Niamh. I know May's\n"
        "a busy month with the annual report, so I will keep it short and to the point.\n"
        "\n"
        "A: It is, it's horrendous. [laughs] No, it's fine, I'm glad to do it. I think\n"
        "it's really important that community justice gets looked at properly, so.\n"
        "Another paragraph would follow a blank line, but this is the same one here.\n"
    )
    assert hard_wrapped(wrapped) and not hard_wrapped(TRANSCRIPT)
    assert grown(wrapped, "important", Unit.SENTENCE) == (
        "I think\nit's really important that community justice gets looked at properly, so."
    )
    assert grown(wrapped, "busy", Unit.PARAGRAPH) == (
        "Okay, we're recording. Thanks for making time for this, Niamh. I know May's\n"
        "a busy month with the annual report, so I will keep it short and to the point."
    )


def test_two_hits_in_one_sentence_make_one_range_and_overlaps_join() -> None:
    text = "P1: The risk was the risk of losing the flat. Then nothing. Risk again.\n"
    units = TextUnits(text, detect_turns(text))
    hits = [(m.start(), m.end()) for m in re.finditer("(?i)risk", text)]
    covered = units.cover(hits, Unit.SENTENCE)
    assert [(text[a:b], inside) for a, b, inside in covered] == [
        ("The risk was the risk of losing the flat.", (hits[0], hits[1])),
        ("Risk again.", (hits[2],)),
    ]
    phrase = (text.index("flat. Then"), text.index("flat. Then") + len("flat. Then"))
    covered = units.cover([hits[0], phrase], Unit.SENTENCE)  # a phrase across two sentences
    assert [text[a:b] for a, b, _ in covered] == ["The risk was the risk of losing the flat. Then nothing."]
    assert [text[a:b] for a, b, _ in units.cover([hits[0], hits[0]], Unit.HIT)] == ["risk"]


def test_a_hit_outside_the_text_is_refused() -> None:
    units = TextUnits("P1: short.\n", ())
    with pytest.raises(ValueError, match="inside the text"):
        units.expand(5, 40, Unit.SENTENCE)


def test_speaker_at_follows_the_stored_turns() -> None:
    units = TextUnits(TRANSCRIPT, detect_turns(TRANSCRIPT))
    assert units.speaker_at(TRANSCRIPT.index("growing")) == "Respondent"
    assert units.speaker_at(TRANSCRIPT.index("Video")) is None


# -- sentences in a text without stored turns (a report's quotes) ------------------------------------


def near(text: str, phrase: str, protected: list[tuple[int, int]] | None = None) -> list[str]:
    start = text.index(phrase)
    return [text[a:b] for a, b in sentences_near(text, start, start + len(phrase), protected or ())]


def test_sentences_near_a_passage_leave_out_labels_at_line_starts() -> None:
    assert near(TRANSCRIPT, "Right. Can") == ["Right.", "Can you hear me?"]
    assert near(TRANSCRIPT, "so.\n[00:00:09] Respondent: Yes") == ["Mr. Brown said so.", "Yes."]
    assert near(TRANSCRIPT, "risk is growing") == ["And the risk is growing."]
    assert near(TRANSCRIPT, "Respondent") == []  # a label is in no sentence


def test_sentences_near_a_passage_run_over_a_hard_wrapped_line() -> None:
    wrapped = (
        "Q: Okay, we're recording. Thanks for making time for this, Niamh. I know May's\n"
        "a busy month with the annual report, so I will keep it short and to the point.\n"
        "\n"
        "A: It is, it's horrendous. [laughs] No, it's fine, I'm glad to do it. I think\n"
        "it's really important that community justice gets looked at properly, so.\n"
        "Another paragraph would follow a blank line, but this is the same one here.\n"
    )
    assert near(wrapped, "important") == [
        "I think\nit's really important that community justice gets looked at properly, so."
    ]
    assert near(wrapped, "annual") == [
        "I know May's\na busy month with the annual report, so I will keep it short and to the point."
    ]


def test_a_protected_span_is_read_as_one_word() -> None:
    """The register's descriptors in a quote's text: "[WORKER]. [NHS]" has its brackets balanced, so
    only its protected span keeps its stop from ending a sentence; "[NAME]:" is a speaker's label."""
    text = "[NAME]: We met [WORKER]. [NHS] there. Then we left.\nInterviewer: Right.\n"
    descriptors = [(text.index(d), text.index(d) + len(d)) for d in ("[NAME]", "[WORKER]. [NHS]")]
    assert near(text, "We met", descriptors) == ["We met [WORKER]. [NHS] there."]
    assert near(text, "We met") == ["[NAME]: We met [WORKER]."]
    assert near(text, "there. Then", descriptors) == ["We met [WORKER]. [NHS] there.", "Then we left."]


# -- properties ------------------------------------------------------------------------------------

PIECES = (
    "risk", "Mr.", "e.g.", "Yes.", "no?", "OK!", "well…", "so...", '"Stop."', "(aside.)", "[laughs]", "1.",
    "J.", "😀", "Ùna", "court", "order.", "And", "the", "i.e.", "?", "!", ".", "…",
)  # fmt: skip
LABELS = ("", "", "P1: ", "Interviewer: ", "[00:01:02] Respondent: ", "  A: ", "Note: ")


@st.composite
def transcripts(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        words = draw(st.lists(st.sampled_from(PIECES), max_size=12))
        gaps = draw(
            st.lists(st.sampled_from((" ", " ", "  ", "\t")), min_size=len(words), max_size=len(words))
        )
        lines.append(draw(st.sampled_from(LABELS)) + "".join(w + g for w, g in zip(words, gaps, strict=True)))
    return "\n".join(lines) + draw(st.sampled_from(("", "\n", "\n\n")))


@st.composite
def text_and_hit(draw: st.DrawFn, any_turns: bool) -> tuple[str, list[Turn], int, int]:
    text = draw(transcripts().filter(bool))
    if any_turns:  # stored turns are not trusted: overlapping, out of range, mid-word
        bounds = st.integers(-3, len(text) + 3)
        pairs = draw(st.lists(st.tuples(bounds, bounds), max_size=5))
        turns = [Turn(min(a, b), max(a, b), "P1") for a, b in pairs]
    else:
        turns = list(detect_turns(text))
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, min(len(text), start + 12)))
    return text, turns, start, end


def words_start(text: str, turn: Turn) -> int:
    """Where a detected turn's words begin, after its label, the colon and any blanks."""
    label = match_label(text[turn.start : turn.end])
    assert label is not None
    colon = text.index(":", turn.start + label.label_end) + 1
    return colon + len(text[colon : turn.end]) - len(text[colon : turn.end].lstrip())


def inside(inner: tuple[int, int], outer: tuple[int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


@settings(max_examples=300, deadline=None)
@given(st.booleans().flatmap(text_and_hit))
def test_every_unit_holds_the_hit_and_the_next_unit_up_holds_it(
    case: tuple[str, list[Turn], int, int],
) -> None:
    text, turns, start, end = case
    units = TextUnits(text, turns)
    hit = (start, end)
    assert units.expand(start, end, Unit.HIT) == hit
    ranges = [units.expand(start, end, unit) for unit in LEVELS]
    for found in ranges:
        assert inside(hit, found) and inside(found, (0, len(text)))
        a, b = found
        assert a == start or not text[a].isspace()  # trimmed, unless the hit itself starts so
        assert b == end or not text[b - 1].isspace()
        assert units.expand(a, b, LEVELS[ranges.index(found)]) == found  # a unit grows no further
    sentence, paragraph, turn = ranges
    assert inside(sentence, paragraph) and inside(paragraph, turn)


@settings(max_examples=300, deadline=None)
@given(text_and_hit(any_turns=False))
def test_a_sentence_crosses_no_turn_and_no_paragraph(case: tuple[str, list[Turn], int, int]) -> None:
    text, turns, start, end = case
    units = TextUnits(text, turns)
    (a, b), (c, d) = units.expand(start, end, Unit.SENTENCE), units.expand(start, end, Unit.PARAGRAPH)
    for turn in turns:
        if inside((start, end), (turn.start, turn.end)):
            assert inside((a, b), (turn.start, turn.end)) and inside((c, d), (turn.start, turn.end))
    in_label = any(start < words_start(text, turn) and end > turn.start for turn in turns)
    if "\n" not in text[start:end] and not hard_wrapped(text) and not in_label:
        assert "\n" not in text[a:b] and "\n" not in text[c:d]


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_covering_ranges_are_apart_in_order_and_hold_each_hit_once(data: st.DataObject) -> None:
    text = data.draw(transcripts().filter(lambda t: len(t) > 1))
    units = TextUnits(text, detect_turns(text))
    unit = data.draw(st.sampled_from(Unit))
    starts = data.draw(st.lists(st.integers(0, len(text) - 2), min_size=1, max_size=8))
    hits = [(s, min(len(text), s + data.draw(st.integers(1, 6)))) for s in starts]
    covered = units.cover(hits, unit)
    for (_, end, _), (next_start, _, _) in pairwise(covered):
        assert end <= next_start
    for hit in set(hits):
        holding = [(a, b) for a, b, held in covered if hit in held]
        assert len(holding) == 1 and inside(hit, holding[0])
        assert inside(units.expand(*hit, unit), holding[0])
    assert sum(len(held) for _, _, held in covered) == len(set(hits))


@settings(max_examples=400, deadline=None)
@given(transcripts().map(lambda text: text.replace("Note: ", "")).filter(bool), st.data())
def test_sentences_near_a_passage_are_the_stored_turns_sentences_it_touches(
    text: str, data: st.DataObject
) -> None:
    """Where every label at a line's start starts a stored turn (a transcript's body, not a header's
    "Note:" line, which the stored turns leave in its sentence), a text without its turns has the
    same sentences, however far into a paragraph the passage starts."""
    units = TextUnits(text, build_turns(text, find_turn_starts(text, anchors=(0,))))
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    touched = [(a, b) for a, b in units.spans(Unit.SENTENCE) if b > start and a < end]
    assert sentences_near(text, start, end) == touched


# -- through the project, on the corpus --------------------------------------------------------------


@pytest.fixture
def corpus_project(project: Project, corpus: Path) -> Project:
    project.transcripts.import_files(corpus_files(corpus))
    return project


def test_passages_from_a_docx_with_time_stamps(corpus_project: Project) -> None:
    hits = corpus_project.search.query("squeezed")
    assert [h.transcript_name for h in hits] == ["A2_senior_manager_depth"] * 2
    by = {unit: corpus_project.search.passages(hits, unit) for unit in Unit}
    assert [p.text for p in by[Unit.HIT]] == ["squeezed", "Squeezed"]
    assert [p.text for p in by[Unit.SENTENCE]] == [
        "And honestly, the space is getting squeezed.",
        "Squeezed how?",
    ]
    respondent, interviewer = by[Unit.TURN]
    assert respondent.text.startswith("I'm very clear that we're a social work service.")
    assert respondent.text.endswith("And honestly, the space is getting squeezed.")
    assert (respondent.speaker, interviewer.speaker) == ("Respondent", "Interviewer")
    assert by[Unit.PARAGRAPH] == by[Unit.TURN]  # each of these turns is one paragraph
    text = corpus_project.transcripts.text_of(hits[0].transcript_uuid)
    assert (
        text[respondent.start - len("[00:02:01] Respondent: ") : respondent.start]
        == "[00:02:01] Respondent: "
    )
    for passages in by.values():
        for passage, hit in zip(passages, hits, strict=True):
            assert passage.text == text[passage.start : passage.end]
            (relative,) = passage.hits
            assert (passage.start + relative[0], passage.start + relative[1]) == (hit.start, hit.end)


def test_passages_from_a_speaker_table_leave_out_the_speaker_cell(corpus_project: Project) -> None:
    hits = [h for h in corpus_project.search.query("biscuits") if h.transcript_name.startswith("A4")]
    first, second = corpus_project.search.passages(hits, Unit.TURN)
    assert first.text.startswith("There's biscuits. [laughs] And the voucher")
    assert (second.text, second.speaker) == ("And more biscuits. [laughter]", "Stevie")
    assert [p.text for p in corpus_project.search.passages(hits, Unit.SENTENCE)] == [
        "There's biscuits.",
        "And more biscuits.",
    ]


def test_two_hits_in_one_sentence_are_one_passage(project: Project, tmp_path: Path) -> None:
    text = "Interviewer: And risk?\nP1: The risk was the risk of losing the flat. Then nothing.\n"
    project.transcripts.import_file(write_txt(tmp_path, "risk.txt", text))
    hits = project.search.query("risk")
    assert len(hits) == 3
    passages = project.search.passages(hits, Unit.SENTENCE)
    assert [(p.text, len(p.hits)) for p in passages] == [
        ("And risk?", 1),
        ("The risk was the risk of losing the flat.", 2),
    ]
    assert [p.text[a:b] for p in passages for a, b in p.hits] == ["risk", "risk", "risk"]
