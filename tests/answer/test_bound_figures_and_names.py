"""A figure answers only for the deed it is bound to (公示7天 is no answer to 复审要多少天), an article's number is no
figure (第五条 answers no 多少个), a year asked as a start needs a year stated as one, names asked with 叫什么名字 are
the members' names, and everyday words (镇里, 电瓶, 几点关门) reach the document's terms."""

from __future__ import annotations

import pytest

from policyqa.text import normalize, strip_marks

NOTICE = """东川区关于开展2027年度人才公寓申请的公告

为解决新引进人才的阶段性住房困难，现就2027年度人才公寓申请有关事项公告如下：

一、房源情况
本次共推出人才公寓260套，分布在翠湖苑、云杉小区和望江家园三个项目。

二、办理流程
申请人向所在街道便民服务中心提交材料。街道便民服务中心应当自受理之日起12个工作日内完成初审；区人才服务中心在收到初审材料后8个工作日内完成复审。复审合格的，在区政府网站公示5天。

三、其他事项
申请人才公寓不收取任何费用。
"""

NEWS = """东川区三座口袋公园建成开放

本报讯 今年东川区新建的三座口袋公园近日建成开放，新增绿地面积3.6公顷。三座公园分别是银杏公园、石榴湾公园和北塘公园。
其中，银杏公园开放时间为每日6时至22时。

全区全年化解矛盾纠纷418件，调解成功率达到97.2%。
"""

RULES = """东川区绿道管理办法

第一条 为了加强绿道管理，制定本办法。

第五条 绿道的配套设施应当包括驿站、公共厕所、标识系统和照明设施。

第六条 在绿道内禁止下列行为：
（一）驾驶机动车通行；
（二）擅自改装电动自行车的蓄电池或者限速装置。

第七条 违反本办法第六条第（二）项规定的，由区城市管理部门处一百元以上五百元以下罚款。

第三章 法律责任

第八条 违反本办法第九条规定的，由区城市管理部门责令改正；拒不改正的，处二百元以上一千元以下罚款。

第九条 在绿道内禁止下列行为：
（一）擅自搭建建筑物、构筑物；
（二）在非指定区域烧烤。

第十条 绿道驿站站长由所在街道办事处副主任担任，负责驿站的日常管理。
"""


@pytest.fixture(scope="module")
def district(small_assistant):
    return small_assistant({"notice.txt": NOTICE, "news.txt": NEWS, "rules.txt": RULES})


def _first(ans) -> str:
    return normalize(strip_marks(ans.answer)).split("。")[0]


def test_a_span_answers_for_the_deed_it_is_bound_to(district):
    ans = district.ask("复审要多少天？")
    assert not ans.refused, ans.answer
    assert "8个工作日" in _first(ans) and "5天" not in _first(ans), ans.answer
    ans = district.ask("街道初审要在多少天内完成？")
    assert "12个工作日" in _first(ans), ans.answer


def test_a_start_year_not_stated_is_refused(district):
    ans = district.ask("人才公寓是从哪一年开始在东川区推出的？")
    assert ans.refused, ans.answer


def test_an_article_number_is_no_figure(district):
    ans = district.ask("绿道里的公共厕所要建多少个？")
    assert ans.refused, ans.answer  # 第五条 lists the facilities; how many toilets it does not say


def test_names_asked_with_what_they_are_called(district):
    ans = district.ask("新建的三座公园叫什么名字？")
    assert not ans.refused, ans.answer
    first = _first(ans)
    assert all(n in first for n in ("银杏公园", "石榴湾公园", "北塘公园")), ans.answer
    ans = district.ask("人才公寓在哪几个小区？")
    assert all(n in _first(ans) for n in ("翠湖苑", "云杉小区", "望江家园")), ans.answer


def test_a_park_the_question_stands_in_is_no_class_of_names(district):
    ans = district.ask("绿道里要配哪些设施？")
    assert not ans.refused, ans.answer
    assert "驿站" in ans.answer and "公共厕所" in ans.answer, ans.answer


def test_a_fine_is_quoted_with_what_it_escalates_and_the_item_it_is_for(district):
    ans = district.ask("在绿道里乱搭棚子会被罚多少钱？")
    assert not ans.refused, ans.answer
    text = normalize(strip_marks(ans.answer))
    first = _first(ans)
    # the rule's condition and the fine in one quote, then the cited item that names the deed
    assert "责令改正；拒不改正的" in first and "二百元以上一千元以下" in first, ans.answer
    assert "擅自搭建建筑物、构筑物" in text and "烧烤" not in text, ans.answer


def test_a_post_answers_who_holds_a_role(district):
    ans = district.ask("绿道驿站的站长由谁来担任？")
    assert not ans.refused, ans.answer
    assert "街道办事处副主任" in _first(ans), ans.answer


@pytest.mark.parametrize("question, figure", [
    ("区里的矛盾纠纷调解成功的比例是多少？", "97.2%"),  # 区里 is the asker's own district, 比例 a 率
    ("银杏公园晚上几点关门？", "22时"),
    ("乱改电动车的电瓶会被罚多少钱？", "一百元以上五百元以下"),
])
def test_everyday_words_reach_the_documents_terms(district, question, figure):
    ans = district.ask(question)
    assert not ans.refused, ans.answer
    assert figure in _first(ans), ans.answer
