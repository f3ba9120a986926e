"""The survey part of the lead's merge (issue 18): surveys, their questions, respondents and answers' places.

Two fieldworkers who imported the same export hold the same survey, respondents and documents (their
UUIDs derive from the export's ID column) and, with the same register, the same anonymised text. So a
survey document already in the team project from someone else is **shared**, not refused: each member's
codings on it come in as that member's, as in double coding without an assignment. Its text must be the
same; a document whose text differs (another register, other answers) is refused in one plain line and
the rest of the package still goes in.

A survey new to the team is made with the package's name (numbered if the name is taken) and template;
questions are unioned (those already here stay as they are). A respondent keeps the lead's number; a new
one takes its own, or, where another respondent holds that number here, the next free one, which the
merge report says; so does one whose number was a withdrawn respondent's, whose attribution the withdrawal's
record keeps. A package that names as a survey's respondent someone who is another case here (an
interview's participant, or another survey's respondent) is refused whole: it claims what is not its own.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database

from jswcoder.ids import now
from jswcoder.model import respondent_attribution
from jswcoder.store import people
from jswcoder.store import surveys as rows
from jswcoder.store import withdrawals as withdrawal_rows
from jswcoder.store.surveys import AnswerSpan, SurveyRow
from jswcoder.team.package_reader import MergeRefused, Package, SourceRecord, SurveyRecord


class SurveyMerge:
    """One package's survey documents at the lead; the caller (:mod:`jswcoder.team.merge`) holds the
    transaction and decides which documents are carried."""

    def __init__(
        self,
        db: Database,
        package: Package,
        member: str,
        owned: Callable[[str, str], bool],
        note: Callable[[str], None],
    ) -> None:
        self._db = db
        self._package = package
        self._member = member
        self._owned = owned  # (kind, uuid) -> whether this member brought it
        self._note = note
        self._surveys = {s.uuid: s for s in package.surveys}
        self._ready: set[str] = set()
        self._kinds: dict[str, dict[str, str]] = {}  # survey -> its questions' kinds here, read once
        self._withdrawn: set[str | None] | None = None  # the attributions of withdrawn participants

    def check(self, withdrawn: set[str]) -> None:
        """Refuse the whole package if it claims as a respondent someone who is another case here."""
        for source in self._package.transcripts:
            document, person = source.survey, source.participant_uuid
            if document is None or person is None or person in withdrawn:
                continue
            found = rows.respondent(self._db, person)
            if found is not None and found[0] == document.survey_uuid:
                continue
            if found is None and (
                people.participant_by_uuid(self._db, person) is None or self._owned("participant", person)
            ):
                continue  # new here, or this member's own case made a respondent (an older package)
            raise MergeRefused(
                "the package cannot be merged: it names as a survey respondent someone who is another "
                "case in the team project; nothing of it was merged"
            )

    def is_shared(self, source: SourceRecord) -> bool:
        """Whether a document someone else brought is the same survey document (to share, not refuse)."""
        document = source.survey
        return (
            document is not None
            and rows.survey_documents(self._db, [source.uuid]).get(source.uuid) == document.survey_uuid
        )

    def unfit(self, source: SourceRecord) -> str | None:
        """Why a survey document of this member's cannot be taken here (a plain line), or None."""
        document = source.survey
        if document is None:
            return None
        label = f"survey document {source.label!r}"
        here = rows.survey_documents(self._db, [source.uuid]).get(source.uuid)
        if here is not None and here != document.survey_uuid:
            return f"{label}: it is another survey's document here"
        if document.survey_uuid not in self._kinds:  # questions added later are the package's own: open
            self._kinds[document.survey_uuid] = rows.question_kinds(self._db, document.survey_uuid)
        kinds = self._kinds[document.survey_uuid]
        if any(kinds.get(key, "open") != "open" for key, _start, _end in document.answers):
            return f"{label}: one of its answers is to a question that is a closed answer here"
        return None

    def take(self, source: SourceRecord, participant: str | None, *, shared: bool) -> None:
        """A carried survey document's survey, questions, respondent and (if the member's) answers."""
        document = source.survey
        if document is None:
            return
        self._survey(self._surveys[document.survey_uuid])
        if shared or participant is None:
            return
        if rows.respondent(self._db, participant) is None:
            number = self._number(document.survey_uuid, document.number, participant)
            if number != document.number:
                self._note(
                    f"survey respondent {document.number}: that number is another respondent's here (or "
                    f"was, before they withdrew), so this one is respondent {number}"
                )
            rows.add_respondent(self._db, participant, document.survey_uuid, number)
        rows.put_answers(
            self._db,
            document.survey_uuid,
            [AnswerSpan(source.uuid, key, start, end) for key, start, end in document.answers],
        )

    def _number(self, survey_uuid: str, wanted: int, participant: str) -> int:
        """The respondent's own number, unless another respondent holds it here or held it before they
        withdrew (their attribution stays on the withdrawal's record): then the next number free of both."""
        survey = rows.survey(self._db, survey_uuid)
        assert survey is not None  # made by _survey first
        if self._withdrawn is None:
            self._withdrawn = {w.attribution for w in withdrawal_rows.all_withdrawals(self._db)}
        gone = self._withdrawn

        def taken(number: int) -> bool:
            holder = rows.respondent_number_holder(self._db, survey_uuid, number)
            return (holder is not None and holder != participant) or respondent_attribution(
                survey.attribution, survey.name, number
            ) in gone

        if not taken(wanted):
            return wanted
        number = rows.next_respondent_number(self._db, survey_uuid)
        while taken(number):
            number += 1
        return number

    def _survey(self, survey: SurveyRecord) -> None:
        """The survey here (made if new) with every question of the package's (those here kept)."""
        if survey.uuid in self._ready:
            return
        self._ready.add(survey.uuid)
        if rows.survey(self._db, survey.uuid) is None:
            name, copy = survey.name, 2
            while rows.survey_named(self._db, name) is not None:
                name, copy = f"{survey.name} ({copy})", copy + 1
            rows.insert_survey(self._db, SurveyRow(survey.uuid, name, survey.attribution, None, now()))
        rows.add_missing_questions(
            self._db, survey.uuid, [(q.key, q.question, q.kind, q.position) for q in survey.questions]
        )
