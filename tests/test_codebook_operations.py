"""Editing the code tree: rename, recolour, move, delete/restore and merge/unmerge, all reversible."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jswcoder.errors import InvalidInput, NotFound
from jswcoder.model import Coding, Memo
from jswcoder.project import Project
from jswcoder.store import codes
from jswcoder.store import codings as coding_rows
from jswcoder.store import merge as merge_rows
from jswcoder.store.codes import CodeRow
from tests.conftest import write_txt

TEXT = "P1: The grant is ring-fenced, but we still lose staff every winter.\n"


@pytest.fixture
def coded(project: Project, tmp_path: Path) -> Project:
    project.transcripts.import_file(write_txt(tmp_path / "inbox", "int_1.txt", TEXT))
    return project


def transcript_uuid(project: Project) -> str:
    return project.transcripts.all()[0].uuid


def paths(project: Project) -> list[str]:
    return [code.path for code in project.codebook.all()]


def snapshot(project: Project) -> tuple[list[CodeRow], list[Coding], list[Memo]]:
    """Everything the tree operations touch, down to timestamps."""
    rows = [row for code in project.codebook.all() if code.parent_uuid is None
            for row in codes.subtree(project.db, code.uuid)]  # fmt: skip
    return (
        rows,
        sorted(coding_rows.listing(project.db), key=lambda c: c.uuid),
        sorted(project.memos.all(), key=lambda m: m.uuid),
    )


def assert_valid_tree(project: Project) -> None:
    tree = project.codebook.all()
    by_uuid = {c.uuid: c for c in tree}
    assert len(by_uuid) == len(tree)
    assert len({c.path for c in tree}) == len(tree)
    siblings: dict[str | None, list[int]] = {}
    for code in tree:
        siblings.setdefault(code.parent_uuid, []).append(code.position)
        seen, current = set(), code
        while current.parent_uuid is not None:  # no cycles: every code reaches the top level
            assert current.uuid not in seen
            seen.add(current.uuid)
            current = by_uuid[current.parent_uuid]
    for positions in siblings.values():
        assert positions == list(range(len(positions)))


def test_rename_recolour_describe_and_origin(project: Project) -> None:
    code = project.codebook.add("Funding/Training")
    project.codebook.add("Funding/Staffing")
    before = project.codebook.rename(code.uuid, "  Courses ")
    assert before.name == "Training"
    assert project.codebook.get(code.uuid).path == "Funding/Courses"
    with pytest.raises(InvalidInput, match="already a theme called 'Staffing'"):
        project.codebook.rename(code.uuid, "Staffing")
    for bad in ("", "  ", "A/B"):
        with pytest.raises(InvalidInput, match="not a theme name"):
            project.codebook.rename(code.uuid, bad)
    project.codebook.set_colour(code.uuid, "#abc")
    assert project.codebook.get(code.uuid).colour == "#AABBCC"
    project.codebook.set_colour(code.uuid, None)
    assert project.codebook.get(code.uuid).colour is None
    with pytest.raises(InvalidInput, match="is not a colour"):
        project.codebook.set_colour(code.uuid, "blue")
    project.codebook.set_description(code.uuid, " CPD and courses ")
    assert project.codebook.get(code.uuid).description == "CPD and courses"
    project.codebook.set_origin(code.uuid, "emergent")
    assert project.codebook.get(code.uuid).origin == "emergent"
    with pytest.raises(InvalidInput, match="not an origin"):
        project.codebook.set_origin(code.uuid, "invented")  # type: ignore[arg-type]
    with pytest.raises(NotFound, match="no theme"):
        project.codebook.rename("no-such-uuid", "X")


def test_move_reorders_and_reparents_keeping_positions_contiguous(project: Project) -> None:
    a, b, c = (project.codebook.add(name) for name in ("A", "B", "C"))
    child = project.codebook.add("A/Child")
    assert project.codebook.move(c.uuid, None, 0) == (None, 2)
    assert paths(project) == ["C", "A", "A/Child", "B"]
    assert project.codebook.move(b.uuid, a.uuid, 0) == (None, 2)
    assert paths(project) == ["C", "A", "A/B", "A/Child"]
    project.codebook.move(b.uuid, None, 2)  # back where it was
    assert paths(project) == ["C", "A", "A/Child", "B"]
    assert_valid_tree(project)
    with pytest.raises(InvalidInput, match="under itself"):
        project.codebook.move(a.uuid, child.uuid, 0)
    with pytest.raises(InvalidInput, match="under itself"):
        project.codebook.move(a.uuid, a.uuid, 0)
    with pytest.raises(InvalidInput, match="outside"):
        project.codebook.move(a.uuid, None, 3)
    project.codebook.add("B/Child")
    with pytest.raises(InvalidInput, match="already a theme called 'Child'"):
        project.codebook.move(child.uuid, b.uuid, 0)
    with pytest.raises(NotFound):
        project.codebook.move(a.uuid, "missing", 0)
    assert paths(project) == ["C", "A", "A/Child", "B", "B/Child"]


def test_delete_and_restore_is_exact(coded: Project) -> None:
    t = transcript_uuid(coded)
    coded.codebook.add("Funding/First")
    training = coded.codebook.add("Funding/Training")
    coded.codebook.add("Funding/Training/Courses")
    online = coded.codebook.add("Funding/Training/Online")
    coded.codebook.add("Funding/Zeta")
    coded.codings.add(t, 0, 3, training.uuid)
    coding, _ = coded.codings.add(t, 4, 9, online.uuid)
    coded.codings.add(t, 4, 9, "Funding/Zeta")
    coded.memos.add("why training", "code", online.uuid)
    coded.memos.add("about this passage", "coding", coding.uuid)
    coded.memos.add("project note")
    before = snapshot(coded)
    assert coded.codebook.deletion_impact(training.uuid) == (3, 2)
    gone = coded.codebook.delete(training.uuid)
    assert [row.name for row in gone.codes] == ["Training", "Courses", "Online"]
    assert len(gone.codings) == 2 and len(gone.memos) == 2
    assert paths(coded) == ["Funding", "Funding/First", "Funding/Zeta"]
    assert coded.codebook.find("Funding/Zeta").position == 1
    assert [m.text for m in coded.memos.all()] == ["project note"]
    assert_valid_tree(coded)
    coded.codebook.restore(gone)
    assert snapshot(coded) == before
    with pytest.raises(InvalidInput, match="already there"):
        coded.codebook.restore(gone)
    with pytest.raises(NotFound):
        coded.codebook.delete("missing")


def test_merge_moves_codings_and_children_and_unmerge_reverses_it(coded: Project) -> None:
    t = transcript_uuid(coded)
    source = coded.codebook.add("Staff/Retention")
    coded.codebook.add("Staff/Retention/Burnout")
    target = coded.codebook.add("Funding/Staffing")
    coded.codebook.add("Funding/Staffing/Pay")
    coded.codebook.add("Staff/Zeta")
    duplicate, _ = coded.codings.add(t, 0, 3, source.uuid)
    coded.codings.add(t, 5, 9, source.uuid)
    coded.codings.add(t, 10, 12, source.uuid)
    kept, _ = coded.codings.add(t, 0, 3, target.uuid)
    coded.memos.add("note on the duplicate", "coding", duplicate.uuid)
    coded.memos.add("note on the theme", "code", source.uuid)
    before = snapshot(coded)
    record = coded.codebook.merge(source.uuid, target.uuid)
    assert (record.codings_moved, record.codings_dropped, record.children_moved) == (2, 1, 1)
    assert paths(coded) == ["Staff", "Staff/Zeta", "Funding", "Funding/Staffing", "Funding/Staffing/Pay",
                            "Funding/Staffing/Burnout"]  # fmt: skip
    assert coded.codebook.coding_counts()[target.uuid] == 3
    assert {m.target_uuid for m in coded.memos.all()} == {kept.uuid, target.uuid}
    assert_valid_tree(coded)
    coded.codebook.unmerge(record)
    assert snapshot(coded) == before


def test_merge_refusals(project: Project) -> None:
    parent = project.codebook.add("A")
    child = project.codebook.add("A/Child")
    project.codebook.add("A/Child/Same")
    other = project.codebook.add("B")
    project.codebook.add("B/Same")
    with pytest.raises(InvalidInput, match="into itself or one of its sub-themes"):
        project.codebook.merge(parent.uuid, child.uuid)
    with pytest.raises(InvalidInput, match="into itself"):
        project.codebook.merge(parent.uuid, parent.uuid)
    with pytest.raises(InvalidInput, match="already has a sub-theme called 'Same'"):
        project.codebook.merge(child.uuid, other.uuid)
    with pytest.raises(NotFound):
        project.codebook.merge(child.uuid, "missing")
    assert paths(project) == ["A", "A/Child", "A/Child/Same", "B", "B/Same"]


def test_coding_counts_are_per_code(coded: Project) -> None:
    t = transcript_uuid(coded)
    parent = coded.codebook.add("A")
    child = coded.codebook.add("A/B")
    coded.codings.add(t, 0, 3, child.uuid)
    coded.codings.add(t, 3, 6, child.uuid)
    assert coded.codebook.coding_counts() == {child.uuid: 2}
    assert coded.codebook.deletion_impact(parent.uuid) == (2, 2)


NAMES = st.sampled_from(["Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta"])
OPS = st.lists(
    st.tuples(
        st.sampled_from(["add", "add", "add", "move", "rename", "delete", "restore", "code"]),
        NAMES,
        st.integers(0, 50),
    ),
    min_size=3,
    max_size=30,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_random_edits_keep_the_tree_valid_and_delete_restore_is_identity(coded: Project, ops: list) -> None:
    book, t = coded.codebook, transcript_uuid(coded)
    for code in [c for c in book.all() if c.parent_uuid is None]:  # the project is shared between examples
        book.delete(code.uuid)
    deleted = []
    for op, name, number in ops:
        tree = book.all()
        pick = tree[number % len(tree)] if tree else None
        try:
            if op == "add":
                book.add(name if pick is None or number % 3 == 0 else f"{pick.path}/{name}")
            elif op == "move" and pick is not None:
                other = tree[(number // 2) % len(tree)]
                parent = None if number % 4 == 0 else other.uuid
                book.move(pick.uuid, parent, number % (len(book.all()) + 1) if parent is None else 0)
            elif op == "rename" and pick is not None:
                book.rename(pick.uuid, name)
            elif op == "code" and pick is not None:
                coded.codings.add(t, number % 10, number % 10 + 3, pick.uuid)
            elif op == "delete" and pick is not None:
                before = snapshot(coded)
                gone = book.delete(pick.uuid)
                assert_valid_tree(coded)
                book.restore(gone)
                assert snapshot(coded) == before
                deleted.append(book.delete(pick.uuid))
            elif op == "restore" and deleted:
                book.restore(deleted.pop())
        except InvalidInput:
            pass  # a refused edit (a clash, a cycle) must leave the tree as it was, which the check below sees
        assert_valid_tree(coded)


def test_a_merge_keeps_an_alias_that_undo_takes_back(project: Project) -> None:
    first = project.codebook.add("Theme A")
    second = project.codebook.add("Theme B")
    third = project.codebook.add("Theme C")
    record = project.codebook.merge(first.uuid, second.uuid)
    assert merge_rows.alias_target(project.db, first.uuid) == second.uuid  # later packages map to B
    later = project.codebook.merge(second.uuid, third.uuid)
    assert merge_rows.alias_target(project.db, first.uuid) == third.uuid  # aliases follow
    project.codebook.unmerge(later)
    assert merge_rows.alias_target(project.db, first.uuid) == second.uuid
    assert merge_rows.alias_target(project.db, second.uuid) is None
    project.codebook.unmerge(record)
    assert merge_rows.alias_target(project.db, first.uuid) is None
