"""Vectors as blobs, and the nearest ones to a query: brute force over one matrix.

A transcript's passages are stored as two blobs (see ``store.passage_index``): their spans as
little-endian int32 pairs and their vectors as little-endian float16, 384 a passage (half the size of
float32; the cosine changes by less than 0.001). Loaded, every transcript's vectors become one float32
matrix; a query is one matrix-vector product and a partial sort: about 6 ms over 100,000 passages on
2 cores, with no index structure to build, keep or get wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jswcoder.assist.model import DIMENSION
from jswcoder.errors import ProjectDamaged

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Floats = npt.NDArray[np.float32]
    Ints = npt.NDArray[np.int32]
    Mask = npt.NDArray[np.bool_]


def pack_spans(spans: Sequence[tuple[int, int]]) -> bytes:
    import numpy as np  # noqa: PLC0415 (the optional part)

    return np.asarray(spans, dtype="<i4").reshape(-1, 2).tobytes()


def unpack_spans(blob: bytes, count: int) -> Ints:
    import numpy as np  # noqa: PLC0415

    if len(blob) != count * 8:
        raise ProjectDamaged("the passage index is damaged (its spans do not match its count); make it again")
    return np.frombuffer(blob, dtype="<i4").reshape(count, 2).astype(np.int32)


def pack_vectors(vectors: Floats) -> bytes:
    import numpy as np  # noqa: PLC0415

    return np.asarray(vectors, dtype="<f2").tobytes()


def unpack_vectors(blob: bytes, count: int) -> Floats:
    import numpy as np  # noqa: PLC0415

    if len(blob) != count * DIMENSION * 2:
        raise ProjectDamaged(
            "the passage index is damaged (its vectors do not match its count); make it again"
        )
    return np.frombuffer(blob, dtype="<f2").reshape(count, DIMENSION).astype(np.float32)


@dataclass(frozen=True)
class Found:
    row: int  # into the matrix
    score: float  # cosine similarity, -1 to 1


def nearest(matrix: Floats, query: Floats, top: int, allowed: Mask | None = None) -> list[Found]:
    """The ``top`` rows of ``matrix`` most like ``query`` (unit vectors), best first; rows where ``allowed``
    is False are passed over."""
    import numpy as np  # noqa: PLC0415

    if top <= 0 or len(matrix) == 0:
        return []
    scores = matrix @ query
    if allowed is not None:
        scores = np.where(allowed, scores, -np.inf)
    top = min(top, len(scores))
    chosen = np.argpartition(-scores, top - 1)[:top]
    chosen = chosen[np.argsort(-scores[chosen], kind="stable")]
    return [Found(int(i), float(scores[i])) for i in chosen if np.isfinite(scores[i])]
