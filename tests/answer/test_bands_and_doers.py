"""A subsidy notice with tiers, a service guide, news reports, street rules and Q&As, each written for these tests:
- the tier that holds the asker's own figure (研发费用大概300万, 只打了70分);
- who does the asked step (谁来复核), a table row's 责任单位 cell, the level that approves, who acts on a breach;
- the official a report quotes, named with their post; the bodies a byline names;
- the day something lasts until; why a time was changed; a stated cause over a pointer to it;
- the fine after 拒不改正的; everyday words (看不见, 开店, 不让卖);
- a Q&A's materials (not its questions); what is added to the common materials;
- a reworded why or yes/no question answered by the one sentence that states the cause or the rule;
- 最晚什么时候到账 (the last day money is paid) and the measures of one aspect (在资金保障方面)."""

from __future__ import annotations

import pytest

from policyqa.answer.compose import asker_quantities, holds
from policyqa.text import normalize, strip_marks

NOTICE = """寅川市科技型企业研发补助申报通知

三、补助标准

（一）研发投入后补助。按照企业上年度研发费用总额分档给予补助：
1．研发费用100万元（含）至200万元的，按研发费用的5%给予补助，最高不超过8万元；
2．研发费用200万元（含）至500万元的，按研发费用的4%给予补助，最高不超过16万元；
3．研发费用500万元（含）以上的，按研发费用的3%给予补助，最高不超过40万元。

四、评审

评审实行百分制，取专家评分的平均值作为企业最终得分。
最终得分80分（含）以上的，按照核定补助金额全额给予补助；
60分（含）至80分的，按照核定补助金额的70%给予补助；
最终得分低于60分的，不予补助。

五、残疾人就业保障金

残疾人就业保障金是用人单位安排残疾人就业未达到规定比例时，按规定缴纳的资金。
用人单位安排残疾人就业比例低于1.5%的，应当缴纳残疾人就业保障金。
在职职工人数在30人（含）以下的企业，暂免征收残疾人就业保障金。
"""

GUIDE = """卯县退役军人创业补贴办事指南

一、办理流程

（一）办理流程：申请—受理—审核—复核—公示—拨付。
（二）县退役军人服务中心在受理之日起10个工作日内完成审核。
（三）县退役军人事务局会同县财政局对审核结果进行复核。
（四）复核通过的，在县政府门户网站公示5个工作日。

附件 2025年退役军人服务设施建设项目清单

序号｜项目名称｜建设地点｜主要建设内容｜总投资（万元）｜责任单位｜完成时间
1｜乡镇退役军人服务站标准化改造（2025年度）｜各乡镇｜改造乡镇服务站12个，新建村级服务点80个，配置档案柜和服务终端｜960｜县退役军人事务局｜2025年12月
"""

NEWS = """辰江晚报

市文化馆6月起晚间开放至21时

本报讯 记者从市文化馆获悉，自6月1日起，市文化馆排练厅和展厅的开放时间由9时至17时延长为9时至21时。
“因为很多上班族反映，下班后赶到文化馆时已经关门了，周末排练厅又排不上号，所以我们决定延长开放时间。”市文化馆馆长何立新说。
据介绍，延长开放后，文化馆每晚安排2名工作人员值守。

本报讯（记者林小雨）6月1日晚，2025“夏夜星河”文化季在滨江广场开幕。舞台演出、市集和露天电影轮番登场。本届文化季持续至8月31日，由市文化馆承办，将推出群众文化活动60余场。
"""


RULE = """丁州市街头经营管理办法

第二十条 经营者不得有下列行为：
（一）占用盲道经营；
（二）使用高音喇叭、扩音设备等产生高噪声的方式招揽顾客；
（三）在规定时段以外经营。

第三十一条 在行道树上刻划、钉钉、悬挂物品的，由城市管理部门责令改正，给予警告；拒不改正的，对个人处一百元以上五百元以下罚款，对单位处一千元以上五千元以下罚款。

第三十二条 违反本办法第二十条第（二）项规定，使用高音喇叭、扩音设备等招揽顾客的，由公安机关给予警告；警告后不改正的，对个人处200元以上500元以下罚款。
"""


TREES = """午城市古树保护规定

第二十条 移植一级古树的，由市古树主管部门审查并组织专家论证后，报市人民政府批准；移植二级古树的，由市古树主管部门批准。

第四十条 违反本规定，擅自移植一级古树的，每株处十万元以上二十万元以下罚款。
"""

REPORT = """午城日报

本报讯 据市文旅局副局长苏文博介绍，今年我市将新建20家城市书房，覆盖全部街道。
“夜游项目很受欢迎。”苏文博说，今年上半年全市夜间游客达到320万人次，占全天游客的比重达到31%。
"""

SUMMARY = """未县2024年林业工作总结

一、主要成效

全年新造林面积3.2万亩，完成年度目标（4万亩）的80%；森林覆盖率达到58.6%。

二、存在的问题

（一）森林防火基础设施薄弱。部分乡镇缺少专业扑火队伍。

（二）造林任务未完成。全年新造林面积3.2万亩，比年度目标少0.8万亩。主要原因是受5月下旬持续干旱影响，东岗乡、西坪镇约6000亩苗木成活率低，补植被迫推迟到2025年春季。

（三）林下经济规模偏小。全县林下经济产值仅1.1亿元。

（四）巡护力度下降。全年巡护里程比上年下降12.5%，主要是由于东岗乡、西坪镇两个护林站因道路改建停巡约2个月；

三、2025年主要措施

将林业补助与森林防火责任落实挂钩，未签订防火责任书的林农原则上不得申报县级以上林业补助项目；推广护林巡查小程序。

附件 2024年主要指标完成情况说明：造林面积未完成年度目标的原因详见正文第二部分第（二）项。
"""

BULLETIN = """申县2025年国民经济和社会发展统计公报

申县统计局　国家统计局申县调查队

2026年3月18日

一、综合

初步核算，全年地区生产总值286.5亿元，比上年增长5.8%。
"""

GUIDE_QA = """丙县就业补贴政策问答

一、用人单位补贴

问一：用人单位招用就业困难人员，岗位补贴的标准是多少？
答：按照每人每月500元给予岗位补贴，期限最长3年。

问二：用人单位为职工缴纳社会保险，可以享受多少补贴？
答：按照用人单位实际缴纳的社会保险费给予补贴。

问三：用人单位吸纳高校毕业生，还有额外奖励吗？
答：每吸纳1人给予一次性奖励2000元。

二、申请办理

问四：用人单位申请岗位补贴，需要提交哪些材料？
答：用人单位申请岗位补贴，需要提交以下材料：
（一）岗位补贴申请表；
（二）营业执照复印件；
（三）劳动合同复印件。

问五：补贴多久能到账？
答：审核通过后15个工作日内拨付。
"""

MARKET = """酉市夜市摊点管理办法

第十二条 申请夜市摊位应当提交申请材料。

五、申请材料

（一）通用材料
1．摊位申请表；
2．经营者身份证明；
3．经营者近期免冠照片；
4．夜市运营单位出具的同意入驻证明。

（二）分类材料
1．申请非食品摊位的，另须提供商品来源说明；
2．申请食品摊位的，另须提供健康证明、食品安全承诺书和从业培训合格证明；
3．申请文创摊位的，另须提供作品样品照片。

第二十六条 夜市食品摊点不得经营下列食品：
（一）生食水产品；
（二）裱花蛋糕；
（三）野生蘑菇和其他野生菌类。

第二十七条 禁止在夜市使用木炭、散煤等作为烧烤燃料。
"""

GRANT = """戌县一次性创业补贴申领通知

四、申领程序

（一）申请受理。申请人于2025年8月1日至9月30日向所在地乡镇便民服务中心提交申请材料。

（二）审核公示。乡镇在10个工作日内完成初审，县就业服务中心复审后公示5个工作日。

（三）资金拨付。公示无异议的，由县财政局于2025年12月31日前将补贴资金直接拨付至申请人本人社会保障卡银行账户。
"""

CARE = """亥市养老服务提升行动方案

三、保障措施

（一）加强组织领导。成立市养老服务工作领导小组，统筹推进各项工作。

（二）强化资金保障。市级财政每年安排养老服务专项资金不低于8000万元。鼓励社会资本通过公建民营等方式参与养老服务。

（三）严格督查考核。将养老服务工作纳入年度绩效考核。
"""

QA = """巳县残疾人创业扶持政策问答

问十五：盲人开办按摩机构有什么扶持？
答：盲人开办盲人按摩机构，取得营业执照，正常经营6个月以上的，给予一次性开业补贴1.5万元。
"""


@pytest.fixture(scope="module")
def corpus(small_assistant):
    return small_assistant({"notice.txt": NOTICE, "guide.txt": GUIDE, "news.txt": NEWS, "rule.txt": RULE, "qa.txt": QA,
                            "trees.txt": TREES, "report.txt": REPORT,
                            "summary.txt": SUMMARY, "bulletin.txt": BULLETIN,
                            "guide_qa.txt": GUIDE_QA, "market.txt": MARKET,
                            "grant.txt": GRANT, "care.txt": CARE})


def _text(answer) -> str:
    return normalize(strip_marks(answer.answer))


def test_the_askers_own_figure_is_read_with_its_unit():
    assert asker_quantities("我们公司研发费用大概300万，能补多少？") == [(300.0, "万元")]
    assert asker_quantities("专家只打了70分，能全额拿到吗？") == [(70.0, "分")]
    assert asker_quantities("3000元以上的项目有几个？") == []  # a bound the question asks about, not the asker's
    assert asker_quantities("我们公司一共才二十来个员工，还用交吗？") == [(20.0, "人")]
    assert asker_quantities("90至99周岁老人的标准是多少？") == []  # a band the question names is no one's own figure
    assert holds("研发费用200万元（含）至500万元的，按研发费用的4%给予补助", 300, "万元")
    assert not holds("研发费用200万元（含）至500万元的", 300, "分")


def test_the_tier_that_holds_the_askers_figure_answers(corpus):
    ans = corpus.ask("我们公司去年研发费用大概300万，研发投入后补助能拿多少？")
    assert not ans.refused
    text = _text(ans)
    assert "4%" in text and "16万元" in text and "8万元" not in text, ans.answer


def test_a_score_in_a_band_answers_a_yes_no_question(corpus):
    ans = corpus.ask("专家评审要是只打了70分，补助能全额拿到吗？")
    assert not ans.refused
    assert _text(ans).startswith("60分（含）至80分的，按照核定补助金额的70%给予补助"), ans.answer


def test_a_stated_cause_answers_why_not_the_pointer_to_it_nor_the_sibling_problems(corpus):
    ans = corpus.ask("2024年造林面积未完成年度目标的原因是什么？")
    assert not ans.refused
    text = _text(ans)
    assert text.startswith("主要原因是受5月下旬持续干旱影响"), ans.answer
    assert "详见" not in text and "林下经济" not in text, ans.answer


def test_a_byline_of_bodies_answers_who_published_the_document(corpus):
    ans = corpus.ask("申县2025年国民经济和社会发展统计公报是由哪些单位发布的？")
    assert not ans.refused
    assert "申县统计局、国家统计局申县调查队" in ans.answer, ans.answer


def test_a_qas_questions_are_not_the_items_of_its_materials_list(corpus):
    ans = corpus.ask("用人单位申请岗位补贴需要提交哪些材料？")
    text = _text(ans)
    assert all(m in text for m in ("岗位补贴申请表", "营业执照复印件", "劳动合同复印件")), ans.answer
    assert "问一" not in text and "问二" not in text, ans.answer


def test_what_a_stall_may_not_sell_in_everyday_words(corpus):
    text = _text(corpus.ask("夜市小吃摊有哪些东西是不让卖的？"))
    assert all(m in text for m in ("生食水产品", "裱花蛋糕", "野生蘑菇")) and "木炭" not in text, text


def test_what_is_added_to_the_common_materials_is_the_sentence_that_adds_it(corpus):
    text = _text(corpus.ask("申请食品摊位的，除通用材料外还需另行提供哪些材料？"))
    assert "健康证明、食品安全承诺书和从业培训合格证明" in text and "摊位申请表" not in text, text


def test_the_measures_of_one_aspect_are_its_own_not_its_siblings_headings(corpus):
    text = _text(corpus.ask("亥市行动方案在资金保障方面采取了哪些措施？"))
    assert "不低于8000万元" in text and "公建民营" in text and "加强组织领导" not in text, text


# (id, question, what the answer states, in its first sentence only)
ANSWERED = [
    ("who_does_the_asked_step_rather_than_the_step_list",
     "创业补贴的申请交上去以后，是谁来复核？", "县退役军人事务局会同县财政局对审核结果进行复核", True),
    ("the_responsible_units_cell_of_a_long_row_answers_which_department",
     "乡镇退役军人服务站改造这个事，是哪个部门牵头在抓？", "责任单位：县退役军人事务局", False),
    ("why_a_time_was_changed_is_a_reason_not_a_time",
     "市文化馆干嘛要把开放时间延长到晚上9点？", "上班族", False),
    ("until_when_is_answered_by_the_end_date_not_the_opening",
     "2025“夏夜星河”文化季持续到哪一天？", "8月31日", True),
    ("a_fine_after_refusing_to_correct_is_about_the_deed_before_it",
     "有人在路边的树上钉钉子、挂东西，要是个人干的，会被罚多少钱？", "对个人处一百元以上五百元以下罚款", False),
    ("who_is_in_charge_of_a_breach_is_the_body_that_acts_on_it",
     "夜市有人拿大喇叭吆喝拉客，吵得人睡不着，这事归谁管？", "由公安机关给予警告", False),
    ("everyday_words_find_the_official_ones",
     "我眼睛看不见，想自己开个按摩店，政府一次能给多少开店的钱？", "1.5万元", False),
    ("which_level_approves_is_a_who_question",
     "移植一级古树，最终由哪一级批准？", "报市人民政府批准", False),
    ("which_official_is_named_with_the_post_the_report_gives",
     "介绍上半年夜间游客占全天游客比重的是哪位官员？", "市文旅局副局长苏文博", False),
    ("a_reworded_why_is_answered_by_the_one_sentence_stating_a_cause",
     "为啥去年巡护跑的路比前年少了？", "主要是由于东岗乡、西坪镇两个护林站因道路改建停巡约2个月", False),
    ("a_reworded_yes_no_is_answered_by_the_one_sentence_laying_down_the_rule",
     "林农不签防火责任书的话，以后申请林业补助会不会受影响？", "原则上不得申报县级以上林业补助项目", False),
    ("a_head_count_in_words_falls_in_the_band_that_exempts_it",
     "我们公司一共才二十来个员工，还用交残疾人就业保障金吗？", "在职职工人数在30人（含）以下的企业，暂免征收残疾人就业保障金", False),
    ("the_latest_day_money_arrives_is_the_payment_deadline",
     "这个创业补贴批下来以后，钱最晚什么时候到账？", "于2025年12月31日前将补贴资金直接拨付", False),
]


@pytest.mark.parametrize("question,stated,first", [c[1:] for c in ANSWERED], ids=[c[0] for c in ANSWERED])
def test_answered_with_what_is_asked(corpus, question, stated, first):
    ans = corpus.ask(question)
    assert not ans.refused
    text = _text(ans)
    assert stated in (text.split("。")[0] if first else text), ans.answer
