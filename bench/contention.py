"""Question latency while an upload is being ingested: the app's back end (`policyqa.web.backend.Backend`)
answers questions from the seed index while its `ingest` embeds a synthetic corpus of >= 2,000 chunks in
parallel, as when a user asks during someone's upload. Target on 2 cores (issue 15): p95 <= 150 ms.

`--naive` runs the ingest as before issue 15 for comparison: the query embedder itself, in an ordinary thread.

    python bench/contention.py [--runtime auto|torch/float32|onnx/int8|...] [--paragraphs 2000] [--naive]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policyqa.config import Config  # noqa: E402
from policyqa.embedding.convert import prepare_model  # noqa: E402
from policyqa.embedding.embedder import ingest_threads, load_embedder  # noqa: E402
from policyqa.ingest.pipeline import ingest  # noqa: E402
from policyqa.web.backend import Backend  # noqa: E402


def _synthetic_corpus():
    spec = importlib.util.spec_from_file_location("bench_ingest", ROOT / "bench" / "ingest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.synthetic_corpus


def questions() -> list[str]:
    out = []
    for name in ("questions.jsonl", "dev_questions.jsonl"):
        for line in (ROOT / "eval" / name).read_text("utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line)["question"])
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def ask_all(backend: Backend, qs: list[str], until: threading.Event | None, pause: float) -> tuple[list, list]:
    """Ask the questions in turn (again from the start if the ingest is still running); total and
    query-embedding milliseconds per question."""
    total, embed = [], []
    i = 0
    while True:
        if until is None and i >= len(qs):
            break
        if until is not None and until.is_set():
            break
        t = time.perf_counter()
        answer = backend.ask(qs[i % len(qs)])
        total.append((time.perf_counter() - t) * 1000)
        embed.append(answer.timings_ms.get("retrieve_embed", 0.0))
        i += 1
        time.sleep(pause)  # a user reads the answer before asking again
    return total, embed


def line(name: str, total: list[float], embed: list[float]) -> str:
    return (f"{name:<28}{len(total):>5}{pct(total, 50):>10.1f}{pct(total, 95):>10.1f}{max(total):>10.1f}"
            f"{pct(embed, 50):>12.1f}{pct(embed, 95):>10.1f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runtime", default="auto", help="auto or backend/dtype, e.g. torch/float32")
    ap.add_argument("--paragraphs", type=int, default=2000, help="synthetic paragraphs (one chunk each)")
    ap.add_argument("--pause", type=float, default=0.1, help="seconds between questions")
    ap.add_argument("--naive", action="store_true", help="ingest with the query embedder in a plain thread")
    args = ap.parse_args()
    backend_name, _, dtype = args.runtime.partition("/")
    base = Config.load(backend=backend_name, dtype=dtype or "auto")
    prepare_model(base)
    qs = questions()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cfg = base.replace(index_dir=tmp / "index")
        embedder = load_embedder(cfg)
        ingest([cfg.seeds_dir], cfg, embedder=embedder, show_progress=False)
        backend = Backend(cfg, embedder=embedder).start(background=False)
        corpus = tmp / "upload"
        corpus.mkdir()
        _synthetic_corpus()(corpus, args.paragraphs)
        files = sorted(corpus.iterdir())

        for q in qs[:5]:
            backend.ask(q)
        quiet = ask_all(backend, qs, None, args.pause)

        done = threading.Event()
        result: dict = {}

        def upload() -> None:
            t = time.perf_counter()
            try:
                if args.naive:
                    result["report"] = ingest(files, cfg, embedder=embedder, show_progress=False)
                else:
                    result["report"] = backend.ingest(files)
            finally:
                result["seconds"] = time.perf_counter() - t
                done.set()

        worker = threading.Thread(target=upload)
        worker.start()
        time.sleep(2.0)  # parsing first: measure while the ingest embeds
        busy = ask_all(backend, qs, done, args.pause)
        worker.join()
        report = result["report"]

    mode = "naive (shared embedder, normal priority)" if args.naive else \
        f"app (own session, {ingest_threads(cfg)} thread(s), lower priority)"
    print(f"runtime {embedder.backend}/{embedder.dtype}, query threads {getattr(embedder, 'threads', 'torch')}; "
          f"ingest {mode}: {report.chunks} chunks ({report.embedded} embedded) + their sentences in "
          f"{result['seconds']:.1f} s")
    print(f"{'':<28}{'n':>5}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'embed p50':>12}{'p95':>10}")
    print(line("quiet", *quiet))
    print(line("during the ingest", *busy))
    print(f"target: p95 <= 150 ms during the ingest ({'met' if pct(busy[0], 95) <= 150 else 'MISSED'}); "
          f"mean {statistics.fmean(busy[0]):.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
