"""A fraction is a figure (三分之二以上 answers 要多少人同意), and a short stage line that states the asked date
answers on its own, without the lines after it."""

from __future__ import annotations

import pytest

from policyqa.text import normalize, strip_marks

SCHEME = """某县2026年农村危房改造工作方案

为保障农村低收入群体住房安全，根据省里有关部署，结合我县实际，制定本方案。

一、工作目标
2026年完成农村危房改造350户，其中拆除重建120户、加固维修230户。到2026年底，改造后的农房全部达到安全标准。

二、改造内容
（一）主体结构加固。主要包括墙体、屋面、地基等结构加固。
（二）配套设施完善。主要包括改厕、改厨和改水。

三、资金安排
改造资金由中央补助资金、县级财政资金和农户自筹资金共同承担。其中，拆除重建户每户补助不超过4万元。

四、实施步骤
（一）申报评定阶段（2月底前）。各乡镇组织农户申报，改造名单须经村民代表会议三分之二以上代表同意。
（二）集中施工阶段（3月至9月）。
（三）竣工验收阶段（10月至11月）。

五、保障措施
县住房城乡建设局牵头负责改造工作的统筹推进，县财政局负责资金保障，各乡镇人民政府负责组织实施。
"""


@pytest.fixture(scope="module")
def county(small_assistant):
    return small_assistant({"scheme.txt": SCHEME})


def _first(ans) -> str:
    return normalize(strip_marks(ans.answer)).split("。")[0]


def test_a_fraction_answers_how_many_must_agree(county):
    ans = county.ask("危房改造名单要多少村民代表同意？")
    assert not ans.refused, ans.answer
    assert "三分之二以上" in _first(ans), ans.answer


def test_a_stage_line_stating_the_date_answers_alone(county):
    ans = county.ask("危房改造什么时候开始施工？")
    assert not ans.refused, ans.answer
    text = normalize(strip_marks(ans.answer))
    assert "3月至9月" in _first(ans), ans.answer
    assert "保障措施" not in text and "竣工验收" not in text, ans.answer
