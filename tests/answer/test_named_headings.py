"""On a small corpus written for these tests (not the seeds): list questions that name a heading in their own
words get the heading's items, not the overview sentence that only mentions it; how-questions get every
measure of the paragraph that states them, not two of its sentences; a term the document explains in a
footnote is answered by that footnote; bulleted paragraphs (——…) are a section's items, not the paragraphs
around them; a question that names one enumerated item (一是X。…) gets that item whole, not the list; a number asked about one part of a long sentence is the
clause that holds it next to what it measures."""

from __future__ import annotations

import pytest

from policyqa.text import normalize, strip_marks

PLAN = """云岭市推进数字经济发展实施方案

近日，云岭市印发《推进数字经济发展实施方案》。方案提出夯实数字基础设施、培育数字产业集群、加强数字人才引育、完善政策保障等4个方面的重点任务，细分为9项任务内容。

夯实数字基础设施

建设千兆光网。到2025年全市千兆光网覆盖所有乡镇。

布局算力中心。建设一个面向全省的公共算力服务平台。

培育数字产业集群

发展软件服务。支持本地软件企业承接政务信息化项目。

壮大电子制造。引进一批智能终端整机和零部件企业。

加强数字人才引育

引进高端人才。对数字领域领军人才给予安家补贴。

培养技能人才。支持职业院校开设大数据和人工智能专业。

共建实训基地。与龙头企业共建三个数字技能实训基地。

完善政策保障

加大财政投入。市财政每年安排数字经济发展专项资金。

优化审批服务。数字经济项目审批实行容缺受理。
"""

SUPPORT = """青禾市制造业高质量发展若干措施

三、强化要素支撑
（八）强化金融服务支撑。发挥市级产业基金的引导作用，撬动社会资本投向制造业。建立中小企业贷款风险补偿资金池，为首贷企业增信。推广知识产权质押融资，扩大无形资产融资规模。开展银企对接月活动，每季度发布融资需求清单。
（九）强化人才服务支撑。建设青年人才公寓，解决新引进人才住房问题。对引进的高层次人才给予安家补贴。
（十一）提升产业链韧性。一是建立关键零部件备份供应体系。推动整机企业与两家以上本地配套企业签订长期协议。建设关键零部件应急储备库，储备可满足一个月生产需要。二是搭建供需对接平台。每季度举办产需对接会。三是培育本地配套企业。对新进入整机企业供应链的本地企业给予奖励。
（十）推进数据要素流通。建设城市可信数据空间¹，推动公共数据授权运营，培育数据经纪商²。

¹ 可信数据空间：汇聚政务数据和行业数据、供各方按规则共享使用的数据流通基础设施。
² 数据经纪商：在数据供需双方之间撮合交易、提供合规服务的机构。
"""

GOALS = """青禾市美丽乡村建设规划

一、发展目标
到2030年，全市乡村面貌显著改善，农村居民人均可支配收入年均增长7%。
——乡村基础设施更加完善。村村通硬化路和自来水，农村客运班线全覆盖。
——乡村产业更加兴旺。培育十个农业产业强镇，农产品加工产值翻一番。
——乡村治理更加有效。村规民约实现全覆盖，矛盾纠纷就地化解。
展望2035年，乡村全面振兴取得决定性进展，农业农村现代化基本实现。

二、重点任务
实施乡村建设行动，推进农村人居环境整治提升。
"""

LAKES = """青禾市全域旅游发展规划

二、一带：打造环湖休闲旅游带
依托“三湖一岛”建设环湖休闲旅游带，发展湖滨度假、水上运动和生态观光。
“三湖一岛”：《青禾市生态旅游发展总体规划（2020—2035年）》中提出，含青湖、白湖、月湖和鹭岛，总面积320.5平方公里，湖泊面积86平方公里，岛屿面积12平方公里，湖岸线长达95公里，沿线分布旅游村落共计27个，年接待游客超过500万人次，旅游综合收入达到45亿元。
"""

DOGS = """青禾市养犬管理条例

第一章 总则
第一条 为了规范养犬行为，保障公民人身安全，维护市容环境和社会公共秩序，制定本条例。
第二条 本条例适用于本市行政区域内的养犬及相关管理活动。

第二章 养犬管理
第三条 个人养犬应当向居住地派出所办理养犬登记。
第四条 携犬出户应当束犬链，由成年人牵领。
第五条 烈性犬不得在城区饲养。
"""


@pytest.fixture(scope="module")
def plan(small_assistant):
    return small_assistant({"plan.txt": PLAN, "support.txt": SUPPORT, "goals.txt": GOALS, "lakes.txt": LAKES, "dogs.txt": DOGS})


def _lines(answer) -> list[str]:
    return [normalize(strip_marks(line)) for line in answer.answer.split("\n") if line.strip()]


def test_a_heading_named_in_the_question_lists_its_items_not_the_overview(plan):
    ans = plan.ask("在加强数字人才引育这一块，方案具体部署了哪些任务？")
    lines = _lines(ans)
    assert lines[0] == "共3项：", ans.answer
    for item in ("引进高端人才", "培养技能人才", "共建实训基地"):
        assert any(item in line for line in lines[1:]), ans.answer
    assert "细分为9项任务内容" not in normalize(ans.answer)


def test_a_heading_named_with_other_words_around_it_lists_its_items(plan):
    ans = plan.ask("云岭市在培育数字产业集群方面有哪几项举措？")
    text = normalize(strip_marks(ans.answer))
    assert "发展软件服务" in text and "壮大电子制造" in text, ans.answer
    assert "引进高端人才" not in text, ans.answer


def test_a_how_question_gets_every_measure_of_the_paragraph_that_states_them(plan):
    ans = plan.ask("青禾市打算怎样从金融上支撑制造业发展？")
    text = normalize(strip_marks(ans.answer))
    for measure in ("市级产业基金", "风险补偿资金池", "知识产权质押融资", "银企对接月"):
        assert measure in text, ans.answer
    assert "人才公寓" not in text, ans.answer


def test_a_term_explained_in_a_footnote_is_answered_by_the_footnote_first(plan):
    ans = plan.ask("措施提到建设城市可信数据空间，可信数据空间是什么意思？")
    first = normalize(strip_marks(ans.answer.split("[1]")[0]))
    assert "数据流通基础设施" in first, ans.answer
    assert "数据经纪商" not in first, ans.answer
    assert all(c.supported for c in ans.citations)


def test_bulleted_paragraphs_are_the_items_without_the_paragraphs_around_them(plan):
    ans = plan.ask("美丽乡村建设规划的发展目标分了哪几个方面？")
    lines = _lines(ans)
    assert lines[0] == "共3个方面：", ans.answer
    for goal in ("乡村基础设施更加完善", "乡村产业更加兴旺", "乡村治理更加有效"):
        assert any(goal in line for line in lines[1:]), ans.answer
    assert "展望2035年" not in normalize(ans.answer), ans.answer


def test_a_question_naming_one_enumerated_item_gets_that_item_whole(plan):
    ans = plan.ask("措施提出要怎样建立关键零部件备份供应体系？")
    text = normalize(strip_marks(ans.answer))
    assert "签订长期协议" in text and "应急储备库" in text, ans.answer
    assert "产需对接会" not in text, ans.answer


def test_part_is_not_what_a_number_question_measures():
    from policyqa.answer.analysis import analyze

    assert analyze("“三湖一岛”中，湖泊部分的面积有多大？").focus == ("面积",)


def test_a_number_asked_inside_a_long_sentence_is_the_clause_that_measures_it(plan):
    ans = plan.ask("“三湖一岛”中，湖泊部分的面积有多大？")
    first = normalize(strip_marks(ans.answer.split("[1]")[0]))
    assert "湖泊面积86平方公里" in first, ans.answer
    assert "2020" not in first, ans.answer


def test_a_heading_made_of_the_title_words_is_not_named_by_a_question_about_the_document(plan):
    ans = plan.ask("为什么要制定《青禾市养犬管理条例》？")
    text = normalize(strip_marks(ans.answer))
    assert "规范养犬行为" in text, ans.answer
    assert "束犬链" not in text, ans.answer
