"""The passage index in memory: one float32 matrix of every passage's vector, and which transcript and span
each row is, with the questions suggestions and filters ask of it (which rows a coding covers).

Read by :meth:`jswcoder.services.assistance.Assistance.loaded` from the rows the index keeps in the
encrypted database; shared by every connection to one project while those rows are the same.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from jswcoder.assist import model
from jswcoder.assist.vectors import unpack_spans, unpack_vectors
from jswcoder.store import passage_index as rows

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Floats = npt.NDArray[np.float32]


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


class LoadedIndex:
    """Every up-to-date row in memory: one float32 matrix, and which transcript and span each row is."""

    def __init__(self, signature: tuple[tuple[str, str], ...], loaded: Iterable[rows.IndexRow]) -> None:
        import numpy as np  # noqa: PLC0415 (the optional part)

        self.signature = signature
        self.transcripts: list[str] = []
        self.ranges: dict[str, tuple[int, int]] = {}  # transcript UUID -> its rows [first, last)
        matrices, spans = [], []
        count = 0
        for row in loaded:
            matrices.append(unpack_vectors(row.vectors, row.count))
            spans.append(unpack_spans(row.spans, row.count))
            self.ranges[row.transcript_uuid] = (count, count + row.count)
            self.transcripts.append(row.transcript_uuid)
            count += row.count
        dim = model.DIMENSION
        self.matrix: Floats = np.vstack(matrices) if matrices else np.zeros((0, dim), dtype=np.float32)
        self.spans = np.vstack(spans) if spans else np.zeros((0, 2), dtype=np.int32)
        self._bounds: dict[str, tuple[list[int], list[int]]] = {}  # starts and ends, made when first asked
        self._coded_mask: tuple[int, Any] | None = None  # (the codings' hash, the rows they cover)
        self._theme_rows: tuple[int, dict[str, Any]] | None = None  # (the codings' hash, rows by theme)
        self.owner = np.zeros(count, dtype=np.int32)  # index into self.transcripts
        for i, uuid in enumerate(self.transcripts):
            first, last = self.ranges[uuid]
            self.owner[first:last] = i

    def __len__(self) -> int:
        return len(self.matrix)

    def rows_of(self, transcript_uuid: str) -> range:
        first, last = self.ranges.get(transcript_uuid, (0, 0))
        return range(first, last)

    def rows_over(self, transcript_uuid: str, start: int, end: int) -> list[int]:
        """The rows of a transcript's passages that ``[start, end)`` overlaps (its passages are in text
        order and apart, so two binary searches find them: suggestions ask this of every coding)."""
        bounds = self._bounds.get(transcript_uuid)
        if bounds is None:
            rows_ = self.rows_of(transcript_uuid)
            bounds = (
                [int(s) for s in self.spans[rows_.start : rows_.stop, 0]],
                [int(e) for e in self.spans[rows_.start : rows_.stop, 1]],
            )
            self._bounds[transcript_uuid] = bounds
        starts, ends = bounds
        first = self.ranges.get(transcript_uuid, (0, 0))[0]
        return list(range(first + bisect_right(ends, start), first + bisect_left(starts, end)))

    def theme_rows(self, codings: list[tuple[str, str, int, int]]) -> dict[str, Any]:
        """The rows each theme's codings (code, transcript, start, end) mostly cover, by code UUID, as
        sorted arrays; the last answer kept for the same codings (suggestions for each transcript of a
        project in turn, as the assistant's agreement asks, map every coding once, not once each)."""
        import numpy as np  # noqa: PLC0415

        key = hash(tuple(codings))
        if self._theme_rows is None or self._theme_rows[0] != key:
            by_theme: dict[str, list[tuple[str, int, int]]] = {}
            for code_uuid, transcript_uuid, start, end in codings:
                by_theme.setdefault(code_uuid, []).append((transcript_uuid, start, end))
            found = {
                code: np.array(sorted(self.coded_rows(spans)), dtype=np.int64)
                for code, spans in by_theme.items()
            }
            self._theme_rows = (key, found)
        return self._theme_rows[1]

    def coded_mask(self, codings: list[tuple[str, int, int]]) -> Any:
        """Which rows any of these codings (transcript, start, end) mostly covers, as a boolean array;
        the last answer is kept for the same codings (the coded/uncoded filter asks it of every coding
        in the project at each query: about a second at 30,000 codings, 20 ms to check they are the same)."""
        import numpy as np  # noqa: PLC0415

        key = hash(tuple(codings))
        if self._coded_mask is None or self._coded_mask[0] != key:
            mask = np.zeros(len(self), dtype=bool)
            mask[list(self.coded_rows(codings))] = True
            self._coded_mask = (key, mask)
        return self._coded_mask[1]

    def coded_rows(self, codings: Iterable[tuple[str, int, int]]) -> set[int]:
        """The rows each coding (transcript, start, end) mostly covers: over half the passage, or the
        passage it covers most when it covers none by half (a coding of a few words)."""
        chosen: set[int] = set()
        for transcript_uuid, start, end in codings:
            touched = self.rows_over(transcript_uuid, start, end)
            if not touched:
                continue
            overlaps = {
                i: overlap((int(self.spans[i, 0]), int(self.spans[i, 1])), (start, end)) for i in touched
            }
            mostly = [i for i, o in overlaps.items() if 2 * o > int(self.spans[i, 1]) - int(self.spans[i, 0])]
            chosen.update(mostly or [max(overlaps, key=lambda i: overlaps[i])])
        return chosen
