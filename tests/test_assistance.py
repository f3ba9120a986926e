"""The passage index and the decisions on suggestions, with the real model in a real encrypted project.

* The index is made only for what is new or changed: a second run embeds nothing, a new transcript or a
  changed text is embedded alone (counted at the model itself), a deleted transcript's or a withdrawn
  participant's vectors go with them, a stopped run keeps the transcripts it finished, another model's
  index is made again, and a damaged row is said in one plain line, then made again by the next run.
* A suggestion codes nothing by itself: accepting codes as the project's coder and records the decision
  with the coding; rejecting keeps it away; undoing puts it back (and takes the coding away).
* The model's files are refused when they are not the ones pinned, and a missing part is said plainly.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from jswcoder import demo, templates
from jswcoder.assist import model
from jswcoder.errors import JswError, NotFound, ProjectDamaged
from jswcoder.project import Project
from jswcoder.services import assistance
from jswcoder.services.assistance import Scope, Suggestion, text_sha256
from jswcoder.store import merge as merge_rows
from jswcoder.store import passage_index as rows
from tests.assist_fixtures import REPORT, import_paragraphs, report_documents
from tests.conftest import FAST_KDF, PASSPHRASE, make_project
from tests.withdrawal_scan import decrypted_pages

pytestmark = pytest.mark.skipif(
    bool(model.missing()), reason="the assistance part (jswcoder[assist]) is not installed"
)

NEW_INTERVIEW = [
    "The sheriff asked for a report by Friday, and I had three home visits booked that same week.",
    "We managed it because the team leader took two of my visits and the admin staff typed up my notes.",
    "Without that kind of goodwill the whole service would fall over within a month, honestly.",
]


@pytest.fixture
def embedded(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many texts the real model embeds in each call from now on (the model is wrapped, not replaced)."""
    calls: list[int] = []
    original = model.Embedder.embed

    def counting(self: model.Embedder, texts: Sequence[str], **kwargs: Any) -> Any:
        calls.append(len(texts))
        return original(self, texts, **kwargs)

    monkeypatch.setattr(model.Embedder, "embed", counting)
    return calls


@pytest.fixture
def demo_project(tmp_path: Path) -> Any:
    with demo.create(tmp_path / "demo", kdf=FAST_KDF) as project:
        yield project


def _one_line(error: JswError) -> str:
    message = str(error)
    assert "\n" not in message and "Traceback" not in message and len(message) < 300
    return message


def test_update_embeds_only_what_is_new_or_changed(
    demo_project: Project, embedded: list[int], tmp_path: Path
) -> None:
    project = demo_project
    before = project.assistance.status()
    assert (before.transcripts, before.indexed, before.passages, before.available) == (4, 0, 0, True)

    first = project.assistance.update()
    status = project.assistance.status()
    assert (first.transcripts, first.removed, first.cancelled) == (4, 0, False)
    assert first.passages == status.passages == sum(embedded) > 200
    assert (status.indexed, status.transcripts) == (4, 4)

    embedded.clear()
    again = project.assistance.update()
    assert (again.transcripts, again.passages, embedded) == (0, 0, [])

    # A new transcript: it alone is embedded.
    uuid, spans = import_paragraphs(project, tmp_path / "inbox", "Interview 30", NEW_INTERVIEW)
    added = project.assistance.update()
    assert (added.transcripts, added.passages) == (1, len(spans))
    assert embedded == [len(spans)]
    index = project.assistance.loaded()
    stored = [(int(s), int(e)) for s, e in index.spans[index.rows_of(uuid).start : index.rows_of(uuid).stop]]
    assert stored == spans

    # Its text changes (as a survey's re-import or a lead's merge changes it): it alone again.
    embedded.clear()
    changed = "\n\n".join([*NEW_INTERVIEW, "Since then two more staff have gone off sick with stress."])
    with project.db.atomic():
        merge_rows.replace_text(
            project.db, uuid, text=changed, content_sha256=text_sha256(changed), turns=(), notes=()
        )
    assert project.assistance.status().indexed == 4
    redone = project.assistance.update()
    assert (redone.transcripts, redone.passages) == (1, len(spans) + 1) and embedded == [len(spans) + 1]
    assert rows.states(project.db)[uuid].text_sha256 == text_sha256(changed)
    found = project.assistance.similar("colleagues absent from work because of stress", top=3)
    assert any(p.transcript_uuid == uuid and "off sick with stress" in p.text for p in found)

    # Deleted: its row goes with it, and no search returns it.
    project.transcripts.delete("Interview 30")
    assert uuid not in rows.states(project.db)
    assert all(p.transcript_uuid != uuid for p in project.assistance.similar("off sick with stress", top=50))
    embedded.clear()
    assert project.assistance.update().transcripts == 0 and embedded == []


def test_a_withdrawn_participant_leaves_no_vector(demo_project: Project) -> None:
    project = demo_project
    project.assistance.update()
    client = project.transcripts.find("demo_04_client_depth")
    assert client.participant_uuid is not None
    vectors = {r.transcript_uuid: r.vectors for r in rows.rows(project.db, model.MODEL_ID)}[client.uuid]
    assert len(project.assistance.loaded().rows_of(client.uuid)) > 10
    key = project._data_key
    assert key is not None
    # Eight pieces of the blob (one may straddle two overflow pages); decrypted_pages lowers ASCII letters.
    pieces = [vectors[i : i + 32].lower() for i in range(0, len(vectors), len(vectors) // 8)]
    project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = decrypted_pages(project.paths.database, key)
    assert sum(piece in pages for piece in pieces) >= 6  # the look can see them

    project.withdrawals.withdraw(client.participant_uuid, "asked to leave the study")
    assert client.uuid not in rows.states(project.db)
    index = project.assistance.loaded()
    assert client.uuid not in index.transcripts and len(index) == project.assistance.status().passages
    assert all(p.transcript_uuid != client.uuid for p in project.assistance.similar("unpaid work", top=100))
    # Nor in the file's pages, free ones and slack included: the withdrawal's secure delete overwrote them.
    project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = decrypted_pages(project.paths.database, key)
    assert not any(piece in pages for piece in pieces)


def test_a_stopped_update_keeps_the_transcripts_it_finished(demo_project: Project) -> None:
    project = demo_project
    names: list[str] = []

    def progress(_done: int, _total: int, name: str) -> None:
        if not names or names[-1] != name:
            names.append(name)

    stopped = project.assistance.update(progress=progress, cancelled=lambda: len(names) > 1)
    assert stopped.cancelled and stopped.transcripts == 1
    assert project.assistance.status().indexed == 1
    assert set(rows.states(project.db)) == {project.transcripts.find(names[0]).uuid}

    rest = project.assistance.update()
    assert (rest.transcripts, rest.cancelled) == (3, False)
    assert project.assistance.status().indexed == 4


def test_another_model_makes_the_index_again(demo_project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project = demo_project
    project.assistance.update()
    monkeypatch.setattr(model, "MODEL_ID", "all-MiniLM-L6-v2-int8 (a later release)")
    assert project.assistance.status().indexed == 0
    redone = project.assistance.update()
    assert (redone.removed, redone.transcripts) == (4, 4)
    assert {s.model for s in rows.states(project.db).values()} == {"all-MiniLM-L6-v2-int8 (a later release)"}
    assert project.assistance.similar("funding for the service", top=1)


@pytest.mark.parametrize("blob", ["vectors", "spans"])
def test_a_damaged_row_is_said_in_one_line_and_made_again(demo_project: Project, blob: str) -> None:
    project = demo_project
    project.assistance.update()
    uuid = project.transcripts.find("demo_02_team_leader_depth").uuid
    row = next(r for r in rows.rows(project.db, model.MODEL_ID) if r.transcript_uuid == uuid)
    with project.db.atomic():
        rows.put(project.db, replace(row, **{blob: getattr(row, blob)[:-2]}))
    project.assistance.forget()
    with pytest.raises(ProjectDamaged) as damaged:
        project.assistance.similar("funding", top=3)
    assert "damaged" in _one_line(damaged.value)
    assert project.assistance.status().indexed == 3  # the damaged row is not counted as indexed

    again = project.assistance.update()
    assert (again.transcripts, again.cancelled) == (1, False)
    assert project.assistance.similar("funding for the service", top=3)


# -- decisions on suggestions ---------------------------------------------------------------------------------


@pytest.fixture
def coded_report(tmp_path: Path) -> Any:
    """The report's paragraphs in eight documents, the first seven coded with their themes, all indexed;
    the eighth uncoded, for suggestions."""
    if not REPORT.is_file():
        pytest.skip(f"the study's report is not at {REPORT}")
    project, _ = make_project(tmp_path / "study")
    with project:
        templates.apply(templates.by_key("jsw-study"), project.codebook)
        for number, document in enumerate(report_documents(8), 1):
            uuid, spans = import_paragraphs(
                project, tmp_path / "inbox", f"Report part {number}", [text for _, text in document]
            )
            if number < 8:
                for (theme, _), (start, end) in zip(document, spans, strict=True):
                    project.codings.add(uuid, start, end, theme)
        project.assistance.update()
        yield project


def _key(s: Suggestion) -> tuple[int, int, str]:
    return (s.start, s.end, s.code_uuid)


def test_accept_reject_and_undo_at_the_core(coded_report: Project) -> None:
    project = coded_report
    offered = project.assistance.suggest("Report part 8")
    assert len(offered) >= 3
    assert not project.codings.of_transcript(project.transcripts.find("Report part 8").uuid)  # nothing coded
    assert [s.start for s in offered] == sorted(s.start for s in offered)
    assert all(e.transcript != "Report part 8" for s in offered for e in s.examples)  # never its own text
    assert sum(bool(s.examples) for s in offered) > len(offered) // 2  # a theme no one coded has none
    taken, refused = offered[0], offered[1]

    coding = project.assistance.accept(taken)
    assert (coding.coder_uuid, coding.start, coding.end, coding.code_uuid) == (
        project.coder.uuid, taken.start, taken.end, taken.code_uuid,
    )  # fmt: skip
    project.assistance.reject(refused)
    decided = {(d.start, d.end, d.code_uuid): d for d in project.assistance.decisions("Report part 8")}
    assert decided[_key(taken)].decision == "accepted" and decided[_key(taken)].coding_uuid == coding.uuid
    assert decided[_key(taken)].coder_uuid == project.coder.uuid
    assert decided[_key(refused)].decision == "rejected" and decided[_key(refused)].coding_uuid is None
    assert abs(decided[_key(taken)].score - taken.score) < 1e-6

    now = {_key(s) for s in project.assistance.suggest("Report part 8")}
    assert _key(taken) not in now and _key(refused) not in now
    assert {_key(s) for s in offered} - now == {_key(taken), _key(refused)}
    # The assistant as a coder still codes both: decisions are the person's, not the assistant's.
    spans = project.assistance.assistant_spans("Report part 8")
    assert (refused.start, refused.end) in spans[refused.code_uuid]

    # Kept across a lock: closed and opened again, the decisions hold.
    folder = project.paths.folder
    project.close()
    with Project.open(folder, passphrase=PASSPHRASE, use_keychain=False) as reopened:
        assert {_key(s) for s in reopened.assistance.suggest("Report part 8")} == now
        reopened.assistance.undo_decision(taken)
        reopened.assistance.undo_decision(refused)
        with pytest.raises(NotFound):
            reopened.codings.get(coding.uuid)
        assert reopened.assistance.decisions("Report part 8") == []
        assert {_key(s) for s in reopened.assistance.suggest("Report part 8")} == {_key(s) for s in offered}
        # The audit trail keeps that a coding came from a suggestion, and that it was taken back; it
        # names the theme, the transcript and where, never the passage's words.
        events = reopened.audit.events(newest_first=False)
        accepted = [e for e in events if e.action == "suggestion.accept"]
        undone = [e for e in events if e.action == "suggestion.undo"]
        assert len(accepted) == 1 and len(undone) == 1  # the reject is no coding: not in the trail
        assert accepted[0].details == {
            "theme": taken.path, "transcript": "Report part 8", "start": taken.start, "end": taken.end,
            "score": round(100 * taken.score),
        }  # fmt: skip
        assert accepted[0].actor == reopened.coder.name
        assert taken.text not in repr([e.details for e in events])
        assert reopened.audit.verify().ok


def test_a_passage_coded_by_hand_is_not_suggested_again(coded_report: Project) -> None:
    project = coded_report
    offered = project.assistance.suggest("Report part 8")
    first = offered[0]
    path = project.codebook.get(first.code_uuid).path
    project.codings.add("Report part 8", first.start, first.end, path)
    assert _key(first) not in {_key(s) for s in project.assistance.suggest("Report part 8")}
    assert project.assistance.decisions("Report part 8") == []  # coded by hand: no suggestion was taken


# -- the model's files ----------------------------------------------------------------------------------------


def _folder_with_changed_byte(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, package: str, inner: str
) -> None:
    """A copy of ``inner`` of the installed ``package`` with one byte changed, found in its place."""
    real = model.package_folder(package)
    assert real is not None
    copy = tmp_path / package / inner
    copy.parent.mkdir(parents=True)
    shutil.copyfile(real / inner, copy)
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0x01
    copy.write_bytes(bytes(data))
    original: Callable[[str], Path | None] = model.package_folder
    monkeypatch.setattr(
        model, "package_folder", lambda name: tmp_path / package if name == package else original(name)
    )


@pytest.mark.parametrize(
    ("package", "inner", "what"),
    [(*model.MODEL_FILE, "model"), (*model.TOKENIZER_FILE, "tokenizer")],
)
def test_a_model_file_that_differs_from_the_pinned_hash_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, package: str, inner: str, what: str
) -> None:
    real = model.package_folder(package)
    assert real is not None
    pinned = model.MODEL_SHA256 if what == "model" else model.TOKENIZER_SHA256
    assert hashlib.sha256((real / inner).read_bytes()).hexdigest() == pinned  # the installed file passes
    _folder_with_changed_byte(monkeypatch, tmp_path, package, inner)
    with pytest.raises(ProjectDamaged) as refused:
        model.Embedder()
    assert f"sentence model's {what}" in _one_line(refused.value) and "SHA-256" in str(refused.value)


def test_a_missing_file_or_part_is_said_plainly(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, project: Project
) -> None:
    (tmp_path / "empty").mkdir()
    monkeypatch.setattr(model, "package_folder", lambda name: tmp_path / "empty")
    with pytest.raises(model.AssistUnavailable) as incomplete:
        model.Embedder()
    assert "reinstall" in _one_line(incomplete.value)
    monkeypatch.undo()

    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "onnxruntime" else real_find_spec(name, *a),
    )
    assert model.missing() == ["onnxruntime"]
    status = project.assistance.status()
    assert (status.available, status.missing) == (False, ("onnxruntime",))
    with pytest.raises(model.AssistUnavailable) as absent:
        project.assistance.update()
    assert "pip install 'jswcoder[assist]'" in _one_line(absent.value) and "onnxruntime" in str(absent.value)


def test_the_coded_filters_follow_the_codings_as_they_change(demo_project: Project) -> None:
    """The coded/uncoded mask is kept between queries for the same codings, and made again when they change."""
    demo_project.assistance.update()
    query = "Housing is the thing that makes or breaks it for people coming out of custody."
    uncoded = demo_project.assistance.similar(query, top=5, scope=Scope(coded=False))
    assert uncoded
    first = uncoded[0]
    codings = demo_project.codings.of_transcript(first.transcript_uuid)
    length = first.end - first.start
    assert not any(2 * (min(c.end, first.end) - max(c.start, first.start)) > length for c in codings)

    code = demo_project.codebook.all()[0]
    demo_project.codings.add(first.transcript_uuid, first.start, first.end, code.uuid)
    again = demo_project.assistance.similar(query, top=5, scope=Scope(coded=False))
    assert (first.transcript_uuid, first.start) not in {(p.transcript_uuid, p.start) for p in again}
    coded = demo_project.assistance.similar(query, top=50, scope=Scope(coded=True))
    assert (first.transcript_uuid, first.start) in {(p.transcript_uuid, p.start) for p in coded}
    theme = demo_project.assistance.similar(query, top=50, scope=Scope(code_uuid=code.uuid))
    assert (first.transcript_uuid, first.start) in {(p.transcript_uuid, p.start) for p in theme}


def test_connections_to_one_project_share_one_loaded_index_until_it_closes(demo_project: Project) -> None:
    """The window's connection and each worker's hold the same index in memory (one copy, not one a
    panel), and none is kept once the window's connection closes (a lock)."""
    demo_project.assistance.update()
    second = demo_project.second_connection()
    worker = second.open()
    try:
        loaded = worker.assistance.loaded()
    finally:
        worker.close()
    third = second.open()
    try:
        assert third.assistance.loaded() is loaded  # read once, though by another connection
    finally:
        third.close()
    assert demo_project.assistance.loaded() is loaded

    demo_project.close(keep_lock=True)
    assert str(demo_project.paths.database) not in assistance._LOADED
