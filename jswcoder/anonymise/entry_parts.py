"""A register entry's parts used on their own: "Kerr said…" after "Siobhan Kerr" was registered.

People are named in full once and by one name after that. The register replaces the full name; the
surname or the first name alone is left, unless someone notices. Each part of a registered person's
name that stands alone somewhere in the texts (not inside an occurrence of a registered text) is
suggested with its entry's category and descriptor, to add or dismiss like any candidate.

A part is left out when it cannot be a name on its own: shorter than three letters, not capitalised, a
particle of a name (Mac, Nic, a', van…), or a word the study itself writes in lower case ("Grant"
beside "a grant"), which says it is an ordinary word there.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from jswcoder.anonymise.detect import Candidate
from jswcoder.model import RegisterEntry

PERSON = "PERSON"
_PARTICLES = frozenset(
    {
        "mac",
        "mc",
        "nic",
        "ni",
        "ní",
        "na",
        "nan",
        "nam",
        "an",
        "a'",
        "de",
        "da",
        "di",
        "van",
        "von",
        "der",
        "le",
        "la",
        "o'",
    }
)
_SPLIT = re.compile(r"[\s\u00a0\u2009\u202f]+")


def _parts(entry: RegisterEntry) -> list[str]:
    words = [w.strip('.,;:()"“”') for w in _SPLIT.split(entry.text.strip())]
    if len(words) < 2:
        return []
    return [
        w
        for w in words
        if len(w) >= 3 and w[0].isupper() and w.casefold() not in _PARTICLES and any(c.isalpha() for c in w)
    ]


def _alternation(strings: Sequence[str]) -> re.Pattern[str]:
    ordered = sorted(set(strings), key=len, reverse=True)  # the longest claims a stretch first
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(s) for s in ordered) + r")(?!\w)")


def entry_parts(entries: Sequence[RegisterEntry], texts: Sequence[str]) -> list[Candidate]:
    """Parts of registered people's names found on their own in *texts*, each with its occurrences."""
    owners: dict[str, RegisterEntry] = {}
    for entry in entries:
        if entry.category != PERSON:
            continue
        for part in _parts(entry):
            owners.setdefault(part, entry)
    registered = {e.text for e in entries}
    owners = {part: entry for part, entry in owners.items() if part not in registered}
    if not owners:
        return []
    lowered = _alternation([part.lower() for part in owners])  # the parts as ordinary words
    ordinary = {m.group(0) for text in texts for m in lowered.finditer(text)}
    owners = {part: entry for part, entry in owners.items() if part.lower() not in ordinary}
    if not owners:
        return []
    # One pass per text: registered texts and parts together, longest first, so a part inside an
    # occurrence of its full name is claimed by the full name and not counted.
    pattern = _alternation([*registered, *owners])
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(m.group(0) for m in pattern.finditer(text) if m.group(0) in owners)
    return [
        Candidate(part, owners[part].category, owners[part].replacement, counts[part])
        for part in sorted(owners)
        if counts[part]
    ]
