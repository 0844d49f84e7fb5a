"""Question analysis: intents on our labelled questions, and the parts the answerer relies on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policyqa.answer.analysis import Attribute, Intent, analyze, split_question

LABELLED = Path(__file__).resolve().parents[2] / "eval" / "intents.jsonl"


def test_intents_of_the_labelled_questions():
    rows = [json.loads(line) for line in LABELLED.read_text("utf-8").splitlines() if line.strip()]
    wrong = [(r["question"], r["intent"], str(analyze(r["question"]).intent)) for r in rows
             if analyze(r["question"]).intent != Intent(r["intent"])]
    assert not wrong


@pytest.mark.parametrize("question, target, count", [
    ("当前主要存在哪些问题？", "问题", None),
    ("重点发展哪三大产业集群？", "集群", 3),
    ("有哪些合作共建模式？", "模式", None),
    ("哪些情形可以申请延期？", "情形", None),
])
def test_list_questions_name_what_is_listed(question, target, count):
    a = analyze(question)
    assert a.wants_list and a.target == target and a.count == count


def test_count_alone_is_a_number_and_items_with_count_a_list():
    assert analyze("试点县一共有几个？").intent is Intent.NUMBER
    a = analyze("一共有几个方面的目标？")
    assert a.intent is Intent.LIST and a.wants_count


def test_number_question_focus_unit_scope_and_years():
    a = analyze("《示范区建设方案》提出到2025年粮食产量达到多少万吨？")
    assert a.asks_number and a.unit == "万吨" and a.scope == ("示范区建设方案",) and a.years == ("2025",)
    assert "粮食产量" in "".join(a.focus)


def test_document_attributes_and_what_kind_of():
    assert analyze("这份通知是哪个部门印发的？").attribute is Attribute.ISSUER
    assert analyze("办法是什么时候发布的？").attribute is Attribute.DATE
    assert analyze("条例从什么时候开始施行？").attribute is Attribute.EFFECTIVE  # the day it takes effect, not issued
    assert analyze("要按照怎样的发展逻辑推进？").intent is Intent.FACT  # 怎样的 X asks what X is, not how


def test_compound_questions_split_into_parts():
    # a bare second part asks about the first part's subject
    assert split_question("规划期是哪几年？展望到哪一年？") == ["规划期是哪几年？", "规划期展望到哪一年？"]
