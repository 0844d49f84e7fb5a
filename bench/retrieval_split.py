"""Retrieval figures of a question set split in two halves (even / odd question numbers): one to tune on, one
held out. Loads the index once; full, BM25-only and dense-only retrieval of the same run.

    POLICYQA_INDEX_DIR=/tmp/stard_idx .venv/bin/python bench/retrieval_split.py QUESTIONS.jsonl [--modes ...]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policyqa.answer.passages import contexts_json  # noqa: E402
from policyqa.config import Config  # noqa: E402
from policyqa.embedding.embedder import load_embedder  # noqa: E402
from policyqa.evaluation.metrics import retrieval_scores  # noqa: E402
from policyqa.evaluation.questions import load_questions  # noqa: E402
from policyqa.retrieve.retriever import Retriever  # noqa: E402
from policyqa.store.index import Index  # noqa: E402


def half(qid: str) -> str:
    m = re.search(r"(\d+)\D*$", qid)
    return "even" if m and int(m.group(1)) % 2 == 0 else "odd"


def run(retriever: Retriever, questions, mode: str, k: int = 10) -> dict:
    rows = {"even": [], "odd": []}
    ms = []
    for q in questions:
        if not q.answerable or not q.evidence:
            continue
        t = time.perf_counter()
        hits = retriever.search(q.question, k=k, mode=mode).hits
        ms.append((time.perf_counter() - t) * 1000)
        s = retrieval_scores(contexts_json(hits), q)
        rows[half(q.id)].append((q.id, s["hit_rank"]))
    out = {}
    for h, rs in (*rows.items(), ("all", rows["even"] + rows["odd"])):
        n = len(rs) or 1
        out[h] = {"n": len(rs), "hit@1": sum(1 for _, r in rs if r and r <= 1) / n,
                  "hit@5": sum(1 for _, r in rs if r and r <= 5) / n,
                  "hit@10": sum(1 for _, r in rs if r and r <= 10) / n}
    ms.sort()
    out["p50_ms"] = ms[len(ms) // 2] if ms else 0
    out["ranks"] = {qid: r for rs in rows.values() for qid, r in rs}
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("questions", type=Path)
    ap.add_argument("--modes", nargs="*", default=["hybrid", "bm25", "dense"])
    ap.add_argument("--ranks", type=Path, help="write per-question ranks (JSON) here")
    args = ap.parse_args(argv)
    cfg = Config.load()
    index = Index.load(cfg.index_dir)
    retriever = Retriever(index, load_embedder(cfg), cfg)
    qs = load_questions(args.questions).questions
    all_ranks = {}
    for mode in args.modes:
        r = run(retriever, qs, mode)
        all_ranks[mode] = r.pop("ranks")
        print(f"{mode:<8} " + "  ".join(f"{h}: H@1 {v['hit@1']:.3f} H@5 {v['hit@5']:.3f} H@10 {v['hit@10']:.3f} "
                                         f"(n={v['n']})" for h, v in r.items() if isinstance(v, dict))
              + f"  p50 {r['p50_ms']:.1f} ms")
    if args.ranks:
        args.ranks.write_text(json.dumps(all_ranks, ensure_ascii=False, indent=0), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
