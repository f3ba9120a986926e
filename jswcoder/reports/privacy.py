"""What an export may hold: the register applied to every string, unless the project is the team's.

Quotes in a team (lead) project are already anonymised: they arrived in packages. Any other project
is a fieldworker's, and every string that goes into an export from it passes through here first:
quotes, summaries, memos, theme names, case labels. A quote is cut from the anonymised transcript
(its range moved across as in a team package), so a passage that starts or ends inside a name takes
in the whole descriptor rather than half a name; quotes are widened to whole words first, so none
ends in a fragment ("Mo" of "Monday") that reads as a name. Before anything is written, the file's whole text
is searched the way a package is (:func:`jswcoder.services.package_contents.remaining_identifiers`)
and the export is refused while any identifying detail remains.

Case labels follow the package too: a participant's attribution ("Client interview 7"), and for a
transcript without one, "Transcript N" rather than its file name, which may identify someone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from jswcoder.analysis.matrix import Case
from jswcoder.anonymise.matching import Matcher
from jswcoder.anonymise.remap import Anonymised, anonymise
from jswcoder.model import Coding, RegisterEntry
from jswcoder.project import Project
from jswcoder.services.anonymisation import terms_of
from jswcoder.services.package_contents import LeaksFound, remaining_identifiers

UNATTRIBUTED = "Participant"
_WORD = re.compile(r"\w")


class LeaksInFile(LeaksFound):
    """The export would still hold identifying details; its message gives a count only."""

    def __init__(self, remaining: Sequence[str]) -> None:
        super().__init__(remaining)
        self.args = (
            f"not written: {len(self.remaining)} identifying detail(s) would still be in the file; "
            "review them with 'register suggest' (add each to the register or dismiss it), and keep "
            "register entries limited to one transcript out of theme names, memos and summaries",
        )


class ExportText:
    """The strings of one export from one project, anonymised when the project is not the team's."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.anonymises = project.team.role() != "lead"
        self._entries: list[RegisterEntry] = project.register.entries() if self.anonymises else []
        self._everywhere = Matcher(terms_of([e for e in self._entries if e.transcript_uuid is None]))
        self._matchers: dict[tuple[str, ...], Matcher] = {}
        self._texts: dict[str, tuple[str, Anonymised]] = {}
        self._numbers = {t.uuid: n for n, t in enumerate(project.transcripts.all(), start=1)}

    def general(self, text: str) -> str:
        """A string about the whole project (a theme name, a theme's memo), with the register applied."""
        if not self.anonymises or not text:
            return text
        return anonymise(text, self._everywhere.find(text)).text

    def about(self, case: Case, text: str) -> str:
        """A string about one case (a cell's summary): its transcripts' register entries apply too."""
        if not self.anonymises or not text:
            return text
        matcher = self._matcher(case.transcript_uuids)
        return anonymise(text, matcher.find(text)).text

    def quote(self, coding: Coding) -> str:
        """The coded passage as it may leave the project, widened to whole words."""
        original, whole = self._transcript(coding.transcript_uuid)
        start, end = whole_words(original, coding.start, coding.end)
        start, end = whole.map_range(start, end)
        return whole.text[start:end]

    def case_label(self, case: Case) -> str:
        """A row's label: the participant's attribution, or "Transcript N" in a fieldworker's export."""
        attribution = case.participant.attribution if case.participant else None
        if attribution:
            return self.general(attribution)
        if not self.anonymises:
            return case.label
        return f"Transcript {self._numbers.get(case.transcript_uuids[0], 0)}"

    def attribution(self, case: Case) -> str:
        """The attribution line under a quote: "(Client interview 7)", or "(Participant)"."""
        attribution = case.participant.attribution if case.participant else None
        return f"({self.general(attribution) if attribution else UNATTRIBUTED})"

    def check(self, texts: Iterable[str]) -> None:
        """Refuse (:class:`LeaksInFile`) a fieldworker's export whose text still identifies anyone."""
        if not self.anonymises:
            return
        remaining = remaining_identifiers(self.project, {"export": list(texts)})
        if remaining:
            raise LeaksInFile(remaining)

    def _matcher(self, transcript_uuids: Sequence[str]) -> Matcher:
        key = tuple(transcript_uuids)
        if key not in self._matchers:
            scope = set(key)
            chosen = [e for e in self._entries if e.transcript_uuid is None or e.transcript_uuid in scope]
            self._matchers[key] = Matcher(terms_of(chosen))
        return self._matchers[key]

    def _transcript(self, transcript_uuid: str) -> tuple[str, Anonymised]:
        if transcript_uuid not in self._texts:
            text = self.project.transcripts.text_of(transcript_uuid)
            matches = self._matcher((transcript_uuid,)).find(text) if self.anonymises else []
            self._texts[transcript_uuid] = (text, anonymise(text, matches))
        return self._texts[transcript_uuid]


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """``start:end`` widened so that it cuts no word in two: a quote shows "Monday", never "Mo"."""
    while 0 < start < len(text) and _WORD.match(text, start - 1) and _WORD.match(text, start):
        start -= 1
    while 0 < end < len(text) and _WORD.match(text, end - 1) and _WORD.match(text, end):
        end += 1
    return start, end
