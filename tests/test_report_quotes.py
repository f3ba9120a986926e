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
from hypothesis import given, settings
from hypothesis import strategies as st

from jswcoder.importing.turns import build_turns, find_turn_starts
from jswcoder.project import Project
from jswcoder.reports import ReportOptions, write_report
from jswcoder.reports.privacy import ExportText
from jswcoder.reports.quotes import ELLIPSIS, STRAY_WORDS, to_sentences
from jswcoder.services.passage_units import TextUnits, Unit, hard_wrapped
from tests.conftest import corpus_files, write_txt
from tests.indirect_decided import decide_all

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
    decide_all(project)  # a quote with a descriptor narrows to this study's one participant
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


# -- one sentence rule: the report's quotes and the search's sentences agree ---------------------------

STAMPED = (
    "[00:00:04] Interviewer: Right, that's the recording started. Can you hear me okay?\n"
    "[00:00:09] Respondent: Yes, loud and clear. Bit of an echo, but I think that's my end.\n"
)
WRAPPED = (
    "Q: Okay, we're recording. Thanks for making time for this, Niamh. I know May's\n"
    "a busy month with the annual report, so I will keep it short and to the point.\n"
    "\n"
    "A: It's a leadership problem nationally, it's everybody's job, honestly. The\n"
    "national body does its best, but it's small and it's got no levers over the\n"
    "big players, the councils and the health boards. So there we are, that is it.\n"
)


def test_a_time_stamped_turn_starts_a_sentence_after_its_label() -> None:
    assert shown(STAMPED, "Yes, loud and clear.") == "Yes, loud and clear."
    assert shown(STAMPED, "Right, that's the recording started.") == "Right, that's the recording started."
    # The question before is a stray fragment; the label and time stamp are no part of the quote.
    assert shown(STAMPED, "okay?\n[00:00:09] Respondent: Yes, loud and clear.") == "Yes, loud and clear."


def test_the_next_speakers_label_at_a_quotes_end_is_dropped() -> None:
    """A label is no one's words: after a quote's last sentence it goes, however many words it has
    (the old rule kept a label of four words, as more than a stray fragment, and marked it cut)."""
    assert shown(STAMPED, "Can you hear me okay?\n[00:00:09] Respondent") == "Can you hear me okay?"
    text = "P1: I went home.\nMrs Ann Jane Smith: Right.\nP1: Aye.\nMrs Ann Jane Smith: Fine.\n"
    assert shown(text, "I went home.\nMrs Ann Jane Smith") == "I went home."


def test_a_contraction_before_a_full_stop_ends_a_sentence() -> None:
    text = (
        "P1: Some of them do groupwork, some don't. Some of them supervise cases, some aren't. It varies.\n"
    )
    assert shown(text, "Some of them do groupwork, some don't.") == "Some of them do groupwork, some don't."
    assert shown(text, "some don't. Some of them supervise cases, some aren't.") == (
        "Some of them supervise cases, some aren't."
    )
    assert shown(text, "Some of them supervise") == "Some of them supervise…"


def test_a_note_after_a_stop_starts_a_sentence() -> None:
    text = "P2: I was lucky, I'm still in my mum's. [laughs] But I know folk who couldn't.\n"
    assert shown(text, "[laughs] But I know folk who couldn't.") == "[laughs] But I know folk who couldn't."
    assert shown(text, "mum's. [laughs] But I know folk who couldn't.") == (
        "[laughs] But I know folk who couldn't."
    )


def test_a_line_break_in_a_hard_wrapped_text_ends_no_sentence() -> None:
    assert hard_wrapped(WRAPPED)  # its lines break at a width, not where the speaker paused
    sentence = "The\nnational body does its best, but it's small and it's got no levers over the\nbig players"
    assert shown(WRAPPED, sentence) == f"{sentence}…"
    assert shown(WRAPPED, f"{sentence}, the councils and the health boards.") == (
        f"{sentence}, the councils and the health boards."
    )  # "The" is no stray fragment: the sentence starts there
    assert shown(WRAPPED, "national body does its best") == "…national body does its best…"
    assert shown(WRAPPED, "honestly. The\nnational body does its best") == "The\nnational body does its best…"


def test_a_stop_inside_a_descriptor_ends_no_sentence_however_it_is_bracketed() -> None:
    # The register's descriptor "[WORKER]. [NHS]" has balanced brackets, so only the protected span
    # says its stop is no sentence's end: "with [WORKER]." would otherwise be a stray fragment.
    text = "P1: Then we drove out with [WORKER]. [NHS] and it took all day. Long day.\n"
    descriptor = (text.index("[WORKER]"), text.index(" and it took"))
    start, end = text.index("with"), text.index(" Long")
    assert to_sentences(text, start, end, [descriptor]).shown(text) == (
        "…with [WORKER]. [NHS] and it took all day."
    )
    assert to_sentences(text, start, end).shown(text) == "[NHS] and it took all day."


def test_a_descriptor_for_a_speakers_name_is_a_label() -> None:
    text = "[NAME]: I called the office. Then we drove out.\nInterviewer: Right.\n"
    label = (0, len("[NAME]"))
    start = text.index("I called")
    assert to_sentences(text, start, start + len("I called the office."), [label]).shown(text) == (
        "I called the office."
    )


SPOKEN = (
    "risk", "Mr.", "e.g.", "Yes.", "no?", "OK!", "well…", "so...", '"Stop."', "(aside.)", "[laughs]", "1.",
    "J.", "don't.", "mum's.", "Ùna", "court", "order.", "And", "the", "i.e.", "?", "!", ".", "…",
)  # fmt: skip
SPEAKERS = ("", "P1: ", "Interviewer: ", "[00:01:02] Respondent: ", "  A: ")


@st.composite
def spoken(draw: st.DrawFn) -> str:
    """A transcript of speakers' lines (and unlabelled ones), the words drawn from :data:`SPOKEN`."""
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        words = draw(st.lists(st.sampled_from(SPOKEN), max_size=14))
        lines.append(draw(st.sampled_from(SPEAKERS)) + " ".join(words))
    return "\n".join(lines) + draw(st.sampled_from(("", "\n")))


@settings(max_examples=300, deadline=None)
@given(spoken())
def test_every_sentence_the_search_finds_is_quoted_whole(text: str) -> None:
    """Where every speaker's label starts a stored turn, as in a transcript's body, the two agree. (A
    quote is cut from a text whose turns are not stored, so any label at a line's start is taken for
    one; the search, with the stored turns, keeps a header's "Interviewer: Claire." in its sentence.)"""
    turns = build_turns(text, find_turn_starts(text, anchors=(0,)))  # no line is a preamble
    units = TextUnits(text, turns)
    for start, end in units.spans(Unit.SENTENCE):
        assert to_sentences(text, start, end).shown(text) == text[start:end]


def test_every_sentence_the_search_finds_in_the_corpus_is_quoted_whole(
    project: Project, corpus: Path
) -> None:
    """The search's sentences (services.passage_units, with the stored turns) and the report's agree:
    each sentence of the corpus, coded exactly, is quoted as it is, with no "…" and nothing dropped."""
    project.transcripts.import_files(corpus_files(corpus))
    sentences = disagree = 0
    for transcript in project.transcripts.all():
        text = project.transcripts.text_of(transcript.uuid)
        units = TextUnits(text, project.transcripts.turns(transcript.uuid))
        for start, end in units.spans(Unit.SENTENCE):
            sentences += 1
            if to_sentences(text, start, end).shown(text) != text[start:end]:
                disagree += 1
    assert sentences > 1000
    assert disagree == 0


def test_a_report_quotes_a_time_stamped_turn_without_a_stray_mark(
    project: Project, corpus: Path, tmp_path: Path
) -> None:
    transcript = project.transcripts.import_file(corpus / "A2_senior_manager_depth.docx")[0]
    text = project.transcripts.text_of(transcript.uuid)
    project.codebook.add("Contact")
    for phrase in (
        "Right, that's the recording started",  # its full stop just outside
        "okay?\n[00:00:09] Respondent: Yes, loud and clear. Bit",  # strays at both ends
        "That's fine.",  # the first sentence of a time-stamped turn
    ):
        start = text.index(phrase)
        project.codings.add(transcript.uuid, start, start + len(phrase), "Contact")
    project.register.dismiss([c.text for c in project.register.suggestions()])
    write_report(project, tmp_path / "r.docx")
    quotes = [p.text for p in docx.Document(str(tmp_path / "r.docx")).paragraphs if p.style.name == "Quote"]
    assert quotes == ["Right, that's the recording started.", "Yes, loud and clear.", "That's fine."]
