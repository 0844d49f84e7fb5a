"""Cold start: seconds from `python app.py` to the page being served and to the first answer (the `/ask` API
endpoint) on an existing index. Target on 2 cores (issue 15): first answer <= 8 s.

    python bench/coldstart.py [--index DIR] [--runs 2] [--runtime auto|torch/float32|onnx/int8|...]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "湛茂都市圈土地总面积是多少？"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def one_run(index: Path, env_extra: dict[str, str]) -> tuple[float, float, str]:
    from gradio_client import Client  # imported before the clock starts

    port = free_port()
    env = {**os.environ, "POLICYQA_INDEX_DIR": str(index), "POLICYQA_PORT": str(port), **env_extra}
    url = f"http://127.0.0.1:{port}/"
    t0 = time.perf_counter()
    app = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        while True:  # the page
            try:
                urllib.request.urlopen(url, timeout=1).read(1)
                break
            except OSError:
                if app.poll() is not None:
                    raise SystemExit(f"app.py exited: {app.stderr.read()[-2000:]}")
                time.sleep(0.05)
        page = time.perf_counter() - t0
        answer = Client(url, verbose=False).predict(QUESTION, 10, [], api_name="/ask")
        first = time.perf_counter() - t0
    finally:
        app.terminate()
        app.wait(timeout=30)
    text = answer.get("answer", "") if isinstance(answer, dict) else str(answer)
    return page, first, text


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, default=ROOT / "index")
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--runtime", default="auto")
    args = ap.parse_args()
    backend, _, dtype = args.runtime.partition("/")
    env = {"POLICYQA_BACKEND": backend, "POLICYQA_DTYPE": dtype or "auto"}
    print(f"index {args.index}, runtime {args.runtime}; question: {QUESTION}")
    for i in range(args.runs):  # the first run also pays for a cold disk cache
        page, first, text = one_run(args.index, env)
        print(f"run {i + 1}: page served {page:.1f} s, first answer {first:.1f} s  ({text[:40]}…)", flush=True)
    print("target: first answer <= 8 s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
