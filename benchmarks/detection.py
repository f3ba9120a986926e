"""Recall and precision of identifier suggestions over the six corpus transcripts.

Run: ``.venv/bin/python -m benchmarks.detection [--json OUT] [--misses]``; it prints the figures per
transcript and per category (recall by the answer key's category, precision by the suggested one). Truth is each transcript's
``*.identifiers.json``; occurrences are counted by the corpus README's rules (whole-word, case-sensitive,
longest key string first). An occurrence is *found* when one suggested candidate, applied whole-word,
covers all of it. A candidate is *correct* when it equals, lies inside or contains (whole-word) an
answer-key string.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from jswcoder.anonymise.detect import Candidate, count_occurrences, suggest, whole_word_spans
from jswcoder.importing import read_document

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus")


@dataclass
class Result:
    transcript: str
    occurrences: int
    found: int
    candidates: int
    correct: int
    misses: list[dict[str, str]] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    occurrences_by_category: dict[str, int] = field(default_factory=dict)  # the answer key's category
    candidates_by_category: dict[str, int] = field(default_factory=dict)  # the suggested category
    wrong_by_category: dict[str, int] = field(default_factory=dict)

    @property
    def recall(self) -> float:
        return self.found / self.occurrences if self.occurrences else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.candidates if self.candidates else 1.0


def transcripts(corpus: Path = CORPUS) -> list[Path]:
    return sorted(p for p in corpus.glob("A*") if p.suffix in (".docx", ".txt"))


def texts_of(path: Path) -> list[str]:
    doc = read_document(path)
    return [doc.text, *(note.text for note in doc.notes)]


def _inside(small: str, big: str) -> bool:
    return bool(re.search(rf"(?<!\w){re.escape(small)}(?!\w)", big))


def key_occurrences(key: list[dict[str, object]], texts: list[str]) -> list[tuple[str, str, int, int, int]]:
    """(text, category, text index, start, end) of every key occurrence, longest key string first."""
    out = []
    for i, text in enumerate(texts):
        taken = [False] * len(text)
        for entry in sorted(key, key=lambda e: -len(str(e["text"]))):
            s = str(entry["text"])
            for a, b in whole_word_spans(s, text):
                if not any(taken[a:b]):
                    taken[a:b] = [True] * (b - a)
                    out.append((s, str(entry["category"]), i, a, b))
    return out


def evaluate(path: Path) -> Result:
    texts = texts_of(path)
    key = json.loads(path.with_name(path.stem + ".identifiers.json").read_text(encoding="utf-8"))
    candidates: list[Candidate] = suggest(texts)
    covered: list[list[tuple[int, int]]] = [[] for _ in texts]
    for c in candidates:
        for i, text in enumerate(texts):
            covered[i].extend(whole_word_spans(c.text, text))
    occurrences = key_occurrences(key, texts)
    misses = [
        {"text": s, "category": cat}
        for s, cat, i, a, b in occurrences
        if not any(x <= a and b <= y for x, y in covered[i])
    ]
    key_strings = [str(e["text"]) for e in key]
    wrong = [
        c.text for c in candidates if not any(_inside(c.text, k) or _inside(k, c.text) for k in key_strings)
    ]
    by_category = {c.text: c.category for c in candidates}
    return Result(
        occurrences_by_category=dict(Counter(cat for _, cat, *_ in occurrences)),
        candidates_by_category=dict(Counter(c.category for c in candidates)),
        wrong_by_category=dict(Counter(by_category[w] for w in wrong)),
        transcript=path.stem,
        occurrences=len(occurrences),
        found=len(occurrences) - len(misses),
        candidates=len(candidates),
        correct=len(candidates) - len(wrong),
        misses=misses,
        wrong=wrong,
    )


def check_key_counts(path: Path) -> list[str]:
    """Key entries whose stated occurrences differ from what the counting rules give (should be none)."""
    key = json.loads(path.with_name(path.stem + ".identifiers.json").read_text(encoding="utf-8"))
    counts = count_occurrences([str(e["text"]) for e in key], texts_of(path))
    return [str(e["text"]) for e in key if counts.get(str(e["text"]), 0) != e["occurrences"]]


def run(corpus: Path = CORPUS) -> list[Result]:
    return [evaluate(p) for p in transcripts(corpus)]


def print_by_category(results: list[Result]) -> None:
    """Recall by the answer key's category, precision by the category the detector suggested."""
    occurrences: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    suggested: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    for r in results:
        occurrences.update(r.occurrences_by_category)
        missed.update(m["category"] for m in r.misses)
        suggested.update(r.candidates_by_category)
        wrong.update(r.wrong_by_category)
    print(f"{'category':12} {'recall (key)':>20} {'precision (suggested)':>24}")
    for category in sorted(set(occurrences) | set(suggested)):
        occ, cands = occurrences[category], suggested[category]
        found, right = occ - missed[category], cands - wrong[category]
        recall = f"{found:4}/{occ:<4} {found / occ:6.1%}" if occ else "-"
        precision = f"{right:4}/{cands:<4} {right / cands:6.1%}" if cands else "-"
        print(f"{category:12} {recall:>20} {precision:>24}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures (and misses) to this file")
    parser.add_argument("--misses", action="store_true", help="also list the misses and the wrong candidates")
    args = parser.parse_args(argv)
    results = run()
    print(f"{'transcript':34} {'recall':>16} {'precision':>16}")
    for r in results:
        print(
            f"{r.transcript:34} {r.found:4}/{r.occurrences:<4} {r.recall:6.1%} "
            f"{r.correct:4}/{r.candidates:<4} {r.precision:6.1%}"
        )
    found = sum(r.found for r in results)
    occ = sum(r.occurrences for r in results)
    correct = sum(r.correct for r in results)
    cands = sum(r.candidates for r in results)
    print(f"{'TOTAL':34} {found:4}/{occ:<4} {found / occ:6.1%} {correct:4}/{cands:<4} {correct / cands:6.1%}")
    by_category: dict[str, list[str]] = {}
    for r in results:
        for miss in r.misses:
            by_category.setdefault(miss["category"], []).append(miss["text"])
    print("misses by category:", {k: len(v) for k, v in sorted(by_category.items())} or "none")
    print_by_category(results)
    if args.misses:
        for category, texts in sorted(by_category.items()):
            print(f"  {category}: {sorted(set(texts))}")
        for r in results:
            print(f"  wrong in {r.transcript}: {r.wrong}")
    if args.json:
        figures = {
            "recall": found / occ,
            "precision": correct / cands,
            "transcripts": [asdict(r) | {"recall": r.recall, "precision": r.precision} for r in results],
        }
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
