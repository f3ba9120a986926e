"""One writer per project: an OS file lock, released by the OS when its process ends, even by a crash."""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout

from jswcoder.errors import ProjectLocked, StorageFailed


class ProjectLock:
    def __init__(self, path: Path) -> None:
        self._lock = FileLock(path, timeout=0, mode=0o600, thread_local=False)
        self._name = path.parent.name

    def acquire(self) -> None:
        try:
            self._lock.acquire()
        except Timeout:
            raise ProjectLocked(
                f"the project {self._name} is already open in another jswcoder window or process; "
                "close it there first"
            ) from None
        except OSError as error:  # a read-only folder or medium, or something else in the lock's place
            raise StorageFailed(
                f"the project {self._name} cannot be locked for writing "
                f"({error.strerror or 'the system refused'}); is its folder read-only?"
            ) from None

    def release(self) -> None:
        self._lock.release()

    @property
    def held(self) -> bool:
        return bool(self._lock.is_locked)
