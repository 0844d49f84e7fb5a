"""Ingest speed: seconds per stage and peak memory, for the seeds and for a synthetic corpus of ~2,000
paragraphs, each into a fresh temporary index (the model is prepared beforehand and loaded once).
Target: seeds ingested in <= 20 s on 2 cores. `--corpus DIR` ingests that folder instead (e.g. the 110 laws of
../shared/benchmarks/stard_dev/corpus), `--runtimes` compares backends / precisions in one run, `--keep DIR`
keeps each index in DIR/<backend>-<dtype> (for `python -m policyqa eval` afterwards).

    python bench/ingest.py [--paragraphs 2000] [--corpus DIR] [--runtimes auto torch/float32 onnx/int8 ...]
                           [--keep DIR]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policyqa.config import Config  # noqa: E402
from policyqa.ingest.chunk import ChunkSettings, chunk_document  # noqa: E402
from policyqa.ingest.clean import clean_blocks  # noqa: E402
from policyqa.ingest.loaders import load_file  # noqa: E402
from policyqa.ingest.pipeline import ingest, sentence_spans  # noqa: E402
from policyqa.ingest.structure import build_document  # noqa: E402
from policyqa.embedding.convert import prepare_model  # noqa: E402
from policyqa.embedding.embedder import load_embedder  # noqa: E402

TARGET_SEEDS_S = 20.0


def synthetic_corpus(folder: Path, paragraphs: int) -> None:
    """Plan-like documents: chapters, numbered clauses, ~120-character paragraphs of varied wording."""
    topics = ["港口物流", "绿色石化", "现代农业", "海洋经济", "新能源汽车", "文化旅游", "数字经济", "生态保护"]
    per_doc = 200
    for d in range(max(1, paragraphs // per_doc)):
        lines = [f"某市{topics[d % len(topics)]}发展实施方案（第{d + 1}号）"]
        for i in range(per_doc):
            if i % 40 == 0:
                lines.append(f"第{i // 40 + 1}章 {topics[(d + i) % len(topics)]}重点任务")
            t = topics[(d * 7 + i) % len(topics)]
            lines.append(f"（{i % 40 + 1}）推进{t}项目{d}-{i}建设。到{2025 + i % 6}年，{t}产业规模达到{10 + i}亿元，"
                         f"带动就业{100 + i * 3}人，由市{t}工作专班牵头，各县区政府按职责分工落实，"
                         f"每季度报送进展情况，确保第{i}项任务按期完成并通过验收。")
        (folder / f"synthetic_{d:02d}.txt").write_text("\n".join(lines), "utf-8")


def run(name: str, folder: Path, cfg: Config, embedder, keep: Path | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = keep or Path(tmp)
        t = time.perf_counter()
        report = ingest([folder], cfg.replace(index_dir=index_dir), embedder=embedder, show_progress=False,
                        rebuild=True)
        total = time.perf_counter() - t
    stages = "  ".join(f"{k} {v:.2f}s" for k, v in report.seconds.items() if k != "model")
    print(f"{name:<10} docs {report.documents:>3}  paragraphs {report.paragraphs:>5}  chunks {report.chunks:>5}  "
          f"total {total:6.1f}s  {report.chunks / total:6.1f} chunks/s  ({stages})", flush=True)


def extra_vector_cost(cfg: Config, embedder) -> None:
    """What the sentence vectors (the answerer's meaning score and the retriever's sentence lift) add to the
    embedding of the chunks alone."""
    docs = []
    for path in sorted(cfg.seeds_dir.glob("*.txt")):
        loaded = load_file(path)
        docs.append(build_document(loaded, clean_blocks(loaded), {}))
    settings = ChunkSettings(cfg.chunk_size, cfg.chunk_overlap, cfg.chunk_unit)
    chunks = [c.embed_text for d in docs for c in chunk_document(d, settings)]
    sents = [text for d in docs for *_, text in sentence_spans(d)]
    t = time.perf_counter()
    embedder.encode_passages(chunks)
    t_chunks = time.perf_counter() - t
    t = time.perf_counter()
    embedder.encode_passages(sents)
    t_sents = time.perf_counter() - t
    print(f"vectors    chunks {len(chunks)} in {t_chunks:.1f}s ({len(chunks) / t_chunks:.1f}/s), sentences "
          f"{len(sents)} in {t_sents:.1f}s: ingest embedding costs {(t_chunks + t_sents) / t_chunks:.2f}x "
          f"the chunks alone (target <= 2x)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paragraphs", type=int, default=2000)
    ap.add_argument("--corpus", type=Path, help="ingest this folder only")
    ap.add_argument("--runtimes", nargs="+", default=["auto"], help="auto or backend/dtype, e.g. onnx/int8")
    ap.add_argument("--keep", type=Path, help="keep each index in KEEP/<backend>-<dtype>")
    args = ap.parse_args()
    base = Config.load()
    prepare_model(base)
    for runtime in args.runtimes:
        backend, _, dtype = runtime.partition("/")
        cfg = base.replace(backend=backend, dtype=dtype or "auto")
        t = time.perf_counter()
        embedder = load_embedder(cfg)
        print(f"model load {time.perf_counter() - t:.1f}s ({embedder.backend} {embedder.dtype})", flush=True)
        if args.corpus:
            keep = args.keep / f"{embedder.backend}-{embedder.dtype}" if args.keep else None
            run(args.corpus.name, args.corpus, cfg, embedder, keep)
        else:
            one_runtime(cfg, embedder, args.paragraphs)
        del embedder
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB; target: seeds <= {TARGET_SEEDS_S:.0f} s")
    return 0


def one_runtime(cfg: Config, embedder, paragraphs: int) -> None:
    run("seeds", cfg.seeds_dir, cfg, embedder)
    extra_vector_cost(cfg, embedder)
    with tempfile.TemporaryDirectory() as tmp:
        synthetic_corpus(Path(tmp), paragraphs)
        run("synthetic", Path(tmp), cfg, embedder)


if __name__ == "__main__":
    raise SystemExit(main())
