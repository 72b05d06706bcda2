"""A lock so two runs of the same inventory (same database) never overlap.

SQLite: a lock file beside the database (``<db>.lock``). PostgreSQL: an advisory lock held on
a connection of the database itself, so machines sharing the database see it.
"""

from __future__ import annotations

import fcntl
import os
import socket
from pathlib import Path

from .store import Store, display_name, is_postgres


class LockHeld(Exception):
    """Another audit holds the lock; the message names the lock and its holder."""


class RunLock:
    def __init__(self, db_path: str | Path) -> None:
        self.db = str(db_path)
        self.postgres = is_postgres(self.db)
        self.path = Path(f"{db_path}.lock") if not self.postgres else None
        self.handle = None
        self._store: Store | None = None
        self._held = None

    def __enter__(self) -> RunLock:
        if self.postgres:
            self._store = Store(self.db)
            self._held = self._store.exclusive("auditor scan --all")
            if not self._held.__enter__():
                self._held.__exit__(None, None, None)
                self._store.close()
                raise LockHeld(f"{display_name(self.db)}: another audit is running (advisory "
                               "lock 'auditor scan --all' held)")
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = open(self.path, "a+")  # noqa: SIM115 - held for the whole run
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.seek(0)
            holder = self.handle.read().strip() or "unknown process"
            self.handle.close()
            raise LockHeld(f"{self.path}: another audit is running ({holder})") from None
        self.handle.seek(0)
        self.handle.truncate()
        self.handle.write(f"pid {os.getpid()} on {socket.gethostname()}")
        self.handle.flush()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._held is not None:
            self._held.__exit__(None, None, None)
            self._store.close()
            self._held = None
        if self.handle:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
