"""The one config object: defaults, then a TOML file, then POLICYQA_* environment variables."""

from pathlib import Path

import pytest

from policyqa.config import Config, Fusion
from policyqa.errors import ConfigError


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


@pytest.mark.parametrize("key, value, allowed", [
    ("fusion", "rrff", "weighted、rrf"), ("faiss_index", "ivf", "flat、hnsw"),
    ("answer_mode", "generative", "extractive、llm"), ("dtype", "float16", "auto、float32、bfloat16")])
def test_unknown_choices_are_errors_naming_the_allowed_values(key, value, allowed):
    with pytest.raises(ConfigError, match=allowed) as err:
        Config.load(env={f"POLICYQA_{key.upper()}": value})
    assert value in err.value.reason and key in err.value.reason


def test_values_of_the_wrong_type_are_errors():
    with pytest.raises(ConfigError, match="top_k"):
        Config.load(env={"POLICYQA_TOP_K": "ten"})
    with pytest.raises(ConfigError, match="fusion"):
        Config().replace(fusion="nope")  # replace validates too


def test_choices_are_enums_that_compare_as_text():
    cfg = Config.load(env={"POLICYQA_FUSION": "rrf", "POLICYQA_DTYPE": "float32"})
    assert cfg.fusion is Fusion.RRF and cfg.fusion == "rrf" and cfg.dtype == "float32"


def test_the_cli_turns_a_bad_setting_into_one_chinese_line(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "POLICYQA_FUSION": "bogus", "POLICYQA_INDEX_DIR": str(tmp_path)}
    for args in (["-m", "policyqa", "ask", "问题"], ["ingest.py", str(tmp_path)]):
        run = subprocess.run([sys.executable, *args], cwd=Path(__file__).resolve().parents[1], env=env,
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
        assert "错误：配置项 fusion 的值 'bogus' 无效，可选值：weighted、rrf" in run.stderr


def test_switches_read_true_and_false_words(monkeypatch):
    monkeypatch.setenv("POLICYQA_OCR", "off")
    assert Config.load().ocr is False
    monkeypatch.setenv("POLICYQA_OCR", "1")
    assert Config.load().ocr is True
    monkeypatch.setenv("POLICYQA_OCR", "maybe")
    with pytest.raises(ConfigError):
        Config.load()


def test_example_questions_from_a_file_list_or_an_environment_string(tmp_path, monkeypatch):
    file = tmp_path / "policyqa.toml"
    file.write_text('example_questions = ["第一问？", " 第二问？ "]\n', "utf-8")
    assert Config.load(file).example_questions == ("第一问？", "第二问？")
    monkeypatch.setenv("POLICYQA_EXAMPLE_QUESTIONS", "甲是什么？|乙有哪些？|")
    assert Config.load(file).example_questions == ("甲是什么？", "乙有哪些？")
    with pytest.raises(ConfigError):
        Config(example_questions=[1, 2])
