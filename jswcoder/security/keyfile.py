"""The project key file: the database's data key, wrapped by the passphrase and by the recovery key.

A random 256-bit data key opens the SQLCipher database. It is never written anywhere in the clear: the
key file beside the database holds copies of it encrypted with AES-256-GCM under keys derived with
Argon2id (RFC 9106's second recommended setting: 64 MiB, 3 passes, 4 lanes) from the passphrase and
from the recovery key. The project UUID and the copy's kind are bound in as associated data, so a copy
cannot be moved to another project or slot. Changing the passphrase rewrites one wrapped copy and
leaves the data, and the recovery copy, as they are; re-keying (``passwd --rekey``) makes a new data
key, and a new key file, written first beside this one as ``project.keys.pending`` and put in its
place with :func:`promote` once the database has been re-encrypted (see :meth:`Project.rekey`).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from jswcoder.errors import InvalidInput, KeyFileError, StorageFailed, WrongSecret
from jswcoder.security import strength

FORMAT = "jswcoder-keyfile"
FORMAT_VERSION = 1
MIN_PASSPHRASE_LENGTH = strength.MIN_LENGTH
SlotKind = Literal["passphrase", "recovery"]


@dataclass(frozen=True)
class KdfParams:
    memory_kib: int = 64 * 1024
    iterations: int = 3
    lanes: int = 4


DEFAULT_KDF = KdfParams()
# What a key file may ask of Argon2id, checked before deriving anything: a planted or damaged file
# must not make an unlock take gigabytes of memory or hours. The floor admits the cheap settings the
# tests and benchmarks use; the app writes DEFAULT_KDF (RFC 9106's second recommended setting).
KDF_MEMORY_KIB = (1024, 1024 * 1024)  # 1 MiB to 1 GiB
KDF_ITERATIONS = (1, 16)
KDF_LANES = (1, 16)
MAX_KEY_FILE_BYTES = 64 * 1024
# Recovery keys carry 160 random bits, written as eight groups of four base32 characters.
_RECOVERY_BYTES = 20
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


@dataclass(frozen=True)
class Slot:
    kind: SlotKind
    kdf: KdfParams
    salt: bytes
    nonce: bytes
    ciphertext: bytes


def new_data_key() -> bytes:
    return secrets.token_bytes(32)


def new_recovery_key() -> str:
    raw = base64.b32encode(secrets.token_bytes(_RECOVERY_BYTES)).decode("ascii")
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def check_passphrase(passphrase: str, context: Sequence[str] = ()) -> None:
    """Refuse a NEW passphrase that is too short or too easy to guess, saying why (never what it was).
    *context*: the project's name and the coder's, which an attacker would try first."""
    problem = strength.assess(passphrase, context).problem
    if problem is not None:
        raise InvalidInput(problem)


def _secret_bytes(kind: SlotKind, secret: str) -> bytes:
    if kind == "recovery":
        cleaned = "".join(ch for ch in secret.upper() if ch in _B32)
        return cleaned.encode("ascii")
    # The same passphrase typed on different systems may arrive composed or decomposed.
    return unicodedata.normalize("NFC", secret).encode("utf-8")


def _derive(kind: SlotKind, secret: str, salt: bytes, kdf: KdfParams) -> bytes:
    return Argon2id(
        salt=salt, length=32, iterations=kdf.iterations, lanes=kdf.lanes, memory_cost=kdf.memory_kib
    ).derive(_secret_bytes(kind, secret))


def _aad(project_uuid: str, kind: SlotKind) -> bytes:
    return f"{FORMAT}/{FORMAT_VERSION}/{project_uuid}/{kind}".encode()


def wrap(
    data_key: bytes, secret: str, kind: SlotKind, project_uuid: str, kdf: KdfParams = DEFAULT_KDF
) -> Slot:
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    kek = _derive(kind, secret, salt, kdf)
    ciphertext = AESGCM(kek).encrypt(nonce, data_key, _aad(project_uuid, kind))
    return Slot(kind=kind, kdf=kdf, salt=salt, nonce=nonce, ciphertext=ciphertext)


@dataclass(frozen=True)
class KeyFile:
    project_uuid: str
    slots: tuple[Slot, ...]

    def slot(self, kind: SlotKind) -> Slot:
        for slot in self.slots:
            if slot.kind == kind:
                return slot
        raise KeyFileError(f"the project's key file has no {kind} entry")

    def unwrap(self, kind: SlotKind, secret: str) -> bytes:
        """The data key, or :class:`WrongSecret` if *secret* is not the passphrase / recovery key."""
        slot = self.slot(kind)
        kek = _derive(kind, secret, slot.salt, slot.kdf)
        try:
            return AESGCM(kek).decrypt(slot.nonce, slot.ciphertext, _aad(self.project_uuid, kind))
        except InvalidTag:
            what = "passphrase" if kind == "passphrase" else "recovery key"
            raise WrongSecret(f"wrong {what}: the project was not opened") from None

    def replacing(self, slot: Slot) -> KeyFile:
        others = tuple(s for s in self.slots if s.kind != slot.kind)
        return KeyFile(self.project_uuid, (slot, *others))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def dumps(keyfile: KeyFile) -> str:
    slots = [
        {
            "kind": s.kind,
            "kdf": {"name": "argon2id", **asdict(s.kdf)},
            "salt": _b64(s.salt),
            "nonce": _b64(s.nonce),
            "ciphertext": _b64(s.ciphertext),
        }
        for s in keyfile.slots
    ]
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "cipher": "aes-256-gcm",
        "project_uuid": keyfile.project_uuid,
        "slots": slots,
    }
    return json.dumps(document, indent=2) + "\n"


def _check_kdf(params: KdfParams) -> None:
    within = all(
        low <= value <= high
        for value, (low, high) in (
            (params.memory_kib, KDF_MEMORY_KIB),
            (params.iterations, KDF_ITERATIONS),
            (params.lanes, KDF_LANES),
        )
    )
    if not within or params.memory_kib < 8 * params.lanes:
        raise KeyFileError(
            "the project's key file asks for key-derivation settings outside jswcoder's limits"
        )


def loads(data: str) -> KeyFile:
    try:
        document: Any = json.loads(data)
        if document.get("format") != FORMAT:
            raise KeyFileError("the project's key file is not a jswcoder key file")
        if document.get("version") != FORMAT_VERSION:
            raise KeyFileError("the project's key file was written by a newer version of jswcoder")
        slots = []
        for raw in document["slots"]:
            kdf = raw["kdf"]
            if kdf.get("name") != "argon2id" or raw["kind"] not in ("passphrase", "recovery"):
                raise KeyFileError("the project's key file uses an unknown method")
            params = KdfParams(int(kdf["memory_kib"]), int(kdf["iterations"]), int(kdf["lanes"]))
            _check_kdf(params)
            slots.append(
                Slot(
                    kind=raw["kind"],
                    kdf=params,
                    salt=base64.b64decode(raw["salt"], validate=True),
                    nonce=base64.b64decode(raw["nonce"], validate=True),
                    ciphertext=base64.b64decode(raw["ciphertext"], validate=True),
                )
            )
        return KeyFile(project_uuid=str(document["project_uuid"]), slots=tuple(slots))
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise KeyFileError("the project's key file is damaged") from error


def read(path: Path) -> KeyFile:
    try:
        if path.stat().st_size > MAX_KEY_FILE_BYTES:
            raise KeyFileError(f"the project's key file {path.name} is too large to be one")
        return loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KeyFileError(f"the project's key file {path.name} is missing") from None
    except (OSError, UnicodeDecodeError) as error:
        raise KeyFileError(f"the project's key file {path.name} cannot be read") from error


def write(path: Path, keyfile: KeyFile) -> None:
    """Replace the key file atomically: a crash leaves either the old file or the new one, and so
    does a disk that refuses the write (it is full), which is reported as :class:`StorageFailed`."""
    tmp = path.with_name(path.name + ".new")
    try:
        descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(dumps(keyfile))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise StorageFailed(
            f"the key file {path.name} could not be written ({error.strerror or 'the disk refused'}); "
            "it was left as it was"
        ) from error
    _fsync_dir(path.parent)


def promote(pending: Path, path: Path) -> None:
    """Put the key file at *pending* (written with :func:`write`) in the place of the one at *path*, in
    one rename: a crash leaves one or the other there, never neither."""
    try:
        os.replace(pending, path)
    except OSError as error:
        raise StorageFailed(
            f"the key file {path.name} could not be replaced by {pending.name} "
            f"({error.strerror or 'the system refused'})"
        ) from error
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
