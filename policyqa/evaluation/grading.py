"""Human grades of evaluation answers (SQLite), their export (CSV/XLSX) and their agreement with the metrics.

One row per (run, question): a later grade of the same question in the same run updates the row. A run is
identified by its folder name (``runs/<set>-<time>``, ``metrics.json`` → ``name``).

``agreement(grades, rows)`` compares the human grades with the automatic verdict on the same questions of the
run (``questions.csv`` rows): an answerable question is automatically correct when it was answered (not
refused) with every keyword present (``keyword_coverage == 1``); an unanswerable one when it was refused
(``correct_refusal``). Human "正确" agrees with an automatic "correct", "部分正确" and "错误" with an
automatic "wrong"."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from policyqa.evaluation.sheets import write_csv, write_xlsx
from policyqa.sqlitefile import SQLiteFile

SCHEMA = """
CREATE TABLE IF NOT EXISTS grades (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    question_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    question TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL DEFAULT '',
    grade TEXT NOT NULL,                  -- 正确 | 部分正确 | 错误
    citation_ok INTEGER,                  -- 1 | 0 | NULL (not judged)
    comment TEXT NOT NULL DEFAULT '',
    grader TEXT NOT NULL DEFAULT '',      -- the logged-in user who graded ('' without a login)
    UNIQUE (run_id, question_id)
);
"""

GRADES = ("正确", "部分正确", "错误")
AUTO_OK, AUTO_WRONG = "自动判定正确", "自动判定错误"

# Export columns: (field, header); reference and auto come from the run, not from the store.
EXPORT_COLUMNS = [("run_id", "评测批次"), ("question_id", "编号"), ("question", "问题"), ("answer", "系统回答"),
                  ("reference", "参考答案"), ("auto", "自动判定"), ("grade", "人工评分"), ("citation_ok", "引用正确"),
                  ("comment", "备注"), ("grader", "评分人"), ("updated_at", "评分时间")]


class GradeStore(SQLiteFile):
    """Human grades, one row per (run_id, question_id)."""

    schema = SCHEMA

    def __init__(self, path: str | Path):
        super().__init__(path)
        with self._connect() as db:  # a file written before graders were recorded
            if "grader" not in {r[1] for r in db.execute("PRAGMA table_info(grades)")}:
                db.execute("ALTER TABLE grades ADD COLUMN grader TEXT NOT NULL DEFAULT ''")

    def save(self, run_id: str, question_id: str, question: str, answer: str, grade: str,
             citation_ok: bool | None = None, comment: str = "", grader: str = "") -> dict:
        """Store (or update) the grade of one answer; returns the stored row."""
        if grade not in GRADES:
            raise ValueError(f"unknown grade: {grade!r} (expected one of {', '.join(GRADES)})")
        now = time.strftime("%Y-%m-%d %H:%M:%S")
        ok = None if citation_ok is None else int(bool(citation_ok))
        with self._lock, self._connect() as db:
            db.execute(
                "INSERT INTO grades (run_id, question_id, created_at, updated_at, question, answer, grade, "
                "citation_ok, comment, grader) VALUES (?,?,?,?,?,?,?,?,?,?) "
                "ON CONFLICT (run_id, question_id) DO UPDATE SET updated_at=excluded.updated_at, "
                "question=excluded.question, answer=excluded.answer, grade=excluded.grade, "
                "citation_ok=excluded.citation_ok, comment=excluded.comment, grader=excluded.grader",
                (str(run_id), str(question_id), now, now, question or "", answer or "", grade, ok,
                 (comment or "").strip(), grader or ""))
        return self.get(run_id, question_id)

    def get(self, run_id: str, question_id: str) -> dict | None:
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            row = db.execute("SELECT * FROM grades WHERE run_id=? AND question_id=?",
                             (str(run_id), str(question_id))).fetchone()
        return _row(row) if row else None

    def grades(self, run_id: str) -> list[dict]:
        """All grades of a run, in the order they were first given."""
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            rows = db.execute("SELECT * FROM grades WHERE run_id=? ORDER BY id", (str(run_id),)).fetchall()
        return [_row(r) for r in rows]

    def export(self, run_id: str, path: str | Path,
               run: Mapping[str, Mapping[str, str]] | None = None) -> Path:
        """Write the grades of a run to `path`: ``.xlsx`` (openpyxl) or ``.csv`` (UTF-8 with BOM, for Excel).
        `run` gives, per question id, its ``reference`` answer and ``auto`` verdict (blank without it)."""
        path = Path(path)
        header = [h for _, h in EXPORT_COLUMNS]
        rows = [[_export_cell({**g, **(run or {}).get(g["question_id"], {})}.get(f)) for f, _ in EXPORT_COLUMNS]
                for g in self.grades(run_id)]
        path.parent.mkdir(parents=True, exist_ok=True)
        suffix = path.suffix.lower()
        if suffix == ".xlsx":
            write_xlsx(path, header, rows, "人工评分", (22, 10, 40, 60, 40, 14, 10, 10, 30, 12, 20))
        elif suffix == ".csv":
            write_csv(path, header, rows)
        else:
            raise ValueError(f"unsupported export format: {path.suffix!r} (use .csv or .xlsx)")
        return path


def _row(row: sqlite3.Row) -> dict:
    out = dict(row)
    out["citation_ok"] = None if out["citation_ok"] is None else bool(out["citation_ok"])
    return out


def _export_cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    return v


# ---------------------------------------------------------------- agreement with the automatic metrics


def _flag(v: Any) -> bool | None:
    if v is None or v == "":
        return None
    if isinstance(v, str):
        return v.strip().lower() in ("1", "true", "是", "yes")
    return bool(v)


def _num(v: Any) -> float | None:
    if v is None or v == "":
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def auto_correct(row: Mapping[str, Any]) -> bool | None:
    """The automatic verdict on one questions.csv row: answered with full keyword coverage (answerable), or
    refused (unanswerable). None when it cannot be decided (an answerable question without keywords)."""
    answerable = _flag(row.get("answerable"))
    refused = bool(_flag(row.get("refused")))
    if answerable is False:
        cr = _flag(row.get("correct_refusal"))
        return refused if cr is None else cr
    if refused:
        return False
    kc = _num(row.get("keyword_coverage"))
    if kc is None:
        return None
    return kc >= 1 - 1e-9


def agreement(grades: Sequence[Mapping[str, Any]], rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Human grades against the automatic verdicts of the same questions (matched by question id / row id).

    Returns ``n_graded``, ``n_compared`` (graded questions with an automatic verdict), ``n_agree``,
    ``agreement`` (share, None when nothing is compared), ``confusion`` {grade: {自动判定正确, 自动判定错误}},
    ``by_grade`` (human counts), ``citation_ok`` / ``citation_judged`` and ``disagreements`` (question ids)."""
    by_id = {str(r.get("id")): r for r in rows}
    confusion = {g: {AUTO_OK: 0, AUTO_WRONG: 0} for g in GRADES}
    by_grade = dict.fromkeys(GRADES, 0)
    n_compared = n_agree = cit_ok = cit_judged = 0
    disagreements: list[str] = []
    for g in grades:
        grade = g.get("grade")
        if grade not in by_grade:
            continue
        by_grade[grade] += 1
        if g.get("citation_ok") is not None:
            cit_judged += 1
            cit_ok += int(bool(g["citation_ok"]))
        row = by_id.get(str(g.get("question_id")))
        auto = auto_correct(row) if row is not None else None
        if auto is None:
            continue
        n_compared += 1
        confusion[grade][AUTO_OK if auto else AUTO_WRONG] += 1
        if (grade == "正确") == auto:
            n_agree += 1
        else:
            disagreements.append(str(g.get("question_id")))
    return {
        "n_graded": sum(by_grade.values()),
        "n_compared": n_compared,
        "n_agree": n_agree,
        "agreement": n_agree / n_compared if n_compared else None,
        "confusion": confusion,
        "by_grade": by_grade,
        "citation_ok": cit_ok,
        "citation_judged": cit_judged,
        "disagreements": disagreements,
    }


__all__ = ["GradeStore", "agreement", "auto_correct", "GRADES", "AUTO_OK", "AUTO_WRONG"]
