"""Conversations kept per owner (SQLite): the logged-in user, or an anonymous browser's own id."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from policyqa.sqlitefile import SQLiteFile

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT NOT NULL,
    owner TEXT NOT NULL,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    turns TEXT NOT NULL,  -- JSON list, each turn as the chat keeps it (Answer.to_json plus related, feedback)
    PRIMARY KEY (owner, id)
);
"""
TITLE = 30  # characters of the first question kept as the title


class ConversationStore(SQLiteFile):
    """One row per (owner, conversation); saving a conversation again replaces its turns."""

    schema = SCHEMA

    def save(self, owner: str, conversation: str, turns: list[dict]) -> None:
        if not turns:
            return
        data = json.dumps(turns, ensure_ascii=False)
        if self._stored(owner, conversation) == data:
            return  # reopened, not changed: keep its place in the list
        now = datetime.now().isoformat(sep=" ", timespec="microseconds")  # orders saves in one second
        title = " ".join(str(turns[0].get("question", "")).split())[:TITLE] or "（无标题）"
        with self._lock, self._connect() as db:
            db.execute("INSERT INTO conversations (id, owner, title, created_at, updated_at, turns) "
                       "VALUES (?,?,?,?,?,?) ON CONFLICT (owner, id) DO UPDATE SET updated_at=excluded.updated_at, "
                       "turns=excluded.turns", (conversation, owner, title, now, now, data))

    def _stored(self, owner: str, conversation: str) -> str | None:
        with self._connect() as db:
            row = db.execute("SELECT turns FROM conversations WHERE owner=? AND id=?",
                             (owner, conversation)).fetchone()
        return row[0] if row else None

    def list(self, owner: str) -> list[dict]:
        """The owner's conversations, the most recently changed first: id, title, updated_at, n_turns."""
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            rows = db.execute("SELECT id, title, updated_at, json_array_length(turns) AS n_turns FROM conversations "
                              "WHERE owner=? ORDER BY updated_at DESC, rowid DESC", (owner,)).fetchall()
        return [dict(r) for r in rows]

    def get(self, owner: str, conversation: str) -> list[dict] | None:
        data = self._stored(owner, conversation)
        return json.loads(data) if data is not None else None

    def delete(self, owner: str, conversation: str) -> bool:
        with self._lock, self._connect() as db:
            return db.execute("DELETE FROM conversations WHERE owner=? AND id=?",
                              (owner, conversation)).rowcount > 0
