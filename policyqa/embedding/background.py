"""An ingest that runs beside questions (the app's uploads) without starving them.

The ingest embeds in its own ONNX Runtime session with fewer threads (`Config.ingest_threads`) and in a thread
whose OS priority is lowered, so a question asked meanwhile gets the cores first. On Linux the nice value is
per thread and is inherited by the threads it creates (ONNX Runtime's pool, torch's OpenMP team).
"""

from __future__ import annotations

import contextvars
import logging
import os
import threading
from typing import Callable, TypeVar

from policyqa.config import Config
from policyqa.embedding.embedder import Embedder, ingest_threads, load_embedder

log = logging.getLogger(__name__)

T = TypeVar("T")

INGEST_NICENESS = 10  # CFS weight 110 against a question's 1024: ~10% of a shared core


class BackgroundEmbedding:
    """The ingest's embedder (loaded on first use, then kept) and the low-priority thread it runs in."""

    def __init__(self, cfg: Config):
        self.cfg = cfg
        self._embedder: Embedder | None = None
        self._lock = threading.Lock()

    def embedder(self, query_embedder: Embedder | None) -> Embedder | None:
        """An embedder giving the same vectors as `query_embedder`, with its own smaller thread pool.
        torch's thread pool is process-wide, so a torch model is shared (the low priority still applies)."""
        if query_embedder is None or getattr(query_embedder, "backend", "") != "onnx":
            return query_embedder
        with self._lock:
            if self._embedder is None or self._embedder.identity != query_embedder.identity:
                cfg = self.cfg.replace(backend="onnx", dtype=query_embedder.dtype)
                self._embedder = load_embedder(cfg, threads=ingest_threads(self.cfg))
            return self._embedder

    def run(self, fn: Callable[[], T]) -> T:
        """Call `fn` in a fresh thread at a lower OS priority and wait for it; its result or its exception
        comes back here. The caller's context variables go along (Gradio's progress lives in them)."""
        result: list = []
        error: list[BaseException] = []
        context = contextvars.copy_context()

        def target() -> None:
            _lower_priority()
            try:
                result.append(context.run(fn))
            except BaseException as exc:  # handed to the caller as is
                error.append(exc)

        worker = threading.Thread(target=target, name="policyqa-ingest", daemon=True)
        worker.start()
        worker.join()
        if error:
            raise error[0]
        return result[0]


def _lower_priority() -> None:
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + INGEST_NICENESS)
    except (AttributeError, OSError) as exc:  # not Linux, or not permitted: the ingest still runs
        log.info("could not lower the ingest thread's priority: %s", exc)
