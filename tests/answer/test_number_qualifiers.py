"""On a small corpus written for these tests (not the seeds): a number question whose qualifier (an administrative
level, a per-capita measure, an amount threshold) differs from the one the section states is refused with
文件未载明 naming the section — never answered with the section's other number — while the question that asks
what the section does state is still answered with its number."""

from __future__ import annotations

import pytest

from policyqa.text import normalize, strip_marks

FUND = """松川市促进先进制造业发展若干措施

三、加大财政支持
（五）设立专项资金。市级财政每年安排不少于8000万元专项资金，用于支持先进制造业项目建设。
（六）奖励骨干企业。对年营业收入首次超过二十亿元的工业企业，给予一次性奖励200万元。

四、发展成效
2024年，全市地区生产总值达到1650亿元，同比增长5.2%。营业收入超百亿元的工业企业达到6家。
全市一般公共预算收入96.3亿元，增长4.8%。户籍人口312万人。
（八）2025年预期目标。全市新增城镇就业5万人以上，城镇调查失业率控制在5.5%以内。
（七）完善配套管网。企业接入园区污水管网的，由园区统一铺设至厂区红线，距离不超过2公里。
"""


@pytest.fixture(scope="module")
def fund(small_assistant):
    return small_assistant({"fund.txt": FUND})


def _text(answer) -> str:
    return normalize(strip_marks(answer.answer))


def test_question_grammar_reads_the_qualifiers_of_the_asked_number():
    from policyqa.answer.analysis import analyze

    assert analyze("县级财政每年拿出多少专项资金？").qualifiers == {("level", "县级")}
    assert analyze("2024年人均地区生产总值是多少？").qualifiers == {("per", "人均"), ("year", "2024")}
    # the same threshold however written
    assert analyze("营收超五十亿的企业有几家？").qualifiers == analyze("营收50亿元以上的企业有几家？").qualifiers
    assert analyze("县级财政的资金用于支持哪些项目？").qualifiers == frozenset()  # not a number question
    assert analyze("一般公共预算支出是多少？").qualifiers == {("budget", "支出")}
    assert analyze("自己要掏多少接户费？").unit == "元" and analyze("补贴多少户？").unit == "户"


@pytest.mark.parametrize("question, stated, missing", [
    ("县级财政每年安排多少专项资金？", "8000万元", "文件未载明所问的数字（元；县级）"),
    ("松川市人均地区生产总值是多少？", "1650亿元", "文件未载明所问的数字（人均）"),
    ("营业收入超五十亿元的工业企业有多少家？", "6家", "文件未载明"),
    # the other side of one account is another quantity (支出 asked, 收入 stated; 常住 asked, 户籍 stated)
    ("松川市2024年一般公共预算支出是多少亿元？", "96.3亿元", "文件未载明所问的数字（亿元；支出"),
    ("松川市常住人口有多少万人？", "312万人", "文件未载明"),
    # a fee is an amount of money: a distance in the section is no answer
    ("企业接入园区污水管网要交多少接入费？", "2公里", "文件未载明所问的数字（元"),
])
def test_a_number_of_another_qualifier_is_not_the_answer(fund, question, stated, missing):
    ans = fund.ask(question)
    assert ans.refused, ans.answer
    assert ans.answer.startswith(missing), ans.answer
    assert stated not in ans.answer.split("以下段落")[0], ans.answer
    assert "财政支持" in ans.answer or "发展成效" in ans.answer, ans.answer  # names the section found


@pytest.mark.parametrize("question, stated", [
    ("市级财政每年安排多少专项资金？", "8000万元"),
    ("松川市地区生产总值是多少？", "1650亿元"),
    ("营业收入超过一百亿元的工业企业有多少家？", "6家"),
    ("松川市2025年新增城镇就业的预期目标是多少？", "5万人"),  # 城镇 is no place, 预期 no measured noun
])
def test_the_number_of_the_asked_qualifier_is_still_answered(fund, question, stated):
    ans = fund.ask(question)
    assert not ans.refused, ans.answer
    assert stated in _text(ans).split("[1]")[0] or stated in _text(ans), ans.answer


def test_the_sentence_own_year_decides_over_the_year_of_its_title():
    from policyqa.answer.figures import contradicts

    asked = frozenset({("year", "2027")})
    assert contradicts(asked, "到2025年，全市研发投入强度达到2.5%。", "松川市科技创新行动计划（2023-2027年）")
    assert not contradicts(asked, "全市研发投入强度达到2.8%。", "松川市科技创新行动计划（2023-2027年）")
    assert not contradicts(asked, "到2025年达到2.5%，到2027年达到2.8%。")
