"""Evaluation runs: a question set in, metrics, per-question rows, raw answers and an HTML report out.

``run_eval`` loads the model and the index once, asks every question (and, with ``baselines``, asks it again
with BM25-only and dense-only retrieval on the same index), scores the answers with ``policyqa.metrics`` and
writes the run folder:

* ``metrics.json``   — run info, overall metrics, ``by_type``, ``by_doc``, and ``baselines`` {bm25, dense}
* ``questions.csv``  — one row per question (``metrics.ROW_COLUMNS``), UTF-8 with BOM so Excel opens it
* ``answers.jsonl``  — the raw answer objects (the JSON answer contract); ``answers_bm25/_dense.jsonl`` too
* ``failures.json``  — questions that missed retrieval, keywords or the refusal decision
* ``report.html``    — one self-contained page (inline SVG charts, no network)

A SQuAD-style set brings its own passages: they are written as ``<passage id>.txt`` files, ingested into a
separate index (temporary unless ``squad_index_dir`` is given) and the questions are asked against that.

``compare_runs(a, b)`` compares two run folders per metric and per question and writes ``compare.json`` in B.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import logging
import re
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from policyqa.config import ROOT, Config
from policyqa.evaluation.metrics import ROW_COLUMNS, EvalResult, compare, evaluate, same_doc
from policyqa.evaluation.questions import Evidence, Question, QuestionSetError, load_questions
from policyqa.evaluation.report import fmt, lower_is_better

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (questions done, total)

FULL = "hybrid"
BASELINES = ("bm25", "dense")
DEFAULT_QUESTIONS = ROOT / "eval" / "dev_questions.jsonl"

# The metrics shown in the printed summary and at the top of the report, in that order.
HEADLINE = [
    "hit@1", "hit@5", "hit@10", "mrr@10", "ndcg@10", "all_evidence@5",
    "keyword_coverage", "keyword_full", "f1", "citation_precision", "citation_recall", "support_rate",
    "refusal_rate", "false_refusal_rate", "refusal_accuracy",
    "latency_total_p50_ms", "latency_total_p95_ms", "latency_retrieve_p50_ms", "latency_answer_p50_ms",
]

# Settings recorded with each run (the ones that change the figures).
RUN_SETTINGS = ("top_k", "candidates", "fusion", "dense_weight", "bm25_weight", "rrf_k", "chunk_size", "chunk_overlap",
                "answer_mode", "refusal_threshold")

# questions.csv: how to read the columns back (for --compare); everything else stays text.
_INT_COLS = {"n_evidence", "hit_rank", "n_citations", "hit_rank_bm25", "hit_rank_dense"}
_BOOL_COLS = {"answerable", "hit1", "hit5", "hit10", "all_in_top5", "refused", "correct_refusal", "missing_answer"}
_FLOAT_COLS = {"mrr", "ndcg", "keyword_coverage", "f1", "citation_precision", "citation_recall", "support_rate",
               "latency_ms", "retrieve_ms", "answer_ms", "keyword_coverage_bm25", "keyword_coverage_dense"}


def default_out_dir(questions_path: str | Path, root: str | Path = "runs") -> Path:
    """runs/<set name>-<YYYYmmdd-HHMMSS>."""
    return Path(root) / f"{Path(questions_path).stem}-{datetime.now():%Y%m%d-%H%M%S}"


# ---------------------------------------------------------------- SQuAD passages


_UNSAFE = re.compile(r"[^\w.\-]+")


def write_passages(passages: Sequence[tuple[str, str]], folder: Path) -> dict[str, str]:
    """Write each passage as ``<id>.txt`` in `folder`; returns passage id → file name.

    Ids are made file-system safe (and unique); stale ``.txt`` files from an earlier set are deleted so an
    incremental ingest of the folder drops them."""
    folder.mkdir(parents=True, exist_ok=True)
    names: dict[str, str] = {}
    used: set[str] = set()
    for pid, text in passages:
        stem = _UNSAFE.sub("_", pid).strip("._")[:120] or "passage"
        name, n = f"{stem}.txt", 1
        while name.lower() in used:
            n += 1
            name = f"{stem}_{n}.txt"
        used.add(name.lower())
        names[pid] = name
        path = folder / name
        data = text.encode("utf-8")
        if not path.is_file() or path.read_bytes() != data:  # unchanged files keep their mtime
            path.write_bytes(data)
    for old in folder.glob("*.txt"):
        if old.name.lower() not in used:
            old.unlink()
    return names


def _rename_docs(questions: list[Question], names: Mapping[str, str]) -> list[Question]:
    """Point evidence at the passage files (only needed when an id had to be made file-safe)."""
    out = []
    for q in questions:
        ev = [Evidence(doc=names.get(e.doc, e.doc), quote=e.quote) for e in q.evidence]
        out.append(dataclasses.replace(q, evidence=ev) if ev != q.evidence else q)
    return out


def _subset(questions: list[Question], limit: int | None) -> list[Question]:
    """An evenly spread, deterministic subset of `limit` questions (the whole set when limit is None)."""
    if not limit or limit >= len(questions):
        return list(questions)
    step = len(questions) / limit
    return [questions[int(i * step)] for i in range(limit)]


# ---------------------------------------------------------------- asking


def _ask(assistant, q: Question, mode: str) -> dict[str, Any]:
    from policyqa.assistant import InvalidQuestion

    try:
        return assistant.ask(q.question, retrieval_mode=mode).to_json(q.id)
    except InvalidQuestion as exc:
        error = str(exc)
    except Exception as exc:  # one broken question must not sink a run of thousands
        log.exception("question %s failed (%s retrieval)", q.id, mode)
        error = f"{type(exc).__name__}: {exc}"
    return {"id": q.id, "question": q.question, "answer": "", "refused": True, "error": error,
            "citations": [], "contexts": [], "timings_ms": {}}


def run_eval(questions_path: str | Path, cfg: Config, out_dir: str | Path | None = None, baselines: bool = False,
             assistant=None, progress: Progress | None = None, *, limit: int | None = None, embedder=None,
             squad_index_dir: str | Path | None = None, show_progress: bool = True) -> dict[str, Any]:
    """Evaluate the question set at `questions_path`; write the run folder; return what metrics.json holds.

    `assistant` (optional) is reused for ordinary sets; for a SQuAD set only its embedder is reused, since
    the questions need their own passages' index. `progress(done, total)` is called after each question.
    `limit` evaluates an evenly spread subset. Raises QuestionSetError for an unreadable set and
    IndexUnavailable when there is no index."""
    from tqdm.auto import tqdm

    from policyqa.assistant import Assistant

    t_start = time.perf_counter()
    qset = load_questions(questions_path)
    questions = _subset(qset.questions, limit)
    out = Path(out_dir) if out_dir else default_out_dir(questions_path)
    seconds: dict[str, float] = {}
    index_info: dict[str, Any] = {}
    tmp: Path | None = None
    opened = None  # an Assistant this function opened (and closes)
    try:
        if qset.passages:
            if embedder is None:
                embedder = assistant.embedder if assistant is not None else _load_embedder(cfg, seconds)
            if squad_index_dir is None:
                tmp = Path(tempfile.mkdtemp(prefix="policyqa-squad-"))
            base = Path(squad_index_dir) if squad_index_dir else tmp
            names = write_passages(qset.passages, base / "passages")
            questions = _rename_docs(questions, names)
            scfg = cfg.replace(index_dir=base / "index")
            index_info.update(_ingest_passages(base / "passages", scfg, embedder, len(names), seconds,
                                               show_progress))
            index_info["dir"] = "(temporary)" if tmp else str(scfg.index_dir)
            t = time.perf_counter()
            assistant = opened = Assistant.open(scfg, embedder=embedder)
            seconds["load"] = seconds.get("load", 0.0) + time.perf_counter() - t
        else:
            if assistant is None:
                t = time.perf_counter()
                assistant = opened = Assistant.open(cfg, embedder=embedder)
                seconds["load"] = time.perf_counter() - t
            index_info["dir"] = str(assistant.cfg.index_dir)
        index_info.update(_index_facts(assistant, questions))
        used_cfg = assistant.cfg  # a passed-in assistant brings its own settings

        modes = [FULL, *BASELINES] if baselines else [FULL]
        answers: dict[str, list[dict[str, Any]]] = {m: [] for m in modes}
        mode_s = dict.fromkeys(modes, 0.0)
        for m in modes:  # warm-up (lazy jieba/model initialisation) so latencies show the steady state
            _ask(assistant, questions[0], m)
        total = len(questions)
        if progress:
            progress(0, total)
        for i, q in enumerate(tqdm(questions, desc="questions", unit="q", disable=not show_progress), 1):
            for m in modes:
                t = time.perf_counter()
                answers[m].append(_ask(assistant, q, m))
                mode_s[m] += time.perf_counter() - t
            if progress:
                progress(i, total)
        seconds.update({f"answer_{m}": s for m, s in mode_s.items()})
        results = {m: evaluate(questions, answers[m]) for m in modes}
    finally:
        if opened is not None:
            opened.index.close()
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    seconds["total"] = time.perf_counter() - t_start

    full = results[FULL]
    summary: dict[str, Any] = {
        "name": out.name,
        "out_dir": str(out),
        "questions_file": str(Path(questions_path)),
        "format": qset.format,
        "created": datetime.now().isoformat(timespec="seconds"),
        "n_questions": len(questions),
        "n_questions_in_set": len(qset),
        "errors": sum(1 for a in answers[FULL] if a.get("error")),
        "index": index_info,
        "config": {k: getattr(used_cfg, k) for k in RUN_SETTINGS if hasattr(used_cfg, k)},
        "seconds": {k: round(v, 3) for k, v in seconds.items()},
        "questions_per_s": round(len(questions) / mode_s[FULL], 3) if mode_s[FULL] > 0 else None,
        "metrics": full.metrics,
        "by_type": full.by_type,
        "by_doc": full.by_doc,
        "n_failures": len(full.failures),
    }
    if baselines:
        summary["baselines"] = {m: results[m].metrics for m in BASELINES}
        summary["baselines_by_type"] = {m: results[m].by_type for m in BASELINES}
    write_report(out, summary, results, answers)
    log.info("evaluation of %d questions written to %s (%.1f s)", len(questions), out, seconds["total"])
    return summary


def _load_embedder(cfg: Config, seconds: dict[str, float]):
    from policyqa.embedding.convert import load_embedder

    t = time.perf_counter()
    embedder = load_embedder(cfg)
    seconds["load"] = time.perf_counter() - t
    return embedder


def _ingest_passages(folder: Path, cfg: Config, embedder, n_passages: int, seconds: dict[str, float],
                     show_progress: bool) -> dict[str, Any]:
    from policyqa.ingest.pipeline import ingest

    t = time.perf_counter()
    report = ingest([folder], cfg, embedder=embedder, show_progress=show_progress)
    seconds["ingest"] = time.perf_counter() - t
    skipped = [{"doc": f.name, "reason": f.reason} for f in report.skipped]
    if skipped:
        # Their questions can still be asked, but retrieval can never find the gold passage.
        log.warning("%d of %d passages were not indexed, e.g. %s", len(skipped), n_passages, skipped[:3])
    return {"passages": n_passages, "embedded": report.embedded, "skipped": skipped,
            "ingest_stages_s": {k: round(v, 3) for k, v in report.seconds.items()}}


def _index_facts(assistant, questions: Sequence[Question]) -> dict[str, Any]:
    """Size of the index, and the evidence documents it does not hold (a likely mix-up of sets and indexes)."""
    names = list(assistant.index.titles())
    wanted = dict.fromkeys(d for q in questions for d in q.docs)
    exact = set(names)  # the exact check first: a benchmark has hundreds of documents
    missing = [d for d in wanted if d not in exact and not any(same_doc(d, n) for n in names)]
    if missing:
        log.warning("%d evidence documents are not in the index %s, e.g. %s", len(missing),
                    assistant.cfg.index_dir, missing[:5])
    return {"documents": len(names), "chunks": assistant.index.size, "missing_docs": missing,
            "model": assistant.index.manifest.get("model", {}).get("model")}


# ---------------------------------------------------------------- writing a run


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
        columns += [f"hit_rank_{m}", f"keyword_coverage_{m}"]
        for row, base in zip(rows, results[m].rows):
            row[f"hit_rank_{m}"] = base["hit_rank"]
            row[f"keyword_coverage_{m}"] = base["keyword_coverage"]
    return columns, rows


def write_report(out_dir: str | Path, summary: Mapping[str, Any], results: Mapping[str, EvalResult],
                 answers: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, Path]:
    """Write metrics.json, questions.csv, answers*.jsonl, failures.json and report.html into `out_dir`."""
    from policyqa.evaluation.report import render_report

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    full = results[FULL]
    files = {"metrics": out / "metrics.json", "questions": out / "questions.csv", "answers": out / "answers.jsonl",
             "failures": out / "failures.json", "report": out / "report.html"}
    files["metrics"].write_text(json.dumps(summary, ensure_ascii=False, indent=1, default=str), "utf-8")
    columns, rows = _rows_with_baselines(results)
    with files["questions"].open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(columns)
        for row in rows:
            w.writerow([_cell(row.get(c)) for c in columns])
    for mode, items in answers.items():
        path = files["answers"] if mode == FULL else out / f"answers_{mode}.jsonl"
        files.setdefault(f"answers_{mode}", path)
        with path.open("w", encoding="utf-8") as fh:
            for a in items:
                fh.write(json.dumps(a, ensure_ascii=False) + "\n")
    files["failures"].write_text(json.dumps(full.failures, ensure_ascii=False, indent=1), "utf-8")
    files["report"].write_text(render_report(summary, full.rows, full.failures), "utf-8")
    return files


# ---------------------------------------------------------------- reading runs back, comparing


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
        raise FileNotFoundError(f"{run} 不是评估结果目录（缺少 metrics.json 或 questions.csv）")
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


# ---------------------------------------------------------------- text tables (CLI)


def _fmt_diff(metric: str, d: Any) -> str:
    if d is None:
        return ""
    if abs(d) < 1e-12:
        return "0"
    s = (f"{d:+.0f}" if abs(d) >= 10 else f"{d:+.1f}") if metric.endswith("_ms") else f"{d:+.3f}"
    good = (d < 0) if lower_is_better(metric) else (d > 0)
    return s + (" ↑" if good else " ↓")


def format_summary(summary: Mapping[str, Any]) -> str:
    """The headline metrics as a text table, baselines beside (printed at the end of a run)."""
    m = summary["metrics"]
    base = summary.get("baselines") or {}
    cols = ["full", *base]
    lines = [f"{'metric':<24}" + "".join(f"{c:>10}" for c in cols), "-" * (24 + 10 * len(cols))]
    for key in HEADLINE:
        vals = [m.get(key)] + [base[c].get(key) for c in base]
        if all(v is None for v in vals):
            continue
        lines.append(f"{key:<24}" + "".join(f"{fmt(key, v):>10}" for v in vals))
    s = summary.get("seconds", {})
    lines.append("-" * (24 + 10 * len(cols)))
    lines.append(f"{summary['n_questions']} 题（可答 {m['n_answerable']}，不可答 {m['n_unanswerable']}），"
                 f"失败 {summary.get('n_failures', 0)} 题，出错 {summary.get('errors', 0)} 题；"
                 f"索引 {summary['index'].get('documents')} 篇 / {summary['index'].get('chunks')} 块；"
                 f"用时 {s.get('total', 0):.1f} 秒" + (f"（导入 {s['ingest']:.1f} 秒）" if "ingest" in s else "")
                 + (f"，{summary['questions_per_s']:.2f} 题/秒" if summary.get("questions_per_s") else ""))
    missing = summary["index"].get("missing_docs") or []
    if missing:
        lines.append(f"注意：{len(missing)} 个证据文档不在索引中（如 {', '.join(missing[:3])}），相关题目无法命中。")
    return "\n".join(lines)


def format_compare(result: Mapping[str, Any], max_questions: int = 20) -> str:
    """Per-metric differences and per-question wins/losses of run B over run A, as text."""
    lines = [f"A = {result['a']}", f"B = {result['b']}", "",
             f"{'metric':<26}{'A':>10}{'B':>10}{'B − A':>12}", "-" * 58]
    for key, v in result["metrics"].items():
        if key.startswith("n_") and v["diff"] in (0, None):
            continue
        if v["a"] is None and v["b"] is None:
            continue
        lines.append(f"{key:<26}{fmt(key, v['a']):>10}{fmt(key, v['b']):>10}"
                     f"{_fmt_diff(key, v['diff']):>12}")
    q = result["questions"]
    lines += ["", f"逐题（B 相对 A）：胜 {len(q['wins'])}，负 {len(q['losses'])}，互有胜负 {len(q['mixed'])}，"
                  f"持平 {q['ties']}" + (f"；仅 A 有 {len(q['only_in_a'])} 题" if q["only_in_a"] else "")
              + (f"；仅 B 有 {len(q['only_in_b'])} 题" if q["only_in_b"] else "")]
    asp = result.get("aspects", {})
    if asp:
        lines.append("分项：" + "，".join(f"{k} +{v['wins']}/−{v['losses']}" for k, v in asp.items()))
    changes = result.get("changes") or []
    if changes:
        lines += ["", f"{'':<3}{'id':<14}{'rank A→B':>12}{'kw A→B':>14}{'refusal':>9}  question", "-" * 86]
        mark = {"win": "+", "loss": "−", "mixed": "±"}
        order = {"loss": 0, "mixed": 1, "win": 2}  # losses first: they are what needs looking at
        for c in sorted(changes, key=lambda c: order[c["verdict"]])[:max_questions]:
            ranks = f"{_r(c['hit_rank_a'])}→{_r(c['hit_rank_b'])}"
            kws = f"{fmt('kw', c['keyword_coverage_a'])}→{fmt('kw', c['keyword_coverage_b'])}"
            ref = f"{_ok(c['correct_refusal_a'])}→{_ok(c['correct_refusal_b'])}"
            lines.append(f"{mark[c['verdict']]:<3}{str(c['id'])[:13]:<14}{ranks:>12}{kws:>14}{ref:>9}  "
                         f"{(c.get('question') or '')[:30]}")
        if len(changes) > max_questions:
            lines.append(f"… 另有 {len(changes) - max_questions} 题有变化，见 compare.json")
    return "\n".join(lines)


def _ok(v: Any) -> str:
    return "✓" if v else "✗"


def _r(rank: Any) -> str:
    return "—" if rank is None else str(rank)


# ---------------------------------------------------------------- CLI


def eval_main(cfg: Config, args) -> int:
    """`python -m policyqa eval [QUESTIONS] [--out DIR] [--baselines] | --compare RUN_A RUN_B`."""
    if getattr(args, "compare", None):
        try:
            result = compare_runs(*args.compare)
        except (FileNotFoundError, json.JSONDecodeError) as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 2
        print(format_compare(result))
        print(f"\n已写入 {Path(args.compare[1]) / 'compare.json'}")
        return 0
    path = args.questions or DEFAULT_QUESTIONS
    try:
        summary = run_eval(path, cfg, args.out, baselines=bool(args.baselines))
    except QuestionSetError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print()
    print(format_summary(summary))
    print(f"\n结果目录：{summary['out_dir']}（report.html 可离线打开）")
    return 0


__all__ = ["run_eval", "write_report", "write_passages", "compare_runs", "load_run", "format_summary",
           "format_compare", "eval_main", "default_out_dir", "HEADLINE"]
