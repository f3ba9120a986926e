"""For tests about other things: every indirect-identification finding decided, as a careful user would.

Exports run the indirect-identification check (:mod:`jswcoder.services.indirect`); a test study of a
few participants has rare details by design. A test that is about something else decides them first,
as its user would in Edit › Indirect identification…: each dismissed (the values leave as they are), or
accepted. Deciding with every releasable detail ticked covers every export: a combination rare among
fewer details is rare among more, and a quote is decided once whatever an export releases.
"""

from __future__ import annotations

from jswcoder.project import Project
from jswcoder.services.egress import Egress
from jswcoder.services.indirect import IndirectCheck, coded_quotes

RELEASABLE = ("format", "mode", "council_area")


def decide_all(project: Project, *, accept: bool = False) -> int:
    """Decide every finding an export of ``project`` could meet; how many were decided."""
    check = IndirectCheck(project.db, project.coder.uuid)
    lead = project.team.role() == "lead"
    attributes = [*RELEASABLE, *project.cases.attribute_names()]
    quotes = coded_quotes(project.transcripts, project.codings, Egress(project.register), anonymise=not lead)
    decided = 0
    while True:  # an accepted generalisation can leave a new rarity behind: decide it too
        findings = check.findings(attributes, quotes, project.register.entries(), lead=lead)
        undecided = check.undecided(findings)
        if not undecided:
            return decided
        for finding in undecided:
            if accept:
                check.accept(findings, finding.id)
            else:
                check.dismiss(findings, finding.id)
            decided += 1
