"""The `/ask` API endpoint through gradio_client, against the running app (fixture `app_server`)."""

from __future__ import annotations

import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

PLAN = "002_240daae8c4bbf10a.txt"


@pytest.fixture(scope="module")
def client(app_server):
    return Client(app_server.url, verbose=False)


def test_ask_returns_the_cli_json(client, app_server):
    out = client.predict("湛茂都市圈土地总面积是多少？", 10, None, api_name="/ask")
    assert isinstance(out, dict)
    assert {"id", "question", "answer", "refused", "citations", "contexts", "timings_ms", "standalone_question",
            "mode", "notice"} <= set(out)
    assert out["refused"] is False
    assert "2.47" in out["answer"] and "[1]" in out["answer"]
    assert len(out["contexts"]) >= 10
    c = out["citations"][0]
    assert c["n"] == 1 and c["doc"] == PLAN
    assert c["clause"].startswith("《") and c["paragraph_id"]
    assert c["quote"] and c["quote"] in c["text"]
    assert c["text"][c["span"][0]:c["span"][1]] == c["quote"]
    # the same dict the command line prints
    direct = app_server.backend.ask("湛茂都市圈土地总面积是多少？", k=10).to_json()
    assert out["answer"] == direct["answer"]
    assert out["citations"] == direct["citations"]


def test_ask_restricted_to_documents(client):
    out = client.predict(question="茂名港有什么突出的港口设施优势？", k=12, docs=[PLAN], api_name="/ask")
    assert len(out["contexts"]) >= 10
    assert {c["doc"] for c in out["contexts"]} == {PLAN}
    assert all(c["doc"] == PLAN for c in out["citations"])


def test_ask_refuses_unanswerable(client):
    out = client.predict("火星基地的建设预算是多少？", None, None, api_name="/ask")
    assert out["refused"] is True
    assert out["citations"] == []


def test_invalid_question_is_an_error(client):
    with pytest.raises(AppError, match="请输入问题"):
        client.predict("   ", None, None, api_name="/ask")
