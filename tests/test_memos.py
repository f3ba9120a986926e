"""Memos on a real encrypted project: one memo per target, saved, updated and deleted as the panel needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from jswcoder.errors import InvalidInput, NotFound
from jswcoder.project import Project
from tests.conftest import PASSPHRASE, write_txt


@pytest.fixture
def targets(project: Project, tmp_path: Path) -> dict[str, str]:
    """A transcript, a theme and a coding to write memos about."""
    transcript, _warnings = project.transcripts.import_file(
        write_txt(tmp_path / "inbox", "interview_1.txt", "P1: The court order was fair.\n")
    )
    code = project.codebook.add("Justice/Courts")
    coding, _new = project.codings.add(transcript.uuid, 4, 9, code.uuid)
    return {"transcript": transcript.uuid, "code": code.uuid, "coding": coding.uuid}


def test_save_creates_updates_and_blank_deletes(project: Project, targets: dict[str, str]) -> None:
    uuid = targets["transcript"]
    assert project.memos.for_target("transcript", uuid) is None

    created = project.memos.save("transcript", uuid, "First thoughts")
    assert created is not None
    assert project.memos.for_target("transcript", uuid) == created

    updated = project.memos.save("transcript", uuid, "First thoughts, revised")
    assert updated is not None
    assert updated.uuid == created.uuid
    assert updated.created_at == created.created_at
    assert updated.updated_at >= created.updated_at
    assert project.memos.for_target("transcript", uuid) == updated
    assert len(project.memos.all()) == 1

    assert project.memos.save("transcript", uuid, "  \n\t ") is None
    assert project.memos.for_target("transcript", uuid) is None
    assert project.memos.all() == []
    assert project.counts()["memos"] == 0


def test_saving_the_same_text_keeps_the_timestamp(project: Project, targets: dict[str, str]) -> None:
    first = project.memos.save("code", targets["code"], "Courts come up often")
    again = project.memos.save("code", targets["code"], "Courts come up often")
    assert again == first


def test_text_is_kept_verbatim(project: Project, targets: dict[str, str]) -> None:
    text = "  Ùna's point 😀\n\n- check with the team\n"
    project.memos.save("coding", targets["coding"], text)
    memo = project.memos.for_target("coding", targets["coding"])
    assert memo is not None and memo.text == text


def test_each_target_has_its_own_memo(project: Project, targets: dict[str, str]) -> None:
    project.memos.save("project", None, "about the study")
    for kind in ("transcript", "code", "coding"):
        project.memos.save(kind, targets[kind], f"about the {kind}")  # type: ignore[arg-type]

    assert {(m.target_kind, m.text) for m in project.memos.all()} == {
        ("project", "about the study"),
        ("transcript", "about the transcript"),
        ("code", "about the code"),
        ("coding", "about the coding"),
    }
    # The same UUID under another kind is another target.
    assert project.memos.for_target("code", targets["transcript"]) is None

    project.memos.save("code", targets["code"], "")
    assert project.memos.for_target("code", targets["code"]) is None
    remaining = project.memos.for_target("transcript", targets["transcript"])
    assert remaining is not None and remaining.text == "about the transcript"
    project_memo = project.memos.for_target("project", None)
    assert project_memo is not None and project_memo.text == "about the study"


def test_project_memo_survives_reopening(tmp_path: Path, project: Project) -> None:
    saved = project.memos.save("project", None, "Sampling: four councils")
    folder = project.paths.folder
    project.close()
    with Project.open(folder, passphrase=PASSPHRASE) as reopened:
        assert reopened.memos.for_target("project", None) == saved


def test_the_latest_of_several_older_memos_is_the_one_edited(
    project: Project, targets: dict[str, str]
) -> None:
    project.memos.add("older", "transcript", targets["transcript"])
    newer = project.memos.add("newer", "transcript", targets["transcript"])
    assert project.memos.for_target("transcript", targets["transcript"]) == newer
    saved = project.memos.save("transcript", targets["transcript"], "newer, edited")
    assert saved is not None and saved.uuid == newer.uuid
    assert sorted(m.text for m in project.memos.all()) == ["newer, edited", "older"]


def test_remove(project: Project) -> None:
    memo = project.memos.add("to go")
    assert project.memos.remove(memo.uuid) == memo
    assert project.memos.all() == []
    with pytest.raises(NotFound):
        project.memos.remove(memo.uuid)


@pytest.mark.parametrize(
    ("kind", "uuid"), [("project", "some-uuid"), ("transcript", None), ("participant", "some-uuid")]
)
def test_bad_targets_are_refused(project: Project, kind: str, uuid: str | None) -> None:
    with pytest.raises(InvalidInput):
        project.memos.save(kind, uuid, "text")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        project.memos.for_target(kind, uuid)  # type: ignore[arg-type]
    assert project.memos.all() == []
