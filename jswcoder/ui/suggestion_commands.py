"""Undoable decisions on theme suggestions: accept (codes the passage as the person) and reject.

Like :mod:`jswcoder.ui.coding_commands`, each does its work once in :meth:`perform` before it is pushed
and replays it with the same records: redoing an accept puts back the same coding (same UUID), then
records the decision on it again, so later steps that name that coding still apply. Undo calls
:meth:`jswcoder.services.assistance.Assistance.undo_decision` (an accept's coding goes with it) and
the suggestion is offered again.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from jswcoder.model import Coding
from jswcoder.project import Project
from jswcoder.services.assistance import Suggestion
from jswcoder.ui.coding_commands import Workbench, _Command


class Offers(Protocol):
    """Where suggestions are shown (the suggestions panel): told when one is decided or undecided."""

    def decided(self, suggestion: Suggestion) -> None: ...

    def undecided(self, suggestion: Suggestion) -> None: ...


class _Decision(_Command):
    def __init__(
        self, project: Project, workbench: Workbench, offers: Offers, suggestion: Suggestion, text: str
    ) -> None:
        super().__init__(project, workbench, text)
        self._offers = offers
        # Without its examples: the undo history reads a step's UUIDs (other transcripts' are not its own).
        self.suggestion = replace(suggestion, examples=())


class AcceptSuggestion(_Decision):
    def __init__(
        self, project: Project, workbench: Workbench, offers: Offers, suggestion: Suggestion, name: str
    ) -> None:
        super().__init__(project, workbench, offers, suggestion, f"Accept the suggestion “{name}”")
        self.coding: Coding | None = None

    def perform(self) -> None:
        self.coding = self._project.assistance.accept(self.suggestion)
        self._workbench.coding_added(self.coding)
        self._offers.decided(self.suggestion)

    def _redo(self) -> None:
        assert self.coding is not None
        self._project.codings.restore(self.coding)  # the same coding; accept() then finds and keeps it
        self._project.assistance.accept(self.suggestion)
        self._workbench.coding_added(self.coding)
        self._offers.decided(self.suggestion)

    def undo(self) -> None:
        assert self.coding is not None
        self._project.assistance.undo_decision(self.suggestion)
        self._workbench.coding_removed(self.coding)
        self._offers.undecided(self.suggestion)


class RejectSuggestion(_Decision):
    def __init__(
        self, project: Project, workbench: Workbench, offers: Offers, suggestion: Suggestion, name: str
    ) -> None:
        super().__init__(project, workbench, offers, suggestion, f"Reject the suggestion “{name}”")

    def perform(self) -> None:
        self._project.assistance.reject(self.suggestion)
        self._offers.decided(self.suggestion)

    def _redo(self) -> None:
        self.perform()

    def undo(self) -> None:
        self._project.assistance.undo_decision(self.suggestion)
        self._offers.undecided(self.suggestion)
