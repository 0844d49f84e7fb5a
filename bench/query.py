"""Query latency: p50/p95 per stage over >= 100 questions with the model warm (extractive answers).
Targets on 2 cores: total p50 <= 60 ms, p95 <= 150 ms; query embedding is the floor.

    python bench/query.py [--index DIR] [--questions FILE ...] [--repeat N]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policyqa.config import Config  # noqa: E402
from policyqa.assistant import Assistant  # noqa: E402
from policyqa.evaluation.questions import load_questions  # noqa: E402


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path)
    ap.add_argument("--questions", type=Path, nargs="*",
                    default=[ROOT / "eval" / "questions.jsonl", ROOT / "eval" / "dev_questions.jsonl"])
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    cfg = Config.load()
    if args.index:
        cfg = cfg.replace(index_dir=args.index)
    assistant = Assistant.open(cfg)
    questions = [q.question for path in args.questions for q in load_questions(path)] * args.repeat
    for q in questions[:5]:  # warm up
        assistant.ask(q)
    stages: dict[str, list[float]] = {}
    for q in questions:
        for key, ms in assistant.ask(q).timings_ms.items():
            stages.setdefault(key, []).append(ms)
    print(f"{len(questions)} questions, dtype {assistant.embedder.dtype}")
    print(f"{'stage':<20} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}")
    for key in ("retrieve_embed", "retrieve_dense", "retrieve_bm25", "retrieve_fuse", "retrieve", "answer", "total"):
        if key in stages:
            v = stages[key]
            print(f"{key:<20} {pct(v, 50):8.1f} {pct(v, 95):8.1f} {statistics.fmean(v):8.1f}")
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; "
          "targets: total p50 <= 60 ms, p95 <= 150 ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
