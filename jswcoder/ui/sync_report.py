"""What a sync or merge did, as plain rows for the report dialog, in the app's words (no Qt here).

The core's reports are dataclasses that grow: a row kind is one line in :data:`LEAD_ROWS` or
:data:`FIELDWORKER_ROWS` (the report's attribute, and a small function from one item to rows), and an
attribute the table does not name yet is left alone, as is a named one a report does not have yet.

The core's error messages are written for the command line as well ("join one with: jswcoder team join
PROJECT TEAMFILE"); :func:`in_app_words` says them as the app would, by exception type first, and
otherwise by putting the menu command in place of the command line. The core's messages stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from jswcoder.services.egress import LeaksFound
from jswcoder.services.indirect import IndirectFound
from jswcoder.team.membership import NotInTeam

# What a row's button opens (the dialog offers a button only where the window can open it).
REGISTER = "register"  # the anonymisation register's review of identifying details
THEMES = "themes"  # the theme tree, at the theme the row names
MEMBERS = "members"  # the team's members list, at a member waiting for admission

COLUMNS = ("Member", "Package", "Added", "Replaced", "Removed", "Refused", "Why")


@dataclass(frozen=True)
class ReportRow:
    """One line of the report table: every cell is short plain text."""

    kind: str  # "new member", "package", "not taken", "same name", "refused", "notice", ...
    member: str = ""
    package: str = ""
    added: str = ""
    replaced: str = ""
    removed: str = ""
    refused: str = ""
    why: str = ""
    action: str = ""  # REGISTER, THEMES or MEMBERS: what fixes it
    target: str = ""  # what the action opens at (a theme's UUID)
    file: str = ""  # the file in the exchange folder, for the lead who clears it out

    @property
    def problem(self) -> bool:
        return bool(self.refused) or self.kind in {"same name", "asks to join"}

    @property
    def needs_you(self) -> bool:
        """Something to check or do: these rows come first, so the merges that went well do not hide them."""
        return self.problem or self.kind == "new member"

    def cells(self) -> tuple[str, ...]:
        return (self.member, self.package, self.added, self.replaced, self.removed, self.refused, self.why)


@dataclass(frozen=True)
class ReportView:
    """A report as the dialog shows it: a headline, an optional explanation, rows, and what to open."""

    headline: str
    rows: tuple[ReportRow, ...] = ()
    detail: str = ""
    extra_actions: tuple[str, ...] = ()  # actions offered without a row (a refused sync)

    @property
    def actions(self) -> tuple[str, ...]:
        wanted = [*self.extra_actions, *(row.action for row in self.rows if row.action)]
        return tuple(dict.fromkeys(wanted))


# -- words --------------------------------------------------------------------------------------------

# A tally's kinds as the app names them, in the order they read best; kinds added later follow.
_KIND_NAMES = {
    "codings": ("coding", "codings"),
    "transcripts": ("transcript", "transcripts"),
    "codes": ("theme", "themes"),
    "memos": ("memo", "memos"),
    "participants": ("participant", "participants"),
}


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _kept_together(n: int, one: str, many: str) -> str:
    """ "12 codings" with a space that does not break: a wrapped tally never leaves a number alone."""
    return plural(n, one, many).replace(" ", "\u00a0", 1)


def tally(counts: Mapping[str, int] | None) -> str:
    """``{"codings": 12, "transcripts": 1}`` → ``"12 codings, 1 transcript"``; nothing → ``""``."""
    if not counts:
        return ""
    order = [k for k in _KIND_NAMES if k in counts] + [k for k in counts if k not in _KIND_NAMES]
    parts = []
    for kind in order:
        n = counts[kind]
        if n:
            one, many = _KIND_NAMES.get(kind, (kind.removesuffix("s"), kind))
            parts.append(_kept_together(n, one, many))
    return ", ".join(parts)


# The command line's commands, and where the same thing is done in the app.
_MENU_FOR_COMMAND = {
    "sync": "Team › Sync with the exchange folder",
    "merge": "Team › Sync with the exchange folder",
    "team join": "Team › Join a team…",
    "team create": "Team › Create a team (this project leads it)…",
    "team": "the Team menu",
    "export": "Team › Export a package…",
    "register": "Edit › Anonymisation register…",
    "assign": "Team › Assign for double coding…",
    "import": "File › Import transcripts…",
    "codes": "the theme tree",
    "info": "the transcripts list",
    "agreement": "Analysis › Coder agreement…",
    "matrix": "Analysis › Framework matrix",
    "report": "Analysis › Export the theme report…",
    "qdpx": "File › Export to REFI-QDA (.qdpx)…",
    "qdc": "File › Export codebook (.qdc)…",
}
# "jswcoder team join PROJECT TEAMFILE", "'jswcoder register PROJECT suggest'", "jswcoder sync": a command,
# then its arguments (capitalised placeholders, or lower-case words) up to the end of the clause.
_COMMAND_LINE = re.compile(r"'?\bjswcoder\s+(?P<command>[a-z]+(?:\s+[a-z]+)?)(?P<arguments>[^;:.,)'\n]*)'?")


def _menu_for(match: re.Match[str]) -> str:
    words = match.group("command").split()
    for command in (" ".join(words[:2]), words[0]):
        if command in _MENU_FOR_COMMAND:
            return _MENU_FOR_COMMAND[command]
    return match.group(0)  # "update jswcoder to merge it" is not a command line


def app_text(message: str) -> str:
    """A core message as a sentence in the app: command lines become the menu commands."""
    text = _COMMAND_LINE.sub(_menu_for, message).strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!", "…")) else text + "."


def _leaks(error: LeaksFound) -> str:
    n = len(error.remaining)
    return (
        f"Nothing was sent: {plural(n, 'identifying detail')} would still be in it. "
        "Review each one: add it to the anonymisation register, or mark it as not identifying. "
        "Then sync again."
    )


def _not_in_team(_error: NotInTeam) -> str:
    return (
        "This project is not in a team yet. Join one with Team › Join a team…, using the team file "
        "your lead gave you."
    )


def _indirect(error: IndirectFound) -> str:
    """Details chosen to go in packages that fit too few participants: a count, and where to decide."""
    chosen = ", ".join(f"“{name}”" for name in error.attributes)
    return (
        f"Nothing was sent: {error.count}. Review them in Edit › Indirect identification…"
        + (f" with {chosen} ticked" if chosen else "")
        + ", or send fewer details (Team › What packages include…). Then sync again."
    )


# Errors whose message the app says in its own words, most specific first.
_WORDS_BY_TYPE: tuple[tuple[type[BaseException], Callable[[Any], str]], ...] = (
    (LeaksFound, _leaks),
    (NotInTeam, _not_in_team),
    (IndirectFound, _indirect),
)


def in_app_words(error: BaseException) -> str:
    for kind, words in _WORDS_BY_TYPE:
        if isinstance(error, kind):
            return words(error)
    return app_text(str(error))


def refusal_view(error: LeaksFound, again: str = "sync") -> ReportView:
    """A refused sync or export: what happened, and the button that opens what fixes it."""
    n = len(error.remaining)
    return ReportView(
        headline="Nothing was sent: identifying details are still in the transcripts.",
        detail=f"{plural(n, 'identifying detail')} would still be in what leaves this computer. Review "
        f"{'it' if n == 1 else 'each one'}: add it to the anonymisation register, or mark it as not "
        f"identifying. Then {again} again.",
        extra_actions=(REGISTER,),
    )


# -- rows ---------------------------------------------------------------------------------------------


def _items(value: object) -> list[Any]:
    """A report attribute as a list of items: a flag is one item when set, a single object one item."""
    if value is None or value is False:
        return []
    if isinstance(value, str | bytes | bool) or not isinstance(value, Iterable):
        return [value]
    return list(value)


def _name_and_fingerprint(item: Any) -> tuple[str, str]:
    """(name, fingerprint); the fingerprint's spaces do not break, so it is never read across two lines."""
    if isinstance(item, tuple | list):
        name, fingerprint = str(item[0]), str(item[1]) if len(item) > 1 else ""
    else:
        name, fingerprint = str(getattr(item, "name", item)), str(getattr(item, "fingerprint", ""))
    return name, fingerprint.replace(" ", "\u00a0")


def _package(sequence: object) -> str:
    return f"Package {sequence}"


def _admitted(item: Any) -> Iterator[ReportRow]:
    name, fingerprint = _name_and_fingerprint(item)
    yield ReportRow(
        "new member",
        member=name,
        why=f"Joined the team. Key fingerprint {fingerprint}: check it with them, for example by phone.",
    )


def _pending(item: Any) -> Iterator[ReportRow]:
    name, fingerprint = _name_and_fingerprint(item)
    yield ReportRow(
        "asks to join",
        member=name,
        why=f"Asks to join. Key fingerprint {fingerprint}: admit them once they read the same one out to you."
        if fingerprint
        else "Asks to join.",
        action=MEMBERS,
        target=name,
    )


def _waiting(name: Any) -> Iterator[ReportRow]:
    yield ReportRow(
        "waiting",
        member=str(name),
        refused="Packages wait",
        why="Their packages wait until you admit them.",
        action=MEMBERS,
        target=str(name),
    )


def _merged(report: Any) -> Iterator[ReportRow]:
    member, package = str(report.member_name), _package(report.sequence)
    reasons = list(getattr(report, "refused", []))
    changed = getattr(report, "changed", True)
    yield ReportRow(
        "package",
        member=member,
        package=package,
        added=tally(getattr(report, "added", None)),
        replaced=tally(getattr(report, "replaced", None)),
        removed=tally(getattr(report, "removed", None)),
        refused=plural(len(reasons), "item") if reasons else "",
        why="Merged." if changed else "Merged: nothing changed since their last package.",
    )
    for reason in reasons:
        yield ReportRow(
            "not taken", member=member, package=package, refused="Not taken", why=app_text(reason)
        )
    for note in getattr(report, "notes", []):  # said for the lead to know; nothing was refused
        yield ReportRow("notice", member=member, package=package, why=app_text(note))
    for collision in getattr(report, "name_collisions", []):
        yield ReportRow(
            "same name",
            member=member,
            package=package,
            why=f"Their theme “{collision.get('path', '?')}” has the same name as a team theme: fold one "
            "into the other in the theme tree (Merge into…).",
            action=THEMES,
            target=str(collision.get("incoming_uuid", "")),
        )


def _refused_file(item: Any) -> Iterator[ReportRow]:
    file, reason = (str(item[0]), str(item[1])) if isinstance(item, tuple | list) else ("", str(item))
    member, _, name = file.rpartition("/")
    stem = name.removesuffix(".jswpkg")
    if name.endswith(".jswpkg") and stem.isdigit():
        package, what = _package(int(stem)), "Whole package"
    elif name.endswith(".json"):
        package, what = "Join request", "Not admitted"
    else:
        package, what = name, "Not merged"
    yield ReportRow("refused", member=member, package=package, refused=what, why=app_text(reason), file=name)


def _key_learned(name: Any) -> Iterator[ReportRow]:
    yield ReportRow(
        "notice",
        member=str(name),
        why="Their encryption key arrived: transcripts assigned to them for double coding go out now.",
    )


def _published(_flag: Any) -> Iterator[ReportRow]:
    yield ReportRow("notice", why="Published the team codebook to the exchange folder.")


def _notice(item: Any) -> Iterator[ReportRow]:
    yield ReportRow("notice", why=app_text(str(item)))


def _skipped(note: Any) -> Iterator[ReportRow]:
    """ "team.jswteam: not used, so the codebook was not updated (...)": the file, and why, apart."""
    file, said, why = str(note).partition(": ")
    if not said or " " in file:
        file, why = "", str(note)
    name = file.rpartition("/")[2]
    yield ReportRow("refused", package=name, refused="Passed over", why=app_text(why), file=file)


# The lead's report: (attribute of LeadSyncReport, one item → rows). A new kind of row is one line here.
LEAD_ROWS: tuple[tuple[str, Callable[[Any], Iterable[ReportRow]]], ...] = (
    ("admitted", _admitted),
    ("pending", _pending),  # join requests waiting for the lead's admission
    ("waiting", _waiting),  # their packages, waiting with them
    ("merged", _merged),
    ("refused", _refused_file),
    ("keys_learned", _key_learned),
    ("skipped", _skipped),  # files in the exchange folder passed over, if the lead's report says so
    ("team_file_written", _published),
)


def rows_of(
    report: object, table: Iterable[tuple[str, Callable[[Any], Iterable[ReportRow]]]]
) -> list[ReportRow]:
    return [
        row for name, build in table for item in _items(getattr(report, name, None)) for row in build(item)
    ]


def _beside(n: int) -> str:
    return "the reason is beside it." if n == 1 else "the reason is beside each."


def lead_view(report: object) -> ReportView:
    built = rows_of(report, LEAD_ROWS)
    rows = tuple(sorted(built, key=lambda row: not row.needs_you))  # stable: in order within each part
    merged = _items(getattr(report, "merged", None))
    members = {str(m.member_name) for m in merged}
    refused = sum(1 for r in rows if r.kind == "refused")
    admitted = sum(1 for r in rows if r.kind == "new member")
    asking = sum(1 for r in rows if r.kind == "asks to join")
    collisions = sum(1 for r in rows if r.kind == "same name")
    if merged:
        headline = f"Merged {plural(len(merged), 'package')} from {plural(len(members), 'member')}."
    elif rows:
        headline = "No new packages to merge."
    else:
        headline = "Nothing new in the exchange folder."
    details = []
    if admitted:
        details.append(f"{plural(admitted, 'new member')}: check each key fingerprint with them.")
    if asking:
        details.append(
            f"{plural(asking, 'person', 'people')} asked to join: check each key fingerprint with them "
            "before you admit them."
        )
    if refused:
        details.append(f"{plural(refused, 'file')} not taken in: {_beside(refused)}")
    if collisions:
        details.append(f"{plural(collisions, 'theme')} arrived with the same name as a team theme.")
    left = getattr(report, "left", 0)
    if left:
        details.append(f"Stopped: {plural(left, 'package')} left for the next sync.")
    return ReportView(headline, rows, detail="\n".join(details))


# -- a fieldworker's sync -----------------------------------------------------------------------------


def _codebook(update: Any) -> Iterator[ReportRow]:
    yield ReportRow("notice", why="The team codebook was updated.")
    for name in getattr(update, "conflicts", []):
        yield ReportRow(
            "same name",
            refused="Team theme",
            why=f"The team theme “{name}” was not added: this project has its own theme of that name.",
            action=THEMES,
        )


def _received(received: Any) -> Iterator[ReportRow]:
    for name in getattr(received, "added", []):
        yield ReportRow("received", added="1 transcript", why=f"“{name}” arrived for you to code as usual.")
    for note in getattr(received, "notes", []):
        yield ReportRow("refused", refused="Assignment", why=app_text(note))


def _registered(_path: Any) -> Iterator[ReportRow]:
    yield ReportRow("notice", why="Registered with the team.")


FIELDWORKER_ROWS: tuple[tuple[str, Callable[[Any], Iterable[ReportRow]]], ...] = (
    ("codebook", _codebook),
    ("received", _received),
    ("request_written", _registered),
    ("skipped", _skipped),  # a team file that could not be used, a file in the way of the package
)

# A fieldworker's report of at most this many rows, none of them a problem, is said in a few lines.
SHORT = 4


def fieldworker_sent(report: Any) -> str:
    if getattr(report, "package", None) is not None:
        return f"Sent package {report.sequence}."
    note = str(getattr(report, "note", "") or "nothing new to send")
    return note[0].upper() + note[1:] + "."


def fieldworker_summary(report: Any) -> str | None:
    """The few lines a fieldworker's usual sync comes to, or None when it needs the report table."""
    rows = rows_of(report, FIELDWORKER_ROWS)
    if len(rows) > SHORT or any(row.problem for row in rows):
        return None
    lines = []
    if getattr(report, "codebook", None) is not None:
        lines.append("The team codebook was updated.")
    lines += [f"Received for double coding: {name} (code it as usual)." for name in report.received.added]
    if getattr(report, "request_written", None) is not None:
        lines.append("Registered with the team.")
    lines += [row.why for row in rows if row.kind == "notice" and row.why not in lines]
    lines.append(fieldworker_sent(report))
    return "\n".join(lines)


def fieldworker_view(report: Any) -> ReportView:
    rows = tuple(sorted(rows_of(report, FIELDWORKER_ROWS), key=lambda row: not row.needs_you))
    problems = sum(1 for row in rows if row.problem)
    detail = f"{plural(problems, 'thing')} to look at: {_beside(problems)}" if problems else ""
    return ReportView(fieldworker_sent(report), rows, detail=detail)
