"""How fast, and how close to torch float32, the model embeds with each backend and precision on this
machine (the set-up records it; `auto` then picks the fastest that meets the quality bar)."""

from __future__ import annotations

import logging
import statistics
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from policyqa.embedding.modeldir import (BACKEND_DTYPES, DTYPES, MAX_SEQ_LENGTH, PROMPTS,
                                        load_sentence_transformer)

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)



_SAMPLE_SENTENCES = (
    "为进一步优化营商环境，各地要严格落实减税降费政策，确保各项惠企措施直达市场主体。",
    "对符合条件的小型微利企业，年应纳税所得额不超过三百万元的部分，减按百分之二十五计入应纳税所得额。",
    "县级以上人民政府应当将农村饮水安全工程建设纳入国民经济和社会发展规划，并保障必要的资金投入。",
    "申请人应当自收到补正通知之日起十个工作日内提交全部补正材料，逾期未提交的视为撤回申请。",
    "各级财政部门要加强专项资金绩效管理，对资金使用情况开展全过程监督，提高财政资金使用效益。",
    "2023年至2030年，全市新能源汽车保有量年均增长15%以上，公共充电桩覆盖率达到95%。",
    "用人单位应当依法为劳动者缴纳社会保险费，不得以任何形式要求劳动者放弃参加社会保险。",
    "本办法自发布之日起施行，有效期五年，由市发展和改革委员会负责解释。",
)


def sample_passages(n: int, chars: int = 200) -> list[str]:
    """`n` distinct policy-style Chinese passages of about `chars` characters (for timing)."""
    out = []
    k = len(_SAMPLE_SENTENCES)
    for i in range(n):
        text, j = f"第{i + 1}条 ", i
        while len(text) < chars:
            text += _SAMPLE_SENTENCES[j % k]
            j += 3
        out.append(text[:chars])
    return out


def _quality_texts() -> list[str]:
    """Passages of varied length (padding and truncation both matter) for comparing vectors."""
    return [*_SAMPLE_SENTENCES, *(p for chars in (40, 120, 300, 600) for p in sample_passages(6, chars))]


def _time_runtime(encode_passages: Callable[[list[str]], Any], encode_query: Callable[[str], Any],
                  passages: list[str]) -> tuple[float, float]:
    """(passages/s on `passages`, median single-query ms): warm-up first, the first call picks kernels."""
    encode_passages(passages[:4])
    t0 = time.perf_counter()
    encode_passages(passages)
    speed = len(passages) / (time.perf_counter() - t0)
    latencies = []
    for q in _SAMPLE_SENTENCES * 2:
        t0 = time.perf_counter()
        encode_query(q[:30])
        latencies.append((time.perf_counter() - t0) * 1000)
    return speed, statistics.median(latencies)


def measure_runtimes(model_dir: Path, device: str = "cpu", threads: int = 0, onnx: bool = True,
                     n: int = 16, batch_size: int = 16) -> dict[str, dict[str, float]]:
    """Per runtime ("torch/float32", "onnx/int8", ...): passages/s on `n` ~200-character passages, median
    single-query ms, and the min / mean cosine of its vectors to torch float32 (the quality bar).
    Best of two alternating rounds, so that a burst of load from other processes does not decide alone."""
    import torch

    from policyqa.embedding.onnx_embedder import OnnxEmbedder, cpu_cores

    threads = threads or cpu_cores()
    torch.set_num_threads(threads)
    model = load_sentence_transformer(model_dir, device, "float32")
    prompts = dict(PROMPTS)

    def torch_encode(kind: str) -> Callable:
        return lambda texts: model.encode(texts if isinstance(texts, list) else [texts], prompt=prompts[kind],
                                          batch_size=batch_size, show_progress_bar=False,
                                          convert_to_numpy=True, normalize_embeddings=True)

    quality = _quality_texts()
    reference = torch_encode("passage")(quality)
    runners: dict[str, tuple[Callable, Callable, Callable[[], None]]] = {}
    for dtype in DTYPES:
        runners[f"torch/{dtype}"] = (torch_encode("passage"), torch_encode("query"),
                                     lambda d=dtype: model.to(getattr(torch, d)))
    if onnx:
        for dtype in BACKEND_DTYPES["onnx"]:
            emb = OnnxEmbedder(model_dir, dtype, threads, batch_size, MAX_SEQ_LENGTH, prompts, {},
                               int(model.get_embedding_dimension()))
            runners[f"onnx/{dtype}"] = (emb.encode_passages, lambda q, e=emb: e.encode_queries([q]),
                                        lambda: None)
    passages = sample_passages(n)
    measured: dict[str, dict[str, float]] = {}
    for _ in range(2):
        for name, (passages_fn, query_fn, activate) in runners.items():
            activate()
            speed, query_ms = _time_runtime(passages_fn, query_fn, passages)
            m = measured.setdefault(name, {"passages_per_s": 0.0, "query_ms": float("inf")})
            m["passages_per_s"] = max(m["passages_per_s"], round(speed, 1))
            m["query_ms"] = min(m["query_ms"], round(query_ms, 1))
            if "min_cosine" not in m:
                vectors = np.asarray(passages_fn(quality), np.float32)
                vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
                cosines = np.sum(vectors * reference, axis=1)
                m["min_cosine"], m["mean_cosine"] = round(float(cosines.min()), 5), round(float(cosines.mean()), 5)
    log.info("measured runtimes: %s", measured)
    return measured
