"""A Q&A on an allowance, a market rule and a plan, written for these tests: a question that words the asked figure
its own way is answered, not refused, when the one clear sentence states a figure in the asked unit:
- the asker's term the sentence lacks (申请材料 for 材料) names no other figure of the passages;
- but a kind of the quantity the sentence measures (耕地面积 for 土地总面积) is another figure, and is refused."""

from __future__ import annotations

import pytest

from policyqa.text import normalize, strip_marks

QA = """亥市高龄津贴政策问答

问一：哪些老人可以领取高龄津贴？
答：具有本市户籍、年满80周岁的老年人，可以申请高龄津贴。

问二：申请高龄津贴需要准备哪些申请材料？
答：申请材料包括身份证、户口簿和本人银行账户信息，委托他人代办的还需提供代办人身份证。

问三：提交申请后多久能办好？
答：材料齐全的情况下，一般在15个工作日内可以办结。

问四：津贴什么时候发放？
答：高龄津贴按月发放，每月10日前打入老人本人的银行账户。
"""

PLAN = """亥州都市圈发展规划

第一章 发展基础

亥州都市圈包括亥州、巳州两市全域，土地总面积2.35万平方公里，2023年地区生产总值达5120亿元，常住人口936万人。
"""


@pytest.fixture(scope="module")
def corpus(small_assistant):
    return small_assistant({"qa.txt": QA, "plan.txt": PLAN})


def test_a_figure_asked_with_the_askers_own_term_is_answered(corpus):
    ans = corpus.ask("亥市高龄津贴申请材料齐全时，一般多少个工作日内可以办结？")
    assert not ans.refused, ans.answer
    assert "15个工作日" in normalize(strip_marks(ans.answer)), ans.answer


@pytest.mark.parametrize("question", ["亥州都市圈的耕地面积有多大？", "亥州都市圈有多少户籍人口？"])
def test_a_kind_of_the_stated_quantity_is_refused(corpus, question):
    ans = corpus.ask(question)
    assert ans.refused, ans.answer
