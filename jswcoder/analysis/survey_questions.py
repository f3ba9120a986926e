"""Themes by a survey's questions: the crosstab whose columns are the open questions (NVivo's matrix
coding query of themes by a dataset's columns; MAXQDA's "Survey data" overview).

Each respondent's document is split into one row per answer (as a focus group's document is split
per speaker), attributed "Survey respondent 17, Q7" and with the attribute ``question``, and the
crosstab counts those rows by question. So a cell holds the passages of a theme coded in the answers
to a question, and how many respondents have at least one; "cases %" is the share of the respondents
*who answered the question*. The passages behind a cell are the ones :class:`Crosstab` reads for any
cell. Codings that start outside every answer (on the document's title line or a question's heading)
belong to no question and are left out.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import replace

from jswcoder.analysis.crosstab import Crosstab, crosstab_of
from jswcoder.analysis.matrix import Case, build_matrix, split_rows
from jswcoder.project import Project
from jswcoder.services.surveys import Survey
from jswcoder.store import surveys as survey_rows
from jswcoder.store.surveys import AnswerSpan

QUESTION = "question"


def question_label(survey: Survey, key: str) -> str:
    """How a question heads a column: its key where the export has short keys ("Q7"), else its text."""
    question = survey.question(key)
    return question.key if question.key != question.question else question.question


def _answer_at(spans: Sequence[AnswerSpan], case_of: Callable[[str], str]) -> Callable[[int], str | None]:
    starts = [s.start for s in spans]

    def at(offset: int) -> str | None:
        index = bisect_right(starts, offset) - 1
        if index < 0 or offset >= spans[index].end:
            return None
        return case_of(spans[index].question_key)

    return at


def build_question_crosstab(
    project: Project,
    survey_ref: str,
    *,
    level: int | None = None,
    themes: Sequence[str] = (),
    all_coders: bool = False,
) -> Crosstab:
    """Themes at ``level`` (or the ``themes`` named by path) by the open questions of a survey."""
    survey = project.surveys.find(survey_ref)
    base = build_matrix(project, level=level, themes=themes, all_coders=all_coders)
    by_document: dict[str, list[AnswerSpan]] = {}
    for span in survey_rows.spans_of_survey(project.db, survey.uuid):
        by_document.setdefault(span.transcript_uuid, []).append(span)
    labels = {q.key: question_label(survey, q.key) for q in survey.open_questions}
    cases: list[Case] = []
    split: dict[str, Callable[[int], str | None]] = {}
    for case in base.cases:
        for transcript in case.transcript_uuids:
            spans = by_document.get(transcript)
            if not spans:
                continue

            def case_of(key: str, owner: str = case.uuid) -> str:
                return f"{owner}/{key}"

            split[transcript] = _answer_at(spans, case_of)
            cases.extend(
                replace(
                    case,
                    uuid=case_of(span.question_key),
                    label=f"{case.label}, {labels[span.question_key]}",
                    transcript_uuids=(transcript,),
                    attributes={**case.attributes, QUESTION: labels[span.question_key]},
                )
                for span in spans
                if span.question_key in labels
            )
    order = {label: i for i, label in enumerate(labels.values())}
    matrix = split_rows(base, cases, split)
    return crosstab_of(matrix, QUESTION, order=lambda value: order.get(value, len(order)))
