"""The OS keychain (through ``keyring``), where the data key is kept for daily use.

A keychain is a convenience, never a requirement: where none works (a headless Linux machine has
none) the project opens with its passphrase, and the key is never written to a plaintext file instead.
"""

from __future__ import annotations

import logging

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.backends.Windows import WinVaultKeyring

from jswcoder.logs import Safe

SERVICE = "jswcoder"
UNAVAILABLE = (
    "No OS keychain is available on this computer, so the passphrase will be asked for each time "
    "the project is opened."
)
# wincred.h: a credential kept on this computer only. keyring's default, CRED_PERSIST_ENTERPRISE,
# roams with the user's profile: on a managed laptop the key would be copied to the domain's servers
# and to every computer the user signs in to, so the laptop would no longer be the only place it is.
CRED_PERSIST_LOCAL_MACHINE = 2
log = logging.getLogger(__name__)


def _account(project_uuid: str) -> str:
    return f"project:{project_uuid}"


def available() -> bool:
    backend = keyring.get_keyring()
    return not isinstance(backend, fail.Keyring | null.Keyring)


def _on_this_computer_only(backend: KeyringBackend) -> None:
    """Windows Credential Manager (alone, or in keyring's chain of backends) keeps the key locally."""
    for each in getattr(backend, "backends", None) or [backend]:
        if isinstance(each, WinVaultKeyring):
            each.persist = CRED_PERSIST_LOCAL_MACHINE


def remember(project_uuid: str, data_key: bytes) -> bool:
    """Keep the data key in the keychain; False where no keychain took it."""
    if not available():
        return False
    try:
        _on_this_computer_only(keyring.get_keyring())
        keyring.set_password(SERVICE, _account(project_uuid), data_key.hex())
    # A broken third-party keychain backend can raise anything; it must never stop a fieldworker from
    # opening a project with the passphrase. The error's text is not logged: it could hold the key.
    except Exception as error:  # noqa: BLE001
        log.warning("the OS keychain refused to store the project key (%s)", Safe(type(error).__name__))
        return False
    return True


def recall(project_uuid: str) -> bytes | None:
    if not available():
        return None
    try:
        stored = keyring.get_password(SERVICE, _account(project_uuid))
    except Exception as error:  # noqa: BLE001 - see remember()
        log.warning("the OS keychain could not be read (%s)", Safe(type(error).__name__))
        return None
    if stored is None:
        return None
    try:
        key = bytes.fromhex(stored)
    except ValueError:
        return None
    return key if len(key) == 32 else None


def forget(project_uuid: str) -> None:
    if not available():
        return
    try:
        keyring.delete_password(SERVICE, _account(project_uuid))
    except Exception as error:  # noqa: BLE001 - see remember(); also raised when nothing was stored
        log.debug("nothing removed from the OS keychain (%s)", Safe(type(error).__name__))
