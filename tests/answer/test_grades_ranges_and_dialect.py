"""Questions in dialect (啥, 咋) and about eligible people (哪些人可以) read as the lists they ask for; a grade or a
relative year the question names picks its own clause (二级 not 一级, 去年 not 今年); a fine cited by a range of items
(第（二）项至第（四）项) covers the items between; a sanction stated without a citation answers 会怎么样; a news item
answers 为什么 with its reason, not its event; a note after a sentence names who leads it; a data centre is no body."""

from __future__ import annotations

import pytest

from policyqa.text import normalize, strip_marks

INSURANCE = """北川县2027年度城乡居民医疗保险政策问答

一、参保范围
除职工基本医疗保险应参保人员以外的其他所有城乡居民，包括农村居民、城镇非从业居民、在校学生和新生儿。

二、住院待遇
参保居民在一级定点医疗机构住院，起付标准为200元，政策范围内费用报销比例为90%；在二级定点医疗机构住院，起付标准为500元，报销比例为75%。

三、办理材料
办理参保登记需要提供以下材料：
（一）居民身份证或户口簿；
（二）新生儿出生医学证明；
（三）在校学生的学生证。

四、法律责任
以伪造证明材料等方式骗取医疗保险待遇的，由县医疗保障局追回已支付的费用，并取消其本年度享受待遇的资格。
"""

RULES = """北川县河道采砂管理办法

第六条 在河道管理范围内禁止下列行为：
（一）在禁采区采砂；
（二）在禁采期采砂；
（三）超出许可范围采砂；
（四）使用禁用的机具采砂。

第十二条 违反本办法第六条第（二）项至第（四）项规定的，由县水利局责令停止违法行为，处一万元以上十万元以下罚款。
"""

NEWS = """北川县第二水厂建成通水 日供水能力达5万吨

本报讯 5月8日，北川县第二水厂正式建成通水。
县水利局有关负责人介绍，近年来县城用水需求增长较快，原有水厂长期满负荷运行，建设第二水厂十分紧迫。
今年一季度，全县自来水售水量达到820万吨，比去年同期增长9%。

推进农村供水保障提升，2027年完成32个村供水管网改造。（牵头单位：县水利局；配合单位：各乡镇人民政府）
配套建设县级供水大数据中心，实现水质在线监测。
"""


PLAN = """北川县智慧水务三年行动计划

第一章 发展基础
截至2026年底，全县农村自来水普及率达到92%，在全市排名进入第一梯队。规模化供水工程覆盖人口比例为70%，连续3年居全市第二。

第二章 重点任务
第一节 建设智慧水务平台
专栏 重点工程
1.供水管网改造工程：改造老旧管网120公里，总投资3.2亿元。
2.水质监测提升工程：新建水质自动监测站15个。

第三章 保障措施
加强组织领导，强化资金保障。

北川县第三水厂于5月正式开工建设，建成后将满足城东片区用水需求。该项目位于县城东部，总投资1.8亿元，设计日供水能力6万吨。

补水完成后，全县农村自来水普及率提高到96%。
"""


@pytest.fixture(scope="module")
def county(small_assistant):
    return small_assistant({"insurance.txt": INSURANCE, "rules.txt": RULES, "news.txt": NEWS, "plan.txt": PLAN})


def _first(ans) -> str:
    return normalize(strip_marks(ans.answer)).split("。")[0]


def test_dialect_and_eligible_people_ask_for_lists(county):
    ans = county.ask("办理参保登记要带啥材料？")
    assert not ans.refused, ans.answer
    assert all(m in ans.answer for m in ("居民身份证", "出生医学证明", "学生证")), ans.answer
    ans = county.ask("哪些人可以参加城乡居民医疗保险？")
    assert not ans.refused, ans.answer  # not a who-question wanting a department
    assert "农村居民" in ans.answer and "在校学生" in ans.answer, ans.answer


def test_the_asked_grade_picks_its_own_clause(county):
    ans = county.ask("在二级定点医疗机构住院，报销比例是多少？")
    assert not ans.refused, ans.answer
    text = normalize(strip_marks(ans.answer))
    assert "75%" in _first(ans) and "90%" not in text, ans.answer
    ans = county.ask("在三级定点医疗机构住院，报销比例是多少？")
    assert ans.refused, ans.answer  # no figure for 三级 is stated; 一级's and 二级's are other quantities


def test_last_years_figure_is_not_this_years(county):
    ans = county.ask("去年一季度全县自来水售水量是多少？")
    assert ans.refused, ans.answer
    ans = county.ask("今年一季度全县自来水售水量是多少？")
    assert "820万吨" in _first(ans), ans.answer


def test_a_range_of_cited_items_covers_the_ones_between(county):
    ans = county.ask("在禁采期采砂会被罚多少钱？")
    assert not ans.refused, ans.answer
    assert "一万元以上十万元以下" in _first(ans), ans.answer
    assert "禁采期" in ans.answer, ans.answer


def test_a_sanction_stated_without_a_citation_answers_what_happens(county):
    ans = county.ask("用假证明骗医保待遇会怎么样？")
    assert not ans.refused, ans.answer
    assert "追回" in _first(ans) and "取消" in _first(ans), ans.answer


def test_a_news_item_answers_why_with_its_reason(county):
    ans = county.ask("北川县为什么要建第二水厂？")
    assert not ans.refused, ans.answer
    assert "满负荷" in _first(ans), ans.answer


def test_a_note_names_who_leads_and_a_data_centre_is_no_body(county):
    ans = county.ask("村里供水管网改造归谁牵头？")
    assert not ans.refused, ans.answer
    assert "。（牵头单位：县水利局" in ans.answer.split("\n")[0], ans.answer
    ans = county.ask("水质在线监测由哪个部门负责？")
    assert ans.refused, ans.answer  # 大数据中心 is a building to be built, not the department asked for


def test_a_rank_question_needs_a_rank(county):
    ans = county.ask("北川县农村自来水普及率在全市排第几位？")
    assert ans.refused, ans.answer  # 进入第一梯队 is a tier, not a place in the order
    ans = county.ask("规模化供水工程覆盖人口比例在全市排第几？")
    assert not ans.refused and "居全市第二" in _first(ans), ans.answer


def test_the_outline_of_a_plan_is_its_chapters(county):
    ans = county.ask("智慧水务三年行动计划分成哪几章？")
    assert not ans.refused, ans.answer
    assert ans.answer.startswith("共3章："), ans.answer
    assert all(c in ans.answer for c in ("第一章 发展基础", "第二章 重点任务", "第三章 保障措施")), ans.answer


def test_a_sibling_projects_figure_is_no_answer(county):
    ans = county.ask("智慧水务平台建设工程总投资是多少？")
    assert ans.refused, ans.answer  # 1.供水管网改造工程's 3.2亿元 is another project's
    ans = county.ask("供水管网改造工程总投资是多少？")
    assert "3.2亿元" in _first(ans), ans.answer


def test_a_projects_figure_said_by_reference_and_the_own_county_as_全县(county):
    ans = county.ask("第三水厂花了多少钱？")
    assert not ans.refused, ans.answer
    assert "1.8亿元" in _first(ans), ans.answer
    ans = county.ask("补水完成后北川县农村自来水普及率到了多少？")
    assert not ans.refused, ans.answer
    assert "96%" in _first(ans), ans.answer


def test_a_second_part_stated_in_the_first_parts_sentence_is_not_answered_again(county):
    ans = county.ask("第三水厂总投资多少？设计日供水能力是多少？")
    assert not ans.refused, ans.answer
    assert "1.8亿元" in ans.answer and "6万吨" in ans.answer, ans.answer
    assert len(ans.citations) == 1, ans.answer


NOTICE = """北川县人民政府办公室关于做好2027年森林防火工作的通知

各乡镇人民政府：
我县山高林密，冬春季节气候干燥，森林火灾易发多发。为切实做好2027年森林防火工作，现将有关事项通知如下：
一、时间安排
今年森林防火期为11月1日至次年4月30日。
二、人员奖励
对在护林岗位连续工作满5年的护林员，给予一次性奖励3000元。
全县林农人均可支配收入18650元，比上年增长6.5%。
"""


@pytest.fixture(scope="module")
def forest(small_assistant):
    return small_assistant({"notice.txt": NOTICE})


def test_a_target_question_is_not_answered_with_a_result(forest):
    ans = forest.ask("全县林农人均可支配收入全年的目标是多少？")
    assert ans.refused, ans.answer  # 18650元 is this year's figure, no target


def test_a_why_question_is_not_answered_with_the_notice_that_follows(forest):
    ans = forest.ask("为什么要做好森林防火工作？")
    assert not ans.refused, ans.answer
    assert "时间安排" not in ans.answer and "11月1日" not in ans.answer, ans.answer


@pytest.mark.parametrize("question, figure", [
    ("当护林员干满五年能拿多少奖励？", "3000元"),
    ("林农一个人平均收入有多少？", "18650元"),
    ("今年防火期是从什么时候到什么时候？", "11月1日至次年4月30日"),
])
def test_lay_words_of_reward_income_and_period(forest, question, figure):
    ans = forest.ask(question)
    assert not ans.refused, ans.answer
    assert figure in _first(ans), ans.answer


DUTIES = """丁市住宅小区消防安全管理办法

第三条 物业服务企业应当履行下列消防安全职责：
（一）制定消防安全制度，落实消防安全责任；
（二）对共用消防设施进行维护管理，确保完好有效；
（三）保障疏散通道、安全出口、消防车通道畅通。
"""


def test_a_class_named_as_the_subject_is_no_request_for_names(small_assistant):
    ans = small_assistant({"duties.txt": DUTIES}).ask("物业服务企业应当履行哪些职责？")
    assert not ans.refused, ans.answer  # the 职责 are asked, not the names of firms
    assert all(d in ans.answer for d in ("制定消防安全制度", "维护管理", "疏散通道")), ans.answer


STAGES = """丁市中小学课后服务提质实施方案

一、总体目标
到2027年底，全市义务教育学校课后服务覆盖率达到100%。

二、实施步骤
（一）试点探索阶段（2026年9月至12月）。在20所学校开展试点。
（二）全面推开阶段（2027年1月至6月）。在全市义务教育学校推开。
（三）总结提升阶段（2027年7月至12月）。总结经验，完善制度。

三、保障措施
加强组织领导，落实经费保障。
"""


def test_the_stages_are_the_items_of_the_clause_they_stand_in(small_assistant):
    ans = small_assistant({"stages.txt": STAGES}).ask("方案分为哪几个实施阶段？")
    assert not ans.refused, ans.answer
    assert ans.answer.startswith("共3项"), ans.answer
    assert all(n in ans.answer for n in ("试点探索阶段", "全面推开阶段", "总结提升阶段")), ans.answer
