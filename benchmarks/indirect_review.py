"""The indirect-identification review a study's exports wait for, done before they are timed.

Every export runs the check of :mod:`jswcoder.services.indirect` (issue 16, item 2); the synthetic
study's quotes with a place's descriptor and "the only" narrow to fewer than k participants, as a real
study's do. A user reviews them once in Edit › Indirect identification…; :func:`reviewed` does that
review here (each finding dismissed: the values leave as they are, as the benchmarks' files always
did) and returns how long finding them took, the review window's wait.
"""

from __future__ import annotations

import time

from jswcoder.project import Project
from jswcoder.services.egress import Egress
from jswcoder.services.indirect import IndirectCheck, coded_quotes

RELEASABLE = ("format", "mode", "council_area")


def reviewed(project: Project, *, quotes: bool = True) -> float:
    """Dismiss every finding any export of ``project`` could meet (only its details' combinations
    without ``quotes``: the case sheet quotes nothing); seconds spent finding them."""
    check = IndirectCheck(project.db, project.coder.uuid)
    lead = project.team.role() == "lead"
    began = time.perf_counter()
    egress = Egress(project.register)
    passages = (
        coded_quotes(project.transcripts, project.codings, egress, anonymise=not lead) if quotes else []
    )
    attributes = [*RELEASABLE, *project.cases.attribute_names()]
    findings = check.findings(attributes, passages, project.register.entries(), lead=lead)
    seconds = time.perf_counter() - began
    for finding in check.undecided(findings):
        check.dismiss(findings, finding.id)
    return seconds
