"""A subsidy notice and a childcare fee rule, written for these tests:
- a figure of one level of government does not answer for another (县（区）财政配套多少 → not 市级财政…);
- a rate per one span does not answer for another (临时托每小时 → not 每月…);
- the items a sentence opens with 包括： are the list (…材料包括：A；B；C；D。), each its own item;
- 三年一共 asks for the total row of a table of years (年度：合计), not one year's;
- 方案说…会倾斜，每个能多拿多少: 方案 names where the asker read it, not a word the answer must hold;
- 全市的生产总值 is the whole's figure, not a district's row of the table below it;
- …这项工作由哪个单位牵头: the task's own 牵头单位 line answers (a fire brigade, 支队, is a body); 这项工作 points back,
  it is no word to hold."""

from __future__ import annotations

import pytest

from policyqa.answer.analysis import analyze

NOTICE = """亥市社区便民服务网点建设补助申报通知

二、补助标准
对符合条件的便民服务网点，市级财政按照每个网点10万元的标准给予一次性建设补助。对纳入老旧小区改造计划同步建设的网点，在基础补助的基础上每个网点增加补助2万元。全年市级财政共安排补助资金2600万元。

三、申报材料
申报单位需要提交的材料包括：网点建设补助申请表；营业执照复印件；网点建设预算书；单位银行账户信息。材料一式两份，报所在街道审核。
"""

FEES = """亥市托育机构收费管理办法

第五条 托育机构可以提供全日托、半日托和临时托服务。
第六条 普惠托育机构全日托每月保育费不超过1500元，半日托每月保育费不超过900元。
第七条 托育机构应当在醒目位置公示收费项目和标准。
"""


PLAN = """亥市便民服务网点建设三年行动方案（2025—2027年）

二、主要目标
到2027年，全市新建便民服务网点360个。

表1 年度目标
年度｜新建网点（个）｜服务人口（万人）
2025年｜100｜12
2026年｜120｜15
2027年｜140｜18
合计｜360｜45

三、重点任务
（一）网点消防通道整治
清理网点周边占用消防通道的杂物，配置灭火器材。
牵头单位：市消防救援支队
责任单位：各区人民政府
（二）网点店招规范
统一网点店招样式。
牵头单位：市城市管理局
责任单位：市市场监管局
"""


BULLETIN = """亥市2025年国民经济和社会发展统计公报

一、综合
初步核算，全年全市实现生产总值1206.45亿元，按不变价格计算，比上年增长5.3%。

表1 2025年各区地区生产总值
县市区｜地区生产总值（亿元）｜比上年增长（%）
东湖区｜312.60｜5.8
西岭区｜268.15｜4.9
南川县｜190.32｜6.1
"""


@pytest.fixture(scope="module")
def corpus(small_assistant):
    return small_assistant({"notice.txt": NOTICE, "fees.txt": FEES, "plan.txt": PLAN, "bulletin.txt": BULLETIN})


def test_another_levels_figure_is_no_answer(corpus, answered):
    ans = corpus.ask("便民服务网点建设，县（区）财政每个网点配套补助多少钱？")
    assert ans.refused, ans.answer
    assert "10万元" in answered(corpus, "便民服务网点建设，市级财政每个网点补助多少钱？")


def test_a_rate_per_another_span_is_no_answer(corpus, answered):
    ans = corpus.ask("普惠托育机构的临时托每小时最多收多少钱？")
    assert ans.refused, ans.answer
    assert "1500元" in answered(corpus, "普惠托育机构的全日托每月最多收多少钱？")


def test_items_opened_by_includes_are_the_list(corpus, answered):
    text = answered(corpus, "申报便民服务网点建设补助需要提交哪些材料？")
    assert all(x in text for x in ("申请表", "营业执照复印件", "预算书", "银行账户信息")), text
    assert "共4项" in text, text


def test_a_total_asked_after_a_year_is_the_total(corpus, answered):
    text = answered(corpus, "便民服务网点三年行动里，2026年要新建多少个网点？三年一共要建多少个？")
    assert "120" in text and "360" in text, text


def test_the_document_the_asker_read_is_no_word_to_hold(corpus, answered):
    question = "同步建设的便民服务网点，方案说补助会倾斜，每个能多拿多少钱？"
    assert "方案" not in analyze(question).focus
    text = answered(corpus, question)
    assert "2万元" in text.split("。")[0], text


def test_a_tasks_lead_body_is_its_own_field(corpus, answered):
    question = "便民网点打通消防通道、配置灭火器材这项工作由哪个单位牵头？"
    assert "工作" not in analyze(question).focus
    text = answered(corpus, question)
    assert "市消防救援支队" in text.split("。")[0] and "市城市管理局" not in text, text


def test_the_wholes_figure_is_not_a_districts_row(corpus, answered):
    text = answered(corpus, "亥市2025年地区生产总值是多少？比上年增长了多少？")
    assert "1206.45亿元" in text and "5.3%" in text, text
    assert "312.60" not in text, text
