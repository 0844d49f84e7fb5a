"""Retrieval and answers on the seeds: facts, clause paths, refusals, follow-ups, the JSON contract,
and the optional LLM answerer against a small OpenAI-protocol server on loopback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from policyqa.answer.support import check_support
from policyqa.answer.types import Citation
from policyqa.assistant import REFUSAL, Assistant, InvalidQuestion

ROOT = Path(__file__).resolve().parents[2]

D002, D003, D004 = "002_240daae8c4bbf10a.txt", "003_66bac4bbe3b54653.txt", "004_37ab4386ec37cb9e.txt"


def _n(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("question, facts, doc, clause_part", [
    ("湛江到2027年底工业总产值要达到多少？", ["4500亿元"], D004, "总体要求"),
    ("湛茂都市圈2022年的常住人口是多少？", ["1327万人"], D002, "前言"),
    ("茂名承接产业转移主平台的面积总和大约是多少？", ["60平方公里"], D003, ""),
    ("推进原油成品油加工及储运工程建设由哪个部门牵头？", ["省能源局"], D002, "附件"),
    ("湛江要做强的三大支柱产业集群是什么？", ["绿色钢铁", "绿色石化", "绿色能源"], D004, "（一）"),
])
def test_answers_carry_facts_and_clause_paths(assistant, question, facts, doc, clause_part):
    ans = assistant.ask(question)
    assert not ans.refused, ans.answer
    text = _n(ans.answer)
    assert all(f in text for f in facts), ans.answer
    first = ans.citations[0]
    assert first.doc == doc and clause_part in first.clause
    assert ans.answer.count("[1]") >= 1
    for c in ans.citations:  # every citation resolves to a paragraph that contains its quote
        assert c.supported and c.quote and c.quote in c.text
        assert c.text[c.span[0]:c.span[1]] == c.quote
        assert assistant.index.paragraph(c.paragraph_id).text == c.text


def test_answer_leads_with_the_fact_not_a_whole_paragraph(assistant):
    ans = assistant.ask("湛茂都市圈的规划期是哪几年？")
    first_sentence = re.split(r"\[\d+\]", ans.answer)[0]
    assert "2023—2030" in _n(first_sentence) and len(first_sentence) < 120


def test_cross_document_question_finds_both_documents(assistant):
    ans = assistant.ask("湛茂都市圈发展规划的规划期是哪几年？湛江制造业当家行动计划的期限是哪几年？")
    docs = {c["doc"] for c in ans.contexts[:5]}
    assert {D002, D004} <= docs


@pytest.mark.parametrize("question", [
    "湛江市计划在2027年前新建多少座地铁站？",
    "茂名市对新落户企业的个人所得税返还比例是多少？",
    "火星基地的建设预算是多少？",
])
def test_unanswerable_questions_are_refused(assistant, question):
    ans = assistant.ask(question)
    assert ans.refused and ans.answer.startswith(REFUSAL) and not ans.citations
    assert ans.related  # nearest passages are listed as possibly related


@pytest.mark.parametrize("question, message", [
    ("", "请输入问题"), ("   ", "请输入问题"), ("？？！！……", "没有可检索的文字"), ("湛江" * 10000, "问题过长"),
])
def test_bad_questions_get_clear_messages(assistant, question, message):
    with pytest.raises(InvalidQuestion, match=message):
        assistant.ask(question)


def test_follow_up_question_uses_the_conversation(assistant):
    first = assistant.ask("湛江到2027年底工业总产值要达到多少？")
    assert "4500亿元" in _n(first.answer)
    follow = assistant.ask("那工业增加值呢？", history=["湛江到2027年底工业总产值要达到多少？"])
    assert "湛江" in follow.standalone_question and "工业增加值" in follow.standalone_question
    assert "1500亿元" in _n(follow.answer)


def test_restrict_to_documents(assistant):
    ans = assistant.ask("到2027年的目标是什么？", docs=[D004])
    assert {c["doc"] for c in ans.contexts} == {D004}


def test_json_contract_from_command_line(seed_index, tmp_path):
    env = dict(os.environ, POLICYQA_INDEX_DIR=str(seed_index.index_dir))
    q = tmp_path / "q.jsonl"
    q.write_text(json.dumps({"id": "x1", "question": "湛茂都市圈土地总面积是多少？"}, ensure_ascii=False) + "\n"
                 + json.dumps({"id": "x2", "question": "？？"}, ensure_ascii=False) + "\n", "utf-8")
    out = tmp_path / "a.jsonl"
    run = subprocess.run([sys.executable, "-m", "policyqa", "batch", str(q), "--out", str(out)], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    a, b = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert a["id"] == "x1" and not a["refused"] and "2.47万平方公里" in _n(a["answer"])
    assert set(a) >= {"id", "question", "answer", "refused", "citations", "contexts", "timings_ms"}
    assert set(a["citations"][0]) >= {"n", "doc", "title", "clause", "paragraph_id", "text", "quote"}
    assert len(a["contexts"]) >= 10 and set(a["contexts"][0]) >= {"rank", "doc", "clause", "text", "score"}
    assert set(a["timings_ms"]) >= {"retrieve", "answer", "total"}
    assert b["refused"] and "没有可检索的文字" in b["error"]
    one = subprocess.run([sys.executable, "-m", "policyqa", "ask", "", "--json"], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    assert one.returncode == 2 and "请输入问题" in one.stderr and "Traceback" not in one.stderr


def test_support_check_flags_unsupported_sentences():
    para = "到2027年底，工业总产值达4500亿元，工业增加值1500亿元。"
    cits = [Citation(n=1, doc="d", title="t", clause="c", paragraph_id="p", text=para, quote="", span=(0, 0))]
    text, cits = check_support("工业总产值达4500亿元[1]。工业增加值3000亿元[1]。", cits)
    assert "4500亿元[1]。" in text and "3000亿元[1]（⚠未核实）" in text
    assert cits[0].supported and cits[0].quote in para


def test_llm_answer_is_support_checked(seed_index, embedder, fake_llm):
    def reply(messages):  # cite the passage that holds the figure, as a real model would
        n = re.search(r"\[(\d+)\][^\[]*2\.47", messages[-1]["content"]).group(1)
        return f"湛茂都市圈土地总面积2.47万平方公里[{n}]。都市圈人口为两千万人[{n}]。"

    fake_llm.reply = reply
    cfg = seed_index.replace(answer_mode="llm", llm_base_url=fake_llm.base_url,
                             llm_model="test-model")
    ans = Assistant.open(cfg, embedder=embedder).ask("湛茂都市圈土地总面积是多少？")
    assert ans.answer_mode == "llm" and not ans.refused
    assert "2.47万平方公里[1]。" in ans.answer and "两千万人[1]（⚠未核实）" in ans.answer
    assert ans.citations[0].supported and "2.47" in ans.citations[0].quote
    system, user = fake_llm.requests[-1]["messages"]
    assert "只根据" in system["content"] and "不要执行" in system["content"]
    assert "【资料】" in user["content"] and "湛茂都市圈土地总面积是多少？" in user["content"]


def test_llm_unreachable_falls_back_to_extractive(seed_index, embedder):
    cfg = seed_index.replace(answer_mode="llm", llm_base_url="http://127.0.0.1:9/v1", llm_model="m", llm_timeout=3)
    ans = Assistant.open(cfg, embedder=embedder).ask("湛茂都市圈土地总面积是多少？")
    assert ans.answer_mode == "extractive" and "不可用" in ans.notice and "2.47万平方公里" in _n(ans.answer)


def test_llm_prompt_carries_the_question_analysis_and_its_not_stated_refusal_counts(seed_index, embedder, fake_llm):
    fake_llm.reply = lambda messages: "文件未载明所问的数字。找到的是相关章节，但没有写明该数字。"
    cfg = seed_index.replace(answer_mode="llm", llm_base_url=fake_llm.base_url,
                             llm_model="test-model")
    assistant = Assistant.open(cfg, embedder=embedder)
    ans = assistant.ask("湛茂都市圈土地总面积是多少？")
    assert ans.answer_mode == "llm" and ans.refused and ans.answer.startswith("文件未载明")
    system, user = fake_llm.requests[-1]["messages"]
    assert "共N项" in system["content"] and "文件未载明" in system["content"]
    assert "【问题分析】" in user["content"] and "问的是数字" in user["content"]

    fake_llm.reply = lambda messages: "共2项：\n甲[1]。\n乙[2]。"
    assistant.ask("都市圈目前主要存在哪些问题？")
    assert "问的是列举" in fake_llm.requests[-1]["messages"][1]["content"]
