"""A keychain that lives in this process only.

The tests, the benchmarks and (later) the self-test use it so that none of them ever touches the
user's real OS keychain: ``keyring.set_keyring(MemoryKeychain())``.
"""

from __future__ import annotations

import keyring.backend


class MemoryKeychain(keyring.backend.KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)
