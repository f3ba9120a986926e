"""The anonymisation log of a deposit: every replacement made, sealed under a passphrase of its own.

An archive (UK Data Service, a university repository) asks for a log of what was changed in the
transcripts, kept apart from the anonymised data: each original, the descriptor that replaced it, its
category, the transcript and how many times. The log names people, so it is written only encrypted,
under a passphrase that is not the project's (whoever holds the deposit and the project's passphrase
must not be able to read it), judged by the same rule as a new project passphrase.

The sealing reuses the project key file's own parts (:mod:`jswcoder.security.keyfile`): a random
256-bit key encrypts the log with AES-256-GCM, and that key is wrapped exactly as a project's data key
is (Argon2id, RFC 9106's second recommended setting, and AES-256-GCM), in a key-file document whose
limits on the key derivation are checked before anything is derived. The log's own id is bound into
both as associated data. :func:`open_log` reads it back; a wrong passphrase is refused in one line.
"""

from __future__ import annotations

import base64
import json
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from jswcoder.errors import InvalidInput, KeyFileError, WrongSecret
from jswcoder.security import keyfile

FORMAT = "jswcoder-anonymisation-log"
FORMAT_VERSION = 1
SUFFIX = ".jswlog"
MAX_LOG_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class LogEntry:
    """One register entry's replacements in one transcript."""

    original: str
    descriptor: str
    category: str  # in words: "Person", "Case reference"
    transcript: str  # as the deposit names it: "Client interview 7.txt"
    source_file: str  # the file it was imported from, which may itself identify someone
    count: int


@dataclass(frozen=True)
class AnonymisationLog:
    """What a deposit's log holds: when and by what it was made, a note, and the replacements."""

    created: str
    software: str
    note: str
    entries: tuple[LogEntry, ...]

    def total(self) -> int:
        return sum(entry.count for entry in self.entries)

    def lines(self) -> list[str]:
        """The log as lines of text to read: a heading, then one replacement per line."""
        found = [f"Anonymisation log, made {self.created} by {self.software}", self.note, ""]
        if not self.entries:
            return [*found, "No replacements."]
        found.append("original\tdescriptor\tcategory\ttranscript\tsource file\tcount")
        found += [
            "\t".join((e.original, e.descriptor, e.category, e.transcript, e.source_file, str(e.count)))
            for e in self.entries
        ]
        return [*found, "", f"{self.total()} replacement(s) in {len(self.entries)} line(s)."]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _aad(log_id: str) -> bytes:
    return f"{FORMAT}/{FORMAT_VERSION}/{log_id}".encode()


def seal(log: AnonymisationLog, passphrase: str, kdf: keyfile.KdfParams = keyfile.DEFAULT_KDF) -> bytes:
    """The log encrypted under ``passphrase``: the bytes of the file to write."""
    log_id = str(uuid.uuid4())
    content_key = keyfile.new_data_key()
    nonce = secrets.token_bytes(12)
    plain = json.dumps(
        {**asdict(log), "entries": [asdict(e) for e in log.entries]}, ensure_ascii=False
    ).encode("utf-8")
    wrapped = keyfile.KeyFile(log_id, (keyfile.wrap(content_key, passphrase, "passphrase", log_id, kdf),))
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "cipher": "aes-256-gcm",
        "key": json.loads(keyfile.dumps(wrapped)),
        "nonce": _b64(nonce),
        "ciphertext": _b64(AESGCM(content_key).encrypt(nonce, plain, _aad(log_id))),
    }
    return (json.dumps(document, indent=2) + "\n").encode("utf-8")


def _damaged() -> InvalidInput:
    return InvalidInput("the file is not a jswcoder anonymisation log, or it is damaged")


def open_log(data: bytes, passphrase: str) -> AnonymisationLog:
    """The log in ``data``; :class:`WrongSecret` for a wrong passphrase, :class:`InvalidInput` if damaged."""
    try:
        document: Any = json.loads(data.decode("utf-8"))
        if document.get("format") != FORMAT or document.get("version") != FORMAT_VERSION:
            raise _damaged()
        wrapped = keyfile.loads(json.dumps(document["key"]))
        nonce = base64.b64decode(document["nonce"], validate=True)
        ciphertext = base64.b64decode(document["ciphertext"], validate=True)
    except (ValueError, KeyError, TypeError, AttributeError, KeyFileError):
        raise _damaged() from None
    try:
        content_key = wrapped.unwrap("passphrase", passphrase)
    except WrongSecret:
        raise WrongSecret("wrong passphrase: the anonymisation log was not opened") from None
    try:
        plain: Any = json.loads(
            AESGCM(content_key).decrypt(nonce, ciphertext, _aad(wrapped.project_uuid)).decode("utf-8")
        )
        entries = tuple(LogEntry(**entry) for entry in plain["entries"])
        return AnonymisationLog(str(plain["created"]), str(plain["software"]), str(plain["note"]), entries)
    except (InvalidTag, ValueError, KeyError, TypeError):
        raise _damaged() from None


def read_log(path: Path | str, passphrase: str) -> AnonymisationLog:
    """The log in the file at ``path`` (see :func:`open_log`)."""
    target = Path(path).expanduser()
    try:
        if target.stat().st_size > MAX_LOG_BYTES:
            raise _damaged()
        data = target.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"there is no file {target}") from None
    except OSError as error:
        raise InvalidInput(f"{target} cannot be read ({error.strerror})") from None
    return open_log(data, passphrase)


def check_passphrase(passphrase: str, project_keys: Path, context: Sequence[str]) -> None:
    """Refuse a log passphrase too easy to guess (the rule for a new project passphrase, with the
    project's and coder's names as ``context``) or one that opens the project (its key file at
    ``project_keys``): the log must stay closed to whoever has the project."""
    keyfile.check_passphrase(passphrase, context)
    try:
        keyfile.read(project_keys).unwrap("passphrase", passphrase)
    except WrongSecret:
        return
    raise InvalidInput("the anonymisation log's passphrase must differ from the project's; choose another")
