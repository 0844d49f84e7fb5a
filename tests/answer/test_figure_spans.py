"""A number answer quotes from the clause naming what is measured through the asked figure: a news dateline, a
quotation or other measures' figures before it go, whatever the sentence's length; a short one-figure sentence
and a condition its fine is for stay whole. Every quote stays one verbatim span of its sentence."""

from __future__ import annotations

import pytest

from policyqa.answer.compose import trim
from policyqa.text import normalize, strip_marks

NEWS = """青禾日报 2026年5月10日 第三版

青禾镇网上卖桃 一季度销售额翻番

本报讯（记者 林晓 通讯员 马丽）记者从青禾镇人民政府获悉，今年一季度，青禾镇通过网店销售鲜桃等农产品960万元，同比增长105%，带动全镇果农户均增收约3100元。

“以前桃子熟了只能拉到集市上卖，价格压得很低。现在网上订单多，一箱能多卖二三十块钱。”青禾镇东坡村果农刘长河说，他家6亩桃园今年网上销售收入达到4.8万元。
"""

BULLETIN = """青禾县2025年统计公报

全年一般公共预算收入26.3亿元，比上年增长5.1%，其中税收收入17.8亿元，增长4.6%，税收收入占一般公共预算收入的比重为67.7%。

全县新建乡村公路18公里。
"""

RULES = """青禾县生活垃圾分类管理办法

第二十条 单位未按规定分类投放生活垃圾的，由城市管理部门责令改正；拒不改正的，处五百元以上二千元以下罚款。
"""


@pytest.fixture(scope="module")
def town(small_assistant):
    return small_assistant({"news.txt": NEWS, "bulletin.txt": BULLETIN, "rules.txt": RULES})


def _first(ans) -> str:
    return normalize(strip_marks(ans.answer)).split("。")[0]


def test_the_dateline_goes_and_the_asked_figure_leads(town):
    ans = town.ask("青禾镇果农户均增收多少钱？")
    assert not ans.refused, ans.answer
    first = _first(ans)
    assert "3100元" in first, ans.answer
    assert "本报讯" not in first and "获悉" not in first, ans.answer
    assert first.startswith("今年一季度"), ans.answer  # the time the figures are for stays with them
    assert all(c.quote in c.text for c in ans.citations)


def test_a_quotation_before_the_figure_goes_the_speaker_stays(town):
    ans = town.ask("刘长河家今年网上销售收入有多少？")
    assert not ans.refused, ans.answer
    first = _first(ans)
    assert "4.8万元" in first and "刘长河" in first, ans.answer
    assert "以前桃子" not in first, ans.answer


def test_among_several_figures_the_quote_starts_at_the_asked_measure(town):
    ans = town.ask("青禾县税收收入占一般公共预算收入的比重是多少？")
    assert not ans.refused, ans.answer
    first = _first(ans)
    assert first.startswith("税收收入占一般公共预算收入的比重"), ans.answer
    assert "67.7%" in first and "26.3亿元" not in first, ans.answer


def test_a_condition_stays_with_its_fine(town):
    ans = town.ask("单位拒不改正垃圾分类的罚款多少？")
    assert not ans.refused, ans.answer
    first = _first(ans)
    assert "五百元以上二千元以下罚款" in first and "拒不改正的" in first, ans.answer


# pure trim: the span of one sentence, given the question's weights and focus

def _span(text: str, weights: dict[str, float], focus: tuple[str, ...]) -> str:
    s, e = trim(text, weights, want_number=True, focus=focus)
    return text[s:e]


def test_trim_drops_a_dateline():
    text = "本报讯（记者林晓）记者从青禾镇人民政府获悉，今年一季度，青禾镇销售鲜桃960万元，同比增长105%，带动全镇果农户均增收约3100元。"
    span = _span(text, {"果农": 10.0, "每户": 9.0, "青禾镇": 10.0, "网上": 6.0}, ("果农",))
    assert span.startswith("今年一季度，"), span  # the dateline goes; the clause saying when stays
    assert span in text


def test_trim_keeps_a_clause_of_scope():
    text = "据某市海关统计，截至8月4日，该关监管月饼出口货值超300万元，主要销往北美、东南亚等市场。"
    assert _span(text, {"月饼": 10.0, "出口": 6.0, "货值": 8.0}, ("货值",)).startswith("截至8月4日"), text
    text = "乙段：主线长601.35公里，支线长107.54公里，经过甲城区、东岛等9个镇。"
    assert _span(text, {"乙段": 10.0, "镇": 3.0, "经过": 5.0}, ("镇",)).startswith("乙段："), text


def test_trim_starts_at_the_asked_measure_among_several_figures():
    text = "年末全县户籍人口38.2万人，常住人口33.5万人，其中城镇常住人口17.1万人，常住人口城镇化率为51.0%，比上年末提高1.2个百分点。"
    span = _span(text, {"常住人口": 10.0, "城镇化率": 10.0}, ("常住人口", "城镇化率"))
    assert span.startswith("常住人口城镇化率为51.0%"), span
    assert span.endswith("比上年末提高1.2个百分点。"), span


def test_trim_keeps_a_short_one_figure_sentence_whole():
    text = "对符合条件的家庭农场，每户补贴2万元。"
    assert _span(text, {"家庭农场": 10.0, "补贴": 7.0}, ("补贴",)) == text


def test_trim_keeps_a_condition_with_its_fine():
    text = "违反本办法规定，在公共场所随意倾倒建筑垃圾的，由城市管理部门责令改正，处五千元以上五万元以下罚款。"
    assert _span(text, {"倾倒": 8.0, "建筑垃圾": 9.0, "罚款": 6.0}, ("罚款",)) == text


def test_trim_keeps_a_figure_in_the_first_clause_with_the_rest():
    text = "全年粮食产量35.6万吨，比上年增长2.1%，其中稻谷21.3万吨。"
    assert _span(text, {"粮食产量": 10.0}, ("粮食产量",)) == text


def test_trim_keeps_the_subject_of_a_change():
    text = "按常住人口计算，全年人均地区生产总值61520元，比上年增长6.5%，城镇居民人均可支配收入42100元，增长5.0%。"
    span = _span(text, {"比": 1.0, "上年": 5.0, "增长": 6.0}, ())
    assert span.startswith("按常住人口计算，全年人均地区生产总值"), span
