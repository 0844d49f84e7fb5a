"""A county's logistics plan, a newspaper report on it and a notice with its contacts, written for these tests:
- a target asked, then what came about (据报道，实际达到了多少？): each part is answered, the second from the report;
- a later part that names only how its figure came about asks about the first part's thing;
- 目标完成了吗？ after the figures is answered by them, not searched on its own;
- what came about is never answered with the plan's target or floor;
- 有疑问可以找谁？电话多少？ is answered with the notice's contact line, the asked body's, not with a duty of the body;
- a resident's fine question in lay words (河边钓鱼会不会被罚款, 没拿证就上街摆摊, 摆地摊被城管撞见) is answered
  with the fine of the deed asked, quoted with the clause it escalates (…予以劝阻；不听劝阻的，处…);
- 能报掉几成 asks a share in per cent, of the tier the asker's figure told in words falls in (三百来万美元), while
  the country the asker travels to (去某国参加展会) is no place whose rules are asked;
- how a stated problem was met (为解决…的问题，…采取了哪些办法): the purpose sentence and the measures after it;
- who holds a post (由谁当组长): the clause naming the post is quoted, however many bodies the sentence lists after;
- 从哪天开始施行？它取代了哪个旧文件？: the rule's own 自…起施行, and the old rule it repeals;
- 一个班收几个娃 / 能收多少个孩子 count people: per class (每班…20人) or in places (学位450个), never in kindergartens;
- 禁止哪些做法 is answered by the article that lists the bans, over an article of duties or a single ban;
- 部门多久会处理、多久给答复 asks twice; 多久 is answered by a sentence stating a time, not by the matter's next step;
- 职工医保 asked: the employees' scheme's rate, not the residents' scheme's (居民医保…);
- a rider's lay words (换车, 第二趟) stand for the report's (换乘, 第二程)."""

from __future__ import annotations

import re

import pytest

from policyqa.answer.analysis import analyze, qualifiers, split_question
from policyqa.text import normalize, strip_marks

PLAN = """卯县人民政府办公室关于印发《卯县农村寄递物流体系建设工作方案（2025—2026年）》的通知

卯县农村寄递物流体系建设工作方案（2025—2026年）

一、工作目标

到2026年底，全县建成村级寄递物流服务站150个以上，行政村寄递物流服务站覆盖率达到95%以上。

二、重点任务

（一）推进客货邮融合。利用农村客运班线富余运力捎带快件，2026年底前开通客货邮融合线路不少于8条。

（二）建设乡镇共配站。整合各快递品牌乡镇网点，建设乡镇快递共配站12个，实现统一分拣、统一配送。

三、保障措施

成立由县长任组长、分管副县长任副组长，县商务局、县财政局、县发展改革局、县自然资源局、县住房城乡建设局、县交通运输局、县农业农村局、县市场监管局、县供销合作社、县邮政分公司等单位主要负责同志为成员的农村寄递物流体系建设工作领导小组。领导小组办公室设在县商务局。
"""

NURSERY = """辰州市托育服务发展实施方案

1．推动公办幼儿园开设托班。支持有条件的公办幼儿园开设2至3岁幼儿托班，2025年新增开设托班的公办幼儿园不少于8所。托班每班人数不超过20人，实行小班化保育。

2．建设示范托育中心。市示范托育中心设置6个班，可提供托位120个。
"""

QUIET = """辰州市社会生活噪声污染防治规定

第十五条　在街道、广场、公园等公共场所组织或者开展娱乐、健身等活动，应当遵守公共场所管理者有关活动区域、时段、音量等规定，采取有效措施，防止噪声污染。

第十六条　在公园、广场等公共场所开展广场舞等健身娱乐活动的，每日22时至次日7时不得使用音响器材。

第十七条　在公共场所，禁止下列行为：
（一）在噪声敏感建筑物集中区域使用高音广播喇叭；
（二）在夜间使用音响器材开展露天宣传、演出活动；
（三）在国家教育考试期间，于考点周边500米范围内产生噪声干扰考试。

第三十一条　单位和个人可以通过政务服务便民热线对社会生活噪声污染进行投诉；夜间发生正在进行的噪声扰民行为的，也可以拨打110报警。

第三十二条　热线接到投诉后，应当在30分钟内转交有关部门。有关部门接到转交的投诉后，应当在1个工作日内进行处理；对正在发生的夜间噪声扰民行为，应当立即派员到场处置。
有关部门应当自接到投诉之日起5个工作日内，将处理结果告知投诉人。
"""

CLINIC = """辰州市门诊慢特病保障实施办法

第十八条　参保人员门诊慢性病待遇按照下表执行。

一、职工医保门诊慢性病待遇

医疗机构级别｜起付线｜报销比例
二级定点医疗机构｜400元｜80%

二、居民医保门诊慢性病待遇

医疗机构级别｜起付线｜报销比例
二级定点医疗机构｜500元｜65%

第十九条　本办法施行前，居民医保慢性病在一级及以下定点医疗机构的起付线为400元、报销比例为60%，在二级定点医疗机构看门诊慢性病的报销比例为55%。
"""

BUS = """辰州日报

公交线网9月1日起调整

本报讯 自9月1日起，我市公交将实行新的换乘优惠政策：乘客使用公交卡乘车，在首次刷卡后60分钟内换乘其他线路的，第二程免费。60分钟内第三次乘车的，按照正常票价收费。
"""

RULES = """辰州市农贸市场管理办法

（2025年3月10日辰州市人民政府令第12号公布　自2025年5月1日起施行）

第一条　为了规范农贸市场管理，制定本办法。

第四十条　本办法自2025年5月1日起施行。2012年6月1日起施行的《辰州市集贸市场管理暂行办法》同时废止。
"""

REPORT = """卯县日报

快件进村跑出“加速度”

为解决村级服务站“建得起、留不住”的问题，卯县探索形成“县里补一点、企业让一点、站长挣一点”的运营机制。县财政对每个新建服务站给予一次性建设补助3万元，对年收发快件超过1万件的服务站给予5000元运营奖励。同时，引导快递企业按每件0.3元向站长支付派送费。

本报讯 记者从县商务局了解到，截至今年10月底，全县已建成村级寄递物流服务站128个，行政村寄递物流服务站覆盖率达到86%。

“以前山里的快件要到镇上自己取，现在村口就能收发。”县交通运输局副局长说，今年全县已开通客货邮融合线路6条，比年度计划多开通1条。
"""


NOTICE = """卯县商务局　卯县财政局关于申报2025年度电商进村补贴的通知

一、补贴对象

在本县注册、从事农产品网络销售的企业和个体工商户。

二、工作要求

（一）申报单位对申报材料的真实性负责。对公示结果有异议的，可以在公示期内向县商务局电子商务股书面提出异议。

（二）本通知由县商务局、县财政局负责解释。

联系人：县商务局电子商务股周明远，电话：6231570

县财政局经济建设股石晓兰，电话：6232846
"""


RIVERS = """辰州市城市河道管理规定

第十三条　市水务局应当划定禁止游泳、垂钓的区域并向社会公告。在禁止区域内，任何人不得游泳、垂钓。

第二十条　违反本规定第十条第六项，在河道内设置拦河渔具的，由农业农村部门责令限期拆除，没收渔具，对个人处100元以上1000元以下罚款。

第二十二条　违反本规定第十三条，在禁止区域内游泳、垂钓的，由水务部门予以劝阻；不听劝阻的，处50元以上200元以下罚款。
"""

STALLS = """辰州市临时摊点经营管理办法

第十九条　违反本办法规定，未经批准擅自设摊经营的，由城市管理部门责令改正，可以处100元以上500元以下罚款。

第二十条　违反本办法第十一条规定，转让、出租、出借临时摊点经营证的，由城市管理部门收回经营证，并处500元以上2000元以下罚款。
"""


EXPO = """辰州市商务局关于组织申报境外参展补贴的通知

三、支持标准

（一）展位费补贴。

1.上年度进出口额在500万美元（含）以下的企业，按实际发生展位费的70%给予补贴；
2.上年度进出口额在500万美元至3000万美元（含）之间的企业，按实际发生展位费的50%给予补贴；
3.上年度进出口额在3000万美元以上的企业，按实际发生展位费的30%给予补贴。
"""


@pytest.fixture(scope="module")
def corpus(small_assistant):
    return small_assistant({"plan.txt": PLAN, "report.txt": REPORT, "notice.txt": NOTICE, "rivers.txt": RIVERS,
                            "stalls.txt": STALLS, "expo.txt": EXPO,
                            "rules.txt": RULES, "nursery.txt": NURSERY,
                            "quiet.txt": QUIET, "clinic.txt": CLINIC,
                            "bus.txt": BUS})


def _text(answer) -> str:
    return normalize(strip_marks(answer.answer))


def _answered(corpus, question: str) -> str:
    """The answer's text, after checking it is no refusal."""
    ans = corpus.ask(question)
    assert not ans.refused, ans.answer
    return _text(ans)


@pytest.mark.parametrize("question,target,result", [
    ("卯县工作方案定下的2026年底行政村寄递物流服务站覆盖率目标是多少？据《卯县日报》报道，实际达到了多少？", "95%", "86%"),
    ("卯县工作方案要求开通几条客货邮融合线路？据报道，实际开通了几条？", "不少于8条", "6条"),
])
def test_a_target_and_what_came_about_are_each_answered(corpus, question, target, result):
    text = _answered(corpus, question)
    assert target in text and result in text, text
    assert text.index(target) < text.index(result), text


def test_a_part_naming_only_how_its_figure_came_about_asks_about_the_first_parts_thing():
    parts = split_question("县政府工作报告定下的新增养老床位目标是多少？据《某县日报》报道，实际新增了多少张？目标完成了吗？")
    assert len(parts) == 2, parts
    assert "养老床位" in parts[1] and "实际新增" in parts[1], parts


def test_what_came_about_is_not_answered_with_the_plans_figure(corpus):
    ans = corpus.ask("卯县的乡镇快递共配站实际建成了多少个？")
    assert "12个" not in _text(ans), ans.answer


@pytest.mark.parametrize("question", ["对电商进村补贴通知有疑问，县商务局这边可以找谁？电话多少？",
                                      "电商进村补贴有不清楚的地方，县商务局的联系电话是多少？"])
def test_a_contact_asked_is_the_notices_contact_line_of_the_asked_body(corpus, question):
    text = _answered(corpus, question)
    assert "6231570" in text, text
    assert "6232846" not in text and "书面提出异议" not in text, text


@pytest.mark.parametrize("question,fine,deed", [
    ("在辰州市区的河边钓鱼，会不会被罚款？罚多少？", "50元以上200元以下", "垂钓的，由水务部门予以劝阻"),
    ("在辰州没拿证就上街摆摊，被城管逮到了要罚多少钱？", "100元以上500元以下", "未经批准擅自设摊经营"),
])
def test_a_lay_fine_question_is_answered_with_the_fine_of_the_deed_asked(corpus, question, fine, deed):
    text = _answered(corpus, question)
    assert fine in text and deed in text, text


def test_a_share_asked_in_lay_words_is_the_askers_tiers_per_cent(corpus):
    text = _answered(corpus, "我们厂去年进出口才三百来万美元，这次去越南参加消费品展交了展位费，辰州市里能给报掉几成？")
    assert "70%" in text and "50%" not in text and "30%" not in text, text


def test_a_share_asked_is_per_cent_and_the_destination_is_no_place_asked():
    a = analyze("这次去越南参加展会交了展位费，市里能给报掉几成？")
    assert a.unit == "%" and "越南" not in a.places, a
    assert not any(kind == "trade" for kind, _ in qualifiers("上年度进出口额在500万美元以下的企业")), "进出口 is no side"


def test_how_a_stated_problem_was_met_is_the_purpose_and_the_measures_after_it(corpus):
    text = _text(corpus.ask("为了解决服务站“建得起、留不住”的问题，卯县采取了哪些办法？"))
    assert "运营机制" in text and "3万元" in text and "5000元运营奖励" in text and "0.3元" in text, text


def test_who_holds_a_post_is_the_clause_naming_the_post(corpus):
    text = _text(corpus.ask("卯县农村寄递物流体系建设工作领导小组由谁当组长？"))
    assert "县长任组长" in text, text


def test_since_when_a_rule_applies_and_the_rule_it_repeals_are_both_answered(corpus):
    text = _answered(corpus, "《辰州市农贸市场管理办法》从哪天开始施行？它取代了哪个旧文件？")
    assert "自2025年5月1日起施行" in text and "集贸市场管理暂行办法" in text, text
    assert text.index("自2025年5月1日起施行") < text.index("集贸市场管理暂行办法"), text


@pytest.mark.parametrize("question,people,other", [
    ("辰州公办幼儿园开的托班，一个班最多收几个娃？", "20人", "8所"),
    ("辰州市示范托育中心能收多少个孩子？", "托位120个", "8所"),
])
def test_a_count_of_people_is_in_persons_or_places(corpus, question, people, other):
    text = _answered(corpus, question)
    assert people in text and other not in text, text


def test_the_bans_asked_are_the_article_listing_them(corpus):
    text = _text(corpus.ask("辰州市在街道、广场、公园这类公共场所禁止哪些制造噪声的做法？"))
    assert "高音广播喇叭" in text and "露天宣传、演出活动" in text and "考点周边500米" in text, text


def test_how_long_is_answered_by_a_time_for_each_ask(corpus):
    parts = split_question("在辰州投诉噪声扰民后，部门多久会处理、多久给答复？")
    assert len(parts) == 2 and parts[1].endswith("部门多久给答复？"), parts
    text = _text(corpus.ask("在辰州投诉噪声扰民后，部门多久会处理？"))
    assert re.match(r"[^。]*\d+个工作日内", text) and not text.startswith("夜间"), text


def test_the_employees_scheme_asked_is_not_answered_with_the_residents(corpus):
    text = _text(corpus.ask("辰州职工医保的人在二级医院看门诊慢性病，报销比例是多少？"))
    assert "80%" in text and "65%" not in text and "55%" not in text, text


def test_a_riders_lay_words_stand_for_the_reports(corpus):
    text = _answered(corpus, "9月以后在辰州坐公交要换车的话，第二趟还要再付钱吗？")
    assert "第二程免费" in text, text
