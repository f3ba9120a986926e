"""Opening the encrypted project database: SQLCipher 4 with a raw 256-bit key.

The only place that touches the database driver. A raw key (``x'…'``) skips SQLCipher's own key
derivation, so opening is fast; the slow, passphrase-hardening step happens once, when the key file is
unwrapped (:mod:`jswcoder.security.keyfile`).
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlite_utils import Database

from jswcoder.errors import DiskFull, JswError, StorageFailed, WrongSecret

KEY_BYTES = 32
# SQLite's primary result codes for a disk that refuses: an I/O error (a file-size limit, a removed or
# failing disk) and "database or disk is full".
SQLITE_IOERR = 10
SQLITE_FULL = 13
log = logging.getLogger(__name__)


@contextlib.contextmanager
def storage_errors() -> Iterator[None]:
    """Report the disk's refusals as errors the user can act on, not as bugs."""
    try:
        yield
    except sqlcipher3.Error as error:
        code = getattr(error, "sqlite_errorcode", None)
        if code == SQLITE_FULL:
            raise DiskFull(
                "the disk holding the project is full, so the last change was not saved; "
                "free some space and try again"
            ) from error
        if code == SQLITE_IOERR:
            raise StorageFailed(
                "the disk refused to read or write the project (it may be full, removed or failing), "
                "so the last change was not saved; what was saved before is intact"
            ) from error
        raise


class ProjectDatabase(Database):
    """sqlite-utils' database, with a full or failing disk reported as :class:`StorageFailed`.

    Every store function writes through :meth:`execute` or inside :meth:`atomic`, so this is the one
    place where the disk's refusals are sorted from bugs.
    """

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        with storage_errors(), super().atomic() as db:
            yield db

    def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None) -> sqlite3.Cursor:
        with storage_errors():
            return super().execute(sql, parameters)


def connect(path: Path, key: bytes) -> Database:
    """Open (or create) the database at *path* with *key*, with the project's pragmas set.

    Raises :class:`WrongSecret` when the key does not open the file.
    """
    if len(key) != KEY_BYTES:
        raise ValueError("the data key must be 32 bytes")
    conn = sqlcipher3.connect(str(path), check_same_thread=True)
    try:
        # SQLCipher's own notices ("hmac check failed" for a wrong key) would go to stderr, past the
        # app's messages; every failure they describe is raised here as an error the app explains.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        # SQLCipher writes temporary tables and indices as plaintext files unless they stay in memory.
        conn.execute("PRAGMA temp_store = MEMORY")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError as error:
            raise WrongSecret("the key does not open this project's database") from error
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode != "wal":
            raise JswError(f"the project's folder does not allow a write-ahead log (journal mode {mode})")
        # FULL makes every commit durable in WAL mode: a coding that was reported stored survives power loss.
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        conn.close()
        raise
    return ProjectDatabase(conn)


def rekey(db: Database, path: Path, key: bytes) -> None:
    """Re-encrypt every page of the database at *path*, open as *db*, under *key*.

    SQLCipher's ``PRAGMA rekey`` rewrites the pages in one transaction, so a crash leaves the file
    wholly under the old key or wholly under the new one. The write-ahead log is folded into the file
    before and after, so that no page under the old key is left in either. SQLCipher answers "ok" even
    when the disk refused part of the work (the transaction is then rolled back), so the result is
    checked with a second connection and the new key: :class:`StorageFailed` when it does not open the
    file, which is then still under the old key. After a failure *db* is unusable: close it.
    """
    if len(key) != KEY_BYTES:
        raise ValueError("the data key must be 32 bytes")
    with storage_errors():
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.conn.execute(f"PRAGMA rekey = \"x'{key.hex()}'\"").fetchall()
    try:
        check = connect(path, key)
    except WrongSecret:
        raise StorageFailed(
            "the project could not be re-encrypted (the disk refused to write it; it may be full). "
            "Nothing was changed: it opens with its passphrase and recovery key as before"
        ) from None
    check.conn.close()
    try:
        with storage_errors():
            busy = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    except StorageFailed:
        busy = 1
    if busy:
        log.warning("the re-encrypted pages stay in the write-ahead log until the project is closed")


def close(db: Database) -> None:
    """Fold the write-ahead log back into the database file, so the folder can be copied as it is.

    Where the disk refuses (it is full), the log stays beside the database and the next open folds it
    in: nothing committed is lost, and the error that stopped the work is the one the user sees.
    """
    try:
        with storage_errors():
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except StorageFailed:
        log.warning("the write-ahead log stays beside the project until it is next opened (the disk refused)")
    finally:
        db.conn.close()


def abandon(db: Database) -> None:
    """Close a connection without writing through it (one an error has left unusable, or a worker's
    second connection, or one closed while another is busy): what was committed stays in the file and
    its write-ahead log, which the next open folds in."""
    with contextlib.suppress(sqlcipher3.Error):
        db.conn.close()


def check_integrity(db: Database) -> list[str]:
    """Problems SQLite and SQLCipher find in the file (an empty list when it is sound)."""
    problems = [row[0] for row in db.execute("PRAGMA cipher_integrity_check").fetchall()]
    problems += [row[0] for row in db.execute("PRAGMA integrity_check").fetchall() if row[0] != "ok"]
    return problems
