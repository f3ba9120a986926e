"""Writes over lists that grow with a study run in batches: SQLite refuses too many bound values."""

from __future__ import annotations

from pathlib import Path

from jswcoder.project import Project
from jswcoder.store import codes as code_rows
from jswcoder.store import merge as merge_rows
from jswcoder.store.params import BATCH, batches
from tests.conftest import write_txt

MORE_THAN_SQLITE_TAKES = 260_000  # this build takes 250,000; builds elsewhere 32,766


def _strangers(prefix: str) -> list[str]:
    return [f"{prefix}-{i:06d}" for i in range(MORE_THAN_SQLITE_TAKES)]


def test_batches_cover_every_value_once() -> None:
    values = [str(i) for i in range(2 * BATCH + 7)]
    parts = list(batches(values))
    assert [len(p) for p in parts] == [BATCH, BATCH, 7]
    assert [v for p in parts for v in p] == values
    assert list(batches([])) == []


def test_recode_and_delete_take_a_study_sized_list(project: Project, tmp_path: Path) -> None:
    project.transcripts.import_file(write_txt(tmp_path / "in", "int_1.txt", "P1: We share the office now.\n"))
    first, second = project.codebook.add("Partnership"), project.codebook.add("Funding")
    kept, _ = project.codings.add("int_1", 4, 12, first.uuid)
    moved, _ = project.codings.add("int_1", 13, 20, first.uuid)
    memo = project.memos.save("code", first.uuid, "A note on the theme.")
    assert memo is not None
    with project.db.atomic():
        code_rows.recode(project.db, [*_strangers("c"), moved.uuid], second.uuid)
        code_rows.retarget_memos(project.db, [*_strangers("m"), memo.uuid], second.uuid)
    assert {c.uuid: c.code_uuid for c in project.codings.of_transcript(kept.transcript_uuid)} == {
        kept.uuid: first.uuid,
        moved.uuid: second.uuid,
    }
    with project.db.atomic():
        code_rows.delete_codings(project.db, [moved.uuid, *_strangers("d")])
        code_rows.delete_memos(project.db, [*_strangers("e"), memo.uuid])
        merge_rows.forget_contributions(project.db, "coding", _strangers("f"))
    assert [c.uuid for c in project.codings.of_transcript(kept.transcript_uuid)] == [kept.uuid]
    assert project.memos.all() == []
