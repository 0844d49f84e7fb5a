"""The audit trail (SQLite, append-only): every question answered, by whom, when, through which channel, the
paragraphs cited, the knowledge bases searched and the index build of each that answered it. Triggers refuse
updates and deletes, so a row once written stays as it was."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from policyqa.sqlitefile import SQLiteFile

SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    user TEXT NOT NULL,                 -- '' without a login
    channel TEXT NOT NULL,              -- ui | api | openai
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    refused INTEGER NOT NULL,
    paragraphs TEXT NOT NULL,           -- JSON list of the cited paragraph ids, in citation order
    docs TEXT NOT NULL,                 -- JSON list of the documents the question was restricted to ([] = all)
    index_version TEXT NOT NULL,        -- JSON {knowledge base id: the build that answered (its folder name)}
    kbs TEXT NOT NULL DEFAULT '[]'      -- JSON list of the knowledge bases searched
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
"""
CHANNELS = ("ui", "api", "openai")
EXPORT_COLUMNS = [("id", "序号"), ("at", "时间"), ("user", "用户"), ("channel", "渠道"), ("question", "问题"),
                  ("answer", "回答"), ("refused", "未找到答案"), ("paragraphs", "引用段落"), ("kbs", "知识库"),
                  ("index_version", "索引版本"), ("current", "是否当前索引")]
DEFAULT_KB = "default"  # rows written before knowledge bases existed searched the default one


class AuditLog(SQLiteFile):
    schema = SCHEMA

    def __init__(self, path):
        super().__init__(path)
        with self._lock, self._connect() as db:  # a trail written before knowledge bases existed
            if "kbs" not in {r[1] for r in db.execute("PRAGMA table_info(audit)")}:
                db.execute("ALTER TABLE audit ADD COLUMN kbs TEXT NOT NULL DEFAULT '[]'")

    def record(self, *, user: str, channel: str, answer: dict, docs: list[str] | None,
               index_version: dict[str, str], kbs: list[str] | None = None) -> int:
        """Append one answered question (`answer` is the JSON answer; `index_version` maps each knowledge base
        searched to the build that answered); returns its row id."""
        if channel not in CHANNELS:
            raise ValueError(f"unknown channel: {channel!r}")
        paragraphs = [c.get("paragraph_id", "") for c in answer.get("citations", [])]
        with self._lock, self._connect() as db:
            cur = db.execute(
                "INSERT INTO audit (at, user, channel, question, answer, refused, paragraphs, docs, index_version, "
                "kbs) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (time.strftime("%Y-%m-%d %H:%M:%S"), user or "", channel, answer.get("question", ""),
                 answer.get("answer", ""), int(bool(answer.get("refused"))), json.dumps(paragraphs),
                 json.dumps(list(docs or []), ensure_ascii=False), json.dumps(index_version),
                 json.dumps(list(kbs or index_version))))
            return int(cur.lastrowid)

    def select(self, user: str | None = None, since: str = "", until: str = "",
               current: dict[str, str] | None = None) -> list[dict]:
        """Rows newest first, optionally of one user and between two dates (yyyy-mm-dd, inclusive); each row says
        whether every knowledge base it searched is still on the build that answered (`current`: knowledge base
        id → the build published now)."""
        rows = [_row(r) for r in self._newest_first("audit", "at", since, until, user=user)]
        for r in rows:
            r["current"] = all((current or {}).get(kb) == build for kb, build in r["index_version"].items())
        return rows

    def get(self, row_id: int) -> dict | None:
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            row = db.execute("SELECT * FROM audit WHERE id = ?", (int(row_id),)).fetchone()
        return _row(row) if row is not None else None

    def export(self, path: Path, rows: list[dict]) -> Path:
        """`rows` (from `select`) as CSV or XLSX, by the suffix of `path`."""
        from policyqa.evaluation.sheets import write_csv, write_xlsx

        header = [h for _, h in EXPORT_COLUMNS]
        table = [[_cell(r[k]) for k, _ in EXPORT_COLUMNS] for r in rows]
        if Path(path).suffix.lower() == ".xlsx":
            return write_xlsx(path, header, table, "审计日志", (6, 20, 12, 8, 40, 60, 8, 40, 16, 24, 10), as_text=True)
        return write_csv(path, header, table)


def _row(r) -> dict:
    row = dict(r)
    row["paragraphs"], row["docs"], row["kbs"] = (json.loads(row[k]) for k in ("paragraphs", "docs", "kbs"))
    row["refused"] = bool(row["refused"])
    version = row["index_version"]
    row["index_version"] = json.loads(version) if version.startswith("{") else {DEFAULT_KB: version}
    return row


def _cell(value) -> str:
    if isinstance(value, dict):
        return "；".join(f"{k}:{v}" for k, v in value.items())
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "；".join(value)
    return str(value)
