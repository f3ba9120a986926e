"""The indirect-identification check on a project: its findings, the user's decisions, and the refusal.

:mod:`jswcoder.anonymise.indirect` finds combinations of released attributes, and quotes, that fit fewer
than k participants. This service feeds it a project's participants as one export releases them, and
keeps the user's decision on each finding, as the register review does: **accept** the suggested
generalisation ("[a council area]"; a rare group merged into "Participant"), **edit** it to a value of
the user's, or **dismiss** it. :meth:`IndirectCheck.released` returns the participants' attributes with
the accepted generalisations applied, which is what the export then carries; :meth:`IndirectCheck.check`
refuses (:class:`IndirectFound`) while any finding is undecided. Its message is a count, never a value.
:class:`ExportCheck` is the same for one export built string by string (every report, the matrix, the
.qdpx, the case sheet): told what it prints and quotes, it gives the values to print and refuses last.

k is a project setting (3 unless set). A project with fewer than k participants in all cannot show
that anything is shared by k: every released attribute beyond the attribution is then a finding, to be
decided once (dismissed, say, for a package to the team's own lead), which is what a careful user on the
first day would want to be asked about rather than have passed silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from sqlite_utils import Database

from jswcoder.anonymise.indirect import (
    DEFAULT_K,
    GROUP,
    NEVER_COUNTED,
    Finding,
    Quote,
    Released,
    bracketed,
    narrowing_quotes,
    quote_finding_id,
    rare_combinations,
)
from jswcoder.anonymise.remap import Anonymised
from jswcoder.errors import InvalidInput, JswError, NotFound
from jswcoder.model import Coding, Participant, RegisterEntry
from jswcoder.services.codings import Codings
from jswcoder.services.egress import Egress, untouched
from jswcoder.services.transcripts import Transcripts
from jswcoder.store import indirect_decisions as store
from jswcoder.store import people

PLACE_CATEGORIES = frozenset({"PLACE", "ADDRESS", "POSTCODE", "PRISON", "COURT"})
"""Register categories whose descriptors ("[NAME OF AREA]") place a speaker."""
DETAILS = ("format", "mode", "council_area")
MAX_K = 100
ROUNDS = 5


class IndirectFound(JswError):
    """An export would release combinations, or quotes, that fit fewer than k participants.

    ``attributes`` are the names (never the values) of what the export released beyond the
    attribution, so the review can be opened on the same findings; the message gives the command.
    """

    def __init__(
        self, undecided: Sequence[Finding], attributes: Sequence[str] = (), k: int | None = None
    ) -> None:
        self.undecided = list(undecided)
        self.attributes = tuple(attributes)
        self.k = k
        super().__init__(self.pointing("PROJECT"))

    @property
    def count(self) -> str:
        """What was found, counted: "2 combinations of details and 1 quote fit fewer than 3 participants"."""
        quotes = sum(1 for f in self.undecided if f.kind == "quote")
        combinations = len(self.undecided) - quotes
        parts = [
            f"{n} {word if n == 1 else plural}"
            for n, word, plural in (
                (combinations, "combination of details", "combinations of details"),
                (quotes, "quote", "quotes"),
            )
            if n
        ]
        verb = "fits" if len(self.undecided) == 1 else "fit"
        fewer = "k" if self.k is None else str(self.k)
        return f"{' and '.join(parts)} {verb} fewer than {fewer} participants"

    def pointing(self, project: str) -> str:
        """The one line the command line prints: the count and the command to review them."""
        return f"not exported: {self.count}; review them with: {self.command(project)}"

    def command(self, project: str) -> str:
        """The command that lists these findings, with the export's ``--attribute`` options."""
        named = "".join(f" --attribute {_quoted(name)}" for name in self.attributes)
        return f"jswcoder indirect {_quoted(project)}{named}"


def _quoted(argument: str) -> str:
    return f'"{argument}"' if not argument or any(c.isspace() or c in "'\"" for c in argument) else argument


def _value(participant: Participant, attribute: str) -> str | None:
    if attribute == GROUP:
        return participant.participant_group
    if attribute in DETAILS:
        value = getattr(participant, attribute)
        return None if value is None else str(value)
    return participant.attributes.get(attribute)


class IndirectCheck:
    """One project's indirect-identification findings and decisions."""

    def __init__(self, db: Database, coder_uuid: str | None = None) -> None:
        self._db = db
        self._coder = coder_uuid  # who decides; a check that only reads (an export's) needs none

    @property
    def k(self) -> int:
        stored = store.k(self._db)
        return DEFAULT_K if stored is None else stored

    def set_k(self, value: int) -> None:
        if not 2 <= value <= MAX_K:
            raise InvalidInput(f"k must be a whole number from 2 to {MAX_K}")
        with self._db.atomic():
            store.set_k(self._db, value)

    def raw(self, attributes: Sequence[str]) -> list[Released]:
        """Each participant's group and ``attributes`` as stored, before any generalisation."""
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
        *,
        lead: bool = False,
    ) -> list[Finding]:
        """What an export releasing the attribution and ``attributes``, and quoting ``quotes``, would
        let a reader narrow to fewer than k participants (decided or not).

        Generalising can leave a new rarity behind (two of three in Fife coarsened leave the third
        alone with "Fife"), so once every finding of a round is decided, the combinations are counted
        again on the values as generalised, up to :data:`ROUNDS` times; a new finding is one more to
        decide. At a team's lead (``lead``), whose quotes arrived anonymised by the fieldworkers'
        registers, a quote's descriptors are read from its brackets ("[NAME OF AREA]") as well.
        """
        raw = self.raw(attributes)
        found = self.quote_findings(raw, quotes, register, lead=lead)
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

    def quote_findings(
        self,
        raw: Sequence[Released],
        quotes: Iterable[Quote],
        register: Sequence[RegisterEntry],
        *,
        lead: bool = False,
    ) -> list[Finding]:
        """The quotes that narrow to fewer than k participants, given what the export releases (``raw``)."""
        quotes = list(quotes)
        areas = {p.uuid: p.council_area for p in people.participants(self._db)}
        places = [e.replacement for e in register if e.category in PLACE_CATEGORIES]
        every = {e.replacement for e in register}
        if lead:
            every |= bracketed(q.text for q in quotes)
        return narrowing_quotes(quotes, raw, areas, places, sorted(every), self.k)

    def decisions(self) -> dict[str, store.Decision]:
        return store.decisions(self._db)

    def undecided(self, findings: Sequence[Finding]) -> list[Finding]:
        decided = self.decisions()
        return [f for f in findings if f.id not in decided]

    def check(self, findings: Sequence[Finding], attributes: Sequence[str] = ()) -> None:
        """Refuse (:class:`IndirectFound`) while any of ``findings`` is undecided."""
        undecided = self.undecided(findings)
        if undecided:
            raise IndirectFound(undecided, attributes, self.k)

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
            store.decide(self._db, decision, self._decider())
        return decision

    def dismiss(self, findings: Sequence[Finding], finding_id: str) -> None:
        finding = self._find(findings, finding_id)
        with self._db.atomic():
            store.decide(self._db, store.Decision(finding.id, "dismissed", None, None), self._decider())

    def _decider(self) -> str:
        if self._coder is None:
            raise TypeError("deciding needs the coder who decides")  # a bug in the caller
        return self._coder

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
        self.check(findings, attributes)
        return {r.case: r.values for r in _generalised(self.raw(attributes), self.generalisations(findings))}

    def undo(self, finding_id: str) -> None:
        with self._db.atomic():
            store.undo(self._db, finding_id)


def quote_of(coding: Coding, case: str, anonymised: Anonymised) -> Quote:
    """A coded passage as the check reads it: the coded range of the text as it leaves. An export that
    quotes less of it (trimmed to sentences) is checked on the whole passage, so that its finding is
    the one the review lists, and a narrowing detail trimmed away is still asked about."""
    start, end = anonymised.map_range(coding.start, coding.end)
    return Quote(coding.uuid, case, anonymised.text[start:end])


def coded_quotes(
    transcripts: Transcripts, codings: Codings, egress: Egress, *, anonymise: bool = True
) -> list[Quote]:
    """Every coded passage as a report quotes it (through the register, unless ``anonymise`` is False:
    a team lead's texts arrived anonymised), with its speaker's case.

    A passage of a transcript with no participant has no attribution to narrow and is left out.
    """
    quotes = []
    for transcript in transcripts.all():
        participant = transcripts.participant(transcript)
        if participant is None:
            continue
        text = transcripts.text_of(transcript.uuid)
        anonymised = egress.apply(text, (transcript.uuid,)) if anonymise else untouched(text)
        for coding in codings.of_transcript(transcript.uuid):
            quotes.append(quote_of(coding, participant.uuid, anonymised))
    return quotes


class ExportCheck:
    """The check for one export: the attributes it prints beyond the attribution, the quotes it carries.

    The export declares what it prints (:meth:`releases`) before asking for a value, takes each value
    through :meth:`value` (the accepted generalisation in its place), tells each quote it carries
    (:meth:`quoted`) and asks what stands in its attribution (:meth:`attribution`); :meth:`check`, just
    before the file is written, refuses while any finding is undecided. One way for every export
    (:class:`jswcoder.reports.privacy.ExportText`, the case sheet), as :meth:`IndirectCheck.released`
    is for packages.
    """

    def __init__(self, check: IndirectCheck, register: Sequence[RegisterEntry], *, lead: bool) -> None:
        self._check = check
        self._register = list(register)
        self._lead = lead
        self.attributes: list[str] = []
        self.quotes: dict[str, Quote] = {}
        self._replaced: dict[tuple[str, str], str] | None = None
        self._decided: dict[str, store.Decision] | None = None

    def releases(self, attributes: Iterable[str]) -> None:
        """The export prints these attributes (the group and the interview number go anyway)."""
        for name in attributes:
            if name != GROUP and name not in NEVER_COUNTED and name not in self.attributes:
                self.attributes.append(name)
                self._replaced = None

    def value(self, case: str, attribute: str, value: str) -> str:
        """``value`` as the export prints it: the accepted generalisation for ``case``, if any."""
        if self._replaced is None:
            self._replaced = self._check.generalisations(self._check.findings(self.attributes))
        return self._replaced.get((case, attribute), value)

    def quoted(self, quote: Quote) -> None:
        self.quotes[quote.id] = quote

    def attribution(self, quote_id: str) -> str | None:
        """What stands in a quote's attribution where its finding was generalised ("Participant").

        Looked up by the quote's finding id, without counting again: a quote is decided once, and a
        generalisation accepted for it holds while its text is the same.
        """
        quote = self.quotes.get(quote_id)
        if quote is None:
            return None
        if self._decided is None:
            self._decided = self._check.decisions()
        decision = self._decided.get(quote_finding_id(quote))
        if decision is None or decision.decision == "dismissed":
            return None
        return decision.value

    def check(self) -> None:
        """Refuse (:class:`IndirectFound`, a count) while anything this export releases is undecided."""
        findings = self._check.findings(
            self.attributes, list(self.quotes.values()), self._register, lead=self._lead
        )
        self._check.check(findings, self.attributes)


def _generalised(people: Sequence[Released], replaced: Mapping[tuple[str, str], str]) -> list[Released]:
    return [
        Released(r.case, {name: replaced.get((r.case, name), value) for name, value in r.values.items()})
        for r in people
    ]
