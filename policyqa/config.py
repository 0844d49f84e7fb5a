"""One configuration object: defaults, then an optional TOML file, then POLICYQA_* environment variables.

Every choice is an Enum that refuses values it does not know; every tuned constant says how it was chosen.
Everything the app writes (index builds, uploads, feedback, grades, evaluation runs) lives under `index_dir`,
the one data directory."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Mapping

from policyqa.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


class DType(StrEnum):
    AUTO = "auto"  # the precision measured fastest at set-up (for the backend in use) that meets the quality bar
    FLOAT32 = "float32"  # torch or onnx
    BFLOAT16 = "bfloat16"  # torch only (fast with AMX / avx512_bf16, slow elsewhere)
    INT8 = "int8"  # onnx only: weights quantised per channel at set-up


class Backend(StrEnum):
    AUTO = "auto"  # the runtime measured fastest at set-up among those that meet the quality bar
    TORCH = "torch"  # sentence-transformers on PyTorch
    ONNX = "onnx"  # ONNX Runtime on the model exported at set-up


class FaissIndex(StrEnum):
    FLAT = "flat"  # exact inner product
    HNSW = "hnsw"  # approximate, for large corpora


class Fusion(StrEnum):
    WEIGHTED = "weighted"  # scores scaled to [0, 1], weighted sum
    RRF = "rrf"  # reciprocal rank


class AnswerMode(StrEnum):
    EXTRACTIVE = "extractive"
    LLM = "llm"


@dataclass(frozen=True)
class Config:
    # paths
    seeds_dir: Path = ROOT / "seeds"
    index_dir: Path = ROOT / "index"  # the data directory: builds, uploads, feedback, grades, runs
    model_dir: Path = ROOT / "models" / "multilingual-e5-small"
    prompts_dir: Path = ROOT / "prompts"
    catalog_file: str = "catalog.toml"  # looked up inside each ingested folder
    # embedding model
    device: str = "cpu"
    backend: Backend = Backend.AUTO
    dtype: DType = DType.AUTO
    # intra-op threads of the query embedder (0 = one per core); torch's setting is process-wide
    threads: int = 0
    # threads of the app's upload ingest (0 = one core fewer than the machine has, at least 1): it runs in its
    # own ONNX Runtime session at a lower OS priority, so questions asked meanwhile keep their cores
    ingest_threads: int = 0
    batch_size: int = 16
    max_seq_length: int = 512
    # reading files
    ocr: bool = True  # read pages without a text layer (scans) by OCR
    ocr_max_pages: int = 100  # per document; a longer scan is read up to here and the rest reported
    # bounds on what one file may cost (issue 14): a larger file is skipped with its reason, the rest ingested.
    # 1,000,000 characters is ~700 pages of Chinese; a seed plan has 50,000
    max_file_mb: int = 200  # bytes read from one file
    max_unzipped_mb: int = 64  # what a .docx/.xlsx/.ofd may expand to (a zip bomb: 600 KB → 200 MB of XML)
    max_doc_chars: int = 1_000_000  # characters of text per document
    max_doc_chunks: int = 5000  # chunks per document (embedding time: ~1 minute per 1,000 on 2 cores)
    follow_links: bool = False  # symbolic links inside a given folder; never one that leads out of it
    # chunking
    chunk_size: int = 500
    chunk_overlap: int = 40
    chunk_unit: int = 500  # an article with its items stays one chunk up to this many characters
    # index
    faiss_index: FaissIndex = FaissIndex.FLAT
    hnsw_m: int = 32
    # retrieval
    top_k: int = 10
    candidates: int = 50
    fusion: Fusion = Fusion.WEIGHTED
    # tuned on eval/questions.jsonl and eval/dev_questions.jsonl (Hit@1, MRR@10); the held-out set was not used
    dense_weight: float = 0.3
    bm25_weight: float = 0.7
    rrf_k: int = 60
    # lay wording: when the best BM25 chunk holds less than `lay_coverage` of the question's (rarity-weighted)
    # terms, the dense side gets `lay_dense_weight` instead. Fitted on the own and dev sets plus half of
    # stard_dev (Hit@1 +1.3 / +2.7 points on the other half); equal to dense_weight turns it off
    lay_dense_weight: float = 0.4
    lay_coverage: float = 0.8
    # a chunk's dense score mixes its own cosine with its best sentence's by this share (0 = chunk only)
    sentence_weight: float = 0.6
    # another document's best chunk enters the top 5 when it scores this share of the best: set by hand on the
    # own set's cross-document questions (all evidence in the top 5)
    diversity: float = 0.6
    # answering
    answer_mode: AnswerMode = AnswerMode.EXTRACTIVE
    max_answer_sentences: int = 4
    # refuse below this share of the question's key terms covered by the best evidence: calibrated on the
    # own and dev sets (unanswerable refused vs answerable wrongly refused); the held-out set was not used
    refusal_threshold: float = 0.3
    # an answer sentence is supported when this share of its character bigrams stands in the best window of
    # the cited paragraph: set by hand so that extractive quotes always pass and LLM rewordings mostly do
    support_threshold: float = 0.6
    answer_passages: int = 5  # hits the extractive answerer reads: Hit@5 is 0.96–1.0 on the question sets
    llm_passages: int = 6  # the LLM reads one hit more
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    llm_timeout: float = 60.0
    # LLM mode only: the LLM also rewrites the question into the documents' official wording and both are
    # searched (one more call per question). Off by default: measured on no real model here
    llm_query_rewrite: bool = False
    # app
    host: str = "127.0.0.1"
    port: int = 7860
    auth: str = ""  # "user:password[,user2:password2]"
    max_upload_mb: int = 20
    # shown on the empty chat; empty: made from the indexed documents (environment: separated by "|")
    example_questions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            try:
                coerced = _coerce(f.type, value)
            except (TypeError, ValueError):
                allowed = _choices(f.type)
                hint = f"可选值：{'、'.join(allowed)}" if allowed else f"应为 {f.type} 类型"
                raise ConfigError(f"配置项 {f.name} 的值 {value!r} 无效，{hint}。") from None
            object.__setattr__(self, f.name, coerced)

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
        names = {f.name for f in dataclasses.fields(cls)}
        for name in names:
            key = f"POLICYQA_{name.upper()}"
            if key in env:
                values[name] = env[key]
        values.update(overrides)
        unknown = set(values) - names
        if unknown:
            raise ConfigError(f"未知的配置项：{', '.join(sorted(unknown))}")
        return cls(**values)

    def replace(self, **changes: Any) -> "Config":
        return dataclasses.replace(self, **changes)

    @property
    def llm_configured(self) -> bool:
        """An LLM endpoint and model are set (answer_mode=llm has no effect otherwise)."""
        return bool(self.llm_base_url and self.llm_model)

    # derived paths: one rule, all under the data directory
    @property
    def uploads_dir(self) -> Path:
        return self.index_dir / "uploads"

    @property
    def feedback_db(self) -> Path:
        return self.index_dir / "feedback.sqlite"

    @property
    def conversations_db(self) -> Path:
        return self.index_dir / "conversations.sqlite"

    @property
    def users_db(self) -> Path:
        return self.index_dir / "users.sqlite"

    @property
    def kbs_db(self) -> Path:
        return self.index_dir / "kbs.sqlite"

    @property
    def audit_db(self) -> Path:
        return self.index_dir / "audit.sqlite"

    @property
    def grades_db(self) -> Path:
        return self.index_dir / "grades.sqlite"

    @property
    def runs_dir(self) -> Path:
        return self.index_dir / "runs"


def _bool(value: Any) -> bool:
    """true/false, 1/0, yes/no, on/off (environment values are strings)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError(value)


def _strings(value: Any) -> tuple[str, ...]:
    """A list of strings (TOML array), or one string with the items separated by '|'."""
    items = value.split("|") if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not all(isinstance(x, str) for x in items):
        raise ValueError(value)
    return tuple(x.strip() for x in items if x.strip())


_TYPES = {"Path": Path, "tuple[str, ...]": _strings, "int": int, "float": float, "str": str, "bool": _bool, "DType": DType,
          "Backend": Backend,
          "FaissIndex": FaissIndex, "Fusion": Fusion, "AnswerMode": AnswerMode}


def _coerce(kind: str, value: Any) -> Any:
    if kind == "Path":
        return Path(value).expanduser()
    if kind == "int" and isinstance(value, float) and not value.is_integer():
        raise ValueError(value)
    return _TYPES[kind](value)


def _choices(kind: str) -> list[str]:
    t = _TYPES.get(kind)
    return [m.value for m in t] if isinstance(t, type) and issubclass(t, StrEnum) else []
