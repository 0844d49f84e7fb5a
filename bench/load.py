"""Concurrent load on a running app over loopback: N clients × M questions through the `/ask` API, quiet and
while an ingest publishes into the same index. Prints errors, p50/p95 latency and throughput per phase.
Target on 2 cores (extractive answers): 20 clients × 10 questions, 0 errors, p95 <= 3 s.

    python bench/load.py [--index DIR] [--clients 20] [--questions 10] [--ingest-docs 200]

The app runs as `app.py` in its own process over a copy of the index (the ingest phase changes it).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policyqa.embedding.measure import sample_passages  # noqa: E402

TARGET_P95_S = 3.0


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def questions(n: int) -> list[str]:
    lines = (ROOT / "eval" / "dev_questions.jsonl").read_text("utf-8").splitlines()
    qs = [json.loads(line)["question"] for line in lines if line.strip()]
    return (qs * (n // len(qs) + 1))[:n]


def start_app(index_dir: Path, log: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "POLICYQA_INDEX_DIR": str(index_dir), "POLICYQA_AUTH": ""}
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--port", str(port)], env=env,
                            stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    from gradio_client import Client

    deadline = time.time() + 300
    while True:
        try:
            Client(url, verbose=False).predict("规划期是哪几年？", None, None, api_name="/ask")
            return proc, url
        except Exception:  # not up yet
            if proc.poll() is not None or time.time() > deadline:
                raise SystemExit(f"the app did not start; see {log}")
            time.sleep(1)


def phase(url: str, clients: int, per_client: int) -> dict:
    from gradio_client import Client

    latencies, errors, lock = [], [], threading.Lock()
    qs = questions(clients * per_client)

    def client(i: int) -> None:
        c = Client(url, verbose=False)
        for q in qs[i * per_client:(i + 1) * per_client]:
            t = time.perf_counter()
            try:
                out = c.predict(q, None, None, api_name="/ask")
                ok = isinstance(out, dict) and "answer" in out
            except Exception as exc:  # an error is what this bench counts
                ok, out = False, repr(exc)
            with lock:
                latencies.append(time.perf_counter() - t)
                if not ok:
                    errors.append(str(out)[:200])

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return {"requests": len(latencies), "errors": len(errors), "first_error": errors[:1],
            "p50_s": round(statistics.median(latencies), 3), "p95_s": round(pct(latencies, 95), 3),
            "throughput_qps": round(len(latencies) / wall, 2)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, default=ROOT / "index")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--questions", type=int, default=10, help="per client")
    ap.add_argument("--ingest-docs", type=int, default=200, help="documents ingested during the second phase")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="policyqa-load-"))
    index = tmp / "index"
    shutil.copytree(args.index, index, symlinks=True,
                    ignore=shutil.ignore_patterns("uploads", "runs", "*.lock"))
    proc, url = start_app(index, tmp / "app.log")
    try:
        quiet = phase(url, args.clients, args.questions)
        print(f"quiet:          {json.dumps(quiet, ensure_ascii=False)}")
        docs = tmp / "docs"
        docs.mkdir()
        for i, text in enumerate(sample_passages(args.ingest_docs * 10, 300)):
            with (docs / f"办法{i // 10:04d}.txt").open("a", encoding="utf-8") as fh:
                fh.write(("测试办法\n\n" if i % 10 == 0 else "") + text + "\n\n")
        ingest = subprocess.Popen([sys.executable, str(ROOT / "ingest.py"), "--index", str(index), str(docs)],
                                  stdout=(tmp / "ingest.log").open("w"), stderr=subprocess.STDOUT)
        time.sleep(5)  # past the model load: the ingest is embedding
        busy = phase(url, args.clients, args.questions)
        still = ingest.poll() is None
        print(f"during ingest:  {json.dumps(busy, ensure_ascii=False)}  (ingest still running at the end: {still})")
        ingest.wait()
        after = phase(url, 2, 5)
        print(f"after publish:  {json.dumps(after, ensure_ascii=False)}  (ingest exit {ingest.returncode})")
        ok = all(p["errors"] == 0 and p["p95_s"] <= TARGET_P95_S for p in (quiet, busy))
        print(f"target {args.clients}x{args.questions}, 0 errors, p95 <= {TARGET_P95_S} s: "
              f"{'met' if ok else 'NOT met'}")
        return 0
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
