"""Looking for a participant's words everywhere a project could keep them (tests of withdrawal).

Three looks: every file's raw bytes (the folder, the write-ahead log, anything beside the database);
every page of the database decrypted (SQLCipher 4, raw key: AES-256-CBC per page, its IV in the
page's reserved tail), so free pages and the unused parts of pages are read too; and every value of
every table through an open connection, with the search index asked for the word.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from jswcoder.project import Project

PAGE = 4096
RESERVE = 80  # SQLCipher 4: a 16-byte IV and a 64-byte HMAC-SHA512 at the end of every page
SALT = 16


def files_holding(folder: Path, needle: bytes) -> list[Path]:
    """Every regular file under *folder* whose bytes contain *needle* (in any case)."""
    wanted = needle.lower()
    return [
        path
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink() and wanted in path.read_bytes().lower()
    ]


def decrypted_pages(database: Path, key: bytes) -> bytes:
    """Every page of a SQLCipher 4 file, decrypted, one after another (the salt and tails left out),
    in lower case (the search index keeps its words so)."""
    data = database.read_bytes()
    out = bytearray()
    for start in range(0, len(data) - len(data) % PAGE, PAGE):
        page = data[start : start + PAGE]
        skip = SALT if start == 0 else 0
        iv = page[PAGE - RESERVE : PAGE - RESERVE + 16]
        decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
        out += decryptor.update(page[skip : PAGE - RESERVE]) + decryptor.finalize()
    return bytes(out).lower()


def values_holding(project: Project, needle: str) -> list[str]:
    """``table.column`` for every stored value that contains *needle* (any case), and ``search`` if the
    full-text index still finds it."""
    found: list[str] = []
    tables = [
        str(row[0])
        for row in project.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
        ).fetchall()
    ]
    wanted = needle.lower()
    for table in tables:
        cursor = project.db.execute(f'SELECT * FROM "{table}"')
        columns = [d[0] for d in cursor.description]
        for row in cursor.fetchall():
            for column, value in zip(columns, row, strict=True):
                raw = value if isinstance(value, bytes) else str(value).encode("utf-8")
                if wanted.encode("utf-8") in raw.lower():
                    found.append(f"{table}.{column}")
    if project.search.query(needle):
        found.append("search")
    return sorted(set(found))
