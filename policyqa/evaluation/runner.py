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

Writing, reading back and comparing run folders is ``policyqa.evaluation.runs``.
"""

from __future__ import annotations

import dataclasses
import logging
import shutil
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from tqdm.auto import tqdm

from policyqa.assistant import Assistant
from policyqa.config import ROOT, Config
from policyqa.embedding.embedder import load_embedder
from policyqa.errors import InvalidQuestion
from policyqa.evaluation.metrics import evaluate, same_doc
from policyqa.evaluation.questions import Evidence, Question, load_questions
from policyqa.evaluation.recipe import LangChainRecipe
from policyqa.evaluation.runs import BASELINES, FULL, LANGCHAIN, RETRIEVAL_METRICS, new_run_dir, safe_stem, write_report
from policyqa.ingest.pipeline import ingest

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (questions done, total)

DEFAULT_QUESTIONS = ROOT / "eval" / "dev_questions.jsonl"


# Settings recorded with each run (the ones that change the figures).
RUN_SETTINGS = ("top_k", "candidates", "fusion", "dense_weight", "bm25_weight", "lay_dense_weight", "lay_coverage",
                "sentence_weight", "rrf_k", "chunk_size", "chunk_overlap", "chunk_unit",
                "answer_mode", "refusal_threshold")


# ---------------------------------------------------------------- SQuAD passages




def write_passages(passages: Sequence[tuple[str, str]], folder: Path) -> dict[str, str]:
    """Write each passage as ``<id>.txt`` in `folder`; returns passage id → file name.

    Ids are made file-system safe (and unique); stale ``.txt`` files from an earlier set are deleted so an
    incremental ingest of the folder drops them."""
    folder.mkdir(parents=True, exist_ok=True)
    names: dict[str, str] = {}
    used: set[str] = set()
    for pid, text in passages:
        stem = safe_stem(pid, 120, "passage")
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


def _ask(assistant, q: Question, mode: str, recipe: LangChainRecipe | None = None) -> dict[str, Any]:
    if mode == LANGCHAIN:  # retrieval only: the recipe has no answerer of its own
        t = time.perf_counter()
        contexts = recipe.contexts(q.question)
        return {"id": q.id, "question": q.question, "answer": "", "refused": False, "citations": [],
                "contexts": contexts, "timings_ms": {"retrieve": (time.perf_counter() - t) * 1000}}
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
    t_start = time.perf_counter()
    qset = load_questions(questions_path)
    questions = _subset(qset.questions, limit)
    out = Path(out_dir) if out_dir else new_run_dir(cfg.runs_dir, questions_path)
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
        recipe = None
        if baselines:
            t = time.perf_counter()
            recipe = LangChainRecipe(assistant.index, assistant.embedder, show_progress)
            seconds["langchain_index"] = time.perf_counter() - t
        answers: dict[str, list[dict[str, Any]]] = {m: [] for m in modes}
        mode_s = dict.fromkeys(modes, 0.0)
        for m in modes:  # warm-up (lazy jieba/model initialisation) so latencies show the steady state
            _ask(assistant, questions[0], m, recipe)
        total = len(questions)
        if progress:
            progress(0, total)
        for i, q in enumerate(tqdm(questions, desc="questions", unit="q", disable=not show_progress), 1):
            for m in modes:
                t = time.perf_counter()
                answers[m].append(_ask(assistant, q, m, recipe))
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
        summary["baselines"] = {m: _baseline_metrics(m, results[m].metrics) for m in BASELINES}
        summary["baselines_by_type"] = {m: {t: _baseline_metrics(m, v) for t, v in results[m].by_type.items()}
                                        for m in BASELINES}
    write_report(out, summary, results, answers)
    log.info("evaluation of %d questions written to %s (%.1f s)", len(questions), out, seconds["total"])
    return summary


def _baseline_metrics(mode: str, metrics: dict[str, Any]) -> dict[str, Any]:
    """The recipe retrieves only: its answer metrics would be zeros that mean nothing."""
    if mode != LANGCHAIN:
        return metrics
    return {k: (v if k.startswith(RETRIEVAL_METRICS) else None) for k, v in metrics.items()}


def _load_embedder(cfg: Config, seconds: dict[str, float]):
    t = time.perf_counter()
    embedder = load_embedder(cfg)
    seconds["load"] = time.perf_counter() - t
    return embedder


def _ingest_passages(folder: Path, cfg: Config, embedder, n_passages: int, seconds: dict[str, float],
                     show_progress: bool) -> dict[str, Any]:
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
