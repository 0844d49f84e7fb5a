"""How fast the model embeds in each dtype on this machine (the set-up records the faster)."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

from policyqa.embedding.modeldir import DTYPES, PROMPTS, load_sentence_transformer

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


def _passages_per_second(model: "SentenceTransformer", passages: list[str], batch_size: int) -> float:
    def encode(texts: list[str]) -> None:
        model.encode(texts, prompt=PROMPTS["passage"], batch_size=batch_size, show_progress_bar=False)

    encode(passages[:4])  # warm-up: the first call allocates and picks kernels
    t0 = time.perf_counter()
    encode(passages)
    return len(passages) / (time.perf_counter() - t0)


def measure_dtypes(model_dir: Path, device: str = "cpu", n: int = 16,
                   batch_size: int = 16) -> dict[str, float]:
    """Passages/s of the model in each dtype on `n` ~200-character passages (a few seconds)."""
    import torch

    model = load_sentence_transformer(model_dir, device, "float32")
    passages = sample_passages(n)
    measured = dict.fromkeys(DTYPES, 0.0)
    # Best of two alternating rounds, so that a burst of load from other processes does not decide alone.
    # (Casting back to float32 keeps bfloat16-rounded weights: irrelevant for timing, the model is discarded.)
    for _ in range(2):
        for dtype in DTYPES:
            model.to(getattr(torch, dtype))
            speed = _passages_per_second(model, passages, batch_size)
            measured[dtype] = max(measured[dtype], round(speed, 1))
    log.info("passages/s: %s", measured)
    return measured
