"""CMRC 2018 dev set as an external retrieval + extractive-answer benchmark.

Corpus = the set's 848 Wikipedia paragraphs (each one document, ingested into a temporary index); questions =
its 3,219 questions. Reports passage Hit@1/Hit@5 (the gold passage is the question's own paragraph) for the
full pipeline and for BM25-only / dense-only retrieval, whether the extractive answer contains a gold answer
span (keyword coverage, any of the gold answers), character F1, and the time taken.

    .venv/bin/python bench/cmrc.py [--data PATH] [--limit N] [--out DIR] [--index DIR] [--no-baselines]

`--limit N` asks an evenly spread subset of N questions (the corpus stays all 848 paragraphs). `--index DIR`
keeps the passage index there, so a second run skips the embedding. This is the same code path as
`python -m policyqa eval cmrc2018_dev.json` (run_eval's SQuAD reader + temporary index).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from policyqa.config import Config  # noqa: E402
from policyqa.evaluation.runner import run_eval  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "cmrc2018_dev.json"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"SQuAD-style JSON (default: {DEFAULT_DATA})")
    ap.add_argument("--limit", type=int, help="evaluate an evenly spread subset of N questions")
    ap.add_argument("--out", type=Path, help="run folder (default: runs/cmrc2018-<N>-<timestamp>)")
    ap.add_argument("--index", type=Path, help="keep the passage index in this folder (reused next time)")
    ap.add_argument("--no-baselines", action="store_true", help="skip the BM25-only and dense-only runs")
    ap.add_argument("--config", type=Path)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets DEBUG on its own logger
    if not args.data.is_file():
        print(f"错误：找不到 CMRC 2018 数据文件 {args.data}（用 --data 指定）", file=sys.stderr)
        return 2
    cfg = Config.load(args.config)
    out = args.out or ROOT / "runs" / f"cmrc2018-{args.limit or 'all'}-{time.strftime('%Y%m%d-%H%M%S')}"
    s = run_eval(args.data, cfg, out, baselines=not args.no_baselines, limit=args.limit,
                 squad_index_dir=args.index)

    m = s["metrics"]
    base = s.get("baselines") or {}
    sec = s["seconds"]
    print(f"\nCMRC 2018 dev：{s['index'].get('passages')} 段落（{s['index']['chunks']} 个分块，"
          f"未导入 {len(s['index'].get('skipped') or [])}），{s['n_questions']} / {s['n_questions_in_set']} 题")
    cols = ["full", *base]
    print(f"{'':<28}" + "".join(f"{c:>10}" for c in cols))
    for key, label in (("hit@1", "passage Hit@1"), ("hit@5", "passage Hit@5"), ("hit@10", "passage Hit@10"),
                       ("mrr@10", "MRR@10")):
        vals = [m.get(key)] + [base[c].get(key) for c in base]
        print(f"{label:<28}" + "".join(f"{_f(v):>10}" for v in vals))
    for key, label in (("keyword_coverage", "answer contains gold span"), ("f1", "answer char F1"),
                       ("false_refusal_rate", "refused (answerable)")):
        vals = [m.get(key)] + [base[c].get(key) for c in base]
        print(f"{label:<28}" + "".join(f"{_f(v):>10}" for v in vals))
    print(f"time: ingest {sec.get('ingest', 0):.1f} s (embedded {s['index'].get('embedded')} chunks), "
          f"model+index load {sec.get('load', 0):.1f} s, questions {sec['answer_hybrid']:.1f} s "
          f"= {s['questions_per_s']:.2f} q/s (full pipeline; p50 {m['latency_total_p50_ms']:.0f} ms, "
          f"p95 {m['latency_total_p95_ms']:.0f} ms), total {sec['total']:.1f} s")
    print(f"report: {Path(s['out_dir']) / 'report.html'}")
    (Path(s["out_dir"]) / "bench.json").write_text(json.dumps({
        "benchmark": "cmrc2018_dev", "n_questions": s["n_questions"], "passages": s["index"].get("passages"),
        "chunks": s["index"]["chunks"], "full": {k: m.get(k) for k in ("hit@1", "hit@5", "keyword_coverage", "f1")},
        "baselines": {c: {k: base[c].get(k) for k in ("hit@1", "hit@5", "keyword_coverage", "f1")} for c in base},
        "seconds": sec, "questions_per_s": s["questions_per_s"],
    }, ensure_ascii=False, indent=1), "utf-8")
    return 0


def _f(v) -> str:
    return "—" if v is None else f"{v:.3f}"


if __name__ == "__main__":
    raise SystemExit(main())
