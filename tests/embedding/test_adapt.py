"""Corpus adaptation (`python -m policyqa adapt`): pseudo-pairs from an index, a few real training steps on
the real model, and a new model directory that the backend selection loads (ONNX or torch) with its own
identity."""

from __future__ import annotations

import json

import numpy as np
import pytest

from policyqa.embedding.adapt import AdaptSettings, adapt, pseudo_pairs
from policyqa.embedding.embedder import load_embedder, model_identity
from policyqa.store.index import current_build

TINY = AdaptSettings(max_steps=2, batch_size=4, query_tokens=32, passage_tokens=64)


def test_pseudo_pairs_are_inverse_cloze(seed_index):
    build = current_build(seed_index.index_dir)
    pairs = pseudo_pairs(build, TINY)
    assert len(pairs) > 100
    for query, passage, row in pairs[:200]:
        assert query and passage and row >= 0
        # the query sentence is taken out of its passage: the model must match meaning, not copy it
        assert query not in passage
        assert not query.startswith("第") or "条" not in query[:6]


@pytest.fixture(scope="module")
def adapted(seed_index, tmp_path_factory):
    out = tmp_path_factory.mktemp("adapted") / "e5-adapted"
    info = adapt(seed_index.model_dir, current_build(seed_index.index_dir), out, TINY, log_every=0,
                 config=seed_index, onnx=True, measure=False)
    return out, info


def test_adapted_model_is_a_new_identity(seed_index, adapted):
    out, info = adapted
    assert info["steps"] == 2 and info["pairs"] > 100
    marker = json.loads((out / "policyqa.json").read_text("utf-8"))
    assert marker["model"].endswith("+adapted") and marker["adapted"]["steps"] == 2
    base = model_identity(seed_index)
    new = model_identity(seed_index.replace(model_dir=out))
    assert new["model"] != base["model"] and new["source_sha256"] != base["source_sha256"]


@pytest.mark.parametrize("backend", ["torch", "onnx"])
def test_adapted_model_loads_with_either_backend(seed_index, embedder, adapted, backend):
    out, _ = adapted
    cfg = seed_index.replace(model_dir=out, backend=backend, dtype="float32")
    emb = load_embedder(cfg)
    assert emb.backend == backend and emb.identity["model"].endswith("+adapted")
    texts = ["保管人不得将保管物转交第三人保管。", "湛茂都市圈土地总面积是多少？"]
    new, old = emb.encode_passages(texts), embedder.encode_passages(texts)
    assert new.shape == old.shape and np.allclose(np.linalg.norm(new, axis=1), 1, atol=1e-3)
    # two steps move the model, but only a little
    cos = np.sum(new * old, axis=1)
    assert (cos > 0.9).all() and (cos < 0.99999).any()


def test_auto_falls_back_to_torch_without_a_measurement(seed_index, adapted):
    out, _ = adapted
    emb = load_embedder(seed_index.replace(model_dir=out, backend="auto", dtype="auto"))
    assert emb.backend == "torch"


def test_the_command_line_refuses_without_an_index(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "POLICYQA_INDEX_DIR": str(tmp_path / "none")}
    out = subprocess.run([sys.executable, "-m", "policyqa", "adapt", "--steps", "1"], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 2 and "索引不存在" in out.stderr and "Traceback" not in out.stderr
