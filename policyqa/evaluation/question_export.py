"""Writing question sets: the staff layout as CSV or XLSX (what `policyqa.evaluation.questions` reads back), and JSONL."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterable, Sequence

from policyqa.evaluation.questions import COLUMNS, Question
from policyqa.evaluation.sheets import write_csv, write_xlsx

_WIDTHS = {"id": 10, "question": 40, "answer": 40, "answerable": 10, "type": 12, "evidence_doc": 28,
           "evidence_quote": 50, "keywords": 30, "items": 30, "keywords_any": 12}


def _join_items(items: list[str]) -> str:
    # One item per line; a trailing newline keeps a lone item containing "|" from being split on read.
    text = "\n".join(items)
    return text + "\n" if len(items) == 1 and "|" in text else text


def _flat_rows(questions: Sequence[Question]) -> tuple[list[str], list[list[Any]]]:
    with_any = any(q.keywords_any for q in questions)
    header = list(COLUMNS) + (["keywords_any"] if with_any else [])
    rows = []
    for q in questions:
        docs = [e.doc for e in q.evidence]
        # Newlines separate items in a cell; inside a quote they carry nothing (quotes compare normalised).
        quotes = [re.sub(r"[\r\n]+", "", e.quote) for e in q.evidence]
        has_quotes = any(quotes)
        if has_quotes and not all(quotes):
            raise ValueError(f"{q.id}: cannot write a mix of evidence with and without quotes in one row")
        row = [
            q.id, q.question, q.answer, "是" if q.answerable else "否", q.type,
            _join_items(docs), _join_items(quotes) if has_quotes else "", "|".join(q.keywords),
            "|".join(q.items),
        ]
        if with_any:
            row.append("是" if q.keywords_any else "否")
        rows.append(row)
    return header, rows


def write_questions_csv(questions: Iterable[Question], path: str | Path) -> Path:
    """Write the staff layout as UTF-8-with-BOM CSV (opens correctly in Excel)."""
    return write_csv(Path(path), *_flat_rows(list(questions)))


def write_questions_xlsx(questions: Iterable[Question], path: str | Path) -> Path:
    """Write the staff layout as an .xlsx sheet named ``questions`` (also a template when empty)."""
    header, rows = _flat_rows(list(questions))
    return write_xlsx(Path(path), header, rows, "questions", [_WIDTHS.get(name, 15) for name in header], as_text=True)


def write_questions_jsonl(questions: Iterable[Question], path: str | Path) -> Path:
    path = Path(path)
    with path.open("w", encoding="utf-8") as f:
        for q in questions:
            f.write(json.dumps(q.to_dict(), ensure_ascii=False) + "\n")
    return path
