"""A small SQLite database file with its schema, shared by the app's threads (feedback, grades)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path


class SQLiteFile:
    schema = ""  # executed on open: CREATE TABLE IF NOT EXISTS …

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.executescript(self.schema)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)
