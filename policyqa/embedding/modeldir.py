"""What a model directory holds, how it is checked, and how it is loaded offline (shared by the
conversion and the runtime embedder)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from policyqa.errors import ConfigError, ModelError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

MODEL_NAME = "multilingual-e5-small"
MARKER_FILE = "policyqa.json"
PROMPTS = {"query": "query: ", "passage": "passage: "}
DTYPES = ("float32", "bfloat16")  # torch's precisions
# Precisions per backend, and the ONNX files prepare-model writes (relative to the model directory)
BACKEND_DTYPES = {"torch": DTYPES, "onnx": ("float32", "int8")}
RUNTIMES = tuple(f"{b}/{d}" for b, ds in BACKEND_DTYPES.items() for d in ds)
ONNX_FILES = {"float32": "onnx/model.onnx", "int8": "onnx/model_int8.onnx"}
# auto never picks a runtime whose vectors fall below this cosine to torch float32 on the set-up's sample
# (per-channel int8 measured 0.9966 min; per-tensor int8 0.984 and was rejected)
QUALITY_MIN_COSINE = 0.99
MAX_SEQ_LENGTH = 512
REQUIRED_FILES = (
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
    "modules.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "1_Pooling/config.json",
    "2_Normalize/config.json",
    MARKER_FILE,
)
FIX_DIR = "请运行 python -m policyqa prepare-model --force，或将 POLICYQA_MODEL_DIR 指向一个 sentence-transformers 模型目录"


def sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def read_marker(model_dir: Path) -> dict[str, Any] | None:
    try:
        marker = json.loads((model_dir / MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) else None


def missing_files(model_dir: Path, names: Sequence[str] = REQUIRED_FILES) -> list[str]:
    return [name for name in names
            if not (model_dir / name).is_file() or (model_dir / name).stat().st_size == 0]


def transformer_dir(model_dir: Path) -> Path | None:
    """The Transformer module's folder per modules.json (the root, or 0_Transformer in old models)."""
    try:
        modules = json.loads((model_dir / "modules.json").read_text(encoding="utf-8"))
        paths = [m.get("path", "") for m in modules if m.get("type", "").endswith("Transformer")]
    except (OSError, ValueError, AttributeError, TypeError):
        return None
    return model_dir / paths[0] if paths else None


def weight_files(folder: Path) -> list[Path]:
    return sorted([*folder.glob("*.safetensors"), *folder.glob("pytorch_model*.bin")])


def is_sentence_transformers_dir(model_dir: Path) -> bool:
    """A directory someone else prepared: modules.json, and a Transformer with config, weights, tokenizer."""
    folder = transformer_dir(model_dir)
    if folder is None or not (folder / "config.json").is_file() or not weight_files(folder):
        return False
    tokenizer = ("tokenizer.json", "tokenizer_config.json", "sentencepiece.bpe.model", "vocab.txt")
    return any((folder / f).is_file() for f in tokenizer)


def check_model_dir(model_dir: Path) -> dict[str, Any] | None:
    """Raise ModelError unless `model_dir` is a complete model; return our marker (None for a foreign dir)."""
    if not model_dir.is_dir():
        raise ModelError(f"模型目录 {model_dir} 不存在；请运行 python -m policyqa prepare-model，"
                         "或将 POLICYQA_MODEL_DIR 指向一个 sentence-transformers 模型目录。")
    marker = read_marker(model_dir)
    if marker is not None:
        missing = missing_files(model_dir)
        if missing:
            raise ModelError(f"模型目录 {model_dir} 不完整（缺少 {'、'.join(missing)}）；{FIX_DIR}。")
    elif not is_sentence_transformers_dir(model_dir):
        raise ModelError(f"{model_dir} 不是 sentence-transformers 模型目录（需要 modules.json、config.json、"
                         f"权重文件和分词器）；{FIX_DIR}。")
    return marker


def weights_sha256(model_dir: Path) -> str:
    """Hash of a foreign model's weight files (ours are identified by the source file's hash)."""
    digest = hashlib.sha256()
    for path in weight_files(transformer_dir(model_dir) or model_dir):
        digest.update(sha256(path).encode())
    return digest.hexdigest()


def resolve_dtype(config_dtype: str, marker: dict[str, Any] | None) -> str:
    """The dtype to load: an explicit float32/bfloat16, or for "auto" the one measured at set-up."""
    if config_dtype == "auto":
        chosen = (marker or {}).get("dtype", "float32")
        return chosen if chosen in DTYPES else "float32"
    return str(config_dtype)  # Config has refused anything else


def resolve_runtime(backend: str, dtype: str, marker: dict[str, Any] | None) -> tuple[str, str]:
    """(backend, dtype) to load from the settings and what the set-up measured (marker["runtimes"]; for a
    directory prepared before the ONNX backend, marker["dtype"]). Raises ConfigError for a precision the backend does not have, ModelError when
    ONNX is asked of a model directory without the exported files."""
    backend, dtype = str(backend), str(dtype)
    marker = marker or {}
    has_onnx = bool(marker.get("onnx"))
    if backend != "auto" and dtype != "auto" and dtype not in BACKEND_DTYPES[backend]:
        allowed = "；".join(f"{b}：{'、'.join(ds)}" for b, ds in BACKEND_DTYPES.items())
        raise ConfigError(f"后端 {backend} 不支持精度 {dtype}（可选组合 {allowed}）。")
    if backend == "onnx" and not has_onnx:
        raise ModelError("模型目录中没有 ONNX 模型；请运行 python -m policyqa prepare-model，"
                         "或设置 POLICYQA_BACKEND=torch。")
    runtimes = marker.get("runtimes") or {}
    if backend == "torch" and dtype == "auto" and not runtimes:
        return "torch", resolve_dtype("auto", marker)  # a model prepared before the ONNX backend existed
    candidates = [r for r in RUNTIMES
                  if (backend == "auto" or r.startswith(backend + "/"))
                  and (dtype == "auto" or r.endswith("/" + dtype))
                  and (has_onnx or r.startswith("torch/"))]
    if not candidates:  # int8 asked of a directory without the ONNX files
        raise ModelError(f"精度 {dtype} 需要 ONNX 模型，模型目录中没有；请运行 python -m policyqa prepare-model。")
    usable = [r for r in candidates if runtimes.get(r, {}).get("min_cosine", 0) >= QUALITY_MIN_COSINE]
    if usable:  # the fastest ingest (passages/s) that meets the quality bar
        best = max(usable, key=lambda r: runtimes[r].get("passages_per_s", 0))
    else:  # nothing measured (a foreign model, set-up without timing) or only what was asked: exact first
        best = next((r for r in candidates if r.endswith("/float32")), candidates[0])
    b, d = best.split("/")
    return b, d


def load_sentence_transformer(model_dir: Path, device: str, dtype: str) -> "SentenceTransformer":
    import torch
    from sentence_transformers import SentenceTransformer

    try:
        # local_files_only: a directory path never leads to a Hub request, with or without HF_HUB_OFFLINE
        return SentenceTransformer(str(model_dir), device=device, local_files_only=True,
                                   model_kwargs={"dtype": getattr(torch, dtype)})
    except Exception as exc:  # anything from deep inside transformers becomes one actionable message
        raise ModelError(f"无法从 {model_dir} 加载嵌入模型（{type(exc).__name__}: {exc}）；{FIX_DIR}。") from exc
