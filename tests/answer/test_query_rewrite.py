"""LLM mode: the question is also searched in the documents' own wording, as the LLM rewrites it."""

from __future__ import annotations

import pytest

from policyqa.assistant import Assistant

DOCS = {
    "仓库管理规定.txt": "仓库管理规定\n\n第三条 危险化学品应当储存在专用仓库内，并由专人负责管理。\n\n"
                  "第四条 专用仓库应当符合国家标准对安全、消防的要求，设置明显标志。\n",
    "小区公约.txt": "小区公约\n\n第五条 放东西的地方应当保持整洁，楼道里不得堆放杂物。\n\n"
                "第六条 放东西的地方有什么要求，由业主大会另行规定。\n",
}
QUESTION = "放东西的地方有什么要求？"
REWRITE = "危险化学品的储存场所有什么要求？"


@pytest.fixture(scope="module")
def assistant(small_assistant):
    return small_assistant(DOCS)


def _with_llm(assistant: Assistant, fake_llm, rewrite: bool) -> Assistant:
    cfg = assistant.cfg.replace(answer_mode="llm", llm_base_url=fake_llm.base_url, llm_model="test-model",
                                llm_query_rewrite=rewrite)
    return Assistant(cfg, assistant.embedder, assistant.index)


def _reply(messages):
    text = messages[-1]["content"]
    return REWRITE if "正式说法" in text else "危险化学品应当储存在专用仓库内[1]。"


def test_the_rewrite_is_searched_and_its_hits_come_first(assistant, fake_llm):
    fake_llm.reply = _reply
    plain = _with_llm(assistant, fake_llm, rewrite=False).ask(QUESTION)
    assert plain.contexts[0]["doc"] == "小区公约.txt"  # the user's words match the wrong document
    assert not any("正式说法" in r["messages"][-1]["content"] for r in fake_llm.requests)

    ans = _with_llm(assistant, fake_llm, rewrite=True).ask(QUESTION)
    asked = [r["messages"][-1]["content"] for r in fake_llm.requests if "正式说法" in r["messages"][-1]["content"]]
    assert len(asked) == 1 and QUESTION in asked[0]
    assert ans.contexts[0]["doc"] == "仓库管理规定.txt"
    assert {c["doc"] for c in ans.contexts} == set(DOCS)  # the user's own wording is still searched


def test_a_failing_rewrite_searches_the_question_alone(assistant, fake_llm):
    fake_llm.reply = lambda messages: "" if "正式说法" in messages[-1]["content"] else "危险化学品应当储存在专用仓库内[1]。"
    ans = _with_llm(assistant, fake_llm, rewrite=True).ask(QUESTION)
    assert ans.contexts[0]["doc"] == "小区公约.txt"
