"""The demo project holds something for every analysis view: a double-coded interview, key points, summaries."""

from __future__ import annotations

import json
from pathlib import Path

from jswcoder import demo
from jswcoder.analysis.matrix import build_matrix
from jswcoder.resources import DEMO, resource
from jswcoder.store import people
from tests.conftest import FAST_KDF


def test_the_demo_has_a_double_coded_interview_key_points_and_summaries(tmp_path: Path) -> None:
    plan = json.loads(resource(DEMO, "second_coder.json").read_text(encoding="utf-8"))
    with demo.create(tmp_path / "demo", kdf=FAST_KDF) as project:
        transcript = project.transcripts.find(plan["transcript"])
        coders = {c.coder_uuid for c in project.codings.of_transcript(transcript.uuid)}
        second = people.coder_by_name(project.db, plan["coder"])
        assert second is not None and coders == {project.coder.uuid, second.uuid}
        theirs = [c for c in project.codings.of_transcript(transcript.uuid) if c.coder_uuid == second.uuid]
        text = project.transcripts.text_of(transcript.uuid)
        assert sorted(text[c.start : c.end] for c in theirs) == sorted(e["quote"] for e in plan["codings"])
        key_points = project.memos.for_target("code", project.codebook.find("Funding and resources").uuid)
        assert key_points is not None and key_points.text.startswith("Staff described")
        matrix = build_matrix(project)
        row = next(r for r, case in enumerate(matrix.cases) if case.label == "Client interview 4")
        column = next(
            c for c, theme in enumerate(matrix.themes) if theme.code.path == "Delivering for clients"
        )
        assert matrix.summary(row, column).startswith("Felt treated as a person")
        # Respect, range of support, flexibility and keeping the same worker: the second coder's
        # four are for the agreement report and are counted only when all coders are asked for.
        assert matrix.count(row, column) == 4
        # The register is ready: nothing identifying is left unreviewed, so every export works.
        assert project.register.suggestions() == []
        assert "[JSW WORKER]" in project.anonymiser.preview(plan["transcript"]).anonymised.text
        assert {p.coding.coder_uuid for p in matrix.passages(row, column)} == {project.coder.uuid}
        assert build_matrix(project, all_coders=True).count(row, column) == 8
