"""Embedding speed: passages/s (batch of ~200-character Chinese passages), single-query latency, peak memory.

Each dtype runs in its own process so that its peak memory (ru_maxrss) is its own.
Targets: single query <= 30 ms and >= 40 passages/s with the faster dtype.

    python bench/embed.py [--dtypes float32 bfloat16] [--passages 200] [--queries 50] [--batch-size 16]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policyqa.config import Config  # noqa: E402
from policyqa.embedding.convert import prepare_model  # noqa: E402
from policyqa.embedding.embedder import load_embedder  # noqa: E402
from policyqa.embedding.measure import sample_passages  # noqa: E402
from policyqa.embedding.modeldir import DTYPES  # noqa: E402

TARGET_QUERY_MS = 30.0
TARGET_PASSAGES_PER_S = 40.0


def bench_passages(n: int, chars: int = 200) -> list[str]:
    """Consecutive `chars`-character windows of the seed documents (synthetic ones if there are too few)."""
    files = sorted((ROOT / "seeds").glob("*.txt"))
    text = "".join("".join(p.read_text(encoding="utf-8").split()) for p in files)  # drop layout whitespace
    out = [text[i:i + chars] for i in range(0, len(text) - chars + 1, chars)][:n]
    return out + sample_passages(n - len(out), chars)


def bench_queries(n: int) -> list[str]:
    """Questions from the dev set (synthetic ones if there are too few)."""
    questions = []
    dev = ROOT / "eval" / "dev_questions.jsonl"
    if dev.is_file():
        for line in dev.read_text(encoding="utf-8").splitlines():
            if line.strip():
                questions.append(json.loads(line)["question"])
    questions = questions[:n]
    return questions + [f"第{i}条规定的申请条件是什么？" for i in range(n - len(questions))]


def worker(dtype: str, n_passages: int, n_queries: int, batch_size: int) -> dict:
    config = Config.load(dtype=dtype, batch_size=batch_size)
    t0 = time.perf_counter()
    embedder = load_embedder(config)
    load_s = time.perf_counter() - t0
    passages, queries = bench_passages(n_passages), bench_queries(n_queries)

    embedder.encode_passages(passages[:batch_size])  # warm-up: first calls allocate and pick kernels
    for q in queries[:5]:
        embedder.encode_queries([q])

    t0 = time.perf_counter()
    embedder.encode_passages(passages)
    passages_s = len(passages) / (time.perf_counter() - t0)

    latencies = []
    for q in queries:
        t0 = time.perf_counter()
        embedder.encode_queries([q])
        latencies.append((time.perf_counter() - t0) * 1000)
    latencies.sort()
    return {
        "dtype": dtype,
        "load_s": load_s,
        "passages": len(passages),
        "passages_per_s": passages_s,
        "query_ms_median": statistics.median(latencies),
        "query_ms_p90": latencies[int(0.9 * (len(latencies) - 1))],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # KiB on Linux
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dtypes", nargs="+", default=list(DTYPES), choices=DTYPES)
    parser.add_argument("--passages", type=int, default=200)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--batch-size", type=int, default=Config.load().batch_size)
    parser.add_argument("--worker", choices=DTYPES, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        print(json.dumps(worker(args.worker, args.passages, args.queries, args.batch_size)))
        return 0

    prepare_model(Config.load())
    print(f"{args.passages} passages of ~200 characters, batch size {args.batch_size}; "
          f"{args.queries} single queries (model warm)")
    print(f"{'dtype':<10}{'load s':>8}{'passages/s':>12}{'query ms (median)':>19}{'query ms (p90)':>16}"
          f"{'peak RSS MB':>13}")
    results = []
    for dtype in args.dtypes:
        run = subprocess.run([sys.executable, __file__, "--worker", dtype, "--passages", str(args.passages),
                              "--queries", str(args.queries), "--batch-size", str(args.batch_size)],
                             capture_output=True, text=True)
        if run.returncode != 0:
            print(f"{dtype}: failed\n{run.stderr[-3000:]}")
            return 1
        r = json.loads(run.stdout.strip().splitlines()[-1])
        results.append(r)
        print(f"{dtype:<10}{r['load_s']:>8.1f}{r['passages_per_s']:>12.1f}{r['query_ms_median']:>19.1f}"
              f"{r['query_ms_p90']:>16.1f}{r['peak_rss_mb']:>13.0f}")

    best = max(results, key=lambda r: r["passages_per_s"])
    ok = best["query_ms_median"] <= TARGET_QUERY_MS and best["passages_per_s"] >= TARGET_PASSAGES_PER_S
    print(f"faster dtype: {best['dtype']}; targets (query <= {TARGET_QUERY_MS:.0f} ms, "
          f">= {TARGET_PASSAGES_PER_S:.0f} passages/s): {'met' if ok else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
