"""A project: one folder holding the encrypted database, its key file and its lock.

:class:`Project` is the one service API: the command line and the desktop app both call it, and so do
the tests. Its facets (``transcripts``, ``codebook``, ``codings``, ``memos``) hold the operations;
this module holds the life cycle: create, unlock, change the passphrase, re-key, close.

Layout of a project folder (copy the folder to move the project)::

    Study/
        project.jswc        the SQLCipher 4 database (whole file encrypted)
        project.keys        the data key, wrapped by the passphrase and by the recovery key
        project.lock        held by the process that has the project open

and, only while the project is being re-keyed (or after a crash in the middle of it)::

        project.keys.pending    the new data key, wrapped by the new passphrase and recovery key
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from sqlite_utils import Database

from jswcoder import __version__
from jswcoder.errors import (
    JswError,
    KeyFileError,
    OtherGeneration,
    ProjectDamaged,
    ProjectExists,
    ProjectNotFound,
    StorageFailed,
    WrongSecret,
)
from jswcoder.ids import new_uuid, now
from jswcoder.logs import Safe
from jswcoder.model import Coder
from jswcoder.security import keychain, keyfile
from jswcoder.security.lock import ProjectLock
from jswcoder.services.anonymisation import Anonymiser
from jswcoder.services.assistance import Assistance
from jswcoder.services.audit import AuditTrail
from jswcoder.services.cases import Cases
from jswcoder.services.codebook import Codebook
from jswcoder.services.codings import Codings
from jswcoder.services.last_place import LastPlace
from jswcoder.services.memos import Memos
from jswcoder.services.pins import Pins
from jswcoder.services.recordings import Recordings
from jswcoder.services.register import Register
from jswcoder.services.saved_queries import SavedQueries
from jswcoder.services.search import Search
from jswcoder.services.speakers import Speakers
from jswcoder.services.summaries import Summaries
from jswcoder.services.surveys import Surveys
from jswcoder.services.transcription import Transcription
from jswcoder.services.transcripts import Transcripts
from jswcoder.services.withdrawal import Withdrawals
from jswcoder.store import database, meta, people, schema
from jswcoder.team.membership import Team

log = logging.getLogger(__name__)

DATABASE_NAME = "project.jswc"
KEYS_NAME = "project.keys"
PENDING_KEYS_NAME = "project.keys.pending"
LOCK_NAME = "project.lock"


class PassphraseRequired(JswError):
    """The keychain does not hold the key and no passphrase was given."""


@dataclass(frozen=True)
class ProjectPaths:
    folder: Path

    @classmethod
    def of(cls, path: Path | str) -> ProjectPaths:
        """Accept the project folder or the database file inside it."""
        path = Path(path).expanduser()
        if path.name == DATABASE_NAME and path.is_file():
            path = path.parent
        return cls(path.absolute())

    @property
    def database(self) -> Path:
        return self.folder / DATABASE_NAME

    def check_new(self) -> None:
        """A new project needs a folder that does not exist yet, or an empty one."""
        if self.folder.exists() and (not self.folder.is_dir() or any(self.folder.iterdir())):
            raise ProjectExists(f"{self.folder} already exists and is not empty; choose a new folder")

    @property
    def keys(self) -> Path:
        return self.folder / KEYS_NAME

    @property
    def pending_keys(self) -> Path:
        return self.folder / PENDING_KEYS_NAME

    @property
    def lock(self) -> Path:
        return self.folder / LOCK_NAME


@dataclass(frozen=True)
class SecondConnection:
    """What a worker thread needs to open its own connection to a project that is open already.

    A SQLite connection belongs to the thread that opened it, so long work off the UI thread (a sync, a
    report) calls :meth:`open` *in the worker*: a :class:`Project` on a new connection to the same
    file, with the key already in memory, under the lock the first one holds. Closing it closes only that
    connection. The database is in WAL mode, so it reads beside the UI's connection; writes take turns.
    """

    paths: ProjectPaths
    keys: keyfile.KeyFile
    lock: ProjectLock
    data_key: bytes = field(repr=False)

    def open(self) -> Project:
        db = database.connect(self.paths.database, self.data_key)
        try:
            return Project(self.paths, db, self.lock, self.keys, self.data_key, owns_lock=False)
        except BaseException:
            database.abandon(db)
            raise


class Project:
    """An open, unlocked project. Close it (or use ``with``) to release the lock and drop the key."""

    def __init__(
        self,
        paths: ProjectPaths,
        db: Database,
        lock: ProjectLock,
        keys: keyfile.KeyFile,
        data_key: bytes,
        *,
        owns_lock: bool = True,
    ) -> None:
        self.paths = paths
        self.db = db
        self._lock = lock
        self._owns_lock = owns_lock  # False for a worker's second connection: the first one holds the lock
        self._closed = False
        self._keys = keys
        self._data_key: bytes | None = data_key
        self.notices: list[str] = []
        coder_uuid = meta.get(db, "coder_uuid")
        coder = people.coder_by_uuid(db, coder_uuid) if coder_uuid else None
        if coder is None:
            raise JswError("the project has no coder recorded; it may be damaged")
        self.coder: Coder = coder
        self.transcripts = Transcripts(db, self.coder)
        self.audit = AuditTrail(db, self.coder)  # who exported, withdrew, admitted… and when
        self.cases = Cases(db, self.transcripts)
        self.codebook = Codebook(db, self.coder)
        self.codings = Codings(db, self.coder, self.transcripts, self.codebook)
        self.memos = Memos(db, self.coder)
        self.search = Search(db)
        self.pins = Pins(db, self.codebook)
        self.register = Register(db, self.coder, self.transcripts)
        self.anonymiser = Anonymiser(self.transcripts, self.register)
        self.team = Team(db, self.coder, self.codebook)
        self.summaries = Summaries(db, self.coder)
        self.last_place = LastPlace(db)  # the window's place at a lock (see jswcoder.ui.place)
        self.withdrawals = Withdrawals(db, self.coder)  # consent withdrawn: record and purge
        self.saved_queries = SavedQueries(db, self.coder)  # coding queries kept by name
        self.speakers = Speakers(db, self.transcripts)  # a focus group's speakers as cases of their own
        self.surveys = Surveys(db, self.coder)  # questionnaire exports: respondents and their answers
        self.recordings = Recordings(db, self.coder)  # interviews' audio, inside the encrypted database
        # recordings transcribed on the laptop, their speakers and corrections; transcripts' times
        self.transcription = Transcription(db, self.coder, self.recordings, self.transcripts)
        # the passage index, passages like this, theme suggestions (the optional assistance part)
        self.assistance = Assistance(
            db,
            self.coder,
            self.transcripts,
            self.codebook,
            self.codings,
            shared_as=str(paths.database),
            opens=owns_lock,
        )

    # -- life cycle ---------------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: Path | str,
        *,
        name: str,
        coder: str,
        passphrase: str,
        kdf: keyfile.KdfParams = keyfile.DEFAULT_KDF,
        use_keychain: bool = True,
    ) -> tuple[Project, str]:
        """Create a project; returns it open, with the recovery key to show the user once."""
        paths = ProjectPaths.of(path)
        name, coder = name.strip(), coder.strip()
        if not name or not coder:
            raise JswError("a project needs a name and a coder name")
        keyfile.check_passphrase(passphrase, context=(name, coder))
        try:
            paths.check_new()
            paths.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            paths.folder.chmod(0o700)  # an existing (empty) folder may be open to everyone
        except OSError as error:  # not writable, or a path too long (Windows without long paths)
            raise StorageFailed(
                f"cannot make the project folder {paths.folder} ({error.strerror or 'the system refused'}); "
                "choose another folder"
            ) from None
        lock: ProjectLock | None = None
        db: Database | None = None
        try:
            project_uuid = new_uuid()
            data_key = keyfile.new_data_key()
            recovery_key = keyfile.new_recovery_key()
            keys = keyfile.KeyFile(
                project_uuid,
                (
                    keyfile.wrap(data_key, passphrase, "passphrase", project_uuid, kdf),
                    keyfile.wrap(data_key, recovery_key, "recovery", project_uuid, kdf),
                ),
            )
            lock = ProjectLock(paths.lock)
            lock.acquire()
            # The key file is written first: a database must never exist without a way to open it.
            keyfile.write(paths.keys, keys)
            # Made private before SQLite opens it: its write-ahead log and shared memory files take
            # the database file's mode.
            os.close(os.open(paths.database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            db = database.connect(paths.database, data_key)
            schema.migrate(db)
            with db.atomic():
                first_coder = people.ensure_coder(db, coder)
                for key, value in {
                    "project_uuid": project_uuid,
                    "name": name,
                    "created_at": now(),
                    "created_with": __version__,
                    "coder_uuid": first_coder.uuid,
                }.items():
                    meta.put(db, key, value)
        except BaseException:
            # Closed before the folder goes: Windows cannot delete a file that is still open.
            if db is not None:
                database.abandon(db)
            if lock is not None:
                lock.release()
            shutil.rmtree(paths.folder, ignore_errors=True)
            raise
        project = cls(paths, db, lock, keys, data_key)
        if use_keychain and not keychain.remember(project_uuid, data_key):
            project.notices.append(keychain.UNAVAILABLE)
        log.info("project created (schema %d)", schema.version(db))
        return project, recovery_key

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        passphrase: str | None = None,
        recovery_key: str | None = None,
        ask_passphrase: Callable[[], str] | None = None,
        use_keychain: bool = True,
        held: ProjectLock | None = None,
    ) -> Project:
        """Unlock a project: with the recovery key or passphrase if given, else the keychain, else ask.

        *held* is the lock a locked window kept (:meth:`close` with ``keep_lock``): the project is opened
        under it, and it stays held if the project does not open.
        """
        paths = ProjectPaths.of(path)
        if not paths.database.is_file():
            raise ProjectNotFound(f"there is no jswcoder project at {paths.folder}")
        lock = held if held is not None and held.held else ProjectLock(paths.lock)
        if lock is not held:
            lock.acquire()
        try:
            _check_database_file(paths)
            keys = keyfile.read(paths.keys)
            pending = _pending_keys(paths, keys)
            db, data_key, opened_with = _unlock(
                paths, keys, pending, passphrase, recovery_key, ask_passphrase, use_keychain
            )
            from_secret = opened_with is not None
            try:
                schema.migrate(db)
                if meta.get(db, "project_uuid") != keys.project_uuid:
                    raise KeyFileError("the key file belongs to another project")
                if pending is not None and opened_with is not None:
                    keys = _settle_rekey(paths, keys, pending, opened_with)
                project = cls(paths, db, lock, keys, data_key)
            except BaseException:
                database.abandon(db)
                raise
        except BaseException:
            if lock is not held:
                lock.release()
            raise
        if from_secret and use_keychain and not keychain.remember(keys.project_uuid, data_key):
            project.notices.append(keychain.UNAVAILABLE)
        log.info("project opened (%s)", Safe("passphrase or recovery key" if from_secret else "keychain"))
        return project

    def close(self, *, keep_lock: bool = False, fold_log: bool = True) -> ProjectLock | None:
        """Close the database and drop the key. With *keep_lock* the project's lock stays held and is
        returned (a locked window keeps the project: nobody else opens it meanwhile, and :meth:`open`
        takes it back as ``held``). Without *fold_log* the write-ahead log is left for the next open
        to fold in, so closing never waits for a worker's connection."""
        if self._closed or (self._owns_lock and not self._lock.held):
            return None
        self._closed = True
        self._data_key = None
        self.assistance.forget(everywhere=self._owns_lock)  # a worker's connection leaves the window's
        if not self._owns_lock:
            database.abandon(self.db)  # a second connection: the first one folds the log in
            return None
        try:
            if fold_log:
                database.close(self.db)
            else:
                database.abandon(self.db)
        finally:
            if not keep_lock:
                self._lock.release()
            log.info("project closed")
        return self._lock if keep_lock else None

    def second_connection(self) -> SecondConnection:
        """What a worker thread opens its own connection with (see :class:`SecondConnection`)."""
        if self._data_key is None or not self._owns_lock:
            raise JswError("the project is closed")
        return SecondConnection(self.paths, self._keys, self._lock, self._data_key)

    def __enter__(self) -> Project:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- project-wide operations ---------------------------------------------------------------------

    @property
    def uuid(self) -> str:
        return self._keys.project_uuid

    @property
    def name(self) -> str:
        return meta.get(self.db, "name") or self.paths.folder.name

    def counts(self) -> dict[str, int]:
        """Record counts: transcripts, participants, codes, codings, memos."""
        return meta.counts(self.db)

    def check_new_passphrase(self, new_passphrase: str) -> None:
        """Refuse a new passphrase that is too easy to guess (the project's name among the first guesses)."""
        keyfile.check_passphrase(new_passphrase, context=(self.name, self.coder.name))

    def change_passphrase(self, new_passphrase: str, kdf: keyfile.KdfParams = keyfile.DEFAULT_KDF) -> None:
        """Re-wrap the data key with a new passphrase; the data and the recovery key stay as they are."""
        self.check_new_passphrase(new_passphrase)
        if self._data_key is None:
            raise JswError("the project is closed")
        slot = keyfile.wrap(self._data_key, new_passphrase, "passphrase", self.uuid, kdf)
        self._keys = self._keys.replacing(slot)
        keyfile.write(self.paths.keys, self._keys)

    def rekey(
        self, new_passphrase: str, *, kdf: keyfile.KdfParams = keyfile.DEFAULT_KDF, use_keychain: bool = True
    ) -> str:
        """Re-encrypt the database under a new data key, wrapped by *new_passphrase* and by a new
        recovery key, which is returned to show the user once. Afterwards the old passphrase, the old
        recovery key, the old data key and any copy of the old key file open nothing.

        The database and the key file are two files, so the change goes in three steps, and a crash
        between any two leaves a project that opens with the old secrets or with the new ones:

        1. the new key file is written beside the old one, as ``project.keys.pending``;
        2. the database is re-encrypted, in one transaction (all under the old key or all under the new);
        3. the pending key file is renamed over the old one.

        :meth:`open` finishes a change that a crash cut short, whichever secret is typed: a key file that
        opens the database stays, the other goes. The keychain is given the new key only after step 3,
        so a key it holds always belongs to ``project.keys``.
        """
        self.check_new_passphrase(new_passphrase)
        if self._data_key is None:
            raise JswError("the project is closed")
        data_key = keyfile.new_data_key()
        recovery_key = keyfile.new_recovery_key()
        keys = keyfile.KeyFile(
            self.uuid,
            (
                keyfile.wrap(data_key, new_passphrase, "passphrase", self.uuid, kdf),
                keyfile.wrap(data_key, recovery_key, "recovery", self.uuid, kdf),
            ),
        )
        keyfile.write(self.paths.pending_keys, keys)
        try:
            database.rekey(self.db, self.paths.database, data_key)
        except BaseException:
            # The connection is unusable now, so the project is closed without writing through it. The
            # pending key file stays: the next open keeps whichever key file opens the database.
            self._data_key = None
            database.abandon(self.db)
            self._lock.release()
            raise
        self._keys, self._data_key = keys, data_key
        log.info("project re-encrypted under a new data key")
        try:
            keyfile.promote(self.paths.pending_keys, self.paths.keys)
        except StorageFailed as error:
            log.warning(
                "the new key file stays beside the old one (%s)", Safe(type(error.__cause__).__name__)
            )
            self.notices.append(
                f"{error}. The new passphrase and recovery key open the project; the next time it is "
                f"opened with one of them, {PENDING_KEYS_NAME} takes the old key file's place."
            )
            keychain.forget(self.uuid)  # the old key opens nothing now
            return recovery_key
        if not use_keychain:
            keychain.forget(self.uuid)  # the old key opens nothing now; the new one is not kept
        elif not keychain.remember(self.uuid, data_key) and keychain.UNAVAILABLE not in self.notices:
            self.notices.append(keychain.UNAVAILABLE)
        return recovery_key

    def forget_key(self) -> None:
        """Remove this project's key from the OS keychain (the passphrase is needed next time)."""
        keychain.forget(self.uuid)

    @property
    def destroyable(self) -> bool:
        """Whether :meth:`destroy` may run here: the project's own connection, not a worker's."""
        return self._owns_lock and not self._closed

    def destroy(self) -> None:
        """Destroy this project for good (a study's retention period has ended): its keychain entry,
        its key files (the only places its data key is kept, so a copy of the database stays
        unreadable), then the database and its log. The folder is left, without them."""
        if not self.destroyable:
            raise JswError("the project is open elsewhere in this program; close it there first")
        paths = self.paths
        self.forget_key()
        self.close()
        database_file = paths.database
        for path in (
            paths.keys,
            paths.pending_keys,
            database_file,
            database_file.with_name(database_file.name + "-wal"),
            database_file.with_name(database_file.name + "-shm"),
            paths.lock,
        ):
            path.unlink(missing_ok=True)
        log.info("project destroyed")

    def integrity_problems(self) -> list[str]:
        return database.check_integrity(self.db)


def _check_database_file(paths: ProjectPaths) -> None:
    """Refuse a database file that cannot hold a project before SQLCipher writes a new one over it
    (an empty file opens as an empty database). SQLite files are whole pages of 512 bytes or more."""
    try:
        size = paths.database.stat().st_size
    except OSError as error:
        raise StorageFailed(f"the project's database cannot be read ({error.strerror})") from None
    if size < 512 or size % 512:
        raise ProjectDamaged(
            f"the project's database file in {paths.folder.name} is empty or damaged ({size} bytes); "
            "nothing was changed. Restore the folder from a backup"
        )


def _unlock(
    paths: ProjectPaths,
    keys: keyfile.KeyFile,
    pending: keyfile.KeyFile | None,
    passphrase: str | None,
    recovery_key: str | None,
    ask_passphrase: Callable[[], str] | None,
    use_keychain: bool,
) -> tuple[Database, bytes, keyfile.KeyFile | None]:
    """Open the database; returns it, the data key, and the key file a secret unwrapped it from (None
    when the keychain gave the key)."""
    if recovery_key is not None:
        return _unlock_with(paths, keys, pending, "recovery", recovery_key)
    if passphrase is None and use_keychain:
        remembered = keychain.recall(keys.project_uuid)
        if remembered is not None:
            try:
                return database.connect(paths.database, remembered), remembered, None
            except WrongSecret:
                # Fall through to the passphrase. The entry is not deleted: the key file may be another
                # project's (copied in), whose entry this is. A passphrase that opens this project
                # replaces a stale entry of its own.
                pass
    if passphrase is None and ask_passphrase is not None:
        passphrase = ask_passphrase()
    if passphrase is None:
        raise PassphraseRequired(f"the passphrase for {paths.folder.name} is needed to open it")
    return _unlock_with(paths, keys, pending, "passphrase", passphrase)


def _unlock_with(
    paths: ProjectPaths,
    keys: keyfile.KeyFile,
    pending: keyfile.KeyFile | None,
    kind: keyfile.SlotKind,
    secret: str,
) -> tuple[Database, bytes, keyfile.KeyFile]:
    """Open the database with the key that *secret* unwraps from the key file, or, where a re-keying
    was cut short, from the pending key file: whichever the database accepts."""
    try:
        data_key = keys.unwrap(kind, secret)
    except WrongSecret:
        if pending is None:
            raise
        return _unlock_pending(paths, pending, kind, secret, unwrapped_before=False)
    try:
        return database.connect(paths.database, data_key), data_key, keys
    except WrongSecret:
        if pending is None:
            # The secret is right for the key file (it unwrapped a key), yet the key does not open the
            # database: the key file is another project's, copied or restored into this folder.
            what = "passphrase" if kind == "passphrase" else "recovery key"
            raise KeyFileError(
                f"the key file in {paths.folder.name} ({paths.keys.name}) belongs to another project, or to "
                f"this one before it was re-encrypted: the {what} is right for that key file, but it does not "
                f"open this database. Put this project's current {paths.keys.name} back from a backup"
            ) from None
        return _unlock_pending(paths, pending, kind, secret, unwrapped_before=True)


def _unlock_pending(
    paths: ProjectPaths,
    pending: keyfile.KeyFile,
    kind: keyfile.SlotKind,
    secret: str,
    *,
    unwrapped_before: bool,
) -> tuple[Database, bytes, keyfile.KeyFile]:
    what = "passphrase" if kind == "passphrase" else "recovery key"
    try:
        data_key = pending.unwrap(kind, secret)
    except WrongSecret:
        if unwrapped_before:  # the old secret, after the database took the new key
            raise OtherGeneration(
                f"the project was re-encrypted under a new {what}; the previous one no longer opens it"
            ) from None
        raise
    try:
        return database.connect(paths.database, data_key), data_key, pending
    except WrongSecret:  # the new secret, but the re-keying stopped before the database was changed
        raise OtherGeneration(
            f"the project's re-encryption under this {what} was cut short before it began; "
            f"it still opens with the previous {what}"
        ) from None


def _pending_keys(paths: ProjectPaths, keys: keyfile.KeyFile) -> keyfile.KeyFile | None:
    """The key file of a re-keying that has not been finished, if there is a sound one for this project."""
    if not paths.pending_keys.exists():
        return None
    try:
        pending = keyfile.read(paths.pending_keys)
    except KeyFileError:
        log.warning("an unreadable pending key file is left as it is")
        return None
    return pending if pending.project_uuid == keys.project_uuid else None


def _settle_rekey(
    paths: ProjectPaths, keys: keyfile.KeyFile, pending: keyfile.KeyFile, opened_with: keyfile.KeyFile
) -> keyfile.KeyFile:
    """Finish a re-keying that a crash cut short, now that a secret has shown which key file opens the
    database: the pending one takes the old one's place, or, if the old one opened it, goes. Returns the
    project's key file. Where the disk refuses, both stay as they are and the next open tries again."""
    try:
        if opened_with is pending:
            keyfile.promote(paths.pending_keys, paths.keys)
            log.info("an interrupted re-keying was finished")
            return pending
        paths.pending_keys.unlink()
        log.info("an interrupted re-keying was undone")
    except (OSError, StorageFailed) as error:
        log.warning("an interrupted re-keying stays as it is (%s)", Safe(type(error).__name__))
    return opened_with
