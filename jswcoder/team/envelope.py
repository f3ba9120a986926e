"""One sealed, signed package: readable only by its recipients, provably from its sender.

Binary layout (all integers big-endian)::

    b"JSWCODER-PACKAGE\\n"   17 bytes   magic line
    version                 2 bytes    format version (this module writes 1)
    header length           4 bytes    at most MAX_HEADER
    header                  n bytes    ASCII JSON, see below
    ciphertext              payload_length + 16 bytes (AES-256-GCM, tag last)
    signature               64 bytes   Ed25519 over every byte before it

The header is a JSON object: ``format`` ("jswcoder-package"), ``version`` (as in the prefix),
``sender_id``, ``meta`` (the caller's fields: team id, sequence number, app version, ...),
``recipients`` (a list of ``{"id", "ephemeral", "nonce", "wrapped"}``, bytes in base64), ``cipher``,
``nonce`` and ``payload_length``.

How it is sealed:

* A random 256-bit content key encrypts the payload with AES-256-GCM as one message, with the prefix
  and header as associated data. One message rather than chunks: payloads are at most a few hundred
  MB (GCM allows 64 GB per message), the whole file has to be read anyway to check its signature before
  anything is decrypted, and a single tag leaves no chunk framing whose truncation or reordering could
  go unnoticed. The header is bound in, so the ciphertext cannot be moved under another header: a team
  member who strips the signature and re-signs a colleague's package as their own is caught, because
  they cannot re-encrypt without the content key.
* For each recipient: an ephemeral X25519 key pair, ECDH with the recipient's public key, HKDF-SHA256
  (info binding the format version, both public keys and the recipient id) gives a wrapping key, which
  wraps the content key with AES-256-GCM (associated data: format version and recipient id). The
  sender is bound by the payload's associated data and the signature, not here, so that a re-signed
  package is reported as tampered rather than as "not addressed to you".
* The sender signs everything but the signature with Ed25519.

:func:`open_sealed` checks, in this order, so that each failure gets its own plain message: the magic
and version (a newer version says so), the lengths (a cut-short file says so, and nothing larger than
``max_payload`` is ever decrypted), that the sender is one the team knows, the signature, that the
package is addressed to the reader, and only then unwraps and decrypts. It returns all of the payload
or raises; never part of it. The payload is opaque bytes and is not compressed.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from jswcoder.errors import InvalidInput, JswError

FORMAT = "jswcoder-package"
FORMAT_VERSION = 1
MAGIC = b"JSWCODER-PACKAGE\n"
_PREFIX = struct.Struct(">HI")  # version, header length
PREFIX_BYTES = len(MAGIC) + _PREFIX.size
SIGNATURE_BYTES = 64
TAG_BYTES = 16
NONCE_BYTES = 12
KEY_BYTES = 32
MAX_HEADER = 1024 * 1024
# cryptography's AES-GCM takes at most 2**31 - 1 bytes in one call; stay clear of it.
MAX_SEALABLE = 2**31 - 2**20
DEFAULT_MAX_PAYLOAD = 512 * 1024 * 1024
CIPHER = "aes-256-gcm"
# Header keys the envelope itself fills in the public view of a header; a caller's field may not use them.
RESERVED = frozenset({"format", "version", "sender_id", "recipients", "payload_length"})
_ID_LIMIT = 60  # characters of an untrusted id shown in a message


class EnvelopeError(JswError):
    """A package cannot be opened or listed. ``reason`` names the kind of failure for callers."""

    reason: ClassVar[str] = "damaged"


class DamagedPackage(EnvelopeError):
    """Not a jswcoder package, or its structure is broken."""

    reason = "damaged"


class TruncatedPackage(DamagedPackage):
    """Shorter than its own header says: cut off, or still being copied."""

    reason = "truncated"


class TamperedPackage(EnvelopeError):
    """Its signature or encryption does not match its contents."""

    reason = "tampered"


class NotAddressedToYou(EnvelopeError):
    reason = "not_addressed"


class UnknownSender(EnvelopeError):
    reason = "unknown_sender"


class NewerFormat(EnvelopeError):
    reason = "newer_version"


class PackageTooLarge(EnvelopeError):
    reason = "too_large"


@dataclass(frozen=True)
class Opened:
    payload: bytes
    header: dict[str, Any]
    sender_id: str


@dataclass(frozen=True)
class _Recipient:
    id: str
    ephemeral: bytes
    nonce: bytes
    wrapped: bytes


@dataclass(frozen=True)
class _Header:
    sender_id: str
    meta: dict[str, Any]
    recipients: tuple[_Recipient, ...]
    nonce: bytes
    payload_length: int

    def public(self) -> dict[str, Any]:
        """The caller's fields plus who sent it, to whom, and how large: what a listing shows."""
        return {
            **self.meta,
            "sender_id": self.sender_id,
            "recipients": [r.id for r in self.recipients],
            "payload_length": self.payload_length,
        }


# --- sealing ---------------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _wrap_key(ephemeral_public: bytes, recipient_public: bytes, recipient_id: str, shared: bytes) -> bytes:
    # The two public keys have a fixed length, so the variable-length id last keeps the info unambiguous.
    info = f"{FORMAT}/{FORMAT_VERSION}/wrap\x00".encode() + ephemeral_public + recipient_public
    info += recipient_id.encode("utf-8")
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=info).derive(shared)


def _wrap_aad(recipient_id: str) -> bytes:
    return json.dumps([FORMAT, FORMAT_VERSION, recipient_id]).encode("ascii")


def _check_id(value: object, what: str) -> str:
    if not isinstance(value, str) or not value or value != value.strip():
        raise InvalidInput(f"the {what} must be a non-empty name without surrounding spaces")
    return value


def _seal_for(content_key: bytes, recipient_id: str, public: bytes) -> dict[str, str]:
    try:
        recipient_key = X25519PublicKey.from_public_bytes(public)
        ephemeral = X25519PrivateKey.generate()
        shared = ephemeral.exchange(recipient_key)
    except ValueError:  # wrong length, or a degenerate key that gives an all-zero secret
        raise InvalidInput(f"the encryption key of recipient {recipient_id!r} is not valid") from None
    ephemeral_public = ephemeral.public_key().public_bytes_raw()
    nonce = secrets.token_bytes(NONCE_BYTES)
    kek = _wrap_key(ephemeral_public, public, recipient_id, shared)
    wrapped = AESGCM(kek).encrypt(nonce, content_key, _wrap_aad(recipient_id))
    return {
        "id": recipient_id,
        "ephemeral": _b64(ephemeral_public),
        "nonce": _b64(nonce),
        "wrapped": _b64(wrapped),
    }


def seal(
    payload: bytes,
    *,
    header: Mapping[str, Any],
    recipients: Mapping[str, bytes],
    sender_id: str,
    signing_key: bytes,
) -> bytes:
    """Encrypt *payload* for each of *recipients* (id → X25519 public key) and sign it as *sender_id*.

    *header* holds the sender's public metadata (JSON values); it is readable without a key, so it must
    not hold anything that identifies a participant. It may repeat ``sender_id`` but no other name in
    :data:`RESERVED`.
    """
    _check_id(sender_id, "sender id")
    if not recipients:
        raise InvalidInput("a package needs at least one recipient")
    for recipient_id in recipients:
        _check_id(recipient_id, "recipient id")
    if len(payload) > MAX_SEALABLE:
        raise PackageTooLarge(f"the package is too large to seal ({len(payload)} bytes)")
    meta = dict(header)
    if meta.get("sender_id", sender_id) != sender_id:
        raise InvalidInput("the header names a different sender from the one sealing the package")
    meta.pop("sender_id", None)
    clashing = sorted(str(key) for key in meta if key in RESERVED or not isinstance(key, str))
    if clashing:
        raise InvalidInput(f"the header may not use these field names: {', '.join(clashing)}")
    try:
        signer = Ed25519PrivateKey.from_private_bytes(signing_key)
    except ValueError:
        raise InvalidInput("the signing key is not a valid Ed25519 private key") from None

    content_key = AESGCM.generate_key(bit_length=256)
    nonce = secrets.token_bytes(NONCE_BYTES)
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "sender_id": sender_id,
        "meta": meta,
        "recipients": [_seal_for(content_key, rid, key) for rid, key in recipients.items()],
        "cipher": CIPHER,
        "nonce": _b64(nonce),
        "payload_length": len(payload),
    }
    try:
        header_bytes = json.dumps(document, ensure_ascii=True, allow_nan=False).encode("ascii")
    except (TypeError, ValueError, RecursionError) as error:
        raise InvalidInput("the header holds a value that cannot be written as JSON") from error
    if len(header_bytes) > MAX_HEADER:
        raise InvalidInput(f"the header is too large ({len(header_bytes)} bytes; the limit is {MAX_HEADER})")

    signed = bytearray(MAGIC + _PREFIX.pack(FORMAT_VERSION, len(header_bytes)) + header_bytes)
    signed += AESGCM(content_key).encrypt(nonce, payload, bytes(signed))
    signed += signer.sign(bytes(signed))
    return bytes(signed)


# --- reading ---------------------------------------------------------------------------------------


def _damaged(detail: str) -> DamagedPackage:
    return DamagedPackage(f"this package is damaged: {detail}")


def _truncated() -> TruncatedPackage:
    return TruncatedPackage(
        "this package is incomplete: it is shorter than it should be (it may still be being copied)"
    )


def _shown(value: str) -> str:
    return value if len(value) <= _ID_LIMIT else value[:_ID_LIMIT] + "…"


def _read_prefix(data: bytes) -> tuple[int, int]:
    """The format version and header length, after checking the magic line."""
    if len(data) < PREFIX_BYTES:
        if MAGIC.startswith(data[: len(MAGIC)]):
            raise _truncated()
        raise _damaged("it is not a jswcoder package")
    if not data.startswith(MAGIC):
        raise _damaged("it is not a jswcoder package")
    version, header_length = _PREFIX.unpack_from(data, len(MAGIC))
    if version > FORMAT_VERSION:
        raise NewerFormat(
            f"this package was made by a newer version of jswcoder (format {version}); "
            "update jswcoder to open it"
        )
    if version != FORMAT_VERSION:
        raise _damaged(f"it has an unknown format version ({version})")
    if header_length > MAX_HEADER:
        raise _damaged("its header is implausibly large")
    if len(data) < PREFIX_BYTES + header_length:
        raise _truncated()
    return version, header_length


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("a header field appears twice")
    return result


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _bytes_field(raw: Mapping[str, Any], key: str, length: int) -> bytes:
    value = raw[key]
    if not isinstance(value, str):
        raise ValueError(key)
    decoded = base64.b64decode(value, validate=True)
    if len(decoded) != length:
        raise ValueError(key)
    return decoded


def _str_field(raw: Mapping[str, Any], key: str) -> str:
    value = raw[key]
    if not isinstance(value, str) or not value:
        raise ValueError(key)
    return value


def _parse_header(raw: bytes, version: int) -> _Header:
    try:
        document = json.loads(
            raw.decode("ascii"), object_pairs_hook=_no_duplicates, parse_constant=_no_constants
        )
        if not isinstance(document, dict):
            raise ValueError("not an object")
        if document.get("format") != FORMAT or document.get("version") != version:
            raise ValueError("format")
        if document.get("cipher") != CIPHER:
            raise ValueError("cipher")
        meta = document["meta"]
        if not isinstance(meta, dict):
            raise ValueError("meta")
        length = document["payload_length"]
        if not isinstance(length, int) or isinstance(length, bool) or length < 0:
            raise ValueError("payload_length")
        entries = document["recipients"]
        if not isinstance(entries, list) or not entries:
            raise ValueError("recipients")
        recipients = tuple(
            _Recipient(
                id=_str_field(entry, "id"),
                ephemeral=_bytes_field(entry, "ephemeral", KEY_BYTES),
                nonce=_bytes_field(entry, "nonce", NONCE_BYTES),
                wrapped=_bytes_field(entry, "wrapped", KEY_BYTES + TAG_BYTES),
            )
            for entry in entries
        )
        if len({r.id for r in recipients}) != len(recipients):
            raise ValueError("a recipient is listed twice")
        header = _Header(
            sender_id=_str_field(document, "sender_id"),
            meta=meta,
            recipients=recipients,
            nonce=_bytes_field(document, "nonce", NONCE_BYTES),
            payload_length=length,
        )
    except (ValueError, KeyError, TypeError, RecursionError, binascii.Error) as error:
        raise _damaged("its header cannot be read") from error
    if RESERVED & meta.keys():
        raise _damaged("its header names its sender or recipients twice")
    return header


def _split(data: bytes, max_payload: int | None = None) -> tuple[_Header, int, int]:
    """The parsed header and where the ciphertext starts and ends, after every length check."""
    version, header_length = _read_prefix(data)
    header = _parse_header(data[PREFIX_BYTES : PREFIX_BYTES + header_length], version)
    if max_payload is not None and header.payload_length > max_payload:
        raise PackageTooLarge(
            f"this package is too large to open ({header.payload_length} bytes; the limit is {max_payload})"
        )
    start = PREFIX_BYTES + header_length
    end = start + header.payload_length + TAG_BYTES
    if len(data) < end + SIGNATURE_BYTES:
        raise _truncated()
    if len(data) > end + SIGNATURE_BYTES:
        raise _damaged("it has extra data after its end")
    return header, start, end


def peek(data: bytes) -> dict[str, Any]:
    """The package's public header, checked for shape only: nothing is verified or decrypted.

    For listing an exchange folder. The result is the sender's fields plus ``sender_id``,
    ``recipients`` (ids) and ``payload_length``; until :func:`open_sealed` has checked the signature,
    none of it may be trusted.
    """
    header, _, _ = _split(data)
    return header.public()


def _check_signature(data: bytes, header: _Header, end: int, senders: Mapping[str, bytes]) -> None:
    sender_public = senders.get(header.sender_id)
    if sender_public is None:
        raise UnknownSender(
            f"this package is from a sender this team does not know ({_shown(header.sender_id)!r})"
        )
    try:
        verifier = Ed25519PublicKey.from_public_bytes(sender_public)
    except ValueError:
        raise InvalidInput(f"the team's signing key for {header.sender_id!r} is not valid") from None
    try:
        verifier.verify(data[end:], data[:end])
    except InvalidSignature:
        raise TamperedPackage("this package has been changed since it was signed") from None


def verify(
    data: bytes, *, senders: Mapping[str, bytes], max_payload: int = DEFAULT_MAX_PAYLOAD
) -> dict[str, Any]:
    """The package's public header (as :func:`peek`) once its signature is checked; nothing is decrypted.

    For a sender looking at a package in the exchange folder: it is sealed for the lead, so the sender
    cannot open it, but the signature covers every byte before it, so the sender can tell a package of
    its own from anything else put there. Raises as :func:`open_sealed` does up to the signature.
    """
    header, _, end = _split(data, max_payload)
    _check_signature(data, header, end, senders)
    return header.public()


def open_sealed(
    data: bytes,
    *,
    recipient_id: str,
    recipient_key: bytes,
    senders: Mapping[str, bytes],
    max_payload: int = DEFAULT_MAX_PAYLOAD,
) -> Opened:
    """Check and decrypt a package for *recipient_id*, whose X25519 private key is *recipient_key*.

    *senders* maps the team's sender ids to their Ed25519 public keys. Raises an
    :class:`EnvelopeError` subclass saying what is wrong; never returns part of a payload.
    """
    header, start, end = _split(data, max_payload)
    _check_signature(data, header, end, senders)

    entry = next((r for r in header.recipients if r.id == recipient_id), None)
    if entry is None:
        raise NotAddressedToYou("this package is not addressed to you (it may be for another team)")
    try:
        private = X25519PrivateKey.from_private_bytes(recipient_key)
    except ValueError:
        raise InvalidInput("your decryption key is not a valid X25519 private key") from None
    own_public = private.public_key().public_bytes_raw()
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(entry.ephemeral))
    except ValueError:  # a degenerate ephemeral key: only a broken or hostile sender writes one
        raise _damaged("its key for you is not valid") from None
    kek = _wrap_key(entry.ephemeral, own_public, recipient_id, shared)
    try:
        content_key = AESGCM(kek).decrypt(entry.nonce, entry.wrapped, _wrap_aad(recipient_id))
    except InvalidTag:
        raise NotAddressedToYou(
            f"this package is not addressed to you: it was sealed for another key named {_shown(recipient_id)!r}"
            " (another team's, or one you have replaced)"
        ) from None
    try:
        payload = AESGCM(content_key).decrypt(header.nonce, data[start:end], data[:start])
    except InvalidTag:
        # The signature was good, so a team member signed contents that do not match their header:
        # for example someone else's package re-signed under their own name.
        raise TamperedPackage("this package's contents do not match its signed header") from None
    return Opened(payload=payload, header=header.public(), sender_id=header.sender_id)
