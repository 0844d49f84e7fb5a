"""Optional adaptation of the embedder to one corpus (off by default; `python -m policyqa adapt`).

Pseudo-queries are made from the indexed corpus itself, no labels and no LLM:

- inverse cloze: one sentence of a chunk is the query, the rest of the chunk (with its clause path) the
  passage — the sentence is taken out, so the model must match meaning, not copy characters;
- headings: a clause's own heading (第二十一章 保管合同 → 保管合同) is the query of one of its chunks.

Training is MultipleNegativesRankingLoss (in-batch negatives, InfoNCE) on the passages' other chunks, written
as a plain torch loop (no `datasets` dependency), with the embeddings and the lower layers frozen (the word-embedding matrix is 96 M of the
model's 118 M parameters; the vocabulary of 250 k tokens cannot drift on a few thousand pairs, and frozen
lower layers need no backward pass). It runs a bounded number of steps (`max_minutes`), then saves a new model directory — a copy of the
base one with the new weights and a marker whose `model` and `source_sha256` name the adaptation — so an index
records which model built it and is rebuilt when the model changes. The adapted directory gets the same ONNX
export and runtime measurement as `prepare-model` (`onnx=False` skips it: `auto` then falls back to torch).
"""

from __future__ import annotations

import json
import logging
import random
import re
import shutil
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from policyqa.embedding.modeldir import MARKER_FILE, PROMPTS, check_model_dir, read_marker, sha256
from policyqa.errors import ModelError, PolicyQAError
from policyqa.text import sentences

log = logging.getLogger(__name__)

_NUMBERED = re.compile(r"^第[一二三四五六七八九十百千零〇0-9]+[编章节条款部分篇]\s*")


@dataclass(frozen=True)
class AdaptSettings:
    max_minutes: float = 30.0  # wall-clock bound of the training loop
    max_steps: int = 2000
    batch_size: int = 32
    lr: float = 2e-5
    scale: float = 50.0  # inverse temperature of the in-batch softmax (e5 was trained at 100)
    query_tokens: int = 64
    passage_tokens: int = 192
    seed: int = 0
    min_sentence_chars: int = 12
    train_layers: int = 6  # only the top layers learn: the lower ones need no backward pass


def pseudo_pairs(build: Path, settings: AdaptSettings = AdaptSettings()) -> list[tuple[str, str, int]]:
    """(query, passage, chunk row) pairs from an index build (its corpus.sqlite)."""
    rng = random.Random(settings.seed)
    db = sqlite3.connect(build / "corpus.sqlite")
    pairs: list[tuple[str, str, int]] = []
    for row, clause_json, text in db.execute("SELECT row, clause, text FROM chunks ORDER BY row"):
        clause = json.loads(clause_json)
        context = " > ".join(clause)
        spans = [(s, e) for s, e in sentences(text) if e - s >= settings.min_sentence_chars]
        # a heading line is no sentence to ask with (the clause path names it)
        spans = [(s, e) for s, e in spans if text[s:e].strip() not in context]
        if len(spans) >= 2:
            s, e = rng.choice(spans)
            rest = (text[:s] + text[e:]).strip()
            # a question never names the article's number
            query = _NUMBERED.sub("", text[s:e].strip())
            if len(query) >= settings.min_sentence_chars and query not in rest:
                pairs.append((query, f"{context}\n{rest}", row))
        heads = [_NUMBERED.sub("", h).strip() for h in clause]
        heads = [h for h in heads if len(h) >= 4]
        if heads and rng.random() < 0.3:
            # the heading asks for its text: the passage without the clause path and heading lines
            body = "\n".join(line for line in text.split("\n") if heads[-1] not in line)
            if len(body) >= settings.min_sentence_chars:
                pairs.append((heads[-1], body, row))
    db.close()
    rng.shuffle(pairs)
    return pairs


def adapt(base_dir: Path, build: Path, out_dir: Path, settings: AdaptSettings = AdaptSettings(),
          threads: int = 0, log_every: int = 10, config=None, onnx: bool = True, measure: bool = True) -> dict:
    """Fine-tune the model in `base_dir` on pseudo-pairs of the index build `build`; save into `out_dir`."""
    import torch
    import torch.nn.functional as F
    from sentence_transformers import SentenceTransformer

    if threads:
        torch.set_num_threads(threads)
    torch.manual_seed(settings.seed)
    pairs = pseudo_pairs(build, settings)
    if len(pairs) < settings.batch_size:
        raise ModelError(f"语料太小，只能生成 {len(pairs)} 个训练样本（至少需要 {settings.batch_size} 个）")
    model = SentenceTransformer(str(base_dir), device="cpu", local_files_only=True)
    transformer = model[0].auto_model
    tokenizer = model.tokenizer
    for p in transformer.embeddings.parameters():
        p.requires_grad = False
    layers = transformer.encoder.layer
    for layer in layers[:max(0, len(layers) - settings.train_layers)]:
        for p in layer.parameters():
            p.requires_grad = False
    params = [p for p in transformer.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=settings.lr, weight_decay=0.01)
    transformer.train()

    def embed(texts: list[str], prompt: str, max_len: int):
        enc = tokenizer([prompt + t for t in texts], padding=True, truncation=True, max_length=max_len,
                        return_tensors="pt")
        with torch.autocast("cpu", dtype=torch.bfloat16):
            out = transformer(**enc).last_hidden_state
        mask = enc["attention_mask"].unsqueeze(-1).to(out.dtype)
        pooled = (out * mask).sum(1) / mask.sum(1).clamp(min=1)
        return F.normalize(pooled.float(), dim=-1)

    start = time.perf_counter()
    bs = settings.batch_size
    steps = 0
    losses: list[float] = []
    n_batches = len(pairs) // bs
    while steps < settings.max_steps and (time.perf_counter() - start) < settings.max_minutes * 60:
        k = steps % n_batches
        batch = pairs[k * bs:(k + 1) * bs]
        # two pairs of one chunk in a batch would be each other's false negatives
        rows = [r for _, _, r in batch]
        q = embed([b[0] for b in batch], PROMPTS["query"], settings.query_tokens)
        d = embed([b[1] for b in batch], PROMPTS["passage"], settings.passage_tokens)
        sim = q @ d.T * settings.scale
        same = torch.tensor([[a == b for b in rows] for a in rows])
        sim = sim.masked_fill(same & ~torch.eye(len(rows), dtype=torch.bool), float("-inf"))
        loss = F.cross_entropy(sim, torch.arange(len(rows)))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        steps += 1
        losses.append(float(loss.detach()))
        if log_every and steps % log_every == 0:
            log.warning("step %d loss %.4f (%.1f s/step)", steps, sum(losses[-log_every:]) / log_every,
                        (time.perf_counter() - start) / steps)
    seconds = time.perf_counter() - start
    transformer.eval()
    info = {"pairs": len(pairs), "steps": steps, "batch_size": bs, "seconds": round(seconds, 1),
            "loss_first": round(sum(losses[:10]) / max(1, len(losses[:10])), 4),
            "loss_last": round(sum(losses[-10:]) / max(1, len(losses[-10:])), 4)}
    if config is None:
        from policyqa.config import Config

        config = Config.load()
    save_adapted(model, base_dir, out_dir, build, settings, info, config, onnx, measure)
    return info


def save_adapted(model, base_dir: Path, out_dir: Path, build: Path, settings: AdaptSettings, info: dict,
                 config=None, onnx: bool = True, measure: bool = True) -> None:
    """A complete model directory beside the base one: the base's files, the new weights, and a marker that
    names the adaptation (a new identity: indexes built by the base model are rebuilt)."""
    tmp = out_dir.with_name(out_dir.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(base_dir, tmp, ignore=shutil.ignore_patterns("onnx", "*.lock", "model.safetensors"))
    model[0].auto_model.save_pretrained(str(tmp), safe_serialization=True)
    base = read_marker(base_dir) or {}
    weights = sha256(tmp / "model.safetensors")
    marker = {k: v for k, v in base.items() if k not in ("onnx", "runtimes", "choice", "measured")}
    marker.update(model=f"{base.get('model', base_dir.name)}+adapted", source_sha256=weights,
                  dtype="float32", adapted={"base_source_sha256": base.get("source_sha256"),
                                            "corpus_build": build.name, "settings": settings.__dict__, **info},
                  created=time.strftime("%Y-%m-%dT%H:%M:%S%z"))
    if onnx:
        # the same ONNX export and measurement as prepare-model: `auto` then picks the fastest runtime
        # that stays within the quality bar (int8 ingests 3× faster than torch float32)
        from policyqa.embedding.convert import _add_onnx

        _add_onnx(tmp, tmp, marker, config, measure=measure)
    (tmp / MARKER_FILE).write_text(json.dumps(marker, ensure_ascii=False, indent=2), "utf-8")
    shutil.rmtree(out_dir, ignore_errors=True)
    tmp.rename(out_dir)


def default_out_dir(base_dir: Path, build: Path) -> Path:
    """models/<base>-adapted-<corpus build>: beside the base model, one per corpus build."""
    return base_dir.with_name(f"{base_dir.name}-adapted-{build.name.split('-')[-1]}")


def run_adapt(cfg, minutes: float | None = None, steps: int | None = None, out: Path | None = None) -> int:
    """`python -m policyqa adapt`: adapt the configured model to the configured index; print what to do next."""
    from policyqa.errors import IndexUnavailable
    from policyqa.store.index import current_build

    build = current_build(cfg.index_dir)
    if build is None:
        raise IndexUnavailable(f"索引不存在（{cfg.index_dir}）。请先导入文件：python ingest.py")
    base = Path(cfg.model_dir).expanduser().absolute()
    check_model_dir(base)
    settings = AdaptSettings(**{k: v for k, v in (("max_minutes", minutes), ("max_steps", steps)) if v})
    out = Path(out) if out else default_out_dir(base, build)
    print(f"用 {build.name} 的文本微调 {base.name}：最多 {settings.max_minutes:g} 分钟、{settings.max_steps} 步……")
    info = adapt(base, build, out, settings, threads=cfg.threads, config=cfg)
    print(f"完成：{info['pairs']} 个伪问题样本，{info['steps']} 步，用时 {info['seconds']:.0f} 秒，"
          f"损失 {info['loss_first']:.3f} → {info['loss_last']:.3f}")
    print(f"新模型：{out}")
    print(f"使用它：POLICYQA_MODEL_DIR={out} python ingest.py --rebuild --index {cfg.index_dir}")
    return 0


def command(cfg, args) -> int:
    """The `adapt` command of `python -m policyqa` (cli.py's command table)."""
    return run_adapt(cfg, args.minutes, args.steps, args.out)


def main(argv: list[str] | None = None) -> int:
    """`python -m policyqa.embedding.adapt [--minutes M] [--steps N] [--out DIR]` (also `python -m policyqa
    adapt`)."""
    import argparse

    from policyqa.config import Config

    ap = argparse.ArgumentParser(prog="python -m policyqa adapt",
                                 description="用已导入的文件微调嵌入模型（可选，默认不启用）")
    add_arguments(ap)
    ap.add_argument("--config", type=Path)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    try:
        return run_adapt(Config.load(args.config), args.minutes, args.steps, args.out)
    except PolicyQAError as exc:
        print(f"错误：{exc.reason}", file=sys.stderr)
        return 2


def add_arguments(ap) -> None:
    ap.add_argument("--minutes", type=float, help=f"训练时长上限（默认 {AdaptSettings.max_minutes:g}）")
    ap.add_argument("--steps", type=int, help=f"训练步数上限（默认 {AdaptSettings.max_steps}）")
    ap.add_argument("--out", type=Path, help="新模型目录（默认 models/<模型>-adapted-<索引版本>）")


if __name__ == "__main__":
    raise SystemExit(main())
