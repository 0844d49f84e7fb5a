"""A boating rule, a village's self-government rules and a renovation notice, written for these tests: a lay question
that measures the asker against a rule is answered with the rule, not refused:
- 我女儿今年16岁，能自己开游船吗 is answered by the rule's bound in the asker's unit (年满十八周岁), though the
  asker's story is not in it;
- 要多少人同意才算数 is answered by a vote's threshold, a share of the people (三分之二以上的村民);
- lay words stand for the official ones (投票 → 表决, 贴出来 → 公示);
- but an asker's age does not make any age rule an answer: a deed the documents do not speak of is refused."""

from __future__ import annotations

import pytest


BOATS = """亥市公园游船安全管理规定

第六条 公园游船的驾驶人应当年满十八周岁，并经公园管理单位安全培训。
第七条 游船实行限额载客，每条游船乘坐人数不得超过四人，乘船人员应当穿着救生衣。
第八条 遇大风、暴雨等恶劣天气，公园管理单位应当停止游船营业。
"""

VILLAGE = """亥市村民委员会自治章程示范文本

第十二条 村民会议由本村十八周岁以上的村民组成。召开村民会议，应当有本村十八周岁以上村民的过半数参加，或者有本村三分之二以上的户的代表参加。
第十三条 村民会议所作决定应当经到会人员的过半数通过。
第十四条 涉及村民利益的事项，经村民会议讨论决定后，应当在村务公开栏公示，公示时间不少于10天。
"""

NEWS = """亥州晚报

暑期公园游船迎来客流高峰

本报讯 暑假以来，市区各公园游船日均接待游客1200人次。记者在湖滨公园码头看到，不少家长带着孩子排队乘坐游船，工作人员逐一为游客检查救生衣。
“孩子放假了，带他来湖上玩一玩。”市民张女士说。公园管理单位表示，暑期将增加码头安全巡查，确保游客安全。
"""

NOTICE = """亥市老旧小区改造实施细则

三、居民意愿征询
改造方案应当经小区三分之二以上的居民户参与表决，并经参与表决的居民户三分之二以上同意。表决结果在小区显著位置公示，公示期不少于7天。
"""


@pytest.fixture(scope="module")
def corpus(small_assistant):
    return small_assistant({"boats.txt": BOATS, "village.txt": VILLAGE, "notice.txt": NOTICE, "news.txt": NEWS})


def test_an_askers_age_is_answered_by_the_rules_bound(corpus, answered):
    text = answered(corpus, "我闺女16岁了，放暑假想带同学去公园，自己开游船可以吗？")
    assert "年满十八周岁" in text.split("。")[0], text


def test_how_many_must_agree_is_answered_by_a_share_of_the_people(corpus, answered):
    text = answered(corpus, "村里开村民会议，得有多少人来参加才算数？")
    assert "过半数" in text.split("。")[0], text


@pytest.mark.parametrize("question, fact", [("老小区改造，方案要多少住户投票？", "三分之二以上的居民户参与表决"),
                                            ("改造方案表决完了要贴出来几天？", "不少于7天")])
def test_lay_words_stand_for_the_official_ones(corpus, question, fact, answered):
    assert fact in answered(corpus, question)


def test_an_age_rule_does_not_answer_another_deed(corpus):
    ans = corpus.ask("我家孩子12岁，能办公园游泳馆的年卡吗？")
    assert ans.refused, ans.answer
