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
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, field, replace
from pathlib import Path

from sqlite_utils import Database

from jswcoder import __version__
from jswcoder.anonymise.candidate_context import CandidateContext, Source, contexts
from jswcoder.anonymise.detect import DETECTOR_VERSION, Candidate, detect
from jswcoder.anonymise.entry_parts import entry_parts
from jswcoder.anonymise.text_findings import TextFindings
from jswcoder.errors import InvalidInput, JswError, NotFound
from jswcoder.ids import new_uuid, text_sha256
from jswcoder.model import CATEGORY_NAMES, IDENTIFIER_CATEGORIES, Coder, RegisterEntry
from jswcoder.services import audit
from jswcoder.services.egress import came_unchanged, spared_in
from jswcoder.services.transcripts import Transcripts
from jswcoder.store import assignments, codes, matrix, memos, register
from jswcoder.store import transcripts as transcript_rows

CSV_COLUMNS = ("text", "replacement", "category", "transcript", "other forms")
MAX_CSV_BYTES = 5 * 1024 * 1024
EXPORT_WARNING = (
    "The register lists the real names, places and other details that identify the people in this "
    "study. The file written is not encrypted: keep it only where the project itself may be kept."
)


@dataclass(frozen=True)
class CsvImport:
    added: int
    already_present: int


@dataclass(frozen=True)
class Review:
    """What the register review shows: the candidates left to review, and where each one occurs."""

    candidates: list[Candidate]
    contexts: dict[str, CandidateContext]  # by candidate text


@dataclass
class _Texts:
    """The project's own text, read once: what the detector reads, the rest, and each named for people."""

    detected: list[str] = field(default_factory=list)  # transcripts and their notes, in order
    own: list[str] = field(default_factory=list)  # memos, theme names and descriptions, matrix summaries
    sources: list[Source] = field(default_factory=list)  # all of them, in that order

    def add(self, source: Source, *, detected: bool) -> None:
        (self.detected if detected else self.own).append(source.text)
        self.sources.append(source)


def _descriptor(replacement: str) -> str:
    """Descriptors are bracketed in the study's style: "NAME OF AREA" becomes "[NAME OF AREA]"."""
    text = replacement.strip()
    if not text:
        raise InvalidInput("a register entry needs a replacement, e.g. [NAME OF AREA]")
    return text if text.startswith("[") and text.endswith("]") else f"[{text.strip('[]')}]"


_BY_NAME = {name.casefold(): code for code, name in CATEGORY_NAMES.items()}


def _category(category: str) -> str:
    """A category code from its code ("CASE_REF", "case_ref") or its name ("Case reference")."""
    value = _BY_NAME.get(" ".join(category.split()).casefold(), category.strip().upper().replace(" ", "_"))
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
        self,
        text: str,
        replacement: str,
        category: str = "OTHER",
        transcript_ref: str | None = None,
        variants: Iterable[str] = (),
    ) -> RegisterEntry:
        with self._db.atomic():
            entry = self._add(text, replacement, category, transcript_ref, variants)
            self._noted("register.add", [entry])
            return entry

    def add_all(self, rows: Sequence[tuple[str, str, str]]) -> list[RegisterEntry]:
        """Add (text, replacement, category) rows for all transcripts: all of them, or none."""
        with self._db.atomic():
            added = [self._add(text, replacement, category, None) for text, replacement, category in rows]
            self._noted("register.add", added)
            return added

    def _add(
        self,
        text: str,
        replacement: str,
        category: str,
        transcript_ref: str | None,
        variants: Iterable[str] = (),
    ) -> RegisterEntry:
        if not text.strip():
            raise InvalidInput("a register entry needs the identifying text")
        scope = None if transcript_ref is None else self._transcripts.find(transcript_ref).uuid
        entry = RegisterEntry(new_uuid(), text.strip(), _category(category), _descriptor(replacement), scope)
        existing = register.find(self._db, entry.text, scope)
        if existing is not None:
            raise InvalidInput(f"that text is already in the register, replaced by {existing.replacement}")
        for other in register.entries(self._db):
            if other.transcript_uuid == scope and _folded(entry.text) in map(_folded, other.variants):
                raise InvalidInput(
                    f"that text is already in the register as another form, replaced by {other.replacement}"
                )
        entry = replace(entry, variants=self._variants(entry, variants))
        register.insert(self._db, entry, self._coder.uuid)
        return entry

    def entry_named(self, text: str, transcript_ref: str | None = None) -> RegisterEntry:
        """The entry for ``text`` (for all transcripts, or for the one named), in any case."""
        scope = None if transcript_ref is None else self._transcripts.find(transcript_ref).uuid
        wanted = _folded(text)
        for entry in register.entries(self._db):
            if entry.transcript_uuid == scope and _folded(entry.text) == wanted:
                return entry
        where = "for all transcripts" if scope is None else "for that transcript"
        raise NotFound(f"the register has no entry with that text {where}")

    def set_variants(self, uuid: str, variants: Iterable[str]) -> RegisterEntry:
        """Give an entry other forms ("Shiv", "Mrs K" for "Siobhan Kerr"), replacing those it had; each is
        replaced by the entry's descriptor, by the same rules as the entry's text."""
        with self._db.atomic():
            entry = register.by_uuid(self._db, uuid)
            if entry is None:
                raise NotFound(f"there is no register entry {uuid}")
            entry = replace(entry, variants=self._variants(entry, variants))
            register.set_variants(self._db, uuid, entry.variants)
            self._noted("register.edit", [entry])
            return entry

    def _variants(self, entry: RegisterEntry, variants: Iterable[str]) -> tuple[str, ...]:
        """The other forms as kept: trimmed, each once, never the entry's own text. A form another entry
        (for the same transcripts) already replaces is refused: two descriptors would claim it."""
        taken = {
            _folded(form): other
            for other in register.entries(self._db)
            if other.uuid != entry.uuid and other.transcript_uuid == entry.transcript_uuid
            for form in other.forms()
        }
        kept: list[str] = []
        seen = {_folded(entry.text)}
        for variant in (" ".join(v.split()) for v in variants):
            if not variant or _folded(variant) in seen:
                continue
            if (other := taken.get(_folded(variant))) is not None:
                raise InvalidInput(
                    f"another register entry already has one of these forms, replaced by {other.replacement}"
                )
            seen.add(_folded(variant))
            kept.append(variant)
        return tuple(kept)

    def remove(self, uuid: str) -> None:
        with self._db.atomic():
            gone = [e for e in register.entries(self._db) if e.uuid == uuid]
            if not register.delete(self._db, uuid):
                raise NotFound(f"there is no register entry {uuid}")
            self._noted("register.remove", gone)

    def dismiss(self, texts: Iterable[str]) -> int:
        """Mark candidates as reviewed and not identifying, so they are not suggested again."""
        cleaned = [t.strip() for t in texts if t.strip()]
        with self._db.atomic():
            for text in cleaned:
                register.dismiss(self._db, text, self._coder.uuid)
            if cleaned:
                audit.record(self._db, self._coder, "register.dismiss", suggestions=len(cleaned))
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
        return self._suggestions(self._texts())

    def review(self) -> Review:
        """The suggestions, each with where it occurs and the words around it (the texts read once)."""
        texts = self._texts()
        candidates = self._suggestions(texts)
        return Review(candidates, contexts([c.text for c in candidates], texts.sources))

    def _texts(self) -> _Texts:
        texts = _Texts()
        arrived = assignments.received_hashes(self._db)
        for transcript in self._transcripts.all():
            text = self._transcripts.text_of(transcript.uuid)
            if came_unchanged(arrived, transcript.uuid, text):
                continue
            name = transcript.name
            texts.add(Source(name, text, transcript.uuid, name, openable=True), detected=True)
            for note in transcript_rows.notes(self._db, transcript.uuid):  # by UUID: one query
                texts.add(Source(f"{name} ({note.kind})", note.text, transcript.uuid, name), detected=True)
        for memo in memos.listing(self._db):
            texts.add(Source("a memo", memo.text), detected=False)
        for code in codes.tree(self._db):
            texts.add(Source(f"the theme {code.path}", code.name), detected=False)
            texts.add(Source(f"the description of {code.path}", code.description), detected=False)
        for summary in matrix.summaries(self._db).values():
            texts.add(Source("a matrix summary", summary), detected=False)
        return texts

    def _suggestions(self, texts: _Texts) -> list[Candidate]:
        entries, dismissed = self.entries(), self.dismissed()
        key = _digest(f"jswcoder {__version__} detector {DETECTOR_VERSION}", texts.detected)
        spared = self._spared(entries, texts, key, dismissed) if entries else []
        if not texts.detected:
            return sorted(spared, key=lambda c: (c.category, c.text))
        reviewed = {text.casefold() for text in [f for e in entries for f in e.forms()] + dismissed}
        detected = [c for c in self._detected(texts.detected, key) if c.text.casefold() not in reviewed]
        return sorted([*detected, *spared], key=lambda c: (c.category, c.text))

    def _spared(
        self, entries: list[RegisterEntry], texts: _Texts, texts_key: str, dismissed: list[str]
    ) -> list[Candidate]:
        """Entries typed in lower case (:func:`spared_in`); saved in the project, so they are looked for
        again only when the texts or the register change (a dismissal only filters them)."""
        key = _digest(
            f"jswcoder {__version__} spared and parts {texts_key}",
            [*(repr(astuple(e)) for e in entries), *texts.own],
        )
        cached = register.cached_spared(self._db, key)
        if cached is None:
            # Entries typed in lower case, and a person's surname or first name used on its own.
            found = spared_in(entries, [*texts.detected, *texts.own], ())
            found += entry_parts(entries, [*texts.detected, *texts.own])
            register.cache_spared(self._db, key, [list(astuple(c)) for c in found])
        else:
            found = [Candidate(*row) for row in cached]
        skip = {_folded(text) for text in dismissed}
        return [c for c in found if _folded(c.text) not in skip]

    def _detected(self, texts: list[str], key: str) -> list[Candidate]:
        """What the detector finds in ``texts``. The whole answer is saved under ``key`` (a hash of them)
        and each text's findings under the text's hash, so that an unchanged project is answered at once
        and an added transcript is read alone (:mod:`jswcoder.anonymise.text_findings`)."""
        cached = register.cached_candidates(self._db, key)
        if cached is not None:
            return [Candidate(*row) for row in cached]
        keys = [text_sha256(text) for text in texts]
        saved = {
            k: found
            for k, value in register.findings(self._db, DETECTOR_VERSION, keys).items()
            if (found := TextFindings.from_json(value)) is not None
        }
        detection = detect(texts, saved)
        with self._db.atomic():
            changed = {k: detection.findings[k].to_json() for k in detection.changed}
            register.keep_findings(self._db, DETECTOR_VERSION, changed, keys)
            register.cache_candidates(self._db, key, [list(astuple(c)) for c in detection.candidates])
        return detection.candidates

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
                    forms = split_forms(row.get("other forms", ""))
                    self._add(row["text"], row["replacement"], row["category"], scope_ref, forms)
                except JswError as error:
                    raise InvalidInput(
                        f"{Path(path).name}, line {line}: {error}; nothing was imported"
                    ) from None
                added += 1
            audit.record(
                self._db, self._coder, "register.import", file=Path(path).name, added=added, present=present
            )
        return CsvImport(added, present)

    def export_csv(self, path: Path) -> int:
        """Write the register as CSV, readable by the owner only. Callers warn first (EXPORT_WARNING)."""
        names = {t.uuid: t.name for t in self._transcripts.all()}
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        entries = self.entries()
        for e in entries:
            scope = names.get(e.transcript_uuid or "", "")
            writer.writerow([e.text, e.replacement, e.category, scope, ", ".join(e.variants)])
        target = Path(path)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(buffer.getvalue())
        audit.record(
            self._db,
            self._coder,
            "export",
            what="anonymisation register",
            file=target.name,
            entries=len(entries),
        )
        return len(entries)

    def _noted(self, action: str, entries: Sequence[RegisterEntry]) -> None:
        """A change to the register in the audit trail: how many entries, of which categories, never
        their text or descriptor (inside the change's transaction)."""
        categories = sorted({CATEGORY_NAMES.get(e.category, e.category) for e in entries})
        audit.record(self._db, self._coder, action, entries=len(entries), categories=", ".join(categories))


def split_forms(text: str) -> list[str]:
    """Other forms as a person types them: separated by commas or written one per line."""
    return [form.strip() for form in text.replace("\n", ",").split(",") if form.strip()]


def _digest(prefix: str, texts: Iterable[str]) -> str:
    """A hash of ``prefix`` and ``texts``, each text length-prefixed (no two lists hash alike)."""
    digest = hashlib.sha256(prefix.encode())
    for text in texts:
        encoded = text.encode("utf-8", "surrogatepass")
        digest.update(len(encoded).to_bytes(8, "big") + encoded)
    return digest.hexdigest()


def _folded(text: str) -> str:
    """How a dismissal is compared with a lower-case hit (as :func:`spared_in` compares them)."""
    return " ".join(text.casefold().split())


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
