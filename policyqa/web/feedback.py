"""Feedback on answers (SQLite) and export of a conversation with its citations (Markdown or JSON)."""

from __future__ import annotations

import html
import json
import re
import sqlite3
import time

from policyqa.sqlitefile import SQLiteFile

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation TEXT NOT NULL,
    turn INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    rating TEXT NOT NULL DEFAULT '',      -- up | down | ''
    comment TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    refused INTEGER NOT NULL DEFAULT 0,
    mode TEXT NOT NULL DEFAULT '',
    citations TEXT NOT NULL DEFAULT '[]', -- JSON list, as in Answer.to_json
    user TEXT NOT NULL DEFAULT '',
    UNIQUE (conversation, turn)
);
"""

RATINGS = {"up": "有帮助", "down": "没帮助", "": ""}


class FeedbackStore(SQLiteFile):
    """One row per rated answer (conversation id, turn); a later rating or comment updates the row."""

    schema = SCHEMA

    def record(self, conversation: str, turn: int, answer: dict, *, rating: str | None = None,
               comment: str | None = None, user: str = "") -> dict:
        """Store (or update) the feedback on one answer; `answer` is the turn's JSON dict.
        `rating`/`comment` left as None keep what was stored before. Returns the stored row."""
        if rating is not None and rating not in RATINGS:
            raise ValueError(f"unknown rating: {rating!r}")
        now = time.strftime("%Y-%m-%d %H:%M:%S")
        citations = json.dumps(answer.get("citations", []), ensure_ascii=False)
        with self._lock, self._connect() as db:
            db.execute(
                "INSERT INTO feedback (conversation, turn, created_at, updated_at, rating, comment, question, "
                "answer, refused, mode, citations, user) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) "
                "ON CONFLICT (conversation, turn) DO UPDATE SET updated_at=excluded.updated_at, "
                "rating=CASE WHEN ? IS NULL THEN feedback.rating ELSE excluded.rating END, "
                "comment=CASE WHEN ? IS NULL THEN feedback.comment ELSE excluded.comment END",
                (conversation, int(turn), now, now, rating or "", (comment or "").strip(),
                 answer.get("question", ""), answer.get("answer", ""), int(bool(answer.get("refused"))),
                 answer.get("mode", ""), citations, user, rating, comment))
        return self.get(conversation, turn)

    def get(self, conversation: str, turn: int) -> dict | None:
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            row = db.execute("SELECT * FROM feedback WHERE conversation=? AND turn=?",
                             (conversation, int(turn))).fetchone()
        return _row(row) if row else None

    def select(self, rating: str | None = None, since: str = "", until: str = "") -> list[dict]:
        """Rows newest first; `rating` "up"/"down" (or "" for a comment without a rating); `since`/`until` are
        dates (yyyy-mm-dd, inclusive) of the last change."""
        if rating is not None and rating not in RATINGS:
            raise ValueError(f"unknown rating: {rating!r}")
        rows = self._newest_first("feedback", "updated_at", since, until, rating=rating)
        return [_row(r) for r in rows]


def _row(row: sqlite3.Row) -> dict:
    out = dict(row)
    out["citations"] = json.loads(out["citations"] or "[]")
    out["refused"] = bool(out["refused"])
    return out


# --- export ---------------------------------------------------------------------------------------
# A conversation is a list of turns, each the dict `Answer.to_json(id)` returns plus `related` (for
# refusals): the same JSON contract as the command line.

def conversation_json(turns: list[dict], conversation: str = "") -> str:
    """The conversation as JSON: one object per turn, each the command line's answer JSON."""
    out = {"conversation": conversation, "exported_at": time.strftime("%Y-%m-%d %H:%M:%S"),
           "turns": [_export_turn(t) for t in turns]}
    return json.dumps(out, ensure_ascii=False, indent=1)


def _export_turn(t: dict) -> dict:
    keep = ("id", "question", "answer", "refused", "citations", "related", "standalone_question", "mode",
            "notice", "feedback")
    return {k: t[k] for k in keep if k in t}


def conversation_markdown(turns: list[dict], conversation: str = "") -> str:
    """The conversation as Markdown: each question, its answer, and the cited clauses with their quotes.
    Every text is escaped (`_md`): a Markdown viewer renders raw HTML, and document text may hold some."""
    lines = ["# 政策问答对话记录", "", f"导出时间：{time.strftime('%Y-%m-%d %H:%M:%S')}"]
    if conversation:
        lines.append(f"对话编号：{_md(conversation)}")
    for i, t in enumerate(turns, 1):
        lines += ["", f"## 问题 {i}：{_md(t.get('question', ''))}", ""]
        if t.get("notice"):
            lines += [f"> {_md(t['notice'])}", ""]
        answer = t.get("answer", "")
        if t.get("refused"):
            answer = answer.split("\n\n")[0]
            lines.append(f"**未找到答案：** {_md(answer)}")
        else:
            lines += [_md(line) for line in answer.splitlines()]
        if t.get("citations"):
            lines += ["", "**引用依据：**", ""]
            for c in t["citations"]:
                flag = "" if c.get("supported", True) else "（未核实）"
                lines.append(f"{c['n']}. {_md(c['clause'])}{flag}（文件：{_md(c['doc'])}）")
                quote = c.get("quote") or c.get("text", "")
                lines.append(f"   > {_md(quote)}")
        if t.get("related"):
            lines += ["", "**可能相关的段落：**", ""]
            for r in t["related"]:
                lines.append(f"- {_md(r['clause'])}（文件：{_md(r['doc'])}）")
        fb = t.get("feedback") or {}
        if fb.get("rating") or fb.get("comment"):
            lines += ["", f"评价：{RATINGS.get(fb.get('rating', ''), '')} {_md(fb.get('comment', ''))}".rstrip()]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """One line of text as Markdown shows it literally: HTML characters as entities (no tag or autolink can
    form), and the characters of links, code and emphasis escaped."""
    return _MD_SPECIAL.sub(r"\\\g<0>", html.escape(_one_line(text), quote=False))


_MD_SPECIAL = re.compile(r"[\\`*\[\]]")


def _one_line(text: str) -> str:
    return " ".join(str(text).split())
