"""The app's ingest beside questions: its own smaller ONNX Runtime session, in a lower-priority thread."""

from __future__ import annotations

import contextvars
import os
import threading

import numpy as np
import pytest

from policyqa.embedding.background import INGEST_NICENESS, BackgroundEmbedding
from policyqa.embedding.embedder import ingest_threads
from policyqa.errors import SkipFile

_request = contextvars.ContextVar("request", default="")


def _priority() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def test_runs_at_lower_priority_and_hands_back_result_and_errors(config):
    background = BackgroundEmbedding(config)
    _request.set("upload-1")
    before = _priority()
    seen = background.run(lambda: (threading.current_thread().name, _priority(), _request.get()))
    assert seen == ("policyqa-ingest", min(19, before + INGEST_NICENESS), "upload-1")
    assert _priority() == before  # the caller (a question's thread) keeps its priority

    def fail():
        raise SkipFile("文件损坏")

    with pytest.raises(SkipFile, match="文件损坏"):
        background.run(fail)


def test_ingest_embedder_is_a_separate_smaller_session(config, onnx_int8):
    background = BackgroundEmbedding(config.replace(ingest_threads=1))
    ingest_embedder = background.embedder(onnx_int8)
    assert ingest_embedder is not onnx_int8 and background.embedder(onnx_int8) is ingest_embedder
    assert ingest_embedder.identity == onnx_int8.identity  # the same vectors, so one index
    assert ingest_embedder._session.get_session_options().intra_op_num_threads == 1
    assert ingest_threads(config.replace(ingest_threads=1)) == 1
    texts = ["失业保险金按月发放。", "领取人应当每月办理失业登记。"]
    np.testing.assert_allclose(ingest_embedder.encode_passages(texts), onnx_int8.encode_passages(texts),
                               atol=1e-5)
    assert background.embedder(None) is None  # no model yet: the ingest loads its own


def test_app_upload_uses_the_background_embedder(config, onnx_int8, tmp_path):
    from policyqa.web.backend import Backend

    cfg = config.replace(index_dir=tmp_path / "index", backend="onnx", dtype="int8", ingest_threads=1)
    backend = Backend(cfg, embedder=onnx_int8).start(background=False)
    doc = tmp_path / "notice.txt"
    doc.write_text("关于做好失业保险金发放工作的通知\n一、失业保险金按月发放，标准为当地最低工资的90%。\n", "utf-8")
    stages = []
    report = backend.ingest([doc], progress=lambda stage, done, total: stages.append(stage))
    assert report.embedded > 0 and "embed" in stages
    assert backend._background._embedder is not None and backend._background._embedder is not onnx_int8
    answer = backend.ask("失业保险金的标准是多少？")
    assert not answer.refused and "90%" in answer.answer
