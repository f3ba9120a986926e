"""The anonymisation register: what identifies people in this project, and what replaces it.

The register lives inside the encrypted project. It leaves the project only through
:meth:`Register.export_csv`, which the command line and the app guard with a warning, because a
register is a list of the very names and places the study must not reveal.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections.abc import Iterable
from dataclasses import astuple, dataclass
from pathlib import Path

from sqlite_utils import Database

from jswcoder import __version__
from jswcoder.anonymise.detect import DETECTOR_VERSION, Candidate, suggest
from jswcoder.errors import InvalidInput, JswError, NotFound
from jswcoder.ids import new_uuid
from jswcoder.model import IDENTIFIER_CATEGORIES, Coder, RegisterEntry
from jswcoder.services.egress import came_unchanged, spared_in
from jswcoder.services.transcripts import Transcripts
from jswcoder.store import assignments, codes, matrix, memos, register

CSV_COLUMNS = ("text", "replacement", "category", "transcript")
MAX_CSV_BYTES = 5 * 1024 * 1024
EXPORT_WARNING = (
    "The register lists the real names, places and other details that identify the people in this "
    "study. The file written is not encrypted: keep it only where the project itself may be kept."
)


@dataclass(frozen=True)
class CsvImport:
    added: int
    already_present: int


def _descriptor(replacement: str) -> str:
    """Descriptors are bracketed in the study's style: "NAME OF AREA" becomes "[NAME OF AREA]"."""
    text = replacement.strip()
    if not text:
        raise InvalidInput("a register entry needs a replacement, e.g. [NAME OF AREA]")
    return text if text.startswith("[") and text.endswith("]") else f"[{text.strip('[]')}]"


def _category(category: str) -> str:
    value = category.strip().upper().replace(" ", "_")
    if value not in IDENTIFIER_CATEGORIES:
        raise InvalidInput(f"the category must be one of: {', '.join(IDENTIFIER_CATEGORIES)}")
    return value


class Register:
    def __init__(self, db: Database, coder: Coder, transcripts: Transcripts) -> None:
        self._db = db
        self._coder = coder
        self._transcripts = transcripts

    def entries(self) -> list[RegisterEntry]:
        return register.entries(self._db)

    def entries_for(self, transcript_uuid: str) -> list[RegisterEntry]:
        """The entries that apply to one transcript: the project-wide ones and its own."""
        return [e for e in self.entries() if e.transcript_uuid in (None, transcript_uuid)]

    def add(
        self, text: str, replacement: str, category: str = "OTHER", transcript_ref: str | None = None
    ) -> RegisterEntry:
        with self._db.atomic():
            return self._add(text, replacement, category, transcript_ref)

    def _add(self, text: str, replacement: str, category: str, transcript_ref: str | None) -> RegisterEntry:
        if not text.strip():
            raise InvalidInput("a register entry needs the identifying text")
        scope = None if transcript_ref is None else self._transcripts.find(transcript_ref).uuid
        entry = RegisterEntry(new_uuid(), text.strip(), _category(category), _descriptor(replacement), scope)
        existing = register.find(self._db, entry.text, scope)
        if existing is not None:
            raise InvalidInput(f"that text is already in the register, replaced by {existing.replacement}")
        register.insert(self._db, entry, self._coder.uuid)
        return entry

    def remove(self, uuid: str) -> None:
        with self._db.atomic():
            if not register.delete(self._db, uuid):
                raise NotFound(f"there is no register entry {uuid}")

    def dismiss(self, texts: Iterable[str]) -> int:
        """Mark candidates as reviewed and not identifying, so they are not suggested again."""
        cleaned = [t.strip() for t in texts if t.strip()]
        with self._db.atomic():
            for text in cleaned:
                register.dismiss(self._db, text, self._coder.uuid)
        return len(cleaned)

    def dismissed(self) -> list[str]:
        return register.dismissed(self._db)

    def suggestions(self) -> list[Candidate]:
        """Unreviewed candidates (neither registered nor dismissed), sorted by category then text.

        The detector's, across every transcript and its notes; and register entries typed in lower case
        anywhere in the project's own text (transcripts, notes, memos, theme names, matrix summaries),
        which replacement spares but the leak check reports (:mod:`jswcoder.services.egress`), each with
        its entry's descriptor to accept. Transcripts received to double-code are left out while their
        text is the one that arrived: the lead anonymised them, and they go back as they came.
        """
        texts: list[str] = []
        arrived = assignments.received_hashes(self._db)
        for transcript in self._transcripts.all():
            text = self._transcripts.text_of(transcript.uuid)
            if came_unchanged(arrived, transcript.uuid, text):
                continue
            texts.append(text)
            texts.extend(note.text for note in self._transcripts.notes(transcript.uuid))
        entries, dismissed = self.entries(), self.dismissed()
        own = [
            *(memo.text for memo in memos.listing(self._db)),
            *(part for code in codes.tree(self._db) for part in (code.name, code.description)),
            *matrix.summaries(self._db).values(),
        ]
        spared = spared_in(entries, [*texts, *own], dismissed) if entries else []
        if not texts:
            return sorted(spared, key=lambda c: (c.category, c.text))
        reviewed = {text.casefold() for text in [e.text for e in entries] + dismissed}
        detected = [c for c in self._detected(texts) if c.text.casefold() not in reviewed]
        return sorted([*detected, *spared], key=lambda c: (c.category, c.text))

    def _detected(self, texts: list[str]) -> list[Candidate]:
        """What the detector finds in ``texts``; saved in the project, so it runs again only when they change."""
        digest = hashlib.sha256(f"jswcoder {__version__} detector {DETECTOR_VERSION}".encode())
        for text in texts:
            encoded = text.encode("utf-8", "surrogatepass")
            digest.update(len(encoded).to_bytes(8, "big") + encoded)
        key = digest.hexdigest()
        cached = register.cached_candidates(self._db, key)
        if cached is not None:
            return [Candidate(*row) for row in cached]
        found = suggest(texts)
        register.cache_candidates(self._db, key, [list(astuple(c)) for c in found])
        return found

    def import_csv(self, path: Path) -> CsvImport:
        """Add a team's shared list (columns text, replacement, category[, transcript]); all or nothing."""
        rows = _read_csv(Path(path))
        added = present = 0
        with self._db.atomic():
            for line, row in rows:
                scope_ref = row.get("transcript") or None
                try:
                    scope = None if scope_ref is None else self._transcripts.find(scope_ref).uuid
                    existing = register.find(self._db, row["text"].strip(), scope)
                    if existing is not None and existing.replacement == _descriptor(row["replacement"]):
                        present += 1
                        continue
                    self._add(row["text"], row["replacement"], row["category"], scope_ref)
                except JswError as error:
                    raise InvalidInput(
                        f"{Path(path).name}, line {line}: {error}; nothing was imported"
                    ) from None
                added += 1
        return CsvImport(added, present)

    def export_csv(self, path: Path) -> int:
        """Write the register as CSV, readable by the owner only. Callers warn first (EXPORT_WARNING)."""
        names = {t.uuid: t.name for t in self._transcripts.all()}
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        entries = self.entries()
        for e in entries:
            writer.writerow([e.text, e.replacement, e.category, names.get(e.transcript_uuid or "", "")])
        target = Path(path)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(buffer.getvalue())
        return len(entries)


def _read_csv(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Rows of a register CSV with their line numbers; hostile input gets a clear error."""
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            raise InvalidInput(
                f"{path.name} is larger than {MAX_CSV_BYTES // (1024 * 1024)} MiB; is it a register?"
            )
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InvalidInput(f"{path.name} was not found") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path.name} is not UTF-8 text; save it as CSV UTF-8 and try again") from None
    except OSError as error:
        raise InvalidInput(f"{path.name} cannot be read ({error.strerror})") from None
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [name.strip().lower() for name in reader.fieldnames or []]
        missing = [c for c in CSV_COLUMNS[:3] if c not in header]
        if missing:
            raise InvalidInput(
                f"{path.name} needs the columns text, replacement, category; missing: {', '.join(missing)}"
            )
        reader.fieldnames = header
        rows = [(reader.line_num, {k: (v or "") for k, v in row.items() if k}) for row in reader]
    except csv.Error as error:
        raise InvalidInput(f"{path.name} is not a readable CSV file ({error})") from None
    if not rows:
        raise InvalidInput(f"{path.name} has no entries")
    return rows
