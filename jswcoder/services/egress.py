"""One way out: the register applied to whatever leaves a project, and the leak check before it goes.

Everything that leaves a fieldworker's project passes through here: team packages
(:mod:`jswcoder.team.package_writer`), reports, matrix and summary exports
(:mod:`jswcoder.reports.privacy`) and .qdpx and .qdc files (:mod:`jswcoder.refiqda.export_common`).
One :class:`Egress` serves one outgoing document.

:meth:`Egress.apply` applies the register to a string: the project-wide entries, and those of the
transcripts the string is about. It returns an :class:`~jswcoder.anonymise.remap.Anonymised`, whose
``map_range`` carries coding ranges across, and it records where each descriptor went in.

:meth:`Egress.leaks` then searches every string of the finished document for every register entry and
every detector candidate not yet reviewed:

* **Entries in any case.** Replacement spares an all-lowercase occurrence of an entry that has a
  capital, so that "grant" (funding) or "mark" (the verb) stay words
  (:func:`jswcoder.anonymise.matching.spared_by_case`). The leak check does not spare it: "siobhan kerr"
  is reported for the user to add to the register (it is then replaced) or to dismiss (it then passes).
  Dismissing excuses only such lower-case occurrences; an entry in the case it was registered in is
  reported wherever it is left (a theme named with an entry that belongs to one transcript, say).
* **Inside an inserted descriptor only.** A hit is excused only where it lies inside a descriptor the
  register inserted into this document: at the span recorded when the string was made or, for a string
  a file format rebuilt (a quote stripped, a memo split into lines, a cell cut short), where the text of
  a descriptor inserted into this document stands. "Mark" is not excused in a theme named "Mark helped
  me" because some descriptor reads "[Market town]", or even "[MARK'S SUPERVISOR]".
* **Received transcripts.** A transcript received to double-code goes back as it came, and unsearched
  (it is the lead's anonymised text), only while its text is the one that arrived
  (:func:`came_unchanged`); changed, it is anonymised and searched like any other.

:class:`LeaksFound` refuses the export. Its message gives a count only; the strings are in ``remaining``
for the user to review deliberately (the command line lists them), never for an error dialog or a log.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from jswcoder.anonymise.detect import Candidate
from jswcoder.anonymise.matching import Match, Matcher, Term, spared_by_case
from jswcoder.anonymise.remap import Anonymised, anonymise
from jswcoder.errors import JswError
from jswcoder.ids import text_sha256
from jswcoder.model import RegisterEntry

Span = tuple[int, int]


class RegisterSource(Protocol):
    """What the way out reads from a project's register (:class:`jswcoder.services.register.Register`).

    A protocol rather than the class: the register's suggestions use the helpers below, so importing
    it here would make the two modules import each other.
    """

    def entries(self) -> list[RegisterEntry]: ...

    def dismissed(self) -> list[str]: ...

    def suggestions(self) -> list[Candidate]: ...


class LeaksFound(JswError):
    """A package would still hold identifying details; its message gives a count only."""

    def __init__(self, remaining: Sequence[str]) -> None:
        self.remaining = list(remaining)
        super().__init__(
            f"not exported: {len(self.remaining)} identifying detail(s) would still be in the package; "
            "review them with 'register suggest' and add each to the register or dismiss it"
        )


class LeaksInFile(LeaksFound):
    """An export (report, matrix, summary, .qdpx, .qdc) would still hold identifying details."""

    def __init__(self, remaining: Sequence[str]) -> None:
        super().__init__(remaining)
        self.args = (
            f"not written: {len(self.remaining)} identifying detail(s) would still be in the file; "
            "review them with 'register suggest' (add each to the register or dismiss it), and keep "
            "register entries limited to one transcript out of theme names, memos and summaries",
        )


def terms_of(entries: Iterable[RegisterEntry]) -> list[Term]:
    """What the matcher looks for: each entry's text and each of its other forms, under the entry's key."""
    return [Term(form, e.replacement, e.uuid) for e in entries for form in e.forms()]


def apply_register(matcher: Matcher, text: str) -> Anonymised:
    """``text`` with the register's entries replaced by their descriptors, and how ranges move across."""
    return anonymise(text, matcher.find(text))


def untouched(text: str) -> Anonymised:
    """``text`` leaving as it is: a received transcript going back as it came, a lead's project (already
    anonymised), or originals asked for deliberately."""
    return anonymise(text, ())


def came_unchanged(arrived: Mapping[str, str], transcript_uuid: str, text: str) -> bool:
    """True for a transcript received to double-code whose text still has the hash it arrived with.

    ``arrived`` is :func:`jswcoder.store.assignments.received_hashes`.
    """
    expected = arrived.get(transcript_uuid)
    return expected is not None and expected == text_sha256(text)


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def spared_in(
    entries: Sequence[RegisterEntry], texts: Iterable[str], dismissed: Iterable[str]
) -> list[Candidate]:
    """Entries typed in lower case in ``texts`` (replacement spares them), not dismissed: to review."""
    matcher = Matcher(terms_of(entries), any_case=True)
    skip = {_folded(t) for t in dismissed}
    categories = {e.uuid: e.category for e in entries}
    found: dict[str, tuple[Term, int]] = {}
    for text in texts:
        for match in matcher.find(text):
            occurrence = " ".join(text[match.start : match.end].split())
            if spared_by_case(match.term.text, occurrence) and _folded(occurrence) not in skip:
                term, count = found.get(occurrence, (match.term, 0))
                found[occurrence] = (term, count + 1)
    return [
        Candidate(occurrence, categories[term.key], term.replacement, count)
        for occurrence, (term, count) in found.items()
    ]


@dataclass
class Inserted:
    """Where the register put descriptors into one outgoing document's strings (plain data)."""

    made: dict[str, frozenset[Span]] = field(default_factory=dict)  # a string as made -> descriptor spans
    descriptors: set[str] = field(default_factory=set)  # every descriptor inserted

    def _note(self, text: str, spans: Iterable[Span]) -> None:
        new = frozenset(spans)
        before = self.made.get(text)
        self.made[text] = new if before is None else before & new  # made twice: what both inserted

    def record(self, anonymised: Anonymised) -> Anonymised:
        self._note(anonymised.text, ((r.new_start, r.new_end) for r in anonymised.replacements))
        self.descriptors.update(r.term.replacement for r in anonymised.replacements)
        return anonymised

    def record_cut(
        self, anonymised: Anonymised, start: int, end: int, before: str = "", after: str = ""
    ) -> str:
        """``anonymised.text[start:end]`` (a quote) between ``before`` and ``after`` (a report's "…"),
        with the descriptors that lie wholly inside it."""
        piece = before + anonymised.text[start:end] + after
        inside = [r for r in anonymised.replacements if start <= r.new_start and r.new_end <= end]
        shift = len(before) - start
        self._note(piece, ((r.new_start + shift, r.new_end + shift) for r in inside))
        return piece

    def spans_in(self, text: str) -> list[Span]:
        """The inserted descriptors' spans in ``text``: as recorded, or where their text stands in it."""
        made = self.made.get(text)
        if made is not None:
            return sorted(made)
        found = []
        for descriptor in self.descriptors:
            at = text.find(descriptor)
            while at != -1:
                found.append((at, at + len(descriptor)))
                at = text.find(descriptor, at + 1)
        return found


class Egress:
    """One outgoing document from one project: its strings through the register, then the leak check."""

    def __init__(self, register: RegisterSource, inserted: Inserted | None = None) -> None:
        self._register = register
        self.inserted = Inserted() if inserted is None else inserted
        self._entries: list[RegisterEntry] | None = None
        self._matchers: dict[frozenset[str], Matcher] = {}

    def entries(self) -> list[RegisterEntry]:
        if self._entries is None:
            self._entries = self._register.entries()
        return self._entries

    def matcher(self, about: Iterable[str] = ()) -> Matcher:
        """The register for a string about these transcripts: the project-wide entries, and theirs."""
        key = frozenset(about)
        if key not in self._matchers:
            chosen = [e for e in self.entries() if e.transcript_uuid is None or e.transcript_uuid in key]
            self._matchers[key] = Matcher(terms_of(chosen))
        return self._matchers[key]

    def apply(self, text: str, about: Iterable[str] = ()) -> Anonymised:
        """``text`` as it may leave, with the register of the transcripts it is ``about`` applied."""
        return self.inserted.record(apply_register(self.matcher(about), text))

    def cut(self, anonymised: Anonymised, start: int, end: int, *, before: str = "", after: str = "") -> str:
        """A passage of a text already through :meth:`apply` (``start:end`` in the anonymised text),
        marked ``before`` and ``after`` as a report quotes it ("…" where a sentence is cut)."""
        return self.inserted.record_cut(anonymised, start, end, before, after)

    def leaks(self, texts: Iterable[str]) -> list[str]:
        """What identifies anyone in ``texts``, the strings of the whole outgoing document, sorted.

        The strings are searched as one text, a line apart, so a name split across two of them is
        found too; a hit is excused only inside a descriptor inserted into the one string it lies in.
        """
        strings = [text for text in texts if text]
        if not strings:
            return []
        starts, position = [], 0
        for text in strings:
            starts.append(position)
            position += len(text) + 1
        everything = "\n".join(strings)
        entries = Matcher(terms_of(self.entries()), any_case=True)
        dismissed = {_folded(text) for text in self._register.dismissed()}
        candidates = Matcher([Term(c.text, "", c.text) for c in self._register.suggestions()])
        hits = [
            m
            for m in entries.find(everything)
            if not (
                spared_by_case(m.term.text, everything[m.start : m.end])
                and _folded(everything[m.start : m.end]) in dismissed
            )
        ]
        hits += candidates.find(everything)
        spans: dict[int, list[Span]] = {}  # a string's inserted descriptors, found once

        def excused(match: Match) -> bool:
            """True if ``match`` lies inside a descriptor inserted into the string it is in."""
            index = bisect_right(starts, match.start) - 1
            offset = starts[index]
            if match.end > offset + len(strings[index]):
                return False  # it runs on into the next string
            if index not in spans:
                spans[index] = self.inserted.spans_in(strings[index])
            return any(a <= match.start - offset and match.end - offset <= b for a, b in spans[index])

        return sorted({everything[m.start : m.end] for m in hits if not excused(m)})

    def check(self, texts: Iterable[str], refusal: type[LeaksFound] = LeaksFound) -> None:
        """Raise ``refusal`` (:class:`LeaksFound`) if anything identifying remains in ``texts``."""
        remaining = self.leaks(texts)
        if remaining:
            raise refusal(remaining)
