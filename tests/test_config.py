"""The one config object: defaults, then a TOML file, then POLICYQA_* environment variables."""

from pathlib import Path

import pytest

from policyqa.config import Config


def test_defaults_then_file_then_environment(tmp_path):
    toml = tmp_path / "policyqa.toml"
    toml.write_text('[policyqa]\ntop_k = 7\nchunk_size = 300\nindex_dir = "/data/idx"\n', "utf-8")
    cfg = Config.load(toml, env={"POLICYQA_CHUNK_SIZE": "180", "POLICYQA_BM25_WEIGHT": "0.5"})
    assert cfg.top_k == 7 and cfg.index_dir == Path("/data/idx")  # from the file
    assert cfg.chunk_size == 180 and cfg.bm25_weight == 0.5  # the environment wins
    assert cfg.answer_mode == Config().answer_mode  # untouched defaults stay


def test_unknown_keys_are_rejected(tmp_path):
    toml = tmp_path / "policyqa.toml"
    toml.write_text("[policyqa]\ntop_kk = 3\n", "utf-8")
    with pytest.raises(ValueError, match="top_kk"):
        Config.load(toml, env={})
