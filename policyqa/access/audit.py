"""The audit trail (SQLite, append-only): every question answered, by whom, when, through which channel, the
paragraphs cited and the index build that answered it. Triggers refuse updates and deletes, so a row once
written stays as it was."""

from __future__ import annotations

import json
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
    index_version TEXT NOT NULL         -- the build that answered (its folder name)
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
"""
CHANNELS = ("ui", "api", "openai")
EXPORT_COLUMNS = [("id", "序号"), ("at", "时间"), ("user", "用户"), ("channel", "渠道"), ("question", "问题"),
                  ("answer", "回答"), ("refused", "未找到答案"), ("paragraphs", "引用段落"),
                  ("index_version", "索引版本"), ("current", "是否当前索引")]


class AuditLog(SQLiteFile):
    schema = SCHEMA

    def record(self, *, user: str, channel: str, answer: dict, docs: list[str] | None, index_version: str) -> int:
        """Append one answered question (`answer` is the JSON answer); returns its row id."""
        if channel not in CHANNELS:
            raise ValueError(f"unknown channel: {channel!r}")
        paragraphs = [c.get("paragraph_id", "") for c in answer.get("citations", [])]
        with self._lock, self._connect() as db:
            cur = db.execute(
                "INSERT INTO audit (at, user, channel, question, answer, refused, paragraphs, docs, index_version) "
                "VALUES (?,?,?,?,?,?,?,?,?)",
                (time.strftime("%Y-%m-%d %H:%M:%S"), user or "", channel, answer.get("question", ""),
                 answer.get("answer", ""), int(bool(answer.get("refused"))), json.dumps(paragraphs),
                 json.dumps(list(docs or []), ensure_ascii=False), index_version))
            return int(cur.lastrowid)

    def select(self, user: str | None = None, since: str = "", until: str = "", current: str = "") -> list[dict]:
        """Rows newest first, optionally of one user and between two dates (yyyy-mm-dd, inclusive); each row says
        whether it was answered on `current` (the index build now published) or an older one."""
        rows = [dict(r) for r in self._newest_first("audit", "at", since, until, user=user)]
        for r in rows:
            r["paragraphs"], r["docs"] = json.loads(r["paragraphs"]), json.loads(r["docs"])
            r["refused"] = bool(r["refused"])
            r["current"] = r["index_version"] == current
        return rows

    def export(self, path: Path, rows: list[dict]) -> Path:
        """`rows` (from `select`) as CSV or XLSX, by the suffix of `path`."""
        from policyqa.evaluation.sheets import write_csv, write_xlsx

        header = [h for _, h in EXPORT_COLUMNS]
        table = [[_cell(r[k]) for k, _ in EXPORT_COLUMNS] for r in rows]
        if Path(path).suffix.lower() == ".xlsx":
            return write_xlsx(path, header, table, "审计日志", (6, 20, 12, 8, 40, 60, 8, 40, 24, 10), as_text=True)
        return write_csv(path, header, table)


def _cell(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "；".join(value)
    return str(value)
