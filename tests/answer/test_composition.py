"""Answers of each kind on a small corpus written for these tests (not the seeds): the asked fact first, whole
lists from the document's structure, gathered reasons, and the two refusals."""

from __future__ import annotations

import pytest

from policyqa.answer.types import NOT_STATED_LEAD, REFUSAL
from policyqa.text import normalize, strip_marks

PLAN = """青禾县农村人居环境整治三年行动方案（2024—2026年）

一、总体要求
以改善农村人居环境为目标，统筹推进垃圾、污水、厕所“三大革命”，建设宜居宜业和美乡村。

二、重要意义
整治农村人居环境，是实施乡村振兴战略的重要任务。
有利于补齐农村基础设施短板。推动城乡基础设施一体规划、一体建设、一体管护。
有利于增进农民群众福祉。让农民群众在家门口享受干净整洁的生活环境。
有利于促进乡村产业发展。以环境改善带动乡村旅游、民宿经济等新业态。

三、主要任务
（一）推进农村生活垃圾治理。健全收运处置体系，到2026年农村生活垃圾收运处置体系覆盖率达到98%。
（二）推进农村生活污水治理。优先治理水源保护区和城乡接合部的生活污水。
（三）推进农村厕所革命。新建改建户用卫生厕所1.2万座。
（四）提升村容村貌。开展村庄清洁行动，整治乱搭乱建。

四、保障措施
加大资金投入。县财政每年安排专项资金，对完成改厕任务的农户给予奖补。
强化督导考核。将整治工作纳入乡镇年度绩效考核（牵头单位：县农业农村局；参加单位：县住房城乡建设局）。
"""

NEWS = """全县上半年粮食产量达到12.5万吨
本报讯 今年以来，全县抓紧抓实粮食生产，夏粮获得丰收，种植结构持续优化。
全县新建高标准农田3.6万亩，主要农作物耕种收综合机械化率达到78%。
"""


@pytest.fixture(scope="module")
def small(small_assistant):
    return small_assistant({"plan.txt": PLAN, "news.txt": NEWS})


def _lines(answer) -> list[str]:
    return [normalize(strip_marks(line)) for line in answer.answer.split("\n") if line.strip()]


def test_list_question_gets_every_child_clause_with_the_count(small):
    ans = small.ask("行动方案有哪些主要任务？")
    lines = _lines(ans)
    assert lines[0] == "共4项："
    for item in ("推进农村生活垃圾治理", "推进农村生活污水治理", "推进农村厕所革命", "提升村容村貌"):
        assert any(item in line for line in lines[1:]), ans.answer
    assert len(ans.citations) == 4 and all(c.supported for c in ans.citations)


def test_reason_question_gathers_every_stated_reason(small):
    ans = small.ask("为什么要整治农村人居环境？")
    text = normalize(strip_marks(ans.answer))
    for reason in ("补齐农村基础设施短板", "增进农民群众福祉", "促进乡村产业发展"):
        assert reason in text, ans.answer


def test_measures_under_the_heading_that_names_them(small):
    ans = small.ask("方案有哪些保障措施？")
    text = normalize(strip_marks(ans.answer))
    assert "加大资金投入" in text and "强化督导考核" in text, ans.answer


def test_number_in_a_headline_answers_first(small):
    ans = small.ask("全县上半年粮食产量是多少？")
    assert not ans.refused
    assert "12.5万吨" in _lines(ans)[0], ans.answer


def test_number_question_leads_with_the_number_and_its_unit(small):
    ans = small.ask("计划新建改建多少座户用卫生厕所？")
    assert "1.2万座" in _lines(ans)[0], ans.answer


def test_department_question_names_the_department(small):
    ans = small.ask("整治工作的督导考核由哪个部门牵头？")
    assert not ans.refused and "县农业农村局" in normalize(ans.answer), ans.answer


def test_amount_the_section_does_not_state_is_not_stated_not_another_number(small):
    ans = small.ask("对完成改厕任务的农户每户奖补多少元？")
    assert ans.refused, ans.answer
    assert ans.answer.startswith(NOT_STATED_LEAD) and "保障措施" in ans.answer
    assert "98%" not in ans.answer and "1.2万" not in ans.answer


def test_issuer_a_document_does_not_name_is_not_stated(small):
    ans = small.ask("这份农村人居环境整治三年行动方案是哪个部门印发的？")
    assert ans.refused and ans.answer.startswith(NOT_STATED_LEAD), ans.answer


def test_question_about_nothing_indexed_is_not_found(small):
    ans = small.ask("城市轨道交通票价如何调整？")
    assert ans.refused and ans.answer.startswith(REFUSAL)


def test_paraphrased_question_finds_the_sentence_by_meaning(small):
    ans = small.ask("农作物从耕地到收获靠机械完成的比例是多少？")
    assert not ans.refused and "78%" in _lines(ans)[0], ans.answer


def test_list_question_quoting_a_heading_lists_that_headings_items(small):
    # the heading is asked for by name, so its items answer, not a sentence that shares its words
    ans = small.ask("方案在“主要任务”这一部分安排了哪几项工作？")
    lines = _lines(ans)
    assert lines[0] == "共4项：" and len(lines) == 5, ans.answer
    assert "推进农村生活垃圾治理" in lines[1] and "提升村容村貌" in lines[4]


def test_a_quoted_name_that_is_not_a_heading_keeps_the_sentence_answer(small):
    ans = small.ask("“三大革命”指的是哪些方面的整治？")
    assert not ans.refused and "垃圾、污水、厕所" in normalize(strip_marks(ans.answer))


def test_a_policy_qa_answer_is_quoted_without_its_label():
    from policyqa.answer.compose import Citations, quoted
    from policyqa.answer.types import Passage

    text = "答：未在集中缴费期内缴费的，待遇享受设三个月等待期。"
    p = Passage(doc="qa.txt", title="问答", clause=("问：为什么要按时缴费？",), paragraph_id="p1", paragraph=text,
                start=0, end=len(text), rank=1)
    cites = Citations()
    out = quoted(p, 0, len(text), cites)
    assert out == "未在集中缴费期内缴费的，待遇享受设三个月等待期[1]。"
    assert cites.all()[0].quote.startswith("未在")  # the citation covers the quote only
    short = "答：有。"
    q = Passage(doc="qa.txt", title="问答", clause=(), paragraph_id="p2", paragraph=short, start=0, end=4, rank=1)
    assert quoted(q, 0, len(short), Citations()).startswith("答：有")  # a bare 有 would say nothing
