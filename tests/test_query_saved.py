"""Saved coding queries in the project: checked, kept in the canonical spelling, one per name in any case."""

from __future__ import annotations

import pytest

from jswcoder.errors import InvalidInput, NotFound
from jswcoder.project import Project
from jswcoder.services.query_parse import QuerySyntaxError


def test_saved_queries_in_the_project(project: Project) -> None:
    project.codebook.add("Risk/Trust")
    saved = project.saved_queries.save("  Risk  and trust ", '"Risk"/*  and not "Risk/Trust"')
    assert (saved.name, saved.expression) == ("Risk and trust", '"Risk"/* AND NOT "Risk/Trust"')
    again = project.saved_queries.save("RISK AND TRUST", '"Risk"')
    assert (again.uuid, again.name, again.expression) == (saved.uuid, "Risk and trust", '"Risk"')
    with pytest.raises(QuerySyntaxError):
        project.saved_queries.save("Broken", '"Risk" AND')
    with pytest.raises(InvalidInput, match="needs a name"):
        project.saved_queries.save(" \t", '"Risk"')
    assert [q.name for q in project.saved_queries.all()] == ["Risk and trust"]
    removed = project.saved_queries.remove("risk and trust")
    assert removed.expression == '"Risk"' and project.saved_queries.all() == []
    with pytest.raises(NotFound):
        project.saved_queries.get("Risk and trust")
