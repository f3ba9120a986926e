"""Opening the encrypted project database: SQLCipher 4 with a raw 256-bit key.

The only place that touches the database driver. A raw key (``x'…'``) skips SQLCipher's own key
derivation, so opening is fast; the slow, passphrase-hardening step happens once, when the key file is
unwrapped (:mod:`jswcoder.security.keyfile`).
"""

from __future__ import annotations

from pathlib import Path

import sqlcipher3
from sqlite_utils import Database

from jswcoder.errors import JswError, WrongSecret

KEY_BYTES = 32


def connect(path: Path, key: bytes) -> Database:
    """Open (or create) the database at *path* with *key*, with the project's pragmas set.

    Raises :class:`WrongSecret` when the key does not open the file.
    """
    if len(key) != KEY_BYTES:
        raise ValueError("the data key must be 32 bytes")
    conn = sqlcipher3.connect(str(path), check_same_thread=True)
    try:
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
    return Database(conn)


def close(db: Database) -> None:
    """Fold the write-ahead log back into the database file, so the folder can be copied as it is."""
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.conn.close()


def check_integrity(db: Database) -> list[str]:
    """Problems SQLite and SQLCipher find in the file (an empty list when it is sound)."""
    problems = [row[0] for row in db.execute("PRAGMA cipher_integrity_check").fetchall()]
    problems += [row[0] for row in db.execute("PRAGMA integrity_check").fetchall() if row[0] != "ok"]
    return problems
