"""A pet rule, a street-stall rule and a night-market report, written for these tests:
- a lay question is answered in the rule's words: 狗主人 is the 养犬人, 狗咬了人 (with its aspect particle) is 犬只伤人,
  再养 asks the 限养 number, 几点开门 asks the 营业时间;
- 会被怎么处罚 gets the sanction that cites the deed's rule with its items (the fines listed below its colon);
- a list question whose best sentence is a sanction citing another article of its rule (违反本规定第十条规定…，
  按照下列规定处以罚款：) is answered with the cited article's items, not with the fines;
- the noun after a verb's preposition (住在城镇的比例) is what the question measures, not 在城镇;
- 牵头单位和责任单位分别有哪些 is answered by the task's field lines, not by the list of tasks."""

from __future__ import annotations

import pytest

from policyqa.answer.analysis import analyze

PETS = """戌市犬只管理规定

第八条 在城区内，每户限养一只犬。
第九条 养犬人不得遗弃犬只，不得虐待犬只。
第十五条 犬只伤人的，养犬人应当立即将被伤害人送医诊治，并先行垫付医疗费用；造成他人损害的，养犬人应当依法承担侵权责任。
第三十条 违反本规定第九条规定，遗弃犬只的，由公安机关处五百元以上一千元以下罚款。
"""

STALLS = """戌市流动摊贩管理规定

第十条 经营者应当遵守市容管理要求，不得从事下列行为：
（一）出售过期变质食品；
（二）占用消防通道、盲道；
（三）使用高音喇叭招揽顾客。
第十一条 经营者应当保持摊位整洁，收摊后清理垃圾。
第二十六条 违反本规定第十条规定，流动摊贩违规摆摊经营的，由城市管理部门责令改正，并按照下列规定处以罚款：
（一）初次违规摆摊经营的，处二百元以上五百元以下罚款；
（二）一年内再次违规摆摊经营的，处五百元以上一千元以下罚款。
"""

NEWS = """戌州晚报

老街夜市重新开张

本报讯 经过三个月改造，老街夜市昨晚重新开张。夜市共设摊位320个，夜市营业时间为每天17时至23时，周末延长至24时。
“改造后环境好多了。”摊主刘先生说。据介绍，夜市实行统一管理，摊位费每月600元。
"""

PLAN = """戌市老旧小区改造实施方案

二、重点任务
（一）科学编制改造计划。各县（区）要摸清底数，建立改造项目库。
牵头单位：市住建局
责任单位：市发展改革委、市财政局
（二）着力破解电动自行车“充电难”。改造小区要按照不低于居民户数15%的比例配建充电端口。
牵头单位：市住建局、市消防救援支队
责任单位：市市场监管局、国网戌市供电公司，各县（区）人民政府
（三）补齐养老托育设施短板。改造小区要配建社区养老服务站。
牵头单位：市民政局
责任单位：市卫生健康委、市财政局
"""


@pytest.fixture(scope="module")
def corpus(small_assistant):
    return small_assistant({"pets.txt": PETS, "stalls.txt": STALLS, "news.txt": NEWS, "plan.txt": PLAN})


@pytest.mark.parametrize("question, fact", [
    ("家里的狗把邻居咬了，主人要担什么责任？", "侵权责任"),
    ("狗咬了人，主人要先做什么？", "送医诊治"),
    ("家里已经养了一只狗，还能再养一只吗？", "每户限养一只犬"),
    ("老街夜市晚上几点收摊？", "17时至23时"),
])
def test_lay_words_find_the_rule(corpus, question, fact, answered):
    assert fact in answered(corpus, question)


@pytest.mark.parametrize("question", ["流动摊贩摆摊经营时，规定不允许做哪些事？", "流动摊贩摆摊有哪些违规行为？"])
def test_a_list_led_by_a_sanction_lists_the_cited_rule(corpus, question, answered):
    text = answered(corpus, question)
    assert all(item in text for item in ("出售过期变质食品", "占用消防通道", "使用高音喇叭")), text
    assert "二百元以上五百元以下" not in text, text


def test_a_question_about_the_fines_gets_the_sanction_and_its_items(corpus, answered):
    text = answered(corpus, "流动摊贩占用消防通道会被怎么处罚？")
    assert "二百元以上五百元以下" in text and "五百元以上一千元以下" in text, text


def test_the_noun_after_a_verbs_preposition_is_the_focus():
    assert analyze("去年年底常住人口里住在城镇的比例是多少？").focus == ("城镇",)
    assert analyze("全市有多少在校生？").focus == ("在校生",)


def test_the_departments_of_a_task_are_its_field_lines(corpus, answered):
    text = answered(corpus, "“破解电动自行车充电难”这项任务，牵头单位和责任单位分别有哪些？")
    assert "市住建局、市消防救援支队" in text and "市市场监管局" in text, text
    assert "科学编制改造计划" not in text, text
