"""Withdrawal orders and receipts: what travels for consent withdrawn, in what format.

An **order** is a participant's UUID in the team file's ``withdrawals`` list: the lead's signature over
the team file covers it, and it names no one (no attribution, no reason, no text), so the file on a
stick reveals nothing but that some participant withdrew.

A **receipt** is a member's answer, one file per member in the exchange folder::

    receipts/<member_id>.json
    {"format": "jswcoder-withdrawal-receipt", "version": 1,
     "receipt": {"format", "version", "team_uuid", "member_id",
                 "withdrawals": [{"participant_uuid", "held", "applied_at"}, ...],
                 "destroyed_at": "<when>"},   only when the study's retention period ended
     "signature": "<base64 Ed25519 by the member's signing key over a prefix and the canonical receipt>"}

It lists every withdrawal applied in the member's project (the lead's orders, and their own
withdrawals of their own participants), so it only grows, and says for each whether the project held
anything of the participant's. When the lead has ended the study's retention period, the member's last
receipt carries ``destroyed_at``: it is written just before their project deletes its keys and database
(after that there is no key left to sign with). A receipt is read only with the member's key already on record at the
lead: one planted in the folder, or changed, is refused.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid as uuidlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from jswcoder.errors import JswError

RECEIPTS = "receipts"
RECEIPT_FORMAT = "jswcoder-withdrawal-receipt"
RECEIPT_VERSION = 1
MAX_ORDERS = 100_000
MAX_RECEIPT_BYTES = 16 * 1024 * 1024
_PREFIX = f"{RECEIPT_FORMAT}/{RECEIPT_VERSION}\x00".encode("ascii")


@dataclass(frozen=True)
class Receipt:
    applied: list[Applied]
    destroyed_at: str | None  # the project destroyed at the end of the retention period, and when


@dataclass(frozen=True)
class Applied:
    """One withdrawal applied in a member's project."""

    participant_uuid: str
    held: bool
    applied_at: str


def _uuid(value: Any) -> str:
    if not isinstance(value, str) or str(uuidlib.UUID(value)) != value.lower():
        raise ValueError("uuid")
    return value


def decode_orders(raw: Any) -> tuple[str, ...]:
    """The team file's ``withdrawals``: distinct participant UUIDs. Raises ValueError."""
    if not isinstance(raw, list) or len(raw) > MAX_ORDERS:
        raise ValueError("withdrawals")
    orders = tuple(_uuid(item) for item in raw)
    if len(set(orders)) != len(orders):
        raise ValueError("a withdrawal is listed twice")
    return orders


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def encode_receipt(
    *,
    team_uuid: str,
    member_id: str,
    signing_private: bytes,
    applied: Sequence[Applied],
    destroyed_at: str | None = None,
) -> bytes:
    """A member's signed receipt; the same withdrawals give the same bytes."""
    body: dict[str, Any] = {
        "format": RECEIPT_FORMAT,
        "version": RECEIPT_VERSION,
        "team_uuid": team_uuid,
        "member_id": member_id,
        "withdrawals": [
            {"participant_uuid": a.participant_uuid, "held": a.held, "applied_at": a.applied_at}
            for a in sorted(applied, key=lambda a: a.participant_uuid)
        ],
    }
    if destroyed_at is not None:
        body["destroyed_at"] = destroyed_at
    signature = Ed25519PrivateKey.from_private_bytes(signing_private).sign(_PREFIX + _canonical(body))
    document = {
        "format": RECEIPT_FORMAT,
        "version": RECEIPT_VERSION,
        "receipt": body,
        "signature": base64.b64encode(signature).decode("ascii"),
    }
    return (json.dumps(document, indent=1) + "\n").encode("utf-8")


def read_receipt(data: bytes, *, team_uuid: str, member_id: str, signing_public: bytes) -> Receipt:
    """Check a member's receipt against the key on record for them; raises :class:`JswError`."""
    damaged = JswError("this is not a usable withdrawal receipt")
    if len(data) > MAX_RECEIPT_BYTES:
        raise damaged
    try:
        document = json.loads(data.decode("utf-8"))
        body = document["receipt"]
        if document["format"] != RECEIPT_FORMAT or document["version"] != RECEIPT_VERSION:
            raise ValueError("format")
        if body["format"] != RECEIPT_FORMAT or body["version"] != RECEIPT_VERSION:
            raise ValueError("format")
        signature = base64.b64decode(document["signature"], validate=True)
        Ed25519PublicKey.from_public_bytes(signing_public).verify(signature, _PREFIX + _canonical(body))
        if body["team_uuid"] != team_uuid or body["member_id"] != member_id:
            raise JswError("a withdrawal receipt for another team or member")
        items = body["withdrawals"]
        if not isinstance(items, list) or len(items) > MAX_ORDERS:
            raise ValueError("withdrawals")
        applied = []
        for item in items:
            held, at = item["held"], item["applied_at"]
            if not isinstance(held, bool) or not isinstance(at, str) or len(at) > 64:
                raise ValueError("withdrawal")
            at = datetime.fromisoformat(at).isoformat()  # a time, and nothing else, to be shown
            applied.append(Applied(_uuid(item["participant_uuid"]), held, at))
        destroyed = body.get("destroyed_at")
        if destroyed is not None:
            if not isinstance(destroyed, str) or len(destroyed) > 64:
                raise ValueError("destroyed_at")
            destroyed = datetime.fromisoformat(destroyed).isoformat()
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError, binascii.Error):
        raise damaged from None
    except InvalidSignature:
        raise JswError("this withdrawal receipt was not signed by its member, or has been changed") from None
    return Receipt(applied, destroyed)
