"""A Q&A on an allowance, a market rule and a plan, written for these tests: a question that words the asked figure
its own way is answered, not refused, when the one clear sentence states a figure in the asked unit:
- the asker's term the sentence lacks (申请材料 for 材料) names no other figure of the passages;
- but a kind of the quantity the sentence measures (耕地面积 for 土地总面积) is another figure, and is refused;
- a verb asked with its modal (最高能贷多少) asks for the figure of that verb (贷款), not for a noun;
- a change (最高支付限额提高1000元) does not answer a question for the amount (最高能报多少钱);
- …归哪个单位受理？办公地址在哪里？: the address is the asked body's, not the first address of the list;
- 什么时候公示的: the sentence with the time of 公示 leads, though sentences about the plan rank above it;
- 条例第三十条禁止哪些行为: the items of the article named, not the articles of its chapter; 违反第三十条会受到哪些处罚
  is not answered with them."""

from __future__ import annotations

import pytest

from policyqa.text import normalize, strip_marks

QA = """亥市高龄津贴政策问答

问一：哪些老人可以领取高龄津贴？
答：具有本市户籍、年满80周岁的老年人，可以申请高龄津贴。

问二：申请高龄津贴需要准备哪些申请材料？
答：申请材料包括身份证、户口簿和本人银行账户信息，委托他人代办的还需提供代办人身份证。

问三：提交申请后多久能办好？
答：材料齐全的情况下，一般在15个工作日内可以办结。

问四：津贴什么时候发放？
答：高龄津贴按月发放，每月10日前打入老人本人的银行账户。
"""

LOANS = """亥市支持高校毕业生创业若干措施

（十三）提供创业担保贷款及贴息。高校毕业生自主创业的，可以申请最高30万元的个人创业担保贷款；高校毕业生创办的小微企业，可以申请最高400万元的创业担保贷款。个人创业担保贷款由财政全额贴息。
"""

INSURANCE = """亥市城乡居民医保政策解读

问：大病保险怎么报销？
答：参保居民一个年度内住院发生的个人负担的合规医疗费用超过1.5万元的部分，由大病保险按60%的比例予以报销。连续参保满4年后，每多连续参保1年，大病保险最高支付限额提高1000元。
"""

CONTACTS = """亥市支持高校毕业生就业创业若干措施

九、联系方式

市就业服务中心（一次性吸纳就业补贴、社会保险补贴、就业见习补贴、一次性创业补贴、创业担保贷款）：地址为亥市云湖路18号市民服务中心二楼B区，联系电话6128 3312。

市人才发展服务中心（生活补贴、购房补贴）：地址为亥市海晏路66号人才大厦一楼，联系电话6128 3345。

附件 补贴政策清单

补贴项目：生活补贴；补贴对象：毕业3年内首次来亥就业的全日制高校毕业生；补贴标准：博士每月3000元，硕士每月1500元；受理部门：市人才发展服务中心。
"""

BUSES = """亥州日报

公交线网调整方案正式公布

本报讯8月25日，市交通运输局联合召开新闻发布会，正式公布全市公交线网优化调整方案。根据调整方案，自9月1日首班车起，全市共调整公交线路38条。这是我市规模最大的一次公交线网调整方案。调整方案坚持“先公示、再实施”，方案调整的每条线路都附有替代方案。记者从发布会上了解到，该方案于今年7月8日至7月22日在市交通运输局门户网站进行了公示，公示期间共收到市民意见1326条。从公示收到的意见，到调整方案最终采纳的214条，这次调整方案在“做减法”的同时也在做“加法”。
"""

RULE = """亥市电动自行车安全管理条例

第四章 停放和充电

第二十九条 电动自行车集中停放充电场所应当符合消防技术标准，具备定时充电、自动断电功能。

第三十条 禁止下列行为：
（一）在建筑物的首层门厅、共用走道、楼梯间、安全出口处停放电动自行车或者为电动自行车充电；
（二）在疏散通道、消防车通道停放电动自行车；
（三）私拉电线和插座为电动自行车充电；
（四）携带电动自行车或者蓄电池进入电梯轿厢。

第三十一条 住宅小区的物业服务人应当对违反本条例第三十条规定停放、充电的行为予以劝阻；劝阻无效的，及时报告消防救援机构。

第三十二条 宾馆、商场、学校、医院等人员密集场所的经营管理单位，应当禁止在场所内违规停放电动自行车和充电。

第六章 法律责任

第四十五条 违反本条例第三十条规定的，由消防救援机构责令改正，对个人处五十元以上二百元以下罚款；拒不改正的，处二百元以上一千元以下罚款。
"""

PLAN = """亥州都市圈发展规划

第一章 发展基础

亥州都市圈包括亥州、巳州两市全域，土地总面积2.35万平方公里，2023年地区生产总值达5120亿元，常住人口936万人。
"""


@pytest.fixture(scope="module")
def corpus(small_assistant):
    return small_assistant({"qa.txt": QA, "plan.txt": PLAN, "loans.txt": LOANS, "insurance.txt": INSURANCE,
                            "contacts.txt": CONTACTS, "buses.txt": BUSES,
                            "rule.txt": RULE})


def test_a_figure_asked_with_the_askers_own_term_is_answered(corpus, answered):
    assert "15个工作日" in answered(corpus, "亥市高龄津贴申请材料齐全时，一般多少个工作日内可以办结？")


@pytest.mark.parametrize("question", ["亥州都市圈的耕地面积有多大？", "亥州都市圈有多少户籍人口？"])
def test_a_kind_of_the_stated_quantity_is_refused(corpus, question):
    ans = corpus.ask(question)
    assert ans.refused, ans.answer


def test_a_verb_asked_with_its_modal_asks_for_its_figure(corpus, answered):
    text = answered(corpus, "高校毕业生创办的小微企业申请创业担保贷款，最高能贷多少？")
    assert "400万元" in text.split("。")[0], text


def test_a_change_does_not_answer_an_amount(corpus):
    ans = corpus.ask("大病保险一年最高能报多少钱？")
    assert ans.refused or "1000元" not in ans.answer.split("。")[0], ans.answer


def test_an_address_asked_after_a_body_is_the_bodys(corpus, answered):
    text = answered(corpus, "人才生活补贴归哪个单位受理？办公地址在哪里？")
    assert "市人才发展服务中心" in text and "海晏路66号" in text, text
    assert "云湖路" not in text, text


def test_a_date_asked_of_a_deed_is_the_deeds(corpus, answered):
    text = answered(corpus, "公交线网调整方案是什么时候公示的？")
    assert "7月8日至7月22日" in text.split("。")[0], text


def test_a_named_article_gives_its_own_items(corpus, answered):
    text = answered(corpus, "电动自行车条例第三十条明确禁止哪些停放和充电行为？")
    assert all(item in text for item in ("首层门厅", "消防车通道", "私拉电线", "电梯轿厢")), text
    assert "第二十九条" not in text and "宾馆" not in text, text


def test_the_punishment_of_a_named_article_is_not_its_items(corpus):
    ans = corpus.ask("违反条例第三十条的行为会受到哪些处罚？")
    assert "首层门厅" not in normalize(strip_marks(ans.answer)), ans.answer
