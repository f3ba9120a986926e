"""What an export may hold: the register applied to every string, unless the project is the team's.

Quotes in a team (lead) project are already anonymised: they arrived in packages. Any other project
is a fieldworker's, and every string that goes into an export from it passes through the one way out,
:mod:`jswcoder.services.egress`: quotes, summaries, memos, theme names, case labels. A quote is cut from
the anonymised transcript (its range moved across as in a team package), so a passage that starts or
ends inside a name takes in the whole descriptor rather than half a name; quotes are widened to whole
words first, so none ends in a fragment ("Mo" of "Monday") that reads as a name. Before anything is
written, the file's whole text is searched as a package is (:meth:`jswcoder.services.egress.Egress.leaks`:
register entries in any case, unreviewed candidates, excused only inside the descriptors this export
inserted) and the export is refused (:class:`LeaksInFile`) while any identifying detail remains.

A survey respondent's document (:mod:`jswcoder.services.surveys`) is quoted from its answers only: a
coding that takes in the document's title line or a question's heading is quoted from the answers it
covers only, "[…]" standing for a heading left out between two of them.

Case labels follow the package too: a participant's attribution ("Client interview 7"), a focus
group's speaker's where the speakers are cases ("Focus group 3, participant 2", never the speaker's
label), and for a transcript without one, "Transcript N" rather than its file name, which may identify
someone.

A report's title page names the project and the coders only in a team (lead) project's export, the
team's own report. In a fieldworker's, neither: the names are typed by the fieldworker, no detector
reads them, and a fieldworker's name or a project named for its area ("Oban interviews") tells which
local authority the participants are from, which the studies' reports keep back. A title typed for
the report is used instead, through the register like every other string, and the coders are
counted, not named.

**Indirect identification.** Every export also passes the check of :mod:`jswcoder.services.indirect`
through its :class:`ExportText`, in :meth:`ExportText.check`, just before the file is written: the
attributes it prints beyond the attribution (a matrix's grouping, a .qdpx's case variables; declared
with :meth:`ExportText.releases`) and every passage it quotes. A combination or a quote that fits fewer
than k participants refuses the export (:class:`IndirectFound`, a count) until the user decides it;
accepted generalisations are what the export prints (:meth:`ExportText.released`, and "(Participant)"
under a quote whose attribution was generalised). This applies at the team's lead too: the lead's
exports are the ones published, and while its quotes arrived anonymised its participants' details did
not (their descriptors are read from the quotes' brackets there).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

from jswcoder.analysis.matrix import Case
from jswcoder.anonymise.remap import Anonymised
from jswcoder.model import Coding
from jswcoder.project import Project
from jswcoder.reports.quotes import to_sentences
from jswcoder.services.egress import Egress, LeaksInFile, untouched
from jswcoder.services.indirect import ExportCheck, IndirectCheck, IndirectFound, quote_of

__all__ = ["UNATTRIBUTED", "ExportText", "IndirectFound", "LeaksInFile", "whole_words"]

UNATTRIBUTED = "Participant"
OMITTED = " […] "  # between the pieces of a quote over two survey answers: their question left out
_WORD = re.compile(r"\w")


class ExportText:
    """The strings of one export from one project, anonymised when the project is not the team's."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.anonymises = project.team.role() != "lead"
        self.egress = Egress(project.register)
        self._texts: dict[str, tuple[str, Anonymised]] = {}
        self._descriptor_ends: dict[str, tuple[int, ...]] = {}
        transcripts = project.transcripts.all()
        self._numbers = {t.uuid: n for n, t in enumerate(transcripts, start=1)}
        self._speakers = {t.uuid: t.participant_uuid for t in transcripts}
        self._attributions: dict[str, str] = {}  # a case -> its attribution line, made once
        self._answers: dict[str, tuple[tuple[int, int], ...]] = {}  # a survey document -> its answers
        self.indirect = ExportCheck(
            IndirectCheck(project.db, project.coder.uuid),
            project.register.entries(),
            lead=not self.anonymises,
        )

    def releases(self, attributes: Iterable[str]) -> None:
        """The export prints these participant attributes beyond the attribution (checked, generalised)."""
        self.indirect.releases(attributes)

    def released(self, case_uuid: str, attribute: str, value: str) -> str:
        """A participant's attribute as the export prints it: generalised where a decision says."""
        return self.indirect.value(case_uuid, attribute, value)

    def general(self, text: str) -> str:
        """A string about the whole project (a theme name, a theme's memo), with the register applied."""
        if not self.anonymises or not text:
            return text
        return self.egress.apply(text).text

    def about(self, case: Case, text: str) -> str:
        """A string about one case (a cell's summary): its transcripts' register entries apply too."""
        return self.about_transcripts(case.transcript_uuids, text)

    def about_transcripts(self, transcript_uuids: Iterable[str], text: str) -> str:
        """A string about these transcripts (a memo on one): their register entries apply too."""
        if not self.anonymises or not text:
            return text
        return self.egress.apply(text, transcript_uuids).text

    def transcript(self, transcript_uuid: str) -> tuple[str, Anonymised]:
        """The transcript's text, and the text as it leaves (with how to move ranges into it)."""
        if transcript_uuid not in self._texts:
            text = self.project.transcripts.text_of(transcript_uuid)
            whole = self.egress.apply(text, (transcript_uuid,)) if self.anonymises else untouched(text)
            self._texts[transcript_uuid] = (text, whole)
        return self._texts[transcript_uuid]

    def quote(self, coding: Coding, *, to_sentence_boundaries: bool = False) -> str:
        """The coded passage as it may leave the project, widened to whole words; with
        ``to_sentence_boundaries``, trimmed as :mod:`jswcoder.reports.quotes` says, in the text as it
        leaves (so a descriptor is never cut into, nor its full stop taken for a sentence's end)."""
        original, whole = self.transcript(coding.transcript_uuid)
        speaker = self._speakers.get(coding.transcript_uuid)
        if speaker is not None:
            self.indirect.quoted(quote_of(coding, speaker, whole))
        pieces = []
        for coded in self._in_answers(coding):
            start, end = whole.map_range(*whole_words(original, *coded))
            if not to_sentence_boundaries:
                pieces.append(self.egress.cut(whole, start, end))
                continue
            trimmed = to_sentences(
                whole.text, start, end, self._descriptors_in(coding.transcript_uuid, start, end)
            )
            pieces.append(
                self.egress.cut(whole, trimmed.start, trimmed.end, before=trimmed.before, after=trimmed.after)
            )
        return OMITTED.join(pieces)

    def _in_answers(self, coding: Coding) -> list[tuple[int, int]]:
        """A coding's range, kept to the answers it covers in a survey respondent's document (a piece
        per answer): a quote holds a respondent's words, never the document's title line nor a
        question's heading. An interview's passage is one piece, as coded."""
        if coding.transcript_uuid not in self._answers:
            spans = self.project.surveys.answers_in(coding.transcript_uuid)
            self._answers[coding.transcript_uuid] = tuple((a.start, a.end) for a in spans)
        inside = [
            (max(s, coding.start), min(e, coding.end))
            for s, e in self._answers[coding.transcript_uuid]
            if s < coding.end and coding.start < e
        ]
        return inside or [(coding.start, coding.end)]  # none: an interview's, or on headings only

    def _descriptors_in(self, transcript_uuid: str, start: int, end: int) -> list[tuple[int, int]]:
        """Where the register put descriptors into the transcript as it leaves, within ``start:end``."""
        replacements = self.transcript(transcript_uuid)[1].replacements
        if transcript_uuid not in self._descriptor_ends:
            self._descriptor_ends[transcript_uuid] = tuple(r.new_end for r in replacements)
        found = []
        for replacement in replacements[bisect_right(self._descriptor_ends[transcript_uuid], start) :]:
            if replacement.new_start >= end:
                break
            found.append((replacement.new_start, replacement.new_end))
        return found

    def report_title(self, typed: str | None) -> str | None:
        """A title page's title: as typed, else the project's name in a lead's report, else none."""
        if typed and typed.strip():
            return self.general(typed.strip())
        return None if self.anonymises else self.project.name

    def coder_names(self, names: Iterable[str]) -> tuple[str, ...]:
        """The coders as a title page may name them: all, in a lead's report; none in a fieldworker's."""
        return () if self.anonymises else tuple(sorted(set(names), key=str.casefold))

    def case_label(self, case: Case) -> str:
        """A row's label: the participant's attribution, or "Transcript N" in a fieldworker's export."""
        attribution = case.attribution  # a focus group's speaker's, else the participant's
        if attribution:
            return self.general(attribution)
        if not self.anonymises:
            return case.label
        return f"Transcript {self._numbers.get(case.transcript_uuids[0], 0)}"

    def attribution(self, case: Case, coding: Coding | None = None) -> str:
        """The attribution line under a quote: "(Client interview 7)", or "(Participant)"; for the quote
        of ``coding`` (taken with :meth:`quote` first), what its accepted generalisation says."""
        generalised = self.generalised_attribution(coding)
        if generalised is not None:
            return f"({generalised})"
        if case.uuid not in self._attributions:
            attribution = case.attribution
            self._attributions[case.uuid] = f"({self.general(attribution) if attribution else UNATTRIBUTED})"
        return self._attributions[case.uuid]

    def generalised_attribution(self, coding: Coding | None) -> str | None:
        """What stands for the speaker of ``coding``'s quote where its narrowing was generalised."""
        if coding is None:
            return None
        found = self.indirect.attribution(coding.uuid)
        return None if found is None else self.general(found)

    def check(self, texts: Iterable[str]) -> None:
        """Refuse a fieldworker's export whose text still identifies anyone (:class:`LeaksInFile`), and
        any export that releases what fits fewer than k participants, undecided (:class:`IndirectFound`)."""
        if self.anonymises:
            self.egress.check(texts, LeaksInFile)
        self.indirect.check()


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """``start:end`` widened so that it cuts no word in two: a quote shows "Monday", never "Mo"."""
    while 0 < start < len(text) and _WORD.match(text, start - 1) and _WORD.match(text, start):
        start -= 1
    while 0 < end < len(text) and _WORD.match(text, end - 1) and _WORD.match(text, end):
        end += 1
    return start, end
