"""One configuration object: defaults, then an optional TOML file, then POLICYQA_* environment variables."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Config:
    # paths
    seeds_dir: Path = ROOT / "seeds"
    index_dir: Path = ROOT / "index"
    model_dir: Path = ROOT / "models" / "multilingual-e5-small"
    prompts_dir: Path = ROOT / "prompts"
    catalog_file: str = "catalog.toml"  # looked up inside each ingested folder
    # embedding model
    device: str = "cpu"
    dtype: str = "auto"  # auto | float32 | bfloat16 ("auto" reads the choice measured at set-up)
    batch_size: int = 16
    max_seq_length: int = 512
    # chunking
    chunk_size: int = 250
    chunk_overlap: int = 40
    # index
    faiss_index: str = "flat"  # flat (exact inner product) | hnsw (approximate, for large corpora)
    hnsw_m: int = 32
    # retrieval
    top_k: int = 10
    candidates: int = 50
    fusion: str = "weighted"  # weighted (scores scaled to [0, 1]) | rrf (reciprocal rank)
    dense_weight: float = 0.3
    bm25_weight: float = 0.7
    rrf_k: int = 60
    diversity: float = 0.6  # another document's best chunk enters the top 5 when it scores this close
    # answering
    answer_mode: str = "extractive"  # extractive | llm
    max_answer_sentences: int = 4
    refusal_threshold: float = 0.3  # calibrated on eval/ (see README "Evaluating")
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    llm_timeout: float = 60.0
    # app
    host: str = "127.0.0.1"
    port: int = 7860
    auth: str = ""  # "user:password[,user2:password2]"
    max_upload_mb: int = 20
    feedback_db: Path = ROOT / "index" / "feedback.sqlite"

    @classmethod
    def load(cls, path: str | os.PathLike | None = None, env: Mapping[str, str] | None = None,
             **overrides: Any) -> "Config":
        """Defaults, then `path` (or POLICYQA_CONFIG, or ./policyqa.toml if present), then the environment."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        file = Path(path) if path else Path(env.get("POLICYQA_CONFIG", ROOT / "policyqa.toml"))
        if file.is_file():
            with file.open("rb") as fh:
                data = tomllib.load(fh)
            values.update(data.get("policyqa", data))
        names = {f.name: f for f in dataclasses.fields(cls)}
        for name in names:
            key = f"POLICYQA_{name.upper()}"
            if key in env:
                values[name] = env[key]
        values.update(overrides)
        unknown = set(values) - set(names)
        if unknown:
            raise ValueError(f"unknown config keys: {', '.join(sorted(unknown))}")
        return cls(**{k: _coerce(names[k].type, v) for k, v in values.items()})

    def replace(self, **changes: Any) -> "Config":
        return dataclasses.replace(self, **changes)


def _coerce(kind: Any, value: Any) -> Any:
    kind = str(kind)
    if value is None:
        return value
    if kind == "Path":
        return Path(value).expanduser()
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "bool":
        return str(value).lower() in {"1", "true", "yes", "on"}
    return value
