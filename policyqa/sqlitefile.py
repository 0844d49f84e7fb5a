"""A small SQLite database file with its schema, shared by the app's threads (feedback, grades, conversations,
accounts, the audit trail)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any


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

    def _newest_first(self, table: str, date_column: str, since: str = "", until: str = "",
                      **equal: Any) -> list[sqlite3.Row]:
        """Rows of `table`, newest first, whose `date_column` day lies in [since, until] (yyyy-mm-dd, inclusive,
        either may be empty) and whose columns equal `equal` (a None value is no condition)."""
        where, args = [], []
        for column, value in equal.items():
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        for op, day in ((">=", since), ("<=", until)):
            if day:
                where.append(f"substr({date_column}, 1, 10) {op} ?")
                args.append(day)
        sql = f"SELECT * FROM {table}" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id DESC"
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            return db.execute(sql, args).fetchall()
