"""On a small corpus written for these tests (not the seeds, not the tuning documents), issue 10's fifth round: lay
questions on kinds of documents the answerer was not tuned on — a regulation, a news report, a notice, a township
summary. A time of day (几点关门) is answered by the clock time, a cost question (要花钱吗) by the sentence stating the
fee, a lay unit by its document kin (多少钱 → 3块钱, 多少户 → 200套, 几天 → 3个工作日), a lay verb by its official term
(可罚 → 罚款, 开始执行 → 施行, 归…管 → 主管部门); a list of named streets or schools is complete; a question for what
follows a prohibited deed finds the article citing it; and near-misses are refused: another place's document, one
member of a group with a joint figure."""

from __future__ import annotations

import pytest

from policyqa.text import normalize, strip_marks

RULES = """临江市共享单车停放管理办法

第一条 为了规范共享单车停放秩序，根据有关法律法规，结合本市实际，制定本办法。本办法所称共享单车，是指运营企业投放、供公众扫码租用的自行车。

第二条 市城市管理局是本市共享单车停放管理的主管部门，负责停放秩序的监督管理。交通运输管理部门负责共享单车投放总量的调控。

第三条 共享单车运营企业应当在投放前向市城市管理局备案。备案不收取费用。市城市管理局应当自收到材料之日起3个工作日内完成备案。

第四条 禁止下列行为：
（一）在盲道、消防通道停放共享单车；
（二）私自加装车锁占用共享单车。

第五条 违反本办法第四条第（一）项规定的，由城市管理部门责令改正；拒不改正的，对个人处50元罚款，对运营企业处1000元以上1万元以下罚款。

违反本办法第四条第（二）项规定的，由城市管理部门处200元罚款。

第六条 本办法自2028年5月1日起施行，有效期3年。
"""

NEWS = """临江区8项民生工程全部完工

本报讯 今年临江区实施的8项民生工程已全部完工，累计完成投资2.6亿元。

在道路改造方面，该区完成了胜利路、和平街、槐树巷3条道路的提升改造，总长度5.2公里。

教育方面，新建的育才小学和扩建的临江第三中学已投入使用，两校共新增学位1800个；阳光幼儿园完成改扩建，新增学位240个。

该区在河口村新建了老年食堂。“在食堂吃一顿午饭只要交3块钱。”河口村村民老李说。滨河公园改造后每天7:00至21:00开放。
"""

HOUSING = """临江区人才公寓申请公告

一、房源情况
本次共推出人才公寓200套，分布在东苑、西苑和南苑三个小区，租金按市场租金的60%确定。

二、办理流程
申请人向所在单位提交申请材料。区人才服务中心在收到材料后10个工作日内完成审核。审核合格的，在区政府网站公示5天。公示无异议的，按评分高低顺序配租。

三、申请材料
（一）人才公寓申请表；
（二）身份证复印件；
（三）劳动合同复印件。

四、其他事项
骗取人才公寓的，3年内不得再次申请。
"""

SUMMARY = """青石镇2027年工作总结

一、经济发展
全镇实现地区生产总值32.5亿元，增长5.8%。农村居民人均可支配收入达到24300元，增长6.5%。
"""

CENTRE = """临江区文化站开放公告

本站位于和顺路20号，开放时间为每天上午9:00至12:00、下午14:30至20:00，设有阅览室和排练厅。
"""

WATER = """白沙县农村供水保障实施方案

一、工作目标
到2028年底，完成15个行政村供水管网改造，农村自来水普及率达到98%。
"""


@pytest.fixture(scope="module")
def corpus(small_assistant):
    return small_assistant({"rules.txt": RULES, "news.txt": NEWS, "housing.txt": HOUSING, "summary.txt": SUMMARY,
                            "water.txt": WATER, "centre.txt": CENTRE})


def _text(answer) -> str:
    return normalize(strip_marks(answer.answer))


def _first(answer) -> str:
    return normalize(strip_marks(answer.answer.split("。")[0]))


def test_analysis_reads_lay_times_costs_and_verbs():
    from policyqa.answer.analysis import Intent, analyze
    from policyqa.answer.wording import asks_cost, asks_time, unit_pattern

    assert analyze("滨河公园晚上几点关门？").intent is Intent.DATE
    assert asks_time("下午几点就不收了？") and not asks_time("什么时候开始施行？")
    assert asks_cost("共享单车备案要花钱吗？") and asks_cost("办证收不收费？") and not asks_cost("备案要几天？")
    # a fine question measures no noun: the deed fined is checked against the rule the fine cites
    assert analyze("运营企业拒不改正的，最高可罚多少钱？").focus == ()
    assert analyze("青石镇一共有多少个行政村？").places  # a place with its level, whatever the tagger says
    assert "套" in unit_pattern("户") and "工作日" in unit_pattern("天")
    assert analyze("哪种房子算老旧住宅？").intent is Intent.DEFINITION
    assert analyze("要同时满足哪些条件才算合格？").wants_list  # conditions are a list, not a definition


def test_named_streets_are_read_from_a_list_before_a_count():
    from policyqa.answer.names import members

    sentence = "该区完成了胜利路、和平街、槐树巷3条道路的提升改造"
    assert sorted(members("道路", sentence)) == sorted(["胜利路", "和平街", "槐树巷"])
    assert members("道路", "坚持发展思路，优化公交线路") == []


@pytest.mark.parametrize("question, fact", [
    ("滨河公园晚上几点关门？", "21:00"),  # a time of day in the lay words 几点关门
    ("河口村的老人在老年食堂吃顿午饭要多少钱？", "3块钱"),  # 多少钱 answered in 块钱
    ("这次人才公寓一共能分给多少户？", "200套"),  # 多少户 answered in 套
    ("共享单车备案要几天？", "3个工作日"),  # 几天 answered in 工作日
    ("这个停放办法从哪天开始执行？", "2028年5月1日"),  # 开始执行 → 施行
    ("青石镇的农民一年人均能挣多少钱？", "24300元"),  # 挣 → 收入, 农民 → 农村居民
    ("运营企业在消防通道停车、拒不改正的，最高可罚多少钱？", "1万元"),  # 可罚 → 罚款
])
def test_lay_questions_lead_with_the_fact(corpus, question, fact):
    ans = corpus.ask(question)
    assert not ans.refused, ans.answer
    assert fact in _first(ans), ans.answer


def test_a_cost_question_is_answered_by_the_fee_sentence(corpus):
    ans = corpus.ask("共享单车备案要花钱吗？")
    assert not ans.refused, ans.answer
    assert "不收取费用" in _first(ans), ans.answer


def test_who_is_in_charge_is_the_named_competent_body(corpus):
    ans = corpus.ask("共享单车停放归哪个部门管？")
    assert not ans.refused, ans.answer
    assert "市城市管理局" in _first(ans) and "主管部门" in _first(ans), ans.answer


def test_a_task_named_before_who_is_answered_by_the_body_doing_it(corpus):
    ans = corpus.ask("人才公寓申请的审核由哪个单位负责？")
    assert not ans.refused, ans.answer
    assert "区人才服务中心" in _first(ans), ans.answer


def test_lists_of_named_things_are_complete(corpus):
    roads = corpus.ask("今年临江区改造了哪几条道路？")
    assert not roads.refused, roads.answer
    assert all(n in _text(roads) for n in ("胜利路", "和平街", "槐树巷")), roads.answer
    schools = corpus.ask("今年临江区有哪些学校新建、扩建或改扩建后新增了学位？")
    assert not schools.refused, schools.answer
    assert all(n in _text(schools) for n in ("育才小学", "临江第三中学", "阳光幼儿园")), schools.answer


def test_what_follows_a_prohibited_deed_is_the_article_citing_it(corpus):
    ans = corpus.ask("在盲道上停共享单车被发现了会怎么处理？")
    assert not ans.refused, ans.answer
    assert "责令改正" in _text(ans) and "50元" in _text(ans), ans.answer


def test_what_comes_after_a_step_leads_with_the_asked_deed(corpus):
    ans = corpus.ask("人才公寓审核通过以后，房子是怎么分配的？")
    assert not ans.refused, ans.answer
    assert "评分高低顺序配租" in _first(ans), ans.answer


@pytest.mark.parametrize("question, wrong", [
    ("青石镇一共有多少个行政村？", "15个"),  # only 白沙县's plan counts villages
    ("育才小学新增了多少个学位？", "1800"),  # a joint figure of two schools
    ("东苑有多少套人才公寓？", "200套"),  # the total of three compounds
    ("人才公寓的租赁合同最多能签几年？", "3年"),  # a span of a ban (3年内不得再次申请), not of a lease
    ("共享单车超速罚多少钱？", "50元"),  # the regulation fines parking and locks, not speeding
])
def test_a_figure_of_another_subject_is_refused(corpus, question, wrong):
    ans = corpus.ask(question)
    assert ans.refused, ans.answer
    assert wrong not in ans.answer.split("\n")[0], ans.answer


def test_a_fine_for_a_prohibited_item_is_read_where_the_item_is_cited(corpus):
    ans = corpus.ask("给共享单车私自加装车锁的，罚款多少？")
    assert not ans.refused, ans.answer
    assert "200元" in _first(ans), ans.answer


def test_what_to_hand_in_is_a_list_of_the_items(corpus):
    ans = corpus.ask("申请人才公寓需要交什么材料？")
    assert not ans.refused, ans.answer
    assert all(n in _text(ans) for n in ("申请表", "身份证复印件", "劳动合同复印件")), ans.answer


def test_a_department_named_by_its_field_answers_who_is_in_charge(corpus):
    ans = corpus.ask("共享单车投放数量归谁管？")
    assert not ans.refused, ans.answer
    assert "交通运输管理部门" in _first(ans), ans.answer


@pytest.mark.parametrize("question, fact", [
    ("文化站晚上几点关门？", "20:00"),  # what the hours are called (开放时间) is no word of the question
    ("文化站在哪里？", "和顺路20号"),  # the address, not the headline naming the place
    ("这个停放办法管几年？", "有效期3年"),  # 管几年 → 有效期
])
def test_hours_addresses_and_terms_lead(corpus, question, fact):
    ans = corpus.ask(question)
    assert not ans.refused, ans.answer
    assert fact in _first(ans), ans.answer


def test_what_counts_as_a_term_is_its_definition(corpus):
    ans = corpus.ask("哪种自行车算共享单车？")
    assert not ans.refused, ans.answer
    assert "是指" in _first(ans), ans.answer
