"""How hard a new passphrase is to guess: zxcvbn's estimate, with its reasons in plain words.

The key file beside the database can be copied and attacked offline, where no lockout runs and
Argon2id's cost per guess is the only brake, so a passphrase near the top of a leaked-password list
must not be accepted. zxcvbn (Dropbox's estimator, maintained in Python) scores a passphrase 0-4 by
the guesses an attacker with its lists of common passwords, words, names and keyboard patterns would
need. The floor is 3 ("safely unguessable": 10^8 guesses or more, about half a year of one processor
core's work at Argon2id's 64 MiB and 3 passes, less for an attacker with many). Three or four
unrelated everyday words reach it, so nobody is pushed towards symbols they will forget. Only NEW
passphrases are judged; one already in use always opens.

The reasons are zxcvbn's fixed sentences, never the passphrase or a piece of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MIN_LENGTH = 8
MIN_SCORE = 3
# zxcvbn refuses to score anything longer (its matching grows with the length); the first 72
# characters of a longer passphrase are scored, which only errs on the side of caution.
_SCORED_LENGTH = 72


@dataclass(frozen=True)
class Verdict:
    """zxcvbn's score (0-4); why the passphrase is refused, as one message (None when it is accepted)
    and as sentences, the most telling first (for a hint that has room for only a few)."""

    score: int
    problem: str | None
    reasons: tuple[str, ...] = ()


def assess(passphrase: str, context: Sequence[str] = ()) -> Verdict:
    """Judge a new passphrase. *context* holds words an attacker would try first for this project
    (its name, the coder's name); a passphrase made of them is refused."""
    if len(passphrase) < MIN_LENGTH:
        reason = f"the passphrase must be at least {MIN_LENGTH} characters long"
        return Verdict(0, reason, (f"It must be at least {MIN_LENGTH} characters long.",))
    # Loaded on the first judgement, not at start-up: its word lists take a moment to import.
    from zxcvbn import zxcvbn  # type: ignore[import-untyped]  # noqa: PLC0415

    inputs = [word for word in context if word.strip()]
    result = zxcvbn(passphrase[:_SCORED_LENGTH], user_inputs=inputs)
    score = int(result["score"])
    if score >= MIN_SCORE:
        return Verdict(score, None)
    feedback = result["feedback"]
    warning = str(feedback.get("warning") or "")
    if not warning and any(match.get("dictionary_name") == "user_inputs" for match in result["sequence"]):
        warning = "It is made from the project's name or yours."
    reasons = [warning] if warning else []
    reasons += [str(suggestion) for suggestion in feedback.get("suggestions") or []]
    reasons = reasons or ["Add another word or two. Uncommon words are better."]
    # After the colon, the first sentence reads as a clause: "This is a ..." becomes "this is a ...".
    detail = " ".join(reasons)
    return Verdict(
        score, f"the passphrase is too easy to guess: {detail[:1].lower()}{detail[1:]}", tuple(reasons)
    )
