"""Parallel clauses that open with the same word (坚持…；坚持…) are a list's items, in document order; a child
heading that names what is asked is not climbed over to its parent's siblings; another paragraph's 一是…二是…
does not answer a measures question its best sentence answers; a short step lead ending on a condition (…的，)
keeps its consequence."""

from __future__ import annotations

import pytest

from policyqa.text import normalize, strip_marks

PLAN = """某县智慧养老服务三年行动方案（2026—2028年）

为提升养老服务水平，结合我县实际，制定本方案。

第一章 现状和重要意义

第一节 现状

近年来，我县养老服务体系逐步完善，建成乡镇敬老院14所，社区日间照料中心52个。

同时也要看到，养老服务仍有不少短板。一是护理人员流动性大，专业护理员缺口较大；二是服务设施分布不均，偏远山区老人就近养老难；三是信息系统分散，各部门老人数据没有打通。

第二节 重要意义

推进智慧养老服务，有利于提升居家老人安全防护水平，及时发现跌倒等意外情况；有利于优化养老服务资源配置，降低机构运营成本；有利于减轻子女照护负担，让在外务工人员安心工作。

第二章 总体要求

第一节 工作原则

坚持政府主导、社会参与；坚持因地制宜、分类施策；坚持需求牵引、注重实效；坚持数据安全、规范运行。

第三章 组织实施

一、加强组织领导。成立县智慧养老工作领导小组，由分管副县长任组长，统筹推进各项工作。

二、加大资金投入。县财政每年安排智慧养老专项资金不少于600万元，并积极争取上级补助资金。

三、加强队伍建设。每年组织养老护理员技能培训不少于500人次。
"""

NOTICE = """某区关于发放2026年度高龄津贴的通知

各街道、镇：

为落实高龄老人津贴政策，现将有关事项通知如下。

一、发放对象

具有本区户籍、年满80周岁的老年人。

二、发放标准

80至89周岁老人每人每月100元，90周岁以上老人每人每月300元。

三、办理程序

（一）申报。老年人或者其家属向户籍所在地社区居委会提出申请。

（二）审核。街道办事处在收到申请之日起10个工作日内完成审核，并在社区公示7日。

（三）发放。经公示无异议的，区民政局于次月15日前将津贴打入老人本人银行账户。

四、其他事项

本通知自发布之日起施行。
"""


@pytest.fixture(scope="module")
def county(small_assistant):
    return small_assistant({"plan.txt": PLAN, "notice.txt": NOTICE})


def _text(ans) -> str:
    return normalize(strip_marks(ans.answer))


def test_parallel_principles_are_all_items_in_document_order(county):
    ans = county.ask("行动方案要坚持哪些工作原则？")
    assert not ans.refused, ans.answer
    text = _text(ans)
    principles = ["政府主导、社会参与", "因地制宜、分类施策", "需求牵引、注重实效", "数据安全、规范运行"]
    at = [text.find(p) for p in principles]
    assert all(i >= 0 for i in at), ans.answer
    assert at == sorted(at), ans.answer


def test_significance_is_its_clauses_not_sibling_headings(county):
    ans = county.ask("推进智慧养老服务有什么重要意义？")
    assert not ans.refused, ans.answer
    text = _text(ans)
    for clause in ("提升居家老人安全防护水平", "优化养老服务资源配置", "减轻子女照护负担"):
        assert clause in text, ans.answer
    assert "第一节" not in text and "现状" not in text, ans.answer


def test_measures_question_is_not_answered_by_another_paragraphs_problems(county):
    ans = county.ask("某县怎么保障智慧养老的资金？")
    assert not ans.refused, ans.answer
    text = _text(ans)
    assert "600万元" in text, ans.answer
    assert "一是" not in text and "护理人员流动性大" not in text, ans.answer


def test_a_step_lead_ending_on_a_condition_keeps_its_consequence(county):
    ans = county.ask("高龄津贴的办理程序分哪几步？")
    assert not ans.refused, ans.answer
    text = _text(ans)
    assert "申报" in text and "审核" in text, ans.answer
    assert "经公示无异议的，区民政局" in text, ans.answer
