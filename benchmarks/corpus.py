"""The one synthetic-transcript generator of the benchmarks: deterministic, seeded, interview-shaped.

Every benchmark's text comes from here. A transcript is a string of speaker turns: an interviewer and
one participant (a depth interview), two (paired) or three to six (a group), labelled ``Interviewer:``
and ``P1:`` … ``P6:`` as transcribers write them, some turns with a ``[00:12:34]`` time stamp. Its words
are a mix of the words of this field and 3,000 everyday English words (so the full-text index has a
realistic number of distinct terms, and the identifier detector realistic work), with typographic apostrophes, the odd emoji, and identifiers to anonymise
(three people's names, places, a court) at about one word in 150. Each transcript also carries the words the
search benchmark looks for: "sheriff" a few times, "Ùna" and "Søren" in one in ten, the phrase
"community payback order" broken over a line in one in five, and "funding"/"funded"/"fundamental".

Nothing here imports the app: text and numbers only. The same (seed, index, size) always gives the
same text, on any machine and any Python 3.11+ (``random.Random`` seeded with a string is portable)
with the same version of wordfreq (the cache is keyed by it too).
Change :data:`VERSION` whenever the output changes, so that cached projects built from it are rebuilt.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import wordfreq

VERSION = 5
SEED = "jswcoder-benchmarks"

COMMON = (
    "we the client worker court order support team office rural funding partner police health and to "
    "of a in that it was they she he for on with is not but don’t it’s caseworker meeting so just "
    "really think know mean have had would could there what when about because yeah well people time "
    "will may mark bill grant rose"
).split()
FILLERS = ("Yeah,", "Well,", "I mean,", "So", "Mm,", "Right,", "You know,")
# Each interview names three people from this pool (as a study's transcripts each name their own
# participants and workers) and any of the places (which recur across a study's area).
PEOPLE = (
    "Morag Fraser",
    "Aileen",
    "Eck Mair",
    "Callum Reid",
    "Shona",
    "Gordon Baird",
    "Kirsty McLeod",
    "Siobhán Quinn",
    "Lachlan",
    "Fiona Docherty",
    "Iain Munro",
    "Jolene",
    "Darren Kerr",
    "Mhairi",
    "Ruaridh Grant",
    "Agnieszka Nowak",
    "Stevie Boyle",
    "Catriona",
    "Ewan Sinclair",
    "Tam",
)
PLACES = ("Dunmore", "Glenarn", "Kilbrannan", "Strathcraig", "Glenarn Sheriff Court")
ACCENTED = ("Ùna", "Søren")  # in one interview in ten, for the search benchmark
NAMES_PER_INTERVIEW = 3
EMOJI = "🙂"
GROUP_SIZES = (3, 4, 5, 6)


@dataclass(frozen=True)
class Interview:
    """One synthetic transcript and what a fieldworker would record about it."""

    index: int
    name: str
    text: str
    speakers: int  # participants, besides the interviewer

    @property
    def format(self) -> str:
        return "depth" if self.speakers == 1 else "paired" if self.speakers == 2 else "group"


@cache
def vocabulary(size: int = 3000) -> tuple[str, ...]:
    """Everyday English words below the commonest hundred (wordfreq's list, in the installed version).

    Real words matter: the identifier detector takes a capitalised word it does not know for a name,
    so invented words at the start of sentences would have it chase names no transcript holds.
    """
    ranked = wordfreq.top_n_list("en", size + 1000)[100:]
    return tuple([w for w in ranked if w.isascii() and w.isalpha() and len(w) > 1][:size])


def speakers_of(index: int, seed: str = SEED) -> int:
    """How many participants interview *index* has: mostly one, some pairs, one in six a group."""
    rng = random.Random(f"{seed}/speakers/{index}")
    if index % 6 == 5:
        return rng.choice(GROUP_SIZES)
    return 2 if index % 5 == 4 else 1


def _sentence(rng: random.Random, words: Sequence[str], identifiers: Sequence[str], rate: float) -> list[str]:
    chosen: list[str] = []
    for _ in range(rng.randint(5, 18)):
        roll = rng.random()
        if identifiers and roll < rate:
            chosen.append(rng.choice(identifiers))
        elif roll < rate + 1 / 1500:
            chosen.append(EMOJI)
        elif roll < 0.55:
            chosen.append(rng.choice(COMMON))
        else:
            chosen.append(rng.choice(words))
    if rng.random() < 0.2:
        chosen[rng.randrange(len(chosen))] = rng.choice(("funding", "funded", "fundamental"))
    if rng.random() < 0.15:
        chosen.insert(0, rng.choice(FILLERS))
    chosen[0] = chosen[0][:1].upper() + chosen[0][1:]
    return chosen


def _turn(
    rng: random.Random, words: Sequence[str], identifiers: Sequence[str], rate: float, size: int
) -> tuple[str, int]:
    """A turn's body of about *size* words, in sentences; returns it and its word count."""
    sentences: list[str] = []
    count = 0
    while count < size:
        sentence = _sentence(rng, words, identifiers, rate)
        sentences.append(" ".join(sentence) + rng.choice((".", ".", ".", "?", "…")))
        count += len(sentence)
    return " ".join(sentences), count


def interview(
    index: int,
    *,
    words: int | None = None,
    characters: int | None = None,
    speakers: int | None = None,
    identifiers: Sequence[str] | None = None,
    identifier_rate: float = 1 / 150,
    seed: str = SEED,
) -> Interview:
    """Transcript *index* of *seed*: about *words* words, or exactly *characters* characters.

    *identifiers* are the names sprinkled in, one word in 1/*identifier_rate*: by default three of
    :data:`PEOPLE` and all :data:`PLACES` (the anonymisation benchmark passes its own register).
    """
    if (words is None) == (characters is None):
        raise ValueError("give words or characters")
    rng = random.Random(f"{seed}/transcript/{index}")
    pool = vocabulary()
    if identifiers is None:
        identifiers = [*rng.sample(PEOPLE, NAMES_PER_INTERVIEW), *PLACES]
    participants = speakers_of(index, seed) if speakers is None else speakers
    stamped = index % 3 == 0
    lines: list[str] = []
    count, size, seconds = 0, 0, 0
    while (count < words) if words is not None else (size < (characters or 0)):
        asking = len(lines) % 2 == 0
        label = "Interviewer" if asking else f"P{rng.randint(1, participants)}"
        size_of_turn = rng.randint(5, 30) if asking else rng.randint(10, 120)
        body, n = _turn(rng, pool, identifiers, identifier_rate, size_of_turn)
        seconds += n // 2 + rng.randint(1, 10)
        stamp = f"[{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}] " if stamped else ""
        line = f"{stamp}{label}: {body}"
        lines.append(line)
        count += n
        size += len(line) + 1
    answers = range(1, len(lines), 2) if len(lines) > 1 else range(len(lines))
    for _ in range(3):
        lines[rng.choice(answers)] += " The sheriff said so."
    if index % 10 == 0:
        lines[rng.choice(answers)] += " Ùna’s caseworker knew. So did Søren."
    if index % 5 == 0:
        lines[rng.choice(answers)] += " A community\npayback order was made."
    text = "\n".join(lines)
    if characters is not None:
        text = text[: characters - 1].rstrip() + "."
        text += "." * (characters - len(text))  # exactly *characters*, whatever the cut removed
    return Interview(index, f"interview_{index + 1:04d}", text, participants)


def codings(
    index: int, length: int, count: int, codes: int, *, overlap_every: int = 5, seed: str = SEED
) -> list[tuple[int, int, int]]:
    """*count* codings of a text of *length* characters: (start, end, code number) each.

    Passages run 20 to 500 characters; every *overlap_every*-th one starts inside the one before, so the
    view has overlapping highlights to draw. Code numbers are spread over ``range(codes)``.
    """
    rng = random.Random(f"{seed}/codings/{index}")
    out: list[tuple[int, int, int]] = []
    taken: set[tuple[int, int, int]] = set()
    span = min(500, max(2, length // 4))
    while len(out) < count:
        if out and len(out) % overlap_every == 1:
            start = (out[-1][0] + out[-1][1]) // 2
        else:
            start = rng.randrange(0, max(1, length - span))
        end = min(length, start + rng.randint(min(20, span - 1), span))
        if end <= start:
            start = rng.randrange(0, length - 1)
            end = start + 1
        coding = (start, end, rng.randrange(codes))
        if coding not in taken:  # the app keeps one of two identical codings
            taken.add(coding)
            out.append(coding)
    return out


def word_counts(transcripts: int, mean: int, seed: str = SEED) -> list[int]:
    """Each transcript's length in words: half to one and a half times *mean*, so about *mean* on average."""
    rng = random.Random(f"{seed}/lengths")
    return [max(50, round(mean * rng.uniform(0.5, 1.5))) for _ in range(transcripts)]


def shares(total: int, weights: Sequence[int]) -> list[int]:
    """*total* split in proportion to *weights*, in whole numbers that add up to *total*."""
    whole = sum(weights)
    out = [total * w // whole for w in weights]
    for position in sorted(range(len(weights)), key=lambda i: -(total * weights[i] % whole))[
        : total - sum(out)
    ]:
        out[position] += 1
    return out
