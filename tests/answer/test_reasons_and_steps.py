"""Subsidy and lift Q&As, a work summary, a service guide, a rule with its drafting notes, news reports, a joint
notice, a plan, wetland and noise rules and a tier table, each written for these tests:
- a why answered by the sentences a conclusion rests on (…不予补发。因此，建议及时申请);
- a cause carried on in the next clause (…主要是由于A；此外，B), while an item of 一是…三是 stays one item;
- the steps of a procedure, each with what is done in it and in what time;
- a rule's own 按照下列程序 over a note that only names its steps;
- far the best sentence stating a figure in the asked unit, in words of its own (能省多少钱 → 成本下降了约35元);
  a fine is no answer to a question about a reward;
- each part of 是哪几家单位联合印发的？文号是什么？ from the document's header;
- a unit in Latin letters (多少GWh) and a count of people (多少名) asked: another figure is no answer;
- what befalls a deed (转手会有什么麻烦吗) is one rule's say, not a list;
- a fine asked in lay words (捡几个野鸟蛋…会被罚钱吗) or as its 额度;
- a ban asked about (哪些时间不准装修) is about the deed banned; a bare second part (该找哪个部门管？) asks about the
  first part's subject;
- why a figure grew: the sentence after it that states the cause (…解释说，一方面是因为…);
- the tier row that holds the asker's head count, under its lead-in, with the group's top-up;
- a yes/no whose deed the tagger cuts at a directional complement (能不能从公积金里取出来付);
- a fine after 拒不改正的 quoted whole with the long deed before it; a preposition glued to a noun (经托育) is no focus."""

from __future__ import annotations

import pytest

from policyqa.text import normalize, strip_marks

QA = """未川市育儿补贴政策问答

问五：育儿补贴从什么时候开始发？
答：育儿补贴自审批通过的次月起按月发放。需要注意的是，育儿补贴原则上不追溯发放。婴幼儿出生后超过3个月才申请的，只能从审批通过的次月起发放，此前月份不予补发。因此，建议符合条件的家庭在婴幼儿出生后及时申请。

问六：育儿补贴每月能领多少钱？
答：每孩每月发放育儿补贴300元，发放至婴幼儿年满3周岁。
"""

SUMMARY = """申县农业综合执法大队2024年工作总结

二、存在的问题

（一）执法巡查次数有所减少。全年执法巡查次数比上年下降8.1%，主要是由于东岭、北坝两个中队因办公用房改建停巡约2个月；此外，县农资市场的日常检查自2024年3月起移交市场开办方负责，其检查记录改由县市场监督管理局汇总统计，不再计入本大队的年度数据。

（二）垃圾分类工作存在短板。一是宣传覆盖面不够广，部分村民对分类标准不熟悉。二是厨余垃圾处理能力不足，现有处理站设计日处理能力60吨，而日均分出量已达75吨，部分厨余垃圾只能转运至焚烧厂处理。三是督导员队伍不够稳定，人员流动性大。四是考核机制不够健全。
"""

GUIDE = """酉县家庭农场奖补办事指南

三、办理程序

（一）申请受理。申请人于2025年6月1日至7月31日向所在地乡镇农业综合服务中心提交申请材料，逾期不予受理。

（二）初审核查。乡镇农业综合服务中心自收到申请材料之日起8个工作日内完成初审，并派员到农场实地核查。

（三）复审公示。县农业农村局组织复审，复审通过的名单在县人民政府门户网站公示5个工作日。

（四）资金拨付。公示无异议的，由县财政局于2025年11月30日前将奖补资金拨付至家庭农场银行账户。
"""

RULE = """戌市示范家庭农场认定管理办法

第九条 示范家庭农场按照下列程序认定：
（一）县级农业农村主管部门组织人员对申报农场的经营规模、生产条件、经营效益等进行实地核查，提出推荐意见；
（二）市农业农村主管部门组织专家评审委员会进行评审；
（三）评审通过的，在市农业农村主管部门门户网站进行公示，公示期不少于七日；
（四）公示期满无异议或者异议不成立的，由市农业农村主管部门认定并授牌。
"""

NOTES = """关于《戌市示范家庭农场认定管理办法（草案）》的说明

三、主要内容

在认定程序上，草案规定了县级核查推荐、市级专家评审、公示、认定授牌四个环节，并明确示范家庭农场实行动态管理，以体现优胜劣汰的要求。
"""

NEWS = """亥江日报

亥江铁路专用线上半年运量创新高

本报讯 今年上半年，亥江铁路专用线完成货运量312万吨，同比增长18.6%。“以前我们的煤要先用汽车拉到南站装车，现在在厂门口就能直接上火车，运输时间缩短了2天左右，每吨物流成本下降了约35元。”亥江经济开发区一家电厂的物流主管告诉记者。

在楼道里为电动自行车充电，经劝阻拒不改正的，由消防救援机构责令改正，对个人处200元以上500元以下罚款。
"""


JOINT = """午县民政局　午县残疾人联合会　午县财政局
关于印发《午县残疾人两项补贴实施细则》的通知

午民发〔2025〕31号

各乡镇人民政府，县直有关单位：
现将《午县残疾人两项补贴实施细则》印发给你们，请认真贯彻执行。

附件1 午县残疾人两项补贴标准调整对照表
补贴类别｜补贴对象｜新标准（元/人·月）
重度残疾人护理补贴｜二级残疾人｜100
"""

PLAN = """未川市新能源汽车产业三年行动计划

一、主要目标
到2027年，全市新能源汽车产量达到30万辆，具备新能源汽车维修资质的企业达到300家以上。
每年开展新能源汽车维修技师培训不少于500人次。
"""

WETLAND = """申川市湿地保护管理办法

第十八条 在湿地内禁止下列行为：
（一）开垦、填埋自然湿地；
（二）猎捕野生动物、捡拾鸟卵；
（三）擅自移动、损毁湿地保护标志、界桩。

第二十九条 违反本办法第十八条第二项规定，捡拾鸟卵的，由林业主管部门责令改正，给予警告，对个人可以处200元以上1000元以下罚款。

第三十条 违反本办法第十八条第三项规定，擅自移动、损毁湿地保护标志、界桩的，由林业主管部门责令恢复原状，对个人处500元以上2000元以下罚款，对单位处5000元以上2万元以下罚款。
"""

NOISE = """酉川市社会生活噪声污染防治规定

第二十条 对已竣工交付使用的住宅楼进行室内装修活动的，禁止在下列时段进行产生噪声的装修作业：
（一）每日12时至14时、18时至次日8时；
（二）法定节假日全天。

第二十三条 在住宅区内举办婚丧嫁娶、庆典等活动需要使用音响器材的，应当控制音量和持续时间，不得在夜间使用。

第三十六条 违反本规定第九条规定，在商业经营活动中使用高音广播喇叭或者采用其他持续反复发出高噪声的方法招揽顾客的，由城市管理综合执法部门说服教育，责令改正；拒不改正的，给予警告，对个人可以处200元以上1000元以下的罚款，对单位可以处2000元以上2万元以下的罚款。
"""

MEALS = """亥江区助餐服务报道

数据显示，2024年全区共为860名老人发放助餐补贴215万元，补贴人数同比增长21.3%，补贴金额同比增长96%。区民政局养老服务科科长解释说，一方面是因为补贴标准提高了一倍，另一方面是新增的送餐补贴覆盖了失能老人。
"""

TIERS = """辰县一次性创业补贴申领通知

二、补贴标准

一次性创业补贴按照创业实体带动就业人数分档发放，具体标准如下：
档次｜带动就业人数｜补贴金额
第一档｜1至2人｜5000元
第二档｜3至5人｜8000元
第三档｜6人及以上｜12000元
退役军人、持证残疾人创办的创业实体，在上述标准基础上每户增加补贴2000元。
"""

LIFT = """戌市既有住宅加装电梯政策问答

问六：加装电梯可以用住房公积金吗？
答：出资加装电梯的业主，可以申请提取本人及配偶的住房公积金，用于支付本人应当分摊的费用。

问七：加装电梯的费用怎么分摊？
答：加装电梯的建设费用由出资业主按楼层协商分摊，一层业主不使用电梯的，原则上不分摊建设费用。

问八：加装了电梯的住宅，买卖时申请公积金贷款有优惠吗？
答：购买已加装电梯住宅的职工，申请住房公积金贷款的，可贷额度上浮10%，分摊的电梯费用可计入房屋价款。
"""


@pytest.fixture(scope="module")
def corpus(small_assistant):
    return small_assistant({"qa.txt": QA, "summary.txt": SUMMARY, "guide.txt": GUIDE, "rule.txt": RULE,
                            "notes.txt": NOTES, "news.txt": NEWS, "joint.txt": JOINT, "plan.txt": PLAN,
                            "wetland.txt": WETLAND, "noise.txt": NOISE, "meals.txt": MEALS,
                            "tiers.txt": TIERS, "lift.txt": LIFT})


def _text(answer) -> str:
    return normalize(strip_marks(answer.answer))


def test_a_conclusion_is_answered_with_the_sentences_it_rests_on(corpus):
    ans = corpus.ask("为什么建议符合条件的家庭在孩子出生后及时申请育儿补贴？")
    assert not ans.refused
    text = _text(ans)
    assert text.startswith("需要注意的是，育儿补贴原则上不追溯发放"), ans.answer
    assert "超过3个月才申请的" in text and "此前月份不予补发" in text, ans.answer


# (id, question, what the answer states)
STATED = [
    ("a_cause_carried_on_in_the_next_clause", "为啥去年执法巡查的次数比前年少了？",
     ("停巡约2个月", "改由县市场监督管理局汇总统计")),
    ("why_a_figure_grew_is_the_cause_stated_after_it", "2024年亥江区助餐补贴金额的涨幅为什么比领补贴人数的涨幅大那么多？",
     ("补贴标准提高了一倍", "送餐补贴覆盖了失能老人")),
    ("far_the_best_sentence_states_the_figure_in_its_own_words", "电厂现在不用汽车倒运、直接走亥江铁路专用线，能省多少钱？",
     ("约35元",)),
    ("each_part_about_the_header_from_the_header", "午县残疾人两项补贴实施细则是哪几家单位联合印发的？文号是什么？",
     ("午县民政局、午县残疾人联合会、午县财政局", "午民发〔2025〕31号")),
    ("a_fine_asked_in_lay_words", "在申川市的湿地里捡几个野鸟蛋带回家，会被罚钱吗？", ("200元以上1000元以下",)),
    ("a_fine_asked_as_its_amount", "单位擅自移动湿地保护标志、界桩的，罚款额度是多少？", ("对单位处5000元以上2万元以下罚款",)),
    ("a_fine_after_refusing_to_correct_with_its_long_deed",
     "在酉川市，商家用高音喇叭反复吆喝招揽顾客、被责令改正后仍不改的，对单位最高可以罚多少？",
     ("招揽顾客", "对单位可以处2000元以上2万元以下的罚款")),
    ("a_yes_no_deed_cut_at_a_directional_complement", "装电梯我家要摊的那份钱，能不能从公积金里取出来付？",
     ("提取本人及配偶的住房公积金",)),
]


@pytest.mark.parametrize("question,stated", [c[1:] for c in STATED], ids=[c[0] for c in STATED])
def test_answered_and_states(corpus, question, stated):
    ans = corpus.ask(question)
    assert not ans.refused, ans.answer
    text = _text(ans)
    assert all(s in text for s in stated), ans.answer


def test_an_enumerated_item_is_not_carried_on_into_its_siblings(corpus):
    text = _text(corpus.ask("申县的厨余垃圾为什么处理不过来？"))
    assert "日均分出量已达75吨" in text, text
    assert "督导员" not in text and "考核机制" not in text, text


def test_the_steps_of_a_procedure_say_what_is_done_and_in_what_time(corpus):
    text = _text(corpus.ask("酉县家庭农场奖补从提交申请到拿到钱，要经过哪些办理环节？"))
    assert all(s in text for s in ("申请受理", "8个工作日内完成初审", "公示5个工作日", "2025年11月30日前")), text


def test_a_rules_own_procedure_answers_over_a_note_naming_its_steps(corpus):
    text = _text(corpus.ask("示范家庭农场认定的程序有哪些环节？"))
    assert "专家评审委员会进行评审" in text and "公示期不少于七日" in text, text


def test_a_fine_is_no_answer_to_a_question_about_a_reward(corpus):
    ans = corpus.ask("举报有人在楼道里给电动自行车充电，查实了能拿多少奖金？")
    assert ans.refused, ans.answer


@pytest.mark.parametrize("question", ["到2027年，未川市动力电池产能要达到多少GWh？",
                                      "午县目前一共有多少名残疾人在领取重度残疾人护理补贴？",
                                      "未川市现在一共有多少名新能源汽车维修技师？"])
def test_a_figure_of_another_unit_is_no_answer(corpus, question):
    ans = corpus.ask(question)
    assert ans.refused, ans.answer


def test_what_befalls_a_deed_is_not_a_list_question():
    from policyqa.answer.analysis import Intent, analyze

    a = analyze("拿了补贴买的车，开了半年想转手给亲戚，会有什么麻烦吗？")
    assert a.intent is Intent.FACT and not a.wants_list


def test_a_ban_asked_about_is_about_the_deed_banned(corpus):
    text = _text(corpus.ask("在酉川市到底哪些时间不准装修？"))
    assert "每日12时至14时、18时至次日8时" in text and "法定节假日全天" in text, text


def test_a_bare_second_part_asks_about_the_first_parts_subject():
    from policyqa.answer.analysis import split_question

    parts = split_question("楼下广场跳舞的音箱晚上十点了还开着，几点以后就不能放音乐了？该找哪个部门管？")
    assert len(parts) == 2 and "广场跳舞" in parts[1] and parts[1].endswith("该找哪个部门管？"), parts


def test_the_tier_row_of_the_askers_head_count_answers_with_the_groups_top_up(corpus):
    ans = corpus.ask("辰县一名退役军人创办的创业实体带动了7人就业，最多可以领到多少一次性创业补贴？")
    assert not ans.refused, ans.answer
    text = _text(ans)
    assert "12000元" in text and "每户增加补贴2000元" in text and "8000元" not in text, ans.answer


def test_a_preposition_the_tagger_glues_to_a_noun_is_no_part_of_the_focus():
    from policyqa.answer.analysis import analyze

    focus = analyze("托育补贴申请经托育机构确认后，区卫生健康局要在几个工作日内完成初审？").focus
    assert "托育" in focus and "经托育" not in focus, focus
