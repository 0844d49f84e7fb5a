"""A policy Q&A numbered 问一：…问十：, a lead-in whose items run in one paragraph (下列情形不予受理：A；B；C。), a
question about two things at once (户籍人口和常住人口分别是多少), a report that asks its own 为什么…？ and a newspaper
page under its paper's name — on a corpus written for these tests."""

from __future__ import annotations

import pytest

from policyqa.answer.analysis import Attribute, Intent, analyze, split_question
from policyqa.answer.kinds import KIND_OK
from policyqa.text import normalize, strip_marks

QA = """戊市残疾人两项补贴政策问答

戊市民政局

问一：两项补贴指的是什么？

答：两项补贴是指困难残疾人生活补贴和重度残疾人护理补贴。

问二：申请需要准备哪些材料？

答：首次申请时需要提供以下材料：

（一）申请人居民身份证；

（二）第二代残疾人证；

（三）户口簿；

（四）银行账户信息。

问三：补贴标准是多少？

答：困难残疾人生活补贴标准为每人每月120元，重度残疾人护理补贴标准为每人每月150元。申请人可以携带身份证到窗口咨询。

问四：哪些情况不予受理？

答：下列情形不予受理：已享受孤儿基本生活费的；已入住养老机构且费用由财政全额保障的；户籍已迁出本市的。

问五：补贴多久发一次？

答：补贴按月发放，每月15日前打入申请人银行账户。
"""

BULLETIN = """己县2025年国民经济和社会发展统计公报

己县统计局

一、人口

年末全县户籍人口61.2万人，比上年末减少0.4万人。受外出务工人员增多和出生人口下降影响，户籍人口连续两年减少。年末全县常住人口53.8万人，其中城镇常住人口29.6万人，常住人口城镇化率为55.0%。

二、农业

全年粮食播种面积48.5万亩，比上年增加0.2万亩。粮食总产量19.7万吨，比上年增长1.2%。

三、居民收入

全年全体居民人均可支配收入30120元。按常住地分，城镇居民人均可支配收入41200元；农村居民人均可支配收入20350元。

四、教育和公园

甲镇、乙镇、丙镇义务教育入学率分别为99.8%、99.6%、99.5%。县城公园开放时间为每日6时至22时，园内照明亮度应当符合国家有关标准。

五、民生实事

全年办好五件民生实事：一是新建社区食堂12个；二是改造农村公路80公里；三是新增托位300个；四是新建公共厕所20座；五是为农村老人免费体检。
"""

RULES = """辛市户外广告设置管理办法

第一条 为了规范户外广告设置，维护市容环境，制定本办法。

第二条 市城市管理部门负责本市户外广告设置的监督管理。

第九条 未经批准擅自设置户外广告的，由城市管理部门责令限期拆除；逾期不拆除的，对个人处500元以上2000元以下罚款；对单位处1万元以上5万元以下罚款。

第十条 本办法自2027年5月1日起施行。
"""

EBIKE = """壬市电动自行车停放充电管理规定

第一条 为了加强电动自行车停放充电安全管理，制定本规定。

第五条 禁止下列行为：
（一）在楼梯间、疏散通道停放电动自行车；
（二）携带电动自行车或者其蓄电池进入电梯轿厢。

第六条 电动自行车销售者、维修者不得为消费者非法改装电动自行车。

第八条 违反本规定第五条第（二）项规定的，由物业服务企业予以劝阻；拒不改正的，由街道办事处责令改正，对个人处50元以上200元以下罚款。

第九条 违反本规定第六条规定，为消费者非法改装电动自行车的，由市场监督管理部门责令改正，处2000元以上1万元以下罚款。
"""

PAGE = """庚城日报

运河夜游航线下月开通
每晚开行三班，60元看夜景

本报讯（记者 钱七）记者昨日从市文旅集团获悉，运河夜游航线将于下月1日开通，全程约50分钟。

航线每晚开行三个班次，首班19:00发出，末班21:00发出，成人票价60元，1.2米以下儿童免票。

为什么要开通夜游航线？市文旅集团负责人解释说，运河沿岸夜间景观已改造完成，但游客晚上缺少游览方式，夜游航线可以延长游客停留时间。

“晚上带孩子坐船看灯，比白天逛街凉快多了。”家住运河边的市民刘建国说。“暑期还将增开班次。”游船公司负责人林海说。

城南新建两座人行天桥
总投资1200万元，年底前完工

本报讯（记者 孙八）城南大道两座人行天桥日前开工建设，总投资1200万元，计划年底前完工。

天桥建成后，附近三所学校的学生过街将更加安全。项目资金主要用于桥体结构、无障碍电梯、夜间照明等公共配套建设。
"""


@pytest.fixture(scope="module")
def corpus(small_assistant):
    return small_assistant({"qa.txt": QA, "bulletin.txt": BULLETIN, "page.txt": PAGE,
                             "rules.txt": RULES, "ebike.txt": EBIKE})


def _text(answer) -> str:
    return normalize(strip_marks(answer.answer))


def _lines(answer) -> list[str]:
    return [normalize(strip_marks(line)) for line in answer.answer.split("\n") if line.strip()]


def test_a_list_on_a_policy_qa_is_bounded_by_its_question(corpus):
    """问二：申请需要准备哪些材料？ heads its own answer: the list is its four items, none of another answer."""
    ans = corpus.ask("戊市残疾人两项补贴首次申请要带哪些材料？")
    lines = _lines(ans)
    assert lines[0].startswith("共4项"), ans.answer
    assert any("残疾人证" in line for line in lines) and any("银行账户信息" in line for line in lines), ans.answer
    assert "120元" not in _text(ans) and "15日" not in _text(ans), ans.answer


def test_items_a_lead_in_opens_in_one_paragraph_are_a_list(corpus):
    ans = corpus.ask("戊市残疾人两项补贴哪些情况不予受理？")
    lines = _lines(ans)
    assert lines[0].startswith("共3项"), ans.answer
    assert any("孤儿基本生活费" in line for line in lines) and any("迁出本市" in line for line in lines), ans.answer


@pytest.mark.parametrize("question, parts", [
    ("己县年末户籍人口和常住人口分别是多少？", ["己县年末户籍人口是多少？", "己县年末常住人口是多少？"]),
    ("到2030年，甲市工业投资和制造业投资的占比目标分别是多少？",
     ["到2030年，甲市工业投资的占比目标是多少？", "到2030年，甲市制造业投资的占比目标是多少？"]),
    ("拒不改正的，对个人和单位分别处多少罚款？", ["拒不改正的，对个人处多少罚款？", "拒不改正的，对单位处多少罚款？"]),
    ("“一区两带”分别指什么？", ["“一区两带”分别指什么？"]),  # one name: one part
    # two asks in one sentence; the second names no subject, so it takes the first's
    ("项目初审由哪些部门负责，截止到什么时候？", ["项目初审由哪些部门负责？", "项目初审截止到什么时候？"]),
    ("我家在农村，把旱厕改了，政府给补多少钱？", ["我家在农村，把旱厕改了，政府给补多少钱？"]),  # a story, one ask
    # spoken follow-ons ask about the first part's subject: its rate (涨了几个点), the sanction of its deed
    ("农村老百姓去年人均到手收入有多少？涨了几个点？",
     ["农村老百姓去年人均到手收入有多少？", "农村老百姓去年人均到手收入涨了几个点？"]),
    ("遛狗不捡狗屎归哪个部门管？会怎么处罚？", ["遛狗不捡狗屎归哪个部门管？", "遛狗不捡狗屎会怎么处罚？"]),
])
def test_a_question_about_two_things_at_once_has_one_part_each(question, parts):
    assert split_question(question) == parts


def test_both_figures_asked_together_are_answered(corpus):
    ans = corpus.ask("己县2025年末户籍人口和常住人口分别是多少？")
    text = _text(ans)
    assert "61.2万人" in text and "53.8万人" in text, ans.answer


def test_two_fines_asked_together_are_both_quoted_from_one_article(corpus):
    """…对个人处…罚款；对单位处…罚款: the clause after the one quoted for 个人 states 单位's own fine."""
    ans = corpus.ask("辛市擅自设置户外广告逾期不拆除的，对个人和单位分别罚多少？")
    text = _text(ans)
    assert "500元以上2000元以下" in text and "1万元以上5万元以下" in text, ans.answer


def test_lay_words_for_rural_income_are_read_as_the_bulletins_terms(corpus):
    assert analyze("栖梧县乡下人一年平均能挣多少钱？").places == ("栖梧县",)  # not 梧县: the tagger cut 栖 off
    ans = corpus.ask("己县乡下人一年平均能挣多少钱？")
    assert not ans.refused and "20350元" in _lines(ans)[0], ans.answer


def test_a_story_told_before_a_number_question_does_not_name_what_is_measured():
    """我家…去年翻修，现在住进去了，改造能补多少钱: the asking clause's deed (改造) is what the figure is about."""
    assert analyze("我家老房子去年翻修，现在已经住进去了，改造能补多少钱？").focus == ("改造",)


def test_a_fine_for_a_deed_only_an_item_names_comes_from_the_article_citing_that_item(corpus):
    """推着电动自行车进电梯罚多少: the best fine sentence (改装…2000元) is another deed's; the item naming this deed
    (（二）携带…进入电梯轿厢) is cited by the article stating its fine."""
    text = _text(corpus.ask("推着电动自行车进电梯，要罚款吗？罚多少？"))
    assert "50元以上200元以下" in text and "2000元" not in text, text


def test_a_reports_own_why_question_is_followed_by_the_reason(corpus):
    assert analyze("庚城为啥要搞晚上坐船的游览？").intent is Intent.REASON
    ans = corpus.ask("庚城为啥要开通运河夜游航线？")
    first = _lines(ans)[0]
    assert "缺少游览方式" in first or "延长游客停留时间" in first, ans.answer


def test_why_a_figure_moved_is_the_cause_the_document_gives(corpus):
    """为啥少了0.4万人: the figure the question names stands in one sentence, its cause (受…影响) in the next."""
    ans = corpus.ask("己县户籍人口为啥少了0.4万人？")
    assert not ans.refused and "外出务工人员增多" in _lines(ans)[0], ans.answer


def test_an_area_answers_no_question_but_one_of_area(corpus):
    """打了多少粮食 asks for the harvest: 播种面积48.5万亩 is another quantity, never the answer."""
    ans = corpus.ask("己县去年一共打了多少粮食？")
    assert "48.5万亩" not in _text(ans), ans.answer
    assert "48.5万亩" in _text(corpus.ask("己县粮食播种面积有多大？"))


def test_the_parts_figures_answer_no_question_about_the_whole(corpus):
    """全县入学率 is not answered by 甲镇、乙镇、丙镇…分别为99.8%、…; 乙镇's is."""
    assert corpus.ask("己县义务教育入学率是多少？").refused
    assert "99.6%" in _text(corpus.ask("乙镇义务教育入学率是多少？"))


def test_a_clock_time_answers_no_question_about_another_quantity(corpus):
    ans = corpus.ask("己县县城公园照明亮度最高不能超过多少？")
    assert ans.refused and "22时" not in ans.answer.split("\n")[0], ans.answer


def test_a_price_is_read_from_the_sentence_that_names_it_not_the_headline(corpus):
    ans = corpus.ask("运河夜游航线的班次和票价是多少？")
    first = _lines(ans)[0]
    assert "成人票价60元" in first and "首班19:00" in first, ans.answer


def test_a_newspaper_page_is_cited_by_its_paper_and_each_report_by_its_two_line_headline(corpus):
    ans = corpus.ask("城南人行天桥总投资多少？")
    assert "1200万元" in _text(ans), ans.answer
    cited = ans.citations[0]
    assert cited.title == "庚城日报" and cited.clause.startswith("《庚城日报》 城南新建两座人行天桥 总投资1200万元，年底前完工"), cited


def test_who_a_report_interviewed_is_the_person_it_names_after_the_role(corpus):
    ans = corpus.ask("运河夜游航线的报道里接受采访的市民是谁？")
    assert not ans.refused and "刘建国" in _lines(ans)[0], ans.answer
    # 集团负责人 asked: the 游船公司's 负责人 is another's
    assert "林海" not in _lines(corpus.ask("运河夜游航线的报道里，文旅集团负责人是谁？"))[0]


def test_a_rate_asked_after_a_figure_is_that_figures_rate(corpus):
    assert split_question("己县粮食总产量是多少？比上年增长多少？") == ["己县粮食总产量是多少？", "己县粮食总产量比上年增长多少？"]
    text = _text(corpus.ask("己县粮食总产量是多少？比上年增长多少？"))
    assert "19.7万吨" in text and "1.2%" in text and "55.0%" not in text, text


def test_a_counted_thing_asked_for_is_its_members(corpus):
    """五件民生实事都是啥 asks for the five, though it says neither 哪些 nor 有什么."""
    a = analyze("己县今年的五件民生实事都是啥？")
    assert a.wants_list and a.count == 5
    lines = _lines(corpus.ask("己县今年的五件民生实事都是啥？"))
    assert lines[0].startswith("共5项") and any("免费体检" in line for line in lines), lines


def test_streets_asked_for_are_named_or_the_answer_says_they_are_not(corpus):
    """哪些街道 is answered by a sentence naming streets (or places), not by the one counting the canteens."""
    ans = corpus.ask("己县今年新建的12个社区食堂分别建在哪些街道？")
    assert ans.refused and "文件未载明" in ans.answer, ans.answer


def test_a_yes_no_question_is_answered_by_a_sentence_that_speaks_of_what_it_asks(corpus):
    """需要盖章吗 is not answered by the sentence naming the form: the documents say nothing of 盖章."""
    ans = corpus.ask("戊市残疾人补贴申请需要社区盖章吗？")
    assert ans.refused and "文件未载明" in ans.answer, ans.answer
    ans = corpus.ask("戊市残疾人补贴的事可以到窗口咨询吗？")
    assert not ans.refused and "窗口咨询" in _lines(ans)[0], ans.answer


def test_things_a_sentence_enumerates_answer_a_list_asked_after_a_modifier(corpus):
    """哪些公共配套: the head is 配套, and the sentence listing them answers, not the report's other paragraphs."""
    assert analyze("城南人行天桥的钱主要用来建哪些公共配套？").target == "配套"
    ans = corpus.ask("城南人行天桥的钱主要用来建哪些公共配套？")
    assert "无障碍电梯" in _lines(ans)[0], ans.answer


def test_facilities_counted_are_no_body_that_answers_who():
    assert not KIND_OK[Intent.WHO]("建设县级电商公共服务中心5个、乡镇电商服务站48个，总投资1.6亿元。")
    assert KIND_OK[Intent.WHO]("由市政务服务中心负责受理。")


def test_a_rules_start_of_execution_is_the_day_it_takes_effect():
    assert analyze("电动车管理的新规定从哪天开始执行？").attribute is Attribute.EFFECTIVE
    assert analyze("老旧小区改造什么时候开始实施？").attribute is None  # a measure's schedule, not a rule's effect
