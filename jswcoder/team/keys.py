"""Team members' key pairs, and fingerprints people can read to each other to check them.

Each member has two key pairs: X25519 to receive packages (only leads need to publish one) and Ed25519
to sign the packages they send. Keys are raw 32-byte strings, the form the envelope stores and the team
roster can hold as base64 or hex.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from jswcoder.errors import InvalidInput

KEY_BYTES = 32


@dataclass(frozen=True)
class KeyPair:
    # Kept out of repr so a key pair in a log line or a traceback never shows the private half.
    private: bytes = field(repr=False)
    public: bytes


def new_encryption_keys() -> KeyPair:
    """A fresh X25519 key pair: the public half lets others seal packages for its owner."""
    private = X25519PrivateKey.generate()
    return KeyPair(private=private.private_bytes_raw(), public=private.public_key().public_bytes_raw())


def new_signing_keys() -> KeyPair:
    """A fresh Ed25519 key pair: the public half lets the lead check who sent a package."""
    private = Ed25519PrivateKey.generate()
    return KeyPair(private=private.private_bytes_raw(), public=private.public_key().public_bytes_raw())


def fingerprint(public: bytes) -> str:
    """The first 64 bits of SHA-256 of *public*, as four groups of four hex digits ("7F3A-91C2-0B4D-E6A8").

    Short enough to read aloud over the phone when a key is first added to the team; finding another
    key with the same fingerprint takes about 2**64 work, far beyond a fieldwork adversary.
    """
    if len(public) != KEY_BYTES:
        raise InvalidInput(f"a public key is {KEY_BYTES} bytes long, not {len(public)}")
    digits = hashlib.sha256(public).hexdigest()[:16].upper()
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))


def matches(typed: str, public: bytes) -> bool:
    """Whether *typed* (as read out: any case, with or without dashes and spaces) is *public*'s fingerprint."""
    wanted = "".join(ch for ch in typed if ch.isalnum()).upper()
    return hmac.compare_digest(
        wanted.encode("ascii", "replace"), fingerprint(public).replace("-", "").encode()
    )
