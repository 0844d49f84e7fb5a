"""ONNX Runtime embedders at a fixed precision, loaded once per session (beside the default `embedder`)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def onnx_float32(config, embedder):
    from policyqa.embedding.embedder import load_embedder

    return load_embedder(config.replace(backend="onnx", dtype="float32"))


@pytest.fixture(scope="session")
def onnx_int8(config, embedder):
    from policyqa.embedding.embedder import load_embedder

    if (embedder.backend, embedder.dtype) == ("onnx", "int8"):
        return embedder
    return load_embedder(config.replace(backend="onnx", dtype="int8"))
