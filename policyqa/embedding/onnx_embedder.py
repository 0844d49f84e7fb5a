"""The `Embedder` on ONNX Runtime: the graph exported at set-up (float32 or int8), the model's own tokenizer
(`tokenizers`, no torch import), the same prompts, mean pooling and L2 normalisation as sentence-transformers."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Literal, Sequence

import numpy as np

from policyqa.embedding.modeldir import FIX_DIR, ONNX_FILES
from policyqa.errors import ModelError

log = logging.getLogger(__name__)


def cpu_cores() -> int:
    """Cores this process may run on (the container's share, not the host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


# tokens per batch: the activations ORT keeps grow with batch × length (peak RSS of the seed ingest: 16 × 512
# tokens 1.99 GB, 8 × 512 1.40 GB, 4 × 512 1.11 GB); short passages still go 16 at a time
TOKEN_BUDGET = 2048


class OnnxEmbedder:
    """Normalised float32 sentence embeddings from an ONNX Runtime session."""

    backend = "onnx"

    def __init__(self, model_dir: Path, dtype: str, threads: int, batch_size: int, max_seq_length: int,
                 prompts: dict[str, str], identity: dict[str, Any], dim: int):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.model_dir = model_dir
        self.dtype = dtype
        self.threads = threads
        self.batch_size = batch_size
        self.max_seq_length = max_seq_length
        self.prompts = prompts
        self.identity = identity
        self.dim = dim
        path = model_dir / ONNX_FILES[dtype]
        options = ort.SessionOptions()
        # A fixed pool: ORT's default sizes it from the host's cores, which oversubscribes a container.
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3
        try:
            self._session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
            self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        except Exception as exc:  # a missing or broken file becomes one actionable message
            raise ModelError(f"无法加载 ONNX 模型 {path}（{type(exc).__name__}: {exc}）；{FIX_DIR}。") from exc
        # two copies: batches are truncated and padded, token counts are not
        self._counter = Tokenizer.from_str(self._tokenizer.to_str())
        self._counter.no_padding()
        self._counter.no_truncation()
        pad = self._tokenizer.token_to_id("<pad>")
        self._tokenizer.enable_truncation(max_seq_length)
        self._tokenizer.enable_padding(pad_id=1 if pad is None else pad, pad_token="<pad>")

    def _run(self, texts: list[str]) -> np.ndarray:
        encoded = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], np.int64)
        mask = np.array([e.attention_mask for e in encoded], np.int64)
        hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        # mean over real tokens (prompt included, as the model's pooling config says), then unit length
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
        return (pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)).astype(np.float32)

    def _encode(self, texts: Sequence[str], kind: str, show_progress: bool = False) -> np.ndarray:
        prefix = self.prompts[kind]
        texts = [prefix + t for t in texts]
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        # similar lengths together (a batch is padded to its longest), results put back in order
        tokens = [min(len(e.ids), self.max_seq_length) for e in self._counter.encode_batch(texts)]
        order = sorted(range(len(texts)), key=tokens.__getitem__)
        batches, part = [], []
        for i in order:  # sorted: the one added is the longest of its batch
            if part and (len(part) == self.batch_size or (len(part) + 1) * tokens[i] > TOKEN_BUDGET):
                batches.append(part)
                part = []
            part.append(i)
        batches.append(part)
        out = np.empty((len(texts), self.dim), np.float32)
        if show_progress:
            from tqdm.auto import tqdm

            batches = tqdm(batches, desc="embed", unit="batch")
        for part in batches:
            out[part] = self._run([texts[i] for i in part])
        return out

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed questions (with the "query: " prompt); shape (len(texts), dim)."""
        return self._encode(texts, "query")

    def encode_passages(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        """Embed documents (with the "passage: " prompt); shape (len(texts), dim)."""
        return self._encode(texts, "passage", show_progress)

    def count_tokens(self, text: str, kind: Literal["passage", "query"] | None = "passage") -> int:
        """Tokens the model sees for `text`, counting the prompt and <s>/</s> but ignoring truncation."""
        prefix = self.prompts[kind] if kind else ""
        return len(self._counter.encode(prefix + text).ids)

    def __repr__(self) -> str:
        return f"OnnxEmbedder({self.model_dir}, dim={self.dim}, dtype={self.dtype}, threads={self.threads})"
