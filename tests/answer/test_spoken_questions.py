"""Questions in everyday words over a report, a provident-fund guide, a meal-subsidy Q&A and a rule on e-bikes:
a spoken rate follow-on (涨了几个点), a target year a colon's lead-in names, the case the asker says they lack
(没有备案的合同), what a spoken 能补多少 measures, and the fine whose item names most of the deed — on a corpus
written for these tests."""

from __future__ import annotations

import pytest

from policyqa.answer.analysis import analyze, qualifiers
from policyqa.answer.compose import holds
from policyqa.store.lexical import Tokenizer
from policyqa.text import normalize, strip_marks

REPORT = """癸阳区2026年政府工作报告（摘要）

——2026年1月8日在癸阳区第二届人民代表大会第六次会议上

癸阳区人民政府区长  林振华

各位代表：

现在，我代表区人民政府向大会报告工作，请予审议。

一、2025年工作回顾

“十四五”以来，全区地区生产总值由2020年的401.2亿元增加到2025年的512.6亿元，年均增长6.3%；城乡居民收入稳步提高。

初步核算，全年实现地区生产总值512.6亿元，按不变价格计算，比上年增长5.8%。全年粮食播种面积51.2万亩，比上年增加0.4万亩。粮食总产量20.3万吨，比上年增长1.6%。城镇居民人均可支配收入52360元，增长4.9%；农村居民人均可支配收入28714元，增长6.6%。

二、2026年主要目标

综合考虑各方面因素，2026年全区经济社会发展主要预期目标是：地区生产总值增长6%左右；一般公共预算收入增长4%；社会消费品零售总额增长6.5%；城乡居民收入增长与经济增长基本同步。

附件1 2025年癸阳区主要经济社会发展指标完成情况

1.社会消费品零售总额：年初预期目标为增长7%，实际完成231.5亿元，增长5.2%。

2.一般公共预算收入：年初预期目标为增长5%，实际完成36.8亿元，增长3.9%。
"""

GUIDE = """子州市住房公积金租房提取办事指南

一、提取额度

职工租住商品住房的，按下列标准提取：
（1）未提供租赁备案证明的，单身职工每年最高可提取15000元，已婚职工夫妻双方合计每年最高可提取30000元；
（2）提供经住房城乡建设部门备案的租赁合同和房租发票的，按照实际房租支出提取，但每年提取总额不超过职工住房公积金年缴存额的80%。
"""

MEALS = """丑川市老年人助餐补贴政策问答

问一：哪些老年人可以享受助餐补贴？

答：本市户籍60周岁及以上老年人在助餐服务机构就餐，均可享受助餐补贴。

问二：补贴标准是多少？

答：（一）最低生活保障对象中的老年人：每餐补贴7元；
（二）80周岁及以上老年人：每餐补贴4元；
（三）其他老年人：每餐补贴1元。

问三：新建助餐服务机构有什么支持？

答：新建老年食堂的，给予一次性建设补贴15万元；新建社区助餐点的，给予一次性建设补贴4万元。

问四：补贴会一直享受吗？

答：享受助餐补贴的老年人有下列情形之一的，停止享受补贴：
（一）死亡或者被宣告失踪的；
（二）户籍迁出本市的；
（三）入住养老机构并由养老机构提供膳食服务的；
（四）将社会保障卡转借他人使用的。

问五：高龄津贴怎么发？

答：对本市户籍80周岁至89周岁老年人每人每月发放高龄津贴100元，90周岁至99周岁老年人每人每月发放300元，100周岁以上老年人每人每月发放600元，所需资金由市、区两级财政按现行渠道承担，按月发放至老年人社会保障卡。
"""

EBIKE = """寅市电动自行车停放充电安全管理办法

第一条 为了加强电动自行车停放充电安全管理，制定本办法。

第七条 禁止下列行为：
（一）在楼梯间、疏散走道停放电动自行车或者为其充电；
（二）携带电动自行车或者其蓄电池进入电梯轿厢。

第八条 电动自行车销售者、维修者不得为消费者非法改装电动自行车。

第十二条 违反本办法第七条第（二）项规定的，由物业服务企业予以劝阻；拒不改正的，由街道办事处责令改正，对个人处100元以上300元以下罚款。

第十三条 违反本办法第八条规定，为消费者改装电动自行车的，由市场监督管理部门责令改正，处3000元以上1万元以下罚款。
"""


NEWS = """卯江日报

卯江杨梅喜获丰收
电商销售额同比增长30%

本报讯（记者 王五）6月中旬，正值杨梅采摘旺季，卯江镇漫山遍野的杨梅树上挂满了果实。

今年卯江杨梅电商销售额达2800万元，同比增长30%。

“今年春季雨水少、光照足，加上镇里推广的避雨栽培技术，杨梅个头大、甜度高，裂果少多了。”镇农业农村办负责人介绍。

东湖公园儿童乐园重新开放
总投资520万元

本报讯（记者 钱七）东湖公园儿童乐园改造后今天重新开放。公园管理处主任表示，改造后的乐园按年龄段划分了活动区域：3岁以下幼儿区以软体设施为主，3至6岁区域设置了小型滑梯，6岁以上儿童则可以体验攀爬网。

此次改造新增了攀爬网、戏水池、沙坑乐园3个游乐区，更新游乐设施20套。

城南片区10个老旧小区改造项目全面开工
涉及居民3600户，计划年底前完成主体工程

本报讯（记者 赵六）当天，城南片区10个老旧小区改造项目全面开工。城南片区老旧小区改造是今年的民生实事。

基础类改造主要包括供水、排水、供电等老化管网更新；完善类改造主要包括加装电梯、增设停车位、适老化改造；提升类改造主要包括建设社区综合服务站、便民市场。
"""


GAS = """辰州市餐饮场所燃气安全管理规定

第十三条 使用燃气的餐饮场所应当具备下列条件：
（一）用气场所与就餐区域有效分隔；
（二）安装燃气泄漏报警装置；
（三）使用符合国家标准的燃气器具。

第十四条 使用瓶装燃气的餐饮场所，不得设置在地下室。

第十五条 餐饮场所禁止下列行为：
（一）使用超期未检验的气瓶；
（二）倾倒液化石油气残液；
（三）在同一场所同时使用瓶装燃气和管道燃气。

第十六条 燃气报警装置应当具备声光报警、自动切断、远程推送等功能。

专栏1 燃气安全重点工程

序号｜工程名称｜完成时限｜牵头单位
1｜瓶装燃气智能监管工程｜2026年12月｜市城市管理局
2｜餐饮场所报警装置安装工程｜2026年10月｜市市场监管局

第十八条 燃气经营企业安检人员入户检查时，应当出示工作证件，不得以安全检查为名强制推销燃气器具、报警装置等商品，不得收取安全检查费用。

第十九条 餐饮场所发生燃气泄漏时，应当立即关闭燃气总阀，开窗通风，严禁开关电器，并立即疏散人员。

第十七条 餐饮场所安装燃气报警装置所需资金，可以通过下列渠道筹集：
（一）经营者自筹；
（二）燃气企业垫资；
（三）其他合法渠道。
"""


@pytest.fixture(scope="module")
def corpus(small_assistant):
    return small_assistant({"report.txt": REPORT, "guide.txt": GUIDE, "meals.txt": MEALS, "ebike.txt": EBIKE,
                            "news.txt": NEWS, "gas.txt": GAS})


def _text(answer) -> str:
    return normalize(strip_marks(answer.answer))


def test_lay_income_and_its_spoken_rate_are_both_answered(corpus):
    ans = corpus.ask("癸阳区农村老百姓去年人均到手收入有多少？涨了几个点？")
    text = _text(ans)
    assert "28714元" in text and "6.6%" in text, ans.answer


def test_an_annex_number_does_not_hide_the_year_after_it():
    assert ("year", "2025") in qualifiers(normalize("附件1 2025年癸阳区主要经济社会发展指标完成情况"))


def test_a_target_stands_under_the_year_its_colon_lead_in_names(corpus):
    """2026年…主要预期目标是：…；社会消费品零售总额增长6.5%；: not last year's target row of the annex (7%)."""
    ans = corpus.ask("癸阳区2026年社会消费品零售总额的预期增长目标是多少？")
    text = _text(ans)
    assert not ans.refused and "6.5%" in text and "7%" not in text, ans.answer


def test_the_case_the_asker_says_they_lack_is_the_clause_that_answers(corpus):
    """没有备案的租房合同: the clause for 未提供租赁备案证明的, not the one for a filed contract."""
    ans = corpus.ask("我单身一个人在子州租房，没有备案的租房合同，一年能取多少公积金？")
    assert "15000元" in _text(ans).split("。")[0], ans.answer


def test_a_spoken_how_much_is_subsidised_is_answered_by_the_subsidy_per_meal(corpus):
    """吃一顿饭能补多少钱 asks for 每餐补贴 (能补多少 → 补贴), whatever the canteen the asker names; a canteen's
    construction grant is another quantity."""
    ans = corpus.ask("我妈是吃低保的，在丑川社区食堂吃一顿饭政府能补多少钱？")
    text = _text(ans)
    assert not ans.refused and "7元" in text and "15万元" not in text, ans.answer


def test_the_fine_whose_item_names_more_of_the_deed_answers(corpus):
    """推着电瓶车进电梯: both fines are for e-bikes (电瓶车 → 电动自行车), but only the item cited by the first names
    the lift."""
    text = _text(corpus.ask("推着电瓶车进电梯，要罚款吗？罚多少？"))
    assert "100元以上300元以下" in text and "3000元" not in text, text


def test_an_age_band_holds_the_askers_age():
    assert holds("90周岁至99周岁老年人每人每月发放300元", 92, "岁")
    assert not holds("80周岁至89周岁老年人每人每月发放100元", 92, "岁")
    assert holds("100周岁以上老年人每人每月发放600元", 101, "岁") and not holds("60岁以下的", 75, "岁")


def test_the_askers_age_is_no_figure_the_document_must_state_but_picks_their_band(corpus):
    """我奶奶今年92岁: no sentence says 92; the clause of the 90–99 band answers, first."""
    ans = corpus.ask("我奶奶今年92岁，丑川户口，每个月能领多少高龄津贴？")
    assert not ans.refused and "300元" in _text(ans).split("。")[0], ans.answer


def test_a_spoken_age_picks_the_band_over_a_grant_in_the_same_unit(corpus):
    """我爸今年85了 (an age without 岁): the 80周岁及以上 band's subsidy per meal, not a canteen's grant."""
    ans = corpus.ask("我爸今年85了，在丑川的助餐点吃一顿饭能少掏多少钱？")
    assert "每餐补贴4元" in _text(ans).split("。")[0], ans.answer


def test_a_rate_asked_after_a_figure_is_the_change_on_last_year_not_the_average(corpus):
    """…是多少？比上年增长多少？: the sentence quoted for the figure states 年均增长6.3%, another rate; the rate part
    gets its own sentence (比上年增长5.8%)."""
    ans = corpus.ask("2025年癸阳区地区生产总值是多少？比上年增长多少？")
    text = _text(ans)
    assert "512.6亿元" in text and "5.8%" in text, ans.answer


@pytest.mark.parametrize("question, wanted", [
    ("癸阳区2026年政府工作报告是由谁代表区人民政府作的？", ["林振华"]),
    ("癸阳区2026年政府工作报告是在哪一天、哪次会议上作的？", ["2026年1月8日", "第二届人民代表大会第六次会议"]),
])
def test_a_reports_byline_says_who_delivered_it_when_and_where(corpus, question, wanted):
    ans = corpus.ask(question)
    assert not ans.refused and all(w in _text(ans) for w in wanted), ans.answer


def test_a_document_without_a_byline_does_not_say_where_it_was_delivered(corpus):
    ans = corpus.ask("子州市住房公积金租房提取办事指南是在哪次会议上作的？")
    assert ans.refused and "会议" in ans.answer.split("\n")[0], ans.answer


def test_causes_joined_by_jia_shang_answer_why_over_the_headline(corpus):
    """雨水少、光照足，加上…技术: the causes a quoted official lists, not the headline that names the harvest."""
    ans = corpus.ask("报道认为今年卯江杨梅丰收的原因是什么？")
    assert "雨水少" in _text(ans).split("。")[0], ans.answer


def test_a_threshold_without_a_number_is_one_of_its_unit():
    """亿元以上项目 is 1亿元 and above: it states the threshold 一亿以上 asks for, not another."""
    assert ("threshold", ">1e+08") in qualifiers("全年新签约亿元以上项目47个，其中10亿元以上项目9个")


def test_a_piece_of_the_asked_place_is_no_measured_noun():
    assert "湖区" not in analyze("澄湖区去年招商签了多少个一亿以上的大项目？").focus


def test_a_question_of_when_is_answered_by_every_case_the_lead_in_opens(corpus):
    """在什么情况下会被停掉: the best sentence opens 有下列情形之一的…：, so all its cases answer, not two."""
    ans = corpus.ask("老人在什么情况下吃饭补贴会被停掉？")
    text = _text(ans)
    assert "死亡" in text and "入住养老机构" in text and "转借他人" in text, ans.answer


def test_the_thing_asked_within_a_scope_leads_over_the_scopes_news(corpus):
    """…改造中的完善类改造包括哪些: the sentence where 完善类改造 包括 A、B、C, not the news that the works began."""
    ans = corpus.ask("城南片区老旧小区改造中的完善类改造包括哪些内容？")
    first = _text(ans).split("。")[0]
    assert "加装电梯" in first and "增设停车位" in first, ans.answer


def test_what_is_banned_is_the_list_a_ban_opens(corpus):
    """明令不许干的 (不许 → 禁止): the items of 禁止下列行为, not those of 应当具备下列条件, nor one 不得 sentence."""
    ans = corpus.ask("在辰州开饭馆用燃气，有哪些做法是明令不许干的？")
    text = _text(ans)
    assert text.startswith("共3项") and "倾倒液化石油气残液" in text and "就餐区域" not in text, ans.answer


def test_the_aspect_a_requirement_is_asked_for_leads(corpus):
    """有哪些功能上的要求: the article on the alarm's 功能, not the one on its funding that shares more words."""
    ans = corpus.ask("辰州市对餐饮场所安装的燃气报警装置有哪些功能上的要求？")
    assert "声光报警" in _text(ans).split("。")[0], ans.answer


def test_an_area_gives_way_to_the_harvest_beside_it(corpus):
    """打了多少粮食: 播种面积51.2万亩 is an area; the harvest (20.3万吨) in the next sentence answers."""
    ans = corpus.ask("癸阳区去年一共打了多少粮食？")
    assert "20.3万吨" in _text(ans).split("。")[0], ans.answer


def test_the_governments_own_place_is_no_measured_noun():
    assert "县里" not in analyze("青崖县里每年到底拿多少钱出来给农村那些小水厂修修补补？").focus


def test_a_yes_no_question_of_two_alternatives_is_answered_by_the_sentence_on_either(corpus):
    """会不会收检查费或者硬要买报警器: the sentence speaks of 检查费用 and of 报警装置 (报警器), so it answers."""
    ans = corpus.ask("燃气公司的人上门做安检，会不会收检查费或者硬要我们买报警器？")
    assert not ans.refused and "不得收取安全检查费用" in _text(ans), ans.answer


def test_a_smell_of_gas_asks_what_to_do_on_a_leak(corpus):
    """闻到一股煤气味 (→ 燃气泄漏), 第一时间 (→ 立即), 按辰州 (a preposition the tagger glued on): the leak article."""
    assert "辰州" in Tokenizer().key_terms("按辰州的规定应该怎么处置？")
    ans = corpus.ask("后厨闻到一股煤气味，按辰州的规定第一时间应该怎么处置？")
    assert "关闭燃气总阀" in _text(ans), ans.answer


def test_a_row_of_a_text_table_answers_who_leads_its_project(corpus):
    """专栏 rows written as text (…｜牵头单位): the row names its lead department under its column's name."""
    ans = corpus.ask("专栏里的餐饮场所报警装置安装工程由哪个部门牵头？")
    assert not ans.refused and "市市场监管局" in _text(ans) and "市城市管理局" not in _text(ans), ans.answer


def test_which_three_things_are_the_ones_a_sentence_names_with_their_count(corpus):
    """新增了哪三个游乐区: 攀爬网、戏水池、沙坑乐园3个游乐区, not the areas by age another sentence names."""
    ans = corpus.ask("东湖公园儿童乐园改造后新增了哪三个游乐区？")
    first = _text(ans).split("。")[0]
    assert "戏水池" in first and "沙坑乐园" in first, ans.answer
