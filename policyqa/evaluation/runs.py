"""Run folders: writing a run (metrics.json, questions.csv, answers*.jsonl, failures.json, report.html),
reading it back, and comparing two runs."""

from __future__ import annotations

import csv
import json
import logging
import re
from datetime import datetime
from pathlib import Path
from typing import Any, Mapping, Sequence

from policyqa.errors import RunError
from policyqa.evaluation.metrics import ROW_COLUMNS, EvalResult, compare
from policyqa.evaluation.report import render_report
from policyqa.evaluation.sheets import write_csv

log = logging.getLogger(__name__)

_UNSAFE = re.compile(r"[^\w.\-]+")
FULL = "hybrid"
LANGCHAIN = "langchain"
BASELINES = ("bm25", "dense", LANGCHAIN)
RETRIEVAL_METRICS = ("n_", "hit@", "mrr@", "ndcg@", "all_evidence@", "latency_retrieve")

# questions.csv: how to read the columns back (for --compare); everything else stays text.
_INT_COLS = {"n_evidence", "hit_rank", "n_citations", "hit_rank_bm25", "hit_rank_dense", "hit_rank_langchain"}

_BOOL_COLS = {"answerable", "hit1", "hit5", "hit10", "all_in_top5", "refused", "correct_refusal", "missing_answer",
              "lead_ok", "wrong_number"}

_FLOAT_COLS = {"mrr", "ndcg", "keyword_coverage", "list_completeness", "f1", "citation_precision", "citation_recall",
               "support_rate", "latency_ms", "retrieve_ms", "answer_ms", "keyword_coverage_bm25", "keyword_coverage_dense"}


def safe_stem(text: str, limit: int, default: str) -> str:
    """`text` as a file-name stem: word characters, dots and dashes only, at most `limit` long."""
    return _UNSAFE.sub("_", text).strip("._")[:limit] or default


def new_run_dir(root: Path, questions_path: str | Path) -> Path:
    """`root`/<set name>-<YYYYmmdd-HHMMSS>, not yet existing (the set name made file-system safe)."""
    stem = safe_stem(Path(questions_path).stem, 60, "questions")
    base = Path(root) / f"{stem}-{datetime.now():%Y%m%d-%H%M%S}"
    out, n = base, 1
    while out.exists():
        n += 1
        out = base.with_name(f"{base.name}-{n}")
    return out


def _cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool):
        return int(v)  # 1/0: Excel can average them
    if isinstance(v, float):
        return round(v, 4)
    return v


def _rows_with_baselines(results: Mapping[str, EvalResult]) -> tuple[list[str], list[dict[str, Any]]]:
    columns = list(ROW_COLUMNS)
    rows = [dict(r) for r in results[FULL].rows]
    for m in BASELINES:
        if m not in results:
            continue
        keys = ["hit_rank"] if m == LANGCHAIN else ["hit_rank", "keyword_coverage"]
        columns += [f"{k}_{m}" for k in keys]
        for row, base in zip(rows, results[m].rows):
            row.update({f"{k}_{m}": base[k] for k in keys})
    return columns, rows


def write_report(out_dir: str | Path, summary: Mapping[str, Any], results: Mapping[str, EvalResult],
                 answers: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, Path]:
    """Write metrics.json, questions.csv, answers*.jsonl, failures.json and report.html into `out_dir`."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    full = results[FULL]
    files = {"metrics": out / "metrics.json", "questions": out / "questions.csv", "answers": out / "answers.jsonl",
             "failures": out / "failures.json", "report": out / "report.html"}
    files["metrics"].write_text(json.dumps(summary, ensure_ascii=False, indent=1, default=str), "utf-8")
    columns, rows = _rows_with_baselines(results)
    write_csv(files["questions"], columns, [[_cell(row.get(c)) for c in columns] for row in rows])
    for mode, items in answers.items():
        path = files["answers"] if mode == FULL else out / f"answers_{mode}.jsonl"
        files.setdefault(f"answers_{mode}", path)
        with path.open("w", encoding="utf-8") as fh:
            for a in items:
                fh.write(json.dumps(a, ensure_ascii=False) + "\n")
    files["failures"].write_text(json.dumps(full.failures, ensure_ascii=False, indent=1), "utf-8")
    files["report"].write_text(render_report(summary, full.rows, full.failures), "utf-8")
    return files


def _parse_cell(col: str, text: str) -> Any:
    if text == "":
        return None
    try:
        if col in _INT_COLS:
            return int(float(text))
        if col in _FLOAT_COLS:
            return float(text)
    except ValueError:
        return text
    if col in _BOOL_COLS:
        return text.strip().lower() in ("1", "true", "是")
    return text


def load_run(run_dir: str | Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(metrics.json, per-question rows from questions.csv) of a run folder (or of its metrics.json)."""
    run = Path(run_dir)
    if run.is_file():
        run = run.parent
    mpath, qpath = run / "metrics.json", run / "questions.csv"
    if not mpath.is_file() or not qpath.is_file():
        raise RunError(f"{run} 不是评估结果目录（缺少 metrics.json 或 questions.csv）")
    summary = json.loads(mpath.read_text("utf-8"))
    with qpath.open(encoding="utf-8-sig", newline="") as fh:
        rows = [{k: _parse_cell(k, v) for k, v in r.items()} for r in csv.DictReader(fh)]
    return summary, rows


def compare_runs(a: str | Path, b: str | Path, write: bool = True) -> dict[str, Any]:
    """Run B against run A (metric diffs b − a, per-question wins/losses for B); writes B/compare.json."""
    sa, ra = load_run(a)
    sb, rb = load_run(b)
    result = {"a": str(a), "b": str(b), "a_name": sa.get("name"), "b_name": sb.get("name"),
              **compare(sa.get("metrics", {}), sb.get("metrics", {}), ra, rb)}
    if sa.get("questions_file") != sb.get("questions_file"):
        log.warning("comparing runs over different question files: %s vs %s", sa.get("questions_file"),
                    sb.get("questions_file"))
    if write:
        target = Path(b)
        target = target.parent if target.is_file() else target
        (target / "compare.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
    return result
