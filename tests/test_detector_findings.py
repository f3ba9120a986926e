"""The detector's findings kept per text: a fresh run's answer whatever was kept, an added transcript
read alone, a text whose answers an added one changes read again, and findings kept through a project."""

from __future__ import annotations

from dataclasses import astuple
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.detection import texts_of, transcripts
from jswcoder.anonymise.detect import detect
from jswcoder.anonymise.text_findings import TextFindings
from jswcoder.ids import text_sha256
from jswcoder.project import Project
from tests.conftest import write_txt

# Texts whose findings lean on one another: a word known as a name elsewhere ("Grant" mid-sentence),
# written in lower case elsewhere ("a grant"), a name in apposition ("Janice, the coordinator") and in
# lower case ("janice"), "the BGH" found then "BGH" alone, an ALL-CAPS heading named elsewhere, a full
# name teaching its first name ("Alison Brodie", then "Alison phoned").
POOL = (
    "Interviewer: Did you speak to Grant about it?\nP1: Grant phoned me the next day.\n",
    "P2: Grant money ran out in March. Grant said so.\n",
    "P3: we applied for a grant through the council in spring.\n",
    "P4: Janice, the coordinator, was off that week.\n",
    "P5: the janice project was the name of the pilot.\n",
    "P6: She was in the BGH for a fortnight.\n",
    "P7: BGH said no. Then Morag came round.\n",
    "MORAG STEWART\nP8: That was Morag Stewart, from the unpaid work team in Dunoon.\n",
    "P9: Alison Brodie called. Alison's been brilliant.\n",
    "P10: Alison phoned about the order, and Brodie's van.\n",
    "P11: Call 07700 900 086 or write to PA23 8QT.\n",
    "P12: Quillan went to HMP Barlinnie in 2019.\n",
)


def _fresh(texts: list[str]) -> list[tuple[object, ...]]:
    return [astuple(c) for c in detect(texts, {}).candidates]


def _kept(saved: dict[str, TextFindings]) -> dict[str, TextFindings]:
    """The findings as a project keeps them: written out and read back."""
    return {key: found for key, value in saved.items() if (found := TextFindings.from_json(value.to_json()))}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(POOL), max_size=8),
    st.lists(st.sampled_from(POOL), max_size=8),
    st.lists(st.sampled_from(POOL), max_size=8),
)
def test_kept_findings_give_the_answer_of_a_fresh_run(
    before: list[str], between: list[str], now: list[str]
) -> None:
    saved = _kept(detect(before, {}).findings)
    saved.update(_kept(detect(between, saved).findings))  # findings remade in a second project state
    found = detect(now, saved)
    assert [astuple(c) for c in found.candidates] == _fresh(now)
    assert set(found.findings) == {text_sha256(t) for t in now}


def test_an_added_text_is_read_alone_unless_it_changes_what_another_rests_on() -> None:
    texts = [POOL[1], POOL[3], POOL[10]]  # 'Grant money' at a sentence start; 'Janice, the coordinator'
    saved = _kept(detect(texts, {}).findings)
    assert "Grant" in {c.text for c in detect(texts, {}).candidates}

    unrelated = detect([*texts, POOL[11]], saved)
    assert unrelated.changed == {text_sha256(POOL[11])}
    assert [astuple(c) for c in unrelated.candidates] == _fresh([*texts, POOL[11]])

    # "a grant" written in lower case: 'Grant' at a sentence start is no longer a name, so that text
    # is read again, and only it and the added one.
    lower_case = detect([*texts, POOL[2]], saved)
    assert lower_case.changed == {text_sha256(POOL[1]), text_sha256(POOL[2])}
    assert "Grant" not in {c.text for c in lower_case.candidates}
    assert [astuple(c) for c in lower_case.candidates] == _fresh([*texts, POOL[2]])


def test_the_corpus_found_from_kept_findings_as_afresh(corpus: Path) -> None:
    texts = [text for path in transcripts(corpus) for text in texts_of(path)]
    half = _kept(detect(texts[::2], {}).findings)
    assert [astuple(c) for c in detect(texts, half).candidates] == _fresh(texts)
    whole = _kept(detect(texts, {}).findings)
    found = detect(texts[1:], whole)
    assert [astuple(c) for c in found.candidates] == _fresh(texts[1:])


def test_a_project_keeps_each_texts_findings_and_only_its_current_texts(
    project: Project, tmp_path: Path
) -> None:
    inbox = tmp_path / "in"
    project.transcripts.import_file(write_txt(inbox, "int_1.txt", POOL[0]))
    project.transcripts.import_file(write_txt(inbox, "int_2.txt", POOL[7]))
    project.register.suggestions()
    rows = dict(project.db.execute("SELECT text_sha256, candidates FROM detector_findings").fetchall())
    assert set(rows) == {text_sha256(POOL[0]), text_sha256(POOL[7])}

    project.transcripts.import_file(write_txt(inbox, "int_3.txt", POOL[11]))
    texts = [project.transcripts.text_of(t.uuid) for t in project.transcripts.all()]
    assert [astuple(c) for c in project.register.suggestions()] == _fresh(texts)
    after = dict(project.db.execute("SELECT text_sha256, candidates FROM detector_findings").fetchall())
    assert {k: after[k] for k in rows} == rows  # the first two were not read again
    assert set(after) == {*rows, text_sha256(POOL[11])}

    project.transcripts.delete("int_2")  # its findings go with it, before any review
    left = dict(project.db.execute("SELECT text_sha256, candidates FROM detector_findings").fetchall())
    assert set(left) == {text_sha256(POOL[0]), text_sha256(POOL[11])}
    assert "Stewart" not in repr(left) and "Dunoon" not in repr(left)
