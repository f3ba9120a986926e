"""The indirect-identification check on a project: its findings, the user's decisions, and the refusal.

:mod:`jswcoder.anonymise.indirect` finds combinations of released attributes, and quotes, that fit fewer
than k participants. This service feeds it a project's participants as one export releases them, and
keeps the user's decision on each finding, as the register review does: **accept** the suggested
generalisation ("[a council area]"; a rare group merged into "Participant"), **edit** it to a value of
the user's, or **dismiss** it. :meth:`IndirectCheck.released` returns the participants' attributes with
the accepted generalisations applied, which is what the export then carries; :meth:`IndirectCheck.check`
refuses (:class:`IndirectFound`) while any finding is undecided. Its message is a count, never a value.

k is a project setting (3 unless set). A project with fewer than k participants in all cannot show
that anything is shared by k: every released attribute beyond the attribution is then a finding, to be
decided once (dismissed, say, for a package to the team's own lead), which is what a careful user on the
first day would want to be asked about rather than have passed silently.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlite_utils import Database

from jswcoder.anonymise.indirect import (
    DEFAULT_K,
    GROUP,
    Finding,
    Quote,
    Released,
    narrowing_quotes,
    rare_combinations,
)
from jswcoder.errors import InvalidInput, JswError, NotFound
from jswcoder.model import Participant, RegisterEntry
from jswcoder.services.codings import Codings
from jswcoder.services.egress import Egress
from jswcoder.services.transcripts import Transcripts
from jswcoder.store import indirect_decisions as store
from jswcoder.store import people

PLACE_CATEGORIES = frozenset({"PLACE", "ADDRESS", "POSTCODE", "PRISON", "COURT"})
"""Register categories whose descriptors ("[NAME OF AREA]") place a speaker."""
DETAILS = ("format", "mode", "council_area")
MAX_K = 100
ROUNDS = 5


class IndirectFound(JswError):
    """An export would release combinations, or quotes, that fit fewer than k participants."""

    def __init__(self, undecided: Sequence[Finding]) -> None:
        self.undecided = list(undecided)
        super().__init__(
            f"not exported: {len(self.undecided)} combination(s) of details or quote(s) fit fewer than "
            "k participants; review them with 'indirect' and accept, edit or dismiss each"
        )


def _value(participant: Participant, attribute: str) -> str | None:
    if attribute == GROUP:
        return participant.participant_group
    if attribute in DETAILS:
        value = getattr(participant, attribute)
        return None if value is None else str(value)
    return participant.attributes.get(attribute)


class IndirectCheck:
    """One project's indirect-identification findings and decisions."""

    def __init__(self, db: Database, coder_uuid: str) -> None:
        self._db = db
        self._coder = coder_uuid

    @property
    def k(self) -> int:
        stored = store.k(self._db)
        return DEFAULT_K if stored is None else stored

    def set_k(self, value: int) -> None:
        if not 2 <= value <= MAX_K:
            raise InvalidInput(f"k must be a whole number from 2 to {MAX_K}")
        with self._db.atomic():
            store.set_k(self._db, value)

    def _raw(self, attributes: Sequence[str]) -> list[Released]:
        return [
            Released(
                p.uuid,
                {
                    name: value
                    for name in (GROUP, *attributes)
                    if (value := _value(p, name)) is not None and value.strip()
                },
            )
            for p in people.participants(self._db)
        ]

    def findings(
        self,
        attributes: Sequence[str] = (),
        quotes: Sequence[Quote] = (),
        register: Sequence[RegisterEntry] = (),
    ) -> list[Finding]:
        """What an export releasing the attribution and ``attributes``, and quoting ``quotes``, would
        let a reader narrow to fewer than k participants (decided or not).

        Generalising can leave a new rarity behind (two of three in Fife coarsened leave the third
        alone with "Fife"), so once every finding of a round is decided, the combinations are counted
        again on the values as generalised, up to :data:`ROUNDS` times; a new finding is one more to
        decide.
        """
        raw = self._raw(attributes)
        areas = {p.uuid: p.council_area for p in people.participants(self._db)}
        places = [e.replacement for e in register if e.category in PLACE_CATEGORIES]
        found = narrowing_quotes(quotes, raw, areas, places, [e.replacement for e in register], self.k)
        decided = self.decisions()
        seen = {f.id for f in found}
        values = raw
        for _round in range(ROUNDS):
            new = [f for f in rare_combinations(values, self.k) if f.id not in seen]
            found += new
            seen.update(f.id for f in new)
            if not new or any(f.id not in decided for f in new):
                break
            values = _generalised(values, self.generalisations(new))
        return found

    def decisions(self) -> dict[str, store.Decision]:
        return store.decisions(self._db)

    def undecided(self, findings: Sequence[Finding]) -> list[Finding]:
        decided = self.decisions()
        return [f for f in findings if f.id not in decided]

    def check(self, findings: Sequence[Finding]) -> None:
        """Refuse (:class:`IndirectFound`) while any of ``findings`` is undecided."""
        undecided = self.undecided(findings)
        if undecided:
            raise IndirectFound(undecided)

    def _find(self, findings: Sequence[Finding], finding_id: str) -> Finding:
        for finding in findings:
            if finding.id == finding_id:
                return finding
        raise NotFound(f"no finding {finding_id!r}; list them with 'indirect'")

    def accept(
        self, findings: Sequence[Finding], finding_id: str, value: str | None = None
    ) -> store.Decision:
        """Accept the finding's suggested generalisation, or ``value`` in its place (edited)."""
        finding = self._find(findings, finding_id)
        edited = bool(value and value.strip() and value.strip() != finding.suggestion)
        decision = store.Decision(
            finding.id,
            "edited" if edited else "accepted",
            finding.attribute,
            value.strip() if edited and value is not None else finding.suggestion,
        )
        with self._db.atomic():
            store.decide(self._db, decision, self._coder)
        return decision

    def dismiss(self, findings: Sequence[Finding], finding_id: str) -> None:
        finding = self._find(findings, finding_id)
        with self._db.atomic():
            store.decide(self._db, store.Decision(finding.id, "dismissed", None, None), self._coder)

    def generalisations(self, findings: Sequence[Finding]) -> dict[tuple[str, str], str]:
        """(participant, attribute) -> the value an export carries in its place, by accepted decisions.

        A quote's decision generalises its speaker's group for that quote only: it is keyed by the
        quote's id instead of the participant (``("quote:" + id, attribute)``).
        """
        decided = self.decisions()
        replaced: dict[tuple[str, str], str] = {}
        for finding in findings:
            decision = decided.get(finding.id)
            if decision is None or decision.decision == "dismissed" or decision.value is None:
                continue
            attribute = decision.attribute or finding.attribute
            if finding.kind == "quote" and finding.quote is not None:
                replaced[(f"quote:{finding.quote}", attribute)] = decision.value
                continue
            for case in finding.cases:
                replaced[(case, attribute)] = decision.value
        return replaced

    def released(
        self,
        attributes: Sequence[str] = (),
        quotes: Sequence[Quote] = (),
        register: Sequence[RegisterEntry] = (),
    ) -> dict[str, Mapping[str, str]]:
        """Each participant's released attributes as the export may carry them, or :class:`IndirectFound`."""
        findings = self.findings(attributes, quotes, register)
        self.check(findings)
        return {r.case: r.values for r in _generalised(self._raw(attributes), self.generalisations(findings))}

    def undo(self, finding_id: str) -> None:
        with self._db.atomic():
            store.undo(self._db, finding_id)


def coded_quotes(transcripts: Transcripts, codings: Codings, egress: Egress) -> list[Quote]:
    """Every coded passage as a report quotes it (through the register), with its speaker's case.

    A passage of a transcript with no participant has no attribution to narrow and is left out.
    """
    quotes = []
    for transcript in transcripts.all():
        participant = transcripts.participant(transcript)
        if participant is None:
            continue
        anonymised = egress.apply(transcripts.text_of(transcript.uuid), (transcript.uuid,))
        for coding in codings.of_transcript(transcript.uuid):
            start, end = anonymised.map_range(coding.start, coding.end)
            quotes.append(Quote(coding.uuid, participant.uuid, anonymised.text[start:end]))
    return quotes


def _generalised(people: Sequence[Released], replaced: Mapping[tuple[str, str], str]) -> list[Released]:
    return [
        Released(r.case, {name: replaced.get((r.case, name), value) for name, value in r.values.items()})
        for r in people
    ]
