"""Assistance that never leaves the laptop (issue 20): the passage index, passages like this, theme suggestions.

* **The index.** Every transcript is cut into passages (:mod:`jswcoder.services.index_passages`) and each
  passage embedded by the sentence model (:mod:`jswcoder.assist.model`). One row a transcript holds the
  vectors, inside the encrypted database, with the SHA-256 of the text they came from: :meth:`update`
  embeds only transcripts that are new or whose text changed, one transaction each, so a stopped run
  keeps what it finished. A lead's project holds the merged, anonymised transcripts, so its index covers
  those; the index is never put in a package, an export or a deposit (they name what they carry).
* **Passages like this** (:meth:`similar`, :meth:`similar_to`): the nearest passages to typed words, a
  stretch of a transcript or a coding, across the project or within a :class:`Scope`.
* **Theme suggestions** (:meth:`suggest`): for each passage of a transcript (but the interviewer's), the themes whose coded
  examples elsewhere (and whose definition) it is closest to, with the examples that led there. A
  suggestion codes nothing: :meth:`accept` codes the passage as the person who accepts it and records
  that it was suggested (in ``suggestion_decisions``, and in the audit trail with the theme, the
  transcript and the score); :meth:`reject` keeps it away.
* **The assistant as a coder** (:meth:`assistant_spans`): the suggestions for a transcript taken as a
  coder's codings, to be held to the agreement test like a person's (:mod:`jswcoder.analysis.assistant`).

The assistant never learns from the transcript it suggests for: a theme's examples come from the other
transcripts only, so its agreement with a person on a transcript is measured on text it has not seen coded.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from jswcoder.assist import model
from jswcoder.assist.vectors import nearest, pack_spans, pack_vectors
from jswcoder.errors import InvalidInput, ProjectDamaged
from jswcoder.ids import now
from jswcoder.model import Code, Coder, Coding, Transcript
from jswcoder.services import audit
from jswcoder.services.codebook import Codebook
from jswcoder.services.codings import Codings
from jswcoder.services.index_passages import passages
from jswcoder.services.loaded_index import LoadedIndex, overlap
from jswcoder.services.speakers import asks
from jswcoder.services.transcripts import Transcripts
from jswcoder.store import codings as coding_rows
from jswcoder.store import passage_index as rows
from jswcoder.store import surveys as survey_rows

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Floats = npt.NDArray[np.float32]

Progress = Callable[[int, int, str], None]  # (passages done, passages in all, transcript name)

EXAMPLES_PER_THEME = 3  # a theme's score is the mean similarity to its nearest coded examples
DEFINITION_WEIGHT = 0.25  # and a share of the similarity to its name and description
THRESHOLD = 0.30  # below this, no theme is suggested for a passage (see the note below)
MARGIN = 0.04  # a second theme is suggested only this close to the first
MAX_PER_PASSAGE = 2
SHOWN_EXAMPLES = 3
MAX_EXAMPLES = 100  # a theme's examples, spread evenly over its coded passages, bound the time a transcript
# The five constants above were chosen on half of a coded corpus (the study report's paragraphs coded with
# their section's theme, tests/assist_fixtures.py): every combination of threshold 0.30-0.45, margin
# 0.02-0.08, 1/3/5 examples, definition weight 0-0.5 and 1 or 2 themes a passage, scored by pooled kappa
# against the authors' coding. Best there: 0.283 (0.247 at the first guess, threshold 0.45). The other half
# is the test's held-aside set (tests/test_assistance_retrieval.py), never tuned on.


# Themes' definitions embedded, by (model, words): codebook text only, in memory, for the process.
_DEFINITIONS: dict[tuple[str, str], Floats] = {}


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _intact(state: rows.IndexState) -> bool:
    """Whether a row's blobs are as long as its count says (a damaged row is made again, not read)."""
    return state.spans_bytes == 8 * state.count and state.vectors_bytes == 2 * model.DIMENSION * state.count


@dataclass(frozen=True, slots=True)
class IndexStatus:
    transcripts: int  # in the project
    indexed: int  # with an up-to-date row
    passages: int  # in those rows
    available: bool  # the assistance part is installed here
    missing: tuple[str, ...]  # what it lacks, if not


@dataclass(frozen=True, slots=True)
class IndexUpdate:
    transcripts: int  # embedded this time
    passages: int
    removed: int  # rows dropped (their transcript gone, or made with another model)
    seconds: float
    cancelled: bool


@dataclass(frozen=True, slots=True)
class Scope:
    """Which passages a search for similar ones may return (None: no limit of that kind)."""

    transcripts: frozenset[str] | None = None  # UUIDs (an attribute's cases give theirs)
    coded: bool | None = None  # only coded passages (True) or only uncoded ones (False), by anyone
    code_uuid: str | None = None  # only passages coded with this theme


@dataclass(frozen=True, slots=True)
class SimilarPassage:
    transcript_uuid: str
    transcript: str  # its name
    attribution: str  # the participant's attribution ("Justice social workers interview 2"), or the name
    start: int
    end: int
    text: str
    score: float  # cosine similarity, -1 to 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "transcript": self.transcript,
            "transcript_uuid": self.transcript_uuid,
            "attribution": self.attribution,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A theme suggested for ``text[start:end]`` of a transcript, with the coded examples that led there."""

    transcript_uuid: str
    start: int
    end: int
    code_uuid: str
    path: str
    score: float
    text: str
    examples: tuple[SimilarPassage, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "theme": self.path,
            "code_uuid": self.code_uuid,
            "score": round(self.score, 4),
            "text": self.text,
            "examples": [e.as_dict() for e in self.examples],
        }


_LOADED: dict[str, LoadedIndex] = {}  # the loaded index of each open project, by database path
_OPEN: set[str] = set()  # the database paths whose first connection is open


class Assistance:
    """The project's assistance facet (``project.assistance``)."""

    def __init__(
        self,
        db: Database,
        coder: Coder,
        transcripts: Transcripts,
        codebook: Codebook,
        codings: Codings,
        *,
        shared_as: str | None = None,
        opens: bool = False,
    ) -> None:
        self._db = db
        self._coder = coder
        self._transcripts = transcripts
        self._codebook = codebook
        self._codings = codings
        self._loaded: LoadedIndex | None = None
        # The project's database path: every connection to it (the window's, each worker's) shares one
        # loaded index while its rows are the same, so the index is in memory once (150 MB at study scale).
        self._key = shared_as
        if opens and shared_as is not None:  # the window's connection (the one holding the lock)
            _OPEN.add(shared_as)

    # -- the index ---------------------------------------------------------------------------------

    def _passages_of(self, transcript: Transcript, text: str) -> list[tuple[int, int]]:
        answers = [(a.start, a.end) for a in survey_rows.answers_in(self._db, transcript.uuid)]
        return passages(text, self._transcripts.turns(transcript.uuid), answers)

    def _pending(self) -> list[tuple[Transcript, str, str]]:
        """(transcript, its text, the text's SHA-256) of each transcript not indexed as it is now."""
        states = rows.states(self._db)
        found = []
        for transcript in self._transcripts.all():
            text = self._transcripts.text_of(transcript.uuid)
            sha = text_sha256(text)
            state = states.get(transcript.uuid)
            if (
                state is None
                or state.model != model.MODEL_ID
                or state.text_sha256 != sha
                or not _intact(state)
            ):
                found.append((transcript, text, sha))
        return found

    def current(self) -> set[str]:
        """The UUIDs of the transcripts indexed as they are now: by this model, from their text as it is."""
        pending = {t.uuid for t, _, _ in self._pending()}
        return {t.uuid for t in self._transcripts.all()} - pending

    def status(self) -> IndexStatus:
        states = rows.states(self._db)
        pending = {t.uuid for t, _, _ in self._pending()}
        current = [s for uuid, s in states.items() if uuid not in pending]
        missing = tuple(model.missing())
        return IndexStatus(
            len(self._transcripts.all()), len(current), sum(s.count for s in current), not missing, missing
        )

    def update(
        self, progress: Progress | None = None, cancelled: Callable[[], bool] | None = None
    ) -> IndexUpdate:
        """Embed every transcript that is new or changed since it was indexed; each is stored in its own
        transaction as it finishes, so a cancelled (or crashed) update keeps what it did."""
        model.check_available()
        began = time.perf_counter()
        pending = self._pending()
        work = [(t, text, sha, self._passages_of(t, text)) for t, text, sha in pending]
        total = sum(len(spans) for *_, spans in work)
        removed = 0
        with self._db.atomic():  # rows of a transcript that is gone go with it; these are another model's
            for uuid, state in rows.states(self._db).items():
                if state.model != model.MODEL_ID:
                    rows.remove(self._db, uuid)
                    removed += 1
        embedder = model.shared() if work else None
        done = indexed = 0
        for transcript, text, sha, spans in work:
            if cancelled is not None and cancelled():
                break
            assert embedder is not None
            base = done

            def step(n: int, _of: int, base: int = base, name: str = transcript.name) -> None:
                if progress is not None:
                    progress(base + n, total, name)

            vectors = embedder.embed([text[s:e] for s, e in spans], progress=step, cancelled=cancelled)
            if vectors is None:
                break
            with self._db.atomic():
                if self._transcripts_text_unchanged(transcript.uuid, sha):
                    rows.put(
                        self._db,
                        rows.IndexRow(
                            transcript.uuid,
                            model.MODEL_ID,
                            sha,
                            len(spans),
                            pack_spans(spans),
                            pack_vectors(vectors),
                            now(),
                        ),
                    )
            done += len(spans)
            indexed += 1
        if progress is not None and not work:
            progress(0, 0, "")
        stopped = indexed < len(work)
        return IndexUpdate(indexed, done, removed, time.perf_counter() - began, stopped)

    def _transcripts_text_unchanged(self, uuid: str, sha: str) -> bool:
        """Whether the transcript still exists with the text that was embedded (it may have been deleted or
        edited by the window while a worker embedded it)."""
        try:
            return text_sha256(self._transcripts.text_of(uuid)) == sha
        except KeyError:  # deleted meanwhile: nothing to index
            return False

    def loaded(self, reuse: LoadedIndex | None = None) -> LoadedIndex:
        """The index in memory, read again when a row changed (another connection may have updated it).

        *reuse*: an index another connection of this project loaded (a worker's, returned to the window):
        taken as it is while its rows are still the ones stored, so each worker does not read it afresh."""
        model.check_available()
        states = rows.states(self._db)
        damaged = sum(not _intact(s) for s in states.values() if s.model == model.MODEL_ID)
        if damaged:
            raise ProjectDamaged(
                f"the passage index of {damaged} transcript{'s' if damaged > 1 else ''} is damaged; "
                "index the project again to make it anew"
            )
        signature = tuple(
            sorted((uuid, s.text_sha256) for uuid, s in states.items() if s.model == model.MODEL_ID)
        )
        for other in (reuse, _LOADED.get(self._key) if self._key is not None else None):
            if other is not None and other.signature == signature:
                self._loaded = other
        if self._loaded is None or self._loaded.signature != signature:
            self._loaded = LoadedIndex(signature, rows.rows(self._db, model.MODEL_ID))
        if self._key in _OPEN:  # not after the window's connection closed (a lock): nothing outlives it
            _LOADED[self._key] = self._loaded
        return self._loaded

    def forget(self, *, everywhere: bool = True) -> None:
        """Drop the index from memory (at a lock or close); it is read again when next wanted. A worker's
        connection closing drops only its own hold (``everywhere=False``): the window's stays shared."""
        self._loaded = None
        if everywhere and self._key is not None:
            _OPEN.discard(self._key)
            _LOADED.pop(self._key, None)

    # -- passages like this ------------------------------------------------------------------------

    def _passage(self, index: LoadedIndex, row: int, score: float, texts: dict[str, str]) -> SimilarPassage:
        uuid = index.transcripts[int(index.owner[row])]
        transcript = self._transcripts.get(uuid)
        if uuid not in texts:
            texts[uuid] = self._transcripts.text_of(uuid)
        start, end = int(index.spans[row, 0]), int(index.spans[row, 1])
        participant = self._transcripts.participant(transcript)
        attribution = (participant.attribution if participant is not None else None) or transcript.name
        return SimilarPassage(uuid, transcript.name, attribution, start, end, texts[uuid][start:end], score)

    def _allowed(self, index: LoadedIndex, scope: Scope | None, exclude: Sequence[int] = ()) -> Any:
        import numpy as np  # noqa: PLC0415

        allowed = np.ones(len(index), dtype=bool)
        if scope is not None:
            if scope.transcripts is not None:
                allowed &= np.isin(
                    index.owner, [i for i, u in enumerate(index.transcripts) if u in scope.transcripts]
                )
            if scope.coded is not None:
                coded = index.coded_mask(coding_rows.spans(self._db))
                allowed &= coded if scope.coded else ~coded
            if scope.code_uuid is not None:
                theme = np.zeros(len(index), dtype=bool)
                chosen = index.coded_rows(
                    (c.transcript_uuid, c.start, c.end)
                    for c in coding_rows.of_code(self._db, scope.code_uuid)
                )
                theme[list(chosen)] = True
                allowed &= theme
        if exclude:
            allowed[list(exclude)] = False
        return allowed

    def embed_text(self, text: str) -> Floats:
        vectors = model.shared().embed([text])
        assert vectors is not None
        first: Floats = vectors[0]
        return first

    def similar(self, text: str, *, top: int = 20, scope: Scope | None = None) -> list[SimilarPassage]:
        """The passages nearest to typed words, best first."""
        if not text.strip():
            raise InvalidInput("type some words to find passages like them")
        index = self.loaded()
        found = nearest(index.matrix, self.embed_text(text), top, self._allowed(index, scope))
        texts: dict[str, str] = {}
        return [self._passage(index, f.row, f.score, texts) for f in found]

    def similar_to(
        self, transcript_ref: str, start: int, end: int, *, top: int = 20, scope: Scope | None = None
    ) -> list[SimilarPassage]:
        """The passages nearest to ``text[start:end]`` of a transcript (a selection), itself left out."""
        import numpy as np  # noqa: PLC0415

        transcript = self._transcripts.find(transcript_ref)
        if not 0 <= start < end <= transcript.length:
            raise InvalidInput(f"choose a stretch inside {transcript.name} (0 to {transcript.length})")
        index = self.loaded()
        own = index.rows_over(transcript.uuid, start, end)
        text = self._transcripts.text_of(transcript.uuid)
        stale = not index.rows_of(transcript.uuid)
        if own and not stale and len(own) <= 3:
            query = index.matrix[own].mean(axis=0)
            query = (query / max(float(np.linalg.norm(query)), 1e-12)).astype(np.float32)
        else:  # a long stretch, or a transcript not indexed yet: embed the words themselves
            query = self.embed_text(text[start:end])
        found = nearest(index.matrix, query, top, self._allowed(index, scope, own))
        texts = {transcript.uuid: text}
        return [self._passage(index, f.row, f.score, texts) for f in found]

    def similar_to_coding(
        self, coding_uuid: str, *, top: int = 20, scope: Scope | None = None
    ) -> list[SimilarPassage]:
        coding = self._codings.get(coding_uuid)
        return self.similar_to(coding.transcript_uuid, coding.start, coding.end, top=top, scope=scope)

    # -- theme suggestions -------------------------------------------------------------------------

    def _theme_scores(
        self, index: LoadedIndex, transcript_uuid: str, themes: Sequence[Code]
    ) -> tuple[Floats, list[Any]]:
        """For each passage of the transcript (rows), each theme's score (columns); and each theme's
        example rows: passages coded with it in the other transcripts, at most :data:`MAX_EXAMPLES`
        spread evenly over them. Theme by theme, so no passages x all-examples matrix is ever made."""
        import numpy as np  # noqa: PLC0415

        own = index.rows_of(transcript_uuid)
        passages_m = index.matrix[own.start : own.stop]
        coded = index.theme_rows(coding_rows.theme_spans(self._db))
        to_definitions = passages_m @ self._definitions(themes).T
        scores = np.zeros((len(own), len(themes)), dtype=np.float32)
        examples: list[Any] = []
        for j, code in enumerate(themes):
            rows_ = coded.get(code.uuid, np.zeros(0, dtype=np.int64))
            rows_ = rows_[(rows_ < own.start) | (rows_ >= own.stop)]
            if len(rows_) > MAX_EXAMPLES:
                rows_ = rows_[np.linspace(0, len(rows_) - 1, MAX_EXAMPLES).astype(np.int64)]
            examples.append(rows_)
            if len(rows_):
                sims = passages_m @ index.matrix[rows_].T
                k = min(EXAMPLES_PER_THEME, len(rows_))
                best = -np.partition(-sims, k - 1, axis=1)[:, :k]
                scores[:, j] = (1 - DEFINITION_WEIGHT) * best.mean(
                    axis=1
                ) + DEFINITION_WEIGHT * to_definitions[:, j]
            else:  # a theme nobody has coded yet: its definition alone, held to a higher bar
                scores[:, j] = to_definitions[:, j] - 0.1
        return scores, examples

    def _definitions(self, themes: Sequence[Code]) -> Floats:
        """Each theme's name and description embedded, remembered by their words for the process (like
        the model): the app's every suggestion job opens a connection of its own, a fresh Project."""
        import numpy as np  # noqa: PLC0415

        words = [f"{c.name}. {c.description}" if c.description.strip() else c.name for c in themes]
        new = [w for w in dict.fromkeys(words) if (model.MODEL_ID, w) not in _DEFINITIONS]
        if new:
            vectors = model.shared().embed(new)
            assert vectors is not None
            _DEFINITIONS.update(((model.MODEL_ID, w), v) for w, v in zip(new, vectors, strict=True))
        return np.vstack([_DEFINITIONS[(model.MODEL_ID, w)] for w in words]).astype(np.float32)

    def _raw_suggestions(self, transcript: Transcript, *, with_examples: bool) -> list[Suggestion]:
        import numpy as np  # noqa: PLC0415

        index = self.loaded()
        own = index.rows_of(transcript.uuid)
        themes = self._codebook.all()
        if not own or not themes:
            return []
        scores, example_rows = self._theme_scores(index, transcript.uuid, themes)
        text = self._transcripts.text_of(transcript.uuid)
        found: list[Suggestion] = []
        texts: dict[str, str] = {transcript.uuid: text}
        asking = [(t.start, t.end) for t in self._transcripts.turns(transcript.uuid) if asks(t.speaker)]
        for i, row in enumerate(own):
            if any(a <= index.spans[row, 0] < b for a, b in asking):
                continue  # the interviewer's questions are what the coding answers, not what is coded
            order = np.argsort(-scores[i], kind="stable")[:MAX_PER_PASSAGE]
            best = float(scores[i, order[0]])
            for j in order:
                score = float(scores[i, j])
                if score < THRESHOLD or score < best - MARGIN:
                    break
                start, end = int(index.spans[row, 0]), int(index.spans[row, 1])
                shown: tuple[SimilarPassage, ...] = ()
                if with_examples and len(example_rows[j]):
                    sims = index.matrix[example_rows[j]] @ index.matrix[row]
                    top = np.argsort(-sims, kind="stable")[:SHOWN_EXAMPLES]
                    shown = tuple(
                        self._passage(index, int(example_rows[j][t]), float(sims[t]), texts) for t in top
                    )
                code = themes[j]
                found.append(
                    Suggestion(
                        transcript.uuid, start, end, code.uuid, code.path, score, text[start:end], shown
                    )
                )
        return found

    def suggest(self, transcript_ref: str) -> list[Suggestion]:
        """Themes for the passages of a transcript, in text order, with the examples that led there; not
        those the person has coded with that theme already, nor those they rejected or accepted before."""
        transcript = self._transcripts.find(transcript_ref)
        mine = [c for c in coding_rows.listing(self._db, transcript.uuid) if c.coder_uuid == self._coder.uuid]
        decided = {
            (d.start, d.end, d.code_uuid) for d in rows.decisions(self._db, transcript.uuid, self._coder.uuid)
        }

        def settled(s: Suggestion) -> bool:
            if (s.start, s.end, s.code_uuid) in decided:
                return True
            return any(
                c.code_uuid == s.code_uuid
                and 2 * overlap((c.start, c.end), (s.start, s.end)) > s.end - s.start
                for c in mine
            )

        return [s for s in self._raw_suggestions(transcript, with_examples=True) if not settled(s)]

    def assistant_spans(self, transcript_ref: str) -> dict[str, list[tuple[int, int]]]:
        """What the assistant would code on a transcript, by theme UUID: every suggestion, none settled
        away, as a coder's codings for the agreement test."""
        transcript = self._transcripts.find(transcript_ref)
        spans: dict[str, list[tuple[int, int]]] = {}
        for s in self._raw_suggestions(transcript, with_examples=False):
            spans.setdefault(s.code_uuid, []).append((s.start, s.end))
        return spans

    def accept(self, suggestion: Suggestion) -> Coding:
        """Code the suggested passage with its theme, as this project's coder, and record that it was a
        suggestion (with its score) for the audit trail. One transaction."""
        with self._db.atomic():
            coding, _new = self._codings.add(
                suggestion.transcript_uuid, suggestion.start, suggestion.end, suggestion.code_uuid
            )
            self._decide(suggestion, "accepted", coding.uuid)
            self._audit("suggestion.accept", suggestion)
        return coding

    def reject(self, suggestion: Suggestion) -> None:
        """Keep a suggestion away from this coder from now on."""
        with self._db.atomic():
            self._decide(suggestion, "rejected", None)

    def undo_decision(self, suggestion: Suggestion) -> None:
        """Take back an accept (the coding goes too) or a reject: the suggestion is offered again."""
        with self._db.atomic():
            for d in rows.decisions(self._db, suggestion.transcript_uuid, self._coder.uuid):
                if (d.start, d.end, d.code_uuid) == (suggestion.start, suggestion.end, suggestion.code_uuid):
                    if d.coding_uuid is not None:
                        coding_rows.delete(self._db, d.coding_uuid)
                    if d.decision == "accepted":
                        self._audit("suggestion.undo", suggestion)
                    rows.undecide(self._db, d.transcript_uuid, d.start, d.end, d.code_uuid, self._coder.uuid)

    def _audit(self, action: str, s: Suggestion) -> None:
        """The audit trail's event for an accepted suggestion (or one taken back): the theme, the
        transcript's name, where, and the score in hundredths; never the passage's words."""
        audit.record(
            self._db,
            self._coder,
            action,
            theme=s.path,
            transcript=self._transcripts.get(s.transcript_uuid).name,
            start=s.start,
            end=s.end,
            score=round(100 * s.score),
        )

    def _decide(self, s: Suggestion, decision: str, coding_uuid: str | None) -> None:
        rows.decide(
            self._db,
            rows.Decision(
                s.transcript_uuid,
                s.start,
                s.end,
                s.code_uuid,
                self._coder.uuid,
                decision,
                coding_uuid,
                s.score,
                now(),
            ),
        )

    def decisions(self, transcript_ref: str | None = None) -> list[rows.Decision]:
        """The suggestions accepted and rejected (on one transcript), by anyone, oldest first."""
        uuid = None if transcript_ref is None else self._transcripts.find(transcript_ref).uuid
        return rows.decisions(self._db, uuid)
