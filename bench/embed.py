"""Embedding speed and fidelity per backend: passages/s, single-query p50/p95, peak memory, and the min / mean
cosine of each runtime's vectors to torch float32's, all in one run on the same machine.

Each runtime runs in its own process, one after the other, so that its peak memory (ru_maxrss) is its own.
Targets on 2 cores (issue 15): passages/s >= 2x torch float32, query p50 <= 1/3 of torch float32's.

    python bench/embed.py [--runtimes torch/float32 onnx/float32 onnx/int8 torch/bfloat16]
                          [--passages 200] [--queries 50] [--threads N]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policyqa.config import Config  # noqa: E402
from policyqa.embedding.convert import prepare_model  # noqa: E402
from policyqa.embedding.embedder import load_embedder  # noqa: E402
from policyqa.embedding.measure import sample_passages  # noqa: E402
from policyqa.embedding.modeldir import RUNTIMES  # noqa: E402

REFERENCE = "torch/float32"
DEFAULT_RUNTIMES = ["torch/float32", "onnx/float32", "onnx/int8"]


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


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def worker(runtime: str, n_passages: int, n_queries: int, threads: int, out: Path) -> dict:
    backend, dtype = runtime.split("/")
    config = Config.load(backend=backend, dtype=dtype, threads=threads)
    t0 = time.perf_counter()
    embedder = load_embedder(config)
    load_s = time.perf_counter() - t0
    passages, queries = bench_passages(n_passages), bench_queries(n_queries)

    embedder.encode_passages(passages[:config.batch_size])  # warm-up: first calls allocate and pick kernels
    for q in queries[:5]:
        embedder.encode_queries([q])

    t0 = time.perf_counter()
    passage_vectors = embedder.encode_passages(passages)
    passages_s = len(passages) / (time.perf_counter() - t0)

    latencies, query_vectors = [], []
    for q in queries:
        t0 = time.perf_counter()
        query_vectors.append(embedder.encode_queries([q])[0])
        latencies.append((time.perf_counter() - t0) * 1000)
    np.save(out / f"{runtime.replace('/', '-')}.npy", np.vstack([passage_vectors, np.array(query_vectors)]))
    return {
        "runtime": runtime,
        "load_s": load_s,
        "passages_per_s": passages_s,
        "query_p50": pct(latencies, 50),
        "query_p95": pct(latencies, 95),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # KiB on Linux
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runtimes", nargs="+", default=DEFAULT_RUNTIMES, choices=RUNTIMES)
    parser.add_argument("--passages", type=int, default=200)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--threads", type=int, default=0, help="intra-op threads (0 = one per core)")
    parser.add_argument("--worker", choices=RUNTIMES, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        print(json.dumps(worker(args.worker, args.passages, args.queries, args.threads, args.out)))
        return 0

    prepare_model(Config.load())
    runtimes = [REFERENCE] + [r for r in args.runtimes if r != REFERENCE]
    print(f"{args.passages} passages of ~200 characters; {args.queries} single queries (model warm); "
          f"threads {args.threads or 'one per core'}; cosine against {REFERENCE} over passages and queries")
    print(f"{'runtime':<16}{'load s':>7}{'passages/s':>12}{'x torch':>8}{'query p50':>11}{'p95 ms':>8}"
          f"{'x torch':>8}{'min cos':>9}{'mean cos':>10}{'RSS MB':>8}")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for runtime in runtimes:
            run = subprocess.run([sys.executable, __file__, "--worker", runtime, "--passages", str(args.passages),
                                  "--queries", str(args.queries), "--threads", str(args.threads),
                                  "--out", tmp], capture_output=True, text=True)
            if run.returncode != 0:
                print(f"{runtime}: failed\n{run.stderr[-3000:]}")
                return 1
            r = json.loads(run.stdout.strip().splitlines()[-1])
            vectors = np.load(Path(tmp) / f"{runtime.replace('/', '-')}.npy")
            reference = np.load(Path(tmp) / f"{REFERENCE.replace('/', '-')}.npy")
            cosines = np.sum(vectors * reference, axis=1)
            ref = results.get(REFERENCE, r)
            results[runtime] = r
            print(f"{runtime:<16}{r['load_s']:>7.1f}{r['passages_per_s']:>12.1f}"
                  f"{r['passages_per_s'] / ref['passages_per_s']:>8.2f}{r['query_p50']:>11.1f}{r['query_p95']:>8.1f}"
                  f"{r['query_p50'] / ref['query_p50']:>8.2f}{cosines.min():>9.4f}{cosines.mean():>10.4f}"
                  f"{r['peak_rss_mb']:>8.0f}", flush=True)
    chosen = load_embedder_choice()
    print(f"auto on this machine (measured at set-up): {chosen}; targets: passages/s >= 2x torch float32, "
          "query p50 <= 1/3 of torch float32's")
    return 0


def load_embedder_choice() -> str:
    from policyqa.embedding.modeldir import read_marker, resolve_runtime

    cfg = Config.load()
    return "/".join(resolve_runtime(cfg.backend, cfg.dtype, read_marker(Path(cfg.model_dir))))


if __name__ == "__main__":
    sys.exit(main())
