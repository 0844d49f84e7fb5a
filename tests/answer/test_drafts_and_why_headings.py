"""A park rule with its legislative note, a policy Q&A and a bike-sharing report, written for these tests:
- a figure question is answered by the rule as enacted, not by the draft's figure an opinion in the note quotes;
- a why-question whose answer sits under a heading asking it (三、为什么…) gets that heading's paragraph whole: the
  fact it rests on, then the conclusion;
- a why-question answered by a sentence naming the cause (…的一个重要原因，是…) gets that sentence, not the items of
  the section around it; so does a speaker's account that ends in 所以我们选择了…, over the sentence on what was done;
- a sentence listing inline (特殊病包括：A、B、C（限十八周岁以下）。) is the list, whatever bound ends it; a quoted term
  (“特殊病”) is what is listed; so is a sentence whose colon opens clauses (制定了…管理规定：A；B；C。)."""

from __future__ import annotations

import pytest

RULE = """亥市城市公园犬只管理规定

第十二条 携带犬只进入城市公园的，应当遵守下列规定：
（一）为犬只束牵引绳，牵引绳长度不得超过1.5米；
（二）及时清理犬只粪便；
（三）不得携带犬只进入儿童游乐区。
第十三条 公园管理单位应当在入口处设置携犬入园须知。

附：关于《亥市城市公园犬只管理规定（草案）》审议结果的报告
一、有的意见提出，草案规定牵引绳长度不得超过3米，在公园游人密集的情况下仍然偏长，容易造成犬只扑人。法制委员会经研究，建议予以修改。
二、有的委员提出，应当明确公园管理单位的告知义务。法制委员会经研究，建议增加一条规定。
"""

QA = """亥市养老服务补贴政策解读

一、补贴对象有哪些
本市户籍年满六十周岁的低保、特困老年人，可以申请养老服务补贴。
二、补贴标准是多少
养老服务补贴标准为每人每月200元。
三、为什么八十周岁以上老人不再单独申请高龄津贴
我市已将高龄津贴并入养老服务补贴，合并后的补贴标准高于原高龄津贴，发放渠道也统一为社会保障卡。为避免重复发放，八十周岁以上老人不再单独申请高龄津贴，由民政部门直接核发。
四、补贴怎么领取
补贴按月发放到老年人本人社会保障卡。
"""

REPORT = """亥市共享单车管理情况通报

一、存在的主要问题
一是停放秩序乱，车辆占用盲道、人行道现象时有发生。
二是车辆投放过量。造成投放过量的一个重要原因，是企业为抢占市场盲目扩张，不少企业因此超额投放车辆。
三是维护不及时，故障车辆回收慢。
针对乱停放问题，市交通运输局制定了共享单车停放管理规定：早晚高峰时段禁止在地铁站出入口停放；运营企业应当每日清理违停车辆；一个月内违规停放三次以上的用户暂停使用一周。
二、下一步工作
实行投放总量控制，建立企业信用评价制度。
"""

DISEASES = """亥市门诊慢特病保障办法

第五条 门诊慢特病分为慢性病和特殊病。
慢性病包括：高血压病、糖尿病、冠心病、慢性阻塞性肺疾病。
特殊病包括：恶性肿瘤门诊治疗、尿毒症透析治疗、血友病、苯丙酮尿症（限十八周岁以下）。
前款所称恶性肿瘤门诊治疗，包括放疗、化疗和靶向治疗。
第六条 慢性病年度支付限额为每人3000元。
"""

MARKET = """亥州日报

老街菜场改造完成

本报讯 2024年起，区里对老街菜场进行改造，统一规划摊位，配置冷链和保洁设施，老街菜场由此成为社区便民新样板。
记者：改造中最难的是什么？
区商务局负责人：拆掉最省事，但不是最好的办法。我们做过调研，发现附近一公里内没有其他菜场，周边老人买菜全靠它，一拆了之既不现实，也不近人情。所以我们选择了原址改造的办法，保留菜场，提升设施。
据了解，改造后的菜场共有摊位120个，日均客流约5000人次。
"""


@pytest.fixture(scope="module")
def corpus(small_assistant):
    return small_assistant({"rule.txt": RULE, "qa.txt": QA, "report.txt": REPORT, "diseases.txt": DISEASES,
                            "market.txt": MARKET})


def test_the_enacted_rule_answers_not_the_drafts_figure(corpus, answered):
    first = answered(corpus, "在公园游人密集的地方遛狗，牵引绳最长能多长？").split("。")[0]
    assert "1.5米" in first and "3米" not in first, first


def test_a_why_heading_gives_its_whole_paragraph(corpus, answered):
    text = answered(corpus, "八十周岁以上老人的高龄津贴为什么改由民政部门直接核发了？")
    assert "并入养老服务补贴" in text and "为避免重复发放" in text, text


def test_a_sentence_naming_the_cause_answers_why(corpus, answered):
    text = answered(corpus, "共享单车存在的主要问题中，车辆投放为什么会过量？")
    assert "抢占市场盲目扩张" in text.split("。")[0], text
    assert "停放秩序乱" not in text, text


def test_an_inline_list_ending_in_a_bound_is_the_list(corpus, answered):
    text = answered(corpus, "门诊慢特病里的“特殊病”包括哪几种？")
    assert all(d in text for d in ("恶性肿瘤门诊治疗", "尿毒症透析治疗", "血友病", "苯丙酮尿症")), text
    assert "高血压病" not in text, text


def test_rules_after_a_colon_are_the_list(corpus, answered):
    text = answered(corpus, "共享单车停放管理规定具体有哪几条？")
    assert all(r in text for r in ("禁止在地铁站出入口停放", "每日清理违停车辆", "暂停使用一周")), text


def test_the_account_ending_in_a_choice_answers_why(corpus, answered):
    text = answered(corpus, "老街菜场当初为什么不直接拆掉，而是选择了改造？")
    assert "附近一公里内没有其他菜场" in text and "原址改造" in text, text
